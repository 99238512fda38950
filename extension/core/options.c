/*
 * options.c — option specs: lookup, defaults, typed and range-checked
 * stores, and their description for the docs (sr_options.h).
 *
 * Every message about an option comes from here, so a mistake gets the
 * same words in every family: 22023 for an unknown name or a value of the
 * wrong kind, 22003 for a number out of its range, 22004 for a JSON null
 * where the option refuses it (SR_OPTF_NONULL).
 */
#include "sr_options.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define AT(base, s, type) ((type *) ((char *) (base) + (s)->offset))

const sr_optspec *
sr_option_find(const sr_optset *set, const char *name)
{
	for (int i = 0; i < set->n; i++)
		if (strcmp(set->specs[i].name, name) == 0)
			return &set->specs[i];
	return NULL;
}

static unsigned
all_choices(const sr_optspec *s)
{
	unsigned	m = 0;

	for (int i = 0; s->choices && s->choices[i]; i++)
		m |= 1u << i;
	return m;
}

void
sr_options_defaults(const sr_optset *set, void *base)
{
	for (int i = 0; i < set->n; i++)
	{
		const sr_optspec *s = &set->specs[i];

		if (s->offset == SR_OPT_NOSTORE)
			continue;
		switch (s->type)
		{
			case SR_OPT_NUMBER:
				*AT(base, s, double) = s->def;
				break;
			case SR_OPT_INT:
			case SR_OPT_CHOICE:
				*AT(base, s, int) = (int) s->def;
				break;
			case SR_OPT_BOOL:
				*AT(base, s, bool) = s->def != 0;
				break;
			case SR_OPT_STRING:
				snprintf(AT(base, s, char), SR_OPT_STRLEN, "%s", s->def_string ? s->def_string : "");
				break;
			case SR_OPT_NUMBERS:
				for (int k = 0; k < s->n; k++)
					AT(base, s, double)[k] = s->def_numbers ? s->def_numbers[k] : 0.0;
				break;
			case SR_OPT_CHOICES:
				*AT(base, s, unsigned) = all_choices(s);
				break;
			case SR_OPT_OBJECT:
				sr_options_defaults(s->sub, AT(base, s, char));
				break;
		}
	}
}

/* "a, b and c" of the names of a set or of a spec's choices */
static void
list_names(char *buf, size_t len, const char *const *names, int n)
{
	size_t		o = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && o < len; i++)
		o += snprintf(buf + o, len - o, "%s%s", i == 0 ? "" : (i == n - 1 ? " and " : ", "), names[i]);
}

sr_status
sr_option_unknown(const sr_optset *set, const char *name, sr_err *err)
{
	const char *names[128] = {0};
	char		buf[SR_ERRMSG_LEN];
	int			n = set->n < 128 ? set->n : 128;

	for (int i = 0; i < n; i++)
		names[i] = set->specs[i].name;
	list_names(buf, sizeof(buf), names, n);
	sr_error(err, SR_EINVAL, "unrecognized %s \"%s\"", set->what, name);
	if (n == 0)
		sr_error_detail(err, "This function takes no %ss.", set->what);
	else
		sr_error_hint(err, "Accepted %ss: %s.", set->what, buf);
	return err->status;
}

static int
nchoices(const sr_optspec *s)
{
	int			n = 0;

	while (s->choices && s->choices[n])
		n++;
	return n;
}

