/*
 * sr_geom.h — the one (E)WKB reader and writer of the core.
 *
 * Geometry crosses the core/server wall as (E)WKB (docs/architecture.md,
 * "the geometry bridge"): the glue hands the core PostGIS's ST_AsEWKB
 * bytes, and the core hands back EWKB that ST_GeomFromEWKB reads.  Every
 * family reads polygons and points through these functions, so a
 * malformed geometry gets the same message everywhere.
 *
 * Accepted input: byte order either way; ISO type codes (1000 Z, 2000 M,
 * 3000 ZM) or EWKB flag bits (Z, M, SRID); Point, Polygon, MultiPolygon,
 * PolyhedralSurface and TIN (their members are polygons).  M values are
 * read and dropped.
 */
#ifndef SR_GEOM_H
#define SR_GEOM_H

#include <stdint.h>
#include <stddef.h>

#include "sr_common.h"

/* WKB base type codes */
#define SR_WKB_POINT 1
#define SR_WKB_LINESTRING 2
#define SR_WKB_POLYGON 3
#define SR_WKB_MULTIPOINT 4
#define SR_WKB_MULTILINESTRING 5
#define SR_WKB_MULTIPOLYGON 6
#define SR_WKB_COLLECTION 7
#define SR_WKB_POLYHEDRALSURFACE 15
#define SR_WKB_TIN 16
#define SR_WKB_TRIANGLE 17

/* Header of an (E)WKB value: base type, dimensions and SRID (0 if none). */
typedef struct sr_wkb_header
{
	int			type;			/* base type code, SR_WKB_* */
	int			has_z;
	int			has_m;
	int32_t		srid;
} sr_wkb_header;

/* Read only the header.  Returns SR_EGEOM on a truncated value. */
sr_status	sr_wkb_read_header(const uint8_t *wkb, size_t len, sr_wkb_header *h,
							   sr_err *err);

/* A decoded set of polygons: polygons -> rings -> points (x y z; z = 0 for
 * 2D input).  Polygon p owns rings [poly_ring_start[p],
 * poly_ring_start[p+1]); ring r owns points [ring_pt_start[r],
 * ring_pt_start[r+1]); ring 0 of a polygon is its exterior. */
typedef struct sr_mpoly
{
	int			npolys;
	int			has_z;
	int32_t		srid;			/* EWKB SRID, 0 if none */
	int		   *poly_ring_start;	/* [npolys+1] */
	int		   *ring_pt_start;	/* [nrings+1] */
	double	   *xyz;
	int			nrings,
				npts;
	/* capacities (for sr_wkb_append_mpoly) */
	int			cap_polys,
				cap_rings,
				cap_pts;
} sr_mpoly;

/* Decode a Polygon, MultiPolygon, PolyhedralSurface or TIN into *out (its
 * arrays sr_alloc'd; free with sr_mpoly_free).  Empty polygons are dropped;
 * non-finite coordinates are an error. */
sr_status	sr_wkb_read_mpoly(const uint8_t *wkb, size_t len, sr_mpoly *out,
							  sr_err *err);

/* Append the polygons of one more geometry to m (initialised by
 * sr_mpoly_init or a previous read).  On error m keeps what it had. */
sr_status	sr_wkb_append_mpoly(const uint8_t *wkb, size_t len, sr_mpoly *m,
								sr_err *err);
/* Whether a WKB geometry of any type is empty (POINT EMPTY, POLYGON EMPTY,
 * GEOMETRYCOLLECTION EMPTY ...: no point, no member); false when
 * truncated. */
bool		sr_wkb_is_empty(const uint8_t *wkb, size_t len);
void		sr_mpoly_init(sr_mpoly *m);
void		sr_mpoly_free(sr_mpoly *m);

/* Decode a Point (2D or Z; an empty point is an error). */
sr_status	sr_wkb_read_point(const uint8_t *wkb, size_t len, double *x,
							  double *y, double *z, int *has_z, sr_err *err);

/* The memory a call that holds its whole input keeps for one row
 * (smartregion.max_call_memory, docs/query-arguments.md): row_bytes plus
 * point_bytes for each point of the row's geometry (wkb: its (E)WKB, NULL
 * for none), a point counted as 8 bytes of the value a coordinate (2, 3 or
 * 4 a point), headers included: a rectangle's 97 bytes of 2D EWKB count
 * 6.06 points for its 5.  A truncated value counts as 2D.  The figures are
 * each family's, measured (SR_CADASTRE_HOLD_*, SR_ZONES_HOLD_*). */
double		sr_hold_row_bytes(double row_bytes, double point_bytes, const uint8_t *wkb,
							  size_t len);

/* Decode a Point as it is written: NaN and infinite coordinates kept (an
 * empty point is NaN NaN in WKB, as is a point whose coordinates are NaN);
 * only a value that is not a point, or is truncated, is an error. */
sr_status	sr_wkb_read_point_raw(const uint8_t *wkb, size_t len, double *x,
								  double *y, double *z, int *has_z, sr_err *err);

/* Encode polygon 'poly' of m as little-endian EWKB Polygon (PolygonZ when
 * m->has_z) with the given SRID (none when srid <= 0); returns an
 * sr_alloc'd buffer, NULL when out of memory. */
uint8_t    *sr_wkb_write_polygon(const sr_mpoly *m, int poly, int32_t srid,
								 size_t *len);

/* Encode a point as little-endian EWKB (PointZ when has_z). */
uint8_t    *sr_wkb_write_point(double x, double y, double z, int has_z,
							   int32_t srid, size_t *len);

/* Planar area of ring r of m (shoelace on x, y; signed: > 0 when
 * counter-clockwise). */
double		sr_ring_signed_area(const sr_mpoly *m, int r);

/* The domain check of a point of a projected CRS (sr_srid_to_lonlat in the
 * glue): PROJ returns a point outside the projection's domain as some place
 * without an error (the South Pole for Lambert-93's far plane, the
 * antimeridian for Mercator's), so a point is in the domain when the place
 * PROJ gives, transformed back to the CRS, returns to it (bx, by): within a
 * millimetre, or 1e-9 of the coordinates far out.  NaN never returns. */
int			sr_crs_returns_to(double x, double y, double bx, double by);

/* (lon, lat) of WGS84 (EPSG:4326) in a CRS with PROJ, x east and y north
 * (PROJ's visualisation order, as PostGIS's ST_Transform): the CRS is the
 * first of defs[0..ndefs-1] PROJ can use (an authority code "EPSG:3413", a
 * WKT, a PROJ string: the order in which PostGIS tries spatial_ref_sys's
 * columns; NULL and empty entries are skipped).  A place PROJ cannot put in
 * the CRS (the opposite pole of a conic projection) gives *x = *y = NaN and
 * SR_OK: PostGIS raises an error there, this says so instead, for the
 * domain check at a pole.  SR_EINVAL when no definition can be used. */
sr_status	sr_crs_from_lonlat(const char *const *defs, int ndefs, double lon,
							   double lat, double *x, double *y, sr_err *err);

/* Great-circle distance in km between two WGS84 points (haversine) on a
 * sphere of the given radius; sr_haversine_km on a 6371 km sphere. */
double		sr_great_circle_km(double lat1, double lon1, double lat2, double lon2,
							   double radius_km);
double		sr_haversine_km(double lat1, double lon1, double lat2, double lon2);

#endif							/* SR_GEOM_H */
