/*
 * pv_sky.c — the PV model at cadastre speed: a prepared PV sky (sr_pv.h,
 * docs/pv.md "The fast path").
 *
 * The cumulative sky gives a plane's irradiation under its horizon per
 * month (sr_plane_irradiation), exactly, but not hour by hour, and the PV
 * model is not linear in the irradiance (temperature, low light, the
 * inverter) nor in the angle of incidence (IAM).  A version-3 sky also keeps
 * every hour with light (its trailer), so for one plane:
 *   - the beam of each hour is exact: the sun's cos(aoi) on the plane, its
 *     IAM, and the horizon (the sun above the sector's elevation, as the
 *     kernel tests it);
 *   - the diffuse of each hour is the month's diffuse of the plane under
 *     its horizon (the kernel's total minus that beam minus the ground
 *     reflection) spread over the month's hours: the only approximation;
 *   - the model runs on every hour with its air temperature and wind.
 * Spread in proportion to DHI* alone, the diffuse would miss the hourly
 * anisotropy of the sky (a west wall gets its diffuse in the afternoon,
 * with the beam: up to 0.6 % on a year for steep planes), so each hour's
 * share follows the Perez (1990) transposition of that hour on the plane
 * (isotropic part, circumsolar part hidden with the sun behind the
 * horizon, horizon band), scaled so that the month's total is the
 * kernel's.  Against the hour-by-hour reference (sr_pv_apply_hourly on
 * sr_plane_poa_hourly) the result is within 0.5 % a year and 2 % a month
 * (regression and unit tests).
 */
#include "sr_pv.h"
#include "sr_solar.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* the vector loop: VW hours at a time (GCC vector extensions; on x86-64
 * the loop is built for the baseline, AVX2 and AVX-512, chosen when the
 * library loads, as the irradiation kernel) */
#define VW 8

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && \
	defined(__x86_64__) && defined(__ELF__) && !defined(SR_NO_CLONES)
#define SR_PV_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define SR_PV_CLONES
#endif

/* the last plane's cos(aoi) and beam IAM per hour: consecutive faces on
 * one plane (flat roofs' modules) reuse them */
typedef struct pv_plane
{
	float	   *pc, *pib;
	double		pl_tilt, pl_az;
	int			pl_ok;
} pv_plane;

struct sr_pv_prep
{
	sr_pv_model m;
	int			ns;
	double		albedo;
	int			n;				/* hours with light */
	/* the hours month by month, each month padded with empty hours (ghi 0)
	 * to a multiple of VW: month m at [vstart[m], vstart[m + 1]) */
	int			vstart[13], maxmonth;
	float	   *ux, *uy, *uz;	/* sun direction: sin e, cos e cos a, cos e sin a */
	float	   *el;				/* apparent elevation, deg */
	int32_t    *sec;			/* the sun's sector */
	float	   *dni, *dhi, *ghi;	/* DNI* (0 without beam), DHI*, GHI */
	float	   *f1, *f2, *iczb;	/* Perez 1990 F1, F2, 1 / max(cos 85, cos z) */
	float	   *tm, *iu;		/* air temperature - 25, 1000 (gain / (U0 + U1 ws)
								 * + temp_shift): C per kW/m2 */
	double	   *ts;				/* end of the hour (pads: NaN) */
	int64_t    *order;			/* scratch of the preparation */
	double		m_ghi[12];		/* the sky's own (as the kernel's ground) */
	/* the last plane's cos(aoi) and beam IAM per hour (sr_pv_face's: so a
	 * prep serves one thread at a time there; sr_pv_face_scratch's are
	 * the thread's own) */
	pv_plane	pl;
	float		open_h[1];
};

/* A thread's scratch for sr_pv_face_scratch: its plane and the buffer of
 * a month's beam and diffuse shape */
struct sr_pv_scratch
{
	pv_plane	pl;
	float	   *buf;
};

