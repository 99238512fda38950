/*
 * platform.c — glue of the platform layer: the versions of the libraries
 * linked into the extension, and the extension being created (used by
 * register_service and register_hub_table to record who registered what).
 */
#include "sr_pg.h"
#include "sr_function_labels.h"

#include <geos_c.h>
#include <proj.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "utils/hsearch.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_policy.h"
#include "catalog/pg_trigger.h"
#include "access/amapi.h"
#include "catalog/pg_index.h"
#include "commands/defrem.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "parser/parse_utilcmd.h"
#include "nodes/parsenodes.h"
#include "parser/parse_clause.h"
#include "parser/parse_collate.h"
#include "parser/parse_node.h"
#include "parser/parse_relation.h"
#include "parser/parser.h"
#include "parser/scanner.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/rel.h"
#include "utils/ruleutils.h"
#include "catalog/pg_proc.h"
#include "commands/extension.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/jsonb.h"

#ifndef SR_LIB_VERSION
#define SR_LIB_VERSION "unknown"
#endif

static void
append_pair(StringInfo buf, const char *key, const char *value, bool first)
{
	if (!first)
		appendStringInfoString(buf, ", ");
	escape_json(buf, key);
	appendStringInfoString(buf, ": ");
	escape_json(buf, value);
}

PG_FUNCTION_INFO_V1(sr_fn_linked_versions);
/* smartregion._linked_versions(): jsonb of the library's own version, the
 * PostgreSQL it was compiled for, and the GEOS and PROJ actually linked. */
Datum
sr_fn_linked_versions(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	PJ_INFO		pj = proj_info();

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	append_pair(&buf, "library", SR_LIB_VERSION, true);
	append_pair(&buf, "postgresql_compiled", PG_VERSION, false);
	append_pair(&buf, "geos", GEOSversion(), false);
	append_pair(&buf, "proj", pj.version ? pj.version : "unknown", false);
	appendStringInfoChar(&buf, '}');
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

PG_FUNCTION_INFO_V1(sr_fn_current_extension);
/* smartregion._current_extension(): the extension whose script is running
 * (CREATE/ALTER EXTENSION), or NULL outside an extension script. */
Datum
sr_fn_current_extension(PG_FUNCTION_ARGS)
{
	char	   *name;

	if (!creating_extension || !OidIsValid(CurrentExtensionObject))
		PG_RETURN_NULL();
	name = get_extension_name(CurrentExtensionObject);
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

/* ---- registered functions ---------------------------------------------------- */

/*
 * The registries of functions smartregion calls later (match_criterion.function,
 * maturity_indicator.plugin) hold each function as text, its schema-qualified
 * signature, not as a regprocedure: pg_upgrade refuses a cluster with a reg*
 * column other than regclass/regtype... in a user table (a function's OID is not
 * kept across it), and pg_dump restores text as it is.
 */

PG_FUNCTION_INFO_V1(sr_fn_registered_function_name);
/*
 * Trigger BEFORE INSERT OR UPDATE FOR EACH ROW, argument: the column.  Resolves
 * the column's signature with the search_path of whoever writes the row (as a
 * regprocedure input did) and stores it schema-qualified, argument types
 * included, so that it names the same function whoever reads it: 42883 when
 * there is no such function.  An UPDATE that leaves the column as it was does
 * not resolve it again (a function dropped since may be unregistered, or the
 * row's weight changed).  A C function: the registries' guard pins its own
 * search_path and could not resolve the writer's names.
 */
Datum
sr_fn_registered_function_name(PG_FUNCTION_ARGS)
{
	TriggerData *td = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	HeapTuple	tuple;
	const char *col;
	int			attnum;
	bool		isnull;
	Datum		value;
	char	   *given,
			   *canonical;
	Oid			fn;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_BEFORE(td->tg_event) ||
		!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		!(TRIGGER_FIRED_BY_INSERT(td->tg_event) || TRIGGER_FIRED_BY_UPDATE(td->tg_event)) ||
		td->tg_trigger->tgnargs != 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("_registered_function_name() must be fired BEFORE INSERT OR UPDATE FOR EACH ROW, with a column's name")));
	desc = RelationGetDescr(td->tg_relation);
	col = td->tg_trigger->tgargs[0];
	attnum = SPI_fnumber(desc, col);
	if (attnum <= 0 || TupleDescAttr(desc, attnum - 1)->atttypid != TEXTOID)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("table \"%s\" has no text column \"%s\"", RelationGetRelationName(td->tg_relation), col)));
	tuple = TRIGGER_FIRED_BY_UPDATE(td->tg_event) ? td->tg_newtuple : td->tg_trigtuple;
	value = SPI_getbinval(tuple, desc, attnum, &isnull);
	if (isnull)
		return PointerGetDatum(tuple);
	given = TextDatumGetCString(value);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		bool		oldnull;
		Datum		old = SPI_getbinval(td->tg_trigtuple, desc, attnum, &oldnull);

		if (!oldnull && strcmp(TextDatumGetCString(old), given) == 0)
			return PointerGetDatum(tuple);
	}
	fn = DatumGetObjectId(DirectFunctionCall1(regprocedurein, CStringGetDatum(given)));
	/* regprocedure's input also reads '-' as OID 0 and any number as an OID without
	 * looking it up: what names no function is refused, as a name that resolves to
	 * none is (format_procedure_qualified would store the number) */
	if (!OidIsValid(fn) || !SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(fn)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function \"%s\" does not exist", given),
				 errdetail("Column \"%s\" of table \"%s\" names a function by its signature, such as public.quiet(jsonb, jsonb).",
						   col, RelationGetRelationName(td->tg_relation))));
	canonical = format_procedure_qualified(fn);
	if (strcmp(canonical, given) != 0)
	{
		Datum		v = CStringGetTextDatum(canonical);
		bool		n = false;

		tuple = heap_modify_tuple_by_cols(tuple, desc, 1, &attnum, &v, &n);
	}
	return PointerGetDatum(tuple);
}

/*
 * The OID of a registered function (its stored signature, schema-qualified),
 * checked as the registries' guard checks it when it is registered: it must
 * belong to a superuser.  A signature is a name: the function registered may
 * have been dropped and another created under its name, or given to another
 * owner, who could redefine it; it would run with the rights of whoever calls
 * smartregion, a superuser included.  42883 when it no longer exists.
 */
Oid
sr_registered_function(const char *signature, const char *registry, const char *entry)
{
	Oid			fn;
	HeapTuple	tp;
	Oid			owner;

	{
		/* to_regprocedure: NULL when there is none (DirectFunctionCall refuses a NULL) */
		LOCAL_FCINFO(rfi, 1);
		Datum		r;

		InitFunctionCallInfoData(*rfi, NULL, 1, InvalidOid, NULL, NULL);
		rfi->args[0].value = CStringGetTextDatum(signature);
		rfi->args[0].isnull = false;
		r = to_regprocedure(rfi);
		fn = rfi->isnull ? InvalidOid : DatumGetObjectId(r);
	}
	if (!OidIsValid(fn))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s of %s \"%s\" does not exist", signature, registry, entry),
				 errhint("Register it again, or delete the entry.")));
	tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	if (!HeapTupleIsValid(tp))
		elog(ERROR, "cache lookup failed for function %u", fn);
	owner = ((Form_pg_proc) GETSTRUCT(tp))->proowner;
	ReleaseSysCache(tp);
	if (!superuser_arg(owner))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("function %s of %s \"%s\" belongs to role \"%s\", not a superuser",
						signature, registry, entry, GetUserNameFromId(owner, false)),
				 errdetail("It would run with the rights of whoever calls smartregion, a superuser included, and its owner can redefine it."),
				 errhint("Have a superuser own it: ALTER FUNCTION ... OWNER TO a superuser.")));
	return fn;
}

