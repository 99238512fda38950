/*
 * matching_candidates.c — the k best premises of a project: k-d trees over
 * the premises and an exact best-first branch-and-bound search.
 *
 * A tree splits the premises at the median of one of seven keys: the
 * position (longitude scaled by cos(mid latitude), latitude), surface, rent,
 * capacity, and the kind and amenity bit masks (read as integers, so equal
 * masks end up in the same subtree).  Two trees are built: one on all the
 * keys, one on the position only (for projects with a maximum distance that
 * is small against the extent of the premises).  Each node keeps a summary
 * of its premises: bounding box, union and intersection of the masks, ranges
 * of surface, rent and capacity, availability, and whether every premise
 * knows its surface, rent, capacity and hours.
 *
 * For a project, node_bound() turns a summary into an upper bound of the
 * score of any premise of the node, or -1 when none can pass the hard
 * constraints: each criterion takes its best value over the summary (the
 * distance decay at a lower bound of the great-circle distance to the box),
 * the criteria that apply to every premise are kept, and the others are
 * added only while they raise the weighted mean (the maximum over the
 * subsets that may apply).  Nodes are visited best bound first (a max-heap)
 * and the search stops when the best bound left is below the k-th score, so
 * the result equals a full scan, with or without a maximum distance: far
 * premises are reached only when their other criteria can still beat the
 * k-th score.  In a leaf, the hot fields of each premise (a compact copy in
 * leaf order) give the hard constraints, a per-premise bound and, for those
 * that may still enter the k best, the exact score.
 *
 * sr_match_topk_batch() runs the searches of many projects on several
 * threads: the helpers start with every signal blocked, allocate nothing and
 * never check for interrupts (the caller does, between batches).
 */
#include "sr_matching.h"
#include "sr_parallel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEAF_SIZE 8				/* premises per leaf (at most) */
#define N_KEYS 7				/* split keys, see key_of() */

/* Summary of the premises of a node. */
typedef struct node_sum
{
	int			n;				/* premises */
	double		lat0,
				lat1,
				lon0,
				lon1;			/* bounding box of the points */
	double		cos_min;		/* smallest cos(latitude) over the box */
	uint32_t	kinds,
				amenities,
				amen_and,		/* amenities every premise has */
				activities;
	bool		step_free;
	bool		all_surf,
				all_rent,
				all_cap,
				all_hours,
				any_hours,		/* known for every / some premise */
				all_amen,
				any_amen;		/* amenities listed by every / some premise */
	double		rent_min;		/* over known rents; NAN if none known */
	double		surf_min,
				surf_max;		/* over known surfaces; NAN if none */
	double		cap_min,
				cap_max;		/* over known capacities; NAN if none */
	double		term_min;		/* unknown counts as 0 */
	int32_t		from_min;		/* unknown counts as -infinity */
	int32_t		to_max;			/* unknown counts as +infinity */
} node_sum;

typedef struct kd_node
{
	node_sum	s;
	int			lo,
				hi;				/* premises perm[lo..hi) */
	int			left,
				right;			/* children, -1 for a leaf */
} kd_node;

/* Cheap fields of a premise for the hard constraints, in leaf order. */
typedef struct hot_premise
{
	double		lon,
				lat,
				coslat,
				surface,
				rent,
				term,
				capacity;
	int32_t		from,
				to;
	uint32_t	kinds,
				amenities,
				activities;
	bool		step_free,
				hours_set,
				amen_set;
} hot_premise;

typedef struct kd_tree
{
	int		   *perm;			/* premise indices, leaves contiguous */
	hot_premise *hot;			/* hot[t] for premise perm[t] */
	kd_node    *node;
	int			nn;
} kd_tree;

/*
 * Two trees over the same premises: tree 0 splits on every key (for
 * projects without a small maximum distance: the other criteria matter as
 * much as the position), tree 1 on the position only (for projects with a
 * maximum distance small against the extent of the premises).
 */
struct sr_match_grid
{
	const sr_match_premise *q;
	int			n;
	kd_tree		t[2];
	double		area_km2;		/* of the bounding box of the premises */
};

static void
sum_init(node_sum *s)
{
	memset(s, 0, sizeof(*s));
	s->lat0 = s->lon0 = INFINITY;
	s->lat1 = s->lon1 = -INFINITY;
	s->rent_min = s->surf_min = s->surf_max = s->cap_min = s->cap_max = NAN;
	s->term_min = INFINITY;
	s->from_min = INT32_MAX;
	s->to_max = INT32_MIN;
	s->amen_and = ~(uint32_t) 0;
	s->all_surf = s->all_rent = s->all_cap = s->all_hours = s->all_amen = true;
}

/* fmin/fmax that treat NAN as "nothing yet" */
static double
nmin(double a, double b)
{
	return isnan(a) ? b : (isnan(b) ? a : (a < b ? a : b));
}

static double
nmax(double a, double b)
{
	return isnan(a) ? b : (isnan(b) ? a : (a > b ? a : b));
}

