/*
 * cadastre_irradiation.c — irradiation of a plane under a horizon from a
 * cumulative sky, its brute-force reference and the hour-by-hour reference.
 *
 * The dome is cut into columns, one per horizon sector.  A plane (tilt B,
 * azimuth G) weights a sky direction (e, a) by
 *   n.d = cos B sin e + sin B cos e cos(a - G)
 *       = k0 sin e + k1 cos e cos a + k2 cos e sin a,
 * linear in three components of the direction, so every sum over light
 * sources is three sums, weighted by (k0, k1, k2) once at the end.
 *
 * Diffuse: the sky holds a radiance per Reinhart patch and month, constant
 * over the patch.  For a column and a patch row the integral over the part
 * of the row above an elevation lo is separable:
 *   W1 * (gc(lo) - gc(top))  with W1 = sum of radiance x azimuth overlap,
 *   W2 * (gs(lo) - gs(top))  with W2 = sum of radiance x integral of cos a,
 *   W3 * (gs(lo) - gs(top))  with W3 = sum of radiance x integral of sin a,
 *   gc(e) = cos^2(e) / 2 = int_e^90 sin cos,  gs(e) = pi/4 - e/2 - sin(2e)/4
 *         = int_e^90 cos^2,
 * exact for any horizon height inside the row.
 *
 * Beam: the suns of a column sorted by decreasing elevation.  Between two
 * consecutive breakpoints of a column (a sun's elevation or a patch row's
 * top, from the zenith down) the set of suns above and the row are fixed;
 * the interval "c suns above, row r" holds, per component and month,
 *   A = diffuse above the row's top + beam of the c suns - W * g(top),
 * so that everything above lo is A + W * g(lo), exactly, for any lo in the
 * interval.  A count table (suns above each 0.125 deg) and the row of lo
 * give the interval: a column facing the plane costs two short float rows
 * (12 floats for a flat plane, 36 for a tilted one) and no sun.
 *
 * Back of the plane: n.d < 0 below e0(c) = atan(tan B * -c), c = cos(a - G).
 * The diffuse lower bound is max(horizon, e0 at the column centre) (the
 * integrand vanishes at the cut: the midpoint costs < 1e-4 of the diffuse;
 * the two columns crossed by the plane's edge, and columns where the cut
 * climbs more than 6 deg, get 8 slices with their own cut); the suns near
 * the cut (between e0 at the two edges) are summed one by one with
 * max(0, cos), correcting what the interval holds: the beam is exact.
 * Accuracy against sr_plane_irradiation_reference (brute force): 1e-4
 * annual, 3e-4 monthly (unit tests).
 */
#include "sr_cadastre.h"
#include "cadastre_rows.h"
#include "sr_pv.h"
#include "sr_solar.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && \
	defined(__x86_64__) && defined(__ELF__) && !defined(SR_NO_CLONES)
#define SR_KERNEL_CLONES __attribute__((target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")))
#else
#define SR_KERNEL_CLONES
#endif

#define NC 36					/* 3 components x 12 months (component-major) */
#define NSL 8					/* azimuth slices of a column crossed by the
								 * plane's edge */
#define LUT_RES 8				/* count-table bins per degree */
#define LUT_N (90 * LUT_RES)

/* 4 floats, one SSE register (GCC vector extension) */
typedef float sr_v4f __attribute__((vector_size(16)));
typedef float sr_v8f __attribute__((vector_size(32)));

typedef struct sun_t
{
	float		bx, by, bz;		/* en sin e, en cos e cos a, en cos e sin a */
	float		el;				/* deg */
	int			mon;
} sun_t;

struct sr_sky_prep
{
	int			ns;
	double		inv_alpha;		/* patch rows per degree */
	double		row_bot[SR_SKY_NROWS + 1];	/* deg; row_bot[r + 1] = top of r */
	/* Intervals of a column: between two consecutive breakpoints (sun
	 * elevations and patch-row tops, from the zenith down) the set of suns
	 * above and the patch row are constant.  Interval (c suns above, row r)
	 * is number ent_start[k] + c + (NROWS - 1 - r) of the column. */
	int		   *ent_start;		/* [ns + 1] */
	float	   *ent;			/* [intervals][36]: everything above the row's top
								 * + the c suns - W g(top), by component (12
								 * months each): one record, 144 bytes */
	float	   *ent_a;			/* [intervals][4]: the same, annual (3 + pad) */
	float	   *wrow;			/* [ns][NROWS][36]: radiance x azimuth weights */
	float	   *wrow_a;			/* [ns][NROWS][4] */
	float	   *open_a;			/* [ns][4]: annual of the whole column (lo = 0) */
	double		open_sum[3];	/* their sum over the columns */
	int		   *col_start;		/* [ns + 1] suns of column k */
	uint16_t   *lut;			/* [ns][LUT_N + 2]: suns above i / LUT_RES deg */
	sun_t	   *sun;
	float	   *elp;			/* the suns' elevations (deg) column by column,
								 * each column between four +FLT_MAX and four
								 * -FLT_MAX sentinels: column k's sun i at
								 * elp[pb[k] + i] */
	float	   *pbx, *pby, *pbz;	/* their components, the same way (0 at
									 * the sentinels) */
	uint8_t    *pmo;			/* their month, the same way */
	int		   *pb;				/* [ns] */
	int			bin_max;		/* most suns in a count-table bin */
	double	   *lo_cos, *lo_sin;	/* lower edge of sector k */
	double	   *cen_cos, *cen_sin;
	double		sl_cd[NSL], sl_sd[NSL];	/* cos, sin of a slice centre from
										 * the column's lower edge */
	double	   *sl_ic, *sl_is;	/* [ns][NSL] integrals of cos a, sin a over
								 * a slice, divided by the column width */
	double		m_ghi[12], a_ghi;
	/* the sky itself, for the brute-force reference */
	float	   *rad;
	int			n_sun;
	double	   *saz, *sel, *sen;
	uint8_t    *smon;
};

static int	gtab_ready;
static void gtab_init(void);

void
sr_sky_prep_free(sr_sky_prep *p)
{
	if (!p)
		return;
	sr_free(p->ent_start);
	sr_free(p->ent);
	sr_free(p->ent_a);
	sr_free(p->wrow);
	sr_free(p->wrow_a);
	sr_free(p->open_a);
	sr_free(p->col_start);
	sr_free(p->lut);
	sr_free(p->sun);
	sr_free(p->elp);
	sr_free(p->pbx);
	sr_free(p->pby);
	sr_free(p->pbz);
	sr_free(p->pmo);
	sr_free(p->pb);
	sr_free(p->lo_cos);
	sr_free(p->lo_sin);
	sr_free(p->cen_cos);
	sr_free(p->cen_sin);
	sr_free(p->sl_ic);
	sr_free(p->sl_is);
	sr_free(p->rad);
	sr_free(p->saz);
	sr_free(p->sel);
	sr_free(p->sen);
	sr_free(p->smon);
	sr_free(p);
}

int
sr_sky_prep_sectors(const sr_sky_prep *p)
{
	return p->ns;
}

int
sr_sky_prep_bin_max(const sr_sky_prep *p)
{
	return p->bin_max;
}

