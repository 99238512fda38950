/*
 * function_labels.c — the rule for the labels of a registered function: no
 * more volatile than the function calling it, at least as parallel safe
 * (sr_function_labels.h).  PostgreSQL does not check it when a STABLE or
 * PARALLEL SAFE function calls another by its OID.
 */
#include "sr_function_labels.h"

#include <stdio.h>
#include <string.h>

/* rank of a volatility letter: IMMUTABLE 0 < STABLE 1 < VOLATILE 2, -1 unknown */
static int
vol_rank(char v)
{
	return v == 'i' ? 0 : v == 's' ? 1 : v == 'v' ? 2 : -1;
}

/* rank of a parallel-safety letter: SAFE 0 < RESTRICTED 1 < UNSAFE 2, -1 unknown */
static int
par_rank(char p)
{
	return p == 's' ? 0 : p == 'r' ? 1 : p == 'u' ? 2 : -1;
}

bool
sr_labels_keep_promise(char caller_vol, char caller_par, char vol, char par)
{
	int			cv = vol_rank(caller_vol),
				cp = par_rank(caller_par),
				v = vol_rank(vol),
				p = par_rank(par);

	if (cv < 0 || cp < 0 || v < 0 || p < 0)
		return false;
	return v <= cv && p <= cp;
}

void
sr_labels_required(char caller_vol, char caller_par, char *must, size_t must_len,
				   char *decl, size_t decl_len)
{
	/* (an unknown caller letter asks the most: IMMUTABLE, PARALLEL SAFE) */
	const char *mv = caller_vol == 'v' ? NULL : caller_vol == 's' ? "STABLE or IMMUTABLE" : "IMMUTABLE";
	const char *mp = caller_par == 'u' ? NULL : caller_par == 'r' ? "PARALLEL SAFE or RESTRICTED" : "PARALLEL SAFE";
	const char *dv = caller_vol == 'v' ? NULL : caller_vol == 's' ? "STABLE" : "IMMUTABLE";
	const char *dp = caller_par == 'u' ? NULL : caller_par == 'r' ? "PARALLEL RESTRICTED" : "PARALLEL SAFE";

	if (must_len > 0)
		snprintf(must, must_len, "%s%s%s", mv ? mv : "", mv && mp ? " and " : "", mp ? mp : "");
	if (decl_len > 0)
		snprintf(decl, decl_len, "%s%s%s", dv ? dv : "", dv && dp ? " " : "", dp ? dp : "");
}

const char *
sr_volatility_name(char vol)
{
	return vol == 'i' ? "IMMUTABLE" : vol == 's' ? "STABLE" : vol == 'v' ? "VOLATILE" : "unknown";
}

const char *
sr_parallel_name(char par)
{
	return par == 's' ? "SAFE" : par == 'r' ? "RESTRICTED" : par == 'u' ? "UNSAFE" : "unknown";
}
