/*
 * tierslieux_coverage.c — nearest tiers-lieu of every unit (sr_coverage.h):
 * great-circle distance through a k-d tree of the premises' unit vectors,
 * or travel time from (unit, premise, minutes) pairs.
 */
#include "sr_coverage.h"
#include "sr_geom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEAF 8

/* the one great-circle distance of the core (geom_wkb.c), on the IUGG mean sphere */
double
sr_cov_haversine_km(double lon1, double lat1, double lon2, double lat2)
{
	return sr_great_circle_km(lat1, lon1, lat2, lon2, SR_COV_EARTH_KM);
}

/* ---- k-d tree over unit vectors ------------------------------------------ */

typedef struct kd_node
{
	int			lo,
				hi;				/* points [lo, hi) of idx */
	int			left,
				right;			/* children, -1 for a leaf */
	double		bmin[3],
				bmax[3];		/* bounding box */
} kd_node;

typedef struct kd_tree
{
	int			n;
	int		   *idx;			/* premise indexes, permuted */
	const double *xyz;			/* 3 per premise (all premises) */
	kd_node    *nodes;
	int			nnodes;
	int64_t		work;			/* points visited since the last interrupt check */
} kd_tree;

static int
kd_build(kd_tree *t, int lo, int hi)
{
	int			me = t->nnodes++;
	kd_node    *nd = &t->nodes[me];
	int			axis = 0;

	nd->lo = lo;
	nd->hi = hi;
	nd->left = nd->right = -1;
	for (int k = 0; k < 3; k++)
	{
		nd->bmin[k] = INFINITY;
		nd->bmax[k] = -INFINITY;
	}
	for (int i = lo; i < hi; i++)
		for (int k = 0; k < 3; k++)
		{
			double		v = t->xyz[3 * t->idx[i] + k];

			if (v < nd->bmin[k])
				nd->bmin[k] = v;
			if (v > nd->bmax[k])
				nd->bmax[k] = v;
		}
	if (hi - lo <= LEAF)
		return me;
	/* split on the widest axis at the median: a quickselect, linear, so
	 * that the build is n log n (a full qsort at every node made it
	 * n log^2 n: 2,000,000 premises took 20 s, out of reach of a cancel) */
	for (int k = 1; k < 3; k++)
		if (nd->bmax[k] - nd->bmin[k] > nd->bmax[axis] - nd->bmin[axis])
			axis = k;
	sr_select_nth(t->idx + lo, hi - lo, (hi - lo) / 2, t->xyz + axis, 3);
	/* a node costs its points twice (box, select): check for a cancel every
	 * 65,536 points or so */
	t->work += 2 * (int64_t) (hi - lo);
	if (t->work >= 65536)
	{
		t->work = 0;
		sr_check_interrupts();
	}
	{
		int			mid = lo + (hi - lo) / 2;
		int			l = kd_build(t, lo, mid);
		int			r = kd_build(t, mid, hi);

		/* t->nodes does not move: it was allocated for 2n nodes */
		t->nodes[me].left = l;
		t->nodes[me].right = r;
	}
	return me;
}

/* squared distance from q to a node's box */
static double
box_d2(const kd_node *nd, const double *q)
{
	double		d2 = 0;

	for (int k = 0; k < 3; k++)
	{
		double		d = q[k] < nd->bmin[k] ? nd->bmin[k] - q[k] : (q[k] > nd->bmax[k] ? q[k] - nd->bmax[k] : 0);

		d2 += d * d;
	}
	return d2;
}

