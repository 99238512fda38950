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

/* The population class that chooses a territory's peers: "0-1999",
 * "2000-9999", "10000-49999", "50000-199999", "200000-999999", "1000000+",
 * or "unknown" when the population is not known (known = 0). */
const char *sr_mat_population_class(int64_t population, int known);

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

/* Scores (0-100) closer than this are tied in ranks: a territory's rank is 1 +
 * the number of its group's scores higher than its own by more than it. The same
 * score summed in another order differs in its last bits (values 97.69, 88.18,
 * 94.33 and the same in reverse order score 93.39999999999999 and 93.4). */
#define SR_MAT_RANK_TIE 1e-9

/* Monte Carlo: territories times runs at most (the ranks of every run, 4
 * bytes each, are held until the quantiles: 1 GB at the limit). */
#define SR_MAT_MC_MAX_TERRITORY_RUNS 2.5e8

/* Competition ranks within groups: 1 = highest score; ties (SR_MAT_RANK_TIE)
 * share the best rank; NaN scores get rank 0 (unranked). */
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

/* The bytes sr_mat_uncertainty allocates for n territories in n_groups
 * groups, m indicators and na axes (smartregion.max_call_memory): per run
 * 4 bytes a territory for its ranks, 8 an indicator and an axis for its
 * weights, 264 more; per territory and indicator 16 bytes and 8 for each
 * normalisation drawn (4 more with peer imputation); per thread 40 bytes a
 * territory and 262,148 of radix counts (sizes of this build's structs). */
double		sr_mat_mc_bytes(int n, int m, int na, int n_groups,
							const sr_mat_mc_options *mc);

/* The bytes a maturity job holds from the hub while it runs (charged with
 * sr_mat_mc_bytes): the value matrix, 20 bytes a territory and indicator
 * (value 8, year 4, count 8, plus one cell); the territory index, 4 bytes a
 * slot (a power of two, at least 16 and above 2n); 77 bytes a territory
 * (population 8 and its NULL flag 1, type 4, parents 12, code and name
 * pointers 16, the four result columns 32 and the rank 4); 16 bytes a
 * former commune (commune_part); and text_bytes, the codes and names read
 * with their terminating zeros. */
double		sr_mat_data_bytes(int n, int m, int nparts, double text_bytes);

/* Check the options of a Monte-Carlo analysis (runs, noise, non-empty
 * method masks) before any data is read; sr_mat_uncertainty checks them
 * too. */
sr_status	sr_mat_mc_check(const sr_mat_mc_options *mc, sr_err *err);

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

/* ---- The data around a score (maturity_data.c) ----
 *
 * The glue reads the framework, the territories and the rows of the hub
 * tables and plugins; the rules that turn them into the matrix to score are
 * here: where an indicator's values come from, which year wins, how answers
 * are averaged, which sources are shown, how communes roll up to their
 * parents, and how a score splits into contributions.
 */

#define SR_MAT_MAX_AXES 64		/* axes of a framework (the radar's limit) */

/* Territory types, in group order (also the choices of the option
 * territory_type); NULL-terminated. */
#define SR_MAT_N_TYPES 4
extern const char *const sr_mat_type_names[];

/* Index of a territory type name in sr_mat_type_names, -1 when unknown or
 * NULL. */
int			sr_mat_type_index(const char *name);

/* Sizes of a framework read from the catalog: 42704 (SR_ENOTFOUND) when it
 * has no axis (or does not exist), 22023 with more than SR_MAT_MAX_AXES axes
 * or without any indicator. */
sr_status	sr_mat_framework_sizes(const char *name, int n_axes, int n_ind, sr_err *err);

/* How an indicator's commune values roll up to a parent
 * (maturity_indicator.rollup). */
typedef enum sr_mat_rollup_rule
{
	SR_MAT_ROLLUP_POP_MEAN = 0, /* population-weighted mean (plain mean
								 * without populations) */
	SR_MAT_ROLLUP_MEAN,
	SR_MAT_ROLLUP_MIN,
	SR_MAT_ROLLUP_MAX
} sr_mat_rollup_rule;

/* The rule of a rollup name ("population_weighted_mean", "mean", "min",
 * "max"); an unknown name is SR_EINVAL. */
sr_status	sr_mat_rollup_rule_parse(const char *name, sr_mat_rollup_rule *rule, sr_err *err);

/* Values of the parents from their communes: for every commune row t
 * (type[t] == 0) and each of its parents parent[t * 3 + p] (EPCI,
 * département, région row, -1 none), indicator j's value is combined with
 * rule[j]; population weights are population[t] when > 0, else 0.  px gets
 * n * m values: NaN where no commune has a value, and for every commune. */
sr_status	sr_mat_rollup(int n, int m, const int *type, const double *population,
						  const int *parent, const sr_mat_rollup_rule *rule,
						  const double *x, double *px, sr_err *err);

/* An index of territories by (type, code); code[] must outlive it. */
typedef struct sr_mat_index sr_mat_index;

sr_status	sr_mat_index_build(int n, const int *type, const char *const *code,
							   sr_mat_index **ix, sr_err *err);
/* Row of a territory, -1 when unknown (type < 0 or code NULL included). */
int			sr_mat_index_find(const sr_mat_index *ix, int type, const char *code);
void		sr_mat_index_free(sr_mat_index *ix);

/* Where an indicator's values come from. */
typedef enum sr_mat_table
{
	SR_MAT_FROM_VALUES = 0,		/* <hub>.maturity_value: a quantitative indicator */
	SR_MAT_FROM_ANSWERS,		/* <hub>.maturity_answer: a declarative one */
	SR_MAT_FROM_PLUGIN			/* its plugin function, whatever its kind */
} sr_mat_table;

