/*
 * zones.c — glue of the activity-zone observatory (docs/zones.md).
 *
 * Each function reads its query texts with SPI cursors in one pass (read
 * only), checks the columns by name and type, converts geometries to EWKB
 * with PostGIS's own ST_AsEWKB (looked up in the schema of the geometry
 * type, never through search_path), hands flat arrays to the core
 * (extension/core/zones_*.c) and returns a materialized result.
 */
#include "sr_pg.h"

#include <math.h>

#include "sr_zones.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"

/* ---- reading query texts ---------------------------------------------------- */

typedef enum ztype
{
	ZT_INT8, ZT_INT4, ZT_TEXT, ZT_GEOM, ZT_DATE, ZT_BOOL, ZT_FLOAT8
} ztype;

static const char *const ztype_name[] = {
	"bigint", "integer", "text", "geometry", "date", "boolean", "double precision"
};

typedef struct zcol
{
	const char *name;
	ztype		type;
	bool		required;
	int			attno;			/* 0 when absent (optional column) */
	Oid			typid;
} zcol;

typedef struct zgeomfn
{
	Oid			geomtype;		/* InvalidOid until the first geometry column */
	char	   *nspname;		/* schema of PostGIS */
	FmgrInfo	asewkb;
} zgeomfn;

/* Called for every row with the values in zcol order (absent optional
 * columns are NULL). */
typedef void (*zrow_fn) (void *arg, Datum *values, bool *nulls, int64 row);

typedef struct zctx_cb
{
	const char *param;
} zctx_cb;

static void
query_error_context(void *arg)
{
	zctx_cb    *c = (zctx_cb *) arg;

	errcontext("while reading the rows of %s", c->param);
}

/* Is typid PostGIS's geometry?  On the first one, look up ST_AsEWKB in the
 * geometry type's own schema. */
static bool
is_geometry_type(Oid typid, zgeomfn *gf)
{
	HeapTuple	tup;
	Form_pg_type t;
	bool		ok;
	Oid			nsp;

	if (OidIsValid(gf->geomtype))
		return typid == gf->geomtype;
	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	if (!HeapTupleIsValid(tup))
		return false;
	t = (Form_pg_type) GETSTRUCT(tup);
	ok = strcmp(NameStr(t->typname), "geometry") == 0;
	nsp = t->typnamespace;
	ReleaseSysCache(tup);
	if (ok)
	{
		List	   *fname = list_make2(makeString(get_namespace_name(nsp)),
									   makeString("st_asewkb"));
		Oid			fn = LookupFuncName(fname, 1, &typid, true);

		if (!OidIsValid(fn))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("could not find function st_asewkb(geometry) of PostGIS")));
		fmgr_info(fn, &gf->asewkb);
		gf->geomtype = typid;
		gf->nspname = MemoryContextStrdup(TopTransactionContext, get_namespace_name(nsp));
	}
	return ok;
}

static bool
type_accepted(ztype want, Oid typid, zgeomfn *gf)
{
	switch (want)
	{
		case ZT_INT8:
			return typid == INT8OID || typid == INT4OID || typid == INT2OID;
		case ZT_INT4:
			return typid == INT4OID || typid == INT2OID;
		case ZT_TEXT:
			return typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID;
		case ZT_GEOM:
			return is_geometry_type(typid, gf);
		case ZT_DATE:
			return typid == DATEOID;
		case ZT_BOOL:
			return typid == BOOLOID;
		case ZT_FLOAT8:
			return typid == FLOAT8OID || typid == FLOAT4OID || typid == NUMERICOID ||
				typid == INT8OID || typid == INT4OID || typid == INT2OID;
	}
	return false;
}

/* Normalize a datum of an accepted type to the wanted representation. */
static Datum
normalize(ztype want, Oid typid, Datum d, zgeomfn *gf)
{
	switch (want)
	{
		case ZT_INT8:
			if (typid == INT4OID)
				return Int64GetDatum((int64) DatumGetInt32(d));
			if (typid == INT2OID)
				return Int64GetDatum((int64) DatumGetInt16(d));
			return d;
		case ZT_INT4:
			if (typid == INT2OID)
				return Int32GetDatum((int32) DatumGetInt16(d));
			return d;
		case ZT_FLOAT8:
			if (typid == FLOAT4OID)
				return Float8GetDatum((double) DatumGetFloat4(d));
			if (typid == NUMERICOID)
				return DirectFunctionCall1(numeric_float8, d);
			if (typid == INT8OID)
				return Float8GetDatum((double) DatumGetInt64(d));
			if (typid == INT4OID)
				return Float8GetDatum((double) DatumGetInt32(d));
			if (typid == INT2OID)
				return Float8GetDatum((double) DatumGetInt16(d));
			return d;
		case ZT_GEOM:
			return FunctionCall1(&gf->asewkb, d);
		default:
			return d;
	}
}

static void
describe_columns(StringInfo buf, const zcol *cols, int ncols)
{
	int			i;

	for (i = 0; i < ncols; i++)
		appendStringInfo(buf, "%s%s %s%s", i ? ", " : "", cols[i].name,
						 ztype_name[cols[i].type], cols[i].required ? "" : " (optional)");
}

/* Run one query text (read only) and feed its rows to fn.  Must be called
 * between SPI_connect and SPI_finish.  Returns the number of rows. */
