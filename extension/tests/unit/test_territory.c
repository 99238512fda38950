/*
 * test_territory.c — unit tests of the territory codes' types
 * (territory_codes.c): the départements and régions of the INSEE COG
 * (written out here from INSEE's list of 2024, not from the code under
 * test), the codes both name found by brute force over every code of two
 * and three characters, and the hub's check on hand-picked rows.
 */
#include "sr_test.h"
#include "sr_territory.h"

#include <stdio.h>
#include <string.h>

/* INSEE, Code officiel géographique 2024: the 101 départements */
static const char *const departements[] = {
	"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14",
	"15", "16", "17", "18", "19", "2A", "2B", "21", "22", "23", "24", "25", "26", "27",
	"28", "29", "30", "31", "32", "33", "34", "35", "36", "37", "38", "39", "40", "41",
	"42", "43", "44", "45", "46", "47", "48", "49", "50", "51", "52", "53", "54", "55",
	"56", "57", "58", "59", "60", "61", "62", "63", "64", "65", "66", "67", "68", "69",
	"70", "71", "72", "73", "74", "75", "76", "77", "78", "79", "80", "81", "82", "83",
	"84", "85", "86", "87", "88", "89", "90", "91", "92", "93", "94", "95",
	"971", "972", "973", "974", "976",
	/* the overseas collectivités, which @etalab/decoupage-administratif also lists */
	"975", "977", "978", "984", "986", "987", "988", "989"
};

/* ... and its 18 régions, with their names */
static const struct
{
	const char *code,
			   *name;
}			regions[] = {
	{"01", "Guadeloupe"}, {"02", "Martinique"}, {"03", "Guyane"}, {"04", "La Réunion"},
	{"06", "Mayotte"}, {"11", "Île-de-France"}, {"24", "Centre-Val de Loire"},
	{"27", "Bourgogne-Franche-Comté"}, {"28", "Normandie"}, {"32", "Hauts-de-France"},
	{"44", "Grand Est"}, {"52", "Pays de la Loire"}, {"53", "Bretagne"},
	{"75", "Nouvelle-Aquitaine"}, {"76", "Occitanie"}, {"84", "Auvergne-Rhône-Alpes"},
	{"93", "Provence-Alpes-Côte d'Azur"}, {"94", "Corse"},
	/* the overseas collectivités, listed by @etalab/decoupage-administratif as régions too */
	{"975", "Saint-Pierre-et-Miquelon"}, {"977", "Saint-Barthélemy"}, {"978", "Saint-Martin"},
	{"984", "Terres australes et antarctiques françaises"}, {"986", "Wallis et Futuna"},
	{"987", "Polynésie française"}, {"988", "Nouvelle-Calédonie"}, {"989", "Île de Clipperton"}
};

#define N(a) ((int) (sizeof(a) / sizeof((a)[0])))

