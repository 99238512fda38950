/*
 * sr_terrain.h — far horizons from a digital elevation model and trees as
 * obstacles (docs/pv.md "Terrain and trees", cadastre_terrain.c).
 *
 * A DEM is a set of north-up tiles (PostGIS rasters without skew): tile t
 * has its upper-left corner (ulx, uly), pixel size (sx > 0, sy < 0), w x h
 * values row by row from the top, and an optional nodata value.  Heights
 * are bilinear between pixel centres.
 *
 * The horizon of a point in sector k (centred on azimuth k 360/N, width
 * 360/N, as buildings' horizons) is the largest elevation angle of the
 * terrain seen in the wedge: rays at the wedge's two edges and at three
 * points inside it, sampled every half pixel from one pixel away out to the
 * radius, each sample's elevation
 *   atan((z(d) - z_obs - (1 - k) d^2 / (2 R)) / d)
 * with the Earth's curvature (R = 6,371,000 m) and the standard refraction
 * coefficient k = 0.13 (both may be turned off).
 */
#ifndef SR_TERRAIN_H
#define SR_TERRAIN_H

#include "sr_common.h"
#include "sr_cadastre.h"

typedef struct sr_dem_tile
{
	double		ulx, uly, sx, sy;	/* corner and pixel size (sy < 0) */
	int			w, h;
	/* [h][w], row 0 at the top: 4-byte floats, half the memory of doubles
	 * (a float resolves 0.5 mm at 4,800 m; PostGIS rasters of heights are
	 * 32BF, which it holds exactly); the arithmetic is in double */
	const float *z;
	double		nodata;			/* compared with z[] as floats are */
	int			has_nodata;
} sr_dem_tile;

typedef struct sr_dem
{
	int			n;
	const sr_dem_tile *t;
	double		pixel;			/* the finest pixel size of the tiles */
	/* the frame the heights are asked in (sr_dem_turn): a point of it is
	 * turned back to the tiles' grid first (the identity by default) */
	sr_north	north;
} sr_dem;

#define SR_EARTH_RADIUS_M 6371000.0
#define SR_REFRACTION_K 0.13

/* Check the tiles (sizes, finite corners and steps, sy < 0 < sx). */
sr_status	sr_dem_init(sr_dem *dem, const sr_dem_tile *t, int n, sr_err *err);
/* Ask the heights in the frame f (sr_cadastre.h, true north): a point
 * (x, y) of the frame is the tiles' sr_north_to_grid(f, x, y), so that the
 * model turns with the buildings (solar_cadastre, horizon_from_dem). */
void		sr_dem_turn(sr_dem *dem, const sr_north *f);
/* Height at (x, y), bilinear between pixel centres; NaN outside the tiles
 * or next to a nodata pixel. */
double		sr_dem_height(const sr_dem *dem, double x, double y);

typedef struct sr_terrain_opts
{
	double		radius_m;		/* farthest terrain seen */
	int			curvature;		/* 1: the Earth's curvature and refraction */
	double		refraction_k;
	double		min_distance_m;	/* nearer terrain ignored (0: one pixel) */
} sr_terrain_opts;

/* Horizon (deg, >= 0 as buildings') of (x, y) for nz observer heights
 * z_obs[] (absolute), elev[iz * ns + k]. */
sr_status	sr_dem_horizon(const sr_dem *dem, double x, double y, const double *z_obs, int nz,
						   int ns, const sr_terrain_opts *o, double *elev, sr_err *err);

/* ---------- the cadastre's terrain: horizons on a grid ---------- */

/* Horizons computed at the nodes of a grid (step m) over a box, each node
 * at four heights above its ground (0, 25, 50 and 100 m); a face's terrain
 * horizon is bilinear in x, y between the four nodes around it and linear
 * in its height above each node's ground (held at the ends). */
typedef struct sr_terrain_grid sr_terrain_grid;

/* The grid over [xmin, xmax] x [ymin, ymax] (at most 4e6 nodes), its
 * horizons computed only at the nodes the boxes need (nboxes boxes xmin,
 * ymin, xmax, ymax: the corners of every cell they overlap); boxes NULL:
 * every node.  A point of a box interpolates between computed nodes only. */
sr_status	sr_terrain_grid_build(const sr_dem *dem, double xmin, double ymin, double xmax,
								  double ymax, double step, int ns, const double *boxes,
								  int nboxes, const sr_terrain_opts *o,
								  sr_terrain_grid **out, sr_err *err);
/* The nodes whose horizons were computed. */
int			sr_terrain_grid_nodes(const sr_terrain_grid *g);
void		sr_terrain_grid_free(sr_terrain_grid *g);
/* Raise elev[ns] to the terrain's horizon at (x, y, z). */
void		sr_terrain_grid_apply(const sr_terrain_grid *g, double x, double y, double z,
								  double *elev);

/* ---------- trees ---------- */

/* A tree: a crown of radius r around (x, y) up to an absolute top z; seen
 * as a prism of a regular 12-gon (vertices at r (cos 30k, sin 30k) around
 * the centre) from the ground to the top.  Its crown lets the month's
 * transmittance through: the cadastre blends the irradiation under the
 * horizon with and without the trees (one transmittance curve per run). */
typedef struct sr_tree
{
	int64_t		id;
	double		x, y, top, r;
} sr_tree;

/* The trees' prisms as obstacles (arrays allocated, freed with
 * sr_obstacle_set_free). */
sr_status	sr_trees_obstacles(const sr_tree *t, int n, sr_obstacle_set *out, sr_err *err);

#endif							/* SR_TERRAIN_H */
