/*
 * matching_input.c — the rules on the inputs of the matching functions:
 * the weights as option specs (with the registered criteria added at run
 * time), the assignment methods by name, unique ids of the record sets,
 * travel pairs grouped by project, and the pairs and capacities of
 * match_assign.  The glue reads the rows and hands them over as arrays.
 */
#include "sr_matching.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------ */
/* weights                                                            */
/* ------------------------------------------------------------------ */

#define WCRIT(c) (offsetof(sr_match_weights, w) + (c) * sizeof(double))
#define WF(f) offsetof(sr_match_weights, f)

static const sr_optspec weight_specs[SR_MATCH_WEIGHT_NSPECS] = {
	{"distance", SR_OPT_NUMBER, WCRIT(SR_CRIT_DISTANCE), 0, 1000, 0.30,
	 .meaning = "weight of the distance decay (great-circle km, or travel minutes when given)"},
	{"surface", SR_OPT_NUMBER, WCRIT(SR_CRIT_SURFACE), 0, 1000, 0.15,
	 .meaning = "weight of the surface fit to the project's range"},
	{"price", SR_OPT_NUMBER, WCRIT(SR_CRIT_PRICE), 0, 1000, 0.20,
	 .meaning = "weight of the rent against the budget"},
	{"amenities", SR_OPT_NUMBER, WCRIT(SR_CRIT_AMENITIES), 0, 1000, 0.15,
	 .meaning = "weight of the wished amenities present (Jaccard index)"},
	{"hours", SR_OPT_NUMBER, WCRIT(SR_CRIT_HOURS), 0, 1000, 0.10,
	 .meaning = "weight of the share of the needed hours when the premise is open"},
	{"capacity", SR_OPT_NUMBER, WCRIT(SR_CRIT_CAPACITY), 0, 1000, 0.10,
	 .meaning = "weight of the capacity fit to the team size"},
	{"decay", SR_OPT_CHOICE, WF(decay), .def = SR_DECAY_EXPONENTIAL,
	 .choices = sr_match_decay_names,
	 .meaning = "distance decay function f(d), f(0) = 1 and f(scale) about 0.5"},
	{"distance_scale_km", SR_OPT_NUMBER, WF(distance_scale_km), 0.001, 20000, 5, .unit = "km",
	 .meaning = "decay scale of great-circle distances"},
	{"travel_scale_min", SR_OPT_NUMBER, WF(travel_scale_min), 0.01, 10080, 30, .unit = "min",
	 .meaning = "decay scale of travel times (travel_sql)"},
};

#define WEIGHT_SET(name, fn) \
	const sr_optset name = {fn, "weight", weight_specs, SR_MATCH_WEIGHT_NSPECS}
WEIGHT_SET(sr_match_score_optset, "match_score");
WEIGHT_SET(sr_match_explain_optset, "match_explain");
WEIGHT_SET(sr_match_candidates_optset, "match_candidates");

void
sr_match_weights_default(sr_match_weights *w)
{
	sr_options_defaults(&sr_match_score_optset, w);
}

sr_status
sr_match_weights_specs(const char *const *names, const double *weights, int n,
					   sr_optspec *specs, sr_err *err)
{
	memcpy(specs, weight_specs, sizeof(weight_specs));
	for (int i = 0; i < n; i++)
	{
		sr_optspec *s = &specs[SR_MATCH_WEIGHT_NSPECS + i];

		for (int j = 0; j < SR_MATCH_WEIGHT_NSPECS + i; j++)
			if (strcmp(specs[j].name, names[i]) == 0)
				return sr_error(err, SR_EINVAL, "criterion name \"%s\" is %s", names[i],
								j < SR_MATCH_WEIGHT_NSPECS ? "a built-in weight" : "registered twice");
		if (!(weights[i] >= 0 && weights[i] <= 1000))
			return sr_error(err, SR_ERANGE, "weight of criterion \"%s\" must be in [0, 1000], got %g",
							names[i], weights[i]);
		memset(s, 0, sizeof(*s));
		s->name = names[i];
		s->type = SR_OPT_NUMBER;
		s->offset = offsetof(sr_match_weights_ext, extra) + (size_t) i * sizeof(double);
		s->min = 0;
		s->max = 1000;
		s->def = weights[i];
		s->meaning = "weight of a registered criterion (smartregion.match_criterion)";
	}
	return SR_OK;
}

