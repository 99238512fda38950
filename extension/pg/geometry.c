/*
 * geometry.c — the geometry bridge (docs/query-arguments.md, "Geometry").
 *
 * One cache of PostGIS functions, looked up by name in the schema of the
 * postgis extension (never through search_path); geometry crosses to the
 * core as EWKB (ST_AsEWKB) and comes back as EWKB (ST_GeomFromEWKB); one
 * SRID policy for every function.  No PostGIS header is included.
 */
#include "sr_pg.h"
#include "sr_cadastre.h"

#include <math.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

typedef struct postgis_cache
{
	Oid			geometry;		/* InvalidOid until looked up */
	char	   *quoted;			/* quoted schema name */
	FmgrInfo	asewkb;			/* st_asewkb(geometry) */
	FmgrInfo	fromewkb;		/* st_geomfromewkb(bytea) */
	FmgrInfo	transform;		/* st_transform(geometry, integer) */
	FmgrInfo	geometrytype;	/* geometrytype(geometry) */
	FmgrInfo	isempty;		/* st_isempty(geometry) */
	FmgrInfo	astext;			/* st_astext(geometry) */
	Oid			srs;			/* spatial_ref_sys, its primary key, its srid column */
	Oid			srs_pkey;
	AttrNumber	srs_srid;
} postgis_cache;

static postgis_cache pgis = {InvalidOid};

/* Schema of an extension (get_extension_schema is not exported before
 * PostgreSQL 16). */
static Oid
extension_schema(Oid ext)
{
	Relation	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(ext));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return nsp;
}

static Oid
lookup_fn(Oid nsp, const char *name, int nargs, Oid *argtypes)
{
	List	   *fname = list_make2(makeString(get_namespace_name(nsp)), makeString((char *) name));
	Oid			fn = LookupFuncName(fname, nargs, argtypes, true);

	if (!OidIsValid(fn))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("could not find function %s of PostGIS", name)));
	return fn;
}

/* Is the cached geometry type still PostGIS's (not dropped and re-created)? */
static bool
cache_valid(void)
{
	HeapTuple	tup;
	bool		ok;

	if (!OidIsValid(pgis.geometry))
		return false;
	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(pgis.geometry));
	if (!HeapTupleIsValid(tup))
		return false;
	ok = strcmp(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname), "geometry") == 0;
	ReleaseSysCache(tup);
	return ok;
}

static void
postgis_init(void)
{
	Oid			ext,
				nsp,
				geom,
				args[2];
	MemoryContext old;

	if (cache_valid())
		return;
	pgis.geometry = InvalidOid;
	ext = get_extension_oid("postgis", true);
	if (!OidIsValid(ext))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("PostGIS is not installed in this database"),
				 errhint("Run CREATE EXTENSION postgis.")));
	nsp = extension_schema(ext);
	geom = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
						   CStringGetDatum("geometry"), ObjectIdGetDatum(nsp));
	if (!OidIsValid(geom))
		elog(ERROR, "could not find type geometry of PostGIS");
	old = MemoryContextSwitchTo(TopMemoryContext);
	args[0] = geom;
	fmgr_info_cxt(lookup_fn(nsp, "st_asewkb", 1, args), &pgis.asewkb, TopMemoryContext);
	fmgr_info_cxt(lookup_fn(nsp, "geometrytype", 1, args), &pgis.geometrytype, TopMemoryContext);
	fmgr_info_cxt(lookup_fn(nsp, "st_isempty", 1, args), &pgis.isempty, TopMemoryContext);
	fmgr_info_cxt(lookup_fn(nsp, "st_astext", 1, args), &pgis.astext, TopMemoryContext);
	args[1] = INT4OID;
	fmgr_info_cxt(lookup_fn(nsp, "st_transform", 2, args), &pgis.transform, TopMemoryContext);
	args[0] = BYTEAOID;
	fmgr_info_cxt(lookup_fn(nsp, "st_geomfromewkb", 1, args), &pgis.fromewkb, TopMemoryContext);
	if (pgis.quoted)
		pfree(pgis.quoted);
	pgis.quoted = pstrdup(quote_identifier(get_namespace_name(nsp)));
	MemoryContextSwitchTo(old);
	pgis.srs = get_relname_relid("spatial_ref_sys", nsp);
	if (!OidIsValid(pgis.srs))
		elog(ERROR, "could not find table spatial_ref_sys of PostGIS");
	{
		Relation	rel = table_open(pgis.srs, AccessShareLock);

		pgis.srs_pkey = RelationGetPrimaryKeyIndex(rel);
		table_close(rel, AccessShareLock);
	}
	pgis.srs_srid = get_attnum(pgis.srs, "srid");
	if (!OidIsValid(pgis.srs_pkey) || pgis.srs_srid == InvalidAttrNumber)
		elog(ERROR, "spatial_ref_sys of PostGIS has no primary key on srid");
	pgis.geometry = geom;
}

