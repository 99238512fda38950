/*
 * sr_zones.h — activity-zone observatory (ZAE inventory) core.
 *
 * Pure C (GEOS through its _r API only).  The glue reads four inputs
 * (zones, parcels, buildings, establishments) into the flat arrays of
 * sr_zones_data; sr_zones_build() places every object once (parcel -> zone,
 * building and establishment -> parcel, parcel -> land unit) and the
 * indicator, vacancy and consumption functions work on that placement.
 *
 * Placement rules (documented in docs/zones.md):
 *  - a parcel belongs to the zone with which it shares the largest area
 *    (ties: smallest zone_id); a parcel sharing no area with any zone is
 *    "outside" and counted in the data-quality columns;
 *  - a land unit is the set of parcels sharing a land_unit_id (a parcel
 *    with NULL land_unit_id is its own unit); it belongs to the zone that
 *    holds the largest total area of its parcels (ties: smallest zone_id);
 *  - a building belongs to the parcel covering its centroid, an
 *    establishment to the parcel covering its point (boundary included;
 *    several parcels: the smallest parcel_id in byte order); an object on
 *    no parcel is counted in the data-quality columns.
 *
 * Dates are days since 2000-01-01 (PostgreSQL's date epoch).
 */
#ifndef SR_ZONES_H
#define SR_ZONES_H

#include <stdbool.h>
#include <stdint.h>
#include "sr_common.h"
#include "sr_options.h"

#define SR_ZONES_NO_DATE INT32_MIN	/* NULL date */
#define SR_ZONES_NO_YEAR INT32_MIN	/* NULL built_year */
#define SR_ZONES_UNDATED (INT32_MIN + 1)	/* a land unit with a building of
											 * unknown year */
#define SR_ZONES_NSECTIONS 21		/* NAF rev. 2 sections A..U */
#define SR_ZONES_NBANDS 16			/* INSEE headcount bands */

/* ---- codes: NAF rev. 2, INSEE headcount bands, civil dates ---------------- */

/* Section index (0 = 'A' .. 20 = 'U') of a NAF rev. 2 code such as "62.01Z"
 * or "6201Z" (only the division, the first two digits, is used; the rest
 * must be digits and at most one letter).  Returns -1 for an unknown code. */
int			sr_zones_naf_section(const char *naf);
/* Letter of a section index. */
char		sr_zones_section_letter(int section);
/* Index of an INSEE headcount band code ("NN", "00", "01" ... "53"), -1 if
 * unknown. */
int			sr_zones_band_index(const char *band);
/* Code of a band index. */
const char *sr_zones_band_code(int band);
/* Jobs counted for a band: the midpoint of its interval (lower bound for the
 * open band 53, 0 for NN and 00); see docs/zones.md. */
double		sr_zones_band_jobs(int band);

/* Days since 2000-01-01 of a proleptic Gregorian date, and back. */
int32_t		sr_zones_days_from_civil(int year, int month, int day);
void		sr_zones_civil_from_days(int32_t days, int *year, int *month, int *day);

/* Shannon diversity -sum p ln p of counts (natural log); NaN when the total
 * is zero. */
double		sr_zones_shannon(const int64_t *counts, int n);

/* ---- inputs ---------------------------------------------------------------- */

typedef struct sr_zones_data
{
	/* zones: polygons or multipolygons (WKB), metric projected SRID */
	size_t		nzones;
	const int64_t *zone_id;
	const unsigned char *const *zone_wkb;
	const size_t *zone_wkb_len;

	/* parcels: polygons or multipolygons; land_unit_id[i] may be NULL */
	size_t		nparcels;
	const char *const *parcel_id;
	const unsigned char *const *parcel_wkb;
	const size_t *parcel_wkb_len;
	const char *const *land_unit_id;

	/* buildings: footprints; levels >= 1 (the glue counts NULL as 1) */
	size_t		nbuildings;
	const int64_t *building_id;
	const unsigned char *const *building_wkb;
	const size_t *building_wkb_len;
	const int32_t *levels;
	const int32_t *built_year;	/* SR_ZONES_NO_YEAR when unknown */

	/* establishments: points; start_day may be NO_DATE (active since ever),
	 * end_day NO_DATE (still active); end is the last day of activity */
	size_t		nestabs;
	const char *const *siret;
	const unsigned char *const *estab_wkb;
	const size_t *estab_wkb_len;
	const char *const *naf;
	const char *const *band;
	const int32_t *start_day;
	const int32_t *end_day;
	const bool *cfe_liable;
} sr_zones_data;

