/*
 * Unit tests of the 3D publication core (sr_city3d.h): triangulation
 * against areas worked by hand and against a brute-force check on random
 * polygons, colours, the properties parser, geodesy against published
 * values and the Lambert-93 definition, the model (faces, walls,
 * features), the GLB layout and the tileset's quadtree.
 */
#include "sr_city3d.h"
#include "sr_options.h"
#include "sr_test.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------------ */

/* sr_check_interrupts() calls */
static long intr_calls;

static void
intr_count(void)
{
	intr_calls++;
}

/* Triangle area (3D) and orientation around n. */
static double
tri_area(const double *xyz, const uint32_t *t, const double n[3], double *orient)
{
	const double *a = xyz + 3 * t[0],
			   *b = xyz + 3 * t[1],
			   *c = xyz + 3 * t[2];
	double		u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]},
				v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]},
				x[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};

	*orient = x[0] * n[0] + x[1] * n[1] + x[2] * n[2];
	return sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]) / 2;
}

/* Triangulate rings given as xy lists at height z; returns the count,
 * total area and whether all are wound around +z. */
static int
tri_xy(const double *xy, const int *ring_start, int nrings, double *area, bool *ccw)
{
	int			n = ring_start[nrings];
	double	   *xyz = malloc(sizeof(double) * 3 * n);
	uint32_t   *tri = malloc(sizeof(uint32_t) * 3 * (n + 2 * nrings));
	double		nrm[3] = {0, 0, 1};
	int			nt;

	for (int i = 0; i < n; i++)
	{
		xyz[3 * i] = xy[2 * i];
		xyz[3 * i + 1] = xy[2 * i + 1];
		xyz[3 * i + 2] = 5;
	}
	nt = sr_city_triangulate(xyz, ring_start, nrings, nrm, tri);
	*area = 0;
	*ccw = true;
	for (int t = 0; t < nt; t++)
	{
		double		o;

		*area += tri_area(xyz, tri + 3 * t, nrm, &o);
		if (!(o > 0))
			*ccw = false;
	}
	free(xyz);
	free(tri);
	return nt;
}

static double
shoelace(const double *xy, int s, int e)
{
	double		a = 0;

	for (int i = s, j = e - 1; i < e; j = i++)
		a += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
	return a / 2;
}

/* Point in polygon with holes (even-odd). */
static bool
inside(const double *xy, const int *rs, int nr, double px, double py)
{
	bool		in = false;

	for (int r = 0; r < nr; r++)
		for (int i = rs[r], j = rs[r + 1] - 1; i < rs[r + 1]; j = i++)
			if (((xy[2 * i + 1] > py) != (xy[2 * j + 1] > py)) &&
				px < (xy[2 * j] - xy[2 * i]) * (py - xy[2 * i + 1]) / (xy[2 * j + 1] - xy[2 * i + 1]) + xy[2 * i])
				in = !in;
	return in;
}

/* ---- triangulation ----------------------------------------------------------- */

/* The thread stack sr_city_triangulate uses (bytes, measured on a painted
 * stack of 1 MB) on 1 + H rings of 8 points, each inside the last and
 * shifted so that they cross (H = 0: one octagon). */
static struct
{
	double	   *xyz;
	int		   *rs;
	int			nrings;
}			tstack;

static void *
tri_stack_run(void *arg)
{
	double		nrm[3] = {0, 0, 1};
	uint32_t   *tri = malloc(sizeof(uint32_t) * 3 * (tstack.rs[tstack.nrings] + 2 * tstack.nrings + 8));

	(void) sr_city_triangulate(tstack.xyz, tstack.rs, tstack.nrings, nrm, tri);
	free(tri);
	return arg;
}

static size_t
tri_stack_used(int H)
{
	size_t		sz = 1 << 20,
				i = 0;
	unsigned char *stk = aligned_alloc(4096, sz);
	pthread_attr_t at;
	pthread_t	th;
	int			k = 0;

	tstack.nrings = H + 1;
	tstack.xyz = malloc(sizeof(double) * 3 * 8 * tstack.nrings);
	tstack.rs = malloc(sizeof(int) * (tstack.nrings + 1));
	for (int r = 0; r < tstack.nrings; r++)
	{
		double		sc = 1.0 - (double) r / (tstack.nrings + 1),
					cx = 0.3 * sin(r * 0.5);

		tstack.rs[r] = k;
		for (int j = 0; j < 8; j++, k++)
		{
			tstack.xyz[3 * k] = cx + sc * cos(2 * SR_PI * j / 8);
			tstack.xyz[3 * k + 1] = sc * sin(2 * SR_PI * j / 8);
			tstack.xyz[3 * k + 2] = 0;
		}
	}
	tstack.rs[tstack.nrings] = k;
	memset(stk, 0xA5, sz);
	pthread_attr_init(&at);
	pthread_attr_setstack(&at, stk, sz);
	if (pthread_create(&th, &at, tri_stack_run, NULL) == 0)
	{
		pthread_join(th, NULL);
		while (i < sz && stk[i] == 0xA5)
			i++;
	}
	else
		i = sz;
	pthread_attr_destroy(&at);
	free(stk);
	free(tstack.xyz);
	free(tstack.rs);
	return sz - i;
}

