/*
 * sr_matching.h — tiers-lieux matching core: project/premise records, hard
 * constraints and weighted soft criteria (match_score / match_explain),
 * exact top-k candidate search over k-d trees (match_candidates) and
 * assignment solvers (match_assign: optimal, stable, greedy).
 *
 * Conventions:
 *  - coordinates are WGS84 longitude/latitude in degrees; distances are
 *    great-circle (haversine) kilometres on a sphere of radius 6371.0088 km
 *    (IUGG mean radius);
 *  - surfaces in m2, rents and budgets in euros per month, durations and
 *    minimum terms in months, dates in days since 1970-01-01;
 *  - opening hours are minute ranges [start, end) per weekday, 0..1440,
 *    weekday 0 = Monday;
 *  - kinds, amenities and activities are bitmasks over the fixed
 *    vocabularies below (documented in docs/matching.md); adding a word
 *    means appending to the end of a list.
 *
 * Unset numeric fields are NaN; unset dates are SR_MATCH_NODATE.
 */
#ifndef SR_MATCHING_H
#define SR_MATCHING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sr_common.h"
#include "sr_options.h"

#define SR_MATCH_NODATE INT32_MIN
#define SR_MATCH_MAX_RANGES 4	/* opening-hour ranges per weekday */
#define SR_MATCH_EARTH_RADIUS_KM 6371.0088

/* ---- vocabularies (bit i of a mask = word i of the list) ---- */
extern const char *const sr_match_kind_names[];
extern const char *const sr_match_amenity_names[];
extern const char *const sr_match_activity_names[];
extern const char *const sr_match_weekday_names[];	/* mon..sun */
extern const int sr_match_n_kinds;
extern const int sr_match_n_amenities;
extern const int sr_match_n_activities;

/* Opening hours of one week: per day up to SR_MATCH_MAX_RANGES ascending,
 * non-overlapping minute ranges [start, end). */
typedef struct sr_match_hours
{
	bool		set;			/* false = unknown (criterion not applicable) */
	uint8_t		n[7];
	int16_t		r[7][SR_MATCH_MAX_RANGES][2];
} sr_match_hours;

/* Demand side: a project holder looking for premises. */
typedef struct sr_match_project
{
	int64_t		id;
	double		lon, lat;		/* desired location (NaN = anywhere) */
	double		max_distance_km;	/* hard limit on straight-line distance */
	double		max_travel_min; /* hard limit when travel times are given */
	uint32_t	kinds;			/* kinds accepted (0 = any) */
	double		surface_min_m2, surface_max_m2;
	double		team_size;		/* persons / desks needed */
	double		budget_month;	/* maximum rent, EUR/month */
	int32_t		start_date;		/* days since 1970-01-01 */
	double		duration_months;
	uint32_t	amenities_required;
	uint32_t	amenities_wished;
	bool		step_free_needed;
	uint32_t	activities;		/* activities the project will carry out */
	sr_match_hours hours;		/* hours the project needs the premises */
} sr_match_project;

/* Supply side: available premises (tiers-lieu, vacant office...). */
typedef struct sr_match_premise
{
	int64_t		id;
	double		lon, lat;
	uint32_t	kinds;
	double		surface_m2;
	double		capacity;		/* persons / desks */
	double		rent_month;		/* EUR/month */
	int32_t		available_from, available_to;
	double		min_term_months;
	uint32_t	amenities;
	bool		amenities_set;	/* amenities listed, possibly none ([]); else
								 * unknown: the wished-amenities criterion
								 * has no data on this side */
	bool		step_free;
	uint32_t	activities_allowed;
	sr_match_hours hours;		/* opening hours */
	char		owner[64];		/* informative only, truncated */
} sr_match_premise;

/* What match_candidates and match_assign hold for one row of their
 * queries until they end, in bytes (smartregion.max_call_memory,
 * docs/query-arguments.md), measured as the cadastre's
 * (docs/performance-cadastre.md, "Memory bound of the calls holding their
 * input") and rounded up: a record of premises_sql (its struct, its id's
 * index, the two k-d trees: 591 bytes) or of projects_sql (333 bytes), to
 * which plugin criteria add its jsonb, counted as the allocator holds it;
 * a row of travel_sql (the core's edge and its grouping: 34 bytes); a
 * pair of pairs_sql (the edge, and at worst a new project and a new
 * premise, their ids' index and the solver's arrays: 228 bytes with
 * 'optimal' when each pair brings both, 44-60 bytes at 20 pairs a
 * project), taken above an empty call because the ids' hash tables
 * double: 233-293 bytes a pair from 20,000 to 2,000,000 pairs. */
