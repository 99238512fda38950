/*
 * solar_core_bench.c — speed of the pure C solar core (no server), built by
 * bench/solar.sh with the project's flags (-O2).  Prints RESULT lines.
 */
#include "sr_solar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* CPU time of this process: "per core" figures that do not depend on how
 * busy the (shared) machine is; wall-clock is printed alongside. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double
wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main(void)
{
	const int	n = 2000000;
	double		t0,
				dt,
				sink = 0.0;
	sr_err		err;
	const double base = 1609459200.0;	/* 2021-01-01 00:00 UTC */

	/* 1. one-shot SPA, a different instant and site every call */
	double		w0 = wall();

	t0 = now();
	for (int i = 0; i < n; i++)
	{
		sr_solpos	p;

		sr_sun_position(base + i * 15.77, 40.0 + (i % 10) * 0.5, 5.0 - (i % 7),
						0, 1013.25, 12, 69, &p, &err);
		sink += p.apparent_zenith;
	}
	dt = now() - t0;
	printf("RESULT solar core_spa_positions_per_s %.0f positions/s\n", n / dt);
	printf("# core one-shot SPA, wall clock: %.0f positions/s\n", n / (wall() - w0));
	printf("# core one-shot SPA: %.0f ns per position\n", dt / n * 1e9);

	/* 2. time part alone, site part alone */
	{
		sr_spa_time t;

		t0 = now();
		for (int i = 0; i < n; i++)
		{
			sr_spa_time_init(base + i * 15.77, 69, &t, &err);
			sink += t.alpha;
		}
		dt = now() - t0;
		printf("# core SPA time part: %.0f ns\n", dt / n * 1e9);
		t0 = now();
		for (int i = 0; i < n; i++)
		{
			sr_solpos	p;

			sr_spa_site(&t, 40.0 + (i % 10) * 0.5, 5.0 - (i % 7), 0, 1013.25, 12, &p);
			sink += p.azimuth;
		}
		dt = now() - t0;
		printf("# core SPA site part (sr_spa_site, constants per call): %.0f ns\n", dt / n * 1e9);
	}

	/* 3. grid: 1000 sites x 8760 hours */
	{
		int			ns = 1000,
					nt = 8760;
		double	   *ts = malloc(sizeof(double) * nt);
		double	   *lat = malloc(sizeof(double) * ns);
		double	   *lon = malloc(sizeof(double) * ns);
		sr_solpos  *out = malloc(sizeof(sr_solpos) * ns);

		for (int j = 0; j < ns; j++)
		{
			lat[j] = 42.0 + (j % 100) * 0.07;
			lon[j] = -4.0 + (j / 100) * 1.1;
		}
		for (int i = 0; i < nt; i++)
			ts[i] = base + i * 3600.0 + 1800.0;
		/* as the SQL bulk forms do: site constants once, then per instant
		 * the time part and the fast site part for every site */
		t0 = now();
		{
			sr_spa_site_pre *pre = malloc(sizeof(sr_spa_site_pre) * ns);

			for (int j = 0; j < ns; j++)
				sr_spa_site_prepare(lat[j], lon[j], 0, 1013.25, 12, &pre[j]);
			for (int i = 0; i < nt; i++)
			{
				sr_spa_time t;
				sr_spa_time_pre q;

				sr_spa_time_init(ts[i], 69, &t, &err);
				sr_spa_time_prepare(&t, &q);
				for (int j = 0; j < ns; j++)
					sr_spa_site_fast(&q, &pre[j], &out[j]);
				sink += out[ns / 2].azimuth;
			}
			free(pre);
		}
		dt = now() - t0;
		printf("RESULT solar core_grid_positions_per_s %.0f positions/s\n", (double) ns * nt / dt);
		printf("# core grid 1000 sites x 8760 h: %.3f s\n", dt);
		free(ts);
		free(lat);
		free(lon);
		free(out);
	}

	/* 4. Perez transposition */
	t0 = now();
	for (int i = 0; i < n; i++)
	{
		sr_poa		p;

		sr_poa_irradiance_nocheck(30, 180, 20 + (i % 60), 90 + (i % 180), i % 900,
								  300 + (i % 600), 50 + (i % 200), 1400, NAN, 0.2,
								  SR_POA_PEREZ, &p);
		sink += p.poa_global;
	}
	dt = now() - t0;
	printf("RESULT solar core_perez_per_s %.0f transpositions/s\n", n / dt);
	printf("# checksum %g\n", sink);
	return 0;
}