/* Placement of every object (sr_zones_build).  Arrays are sr_alloc'ed. */
typedef struct sr_zones_model
{
	size_t		nzones,
				nparcels,
				nunits,
				nbuildings,
				nestabs;
	double	   *zone_area;		/* m2 */
	int32_t    *zone_order;		/* zone indexes sorted by zone_id */
	double	   *parcel_area;	/* m2 */
	int32_t    *parcel_zone;	/* zone index or -1 */
	int32_t    *parcel_unit;	/* land unit index */
	const char **unit_key;		/* land_unit_id, or parcel_id of a single */
	int32_t    *unit_zone;		/* zone index or -1 */
	double	   *unit_area;		/* m2, all its parcels */
	double	   *unit_zone_area; /* m2 of its parcels inside its zone: read
								 * it through sr_zones_unit_ground_ha; 0
								 * outside the zones */
	int32_t    *unit_nparcels;
	uint8_t    *unit_settled;	/* 1 when its zone holds it whatever other
								 * zones a call adds (more than half its
								 * area on parcels each more than half in
								 * the zone), else 0; also 0 outside */
	double	   *building_area;	/* m2 */
	int32_t    *building_parcel;	/* parcel index or -1 */
	int32_t    *estab_parcel;	/* parcel index or -1 */
	int8_t	   *estab_section;
	int8_t	   *estab_band;
	int64_t		parcels_outside;
	int64_t		buildings_off_parcel;
	int64_t		estabs_off_parcel;
	int32_t		srid;			/* SRID of the inputs (EWKB), 0 if none */
	void	   *geos;			/* GEOS state while building (internal) */
} sr_zones_model;

/* Zero a model before sr_zones_build (so that cleanup is always safe). */
void		sr_zones_model_init(sr_zones_model *m);
/* Release the GEOS handle and geometries held during a build; safe to call
 * twice and from a memory-context reset callback after an error. */
void		sr_zones_model_release_geos(sr_zones_model *m);
/* Free the model's arrays and GEOS state. */
void		sr_zones_model_free(sr_zones_model *m);

/* Validate the inputs and place every object.  Errors (SR_EGEOM, SR_EDATA,
 * SR_EINVAL) name the offending row: invalid or overlapping zones, parcels
 * overlapping one another (SR_ZONES_PARCEL_OVERLAP_M2), bad WKB,
 * duplicate ids, unknown NAF code or headcount band, end before start. */
sr_status	sr_zones_build(const sr_zones_data *in, sr_zones_model *m, sr_err *err);

/* Ground two parcels of the input may share, in square metres of the
 * SRID, before they are refused as overlapping: the slivers along the shared
 * edges of a real cadastre are below it (0.17 m2 at most between the 5,716
 * Etalab parcels of 91479 and 91326, the demo's), a parcel kept beside its
 * own divisions is far above (AB0147 of 91479: 50.26 ha). */
#define SR_ZONES_PARCEL_OVERLAP_M2 1.0

/* What zone_indicators (and the functions reading the same four inputs)
 * hold for one input row until they end (its converted values, its GEOS
 * geometry, the model), in bytes: a row, and a point of its geometry as
 * sr_hold_row_bytes counts them (sr_geom.h).  Fitted on bench/zones.sh's
 * region at two sizes (180,767 and 541,547 rows) with its parcels as
 * rectangles and as 101-point rectangles (docs/zones.md, "Memory"):
 * 276 bytes a row and 36.2-36.7 a point, rounded up. */
#define SR_ZONES_HOLD_ROW 280.0
#define SR_ZONES_HOLD_POINT 37.0

/* ---- per-zone indicators --------------------------------------------------- */

typedef struct sr_zone_ind
{
	int64_t		zone_id;
	double		area_ha;
	double		parcel_area_m2;
	int64_t		land_units;
	int64_t		vacant_land_units;
	double		vacancy_rate;		/* NaN when no land unit */
	double		built_m2;
	double		floor_m2;
	double		footprint_ratio;	/* NaN when no parcel area */
	double		floor_area_ratio;
	int64_t		establishments;		/* active on the date */
	double		jobs_estimate;
	double		jobs_per_ha;
	double		available_land_ha;
	int64_t		built_land_units;
	int64_t		sector_n[SR_ZONES_NSECTIONS];	/* establishments */
	double		sector_jobs[SR_ZONES_NSECTIONS];
	double		sector_diversity;	/* NaN when no establishment */
	int64_t		never_occupied_land_units;	/* no establishment ever: not
											 * vacant (L318-8-2), apart */
} sr_zone_ind;

/* Vacancy reasons of sr_zones_vacancy. */
typedef enum sr_vacancy_reason
{
	SR_VAC_ACTIVE_CFE = 0,		/* not vacant: CFE-liable activity in window */
	SR_VAC_OCCUPIED_NON_CFE,	/* not vacant: occupied, activity not liable */
	SR_VAC_NEVER_OCCUPIED,		/* not vacant: no establishment before the
								 * date, so not "no longer" assigned */
	SR_VAC_NO_ACTIVITY_SINCE	/* vacant: last activity ended before window */
} sr_vacancy_reason;

const char *sr_zones_vacancy_reason_name(sr_vacancy_reason r);

/* The ground of land unit u that its zone's land figures count, in ha: the
 * parts of its parcels inside the zone the unit is placed in (a parcel
 * inside counts whole, a parcel straddling the boundary its part inside,
 * even when the parcel itself is placed in the next zone; a parcel in no
 * zone nothing), 0 for a unit in no zone.  The one rule of the zone's
 * available land (sr_zones_indicators) and consumed and undated land
 * (sr_zones_land_consumption): a unit's parts outside its zone are not the
 * zone's ground. */
double		sr_zones_unit_ground_ha(const sr_zones_model *m, size_t u);

/* The zone (index) of establishment i: its land unit's, -1 when it is on no
 * parcel or its unit is in no zone (zone_indicators counts it there). */
int32_t		sr_zones_estab_zone(const sr_zones_model *m, size_t i);