#define SR_MATCH_HOLD_PREMISE 600.0
#define SR_MATCH_HOLD_PROJECT 340.0
#define SR_MATCH_HOLD_TRAVEL 40.0
#define SR_MATCH_HOLD_PAIR 300.0

/* Reset a record to "everything unset". */
void		sr_match_project_init(sr_match_project *p);
void		sr_match_premise_init(sr_match_premise *q);

/*
 * Field setters used by the glue while walking a jsonb object or a row.
 * They return SR_ENOTFOUND (message filled) for a key that is not a field
 * of that side (callers usually ignore it), SR_EINVAL / SR_ERANGE naming the
 * field for a bad value.  Keys: see docs/matching.md.
 */
typedef enum sr_match_side
{
	SR_MATCH_PROJECT = 0,
	SR_MATCH_PREMISE = 1
} sr_match_side;

sr_status	sr_match_set_number(sr_match_side side, void *rec, const char *key,
								double v, sr_err *err);
sr_status	sr_match_set_bool(sr_match_side side, void *rec, const char *key,
							  bool v, sr_err *err);
/* Text values: dates "YYYY-MM-DD", owner, a single word for a list field. */
sr_status	sr_match_set_text(sr_match_side side, void *rec, const char *key,
							  const char *s, size_t len, sr_err *err);
/* One element of a list field (kinds, amenities..., activities...). */
sr_status	sr_match_add_item(sr_match_side side, void *rec, const char *key,
							  const char *s, size_t len, sr_err *err);
/* Marks a list field as present (possibly empty); needed for "kinds": []. */
sr_status	sr_match_touch_list(sr_match_side side, void *rec, const char *key,
								sr_err *err);
/* Opening hours of one weekday ("mon".."sun"), as text
 * "HH:MM-HH:MM[,HH:MM-HH:MM...]" or "closed". */
sr_status	sr_match_set_hours_text(sr_match_side side, void *rec,
									const char *day, size_t daylen,
									const char *s, size_t len, sr_err *err);
/* One range in minutes [start, end) for a weekday. */
sr_status	sr_match_add_hours_range(sr_match_side side, void *rec,
									 const char *day, size_t daylen,
									 double start_min, double end_min,
									 sr_err *err);
/* Marks the hours as known (an empty object = closed every day). */
void		sr_match_touch_hours(sr_match_side side, void *rec);
/* Cross-field checks after filling (min <= max, ranges of lat/lon...). */
sr_status	sr_match_project_check(const sr_match_project *p, sr_err *err);
sr_status	sr_match_premise_check(const sr_match_premise *q, sr_err *err);

/* Parse "YYYY-MM-DD" into days since 1970-01-01. */
sr_status	sr_match_parse_date(const char *s, size_t len, int32_t *days,
								sr_err *err);

/* ---- criteria and weights ---- */

/* Hard constraints, evaluated in this order. */
typedef enum sr_match_hard
{
	SR_HARD_KIND = 0,
	SR_HARD_SURFACE,
	SR_HARD_BUDGET,
	SR_HARD_AVAILABILITY,
	SR_HARD_TERM,
	SR_HARD_STEP_FREE,
	SR_HARD_AMENITIES,
	SR_HARD_ACTIVITIES,
	SR_HARD_TRAVEL,
	SR_HARD_N
} sr_match_hard;
extern const char *const sr_match_hard_names[];

/* Soft criteria (built in). */
typedef enum sr_match_crit
{
	SR_CRIT_DISTANCE = 0,
	SR_CRIT_SURFACE,
	SR_CRIT_PRICE,
	SR_CRIT_AMENITIES,
	SR_CRIT_HOURS,
	SR_CRIT_CAPACITY,
	SR_CRIT_N
} sr_match_crit;
extern const char *const sr_match_crit_names[];