bool
sr_is_geometry(Oid typid)
{
	postgis_init();
	return getBaseType(typid) == pgis.geometry;
}

const char *
sr_postgis_schema_quoted(void)
{
	postgis_init();
	return pgis.quoted;
}

bytea *
sr_geom_to_ewkb(Datum geom)
{
	postgis_init();
	return DatumGetByteaPP(FunctionCall1(&pgis.asewkb, geom));
}

Datum
sr_geom_from_ewkb(const uint8 *ewkb, size_t len)
{
	bytea	   *b = palloc(len + VARHDRSZ);

	postgis_init();
	SET_VARSIZE(b, len + VARHDRSZ);
	memcpy(VARDATA(b), ewkb, len);
	return FunctionCall1(&pgis.fromewkb, PointerGetDatum(b));
}

Datum
sr_geom_transform(Datum geom, int32 srid)
{
	postgis_init();
	return FunctionCall2(&pgis.transform, geom, Int32GetDatum(srid));
}

Datum
sr_geom_from_core(uint8 *ewkb, size_t len)
{
	Datum		d;

	if (ewkb == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	d = sr_geom_from_ewkb(ewkb, len);
	sr_free(ewkb);
	return d;
}

char *
sr_geom_type_name(Datum geom)
{
	postgis_init();
	return TextDatumGetCString(FunctionCall1(&pgis.geometrytype, geom));
}

bool
sr_geom_is_empty(Datum geom)
{
	postgis_init();
	return DatumGetBool(FunctionCall1(&pgis.isempty, geom));
}

char *
sr_geom_as_text(Datum geom)
{
	postgis_init();
	return TextDatumGetCString(FunctionCall1(&pgis.astext, geom));
}

/* Raise a core geometry error naming the argument. */
static void
geom_error(const sr_err *err, const char *what)
{
	ereport(ERROR,
			(errcode(sr_status_sqlstate(err->status)),
			 errmsg("%s: %s", what, err->msg)));
}

void
sr_geom_arg_mpoly(Datum geom, sr_mpoly *m, int32 *srid, const char *what)
{
	bytea	   *b = sr_geom_to_ewkb(geom);
	sr_err		err;

	sr_err_clear(&err);
	if (sr_wkb_read_mpoly((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), m, &err) != SR_OK)
		geom_error(&err, what);
	*srid = m->srid;
}

void
sr_geom_arg_point(Datum geom, double *x, double *y, double *z, int *has_z,
				  int32 *srid, const char *what)
{
	sr_ewkb_arg_point(sr_geom_to_ewkb(geom), x, y, z, has_z, srid, what);
}

void
sr_ewkb_arg_point(const bytea *b, double *x, double *y, double *z, int *has_z,
				  int32 *srid, const char *what)
{
	sr_wkb_header h;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_wkb_read_header((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &h, &err) != SR_OK ||
		sr_wkb_read_point((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), x, y, z, has_z, &err) != SR_OK)
		geom_error(&err, what);
	*srid = h.srid;
}

/* ---- the SRID policy --------------------------------------------------------- */

typedef enum srid_kind
{
	SRID_METRIC, SRID_GEOGRAPHIC, SRID_OTHER_UNIT, SRID_UNKNOWN
} srid_kind;

/*
 * The spatial_ref_sys rows met in this session (the last 16), with their
 * kind.  An entry holds the row version it was read from (ctid, xmin) and is
 * checked against the table once a statement (the first time the statement
 * meets the SRID): an index probe of spatial_ref_sys's primary key under
 * the statement's snapshot (~20 us of CPU on a loaded 2-core VM), after
 * which the calls of the statement use the entry as it is.  A row updated,
 * deleted or inserted again (a DBA's custom projection) is read again; a
 * write within the transaction advances the command id, so the next
 * statement of the same transaction sees it too.  An SRID spatial_ref_sys does not have is not
 * kept, so that one inserted later is found.  Each entry's version number
 * tells the caches built on a definition (the pole's way back, city3d's ECEF
 * transformations) that theirs is stale.  The transformation to WGS84 itself
 * is PostGIS's ST_Transform, whose PROJ objects PostGIS keeps for the
 * session (PostGIS 3.2 and later): a changed definition reaches it in a new
 * session, as it does in plain SQL (docs/query-arguments.md).
 */
#define SRID_CACHE 16
typedef struct srid_entry
{
	bool		valid;
	int32		srid;
	srid_kind	kind;
	bool		mercator;		/* +proj=merc: areas not the ground's */
	uint64		version;		/* a new number each time the row is read */
	ItemPointerData tid;		/* the row version read */
	TransactionId xmin;
	LocalTransactionId lxid;	/* the statement that last checked it */
	TimestampTz stmt;
	CommandId	cid;
} srid_entry;
static srid_entry srid_cache[SRID_CACHE];
static int	srid_cache_n = 0;
static int	srid_cache_next = 0;
static uint64 srid_versions = 0;

#if PG_VERSION_NUM >= 170000
#define SR_MY_LXID (MyProc->vxid.lxid)
#else
#define SR_MY_LXID (MyProc->lxid)
#endif

/* Was the entry checked by this statement (and no write since)? */
static inline bool
srid_entry_checked(const srid_entry *e)
{
	return e->lxid == SR_MY_LXID && e->stmt == GetCurrentStatementStartTimestamp() &&
		e->cid == GetCurrentCommandId(false);
}

static void
srid_entry_stamp(srid_entry *e)
{
	e->lxid = SR_MY_LXID;
	e->stmt = GetCurrentStatementStartTimestamp();
	e->cid = GetCurrentCommandId(false);
}

/* The version of srid's row the statement's snapshot sees: false when none. */
static bool
srid_row_version(int32 srid, ItemPointerData *tid, TransactionId *xmin)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		found = false;

	postgis_init();
	rel = table_open(pgis.srs, AccessShareLock);
	ScanKeyInit(&key, pgis.srs_srid, BTEqualStrategyNumber, F_INT4EQ, Int32GetDatum(srid));
	scan = systable_beginscan(rel, pgis.srs_pkey, true,
							  ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot(),
							  1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		found = true;
		*tid = tup->t_self;
		*xmin = HeapTupleHeaderGetRawXmin(tup->t_data);
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return found;
}

static srid_kind
classify(const char *proj4, const char *srtext)
{
	if (proj4 && (strstr(proj4, "+proj=longlat") || strstr(proj4, "+proj=latlong")))
		return SRID_GEOGRAPHIC;
	if (srtext && (strncmp(srtext, "GEOGCS", 6) == 0 || strncmp(srtext, "GEOGCRS", 7) == 0))
		return SRID_GEOGRAPHIC;
	if (proj4 && proj4[0])
	{
		const char *u = strstr(proj4, "+units=");

		return (u && strncmp(u, "+units=m", 8) == 0 && (u[8] == ' ' || u[8] == '\0')) ?
			SRID_METRIC : SRID_OTHER_UNIT;
	}
	if (srtext && (strstr(srtext, "UNIT[\"metre\"") || strstr(srtext, "UNIT[\"meter\"")))
		return SRID_METRIC;
	return SRID_OTHER_UNIT;
}

/* A Mercator projection (not a transverse one): PostGIS's proj4text says
 * +proj=merc (EPSG:3857, 3395 ...); without one, the WKT's projection
 * method (Mercator_1SP, Mercator_2SP, Popular Visualisation Pseudo Mercator). */
static bool
is_mercator(const char *proj4, const char *srtext)
{
	if (proj4 && proj4[0])
	{
		const char *p = strstr(proj4, "+proj=merc");

		return p && (p[10] == ' ' || p[10] == '\0');
	}
	return srtext && (strstr(srtext, "PROJECTION[\"Mercator") ||
					  strstr(srtext, "Pseudo Mercator") ||
					  strstr(srtext, "METHOD[\"Mercator"));
}

void
sr_srid_definition(int32 srid, sr_srid_def *def)
{
	static const sr_qcol cols[] = {{"auth_name", SR_Q_TEXT, 0}, {"auth_srid", SR_Q_INT4, 0},
	{"srtext", SR_Q_TEXT, 0}, {"proj4text", SR_Q_TEXT, 0}};
	Oid			argtypes[1] = {INT4OID};
	Datum		args[1];
	sr_query	q;
	sr_qresult	res;

	memset(def, 0, sizeof(*def));
	args[0] = Int32GetDatum(srid);
	memset(&q, 0, sizeof(q));
	q.param = "spatial_ref_sys";
	q.sql = psprintf("SELECT auth_name::pg_catalog.text, auth_srid, srtext::pg_catalog.text, "
					 "proj4text::pg_catalog.text FROM %s.spatial_ref_sys "
					 "WHERE srid OPERATOR(pg_catalog.=) $1", sr_postgis_schema_quoted());
	q.cols = cols;
	q.ncols = 4;
	q.nargs = 1;
	q.argtypes = argtypes;
	q.args = args;
	sr_query_read(&q, &res);
	if (res.nrows == 0)
		return;
	def->found = true;
	def->auth_name = SR_QNULL(&res, 0, 0) ? NULL : SR_QVAL(&res, 0, char *)[0];
	def->has_auth_srid = !SR_QNULL(&res, 1, 0);
	def->auth_srid = def->has_auth_srid ? SR_QVAL(&res, 1, int32)[0] : 0;
	def->srtext = SR_QNULL(&res, 2, 0) ? NULL : SR_QVAL(&res, 2, char *)[0];
	def->proj4text = SR_QNULL(&res, 3, 0) ? NULL : SR_QVAL(&res, 3, char *)[0];
}

/* srid's entry as this statement sees spatial_ref_sys, NULL when the table
 * has no such row (not kept). */
static srid_entry *
srid_entry_get(int32 srid)
{
	srid_entry *e = NULL;
	sr_srid_def def;
	ItemPointerData tid;
	TransactionId xmin;
	bool		found;
	int			slot;

	for (int i = 0; i < srid_cache_n; i++)
		if (srid_cache[i].valid && srid_cache[i].srid == srid)
			e = &srid_cache[i];
	if (e && srid_entry_checked(e))
		return e;
	found = srid_row_version(srid, &tid, &xmin);
	if (e && found && ItemPointerEquals(&e->tid, &tid) && e->xmin == xmin)
	{
		srid_entry_stamp(e);
		return e;
	}
	if (e)
		e->valid = false;		/* the row changed or is gone */
	if (!found)
		return NULL;
	sr_srid_definition(srid, &def);
	if (!def.found)
		return NULL;
	if (e)
		slot = e - srid_cache;
	else
	{
		slot = srid_cache_next;
		srid_cache_next = (srid_cache_next + 1) % SRID_CACHE;
		if (srid_cache_n < SRID_CACHE)
			srid_cache_n++;
	}
	e = &srid_cache[slot];
	e->valid = true;
	e->srid = srid;
	e->kind = classify(def.proj4text, def.srtext);
	e->mercator = is_mercator(def.proj4text, def.srtext);
	e->version = ++srid_versions;
	e->tid = tid;
	e->xmin = xmin;
	srid_entry_stamp(e);
	return e;
}

static srid_kind
srid_lookup(int32 srid)
{
	srid_entry *e = srid_entry_get(srid);

	return e ? e->kind : SRID_UNKNOWN;
}

uint64
sr_srid_version(int32 srid)
{
	srid_entry *e = srid_entry_get(srid);

	return e ? e->version : 0;
}

/* the one message for an SRID PostGIS does not know, whichever check meets it */
void
sr_srid_unknown_error(int32 srid, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("SRID %d of %s is not in spatial_ref_sys", srid, what)));
}

