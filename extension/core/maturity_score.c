/*
 * maturity_score.c — composite indicator: normalisation, imputation,
 * weighted aggregation, levels and ranks (OECD/JRC Handbook, 2008, steps
 * 4-6).  See sr_maturity.h for the conventions.
 */
#include "sr_maturity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GROUP_OF(d, t) ((d)->group ? (d)->group[t] : 0)

sr_status
sr_mat_validate(const sr_mat_framework *fw, sr_err *err)
{
	double		asum = 0.0;
	double	   *isum;
	int			a,
				j;

	if (fw == NULL || fw->n_axes < 1 || fw->n_ind < 1)
		return sr_error(err, SR_EINVAL, "framework has no axis or no indicator");
	for (a = 0; a < fw->n_axes; a++)
	{
		if (!isfinite(fw->axis_weight[a]) || fw->axis_weight[a] <= 0.0)
			return sr_error(err, SR_EINVAL,
							"weight of axis %d must be positive, got %g",
							a + 1, fw->axis_weight[a]);
		asum += fw->axis_weight[a];
	}
	if (fabs(asum - 1.0) > SR_MAT_WEIGHT_TOL)
	{
		sr_error(err, SR_EINVAL, "axis weights sum to %.9g, not 1", asum);
		sr_error_detail(err, "The weights of the axes of a framework must sum to 1 (tolerance 1e-6).");
		return err ? err->status : SR_EINVAL;
	}
	isum = sr_alloc0(sizeof(double) * fw->n_axes);
	if (isum == NULL)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (j = 0; j < fw->n_ind; j++)
	{
		int			ax = fw->ind_axis[j];

		if (ax < 0 || ax >= fw->n_axes)
		{
			sr_free(isum);
			return sr_error(err, SR_EINVAL, "indicator %d refers to axis %d out of range",
							j + 1, ax + 1);
		}
		if (!isfinite(fw->ind_weight[j]) || fw->ind_weight[j] <= 0.0)
		{
			sr_free(isum);
			return sr_error(err, SR_EINVAL,
							"weight of indicator %d must be positive, got %g",
							j + 1, fw->ind_weight[j]);
		}
		if (!isfinite(fw->goal_lo[j]) || !isfinite(fw->goal_hi[j]) ||
			!(fw->goal_lo[j] < fw->goal_hi[j]))
		{
			sr_free(isum);
			sr_error(err, SR_EINVAL,
					 "goalposts of indicator %d must satisfy min < max, got min %g and max %g",
					 j + 1, fw->goal_lo[j], fw->goal_hi[j]);
			return err ? err->status : SR_EINVAL;
		}
		if (fw->direction[j] != 1 && fw->direction[j] != -1)
		{
			sr_free(isum);
			return sr_error(err, SR_EINVAL,
							"direction of indicator %d must be 1 or -1, got %d",
							j + 1, fw->direction[j]);
		}
		isum[ax] += fw->ind_weight[j];
	}
	for (a = 0; a < fw->n_axes; a++)
	{
		if (isum[a] == 0.0)
		{
			sr_free(isum);
			return sr_error(err, SR_EINVAL, "axis %d has no indicator", a + 1);
		}
		if (fabs(isum[a] - 1.0) > SR_MAT_WEIGHT_TOL)
		{
			double		s = isum[a];

			sr_free(isum);
			sr_error(err, SR_EINVAL, "indicator weights of axis %d sum to %.9g, not 1", a + 1, s);
			sr_error_detail(err, "The weights of the indicators of each axis must sum to 1 (tolerance 1e-6).");
			return err ? err->status : SR_EINVAL;
		}
	}
	sr_free(isum);
	return SR_OK;
}

double
sr_mat_goalpost(double x, double lo, double hi, int direction)
{
	double		v;

	if (isnan(x))
		return NAN;
	v = (direction >= 0) ? (x - lo) / (hi - lo) : (hi - x) / (hi - lo);
	v *= 100.0;
	return v < 0.0 ? 0.0 : (v > 100.0 ? 100.0 : v);
}

