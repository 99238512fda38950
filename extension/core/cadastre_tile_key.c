/*
 * cadastre_tile_key.c — the roof cells' tile key (sr_tile_key.h): the
 * Morton code of the zoom-24 Web-Mercator tile of a cell's centre, and the
 * key ranges of a tile and its neighbours that solar_tile reads.
 *
 * One rule, written once: the hub's trigger (smartregion._tile_key, glue in
 * extension/pg/roofarea.c) writes every key with it, and solar_tile's ranges
 * (smartregion._tile_key_ranges) are made with it.
 */
#include "sr_tile_key.h"
#include "sr_geom.h"

#include <math.h>
#include <stdlib.h>

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

int
sr_tile_key_ranges(int z, int64_t x, int64_t y, int64_t lo[SR_TILE_KEY_MAX_RANGES],
				   int64_t hi[SR_TILE_KEY_MAX_RANGES], sr_err *err)
{
	int			kz,
				n = 0,
				shift;
	int64_t		kx,
				ky,
				side,
				span;

	if (z < 0 || z > SR_TILE_KEY_ZOOM || x < 0 || y < 0 || x >= (INT64_C(1) << z) ||
		y >= (INT64_C(1) << z))
	{
		sr_error(err, SR_EINVAL, "tile %d/%lld/%lld does not exist", z, (long long) x, (long long) y);
		return -1;
	}
	/* at most zoom 22: a keyed cell is at most a z22 tile wide, so the
	 * neighbours of a deeper tile's z22 ancestor hold what overlaps it */
	kz = z < SR_TILE_KEY_BOX_ZOOM ? z : SR_TILE_KEY_BOX_ZOOM;
	kx = x >> (z - kz);
	ky = y >> (z - kz);
	side = INT64_C(1) << kz;
	/* a tile of zoom kz holds the z24 keys of one range of 4^(24 - kz) */
	shift = 2 * (SR_TILE_KEY_ZOOM - kz);
	span = INT64_C(1) << shift;
	for (int i = -1; i <= 1; i++)
		for (int j = -1; j <= 1; j++)
		{
			int64_t		m;

			if (kx + i < 0 || ky + j < 0 || kx + i >= side || ky + j >= side)
				continue;
			m = sr_tile_morton((uint32_t) (kx + i), (uint32_t) (ky + j)) << shift;
			lo[n] = m;
			hi[n] = m + span - 1;
			n++;
		}
	/* ascending, and a range that starts where another ends is one range:
	 * fewer index scans for the same keys */
	qsort(lo, n, sizeof(int64_t), sr_cmp_int64);
	{
		int			k = 0;

		for (int i = 0; i < n; i++)
		{
			int64_t		start = lo[i];

			if (k > 0 && start == hi[k - 1] + 1)
				hi[k - 1] = start + span - 1;
			else
			{
				lo[k] = start;
				hi[k] = start + span - 1;
				k++;
			}
		}
		n = k;
	}
	return n;
}