sr_status
sr_option_wrong_type(const sr_optset *set, const sr_optspec *s, sr_err *err)
{
	switch (s->type)
	{
		case SR_OPT_NUMBER:
			if (!(s->flags & SR_OPTF_WHOLE))
				return sr_error(err, SR_EINVAL, "%s \"%s\" must be a number", set->what, s->name);
			/* FALLTHROUGH */
		case SR_OPT_INT:
			return sr_error(err, SR_EINVAL, "%s \"%s\" must be an integer", set->what, s->name);
		case SR_OPT_BOOL:
			return sr_error(err, SR_EINVAL, "%s \"%s\" must be true or false", set->what, s->name);
		case SR_OPT_CHOICE:
		case SR_OPT_STRING:
			sr_error(err, SR_EINVAL, "%s \"%s\" must be a string", set->what, s->name);
			if (s->type == SR_OPT_CHOICE)
			{
				char		buf[SR_ERRMSG_LEN];

				list_names(buf, sizeof(buf), s->choices, nchoices(s));
				sr_error_hint(err, "Accepted values: %s.", buf);
			}
			return err->status;
		case SR_OPT_NUMBERS:
			return sr_error(err, SR_EINVAL, "%s \"%s\" must be an array of %d numbers",
							set->what, s->name, s->n);
		case SR_OPT_CHOICES:
			return sr_error(err, SR_EINVAL, "%s \"%s\" must be a non-empty array of strings",
							set->what, s->name);
		case SR_OPT_OBJECT:
			return sr_error(err, SR_EINVAL, "%s \"%s\" must be a JSON object", set->what, s->name);
	}
	return sr_error(err, SR_EINTERNAL, "unexpected option type");
}

sr_status
sr_option_set_null(const sr_optset *set, const sr_optspec *s, sr_err *err)
{
	char		type[1024],
				range[64],
				def[256];

	if (!(s->flags & SR_OPTF_NONULL))
		return SR_OK;			/* null: the default */
	sr_option_describe(s, type, sizeof(type), range, sizeof(range), def, sizeof(def));
	sr_error(err, SR_ENULL, "%s \"%s\" cannot be null", set->what, s->name);
	sr_error_detail(err, "A JSON null would silently mean the %s's default (%s) where a value "
					"was probably meant.", set->what, def);
	sr_error_hint(err, "Leave the %s out for its default, or give a value "
				  "(jsonb_strip_nulls drops the null members of a jsonb_build_object).", set->what);
	return err->status;
}

static sr_status
check_range(const sr_optset *set, const sr_optspec *s, double v, sr_err *err)
{
	if (!(v >= s->min && v <= s->max))
	{
		sr_error(err, SR_ERANGE, "%s \"%s\" is out of range: %g", set->what, s->name, v);
		sr_error_detail(err, "The accepted range is [%g, %g]%s%s.", s->min, s->max,
						s->unit ? " " : "", s->unit ? s->unit : "");
		return err->status;
	}
	return SR_OK;
}

sr_status
sr_option_set_number(const sr_optset *set, const sr_optspec *s, void *base,
					 double v, sr_err *err)
{
	sr_status	st;

	if (s->type != SR_OPT_NUMBER && s->type != SR_OPT_INT)
		return sr_option_wrong_type(set, s, err);
	if ((s->type == SR_OPT_INT || (s->flags & SR_OPTF_WHOLE)) && v != floor(v))
		return sr_option_wrong_type(set, s, err);
	if ((st = check_range(set, s, v, err)) != SR_OK)
		return st;
	if (s->offset == SR_OPT_NOSTORE)
		return SR_OK;
	if (s->type == SR_OPT_INT)
		*AT(base, s, int) = (int) v;
	else
		*AT(base, s, double) = v;
	return SR_OK;
}

sr_status
sr_option_set_bool(const sr_optset *set, const sr_optspec *s, void *base,
				   bool v, sr_err *err)
{
	if (s->type != SR_OPT_BOOL)
		return sr_option_wrong_type(set, s, err);
	if (s->offset != SR_OPT_NOSTORE)
		*AT(base, s, bool) = v;
	return SR_OK;
}

int
sr_option_choice_index(const sr_optspec *s, const char *v)
{
	for (int i = 0; s->choices && s->choices[i]; i++)
		if (strcmp(s->choices[i], v) == 0)
			return i;
	return -1;
}

static sr_status
bad_choice(const sr_optset *set, const sr_optspec *s, const char *v, sr_err *err)
{
	char		buf[SR_ERRMSG_LEN];

	list_names(buf, sizeof(buf), s->choices, nchoices(s));
	sr_error(err, SR_EINVAL, "invalid value \"%s\" for %s \"%s\"", v, set->what, s->name);
	sr_error_hint(err, "Accepted values: %s.", buf);
	return err->status;
}

