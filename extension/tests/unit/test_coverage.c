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
			   *sd = malloc(sizeof(double) * NU),
			   *ad = malloc(sizeof(double) * NU);
	int64_t    *pid = malloc(sizeof(int64_t) * NP),
			   *ni = malloc(sizeof(int64_t) * NU),
			   *si = malloc(sizeof(int64_t) * NU),
			   *ai = malloc(sizeof(int64_t) * NU);
	bool	   *pst = malloc(sizeof(bool) * NP);
	sr_err		err;
	int			bad_near = 0,
				bad_station = 0,
				bad_all = 0;

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
	SR_CHECK(sr_cov_nearest(NU, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, ai, ad, &err) == SR_OK,
			 "nearest over 3000 units x 700 premises");
	for (int u = 0; u < NU; u++)
	{
		/* the documented rule: the smallest haversine distance of the kind
		 * (2: of all), then the lowest id within SR_COV_TIE of it */
		double		least[3] = {INFINITY, INFINITY, INFINITY},
					best[3] = {NAN, NAN, NAN};
		int64_t		bid[3] = {0, 0, 0};

		if (u == 17)
			continue;
		for (int i = 0; i < NP; i++)
		{
			double		d = sr_cov_haversine_km(ulon[u], ulat[u], plon[i], plat[i]);

			least[pst[i]] = fmin(least[pst[i]], d);
			least[2] = fmin(least[2], d);
		}
		for (int i = 0; i < NP; i++)
		{
			double		d = sr_cov_haversine_km(ulon[u], ulat[u], plon[i], plat[i]);

			for (int k = 0; k < 3; k++)
				if ((k == 2 || k == pst[i]) && d <= least[k] + SR_COV_TIE && (bid[k] == 0 || pid[i] < bid[k]))
				{
					best[k] = d;
					bid[k] = pid[i];
				}
		}
		if (ni[u] != bid[0] || nd[u] != best[0])
			bad_near++;
		if (si[u] != bid[1] || sd[u] != best[1])
			bad_station++;
		if (ai[u] != bid[2] || ad[u] != best[2])
			bad_all++;
	}
	SR_CHECK(bad_near == 0, "nearest ordinary premise equals the brute-force scan (ties to the lower id), distance too");
	SR_CHECK(bad_station == 0, "nearest station equals the brute-force scan");
	SR_CHECK(bad_all == 0, "nearest of all equals the brute-force scan over both kinds");
	SR_CHECK(isnan(nd[17]) && isnan(sd[17]) && ni[17] == 0 && si[17] == 0, "a unit without location gets none");

	/* no station at all: station results are none */
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, NULL, ni, nd, si, sd, ai, ad, &err) == SR_OK
			 && isnan(sd[0]) && si[0] == 0 && !isnan(nd[0]), "without a station flag every premise is ordinary");
	/* no premise at all */
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, 0, pid, plon, plat, NULL, ni, nd, si, sd, ai, ad, &err) == SR_OK
			 && isnan(nd[0]), "no premise: none");

	/* errors */
	pid[5] = pid[6];
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, ai, ad, &err) == SR_EDATA,
			 "duplicate premise id is SR_EDATA");
	SR_CHECK(strstr(err.msg, "appears more than once") != NULL, "message names the duplicate");
	pid[5] = 995;
	plat[3] = NAN;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, ai, ad, &err) == SR_EDATA,
			 "premise without location is SR_EDATA");
	plat[3] = 95;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_nearest(5, ulon, ulat, NP, pid, plon, plat, pst, ni, nd, si, sd, ai, ad, &err) == SR_ERANGE,
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
	free(ai);
	free(ad);
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
			   *sd = malloc(sizeof(double) * NU),
			   *ad = malloc(sizeof(double) * NU);
	int64_t    *pid = malloc(sizeof(int64_t) * NP),
			   *ni = malloc(sizeof(int64_t) * NU),
			   *si = malloc(sizeof(int64_t) * NU),
			   *ai = malloc(sizeof(int64_t) * NU);
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
	SR_CHECK(sr_cov_nearest(NU, ulon, ulat, NP, pid, plon, plat, NULL, ni, nd, si, sd, ai, ad, &err) == SR_OK,
			 "nearest over 400 units x 20,000 premises at 5 places and 1,000 others");
	for (int u = 0; u < NU; u++)
	{
		double		least = INFINITY,
					best = NAN;
		int64_t		bid = 0;

		for (int i = 0; i < NP; i++)
			least = fmin(least, sr_cov_haversine_km(ulon[u], ulat[u], plon[i], plat[i]));
		for (int i = 0; i < NP; i++)
		{
			double		d = sr_cov_haversine_km(ulon[u], ulat[u], plon[i], plat[i]);

			if (d <= least + SR_COV_TIE && (bid == 0 || pid[i] < bid))
			{
				best = d;
				bid = pid[i];
			}
		}
		if (ni[u] != bid || nd[u] != best || ai[u] != bid || ad[u] != best)
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
	free(ai);
	free(ad);
}