sr_status
sr_match_extra_set(sr_match_extra *e, double value, bool isnull, sr_err *err)
{
	e->isnull = isnull;
	if (isnull)
		return SR_OK;
	if (!(value >= 0 && value <= 1))
		return sr_error(err, SR_EDATA, "criterion \"%s\" returned %g, outside [0, 1]",
						e->name, value);
	e->value = value;
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* methods                                                            */
/* ------------------------------------------------------------------ */

const char *const sr_match_method_names[] = {
	"optimal", "stable", "stable_projects", "stable_premises", "greedy", NULL
};

static const sr_match_method method_of_name[] = {
	SR_ASSIGN_OPTIMAL, SR_ASSIGN_STABLE, SR_ASSIGN_STABLE, SR_ASSIGN_STABLE_PREMISES,
	SR_ASSIGN_GREEDY
};

sr_status
sr_match_location_crs(sr_match_side side, const char *name, int len, sr_err *err)
{
	static const char *const wgs84[] = {
		"EPSG:4326", "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:OGC:1.3:CRS84",
		"urn:ogc:def:crs:OGC::CRS84", "OGC:CRS84", "CRS84"
	};
	const char *what = side == SR_MATCH_PROJECT ? "project" : "premise";
	char		shown[80];

	if (name && len > 0)
	{
		for (size_t i = 0; i < sizeof(wgs84) / sizeof(wgs84[0]); i++)
			if ((size_t) len == strlen(wgs84[i]) && strncasecmp(name, wgs84[i], len) == 0)
				return SR_OK;
		/* urn:ogc:def:crs:EPSG:<version>:4326 */
		if (len > 20 && strncasecmp(name, "urn:ogc:def:crs:EPSG:", 21) == 0 &&
			strncmp(name + len - 5, ":4326", 5) == 0 &&
			memchr(name + 21, ':', len - 21) == name + len - 5)
			return SR_OK;
	}
	/* (no detail: the glue's names the record's id) */
	if (!name)
		sr_error(err, SR_EINVAL, "%s field \"location\" has a \"crs\" without a name", what);
	else
	{
		snprintf(shown, sizeof(shown), "%.*s", len < 64 ? len : 64, name);
		sr_error(err, SR_EINVAL, "%s field \"location\" is in %s, not WGS84 (SRID 4326)", what, shown);
	}
	sr_error_hint(err, "A location is read as longitude and latitude in degrees: use ST_Transform(geom, 4326).");
	return SR_EINVAL;
}

sr_status
sr_match_method_parse(const char *name, sr_match_method *method, sr_err *err)
{
	static const sr_optspec spec = {"method", SR_OPT_CHOICE, 0, .choices = sr_match_method_names};
	static const sr_optset set = {"match_assign", "parameter", &spec, 1};
	int			k = 0;
	sr_status	st = sr_option_set_string(&set, &spec, &k, name, err);

	if (st == SR_OK)
		*method = method_of_name[k];
	return st;
}

/* ------------------------------------------------------------------ */
/* record sets                                                        */
/* ------------------------------------------------------------------ */

sr_status
sr_match_index_ids(sr_match_side side, const void *records, int n,
				   const char *source, sr_match_idmap **out, sr_err *err)
{
	sr_match_idmap *m = sr_match_idmap_new(n);
	sr_status	st = SR_OK;

	*out = NULL;
	if (m == NULL)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < n && st == SR_OK; i++)
	{
		int64_t		id = side == SR_MATCH_PROJECT ? ((const sr_match_project *) records)[i].id
			: ((const sr_match_premise *) records)[i].id;
		bool		isnew;

		if ((i & 65535) == 65535)
			sr_check_interrupts();
		if (sr_match_idmap_put(m, id, &isnew) < 0)
			st = sr_error(err, SR_ENOMEM, "out of memory");
		else if (!isnew)
			st = sr_error(err, SR_EDATA, "duplicate %s id %lld in %s",
						  side == SR_MATCH_PROJECT ? "project" : "premise",
						  (long long) id, source);
	}
	if (st != SR_OK)
	{
		sr_match_idmap_free(m);
		return st;
	}
	*out = m;
	return SR_OK;
}

