/*
 * test_cnig.c — the CNIG "Sites économiques" tables of the core (cnig.c):
 * NAF rev. 2 -> the standard's vocations (hand-checked against the table of
 * docs/zones.md and INSEE's NAF titles), coverage of every NAF code, the
 * value lists and headcount-band labels, the option sets.
 */
#include "sr_cnig.h"
#include "sr_test.h"
#include "sr_zones.h"

#include <stdio.h>
#include <string.h>

static int
is(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

static int
in_list(const char *v, const char *const *list)
{
	for (int i = 0; list && list[i]; i++)
		if (strcmp(list[i], v) == 0)
			return 1;
	return 0;
}

int
main(void)
{
	static const struct
	{
		const char *naf,
				   *vocation,
				   *why;
	}			cases[] = {
		{"30.30Z", "aéroportuaire, aéronautique", "30.30Z construction aéronautique et spatiale"},
		{"33.16Z", "aéroportuaire, aéronautique", "33.16Z maintenance d'aéronefs"},
		{"51.10Z", "aéroportuaire, aéronautique", "51.10Z transports aériens de passagers"},
		{"52.23Z", "aéroportuaire, aéronautique", "52.23Z services auxiliaires des transports aériens"},
		{"50.20Z", "portuaire", "50.20Z transports maritimes de fret"},
		{"52.22Z", "portuaire", "52.22Z services auxiliaires des transports par eau"},
		{"01.61Z", "logistique agricole", "01.61Z soutien aux cultures"},
		{"46.21Z", "logistique agricole", "46.21Z commerce de gros de céréales"},
		{"52.10B", "entrepôts, logistique", "52.10B entreposage non frigorifique"},
		{"49.41A", "entrepôts, logistique", "49.41A transports routiers de fret interurbains"},
		{"52.29A", "entrepôts, logistique", "52.29A messagerie, fret express"},
		{"53.20Z", "entrepôts, logistique", "53.20Z autres activités de poste et de courrier"},
		{"43.21A", "artisanale", "43.21A travaux d'installation électrique"},
		{"45.20A", "artisanale", "45.20A entretien et réparation de véhicules légers"},
		{"95.11Z", "artisanale", "95.11Z réparation d'ordinateurs"},
		{"96.02A", "artisanale", "96.02A coiffure"},
		{"55.10Z", "touristique", "55.10Z hôtels"},
		{"79.11Z", "touristique", "79.11Z agences de voyage"},
		{"93.21Z", "touristique", "93.21Z parcs d'attractions"},
		{"56.10C", "commerciale", "56.10C restauration rapide"},
		{"47.11F", "commerciale", "47.11F hypermarchés"},
		{"46.69B", "commerciale", "46.69B commerce de gros de fournitures industrielles"},
		{"45.11Z", "commerciale", "45.11Z commerce de voitures"},
		{"10.71C", "industrielle", "10.71C boulangerie (section C)"},
		{"35.11Z", "industrielle", "35.11Z production d'électricité (section D)"},
		{"38.11Z", "industrielle", "38.11Z collecte des déchets (section E)"},
		{"41.20A", "industrielle", "41.20A construction de maisons individuelles"},
		{"42.11Z", "industrielle", "42.11Z construction de routes"},
		{"41.10A", "tertiaire", "41.10A promotion immobilière de logements"},
		{"49.10Z", "tertiaire", "49.10Z transport ferroviaire de voyageurs"},
		{"62.01Z", "tertiaire", "62.01Z programmation informatique"},
		{"70.22Z", "tertiaire", "70.22Z conseil de gestion"},
		{"93.11Z", "tertiaire", "93.11Z gestion d'installations sportives"},
		{"01.11Z", "autre", "01.11Z culture de céréales (section A)"},
		{"6201Z", "tertiaire", "6201Z without the dot"},
	};
	const char *const *voca;
	const char *const *l;
	int			all_mapped = 1,
				all_listed = 1,
				codes = 0,
				n;
	char		code[8];

	SR_TEST_BEGIN();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		char		desc[160];

		snprintf(desc, sizeof(desc), "vocation of %s", cases[i].why);
		SR_CHECK(is(sr_cnig_vocation(cases[i].naf), cases[i].vocation), desc);
	}
	SR_CHECK(sr_cnig_vocation("04.11Z") == NULL, "no vocation for a division that does not exist");
	SR_CHECK(sr_cnig_vocation("62.1Z") == NULL, "no vocation for a malformed code");
	SR_CHECK(sr_cnig_vocation(NULL) == NULL, "no vocation for NULL");

	/* every code of every NAF division gets a vocation of the standard's list */
	voca = sr_cnig_values("site_vocadomi");
	for (unsigned c = 0; c < 10000; c++)
	{
		snprintf(code, sizeof(code), "%02u.%02uZ", c / 100, c % 100);
		if (sr_zones_naf_section(code) < 0)
			continue;
		codes++;
		if (sr_cnig_vocation(code) == NULL)
			all_mapped = 0;
		else if (!in_list(sr_cnig_vocation(code), voca))
			all_listed = 0;
	}
	SR_CHECK(codes == 88 * 100, "88 NAF divisions scanned (00-99 less the 12 that do not exist)");
	SR_CHECK(all_mapped, "every NAF code has a vocation");
	SR_CHECK(all_listed, "every vocation is a value of the standard's site_vocadomi list");

	/* value lists (data/cnig/<class>/schema.json) */
	l = sr_cnig_values("site_type");
	for (n = 0; l && l[n]; n++)
		;
	SR_CHECK(n == 7 && is(l[0], "zone d'activité économique"), "site_type: 7 values, the first the ZAE");
	SR_CHECK(in_list("mixte", voca) && !in_list("mixte, sans dominante", voca), "site_vocadomi has mixte, not the pole's");
	l = sr_cnig_values("pole_vocadomi");
	SR_CHECK(in_list("mixte à dominante logistique", l) && in_list("mixte, sans dominante", l) && !in_list("mixte", l),
			 "pole_vocadomi has the pole's two mixed values");
	l = sr_cnig_values("reseau_gaz");
	SR_CHECK(l && is(l[0], "oui") && is(l[1], "non") && l[2] == NULL, "yes/no fields are oui and non");
	SR_CHECK(in_list("epci", sr_cnig_values("site_moa_type")) && !in_list("EPCI", sr_cnig_values("site_moa_type")),
			 "site_moa_type has epci in lower case, as the schema");
	SR_CHECK(sr_cnig_values("site_nom") == NULL, "a free field has no list");
	SR_CHECK(sr_cnig_values(NULL) == NULL, "NULL field");

	/* headcount bands */
	SR_CHECK(is(sr_cnig_band_label("03"), "6 à 9 salariés"), "band 03 is the standard's example 6 à 9 salariés");
	SR_CHECK(is(sr_cnig_band_label("53"), "10 000 salariés et plus"), "band 53 label");
	n = 0;
	for (int b = 0; b < SR_ZONES_NBANDS; b++)
		n += sr_cnig_band_label(sr_zones_band_code(b)) != NULL;
	SR_CHECK(n == SR_ZONES_NBANDS, "every INSEE band has a label");
	SR_CHECK(sr_cnig_band_label("99") == NULL && sr_cnig_band_label(NULL) == NULL, "unknown band: no label");

	/* options: one spec table for the five exports, registered by name */
	SR_CHECK(sr_optset_find("site_eco") == &sr_cnig_site_optset && sr_optset_find("cnig_csv") == &sr_cnig_csv_optset
			 && sr_optset_find("pole_eco") && sr_optset_find("terrain_eco") && sr_optset_find("etablissement"),
			 "the five option sets are registered");
	SR_CHECK(sr_option_find(&sr_cnig_site_optset, "site_type")->choices == sr_cnig_values("site_type"),
			 "option site_type offers the standard's list");
	SR_CHECK(sr_optset_find("cnig_site_eco") == NULL, "the old cnig_site_eco specs are gone");
	{
		/* names are validated, never stored: an EPCI's name may pass 63 bytes */
		char		longname[101];
		sr_err		err;

		memset(longname, 'e', 100);
		longname[100] = '\0';
		sr_err_clear(&err);
		SR_CHECK(sr_option_set_string(&sr_cnig_site_optset, sr_option_find(&sr_cnig_site_optset, "epci_nom"),
									  NULL, longname, &err) == SR_OK, "a 100-byte epci_nom is accepted");
		SR_CHECK(sr_option_set_string(&sr_cnig_site_optset, sr_option_find(&sr_cnig_site_optset, "identif_date"),
									  NULL, longname, &err) == SR_EINVAL, "other strings keep the 63-byte limit");
	}
	return SR_TEST_END();
}
