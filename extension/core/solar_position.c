/*
 * solar_position.c — NREL Solar Position Algorithm (SPA).
 *
 * Reda I., Andreas A. (2004), "Solar position algorithm for solar radiation
 * applications", Solar Energy 76(5) 577-589, and NREL/TP-560-34302 (revised
 * 2008).  Equation numbers below are the report's.  Uncertainty of the
 * algorithm: +/-0.0003 deg for years -2000..6000.
 *
 * Speed: the time-only part (heliocentric series, nutation, sidereal time,
 * geocentric sun) is computed once per instant in sr_spa_time_init(); the
 * site part (topocentric correction, refraction, azimuth) is cheap.  The
 * ~260 periodic terms use a local sine/cosine kernel (fdlibm's minimax
 * polynomials after Cody-Waite reduction; |error| <= 2.3e-16 measured over
 * 5 million random arguments in +-70,000 rad, the range of the
 * arguments met here) instead of libm's, which checks huge arguments and
 * does not vectorise.
 */
#include "sr_solar.h"

#include <math.h>
#include <string.h>

#include "solar_spa_tables.h"

/* fdlibm __kernel_sin / __kernel_cos coefficients, |r| <= pi/4 */
#define KS1 (-1.66666666666666324348e-01)
#define KS2 8.33333333332248946124e-03
#define KS3 (-1.98412698298579493134e-04)
#define KS4 2.75573137070700676789e-06
#define KS5 (-2.50507602534068634195e-08)
#define KS6 1.58969099521155010221e-10
#define KC1 4.16666666666666019037e-02
#define KC2 (-1.38888888888741095749e-03)
#define KC3 2.48015872894767294178e-05
#define KC4 (-2.75573143513906633035e-07)
#define KC5 2.08757232129817482790e-09
#define KC6 (-1.13596475577881948265e-11)
/* pi/2 split for Cody-Waite reduction (33 + 53 bits) */
#define PIO2_1 1.57079632673412561417e+00
#define PIO2_1T 6.07710050650619224932e-11
#define INV_PIO2 6.36619772367581382433e-01

/* The two vectorisable loops are also compiled for AVX2+FMA, chosen at
 * load time (GCC function multiversioning), when the compiler supports it. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && \
	!defined(SR_NO_CLONES)
#define SR_SPA_CLONES __attribute__((target_clones("avx2,fma", "default")))
#else
#define SR_SPA_CLONES
#endif

/* 1.5 * 2^52: adding and subtracting it rounds a double to the nearest
 * integer (round-to-nearest mode, no -ffast-math), without a libm call. */
#define ROUND_MAGIC 6755399441055744.0

/* sin and cos of x (radians), |x| < 1e5; branch-free (the quadrant is
 * applied arithmetically) so that loops of it pipeline and vectorise. */
static inline void
fast_sincos(double x, double *s, double *c)
{
	double		k = (x * INV_PIO2 + ROUND_MAGIC) - ROUND_MAGIC;
	int			q = (int) k;
	double		r = (x - k * PIO2_1) - k * PIO2_1T;
	double		z = r * r;
	double		sr = r + r * z * (KS1 + z * (KS2 + z * (KS3 + z * (KS4 + z * (KS5 + z * KS6)))));
	double		cr = 1.0 - 0.5 * z + z * z * (KC1 + z * (KC2 + z * (KC3 + z * (KC4 + z * (KC5 + z * KC6)))));
	double		swap = (double) (q & 1);	/* odd quadrant: sin <-> cos */
	double		s0 = sr + swap * (cr - sr);
	double		c0 = cr + swap * (sr - cr);

	*s = s0 * (1.0 - (double) (q & 2));	/* quadrants 2, 3: sin < 0 */
	*c = c0 * (1.0 - (double) ((q + 1) & 2));	/* quadrants 1, 2: cos < 0 */
}

/* cos of x (radians), |x| < 1e5. */
static inline double
fast_cos(double x)
{
	double		s,
				c;

	fast_sincos(x, &s, &c);
	return c;
}

/* sin and cos through libm (portable: sincos() is a GNU extension). */
static inline void
sr_sincos(double x, double *s, double *c)
{
	*s = sin(x);
	*c = cos(x);
}

/* Exported for the unit tests (declared there, not in the header). */
double		sr_spa_fast_cos_for_test(double x);
double
sr_spa_fast_cos_for_test(double x)
{
	return fast_cos(x);
}