/*
 * Exact symmetric scenes: two premises at mathematically equal distances
 * from a unit, the lower id being either of the two (each scene twice, ids
 * swapped).  The docs promise the lower id wins a tie; before, the k-d tree
 * compared the chords of unit vectors, whose last bits differ between the
 * two sides, and rounding decided.  Scenes: mirrored across the unit's
 * meridian (dyadic degrees: the inputs themselves are exactly symmetric),
 * along the meridian north and south, and a point reflection through a unit
 * on the equator; for each kind (ordinary, station) and for the nearest of
 * all (one ordinary and one station at the same distance).
 */
static int
sym_winner(double ulon, double ulat, const double *plon, const double *plat, const int64_t *pid,
		   const bool *pst, int kind, int64_t *got)
{
	int64_t		ni,
				si,
				ai;
	double		nd,
				sd,
				ad;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_cov_nearest(1, &ulon, &ulat, 2, pid, plon, plat, pst, &ni, &nd, &si, &sd, &ai, &ad, &err) != SR_OK)
		return 0;
	*got = kind == 0 ? ni : kind == 1 ? si : ai;
	return 1;
}

static void
test_symmetric_ties(void)
{
	static const double lon0[] = {2.5, -1.75, 7.125, 170.5, -0.375};
	static const double lat0[] = {45.25, 48.5, 43.75, -33.5, 51.125};
	static const double off[] = {0.125, 0.0625, 0.5, 0.001953125, 1.25, 3.0517578125e-05};
	int			scenes = 0,
				wrong = 0;
	double		gap = 0;		/* largest difference of the two computed distances */
	char		desc[200];

	for (int a = 0; a < 5; a++)
		for (int b = 0; b < 6; b++)
			for (int shape = 0; shape < 3; shape++)
				for (int kind = 0; kind < 3; kind++)
					for (int swap = 0; swap < 2; swap++)
					{
						double		ulon = lon0[a],
									ulat = shape == 2 ? 0.0 : lat0[a],
									plon[2],
									plat[2];
						int64_t		pid[2] = {swap ? 11 : 12, swap ? 12 : 11},
									got = -1;
						bool		pst[2] = {kind == 1, kind >= 1};

						if (shape == 0)
						{
							/* mirrored across the unit's meridian, a little north */
							plon[0] = ulon - off[b];
							plon[1] = ulon + off[b];
							plat[0] = plat[1] = ulat + off[(b + 1) % 6];
						}
						else if (shape == 1)
						{
							/* north and south along the meridian */
							plon[0] = plon[1] = ulon;
							plat[0] = ulat - off[b];
							plat[1] = ulat + off[b];
						}
						else
						{
							/* point reflection through a unit on the equator */
							plon[0] = ulon - off[b];
							plat[0] = -off[(b + 2) % 6];
							plon[1] = ulon + off[b];
							plat[1] = off[(b + 2) % 6];
						}
						scenes++;
						gap = fmax(gap, fabs(sr_cov_haversine_km(ulon, ulat, plon[0], plat[0]) -
										 sr_cov_haversine_km(ulon, ulat, plon[1], plat[1])));
						if (!sym_winner(ulon, ulat, plon, plat, pid, pst, kind, &got) || got != 11)
							wrong++;
					}
	snprintf(desc, sizeof(desc), "exact symmetric scenes: the lower id wins the tie (%d of %d scenes decided otherwise)",
			 wrong, scenes);
	SR_CHECK(wrong == 0, desc);
	/* the rounding the tie absorbs, a thousandth of it at most */
	snprintf(desc, sizeof(desc), "symmetric distances differ by %.2g km at most once computed, below SR_COV_TIE / 1000", gap);
	SR_CHECK(gap > 0 && gap < SR_COV_TIE / 1000, desc);
}

