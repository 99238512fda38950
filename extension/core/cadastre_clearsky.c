/*
 * cadastre_clearsky.c — the clear-sky year of sky_clearsky: every hour of a
 * year as weather records (the SPA sun at mid-hour, Ineichen-Perez clear
 * sky), then the cumulative sky sky_agg builds from such records.
 *
 * Each step is the core function that the SQL functions sun_position,
 * relative_airmass, absolute_airmass, extraterrestrial_irradiance and
 * clearsky_ineichen call, in their order, so that the sky is the one those
 * functions build hour by hour in SQL, to the last bit.
 *
 * References: Reda I., Andreas A. (2004), Solar position algorithm for
 * solar radiation applications, Solar Energy 76(5) (SPA); Ineichen P.,
 * Perez R. (2002), A new airmass independent formulation for the Linke
 * turbidity coefficient, Solar Energy 73(3) 151-157; Kasten F., Young A.
 * (1989), Revised optical air mass tables and approximation formula,
 * Applied Optics 28(22); Spencer J. W. (1971), Fourier series representation
 * of the position of the sun, Search 2(5).
 */
#include "sr_cadastre.h"
#include "sr_solar.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* Seconds of an hour and of a day. */
#define HOUR_S 3600L
#define DAY_S 86400L

/* Unix seconds (a whole number) as "YYYY-MM-DD HH:MM UTC". */
static void
fmt_utc(char *buf, size_t len, int64_t unix_s)
{
	int64_t		days = unix_s >= 0 ? unix_s / DAY_S : -((-unix_s + DAY_S - 1) / DAY_S);
	int64_t		sod = unix_s - days * DAY_S;
	int			y,
				m,
				d;

	sr_civil_from_days((long) days, &y, &m, &d);
	snprintf(buf, len, "%04d-%02d-%02d %02d:%02d UTC", y, m, d, (int) (sod / HOUR_S),
			 (int) (sod % HOUR_S / 60));
}

sr_status
sr_clearsky_check(double linke_turbidity, int year, double elevation_m, sr_err *err)
{
	char		v[64];

	if (!(linke_turbidity >= SR_CLEARSKY_TL_MIN && linke_turbidity <= SR_CLEARSKY_TL_MAX))
	{
		sr_fmt_float8(v, sizeof(v), linke_turbidity);
		sr_error(err, SR_ERANGE, "parameter \"linke_turbidity\" is out of range: %s", v);
		sr_error_detail(err, "The Linke turbidity must be between 1 and 10 (3 is a typical European sky).");
		return err->status;
	}
	if (year < SR_CLEARSKY_YEAR_MIN || year > SR_CLEARSKY_YEAR_MAX)
	{
		sr_error(err, SR_ERANGE, "parameter \"year\" is out of range: %d", year);
		sr_error_detail(err, "The year must be between %d and %d.", SR_CLEARSKY_YEAR_MIN,
						SR_CLEARSKY_YEAR_MAX);
		return err->status;
	}
	if (!(elevation_m >= SR_CLEARSKY_ELEV_MIN && elevation_m <= SR_CLEARSKY_ELEV_MAX))
	{
		sr_fmt_float8(v, sizeof(v), elevation_m);
		sr_error(err, SR_ERANGE, "site elevation %s m is out of range", v);
		sr_error_detail(err, "The z of the location is the elevation in metres, between -500 and 9000.");
		return err->status;
	}
	return SR_OK;
}

int
sr_clearsky_year_hours(int year)
{
	return (int) (sr_days_from_civil(year + 1, 1, 1) - sr_days_from_civil(year, 1, 1)) * 24;
}