/*
 * The tie rule (sr_coverage.h, SR_COV_TIE): among the premises whose
 * haversine distance is within SR_COV_TIE km of the smallest one, the lowest
 * id.  The search goes by chord (unit vectors), which orders points as the
 * great-circle distance does but rounds differently, so it keeps every
 * premise that may tie: a distance SR_COV_TIE km longer is a chord at most
 * SR_COV_TIE / R longer (the chord grows slower than the arc), so every
 * premise within SR_COV_TIE km of the nearest by chord lies within the chord
 * c + SR_COV_TIE / R of the unit (c: the nearest's chord), plus the chords'
 * rounding (a few 1e-16 on the unit sphere; the ball takes 1e-12 more).  The
 * search prunes by that ball instead of the nearest's chord alone, keeps the
 * premises inside it (usually one), and the caller takes their haversine
 * distances: the same function as the brute force, so both give the same
 * premise, not a near one.
 */
typedef struct kd_cand
{
	double		d2;				/* squared chord */
	double		km;				/* haversine distance (filled at the end) */
	int			i;				/* premise index */
} kd_cand;

typedef struct kd_best
{
	double		d2;				/* smallest squared chord */
	double		r2;				/* the ball of possible ties, squared chord */
	int			i;				/* premise index, -1 none */
	kd_cand    *cand;			/* premises within the ball */
	int			ncand,
				cap;
	bool		oom;
} kd_best;

#define TIE_CHORD (SR_COV_TIE / SR_COV_EARTH_KM + 1e-12)

static void
keep_cand(kd_best *best, int i, double d2)
{
	if (best->ncand == best->cap)
	{
		int			cap = best->cap > 0 ? 2 * best->cap : 16;
		kd_cand    *c = sr_realloc(best->cand, sizeof(kd_cand) * cap);

		if (!c)
		{
			best->oom = true;
			return;
		}
		best->cand = c;
		best->cap = cap;
	}
	best->cand[best->ncand].d2 = d2;
	best->cand[best->ncand].i = i;
	best->ncand++;
}

static void
kd_search(const kd_tree *t, int node, const double *q, kd_best *best)
{
	const kd_node *nd = &t->nodes[node];

	if (box_d2(nd, q) > best->r2)
		return;
	if (nd->left < 0)
	{
		for (int j = nd->lo; j < nd->hi; j++)
		{
			int			i = t->idx[j];
			const double *p = t->xyz + 3 * i;
			double		dx = p[0] - q[0],
						dy = p[1] - q[1],
						dz = p[2] - q[2];
			double		d2 = dx * dx + dy * dy + dz * dz;

			if (d2 > best->r2)
				continue;
			if (d2 < best->d2)
			{
				double		r = sqrt(d2) + TIE_CHORD;
				int			n = 0;

				best->d2 = d2;
				best->i = i;
				best->r2 = r * r;
				/* the ball shrank: drop what left it */
				for (int k = 0; k < best->ncand; k++)
					if (best->cand[k].d2 <= best->r2)
						best->cand[n++] = best->cand[k];
				best->ncand = n;
			}
			keep_cand(best, i, d2);
		}
		return;
	}
	/* nearer child first */
	if (box_d2(&t->nodes[nd->left], q) <= box_d2(&t->nodes[nd->right], q))
	{
		kd_search(t, nd->left, q, best);
		kd_search(t, nd->right, q, best);
	}
	else
	{
		kd_search(t, nd->right, q, best);
		kd_search(t, nd->left, q, best);
	}
}

/* the lowest id among the candidates within limit km (-1: none) */
static int
lowest_within(const kd_best *b, const int64_t *pid, double limit)
{
	int			w = -1;

	for (int k = 0; k < b->ncand; k++)
		if (b->cand[k].km <= limit && (w < 0 || pid[b->cand[k].i] < pid[b->cand[w].i]))
			w = k;
	return w;
}

static void
unit_vector(double lon, double lat, double *v)
{
	double		cl = cos(lat * SR_DEG2RAD);

	v[0] = cl * cos(lon * SR_DEG2RAD);
	v[1] = cl * sin(lon * SR_DEG2RAD);
	v[2] = sin(lat * SR_DEG2RAD);
}

