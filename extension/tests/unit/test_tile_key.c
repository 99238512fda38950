/*
 * test_tile_key.c — the roof cells' tile key (extension/core/cadastre_tile_key.c):
 * the Morton code of the zoom-24 Web-Mercator tile of a box's centre, and
 * the key ranges of a tile and its neighbours.
 *
 * Reference values are worked out independently of the core: the tiles of
 * places from their longitude and latitude with the slippy-map formula
 * (OpenStreetMap wiki, "Slippy map tilenames": x = floor((lon + 180) / 360
 * 2^z), y = floor((1 - asinh(tan(lat)) / pi) / 2 2^z), computed in Python),
 * their quadkeys with Bing Maps' algorithm ("Bing Maps Tile System", one
 * base-4 digit x bit + 2 y bit a level, most significant first) read in
 * base 4; the bit interleave against a loop over the bits.
 */
#include "sr_test.h"
#include "sr_tile_key.h"

#include <float.h>
#include <math.h>
#include <proj.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* tile side at zoom 24 and 22, metres of Web Mercator */
#define T24 (SR_MERC_WORLD_M / 16777216.0)
#define T22 (SR_MERC_WORLD_M / 4194304.0)

/* Web Mercator of a WGS84 place (EPSG:3857 on the sphere of 6378137 m) */
static void
merc(double lon, double lat, double *x, double *y)
{
	const double r = 6378137.0,
				d = M_PI / 180;

	*x = r * lon * d;
	*y = r * log(tan(M_PI / 4 + lat * d / 2));
}

/* the Morton code by brute force: bit b of x to bit 2b, of y to 2b + 1 */
static int64_t
morton_loop(uint32_t x, uint32_t y)
{
	uint64_t	k = 0;

	for (int b = 0; b < 24; b++)
		k |= ((uint64_t) ((x >> b) & 1) << (2 * b)) | ((uint64_t) ((y >> b) & 1) << (2 * b + 1));
	return (int64_t) k;
}

/* a key's tile at zoom 24, by brute force */
static void
unmorton_loop(int64_t k, int64_t *x, int64_t *y)
{
	*x = *y = 0;
	for (int b = 0; b < 24; b++)
	{
		*x |= ((k >> (2 * b)) & 1) << b;
		*y |= ((k >> (2 * b + 1)) & 1) << b;
	}
}

static uint64_t rng = 88172645463325252ULL;
static uint32_t
xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t) rng;
}

/* a little-endian EWKB polygon Z with an SRID (nrings 0: empty, else one
 * ring of npts points of pts' x y) */
static size_t
ewkb_polygon(uint8_t *b, int32_t srid, int nrings, const double *pts, uint32_t npts)
{
	size_t		n = 0;
	uint32_t	type = 3 | 0x80000000u | 0x20000000u,	/* polygon, Z, SRID */
				nr = (uint32_t) nrings;

	b[n++] = 1;
	memcpy(b + n, &type, 4), n += 4;
	memcpy(b + n, &srid, 4), n += 4;
	memcpy(b + n, &nr, 4), n += 4;
	if (nrings == 0)
		return n;
	memcpy(b + n, &npts, 4), n += 4;
	for (uint32_t i = 0; i < npts; i++)
	{
		double		z = 200;

		memcpy(b + n, &pts[2 * i], 8), n += 8;
		memcpy(b + n, &pts[2 * i + 1], 8), n += 8;
		memcpy(b + n, &z, 8), n += 8;
	}
	return n;
}

/* the key of a square of side s centred on (x, y); -1 when it has none */
static int64_t
key_square(double x, double y, double s)
{
	int64_t		k;

	return sr_tile_key_box(x - s / 2, y - s / 2, x + s / 2, y + s / 2, &k) ? k : -1;
}

/* whether key k is in one of the n ranges */
static int
in_ranges(int64_t k, const int64_t *lo, const int64_t *hi, int n)
{
	for (int i = 0; i < n; i++)
		if (k >= lo[i] && k <= hi[i])
			return 1;
	return 0;
}

/* whether key k is in one of the n ranges (ascending): binary search */
static int
in_ranges_bs(int64_t k, const int64_t *lo, const int64_t *hi, int n)
{
	int			a = 0,
				b = n - 1;

	while (a <= b)
	{
		int			m = (a + b) / 2;

		if (k < lo[m])
			b = m - 1;
		else if (k > hi[m])
			a = m + 1;
		else
			return 1;
	}
	return 0;
}

/* the ranges of tile z/x/y with a buffer of buf metres against brute force
 * over the grid of z22 squares (T22 m of Web Mercator): ascending, disjoint,
 * not adjacent, at most SR_TILE_KEY_MAX_RANGES; every one of the 16 keys of
 * every square meeting the tile grown by buf + T22 / 2 (in metres from the
 * world's west and north edges) is in them; *need the number of those keys,
 * *got the number of keys the ranges hold; 100 random keyed boxes (at most
 * a z22 square wide) meeting the tile grown by buf have their key in them */
