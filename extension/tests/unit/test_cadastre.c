/*
 * test_cadastre.c — unit tests of the solar cadastre core: roof planes of
 * known planes, analytic and brute-force horizons, Perez split against
 * pvlib's published test values, sky vs hour-by-hour agreement, energy
 * conservation of the reconciliation (flat unshaded roof = annual GHI).
 */
#include "sr_test.h"
#include "sr_cadastre.h"
#include "sr_pv.h"
#include "sr_solar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* deterministic LCG */
static unsigned long long rng = 42;
static double
urand(void)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double) (rng >> 11) / 9007199254740992.0;
}

/* plane z = a x + b y + c over a rectangle: tilt atan(|grad|), faces -grad */
static void
test_planes(void)
{
	double		xyz[5 * 3];
	int			npts[1] = {5};
	sr_poly3	p = {1, npts, xyz};
	sr_plane	pl;
	sr_err		err;
	double		corners[5][2] = {{0, 0}, {10, 0}, {10, 6}, {0, 6}, {0, 0}};
	int			i;

	/* horizontal */
	for (i = 0; i < 5; i++)
	{
		xyz[3 * i] = corners[i][0];
		xyz[3 * i + 1] = corners[i][1];
		xyz[3 * i + 2] = 12.0;
	}
	SR_CHECK(sr_roof_plane_fit(&p, &pl, &err) == SR_OK, "flat face fits");
	SR_CHECK_CLOSE(pl.tilt, 0.0, 1e-9, "flat tilt 0");
	SR_CHECK_CLOSE(pl.azimuth, 180.0, 1e-9, "flat azimuth convention 180");
	SR_CHECK_CLOSE(pl.area_3d, 60.0, 1e-9, "flat area 60");

	/* rising to the north at 30 deg: faces south */
	for (i = 0; i < 5; i++)
		xyz[3 * i + 2] = 5.0 + corners[i][1] * tan(30 * SR_DEG2RAD);
	SR_CHECK(sr_roof_plane_fit(&p, &pl, &err) == SR_OK, "south face fits");
	SR_CHECK_CLOSE(pl.tilt, 30.0, 1e-9, "south face tilt 30");
	SR_CHECK_CLOSE(pl.azimuth, 180.0, 1e-9, "south face azimuth 180");
	SR_CHECK_CLOSE(pl.area_3d, 60.0 / cos(30 * SR_DEG2RAD), 1e-9, "south face true area = 60/cos 30");
	SR_CHECK_CLOSE(pl.area_2d, 60.0, 1e-9, "south face projected area 60");

	/* rising to the east at 45 deg: faces west (270) */
	for (i = 0; i < 5; i++)
		xyz[3 * i + 2] = corners[i][0];
	SR_CHECK(sr_roof_plane_fit(&p, &pl, &err) == SR_OK, "west face fits");
	SR_CHECK_CLOSE(pl.tilt, 45.0, 1e-9, "west face tilt 45");
	SR_CHECK_CLOSE(pl.azimuth, 270.0, 1e-9, "west face azimuth 270");

	/* south-east facing: gradient rises to the north-west, tilt 20 */
	for (i = 0; i < 5; i++)
		xyz[3 * i + 2] = tan(20 * SR_DEG2RAD) * (-corners[i][0] + corners[i][1]) / sqrt(2.0);
	SR_CHECK(sr_roof_plane_fit(&p, &pl, &err) == SR_OK, "south-east face fits");
	SR_CHECK_CLOSE(pl.tilt, 20.0, 1e-9, "south-east tilt 20");
	SR_CHECK_CLOSE(pl.azimuth, 135.0, 1e-9, "south-east azimuth 135");

	/* noisy plane: least squares recovers tilt within 0.5 deg */
	{
		double		big[41 * 3];
		int			nb[1] = {40};
		sr_poly3	q = {1, nb, big};

		for (i = 0; i < 40; i++)
		{
			double		a = 2 * SR_PI * i / 40;

			big[3 * i] = 10 * cos(a);
			big[3 * i + 1] = 10 * sin(a);
			big[3 * i + 2] = big[3 * i + 1] * tan(35 * SR_DEG2RAD) + (urand() - 0.5) * 0.05;
		}
		SR_CHECK(sr_roof_plane_fit(&q, &pl, &err) == SR_OK, "noisy face fits");
		SR_CHECK_CLOSE(pl.tilt, 35.0, 0.5, "noisy plane tilt 35");
		SR_CHECK_CLOSE(pl.azimuth, 180.0, 0.5, "noisy plane azimuth 180");
		SR_CHECK(pl.rms < 0.05, "noisy plane rms small");
	}
	/* degenerate */
	npts[0] = 2;
	SR_CHECK(sr_roof_plane_fit(&p, &pl, &err) == SR_EGEOM, "two points: SR_EGEOM");
}

/* A wall along y = D (x from -L to L, 1 m thick), top H, viewer at origin. */
static void
test_wall(void)
{
	double		xy[5 * 2] = {-1000, 100, 1000, 100, 1000, 101, -1000, 101, -1000, 100};
	double		zt[1] = {20.0};
	int			rs[2] = {0, 1}, ps[2] = {0, 5};
	sr_obstacles obs = {1, zt, rs, ps, xy};
	sr_grid    *g;
	sr_err		err;
	double		e[72], bf[72];
	int			k, bad = 0, badbf = 0, beyond_ok = 1;
	const double D = 100, H = 20, R = 300;

	SR_CHECK(sr_grid_build(&obs, 0, &g, &err) == SR_OK, "grid builds");
	SR_CHECK(sr_horizon_compute(g, 0, 0, 0, R, 72, -1, e, &err) == SR_OK, "horizon computes");
	sr_horizon_bruteforce(&obs, 0, 0, 0, R, 72, -1, bf);
	for (k = 0; k < 72; k++)
	{
		double		lo = k * 5.0 - 2.5, hi = k * 5.0 + 2.5, near, want;

		if (lo > 180)
			lo -= 360, hi -= 360;
		/* angle of the wedge nearest to north */
		near = (lo <= 0 && hi >= 0) ? 0 : fmin(fabs(lo), fabs(hi));
		if (near >= 90)
			want = 0;
		else if (D / cos(near * SR_DEG2RAD) > R)
			want = 0;			/* nearest wall point beyond the radius */
		else
			want = atan(H * cos(near * SR_DEG2RAD) / D) * SR_RAD2DEG;
		if (fabs(e[k] - want) > 1e-9)
			bad++;
		if (fabs(bf[k] - want) > 0.01)
			badbf++;
		if (near < 90 && D / cos(near * SR_DEG2RAD) > R && e[k] != 0)
			beyond_ok = 0;
	}
	SR_CHECK_CLOSE(e[0], atan(0.2) * SR_RAD2DEG, 1e-12, "wall: north sector = atan(H/D)");
	SR_CHECK(bad == 0, "wall: every sector = atan(H cos(phi)/D) or 0 (analytic)");
	SR_CHECK(badbf == 0, "wall: brute-force ray cast agrees within 0.01 deg");
	SR_CHECK(beyond_ok, "wall: nothing beyond the radius counts");
	SR_CHECK(e[36] == 0.0, "wall: south sector open");
	/* viewer above the wall: open horizon */
	SR_CHECK(sr_horizon_compute(g, 0, 0, 25, R, 72, -1, e, &err) == SR_OK, "horizon above the wall");
	for (k = 0, bad = 0; k < 72; k++)
		bad += e[k] != 0;
	SR_CHECK(bad == 0, "viewer above the wall sees an open horizon");
	/* wall entirely beyond the radius */
	SR_CHECK(sr_horizon_compute(g, 0, 0, 0, 99.9, 72, -1, e, &err) == SR_OK, "small radius");
	for (k = 0, bad = 0; k < 72; k++)
		bad += e[k] != 0;
	SR_CHECK(bad == 0, "wall beyond the radius is ignored");
	SR_CHECK(sr_horizon_compute(g, 0, 0, 0, 300, 3, -1, e, &err) == SR_EINVAL, "3 sectors rejected");
	sr_grid_free(g);
}