/* spin for ms of thread CPU time */
static void
spin_ms(double ms)
{
	double		t = sr_cpu_ms();

	while (sr_cpu_ms() - t < ms)
		;
}

/* The meter of the cancel tests (sr_test.h) on stretches of known CPU: a
 * stretch lengthened in one run only (a loaded moment) is taken at its
 * least, one long in every run (work without a check) is not. */
static void
test_gap_meter(void)
{
	/* run 1: 5, 60, 5 ms; run 2: 5, 5, 5 ms: the second run decides */
	sr_gap_begin();
	for (int run = 0;; run++)
	{
		sr_gap_start();
		spin_ms(5);
		sr_gap_interrupt();
		spin_ms(run == 0 ? 60 : 5);
		sr_gap_interrupt();
		spin_ms(5);
		sr_gap_interrupt();
		if (!sr_gap_again(50))
			break;
	}
	SR_CHECK(sr_gap_state()->run == 2 && sr_gap_max_ms() >= 5 && sr_gap_max_ms() < 10,
			 "gap meter: a 60 ms stretch in one run of two is taken at its 5 ms in the other");
	/* a 60 ms stretch in every run: three runs, still 60 ms; and a spike
	 * of another stretch in each run does not hide or add to it */
	sr_gap_begin();
	for (int run = 0;; run++)
	{
		sr_gap_start();
		spin_ms(run == 1 ? 70 : 5);
		sr_gap_interrupt();
		spin_ms(60);
		sr_gap_interrupt();
		spin_ms(run == 2 ? 70 : 5);
		sr_gap_interrupt();
		if (!sr_gap_again(50))
			break;
	}
	SR_CHECK(sr_gap_state()->run == SR_GAP_RUNS && sr_gap_max_ms() >= 60 && sr_gap_max_ms() < 65,
			 "gap meter: a 60 ms stretch in every run stays 60 ms after 3 runs (the others' spikes taken at 5 ms)");
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
				sd[10],
				ad[10];
	int64_t    *pid = malloc(sizeof(int64_t) * np),
				ni[10],
				si[10],
				ai[10];
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
	sr_gap_begin();
	do
	{
		t0 = sr_gap_start();
		st = sr_cov_nearest(10, ulon, ulat, np, pid, plon, plat, pst, ni, nd, si, sd, ai, ad, &err);
		sr_gap_interrupt();
		/* (again: each stretch at its least over the runs, sr_test.h) */
	} while (sr_gap_again(50) && st == SR_OK);
	sr_set_handlers(NULL, NULL, NULL, NULL);
	snprintf(desc, sizeof(desc), "nearest over 1,000,000 premises checks for interrupts at least every 50 ms of CPU (max gap %.1f ms of %.0f ms, %d run(s))",
			 sr_gap_max_ms(), sr_cpu_ms() - t0, sr_gap_state()->run);
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
				si[3],
				ai[3];
	double		nd[3],
				sd[3],
				ad[3];
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_cov_travel(3, codes, 3, pid, pst, 7, pu, pp, pm, ni, nd, si, sd, ai, ad, &err) == SR_OK, "travel times");
	SR_CHECK(ni[0] == 3 && nd[0] == 12, "69123: premise 3 at 12 min (unknown premise 42 skipped)");
	SR_CHECK(ni[1] == 3 && nd[1] == 8, "35238: tie at 8 min goes to the lower id 3");
	SR_CHECK(si[1] == 9 && sd[1] == 4, "35238: station 9 at 4 min, counted apart");
	SR_CHECK(isnan(nd[2]) && isnan(sd[2]), "35001: no pair, none");
	pm[0] = -1;
	sr_err_clear(&err);
	SR_CHECK(sr_cov_travel(3, codes, 3, pid, pst, 7, pu, pp, pm, ni, nd, si, sd, ai, ad, &err) == SR_EDATA,
			 "negative minutes are SR_EDATA");
	pm[0] = 25;
	codes[2] = "69123";
	sr_err_clear(&err);
	SR_CHECK(sr_cov_travel(3, codes, 3, pid, pst, 7, pu, pp, pm, ni, nd, si, sd, ai, ad, &err) == SR_EDATA,
			 "duplicate unit code is SR_EDATA");
}

