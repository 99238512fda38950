/*
 * sr_city.h — the 3D city model (docs/city3d.md): CityJSON and CityGML
 * documents read into city objects and their planar surfaces, in the hub's
 * projected CRS, with each surface's orientation, true area and planarity.
 *
 * The core never sees a PostgreSQL value: a CityJSON document is read
 * through a small reader interface (sr_jreader) that the glue implements
 * over jsonb and the core implements over JSON text (city_json.c, for the
 * unit tests); a CityGML document is parsed here with libxml2.  Coordinates
 * are transformed with PROJ (city_proj.c).  What the importers find is
 * handed to a sink, object by object, surface by surface.
 */
#ifndef SR_CITY_H
#define SR_CITY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "sr_common.h"
#include "sr_geom.h"
#include "sr_options.h"

/* ---------- JSON through a reader ---------- */

typedef enum sr_jkind
{
	SR_J_NULL = 0,				/* also: absent */
	SR_J_BOOL,
	SR_J_NUM,
	SR_J_STR,
	SR_J_ARR,
	SR_J_OBJ
} sr_jkind;

/* A JSON value seen through a reader.  Strings are not NUL-terminated. */
typedef struct sr_jv
{
	sr_jkind	kind;
	int			n;				/* ARR: elements; OBJ: members; STR: bytes */
	double		num;			/* NUM; BOOL: 0 or 1 */
	const char *str;			/* STR */
	const void *h;				/* ARR, OBJ: the reader's handle */
	size_t		hlen;			/* ARR, OBJ: the reader's own use (the glue:
								 * the container's size in bytes) */
} sr_jv;

typedef struct sr_jreader
{
	void	   *arg;
	/* element i (0 <= i < arr->n) of an array */
	void		(*at) (void *arg, const sr_jv *arr, int i, sr_jv *out);
	/* member i (0 <= i < obj->n) of an object, in the reader's order */
	void		(*member) (void *arg, const sr_jv *obj, int i, sr_jv *key, sr_jv *val);
	/* member by key: 1 when present, else 0 and out->kind = SR_J_NULL */
	int			(*get) (void *arg, const sr_jv *obj, const char *key, sr_jv *out);
} sr_jreader;

/* A JSON text parsed into a tree that a reader walks (city_json.c).  Used
 * by the unit tests, and by anything that has JSON as text. */
typedef struct sr_jdoc sr_jdoc;

sr_status	sr_jdoc_parse(const char *text, size_t len, sr_jdoc **out, sr_err *err);
void		sr_jdoc_free(sr_jdoc *d);
/* The reader over a parsed document and its root value. */
void		sr_jdoc_reader(sr_jdoc *d, sr_jreader *r, sr_jv *root);

/* Helpers over any reader. */
int			sr_jv_streq(const sr_jv *v, const char *s);	/* a string equal to s */
/* a copy of a string value as a NUL-terminated sr_alloc'd string */
char	   *sr_jv_strdup(const sr_jv *v);

/* ---------- coordinate reference systems (city_proj.c) ---------- */

/* The EPSG code of a CRS name as files write it: "EPSG:2154",
 * "urn:ogc:def:crs:EPSG::7415", "urn:ogc:def:crs:EPSG:6.3:3946",
 * "http(s)://www.opengis.net/def/crs/EPSG/0/7415", a compound
 * "urn:ogc:def:crs,crs:EPSG::3946,crs:EPSG::5490" (its first, horizontal,
 * code), the German "urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH" (25832); 0
 * when none is recognised. */
int			sr_crs_epsg_from_name(const char *name, size_t len);

typedef struct sr_crs_transform sr_crs_transform;

/* A transformation from one CRS to another (PROJ definitions such as
 * "EPSG:3946"), x east and y north on both sides; z is carried through
 * (heights are not converted between vertical datums).  Errors of PROJ are
 * copied into err by a logging callback. */
sr_status	sr_crs_transform_create(const char *src, const char *dst,
									sr_crs_transform **out, sr_err *err);
/* What PROJ chose (its description), and whether it is only a "ballpark"
 * one (no datum shift known between the two: absolute positions may be off
 * by up to about a hundred metres, shapes are kept). */
const char *sr_crs_transform_desc(const sr_crs_transform *t, int *ballpark);
/* Transform n points x y z (interleaved) in place. */
sr_status	sr_crs_transform_apply(sr_crs_transform *t, double *xyz, size_t n,
								   sr_err *err);