sr_mat_table sr_mat_indicator_table(const char *kind, const char *plugin);

/* The territories x indicators matrix being filled. */
typedef struct sr_mat_values
{
	int			n,
				m;
	double	   *x;				/* [n * m] raw values, NaN = missing */
	int		   *year;			/* [n * m] year of the value, 0 = unknown */
	int			detail_row;		/* territory whose sources are kept, -1 none */
	/* private */
	struct sr_mat_sources *sources; /* [m] distinct sources of detail_row */
	const sr_mat_index *ix;
	const char *const *indicator;
	const char *const *plugin;
	size_t	   *ind_len;
	sr_mat_table *table;
	double	   *count;			/* answers: their number in the latest year;
								 * values: where from (SR_MAT_OWN...) */
	struct sr_mat_part *parts;	/* commune codes of commune_part, sorted */
	int			nparts;
} sr_mat_values;

/* An empty matrix for n territories (indexed by ix) and the m indicators
 * named indicator[] of kinds kind[] and plugins plugin[] (NULL = none). */
sr_status	sr_mat_values_init(sr_mat_values *v, const sr_mat_index *ix, int n, int m,
							   const char *const *indicator, const char *const *kind,
							   const char *const *plugin, int detail_row, sr_err *err);

/* The codes of parts of current communes (smartregion.commune_part: former
 * communes merged into one, municipal arrondissements), each with its
 * current commune's code: a hub row keyed by such a code (and type
 * commune) counts for the commune of today (sr_mat_values_add).  code[]
 * and commune[] must outlive v; a part whose commune is not in the index
 * is left out.  SR_ENOMEM only. */
sr_status	sr_mat_values_parts(sr_mat_values *v, int n, const char *const *code,
								const char *const *commune, sr_err *err);

/* One row of <hub>.maturity_value (table SR_MAT_FROM_VALUES) or
 * <hub>.maturity_answer (SR_MAT_FROM_ANSWERS).  It is kept when its
 * indicator takes its values from that table and its territory is known,
 * and its value is finite; per territory and indicator the latest year
 * wins, and the answers of that year are averaged (sr_mat_values_finish).
 * The detail row keeps the distinct sources of that year.
 * A commune row of a part's code (sr_mat_values_parts) is the current
 * commune's: an answer counts with the commune's own answers of its year;
 * a value only where the commune has no value of its own (any year), and
 * the latest year of its parts' values gives it only when one part has a
 * value that year (several parts' values are not one commune's: no value).
 * Its source reads "<source> (commune part <code>)". */
void		sr_mat_values_add(sr_mat_values *v, sr_mat_table table, const char *indicator,
							  const char *type, const char *code, int year, double value,
							  const char *source);

/* One row of indicator j's plugin called for year (0 = every year): a
 * NULL territory or a non-finite value is skipped; the source reads
 * "plugin <name>". */
void		sr_mat_values_add_plugin(sr_mat_values *v, int j, const char *type,
									 const char *code, double value, int year);

/* After the last row: answers become their means. */
void		sr_mat_values_finish(sr_mat_values *v);

/* The source shown for indicator j of the detail row, given its normalised
 * value zj after imputation: the distinct sources of its raw value in the
 * order read, ", "-separated; "imputed: ..." for an imputed value; NULL
 * when there is neither.  Valid until the next call. */
const char *sr_mat_values_source(sr_mat_values *v, int j, double zj,
								 sr_mat_missing missing);

void		sr_mat_values_free(sr_mat_values *v);

/* The detail of a normalised row zrow (after imputation) scored score:
 * weight[j] = axis weight x indicator weight, each re-normalised over what
 * is available (0 where zrow[j] is NaN); contribution[j] its part of the
 * score (NaN where missing): w z for the arithmetic mean, the share
 * score w ln(z + 1) / ln(score + 1) for the geometric one, so that the
 * contributions sum to the score either way. */
void		sr_mat_contributions(const sr_mat_framework *fw, const double *zrow, double score,
								 sr_mat_agg agg, double *weight, double *contribution);

/* The arguments of the scoring entry points, read with the specs of the
 * options (same defaults, same messages): normalisation, aggregation,
 * missing (NULL = default), hub (NULL = the default "hub"; "" stays empty,
 * which names no hub: the glue refuses it, 42P01, as every reader of a hub
 * does; until 2026-12-07 it read the default hub) and
 * territory_type (NULL = every type, -1). */
typedef struct sr_mat_eval_args
{
	sr_mat_options opt;
	char		hub[SR_OPT_STRLEN];
	int			territory_type;
} sr_mat_eval_args;

sr_status	sr_mat_eval_args_read(const char *normalisation, const char *aggregation,
								  const char *missing, const char *hub,
								  const char *territory_type, sr_mat_eval_args *args,
								  sr_err *err);

/* The bit mask of a list of method names (Monte-Carlo option
 * "normalisations", "aggregations" or "missing_methods"); NULL elements
 * and an empty list are refused as the option is. */
sr_status	sr_mat_methods_mask(const char *option, const char *const *names, int n,
								unsigned *mask, sr_err *err);

/* Options of the plpgsql maturity functions (validated by
 * smartregion._options(), handed back as jsonb with their defaults). */
extern const sr_optset sr_maturity_scores_optset;	/* maturity_scores, maturity_rollup */
extern const sr_optset sr_maturity_rollup_optset;
extern const sr_optset sr_maturity_score_optset;	/* maturity_score, maturity_peers... */
extern const sr_optset sr_maturity_peers_optset;
extern const sr_optset sr_maturity_recommendations_optset;
extern const sr_optset sr_maturity_uncertainty_optset;

#endif							/* SR_MATURITY_H */
