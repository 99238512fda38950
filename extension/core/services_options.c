/*
 * services_options.c — option specs of the services' plpgsql functions
 * (sr_services.h): tiers-lieux coverage and proposals, maturity trends,
 * movers, radar overlay and report, THD roll-out.  smartregion._options()
 * validates a call's jsonb against them; nothing is stored in a C struct.
 */
#include "sr_services.h"

static const char *const norms[] = {"goalposts", "minmax", "zscore", "rank", NULL};
static const char *const aggs[] = {"arithmetic", "geometric", NULL};
static const char *const missing[] = {"reweight", "mean", "peer", NULL};
static const char *const types[] = {"commune", "epci", "departement", "region", NULL};
static const char *const methods[] = {"optimal", "stable", "stable_premises", "greedy", NULL};
static const double cov_thresholds[] = {10, 20, 30};

#define NS SR_OPT_NOSTORE
/* the scoring options of the maturity family (maturity_options.c) */
#define MATURITY_SPECS \
	{"normalisation", SR_OPT_CHOICE, NS, .def = 0, .choices = norms, \
	 .meaning = "how raw values become 0-100 (as in maturity_scores)"}, \
	{"aggregation", SR_OPT_CHOICE, NS, .def = 0, .choices = aggs, \
	 .meaning = "weighted arithmetic or geometric mean (as in maturity_scores)"}, \
	{"missing", SR_OPT_CHOICE, NS, .def = 0, .choices = missing, \
	 .meaning = "treatment of missing values (as in maturity_scores)"}, \
	{"hub", SR_OPT_STRING, NS, .def_string = "hub", .flags = SR_OPTF_NONULL, \
	 .meaning = "schema of the hub's tables"}

static const sr_optspec coverage_specs[] = {
	{"thresholds", SR_OPT_NUMBERS, NS, 0, 10000, .n = 3, .def_numbers = cov_thresholds,
	 .flags = SR_OPTF_ASCENDING, .unit = "km or min",
	 .meaning = "the three distances (km) or travel times (min, with travel_sql) the shares of population are counted within"},
	{"departement", SR_OPT_STRING, NS, .flags = SR_OPTF_NONULL,
	 .meaning = "default units only: the communes of this département"},
	{"region", SR_OPT_STRING, NS, .flags = SR_OPTF_NONULL,
	 .meaning = "default units only: the communes of this région"},
	{"levels", SR_OPT_CHOICES, NS, .choices = types,
	 .meaning = "levels returned: the units (commune) and their EPCI, départements and régions"},
};

static const sr_optspec propose_specs[] = {
	{"hub", SR_OPT_STRING, NS, .def_string = "hub", .flags = SR_OPTF_NONULL, .meaning = "schema of the hub's tables"},
	{"method", SR_OPT_CHOICE, NS, .def = 0, .choices = methods,
	 .meaning = "match_assign method"},
	{"k", SR_OPT_INT, NS, 1, 1000, 10, .meaning = "candidates per request (match_candidates)"},
	{"expires_days", SR_OPT_INT, NS, 1, 365, 14, .unit = "days",
	 .meaning = "a proposal not answered within this many days expires"},
};

static const sr_optspec trend_specs[] = {
	MATURITY_SPECS,
	{"from_year", SR_OPT_INT, NS, 1900, 2200, .flags = SR_OPTF_NODEFAULT,
	 .meaning = "first year of the trend (default: the territory's first year with data)"},
	{"to_year", SR_OPT_INT, NS, 1900, 2200, .flags = SR_OPTF_NODEFAULT,
	 .meaning = "last year of the trend (default: its last year with data)"},
};

static const sr_optspec movers_specs[] = {
	MATURITY_SPECS,
	{"territory_type", SR_OPT_CHOICE, NS, .def = 0, .choices = types, .flags = SR_OPTF_NONULL,
	 .meaning = "territories of this type"},
	{"region", SR_OPT_STRING, NS, .flags = SR_OPTF_NONULL, .meaning = "only territories of this région (a regional table)"},
	{"departement", SR_OPT_STRING, NS, .flags = SR_OPTF_NONULL, .meaning = "only territories of this département"},
};

static const sr_optspec radar_specs[] = {
	MATURITY_SPECS,
	{"compare_year", SR_OPT_INT, NS, 1900, 2200, .flags = SR_OPTF_NODEFAULT,
	 .meaning = "overlay the territory's axis scores of this year (e.g. last year's) as a dotted polygon"},
};

static const sr_optspec report_specs[] = {
	MATURITY_SPECS,
	{"compare_year", SR_OPT_INT, NS, 1900, 2200, .flags = SR_OPTF_NODEFAULT,
	 .meaning = "year overlaid on the radar (default: the year before the report's, when it has data)"},
	{"top", SR_OPT_INT, NS, 1, 20, 3, .meaning = "recommendations of each kind"},
};

static const sr_optspec thd_specs[] = {
	{"hub", SR_OPT_STRING, NS, .def_string = "hub", .flags = SR_OPTF_NONULL, .meaning = "schema of the hub's tables"},
	{"territory_type", SR_OPT_CHOICE, NS, .choices = types,
	 .flags = SR_OPTF_NODEFAULT | SR_OPTF_NONULL,
	 .meaning = "only territories of this type (default: every type)"},
	{"departement", SR_OPT_STRING, NS, .flags = SR_OPTF_NONULL,
	 .meaning = "only this département and the communes and EPCI in it"},
	{"region", SR_OPT_STRING, NS, .flags = SR_OPTF_NONULL,
	 .meaning = "only this région and the territories in it"},
	{"target", SR_OPT_NUMBER, NS, 1, 100, 100, .unit = "%",
	 .meaning = "coverage counted as complete (share of premises passed)"},
	{"confidence", SR_OPT_NUMBER, NS, 0.5, 0.99, 0.9,
	 .meaning = "confidence level of the projected date's interval"},
};
#undef NS

#define SET(name, fn, specs) \
	const sr_optset name = {fn, "option", specs, sizeof(specs) / sizeof(specs[0])}

SET(sr_tierslieux_coverage_optset, "tierslieux_coverage", coverage_specs);
SET(sr_tl_propose_optset, "tl_propose", propose_specs);
SET(sr_maturity_trend_optset, "maturity_trend", trend_specs);
SET(sr_maturity_movers_optset, "maturity_movers", movers_specs);
SET(sr_maturity_radar_svg_optset, "maturity_radar_svg", radar_specs);
SET(sr_maturity_report_optset, "maturity_report", report_specs);
SET(sr_thd_rollout_optset, "thd_rollout", thd_specs);
