/*
 * sr_pg.h — the shared layer of the fmgr glue (extension/pg).
 *
 * Every family's glue file holds only its entry points: it reads its
 * arguments with this layer, calls the pure core (extension/core, headers
 * in extension/include) and returns.  What the families have in common
 * lives here, once (docs/architecture.md):
 *   errors.c    core status -> SQLSTATE, parameter checks
 *   query.c     the one reader of SQL-text arguments and hub tables
 *   query_errors.c  an error of a caller's query raised again, with its
 *               position in the caller's text
 *   geometry.c  the geometry bridge: PostGIS lookups, (E)WKB in and out,
 *               the SRID policy
 *   options.c   jsonb options read against the core's option specs
 *   module.c    module init, handlers, the smartregion.max_threads setting
 *   types.c     I/O of the horizon and sky types
 * C entry points are named sr_fn_<SQL name>.
 */
#ifndef SR_PG_H
#define SR_PG_H

#include "postgres.h"
#include "fmgr.h"
#include "access/tupdesc.h"
#include "datatype/timestamp.h"
#include "utils/jsonb.h"

#include <math.h>

#include "sr_common.h"
#include "sr_geom.h"
#include "sr_options.h"

/* ---- errors (errors.c) ----------------------------------------------------- */

/* Raise the error recorded by the core (never returns). */
extern void sr_raise(const sr_err *err) pg_attribute_noreturn();

/* SQLSTATE of a core status (one place). */
extern int	sr_status_sqlstate(sr_status status);

/* Raise when status is not SR_OK. */
#define SR_CHECK_STATUS(st, errp) \
	do { if ((st) != SR_OK) sr_raise(errp); } while (0)

/* Reject NaN and infinity in a float8 argument, naming the parameter. */
extern void sr_require_finite(double value, const char *param);

/* Reject a value outside [lo, hi], naming the parameter and the range. */
extern void sr_require_range(double value, const char *param, double lo, double hi);

/* Reject a NULL argument n (functions that are not STRICT), naming it. */
extern void sr_require_arg(FunctionCallInfo fcinfo, int n, const char *param);

/* Text argument n as a C string, NULL when the argument is NULL. */
extern char *sr_text_arg(FunctionCallInfo fcinfo, int n);

/* For a superuser or platform administrator caller, 42501 when the query texts of
 * the arguments argnos read a hub whose code a role without the caller's rights
 * controls (_query_hub_guard, query.c); path NULL: the current search_path. */
/* The extension's function name(argtypes), found in the schema of the function
 * called without the caller's USAGE check (query.c). */
extern Oid	sr_ext_function(FunctionCallInfo fcinfo, const char *name, int nargs,
							const Oid *argtypes);
extern void sr_query_hub_guard(FunctionCallInfo fcinfo, const char *fn, const int *argnos,
							   int nargnos, const char *path);
/* The same for texts given as C strings (NULL ones skipped), as options' *_sql. */
extern void sr_query_hub_guard_sqls(FunctionCallInfo fcinfo, const char *fn,
									const char *const *sqls, int nsqls, const char *path);
/* Whether the current role is a superuser or a platform administrator: the
 * callers the trust guards bind (smartregion._caller_is_privileged()). */
extern bool sr_caller_is_privileged(void);
/* Whether the current role has USAGE on schema nsp (pg_namespace_aclcheck up to
 * PostgreSQL 15, object_aclcheck from 16: the one place the call differs). */
extern bool sr_schema_usage_ok(Oid nsp);
/* 42501 when the caller has no USAGE on the schema of the function called (the
 * extension's): what the readers that read its tables through SPI check first,
 * the text of the PL/pgSQL readers' marker (sr_schema_usage.h, query.c). */
extern void sr_require_schema_usage(FunctionCallInfo fcinfo);
/* 42501 when the caller has no USAGE on the (existing) hub schema whose tables
 * (tables) the reader reads through SPI, naming the hub, the tables, the
 * reader and what to grant (sr_schema_usage.h, query.c). */
extern void sr_require_hub_usage(FunctionCallInfo fcinfo, const char *hub, const char *tables,
								 const char *named_in);
/* The same, naming reader (the SQL function the caller called). */
extern void sr_require_hub_usage_of(const char *reader, const char *hub, const char *tables,
									const char *named_in);
