/*
 * test_terrain.c — horizons from an elevation model against exact
 * elevation angles of analytic surfaces (cadastre_terrain.c): a cone, a
 * ridge, a V valley, a plateau seen over the Earth's curvature; the grid of
 * the cadastre; trees as 12-gon prisms.
 */
#include "sr_test.h"
#include "sr_terrain.h"

#include <stdlib.h>
#include <string.h>

/* a DEM of n x n pixels of size p centred on the origin, z = f(x, y) at
 * the pixel centres */
static sr_dem_tile
make_tile(int n, double p, double (*f) (double, double))
{
	sr_dem_tile t;
	float	   *z = malloc(sizeof(float) * n * n);	/* heights are floats */

	t.ulx = -n * p / 2;
	t.uly = n * p / 2;
	t.sx = p;
	t.sy = -p;
	t.w = t.h = n;
	t.has_nodata = 0;
	t.nodata = 0;
	for (int j = 0; j < n; j++)
		for (int i = 0; i < n; i++)
			z[j * n + i] = f(t.ulx + (i + 0.5) * p, t.uly - (j + 0.5) * p);
	t.z = z;
	return t;
}

static double
cone(double x, double y)
{
	double		r = sqrt(x * x + y * y);

	return r < 500 ? 100 * (1 - r / 500) : 0;
}

static double
ridge(double x, double y)
{
	/* a ridge along y, crest 80 m high at x = 1000, flanks 200 m wide */
	double		d = fabs(x - 1000);

	(void) y;
	return d < 200 ? 80 * (1 - d / 200) : 0;
}

static double
valley(double x, double y)
{
	/* a V valley along y through the origin: z = 0.3 |x| */
	(void) y;
	return 0.3 * fabs(x);
}

static double
plateau(double x, double y)
{
	/* a 300 m high band from 15 to 16 km east */
	(void) y;
	return x >= 15000 && x <= 16000 ? 300 : 0;
}

