/*
 * cadastre_core.c — core benchmark of the solar cadastre (no server):
 * builds the cumulative sky of an EPW file, then times
 * sr_plane_irradiation (surfaces per second, open and under random 72-sector
 * horizons; the fast path and, in the same run, the brute-force integration
 * sr_plane_irradiation_reference on 2,000 of them; "sql core": what
 * smartregion.surface_irradiation does per row with a horizon, the shaded
 * monthly values plus the open annual for the shading loss, one pass:
 * sr_plane_irradiation_shading) and the
 * hour-by-hour reference sr_plane_irradiation_hourly.
 * Writes the hourly inputs (apparent zenith, azimuth, GHI, DHI, day of year)
 * for the numpy peer.  Usage: cadastre_core file.epw n_surfaces out.f64
 */
#include "sr_cadastre.h"
#include "sr_solar.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

/* the shaded loop on a share of the surfaces, for the two-core figure */
typedef struct job
{
	const sr_sky_prep *p;
	const double *tilt, *az;
	const float *hor;
	int			from, to;
	int			shading;		/* 1: the SQL function's core (shaded months +
								 * open annual) */
	double		acc;
} job;

static void *
run_job(void *arg)
{
	job		   *j = arg;
	int			i;

	for (i = j->from; i < j->to; i++)
	{
		sr_irradiation o;
		double		oa = 0.0;

		if (j->shading)
			sr_plane_irradiation_shading(j->p, j->tilt[i], j->az[i], j->hor + 72 * (i & 1023), 0.25, &o, &oa);
		else
			sr_plane_irradiation(j->p, j->tilt[i], j->az[i], j->hor + 72 * (i & 1023), 0.25, &o);
		j->acc += o.annual + oa;
	}
	return NULL;
}

