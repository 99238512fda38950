/*
 * solar_irradiance.c — extraterrestrial irradiance, airmass, Ineichen clear
 * sky, angle of incidence and plane-of-array transposition.
 *
 * The formulas follow pvlib-python (irradiance.get_extra_radiation,
 * atmosphere.get_relative_airmass, clearsky.ineichen, irradiance.aoi,
 * isotropic, haydavies, perez, get_total_irradiance), the de-facto
 * reference of solar software, so results can be compared one to one.
 * References: Spencer (1971); ASCE (2005); Kasten & Young (1989) Appl. Opt.
 * 28(22); Ineichen & Perez (2002) Solar Energy 73(3); Hay & Davies (1980);
 * Perez, Ineichen, Seals, Michalsky, Stewart (1990) Solar Energy 44(5).
 */
#include "sr_solar.h"

#include <math.h>
#include <string.h>

static inline double
cosd(double deg)
{
	return cos(deg * SR_DEG2RAD);
}

static inline double
sind(double deg)
{
	return sin(deg * SR_DEG2RAD);
}


/* UTC day of year (1..366) of unix seconds. */
static int
day_of_year(double unix_s)
{
	long		z = (long) floor(unix_s / 86400.0) + 719468;
	long		era = (z >= 0 ? z : z - 146096) / 146097;
	long		doe = z - era * 146097;
	long		yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long		y = yoe + era * 400;
	long		doy_mar = doe - (365 * yoe + yoe / 4 - yoe / 100);	/* from 1 Mar */
	long		mp = (5 * doy_mar + 2) / 153;
	int			d = (int) (doy_mar - (153 * mp + 2) / 5 + 1);
	int			m = (int) (mp < 10 ? mp + 3 : mp - 9);

	if (m <= 2)
		y++;
	return (int) (sr_days_from_civil(y, m, d) - sr_days_from_civil(y, 1, 1) + 1);
}

sr_status
sr_extra_method_parse(const char *name, sr_extra_method *m, sr_err *err)
{
	if (strcmp(name, "spencer") == 0)
		*m = SR_EXTRA_SPENCER;
	else if (strcmp(name, "asce") == 0)
		*m = SR_EXTRA_ASCE;
	else if (strcmp(name, "nrel") == 0)
		*m = SR_EXTRA_NREL;
	else
	{
		sr_error(err, SR_EINVAL, "invalid value for parameter \"method\": \"%s\"", name);
		sr_error_detail(err, "Accepted values are 'spencer', 'asce' and 'nrel'.");
		return SR_EINVAL;
	}
	return SR_OK;
}

sr_status
sr_extraterrestrial_irradiance(double unix_s, sr_extra_method m,
							   double solar_constant, double *out, sr_err *err)
{
	double		ratio;

	if (!isfinite(unix_s))
		return sr_error(err, SR_EINVAL, "timestamp must be finite");
	if (unix_s < SR_SPA_MIN_UNIX || unix_s > SR_SPA_MAX_UNIX)
	{
		sr_error(err, SR_ERANGE, "timestamp is out of range for the solar position algorithm");
		sr_error_detail(err, "Accepted years are -2000 to 6000.");
		return SR_ERANGE;
	}
	if (!isfinite(solar_constant) || solar_constant <= 0.0)
		return sr_error(err, SR_ERANGE,
						"parameter \"solar_constant\" must be a positive finite number, got %g",
						solar_constant);
	/* 1.79e308 gave Infinity: no star of ours is brighter than 1e4 W/m2 */
	if (solar_constant > SR_SOLAR_CONSTANT_MAX)
		return sr_error(err, SR_ERANGE,
						"parameter \"solar_constant\" must be at most %g W/m2, got %g",
						SR_SOLAR_CONSTANT_MAX, solar_constant);
	switch (m)
	{
		case SR_EXTRA_SPENCER:
			{
				/* Spencer (1971) Fourier series, day angle from day 1 */
				double		b = 2.0 * SR_PI / 365.0 * (day_of_year(unix_s) - 1);

				ratio = 1.00011 + 0.034221 * cos(b) + 0.00128 * sin(b) +
					0.000719 * cos(2.0 * b) + 0.000077 * sin(2.0 * b);
				break;
			}
		case SR_EXTRA_ASCE:
			{
				/* ASCE (2005) Eq. 23 inverse relative distance */
				double		b = 2.0 * SR_PI / 365.0 * day_of_year(unix_s);

				ratio = 1.0 + 0.033 * cos(b);
				break;
			}
		case SR_EXTRA_NREL:
			{
				sr_spa_time t;
				sr_status	st = sr_spa_time_init(unix_s, 67.0, &t, err);

				if (st != SR_OK)
					return st;
				ratio = 1.0 / (t.r_au * t.r_au);
				break;
			}
		default:
			return sr_error(err, SR_EINTERNAL, "unrecognized extraterrestrial method %d", (int) m);
	}
	*out = solar_constant * ratio;
	return SR_OK;
}