static void
sum_add_premise(node_sum *s, const sr_match_premise *q)
{
	s->n++;
	s->lat0 = fmin(s->lat0, q->lat);
	s->lat1 = fmax(s->lat1, q->lat);
	s->lon0 = fmin(s->lon0, q->lon);
	s->lon1 = fmax(s->lon1, q->lon);
	s->kinds |= q->kinds;
	s->amenities |= q->amenities;
	s->amen_and &= q->amenities;
	s->activities |= q->activities_allowed;
	s->step_free |= q->step_free;
	s->all_surf &= !isnan(q->surface_m2);
	s->all_rent &= !isnan(q->rent_month);
	s->all_cap &= !isnan(q->capacity);
	s->all_hours &= q->hours.set;
	s->any_hours |= q->hours.set;
	s->all_amen &= q->amenities_set;
	s->any_amen |= q->amenities_set;
	s->rent_min = nmin(s->rent_min, q->rent_month);
	s->surf_min = nmin(s->surf_min, q->surface_m2);
	s->surf_max = nmax(s->surf_max, q->surface_m2);
	s->cap_min = nmin(s->cap_min, q->capacity);
	s->cap_max = nmax(s->cap_max, q->capacity);
	s->term_min = fmin(s->term_min, isnan(q->min_term_months) ? 0 : q->min_term_months);
	if (q->available_from == SR_MATCH_NODATE || q->available_from < s->from_min)
		s->from_min = q->available_from == SR_MATCH_NODATE ? INT32_MIN : q->available_from;
	if (q->available_to == SR_MATCH_NODATE)
		s->to_max = INT32_MAX;
	else if (q->available_to > s->to_max)
		s->to_max = q->available_to;
}

/* Summary of the union of two nodes. */
static void
sum_merge(node_sum *s, const node_sum *a, const node_sum *b)
{
	s->n = a->n + b->n;
	s->lat0 = fmin(a->lat0, b->lat0);
	s->lat1 = fmax(a->lat1, b->lat1);
	s->lon0 = fmin(a->lon0, b->lon0);
	s->lon1 = fmax(a->lon1, b->lon1);
	s->kinds = a->kinds | b->kinds;
	s->amenities = a->amenities | b->amenities;
	s->amen_and = a->amen_and & b->amen_and;
	s->activities = a->activities | b->activities;
	s->step_free = a->step_free || b->step_free;
	s->all_surf = a->all_surf && b->all_surf;
	s->all_rent = a->all_rent && b->all_rent;
	s->all_cap = a->all_cap && b->all_cap;
	s->all_hours = a->all_hours && b->all_hours;
	s->any_hours = a->any_hours || b->any_hours;
	s->all_amen = a->all_amen && b->all_amen;
	s->any_amen = a->any_amen || b->any_amen;
	s->rent_min = nmin(a->rent_min, b->rent_min);
	s->surf_min = nmin(a->surf_min, b->surf_min);
	s->surf_max = nmax(a->surf_max, b->surf_max);
	s->cap_min = nmin(a->cap_min, b->cap_min);
	s->cap_max = nmax(a->cap_max, b->cap_max);
	s->term_min = fmin(a->term_min, b->term_min);
	s->from_min = a->from_min < b->from_min ? a->from_min : b->from_min;
	s->to_max = a->to_max > b->to_max ? a->to_max : b->to_max;
}

/* cos is concave on [-90, 90]: its minimum over the box is at an end */
static void
sum_finish(node_sum *s)
{
	s->cos_min = fmax(0.0, fmin(cos(s->lat0 * SR_DEG2RAD), cos(s->lat1 * SR_DEG2RAD)));
}

/* Bits set in x (without the library call __builtin_popcount makes for a
 * generic x86-64 target). */
static inline int
popcount32(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (int) ((x * 0x01010101u) >> 24);
}

/* ---- tree construction ---- */

typedef struct build_ctx
{
	const sr_match_premise *q;
	kd_tree    *t;
	int			nkeys;			/* split on keys 0..nkeys-1 */
	double	   *key[N_KEYS];	/* key[d][j] of premise j */
	double		span[N_KEYS];	/* global spread of each numeric key */
	int			mask_bits[N_KEYS];	/* global varying bits of each mask key */
	int64_t		work;			/* keys read since the last interrupt check */
} build_ctx;

/* Counts n keys read and checks for a cancel every 65,536 or so: the build
 * runs on the backend's thread, and a tree over a million premises reads
 * some 10^8 keys (seconds). */
static void
build_work(build_ctx *b, int64_t n)
{
	b->work += n;
	if (b->work >= 65536)
	{
		b->work = 0;
		sr_check_interrupts();
	}
}

/* Key d of premise q: unknown numbers sort first (as -1). */
static double
key_of(const sr_match_premise *q, int d, double coslat)
{
	switch (d)
	{
		case 0:
			return q->lon * coslat;
		case 1:
			return q->lat;
		case 2:
			return isnan(q->surface_m2) ? -1 : q->surface_m2;
		case 3:
			return isnan(q->rent_month) ? -1 : q->rent_month;
		case 4:
			return isnan(q->capacity) ? -1 : q->capacity;
		case 5:
			return (double) q->kinds;
		default:
			return (double) q->amenities;
	}
}

/* Builds node idx over perm[lo..hi) and its subtree.  Leaves summarise
 * their premises, inner nodes merge their children, which are stored side
 * by side (one memory access brings both). */