static void
test_triangulation(void)
{
	double		n[3],
				area;
	bool		ccw;

	{
		double		sq[] = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};

		sr_city_newell(sq, 4, n);
		SR_CHECK(n[0] == 0 && n[1] == 0 && n[2] == 2, "newell: unit square counter-clockwise gives (0, 0, 2)");
	}
	{
		double		sq[] = {0, 0, 1, 0, 1, 1, 0, 1};
		int			rs[] = {0, 4};

		SR_CHECK(tri_xy(sq, rs, 1, &area, &ccw) == 2, "triangulate: a square gives 2 triangles");
		SR_CHECK_CLOSE(area, 1.0, 1e-12, "triangulate: the square's triangles cover its area");
		SR_CHECK(ccw, "triangulate: wound counter-clockwise around the normal");
	}
	{
		/* clockwise input: same triangles, still wound around the normal */
		double		sq[] = {0, 0, 0, 1, 1, 1, 1, 0};
		int			rs[] = {0, 4};

		SR_CHECK(tri_xy(sq, rs, 1, &area, &ccw) == 2 && ccw, "triangulate: clockwise ring wound around the normal");
	}
	{
		/* L: 3 x 3 minus 2 x 2 = 5 m2, 6 points -> 4 triangles */
		double		l[] = {0, 0, 3, 0, 3, 1, 1, 1, 1, 3, 0, 3};
		int			rs[] = {0, 6};

		SR_CHECK(tri_xy(l, rs, 1, &area, &ccw) == 4, "triangulate: an L (6 points) gives 4 triangles");
		SR_CHECK_CLOSE(area, 5.0, 1e-12, "triangulate: the L's area is 5");
	}
	{
		/* 10 x 10 with a 4 x 4 courtyard: 8 points, 1 hole -> 8 + 2 - 2 = 8 */
		double		c[] = {0, 0, 10, 0, 10, 10, 0, 10, 3, 3, 3, 7, 7, 7, 7, 3};
		int			rs[] = {0, 4, 8};

		SR_CHECK(tri_xy(c, rs, 2, &area, &ccw) == 8, "triangulate: square with a courtyard gives 8 triangles");
		SR_CHECK_CLOSE(area, 84.0, 1e-9, "triangulate: courtyard left out (100 - 16)");
		SR_CHECK(ccw, "triangulate: courtyard case wound around the normal");
	}
	{
		/* L-shaped roof with a courtyard in its long arm: 6 + 4 points,
		 * one hole -> 10 + 2 - 2 = 10 triangles; area 20x10 + 10x10 - 4x4 */
		double		c[] = {0, 0, 20, 0, 20, 10, 10, 10, 10, 20, 0, 20,
			3, 3, 7, 3, 7, 7, 3, 7};
		int			rs[] = {0, 6, 10};

		SR_CHECK(tri_xy(c, rs, 2, &area, &ccw) == 10, "triangulate: L with a courtyard gives 10 triangles");
		SR_CHECK_CLOSE(area, 284.0, 1e-9, "triangulate: L with a courtyard covers 284 m2");
	}
	{
		/* two holes */
		double		c[] = {0, 0, 10, 0, 10, 4, 0, 4, 1, 1, 1, 3, 3, 3, 3, 1, 6, 1, 6, 3, 8, 3, 8, 1};
		int			rs[] = {0, 4, 8, 12};

		/* collinear points of the bridged rings (y = 1 and y = 3) are
		 * dropped, so fewer than 12 + 2 x 2 - 2 triangles may do */
		int			nt = tri_xy(c, rs, 3, &area, &ccw);

		SR_CHECK(nt >= 10 && nt <= 14 && ccw, "triangulate: two holes on one line, at most 12 + 2 x 2 - 2 triangles");
		SR_CHECK_CLOSE(area, 40.0 - 8.0, 1e-9, "triangulate: two holes left out (40 - 2 x 4)");
	}
	{
		/* a vertical wall in the plane y = 2, normal -y */
		double		w[] = {0, 2, 0, 4, 2, 0, 4, 2, 3, 0, 2, 3};
		int			rs[] = {0, 4};
		uint32_t	t[6];
		double		nrm[3],
					o1,
					o2,
					a;

		sr_city_newell(w, 4, nrm);
		SR_CHECK(nrm[0] == 0 && nrm[1] < 0 && nrm[2] == 0, "newell: the wall faces -y");
		SR_CHECK(sr_city_triangulate(w, rs, 1, nrm, t) == 2, "triangulate: a vertical wall gives 2 triangles");
		a = tri_area(w, t, nrm, &o1) + tri_area(w, t + 3, nrm, &o2);
		SR_CHECK_CLOSE(a, 12.0, 1e-12, "triangulate: the wall's area is 4 x 3");
		SR_CHECK(o1 > 0 && o2 > 0, "triangulate: the wall's triangles face -y");
	}
	{
		/* a sloped roof face at Lambert-93 coordinates: area of the plane */
		double		r[] = {842000, 6519000, 170, 842010, 6519000, 170, 842010, 6519006, 174.5, 842000, 6519006, 174.5};
		int			rs[] = {0, 4};
		uint32_t	t[6];
		double		nrm[3],
					o1,
					o2,
					a;

		sr_city_newell(r, 4, nrm);
		SR_CHECK(sr_city_triangulate(r, rs, 1, nrm, t) == 2, "triangulate: a sloped face at Lambert-93 coordinates");
		a = tri_area(r, t, nrm, &o1) + tri_area(r, t + 3, nrm, &o2);
		SR_CHECK_CLOSE(a, 10 * sqrt(36 + 4.5 * 4.5), 1e-6, "triangulate: its area is 10 x 7.5");
	}
	{
		/* brute force: random star polygons with a square hole; the
		 * triangles cover the area, never overlap the hole, keep the
		 * winding, and their count is n + 2h - 2 */
		int			ok_count = 1,
					ok_area = 1,
					ok_inside = 1,
					ok_wind = 1;

		srand(12345);
		for (int trial = 0; trial < 300; trial++)
		{
			int			np = 8 + rand() % 200,	/* above 80: the z-order path */
						nh = trial % 2;
			int			n = np + 4 * nh;
			double	   *xy = malloc(sizeof(double) * 2 * n),
					   *xyz = malloc(sizeof(double) * 3 * n);
			uint32_t   *tri = malloc(sizeof(uint32_t) * 3 * (n + 4));
			int			rs[3] = {0, np, n};
			double		nrm[3] = {0, 0, 1},
						a = 0,
						want;
			int			nt;

			for (int i = 0; i < np; i++)
			{
				double		ang = 2 * SR_PI * (i + 0.4 * (rand() / (double) RAND_MAX)) / np,
							rad = 0.5 + 0.5 * rand() / (double) RAND_MAX;

				xy[2 * i] = rad * cos(ang);
				xy[2 * i + 1] = rad * sin(ang);
			}
			if (nh)
			{
				double		h[] = {-0.1, -0.1, -0.1, 0.1, 0.1, 0.1, 0.1, -0.1};

				memcpy(xy + 2 * np, h, sizeof(h));
			}
			for (int i = 0; i < n; i++)
			{
				xyz[3 * i] = xy[2 * i] * 10 + 842000;
				xyz[3 * i + 1] = xy[2 * i + 1] * 10 + 6519000;
				xyz[3 * i + 2] = 0;
				xy[2 * i] *= 10;
				xy[2 * i + 1] *= 10;
			}
			nt = sr_city_triangulate(xyz, rs, 1 + nh, nrm, tri);
			want = fabs(shoelace(xy, 0, np)) - (nh ? 4.0 : 0);
			if (nt != n + 2 * nh - 2)
				ok_count = 0;
			for (int t = 0; t < nt; t++)
			{
				double		o,
							cx = 0,
							cy = 0;

				a += tri_area(xyz, tri + 3 * t, nrm, &o);
				if (!(o > 0))
					ok_wind = 0;
				for (int k = 0; k < 3; k++)
				{
					cx += xy[2 * tri[3 * t + k]] / 3;
					cy += xy[2 * tri[3 * t + k] + 1] / 3;
				}
				if (!inside(xy, rs, 1 + nh, cx, cy))
					ok_inside = 0;
			}
			if (fabs(a - want) > 1e-6 * want)
				ok_area = 0;
			free(xy);
			free(xyz);
			free(tri);
		}
		SR_CHECK(ok_count, "triangulate brute force: 300 random polygons (8 to 207 points) give n + 2h - 2 triangles");
		SR_CHECK(ok_area, "triangulate brute force: triangles cover the shoelace area minus the hole");
		SR_CHECK(ok_inside, "triangulate brute force: every triangle's centroid is inside the polygon");
		SR_CHECK(ok_wind, "triangulate brute force: every triangle wound around the normal");
	}
	{
		/* a circle of 20,000 points around a square courtyard (the z-order
		 * path): n + 2 - 2 triangles covering the area */
		int			np = 20000,
					n = np + 4;
		double	   *xyz = malloc(sizeof(double) * 3 * n),
					nrm[3] = {0, 0, 1},
					a = 0,
					o,
					want = 0;
		uint32_t   *tri = malloc(sizeof(uint32_t) * 3 * (n + 4));
		int			rs[3] = {0, np, n},
					nt;
		bool		wound = true;
		static const double h[] = {-10, -10, -10, 10, 10, 10, 10, -10};

		for (int i = 0; i < np; i++)
		{
			xyz[3 * i] = 842000 + 100 * cos(2 * SR_PI * i / np);
			xyz[3 * i + 1] = 6519000 + 100 * sin(2 * SR_PI * i / np);
			xyz[3 * i + 2] = 0;
		}
		for (int i = 0; i < 4; i++)
		{
			xyz[3 * (np + i)] = 842000 + h[2 * i];
			xyz[3 * (np + i) + 1] = 6519000 + h[2 * i + 1];
			xyz[3 * (np + i) + 2] = 0;
		}
		/* the polygon's area: np triangles from the centre, minus the courtyard */
		want = np * 0.5 * 100 * 100 * sin(2 * SR_PI / np) - 400;
		nt = sr_city_triangulate(xyz, rs, 2, nrm, tri);
		for (int t = 0; t < nt; t++)
		{
			a += tri_area(xyz, tri + 3 * t, nrm, &o);
			if (!(o > 0))
				wound = false;
		}
		SR_CHECK(nt == n, "triangulate: a 20,000-point circle with a courtyard gives n + 2 - 2 triangles");
		SR_CHECK_CLOSE(a, want, 1e-6 * want, "triangulate: and covers its area");
		SR_CHECK(wound, "triangulate: all wound around the normal");
		free(xyz);
		free(tri);
	}
	{
		/* a star of n points, radii alternating 100 and 150 m: every other
		 * vertex reflex, the worst case of ear clipping (quadratic: a
		 * million points took 9 minutes in the server, and no cancel or
		 * statement_timeout reached it before 2026-12-06). Its area is n
		 * triangles from the centre of sides 100 and 150 at 2 pi / n. */
		int			n = 40000;
		double	   *xyz = malloc(sizeof(double) * 3 * n);
		uint32_t   *tri = malloc(sizeof(uint32_t) * 3 * (n + 2));
		int			rs[2] = {0, n},
					nt;
		double		nrm[3] = {0, 0, 1},
					a = 0,
					o,
					want = n * 0.5 * 100 * 150 * sin(2 * SR_PI / n);

		for (int i = 0; i < n; i++)
		{
			double		r = i % 2 ? 150 : 100;

			xyz[3 * i] = 842000 + r * cos(2 * SR_PI * i / n);
			xyz[3 * i + 1] = 6519000 + r * sin(2 * SR_PI * i / n);
			xyz[3 * i + 2] = 0;
		}
		intr_calls = 0;
		sr_set_handlers(NULL, NULL, NULL, intr_count);
		nt = sr_city_triangulate(xyz, rs, 1, nrm, tri);
		sr_set_handlers(NULL, NULL, NULL, NULL);
		for (int t = 0; t < nt; t++)
			a += tri_area(xyz, tri + 3 * t, nrm, &o);
		SR_CHECK(nt == n - 2, "triangulate: a 40,000-point star gives n - 2 triangles");
		SR_CHECK_CLOSE(a, want, 1e-6 * want, "triangulate: and covers its area");
		/* the cut steps through tens of millions of nodes (it scans the
		 * reflex vertices in each candidate ear's box); a check every 2^18 */
		SR_CHECK(intr_calls >= 10,
				 "triangulate: interrupts are checked while one polygon is cut (a cancel reaches a star of many points)");
		free(xyz);
		free(tri);
	}
	{
		/* Hostile input: 301 octagons, each inside the last but
		 * shifted by 0.3 sin(r / 2) so that they cross, given as holes of
		 * the first.  Earcut splits the rings it cannot clip and cut each
		 * half by recursion: here 66 levels deep (measured with a counter
		 * in the recursive version), a depth that grows with the rings'
		 * nesting.  The pieces now wait on a heap stack: the thread stack
		 * a cut uses is the same as for one octagon (to 64 bytes; the
		 * recursive cut used 20,824 bytes against 17,128 in scripts/unit.sh's
		 * build, 56 a level). */
		size_t		simple = tri_stack_used(0),
					hostile = tri_stack_used(300);

		SR_CHECK(hostile > 0 && hostile <= simple + 64,
				 "triangulate: the stack a cut uses does not grow with its rings' nesting (no recursion)");
		if (hostile > simple + 64)
			printf("# stack used: %zu bytes for nested rings, %zu for one octagon\n", hostile, simple);
	}
}

