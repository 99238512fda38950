/*
 * sr_solar.h — solar physics core: NREL SPA sun position, sunrise/transit/
 * sunset, extraterrestrial irradiance, airmass, Ineichen clear sky, angle of
 * incidence, plane-of-array transposition (isotropic, Hay-Davies, Perez 1990).
 *
 * Conventions (pvlib's): angles in degrees, azimuths clockwise from north
 * (180 = south), tilt from horizontal, irradiance in W/m2, time as seconds
 * since 1970-01-01 00:00:00 UTC (a double; fractional seconds allowed).
 *
 * This header is the contract between the solar physics family (issue 3)
 * and the solar cadastre (issue 4): keep these signatures; add, don't change.
 */
#ifndef SR_SOLAR_H
#define SR_SOLAR_H

#include "sr_common.h"

/* Time-only part of SPA for one instant, shared by every site (bulk form). */
typedef struct sr_spa_time
{
	double		jd;				/* Julian day (UT) */
	double		jde;			/* Julian ephemeris day */
	double		nu;				/* apparent sidereal time at Greenwich, deg */
	double		alpha;			/* geocentric sun right ascension, deg */
	double		delta;			/* geocentric sun declination, deg */
	double		r_au;			/* earth radius vector, AU */
	double		eot_min;		/* equation of time, minutes */
	double		xi;				/* equatorial horizontal parallax of the sun, deg */
} sr_spa_time;

/* Result of a sun position computation. */
typedef struct sr_solpos
{
	double		zenith;			/* topocentric zenith, no refraction, deg */
	double		apparent_zenith;	/* with SPA refraction correction, deg */
	double		elevation;		/* 90 - zenith */
	double		apparent_elevation;	/* 90 - apparent_zenith */
	double		azimuth;		/* clockwise from north, deg */
	double		equation_of_time;	/* minutes */
} sr_solpos;

/* Fill the time-only part of SPA.  delta_t_s = TT - UT in seconds. */
sr_status	sr_spa_time_init(double unix_s, double delta_t_s, sr_spa_time *t,
							 sr_err *err);

/* Site part of SPA given a filled sr_spa_time (no validation: callers
 * validate lat/lon/pressure once, then call this in hot loops). */
void		sr_spa_site(const sr_spa_time *t, double lat, double lon,
						double elevation_m, double pressure_hpa,
						double temperature_c, sr_solpos *out);

/* Validating one-shot form: returns SR_EINVAL/SR_ERANGE with a message
 * naming the parameter and the accepted range on bad input. */
sr_status	sr_sun_position(double unix_s, double lat, double lon,
							double elevation_m, double pressure_hpa,
							double temperature_c, double delta_t_s,
							sr_solpos *out, sr_err *err);

/* Relative airmass models. */
typedef enum sr_airmass_model
{
	SR_AM_KASTENYOUNG1989 = 0,
	SR_AM_KASTEN1966,
	SR_AM_SIMPLE,
	SR_AM_PICKERING2002,
	SR_AM_YOUNGIRVINE1967,
	SR_AM_YOUNG1994,
	SR_AM_GUEYMARD1993
} sr_airmass_model;

/* Kasten-Young 1989 relative airmass of a zenith angle (deg); NaN when
 * zenith > 90 (sun below the horizon), as pvlib. */
double		sr_airmass_kastenyoung(double zenith_deg);

/* Perez 1990 sky diffuse on a tilted plane ('allsitescomposite1990').
 * cos_aoi = cosine of the angle of incidence (may be negative).
 * airmass_rel may be NaN when the sun is down (result then uses the
 * isotropic part only, as pvlib's handling of zenith > 87.5 deg).
 * Returns W/m2 (>= 0). */
double		sr_perez_sky_diffuse(double surface_tilt, double cos_aoi,
								 double solar_zenith, double dni, double dhi,
								 double dni_extra, double airmass_rel);

/* Cosine of the angle of incidence of the sun on a plane. */
double		sr_cos_aoi(double surface_tilt, double surface_azimuth,
					   double solar_zenith, double solar_azimuth);

/* ------------------------------------------------------------------------
 * Additions (issue 3).  Everything below extends the contract above.
 * ------------------------------------------------------------------------ */

/* SPA's validity range, years -2000 .. 6000 (proleptic Gregorian, UTC). */
#define SR_SPA_MIN_UNIX (-125281123200.0)
#define SR_SPA_MAX_UNIX (127206115200.0)

