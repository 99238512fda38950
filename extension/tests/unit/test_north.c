/*
 * test_north.c — true north in the cadastre (cadastre_north.c): the
 * meridian convergence of Lambert-93 against the published formula of the
 * Lambert conformal conic, gamma = n (lon - lon0) (Snyder 1987, eq. 14-9;
 * n = sin phi0 = 0.7256077650 and lon0 = 3 deg E for EPSG:2154), its
 * rounding, the turn of points, buildings, a roof plane and an elevation
 * model about a centre.
 */
#include "sr_test.h"
#include "sr_terrain.h"

#include <stdlib.h>
#include <string.h>

/* gamma at (lon, lat) from two points of its meridian put in Lambert-93 by
 * PROJ, as the glue does with PostGIS (sr_srid_convergence) */
static double
l93_gamma(double lon, double lat)
{
	const char *defs[1] = {"EPSG:2154"};
	double		xs, ys, xn, yn;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_crs_from_lonlat(defs, 1, lon, lat - 0.001, &xs, &ys, &err) != SR_OK ||
		sr_crs_from_lonlat(defs, 1, lon, lat + 0.001, &xn, &yn, &err) != SR_OK)
		return NAN;
	return sr_north_convergence(xs, ys, xn, yn);
}

/* the cone of test_terrain.c: 100 m high at the origin, 500 m base radius */
static double
cone(double x, double y)
{
	double		r = sqrt(x * x + y * y);

	return r < 500 ? 100 * (1 - r / 500) : 0;
}

