/*
 * cadastre_sky.c — reconciliation of hourly weather, Perez 1990 split of the
 * diffuse, the cumulative sky (exact daylight sun positions + monthly
 * diffuse sums) and its serialised form.
 *
 * References: Perez R., Ineichen P., Seals R., Michalsky J., Stewart R.
 * (1990), Modeling daylight availability and irradiance components from
 * direct and global irradiance, Solar Energy 44(5) 271-289 (F1, F2 and the
 * 'allsitescomposite1990' coefficients, as in pvlib); Spencer (1971) for the
 * extraterrestrial irradiance; Robinson & Stone (2004) for the idea of a
 * cumulative sky, here with the sun kept at its exact positions.
 */
#include "sr_cadastre.h"
#include "sr_solar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Perez 1990 all-sites composite: f11 f12 f13 f21 f22 f23 per clearness bin */
static const double perez_coef[8][6] = {
	{-0.0080, 0.5880, -0.0620, -0.0600, 0.0720, -0.0220},
	{0.1300, 0.6830, -0.1510, -0.0190, 0.0660, -0.0290},
	{0.3300, 0.4870, -0.2210, 0.0550, -0.0640, -0.0260},
	{0.5680, 0.1870, -0.2950, 0.1090, -0.1520, -0.0140},
	{0.8730, -0.3920, -0.3620, 0.2260, -0.4620, 0.0010},
	{1.1320, -1.2370, -0.4120, 0.2880, -0.8230, 0.0560},
	{1.0600, -1.6000, -0.3590, 0.2640, -1.1270, 0.1310},
	{0.6780, -0.3270, -0.2500, 0.1560, -1.3770, 0.2510}
};

/* Upper limits of the sky clearness bins (Perez 1990, table 1) */
static const double perez_eps_bin[7] = {1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2};

double
sr_dni_extra(int doy)
{
	double		b = 2.0 * SR_PI * (doy - 1) / 365.0;

	return 1366.1 * (1.00011 + 0.034221 * cos(b) + 0.00128 * sin(b) +
					 0.000719 * cos(2 * b) + 0.000077 * sin(2 * b));
}

/* Kasten & Young (1989) relative airmass. */
static double
airmass_ky(double zenith_deg)
{
	return 1.0 / (cos(zenith_deg * SR_DEG2RAD) +
				  0.50572 * pow(96.07995 - zenith_deg, -1.6364));
}

void
sr_perez_f1f2(double dni, double dhi, double zenith_deg, double dni_extra,
			  double *f1, double *f2)
{
	const double kappa = 1.041;	/* for zenith in radians */
	double		z = zenith_deg * SR_DEG2RAD;
	double		z3 = kappa * z * z * z;
	double		eps, delta;
	int			bin = 0;

	*f1 = *f2 = 0.0;
	if (!(dhi > 0) || zenith_deg >= 90.0)
		return;
	/* sky clearness (eq. 1) and brightness (eq. 2) */
	eps = ((dhi + dni) / dhi + z3) / (1.0 + z3);
	delta = dhi * airmass_ky(zenith_deg) / dni_extra;
	while (bin < 7 && eps >= perez_eps_bin[bin])
		bin++;
	*f1 = perez_coef[bin][0] + perez_coef[bin][1] * delta + perez_coef[bin][2] * z;
	if (*f1 < 0)
		*f1 = 0;
	*f2 = perez_coef[bin][3] + perez_coef[bin][4] * delta + perez_coef[bin][5] * z;
}

void
sr_sky_split(double ghi, double dhi, double zenith_deg, double azimuth_deg,
			 int doy, sr_sky_parts *p)
{
	double		elev = 90.0 - zenith_deg;

	memset(p, 0, sizeof(*p));
	p->elevation = elev;
	p->azimuth = azimuth_deg;
	if (ghi < 0)
		ghi = 0;
	if (!(elev > 0) || !(ghi > 0))
	{
		/* sun down: whatever light is left is isotropic diffuse */
		p->dhi = p->iso = ghi;
		return;
	}
	{
		double		cz = cos(zenith_deg * SR_DEG2RAD);
		double		e0 = sr_dni_extra(doy);
		double		bh = ghi - dhi > 0 ? ghi - dhi : 0.0;
		double		dni = bh / cz;
		double		f1, f2, b;

		/* near the horizon Bh / cos z explodes: cap at the extraterrestrial
		 * normal irradiance, the rest stays diffuse */
		if (dni > e0)
			dni = e0;
		p->dni = dni;
		p->dhi = ghi - dni * cz;
		if (p->dhi < 0)
			p->dhi = 0;
		p->sun_up = 1;
		sr_perez_f1f2(p->dni, p->dhi, zenith_deg, e0, &f1, &f2);
		b = cz > cos(85.0 * SR_DEG2RAD) ? cz : cos(85.0 * SR_DEG2RAD);
		p->circ_n = p->dhi * f1 / b;
		/* Perez's a/b keeps only cz/b of the circumsolar on the horizontal
		 * when z > 85 deg: give the remainder to the isotropic part so that
		 * the horizontal total stays GHI */
		p->iso = p->dhi * (1.0 - f1) + p->dhi * f1 * (1.0 - cz / b);
		p->band = p->dhi * f2;
	}
}