static void
require_metric(int32 srid, const char *what, bool mercator_ok)
{
	srid_entry *e;

	if (srid == 0)
		return;					/* local metres (documented) */
	switch (srid_lookup(srid))
	{
		case SRID_METRIC:
			break;
		case SRID_UNKNOWN:
			sr_srid_unknown_error(srid, what);
			break;
		case SRID_GEOGRAPHIC:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has the geographic SRID %d; a projected SRID in metres is required", what, srid),
					 errdetail("Lengths, areas and heights are computed in the plane of the SRID."),
					 errhint("Transform it first, for example with ST_Transform(geom, 2154) in France.")));
			break;
		case SRID_OTHER_UNIT:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has SRID %d, whose unit is not the metre", what, srid),
					 errdetail("Lengths, areas and heights are computed in the plane of the SRID."),
					 errhint("Transform it first, for example with ST_Transform(geom, 2154) in France.")));
			break;
	}
	/* a Mercator metre is not the ground's: lengths 1/cos(latitude), areas
	 * 1/cos²(latitude) too large, against heights in true metres */
	e = mercator_ok ? NULL : srid_entry_get(srid);
	if (e && e->mercator)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has SRID %d, a Mercator projection, whose lengths and areas are not the ground's", what, srid),
				 errdetail("A Mercator metre is cos(latitude) metres on the ground and its square metre cos²(latitude) square metres: lengths would be 1.35 to 1.6 times and areas 1.8 to 2.5 times too large in mainland France (2.3 in Essonne), against heights in true metres."),
				 errhint("Transform it first, for example with ST_Transform(geom, 2154) in France.")));
}