/*
 * A stray coordinate: a wall at the origin and a square 1e300 m east (another
 * unit, a typing error).  The grid's cell count along x, 1e300 / cell, does
 * not fit an int; the build converted it all the same (undefined) and asked
 * for 18 exabytes.  Now a clear SR_EINVAL; and a viewpoint 1e15 m from a
 * normal grid sees no obstacle within its radius (its cell would not fit an
 * int either), i.e. an open horizon, as the brute force says.
 */
static void
test_stray_coordinates(void)
{
	double		xy[10 * 2] = {-1000, 100, 1000, 100, 1000, 101, -1000, 101, -1000, 100,
		1e300, 0, 1e300 + 1e290, 0, 1e300 + 1e290, 10, 1e300, 10, 1e300, 0};
	double		zt[2] = {20.0, 10.0};
	int			rs[3] = {0, 1, 2}, ps[3] = {0, 5, 10};
	sr_obstacles obs = {2, zt, rs, ps, xy};
	sr_grid    *g = NULL;
	sr_err		err;
	double		e[72], bf[72];
	int			k, bad = 0;

	sr_err_clear(&err);
	SR_CHECK(sr_grid_build(&obs, 0, &g, &err) == SR_EINVAL && g == NULL,
			 "obstacles 1e300 m apart: SR_EINVAL, no grid");
	SR_CHECK(strstr(err.msg, "too wide") != NULL && strstr(err.hint, "stray coordinate") != NULL, "the message says the obstacles are too wide, the hint to look for a stray coordinate");
	obs.n = 1;					/* the wall alone */
	SR_CHECK(sr_grid_build(&obs, 0, &g, &err) == SR_OK, "the wall alone builds");
	SR_CHECK(sr_horizon_compute(g, 1e15, 0, 0, 300, 72, -1, e, &err) == SR_OK,
			 "a viewpoint 1e15 m away computes");
	sr_horizon_bruteforce(&obs, 1e15, 0, 0, 300, 72, -1, bf);
	for (k = 0; k < 72; k++)
		bad += e[k] != 0 || bf[k] != 0;
	SR_CHECK(bad == 0, "a viewpoint 1e15 m away sees an open horizon (brute force too)");
	/* just inside the radius of the wall's end (x = 1000): still seen */
	SR_CHECK(sr_horizon_compute(g, 1200, 0, 0, 300, 72, -1, e, &err) == SR_OK, "a viewpoint past the wall's end");
	sr_horizon_bruteforce(&obs, 1200, 0, 0, 300, 72, -1, bf);
	for (k = 0, bad = 0; k < 72; k++)
		bad += fabs(e[k] - bf[k]) > 0.01;
	SR_CHECK(bad == 0 && e[59] > 0, "a viewpoint 200 m past the wall's end: the brute force's horizon, the wall's end seen at azimuth 296.6 (sector 59)");
	sr_grid_free(g);
}

/* A scene of n obstacles with room for maxpts points, and its arrays. */
typedef struct scene
{
	sr_obstacles obs;
	double	   *xy, *zt;
	int		   *rs, *ps;
} scene;

static void
scene_alloc(scene *sc, int n, int maxpts)
{
	sc->xy = malloc(sizeof(double) * 2 * maxpts);
	sc->zt = malloc(sizeof(double) * n);
	sc->rs = malloc(sizeof(int) * (n + 1));
	sc->ps = malloc(sizeof(int) * (n + 1));
	sc->obs = (sr_obstacles) {n, sc->zt, sc->rs, sc->ps, sc->xy};
}

static void
scene_free(scene *sc)
{
	free(sc->xy);
	free(sc->zt);
	free(sc->rs);
	free(sc->ps);
}

/* One view's horizon against the brute-force ray cast (radius R, ns
 * sectors): the worst difference into *worst, and the number of sectors
 * off by more than 0.05 deg (each printed). */
static int
horizon_vs_ray(const scene *sc, const sr_grid *g, double px, double py,
			   double pz, double R, int ns, double *worst)
{
	double		e[SR_HORIZON_MAX_SECTORS], bf[SR_HORIZON_MAX_SECTORS];
	sr_err		err;
	int			k, bad = 0;

	sr_horizon_compute(g, px, py, pz, R, ns, -1, e, &err);
	sr_horizon_bruteforce(&sc->obs, px, py, pz, R, ns, -1, bf);
	for (k = 0; k < ns; k++)
	{
		double		d = fabs(e[k] - bf[k]);

		*worst = d > *worst ? d : *worst;
		if (d > 0.05)
		{
			bad++;
			printf("# sector %d of %d: exact %.4f ray %.4f at (%.2f %.2f %.2f)\n",
				   k, ns, e[k], bf[k], px, py, pz);
		}
	}
	return bad;
}

