/*
 * sr_maturity.h — digital-maturity composite indicator core: normalisation,
 * imputation, aggregation, levels, ranks, Monte-Carlo uncertainty and the
 * radar chart, on flat arrays.
 *
 * Methods follow the OECD/JRC "Handbook on Constructing Composite
 * Indicators" (2008): steps 4 (imputation), 5 (normalisation), 6 (weighting
 * and aggregation) and 7 (uncertainty analysis by Monte Carlo, reporting the
 * median rank and the 5th-95th percentile rank interval).
 *
 * Data layout: a matrix of n territories x m indicators, row-major
 * (x[t * m + j]), NaN for a missing value.  Every territory belongs to a
 * group (its territory type): data-driven normalisations (min-max, z-score,
 * rank), imputation and ranks are computed within a group, so communes are
 * compared with communes and régions with régions.
 *
 * Normalised values are on a 0-100 scale (100 = best).  Framework weights:
 * axis weights sum to 1, indicator weights within each axis sum to 1
 * (tolerance SR_MAT_WEIGHT_TOL); sr_mat_validate() enforces it.
 */
#ifndef SR_MATURITY_H
#define SR_MATURITY_H

#include <stdint.h>
#include "sr_common.h"
#include "sr_options.h"

#define SR_MAT_WEIGHT_TOL 1e-6
/* nearest-peer imputation: candidates examined, closest in log population */
#define SR_MAT_PEER_K 5

typedef enum sr_mat_norm
{
	SR_MAT_NORM_GOALPOSTS = 0,	/* fixed goalposts, clamped to [0,100] (DESI) */
	SR_MAT_NORM_MINMAX,			/* (x - min) / (max - min) within the group */
	SR_MAT_NORM_ZSCORE,			/* 50 + 50 z / 3, clamped to [0,100] */
	SR_MAT_NORM_RANK,			/* percentile rank 100 (r - 1) / (n - 1) */
	SR_MAT_NORM_COUNT
} sr_mat_norm;

typedef enum sr_mat_agg
{
	SR_MAT_AGG_ARITHMETIC = 0,	/* sum w x */
	SR_MAT_AGG_GEOMETRIC,		/* exp(sum w ln(x + 1)) - 1 */
	SR_MAT_AGG_COUNT
} sr_mat_agg;

typedef enum sr_mat_missing
{
	SR_MAT_MISS_REWEIGHT = 0,	/* renormalise weights over available data */
	SR_MAT_MISS_MEAN,			/* group mean of the normalised indicator */
	SR_MAT_MISS_PEER,			/* nearest peer's normalised value (hot deck) */
	SR_MAT_MISS_COUNT
} sr_mat_missing;

/* A framework as flat arrays (indicator j belongs to axis ind_axis[j]). */
typedef struct sr_mat_framework
{
	int			n_axes;
	int			n_ind;
	const int  *ind_axis;		/* [n_ind], values in [0, n_axes) */
	const double *ind_weight;	/* [n_ind], > 0, sum 1 within each axis */
	const double *axis_weight;	/* [n_axes], > 0, sum 1 */
	const double *goal_lo;		/* [n_ind] lower goalpost */
	const double *goal_hi;		/* [n_ind] upper goalpost, > goal_lo */
	const int  *direction;		/* [n_ind] +1 higher is better, -1 lower */
} sr_mat_framework;

/* The data to score. */
typedef struct sr_mat_data
{
	int			n;				/* territories */
	const double *x;			/* [n * n_ind] raw values, NaN = missing */
	const int  *group;			/* [n] group ids in [0, n_groups); NULL = all 0 */
	int			n_groups;
	const double *population;	/* [n] for nearest-peer; NULL = index order */
} sr_mat_data;

typedef struct sr_mat_options
{
	sr_mat_norm norm;
	sr_mat_agg	agg;
	sr_mat_missing missing;
} sr_mat_options;

/* Check the framework: sizes, axes, goalposts (lo < hi, finite), direction
 * (+1/-1), weights (> 0, summing to 1 as documented). */
sr_status	sr_mat_validate(const sr_mat_framework *fw, sr_err *err);

/* Fixed-goalpost normalisation of one value, clamped to [0, 100]. */
double		sr_mat_goalpost(double x, double lo, double hi, int direction);

/* Normalise the whole matrix with one method (z gets n * n_ind values; NaN
 * stays NaN). */
sr_status	sr_mat_normalise(const sr_mat_framework *fw, const sr_mat_data *d,
							 sr_mat_norm norm, double *z, sr_err *err);

/* Nearest-peer donors: donor[t * m + j] = index of the territory whose value
 * fills x[t, j] (same group, indicator j observed), or -1 when none or when
 * x[t, j] is observed.  zref: normalised matrix used for the distance. */
sr_status	sr_mat_peer_donors(const sr_mat_framework *fw, const sr_mat_data *d,
							   const double *zref, int *donor, sr_err *err);

