/*
 * sr_territory.h — the shapes of French territory codes, and which
 * territory types a code may name (the hub's territory security,
 * docs/security.md "Territory codes and types").
 *
 * A hub names the territory that owns a row by its code, and by its type
 * where the code alone is ambiguous: the 18 région codes of the INSEE COG
 * (01-04, 06, 11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93, 94) are also
 * département codes (53 is Bretagne and Mayenne), and the reference data
 * (@etalab/decoupage-administratif) lists the overseas collectivités 975,
 * 977, 978, 984 and 986-989 as both.  Shapes:
 *   commune      5 characters: 5 digits, or 2A / 2B and 3 digits (Corse);
 *                the arrondissements municipaux (75101, 69381) included
 *   epci         9 digits (its SIREN)
 *   departement  01-19, 21-95, 2A, 2B, 971-974, 976, and the collectivités
 *   region       the 18 codes above, and the collectivités
 * A code of another shape (a hub's own code, 2-9 characters) admits no
 * type: it can only be written untyped.
 */
#ifndef SR_TERRITORY_H
#define SR_TERRITORY_H

#include <stdbool.h>

#define SR_TERR_COMMUNE		1
#define SR_TERR_EPCI		2
#define SR_TERR_DEPARTEMENT 4
#define SR_TERR_REGION		8

/* The types whose code shape the code has (a mask of SR_TERR_*; 0 for a
 * NULL code or a code of no known shape). */
int			sr_territory_code_types(const char *code);

/* The SR_TERR_* bit of a type name ("commune", "epci", "departement",
 * "region"); 0 for NULL or another name. */
int			sr_territory_type_bit(const char *type);

/* The name of a single SR_TERR_* bit; NULL for 0 or several bits. */
const char *sr_territory_type_name(int bit);

/* Whether a row may name its territory so (the hub tables' check):
 *  - no code: without a type (a row of no territory), never with one;
 *  - no type: unless the code is ambiguous (both a département's and a
 *    région's);
 *  - a type: a known type whose shape the code has. */
bool		sr_territory_typed_ok(const char *type, const char *code);

/* The type a code names without being told: the single type its shape
 * admits (SR_TERR_*), 0 when none or ambiguous. */
int			sr_territory_code_type(const char *code);

#endif
