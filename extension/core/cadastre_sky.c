/*
 * cadastre_sky.c — reconciliation of hourly weather, the Perez all-weather
 * sky radiance distribution, the cumulative sky (diffuse radiance per
 * Reinhart patch and month + the exact daylight sun positions with their
 * beam) and its serialised form.
 *
 * References: Perez R., Seals R., Michalsky J. (1993), All-weather model
 * for sky luminance distribution - preliminary configuration and
 * validation, Solar Energy 50(3) 235-245, erratum 51(5) 423 (the model and
 * its coefficient table); Perez R., Ineichen P., Seals R., Michalsky J.,
 * Stewart R. (1990), Solar Energy 44(5) 271-289 (sky clearness and
 * brightness, F1/F2 for the POA functions); Reinhart C. (2001) and
 * Radiance's gendaymtx (patch subdivision, per-record normalisation to the
 * diffuse horizontal irradiance); Robinson D., Stone A. (2004), Irradiation
 * modelling made simple: the cumulative sky approach, Solar Energy 77(3);
 * Spencer (1971) for the extraterrestrial irradiance.
 */
#include "sr_cadastre.h"
#include "sr_solar.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double
sr_dni_extra(int doy)
{
	double		b = 2.0 * SR_PI * (doy - 1) / 365.0;

	return 1366.1 * (1.00011 + 0.034221 * cos(b) + 0.00128 * sin(b) +
					 0.000719 * cos(2 * b) + 0.000077 * sin(2 * b));
}

void
sr_perez_f1f2(double dni, double dhi, double zenith_deg, double dni_extra,
			  double *f1, double *f2)
{
	const double kappa = 1.041;	/* for zenith in radians */
	double		z = zenith_deg * SR_DEG2RAD;
	double		z3 = kappa * z * z * z;
	double		eps, delta;

	*f1 = *f2 = 0.0;
	if (!(dhi > 0) || zenith_deg >= 90.0)
		return;
	/* sky clearness (eq. 1) and brightness (eq. 2) */
	eps = ((dhi + dni) / dhi + z3) / (1.0 + z3);
	delta = dhi * sr_airmass_kastenyoung(zenith_deg) / dni_extra;
	sr_perez_brightening(eps, delta, z, f1, f2);
}

sr_status
sr_weather_check_max(const sr_weather_rec *r, long long recno, sr_err *err)
{
	if (!(r->ghi > SR_WEATHER_MAX_WM2 || r->dni > SR_WEATHER_MAX_WM2 || r->dhi > SR_WEATHER_MAX_WM2))
		return SR_OK;
	sr_error(err, SR_EDATA, "weather record %lld has an irradiance above %g W/m2", recno,
			 SR_WEATHER_MAX_WM2);
	sr_error_detail(err, "ghi = %g, dni = %g, dhi = %g W/m2; the extraterrestrial normal irradiance is 1414 W/m2 at most (early January).",
					r->ghi, r->dni, r->dhi);
	sr_error_hint(err, "Give the irradiance in W/m2 (the mean over the hour, Wh/m2): divide J/m2 over the hour by 3600.");
	return SR_EDATA;
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
		p->dhi = ghi;
		return;
	}
	{
		double		cz = cos(zenith_deg * SR_DEG2RAD);
		double		e0 = sr_dni_extra(doy);
		double		bh = ghi - dhi > 0 ? ghi - dhi : 0.0;
		double		dni = bh / cz;

		/* near the horizon Bh / cos z explodes: cap at the extraterrestrial
		 * normal irradiance, the rest stays diffuse */
		if (dni > e0)
			dni = e0;
		p->dni = dni;
		p->dhi = ghi - dni * cz;
		if (p->dhi < 0)
			p->dhi = 0;
		p->sun_up = 1;
	}
}

/* Perez, Seals & Michalsky (1993) table 1 (with the erratum): per clearness
 * bin, a1..a4 b1..b4 c1..c4 d1..d4 e1..e4. */