sr_status
sr_option_set_string(const sr_optset *set, const sr_optspec *s, void *base,
					 const char *v, sr_err *err)
{
	if (s->type == SR_OPT_CHOICE)
	{
		int			k = sr_option_choice_index(s, v);

		if (k < 0)
			return bad_choice(set, s, v, err);
		if (s->offset != SR_OPT_NOSTORE)
			*AT(base, s, int) = k;
		return SR_OK;
	}
	if (s->type != SR_OPT_STRING)
		return sr_option_wrong_type(set, s, err);
	/* stored strings fit a char[SR_OPT_STRLEN]; SR_OPTF_LONG ones (validated,
	 * never stored) may be longer, e.g. an EPCI's name */
	if (!((s->flags & SR_OPTF_LONG) && s->offset == SR_OPT_NOSTORE) && strlen(v) >= SR_OPT_STRLEN)
		return sr_error(err, SR_EINVAL, "%s \"%s\" is longer than %d bytes",
						set->what, s->name, SR_OPT_STRLEN - 1);
	if (s->offset != SR_OPT_NOSTORE)
		snprintf(AT(base, s, char), SR_OPT_STRLEN, "%s", v);
	return SR_OK;
}

sr_status
sr_option_set_numbers(const sr_optset *set, const sr_optspec *s, void *base,
					  const double *values, int n, sr_err *err)
{
	sr_status	st;

	if (s->type != SR_OPT_NUMBERS || n != s->n)
		return sr_option_wrong_type(set, s, err);
	for (int k = 0; k < n; k++)
	{
		if ((st = check_range(set, s, values[k], err)) != SR_OK)
			return st;
		if ((s->flags & SR_OPTF_ASCENDING) && k > 0 && !(values[k] > values[k - 1]))
			return sr_error(err, SR_EINVAL, "%s \"%s\" must be in ascending order",
							set->what, s->name);
	}
	if (s->offset != SR_OPT_NOSTORE)
		memcpy(AT(base, s, double), values, sizeof(double) * n);
	return SR_OK;
}

sr_status
sr_option_set_choices(const sr_optset *set, const sr_optspec *s, void *base,
					  const char *const *strings, int n, sr_err *err)
{
	unsigned	m = 0;

	if (s->type != SR_OPT_CHOICES || n < 1)
		return sr_option_wrong_type(set, s, err);
	for (int k = 0; k < n; k++)
	{
		int			i = sr_option_choice_index(s, strings[k]);

		if (i < 0)
			return bad_choice(set, s, strings[k], err);
		m |= 1u << i;
	}
	if (s->offset != SR_OPT_NOSTORE)
		*AT(base, s, unsigned) = m;
	return SR_OK;
}

/* A number the way JSON shows it (shortest of %g forms that round-trips
 * the docs' values: integers plain, others with up to 6 digits). */
static void
fmt_number(char *buf, size_t len, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%g", v);
}