typedef struct sr_unit_vacancy
{
	bool		vacant;
	sr_vacancy_reason reason;
	int32_t		last_activity_end;	/* last day of the latest ended activity
									 * before the date, NO_DATE if none */
	int32_t		last_cfe_end;		/* same, CFE-liable activities only */
	int32_t		establishments_ever;	/* started before the date */
	int32_t		buildings;		/* standing in the year of the date
								 * (sr_zones_building_stands) */
} sr_unit_vacancy;

/* Statutory vacancy (Code de l'urbanisme L318-8-2) of every land unit on the
 * 1 January ref_day: the unit is vacant when an establishment occupied it
 * before and none was active (CFE-liable or not) on any day of
 * [ref - 2 years, ref - 1 day].  A unit no establishment ever occupied
 * (reason never_occupied) is not vacant: the statute counts the units "qui
 * ne sont plus affectées" (no longer assigned). 
 * With cfe_only, only CFE-liable establishments count (a unit occupied by
 * non-liable establishments only is then vacant, reason occupied_non_cfe).
 * out has m->nunits entries. */
sr_status	sr_zones_vacancy(const sr_zones_data *in, const sr_zones_model *m,
							 int32_t ref_day, bool cfe_only,
							 sr_unit_vacancy *out, sr_err *err);

/* Whether building i stands in the year `year`: its built_year is unknown
 * (it exists today, the data do not date it) or not later than year. */
bool		sr_zones_building_stands(const sr_zones_data *in, size_t i, int year);

/* Indicators of every zone (out has m->nzones entries, in zone_order):
 * establishments and jobs count those active on at_day, vacancy is tested
 * on ref_day (the 1 January of at_day's year) with the rule of
 * sr_zones_vacancy; the buildings (built_m2, floor_m2, built_land_units,
 * available_land_ha) are those standing in the year of at_day
 * (sr_zones_building_stands). */
sr_status	sr_zones_indicators(const sr_zones_data *in, const sr_zones_model *m,
								int32_t at_day, int32_t ref_day, bool cfe_only,
								sr_zone_ind *out, sr_err *err);

/* First year a land unit got built: min built_year over the buildings on its
 * parcels; SR_ZONES_NO_YEAR if it has none; SR_ZONES_UNDATED if any of them
 * has an unknown year (its first building may be that one, of any year: a
 * known later year would date as new consumption land already built).
 * out has m->nunits entries. */
sr_status	sr_zones_unit_first_built(const sr_zones_data *in,
									  const sr_zones_model *m, int32_t *out,
									  sr_err *err);

/* The ZAN trajectory (loi Climat et resilience, art. 191): land first
 * built per zone and year of [from_year, to_year], the 2011-2020 baseline,
 * the 2021-2030 allowance (half the baseline), consumption since 2021 and
 * what remains of the allowance, up to 2030 only: land consumed from 2031
 * on is not spent from the 2021-2030 allowance, and the next decade's is
 * set by the regional plans, so a later year has no remaining allowance
 * nor verdict (in_period false); nor has a year before 2021, when the
 * allowance is not yet being spent (its consumption since 2021 is
 * undefined too).  A land unit with a building of unknown year is undated
 * (sr_zones_unit_first_built): it is in no year, and each row of its zone
 * reports the zone's undated units and their area.  Areas are the units'
 * ground inside their zone (unit_zone_area).  A zone with no 2011-2020
 * consumption has no allowance (NaN, and no remaining nor verdict): the
 * law's envelope is territorial, not the zone's.  One row per zone (in
 * zone_id order) and year. */
#define SR_ZAN_BASE_FROM 2011
#define SR_ZAN_BASE_TO 2020
#define SR_ZAN_NEXT_FROM 2021
#define SR_ZAN_NEXT_TO 2030

typedef struct sr_zan_row
{
	int64_t		zone_id;
	int			year;
	int64_t		units_first_built;	/* land units first built that year */
	double		consumed_ha;	/* their ground inside the zone */
	double		baseline_ha;	/* first built 2011-2020 */
	double		allowance_ha;	/* half the baseline, for 2021-2030; NaN
								 * when the baseline is 0 (no pace of the
								 * zone's own to halve: NULL in SQL) */
	double		since_2021_ha;	/* first built from 2021 to this year; NaN
								 * before 2021 (NULL in SQL) */
	double		remaining_ha;	/* allowance - since_2021; NaN outside
								 * 2021-2030 or without an allowance */
	bool		within;			/* remaining >= 0 (false when NaN) */
	bool		in_period;		/* 2021 <= year <= 2030: the allowance applies
								 * (outside, remaining and within are
								 * undefined: NULL in SQL) */
	int64_t		undated_units;	/* the zone's land units with a building of
								 * unknown year (SR_ZONES_UNDATED): counted
								 * in no year nor the baseline */
	double		undated_ha;		/* their ground inside the zone */
} sr_zan_row;

/* from_year in [1800, 2200], to_year in [from_year, from_year + 400]. */
sr_status	sr_zones_zan_years_check(int from_year, int to_year, sr_err *err);

/* Checks the years (sr_zones_zan_years_check).
 * *rows is sr_alloc'd, *nrows = nzones * (to - from + 1). */
sr_status	sr_zones_land_consumption(const sr_zones_data *in,
									  const sr_zones_model *m, int from_year,
									  int to_year, sr_zan_row **rows,
									  size_t *nrows, sr_err *err);

