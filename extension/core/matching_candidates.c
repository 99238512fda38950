/*
 * matching_candidates.c — the k best premises of a project with a uniform
 * grid index over longitude/latitude and an exact ring search.
 *
 * The grid has cells of cell_lat x cell_lon degrees (cell_lon widened by
 * 1/cos(mid latitude) so cells are about square on the ground), sized for
 * about four premises per cell.  Rings of cells are visited outwards from
 * the project's cell; a premise in ring r >= 1 is at least
 *   min(R * (r-1) * cell_lat, 2R asin(cos(phi_max) sin((r-1) * cell_lon / 2)))
 * away (haversine: a >= cos(phi1)cos(phi2)sin^2(dlon/2)), which bounds its
 * score by (w_d f(d) + A) / (w_d + A), A the sum of the weights of the other
 * criteria that can apply to the project.  The search stops when that bound
 * falls below the k-th best score, so the result equals a full scan.
 *
 * Each cell also keeps a summary of its premises (union of kinds, amenities
 * and activities, smallest rent, surface and capacity ranges, ...): a cell
 * where no premise can pass the hard constraints, or whose best possible
 * score (each criterion at its best value over the summary, distance at the
 * ring's lower bound) is below the k-th score, is skipped without scoring
 * its premises.
 */
#include "sr_matching.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Summary of the premises of a cell or a block. */
typedef struct node_sum
{
	int			n;				/* premises */
	double		lat0,
				lat1,
				lon0,
				lon1;			/* bounding box of the points */
	uint32_t	kinds,
				amenities,
				activities;
	bool		step_free;
	double		rent_min;		/* over known rents; NAN if none known */
	double		surf_min,
				surf_max;		/* over known surfaces; NAN if none */
	double		cap_min,
				cap_max;		/* over known capacities; NAN if none */
	double		term_min;		/* unknown counts as 0 */
	int32_t		from_min;		/* unknown counts as -infinity */
	int32_t		to_max;			/* unknown counts as +infinity */
} node_sum;