/* Impute the normalised matrix z in place (REWEIGHT leaves it alone). */
sr_status	sr_mat_impute(const sr_mat_framework *fw, const sr_mat_data *d,
						  sr_mat_missing missing, double *z, sr_err *err);

/* Aggregate one normalised row (NaN = missing, weights re-normalised over
 * what is available).  ind_w / axis_w override the framework weights when
 * not NULL.  axis_scores (may be NULL) gets n_axes values (NaN for an axis
 * without data); returns the score, NaN when no data at all. */
double		sr_mat_aggregate_row(const sr_mat_framework *fw, const double *zrow,
								 const double *ind_w, const double *axis_w,
								 sr_mat_agg agg, double *axis_scores);

/* Score every territory: score[n], axis_scores[n * n_axes] (may be NULL),
 * coverage[n] (share of indicators with a raw value, may be NULL), z[n * m]
 * (normalised and imputed values, may be NULL). */
sr_status	sr_mat_score(const sr_mat_framework *fw, const sr_mat_data *d,
						 const sr_mat_options *opt, double *score,
						 double *axis_scores, double *coverage, double *z,
						 sr_err *err);

/* Level of a score: the largest level whose lower bound is <= score (levels
 * numbered from 1; lower_bounds ascending, lower_bounds[0] = 0).  0 for NaN. */
int			sr_mat_level(double score, const double *lower_bounds, int n_levels);

/* Competition ranks within groups: 1 = highest score; ties share the best
 * rank; NaN scores get rank 0 (unranked). */
sr_status	sr_mat_rank(const double *score, const int *group, int n, int n_groups,
						int *rank, sr_err *err);

/* Score gain of territory row zrow when indicator j reaches 100 (all other
 * values and normalisation parameters held fixed). */
double		sr_mat_gain(const sr_mat_framework *fw, const double *zrow, int j,
						sr_mat_agg agg, double *work);

/* ---- Monte Carlo ---- */

/* xoshiro256** seeded through splitmix64 (Blackman & Vigna 2018). */
typedef struct sr_rng
{
	uint64_t	s[4];
} sr_rng;

void		sr_rng_seed(sr_rng *r, uint64_t seed);
uint64_t	sr_rng_next(sr_rng *r);
double		sr_rng_uniform(sr_rng *r);	/* [0, 1), 53 bits */

typedef struct sr_mat_mc_options
{
	int			runs;
	uint64_t	seed;
	double		weight_noise;	/* w *= 1 + noise * U(-1, 1), then renormalised */
	unsigned	norm_mask;		/* bit (1 << sr_mat_norm) per allowed choice */
	unsigned	agg_mask;
	unsigned	missing_mask;
	sr_mat_options nominal;
	int			threads;		/* threads (sr_parallel.h; the glue decides how
								 * many, 0 or 1 = the calling thread only);
								 * results do not depend on it */
} sr_mat_mc_options;

/* Monte-Carlo uncertainty of the ranks.  Outputs [n]: nominal score and
 * rank, median rank, 5th and 95th percentile ranks (linear interpolation
 * between order statistics, numpy's default).  Unranked territories get
 * rank 0 and NaN quantiles. */
sr_status	sr_mat_uncertainty(const sr_mat_framework *fw, const sr_mat_data *d,
							   const sr_mat_mc_options *mc, double *nominal_score,
							   int *nominal_rank, double *median_rank,
							   double *p05_rank, double *p95_rank, sr_err *err);

/* ---- Radar chart ---- */

/* SVG radar chart of n_axes values in [0, 100] (NaN drawn at 0 and labelled
 * "n/a"), with an optional second series (peers, may be NULL).  *svg is
 * sr_alloc'ed, NUL-terminated. */
sr_status	sr_mat_radar_svg(int n_axes, const char *const *labels,
							 const double *values, const double *peers,
							 const char *title, const char *series_label,
							 const char *peers_label, char **svg, sr_err *err);

/* The same with a third, dotted series: the territory in an earlier year
 * (previous may be NULL; previous_label names it in the legend). */
sr_status	sr_mat_radar_svg_ex(int n_axes, const char *const *labels,
								const double *values, const double *peers,
								const double *previous, const char *title,
								const char *series_label, const char *peers_label,
								const char *previous_label, char **svg, sr_err *err);

/* Options of the plpgsql maturity functions (validated by
 * smartregion._options(), handed back as jsonb with their defaults). */
extern const sr_optset sr_maturity_scores_optset;	/* maturity_scores, maturity_rollup */
extern const sr_optset sr_maturity_rollup_optset;
extern const sr_optset sr_maturity_score_optset;	/* maturity_score, maturity_peers... */
extern const sr_optset sr_maturity_peers_optset;
extern const sr_optset sr_maturity_recommendations_optset;
extern const sr_optset sr_maturity_uncertainty_optset;

#endif							/* SR_MATURITY_H */