/* ---- statistical secrecy --------------------------------------------------- */

/* A two-dimensional table of R x C interior cells plus margins, stored as an
 * (R+1) x (C+1) row-major array: index r*(C+1)+c, row R holds the column
 * totals, column C the row totals, (R, C) the grand total.  Each cell has a
 * count n (units) and a value; both are protected.  docs/zones.md states the
 * attacker model and the guarantee. */
typedef struct sr_secrecy_rules
{
	double		min_units;			/* primary: 0 < n < min_units (3) */
	double		dominance;			/* primary: max unit > dominance * value (0.85) */
	double		fiscal_min_units;	/* primary for fiscal cells: n < 11 */
	double		protection_level;	/* required interval, share of the value (0.10) */
	bool		bands;				/* zone_indicators and the exports: jobs must not
									 * give away headcount bands (true) */
} sr_secrecy_rules;

void		sr_secrecy_default_rules(sr_secrecy_rules *rules);

/* Options of zone_indicators (sr_options.h), rules nested as "rules". */
typedef struct sr_zones_opts
{
	bool		published;		/* zone x NAF table through secrecy */
	bool		fiscal;			/* cells are fiscal (11-unit rule) */
	int			vacancy_rule;	/* SR_ZONES_VACANCY_STATUTORY or _CFE_ONLY */
	sr_secrecy_rules rules;
	bool		not_for_publication;	/* published with weaker rules: for checking */
} sr_zones_opts;

#define SR_ZONES_VACANCY_STATUTORY 0
#define SR_ZONES_VACANCY_CFE_ONLY 1

extern const sr_optset sr_zones_optset;		/* zone_indicators */

/* The enterprise of establishment i: its SIREN (the first 9 digits) when siret
 * is the 14 digits of a SIRET, else -1 - i (an enterprise of its own, meeting
 * no SIREN).  The unit of statistical secrecy (zones_indicators.c). */
int64_t		sr_zones_enterprise_key(const char *siret, size_t i);

/* What a publication listing establishments one by one withholds, zone by
 * zone, must pass the primary rules itself (zones_residual.c): for each of
 * the n establishments, its zone, SIRET, jobs, whether it counts in its
 * zone's published total (in_total) and whether it would be listed (listed,
 * in: only those in_total; out: listed ones withheld, the smallest first,
 * until the withheld ones of each zone hold min_units enterprises
 * (fiscal_min_units when fiscal) and none of them more than the dominance
 * share of their jobs; and, when jobs_known says the zone's jobs are published
 * (NULL: all are), their bands do not follow from their jobs:
 * sr_zones_bands_protected, and no withheld band follows from the published
 * cells' dominance beside their listed bands either: cell[i] is the published
 * cell of establishment i, < 0 for a suppressed one, whose members form one
 * group); and, per cell (NULL: no cells), the withheld members of a cell with
 * listed ones hold min_units enterprises, else none of the cell is listed.
 * withdrawn, when not NULL, counts the establishments withheld that way. */
sr_status	sr_zones_residual_listing(size_t n, const int64_t *zone, const char *const *siret,
									  const double *jobs, const int32_t *cell, const bool *in_total,
									  const bool *jobs_known, bool *listed,
									  const sr_secrecy_rules *rules, bool fiscal,
									  size_t *withdrawn, sr_err *err);

/* Whether secrecy rules protect less than the defaults (fewer units, a larger
 * dominance share, a lower protection level): a file made with them must not
 * be published. */
bool		sr_secrecy_rules_weaker(const sr_secrecy_rules *r);
/* Whether secrecy rules differ from the defaults in any rule, weaker or
 * stricter: a published table takes the defaults only, since two rule sets
 * give two patterns of one table, whose comparison gives cells back. */
bool		sr_secrecy_rules_other(const sr_secrecy_rules *r);
/* Whether two rule sets are the same in every rule. */
bool		sr_secrecy_rules_same(const sr_secrecy_rules *a, const sr_secrecy_rules *b);
/* The rules as a JSON object (option "rules"), for messages. */
void		sr_secrecy_rules_format(const sr_secrecy_rules *r, char *buf, size_t len);
/* Whether a publication may take call_rules (NULL: none passed, the set
 * applies): they must be the hub's set (hub_rules), or the defaults when the
 * hub has none (NULL); SR_EINVAL otherwise (zones_options.c). */
sr_status	sr_secrecy_rules_publication(const sr_secrecy_rules *call_rules,
										 const sr_secrecy_rules *hub_rules, const char *hub,
										 sr_err *err);
/* What the caller of sr_secrecy_rules_set_check knows of a hub's zones:
 * never held one, held one (a zone, an earlier contour in zae_zone_history or
 * a recorded write of zae_zones seen), or cannot tell (none seen, but
 * row-level security may hide some from it). */
typedef enum sr_zones_ever
{
	SR_ZONES_NEVER = 0,
	SR_ZONES_HELD = 1,
	SR_ZONES_UNSEEN = 2
} sr_zones_ever;

/* Whether a hub's set may change from old_rules to new_rules (NULL: none,
 * the defaults): never weaker than the defaults, and changed only while the
 * hub has never held a zone (zones_ever SR_ZONES_NEVER; SR_ZONES_UNSEEN fails
 * closed); *frozen marks that refusal. */