/* Distance decay functions; each has f(0) = 1, f(scale) ~ 0.5, decreasing. */
typedef enum sr_match_decay
{
	SR_DECAY_EXPONENTIAL = 0,	/* 2^(-d/s) */
	SR_DECAY_LINEAR,			/* max(0, 1 - d/(2s)) */
	SR_DECAY_GAUSSIAN,			/* 2^(-(d/s)^2) */
	SR_DECAY_LOGISTIC			/* (1+e^-4)/(1+e^(4(d-s)/s)) */
} sr_match_decay;
extern const char *const sr_match_decay_names[];

typedef struct sr_match_weights
{
	double		w[SR_CRIT_N];
	sr_match_decay decay;
	double		distance_scale_km;	/* decay scale for straight-line km */
	double		travel_scale_min;	/* decay scale when travel minutes given */
} sr_match_weights;

/* The weights jsonb of match_score, match_explain and match_candidates as
 * option specs (sr_options.h, docs/options.md): the criterion weights in
 * [0, 1000], "decay", "distance_scale_km" and "travel_scale_min", with
 * their defaults.  One set per function, the same specs. */
extern const sr_optset sr_match_score_optset;
extern const sr_optset sr_match_explain_optset;
extern const sr_optset sr_match_candidates_optset;
#define SR_MATCH_WEIGHT_NSPECS 9	/* built-in specs of those sets */

/* Defaults: distance 0.30, surface 0.15, price 0.20, amenities 0.15,
 * hours 0.10, capacity 0.10; exponential decay, 5 km, 30 min (the specs'). */
void		sr_match_weights_default(sr_match_weights *w);

/* Weights with registered (plugin) criteria: the built-in weights, then one
 * weight per criterion, in registry order. */
typedef struct sr_match_weights_ext
{
	sr_match_weights w;
	double		extra[];
} sr_match_weights_ext;

#define SR_MATCH_WEIGHTS_EXT_SIZE(n) \
	(offsetof(sr_match_weights_ext, extra) + sizeof(double) * (size_t) (n))

/* The specs of the weights when n criteria are registered: the built-in
 * specs, then one number spec per criterion (name names[i], default its
 * registered weight[i], range [0, 1000]) stored into an
 * sr_match_weights_ext; specs[] has room for SR_MATCH_WEIGHT_NSPECS + n.
 * Checks each name (not a built-in key, not twice) and registered weight
 * (SR_EINVAL / SR_ERANGE naming the criterion). */
sr_status	sr_match_weights_specs(const char *const *names, const double *weights,
								   int n, sr_optspec *specs, sr_err *err);

/* Decay function value for distance d >= 0 and scale s > 0. */
double		sr_match_decay_value(sr_match_decay kind, double d, double s);

/* Great-circle distance in km. */
double		sr_match_haversine_km(double lon1, double lat1, double lon2,
								  double lat2);

/* Result of a registered (plugin) criterion, computed by the glue. */
typedef struct sr_match_extra
{
	const char *name;
	double		value;			/* in [0, 1] when !isnull */
	double		weight;
	bool		hard;			/* NULL (or 0) fails the pair */
	bool		isnull;
} sr_match_extra;

/* Store the value a registered criterion returned for a pair (isnull: SQL
 * NULL); SR_EDATA naming the criterion when it is not in [0, 1]. */
sr_status	sr_match_extra_set(sr_match_extra *e, double value, bool isnull,
							   sr_err *err);

/* Explanation of one pair. */
typedef struct sr_match_explain_rec
{
	double		score;
	bool		feasible;
	bool		hard_passed[SR_HARD_N];
	bool		hard_applicable[SR_HARD_N];
	char		hard_reason[SR_HARD_N][320];
	double		value[SR_CRIT_N];
	bool		applicable[SR_CRIT_N];
	double		weight[SR_CRIT_N];
	double		contribution[SR_CRIT_N];
	char		detail[SR_CRIT_N][96];
	double		distance_km;	/* NaN when unknown */
	double		travel_min;		/* NaN when not given */
} sr_match_explain_rec;

/*
 * Score of a pair: 0 when a hard constraint fails, else the weighted mean
 * of the applicable criteria (built in and extra), in [0, 1].
 * travel_min: travel time in minutes, or NaN to use straight-line distance.
 * explain may be NULL (fast path: stops at the first failed constraint).
 */
