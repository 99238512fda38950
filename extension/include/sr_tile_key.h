/*
 * sr_tile_key.h — the roof cells' tile key (hub.solar_roof_cells.tile_key,
 * docs/cadastre.md#hub-tables): where a cell is, as an integer that a btree
 * reads under row-level security (int8's comparisons are LEAKPROOF, PostGIS's
 * && is not).
 *
 * The key of a cell is the Morton (quadkey) code of the zoom-24 Web-Mercator
 * (EPSG:3857) tile of the centre of its box: the tile's x in the even bits,
 * its y (from the north edge) in the odd ones, so a quadkey digit is
 * x + 2 y and the cells of a tile at zoom z are the keys of one range.  A
 * cell whose box is wider or taller than a zoom-22 tile (9.55 m of Web
 * Mercator) has no key: solar_tile looks for a keyed cell only in the z22
 * squares that meet the tile grown by its buffer and by half a z22 square,
 * which must hold the key of every cell overlapping the tile's buffer.  A
 * cell without a key is always read.
 *
 * Pure C (no PostgreSQL header): extension/core/cadastre_tile_key.c.
 */
#ifndef SR_TILE_KEY_H
#define SR_TILE_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sr_common.h"

/* Web Mercator: the world's width (2 pi 6378137 m) and half of it */
#define SR_MERC_WORLD_M 40075016.68557849
#define SR_MERC_HALF_M 20037508.342789244
/* the keys are tiles of this zoom */
#define SR_TILE_KEY_ZOOM 24
/* a keyed box is at most a tile of this zoom wide and tall; the key ranges
 * of a tile deeper than it are its ancestor's at this zoom */
#define SR_TILE_KEY_BOX_ZOOM 22
/* the most ranges sr_tile_key_ranges writes (index scans of a tile) */
#define SR_TILE_KEY_MAX_RANGES 64

/* The 24 low bits of v moved to the even bits of the result (bit i to bit
 * 2i); the higher bits of v are ignored. */
uint64_t	sr_morton_spread(uint32_t v);

/* The Morton code of tile (x, y) of a zoom of up to 24: x's bits in the even
 * bits, y's in the odd ones (the quadkey read in base 4). */
int64_t		sr_tile_morton(uint32_t x, uint32_t y);

/* The key of a Web-Mercator box (metres of EPSG:3857): true and *key set
 * when the box is one (no NaN, xmin <= xmax, ymin <= ymax) and neither wider
 * nor taller than a zoom-22 tile; false (no key) otherwise.  The centre's
 * zoom-24 tile is clamped into the world. */
bool		sr_tile_key_box(double xmin, double ymin, double xmax, double ymax,
							int64_t *key);

/* The key of a geometry given as (E)WKB in Web Mercator (a polygon, a
 * multipolygon, a polyhedral surface or a TIN: what a roof cell is), from
 * the box of its points: *has_key false when it has none (an empty
 * geometry, a box too large: sr_tile_key_box).  SR_EGEOM for a value that
 * is not such a geometry (or has a non-finite coordinate), SR_EINVAL for
 * an SRID other than 3857. */
sr_status	sr_tile_key_wkb(const uint8_t *wkb, size_t len, bool *has_key,
							int64_t *key, sr_err *err);

/* The ranges of keys [lo[i], hi[i]] (ascending, disjoint, adjacent ones
 * merged) of the cells solar_tile reads by key for tile z/x/y with a buffer
 * of buffer_m metres of Web Mercator: every key of every z22 square that
 * meets (touching counts) the tile grown by buffer_m + half a z22 square on
 * each side (clamped into the world, as the keys are): the keys of every
 * keyed cell whose box meets the tile grown by buffer_m.  The squares are
 * covered by quadtree blocks, one range each; beyond SR_TILE_KEY_MAX_RANGES
 * ranges, the smallest gaps between them are closed (their keys read too).
 * Returns their number (1 to SR_TILE_KEY_MAX_RANGES); SR_EINVAL in err and
 * -1 for a tile that does not exist (z outside 0..24, x or y outside
 * 0..2^z - 1) or a buffer that is negative, NaN or infinite; SR_ENOMEM and
 * -1 when memory runs out. */
int			sr_tile_key_ranges(int z, int64_t x, int64_t y, double buffer_m,
							   int64_t lo[SR_TILE_KEY_MAX_RANGES],
							   int64_t hi[SR_TILE_KEY_MAX_RANGES], sr_err *err);

#endif							/* SR_TILE_KEY_H */