static int64
read_query(const char *param, const char *sql, zcol *cols, int ncols,
		   zgeomfn *gf, zrow_fn fn, void *arg)
{
	Portal		portal;
	int64		row = 0;
	bool		first = true;
	Datum	   *values = palloc(sizeof(Datum) * ncols);
	bool	   *nulls = palloc(sizeof(bool) * ncols);
	Datum	   *allv = NULL;
	bool	   *alln = NULL;
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext, "zones row",
												 ALLOCSET_DEFAULT_SIZES);
	ErrorContextCallback ecb;
	zctx_cb		cb = {param};

	ecb.callback = query_error_context;
	ecb.arg = &cb;
	ecb.previous = error_context_stack;
	error_context_stack = &ecb;

	portal = SPI_cursor_open_with_args(NULL, sql, 0, NULL, NULL, NULL, true, 0);
	for (;;)
	{
		uint64		i;
		TupleDesc	td;

		SPI_cursor_fetch(portal, true, 10000);
		td = SPI_tuptable->tupdesc;
		if (first)
		{
			int			c;

			for (c = 0; c < ncols; c++)
			{
				int			attno = SPI_fnumber(td, cols[c].name);

				cols[c].attno = 0;
				if (attno <= 0)
				{
					StringInfoData buf;

					if (!cols[c].required)
						continue;
					initStringInfo(&buf);
					describe_columns(&buf, cols, ncols);
					ereport(ERROR,
							(errcode(ERRCODE_UNDEFINED_COLUMN),
							 errmsg("column \"%s\" is missing from the result of %s",
									cols[c].name, param),
							 errdetail("%s must return the columns %s; other columns are ignored.",
									   param, buf.data)));
				}
				cols[c].typid = SPI_gettypeid(td, attno);
				if (!type_accepted(cols[c].type, cols[c].typid, gf))
					ereport(ERROR,
							(errcode(ERRCODE_DATATYPE_MISMATCH),
							 errmsg("column \"%s\" of %s has type %s, expected %s",
									cols[c].name, param,
									format_type_be(cols[c].typid),
									ztype_name[cols[c].type]),
							 errhint("Cast the column in the query, for example %s::%s.",
									 cols[c].name, ztype_name[cols[c].type])));
				cols[c].attno = attno;
			}
			first = false;
		}
		if (SPI_processed == 0)
			break;
		if (allv == NULL)
		{
			allv = palloc(sizeof(Datum) * td->natts);
			alln = palloc(sizeof(bool) * td->natts);
		}
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			MemoryContext old = MemoryContextSwitchTo(rowcxt);
			int			c;

			row++;
			/* one pass over the tuple (not one per column) */
			heap_deform_tuple(tup, td, allv, alln);
			for (c = 0; c < ncols; c++)
			{
				if (cols[c].attno == 0)
				{
					values[c] = (Datum) 0;
					nulls[c] = true;
					continue;
				}
				values[c] = allv[cols[c].attno - 1];
				nulls[c] = alln[cols[c].attno - 1];
				if (!nulls[c])
					values[c] = normalize(cols[c].type, cols[c].typid, values[c], gf);
			}
			MemoryContextSwitchTo(old);
			fn(arg, values, nulls, row);
			MemoryContextReset(rowcxt);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	error_context_stack = ecb.previous;
	MemoryContextDelete(rowcxt);
	return row;
}

/* ---- growable input arrays (in the work context) -------------------------- */

typedef struct zarrays
{
	MemoryContext cxt;
	sr_zones_data d;
	size_t		cz,
				cp,
				cb,
				ce;
	int64	   *zone_id;
	const unsigned char **zone_wkb;
	size_t	   *zone_len;
	const char **parcel_id;
	const char **land_unit_id;
	const unsigned char **parcel_wkb;
	size_t	   *parcel_len;
	int64	   *building_id;
	const unsigned char **building_wkb;
	size_t	   *building_len;
	int32	   *levels;
	int32	   *built_year;
	const char **siret;
	const unsigned char **estab_wkb;
	size_t	   *estab_len;
	const char **naf;
	const char **band;
	int32	   *start_day;
	int32	   *end_day;
	bool	   *cfe;
	int32		today;
} zarrays;

#define ZGROW(a, field, cap, n) \
	do { if ((n) >= (cap)) { size_t nc_ = (cap) ? 2 * (cap) : 1024; \
		(a)->field = (a)->field ? repalloc_huge((void *) (a)->field, nc_ * sizeof(*(a)->field)) \
							    : MemoryContextAllocHuge((a)->cxt, nc_ * sizeof(*(a)->field)); \
	} } while (0)

static char *
copy_text(zarrays *a, Datum d)
{
	MemoryContext old = MemoryContextSwitchTo(a->cxt);
	char	   *s = TextDatumGetCString(d);

	MemoryContextSwitchTo(old);
	return s;
}

static const unsigned char *
copy_wkb(zarrays *a, Datum d, size_t *len)
{
	bytea	   *b = DatumGetByteaPP(d);
	unsigned char *out;

	*len = VARSIZE_ANY_EXHDR(b);
	out = MemoryContextAlloc(a->cxt, *len ? *len : 1);
	memcpy(out, VARDATA_ANY(b), *len);
	return out;
}

static void
zone_row(void *arg, Datum *v, bool *n, int64 row)
{
	zarrays    *a = (zarrays *) arg;
	size_t		i = a->d.nzones;

	if (n[0])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("zones_sql returned a NULL zone_id in row " INT64_FORMAT, row)));
	if (a->cz <= i)
	{
		ZGROW(a, zone_id, a->cz, i);
		ZGROW(a, zone_wkb, a->cz, i);
		ZGROW(a, zone_len, a->cz, i);
		a->cz = a->cz ? 2 * a->cz : 1024;
	}
	a->zone_id[i] = DatumGetInt64(v[0]);
	if (n[1])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("zone " INT64_FORMAT " has a NULL geometry", a->zone_id[i])));
	a->zone_wkb[i] = copy_wkb(a, v[1], &a->zone_len[i]);
	a->d.nzones++;
}

static void
parcel_row(void *arg, Datum *v, bool *n, int64 row)
{
	zarrays    *a = (zarrays *) arg;
	size_t		i = a->d.nparcels;

	if (n[0])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("parcels_sql returned a NULL parcel_id in row " INT64_FORMAT, row)));
	if (a->cp <= i)
	{
		ZGROW(a, parcel_id, a->cp, i);
		ZGROW(a, land_unit_id, a->cp, i);
		ZGROW(a, parcel_wkb, a->cp, i);
		ZGROW(a, parcel_len, a->cp, i);
		a->cp = a->cp ? 2 * a->cp : 1024;
	}
	a->parcel_id[i] = copy_text(a, v[0]);
	if (n[1])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("parcel \"%s\" has a NULL geometry", a->parcel_id[i])));
	a->parcel_wkb[i] = copy_wkb(a, v[1], &a->parcel_len[i]);
	a->land_unit_id[i] = n[2] ? NULL : copy_text(a, v[2]);
	/* v[3], owner_id, is read to check its type but never kept: outputs
	 * never name owners */
	a->d.nparcels++;
}