static const struct
{
	const char *name;
	sr_airmass_model model;
}			airmass_names[] = {
	{"kastenyoung1989", SR_AM_KASTENYOUNG1989},
	{"kasten1966", SR_AM_KASTEN1966},
	{"simple", SR_AM_SIMPLE},
	{"pickering2002", SR_AM_PICKERING2002},
	{"youngirvine1967", SR_AM_YOUNGIRVINE1967},
	{"young1994", SR_AM_YOUNG1994},
	{"gueymard1993", SR_AM_GUEYMARD1993},
};

sr_status
sr_airmass_model_parse(const char *name, sr_airmass_model *m, sr_err *err)
{
	for (size_t i = 0; i < sizeof(airmass_names) / sizeof(airmass_names[0]); i++)
		if (strcmp(name, airmass_names[i].name) == 0)
		{
			*m = airmass_names[i].model;
			return SR_OK;
		}
	sr_error(err, SR_EINVAL, "invalid value for parameter \"model\": \"%s\"", name);
	sr_error_detail(err, "Accepted airmass models are 'kastenyoung1989', 'kasten1966', "
					"'simple', 'pickering2002', 'youngirvine1967', 'young1994' and 'gueymard1993'.");
	return SR_EINVAL;
}

double
sr_airmass_kastenyoung(double zenith_deg)
{
	if (!(zenith_deg <= 90.0))
		return NAN;
	return 1.0 / (cosd(zenith_deg) +
				  0.50572 * pow(6.07995 + (90.0 - zenith_deg), -1.6364));
}

double
sr_relative_airmass(double z, sr_airmass_model m)
{
	double		c;

	if (!(z <= 90.0))
		return NAN;
	c = cosd(z);
	switch (m)
	{
		case SR_AM_KASTENYOUNG1989:
			return sr_airmass_kastenyoung(z);
		case SR_AM_KASTEN1966:
			return 1.0 / (c + 0.15 * pow(93.885 - z, -1.253));
		case SR_AM_SIMPLE:
			return 1.0 / c;
		case SR_AM_PICKERING2002:
			return 1.0 / sind(90.0 - z + 244.0 / (165.0 + 47.0 * pow(90.0 - z, 1.1)));
		case SR_AM_YOUNGIRVINE1967:

			/*
			 * sec z (1 - 0.0012 (sec^2 z - 1)) peaks where its derivative in
			 * sec z, 1 - 0.0012 (3 sec^2 z - 1), is 0 (sec^2 z = 278.11, z =
			 * 86.56 deg, airmass 11.13), then falls to 0 at 88.02 deg and
			 * below: an airmass that shrinks toward the horizon is no airmass,
			 * so NaN (NULL) beyond the peak
			 */
			if (1.0 / (c * c) > (1.0 + 1.0 / 0.0012) / 3.0)
				return NAN;
			return (1.0 / c) * (1.0 - 0.0012 * (1.0 / (c * c) - 1.0));
		case SR_AM_YOUNG1994:
			return (1.002432 * c * c + 0.148386 * c + 0.0096467) /
				(c * c * c + 0.149864 * c * c + 0.0102963 * c + 0.000303978);
		case SR_AM_GUEYMARD1993:
			return 1.0 / (c + 0.00176759 * z * pow(94.37515 - z, -1.21563));
	}
	return NAN;
}

double
sr_absolute_airmass(double airmass_relative, double pressure_pa)
{
	return airmass_relative * pressure_pa / 101325.0;
}

/*
 * The one range of a relative airmass given by a caller (absolute_airmass,
 * poa_irradiance).  1e308 gave Infinity; the Kasten-Young airmass is 38 at
 * the horizon, and the consumers accept at most 1000.  Below 1 (less the
 * fitted formulas' dip near the zenith) is no airmass: 0.5 gave an absolute
 * airmass half the zenith's, a sky thinner than any on Earth, and a Perez
 * sky brightness half the one of the sun at the zenith.
 */