/* Random scenes of rotated boxes: grid + culling vs brute force. */
static void
test_random_scenes(void)
{
	int			scene_no, bad = 0, n = 60;
	double		worst = 0;

	for (scene_no = 0; scene_no < 20; scene_no++)
	{
		scene		sc;
		sr_grid    *g;
		sr_err		err;
		int			b, v;

		scene_alloc(&sc, n, 5 * n);
		for (b = 0; b < n; b++)
		{
			double		cx = (urand() - 0.5) * 400, cy = (urand() - 0.5) * 400;
			double		w = 5 + urand() * 30, h = 5 + urand() * 20, a = urand() * SR_PI;
			double		loc[5][2] = {{-w, -h}, {w, -h}, {w, h}, {-w, h}, {-w, -h}};

			for (v = 0; v < 5; v++)
			{
				sc.xy[2 * (5 * b + v)] = cx + loc[v][0] * cos(a) - loc[v][1] * sin(a);
				sc.xy[2 * (5 * b + v) + 1] = cy + loc[v][0] * sin(a) + loc[v][1] * cos(a);
			}
			sc.zt[b] = 3 + urand() * 40;
			sc.rs[b] = b;
			sc.ps[b] = 5 * b;
		}
		sc.rs[n] = n;
		sc.ps[n] = 5 * n;
		sr_grid_build(&sc.obs, 0, &g, &err);
		for (v = 0; v < 5; v++)
		{
			double		px = (urand() - 0.5) * 300, py = (urand() - 0.5) * 300, pz = urand() * 15;

			/* (a viewer inside a box sees walls: both methods agree) */
			bad += horizon_vs_ray(&sc, g, px, py, pz, 150, 72, &worst);
		}
		sr_grid_free(g);
		scene_free(&sc);
	}
	printf("# random scenes: worst |exact - ray cast| = %.4f deg\n", worst);
	SR_CHECK(bad == 0, "random scenes: horizon = brute-force ray cast within 0.05 deg");
}

/* Corners exactly on a sector boundary: axis-aligned boxes on whole
 * metres seen from half metres, 36 sectors (boundaries at 45, 135, 225,
 * 315 deg: every corner on a diagonal of the viewer lies on one).  A
 * sector is closed (the brute force casts rays on both its edges), so a
 * corner on a boundary raises both sectors; which side a corner falls on
 * must not depend on the last bit of an arctangent.  Hand-made case: a
 * 1 m box whose south-west corner is 10 m north-east of the viewer along
 * the diagonal, 10 m high: sectors 4 and 5 (35-45 and 45-55 deg) both
 * see the corner, at atan(10 / (10 sqrt 2)). */
static void
test_boundary_ties(void)
{
	int			scene_no, bad = 0, views = 0;
	double		worst = 0;

	{
		double		xy[10] = {10, 10, 11, 10, 11, 11, 10, 11, 10, 10};
		double		zt[1] = {10.0};
		int			rs[2] = {0, 1}, ps[2] = {0, 5};
		sr_obstacles obs = {1, zt, rs, ps, xy};
		sr_grid    *g;
		sr_err		err;
		double		e[36];
		double		want = atan(10.0 / (10.0 * sqrt(2.0))) * SR_RAD2DEG;

		sr_grid_build(&obs, 0, &g, &err);
		sr_horizon_compute(g, 0, 0, 0, 300, 36, -1, e, &err);
		SR_CHECK_CLOSE(e[5], want, 1e-6, "corner on the 45 deg boundary: the sector after it");
		SR_CHECK_CLOSE(e[4], want, 1e-6, "corner on the 45 deg boundary: the sector before it too");
		SR_CHECK(e[3] == 0 && e[6] == 0, "corner on the boundary: no further sector");
		sr_grid_free(g);
	}
	for (scene_no = 0; scene_no < 40; scene_no++)
	{
		int			n = 80;
		scene		sc;
		sr_grid    *g;
		sr_err		err;
		int			b, v;

		scene_alloc(&sc, n, 5 * n);
		for (b = 0; b < n; b++)
		{
			double		x0 = floor((urand() - 0.5) * 300), y0 = floor((urand() - 0.5) * 300);
			double		w = 1 + floor(urand() * 20), h = 1 + floor(urand() * 20);
			double		loc[5][2] = {{0, 0}, {w, 0}, {w, h}, {0, h}, {0, 0}};

			for (v = 0; v < 5; v++)
			{
				sc.xy[2 * (5 * b + v)] = x0 + loc[v][0];
				sc.xy[2 * (5 * b + v) + 1] = y0 + loc[v][1];
			}
			sc.zt[b] = 3 + urand() * 40;
			sc.rs[b] = b;
			sc.ps[b] = 5 * b;
		}
		sc.rs[n] = n;
		sc.ps[n] = 5 * n;
		sr_grid_build(&sc.obs, 0, &g, &err);
		for (v = 0; v < 20; v++)
		{
			double		px = floor((urand() - 0.5) * 200) + 0.5, py = floor((urand() - 0.5) * 200) + 0.5;
			double		pz = urand() * 15;
			int			inside = 0;

			for (b = 0; b < n; b++)
				inside |= px > sc.xy[10 * b] && px < sc.xy[10 * b + 4] &&
					py > sc.xy[10 * b + 1] && py < sc.xy[10 * b + 5];
			if (inside)
				continue;
			views++;
			bad += horizon_vs_ray(&sc, g, px, py, pz, 200, 36, &worst);
		}
		sr_grid_free(g);
		scene_free(&sc);
	}
	printf("# boundary ties: %d views, worst |exact - ray cast| = %.4f deg\n", views, worst);
	SR_CHECK(views > 500 && bad == 0,
			 "corners on sector boundaries: horizon = brute-force ray cast within 0.05 deg");
}

/* Footprints of every kind against the brute force: convex ones (the
 * search skips their far side from outside), L-shapes (not convex),
 * five-pointed stars drawn in one stroke (self-intersecting: every turn
 * the same way, yet not convex) and clockwise rings. */
static void
test_footprint_shapes(void)
{
	int			scene_no, bad = 0, views = 0;
	double		worst = 0;

	for (scene_no = 0; scene_no < 30; scene_no++)
	{
		int			n = 60;
		scene		sc;
		sr_grid    *g;
		sr_err		err;
		int			b, v, np = 0;

		scene_alloc(&sc, n, 8 * n);

		for (b = 0; b < n; b++)
		{
			double		cx = (urand() - 0.5) * 300, cy = (urand() - 0.5) * 300;
			double		w = 4 + urand() * 20, h = 4 + urand() * 20;
			int			kind = b % 4, cw = urand() < 0.5;
			double		pt[8][2];
			int			m;

			if (kind == 0)
			{
				/* rectangle */
				double		r[4][2] = {{-w, -h}, {w, -h}, {w, h}, {-w, h}};

				for (m = 0; m < 4; m++)
					pt[m][0] = r[m][0], pt[m][1] = r[m][1];
				m = 4;
			}
			else if (kind == 1)
			{
				/* L-shape */
				double		r[6][2] = {{-w, -h}, {w, -h}, {w, 0}, {0, 0}, {0, h}, {-w, h}};

				for (m = 0; m < 6; m++)
					pt[m][0] = r[m][0], pt[m][1] = r[m][1];
				m = 6;
			}
			else if (kind == 2)
			{
				/* five-pointed star in one stroke */
				for (m = 0; m < 5; m++)
				{
					double		a = (m * 2 % 5) * 2 * SR_PI / 5;

					pt[m][0] = w * sin(a);
					pt[m][1] = w * cos(a);
				}
				m = 5;
			}
			else
			{
				/* triangle */
				double		r[3][2] = {{-w, -h}, {w, -h * 0.3}, {0, h}};

				for (m = 0; m < 3; m++)
					pt[m][0] = r[m][0], pt[m][1] = r[m][1];
				m = 3;
			}
			sc.rs[b] = b;
			sc.ps[b] = np;
			for (v = 0; v <= m; v++)
			{
				int			j = cw ? (m - v % m) % m : v % m;

				sc.xy[2 * np] = cx + pt[j][0];
				sc.xy[2 * np + 1] = cy + pt[j][1];
				np++;
			}
			sc.zt[b] = 3 + urand() * 40;
		}
		sc.rs[n] = n;
		sc.ps[n] = np;
		sr_grid_build(&sc.obs, 0, &g, &err);
		for (v = 0; v < 10; v++)
		{
			double		px = (urand() - 0.5) * 250, py = (urand() - 0.5) * 250, pz = urand() * 15;

			/* (a viewer inside a footprint sees walls everywhere: both
			 * methods agree on it too, nothing skipped) */
			views++;
			bad += horizon_vs_ray(&sc, g, px, py, pz, 150, 72, &worst);
		}
		sr_grid_free(g);
		scene_free(&sc);
	}
	printf("# footprint shapes: %d views, worst |exact - ray cast| = %.4f deg\n", views, worst);
	SR_CHECK(bad == 0, "convex, L-shaped, star and clockwise footprints: horizon = brute-force ray cast within 0.05 deg");
}