double		sr_match_pair_score(const sr_match_project *p, const sr_match_premise *q,
						   const sr_match_weights *w, double travel_min,
						   const sr_match_extra *extra, int n_extra,
						   sr_match_explain_rec *explain);

/* The premise fields the soft criteria read (hours NULL = unknown). */
typedef struct sr_match_premise_soft
{
	double		surface_m2,
				rent_month,
				capacity;
	uint32_t	amenities;
	bool		amenities_set;	/* as sr_match_premise's */
	const sr_match_hours *hours;
} sr_match_premise_soft;

/* Score of a pair known to pass the hard constraints, without extra
 * criteria: exactly what sr_match_pair_score() returns for it.  dist_km is
 * the great-circle distance (NaN = unknown). */
double		sr_match_feasible_score(const sr_match_project *p,
									const sr_match_premise_soft *q,
									const sr_match_weights *w, double dist_km,
									double travel_min);

/* Hard constraints only (extra criteria excluded); distance in km given
 * so callers that already know it do not recompute it (NaN = compute). */
bool		sr_match_feasible(const sr_match_project *p, const sr_match_premise *q,
							  double distance_km, double travel_min);

/* Writes the explanation as a JSON object into a malloc'ed (sr_alloc)
 * string. */
char	   *sr_match_explain_json(const sr_match_explain_rec *e,
								  const sr_match_weights *w,
								  const sr_match_extra *extra, int n_extra);

/* ---- top-k candidates (k-d tree index; the type keeps its old name) ---- */

typedef struct sr_match_grid sr_match_grid;

/* Builds the index over the premises: two k-d trees with per-node
 * summaries (all premises must have a location; SR_EDATA naming the premise
 * id otherwise).  The premises array is borrowed and must outlive the
 * index. */
sr_status	sr_match_grid_build(const sr_match_premise *premises, int n,
								sr_match_grid **out, sr_err *err);
void		sr_match_grid_free(sr_match_grid *g);

/* Callback scoring one feasible pair with extra criteria (plugins); it
 * receives the built-in score parts and returns the final score.  NULL when
 * no plugin criterion is registered. */
typedef struct sr_match_topk_item
{
	int			premise;		/* index into premises */
	double		score;
} sr_match_topk_item;

/*
 * The k best premises of project p (score > 0), best first, ties by lower
 * premise id.  Exact: nodes are visited best upper bound first and the
 * search stops when the best bound left is below the k-th score, so the
 * result equals a full scan with or without a maximum distance.
 * extra_weight_total: sum of the weights of plugin criteria, used for the
 * bound (0 without plugins); when plugins exist the caller rescoring
 * function is called on every feasible pair the search reaches.
 */
typedef double (*sr_match_rescore_fn) (void *ctx, const sr_match_project *p,
									   int premise_index, double travel_min);

sr_status	sr_match_topk(const sr_match_grid *g, const sr_match_project *p,
						  const sr_match_weights *w, int k,
						  double extra_weight_total,
						  sr_match_rescore_fn rescore, void *ctx,
						  sr_match_topk_item *out, int *n_out, sr_err *err);

/*
 * The k best premises of each of np projects (no plugin criteria), into
 * out[i * k ..] and n_out[i], on nthreads threads (sr_parallel.h: the
 * glue decides how many; 0 or 1 = the calling thread only).  The helper
 * threads never allocate nor check for interrupts: callers pass batches
 * small enough to check between them.
 */
sr_status	sr_match_topk_batch(const sr_match_grid *g,
								const sr_match_project *p, int np,
								const sr_match_weights *w, int k,
								int nthreads, sr_match_topk_item *out,
								int *n_out, sr_err *err);

/* The k best of an explicit candidate list (travel times given by the
 * caller, minutes[t] for premise cand[t]). */
sr_status	sr_match_topk_list(const sr_match_premise *premises,
							   const sr_match_project *p,
							   const sr_match_weights *w, int k,
							   const int *cand, const double *minutes,
							   int ncand, sr_match_rescore_fn rescore,
							   void *ctx, sr_match_topk_item *out,
							   int *n_out, sr_err *err);