/* For a superuser or platform administrator caller, 42501 when a role without
 * the caller's rights controls code that reading hub would run
 * (_hub_code_guard); a hub already passed in this statement is not checked
 * again (query.c).  Other callers return at once. */
extern void sr_hub_read_guard(FunctionCallInfo fcinfo, const char *hub, const char *fn);

/* ---- time: timestamptz <-> Unix seconds, the core's time ------------------- */

/* Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
#define SR_PG_EPOCH_UNIX 946684800.0

/* A timestamptz (microseconds since 2000-01-01 UTC) as Unix seconds, with
 * its microseconds as a fraction; no check: infinity gives about +-9.2e12. */
static inline double
sr_ts_unix(TimestampTz ts)
{
	return (double) ts / 1e6 + SR_PG_EPOCH_UNIX;
}

/* Unix seconds as a timestamptz, rounded to the nearest microsecond (half
 * away from zero, before 1970 too). */
static inline TimestampTz
sr_unix_ts(double u)
{
	return (TimestampTz) llround((u - SR_PG_EPOCH_UNIX) * 1e6);
}

/* A timestamptz argument as Unix seconds; infinity and -infinity are
 * refused (22023) naming the parameter. */
extern double sr_ts_arg_unix(TimestampTz ts, const char *param);

/* ---- the reader of SQL-text arguments and hub tables (query.c) ------------- */

/* What a column of a query must be; the accepted types are those PostgreSQL
 * converts to it implicitly (docs/query-arguments.md). */
typedef enum sr_qtype
{
	SR_Q_INT8,					/* int64: bigint, integer, smallint */
	SR_Q_INT4,					/* int32: integer, smallint */
	SR_Q_FLOAT8,				/* double: float8, float4, numeric, integers */
	SR_Q_TEXT,					/* char *: text, varchar, char(n), name */
	SR_Q_BOOL,					/* bool */
	SR_Q_DATE,					/* int32: days since 2000-01-01 (DateADT) */
	SR_Q_TIMESTAMPTZ,			/* double: Unix seconds; timestamptz, timestamp */
	SR_Q_GEOMETRY,				/* sr_qgeom: EWKB of PostGIS geometry */
	SR_Q_JSONB,					/* Jsonb * */
	SR_Q_FLOAT8_ARRAY,			/* sr_qarray: float8[] and arrays of the FLOAT8 types */
	SR_Q_ROW_JSONB				/* Jsonb *: the whole row as to_jsonb gives it
								 * (name is only used in messages) */
} sr_qtype;

#define SR_Q_OPTIONAL 0x1		/* the column may be absent from the result */
#define SR_Q_NOTNULL 0x2		/* a NULL value is an error (22004) */
#define SR_Q_METRIC 0x4			/* geometry: one SRID for the column, and the
								 * SRID policy's metric test (geometry.c) */
