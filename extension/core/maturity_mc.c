/*
 * maturity_mc.c — Monte-Carlo uncertainty analysis of composite indicator
 * ranks (OECD/JRC Handbook 2008, step 7; Saisana, Saltelli & Tarantola
 * 2005): each run draws a normalisation, an aggregation and an imputation
 * method among the allowed ones and perturbs every weight by a uniform
 * factor 1 + noise * U(-1, 1); the ranks of all runs give each territory's
 * median rank and 5th-95th percentile rank interval.
 *
 * PRNG: xoshiro256** 1.0 seeded through splitmix64 (Blackman & Vigna,
 * "Scrambled linear pseudorandom number generators", 2018): same seed, same
 * draws on every platform.
 */
#include "sr_maturity.h"
#include "sr_parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* territories per block when transposing the rank matrix */
#define MC_BLOCK 64
/* runs evaluated between two interrupt checks */
#define MC_CHUNK 32

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t	z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
sr_rng_seed(sr_rng *r, uint64_t seed)
{
	uint64_t	x = seed;

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
sr_rng_next(sr_rng *r)
{
	uint64_t   *s = r->s;
	uint64_t	result = rotl(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

double
sr_rng_uniform(sr_rng *r)
{
	return (double) (sr_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Draw one of the set bits of mask (uniformly). */
static int
draw_choice(sr_rng *r, unsigned mask, int count)
{
	int			allowed[32],
				k = 0;

	for (int i = 0; i < count; i++)
		if (mask & (1u << i))
			allowed[k++] = i;
	return allowed[(int) (sr_rng_uniform(r) * k)];
}

/* LSD radix sort of unsigned ranks (tmp has the same size). */
static void
radix_sort_u32(uint32_t *a, uint32_t *tmp, int n)
{
	for (int shift = 0; shift < 32; shift += 8)
	{
		int			cnt[257];
		uint32_t	all_or = 0;

		memset(cnt, 0, sizeof(cnt));
		for (int i = 0; i < n; i++)
		{
			cnt[((a[i] >> shift) & 0xff) + 1]++;
			all_or |= a[i];
		}
		if ((all_or >> shift) == 0)
			break;				/* remaining digits all zero */
		for (int i = 0; i < 256; i++)
			cnt[i + 1] += cnt[i];
		for (int i = 0; i < n; i++)
			tmp[cnt[(a[i] >> shift) & 0xff]++] = a[i];
		memcpy(a, tmp, sizeof(uint32_t) * n);
	}
}

/* Quantile of sorted values, type 7 (linear interpolation, numpy default). */
static double
quantile7(const uint32_t *a, int n, double p)
{
	double		h = (n - 1) * p;
	int			lo = (int) floor(h);

	if (lo >= n - 1)
		return a[n - 1];
	return a[lo] + (h - lo) * ((double) a[lo + 1] - a[lo]);
}

/* ranking buffer entry: key orders scores descending, then index */
typedef struct sc_pair
{
	uint64_t	key;
	int			i;
} sc_pair;

/*
 * Order-preserving map of a (non-NaN) double to an unsigned key, inverted
 * so that ascending keys are descending scores.  -0.0 is folded into 0.0 so
 * that equal scores get equal keys.
 */
static inline uint64_t
desc_key(double v)
{
	uint64_t	u;

	if (v == 0.0)
		v = 0.0;
	memcpy(&u, &v, sizeof(u));
	u = (u & 0x8000000000000000ULL) ? ~u : (u | 0x8000000000000000ULL);
	return ~u;
}

/* LSD radix sort of pairs by key, 16-bit digits (stable). */
static void
radix_sort_pairs(sc_pair *a, sc_pair *tmp, int n, int *cnt /* 65537 */ )
{
	for (int shift = 0; shift < 64; shift += 16)
	{
		int			skip = 1;
		unsigned	first = (unsigned) ((a[0].key >> shift) & 0xffff);

		memset(cnt, 0, sizeof(int) * 65537);
		for (int i = 0; i < n; i++)
		{
			unsigned	dg = (unsigned) ((a[i].key >> shift) & 0xffff);

			cnt[dg + 1]++;
			skip &= (dg == first);
		}
		if (skip)
			continue;			/* all the same digit: pass is a no-op */
		for (int i = 0; i < 65536; i++)
			cnt[i + 1] += cnt[i];
		for (int i = 0; i < n; i++)
			tmp[cnt[(a[i].key >> shift) & 0xffff]++] = a[i];
		memcpy(a, tmp, sizeof(sc_pair) * n);
	}
}

/* Everything precomputed once for the runs. */
typedef struct mc_ctx
{
	const sr_mat_framework *fw;
	const sr_mat_data *d;
	int			m,
				ng;
	double	   *z[SR_MAT_NORM_COUNT];	/* normalised */
	double	   *mean[SR_MAT_NORM_COUNT];	/* group means of z */
	int		   *donor;
	int		   *perm;			/* indicators ordered by axis */
	int		   *axis_start;		/* [n_axes + 1] offsets into perm */
	double	   *v;				/* dense values of the current combination */
	double	   *mask;			/* 1 where v holds a value, else 0 */
} mc_ctx;

/*
 * Build the dense matrices of one (normalisation, aggregation, imputation)
 * combination: columns in axis order, imputed, ln(z + 1) when geometric,
 * 0 with mask 0 where nothing is available (re-weighting).  The runs then
 * need no branch per cell.
 */
static void
build_dense(mc_ctx *c, sr_mat_norm norm, sr_mat_agg agg, sr_mat_missing miss)
{
	int			m = c->m;
	const double *Z = c->z[norm];

	for (int t = 0; t < c->d->n; t++)
	{
		int			g = c->d->group ? c->d->group[t] : 0;
		double	   *vr = c->v + (size_t) t * m;
		double	   *mr = c->mask + (size_t) t * m;

		for (int k = 0; k < m; k++)
		{
			int			j = c->perm[k];
			double		x = Z[(size_t) t * m + j];

			if (isnan(x))
			{
				if (miss == SR_MAT_MISS_MEAN)
					x = c->mean[norm][(size_t) g * m + j];
				else if (miss == SR_MAT_MISS_PEER && c->donor[(size_t) t * m + j] >= 0)
					x = Z[(size_t) c->donor[(size_t) t * m + j] * m + j];
			}
			if (isnan(x))
			{
				vr[k] = 0.0;
				mr[k] = 0.0;
			}
			else
			{
				vr[k] = (agg == SR_MAT_AGG_GEOMETRIC) ? log(x + 1.0) : x;
				mr[k] = 1.0;
			}
		}
	}
}

/* Score every territory for one run (weights iw in perm order). */
static void
run_scores(const mc_ctx *c, sr_mat_agg agg, const double *iw,
		   const double *aw, double *score)
{
	int			m = c->m,
				na = c->fw->n_axes;
	int			geo = (agg == SR_MAT_AGG_GEOMETRIC);

	for (int t = 0; t < c->d->n; t++)
	{
		const double *vr = c->v + (size_t) t * m;
		const double *mr = c->mask + (size_t) t * m;
		double		tot = 0.0,
					totw = 0.0;

		for (int a = 0; a < na; a++)
		{
			double		s = 0.0,
						w = 0.0;

			for (int k = c->axis_start[a]; k < c->axis_start[a + 1]; k++)
			{
				s += iw[k] * vr[k];
				w += iw[k] * mr[k];
			}
			if (w > 0.0)
			{
				tot += aw[a] * (s / w); /* mean ln(v + 1) when geometric */
				totw += aw[a];
			}
		}
		if (totw <= 0.0)
			score[t] = NAN;
		else
			score[t] = geo ? exp(tot / totw) - 1.0 : tot / totw;
	}
}

/* Ranks of one run into rk[t] (0 = unranked); buf and tmp have n entries. */
static void
run_ranks(const mc_ctx *c, const double *score, const int *gstart,
		  int *gfill, sc_pair *buf, sc_pair *tmp, int *cnt, uint32_t *rk)
{
	int			n = c->d->n;

	memcpy(gfill, gstart, sizeof(int) * c->ng);
	for (int t = 0; t < n; t++)
	{
		int			g = c->d->group ? c->d->group[t] : 0;

		if (isnan(score[t]))
		{
			rk[t] = 0;
			continue;
		}
		buf[gfill[g]].key = desc_key(score[t]);
		buf[gfill[g]].i = t;
		gfill[g]++;
	}
	for (int g = 0; g < c->ng; g++)
	{
		sc_pair    *b = buf + gstart[g];
		int			k = gfill[g] - gstart[g];

		if (k == 0)
			continue;
		radix_sort_pairs(b, tmp, k, cnt);
		/* competition ranks: ties (SR_MAT_RANK_TIE) share the best rank, as
		 * sr_mat_rank's: the first p are better than b[a] by more than it */
		for (int a = 0, p = 0; a < k; a++)
		{
			while (p < a && score[b[p].i] > score[b[a].i] + SR_MAT_RANK_TIE)
				p++;
			rk[b[a].i] = (uint32_t) (p + 1);
		}
	}
}

/* Per-thread buffers and the share of a batch of runs it evaluates. */
typedef struct mc_worker
{
	const mc_ctx *c;
	sr_mat_agg	agg;
	const int  *list;			/* run numbers of the batch */
	int			first,
				step,
				count;			/* runs list[first], list[first + step], ... */
	const double *iw,
			   *aw;
	uint32_t   *ranks;
	const int  *gstart;
	int		   *gfill;
	double	   *score;
	sc_pair    *buf,
			   *sbuf;
	int		   *cnt;
} mc_worker;

/* Evaluate the worker's runs: pure computation on preallocated buffers (no
 * allocation, no interrupt check: it may run on a helper thread). */
static void
mc_worker_main(void *arg, int t, int nt)
{
	mc_worker  *w = &((mc_worker *) arg)[t];
	int			m = w->c->m,
				na = w->c->fw->n_axes,
				n = w->c->d->n;

	for (int i = w->first; i < w->count; i += w->step)
	{
		int			r = w->list[i];

		run_scores(w->c, w->agg, w->iw + (size_t) r * m, w->aw + (size_t) r * na, w->score);
		/* run-major rows: contiguous writes (transposed in blocks below) */
		run_ranks(w->c, w->score, w->gstart, w->gfill, w->buf, w->sbuf, w->cnt, w->ranks + (size_t) r * n);
	}
}

/*
 * Evaluate a batch of runs of one method combination on nthreads threads
 * (the caller's thread included, sr_parallel.h): thread t takes runs t,
 * t + nthreads, ...
 */
static void
run_batch(const mc_ctx *c, sr_mat_agg agg, const int *list, int count,
		  const double *iw, const double *aw, uint32_t *ranks, mc_worker *W,
		  int nthreads)
{
	for (int t = 0; t < nthreads; t++)
	{
		W[t].c = c;
		W[t].agg = agg;
		W[t].list = list;
		W[t].first = t;
		W[t].step = nthreads;
		W[t].count = count;
		W[t].iw = iw;
		W[t].aw = aw;
		W[t].ranks = ranks;
	}
	sr_parallel_run(count > 1 ? nthreads : 1, mc_worker_main, W);
	/* a single run: thread 0 took it, the others had none */
}

sr_status
sr_mat_mc_check(const sr_mat_mc_options *mc, sr_err *err)
{
	if (mc->runs < 1 || mc->runs > 100000)
		return sr_error(err, SR_ERANGE, "number of Monte-Carlo runs must be between 1 and 100000, got %d", mc->runs);
	if (!(mc->weight_noise >= 0.0 && mc->weight_noise < 1.0))
		return sr_error(err, SR_ERANGE, "weight noise must be in [0, 1), got %g", mc->weight_noise);
	if ((mc->norm_mask & ((1u << SR_MAT_NORM_COUNT) - 1)) == 0 ||
		(mc->agg_mask & ((1u << SR_MAT_AGG_COUNT) - 1)) == 0 ||
		(mc->missing_mask & ((1u << SR_MAT_MISS_COUNT) - 1)) == 0)
		return sr_error(err, SR_EINVAL, "each Monte-Carlo choice needs at least one allowed method");
	return SR_OK;
}

/*
 * The bytes sr_mat_uncertainty allocates (smartregion.max_call_memory,
 * docs/query-arguments.md), summed from its allocations below: per run
 * its ranks (4 bytes a territory: 1 GB at 250 million territory-runs),
 * weights (8 an indicator and an axis), block, list and method combination;
 * per territory and indicator its values and mask, one normalised copy per
 * normalisation drawn, a peer donor; per thread a score, two sort buffers
 * and the radix counts.  The nominal scores and the glue's input are not
 * counted (O(n m), read by every scoring function).
 */
double
sr_mat_mc_bytes(int n, int m, int na, int n_groups, const sr_mat_mc_options *mc)
{
	double		runs = mc->runs,
				nm = (double) n * m;
	int			ng = n_groups < 1 ? 1 : n_groups,
				nnorm = 0,
				nthreads = sr_parallel_threads(mc->threads, mc->runs);
	double		b;

	for (int k = 0; k < SR_MAT_NORM_COUNT; k++)
		nnorm += (mc->norm_mask >> k) & 1u;
	/* ranks, blk, list, combo, iw, aw */
	b = runs * (sizeof(uint32_t) * (double) n + sizeof(uint32_t) * MC_BLOCK + 2 * sizeof(int) +
				sizeof(double) * ((double) m + na));
	/* tmp */
	b += sizeof(uint32_t) * (double) (mc->runs > n ? mc->runs : n);
	/* c.v, c.mask; per normalisation c.z and c.mean; c.donor */
	b += nm * 2 * sizeof(double) + nnorm * sizeof(double) * (nm + (double) ng * m);
	if (mc->missing_mask & (1u << SR_MAT_MISS_PEER))
		b += nm * sizeof(int);
	/* per thread: its mc_worker, score, buf, sbuf, cnt, gfill */
	b += nthreads * (sizeof(mc_worker) + sizeof(double) * (double) n +
					 2 * sizeof(sc_pair) * (double) n + sizeof(int) * 65537.0 +
					 sizeof(int) * (ng + 1.0));
	/* inv, perm, axis_start, gstart */
	b += sizeof(int) * (2.0 * m + na + 1 + ng + 1);
	return b;
}

double
sr_mat_data_bytes(int n, int m, int nparts, double text_bytes)
{
	double		cap = 16;

	while (cap < 2.0 * n + 1)
		cap *= 2;
	return 20.0 * ((double) n * m + 1) + 4.0 * cap + 77.0 * n + 16.0 * nparts + text_bytes;
}

sr_status
sr_mat_uncertainty(const sr_mat_framework *fw, const sr_mat_data *d,
				   const sr_mat_mc_options *mc, double *nominal_score,
				   int *nominal_rank, double *median_rank,
				   double *p05_rank, double *p95_rank, sr_err *err)
{
	mc_ctx		c;
	sr_status	st;
	int			n = d->n,
				m = fw->n_ind,
				na = fw->n_axes;
	int			runs = mc->runs;
	uint32_t   *ranks = NULL,
			   *blk = NULL,
			   *tmp = NULL;
	double	   *iw = NULL,
			   *aw = NULL;
	int		   *gstart = NULL;
	int		   *combo = NULL,
			   *inv = NULL,
			   *list = NULL;
	mc_worker  *W = NULL;
	int			nthreads = 1,
				wfail = 0;
	sr_rng		rng;
	sr_mat_options nominal = mc->nominal;
	unsigned	need_norm;

	memset(&c, 0, sizeof(c));
	st = sr_mat_validate(fw, err);
	if (st != SR_OK)
		return st;
	st = sr_mat_mc_check(mc, err);
	if (st != SR_OK)
		return st;
	if (na > 64)
		return sr_error(err, SR_EINVAL, "at most 64 axes are supported in Monte Carlo, got %d", na);
	if ((double) n * runs > SR_MAT_MC_MAX_TERRITORY_RUNS)
	{
		sr_error(err, SR_ERANGE, "%d territories times %d runs is too large", n, runs);
		sr_error_hint(err, "Reduce the number of runs so that territories times runs stays under 250 million.");
		return err ? err->status : SR_ERANGE;
	}

	/* nominal result through the reference path */
	st = sr_mat_score(fw, d, &nominal, nominal_score, NULL, NULL, NULL, err);
	if (st != SR_OK)
		return st;
	st = sr_mat_rank(nominal_score, d->group, n, d->n_groups, nominal_rank, err);
	if (st != SR_OK)
		return st;
	if (n == 0)
		return SR_OK;

	c.fw = fw;
	c.d = d;
	c.m = m;
	c.ng = d->n_groups < 1 ? 1 : d->n_groups;
	need_norm = mc->norm_mask & ((1u << SR_MAT_NORM_COUNT) - 1);

	for (int k = 0; k < SR_MAT_NORM_COUNT && st == SR_OK; k++)
	{
		if (!(need_norm & (1u << k)))
			continue;
		c.z[k] = sr_alloc(sizeof(double) * (size_t) n * m);
		c.mean[k] = sr_alloc(sizeof(double) * (size_t) c.ng * m);
		if (!c.z[k] || !c.mean[k])
		{
			st = sr_error(err, SR_ENOMEM, "out of memory");
			break;
		}
		st = sr_mat_normalise(fw, d, (sr_mat_norm) k, c.z[k], err);
		if (st != SR_OK)
			break;
		/* group means of the normalised values (mean imputation) */
		{
			int		   *cnt = sr_alloc0(sizeof(int) * (size_t) c.ng * m);

			if (!cnt)
			{
				st = sr_error(err, SR_ENOMEM, "out of memory");
				break;
			}
			memset(c.mean[k], 0, sizeof(double) * (size_t) c.ng * m);
			for (int t = 0; t < n; t++)
			{
				size_t		go = (size_t) (d->group ? d->group[t] : 0) * m;

				for (int j = 0; j < m; j++)
					if (!isnan(c.z[k][(size_t) t * m + j]))
					{
						c.mean[k][go + j] += c.z[k][(size_t) t * m + j];
						cnt[go + j]++;
					}
			}
			for (size_t q = 0; q < (size_t) c.ng * m; q++)
				c.mean[k][q] = cnt[q] ? c.mean[k][q] / cnt[q] : NAN;
			sr_free(cnt);
		}
	}
	if (st == SR_OK && (mc->missing_mask & (1u << SR_MAT_MISS_PEER)))
	{
		double	   *ref = sr_alloc(sizeof(double) * (size_t) n * m);

		c.donor = sr_alloc(sizeof(int) * (size_t) n * m);
		if (!ref || !c.donor)
			st = sr_error(err, SR_ENOMEM, "out of memory");
		if (st == SR_OK)
			st = sr_mat_normalise(fw, d, SR_MAT_NORM_MINMAX, ref, err);
		if (st == SR_OK)
			st = sr_mat_peer_donors(fw, d, ref, c.donor, err);
		sr_free(ref);
	}
	if (st != SR_OK)
		goto done;

	ranks = sr_alloc(sizeof(uint32_t) * (size_t) n * runs);
	blk = sr_alloc(sizeof(uint32_t) * (size_t) MC_BLOCK * runs);
	tmp = sr_alloc(sizeof(uint32_t) * (runs > n ? runs : n));
	nthreads = sr_parallel_threads(mc->threads, runs);
	list = sr_alloc(sizeof(int) * runs);
	W = sr_alloc0(sizeof(mc_worker) * nthreads);
	if (W)
		for (int t = 0; t < nthreads; t++)
		{
			W[t].gstart = NULL;
			W[t].score = sr_alloc(sizeof(double) * n);
			W[t].buf = sr_alloc(sizeof(sc_pair) * n);
			W[t].sbuf = sr_alloc(sizeof(sc_pair) * n);
			W[t].cnt = sr_alloc(sizeof(int) * 65537);
			W[t].gfill = sr_alloc0(sizeof(int) * (c.ng + 1));
			if (!W[t].score || !W[t].buf || !W[t].sbuf || !W[t].cnt || !W[t].gfill)
				wfail = 1;
		}
	iw = sr_alloc(sizeof(double) * (size_t) m * runs);
	aw = sr_alloc(sizeof(double) * (size_t) na * runs);
	combo = sr_alloc(sizeof(int) * runs);
	inv = sr_alloc(sizeof(int) * m);
	c.perm = sr_alloc(sizeof(int) * m);
	c.axis_start = sr_alloc(sizeof(int) * (na + 1));
	c.v = sr_alloc(sizeof(double) * (size_t) n * m);
	c.mask = sr_alloc(sizeof(double) * (size_t) n * m);
	gstart = sr_alloc0(sizeof(int) * (c.ng + 1));
	if (!ranks || !blk || !tmp || !W || wfail || !list || !iw || !aw || !gstart ||
		!combo || !inv || !c.perm || !c.axis_start || !c.v || !c.mask)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int t = 0; t < n; t++)
		gstart[(d->group ? d->group[t] : 0) + 1]++;
	for (int g = 0; g < c.ng; g++)
		gstart[g + 1] += gstart[g];
	for (int t = 0; t < nthreads; t++)
		W[t].gstart = gstart;

	/* indicators in axis order */
	{
		int			k = 0;

		for (int ax = 0; ax < na; ax++)
		{
			c.axis_start[ax] = k;
			for (int j = 0; j < m; j++)
				if (fw->ind_axis[j] == ax)
					c.perm[k++] = j;
		}
		c.axis_start[na] = k;
		for (k = 0; k < m; k++)
			inv[c.perm[k]] = k;
	}

	/*
	 * Draw every run first, in a fixed order (the reproducibility contract:
	 * per run, normalisation, aggregation, imputation, then n_axes axis
	 * weight factors, then n_ind indicator weight factors), then evaluate
	 * the runs grouped by method combination.
	 */
	sr_rng_seed(&rng, mc->seed);
	for (int r = 0; r < runs; r++)
	{
		double		asum = 0.0,
					isum[64];
		double	   *awr = aw + (size_t) r * na,
				   *iwr = iw + (size_t) r * m;
		int			nm,
					ag,
					mi;

		nm = draw_choice(&rng, mc->norm_mask, SR_MAT_NORM_COUNT);
		ag = draw_choice(&rng, mc->agg_mask, SR_MAT_AGG_COUNT);
		mi = draw_choice(&rng, mc->missing_mask, SR_MAT_MISS_COUNT);
		combo[r] = (nm * SR_MAT_AGG_COUNT + ag) * SR_MAT_MISS_COUNT + mi;
		for (int a = 0; a < na; a++)
		{
			awr[a] = fw->axis_weight[a] * (1.0 + mc->weight_noise * (2.0 * sr_rng_uniform(&rng) - 1.0));
			asum += awr[a];
		}
		for (int a = 0; a < na; a++)
			awr[a] /= asum;
		memset(isum, 0, sizeof(isum));
		for (int j = 0; j < m; j++)
		{
			/* stored in perm order, drawn in indicator order */
			double		wj = fw->ind_weight[j] * (1.0 + mc->weight_noise * (2.0 * sr_rng_uniform(&rng) - 1.0));

			iwr[inv[j]] = wj;
			isum[fw->ind_axis[j]] += wj;
		}
		for (int j = 0; j < m; j++)
			iwr[inv[j]] /= isum[fw->ind_axis[j]];
	}
	for (int cb = 0; cb < SR_MAT_NORM_COUNT * SR_MAT_AGG_COUNT * SR_MAT_MISS_COUNT; cb++)
	{
		sr_mat_norm norm = (sr_mat_norm) (cb / (SR_MAT_AGG_COUNT * SR_MAT_MISS_COUNT));
		sr_mat_agg	agg = (sr_mat_agg) ((cb / SR_MAT_MISS_COUNT) % SR_MAT_AGG_COUNT);
		sr_mat_missing miss = (sr_mat_missing) (cb % SR_MAT_MISS_COUNT);
		int			k = 0;

		for (int r = 0; r < runs; r++)
			if (combo[r] == cb)
				list[k++] = r;
		if (k == 0)
			continue;
		sr_check_interrupts();
		build_dense(&c, norm, agg, miss);
		/* chunks of MC_CHUNK runs: between chunks, with no worker thread
		 * alive, an interrupt check may longjmp safely */
		for (int c0 = 0; c0 < k; c0 += MC_CHUNK)
		{
			run_batch(&c, agg, list + c0, (k - c0 < MC_CHUNK) ? k - c0 : MC_CHUNK,
					  iw, aw, ranks, W, nthreads);
			sr_check_interrupts();
		}
	}

	/*
	 * Per territory quantiles of its ranked runs: gather a block of
	 * territories' columns at a time (cache-friendly transpose).
	 */
	for (int t0 = 0; t0 < n; t0 += MC_BLOCK)
	{
		int			nb = (n - t0 < MC_BLOCK) ? n - t0 : MC_BLOCK;

		sr_check_interrupts();
		for (int r = 0; r < runs; r++)
		{
			const uint32_t *row = ranks + (size_t) r * n + t0;

			for (int b = 0; b < nb; b++)
				blk[(size_t) b * runs + r] = row[b];
		}
		for (int b = 0; b < nb; b++)
		{
			uint32_t   *a = blk + (size_t) b * runs;
			int			t = t0 + b,
						k = 0;

			radix_sort_u32(a, tmp, runs);
			while (k < runs && a[k] == 0)
				k++;			/* unranked runs sort first */
			if (k == runs)
			{
				median_rank[t] = p05_rank[t] = p95_rank[t] = NAN;
				continue;
			}
			median_rank[t] = quantile7(a + k, runs - k, 0.5);
			p05_rank[t] = quantile7(a + k, runs - k, 0.05);
			p95_rank[t] = quantile7(a + k, runs - k, 0.95);
		}
	}

done:
	for (int k = 0; k < SR_MAT_NORM_COUNT; k++)
	{
		sr_free(c.z[k]);
		sr_free(c.mean[k]);
	}
	sr_free(c.donor);
	sr_free(c.perm);
	sr_free(c.axis_start);
	sr_free(c.v);
	sr_free(c.mask);
	sr_free(combo);
	sr_free(inv);
	sr_free(ranks);
	sr_free(blk);
	sr_free(tmp);
	sr_free(iw);
	sr_free(aw);
	sr_free(gstart);
	sr_free(list);
	if (W)
		for (int t = 0; t < nthreads; t++)
		{
			sr_free(W[t].score);
			sr_free(W[t].buf);
			sr_free(W[t].sbuf);
			sr_free(W[t].cnt);
			sr_free(W[t].gfill);
		}
	sr_free(W);
	return st;
}