/*
 * The 195 terms A cos(B + C jme) of Eq. 9 are copied once into flat arrays
 * (padded to 200 with A = 0), so that one loop without branches or indirect
 * loads evaluates them all; it vectorises (AVX2 clone), which is faster
 * than sharing the sines/cosines of the 98 distinct frequencies through
 * indirect loads.
 */
#define SPA_NTABLES 13
#define SPA_MAXTERMS 200		/* 195 used; a multiple of 4 */

typedef struct spa_prepared
{
	int			first[SPA_NTABLES + 1];	/* term range of each table */
	double		a[SPA_MAXTERMS];
	double		b[SPA_MAXTERMS];
	double		c[SPA_MAXTERMS];
	double		nut_y[5][64];	/* nutation multipliers as doubles, padded */
} spa_prepared;

static spa_prepared spa_prep;
static int	spa_prep_done = 0;

static void
spa_prepare_tables(void)
{
	static const spa_term *const tabs[SPA_NTABLES] = {
		SPA_L0, SPA_L1, SPA_L2, SPA_L3, SPA_L4, SPA_L5, SPA_B0, SPA_B1,
		SPA_R0, SPA_R1, SPA_R2, SPA_R3, SPA_R4
	};
	static const int ns[SPA_NTABLES] = {
		SPA_N(SPA_L0), SPA_N(SPA_L1), SPA_N(SPA_L2), SPA_N(SPA_L3),
		SPA_N(SPA_L4), SPA_N(SPA_L5), SPA_N(SPA_B0), SPA_N(SPA_B1),
		SPA_N(SPA_R0), SPA_N(SPA_R1), SPA_N(SPA_R2), SPA_N(SPA_R3),
		SPA_N(SPA_R4)
	};
	spa_prepared *p = &spa_prep;
	int			n = 0;

	memset(p, 0, sizeof(*p));
	for (int t = 0; t < SPA_NTABLES; t++)
	{
		p->first[t] = n;
		for (int i = 0; i < ns[t]; i++, n++)
		{
			p->a[n] = tabs[t][i].a;
			p->b[n] = tabs[t][i].b;
			p->c[n] = tabs[t][i].c;
		}
	}
	p->first[SPA_NTABLES] = n;
	for (int i = 0; i < SPA_N(SPA_NUT); i++)
		for (int j = 0; j < 5; j++)
			p->nut_y[j][i] = SPA_NUT[i].y[j];
	/* release: a thread that sees the flag sees the tables */
	__atomic_store_n(&spa_prep_done, 1, __ATOMIC_RELEASE);
}

/* The 13 series sums of Eq. 9 (L0..L5, B0, B1, R0..R4) at jme. */
SR_SPA_CLONES static void
spa_series_all(double jme, double *sums)
{
	const spa_prepared *p = &spa_prep;
	double		v[SPA_MAXTERMS];

	if (!__atomic_load_n(&spa_prep_done, __ATOMIC_ACQUIRE))
		spa_prepare_tables();
	for (int i = 0; i < SPA_MAXTERMS; i++)
		v[i] = p->a[i] * fast_cos(p->b[i] + p->c[i] * jme);
	for (int t = 0; t < SPA_NTABLES; t++)
	{
		/* four partial sums: one running sum would make each addition wait
		 * for the previous one (the compiler may not reassociate) */
		double		acc[4] = {0.0, 0.0, 0.0, 0.0};
		int			i = p->first[t];

		for (; i + 4 <= p->first[t + 1]; i += 4)
			for (int k = 0; k < 4; k++)
				acc[k] += v[i + k];
		for (; i < p->first[t + 1]; i++)
			acc[0] += v[i];
		sums[t] = (acc[0] + acc[1]) + (acc[2] + acc[3]);
	}
}

/* Eq. 20-23: nutation sums (0.0001 arcsec) of the 63 terms; the
 * arguments are computed first so that the sine/cosine loop vectorises. */