static void
building_row(void *arg, Datum *v, bool *n, int64 row)
{
	zarrays    *a = (zarrays *) arg;
	size_t		i = a->d.nbuildings;

	if (n[0])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("buildings_sql returned a NULL building_id in row " INT64_FORMAT, row)));
	if (a->cb <= i)
	{
		ZGROW(a, building_id, a->cb, i);
		ZGROW(a, building_wkb, a->cb, i);
		ZGROW(a, building_len, a->cb, i);
		ZGROW(a, levels, a->cb, i);
		ZGROW(a, built_year, a->cb, i);
		a->cb = a->cb ? 2 * a->cb : 1024;
	}
	a->building_id[i] = DatumGetInt64(v[0]);
	if (n[1])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("building " INT64_FORMAT " has a NULL geometry", a->building_id[i])));
	a->building_wkb[i] = copy_wkb(a, v[1], &a->building_len[i]);
	/* NULL levels count as one level (docs/zones.md) */
	a->levels[i] = n[2] ? 1 : DatumGetInt32(v[2]);
	a->built_year[i] = n[3] ? SR_ZONES_NO_YEAR : DatumGetInt32(v[3]);
	a->d.nbuildings++;
}

static int32
date_day(Datum d, const char *what, const char *siret)
{
	DateADT		x = DatumGetDateADT(d);

	if (DATE_NOT_FINITE(x))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("establishment %s has an infinite %s", siret, what)));
	return (int32) x;			/* days since 2000-01-01, as in the core */
}

static void
estab_row(void *arg, Datum *v, bool *n, int64 row)
{
	zarrays    *a = (zarrays *) arg;
	size_t		i = a->d.nestabs;

	if (n[0])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("establishments_sql returned a NULL siret in row " INT64_FORMAT, row)));
	if (a->ce <= i)
	{
		ZGROW(a, siret, a->ce, i);
		ZGROW(a, estab_wkb, a->ce, i);
		ZGROW(a, estab_len, a->ce, i);
		ZGROW(a, naf, a->ce, i);
		ZGROW(a, band, a->ce, i);
		ZGROW(a, start_day, a->ce, i);
		ZGROW(a, end_day, a->ce, i);
		ZGROW(a, cfe, a->ce, i);
		a->ce = a->ce ? 2 * a->ce : 1024;
	}
	a->siret[i] = copy_text(a, v[0]);
	/* a NULL point is a documented skip: counted as "not on a parcel" */
	a->estab_wkb[i] = n[1] ? NULL : copy_wkb(a, v[1], &a->estab_len[i]);
	if (n[1])
		a->estab_len[i] = 0;
	a->naf[i] = n[2] ? NULL : copy_text(a, v[2]);
	a->band[i] = n[3] ? NULL : copy_text(a, v[3]);
	a->start_day[i] = n[4] ? SR_ZONES_NO_DATE : date_day(v[4], "start_date", a->siret[i]);
	a->end_day[i] = n[5] ? SR_ZONES_NO_DATE : date_day(v[5], "end_date", a->siret[i]);
	if (a->start_day[i] != SR_ZONES_NO_DATE && a->start_day[i] > a->today)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("establishment %s has a start_date in the future", a->siret[i]),
						errdetail("An observatory describes establishments that have started; start_date must not be later than today.")));
	a->cfe[i] = n[6] ? false : DatumGetBool(v[6]);
	a->d.nestabs++;
}

static void
finish_arrays(zarrays *a)
{
	a->d.zone_id = a->zone_id;
	a->d.zone_wkb = a->zone_wkb;
	a->d.zone_wkb_len = a->zone_len;
	a->d.parcel_id = a->parcel_id;
	a->d.parcel_wkb = a->parcel_wkb;
	a->d.parcel_wkb_len = a->parcel_len;
	a->d.land_unit_id = a->land_unit_id;
	a->d.building_id = a->building_id;
	a->d.building_wkb = a->building_wkb;
	a->d.building_wkb_len = a->building_len;
	a->d.levels = a->levels;
	a->d.built_year = a->built_year;
	a->d.siret = a->siret;
	a->d.estab_wkb = a->estab_wkb;
	a->d.estab_wkb_len = a->estab_len;
	a->d.naf = a->naf;
	a->d.band = a->band;
	a->d.start_day = a->start_day;
	a->d.end_day = a->end_day;
	a->d.cfe_liable = a->cfe;
}

/* Release GEOS objects if an error or cancel unwinds a build. */
static void
model_reset_callback(void *arg)
{
	sr_zones_model_release_geos((sr_zones_model *) arg);
}

/*
 * Read the inputs (NULL query text = no rows) and build the model in the
 * work context.  The SRID must be a projected metric one.
 */