static const double aw_coef[8][20] = {
	{1.3525, -0.2576, -0.2690, -1.4366, -0.7670, 0.0007, 1.2734, -0.1233,
	2.8000, 0.6004, 1.2375, 1.0000, 1.8734, 0.6297, 0.9738, 0.2809,
	0.0356, -0.1246, -0.5718, 0.9938},
	{-1.2219, -0.7730, 1.4148, 1.1016, -0.2054, 0.0367, -3.9128, 0.9156,
	6.9750, 0.1774, 6.4477, -0.1239, -1.5798, -0.5081, -1.7812, 0.1080,
	0.2624, 0.0672, -0.2190, -0.4285},
	{-1.1000, -0.2515, 0.8952, 0.0156, 0.2782, -0.1812, -4.5000, 1.1766,
	24.7219, -13.0812, -37.7000, 34.8438, -5.0000, 1.5218, 3.9229, -2.6204,
	-0.0156, 0.1597, 0.4199, -0.5562},
	{-0.5484, -0.6654, -0.2672, 0.7117, 0.7234, -0.6219, -5.6812, 2.6297,
	33.3389, -18.3000, -62.2500, 52.0781, -3.5000, 0.0016, 1.1477, 0.1062,
	0.4659, -0.3296, -0.0876, -0.0329},
	{-0.6000, -0.3566, -2.5000, 2.3250, 0.2937, 0.0496, -5.6812, 1.8415,
	21.0000, -4.7656, -21.5906, 7.2492, -3.5000, -0.1554, 1.4062, 0.3988,
	0.0032, 0.0766, -0.0656, -0.1294},
	{-1.0156, -0.3670, 1.0078, 1.4051, 0.2875, -0.5328, -3.8500, 3.3750,
	14.0000, -0.9999, -7.1406, 7.5469, -3.4000, -0.1078, -1.0750, 1.5702,
	-0.0672, 0.4016, 0.3017, -0.4844},
	{-1.0000, 0.0211, 0.5025, -0.5119, -0.3000, 0.1922, 0.7023, -1.6317,
	19.0000, -5.0000, 1.2438, -1.9094, -4.0000, 0.0250, 0.3844, 0.2656,
	1.0468, -0.3788, -2.4517, 1.4656},
	{-1.0500, 0.0289, 0.4260, 0.3590, -0.3250, 0.1156, 0.7781, 0.0025,
	31.0625, -14.5000, -46.1148, 55.3750, -7.2312, 0.4050, 13.3500, 0.6234,
	1.5000, -0.6426, 1.8564, 0.5636}
};

int
sr_perez_aw_params(double dni, double dhi, double zenith_deg, double dni_extra,
				   sr_perez_aw *p)
{
	double		z, z3, eps, delta;
	const double *x;
	int			bin = 0, i;
	double		v[5];

	if (!(dhi > 0) || !(zenith_deg < 90.0))
		return 0;
	if (zenith_deg < 3.0)
		zenith_deg = 3.0;		/* keep the circumsolar off the zenith */
	z = zenith_deg * SR_DEG2RAD;
	z3 = 1.041 * z * z * z;
	eps = ((dhi + dni) / dhi + z3) / (1.0 + z3);
	delta = dhi * sr_airmass_kastenyoung(zenith_deg) / dni_extra;
	bin = sr_perez_clearness_bin(eps);
	/* the model's fit does not cover very dark partly cloudy skies */
	if (bin >= 1 && bin <= 4 && delta < 0.2)
		delta = 0.2;
	x = aw_coef[bin];
	for (i = 0; i < 5; i++)
		v[i] = x[4 * i] + x[4 * i + 1] * z + delta * (x[4 * i + 2] + x[4 * i + 3] * z);
	if (bin == 0)
	{
		/* overcast bin: c and d have their own forms (eqs. 7 and 8) */
		v[2] = exp(pow(delta * (x[8] + x[9] * z), x[10])) - x[11];
		v[3] = -exp(delta * (x[12] + x[13] * z)) + x[14] + delta * x[15];
	}
	p->a = v[0];
	p->b = v[1];
	p->c = v[2];
	p->d = v[3];
	p->e = v[4];
	p->eps = eps;
	p->delta = delta;
	p->bin = bin;
	return isfinite(v[0] + v[1] + v[2] + v[3] + v[4]);
}

double
sr_perez_aw_lv(const sr_perez_aw *p, double cos_zeta, double gamma)
{
	double		cg = cos(gamma), lv;

	if (cos_zeta < SR_PEREZ_AW_MIN_COSZ)
		cos_zeta = SR_PEREZ_AW_MIN_COSZ;
	lv = (1.0 + p->a * exp(p->b / cos_zeta)) *
		(1.0 + p->c * exp(p->d * gamma) + p->e * cg * cg);
	return lv > 0 ? lv : 0.0;
}

