/*
 * cnig.c — entry points of the CNIG "Sites économiques" exports that are
 * written in C (docs/zones.md, "CNIG exports"): the NAF -> vocation
 * mapping and the standard's value lists used by the plpgsql exports of
 * extension/sql/install/65-cnig.sql.  The tables are the core's (cnig.c).
 */
#include "sr_pg.h"

#include <math.h>

#include "sr_cnig.h"
#include "sr_zones.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "nodes/makefuncs.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/typcache.h"

/* an error naming a NAF code that is not NAF rev. 2 */
static void
bad_naf(const char *naf)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid NAF rev. 2 code \"%s\"", naf),
			 errhint("A NAF rev. 2 subclass is written like \"52.10B\" or \"5210B\".")));
}

PG_FUNCTION_INFO_V1(sr_fn_naf_vocation);
/* smartregion.naf_vocation(naf): the standard's vocation of a NAF code */
Datum
sr_fn_naf_vocation(PG_FUNCTION_ARGS)
{
	char	   *naf = text_to_cstring(PG_GETARG_TEXT_PP(0));
	const char *v = sr_cnig_vocation(naf);

	if (v == NULL)
		bad_naf(naf);
	PG_RETURN_TEXT_P(cstring_to_text(v));
}

PG_FUNCTION_INFO_V1(sr_fn_naf_section);
/* smartregion._naf_section(naf): the NAF rev. 2 section letter (A-U) */
Datum
sr_fn_naf_section(PG_FUNCTION_ARGS)
{
	char	   *naf = text_to_cstring(PG_GETARG_TEXT_PP(0));
	int			s = sr_zones_naf_section(naf);
	char		letter[2];

	if (s < 0)
		bad_naf(naf);
	letter[0] = sr_zones_section_letter(s);
	letter[1] = '\0';
	PG_RETURN_TEXT_P(cstring_to_text(letter));
}

PG_FUNCTION_INFO_V1(sr_fn_headcount_band_label);
/* smartregion._headcount_band_label(band): INSEE's label of a band, NULL
 * for an unknown code */
Datum
sr_fn_headcount_band_label(PG_FUNCTION_ARGS)
{
	const char *l = sr_cnig_band_label(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (l == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(l));
}

PG_FUNCTION_INFO_V1(sr_fn_cnig_values);
/* smartregion._cnig_values(field): the standard's value list of an
 * enumerated field, NULL when the field has none */
Datum
sr_fn_cnig_values(PG_FUNCTION_ARGS)
{
	const char *const *v = sr_cnig_values(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	Datum	   *elems;
	int			n = 0;

	if (v == NULL)
		PG_RETURN_NULL();
	while (v[n])
		n++;
	elems = palloc(sizeof(Datum) * n);
	for (int i = 0; i < n; i++)
		elems[i] = CStringGetTextDatum(v[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(sr_fn_headcount_band_jobs);
/* smartregion._headcount_band_jobs(band): the jobs zone_indicators counts
 * for a band (its midpoint), NULL for an unknown code */
Datum
sr_fn_headcount_band_jobs(PG_FUNCTION_ARGS)
{
	int			b = sr_zones_band_index(text_to_cstring(PG_GETARG_TEXT_PP(0)));

	if (b < 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(sr_zones_band_jobs(b));
}

/* the elements of a one-dimensional array argument, checked to have n of them */
static void
array_arg(FunctionCallInfo fcinfo, int argno, const char *name, Oid elemtype, int elemlen,
		  bool byval, char align, Datum **elems, bool **nulls, int *n)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(argno);
	int			k;

	if (ARR_NDIM(a) > 1 || ARR_ELEMTYPE(a) != elemtype)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"%s\" must be a one-dimensional array", name)));
	deconstruct_array(a, elemtype, elemlen, byval, align, elems, nulls, &k);
	if (*n >= 0 && k != *n)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("parameter \"%s\" has %d elements, not %d", name, k, *n)));
	*n = k;
}

PG_FUNCTION_INFO_V1(sr_fn_cnig_residual_listing);
/* smartregion._cnig_residual_listing(zone_id, siret, jobs, cell, in_total,
 * jobs_known, listed, options): listed again so that what the establishments file withholds in
 * each zone passes the primary rules itself (core: sr_zones_residual_listing);
 * options are zone_indicators' (rules, fiscal).  STRICT. */