void
sr_option_describe(const sr_optspec *s, char *type, size_t typelen,
				   char *range, size_t rangelen, char *def, size_t deflen)
{
	char		a[64],
				b[64];
	size_t		o = 0;

	range[0] = '\0';
	def[0] = '\0';
	switch (s->type)
	{
		case SR_OPT_NUMBER:
		case SR_OPT_INT:
			snprintf(type, typelen, "%s",
					 s->type == SR_OPT_INT || (s->flags & SR_OPTF_WHOLE) ? "integer" : "number");
			fmt_number(a, sizeof(a), s->min);
			fmt_number(b, sizeof(b), s->max);
			snprintf(range, rangelen, "[%s, %s]", a, b);
			if (s->flags & SR_OPTF_NODEFAULT)
				snprintf(def, deflen, "none");
			else
				fmt_number(def, deflen, s->def);
			break;
		case SR_OPT_BOOL:
			snprintf(type, typelen, "boolean");
			snprintf(def, deflen, "%s", s->def != 0 ? "true" : "false");
			break;
		case SR_OPT_CHOICE:
		case SR_OPT_CHOICES:
			o = snprintf(type, typelen, "%s", s->type == SR_OPT_CHOICE ? "one of: " : "array of: ");
			for (int i = 0; s->choices[i] && o < typelen; i++)
				o += snprintf(type + o, typelen - o, "%s%s", i ? ", " : "", s->choices[i]);
			if (s->type == SR_OPT_CHOICE && (s->flags & SR_OPTF_NODEFAULT))
				snprintf(def, deflen, "none");
			else if (s->type == SR_OPT_CHOICE)
				snprintf(def, deflen, "\"%s\"", s->choices[(int) s->def]);
			else
			{
				o = snprintf(def, deflen, "[");
				for (int i = 0; s->choices[i] && o < deflen; i++)
					o += snprintf(def + o, deflen - o, "%s\"%s\"", i ? ", " : "", s->choices[i]);
				if (o < deflen)
					snprintf(def + o, deflen - o, "]");
			}
			break;
		case SR_OPT_STRING:
			snprintf(type, typelen, "string");
			if (s->def_string)
				snprintf(def, deflen, "\"%s\"", s->def_string);
			else
				snprintf(def, deflen, "none");
			break;
		case SR_OPT_NUMBERS:
			snprintf(type, typelen, "array of %d numbers%s", s->n,
					 (s->flags & SR_OPTF_ASCENDING) ? ", ascending" : "");
			fmt_number(a, sizeof(a), s->min);
			fmt_number(b, sizeof(b), s->max);
			snprintf(range, rangelen, "[%s, %s]", a, b);
			o = snprintf(def, deflen, "[");
			for (int k = 0; k < s->n && o < deflen; k++)
			{
				fmt_number(a, sizeof(a), s->def_numbers ? s->def_numbers[k] : 0.0);
				o += snprintf(def + o, deflen - o, "%s%s", k ? ", " : "", a);
			}
			if (o < deflen)
				snprintf(def + o, deflen - o, "]");
			break;
		case SR_OPT_OBJECT:
			snprintf(type, typelen, "object (%s)", s->sub->what);
			snprintf(def, deflen, "{}");
			break;
	}
}

const sr_optset *
sr_optset_find(const char *function)
{
	for (int i = 0; sr_all_optsets[i]; i++)
		if (strcmp(sr_all_optsets[i]->function, function) == 0)
			return sr_all_optsets[i];
	return NULL;
}

/* ---- the registry ---------------------------------------------------------- */

#include "sr_cadastre.h"
#include "sr_cnig.h"
#include "sr_city3d.h"
#include "sr_matching.h"
#include "sr_city.h"
#include "sr_maturity.h"
#include "sr_pv.h"
#include "sr_economics.h"
#include "sr_services.h"
#include "sr_zones.h"

const sr_optset *const sr_all_optsets[] = {
	&sr_cadastre_optset,
	&sr_pv_optset,
	&sr_econ_optset,
	&sr_impact_optset,
	&sr_city_cityjson_optset,
	&sr_city_cityjsonseq_optset,
	&sr_city_citygml_optset,
	&sr_match_score_optset, &sr_match_explain_optset, &sr_match_candidates_optset,
	&sr_zones_optset,
	&sr_secrecy_optset,
	&sr_cnig_pole_optset,
	&sr_cnig_site_optset,
	&sr_cnig_terrain_optset,
	&sr_cnig_etab_optset,
	&sr_cnig_csv_optset,
	&sr_maturity_scores_optset,
	&sr_maturity_rollup_optset,
	&sr_maturity_score_optset,
	&sr_maturity_peers_optset,
	&sr_maturity_recommendations_optset,
	&sr_maturity_uncertainty_optset,
	&sr_maturity_trend_optset,
	&sr_maturity_movers_optset,
	&sr_maturity_radar_svg_optset,
	&sr_maturity_report_optset,
	&sr_tierslieux_coverage_optset,
	&sr_tl_propose_optset,
	&sr_thd_rollout_optset,
	&sr_city_gltf_optset,
	&sr_city_tileset_optset,
	NULL
};
