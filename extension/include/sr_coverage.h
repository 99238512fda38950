/*
 * sr_coverage.h — access to the nearest tiers-lieu (tiers-lieux coverage,
 * docs/matching.md "Tiers-lieux coverage"), on flat arrays.
 *
 * For every unit (a commune's representative point, a grid cell...) the
 * nearest premise, by great-circle distance or by travel time from a list
 * of (unit, premise, minutes) pairs, searched separately among the ordinary
 * premises and among the station coworkings (premises flagged "station"),
 * so that the caller can count the stations apart.
 *
 * Distances are haversine great-circle distances on a sphere of radius
 * SR_COV_EARTH_KM (IUGG mean Earth radius), as in the matching family.
 * The nearest-neighbour search goes through a k-d tree of the premises'
 * unit vectors: the chord between two points of the sphere grows with their
 * great-circle distance, so the nearest by chord is the nearest on Earth.
 * Ties go to the lower premise id, by the rule of SR_COV_TIE below.  The
 * result equals a brute-force scan (unit-tested).
 */
#ifndef SR_COVERAGE_H
#define SR_COVERAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "sr_common.h"

#define SR_COV_EARTH_KM 6371.0088

/*
 * The tie rule: a unit's nearest premise is, among the premises whose
 * distance (km) or travel time (minutes) is within SR_COV_TIE of the
 * smallest, the one of lowest id; so for each kind (ordinary, station) and
 * for the nearest of all.  Two premises at mathematically equal distances
 * (symmetric about the unit) get haversine distances that differ in their
 * last bits, by up to about 1e-12 km (rounding of the degrees' radians and
 * of the trigonometry); exact comparison let rounding choose.  1e-9 km is a
 * micrometre, a thousand times that rounding and far below any surveyed
 * place; 1e-9 minutes absorbs the rounding of travel times summed along a
 * route (pgRouting).  The limit is measured from the smallest distance, not
 * chained from premise to premise: whatever the order of the rows.
 */
#define SR_COV_TIE 1e-9

/* What tierslieux_coverage's search holds for one row of its queries until
 * it ends (smartregion.max_call_memory, docs/query-arguments.md), in
 * bytes, the three queries together; their points are fixed-size and
 * counted in the row.  Measured as the cadastre's
 * (docs/performance-cadastre.md, "Memory bound of the calls holding their
 * input"), between two sizes and from size to size: a unit of units_sql
 * (a commune: its code, name, population, point and three territory
 * codes) 461-577 bytes, a premise 152-178, a row of travel_sql 48-112
 * (the readers' arrays double), rounded up. */
#define SR_COV_HOLD_UNIT 600.0
#define SR_COV_HOLD_PREMISE 180.0
#define SR_COV_HOLD_TRAVEL 120.0

/* Great-circle distance in km between two WGS84 points (degrees). */
double		sr_cov_haversine_km(double lon1, double lat1, double lon2, double lat2);

/*
 * Nearest premise of each unit by great-circle distance.
 *   units: nu points (ulon, ulat in degrees); a NaN coordinate marks a unit
 *          without location (its results stay "none").
 *   premises: np points with ids (unique) and a station flag (NULL: none is
 *          a station).
 * Outputs (arrays of nu): near_id / near_km for the nearest ordinary
 * premise, st_id / st_km for the nearest station, all_id / all_km for the
 * nearest of all (SR_COV_TIE over both kinds together: its smallest
 * distance is the smaller of theirs); "none" is id 0 and NaN.
 * Errors: SR_EDATA for a duplicate id or a premise with a NaN coordinate,
 * SR_ERANGE for a latitude outside [-90, 90] or a longitude outside
 * [-180, 360].
 */
sr_status	sr_cov_nearest(int64_t nu, const double *ulon, const double *ulat,
						   int64_t np, const int64_t *pid, const double *plon,
						   const double *plat, const bool *pstation,
						   int64_t *near_id, double *near_km,
						   int64_t *st_id, double *st_km,
						   int64_t *all_id, double *all_km, sr_err *err);

/*
 * Nearest premise of each unit by travel time, from npairs (unit code,
 * premise id, minutes) pairs: the smallest minutes among the pairs of the
 * unit (ties by SR_COV_TIE), ordinary premises and stations apart, and of all.  Pairs naming an unknown unit
 * or premise are skipped; unit codes are unique (SR_EDATA otherwise), and
 * so are premise ids; minutes must be finite and >= 0 (SR_EDATA).  Outputs
 * as in sr_cov_nearest, in minutes.
 */
sr_status	sr_cov_travel(int64_t nu, const char *const *ucode,
						  int64_t np, const int64_t *pid, const bool *pstation,
						  int64_t npairs, const char *const *pair_unit,
						  const int64_t *pair_pid, const double *pair_min,
						  int64_t *near_id, double *near_min,
						  int64_t *st_id, double *st_min,
						  int64_t *all_id, double *all_min, sr_err *err);

/*
 * The rules on the units of tierslieux_coverage, checked before either
 * search: unit codes unique (a unit listed twice would count twice in its
 * parents' means and shares); a population, when given (pop not NULL, and
 * pop_given[u] when pop_given is not NULL), finite and >= 0; without travel
 * times (ulon, ulat not NULL) a location each (NaN: none) within range.
 * SR_EDATA naming the unit's code, SR_ERANGE for coordinates out of range.
 */
sr_status	sr_cov_check_units(int64_t nu, const char *const *ucode, const double *pop,
							   const bool *pop_given, const double *ulon, const double *ulat,
							   sr_err *err);

#endif							/* SR_COVERAGE_H */