#define SR_Q_PROJ 0x8			/* with SR_Q_METRIC: every vertex goes through
								 * PROJ, nothing is measured in the SRID's
								 * plane, so a Mercator SRID passes (the 3D
								 * twin's publishers) */
#define SR_Q_HELD 0x10			/* text: the call keeps the value until it
								 * ends; its bytes, as the allocator holds
								 * them, count in the budget (sr_qbudget) */

typedef struct sr_qcol
{
	const char *name;
	sr_qtype	type;
	int			flags;
} sr_qcol;

typedef struct sr_qgeom
{
	const uint8 *wkb;			/* EWKB, SRID included when it has one */
	uint32		len;
} sr_qgeom;

typedef struct sr_qarray
{
	int			n;
	const double *v;
} sr_qarray;

/* A query's rows, one array per column (values[c][row]); an absent optional
 * column has present[c] = false and every row NULL. */
typedef struct sr_qresult
{
	int64		nrows;
	int			ncols;
	void	  **values;
	bool	  **nulls;
	bool	   *present;
	int32	   *srid;			/* geometry columns: the SRID of their values,
								 * -1 when every value is NULL */
} sr_qresult;

#define SR_QVAL(res, c, type) ((type *) (res)->values[c])
#define SR_QNULL(res, c, row) ((res)->nulls[c][row])

typedef struct sr_query
{
	const char *param;			/* the argument's name ("buildings_sql"), or a
								 * hub table's, used in every message */
	const char *sql;			/* one read-only query; a trailing ";" is fine */
	const sr_qcol *cols;
	int			ncols;
	int			nargs;			/* optional $1.. parameters (hub-table reads) */
	const Oid  *argtypes;
	const Datum *args;
	const char *argnulls;		/* SPI convention: 'n' for NULL, ' ' otherwise */
	int			batch_rows;		/* rows fetched at a time (0: 10,000); fewer
								 * for wide rows such as rasters */
	struct sr_qbudget *budget;	/* the call's memory bound (NULL: none) */
} sr_query;

/*
 * The memory a call that holds its whole input may keep, shared by the
 * queries it reads (smartregion.max_call_memory, module.c): sr_query_read
 * and sr_query_batches add each row's estimate (sr_hold_row_bytes of its
 * geometry column geom, row_bytes alone when geom is -1, plus the bytes
 * of a jsonb kept as read and the points' extra bytes of a row whose
 * column extra is not NULL) before the row is handed on, and refuse the row
 * that would pass the setting (54000), naming fn, the row and the
 * estimate; hint says what to do.
 */
typedef struct sr_qbudget
{
	const char *fn;				/* the function, in the message */
	const char *hint;
	double		row_bytes,
				point_bytes;	/* the family's rule (sr_cadastre.h, sr_zones.h) */
	int			geom;			/* the queries' geometry column (same number in
								 * each), -1 for none */
	int64		rows;			/* rows kept so far, every query of the call */
	double		bytes;			/* their estimate */
	int			kept;			/* a jsonb column the call keeps a copy of, its
								 * bytes counted as the allocator holds them:
								 * its number + 1 (0: none) */
	int			extra;			/* a column whose non-NULL value makes the row
								 * hold extra_point_bytes more a point of its
								 * geometry (city3d's ground_z: the walls), its
								 * number + 1 (0: none) */
	double		extra_point_bytes;
	const char *extra_what;		/* in the detail: "with a ground_z (...)" */
} sr_qbudget;

/* Read every row into arrays allocated in the current memory context. */
extern void sr_query_read(const sr_query *q, sr_qresult *out);

/* Read the rows in batches: fn sees each batch's arrays (first row number
 * first_row, 0-based); they live in a context reset after fn returns, and
 * the batch's SPI tuple table is freed with them, so that what the caller
 * keeps is all that grows with the rows.  present (q->ncols, may be NULL)
 * receives which columns the query has, rows or not. */
typedef void (*sr_qbatch_fn) (void *arg, const sr_qresult *batch, int64 first_row);
extern void sr_query_batches(const sr_query *q, sr_qbatch_fn fn, void *arg, bool *present);
/* The same, of the rows of a set-returning function called by its OID
 * (never by name) with q->args (q->sql unused). */
extern void sr_query_function_batches(const sr_query *q, Oid fn, sr_qbatch_fn cb, void *arg);

/* The same checks of a column set against any row type (e.g. the columns
 * of a hub table): missing and mistyped columns raise as in a query. */
extern void sr_query_check_tupdesc(const char *param, TupleDesc td,
								   const sr_qcol *cols, int ncols, int *attno,
								   Oid *typid);

/* The text of a caller's query checked as sr_query_read would (one read-only
 * query, the required columns present by name, of types[c] unless NULL or
 * InvalidOid), to embed as a subquery: its trailing semicolon dropped, between
 * newlines (a trailing comment is safe), after a comment of SR_QUERY_MARK and
 * the argument's name when that is a plain word (query_errors.c reads it). */
#define SR_QUERY_MARK "smartregion query text "
/* the characters of an argument's name the mark carries */
#define SR_QUERY_MARK_NAME "abcdefghijklmnopqrstuvwxyz0123456789_"
extern char *sr_query_subquery(const char *param, const char *sql,
							   const char *const *required, const Oid *types,
							   int nrequired);

/* Called in a PG_CATCH of the reader while preparing sql, the caller's text
 * (in ErrorContext, which it leaves current): remembers the error's position
 * inside sql, if it has one, for _reraise_query_error (query_errors.c). */
extern void sr_query_error_remember(const char *sql);

/* ---- registered functions (platform.c) ------------------------------------- */

/* The OID of a function a registry holds by its schema-qualified signature
 * (match_criterion.function, maturity_indicator.plugin): 42883 when there is
 * none, 42501 when a role other than a superuser owns it.  registry and entry
 * name the row in the errors ("criterion", "quiet"). */
extern Oid	sr_registered_function(const char *signature, const char *registry, const char *entry);

/* Refuses (42P13) a registered function whose labels break the promise of the
 * functions calling its registry ("criterion": STABLE PARALLEL SAFE callers;
 * "indicator", the maturity plugins: STABLE callers): too volatile, or not
 * parallel safe enough.  The readers check it at every call, after the
 * signature; the registration of a plugin checks it too. */
extern void sr_registered_function_labels(Oid fn, const char *registry, const char *entry);

/* ---- the geometry bridge (geometry.c) -------------------------------------- */

/* Is typid PostGIS's geometry type? */
extern bool sr_is_geometry(Oid typid);

/* The schema PostGIS is installed in (quoted for SQL text). */
extern const char *sr_postgis_schema_quoted(void);

/* EWKB of a geometry datum (ST_AsEWKB), in the current context. */
extern bytea *sr_geom_to_ewkb(Datum geom);

/* A geometry datum from EWKB (ST_GeomFromEWKB); the SRID is in the EWKB. */
extern Datum sr_geom_from_ewkb(const uint8 *ewkb, size_t len);

/* PostGIS's ST_Transform(geom, srid): the geometry in another SRID, as SQL
 * gets it (PostGIS keeps its PROJ objects with the bridge's call site). */
extern Datum sr_geom_transform(Datum geom, int32 srid);

/* A geometry datum from a core-made EWKB buffer (sr_alloc'd), freed here. */
extern Datum sr_geom_from_core(uint8 *ewkb, size_t len);

/* Decode a geometry argument: polygons (raises 22023 naming 'what' on any
 * other type) or a point.  *srid gets the geometry's SRID. */
extern void sr_geom_arg_mpoly(Datum geom, sr_mpoly *m, int32 *srid, const char *what);
extern void sr_geom_arg_point(Datum geom, double *x, double *y, double *z,
							  int *has_z, int32 *srid, const char *what);
/* The same from the EWKB of a geometry already read (sr_geom_to_ewkb). */
extern void sr_ewkb_arg_point(const bytea *ewkb, double *x, double *y, double *z,
							  int *has_z, int32 *srid, const char *what);

/* PostGIS's GeometryType (POINT, LINESTRING, POINTM ...) and ST_IsEmpty of a
 * geometry: for the messages of a function that names what it was given,
 * and for an empty point, which EWKB cannot tell from POINT(NaN NaN). */
extern char *sr_geom_type_name(Datum geom);
extern bool sr_geom_is_empty(Datum geom);
/* PostGIS's ST_AsText of a geometry, for a message quoting what was given. */
extern char *sr_geom_as_text(Datum geom);

/* A point that must be a place on Earth (the location of sun_position,
 * sky_clearsky, sky_agg), as WGS84 longitude and latitude, z as given (0
 * without): a point but POINTM, not empty, finite; SRID 4326 as is (in
 * range, 22003), any other known SRID transformed, SRID 0 refused; what
 * names the argument and its function in every message. */
extern void sr_geom_arg_lonlat(Datum geom, double *lon, double *lat, double *z,
							   int *has_z, const char *what);

/* An SRID's row of PostGIS's spatial_ref_sys (found false when it has none;
 * a NULL text column is a NULL field), read by the one query of the bridge:
 * its kind, its PROJ definitions and city3d's ECEF transformation come from
 * it. */
typedef struct sr_srid_def
{
	bool		found;
	char	   *auth_name;
	bool		has_auth_srid;
	int32		auth_srid;
	char	   *srtext;
	char	   *proj4text;
} sr_srid_def;
extern void sr_srid_definition(int32 srid, sr_srid_def *def);

/* The version of an SRID's spatial_ref_sys row as this statement sees it:
 * 0 when the table has no such row, otherwise a number that changes when
 * the row is updated, deleted or inserted again (checked once a statement,
 * a probe of the table's primary key).  A cache built on an SRID's
 * definition keeps the version it was built from and is stale when it
 * differs. */
extern uint64 sr_srid_version(int32 srid);

/* The one error (22023) for an SRID spatial_ref_sys does not have:
 * "SRID %d of <what> is not in spatial_ref_sys". */
extern void sr_srid_unknown_error(int32 srid, const char *what) pg_attribute_noreturn();

/* The SRID policy (docs/query-arguments.md): SRID 0 is accepted as local
 * metres; a known projected SRID in metres is accepted; a geographic SRID,
 * an SRID in other units, a Mercator projection (+proj=merc: EPSG:3857,
 * 3395, whose metres are cos(latitude) of the ground's) and an unknown SRID
 * are refused (22023) naming 'what', with a hint to ST_Transform. */
extern void sr_srid_require_metric(int32 srid, const char *what);

/* The same test for geometries whose every vertex is transformed by PROJ
 * (the 3D twin's publishers): a Mercator SRID passes, nothing being measured
 * in its plane. */
extern void sr_srid_require_projected(int32 srid, const char *what);

/* Longitude and latitude (WGS84) of a point of a projected SRID; false for
 * SRID 0 (local metres: no place on Earth).  An SRID not in spatial_ref_sys,
 * or a point outside the SRID's domain (the transformation there and back
 * does not return to it; a pole goes back with PROJ, so that a pole given in
 * a polar projection is accepted), is 22023 naming what (NULL: "point"). */
extern bool sr_srid_to_lonlat(int32 srid, double x, double y, double *lon, double *lat,
							  const char *what);

/* The meridian convergence (deg) at a point of an SRID, as every entry
 * point that reads buildings uses it (sr_cadastre.h, "true north"): true
 * azimuth = grid azimuth + gamma.  Measured on a meridian segment of
 * 2 x 0.001 deg of latitude about the point (sr_srid_to_lonlat, then both
 * ends back to the SRID) and rounded to 0.01 deg (sr_north_round); 0 for
 * SRID 0 (local metres: grid north is north).  The point's errors are
 * sr_srid_to_lonlat's, naming what; what NULL: 0 for a point off the
 * SRID's domain or of an unknown SRID (a scene with a stray coordinate:
 * the cadastre's own checks name it). */
extern double sr_srid_convergence(int32 srid, double x, double y, const char *what);

/* ---- options (options.c) --------------------------------------------------- */

/* Read a jsonb of options into the family's struct at base: defaults from
 * the specs, then every key checked (name, type, range).  jb may be NULL
 * (defaults only); param names the argument in messages. */
extern void sr_options_read(Jsonb *jb, const sr_optset *set, void *base, const char *param);
extern void sr_options_apply(Jsonb *jb, const sr_optset *set, void *base, const char *param);

/* ---- types (types.c) ------------------------------------------------------- */

/* The stored horizon: a version byte, the sector count and float4
 * elevations in degrees (sector k centred on azimuth k * 360 / n). */
typedef struct sr_horizon_v
{
	int32		vl_len_;
	uint8		version;
	uint8		pad;
	uint16		n;
	float4		elev[FLEXIBLE_ARRAY_MEMBER];
} sr_horizon_v;

#define SR_HORIZON_VERSION 1
#define HORIZON_SIZE(n) (offsetof(sr_horizon_v, elev) + sizeof(float4) * (n))
#define PG_GETARG_HORIZON(i) ((sr_horizon_v *) PG_DETOAST_DATUM(PG_GETARG_DATUM(i)))
/* A horizon argument as the irradiation kernels take it: fewer than 36
 * sectors written on narrow columns (sr_horizon_columns, types.c) */
extern sr_horizon_v *sr_horizon_kernel(sr_horizon_v *h);
#define PG_GETARG_HORIZON_COLUMNS(i) sr_horizon_kernel(PG_GETARG_HORIZON(i))

/* A horizon value from elevations, validated by the core (the one
 * validator of text, binary and computed horizons). */
extern sr_horizon_v *sr_horizon_make(const float *elev, int n);

/* ---- settings (module.c) --------------------------------------------------- */

/* Threads a bulk computation may use inside this backend: the
 * smartregion.max_threads setting (default -1: max_parallel_workers_per_gather
 * + 1), never more than the online processors. */
extern int	sr_max_threads(void);

/* The largest elevation model a function holds in memory, in pixels (4
 * bytes each): the smartregion.max_dem_pixels setting (terrain.c). */
#define SR_DEM_MAX_PIXELS_DEFAULT (64 * 1024 * 1024)	/* 256 MB of heights */
extern int	sr_max_dem_pixels(void);

/* The memory, in kB, a call that holds its whole input may keep (rows read
 * through an sr_qbudget): the smartregion.max_call_memory setting, -1 for
 * no limit. */
#define SR_MAX_CALL_MEMORY_DEFAULT (1024 * 1024)	/* 1 GB */
extern int	sr_max_call_memory(void);

#endif							/* SR_PG_H */