/* Validate the site parameters of SPA; messages name the parameter and
 * the accepted range (lat [-90,90], lon [-180,180], pressure [0,5000] hPa,
 * temperature [SR_SPA_TEMP_MIN, SR_SPA_TEMP_MAX] C, elevation
 * [-6500000,1e7] m). */
/* The temperature of the air the refraction of SPA's Eq. 42 crosses.  NREL's
 * spa.c accepts (-273, 6000], but the factor (P/1010)(283/(273+T)) of its
 * Bennett-Saemundsson formula is unbounded as T nears -273: at 5000 hPa and
 * -272.99 C the apparent zenith was -927.74.  Air on Earth spans -89.2 C
 * (Vostok) to 56.7 C (Death Valley); within [-100, 100] and pressures up to
 * 5000 hPa the factor is at most 8.1, refraction at most 5 degrees, and the
 * apparent zenith stays in [0, 180]. */
#define SR_SPA_TEMP_MIN (-100.0)
#define SR_SPA_TEMP_MAX 100.0
sr_status	sr_spa_validate_site(double lat, double lon, double elevation_m,
								 double pressure_hpa, double temperature_c,
								 sr_err *err);

/* Precomputed per-site constants of the topocentric correction. */
typedef struct sr_spa_site_pre
{
	double		sin_phi, cos_phi;	/* geographic latitude */
	double		x, y;			/* Eq. 36-37 */
	double		lon;
	double		sin_lon, cos_lon;
	double		refr;			/* (P/1010) (283/(273+T)) of Eq. 42 */
} sr_spa_site_pre;

/* Precomputed per-instant constants of the site part. */
typedef struct sr_spa_time_pre
{
	double		sin_hg, cos_hg;	/* of nu - alpha (hour angle at lon 0) */
	double		sin_delta, cos_delta;
	double		sin_xi;
	double		eot_min;
} sr_spa_time_pre;

void		sr_spa_site_prepare(double lat, double lon, double elevation_m,
								double pressure_hpa, double temperature_c,
								sr_spa_site_pre *p);
void		sr_spa_time_prepare(const sr_spa_time *t, sr_spa_time_pre *q);
/* Site part from precomputed constants: the hot loop of the bulk form
 * (no libm call but asin, atan2, tan). */
void		sr_spa_site_fast(const sr_spa_time_pre *q, const sr_spa_site_pre *p,
							 sr_solpos *out);

/* Bulk form: n_times instants x n_sites sites, out[i * n_sites + j];
 * elevation_m may be NULL (0 m).  Validates every input; computes the
 * time part once per instant. */
sr_status	sr_sun_positions_grid(const double *unix_s, int n_times,
								  const double *lat, const double *lon,
								  const double *elevation_m, int n_sites,
								  double pressure_hpa, double temperature_c,
								  double delta_t_s, sr_solpos *out,
								  sr_err *err);

/* Sunrise, sun transit (solar noon), sunset, with SPA Appendix A.2's
 * definitions (geocentric centre at -0.8333 deg) solved at each event's
 * instant with the full SPA positions.  The transit is the one in the local
 * day [day 00:00 - tz, +24 h); the sunrise is the one of the half day
 * before it (from the lower transit), the sunset the one of the half day
 * after it, NaN when the sun does not cross the horizon then.
 * Within a degree of a pole the sun may rise after the transit or set
 * before it (the declination's drift outruns the daily swing).
 * polar = 0 the sun rises or sets, 1 it is up at both lower transits and
 * the transit (polar day), -1 down at all three (polar night); on the
 * first or last day of a polar day or night one of sunrise/sunset may be
 * NaN with polar = 0. */
typedef struct sr_suntimes
{
	double		sunrise;
	double		transit;
	double		sunset;
	int			polar;
} sr_suntimes;

/* day_unix: any instant of the UTC calendar date (truncated to 00:00 UT);
 * tz_hours: offset of the local day from UTC (e.g. lon/15 or +1). */
sr_status	sr_sun_times(double day_unix, double lat, double lon,
						 double tz_hours, double delta_t_s, sr_suntimes *out,
						 sr_err *err);

/* ---------------- irradiance (solar_irradiance.c) ---------------- */

/* Largest output of one bulk call (sun_positions, sun_positions_grid):
 * instants x sites.  10^8 rows is a year of minutes at 190 sites, about
 * 10 GB of tuples; a larger set is split into several calls. */
#define SR_SUN_POSITIONS_MAX 100000000

#define SR_SOLAR_CONSTANT 1366.1

typedef enum sr_extra_method
{
	SR_EXTRA_SPENCER = 0,
	SR_EXTRA_ASCE,
	SR_EXTRA_NREL
} sr_extra_method;