static void
load_and_build(zarrays *a, sr_zones_model *m, const char *zones_sql,
			   const char *parcels_sql, const char *buildings_sql,
			   const char *establishments_sql)
{
	zgeomfn		gf;
	zcol		zc[] = {{"zone_id", ZT_INT8, true}, {"geom", ZT_GEOM, true}};
	zcol		pc[] = {{"parcel_id", ZT_TEXT, true}, {"geom", ZT_GEOM, true},
	{"land_unit_id", ZT_TEXT, true}, {"owner_id", ZT_TEXT, false}};
	zcol		bc[] = {{"building_id", ZT_INT8, true}, {"geom", ZT_GEOM, true},
	{"levels", ZT_INT4, true}, {"built_year", ZT_INT4, true}};
	zcol		ec[] = {{"siret", ZT_TEXT, true}, {"geom", ZT_GEOM, true},
	{"naf", ZT_TEXT, true}, {"headcount_band", ZT_TEXT, true},
	{"start_date", ZT_DATE, true}, {"end_date", ZT_DATE, true},
	{"cfe_liable", ZT_BOOL, true}};
	MemoryContextCallback *cb;
	sr_err		err;
	sr_status	st;

	memset(&gf, 0, sizeof(gf));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (zones_sql)
		read_query("zones_sql", zones_sql, zc, lengthof(zc), &gf, zone_row, a);
	if (parcels_sql)
		read_query("parcels_sql", parcels_sql, pc, lengthof(pc), &gf, parcel_row, a);
	if (buildings_sql)
		read_query("buildings_sql", buildings_sql, bc, lengthof(bc), &gf, building_row, a);
	if (establishments_sql)
		read_query("establishments_sql", establishments_sql, ec, lengthof(ec), &gf, estab_row, a);
	SPI_finish();
	finish_arrays(a);

	/* the model and the core's temporaries live in the work context */
	{
		MemoryContext old = MemoryContextSwitchTo(a->cxt);

		cb = palloc0(sizeof(MemoryContextCallback));
		cb->func = model_reset_callback;
		cb->arg = m;
		MemoryContextRegisterResetCallback(a->cxt, cb);
		sr_err_clear(&err);
		st = sr_zones_build(&a->d, m, &err);
		MemoryContextSwitchTo(old);
	}
	SR_CHECK_STATUS(st, &err);

	/* a projected metric SRID: areas are m2 */
	if (a->d.nzones > 0 || a->d.nparcels > 0)
	{
		bool		ok = false;

		if (m->srid > 0)
		{
			char		q[256];

			if (SPI_connect() != SPI_OK_CONNECT)
				elog(ERROR, "SPI_connect failed");
			snprintf(q, sizeof(q),
					 "SELECT srtext FROM %s.spatial_ref_sys WHERE srid OPERATOR(pg_catalog.=) %d",
					 quote_identifier(gf.nspname),
					 (int) m->srid);
			if (SPI_execute(q, true, 1) == SPI_OK_SELECT && SPI_processed == 1)
			{
				char	   *srtext = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

				ok = srtext && strncmp(srtext, "PROJCS", 6) == 0 &&
					(strstr(srtext, "UNIT[\"metre\"") != NULL || strstr(srtext, "UNIT[\"meter\"") != NULL);
			}
			SPI_finish();
		}
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s have SRID %d, which is not a projected SRID in metres",
							a->d.nzones > 0 ? "zones" : "parcels", (int) m->srid),
					 errdetail("Areas are computed in the plane of the SRID."),
					 errhint("Transform the inputs, for example with ST_Transform(geom, 2154) in France.")));
	}
}

static void
init_arrays(zarrays *a, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->cxt = AllocSetContextCreate(CurrentMemoryContext, "zones work", ALLOCSET_DEFAULT_SIZES);
	(void) name;
	a->today = (int32) GetSQLCurrentDate();
}

static char *
text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

static void
require_arg(FunctionCallInfo fcinfo, int n, const char *name)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("parameter \"%s\" cannot be NULL", name)));
}

/* at date -> (at_day, ref_day = 1 January of its year) */
static void
reference_dates(FunctionCallInfo fcinfo, int n, int32 today, int32 *at_day, int32 *ref_day)
{
	DateADT		at;
	int			y,
				mo,
				d;

	require_arg(fcinfo, n, "at");
	at = PG_GETARG_DATEADT(n);
	if (DATE_NOT_FINITE(at))
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("parameter \"at\" cannot be infinite")));
	if (at > today)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("parameter \"at\" cannot be later than today"),
						errdetail("Indicators describe observed establishments, up to the current date.")));
	sr_zones_civil_from_days(at, &y, &mo, &d);
	if (y < 1900)
		ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						errmsg("parameter \"at\" must be in 1900 or later")));
	*at_day = at;
	*ref_day = sr_zones_days_from_civil(y, 1, 1);
}

/* ---- options jsonb ----------------------------------------------------------- */

typedef struct zoptions
{
	bool		published;
	bool		fiscal;
	bool		cfe_only;		/* vacancy_rule = 'cfe_only' */
	sr_secrecy_rules rules;
} zoptions;

static double
jsonb_number(JsonbValue *v, const char *key, double lo, double hi)
{
	double		x;

	if (v->type != jbvNumeric)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("rule \"%s\" must be a number", key)));
	x = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
	if (!(x >= lo && x <= hi))
		ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						errmsg("rule \"%s\" is %g, out of range", key, x),
						errdetail("Accepted range is [%g, %g].", lo, hi)));
	return x;
}

/* Parse secrecy rules {"min_units":3,"dominance":0.85,"fiscal_min_units":11}. */
static void
parse_rules(JsonbContainer *jc, sr_secrecy_rules *r)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	sr_secrecy_default_rules(r);
	if (!JsonContainerIsObject(jc))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("secrecy rules must be a jsonb object")));
	it = JsonbIteratorInit(jc);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		if (strcmp(key, "min_units") == 0)
			r->min_units = jsonb_number(&v, key, 1, 1000);
		else if (strcmp(key, "dominance") == 0)
			r->dominance = jsonb_number(&v, key, 0.5, 1);
		else if (strcmp(key, "fiscal_min_units") == 0)
			r->fiscal_min_units = jsonb_number(&v, key, 1, 1000);
		else
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("unknown secrecy rule \"%s\"", key),
							errdetail("Rules are min_units, dominance and fiscal_min_units.")));
	}
}

static bool
opt_bool(JsonbValue *v, const char *key)
{
	if (v->type != jbvBool)
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("option \"%s\" must be true or false", key)));
	return v->val.boolean;
}

/* 'statutory' (default) or 'cfe_only' -> cfe_only flag */
static bool
parse_vacancy_rule(const char *rule)
{
	if (strcmp(rule, "statutory") == 0)
		return false;
	if (strcmp(rule, "cfe_only") == 0)
		return true;
	ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					errmsg("unknown vacancy rule \"%s\"", rule),
					errdetail("Vacancy rules are statutory (no activity at all in the two years) and cfe_only (no CFE-liable activity).")));
	return false;				/* keep compiler quiet */
}