int
sr_pv_sky_usable(const sr_sky_hdr *sky)
{
	const sr_sky_hours *h = sr_sky_hours_of(sky);

	if (!h)
		return -1;
	return (h->flags & SR_SKY_HAS_MET) ? 1 : 0;
}

void
sr_pv_prep_free(sr_pv_prep *p)
{
	if (!p)
		return;
	sr_free(p->ux);
	sr_free(p->uy);
	sr_free(p->uz);
	sr_free(p->el);
	sr_free(p->sec);
	sr_free(p->dni);
	sr_free(p->dhi);
	sr_free(p->ghi);
	sr_free(p->f1);
	sr_free(p->f2);
	sr_free(p->iczb);
	sr_free(p->tm);
	sr_free(p->iu);
	sr_free(p->ts);
	sr_free(p->order);
	sr_free(p->pl.pc);
	sr_free(p->pl.pib);
	sr_free(p);
}

int
sr_pv_prep_sectors(const sr_pv_prep *p)
{
	return p->ns;
}

int
sr_pv_prep_nrec(const sr_pv_prep *p)
{
	return p->n;
}

const sr_pv_model *
sr_pv_prep_model(const sr_pv_prep *p)
{
	return &p->m;
}

void
sr_pv_prep_hour_months(const sr_pv_prep *p, uint8_t *mon)
{
	for (int m = 0, j = 0; m < 12; m++)
		for (int i = p->vstart[m]; i < p->vstart[m + 1]; i++)
			if (p->ghi[i] > 0)
				mon[j++] = (uint8_t) m;
}

void
sr_pv_prep_hours(const sr_pv_prep *p, double *ts)
{
	for (int i = 0, j = 0; i < p->vstart[12]; i++)
		if (p->ghi[i] > 0)
			ts[j++] = p->ts[i];
}