/* Append (a, b, v) to an edge list. */
static sr_status
edges_push(sr_match_edges *e, int a, int b, double v, sr_err *err)
{
	if (e->n == e->cap)
	{
		int64_t		nc = e->cap > 0 ? 2 * e->cap : 1024;
		int		   *na = sr_realloc(e->a, sizeof(int) * (size_t) nc);
		int		   *nb = na ? sr_realloc(e->b, sizeof(int) * (size_t) nc) : NULL;
		double	   *nv = nb ? sr_realloc(e->v, sizeof(double) * (size_t) nc) : NULL;

		if (na)
			e->a = na;
		if (nb)
			e->b = nb;
		if (!nv)
			return sr_error(err, SR_ENOMEM, "out of memory");
		e->v = nv;
		e->cap = nc;
	}
	e->a[e->n] = a;
	e->b[e->n] = b;
	e->v[e->n++] = v;
	return SR_OK;
}

static void
edges_free(sr_match_edges *e)
{
	sr_free(e->a);
	sr_free(e->b);
	sr_free(e->v);
}

/* ------------------------------------------------------------------ */
/* travel pairs                                                       */
/* ------------------------------------------------------------------ */

void
sr_match_travel_init(sr_match_travel *t, const sr_match_project *projects, int np,
					 const sr_match_idmap *pmap, const sr_match_premise *premises,
					 int nq, const sr_match_idmap *qmap, const char *source)
{
	memset(t, 0, sizeof(*t));
	t->projects = projects;
	t->premises = premises;
	t->np = np;
	t->nq = nq;
	t->pmap = pmap;
	t->qmap = qmap;
	t->source = source;
}

sr_status
sr_match_travel_add(sr_match_travel *t, const int64_t *project_id,
					const int64_t *premise_id, const double *minutes, int64_t n,
					sr_err *err)
{
	for (int64_t r = 0; r < n; r++)
	{
		int			pi,
					qi;

		if (!isfinite(minutes[r]) || minutes[r] < 0)
			return sr_error(err, SR_EDATA,
							"%s: minutes of pair (project %lld, premise %lld) must be a finite number >= 0",
							t->source, (long long) project_id[r], (long long) premise_id[r]);
		pi = sr_match_idmap_get(t->pmap, project_id[r]);
		qi = sr_match_idmap_get(t->qmap, premise_id[r]);
		if (pi < 0 || qi < 0)
			continue;			/* pair outside the two sets: not a candidate */
		if (edges_push(&t->read, pi, qi, minutes[r], err) != SR_OK)
			return err->status;
	}
	return SR_OK;
}