struct sr_match_grid
{
	const sr_match_premise *q;
	int			n;
	double		lon0,
				lat0,			/* south-west corner */
				cell_lon,
				cell_lat;		/* degrees */
	int			nx,
				ny;
	int		   *start;			/* nx*ny+1 */
	int		   *items;			/* premise indices by cell */
	node_sum   *cell;			/* nx*ny summaries */
	double		max_abs_lat;
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
	s->activities |= q->activities_allowed;
	s->step_free |= q->step_free;
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


sr_status
sr_match_grid_build(const sr_match_premise *q, int n, sr_match_grid **out,
					sr_err *err)
{
	sr_match_grid *g;
	double		lon_min = INFINITY,
				lon_max = -INFINITY,
				lat_min = INFINITY,
				lat_max = -INFINITY;
	double		w,
				h,
				cell,
				coslat;
	int		   *fill;

	*out = NULL;
	for (int j = 0; j < n; j++)
	{
		if (isnan(q[j].lon) || isnan(q[j].lat))
		{
			sr_error(err, SR_EDATA, "premise %lld has no location", (long long) q[j].id);
			sr_error_hint(err, "Give a \"location\" point or \"lon\" and \"lat\" for every premise.");
			return SR_EDATA;
		}
		lon_min = fmin(lon_min, q[j].lon);
		lon_max = fmax(lon_max, q[j].lon);
		lat_min = fmin(lat_min, q[j].lat);
		lat_max = fmax(lat_max, q[j].lat);
	}
	g = sr_alloc0(sizeof(*g));
	g->q = q;
	g->n = n;
	if (n == 0)
	{
		lon_min = lon_max = lat_min = lat_max = 0;
	}
	coslat = cos(0.5 * (lat_min + lat_max) * SR_DEG2RAD);
	if (coslat < 0.05)
		coslat = 0.05;
	/* ground-square cells, about 4 premises each */
	w = (lon_max - lon_min) * coslat;
	h = lat_max - lat_min;
	cell = sqrt(fmax(w * h, 1e-12) * 4.0 / (n > 0 ? n : 1));
	if (cell <= 0 || !isfinite(cell))
		cell = 0.01;
	cell = fmax(cell, 1e-4);
	g->cell_lat = cell;
	g->cell_lon = cell / coslat;
	g->lon0 = lon_min;
	g->lat0 = lat_min;
	g->nx = (int) fmin(floor((lon_max - lon_min) / g->cell_lon) + 1, 4096);
	g->ny = (int) fmin(floor((lat_max - lat_min) / g->cell_lat) + 1, 4096);
	/* keep the cell count within O(n): widen cells if the grid got capped */
	g->cell_lon = fmax(g->cell_lon, (lon_max - lon_min) / g->nx * 1.000001);
	g->cell_lat = fmax(g->cell_lat, (lat_max - lat_min) / g->ny * 1.000001);
	g->max_abs_lat = fmax(fabs(lat_min), fabs(lat_max));
	g->start = sr_alloc0(((size_t) g->nx * g->ny + 1) * sizeof(int));
	g->items = sr_alloc(((size_t) n + 1) * sizeof(int));
	fill = sr_alloc(((size_t) n + 1) * sizeof(int));
	for (int j = 0; j < n; j++)
	{
		int			cx = (int) ((q[j].lon - g->lon0) / g->cell_lon),
					cy = (int) ((q[j].lat - g->lat0) / g->cell_lat);

		cx = cx < 0 ? 0 : (cx >= g->nx ? g->nx - 1 : cx);
		cy = cy < 0 ? 0 : (cy >= g->ny ? g->ny - 1 : cy);
		fill[j] = cy * g->nx + cx;
		g->start[fill[j] + 1]++;
	}
	g->cell = sr_alloc(((size_t) g->nx * g->ny + 1) * sizeof(node_sum));
	for (int c = 0; c < g->nx * g->ny; c++)
	{
		g->start[c + 1] += g->start[c];
		sum_init(&g->cell[c]);
	}
	{
		int		   *pos = sr_alloc(((size_t) g->nx * g->ny + 1) * sizeof(int));

		memcpy(pos, g->start, (size_t) g->nx * g->ny * sizeof(int));
		for (int j = 0; j < n; j++)
		{
			g->items[pos[fill[j]]++] = j;
			sum_add_premise(&g->cell[fill[j]], &q[j]);
		}
		sr_free(pos);
	}
	sr_free(fill);
	*out = g;
	return SR_OK;
}

void
sr_match_grid_free(sr_match_grid *g)
{
	if (!g)
		return;
	sr_free(g->start);
	sr_free(g->items);
	sr_free(g->cell);
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
static bool
worse(const kbest *b, const sr_match_topk_item *x, const sr_match_topk_item *y)
{
	if (x->score != y->score)
		return x->score < y->score;
	return b->q[x->premise].id > b->q[y->premise].id;
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
	i = 0;
	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= b->n)
			break;
		if (c + 1 < b->n && worse(b, &b->a[c + 1], &b->a[c]))
			c++;
		if (!worse(b, &b->a[c], &it))
			break;
		b->a[i] = b->a[c];
		i = c;
	}
	b->a[i] = it;
}

static const kbest *sort_kb;

static int
cmp_best_first(const void *x, const void *y)
{
	if (worse(sort_kb, x, y))
		return 1;
	if (worse(sort_kb, y, x))
		return -1;
	return 0;
}

static void
kbest_finish(kbest *b, int *n_out)
{
	sort_kb = b;
	qsort(b->a, (size_t) b->n, sizeof(sr_match_topk_item), cmp_best_first);
	*n_out = b->n;
}

/* score of one pair, 0 when infeasible; plugins through rescore */
static double
pair_score(const sr_match_project *p, const sr_match_premise *q, int j,
		   const sr_match_weights *w, double travel_min,
		   sr_match_rescore_fn rescore, void *ctx)
{
	double		s = sr_match_pair_score(p, &q[j], w, travel_min, NULL, 0, NULL);

	if (s > 0 && rescore)
		s = rescore(ctx, p, j, travel_min);
	return s;
}

/* Per-project constants of the bound. */
typedef struct pbound
{
	const sr_match_project *p;
	const sr_match_weights *w;
	bool		has_loc;
	double		cos_phi_max;	/* unused by the ring search */
	double		surf_target;	/* NAN: surface criterion never applies */
	int			wished_n;
	double		extra_w;
	bool		no_prune;		/* a zero total weight is possible: score 1 */
} pbound;

/*
 * Upper bound of the score of any premise of a cell at least lb km away, or
 * -1 when no premise of it can pass the hard constraints.
 */
