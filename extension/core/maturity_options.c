/*
 * maturity_options.c — the option specs of the digital-maturity functions
 * (sr_options.h).  These functions are plpgsql: smartregion._options()
 * validates a call's jsonb against its set and returns it merged over the
 * defaults; nothing is stored in a C struct.
 */
#include "sr_maturity.h"

static const char *const norms[] = {"goalposts", "minmax", "zscore", "rank", NULL};
static const char *const aggs[] = {"arithmetic", "geometric", NULL};
static const char *const missing[] = {"reweight", "mean", "peer", NULL};
static const char *const types[] = {"commune", "epci", "departement", "region", NULL};

#define NS SR_OPT_NOSTORE
#define BASE_SPECS \
	{"normalisation", SR_OPT_CHOICE, NS, .def = 0, .choices = norms, \
	 .meaning = "how raw values become 0-100: goalposts of the indicator, min-max or z-score over the territories, or rank"}, \
	{"aggregation", SR_OPT_CHOICE, NS, .def = 0, .choices = aggs, \
	 .meaning = "weighted arithmetic or geometric mean of the indicators, then of the axes"}, \
	{"missing", SR_OPT_CHOICE, NS, .def = 0, .choices = missing, \
	 .meaning = "a missing value: weights of the others rescaled, the mean of the type, or the median of the peers"}, \
	{"hub", SR_OPT_STRING, NS, .def_string = "hub", \
	 .meaning = "schema of the hub's value tables"}
#define TYPE_SPEC \
	{"territory_type", SR_OPT_CHOICE, NS, .choices = types, .flags = SR_OPTF_NODEFAULT, \
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
