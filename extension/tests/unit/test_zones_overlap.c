/*
 * test_zones_overlap.c — the intersection area of two polygons by boundary
 * integration (zpoly_intersection_area, the GEOS-free filter of the parcels'
 * overlap check in sr_zones_build) against GEOS's GEOSIntersection + GEOSArea:
 * every pair of real Essonne parcels whose boxes overlap (fixture), then
 * random polygons with holes, multipolygons, shared and collinear edges,
 * identical polygons, one inside another and slivers.  The filter may give
 * up (the caller then asks GEOS) but must never be wrong when it answers.
 */
#include "sr_test.h"
#include "../../core/zones_internal.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static GEOSContextHandle_t gh;

/* results of a batch of comparisons */
typedef struct cmpstat
{
	long		pairs,
				gaveup,
				answered,
				bad,			/* answered, off by more than 1e-6 relative */
				under;			/* answered below GEOS by more than 1e-6 relative */
	double		maxdiff,		/* largest |fast - GEOS| (units^2) */
				maxrel;			/* largest |fast - GEOS| / max(1, GEOS) */
} cmpstat;

/* compare polygon a of s with polygon b of s; ga, gb the same in GEOS */
static void
compare(cmpstat *c, const zpolyset *s, size_t a, size_t b, const GEOSGeometry *ga,
		const GEOSGeometry *gb)
{
	double		fast,
				ref = 0.0,
				d,
				rel;
	GEOSGeometry *ix = GEOSIntersection_r(gh, ga, gb);

	c->pairs++;
	if (ix == NULL || GEOSArea_r(gh, ix, &ref) != 1)
	{
		if (ix)
			GEOSGeom_destroy_r(gh, ix);
		c->pairs--;
		return;
	}
	GEOSGeom_destroy_r(gh, ix);
	if (!zpoly_intersection_area(s, a, s, b, &fast))
	{
		c->gaveup++;
		return;
	}
	c->answered++;
	d = fabs(fast - ref);
	rel = d / fmax(1.0, ref);
	if (d > c->maxdiff)
		c->maxdiff = d;
	if (rel > c->maxrel)
		c->maxrel = rel;
	if (rel > 1e-6)
	{
		c->bad++;
		if (c->bad <= 5)
			printf("# pair %zu/%zu: fast %.9g, GEOS %.9g\n", a, b, fast, ref);
	}
	if (fast < ref && rel > 1e-6)
		c->under++;
}

static int
hexval(int ch)
{
	return ch <= '9' ? ch - '0' : (ch | 32) - 'a' + 10;
}