static void
build_node(build_ctx *b, int idx, int lo, int hi, int depth)
{
	kd_tree    *tr = b->t;
	kd_node    *nd = &tr->node[idx];	/* the array never moves */
	int			best = -1;
	double		best_spread = 0;

	nd->lo = lo;
	nd->hi = hi;
	nd->left = nd->right = -1;
	if (hi - lo > LEAF_SIZE && depth <= 64)
	{
		/* split on the key with the widest spread relative to the whole
		 * set (masks: share of the bits that vary; ties prefer masks) */
		for (int d = b->nkeys - 1; d >= 0; d--)
		{
			double		spread;

			if (d >= 5)
			{
				uint32_t	o = 0,
							a = ~(uint32_t) 0;

				for (int t = lo; t < hi; t++)
				{
					uint32_t	m = (uint32_t) b->key[d][tr->perm[t]];

					o |= m;
					a &= m;
				}
				spread = b->mask_bits[d] > 0 ?
					(double) popcount32(o ^ a) / b->mask_bits[d] : 0;
			}
			else
			{
				const double *k = b->key[d];
				double		kmin = INFINITY,
							kmax = -INFINITY;

				for (int t = lo; t < hi; t++)
				{
					double		v = k[tr->perm[t]];

					kmin = v < kmin ? v : kmin;
					kmax = v > kmax ? v : kmax;
				}
				spread = b->span[d] > 0 ? (kmax - kmin) / b->span[d] : 0;
			}
			build_work(b, hi - lo);
			if (spread > best_spread)
			{
				best_spread = spread;
				best = d;
			}
		}
	}
	if (best < 0)
	{
		/* a leaf (small, or identical keys) */
		sum_init(&nd->s);
		for (int t = lo; t < hi; t++)
			sum_add_premise(&nd->s, &b->q[tr->perm[t]]);
		/* a record read whole, out of order: as much as 8 keys */
		build_work(b, 8 * (int64_t) (hi - lo));
	}
	else
	{
		int			mid = lo + (hi - lo) / 2;
		int			l = tr->nn;

		tr->nn += 2;
		sr_select_nth(tr->perm + lo, hi - lo, mid - lo, b->key[best], 1);
		build_work(b, 2 * (int64_t) (hi - lo));
		build_node(b, l, lo, mid, depth + 1);
		build_node(b, l + 1, mid, hi, depth + 1);
		nd->left = l;
		nd->right = l + 1;
		sum_merge(&nd->s, &tr->node[l].s, &tr->node[l + 1].s);
	}
	sum_finish(&nd->s);
}

/* Builds one tree splitting on keys 0..nkeys-1.  -1 out of memory (what was
 * allocated is left in tr for sr_match_grid_free). */
static int
build_tree(build_ctx *b, kd_tree *tr, int nkeys, int n)
{
	/* median splits stop at LEAF_SIZE: leaves hold at least LEAF_SIZE / 2
	 * premises, so there are fewer than 2n / (LEAF_SIZE / 2) + 1 nodes */
	int			max_nodes = (int) (2 * ((int64_t) n / (LEAF_SIZE / 2) + 1) + 1);

	tr->perm = sr_alloc(((size_t) n + 1) * sizeof(int));
	tr->hot = sr_alloc(((size_t) n + 1) * sizeof(hot_premise));
	tr->node = sr_alloc((size_t) max_nodes * sizeof(kd_node));
	tr->nn = 0;
	if (!tr->perm || !tr->hot || !tr->node)
		return -1;
	if (n == 0)
		return 0;
	for (int j = 0; j < n; j++)
		tr->perm[j] = j;
	b->t = tr;
	b->nkeys = nkeys;
	tr->nn = 1;
	build_node(b, 0, 0, n, 0);
	for (int t = 0; t < n; t++)
	{
		const sr_match_premise *q = &b->q[tr->perm[t]];
		hot_premise *h = &tr->hot[t];

		/* (records read out of order: a check every 8,192) */
		if ((t & 8191) == 8191)
			sr_check_interrupts();
		h->lon = q->lon;
		h->lat = q->lat;
		h->coslat = cos(q->lat * SR_DEG2RAD);
		h->surface = q->surface_m2;
		h->rent = q->rent_month;
		h->term = q->min_term_months;
		h->from = q->available_from;
		h->to = q->available_to;
		h->kinds = q->kinds;
		h->amenities = q->amenities;
		h->activities = q->activities_allowed;
		h->step_free = q->step_free;
		h->capacity = q->capacity;
		h->hours_set = q->hours.set;
		h->amen_set = q->amenities_set;
	}
	return 0;
}

sr_status
sr_match_grid_build(const sr_match_premise *q, int n, sr_match_grid **out,
					sr_err *err)
{
	sr_match_grid *g;
	build_ctx	b;
	double		lat_min = INFINITY,
				lat_max = -INFINITY,
				lon_min = INFINITY,
				lon_max = -INFINITY,
				coslat;

	*out = NULL;
	for (int j = 0; j < n; j++)
	{
		if (isnan(q[j].lon) || isnan(q[j].lat))
		{
			sr_error(err, SR_EDATA, "premise %lld has no location", (long long) q[j].id);
			sr_error_hint(err, "Give a \"location\" point or \"lon\" and \"lat\" for every premise.");
			return SR_EDATA;
		}
		lat_min = fmin(lat_min, q[j].lat);
		lat_max = fmax(lat_max, q[j].lat);
		lon_min = fmin(lon_min, q[j].lon);
		lon_max = fmax(lon_max, q[j].lon);
	}
	g = sr_alloc0(sizeof(*g));
	if (!g)
		return sr_error(err, SR_ENOMEM, "out of memory");
	g->q = q;
	g->n = n;
	coslat = n > 0 ? fmax(0.05, cos(0.5 * (lat_min + lat_max) * SR_DEG2RAD)) : 1;
	g->area_km2 = n > 0 ? (lat_max - lat_min) * (lon_max - lon_min) * coslat *
		pow(SR_MATCH_EARTH_RADIUS_KM * SR_DEG2RAD, 2) : 0;
	memset(&b, 0, sizeof(b));
	b.q = q;
	for (int d = 0; d < N_KEYS && n > 0; d++)
	{
		double		lo = INFINITY,
					hi = -INFINITY;

		b.key[d] = sr_alloc((size_t) n * sizeof(double));
		if (!b.key[d])
			goto oom;
		for (int j = 0; j < n; j++)
		{
			if ((j & 65535) == 65535)
				sr_check_interrupts();
			b.key[d][j] = key_of(&q[j], d, coslat);
			lo = fmin(lo, b.key[d][j]);
			hi = fmax(hi, b.key[d][j]);
		}
		b.span[d] = hi - lo;
	}
	{
		uint32_t	o[2] = {0, 0},
					a[2] = {~(uint32_t) 0, ~(uint32_t) 0};

		for (int j = 0; j < n; j++)
		{
			o[0] |= q[j].kinds;
			a[0] &= q[j].kinds;
			o[1] |= q[j].amenities;
			a[1] &= q[j].amenities;
		}
		b.mask_bits[5] = popcount32(o[0] ^ a[0]);
		b.mask_bits[6] = popcount32(o[1] ^ a[1]);
	}
	if (build_tree(&b, &g->t[0], N_KEYS, n) < 0 || build_tree(&b, &g->t[1], 2, n) < 0)
		goto oom;
	for (int d = 0; d < N_KEYS; d++)
		sr_free(b.key[d]);
	*out = g;
	return SR_OK;
oom:
	for (int d = 0; d < N_KEYS; d++)
		sr_free(b.key[d]);
	sr_match_grid_free(g);
	return sr_error(err, SR_ENOMEM, "out of memory");
}

