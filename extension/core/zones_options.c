/*
 * zones_options.c — the option specs of the activity-zone functions
 * (sr_options.h): zone_indicators and statistical_secrecy's rules (the
 * CNIG exports' are in cnig.c).
 */
#include "sr_zones.h"

#include <stddef.h>
#include <stdio.h>

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
	 .meaning = "secrecy rules (see statistical_secrecy); with published, rules other than the hub's set (set_secrecy_rules; the defaults without one) need not_for_publication"},
	{"not_for_publication", SR_OPT_BOOL, Z(not_for_publication), .def = 0,
	 .meaning = "with published: accept rules other than the publication's (to check a table, never to publish it); the table says published false"},
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
	 * Weaker rules than the defaults switch the protection down or off: no
	 * publication takes them (a hub's set is at least as strict,
	 * sr_secrecy_rules_set_check).  Which stricter rules a publication takes
	 * is decided with its hub (sr_secrecy_rules_publication), once the hubs
	 * its texts read are known.
	 */
	if (o->published && sr_secrecy_rules_weaker(&o->rules) && !o->not_for_publication)
	{
		sr_error(err, SR_EINVAL, "secrecy rules other than the defaults cannot be published");
		sr_error_detail(err, "The rules protect less than the defaults (options.md, statistical_secrecy): the published view "
						"would suppress fewer cells, or none.");
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

/* whether two rule sets are the same in every rule */
bool
sr_secrecy_rules_same(const sr_secrecy_rules *a, const sr_secrecy_rules *b)
{
	return a->min_units == b->min_units && a->dominance == b->dominance &&
		a->fiscal_min_units == b->fiscal_min_units && a->protection_level == b->protection_level &&
		a->bands == b->bands;
}

/* the rules as the JSON object of option "rules" (for messages) */
void
sr_secrecy_rules_format(const sr_secrecy_rules *r, char *buf, size_t len)
{
	snprintf(buf, len, "{\"min_units\": %.15g, \"dominance\": %.15g, \"fiscal_min_units\": %.15g, "
			 "\"protection_level\": %.15g, \"bands\": %s}",
			 r->min_units, r->dominance, r->fiscal_min_units, r->protection_level, r->bands ? "true" : "false");
}

/*
 * The rules of a publication (docs/zones.md, one rule set).  Two releases of
 * the same zones under two rule sets give, by comparison, a cell each
 * suppresses (the red team of 2026-12-07: C = 9 - 3 - 5 = 1 under the
 * defaults and dominance 0.6), so every publication of a hub takes one set:
 * the hub's (hub_rules, set by its owner with set_secrecy_rules), or the
 * defaults when it has none.  A call's own rules (call_rules, NULL when it
 * passes none) must be that set; none passed means that set.
 */
sr_status
sr_secrecy_rules_publication(const sr_secrecy_rules *call_rules, const sr_secrecy_rules *hub_rules,
							 const char *hub, sr_err *err)
{
	sr_secrecy_rules d;
	char		set[256];

	if (call_rules == NULL)
		return SR_OK;
	if (hub_rules == NULL)
	{
		sr_secrecy_default_rules(&d);
		if (!sr_secrecy_rules_same(call_rules, &d))
		{
			bool		weaker = sr_secrecy_rules_weaker(call_rules);

			sr_error(err, SR_EINVAL, "secrecy rules other than the defaults cannot be published");
			sr_error_detail(err, weaker ?
							"The rules protect less than the defaults (options.md, statistical_secrecy): the published view "
							"would suppress fewer cells, or none." :
							"Stricter rules suppress other cells than the defaults: the same zones published under both "
							"give back, by comparison, a cell that each suppresses.");
			sr_error_hint(err, "Leave \"rules\" out to publish under the defaults; to publish under stricter rules, the hub's owner sets "
						  "them for every release with smartregion.set_secrecy_rules; pass \"not_for_publication\": true to make a table for checking only.");
			return SR_EINVAL;
		}
		return SR_OK;
	}
	if (!sr_secrecy_rules_same(call_rules, hub_rules))
	{
		sr_secrecy_rules_format(hub_rules, set, sizeof(set));
		sr_error(err, SR_EINVAL, "secrecy rules other than those of hub \"%s\" cannot be published", hub ? hub : "");
		sr_error_detail(err, "Every release of a hub takes its one set of rules: the same zones published under two sets "
						"give back, by comparison, a cell that each suppresses.");
		sr_error_hint(err, "Leave \"rules\" out to publish under the hub's rules %s, or pass \"not_for_publication\": true "
					  "to make a table for checking only.", set);
		return SR_EINVAL;
	}
	return SR_OK;
}

/*
 * Whether a hub's set of rules may become new_rules (NULL: removed, the
 * defaults again) from old_rules (NULL: none).  A set is at least as strict as
 * the defaults in every rule (a weaker one would publish cells they protect).
 * It changes only while the hub has never held a zone (zones_ever false: its
 * zae_zones empty, no write of it recorded, and no earlier contour in its
 * zae_zone_history, where a zone deleted or redrawn leaves its geometry even
 * when its writer could not record provenance): a published call of a hub
 * reads its zones from the hub's zae_zones (_zones_publication_inputs), so
 * until then no release of the hub can have been made, and after it a release
 * under the old set may exist, which a release under the new one would give
 * back by comparison.  Emptying zae_zones does not reopen it: the releases
 * made before stay published.  A caller that cannot tell (SR_ZONES_UNSEEN: it
 * saw no zone, contour or recorded write, but row-level security may hide
 * rows of zae_zones, zae_zone_history or the provenance from it) is refused a
 * change as well: a hidden zone may have been released (the review of
 * 2026-12-07).  *frozen says the refusal is the second rule.
 */
sr_status
sr_secrecy_rules_set_check(const sr_secrecy_rules *old_rules, const sr_secrecy_rules *new_rules,
						   sr_zones_ever zones_ever, const char *hub, bool *frozen, sr_err *err)
{
	sr_secrecy_rules d;
	const sr_secrecy_rules *o,
			   *n;

	*frozen = false;
	if (new_rules && sr_secrecy_rules_weaker(new_rules))
	{
		sr_error(err, SR_EINVAL, "secrecy rules of hub \"%s\" cannot be weaker than the defaults", hub ? hub : "");
		sr_error_detail(err, "A hub's rules apply to every release of its zones; each rule must be at least as strict as the default "
						"(min_units 3, dominance 0.85, fiscal_min_units 11, protection_level 0.1, bands true).");
		sr_error_hint(err, "Raise min_units, fiscal_min_units or protection_level, or lower dominance; or leave the defaults.");
		return SR_EINVAL;
	}
	sr_secrecy_default_rules(&d);
	o = old_rules ? old_rules : &d;
	n = new_rules ? new_rules : &d;
	if (zones_ever == SR_ZONES_UNSEEN && !sr_secrecy_rules_same(o, n))
	{
		*frozen = true;
		sr_error(err, SR_EINVAL, "cannot change the secrecy rules of hub \"%s\" without reading every activity zone it held",
				 hub ? hub : "");
		sr_error_detail(err, "Row-level security may hide from the caller rows of the hub's zae_zones or zae_zone_history, "
						"or the provenance of its zones: the rules change only while the hub has never held a zone, "
						"which the caller cannot tell.");
		sr_error_hint(err, "Set the rules as a role that reads every row of the hub's zae_zones and zae_zone_history "
					  "(the platform administrator, or the tables' owner without FORCE ROW LEVEL SECURITY).");
		return SR_EINVAL;
	}
	if (zones_ever != SR_ZONES_NEVER && !sr_secrecy_rules_same(o, n))
	{
		*frozen = true;
		sr_error(err, SR_EINVAL, "cannot change the secrecy rules of hub \"%s\" after it has held activity zones", hub ? hub : "");
		sr_error_detail(err, "Its zones may have been published under the rules in force: a release under other rules would give back, "
						"by comparison, a cell that each suppresses.");
		sr_error_hint(err, "Set a hub's rules before loading its zones (zae_zones); to publish under other rules, create another hub.");
		return SR_EINVAL;
	}
	return SR_OK;
}
