/*
 * sr_city3d.h — publishing the city in 3D: triangulated surfaces written as
 * binary glTF 2.0 (GLB) with EXT_mesh_features / EXT_structural_metadata,
 * and 3D Tiles 1.1 tilesets of such GLBs (docs/city3d-publish.md).
 *
 * The pipeline, all in the pure core:
 *   rows (id, geom, feature_id, color, value, properties, ground_z)
 *     -> sr_city_build: decode, group into features, colour, triangulate
 *        every polygon (planar projection + ear clipping with hole bridges,
 *        city_triangulate.c), walls down to ground_z, property columns
 *     -> sr_city_to_ecef (tilesets, 'enu' frame): every vertex to ECEF
 *        through PROJ (city_geo.c), normals recomputed there
 *     -> sr_city_write_glb: the GLB of a set of features in a local frame
 *        (origin + rotation), float32 positions, Y up (city_gltf.c)
 *     -> sr_city_tileset: quadtree, ADD refinement, tile transforms,
 *        tileset.json (city_tiles.c)
 */
#ifndef SR_CITY3D_H
#define SR_CITY3D_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sr_common.h"
#include "sr_options.h"

/* the generator named in every GLB and tileset */
#ifdef SR_LIB_VERSION
#define SR_CITY_GENERATOR SR_LIB_VERSION
#else
#define SR_CITY_GENERATOR "dev"
#endif

/* ---- triangulation (city_triangulate.c) ------------------------------------ */

/* Newell normal (not normalised; its length is twice the area) of a ring of
 * n points xyz[3*i]; the closing point may be repeated or not. */
void		sr_city_newell(const double *xyz, int n, double normal[3]);

/*
 * Triangulate one planar polygon: rings of points (xyz, ring r owns points
 * [ring_start[r], ring_start[r+1]), ring 0 the exterior, the others holes;
 * closing points not repeated).  The polygon is projected on the plane
 * across its normal's largest component and cut by ear clipping, holes
 * joined to the exterior by bridges (the earcut method of Mapbox).  Every
 * triangle is wound counter-clockwise around 'normal'.  tri receives
 * 3 * (npts + 2 * (nrings - 1) - 2) indices at most (the count of a
 * simple polygon); returns the number of triangles written, 0 for a
 * polygon that is not simple with its holes inside (a hole outside the
 * exterior ring, rings that cross: its triangles would cover more than its
 * area), -1 when out of memory.  Checks for interrupts as it goes; its
 * stack use does not grow with the input (no recursion).
 */
int			sr_city_triangulate(const double *xyz, const int *ring_start, int nrings,
								const double normal[3], uint32_t *tri);

/* ---- input rows and options (city_model.c) ----------------------------------- */

/* One surfaces_sql result, column by column (NULL array = absent column). */
typedef struct sr_city_input
{
	int64_t		nrows;
	const int64_t *id;
	const int64_t *feature_id;	/* NULL entry flag in feature_id_null */
	const bool *feature_id_null;
	const uint8_t *const *wkb;
	const size_t *wkb_len;
	const char *const *color;	/* NULL entries: none */
	const double *value;		/* NaN: none */
	const char *const *properties;	/* JSON text of an object, NULL: none */
	const double *ground_z;		/* NaN: no walls for this row */
} sr_city_input;

/* Colour ramps for 'value' (city_model.c). */
typedef enum sr_city_ramp
{
	SR_RAMP_SOLAR, SR_RAMP_VIRIDIS, SR_RAMP_GREYS, SR_RAMP_DIVERGING, SR_RAMP_RED_GREEN
} sr_city_ramp;

typedef enum sr_city_frame
{
	SR_FRAME_LOCAL,				/* the data's SRID, minus an origin */
	SR_FRAME_ENU				/* east-north-up at an origin, through ECEF */
} sr_city_frame;

/* The options of city_gltf and city_tileset (docs/options.md). */
typedef struct sr_city_opts
{
	int			ramp;			/* sr_city_ramp */
	double		value_min,
				value_max;		/* NaN: the data's */
	char		color[SR_OPT_STRLEN];	/* surfaces with no colour and no value */
	char		wall_color[SR_OPT_STRLEN];	/* generated walls */
	char		value_name[SR_OPT_STRLEN];	/* property name of 'value' */
	double		height_offset;	/* m added to every z */
	bool		metadata;		/* write EXT_mesh_features + EXT_structural_metadata */
	int			frame;			/* city_gltf: sr_city_frame */
	int			max_features;	/* city_tileset: features per tile */
	int			max_kb;			/* city_tileset: estimated GLB size per tile */
	int			max_depth;		/* city_tileset: quadtree depth */
} sr_city_opts;