/* ---- colours and properties --------------------------------------------------- */

static void
test_colors_props(void)
{
	uint8_t		c[4];
	sr_city_pval *pv;
	int			n;
	sr_err		err;

	SR_CHECK(sr_city_parse_color("#ff8000", c) && c[0] == 255 && c[1] == 128 && c[2] == 0 && c[3] == 255,
			 "color: #ff8000 is (255, 128, 0, 255)");
	SR_CHECK(sr_city_parse_color("#10203040", c) && c[3] == 0x40, "color: #rrggbbaa keeps its alpha");
	SR_CHECK(!sr_city_parse_color("red", c) && !sr_city_parse_color("#12345", c) &&
			 !sr_city_parse_color("#gg0000", c), "color: names, short and non-hex refused");
	sr_city_ramp_color(SR_RAMP_SOLAR, 0, 0, 100, c);
	SR_CHECK(c[0] == 0x3a && c[1] == 0x3a && c[2] == 0x98, "ramp: the low end is the first stop");
	sr_city_ramp_color(SR_RAMP_SOLAR, 100, 0, 100, c);
	SR_CHECK(c[0] == 0xff && c[1] == 0xd9 && c[2] == 0x2f, "ramp: the high end is the last stop");
	sr_city_ramp_color(SR_RAMP_SOLAR, 50, 0, 100, c);
	SR_CHECK(c[0] == 0xd9 && c[1] == 0x4f && c[2] == 0x3a, "ramp: the middle of 5 stops is the third");
	sr_city_ramp_color(SR_RAMP_GREYS, 12.5, 0, 100, c);
	/* halfway between f7 (247) and cc (204): 225.5 -> 226 */
	SR_CHECK(c[0] == 226 && c[1] == 226 && c[2] == 226, "ramp: linear between two stops");
	sr_city_ramp_color(SR_RAMP_SOLAR, 1e9, 0, 100, c);
	SR_CHECK(c[0] == 0xff && c[1] == 0xd9, "ramp: clamped above");

	sr_err_clear(&err);
	SR_CHECK(sr_city_parse_props("{\"a\": 1.5, \"b\": \"x\\\"y\\u00e9\", \"c\": true, \"d\": null, "
								 "\"e\": {\"f\": [1, 2]}, \"g\": -2e3}", &pv, &n, &err) == SR_OK && n == 6,
			 "props: six members read");
	SR_CHECK(pv[0].kind == SR_PK_NUMBER && pv[0].num == 1.5, "props: a number");
	SR_CHECK(pv[1].kind == SR_PK_STRING && strcmp(pv[1].str, "x\"y\xc3\xa9") == 0, "props: escapes and \\u00e9 in UTF-8");
	SR_CHECK(pv[2].kind == SR_PK_BOOL && pv[2].b, "props: a boolean");
	SR_CHECK(pv[3].kind == SR_PK_NONE, "props: null is no value");
	SR_CHECK(pv[4].kind == SR_PK_STRING && strcmp(pv[4].str, "{\"f\": [1, 2]}") == 0, "props: nested value kept as JSON text");
	SR_CHECK(pv[5].kind == SR_PK_NUMBER && pv[5].num == -2000, "props: exponent");
	for (int i = 0; i < n; i++)
	{
		sr_free(pv[i].key);
		sr_free(pv[i].str);
	}
	sr_free(pv);
	SR_CHECK(sr_city_parse_props("[1]", &pv, &n, &err) == SR_ESYNTAX, "props: an array is refused");
	SR_CHECK(sr_city_parse_props("{\"a\": }", &pv, &n, &err) == SR_ESYNTAX, "props: a missing value is refused");
	SR_CHECK(sr_city_parse_props("{\"a\": 1} x", &pv, &n, &err) == SR_ESYNTAX && pv == NULL && n == 0,
			 "props: text after the object refused, nothing left allocated");
	SR_CHECK(sr_city_parse_props("{}", &pv, &n, &err) == SR_OK && n == 0, "props: empty object");
}

/* ---- geodesy ----------------------------------------------------------------- */

