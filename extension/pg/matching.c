/*
 * matching.c — entry points of the tiers-lieux matching service
 * (docs/matching.md): match_score, match_explain, match_candidates,
 * match_assign.
 *
 * jsonb objects (and the rows of projects_sql / premises_sql, as to_jsonb
 * gives them) are walked into the core's flat records; the query arguments
 * and the registry of plugin criteria are read by the shared reader
 * (query.c), the weights against the core's specs (matching_input.c) plus
 * one spec per registered criterion; plugin criteria are called through
 * the function manager.  Every rule is the core's.
 */
#include "sr_pg.h"

#include <math.h>

#include "catalog/objectaccess.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/regproc.h"
#include "utils/tuplestore.h"

#include "sr_matching.h"

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

/* (without raising: 1e400 is infinity, which the field's own check names,
 * as options.c reads numbers) */
static double
numeric_to_double(Numeric n)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(n)));
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
	JsonbValue *coords,
			   *crs;
	JsonbValue *x,
			   *y;
	sr_err		err;

	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		bad_shape(side, "location", "a GeoJSON point (WGS84 longitude, latitude)", has_id, id);
	/* to_jsonb of a geometry names its CRS unless it is 4326 (or 0): the
	 * core refuses any but WGS84 rather than read metres as degrees */
	crs = getKeyJsonValueFromContainer(v->val.binary.data, "crs", 3, NULL);
	if (crs && crs->type != jbvNull)
	{
		JsonbValue *props = NULL,
				   *name = NULL;

		if (crs->type == jbvBinary && JsonContainerIsObject(crs->val.binary.data))
			props = getKeyJsonValueFromContainer(crs->val.binary.data, "properties", 10, NULL);
		if (props && props->type == jbvBinary && JsonContainerIsObject(props->val.binary.data))
			name = getKeyJsonValueFromContainer(props->val.binary.data, "name", 4, NULL);
		sr_err_clear(&err);
		if (sr_match_location_crs(side, name && name->type == jbvString ? name->val.string.val : NULL,
								  name && name->type == jbvString ? name->val.string.len : 0, &err) != SR_OK)
			raise_record(&err, side, has_id, id);
	}
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

/* One value of a weekday: "HH:MM-HH:MM[,...]" or "closed", or a minute
 * range [start, end]. */
static void
hours_item(JsonbValue *e, sr_match_side side, void *rec, const char *day, int daylen,
		   bool has_id, int64 id)
{
	JsonbValue *a = NULL,
			   *b = NULL;
	sr_err		err;
	sr_status	st;

	sr_err_clear(&err);
	if (e->type == jbvString)
		st = sr_match_set_hours_text(side, rec, day, daylen, e->val.string.val,
									 e->val.string.len, &err);
	else
	{
		if (e->type == jbvBinary && JsonContainerIsArray(e->val.binary.data) &&
			JsonContainerSize(e->val.binary.data) == 2)
		{
			a = getIthJsonbValueFromContainer(e->val.binary.data, 0);
			b = getIthJsonbValueFromContainer(e->val.binary.data, 1);
		}
		if (!a || !b || a->type != jbvNumeric || b->type != jbvNumeric)
			bad_shape(side, "hours", "ranges \"HH:MM-HH:MM\" or [start_minute, end_minute]", has_id, id);
		st = sr_match_add_hours_range(side, rec, day, daylen, numeric_to_double(a->val.numeric),
									  numeric_to_double(b->val.numeric), &err);
	}
	if (st != SR_OK)
		raise_record(&err, side, has_id, id);
}