#define SPA_NNUT_PAD 64
SR_SPA_CLONES static void
spa_nutation(const double *x, double jce, double *dpsi, double *deps)
{
	double		arg[SPA_NNUT_PAD],
				s[SPA_NNUT_PAD],
				c[SPA_NNUT_PAD];
	double		sp = 0.0,
				se = 0.0;

	if (!__atomic_load_n(&spa_prep_done, __ATOMIC_ACQUIRE))
		spa_prepare_tables();
	for (int i = 0; i < SPA_NNUT_PAD; i++)
		arg[i] = spa_prep.nut_y[0][i] * x[0] + spa_prep.nut_y[1][i] * x[1] +
			spa_prep.nut_y[2][i] * x[2] + spa_prep.nut_y[3][i] * x[3] +
			spa_prep.nut_y[4][i] * x[4];
	for (int i = 0; i < SPA_NNUT_PAD; i++)
		fast_sincos(arg[i], &s[i], &c[i]);
	{
		/* two partial sums each, for the same reason as in the series */
		double		sp2 = 0.0,
					se2 = 0.0;
		int			i;

		for (i = 0; i + 2 <= SPA_N(SPA_NUT); i += 2)
		{
			sp += (SPA_NUT[i].a + SPA_NUT[i].b * jce) * s[i];
			se += (SPA_NUT[i].c + SPA_NUT[i].d * jce) * c[i];
			sp2 += (SPA_NUT[i + 1].a + SPA_NUT[i + 1].b * jce) * s[i + 1];
			se2 += (SPA_NUT[i + 1].c + SPA_NUT[i + 1].d * jce) * c[i + 1];
		}
		for (; i < SPA_N(SPA_NUT); i++)
		{
			sp += (SPA_NUT[i].a + SPA_NUT[i].b * jce) * s[i];
			se += (SPA_NUT[i].c + SPA_NUT[i].d * jce) * c[i];
		}
		*dpsi = sp + sp2;
		*deps = se + se2;
	}
}

/* Reduce degrees to [0, 360). */
static inline double
limit360(double deg)
{
	/* floor() rather than fmod(): fmod is exact but ~10x slower */
	double		v = deg - 360.0 * floor(deg * (1.0 / 360.0));

	if (v >= 360.0)				/* rounding of the product near 360 */
		v -= 360.0;
	else if (v < 0.0)
		v += 360.0;
	return v;
}

/* Reduce degrees to [-180, 180). */
static inline double
limit180(double deg)
{
	double		v = limit360(deg);

	return v >= 180.0 ? v - 360.0 : v;
}

/* Fractional part in [0, 1). */
static inline double
limit01(double v)
{
	return v - floor(v);
}

/* Seconds since the epoch of 2000-01-01 12:00 UT (JD 2451545.0). */
#define SR_J2000_UNIX 946728000.0
#define SR_JD_UNIX_EPOCH 2440587.5

/*
 * Time part of SPA for unix_s with delta_t_s = TT - UT.  Also returns the
 * nutation in longitude (deg) and true obliquity (deg) for the equation of
 * time and sidereal time, and the geocentric latitude/longitude.
 */