sr_status
sr_clearsky_year(double lat, double lon, double elevation_m, double linke_turbidity,
				 int year, sr_weather_rec **out, int *n_out, sr_err *err)
{
	/* standard-atmosphere pressure (Pa) at the elevation */
	double		pa = 101325.0 * pow(1.0 - 2.25577e-5 * elevation_m, 5.25588);
	sr_extra_method spencer;
	sr_weather_rec *recs;
	int64_t		t0;
	int			n;

	*out = NULL;
	*n_out = 0;
	if (sr_clearsky_check(linke_turbidity, year, elevation_m, err) != SR_OK)
		return err->status;
	/* the site as sun_position checks it (its lat, lon, elevation_m,
	 * pressure_hpa and temperature_c) */
	if (sr_spa_validate_site(lat, lon, elevation_m, pa / 100.0, 12.0, err) != SR_OK ||
		sr_extra_method_parse("spencer", &spencer, err) != SR_OK)
		return err->status;

	/* the hours end at 01:00 UTC on 1 January, ..., 00:00 on the next 1
	 * January: 8,760 of them, 8,784 in a leap year */
	n = sr_clearsky_year_hours(year);
	t0 = (int64_t) sr_days_from_civil(year, 1, 1) * DAY_S + HOUR_S;
	recs = sr_alloc(sizeof(sr_weather_rec) * (size_t) n);
	if (recs == NULL)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++)
	{
		int64_t		ts = t0 + (int64_t) i * HOUR_S;
		sr_weather_rec *r = &recs[i];
		sr_spa_time t;
		sr_solpos	pos;

		sr_check_interrupts();
		/* the sun at mid-hour, 12 C, delta_t 67 s */
		if (sr_spa_time_init((double) (ts - HOUR_S / 2), 67.0, &t, err) != SR_OK)
			goto fail;
		sr_spa_site(&t, lat, lon, elevation_m, pa / 100.0, 12.0, &pos);
		r->unix_s = (double) ts;
		r->ghi = r->dni = r->dhi = 0.0;
		if (pos.apparent_zenith < 90)
		{
			double		am_rel = sr_relative_airmass(pos.apparent_zenith, SR_AM_KASTENYOUNG1989);
			double		am,
						ea;
			sr_irrad3	cs;

			/* (in SQL a NULL airmass made the clear sky NULL, taken as 0) */
			if (!isnan(am_rel))
			{
				if (sr_absolute_airmass_checked(am_rel, pa, &am, err) != SR_OK ||
					sr_extraterrestrial_irradiance(r->unix_s, spencer, SR_SOLAR_CONSTANT,
												   &ea, err) != SR_OK)
					goto fail;
				sr_clearsky_ineichen(pos.apparent_zenith, am, linke_turbidity, elevation_m,
									 ea, &cs);
				/* a NaN component was NULL, taken as 0 */
				r->ghi = isnan(cs.ghi) ? 0.0 : cs.ghi;
				r->dni = isnan(cs.dni) ? 0.0 : cs.dni;
				r->dhi = isnan(cs.dhi) ? 0.0 : cs.dhi;
			}
		}

		/*
		 * Ineichen-Perez's altitude terms were fitted on sites below about
		 * 4,000 m: the beam's b = 0.664 + 0.163 / fh1 passes 1 above 5,790 m
		 * (a beam above the extraterrestrial), the global's cg1 = 0.868 +
		 * 5.09e-5 h grows too, and from 5,000-7,000 m up the model exceeds
		 * what any sky holds (1500 W/m2 an hour, cadastre_sky.c), which
		 * sr_sky_build would refuse as "weather record N has an irradiance
		 * above 1500 W/m2", a row the caller never gave.
		 */
		if (r->ghi > SR_WEATHER_MAX_WM2 || r->dni > SR_WEATHER_MAX_WM2 || r->dhi > SR_WEATHER_MAX_WM2)
		{
			char		v[64],
						when[40];

			sr_fmt_float8(v, sizeof(v), elevation_m);
			fmt_utc(when, sizeof(when), ts);
			sr_error(err, SR_ERANGE,
					 "the clear sky at elevation %s m exceeds 1500 W/m2, the most a sky holds", v);
			sr_error_detail(err, "At %s the Ineichen-Perez clear sky gives ghi = %.0f, dni = %.0f W/m2: its altitude terms were fitted on sites below about 4,000 m and overestimate the irradiance higher up.",
							when, r->ghi, r->dni);
			sr_error_hint(err, "Build the sky from measured weather with smartregion.sky_agg, or give the location a lower elevation.");
			goto fail;
		}
		/* what sky_agg accepts of an hour (never seen of this model) */
		if (!(r->ghi >= 0 && r->dni >= 0 && r->dhi >= 0) || !isfinite(r->ghi + r->dni + r->dhi))
		{
			char		when[40];

			fmt_utc(when, sizeof(when), ts);
			sr_error(err, SR_EDATA, "the clear sky at %s has a negative or non-finite irradiance", when);
			sr_error_detail(err, "ghi = %g, dni = %g, dhi = %g W/m2.", r->ghi, r->dni, r->dhi);
			goto fail;
		}
	}
	*out = recs;
	*n_out = n;
	return SR_OK;

fail:
	sr_free(recs);
	return err->status;
}

sr_status
sr_sky_clearsky(double lat, double lon, double elevation_m, double linke_turbidity,
				int year, sr_sky_hdr **out, size_t *out_size, sr_err *err)
{
	sr_weather_rec *recs;
	int			n;
	sr_status	st;

	*out = NULL;
	if (sr_clearsky_year(lat, lon, elevation_m, linke_turbidity, year, &recs, &n, err) != SR_OK)
		return err->status;
	st = sr_sky_build(recs, n, lat, lon, elevation_m, out, out_size, err);
	sr_free(recs);
	return st;
}