/* "hours": {"mon": "09:00-18:00", "tue": ["08:00-12:00", [840, 1080]], ...} */
static void
parse_hours(JsonbValue *v, sr_match_side side, void *rec, bool has_id, int64 id)
{
	JsonbIterator *it;
	JsonbValue	d;
	JsonbIteratorToken tok;
	char		day[16];
	int			daylen = 0;

	if (v->type != jbvBinary || !JsonContainerIsObject(v->val.binary.data))
		bad_shape(side, "hours", "an object of weekdays (\"mon\"..\"sun\")", has_id, id);
	sr_match_touch_hours(side, rec);
	it = JsonbIteratorInit(v->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &d, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
		{
			daylen = d.val.string.len < 15 ? d.val.string.len : 15;
			memcpy(day, d.val.string.val, daylen);
			day[daylen] = '\0';
		}
		else if (tok != WJB_VALUE || d.type == jbvNull)
			continue;
		else if (d.type == jbvString)
			hours_item(&d, side, rec, day, daylen, has_id, id);
		else if (d.type == jbvBinary && JsonContainerIsArray(d.val.binary.data))
		{
			JsonbIterator *it2 = JsonbIteratorInit(d.val.binary.data);
			JsonbValue	e;

			while ((tok = JsonbIteratorNext(&it2, &e, true)) != WJB_DONE)
				if (tok == WJB_ELEM)
					hours_item(&e, side, rec, day, daylen, has_id, id);
		}
		else
			bad_shape(side, "hours", "an object of weekdays with text or array values", has_id, id);
	}
}

/*
 * Fills rec from a jsonb object.  Keys that are not fields are ignored (so
 * rows of wider tables can be used as they are); a known field with a bad
 * value raises an error naming the field and the record id.
 */
static void
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
}

/* ------------------------------------------------------------------ */
/* plugin criteria and weights                                        */
/* ------------------------------------------------------------------ */

/* The registered criteria of a call site, and its weight specs. */
typedef struct plugins
{
	int			n;
	FmgrInfo   *flinfo;
	sr_match_extra *extra;		/* name, registered weight, hard; values per pair */
	sr_optset	weights;		/* the built-in specs and one per criterion */
} plugins;

static const sr_qcol criterion_cols[] = {
	{"name", SR_Q_TEXT, SR_Q_NOTNULL},
	{"function", SR_Q_TEXT, SR_Q_NOTNULL},
	{"weight", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"hard", SR_Q_BOOL, SR_Q_NOTNULL},
};

/* The function of a criterion (its registered signature): it must exist,
 * belong to a superuser (sr_registered_function) and take (jsonb, jsonb) ->
 * float8.  It is called by this OID (fmgr_info), never by its name, so an
 * overload another role adds to its schema is never called; the caller needs
 * EXECUTE on it, as on a function its own query would call (the function
 * manager does not check it). */
static Oid
criterion_function(const char *name, const char *signature)
{
	Oid			fn = sr_registered_function(signature, "criterion", name);
	Oid		   *argtypes;
	int			nargs;
	Oid			rettype;

#if PG_VERSION_NUM >= 160000
	if (object_aclcheck(ProcedureRelationId, fn, GetUserId(), ACL_EXECUTE) != ACLCHECK_OK)
#else
	if (pg_proc_aclcheck(fn, GetUserId(), ACL_EXECUTE) != ACLCHECK_OK)
#endif
		aclcheck_error(ACLCHECK_NO_PRIV, OBJECT_FUNCTION, get_func_name(fn));
	InvokeFunctionExecuteHook(fn);

	rettype = get_func_signature(fn, &argtypes, &nargs);
	if (nargs != 2 || argtypes[0] != JSONBOID || argtypes[1] != JSONBOID || rettype != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("function of criterion \"%s\" must take (jsonb, jsonb) and return double precision",
						name),
				 errdetail("The registered function is %s.", format_procedure(fn))));

	/*
	 * match_score and match_explain are STABLE PARALLEL SAFE: a criterion runs
	 * where they run, in a parallel worker too, and must keep their promise
	 * (a VOLATILE one that took nextval failed in a parallel scan, "cannot
	 * execute nextval() during a parallel operation", and wrote outside one)
	 */
	sr_registered_function_labels(fn, "criterion", name);
	return fn;
}

/*
 * The criteria registered in match_criterion (in the schema of the called
 * function), read once per call site into its fn_mcxt, with the weight
 * specs of the function (base) extended by one spec per criterion.
 */