/* pvlib test_perez_components: tilt 34, azimuth 180, dni_extra 1414 */
static void
test_perez(void)
{
	double		dni[4] = {158, 19, 1, 0}, dhi[4] = {249, 165, 136, 93};
	double		zen[4] = {57.746951, 57.564205, 60.813841, 66.989435};
	double		az[4] = {171.003315, 187.346924, 202.974357, 216.725599};
	double		iso_w[4] = {166.785419, 142.24475, 119.173875, 83.525150};
	double		cs_w[4] = {113.548755, 16.09757, 9.956174, 3.142467};
	double		hz_w[4] = {1.076010, -6.13353, -5.262151, -3.831230};
	int			i;

	for (i = 0; i < 4; i++)
	{
		double		f1, f2, b = 34 * SR_DEG2RAD, z = zen[i] * SR_DEG2RAD;
		double		a = cos(b) * cos(z) + sin(b) * sin(z) * cos((az[i] - 180) * SR_DEG2RAD);
		char		d[64];

		sr_perez_f1f2(dni[i], dhi[i], zen[i], 1414, &f1, &f2);
		snprintf(d, sizeof d, "perez isotropic row %d (pvlib)", i);
		SR_CHECK_CLOSE(dhi[i] * (1 - f1) * (1 + cos(b)) / 2, iso_w[i], 0.02, d);
		snprintf(d, sizeof d, "perez circumsolar row %d (pvlib)", i);
		SR_CHECK_CLOSE(dhi[i] * f1 * fmax(a, 0) / fmax(cos(85 * SR_DEG2RAD), cos(z)), cs_w[i], 0.02, d);
		snprintf(d, sizeof d, "perez horizon row %d (pvlib)", i);
		SR_CHECK_CLOSE(dhi[i] * f2 * sin(b), hz_w[i], 0.02, d);
	}
}

/* Synthetic year at Lyon: a simple clear-ish model with clouds. */
static sr_weather_rec *
synthetic_year(int *n)
{
	sr_weather_rec *r = malloc(sizeof(sr_weather_rec) * 8760);
	double		t0 = 1577836800.0;	/* 2020-01-01 00:00 UTC */
	int			i;

	for (i = 0; i < 8760; i++)
	{
		sr_solpos	sp;
		sr_err		err;
		double		ts = t0 + 3600.0 * (i + 1);
		double		ce;

		sr_sun_position(ts - 1800, 45.7261, 4.9378, 198, 990, 12, 69, &sp, &err);
		ce = cos(sp.apparent_zenith * SR_DEG2RAD);
		r[i].unix_s = ts;
		if (ce <= 0)
		{
			r[i].ghi = r[i].dni = r[i].dhi = 0;
			continue;
		}
		{
			double		cloud = urand();
			double		dni = cloud < 0.4 ? 0 : 900 * exp(-0.15 / fmax(ce, 0.05)) * cloud;
			double		dhi = 40 + 200 * ce * (1 - cloud * 0.6);

			r[i].dni = dni;
			r[i].dhi = dhi;
			r[i].ghi = dni * ce + dhi + (urand() - 0.5) * 10;	/* measured: not closed */
			if (r[i].ghi < 0)
				r[i].ghi = 0;
		}
	}
	*n = 8760;
	return r;
}

/* Perez all-weather parameters against values computed by hand from the
 * paper's equations and table 1 (independent Python transcription). */
static void
test_perez_aw(void)
{
	static const double in[3][4] = {{800, 100, 30, 1400}, {0, 300, 50, 1367}, {300, 200, 40, 1367}};
	static const int bin[3] = {7, 0, 4};
	static const double want[3][5] = {
		{-0.98426, -0.200227, 22.059107, -5.891823, 1.340879},	/* clear */
		{0.60861, -0.368958, 2.213339, -1.214587, 0.027589},	/* overcast: eqs. 7-8 */
		{-1.024323, -0.550791, 14.367043, -3.271567, 0.025489}	/* delta floored at 0.2 */
	};
	static const double lv[3] = {0.512182, 2.924213, 1.27468};
	int			i;

	for (i = 0; i < 3; i++)
	{
		sr_perez_aw aw;
		char		d[80];

		SR_CHECK(sr_perez_aw_params(in[i][0], in[i][1], in[i][2], in[i][3], &aw), "all-weather parameters apply");
		snprintf(d, sizeof d, "all-weather clearness bin, case %d", i);
		SR_CHECK(aw.bin == bin[i], d);
		snprintf(d, sizeof d, "all-weather a..e, case %d", i);
		SR_CHECK(fabs(aw.a - want[i][0]) < 1e-5 && fabs(aw.b - want[i][1]) < 1e-5 &&
				 fabs(aw.c - want[i][2]) < 1e-5 && fabs(aw.d - want[i][3]) < 1e-5 &&
				 fabs(aw.e - want[i][4]) < 1e-5, d);
		snprintf(d, sizeof d, "all-weather relative radiance, case %d", i);
		SR_CHECK_CLOSE(sr_perez_aw_lv(&aw, cos(20 * SR_DEG2RAD), 35 * SR_DEG2RAD), lv[i], 1e-5, d);
	}
	{
		sr_perez_aw aw;

		SR_CHECK(!sr_perez_aw_params(100, 0, 30, 1367, &aw), "no diffuse: the model does not apply");
		SR_CHECK(!sr_perez_aw_params(100, 50, 95, 1367, &aw), "sun down: the model does not apply");
	}
	/* Reinhart MF 4: 2,305 patches whose solid angles sum to 2 pi */
	{
		double		om = 0.0;
		int			r, np = 0;

		for (r = 0; r < SR_SKY_NROWS; r++)
		{
			om += sr_sky_row_patches(r) * sr_sky_patch_solid_angle(r);
			np += sr_sky_row_patches(r);
		}
		SR_CHECK(np == 2305 && SR_SKY_NPATCH == 2305, "Reinhart MF 4 has 2,305 patches");
		SR_CHECK_CLOSE(om, 2 * SR_PI, 1e-12, "patch solid angles sum to the hemisphere");
		SR_CHECK(sr_sky_row_patches(0) == 120 && sr_sky_row_patches(27) == 24, "row sizes 4 x Tregenza's");
	}
}