/*
 * The promise of the functions that call a registry's functions: a registered
 * function runs where they run (by its OID: PostgreSQL checks no label then)
 * and must be no more volatile, and at least as parallel safe, as they are
 * declared (sr_labels_keep_promise, in the core).  match_score and
 * match_explain are STABLE PARALLEL SAFE (parallel workers call them); the
 * maturity readers (_maturity_eval, _maturity_detail, _maturity_mc and the
 * PL/pgSQL readers over them) STABLE PARALLEL UNSAFE.  pgTAP's volatility_is
 * tests pin those declarations.
 */
typedef struct registry_promise
{
	const char *registry;		/* as sr_registered_function names it */
	char		vol,
				par;			/* the callers' labels, pg_proc's letters */
	const char *why;			/* the detail's second clause */
} registry_promise;

static const registry_promise registry_promises[] = {
	{"criterion", PROVOLATILE_STABLE, PROPARALLEL_SAFE,
	"match_score and match_explain, STABLE and PARALLEL SAFE, call it in parallel workers too"},
	{"indicator", PROVOLATILE_STABLE, PROPARALLEL_UNSAFE,
	"the maturity readers, STABLE, call it: it must write nothing and return the same rows within a statement"},
};

void
sr_registered_function_labels(Oid fn, const char *registry, const char *entry)
{
	const registry_promise *rp = NULL;
	char		vol = func_volatile(fn),
				par = func_parallel(fn),
				must[64],
				decl[64];

	for (int i = 0; i < (int) lengthof(registry_promises); i++)
		if (strcmp(registry_promises[i].registry, registry) == 0)
			rp = &registry_promises[i];
	if (rp == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("registry must be \"criterion\" or \"indicator\", not \"%s\"", registry)));
	if (sr_labels_keep_promise(rp->vol, rp->par, vol, par))
		return;
	sr_labels_required(rp->vol, rp->par, must, sizeof must, decl, sizeof decl);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
			 errmsg("function of %s \"%s\" must be %s", registry, entry, must),
			 errdetail("The registered function %s is %s and PARALLEL %s; %s.",
					   format_procedure(fn), sr_volatility_name(vol), sr_parallel_name(par), rp->why),
			 errhint("If it reads no more than its arguments and tables and writes nothing, declare it so: ALTER FUNCTION %s %s.",
					 format_procedure(fn), decl)));
}

PG_FUNCTION_INFO_V1(sr_fn_registered_function_labels);
/* smartregion._registered_function_labels(fn, registry, entry): the registries'
 * guard checks a plugin's or a criterion's labels when it is registered, by the
 * rule, message and SQLSTATE of the readers' check at every call. */
Datum
sr_fn_registered_function_labels(PG_FUNCTION_ARGS)
{
	Oid			fn = PG_GETARG_OID(0);

	/* (PUBLIC may call it with any number: an error, not a failed cache lookup) */
	if (!SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(fn)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function with OID %u does not exist", fn)));
	sr_registered_function_labels(fn, sr_text_arg(fcinfo, 1), sr_text_arg(fcinfo, 2));
	PG_RETURN_VOID();
}

PG_FUNCTION_INFO_V1(sr_fn_registered_function);
/* smartregion._registered_function(signature, registry, entry): the OID of a
 * registered function, checked by sr_registered_function's rule: the
 * registries' guard (_code_registry_guard, plpgsql) checks a registration by
 * the same rule, message and SQLSTATE as the readers check every call. */
Datum
sr_fn_registered_function(PG_FUNCTION_ARGS)
{
	char	   *signature = sr_text_arg(fcinfo, 0);
	char	   *registry = sr_text_arg(fcinfo, 1);
	char	   *entry = sr_text_arg(fcinfo, 2);

	if (signature == NULL || registry == NULL || entry == NULL)
		PG_RETURN_NULL();
	PG_RETURN_OID(sr_registered_function(signature, registry, entry));
}

/* ---- option specs --------------------------------------------------------------- */

static const sr_optset *
find_set(const char *function)
{
	const sr_optset *set = sr_optset_find(function);

	if (set == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function \"%s\" has no option specs", function)));
	return set;
}

/* defaults of a set as JSON members (NODEFAULT and string-less entries
 * are left out: absent means "not given") */
static void
append_defaults(StringInfo buf, const sr_optset *set)
{
	bool		first = true;

	for (int i = 0; i < set->n; i++)
	{
		const sr_optspec *s = &set->specs[i];
		char		type[1024],
					range[64],
					def[256];

		if ((s->flags & SR_OPTF_NODEFAULT) || (s->type == SR_OPT_STRING && s->def_string == NULL))
			continue;
		sr_option_describe(s, type, sizeof(type), range, sizeof(range), def, sizeof(def));
		if (!first)
			appendStringInfoString(buf, ", ");
		escape_json(buf, s->name);
		appendStringInfo(buf, ": %s", def);
		first = false;
	}
}

PG_FUNCTION_INFO_V1(sr_fn_options);
/* smartregion._options(function, options): validated against the
 * function's specs and merged over their defaults (for plpgsql functions). */
Datum
sr_fn_options(PG_FUNCTION_ARGS)
{
	char	   *function;
	const sr_optset *set;

	sr_require_arg(fcinfo, 0, "function");
	function = text_to_cstring(PG_GETARG_TEXT_PP(0));
	set = find_set(function);
	Jsonb	   *given;
	StringInfoData buf;
	Datum		defaults;

	given = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	sr_options_read(given, set, NULL, "options");
	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	append_defaults(&buf, set);
	appendStringInfoChar(&buf, '}');
	defaults = DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data));
	if (given == NULL)
		PG_RETURN_DATUM(defaults);
	/* null members mean "the default": drop them before merging */
	PG_RETURN_DATUM(DirectFunctionCall2(jsonb_concat, defaults,
										DirectFunctionCall1(jsonb_strip_nulls, JsonbPGetDatum(given))));
}

static void
spec_rows(ReturnSetInfo *rsinfo, const char *function, const sr_optset *set, const char *prefix)
{
	for (int i = 0; i < set->n; i++)
	{
		const sr_optspec *s = &set->specs[i];
		char		type[1024],	/* long value lists: the CNIG exports */
					range[64],
					def[256];
		Datum		v[7];
		bool		nulls[7] = {0};

		sr_option_describe(s, type, sizeof(type), range, sizeof(range), def, sizeof(def));
		v[0] = CStringGetTextDatum(function);
		v[1] = CStringGetTextDatum(psprintf("%s%s", prefix, s->name));
		v[2] = CStringGetTextDatum(type);
		v[3] = CStringGetTextDatum(range);
		nulls[3] = range[0] == '\0';
		v[4] = CStringGetTextDatum(def);
		v[5] = s->unit ? CStringGetTextDatum(s->unit) : (Datum) 0;
		nulls[5] = s->unit == NULL;
		/* the docs say which options refuse a JSON null (SR_OPTF_NONULL) */
		v[6] = CStringGetTextDatum(psprintf("%s%s", s->meaning ? s->meaning : "",
											(s->flags & SR_OPTF_NONULL) ? "; a JSON null is an error (22004), not the default" : ""));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		if (s->type == SR_OPT_OBJECT)
			spec_rows(rsinfo, function, s->sub, psprintf("%s%s.", prefix, s->name));
	}
}

PG_FUNCTION_INFO_V1(sr_fn_option_specs);
/* smartregion.option_specs(): every option of every function, as the docs
 * show them */
Datum
sr_fn_option_specs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; sr_all_optsets[i]; i++)
		spec_rows(rsinfo, sr_all_optsets[i]->function, sr_all_optsets[i], "");
	return (Datum) 0;
}

/* ---- the functions the hub templates write, rendered once a backend ------- */

