/*
 * cadastre_irradiation.c — irradiation of a plane under a horizon from a
 * cumulative sky, and the hour-by-hour reference.
 *
 * Beam (+ circumsolar): the sky's sun positions are bucketed by horizon
 * sector and sorted by decreasing elevation; per sector and month, prefix
 * sums of en*sin(e), en*cos(e)*cos(az), en*cos(e)*sin(az) give the sum of
 * en*cos(incidence) = cosB*S1 + sinB*cosG*S2 + sinB*sinG*S3 over every sun
 * above the sector's horizon in two binary searches.  Suns that may hit
 * the back of the plane (incidence > 90 deg, only at low elevations behind
 * it) are summed one by one with max(0, cos).  Nothing is snapped to a
 * patch: the result is the exact sum over the actual sun positions.
 *
 * Isotropic diffuse: view factor of the visible sky weighted by cos
 * incidence, (1/pi) * integral over the sky above the horizon of
 * max(0, cos theta) dOmega, integrated in closed form in elevation per
 * sector (azimuth at the sector centre):
 *   G(lo) = cosB*cos^2(lo)/2 + sinB*c*(pi/4 - lo/2 - sin(2 lo)/4),
 * lo = max(horizon, elevation where the plane turns its back), c = cos(az-G).
 */
#include "sr_cadastre.h"
#include "sr_solar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int	gtab_ready;
static void gtab_init(void);

#define NCOMP 36				/* 3 components x 12 months (component-major) */
#define LUT_RES 4				/* elevation bins per degree of the count table */
#define LUT_N (90 * LUT_RES)

struct sr_sky_prep
{
	int			ns;
	int			n;
	int		   *sec_start;		/* [ns+1] into the sun arrays */
	double	   *el;				/* per sun, sorted by decreasing elevation in a sector */
	double	   *se, *cec, *ces, *en;	/* sin e, cos e cos az, cos e sin az, energy */
	uint8_t    *mon;
	float	   *pre;			/* [(n + ns) * NCOMP] prefix sums, one leading zero row per
								 * sector; float halves the memory traffic (relative error
								 * 6e-8, summed in double) */
	float	   *pre_a;			/* [(n + ns) * 3] annual prefix sums (the fast path) */
	int		   *lut;			/* [ns * (LUT_N + 2)] suns of the sector above i/LUT_RES deg */
	double		a_iso, a_band, a_ghi;	/* annual sums */
	double	   *cen_cos, *cen_sin;	/* sector centre azimuth */
	double	   *lo_cos, *lo_sin;	/* lower edge of sector k (upper = lower of k+1) */
	double		m_iso[12], m_band[12], m_ghi[12];
};

typedef struct sunref
{
	double		el, az, en;
	int			mon;
	int			sec;
} sunref;

static int
cmp_sun(const void *a, const void *b)
{
	const sunref *x = a, *y = b;

	if (x->sec != y->sec)
		return x->sec < y->sec ? -1 : 1;
	if (x->el != y->el)
		return x->el > y->el ? -1 : 1;	/* decreasing elevation */
	return x->az < y->az ? -1 : x->az > y->az;
}

void
sr_sky_prep_free(sr_sky_prep *p)
{
	if (!p)
		return;
	sr_free(p->sec_start);
	sr_free(p->el);
	sr_free(p->se);
	sr_free(p->cec);
	sr_free(p->ces);
	sr_free(p->en);
	sr_free(p->mon);
	sr_free(p->pre);
	sr_free(p->lut);
	sr_free(p->pre_a);
	sr_free(p->cen_cos);
	sr_free(p->cen_sin);
	sr_free(p->lo_cos);
	sr_free(p->lo_sin);
	sr_free(p);
}

int
sr_sky_prep_sectors(const sr_sky_prep *p)
{
	return p->ns;
}