sr_status
sr_airmass_relative_check(double airmass_relative, sr_err *err)
{
	if (!isfinite(airmass_relative))
		return sr_error(err, SR_EINVAL, "parameter \"airmass_relative\" must be a finite number, not %s",
						isnan(airmass_relative) ? "NaN" : (airmass_relative > 0 ? "Infinity" : "-Infinity"));
	if (airmass_relative < SR_AIRMASS_RELATIVE_MIN || airmass_relative > SR_AIRMASS_MAX)
	{
		sr_error(err, SR_ERANGE, "parameter \"airmass_relative\" must be between %g and %g, got %g",
				 SR_AIRMASS_RELATIVE_MIN, SR_AIRMASS_MAX, airmass_relative);
		sr_error_detail(err, "The relative airmass is 1 with the sun at the zenith and grows toward "
						"the horizon (38 there for Kasten-Young); the fitted formulas of "
						"relative_airmass give at least 0.99949 (Kasten 1966 near the zenith).");
		sr_error_hint(err, "Pass relative_airmass(zenith): NULL with the sun below the horizon, "
					  "where absolute_airmass is NULL too and poa_irradiance takes the "
					  "Kasten-Young airmass of solar_zenith.");
		return SR_ERANGE;
	}
	return SR_OK;
}

sr_status
sr_absolute_airmass_checked(double airmass_relative, double pressure_pa,
							double *out, sr_err *err)
{
	const char *bad[2] = {"airmass_relative", "pressure_pa"};
	double		v[2] = {airmass_relative, pressure_pa};
	sr_status	st;

	for (int i = 0; i < 2; i++)
		if (!isfinite(v[i]))
			return sr_error(err, SR_EINVAL, "parameter \"%s\" must be a finite number, not %s",
							bad[i], isnan(v[i]) ? "NaN" : (v[i] > 0 ? "Infinity" : "-Infinity"));
	st = sr_airmass_relative_check(airmass_relative, err);
	if (st != SR_OK)
		return st;
	/*
	 * Pressure 0 gave airmass 0 (no air), 1013.25 (hPa passed for Pa) 0.02
	 * and 500000 Pa five atmospheres: airmasses of no sky on Earth, which
	 * clearsky_ineichen would turn into a sky too bright or too dark.
	 */
	if (pressure_pa < SR_PRESSURE_PA_MIN || pressure_pa > SR_PRESSURE_PA_MAX)
	{
		sr_error(err, SR_ERANGE, "parameter \"pressure_pa\" must be between %g and %g Pa, got %g",
				 SR_PRESSURE_PA_MIN, SR_PRESSURE_PA_MAX, pressure_pa);
		sr_error_detail(err, "The air pressure at a site is at least 22000 Pa (0.85 times the "
						"standard atmosphere's 26436 Pa at 10,000 m, the highest altitude "
						"clearsky_ineichen takes) and at most 120000 Pa (the upper bound of "
						"the EPW weather format; the sea-level record is 108380 Pa).");
		sr_error_hint(err, "Give the pressure in pascals (101325 at sea level), not hPa.");
		return SR_ERANGE;
	}
	*out = sr_absolute_airmass(airmass_relative, pressure_pa);
	return SR_OK;
}

/* A finite value in [lo, hi] (the messages of the glue's require_in). */
static sr_status
require_in(const char *name, double v, double lo, double hi, const char *unit,
		   sr_err *err)
{
	if (!isfinite(v))
		return sr_error(err, SR_EINVAL, "parameter \"%s\" must be a finite number, not %s",
						name, isnan(v) ? "NaN" : (v > 0 ? "Infinity" : "-Infinity"));
	if (v < lo || v > hi)
		return sr_error(err, SR_ERANGE, "parameter \"%s\" must be between %g and %g%s, got %g",
						name, lo, hi, unit, v);
	return SR_OK;
}

double
sr_airmass_absolute_min(double altitude_m)
{
	/* the standard atmosphere's pressure ratio at the altitude (the
	 * formula of pvlib's alt2pres and of sky_clearsky) */
	return SR_AIRMASS_PRESSURE_MIN * pow(1.0 - 2.25577e-5 * altitude_m, 5.25588);
}