void
sr_match_grid_free(sr_match_grid *g)
{
	if (!g)
		return;
	for (int i = 0; i < 2; i++)
	{
		sr_free(g->t[i].perm);
		sr_free(g->t[i].hot);
		sr_free(g->t[i].node);
	}
	sr_free(g);
}

/* ---- bounded "k best" heap: the worst kept item is at the top ---- */

typedef struct
{
	sr_match_topk_item *a;
	int			n,
				k;
	const sr_match_premise *q;
} kbest;

/* true when x is worse than y (lower score, or same score, higher id) */
static inline bool
worse(const kbest *b, const sr_match_topk_item *x, const sr_match_topk_item *y)
{
	if (x->score != y->score)
		return x->score < y->score;
	return b->q[x->premise].id > b->q[y->premise].id;
}

/* Moves item it down from slot i of a heap of n items. */
static void
kbest_sift_down(kbest *b, int i, int n, sr_match_topk_item it)
{
	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && worse(b, &b->a[c + 1], &b->a[c]))
			c++;
		if (!worse(b, &b->a[c], &it))
			break;
		b->a[i] = b->a[c];
		i = c;
	}
	b->a[i] = it;
}

static void
kbest_offer(kbest *b, int premise, double score)
{
	sr_match_topk_item it = {premise, score};
	int			i;

	if (b->n < b->k)
	{
		i = b->n++;
		while (i > 0)
		{
			int			p = (i - 1) / 2;

			if (!worse(b, &it, &b->a[p]))
				break;
			b->a[i] = b->a[p];
			i = p;
		}
		b->a[i] = it;
		return;
	}
	if (!worse(b, &b->a[0], &it))
		return;
	kbest_sift_down(b, 0, b->n, it);
}

/* Sorts the kept items best first (heap sort: the worst goes last);
 * no global state, so threads may call it. */
static void
kbest_finish(kbest *b, int *n_out)
{
	for (int n = b->n; n > 1; n--)
	{
		sr_match_topk_item worst = b->a[0];

		kbest_sift_down(b, 0, n - 1, b->a[n - 1]);
		b->a[n - 1] = worst;
	}
	*n_out = b->n;
}

/* score of one pair, 0 when infeasible; plugins through rescore */
static inline double
pair_score(const sr_match_project *p, const sr_match_premise *q, int j,
		   const sr_match_weights *w, double travel_min,
		   sr_match_rescore_fn rescore, void *ctx)
{
	double		s = sr_match_pair_score(p, &q[j], w, travel_min, NULL, 0, NULL);

	if (s > 0 && rescore)
		s = rescore(ctx, p, j, travel_min);
	return s;
}

/* ---- bound of a node ---- */

/* Per-project constants of the bound. */
typedef struct pbound
{
	const sr_match_project *p;
	const sr_match_weights *w;
	bool		has_loc;
	double		coslat;			/* cos of the project's latitude */
	double		surf_target;	/* NAN: surface criterion never applies */
	int			wished_n;
	bool		hours_apply;	/* the project needs some hours */
	double		extra_w;		/* weights of plugin criteria */
} pbound;

static void
pbound_init(pbound *pb, const sr_match_project *p, const sr_match_weights *w,
			double extra_weight_total)
{
	pb->p = p;
	pb->w = w;
	pb->has_loc = !isnan(p->lon) && !isnan(p->lat);
	pb->coslat = pb->has_loc ? cos(p->lat * SR_DEG2RAD) : 0;
	pb->surf_target = NAN;
	if (!isnan(p->surface_min_m2) && !isnan(p->surface_max_m2))
		pb->surf_target = 0.5 * (p->surface_min_m2 + p->surface_max_m2);
	else if (!isnan(p->surface_min_m2))
		pb->surf_target = p->surface_min_m2;
	else if (!isnan(p->surface_max_m2))
		pb->surf_target = p->surface_max_m2;
	if (!(pb->surf_target > 0))
		pb->surf_target = NAN;
	pb->wished_n = popcount32(p->amenities_wished);
	pb->hours_apply = false;
	if (p->hours.set)
		for (int d = 0; d < 7; d++)
			if (p->hours.n[d] > 0)
				pb->hours_apply = true;
	pb->extra_w = extra_weight_total;
}

