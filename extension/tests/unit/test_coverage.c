/*
 * Unit tests of the tiers-lieux coverage search (tierslieux_coverage.c):
 * haversine against closed forms, the k-d tree against a brute-force scan
 * on random points over France (with ties and stations), travel times, and
 * error paths.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sr_coverage.h"
#include "sr_test.h"

static uint64_t rng = 0x9E3779B97F4A7C15ULL;

static double
urand(void)
{
	/* xorshift64*: deterministic */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double) ((rng * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static void
test_haversine(void)
{
	/* one degree of a meridian: R pi / 180 */
	SR_CHECK_CLOSE(sr_cov_haversine_km(0, 0, 0, 1), SR_COV_EARTH_KM * SR_PI / 180, 1e-9, "one degree of latitude");
	/* a quarter of the equator: R pi / 2 */
	SR_CHECK_CLOSE(sr_cov_haversine_km(0, 0, 90, 0), SR_COV_EARTH_KM * SR_PI / 2, 1e-7, "quarter of the equator");
	/* antipodes: R pi */
	SR_CHECK_CLOSE(sr_cov_haversine_km(10, 20, -170, -20), SR_COV_EARTH_KM * SR_PI, 1e-6, "antipodes");
	/* one degree of longitude at 60 degrees north: chord-free closed form
	 * 2R asin(cos(60) sin(0.5 deg)) */
	SR_CHECK_CLOSE(sr_cov_haversine_km(0, 60, 1, 60),
				   2 * SR_COV_EARTH_KM * asin(0.5 * sin(0.5 * SR_PI / 180)), 1e-9, "one degree of longitude at 60 N");
}

static void
test_brute_force(void)
{
	enum
	{
		NU = 3000, NP = 700
	};
	double	   *ulon = malloc(sizeof(double) * NU),
			   *ulat = malloc(sizeof(double) * NU),
			   *plon = malloc(sizeof(double) * NP),
			   *plat = malloc(sizeof(double) * NP),
			   *nd = malloc(sizeof(double) * NU),
			   *sd = malloc(sizeof(double) * NU);
	int64_t    *pid = malloc(sizeof(int64_t) * NP),
			   *ni = malloc(sizeof(int64_t) * NU),
			   *si = malloc(sizeof(int64_t) * NU);
	bool	   *pst = malloc(sizeof(bool) * NP);
	sr_err		err;
	int			bad_near = 0,
				bad_station = 0;

	for (int i = 0; i < NP; i++)
	{
		/* metropolitan France's box; a few premises share a place (ties) */
		if (i % 50 == 49)
		{
			plon[i] = plon[i - 1];
			plat[i] = plat[i - 1];
		}
		else
		{
			plon[i] = -4.8 + 13.0 * urand();
			plat[i] = 42.3 + 8.8 * urand();
		}
		pid[i] = 1000 - i;		/* ids not in input order */
		pst[i] = (i % 7) == 3;
	}
	for (int u = 0; u < NU; u++)
	{
		ulon[u] = -5.5 + 14.5 * urand();
		ulat[u] = 41.5 + 10.0 * urand();
	}
	ulon[17] = NAN;				/* a unit without location */
	ulat[17] = NAN;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(NU, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, &err) == SR_OK,
			 "nearest over 3000 units x 700 premises");
	for (int u = 0; u < NU; u++)
	{
		double		best[2] = {INFINITY, INFINITY};
		int64_t		bid[2] = {0, 0};

		if (u == 17)
			continue;
		for (int i = 0; i < NP; i++)
		{
			int			s = pst[i];
			double		d = sr_cov_haversine_km(ulon[u], ulat[u], plon[i], plat[i]);

			if (d < best[s] - 1e-12 || (fabs(d - best[s]) <= 1e-12 && pid[i] < bid[s]))
			{
				best[s] = d;
				bid[s] = pid[i];
			}
		}
		if (ni[u] != bid[0] || fabs(nd[u] - best[0]) > 1e-9)
			bad_near++;
		if (si[u] != bid[1] || fabs(sd[u] - best[1]) > 1e-9)
			bad_station++;
	}
	SR_CHECK(bad_near == 0, "nearest ordinary premise equals the brute-force scan (ties to the lower id)");
	SR_CHECK(bad_station == 0, "nearest station equals the brute-force scan");
	SR_CHECK(isnan(nd[17]) && isnan(sd[17]) && ni[17] == 0 && si[17] == 0, "a unit without location gets none");

	/* no station at all: station results are none */
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, NULL, ni, nd, si, sd, &err) == SR_OK
			 && isnan(sd[0]) && si[0] == 0 && !isnan(nd[0]), "without a station flag every premise is ordinary");
	/* no premise at all */
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, 0, pid, plon, plat, NULL, ni, nd, si, sd, &err) == SR_OK
			 && isnan(nd[0]), "no premise: none");

	/* errors */
	pid[5] = pid[6];
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, &err) == SR_EDATA,
			 "duplicate premise id is SR_EDATA");
	SR_CHECK(strstr(err.msg, "appears more than once") != NULL, "message names the duplicate");
	pid[5] = 995;
	plat[3] = NAN;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, &err) == SR_EDATA,
			 "premise without location is SR_EDATA");
	plat[3] = 95;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, &err) == SR_ERANGE,
			 "latitude 95 is SR_ERANGE");
	free(ulon);
	free(ulat);
	free(plon);
	free(plat);
	free(nd);
	free(sd);
	free(pid);
	free(ni);
	free(si);
	free(pst);
}

