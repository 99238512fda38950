/*
 * hub.c — glue of the hub's SRID: create_hub types the geometry columns of
 * the hub tables with one projected SRID in metres, checked by the shared
 * layer's SRID policy (geometry.c) so that the hub and the functions reading
 * it refuse the same SRIDs with the same messages; and of the territory
 * codes' types (core: territory_codes.c), which the hub tables' checks and
 * territory policies use.
 */
#include "sr_pg.h"
#include "sr_territory.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sr_fn_srid_require_metric);
/* smartregion._srid_require_metric(srid int, what text): nothing when srid
 * is projected in metres (or 0, local metres); the policy's 22023 otherwise. */
Datum
sr_fn_srid_require_metric(PG_FUNCTION_ARGS)
{
	int32		srid = PG_GETARG_INT32(0);
	char	   *what = text_to_cstring(PG_GETARG_TEXT_PP(1));

	sr_srid_require_metric(srid, what);
	PG_RETURN_VOID();
}

/* ---- territory codes and types (core: territory_codes.c) ------------------ */

PG_FUNCTION_INFO_V1(sr_fn_territory_code_types);
/* smartregion.territory_code_types(code text) RETURNS text[]: the territory
 * types whose code shape the code has, in the order commune, epci,
 * departement, region ('{}' for a code of no known shape). */
Datum
sr_fn_territory_code_types(PG_FUNCTION_ARGS)
{
	char	   *code = sr_text_arg(fcinfo, 0);
	int			types = sr_territory_code_types(code);
	Datum		elems[4];
	int			n = 0;

	for (int bit = SR_TERR_COMMUNE; bit <= SR_TERR_REGION; bit <<= 1)
		if (types & bit)
			elems[n++] = CStringGetTextDatum(sr_territory_type_name(bit));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, TEXTOID, -1, false, TYPALIGN_INT));
}

PG_FUNCTION_INFO_V1(sr_fn_territory_typed_check);
/* smartregion._territory_typed_check(territory_type text, territory_code
 * text, table_name text) RETURNS boolean (not strict): the hub tables' check
 * <table_name>_territory_typed — true, or a check_violation saying what is
 * wrong: an untyped row may not carry a code that is both a département's
 * and a région's, a typed one must have a code of its type's shape.  The
 * CHECK expression passes its table's name (a function cannot see which
 * constraint calls it): the error names the table and the constraint, in
 * its detail and in the table_name and constraint_name fields, as
 * PostgreSQL's own check violations do. */
Datum
sr_fn_territory_typed_check(PG_FUNCTION_ARGS)
{
	char	   *type = sr_text_arg(fcinfo, 0);
	char	   *code = sr_text_arg(fcinfo, 1);
	char	   *table = sr_text_arg(fcinfo, 2);
	char	   *constraint = NULL;
	const char *where = "";
	int			bit;

	if (sr_territory_typed_ok(type, code))
		PG_RETURN_BOOL(true);
	if (table != NULL)
	{
		constraint = psprintf("%s_territory_typed", table);
		where = psprintf("The row fails check constraint \"%s\" of table \"%s\".", constraint, table);
	}
	if (code == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("territory type \"%s\" given without a territory code", type),
				 where[0] ? errdetail("%s", where) : 0,
				 errhint("Set territory_code too, or leave territory_type NULL for a row of no territory."),
				 table ? err_generic_string(PG_DIAG_TABLE_NAME, table) : 0,
				 constraint ? err_generic_string(PG_DIAG_CONSTRAINT_NAME, constraint) : 0));
	if (type == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("territory code \"%s\" names both a département and a région", code),
				 errdetail("%s%sA hub row, an agent or a territory administrator with this code says which it means in territory_type.",
						   where, where[0] ? " " : ""),
				 errhint("Set territory_type to 'departement' or 'region'."),
				 table ? err_generic_string(PG_DIAG_TABLE_NAME, table) : 0,
				 constraint ? err_generic_string(PG_DIAG_CONSTRAINT_NAME, constraint) : 0));
	bit = sr_territory_type_bit(type);
	if (bit == 0)
		ereport(ERROR,
				(errcode(ERRCODE_CHECK_VIOLATION),
				 errmsg("invalid territory type \"%s\"", type),
				 where[0] ? errdetail("%s", where) : 0,
				 errhint("Territory types are commune, epci, departement and region; leave territory_type NULL for a hub's own codes."),
				 table ? err_generic_string(PG_DIAG_TABLE_NAME, table) : 0,
				 constraint ? err_generic_string(PG_DIAG_CONSTRAINT_NAME, constraint) : 0));
	ereport(ERROR,
			(errcode(ERRCODE_CHECK_VIOLATION),
			 errmsg("territory code \"%s\" is not the code of a %s", code, type),
			 errdetail("%s%sA commune's code has 5 characters, an EPCI's 9 digits (its SIREN), a département's 2 or 3 (01-95 but 20, 2A, 2B, 971-974, 976); "
					   "the régions are 01-04, 06, 11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93 and 94; "
					   "the overseas collectivités 975, 977, 978, 984 and 986-989 are both.",
					   where, where[0] ? " " : ""),
			 errhint("Leave territory_type NULL for a hub's own codes."),
			 table ? err_generic_string(PG_DIAG_TABLE_NAME, table) : 0,
			 constraint ? err_generic_string(PG_DIAG_CONSTRAINT_NAME, constraint) : 0));
	PG_RETURN_BOOL(false);		/* not reached */
}

PG_FUNCTION_INFO_V1(sr_fn_territory_code_type);
/* smartregion._territory_code_type(code text) RETURNS text: the one type
 * the code's shape admits, NULL when none or several. */
Datum
sr_fn_territory_code_type(PG_FUNCTION_ARGS)
{
	const char *name = sr_territory_type_name(sr_territory_code_type(sr_text_arg(fcinfo, 0)));

	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}

PG_FUNCTION_INFO_V1(sr_fn_territory_type_or_implied);
/* smartregion._territory_type_or_implied(territory_type text, territory_code
 * text) RETURNS text (not strict): the type a row, an agent or a consent is
 * of, territory_type, or when NULL the one type its code's shape admits
 * (NULL when none or several) — coalesce(territory_type,
 * _territory_code_type(territory_code)) in one call, the "same territory"
 * test of the policies and triggers.  A type without a code is that type. */
Datum
sr_fn_territory_type_or_implied(PG_FUNCTION_ARGS)
{
	const char *name;

	if (!PG_ARGISNULL(0))
		PG_RETURN_TEXT_P(PG_GETARG_TEXT_PP(0));
	name = sr_territory_type_name(sr_territory_code_type(sr_text_arg(fcinfo, 1)));
	if (name == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(name));
}
