/*
 * hub.c — glue of the hub's SRID: create_hub types the geometry columns of
 * the hub tables with one projected SRID in metres, checked by the shared
 * layer's SRID policy (geometry.c) so that the hub and the functions reading
 * it refuse the same SRIDs with the same messages.
 */
#include "sr_pg.h"

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