/*
 * Many premises at a few places (a station, a business park): the tree's
 * median splits meet runs of equal coordinates.  20,000 premises, 19 of 20
 * at one of 5 places, against the brute-force scan (exact ties go to the
 * lower id).
 */
static void
test_equal_places(void)
{
	enum
	{
		NU = 400, NP = 20000
	};
	static const double spot[5][2] = {{2.35, 48.85}, {4.83, 45.76}, {-1.68, 48.11}, {5.37, 43.30}, {2.35, 48.86}};
	double	   *ulon = malloc(sizeof(double) * NU),
			   *ulat = malloc(sizeof(double) * NU),
			   *plon = malloc(sizeof(double) * NP),
			   *plat = malloc(sizeof(double) * NP),
			   *nd = malloc(sizeof(double) * NU),
			   *sd = malloc(sizeof(double) * NU);
	int64_t    *pid = malloc(sizeof(int64_t) * NP),
			   *ni = malloc(sizeof(int64_t) * NU),
			   *si = malloc(sizeof(int64_t) * NU);
	sr_err		err;
	int			bad = 0;

	for (int i = 0; i < NP; i++)
	{
		if (i % 20 == 7)
		{
			plon[i] = -4.8 + 13.0 * urand();
			plat[i] = 42.3 + 8.8 * urand();
		}
		else
		{
			plon[i] = spot[i % 5][0];
			plat[i] = spot[i % 5][1];
		}
		pid[i] = 7 * (int64_t) (NP - i) + 3;	/* ids against input order */
	}
	for (int u = 0; u < NU; u++)
	{
		ulon[u] = -5.5 + 14.5 * urand();
		ulat[u] = 41.5 + 10.0 * urand();
	}
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(NU, ulon, ulat, NP, pid, plon, plat, NULL, ni, nd, si, sd, &err) == SR_OK,
			 "nearest over 400 units x 20,000 premises at 5 places and 1,000 others");
	for (int u = 0; u < NU; u++)
	{
		double		best = INFINITY;
		int64_t		bid = 0;

		for (int i = 0; i < NP; i++)
		{
			double		d = sr_cov_haversine_km(ulon[u], ulat[u], plon[i], plat[i]);

			if (d < best || (d == best && pid[i] < bid))
			{
				best = d;
				bid = pid[i];
			}
		}
		if (ni[u] != bid || nd[u] != best)
			bad++;
	}
	SR_CHECK(bad == 0, "premises sharing a place: the brute-force scan's nearest, the lowest id of the place");
	free(ulon);
	free(ulat);
	free(plon);
	free(plat);
	free(nd);
	free(sd);
	free(pid);
	free(ni);
	free(si);
}

/* Cancel: CPU time between two interrupt checks of the search on 1,000,000
 * premises (the trees' build is the long part).  Thread CPU time, so that a
 * loaded machine does not change the figure. */
static void
test_interrupts(void)
{
	int64_t		np = 1000000;
	double	   *plon = malloc(sizeof(double) * np),
			   *plat = malloc(sizeof(double) * np),
				ulon[10],
				ulat[10],
				nd[10],
				sd[10];
	int64_t    *pid = malloc(sizeof(int64_t) * np),
				ni[10],
				si[10];
	bool	   *pst = malloc(sizeof(bool) * np);
	sr_err		err;
	sr_status	st;
	double		t0;
	char		desc[160];

	for (int64_t i = 0; i < np; i++)
	{
		plon[i] = -180 + 360 * urand();
		plat[i] = -90 + 180 * urand();
		pid[i] = i + 1;
		pst[i] = i % 3 == 0;
	}
	for (int u = 0; u < 10; u++)
	{
		ulon[u] = 2.0 + u;
		ulat[u] = 45.0;
	}
	sr_err_clear(&err);
	sr_set_handlers(NULL, NULL, NULL, sr_gap_interrupt);
	t0 = sr_gap_start();
	st = sr_cov_nearest(10, ulon, ulat, np, pid, plon, plat, pst, ni, nd, si, sd, &err);
	sr_gap_interrupt();
	sr_set_handlers(NULL, NULL, NULL, NULL);
	snprintf(desc, sizeof(desc), "nearest over 1,000,000 premises checks for interrupts at least every 50 ms of CPU (max gap %.1f ms of %.0f ms)",
			 sr_gap_max_ms(), sr_cpu_ms() - t0);
	SR_CHECK(st == SR_OK && ni[0] > 0 && sr_gap_max_ms() < 50, desc);
	free(plon);
	free(plat);
	free(pid);
	free(pst);
}