typedef struct sunref
{
	double		el, az, en;
	int			mon, sec;
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


/* Patch row holding elevation lo (deg): row_bot[r] <= lo < row_bot[r + 1]
 * (the zenith row for lo >= its bottom).  At a row boundary rounding may
 * give the row below: its integral up to lo is then empty, and the entry of
 * (suns above lo, row below) is the same interval (unless a sun sits exactly
 * on the boundary). */
static inline int
row_of(const sr_sky_prep *p, double lo)
{
	int			r = (int) (lo * p->inv_alpha);

	r = r < 0 ? 0 : r;
	return r < SR_SKY_NROWS - 1 ? r : SR_SKY_NROWS - 1;
}

sr_status
sr_sky_prepare(const sr_sky_hdr *sky, int ns, sr_sky_prep **out, sr_err *err)
{
	sr_sky_prep *p;
	sunref	   *sr;
	const double *az = sr_sky_az(sky), *el = sr_sky_el(sky), *en = sr_sky_en(sky);
	const uint8_t *mon = sr_sky_month(sky);
	const float *rad = sr_sky_rad(sky);
	int			n = sky->n_sun, i, k, r, m;
	double		w = 2.0 * SR_PI / ns;
	double	   *wt;				/* [NROWS][NC] weights of one column */
	size_t		nint = (size_t) n + (size_t) ns * SR_SKY_NROWS;

	*out = NULL;
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "sectors must be between %d and %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS);
	if (!__atomic_load_n(&gtab_ready, __ATOMIC_ACQUIRE))
		gtab_init();
	p = sr_alloc0(sizeof(sr_sky_prep));
	sr = sr_alloc(sizeof(sunref) * (n > 0 ? n : 1));
	wt = sr_alloc(sizeof(double) * SR_SKY_NROWS * NC);
	if (!p || !sr || !wt)
	{
		sr_free(p);
		sr_free(sr);
		sr_free(wt);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	p->ns = ns;
	p->n_sun = n;
	p->ent_start = sr_alloc0(sizeof(int) * (ns + 1));
	p->ent = sr_alloc0(sizeof(float) * NC * nint);
	p->ent_a = sr_alloc0(sizeof(float) * 4 * nint);
	p->wrow = sr_alloc0(sizeof(float) * NC * SR_SKY_NROWS * (size_t) ns);
	p->open_a = sr_alloc0(sizeof(float) * 4 * (size_t) ns);
	p->wrow_a = sr_alloc0(sizeof(float) * 4 * SR_SKY_NROWS * (size_t) ns);
	p->col_start = sr_alloc0(sizeof(int) * (ns + 1));
	p->lut = sr_alloc0(sizeof(uint16_t) * (LUT_N + 2) * (size_t) ns);
	p->sun = sr_alloc(sizeof(sun_t) * (n + 1));
	p->elp = sr_alloc(sizeof(float) * (n + 8 * (size_t) ns));
	p->pbx = sr_alloc0(sizeof(float) * (n + 8 * (size_t) ns));
	p->pby = sr_alloc0(sizeof(float) * (n + 8 * (size_t) ns));
	p->pbz = sr_alloc0(sizeof(float) * (n + 8 * (size_t) ns));
	p->pmo = sr_alloc0(n + 8 * (size_t) ns);
	p->pb = sr_alloc(sizeof(int) * ns);
	p->lo_cos = sr_alloc(sizeof(double) * (ns + 1));
	p->lo_sin = sr_alloc(sizeof(double) * (ns + 1));
	p->cen_cos = sr_alloc(sizeof(double) * ns);
	p->cen_sin = sr_alloc(sizeof(double) * ns);
	p->rad = sr_alloc(sizeof(float) * 12 * SR_SKY_NPATCH);
	p->sl_ic = sr_alloc(sizeof(double) * NSL * (size_t) ns);
	p->sl_is = sr_alloc(sizeof(double) * NSL * (size_t) ns);
	p->saz = sr_alloc(sizeof(double) * (n + 1));
	p->sel = sr_alloc(sizeof(double) * (n + 1));
	p->sen = sr_alloc(sizeof(double) * (n + 1));
	p->smon = sr_alloc(n + 1);
	if (!p->ent_start || !p->ent || !p->ent_a || !p->wrow ||
		!p->wrow_a || !p->open_a ||
		!p->col_start || !p->lut || !p->sun || !p->elp || !p->pb ||
		!p->pbx || !p->pby || !p->pbz || !p->pmo ||
		!p->lo_cos || !p->lo_sin || !p->cen_cos || !p->cen_sin || !p->rad ||
		!p->sl_ic || !p->sl_is || !p->saz || !p->sel || !p->sen || !p->smon)
	{
		sr_free(sr);
		sr_free(wt);
		sr_sky_prep_free(p);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	memcpy(p->rad, rad, sizeof(float) * 12 * SR_SKY_NPATCH);
	memcpy(p->saz, az, sizeof(double) * n);
	memcpy(p->sel, el, sizeof(double) * n);
	memcpy(p->sen, en, sizeof(double) * n);
	memcpy(p->smon, mon, n);
	p->inv_alpha = (7 * SR_SKY_MF + 0.5) / 90.0;
	for (r = 0; r <= SR_SKY_NROWS; r++)
		p->row_bot[r] = sr_sky_row_bottom(r);
	for (k = 0; k < ns; k++)
	{
		p->cen_cos[k] = cos(k * w);
		p->cen_sin[k] = sin(k * w);
	}
	for (k = 0; k <= ns; k++)
	{
		p->lo_cos[k] = cos((k - 0.5) * w);
		p->lo_sin[k] = sin((k - 0.5) * w);
	}
	for (i = 0; i < NSL; i++)
	{
		p->sl_cd[i] = cos((i + 0.5) * w / NSL);
		p->sl_sd[i] = sin((i + 0.5) * w / NSL);
		for (k = 0; k < ns; k++)
		{
			double		a0 = (k - 0.5) * w + i * w / NSL, a1 = a0 + w / NSL;

			p->sl_ic[(size_t) k * NSL + i] = (sin(a1) - sin(a0)) / w;
			p->sl_is[(size_t) k * NSL + i] = (cos(a0) - cos(a1)) / w;
		}
	}
	for (m = 0; m < 12; m++)
	{
		p->m_ghi[m] = sky->m_ghi[m];
		p->a_ghi += sky->m_ghi[m];
	}

	/* suns: bucketed by column, decreasing elevation */
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

		p->col_start[sr[i].sec + 1]++;
		p->sun[i].bx = (float) (sr[i].en * sin(e));
		p->sun[i].by = (float) (sr[i].en * cos(e) * cos(a));
		p->sun[i].bz = (float) (sr[i].en * cos(e) * sin(a));
		p->sun[i].el = (float) sr[i].el;
		p->sun[i].mon = sr[i].mon;
	}
	for (k = 0; k < ns; k++)
	{
		if (p->col_start[k + 1] > 65535)
		{
			/* the count table holds uint16 (about 3 million suns a sky) */
			sr_free(sr);
			sr_free(wt);
			sr_sky_prep_free(p);
			return sr_error(err, SR_EINVAL, "a sky sector holds more than 65535 sun positions");
		}
		p->col_start[k + 1] += p->col_start[k];
	}
	for (k = 0; k < ns; k++)
	{
		int			b = p->col_start[k] + 8 * k + 4,
					nk = p->col_start[k + 1] - p->col_start[k];

		p->pb[k] = b;
		for (i = 1; i <= 4; i++)
		{
			p->elp[b - i] = FLT_MAX;
			p->elp[b + nk + i - 1] = -FLT_MAX;
		}
		for (i = 0; i < nk; i++)
		{
			const sun_t *su = &p->sun[p->col_start[k] + i];

			p->elp[b + i] = su->el;
			p->pbx[b + i] = su->bx;
			p->pby[b + i] = su->by;
			p->pbz[b + i] = su->bz;
			p->pmo[b + i] = (uint8_t) su->mon;
		}
	}
	for (k = 0; k < ns; k++)
		p->ent_start[k + 1] = p->ent_start[k] +
			(p->col_start[k + 1] - p->col_start[k]) + SR_SKY_NROWS;

	for (k = 0; k < ns; k++)
	{
		double		c0 = (k - 0.5) * w, c1 = (k + 0.5) * w;
		double		above[NC] = {0};	/* diffuse above the current row's top */
		double		beam[NC] = {0};		/* the suns passed */
		int			s0 = p->col_start[k], s1 = p->col_start[k + 1], j = s0;
		uint16_t   *lut = p->lut + (size_t) k * (LUT_N + 2);
		float	   *e1 = p->ent + (size_t) NC * p->ent_start[k];
		float	   *ea = p->ent_a + (size_t) 4 * p->ent_start[k];

		if (k % 8 == 0)
			sr_check_interrupts();
		/* per row: radiance x azimuth overlap with the column */
		memset(wt, 0, sizeof(double) * SR_SKY_NROWS * NC);
		for (r = 0; r < SR_SKY_NROWS; r++)
		{
			int			np = sr_sky_row_patches(r), q0 = sr_sky_row_first(r), jj, sh;
			double		pw = 2.0 * SR_PI / np;
			double	   *W = wt + (size_t) r * NC;
			float	   *wf = p->wrow + ((size_t) k * SR_SKY_NROWS + r) * NC;
			float	   *wfa = p->wrow_a + ((size_t) k * SR_SKY_NROWS + r) * 4;

			for (jj = 0; jj < np; jj++)
			{
				double		a0 = (jj - 0.5) * pw, a1 = (jj + 0.5) * pw;

				for (sh = -1; sh <= 1; sh++)
				{
					double		lo = a0 + sh * 2.0 * SR_PI, hi = a1 + sh * 2.0 * SR_PI;
					double		ov, ic, is;

					if (lo < c0)
						lo = c0;
					if (hi > c1)
						hi = c1;
					if (!(hi > lo))
						continue;
					ov = hi - lo;
					ic = sin(hi) - sin(lo);
					is = cos(lo) - cos(hi);
					for (m = 0; m < 12; m++)
					{
						double		L = rad[(size_t) m * SR_SKY_NPATCH + q0 + jj];

						W[m] += L * ov;
						W[12 + m] += L * ic;
						W[24 + m] += L * is;
					}
				}
			}
			for (i = 0; i < NC; i++)
			{
				wf[i] = (float) W[i];
				wfa[i / 12] += (float) W[i];
			}
		}
		/* intervals from the zenith down: a row top or a sun at a time */
		r = SR_SKY_NROWS - 1;
		for (;;)
		{
			double		top = p->row_bot[r + 1];
			double		gct = sr_gc(top * SR_DEG2RAD), gst = sr_gs(top * SR_DEG2RAD);
			const double *W = wt + (size_t) r * NC;
			double		aa[3] = {0};

			for (i = 0; i < NC; i++)
			{
				double		a = above[i] + beam[i] - W[i] * (i < 12 ? gct : gst);

				e1[i] = (float) a;
				aa[i / 12] += a;
			}
			for (i = 0; i < 3; i++)
				ea[i] = (float) aa[i];
			if (r == 0 && j == s1)
			{
				/* the last interval: the whole column above the horizon */
				const double *W0 = wt;

				for (i = 0; i < 3; i++)
				{
					double		wa = 0.0;
					int			q;

					for (q = 0; q < 12; q++)
						wa += W0[12 * i + q];
					p->open_a[(size_t) k * 4 + i] = (float) (aa[i] + wa * (i == 0 ? 0.5 : SR_PI / 4.0));
					p->open_sum[i] += p->open_a[(size_t) k * 4 + i];
				}
			}
			e1 += NC;
			ea += 4;
			/* next breakpoint: the next sun if it is at or above the
			 * row's bottom, else the row's bottom */
			if (j < s1 && p->sun[j].el >= p->row_bot[r])
			{
				const sun_t *s = &p->sun[j];

				beam[s->mon] += s->bx;
				beam[12 + s->mon] += s->by;
				beam[24 + s->mon] += s->bz;
				j++;
			}
			else if (r > 0)
			{
				double		br = p->row_bot[r] * SR_DEG2RAD;

				for (i = 0; i < NC; i++)
					above[i] += W[i] * (i < 12 ? sr_gc(br) - gct : sr_gs(br) - gst);
				r--;
			}
			else
				break;
		}
		/* lut[i] = number of suns with elevation > i / LUT_RES deg */
		for (i = 0, j = s0; i <= LUT_N + 1; i++)
		{
			double		x = (double) i / LUT_RES;

			while (j > s0 && p->sun[j - 1].el <= x)
				j--;
			while (j < s1 && p->sun[j].el > x)
				j++;
			lut[i] = (uint16_t) (j - s0);
			if (i > 0 && lut[i - 1] - lut[i] > p->bin_max)
				p->bin_max = lut[i - 1] - lut[i];
		}
	}
	sr_free(sr);
	sr_free(wt);
	*out = p;
	return SR_OK;
}

/* Number of suns of column k strictly above e (deg): the count table gives
 * the suns above the next bin edge, then a scan of the few suns inside e's
 * bin. */
static inline int
count_above(const sr_sky_prep *p, int k, double e)
{
	const uint16_t *lut = p->lut + (size_t) k * (LUT_N + 2);
	const float *el = p->elp + p->pb[k];
	double		f = e * LUT_RES;
	int			i, c, end;

	if (!(f >= 0))
		return p->col_start[k + 1] - p->col_start[k];
	if (f >= LUT_N)
		return 0;
	i = (int) f;
	c = lut[i + 1];				/* (at a bin edge the scan below finds none) */
	end = lut[i];
	/* (a loop, not a branch-free count: the bin is most often empty, the
	 * processor predicts it so and goes on without waiting for el[]) */
	while (c < end && el[c] > e)
		c++;
	return c;
}

/* The same with e's count-table bin i = (int) (e * LUT_RES) (0 <= i <=
 * LUT_N) already known. */
static inline int
count_in_bin(const sr_sky_prep *p, int k, int i, double e)
{
	const uint16_t *lut = p->lut + (size_t) k * (LUT_N + 2);
	const float *el = p->elp + p->pb[k];
	int			c = lut[i + 1], end = lut[i];

	while (c < end && el[c] > e)
		c++;
	return c;
}

/* atan of x > 0 with |error| < 1e-5 rad (minimax polynomial on [0, 1],
 * then atan(x) = pi/2 - atan(1/x)). */
static inline double
fast_atan_pos(double x)
{
	double		iv = 1.0 / x, z, z2, r;
	int			inv = x > 1.0;

	z = inv ? iv : x;
	z2 = z * z;
	r = z * (0.99997726 + z2 * (-0.33262347 + z2 * (0.19354346 +
			z2 * (-0.11643287 + z2 * (0.05265332 + z2 * -0.01172120)))));
	return inv ? SR_PI / 2 - r : r;
}

/* Elevation (deg) below which a plane with t = tan(tilt) (t = +inf:
 * vertical) turns its back to a direction with c = cos(az - G); 0 if
 * never.  Without branches (the per-plane set-up runs it over whole
 * arrays): a direction in front (x <= 0, or NaN for a vertical plane at
 * c = 0) becomes x = 0, where the polynomial gives 0. */
/* The same in floats, for the per-plane loops over the column edges and
 * centres (eight lanes to a vector where the processor has AVX). */
static inline float
back_elev_degf(float t, float c)
{
	float		x = -t * c, iv, z, z2, r;
	int			inv;

	x = x > 0.0f ? x : 0.0f;	/* NaN -> 0 */
	iv = 1.0f / x;
	inv = x > 1.0f;
	z = inv ? iv : x;
	z2 = z * z;
	r = z * (0.99997726f + z2 * (-0.33262347f + z2 * (0.19354346f +
			z2 * (-0.11643287f + z2 * (0.05265332f + z2 * -0.01172120f)))));
	r = inv ? (float) (SR_PI / 2) - r : r;
	return r * (float) SR_RAD2DEG;
}

static inline double
back_elev_deg(double t, double c)
{
	double		x = -t * c;

	return fast_atan_pos(x > 0.0 ? x : 0.0) * SR_RAD2DEG;	/* NaN -> 0 */
}

/* Tables of gc, gs for lo in [0, 90] deg by 0.05 deg (28 kB: stays in L1),
 * linear in between (error < 1e-7). */
#define GTAB_N 1800
static double gtab_cs[2 * (GTAB_N + 2)];	/* interleaved gc, gs */

static void
gtab_init(void)
{
	int			i;

	for (i = 0; i <= GTAB_N + 1; i++)
	{
		double		lo = (i > GTAB_N ? GTAB_N : i) * (SR_PI / 2) / GTAB_N;

		gtab_cs[2 * i] = sr_gc(lo);
		gtab_cs[2 * i + 1] = sr_gs(lo);
	}
	/* release: a thread that sees the flag sees the table (it is made on
	 * the calling thread, sr_sky_prepare, before any thread starts) */
	__atomic_store_n(&gtab_ready, 1, __ATOMIC_RELEASE);
}

/* gc, gs at lo degrees */
static inline void
gtab_deg(double lo, double *gc, double *gs)
{
	double		f = lo * (GTAB_N / 90.0);
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

/* gc, gs at lo degrees without a table, for the vectorised per-column
 * loops (no gather), in floats (eight lanes to an AVX vector): with
 * x = 2 lo (rad) and y = x - pi/2 in [-pi/2, pi/2], gc = (1 + cos x) / 4 =
 * (1 - sin y) / 4 and gs = pi/4 - x/4 - sin(x)/4 = pi/8 - y/4 - cos(y)/4;
 * Taylor series of sin y (to y^11) and cos y (to y^12): |error| < 1.5e-7
 * over [0, 90] (measured against the double formulas every 1e-5 deg,
 * the float rounding of lo included), that of the table's values once
 * stored as floats.  lo is clamped to [0, 90] as by the table. */
static inline __attribute__((always_inline)) void
gpoly_degf(float lo, float *gc, float *gs)
{
	float		e = lo > 0.0f ? (lo < 90.0f ? lo : 90.0f) : 0.0f;
	float		y = e * (float) (SR_PI / 90.0) - (float) (SR_PI / 2), y2 = y * y;
	float		sy = y * (1.0f + y2 * (-1.0f / 6 + y2 * (1.0f / 120 + y2 * (-1.0f / 5040 +
			y2 * (1.0f / 362880 + y2 * (-1.0f / 39916800))))));
	float		cy = 1.0f + y2 * (-0.5f + y2 * (1.0f / 24 + y2 * (-1.0f / 720 + y2 * (1.0f / 40320 +
			y2 * (-1.0f / 3628800 + y2 * (1.0f / 479001600))))));

	/* (exact at the ends: a closed horizon gets no sky at all) */
	*gc = e >= 90.0f ? 0.0f : e <= 0.0f ? 0.5f : 0.25f * (1.0f - sy);
	*gs = e >= 90.0f ? 0.0f : e <= 0.0f ? (float) (SR_PI / 4) : (float) (SR_PI / 8) - 0.25f * (y + cy);
}

/* Per-plane constants */
typedef struct plane_c
{
	double		e0c[SR_HORIZON_MAX_SECTORS];	/* back elevation at the
												 * column centres */
	double		sb, cb, cg, sg, k0, k1, k2, t;
	int			flat, kback;
	double		eback;
} plane_c;

/* Per column: where the diffuse starts (lo); for a column the plane turns
 * its back to, the window (L, U] of suns near the cut, summed one by one
 * with max(0, cos) (U < 0: no window). */
typedef struct colcut
{
	double		lo, L, U;
	int			sliced;			/* the cut varies across the column: lo is
								 * its highest point, los[] per slice */
	double		los[NSL];
} colcut;

static inline void
plane_init(const sr_sky_prep *p, double tilt, double azimuth, plane_c *pc,
		   double *ce, double *se, double *eb)
{
	double		b = tilt * SR_DEG2RAD, g = azimuth * SR_DEG2RAD;
	int			k;

	pc->sb = sin(b);
	pc->cb = cos(b);
	pc->flat = pc->sb <= 1e-12;
	if (pc->flat)
	{
		/* (the azimuth does not matter: |sin tilt| <= 1e-12) */
		pc->sg = pc->k1 = pc->k2 = pc->t = pc->eback = 0.0;
		pc->cg = 1.0;
		pc->k0 = pc->cb;
		pc->kback = 0;
		return;
	}
	pc->sg = sin(g);
	pc->cg = cos(g);
	pc->k0 = pc->cb;
	pc->k1 = pc->sb * pc->cg;
	pc->k2 = pc->sb * pc->sg;
	pc->t = pc->cb > 1e-12 ? pc->sb / pc->cb : INFINITY;
	pc->kback = sr_horizon_sector(azimuth + 180.0, p->ns);
	pc->eback = back_elev_deg(pc->t, -1.0);
	for (k = 0; k <= p->ns; k++)
	{
		ce[k] = p->lo_cos[k] * pc->cg + p->lo_sin[k] * pc->sg;
		se[k] = p->lo_sin[k] * pc->cg - p->lo_cos[k] * pc->sg;
		eb[k] = back_elev_degf((float) pc->t, (float) ce[k]);
	}
	for (k = 0; k < p->ns; k++)
		pc->e0c[k] = back_elev_degf((float) pc->t, (float) (p->cen_cos[k] * pc->cg + p->cen_sin[k] * pc->sg));
}

/* The cut of column k under a horizon h (deg, >= 0), without branches
 * but for the rare sliced columns: e0 is 0 where the plane faces the sky,
 * so lo = max(h, e0 at the centre) holds for every column, and a column
 * has a band of suns to check only if its highest cut is above h. */
static void slice_cuts(const sr_sky_prep *p, const plane_c *pc, const double *ce,
					   const double *se, int k, double h, colcut *cc);

static inline __attribute__((always_inline)) void
column_cut(const sr_sky_prep *p, const plane_c *pc, const double *ce,
		   const double *se, const double *eb, int k, double h, colcut *cc)
{
	double		emax, emin;

	cc->sliced = 0;
	if (pc->flat)
	{
		cc->lo = cc->L = h;
		cc->U = -1.0;
		return;
	}
	emax = eb[k] > eb[k + 1] ? eb[k] : eb[k + 1];
	emax = k == pc->kback ? pc->eback : emax;
	emin = eb[k] < eb[k + 1] ? eb[k] : eb[k + 1];
	cc->lo = h > pc->e0c[k] ? h : pc->e0c[k];
	/* 0.001 deg of margin covers the polynomial atan */
	cc->L = h > emin - 1e-3 ? h : emin - 1e-3;
	cc->U = emax > h ? emax + 1e-3 : -1.0;
	if (cc->U >= 0 && ((ce[k] < 0) != (ce[k + 1] < 0) || emax - emin > 6.0))
		slice_cuts(p, pc, ce, se, k, h, cc);
}

/* The plane's edge crosses the column: one cut per slice (the midpoint
 * would miss light on both sides of it). */
static void
slice_cuts(const sr_sky_prep *p, const plane_c *pc, const double *ce,
		   const double *se, int k, double h, colcut *cc)
{
	double		lmin = 90.0, lmax = 0.0;
	int			j;

	for (j = 0; j < NSL; j++)
	{
		double		cj = ce[k] * p->sl_cd[j] - se[k] * p->sl_sd[j];
		double		e0 = back_elev_deg(pc->t, cj);
		double		l = h > e0 ? h : e0;

		cc->los[j] = l;
		lmin = l < lmin ? l : lmin;
		lmax = l > lmax ? l : lmax;
	}
	if (lmax - lmin > 0.01)
	{
		cc->sliced = 1;
		cc->lo = lmax;
	}
}

/* Diffuse of the slices of a sliced column between their own cut and the
 * column's highest cut (cc->lo), radiance taken uniform in azimuth over the
 * column within a patch row: into the monthly sums (accm, v4f) or, with
 * accm NULL, the annual ones (acca, 3 doubles). */
static void
add_slices(const sr_sky_prep *p, int k, const colcut *cc, sr_v4f *accm, double *acca)
{
	int			j;

	for (j = 0; j < NSL; j++)
	{
		double		a = cc->los[j];
		double		ic = p->sl_ic[(size_t) k * NSL + j], is = p->sl_is[(size_t) k * NSL + j];
		int			r = row_of(p, a);

		for (; a < cc->lo && r < SR_SKY_NROWS; r++)
		{
			double		b = p->row_bot[r + 1] < cc->lo ? p->row_bot[r + 1] : cc->lo;
			double		gca, gsa, gcb, gsb, d1, d2, d3;
			size_t		wr = (size_t) k * SR_SKY_NROWS + r;
			int			m;

			gtab_deg(a, &gca, &gsa);
			gtab_deg(b, &gcb, &gsb);
			d1 = (gca - gcb) / NSL;
			d2 = ic * (gsa - gsb);
			d3 = is * (gsa - gsb);
			if (accm)
			{
				const float *W = p->wrow + wr * NC;
				sr_v4f		f1 = (sr_v4f) {1, 1, 1, 1} * (float) d1;
				sr_v4f		f2 = (sr_v4f) {1, 1, 1, 1} * (float) d2;
				sr_v4f		f3 = (sr_v4f) {1, 1, 1, 1} * (float) d3;

				for (m = 0; m < 3; m++)
				{
					sr_v4f		w1;

					memcpy(&w1, W + 4 * m, sizeof(w1));
					accm[m] += w1 * f1;
					accm[3 + m] += w1 * f2;
					accm[6 + m] += w1 * f3;
				}
			}
			else
			{
				double		w1 = p->wrow_a[wr * 4];

				acca[0] += w1 * d1;
				acca[1] += w1 * d2;
				acca[2] += w1 * d3;
			}
			a = b;
		}
	}
}

/* A column whose suns near the cut need a look: the window (L, U] of
 * elevations around the cut, and c = the suns above lo, those the
 * interval's entry holds (unclamped). */
typedef struct winjob
{
	int			k, c;
	float		L, U;
	int			open;			/* the open horizon's window too */
} winjob;

/* Whether column k has a sun in (L, U] (those next to lo, on either side:
 * two loads, no branch), and if so a job for the window pass. */
static inline __attribute__((always_inline)) int
window_job(const sr_sky_prep *p, int k, int c, const colcut *cc, winjob *j)
{
	const float *el = p->elp + p->pb[k];
	float		L = (float) cc->L, U = (float) cc->U;

	j->k = k;
	j->c = c;
	j->L = L;
	j->U = U;
	j->open = 0;
	return (el[c - 1] <= U) | (el[c] > L);
}

/* The suns of a window: their exact contribution max(0, cos) minus what
 * the entry already holds (cos, for the suns above lo).  Sorted by
 * decreasing elevation, the suns above lo in the window are the last ones
 * of the four before c with el <= U, those below the first of the four
 * from c with el > L (the sentinels close the column): one vector step a
 * side, no branch; a side with four suns or more goes on four at a time.
 * Into beam[12] by month or, beam NULL, *beam_a. */
typedef int sr_v4i __attribute__((vector_size(16)));

static inline __attribute__((always_inline)) void
window_run(const sr_sky_prep *p, const plane_c *pc, const winjob *j,
		   double *beam, double *beam_a, double *beam_o)
{
	double		tot;
	const int	b = p->pb[j->k] + j->c;
	const sr_v4f zero = {0, 0, 0, 0};
	sr_v4f		k0 = zero + (float) pc->k0, k1 = zero + (float) pc->k1,
				k2 = zero + (float) pc->k2;
	sr_v4f		eu, ed, xu, yu, zu, xd, yd, zd, cu, cd;
	sr_v4i		mu, md;
	int			l, i;

	memcpy(&eu, p->elp + b - 4, sizeof(eu));
	memcpy(&ed, p->elp + b, sizeof(ed));
	memcpy(&xu, p->pbx + b - 4, sizeof(xu));
	memcpy(&yu, p->pby + b - 4, sizeof(yu));
	memcpy(&zu, p->pbz + b - 4, sizeof(zu));
	memcpy(&xd, p->pbx + b, sizeof(xd));
	memcpy(&yd, p->pby + b, sizeof(yd));
	memcpy(&zd, p->pbz + b, sizeof(zd));
	cu = -(k0 * xu + k1 * yu + k2 * zu);	/* above lo: remove min(0, cos) */
	cd = k0 * xd + k1 * yd + k2 * zd;
	mu = (eu <= j->U) & (cu > zero);
	md = (ed > j->L) & (cd > zero);
	cu = (sr_v4f) ((sr_v4i) cu & mu);
	cd = (sr_v4f) ((sr_v4i) cd & md);
	if (beam)
	{
		const uint8_t *mo = p->pmo + b;

		for (l = 0; l < 4; l++)
		{
			beam[mo[l - 4]] += cu[l];
			beam[mo[l]] += cd[l];
		}
	}
	tot = (cu[0] + cu[1] + cu[2] + cu[3]) + (cd[0] + cd[1] + cd[2] + cd[3]);
	/* four or more on a side (a quarter of the windows: the noon suns of
	 * the weeks around a solstice crowd a few elevations): four more at a
	 * time, the same way, until a step ends inside the window's edge (the
	 * four sentinels of each column end it at the latest) */
	for (i = b - 4; __builtin_expect(p->elp[i] <= j->U, 0);)
	{
		i -= 4;
		memcpy(&eu, p->elp + i, sizeof(eu));
		memcpy(&xu, p->pbx + i, sizeof(xu));
		memcpy(&yu, p->pby + i, sizeof(yu));
		memcpy(&zu, p->pbz + i, sizeof(zu));
		cu = -(k0 * xu + k1 * yu + k2 * zu);
		mu = (eu <= j->U) & (cu > zero);
		cu = (sr_v4f) ((sr_v4i) cu & mu);
		if (beam)
			for (l = 0; l < 4; l++)
				beam[p->pmo[i + l]] += cu[l];
		tot += (cu[0] + cu[1]) + (cu[2] + cu[3]);
	}
	for (i = b; __builtin_expect(p->elp[i + 3] > j->L, 0);)
	{
		i += 4;
		memcpy(&ed, p->elp + i, sizeof(ed));
		memcpy(&xd, p->pbx + i, sizeof(xd));
		memcpy(&yd, p->pby + i, sizeof(yd));
		memcpy(&zd, p->pbz + i, sizeof(zd));
		cd = k0 * xd + k1 * yd + k2 * zd;
		md = (ed > j->L) & (cd > zero);
		cd = (sr_v4f) ((sr_v4i) cd & md);
		if (beam)
			for (l = 0; l < 4; l++)
				beam[p->pmo[i + l]] += cd[l];
		tot += (cd[0] + cd[1]) + (cd[2] + cd[3]);
	}
	if (!beam)
		*beam_a += tot;
	if (j->open)
		*beam_o += tot;
}

/* Entry index of column k for the diffuse starting at lo. */
static inline size_t
entry_of(const sr_sky_prep *p, int k, double lo, int *row, int *above)
{
	int			r = row_of(p, lo), c = count_above(p, k, lo);

	*row = r;
	*above = c;
	return (size_t) p->ent_start[k] + c + (SR_SKY_NROWS - 1 - r);
}

static inline __attribute__((always_inline)) void
plane_irr(const sr_sky_prep *p, double tilt, double azimuth, const float *elev,
		  double albedo, const int monthly, sr_irradiation *out,
		  const int with_open, double *open_annual)
{
	const int	ns = p->ns;
	plane_c		pc;
	double		ce[SR_HORIZON_MAX_SECTORS + 1], eb[SR_HORIZON_MAX_SECTORS + 1];
	double		se[SR_HORIZON_MAX_SECTORS + 1];
	/* per column: entry, row and the elevation integrals at the cut */
	uint32_t	ix[SR_HORIZON_MAX_SECTORS];
	uint16_t	rw[SR_HORIZON_MAX_SECTORS];
	float		gcf[SR_HORIZON_MAX_SECTORS], gsf[SR_HORIZON_MAX_SECTORS];
	sr_v4f		acc1[3] = {{0}}, acc23[6] = {{0}};
	double		acca[3] = {0}, acco[3] = {0};
	double		beam[12] = {0}, beam_a = 0.0, beam_o = 0.0;
	double		ground;
	int			k, m, nw = 0, nwo = 0;
	winjob		wj[SR_HORIZON_MAX_SECTORS], wjo[SR_HORIZON_MAX_SECTORS];

	if (!__atomic_load_n(&gtab_ready, __ATOMIC_ACQUIRE))
		gtab_init();
	plane_init(p, tilt, azimuth, &pc, ce, se, eb);
	/* pass 1: cuts, entry indices, and the columns the plane turns its back
	 * to (their suns near the cut, slices); a flat plane (no back) in a
	 * short loop of its own */
	if (pc.flat)
	{
		int			row_[SR_HORIZON_MAX_SECTORS], bin_[SR_HORIZON_MAX_SECTORS];
		double		h_[SR_HORIZON_MAX_SECTORS];

		/* rows and count-table bins of all columns, vectorised */
		for (k = 0; k < ns; k++)
		{
			double		h = elev ? (elev[k] > 0 ? elev[k] : 0.0) : 0.0;
			int			r = (int) (h * p->inv_alpha), b = (int) (h * LUT_RES);
			gpoly_degf((float) h, &gcf[k], &gsf[k]);
			h_[k] = h;
			row_[k] = r < SR_SKY_NROWS - 1 ? r : SR_SKY_NROWS - 1;
			bin_[k] = b < LUT_N ? b : LUT_N;
		}
		for (k = 0; k < ns; k++)
		{
			int			c = count_in_bin(p, k, bin_[k], h_[k]);

			ix[k] = (uint32_t) (p->ent_start[k] + c + (SR_SKY_NROWS - 1 - row_[k]));
			rw[k] = (uint16_t) row_[k];
		}
	}
	if (!pc.flat)
	{
		/* a tilted plane: the cuts of all columns first, in a loop without
		 * a branch (vectorised: the kernel is built with
		 * -fno-trapping-math), then the rare sliced columns, then the
		 * entries and windows, then (the shading loss) the open horizon */
		double		lo_[SR_HORIZON_MAX_SECTORS], emin_[SR_HORIZON_MAX_SECTORS],
					emax_[SR_HORIZON_MAX_SECTORS];
		float		L_[SR_HORIZON_MAX_SECTORS], U_[SR_HORIZON_MAX_SECTORS];
		int			row_[SR_HORIZON_MAX_SECTORS], bin_[SR_HORIZON_MAX_SECTORS],
					cand_[SR_HORIZON_MAX_SECTORS], cnt_[SR_HORIZON_MAX_SECTORS];

		for (k = 0; k < ns; k++)
		{
			double		h = elev ? (elev[k] > 0 ? elev[k] : 0.0) : 0.0;
			double		e1 = eb[k], e2 = eb[k + 1];
			double		emax = e1 > e2 ? e1 : e2, emin = e1 < e2 ? e1 : e2;
			double		lo;
			int			r, b;

			emax = k == pc.kback ? pc.eback : emax;
			emin_[k] = emin;
			emax_[k] = emax;
			lo = h > pc.e0c[k] ? h : pc.e0c[k];
			lo_[k] = lo;
			gpoly_degf((float) lo, &gcf[k], &gsf[k]);
			/* 0.001 deg of margin covers the polynomial atan */
			L_[k] = (float) (h > emin - 1e-3 ? h : emin - 1e-3);
			U_[k] = (float) (emax > h ? emax + 1e-3 : -1.0);
			/* the plane's edge crosses the column, or the cut climbs more
			 * than 6 deg over it: slices, if the horizon is below the top */
			cand_[k] = (emax > h) & (((ce[k] < 0) ^ (ce[k + 1] < 0)) | (emax - emin > 6.0));
			r = (int) (lo * p->inv_alpha);
			row_[k] = r < SR_SKY_NROWS - 1 ? r : SR_SKY_NROWS - 1;
			b = (int) (lo * LUT_RES);
			bin_[k] = b < LUT_N ? b : LUT_N;
		}
		for (k = 0; k < ns; k++)
		{
			colcut		cc;

			if (!cand_[k])
				continue;
			cc.sliced = 0;
			cc.lo = lo_[k];
			slice_cuts(p, &pc, ce, se, k, elev && elev[k] > 0 ? elev[k] : 0.0, &cc);
			if (!cc.sliced)
				continue;
			lo_[k] = cc.lo;
			gpoly_degf((float) cc.lo, &gcf[k], &gsf[k]);
			row_[k] = row_of(p, lo_[k]);
			bin_[k] = (int) (lo_[k] * LUT_RES) < LUT_N ? (int) (lo_[k] * LUT_RES) : LUT_N;
			if (monthly)
			{
				sr_v4f		t[9] = {{0}};

				add_slices(p, k, &cc, t, NULL);
				for (m = 0; m < 3; m++)
					acc1[m] += t[m];
				for (m = 0; m < 6; m++)
					acc23[m] += t[3 + m];
			}
			else
				add_slices(p, k, &cc, NULL, acca);
		}
		for (k = 0; k < ns; k++)
		{
			int			c = count_in_bin(p, k, bin_[k], lo_[k]);

			cnt_[k] = c;
			ix[k] = (uint32_t) (p->ent_start[k] + c + (SR_SKY_NROWS - 1 - row_[k]));
			rw[k] = (uint16_t) row_[k];
			if (U_[k] >= 0)
			{
				const float *el = p->elp + p->pb[k];
				winjob	   *j = &wj[nw];
				double		h = elev && elev[k] > 0 ? elev[k] : 0.0;

				j->k = k;
				j->c = c;
				j->L = L_[k];
				j->U = U_[k];
				/* the horizon below the cut's foot: the open column's
				 * window is this one (see below) */
				j->open = with_open && !cand_[k] && h <= emin_[k] - 1e-3;
				nw += (el[c - 1] <= j->U) | (el[c] > j->L);
			}
		}
		/* the open horizon's annual, for the shading loss */
		for (k = 0; with_open && k < ns; k++)
		{
			double		h = elev && elev[k] > 0 ? elev[k] : 0.0;
			colcut		cc;
			double		gc, gs;
			int			r, c;

			if (U_[k] >= 0 && !cand_[k] && h <= pc.e0c[k])
			{
				/* the horizon is below the cut at the column's centre: the
				 * open column has this entry; below the whole cut, this
				 * window too (marked above), else a window from the cut's
				 * foot */
				const float *e = p->ent_a + 4 * (size_t) ix[k];
				const float *W = p->wrow_a + ((size_t) k * SR_SKY_NROWS + rw[k]) * 4;

				acco[0] += e[0] + gcf[k] * W[0];
				acco[1] += e[1] + gsf[k] * W[1];
				acco[2] += e[2] + gsf[k] * W[2];
				if (h > emin_[k] - 1e-3)
				{
					colcut		co;

					co.L = emin_[k] - 1e-3;
					co.U = emax_[k] + 1e-3;
					nwo += window_job(p, k, cnt_[k], &co, &wjo[nwo]);
				}
				continue;
			}
			if (emax_[k] <= 0)
			{
				/* the plane faces the whole column */
				const float *o = p->open_a + (size_t) k * 4;

				acco[0] += o[0];
				acco[1] += o[1];
				acco[2] += o[2];
				continue;
			}
			column_cut(p, &pc, ce, se, eb, k, 0.0, &cc);
			{
				size_t		io = entry_of(p, k, cc.lo, &r, &c);
				const float *e = p->ent_a + 4 * io;
				const float *W = p->wrow_a + ((size_t) k * SR_SKY_NROWS + r) * 4;

				gtab_deg(cc.lo, &gc, &gs);
				acco[0] += e[0] + gc * W[0];
				acco[1] += e[1] + gs * W[1];
				acco[2] += e[2] + gs * W[2];
				if (cc.sliced)
					add_slices(p, k, &cc, NULL, acco);
				nwo += window_job(p, k, c, &cc, &wjo[nwo]);
			}
		}
	}
	if (with_open && pc.flat)
	{
		/* a flat plane under an open horizon: every column whole */
		acco[0] = p->open_sum[0];
		acco[1] = p->open_sum[1];
		acco[2] = p->open_sum[2];
	}
	/* the windows */
	for (k = 0; k < nw; k++)
		window_run(p, &pc, &wj[k], monthly ? beam : NULL, &beam_a, &beam_o);
	for (k = 0; k < nwo; k++)
		window_run(p, &pc, &wjo[k], NULL, &beam_o, NULL);
	/* pass 2: the entries (independent loads the processor overlaps); a
	 * tilted plane's 36 floats in 8-float vectors (one AVX register where
	 * the processor has them) */
	if (monthly && !pc.flat)
	{
		sr_v8f		a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
		sr_v4f		a4 = {0};
		float		tot[NC];

		for (k = 0; k < ns; k++)
		{
			size_t		wr = (size_t) k * SR_SKY_NROWS + rw[k];
			const float *e = p->ent + (size_t) NC * ix[k], *w = p->wrow + NC * wr;
			const float gc = gcf[k], gs = gsf[k];
			const sr_v8f g0 = {gc, gc, gc, gc, gc, gc, gc, gc};
			const sr_v8f g1 = {gc, gc, gc, gc, gs, gs, gs, gs};
			const sr_v8f g2 = {gs, gs, gs, gs, gs, gs, gs, gs};
			const sr_v4f g3 = {gs, gs, gs, gs};
			sr_v8f		x, y;
			sr_v4f		x4, y4;

			memcpy(&x, e, sizeof(x));
			memcpy(&y, w, sizeof(y));
			a0 += x + g0 * y;
			memcpy(&x, e + 8, sizeof(x));
			memcpy(&y, w + 8, sizeof(y));
			a1 += x + g1 * y;
			memcpy(&x, e + 16, sizeof(x));
			memcpy(&y, w + 16, sizeof(y));
			a2 += x + g2 * y;
			memcpy(&x, e + 24, sizeof(x));
			memcpy(&y, w + 24, sizeof(y));
			a3 += x + g2 * y;
			memcpy(&x4, e + 32, sizeof(x4));
			memcpy(&y4, w + 32, sizeof(y4));
			a4 += x4 + g3 * y4;
		}
		memcpy(tot, &a0, sizeof(a0));
		memcpy(tot + 8, &a1, sizeof(a1));
		memcpy(tot + 16, &a2, sizeof(a2));
		memcpy(tot + 24, &a3, sizeof(a3));
		memcpy(tot + 32, &a4, sizeof(a4));
		for (m = 0; m < 3; m++)
		{
			sr_v4f		t1, t2, t3;

			memcpy(&t1, tot + 4 * m, sizeof(t1));
			memcpy(&t2, tot + 12 + 4 * m, sizeof(t2));
			memcpy(&t3, tot + 24 + 4 * m, sizeof(t3));
			acc1[m] += t1;
			acc23[m] += t2;
			acc23[3 + m] += t3;
		}
	}
	else if (monthly)
	{
		/* a flat plane: the first component only, 8 + 4 floats */
		sr_v8f		a0 = {0};
		sr_v4f		a4 = {0};
		float		tot[12];

		for (k = 0; k < ns; k++)
		{
			size_t		wr = (size_t) k * SR_SKY_NROWS + rw[k];
			const float *e = p->ent + (size_t) NC * ix[k], *w = p->wrow + NC * wr;
			const float gc = gcf[k];
			const sr_v8f g0 = {gc, gc, gc, gc, gc, gc, gc, gc};
			const sr_v4f g3 = {gc, gc, gc, gc};
			sr_v8f		x, y;
			sr_v4f		x4, y4;

			memcpy(&x, e, sizeof(x));
			memcpy(&y, w, sizeof(y));
			a0 += x + g0 * y;
			memcpy(&x4, e + 8, sizeof(x4));
			memcpy(&y4, w + 8, sizeof(y4));
			a4 += x4 + g3 * y4;
		}
		memcpy(tot, &a0, sizeof(a0));
		memcpy(tot + 8, &a4, sizeof(a4));
		for (m = 0; m < 3; m++)
		{
			sr_v4f		t1;

			memcpy(&t1, tot + 4 * m, sizeof(t1));
			acc1[m] += t1;
		}
	}
	for (k = 0; !monthly && k < ns; k++)
	{
		/* annual only: one 4-float row per column */
		size_t		wr = (size_t) k * SR_SKY_NROWS + rw[k];
		const float *e = p->ent_a + (size_t) 4 * ix[k];
		const float *W = p->wrow_a + 4 * wr;

		acca[0] += e[0] + gcf[k] * W[0];
		acca[1] += e[1] + gsf[k] * W[1];
		acca[2] += e[2] + gsf[k] * W[2];
	}
	ground = albedo * (1.0 - pc.cb) * 0.5;
	if (with_open)
	{
		double		t = pc.k0 * acco[0] + pc.k1 * acco[1] + pc.k2 * acco[2] + beam_o +
			ground * p->a_ghi;

		*open_annual = t > 0 ? t : 0.0;
	}
	memset(out, 0, sizeof(*out));
	/* the fast path does not separate beam from diffuse (both are in the
	 * entries): the parts are filled by sr_plane_irradiation_reference */
	out->beam = out->sky_diffuse = NAN;
	if (!monthly)
	{
		double		t = pc.k0 * acca[0] + pc.k1 * acca[1] + pc.k2 * acca[2] + beam_a +
			ground * p->a_ghi;

		out->annual = t > 0 ? t : 0.0;
		out->ground = ground * p->a_ghi;
		return;
	}
	for (m = 0; m < 12; m++)
	{
		double		d = pc.k0 * acc1[m / 4][m % 4] + pc.k1 * acc23[m / 4][m % 4] +
			pc.k2 * acc23[3 + m / 4][m % 4];
		double		gr = ground * p->m_ghi[m];
		double		t = d + beam[m] + gr;

		out->monthly[m] = t > 0 ? t : 0.0;
		out->annual += out->monthly[m];
		out->ground += gr;
	}
}

/* The open horizon (elev NULL) is a separate inlined copy: with every
 * horizon a constant 0 the compiler folds the look-ups. */
SR_KERNEL_CLONES void
sr_plane_irradiation(const sr_sky_prep *p, double tilt, double azimuth,
					 const float *elev, double albedo, sr_irradiation *out)
{
	if (elev)
		plane_irr(p, tilt, azimuth, elev, albedo, 1, out, 0, NULL);
	else
		plane_irr(p, tilt, azimuth, NULL, albedo, 1, out, 0, NULL);
}

SR_KERNEL_CLONES double
sr_plane_irradiation_annual(const sr_sky_prep *p, double tilt, double azimuth,
							const float *elev, double albedo)
{
	sr_irradiation o;

	if (elev)
		plane_irr(p, tilt, azimuth, elev, albedo, 0, &o, 0, NULL);
	else
		plane_irr(p, tilt, azimuth, NULL, albedo, 0, &o, 0, NULL);
	return o.annual;
}

SR_KERNEL_CLONES void
sr_plane_irradiation_shading(const sr_sky_prep *p, double tilt, double azimuth,
							 const float *elev, double albedo, sr_irradiation *out,
							 double *open_annual)
{
	if (elev)
		plane_irr(p, tilt, azimuth, elev, albedo, 1, out, 1, open_annual);
	else
	{
		plane_irr(p, tilt, azimuth, NULL, albedo, 1, out, 0, NULL);
		*open_annual = out->annual;
	}
}

/* ---------- brute-force reference ---------- */

void
sr_plane_irradiation_reference(const sr_sky_prep *p, double tilt, double azimuth,
							   const float *elev, double albedo, int monthly,
							   sr_irradiation *out)
{
	const int	SL = 16;		/* azimuth slices per patch */
	double		wsec = 2.0 * SR_PI / p->ns;
	double		b = tilt * SR_DEG2RAD, g = azimuth * SR_DEG2RAD;
	double		sb = sin(b), cb = cos(b);
	double		diff[12] = {0}, beam[12] = {0};
	double		ground = albedo * (1.0 - cb) * 0.5;
	int			r, j, s, m, i;

	for (r = 0; r < SR_SKY_NROWS; r++)
	{
		int			np = sr_sky_row_patches(r), q0 = sr_sky_row_first(r);
		double		e1 = sr_sky_row_bottom(r) * SR_DEG2RAD;
		double		e2 = sr_sky_row_bottom(r + 1) * SR_DEG2RAD;
		double		pw = 2.0 * SR_PI / np, da = pw / SL;

		for (j = 0; j < np; j++)
			for (s = 0; s < SL; s++)
			{
				/* the slice, cut again where a horizon sector ends */
				double		s0 = (j - 0.5) * pw + s * da, s1 = s0 + da;
				double		bnd = (floor(s0 / wsec + 0.5) + 0.5) * wsec;
				double		cuts[3] = {s0, bnd < s1 ? bnd : s1, s1};
				int			part;

				for (part = 0; part < 2; part++)
				{
					double		x0 = cuts[part], x1 = cuts[part + 1];
					double		a = 0.5 * (x0 + x1), adeg = a * SR_RAD2DEG;
					int			k;
					double		h, c, lo = e1, f;

					if (!(x1 > x0))
						continue;
					k = sr_horizon_sector(adeg < 0 ? adeg + 360.0 : adeg, p->ns);
					h = elev && elev[k] > 0 ? elev[k] * SR_DEG2RAD : 0.0;
					c = cos(a - g);
					if (h > lo)
						lo = h;
					if (c < 0 && sb > 1e-12)
					{
						double		e0 = cb > 1e-12 ? atan(-sb * c / cb) : SR_PI / 2;

						if (e0 > lo)
							lo = e0;
					}
					if (!(lo < e2))
						continue;
					f = (x1 - x0) * (cb * (sr_gc(lo) - sr_gc(e2)) +
									 sb * c * (sr_gs(lo) - sr_gs(e2)));
					for (m = 0; m < 12; m++)
						diff[m] += f * p->rad[(size_t) m * SR_SKY_NPATCH + q0 + j];
				}
			}
	}
	for (i = 0; i < p->n_sun; i++)
	{
		int			k = sr_horizon_sector(p->saz[i], p->ns);
		double		h = elev && elev[k] > 0 ? elev[k] : 0.0;

		if (p->sel[i] > h)
		{
			double		ci = sr_cos_aoi(tilt, azimuth, 90.0 - p->sel[i], p->saz[i]);

			if (ci > 0)
				beam[p->smon[i]] += p->sen[i] * ci;
		}
	}
	memset(out, 0, sizeof(*out));
	for (m = 0; m < 12; m++)
	{
		double		gr = ground * p->m_ghi[m];
		double		t = diff[m] + beam[m] + gr;

		out->monthly[m] = t > 0 ? t : 0.0;
		out->annual += out->monthly[m];
		out->beam += beam[m];
		out->sky_diffuse += diff[m];
		out->ground += gr;
	}
	if (!monthly)
		memset(out->monthly, 0, sizeof(out->monthly));
}

/* ---------- hour-by-hour reference ---------- */

#define HB 60					/* 1.5-degree elevation bands */
#define FT 256					/* table of the gamma factor */
#ifndef SPS
#define SPS 2					/* azimuth slices per sector */
#endif

static int
cmp_time(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

sr_status
sr_weather_duplicate_error(double unix_s, sr_err *err)
{
	return sr_error(err, SR_EDATA, "weather has two records at the same time (%.0f s since 1970)", unix_s);
}

/* Every record's time once: a record given twice would count its hour twice
 * in every total (the cumulative sky, cadastre_sky.c, refuses the same) */
static sr_status
check_times(const sr_weather_rec *recs, int n, sr_err *err)
{
	double	   *t;

	if (n < 2)
		return SR_OK;
	t = sr_alloc(sizeof(double) * n);
	if (!t)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++)
		t[i] = recs[i].unix_s;
	qsort(t, n, sizeof(double), cmp_time);
	for (int i = 1; i < n; i++)
		if (t[i] == t[i - 1])
		{
			double		d = t[i];

			sr_free(t);
			return sr_weather_duplicate_error(d, err);
		}
	sr_free(t);
	return SR_OK;
}

/* The running state of the hour-by-hour reference: the plane's dome tables
 * (fixed for the call) and the sums so far. */
struct sr_hourly_sum
{
	double		lat, lon, elevation_m, tilt, azimuth;
	double		sb, cb, ground, da;
	int			ns, S, with_open;
	float	   *elev;			/* ns sectors, NULL: open */
	double	   *pw, *pwo, *sca, *ssa;
	double		hb[HB], sbe[HB], cbe[HB], pw_all, pwo_all;
	double		open_sum;
	sr_irradiation out;
};

void
sr_hourly_free(sr_hourly_sum *h)
{
	if (!h)
		return;
	sr_free(h->pw);
	sr_free(h->pwo);
	sr_free(h->sca);
	sr_free(h->ssa);
	sr_free(h->elev);
	sr_free(h);
}

sr_status
sr_hourly_begin(double lat, double lon, double elevation_m, double tilt, double azimuth,
				const float *elev, int ns, double albedo, int with_open,
				sr_hourly_sum **out, sr_err *err)
{
	double		b = tilt * SR_DEG2RAD, g = azimuth * SR_DEG2RAD;
	double		sb = sin(b), cb = cos(b);
	int			S = SPS * ns;	/* azimuth slices */
	double		da = 2.0 * SR_PI / S;
	double	   *pw, *pwo, *sca, *ssa, *hb, *sbe, *cbe;
	sr_hourly_sum *h;
	int			j, e;

	*out = NULL;
	if (!(tilt >= 0 && tilt <= 90))
		return sr_error(err, SR_EINVAL, "surface_tilt %g is out of range", tilt);
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "sectors must be between %d and %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS);
	h = sr_alloc0(sizeof(*h));
	if (!h)
		return sr_error(err, SR_ENOMEM, "out of memory");
	h->pw = sr_alloc(sizeof(double) * S * HB);
	h->pwo = sr_alloc(sizeof(double) * S * HB);	/* the same plane, open horizon */
	h->sca = sr_alloc(sizeof(double) * S);
	h->ssa = sr_alloc(sizeof(double) * S);
	h->elev = elev ? sr_alloc(sizeof(float) * ns) : NULL;
	if (!h->pw || !h->pwo || !h->sca || !h->ssa || (elev && !h->elev))
	{
		sr_hourly_free(h);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	if (elev)
		memcpy(h->elev, elev, sizeof(float) * ns);
	h->lat = lat;
	h->lon = lon;
	h->elevation_m = elevation_m;
	h->tilt = tilt;
	h->azimuth = azimuth;
	h->sb = sb;
	h->cb = cb;
	h->ground = albedo * (1.0 - cb) * 0.5;
	h->da = da;
	h->ns = ns;
	h->S = S;
	h->with_open = with_open;
	pw = h->pw;
	pwo = h->pwo;
	sca = h->sca;
	ssa = h->ssa;
	hb = h->hb;
	sbe = h->sbe;
	cbe = h->cbe;
	elev = h->elev;

	/* cell weights: horizontal (hb, per band) and the plane's visible part
	 * (pw, per slice and band), integrated exactly in elevation */
	for (e = 0; e < HB; e++)
	{
		double		e1 = e * (90.0 / HB) * SR_DEG2RAD, e2 = (e + 1) * (90.0 / HB) * SR_DEG2RAD;

		hb[e] = da * (sr_gc(e1) - sr_gc(e2));
		sbe[e] = sin((e + 0.5) * (90.0 / HB) * SR_DEG2RAD);
		cbe[e] = cos((e + 0.5) * (90.0 / HB) * SR_DEG2RAD);
	}
	for (j = 0; j < S; j++)
	{
		double		a = -SR_PI / ns + (j + 0.5) * da;
		int			k = j / SPS;
		double		hz = elev && elev[k] > 0 ? elev[k] * SR_DEG2RAD : 0.0;
		double		c = cos(a - g), e0 = 0.0;

		sca[j] = cos(a);
		ssa[j] = sin(a);
		if (c < 0 && sb > 1e-12)
			e0 = cb > 1e-12 ? atan(-sb * c / cb) : SR_PI / 2;
		for (e = 0; e < HB; e++)
		{
			double		e1 = e * (90.0 / HB) * SR_DEG2RAD, e2 = (e + 1) * (90.0 / HB) * SR_DEG2RAD;
			int			pass;

			for (pass = 0; pass < (with_open ? 2 : 1); pass++)
			{
				double		lo = e1, v = 0.0;

				if (pass == 0 && hz > lo)
					lo = hz;
				if (e0 > lo)
					lo = e0;
				if (lo < e2)
					v = da * (cb * (sr_gc(lo) - sr_gc(e2)) +
							  sb * c * (sr_gs(lo) - sr_gs(e2)));
				v = v > 0 ? v : 0.0;
				if (pass == 0)
				{
					pw[(size_t) j * HB + e] = v;
					h->pw_all += v;
				}
				else
				{
					pwo[(size_t) j * HB + e] = v;
					h->pwo_all += v;
				}
			}
		}
	}
	*out = h;
	return SR_OK;
}

sr_status
sr_hourly_add(sr_hourly_sum *h, const sr_weather_rec *recs, int n, long long first,
			  sr_poa_hour *hours, sr_err *err)
{
	const double *pw = h->pw, *pwo = h->pwo, *sca = h->sca, *ssa = h->ssa;
	const double *hb = h->hb, *sbe = h->sbe, *cbe = h->cbe;
	const float *elev = h->elev;
	double		pw_all = h->pw_all, pwo_all = h->pwo_all;
	double		tilt = h->tilt, azimuth = h->azimuth, ground = h->ground;
	int			ns = h->ns, S = h->S;
	sr_irradiation *out = &h->out;
	double		ftab[FT + 1];
	int			i, j, e;

	for (i = 0; i < n; i++)
	{
		sr_solpos	sp;
		sr_sky_parts pt;
		sr_perez_aw aw;
		double		mid = recs[i].unix_s - 1800.0;
		double		beam = 0.0, d = 0.0, gr, tot, beam_o = 0.0, d_o = 0.0, cos_aoi = 0.0;
		time_t		t = (time_t) floor(mid);
		struct tm	tm;
		sr_status	st;

		if (!isfinite(recs[i].ghi) || recs[i].ghi < 0 || !isfinite(recs[i].dhi) ||
			recs[i].dhi < 0 || !isfinite(recs[i].dni) || recs[i].dni < 0)
			return sr_error(err, SR_EDATA, "weather record %lld has a negative or non-finite irradiance",
							first + i + 1);
		/* the sky's bound (sr_sky_build): beyond it, another unit */
		if (sr_weather_check_max(&recs[i], first + i + 1, err) != SR_OK)
			return err->status;
		if (i % 64 == 0)
			sr_check_interrupts();
		st = sr_sun_position(mid, h->lat, h->lon, h->elevation_m,
							 sr_sky_pressure_hpa(h->elevation_m), 12.0, 69.0, &sp, err);
		if (st != SR_OK)
			return st;
		gmtime_r(&t, &tm);
		sr_sky_split(recs[i].ghi, recs[i].dhi, sp.apparent_zenith, sp.azimuth,
					 tm.tm_yday + 1, &pt);
		if (pt.sun_up && pt.dni > 0)
		{
			int			k = sr_horizon_sector(sp.azimuth, ns);
			double		hz = elev && elev[k] > 0 ? elev[k] : 0.0;

			double		ca = sr_cos_aoi(tilt, azimuth, sp.apparent_zenith, sp.azimuth);

			cos_aoi = ca > 0 ? ca : 0.0;
			if (ca > 0)
			{
				beam_o = pt.dni * ca;	/* the sun is up: above an open horizon */
				if (pt.elevation > hz)
					beam = beam_o;
			}
		}
		if (pt.dhi > 0)
		{
			int			done = 0;

			if (pt.sun_up &&
				sr_perez_aw_params(pt.dni, pt.dhi, sp.apparent_zenith,
								   sr_dni_extra(tm.tm_yday + 1), &aw))
			{
				double		sel = pt.elevation > 87.0 ? 87.0 : pt.elevation;
				double		ss = sin(sel * SR_DEG2RAD), cs = cos(sel * SR_DEG2RAD);
				double		cas = cos(pt.azimuth * SR_DEG2RAD), sas = sin(pt.azimuth * SR_DEG2RAD);
				double		zf[HB], norm = 0.0, pl = 0.0, plo = 0.0;
				double		nacc[HB], pacc[HB], paco[HB];

				/* gamma factor tabulated in u = sin(gamma / 2), smooth near
				 * the sun where it is steepest */
				for (j = 0; j <= FT; j++)
				{
					double		u = (double) j / FT, gm = 2.0 * asin(u), cg = cos(gm);

					ftab[j] = 1.0 + aw.c * exp(aw.d * gm) + aw.e * cg * cg;
				}
				for (e = 0; e < HB; e++)
				{
					double		cz = sbe[e] < SR_PEREZ_AW_MIN_COSZ ? SR_PEREZ_AW_MIN_COSZ : sbe[e];

					zf[e] = 1.0 + aw.a * exp(aw.b / cz);
				}
				/* per band sums (no loop-carried chain across cells) */
				memset(nacc, 0, sizeof(nacc));
				memset(pacc, 0, sizeof(pacc));
				memset(paco, 0, sizeof(paco));
				for (j = 0; j < S; j++)
				{
					double		cda = cs * (sca[j] * cas + ssa[j] * sas);
					const double *pwj = pw + (size_t) j * HB;
					const double *pwoj = pwo + (size_t) j * HB;
					double		lvb[HB];

					for (e = 0; e < HB; e++)
					{
						double		cgm = sbe[e] * ss + cbe[e] * cda;
						double		u2 = 0.5 * (1.0 - cgm), u, f, lv;
						int			q;

						u = sqrt(u2 > 0 ? u2 : 0.0);
						f = u * FT;
						q = (int) f;
						q = q < FT ? q : FT - 1;
						f -= q;
						lv = zf[e] * (ftab[q] + f * (ftab[q + 1] - ftab[q]));
						lvb[e] = lv > 0 ? lv : 0.0;
					}
					for (e = 0; e < HB; e++)
					{
						nacc[e] += lvb[e];
						pacc[e] += lvb[e] * pwj[e];
					}
					if (h->with_open)
						for (e = 0; e < HB; e++)
							paco[e] += lvb[e] * pwoj[e];
				}
				for (e = 0; e < HB; e++)
				{
					norm += nacc[e] * hb[e];
					pl += pacc[e];
					plo += paco[e];
				}
				if (norm > 0)
				{
					d = pt.dhi * pl / norm;
					d_o = pt.dhi * plo / norm;
					done = 1;
				}
			}
			if (!done)
			{
				d = pt.dhi / SR_PI * pw_all;	/* isotropic */
				d_o = pt.dhi / SR_PI * pwo_all;
			}
		}
		gr = ground * recs[i].ghi;
		tot = beam + d + gr;
		h->open_sum += beam_o + d_o + gr;
		out->monthly[tm.tm_mon] += tot;
		if (hours)
		{
			hours[i].beam = beam;
			hours[i].sky = d;
			hours[i].ground = gr;
			hours[i].cos_aoi = cos_aoi;
			hours[i].month = tm.tm_mon;
		}
		out->beam += beam;
		out->sky_diffuse += d;
		out->ground += gr;
	}
	return SR_OK;
}

void
sr_hourly_end(sr_hourly_sum *h, sr_irradiation *out, double *open_annual)
{
	*out = h->out;
	if (open_annual)
		*open_annual = h->open_sum;
	for (int i = 0; i < 12; i++)
	{
		if (out->monthly[i] < 0)
			out->monthly[i] = 0;
		out->annual += out->monthly[i];
	}
	sr_hourly_free(h);
}

/* The whole reference in one call: the times checked, then the stream. */
static sr_status
hourly_impl(const sr_weather_rec *recs, int n, double lat, double lon,
			double elevation_m, double tilt, double azimuth, const float *elev,
			int ns, double albedo, sr_irradiation *out, double *open_annual,
			sr_poa_hour *hours, sr_err *err)
{
	sr_hourly_sum *h;

	memset(out, 0, sizeof(*out));
	if (!(tilt >= 0 && tilt <= 90))
		return sr_error(err, SR_EINVAL, "surface_tilt %g is out of range", tilt);
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "sectors must be between %d and %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS);
	if (check_times(recs, n, err) != SR_OK)
		return err->status;
	if (sr_hourly_begin(lat, lon, elevation_m, tilt, azimuth, elev, ns, albedo,
						open_annual != NULL, &h, err) != SR_OK)
		return err->status;
	if (sr_hourly_add(h, recs, n, 0, hours, err) != SR_OK)
	{
		sr_hourly_free(h);
		return err->status;
	}
	sr_hourly_end(h, out, open_annual);
	return SR_OK;
}

sr_status
sr_plane_irradiation_hourly(const sr_weather_rec *recs, int n, double lat,
							  double lon, double elevation_m, double tilt,
							  double azimuth, const float *elev, int ns,
							  double albedo, sr_irradiation *out, sr_err *err)
{
	return hourly_impl(recs, n, lat, lon, elevation_m, tilt, azimuth, elev, ns,
					   albedo, out, NULL, NULL, err);
}

sr_status
sr_plane_irradiation_hourly_shading(const sr_weather_rec *recs, int n,
									  double lat, double lon, double elevation_m,
									  double tilt, double azimuth, const float *elev,
									  int ns, double albedo, sr_irradiation *out,
									  double *open_annual, sr_err *err)
{
	return hourly_impl(recs, n, lat, lon, elevation_m, tilt, azimuth, elev, ns,
					   albedo, out, open_annual, NULL, err);
}

sr_status
sr_plane_poa_hourly(const sr_weather_rec *recs, int n, double lat, double lon,
					double elevation_m, double tilt, double azimuth,
					const float *elev, int ns, double albedo, sr_poa_hour *hours,
					sr_irradiation *out, sr_err *err)
{
	return hourly_impl(recs, n, lat, lon, elevation_m, tilt, azimuth, elev, ns,
					   albedo, out, NULL, hours, err);
}
