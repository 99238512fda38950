/*
 * cadastre_tile_key.c — the roof cells' tile key (sr_tile_key.h): the
 * Morton code of the zoom-24 Web-Mercator tile of a cell's centre, and the
 * key ranges of a tile and a thin ring around it that solar_tile reads.
 *
 * One rule, written once: the hub's trigger (smartregion._tile_key, glue in
 * extension/pg/roofarea.c) writes every key with it, and solar_tile's ranges
 * (smartregion._tile_key_ranges) are made with it.
 */
#include "sr_tile_key.h"
#include "sr_geom.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* keys' tiles a row: 2^24 */
#define TILES_Z24 16777216.0
#define LAST_Z24 16777215

uint64_t
sr_morton_spread(uint32_t v)
{
	uint64_t	m = v & 0xFFFFFFu;	/* (the 24 low bits only) */

	/* each step moves half of every group up by the group's width */
	m = (m | (m << 16)) & UINT64_C(0x0000FFFF0000FFFF);
	m = (m | (m << 8)) & UINT64_C(0x00FF00FF00FF00FF);
	m = (m | (m << 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
	m = (m | (m << 2)) & UINT64_C(0x3333333333333333);
	m = (m | (m << 1)) & UINT64_C(0x5555555555555555);
	return m;
}

int64_t
sr_tile_morton(uint32_t x, uint32_t y)
{
	/* x in the even bits, y in the odd ones: a quadkey's digit is x + 2 y */
	return (int64_t) (sr_morton_spread(x) | (sr_morton_spread(y) << 1));
}

/* The zoom-24 tile of a Web-Mercator coordinate counted from the world's
 * edge (d = x + half from the west, half - y from the north), clamped into
 * the world; never converts a NaN or an infinity to an integer. */
static uint32_t
z24_tile(double d)
{
	/* (the same operations, in the same order, as the SQL rule this
	 * replaces: keys written before are the same) */
	double		t = floor(d / (SR_MERC_WORLD_M / TILES_Z24));

	if (!(t > 0))
		return 0;
	if (t > LAST_Z24)
		return LAST_Z24;
	return (uint32_t) t;
}

bool
sr_tile_key_box(double xmin, double ymin, double xmax, double ymax, int64_t *key)
{
	double		w = xmax - xmin,
				h = ymax - ymin,
				size = w > h ? w : h;

	/* not a box (a NaN, min above max), or wider or taller than a z22
	 * tile: the cell may overlap a tile beyond the 8 neighbours of its own */
	if (isnan(xmin) || isnan(ymin) || isnan(xmax) || isnan(ymax) ||
		!(w >= 0) || !(h >= 0) ||
		size > SR_MERC_WORLD_M / (double) (1 << SR_TILE_KEY_BOX_ZOOM))
		return false;
	*key = sr_tile_morton(z24_tile((xmin + xmax) / 2 + SR_MERC_HALF_M),
						  z24_tile(SR_MERC_HALF_M - (ymin + ymax) / 2));
	return true;
}

sr_status
sr_tile_key_wkb(const uint8_t *wkb, size_t len, bool *has_key, int64_t *key,
				sr_err *err)
{
	sr_mpoly	m;
	sr_status	st;
	double		x0 = INFINITY,
				y0 = INFINITY,
				x1 = -INFINITY,
				y1 = -INFINITY;

	*has_key = false;
	st = sr_wkb_read_mpoly(wkb, len, &m, err);
	if (st != SR_OK)
		return st;
	if (m.srid != 3857)
	{
		int			srid = (int) m.srid;

		sr_mpoly_free(&m);
		return sr_error(err, SR_EINVAL, "a tile key needs a geometry in Web Mercator (SRID 3857), not SRID %d",
						srid);
	}
	for (int i = 0; i < m.npts; i++)
	{
		double		x = m.xyz[3 * i],
					y = m.xyz[3 * i + 1];

		x0 = x < x0 ? x : x0;
		x1 = x > x1 ? x : x1;
		y0 = y < y0 ? y : y0;
		y1 = y > y1 ? y : y1;
	}
	/* an empty geometry has no box, so no key */
	if (m.npts > 0)
		*has_key = sr_tile_key_box(x0, y0, x1, y1, key);
	sr_mpoly_free(&m);
	return SR_OK;
}

/* a growing list of ranges, merged as they come (they come ascending) */
typedef struct key_ranges
{
	int64_t    *lo,
			   *hi;
	int			n,
				cap;
	bool		nomem;
} key_ranges;

static void
ranges_add(key_ranges *r, int64_t lo, int64_t hi)
{
	if (r->n > 0 && lo == r->hi[r->n - 1] + 1)
	{
		r->hi[r->n - 1] = hi;
		return;
	}
	if (r->n == r->cap)
	{
		int			cap = r->cap ? 2 * r->cap : 64;
		int64_t    *l = realloc(r->lo, sizeof(int64_t) * (size_t) cap),
				   *h;

		if (l == NULL)
		{
			r->nomem = true;
			return;
		}
		r->lo = l;
		h = realloc(r->hi, sizeof(int64_t) * (size_t) cap);
		if (h == NULL)
		{
			r->nomem = true;
			return;
		}
		r->hi = h;
		r->cap = cap;
	}
	r->lo[r->n] = lo;
	r->hi[r->n] = hi;
	r->n++;
}

/* The quadtree cover of the rectangle of z22 squares [i0, i1] x [j0, j1]
 * below block (bx, by) of zoom bz: a block inside it is one range of keys,
 * a block across its edge is its 4 children, in Morton order (so that the
 * ranges come ascending). */
static void
cover(int bz, int64_t bx, int64_t by, int64_t i0, int64_t i1, int64_t j0, int64_t j1,
	  key_ranges *r)
{
	int			d = SR_TILE_KEY_BOX_ZOOM - bz;
	int64_t		a0 = bx << d,
				a1 = ((bx + 1) << d) - 1,
				b0 = by << d,
				b1 = ((by + 1) << d) - 1;

	if (r->nomem || a1 < i0 || a0 > i1 || b1 < j0 || b0 > j1)
		return;
	if (a0 >= i0 && a1 <= i1 && b0 >= j0 && b1 <= j1)
	{
		int			shift = 2 * (SR_TILE_KEY_ZOOM - bz);
		int64_t		m = sr_tile_morton((uint32_t) bx, (uint32_t) by) << shift;

		ranges_add(r, m, m + (INT64_C(1) << shift) - 1);
		return;
	}
	/* (never below zoom 22: a z22 block is inside or outside) */
	for (int q = 0; q < 4; q++)
		cover(bz + 1, 2 * bx + (q & 1), 2 * by + (q >> 1), i0, i1, j0, j1, r);
}

/* the z22 squares, first and last, along one axis that meet [a, b] (in z22
 * squares from the world's edge; touching counts), clamped into the world
 * as the keys are */
static void
squares_meeting(double a, double b, int64_t *first, int64_t *last)
{
	const double top = (double) ((INT64_C(1) << SR_TILE_KEY_BOX_ZOOM) - 1);
	double		f = ceil(a) - 1,
				l = floor(b);

	*first = (int64_t) (f < 0 ? 0 : f > top ? top : f);
	*last = (int64_t) (l < 0 ? 0 : l > top ? top : l);
}

int
sr_tile_key_ranges(int z, int64_t x, int64_t y, double buffer_m,
				   int64_t lo[SR_TILE_KEY_MAX_RANGES], int64_t hi[SR_TILE_KEY_MAX_RANGES],
				   sr_err *err)
{
	const double w22 = SR_MERC_WORLD_M / (double) (INT64_C(1) << SR_TILE_KEY_BOX_ZOOM);
	key_ranges	r = {0};
	double		side,
				g;
	int64_t		i0,
				i1,
				j0,
				j1;
	int			n;

	if (z < 0 || z > SR_TILE_KEY_ZOOM || x < 0 || y < 0 || x >= (INT64_C(1) << z) ||
		y >= (INT64_C(1) << z))
	{
		sr_error(err, SR_EINVAL, "tile %d/%lld/%lld does not exist", z, (long long) x, (long long) y);
		return -1;
	}
	if (!(buffer_m >= 0) || isinf(buffer_m))
	{
		sr_error(err, SR_EINVAL, "tile buffer %g m is not a finite length of zero or more", buffer_m);
		return -1;
	}
	/* the tile grown by the buffer and by half a z22 square, in z22 squares:
	 * a keyed cell is at most a z22 square wide and tall, so a cell that
	 * meets the tile grown by the buffer has the centre of its box (its key)
	 * within half a square of it, on each axis */
	side = ldexp(1.0, SR_TILE_KEY_BOX_ZOOM - z);
	g = buffer_m / w22 + 0.5;
	squares_meeting((double) x * side - g, (double) (x + 1) * side + g, &i0, &i1);
	squares_meeting((double) y * side - g, (double) (y + 1) * side + g, &j0, &j1);
	cover(0, 0, 0, i0, i1, j0, j1, &r);
	if (r.nomem)
	{
		free(r.lo);
		free(r.hi);
		return sr_error(err, SR_ENOMEM, "out of memory"), -1;
	}
	/* at most SR_TILE_KEY_MAX_RANGES ranges (fewer index scans): the
	 * smallest gaps between them are read as well, the largest kept */
	n = r.n;
	if (n > SR_TILE_KEY_MAX_RANGES)
	{
		int64_t    *gaps = malloc(sizeof(int64_t) * (size_t) (n - 1));
		int64_t		t;
		int			over,
					k = 0;

		if (gaps == NULL)
		{
			free(r.lo);
			free(r.hi);
			return sr_error(err, SR_ENOMEM, "out of memory"), -1;
		}
		for (int i = 0; i < n - 1; i++)
			gaps[i] = r.lo[i + 1] - r.hi[i] - 1;
		qsort(gaps, n - 1, sizeof(int64_t), sr_cmp_int64);
		/* n - MAX gaps closed: every gap below the threshold t, and then
		 * gaps of t until there are no more than MAX */
		t = gaps[n - SR_TILE_KEY_MAX_RANGES - 1];
		over = n - SR_TILE_KEY_MAX_RANGES;
		for (int i = 0; i < n - 1; i++)
			if (r.lo[i + 1] - r.hi[i] - 1 < t)
				over--;
		free(gaps);
		lo[0] = r.lo[0];
		hi[0] = r.hi[0];
		for (int i = 1; i < n; i++)
		{
			int64_t		gap = r.lo[i] - hi[k] - 1;

			if (gap < t || (gap == t && over-- > 0))
				hi[k] = r.hi[i];
			else
			{
				k++;
				lo[k] = r.lo[i];
				hi[k] = r.hi[i];
			}
		}
		n = k + 1;
	}
	else
	{
		memcpy(lo, r.lo, sizeof(int64_t) * (size_t) n);
		memcpy(hi, r.hi, sizeof(int64_t) * (size_t) n);
	}
	free(r.lo);
	free(r.hi);
	return n;
}
