/*
 * zones_options.c — the option specs of the activity-zone functions
 * (sr_options.h): zone_indicators and statistical_secrecy's rules (the
 * CNIG exports' are in cnig.c).
 */
#include "sr_zones.h"

#include <stddef.h>

#define R(f) offsetof(sr_secrecy_rules, f)
static const sr_optspec secrecy_specs[] = {
	{"min_units", SR_OPT_NUMBER, R(min_units), 1, 1000, 3,
	 .meaning = "a cell with fewer units is primary (confidential)"},
	{"dominance", SR_OPT_NUMBER, R(dominance), 0.5, 1, 0.85,
	 .meaning = "a cell whose largest unit holds more than this share of its value is primary"},
	{"fiscal_min_units", SR_OPT_NUMBER, R(fiscal_min_units), 1, 1000, 11,
	 .meaning = "a fiscal cell with fewer units is primary"},
	{"protection_level", SR_OPT_NUMBER, R(protection_level), 0, 10, 0.1,
	 .meaning = "the attacker must not narrow a primary cell's value to within this share of it, above and below (the dominance rule asks max_value / dominance - value when that is more)"},
	{"bands", SR_OPT_BOOL, R(bands), .def = 1,
	 .meaning = "zone_indicators and the CNIG exports: a zone's jobs, and what an export withholds, must not give away headcount bands (their sums of band midpoints fit more than one way); statistical_secrecy ignores it"},
};
#undef R

const sr_optset sr_secrecy_optset = {
	"statistical_secrecy", "rule", secrecy_specs, sizeof(secrecy_specs) / sizeof(secrecy_specs[0])
};

static const char *const vacancy_rules[] = {"statutory", "cfe_only", NULL};

#define Z(f) offsetof(sr_zones_opts, f)
static const sr_optspec zones_specs[] = {
	{"published", SR_OPT_BOOL, Z(published), .def = 0,
	 .meaning = "apply statistical secrecy to the zone x NAF-section table (counts of a suppressed cell become NULL)"},
	{"fiscal", SR_OPT_BOOL, Z(fiscal), .def = 0,
	 .meaning = "cells are fiscal: the fiscal_min_units rule applies"},
	{"vacancy_rule", SR_OPT_CHOICE, Z(vacancy_rule), .def = SR_ZONES_VACANCY_STATUTORY,
	 .choices = vacancy_rules,
	 .meaning = "statutory: vacant when occupied before and with no activity at all in the two years (never-occupied land is not vacant); cfe_only: with no CFE-liable activity"},
	{"rules", SR_OPT_OBJECT, Z(rules), .sub = &sr_secrecy_optset,
	 .meaning = "secrecy rules (see statistical_secrecy); with published, rules other than the defaults need not_for_publication"},
	{"not_for_publication", SR_OPT_BOOL, Z(not_for_publication), .def = 0,
	 .meaning = "with published: accept rules other than the defaults (to check a table, never to publish it)"},
};
#undef Z

const sr_optset sr_zones_optset = {
	"zone_indicators", "option", zones_specs, sizeof(zones_specs) / sizeof(zones_specs[0])
};

sr_status
sr_zones_opts_check(const sr_zones_opts *o, sr_err *err)
{
	/*
	 * Under cfe_only a land unit occupied only by establishments not liable
	 * to the CFE is vacant: its vacancy, or a zone's count of vacant units,
	 * discloses their liability, which is covered by fiscal secrecy (Livre
	 * des procedures fiscales, L103).  The statutory rule asks for both
	 * conditions, so its vacancy does not depend on the liability.
	 */
	if (o->published && o->vacancy_rule == SR_ZONES_VACANCY_CFE_ONLY)
	{
		sr_error(err, SR_EINVAL, "vacancy rule \"cfe_only\" cannot be published");
		sr_error_detail(err, "Under cfe_only, a land unit occupied only by establishments not liable to the CFE is vacant: "
						"its published vacancy would disclose their liability, which fiscal secrecy covers.");
		sr_error_hint(err, "Publish the statutory vacancy, or compute cfe_only without \"published\" for the inventory's own work.");
		return SR_EINVAL;
	}
	/*
	 * A published table takes the default rules and no others.  Weaker rules
	 * switch the protection down or off; stricter ones suppress other cells
	 * (more primaries, so other secondaries), and the same zone published
	 * under the defaults and under them gives, by comparison, a cell both
	 * suppress: a zone of C 1, G 3, J 5 establishments (9) published
	 * {C, G} suppressed under the defaults and {C, J} under dominance 0.6,
	 * so C = 9 - 3 - 5 = 1 (the red team of 2026-12-07).  Fixing the rules
	 * fixes the pattern: every published call of the same inputs publishes
	 * the same cells.  The CNIG exports refuse the same
	 * (_cnig_publication_check).
	 */
	if (o->published && sr_secrecy_rules_other(&o->rules) && !o->not_for_publication)
	{
		bool		weaker = sr_secrecy_rules_weaker(&o->rules);

		sr_error(err, SR_EINVAL, "secrecy rules other than the defaults cannot be published");
		sr_error_detail(err, weaker ?
						"The rules protect less than the defaults (options.md, statistical_secrecy): the published view "
						"would suppress fewer cells, or none." :
						"Stricter rules suppress other cells than the defaults: the same zones published under both "
						"give back, by comparison, a cell that each suppresses.");
		sr_error_hint(err, "Leave \"rules\" out to publish; pass \"not_for_publication\": true to make a table for checking only.");
		return SR_EINVAL;
	}
	return SR_OK;
}

/* whether rules differ from the defaults in any rule (weaker or stricter) */
bool
sr_secrecy_rules_other(const sr_secrecy_rules *r)
{
	sr_secrecy_rules d;

	sr_secrecy_default_rules(&d);
	return r->min_units != d.min_units || r->dominance != d.dominance ||
		r->fiscal_min_units != d.fiscal_min_units || r->protection_level != d.protection_level ||
		r->bands != d.bands;
}

bool
sr_secrecy_rules_weaker(const sr_secrecy_rules *r)
{
	sr_secrecy_rules d;

	sr_secrecy_default_rules(&d);
	return r->min_units < d.min_units || r->dominance > d.dominance ||
		r->fiscal_min_units < d.fiscal_min_units || r->protection_level < d.protection_level ||
		(d.bands && !r->bands);
}