static void
test_geodesy(void)
{
	double		e[3],
				lon,
				lat,
				h,
				ax[9],
				w[3];
	sr_geo	   *g;
	sr_err		err;

	sr_geodetic_to_ecef(0, 0, 0, e);
	SR_CHECK(e[0] == SR_WGS84_A && fabs(e[1]) < 1e-9 && fabs(e[2]) < 1e-9, "ecef: (0, 0, 0) is (a, 0, 0)");
	/* published: lat 45, lon 0, h 0 -> X 4517590.8788 m, Z 4487348.4088 m */
	sr_geodetic_to_ecef(0, 45, 0, e);
	SR_CHECK_CLOSE(e[0], 4517590.8788, 1e-3, "ecef: X at latitude 45");
	SR_CHECK_CLOSE(e[2], 4487348.4088, 1e-3, "ecef: Z at latitude 45");
	sr_geodetic_to_ecef(4.8357, 45.7640, 212.5, e);
	sr_ecef_to_geodetic(e, &lon, &lat, &h);
	SR_CHECK_CLOSE(lon, 4.8357, 1e-11, "geodetic: longitude back from ECEF (Lyon)");
	SR_CHECK_CLOSE(lat, 45.7640, 1e-11, "geodetic: latitude back from ECEF");
	SR_CHECK_CLOSE(h, 212.5, 1e-6, "geodetic: height back from ECEF");
	sr_enu_axes(4.8357, 45.7640, ax);
	{
		double		dots[6] = {
			ax[0] * ax[3] + ax[1] * ax[4] + ax[2] * ax[5],
			ax[0] * ax[6] + ax[1] * ax[7] + ax[2] * ax[8],
			ax[3] * ax[6] + ax[4] * ax[7] + ax[5] * ax[8],
			ax[0] * ax[0] + ax[1] * ax[1] + ax[2] * ax[2],
			ax[3] * ax[3] + ax[4] * ax[4] + ax[5] * ax[5],
			ax[6] * ax[6] + ax[7] * ax[7] + ax[8] * ax[8]};
		double		e2[3],
					d;

		SR_CHECK(fabs(dots[0]) < 1e-15 && fabs(dots[1]) < 1e-15 && fabs(dots[2]) < 1e-15 &&
				 fabs(dots[3] - 1) < 1e-15 && fabs(dots[4] - 1) < 1e-15 && fabs(dots[5] - 1) < 1e-15,
				 "enu: axes orthonormal");
		/* up: the direction in which the height grows */
		sr_geodetic_to_ecef(4.8357, 45.7640, 213.5, e2);
		d = (e2[0] - e[0]) * ax[6] + (e2[1] - e[1]) * ax[7] + (e2[2] - e[2]) * ax[8];
		SR_CHECK_CLOSE(d, 1.0, 1e-9, "enu: up is the ellipsoid's normal");
		sr_geodetic_to_ecef(4.8357, 45.7640 + 1e-5, 212.5, e2);
		d = (e2[0] - e[0]) * ax[3] + (e2[1] - e[1]) * ax[4] + (e2[2] - e[2]) * ax[5];
		SR_CHECK(d > 1.0 && d < 1.2, "enu: north is where the latitude grows (1.1 m for 1e-5 deg)");
	}
	/* Lambert-93 (EPSG:2154): false easting 700000 and false northing
	 * 6600000 at the projection's origin, longitude 3 E, latitude 46.5 N */
	sr_err_clear(&err);
	SR_CHECK(sr_geo_open("EPSG:2154", NULL, NULL, &g, &err) == SR_OK, "proj: EPSG:2154 to ECEF opens");
	if (g)
	{
		double		p[6] = {700000, 6600000, 0, 700000, 6600000, 100};

		SR_CHECK(sr_geo_to_ecef(g, p, 2, NULL, &err) == SR_OK, "proj: two points transformed");
		sr_geodetic_to_ecef(3, 46.5, 0, w);
		SR_CHECK(fabs(p[0] - w[0]) < 1e-3 && fabs(p[1] - w[1]) < 1e-3 && fabs(p[2] - w[2]) < 1e-3,
				 "proj: Lambert-93's origin is (3 E, 46.5 N) to the millimetre");
		sr_geodetic_to_ecef(3, 46.5, 100, w);
		SR_CHECK(fabs(p[3] - w[0]) < 1e-3 && fabs(p[4] - w[1]) < 1e-3 && fabs(p[5] - w[2]) < 1e-3,
				 "proj: z is the height above the ellipsoid");
		/* the area of use: the origin (3 E, 46.5 N) is in France; (1e8, 1e8) went
		 * to about 86 S (PostGIS's ST_Transform puts it there too), and a point
		 * 200 km past the area's edge, not within a degree of it, is out: the
		 * Azores' (28 W, 38.5 N) and Brest (4.5 W, 48.4 N) from geodetic */
		{
			double		q[9] = {100000000, 100000000, 0};
			const char *area;

			SR_CHECK(sr_geo_outside(g, p, 2, &area) == 0 && strstr(area, "France") && area[strlen(area) - 1] != '.',
					 "area of use: Lambert-93's origin is inside France (its name without the final stop)");
			SR_CHECK(sr_geo_to_ecef(g, q, 1, NULL, &err) == SR_OK && sr_geo_outside(g, q, 1, &area) == 1,
					 "area of use: (1e8, 1e8) in Lambert-93 is outside (near the South Pole)");
			sr_geodetic_to_ecef(-28, 38.5, 0, q);
			sr_geodetic_to_ecef(-4.5, 48.4, 0, q + 3);
			sr_geodetic_to_ecef(3, 46.5, 0, q + 6);
			SR_CHECK(sr_geo_outside(g, q, 3, &area) == 1, "area of use: the Azores out, Brest and the origin in");
		}
		sr_geo_close(g);
	}
	SR_CHECK(sr_geo_open("EPSG:999999", NULL, NULL, &g, &err) == SR_EINVAL && g == NULL,
			 "proj: an unknown CRS is refused");
	SR_CHECK(strcmp(err.msg, "could not read the coordinate reference system EPSG:999999") == 0,
			 "proj: the unknown CRS is named");
	/* a CRS given by its PROJ string alone (a custom SRID's proj4text, no authority, no
	 * WKT): Lambert-93's parameters, its origin again at (3 E, 46.5 N) */
	sr_err_clear(&err);
	SR_CHECK(sr_geo_open(NULL, NULL, "+proj=lcc +lat_0=46.5 +lon_0=3 +lat_1=49 +lat_2=44 +x_0=700000 "
						 "+y_0=6600000 +ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs", &g, &err) == SR_OK,
			 "proj: a PROJ string alone opens");
	if (g)
	{
		double		p[3] = {700000, 6600000, 0};

		SR_CHECK(sr_geo_to_ecef(g, p, 1, NULL, &err) == SR_OK, "proj: the PROJ string's point transformed");
		sr_geodetic_to_ecef(3, 46.5, 0, w);
		SR_CHECK(fabs(p[0] - w[0]) < 1e-3 && fabs(p[1] - w[1]) < 1e-3 && fabs(p[2] - w[2]) < 1e-3,
				 "proj: the PROJ string's origin is (3 E, 46.5 N) to the millimetre");
		{
			const char *area;
			double		q[3];

			/* a custom CRS has no area of use: nothing is counted */
			sr_geodetic_to_ecef(150, -30, 0, q);
			SR_CHECK(sr_geo_outside(g, q, 1, &area) == 0 && area[0] == '\0',
					 "area of use: none for a PROJ string, nothing counted");
		}
		sr_geo_close(g);
	}
	/* a world CRS (test_city.c works the points out): Web Mercator's x past
	 * 20037508.34 m, which PROJ wraps round to 90.51 W, and 85.74 N, past
	 * 85.06 N with no margin for a world area, are counted while the points
	 * are placed; Paris, 85.02 N and the antimeridian are not.  From ECEF
	 * alone (sr_geo_outside) the wrapped point looks inside. */
	sr_err_clear(&err);
	SR_CHECK(sr_geo_open("EPSG:3857", NULL, NULL, &g, &err) == SR_OK, "proj: EPSG:3857 to ECEF opens");
	if (g)
	{
		double		wm[15] = {261845.7, 6250566.7, 0, 20037508.342789244, 0, 0, 30000000.0, 6250566.7, 0,
			261845.7, 21000000.0, 0, 261845.7, 20000000.0, 0};
		size_t		outside = 99;
		const char *area;

		SR_CHECK(sr_geo_to_ecef(g, wm, 5, &outside, &err) == SR_OK && outside == 2,
				 "area of use: 2 of Web Mercator's 5 points outside (x past its bound, 85.74 N)");
		SR_CHECK(sr_geo_outside(g, wm + 6, 1, &area) == 0 && strstr(sr_geo_area_name(g), "85.06"),
				 "area of use: the wrapped point in ECEF alone is inside; the area named");
		sr_geo_close(g);
	}
	SR_CHECK(sr_geo_open("EPSG:4326", NULL, NULL, &g, &err) == SR_OK, "proj: EPSG:4326 to ECEF opens");
	if (g)
	{
		double		geo[9] = {180.5, 0, 0, -179.5, 0, 0, 179.9, 45, 0};
		size_t		outside = 99;

		SR_CHECK(sr_geo_to_ecef(g, geo, 3, &outside, &err) == SR_OK && outside == 1,
				 "area of use: WGS 84's longitude 180.5 outside (179.5 W from ECEF), -179.5 and 179.9 inside");
		sr_geo_close(g);
	}
	SR_CHECK(sr_geo_open("EPSG:2154", NULL, NULL, &g, &err) == SR_OK, "proj: EPSG:2154 again");
	if (g)
	{
		/* a zone's area: the count as sr_geo_outside's, Lambert-93's origin in
		 * and (1e8, 1e8) out */
		double		p[6] = {700000, 6600000, 0, 100000000, 100000000, 0};
		size_t		outside = 99;

		SR_CHECK(sr_geo_to_ecef(g, p, 2, &outside, &err) == SR_OK && outside == 1,
				 "area of use: counted while placing, Lambert-93's origin in and (1e8, 1e8) out");
		sr_geo_close(g);
	}
	/* nothing PROJ reads: the message says so without an authority to name */
	sr_err_clear(&err);
	SR_CHECK(sr_geo_open(NULL, "not a CRS", "+proj=nonsense", &g, &err) == SR_EINVAL && g == NULL,
			 "proj: no readable definition is refused");
	SR_CHECK(strcmp(err.msg, "could not read the coordinate reference system") == 0,
			 "proj: ... as 'could not read the coordinate reference system' (the glue adds the SRID)");
}

/* ---- the model and the GLB ---------------------------------------------------- */

/* Little-endian WKB PolyhedralSurfaceZ of nfaces quads (4 points each). */
static uint8_t *
wkb_surface(const double *quads, int nfaces, int npts_per, size_t *len)
{
	size_t		n = 9 + (size_t) nfaces * (9 + 4 + (size_t) (npts_per + 1) * 24);
	uint8_t    *b = malloc(n),
			   *p = b;
	uint32_t	u;

#define PUT32(v) (u = (v), memcpy(p, &u, 4), p += 4)
	*p++ = 1;
	PUT32(1015);
	PUT32(nfaces);
	for (int f = 0; f < nfaces; f++)
	{
		*p++ = 1;
		PUT32(1003);
		PUT32(1);
		PUT32(npts_per + 1);
		for (int i = 0; i <= npts_per; i++)
		{
			memcpy(p, quads + 3 * (f * npts_per + i % npts_per), 24);
			p += 24;
		}
	}
	*len = (size_t) (p - b);
	return b;
}

