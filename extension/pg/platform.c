/*
 * platform.c — glue of the platform layer: the versions of the libraries
 * linked into the extension, and the extension being created (used by
 * register_service and register_hub_table to record who registered what).
 */
#include "sr_pg.h"

#include <geos_c.h>
#include <proj.h>

#include "commands/extension.h"
#include "funcapi.h"
#include "utils/tuplestore.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
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
		v[6] = CStringGetTextDatum(s->meaning ? s->meaning : "");
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
