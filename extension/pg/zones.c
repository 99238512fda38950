/*
 * zones.c — entry points of the activity-zone observatory (docs/zones.md):
 * zone_indicators, land_unit_vacancy, land_consumption, statistical_secrecy.
 *
 * The query arguments are read by the shared reader (query.c), the options
 * against the core's specs (zones_options.c); the placement, indicators,
 * ZAN trajectory and secrecy are the core's (extension/core/zones_*.c).
 */
#include "sr_pg.h"

#include <math.h>

#include "sr_zones.h"

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/date.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

/* ---- the four inputs ---------------------------------------------------------- */

static const sr_qcol zone_cols[] = {
	{"zone_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"geom", SR_Q_GEOMETRY, SR_Q_NOTNULL | SR_Q_METRIC},
};
static const sr_qcol parcel_cols[] = {
	{"parcel_id", SR_Q_TEXT, SR_Q_NOTNULL},
	{"geom", SR_Q_GEOMETRY, SR_Q_NOTNULL | SR_Q_METRIC},
	{"land_unit_id", SR_Q_TEXT, 0},
	/* read to check its type, never kept: outputs never name owners */
	{"owner_id", SR_Q_TEXT, SR_Q_OPTIONAL},
};
static const sr_qcol building_cols[] = {
	{"building_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"geom", SR_Q_GEOMETRY, SR_Q_NOTNULL | SR_Q_METRIC},
	{"levels", SR_Q_INT4, 0},
	{"built_year", SR_Q_INT4, 0},
};
static const sr_qcol estab_cols[] = {
	{"siret", SR_Q_TEXT, SR_Q_NOTNULL},
	{"geom", SR_Q_GEOMETRY, SR_Q_METRIC},	/* NULL: counted as not on a parcel */
	{"naf", SR_Q_TEXT, 0},
	{"headcount_band", SR_Q_TEXT, 0},
	{"start_date", SR_Q_DATE, 0},
	{"end_date", SR_Q_DATE, 0},
	{"cfe_liable", SR_Q_BOOL, 0},
};

/* Read one input; sql NULL = no rows.  Its rows count in the call's
 * budget (smartregion.max_call_memory): geometry is column 1 of each. */
static void
read_input(const char *param, const char *sql, const sr_qcol *cols, int ncols, sr_qresult *res,
		   sr_qbudget *budget)
{
	sr_query	q = {param, sql, cols, ncols};

	q.budget = budget;
	memset(res, 0, sizeof(*res));
	if (sql)
		sr_query_read(&q, res);
}

/* Split a geometry column into the core's pointer and length arrays. */
static void
wkb_arrays(const sr_qresult *r, int c, const unsigned char ***wkb, const size_t **len)
{
	const unsigned char **w = palloc(sizeof(char *) * Max(r->nrows, 1));
	size_t	   *l = palloc(sizeof(size_t) * Max(r->nrows, 1));

	for (int64 i = 0; i < r->nrows; i++)
	{
		bool		isnull = SR_QNULL(r, c, i);

		w[i] = isnull ? NULL : SR_QVAL(r, c, sr_qgeom)[i].wkb;
		l[i] = isnull ? 0 : SR_QVAL(r, c, sr_qgeom)[i].len;
	}
	*wkb = w;
	*len = l;
}

/* NULL text values as NULL pointers (the reader leaves them undefined). */
static const char *const *
texts(const sr_qresult *r, int c)
{
	char	  **t = SR_QVAL(r, c, char *);

	for (int64 i = 0; i < r->nrows; i++)
		if (SR_QNULL(r, c, i))
			t[i] = NULL;
	return (const char *const *) t;
}

/* int32 values with a sentinel for NULL */
static const int32_t *
ints(const sr_qresult *r, int c, int32 if_null)
{
	int32	   *v = SR_QVAL(r, c, int32);

	for (int64 i = 0; i < r->nrows; i++)
		if (SR_QNULL(r, c, i))
			v[i] = if_null;
	return v;
}

/* Release GEOS objects if an error or cancel unwinds a build. */
static void
model_reset_callback(void *arg)
{
	sr_zones_model_release_geos((sr_zones_model *) arg);
}

/*
 * Read the inputs and build the model, all in the work context 'cxt'
 * (current on entry).
 */
static void
load_and_build(const char *fn, sr_zones_data *d, sr_zones_model *m, const char *zones_sql,
			   const char *parcels_sql, const char *buildings_sql,
			   const char *establishments_sql, int32 today)
{
	/* every row of the four inputs is held until the call ends: the
	 * family's rule, measured (sr_zones.h), bounds them together */
	sr_qbudget	budget = {fn,
		"Pass the parcels, buildings and establishments of the zones only (ST_Intersects with them), split the zones into groups, or raise smartregion.max_call_memory.",
	SR_ZONES_HOLD_ROW, SR_ZONES_HOLD_POINT, 1, 0, 0};
	sr_qresult	z,
				p,
				b,
				e;
	MemoryContextCallback *cb;
	sr_err		err;
	sr_status	st;
	bool	   *cfe;

	read_input("zones_sql", zones_sql, zone_cols, lengthof(zone_cols), &z, &budget);
	read_input("parcels_sql", parcels_sql, parcel_cols, lengthof(parcel_cols), &p, &budget);
	read_input("buildings_sql", buildings_sql, building_cols, lengthof(building_cols), &b, &budget);
	read_input("establishments_sql", establishments_sql, estab_cols, lengthof(estab_cols), &e, &budget);

	memset(d, 0, sizeof(*d));
	d->nzones = z.nrows;
	if (z.nrows)
	{
		d->zone_id = SR_QVAL(&z, 0, int64);
		wkb_arrays(&z, 1, (const unsigned char ***) &d->zone_wkb, &d->zone_wkb_len);
	}
	d->nparcels = p.nrows;
	if (p.nrows)
	{
		d->parcel_id = texts(&p, 0);
		wkb_arrays(&p, 1, (const unsigned char ***) &d->parcel_wkb, &d->parcel_wkb_len);
		d->land_unit_id = texts(&p, 2);
	}
	d->nbuildings = b.nrows;
	if (b.nrows)
	{
		d->building_id = SR_QVAL(&b, 0, int64);
		wkb_arrays(&b, 1, (const unsigned char ***) &d->building_wkb, &d->building_wkb_len);
		d->levels = ints(&b, 2, 1);	/* NULL levels count as one (docs/zones.md) */
		d->built_year = ints(&b, 3, SR_ZONES_NO_YEAR);
	}
	d->nestabs = e.nrows;
	if (e.nrows)
	{
		d->siret = texts(&e, 0);
		wkb_arrays(&e, 1, (const unsigned char ***) &d->estab_wkb, &d->estab_wkb_len);
		d->naf = texts(&e, 2);
		d->band = texts(&e, 3);
		d->start_day = ints(&e, 4, SR_ZONES_NO_DATE);
		d->end_day = ints(&e, 5, SR_ZONES_NO_DATE);
		cfe = SR_QVAL(&e, 6, bool);
		for (int64 i = 0; i < e.nrows; i++)
		{
			if (SR_QNULL(&e, 6, i))
				cfe[i] = false;
			if (d->start_day[i] != SR_ZONES_NO_DATE && d->start_day[i] > today)
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("establishment %s has a start_date in the future", d->siret[i]),
						 errdetail("An observatory describes establishments that have started; start_date must not be later than today."),
						 errhint("Correct the date, or leave out the establishments not started yet in establishments_sql (WHERE start_date <= current_date): they are active on no date these functions accept.")));
		}
		d->cfe_liable = cfe;
	}

	cb = palloc0(sizeof(MemoryContextCallback));
	cb->func = model_reset_callback;
	cb->arg = m;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	sr_err_clear(&err);
	st = sr_zones_build(d, m, &err);
	SR_CHECK_STATUS(st, &err);
}