/* Little-endian WKB PolygonZ of nrings rings of 4 points each (closed here). */
static uint8_t *
wkb_rings(const double *quads, int nrings, size_t *len)
{
	uint8_t    *b = malloc(9 + (size_t) nrings * (4 + 5 * 24)),
			   *p = b;
	uint32_t	u;

	*p++ = 1;
	PUT32(1003);
	PUT32(nrings);
	for (int r = 0; r < nrings; r++)
	{
		PUT32(5);
		for (int i = 0; i <= 4; i++)
		{
			memcpy(p, quads + 3 * (4 * r + i % 4), 24);
			p += 24;
		}
	}
	*len = (size_t) (p - b);
	return b;
}

static uint32_t
get32(const uint8_t *p)
{
	return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t) p[3] << 24);
}

static sr_city_opts
default_opts(const sr_optset *set)
{
	sr_city_opts o;

	sr_options_defaults(set, &o);
	return o;
}

static void
test_model(void)
{
	/* unit cube, faces outward */
	static const double cube[] = {
		0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0,		/* bottom, -z */
		0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1,		/* top, +z */
		0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1,		/* y = 0 */
		1, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1,		/* y = 1 */
		0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0,		/* x = 0 */
		1, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0, 1		/* x = 1 */
	};
	size_t		len,
				glen;
	uint8_t    *w = wkb_surface(cube, 6, 4, &len),
			   *glb;
	const uint8_t *wk[1] = {w};
	int64_t		id[1] = {7};
	double		val[1] = {NAN},
				gz[1] = {NAN},
				box[6];
	const char *props[1] = {"{\"name\": \"cube\", \"levels\": 3}"};
	sr_city_input in = {1, id, NULL, NULL, wk, &len, NULL, val, props, gz};
	sr_city_opts o = default_opts(&sr_city_gltf_optset);
	sr_city_model m;
	sr_city_lframe fr = {{0.5, 0.5, 0.5}, {1, 0, 0, 0, 1, 0, 0, 0, 1}};
	sr_err		err;
	bool		outward = true;
	char	   *json;

	sr_err_clear(&err);
	SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_OK, "model: a cube builds");
	SR_CHECK(m.nfeat == 1 && m.nverts == 24 && m.ntris == 12 && m.nfaces == 6,
			 "model: cube has 1 feature, 24 vertices (4 per face), 12 triangles");
	for (size_t v = 0; v < m.nverts; v++)
	{
		double		d = (m.pos[3 * v] - 0.5) * m.nrm[3 * v] + (m.pos[3 * v + 1] - 0.5) * m.nrm[3 * v + 1] +
			(m.pos[3 * v + 2] - 0.5) * m.nrm[3 * v + 2];

		if (!(d > 0.49))
			outward = false;
	}
	SR_CHECK(outward, "model: the cube's normals point outwards (right-hand rule of each ring)");
	SR_CHECK(m.npcols == 2 && strcmp(m.pcols[0].key, "name") == 0 && m.pcols[1].kind == SR_PK_NUMBER,
			 "model: properties name (text) and levels (number)");
	SR_CHECK(sr_city_write_glb(&m, NULL, -1, &fr, NULL, 4, &glb, &glen, box, &err) == SR_OK,
			 "glb: the cube is written");
	{
		const uint8_t *p = glb + 4;
		uint32_t	jl = get32(p + 12),
					bl;

		SR_CHECK(get32(p) == 0x46546C67u && get32(p + 4) == 2 && get32(p + 8) == glen,
				 "glb: magic, version 2, total length");
		SR_CHECK(get32(p + 16) == 0x4E4F534Au && jl % 4 == 0, "glb: JSON chunk first, 4-byte aligned");
		bl = get32(p + 20 + jl);
		SR_CHECK(get32(p + 24 + jl) == 0x004E4942u && bl % 4 == 0 && 28 + jl + bl == glen,
				 "glb: BIN chunk second, lengths add up");
		json = malloc(jl + 1);
		memcpy(json, p + 20, jl);
		json[jl] = 0;
		SR_CHECK(strstr(json, "\"count\":24,\"type\":\"VEC3\",\"min\":[-0.5,-0.5,-0.5],\"max\":[0.5,0.5,0.5]") != NULL,
				 "glb: 24 positions, min / max relative to the origin");
		SR_CHECK(strstr(json, "\"componentType\":5123,\"count\":36") != NULL, "glb: 36 unsigned short indices");
		SR_CHECK(strstr(json, "\"featureCount\":1") && strstr(json, "\"count\":1,") &&
				 strstr(json, "\"levels\":{\"name\":\"levels\",\"type\":\"SCALAR\",\"componentType\":\"FLOAT64\"}"),
				 "glb: one feature, property table with levels as FLOAT64");
		SR_CHECK(strstr(json, "\"extensionsUsed\":[\"EXT_mesh_features\",\"EXT_structural_metadata\"]") != NULL,
				 "glb: extensions declared");
		free(json);
	}
	SR_CHECK(box[0] == -0.5 && box[3] == 0.5 && box[2] == -0.5 && box[5] == 0.5, "glb: box of the local z-up positions");
	{
		/* Y up: a vertex at z = 1 has glTF y = 0.5 */
		const uint8_t *p = glb + 4;
		uint32_t	jl = get32(p + 12);
		const float *pos = (const float *) (p + 28 + jl);
		bool		yup = true;

		for (size_t v = 0; v < 24; v++)
			if (pos[3 * v + 1] != (float) (m.pos[3 * v + 2] - 0.5) || pos[3 * v + 2] != (float) -(m.pos[3 * v + 1] - 0.5))
				yup = false;
		SR_CHECK(yup, "glb: positions are (x, z, -y) of the data: Y up");
	}
	free(glb);
	sr_city_model_free(&m);

	/* walls: a flat square roof at 10 m over ground 0 */
	{
		static const double sq[] = {0, 0, 10, 8, 0, 10, 8, 6, 10, 0, 6, 10};
		static const double two[] = {0, 0, 10, 8, 0, 10, 8, 6, 10, 0, 6, 10,
		8, 0, 10, 16, 0, 10, 16, 6, 10, 8, 6, 10};
		uint8_t    *w2;
		size_t		l2;
		bool		horiz = true;

		free(w);
		w = wkb_surface(sq, 1, 4, &len);
		wk[0] = w;
		gz[0] = 0;
		props[0] = NULL;
		SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_OK && m.walls == 4,
				 "walls: a flat roof with ground_z gets 4 walls");
		SR_CHECK(m.nverts == 4 + 16 && m.ntris == 2 + 8, "walls: 20 vertices, 10 triangles");
		for (size_t f = 1; f < m.nfaces; f++)
		{
			size_t		v = m.face_v[f];
			double		cx = 0,
						cy = 0;

			for (int k = 0; k < 4; k++)
			{
				cx += m.pos[3 * (v + k)] / 4;
				cy += m.pos[3 * (v + k) + 1] / 4;
			}
			if (!(fabs(m.nrm[3 * v + 2]) < 1e-6 && (cx - 4) * m.nrm[3 * v] + (cy - 3) * m.nrm[3 * v + 1] > 0))
				horiz = false;
		}
		SR_CHECK(horiz, "walls: horizontal normals facing away from the roof");
		sr_city_model_free(&m);
		/* two roofs sharing the edge x = 8 at the same height: 6 walls */
		w2 = wkb_surface(two, 2, 4, &l2);
		wk[0] = w2;
		in.wkb_len = &l2;
		SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_OK && m.walls == 6,
				 "walls: the edge two roofs share (to the mm) gets no wall: 6 walls");
		sr_city_model_free(&m);
		free(w2);
		in.wkb_len = &len;
		wk[0] = w;
	}
	/* gable roof: two slopes sharing the ridge -> 2 eaves + 4 gable halves */
	{
		static const double gable[] = {0, 0, 5, 10, 0, 5, 10, 3, 8, 0, 3, 8,
		0, 3, 8, 10, 3, 8, 10, 6, 5, 0, 6, 5};
		uint8_t    *w3;
		size_t		l3;
		double		area = 0;

		w3 = wkb_surface(gable, 2, 4, &l3);
		wk[0] = w3;
		in.wkb_len = &l3;
		SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_OK && m.walls == 6,
				 "walls: a gable roof gets 6 walls (no wall under the ridge)");
		for (size_t t = 0; t < m.ntris; t++)
		{
			double		xyz[9],
						nrm[3] = {0, 0, 0},
						orient;
			uint32_t	idx[3] = {0, 1, 2};

			for (int k = 0; k < 3; k++)
				memcpy(xyz + 3 * k, m.pos + 3 * m.tri[3 * t + k], 24);
			area += tri_area(xyz, idx, nrm, &orient);
		}
		/* roof 2 x 10 x sqrt(9 + 9); eaves walls 2 x 10 x 5; gable ends
		 * 2 x (6 x 5 + 6 x 3 / 2) */
		SR_CHECK_CLOSE(area, 20 * sqrt(18) + 100 + 2 * (30 + 9), 1e-9,
					   "walls: roof + eaves + gable ends cover the hand-computed area");
		sr_city_model_free(&m);
		free(w3);
		in.wkb_len = &len;
		wk[0] = w;
	}
	/* a feature's value is the mean of its faces' values weighted by their
	 * areas, holes left out: a 20 m square with a 10 m courtyard (300 m2,
	 * value 10) and a 10 m square (100 m2, value 30) average (300 x 10 +
	 * 100 x 30) / 400 = 15 (14 before 2026-12-06: the courtyard weighed) */
	{
		static const double holed[] = {0, 0, 10, 20, 0, 10, 20, 20, 10, 0, 20, 10,
		5, 5, 10, 5, 15, 10, 15, 15, 10, 15, 5, 10};
		static const double sq10[] = {30, 0, 10, 40, 0, 10, 40, 10, 10, 30, 10, 10};
		static const double beside[] = {0, 0, 10, 20, 0, 10, 20, 20, 10, 0, 20, 10,
		25, 5, 10, 25, 15, 10, 35, 15, 10, 35, 5, 10};
		const uint8_t *w2[2];
		size_t		l2[2];
		int64_t		id2[2] = {1, 2},
					fid2[2] = {9, 9};
		double		v2[2] = {10, 30},
					g2[2] = {NAN, NAN};
		sr_city_input in2 = {2, id2, fid2, NULL, w2, l2, NULL, v2, NULL, g2};

		w2[0] = wkb_rings(holed, 2, &l2[0]);
		w2[1] = wkb_rings(sq10, 1, &l2[1]);
		SR_CHECK(sr_city_build(&in2, &o, 0, &m, &err) == SR_OK && m.nfeat == 1 && m.skipped_faces == 0,
				 "value: a square with a courtyard and a square make one feature");
		SR_CHECK_CLOSE(m.value[0], 15, 1e-12, "value: the area-weighted mean leaves the courtyard out (15)");
		sr_city_model_free(&m);
		free((void *) w2[0]);
		/* the same square with its "hole" beside it, outside the exterior
		 * ring (an invalid polygon): ear clipping drew 550 m2 of triangles
		 * where 400 m2 of square stand; the face is skipped and counted */
		w2[0] = wkb_rings(beside, 2, &l2[0]);
		SR_CHECK(sr_city_build(&in2, &o, 0, &m, &err) == SR_OK && m.skipped_faces == 1 && m.ntris == 2,
				 "value: a polygon whose hole lies outside its exterior ring is skipped (skipped_faces 1), the other face drawn");
		SR_CHECK_CLOSE(m.value[0], 30, 1e-12, "value: the feature's value is then its drawn face's (30)");
		sr_city_model_free(&m);
		/* with walls down to z 0: the skipped face builds none (its 4 + 4
		 * edges gave 8 walls under nothing before 2026-12-06: 12 walls);
		 * the square's 4 are built (2 + 4 x 2 = 10 triangles) and the
		 * skipped face's 8 counted */
		g2[0] = g2[1] = 0;
		SR_CHECK(sr_city_build(&in2, &o, 0, &m, &err) == SR_OK && m.skipped_faces == 1 &&
				 m.walls == 4 && m.skipped_walls == 8 && m.ntris == 10,
				 "walls: a skipped face builds no walls (4 built, 8 counted in skipped_walls)");
		sr_city_model_free(&m);
		free((void *) w2[0]);
		free((void *) w2[1]);
		/* a 10 m square (0..10) and, sharing its edge x = 10, a skipped
		 * square 10..20 with a hole beside it: the shared edge no longer
		 * hides the drawn square's wall (it had 3: 3 + 3 + 4 = 10 walls
		 * before); the skipped face's 3 other edges and its hole's 4 are
		 * counted */
		{
			static const double sqa[] = {0, 0, 10, 10, 0, 10, 10, 10, 10, 0, 10, 10};
			static const double sqb[] = {10, 0, 10, 20, 0, 10, 20, 10, 10, 10, 10, 10,
			25, 2, 10, 25, 8, 10, 35, 8, 10, 35, 2, 10};

			w2[0] = wkb_rings(sqa, 1, &l2[0]);
			w2[1] = wkb_rings(sqb, 2, &l2[1]);
			SR_CHECK(sr_city_build(&in2, &o, 0, &m, &err) == SR_OK && m.skipped_faces == 1 &&
					 m.walls == 4 && m.skipped_walls == 7,
					 "walls: an edge shared with a skipped face is a wall of the drawn one (4 walls, 7 skipped)");
			sr_city_model_free(&m);
			free((void *) w2[0]);
			free((void *) w2[1]);
		}
		/* empty geometries of every type: skipped and counted (a
		 * GEOMETRYCOLLECTION EMPTY, what ST_Intersection gives for no
		 * overlap, was 22023 where POLYGON EMPTY gave a GLB) */
		{
			static const uint8_t gc_empty[] = {1, 7, 0, 0, 0, 0, 0, 0, 0};
			static const uint8_t poly_empty[] = {1, 3, 0, 0, 0, 0, 0, 0, 0};
			static const uint8_t pt_empty[] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf8, 0x7f,
			0, 0, 0, 0, 0, 0, 0xf8, 0x7f};
			static const uint8_t point[] = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f,
			0, 0, 0, 0, 0, 0, 0xf0, 0x3f};
			const uint8_t *empties[3] = {gc_empty, poly_empty, pt_empty};
			size_t		elen[3] = {sizeof(gc_empty), sizeof(poly_empty), sizeof(pt_empty)};

			g2[0] = g2[1] = NAN;
			w2[1] = wkb_rings(sq10, 1, &l2[1]);
			for (int e = 0; e < 3; e++)
			{
				w2[0] = empties[e];
				l2[0] = elen[e];
				SR_CHECK(sr_city_build(&in2, &o, 0, &m, &err) == SR_OK && m.empty_geometries == 1 &&
						 m.skipped_faces == 0 && m.ntris == 2,
						 e == 0 ? "empty: GEOMETRYCOLLECTION EMPTY is skipped and counted (empty_geometries 1)" :
						 e == 1 ? "empty: POLYGON EMPTY likewise" : "empty: POINT EMPTY likewise");
				sr_city_model_free(&m);
			}
			w2[0] = point;
			l2[0] = sizeof(point);
			SR_CHECK(sr_city_build(&in2, &o, 0, &m, &err) == SR_EGEOM,
					 "empty: a point that is not empty is still not a surface (22023)");
			free((void *) w2[1]);
		}
	}
	/* a feature with nothing drawn is no feature (since 2026-12-07): feature
	 * 4, two faces of no area (points on a line), leaves the count, the
	 * ids and the property table (its member only_here no column; mixed,
	 * text there and a number on feature 5, a number); counted in
	 * skipped_features.  Before: nfeat 2, 3 columns, mixed text */
	{
		static const double line1[] = {0, 0, 10, 10, 0, 10, 20, 0, 10, 30, 0, 10};
		static const double line2[] = {0, 0, 10, 0, 10, 10, 0, 20, 10, 0, 30, 10};
		static const double sq[] = {40, 0, 10, 50, 0, 10, 50, 10, 10, 40, 10, 10};
		static const char *pr3[3] = {"{\"name\": \"flat\", \"only_here\": 1, \"mixed\": \"x\"}", NULL,
		"{\"name\": \"square\", \"mixed\": 3}"};
		const uint8_t *w3[3];
		size_t		l3[3];
		int64_t		id3[3] = {1, 2, 3},
					fid3[3] = {4, 4, 5};
		double		v3[3] = {NAN, NAN, NAN},
					g3[3] = {NAN, NAN, NAN};
		sr_city_input in3 = {3, id3, fid3, NULL, w3, l3, NULL, v3, pr3, g3};

		w3[0] = wkb_rings(line1, 1, &l3[0]);
		w3[1] = wkb_rings(line2, 1, &l3[1]);
		w3[2] = wkb_rings(sq, 1, &l3[2]);
		SR_CHECK(sr_city_build(&in3, &o, 0, &m, &err) == SR_OK && m.nfeat == 1 && m.fid[0] == 5 &&
				 m.skipped_features == 1 && m.skipped_faces == 2 && m.nverts == 4 &&
				 m.fvert[0] == 0 && m.fvert[1] == 4 && m.ftri[1] == 2,
				 "undrawn: a feature of faces of no area only is no feature (nfeat 1, skipped_features 1)");
		SR_CHECK(m.npcols == 2 && strcmp(m.pcols[0].key, "name") == 0 && m.pcols[0].kind == SR_PK_STRING &&
				 strcmp(m.pcols[0].str[0], "square") == 0 && !m.pcols[0].has_missing &&
				 strcmp(m.pcols[1].key, "mixed") == 0 && m.pcols[1].kind == SR_PK_NUMBER && m.pcols[1].num[0] == 3,
				 "undrawn: its properties leave the table (only_here no column, mixed a number)");
		sr_city_model_free(&m);
		for (int i = 0; i < 3; i++)
			free((void *) w3[i]);
	}
	/*
	 * The ramp's default range, the legend's value_range and has_value come
	 * from the rows drawn (since 2026-12-07): drawn squares of values 0 and
	 * 100; a face of no area (points on a line) of 10,000 in feature 2 and
	 * one of 7 in feature 3 (whose square has no value), an empty geometry
	 * of -500 (feature 4).  Range [0, 100] by hand (min and max of 0, 100):
	 * square A (0) is the solar ramp's first stop 3a3a98, square B (100)
	 * its last ffd92f.  Feature values: 0, 100 (the skipped face weighed 0
	 * already), none for feature 3 (its only value is on a face skipped).
	 * Before: range [-500, 10000], A and B both near the first stop,
	 * feature 3 valued 7.
	 */
	{
		static const double sqa[] = {0, 0, 10, 10, 0, 10, 10, 10, 10, 0, 10, 10};
		static const double sqb[] = {20, 0, 10, 30, 0, 10, 30, 10, 10, 20, 10, 10};
		static const double sqc[] = {40, 0, 10, 50, 0, 10, 50, 10, 10, 40, 10, 10};
		static const double line1[] = {0, 20, 10, 10, 20, 10, 20, 20, 10, 30, 20, 10};
		static const uint8_t poly_empty[] = {1, 3, 0, 0, 0, 0, 0, 0, 0};
		const uint8_t *w4[6];
		size_t		l4[6];
		int64_t		id4[6] = {1, 2, 3, 4, 5, 6},
					fid4[6] = {1, 2, 2, 3, 3, 4};
		double		v4[6] = {0, 100, 10000, NAN, 7, -500},
					g4[6] = {NAN, NAN, NAN, NAN, NAN, NAN};
		sr_city_input in4 = {6, id4, fid4, NULL, w4, l4, NULL, v4, NULL, g4};
		sr_city_opts o4 = o;

		w4[0] = wkb_rings(sqa, 1, &l4[0]);
		w4[1] = wkb_rings(sqb, 1, &l4[1]);
		w4[2] = wkb_rings(line1, 1, &l4[2]);
		w4[3] = wkb_rings(sqc, 1, &l4[3]);
		w4[4] = wkb_rings(line1, 1, &l4[4]);
		w4[5] = poly_empty;
		l4[5] = sizeof(poly_empty);
		SR_CHECK(sr_city_build(&in4, &o4, 0, &m, &err) == SR_OK && m.skipped_faces == 2 &&
				 m.empty_geometries == 1 && m.skipped_features == 1 && m.nfeat == 3 && m.nverts == 12 &&
				 m.has_value && m.vmin == 0 && m.vmax == 100,
				 "drawn range: a skipped face of 10,000 and an empty geometry of -500 leave it [0, 100]");
		SR_CHECK(m.nverts == 12 && m.rgba[0] == 0x3a && m.rgba[1] == 0x3a && m.rgba[2] == 0x98 &&
				 m.rgba[16] == 0xff && m.rgba[17] == 0xd9 && m.rgba[18] == 0x2f,
				 "drawn range: the square of 0 is the ramp's first colour, that of 100 its last");
		SR_CHECK(m.nfeat == 3 && m.value[0] == 0 && m.value[1] == 100 && isnan(m.value[2]),
				 "drawn range: a feature's value from its drawn faces (7 on a skipped face: none)");
		sr_city_model_free(&m);
		/* a bound given is kept as given, the other from the drawn rows */
		o4.value_max = 5000;
		SR_CHECK(sr_city_build(&in4, &o4, 0, &m, &err) == SR_OK && m.vmin == 0 && m.vmax == 5000,
				 "drawn range: value_max given kept (5000), value_min the drawn minimum (0)");
		sr_city_model_free(&m);
		o4.value_max = NAN;
		o4.value_min = -1000;
		SR_CHECK(sr_city_build(&in4, &o4, 0, &m, &err) == SR_OK && m.vmin == -1000 && m.vmax == 100,
				 "drawn range: value_min given kept (-1000), value_max the drawn maximum (100)");
		sr_city_model_free(&m);
		/* values on skipped faces and empty geometries only: no value at all
		 * (no value column, no value_range); before: has_value, [-500, 10000] */
		v4[0] = v4[1] = NAN;
		o4.value_min = NAN;
		SR_CHECK(sr_city_build(&in4, &o4, 0, &m, &err) == SR_OK && m.nfeat == 3 && !m.has_value &&
				 m.vmin == 0 && m.vmax == 0,
				 "drawn range: values on undrawn rows only make no has_value");
		sr_city_model_free(&m);
		for (int i = 0; i < 5; i++)
			free((void *) w4[i]);
	}
	/* property names that are not identifiers, and a clash with feature_id */
	{
		static const char *pr[1] = {"{\"annual kWh/m2\": 1, \"2020\": \"x\", \"feature_id\": 5, \"ok\": false}"};

		in.properties = pr;
		gz[0] = NAN;
		SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_OK && m.npcols == 4 &&
				 strcmp(m.pcols[0].ident, "annual_kWh_m2") == 0 && strcmp(m.pcols[1].ident, "_2020") == 0 &&
				 strcmp(m.pcols[2].ident, "feature_id_2") == 0 && m.pcols[3].kind == SR_PK_BOOL,
				 "props: identifiers made from member names, feature_id kept for the id column");
		sr_city_model_free(&m);
		in.properties = NULL;
	}
	free(w);
}