sr_status
sr_pv_prepare(const sr_sky_hdr *sky, const sr_pv_system *s, int ns, double albedo,
			  sr_pv_prep **out, sr_err *err)
{
	const sr_sky_hours *h = sr_sky_hours_of(sky);
	sr_pv_prep *p;
	const double *hts;
	const float *c[7];
	const uint8_t *hm;
	int			n, met, cnt[12] = {0}, fill[12];
	size_t		nv;
	sr_status	st;

	*out = NULL;
	if (!h)
		return sr_error(err, SR_EINVAL, "sky value has no hourly weather (version %d)", sky->version);
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "sectors must be between %d and %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS);
	if (!(albedo >= 0 && albedo <= 1))
		return sr_error(err, SR_ERANGE, "albedo %g is out of range", albedo);
	p = sr_alloc0(sizeof(sr_pv_prep));
	if (!p)
		return sr_error(err, SR_ENOMEM, "out of memory");
	if ((st = sr_pv_model_init(s, &p->m, err)) != SR_OK)
	{
		sr_free(p);
		return st;
	}
	n = h->n_hour;
	met = (h->flags & SR_SKY_HAS_MET) != 0;
	p->ns = ns;
	p->albedo = albedo;
	p->n = n;
	p->open_h[0] = -1000.0f;
	hts = sr_sky_hours_ts(h);
	for (int k = 0; k < 7; k++)
		c[k] = sr_sky_hours_col(h, k);
	hm = sr_sky_hours_month(h);
	for (int i = 0; i < n; i++)
		cnt[hm[i]]++;
	for (int m = 0; m < 12; m++)
	{
		p->vstart[m + 1] = p->vstart[m] + (cnt[m] + VW - 1) / VW * VW;
		if (p->vstart[m + 1] - p->vstart[m] > p->maxmonth)
			p->maxmonth = p->vstart[m + 1] - p->vstart[m];
		p->m_ghi[m] = sky->m_ghi[m];
		fill[m] = p->vstart[m];
	}
	nv = (size_t) p->vstart[12] + VW;
#define A(f, t) (p->f = sr_alloc0(sizeof(t) * nv))
	if (!A(ux, float) || !A(uy, float) || !A(uz, float) || !A(el, float) || !A(sec, int32_t) ||
		!A(dni, float) || !A(dhi, float) || !A(ghi, float) || !A(f1, float) || !A(f2, float) ||
		!A(iczb, float) || !A(tm, float) || !A(iu, float) || !A(ts, double) ||
		!A(pl.pc, float) || !A(pl.pib, float))
	{
		sr_pv_prep_free(p);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
#undef A
	for (size_t v = 0; v < nv; v++)
	{
		p->ts[v] = NAN;			/* pads */
		p->iczb[v] = 1.0f;
	}
	/* within a month, the hours by the sector of their sun (then by time),
	 * so that VW consecutive hours span one or two sectors: the horizon of
	 * a vector is then two values, not a gather */
	{
		int64_t    *key = sr_alloc(sizeof(int64_t) * (size_t) (n > 0 ? n : 1));

		if (!key)
		{
			sr_pv_prep_free(p);
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
		for (int i = 0; i < n; i++)
			key[i] = ((int64_t) hm[i] * 1024 + sr_horizon_sector(c[4][i], ns)) * 16777216 + i;
		qsort(key, n, sizeof(int64_t), sr_cmp_int64);
		for (int j = 0; j < n; j++)
			key[j] %= 16777216;
		p->order = key;
	}
	for (int j = 0; j < n; j++)
	{
		int			i = (int) p->order[j];
		int			v = fill[hm[i]]++;
		double		e = c[3][i] * SR_DEG2RAD, a = c[4][i] * SR_DEG2RAD;
		double		ws = met ? c[6][i] : SR_PV_ASSUMED_WIND;
		double		zen = 90.0 - c[3][i];

		if (i % 1024 == 0)
			sr_check_interrupts();
		p->ts[v] = hts[i];
		p->ghi[v] = c[0][i];
		p->dhi[v] = c[1][i];
		p->dni[v] = c[2][i];
		p->el[v] = c[3][i];
		p->tm[v] = (float) ((met ? c[5][i] : SR_PV_ASSUMED_TEMP) - 25.0);
		/* per kW/m2 of plane-of-array irradiance (pass 2's unit) */
		p->iu[v] = (float) (1000.0 * (p->m.temp_gain / (p->m.u0 + p->m.u1 * ws) + p->m.temp_shift));
		p->ux[v] = (float) sin(e);
		p->uy[v] = (float) (cos(e) * cos(a));
		p->uz[v] = (float) (cos(e) * sin(a));
		p->sec[v] = sr_horizon_sector(c[4][i], ns);
		/* Perez 1990 for the hourly shape of the diffuse (sun up only) */
		if (c[3][i] > 0 && c[1][i] > 0)
		{
			time_t		t = (time_t) floor(hts[i] - 1800.0);
			struct tm	tm;
			double		f1, f2;

			gmtime_r(&t, &tm);
			sr_perez_f1f2(c[2][i], c[1][i], zen, sr_dni_extra(tm.tm_yday + 1), &f1, &f2);
			p->f1[v] = (float) f1;
			p->f2[v] = (float) f2;
		}
		p->iczb[v] = (float) (1.0 / fmax(cos(85.0 * SR_DEG2RAD), cos(zen * SR_DEG2RAD)));
	}
	sr_free(p->order);
	p->order = NULL;
	/* the pads take the sector of their month's last hour (sorted runs) */
	for (int m = 0; m < 12; m++)
		for (int v = fill[m]; v < p->vstart[m + 1]; v++)
			p->sec[v] = v > p->vstart[m] ? p->sec[v - 1] : 0;
	*out = p;
	return SR_OK;
}

/* ---- the vector loop (GCC vector extensions, VW lanes) ---- */

typedef float vf __attribute__((vector_size(4 * VW)));
typedef int32_t vi __attribute__((vector_size(4 * VW)));

/* the helpers are always inlined into the loop: their vector arguments
 * never cross a call (no ABI question) */
#pragma GCC diagnostic ignored "-Wpsabi"
#define VINL static inline __attribute__((always_inline))

VINL vf
vld(const float *x)
{
	vf			v;

	memcpy(&v, x, sizeof(v));
	return v;
}

VINL vf
vsel(vi m, vf a, vf b)
{
	return (vf) (((vi) a & m) | ((vi) b & ~m));
}

VINL vf
vbc(float x)
{
	return (vf) {0} + x;
}

/* ln x lane by lane (x > 0): exponent, and a degree-5 least-squares
 * polynomial of ln(1 + u) on the mantissa brought into [sqrt(1/2),
 * sqrt(2)) (|error| < 2.5e-5: Huld's relative efficiency moves by less than
 * 1e-5) */
VINL vf
vlog(vf x)
{
	vi			b = (vi) x;
	vi			e = ((b >> 23) & 255) - 127;
	vf			m = (vf) ((b & 0x7FFFFF) | 0x3F800000);
	vi			big = m > 1.41421356f;
	vf			u;

	m = vsel(big, m * 0.5f, m);
	e = e - big;				/* big is -1 where true */
	u = m - 1.0f;
	return __builtin_convertvector(e, vf) * 0.69314718f +
		u * (0.999905062f + u * (-0.499502979f + u * (0.337922413f + u * (-0.269452049f +
			u * 0.166690221f))));
}

/* e^x lane by lane for x in [-80, 0]: 2^n 2^f, f in [0, 1), a degree-4
 * least-squares polynomial of 2^f (relative error < 8e-6) */
VINL vf
vexp(vf x)
{
	vf			y = x * 1.44269504f, fl, f;
	vi			n;

	y = vsel(y < -120.0f, vbc(-120.0f), y);
	n = __builtin_convertvector(y, vi);		/* truncation toward zero */
	fl = __builtin_convertvector(n, vf);
	n = n + ((vi) (fl > y));	/* floor: -1 where the truncation rounded up */
	f = y - __builtin_convertvector(n, vf);
	f = 1.00000728f + f * (0.692931289f + f * (0.241710262f + f * (0.0516668774f + f * 0.0136765311f)));
	return f * (vf) ((n + 127) << 23);
}

VINL vf
vsqrt(vf x)
{
	for (int l = 0; l < VW; l++)
		x[l] = sqrtf(x[l] > 0.0f ? x[l] : 0.0f);
	return x;
}

/* the beam IAM's constants, once per plane */
typedef struct iamc
{
	int			kind;
	float		inv_ar, den;	/* Martin & Ruiz */
	float		n, kl, half_t0;	/* physical */
} iamc;

static void
iamc_init(const sr_pv_model *m, iamc *k)
{
	const sr_pv_system *s = &m->sys;
	double		r0 = (1.0 - s->iam_n) / (1.0 + s->iam_n);

	k->kind = s->iam;
	k->inv_ar = (float) (1.0 / s->iam_a_r);
	k->den = (float) (1.0 / (1.0 - exp(-1.0 / s->iam_a_r)));
	k->n = (float) s->iam_n;
	k->kl = (float) (s->iam_k * s->iam_l);
	k->half_t0 = (float) (0.5 / ((1.0 - r0 * r0) * exp(-s->iam_k * s->iam_l)));
}

/* the beam IAM at cos(aoi) = c (> 0 where used) */
VINL vf
viam(const iamc *k, vf c)
{
	c = vsel(c > 1.0f, vbc(1.0f), c);
	c = vsel(c > 1e-6f, c, vbc(1e-6f));
	if (k->kind == SR_PV_IAM_MARTIN_RUIZ)
		return (1.0f - vexp(c * -k->inv_ar)) * k->den;
	if (k->kind == SR_PV_IAM_PHYSICAL)
	{
		/* De Soto 2006 (pvlib.iam.physical without a coating) */
		float		n = k->n;
		vf			s1sq = 1.0f - c * c, c2, rs, rp;

		s1sq = vsel(s1sq > 0.0f, s1sq, vbc(0.0f));
		c2 = vsqrt(1.0f - s1sq * (1.0f / (n * n)));
		rs = (c - n * c2) / (c + n * c2);
		rp = (c2 - n * c) / (c2 + n * c);
		return ((1.0f - rs * rs) + (1.0f - rp * rp)) * vexp(-k->kl / c2) * k->half_t0;
	}
	return vbc(1.0f);
}

/* The plane's PV per month (kWh/kWp) under a horizon, from its monthly
 * irradiation under that horizon (the kernel's, Wh/m2).  Per month, pass 1
 * gives each hour's beam (the suns above the horizon, cos(aoi)) and the
 * hourly shape of the sky diffuse (Perez 1990 on the plane, circumsolar
 * part only with the sun above the horizon); the month's diffuse is the
 * kernel's total minus the beam and the ground, spread by that shape; pass
 * 2 runs the model on every hour.  hourly (may be NULL): each hour's
 * kWh/kWp, month by month in the prepared order (pads included). */
SR_PV_CLONES
static void
pv_months(const sr_pv_prep *p, pv_plane *pl, float *bpbuf, double tilt, double azimuth,
		  const float *elev, const double *monthly_wh, double *out, float *hourly)
{
	const sr_pv_system *sys = &p->m.sys;
	double		b = tilt * SR_DEG2RAD, g = azimuth * SR_DEG2RAD;
	const float k0 = (float) cos(b), k1 = (float) (sin(b) * cos(g)), k2 = (float) (sin(b) * sin(g));
	const float iso = (float) ((1.0 + cos(b)) * 0.5), sb = (float) sin(b);
	const double gfd = p->albedo * (1.0 - cos(b)) * 0.5;
	const float *ev = elev ? elev : p->open_h;
	/* the arrays in locals: the scratch stores below cannot alias them */
	const float *restrict ux = p->ux, *restrict uy = p->uy, *restrict uz = p->uz,
			   *restrict el = p->el, *restrict dni = p->dni, *restrict dhi = p->dhi,
			   *restrict ghi = p->ghi, *restrict f1 = p->f1, *restrict f2 = p->f2,
			   *restrict iczb = p->iczb, *restrict tm = p->tm, *restrict iu = p->iu;
	const int32_t *restrict sec = p->sec;
	double		isky, ignd;
	float		h[6], loss, ia, ib, ic, pac0, is, ig;
	float	   *shbuf;
	const float *pc = pl->pc, *pib = pl->pib;	/* filled below */
	iamc		ik;

	/* the plane's cos(aoi) and beam IAM, unless the last face's plane */
	if (!(pl->pl_ok && pl->pl_tilt == tilt && pl->pl_az == azimuth))
	{
		float	   *wc = pl->pc, *wi = pl->pib;

		iamc_init(&p->m, &ik);
		for (int i = 0; i < p->vstart[12]; i += VW)
		{
			vf			c = k0 * vld(ux + i) + k1 * vld(uy + i) + k2 * vld(uz + i);
			vf			iv = viam(&ik, c);

			memcpy(wc + i, &c, sizeof(c));
			memcpy(wi + i, &iv, sizeof(iv));
		}
		pl->pl_tilt = tilt;
		pl->pl_az = azimuth;
		pl->pl_ok = 1;
	}
	/* Huld; PVWatts as Huld with k = (0, 0, gamma, 0, 0, 0) */
	for (int k = 0; k < 6; k++)
		h[k] = sys->module == SR_PV_MODULE_HULD ? (float) sys->huld_k[k] :
			k == 2 ? (float) (sys->gamma_pct / 100.0) : 0.0f;
	loss = (float) p->m.loss_factor;
	/* PVWatts inverter: eta pdc = a pdc - b pdc^2 - c for pdc > 0 (a = 1,
	 * b = c = 0 without one) */
	if (sys->inverter == SR_PV_INV_PVWATTS)
	{
		double		r = sys->eta_inv_nom / sys->eta_inv_ref;

		ia = (float) (r * 0.9858);
		ib = (float) (r * 0.0162 / p->m.pdc0);
		ic = (float) (r * 0.0059 * p->m.pdc0);
		pac0 = (float) p->m.pac0;
	}
	else
	{
		ia = 1.0f;
		ib = ic = 0.0f;
		pac0 = 1e30f;
	}
	sr_pv_iam_diffuse(sys, tilt, &isky, &ignd);
	is = (float) isky;
	ig = (float) ignd;
	/* one month's beam and diffuse shape, kept between the passes */
	shbuf = bpbuf + p->maxmonth + VW;
	for (int m = 0; m < 12; m++)
	{
		const int	s0 = p->vstart[m], s1 = p->vstart[m + 1];
		vf			bacc = {0}, sacc = {0}, acc = {0};
		float		tmp[VW], scale, dq, gg1, eg;
		double		beam = 0.0, shape = 0.0, dm;

		/* pass 1 */
		for (int i = s0; i < s1; i += VW)
		{
			vf			c = vld(pc + i);
			vf			hz, a, bp, sh;

			if (elev)
			{
				/* the hours are sorted by sector: mostly one or two */
				int32_t		sa = sec[i], sz = sec[i + VW - 1];

				if (sz - sa <= 1)
				{
					vi			sv;

					memcpy(&sv, sec + i, sizeof(sv));
					hz = vsel(sv == sa, vbc(ev[sa]), vbc(ev[sz]));
				}
				else
					for (int l = 0; l < VW; l++)
						hz[l] = ev[sec[i + l]];
			}
			else
				hz = vbc(-1000.0f);
			a = vsel((c > 0.0f) & (vld(el + i) > hz), c, vbc(0.0f));
			bp = vld(dni + i) * a;
			sh = vld(dhi + i) * ((1.0f - vld(f1 + i)) * iso + vld(f1 + i) * a * vld(iczb + i) +
								 vld(f2 + i) * sb);
			sh = vsel(sh > 0.0f, sh, vbc(0.0f));
			memcpy(bpbuf + (i - s0), &bp, sizeof(bp));
			memcpy(shbuf + (i - s0), &sh, sizeof(sh));
			bacc += bp;
			sacc += sh;
		}
		memcpy(tmp, &bacc, sizeof(tmp));
		for (int l = 0; l < VW; l++)
			beam += tmp[l];
		memcpy(tmp, &sacc, sizeof(tmp));
		for (int l = 0; l < VW; l++)
			shape += tmp[l];
		/* the month's sky diffuse under the horizon, spread by the shape */
		dm = monthly_wh[m] - beam - gfd * p->m_ghi[m];
		scale = dm > 0 && shape > 0 ? (float) (dm / shape) * 0.001f : 0.0f;
		dq = scale;
		gg1 = (float) gfd * 0.001f;
		eg = ig * gg1;
		/* pass 2: the model on every hour, irradiances in kW/m2 */
		for (int i = s0; i < s1; i += VW)
		{
			vf			bp = vld(bpbuf + (i - s0)) * 0.001f;
			vf			d = dq * vld(shbuf + (i - s0)), gh = vld(ghi + i);
			vf			gp = bp + d + gg1 * gh;
			vf			ge = bp * vld(pib + i) + d * is + eg * gh;
			vf			t = vld(tm + i) + gp * vld(iu + i);
			vf			lg = vlog(vsel(ge > 0.0f, ge, vbc(1.0f)));
			vf			rel = 1.0f + lg * (h[0] + h[1] * lg) + t * (h[2] + lg * (h[3] + h[4] * lg) + h[5] * t);
			vf			pdc = ge * rel * loss;

			/* inverter and clipping; no light (ge = 0: pdc = 0, then -c or
			 * 0) and a negative low-light Huld power give 0 */
			pdc = pdc * (ia - ib * pdc) - ic;
			pdc = vsel(pdc > pac0, vbc(pac0), pdc);
			pdc = vsel(pdc > 0.0f, pdc, vbc(0.0f));
			acc += pdc;
			if (hourly)
				memcpy(hourly + i, &pdc, sizeof(pdc));
		}
		memcpy(tmp, &acc, sizeof(tmp));
		dm = 0.0;
		for (int l = 0; l < VW; l++)
			dm += tmp[l];
		out[m] = dm;
	}
}

/* the months' PV into out (pvm the months' kWh/kWp) */
static void
pv_result(const double pvm[12], const double monthly_wh[12], sr_pv_result *out)
{
	for (int m = 0; m < 12; m++)
	{
		out->monthly[m] = pvm[m];
		out->poa_monthly[m] = monthly_wh[m] / 1000.0;
		out->annual += out->monthly[m];
		out->poa += out->poa_monthly[m];
	}
}

void
sr_pv_face(sr_pv_prep *p, double tilt, double azimuth, const float *elev,
		   const double monthly_wh[12], sr_pv_result *out, double *hourly_out)
{
	double		pvm[12];
	double		az = fmod(azimuth, 360.0);
	float	   *hv = NULL, *bpbuf;

	memset(out, 0, sizeof(*out));
	if (az < 0)
		az += 360.0;
	if (hourly_out)
		hv = sr_alloc(sizeof(float) * ((size_t) p->vstart[12] + VW));
	/* one month's beam and diffuse shape, kept between pv_months' passes */
	bpbuf = sr_alloc(sizeof(float) * 2 * ((size_t) p->maxmonth + VW));
	if (bpbuf)
		pv_months(p, &p->pl, bpbuf, tilt, az, elev, monthly_wh, pvm, hv);
	else
		for (int m = 0; m < 12; m++)
			pvm[m] = NAN;		/* only under malloc (unit tests) */
	sr_free(bpbuf);
	pv_result(pvm, monthly_wh, out);
	if (hv)
	{
		for (int i = 0, j = 0; i < p->vstart[12]; i++)
			if (p->ghi[i] > 0)
				hourly_out[j++] = hv[i];
		sr_free(hv);
	}
}

sr_pv_scratch *
sr_pv_scratch_new(const sr_pv_prep *p)
{
	sr_pv_scratch *s = sr_alloc0(sizeof(sr_pv_scratch));
	size_t		nv = (size_t) p->vstart[12] + VW;

	if (!s)
		return NULL;
	s->pl.pc = sr_alloc0(sizeof(float) * nv);
	s->pl.pib = sr_alloc0(sizeof(float) * nv);
	s->buf = sr_alloc(sizeof(float) * 2 * ((size_t) p->maxmonth + VW));
	if (!s->pl.pc || !s->pl.pib || !s->buf)
	{
		sr_pv_scratch_free(s);
		return NULL;
	}
	return s;
}

void
sr_pv_scratch_free(sr_pv_scratch *s)
{
	if (!s)
		return;
	sr_free(s->pl.pc);
	sr_free(s->pl.pib);
	sr_free(s->buf);
	sr_free(s);
}

void
sr_pv_face_scratch(const sr_pv_prep *p, sr_pv_scratch *s, double tilt, double azimuth,
				   const float *elev, const double monthly_wh[12], sr_pv_result *out)
{
	double		pvm[12];
	double		az = fmod(azimuth, 360.0);

	memset(out, 0, sizeof(*out));
	if (az < 0)
		az += 360.0;
	pv_months(p, &s->pl, s->buf, tilt, az, elev, monthly_wh, pvm, NULL);
	pv_result(pvm, monthly_wh, out);
}