sr_status	sr_secrecy_rules_set_check(const sr_secrecy_rules *old_rules,
									   const sr_secrecy_rules *new_rules, sr_zones_ever zones_ever,
									   const char *hub, bool *frozen, sr_err *err);

/* Whether a group of k establishments whose jobs (sums of band midpoints)
 * are published within [lo, hi], and which passed the dominance rule (none of
 * it above dominance x its jobs; 1: no such rule), is protected: for every
 * midpoint, some multiset of k midpoints, none above that share, summing into
 * the window avoids it (zones_residual.c).  Windows above
 * SR_ZONES_BAND_CHECK_HALVES half jobs are not checked: not protected. */
#define SR_ZONES_BAND_CHECK_HALVES 131072
sr_status	sr_zones_bands_protected(long k, double lo, double hi, double dominance, bool *protected,
									 sr_err *err);

/* sr_zones_bands_protected for a zone whose published cells (cell_mix:
 * ncells x SR_ZONES_NBANDS counts of their establishments by band) each
 * passed the dominance rule, which the attacker knows, beside its suppressed
 * ones (rest_mix: their counts by band, together): whether no midpoint
 * follows from the zone's jobs and counts under those constraints too
 * (zones_residual.c).  A midpoint whose groups cannot be rearranged alone
 * goes through the attacker's programme on few mobile members of each group
 * (those holding it and SR_ZONES_BAND_CELLS_MOBILE others), then, when that
 * finds no assignment, on all of them (exact), within the zone's budget of
 * SR_ZONES_BAND_CELLS_WORK word operations; a zone left undecided by the
 * budget is not protected (fail closed).  dominance: a positive share
 * (SR_EINVAL otherwise; 1 or more: no dominance rule). */
#define SR_ZONES_BAND_CELLS_WORK 1.0e8
#define SR_ZONES_BAND_CELLS_MOBILE 32
sr_status	sr_zones_bands_cells_protected(int ncells, const long *cell_mix, const long *rest_mix,
										   double dominance, bool *protected, sr_err *err);
/* The same with mobile members per group (< 0: all), and whether the exact
 * programme follows when they find no assignment (false: protected only when
 * the mobile members prove it; the tests' handle on the first stage). */
sr_status	sr_zones_bands_cells_check(int ncells, const long *cell_mix, const long *rest_mix,
									   double dominance, long mobile, bool then_all, bool *protected,
									   sr_err *err);

/* For each zone of a published view: whether its jobs estimate may be shown
 * (sr_zones_bands_protected over its active establishments and exact jobs). */
sr_status	sr_zones_jobs_protected(const sr_zone_ind *ind, size_t nzones, double dominance, bool *jobs_ok,
									sr_err *err);

/* The rules between options: a published table cannot use the vacancy rule
 * cfe_only (it would disclose CFE liability, which is fiscal secrecy). */
sr_status	sr_zones_opts_check(const sr_zones_opts *o, sr_err *err);
extern const sr_optset sr_secrecy_optset;	/* statistical_secrecy's rules */

/* Validate rules against sr_secrecy_optset's ranges (the messages of
 * sr_option_set_number). */
sr_status	sr_secrecy_check_rules(const sr_secrecy_rules *rules, sr_err *err);

/* Cell status / reason bits. */
#define SR_SECRET_PUBLISHED 0
#define SR_SECRET_PRIMARY 1
#define SR_SECRET_SECONDARY 2

#define SR_SECRET_R_MIN_UNITS 1
#define SR_SECRET_R_DOMINANCE 2
#define SR_SECRET_R_FISCAL 4

/* Index the row (or column) keys of n cells: idx[i] receives the rank of
 * keys[i] among the distinct keys in byte order (strcmp), *distinct
 * (sr_alloc'd, pointing into keys) those keys in that order.  Returns their
 * number, -1 when out of memory.  Hashes, so checks interrupts. */
int32_t		sr_secrecy_index_keys(const char *const *keys, size_t n, int32_t *idx,
								  const char ***distinct);

/* One cell of statistical_secrecy's input, named by its keys: n and value
 * finite and >= 0 (else SR_EDATA), a value only with at least one unit
 * (n = 0 with value > 0 is a cell no unit contributes to that yet holds a
 * value: SR_EINVAL), max_value (0 when absent) not above the value
 * (SR_EDATA). */
sr_status	sr_secrecy_check_cell(const char *row_key, const char *col_key, double n,
								  double value, double max_value, sr_err *err);

/* The largest count of a cell, and of the table's grand total, that
 * statistical_secrecy accepts: counts and their sums are exact in a double
 * up to 2^53. */
#define SR_SECRECY_MAX_COUNT (((int64_t) 1) << 53)

/* statistical_secrecy's input rows as read from cells_sql, one entry per
 * row: the indexes of its keys (sr_secrecy_index_keys), n, value, and the
 * optional max_value and fiscal (a NULL array: the column is absent, every
 * row NULL; a NULL *_null array: no row is NULL). */
typedef struct sr_secrecy_rows
{
	size_t		nrows;
	const int32_t *row;
	const int32_t *col;
	const int64_t *n;
	const double *value;
	const double *max_value;
	const bool *max_null;
	const bool *fiscal;
	const bool *fiscal_null;
} sr_secrecy_rows;

