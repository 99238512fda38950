/*
 * zones_internal.h — helpers shared by the zones_*.c files of the core
 * (flat polygon sets read from WKB, planar measures, a uniform grid index
 * and a string hash).  Not a public interface.
 */
#ifndef SR_ZONES_INTERNAL_H
#define SR_ZONES_INTERNAL_H

#include "sr_zones.h"

/* Many polygons (or multipolygons, or points) in flat arrays: polygon p owns
 * rings [poly_ring[p], poly_ring[p+1]), ring r owns points
 * [ring_pt[r], ring_pt[r+1]) of xy; ring_hole[r] marks interior rings. */
typedef struct zpolyset
{
	size_t		npolys,
				nrings,
				npts;
	size_t		cap_polys,
				cap_rings,
				cap_holes,
				cap_bbox,
				cap_pts;
	size_t	   *poly_ring;
	size_t	   *ring_pt;
	bool	   *ring_hole;
	double	   *xy;
	double	   *bbox;			/* 4 per polygon: minx miny maxx maxy */
} zpolyset;

/* WKB kinds accepted by zpolyset_add_wkb */
#define ZWKB_POLYGONAL 1		/* Polygon or MultiPolygon */
#define ZWKB_POINT 2			/* Point */

/* Append one geometry read from (E)WKB.  *srid receives the EWKB SRID or 0.
 * On failure returns false and writes a short reason into why. */
bool		zpolyset_add_wkb(zpolyset *set, const unsigned char *wkb, size_t len,
							 int kind, int32_t *srid, char *why, size_t whylen);
void		zpolyset_free(zpolyset *set);

/* Planar area (holes subtracted), in squared units of the SRID. */
double		zpoly_area(const zpolyset *set, size_t p);
/* Area-weighted centroid; false for a zero-area polygon. */
bool		zpoly_centroid(const zpolyset *set, size_t p, double *cx, double *cy);
/* Area of the intersection of polygon a of s with polygon b of t, by
 * boundary integration (no GEOS).  False when rounding could misclassify a
 * piece of boundary (a vertex within 1e-6 units of the other boundary off an
 * exactly shared edge, or pieces that do not close): the caller must then
 * compute it otherwise. */
bool		zpoly_intersection_area(const zpolyset *s, size_t a, const zpolyset *t,
									size_t b, double *area);
/* Point in polygon with the boundary included (ST_Intersects of a point). */
bool		zpoly_covers_point(const zpolyset *set, size_t p, double x, double y);

/* Uniform grid over bounding boxes: cell (i, j) lists the items whose box
 * overlaps it (CSR arrays). */
typedef struct zgrid
{
	double		minx,
				miny,
				maxx,			/* extent of the boxes: a point outside is */
				maxy,			/* in no cell */
				cell;
	int			nx,
				ny;
	size_t	   *start;			/* nx*ny + 1 */
	int32_t    *items;
} zgrid;

bool		zgrid_build(zgrid *g, const double *bbox, size_t n);
/* Column (origin minx, n nx) or row (miny, ny) of coordinate v, clamped to
 * [0, n - 1]: a coordinate far off the grid, or whose offset from the
 * origin overflows, never gives an index outside the grid (a cast of a
 * double above INT_MAX to int is undefined: it gave INT_MIN and a read far
 * before the grid's arrays).  Monotone in v, so boxes and points use it
 * alike. */
int			zgrid_index(double v, double origin, double cell, int n);
/* The cells [*i0, *i1] x [*j0, *j1] a box b (xmin, ymin, xmax, ymax) covers. */
void		zgrid_span(const zgrid *g, const double *b, double minx, double miny,
					   int *i0, int *j0, int *i1, int *j1);
/* The items o > i whose boxes overlap box i with a positive area, each once
 * (stamp[]: one per item, -1 before the first call; i growing), into out[]
 * (room for one per item); returns their number. */
size_t		zgrid_pairs(const zgrid *g, const double *bbox, size_t i, int32_t *stamp,
						int32_t *out);
/* Candidates whose cell holds (x, y): *count items from *out (no copy). */
const int32_t *zgrid_cell_items(const zgrid *g, double x, double y, size_t *count);
void		zgrid_free(zgrid *g);

/* Open-addressing string -> index map (keys are borrowed, not copied). */
typedef struct zstrslot
{
	uint64_t	hash;
	const char *key;
	int32_t		val;
} zstrslot;

typedef struct zstrmap
{
	size_t		cap;
	size_t		n;
	zstrslot   *slots;
} zstrmap;

bool		zstrmap_init(zstrmap *m, size_t expected);
/* Returns the value of key, or inserts (key, val) and returns -1. */
int32_t		zstrmap_get_or_put(zstrmap *m, const char *key, int32_t val);
void		zstrmap_free(zstrmap *m);

#endif							/* SR_ZONES_INTERNAL_H */