/* ---- (a) real parcels: every pair whose boxes overlap ---------------------- */
static void
test_real_parcels(const char *path, const char *what, long want_parcels)
{
	FILE	   *fp = fopen(path, "r");
	zpolyset	s = {0};
	GEOSWKBReader *rd = GEOSWKBReader_create_r(gh);
	GEOSGeometry **g = NULL;
	size_t		n = 0,
				cap = 0;
	char	   *line = NULL;
	size_t		lcap = 0;
	cmpstat		c = {0};
	char		desc[256];

	if (fp == NULL)
	{
		SR_CHECK(0, "fixture of real parcels readable");
		return;
	}
	while (getline(&line, &lcap, fp) > 0)
	{
		char	   *hex = strchr(line, '\t');
		size_t		len,
					i;
		unsigned char *wkb;
		int32_t		srid;
		char		why[128];

		if (hex == NULL)
			continue;
		hex++;
		len = strcspn(hex, "\r\n") / 2;
		wkb = malloc(len);
		for (i = 0; i < len; i++)
			wkb[i] = (unsigned char) (hexval(hex[2 * i]) * 16 + hexval(hex[2 * i + 1]));
		if (n == cap)
		{
			cap = cap ? 2 * cap : 1024;
			g = realloc(g, cap * sizeof(*g));
		}
		if (!zpolyset_add_wkb(&s, wkb, len, ZWKB_POLYGONAL, &srid, why, sizeof(why)))
		{
			printf("# %s\n", why);
			free(wkb);
			continue;
		}
		g[n++] = GEOSWKBReader_read_r(gh, rd, wkb, len);
		free(wkb);
	}
	free(line);
	fclose(fp);
	snprintf(desc, sizeof(desc), "%s: %ld parcels read", what, want_parcels);
	SR_CHECK((long) n == want_parcels, desc);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
		{
			const double *a = s.bbox + 4 * i,
					   *b = s.bbox + 4 * j;

			if (a[0] > b[2] || b[0] > a[2] || a[1] > b[3] || b[1] > a[3])
				continue;
			compare(&c, &s, i, j, g[i], g[j]);
			compare(&c, &s, j, i, g[j], g[i]);
		}
	for (size_t i = 0; i < n; i++)
		GEOSGeom_destroy_r(gh, g[i]);
	free(g);
	GEOSWKBReader_destroy_r(gh, rd);
	zpolyset_free(&s);
	printf("# %s: %ld ordered pairs with overlapping boxes, %ld answered, %ld left to GEOS; "
		   "max |fast - GEOS| %.3g m2, max relative %.3g\n",
		   what, c.pairs, c.answered, c.gaveup, c.maxdiff, c.maxrel);
	snprintf(desc, sizeof(desc), "%s: every answered pair within 1e-6 relative of GEOS (%ld pairs)",
			 what, c.answered);
	SR_CHECK(c.bad == 0 && c.under == 0 && c.pairs > 0, desc);
	snprintf(desc, sizeof(desc), "%s: at most 1%% of the pairs left to GEOS (%ld of %ld)",
			 what, c.gaveup, c.pairs);
	SR_CHECK(c.gaveup * 100 <= c.pairs, desc);
}

/* ---- (b) random polygons --------------------------------------------------- */

static unsigned long long rng = 88172645463325252ULL;

static double
urand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double) (rng >> 11) / 9007199254740992.0;
}

/* WKB (little-endian) writer */
typedef struct wk
{
	unsigned char *b;
	size_t		n,
				cap;
} wk;

static void
put(wk *w, const void *p, size_t len)
{
	if (w->n + len > w->cap)
	{
		w->cap = (w->n + len) * 2 + 256;
		w->b = realloc(w->b, w->cap);
	}
	memcpy(w->b + w->n, p, len);
	w->n += len;
}

static void
put_u32(wk *w, uint32_t v)
{
	put(w, &v, 4);
}

static void
put_ring(wk *w, const double *xy, int n, bool reverse)
{
	put_u32(w, (uint32_t) n + 1);
	for (int i = 0; i <= n; i++)
	{
		int			k = reverse ? (n - i) % n : i % n;

		put(w, xy + 2 * k, 16);
	}
}

/* star-shaped ring around (cx, cy): n vertices, radii in [r0, r1], snapped to
 * multiples of q (q = 0: not snapped) */
static void
star(double *xy, int n, double cx, double cy, double r0, double r1, double q)
{
	double		ang[64];

	for (int i = 0; i < n; i++)
		ang[i] = 2.0 * M_PI * (i + 0.8 * urand()) / n;
	for (int i = 0; i < n; i++)
	{
		double		r = r0 + (r1 - r0) * urand(),
					x = cx + r * cos(ang[i]),
					y = cy + r * sin(ang[i]);

		if (q > 0)
		{
			x = cx + q * round((x - cx) / q);
			y = cy + q * round((y - cy) / q);
		}
		xy[2 * i] = x;
		xy[2 * i + 1] = y;
	}
}

/* polygon kinds of the random scenes */
typedef struct rpoly
{
	int			nparts;
	int			n[2];
	double		ext[2][128];
	int			nh[2];
	double		hole[2][128];
	bool		rev[2];			/* ring orientation as drawn or reversed */
} rpoly;