/*
 * Place the rows into the cells of an R x C table with margins (arrays of
 * (R+1)*(C+1) entries, present zeroed by the caller; a NULL max_value counts
 * 0, a NULL fiscal false) and check them, in an order that does not depend
 * on the order of the rows (a query without ORDER BY returns them in any
 * order, and a synchronised scan may change it from one call to the next):
 *   1. the table's structure: a cell listed more than once.  *duplicate
 *      receives the first such cell in key order (row_key, then col_key, in
 *      byte order; -1 when none) and SR_EDATA is returned; the caller may
 *      raise its own SQLSTATE for it (statistical_secrecy: 23505);
 *   2. then each cell in the same key order: sr_secrecy_check_cell, then its
 *      count against SR_SECRECY_MAX_COUNT (SR_ERANGE), then the running
 *      total of the counts (SR_ERANGE, naming the cell that passes it).
 * A row that is both a duplicate and a bad cell is reported as the
 * duplicate: a cell split over several rows (a join that multiplied them, a
 * GROUP BY on one column too many) is what usually makes its parts' values
 * wrong as well (a max_value of the whole cell above a part's value).
 * rk and ck are the distinct keys in byte order (sr_secrecy_index_keys).
 */
sr_status	sr_secrecy_read_cells(const sr_secrecy_rows *in, int R, int C,
								  const char *const *rk, const char *const *ck,
								  double *n, double *value, double *max_value, bool *fiscal,
								  bool *present, int64_t *duplicate, sr_err *err);

/* Fill the margins of a table from its interior cells: n and value are
 * summed, max_value is the max, fiscal is the OR.  All arrays have
 * (R+1)*(C+1) entries. */
void		sr_secrecy_fill_margins(int nrows, int ncols, double *n, double *value,
									double *max_value, bool *fiscal);

/* Protection level of a primary cell on its value (the attacker's interval
 * must reach value + upper and value - lower): the largest of
 * protection_level * value (min_units, fiscal_min_units) and
 * max_value / dominance - value (dominance, tau-ARGUS's level of the (1, k)
 * rule); lower is capped at the value.  Both are 0 for a cell failing no
 * rule. */
void		sr_secrecy_levels(const sr_secrecy_rules *rules, uint8_t reason,
							  double value, double max_value,
							  double *upper, double *lower);

/* Primary then secondary suppression.  status[] receives PUBLISHED, PRIMARY
 * or SECONDARY, reason[] the primary reason bits.  present[] (may be NULL:
 * then a cell is present when its n or value is non-zero) marks the interior
 * cells that exist; absent cells are structural zeros the attacker knows and
 * are never suppressed (margins are always present).  After the call:
 *  - no suppressed cell's count or value is determined by the published
 *    cells (the attacker's interval, for counts its integer interval, has
 *    positive width);
 *  - the attacker's interval of every primary cell's value reaches
 *    sr_secrecy_levels above and below it;
 * for the attacker who knows every published cell, the table's additivity,
 * that values are >= 0 and that counts are >= 0 and >= 1 for non-empty
 * cells.  Secondary cells are chosen by cost (docs/zones.md).  Checks
 * interrupts. */
sr_status	sr_secrecy_protect(int nrows, int ncols, const double *n,
							   const double *value, const double *max_value,
							   const bool *fiscal, const bool *present,
							   const sr_secrecy_rules *rules,
							   uint8_t *status, uint8_t *reason, sr_err *err);

/* sr_secrecy_protect where the rules' unit count differs from the published
 * count: min_units and fiscal_min_units test units[] (e.g. enterprises),
 * while n[] (e.g. establishments, additive over the table) is the count the
 * attacker sees, is protected and enters the cost.  units == NULL: n.  A
 * cell's units must not exceed its n (units are groups of the counted
 * items), which keeps the count protection computed on n exact. */
sr_status	sr_secrecy_protect_units(int nrows, int ncols, const double *n,
									 const double *units, const double *value,
									 const double *max_value, const bool *fiscal,
									 const bool *present,
									 const sr_secrecy_rules *rules,
									 uint8_t *status, uint8_t *reason,
									 sr_err *err);

/* Suppression cost of a published cell (docs/zones.md): fewest units, then
 * smallest value, interior cells before totals.  grand_value is the table's
 * total value. */
double		sr_secrecy_cost(double n, double value, bool total, double grand_value);

/* The attacker's exact bounds, by maximum flow on the table's network.
 * values[] is one measure of the extended table, lower[] the a priori lower
 * bounds the attacker knows (NULL: 0), present[] as for sr_secrecy_protect
 * (NULL: every cell present), status[] the suppression pattern.  For every
 * suppressed cell, lo[i] and hi[i] (may be NULL) receive the smallest and
 * largest value the cell takes over all tables agreeing with the published
 * cells (hi = INFINITY when unbounded; published cells get their value), and
 * recoverable[i] is 1 when the cell is determined (hi - lo <= 1e-9 relative;
 * with integer = true, when [lo, hi] holds a single integer).  Returns the
 * number of recoverable cells, -1 on allocation failure.  Exact, but one
 * maximum flow per suppressed cell and direction: meant for tests and
 * small tables. */
int			sr_secrecy_audit(int nrows, int ncols, const double *values,
							 const double *lower, const bool *present,
							 const uint8_t *status, bool integer,
							 uint8_t *recoverable, double *lo, double *hi);

