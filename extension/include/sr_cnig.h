/*
 * sr_cnig.h — the CNIG "Sites économiques" standard (v2024-10, schema
 * v1.0.1): its value lists, the mapping of NAF rev. 2 codes to the
 * standard's vocations, INSEE headcount-band labels, and the option specs
 * of the exports pole_eco, site_eco, terrain_eco, etablissement and
 * cnig_csv (docs/zones.md, "CNIG exports").
 *
 * The value lists are copied from the standard's Table Schema files
 * (data/cnig/<class>/schema.json): the exports validate every enumerated
 * field against them, and the option specs offer the same lists.
 */
#ifndef SR_CNIG_H
#define SR_CNIG_H

#include "sr_common.h"
#include "sr_options.h"

/* The standard's value list of an enumerated field ("site_type",
 * "terr_usage", a yes/no field such as "reseau_gaz" ...), NULL-terminated;
 * NULL when the field has no list. */
const char *const *sr_cnig_values(const char *field);

/* The standard's vocation of a NAF rev. 2 code ("52.10B" or "5210B"): one
 * of "industrielle", "commerciale", "tertiaire", "artisanale",
 * "touristique", "portuaire", "aéroportuaire, aéronautique", "entrepôts,
 * logistique", "logistique agricole" or "autre" (agriculture, forestry and
 * fishing, which the standard's ZAE vocations do not name).  NULL for a
 * code that is not NAF rev. 2.  The table is in cnig.c and docs/zones.md. */
const char *sr_cnig_vocation(const char *naf);

/* INSEE's label of a headcount band ("03" -> "6 à 9 salariés"), NULL if
 * the code is unknown. */
const char *sr_cnig_band_label(const char *band);

/* Options of the five exports: one spec table, so that one options object
 * serves the whole inventory (plpgsql: validated, not stored). */
extern const sr_optset sr_cnig_pole_optset;
extern const sr_optset sr_cnig_site_optset;
extern const sr_optset sr_cnig_terrain_optset;
extern const sr_optset sr_cnig_etab_optset;
extern const sr_optset sr_cnig_csv_optset;

#endif							/* SR_CNIG_H */