sr_status
sr_sky_prepare(const sr_sky_hdr *sky, int ns, sr_sky_prep **out, sr_err *err)
{
	sr_sky_prep *p;
	sunref	   *sr;
	const double *az = sr_sky_az(sky), *el = sr_sky_el(sky), *en = sr_sky_en(sky);
	const uint8_t *mon = sr_sky_month(sky);
	int			n = sky->n_sun, i, k;

	*out = NULL;
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "sectors must be between %d and %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS);
	if (!gtab_ready)
		gtab_init();
	p = sr_alloc0(sizeof(sr_sky_prep));
	sr = sr_alloc(sizeof(sunref) * (n > 0 ? n : 1));
	if (!p || !sr)
	{
		sr_free(p);
		sr_free(sr);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	p->ns = ns;
	p->n = n;
	p->sec_start = sr_alloc0(sizeof(int) * (ns + 1));
	p->el = sr_alloc(sizeof(double) * (n + 1));
	p->se = sr_alloc(sizeof(double) * (n + 1));
	p->cec = sr_alloc(sizeof(double) * (n + 1));
	p->ces = sr_alloc(sizeof(double) * (n + 1));
	p->en = sr_alloc(sizeof(double) * (n + 1));
	p->mon = sr_alloc(n + 1);
	p->pre = sr_alloc0(sizeof(float) * NCOMP * (size_t) (n + ns));
	p->lut = sr_alloc0(sizeof(int) * (size_t) ns * (LUT_N + 2));
	p->pre_a = sr_alloc0(sizeof(float) * 3 * (size_t) (n + ns));
	p->cen_cos = sr_alloc(sizeof(double) * ns);
	p->cen_sin = sr_alloc(sizeof(double) * ns);
	p->lo_cos = sr_alloc(sizeof(double) * (ns + 1));
	p->lo_sin = sr_alloc(sizeof(double) * (ns + 1));
	if (!p->sec_start || !p->el || !p->se || !p->cec || !p->ces || !p->en ||
		!p->mon || !p->pre || !p->pre_a || !p->lut || !p->cen_cos || !p->cen_sin || !p->lo_cos || !p->lo_sin)
	{
		sr_free(sr);
		sr_sky_prep_free(p);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++)
	{
		sr[i].el = el[i];
		sr[i].az = az[i];
		sr[i].en = en[i];
		sr[i].mon = mon[i];
		sr[i].sec = sr_horizon_sector(az[i], ns);
	}
	qsort(sr, n, sizeof(sunref), cmp_sun);
	for (i = 0; i < n; i++)
	{
		double		e = sr[i].el * SR_DEG2RAD, a = sr[i].az * SR_DEG2RAD;

		p->sec_start[sr[i].sec + 1]++;
		p->el[i] = sr[i].el;
		p->se[i] = sin(e);
		p->cec[i] = cos(e) * cos(a);
		p->ces[i] = cos(e) * sin(a);
		p->en[i] = sr[i].en;
		p->mon[i] = (uint8_t) sr[i].mon;
	}
	for (k = 0; k < ns; k++)
		p->sec_start[k + 1] += p->sec_start[k];
	/* prefix sums: row (start_k + k + j) holds the sum of the first j suns
	 * (accumulated in double, stored in float) */
	for (k = 0; k < ns; k++)
	{
		int			s0 = p->sec_start[k], s1 = p->sec_start[k + 1], j, i;
		double		acc[NCOMP] = {0};
		float	   *row = p->pre + (size_t) NCOMP * (s0 + k);
		float	   *rowa = p->pre_a + (size_t) 3 * (s0 + k);
		double		a0 = 0, a1 = 0, a2 = 0;
		int		   *lut = p->lut + (size_t) k * (LUT_N + 2);

		for (j = s0; j < s1; j++)
		{
			int			m = p->mon[j];

			acc[m] += p->en[j] * p->se[j];
			acc[12 + m] += p->en[j] * p->cec[j];
			acc[24 + m] += p->en[j] * p->ces[j];
			row += NCOMP;
			for (i = 0; i < NCOMP; i++)
				row[i] = (float) acc[i];
			a0 += p->en[j] * p->se[j];
			a1 += p->en[j] * p->cec[j];
			a2 += p->en[j] * p->ces[j];
			rowa += 3;
			rowa[0] = (float) a0;
			rowa[1] = (float) a1;
			rowa[2] = (float) a2;
		}
		/* lut[i] = number of suns with elevation > i / LUT_RES deg */
		for (i = 0, j = s0; i <= LUT_N + 1; i++)
		{
			double		e = (double) i / LUT_RES;

			while (j > s0 && p->el[j - 1] <= e)
				j--;
			while (j < s1 && p->el[j] > e)
				j++;
			lut[i] = j - s0;
		}
	}
	for (k = 0; k < ns; k++)
	{
		double		c = k * 2.0 * SR_PI / ns;

		p->cen_cos[k] = cos(c);
		p->cen_sin[k] = sin(c);
	}
	for (k = 0; k <= ns; k++)
	{
		double		lo = (k - 0.5) * 2.0 * SR_PI / ns;

		p->lo_cos[k] = cos(lo);
		p->lo_sin[k] = sin(lo);
	}
	memcpy(p->m_iso, sky->m_iso, sizeof(p->m_iso));
	memcpy(p->m_band, sky->m_band, sizeof(p->m_band));
	memcpy(p->m_ghi, sky->m_ghi, sizeof(p->m_ghi));
	for (k = 0; k < 12; k++)
	{
		p->a_iso += p->m_iso[k];
		p->a_band += p->m_band[k];
		p->a_ghi += p->m_ghi[k];
	}
	sr_free(sr);
	*out = p;
	return SR_OK;
}

/* Number of suns of sector k (decreasing elevations from s0) strictly
 * above e: the count table gives the suns above the next bin edge, then a
 * scan of the few suns inside e's bin. */
static inline int
count_above(const sr_sky_prep *p, int k, int s0, double e)
{
	const int  *lut = p->lut + (size_t) k * (LUT_N + 2);
	double		f = e * LUT_RES;
	int			i, c;

	if (!(f >= 0))
		return p->sec_start[k + 1] - s0;
	if (f >= LUT_N)
		return 0;
	i = (int) f;
	c = lut[i + 1];
	while (c < lut[i] && p->el[s0 + c] > e)
		c++;
	return c;
}

/* atan with |error| < 1e-5 rad (minimax polynomial on [-1, 1], then
 * atan(x) = pi/2 - atan(1/x)); the view factors need no more. */
static inline double
fast_atan(double x)
{
	double		ax = fabs(x), z, z2, r;
	int			inv = ax > 1.0;

	z = inv ? 1.0 / ax : ax;
	z2 = z * z;
	r = z * (0.99997726 + z2 * (-0.33262347 + z2 * (0.19354346 +
			z2 * (-0.11643287 + z2 * (0.05265332 + z2 * -0.01172120)))));
	if (inv)
		r = SR_PI / 2 - r;
	return x < 0 ? -r : r;
}

/* Elevation (rad) below which a plane (sinB, cosB) turns its back to a sky
 * direction with c = cos(az - G); 0 if never. */
static inline double
back_elevation(double sb, double cb, double c)
{
	if (c >= 0 || sb <= 0)
		return 0.0;
	if (cb <= 1e-12)
		return SR_PI / 2;
	return fast_atan(-sb * c / cb);
}

/* Tables of the elevation integrals from lo to 90 deg, for lo in [0, 90]
 * deg by 0.05 deg (28 kB: stays in L1), linear in between (error < 1e-7):
 *   gc(lo) = cos^2(lo) / 2                      (int sin e cos e de)
 *   gs(lo) = pi/4 - lo/2 - sin(2 lo) / 4        (int cos^2 e de) */
#define GTAB_N 1800
static double gtab_cs[2 * (GTAB_N + 2)];	/* interleaved gc, gs */

static void
gtab_init(void)
{
	int			i;

	for (i = 0; i <= GTAB_N + 1; i++)
	{
		double		lo = (i > GTAB_N ? GTAB_N : i) * (SR_PI / 2) / GTAB_N;
		double		c = cos(lo);

		gtab_cs[2 * i] = c * c * 0.5;
		gtab_cs[2 * i + 1] = SR_PI / 4.0 - lo * 0.5 - sin(2.0 * lo) * 0.25;
	}
	gtab_ready = 1;
}

static inline void
gtab(double lo, double *gc, double *gs)
{
	double		f = lo * (GTAB_N / (SR_PI / 2));
	int			i;

	if (f <= 0)
	{
		*gc = 0.5;
		*gs = SR_PI / 4.0;
		return;
	}
	if (f >= GTAB_N)
	{
		*gc = *gs = 0.0;
		return;
	}
	i = (int) f;
	f -= i;
	*gc = gtab_cs[2 * i] + f * (gtab_cs[2 * i + 2] - gtab_cs[2 * i]);
	*gs = gtab_cs[2 * i + 1] + f * (gtab_cs[2 * i + 3] - gtab_cs[2 * i + 1]);
}

/* Integral of max(0, cos u) over a sector [a, b] narrower than 90 deg,
 * given sin and cos of both ends. */
static inline double
pos_cos_integral(double sa, double ca, double sbn, double cbn)
{
	if (ca >= 0 && cbn >= 0)
		return sbn - sa;
	if (ca < 0 && cbn < 0)
		return 0.0;
	if (ca >= 0)
		return 1.0 - sa;		/* leaves the front half at u = +90 deg */
	return sbn + 1.0;			/* enters it at u = -90 deg */
}

/* Isotropic and horizon-band view factors for one sector: c = cos at the
 * centre, (sa, ca), (sbn, cbn) = sin and cos of (edge - plane azimuth). */
static inline __attribute__((always_inline)) void
sector_view(double sb, double cb, double c, double sa, double ca,
			double sbn, double cbn, double h_rad, double w, double h_deg,
			double *fi, double *fb)
{
	double		ic = pos_cos_integral(sa, ca, sbn, cbn);
	double		vis = 1.0 - h_deg / SR_HORIZON_BAND_DEG;
	double		lo, g, gc, gs;

	if (sb <= 1e-12)
	{
		/* horizontal plane: faces every sector */
		gtab(h_rad, &gc, &gs);
		g = w * cb * gc;
	}
	else if (ca >= 0 && cbn >= 0)
	{
		/* whole sector in front of the plane: exact in azimuth too */
		gtab(h_rad, &gc, &gs);
		g = w * cb * gc + sb * gs * ic;
	}
	else if (ca < 0 && cbn < 0)
	{
		/* the plane turns its back to part of it: midpoint in azimuth */
		double		e0 = back_elevation(sb, cb, c);

		lo = h_rad > e0 ? h_rad : e0;
		gtab(lo, &gc, &gs);
		g = w * (cb * gc + sb * c * gs);
	}
	else
	{
		/* the edge of the plane's half-space crosses the sector (two sectors
		 * per plane): midpoint rule on 8 sub-sectors, cosines by rotation */
		/* rotation by a sub-sector and by half of one (cached per width) */
		static double cw = -1, cr, sr, ch, sh;
		double		dw = w / 8, cj, sj;
		int			j;

		if (cw != w)
		{
			cr = cos(dw);
			sr = sin(dw);
			ch = cos(dw / 2);
			sh = sin(dw / 2);
			cw = w;
		}
		cj = ca * ch - sa * sh;
		sj = sa * ch + ca * sh;

		g = 0.0;
		for (j = 0; j < 8; j++)
		{
			double		e0 = back_elevation(sb, cb, cj), t;

			lo = h_rad > e0 ? h_rad : e0;
			gtab(lo, &gc, &gs);
			g += dw * (cb * gc + sb * cj * gs);
			t = cj * cr - sj * sr;
			sj = sj * cr + cj * sr;
			cj = t;
		}
	}
	if (vis < 0)
		vis = 0;
	*fi += g;					/* divided by pi once, by the caller */
	*fb += sb * ic * vis;		/* halved once, by the caller */
}

void
sr_sky_view_factors(double tilt, double azimuth, const float *elev,
					int ns, double *f_iso, double *f_band)
{
	double		b = tilt * SR_DEG2RAD, g = azimuth * SR_DEG2RAD;
	double		sb = sin(b), cb = cos(b), w = 2.0 * SR_PI / ns;
	int			k;

	*f_iso = *f_band = 0.0;
	if (!gtab_ready)
		gtab_init();
	for (k = 0; k < ns; k++)
	{
		double		h = elev && elev[k] > 0 ? elev[k] : 0.0;
		double		lo = (k - 0.5) * w - g, hi = (k + 0.5) * w - g;

		sector_view(sb, cb, cos(k * w - g), sin(lo), cos(lo), sin(hi), cos(hi),
					h * SR_DEG2RAD, w, h, f_iso, f_band);
	}
	*f_iso /= SR_PI;
	*f_band *= 0.5;
}

/* The work of sr_plane_irradiation and sr_plane_irradiation_annual: with
 * monthly = 0 (a constant after inlining) only the annual prefix sums are
 * read, 3 floats per sector instead of 36. */
static inline void
plane_irr(const sr_sky_prep *p, double tilt, double azimuth, const float *elev,
		  double albedo, const int monthly, sr_irradiation *out)
{
	double		beam_a = 0.0;
	double		b = tilt * SR_DEG2RAD, g = azimuth * SR_DEG2RAD;
	double		sb = sin(b), cb = cos(b), sg = sin(g), cg = cos(g);
	double		k0 = cb, k1 = sb * cg, k2 = sb * sg;
	double		w = 2.0 * SR_PI / p->ns;
	double		fi = 0.0, fb = 0.0, ground;
	double		beam[12] = {0};
	/* float accumulators of the prefix rows (4 months per SSE operation;
	 * ~50 rows of ~1e5 Wh: relative error ~1e-7) */
	float		bf[12] = {0};
	const float k0f = (float) k0, k1f = (float) k1, k2f = (float) k2;
	/* sector (mod ns) holding the azimuth opposite to the plane */
	int			kback = sr_horizon_sector(azimuth + 180.0, p->ns);
	int			kfront = sr_horizon_sector(azimuth, p->ns);
	int			k, m;

	for (k = 0; k < p->ns; k++)
	{
		double		h = elev && elev[k] > 0 ? elev[k] : 0.0;
		double		hr = h * SR_DEG2RAD;
		double		c = p->cen_cos[k] * cg + p->cen_sin[k] * sg;
		double		clo = p->lo_cos[k] * cg + p->lo_sin[k] * sg;
		double		chi = p->lo_cos[k + 1] * cg + p->lo_sin[k + 1] * sg;
		double		slo = p->lo_sin[k] * cg - p->lo_cos[k] * sg;
		double		shi = p->lo_sin[k + 1] * cg - p->lo_cos[k + 1] * sg;
		double		cmin = k == kback ? -1.0 : (clo < chi ? clo : chi);
		int			s0 = p->sec_start[k], s1 = p->sec_start[k + 1];
		int			c1, c2, j;
		const float *row;

		{
			double		gi = 0.0, gb = 0.0;

			sector_view(sb, cb, c, slo, clo, shi, chi, hr, w, h, &gi, &gb);
			fi += gi;
			fb += gb;
		}
		if (s1 == s0)
			continue;
		c2 = count_above(p, k, s0, h);
		c1 = c2;
		if (cmin < 0 && sb > 0 && c2 > 0)
		{
			/* The plane turns its back to suns below e0(c) (c = cos of the
			 * azimuth difference).  Over the sector, e0 lies between
			 * e0(cmax) and e0(cmin): suns above e0(cmin) are surely in
			 * front (prefix sums), suns below e0(cmax) surely behind (zero),
			 * the narrow band between is summed one by one.  0.001 deg of
			 * margin covers the polynomial atan. */
			double		cmax = k == kfront ? 1.0 : (clo > chi ? clo : chi);
			double		hi = back_elevation(sb, cb, cmin) * SR_RAD2DEG + 1e-3;
			double		lo = cmax < 0 ? back_elevation(sb, cb, cmax) * SR_RAD2DEG - 1e-3 : h;

			if (lo > h)
				c2 = count_above(p, k, s0, lo);
			if (hi > h)
				c1 = count_above(p, k, s0, hi);
		}
		/* suns surely in front of the plane and above the horizon */
		if (monthly)
		{
			row = p->pre + (size_t) NCOMP * (s0 + k + c1);
			for (m = 0; m < 12; m++)
				bf[m] += k0f * row[m] + k1f * row[12 + m] + k2f * row[24 + m];
		}
		else
		{
			row = p->pre_a + (size_t) 3 * (s0 + k + c1);
			beam_a += k0 * row[0] + k1 * row[1] + k2 * row[2];
		}
		/* suns above the horizon that may be behind the plane: the band */
		for (j = s0 + c1; j < s0 + c2; j++)
		{
			double		ci = k0 * p->se[j] + k1 * p->cec[j] + k2 * p->ces[j];

			if (ci > 0)
			{
				if (monthly)
					beam[p->mon[j]] += p->en[j] * ci;
				else
					beam_a += p->en[j] * ci;
			}
		}
	}
	for (m = 0; m < 12; m++)
		beam[m] += bf[m];
	fi /= SR_PI;
	fb *= 0.5;
	ground = albedo * (1.0 - cb) * 0.5;
	memset(out, 0, sizeof(*out));
	if (!monthly)
	{
		double		d = fi * p->a_iso + fb * p->a_band;
		double		t = beam_a + d + ground * p->a_ghi;

		out->annual = t > 0 ? t : 0.0;
		out->beam = beam_a;
		out->sky_diffuse = d;
		out->ground = ground * p->a_ghi;
		return;
	}
	for (m = 0; m < 12; m++)
	{
		double		d = fi * p->m_iso[m] + fb * p->m_band[m];
		double		gr = ground * p->m_ghi[m];
		double		t = beam[m] + d + gr;

		out->monthly[m] = t > 0 ? t : 0.0;
		out->annual += out->monthly[m];
		out->beam += beam[m];
		out->sky_diffuse += d;
		out->ground += gr;
	}
}

void
sr_plane_irradiation(const sr_sky_prep *p, double tilt, double azimuth,
					 const float *elev, double albedo, sr_irradiation *out)
{
	plane_irr(p, tilt, azimuth, elev, albedo, 1, out);
}

double
sr_plane_irradiation_annual(const sr_sky_prep *p, double tilt, double azimuth,
							const float *elev, double albedo)
{
	sr_irradiation o;

	plane_irr(p, tilt, azimuth, elev, albedo, 0, &o);
	return o.annual;
}

/* Numerical view factors on a fine dome (reference for the closed form). */
static void
view_factors_numeric(double tilt, double azimuth, const float *elev, int ns,
					 double *f_iso, double *f_band)
{
	const int	SA = 16;		/* azimuth steps per sector */
	const double de = 0.05 * SR_DEG2RAD;	/* elevation step */
	double		b = tilt * SR_DEG2RAD, g = azimuth * SR_DEG2RAD;
	double		sb = sin(b), cb = cos(b), w = 2.0 * SR_PI / ns;
	int			k, j;

	*f_iso = *f_band = 0.0;
	for (k = 0; k < ns; k++)
	{
		double		h = elev && elev[k] > 0 ? elev[k] : 0.0;
		double		vis = 1.0 - h / SR_HORIZON_BAND_DEG;

		if (vis < 0)
			vis = 0;
		for (j = 0; j < SA; j++)
		{
			double		phi = k * w - w / 2 + (j + 0.5) * w / SA;
			double		c = cos(phi - g);
			double		e, sum = 0.0;

			for (e = h * SR_DEG2RAD + de / 2; e < SR_PI / 2; e += de)
			{
				double		ci = cb * sin(e) + sb * cos(e) * c;

				if (ci > 0)
					sum += ci * cos(e) * de;
			}
			*f_iso += sum * (w / SA) / SR_PI;
			if (c > 0)
				*f_band += 0.5 * (w / SA) * sb * c * vis;
		}
	}
}

static double
pressure_at(double elevation_m)
{
	return 1013.25 * pow(1.0 - 2.25577e-5 * elevation_m, 5.25588);
}

sr_status
sr_plane_irradiation_hourly(const sr_weather_rec *recs, int n, double lat,
							  double lon, double elevation_m, double tilt,
							  double azimuth, const float *elev, int ns,
							  double albedo, sr_irradiation *out, sr_err *err)
{
	double		fi, fb, ground = albedo * (1.0 - cos(tilt * SR_DEG2RAD)) * 0.5;
	int			i;

	memset(out, 0, sizeof(*out));
	if (!(tilt >= 0 && tilt <= 90))
		return sr_error(err, SR_EINVAL, "surface_tilt %g is out of range", tilt);
	view_factors_numeric(tilt, azimuth, elev, ns, &fi, &fb);
	for (i = 0; i < n; i++)
	{
		sr_solpos	sp;
		sr_sky_parts pt;
		double		mid = recs[i].unix_s - 1800.0;
		double		beam = 0.0, d, gr, tot;
		time_t		t = (time_t) floor(mid);
		struct tm	tm;
		sr_status	st;

		if (!isfinite(recs[i].ghi) || recs[i].ghi < 0 || !isfinite(recs[i].dhi) ||
			recs[i].dhi < 0 || !isfinite(recs[i].dni) || recs[i].dni < 0)
		{
			sr_error(err, SR_EDATA, "weather record %d has a negative or non-finite irradiance", i + 1);
			return err->status;
		}
		if (i % 512 == 0)
			sr_check_interrupts();
		st = sr_sun_position(mid, lat, lon, elevation_m, pressure_at(elevation_m),
							 12.0, 69.0, &sp, err);
		if (st != SR_OK)
			return st;
		gmtime_r(&t, &tm);
		sr_sky_split(recs[i].ghi, recs[i].dhi, sp.apparent_zenith, sp.azimuth,
					 tm.tm_yday + 1, &pt);
		if (pt.sun_up)
		{
			int			k = sr_horizon_sector(sp.azimuth, ns);
			double		h = elev && elev[k] > 0 ? elev[k] : 0.0;

			if (pt.elevation > h)
			{
				double		ca = sr_cos_aoi(tilt, azimuth, sp.apparent_zenith, sp.azimuth);

				if (ca > 0)
					beam = (pt.dni + pt.circ_n) * ca;
			}
		}
		d = fi * pt.iso + fb * pt.band;
		gr = ground * recs[i].ghi;
		tot = beam + d + gr;
		out->monthly[tm.tm_mon] += tot;
		out->beam += beam;
		out->sky_diffuse += d;
		out->ground += gr;
	}
	for (i = 0; i < 12; i++)
	{
		if (out->monthly[i] < 0)
			out->monthly[i] = 0;
		out->annual += out->monthly[i];
	}
	return SR_OK;
}