sr_status
sr_clearsky_ineichen_check(double apparent_zenith, double am, double tl,
						   double altitude, double dni_extra, sr_err *err)
{
	double		am_min;

	if (require_in("apparent_zenith", apparent_zenith, 0, 180, " degrees", err) ||
		require_in("airmass_absolute", am, 0, SR_AIRMASS_MAX, "", err) ||
		require_in("linke_turbidity", tl, 0.5, 20, "", err) ||
		require_in("altitude_m", altitude, -1000, 10000, " m", err) ||
		require_in("dni_extra", dni_extra, 0, 5000, " W/m2", err))
		return err->status;

	/*
	 * An absolute airmass below what the thinnest air over the altitude
	 * gives with the sun at the zenith is no airmass on Earth: airmass 0
	 * made the model's exponentials 1, GHI 0.868 dni_extra (1184 W/m2)
	 * whatever the turbidity.
	 */
	am_min = sr_airmass_absolute_min(altitude);
	if (am < am_min)
	{
		sr_error(err, SR_ERANGE,
				 "parameter \"airmass_absolute\" must be at least %.4g at altitude %g m, got %g",
				 am_min, altitude, am);
		sr_error_detail(err, "The absolute airmass is the relative airmass (1 with the sun at "
						"the zenith, more below it) times the pressure over 101325 Pa; no air "
						"is thinner than %g times the standard atmosphere's pressure at the "
						"altitude (the lowest sea-level pressure on record is 870 hPa).",
						SR_AIRMASS_PRESSURE_MIN);
		sr_error_hint(err, "Pass absolute_airmass(relative_airmass(apparent_zenith), pressure_pa).");
		return SR_ERANGE;
	}
	return SR_OK;
}

void
sr_clearsky_ineichen(double apparent_zenith, double am, double tl,
					 double altitude, double dni_extra, sr_irrad3 *out)
{
	double		cos_z = fmax(cosd(apparent_zenith), 0.0);
	double		fh1 = exp(-altitude / 8000.0);
	double		fh2 = exp(-altitude / 1250.0);
	double		cg1 = 5.09e-05 * altitude + 0.868;
	double		cg2 = 3.92e-05 * altitude + 0.0387;
	double		ghi,
				b,
				bnci,
				bnci2;

	if (isnan(am))
	{
		/* sun down: pvlib's fmax(NaN, 0) gives 0 for every component */
		out->ghi = out->dni = out->dhi = 0.0;
		return;
	}
	/* Eq. 8 of Ineichen & Perez 2002 (global) */
	ghi = exp(-cg2 * am * (fh1 + fh2 * (tl - 1.0)));
	ghi = cg1 * dni_extra * cos_z * fmax(ghi, 0.0);
	/* beam normal, Eq. 7, and the empirical correction limiting it */
	b = 0.664 + 0.163 / fh1;
	bnci = dni_extra * fmax(b * exp(-0.09 * am * (tl - 1.0)), 0.0);
	if (cos_z > 0.0)
	{
		bnci2 = (1.0 - (0.1 - 0.2 * exp(-tl)) / (0.1 + 0.882 / fh1)) / cos_z;
		bnci2 = ghi * fmin(fmax(bnci2, 0.0), 1e20);
	}
	else
		bnci2 = 0.0;			/* pvlib: ghi (=0) * 1e20 */
	out->ghi = ghi;
	out->dni = fmin(bnci, bnci2);
	out->dhi = ghi - out->dni * cos_z;
}

double
sr_cos_aoi(double surface_tilt, double surface_azimuth,
		   double solar_zenith, double solar_azimuth)
{
	double		p = cosd(surface_tilt) * cosd(solar_zenith) +
		sind(surface_tilt) * sind(solar_zenith) *
		cosd(solar_azimuth - surface_azimuth);

	return fmax(-1.0, fmin(1.0, p));
}

double
sr_angle_of_incidence(double surface_tilt, double surface_azimuth,
					  double solar_zenith, double solar_azimuth)
{
	return acos(sr_cos_aoi(surface_tilt, surface_azimuth, solar_zenith,
						   solar_azimuth)) * SR_RAD2DEG;
}