/*
 * _hub_functions_stale compares each function a hub holds with the DDL the
 * hub_table templates write for it (format(ddl, hub, srid)).  Rendering and
 * searching the templates (about 84 kB) for every hub an agent's published
 * zone_indicators call asks, on every call, cost milliseconds a hub
 * (docs/performance-zones.md, 2026-12-07, h3); the rendered DDL is the same
 * until the templates change, so it is remembered for the backend.
 *
 * The key is the templates as the caller's snapshot sees them: each row's
 * xmin and ctid, read on every call (no detoasting).  A row inserted, updated
 * or deleted changes them (a row version is immutable; its slot is reused
 * only after VACUUM, by another transaction's row, hence another xmin), so a
 * template changed after the first call is read again, in this session too.
 * What is remembered is the templates' text only: the hub's functions are
 * read and compared by the caller on every call, so a function replaced by
 * hand after the first call is seen at once.  Nothing a caller can call
 * writes the memo otherwise.
 */
typedef struct hub_tmpl_render
{
	char		hub[NAMEDATALEN];
	int32		srid;
	int			n;				/* -1 until the functions are rendered */
	char	  **fname;			/* the function's name */
	char	  **ddl;			/* its template, rendered for hub and srid */
	int			nobj;			/* -1 until the objects are parsed */
	char	  **okind;			/* column, index, trigger, policy */
	char	  **otable;			/* the table it is of */
	char	  **oname;			/* its name */
	char	  **oddl;			/* a policy: its statement, as rendered */
} hub_tmpl_render;

#define HUB_TMPL_MAX 64			/* (hubs remembered; past it, forgotten) */

static MemoryContext hub_tmpl_cxt;
static char *hub_tmpl_stamp;	/* the templates' row versions, as read */
static Oid	hub_tmpl_nsp;		/* the extension's schema */
static List *hub_tmpl_renders;	/* hub_tmpl_render *, for that stamp */
static SPIPlanPtr hub_tmpl_stamp_plan;
static SPIPlanPtr hub_tmpl_render_plan;
static SPIPlanPtr hub_tmpl_all_plan;

/* The kept plan of a query over the extension's hub_table (%s: its schema),
 * prepared again when the extension's schema is another (a new CREATE
 * EXTENSION in this backend). */
static SPIPlanPtr
hub_tmpl_plan(SPIPlanPtr *plan, Oid nsp, const char *fmt, int nargs, Oid *argtypes)
{
	if (*plan == NULL || nsp != hub_tmpl_nsp)
	{
		SPIPlanPtr	p = SPI_prepare(psprintf(fmt, quote_identifier(get_namespace_name(nsp))),
									nargs, argtypes);

		if (p == NULL)
			elog(ERROR, "SPI_prepare failed: %s", SPI_result_code_string(SPI_result));
		if (*plan != NULL)
			SPI_freeplan(*plan);
		SPI_keepplan(p);
		*plan = p;
	}
	return *plan;
}

/* The memo's entry of hub and srid (SPI connected): the templates' row
 * versions read in the caller's snapshot, the memo forgotten when they
 * changed; an entry made empty (nothing rendered yet) when there is none. */