static void
test_sky(void)
{
	int			n, i, k;
	sr_weather_rec *w = synthetic_year(&n);
	sr_sky_hdr *sky;
	size_t		sz;
	sr_err		err;
	sr_sky_prep *p;
	sr_irradiation a, h;
	double		ghi = 0;
	float		hor[72];
	int			agree = 1, agree_m = 1;
	double		worst = 0;

	for (i = 0; i < n; i++)
		ghi += w[i].ghi;
	SR_CHECK(sr_sky_build(w, n, 45.7261, 4.9378, 198, &sky, &sz, &err) == SR_OK, "sky builds");
	SR_CHECK(sr_sky_validate(sky, sz, &err) == SR_OK, "sky validates");
	SR_CHECK(sky->n_day > 4300 && sky->n_day < 4600, "about 4,450 daylight hours at Lyon");
	SR_CHECK(sky->n_sun > 2500 && sky->n_sun <= sky->n_day, "sun positions: the daylight hours with beam");
	SR_CHECK(sr_sky_prepare(sky, 72, &p, &err) == SR_OK, "sky prepares");
	sr_plane_irradiation(p, 0, 180, NULL, 0.2, &a);
	SR_CHECK_CLOSE(a.annual / ghi, 1.0, 1e-6, "flat unshaded roof = annual GHI (energy conserved; float tables)");
	{
		/* the patches hold the diffuse: sum of L x horizontal weight = DHI* */
		const float *rad = sr_sky_rad(sky);
		double		hsum = 0.0, dhi = 0.0;
		int			r, j, q = 0, m;

		for (m = 0; m < 12; m++)
			dhi += sky->m_dhi[m];
		for (r = 0; r < SR_SKY_NROWS; r++)
		{
			double		e0 = sr_sky_row_bottom(r) * SR_DEG2RAD, e1 = sr_sky_row_bottom(r + 1) * SR_DEG2RAD;
			double		hw = SR_PI / sr_sky_row_patches(r) * (sin(e1) * sin(e1) - sin(e0) * sin(e0));

			for (j = 0; j < sr_sky_row_patches(r); j++, q++)
				for (m = 0; m < 12; m++)
					hsum += rad[m * SR_SKY_NPATCH + q] * hw;
		}
		SR_CHECK_CLOSE(hsum / dhi, 1.0, 1e-6, "patch radiances integrate to the diffuse horizontal");
	}
	/* sky vs hour by hour on random planes and horizons */
	for (i = 0; i < 12; i++)
	{
		double		tilt = i == 0 ? 0 : urand() * 90, az = urand() * 360, rel;
		int			m;

		for (k = 0; k < 72; k++)
			hor[k] = (float) (i < 2 ? 0 : urand() * 35 * (k % 7 < 3));
		sr_plane_irradiation(p, tilt, az, hor, 0.2, &a);
		sr_plane_irradiation_hourly(w, n, 45.7261, 4.9378, 198, tilt, az, hor, 72, 0.2, &h, &err);
		rel = fabs(a.annual / h.annual - 1);
		if (rel > worst)
			worst = rel;
		if (rel > 0.005)
			agree = 0;
		for (m = 0; m < 12; m++)
			if (h.monthly[m] > 1000 && fabs(a.monthly[m] / h.monthly[m] - 1) > 0.01)
				agree_m = 0;
	}
	{
		/* hourly shaded + open in one pass = the two separate calls */
		sr_irradiation h1, h2, ho;
		double		oa;

		for (k = 0; k < 72; k++)
			hor[k] = (float) (urand() * 30);
		sr_plane_irradiation_hourly(w, n, 45.7261, 4.9378, 198, 35, 200, hor, 72, 0.2, &h1, &err);
		sr_plane_irradiation_hourly(w, n, 45.7261, 4.9378, 198, 35, 200, NULL, 72, 0.2, &ho, &err);
		SR_CHECK(sr_plane_irradiation_hourly_shading(w, n, 45.7261, 4.9378, 198, 35, 200, hor, 72, 0.2,
													   &h2, &oa, &err) == SR_OK, "hourly one pass runs");
		SR_CHECK(fabs(h2.annual - h1.annual) <= 1e-9 * h1.annual && fabs(oa - ho.annual) <= 1e-9 * ho.annual,
				 "hourly shaded + open in one pass = the two calls");
	}
	{
		/* the stream (begin, add in uneven batches, end) gives one call's
		 * sums to the last bit, shaded and open; a bad record is named by
		 * its number among all the records */
		sr_irradiation h1, h2;
		double		o1, o2;
		sr_hourly_sum *hs;
		int			same = 1, at = 0, sizes[] = {1, 7, 1000, 64, 3333};
		sr_weather_rec bad[2];

		for (k = 0; k < 72; k++)
			hor[k] = (float) (urand() * 30);
		sr_plane_irradiation_hourly_shading(w, n, 45.7261, 4.9378, 198, 35, 200, hor, 72, 0.2,
											  &h1, &o1, &err);
		SR_CHECK(sr_hourly_begin(45.7261, 4.9378, 198, 35, 200, hor, 72, 0.2, 1, &hs, &err) == SR_OK,
				 "hourly stream begins");
		for (k = 0; at < n; k++)
		{
			int			b = sizes[k % 5] < n - at ? sizes[k % 5] : n - at;

			if (sr_hourly_add(hs, w + at, b, at, NULL, &err) != SR_OK)
				same = 0;
			at += b;
		}
		sr_hourly_end(hs, &h2, &o2);
		same = same && h2.annual == h1.annual && h2.beam == h1.beam &&
			h2.sky_diffuse == h1.sky_diffuse && h2.ground == h1.ground && o2 == o1;
		for (k = 0; k < 12; k++)
			same = same && h2.monthly[k] == h1.monthly[k];
		SR_CHECK(same, "hourly stream in batches of 1 to 3,333 = one call, to the last bit");
		bad[0] = w[5];
		bad[1] = w[6];
		bad[1].dhi = -1;
		sr_hourly_begin(45.7261, 4.9378, 198, 35, 200, NULL, 72, 0.2, 0, &hs, &err);
		sr_err_clear(&err);
		SR_CHECK(sr_hourly_add(hs, bad, 2, 40000, NULL, &err) == SR_EDATA &&
				 strstr(err.msg, "weather record 40002 ") != NULL,
				 "hourly stream: a negative irradiance names its record among all");
		sr_hourly_free(hs);
	}
	{
		/* a record given twice is refused, not counted twice (its time,
		 * anywhere in the rows: they need not be sorted) */
		sr_weather_rec d[3];
		sr_irradiation hd;
		double		od;

		d[0] = w[4000];
		d[1] = w[10];
		d[2] = w[4000];
		sr_err_clear(&err);
		SR_CHECK(sr_plane_irradiation_hourly(d, 3, 45.7261, 4.9378, 198, 35, 200, NULL, 72, 0.2, &hd, &err) == SR_EDATA &&
				 strstr(err.msg, "two records at the same time") != NULL, "hourly: a duplicated hour is SR_EDATA");
		sr_err_clear(&err);
		SR_CHECK(sr_plane_irradiation_hourly_shading(d, 3, 45.7261, 4.9378, 198, 35, 200, hor, 72, 0.2,
													   &hd, &od, &err) == SR_EDATA, "hourly shading: a duplicated hour is SR_EDATA");
		sr_err_clear(&err);
		SR_CHECK(sr_plane_irradiation_hourly(d, 2, 45.7261, 4.9378, 198, 35, 200, NULL, 72, 0.2, &hd, &err) == SR_OK,
				 "hourly: distinct hours in any order run");
	}
	printf("# sky vs hourly: worst relative difference %.5f\n", worst);
	SR_CHECK(agree, "sky = hour-by-hour within 0.5% (annual, random planes and horizons)");
	SR_CHECK(agree_m, "sky = hour-by-hour within 1% (monthly)");
	/* the annual-only fast path gives the annual of the monthly path */
	{
		int			same = 1;

		for (i = 0; i < 200; i++)
		{
			double		tilt = urand() * 90, az = urand() * 360, fast;

			for (k = 0; k < 72; k++)
				hor[k] = (float) (urand() * 30 * (k % 3 == 0));
			sr_plane_irradiation(p, tilt, az, hor, 0.2, &a);
			fast = sr_plane_irradiation_annual(p, tilt, az, hor, 0.2);
			if (fabs(fast - a.annual) > 1e-6 * a.annual)
				same = 0;
		}
		SR_CHECK(same, "annual-only fast path = annual of the monthly path");
	}
	/* fast path = brute-force integration over the patches and every sun,
	 * on random planes (flat, vertical, edges on sector boundaries) and
	 * horizons (open, jagged, tall), monthly and annual-only, 72 and 36
	 * sectors */
	{
		int			same = 1, same_m = 1, same_a = 1, same_s = 1, pass;
		double		worst_f = 0, worst_m = 0;

		for (pass = 0; pass < 2; pass++)
		{
			sr_sky_prep *q = p;
			int			nsec = pass == 0 ? 72 : 36;

			if (pass == 1)
				SR_CHECK(sr_sky_prepare(sky, nsec, &q, &err) == SR_OK, "sky prepares (36 sectors)");
			for (i = 0; i < 150; i++)
			{
				double		tilt = i % 10 == 0 ? 0 : i % 10 == 1 ? 90 : urand() * 90;
				double		az = i % 10 == 2 ? 5.0 * (int) (urand() * 72) + 2.5 : urand() * 360;
				int			kind = i % 4, m;
				sr_irradiation f, r;
				double		fa;

				for (k = 0; k < nsec; k++)
					hor[k] = (float) (kind == 0 ? 0 : kind == 1 ? urand() * urand() * 40 :
									  kind == 2 ? urand() * 75 : urand() * 8 * (k % 5 < 2));
				sr_plane_irradiation(q, tilt, az, kind == 0 ? NULL : hor, 0.2, &f);
				sr_plane_irradiation_reference(q, tilt, az, kind == 0 ? NULL : hor, 0.2, 1, &r);
				if (fabs(f.annual - r.annual) > 2e-4 * r.annual + 1e-6)
					same = 0;
				if (r.annual > 0 && fabs(f.annual - r.annual) > worst_f * r.annual)
					worst_f = fabs(f.annual - r.annual) / r.annual;
				for (m = 0; m < 12; m++)
				{
					if (fabs(f.monthly[m] - r.monthly[m]) > 5e-4 * r.monthly[m] + 1e-3)
						same_m = 0;
					if (r.monthly[m] > 1 && fabs(f.monthly[m] - r.monthly[m]) > worst_m * r.monthly[m])
						worst_m = fabs(f.monthly[m] - r.monthly[m]) / r.monthly[m];
				}
				{
					/* shaded + open annual in one pass = the two calls */
					sr_irradiation s2;
					double		oa, ob = sr_plane_irradiation_annual(q, tilt, az, NULL, 0.2);

					sr_plane_irradiation_shading(q, tilt, az, kind == 0 ? NULL : hor, 0.2, &s2, &oa);
					if (fabs(oa - ob) > 1e-6 * ob || fabs(s2.annual - f.annual) > 1e-9 * f.annual)
						same_s = 0;
					for (m = 0; m < 12; m++)
						if (fabs(s2.monthly[m] - f.monthly[m]) > 1e-9 * f.monthly[m])
							same_s = 0;
				}
				fa = sr_plane_irradiation_annual(q, tilt, az, kind == 0 ? NULL : hor, 0.2);
				if (fabs(fa - r.annual) > 2e-4 * r.annual + 1e-6)
					same_a = 0;
			}
			if (pass == 1)
				sr_sky_prep_free(q);
		}
		printf("# fast path vs brute force: worst relative difference %.3g (annual), %.3g (months)\n",
			   worst_f, worst_m);
		SR_CHECK(same, "fast path = brute-force integration within 2e-4 (annual)");
		SR_CHECK(same_m, "fast path = brute-force integration within 5e-4 (each month)");
		SR_CHECK(same_a, "annual-only fast path = brute force within 2e-4");
		SR_CHECK(same_s, "shaded + open annual in one pass = the two separate calls");
	}
	/* a dense sky: four years of the same weather (suns a day's drift
	 * apart) in 36 sectors puts many suns in one count-table bin and many in
	 * one window: the kernel's loops past four suns agree with the brute
	 * force too */
	{
		sr_weather_rec *w4 = malloc(sizeof(sr_weather_rec) * 4 * n);
		sr_sky_hdr *sky4;
		size_t		sz4;
		sr_sky_prep *q;
		int			y, same = 1, same_m = 1;
		double		worst4 = 0;

		for (y = 0; y < 4; y++)
			for (i = 0; i < n; i++)
			{
				w4[y * n + i] = w[i];
				w4[y * n + i].unix_s += y * 365.0 * 86400.0;
			}
		SR_CHECK(sr_sky_build(w4, 4 * n, 45.7261, 4.9378, 198, &sky4, &sz4, &err) == SR_OK &&
				 sr_sky_prepare(sky4, 36, &q, &err) == SR_OK, "a four-year sky prepares in 36 sectors");
		SR_CHECK(sr_sky_prep_bin_max(q) > 4, "dense sky: more than four suns in a count-table bin");
		for (i = 0; i < 40; i++)
		{
			double		tilt = i % 8 == 0 ? 0 : urand() * 90, az = urand() * 360;
			sr_irradiation f, r;
			int			m;

			for (k = 0; k < 36; k++)
				hor[k] = (float) (i % 4 == 0 ? 0 : urand() * 30);
			sr_plane_irradiation(q, tilt, az, i % 4 == 0 ? NULL : hor, 0.2, &f);
			sr_plane_irradiation_reference(q, tilt, az, i % 4 == 0 ? NULL : hor, 0.2, 1, &r);
			if (fabs(f.annual - r.annual) > 2e-4 * r.annual + 1e-6)
				same = 0;
			if (fabs(f.annual - r.annual) > worst4 * r.annual)
				worst4 = fabs(f.annual - r.annual) / r.annual;
			for (m = 0; m < 12; m++)
				if (fabs(f.monthly[m] - r.monthly[m]) > 5e-4 * r.monthly[m] + 1e-3)
					same_m = 0;
		}
		printf("# dense sky: bin max %d, worst relative difference %.3g (annual)\n", sr_sky_prep_bin_max(q), worst4);
		SR_CHECK(same, "dense sky: fast path = brute force within 2e-4 (annual)");
		SR_CHECK(same_m, "dense sky: fast path = brute force within 5e-4 (each month)");
		sr_sky_prep_free(q);
		sr_free(sky4);
		free(w4);
	}
	/* a full horizon at 90 deg leaves only the ground-reflected part */
	for (k = 0; k < 72; k++)
		hor[k] = 90;
	sr_plane_irradiation(p, 30, 180, hor, 0.2, &a);
	SR_CHECK_CLOSE(a.annual / (0.2 * (1 - cos(30 * SR_DEG2RAD)) / 2 * ghi), 1.0, 1e-6, "closed horizon: the ground only");
	/* monotone: a higher horizon never adds light */
	{
		sr_irradiation lo, hi;
		int			mono = 1;

		for (i = 0; i < 50; i++)
		{
			double		tilt = urand() * 90, az = urand() * 360;
			float		h2[72];

			for (k = 0; k < 72; k++)
			{
				hor[k] = (float) (urand() * 30);
				h2[k] = hor[k] + (float) (urand() * 10);
			}
			sr_plane_irradiation(p, tilt, az, hor, 0.2, &lo);
			sr_plane_irradiation(p, tilt, az, h2, 0.2, &hi);
			if (hi.annual > lo.annual + 1e-6)
				mono = 0;
		}
		SR_CHECK(mono, "raising the horizon never increases irradiation");
	}
	/* a uniform sky (every patch the same radiance L, no sun): the closed
	 * forms L pi (1 + cos B) / 2 for a tilted plane and L pi cos^2 h for a
	 * flat one under a uniform horizon h */
	{
		float	   *rad = (float *) sr_sky_rad(sky);
		int			ns0 = sky->n_sun, q;
		sr_sky_prep *u;
		int			ok = 1;

		for (q = 0; q < 12 * SR_SKY_NPATCH; q++)
			rad[q] = 100.0f;
		sky->n_sun = 0;			/* prepare reads the suns through n_sun only */
		SR_CHECK(sr_sky_prepare(sky, 72, &u, &err) == SR_OK, "uniform sky prepares");
		for (k = 0; k <= 90; k += 15)
		{
			sr_plane_irradiation(u, k, 37, NULL, 0, &a);
			/* the cut at the back of the plane is taken at each column's
			 * centre: up to 1e-4 of the diffuse (docs/internals.md) */
			if (fabs(a.annual / (1200 * SR_PI * (1 + cos(k * SR_DEG2RAD)) / 2) - 1) > 1.5e-4)
				ok = 0;
		}
		SR_CHECK(ok, "uniform sky: (1 + cos B) / 2 view factor, every tilt (1.5e-4)");
		for (k = 0; k < 72; k++)
			hor[k] = 20;
		sr_plane_irradiation(u, 0, 180, hor, 0, &a);
		SR_CHECK_CLOSE(a.annual / (1200 * SR_PI * pow(cos(20 * SR_DEG2RAD), 2)), 1.0, 1e-5, "uniform sky, 20 deg horizon: cos^2");
		sr_sky_prep_free(u);
		sky->n_sun = ns0;
	}
	/* corrupt blob is rejected */
	sky->version = 9;
	SR_CHECK(sr_sky_validate(sky, sz, &err) == SR_ESYNTAX, "bad version rejected");
	sky->version = SR_SKY_VERSION;
	SR_CHECK(sr_sky_validate(sky, sz - 1, &err) == SR_ESYNTAX, "bad size rejected");
	{
		/* a site elevation no sky can be built with (sr_sky_build_met's
		 * range) is refused on input too */
		double		e0 = sky->elevation_m;

		sky->elevation_m = 1e306;
		SR_CHECK(sr_sky_validate(sky, sz, &err) == SR_ESYNTAX, "elevation 1e306 rejected");
		sky->elevation_m = -501;
		SR_CHECK(sr_sky_validate(sky, sz, &err) == SR_ESYNTAX, "elevation -501 rejected");
		sky->elevation_m = 9000;
		SR_CHECK(sr_sky_validate(sky, sz, &err) == SR_OK, "elevation 9000 accepted");
		sky->elevation_m = e0;
	}
	((float *) sr_sky_rad(sky))[7] = -1.0f;
	SR_CHECK(sr_sky_validate(sky, sz, &err) == SR_ESYNTAX, "negative patch radiance rejected");
	w[5].ghi = -1;
	SR_CHECK(sr_sky_build(w, n, 45.7, 4.9, 198, &sky, &sz, &err) == SR_EDATA, "negative GHI rejected");
	sr_sky_prep_free(p);
	free(w);
}