/* Parse 'spencer' | 'asce' | 'nrel' (SR_EINVAL naming "method" else). */
sr_status	sr_extra_method_parse(const char *name, sr_extra_method *m,
								  sr_err *err);
/* Extraterrestrial normal irradiance (W/m2) at unix_s, as pvlib's
 * get_extra_radiation: spencer/asce on the UTC day of year, nrel from
 * SPA's earth-sun distance (delta_t 67 s).  solar_constant must be in
 * (0, SR_SOLAR_CONSTANT_MAX] W/m2 (SR_ERANGE): the Sun's is 1361-1367, and
 * the result (at most 1.035 times it) stays a finite dni_extra that
 * poa_irradiance accepts (at most 1e5). */
#define SR_SOLAR_CONSTANT_MAX 10000.0
sr_status	sr_extraterrestrial_irradiance(double unix_s, sr_extra_method m,
										   double solar_constant, double *out,
										   sr_err *err);

/* Parse an airmass model name (kastenyoung1989, kasten1966, simple,
 * pickering2002, youngirvine1967, young1994, gueymard1993). */
sr_status	sr_airmass_model_parse(const char *name, sr_airmass_model *m,
								   sr_err *err);
/* Relative airmass; NaN when zenith > 90 (as pvlib), and for
 * youngirvine1967 beyond 86.56 deg, where its polynomial stops rising (it
 * is 0 at 88.02 deg and negative beyond; pvlib returns those values). */
double		sr_relative_airmass(double zenith_deg, sr_airmass_model m);
/* Pressure-corrected airmass: am_rel * pressure_pa / 101325. */
double		sr_absolute_airmass(double airmass_relative, double pressure_pa);
/* The same with its arguments checked: airmass_relative finite (SR_EINVAL)
 * and in [SR_AIRMASS_RELATIVE_MIN, SR_AIRMASS_MAX] (SR_ERANGE: 1e308 gave
 * Infinity, 0.5 an airmass thinner than the sun at the zenith sees; the
 * upper bound is what clearsky_ineichen and poa_irradiance accept); pressure_pa in
 * [SR_PRESSURE_PA_MIN, SR_PRESSURE_PA_MAX]: the air of a site on Earth,
 * from below 0.85 x the standard atmosphere at 10,000 m (26436 Pa, the top
 * of clearsky_ineichen's altitudes) to the EPW format's upper bound (the
 * sea-level record is 108380 Pa); 0 gave airmass 0. */
#define SR_AIRMASS_MAX 1000.0
/* The smallest relative airmass: 1 with the sun at the zenith (sec 0), and
 * the fitted formulas of sr_relative_airmass dip just below it near the
 * zenith (Kasten 1966: 0.999494 at 0.02 deg, Kasten-Young 1989: 0.999712);
 * 0.999 keeps them all and refuses any airmass no sun can have. */
#define SR_AIRMASS_RELATIVE_MIN 0.999
#define SR_PRESSURE_PA_MIN 22000.0
#define SR_PRESSURE_PA_MAX 120000.0
/* A relative airmass given by a caller (absolute_airmass, poa_irradiance):
 * finite (SR_EINVAL) and in [SR_AIRMASS_RELATIVE_MIN, SR_AIRMASS_MAX]
 * (SR_ERANGE, with detail and hint).  The one check of that range. */
sr_status	sr_airmass_relative_check(double airmass_relative, sr_err *err);
sr_status	sr_absolute_airmass_checked(double airmass_relative, double pressure_pa,
										double *out, sr_err *err);

typedef struct sr_irrad3
{
	double		ghi, dni, dhi;
} sr_irrad3;

/* Ineichen & Perez (2002) clear sky, without the Perez enhancement, as
 * pvlib.clearsky.ineichen; NaN airmass (sun down) gives zeros. */
void		sr_clearsky_ineichen(double apparent_zenith, double airmass_absolute,
								 double linke_turbidity, double altitude_m,
								 double dni_extra, sr_irrad3 *out);

/* The arguments of clearsky_ineichen checked: apparent_zenith [0, 180],
 * airmass_absolute [0, SR_AIRMASS_MAX] and at least
 * sr_airmass_absolute_min(altitude_m), linke_turbidity [0.5, 20],
 * altitude_m [-1000, 10000], dni_extra [0, 5000] (SR_EINVAL when not
 * finite, SR_ERANGE outside). */
sr_status	sr_clearsky_ineichen_check(double apparent_zenith, double airmass_absolute,
									   double linke_turbidity, double altitude_m,
									   double dni_extra, sr_err *err);