void
sr_srid_require_metric(int32 srid, const char *what)
{
	require_metric(srid, what, false);
}

void
sr_srid_require_projected(int32 srid, const char *what)
{
	require_metric(srid, what, true);
}

/* point (x, y) of srid transformed to dst by PostGIS */
static void
transform_point(int32 srid, double x, double y, int32 dst, double *ox, double *oy)
{
	size_t		len;
	uint8	   *ewkb = sr_wkb_write_point(x, y, 0, 0, srid, &len);
	Datum		t = FunctionCall2(&pgis.transform, sr_geom_from_core(ewkb, len), Int32GetDatum(dst));
	bytea	   *b = sr_geom_to_ewkb(t);
	double		z;
	int			hz;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_wkb_read_point((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), ox, oy, &z, &hz, &err) != SR_OK)
		sr_raise(&err);
}

/*
 * A point near a pole (lon, lat: |lat| of 89 to 90) in srid with PROJ, NaN when the
 * SRID cannot hold it: PostGIS's ST_Transform raises an internal error there
 * (the opposite pole of a conic projection), so PROJ is called directly
 * (sr_crs_from_lonlat), with the SRID's definitions in PostGIS's order:
 * authority code, WKT, PROJ string.  The last answer is kept, so that a
 * series of calls at one pole sets PROJ up once.
 */