static void
spa_time_compute(double unix_s, double delta_t_s, sr_spa_time *t)
{
	/* days since J2000.0 (UT and TT), kept apart from the JD to keep digits */
	double		d_ut = (unix_s - SR_J2000_UNIX) / 86400.0;
	double		d_tt = d_ut + delta_t_s / 86400.0;
	double		jc = d_ut / 36525.0;	/* Eq. 5 */
	double		jce = d_tt / 36525.0;	/* Eq. 6 */
	double		jme = jce / 10.0;		/* Eq. 7 */
	double		l0,
				l1,
				l2,
				l3,
				l4,
				l5,
				b0,
				b1,
				r0,
				r1,
				r2,
				r3,
				r4;
	double		sums[SPA_NTABLES];
	double		L,
				B,
				R,
				theta,
				beta;
	double		x[5];
	double		dpsi,
				deps;
	double		u,
				eps0,
				eps,
				dtau,
				lambda,
				nu0,
				nu;
	double		sl,
				cl,
				se,
				ce,
				sb,
				cb;
	double		alpha,
				delta,
				m,
				e;

	t->jd = d_ut + 2451545.0;	/* Eq. 4 */
	t->jde = d_tt + 2451545.0;	/* Eq. 5 */

	/* Earth heliocentric longitude, latitude, radius (Eq. 9-13) */
	spa_series_all(jme, sums);
	l0 = sums[0];
	l1 = sums[1];
	l2 = sums[2];
	l3 = sums[3];
	l4 = sums[4];
	l5 = sums[5];
	L = (l0 + jme * (l1 + jme * (l2 + jme * (l3 + jme * (l4 + jme * l5))))) / 1e8;
	L = limit360(L * SR_RAD2DEG);

	b0 = sums[6];
	b1 = sums[7];
	B = (b0 + b1 * jme) / 1e8 * SR_RAD2DEG;

	r0 = sums[8];
	r1 = sums[9];
	r2 = sums[10];
	r3 = sums[11];
	r4 = sums[12];
	R = (r0 + jme * (r1 + jme * (r2 + jme * (r3 + jme * r4)))) / 1e8;

	/* Geocentric longitude and latitude (Eq. 13-14) */
	theta = limit360(L + 180.0);
	beta = -B;

	/* Nutation arguments X0..X4 in degrees (Eq. 15-19) */
	x[0] = 297.85036 + jce * (445267.111480 + jce * (-0.0019142 + jce / 189474.0));
	x[1] = 357.52772 + jce * (35999.050340 + jce * (-0.0001603 - jce / 300000.0));
	x[2] = 134.96298 + jce * (477198.867398 + jce * (0.0086972 + jce / 56250.0));
	x[3] = 93.27191 + jce * (483202.017538 + jce * (-0.0036825 + jce / 327270.0));
	x[4] = 125.04452 + jce * (-1934.136261 + jce * (0.0020708 + jce / 450000.0));
	for (int j = 0; j < 5; j++)
		x[j] = limit360(x[j]) * SR_DEG2RAD;

	/* Nutation in longitude and obliquity (Eq. 20-23) */
	spa_nutation(x, jce, &dpsi, &deps);
	dpsi /= 36000000.0;
	deps /= 36000000.0;

	/* True obliquity of the ecliptic (Eq. 24-25), U = JME/10 */
	u = jme / 10.0;
	eps0 = 84381.448 + u * (-4680.93 + u * (-1.55 + u * (1999.25 + u * (-51.38 +
				u * (-249.67 + u * (-39.05 + u * (7.12 + u * (27.87 + u * (5.79 +
				u * 2.45)))))))));
	eps = eps0 / 3600.0 + deps;

	/* Aberration and apparent sun longitude (Eq. 26-27) */
	dtau = -20.4898 / (3600.0 * R);
	lambda = theta + dpsi + dtau;

	/* Apparent sidereal time at Greenwich (Eq. 28-30); 360.98564736629 d
	 * split as 360 frac(d) + 0.98564736629 d keeps the digits */
	nu0 = 360.0 * (d_ut - floor(d_ut)) + 0.98564736629 * d_ut + 280.46061837 +
		jc * jc * (0.000387933 - jc / 38710000.0);
	nu0 = limit360(nu0);
	fast_sincos(eps * SR_DEG2RAD, &se, &ce);
	nu = nu0 + dpsi * ce;

	/* Geocentric sun right ascension and declination (Eq. 31-32) */
	fast_sincos(lambda * SR_DEG2RAD, &sl, &cl);
	fast_sincos(beta * SR_DEG2RAD, &sb, &cb);
	alpha = limit360(atan2(sl * ce - (sb / cb) * se, cl) * SR_RAD2DEG);
	delta = asin(sb * ce + cb * se * sl) * SR_RAD2DEG;

	/* Equation of time (Eq. A.1-A.3), minutes */
	m = 280.4664567 + jme * (360007.6982779 + jme * (0.03032028 +
			jme * (1.0 / 49931.0 + jme * (-1.0 / 15300.0 - jme / 2000000.0))));
	m = limit360(m);
	e = 4.0 * (m - 0.0057183 - alpha + dpsi * ce);
	if (e < -20.0)
		e += 1440.0;
	else if (e > 20.0)
		e -= 1440.0;
	if (e < -20.0 || e > 20.0)	/* m near 0/360 with alpha near 360/0 */
		e = 4.0 * limit180(e / 4.0);

	t->nu = limit360(nu);
	t->alpha = alpha;
	t->delta = delta;
	t->r_au = R;
	t->eot_min = e;
	t->xi = 8.794 / (3600.0 * R);	/* Eq. 33 */
}

sr_status
sr_spa_time_init(double unix_s, double delta_t_s, sr_spa_time *t, sr_err *err)
{
	if (!isfinite(unix_s))
		return sr_error(err, SR_EINVAL, "timestamp must be finite");
	/* SPA's validity range: years -2000 to 6000 */
	if (unix_s < SR_SPA_MIN_UNIX || unix_s > SR_SPA_MAX_UNIX)
	{
		sr_error(err, SR_ERANGE,
				 "timestamp is out of range for the solar position algorithm");
		sr_error_detail(err, "Accepted years are -2000 to 6000.");
		return SR_ERANGE;
	}
	if (!isfinite(delta_t_s))
		return sr_error(err, SR_EINVAL,
						"parameter \"delta_t_s\" must be a finite number");
	if (fabs(delta_t_s) > 8000.0)
		return sr_error(err, SR_ERANGE,
						"parameter \"delta_t_s\" must be between -8000 and 8000 seconds, got %g",
						delta_t_s);
	spa_time_compute(unix_s, delta_t_s, t);
	return SR_OK;
}

