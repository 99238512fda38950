/*
 * zones_codes.c — NAF rev. 2 sections, INSEE headcount bands, civil dates
 * and the Shannon diversity index used by the activity-zone observatory.
 */
#include "sr_zones.h"

#include <math.h>
#include <string.h>

/*
 * Division (first two digits) -> section of NAF rev. 2 (INSEE, 2008):
 * A 01-03, B 05-09, C 10-33, D 35, E 36-39, F 41-43, G 45-47, H 49-53,
 * I 55-56, J 58-63, K 64-66, L 68, M 69-75, N 77-82, O 84, P 85, Q 86-88,
 * R 90-93, S 94-96, T 97-98, U 99.  Divisions 04, 34, 40, 44, 48, 54, 57,
 * 67, 76, 83 and 89 do not exist.
 */
static const struct
{
	int			first,
				last;
	char		section;
}			naf_ranges[] = {
	{1, 3, 'A'}, {5, 9, 'B'}, {10, 33, 'C'}, {35, 35, 'D'}, {36, 39, 'E'},
	{41, 43, 'F'}, {45, 47, 'G'}, {49, 53, 'H'}, {55, 56, 'I'}, {58, 63, 'J'},
	{64, 66, 'K'}, {68, 68, 'L'}, {69, 75, 'M'}, {77, 82, 'N'}, {84, 84, 'O'},
	{85, 85, 'P'}, {86, 88, 'Q'}, {90, 93, 'R'}, {94, 96, 'S'}, {97, 98, 'T'},
	{99, 99, 'U'}
};

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int
sr_zones_naf_section(const char *naf)
{
	int			div,
				i,
				ndigits = 0;
	const char *p;

	if (naf == NULL || !is_digit(naf[0]) || !is_digit(naf[1]))
		return -1;
	/* "NN.NNL" (INSEE presentation) or "NNNNL" (SIRENE without the dot) */
	p = naf + 2;
	if (*p == '.')
		p++;
	while (is_digit(*p) && ndigits < 2)
	{
		p++;
		ndigits++;
	}
	if (ndigits != 2)
		return -1;
	if (*p >= 'A' && *p <= 'Z')
		p++;
	if (*p != '\0')
		return -1;
	div = (naf[0] - '0') * 10 + (naf[1] - '0');
	for (i = 0; i < (int) (sizeof(naf_ranges) / sizeof(naf_ranges[0])); i++)
		if (div >= naf_ranges[i].first && div <= naf_ranges[i].last)
			return naf_ranges[i].section - 'A';
	return -1;
}

char
sr_zones_section_letter(int section)
{
	if (section < 0 || section >= SR_ZONES_NSECTIONS)
		return '?';
	return (char) ('A' + section);
}

/*
 * INSEE "tranche d'effectif salarié" codes and the jobs counted for each:
 * the midpoint of the band's interval of employees, e.g. 01 = 1 or 2
 * employees -> 1.5; 53 (10,000 or more) is open and counts its lower bound.
 * NN (no employee in the reference year or unknown) and 00 (0 employees)
 * count 0.
 */
static const struct
{
	const char *code;
	double		jobs;
}			bands[SR_ZONES_NBANDS] = {
	{"NN", 0.0}, {"00", 0.0}, {"01", 1.5}, {"02", 4.0}, {"03", 7.5},
	{"11", 14.5}, {"12", 34.5}, {"21", 74.5}, {"22", 149.5}, {"31", 224.5},
	{"32", 374.5}, {"41", 749.5}, {"42", 1499.5}, {"51", 3499.5},
	{"52", 7499.5}, {"53", 10000.0}
};

int
sr_zones_band_index(const char *band)
{
	int			i;

	if (band == NULL)
		return -1;
	for (i = 0; i < SR_ZONES_NBANDS; i++)
		if (strcmp(band, bands[i].code) == 0)
			return i;
	return -1;
}

const char *
sr_zones_band_code(int band)
{
	if (band < 0 || band >= SR_ZONES_NBANDS)
		return "?";
	return bands[band].code;
}

double
sr_zones_band_jobs(int band)
{
	if (band < 0 || band >= SR_ZONES_NBANDS)
		return NAN;
	return bands[band].jobs;
}

/* Dates as days since 2000-01-01 (PostgreSQL's DateADT epoch): 2000-01-01
 * is day 10957 after 1970-01-01, the epoch of sr_days_from_civil. */
int32_t
sr_zones_days_from_civil(int year, int month, int day)
{
	return (int32_t) (sr_days_from_civil(year, month, day) - 10957);
}

void
sr_zones_civil_from_days(int32_t days, int *year, int *month, int *day)
{
	sr_civil_from_days((long) days + 10957, year, month, day);
}

double
sr_zones_shannon(const int64_t *counts, int n)
{
	double		total = 0.0,
				h = 0.0;
	int			i;

	for (i = 0; i < n; i++)
		total += (double) counts[i];
	if (total <= 0.0)
		return NAN;
	for (i = 0; i < n; i++)
	{
		if (counts[i] > 0)
		{
			double		p = (double) counts[i] / total;

			h -= p * log(p);
		}
	}
	/* a single category gives -1*log(1) = -0.0: report +0 */
	return h == 0.0 ? 0.0 : h;
}