static void
rpoly_wkb(const rpoly *p, wk *w)
{
	unsigned char bo = 1;

	w->n = 0;
	put(w, &bo, 1);
	put_u32(w, 6);
	put_u32(w, (uint32_t) p->nparts);
	for (int k = 0; k < p->nparts; k++)
	{
		put(w, &bo, 1);
		put_u32(w, 3);
		put_u32(w, p->nh[k] ? 2 : 1);
		put_ring(w, p->ext[k], p->n[k], p->rev[k]);
		if (p->nh[k])
			put_ring(w, p->hole[k], p->nh[k], !p->rev[k]);
	}
}

/* a random polygon near (cx, cy): one or two parts, maybe a hole */
static void
rpoly_draw(rpoly *p, double cx, double cy, double size, double q)
{
	p->nparts = urand() < 0.25 ? 2 : 1;
	for (int k = 0; k < p->nparts; k++)
	{
		double		px = cx + (k ? 2.6 * size : 0.0);

		p->n[k] = 3 + (int) (urand() * 12);
		star(p->ext[k], p->n[k], px, cy, 0.6 * size, size, q);
		p->nh[k] = 0;
		if (urand() < 0.4)
		{
			p->nh[k] = 3 + (int) (urand() * 6);
			star(p->hole[k], p->nh[k], px, cy, 0.1 * size, 0.45 * size, q);
		}
		p->rev[k] = urand() < 0.5;
	}
}

/* add a and b to a fresh set and compare; invalid drawings (GEOS) skipped */
static void
compare_pair(cmpstat *c, const rpoly *a, const rpoly *b, long *invalid)
{
	wk			wa = {0},
				wb = {0};
	zpolyset	s = {0};
	int32_t		srid;
	char		why[128];
	GEOSWKBReader *rd = GEOSWKBReader_create_r(gh);
	GEOSGeometry *ga,
			   *gb;

	rpoly_wkb(a, &wa);
	rpoly_wkb(b, &wb);
	ga = GEOSWKBReader_read_r(gh, rd, wa.b, wa.n);
	gb = GEOSWKBReader_read_r(gh, rd, wb.b, wb.n);
	if (ga && gb && GEOSisValid_r(gh, ga) == 1 && GEOSisValid_r(gh, gb) == 1 &&
		zpolyset_add_wkb(&s, wa.b, wa.n, ZWKB_POLYGONAL, &srid, why, sizeof(why)) &&
		zpolyset_add_wkb(&s, wb.b, wb.n, ZWKB_POLYGONAL, &srid, why, sizeof(why)))
	{
		compare(c, &s, 0, 1, ga, gb);
		compare(c, &s, 1, 0, gb, ga);
	}
	else
		(*invalid)++;
	if (ga)
		GEOSGeom_destroy_r(gh, ga);
	if (gb)
		GEOSGeom_destroy_r(gh, gb);
	GEOSWKBReader_destroy_r(gh, rd);
	zpolyset_free(&s);
	free(wa.b);
	free(wb.b);
}

static void
report(const cmpstat *c, const char *what, long invalid, double maxgaveup)
{
	char		desc[256];

	printf("# %s: %ld comparisons (%ld drawings invalid, skipped), %ld answered, %ld left to GEOS; "
		   "max |fast - GEOS| %.3g, max relative %.3g\n",
		   what, c->pairs, invalid, c->answered, c->gaveup, c->maxdiff, c->maxrel);
	snprintf(desc, sizeof(desc), "%s: every answer within 1e-6 relative of GEOS, never below (%ld)",
			 what, c->answered);
	SR_CHECK(c->bad == 0 && c->under == 0 && c->answered > 0, desc);
	snprintf(desc, sizeof(desc), "%s: at most %g%% left to GEOS (%ld of %ld)",
			 what, 100 * maxgaveup, c->gaveup, c->pairs);
	SR_CHECK(c->gaveup <= maxgaveup * c->pairs, desc);
}