/* Days from 1970-01-01 to 1 January of a year (proleptic Gregorian). */
static long
sr_days_since_epoch_test(int y)
{
	long		d = 0;

	for (int k = 1970; k < y; k++)
		d += (k % 4 == 0 && (k % 100 != 0 || k % 400 == 0)) ? 366 : 365;
	return d;
}

/* A sky holds at most SR_SKY_MAX_HOURS hours: so many records build a sky
 * that validates, one more is SR_ERANGE (sky_agg refuses that row earlier,
 * with 54000). */
static void
test_sky_bound(void)
{
	int			n = SR_SKY_MAX_HOURS + 1;
	sr_weather_rec *w = calloc(n, sizeof(sr_weather_rec));
	sr_sky_hdr *sky = NULL;
	size_t		sz = 0;
	sr_err		err;

	/* hours from 2001 on, all without light: the build costs the sun
	 * positions and the sort only (about 1 s of CPU) */
	for (int i = 0; i < n; i++)
		w[i].unix_s = 978307200.0 + 3600.0 * (i + 1);
	sr_err_clear(&err);
	SR_CHECK(sr_sky_build(w, n, 45.7, 4.9, 198, &sky, &sz, &err) == SR_ERANGE && sky == NULL &&
			 strstr(err.msg, "weather has 1000001 records, more than the 1000000 hours a sky holds") != NULL,
			 "sky: one record past SR_SKY_MAX_HOURS is SR_ERANGE");
	sr_err_clear(&err);
	SR_CHECK(sr_sky_build(w, n - 1, 45.7, 4.9, 198, &sky, &sz, &err) == SR_OK && sky != NULL &&
			 sky->n_rec == SR_SKY_MAX_HOURS && sr_sky_validate(sky, sz, &err) == SR_OK,
			 "sky: SR_SKY_MAX_HOURS records build a sky that validates");
	sr_free(sky);
	free(w);

	/* a patch's monthly radiance is bounded (1e8 Wh/m2/sr): hours of polar
	 * night (latitude 89.5, January) lit by 1500 W/m2 of isotropic light add
	 * 1500 / pi Wh/m2/sr each to every patch of January, so 210,000 such
	 * hours make 1.0027e8, past the bound: SR_ERANGE, not a sky the type's
	 * input would refuse; 200,000 make 9.549e7 and build a valid sky */
	n = 210000;
	w = calloc(n, sizeof(sr_weather_rec));
	for (int i = 0; i < n; i++)
	{
		/* hour i % 744 of the January of year 2001 + i / 744, its end */
		double		jan1 = 86400.0 * sr_days_since_epoch_test(2001 + i / 744);

		w[i].unix_s = jan1 + 3600.0 * (i % 744 + 1);
		w[i].ghi = w[i].dhi = 1500;
	}
	sr_err_clear(&err);
	sky = NULL;
	SR_CHECK(sr_sky_build(w, n, 89.5, 0, 0, &sky, &sz, &err) == SR_ERANGE && sky == NULL &&
			 strstr(err.msg, "the sky of 210000 weather records exceeds what a sky value holds") != NULL &&
			 strstr(err.detail, "invalid radiance (patch 1, month 1)") != NULL,
			 "sky: a radiance past a sky value's bound is SR_ERANGE at build");
	sr_err_clear(&err);
	SR_CHECK(sr_sky_build(w, 200000, 89.5, 0, 0, &sky, &sz, &err) == SR_OK && sky != NULL &&
			 sr_sky_validate(sky, sz, &err) == SR_OK &&
			 fabs(sr_sky_rad(sky)[0] / (200000 * 1500 / SR_PI) - 1) < 1e-6,
			 "sky: 200,000 such hours build a sky of radiance 200000 x 1500 / pi");
	sr_free(sky);
	free(w);
}

