/*
 * errors.c — the one place where core status codes become SQLSTATEs.
 * Keep in sync with sr_status in sr_common.h and with docs/errors.md.
 */
#include "sr_pg.h"

#include <math.h>

#include "utils/builtins.h"
#include "utils/elog.h"
#include "utils/lsyscache.h"

int
sr_status_sqlstate(sr_status status)
{
	switch (status)
	{
		case SR_OK:
			return ERRCODE_SUCCESSFUL_COMPLETION;
		case SR_EINVAL:
			return ERRCODE_INVALID_PARAMETER_VALUE;	/* 22023 */
		case SR_ERANGE:
			return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;	/* 22003 */
		case SR_ESYNTAX:
			return ERRCODE_INVALID_TEXT_REPRESENTATION;	/* 22P02 */
		case SR_EDATA:
			return ERRCODE_DATA_EXCEPTION;	/* 22000 */
		case SR_EGEOM:
			return ERRCODE_INVALID_PARAMETER_VALUE;	/* 22023 */
		case SR_ENOMEM:
			return ERRCODE_OUT_OF_MEMORY;	/* 53200 */
		case SR_ENOTFOUND:
			return ERRCODE_UNDEFINED_OBJECT;	/* 42704 */
		case SR_EINTERNAL:
			return ERRCODE_INTERNAL_ERROR;	/* XX000 */
		case SR_ENULL:
			return ERRCODE_NULL_VALUE_NOT_ALLOWED;	/* 22004 */
	}
	return ERRCODE_INTERNAL_ERROR;
}

void
sr_raise(const sr_err *err)
{
	sr_status	st = err ? err->status : SR_EINTERNAL;

	if (st == SR_OK)
		st = SR_EINTERNAL;		/* a failing call that forgot its report */
	ereport(ERROR,
			(errcode(sr_status_sqlstate(st)),
			 errmsg_internal("%s", (err && err->msg[0]) ? err->msg : "internal error in smartregion core"),
			 (err && err->detail[0]) ? errdetail_internal("%s", err->detail) : 0,
			 (err && err->hint[0]) ? errhint("%s", err->hint) : 0));
	pg_unreachable();
}

void
sr_require_finite(double value, const char *param)
{
	if (isnan(value) || isinf(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"%s\" must be a finite number, not %s",
						param, isnan(value) ? "NaN" : (value > 0 ? "Infinity" : "-Infinity"))));
}

double
sr_ts_arg_unix(TimestampTz ts, const char *param)
{
	if (TIMESTAMP_NOT_FINITE(ts))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"%s\" must be a finite timestamp, not %s",
						param, TIMESTAMP_IS_NOBEGIN(ts) ? "-infinity" : "infinity")));
	return sr_ts_unix(ts);
}

void
sr_require_range(double value, const char *param, double lo, double hi)
{
	sr_require_finite(value, param);
	if (value < lo || value > hi)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("parameter \"%s\" is out of range: %g", param, value),
				 errdetail("The accepted range is [%g, %g].", lo, hi)));
}

void
sr_require_arg(FunctionCallInfo fcinfo, int n, const char *param)
{
	if (PG_ARGISNULL(n))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("parameter \"%s\" cannot be NULL", param)));
}

char *
sr_text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

PG_FUNCTION_INFO_V1(sr_fn_require_args);
/* smartregion._require_args(VARIADIC "any"): pairs of an argument's name and
 * its value; 22004 `parameter "<name>" cannot be NULL` for the first NULL
 * value, else true.  The NULL rule of the PL/pgSQL functions taking a hub
 * (docs/governance.md#null-arguments), in one place: called in a declaration
 * or an assignment (a simple expression, no SPI), its error carries the
 * caller's CONTEXT line only, where a PL/pgSQL helper, or PERFORM, would add
 * one line of its own. */
Datum
sr_fn_require_args(PG_FUNCTION_ARGS)
{
	int			n = PG_NARGS();

	if (n % 2 != 0)
		elog(ERROR, "_require_args takes pairs of a name and a value, not %d arguments", n);
	for (int i = 0; i < n; i += 2)
	{
		Oid			t = get_fn_expr_argtype(fcinfo->flinfo, i);
		Oid			out;
		bool		isvarlena;

		if (!PG_ARGISNULL(i + 1))
			continue;
		if (PG_ARGISNULL(i) || !OidIsValid(t))
			elog(ERROR, "_require_args: argument %d names no parameter", i + 1);
		/* the name is a literal: unknown (a cstring) or text */
		getTypeOutputInfo(t, &out, &isvarlena);
		sr_require_arg(fcinfo, i + 1, OidOutputFunctionCall(out, PG_GETARG_DATUM(i)));
	}
	PG_RETURN_BOOL(true);
}