size_t
sr_sky_size(int n_sun)
{
	return sizeof(sr_sky_hdr) + (size_t) n_sun * (3 * sizeof(double) + 1);
}

const double *
sr_sky_az(const sr_sky_hdr *s)
{
	return (const double *) ((const char *) s + sizeof(sr_sky_hdr));
}

const double *
sr_sky_el(const sr_sky_hdr *s)
{
	return sr_sky_az(s) + s->n_sun;
}

const double *
sr_sky_en(const sr_sky_hdr *s)
{
	return sr_sky_az(s) + 2 * (size_t) s->n_sun;
}

const uint8_t *
sr_sky_month(const sr_sky_hdr *s)
{
	return (const uint8_t *) (sr_sky_az(s) + 3 * (size_t) s->n_sun);
}

static int
cmp_rec(const void *a, const void *b)
{
	double		x = ((const sr_weather_rec *) a)->unix_s;
	double		y = ((const sr_weather_rec *) b)->unix_s;

	return x < y ? -1 : x > y;
}

/* Month (0-11) and day of year (1-366) of a UTC instant. */
static void
utc_month_doy(double unix_s, int *month, int *doy)
{
	time_t		t = (time_t) floor(unix_s);
	struct tm	tm;

	gmtime_r(&t, &tm);
	*month = tm.tm_mon;
	*doy = tm.tm_yday + 1;
}

/* Standard pressure at an altitude (hPa), for refraction. */
static double
pressure_at(double elevation_m)
{
	return 1013.25 * pow(1.0 - 2.25577e-5 * elevation_m, 5.25588);
}