static double
node_bound(const pbound *pb, const node_sum *s, double lb)
{
	const sr_match_project *p = pb->p;
	const sr_match_weights *w = pb->w;
	double		bw[SR_CRIT_N + 1],
				bv[SR_CRIT_N + 1];
	int			nb = 0;
	double		num = 0,
				den = 0;

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
	if (pb->has_loc && !isnan(p->max_distance_km) && lb > p->max_distance_km)
		return -1;
	if (pb->no_prune)
		return 1.0;

	/* mandatory: the distance decay (every premise has a location) */
	num = w->w[SR_CRIT_DISTANCE] * sr_match_decay_value(w->decay, lb, w->distance_scale_km);
	den = w->w[SR_CRIT_DISTANCE];
	/* optional criteria with their best possible values */
	if (!isnan(pb->surf_target) && !isnan(s->surf_min))
	{
		double		t = pb->surf_target;
		double		sv = t < s->surf_min ? s->surf_min : (t > s->surf_max ? s->surf_max : t);

		bw[nb] = w->w[SR_CRIT_SURFACE];
		bv[nb++] = fmax(0.0, 1.0 - fabs(sv - t) / t);
	}
	if (p->budget_month > 0 && !isnan(s->rent_min))
	{
		bw[nb] = w->w[SR_CRIT_PRICE];
		bv[nb++] = fmin(1.0, fmax(0.0, 1.0 - 0.5 * s->rent_min / p->budget_month));
	}
	if (pb->wished_n > 0)
	{
		bw[nb] = w->w[SR_CRIT_AMENITIES];
		bv[nb++] = (double) __builtin_popcount(p->amenities_wished & s->amenities) / pb->wished_n;
	}
	if (p->hours.set)
	{
		bw[nb] = w->w[SR_CRIT_HOURS];
		bv[nb++] = 1.0;
	}
	if (!isnan(p->team_size) && !isnan(s->cap_min))
	{
		double		t = p->team_size;
		double		c = t < s->cap_min ? s->cap_min : (t > s->cap_max ? s->cap_max : t);

		bw[nb] = w->w[SR_CRIT_CAPACITY];
		bv[nb++] = (t <= 0) ? 0.0 : (c <= 0 ? 0.0 : fmin(t, c) / fmax(t, c));
	}
	if (pb->extra_w > 0)
	{
		bw[nb] = pb->extra_w;
		bv[nb++] = 1.0;
	}
	/* the best weighted mean: add criteria by decreasing value while they
	 * raise the mean */
	for (;;)
	{
		int			best = -1;

		for (int i = 0; i < nb; i++)
			if (bw[i] > 0 && (best < 0 || bv[i] > bv[best]))
				best = i;
		if (best < 0 || (den > 0 && bv[best] <= num / den))
			break;
		num += bw[best] * bv[best];
		den += bw[best];
		bw[best] = 0;
	}
	return den > 0 ? num / den * (1 + 1e-12) + 1e-12 : 1.0;
}

static double
ring_lower_bound_km(const sr_match_grid *g, double phi_max, int r)
{
	double		dlat,
				dlon,
				a;

	if (r <= 1)
		return 0;
	dlat = (r - 1) * g->cell_lat * SR_DEG2RAD;
	dlon = fmin((r - 1) * g->cell_lon * SR_DEG2RAD, SR_PI);
	a = cos(phi_max * SR_DEG2RAD) * sin(dlon / 2);
	return fmin(SR_MATCH_EARTH_RADIUS_KM * dlat,
				2 * SR_MATCH_EARTH_RADIUS_KM * asin(fmin(1.0, fmax(0.0, a))));
}