static void
pole_to_srid(int32 srid, double lon, double lat, double *x, double *y)
{
	static struct
	{
		bool		valid;
		int32		srid;
		uint64		version;	/* of srid's row (sr_srid_version) */
		double		lon,
					lat,
					x,
					y;
	}			last;
	sr_srid_def def;
	const char *defs[3] = {NULL, NULL, NULL};
	sr_err		err;
	uint64		version = sr_srid_version(srid);

	if (last.valid && last.srid == srid && last.version == version &&
		last.lon == lon && last.lat == lat)
	{
		*x = last.x;
		*y = last.y;
		return;
	}
	sr_srid_definition(srid, &def);
	*x = *y = NAN;
	if (!def.found)
		return;
	if (def.auth_name && def.has_auth_srid && def.auth_srid > 0)
		defs[0] = psprintf("%s:%d", def.auth_name, def.auth_srid);
	defs[1] = def.srtext;
	defs[2] = def.proj4text;
	sr_err_clear(&err);
	if (sr_crs_from_lonlat(defs, 3, lon, lat, x, y, &err) != SR_OK)
	{
		if (err.status == SR_ENOMEM)
			sr_raise(&err);
		*x = *y = NAN;			/* no definition PROJ can use: no way back */
	}
	last.valid = true;
	last.srid = srid;
	last.version = version;
	last.lon = lon;
	last.lat = lat;
	last.x = *x;
	last.y = *y;
}