static void
parse_options(Jsonb *jb, zoptions *o)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	o->published = false;
	o->fiscal = false;
	o->cfe_only = false;
	sr_secrecy_default_rules(&o->rules);
	if (jb == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						errmsg("parameter \"options\" must be a jsonb object")));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;

		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		tok = JsonbIteratorNext(&it, &v, true);
		if (strcmp(key, "published") == 0)
			o->published = opt_bool(&v, key);
		else if (strcmp(key, "fiscal") == 0)
			o->fiscal = opt_bool(&v, key);
		else if (strcmp(key, "vacancy_rule") == 0)
		{
			char	   *rule;

			if (v.type != jbvString)
				ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								errmsg("option \"vacancy_rule\" must be a string")));
			rule = pnstrdup(v.val.string.val, v.val.string.len);
			o->cfe_only = parse_vacancy_rule(rule);
		}
		else if (strcmp(key, "rules") == 0)
		{
			if (v.type != jbvBinary)
				ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
								errmsg("option \"rules\" must be a jsonb object")));
			parse_rules(v.val.binary.data, &o->rules);
		}
		else
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("unknown option \"%s\"", key),
							errdetail("Options are published, fiscal, rules and vacancy_rule.")));
	}
}

static Datum
float_or_null(double x, bool *isnull)
{
	*isnull = isnan(x);
	return Float8GetDatum(isnan(x) ? 0.0 : x);
}

/* ---- zone_indicators --------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_zone_indicators);
/* smartregion.zone_indicators(zones_sql, parcels_sql, buildings_sql,
 * establishments_sql, at, options): one row per zone. */