/*
 * The nearest of all and near-ties of travel times, by hand: the smaller
 * time; at a tie the lower id, whichever kind it is; one side missing gives
 * the other; both missing, none.  Near-ties: 0.1 + 0.2 minutes (a route's
 * sum, 0.30000000000000004) ties 0.3, so the lower id wins (before, 0.3 won
 * whatever its id); 2e-9 minutes more is no tie; and the limit is measured
 * from the smallest time, not chained (1 + 1.6e-9 does not tie 1, though it
 * ties 1 + 0.8e-9).  Ordinary premises 5, 7, 12; stations 2, 8, 9, 15.
 */
static void
test_nearest_of_all(void)
{
	const char *codes[] = {"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"};
	int64_t		pid[] = {5, 7, 12, 2, 8, 9, 15};
	bool		pst[] = {false, false, false, true, true, true, true};
	double		sum = 0.1;
	const char *pu[] = {"u0", "u0", "u1", "u1", "u2", "u2", "u3", "u4",
		"u6", "u6", "u7", "u7", "u8", "u8", "u9", "u9", "u10", "u10", "u10"};
	int64_t		pp[] = {5, 2, 5, 9, 12, 15, 7, 8,
		5, 2, 5, 9, 12, 7, 5, 7, 5, 2, 7};
	double		pm[19];
	int64_t		ni[11],
				si[11],
				ai[11];
	double		nd[11],
				sd[11],
				ad[11];
	sr_err		err;

	sum += 0.2;					/* 0.30000000000000004 */
	{
		double		v[] = {10, 10, 10, 10, 10, 4, 3, 6,
			sum, 0.3, 0.3, sum, 0.3, sum, 20 + 2e-9, 20, 1 + 0.8e-9, 1 + 1.6e-9, 1};

		memcpy(pm, v, sizeof(pm));
	}
	sr_err_clear(&err);
	SR_CHECK(sr_cov_travel(11, codes, 7, pid, pst, 19, pu, pp, pm, ni, nd, si, sd, ai, ad, &err) == SR_OK,
			 "nearest of all by travel time");
	SR_CHECK(ai[0] == 2 && ad[0] == 10, "tie 10 min: station 2 before ordinary 5 (lower id)");
	SR_CHECK(ai[1] == 5 && ad[1] == 10, "tie 10 min: ordinary 5 before station 9");
	SR_CHECK(ai[2] == 15 && ad[2] == 4, "station 15 at 4 min before ordinary 12 at 10 min");
	SR_CHECK(ai[3] == 7 && ad[3] == 3 && si[3] == 0, "no station: the ordinary premise");
	SR_CHECK(ai[4] == 8 && ad[4] == 6 && ni[4] == 0, "no ordinary premise: the station");
	SR_CHECK(ai[5] == 0 && isnan(ad[5]), "neither: none");
	SR_CHECK(ai[6] == 2 && ad[6] == 0.3, "0.1 + 0.2 min ties 0.3: station 2 before ordinary 5");
	SR_CHECK(ai[7] == 5 && ad[7] == 0.3, "0.3 ties 0.1 + 0.2 min: ordinary 5 before station 9");
	SR_CHECK(ni[8] == 7 && nd[8] == sum, "0.1 + 0.2 min ties 0.3 among ordinary premises: 7 before 12");
	SR_CHECK(ni[9] == 7 && nd[9] == 20, "2e-9 min more is no tie: 7 at 20 min before 5");
	SR_CHECK(ni[10] == 5 && si[10] == 2 && ai[10] == 5 && ad[10] == 1 + 0.8e-9,
			 "ties measured from the smallest time: station 2 at 1 + 1.6e-9 min does not tie ordinary 7 at 1");
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

	test_nearest_of_all();
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_haversine();
	test_brute_force();
	test_equal_places();
	test_symmetric_ties();
	test_gap_meter();
	test_interrupts();
	test_travel();
	test_units_and_all();
	return SR_TEST_END();
}