/* ---- assignment ---- */

typedef enum sr_match_method
{
	SR_ASSIGN_OPTIMAL = 0,
	SR_ASSIGN_STABLE,			/* project-proposing deferred acceptance */
	SR_ASSIGN_STABLE_PREMISES,	/* premise-proposing deferred acceptance */
	SR_ASSIGN_GREEDY
} sr_match_method;

/* Sparse bipartite problem: rows = projects (at most one premise each),
 * columns = premises (capacity each).  Edges are (row, col, score); only
 * edges with score > 0 can be assigned. */
typedef struct sr_match_problem
{
	int			n_rows, n_cols;
	int64_t		n_edges;
	const int  *erow, *ecol;
	const double *escore;
	const int  *capacity;		/* per column; NULL = all 1 */
	const int64_t *row_id;		/* ids for error messages; may be NULL */
	const int64_t *col_id;
} sr_match_problem;

typedef struct sr_match_solution
{
	int		   *row_col;		/* column of each row, -1 = unassigned */
	double		total;			/* sum of assigned scores */
	int			n_assigned;
	/* LP duals (optimal only, else NULL): u_i + v_j >= s_ij, u, v >= 0,
	 * sum u + sum cap*v == total at the optimum. */
	double	   *u, *v;
} sr_match_solution;

/*
 * The "crs" member of a record's GeoJSON "location" (PostGIS's to_jsonb of a
 * geometry writes one for any SRID but 4326 and 0): a location is read as
 * WGS84 longitude and latitude, so a named CRS other than WGS84 is refused
 * (SR_EINVAL naming it, hint ST_Transform) rather than read as degrees.
 * name is the CRS's "properties"."name" (len bytes, not NUL-terminated),
 * NULL when the member has no such name.  Accepted: EPSG:4326,
 * urn:ogc:def:crs:EPSG::4326 (and EPSG:x.y:4326), OGC CRS84 in its URN forms
 * and CRS84, whatever their case.
 */
sr_status	sr_match_location_crs(sr_match_side side, const char *name, int len,
								  sr_err *err);

/* The largest score sr_match_solve accepts (SR_EDATA above): the solvers
 * compare sums of scores, which must stay far from overflow. */
#define SR_MATCH_MAX_SCORE 1e15

/* The methods by name: optimal, stable, stable_projects (= stable),
 * stable_premises, greedy.  Any other name is SR_EINVAL with the options'
 * "invalid value" message listing them. */
extern const char *const sr_match_method_names[];
sr_status	sr_match_method_parse(const char *name, sr_match_method *method,
								  sr_err *err);

/* Checks (finite scores, indices, duplicates naming the ids, capacities
 * >= 0) and solves.  The solution arrays are sr_alloc'ed. */
sr_status	sr_match_solve(const sr_match_problem *pb, sr_match_method method,
							sr_match_solution *sol, sr_err *err);
void		sr_match_solution_free(sr_match_solution *sol);

/* The sparse shortest-augmenting-path solver alone (tests compare it with
 * the dense path and brute force). */
sr_status	sr_match_assign_sparse_optimal(const sr_match_problem *pb,
										   sr_match_solution *sol, sr_err *err);

/* Dense square minimisation (Jonker & Volgenant 1987, LAPJV): cost is
 * n x n row-major; fills row_col and returns the total cost.  Exposed for
 * the benchmark and tests. */
sr_status	sr_match_lapjv(int n, const double *cost, int *row_col,
						   double *total, sr_err *err);

/* ---- id -> index hash map (int64 keys) ---- */
typedef struct sr_match_idmap sr_match_idmap;
/* NULL when out of memory (only under malloc). */
sr_match_idmap *sr_match_idmap_new(int64_t expected);
/* Returns the index of key, inserting it as next index if absent; *isnew.
 * -1 when out of memory (only under malloc; the map unchanged). */
int			sr_match_idmap_put(sr_match_idmap *m, int64_t key, bool *isnew);
/* -1 when absent. */
int			sr_match_idmap_get(const sr_match_idmap *m, int64_t key);
void		sr_match_idmap_free(sr_match_idmap *m);

/* ---- the record sets of match_candidates ---- */