int
main(void)
{
	const double n = 0.7256077650;	/* Lambert-93's cone constant, published */
	sr_north	f;
	double		x, y;

	SR_TEST_BEGIN();

	/* the convergence: Lyon (4.83 E), Brest (4.49 W), Bastia (9.45 E), the
	 * central meridian; in a conformal conic it does not depend on the
	 * latitude */
	SR_CHECK_CLOSE(l93_gamma(4.83, 45.76), n * (4.83 - 3), 1e-6, "Lyon: n (lon - lon0) = +1.3279 deg");
	SR_CHECK_CLOSE(l93_gamma(-4.49, 48.39), n * (-4.49 - 3), 1e-6, "Brest: -5.4348 deg");
	SR_CHECK_CLOSE(l93_gamma(9.45, 42.70), n * (9.45 - 3), 1e-6, "Bastia: +4.6802 deg");
	SR_CHECK_CLOSE(l93_gamma(3.0, 46.5), 0, 1e-9, "central meridian: 0");
	SR_CHECK_CLOSE(l93_gamma(-4.49, 43.0), l93_gamma(-4.49, 50.0), 1e-6, "independent of the latitude");
	SR_CHECK(isnan(sr_north_convergence(1, 2, 1, 2)), "a segment of no length: NaN");
	SR_CHECK(isnan(sr_north_convergence(NAN, 2, 1, 3)), "a NaN point: NaN");
	SR_CHECK_CLOSE(sr_north_convergence(0, 0, -1, 1), 45, 1e-12, "meridian going north-west in the grid: +45");

	/* rounding to 0.01 deg, no negative zero */
	SR_CHECK(sr_north_round(1.327862) == 1.33, "1.327862 rounds to 1.33");
	SR_CHECK(sr_north_round(-5.434802) == -5.43, "-5.434802 rounds to -5.43");
	SR_CHECK(sr_north_round(-0.004) == 0 && !signbit(sr_north_round(-0.004)), "-0.004 rounds to +0");

	/* true azimuths of surfaces (the city model's): plus gamma, in [0, 360);
	 * level surfaces keep 180 */
	SR_CHECK_CLOSE(sr_north_true_azimuth(185.43, 30, -5.43), 180, 1e-12, "185.43 - 5.43 = 180");
	SR_CHECK_CLOSE(sr_north_true_azimuth(359.5, 90, 1.33), 0.83, 1e-12, "past north: 0.83");
	SR_CHECK_CLOSE(sr_north_true_azimuth(0.5, 90, -1.33), 359.17, 1e-12, "before north: 359.17");
	SR_CHECK(sr_north_true_azimuth(180, 0, 4.68) == 180 && sr_north_true_azimuth(180, 180, 4.68) == 180,
			 "level surfaces (up or down) keep 180");

	/* the turn: a point 10 m due grid north of the centre goes to true
	 * azimuth gamma (clockwise), the way back returns it */
	sr_north_init(&f, 1000, 2000, 30);
	x = 1000;
	y = 2010;
	sr_north_to_true(&f, &x, &y);
	SR_CHECK_CLOSE(x, 10 * 0.5, 1e-9, "north turned by 30: x = 10 sin 30 from the centre");
	SR_CHECK_CLOSE(y, 10 * sqrt(3) / 2, 1e-9, "north turned by 30: y = 10 cos 30");
	sr_north_to_grid(&f, &x, &y);
	SR_CHECK(fabs(x - 1000) < 1e-9 && fabs(y - 2010) < 1e-9, "and back");
	x = 3;
	y = 4;
	sr_north_vec_to_grid(&f, &x, &y);
	SR_CHECK_CLOSE(hypot(x, y), 5, 1e-12, "a vector keeps its length");
	SR_CHECK_CLOSE(atan2(x, y) * SR_RAD2DEG, atan2(3, 4) * SR_RAD2DEG - 30, 1e-9,
				   "and loses gamma of azimuth back to the grid");
	sr_north_init(&f, 1000, 2000, 0);
	x = 0.1;
	y = 1e7 + 0.3;
	sr_north_to_true(&f, &x, &y);
	SR_CHECK(f.turned == 0 && x == 0.1 && y == 1e7 + 0.3, "gamma 0: the identity, bit for bit");

	/* a roof facing grid azimuth 185.43 in Brest (true south there) has a
	 * true azimuth of 180 once turned; its tilt and area are kept */
	{
		double		g = -5.43, a = (180 - g) * SR_DEG2RAD, t = 30 * SR_DEG2RAD;
		double		xyz[15];
		int			np[1] = {5};
		sr_poly3	p = {1, np, xyz};
		sr_plane	pl;
		sr_err		err;
		/* a 10 x 8 m face: u along the eaves, v down the slope toward a */
		double		u[2] = {cos(a), -sin(a)}, d[2] = {sin(a), cos(a)};
		double		c[4][2] = {{0, 0}, {10, 0}, {10, 8}, {0, 8}};

		for (int k = 0; k < 5; k++)
		{
			double		s = c[k % 4][0], h = c[k % 4][1];

			xyz[3 * k] = 150000 + s * u[0] + h * cos(t) * d[0];
			xyz[3 * k + 1] = 6840000 + s * u[1] + h * cos(t) * d[1];
			xyz[3 * k + 2] = 50 - h * sin(t);
		}
		sr_err_clear(&err);
		SR_CHECK(sr_roof_plane_fit(&p, &pl, &err) == SR_OK && fabs(pl.azimuth - 185.43) < 1e-9,
				 "the face as given: grid azimuth 185.43");
		sr_north_init(&f, 150005, 6840004, g);
		sr_north_turn_xyz(&f, xyz, 5);
		SR_CHECK(sr_roof_plane_fit(&p, &pl, &err) == SR_OK, "turned face fits");
		SR_CHECK_CLOSE(pl.azimuth, 180, 1e-6, "turned by the convergence: true south, 180");
		SR_CHECK_CLOSE(pl.tilt, 30, 1e-6, "tilt kept");
		SR_CHECK_CLOSE(pl.area_3d, 80, 1e-6, "area kept");
	}

	/* buildings: the box centre, every point turned */
	{
		double		xyz1[15] = {0, 0, 0, 10, 0, 0, 10, 10, 0, 0, 10, 0, 0, 0, 0};
		double		xyz2[15] = {30, -20, 0, 40, -20, 0, 40, -10, 0, 30, -10, 0, 30, -20, 0};
		int			prs[2] = {0, 1}, rps[2] = {0, 5};
		sr_building b[3];
		double		box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};

		memset(b, 0, sizeof(b));
		for (int k = 0; k < 2; k++)
		{
			b[k].geom.npolys = 1;
			b[k].geom.nrings = 1;
			b[k].geom.npts = 5;
			b[k].geom.poly_ring_start = prs;
			b[k].geom.ring_pt_start = rps;
		}
		b[0].geom.xyz = xyz1;
		b[1].geom.xyz = xyz2;	/* b[2]: no geometry */
		sr_buildings_box(b, 3, box);
		SR_CHECK(box[0] == 0 && box[1] == -20 && box[2] == 40 && box[3] == 10, "box of both");
		sr_north_init(&f, 20, -5, 90);
		sr_buildings_turn(b, 3, &f);
		/* clockwise by 90 about (20, -5), the new origin: (0, 0), at
		 * (-20, +5) from it, goes to (5, 20) */
		SR_CHECK_CLOSE(xyz1[0], 5, 1e-9, "a corner turned by 90: x");
		SR_CHECK_CLOSE(xyz1[1], 20, 1e-9, "a corner turned by 90: y");
		SR_CHECK_CLOSE(xyz2[6], -5, 1e-9, "the other building too: x");
		SR_CHECK_CLOSE(xyz2[7], -20, 1e-9, "the other building too: y");
	}

	/* an elevation model turned about the observer: the cone's apex, due
	 * grid west (270), seen at true azimuth 270 + gamma */
	{
		int			nn = 401;
		double		p = 10, e[72], z0 = 0;
		float	   *z = malloc(sizeof(float) * nn * nn);
		sr_dem_tile t;
		sr_dem		dem;
		sr_terrain_opts o = {6000, 0, SR_REFRACTION_K, 0};
		sr_err		err;

		t.ulx = -nn * p / 2;
		t.uly = nn * p / 2;
		t.sx = p;
		t.sy = -p;
		t.w = t.h = nn;
		t.has_nodata = 0;
		t.nodata = 0;
		for (int j = 0; j < nn; j++)
			for (int i = 0; i < nn; i++)
				z[j * nn + i] = (float) cone(t.ulx + (i + 0.5) * p, t.uly - (j + 0.5) * p);
		t.z = z;
		sr_err_clear(&err);
		SR_CHECK(sr_dem_init(&dem, &t, 1, &err) == SR_OK, "cone DEM");
		sr_north_init(&f, 1500, 0, 10);
		sr_dem_turn(&dem, &f);
		/* the observer, the frame's centre, is its origin */
		SR_CHECK(sr_dem_horizon(&dem, 0, 0, &z0, 1, 72, &o, e, &err) == SR_OK, "turned cone horizon");
		SR_CHECK_CLOSE(e[56], atan(100.0 / 1500.0) * SR_RAD2DEG, 1e-6, "the apex in sector 56 (280 deg)");
		SR_CHECK(e[54] < e[56] - 0.5, "not in 54 (270 deg) any more");
		x = -1500 * sin(80 * SR_DEG2RAD);
		y = 1500 * cos(80 * SR_DEG2RAD);
		SR_CHECK_CLOSE(sr_dem_height(&dem, x, y), 100, 1e-3, "the apex's height read at its turned place");
		free(z);
	}
	return SR_TEST_END();
}
