/*
 * territory_codes.c — which territory types a French territory code may
 * name (sr_territory.h).  Used by the hub's row checks and its territory
 * policies, so that a département's agents never act for the région of the
 * same code.
 */
#include "sr_territory.h"

#include <string.h>

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return false;
	return true;
}

/* The régions of the INSEE COG (since 2016; Mayotte 06 since 2011) ... */
static const char *const region_codes[] = {
	"01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52",
	"53", "75", "76", "84", "93", "94"
};

/* ... and the overseas collectivités that the reference data
 * (@etalab/decoupage-administratif) lists both as a département and as a
 * région of their own: Saint-Pierre-et-Miquelon 975, Saint-Barthélemy 977,
 * Saint-Martin 978, the TAAF 984, Wallis-et-Futuna 986, Polynésie française
 * 987, Nouvelle-Calédonie 988, Clipperton 989. */
static bool
is_collectivite(const char *code, size_t n)
{
	return n == 3 && code[0] == '9' &&
		((code[1] == '7' && (code[2] == '5' || code[2] == '7' || code[2] == '8')) ||
		 (code[1] == '8' && (code[2] == '4' || (code[2] >= '6' && code[2] <= '9'))));
}

static bool
is_departement(const char *code, size_t n)
{
	if (n == 2)
	{
		if (code[0] == '2' && (code[1] == 'A' || code[1] == 'B'))
			return true;
		if (!all_digits(code, 2))
			return false;
		/* 01-95, but 20 (Corse, split into 2A and 2B in 1976) */
		int			v = (code[0] - '0') * 10 + (code[1] - '0');

		return v >= 1 && v <= 95 && v != 20;
	}
	/* overseas: 971-974 and 976, and the collectivités */
	return (n == 3 && code[0] == '9' && code[1] == '7' && code[2] >= '1' && code[2] <= '6' && code[2] != '5') ||
		is_collectivite(code, n);
}

static bool
is_region(const char *code, size_t n)
{
	if (is_collectivite(code, n))
		return true;
	if (n != 2)
		return false;
	for (size_t i = 0; i < sizeof(region_codes) / sizeof(region_codes[0]); i++)
		if (code[0] == region_codes[i][0] && code[1] == region_codes[i][1])
			return true;
	return false;
}

int
sr_territory_code_types(const char *code)
{
	size_t		n;
	int			types = 0;

	if (code == NULL)
		return 0;
	n = strlen(code);
	if (n == 5 && (all_digits(code, 5) ||
				   (code[0] == '2' && (code[1] == 'A' || code[1] == 'B') && all_digits(code + 2, 3))))
		types |= SR_TERR_COMMUNE;
	if (n == 9 && all_digits(code, 9))
		types |= SR_TERR_EPCI;
	if (is_departement(code, n))
		types |= SR_TERR_DEPARTEMENT;
	if (is_region(code, n))
		types |= SR_TERR_REGION;
	return types;
}

int
sr_territory_type_bit(const char *type)
{
	if (type == NULL)
		return 0;
	if (strcmp(type, "commune") == 0)
		return SR_TERR_COMMUNE;
	if (strcmp(type, "epci") == 0)
		return SR_TERR_EPCI;
	if (strcmp(type, "departement") == 0)
		return SR_TERR_DEPARTEMENT;
	if (strcmp(type, "region") == 0)
		return SR_TERR_REGION;
	return 0;
}

const char *
sr_territory_type_name(int bit)
{
	switch (bit)
	{
		case SR_TERR_COMMUNE:
			return "commune";
		case SR_TERR_EPCI:
			return "epci";
		case SR_TERR_DEPARTEMENT:
			return "departement";
		case SR_TERR_REGION:
			return "region";
		default:
			return NULL;
	}
}

bool
sr_territory_typed_ok(const char *type, const char *code)
{
	int			types,
				bit;

	if (code == NULL)
		return type == NULL;	/* a type names no territory without a code */
	types = sr_territory_code_types(code);
	if (type == NULL)
		return (types & (SR_TERR_DEPARTEMENT | SR_TERR_REGION)) != (SR_TERR_DEPARTEMENT | SR_TERR_REGION);
	bit = sr_territory_type_bit(type);
	return bit != 0 && (types & bit) != 0;
}

int
sr_territory_code_type(const char *code)
{
	int			types = sr_territory_code_types(code);

	/* a single bit */
	return (types != 0 && (types & (types - 1)) == 0) ? types : 0;
}
