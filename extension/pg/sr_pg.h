/*
 * sr_pg.h — shared declarations of the fmgr glue (extension/pg).
 *
 * The glue reads arguments, validates them, calls the pure core
 * (extension/core, headers in extension/include) and maps the core's status
 * to an SQLSTATE with sr_raise().  See docs/architecture.md.
 */
#ifndef SR_PG_H
#define SR_PG_H

#include "postgres.h"
#include "fmgr.h"

#include "sr_common.h"

/* Raise the error recorded by the core (never returns). */
extern void sr_raise(const sr_err *err) pg_attribute_noreturn();

/* SQLSTATE of a core status (one place: extension/pg/errors.c). */
extern int	sr_status_sqlstate(sr_status status);

/* Raise when status is not SR_OK. */
#define SR_CHECK_STATUS(st, errp) \
	do { if ((st) != SR_OK) sr_raise(errp); } while (0)

/* Reject NaN and infinity in a float8 argument, naming the parameter. */
extern void sr_require_finite(double value, const char *param);

/* Reject a value outside [lo, hi], naming the parameter and the range. */
extern void sr_require_range(double value, const char *param, double lo, double hi);

#endif							/* SR_PG_H */