/* ---------- Reinhart patches ---------- */

static const int tregenza_row[7] = {30, 30, 24, 24, 18, 12, 6};

int
sr_sky_row_patches(int row)
{
	if (row >= 7 * SR_SKY_MF)
		return 1;
	return tregenza_row[row / SR_SKY_MF] * SR_SKY_MF;
}

int
sr_sky_row_first(int row)
{
	int			r, n = 0;

	for (r = 0; r < row; r++)
		n += sr_sky_row_patches(r);
	return n;
}

double
sr_sky_row_bottom(int row)
{
	if (row >= SR_SKY_NROWS)
		return 90.0;
	return row * 90.0 / (7 * SR_SKY_MF + 0.5);
}

double
sr_sky_patch_solid_angle(int row)
{
	double		e0 = sr_sky_row_bottom(row) * SR_DEG2RAD;
	double		e1 = sr_sky_row_bottom(row + 1) * SR_DEG2RAD;

	return 2.0 * SR_PI * (sin(e1) - sin(e0)) / sr_sky_row_patches(row);
}

size_t
sr_sky_size(int n_sun)
{
	return sizeof(sr_sky_hdr) + sizeof(float) * 12 * (size_t) SR_SKY_NPATCH +
		(size_t) n_sun * (3 * sizeof(double) + 1);
}

const float *
sr_sky_rad(const sr_sky_hdr *s)
{
	return (const float *) ((const char *) s + sizeof(sr_sky_hdr));
}