/* Per-site constants of the topocentric correction (Eq. 34-37), without
 * the longitude terms.  u = atan(0.99664719 tan(phi)) is not computed:
 * cos u and sin u follow from tan u = b tan(phi) with cos u >= 0. */
static inline void
site_prepare_core(double lat, double elevation_m, double pressure_hpa,
				  double temperature_c, sr_spa_site_pre *p)
{
	const double b = 0.99664719;
	double		phi = lat * SR_DEG2RAD;
	double		h = elevation_m / 6378140.0;
	double		sp,
				cp,
				norm,
				cu,
				su;

	fast_sincos(phi, &sp, &cp);
	if (cp < 0.0)
		cp = 0.0;				/* cos(+-90 deg) rounding */
	norm = 1.0 / sqrt(cp * cp + b * b * sp * sp);
	cu = cp * norm;
	su = b * sp * norm;
	p->sin_phi = sp;
	p->cos_phi = cp;
	p->x = cu + h * cp;			/* Eq. 36 */
	p->y = b * su + h * sp;		/* Eq. 37 */
	/* Eq. 42 factor (P/1010) (283/(273+T)) */
	p->refr = (pressure_hpa / 1010.0) * (283.0 / (273.0 + temperature_c));
}

void
sr_spa_site_prepare(double lat, double lon, double elevation_m,
					double pressure_hpa, double temperature_c,
					sr_spa_site_pre *p)
{
	site_prepare_core(lat, elevation_m, pressure_hpa, temperature_c, p);
	p->lon = lon;
	sr_sincos(lon * SR_DEG2RAD, &p->sin_lon, &p->cos_lon);
}

/* Per-instant constants of the site part. */
void
sr_spa_time_prepare(const sr_spa_time *t, sr_spa_time_pre *q)
{
	double		hg = (t->nu - t->alpha) * SR_DEG2RAD;	/* hour angle at lon 0 */

	sr_sincos(hg, &q->sin_hg, &q->cos_hg);
	sr_sincos(t->delta * SR_DEG2RAD, &q->sin_delta, &q->cos_delta);
	q->sin_xi = sin(t->xi * SR_DEG2RAD);
	q->eot_min = t->eot_min;
}

/*
 * Site part given sin/cos of the observer local hour angle H (Eq. 38-46).
 * The parallax in right ascension is below 5e-5 rad, so atan2 of Eq. 38 is
 * evaluated as atan of its (small) ratio with a 2-term series (error below
 * 1e-22 rad), and delta' of Eq. 39 through its sine and cosine directly.
 */
static inline void
spa_site_core(const sr_spa_time_pre *q, const sr_spa_site_pre *p,
			  double sin_h, double cos_h, sr_solpos *out)
{
	double		ax = p->x * q->sin_xi;
	double		den = q->cos_delta - ax * cos_h;	/* > 0.9 always */
	double		tq = -ax * sin_h / den;			/* tan(delta alpha) */
	double		inv = 1.0 / sqrt(1.0 + tq * tq);
	double		cda = inv,
				sda = tq * inv;
	double		num = (q->sin_delta - p->y * q->sin_xi) * cda;
	double		rr = 1.0 / sqrt(num * num + den * den);
	double		sdp = num * rr,
				cdp = den * rr;		/* sin, cos of delta' */
	double		shp = sin_h * cda - cos_h * sda;	/* H' = H - delta alpha */
	double		chp = cos_h * cda + sin_h * sda;
	double		se0 = p->sin_phi * sdp + p->cos_phi * cdp * chp;
	double		e0,
				de = 0.0,
				gamma;

	if (se0 > 1.0)
		se0 = 1.0;
	else if (se0 < -1.0)
		se0 = -1.0;
	e0 = asin(se0) * SR_RAD2DEG;	/* Eq. 41 */
	/* Eq. 42: refraction, only when the sun is above -(0.26667+0.5667) */
	if (e0 >= -0.83337)
		de = p->refr * 1.02 /
			(60.0 * tan((e0 + 10.3 / (e0 + 5.11)) * SR_DEG2RAD));
	/* Eq. 45: topocentric astronomers' azimuth, from south */
	gamma = atan2(shp, chp * p->sin_phi - (sdp / cdp) * p->cos_phi) * SR_RAD2DEG;

	out->elevation = e0;
	out->apparent_elevation = e0 + de;
	out->zenith = 90.0 - e0;
	out->apparent_zenith = 90.0 - (e0 + de);
	out->azimuth = gamma + 180.0;	/* Eq. 46, gamma in (-180, 180] */
	if (out->azimuth >= 360.0)
		out->azimuth -= 360.0;
	out->equation_of_time = q->eot_min;
}