int
main(void)
{
	char		desc[160];
	int			missing = 0,
				both = 0,
				both_regions = 0;
	const char	alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

	SR_TEST_BEGIN();

	for (int i = 0; i < N(departements); i++)
		if (!(sr_territory_code_types(departements[i]) & SR_TERR_DEPARTEMENT))
		{
			missing++;
			printf("# département %s not admitted\n", departements[i]);
		}
	SR_CHECK(missing == 0, "every département of the COG has a département's shape");
	missing = 0;
	for (int i = 0; i < N(regions); i++)
		if (!(sr_territory_code_types(regions[i].code) & SR_TERR_REGION))
		{
			missing++;
			printf("# région %s (%s) not admitted\n", regions[i].code, regions[i].name);
		}
	SR_CHECK(missing == 0, "every région of the COG has a région's shape");

	/* brute force: every code of two and of three characters, which of them name two types */
	for (size_t a = 0; a < sizeof(alphabet) - 1; a++)
		for (size_t b = 0; b < sizeof(alphabet) - 1; b++)
			for (size_t c = 0; c < sizeof(alphabet); c++)
			{
				/* c == the alphabet's length: a code of two characters */
				char		code[4] = {alphabet[a], alphabet[b], c < sizeof(alphabet) - 1 ? alphabet[c] : 0, 0};
				int			t = sr_territory_code_types(code);

				if ((t & (t - 1)) != 0)
				{
					both++;
					for (int i = 0; i < N(regions); i++)
						if (strcmp(code, regions[i].code) == 0)
							both_regions++;
				}
				/* a code of two or three characters is a département's or a région's, or neither */
				if (t & ~(SR_TERR_DEPARTEMENT | SR_TERR_REGION))
					both = -1000;
			}
	snprintf(desc, sizeof desc, "the codes naming two types are the 26 régions' (found %d, of them régions %d)",
			 both, both_regions);
	SR_CHECK(both == N(regions) && both_regions == N(regions), desc);

	SR_CHECK(sr_territory_code_types("69381") == SR_TERR_COMMUNE, "69381 (Lyon 1er arrondissement) is a commune's code");
	SR_CHECK(sr_territory_code_types("2A004") == SR_TERR_COMMUNE, "2A004 (Ajaccio) is a commune's code");
	SR_CHECK(sr_territory_code_types("97411") == SR_TERR_COMMUNE, "97411 (Saint-Denis, La Réunion) is a commune's code");
	SR_CHECK(sr_territory_code_types("2C004") == 0, "2C004 has no known shape");
	SR_CHECK(sr_territory_code_types("200046977") == SR_TERR_EPCI, "200046977 (Métropole de Lyon's SIREN) is an EPCI's");
	SR_CHECK(sr_territory_code_types("20") == 0, "20 (Corse before 1976) names nothing");
	SR_CHECK(sr_territory_code_types("96") == 0 && sr_territory_code_types("00") == 0, "96 and 00 name nothing");
	SR_CHECK(sr_territory_code_types("91") == SR_TERR_DEPARTEMENT, "91 (Essonne) is a département only");
	SR_CHECK(sr_territory_code_types("53") == (SR_TERR_DEPARTEMENT | SR_TERR_REGION), "53 is Mayenne and Bretagne");
	SR_CHECK(sr_territory_code_types("979") == 0 && sr_territory_code_types("975") == (SR_TERR_DEPARTEMENT | SR_TERR_REGION) &&
			 sr_territory_code_types("976") == SR_TERR_DEPARTEMENT && sr_territory_code_types("6938") == 0,
			 "979 and a 4-digit code name nothing, 975 two types, 976 (Mayotte, région 06) one");
	SR_CHECK(sr_territory_code_types(NULL) == 0 && sr_territory_code_types("") == 0, "NULL and '' name nothing");

	/* the hub tables' check */
	SR_CHECK(!sr_territory_typed_ok(NULL, "53"), "an untyped 53 is refused (Mayenne or Bretagne?)");
	SR_CHECK(sr_territory_typed_ok("departement", "53") && sr_territory_typed_ok("region", "53"),
			 "53 typed either way is accepted");
	SR_CHECK(!sr_territory_typed_ok("region", "91"), "région 91 does not exist");
	SR_CHECK(!sr_territory_typed_ok("commune", "53"), "a commune's code has five characters");
	SR_CHECK(sr_territory_typed_ok(NULL, "91") && sr_territory_typed_ok(NULL, "69381") &&
			 sr_territory_typed_ok(NULL, "200046977"), "unambiguous codes may stay untyped");
	SR_CHECK(sr_territory_typed_ok(NULL, "T1") && !sr_territory_typed_ok("region", "T1"),
			 "a hub's own code (T1) stays untyped");
	SR_CHECK(!sr_territory_typed_ok("Region", "53") && !sr_territory_typed_ok("", "53"),
			 "type names are exact");
	SR_CHECK(sr_territory_typed_ok(NULL, NULL), "a row of no territory passes");
	SR_CHECK(!sr_territory_typed_ok("region", NULL) && !sr_territory_typed_ok("bogus", NULL),
			 "a type without a code is refused (review 35)");

	SR_CHECK(sr_territory_code_type("53") == 0, "53 has no type of its own");
	SR_CHECK(sr_territory_code_type("91") == SR_TERR_DEPARTEMENT && sr_territory_code_type("69381") == SR_TERR_COMMUNE,
			 "91 is a département's, 69381 a commune's");
	SR_CHECK(sr_territory_code_type("T1") == 0 && sr_territory_code_type(NULL) == 0, "T1 and NULL have none");
	SR_CHECK(sr_territory_type_bit("epci") == SR_TERR_EPCI && sr_territory_type_bit("pays") == 0 &&
			 strcmp(sr_territory_type_name(SR_TERR_REGION), "region") == 0 &&
			 sr_territory_type_name(SR_TERR_REGION | SR_TERR_DEPARTEMENT) == NULL,
			 "type names and bits");
	return SR_TEST_END();
}