static int
ranges_ok(int z, int64_t x, int64_t y, double buf, int64_t *need, int64_t *got)
{
	int64_t		lo[SR_TILE_KEY_MAX_RANGES],
				hi[SR_TILE_KEY_MAX_RANGES];
	double		t = SR_MERC_WORLD_M / (double) ((int64_t) 1 << z),
				g = buf + T22 / 2,
				x0 = x * t - g,
				x1 = (x + 1) * t + g,
				y0 = y * t - g,
				y1 = (y + 1) * t + g;
	int64_t		last = ((int64_t) 1 << 22) - 1;
	int			n,
				ok = 1;
	sr_err		err;

	sr_err_clear(&err);
	n = sr_tile_key_ranges(z, x, y, buf, lo, hi, &err);
	if (n < 1 || n > SR_TILE_KEY_MAX_RANGES)
		return 0;
	*need = *got = 0;
	for (int i = 0; i < n; i++)
	{
		*got += hi[i] - lo[i] + 1;
		if (lo[i] > hi[i] || (i > 0 && lo[i] <= hi[i - 1] + 1))
			ok = 0;
	}
	for (int64_t i = (int64_t) floor(x0 / T22) - 2; i <= (int64_t) floor(x1 / T22) + 2; i++)
		for (int64_t j = (int64_t) floor(y0 / T22) - 2; j <= (int64_t) floor(y1 / T22) + 2; j++)
		{
			/* the square [i T22, (i + 1) T22] x [j T22, (j + 1) T22] meets
			 * the grown tile; squares beyond the world are the edge's
			 * (keys are clamped into it) */
			if (i < 0 || j < 0 || i > last || j > last ||
				(i + 1) * T22 < x0 || i * T22 > x1 || (j + 1) * T22 < y0 || j * T22 > y1)
				continue;
			*need += 16;
			for (int a = 0; a < 4; a++)
				for (int b = 0; b < 4; b++)
					if (!in_ranges_bs(morton_loop((uint32_t) (4 * i + a), (uint32_t) (4 * j + b)), lo, hi, n))
						ok = 0;
		}
	for (int k = 0; k < 100; k++)
	{
		/* a box of side s whose centre is within buf + s / 2 of the tile
		 * on each axis: it meets the tile grown by buf */
		double		s = T22 * (xorshift() % 1000) / 1001.0,
					cx = x * t - buf - s / 2 + (t + 2 * buf + s) * (xorshift() % 100001) / 100000.0,
					cy = y * t - buf - s / 2 + (t + 2 * buf + s) * (xorshift() % 100001) / 100000.0,
					mx = cx - SR_MERC_HALF_M,
					my = SR_MERC_HALF_M - cy;
		int64_t		key = key_square(mx, my, s);

		if (key < 0 || !in_ranges_bs(key, lo, hi, n))
			ok = 0;
	}
	return ok;
}


/* a float4 below and above a double: the GiST index's boxes are float4,
 * rounded outward */
static double
f4_down(double v)
{
	float		f = (float) v;

	return (double) f > v ? (double) nextafterf(f, -FLT_MAX) : (double) f;
}

static double
f4_up(double v)
{
	float		f = (float) v;

	return (double) f < v ? (double) nextafterf(f, FLT_MAX) : (double) f;
}

/* the box in SRID p's units of the points of a closed box's outline (Web
 * Mercator x0..x1, y0..y1) cut into segs equal pieces a side, moved by p in
 * direction d: ST_Segmentize then ST_Transform then ST_Envelope */
static void
moved_box(PJ *p, PJ_DIRECTION d, double x0, double y0, double x1, double y1, int segs,
		  double *b)
{
	b[0] = b[1] = INFINITY;
	b[2] = b[3] = -INFINITY;
	for (int side = 0; side < 4; side++)
		for (int i = 0; i < segs; i++)
		{
			double		f = (double) i / segs,
						px = side == 0 ? x0 + (x1 - x0) * f : side == 1 ? x1 : side == 2 ? x1 - (x1 - x0) * f : x0,
						py = side == 0 ? y0 : side == 1 ? y0 + (y1 - y0) * f : side == 2 ? y1 : y1 - (y1 - y0) * f;
			PJ_COORD	c = proj_trans(p, d, proj_coord(px, py, 0, 0));

			b[0] = fmin(b[0], c.xy.x);
			b[1] = fmin(b[1], c.xy.y);
			b[2] = fmax(b[2], c.xy.x);
			b[3] = fmax(b[3], c.xy.y);
		}
}

/*
 * solar_tile's reach and slack in a table's SRID, by brute force with PROJ:
 * the cells the GiST index's && would give (their box in the SRID, float4,
 * meeting the box there of the tile's 64-unit buffer, densified: B) all
 * have their key in the ranges of reach + 2 z22 squares, reach being how
 * far B's outline, densified and moved back to Web Mercator, reaches beyond
 * the tile (solar_tile's statement, 30-cadastre.sql).  Cells are rectangles
 * of the SRID, turned any way, drawn at B's edges and corners; their key is
 * that of the box of their corners moved to Web Mercator (a cell without a
 * key, wider than a z22 square there, is read anyway).  Tiles of zoom
 * z0..z1 around (lon, lat); returns the cells that failed, counts the cells
 * && gives in *hits.
 */