const double *
sr_sky_az(const sr_sky_hdr *s)
{
	return (const double *) (sr_sky_rad(s) + 12 * (size_t) SR_SKY_NPATCH);
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

/* ---------- the hourly trailer (version 3) ---------- */

static size_t
trailer_offset(int n_sun)
{
	return (sr_sky_size(n_sun) + 7) & ~(size_t) 7;
}

size_t
sr_sky_size3(int n_sun, int n_hour)
{
	return trailer_offset(n_sun) + sizeof(sr_sky_hours) +
		(size_t) n_hour * (sizeof(double) + 7 * sizeof(float) + 1);
}

const sr_sky_hours *
sr_sky_hours_of(const sr_sky_hdr *s)
{
	if (s->version < 3)
		return NULL;
	return (const sr_sky_hours *) ((const char *) s + trailer_offset(s->n_sun));
}

const double *
sr_sky_hours_ts(const sr_sky_hours *h)
{
	return (const double *) (h + 1);
}

const float *
sr_sky_hours_col(const sr_sky_hours *h, int k)
{
	return (const float *) (sr_sky_hours_ts(h) + h->n_hour) + (size_t) k * h->n_hour;
}

const uint8_t *
sr_sky_hours_month(const sr_sky_hours *h)
{
	return (const uint8_t *) sr_sky_hours_col(h, 7);
}

/* a record with its measured temperature and wind, for sorting */
typedef struct met_rec
{
	sr_weather_rec r;
	double		t, w;
} met_rec;

static int
cmp_rec(const void *a, const void *b)
{
	double		x = ((const met_rec *) a)->r.unix_s;
	double		y = ((const met_rec *) b)->r.unix_s;

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

double
sr_sky_pressure_hpa(double elevation_m)
{
	return 1013.25 * pow(1.0 - 2.25577e-5 * elevation_m, 5.25588);
}

sr_status
sr_sky_build(const sr_weather_rec *recs_in, int n, double lat, double lon,
			 double elevation_m, sr_sky_hdr **out, size_t *out_size,
			 sr_err *err)
{
	return sr_sky_build_met(recs_in, NULL, NULL, n, lat, lon, elevation_m, out,
							out_size, err);
}

sr_status
sr_sky_build_met(const sr_weather_rec *recs_in, const double *temp_in,
				 const double *wind_in, int n, double lat, double lon,
				 double elevation_m, sr_sky_hdr **out, size_t *out_size,
				 sr_err *err)
{
	met_rec    *mr;
	sr_weather_rec *recs;
	sr_sky_parts *parts;
	sr_sky_hdr *s;
	double	   *az, *el, *en, *acc;
	double		iso[12] = {0};
	uint8_t    *mon;
	int		   *months;
	int			i, m, nsun = 0;
	struct patch_geom
	{
		double		se, ce, ca, sa, h;
	}		   *pg;
	double	   *lv;
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
	if (n > SR_SKY_MAX_HOURS)
	{
		/* past it the sky could list more suns than a sky value holds */
		return sr_error(err, SR_ERANGE, "weather has %d records, more than the %d hours a sky holds",
						n, SR_SKY_MAX_HOURS);
	}
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
		if (sr_weather_check_max(r, i + 1, err) != SR_OK)
			return err->status;
	}
	if ((temp_in == NULL) != (wind_in == NULL))
		return sr_error(err, SR_EINVAL, "air temperature and wind speed go together");
	for (i = 0; temp_in && i < n; i++)
		if (!sr_met_valid(temp_in[i], wind_in[i]))
		{
			sr_error(err, SR_EDATA, "weather record %d has an air temperature or wind speed out of range", i + 1);
			sr_error_detail(err, "temp_air = %g C (accepted -90 to 70), wind_speed = %g m/s (0 to 100).",
							temp_in[i], wind_in[i]);
			return err->status;
		}
	recs = sr_alloc(sizeof(sr_weather_rec) * n);
	parts = sr_alloc(sizeof(sr_sky_parts) * n);
	months = sr_alloc(sizeof(int) * n);
	mr = sr_alloc(sizeof(met_rec) * n);
	if (!recs || !parts || !months || !mr)
	{
		sr_free(recs);
		sr_free(parts);
		sr_free(months);
		sr_free(mr);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
	{
		mr[i].r = recs_in[i];
		mr[i].t = temp_in ? temp_in[i] : 0.0;
		mr[i].w = wind_in ? wind_in[i] : 0.0;
	}
	qsort(mr, n, sizeof(met_rec), cmp_rec);
	for (i = 0; i < n; i++)
		recs[i] = mr[i].r;
	for (i = 1; i < n; i++)
		if (recs[i].unix_s == recs[i - 1].unix_s)
		{
			double		t = recs[i].unix_s;

			sr_free(recs);
			sr_free(parts);
			sr_free(months);
			sr_free(mr);
			return sr_error(err, SR_EDATA, "weather has two records at the same time (%.0f s since 1970)",
							t);
		}

	for (i = 0; i < n; i++)
	{
		sr_solpos	sp;
		double		mid = recs[i].unix_s - 1800.0;	/* middle of the hour */
		int			doy;

		if (i % 512 == 0)
			sr_check_interrupts();
		st = sr_sun_position(mid, lat, lon, elevation_m, sr_sky_pressure_hpa(elevation_m),
							 12.0, 69.0, &sp, err);
		if (st != SR_OK)
		{
			sr_free(recs);
			sr_free(parts);
			sr_free(months);
			sr_free(mr);
			return st;
		}
		utc_month_doy(mid, &months[i], &doy);
		sr_sky_split(recs[i].ghi, recs[i].dhi, sp.apparent_zenith, sp.azimuth,
					 doy, &parts[i]);
		parts[i].doy = doy;
		if (parts[i].sun_up && parts[i].dni > 0)
			nsun++;
	}

	{
		int			nh = 0;

		for (i = 0; i < n; i++)
			nh += recs[i].ghi > 0;
		size = sr_sky_size3(nsun, nh);
	}
	s = sr_alloc0(size);
	acc = sr_alloc0(sizeof(double) * 12 * (size_t) SR_SKY_NPATCH);
	pg = sr_alloc(sizeof(struct patch_geom) * SR_SKY_NPATCH);
	lv = sr_alloc(sizeof(double) * SR_SKY_NPATCH);
	if (!s || !acc || !pg || !lv)
	{
		sr_free(s);
		sr_free(acc);
		sr_free(pg);
		sr_free(lv);
		sr_free(recs);
		sr_free(parts);
		sr_free(months);
		sr_free(mr);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	s->version = SR_SKY_VERSION;
	s->mf = SR_SKY_MF;
	s->n_patch = SR_SKY_NPATCH;
	s->n_sun = nsun;
	s->n_rec = n;
	s->lat = lat;
	s->lon = lon;
	s->elevation_m = elevation_m;
	az = (double *) sr_sky_az(s);
	el = (double *) sr_sky_el(s);
	en = (double *) sr_sky_en(s);
	mon = (uint8_t *) sr_sky_month(s);
	{
		/* patch geometry: centre direction and horizontal weight
		 * H = integral of sin(e) dOmega over the patch (sum = pi) */
		int			r, j, q = 0;

		for (r = 0; r < SR_SKY_NROWS; r++)
		{
			int			np = sr_sky_row_patches(r);
			double		e0 = sr_sky_row_bottom(r) * SR_DEG2RAD;
			double		e1 = sr_sky_row_bottom(r + 1) * SR_DEG2RAD;
			double		ec = r == SR_SKY_NROWS - 1 ? SR_PI / 2 : 0.5 * (e0 + e1);
			double		h = (2.0 * SR_PI / np) * 0.5 * (sin(e1) * sin(e1) - sin(e0) * sin(e0));

			for (j = 0; j < np; j++, q++)
			{
				double		a = 2.0 * SR_PI * j / np;

				pg[q].se = sin(ec);
				pg[q].ce = cos(ec);
				pg[q].ca = cos(a);
				pg[q].sa = sin(a);
				pg[q].h = h;
			}
		}
	}
	nsun = 0;
	for (i = 0; i < n; i++)
	{
		const sr_sky_parts *p = &parts[i];
		int			mo = months[i];
		double		cz = sin(p->elevation * SR_DEG2RAD);
		sr_perez_aw aw;

		if (i % 64 == 0)
			sr_check_interrupts();
		/* each record is one hour: W/m2 -> Wh/m2 */
		s->ghi_sum += recs[i].ghi;
		s->dni_sum += recs[i].dni;
		s->dhi_sum += recs[i].dhi;
		s->m_ghi[mo] += recs[i].ghi;
		s->m_dhi[mo] += p->dhi;
		if (p->sun_up)
		{
			s->n_day++;
			s->m_beam_h[mo] += p->dni * cz;
		}
		if (p->sun_up && p->dni > 0)
		{
			az[nsun] = p->azimuth;
			el[nsun] = p->elevation;
			en[nsun] = p->dni;
			mon[nsun] = (uint8_t) mo;
			nsun++;
		}
		if (!(p->dhi > 0))
			continue;
		if (p->sun_up &&
			sr_perez_aw_params(p->dni, p->dhi, 90.0 - p->elevation,
							   sr_dni_extra(p->doy), &aw))
		{
			/* Perez all-weather radiance at every patch centre, normalised
			 * so that the sky's horizontal irradiance is DHI* */
			double		se_el = p->elevation > 87.0 ? 87.0 : p->elevation;
			double		ss = sin(se_el * SR_DEG2RAD), cs = cos(se_el * SR_DEG2RAD);
			double		cas = cos(p->azimuth * SR_DEG2RAD), sas = sin(p->azimuth * SR_DEG2RAD);
			double		norm = 0.0, k;
			int			q;

			for (q = 0; q < SR_SKY_NPATCH; q++)
			{
				double		cg = pg[q].se * ss + pg[q].ce * cs * (pg[q].ca * cas + pg[q].sa * sas);

				if (cg > 1)
					cg = 1;
				else if (cg < -1)
					cg = -1;
				lv[q] = sr_perez_aw_lv(&aw, pg[q].se, acos(cg));
				norm += lv[q] * pg[q].h;
			}
			if (norm > 0)
			{
				double	   *dst = acc + (size_t) mo * SR_SKY_NPATCH;

				k = p->dhi / norm;
				for (q = 0; q < SR_SKY_NPATCH; q++)
					dst[q] += k * lv[q];
				continue;
			}
		}
		/* sun down (or a sky the model cannot shape): isotropic */
		iso[mo] += p->dhi / SR_PI;
	}
	{
		float	   *rad = (float *) sr_sky_rad(s);
		int			q;

		for (m = 0; m < 12; m++)
			for (q = 0; q < SR_SKY_NPATCH; q++)
				rad[(size_t) m * SR_SKY_NPATCH + q] =
					(float) (acc[(size_t) m * SR_SKY_NPATCH + q] + iso[m]);
	}
	{
		/* the trailer: every hour with light, for the PV model */
		sr_sky_hours *h = (sr_sky_hours *) sr_sky_hours_of(s);
		double	   *ts;
		float	   *col[7];
		uint8_t    *hm;
		int			j = 0, k;

		for (i = 0; i < n; i++)
			j += recs[i].ghi > 0;
		h->n_hour = j;
		h->flags = temp_in ? SR_SKY_HAS_MET : 0;
		ts = (double *) sr_sky_hours_ts(h);
		for (k = 0; k < 7; k++)
			col[k] = (float *) sr_sky_hours_col(h, k);
		hm = (uint8_t *) sr_sky_hours_month(h);
		for (i = 0, j = 0; i < n; i++)
		{
			const sr_sky_parts *p = &parts[i];

			if (!(recs[i].ghi > 0))
				continue;
			ts[j] = recs[i].unix_s;
			col[0][j] = (float) recs[i].ghi;
			col[1][j] = (float) p->dhi;
			/* exactly the hours of the sun list carry a DNI* */
			col[2][j] = p->sun_up && p->dni > 0 ? (float) p->dni : 0.0f;
			if (p->sun_up && p->dni > 0 && !(col[2][j] > 0))
				col[2][j] = FLT_MIN;
			col[3][j] = (float) p->elevation;
			col[4][j] = (float) p->azimuth;
			col[5][j] = (float) mr[i].t;
			col[6][j] = (float) mr[i].w;
			hm[j] = (uint8_t) months[i];
			h->temp_sum += col[5][j];
			h->wind_sum += col[6][j];
			j++;
		}
	}
	sr_free(acc);
	sr_free(pg);
	sr_free(lv);
	sr_free(recs);
	sr_free(parts);
	sr_free(months);
	sr_free(mr);
	{
		/* a sky no sky value could hold is refused here, not when it is read
		 * back (a dump that does not restore): many years of sunny weather
		 * pass the bound of a patch's monthly radiance (1e8 Wh/m2/sr: about
		 * a century of cloudless days, docs/cadastre.md) */
		sr_err		verr;

		sr_err_clear(&verr);
		if (sr_sky_validate(s, size, &verr) != SR_OK)
		{
			sr_free(s);
			sr_error(err, SR_ERANGE, "the sky of %d weather records exceeds what a sky value holds", n);
			sr_error_detail(err, "The sky built fails the check of every sky value: %s.", verr.msg);
			sr_error_hint(err, "Build one sky per period, with fewer years of weather in each.");
			return err->status;
		}
	}
	*out = s;
	*out_size = size;
	return SR_OK;
}

/* The hourly trailer: flags, increasing times, finite values in range,
 * exactly the sun list's hours carrying a DNI*, consistent sums. */
static sr_status
validate_hours(const sr_sky_hdr *s, sr_err *err)
{
	const sr_sky_hours *h = sr_sky_hours_of(s);
	const double *ts = sr_sky_hours_ts(h);
	const float *ghi = sr_sky_hours_col(h, 0), *dhi = sr_sky_hours_col(h, 1),
			   *dni = sr_sky_hours_col(h, 2), *el = sr_sky_hours_col(h, 3),
			   *az = sr_sky_hours_col(h, 4), *ta = sr_sky_hours_col(h, 5),
			   *ws = sr_sky_hours_col(h, 6);
	const uint8_t *mon = sr_sky_hours_month(h);
	const double *sel = sr_sky_el(s);
	double		tsum = 0, wsum = 0;
	int			nsun = 0, met = (h->flags & SR_SKY_HAS_MET) != 0;

	if (h->flags & ~SR_SKY_HAS_MET)
		return sr_error(err, SR_ESYNTAX, "sky value has invalid hourly flags");
	for (int i = 0; i < h->n_hour; i++)
	{
		if (!isfinite(ts[i]) || (i > 0 && !(ts[i] > ts[i - 1])) ||
			!(ghi[i] > 0 && ghi[i] <= 1500) || !(dhi[i] >= 0 && dhi[i] <= 1500) ||
			!(dni[i] >= 0 && dni[i] < 1e4) || !(el[i] >= -90 && el[i] <= 90) ||
			!(az[i] >= 0 && az[i] <= 360) || mon[i] > 11 ||
			!(met ? sr_met_valid(ta[i], ws[i])
			  : (ta[i] == 0 && ws[i] == 0)))
			return sr_error(err, SR_ESYNTAX, "sky value has an invalid hourly record %d", i + 1);
		if (dni[i] > 0)
		{
			/* the sun list is these hours, in this order */
			if (nsun >= s->n_sun || fabs(sel[nsun] - el[i]) > 1e-3)
				return sr_error(err, SR_ESYNTAX, "sky value has hourly records inconsistent with its suns");
			nsun++;
		}
		tsum += ta[i];
		wsum += ws[i];
	}
	if (nsun != s->n_sun || fabs(tsum - h->temp_sum) > 1e-9 * (1 + fabs(tsum)) ||
		fabs(wsum - h->wind_sum) > 1e-9 * (1 + fabs(wsum)))
		return sr_error(err, SR_ESYNTAX, "sky value has hourly records inconsistent with its suns");
	return SR_OK;
}

sr_status
sr_sky_validate(const void *blob, size_t size, sr_err *err)
{
	const sr_sky_hdr *s = blob;
	const double *az, *el, *en;
	const float *rad;
	const uint8_t *mon;
	int			i;

	if (size < sizeof(sr_sky_hdr))
		return sr_error(err, SR_ESYNTAX, "sky value is too short (%zu bytes)", size);
	if (s->version != 2 && s->version != SR_SKY_VERSION)
		return sr_error(err, SR_ESYNTAX, "sky value has version %d, expected 2 or %d",
						s->version, SR_SKY_VERSION);
	if (s->mf != SR_SKY_MF || s->n_patch != SR_SKY_NPATCH)
		return sr_error(err, SR_ESYNTAX, "sky value has %d patches, expected %d",
						s->n_patch, SR_SKY_NPATCH);
	if (s->n_sun < 0 || s->n_sun > SR_SKY_MAX_HOURS)
		return sr_error(err, SR_ESYNTAX, "sky value has an inconsistent size");
	if (s->version == 2 && sr_sky_size(s->n_sun) != size)
		return sr_error(err, SR_ESYNTAX, "sky value has an inconsistent size");
	if (s->version == 3)
	{
		const sr_sky_hours *h;

		if (size < sr_sky_size3(s->n_sun, 0))
			return sr_error(err, SR_ESYNTAX, "sky value has an inconsistent size");
		h = sr_sky_hours_of(s);
		if (h->n_hour < 0 || h->n_hour > s->n_rec || sr_sky_size3(s->n_sun, h->n_hour) != size)
			return sr_error(err, SR_ESYNTAX, "sky value has an inconsistent size");
	}
	if (s->n_rec < 1 || s->n_sun > s->n_rec || s->n_day < s->n_sun || s->n_day > s->n_rec)
		return sr_error(err, SR_ESYNTAX, "sky value has an invalid record count");
	if (!(s->lat >= -90 && s->lat <= 90) || !(s->lon >= -180 && s->lon <= 180) ||
		!(s->elevation_m >= -500 && s->elevation_m <= 9000))	/* the range of sr_sky_build_met */
		return sr_error(err, SR_ESYNTAX, "sky value has an invalid site");
	if (!isfinite(s->ghi_sum) || !isfinite(s->dni_sum) || !isfinite(s->dhi_sum) ||
		s->ghi_sum < 0 || s->dni_sum < 0 || s->dhi_sum < 0)
		return sr_error(err, SR_ESYNTAX, "sky value has invalid sums");
	for (i = 0; i < 12; i++)
		if (!(s->m_ghi[i] >= 0) || !(s->m_dhi[i] >= 0) || !(s->m_beam_h[i] >= 0) ||
			!isfinite(s->m_ghi[i] + s->m_dhi[i] + s->m_beam_h[i]))
			return sr_error(err, SR_ESYNTAX, "sky value has invalid monthly sums");
	rad = sr_sky_rad(s);
	for (i = 0; i < 12 * SR_SKY_NPATCH; i++)
		if (!(rad[i] >= 0 && rad[i] < 1e8))
			return sr_error(err, SR_ESYNTAX, "sky value has an invalid radiance (patch %d, month %d)",
							i % SR_SKY_NPATCH + 1, i / SR_SKY_NPATCH + 1);
	az = sr_sky_az(s);
	el = sr_sky_el(s);
	en = sr_sky_en(s);
	mon = sr_sky_month(s);
	for (i = 0; i < s->n_sun; i++)
		if (!(az[i] >= 0 && az[i] <= 360) || !(el[i] > 0 && el[i] <= 90) ||
			!(en[i] >= 0 && en[i] < 1e4) || mon[i] > 11)
			return sr_error(err, SR_ESYNTAX, "sky value has an invalid sun position %d", i + 1);
	if (s->version == 3)
		return validate_hours(s, err);
	return SR_OK;
}