/* SR_EDATA when an id appears twice */
static sr_status
check_unique_ids(int64_t np, const int64_t *pid, sr_err *err)
{
	int64_t		dup = 0;
	size_t		count;
	sr_status	st = sr_ids_duplicate(pid, (size_t) np, &dup, &count, err);

	if (st != SR_OK || count == 0)
		return st;
	sr_error(err, SR_EDATA, "premise id %lld appears more than once", (long long) dup);
	sr_error_detail(err, "Premise ids must be unique.");
	return SR_EDATA;
}

static sr_status
check_lonlat(double lon, double lat, const char *what, int64_t id, const char *code, sr_err *err)
{
	if (lat < -90 || lat > 90 || lon < -180 || lon > 360)
	{
		if (code)
			sr_error(err, SR_ERANGE, "%s \"%s\" has coordinates (%g, %g) out of range", what, code, lon, lat);
		else
			sr_error(err, SR_ERANGE, "%s %lld has coordinates (%g, %g) out of range", what, (long long) id, lon, lat);
		sr_error_detail(err, "Longitude must be in [-180, 360] and latitude in [-90, 90] degrees (WGS84).");
		return SR_ERANGE;
	}
	return SR_OK;
}

static void
set_none(int64_t nu, int64_t *near_id, double *near_d, int64_t *st_id, double *st_d)
{
	for (int64_t u = 0; u < nu; u++)
	{
		near_id[u] = 0;
		st_id[u] = 0;
		near_d[u] = NAN;
		st_d[u] = NAN;
	}
}