Datum
sr_fn_cnig_residual_listing(PG_FUNCTION_ARGS)
{
	Datum	   *dz,
			   *ds,
			   *dj,
			   *dc,
			   *di,
			   *dk,
			   *dl;
	bool	   *nz,
			   *ns,
			   *nj,
			   *nc,
			   *ni,
			   *nk,
			   *nl;
	int			n = -1;
	int64_t    *zone;
	const char **siret;
	double	   *jobs;
	int32_t    *cell;
	bool	   *in_total,
			   *jobs_known,
			   *listed;
	Datum	   *out;
	sr_zones_opts opt;
	sr_err		err;

	array_arg(fcinfo, 0, "zone_id", INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &dz, &nz, &n);
	array_arg(fcinfo, 1, "siret", TEXTOID, -1, false, TYPALIGN_INT, &ds, &ns, &n);
	array_arg(fcinfo, 2, "jobs", FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &dj, &nj, &n);
	array_arg(fcinfo, 3, "cell", INT4OID, 4, true, TYPALIGN_INT, &dc, &nc, &n);
	array_arg(fcinfo, 4, "in_total", BOOLOID, 1, true, TYPALIGN_CHAR, &di, &ni, &n);
	array_arg(fcinfo, 5, "jobs_known", BOOLOID, 1, true, TYPALIGN_CHAR, &dk, &nk, &n);
	array_arg(fcinfo, 6, "listed", BOOLOID, 1, true, TYPALIGN_CHAR, &dl, &nl, &n);
	sr_options_read(PG_GETARG_JSONB_P(7), &sr_zones_optset, &opt, "options");

	zone = palloc(sizeof(int64_t) * Max(n, 1));
	siret = palloc(sizeof(char *) * Max(n, 1));
	jobs = palloc(sizeof(double) * Max(n, 1));
	cell = palloc(sizeof(int32_t) * Max(n, 1));
	in_total = palloc(sizeof(bool) * Max(n, 1));
	jobs_known = palloc(sizeof(bool) * Max(n, 1));
	listed = palloc(sizeof(bool) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		/* an establishment outside a published total (no zone, inactive) is neither
		 * listed nor withheld from a total: NULLs there are fine */
		in_total[i] = !ni[i] && DatumGetBool(di[i]);
		jobs_known[i] = nk[i] || DatumGetBool(dk[i]);	/* unknown: assume published */
		listed[i] = !nl[i] && DatumGetBool(dl[i]);
		zone[i] = nz[i] ? 0 : DatumGetInt64(dz[i]);
		siret[i] = ns[i] ? NULL : TextDatumGetCString(ds[i]);
		jobs[i] = nj[i] ? NAN : DatumGetFloat8(dj[i]);
		cell[i] = nc[i] ? -1 : DatumGetInt32(dc[i]);
		if (in_total[i] && (nz[i] || ns[i] || nj[i]))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("establishment %d of a published total has a NULL zone, SIRET or jobs", i + 1)));
	}
	sr_err_clear(&err);
	if (sr_zones_residual_listing((size_t) n, zone, siret, jobs, cell, in_total, jobs_known, listed,
								  &opt.rules, opt.fiscal, NULL, &err) != SR_OK)
		sr_raise(&err);
	out = palloc(sizeof(Datum) * Max(n, 1));
	for (int i = 0; i < n; i++)
		out[i] = BoolGetDatum(listed[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(out, n, BOOLOID, 1, true, TYPALIGN_CHAR));
}

PG_FUNCTION_INFO_V1(sr_fn_secrecy_rules_other);
/* smartregion._secrecy_rules_other(rules): whether secrecy rules differ from
 * the defaults, weaker or stricter (core: sr_secrecy_rules_other).  STRICT. */
Datum
sr_fn_secrecy_rules_other(PG_FUNCTION_ARGS)
{
	sr_secrecy_rules r;

	sr_options_read(PG_GETARG_JSONB_P(0), &sr_secrecy_optset, &r, "rules");
	PG_RETURN_BOOL(sr_secrecy_rules_other(&r));
}

PG_FUNCTION_INFO_V1(sr_fn_secrecy_rules_weaker);
/* smartregion._secrecy_rules_weaker(rules): whether secrecy rules protect less
 * than the defaults (core: sr_secrecy_rules_weaker).  STRICT. */
Datum
sr_fn_secrecy_rules_weaker(PG_FUNCTION_ARGS)
{
	sr_secrecy_rules r;

	sr_options_read(PG_GETARG_JSONB_P(0), &sr_secrecy_optset, &r, "rules");
	PG_RETURN_BOOL(sr_secrecy_rules_weaker(&r));
}