static long
reach_ok(PJ *p, double lon, double lat, int z0, int z1, int tiles, long *hits, long *near_out)
{
	long		bad = 0;
	double		mx,
				my;

	merc(lon, lat, &mx, &my);
	for (int k = 0; k < tiles; k++)
	{
		int			z = z0 + k % (z1 - z0 + 1);
		double		t = SR_MERC_WORLD_M / (double) ((int64_t) 1 << z),
					m = t * 64.0 / 4096,
					e[4],
					bb[4],
					r[4],
					reach,
					scale;
		int64_t		x = (int64_t) floor((mx + SR_MERC_HALF_M) / t) + (int64_t) (xorshift() % 5) - 2,
					y = (int64_t) floor((SR_MERC_HALF_M - my) / t) + (int64_t) (xorshift() % 5) - 2,
					lo[SR_TILE_KEY_MAX_RANGES],
					hi[SR_TILE_KEY_MAX_RANGES];
		int			n;
		sr_err		err;

		e[0] = -SR_MERC_HALF_M + (double) x * t;
		e[2] = -SR_MERC_HALF_M + (double) (x + 1) * t;
		e[3] = SR_MERC_HALF_M - (double) y * t;
		e[1] = SR_MERC_HALF_M - (double) (y + 1) * t;
		/* B: the buffered tile, pieces of at most t / 16 (17 a side) */
		moved_box(p, PJ_FWD, e[0] - m, e[1] - m, e[2] + m, e[3] + m, 17, bb);
		/* its outline in 16 pieces a side, moved back */
		moved_box(p, PJ_INV, bb[0], bb[1], bb[2], bb[3], 16, r);
		reach = fmax(fmax(r[2] - e[2], e[0] - r[0]), fmax(fmax(r[3] - e[3], e[1] - r[1]), 0));
		sr_err_clear(&err);
		n = sr_tile_key_ranges(z, x, y, reach + 2 * T22, lo, hi, &err);
		if (n < 1)
			return bad + 1;
		/* the SRID's units a metre of Web Mercator, here */
		scale = (bb[2] - bb[0]) / (e[2] - e[0] + 2 * m);
		bb[0] = f4_down(bb[0]);
		bb[1] = f4_down(bb[1]);
		bb[2] = f4_up(bb[2]);
		bb[3] = f4_up(bb[3]);
		for (int c = 0; c < 1000; c++)
		{
			double		u = 2 * (xorshift() % 1000001) / 1000000.0 - 1,
						v = 2 * (xorshift() % 1000001) / 1000000.0 - 1,
						q = (xorshift() % 1000001) / 1000000.0,
						a = M_PI * (xorshift() % 1000001) / 1000000.0,
						w = scale * T22 * (xorshift() % 1001) / 1000.0,
						h = (xorshift() & 1) ? w : scale * T22 * (xorshift() % 1001) / 1000.0,
						d = 3 * T22 * scale,
						cx,
						cy,
						cb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY},
						kb[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
			int			at = (int) (xorshift() % 8);
			int64_t		key;

			/* centred near one of B's edges (0-3) or corners (4-7) */
			cx = (at == 0 || at == 4 || at == 6) ? bb[0] : (at == 1 || at == 5 || at == 7) ? bb[2] : bb[0] + (bb[2] - bb[0]) * q;
			cy = (at == 2 || at == 4 || at == 5) ? bb[1] : (at == 3 || at == 6 || at == 7) ? bb[3] : bb[1] + (bb[3] - bb[1]) * q;
			cx += (at == 2 || at == 3) ? 0 : u * d;
			cy += (at == 0 || at == 1) ? 0 : v * d;
			for (int i = 0; i < 4; i++)
			{
				/* corner i of the rectangle turned by a */
				double		dx = ((i == 1 || i == 2) ? 0.5 : -0.5) * w,
							dy = (i >= 2 ? 0.5 : -0.5) * h,
							px = cx + dx * cos(a) - dy * sin(a),
							py = cy + dx * sin(a) + dy * cos(a);
				PJ_COORD	o = proj_trans(p, PJ_INV, proj_coord(px, py, 0, 0));

				cb[0] = fmin(cb[0], px);
				cb[1] = fmin(cb[1], py);
				cb[2] = fmax(cb[2], px);
				cb[3] = fmax(cb[3], py);
				kb[0] = fmin(kb[0], o.xy.x);
				kb[1] = fmin(kb[1], o.xy.y);
				kb[2] = fmax(kb[2], o.xy.x);
				kb[3] = fmax(kb[3], o.xy.y);
			}
			/* && on the float4 boxes */
			if (!(f4_up(cb[2]) >= bb[0] && f4_down(cb[0]) <= bb[2] && f4_up(cb[3]) >= bb[1] && f4_down(cb[1]) <= bb[3]))
			{
				if (sr_tile_key_box(kb[0], kb[1], kb[2], kb[3], &key) && !in_ranges_bs(key, lo, hi, n))
					(*near_out)++;
				continue;
			}
			(*hits)++;
			if (sr_tile_key_box(kb[0], kb[1], kb[2], kb[3], &key) && !in_ranges_bs(key, lo, hi, n))
			{
				if (bad < 5)
					printf("# tile %d/%lld/%lld reach %.3f m: a cell && gives (centre %.3f %.3f) has key %lld outside the ranges\n",
						   z, (long long) x, (long long) y, reach, cx, cy, (long long) key);
				bad++;
			}
		}
	}
	return bad;
}