sr_status
sr_cov_nearest(int64_t nu, const double *ulon, const double *ulat,
			   int64_t np, const int64_t *pid, const double *plon,
			   const double *plat, const bool *pstation,
			   int64_t *near_id, double *near_km,
			   int64_t *st_id, double *st_km,
			   int64_t *all_id, double *all_km, sr_err *err)
{
	double	   *xyz = NULL;
	kd_tree		tree[2];		/* 0: ordinary premises, 1: stations */
	kd_best		best[2];		/* a unit's search in each, its candidates kept */
	int64_t		work = 0;
	sr_status	st;

	set_none(nu, near_id, near_km, st_id, st_km);
	set_none(nu, all_id, all_km, all_id, all_km);
	if (np > INT32_MAX / 4)
		return sr_error(err, SR_EINVAL, "too many premises: %lld", (long long) np);
	if ((st = check_unique_ids(np, pid, err)) != SR_OK)
		return st;
	for (int64_t i = 0; i < np; i++)
	{
		if ((i & 65535) == 65535)
			sr_check_interrupts();
		if (isnan(plon[i]) || isnan(plat[i]) || isinf(plon[i]) || isinf(plat[i]))
		{
			sr_error(err, SR_EDATA, "premise %lld has no location", (long long) pid[i]);
			sr_error_detail(err, "Without travel times, every premise needs a location.");
			return SR_EDATA;
		}
		if ((st = check_lonlat(plon[i], plat[i], "premise", pid[i], NULL, err)) != SR_OK)
			return st;
	}
	for (int64_t u = 0; u < nu; u++)
		if (!isnan(ulon[u]) && !isnan(ulat[u]) &&
			(st = check_lonlat(ulon[u], ulat[u], "unit", (long long) u + 1, NULL, err)) != SR_OK)
			return st;

	memset(tree, 0, sizeof(tree));
	memset(best, 0, sizeof(best));
	xyz = sr_alloc(sizeof(double) * 3 * (np > 0 ? np : 1));
	if (!xyz)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int64_t i = 0; i < np; i++)
	{
		if ((i & 65535) == 65535)
			sr_check_interrupts();
		unit_vector(plon[i], plat[i], xyz + 3 * i);
	}
	for (int s = 0; s < 2; s++)
	{
		tree[s].xyz = xyz;
		tree[s].idx = sr_alloc(sizeof(int) * (np > 0 ? np : 1));
		tree[s].nodes = sr_alloc(sizeof(kd_node) * (2 * np + 1));
		if (!tree[s].idx || !tree[s].nodes)
		{
			st = sr_error(err, SR_ENOMEM, "out of memory");
			goto done;
		}
		for (int64_t i = 0; i < np; i++)
			if ((pstation && pstation[i]) == (s == 1))
				tree[s].idx[tree[s].n++] = (int) i;
		if (tree[s].n > 0)
			kd_build(&tree[s], 0, tree[s].n);
	}
	for (int64_t u = 0; u < nu; u++)
	{
		double		q[3],
					hmin[2] = {INFINITY, INFINITY},
					lim;
		int			win[2] = {-1, -1};

		if ((u & 4095) == 4095)
			sr_check_interrupts();
		if (isnan(ulon[u]) || isnan(ulat[u]))
			continue;
		unit_vector(ulon[u], ulat[u], q);
		for (int s = 0; s < 2; s++)
		{
			kd_best    *b = &best[s];

			b->d2 = b->r2 = INFINITY;
			b->i = -1;
			b->ncand = 0;
			if (tree[s].n == 0)
				continue;
			kd_search(&tree[s], 0, q, b);
			if (b->oom)
			{
				st = sr_error(err, SR_ENOMEM, "out of memory");
				goto done;
			}
			/* the candidates' haversine distances (the ball holds premises
			 * a little beyond the tie, dropped here), the smallest, then the
			 * lowest id within SR_COV_TIE of it */
			for (int k = 0; k < b->ncand; k++)
			{
				b->cand[k].km = sr_cov_haversine_km(ulon[u], ulat[u], plon[b->cand[k].i], plat[b->cand[k].i]);
				hmin[s] = fmin(hmin[s], b->cand[k].km);
			}
			/* many premises at one place (a business park) are all
			 * candidates: a cancel every 65,536 of them or so */
			work += b->ncand;
			if (work >= 65536)
			{
				work = 0;
				sr_check_interrupts();
			}
			win[s] = lowest_within(b, pid, hmin[s] + SR_COV_TIE);
			(s == 0 ? near_id : st_id)[u] = pid[b->cand[win[s]].i];
			(s == 0 ? near_km : st_km)[u] = b->cand[win[s]].km;
		}
		/* the nearest of all: the same rule over both kinds, from the
		 * smaller of their smallest distances (limit not chained): a kind
		 * farther than the tie has no premise within it */
		lim = fmin(hmin[0], hmin[1]) + SR_COV_TIE;
		for (int s = 0; s < 2; s++)
		{
			int			w = win[s] < 0 || hmin[s] > lim ? -1 :
				best[s].cand[win[s]].km <= lim ? win[s] : lowest_within(&best[s], pid, lim);

			if (w >= 0 && (all_id[u] == 0 || pid[best[s].cand[w].i] < all_id[u]))
			{
				all_id[u] = pid[best[s].cand[w].i];
				all_km[u] = best[s].cand[w].km;
			}
		}
	}
	st = SR_OK;
done:
	for (int s = 0; s < 2; s++)
	{
		sr_free(tree[s].idx);
		sr_free(tree[s].nodes);
		sr_free(best[s].cand);
	}
	sr_free(xyz);
	return st;
}

/* ---- the units' rules ------------------------------------------------------ */

static int
cmp_code_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