/* A growing list of (index, index, value) triples: travel pairs (project,
 * premise, minutes) and assignment pairs (row, column, score). */
typedef struct sr_match_edges
{
	int		   *a,
			   *b;
	double	   *v;
	int64_t		n,
				cap;
} sr_match_edges;

/* The id -> index map of n records of one side (sr_match_project or
 * sr_match_premise), read from source (named in messages): SR_EDATA on a
 * duplicate id. */
sr_status	sr_match_index_ids(sr_match_side side, const void *records, int n,
							   const char *source, sr_match_idmap **out,
							   sr_err *err);

/*
 * Travel times (match_candidates' travel_sql): pairs are added as read, in
 * batches; pairs whose project or premise is not in the two sets are not
 * candidates and are skipped; minutes must be finite and >= 0.  Once every
 * batch is in, sr_match_travel_group() orders them by project: the
 * candidates of project i are premise[start[i] .. start[i + 1]) with
 * minutes[...], and a pair listed twice is an error naming it.
 */
typedef struct sr_match_travel
{
	const sr_match_project *projects;	/* borrowed, for ids and messages */
	const sr_match_premise *premises;
	const sr_match_idmap *pmap,
			   *qmap;
	int			np,
				nq;
	const char *source;
	sr_match_edges read;		/* (project, premise, minutes) as read */
	int		   *start;			/* grouped: np + 1 offsets */
	int		   *premise;
	double	   *minutes;
} sr_match_travel;

void		sr_match_travel_init(sr_match_travel *t, const sr_match_project *projects,
								 int np, const sr_match_idmap *pmap,
								 const sr_match_premise *premises, int nq,
								 const sr_match_idmap *qmap, const char *source);
sr_status	sr_match_travel_add(sr_match_travel *t, const int64_t *project_id,
								const int64_t *premise_id, const double *minutes,
								int64_t n, sr_err *err);
sr_status	sr_match_travel_group(sr_match_travel *t, sr_err *err);
void		sr_match_travel_free(sr_match_travel *t);

/* ---- the pairs of match_assign ---- */

/*
 * An assignment problem built from rows (project_id, premise_id, score) as
 * read, in batches: projects and premises get indices in order of first
 * appearance.  Capacities (premise_id, capacity) come next, in batches too:
 * integers in [0, 1000000] (SR_EDATA naming the premise), a premise listed
 * twice is an error, premises without pairs are ignored, unlisted ones
 * keep capacity 1.
 */
typedef struct sr_match_pairs
{
	sr_match_idmap *pmap,
			   *qmap;
	int			np,
				nq,
				pcap,
				qcap;
	int64_t    *pid,			/* ids of projects (rows), premises (columns) */
			   *qid;
	sr_match_edges e;			/* (row, column, score) */
	int		   *capacity;		/* NULL until capacities are given */
	bool	   *cap_seen;
	const char *cap_source;
} sr_match_pairs;

sr_status	sr_match_pairs_init(sr_match_pairs *b, sr_err *err);
sr_status	sr_match_pairs_add(sr_match_pairs *b, const int64_t *project_id,
							   const int64_t *premise_id, const double *score,
							   int64_t n, sr_err *err);
sr_status	sr_match_pairs_capacities(sr_match_pairs *b, const int64_t *premise_id,
									  const int64_t *capacity, int64_t n,
									  const char *source, sr_err *err);
/* Numbers the projects (rows) and premises (columns) by ascending id, the
 * edges and capacities with them, once the pairs and capacities are read:
 * the solvers then see the same problem whatever the order of the rows of
 * pairs_sql, so that among assignments of equal total the one returned
 * depends on the pairs, scores and capacities only (docs/matching.md). */
sr_status	sr_match_pairs_canonical(sr_match_pairs *b, sr_err *err);
/* The problem (borrowing b's arrays). */
void		sr_match_pairs_problem(const sr_match_pairs *b, sr_match_problem *pb);
/* The score of each row's assigned pair (row_score[i], NaN when row i is
 * unassigned). */
void		sr_match_assigned_scores(const sr_match_problem *pb,
									 const sr_match_solution *sol, double *row_score);
void		sr_match_pairs_free(sr_match_pairs *b);

#endif							/* SR_MATCHING_H */
