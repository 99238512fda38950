/*
 * cnig.c — the CNIG "Sites économiques" standard in the core (sr_cnig.h):
 * the value lists of its enumerated fields, NAF rev. 2 -> vocation, INSEE
 * headcount-band labels, and the option specs of the five exports.
 *
 * The value lists are the "enum" members of the standard's Table Schema
 * files (data/cnig/<class>/schema.json, schema v1.0.1 of 2024-10-18),
 * copied verbatim: an export writes nothing else in those fields.
 */
#include "sr_cnig.h"
#include "sr_zones.h"

#include <stddef.h>
#include <string.h>

static const char *const v_pole_vocadomi[] = {
	"industrielle",
	"commerciale",
	"tertiaire",
	"artisanale",
	"touristique",
	"portuaire",
	"aéroportuaire, aéronautique",
	"entrepôts, logistique",
	"logistique agricole",
	"mixte à dominante logistique",
	"mixte, sans dominante",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_pole_rayonnement[] = {
	"international",
	"national",
	"régional",
	"local",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_site_type[] = {
	"zone d'activité économique",
	"site économique historique hors ZAE",
	"établissement économique isolé",
	"zone AU à vocation économique",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_site_vocadomi[] = {
	"industrielle",
	"commerciale",
	"tertiaire",
	"artisanale",
	"touristique",
	"portuaire",
	"aéroportuaire, aéronautique",
	"entrepôts, logistique",
	"logistique agricole",
	"mixte",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_site_etat[] = {
	"en projet",
	"création",
	"existant et actif",
	"projet de déclassement",
	"déclassé",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_site_evol_urba[] = {
	"extension urbaine",
	"renouvellement urbain",
	"mixte",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_site_moa_type[] = {
	"commune",
	"epci",
	"société d'économie mixte",
	"chambre de commerce et industrie",
	"Etat",
	"privé",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_terr_maitrise_fonc[] = {
	"personne physique",
	"Etat",
	"région",
	"département",
	"structure intercommunale",
	"commune",
	"autre collectivité territoriale",
	"organisme de logement social",
	"établissement public foncier",
	"SEM ou SPLA",
	"aménageur",
	"investisseur professionnel",
	"établissement de santé et structure sociale",
	"établissement de tourisme et structure de loisir sportive ou cultuelle",
	"établissement industriel et commercial",
	"organisation de gestion foncière et immobilière",
	"établissement d'enseignement d'étude et de recherche",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_terr_stade_amngt[] = {
	"non aménageable",
	"non aménagé, non viabilisé",
	"viabilisation en cours",
	"viabilisé non aménagé",
	"viabilisé et aménagé",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_terr_stade_comm[] = {
	"non commercialisé",
	"non commercialisable",
	"en vente",
	"en vente avec contraintes",
	"vendu, commercialisation achevée",
	"réservé par option de réservation",
	"réservé par une délibération de l'EPCI",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_terr_etat_occup[] = {
	"inoccupé",
	"occupation transitoire",
	"occupé",
	"vacant",
	"friche",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_terr_usage[] = {
	"voirie ou infrastructure",
	"parkings, stationnement",
	"zone de retournement poids-lourds",
	"autres équipements publics",
	"bâti productif",
	"bâti résidentiel",
	"bassin d'orage ou de rétention",
	"espace vert",
	"espace naturel ou forestier",
	"espace agricole",
	"zone de service partagée entre entreprises",
	"carrières, zones d'extraction",
	"dépôt, stockage",
	"production d’énergie renouvelable",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_geocodage_qualite[] = {
	"non localisé",
	"localisation à la commune",
	"localisation au lieu-dit",
	"localisation à la rue (sans numéro)",
	"localisation à la plaque adresse",
	"localisation à la parcelle",
	"localisation au bâtiment",
	"inconnu",
	"autre",
	"sans objet",
	NULL
};
static const char *const v_yes_no[] = {"oui", "non", NULL};

static const struct
{
	const char *field;
	const char *const *values;
}			cnig_lists[] = {
	{"pole_vocadomi", v_pole_vocadomi},
	{"pole_rayonnement", v_pole_rayonnement},
	{"site_type", v_site_type},
	{"site_vocadomi", v_site_vocadomi},
	{"site_etat", v_site_etat},
	{"site_evol_urba", v_site_evol_urba},
	{"site_moa_type", v_site_moa_type},
	{"terr_maitrise_fonc", v_terr_maitrise_fonc},
	{"terr_stade_amngt", v_terr_stade_amngt},
	{"terr_stade_comm", v_terr_stade_comm},
	{"terr_etat_occup", v_terr_etat_occup},
	{"terr_usage", v_terr_usage},
	{"geocodage_qualite", v_geocodage_qualite},
	/* yes/no fields */
	{"site_voca_industrielle", v_yes_no},
	{"site_voca_commerciale", v_yes_no},
	{"site_voca_tertiaire", v_yes_no},
	{"site_voca_artisanale", v_yes_no},
	{"site_voca_touristique", v_yes_no},
	{"site_voca_portuaire", v_yes_no},
	{"site_voca_aeroportuaire", v_yes_no},
	{"reseau_eau_pluviale", v_yes_no},
	{"reseau_eau_potable", v_yes_no},
	{"reseau_assainissement", v_yes_no},
	{"reseau_gaz", v_yes_no},
	{"reseau_electrique", v_yes_no},
	{"reseau_fibre_optique", v_yes_no},
	{"reseau_fret_ferroviaire", v_yes_no},
	{"reseau_fluvial", v_yes_no},
	{"desserte_tc", v_yes_no},
	{"terr_utile", v_yes_no},
	{"terr_cle_en_main", v_yes_no},
	{"etab_siege", v_yes_no},
	{"etab_actif", v_yes_no},
};

const char *const *
sr_cnig_values(const char *field)
{
	if (field == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(cnig_lists) / sizeof(cnig_lists[0]); i++)
		if (strcmp(cnig_lists[i].field, field) == 0)
			return cnig_lists[i].values;
	return NULL;
}

/* ---- NAF rev. 2 -> the standard's vocations ----------------------------------- */

#define V_IND "industrielle"
#define V_COM "commerciale"
#define V_TER "tertiaire"
#define V_ART "artisanale"
#define V_TOU "touristique"
#define V_POR "portuaire"
#define V_AER "aéroportuaire, aéronautique"
#define V_LOG "entrepôts, logistique"
#define V_AGR "logistique agricole"
#define V_AUT "autre"

/*
 * Codes are compared as four digits (division, group, class: 52.10B ->
 * 5210); the first range containing the code wins, so the specific classes
 * come before the divisions and sections they belong to.  The table of
 * docs/zones.md ("Vocations from NAF codes") is this one.
 */
static const struct
{
	int			lo,
				hi;
	const char *vocation;
}			vocation_rules[] = {
	/* aeronautics and airports */
	{3030, 3030, V_AER},		/* construction aéronautique et spatiale */
	{3316, 3316, V_AER},		/* réparation et maintenance d'aéronefs */
	{5100, 5199, V_AER},		/* transports aériens */
	{5223, 5223, V_AER},		/* services auxiliaires des transports aériens */
	/* ports */
	{5000, 5099, V_POR},		/* transports par eau */
	{5222, 5222, V_POR},		/* services auxiliaires des transports par eau */
	/* agricultural logistics */
	{160, 169, V_AGR},			/* soutien à l'agriculture, traitement des récoltes */
	{4620, 4629, V_AGR},		/* commerce de gros de produits agricoles bruts */
	/* warehousing and logistics */
	{4920, 4929, V_LOG},		/* transports ferroviaires de fret */
	{4940, 4959, V_LOG},		/* fret routier, déménagement, conduites */
	{5210, 5219, V_LOG},		/* entreposage et stockage */
	{5221, 5221, V_LOG},		/* services auxiliaires des transports terrestres */
	{5224, 5224, V_LOG},		/* manutention */
	{5229, 5229, V_LOG},		/* autres services auxiliaires des transports */
	{5300, 5399, V_LOG},		/* activités de poste et de courrier */
	/* crafts */
	{4300, 4399, V_ART},		/* travaux de construction spécialisés */
	{4520, 4529, V_ART},		/* entretien et réparation de véhicules */
	{9500, 9599, V_ART},		/* réparation d'ordinateurs et de biens personnels */
	{9600, 9609, V_ART},		/* autres services personnels */
	/* tourism */
	{5500, 5599, V_TOU},		/* hébergement */
	{7900, 7999, V_TOU},		/* agences de voyage, voyagistes */
	{9320, 9329, V_TOU},		/* activités récréatives et de loisirs */
	/* the rest by section */
	{4100, 4119, V_TER},		/* 41.1 promotion immobilière */
	{4120, 4299, V_IND},		/* construction de bâtiments, génie civil */
	{5600, 5699, V_COM},		/* restauration */
	{100, 399, V_AUT},			/* A: agriculture, sylviculture, pêche */
	{500, 3999, V_IND},			/* B-E: industries, énergie, eau, déchets */
	{4500, 4799, V_COM},		/* G: commerce */
	{4900, 9999, V_TER},		/* H (voyageurs), J-U: services */
};

const char *
sr_cnig_vocation(const char *naf)
{
	const char *p;
	int			code;

	if (sr_zones_naf_section(naf) < 0)
		return NULL;
	/* "NN.NNL" or "NNNNL": the four digits */
	p = naf + 2;
	if (*p == '.')
		p++;
	code = (naf[0] - '0') * 1000 + (naf[1] - '0') * 100 + (p[0] - '0') * 10 + (p[1] - '0');
	for (size_t i = 0; i < sizeof(vocation_rules) / sizeof(vocation_rules[0]); i++)
		if (code >= vocation_rules[i].lo && code <= vocation_rules[i].hi)
			return vocation_rules[i].vocation;
	return NULL;
}

/* ---- INSEE headcount bands ------------------------------------------------------ */

/* INSEE, SIRENE "tranche d'effectif salarié" (trancheEffectifsEtablissement) */
static const struct
{
	const char *code;
	const char *label;
}			band_labels[] = {
	{"NN", "Unité non employeuse"},
	{"00", "0 salarié"},
	{"01", "1 ou 2 salariés"},
	{"02", "3 à 5 salariés"},
	{"03", "6 à 9 salariés"},
	{"11", "10 à 19 salariés"},
	{"12", "20 à 49 salariés"},
	{"21", "50 à 99 salariés"},
	{"22", "100 à 199 salariés"},
	{"31", "200 à 249 salariés"},
	{"32", "250 à 499 salariés"},
	{"41", "500 à 999 salariés"},
	{"42", "1 000 à 1 999 salariés"},
	{"51", "2 000 à 4 999 salariés"},
	{"52", "5 000 à 9 999 salariés"},
	{"53", "10 000 salariés et plus"},
};

const char *
sr_cnig_band_label(const char *band)
{
	if (band == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof(band_labels) / sizeof(band_labels[0]); i++)
		if (strcmp(band_labels[i].code, band) == 0)
			return band_labels[i].label;
	return NULL;
}

/* ---- options of the exports ------------------------------------------------------ */

/* an export is a publication: cfe_only would disclose CFE liability per land
 * unit (sr_zones_opts_check), so the exports take the statutory rule only */
static const char *const vacancy_rules[] = {"statutory", NULL};

/* plpgsql functions: validated and handed back as jsonb, nothing stored;
 * no default where the value is the producer's to declare (absent: the
 * input's column of the same name, else an error naming the field) */
#define NS SR_OPT_NOSTORE
#define ND SR_OPTF_NODEFAULT
static const sr_optspec cnig_specs[] = {
	{"identif_date", SR_OPT_STRING, NS,
	 .meaning = "date of identification (YYYY-MM-DD) of the poles, sites, terrains and establishments whose input has no *_identif_date column"},
	{"site_type", SR_OPT_CHOICE, NS, .choices = v_site_type, .flags = ND,
	 .meaning = "site_type of the sites whose zone has no site_type column value"},
	{"site_etat", SR_OPT_CHOICE, NS, .choices = v_site_etat, .flags = ND,
	 .meaning = "site_etat of the sites whose zone has no site_etat column value"},
	{"site_moa_type", SR_OPT_CHOICE, NS, .choices = v_site_moa_type, .flags = ND,
	 .meaning = "site_moa_type (type of the project owner) of the sites whose zone has none"},
	{"comm_insee", SR_OPT_STRING, NS,
	 .meaning = "INSEE code of the main commune of the sites whose zone has no comm_insee column value"},
	{"comm_nom", SR_OPT_STRING, NS, .flags = SR_OPTF_LONG,
	 .meaning = "commune name where smartregion.territory does not know the commune"},
	{"epci_nom", SR_OPT_STRING, NS, .flags = SR_OPTF_LONG,
	 .meaning = "EPCI name where smartregion.territory does not know the commune's EPCI"},
	{"epci_siren", SR_OPT_STRING, NS,
	 .meaning = "EPCI SIREN where smartregion.territory does not know the commune's EPCI"},
	{"source_producteur", SR_OPT_STRING, NS, .flags = SR_OPTF_LONG,
	 .meaning = "source_producteur of every site (who produced the data)"},
	{"pole_rayonnement", SR_OPT_CHOICE, NS, .choices = v_pole_rayonnement, .flags = ND,
	 .meaning = "pole_rayonnement of the poles (empty when absent: the field is optional)"},
	{"dominance_share", SR_OPT_NUMBER, NS, 0.5, 1, 0.6,
	 .meaning = "a vocation is dominant when its establishments hold more than this share of the estimated jobs (the standard's example: 60 %); else mixte"},
	{"terr_maitrise_fonc", SR_OPT_CHOICE, NS, .choices = v_terr_maitrise_fonc, .flags = ND,
	 .meaning = "terr_maitrise_fonc of the terrains whose parcels have no terr_maitrise_fonc column value"},
	{"terr_stade_amngt", SR_OPT_CHOICE, NS, .choices = v_terr_stade_amngt, .flags = ND,
	 .meaning = "terr_stade_amngt of the terrains whose parcels have no terr_stade_amngt column value"},
	{"terr_stade_comm", SR_OPT_CHOICE, NS, .choices = v_terr_stade_comm, .flags = ND,
	 .meaning = "terr_stade_comm of the terrains whose parcels have no terr_stade_comm column value"},
	{"etab_source_info", SR_OPT_STRING, NS, .flags = SR_OPTF_LONG,
	 .meaning = "etab_source_info of the establishments without an etab_source_info column value"},
	{"geocodage_qualite", SR_OPT_CHOICE, NS, .choices = v_geocodage_qualite, .flags = ND,
	 .meaning = "geocodage_qualite of the establishments without a geocodage_qualite column value"},
	{"etab_effectif_annee", SR_OPT_INT, NS, 1900, 2200, .flags = ND,
	 .meaning = "year of the headcount bands of the establishments without an etab_effectif_annee column value"},
	{"fiscal", SR_OPT_BOOL, NS, .def = 0,
	 .meaning = "establishment counts are fiscal cells: the fiscal_min_units rule of statistical secrecy applies"},
	{"rules", SR_OPT_OBJECT, NS, .sub = &sr_secrecy_optset,
	 .meaning = "statistical secrecy rules (see statistical_secrecy); rules other than the hub's set (set_secrecy_rules; the defaults without one) need not_for_publication"},
	{"not_for_publication", SR_OPT_BOOL, NS, .def = 0,
	 .meaning = "accept rules other than the publication's (to check a file, never to publish it)"},
	{"vacancy_rule", SR_OPT_CHOICE, NS, .def = SR_ZONES_VACANCY_STATUTORY, .choices = vacancy_rules,
	 .meaning = "statutory only: an export is a publication, and cfe_only would disclose CFE liability per land unit (fiscal secrecy)"},
};
#undef NS
#undef ND

#define NSPECS (sizeof(cnig_specs) / sizeof(cnig_specs[0]))
const sr_optset sr_cnig_pole_optset = {"pole_eco", "option", cnig_specs, NSPECS};
const sr_optset sr_cnig_site_optset = {"site_eco", "option", cnig_specs, NSPECS};
const sr_optset sr_cnig_terrain_optset = {"terrain_eco", "option", cnig_specs, NSPECS};
const sr_optset sr_cnig_etab_optset = {"etablissement", "option", cnig_specs, NSPECS};
const sr_optset sr_cnig_csv_optset = {"cnig_csv", "option", cnig_specs, NSPECS};