/* at date -> (at_day, ref_day = 1 January of its year) */
static void
reference_dates(FunctionCallInfo fcinfo, int n, int32 today, int32 *at_day, int32 *ref_day)
{
	DateADT		at;
	int			y,
				mo,
				d;

	sr_require_arg(fcinfo, n, "at");
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

/* A work context for a call's inputs and model, made current. */
static MemoryContext
work_context(MemoryContext *old)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext, "zones work",
											  ALLOCSET_DEFAULT_SIZES);

	*old = MemoryContextSwitchTo(cxt);
	return cxt;
}

static Datum
float_or_null(double x, bool *isnull)
{
	*isnull = isnan(x);
	return Float8GetDatum(isnan(x) ? 0.0 : x);
}

/* ---- zone_indicators --------------------------------------------------------- */

/*
 * What the four texts of a published call read (the extension's
 * _zones_texts_read: every_hub, and the relations of each text's parse
 * analysis and rewriting), asked once per call under the caller's
 * search_path and passed to the four checks below, which until 2026-12-07
 * each analysed the texts again.
 */
typedef struct texts_read
{
	Datum		every_hub;		/* boolean */
	Datum		relations;		/* oid[] */
} texts_read;

/* The call's four texts as a text[], in argument order, NULL kept. */
static Datum
publication_texts(FunctionCallInfo fcinfo)
{
	Datum		texts[4];
	bool		nulls[4];
	int			dims[1] = {4},
				lbs[1] = {1};

	for (int i = 0; i < 4; i++)
	{
		nulls[i] = PG_ARGISNULL(i);
		texts[i] = nulls[i] ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	return PointerGetDatum(construct_md_array(texts, nulls, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT));
}

static void
publication_texts_read(FunctionCallInfo fcinfo, texts_read *r)
{
	static const Oid argtypes[2] = {TEXTARRAYOID, TEXTOID};
	bool		isnull;
	HeapTupleHeader t;

	/* (under the caller's search_path, as the texts are read; a NULL text
	 * reads nothing) */
	t = DatumGetHeapTupleHeader(OidFunctionCall2(sr_ext_function(fcinfo, "_zones_texts_read", 2, argtypes),
												 publication_texts(fcinfo),
												 CStringGetTextDatum(GetConfigOption("search_path", false, false))));
	r->every_hub = GetAttributeByNum(t, 1, &isnull);
	if (isnull)
		elog(ERROR, "_zones_texts_read returned a NULL every_hub");
	r->relations = GetAttributeByNum(t, 2, &isnull);
	if (isnull)
		elog(ERROR, "_zones_texts_read returned NULL relations");
}

/* The call's zones as a bytea[] of their EWKB, in input order, for the
 * extension's publication checks. */
static Datum
zones_ewkb_array(const sr_zones_data *d)
{
	Datum	   *zones = palloc(sizeof(Datum) * Max(d->nzones, 1));

	for (size_t i = 0; i < d->nzones; i++)
	{
		bytea	   *b = palloc(VARHDRSZ + d->zone_wkb_len[i]);

		SET_VARSIZE(b, VARHDRSZ + d->zone_wkb_len[i]);
		memcpy(VARDATA(b), d->zone_wkb[i], d->zone_wkb_len[i]);
		zones[i] = PointerGetDatum(b);
	}
	return PointerGetDatum(construct_array(zones, (int) d->nzones, BYTEAOID, -1, false, TYPALIGN_INT));
}

/*
 * One flag per zone (input order) from the extension's function fn(every_hub,
 * relations, zones' EWKB) of a published call, or NULL when fn answers NULL
 * (an answer, which OidFunctionCall3 would refuse); a NULL flag counts as
 * null_flag.  For publication_scope and publication_hidden.
 */
static bool *
zone_flags(FunctionCallInfo fcinfo, const char *fn, const texts_read *r, const sr_zones_data *d, bool null_flag)
{
	static const Oid argtypes[3] = {BOOLOID, OIDARRAYOID, BYTEAARRAYOID};
	Datum	   *flags,
				res;
	bool	   *fnulls,
			   *out;
	int			nflags;
	FmgrInfo	flinfo;

	LOCAL_FCINFO(call, 3);

	fmgr_info(sr_ext_function(fcinfo, fn, 3, argtypes), &flinfo);
	InitFunctionCallInfoData(*call, &flinfo, 3, InvalidOid, NULL, NULL);
	call->args[0].value = r->every_hub;
	call->args[0].isnull = false;
	call->args[1].value = r->relations;
	call->args[1].isnull = false;
	call->args[2].value = zones_ewkb_array(d);
	call->args[2].isnull = false;
	res = FunctionCallInvoke(call);
	if (call->isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(res), BOOLOID, 1, true, TYPALIGN_CHAR, &flags, &fnulls, &nflags);
	if (nflags != (int) d->nzones)
		elog(ERROR, "%s returned %d flags for %zu zones", fn, nflags, d->nzones);
	out = palloc(sizeof(bool) * Max(d->nzones, 1));
	for (int i = 0; i < nflags; i++)
		out[i] = fnulls[i] ? null_flag : DatumGetBool(flags[i]);
	return out;
}

/*
 * The zones (input order) a published call may publish: the extension's
 * _zones_publication_scope over the zones' EWKB, which returns NULL for a
 * caller that row-level security does not filter (it reads the whole
 * population: every zone in scope), and for a filtered one a flag per zone,
 * true for the zones lying wholly inside its territories' contours, or
 * refuses the call (42501) when those contours are not loaded.  NULL here
 * says the caller is not filtered.  The rules themselves are the core's
 * (sr_zones_zone_withheld, sr_zones_call_counts_shown).
 */
static bool *
publication_scope(FunctionCallInfo fcinfo, const texts_read *r, const sr_zones_data *d)
{
	/* (a NULL flag: not in scope) */
	return zone_flags(fcinfo, "_zones_publication_scope", r, d, false);
}

/*
 * A published call reads the whole population: the extension's
 * _zones_publication_inputs refuses (22023) texts reading a hub whose
 * establishments or parcels are not that hub's table whole and unchanged (a
 * filtered table's difference with the whole one gives suppressed cells back).
 */
static void
publication_inputs(FunctionCallInfo fcinfo, const texts_read *r)
{
	static const Oid argtypes[4] = {TEXTARRAYOID, TEXTOID, BOOLOID, OIDARRAYOID};

	/* (the texts, a NULL one no rows, run again under the caller's
	 * search_path, as they are read) */
	(void) OidFunctionCall4(sr_ext_function(fcinfo, "_zones_publication_inputs", 4, argtypes),
							publication_texts(fcinfo),
							CStringGetTextDatum(GetConfigOption("search_path", false, false)),
							r->every_hub, r->relations);
}

/*
 * The secrecy rules of a published call: the set of the hubs its texts read
 * (_zones_publication_rules: smartregion.hub_secrecy_rules, NULL for the
 * defaults), which the call's own "rules" (none passed: the set) must be, or
 * refused (22023): every release of a hub takes one set (docs/zones.md, one
 * rule set; the core's sr_secrecy_rules_publication).
 */
static void
publication_rules(FunctionCallInfo fcinfo, const texts_read *r, sr_zones_opts *opt)
{
	static const Oid argtypes[2] = {BOOLOID, OIDARRAYOID};
	bool		given = !PG_ARGISNULL(5) &&
		DatumGetBool(DirectFunctionCall2(jsonb_exists, PG_GETARG_DATUM(5), CStringGetTextDatum("rules")));
	sr_secrecy_rules hub_rules;
	const char *hub = NULL;
	FmgrInfo	flinfo;
	Datum		set;
	sr_err		err;

	LOCAL_FCINFO(call, 2);

	/* (NULL is an answer) */
	fmgr_info(sr_ext_function(fcinfo, "_zones_publication_rules", 2, argtypes), &flinfo);
	InitFunctionCallInfoData(*call, &flinfo, 2, InvalidOid, NULL, NULL);
	call->args[0].value = r->every_hub;
	call->args[0].isnull = false;
	call->args[1].value = r->relations;
	call->args[1].isnull = false;
	set = FunctionCallInvoke(call);
	if (!call->isnull)
	{
		hub = TextDatumGetCString(DirectFunctionCall2(jsonb_object_field_text, set, CStringGetTextDatum("hub")));
		sr_options_read(DatumGetJsonbP(DirectFunctionCall2(jsonb_object_field, set, CStringGetTextDatum("rules"))),
						&sr_secrecy_optset, &hub_rules, "rules");
	}
	sr_err_clear(&err);
	if (sr_secrecy_rules_publication(given ? &opt->rules : NULL, hub ? &hub_rules : NULL, hub, &err) != SR_OK)
		sr_raise(&err);
	if (hub)
		opt->rules = hub_rules;
	else
		sr_secrecy_default_rules(&opt->rules);
}

/*
 * A zone redrawn between two releases (docs/zones.md, "Earlier contours"):
 * the extension's _zones_publication_history gives the earlier contours of
 * the hubs the texts read that overlap the call's zones, and the pairs that
 * do; the core (sr_zones_history_withheld) says which zones (input order) a
 * release beside an earlier contour's would give establishments away.  NULL
 * when none is withheld.
 */
static bool *
publication_history(FunctionCallInfo fcinfo, const texts_read *r, const sr_zones_data *d, sr_zones_model *m,
					int32 at_day, const sr_zones_opts *opt)
{
	static const Oid argtypes[3] = {BOOLOID, OIDARRAYOID, BYTEAARRAYOID};
	Datum	   *cw,
			   *cz,
			   *pz,
			   *pc,
			   *pa;
	bool	   *nl,
			   *withheld;
	int			nc,
				ncz,
				npz,
				npc,
				npa;
	bool		isnull,
				any = false;
	HeapTupleHeader t;
	const unsigned char **wkb;
	size_t	   *len;
	int64_t    *cid;
	int32_t    *pair_zone,
			   *pair_contour;
	bool	   *pair_always;
	sr_err		err;
	sr_status	st;

	t = DatumGetHeapTupleHeader(OidFunctionCall3(sr_ext_function(fcinfo, "_zones_publication_history", 3, argtypes),
												 r->every_hub, r->relations, zones_ewkb_array(d)));
	deconstruct_array(DatumGetArrayTypeP(GetAttributeByNum(t, 1, &isnull)), BYTEAOID, -1, false, TYPALIGN_INT, &cw, &nl, &nc);
	deconstruct_array(DatumGetArrayTypeP(GetAttributeByNum(t, 2, &isnull)), INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &cz, &nl, &ncz);
	deconstruct_array(DatumGetArrayTypeP(GetAttributeByNum(t, 3, &isnull)), INT4OID, 4, true, TYPALIGN_INT, &pz, &nl, &npz);
	deconstruct_array(DatumGetArrayTypeP(GetAttributeByNum(t, 4, &isnull)), INT4OID, 4, true, TYPALIGN_INT, &pc, &nl, &npc);
	/* (whether each pair's contour is of another territory than its zone's) */
	deconstruct_array(DatumGetArrayTypeP(GetAttributeByNum(t, 5, &isnull)), BOOLOID, 1, true, TYPALIGN_CHAR, &pa, &nl, &npa);
	if (npz == 0)
		return NULL;
	if (ncz != nc || npc != npz || npa != npz)
		elog(ERROR, "_zones_publication_history returned %d contours, %d zone ids, %d, %d and %d pair ends", nc, ncz, npz, npc, npa);
	wkb = palloc(sizeof(char *) * nc);
	len = palloc(sizeof(size_t) * nc);
	cid = palloc(sizeof(int64_t) * nc);
	for (int i = 0; i < nc; i++)
	{
		wkb[i] = (const unsigned char *) VARDATA_ANY(DatumGetByteaPP(cw[i]));
		len[i] = VARSIZE_ANY_EXHDR(DatumGetByteaPP(cw[i]));
		cid[i] = DatumGetInt64(cz[i]);
	}
	/* (1-based ordinals to the core's indexes) */
	pair_zone = palloc(sizeof(int32_t) * npz);
	pair_contour = palloc(sizeof(int32_t) * npz);
	pair_always = palloc(sizeof(bool) * npz);
	for (int k = 0; k < npz; k++)
	{
		pair_zone[k] = DatumGetInt32(pz[k]) - 1;
		pair_contour[k] = DatumGetInt32(pc[k]) - 1;
		pair_always[k] = DatumGetBool(pa[k]);
	}
	withheld = palloc(sizeof(bool) * Max(d->nzones, 1));
	sr_err_clear(&err);
	st = sr_zones_history_withheld(d, m, at_day, opt->fiscal, &opt->rules, (size_t) nc, wkb, len, cid,
								   (size_t) npz, pair_zone, pair_contour, pair_always, withheld, &err);
	SR_CHECK_STATUS(st, &err);
	for (size_t i = 0; i < d->nzones; i++)
		any = any || withheld[i];
	return any ? withheld : NULL;
}

/*
 * The earlier contours a filtered caller cannot read (docs/zones.md,
 * "Earlier contours"): the extension's _zones_publication_hidden asks each
 * filtered hub's SECURITY DEFINER _zae_zone_history_hidden which of the
 * call's zones (input order) such a contour meets, one boolean a zone; those
 * are withheld, as the platform's call may withhold them (the caller cannot
 * compare what it cannot read).  NULL when none.
 */
static bool *
publication_hidden(FunctionCallInfo fcinfo, const texts_read *r, const sr_zones_data *d)
{
	/* (an unknown answer withholds: fail closed) */
	return zone_flags(fcinfo, "_zones_publication_hidden", r, d, true);
}

PG_FUNCTION_INFO_V1(sr_fn_zone_indicators);
/* smartregion.zone_indicators(zones_sql, parcels_sql, buildings_sql,
 * establishments_sql, at, options): one row per zone. */
Datum
sr_fn_zone_indicators(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_zones_data d;
	sr_zones_model *m;
	sr_zone_ind *out;
	sr_zones_opts opt;
	int32		today = (int32) GetSQLCurrentDate(),
				at_day,
				ref_day;
	sr_err		err;
	sr_status	st;
	int			C = SR_ZONES_NSECTIONS,
				C1 = SR_ZONES_NSECTIONS + 1;
	uint8	   *status = NULL;
	bool	   *jobs_ok = NULL,
			   *withheld = NULL,
			   *out_of_scope = NULL;
	sr_zones_call_counts counts_shown = {true, true, true};
	texts_read	reads = {(Datum) 0, (Datum) 0};
	MemoryContext cxt,
				old;

	sr_require_arg(fcinfo, 0, "zones_sql");
	sr_require_arg(fcinfo, 1, "parcels_sql");
	reference_dates(fcinfo, 4, today, &at_day, &ref_day);
	sr_options_read(PG_ARGISNULL(5) ? NULL : PG_GETARG_JSONB_P(5), &sr_zones_optset, &opt, "options");
	sr_err_clear(&err);
	if (sr_zones_opts_check(&opt, &err) != SR_OK)
		sr_raise(&err);
	InitMaterializedSRF(fcinfo, 0);
	/* (the hubs its texts read: who controls their code, before any runs) */
	sr_query_hub_guard(fcinfo, "zone_indicators", (const int[]) {0, 1, 2, 3}, 4, NULL);
	/* a publication takes its hub's rules, and no others (the hubs its texts
	 * read: their analysis, once for the four checks) */
	if (opt.published && !opt.not_for_publication)
	{
		publication_texts_read(fcinfo, &reads);
		publication_rules(fcinfo, &reads, &opt);
	}

	cxt = work_context(&old);
	m = palloc0(sizeof(sr_zones_model));
	load_and_build("zone_indicators", &d, m, sr_text_arg(fcinfo, 0), sr_text_arg(fcinfo, 1),
				   sr_text_arg(fcinfo, 2), sr_text_arg(fcinfo, 3), today);
	out = palloc_extended(Max(m->nzones, 1) * sizeof(sr_zone_ind), MCXT_ALLOC_HUGE);
	sr_err_clear(&err);
	st = sr_zones_indicators(&d, m, at_day, ref_day,
							 opt.vacancy_rule == SR_ZONES_VACANCY_CFE_ONLY, out, &err);
	SR_CHECK_STATUS(st, &err);
	/* published: the zone x NAF section table through statistical secrecy */
	if (opt.published && m->nzones > 0)
	{
		/* a caller that row-level security filters publishes only the zones
		 * wholly inside its territories (or is refused): not for a table
		 * made "not_for_publication" */
		bool	   *in_scope,
				   *publishable;

		in_scope = opt.not_for_publication ? NULL : publication_scope(fcinfo, &reads, &d);
		/* of the whole population (a hub's tables whole), or refused */
		if (!opt.not_for_publication)
			publication_inputs(fcinfo, &reads);
		/* a zone whose difference with an earlier contour gives units away
		 * is withheld as a zone out of scope is (its figures of
		 * establishments), not its land figures nor the call-wide counts */
		publishable = in_scope;
		if (!opt.not_for_publication)
		{
			bool	   *hist = publication_history(fcinfo, &reads, &d, m, at_day, &opt);

			/* a filtered caller: the contours it cannot read withhold too */
			bool	   *hidden = in_scope ? publication_hidden(fcinfo, &reads, &d) : NULL;

			if (hist || hidden)
			{
				publishable = palloc(sizeof(bool) * m->nzones);
				for (size_t k = 0; k < m->nzones; k++)
					publishable[k] = (in_scope == NULL || in_scope[k]) && !(hist && hist[k]) && !(hidden && hidden[k]);
			}
		}

		status = palloc((m->nzones + 1) * C1);
		st = sr_zones_publish_status(&d, m, at_day, opt.fiscal, &opt.rules, publishable, status, &err);
		SR_CHECK_STATUS(st, &err);
		/* a zone's jobs, a sum of band midpoints, must not give its bands away,
		 * knowing that its published cells passed the dominance rule */
		if (opt.rules.bands)
		{
			jobs_ok = palloc(m->nzones);
			st = sr_zones_jobs_published(&d, m, at_day, opt.fiscal, &opt.rules, publishable, status, jobs_ok, &err);
			SR_CHECK_STATUS(st, &err);
		}
		/* zones counting a land unit that other zones could take, or out of
		 * the caller's scope: their whole table is withheld (cells from
		 * sr_zones_publish_status), and which sections they hold too */
		withheld = palloc(m->nzones);
		st = sr_zones_zone_withheld(&d, m, at_day, publishable, withheld, &err);
		SR_CHECK_STATUS(st, &err);
		/* out of scope: the caller's land figures are not the whole
		 * population's either (row-level security filters its parcels) */
		out_of_scope = palloc(m->nzones);
		sr_zones_zone_out_of_scope(m, in_scope, out_of_scope);
		/* the call-wide counts: a filtered caller's are its own rows' (none
		 * shown), and the count of establishments off parcel is a cell of
		 * its own */
		st = sr_zones_call_counts_shown(&d, m, opt.fiscal, &opt.rules, in_scope != NULL,
										&counts_shown, &err);
		SR_CHECK_STATUS(st, &err);
	}
	MemoryContextSwitchTo(old);

	for (size_t i = 0; i < m->nzones; i++)
	{
		sr_zone_ind *o = &out[i];
		Datum		values[21];
		bool		nulls[21];
		StringInfoData mix;
		bool		first = true,
					row_secret = false,
					total_secret = false;

		memset(nulls, 0, sizeof(nulls));
		if (status)
		{
			total_secret = status[i * C1 + C] != SR_SECRET_PUBLISHED;
			for (int c = 0; c < C; c++)
				if (status[i * C1 + c] != SR_SECRET_PUBLISHED)
					row_secret = true;
		}
		initStringInfo(&mix);
		appendStringInfoChar(&mix, '{');
		for (int c = 0; c < C; c++)
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
		nulls[11] = total_secret || (jobs_ok && !jobs_ok[i]);
		values[12] = float_or_null(o->jobs_per_ha, &nulls[12]);
		nulls[12] = nulls[12] || nulls[11];
		values[13] = Float8GetDatum(o->available_land_ha);
		values[14] = DirectFunctionCall1(jsonb_in, CStringGetDatum(mix.data));
		nulls[14] = withheld && withheld[i];
		values[15] = float_or_null(o->sector_diversity, &nulls[15]);
		nulls[15] = nulls[15] || row_secret || total_secret;
		values[16] = Int64GetDatum(m->parcels_outside);
		nulls[16] = !counts_shown.parcels_outside;
		values[17] = Int64GetDatum(m->estabs_off_parcel);
		nulls[17] = !counts_shown.estabs_off_parcel;
		values[18] = Int64GetDatum(m->buildings_off_parcel);
		nulls[18] = !counts_shown.buildings_off_parcel;
		/* a table for checking is not published, though secrecy applied */
		values[19] = BoolGetDatum(status != NULL && !opt.not_for_publication);
		values[20] = Int64GetDatum(o->never_occupied_land_units);
		/* an out-of-scope zone keeps its own geometry (zone_id, area_ha)
		 * only: its land figures are the caller's parcels' */
		if (out_of_scope && out_of_scope[i])
		{
			static const int land[] = {2, 3, 4, 5, 6, 7, 8, 9, 13, 20};

			for (int k = 0; k < lengthof(land); k++)
				nulls[land[k]] = true;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sr_zones_model_free(m);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/* ---- land_unit_vacancy --------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_land_unit_vacancy);
/* smartregion.land_unit_vacancy(zones_sql, parcels_sql, establishments_sql,
 * at, vacancy_rule): the vacancy test of every land unit on 1 January. */
Datum
sr_fn_land_unit_vacancy(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_zones_data d;
	sr_zones_model *m;
	sr_unit_vacancy *vac;
	sr_zones_opts opt;
	int32		today = (int32) GetSQLCurrentDate(),
				at_day,
				ref_day;
	sr_err		err;
	sr_status	st;
	MemoryContext cxt,
				old;

	sr_require_arg(fcinfo, 1, "parcels_sql");
	sr_require_arg(fcinfo, 4, "vacancy_rule");
	/* the rule is checked like the option of zone_indicators */
	sr_options_defaults(&sr_zones_optset, &opt);
	sr_err_clear(&err);
	if (sr_option_set_string(&sr_zones_optset, sr_option_find(&sr_zones_optset, "vacancy_rule"),
							 &opt, text_to_cstring(PG_GETARG_TEXT_PP(4)), &err) != SR_OK)
		sr_raise(&err);
	reference_dates(fcinfo, 3, today, &at_day, &ref_day);
	InitMaterializedSRF(fcinfo, 0);
	/* (the hubs its texts read: who controls their code, before any runs) */
	sr_query_hub_guard(fcinfo, "land_unit_vacancy", (const int[]) {0, 1, 2}, 3, NULL);

	cxt = work_context(&old);
	m = palloc0(sizeof(sr_zones_model));
	load_and_build("land_unit_vacancy", &d, m, sr_text_arg(fcinfo, 0), sr_text_arg(fcinfo, 1), NULL,
				   sr_text_arg(fcinfo, 2), today);
	vac = palloc_extended(Max(m->nunits, 1) * sizeof(sr_unit_vacancy), MCXT_ALLOC_HUGE);
	st = sr_zones_vacancy(&d, m, ref_day, opt.vacancy_rule == SR_ZONES_VACANCY_CFE_ONLY, vac, &err);
	SR_CHECK_STATUS(st, &err);
	MemoryContextSwitchTo(old);
	for (size_t u = 0; u < m->nunits; u++)
	{
		Datum		values[10];
		bool		nulls[10];

		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(m->unit_key[u]);
		values[1] = Int64GetDatum(m->unit_zone[u] >= 0 ? d.zone_id[m->unit_zone[u]] : 0);
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
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/* ---- land_consumption ---------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_land_consumption);
/* smartregion.land_consumption(zones_sql, parcels_sql, buildings_sql,
 * from_year, to_year): the ZAN trajectory per zone and year (core:
 * sr_zones_land_consumption). */
Datum
sr_fn_land_consumption(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_zones_data d;
	sr_zones_model *m;
	sr_zan_row *rows;
	size_t		nrows;
	sr_err		err;
	sr_status	st;
	MemoryContext cxt,
				old;

	/* a NULL buildings_sql means no buildings, as in zone_indicators */
	sr_require_arg(fcinfo, 0, "zones_sql");
	sr_require_arg(fcinfo, 1, "parcels_sql");
	sr_require_arg(fcinfo, 3, "from_year");
	sr_require_arg(fcinfo, 4, "to_year");
	InitMaterializedSRF(fcinfo, 0);
	cxt = work_context(&old);
	m = palloc0(sizeof(sr_zones_model));
	sr_err_clear(&err);
	/* the years are checked before reading anything */
	st = sr_zones_zan_years_check(PG_GETARG_INT32(3), PG_GETARG_INT32(4), &err);
	SR_CHECK_STATUS(st, &err);
	/* (the hubs its texts read: who controls their code, before any runs) */
	sr_query_hub_guard(fcinfo, "land_consumption", (const int[]) {0, 1, 2}, 3, NULL);
	load_and_build("land_consumption", &d, m, sr_text_arg(fcinfo, 0), sr_text_arg(fcinfo, 1),
				   sr_text_arg(fcinfo, 2), NULL, (int32) GetSQLCurrentDate());
	st = sr_zones_land_consumption(&d, m, PG_GETARG_INT32(3), PG_GETARG_INT32(4), &rows, &nrows, &err);
	SR_CHECK_STATUS(st, &err);
	MemoryContextSwitchTo(old);
	for (size_t i = 0; i < nrows; i++)
	{
		const sr_zan_row *r = &rows[i];
		Datum		values[11];
		bool		nulls[11] = {0};

		values[0] = Int64GetDatum(r->zone_id);
		values[1] = Int32GetDatum(r->year);
		values[2] = Int64GetDatum(r->units_first_built);
		values[3] = Float8GetDatum(r->consumed_ha);
		values[4] = Float8GetDatum(r->baseline_ha);
		values[5] = float_or_null(r->allowance_ha, &nulls[5]);
		values[6] = float_or_null(r->since_2021_ha, &nulls[6]);
		values[7] = Float8GetDatum(r->remaining_ha);
		values[8] = BoolGetDatum(r->within);
		values[9] = Int64GetDatum(r->undated_units);
		values[10] = Float8GetDatum(r->undated_ha);
		/* the 2021-2030 allowance applies from 2021 to 2030 only, and
		 * to a zone with a 2011-2020 baseline */
		nulls[7] = nulls[8] = !r->in_period || isnan(r->allowance_ha);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sr_zones_model_free(m);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}

/* ---- statistical_secrecy --------------------------------------------------------- */

static const sr_qcol cell_cols[] = {
	{"row_key", SR_Q_TEXT, SR_Q_NOTNULL},
	{"col_key", SR_Q_TEXT, SR_Q_NOTNULL},
	{"n", SR_Q_INT8, SR_Q_NOTNULL},
	{"value", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"max_value", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"fiscal", SR_Q_BOOL, SR_Q_OPTIONAL},
};

PG_FUNCTION_INFO_V1(sr_fn_statistical_secrecy);
/* smartregion.statistical_secrecy(cells_sql, rules): primary and secondary
 * suppression of a two-dimensional table with its margins. */
Datum
sr_fn_statistical_secrecy(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_query	q = {"cells_sql", NULL, cell_cols, lengthof(cell_cols)};
	sr_qresult	c;
	sr_secrecy_rules rules;
	const char **rk,
			  **ck;
	char	  **row_key,
			  **col_key;
	int32	   *ri,
			   *ci;
	MemoryContext rowcxt;
	int			R,
				C,
				C1,
				ncell,
				r,
				k;
	double	   *n,
			   *v,
			   *mx;
	bool	   *fis,
			   *present;
	uint8	   *status,
			   *reason;
	sr_secrecy_rows rows;
	int64_t		dup;
	sr_err		err;
	sr_status	st;

	sr_require_arg(fcinfo, 0, "cells_sql");
	sr_options_read(PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1), &sr_secrecy_optset, &rules, "rules");
	/* (the hubs its text reads: who controls their code, before it runs) */
	sr_query_hub_guard(fcinfo, "statistical_secrecy", (const int[]) {0}, 1, NULL);
	InitMaterializedSRF(fcinfo, 0);
	q.sql = sr_text_arg(fcinfo, 0);
	sr_query_read(&q, &c);
	if (c.nrows == 0)
		return (Datum) 0;

	row_key = SR_QVAL(&c, 0, char *);
	col_key = SR_QVAL(&c, 1, char *);
	ri = palloc(sizeof(int32) * c.nrows);
	ci = palloc(sizeof(int32) * c.nrows);
	R = sr_secrecy_index_keys((const char *const *) row_key, c.nrows, ri, &rk);
	C = sr_secrecy_index_keys((const char *const *) col_key, c.nrows, ci, &ck);
	if (R < 0 || C < 0)
		elog(ERROR, "out of memory indexing the keys of cells_sql");	/* palloc raises first */
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
	/* the cells, checked in key order whatever the order of the rows:
	 * a cell listed twice first (the table's structure, 23505), then each
	 * cell's own values (sr_secrecy_read_cells) */
	rows = (sr_secrecy_rows) {
		.nrows = (size_t) c.nrows, .row = ri, .col = ci,
		.n = SR_QVAL(&c, 2, int64), .value = SR_QVAL(&c, 3, double),
		.max_value = SR_QVAL(&c, 4, double), .max_null = c.nulls[4],
		.fiscal = SR_QVAL(&c, 5, bool), .fiscal_null = c.nulls[5]
	};
	sr_err_clear(&err);
	st = sr_secrecy_read_cells(&rows, R, C, rk, ck, n, v, mx, fis, present, &dup, &err);
	if (st != SR_OK && dup >= 0)
		ereport(ERROR, (errcode(ERRCODE_UNIQUE_VIOLATION),
						errmsg_internal("%s", err.msg),
						errdetail_internal("%s", err.detail),
						errhint("%s", err.hint)));
	SR_CHECK_STATUS(st, &err);
	sr_secrecy_fill_margins(R, C, n, v, mx, fis);
	sr_err_clear(&err);
	st = sr_secrecy_protect(R, C, n, v, mx, fis, present, &rules, status, reason, &err);
	SR_CHECK_STATUS(st, &err);

	/* one short-lived context for each row's datums (the tuplestore keeps
	 * its own copy) */
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "secrecy output row",
								   ALLOCSET_SMALL_SIZES);
	for (r = 0; r <= R; r++)
		for (k = 0; k <= C; k++)
		{
			int			cell = r * C1 + k;
			Datum		values[6];
			bool		nulls[6];
			bool		secret = status[cell] != SR_SECRET_PUBLISHED;
			StringInfoData why;
			MemoryContext old;

			if ((cell & 1023) == 0)
				CHECK_FOR_INTERRUPTS();
			/* interior cells absent from the input are zeros: not listed */
			if (r < R && k < C && !present[cell])
				continue;
			old = MemoryContextSwitchTo(rowcxt);
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
			MemoryContextSwitchTo(old);
			MemoryContextReset(rowcxt);
		}
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}

/* ---- _zone_placement -------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_zone_placement);
/* smartregion._zone_placement(zones_sql, parcels_sql, buildings_sql,
 * establishments_sql, at): where the model puts every parcel, building and
 * establishment (the placement zone_indicators counts with), for the CNIG
 * exports: kind, id, parcel, land unit and zone (NULL when outside).  With
 * at, the buildings are those standing in its year (sr_zones_building_stands,
 * what zone_indicators counts); NULL at lists them all. */
Datum
sr_fn_zone_placement(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_zones_data d;
	sr_zones_model *m;
	int32		today = (int32) GetSQLCurrentDate(),
				at_day,
				ref_day;
	int			at_year = 0,
				mo,
				dd;
	bool		dated = !PG_ARGISNULL(4);
	MemoryContext cxt,
				old;

	sr_require_arg(fcinfo, 0, "zones_sql");
	sr_require_arg(fcinfo, 1, "parcels_sql");
	/* (called directly by a privileged caller: who controls the code its
	 * texts run; the CNIG export calling it passed them already) */
	sr_query_hub_guard(fcinfo, "_zone_placement", (const int[]) {0, 1, 2, 3}, 4, NULL);
	if (dated)
	{
		reference_dates(fcinfo, 4, today, &at_day, &ref_day);
		sr_zones_civil_from_days(at_day, &at_year, &mo, &dd);
	}
	InitMaterializedSRF(fcinfo, 0);
	cxt = work_context(&old);
	m = palloc0(sizeof(sr_zones_model));
	load_and_build("the CNIG export", &d, m, sr_text_arg(fcinfo, 0), sr_text_arg(fcinfo, 1),
				   sr_text_arg(fcinfo, 2), sr_text_arg(fcinfo, 3), today);
	MemoryContextSwitchTo(old);
	/* kind 0 parcels, 1 buildings, 2 establishments */
	for (int kind = 0; kind < 3; kind++)
	{
		size_t		n = kind == 0 ? m->nparcels : kind == 1 ? m->nbuildings : m->nestabs;

		for (size_t i = 0; i < n; i++)
		{
			Datum		values[5];
			bool		nulls[5] = {0};
			int32		p = kind == 0 ? (int32) i : kind == 1 ? m->building_parcel[i] : m->estab_parcel[i];

			/* a building not built yet at the date is not listed */
			if (kind == 1 && dated && !sr_zones_building_stands(&d, i, at_year))
				continue;
			values[0] = CStringGetTextDatum(kind == 0 ? "parcel" : kind == 1 ? "building" : "establishment");
			values[1] = kind == 0 ? CStringGetTextDatum(d.parcel_id[i]) :
				kind == 1 ? DirectFunctionCall1(int8out, Int64GetDatum(d.building_id[i])) :
				CStringGetTextDatum(d.siret[i]);
			if (kind == 1)
				values[1] = CStringGetTextDatum(DatumGetCString(values[1]));
			nulls[2] = nulls[3] = nulls[4] = p < 0;
			if (p >= 0)
			{
				values[2] = CStringGetTextDatum(d.parcel_id[p]);
				values[3] = CStringGetTextDatum(m->unit_key[m->parcel_unit[p]]);
				/* an establishment is in its land unit's zone (what
				 * zone_indicators counts), the others in their parcel's */
				int32		z = kind == 2 ? sr_zones_estab_zone(m, i) : m->parcel_zone[p];

				values[4] = Int64GetDatum(z >= 0 ? d.zone_id[z] : 0);
				nulls[4] = z < 0;
			}
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		}
	}
	sr_zones_model_free(m);
	MemoryContextDelete(cxt);
	return (Datum) 0;
}