PG_FUNCTION_INFO_V1(sr_fn_secrecy_rules_publication);
/* smartregion._secrecy_rules_publication(rules, hub_rules, hub): the rules a
 * publication takes, hub_rules (NULL: the defaults), or refused (22023) when
 * the call's rules (NULL: none passed) are others (core:
 * sr_secrecy_rules_publication). */
Datum
sr_fn_secrecy_rules_publication(PG_FUNCTION_ARGS)
{
	sr_secrecy_rules c,
				h;
	sr_err		err;

	if (!PG_ARGISNULL(0))
		sr_options_read(PG_GETARG_JSONB_P(0), &sr_secrecy_optset, &c, "rules");
	if (!PG_ARGISNULL(1))
		sr_options_read(PG_GETARG_JSONB_P(1), &sr_secrecy_optset, &h, "rules");
	sr_err_clear(&err);
	if (sr_secrecy_rules_publication(PG_ARGISNULL(0) ? NULL : &c, PG_ARGISNULL(1) ? NULL : &h,
									 PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)),
									 &err) != SR_OK)
		sr_raise(&err);
	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	PG_RETURN_DATUM(PG_GETARG_DATUM(1));
}

PG_FUNCTION_INFO_V1(sr_fn_secrecy_rules_set_check);
/* smartregion._secrecy_rules_set_check(old_rules, new_rules, zones_ever, hub):
 * whether a hub's set may change (core: sr_secrecy_rules_set_check); 22023 for
 * weaker rules, 55000 once the hub has held a zone, 42501 when zones_ever is
 * NULL (the caller cannot tell: row-level security may hide zones from it). */
Datum
sr_fn_secrecy_rules_set_check(PG_FUNCTION_ARGS)
{
	sr_secrecy_rules o,
				n;
	sr_err		err;
	bool		frozen;
	sr_zones_ever ever = PG_ARGISNULL(2) ? SR_ZONES_UNSEEN
		: PG_GETARG_BOOL(2) ? SR_ZONES_HELD : SR_ZONES_NEVER;

	if (!PG_ARGISNULL(0))
		sr_options_read(PG_GETARG_JSONB_P(0), &sr_secrecy_optset, &o, "rules");
	if (!PG_ARGISNULL(1))
		sr_options_read(PG_GETARG_JSONB_P(1), &sr_secrecy_optset, &n, "rules");
	sr_err_clear(&err);
	if (sr_secrecy_rules_set_check(PG_ARGISNULL(0) ? NULL : &o, PG_ARGISNULL(1) ? NULL : &n,
								   ever, PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3)),
								   &frozen, &err) != SR_OK)
	{
		if (frozen)
			ereport(ERROR,
					(errcode(ever == SR_ZONES_UNSEEN ? ERRCODE_INSUFFICIENT_PRIVILEGE
							 : ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg_internal("%s", err.msg),
					 errdetail_internal("%s", err.detail),
					 errhint("%s", err.hint)));
		sr_raise(&err);
	}
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(sr_fn_cnig_row);
/*
 * smartregion._cnig_row(r anyelement): a row of an input query as to_jsonb
 * gives it, without its column "geom".  That column is set to NULL before the
 * conversion, then its key removed: PostGIS's cast of a geometry to json
 * looks its SRID up in spatial_ref_sys for every row (19 µs a point, 90 % of
 * the conversion), for a key thrown away.  The SQL declaration pins the
 * search path (the other columns' casts run PostGIS's SQL).  STRICT.
 */
Datum
sr_fn_cnig_row(PG_FUNCTION_ARGS)
{
	Oid			argtype = get_fn_expr_argtype(fcinfo->flinfo, 0);
	FmgrInfo   *to_jsonb = (FmgrInfo *) fcinfo->flinfo->fn_extra;
	HeapTupleHeader th;
	TupleDesc	td;
	HeapTupleData tup;
	Datum		rec;
	Jsonb	   *j;
	int			geom = -1;

	if (!OidIsValid(argtype) || !type_is_rowtype(argtype))
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("_cnig_row expects a row, not type %s", format_type_be(argtype))));
	if (to_jsonb == NULL)
	{
		FuncExpr   *fe;
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		/* to_jsonb(record): the argument's type comes from the expression */
		to_jsonb = palloc0(sizeof(FmgrInfo));
		fmgr_info_cxt(F_TO_JSONB, to_jsonb, fcinfo->flinfo->fn_mcxt);
		fe = makeFuncExpr(F_TO_JSONB, JSONBOID,
						  list_make1(makeNullConst(RECORDOID, -1, InvalidOid)),
						  InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
		fmgr_info_set_expr((Node *) fe, to_jsonb);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = to_jsonb;
	}
	th = PG_GETARG_HEAPTUPLEHEADER(0);
	td = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(th), HeapTupleHeaderGetTypMod(th));
	for (int i = 0; i < td->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), "geom") == 0)
			geom = i;
	}
	rec = PointerGetDatum(th);
	if (geom >= 0)
	{
		Datum	   *values = palloc(sizeof(Datum) * td->natts);
		bool	   *nulls = palloc(sizeof(bool) * td->natts);

		tup.t_len = HeapTupleHeaderGetDatumLength(th);
		ItemPointerSetInvalid(&tup.t_self);
		tup.t_tableOid = InvalidOid;
		tup.t_data = th;
		heap_deform_tuple(&tup, td, values, nulls);
		nulls[geom] = true;
		rec = HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
	}
	ReleaseTupleDesc(td);
	j = DatumGetJsonbP(FunctionCall1(to_jsonb, rec));
	if (geom >= 0)
		j = DatumGetJsonbP(DirectFunctionCall2(jsonb_delete, JsonbPGetDatum(j),
											   CStringGetTextDatum("geom")));
	PG_RETURN_JSONB_P(j);
}