static unsigned long long rng = 12345;
static double
urand(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double) (rng >> 11) / 9007199254740992.0;
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	char	   *buf;
	long		len;
	sr_epw_location loc;
	sr_epw_record *r;
	sr_weather_rec *w;
	sr_sky_hdr *sky;
	sr_sky_prep *p;
	size_t		sz;
	sr_err		err;
	int			n, i, k, ns = argc > 2 ? atoi(argv[2]) : 1000000;
	double		t0, t_sky, t_open, t_shaded, t_annual, t_hourly, t_ref, t_sql, acc = 0;
	double		t_flat = 0, t_tilted = 0, t_two, t_two_sql;
	int			n_flat = 0;
	float	   *hor;
	int			nh = 20, nref = 2000;

	if (argc < 4)
	{
		fprintf(stderr, "usage: %s file.epw n_surfaces out.f64\n", argv[0]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f)
		return 1;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len + 1);
	if (fread(buf, 1, len, f) != (size_t) len)
		return 1;
	fclose(f);
	if (sr_epw_parse(buf, len, &loc, &r, &n, &err) != SR_OK)
	{
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	w = malloc(sizeof(*w) * n);
	for (i = 0; i < n; i++)
	{
		w[i].unix_s = r[i].ts;
		w[i].ghi = r[i].ghi;
		w[i].dni = r[i].dni;
		w[i].dhi = r[i].dhi;
	}
	t0 = now();
	if (sr_sky_build(w, n, loc.lat, loc.lon, loc.elevation, &sky, &sz, &err) != SR_OK ||
		sr_sky_prepare(sky, 72, &p, &err) != SR_OK)
	{
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	t_sky = now() - t0;

	/* random planes and horizons, generated before timing */
	hor = malloc(sizeof(float) * 72 * 1024);
	for (i = 0; i < 72 * 1024; i++)
		hor[i] = (float) ((i / 72) % 4 == 0 ? 0.0 : urand() * urand() * 40.0);
	{
		double	   *tilt = malloc(sizeof(double) * ns), *az = malloc(sizeof(double) * ns);

		for (i = 0; i < ns; i++)
		{
			/* a roof mix: 40 % flat, the rest 15-50 deg any orientation */
			tilt[i] = urand() < 0.4 ? 0.0 : 15 + 35 * urand();
			az[i] = 360 * urand();
		}
		t0 = now();
		for (i = 0; i < ns; i++)
		{
			sr_irradiation o;

			sr_plane_irradiation(p, tilt[i], az[i], NULL, 0.25, &o);
			acc += o.annual;
		}
		t_open = now() - t0;
		t0 = now();
		for (i = 0; i < ns; i++)
		{
			sr_irradiation o;

			sr_plane_irradiation(p, tilt[i], az[i], hor + 72 * (i & 1023), 0.25, &o);
			acc += o.annual;
		}
		t_shaded = now() - t0;
		/* the same shaded loop, flat and tilted planes timed apart */
		for (i = 0; i < ns; i++)
		{
			sr_irradiation o;
			double		t1 = now();

			sr_plane_irradiation(p, tilt[i], az[i], hor + 72 * (i & 1023), 0.25, &o);
			acc += o.annual;
			if (tilt[i] == 0)
			{
				t_flat += now() - t1;
				n_flat++;
			}
			else
				t_tilted += now() - t1;
		}
		{
			/* both cores: two threads, half of the surfaces each */
			pthread_t	th[2];
			job			jb[2];
			int			q;

			int			sh;

			for (sh = 0; sh < 2; sh++)
			{
				t0 = now();
				for (q = 0; q < 2; q++)
				{
					jb[q] = (job) {p, tilt, az, hor, q * ns / 2, (q + 1) * ns / 2, sh, 0.0};
					pthread_create(&th[q], NULL, run_job, &jb[q]);
				}
				for (q = 0; q < 2; q++)
				{
					pthread_join(th[q], NULL);
					acc += jb[q].acc;
				}
				if (sh)
					t_two_sql = now() - t0;
				else
					t_two = now() - t0;
			}
		}
		t0 = now();
		for (i = 0; i < ns; i++)
			acc += sr_plane_irradiation_annual(p, tilt[i], az[i], hor + 72 * (i & 1023), 0.25);
		t_annual = now() - t0;
		t0 = now();
		for (i = 0; i < nref; i++)
		{
			sr_irradiation o;

			sr_plane_irradiation_reference(p, tilt[i], az[i], hor + 72 * (i & 1023), 0.25, 1, &o);
			acc += o.annual;
		}
		t_ref = (now() - t0) * ns / nref;	/* per-surface time of the brute force */
		t0 = now();
		for (i = 0; i < ns; i++)
		{
			sr_irradiation o;

			double		oa;

			sr_plane_irradiation_shading(p, tilt[i], az[i], hor + 72 * (i & 1023), 0.25, &o, &oa);
			acc += o.annual + oa;
		}
		t_sql = now() - t0;
		t0 = now();
		for (i = 0; i < nh; i++)
		{
			sr_irradiation o;

			sr_plane_irradiation_hourly(w, n, loc.lat, loc.lon, loc.elevation, tilt[i], az[i],
										hor + 72 * (i & 1023), 72, 0.25, &o, &err);
			acc += o.annual;
		}
		t_hourly = (now() - t0) / nh;
	}
	/* hourly inputs for the numpy peer: zenith, azimuth, ghi, dhi, doy */
	f = fopen(argv[3], "wb");
	for (i = 0; i < n; i++)
	{
		sr_solpos sp;
		double		row[5];
		time_t		tt = (time_t) (w[i].unix_s - 1800);
		struct tm	tm;

		sr_sun_position(w[i].unix_s - 1800, loc.lat, loc.lon, loc.elevation,
						1013.25 * pow(1 - 2.25577e-5 * loc.elevation, 5.25588), 12, 69, &sp, &err);
		gmtime_r(&tt, &tm);
		row[0] = sp.apparent_zenith;
		row[1] = sp.azimuth;
		row[2] = w[i].ghi;
		row[3] = w[i].dhi;
		row[4] = tm.tm_yday + 1;
		fwrite(row, sizeof(double), 5, f);
	}
	fclose(f);
	k = sky->n_sun;
	printf("sky_build_s %.4f suns %d surfaces %d open_per_s %.0f shaded_per_s %.0f annual_only_shaded_per_s %.0f reference_shaded_per_s %.0f sql_core_per_s %.0f hourly_ms_per_surface %.3f flat_shaded_per_s %.0f tilted_shaded_per_s %.0f two_cores_shaded_per_s %.0f two_cores_sql_core_per_s %.0f check %.6g\n",
		   t_sky, k, ns, ns / t_open, ns / t_shaded, ns / t_annual, ns / t_ref, ns / t_sql, 1000 * t_hourly,
		   n_flat / t_flat, (ns - n_flat) / t_tilted, ns / t_two, ns / t_two_sql, acc);
	return 0;
}
