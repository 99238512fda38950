/*
 * matching.c — fmgr glue of the tiers-lieux matching service:
 * match_score, match_explain, match_candidates, match_assign.
 *
 * jsonb objects (and rows of any query, turned into jsonb with to_jsonb)
 * are walked once into the core's flat records; plugin criteria registered
 * in smartregion.match_criterion are called through the function manager.
 */
#include "sr_pg.h"

#include <ctype.h>
#include <math.h>
#include <unistd.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "optimizer/cost.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/tuplestore.h"

#include "sr_matching.h"

PG_FUNCTION_INFO_V1(sr_fn_match_score);
PG_FUNCTION_INFO_V1(sr_fn_match_explain);
PG_FUNCTION_INFO_V1(sr_fn_match_candidates);
PG_FUNCTION_INFO_V1(sr_fn_match_assign);

/* ------------------------------------------------------------------ */
/* jsonb -> core records                                              */
/* ------------------------------------------------------------------ */

static const char *
side_word(sr_match_side side)
{
	return side == SR_MATCH_PROJECT ? "project" : "premise";
}

/* Raise a core error about a record, adding the record id when known. */
static void
raise_record(sr_err *err, sr_match_side side, bool has_id, int64 id)
{
	if (has_id && err->detail[0] == '\0')
		snprintf(err->detail, sizeof(err->detail), "The %s has id %lld.",
				 side_word(side), (long long) id);
	sr_raise(err);
}

static double
numeric_to_double(Numeric n)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(n)));
}

static void
bad_shape(sr_match_side side, const char *key, const char *what, bool has_id, int64 id)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s field \"%s\" must be %s", side_word(side), key, what),
			 has_id ? errdetail("The %s has id %lld.", side_word(side), (long long) id) : 0));
}

/* "location": a GeoJSON point {"type": "Point", "coordinates": [lon, lat]} */
static void
parse_location(JsonbValue *v, sr_match_side side, void *rec, bool has_id, int64 id)
{
	JsonbValue *coords;
	JsonbValue *x,
			   *y;
	sr_err		err;

	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		bad_shape(side, "location", "a GeoJSON point (WGS84 longitude, latitude)", has_id, id);
	coords = getKeyJsonValueFromContainer(v->val.binary.data, "coordinates", 11, NULL);
	if (!coords || coords->type != jbvBinary || !JsonContainerIsArray(coords->val.binary.data) ||
		JsonContainerSize(coords->val.binary.data) < 2)
		bad_shape(side, "location", "a GeoJSON point (WGS84 longitude, latitude)", has_id, id);
	x = getIthJsonbValueFromContainer(coords->val.binary.data, 0);
	y = getIthJsonbValueFromContainer(coords->val.binary.data, 1);
	if (!x || !y || x->type != jbvNumeric || y->type != jbvNumeric)
		bad_shape(side, "location", "a GeoJSON point with numeric coordinates", has_id, id);
	sr_err_clear(&err);
	if (sr_match_set_number(side, rec, "lon", numeric_to_double(x->val.numeric), &err) != SR_OK ||
		sr_match_set_number(side, rec, "lat", numeric_to_double(y->val.numeric), &err) != SR_OK)
	{
		sr_error_hint(&err, "A location is a WGS84 point (SRID 4326): use ST_Transform(geom, 4326).");
		raise_record(&err, side, has_id, id);
	}
}

/* "hours": {"mon": "09:00-18:00", "tue": ["08:00-12:00", [840, 1080]], ...} */
static void
parse_hours(JsonbValue *v, sr_match_side side, void *rec, bool has_id, int64 id)
{
	JsonbIterator *it;
	JsonbValue	k,
				d;
	JsonbIteratorToken tok;
	sr_err		err;
	char		day[16];
	int			daylen = 0;

	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		bad_shape(side, "hours", "an object of weekdays (\"mon\"..\"sun\")", has_id, id);
	sr_err_clear(&err);
	sr_match_touch_hours(side, rec);
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			daylen = k.val.string.len < 15 ? k.val.string.len : 15;
			memcpy(day, k.val.string.val, daylen);
			day[daylen] = '\0';
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		d = k;
		if (d.type == jbvNull)
			continue;
		if (d.type == jbvString)
		{
			if (sr_match_set_hours_text(side, rec, day, daylen, d.val.string.val,
										d.val.string.len, &err) != SR_OK)
				raise_record(&err, side, has_id, id);
		}
		else if (d.type == jbvBinary && JsonContainerIsArray(d.val.binary.data))
		{
			JsonbIterator *it2 = JsonbIteratorInit(d.val.binary.data);
			JsonbValue	e;
			JsonbIteratorToken t2;

			while ((t2 = JsonbIteratorNext(&it2, &e, true)) != WJB_DONE)
			{
				if (t2 != WJB_ELEM)
					continue;
				if (e.type == jbvString)
				{
					if (sr_match_set_hours_text(side, rec, day, daylen, e.val.string.val,
												e.val.string.len, &err) != SR_OK)
						raise_record(&err, side, has_id, id);
				}
				else if (e.type == jbvBinary && JsonContainerIsArray(e.val.binary.data) &&
						 JsonContainerSize(e.val.binary.data) == 2)
				{
					JsonbValue *a = getIthJsonbValueFromContainer(e.val.binary.data, 0);
					JsonbValue *b = getIthJsonbValueFromContainer(e.val.binary.data, 1);

					if (!a || !b || a->type != jbvNumeric || b->type != jbvNumeric)
						bad_shape(side, "hours", "ranges \"HH:MM-HH:MM\" or [start_minute, end_minute]", has_id, id);
					if (sr_match_add_hours_range(side, rec, day, daylen,
												 numeric_to_double(a->val.numeric),
												 numeric_to_double(b->val.numeric), &err) != SR_OK)
						raise_record(&err, side, has_id, id);
				}
				else
					bad_shape(side, "hours", "ranges \"HH:MM-HH:MM\" or [start_minute, end_minute]", has_id, id);
			}
		}
		else
			bad_shape(side, "hours", "an object of weekdays with text or array values", has_id, id);
	}
}