Datum
sr_zone_indicators(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	zarrays		a;
	sr_zones_model *m;
	sr_zone_ind *out;
	zoptions	opt;
	int32		at_day,
				ref_day;
	sr_err		err;
	sr_status	st;
	size_t		i;
	int			R,
				C = SR_ZONES_NSECTIONS,
				C1 = SR_ZONES_NSECTIONS + 1;
	uint8	   *status = NULL;

	require_arg(fcinfo, 0, "zones_sql");
	require_arg(fcinfo, 1, "parcels_sql");
	init_arrays(&a, "zone_indicators");
	reference_dates(fcinfo, 4, a.today, &at_day, &ref_day);
	parse_options(PG_ARGISNULL(5) ? NULL : PG_GETARG_JSONB_P(5), &opt);
	InitMaterializedSRF(fcinfo, 0);

	m = MemoryContextAllocZero(a.cxt, sizeof(sr_zones_model));
	load_and_build(&a, m, text_arg(fcinfo, 0), text_arg(fcinfo, 1),
				   text_arg(fcinfo, 2), text_arg(fcinfo, 3));
	out = MemoryContextAllocHuge(a.cxt, (m->nzones ? m->nzones : 1) * sizeof(sr_zone_ind));
	{
		MemoryContext old = MemoryContextSwitchTo(a.cxt);

		st = sr_zones_indicators(&a.d, m, at_day, ref_day, opt.cfe_only, out, &err);
		MemoryContextSwitchTo(old);
	}
	SR_CHECK_STATUS(st, &err);

	/* published view: zone x NAF section table through statistical secrecy */
	R = (int) m->nzones;
	if (opt.published && R > 0)
	{
		int			ncell = (R + 1) * C1,
					r,
					c;
		double	   *n = palloc0(sizeof(double) * ncell),
				   *v = palloc0(sizeof(double) * ncell),
				   *mx = palloc0(sizeof(double) * ncell);
		bool	   *fis = palloc0(sizeof(bool) * ncell);
		uint8	   *reason = palloc(ncell);

		status = palloc(ncell);
		for (r = 0; r < R; r++)
			for (c = 0; c < C; c++)
			{
				n[r * C1 + c] = (double) out[r].sector_n[c];
				v[r * C1 + c] = out[r].sector_jobs[c];
				mx[r * C1 + c] = out[r].sector_max_jobs[c];
				fis[r * C1 + c] = opt.fiscal;
			}
		sr_secrecy_fill_margins(R, C, n, v, mx, fis);
		st = sr_secrecy_protect(R, C, n, v, mx, fis, &opt.rules, status, reason, &err);
		SR_CHECK_STATUS(st, &err);
	}

	for (i = 0; i < m->nzones; i++)
	{
		sr_zone_ind *o = &out[i];
		Datum		values[20];
		bool		nulls[20];
		StringInfoData mix;
		bool		first = true,
					row_secret = false,
					total_secret = false;
		int			c;

		memset(nulls, 0, sizeof(nulls));
		if (status)
		{
			total_secret = status[i * C1 + C] != SR_SECRET_PUBLISHED;
			for (c = 0; c < C; c++)
				if (status[i * C1 + c] != SR_SECRET_PUBLISHED)
					row_secret = true;
		}
		initStringInfo(&mix);
		appendStringInfoChar(&mix, '{');
		for (c = 0; c < C; c++)
		{
			if (o->sector_n[c] == 0)
				continue;
			appendStringInfo(&mix, "%s\"%c\": ", first ? "" : ", ", sr_zones_section_letter(c));
			if (status && status[i * C1 + c] != SR_SECRET_PUBLISHED)
				appendStringInfoString(&mix, "null");
			else
				appendStringInfo(&mix, INT64_FORMAT, o->sector_n[c]);
			first = false;
		}
		appendStringInfoChar(&mix, '}');

		values[0] = Int64GetDatum(o->zone_id);
		values[1] = Float8GetDatum(o->area_ha);
		values[2] = Float8GetDatum(o->parcel_area_m2 / 1e4);
		values[3] = Int64GetDatum(o->land_units);
		values[4] = Int64GetDatum(o->vacant_land_units);
		values[5] = float_or_null(o->vacancy_rate, &nulls[5]);
		values[6] = Int64GetDatum(o->built_land_units);
		values[7] = Float8GetDatum(o->built_m2);
		values[8] = float_or_null(o->footprint_ratio, &nulls[8]);
		values[9] = float_or_null(o->floor_area_ratio, &nulls[9]);
		values[10] = Int64GetDatum(o->establishments);
		nulls[10] = total_secret;
		values[11] = Float8GetDatum(o->jobs_estimate);
		nulls[11] = total_secret;
		values[12] = float_or_null(o->jobs_per_ha, &nulls[12]);
		nulls[12] = nulls[12] || total_secret;
		values[13] = Float8GetDatum(o->available_land_ha);
		values[14] = DirectFunctionCall1(jsonb_in, CStringGetDatum(mix.data));
		values[15] = float_or_null(o->sector_diversity, &nulls[15]);
		nulls[15] = nulls[15] || row_secret || total_secret;
		values[16] = Int64GetDatum(m->parcels_outside);
		values[17] = Int64GetDatum(m->estabs_off_parcel);
		values[18] = Int64GetDatum(m->buildings_off_parcel);
		values[19] = BoolGetDatum(status != NULL);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sr_zones_model_free(m);
	MemoryContextDelete(a.cxt);
	return (Datum) 0;
}

/* ---- land_unit_vacancy --------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_land_unit_vacancy);
/* smartregion.land_unit_vacancy(zones_sql, parcels_sql, establishments_sql,
 * at, vacancy_rule): the vacancy test of every land unit on 1 January. */
Datum
sr_land_unit_vacancy(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	zarrays		a;
	sr_zones_model *m;
	sr_unit_vacancy *vac;
	int32		at_day,
				ref_day;
	sr_err		err;
	sr_status	st;
	size_t		u;
	int64	   *zone_of_unit_id;
	bool		cfe_only;

	require_arg(fcinfo, 1, "parcels_sql");
	require_arg(fcinfo, 4, "vacancy_rule");
	cfe_only = parse_vacancy_rule(text_to_cstring(PG_GETARG_TEXT_PP(4)));
	init_arrays(&a, "land_unit_vacancy");
	reference_dates(fcinfo, 3, a.today, &at_day, &ref_day);
	InitMaterializedSRF(fcinfo, 0);
	m = MemoryContextAllocZero(a.cxt, sizeof(sr_zones_model));
	load_and_build(&a, m, text_arg(fcinfo, 0), text_arg(fcinfo, 1), NULL,
				   text_arg(fcinfo, 2));
	vac = MemoryContextAllocHuge(a.cxt, (m->nunits ? m->nunits : 1) * sizeof(sr_unit_vacancy));
	{
		MemoryContext old = MemoryContextSwitchTo(a.cxt);

		st = sr_zones_vacancy(&a.d, m, ref_day, cfe_only, vac, &err);
		MemoryContextSwitchTo(old);
	}
	SR_CHECK_STATUS(st, &err);
	zone_of_unit_id = palloc(sizeof(int64) * (m->nunits ? m->nunits : 1));
	for (u = 0; u < m->nunits; u++)
		zone_of_unit_id[u] = m->unit_zone[u] >= 0 ? a.d.zone_id[m->unit_zone[u]] : 0;
	for (u = 0; u < m->nunits; u++)
	{
		Datum		values[10];
		bool		nulls[10];

		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(m->unit_key[u]);
		values[1] = Int64GetDatum(zone_of_unit_id[u]);
		nulls[1] = m->unit_zone[u] < 0;
		values[2] = Int32GetDatum(m->unit_nparcels[u]);
		values[3] = Float8GetDatum(m->unit_area[u]);
		values[4] = Int32GetDatum(vac[u].establishments_ever);
		values[5] = BoolGetDatum(vac[u].vacant);
		values[6] = CStringGetTextDatum(sr_zones_vacancy_reason_name(vac[u].reason));
		values[7] = DateADTGetDatum(vac[u].last_activity_end);
		nulls[7] = vac[u].last_activity_end == SR_ZONES_NO_DATE;
		values[8] = DateADTGetDatum(vac[u].last_cfe_end);
		nulls[8] = vac[u].last_cfe_end == SR_ZONES_NO_DATE;
		values[9] = DateADTGetDatum(ref_day);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sr_zones_model_free(m);
	MemoryContextDelete(a.cxt);
	return (Datum) 0;
}

/* ---- land_consumption ---------------------------------------------------------- */

#define ZAN_BASE_FROM 2011
#define ZAN_BASE_TO 2020		/* 2011-01-01 .. 2020-12-31 */
#define ZAN_NEXT_FROM 2021
#define ZAN_NEXT_TO 2030		/* 2021-01-01 .. 2030-12-31 */

PG_FUNCTION_INFO_V1(sr_land_consumption);
/* smartregion.land_consumption(zones_sql, parcels_sql, buildings_sql,
 * from_year, to_year): land first built per zone and year, the 2011-2020
 * baseline and the ZAN allowance for 2021-2030 (half the baseline). */
Datum
sr_land_consumption(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	zarrays		a;
	sr_zones_model *m;
	int32	   *first;
	int32		from_year,
				to_year;
	sr_err		err;
	sr_status	st;
	size_t		i,
				u;
	int			nyears;
	double	   *base;
	int64	   *count;
	int32	   *slot;

	require_arg(fcinfo, 0, "zones_sql");
	require_arg(fcinfo, 1, "parcels_sql");
	require_arg(fcinfo, 2, "buildings_sql");
	require_arg(fcinfo, 3, "from_year");
	require_arg(fcinfo, 4, "to_year");
	from_year = PG_GETARG_INT32(3);
	to_year = PG_GETARG_INT32(4);
	if (from_year < 1800 || from_year > 2200)
		ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						errmsg("parameter \"from_year\" is %d, out of range", from_year),
						errdetail("Accepted range is [1800, 2200].")));
	if (to_year < from_year || to_year - from_year > 400)
		ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						errmsg("parameter \"to_year\" is %d, out of range", to_year),
						errdetail("to_year must be between from_year (%d) and from_year + 400.", from_year)));
	nyears = to_year - from_year + 1;
	init_arrays(&a, "land_consumption");
	InitMaterializedSRF(fcinfo, 0);
	m = MemoryContextAllocZero(a.cxt, sizeof(sr_zones_model));
	load_and_build(&a, m, text_arg(fcinfo, 0), text_arg(fcinfo, 1), text_arg(fcinfo, 2), NULL);
	first = MemoryContextAllocHuge(a.cxt, (m->nunits ? m->nunits : 1) * sizeof(int32));
	st = sr_zones_unit_first_built(&a.d, m, first, &err);
	SR_CHECK_STATUS(st, &err);

	/* per zone: consumption by first-built year within [from, to], and the
	 * ZAN baseline; rows come in zone_id order */
	slot = palloc(sizeof(int32) * (m->nzones ? m->nzones : 1));
	for (i = 0; i < m->nzones; i++)
		slot[m->zone_order[i]] = (int32) i;
	count = MemoryContextAllocZero(a.cxt, sizeof(int64) * (m->nzones ? m->nzones : 1) * nyears);
	base = MemoryContextAllocZero(a.cxt, sizeof(double) * (m->nzones ? m->nzones : 1));
	{
		/* cumulated since 2021 is computed over years 2021..max(to, 2030) */
		int			span_from = Min(from_year, ZAN_NEXT_FROM);
		int			span_to = Max(to_year, ZAN_NEXT_TO);
		int			span = span_to - span_from + 1;
		double	   *byyear = MemoryContextAllocZero(a.cxt, sizeof(double) * (m->nzones ? m->nzones : 1) * span);

		for (u = 0; u < m->nunits; u++)
		{
			int32		z = m->unit_zone[u],
						y = first[u];

			if (z < 0 || y == SR_ZONES_NO_YEAR)
				continue;
			if (y >= ZAN_BASE_FROM && y <= ZAN_BASE_TO)
				base[slot[z]] += m->unit_area[u] / 1e4;
			if (y >= span_from && y <= span_to)
				byyear[(size_t) slot[z] * span + (y - span_from)] += m->unit_area[u] / 1e4;
			if (y >= from_year && y <= to_year)
				count[(size_t) slot[z] * nyears + (y - from_year)]++;
		}
		for (i = 0; i < m->nzones; i++)
		{
			int			y;
			double		since = 0.0;

			for (y = span_from; y <= span_to; y++)
			{
				double		c = byyear[i * span + (y - span_from)];
				Datum		values[9];
				bool		nulls[9];

				if (y >= ZAN_NEXT_FROM)
					since += c;
				if (y < from_year || y > to_year)
					continue;
				memset(nulls, 0, sizeof(nulls));
				values[0] = Int64GetDatum(a.d.zone_id[m->zone_order[i]]);
				values[1] = Int32GetDatum(y);
				values[2] = Int64GetDatum(count[i * nyears + (y - from_year)]);
				values[3] = Float8GetDatum(c);
				values[4] = Float8GetDatum(base[i]);
				values[5] = Float8GetDatum(base[i] / 2.0);
				values[6] = Float8GetDatum(since);
				values[7] = Float8GetDatum(base[i] / 2.0 - since);
				values[8] = BoolGetDatum(base[i] / 2.0 - since >= 0.0);
				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			}
		}
	}
	sr_zones_model_free(m);
	MemoryContextDelete(a.cxt);
	return (Datum) 0;
}