/* The cells of the zone x NAF-section table of zone_indicators, each
 * array (nzones + 1) x (SR_ZONES_NSECTIONS + 1), rows in zone_order, margins
 * last, over the establishments placed in a zone and active on at_day:
 * n[] the establishments and value[] their jobs (what zone_indicators
 * shows; margins are sums), units[] the distinct enterprises and
 * max_value[] the largest jobs of one enterprise in the cell.  Margins are
 * counted directly: an enterprise in two sections of a zone is one unit of
 * the zone total, and its jobs there are summed over both.  The enterprise
 * is the SIREN (first 9 digits) of a 14-digit siret; any other siret is an
 * enterprise of its own.  O(n) with a hash of the enterprises. */
sr_status	sr_zones_secrecy_cells(const sr_zones_data *in,
								   const sr_zones_model *m, int32_t at_day,
								   double *n, double *units, double *value,
								   double *max_value, sr_err *err);

/* Status of the zone x NAF-section table of zone_indicators (the cells of
 * sr_zones_secrecy_cells) through statistical secrecy, the rules counting
 * enterprises: status[(nzones + 1) x (SR_ZONES_NSECTIONS + 1)], margins
 * last.  Each zone is protected as a one-row table of its own (no section
 * total across zones is published), so its pattern does not depend on the
 * other zones of the call; the section totals and the grand total, never
 * shown, are SECONDARY.  When fiscal, every cell the non-fiscal pattern
 * suppresses is suppressed too (SECONDARY if the fiscal one publishes it), so
 * the fiscal release shows nothing the non-fiscal one hides.  A zone counting an active establishment of a land
 * unit that is not settled in it (unit_settled 0: another call, with other
 * zones, may place the unit elsewhere) has every cell SECONDARY, its total
 * included (sr_zones_zone_unsettled), and so has a zone whose in_scope is
 * false (sr_zones_zone_withheld; in_scope NULL: every zone in scope).
 * Needs nzones >= 1. */
sr_status	sr_zones_publish_status(const sr_zones_data *in,
									const sr_zones_model *m, int32_t at_day,
									bool fiscal, const sr_secrecy_rules *rules,
									const bool *in_scope, uint8_t *status, sr_err *err);

/* Whether zone_indicators' published view may show establishments_off_parcel
 * (the establishments of the input on no parcel, or with no point): a count
 * cell of its own, shown unless its enterprises (sr_zones_enterprise_key)
 * fail the primary rules of a count, 0 < enterprises < min_units, or
 * < fiscal_min_units when fiscal (zones_indicators.c).  0 is shown. */
sr_status	sr_zones_off_parcel_shown(const sr_zones_data *in, const sr_zones_model *m,
									  bool fiscal, const sr_secrecy_rules *rules, bool *shown,
									  sr_err *err);

/* The call-wide data-quality counts of zone_indicators (the same on every
 * row): parcels_outside_zones, establishments_off_parcel and
 * buildings_off_parcel.  They count objects of no zone, so no zone's scope
 * holds them. */
typedef struct sr_zones_call_counts
{
	bool		parcels_outside;	/* parcels_outside_zones shown */
	bool		estabs_off_parcel;	/* establishments_off_parcel shown */
	bool		buildings_off_parcel;	/* buildings_off_parcel shown */
} sr_zones_call_counts;

/* Which call-wide counts zone_indicators' published view shows.  For a
 * caller that row-level security filters (filtered: the glue's
 * _zones_publication_scope judged its zones), none: they are counts of the
 * rows it reads, of every territory's parcels, buildings and establishments
 * that lie in no zone or on no parcel, so they differ from the platform's by
 * the other territories' hidden rows and tell that such a row exists (a
 * published figure is the whole population's or is not published).  Not
 * counted over the caller's scope instead: those objects belong to no zone,
 * and a count over its territories would be a figure the platform does not
 * publish, its difference from the platform's the other territories' count,
 * 1 or 2 enterprises included.  Otherwise every one is shown but
 * establishments_off_parcel when it fails the primary rules
 * (sr_zones_off_parcel_shown). */
sr_status	sr_zones_call_counts_shown(const sr_zones_data *in, const sr_zones_model *m,
									   bool fiscal, const sr_secrecy_rules *rules,
									   bool filtered, sr_zones_call_counts *shown,
									   sr_err *err);

/* For each zone of zone_indicators' published view (rows in zone_id order,
 * status from sr_zones_publish_status): whether its jobs may be shown, the
 * band check made with its cells (sr_zones_bands_cells_protected over its
 * active establishments); zones whose total is suppressed get true (their
 * jobs are hidden anyway). */
sr_status	sr_zones_jobs_protected_cells(const sr_zones_data *in, const sr_zones_model *m,
										  int32_t at_day, const uint8_t *status, double dominance,
										  bool *jobs_ok, sr_err *err);

/* The band check of zone_indicators' published view (status from
 * sr_zones_publish_status with the same fiscal, rules and in_scope): when
 * fiscal, a zone's jobs pass only if they pass under the non-fiscal pattern
 * too, which both releases may show beside them (zones_indicators.c). */
sr_status	sr_zones_jobs_published(const sr_zones_data *in, const sr_zones_model *m,
									int32_t at_day, bool fiscal, const sr_secrecy_rules *rules,
									const bool *in_scope, const uint8_t *status, bool *jobs_ok,
									sr_err *err);