static hub_tmpl_render *
hub_tmpl_entry(const char *hub, int32 srid, Oid nsp)
{
	hub_tmpl_render *r = NULL;
	char	   *stamp;
	ListCell   *lc;
	MemoryContext old;

	if (SPI_execute_plan(hub_tmpl_plan(&hub_tmpl_stamp_plan, nsp,
									   "SELECT pg_catalog.string_agg(h.xmin::pg_catalog.text OPERATOR(pg_catalog.||) '/' OPERATOR(pg_catalog.||) h.ctid::pg_catalog.text, ',' ORDER BY h.ctid) FROM %s.hub_table h",
									   0, NULL),
						 NULL, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the hub templates' row versions");
	stamp = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (stamp == NULL)
		stamp = "";
	if (hub_tmpl_cxt == NULL)
		hub_tmpl_cxt = AllocSetContextCreate(TopMemoryContext, "smartregion hub templates",
											 ALLOCSET_DEFAULT_SIZES);
	if (hub_tmpl_stamp == NULL || nsp != hub_tmpl_nsp || strcmp(hub_tmpl_stamp, stamp) != 0 ||
		list_length(hub_tmpl_renders) >= HUB_TMPL_MAX)
	{
		MemoryContextReset(hub_tmpl_cxt);
		hub_tmpl_renders = NIL;
		hub_tmpl_stamp = MemoryContextStrdup(hub_tmpl_cxt, stamp);
	}
	foreach(lc, hub_tmpl_renders)
	{
		hub_tmpl_render *e = (hub_tmpl_render *) lfirst(lc);

		if (e->srid == srid && strcmp(e->hub, hub) == 0)
			r = e;
	}
	if (r == NULL)
	{
		old = MemoryContextSwitchTo(hub_tmpl_cxt);
		r = palloc0(sizeof(hub_tmpl_render));
		strlcpy(r->hub, hub, NAMEDATALEN);
		r->srid = srid;
		r->n = -1;
		r->nobj = -1;
		hub_tmpl_renders = lappend(hub_tmpl_renders, r);
		MemoryContextSwitchTo(old);
	}
	return r;
}

/* What a function of the memo computes into an entry of hub and srid (SPI
 * connected, args the hub's name and srid for the rendering query), when the
 * entry lacks it. */
typedef void (*hub_tmpl_fill) (hub_tmpl_render *r, Oid nsp, Datum *args);

/* The preamble of _hub_template_functions and _hub_template_objects, called
 * (hub name, srid int): the result set materialised, the memo's entry of hub
 * and srid (the templates' row versions read in the caller's snapshot),
 * filled by fill when it lacks what fill computes, SPI closed again. */
static hub_tmpl_render *
hub_tmpl_call(FunctionCallInfo fcinfo, hub_tmpl_fill fill)
{
	Datum		args[2] = {PG_GETARG_DATUM(0), PG_GETARG_DATUM(1)};
	Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	hub_tmpl_render *r;

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	r = hub_tmpl_entry(NameStr(*PG_GETARG_NAME(0)), PG_GETARG_INT32(1), nsp);
	fill(r, nsp, args);
	hub_tmpl_nsp = nsp;
	SPI_finish();
	return r;
}

/* The functions the templates write, each with its template rendered. */
static void
hub_tmpl_fill_functions(hub_tmpl_render *r, Oid nsp, Datum *args)
{
	Oid			render_types[2] = {NAMEOID, INT4OID};
	MemoryContext old;
	bool		isnull;
	int			n;

	if (r->n >= 0)
		return;
	if (SPI_execute_plan(hub_tmpl_plan(&hub_tmpl_render_plan, nsp,
									   "SELECT DISTINCT m.f[1]::pg_catalog.name, pg_catalog.format(h.ddl, $1, $2) "
									   "FROM %s.hub_table h, "
									   "pg_catalog.regexp_matches(h.ddl, 'CREATE OR REPLACE FUNCTION %%1\\$I\\.([A-Za-z_][A-Za-z_0-9]*)\\(', 'g') m(f)",
									   2, render_types),
						 args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not render the hub templates");
	old = MemoryContextSwitchTo(hub_tmpl_cxt);
	n = (int) SPI_processed;
	r->fname = palloc0(sizeof(char *) * (n + 1));
	r->ddl = palloc0(sizeof(char *) * (n + 1));
	for (int i = 0; i < n; i++)
	{
		r->fname[i] = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
		r->ddl[i] = TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull));
	}
	r->n = n;
	MemoryContextSwitchTo(old);
}

PG_FUNCTION_INFO_V1(sr_fn_hub_template_functions);
/* smartregion._hub_template_functions(hub name, srid int): one row per
 * function a hub_table template writes (CREATE OR REPLACE FUNCTION %1$I.name(),
 * and that template rendered for hub and srid (distinct pairs); read as the
 * caller, remembered for the backend while the templates are unchanged. */
Datum
sr_fn_hub_template_functions(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	hub_tmpl_render *r = hub_tmpl_call(fcinfo, hub_tmpl_fill_functions);

	for (int i = 0; i < r->n; i++)
	{
		Datum		v[2];
		bool		nulls[2] = {false, false};

		v[0] = DirectFunctionCall1(namein, CStringGetDatum(r->fname[i]));
		v[1] = CStringGetTextDatum(r->ddl[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/* The objects of a memo entry being found: its arrays, how many are filled,
 * their room (the entry's nobj is set once all are found). */
typedef struct hub_tmpl_objects
{
	hub_tmpl_render *r;
	int			n;
	int			cap;
} hub_tmpl_objects;

/* One object a parsed template statement makes in the hub, kept in
 * hub_tmpl_cxt. */
static void
hub_tmpl_add_object(hub_tmpl_objects *o, const char *kind, const char *table,
					const char *name, const char *ddl)
{
	MemoryContext old = MemoryContextSwitchTo(hub_tmpl_cxt);
	hub_tmpl_render *r = o->r;

	if (o->n >= o->cap)
	{
		o->cap = o->cap * 2;
		r->okind = repalloc(r->okind, sizeof(char *) * o->cap);
		r->otable = repalloc(r->otable, sizeof(char *) * o->cap);
		r->oname = repalloc(r->oname, sizeof(char *) * o->cap);
		r->oddl = repalloc(r->oddl, sizeof(char *) * o->cap);
	}
	r->okind[o->n] = pstrdup(kind);
	r->otable[o->n] = pstrdup(table);
	r->oname[o->n] = pstrdup(name);
	r->oddl[o->n] = ddl ? pstrdup(ddl) : NULL;
	o->n++;
	MemoryContextSwitchTo(old);
}

static void hub_tmpl_do_body(hub_tmpl_objects *o, const char *body);

/* Whether the source text at loc is the word w (lower case), not quoted and
 * not the start of a longer identifier. */
static bool
hub_tmpl_word_at(const char *src, int loc, const char *w)
{
	size_t		n = strlen(w);
	unsigned char next = (unsigned char) src[loc + n];

	return pg_strncasecmp(src + loc, w, n) == 0 &&
		!(isalnum(next) || next == '_' || next == '$' || next >= 0x80);
}

/* The text of a statement parsed from sql (up to its end, or sql's), from its
 * first word: the blanks and comments before it, which the statement's
 * location includes, left out. */
static char *
hub_tmpl_stmt_text(const char *sql, RawStmt *rs)
{
	const char *p = sql + rs->stmt_location;
	const char *end = p + (rs->stmt_len > 0 ? rs->stmt_len : (int) strlen(p));

	for (;;)
	{
		while (p < end && isspace((unsigned char) *p))
			p++;
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
		{
			while (p < end && *p != '\n')
				p++;
		}
		else if (end - p >= 2 && p[0] == '/' && p[1] == '*')
		{
			/* (PostgreSQL's comments nest) */
			int			depth = 0;

			do
			{
				if (end - p >= 2 && p[0] == '/' && p[1] == '*')
					depth++, p += 2;
				else if (end - p >= 2 && p[0] == '*' && p[1] == '/')
					depth--, p += 2;
				else
					p++;
			} while (p < end && depth > 0);
		}
		else
			break;
	}
	return pnstrdup(p, end - p);
}

/*
 * The objects the statements of sql make in the hub, found by PostgreSQL's
 * parser: ALTER TABLE ... ADD COLUMN IF NOT EXISTS (a column added since a
 * table was first made; in a DO block any ADD COLUMN, which the block runs
 * under its own test, as the roof cells' tile_key), CREATE INDEX with a name,
 * CREATE [OR REPLACE] TRIGGER, CREATE POLICY (each with its statement, for
 * _hub_index_stale, _hub_trigger_stale, _hub_policy_stale); and those of the statements of a PL/pgSQL DO block's
 * body (hub_tmpl_do_body).  Parsed in the caller's memory context, the
 * objects kept in hub_tmpl_cxt.
 */
static void
hub_tmpl_statements(hub_tmpl_objects *o, const char *sql, bool in_do)
{
	List	   *stmts = raw_parser(sql, RAW_PARSE_DEFAULT);
	ListCell   *lc;

	foreach(lc, stmts)
	{
		RawStmt    *rs = lfirst_node(RawStmt, lc);
		Node	   *st = rs->stmt;

		if (IsA(st, CreatePolicyStmt))
		{
			CreatePolicyStmt *p = (CreatePolicyStmt *) st;

			hub_tmpl_add_object(o, "policy", p->table->relname, p->policy_name,
								hub_tmpl_stmt_text(sql, rs));
		}
		else if (IsA(st, IndexStmt) && ((IndexStmt *) st)->idxname != NULL)
		{
			/* (with its statement, which _hub_index_stale compares with the
			 * index of that name: before h8 its presence only, then its
			 * shape, and an index of that shape on other columns or another
			 * predicate was taken for it, red team of 2026-12-07 night, h4) */
			IndexStmt  *ix = (IndexStmt *) st;

			hub_tmpl_add_object(o, "index", ix->relation->relname, ix->idxname,
								hub_tmpl_stmt_text(sql, rs));
		}
		else if (IsA(st, CreateTrigStmt))
		{
			/* (with its statement, which _hub_trigger_stale compares with the
			 * trigger of that name: its events and function since h8, its
			 * UPDATE OF columns, WHEN, transition tables and arguments since
			 * h4) */
			CreateTrigStmt *tg = (CreateTrigStmt *) st;

			hub_tmpl_add_object(o, "trigger", tg->relation->relname, tg->trigname,
								hub_tmpl_stmt_text(sql, rs));
		}
		else if (IsA(st, AlterTableStmt))
		{
			AlterTableStmt *a = (AlterTableStmt *) st;
			ListCell   *c;

			foreach(c, a->cmds)
			{
				AlterTableCmd *cmd = lfirst_node(AlterTableCmd, c);

				if (cmd->subtype == AT_AddColumn && (cmd->missing_ok || in_do))
					hub_tmpl_add_object(o, "column", a->relation->relname,
										castNode(ColumnDef, cmd->def)->colname, NULL);
			}
		}
		else if (IsA(st, DoStmt))
		{
			const char *body = NULL;
			const char *language = "plpgsql";
			ListCell   *c;

			foreach(c, ((DoStmt *) st)->args)
			{
				DefElem    *d = lfirst_node(DefElem, c);

				if (strcmp(d->defname, "as") == 0)
					body = strVal(d->arg);
				else if (strcmp(d->defname, "language") == 0)
					language = strVal(d->arg);
			}
			if (body != NULL && strcmp(language, "plpgsql") == 0)
				hub_tmpl_do_body(o, body);
		}
	}
}

/*
 * The statements of a PL/pgSQL DO block's body that make objects, each given
 * to hub_tmpl_statements: a CREATE, ALTER or DO that begins a statement (after
 * the body's start, a semicolon, BEGIN, THEN, ELSE or LOOP) up to its
 * semicolon, found with PostgreSQL's own scanner (which PL/pgSQL's wraps: the
 * body's strings, quoted names and comments are single tokens, never read as
 * words).  What the block runs by EXECUTE is a string: not seen.
 */
static void
hub_tmpl_do_body(hub_tmpl_objects *o, const char *body)
{
	core_yy_extra_type yyextra;
	core_yyscan_t scanner = scanner_init(body, &yyextra, &ScanKeywords, ScanKeywordTokens);
	core_YYSTYPE yylval;
	YYLTYPE		loc;
	bool		boundary = true;	/* the last token ended a statement */
	int			start = -1;		/* where the statement read begins */
	int			depth = 0;		/* its parentheses open */
	int			tok;

	while ((tok = core_yylex(&yylval, &loc, scanner)) != 0)
	{
		if (start >= 0)
		{
			if (tok == '(')
				depth++;
			else if (tok == ')')
				depth--;
			else if (tok == ';' && depth <= 0)
			{
				hub_tmpl_statements(o, pnstrdup(body + start, loc - start), true);
				start = -1;
			}
		}
		else if (boundary && (hub_tmpl_word_at(body, loc, "create") || hub_tmpl_word_at(body, loc, "alter") ||
							  hub_tmpl_word_at(body, loc, "do")))
		{
			start = loc;
			depth = 0;
		}
		boundary = tok == ';' || hub_tmpl_word_at(body, loc, "begin") || hub_tmpl_word_at(body, loc, "then") ||
			hub_tmpl_word_at(body, loc, "else") || hub_tmpl_word_at(body, loc, "loop");
	}
	if (start >= 0)
		hub_tmpl_statements(o, body + start, true);
	scanner_finish(scanner);
}

/* The objects smartregion's own templates make (hub_tmpl_statements). */
static void
hub_tmpl_fill_objects(hub_tmpl_render *r, Oid nsp, Datum *args)
{
	Oid			render_types[2] = {NAMEOID, INT4OID};
	hub_tmpl_objects o = {r, 0, 64};
	MemoryContext old;
	uint64		nt;
	bool		isnull;

	if (r->nobj >= 0)
		return;
	/* (smartregion's own templates, as _hub_tables_missing: a plugin's
	 * objects are the plugin's to check) */
	if (SPI_execute_plan(hub_tmpl_plan(&hub_tmpl_all_plan, nsp,
									   "SELECT pg_catalog.format(h.ddl, $1, $2) FROM %s.hub_table h "
									   "WHERE h.provider OPERATOR(pg_catalog.=) 'smartregion' ORDER BY h.ord, h.table_name",
									   2, render_types),
						 args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not render the hub templates");
	nt = SPI_processed;
	old = MemoryContextSwitchTo(hub_tmpl_cxt);
	r->okind = palloc(sizeof(char *) * o.cap);
	r->otable = palloc(sizeof(char *) * o.cap);
	r->oname = palloc(sizeof(char *) * o.cap);
	r->oddl = palloc(sizeof(char *) * o.cap);
	MemoryContextSwitchTo(old);
	for (uint64 t = 0; t < nt; t++)
	{
		CHECK_FOR_INTERRUPTS();
		hub_tmpl_statements(&o, TextDatumGetCString(SPI_getbinval(SPI_tuptable->vals[t], SPI_tuptable->tupdesc, 1, &isnull)),
							false);
	}
	/* (only now: a call cancelled midway left the entry to be filled again,
	 * not remembered with part of the objects) */
	r->nobj = o.n;
}

PG_FUNCTION_INFO_V1(sr_fn_hub_template_objects);
/* smartregion._hub_template_objects(hub name, srid int): the columns, indexes,
 * triggers and policies smartregion's own hub_table templates make, found by
 * PostgreSQL's parser in the templates rendered for hub and srid: ALTER TABLE
 * ... ADD COLUMN IF NOT EXISTS (a column added since a table was first made),
 * CREATE INDEX with a name, CREATE [OR REPLACE] TRIGGER, CREATE POLICY (each
 * with its statement, for _hub_index_stale, _hub_trigger_stale and
 * _hub_policy_stale), and those of the statements of a DO
 * block's body (hub_tmpl_statements; before 2026-12-07, h1, a DO block was a
 * string to the parser, and the roof cells' tile key triggers were not seen).
 * A function body's statements are not objects of the hub: not read.
 * Remembered as the functions of _hub_template_functions are. */
Datum
sr_fn_hub_template_objects(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	hub_tmpl_render *r = hub_tmpl_call(fcinfo, hub_tmpl_fill_objects);

	for (int i = 0; i < r->nobj; i++)
	{
		Datum		v[4];
		bool		nulls[4] = {false, false, false, r->oddl[i] == NULL};

		v[0] = CStringGetTextDatum(r->okind[i]);
		v[1] = DirectFunctionCall1(namein, CStringGetDatum(r->otable[i]));
		v[2] = DirectFunctionCall1(namein, CStringGetDatum(r->oname[i]));
		v[3] = r->oddl[i] ? CStringGetTextDatum(r->oddl[i]) : (Datum) 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/* A policy expression as CreatePolicy stores it (transformed against the
 * table, collations assigned), deparsed; NULL for none. */
static char *
policy_expr_text(Relation rel, Node *raw, ParseExprKind kind, List *dpcontext)
{
	ParseState *ps;
	ParseNamespaceItem *nsitem;
	Node	   *e;

	if (raw == NULL)
		return NULL;
	ps = make_parsestate(NULL);
	nsitem = addRangeTableEntryForRelation(ps, rel, AccessShareLock, NULL, false, false);
	addNSItemToQuery(ps, nsitem, false, true, true);
	e = transformWhereClause(ps, copyObject(raw), kind, "POLICY");
	assign_expr_collations(ps, e);
	return deparse_expression(e, dpcontext, false, true);
}

/* A stored policy expression (pg_node_tree), deparsed as policy_expr_text. */
static char *
policy_stored_text(HeapTuple tup, TupleDesc desc, int attnum, List *dpcontext)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum, desc, &isnull);

	if (isnull)
		return NULL;
	return deparse_expression(stringToNode(TextDatumGetCString(d)), dpcontext, false, true);
}

/*
 * The policies found current, remembered for the backend: trust_problems asks
 * each hub's hundred-odd policies at every call (create_hub and grant_roles end
 * with it), each parsed twice and deparsed.  The key is the policy's row
 * version and the statement compared with (its length and a 64-bit hash: a
 * template changed, or a hub renamed, is another statement).  The row version
 * is its oid (DROP and CREATE make another), its raw xmin (ALTER POLICY writes
 * a new version; raw, as freezing keeps it: the frozen xmin would be the same
 * for every version once frozen) and, for a version the current transaction
 * wrote, the command that wrote it (cmin): a transaction that alters a policy
 * it created or altered before keeps the xmin, so before 2026-12-07 (h11) a
 * trust_problems later in it answered from the memo and missed the change.  A
 * transaction writes at most one version of a row per command, so (oid, xmin,
 * cmin) names one; the cmin of a version of an ended transaction is not kept
 * (t_cid then holds a cmax or a combo id), and is InvalidCommandId in the key:
 * once the transaction ended, only its last version of the row is seen, and
 * the entries with a cmin are never asked again.  Only "current" is remembered:
 * a missing or differing policy is asked again each time.
 */
typedef struct policy_memo_key
{
	Oid			polid;
	TransactionId xmin;
	CommandId	cmin;			/* InvalidCommandId: xmin not the current transaction */
	uint32		len;
	uint64		hash;
} policy_memo_key;

static HTAB *policy_memo;

#define POLICY_MEMO_MAX 65536	/* (entries; past it, forgotten) */

static bool
policy_memo_lookup(policy_memo_key *key, bool enter)
{
	bool		found;

	if (policy_memo == NULL)
	{
		HASHCTL		ctl;

		if (!enter)
			return false;
		ctl.keysize = sizeof(policy_memo_key);
		ctl.entrysize = sizeof(policy_memo_key);
		policy_memo = hash_create("smartregion current policies", 256, &ctl, HASH_ELEM | HASH_BLOBS);
	}
	if (enter && hash_get_num_entries(policy_memo) >= POLICY_MEMO_MAX)
	{
		hash_destroy(policy_memo);
		policy_memo = NULL;
		return policy_memo_lookup(key, enter);
	}
	hash_search(policy_memo, key, enter ? HASH_ENTER : HASH_FIND, &found);
	return found;
}

/* The one statement of ddl, of node type tag, or 22023 naming what it must be. */
static Node *
hub_one_statement(const char *ddl, NodeTag tag, const char *what)
{
	List	   *stmts = raw_parser(ddl, RAW_PARSE_DEFAULT);

	if (list_length(stmts) != 1 || nodeTag(linitial_node(RawStmt, stmts)->stmt) != tag)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"ddl\" must be one %s statement", what)));
	return linitial_node(RawStmt, stmts)->stmt;
}

/* The oid of table relname in hub, InvalidOid for none (or no such schema). */
static Oid
hub_table_oid(const char *hub, const char *relname, Oid *nspid)
{
	*nspid = get_namespace_oid(hub, true);
	if (!OidIsValid(*nspid))
		return InvalidOid;
	return get_relname_relid(relname, *nspid);
}

PG_FUNCTION_INFO_V1(sr_fn_hub_policy_stale);
/* smartregion._hub_policy_stale(hub name, ddl text): whether the hub's policy
 * that a CREATE POLICY statement (as this build writes it, for a table of the
 * hub) makes is that one: 'missing' when the table has no policy of that
 * name, 'differs' when its command, kind (permissive or restrictive), roles,
 * USING or WITH CHECK expression are not the statement's (each expression
 * transformed against the table as CREATE POLICY does and both deparsed:
 * the stored tree holds the positions of the text it was parsed from, the
 * deparsed text does not), NULL when it is, and when the hub has no such
 * table or the caller may not look up names in the hub's schema (USAGE: the
 * expressions name its tables). */
Datum
sr_fn_hub_policy_stale(PG_FUNCTION_ARGS)
{
	const char *hub = NameStr(*PG_GETARG_NAME(0));
	char	   *ddl = text_to_cstring(PG_GETARG_TEXT_PP(1));
	CreatePolicyStmt *stmt = (CreatePolicyStmt *) hub_one_statement(ddl, T_CreatePolicyStmt, "CREATE POLICY");
	Oid			nspid,
				relid;
	Relation	rel,
				pol;
	ScanKeyData skey[2];
	SysScanDesc scan;
	HeapTuple	tup;
	const char *problem = NULL;

	relid = hub_table_oid(hub, stmt->table->relname, &nspid);
	if (!OidIsValid(relid) || !sr_schema_usage_ok(nspid))
		PG_RETURN_NULL();
	rel = table_open(relid, AccessShareLock);
	pol = table_open(PolicyRelationId, AccessShareLock);
	ScanKeyInit(&skey[0], Anum_pg_policy_polrelid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	ScanKeyInit(&skey[1], Anum_pg_policy_polname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum(stmt->policy_name));
	scan = systable_beginscan(pol, PolicyPolrelidPolnameIndexId, true, NULL, 2, skey);
	tup = systable_getnext(scan);
	if (!HeapTupleIsValid(tup))
		problem = "missing";
	else
	{
		Form_pg_policy form = (Form_pg_policy) GETSTRUCT(tup);
		policy_memo_key key;

		memset(&key, 0, sizeof(key));
		key.polid = form->oid;
		key.xmin = HeapTupleHeaderGetRawXmin(tup->t_data);
		key.cmin = TransactionIdIsCurrentTransactionId(key.xmin) ?
			HeapTupleHeaderGetCmin(tup->t_data) : InvalidCommandId;
		key.len = (uint32) strlen(ddl);
		key.hash = hash_bytes_extended((const unsigned char *) ddl, (int) key.len, 0);
		/* (found current before in this backend: the same row version, the same statement) */
		if (!policy_memo_lookup(&key, false))
		{
			List	   *dpcontext = deparse_context_for(RelationGetRelationName(rel), relid);
			const char *c = stmt->cmd_name;
			char		cmd = strcmp(c, "select") == 0 ? 'r' : strcmp(c, "insert") == 0 ? 'a' :
				strcmp(c, "update") == 0 ? 'w' : strcmp(c, "delete") == 0 ? 'd' : '*';
			bool		isnull;
			ArrayType  *stored_roles = DatumGetArrayTypeP(heap_getattr(tup, Anum_pg_policy_polroles,
																	   RelationGetDescr(pol), &isnull));
			int			nstored = ArrayGetNItems(ARR_NDIM(stored_roles), ARR_DIMS(stored_roles));
			Oid		   *sr = palloc(sizeof(Oid) * (nstored + 1));
			int			nwant = 0;
			Oid		   *wr = palloc(sizeof(Oid) * (list_length(stmt->roles) + 1));
			ListCell   *lc;
			char	   *a,
					   *b;

			memcpy(sr, ARR_DATA_PTR(stored_roles), sizeof(Oid) * nstored);
			/* (no role named is PUBLIC, as CREATE POLICY records it) */
			if (stmt->roles == NIL)
				wr[nwant++] = ACL_ID_PUBLIC;
			foreach(lc, stmt->roles)
			{
				RoleSpec   *spec = lfirst_node(RoleSpec, lc);

				if (spec->roletype == ROLESPEC_PUBLIC)
					wr[nwant++] = ACL_ID_PUBLIC;
				else if (OidIsValid(get_rolespec_oid(spec, true)))
					wr[nwant++] = get_rolespec_oid(spec, true);
				else
					problem = "differs";	/* (a role that does not exist: no policy names it;
											 * InvalidOid would read as PUBLIC) */
			}
			qsort(sr, nstored, sizeof(Oid), oid_cmp);
			qsort(wr, nwant, sizeof(Oid), oid_cmp);
			if (problem != NULL || form->polcmd != cmd || form->polpermissive != stmt->permissive || nstored != nwant ||
				memcmp(sr, wr, sizeof(Oid) * nwant) != 0)
				problem = "differs";
			else
			{
				a = policy_expr_text(rel, stmt->qual, EXPR_KIND_POLICY, dpcontext);
				b = policy_stored_text(tup, RelationGetDescr(pol), Anum_pg_policy_polqual, dpcontext);
				if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
					problem = "differs";
				else
				{
					a = policy_expr_text(rel, stmt->with_check, EXPR_KIND_POLICY, dpcontext);
					b = policy_stored_text(tup, RelationGetDescr(pol), Anum_pg_policy_polwithcheck, dpcontext);
					if ((a == NULL) != (b == NULL) || (a != NULL && strcmp(a, b) != 0))
						problem = "differs";
				}
			}
			if (problem == NULL)
				policy_memo_lookup(&key, true);
		}
	}
	systable_endscan(scan);
	table_close(pol, AccessShareLock);
	table_close(rel, AccessShareLock);
	if (problem == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(problem));
}

/* The pg_index.indoption of a key column e of a statement, as
 * ComputeIndexAttrs sets it (for an access method that orders). */
static int16
hub_index_option(bool amcanorder, IndexElem *e)
{
	int16		option = 0;

	if (amcanorder)
	{
		if (e->ordering == SORTBY_DESC)
			option |= INDOPTION_DESC;
		if (e->nulls_ordering == SORTBY_NULLS_FIRST ||
			(e->nulls_ordering == SORTBY_NULLS_DEFAULT && e->ordering == SORTBY_DESC))
			option |= INDOPTION_NULLS_FIRST;
	}
	return option;
}

/* Whether the index column i of index itup is the statement's column e (after
 * transformIndexStmt): its attribute or expression (the expressions consumed
 * in order from *expr), collation, operator class and order, as
 * ComputeIndexAttrs derives them from the statement. */
static bool
hub_index_column_same(Relation rel, HeapTuple itup, int i, IndexElem *e, bool key,
					  List *exprs, int *nexpr, Oid amoid, const char *amname, bool amcanorder)
{
	Form_pg_index ix = (Form_pg_index) GETSTRUCT(itup);
	Node	   *expr = e->expr;
	AttrNumber	attnum = InvalidAttrNumber;
	Oid			atttype,
				collid;
	bool		isnull;
	oidvector  *indcollation,
			   *indclass;
	int2vector *indoption;

	if (e->name != NULL)
	{
		attnum = get_attnum(RelationGetRelid(rel), e->name);
		if (attnum == InvalidAttrNumber)
			return false;
		if (attnum < 0)
			return false;		/* (a system column: not indexed by a template) */
		atttype = TupleDescAttr(RelationGetDescr(rel), attnum - 1)->atttypid;
		collid = TupleDescAttr(RelationGetDescr(rel), attnum - 1)->attcollation;
	}
	else
	{
		atttype = exprType(expr);
		collid = exprCollation(expr);
		/* (a top-level COLLATE is the column's collation; "(column)" is the column) */
		while (IsA(expr, CollateExpr))
			expr = (Node *) ((CollateExpr *) expr)->arg;
		if (IsA(expr, Var) && ((Var *) expr)->varattno != InvalidAttrNumber)
			attnum = ((Var *) expr)->varattno;
	}
	if (attnum != InvalidAttrNumber)
	{
		if (ix->indkey.values[i] != attnum)
			return false;
	}
	else
	{
		/* (the stored expression as CREATE INDEX stored it: equal() ignores
		 * the positions in the text and the display form of casts) */
		if (ix->indkey.values[i] != 0 || *nexpr >= list_length(exprs) ||
			!equal(expr, list_nth(exprs, *nexpr)))
			return false;
		(*nexpr)++;
	}
	if (!key)
		return true;
	if (e->collation != NIL)
		collid = get_collation_oid(e->collation, true);
	if (!type_is_collatable(atttype))
		collid = InvalidOid;
	indcollation = (oidvector *) DatumGetPointer(SysCacheGetAttr(INDEXRELID, itup, Anum_pg_index_indcollation, &isnull));
	indclass = (oidvector *) DatumGetPointer(SysCacheGetAttr(INDEXRELID, itup, Anum_pg_index_indclass, &isnull));
	indoption = (int2vector *) DatumGetPointer(SysCacheGetAttr(INDEXRELID, itup, Anum_pg_index_indoption, &isnull));
	if (indcollation->values[i] != collid ||
		indclass->values[i] != ResolveOpClass(e->opclass, atttype, amname, amoid))
		return false;
	return indoption->values[i] == hub_index_option(amcanorder, e);
}

/* The access method of relation relid. */
static Oid
hub_rel_am(Oid relid)
{
	HeapTuple	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(relid));
	Oid			am;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for relation %u", relid);
	am = ((Form_pg_class) GETSTRUCT(tup))->relam;
	ReleaseSysCache(tup);
	return am;
}

PG_FUNCTION_INFO_V1(sr_fn_hub_index_stale);
/* smartregion._hub_index_stale(hub name, ddl text): whether the hub's index
 * that a CREATE INDEX statement (as a template writes it, naming its index and
 * a table of the hub) makes is that one: 'missing' when the table has no
 * index of that name, 'differs' when it is invalid, or its uniqueness, NULLS
 * NOT DISTINCT, access method, key and included columns (attributes or
 * expressions), collations, operator classes, orders or predicate are not
 * the statement's (the statement transformed against the table as CREATE
 * INDEX does, its expressions compared with the stored ones by equal()), NULL
 * when they are or when the hub has no such table.  A caller without USAGE
 * on the hub's schema (the expressions may name its objects) gets the index's
 * shape and plain columns compared, not its expressions, collations or
 * operator classes (red team of 2026-12-07 night, h4: an index of the
 * template's shape on other columns or another predicate was taken for it). */
Datum
sr_fn_hub_index_stale(PG_FUNCTION_ARGS)
{
	const char *hub = NameStr(*PG_GETARG_NAME(0));
	char	   *ddl = text_to_cstring(PG_GETARG_TEXT_PP(1));
	IndexStmt  *stmt = (IndexStmt *) hub_one_statement(ddl, T_IndexStmt, "CREATE INDEX");
	Oid			nspid,
				relid,
				indexid;
	HeapTuple	itup;
	Form_pg_index ix;
	Relation	rel;
	bool		deep;
	const char *problem = NULL;

	if (stmt->idxname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("argument \"ddl\" must name its index")));
	relid = hub_table_oid(hub, stmt->relation->relname, &nspid);
	if (!OidIsValid(relid))
		PG_RETURN_NULL();
	indexid = get_relname_relid(stmt->idxname, nspid);
	itup = OidIsValid(indexid) ? SearchSysCache1(INDEXRELID, ObjectIdGetDatum(indexid)) : NULL;
	if (!HeapTupleIsValid(itup))
		PG_RETURN_TEXT_P(cstring_to_text("missing"));
	ix = (Form_pg_index) GETSTRUCT(itup);
	if (ix->indrelid != relid)
	{
		ReleaseSysCache(itup);
		PG_RETURN_TEXT_P(cstring_to_text("missing"));
	}
	deep = sr_schema_usage_ok(nspid);
	rel = table_open(relid, AccessShareLock);
	{
		Oid			amoid = hub_rel_am(indexid);
		char	   *amname = get_am_name(amoid);
		IndexAmRoutine *am = GetIndexAmRoutineByAmId(amoid, false);
		int			nkey = list_length(stmt->indexParams);
		int			ninc = list_length(stmt->indexIncludingParams);
		bool		isnull;
		Datum		d;

		if (!ix->indisvalid || ix->indisunique != stmt->unique || ix->indisprimary ||
			ix->indisexclusion || ix->indnullsnotdistinct != stmt->nulls_not_distinct ||
			strcmp(amname, stmt->accessMethod) != 0 || ix->indnkeyatts != nkey ||
			ix->indnatts != nkey + ninc ||
			heap_attisnull(itup, Anum_pg_index_indpred, NULL) != (stmt->whereClause == NULL))
			problem = "differs";
		else if (!deep)
		{
			/* (the plain columns by name; an expression's place only) */
			int2vector *indoption = (int2vector *) DatumGetPointer(SysCacheGetAttr(INDEXRELID, itup,
																				   Anum_pg_index_indoption, &isnull));
			ListCell   *lc;
			int			i = 0;

			foreach(lc, list_concat_copy(stmt->indexParams, stmt->indexIncludingParams))
			{
				IndexElem  *e = lfirst_node(IndexElem, lc);

				if (ix->indkey.values[i] != (e->name != NULL ? get_attnum(relid, e->name) : 0) ||
					(i < nkey && indoption->values[i] != hub_index_option(am->amcanorder, e)))
					problem = "differs";
				i++;
			}
		}
		else
		{
			IndexStmt  *t = transformIndexStmt(relid, stmt, ddl);
			List	   *exprs = NIL;
			int			nexpr = 0;
			int			i = 0;
			ListCell   *lc;

			d = SysCacheGetAttr(INDEXRELID, itup, Anum_pg_index_indexprs, &isnull);
			if (!isnull)
				exprs = (List *) stringToNode(TextDatumGetCString(d));
			foreach(lc, t->indexParams)
			{
				if (!hub_index_column_same(rel, itup, i++, lfirst_node(IndexElem, lc), true, exprs, &nexpr,
										   amoid, amname, am->amcanorder))
					problem = "differs";
			}
			foreach(lc, t->indexIncludingParams)
			{
				if (!hub_index_column_same(rel, itup, i++, lfirst_node(IndexElem, lc), false, exprs, &nexpr,
										   amoid, amname, am->amcanorder))
					problem = "differs";
			}
			if (nexpr != list_length(exprs))
				problem = "differs";
			/* (the predicate as CREATE INDEX stores it: an implicit AND list,
			 * made explicit) */
			d = SysCacheGetAttr(INDEXRELID, itup, Anum_pg_index_indpred, &isnull);
			if (problem == NULL && !isnull &&
				!equal(stringToNode(TextDatumGetCString(d)),
					   make_ands_explicit(make_ands_implicit((Expr *) t->whereClause))))
				problem = "differs";
		}
	}
	table_close(rel, AccessShareLock);
	ReleaseSysCache(itup);
	if (problem == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(problem));
}

/* Whether a trigger's WHEN condition stored (tgqual) is the statement's,
 * transformed against the table as CreateTrigger does (OLD the first range
 * table entry, NEW the second) and compared by equal(). */
static bool
hub_trigger_when_same(Relation rel, Node *when, const char *stored, const char *ddl)
{
	ParseState *ps = make_parsestate(NULL);
	ParseNamespaceItem *nsitem;
	Node	   *e;

	ps->p_sourcetext = ddl;
	nsitem = addRangeTableEntryForRelation(ps, rel, AccessShareLock, makeAlias("old", NIL), false, false);
	addNSItemToQuery(ps, nsitem, false, true, true);
	nsitem = addRangeTableEntryForRelation(ps, rel, AccessShareLock, makeAlias("new", NIL), false, false);
	addNSItemToQuery(ps, nsitem, false, true, true);
	e = transformWhereClause(ps, copyObject(when), EXPR_KIND_TRIGGER_WHEN, "WHEN");
	assign_expr_collations(ps, e);
	free_parsestate(ps);
	return equal(e, stringToNode(stored));
}

static int
hub_int16_cmp(const void *a, const void *b)
{
	return (int) *(const int16 *) a - (int) *(const int16 *) b;
}

PG_FUNCTION_INFO_V1(sr_fn_hub_trigger_stale);
/* smartregion._hub_trigger_stale(hub name, ddl text): whether the hub's
 * trigger that a CREATE [OR REPLACE] TRIGGER statement (as a template writes
 * it, on a table of the hub) makes is that one: 'missing' when the table has
 * no trigger of that name, 'differs' when its timing, level, events, UPDATE OF
 * columns (as a set), WHEN condition, transition tables, function (by the
 * schema and name the statement gives, or the name alone), arguments or
 * constraint and deferral are not the statement's, NULL when they are or when
 * the hub has no such table.  Whether it is enabled is _hub_objects_stale's
 * (pg_trigger.tgenabled).  The WHEN condition is compared for a caller with
 * USAGE on the hub's schema only (it may name its objects); for another, its
 * presence (red team of 2026-12-07 night, h4: a trigger of the template's
 * events and function WHEN (false), or UPDATE OF a column never written, was
 * taken for it). */
Datum
sr_fn_hub_trigger_stale(PG_FUNCTION_ARGS)
{
	const char *hub = NameStr(*PG_GETARG_NAME(0));
	char	   *ddl = text_to_cstring(PG_GETARG_TEXT_PP(1));
	CreateTrigStmt *stmt = (CreateTrigStmt *) hub_one_statement(ddl, T_CreateTrigStmt, "CREATE TRIGGER");
	Oid			nspid,
				relid;
	Relation	rel,
				tgrel;
	ScanKeyData skey[2];
	SysScanDesc scan;
	HeapTuple	tup;
	const char *problem = NULL;

	relid = hub_table_oid(hub, stmt->relation->relname, &nspid);
	if (!OidIsValid(relid))
		PG_RETURN_NULL();
	rel = table_open(relid, AccessShareLock);
	tgrel = table_open(TriggerRelationId, AccessShareLock);
	ScanKeyInit(&skey[0], Anum_pg_trigger_tgrelid, BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(relid));
	ScanKeyInit(&skey[1], Anum_pg_trigger_tgname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum(stmt->trigname));
	scan = systable_beginscan(tgrel, TriggerRelidNameIndexId, true, NULL, 2, skey);
	tup = systable_getnext(scan);
	if (!HeapTupleIsValid(tup))
		problem = "missing";
	else
	{
		Form_pg_trigger tg = (Form_pg_trigger) GETSTRUCT(tup);
		TupleDesc	desc = RelationGetDescr(tgrel);
		int16		tgtype;
		char	   *schemaname,
				   *funcname;
		HeapTuple	ptup;
		bool		isnull;
		Datum		d;
		int			ncols = list_length(stmt->columns);
		int16	   *want = palloc(sizeof(int16) * (ncols + 1));
		int16	   *have = palloc(sizeof(int16) * (tg->tgattr.dim1 + 1));
		const char *oldtable = NULL,
				   *newtable = NULL;
		ListCell   *lc;
		int			i = 0;

		/* (tgtype as CreateTrigger computes it) */
		TRIGGER_CLEAR_TYPE(tgtype);
		if (stmt->row)
			TRIGGER_SETT_ROW(tgtype);
		tgtype |= stmt->timing;
		tgtype |= stmt->events;
		if (tg->tgtype != tgtype || OidIsValid(tg->tgconstraint) != stmt->isconstraint ||
			tg->tgdeferrable != stmt->deferrable || tg->tginitdeferred != stmt->initdeferred)
			problem = "differs";
		/* (the function: by the schema the statement names, else its name) */
		DeconstructQualifiedName(stmt->funcname, &schemaname, &funcname);
		ptup = SearchSysCache1(PROCOID, ObjectIdGetDatum(tg->tgfoid));
		if (!HeapTupleIsValid(ptup))
			problem = "differs";
		else
		{
			Form_pg_proc f = (Form_pg_proc) GETSTRUCT(ptup);

			if (strcmp(NameStr(f->proname), funcname) != 0 ||
				(schemaname != NULL && strcmp(get_namespace_name(f->pronamespace), schemaname) != 0))
				problem = "differs";
			ReleaseSysCache(ptup);
		}
		/* (its arguments: tgargs holds each, ended by a zero byte) */
		if (tg->tgnargs != list_length(stmt->args))
			problem = "differs";
		else if (tg->tgnargs > 0)
		{
			bytea	   *args = DatumGetByteaPP(heap_getattr(tup, Anum_pg_trigger_tgargs, desc, &isnull));
			const char *p = VARDATA_ANY(args);

			foreach(lc, stmt->args)
			{
				if (strcmp(p, strVal(lfirst(lc))) != 0)
					problem = "differs";
				p += strlen(p) + 1;
			}
		}
		/* (UPDATE OF: the same columns, in any order) */
		foreach(lc, stmt->columns)
			want[i++] = get_attnum(relid, strVal(lfirst(lc)));
		memcpy(have, tg->tgattr.values, sizeof(int16) * tg->tgattr.dim1);
		qsort(want, ncols, sizeof(int16), hub_int16_cmp);
		qsort(have, tg->tgattr.dim1, sizeof(int16), hub_int16_cmp);
		if (tg->tgattr.dim1 != ncols || memcmp(want, have, sizeof(int16) * ncols) != 0)
			problem = "differs";
		/* (the transition tables, whose names the function reads) */
		foreach(lc, stmt->transitionRels)
		{
			TriggerTransition *tt = lfirst_node(TriggerTransition, lc);

			if (tt->isNew)
				newtable = tt->name;
			else
				oldtable = tt->name;
		}
		d = heap_getattr(tup, Anum_pg_trigger_tgoldtable, desc, &isnull);
		if (isnull != (oldtable == NULL) || (!isnull && strcmp(NameStr(*DatumGetName(d)), oldtable) != 0))
			problem = "differs";
		d = heap_getattr(tup, Anum_pg_trigger_tgnewtable, desc, &isnull);
		if (isnull != (newtable == NULL) || (!isnull && strcmp(NameStr(*DatumGetName(d)), newtable) != 0))
			problem = "differs";
		/* (WHEN) */
		d = heap_getattr(tup, Anum_pg_trigger_tgqual, desc, &isnull);
		if (isnull != (stmt->whenClause == NULL))
			problem = "differs";
		else if (problem == NULL && !isnull && sr_schema_usage_ok(nspid) &&
				 !hub_trigger_when_same(rel, stmt->whenClause, TextDatumGetCString(d), ddl))
			problem = "differs";
	}
	systable_endscan(scan);
	table_close(tgrel, AccessShareLock);
	table_close(rel, AccessShareLock);
	if (problem == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(problem));
}