/*
 * Fills rec from a jsonb object.  Keys that are not fields are ignored (so
 * rows of wider tables can be used as they are); a known field with a bad
 * value raises an error naming the field and the record id.  Returns true
 * when the object has an "id".
 */
static bool
parse_record(Jsonb *jb, sr_match_side side, void *rec)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char		key[64];
	bool		has_id = false;
	int64		id = 0;
	sr_err		err;

	if (side == SR_MATCH_PROJECT)
		sr_match_project_init(rec);
	else
		sr_match_premise_init(rec);
	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a jsonb object", side_word(side))));
	sr_err_clear(&err);
	it = JsonbIteratorInit(&jb->root);
	key[0] = '\0';
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		sr_status	st = SR_OK;

		if (tok == WJB_KEY)
		{
			int			n = v.val.string.len < 63 ? v.val.string.len : 63;

			memcpy(key, v.val.string.val, n);
			key[n] = '\0';
			if (v.val.string.len > 63)
				key[0] = '\0';	/* too long to be a field: ignored */
			continue;
		}
		if (tok != WJB_VALUE || key[0] == '\0' || v.type == jbvNull)
			continue;
		if (strcmp(key, "location") == 0)
		{
			parse_location(&v, side, rec, has_id, id);
			continue;
		}
		if (strcmp(key, "hours") == 0)
		{
			parse_hours(&v, side, rec, has_id, id);
			continue;
		}
		switch (v.type)
		{
			case jbvNumeric:
				st = sr_match_set_number(side, rec, key, numeric_to_double(v.val.numeric), &err);
				if (st == SR_OK && strcmp(key, "id") == 0)
				{
					/* exact bigint, not through a double */
					id = DatumGetInt64(DirectFunctionCall1(numeric_int8,
														   NumericGetDatum(v.val.numeric)));
					has_id = true;
					if (side == SR_MATCH_PROJECT)
						((sr_match_project *) rec)->id = id;
					else
						((sr_match_premise *) rec)->id = id;
				}
				break;
			case jbvString:
				st = sr_match_set_text(side, rec, key, v.val.string.val, v.val.string.len, &err);
				break;
			case jbvBool:
				st = sr_match_set_bool(side, rec, key, v.val.boolean, &err);
				break;
			case jbvBinary:
				st = sr_match_touch_list(side, rec, key, &err);
				if (st == SR_OK)
				{
					JsonbIterator *it2;
					JsonbValue	e;
					JsonbIteratorToken t2;

					if (!JsonContainerIsArray(v.val.binary.data))
						bad_shape(side, key, "an array of text", has_id, id);
					it2 = JsonbIteratorInit(v.val.binary.data);
					while ((t2 = JsonbIteratorNext(&it2, &e, true)) != WJB_DONE)
					{
						if (t2 != WJB_ELEM)
							continue;
						if (e.type != jbvString)
							bad_shape(side, key, "an array of text", has_id, id);
						st = sr_match_add_item(side, rec, key, e.val.string.val,
											   e.val.string.len, &err);
						if (st != SR_OK)
							break;
					}
				}
				break;
			default:
				break;
		}
		if (st != SR_OK && st != SR_ENOTFOUND)
			raise_record(&err, side, has_id, id);
	}
	if (side == SR_MATCH_PROJECT ? sr_match_project_check(rec, &err) != SR_OK
		: sr_match_premise_check(rec, &err) != SR_OK)
		sr_raise(&err);
	return has_id;
}

/* ------------------------------------------------------------------ */
/* plugin criteria and weights                                        */
/* ------------------------------------------------------------------ */