sr_status
sr_poa_model_parse(const char *name, sr_poa_model *m, sr_err *err)
{
	if (strcmp(name, "perez") == 0)
		*m = SR_POA_PEREZ;
	else if (strcmp(name, "haydavies") == 0)
		*m = SR_POA_HAYDAVIES;
	else if (strcmp(name, "isotropic") == 0)
		*m = SR_POA_ISOTROPIC;
	else
	{
		sr_error(err, SR_EINVAL, "invalid value for parameter \"model\": \"%s\"", name);
		sr_error_detail(err, "Accepted sky diffuse models are 'isotropic', 'haydavies' and 'perez'.");
		return SR_EINVAL;
	}
	return SR_OK;
}

/* Perez et al. (1990), Table 6, three decimals: pvlib's
 * 'allsitescomposite1990', digit for digit (docs/solar.md; not the
 * seven-digit table of the EnergyPlus Engineering Reference, +0.015 % on
 * the sky diffuse of the test case). */
const double sr_perez_1990_coefficients[8][6] = {
	{-0.008, 0.588, -0.062, -0.060, 0.072, -0.022},
	{0.130, 0.683, -0.151, -0.019, 0.066, -0.029},
	{0.330, 0.487, -0.221, 0.055, -0.064, -0.026},
	{0.568, 0.187, -0.295, 0.109, -0.152, -0.014},
	{0.873, -0.392, -0.362, 0.226, -0.462, 0.001},
	{1.132, -1.237, -0.412, 0.288, -0.823, 0.056},
	{1.060, -1.600, -0.359, 0.264, -1.127, 0.131},
	{0.678, -0.327, -0.250, 0.156, -1.377, 0.251}
};

static const double perez_eps_bounds[7] = {1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2};

int
sr_perez_clearness_bin(double eps)
{
	int			bin;

	for (bin = 0; bin < 7 && eps >= perez_eps_bounds[bin]; bin++)
		;
	return bin;
}

void
sr_perez_brightening(double eps, double delta, double zenith_rad,
					 double *f1, double *f2)
{
	const double *f = sr_perez_1990_coefficients[sr_perez_clearness_bin(eps)];

	*f1 = fmax(f[0] + f[1] * delta + f[2] * zenith_rad, 0.0);	/* circumsolar */
	*f2 = f[3] + f[4] * delta + f[5] * zenith_rad;	/* horizon brightening */
}

/* Perez 1990 sky diffuse from precomputed cos/sin of the tilt and cos of
 * the zenith. */
static double
perez_sky(double ct, double st, double cos_aoi, double solar_zenith,
		  double cz, double dni, double dhi, double dni_extra, double airmass_rel)
{
	const double kappa = 1.041;	/* for zenith in radians */
	const double cos85 = 0.08715574274765817;	/* cos(85 deg) */
	double		z,
				z3,
				delta,
				eps,
				f1,
				f2,
				sky;

	if (!(dhi > 0.0))
		return 0.0;
	if (isnan(airmass_rel))
		return dhi * 0.5 * (1.0 + ct);	/* sun down: isotropic part */
	z = solar_zenith * SR_DEG2RAD;
	z3 = z * z * z;
	delta = dhi * airmass_rel / dni_extra;	/* sky brightness */
	eps = ((dhi + dni) / dhi + kappa * z3) / (1.0 + kappa * z3);	/* clearness */
	sr_perez_brightening(eps, delta, z, &f1, &f2);
	sky = dhi * (0.5 * (1.0 - f1) * (1.0 + ct) + f1 * fmax(cos_aoi, 0.0) / fmax(cz, cos85) +
				 f2 * st);
	return fmax(sky, 0.0);
}

double
sr_perez_sky_diffuse(double surface_tilt, double cos_aoi,
					 double solar_zenith, double dni, double dhi,
					 double dni_extra, double airmass_rel)
{
	return perez_sky(cosd(surface_tilt), sind(surface_tilt), cos_aoi, solar_zenith,
					 cosd(solar_zenith), dni, dhi, dni_extra, airmass_rel);
}

double
sr_haydavies_sky_diffuse(double surface_tilt, double cos_aoi,
						 double solar_zenith, double dni, double dhi,
						 double dni_extra)
{
	double		ai = dni / dni_extra;	/* anisotropy index */
	double		rb = fmax(cos_aoi, 0.0) / fmax(cosd(solar_zenith), 0.01745);
	double		sky = dhi * (ai * rb + (1.0 - ai) * 0.5 * (1.0 + cosd(surface_tilt)));

	return fmax(sky, 0.0);
}