void
sr_spa_site_fast(const sr_spa_time_pre *q, const sr_spa_site_pre *p,
				 sr_solpos *out)
{
	/* H = nu + lon - alpha (Eq. 40) by angle addition */
	double		sin_h = q->sin_hg * p->cos_lon + q->cos_hg * p->sin_lon;
	double		cos_h = q->cos_hg * p->cos_lon - q->sin_hg * p->sin_lon;

	spa_site_core(q, p, sin_h, cos_h, out);
}

void
sr_spa_site(const sr_spa_time *t, double lat, double lon,
			double elevation_m, double pressure_hpa,
			double temperature_c, sr_solpos *out)
{
	sr_spa_site_pre p;
	sr_spa_time_pre q;
	double		sin_h,
				cos_h;

	site_prepare_core(lat, elevation_m, pressure_hpa, temperature_c, &p);
	fast_sincos(t->delta * SR_DEG2RAD, &q.sin_delta, &q.cos_delta);
	q.sin_xi = sin(t->xi * SR_DEG2RAD);
	q.eot_min = t->eot_min;
	fast_sincos(limit360(t->nu + lon - t->alpha) * SR_DEG2RAD, &sin_h, &cos_h);
	spa_site_core(&q, &p, sin_h, cos_h, out);
}

sr_status
sr_spa_validate_site(double lat, double lon, double elevation_m,
					 double pressure_hpa, double temperature_c, sr_err *err)
{
	if (!isfinite(lat))
		return sr_error(err, SR_EINVAL, "parameter \"lat\" must be a finite number");
	if (lat < -90.0 || lat > 90.0)
		return sr_error(err, SR_ERANGE,
						"parameter \"lat\" must be between -90 and 90 degrees, got %g", lat);
	if (!isfinite(lon))
		return sr_error(err, SR_EINVAL, "parameter \"lon\" must be a finite number");
	if (lon < -180.0 || lon > 180.0)
		return sr_error(err, SR_ERANGE,
						"parameter \"lon\" must be between -180 and 180 degrees, got %g", lon);
	if (!isfinite(elevation_m))
		return sr_error(err, SR_EINVAL,
						"parameter \"elevation_m\" must be a finite number");
	if (elevation_m < -6500000.0 || elevation_m > 1e7)
		return sr_error(err, SR_ERANGE,
						"parameter \"elevation_m\" must be between -6500000 and 10000000 metres, got %g",
						elevation_m);
	if (!isfinite(pressure_hpa))
		return sr_error(err, SR_EINVAL,
						"parameter \"pressure_hpa\" must be a finite number");
	if (pressure_hpa < 0.0 || pressure_hpa > 5000.0)
		return sr_error(err, SR_ERANGE,
						"parameter \"pressure_hpa\" must be between 0 and 5000 hPa, got %g",
						pressure_hpa);
	if (!isfinite(temperature_c))
		return sr_error(err, SR_EINVAL,
						"parameter \"temperature_c\" must be a finite number");
	if (temperature_c < SR_SPA_TEMP_MIN || temperature_c > SR_SPA_TEMP_MAX)
	{
		sr_error(err, SR_ERANGE,
				 "parameter \"temperature_c\" must be between %g and %g degrees Celsius, got %g",
				 SR_SPA_TEMP_MIN, SR_SPA_TEMP_MAX, temperature_c);
		sr_error_detail(err, "It is the temperature of the air for the refraction of the sun's position.");
		return SR_ERANGE;
	}
	return SR_OK;
}

sr_status
sr_sun_position(double unix_s, double lat, double lon,
				double elevation_m, double pressure_hpa,
				double temperature_c, double delta_t_s,
				sr_solpos *out, sr_err *err)
{
	sr_spa_time t;
	sr_status	st;

	st = sr_spa_validate_site(lat, lon, elevation_m, pressure_hpa,
							  temperature_c, err);
	if (st != SR_OK)
		return st;
	st = sr_spa_time_init(unix_s, delta_t_s, &t, err);
	if (st != SR_OK)
		return st;
	sr_spa_site(&t, lat, lon, elevation_m, pressure_hpa, temperature_c, out);
	return SR_OK;
}