/* A CRS's area of use as PROJ gives it: degrees (west > east across the
 * antimeridian) and its name without EPSG's final full stop; not known for a
 * custom CRS (PROJ's -1000).  Shared by the importers' check
 * (sr_crs_transform_outside) and the 3D publishers' (sr_geo_to_ecef).
 *
 * An area of every longitude has no east or west edge, and a longitude
 * cannot show a point beyond the CRS's own bounds: PROJ wraps it round
 * (EPSG:3857's x of 3e7 m, past its 20037508.34, comes back as 90.5 W).  So
 * for such an area (all_lon) the checks also map the lon lat back to the
 * CRS and compare with the point (sr_crs_round_trip_ok).  A world area
 * (all_lon, and both sides of the equator: 3857's 85.06 S to 85.06 N,
 * 4326's) has no zone edge near which data may lie: its limits are the
 * CRS's own and get no margin. */
typedef struct sr_crs_area
{
	bool		known;
	bool		all_lon;		/* every longitude */
	bool		world;			/* every longitude, both hemispheres */
	double		west,
				south,
				east,
				north;
	char		name[128];
} sr_crs_area;
/* Fill a from proj_get_area_of_use's answer (found: its return value). */
void		sr_crs_area_set(sr_crs_area *a, int found, double west, double south,
							double east, double north, const char *name);
/* Whether lon lat lie in the known area widened by SR_CRS_AREA_MARGIN_DEG
 * degrees (data in another CRS than declared fall far off it); a world
 * area is not widened (SR_CRS_AREA_WORLD_TOL_DEG for rounding only). */
bool		sr_crs_area_contains(const sr_crs_area *a, double lon, double lat);
/* Whether x y, mapped to lon (degrees) and back to x2 y2 by the CRS, is the
 * same point (1e-6 relative): else PROJ wrapped it round, and it lies beyond
 * the CRS's bounds.  A point on the antimeridian may come back at the other
 * edge. */
bool		sr_crs_round_trip_ok(double x, double y, double lon, double x2, double y2);
#define SR_CRS_AREA_WORLD_TOL_DEG 1e-9

/* How many of n points x y z (interleaved, in the source CRS) lie outside
 * the source CRS's area of use widened by SR_CRS_AREA_MARGIN_DEG degrees
 * (or are not finite): coordinates of another CRS than the one declared
 * (Lambert-93 read as CC46 lands at 58 N) or far off any map.  The name of
 * the area into area (cap bytes).  0 when PROJ gives no area of use. */
#define SR_CRS_AREA_MARGIN_DEG 1.0
size_t		sr_crs_transform_outside(sr_crs_transform *t, const double *xyz, size_t n,
									 char *area, size_t cap);
void		sr_crs_transform_free(sr_crs_transform *t);

/* ---------- surfaces ---------- */

/* A surface's plane: orientation of its outward normal (rings
 * counter-clockwise seen from outside, as CityGML and CityJSON require),
 * true 3D area (holes subtracted), and the largest distance of a vertex to
 * its least-squares plane. */
typedef struct sr_city_plane
{
	double		tilt;			/* deg, 0 (faces up) .. 180 (faces down) */
	double		azimuth;		/* deg clockwise from north; 180 when level */
	double		area;			/* m2 */
	double		planarity;		/* m */
	double		nx, ny, nz;		/* unit outward normal */
} sr_city_plane;

/* Check one ring of n points (x y z; closing point repeated or not, as
 * 'closed' says the format wants): returns the number of points kept
 * (consecutive duplicates and the closing point removed) or 0 with a
 * reason ("fewer than 3 distinct points", "not closed", "collapsed to a
 * line", "crosses itself", "non-finite coordinate"); -1 when out of
 * memory.  A ring crosses itself when two of its edges cross by more than
 * SR_CITY_CROSS_TOL in the plane of projection across its normal (a ring
 * of no area whose points are not on a line, a symmetric bow-tie, in the
 * plane of three of its points). */
int			sr_city_ring_check(double *xyz, int n, int must_close,
							   const char **reason);

/* Plane of a polygon given as open rings (ring 0 exterior); false when it
 * has no area. */
bool		sr_city_plane_fit(const double *xyz, const int *ring_npts, int nrings,
							  sr_city_plane *out);

/* ---------- import ---------- */

typedef struct sr_city_import_opts
{
	double		lod;			/* -1: the highest of each object */
	int			srid;			/* source CRS when the file gives none (0) */
	char		source[SR_OPT_STRLEN];	/* recorded with the objects */
	bool		replace;		/* objects already in the hub are replaced */
} sr_city_import_opts;