/* ---- errors of the model ------------------------------------------------------ */

static void
test_model_errors(void)
{
	static const double sq[] = {0, 0, 10, 8, 0, 10, 8, 6, 10, 0, 6, 10};
	size_t		len;
	uint8_t    *w = wkb_surface(sq, 1, 4, &len);
	const uint8_t *wk[1] = {w};
	int64_t		id[1] = {42};
	double		val[1] = {NAN},
				gz[1] = {NAN};
	const char *col[1] = {"orange"};
	const char *props[1] = {"{\"a\": tru}"};
	sr_city_input in = {1, id, NULL, NULL, wk, &len, col, val, NULL, gz};
	sr_city_opts o = default_opts(&sr_city_gltf_optset);
	sr_city_model m;
	sr_err		err;
	uint8_t		pt[21] = {1, 1, 0, 0, 0};

	sr_err_clear(&err);
	SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_EDATA && strstr(err.msg, "surface 42"),
			 "errors: a colour that is not #rrggbb names the surface");
	in.color = NULL;
	in.properties = props;
	SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_EDATA && strstr(err.msg, "properties of surface 42"),
			 "errors: malformed properties name the surface");
	in.properties = NULL;
	strcpy(o.color, "#zz");
	SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_EINVAL, "errors: option color checked");
	o = default_opts(&sr_city_gltf_optset);
	wk[0] = pt;
	len = sizeof(pt);
	SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_EGEOM && strstr(err.msg, "surface 42"),
			 "errors: a point is not a surface");
	free(w);

	/* a triangle 1e300 m wide: relative to its centre, past float32's range
	 * (the GLB's JSON had "min":[-inf,0,-inf]) */
	{
		static const double huge[] = {0, 0, 0, 1e300, 0, 0, 1e300, 1e300, 0};
		sr_city_lframe fr = {{0, 0, 0}, {1, 0, 0, 0, 1, 0, 0, 0, 1}};
		uint8_t    *glb = NULL;
		size_t		glen;
		double		box[6];

		w = wkb_surface(huge, 1, 3, &len);
		wk[0] = w;
		in.properties = NULL;
		sr_err_clear(&err);
		SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_OK, "errors: a 1e300 m triangle builds (doubles)");
		for (int k = 0; k < 3; k++)
			fr.origin[k] = round((m.extent[k] + m.extent[3 + k]) / 2);
		SR_CHECK(sr_city_write_glb(&m, NULL, -1, &fr, NULL, 0, &glb, &glen, box, &err) == SR_ERANGE &&
				 strstr(err.msg, "surface 42") && strstr(err.msg, "float32") && glb == NULL,
				 "errors: a coordinate past float32 relative to the origin is 22003, no GLB written");
		/* just inside float32 still writes, with finite bounds */
		sr_city_model_free(&m);
		free(w);
		{
			static const double big[] = {0, 0, 0, 6e38, 0, 0, 6e38, 6e38, 0};

			w = wkb_surface(big, 1, 3, &len);
			wk[0] = w;
			SR_CHECK(sr_city_build(&in, &o, 0, &m, &err) == SR_OK, "errors: a 6e38 m triangle builds");
			for (int k = 0; k < 3; k++)
				fr.origin[k] = round((m.extent[k] + m.extent[3 + k]) / 2);
			SR_CHECK(sr_city_write_glb(&m, NULL, -1, &fr, NULL, 0, &glb, &glen, box, &err) == SR_OK &&
					 isfinite(box[0]) && isfinite(box[3]) && box[3] == 3e38f,
					 "errors: 3e38 relative to the origin fits float32 and is written");
			free(glb);
			sr_city_model_free(&m);
			free(w);
		}
	}
}