static void
test_random(void)
{
	static const double origin[2][2] = {{0.0, 0.0}, {652000.0, 6840000.0}};

	for (int o = 0; o < 2; o++)
	{
		double		ox = origin[o][0],
					oy = origin[o][1];
		cmpstat		c = {0};
		long		invalid = 0;
		char		what[128];

		/* overlapping random polygons with holes, not snapped */
		for (int it = 0; it < 3000; it++)
		{
			rpoly		a,
						b;

			rpoly_draw(&a, ox + 50 * urand(), oy + 50 * urand(), 10 + 40 * urand(), 0);
			rpoly_draw(&b, ox + 50 * urand(), oy + 50 * urand(), 10 + 40 * urand(), 0);
			compare_pair(&c, &a, &b, &invalid);
		}
		snprintf(what, sizeof(what), "random polygons with holes near (%g, %g)", ox, oy);
		report(&c, what, invalid, 0.01);

		/* snapped to a 1-unit grid: shared vertices, collinear overlapping
		 * edges, vertices on edges */
		memset(&c, 0, sizeof(c));
		invalid = 0;
		for (int it = 0; it < 3000; it++)
		{
			rpoly		a,
						b;

			rpoly_draw(&a, ox + round(10 * urand()), oy + round(10 * urand()), 4 + round(6 * urand()), 1.0);
			rpoly_draw(&b, ox + round(10 * urand()), oy + round(10 * urand()), 4 + round(6 * urand()), 1.0);
			compare_pair(&c, &a, &b, &invalid);
		}
		snprintf(what, sizeof(what), "random polygons on a grid (shared and collinear edges) near (%g, %g)", ox, oy);
		report(&c, what, invalid, 0.05);

		/* identical polygons, and one inside another (scaled about its centre) */
		memset(&c, 0, sizeof(c));
		invalid = 0;
		for (int it = 0; it < 1000; it++)
		{
			rpoly		a,
						b;

			rpoly_draw(&a, ox + 20, oy + 20, 15, it % 2 ? 1.0 : 0.0);
			b = a;
			b.rev[0] = !a.rev[0];
			compare_pair(&c, &a, &b, &invalid);
			b = a;
			b.nh[0] = 0;
			b.nparts = 1;
			for (int i = 0; i < b.n[0]; i++)
			{
				b.ext[0][2 * i] = ox + 20 + 0.05 * (a.ext[0][2 * i] - ox - 20);
				b.ext[0][2 * i + 1] = oy + 20 + 0.05 * (a.ext[0][2 * i + 1] - oy - 20);
			}
			compare_pair(&c, &a, &b, &invalid);
		}
		snprintf(what, sizeof(what), "identical polygons, one inside another near (%g, %g)", ox, oy);
		report(&c, what, invalid, 0.05);
	}
}

/* hand-worked cases: rectangles sharing an edge (0), a strip overlapping by
 * 0.5 (0.5 x 10 = 5), a sliver triangle outside (0), a
 * quadrilateral whose part inside is a triangle of base 100, height 0.004 (0.2) */
