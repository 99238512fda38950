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

#endif							/* SR_SOLAR_H */
