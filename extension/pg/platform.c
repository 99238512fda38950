/*
 * platform.c — glue of the platform layer: the versions of the libraries
 * linked into the extension, and the extension being created (used by
 * register_service and register_hub_table to record who registered what).
 */
#include "sr_pg.h"
#include "sr_function_labels.h"

#include <geos_c.h>
#include <proj.h>

#include "access/htup_details.h"
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