/* ---- statistical_secrecy --------------------------------------------------------- */

typedef struct zcells
{
	MemoryContext cxt;
	size_t		n,
				cap;
	char	  **row_key;
	char	  **col_key;
	double	   *units;
	double	   *value;
	double	   *max_value;
	bool	   *fiscal;
	bool		has_max;
} zcells;

static void
cell_row(void *arg, Datum *v, bool *n, int64 row)
{
	zcells	   *c = (zcells *) arg;
	MemoryContext old;

	if (n[0] || n[1])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("cells_sql returned a NULL %s in row " INT64_FORMAT,
							   n[0] ? "row_key" : "col_key", row)));
	if (n[2] || n[3])
		ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						errmsg("cells_sql returned a NULL %s in row " INT64_FORMAT,
							   n[2] ? "n" : "value", row)));
	old = MemoryContextSwitchTo(c->cxt);
	if (c->n >= c->cap)
	{
		c->cap = c->cap ? 2 * c->cap : 256;
		c->row_key = c->row_key ? repalloc(c->row_key, c->cap * sizeof(char *)) : palloc(c->cap * sizeof(char *));
		c->col_key = c->col_key ? repalloc(c->col_key, c->cap * sizeof(char *)) : palloc(c->cap * sizeof(char *));
		c->units = c->units ? repalloc(c->units, c->cap * sizeof(double)) : palloc(c->cap * sizeof(double));
		c->value = c->value ? repalloc(c->value, c->cap * sizeof(double)) : palloc(c->cap * sizeof(double));
		c->max_value = c->max_value ? repalloc(c->max_value, c->cap * sizeof(double)) : palloc(c->cap * sizeof(double));
		c->fiscal = c->fiscal ? repalloc(c->fiscal, c->cap * sizeof(bool)) : palloc(c->cap * sizeof(bool));
	}
	c->row_key[c->n] = TextDatumGetCString(v[0]);
	c->col_key[c->n] = TextDatumGetCString(v[1]);
	MemoryContextSwitchTo(old);
	c->units[c->n] = (double) DatumGetInt64(v[2]);
	c->value[c->n] = DatumGetFloat8(v[3]);
	if (c->units[c->n] < 0 || !isfinite(c->value[c->n]) || c->value[c->n] < 0)
		ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
						errmsg("cell (\"%s\", \"%s\") has a negative or non-finite n or value",
							   c->row_key[c->n], c->col_key[c->n])));
	c->max_value[c->n] = n[4] ? 0.0 : DatumGetFloat8(v[4]);
	if (!n[4])
		c->has_max = true;
	c->fiscal[c->n] = n[5] ? false : DatumGetBool(v[5]);
	c->n++;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Sorted distinct keys. */