/* (lon, lat) to srid without PostGIS's error near a pole: within a degree
 * of one, PROJ directly (pole_to_srid: NaN when the SRID cannot hold it;
 * ST_Transform raises an internal error for the points of a conic
 * projection's opposite pole) */
static void
lonlat_to_srid(int32 srid, double lon, double lat, double *x, double *y)
{
	if (fabs(lat) < 89.0)
		transform_point(4326, lon, lat, srid, x, y);
	else
		pole_to_srid(srid, lon, lat, x, y);
}

/* (x, y) of srid to (lon, lat), false when it locates no place on Earth */
static bool
srid_to_lonlat_soft(int32 srid, double x, double y, double *lon, double *lat)
{
	double		bx,
				by;

	transform_point(srid, x, y, 4326, lon, lat);

	/*
	 * A point outside the projection's domain comes back from PROJ as some
	 * place without an error: the pole (Lambert conic), the antimeridian
	 * (Mercator).  The way back to the SRID tells (sr_crs_returns_to: within
	 * a millimetre, or 1e-9 of the coordinates far out).  Near a pole the
	 * way back is PROJ itself, which says when the SRID cannot hold it
	 * (PostGIS raises an internal error): a pole given in a polar
	 * projection (or the apex of a conic one) returns to itself and is
	 * accepted; the South Pole PROJ makes of Lambert-93's (1e300, 1e300) has
	 * no place in Lambert-93 and is refused.
	 */
	bx = by = NAN;
	if (isfinite(*lon) && isfinite(*lat))
		lonlat_to_srid(srid, *lon, *lat, &bx, &by);
	return sr_crs_returns_to(x, y, bx, by);
}

static void
outside_domain_error(int32 srid, double x, double y, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s (%g, %g) is outside the domain of SRID %d", what, x, y, srid),
			 errdetail("Transformed to longitude and latitude and back, it does not return to itself: it locates no place on Earth."),
			 errhint("Check the coordinates and their SRID.")));
}

bool
sr_srid_to_lonlat(int32 srid, double x, double y, double *lon, double *lat, const char *what)
{
	if (srid <= 0)
		return false;
	if (what == NULL)
		what = "point";
	if (srid_lookup(srid) == SRID_UNKNOWN)
		sr_srid_unknown_error(srid, what);
	if (!srid_to_lonlat_soft(srid, x, y, lon, lat))
		outside_domain_error(srid, x, y, what);
	return true;
}