extern const sr_optset sr_city_gltf_optset;
extern const sr_optset sr_city_tileset_optset;

/* What city_gltf and city_tileset hold for one row of surfaces_sql until
 * they end (smartregion.max_call_memory, docs/query-arguments.md), in
 * bytes: a row, a point of its geometry as sr_hold_row_bytes counts them
 * (sr_geom.h), and more a point when the row has a ground_z (its walls: a
 * quad an edge).  Measured as the cadastre's (docs/performance-cadastre.md,
 * "Memory bound of the calls holding their input": flat roofs, each its
 * own feature, a value and two properties, the output sent): city_gltf
 * 3,565 / 25,334 bytes a 5- / 65-point roof at most above an empty call
 * (7,941 / 87,724 with walls; the GLB sent as hex included), city_tileset
 * 2,367 / 9,336 (3,125 / 25,984) between two sizes, its fixed part (PROJ,
 * the tile in progress) about 25 MB; rounded up on a line through each
 * pair.  Since the first pass's triangles are kept (c079549, ~12 bytes a
 * point, twice for walls), re-measured 2026-12-06 from 4,000 to 12,000
 * rows: city_gltf 3,539 / 22,623 (7,497 / 85,695), within its rule;
 * city_tileset 2,241 / 8,782 (2,975 / 26,909): the 65-point roof with walls
 * passed its rule (26,720) by 189 bytes: 262.9 a wall point needed,
 * now 280 (9,635 + 280 x 65.71 = 28,034 for that roof).  city_gltf's rule
 * (1,500 + 365 a point, 960 with walls) had 1.3 % over one rectangle; on
 * more shapes (triangles, rectangles, a rectangle with a hole, 9- to
 * 129-point polygons, with and without walls) and a second pair of sizes
 * (3,000 -> 9,000 rows), measured 2026-12-06, it fell short of a 17-point
 * polygon by 10.5 % (8,893 bytes against 7,964), of the holed rectangle by
 * 7.5 % and a 33-point polygon by 4.6 %: the growth of one shape moves by
 * up to 8.5 % from one pair of sizes to the other (arrays that double).  Now
 * 1,800 + 455 a point, 1,060 more with walls: at least 10 % above each of
 * the 25 measures (the 17-point polygon with walls the closest, 28,628
 * against 25,972), at most 40.1 % (the 65-point roof; the measures and
 * bench/memory_gltf_shapes.sh in docs/performance-cadastre.md). */
#define SR_CITY_GLTF_HOLD_ROW 1800.0
#define SR_CITY_GLTF_HOLD_POINT 455.0
#define SR_CITY_GLTF_HOLD_WALL_POINT 1060.0
#define SR_CITY_TILESET_HOLD_ROW 1750.0
#define SR_CITY_TILESET_HOLD_POINT 120.0
#define SR_CITY_TILESET_HOLD_WALL_POINT 280.0

/* Parse "#rrggbb" or "#rrggbbaa" into rgba; false when malformed. */
bool		sr_city_parse_color(const char *s, uint8_t rgba[4]);

/* Colour of value v in [lo, hi] on ramp r (clamped; lo == hi: the middle). */
void		sr_city_ramp_color(int ramp, double v, double lo, double hi, uint8_t rgba[4]);

/* The ramp's stops as "#rrggbb" strings (NULL-terminated), for legends. */
const char *const *sr_city_ramp_stops(int ramp);

/* ---- properties (city_props.c) ---------------------------------------------- */

typedef enum sr_city_pkind
{
	SR_PK_NONE = 0,				/* null / absent */
	SR_PK_NUMBER,
	SR_PK_BOOL,
	SR_PK_STRING				/* strings, and nested objects/arrays as JSON text */
} sr_city_pkind;

/* One member of a flat JSON object. */
typedef struct sr_city_pval
{
	char	   *key;
	sr_city_pkind kind;
	double		num;
	bool		b;
	char	   *str;			/* sr_alloc'd, UTF-8 */
} sr_city_pval;