/* sin(y) >= y - y^3/6 >= 0 for 0 <= y <= sqrt(6): a lower bound of sin
 * without calling sin */
static inline double
sin_lower(double y)
{
	return y * (1.0 - y * y * (1.0 / 6.0));
}

/*
 * A lower bound of the great-circle distance in km from the project to any
 * point of the box: each term of the haversine a = sin^2(dphi/2) +
 * cos(phi1) cos(phi2) sin^2(dlon/2) is at least its value at the smallest
 * |dphi|, |dlon| and cos(phi2) over the box; then sin(y) >= y - y^3/6 and
 * 2R asin(sqrt(a)) >= 2R sqrt(a) keep it a lower bound without calling the
 * trigonometric functions (the bound is about theta^2 / 24 short, theta the
 * angle: 0.1 % at 1,000 km).
 */
static double
box_min_km(const pbound *pb, const node_sum *s)
{
	const sr_match_project *p = pb->p;
	double		dphi = 0,
				dl = 0,
				sp,
				sl,
				a;

	if (p->lat < s->lat0)
		dphi = s->lat0 - p->lat;
	else if (p->lat > s->lat1)
		dphi = p->lat - s->lat1;
	if (p->lon < s->lon0 || p->lon > s->lon1)
	{
		double		a0 = fabs(p->lon - s->lon0),
					a1 = fabs(p->lon - s->lon1);

		a0 = a0 > 180 ? 360 - a0 : a0;
		a1 = a1 > 180 ? 360 - a1 : a1;
		dl = a0 < a1 ? a0 : a1;
	}
	if (dphi == 0 && dl == 0)
		return 0;
	/* half angles are at most pi/2 < sqrt(6) */
	sp = sin_lower(0.5 * dphi * SR_DEG2RAD);
	sl = sin_lower(0.5 * dl * SR_DEG2RAD);
	a = sp * sp + pb->coslat * s->cos_min * sl * sl;
	/* shave a little for rounding: a lower bound must stay one */
	return 2.0 * SR_MATCH_EARTH_RADIUS_KM * sqrt(a) * (1 - 1e-9);
}

/* The largest weighted mean (num + sum bw bv) / (den + sum bw) over the
 * subsets of the optional criteria (bw, bv): add them by decreasing value
 * while they raise the mean.  A zero total weight scores 1 (nothing to
 * compare). */
static double
best_mean(double num, double den, double *bw, const double *bv, int nb)
{
	if (!(den > 0))
		return 1.0;
	for (;;)
	{
		int			best = -1;

		for (int i = 0; i < nb; i++)
			if (bw[i] > 0 && (best < 0 || bv[i] > bv[best]))
				best = i;
		if (best < 0 || bv[best] <= num / den)
			break;
		num += bw[best] * bv[best];
		den += bw[best];
		bw[best] = 0;
	}
	return num / den * (1 + 1e-12) + 1e-12;
}

/*
 * Upper bound of the score of any premise of node s, or -1 when no premise
 * of it can pass the hard constraints.  When the bound without the distance
 * criterion (distance at 0 km) is already below tau, it is returned without
 * computing the distance to the box.
 */
static double
node_bound(const pbound *pb, const node_sum *s, double tau)
{
	const sr_match_project *p = pb->p;
	const sr_match_weights *w = pb->w;
	double		bw[SR_CRIT_N + 1],
				bv[SR_CRIT_N + 1],
				cw[SR_CRIT_N + 1];
	int			nb = 0;
	double		num = 0,
				den = 0,
				wd,
				ub;

	if (s->n == 0)
		return -1;
	/* hard constraints that no premise of the node can pass */
	if (p->kinds && !(p->kinds & s->kinds))
		return -1;
	if (!isnan(p->budget_month) && (isnan(s->rent_min) || s->rent_min > p->budget_month))
		return -1;
	if (!isnan(p->surface_min_m2) || !isnan(p->surface_max_m2))
	{
		if (isnan(s->surf_min) ||
			(!isnan(p->surface_max_m2) && s->surf_min > p->surface_max_m2) ||
			(!isnan(p->surface_min_m2) && s->surf_max < p->surface_min_m2))
			return -1;
	}
	if ((p->amenities_required & s->amenities) != p->amenities_required)
		return -1;
	if ((p->activities & s->activities) != p->activities)
		return -1;
	if (p->step_free_needed && !s->step_free)
		return -1;
	if (p->start_date != SR_MATCH_NODATE &&
		(s->from_min > p->start_date || s->to_max < p->start_date))
		return -1;
	if (!isnan(p->duration_months) && s->term_min > p->duration_months)
		return -1;

	/* soft criteria at their best value over the summary: those that apply
	 * to every premise of the node go into num/den, the others into bw/bv */
#define ADD(weight, value, always) do { \
		if (always) { num += (weight) * (value); den += (weight); } \
		else { bw[nb] = (weight); bv[nb++] = (value); } \
	} while (0)
	if (!isnan(pb->surf_target) && !isnan(s->surf_min))
	{
		double		t = pb->surf_target;
		double		sv = t < s->surf_min ? s->surf_min : (t > s->surf_max ? s->surf_max : t);

		double		v = 1.0 - fabs(sv - t) / t;

		ADD(w->w[SR_CRIT_SURFACE], v > 0 ? v : 0.0, s->all_surf);
	}
	if (p->budget_month > 0 && !isnan(s->rent_min))
	{
		double		v = 1.0 - 0.5 * s->rent_min / p->budget_month;

		ADD(w->w[SR_CRIT_PRICE], v < 0 ? 0.0 : (v > 1 ? 1.0 : v), s->all_rent);
	}
	if (pb->wished_n > 0 && s->any_amen)
	{
		/* Jaccard |W & A| / (|W| + |A \ W|): the intersection is at most
		 * W & (union), A \ W holds at least (intersection) \ W (an
		 * unknown set counts as empty in both: the bound stays one); it
		 * applies to the premises that list their amenities */
		double		v = (double) popcount32(p->amenities_wished & s->amenities) /
			(pb->wished_n + popcount32(s->amen_and & ~p->amenities_wished));

		ADD(w->w[SR_CRIT_AMENITIES], v, s->all_amen);
	}
	if (pb->hours_apply && s->any_hours)
		ADD(w->w[SR_CRIT_HOURS], 1.0, s->all_hours);
	if (p->team_size > 0 && !isnan(s->cap_min))
	{
		double		t = p->team_size;
		double		c = t < s->cap_min ? s->cap_min : (t > s->cap_max ? s->cap_max : t);

		ADD(w->w[SR_CRIT_CAPACITY], c <= 0 ? 0.0 : (t < c ? t / c : c / t), s->all_cap);
	}
	if (pb->extra_w > 0)
		ADD(pb->extra_w, 1.0, false);