sr_status
sr_match_topk(const sr_match_grid *g, const sr_match_project *p,
			  const sr_match_weights *w, int k, double extra_weight_total,
			  sr_match_rescore_fn rescore, void *ctx,
			  sr_match_topk_item *out, int *n_out, sr_err *err)
{
	kbest		b = {out, 0, k, g->q};
	double		wd = w->w[SR_CRIT_DISTANCE],
				A = extra_weight_total;
	bool		bounded;
	pbound		pb;

	*n_out = 0;
	if (k <= 0)
		return sr_error(err, SR_EINVAL, "k must be at least 1, got %d", k);
	/* only criteria that can apply to this project loosen the bound */
	if (!isnan(p->surface_min_m2) || !isnan(p->surface_max_m2))
		A += w->w[SR_CRIT_SURFACE];
	if (p->budget_month > 0)
		A += w->w[SR_CRIT_PRICE];
	if (p->amenities_wished)
		A += w->w[SR_CRIT_AMENITIES];
	if (p->hours.set)
		A += w->w[SR_CRIT_HOURS];
	if (!isnan(p->team_size))
		A += w->w[SR_CRIT_CAPACITY];
	bounded = !isnan(p->lon) && (wd > 0 || !isnan(p->max_distance_km));
	/* constants of the per-cell bound */
	pb.p = p;
	pb.w = w;
	pb.has_loc = !isnan(p->lon) && !isnan(p->lat);
	pb.cos_phi_max = 0;
	pb.surf_target = NAN;
	if (!isnan(p->surface_min_m2) && !isnan(p->surface_max_m2))
		pb.surf_target = 0.5 * (p->surface_min_m2 + p->surface_max_m2);
	else if (!isnan(p->surface_min_m2))
		pb.surf_target = p->surface_min_m2;
	else if (!isnan(p->surface_max_m2))
		pb.surf_target = p->surface_max_m2;
	if (!(pb.surf_target > 0))
		pb.surf_target = NAN;
	pb.wished_n = __builtin_popcount(p->amenities_wished);
	pb.extra_w = extra_weight_total;
	/* without a positive distance weight, every applicable weight may be 0
	 * for some premise (score 1): cells are pruned on hard constraints only */
	pb.no_prune = !pb.has_loc || !(wd > 0);

	if (!bounded || g->n == 0)
	{
		/* no location or no distance weight: full scan */
		for (int j = 0; j < g->n; j++)
		{
			double		s = pair_score(p, g->q, j, w, NAN, rescore, ctx);

			if (s > 0)
				kbest_offer(&b, j, s);
		}
		kbest_finish(&b, n_out);
		return SR_OK;
	}
	{
		/* project cell, possibly outside the grid */
		int			cx = (int) floor((p->lon - g->lon0) / g->cell_lon),
					cy = (int) floor((p->lat - g->lat0) / g->cell_lat);
		double		phi_max = fmax(g->max_abs_lat, fabs(p->lat));
		int			rmin,
					rmax;

		/* rings that can hold a cell of the grid */
		rmin = 0;
		rmin = rmin > -cx ? rmin : -cx;
		rmin = rmin > cx - (g->nx - 1) ? rmin : cx - (g->nx - 1);
		rmin = rmin > -cy ? rmin : -cy;
		rmin = rmin > cy - (g->ny - 1) ? rmin : cy - (g->ny - 1);
		rmax = abs(cx) > abs(cx - (g->nx - 1)) ? abs(cx) : abs(cx - (g->nx - 1));
		rmax = rmax > abs(cy) ? rmax : abs(cy);
		rmax = rmax > abs(cy - (g->ny - 1)) ? rmax : abs(cy - (g->ny - 1));
		for (int r = rmin; r <= rmax; r++)
		{
			double		lb = ring_lower_bound_km(g, phi_max, r);
			int			y0 = cy - r < 0 ? 0 : cy - r,
						y1 = cy + r >= g->ny ? g->ny - 1 : cy + r;

			if (!isnan(p->max_distance_km) && lb > p->max_distance_km)
				break;
			if (b.n == b.k && wd > 0)
			{
				double		ub = (wd * sr_match_decay_value(w->decay, lb, w->distance_scale_km) + A) /
					(wd + A);

				/* strict: equal scores may still win on a lower id */
				if (ub < b.a[0].score)
					break;
			}
			for (int y = y0; y <= y1; y++)
			{
				bool		edge_row = (y == cy - r || y == cy + r);
				int			x0 = cx - r < 0 ? 0 : cx - r,
							x1 = cx + r >= g->nx ? g->nx - 1 : cx + r;

				for (int x = x0; x <= x1; x++)
				{
					int			c;

					/* inner rows: only the two border cells of the ring */
					if (!edge_row && x != cx - r && x != cx + r)
					{
						if (x < cx + r)
							x = cx + r - 1;
						continue;
					}
					c = y * g->nx + x;
					if (g->start[c] == g->start[c + 1])
						continue;
					/* skip cells that cannot hold a feasible premise or a
					 * premise better than the k-th */
					{
						double		ub = node_bound(&pb, &g->cell[c], lb);

						if (ub < 0 || (b.n == b.k && ub < b.a[0].score))
							continue;
					}
					for (int t = g->start[c]; t < g->start[c + 1]; t++)
					{
						int			j = g->items[t];
						double		s = pair_score(p, g->q, j, w, NAN, rescore, ctx);

						if (s > 0)
							kbest_offer(&b, j, s);
					}
				}
			}
			if ((r & 63) == 63)
				sr_check_interrupts();
		}
	}
	kbest_finish(&b, n_out);
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