extern const sr_optset sr_city_cityjson_optset;
extern const sr_optset sr_city_cityjsonseq_optset;
extern const sr_optset sr_city_citygml_optset;

/* One city object.  attributes: a JSON object, given either as a reader
 * value (CityJSON: the file's own "attributes") or as JSON text
 * (CityGML's generic attributes); both NULL when it has none. */
typedef struct sr_city_object
{
	const char *id;
	const char *type;			/* Building, BuildingPart, ... as the file names it */
	const char *parent_id;		/* NULL */
	const char *lod;			/* of the imported geometry; NULL when none */
	const sr_jv *attributes;
	const char *attributes_json;
	const uint8_t *footprint;	/* EWKB MultiPolygon (2D), NULL when none */
	size_t		footprint_len;
} sr_city_object;

typedef struct sr_city_surface
{
	const char *object_id;
	const char *semantic_type;	/* RoofSurface, WallSurface ... or NULL */
	const char *lod;
	const char *surface_ref;	/* gml:id of the polygon / surface, or NULL */
	const uint8_t *geom;		/* EWKB PolygonZ in the target SRID */
	size_t		geom_len;
	sr_city_plane plane;
} sr_city_surface;

typedef struct sr_city_sink
{
	void	   *arg;
	void		(*object) (void *arg, const sr_city_object *o);
	void		(*surface) (void *arg, const sr_city_surface *s);
	/* something left out: the object (or NULL) and why */
	void		(*skip) (void *arg, const char *object_id, const char *reason);
	/* one fact about the import (key, value as JSON text) */
	void		(*meta) (void *arg, const char *key, const char *json_value);
} sr_city_sink;

/* Where coordinates go: the target SRID and its PROJ definition, and a
 * way to get a transformation (the glue caches them); NULL get = the
 * core creates and frees its own. */
typedef struct sr_city_target
{
	int			srid;
	const char *crs;			/* "EPSG:2154" */
	void	   *arg;
	sr_crs_transform *(*get) (void *arg, const char *src, const char *dst, sr_err *err);
} sr_city_target;

/* Import a CityJSON document (1.0, 1.1, 2.0). */
sr_status	sr_cityjson_import(const sr_jreader *r, const sr_jv *root,
							   const sr_city_import_opts *o, const sr_city_target *t,
							   const sr_city_sink *sink, sr_err *err);
/* Import a CityJSONSeq (1.1, 2.0): its lines as the elements of an array
 * (the CityJSON header, then one CityJSONFeature a line), read by the same
 * reader as a document, feature by feature. */
sr_status	sr_cityjsonseq_import(const sr_jreader *r, const sr_jv *lines,
								  const sr_city_import_opts *o, const sr_city_target *t,
								  const sr_city_sink *sink, sr_err *err);

/* A parsed CityGML document (libxml2's tree, malloc'd).  Parse, then walk
 * (which calls the sink and checks for interrupts), then always close (the
 * glue closes it also when the walk is interrupted by an error). */
typedef struct sr_citygml sr_citygml;

sr_status	sr_citygml_open(const char *text, size_t len, sr_citygml **out, sr_err *err);
sr_status	sr_citygml_import(sr_citygml *g, const sr_city_import_opts *o,
							  const sr_city_target *t, const sr_city_sink *sink,
							  sr_err *err);
void		sr_citygml_close(sr_citygml *g);

/* ---------- shared by the two importers (city_surface.c) ---------- */

/* A polygon being built: rings of 3D points. */
typedef struct sr_city_poly
{
	double	   *xyz;
	int		   *ring_npts;
	int			nrings,
				npts,
				cap_pts,
				cap_rings;
} sr_city_poly;

void		sr_city_poly_reset(sr_city_poly *p);
void		sr_city_poly_free(sr_city_poly *p);
/* Append a ring (points copied); false when out of memory. */
bool		sr_city_poly_add_ring(sr_city_poly *p, const double *xyz, int n);
/* Tolerance of the ring checks: two edges cross when each has an end more
 * than this (m) on either side of the other's line; closer is a touch. */
#define SR_CITY_CROSS_TOL 1e-3

/* Whether interior ring (m open points) lies inside p's exterior ring (its
 * first): every vertex inside it or within 1 mm of it, in the plane of
 * projection across the exterior's normal.  A hole outside its polygon
 * would be subtracted from an area it is not part of. */