static void
test_hand(void)
{
	static const struct
	{
		double		a[10],
					b[10];
		int			na,
					nb;
		double		want;
		const char *what;
	}			cs[] = {
		{{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, {10, 0, 20, 0, 20, 10, 10, 10, 10, 0}, 4, 4, 0.0, "squares sharing an edge: 0"},
		{{0, 0, 10, 0, 10, 10, 0, 10, 0, 0}, {9.5, 0, 20, 0, 20, 10, 9.5, 10, 9.5, 0}, 4, 4, 5.0, "strip of 0.5 x 10 shared: 5"},
		{{0, 0, 100, 0, 100, 10, 0, 10, 0, 0}, {0, 0, 100, 0, 50, -0.004, 0, 0, 0, 0}, 4, 3, 0.0, "sliver triangle outside, on the shared edge: 0"},
		{{0, 0, 100, 0, 100, 10, 0, 10, 0, 0}, {0, 0, 50, 0.004, 100, 0, 100, -1, 0, 0}, 4, 4, 0.2, "sliver 100 x 0.004 / 2 inside: 0.2"},
	};
	GEOSWKBReader *rd = GEOSWKBReader_create_r(gh);

	for (size_t k = 0; k < sizeof(cs) / sizeof(cs[0]); k++)
	{
		rpoly		a = {0},
					b = {0};
		zpolyset	s = {0};
		wk			wa = {0},
					wb = {0};
		int32_t		srid;
		char		why[128];
		double		area = -1;
		bool		ok;

		a.nparts = b.nparts = 1;
		a.n[0] = cs[k].na;
		b.n[0] = cs[k].nb;
		memcpy(a.ext[0], cs[k].a, 8 * sizeof(double));
		memcpy(b.ext[0], cs[k].b, 8 * sizeof(double));
		rpoly_wkb(&a, &wa);
		rpoly_wkb(&b, &wb);
		ok = zpolyset_add_wkb(&s, wa.b, wa.n, ZWKB_POLYGONAL, &srid, why, sizeof(why)) &&
			zpolyset_add_wkb(&s, wb.b, wb.n, ZWKB_POLYGONAL, &srid, why, sizeof(why)) &&
			zpoly_intersection_area(&s, 0, &s, 1, &area);
		SR_CHECK(ok && fabs(area - cs[k].want) <= 1e-9, cs[k].what);
		if (!ok || fabs(area - cs[k].want) > 1e-9)
			printf("# got %.12g\n", area);
		zpolyset_free(&s);
		free(wa.b);
		free(wb.b);
	}
	GEOSWKBReader_destroy_r(gh, rd);

	/* squares of side 1e160 overlapping by half: the area (5e319) overflows;
	 * the filter must not answer "below the tolerance" */
	{
		rpoly		a = {0},
					b = {0};
		zpolyset	s = {0};
		wk			wa = {0},
					wb = {0};
		int32_t		srid;
		char		why[128];
		double		area = 0,
					big = 1e160,
					sq[2][8] = {{0, 0, big, 0, big, big, 0, big},
								{big / 2, 0, 1.5 * big, 0, 1.5 * big, big, big / 2, big}};
		bool		ok;

		a.nparts = b.nparts = 1;
		a.n[0] = b.n[0] = 4;
		memcpy(a.ext[0], sq[0], sizeof(sq[0]));
		memcpy(b.ext[0], sq[1], sizeof(sq[1]));
		rpoly_wkb(&a, &wa);
		rpoly_wkb(&b, &wb);
		ok = zpolyset_add_wkb(&s, wa.b, wa.n, ZWKB_POLYGONAL, &srid, why, sizeof(why)) &&
			zpolyset_add_wkb(&s, wb.b, wb.n, ZWKB_POLYGONAL, &srid, why, sizeof(why));
		SR_CHECK(ok && (!zpoly_intersection_area(&s, 0, &s, 1, &area) || area >= 1.0),
				 "squares of side 1e160 overlapping by half: left to GEOS (or a huge area), not 0");
		zpolyset_free(&s);
		free(wa.b);
		free(wb.b);
	}
}

int
main(void)
{
	const char *big = getenv("SR_OVERLAP_PARCELS");

	SR_TEST_BEGIN();
	gh = GEOS_init_r();
	test_hand();
	test_real_parcels("extension/tests/unit/data/parcels-essonne.txt",
					  "Essonne parcels around the slivers (fixture)", 120);
	if (big != NULL)
		test_real_parcels(big, "all parcels of SR_OVERLAP_PARCELS", atol(getenv("SR_OVERLAP_NPARCELS") ? getenv("SR_OVERLAP_NPARCELS") : "0"));
	test_random();
	GEOS_finish_r(gh);
	return SR_TEST_END();
}