static plugins *
cached_plugins(FunctionCallInfo fcinfo, const sr_optset *base)
{
	MemoryContext mcxt = fcinfo->flinfo->fn_mcxt;
	sr_query	q = {"match_criterion", NULL, criterion_cols, lengthof(criterion_cols)};
	sr_qresult	r;
	plugins    *pl;
	const char **names;
	sr_optspec *specs;
	sr_err		err;

	if (fcinfo->flinfo->fn_extra)
		return (plugins *) fcinfo->flinfo->fn_extra;
	sr_require_schema_usage(fcinfo);	/* a clear 42501 before the read */
	q.sql = psprintf("SELECT c.name, c.function, c.weight, c.hard"
					 " FROM %s.match_criterion c ORDER BY c.name",
					 quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid))));
	sr_query_read(&q, &r);
	pl = MemoryContextAllocZero(mcxt, sizeof(plugins));
	pl->n = (int) r.nrows;
	pl->flinfo = MemoryContextAllocZero(mcxt, sizeof(FmgrInfo) * (pl->n + 1));
	pl->extra = MemoryContextAllocZero(mcxt, sizeof(sr_match_extra) * (pl->n + 1));
	names = palloc(sizeof(char *) * (pl->n + 1));
	for (int i = 0; i < pl->n; i++)
	{
		names[i] = MemoryContextStrdup(mcxt, SR_QVAL(&r, 0, char *)[i]);
		fmgr_info_cxt(criterion_function(names[i], SR_QVAL(&r, 1, char *)[i]), &pl->flinfo[i], mcxt);
		pl->extra[i].name = names[i];
		pl->extra[i].weight = SR_QVAL(&r, 2, double)[i];
		pl->extra[i].hard = SR_QVAL(&r, 3, bool)[i];
	}
	specs = MemoryContextAlloc(mcxt, sizeof(sr_optspec) * (SR_MATCH_WEIGHT_NSPECS + pl->n));
	sr_err_clear(&err);
	if (sr_match_weights_specs(names, SR_QVAL(&r, 2, double), pl->n, specs, &err) != SR_OK)
		sr_raise(&err);
	pl->weights = *base;
	pl->weights.specs = specs;
	pl->weights.n = SR_MATCH_WEIGHT_NSPECS + pl->n;
	fcinfo->flinfo->fn_extra = pl;
	return pl;
}

/* The weights of a call: the specs' defaults (registered weights for the
 * criteria), then the keys of the weights jsonb. */
static void
read_weights(Jsonb *jb, plugins *pl, sr_match_weights *w)
{
	sr_match_weights_ext *we = palloc(SR_MATCH_WEIGHTS_EXT_SIZE(pl->n));

	sr_options_read(jb, &pl->weights, we, "weights");
	*w = we->w;
	for (int i = 0; i < pl->n; i++)
		pl->extra[i].weight = we->extra[i];
	pfree(we);
}

/* Calls every plugin on a pair; fills pl->extra[].value/isnull. */
static void
call_plugins(plugins *pl, Datum project, Datum premise)
{
	sr_err		err;

	sr_err_clear(&err);
	for (int i = 0; i < pl->n; i++)
	{
		LOCAL_FCINFO(cfi, 2);
		Datum		r;

		InitFunctionCallInfoData(*cfi, &pl->flinfo[i], 2, InvalidOid, NULL, NULL);
		cfi->args[0].value = project;
		cfi->args[0].isnull = false;
		cfi->args[1].value = premise;
		cfi->args[1].isnull = false;
		r = FunctionCallInvoke(cfi);
		if (sr_match_extra_set(&pl->extra[i], cfi->isnull ? 0 : DatumGetFloat8(r),
							   cfi->isnull, &err) != SR_OK)
			sr_raise(&err);
	}
}

/* ------------------------------------------------------------------ */
/* match_score / match_explain                                        */
/* ------------------------------------------------------------------ */

static plugins *
score_args(FunctionCallInfo fcinfo, const sr_optset *set, sr_match_project *p,
		   sr_match_premise *q, sr_match_weights *w)
{
	Jsonb	   *jp = PG_GETARG_JSONB_P(0);
	Jsonb	   *jq = PG_GETARG_JSONB_P(1);
	plugins    *pl = cached_plugins(fcinfo, set);

	parse_record(jp, SR_MATCH_PROJECT, p);
	parse_record(jq, SR_MATCH_PREMISE, q);
	read_weights(PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2), pl, w);
	if (pl->n > 0)
		call_plugins(pl, PointerGetDatum(jp), PointerGetDatum(jq));
	return pl;
}