static int
distinct_keys(char **keys, size_t n, char ***out)
{
	char	  **s = palloc(sizeof(char *) * (n ? n : 1));
	size_t		i;
	int			k = 0;

	memcpy(s, keys, sizeof(char *) * n);
	qsort(s, n, sizeof(char *), cmp_cstr);
	for (i = 0; i < n; i++)
		if (k == 0 || strcmp(s[k - 1], s[i]) != 0)
			s[k++] = s[i];
	*out = s;
	return k;
}

static int
key_index(char **keys, int n, const char *k)
{
	char	  **p = bsearch(&k, keys, n, sizeof(char *), cmp_cstr);

	return p ? (int) (p - keys) : -1;
}

PG_FUNCTION_INFO_V1(sr_statistical_secrecy);
/* smartregion.statistical_secrecy(cells_sql, rules): primary and secondary
 * suppression of a two-dimensional table with its margins. */
Datum
sr_statistical_secrecy(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	zcol		cc[] = {{"row_key", ZT_TEXT, true}, {"col_key", ZT_TEXT, true},
	{"n", ZT_INT8, true}, {"value", ZT_FLOAT8, true},
	{"max_value", ZT_FLOAT8, false}, {"fiscal", ZT_BOOL, false}};
	zcells		c;
	zgeomfn		gf;
	sr_secrecy_rules rules;
	char	  **rk,
			  **ck;
	int			R,
				C,
				C1,
				ncell,
				r,
				k;
	size_t		i;
	double	   *n,
			   *v,
			   *mx;
	bool	   *fis,
			   *present;
	uint8	   *status,
			   *reason;
	sr_err		err;
	sr_status	st;

	require_arg(fcinfo, 0, "cells_sql");
	if (PG_ARGISNULL(1))
		sr_secrecy_default_rules(&rules);
	else
	{
		Jsonb	   *jb = PG_GETARG_JSONB_P(1);

		if (!JB_ROOT_IS_OBJECT(jb))
			ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							errmsg("parameter \"rules\" must be a jsonb object")));
		parse_rules(&jb->root, &rules);
	}
	InitMaterializedSRF(fcinfo, 0);
	memset(&c, 0, sizeof(c));
	memset(&gf, 0, sizeof(gf));
	c.cxt = CurrentMemoryContext;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	read_query("cells_sql", text_arg(fcinfo, 0), cc, lengthof(cc), &gf, cell_row, &c);
	SPI_finish();
	if (c.n == 0)
		return (Datum) 0;

	R = distinct_keys(c.row_key, c.n, &rk);
	C = distinct_keys(c.col_key, c.n, &ck);
	if ((double) (R + 1) * (double) (C + 1) > 5.0e7)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("secrecy table of %d rows and %d columns is too large", R, C)));
	C1 = C + 1;
	ncell = (R + 1) * C1;
	n = palloc0_array(double, ncell);
	v = palloc0_array(double, ncell);
	mx = palloc0_array(double, ncell);
	fis = palloc0_array(bool, ncell);
	present = palloc0_array(bool, ncell);
	status = palloc(ncell);
	reason = palloc(ncell);
	for (i = 0; i < c.n; i++)
	{
		int			cell = key_index(rk, R, c.row_key[i]) * C1 + key_index(ck, C, c.col_key[i]);

		if (present[cell])
			ereport(ERROR, (errcode(ERRCODE_UNIQUE_VIOLATION),
							errmsg("cell (\"%s\", \"%s\") appears more than once in cells_sql",
								   c.row_key[i], c.col_key[i])));
		present[cell] = true;
		n[cell] = c.units[i];
		v[cell] = c.value[i];
		/* without max_value, the dominance rule cannot apply */
		mx[cell] = c.has_max ? c.max_value[i] : 0.0;
		fis[cell] = c.fiscal[i];
		if (c.max_value[i] > c.value[i] * (1 + 1e-12) + 1e-12)
			ereport(ERROR, (errcode(ERRCODE_DATA_EXCEPTION),
							errmsg("cell (\"%s\", \"%s\") has a max_value larger than its value",
								   c.row_key[i], c.col_key[i])));
	}
	sr_secrecy_fill_margins(R, C, n, v, mx, fis);
	st = sr_secrecy_protect(R, C, n, v, mx, fis, &rules, status, reason, &err);
	SR_CHECK_STATUS(st, &err);

	for (r = 0; r <= R; r++)
		for (k = 0; k <= C; k++)
		{
			int			cell = r * C1 + k;
			Datum		values[6];
			bool		nulls[6];
			bool		secret = status[cell] != SR_SECRET_PUBLISHED;
			StringInfoData why;

			/* interior cells absent from the input are zeros: not listed */
			if (r < R && k < C && !present[cell])
				continue;
			memset(nulls, 0, sizeof(nulls));
			values[0] = r < R ? CStringGetTextDatum(rk[r]) : (Datum) 0;
			nulls[0] = r == R;
			values[1] = k < C ? CStringGetTextDatum(ck[k]) : (Datum) 0;
			nulls[1] = k == C;
			values[2] = Int64GetDatum((int64) n[cell]);
			nulls[2] = secret;
			values[3] = Float8GetDatum(v[cell]);
			nulls[3] = secret;
			values[4] = CStringGetTextDatum(status[cell] == SR_SECRET_PRIMARY ? "primary" :
											status[cell] == SR_SECRET_SECONDARY ? "secondary" : "published");
			initStringInfo(&why);
			if (reason[cell] & SR_SECRET_R_MIN_UNITS)
				appendStringInfoString(&why, "min_units");
			if (reason[cell] & SR_SECRET_R_DOMINANCE)
				appendStringInfo(&why, "%sdominance", why.len ? "," : "");
			if (reason[cell] & SR_SECRET_R_FISCAL)
				appendStringInfo(&why, "%sfiscal_min_units", why.len ? "," : "");
			if (status[cell] == SR_SECRET_SECONDARY)
				appendStringInfoString(&why, "secondary");
			values[5] = CStringGetTextDatum(why.data);
			nulls[5] = why.len == 0;
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	return (Datum) 0;
}