int
main(void)
{
	sr_dem		dem;
	sr_dem_tile t;
	sr_terrain_opts o = {6000, 0, SR_REFRACTION_K, 0};
	double		e[72], z0 = 0;
	sr_err		err;
	double		worst;

	SR_TEST_BEGIN();
	sr_err_clear(&err);

	/* cone: seen from (2000, 0), its apex at 2 km west: atan(100 / 2000) in
	 * sector 54 (270 deg), as from every point outside the base whose
	 * elevation toward the cone increases up to the apex */
	t = make_tile(801, 10, cone);
	SR_CHECK(sr_dem_init(&dem, &t, 1, &err) == SR_OK, "cone DEM");
	SR_CHECK_CLOSE(sr_dem_height(&dem, 0, 0), 100, 1e-9, "the apex is a pixel centre");
	SR_CHECK_CLOSE(sr_dem_height(&dem, 5, 0), 0.5 * (100 + 100 * (1 - 10.0 / 500)), 1e-9,
				   "bilinear between pixel centres");
	SR_CHECK(sr_dem_horizon(&dem, 2000, 0, &z0, 1, 72, &o, e, &err) == SR_OK, "cone horizon");
	SR_CHECK_CLOSE(e[54], atan(100.0 / 2000.0) * SR_RAD2DEG, 1e-6, "toward the cone: atan(H / D)");
	SR_CHECK(e[0] == 0 && e[18] == 0 && e[36] == 0, "elsewhere: no terrain above the horizontal");
	/* nearer (700 m east), higher: atan(100 / 700) */
	SR_CHECK(sr_dem_horizon(&dem, 700, 0, &z0, 1, 72, &o, e, &err) == SR_OK &&
			 fabs(e[54] - atan(100.0 / 700.0) * SR_RAD2DEG) < 1e-6, "nearer, higher");
	free((void *) t.z);

	/* ridge: from the origin the crest is at x = 1000, so a ray at azimuth
	 * 90 + th meets it at d = 1000 / cos th with elevation
	 * atan(80 cos th / 1000); a sector's value is at its edge nearest east */
	t = make_tile(601, 5, ridge);
	sr_dem_init(&dem, &t, 1, &err);
	o.radius_m = 1400;
	SR_CHECK(sr_dem_horizon(&dem, 0, 0, &z0, 1, 72, &o, e, &err) == SR_OK, "ridge horizon");
	worst = 0;
	for (int k = 10; k <= 26; k++)
	{
		double		th = fmax(0.0, fabs(k * 5.0 - 90.0) - 2.5) * SR_DEG2RAD;
		double		exact = atan(80 * cos(th) / 1000) * SR_RAD2DEG;

		worst = fmax(worst, fabs(e[k] - exact));
	}
	/* samples every half pixel (2.5 m) along a ray straddle the crest:
	 * within 0.4 m/m x 1.25 m of it, 0.03 deg at 1 km */
	SR_CHECK(worst < 0.03, "ridge: atan(H cos th / D) in every sector facing it (half-pixel sampling)");
	SR_CHECK(e[54] == 0, "ridge: nothing to the west");
	free((void *) t.z);

	/* valley: from its bottom, the wall in direction a rises at
	 * atan(0.3 |sin a|) at every distance; a sector takes its edge of
	 * largest |sin| */
	t = make_tile(401, 10, valley);
	sr_dem_init(&dem, &t, 1, &err);
	o.radius_m = 1500;
	SR_CHECK(sr_dem_horizon(&dem, 0, 0, &z0, 1, 72, &o, e, &err) == SR_OK, "valley horizon");
	worst = 0;
	for (int k = 0; k < 72; k++)
	{
		double		a0 = (k * 5.0 - 2.5) * SR_DEG2RAD, a1 = (k * 5.0 + 2.5) * SR_DEG2RAD;
		double		s = fmax(fabs(sin(a0)), fabs(sin(a1)));

		/* a sector containing 90 or 270 deg reaches |sin| = 1 */
		if (k == 18 || k == 54)
			s = 1;
		worst = fmax(worst, fabs(e[k] - atan(0.3 * s) * SR_RAD2DEG));
	}
	SR_CHECK(worst < 1e-6, "valley: atan(s |sin a|) in every sector, exact");
	free((void *) t.z);

	/* a plateau 300 m high from 15 km: flat-Earth atan(300 / 15000); with
	 * curvature and refraction the near edge drops by (1 - k) d^2 / 2R */
	{
		sr_dem_tile tt;
		float	   *z = malloc(sizeof(float) * 2 * 400);

		/* two rows, 40 m pixels from x = 0 to 16 km (heights by x only);
		 * the viewer between the rows' centres */
		tt.ulx = -20;
		tt.uly = 40;
		tt.sx = 40;
		tt.sy = -40;
		tt.w = 400;
		tt.h = 2;
		tt.has_nodata = 0;
		tt.nodata = 0;
		for (int i = 0; i < 400; i++)
			z[i] = z[400 + i] = plateau(tt.ulx + (i + 0.5) * 40, 0);
		tt.z = z;
		sr_dem_init(&dem, &tt, 1, &err);
		o.radius_m = 17000;
		o.curvature = 0;
		sr_dem_horizon(&dem, 0, 0, &z0, 1, 72, &o, e, &err);
		/* pixel centres every 40 m: the edge pixel's centre at 15,000 m is
		 * a sample (samples every 20 m from 40 m) */
		SR_CHECK(fabs(e[18] - atan(300.0 / 15000) * SR_RAD2DEG) < 1e-9, "plateau, flat Earth");
		o.curvature = 1;
		sr_dem_horizon(&dem, 0, 0, &z0, 1, 72, &o, e, &err);
		SR_CHECK(fabs(e[18] - atan((300.0 - 0.87 * 15000.0 * 15000 / (2 * 6371000.0)) / 15000) * SR_RAD2DEG) < 1e-9,
				 "plateau over the curved Earth with refraction");
		free(z);
	}

	/* the grid of the cadastre: a node reproduces the direct horizon at its
	 * four heights; between heights, linear */
	{
		sr_terrain_grid *g;
		double		zz[2] = {25, 37.5}, d2[144], h[72];

		t = make_tile(801, 10, cone);
		sr_dem_init(&dem, &t, 1, &err);
		o.radius_m = 4000;
		o.curvature = 1;
		SR_CHECK(sr_terrain_grid_build(&dem, 1500, -100, 1700, 100, 100, 72, NULL, 0, &o, &g, &err) == SR_OK,
				 "terrain grid builds");
		sr_dem_horizon(&dem, 1600, 0, zz, 2, 72, &o, d2, &err);
		for (int k = 0; k < 72; k++)
			h[k] = 0;
		sr_terrain_grid_apply(g, 1600, 0, 25, h);
		SR_CHECK_CLOSE(h[54], d2[54], 1e-5, "at a node and a grid height: the direct horizon");
		for (int k = 0; k < 72; k++)
			h[k] = 0;
		sr_terrain_grid_apply(g, 1600, 0, 37.5, h);
		SR_CHECK(fabs(h[54] - d2[72 + 54]) < 0.05, "between grid heights: linear, within 0.05 deg");
		sr_terrain_grid_free(g);

		/* only the nodes the boxes need: two towns 3 km apart on a 100 m
		 * grid (31 x 5 nodes) get the nodes around them only, and their
		 * points the same horizons as from the whole grid, to the bit (by
		 * hand: the first box spans columns 0-1 and rows 1-3, 6 nodes; the
		 * second lies past the grid's east side, whose last column it is
		 * held to, rows 2-3, 2 nodes) */
		{
			sr_terrain_grid *gd, *gs;
			double		boxes[8] = {-1480, -40, -1410, 30, 1520, 10, 1530, 60};
			double		pts[6][3] = {{-1480, -40, 12}, {-1445, 0, 30}, {-1410, 30, 80},
			{1520, 10, 5}, {1525, 35, 40}, {1530, 60, 120}};
			double		hd[72], hs[72];
			int			same = 0;

			SR_CHECK(sr_terrain_grid_build(&dem, -1500, -200, 1500, 200, 100, 72, NULL, 0, &o, &gd, &err) == SR_OK &&
					 sr_terrain_grid_build(&dem, -1500, -200, 1500, 200, 100, 72, boxes, 2, &o, &gs, &err) == SR_OK,
					 "terrain grid: whole and around two boxes");
			for (int q = 0; q < 6; q++)
			{
				for (int k = 0; k < 72; k++)
					hd[k] = hs[k] = 0;
				sr_terrain_grid_apply(gd, pts[q][0], pts[q][1], pts[q][2], hd);
				sr_terrain_grid_apply(gs, pts[q][0], pts[q][1], pts[q][2], hs);
				same += memcmp(hd, hs, sizeof(hd)) == 0;
			}
			printf("# terrain grid: %d of %d nodes computed for two boxes; %d of 6 points the same\n",
				   sr_terrain_grid_nodes(gs), sr_terrain_grid_nodes(gd), same);
			SR_CHECK(sr_terrain_grid_nodes(gd) == 31 * 5 && sr_terrain_grid_nodes(gs) == 6 + 2 && same == 6,
					 "terrain grid: only the 8 nodes around two boxes are computed, and their points read the same horizons");
			sr_terrain_grid_free(gd);
			sr_terrain_grid_free(gs);
		}
		free((void *) t.z);
	}

	/* trees: a crown of radius 4 m, 12 m high, 10 m south of the viewer,
	 * rises to atan(12 / (10 - 4)) at due south (a 12-gon vertex faces
	 * south? its vertices are at 30k deg from east: (0, -4) is one) */
	{
		sr_tree		tr = {1, 0, -10, 12, 4};
		sr_obstacle_set os;
		double		eb[72];

		SR_CHECK(sr_trees_obstacles(&tr, 1, &os, &err) == SR_OK && os.obs.n == 1 &&
				 os.pt_start[1] == 13, "a tree is one 12-gon prism");
		sr_horizon_bruteforce(&os.obs, 0, 0, 0, 300, 72, -1, eb);
		SR_CHECK_CLOSE(eb[36], atan(12.0 / 6.0) * SR_RAD2DEG, 1e-9, "the crown's top seen due south");
		SR_CHECK(eb[0] == 0, "nothing to the north");
		sr_obstacle_set_free(&os);
		tr.r = 0;
		SR_CHECK(sr_trees_obstacles(&tr, 1, &os, &err) == SR_EINVAL, "a crown of radius 0 refused");
	}
	return SR_TEST_END();
}