bool		sr_city_ring_inside(const sr_city_poly *p, const double *ring, int m);
/* Whether interior ring (m open points) may be a hole of p (its exterior
 * ring first, then the holes kept so far): NULL, or why not — "lies
 * outside the exterior ring" (sr_city_ring_inside), "crosses the exterior
 * ring" (its corners inside, an edge across the exterior's: a notch of
 * the exterior cut), "overlaps another interior ring" (edges crossing, a
 * point of one inside the other by more than SR_CITY_CROSS_TOL, or a point
 * beside the middle of an edge of one inside both, 4 SR_CITY_CROSS_TOL
 * from it, or closer in a hole too small for that: the same ring twice,
 * at any size).  In
 * the plane of sr_city_ring_inside; edges compared by a sort and sweep on
 * x (O((n + m) log(n + m)) plus the pairs whose x ranges overlap, for each
 * hole kept), interrupts checked. */
const char *sr_city_hole_check(const sr_city_poly *p, const double *ring, int m);

/* EWKB of a PolygonZ (rings closed on output), sr_alloc'd. */
uint8_t    *sr_city_polygon_ewkb(const sr_city_poly *p, int32_t srid, size_t *len);

/* A 2D footprint collected from polygons (MultiPolygon EWKB). */
typedef struct sr_city_footprint
{
	sr_city_poly polys;			/* every ring, 2D use only */
	int		   *poly_nrings;
	int			npolys,
				cap;
} sr_city_footprint;

void		sr_city_footprint_reset(sr_city_footprint *f);
void		sr_city_footprint_free(sr_city_footprint *f);
bool		sr_city_footprint_add(sr_city_footprint *f, const sr_city_poly *p);
uint8_t    *sr_city_footprint_ewkb(const sr_city_footprint *f, int32_t srid, size_t *len);

/* The surfaces of one orientation group (a shell, a MultiSurface, the
 * thematic surfaces of an object): added one by one with their rings
 * checked, then oriented, measured and handed to the sink together. */
typedef struct sr_city_batch_item
{
	int			ring0,
				nrings,
				pt0;
	char	   *semantic_type;	/* sr_alloc'd or NULL */
	char	   *ref;			/* sr_alloc'd or NULL */
	int			index;			/* surface number, for messages */
} sr_city_batch_item;

typedef struct sr_city_batch
{
	sr_city_poly buf;
	sr_city_batch_item *items;
	int			n,
				cap;
	sr_city_poly one;			/* scratch: the surface being emitted */
	sr_city_footprint fp_ground,	/* footprint candidates of the object */
				fp_up;
	long		reoriented,
				surfaces;
} sr_city_batch;

/* Add a surface (p: its checked rings, ring 0 exterior). */
bool		sr_city_batch_add(sr_city_batch *b, const sr_city_poly *p,
							  const char *semantic_type, const char *ref, int index);
/* Orient the items (a group turned inside out, clearly, is turned back: the
 * sum of (p - centre) . N over its surfaces is 6 x its volume; a
 * RoofSurface facing down or a GroundSurface facing up is turned over on
 * its own), measure them and emit them; the batch is then empty (the
 * footprint candidates stay until sr_city_batch_object). */
/* The longest city object id the importers take, in bytes (a hub keys
 * city_object by it, and a btree entry holds at most 2,704 bytes). */
#define SR_CITY_ID_MAX 255
/* An id (CityJSON key, gml:id of an object or a polygon) of at most SR_CITY_ID_MAX bytes:
 * SR_OK, else SR_EINVAL naming it (its start) and its length. */
sr_status	sr_city_check_id(const char *id, const char *what, sr_err *err);
sr_status	sr_city_batch_emit(sr_city_batch *b, const char *object_id, const char *lod,
							   int32_t srid, const sr_city_sink *sink,
							   const char *where, sr_err *err);
/* The footprint of the object from what was emitted since the last call
 * (ground surfaces, else what faces up), as EWKB (NULL when none; len 0);
 * the candidates are cleared. */
uint8_t    *sr_city_batch_footprint(sr_city_batch *b, int32_t srid, size_t *len);
void		sr_city_batch_free(sr_city_batch *b);

/* The lod a geometry is chosen at: lod opt (-1 = highest; an integer
 * matches its refinements 2, 2.0 .. 2.3, the highest of them). */
bool		sr_city_lod_matches(double lod, double opt);

/* s as a JSON string, quoted and escaped, into dst (cut to cap; control
 * characters as spaces): the importers' summary values. */
void		sr_city_json_str(char *dst, size_t cap, const char *s);

#endif							/* SR_CITY_H */