/* Parse the JSON text of an object into *vals (sr_alloc'd array of *n
 * members; strings unescaped; nested values kept as their JSON text;
 * the caller frees each key and str, then the array).  SR_ESYNTAX on
 * malformed text or a value that is not an object; on any error nothing is
 * allocated (*vals NULL, *n 0). */
sr_status	sr_city_parse_props(const char *json, sr_city_pval **vals, int *n, sr_err *err);

/* ---- the model (city_model.c) --------------------------------------------- */

/* A property column of the feature table. */
typedef struct sr_city_pcol
{
	char	   *key;			/* JSON member name */
	char		ident[64];		/* identifier in the metadata schema */
	sr_city_pkind kind;			/* column type: NUMBER, BOOL or STRING */
	bool		has_missing;	/* some features have no value */
	double	   *num;			/* [nfeat] (NUMBER) */
	uint8_t    *present;		/* [nfeat] the member's own kind, 0 = absent */
	bool	   *b;				/* [nfeat] (BOOL) */
	char	  **str;			/* [nfeat] (STRING; also the text of numbers and
								 * booleans when the column mixes kinds) */
} sr_city_pcol;

typedef struct sr_city_model
{
	/* features drawn (at least one vertex), ordered by feature id */
	int			nfeat;
	int64_t    *fid;
	double	   *value;			/* area-weighted mean of its surfaces' values, NaN none */
	double	   *bbox;			/* [6 * nfeat] xmin ymin zmin xmax ymax zmax, data frame */
	size_t	   *fvert;			/* [nfeat + 1] vertex range of each feature */
	size_t	   *ftri;			/* [nfeat + 1] triangle range */
	/* faces: vertices [face_v[k], face_v[k+1]), the first face_ext[k] of
	 * them the exterior ring (used to recompute normals in another frame) */
	size_t		nfaces;
	size_t	   *face_v;
	int		   *face_ext;
	/* vertices (world frame: the data's SRID, or ECEF after sr_city_to_ecef) */
	size_t		nverts,
				ntris;
	double	   *pos;			/* [3 * nverts] */
	float	   *nrm;			/* [3 * nverts] unit normals */
	uint8_t    *rgba;			/* [4 * nverts] */
	uint32_t   *tri;			/* [3 * ntris] indices into the feature's vertices
								 * (0 = its first vertex) */
	/* property columns */
	int			npcols;
	sr_city_pcol *pcols;
	bool		has_value;		/* some surface has a value */
	double		vmin,
				vmax;			/* the range the ramp used */
	int32_t		srid;
	bool		ecef;			/* pos/nrm are in ECEF */
	int64_t		skipped_faces;	/* polygons not drawn: no area, or not simple
								 * with their holes inside */
	int64_t		skipped_walls;	/* walls of skipped faces, not built */
	int64_t		empty_geometries;	/* rows of an empty geometry (any type) */
	int64_t		skipped_features;	/* features with nothing drawn (every face
									 * skipped or empty): not in nfeat */
	int64_t		walls;			/* wall quads generated */
	double		extent[6];		/* bbox of every vertex, data frame */
	sr_city_opts opts;
} sr_city_model;

/* Build the model from the rows: SR_EGEOM on a geometry that is not
 * polygonal, SR_EDATA on a malformed colour or properties text (the row's
 * id named), SR_EINVAL on a bad colour option. */
sr_status	sr_city_build(const sr_city_input *in, const sr_city_opts *opts, int32_t srid,
						  sr_city_model *m, sr_err *err);
void		sr_city_model_free(sr_city_model *m);

/* ---- the Earth (city_geo.c) ------------------------------------------------ */

/* WGS84 ellipsoid */
#define SR_WGS84_A 6378137.0
#define SR_WGS84_F (1.0 / 298.257223563)

/* Geodetic (degrees, metres above the ellipsoid) to ECEF, and back. */
void		sr_geodetic_to_ecef(double lon, double lat, double h, double ecef[3]);
void		sr_ecef_to_geodetic(const double ecef[3], double *lon, double *lat, double *h);

/* East, north and up unit vectors (in ECEF) at a geodetic place:
 * axes[0..2] east, [3..5] north, [6..8] up. */