sr_status
sr_sky_build(const sr_weather_rec *recs_in, int n, double lat, double lon,
			 double elevation_m, sr_sky_hdr **out, size_t *out_size,
			 sr_err *err)
{
	sr_weather_rec *recs;
	sr_sky_parts *parts;
	sr_sky_hdr *s;
	double	   *az, *el, *en;
	uint8_t    *mon;
	int		   *months;
	int			i, nsun = 0;
	size_t		size;
	sr_status	st;

	*out = NULL;
	if (!(lat >= -90 && lat <= 90))
		return sr_error(err, SR_EINVAL, "latitude %g is out of range", lat);
	if (!(lon >= -180 && lon <= 180))
		return sr_error(err, SR_EINVAL, "longitude %g is out of range", lon);
	if (!isfinite(elevation_m) || elevation_m < -500 || elevation_m > 9000)
		return sr_error(err, SR_EINVAL, "site elevation %g m is out of range", elevation_m);
	if (n < 1)
		return sr_error(err, SR_EDATA, "weather has no records");
	for (i = 0; i < n; i++)
	{
		const sr_weather_rec *r = &recs_in[i];

		if (!isfinite(r->unix_s) || !isfinite(r->ghi) || !isfinite(r->dni) ||
			!isfinite(r->dhi))
		{
			sr_error(err, SR_EDATA, "weather record %d has a non-finite value", i + 1);
			return err->status;
		}
		if (r->ghi < 0 || r->dni < 0 || r->dhi < 0)
		{
			sr_error(err, SR_EDATA, "weather record %d has a negative irradiance", i + 1);
			sr_error_detail(err, "ghi = %g, dni = %g, dhi = %g W/m2.", r->ghi, r->dni, r->dhi);
			return err->status;
		}
		if (r->ghi > 1500 || r->dni > 1500 || r->dhi > 1500)
		{
			sr_error(err, SR_EDATA, "weather record %d has an irradiance above 1500 W/m2", i + 1);
			return err->status;
		}
	}
	recs = sr_alloc(sizeof(sr_weather_rec) * n);
	parts = sr_alloc(sizeof(sr_sky_parts) * n);
	months = sr_alloc(sizeof(int) * n);
	if (!recs || !parts || !months)
	{
		sr_free(recs);
		sr_free(parts);
		sr_free(months);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	memcpy(recs, recs_in, sizeof(sr_weather_rec) * n);
	qsort(recs, n, sizeof(sr_weather_rec), cmp_rec);
	for (i = 1; i < n; i++)
		if (recs[i].unix_s == recs[i - 1].unix_s)
		{
			sr_free(recs);
			sr_free(parts);
			sr_free(months);
			return sr_error(err, SR_EDATA, "weather has two records at the same time (%.0f s since 1970)",
							recs[i].unix_s);
		}

	for (i = 0; i < n; i++)
	{
		sr_solpos	sp;
		double		mid = recs[i].unix_s - 1800.0;	/* middle of the hour */
		int			doy;

		if (i % 512 == 0)
			sr_check_interrupts();
		st = sr_sun_position(mid, lat, lon, elevation_m, pressure_at(elevation_m),
							 12.0, 69.0, &sp, err);
		if (st != SR_OK)
		{
			sr_free(recs);
			sr_free(parts);
			sr_free(months);
			return st;
		}
		utc_month_doy(mid, &months[i], &doy);
		sr_sky_split(recs[i].ghi, recs[i].dhi, sp.apparent_zenith, sp.azimuth,
					 doy, &parts[i]);
		if (parts[i].sun_up && parts[i].dni + parts[i].circ_n > 0)
			nsun++;
	}

	size = sr_sky_size(nsun);
	s = sr_alloc0(size);
	if (!s)
	{
		sr_free(recs);
		sr_free(parts);
		sr_free(months);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	s->version = SR_SKY_VERSION;
	s->n_sun = nsun;
	s->n_rec = n;
	s->lat = lat;
	s->lon = lon;
	s->elevation_m = elevation_m;
	az = (double *) sr_sky_az(s);
	el = (double *) sr_sky_el(s);
	en = (double *) sr_sky_en(s);
	mon = (uint8_t *) sr_sky_month(s);
	nsun = 0;
	for (i = 0; i < n; i++)
	{
		const sr_sky_parts *p = &parts[i];
		int			m = months[i];
		double		cz = sin(p->elevation * SR_DEG2RAD);

		/* each record is one hour: W/m2 -> Wh/m2 */
		s->ghi_sum += recs[i].ghi;
		s->dni_sum += recs[i].dni;
		s->dhi_sum += recs[i].dhi;
		s->m_ghi[m] += recs[i].ghi;
		s->m_iso[m] += p->iso;
		s->m_band[m] += p->band;
		if (p->sun_up)
		{
			s->m_beam_h[m] += p->dni * cz;
			s->m_circ_h[m] += p->circ_n * cz;
		}
		if (p->sun_up && p->dni + p->circ_n > 0)
		{
			az[nsun] = p->azimuth;
			el[nsun] = p->elevation;
			en[nsun] = p->dni + p->circ_n;
			mon[nsun] = (uint8_t) m;
			nsun++;
		}
	}
	sr_free(recs);
	sr_free(parts);
	sr_free(months);
	*out = s;
	*out_size = size;
	return SR_OK;
}

sr_status
sr_sky_validate(const void *blob, size_t size, sr_err *err)
{
	const sr_sky_hdr *s = blob;
	const double *az, *el, *en;
	const uint8_t *mon;
	int			i;

	if (size < sizeof(sr_sky_hdr))
		return sr_error(err, SR_ESYNTAX, "sky value is too short (%zu bytes)", size);
	if (s->version != SR_SKY_VERSION)
		return sr_error(err, SR_ESYNTAX, "sky value has version %d, expected %d",
						s->version, SR_SKY_VERSION);
	if (s->n_sun < 0 || s->n_sun > 1000000 || sr_sky_size(s->n_sun) != size)
		return sr_error(err, SR_ESYNTAX, "sky value has an inconsistent size");
	if (s->n_rec < 1 || s->n_sun > s->n_rec)
		return sr_error(err, SR_ESYNTAX, "sky value has an invalid record count");
	if (!(s->lat >= -90 && s->lat <= 90) || !(s->lon >= -180 && s->lon <= 180) ||
		!isfinite(s->elevation_m))
		return sr_error(err, SR_ESYNTAX, "sky value has an invalid site");
	if (!isfinite(s->ghi_sum) || !isfinite(s->dni_sum) || !isfinite(s->dhi_sum) ||
		s->ghi_sum < 0 || s->dni_sum < 0 || s->dhi_sum < 0)
		return sr_error(err, SR_ESYNTAX, "sky value has invalid sums");
	for (i = 0; i < 12; i++)
		if (!(s->m_ghi[i] >= 0) || !(s->m_iso[i] >= 0) || !isfinite(s->m_band[i]) ||
			!(s->m_beam_h[i] >= 0) || !(s->m_circ_h[i] >= 0) ||
			!isfinite(s->m_ghi[i] + s->m_iso[i] + s->m_beam_h[i] + s->m_circ_h[i]))
			return sr_error(err, SR_ESYNTAX, "sky value has invalid monthly sums");
	az = sr_sky_az(s);
	el = sr_sky_el(s);
	en = sr_sky_en(s);
	mon = sr_sky_month(s);
	for (i = 0; i < s->n_sun; i++)
		if (!(az[i] >= 0 && az[i] <= 360) || !(el[i] > 0 && el[i] <= 90) ||
			!(en[i] >= 0 && en[i] < 1e4) || mon[i] > 11)
			return sr_error(err, SR_ESYNTAX, "sky value has an invalid sun position %d", i + 1);
	return SR_OK;
}
