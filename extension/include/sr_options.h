/*
 * sr_options.h — option specs: the one description of every jsonb option
 * of every function (docs/options.md).
 *
 * A function's options are a table of specs (name, type, range, default,
 * meaning).  The glue walks the caller's jsonb and hands each key and value
 * to sr_option_set*(), which checks the name, the type and the range with
 * the same messages for every family, and stores the value into the
 * family's C struct at the spec's offset.  Defaults come from the same
 * specs (sr_options_defaults), and so do the option tables of the docs
 * (smartregion.option_specs(), checked by scripts/check-docs.sh) and the
 * validation of plpgsql functions (smartregion._options()).
 */
#ifndef SR_OPTIONS_H
#define SR_OPTIONS_H

#include <stddef.h>
#include <stdbool.h>

#include "sr_common.h"

typedef enum sr_opt_type
{
	SR_OPT_NUMBER,				/* double */
	SR_OPT_INT,					/* int (a JSON number without fraction) */
	SR_OPT_BOOL,				/* bool */
	SR_OPT_CHOICE,				/* a string among choices[], stored as its int index */
	SR_OPT_STRING,				/* any string (max 63 bytes), stored in char[64] */
	SR_OPT_NUMBERS,				/* a JSON array of exactly n numbers, double[n] */
	SR_OPT_CHOICES,				/* a non-empty JSON array of choices, stored as an
								 * unsigned bit mask (1 << index) */
	SR_OPT_OBJECT				/* a nested object described by sub */
} sr_opt_type;

#define SR_OPT_STRLEN 64
#define SR_OPT_NOSTORE ((size_t) -1)	/* validated, not stored (plpgsql) */
#define SR_OPT_MAXN 12			/* longest SR_OPT_NUMBERS array (12 months) */

typedef struct sr_optset sr_optset;

typedef struct sr_optspec
{
	const char *name;
	sr_opt_type type;
	size_t		offset;			/* into the family's struct, or SR_OPT_NOSTORE */
	double		min,
				max;			/* accepted range (NUMBER, INT, NUMBERS elements) */
	double		def;			/* default: NUMBER, INT, BOOL (0/1), CHOICE index */
	const double *def_numbers;	/* NUMBERS default; CHOICES: NULL = all */
	const char *def_string;		/* STRING default (NULL = empty = absent) */
	int			n;				/* NUMBERS length */
	const char *const *choices; /* CHOICE / CHOICES: NULL-terminated */
	const sr_optset *sub;		/* OBJECT */
	const char *unit;			/* docs: "m", "deg", "kWp/m2"... or NULL */
	const char *meaning;		/* docs: one sentence */
	unsigned	flags;
} sr_optspec;

/* The value must be in ascending order (NUMBERS). */
#define SR_OPTF_ASCENDING 0x1
/* Absent means "not set" (INT / NUMBER default ignored; the family reads
 * the matching *_set flag it keeps itself): reported as "none" in docs. */
#define SR_OPTF_NODEFAULT 0x2
/* STRING, validated and never stored (SR_OPT_NOSTORE): any length (names
 * of the CNIG exports, queries such as the cadastre's terrain_sql); otherwise a string has at most SR_OPT_STRLEN - 1
 * bytes. */
#define SR_OPTF_LONG 0x4
/* NUMBER: a whole number (a count of years...), stored as a double; a
 * fraction is refused as for INT ("must be an integer"), and the docs call
 * it an integer. */
#define SR_OPTF_WHOLE 0x8
/* A JSON null is an error (22004 naming the option), not the default: the
 * option says where to read or which rows (a hub, a territory filter), and
 * a null, often a SQL NULL passed through jsonb_build_object, would read
 * the default hub or every territory where the caller meant one. */
#define SR_OPTF_NONULL 0x10

struct sr_optset
{
	const char *function;		/* SQL name(s) of the function(s) using it */
	const char *what;			/* "option" or "rule": word used in messages */
	const sr_optspec *specs;
	int			n;
};

/* Find a spec by name; NULL when unknown. */
const sr_optspec *sr_option_find(const sr_optset *set, const char *name);

/* Write every default into the struct at base. */
void		sr_options_defaults(const sr_optset *set, void *base);

/* Error for an unknown key: lists the accepted names. */
sr_status	sr_option_unknown(const sr_optset *set, const char *name, sr_err *err);

/* Error for a value of the wrong JSON kind ("a number", "true or false",
 * "a string", "an array of 3 numbers", "an object"). */
sr_status	sr_option_wrong_type(const sr_optset *set, const sr_optspec *s, sr_err *err);

/* A JSON null given for s: SR_OK (the default stays) unless s is
 * SR_OPTF_NONULL, then SR_ENULL (22004) naming the option. */
sr_status	sr_option_set_null(const sr_optset *set, const sr_optspec *s, sr_err *err);

/* Store a JSON number / boolean / string (checks type and range). */
sr_status	sr_option_set_number(const sr_optset *set, const sr_optspec *s, void *base,
								 double v, sr_err *err);
sr_status	sr_option_set_bool(const sr_optset *set, const sr_optspec *s, void *base,
							   bool v, sr_err *err);
sr_status	sr_option_set_string(const sr_optset *set, const sr_optspec *s, void *base,
								 const char *v, sr_err *err);
/* Store a whole JSON array of numbers (NUMBERS) or strings (CHOICES);
 * values[] / strings[] has n entries. */
sr_status	sr_option_set_numbers(const sr_optset *set, const sr_optspec *s, void *base,
								  const double *values, int n, sr_err *err);
sr_status	sr_option_set_choices(const sr_optset *set, const sr_optspec *s, void *base,
								  const char *const *strings, int n, sr_err *err);

/* Index of a choice name in s->choices, -1 if absent. */
int			sr_option_choice_index(const sr_optspec *s, const char *v);

/* Docs: the spec's type ("number", "integer", "boolean", "one of: a, b",
 * "string", "array of 3 numbers", "array of: a, b", "object"), range ("[1,
 * 5000]" or ""), default as JSON text, into caller buffers. */
void		sr_option_describe(const sr_optspec *s, char *type, size_t typelen,
							   char *range, size_t rangelen, char *def, size_t deflen);

/* Every option set of the extension (registry, for option_specs() and
 * _options()); NULL-terminated. */
extern const sr_optset *const sr_all_optsets[];

/* Find an option set by the name of its function; NULL when unknown. */
const sr_optset *sr_optset_find(const char *function);

#endif							/* SR_OPTIONS_H */