void
sr_poa_irradiance_nocheck(double surface_tilt, double surface_azimuth,
						  double solar_zenith, double solar_azimuth,
						  double dni, double ghi, double dhi,
						  double dni_extra, double airmass_relative,
						  double albedo, sr_poa_model model, sr_poa *out)
{
	/* each sine and cosine once: this is the per-row work of a year of
	 * hourly values per roof */
	double		ct = cosd(surface_tilt),
				st = sind(surface_tilt),
				cz = cosd(solar_zenith),
				sz = sind(solar_zenith);
	double		cos_aoi = fmax(-1.0, fmin(1.0, ct * cz + st * sz *
										 cosd(solar_azimuth - surface_azimuth)));
	double		sky;

	switch (model)
	{
		case SR_POA_HAYDAVIES:
			{
				double		ai = dni / dni_extra;	/* anisotropy index */
				double		rb = fmax(cos_aoi, 0.0) / fmax(cz, 0.01745);

				sky = fmax(dhi * (ai * rb + (1.0 - ai) * 0.5 * (1.0 + ct)), 0.0);
				break;
			}
		case SR_POA_PEREZ:
			if (isnan(airmass_relative))
				airmass_relative = sr_airmass_kastenyoung(solar_zenith);
			sky = perez_sky(ct, st, cos_aoi, solar_zenith, cz, dni, dhi,
							dni_extra, airmass_relative);
			break;
		default:
			sky = dhi * 0.5 * (1.0 + ct);
			break;
	}
	out->poa_direct = fmax(dni * cos_aoi, 0.0);
	out->poa_sky_diffuse = sky;
	out->poa_ground_diffuse = ghi * albedo * 0.5 * (1.0 - ct);
	out->poa_diffuse = out->poa_sky_diffuse + out->poa_ground_diffuse;
	out->poa_global = out->poa_direct + out->poa_diffuse;
}

/* Check a finite value inside [lo, hi]; name the parameter. */
static sr_status
check_range(const char *name, double v, double lo, double hi, const char *unit,
			sr_err *err)
{
	if (!isfinite(v))
		return sr_error(err, SR_EINVAL, "parameter \"%s\" must be a finite number", name);
	if (v < lo || v > hi)
		return sr_error(err, SR_ERANGE, "parameter \"%s\" must be between %g and %g%s, got %g",
						name, lo, hi, unit, v);
	return SR_OK;
}

sr_status
sr_poa_irradiance(double surface_tilt, double surface_azimuth,
				  double solar_zenith, double solar_azimuth,
				  double dni, double ghi, double dhi,
				  double dni_extra, double airmass_relative,
				  double albedo, sr_poa_model model,
				  sr_poa *out, sr_err *err)
{
	if (check_range("surface_tilt", surface_tilt, 0, 180, " degrees", err) ||
		check_range("surface_azimuth", surface_azimuth, -360, 360, " degrees", err) ||
		check_range("solar_zenith", solar_zenith, 0, 180, " degrees", err) ||
		check_range("solar_azimuth", solar_azimuth, -360, 360, " degrees", err) ||
		check_range("dni", dni, 0, 1e5, " W/m2", err) ||
		check_range("ghi", ghi, 0, 1e5, " W/m2", err) ||
		check_range("dhi", dhi, 0, 1e5, " W/m2", err) ||
		check_range("albedo", albedo, 0, 1, "", err))
		return err ? err->status : SR_EINVAL;
	if (model != SR_POA_ISOTROPIC)
	{
		if (isnan(dni_extra))
		{
			sr_error(err, SR_EINVAL, "parameter \"dni_extra\" is required by the \"%s\" model",
					 model == SR_POA_PEREZ ? "perez" : "haydavies");
			sr_error_hint(err, "Pass smartregion.extraterrestrial_irradiance(ts) as dni_extra.");
			return SR_EINVAL;
		}
		if (check_range("dni_extra", dni_extra, 1, 1e5, " W/m2", err))
			return err ? err->status : SR_EINVAL;
	}
	/* NaN is the Kasten-Young default; a given airmass has the range of
	 * absolute_airmass (0.5 was accepted here, 0.999 there) */
	if (!isnan(airmass_relative))
	{
		sr_status	st = sr_airmass_relative_check(airmass_relative, err);

		if (st != SR_OK)
			return st;
	}
	sr_poa_irradiance_nocheck(surface_tilt, surface_azimuth, solar_zenith,
							  solar_azimuth, dni, ghi, dhi, dni_extra,
							  airmass_relative, albedo, model, out);
	return SR_OK;
}