sr_status
sr_match_travel_group(sr_match_travel *t, sr_err *err)
{
	const sr_match_edges *r = &t->read;
	int		   *fill,
			   *seen;

	/* counting sort by project, in the order read within a project */
	t->start = sr_alloc0(sizeof(int) * ((size_t) t->np + 2));
	t->premise = sr_alloc(sizeof(int) * ((size_t) r->n + 1));
	t->minutes = sr_alloc(sizeof(double) * ((size_t) r->n + 1));
	fill = sr_alloc(sizeof(int) * ((size_t) t->np + 1));
	seen = sr_alloc(sizeof(int) * ((size_t) t->nq + 1));
	if (!t->start || !t->premise || !t->minutes || !fill || !seen)
	{
		sr_free(fill);
		sr_free(seen);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (int64_t e = 0; e < r->n; e++)
		t->start[r->a[e] + 1]++;
	for (int i = 0; i < t->np; i++)
		t->start[i + 1] += t->start[i];
	memcpy(fill, t->start, sizeof(int) * (size_t) t->np);
	for (int64_t e = 0; e < r->n; e++)
	{
		t->premise[fill[r->a[e]]] = r->b[e];
		t->minutes[fill[r->a[e]]++] = r->v[e];
	}
	sr_free(fill);
	/* a premise seen twice for one project is a duplicate pair */
	for (int j = 0; j < t->nq; j++)
		seen[j] = -1;
	for (int i = 0; i < t->np; i++)
		for (int e = t->start[i]; e < t->start[i + 1]; e++)
		{
			if (seen[t->premise[e]] == i)
			{
				sr_free(seen);
				return sr_error(err, SR_EDATA, "duplicate pair (project %lld, premise %lld) in %s",
								(long long) t->projects[i].id,
								(long long) t->premises[t->premise[e]].id, t->source);
			}
			seen[t->premise[e]] = i;
		}
	sr_free(seen);
	return SR_OK;
}

void
sr_match_travel_free(sr_match_travel *t)
{
	edges_free(&t->read);
	sr_free(t->start);
	sr_free(t->premise);
	sr_free(t->minutes);
	memset(t, 0, sizeof(*t));
}

/* ------------------------------------------------------------------ */
/* assignment pairs and capacities                                    */
/* ------------------------------------------------------------------ */

#define SR_MATCH_MAX_CAPACITY 1000000

sr_status
sr_match_pairs_init(sr_match_pairs *b, sr_err *err)
{
	memset(b, 0, sizeof(*b));
	b->pmap = sr_match_idmap_new(4096);
	b->qmap = sr_match_idmap_new(4096);
	if (!b->pmap || !b->qmap)
		return sr_error(err, SR_ENOMEM, "out of memory");
	return SR_OK;
}

/* The index of id in map, appending it to ids[] when new. */
static sr_status
intern_id(sr_match_idmap *map, int64_t id, int64_t **ids, int *n, int *cap,
		  int *index, sr_err *err)
{
	bool		isnew;

	*index = sr_match_idmap_put(map, id, &isnew);
	if (*index < 0)
		return sr_error(err, SR_ENOMEM, "out of memory");
	if (!isnew)
		return SR_OK;
	if (*n == *cap)
	{
		int			nc = *cap > 0 ? *cap * 2 : 4096;
		int64_t    *p = sr_realloc(*ids, sizeof(int64_t) * (size_t) nc);

		if (!p)
			return sr_error(err, SR_ENOMEM, "out of memory");
		*ids = p;
		*cap = nc;
	}
	(*ids)[(*n)++] = id;
	return SR_OK;
}

sr_status
sr_match_pairs_add(sr_match_pairs *b, const int64_t *project_id,
				   const int64_t *premise_id, const double *score, int64_t n,
				   sr_err *err)
{
	for (int64_t r = 0; r < n; r++)
	{
		int			pi,
					qi;

		if (intern_id(b->pmap, project_id[r], &b->pid, &b->np, &b->pcap, &pi, err) != SR_OK ||
			intern_id(b->qmap, premise_id[r], &b->qid, &b->nq, &b->qcap, &qi, err) != SR_OK ||
			edges_push(&b->e, pi, qi, score[r], err) != SR_OK)
			return err->status;
	}
	return SR_OK;
}

sr_status
sr_match_pairs_capacities(sr_match_pairs *b, const int64_t *premise_id,
						  const int64_t *capacity, int64_t n, const char *source,
						  sr_err *err)
{
	if (b->capacity == NULL)
	{
		b->capacity = sr_alloc(sizeof(int) * ((size_t) b->nq + 1));
		b->cap_seen = sr_alloc0(sizeof(bool) * ((size_t) b->nq + 1));
		if (!b->capacity || !b->cap_seen)
			return sr_error(err, SR_ENOMEM, "out of memory");
		for (int j = 0; j < b->nq; j++)
			b->capacity[j] = 1;
	}
	for (int64_t r = 0; r < n; r++)
	{
		int			qi;

		if (capacity[r] < 0 || capacity[r] > SR_MATCH_MAX_CAPACITY)
			return sr_error(err, SR_EDATA,
							"capacity of premise %lld must be an integer between 0 and %d",
							(long long) premise_id[r], SR_MATCH_MAX_CAPACITY);
		qi = sr_match_idmap_get(b->qmap, premise_id[r]);
		if (qi < 0)
			continue;			/* a premise without pairs */
		if (b->cap_seen[qi])
			return sr_error(err, SR_EDATA, "duplicate premise %lld in %s",
							(long long) premise_id[r], source);
		b->cap_seen[qi] = true;
		b->capacity[qi] = (int) capacity[r];
	}
	return SR_OK;
}

typedef struct id_rank
{
	int64_t		id;
	int			old;
} id_rank;

static int
cmp_id_rank(const void *x, const void *y)
{
	int64_t		a = ((const id_rank *) x)->id,
				b = ((const id_rank *) y)->id;

	return (a > b) - (a < b);
}

/* new_index[old] for n ids numbered by ascending id; ids[] sorted in place;
 * the map rebuilt to the new numbering */
static sr_status
renumber_by_id(int64_t *ids, int n, int *new_index, sr_match_idmap **map, sr_err *err)
{
	id_rank    *r = sr_alloc(sizeof(id_rank) * ((size_t) n + 1));
	sr_match_idmap *m;
	sr_status	st;

	if (!r)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++)
	{
		r[i].id = ids[i];
		r[i].old = i;
	}
	if ((st = sr_sort(r, n, sizeof(id_rank), cmp_id_rank, err)) != SR_OK)
	{
		sr_free(r);
		return st;
	}
	m = sr_match_idmap_new(n);
	if (!m)
	{
		sr_free(r);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (int k = 0; k < n; k++)
	{
		ids[k] = r[k].id;
		new_index[r[k].old] = k;
		if (sr_match_idmap_put(m, r[k].id, NULL) < 0)
		{
			sr_free(r);
			sr_match_idmap_free(m);
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
	}
	sr_free(r);
	sr_match_idmap_free(*map);
	*map = m;
	return SR_OK;
}

sr_status
sr_match_pairs_canonical(sr_match_pairs *b, sr_err *err)
{
	int		   *nr = sr_alloc(sizeof(int) * ((size_t) b->np + 1)),
			   *nc = sr_alloc(sizeof(int) * ((size_t) b->nq + 1));
	sr_status	st = SR_OK;

	if (!nr || !nc)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	if ((st = renumber_by_id(b->pid, b->np, nr, &b->pmap, err)) != SR_OK ||
		(st = renumber_by_id(b->qid, b->nq, nc, &b->qmap, err)) != SR_OK)
		goto done;
	for (int64_t e = 0; e < b->e.n; e++)
	{
		b->e.a[e] = nr[b->e.a[e]];
		b->e.b[e] = nc[b->e.b[e]];
		if ((e & 65535) == 65535)
			sr_check_interrupts();
	}
	if (b->capacity)
	{
		int		   *cap = sr_alloc(sizeof(int) * ((size_t) b->nq + 1));
		bool	   *seen = sr_alloc0(sizeof(bool) * ((size_t) b->nq + 1));

		if (!cap || !seen)
		{
			sr_free(cap);
			sr_free(seen);
			st = sr_error(err, SR_ENOMEM, "out of memory");
			goto done;
		}
		for (int j = 0; j < b->nq; j++)
		{
			cap[nc[j]] = b->capacity[j];
			seen[nc[j]] = b->cap_seen[j];
		}
		sr_free(b->capacity);
		sr_free(b->cap_seen);
		b->capacity = cap;
		b->cap_seen = seen;
	}
done:
	sr_free(nr);
	sr_free(nc);
	return st;
}

void
sr_match_pairs_problem(const sr_match_pairs *b, sr_match_problem *pb)
{
	pb->n_rows = b->np;
	pb->n_cols = b->nq;
	pb->n_edges = b->e.n;
	pb->erow = b->e.a;
	pb->ecol = b->e.b;
	pb->escore = b->e.v;
	pb->capacity = b->capacity;
	pb->row_id = b->pid;
	pb->col_id = b->qid;
}

void
sr_match_assigned_scores(const sr_match_problem *pb, const sr_match_solution *sol,
						 double *row_score)
{
	for (int i = 0; i < pb->n_rows; i++)
		row_score[i] = NAN;
	for (int64_t e = 0; e < pb->n_edges; e++)
		if (sol->row_col[pb->erow[e]] == pb->ecol[e])
			row_score[pb->erow[e]] = pb->escore[e];
}

void
sr_match_pairs_free(sr_match_pairs *b)
{
	sr_match_idmap_free(b->pmap);
	sr_match_idmap_free(b->qmap);
	sr_free(b->pid);
	sr_free(b->qid);
	edges_free(&b->e);
	sr_free(b->capacity);
	sr_free(b->cap_seen);
	memset(b, 0, sizeof(*b));
}