typedef struct plugin
{
	char	   *name;
	Oid			fn;
	double		weight;
	bool		hard;
	FmgrInfo	flinfo;
} plugin;

typedef struct plugins
{
	int			n;
	plugin	   *p;
	sr_match_extra *extra;		/* scratch, one per plugin */
} plugins;

/* Schema of the extension (the schema of the C function being called). */
static char *
ext_schema(FunctionCallInfo fcinfo)
{
	return get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
}

/*
 * Reads smartregion.match_criterion into mcxt.  Each function must take
 * (jsonb, jsonb) and return double precision.
 */
static plugins *
load_plugins(FunctionCallInfo fcinfo, MemoryContext mcxt)
{
	plugins    *pl;
	StringInfoData q;
	MemoryContext old;
	bool		connected = false;

	old = MemoryContextSwitchTo(mcxt);
	pl = palloc0(sizeof(plugins));
	MemoryContextSwitchTo(old);

	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT name, function::pg_catalog.oid, weight, hard FROM %s.match_criterion ORDER BY name",
					 quote_identifier(ext_schema(fcinfo)));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	connected = true;
	if (SPI_execute(q.data, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read match_criterion");
	old = MemoryContextSwitchTo(mcxt);
	pl->n = (int) SPI_processed;
	pl->p = palloc0(sizeof(plugin) * (pl->n + 1));
	pl->extra = palloc0(sizeof(sr_match_extra) * (pl->n + 1));
	for (int i = 0; i < pl->n; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	td = SPI_tuptable->tupdesc;
		bool		isnull;
		Oid		   *argtypes;
		int			nargs;
		Oid			rettype;
		plugin	   *p = &pl->p[i];

		p->name = SPI_getvalue(t, td, 1);
		p->fn = DatumGetObjectId(SPI_getbinval(t, td, 2, &isnull));
		p->weight = DatumGetFloat8(SPI_getbinval(t, td, 3, &isnull));
		if (isnull || !isfinite(p->weight) || p->weight < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight of criterion \"%s\" must be a number >= 0", p->name)));
		p->hard = DatumGetBool(SPI_getbinval(t, td, 4, &isnull));
		/* regprocedure keeps no dependency: the function may be gone */
		if (get_func_name(p->fn) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_FUNCTION),
					 errmsg("function of criterion \"%s\" does not exist", p->name),
					 errdetail("The registered function had OID %u.", p->fn),
					 errhint("Delete the criterion or register an existing function.")));
		rettype = get_func_signature(p->fn, &argtypes, &nargs);
		if (nargs != 2 || argtypes[0] != JSONBOID || argtypes[1] != JSONBOID ||
			rettype != FLOAT8OID)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("function of criterion \"%s\" must take (jsonb, jsonb) and return double precision",
							p->name),
					 errdetail("The registered function is %s.", format_procedure(p->fn))));
		fmgr_info_cxt(p->fn, &p->flinfo, mcxt);
		pl->extra[i].name = p->name;
		pl->extra[i].weight = p->weight;
		pl->extra[i].hard = p->hard;
	}
	MemoryContextSwitchTo(old);
	if (connected)
		SPI_finish();
	return pl;
}

/* Calls every plugin on a pair; fills pl->extra[].value/isnull. */
static void
call_plugins(plugins *pl, Datum project, Datum premise)
{
	for (int i = 0; i < pl->n; i++)
	{
		LOCAL_FCINFO(cfi, 2);
		Datum		r;

		InitFunctionCallInfoData(*cfi, &pl->p[i].flinfo, 2, InvalidOid, NULL, NULL);
		cfi->args[0].value = project;
		cfi->args[0].isnull = false;
		cfi->args[1].value = premise;
		cfi->args[1].isnull = false;
		r = FunctionCallInvoke(cfi);
		pl->extra[i].isnull = cfi->isnull;
		if (!cfi->isnull)
		{
			double		x = DatumGetFloat8(r);

			if (!(x >= 0 && x <= 1))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("criterion \"%s\" returned %g, outside [0, 1]",
								pl->p[i].name, x)));
			pl->extra[i].value = x;
		}
	}
}