/* The smallest absolute airmass at an altitude: the sun at the zenith
 * (relative airmass 1) under SR_AIRMASS_PRESSURE_MIN times the standard
 * atmosphere's pressure there (0.85 at sea level: the lowest sea-level
 * pressure on record, 870 hPa, is 0.859 atmospheres). */
#define SR_AIRMASS_PRESSURE_MIN 0.85
double		sr_airmass_absolute_min(double altitude_m);

/* Angle of incidence in degrees [0, 180]. */
double		sr_angle_of_incidence(double surface_tilt, double surface_azimuth,
								  double solar_zenith, double solar_azimuth);

typedef enum sr_poa_model
{
	SR_POA_ISOTROPIC = 0,
	SR_POA_HAYDAVIES,
	SR_POA_PEREZ
} sr_poa_model;

sr_status	sr_poa_model_parse(const char *name, sr_poa_model *m, sr_err *err);

typedef struct sr_poa
{
	double		poa_global;
	double		poa_direct;
	double		poa_diffuse;
	double		poa_sky_diffuse;
	double		poa_ground_diffuse;
} sr_poa;

/* Hay-Davies sky diffuse (pvlib.irradiance.haydavies). */
double		sr_haydavies_sky_diffuse(double surface_tilt, double cos_aoi,
									 double solar_zenith, double dni,
									 double dhi, double dni_extra);

/* Plane-of-array irradiance as pvlib's get_total_irradiance.  dni_extra
 * may be NaN for 'isotropic' (required otherwise: SR_EINVAL);
 * airmass_relative NaN means Kasten-Young 1989 of solar_zenith. */
sr_status	sr_poa_irradiance(double surface_tilt, double surface_azimuth,
							  double solar_zenith, double solar_azimuth,
							  double dni, double ghi, double dhi,
							  double dni_extra, double airmass_relative,
							  double albedo, sr_poa_model model,
							  sr_poa *out, sr_err *err);
/* The same without validation (hot loops; inputs validated by caller). */
void		sr_poa_irradiance_nocheck(double surface_tilt, double surface_azimuth,
									  double solar_zenith, double solar_azimuth,
									  double dni, double ghi, double dhi,
									  double dni_extra, double airmass_relative,
									  double albedo, sr_poa_model model,
									  sr_poa *out);

/* Perez 1990 'allsitescomposite1990' coefficients: f[bin][0..5] =
 * f11 f12 f13 f21 f22 f23, bins of sky clearness epsilon bounded by
 * 1.065 1.23 1.5 1.95 2.8 4.5 6.2. */
extern const double sr_perez_1990_coefficients[8][6];

/* The Perez brightening coefficients F1 (circumsolar, never below 0) and F2
 * (horizon) of a sky of clearness eps and brightness delta, the sun at
 * zenith_rad radians: the clearness bin and the table above, the one rule
 * the point irradiance (poa) and the cadastre's sky split both use. */
int			sr_perez_clearness_bin(double eps);	/* 0..7 (Perez 1990, Table 1) */
void		sr_perez_brightening(double eps, double delta, double zenith_rad,
								 double *f1, double *f2);

/* ---------------- EPW weather files (epw.c) ---------------- */

typedef struct sr_epw_location
{
	char		name[128];
	char		state[64];
	char		country[64];
	char		source[64];
	char		wmo[32];
	double		lat, lon, tz, elevation;
} sr_epw_location;

/* One hourly record; missing values (EPW's 9999 etc.) are NaN. */
typedef struct sr_epw_record
{
	double		ts;				/* unix seconds UTC, end of the hour */
	int			year, month, day, hour;
	double		ghi, dni, dhi;	/* W/m2 (Wh/m2 over the hour) */
	double		temp_air;		/* C */
	double		temp_dew;		/* C */
	double		relative_humidity;	/* % */
	double		wind_speed;		/* m/s */
	double		wind_direction;	/* deg */
	double		pressure_pa;	/* Pa */
	double		albedo;			/* 0..1 */
} sr_epw_record;

/* Parse the LOCATION line (first line) of an EPW file. */
sr_status	sr_epw_parse_location(const char *content, size_t len,
								  sr_epw_location *loc, sr_err *err);
/* Parse a whole EPW file: *recs allocated with sr_alloc (caller frees). */
sr_status	sr_epw_parse(const char *content, size_t len, sr_epw_location *loc,
						 sr_epw_record **recs, int *n_recs, sr_err *err);


#endif							/* SR_SOLAR_H */