PG_FUNCTION_INFO_V1(sr_fn_match_score);
/* smartregion.match_score(project, premise, weights): score of one pair. */
Datum
sr_fn_match_score(PG_FUNCTION_ARGS)
{
	sr_match_project p;
	sr_match_premise q;
	sr_match_weights w;
	plugins    *pl;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	pl = score_args(fcinfo, &sr_match_score_optset, &p, &q, &w);
	PG_RETURN_FLOAT8(sr_match_pair_score(&p, &q, &w, NAN, pl->extra, pl->n, NULL));
}

PG_FUNCTION_INFO_V1(sr_fn_match_explain);
/* smartregion.match_explain(project, premise, weights): the score, explained. */
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
	pl = score_args(fcinfo, &sr_match_explain_optset, &p, &q, &w);
	sr_match_pair_score(&p, &q, &w, NAN, pl->extra, pl->n, &e);
	json = sr_match_explain_json(&e, &w, pl->extra, pl->n);
	if (json == NULL)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
}

/* ------------------------------------------------------------------ */
/* query arguments                                                    */
/* ------------------------------------------------------------------ */

/* projects_sql, premises_sql: an id, and the whole row as to_jsonb gives it */
static const sr_qcol record_cols[] = {
	{"id", SR_Q_INT8, SR_Q_NOTNULL},
	{"row", SR_Q_ROW_JSONB, 0},
};
static const sr_qcol travel_cols[] = {
	{"project_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"premise_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"minutes", SR_Q_FLOAT8, SR_Q_NOTNULL},
};
static const sr_qcol pair_cols[] = {
	{"project_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"premise_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"score", SR_Q_FLOAT8, SR_Q_NOTNULL},
};
static const sr_qcol capacity_cols[] = {
	{"premise_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"capacity", SR_Q_INT8, SR_Q_NOTNULL},
};

/* State of a batched read: what the rows go into lives in cxt (the
 * function's), not in the reader's per-batch context. */
typedef struct batch_state batch_state;
typedef sr_status (*core_step) (batch_state *s, const int64 *id1, const int64 *id2,
								const sr_qresult *b, sr_err *err);

struct batch_state
{
	MemoryContext cxt;
	sr_match_side side;			/* records */
	size_t		recsize;
	char	   *recs;
	Datum	   *jbs;			/* the rows' jsonb, kept for plugins (or NULL) */
	int			n,
				cap;
	sr_match_travel *travel;	/* travel_sql */
	sr_match_pairs *pairs;		/* pairs_sql, capacities_sql */
	core_step	step;			/* the three-column arguments */
};

static void
record_batch(void *arg, const sr_qresult *b, int64 first_row)
{
	batch_state *s = arg;

	for (int64 i = 0; i < b->nrows; i++)
	{
		Jsonb	   *jb = SR_QVAL(b, 1, Jsonb *)[i];
		char	   *rec;

		if (s->n == s->cap)
		{
			/*
			 * No copy to interrupt: a block this large is the allocator's own
			 * (AllocSet's chunks past its limit), which repalloc_huge grows
			 * by realloc, and glibc moves a block past 32 MB by mremap,
			 * page tables only.  Measured 2026-12-06 over 1,000,000
			 * premises: 136 -> 272 MB in 4.4 ms, every doubling under 5 ms;
			 * a statement_timeout at 1.5 to 16.5 s of the 17.7 s call
			 * landed within 0.2-0.36 s, 0.21 s of it psql's own round trip.
			 */
			s->cap *= 2;
			s->recs = repalloc_huge(s->recs, s->recsize * s->cap);
			if (s->jbs)
				s->jbs = repalloc_huge(s->jbs, sizeof(Datum) * s->cap);
		}
		rec = s->recs + s->recsize * s->n;
		parse_record(jb, s->side, rec);
		/* the id as read, exactly */
		if (s->side == SR_MATCH_PROJECT)
			((sr_match_project *) rec)->id = SR_QVAL(b, 0, int64)[i];
		else
			((sr_match_premise *) rec)->id = SR_QVAL(b, 0, int64)[i];
		if (s->jbs)
		{
			void	   *copy = MemoryContextAllocHuge(s->cxt, VARSIZE(jb));

			memcpy(copy, jb, VARSIZE(jb));
			s->jbs[s->n] = PointerGetDatum(copy);
		}
		s->n++;
	}
}

/* Read the records of projects_sql or premises_sql into the current
 * context; keep their jsonb when keep != NULL (plugin criteria).  Every
 * record is held until the call ends: the family's rule (sr_matching.h)
 * adds each to the call's budget, with its jsonb's bytes when kept. */
static int
read_records(const char *param, const char *sql, sr_match_side side, void **out, Datum **keep,
			 sr_qbudget *budget)
{
	sr_query	q = {param, sql, record_cols, lengthof(record_cols)};
	batch_state s = {CurrentMemoryContext, side};

	budget->row_bytes = side == SR_MATCH_PROJECT ? SR_MATCH_HOLD_PROJECT : SR_MATCH_HOLD_PREMISE;
	budget->kept = keep ? 2 : 0;
	q.budget = budget;

	s.recsize = side == SR_MATCH_PROJECT ? sizeof(sr_match_project) : sizeof(sr_match_premise);
	s.cap = 1024;
	s.recs = palloc(s.recsize * s.cap);
	s.jbs = keep ? palloc(sizeof(Datum) * s.cap) : NULL;
	sr_query_batches(&q, record_batch, &s, NULL);
	*out = s.recs;
	if (keep)
		*keep = s.jbs;
	return s.n;
}

/* travel_sql, pairs_sql, capacities_sql: three columns, two ids first,
 * handed to the core batch by batch (its arrays live in s->cxt) */
static sr_status
travel_step(batch_state *s, const int64 *pid, const int64 *qid, const sr_qresult *b, sr_err *err)
{
	return sr_match_travel_add(s->travel, pid, qid, SR_QVAL(b, 2, double), b->nrows, err);
}

static sr_status
pairs_step(batch_state *s, const int64 *pid, const int64 *qid, const sr_qresult *b, sr_err *err)
{
	return sr_match_pairs_add(s->pairs, pid, qid, SR_QVAL(b, 2, double), b->nrows, err);
}

static sr_status
capacities_step(batch_state *s, const int64 *qid, const int64 *cap, const sr_qresult *b, sr_err *err)
{
	return sr_match_pairs_capacities(s->pairs, qid, cap, b->nrows, "capacities_sql", err);
}

static void
core_batch(void *arg, const sr_qresult *b, int64 first_row)
{
	batch_state *s = arg;
	MemoryContext old = MemoryContextSwitchTo(s->cxt);
	sr_err		err;

	sr_err_clear(&err);
	if (s->step(s, SR_QVAL(b, 0, int64), SR_QVAL(b, 1, int64), b, &err) != SR_OK)
		sr_raise(&err);
	MemoryContextSwitchTo(old);
}

/* Read a three-column query argument into the core, batch by batch; a
 * budget (NULL: none) counts the rows the core keeps (travel_sql,
 * pairs_sql), row_bytes each (sr_matching.h). */
static void
read_into_core(const char *param, const char *sql, const sr_qcol *cols, int ncols,
			   batch_state *s, core_step step, sr_qbudget *budget, double row_bytes)
{
	sr_query	q = {param, sql, cols, ncols};

	if (budget)
	{
		budget->row_bytes = row_bytes;
		budget->kept = 0;
		q.budget = budget;
	}

	s->cxt = CurrentMemoryContext;
	s->step = step;
	sr_query_batches(&q, core_batch, s, NULL);
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

/* One result row: (project_id, premise_id, rank, score), or without the
 * rank (match_assign) when rank is 0. */
static void
put_pair(ReturnSetInfo *rsinfo, int64 project_id, int64 premise_id, int rank, double score)
{
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};
	int			n = 0;

	values[n++] = Int64GetDatum(project_id);
	values[n++] = Int64GetDatum(premise_id);
	if (rank > 0)
		values[n++] = Int32GetDatum(rank);
	values[n] = Float8GetDatum(score);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
}

/*
 * No plugin criterion and no travel times: the core searches batches of
 * projects on sr_max_threads() threads (its helper threads never touch the
 * server); the interrupts are checked here, between batches.
 */
static void
candidates_threaded(ReturnSetInfo *rsinfo, const sr_match_grid *grid,
					const sr_match_project *projects, int np,
					const sr_match_premise *premises, const sr_match_weights *w, int k)
{
	int			batch = Max(1, Min(2048, (1 << 20) / k));
	int			nthreads = sr_max_threads();
	sr_match_topk_item *bout = palloc(sizeof(sr_match_topk_item) * (Size) batch * k);
	int		   *bn = palloc(sizeof(int) * batch);
	sr_err		err;

	sr_err_clear(&err);
	for (int i0 = 0; i0 < np; i0 += batch)
	{
		int			nb = Min(batch, np - i0);

		if (sr_match_topk_batch(grid, projects + i0, nb, w, k, nthreads, bout, bn, &err) != SR_OK)
			sr_raise(&err);
		for (int i = 0; i < nb; i++)
			for (int r = 0; r < bn[i]; r++)
			{
				const sr_match_topk_item *it = &bout[(Size) i * k + r];

				put_pair(rsinfo, projects[i0 + i].id, premises[it->premise].id, r + 1, it->score);
			}
		CHECK_FOR_INTERRUPTS();
	}
}

PG_FUNCTION_INFO_V1(sr_fn_match_candidates);
/* smartregion.match_candidates(projects_sql, premises_sql, k, weights,
 * travel_sql): the k best premises of every project. */
Datum
sr_fn_match_candidates(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			k;
	sr_match_weights w;
	plugins    *pl;
	sr_match_project *projects;
	sr_match_premise *premises;
	Datum	   *project_jb = NULL,
			   *premise_jb = NULL;
	int			np,
				nq;
	sr_match_idmap *pmap,
			   *qmap;
	sr_match_travel travel;
	bool		has_travel = !PG_ARGISNULL(4);
	sr_match_grid *grid = NULL;
	sr_match_topk_item *top;
	double		extra_w = 0;
	cand_ctx	ctx;
	sr_err		err;

	/* the premises, the projects and their travel times are held until
	 * the call ends (the rule of each: sr_matching.h) */
	sr_qbudget	budget = {"match_candidates",
		"Pass the projects in groups, each call reading every premise (a project's candidates do not depend on the other projects), or raise smartregion.max_call_memory.",
	0, 0, -1, 0, 0, 0};

	sr_require_arg(fcinfo, 0, "projects_sql");
	sr_require_arg(fcinfo, 1, "premises_sql");
	k = PG_ARGISNULL(2) ? 10 : PG_GETARG_INT32(2);
	sr_require_range(k, "k", 1, 10000);
	InitMaterializedSRF(fcinfo, 0);
	/* (the hubs its texts read: who controls their code, before any runs) */
	sr_query_hub_guard(fcinfo, "match_candidates", (const int[]) {0, 1, 4}, 3, NULL);
	pl = cached_plugins(fcinfo, &sr_match_candidates_optset);
	read_weights(PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3), pl, &w);

	nq = read_records("premises_sql", sr_text_arg(fcinfo, 1), SR_MATCH_PREMISE,
					  (void **) &premises, pl->n > 0 ? &premise_jb : NULL, &budget);
	np = read_records("projects_sql", sr_text_arg(fcinfo, 0), SR_MATCH_PROJECT,
					  (void **) &projects, pl->n > 0 ? &project_jb : NULL, &budget);
	sr_err_clear(&err);
	if (sr_match_index_ids(SR_MATCH_PROJECT, projects, np, "projects_sql", &pmap, &err) != SR_OK ||
		sr_match_index_ids(SR_MATCH_PREMISE, premises, nq, "premises_sql", &qmap, &err) != SR_OK)
		sr_raise(&err);

	if (has_travel)
	{
		/* travel times: candidates are the pairs listed */
		batch_state s = {.travel = &travel};

		sr_match_travel_init(&travel, projects, np, pmap, premises, nq, qmap, "travel_sql");
		read_into_core("travel_sql", sr_text_arg(fcinfo, 4), travel_cols, lengthof(travel_cols),
					   &s, travel_step, &budget, SR_MATCH_HOLD_TRAVEL);
		if (sr_match_travel_group(&travel, &err) != SR_OK)
			sr_raise(&err);
	}
	else if (sr_match_grid_build(premises, nq, &grid, &err) != SR_OK)
		sr_raise(&err);

	if (!has_travel && pl->n == 0)
	{
		candidates_threaded(rsinfo, grid, projects, np, premises, &w, k);
		return (Datum) 0;
	}
	ctx.pl = pl;
	ctx.premises = premises;
	ctx.premise_jb = premise_jb;
	ctx.w = &w;
	top = palloc(sizeof(sr_match_topk_item) * k);
	for (int i = 0; i < pl->n; i++)
		extra_w += pl->extra[i].weight;
	for (int i = 0; i < np; i++)
	{
		int			nout = 0;
		sr_status	st;

		ctx.project_jb = project_jb ? project_jb[i] : (Datum) 0;
		if (has_travel)
			st = sr_match_topk_list(premises, &projects[i], &w, k,
									travel.premise + travel.start[i], travel.minutes + travel.start[i],
									travel.start[i + 1] - travel.start[i],
									pl->n ? rescore_with_plugins : NULL, &ctx, top, &nout, &err);
		else
			st = sr_match_topk(grid, &projects[i], &w, k, extra_w,
							   pl->n ? rescore_with_plugins : NULL, &ctx, top, &nout, &err);
		if (st != SR_OK)
			sr_raise(&err);
		for (int r = 0; r < nout; r++)
			put_pair(rsinfo, projects[i].id, premises[top[r].premise].id, r + 1, top[r].score);
		if ((i & 255) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/* ------------------------------------------------------------------ */
/* match_assign                                                       */
/* ------------------------------------------------------------------ */

PG_FUNCTION_INFO_V1(sr_fn_match_assign);
/* smartregion.match_assign(pairs_sql, method, capacities_sql): at most one
 * premise per project, within the premises' capacities. */
Datum
sr_fn_match_assign(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_match_method method = SR_ASSIGN_OPTIMAL;
	sr_match_pairs pairs;
	batch_state s = {.pairs = &pairs};
	sr_match_problem pb;
	sr_match_solution sol;
	double	   *row_score;
	sr_err		err;

	/* the pairs are held until the call ends (the rule: sr_matching.h); the
	 * capacities go into an array of the pairs' premises, held already */
	sr_qbudget	budget = {"match_assign",
		"Assign the projects in groups that share no premise (a connected component of the pairs each), or raise smartregion.max_call_memory.",
	0, 0, -1, 0, 0, 0};

	sr_require_arg(fcinfo, 0, "pairs_sql");
	sr_err_clear(&err);
	if (!PG_ARGISNULL(1) && sr_match_method_parse(sr_text_arg(fcinfo, 1), &method, &err) != SR_OK)
		sr_raise(&err);
	/* (the hubs its texts read: who controls their code, before any runs) */
	sr_query_hub_guard(fcinfo, "match_assign", (const int[]) {0, 2}, 2, NULL);
	InitMaterializedSRF(fcinfo, 0);

	if (sr_match_pairs_init(&pairs, &err) != SR_OK)
		sr_raise(&err);
	read_into_core("pairs_sql", sr_text_arg(fcinfo, 0), pair_cols, lengthof(pair_cols), &s, pairs_step,
				   &budget, SR_MATCH_HOLD_PAIR);
	if (!PG_ARGISNULL(2))
		read_into_core("capacities_sql", sr_text_arg(fcinfo, 2), capacity_cols,
					   lengthof(capacity_cols), &s, capacities_step, NULL, 0);
	/* numbered by ids: the same result whatever the rows' order */
	if (sr_match_pairs_canonical(&pairs, &err) != SR_OK)
		sr_raise(&err);
	sr_match_pairs_problem(&pairs, &pb);
	if (sr_match_solve(&pb, method, &sol, &err) != SR_OK)
		sr_raise(&err);

	row_score = palloc(sizeof(double) * (pb.n_rows + 1));
	sr_match_assigned_scores(&pb, &sol, row_score);
	for (int i = 0; i < pb.n_rows; i++)
		if (sol.row_col[i] >= 0)
			put_pair(rsinfo, pb.row_id[i], pb.col_id[sol.row_col[i]], 0, row_score[i]);
	return (Datum) 0;
}