int
main(void)
{
	SR_TEST_BEGIN();

	/* ---- the bit interleave ---- */
	/* Bing Maps Tile System's example: tile (3, 5) of level 3 is quadkey
	 * "213", 2 x 16 + 1 x 4 + 3 = 39 */
	SR_CHECK(sr_tile_morton(3, 5) == 39, "morton: tile (3, 5) is quadkey 213 = 39 (Bing Maps' example)");
	SR_CHECK(sr_tile_morton(0, 0) == 0, "morton: tile (0, 0) is 0");
	SR_CHECK(sr_tile_morton(16777215, 16777215) == ((int64_t) 1 << 48) - 1,
			 "morton: the last z24 tile is 2^48 - 1 (24 digits 3)");
	SR_CHECK(sr_morton_spread(0xFFFFFFu) == UINT64_C(0x555555555555),
			 "spread: 24 ones go to the 24 even bits");
	SR_CHECK(sr_morton_spread(0xFF000001u) == 1, "spread: the bits above the 24th are ignored");
	{
		int			bad = 0;

		for (int i = 0; i < 100000; i++)
		{
			uint32_t	x = xorshift() & 0xFFFFFF,
						y = xorshift() & 0xFFFFFF;

			if (sr_tile_morton(x, y) != morton_loop(x, y))
				bad++;
		}
		for (uint32_t b = 0; b < 24; b++)
			if (sr_tile_morton(1u << b, 0) != morton_loop(1u << b, 0) ||
				sr_tile_morton(0, 1u << b) != morton_loop(0, 1u << b))
				bad++;
		SR_CHECK(bad == 0, "morton: 100,000 random tiles and every single bit, as the loop over the bits");
	}

	/* ---- tiles of places (slippy-map formula, Python) ---- */
	{
		double		x,
					y;
		int64_t		k,
					tx,
					ty;

		/* Lyon, Hotel de Ville (4.8357 E, 45.7676 N): z24 tile (8613967.95,
		 * 5984250.85) -> (8613967, 5984250); quadkey
		 * 120220330311222223223131 = 108367220226781; its z15 tile
		 * (16824, 11687) is next to the demo's z15 tile over Lyon 1er
		 * (16823, 11687, scripts/demo-cadastre.sql) */
		merc(4.8357, 45.7676, &x, &y);
		k = key_square(x, y, 1.0);
		unmorton_loop(k, &tx, &ty);
		SR_CHECK(tx == 8613967 && ty == 5984250, "Lyon Hotel de Ville: z24 tile (8613967, 5984250)");
		SR_CHECK(k == INT64_C(108367220226781), "Lyon Hotel de Ville: quadkey 120220330311222223223131");
		SR_CHECK((tx >> 9) == 16824 && (ty >> 9) == 11687, "Lyon Hotel de Ville: z15 tile (16824, 11687)");
		/* Lyon, place Bellecour (4.83222 E, 45.75778 N): (8613805.77,
		 * 5984906.85); quadkey 120220330312113130103121 = 108367231960281 */
		merc(4.83222, 45.75778, &x, &y);
		SR_CHECK(key_square(x, y, 2.0) == INT64_C(108367231960281),
				 "Lyon place Bellecour: z24 tile (8613805, 5984906), quadkey 120220330312113130103121");
		/* Rennes (1.6778 W, 48.1173 N): (8310416.85, 5823823.16), z18
		 * (129850, 90997) */
		merc(-1.6778, 48.1173, &x, &y);
		unmorton_loop(key_square(x, y, 0.5), &tx, &ty);
		SR_CHECK(tx == 8310416 && ty == 5823823 && (tx >> 6) == 129850 && (ty >> 6) == 90997,
				 "Rennes: z24 tile (8310416, 5823823), z18 (129850, 90997)");
		/* a box's key is its centre's: a 9 m wide cell whose corner is in
		 * another tile has the key of its centre */
		merc(4.8357, 45.7676, &x, &y);
		SR_CHECK(key_square(x, y, 9.0) == INT64_C(108367220226781), "a 9 m cell: the key of its centre");
	}

	/* ---- the z22 limit ---- */
	{
		int64_t		k;

		/* a z22 tile is 40075016.68557849 / 2^22 = 9.554628535647032 m */
		SR_CHECK_CLOSE(T22, 9.554628535647032, 1e-12, "a z22 tile is 9.5546 m wide");
		SR_CHECK(sr_tile_key_box(100, 100, 100 + T22, 101, &k), "a box exactly a z22 tile wide has a key");
		SR_CHECK(sr_tile_key_box(100, 100, 101, 100 + T22, &k), "a box exactly a z22 tile tall has a key");
		SR_CHECK(!sr_tile_key_box(100, 100, 100 + T22 + 1e-6, 101, &k), "a box 1 micrometre wider: no key");
		SR_CHECK(!sr_tile_key_box(100, 100, 101, 100 + T22 + 1e-6, &k), "a box 1 micrometre taller: no key");
		SR_CHECK(!sr_tile_key_box(0, 0, 9.6, 1, &k), "a 9.6 m wide box: no key");
		SR_CHECK(sr_tile_key_box(5, 5, 5, 5, &k), "a point (an empty box) has a key");
		SR_CHECK(!sr_tile_key_box(NAN, 0, 1, 1, &k) && !sr_tile_key_box(0, 0, 1, NAN, &k),
				 "a NaN: no key");
		SR_CHECK(!sr_tile_key_box(1, 0, 0, 1, &k) && !sr_tile_key_box(0, 1, 1, 0, &k),
				 "min above max (not a box): no key");
		SR_CHECK(!sr_tile_key_box(-INFINITY, 0, INFINITY, 1, &k), "an infinite box: no key");
	}

	/* ---- boundaries ---- */
	{
		int64_t		k = -1,
					tx,
					ty;

		/* (0, 0) is the corner of four z24 tiles: (0 + half) / tile =
		 * 2^23 exactly, east of the edge and south of it: tile (2^23, 2^23),
		 * quadkey 3000...0 = 3 x 4^23 = 3 x 2^46 */
		SR_CHECK(sr_tile_key_box(-0.5, -0.5, 0.5, 0.5, &k) && k == 3 * ((int64_t) 1 << 46),
				 "the centre (0, 0): tile (2^23, 2^23), quadkey 3000... = 3 x 2^46");
		/* a centre 1 mm west and north of (0, 0): tile (2^23 - 1, 2^23 - 1) */
		sr_tile_key_box(-0.501, -0.499, 0.499, 0.501, &k);
		unmorton_loop(k, &tx, &ty);
		SR_CHECK(tx == 8388607 && ty == 8388607, "a centre 1 mm north-west of (0, 0): tile (2^23 - 1, 2^23 - 1)");
		/* the west edge of tile 8613967: -half + 8613967 tile, whose
		 * distance from the edge divides back to 8613967 exactly */
		sr_tile_key_box(-SR_MERC_HALF_M + 8613967 * T24, 0, -SR_MERC_HALF_M + 8613967 * T24, 0, &k);
		unmorton_loop(k, &tx, &ty);
		SR_CHECK(tx == 8613967, "a centre on the west edge of a tile is in that tile");
		/* the world's corners and beyond: clamped */
		SR_CHECK(sr_tile_key_box(20037508.3, -20037508.3, 20037508.3, -20037508.3, &k) &&
				 k == ((int64_t) 1 << 48) - 1, "the south-east corner: the last z24 tile, 2^48 - 1");
		SR_CHECK(sr_tile_key_box(SR_MERC_HALF_M, -SR_MERC_HALF_M, SR_MERC_HALF_M, -SR_MERC_HALF_M, &k) &&
				 k == ((int64_t) 1 << 48) - 1, "the east and south edges themselves: clamped to the last tile");
		SR_CHECK(sr_tile_key_box(-SR_MERC_HALF_M - 5, SR_MERC_HALF_M + 5, -SR_MERC_HALF_M - 4, SR_MERC_HALF_M + 6, &k) &&
				 k == 0, "beyond the north-west corner: clamped to tile (0, 0)");
		SR_CHECK(sr_tile_key_box(1e300, 0, 1e300, 0, &k) && (unmorton_loop(k, &tx, &ty), tx == 16777215 && ty == 8388608),
				 "1e300 m east: the last column");
		/* the z24 tile (5, 3) is quadkey ...00123 = 1 x 16 + 2 x 4 + 3 = 27:
		 * a box at its centre */
		SR_CHECK(sr_tile_key_box(-SR_MERC_HALF_M + 5.5 * T24, SR_MERC_HALF_M - 3.5 * T24,
								 -SR_MERC_HALF_M + 5.5 * T24, SR_MERC_HALF_M - 3.5 * T24, &k) && k == 27,
				 "the z24 tile (5, 3): quadkey 123 = 27");
	}

	/* ---- from (E)WKB ---- */
	{
		uint8_t		b[512];
		double		x,
					y,
					sq[10],
					big[10];
		bool		has;
		int64_t		k = -1;
		sr_err		err;
		size_t		n;

		merc(4.8357, 45.7676, &x, &y);
		/* a 1 m square cell, corners listed from the north-east */
		{
			double		c[10] = {x + 0.5, y + 0.5, x - 0.5, y + 0.5, x - 0.5, y - 0.5, x + 0.5, y - 0.5, x + 0.5, y + 0.5};
			double		d[10] = {x + 5, y + 5, x - 5, y + 5, x - 5, y - 5, x + 5, y - 5, x + 5, y + 5};

			memcpy(sq, c, sizeof c);
			memcpy(big, d, sizeof d);
		}
		sr_err_clear(&err);
		n = ewkb_polygon(b, 3857, 1, sq, 5);
		SR_CHECK(sr_tile_key_wkb(b, n, &has, &k, &err) == SR_OK && has && k == INT64_C(108367220226781),
				 "wkb: a 1 m cell at Lyon Hotel de Ville, its quadkey");
		n = ewkb_polygon(b, 3857, 1, big, 5);
		SR_CHECK(sr_tile_key_wkb(b, n, &has, &k, &err) == SR_OK && !has, "wkb: a 10 m cell has no key");
		n = ewkb_polygon(b, 3857, 0, NULL, 0);
		SR_CHECK(sr_tile_key_wkb(b, n, &has, &k, &err) == SR_OK && !has, "wkb: an empty polygon has no key");
		sr_err_clear(&err);
		n = ewkb_polygon(b, 2154, 1, sq, 5);
		SR_CHECK(sr_tile_key_wkb(b, n, &has, &k, &err) == SR_EINVAL && !has &&
				 strstr(err.msg, "SRID 2154") != NULL, "wkb: SRID 2154 is refused, named");
		sr_err_clear(&err);
		n = ewkb_polygon(b, 3857, 1, sq, 5);
		SR_CHECK(sr_tile_key_wkb(b, n - 5, &has, &k, &err) == SR_EGEOM, "wkb: a truncated value is an error");
		{
			/* POINT(0 0) with SRID 3857 */
			uint8_t		p[25] = {1, 1, 0, 0, 0x20, 0x11, 0x0f, 0, 0};

			memset(p + 9, 0, 16);
			sr_err_clear(&err);
			SR_CHECK(sr_tile_key_wkb(p, 25, &has, &k, &err) == SR_EGEOM, "wkb: a point is not a cell");
		}
	}

	/* ---- key ranges of a tile ---- */
	{
		int64_t		lo[SR_TILE_KEY_MAX_RANGES],
					hi[SR_TILE_KEY_MAX_RANGES],
					need,
					got;
		sr_err		err;
		int			n;

		sr_err_clear(&err);
		n = sr_tile_key_ranges(0, 0, 0, 0, lo, hi, &err);
		SR_CHECK(n == 1 && lo[0] == 0 && hi[0] == ((int64_t) 1 << 48) - 1, "ranges z0: the whole world, one range");
		/* a z22 tile, no buffer: grown by half a square, it meets itself and
		 * its 8 neighbours, 9 x 16 keys (as the rule before) */
		SR_CHECK(ranges_ok(22, 8613967 >> 2, 5984250 >> 2, 0, &need, &got) && need == 9 * 16 && got == need,
				 "ranges z22, no buffer: the 9 squares around it, 144 keys");
		/* z20 over Lyon, no buffer: its 4 x 4 squares and a ring of one,
		 * 6 x 6 squares, 576 keys */
		SR_CHECK(ranges_ok(20, 8613967 >> 4, 5984250 >> 4, 0, &need, &got) && need == 36 * 16 && got == need,
				 "ranges z20, no buffer: 6 x 6 squares, 576 keys");
		/* z18 tile over Lyon: holds Lyon Hotel de Ville's key */
		n = sr_tile_key_ranges(18, 134593, 93503, 9.55, lo, hi, &err);
		SR_CHECK(n >= 1 && in_ranges(INT64_C(108367220226781), lo, hi, n),
				 "ranges z18 (134593, 93503): hold Lyon Hotel de Ville's key");
		{
			int			bad = 0,
						inexact = 0,
						tiles = 0;
			double		worst = 1;

			/* random tiles of zooms 14 to 20 (over France, and anywhere),
			 * buffers of 0 to 60 m, and the world's edges and corners */
			for (int k = 0; k < 700; k++)
			{
				int			z = 14 + k % 7;
				int64_t		side = (int64_t) 1 << z,
							x,
							y;
				double		buf = (k % 5 == 0) ? 0 : (xorshift() % 6001) / 100.0;

				if (k % 3 == 0)
				{
					x = (int64_t) (xorshift() % side);
					y = (int64_t) (xorshift() % side);
				}
				else if (k % 3 == 1)
				{
					/* France: x 0.49-0.52, y 0.33-0.37 of the world */
					x = (int64_t) ((0.49 + 0.03 * (xorshift() % 1000) / 1000.0) * side);
					y = (int64_t) ((0.33 + 0.04 * (xorshift() % 1000) / 1000.0) * side);
				}
				else
				{
					x = (xorshift() & 1) ? 0 : side - 1;
					y = (xorshift() & 1) ? (int64_t) (xorshift() % side) : ((xorshift() & 1) ? 0 : side - 1);
				}
				tiles++;
				if (!ranges_ok(z, x, y, buf, &need, &got))
					bad++;
				else
				{
					if (got != need)
						inexact++;
					if ((double) got / need > worst)
						worst = (double) got / need;
				}
			}
			printf("# ranges: %d tiles, %d with gaps closed, keys read / needed at most %.4f\n", tiles, inexact, worst);
			SR_CHECK(bad == 0, "ranges: every key of every z22 square meeting the tile grown by its buffer and half a square, and every random keyed box meeting the grown tile (700 tiles, z14-z20, buffers 0-60 m, world edges)");
			/* (measured: 1.118 at worst, where more than 64 blocks had their gaps closed) */
			SR_CHECK(worst <= 1.15, "ranges: at most 15%% more keys than the squares meeting the grown tile hold");
		}
		/* ---- the slack, by brute force: a keyed box whose key is outside
		 * the ranges does not meet the tile grown by the buffer ----
		 * The contrapositive of the ranges' promise, over boxes drawn
		 * anywhere near the grown tile's edges and corners (inside, across,
		 * up to three z22 squares beyond), of every size a key allows
		 * (points, slivers, squares of a z22 tile less 1 um, rectangles), on tiles
		 * of every zoom 10 to 24 (France, anywhere, the world's four edges
		 * and corners, where the grown tile and the boxes cross the keys'
		 * origin, the north-west corner, and are clamped; and the four
		 * tiles at Web Mercator's (0, 0)), buffers of 0 to 200 m.  Meeting
		 * is tested in Web Mercator metres as ST_TileEnvelope places the
		 * tile (-half + x t), closed (touching counts).  The key depends on
		 * the box in Web Mercator alone (sr_tile_key_box; a cell's
		 * geometry is moved to 3857 first), so no other SRID enters here:
		 * the table's SRID is solar_tile's reach, tested below with PROJ. */
		{
			long		boxes = 0,
						outside = 0,
						near_out = 0,
						nokey = 0,
						bad = 0;

			for (int k = 0; k < 1500; k++)
			{
				int			z = 10 + k % 15,
							kind = (k / 15) % 4;
				int64_t		side = (int64_t) 1 << z,
							x,
							y;
				double		t = SR_MERC_WORLD_M / (double) side,
							buf = (k % 7 == 0) ? 0 : (xorshift() % 20001) / 100.0,
							ex0,
							ex1,
							ey0,
							ey1;

				if (kind == 0)
				{
					x = (int64_t) (xorshift() % side);
					y = (int64_t) (xorshift() % side);
				}
				else if (kind == 1)
				{
					x = (int64_t) ((0.49 + 0.03 * (xorshift() % 1000) / 1000.0) * side);
					y = (int64_t) ((0.33 + 0.04 * (xorshift() % 1000) / 1000.0) * side);
				}
				else if (kind == 2)
				{
					x = (xorshift() & 1) ? 0 : side - 1;
					y = (xorshift() & 1) ? (int64_t) (xorshift() % side) : ((xorshift() & 1) ? 0 : side - 1);
					if (xorshift() & 1)
					{
						int64_t		s = x;

						x = y;
						y = s;
					}
				}
				else
				{
					/* a tile at Web Mercator's (0, 0) */
					x = side / 2 - (int64_t) (xorshift() & 1);
					y = side / 2 - (int64_t) (xorshift() & 1);
					x = x < 0 ? 0 : x;
					y = y < 0 ? 0 : y;
				}
				sr_err_clear(&err);
				n = sr_tile_key_ranges(z, x, y, buf, lo, hi, &err);
				if (n < 1)
				{
					bad++;
					continue;
				}
				/* the grown tile in Web Mercator (y up): ST_TileEnvelope's */
				ex0 = -SR_MERC_HALF_M + (double) x * t - buf;
				ex1 = -SR_MERC_HALF_M + (double) (x + 1) * t + buf;
				ey1 = SR_MERC_HALF_M - (double) y * t + buf;
				ey0 = SR_MERC_HALF_M - (double) (y + 1) * t - buf;
				for (int b = 0; b < 400; b++)
				{
					int			shape = (int) (xorshift() % 6),
								at = (int) (xorshift() % 9);
					double		w,
								h,
								cx,
								cy,
								reach = 3 * T22,
								u = (xorshift() % 1000001) / 1000000.0,
								v = (xorshift() % 1000001) / 1000000.0;
					int64_t		key;
					int			meets;

					/* sizes: a point, a sliver, a z22 square (less 1 um: its
					 * computed width must not round above it), any
					 * rectangle, a small square, 1 mm */
					w = shape == 0 ? 0 : shape == 1 ? T22 * u : shape == 2 ? T22 - 1e-6 : shape == 3 ? T22 * u : shape == 4 ? T22 * u * 0.1 : 1e-3;
					h = shape == 0 ? 0 : shape == 1 ? 1e-3 : shape == 2 ? T22 - 1e-6 : shape == 3 ? T22 * v : shape == 4 ? w : 1e-3;
					if (xorshift() & 1)
					{
						double		s = w;

						w = h;
						h = s;
					}
					/* where: near one of the grown tile's 4 edges or 4 corners
					 * (within reach + the box's size of it, on both sides), or
					 * anywhere over the grown tile and a ring of reach */
					u = 2 * u - 1;
					v = 2 * v - 1;
					if (at < 8)
					{
						/* 0-3 the west, east, south and north edges (anywhere
						 * along them), 4-7 the corners */
						double		p = (xorshift() % 1000001) / 1000000.0,
									ax = (at == 0 || at == 4 || at == 6) ? ex0 : (at == 1 || at == 5 || at == 7) ? ex1 : ex0 + (ex1 - ex0) * p,
									ay = (at == 2 || at == 4 || at == 5) ? ey0 : (at == 3 || at == 6 || at == 7) ? ey1 : ey0 + (ey1 - ey0) * p;

						cx = ax + ((at == 2 || at == 3) ? 0 : u * (reach + w));
						cy = ay + ((at == 0 || at == 1) ? 0 : v * (reach + h));
					}
					else
					{
						cx = ex0 - reach + (ex1 - ex0 + 2 * reach) * (u + 1) / 2;
						cy = ey0 - reach + (ey1 - ey0 + 2 * reach) * (v + 1) / 2;
					}
					boxes++;
					if (!sr_tile_key_box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2, &key))
					{
						/* (a box a z22 square wide may be a rounding wider,
						 * far from the world's centre: no key, always read) */
						nokey++;
						continue;
					}
					meets = cx + w / 2 >= ex0 && cx - w / 2 <= ex1 && cy + h / 2 >= ey0 && cy - h / 2 <= ey1;
					if (in_ranges_bs(key, lo, hi, n))
						continue;
					outside++;
					/* (within a z22 square of the grown tile: the ring's
					 * edge was tried, not only far boxes) */
					if (cx + w / 2 >= ex0 - T22 && cx - w / 2 <= ex1 + T22 && cy + h / 2 >= ey0 - T22 && cy - h / 2 <= ey1 + T22)
						near_out++;
					if (meets)
					{
						if (bad < 5)
							printf("# tile %d/%lld/%lld buffer %.2f: box (%.6f %.6f, %.6f %.6f) meets it, key %lld outside its %d ranges\n",
								   z, (long long) x, (long long) y, buf, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2,
								   (long long) key, n);
						bad++;
					}
				}
			}
			printf("# slack: %ld boxes (%ld without a key), %ld keyed outside the ranges (%ld within a z22 square of the grown tile)\n",
				   boxes, nokey, outside, near_out);
			SR_CHECK(bad == 0, "ranges' slack: no keyed box outside the ranges meets the grown tile (1,500 tiles z10-z24, 400 boxes each at its edges and corners, the world's edges and (0, 0))");
			SR_CHECK(near_out > 5000 && nokey < boxes / 100, "ranges' slack: boxes just outside the ranges were tried, nearly all keyed (not a vacuous test)");
		}
		/* the bound on the number of ranges: a z14 tile (256 x 256 squares)
		 * with a 60 m buffer needs more than 64 blocks, gaps closed */
		n = sr_tile_key_ranges(14, 8413, 5845, 60, lo, hi, &err);
		SR_CHECK(n == SR_TILE_KEY_MAX_RANGES, "ranges z14, 60 m: capped at SR_TILE_KEY_MAX_RANGES");
		sr_err_clear(&err);
		SR_CHECK(sr_tile_key_ranges(25, 0, 0, 0, lo, hi, &err) == -1 && err.status == SR_EINVAL,
				 "ranges: zoom 25 does not exist");
		sr_err_clear(&err);
		SR_CHECK(sr_tile_key_ranges(3, 8, 0, 0, lo, hi, &err) == -1 && err.status == SR_EINVAL &&
				 strcmp(err.msg, "tile 3/8/0 does not exist") == 0, "ranges: tile 3/8/0 does not exist");
		sr_err_clear(&err);
		SR_CHECK(sr_tile_key_ranges(3, 0, -1, 0, lo, hi, &err) == -1, "ranges: y -1 does not exist");
		sr_err_clear(&err);
		SR_CHECK(sr_tile_key_ranges(16, 0, 0, -1, lo, hi, &err) == -1 && err.status == SR_EINVAL &&
				 strcmp(err.msg, "tile buffer -1 m is not a finite length of zero or more") == 0,
				 "ranges: a buffer of -1 m");
		sr_err_clear(&err);
		SR_CHECK(sr_tile_key_ranges(16, 0, 0, NAN, lo, hi, &err) == -1 && err.status == SR_EINVAL, "ranges: a NaN buffer");
		sr_err_clear(&err);
		SR_CHECK(sr_tile_key_ranges(16, 0, 0, INFINITY, lo, hi, &err) == -1 && err.status == SR_EINVAL, "ranges: an infinite buffer");
	}

	/* ---- solar_tile's reach in a table's SRID (PROJ): every cell && gives
	 * is in the ranges of reach + 2 z22 squares ---- */
	{
		const char *srids[] = {"EPSG:2154", "EPSG:2154", "EPSG:2154", "EPSG:2154", "EPSG:3946", "EPSG:4326", "EPSG:4326"};
		/* Lyon, Brest (7.5 deg west of Lambert-93's central meridian),
		 * Strasbourg, Nice; Lyon in CC46; Lyon and Nouméa in degrees */
		const double places[][2] = {{4.8357, 45.7676}, {-4.49, 48.39}, {7.75, 48.58}, {7.26, 43.70},
		{4.8357, 45.7676}, {4.8357, 45.7676}, {166.45, -22.27}};
		long		bad = 0,
					hits = 0,
					near_out = 0;
		int			made = 0;
		PJ_CONTEXT *ctx = proj_context_create();

		for (int i = 0; i < 7; i++)
		{
			PJ		   *raw = proj_create_crs_to_crs(ctx, "EPSG:3857", srids[i], NULL),
					   *p = raw ? proj_normalize_for_visualization(ctx, raw) : NULL;

			if (p == NULL)
				continue;
			made++;
			bad += reach_ok(p, places[i][0], places[i][1], 12, 22, 33, &hits, &near_out);
			proj_destroy(p);
			proj_destroy(raw);
		}
		proj_context_destroy(ctx);
		printf("# reach: %ld cells && gives, all in the ranges; %ld keyed cells outside && and the ranges\n", hits, near_out);
		SR_CHECK(made == 7 && bad == 0 && hits > 50000,
				 "solar_tile's reach + 2 z22 squares: every cell the && of its SRID gives (float4 boxes) has its key in the ranges (Lambert-93 in Lyon, Brest, Strasbourg, Nice; CC46; degrees; z12-z22, cells turned any way)");
	}
	return SR_TEST_END();
}