/* a building is one row: an id of two target rows is refused, naming the id
 * and its rows; obstacle-only rows may repeat it (worked by hand: ids 5, 2,
 * 5, 9, 5 hold 5 three times; 3, 1 and an obstacle-only 3 are unique among
 * the targets) */
static void
test_unique_ids(void)
{
	sr_building b[5];
	sr_err		err;
	const int64_t dup[5] = {5, 2, 5, 9, 5};

	memset(b, 0, sizeof(b));
	for (int i = 0; i < 5; i++)
		b[i].id = dup[i];
	sr_err_clear(&err);
	SR_CHECK(sr_cadastre_check_unique_ids(b, 5, "buildings_sql", &err) == SR_EINVAL &&
			 strcmp(err.msg, "building 5 is in 3 rows of buildings_sql") == 0,
			 "unique ids: building 5 given three times is refused, named with its count");
	b[0].obstacle_only = b[2].obstacle_only = 1;
	sr_err_clear(&err);
	SR_CHECK(sr_cadastre_check_unique_ids(b, 5, "buildings_sql", &err) == SR_OK,
			 "unique ids: the same id on obstacle-only rows is accepted");
	b[2].obstacle_only = 0;
	sr_err_clear(&err);
	SR_CHECK(sr_cadastre_check_unique_ids(b, 5, "buildings_sql", &err) == SR_EINVAL &&
			 strcmp(err.msg, "building 5 is in 2 rows of buildings_sql") == 0,
			 "unique ids: two target rows of one id among an obstacle-only one: 2 rows");
	sr_err_clear(&err);
	SR_CHECK(sr_cadastre_check_unique_ids(b, 0, "buildings_sql", &err) == SR_OK &&
			 sr_cadastre_check_unique_ids(b, 2, "buildings_sql", &err) == SR_OK,
			 "unique ids: no row, and distinct ids, pass");
}