#undef ADD
	if (!pb->has_loc)
		return best_mean(num, den, bw, bv, nb);

	/* every premise has a location: the distance always applies */
	wd = w->w[SR_CRIT_DISTANCE];
	if (isnan(p->max_distance_km))
	{
		memcpy(cw, bw, sizeof(double) * nb);
		ub = best_mean(num + wd, den + wd, cw, bv, nb);
		if (ub < tau)
			return ub;
	}
	{
		double		lb = box_min_km(pb, s);

		if (!isnan(p->max_distance_km) && lb > p->max_distance_km)
			return -1;
		return best_mean(num + wd * sr_match_decay_value(w->decay, lb, w->distance_scale_km),
						 den + wd, bw, bv, nb);
	}
}

/* ---- best-first search ---- */

typedef struct qent
{
	double		bound;
	int			node;
} qent;

/* Max-heap of nodes by bound. */
static void
q_push(qent *h, int *n, double bound, int node)
{
	int			i = (*n)++;

	while (i > 0)
	{
		int			p = (i - 1) / 2;

		if (h[p].bound >= bound)
			break;
		h[i] = h[p];
		i = p;
	}
	h[i].bound = bound;
	h[i].node = node;
}

static qent
q_pop(qent *h, int *n)
{
	qent		top = h[0],
				last = h[--(*n)];
	int			i = 0;

	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && h[c + 1].bound > h[c].bound)
			c++;
		if (h[c].bound <= last.bound)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*n > 0)
		h[i] = last;
	return top;
}

/* The hard constraints on the hot fields, as check_hard() evaluates them
 * (the travel limit aside): false when the pair is infeasible. */
static inline bool
hot_feasible(const sr_match_project *p, const hot_premise *h)
{
	if (p->kinds && !(p->kinds & h->kinds))
		return false;
	if (!isnan(p->surface_min_m2) || !isnan(p->surface_max_m2))
	{
		if (isnan(h->surface) ||
			(!isnan(p->surface_min_m2) && h->surface < p->surface_min_m2) ||
			(!isnan(p->surface_max_m2) && h->surface > p->surface_max_m2))
			return false;
	}
	if (!isnan(p->budget_month) && !(h->rent <= p->budget_month))
		return false;
	if (p->start_date != SR_MATCH_NODATE &&
		((h->from != SR_MATCH_NODATE && h->from > p->start_date) ||
		 (h->to != SR_MATCH_NODATE && h->to < p->start_date)))
		return false;
	if (!isnan(p->duration_months) && !isnan(h->term) && h->term > p->duration_months)
		return false;
	if (p->step_free_needed && !h->step_free)
		return false;
	if (p->amenities_required &&
		(!h->amen_set || (p->amenities_required & h->amenities) != p->amenities_required))
		return false;
	if ((p->activities & h->activities) != p->activities)
		return false;
	return true;
}

/* Lower bound in km of the great-circle distance from the project to a
 * premise, without trigonometric calls (as box_min_km() for a point). */
static inline double
point_min_km(const pbound *pb, const hot_premise *h)
{
	double		dphi = fabs(pb->p->lat - h->lat),
				dl = fabs(pb->p->lon - h->lon),
				sp,
				sl;

	dl = dl > 180 ? 360 - dl : dl;
	sp = sin_lower(0.5 * dphi * SR_DEG2RAD);
	sl = sin_lower(0.5 * dl * SR_DEG2RAD);
	return 2.0 * SR_MATCH_EARTH_RADIUS_KM *
		sqrt(sp * sp + pb->coslat * h->coslat * sl * sl) * (1 - 1e-9);
}

/* Weighted mean num / den, with the plugin criteria (NULL or up to 1)
 * counted when they raise it, rounded up; 1 for a zero total weight. */
static inline double
mean_up(const pbound *pb, double num, double den)
{
	if (pb->extra_w > 0 && den > 0 && num < den)
	{
		num += pb->extra_w;
		den += pb->extra_w;
	}
	return den > 0 ? num / den * (1 + 1e-12) + 1e-12 : 1.0;
}