sr_status
sr_sun_positions_grid(const double *unix_s, int n_times,
					  const double *lat, const double *lon,
					  const double *elevation_m, int n_sites,
					  double pressure_hpa, double temperature_c,
					  double delta_t_s, sr_solpos *out, sr_err *err)
{
	sr_spa_site_pre *sites;
	sr_status	st;

	for (int j = 0; j < n_sites; j++)
	{
		st = sr_spa_validate_site(lat[j], lon[j],
								  elevation_m ? elevation_m[j] : 0.0,
								  pressure_hpa, temperature_c, err);
		if (st != SR_OK)
			return st;
	}
	sites = sr_alloc(sizeof(sr_spa_site_pre) * (size_t) (n_sites > 0 ? n_sites : 1));
	if (!sites)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int j = 0; j < n_sites; j++)
		sr_spa_site_prepare(lat[j], lon[j], elevation_m ? elevation_m[j] : 0.0,
							pressure_hpa, temperature_c, &sites[j]);
	for (int i = 0; i < n_times; i++)
	{
		sr_spa_time t;
		sr_spa_time_pre q;

		st = sr_spa_time_init(unix_s[i], delta_t_s, &t, err);
		if (st != SR_OK)
		{
			sr_free(sites);
			return st;
		}
		sr_spa_time_prepare(&t, &q);
		for (int j = 0; j < n_sites; j++)
			sr_spa_site_fast(&q, &sites[j], &out[(size_t) i * n_sites + j]);
		if ((i & 63) == 63)
			sr_check_interrupts();
	}
	sr_free(sites);
	return SR_OK;
}

/* ---------- Sunrise, transit, sunset ---------- */

/* Geocentric local hour angle (deg, [-180, 180)) and elevation (deg, no
 * refraction) of the sun's centre at unix_s, with the full SPA time part
 * (the alpha, delta and nu of Eq. 12-14, 34): what Appendix A.2 interpolates
 * from three days, computed at the instant itself. */
static void
rts_at(double unix_s, double lon, double phi, double delta_t_s,
	   double *H, double *h)
{
	sr_spa_time t;
	double		d;

	spa_time_compute(unix_s, delta_t_s, &t);
	*H = limit180(t.nu + lon - t.alpha);
	d = t.delta * SR_DEG2RAD;
	*h = asin(sin(phi) * sin(d) + cos(phi) * cos(d) * cos(*H * SR_DEG2RAD)) * SR_RAD2DEG;
}

/* The instant near unix_s where the sun's hour angle is target (0: upper
 * transit, -180: lower transit), by Newton steps on the hour angle, which
 * turns 360 deg a solar day (less than 0.01 % off: the steps converge in
 * three or four). */
static double
rts_hour_angle_at(double unix_s, double target, double lon, double phi,
				  double delta_t_s, double *h)
{
	for (int k = 0; k < 12; k++)
	{
		double		H,
					step;

		rts_at(unix_s, lon, phi, delta_t_s, &H, h);
		step = -limit180(H - target) / 360.0 * 86400.0;
		unix_s += step;
		if (fabs(step) < 1e-4)
			break;
	}
	return unix_s;
}

/* The instant in [a, b] where the elevation crosses h0 (fa = h(a) - h0
 * and fb = h(b) - h0 of opposite signs), to a millisecond: regula falsi
 * with the Illinois modification (a bracketing method, converging in a
 * handful of steps).  Half a day from a lower to an upper transit the
 * elevation is monotonic, but where the declination's own drift rivals
 * the daily swing (at the poles); a bracketing method needs only the
 * change of sign. */
static double
rts_crossing(double a, double fa, double b, double fb, double lon, double phi,
			 double delta_t_s, double h0)
{
	int			side = 0;
	double		prev = a;

	for (int k = 0; k < 100 && b - a > 1e-3; k++)
	{
		double		m = (a * fb - b * fa) / (fb - fa),
					H,
					fm;

		/* keep a step inside the bracket; bisect when it stalls at an end */
		if (!(m > a && m < b) || k % 8 == 7)
			m = 0.5 * (a + b);
		rts_at(m, lon, phi, delta_t_s, &H, &fm);
		fm -= h0;
		if (fm == 0 || fabs(m - prev) < 1e-4)
			return m;
		prev = m;
		if ((fm < 0) == (fa < 0))
		{
			a = m;
			fa = fm;
			if (side == -1)
				fb /= 2;
			side = -1;
		}
		else
		{
			b = m;
			fb = fm;
			if (side == 1)
				fa /= 2;
			side = 1;
		}
	}
	return 0.5 * (a + b);
}