static void
test_travel(void)
{
	const char *codes[] = {"69123", "35238", "35001"};
	int64_t		pid[] = {7, 3, 9};
	bool		pst[] = {false, false, true};
	const char *pu[] = {"69123", "69123", "35238", "35238", "35238", "99999", "69123"};
	int64_t		pp[] = {7, 3, 7, 3, 9, 7, 42};
	double		pm[] = {25, 12, 8, 8, 4, 1, 0};
	int64_t		ni[3],
				si[3];
	double		nd[3],
				sd[3];
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_cov_travel(3, codes, 3, pid, pst, 7, pu, pp, pm, ni, nd, si, sd, &err) == SR_OK, "travel times");
	SR_CHECK(ni[0] == 3 && nd[0] == 12, "69123: premise 3 at 12 min (unknown premise 42 skipped)");
	SR_CHECK(ni[1] == 3 && nd[1] == 8, "35238: tie at 8 min goes to the lower id 3");
	SR_CHECK(si[1] == 9 && sd[1] == 4, "35238: station 9 at 4 min, counted apart");
	SR_CHECK(isnan(nd[2]) && isnan(sd[2]), "35001: no pair, none");
	pm[0] = -1;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_travel(3, codes, 3, pid, pst, 7, pu, pp, pm, ni, nd, si, sd, &err) == SR_EDATA,
			 "negative minutes are SR_EDATA");
	pm[0] = 25;
	codes[2] = "69123";
	sr_err_clear(&err);
	SR_CHECK(sr_cov_travel(3, codes, 3, pid, pst, 7, pu, pp, pm, ni, nd, si, sd, &err) == SR_EDATA,
			 "duplicate unit code is SR_EDATA");
}

/* the units' rules, and the nearest of all (ordinary or station), by hand */
static void
test_units_and_all(void)
{
	const char *codes[] = {"35001", "35002", "35003"};
	double		pop[] = {100, 0, 250},
				lon[] = {-1.6, -1.7, -1.8},
				lat[] = {48.1, 48.2, 48.3};
	bool		given[] = {true, false, true};
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_OK, "three units pass");
	SR_CHECK(sr_cov_check_units(3, codes, NULL, NULL, NULL, NULL, &err) == SR_OK,
			 "without populations or locations (travel times) they pass");
	/* a population not given is not read (its value here is anything) */
	pop[1] = NAN;
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_OK, "a population not given is not read");
	pop[2] = NAN;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_EDATA &&
			 strstr(err.msg, "population of unit \"35003\" must be a finite number >= 0, got NaN") != NULL,
			 "a NaN population is SR_EDATA, naming the unit");
	pop[2] = INFINITY;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_EDATA &&
			 strstr(err.msg, "got Infinity") != NULL, "an infinite population is SR_EDATA");
	pop[2] = -5;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_EDATA &&
			 strstr(err.msg, "got -5") != NULL, "a negative population is SR_EDATA");
	pop[2] = 250;
	lat[1] = NAN;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_EDATA &&
			 strstr(err.msg, "unit \"35002\" has no location") != NULL,
			 "without travel times a unit without location is SR_EDATA");
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, NULL, NULL, &err) == SR_OK,
			 "with travel times a unit needs no location");
	lat[1] = 91;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_ERANGE &&
			 strstr(err.msg, "unit \"35002\" has coordinates") != NULL, "latitude 91 is SR_ERANGE, naming the code");
	lat[1] = 48.2;
	codes[2] = "35001";
	sr_err_clear(&err);
	SR_CHECK(sr_cov_check_units(3, codes, pop, given, lon, lat, &err) == SR_EDATA &&
			 strstr(err.msg, "unit \"35001\" appears more than once") != NULL,
			 "a unit listed twice is SR_EDATA in distance mode too");

	/* the nearest of all: the smaller distance; at a tie the lower id, whichever
	 * kind it is; one side missing (NaN) gives the other; both missing, none */
	{
		int64_t		ni[] = {5, 5, 2, 7, 0, 4},
					si[] = {2, 9, 5, 0, 8, 0},
					ai[6];
		double		nd[] = {10, 10, 10, 3, NAN, NAN},
					sd[] = {10, 10, 4, NAN, 6, NAN},
					ad[6];

		sr_cov_nearest_of_all(6, ni, nd, si, sd, ai, ad);
		SR_CHECK(ai[0] == 2 && ad[0] == 10, "tie 10 km: station 2 before ordinary 5 (lower id)");
		SR_CHECK(ai[1] == 5 && ad[1] == 10, "tie 10 km: ordinary 5 before station 9");
		SR_CHECK(ai[2] == 5 && ad[2] == 4, "station 5 at 4 km before ordinary 2 at 10 km");
		SR_CHECK(ai[3] == 7 && ad[3] == 3, "no station: the ordinary premise");
		SR_CHECK(ai[4] == 8 && ad[4] == 6, "no ordinary premise: the station");
		SR_CHECK(isnan(ad[5]), "neither: none");
	}
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_haversine();
	test_brute_force();
	test_equal_places();
	test_interrupts();
	test_travel();
	test_units_and_all();
	return SR_TEST_END();
}
