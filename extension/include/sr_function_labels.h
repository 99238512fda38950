/*
 * sr_function_labels.h — the rule for the labels (volatility, parallel
 * safety) of a function smartregion calls from a registry (match criteria,
 * maturity plugins): it runs where its caller runs and must keep the promise
 * the caller's own declaration makes.
 *
 * Labels are pg_proc's letters, without PostgreSQL's headers: volatility 'i'
 * (IMMUTABLE), 's' (STABLE), 'v' (VOLATILE); parallel safety 's' (SAFE), 'r'
 * (RESTRICTED), 'u' (UNSAFE).
 */
#ifndef SR_FUNCTION_LABELS_H
#define SR_FUNCTION_LABELS_H

#include <stdbool.h>
#include <stddef.h>

/* Does a function labelled vol/par keep the promise of a caller labelled
 * caller_vol/caller_par: no more volatile, and at least as parallel safe?
 * An unknown letter keeps no promise. */
bool		sr_labels_keep_promise(char caller_vol, char caller_par, char vol, char par);

/* What keeps a caller's promise, in words: into must ("STABLE or IMMUTABLE
 * and PARALLEL SAFE", for a message) and into decl, the weakest declaration
 * that does ("STABLE PARALLEL SAFE", for ALTER FUNCTION); "" when anything
 * does (a VOLATILE PARALLEL UNSAFE caller). */
void		sr_labels_required(char caller_vol, char caller_par, char *must, size_t must_len,
							   char *decl, size_t decl_len);

/* A label letter by name: "IMMUTABLE", "STABLE", "VOLATILE"; "SAFE",
 * "RESTRICTED", "UNSAFE"; "unknown" for another letter. */
const char *sr_volatility_name(char vol);
const char *sr_parallel_name(char par);

#endif							/* SR_FUNCTION_LABELS_H */