void		sr_enu_axes(double lon, double lat, double axes[9]);

/* A PROJ transformation from a CRS to ECEF (EPSG:4978), z taken as height
 * above the ellipsoid.  The handle is malloc'd (it outlives memory
 * contexts: the glue caches it per SRID) and freed by sr_geo_close. */
typedef struct sr_geo sr_geo;

/* The CRS: "AUTH:CODE" tried first, then its WKT, then its PROJ string
 * (spatial_ref_sys's proj4text; " +type=crs" is added when it lacks it); any
 * may be NULL. */
sr_status	sr_geo_open(const char *auth, const char *wkt, const char *proj4, sr_geo **out,
						sr_err *err);
void		sr_geo_close(sr_geo *g);
/* How many of n ECEF points lie outside the area of use of the CRS the
 * sr_geo was opened with, widened by SR_CRS_AREA_MARGIN_DEG degrees (sr_city.h): data
 * in another CRS than its SRID says (Lambert-93 metres 1e8 from the origin
 * land at the South Pole).  The area's name into *area ("" when PROJ knows
 * none: then 0).  From ECEF alone, a point the CRS wrapped round (beyond
 * EPSG:3857's bounds) is not seen: sr_geo_to_ecef's count sees it. */
size_t		sr_geo_outside(const sr_geo *g, const double *ecef, size_t n, const char **area);
/* The area's name ("" when PROJ knows none). */
const char *sr_geo_area_name(const sr_geo *g);
/* Transform n points xyz in place to ECEF.  With outside not NULL, count
 * there the points outside the CRS's area of use (sr_geo_outside's test,
 * and for an area of every longitude the round trip of sr_crs_round_trip_ok,
 * on the points as given). */
sr_status	sr_geo_to_ecef(sr_geo *g, double *xyz, size_t n, size_t *outside, sr_err *err);

/* Move the model's vertices to ECEF (z + height_offset as ellipsoidal
 * height) and recompute its normals there; outside (may be NULL) as
 * sr_geo_to_ecef's (0 for a model already in ECEF). */
sr_status	sr_city_to_ecef(sr_city_model *m, sr_geo *g, size_t *outside, sr_err *err);

/* ---- the GLB writer (city_gltf.c) ------------------------------------------ */

/* A local frame: local = R (world - origin), R's rows the frame's x, y, z
 * axes (x east, y north, z up) in world coordinates.  glTF gets
 * (x, z, -y): Y up. */
typedef struct sr_city_lframe
{
	double		origin[3];
	double		R[9];
} sr_city_lframe;

/* Write the GLB of features feat[0..n) (n = -1: every feature) in frame fr.
 * The buffer is sr_alloc'd with 'headroom' free bytes before the GLB (the
 * glue puts a varlena header there); *len excludes the headroom.  box (may
 * be NULL) gets min x y z, max x y z of the local (z-up) positions.
 * extras_json (may be NULL) is written as the asset's "extras". */
sr_status	sr_city_write_glb(const sr_city_model *m, const int *feat, int n,
							  const sr_city_lframe *fr, const char *extras_json,
							  size_t headroom, uint8_t **out, size_t *len,
							  double box[6], sr_err *err);

/* Estimated GLB bytes of one feature (vertices, indices, properties). */
size_t		sr_city_feature_bytes(const sr_city_model *m, int f);

/* JSON text (sr_alloc'd) of the legend and frame the GLB or tileset
 * records in its extras: {"smartregion": {...}}. */
char	   *sr_city_extras_json(const sr_city_model *m, const sr_city_lframe *fr,
								const char *frame_name);

/* ---- tilesets (city_tiles.c) ----------------------------------------------- */

/* One output row of city_tileset. */
typedef sr_status (*sr_city_emit_fn) (void *arg, const char *path,
									  const uint8_t *data, size_t len, sr_err *err);

/* Split the features (model in ECEF) into a quadtree of tiles on their
 * footprints (centre of the data-frame bbox), parents holding the largest
 * features (refine ADD), write every tile's GLB and then tileset.json
 * through emit.  Returns the number of tiles in *ntiles. */
sr_status	sr_city_tileset(const sr_city_model *m, sr_city_emit_fn emit, void *arg,
							int *ntiles, sr_err *err);

#endif							/* SR_CITY3D_H */