const char *
sr_mat_population_class(int64_t population, int known)
{
	static const int64_t upper[] = {2000, 10000, 50000, 200000, 1000000};
	static const char *const label[] = {"0-1999", "2000-9999", "10000-49999", "50000-199999",
	"200000-999999", "1000000+"};
	int			c = 0;

	if (!known)
		return "unknown";
	while (c < 5 && population >= upper[c])
		c++;
	return label[c];
}

static double
clamp100(double v)
{
	return v < 0.0 ? 0.0 : (v > 100.0 ? 100.0 : v);
}

/* (value, index) pair for rank normalisation */
typedef struct vi_pair
{
	double		v;
	int			i;
} vi_pair;

static int
cmp_vi(const void *a, const void *b)
{
	const vi_pair *x = a,
			   *y = b;

	if (x->v < y->v)
		return -1;
	if (x->v > y->v)
		return 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* Per group, per indicator statistics of the observed raw values. */
typedef struct col_stats
{
	double		min,
				max,
				sum,
				sumsq;
	int			count;
} col_stats;

sr_status
sr_mat_normalise(const sr_mat_framework *fw, const sr_mat_data *d,
				 sr_mat_norm norm, double *z, sr_err *err)
{
	int			m = fw->n_ind;
	int			n = d->n;
	int			ng = d->n_groups < 1 ? 1 : d->n_groups;
	int			t,
				j;

	if (n < 0)
		return sr_error(err, SR_EINVAL, "number of territories must be >= 0");
	if (norm == SR_MAT_NORM_GOALPOSTS)
	{
		for (t = 0; t < n; t++)
		{
			const double *xr = d->x + (size_t) t * m;
			double	   *zr = z + (size_t) t * m;

			for (j = 0; j < m; j++)
				zr[j] = sr_mat_goalpost(xr[j], fw->goal_lo[j], fw->goal_hi[j],
										fw->direction[j]);
		}
		return SR_OK;
	}
	if (norm == SR_MAT_NORM_MINMAX || norm == SR_MAT_NORM_ZSCORE)
	{
		col_stats  *st = sr_alloc0(sizeof(col_stats) * (size_t) ng * m);

		if (st == NULL)
			return sr_error(err, SR_ENOMEM, "out of memory");
		for (t = 0; t < n; t++)
		{
			const double *xr = d->x + (size_t) t * m;
			col_stats  *sr = st + (size_t) GROUP_OF(d, t) * m;

			for (j = 0; j < m; j++)
			{
				double		v = xr[j];

				if (isnan(v))
					continue;
				if (sr[j].count == 0 || v < sr[j].min)
					sr[j].min = v;
				if (sr[j].count == 0 || v > sr[j].max)
					sr[j].max = v;
				sr[j].sum += v;
				sr[j].count++;
			}
		}
		/* second pass for the variance (two-pass: numerically safe) */
		if (norm == SR_MAT_NORM_ZSCORE)
			for (t = 0; t < n; t++)
			{
				const double *xr = d->x + (size_t) t * m;
				col_stats  *sr = st + (size_t) GROUP_OF(d, t) * m;

				for (j = 0; j < m; j++)
					if (!isnan(xr[j]))
					{
						double		dv = xr[j] - sr[j].sum / sr[j].count;

						sr[j].sumsq += dv * dv;
					}
			}
		for (t = 0; t < n; t++)
		{
			const double *xr = d->x + (size_t) t * m;
			double	   *zr = z + (size_t) t * m;
			col_stats  *sr = st + (size_t) GROUP_OF(d, t) * m;

			for (j = 0; j < m; j++)
			{
				double		v = xr[j],
							r;

				if (isnan(v))
				{
					zr[j] = NAN;
					continue;
				}
				if (norm == SR_MAT_NORM_MINMAX)
				{
					/* all equal: no information, neutral 50 */
					if (sr[j].max == sr[j].min)
						r = 50.0;
					else
						r = 100.0 * (v - sr[j].min) / (sr[j].max - sr[j].min);
					if (fw->direction[j] < 0)
						r = 100.0 - r;
				}
				else
				{
					/* population standard deviation; sd = 0 maps to 50 */
					double		sd = sqrt(sr[j].sumsq / sr[j].count);
					double		zz = sd > 0.0 ? (v - sr[j].sum / sr[j].count) / sd : 0.0;

					if (fw->direction[j] < 0)
						zz = -zz;
					r = 50.0 + 50.0 * zz / 3.0;
				}
				zr[j] = clamp100(r);
			}
		}
		sr_free(st);
		return SR_OK;
	}
	if (norm == SR_MAT_NORM_RANK)
	{
		vi_pair    *buf = sr_alloc(sizeof(vi_pair) * (size_t) (n > 0 ? n : 1));
		int		   *cnt = sr_alloc0(sizeof(int) * ng);
		int		   *start = sr_alloc0(sizeof(int) * (ng + 1));
		int		   *order = sr_alloc(sizeof(int) * (size_t) (n > 0 ? n : 1));
		int			g;

		if (!buf || !cnt || !start || !order)
		{
			sr_free(buf);
			sr_free(cnt);
			sr_free(start);
			sr_free(order);
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
		/* bucket territories by group */
		for (t = 0; t < n; t++)
			cnt[GROUP_OF(d, t)]++;
		for (g = 0; g < ng; g++)
			start[g + 1] = start[g] + cnt[g];
		memset(cnt, 0, sizeof(int) * ng);
		for (t = 0; t < n; t++)
		{
			g = GROUP_OF(d, t);
			order[start[g] + cnt[g]++] = t;
		}
		for (j = 0; j < m; j++)
		{
			sr_check_interrupts();
			for (g = 0; g < ng; g++)
			{
				int			k = 0,
							a,
							b;

				for (a = start[g]; a < start[g + 1]; a++)
				{
					t = order[a];
					if (!isnan(d->x[(size_t) t * m + j]))
					{
						buf[k].v = d->x[(size_t) t * m + j];
						buf[k].i = t;
						k++;
					}
					else
						z[(size_t) t * m + j] = NAN;
				}
				qsort(buf, k, sizeof(vi_pair), cmp_vi);
				/* ties get the average of their 1-based ranks */
				for (a = 0; a < k; a = b)
				{
					double		r,
								p;

					for (b = a + 1; b < k && buf[b].v == buf[a].v; b++)
						;
					r = (a + 1 + b) / 2.0;	/* mean of ranks a+1..b */
					p = (k > 1) ? 100.0 * (r - 1.0) / (k - 1) : 50.0;
					if (fw->direction[j] < 0)
						p = 100.0 - p;
					for (int c = a; c < b; c++)
						z[(size_t) buf[c].i * m + j] = p;
				}
			}
		}
		sr_free(buf);
		sr_free(cnt);
		sr_free(start);
		sr_free(order);
		return SR_OK;
	}
	return sr_error(err, SR_EINVAL, "normalisation method %d is not supported", (int) norm);
}

/* donor candidate ordered by log population */
typedef struct pop_pair
{
	double		lp;
	int			i;
} pop_pair;

static int
cmp_pop(const void *a, const void *b)
{
	const pop_pair *x = a,
			   *y = b;

	if (x->lp < y->lp)
		return -1;
	if (x->lp > y->lp)
		return 1;
	return (x->i > y->i) - (x->i < y->i);
}

static double
log_pop(const sr_mat_data *d, int t)
{
	if (d->population == NULL)
		return (double) t;
	return log1p(d->population[t] > 0 ? d->population[t] : 0.0);
}

/* Mean squared difference over indicators observed by both rows, except j. */
static double
peer_distance(const double *a, const double *b, int m, int skip)
{
	double		s = 0.0;
	int			c = 0;

	for (int k = 0; k < m; k++)
	{
		if (k == skip || isnan(a[k]) || isnan(b[k]))
			continue;
		s += (a[k] - b[k]) * (a[k] - b[k]);
		c++;
	}
	return c ? s / c : INFINITY;
}

sr_status
sr_mat_peer_donors(const sr_mat_framework *fw, const sr_mat_data *d,
				   const double *zref, int *donor, sr_err *err)
{
	int			m = fw->n_ind;
	int			n = d->n;
	int			ng = d->n_groups < 1 ? 1 : d->n_groups;
	pop_pair   *lst;
	int			t,
				j,
				g;

	for (size_t c = 0; c < (size_t) n * m; c++)
		donor[c] = -1;
	if (n == 0)
		return SR_OK;
	lst = sr_alloc(sizeof(pop_pair) * (size_t) n);
	if (lst == NULL)
		return sr_error(err, SR_ENOMEM, "out of memory");
	/*
	 * For each group and indicator: the observed territories sorted by log
	 * population.  A territory missing the indicator looks at the K
	 * candidates closest in log population and takes the one nearest in
	 * normalised values over the indicators both observe (hot-deck
	 * imputation, Handbook section 4.1); ties keep the closer population.
	 */
	for (g = 0; g < ng; g++)
		for (j = 0; j < m; j++)
		{
			int			k = 0;

			sr_check_interrupts();
			for (t = 0; t < n; t++)
				if (GROUP_OF(d, t) == g && !isnan(d->x[(size_t) t * m + j]))
				{
					lst[k].lp = log_pop(d, t);
					lst[k].i = t;
					k++;
				}
			if (k == 0)
				continue;
			qsort(lst, k, sizeof(pop_pair), cmp_pop);
			for (t = 0; t < n; t++)
			{
				double		lp,
							best_d = INFINITY;
				int			lo,
							hi,
							mid,
							left,
							right,
							taken,
							best = -1;

				if (GROUP_OF(d, t) != g || !isnan(d->x[(size_t) t * m + j]))
					continue;
				lp = log_pop(d, t);
				/* first candidate with lp >= ours */
				lo = 0;
				hi = k;
				while (lo < hi)
				{
					mid = (lo + hi) / 2;
					if (lst[mid].lp < lp)
						lo = mid + 1;
					else
						hi = mid;
				}
				left = lo - 1;
				right = lo;
				for (taken = 0; taken < SR_MAT_PEER_K && (left >= 0 || right < k); taken++)
				{
					int			c;
					double		dist;

					if (right >= k || (left >= 0 && lp - lst[left].lp <= lst[right].lp - lp))
						c = lst[left--].i;
					else
						c = lst[right++].i;
					dist = peer_distance(zref + (size_t) t * m, zref + (size_t) c * m, m, j);
					if (best < 0 || dist < best_d)
					{
						best = c;
						best_d = dist;
					}
				}
				donor[(size_t) t * m + j] = best;
			}
		}
	sr_free(lst);
	return SR_OK;
}

/* Group means of the normalised values: mean[g * m + j], NaN if none. */
static sr_status
group_means(const sr_mat_framework *fw, const sr_mat_data *d, const double *z,
			double *mean, sr_err *err)
{
	int			m = fw->n_ind;
	int			ng = d->n_groups < 1 ? 1 : d->n_groups;
	int		   *cnt = sr_alloc0(sizeof(int) * (size_t) ng * m);

	if (cnt == NULL)
		return sr_error(err, SR_ENOMEM, "out of memory");
	memset(mean, 0, sizeof(double) * (size_t) ng * m);
	for (int t = 0; t < d->n; t++)
	{
		size_t		go = (size_t) GROUP_OF(d, t) * m;

		for (int j = 0; j < m; j++)
		{
			double		v = z[(size_t) t * m + j];

			if (!isnan(v))
			{
				mean[go + j] += v;
				cnt[go + j]++;
			}
		}
	}
	for (size_t c = 0; c < (size_t) ng * m; c++)
		mean[c] = cnt[c] ? mean[c] / cnt[c] : NAN;
	sr_free(cnt);
	return SR_OK;
}

sr_status
sr_mat_impute(const sr_mat_framework *fw, const sr_mat_data *d,
			  sr_mat_missing missing, double *z, sr_err *err)
{
	int			m = fw->n_ind;
	int			ng = d->n_groups < 1 ? 1 : d->n_groups;
	sr_status	st;

	if (missing == SR_MAT_MISS_REWEIGHT)
		return SR_OK;
	if (missing == SR_MAT_MISS_MEAN)
	{
		double	   *mean = sr_alloc(sizeof(double) * (size_t) ng * m);

		if (mean == NULL)
			return sr_error(err, SR_ENOMEM, "out of memory");
		st = group_means(fw, d, z, mean, err);
		if (st == SR_OK)
			for (int t = 0; t < d->n; t++)
				for (int j = 0; j < m; j++)
					if (isnan(z[(size_t) t * m + j]))
						z[(size_t) t * m + j] = mean[(size_t) GROUP_OF(d, t) * m + j];
		sr_free(mean);
		return st;
	}
	if (missing == SR_MAT_MISS_PEER)
	{
		int		   *donor = sr_alloc(sizeof(int) * ((size_t) d->n * m + 1));
		double	   *ref;

		if (donor == NULL)
			return sr_error(err, SR_ENOMEM, "out of memory");

		/*
		 * Donors are chosen on min-max normalised values whatever the
		 * normalisation (scale-free distance, same donors in every MC run).
		 */
		ref = sr_alloc(sizeof(double) * ((size_t) d->n * m + 1));

		if (ref == NULL)
		{
			sr_free(donor);
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
		st = sr_mat_normalise(fw, d, SR_MAT_NORM_MINMAX, ref, err);
		if (st == SR_OK)
			st = sr_mat_peer_donors(fw, d, ref, donor, err);
		sr_free(ref);
		if (st == SR_OK)
			for (size_t c = 0; c < (size_t) d->n * m; c++)
				if (donor[c] >= 0)
					z[c] = z[(size_t) donor[c] * m + (c % m)];
		sr_free(donor);
		return st;
	}
	return sr_error(err, SR_EINVAL, "missing-data method %d is not supported", (int) missing);
}

double
sr_mat_aggregate_row(const sr_mat_framework *fw, const double *zrow,
					 const double *ind_w, const double *axis_w,
					 sr_mat_agg agg, double *axis_scores)
{
	/* per-axis accumulators on the stack for the usual sizes */
	double		acc_s[64],
				acc_w[64];
	double	   *s = acc_s,
			   *w = acc_w;
	double		tot = 0.0,
				totw = 0.0,
				res;
	int			na = fw->n_axes;

	if (na > 64)
	{
		s = sr_alloc0(sizeof(double) * na);
		w = sr_alloc0(sizeof(double) * na);
	}
	else
	{
		memset(s, 0, sizeof(double) * na);
		memset(w, 0, sizeof(double) * na);
	}
	if (ind_w == NULL)
		ind_w = fw->ind_weight;
	if (axis_w == NULL)
		axis_w = fw->axis_weight;
	for (int j = 0; j < fw->n_ind; j++)
	{
		double		v = zrow[j];
		int			a = fw->ind_axis[j];

		if (isnan(v))
			continue;			/* re-weighting: skip, weights renormalised */
		s[a] += ind_w[j] * (agg == SR_MAT_AGG_GEOMETRIC ? log(v + 1.0) : v);
		w[a] += ind_w[j];
	}
	for (int a = 0; a < na; a++)
	{
		double		as;

		if (w[a] <= 0.0)
		{
			if (axis_scores)
				axis_scores[a] = NAN;
			continue;
		}
		as = s[a] / w[a];
		if (agg == SR_MAT_AGG_GEOMETRIC)
		{
			/* shifted geometric mean: a zero does not annihilate the axis */
			tot += axis_w[a] * as;	/* as = mean of ln(v + 1) */
			as = exp(as) - 1.0;
		}
		else
			tot += axis_w[a] * as;
		totw += axis_w[a];
		if (axis_scores)
			axis_scores[a] = clamp100(as);
	}
	if (totw <= 0.0)
		res = NAN;
	else if (agg == SR_MAT_AGG_GEOMETRIC)
		res = clamp100(exp(tot / totw) - 1.0);
	else
		res = clamp100(tot / totw);
	if (na > 64)
	{
		sr_free(s);
		sr_free(w);
	}
	return res;
}

sr_status
sr_mat_score(const sr_mat_framework *fw, const sr_mat_data *d,
			 const sr_mat_options *opt, double *score, double *axis_scores,
			 double *coverage, double *z, sr_err *err)
{
	int			m = fw->n_ind;
	double	   *zz = z;
	sr_status	st;

	st = sr_mat_validate(fw, err);
	if (st != SR_OK)
		return st;
	if (d->n < 0 || (d->n > 0 && d->x == NULL))
		return sr_error(err, SR_EINVAL, "no data matrix");
	if (zz == NULL)
	{
		zz = sr_alloc(sizeof(double) * ((size_t) d->n * m + 1));
		if (zz == NULL)
			return sr_error(err, SR_ENOMEM, "out of memory");
	}
	st = sr_mat_normalise(fw, d, opt->norm, zz, err);
	if (st == SR_OK)
		st = sr_mat_impute(fw, d, opt->missing, zz, err);
	if (st == SR_OK)
		for (int t = 0; t < d->n; t++)
		{
			if ((t & 4095) == 0)
				sr_check_interrupts();
			score[t] = sr_mat_aggregate_row(fw, zz + (size_t) t * m, NULL, NULL,
											opt->agg,
											axis_scores ? axis_scores + (size_t) t * fw->n_axes : NULL);
			if (coverage)
			{
				int			c = 0;

				for (int j = 0; j < m; j++)
					c += !isnan(d->x[(size_t) t * m + j]);
				coverage[t] = (double) c / m;
			}
		}
	if (z == NULL)
		sr_free(zz);
	return st;
}

int
sr_mat_level(double score, const double *lower_bounds, int n_levels)
{
	int			lv = 0;

	if (isnan(score))
		return 0;
	for (int i = 0; i < n_levels; i++)
		if (score >= lower_bounds[i])
			lv = i + 1;
	return lv;
}

sr_status
sr_mat_rank(const double *score, const int *group, int n, int n_groups,
			int *rank, sr_err *err)
{
	vi_pair    *buf;
	int		   *cnt,
			   *start;
	int			ng = n_groups < 1 ? 1 : n_groups;

	buf = sr_alloc(sizeof(vi_pair) * (size_t) (n > 0 ? n : 1));
	cnt = sr_alloc0(sizeof(int) * (ng + 1));
	start = sr_alloc0(sizeof(int) * (ng + 1));
	if (!buf || !cnt || !start)
	{
		sr_free(buf);
		sr_free(cnt);
		sr_free(start);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	/* bucket by group (negated scores so ascending sort = best first) */
	for (int t = 0; t < n; t++)
		if (!isnan(score[t]))
			cnt[group ? group[t] : 0]++;
	for (int g = 0; g < ng; g++)
		start[g + 1] = start[g] + cnt[g];
	memset(cnt, 0, sizeof(int) * ng);
	for (int t = 0; t < n; t++)
	{
		int			g = group ? group[t] : 0;

		if (isnan(score[t]))
		{
			rank[t] = 0;
			continue;
		}
		buf[start[g] + cnt[g]].v = -score[t];
		buf[start[g] + cnt[g]].i = t;
		cnt[g]++;
	}
	for (int g = 0; g < ng; g++)
	{
		vi_pair    *b = buf + start[g];
		int			k = cnt[g];

		qsort(b, k, sizeof(vi_pair), cmp_vi);
		/* b is best first: the first p are better than b[a] by more than the
		 * tolerance, so its rank is p + 1 (p never decreases as scores do) */
		for (int a = 0, p = 0; a < k; a++)
		{
			while (p < a && -b[p].v > -b[a].v + SR_MAT_RANK_TIE)
				p++;
			rank[b[a].i] = p + 1;
		}
	}
	sr_free(buf);
	sr_free(cnt);
	sr_free(start);
	return SR_OK;
}

double
sr_mat_gain(const sr_mat_framework *fw, const double *zrow, int j,
			sr_mat_agg agg, double *work)
{
	double		before,
				after;

	before = sr_mat_aggregate_row(fw, zrow, NULL, NULL, agg, NULL);
	memcpy(work, zrow, sizeof(double) * fw->n_ind);
	work[j] = 100.0;
	after = sr_mat_aggregate_row(fw, work, NULL, NULL, agg, NULL);
	if (isnan(before))
		before = 0.0;
	return after - before;
}