/* Weights from a jsonb object; keys naming a plugin override its weight. */
static void
parse_weights(Jsonb *jb, sr_match_weights *w, plugins *pl)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char		key[64];
	sr_err		err;

	sr_match_weights_default(w);
	if (!jb)
		return;
	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("weights must be a jsonb object")));
	sr_err_clear(&err);
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		sr_status	st;

		if (tok == WJB_KEY)
		{
			int			n = v.val.string.len < 63 ? v.val.string.len : 63;

			memcpy(key, v.val.string.val, n);
			key[n] = '\0';
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (v.type == jbvNumeric)
			st = sr_match_weights_set_number(w, key, numeric_to_double(v.val.numeric), &err);
		else if (v.type == jbvString)
			st = sr_match_weights_set_text(w, key, v.val.string.val, v.val.string.len, &err);
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("weight \"%s\" must be a number (or a string for \"decay\")", key)));
		if (st == SR_ENOTFOUND && v.type == jbvNumeric)
		{
			double		x = numeric_to_double(v.val.numeric);

			for (int i = 0; i < pl->n; i++)
				if (strcmp(pl->p[i].name, key) == 0)
				{
					if (!(x >= 0 && x <= 1000))
						ereport(ERROR,
								(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
								 errmsg("weight \"%s\" must be in [0, 1000], got %g", key, x)));
					pl->extra[i].weight = x;
					st = SR_OK;
				}
			if (st == SR_ENOTFOUND)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown weight \"%s\"", key),
						 errhint("Weights are distance, surface, price, amenities, hours, capacity, the names of registered criteria, decay, distance_scale_km and travel_scale_min.")));
		}
		else if (st == SR_ENOTFOUND)
		{
			err.status = SR_EINVAL;
			sr_error_hint(&err, "Weights are distance, surface, price, amenities, hours, capacity, the names of registered criteria, decay, distance_scale_km and travel_scale_min.");
			sr_raise(&err);
		}
		else if (st != SR_OK)
			sr_raise(&err);
	}
}

/* Per-call-site cache: the plugin list, read once per query. */
static plugins *
cached_plugins(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = load_plugins(fcinfo, fcinfo->flinfo->fn_mcxt);
	return (plugins *) fcinfo->flinfo->fn_extra;
}

/* ------------------------------------------------------------------ */
/* match_score / match_explain                                        */
/* ------------------------------------------------------------------ */

static void
score_args(FunctionCallInfo fcinfo, sr_match_project *p, sr_match_premise *q,
		   sr_match_weights *w, plugins **plp)
{
	Jsonb	   *jp = PG_GETARG_JSONB_P(0);
	Jsonb	   *jq = PG_GETARG_JSONB_P(1);
	plugins    *pl = cached_plugins(fcinfo);

	/* weights may override plugin weights: reset them from the registry */
	for (int i = 0; i < pl->n; i++)
		pl->extra[i].weight = pl->p[i].weight;
	parse_record(jp, SR_MATCH_PROJECT, p);
	parse_record(jq, SR_MATCH_PREMISE, q);
	parse_weights(PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2), w, pl);
	if (pl->n > 0)
		call_plugins(pl, PointerGetDatum(jp), PointerGetDatum(jq));
	*plp = pl;
}

Datum
sr_fn_match_score(PG_FUNCTION_ARGS)
{
	sr_match_project p;
	sr_match_premise q;
	sr_match_weights w;
	plugins    *pl;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	score_args(fcinfo, &p, &q, &w, &pl);
	PG_RETURN_FLOAT8(sr_match_pair_score(&p, &q, &w, NAN, pl->extra, pl->n, NULL));
}

Datum
sr_fn_match_explain(PG_FUNCTION_ARGS)
{
	sr_match_project p;
	sr_match_premise q;
	sr_match_weights w;
	sr_match_explain_rec e;
	plugins    *pl;
	char	   *json;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	score_args(fcinfo, &p, &q, &w, &pl);
	sr_match_pair_score(&p, &q, &w, NAN, pl->extra, pl->n, &e);
	json = sr_match_explain_json(&e, &w, pl->extra, pl->n);
	if (json == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
}

/* ------------------------------------------------------------------ */
/* query helpers                                                      */
/* ------------------------------------------------------------------ */

/* The query text without trailing blanks and semicolons, for wrapping. */
static char *
inner_sql(text *t, const char *param)
{
	char	   *s = text_to_cstring(t);
	int			n = strlen(s);

	while (n > 0 && (s[n - 1] == ';' || isspace((unsigned char) s[n - 1])))
		s[--n] = '\0';
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a query", param)));
	return s;
}

static Portal
open_cursor(const char *sql)
{
	SPIPlanPtr	plan = SPI_prepare(sql, 0, NULL);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
	return SPI_cursor_open(NULL, plan, NULL, NULL, false);
}

#define FETCH_ROWS 10000

/* Reads "SELECT to_jsonb(q) FROM (sql) q" into records; keeps the jsonb
 * values (copied into the current context) when keep != NULL. */
static int
read_records(const char *sql, const char *param, sr_match_side side,
			 size_t recsize, void **out, Datum **keep)
{
	StringInfoData q;
	Portal		portal;
	int			n = 0,
				cap = 1024;
	char	   *recs = palloc(recsize * cap);
	Datum	   *jbs = keep ? palloc(sizeof(Datum) * cap) : NULL;
	MemoryContext callcxt = CurrentMemoryContext;

	initStringInfo(&q);
	appendStringInfo(&q, "SELECT pg_catalog.to_jsonb(q) FROM (%s) q", sql);
	portal = open_cursor(q.data);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			bool		isnull;
			Datum		d = SPI_getbinval(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1, &isnull);
			Jsonb	   *jb;
			MemoryContext old;

			if (n == cap)
			{
				cap *= 2;
				old = MemoryContextSwitchTo(callcxt);
				recs = repalloc_huge(recs, recsize * cap);
				if (jbs)
					jbs = repalloc_huge(jbs, sizeof(Datum) * cap);
				MemoryContextSwitchTo(old);
			}
			old = MemoryContextSwitchTo(callcxt);
			jb = DatumGetJsonbPCopy(d);
			if (!parse_record(jb, side, recs + recsize * n))
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("row %d of %s has no \"id\" column", n + 1, param)));
			if (jbs)
				jbs[n] = PointerGetDatum(jb);
			else
				pfree(jb);
			MemoryContextSwitchTo(old);
			n++;
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	*out = recs;
	if (keep)
		*keep = jbs;
	return n;
}

