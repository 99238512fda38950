/*
 * maturity_options.c — the option specs of the digital-maturity functions
 * (sr_options.h).  The public functions are plpgsql: smartregion._options()
 * validates a call's jsonb against its set and returns it merged over the
 * defaults.  The C entry points they call get the options back as text
 * arguments and read them here, with the same specs: the same defaults and
 * the same messages.
 */
#include "sr_maturity.h"

#include <stdio.h>
#include <string.h>

static const char *const norms[] = {"goalposts", "minmax", "zscore", "rank", NULL};
static const char *const aggs[] = {"arithmetic", "geometric", NULL};
static const char *const missing[] = {"reweight", "mean", "peer", NULL};

#define NS SR_OPT_NOSTORE
#define BASE_SPECS \
	{"normalisation", SR_OPT_CHOICE, NS, .def = 0, .choices = norms, \
	 .meaning = "how raw values become 0-100: goalposts of the indicator, min-max or z-score over the territories, or rank"}, \
	{"aggregation", SR_OPT_CHOICE, NS, .def = 0, .choices = aggs, \
	 .meaning = "weighted arithmetic or geometric mean of the indicators, then of the axes"}, \
	{"missing", SR_OPT_CHOICE, NS, .def = 0, .choices = missing, \
	 .meaning = "a missing value: weights of the others rescaled, the mean of the type, or the median of the peers"}, \
	{"hub", SR_OPT_STRING, NS, .def_string = "hub", .flags = SR_OPTF_NONULL, \
	 .meaning = "schema of the hub's value tables"}
#define TYPE_SPEC \
	{"territory_type", SR_OPT_CHOICE, NS, .choices = sr_mat_type_names, \
	 .flags = SR_OPTF_NODEFAULT | SR_OPTF_NONULL, \
	 .meaning = "only territories of this type (default: every type, each ranked within its type)"}

static const sr_optspec scores_specs[] = {BASE_SPECS, TYPE_SPEC};
static const sr_optspec score_specs[] = {BASE_SPECS};
static const sr_optspec uncertainty_specs[] = {
	BASE_SPECS, TYPE_SPEC,
	{"weight_noise", SR_OPT_NUMBER, NS, 0, 0.999999, 0.25,
	 .meaning = "each weight is multiplied by 1 + noise x U(-1, 1), then renormalised"},
	{"normalisations", SR_OPT_CHOICES, NS, .choices = norms,
	 .meaning = "normalisations drawn at random"},
	{"aggregations", SR_OPT_CHOICES, NS, .choices = aggs,
	 .meaning = "aggregations drawn at random"},
	{"missing_methods", SR_OPT_CHOICES, NS, .choices = missing,
	 .meaning = "missing-value methods drawn at random"},
};
#undef NS

#define SET(name, fn, specs) \
	const sr_optset name = {fn, "option", specs, sizeof(specs) / sizeof(specs[0])}

SET(sr_maturity_scores_optset, "maturity_scores", scores_specs);
SET(sr_maturity_rollup_optset, "maturity_rollup", scores_specs);
SET(sr_maturity_score_optset, "maturity_score", score_specs);
SET(sr_maturity_peers_optset, "maturity_peers", score_specs);
SET(sr_maturity_recommendations_optset, "maturity_recommendations", score_specs);
SET(sr_maturity_uncertainty_optset, "maturity_uncertainty", uncertainty_specs);

/* Every scoring option is in the set of maturity_uncertainty. */
#define ALL_OPTIONS (&sr_maturity_uncertainty_optset)

/* The index of a choice option's value (NULL: its default, or -1 for an
 * option without default). */
static sr_status
read_choice(const char *option, const char *value, int *index, sr_err *err)
{
	const sr_optspec *s = sr_option_find(ALL_OPTIONS, option);

	if (value == NULL)
	{
		*index = (s->flags & SR_OPTF_NODEFAULT) ? -1 : (int) s->def;
		return SR_OK;
	}
	if (sr_option_set_string(ALL_OPTIONS, s, NULL, value, err) != SR_OK)
		return err->status;
	*index = sr_option_choice_index(s, value);
	return SR_OK;
}

sr_status
sr_mat_eval_args_read(const char *normalisation, const char *aggregation,
					  const char *missing, const char *hub,
					  const char *territory_type, sr_mat_eval_args *args,
					  sr_err *err)
{
	const sr_optspec *h = sr_option_find(ALL_OPTIONS, "hub");
	int			k;

	memset(args, 0, sizeof(*args));
	if (read_choice("normalisation", normalisation, &k, err) != SR_OK)
		return err->status;
	args->opt.norm = (sr_mat_norm) k;
	if (read_choice("aggregation", aggregation, &k, err) != SR_OK)
		return err->status;
	args->opt.agg = (sr_mat_agg) k;
	if (read_choice("missing", missing, &k, err) != SR_OK)
		return err->status;
	args->opt.missing = (sr_mat_missing) k;
	if (read_choice("territory_type", territory_type, &args->territory_type, err) != SR_OK)
		return err->status;
	/* a NULL hub (an internal caller's) is the default one; an empty one
	 * names no hub (refused by the glue), not the default: {"hub": ""} read
	 * the hub "hub" until 2026-12-07 */
	if (hub != NULL && sr_option_set_string(ALL_OPTIONS, h, NULL, hub, err) != SR_OK)
		return err->status;
	snprintf(args->hub, sizeof(args->hub), "%s", hub != NULL ? hub : h->def_string);
	return SR_OK;
}

sr_status
sr_mat_methods_mask(const char *option, const char *const *names, int n,
					unsigned *mask, sr_err *err)
{
	const sr_optspec *s = sr_option_find(ALL_OPTIONS, option);

	*mask = 0;
	if (s == NULL || s->type != SR_OPT_CHOICES)
		return sr_error(err, SR_EINTERNAL, "\"%s\" is not a list of methods", option);
	for (int k = 0; k < n; k++)
		if (names[k] == NULL)
			return sr_option_wrong_type(ALL_OPTIONS, s, err);
	if (sr_option_set_choices(ALL_OPTIONS, s, NULL, names, n, err) != SR_OK)
		return err->status;
	for (int k = 0; k < n; k++)
		*mask |= 1u << sr_option_choice_index(s, names[k]);
	return SR_OK;
}