sr_status
sr_cov_check_units(int64_t nu, const char *const *ucode, const double *pop,
				   const bool *pop_given, const double *ulon, const double *ulat,
				   sr_err *err)
{
	const char **s;
	sr_status	st = SR_OK;

	for (int64_t u = 0; u < nu; u++)
	{
		if ((u & 65535) == 65535)
			sr_check_interrupts();
		/* a population weighs the unit's distance and shares in its parents':
		 * NaN, infinite or negative would make them NaN or outside [0, 1] */
		if (pop && (!pop_given || pop_given[u]) && !(isfinite(pop[u]) && pop[u] >= 0))
		{
			char		got[32];

			sr_fmt_float8(got, sizeof(got), pop[u]);
			sr_error(err, SR_EDATA, "population of unit \"%s\" must be a finite number >= 0, got %s",
					 ucode[u], got);
			sr_error_detail(err, "A unit's population weighs its distance and shares in its EPCI, departement and region.");
			return SR_EDATA;
		}
		if (ulon && ulat)
		{
			/* without travel times a unit without a place has no distance: it
			 * is not "beyond every threshold" */
			if (isnan(ulon[u]) || isnan(ulat[u]))
			{
				sr_error(err, SR_EDATA, "unit \"%s\" has no location", ucode[u]);
				sr_error_detail(err, "Without travel times, every unit needs a location.");
				sr_error_hint(err, "Give a \"location\" point or \"lon\" and \"lat\" for every unit, or leave the unit out.");
				return SR_EDATA;
			}
			if ((st = check_lonlat(ulon[u], ulat[u], "unit", 0, ucode[u], err)) != SR_OK)
				return st;
		}
	}
	if (nu < 2)
		return SR_OK;
	/* a unit listed twice would count twice in its parents: codes unique */
	s = sr_alloc(sizeof(const char *) * nu);
	if (!s)
		return sr_error(err, SR_ENOMEM, "out of memory");
	memcpy(s, ucode, sizeof(const char *) * nu);
	if ((st = sr_sort(s, nu, sizeof(const char *), cmp_code_ptr, err)) == SR_OK)
		for (int64_t i = 1; i < nu; i++)
			if (strcmp(s[i], s[i - 1]) == 0)
			{
				sr_error(err, SR_EDATA, "unit \"%s\" appears more than once", s[i]);
				sr_error_detail(err, "Unit codes must be unique: a unit listed twice would count twice in its EPCI, departement and region.");
				st = SR_EDATA;
				break;
			}
	sr_free(s);
	return st;
}

/* ---- travel times -------------------------------------------------------- */

static const char *const *sort_codes;

static int
cmp_code_idx(const void *a, const void *b)
{
	return strcmp(sort_codes[*(const int64_t *) a], sort_codes[*(const int64_t *) b]);
}