sr_status
sr_sun_times(double day_unix, double lat, double lon, double tz_hours,
			 double delta_t_s, sr_suntimes *out, sr_err *err)
{
	const double h0p = -0.8333;	/* sun's upper limb at the horizon, deg */
	double		phi = lat * SR_DEG2RAD;
	double		base,
				tr,
				lo_before,
				lo_after,
				h_tr,
				h_b,
				h_a;
	sr_status	st;

	st = sr_spa_validate_site(lat, lon, 0.0, 1013.25, 12.0, err);
	if (st != SR_OK)
		return st;
	if (!isfinite(tz_hours))
		return sr_error(err, SR_EINVAL, "parameter \"tz_offset_h\" must be a finite number");
	if (tz_hours < -18.0 || tz_hours > 18.0)
		return sr_error(err, SR_ERANGE,
						"parameter \"tz_offset_h\" must be between -18 and 18 hours, got %g",
						tz_hours);
	if (!isfinite(day_unix))
		return sr_error(err, SR_EINVAL, "day must be finite");
	/* the days of SPA's years but its first (the search reaches a day and a
	 * half either side of the UT day, where SPA's series are as smooth) */
	if (day_unix < SR_SPA_MIN_UNIX + 86400.0 || day_unix > SR_SPA_MAX_UNIX - 86400.0)
		return sr_error(err, SR_ERANGE,
						"day is out of range for the solar position algorithm");
	if (!isfinite(delta_t_s))
		return sr_error(err, SR_EINVAL,
						"parameter \"delta_t_s\" must be a finite number");
	if (fabs(delta_t_s) > 8000.0)
		return sr_error(err, SR_ERANGE,
						"parameter \"delta_t_s\" must be between -8000 and 8000 seconds, got %g",
						delta_t_s);

	day_unix = floor(day_unix / 86400.0) * 86400.0;	/* 0 h UT */
	base = day_unix - tz_hours * 3600.0;	/* the local day's 00:00 */

	/* first guess of the transit: the local mean noon of the UT day, placed
	 * in the local day */
	tr = day_unix + 43200.0 - lon * 240.0;
	tr += 86400.0 * floor((base - tr) / 86400.0 + 1.0);
	if (tr >= base + 86400.0)
		tr -= 86400.0;

	/*
	 * SPA's Appendix A.2 takes every event from the positions of the UT day,
	 * which puts an event of the adjacent UT day (a sunset after 00:00 UT)
	 * off by that day's change (SPA's example: 17:20:19 for a sunset at
	 * 17:18:5x), tens of minutes near the polar circles, and at the first
	 * and last days of a polar night or day it reports events that do not
	 * happen or misses those that do.  Each event is therefore solved at
	 * its own instant with the full SPA positions: the transit where the
	 * hour angle is 0 (the one in the local day), then the sunrise between
	 * the lower transit before it and it, the sunset between it and the
	 * lower transit after it, where the elevation crosses -0.8333 deg.
	 */
	tr = rts_hour_angle_at(tr, 0.0, lon, phi, delta_t_s, &h_tr);
	if (tr < base)
		tr = rts_hour_angle_at(tr + 86400.0, 0.0, lon, phi, delta_t_s, &h_tr);
	else if (tr >= base + 86400.0)
		tr = rts_hour_angle_at(tr - 86400.0, 0.0, lon, phi, delta_t_s, &h_tr);
	lo_before = rts_hour_angle_at(tr - 43200.0, -180.0, lon, phi, delta_t_s, &h_b);
	lo_after = rts_hour_angle_at(tr + 43200.0, -180.0, lon, phi, delta_t_s, &h_a);
	out->transit = tr;
	out->sunrise = NAN;
	out->sunset = NAN;
	/* the morning half rises (or, within a degree of a pole where the
	 * declination's drift outruns the daily swing, may set), the afternoon
	 * half sets (or may rise) */
	if ((h_b < h0p) != (h_tr < h0p))
	{
		double		t = rts_crossing(lo_before, h_b - h0p, tr, h_tr - h0p, lon, phi, delta_t_s, h0p);

		if (h_b < h0p)
			out->sunrise = t;
		else
			out->sunset = t;
	}
	if ((h_tr < h0p) != (h_a < h0p))
	{
		double		t = rts_crossing(tr, h_tr - h0p, lo_after, h_a - h0p, lon, phi, delta_t_s, h0p);

		if (h_a < h0p)
			out->sunset = t;
		else
			out->sunrise = t;
	}
	out->polar = h_b >= h0p && h_tr >= h0p && h_a >= h0p ? 1 :
		(h_b < h0p && h_tr < h0p && h_a < h0p ? -1 : 0);
	return SR_OK;
}