double
sr_srid_convergence(int32 srid, double x, double y, const char *what)
{
	double		lon, lat, d = 0.001, la0, la1, xs, ys, xn, yn, g;

	if (srid <= 0)
		return 0.0;
	if (what == NULL)
	{
		/* soft: a point off the SRID's domain locates no place and turns
		 * nothing (the caller's own checks refuse it) */
		if (srid_lookup(srid) == SRID_UNKNOWN || !srid_to_lonlat_soft(srid, x, y, &lon, &lat))
			return 0.0;
	}
	else
		sr_srid_to_lonlat(srid, x, y, &lon, &lat, what);
	/* a segment of the meridian about the point, kept off the poles */
	la0 = Max(lat - d, -89.9);
	la1 = Min(lat + d, 89.9);
	lonlat_to_srid(srid, lon, la0, &xs, &ys);
	lonlat_to_srid(srid, lon, la1, &xn, &yn);
	g = sr_north_convergence(xs, ys, xn, yn);
	if (!isfinite(g))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s (%g, %g): SRID %d has no north there", what ? what : "the centre of the buildings", x, y, srid),
				 errdetail("The meridian through the point does not map to a line of the SRID around it.")));
	return sr_north_round(g);
}

/*
 * A place on Earth given as a point (sun_position, sky_clearsky, sky_agg):
 * the one reader of such arguments, so that their checks, order and
 * messages are the same.  A point, 2D, 3D or 4D; a measured POINTM is
 * refused (its third ordinate is a measure, not the elevation a caller may
 * have meant; GeometryType names it).  Not empty (EWKB writes an empty point
 * as NaN NaN, and POINT(NaN NaN) too: ST_IsEmpty tells), every coordinate
 * finite.  SRID 0 locates nothing; SRID 4326 is longitude and latitude as
 * given, in range (22003, as the lat and lon parameters); any other SRID
 * goes through the checked transformation (sr_srid_to_lonlat).
 */
void
sr_geom_arg_lonlat(Datum geom, double *lon, double *lat, double *z, int *has_z,
				   const char *what)
{
	bytea	   *b = sr_geom_to_ewkb(geom);
	const uint8 *wkb = (const uint8 *) VARDATA_ANY(b);
	size_t		len = VARSIZE_ANY_EXHDR(b);
	sr_wkb_header h;
	double		x,
				y;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_wkb_read_header(wkb, len, &h, &err) != SR_OK)
		geom_error(&err, what);
	if (h.type != SR_WKB_POINT || (h.has_m && !h.has_z))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a point, got %s", what, sr_geom_type_name(geom))));
	if (sr_wkb_read_point_raw(wkb, len, &x, &y, z, has_z, &err) != SR_OK)
		geom_error(&err, what);
	if (isnan(x) && isnan(y) && sr_geom_is_empty(geom))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be an empty point", what)));
	if (!isfinite(x) || !isfinite(y) || !isfinite(*z))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has a non-finite coordinate", what),
				 errdetail("Got %s.", sr_geom_as_text(geom))));
	if (h.srid <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has no SRID; a place on Earth is required", what),
				 errdetail("SRID 0 is taken as local metres, which locate nothing on Earth."),
				 errhint("Give the point its SRID, e.g. ST_SetSRID(location, 4326) for longitude and latitude.")));
	if (h.srid != 4326)
	{
		sr_srid_to_lonlat(h.srid, x, y, lon, lat, what);
		return;
	}
	if (!(y >= -90 && y <= 90 && x >= -180 && x <= 180))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s (%g, %g) is not a longitude, latitude pair", what, x, y),
				 errdetail("In SRID 4326 the longitude is between -180 and 180 degrees, the latitude between -90 and 90.")));
	*lon = x;
	*lat = y;
}

PG_FUNCTION_INFO_V1(sr_fn_to_lonlat);
/* smartregion._to_lonlat(location, what): a point of any SRID but 0 in
 * WGS84 (z kept), for SQL that needs one: the place-on-Earth reader
 * (sr_geom_arg_lonlat), with its checks and messages naming what */
Datum
sr_fn_to_lonlat(PG_FUNCTION_ARGS)
{
	const char *what = PG_ARGISNULL(1) ? "location" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	double		z = 0,
				lon,
				lat;
	int			has_z = 0;
	size_t		len;
	uint8	   *ewkb;

	sr_geom_arg_lonlat(PG_GETARG_DATUM(0), &lon, &lat, &z, &has_z, what);
	ewkb = sr_wkb_write_point(lon, lat, z, has_z, 4326, &len);
	PG_RETURN_DATUM(sr_geom_from_core(ewkb, len));
}