/* For each zone (rows in zone_id order, unsettled[nzones]): whether it
 * counts an establishment active on at_day of a land unit whose placement
 * depends on the zones of the call (unit_settled 0).  Such a zone's
 * establishment figures differ between calls holding different zones, and
 * the difference is the unit's establishments, which no secrecy protects:
 * the published view withholds them (sr_zones_publish_status). */
sr_status	sr_zones_zone_unsettled(const sr_zones_data *in, const sr_zones_model *m,
									int32_t at_day, bool *unsettled, sr_err *err);

/* For each zone (rows in zone_id order, withheld[nzones]): whether the
 * published view withholds it whole: unsettled (sr_zones_zone_unsettled), or
 * out of the caller's scope, in_scope[k] false for the zone of input index k
 * (in_scope NULL: a caller that reads the whole population, every zone in
 * scope; the glue passes flags for a filtered caller only).  A caller that row-level security
 * filters reads the whole population only of the zones lying wholly inside
 * its own territories (the glue's test, _zones_publication_scope): a
 * published figure is the figure of the whole population, or it is not
 * published, so the same published call gives the same figures or none,
 * whoever makes it (docs/zones.md, red team routes). */
sr_status	sr_zones_zone_withheld(const sr_zones_data *in, const sr_zones_model *m,
								   int32_t at_day, const bool *in_scope, bool *withheld,
								   sr_err *err);

/* For each zone (rows in zone_id order, out_of_scope[nzones]): whether it
 * is out of the caller's scope, in_scope[k] false for the zone of input
 * index k (in_scope NULL: none is).  Not the unsettled zones: only these.
 * The published view withholds such a zone's land figures too (land units,
 * parcel area, vacancy, buildings, available land): row-level security
 * filters the caller's parcels as its establishments, so the figures it
 * reads of a zone over another territory are not the whole population's,
 * and their difference from the platform's tells that a unit of that
 * territory exists or is occupied.  Its own geometry (zone_id, area_ha)
 * stays. */
void		sr_zones_zone_out_of_scope(const sr_zones_model *m, const bool *in_scope,
									   bool *out_of_scope);

/* ---- earlier contours of the zones (zones_history.c) ------------------------ */

/* The land units settled in each of ncontours extra contours (EWKB, the
 * model's SRID; contour_id names each in errors), by the placement's rules
 * (a parcel's share of the contour measured as for a zone, then the settled
 * rule), each contour judged alone: they may overlap one another and the
 * model's zones.  start[ncontours + 1] and *units (sr_alloc'ed, increasing
 * unit indexes per contour, NULL when none) in CSR form.  Holds its GEOS
 * state in m->geos meanwhile (freed by sr_zones_model_release_geos, also
 * from a reset callback after an error). */
sr_status	sr_zones_contours_settled(const sr_zones_data *in, sr_zones_model *m, size_t ncontours,
									  const unsigned char *const *wkb, const size_t *len,
									  const int64_t *contour_id, size_t *start, int32_t **units,
									  sr_err *err);

/* Whether the difference between two releases of a zone may be published:
 * one side of it (the active establishments of the land units one contour
 * counts and the other does not) as cells, SR_ZONES_NSECTIONS sections then
 * the total, each with units (enterprises), value (jobs) and max_value (the
 * largest enterprise's jobs), and estabs its establishments.  *publishable
 * is false when a cell with units fails a primary rule (0 < units <
 * min_units, < fiscal_min_units when fiscal, max_value > dominance x value)
 * or, with rules->bands, the side's jobs give its bands away
 * (sr_zones_bands_protected over estabs establishments).  An empty side
 * (estabs 0) is publishable. */
sr_status	sr_zones_difference_publishable(const double *units, const double *value,
											const double *max_value, long estabs, bool fiscal,
											const sr_secrecy_rules *rules, bool *publishable,
											sr_err *err);

/* For each zone of the call (input order, withheld[nzones]): whether the
 * published view withholds it because of an earlier contour.  The pairs
 * (pair_zone[k], an input index of the zones; pair_contour[k], an index of
 * the contours) are the earlier contours overlapping each zone.  For each
 * pair, the active establishments on at_day of the land units settled in the
 * zone and not in the contour (sr_zones_contours_settled), and those of the
 * units settled in the contour and not in the zone, are each tested with
 * sr_zones_difference_publishable: a release of the zone beside one of the
 * earlier contour gives their difference, those units' establishments, away.
 * Units only, establishments of the same units: a redraw moving no unit
 * withholds nothing.  A pair whose pair_always[k] is true (NULL: none; the
 * glue's: a contour of another territory than the zone's) withholds its zone
 * whatever the difference, so that whether the zone is published tells
 * nothing of the establishments to the territory that drew the contour (the
 * third red team, docs/zones.md). */
sr_status	sr_zones_history_withheld(const sr_zones_data *in, sr_zones_model *m, int32_t at_day,
									  bool fiscal, const sr_secrecy_rules *rules, size_t ncontours,
									  const unsigned char *const *wkb, const size_t *len,
									  const int64_t *contour_id, size_t npairs,
									  const int32_t *pair_zone, const int32_t *pair_contour,
									  const bool *pair_always, bool *withheld, sr_err *err);

#endif							/* SR_ZONES_H */
