/*
 * platform.c — glue of the platform layer: the versions of the libraries
 * linked into the extension, and the extension being created (used by
 * register_service and register_hub_table to record who registered what).
 */
#include "sr_pg.h"

#include <geos_c.h>
#include <proj.h>

#include "commands/extension.h"
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

PG_FUNCTION_INFO_V1(sr_linked_versions);
/* smartregion._linked_versions(): jsonb of the library's own version, the
 * PostgreSQL it was compiled for, and the GEOS and PROJ actually linked. */
Datum
sr_linked_versions(PG_FUNCTION_ARGS)
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

PG_FUNCTION_INFO_V1(sr_current_extension);
/* smartregion._current_extension(): the extension whose script is running
 * (CREATE/ALTER EXTENSION), or NULL outside an extension script. */
Datum
sr_current_extension(PG_FUNCTION_ARGS)
{
	char	   *name;

	if (!creating_extension || !OidIsValid(CurrentExtensionObject))
		PG_RETURN_NULL();
	name = get_extension_name(CurrentExtensionObject);
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}