/* ---- the tileset ------------------------------------------------------------ */

typedef struct emitted
{
	int			ntiles;
	int			features;
	char	   *json;
	int			max_in_tile;
} emitted;

static sr_status
collect(void *arg, const char *path, const uint8_t *data, size_t len, sr_err *err)
{
	emitted    *e = arg;

	if (strcmp(path, "tileset.json") == 0)
	{
		e->json = malloc(len + 1);
		memcpy(e->json, data, len);
		e->json[len] = 0;
	}
	else
	{
		uint32_t	jl = get32(data + 12);
		char	   *j = malloc(jl + 1),
				   *fc;

		memcpy(j, data + 20, jl);
		j[jl] = 0;
		fc = strstr(j, "\"featureCount\":");
		if (fc)
		{
			int			k = atoi(fc + 15);

			e->features += k;
			if (k > e->max_in_tile)
				e->max_in_tile = k;
		}
		e->ntiles++;
		free(j);
	}
	return SR_OK;
}

static void
test_tileset(void)
{
	int			nb = 600;
	int64_t    *id = malloc(sizeof(int64_t) * nb);
	const uint8_t **wk = malloc(sizeof(uint8_t *) * nb);
	size_t	   *len = malloc(sizeof(size_t) * nb);
	double	   *gz = malloc(sizeof(double) * nb),
			   *val = malloc(sizeof(double) * nb);
	sr_city_input in;
	sr_city_opts o = default_opts(&sr_city_tileset_optset);
	sr_city_model m;
	sr_geo	   *g = NULL;
	sr_err		err;
	emitted		e = {0, 0, NULL, 0};
	int			ntiles;

	srand(7);
	for (int i = 0; i < nb; i++)
	{
		double		x = 842000 + 2000.0 * rand() / RAND_MAX,
					y = 6519000 + 2000.0 * rand() / RAND_MAX,
					s = 5 + 20.0 * rand() / RAND_MAX,
					q[12] = {x, y, 180, x + s, y, 180, x + s, y + s, 180, x, y + s, 180};

		id[i] = i + 1;
		wk[i] = wkb_surface(q, 1, 4, &len[i]);
		gz[i] = 170;
		val[i] = 1000 + i;
	}
	memset(&in, 0, sizeof(in));
	in.nrows = nb;
	in.id = id;
	in.wkb = wk;
	in.wkb_len = len;
	in.value = val;
	in.ground_z = gz;
	o.max_features = 50;
	sr_err_clear(&err);
	SR_CHECK(sr_city_build(&in, &o, 2154, &m, &err) == SR_OK && m.nfeat == nb, "tileset: 600 buildings build");
	SR_CHECK(sr_geo_open("EPSG:2154", NULL, NULL, &g, &err) == SR_OK && sr_city_to_ecef(&m, g, NULL, &err) == SR_OK,
			 "tileset: the model goes to ECEF");
	SR_CHECK(sr_city_tileset(&m, collect, &e, &ntiles, &err) == SR_OK, "tileset: written");
	SR_CHECK(e.features == nb, "tileset: every feature is in exactly one tile (refine ADD)");
	SR_CHECK(e.max_in_tile <= 50, "tileset: no tile holds more than max_features");
	SR_CHECK(ntiles == e.ntiles && ntiles >= nb / 50, "tileset: at least features / max_features tiles");
	SR_CHECK(e.json && strstr(e.json, "\"version\":\"1.1\"") && strstr(e.json, "\"refine\":\"ADD\"") &&
			 strstr(e.json, "\"uri\":\"tiles/0/0/0.glb\""), "tileset: tileset.json with version 1.1, ADD, root content");
	free(e.json);
	/* a single tile when max_features is large */
	{
		emitted		e2 = {0, 0, NULL, 0};

		m.opts.max_features = 100000;
		SR_CHECK(sr_city_tileset(&m, collect, &e2, &ntiles, &err) == SR_OK && ntiles == 1 &&
				 strstr(e2.json, "\"geometricError\":0,") != NULL,
				 "tileset: one leaf tile of geometric error 0 when everything fits");
		free(e2.json);
	}
	/* a surface whose extent overflows: no inf geometricError in tileset.json */
	{
		emitted		e3 = {0, 0, NULL, 0};
		double		keep = m.bbox[3];

		m.bbox[3] = 1.7e308;
		m.bbox[0] = -1.7e308;
		SR_CHECK(sr_city_tileset(&m, collect, &e3, &ntiles, &err) == SR_ERANGE &&
				 strstr(err.msg, "extent of surface 1") && e3.json == NULL,
				 "tileset: a surface of infinite extent is 22003, no tileset.json");
		m.bbox[3] = keep;
		free(e3.json);
	}
	sr_geo_close(g);
	sr_city_model_free(&m);
	for (int i = 0; i < nb; i++)
		free((void *) wk[i]);

	/* a roof 1e300 m up (ellipsoidal height): each tile's GLB is in ENU at
	 * its centre, so the float32 check of the GLB covers tilesets too */
	{
		static const double q[12] = {842000, 6519000, 1e300, 842010, 6519000, 1e300,
		842010, 6519010, 0, 842000, 6519010, 0};
		int64_t		id1[1] = {5};
		size_t		len1;
		const uint8_t *wk1[1];
		emitted		e4 = {0, 0, NULL, 0};

		wk1[0] = wkb_surface(q, 1, 4, &len1);
		memset(&in, 0, sizeof(in));
		in.nrows = 1;
		in.id = id1;
		in.wkb = wk1;
		in.wkb_len = &len1;
		o = default_opts(&sr_city_tileset_optset);
		sr_err_clear(&err);
		SR_CHECK(sr_city_build(&in, &o, 2154, &m, &err) == SR_OK &&
				 sr_geo_open("EPSG:2154", NULL, NULL, &g, &err) == SR_OK, "tileset: a 1e300 m high surface builds");
		if (sr_city_to_ecef(&m, g, NULL, &err) == SR_OK)
			SR_CHECK(sr_city_tileset(&m, collect, &e4, &ntiles, &err) == SR_ERANGE && e4.json == NULL,
					 "tileset: a tile past float32 relative to its centre is 22003, no tileset.json");
		else
			SR_CHECK(err.status == SR_EDATA, "tileset: a 1e300 m height does not reach ECEF (22000)");
		free(e4.json);
		sr_geo_close(g);
		sr_city_model_free(&m);
		free((void *) wk1[0]);
	}
	free(id);
	free(wk);
	free(len);
	free(gz);
	free(val);
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_triangulation();
	test_colors_props();
	test_geodesy();
	test_model();
	test_model_errors();
	test_tileset();
	return SR_TEST_END();
}