/* ------------------------------------------------------------------ */
/* match_candidates                                                   */
/* ------------------------------------------------------------------ */

typedef struct cand_ctx
{
	plugins    *pl;
	const sr_match_premise *premises;
	Datum	   *premise_jb;
	Datum		project_jb;
	const sr_match_weights *w;
} cand_ctx;

static double
rescore_with_plugins(void *vctx, const sr_match_project *p, int j, double travel_min)
{
	cand_ctx   *c = vctx;

	call_plugins(c->pl, c->project_jb, c->premise_jb[j]);
	return sr_match_pair_score(p, &c->premises[j], c->w, travel_min, c->pl->extra, c->pl->n, NULL);
}

Datum
sr_fn_match_candidates(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *projects_sql,
			   *premises_sql;
	int			k;
	sr_match_weights w;
	plugins    *pl;
	sr_match_project *projects;
	sr_match_premise *premises;
	Datum	   *project_jb = NULL,
			   *premise_jb = NULL;
	int			np,
				nq;
	sr_match_idmap *qmap;
	sr_match_topk_item *top;
	cand_ctx	ctx;
	sr_err		err;
	MemoryContext callcxt;
	/* travel lists, by project */
	int		   *tstart = NULL,
			   *tprem = NULL;
	double	   *tmin = NULL;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("projects_sql and premises_sql must not be NULL")));
	k = PG_ARGISNULL(2) ? 10 : PG_GETARG_INT32(2);
	if (k < 1 || k > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("k must be between 1 and 10000, got %d", k)));
	projects_sql = inner_sql(PG_GETARG_TEXT_PP(0), "projects_sql");
	premises_sql = inner_sql(PG_GETARG_TEXT_PP(1), "premises_sql");

	InitMaterializedSRF(fcinfo, 0);
	pl = load_plugins(fcinfo, CurrentMemoryContext);
	parse_weights(PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3), &w, pl);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	callcxt = CurrentMemoryContext;
	nq = read_records(premises_sql, "premises_sql", SR_MATCH_PREMISE, sizeof(sr_match_premise),
					  (void **) &premises, pl->n > 0 ? &premise_jb : NULL);
	np = read_records(projects_sql, "projects_sql", SR_MATCH_PROJECT, sizeof(sr_match_project),
					  (void **) &projects, pl->n > 0 ? &project_jb : NULL);

	/* premise and project ids must be unique */
	{
		sr_match_idmap *pm = sr_match_idmap_new(np);

		for (int i = 0; i < np; i++)
		{
			bool		isnew;

			sr_match_idmap_put(pm, projects[i].id, &isnew);
			if (!isnew)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("duplicate project id %lld in projects_sql", (long long) projects[i].id)));
		}
		sr_match_idmap_free(pm);
	}
	qmap = sr_match_idmap_new(nq);
	for (int j = 0; j < nq; j++)
	{
		bool		isnew;

		sr_match_idmap_put(qmap, premises[j].id, &isnew);
		if (!isnew)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("duplicate premise id %lld in premises_sql", (long long) premises[j].id)));
	}

	if (!PG_ARGISNULL(4))
	{
		/* travel times: candidates are the pairs listed */
		char	   *travel_sql = inner_sql(PG_GETARG_TEXT_PP(4), "travel_sql");
		sr_match_idmap *pmap = sr_match_idmap_new(np);
		StringInfoData q;
		Portal		portal;
		int64		nt = 0,
					cap = 1024;
		int		   *tp = palloc(sizeof(int) * cap),
				   *tq = palloc(sizeof(int) * cap);
		double	   *tm = palloc(sizeof(double) * cap);

		for (int i = 0; i < np; i++)
		{
			bool		isnew;

			sr_match_idmap_put(pmap, projects[i].id, &isnew);
			if (!isnew)
				ereport(ERROR,
						(errcode(ERRCODE_DATA_EXCEPTION),
						 errmsg("duplicate project id %lld in projects_sql", (long long) projects[i].id)));
		}
		initStringInfo(&q);
		appendStringInfo(&q,
						 "SELECT t.project_id::pg_catalog.int8, t.premise_id::pg_catalog.int8, "
						 "t.minutes::pg_catalog.float8 FROM (%s) t", travel_sql);
		portal = open_cursor(q.data);
		for (;;)
		{
			SPI_cursor_fetch(portal, true, FETCH_ROWS * 5);
			if (SPI_processed == 0)
				break;
			for (uint64 r = 0; r < SPI_processed; r++)
			{
				HeapTuple	t = SPI_tuptable->vals[r];
				TupleDesc	td = SPI_tuptable->tupdesc;
				bool		n1,
							n2,
							n3;
				int64		pid = DatumGetInt64(SPI_getbinval(t, td, 1, &n1));
				int64		qid = DatumGetInt64(SPI_getbinval(t, td, 2, &n2));
				double		mins = DatumGetFloat8(SPI_getbinval(t, td, 3, &n3));
				int			pi,
							qi;

				if (n1 || n2)
					ereport(ERROR,
							(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							 errmsg("travel_sql row %lld: project_id and premise_id must not be NULL",
									(long long) (nt + 1))));
				if (n3 || !isfinite(mins) || mins < 0)
					ereport(ERROR,
							(errcode(ERRCODE_DATA_EXCEPTION),
							 errmsg("travel_sql: minutes of pair (project %lld, premise %lld) must be a finite number >= 0",
									(long long) pid, (long long) qid)));
				pi = sr_match_idmap_get(pmap, pid);
				qi = sr_match_idmap_get(qmap, qid);
				if (pi < 0 || qi < 0)
					continue;	/* pair outside the two sets: not a candidate */
				if (nt == cap)
				{
					MemoryContext old = MemoryContextSwitchTo(callcxt);

					cap *= 2;
					tp = repalloc_huge(tp, sizeof(int) * cap);
					tq = repalloc_huge(tq, sizeof(int) * cap);
					tm = repalloc_huge(tm, sizeof(double) * cap);
					MemoryContextSwitchTo(old);
				}
				tp[nt] = pi;
				tq[nt] = qi;
				tm[nt] = mins;
				nt++;
			}
			SPI_freetuptable(SPI_tuptable);
			CHECK_FOR_INTERRUPTS();
		}
		SPI_cursor_close(portal);
		/* group by project (counting sort), reject duplicate pairs */
		tstart = palloc0(sizeof(int) * (np + 2));
		tprem = palloc(sizeof(int) * (nt + 1));
		tmin = palloc(sizeof(double) * (nt + 1));
		for (int64 e = 0; e < nt; e++)
			tstart[tp[e] + 1]++;
		for (int i = 0; i < np; i++)
			tstart[i + 1] += tstart[i];
		{
			int		   *fill = palloc(sizeof(int) * (np + 1));
			int		   *seen = palloc(sizeof(int) * (nq + 1));

			memcpy(fill, tstart, sizeof(int) * np);
			for (int64 e = 0; e < nt; e++)
			{
				tprem[fill[tp[e]]] = tq[e];
				tmin[fill[tp[e]]++] = tm[e];
			}
			for (int j = 0; j < nq; j++)
				seen[j] = -1;
			for (int i = 0; i < np; i++)
				for (int t = tstart[i]; t < tstart[i + 1]; t++)
				{
					if (seen[tprem[t]] == i)
						ereport(ERROR,
								(errcode(ERRCODE_DATA_EXCEPTION),
								 errmsg("duplicate pair (project %lld, premise %lld) in travel_sql",
										(long long) projects[i].id, (long long) premises[tprem[t]].id)));
					seen[tprem[t]] = i;
				}
		}
	}

	ctx.pl = pl;
	ctx.premises = premises;
	ctx.premise_jb = premise_jb;
	ctx.w = &w;
	top = palloc(sizeof(sr_match_topk_item) * k);
	sr_err_clear(&err);
	{
		sr_match_grid *grid = NULL;
		double		extra_w = 0;

		for (int i = 0; i < pl->n; i++)
			extra_w += pl->extra[i].weight;
		if (!tstart && sr_match_grid_build(premises, nq, &grid, &err) != SR_OK)
			sr_raise(&err);
		if (!tstart && pl->n == 0)
		{
			/*
			 * No plugin criterion: the core searches batches of projects on
			 * up to max_parallel_workers_per_gather + 1 threads, as many as a
			 * parallel query could use, and no more than the cores (its
			 * helper threads never touch the server); the interrupts are
			 * checked here, between batches.
			 */
			int			batch = Max(1, Min(2048, (1 << 20) / k));
			int			nthreads = sr_max_threads();
			sr_match_topk_item *bout = palloc(sizeof(sr_match_topk_item) * (Size) batch * k);
			int		   *bn = palloc(sizeof(int) * batch);

			for (int i0 = 0; i0 < np; i0 += batch)
			{
				int			nb = Min(batch, np - i0);

				if (sr_match_topk_batch(grid, projects + i0, nb, &w, k, nthreads, bout, bn, &err) != SR_OK)
					sr_raise(&err);
				for (int i = 0; i < nb; i++)
					for (int r = 0; r < bn[i]; r++)
					{
						Datum		values[4];
						bool		nulls[4] = {false, false, false, false};
						const sr_match_topk_item *it = &bout[(Size) i * k + r];

						values[0] = Int64GetDatum(projects[i0 + i].id);
						values[1] = Int64GetDatum(premises[it->premise].id);
						values[2] = Int32GetDatum(r + 1);
						values[3] = Float8GetDatum(it->score);
						tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
					}
				CHECK_FOR_INTERRUPTS();
			}
			SPI_finish();
			return (Datum) 0;
		}
		for (int i = 0; i < np; i++)
		{
			int			nout = 0;
			sr_status	st;

			ctx.project_jb = project_jb ? project_jb[i] : (Datum) 0;
			if (tstart)
				st = sr_match_topk_list(premises, &projects[i], &w, k, tprem + tstart[i],
										tmin + tstart[i], tstart[i + 1] - tstart[i],
										pl->n ? rescore_with_plugins : NULL, &ctx,
										top, &nout, &err);
			else
				st = sr_match_topk(grid, &projects[i], &w, k, extra_w,
								   pl->n ? rescore_with_plugins : NULL, &ctx,
								   top, &nout, &err);
			if (st != SR_OK)
				sr_raise(&err);
			for (int r = 0; r < nout; r++)
			{
				Datum		values[4];
				bool		nulls[4] = {false, false, false, false};

				values[0] = Int64GetDatum(projects[i].id);
				values[1] = Int64GetDatum(premises[top[r].premise].id);
				values[2] = Int32GetDatum(r + 1);
				values[3] = Float8GetDatum(top[r].score);
				tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
			}
			if ((i & 255) == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}
	SPI_finish();
	return (Datum) 0;
}

/* ------------------------------------------------------------------ */
/* match_assign                                                       */
/* ------------------------------------------------------------------ */

Datum
sr_fn_match_assign(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *pairs_sql;
	char	   *method_s;
	sr_match_method method;
	StringInfoData q;
	Portal		portal;
	sr_match_idmap *pmap,
			   *qmap;
	int64		ne = 0,
				cap = 65536;
	int		   *er,
			   *ec;
	double	   *es;
	int64	   *pids,
			   *qids;
	int			np = 0,
				nq = 0,
				pcap = 4096,
				qcap = 4096;
	int		   *capacity = NULL;
	sr_match_problem pb;
	sr_match_solution sol;
	sr_err		err;
	MemoryContext callcxt;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("pairs_sql must not be NULL")));
	pairs_sql = inner_sql(PG_GETARG_TEXT_PP(0), "pairs_sql");
	method_s = PG_ARGISNULL(1) ? "optimal" : text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (strcmp(method_s, "optimal") == 0)
		method = SR_ASSIGN_OPTIMAL;
	else if (strcmp(method_s, "stable") == 0 || strcmp(method_s, "stable_projects") == 0)
		method = SR_ASSIGN_STABLE;
	else if (strcmp(method_s, "stable_premises") == 0)
		method = SR_ASSIGN_STABLE_PREMISES;
	else if (strcmp(method_s, "greedy") == 0)
		method = SR_ASSIGN_GREEDY;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown assignment method \"%s\"", method_s),
				 errhint("Use optimal, stable (project-proposing), stable_premises (premise-proposing) or greedy.")));

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	callcxt = CurrentMemoryContext;
	er = palloc(sizeof(int) * cap);
	ec = palloc(sizeof(int) * cap);
	es = palloc(sizeof(double) * cap);
	pids = palloc(sizeof(int64) * pcap);
	qids = palloc(sizeof(int64) * qcap);
	pmap = sr_match_idmap_new(4096);
	qmap = sr_match_idmap_new(4096);

	initStringInfo(&q);
	appendStringInfo(&q,
					 "SELECT p.project_id::pg_catalog.int8, p.premise_id::pg_catalog.int8, "
					 "p.score::pg_catalog.float8 FROM (%s) p", pairs_sql);
	portal = open_cursor(q.data);
	for (;;)
	{
		SPI_cursor_fetch(portal, true, FETCH_ROWS * 5);
		if (SPI_processed == 0)
			break;
		for (uint64 r = 0; r < SPI_processed; r++)
		{
			HeapTuple	t = SPI_tuptable->vals[r];
			TupleDesc	td = SPI_tuptable->tupdesc;
			bool		n1,
						n2,
						n3,
						isnew;
			int64		pid = DatumGetInt64(SPI_getbinval(t, td, 1, &n1));
			int64		qid = DatumGetInt64(SPI_getbinval(t, td, 2, &n2));
			double		s = DatumGetFloat8(SPI_getbinval(t, td, 3, &n3));
			int			pi,
						qi;

			if (n1 || n2)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("pairs_sql row %lld: project_id and premise_id must not be NULL",
								(long long) (ne + 1))));
			if (n3)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("score of pair (project %lld, premise %lld) is NULL",
								(long long) pid, (long long) qid)));
			pi = sr_match_idmap_put(pmap, pid, &isnew);
			if (isnew)
			{
				if (np == pcap)
				{
					MemoryContext old = MemoryContextSwitchTo(callcxt);

					pcap *= 2;
					pids = repalloc_huge(pids, sizeof(int64) * pcap);
					MemoryContextSwitchTo(old);
				}
				pids[np++] = pid;
			}
			qi = sr_match_idmap_put(qmap, qid, &isnew);
			if (isnew)
			{
				if (nq == qcap)
				{
					MemoryContext old = MemoryContextSwitchTo(callcxt);

					qcap *= 2;
					qids = repalloc_huge(qids, sizeof(int64) * qcap);
					MemoryContextSwitchTo(old);
				}
				qids[nq++] = qid;
			}
			if (ne == cap)
			{
				MemoryContext old = MemoryContextSwitchTo(callcxt);

				cap *= 2;
				er = repalloc_huge(er, sizeof(int) * cap);
				ec = repalloc_huge(ec, sizeof(int) * cap);
				es = repalloc_huge(es, sizeof(double) * cap);
				MemoryContextSwitchTo(old);
			}
			er[ne] = pi;
			ec[ne] = qi;
			es[ne] = s;
			ne++;
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);

	if (!PG_ARGISNULL(2))
	{
		char	   *cap_sql = inner_sql(PG_GETARG_TEXT_PP(2), "capacities_sql");
		bool	   *seen = palloc0(sizeof(bool) * (nq + 1));

		capacity = palloc(sizeof(int) * (nq + 1));
		for (int j = 0; j < nq; j++)
			capacity[j] = 1;
		resetStringInfo(&q);
		appendStringInfo(&q,
						 "SELECT c.premise_id::pg_catalog.int8, c.capacity::pg_catalog.int8 FROM (%s) c",
						 cap_sql);
		portal = open_cursor(q.data);
		for (;;)
		{
			SPI_cursor_fetch(portal, true, FETCH_ROWS * 5);
			if (SPI_processed == 0)
				break;
			for (uint64 r = 0; r < SPI_processed; r++)
			{
				HeapTuple	t = SPI_tuptable->vals[r];
				TupleDesc	td = SPI_tuptable->tupdesc;
				bool		n1,
							n2;
				int64		qid = DatumGetInt64(SPI_getbinval(t, td, 1, &n1));
				int64		c = DatumGetInt64(SPI_getbinval(t, td, 2, &n2));
				int			qi;

				if (n1)
					ereport(ERROR,
							(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
							 errmsg("capacities_sql: premise_id must not be NULL")));
				if (n2 || c < 0 || c > 1000000)
					ereport(ERROR,
							(errcode(ERRCODE_DATA_EXCEPTION),
							 errmsg("capacity of premise %lld must be an integer between 0 and 1000000",
									(long long) qid)));
				qi = sr_match_idmap_get(qmap, qid);
				if (qi < 0)
					continue;	/* premise without pairs */
				if (seen[qi])
					ereport(ERROR,
							(errcode(ERRCODE_DATA_EXCEPTION),
							 errmsg("duplicate premise %lld in capacities_sql", (long long) qid)));
				seen[qi] = true;
				capacity[qi] = (int) c;
			}
			SPI_freetuptable(SPI_tuptable);
		}
		SPI_cursor_close(portal);
	}

	pb.n_rows = np;
	pb.n_cols = nq;
	pb.n_edges = ne;
	pb.erow = er;
	pb.ecol = ec;
	pb.escore = es;
	pb.capacity = capacity;
	pb.row_id = pids;
	pb.col_id = qids;
	sr_err_clear(&err);
	if (sr_match_solve(&pb, method, &sol, &err) != SR_OK)
		sr_raise(&err);

	/* scores of the assigned pairs, from the edge list */
	{
		double	   *rs = palloc(sizeof(double) * (np + 1));

		for (int64 e = 0; e < ne; e++)
			if (sol.row_col[er[e]] == ec[e])
				rs[er[e]] = es[e];
		for (int i = 0; i < np; i++)
		{
			Datum		values[3];
			bool		nulls[3] = {false, false, false};

			if (sol.row_col[i] < 0)
				continue;
			values[0] = Int64GetDatum(pids[i]);
			values[1] = Int64GetDatum(qids[sol.row_col[i]]);
			values[2] = Float8GetDatum(rs[i]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	SPI_finish();
	return (Datum) 0;
}