/* Few, wide sectors are computed on narrow columns: an odd multiple of the
 * count, at least 72, each column inside the sector it copies (its centre
 * within the sector's half-width); 36 and more are kept. */
static void
test_horizon_columns(void)
{
	static const int n[6] = {4, 5, 8, 16, 35, 36};
	static const int want[6] = {76, 75, 72, 80, 105, 36};
	float		e[36], x[SR_HORIZON_MAX_SECTORS];
	int			ok = 1;

	for (int t = 0; t < 6; t++)
	{
		int			nc = sr_horizon_columns(n[t]);

		ok &= nc == want[t];
		for (int i = 0; i < n[t]; i++)
			e[i] = (float) (i + 1);
		sr_horizon_expand(e, n[t], nc, x);
		for (int j = 0; j < nc; j++)
		{
			/* the sector of column j's centre, as horizon_at reads it */
			ok &= x[j] == e[sr_horizon_sector(j * 360.0 / nc, n[t])];
		}
	}
	SR_CHECK(ok && sr_horizon_columns(72) == 72 && sr_horizon_columns(720) == 720,
			 "horizon columns: 4 -> 76, 5 -> 75, 8 -> 72, 16 -> 80, 35 -> 105, 36 kept; each column in its sector");
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_planes();
	test_horizon_columns();
	test_wall();
	test_stray_coordinates();
	test_random_scenes();
	test_boundary_ties();
	test_footprint_shapes();
	test_perez();
	test_perez_aw();
	test_sky();
	test_sky_bound();
	test_unique_ids();
	return SR_TEST_END();
}