/* the column of a caller's query whose value _cnig_convert converts */
typedef struct convert_source
{
	const char *column;
	const char *query;
} convert_source;

static void
convert_error_context(void *arg)
{
	convert_source *s = (convert_source *) arg;

	/* the reader's form (query.c): _reraise_query_error names the column */
	errcontext("while reading column %s of %s", s->column, s->query);
}

typedef struct convert_cache
{
	Oid			target;
	FmgrInfo	input;
	Oid			ioparam;
} convert_cache;

PG_FUNCTION_INFO_V1(sr_fn_cnig_convert);
/*
 * smartregion._cnig_convert(value, column_name, query, target anyelement):
 * the text of an input column in target's type, as the exports' casts made it
 * (an integer through numeric, rounded: '12.0' is 12, '12.5' 13; a double
 * precision, the distances in km, keeps its decimals and must be finite); an error of
 * the conversion keeps its SQLSTATE and message and gets the context line
 * "while reading column gare_dist of zones_sql", which _reraise_query_error
 * turns into its detail.  A NULL value is NULL (not STRICT: target is a typed
 * NULL).
 */
Datum
sr_fn_cnig_convert(PG_FUNCTION_ARGS)
{
	Oid			target = get_fn_expr_argtype(fcinfo->flinfo, 3);
	convert_cache *cc = (convert_cache *) fcinfo->flinfo->fn_extra;
	convert_source src = {sr_text_arg(fcinfo, 1), sr_text_arg(fcinfo, 2)};
	ErrorContextCallback ecb;
	char	   *value;
	Datum		result;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	if (!OidIsValid(target))
		elog(ERROR, "could not determine the target type of _cnig_convert");
	if (cc == NULL || cc->target != target)
	{
		Oid			input;

		cc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(convert_cache));
		cc->target = target;
		getTypeInputInfo(target, &input, &cc->ioparam);
		fmgr_info_cxt(input, &cc->input, fcinfo->flinfo->fn_mcxt);
		fcinfo->flinfo->fn_extra = cc;
	}
	value = text_to_cstring(PG_GETARG_TEXT_PP(0));
	ecb.callback = convert_error_context;
	ecb.arg = &src;
	ecb.previous = error_context_stack;
	if (src.column && src.query)
		error_context_stack = &ecb;
	if (target == INT4OID || target == INT8OID)
	{
		Datum		n = DirectFunctionCall3(numeric_in, CStringGetDatum(value),
										   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));

		result = DirectFunctionCall1(target == INT4OID ? numeric_int4 : numeric_int8, n);
	}
	else
		result = InputFunctionCall(&cc->input, value, cc->ioparam, -1);
	/* a distance (the standard's number, in km) is a finite number: float8
	 * input takes "NaN" and "Infinity", which no exchange file should hold */
	if (target == FLOAT8OID && !isfinite(DatumGetFloat8(result)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value \"%s\" is not a finite number", value)));
	error_context_stack = ecb.previous;
	PG_RETURN_DATUM(result);
}