/*
 * Upper bound of the score of one feasible premise from its hot fields,
 * the opening hours taken as fully covered: the criteria are those of
 * soft_criteria() in matching_score.c, the distance first at 0 km and, if
 * that bound reaches tau, at a lower bound of the distance.
 */
static double
hot_bound(const pbound *pb, const hot_premise *h, double tau)
{
	const sr_match_project *p = pb->p;
	const sr_match_weights *w = pb->w;
	double		num = 0,
				den = 0,
				wd = pb->has_loc ? w->w[SR_CRIT_DISTANCE] : 0,
				ub;

	if (!isnan(pb->surf_target) && !isnan(h->surface))
	{
		double		v = 1.0 - fabs(h->surface - pb->surf_target) / pb->surf_target;

		num += w->w[SR_CRIT_SURFACE] * (v < 0 ? 0 : v);
		den += w->w[SR_CRIT_SURFACE];
	}
	if (p->budget_month > 0 && !isnan(h->rent))
	{
		double		v = 1.0 - 0.5 * h->rent / p->budget_month;

		num += w->w[SR_CRIT_PRICE] * (v < 0 ? 0 : (v > 1 ? 1 : v));
		den += w->w[SR_CRIT_PRICE];
	}
	if (p->amenities_wished && h->amen_set)
	{
		num += w->w[SR_CRIT_AMENITIES] *
			(double) popcount32(p->amenities_wished & h->amenities) /
			popcount32(p->amenities_wished | h->amenities);
		den += w->w[SR_CRIT_AMENITIES];
	}
	if (pb->hours_apply && h->hours_set)
	{
		num += w->w[SR_CRIT_HOURS];
		den += w->w[SR_CRIT_HOURS];
	}
	if (!isnan(p->team_size) && !isnan(h->capacity) &&
		(p->team_size > 0 || h->capacity > 0))
	{
		double		lo = p->team_size < h->capacity ? p->team_size : h->capacity;
		double		hi = p->team_size < h->capacity ? h->capacity : p->team_size;

		num += w->w[SR_CRIT_CAPACITY] * lo / hi;
		den += w->w[SR_CRIT_CAPACITY];
	}
	/* every premise has a location: the distance applies when the project
	 * has one */
	ub = mean_up(pb, num + wd, den + wd);
	if (ub < tau || !pb->has_loc)
		return ub;
	return mean_up(pb, num + wd * sr_match_decay_value(w->decay, point_min_km(pb, h),
													   w->distance_scale_km),
				   den + wd);
}

/* The tree for project p: the position-only tree when its maximum
 * distance covers a small part of the premises' extent. */
static const kd_tree *
tree_for(const sr_match_grid *g, const sr_match_project *p)
{
	if (!isnan(p->lon) && !isnan(p->max_distance_km) &&
		SR_PI * p->max_distance_km * p->max_distance_km < 0.02 * g->area_km2)
		return &g->t[1];
	return &g->t[0];
}

/*
 * The k best premises of p into out; heap is a work array of as many
 * entries as the tree has nodes.  interrupts: whether sr_check_interrupts()
 * may be called (main thread only).
 */
static void
topk_search(const sr_match_grid *g, const sr_match_project *p,
			const sr_match_weights *w, int k, double extra_weight_total,
			sr_match_rescore_fn rescore, void *ctx, qent *heap,
			bool interrupts, sr_match_topk_item *out, int *n_out)
{
	const kd_tree *tr = tree_for(g, p);
	kbest		b = {out, 0, k, g->q};
	pbound		pb;
	int			nh = 0;
	long		pops = 0;
	double		ub;

	*n_out = 0;
	if (tr->nn == 0)
		return;
	pbound_init(&pb, p, w, extra_weight_total);
	ub = node_bound(&pb, &tr->node[0].s, -INFINITY);
	if (ub >= 0)
		q_push(heap, &nh, ub, 0);
	while (nh > 0)
	{
		qent		e = q_pop(heap, &nh);
		const kd_node *nd = &tr->node[e.node];
		/* strict: a premise at the k-th score may still win on its id */
		double		tau = b.n == b.k ? b.a[0].score : -INFINITY;

		if (e.bound < tau)
			break;
		if (nd->left < 0)
		{
			for (int t = nd->lo; t < nd->hi; t++)
			{
				int			j = tr->perm[t];
				double		s;

				if (!hot_feasible(p, &tr->hot[t]))
					continue;
				/* skip the exact score when the bound cannot beat the k-th */
				if (b.n == b.k && hot_bound(&pb, &tr->hot[t], b.a[0].score) < b.a[0].score)
					continue;
				if (rescore)
					s = pair_score(p, g->q, j, w, NAN, rescore, ctx);
				else
				{
					/* the score from the hot fields, as sr_match_pair_score()
					 * computes it (the opening hours from the record) */
					const hot_premise *h = &tr->hot[t];
					double		dist = isnan(p->lon) ? NAN :
						sr_match_haversine_km(p->lon, p->lat, h->lon, h->lat);
					sr_match_premise_soft qs = {h->surface, h->rent, h->capacity,
						h->amenities, h->amen_set, h->hours_set ? &g->q[j].hours : NULL};

					if (!isnan(p->max_distance_km) && !(dist <= p->max_distance_km))
						continue;
					s = sr_match_feasible_score(p, &qs, w, dist, NAN);
				}
				if (s > 0)
					kbest_offer(&b, j, s);
			}
		}
		else
		{
			int			ch[2] = {nd->left, nd->right};

			for (int c = 0; c < 2; c++)
			{
				double		cb;

				tau = b.n == b.k ? b.a[0].score : -INFINITY;
				cb = node_bound(&pb, &tr->node[ch[c]].s, tau);
				if (cb >= 0 && cb >= tau)
				{
					const kd_node *cn = &tr->node[ch[c]];

					q_push(heap, &nh, cb, ch[c]);
					/* it is often popped next: start loading what it reads */
					if (cn->left >= 0)
					{
						__builtin_prefetch(&tr->node[cn->left]);
						__builtin_prefetch((const char *) &tr->node[cn->left] + 64);
						__builtin_prefetch((const char *) &tr->node[cn->left] + 128);
						__builtin_prefetch((const char *) &tr->node[cn->left] + 192);
						__builtin_prefetch((const char *) &tr->node[cn->left] + 256);
					}
					else
						for (int t = cn->lo; t < cn->hi; t += 64 / (int) sizeof(hot_premise) + 1)
							__builtin_prefetch(&tr->hot[t]);
				}
			}
		}
		if (interrupts && (++pops & 4095) == 0)
			sr_check_interrupts();
	}
	kbest_finish(&b, n_out);
}