/* index of code among the sorted order of codes, -1 when absent */
static int64_t
find_code(const char *const *codes, const int64_t *order, int64_t n, const char *code)
{
	int64_t		lo = 0,
				hi = n - 1;

	while (lo <= hi)
	{
		int64_t		mid = lo + (hi - lo) / 2;
		int			c = strcmp(codes[order[mid]], code);

		if (c == 0)
			return order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

typedef struct id_pos
{
	int64_t		id;
	int64_t		pos;
} id_pos;

static int
cmp_id_pos(const void *a, const void *b)
{
	int64_t		x = ((const id_pos *) a)->id,
				y = ((const id_pos *) b)->id;

	return (x > y) - (x < y);
}

/* the unit and the premise of pair k (indexes; -1 when unknown) */
static void
pair_place(const char *const *ucode, const int64_t *uorder, int64_t nu, const id_pos *porder,
		   int64_t np, const char *unit, int64_t premise, int64_t *u, int64_t *p)
{
	int64_t		lo = 0,
				hi = np - 1;

	*p = -1;
	*u = find_code(ucode, uorder, nu, unit);
	if (*u < 0)
		return;
	while (lo <= hi)
	{
		int64_t		mid = lo + (hi - lo) / 2;

		if (porder[mid].id == premise)
		{
			*p = porder[mid].pos;
			return;
		}
		if (porder[mid].id < premise)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
}

sr_status
sr_cov_travel(int64_t nu, const char *const *ucode,
			  int64_t np, const int64_t *pid, const bool *pstation,
			  int64_t npairs, const char *const *pair_unit,
			  const int64_t *pair_pid, const double *pair_min,
			  int64_t *near_id, double *near_min,
			  int64_t *st_id, double *st_min,
			  int64_t *all_id, double *all_min, sr_err *err)
{
	int64_t    *uorder;
	id_pos	   *porder;
	double	   *least;			/* 2 a unit: the smallest minutes, ordinary and station */
	sr_status	st = SR_OK;

	set_none(nu, near_id, near_min, st_id, st_min);
	set_none(nu, all_id, all_min, all_id, all_min);
	if ((st = check_unique_ids(np, pid, err)) != SR_OK)
		return st;
	uorder = sr_alloc(sizeof(int64_t) * (nu > 0 ? nu : 1));
	porder = sr_alloc(sizeof(id_pos) * (np > 0 ? np : 1));
	least = sr_alloc(sizeof(double) * 2 * (nu > 0 ? nu : 1));
	if (!uorder || !porder || !least)
	{
		sr_free(uorder);
		sr_free(porder);
		sr_free(least);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (int64_t u = 0; u < nu; u++)
	{
		uorder[u] = u;
		least[2 * u] = least[2 * u + 1] = INFINITY;
	}
	/* (sr_sort: millions of units or premises answer a cancel) */
	sort_codes = ucode;
	if ((st = sr_sort(uorder, nu, sizeof(int64_t), cmp_code_idx, err)) != SR_OK)
		goto done;
	for (int64_t u = 1; u < nu; u++)
		if (strcmp(ucode[uorder[u]], ucode[uorder[u - 1]]) == 0)
		{
			sr_error(err, SR_EDATA, "unit \"%s\" appears more than once", ucode[uorder[u]]);
			sr_error_detail(err, "Unit codes must be unique when travel times are given.");
			st = SR_EDATA;
			goto done;
		}
	for (int64_t i = 0; i < np; i++)
	{
		porder[i].id = pid[i];
		porder[i].pos = i;
	}
	if ((st = sr_sort(porder, np, sizeof(id_pos), cmp_id_pos, err)) != SR_OK)
		goto done;
	/* first the smallest minutes of each unit and kind ... */
	for (int64_t k = 0; k < npairs; k++)
	{
		int64_t		u,
					p;
		double		m = pair_min[k];

		if ((k & 65535) == 65535)
			sr_check_interrupts();
		if (!isfinite(m) || m < 0)
		{
			st = sr_error(err, SR_EDATA, "travel time %g from unit \"%s\" to premise %lld is negative or not finite",
						  m, pair_unit[k], (long long) pair_pid[k]);
			goto done;
		}
		pair_place(ucode, uorder, nu, porder, np, pair_unit[k], pair_pid[k], &u, &p);
		if (u < 0 || p < 0)
			continue;
		if (m < least[2 * u + (pstation && pstation[p])])
			least[2 * u + (pstation && pstation[p])] = m;
	}
	/* ... then the lowest id within SR_COV_TIE minutes of it, for each kind
	 * and over both (the tie rule of sr_coverage.h, as by distance) */
	for (int64_t k = 0; k < npairs; k++)
	{
		int64_t		u,
					p;
		int			s;
		double		m = pair_min[k];

		if ((k & 65535) == 65535)
			sr_check_interrupts();
		pair_place(ucode, uorder, nu, porder, np, pair_unit[k], pair_pid[k], &u, &p);
		if (u < 0 || p < 0)
			continue;
		s = pstation && pstation[p];
		if (m <= least[2 * u + s] + SR_COV_TIE)
		{
			int64_t    *bid = s ? &st_id[u] : &near_id[u];
			double	   *bm = s ? &st_min[u] : &near_min[u];

			/* (a pair listed twice: its smaller minutes) */
			if (isnan(*bm) || pid[p] < *bid || (pid[p] == *bid && m < *bm))
			{
				*bm = m;
				*bid = pid[p];
			}
		}
		if (m <= fmin(least[2 * u], least[2 * u + 1]) + SR_COV_TIE &&
			(isnan(all_min[u]) || pid[p] < all_id[u] || (pid[p] == all_id[u] && m < all_min[u])))
		{
			all_min[u] = m;
			all_id[u] = pid[p];
		}
	}
done:
	sr_free(uorder);
	sr_free(porder);
	sr_free(least);
	return st;
}