/* Work array large enough for the search in either tree. */
static qent *
heap_alloc(const sr_match_grid *g)
{
	int			nn = g->t[0].nn > g->t[1].nn ? g->t[0].nn : g->t[1].nn;

	return sr_alloc(((size_t) nn + 1) * sizeof(qent));
}

sr_status
sr_match_topk(const sr_match_grid *g, const sr_match_project *p,
			  const sr_match_weights *w, int k, double extra_weight_total,
			  sr_match_rescore_fn rescore, void *ctx,
			  sr_match_topk_item *out, int *n_out, sr_err *err)
{
	qent	   *heap;

	*n_out = 0;
	if (k <= 0)
		return sr_error(err, SR_EINVAL, "k must be at least 1, got %d", k);
	heap = heap_alloc(g);
	if (!heap)
		return sr_error(err, SR_ENOMEM, "out of memory");
	topk_search(g, p, w, k, extra_weight_total, rescore, ctx, heap, true, out, n_out);
	sr_free(heap);
	return SR_OK;
}

/* ---- several projects on several threads ---- */

typedef struct batch_worker
{
	const sr_match_grid *g;
	const sr_match_project *p;
	int			np;
	const sr_match_weights *w;
	int			k;
	sr_match_topk_item *out;
	int		   *n_out;
	qent	   *heap;
	sr_match_topk_item *buf;	/* k items: the k best of this worker's project */
	int		   *next;			/* shared: next project to take */
} batch_worker;

/* Takes projects one at a time until none is left; no allocation, no
 * interrupt check (it may run on a helper thread). */
static void
batch_worker_main(void *arg, int t, int n)
{
	batch_worker *bw = &((batch_worker *) arg)[t];

	for (;;)
	{
		int			i = __atomic_fetch_add(bw->next, 1, __ATOMIC_RELAXED);

		if (i >= bw->np)
			break;
		/* search in a private buffer: the threads would otherwise write
		 * to the same cache lines of out for neighbouring projects */
		topk_search(bw->g, &bw->p[i], bw->w, bw->k, 0, NULL, NULL, bw->heap, false,
					bw->buf, &bw->n_out[i]);
		memcpy(bw->out + (size_t) i * bw->k, bw->buf,
			   sizeof(sr_match_topk_item) * bw->n_out[i]);
	}
}

sr_status
sr_match_topk_batch(const sr_match_grid *g, const sr_match_project *p, int np,
					const sr_match_weights *w, int k, int nthreads,
					sr_match_topk_item *out, int *n_out, sr_err *err)
{
	batch_worker W[SR_MAX_THREADS];
	int			next = 0;

	if (k <= 0)
		return sr_error(err, SR_EINVAL, "k must be at least 1, got %d", k);
	nthreads = sr_parallel_threads(nthreads, np);
	for (int t = 0; t < nthreads; t++)
	{
		W[t].g = g;
		W[t].p = p;
		W[t].np = np;
		W[t].w = w;
		W[t].k = k;
		W[t].out = out;
		W[t].n_out = n_out;
		W[t].next = &next;
		W[t].heap = heap_alloc(g);
		W[t].buf = sr_alloc(sizeof(sr_match_topk_item) * (size_t) k);
		if (!W[t].heap || !W[t].buf)
		{
			for (int u = 0; u <= t; u++)
			{
				sr_free(W[u].heap);
				sr_free(W[u].buf);
			}
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
	}
	/* projects are taken one at a time from a shared counter, so a helper
	 * that could not start leaves its projects to the others */
	sr_parallel_run(nthreads, batch_worker_main, W);
	for (int t = 0; t < nthreads; t++)
	{
		sr_free(W[t].heap);
		sr_free(W[t].buf);
	}
	return SR_OK;
}

sr_status
sr_match_topk_list(const sr_match_premise *q, const sr_match_project *p,
				   const sr_match_weights *w, int k, const int *cand,
				   const double *minutes, int ncand,
				   sr_match_rescore_fn rescore, void *ctx,
				   sr_match_topk_item *out, int *n_out, sr_err *err)
{
	kbest		b = {out, 0, k, q};

	*n_out = 0;
	if (k <= 0)
		return sr_error(err, SR_EINVAL, "k must be at least 1, got %d", k);
	for (int t = 0; t < ncand; t++)
	{
		double		s = pair_score(p, q, cand[t], w, minutes[t], rescore, ctx);

		if (s > 0)
			kbest_offer(&b, cand[t], s);
	}
	kbest_finish(&b, n_out);
	return SR_OK;
}
