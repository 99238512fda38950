/*
 * matching_assign.c — assignment of projects to premises with capacities:
 *  - optimal: maximum-weight b-matching by successive shortest augmenting
 *    paths (Dijkstra with Johnson potentials on the sparse graph, columns
 *    with native capacities, a private "unassigned" column per row), and
 *    the dense Jonker-Volgenant LAPJV for complete square unit problems;
 *  - stable: deferred acceptance (Gale & Shapley 1962) with capacities,
 *    project-proposing or premise-proposing (hospitals/residents, Roth 1984);
 *  - greedy: edges by decreasing score.
 *
 * References: R. Jonker, A. Volgenant, "A shortest augmenting path
 * algorithm for dense and sparse linear assignment problems", Computing 38
 * (1987) 325-340; D.F. Crouse, "On implementing 2D rectangular assignment
 * algorithms", IEEE TAES 52 (2016).
 */
#include "sr_matching.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* int64 -> index hash map (open addressing, linear probing)          */
/* ------------------------------------------------------------------ */

struct sr_match_idmap
{
	int64_t    *keys;
	int		   *vals;
	size_t		mask;
	int			count;
};

static size_t
hash64(int64_t k)
{
	uint64_t	x = (uint64_t) k;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (size_t) x;
}

sr_match_idmap *
sr_match_idmap_new(int64_t expected)
{
	sr_match_idmap *m = sr_alloc0(sizeof(*m));
	size_t		cap = 16;

	if (!m)
		return NULL;
	while ((int64_t) cap < expected * 2)
		cap <<= 1;
	m->keys = sr_alloc(cap * sizeof(int64_t));
	m->vals = sr_alloc(cap * sizeof(int));
	if (!m->keys || !m->vals)
	{
		sr_match_idmap_free(m);
		return NULL;
	}
	for (size_t i = 0; i < cap; i++)
		m->vals[i] = -1;
	m->mask = cap - 1;
	return m;
}

/* false out of memory (the map unchanged) */
static bool
idmap_grow(sr_match_idmap *m)
{
	size_t		oldcap = m->mask + 1,
				cap = oldcap * 2;
	int64_t    *ok = m->keys,
			   *nk = sr_alloc(cap * sizeof(int64_t));
	int		   *ov = m->vals,
			   *nv = sr_alloc(cap * sizeof(int));

	if (!nk || !nv)
	{
		sr_free(nk);
		sr_free(nv);
		return false;
	}
	m->keys = nk;
	m->vals = nv;
	for (size_t i = 0; i < cap; i++)
		m->vals[i] = -1;
	m->mask = cap - 1;
	for (size_t i = 0; i < oldcap; i++)
		if (ov[i] >= 0)
		{
			size_t		h = hash64(ok[i]) & m->mask;

			while (m->vals[h] >= 0)
				h = (h + 1) & m->mask;
			m->keys[h] = ok[i];
			m->vals[h] = ov[i];
		}
	sr_free(ok);
	sr_free(ov);
	return true;
}

int
sr_match_idmap_put(sr_match_idmap *m, int64_t key, bool *isnew)
{
	size_t		h;

	if ((size_t) (m->count + 1) * 2 > m->mask + 1 && !idmap_grow(m))
	{
		if (isnew)
			*isnew = false;
		return -1;
	}
	h = hash64(key) & m->mask;
	while (m->vals[h] >= 0)
	{
		if (m->keys[h] == key)
		{
			if (isnew)
				*isnew = false;
			return m->vals[h];
		}
		h = (h + 1) & m->mask;
	}
	m->keys[h] = key;
	m->vals[h] = m->count++;
	if (isnew)
		*isnew = true;
	return m->vals[h];
}

int
sr_match_idmap_get(const sr_match_idmap *m, int64_t key)
{
	size_t		h = hash64(key) & m->mask;

	while (m->vals[h] >= 0)
	{
		if (m->keys[h] == key)
			return m->vals[h];
		h = (h + 1) & m->mask;
	}
	return -1;
}

void
sr_match_idmap_free(sr_match_idmap *m)
{
	if (!m)
		return;
	sr_free(m->keys);
	sr_free(m->vals);
	sr_free(m);
}

/* ------------------------------------------------------------------ */
/* validated CSR form of a problem                                    */
/* ------------------------------------------------------------------ */

typedef struct
{
	int			n,
				m;
	int64_t    *start;			/* n+1, rows' edges with score > 0 */
	int		   *col;
	double	   *score;
	int		   *cap;
	int64_t		n_pos;			/* edges with score > 0 */
	const int64_t *row_id,
			   *col_id;
} csr;

static int64_t
rid(const csr *g, int i)
{
	return g->row_id ? g->row_id[i] : i;
}

static int64_t
cid(const csr *g, int j)
{
	return g->col_id ? g->col_id[j] : j;
}

static void
csr_free(csr *g)
{
	sr_free(g->start);
	sr_free(g->col);
	sr_free(g->score);
	sr_free(g->cap);
}

/* sort helper for one row's edges by column */
typedef struct
{
	int			col;
	double		score;
} ecell;

static int
cmp_ecell_col(const void *a, const void *b)
{
	const ecell *x = a,
			   *y = b;

	return (x->col > y->col) - (x->col < y->col);
}

/* Count work (elements touched) and check for interrupts about every
 * SR_SORT_CHECK_EVERY elements: a cancel lands within milliseconds however
 * the work is split (many short rows or a few long ones). */
static inline void
work_done(int64_t *work, int64_t n)
{
	*work += n;
	if (*work >= SR_SORT_CHECK_EVERY)
	{
		*work = 0;
		sr_check_interrupts();
	}
}

static sr_status
build_csr(const sr_match_problem *pb, csr *g, sr_err *err)
{
	int			n = pb->n_rows,
				m = pb->n_cols;
	int64_t    *cnt = NULL,
			   *fill = NULL;
	ecell	   *cells = NULL;
	int64_t		pos,
				work = 0;
	sr_status	st = SR_OK;

	memset(g, 0, sizeof(*g));
	g->n = n;
	g->m = m;
	g->row_id = pb->row_id;
	g->col_id = pb->col_id;
	if (n < 0 || m < 0 || pb->n_edges < 0)
		return sr_error(err, SR_EINVAL, "negative problem size");
	g->cap = sr_alloc(((size_t) m + 1) * sizeof(int));
	if (!g->cap)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int j = 0; j < m; j++)
	{
		int			c = pb->capacity ? pb->capacity[j] : 1;

		if (c < 0)
		{
			st = sr_error(err, SR_EDATA, "capacity of premise %lld is negative (%d)",
						  (long long) cid(g, j), c);
			goto done;
		}
		g->cap[j] = c;
	}
	cnt = sr_alloc0(((size_t) n + 1) * sizeof(int64_t));
	if (!cnt)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int64_t e = 0; e < pb->n_edges; e++)
	{
		int			i = pb->erow[e],
					j = pb->ecol[e];

		if (i < 0 || i >= n || j < 0 || j >= m)
		{
			st = sr_error(err, SR_EINTERNAL, "edge %lld has an index out of range",
						  (long long) e);
			goto done;
		}
		if (!isfinite(pb->escore[e]))
		{
			st = sr_error(err, SR_EDATA, "score of pair (project %lld, premise %lld) is not a finite number",
						  (long long) rid(g, i), (long long) cid(g, j));
			goto done;
		}
		/* sums of scores near the largest double are infinite, and the
		 * solvers' comparisons of them meaningless (three projects of
		 * 1e308 lost one): a bound far above any score, far below overflow
		 * (2^31 projects x 1e15 = 2e24) */
		if (pb->escore[e] > SR_MATCH_MAX_SCORE)
		{
			st = sr_error(err, SR_EDATA, "score of pair (project %lld, premise %lld) is too large: %g",
						  (long long) rid(g, i), (long long) cid(g, j), pb->escore[e]);
			sr_error_detail(err, "Scores are at most 1e15: the totals the solvers compare are sums in double precision.");
			sr_error_hint(err, "Scale the scores down; the assignment does not change when every score is divided by the same positive number.");
			goto done;
		}
		cnt[i + 1]++;
		work_done(&work, 1);
	}
	for (int i = 0; i < n; i++)
		cnt[i + 1] += cnt[i];
	cells = sr_alloc(((size_t) pb->n_edges + 1) * sizeof(ecell));
	fill = sr_alloc(((size_t) n + 1) * sizeof(int64_t));
	if (!cells || !fill)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	memcpy(fill, cnt, ((size_t) n + 1) * sizeof(int64_t));
	/* pairs listed premise by premise scatter to the first page of every
	 * row within a few thousand pairs: touch the cells in order first */
	sr_prefault(cells, ((size_t) pb->n_edges + 1) * sizeof(ecell));
	for (int64_t e = 0; e < pb->n_edges; e++)
	{
		int64_t		p = fill[pb->erow[e]]++;

		cells[p].col = pb->ecol[e];
		cells[p].score = pb->escore[e];
		work_done(&work, 1);
	}
	/* sort each row by column, reject duplicates, keep score > 0 */
	g->start = sr_alloc(((size_t) n + 1) * sizeof(int64_t));
	g->col = sr_alloc(((size_t) pb->n_edges + 1) * sizeof(int));
	g->score = sr_alloc(((size_t) pb->n_edges + 1) * sizeof(double));
	if (!g->start || !g->col || !g->score)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	pos = 0;
	for (int i = 0; i < n; i++)
	{
		int64_t		a = cnt[i],
					b = cnt[i + 1];

		if (b - a > 1)
		{
			bool		sorted = true;

			/* rows often arrive sorted (dense matrices): skip the sort */
			for (int64_t e = a + 1; e < b && sorted; e++)
				sorted = cells[e - 1].col <= cells[e].col;
			if (!sorted && sr_sort(cells + a, (size_t) (b - a), sizeof(ecell), cmp_ecell_col,
								   err) != SR_OK)
			{
				st = err->status;
				goto done;
			}
		}
		g->start[i] = pos;
		for (int64_t e = a; e < b; e++)
		{
			if (e > a && cells[e].col == cells[e - 1].col)
			{
				st = sr_error(err, SR_EDATA, "duplicate pair (project %lld, premise %lld)",
							  (long long) rid(g, i), (long long) cid(g, cells[e].col));
				sr_error_detail(err, "Each (project_id, premise_id) pair may appear only once.");
				goto done;
			}
			if (cells[e].score > 0)
			{
				g->col[pos] = cells[e].col;
				g->score[pos] = cells[e].score;
				pos++;
			}
		}
		work_done(&work, b - a + 1);
	}
	g->start[n] = pos;
	g->n_pos = pos;
done:
	sr_free(fill);
	sr_free(cells);
	sr_free(cnt);
	if (st != SR_OK)
		csr_free(g);
	return st;
}


/* ------------------------------------------------------------------ */
/* the optimum's last step and the totals                             */
/* ------------------------------------------------------------------ */

/* score of edge (i, j), a listed pair with score > 0 (binary search of
 * row i's edges, sorted by column) */
static double
edge_score(const csr *g, int i, int j)
{
	int64_t		lo = g->start[i],
				hi = g->start[i + 1] - 1;

	while (lo < hi)
	{
		int64_t		mid = (lo + hi) / 2;

		if (g->col[mid] < j)
			lo = mid + 1;
		else
			hi = mid;
	}
	return g->score[lo];
}

/*
 * Sets sol->total and n_assigned: the scores summed with Neumaier's
 * compensation, so that the total of scores many orders of magnitude apart
 * (1e15 and 1e-3) is the exact sum rounded once, not a sum whose small
 * terms vanished one by one.  rowscore: each assigned row's score, when the
 * solver kept it (NULL: looked up).
 */
static void
sol_total(const csr *g, sr_match_solution *sol, const double *rowscore)
{
	double		sum = 0,
				c = 0;
	int64_t		work = 0;

	sol->n_assigned = 0;
	for (int i = 0; i < g->n; i++)
	{
		int			j = sol->row_col[i];

		if (j >= 0)
		{
			double		x = rowscore ? rowscore[i] : edge_score(g, i, j);
			double		t = sum + x;

			c += fabs(sum) >= fabs(x) ? (sum - t) + x : (x - t) + sum;
			sum = t;
			sol->n_assigned++;
		}
		work_done(&work, 1);
	}
	sol->total = sum + c;
}

/*
 * The optimal solvers compare sums of scores in double precision: a score
 * below the rounding of the potentials of its component (2^-53 of its
 * largest scores; 1.9e-15 beside 2e14) is no gain to them, so a project
 * could be left out beside a premise with room where it scores 1.9e-15
 * (random problems checked against exact rational brute force found
 * these). Adding such a pair raises the exact total: each free project
 * takes its best pair (ties: lower premise id) among the premises with
 * room, in id order. Returns false out of memory.
 */
static bool
fill_free_pairs(const csr *g, sr_match_solution *sol)
{
	int		   *used = sr_alloc0(((size_t) g->m + 1) * sizeof(int));
	int64_t		work = 0;

	if (!used)
		return false;
	for (int i = 0; i < g->n; i++)
		if (sol->row_col[i] >= 0)
			used[sol->row_col[i]]++;
	for (int i = 0; i < g->n; i++)
	{
		int			best = -1;
		double		best_s = 0;

		if (sol->row_col[i] >= 0)
			continue;
		for (int64_t e = g->start[i]; e < g->start[i + 1]; e++)
		{
			int			j = g->col[e];

			if (g->score[e] > best_s && used[j] < g->cap[j])
			{
				best = j;
				best_s = g->score[e];
			}
		}
		if (best >= 0)
		{
			sol->row_col[i] = best;
			used[best]++;
		}
		work_done(&work, g->start[i + 1] - g->start[i] + 1);
	}
	sr_free(used);
	return true;
}

/* ------------------------------------------------------------------ */
/* optimal, sparse: successive shortest paths with potentials         */
/* ------------------------------------------------------------------ */

typedef struct
{
	double		key;
	int			node;
} hitem;

typedef struct
{
	hitem	   *a;
	int64_t		n,
				cap;
} heap;

/* false out of memory (the heap unchanged) */
static bool
heap_push(heap *h, double key, int node)
{
	int64_t		i;

	if (h->n == h->cap)
	{
		int64_t		cap = h->cap ? h->cap * 2 : 1024;
		hitem	   *a = sr_realloc(h->a, (size_t) cap * sizeof(hitem));

		if (!a)
			return false;
		h->a = a;
		h->cap = cap;
	}
	i = h->n++;
	while (i > 0)
	{
		int64_t		p = (i - 1) / 2;

		if (h->a[p].key <= key)
			break;
		h->a[i] = h->a[p];
		i = p;
	}
	h->a[i].key = key;
	h->a[i].node = node;
	return true;
}

static hitem
heap_pop(heap *h)
{
	hitem		top = h->a[0],
				last = h->a[--h->n];
	int64_t		i = 0;

	for (;;)
	{
		int64_t		c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->a[c + 1].key < h->a[c].key)
			c++;
		if (h->a[c].key >= last.key)
			break;
		h->a[i] = h->a[c];
		i = c;
	}
	if (h->n > 0)
		h->a[i] = last;
	return top;
}

/*
 * Minimisation of sum c_ij = -s_ij over a matching where row i may use
 * its private column m+i at cost 0 (= unassigned).  Reduced costs
 * c_ij - u_i - v_j stay >= 0 and are 0 on assigned edges; columns with
 * spare capacity keep v_j = 0, so (max(0,-u), -v) is an optimal LP dual of
 * the maximisation.
 */
static sr_status
solve_sparse(const csr *g, sr_match_solution *sol, sr_err *err)
{
	int			n = g->n,
				m = g->m,
				nc = m + n;
	double	   *u = sr_alloc(((size_t) n + 1) * sizeof(double));
	double	   *v = sr_alloc0(((size_t) nc + 1) * sizeof(double));
	double	   *d = sr_alloc(((size_t) nc + 1) * sizeof(double));
	double	   *drow = sr_alloc(((size_t) n + 1) * sizeof(double));
	int		   *dstamp = sr_alloc0(((size_t) nc + 1) * sizeof(int));
	int		   *settled = sr_alloc0(((size_t) nc + 1) * sizeof(int));
	int		   *rstamp = sr_alloc0(((size_t) n + 1) * sizeof(int));
	int		   *pred = sr_alloc(((size_t) nc + 1) * sizeof(int));
	int		   *cnt = sr_alloc0(((size_t) nc + 1) * sizeof(int));
	int		   *head = sr_alloc(((size_t) nc + 1) * sizeof(int));
	int		   *nxt = sr_alloc(((size_t) n + 1) * sizeof(int));
	int		   *prv = sr_alloc(((size_t) n + 1) * sizeof(int));
	int		   *rowcol = sr_alloc(((size_t) n + 1) * sizeof(int));
	int		   *slist = sr_alloc(((size_t) nc + 1) * sizeof(int));
	int		   *rlist = sr_alloc(((size_t) n + 1) * sizeof(int));
	heap		h = {NULL, 0, 0};
	sr_status	st = SR_EINTERNAL;

	if (!u || !v || !d || !drow || !dstamp || !settled || !rstamp || !pred || !cnt || !head ||
		!nxt || !prv || !rowcol || !slist || !rlist)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto fail;
	}
	for (int j = 0; j < nc; j++)
		head[j] = -1;
	for (int i = 0; i < n; i++)
	{
		double		best = 0;

		for (int64_t e = g->start[i]; e < g->start[i + 1]; e++)
			if (g->score[e] > best)
				best = g->score[e];
		u[i] = -best;			/* min(0, min_j c_ij) */
		rowcol[i] = -1;
	}

	for (int i0 = 0; i0 < n; i0++)
	{
		int			stamp = i0 + 1;
		int			ns = 0,
					nr = 0,
					end = -1;
		double		D = 0;

		if ((i0 & 255) == 0)
			sr_check_interrupts();
		h.n = 0;
		/* scan row i0 at distance 0 */
		rlist[nr++] = i0;
		rstamp[i0] = stamp;
		drow[i0] = 0;
		for (int scanned = 0;;)
		{
			int			j = -1;

			/* scan the rows reached and not yet scanned */
			for (; scanned < nr; scanned++)
			{
				int			i = rlist[scanned];
				double		di = drow[i];

				for (int64_t e = g->start[i]; e <= g->start[i + 1]; e++)
				{
					int			jj;
					double		r;

					if (e < g->start[i + 1])
					{
						jj = g->col[e];
						r = -g->score[e] - u[i] - v[jj];
					}
					else
					{
						jj = m + i; /* private "unassigned" column */
						r = -u[i] - v[jj];
					}
					if (r < 0)
						r = 0;	/* rounding */
					if (settled[jj] == stamp)
						continue;
					if (dstamp[jj] != stamp || di + r < d[jj])
					{
						dstamp[jj] = stamp;
						d[jj] = di + r;
						pred[jj] = i;
						if (!heap_push(&h, d[jj], jj))
						{
							st = sr_error(err, SR_ENOMEM, "out of memory");
							goto fail;
						}
					}
				}
			}
			/* settle the nearest column */
			while (h.n > 0)
			{
				hitem		it = heap_pop(&h);

				if (settled[it.node] != stamp && it.key == d[it.node])
				{
					j = it.node;
					break;
				}
			}
			if (j < 0)
			{
				st = sr_error(err, SR_EINTERNAL, "augmenting path search found no free column");
				goto fail;
			}
			settled[j] = stamp;
			slist[ns++] = j;
			if (cnt[j] < (j < m ? g->cap[j] : 1))
			{
				end = j;
				D = d[j];
				break;
			}
			/* rows assigned to j are reached at distance d[j] */
			for (int r = head[j]; r >= 0; r = nxt[r])
				if (rstamp[r] != stamp)
				{
					rstamp[r] = stamp;
					drow[r] = d[j];
					rlist[nr++] = r;
				}
		}
		/* update potentials (keeps reduced costs >= 0) */
		for (int s = 0; s < ns; s++)
			v[slist[s]] -= D - d[slist[s]];
		for (int s = 0; s < nr; s++)
			u[rlist[s]] += D - drow[rlist[s]];
		/* augment along pred */
		{
			int			j = end;

			cnt[end]++;
			for (;;)
			{
				int			i = pred[j];
				int			old = rowcol[i];

				/* move row i from old to j */
				if (old >= 0)
				{
					if (prv[i] >= 0)
						nxt[prv[i]] = nxt[i];
					else
						head[old] = nxt[i];
					if (nxt[i] >= 0)
						prv[nxt[i]] = prv[i];
				}
				rowcol[i] = j;
				prv[i] = -1;
				nxt[i] = head[j];
				if (head[j] >= 0)
					prv[head[j]] = i;
				head[j] = i;
				if (old < 0)
					break;
				j = old;
			}
		}
	}

	/* solution and LP duals */
	sol->row_col = sr_alloc(((size_t) n + 1) * sizeof(int));
	sol->u = sr_alloc(((size_t) n + 1) * sizeof(double));
	sol->v = sr_alloc(((size_t) m + 1) * sizeof(double));
	if (!sol->row_col || !sol->u || !sol->v)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto fail;
	}
	sol->total = 0;
	sol->n_assigned = 0;
	for (int i = 0; i < n; i++)
	{
		int			j = rowcol[i];

		sol->u[i] = -u[i] > 0 ? -u[i] : 0;
		if (j >= m)
			j = -1;
		sol->row_col[i] = j;
	}
	for (int j = 0; j < m; j++)
		sol->v[j] = -v[j] > 0 ? -v[j] : 0;
	if (!fill_free_pairs(g, sol))
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto fail;
	}
	sol_total(g, sol, NULL);

	st = SR_OK;
fail:
	if (st != SR_OK)
		sr_match_solution_free(sol);
	sr_free(h.a);
	sr_free(u);
	sr_free(v);
	sr_free(d);
	sr_free(drow);
	sr_free(dstamp);
	sr_free(settled);
	sr_free(rstamp);
	sr_free(pred);
	sr_free(cnt);
	sr_free(head);
	sr_free(nxt);
	sr_free(prv);
	sr_free(rowcol);
	sr_free(slist);
	sr_free(rlist);
	return st;
}

/* ------------------------------------------------------------------ */
/* optimal, dense square: LAPJV                                       */
/* ------------------------------------------------------------------ */

sr_status
sr_match_lapjv(int n, const double *c, int *rowsol, double *total, sr_err *err)
{
	int		   *colsol = sr_alloc(((size_t) n + 1) * sizeof(int));
	int		   *freerows = sr_alloc(((size_t) n + 1) * sizeof(int));
	int		   *collist = sr_alloc(((size_t) n + 1) * sizeof(int));
	int		   *matches = sr_alloc0(((size_t) n + 1) * sizeof(int));
	int		   *pred = sr_alloc(((size_t) n + 1) * sizeof(int));
	double	   *d = sr_alloc(((size_t) n + 1) * sizeof(double));
	double	   *v = sr_alloc(((size_t) n + 1) * sizeof(double));
	int			numfree = 0;
	sr_status	st = SR_OK;

	if (!colsol || !freerows || !collist || !matches || !pred || !d || !v)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	if (n <= 0)
	{
		*total = 0;
		goto done;
	}
	if (n == 1)
	{
		rowsol[0] = 0;
		*total = c[0];
		goto done;
	}
	for (int i = 0; i < n; i++)
		rowsol[i] = -1;

	/* column reduction: each column to its cheapest row */
	for (int j = n - 1; j >= 0; j--)
	{
		double		min = c[j];
		int			imin = 0;

		for (int i = 1; i < n; i++)
			if (c[(size_t) i * n + j] < min)
			{
				min = c[(size_t) i * n + j];
				imin = i;
			}
		v[j] = min;
		if (++matches[imin] == 1)
		{
			rowsol[imin] = j;
			colsol[j] = imin;
		}
		else if (v[j] < v[rowsol[imin]])
		{
			int			j1 = rowsol[imin];

			rowsol[imin] = j;
			colsol[j] = imin;
			colsol[j1] = -1;
		}
		else
			colsol[j] = -1;
	}
	/* reduction transfer */
	for (int i = 0; i < n; i++)
	{
		if (matches[i] == 0)
			freerows[numfree++] = i;
		else if (matches[i] == 1)
		{
			int			j1 = rowsol[i];
			double		min = INFINITY;
			const double *ci = c + (size_t) i * n;

			for (int j = 0; j < n; j++)
				if (j != j1 && ci[j] - v[j] < min)
					min = ci[j] - v[j];
			if (isfinite(min))
				v[j1] -= min;
		}
	}
	/* augmenting row reduction, two passes */
	for (int loop = 0; loop < 2; loop++)
	{
		int			k = 0,
					prvnumfree = numfree;
		int64_t		guard = 0;

		numfree = 0;
		while (k < prvnumfree)
		{
			int			i = freerows[k++];
			const double *ci = c + (size_t) i * n;
			double		umin = ci[0] - v[0],
						usubmin = INFINITY;
			int			j1 = 0,
						j2 = -1,
						i0;

			for (int j = 1; j < n; j++)
			{
				double		h = ci[j] - v[j];

				if (h < usubmin)
				{
					if (h >= umin)
					{
						usubmin = h;
						j2 = j;
					}
					else
					{
						usubmin = umin;
						umin = h;
						j2 = j1;
						j1 = j;
					}
				}
			}
			i0 = colsol[j1];
			if (umin < usubmin)
			{
				/* the guard bounds float ping-pong between near-equal
				 * rows: past it, the row waits for the augmentation */
				if (++guard > (int64_t) n * 16)
				{
					freerows[numfree++] = i;
					continue;
				}
				v[j1] -= usubmin - umin;
			}
			else if (i0 >= 0)
			{
				j1 = j2;
				i0 = colsol[j2];
			}
			rowsol[i] = j1;
			colsol[j1] = i;
			if (i0 >= 0)
			{
				if (umin < usubmin)
					freerows[--k] = i0;
				else
					freerows[numfree++] = i0;
				rowsol[i0] = -1;
			}
		}
		sr_check_interrupts();
	}
	/* augmentation: dense Dijkstra for each remaining free row */
	for (int f = 0; f < numfree; f++)
	{
		int			freerow = freerows[f];
		int			low = 0,
					up = 0,
					last = 0,
					endofpath = -1;
		double		min = 0;
		bool		found = false;
		const double *cf = c + (size_t) freerow * n;

		if ((f & 63) == 0)
			sr_check_interrupts();
		for (int j = 0; j < n; j++)
		{
			d[j] = cf[j] - v[j];
			pred[j] = freerow;
			collist[j] = j;
		}
		do
		{
			if (up == low)
			{
				/* next set of columns at the minimum distance */
				last = low - 1;
				min = d[collist[up++]];
				for (int k = up; k < n; k++)
				{
					int			j = collist[k];
					double		h = d[j];

					if (h <= min)
					{
						if (h < min)
						{
							up = low;
							min = h;
						}
						collist[k] = collist[up];
						collist[up++] = j;
					}
				}
				for (int k = low; k < up; k++)
					if (colsol[collist[k]] < 0)
					{
						endofpath = collist[k];
						found = true;
						break;
					}
			}
			if (!found)
			{
				int			j1 = collist[low++];
				int			i = colsol[j1];
				const double *ci = c + (size_t) i * n;
				double		h = ci[j1] - v[j1] - min;

				for (int k = up; k < n; k++)
				{
					int			j = collist[k];
					double		v2 = ci[j] - v[j] - h;

					if (v2 < d[j])
					{
						pred[j] = i;
						if (v2 == min)
						{
							if (colsol[j] < 0)
							{
								endofpath = j;
								found = true;
								break;
							}
							collist[k] = collist[up];
							collist[up++] = j;
						}
						d[j] = v2;
					}
				}
			}
		} while (!found);
		/* price update of the columns scanned */
		for (int k = 0; k <= last; k++)
		{
			int			j1 = collist[k];

			v[j1] += d[j1] - min;
		}
		/* augment */
		{
			int			i;

			do
			{
				int			j1;

				i = pred[endofpath];
				colsol[endofpath] = i;
				j1 = endofpath;
				endofpath = rowsol[i];
				rowsol[i] = j1;
			} while (i != freerow);
		}
	}
	*total = 0;
	for (int i = 0; i < n; i++)
	{
		if (rowsol[i] < 0)
		{
			st = sr_error(err, SR_EINTERNAL, "dense assignment left row %d unassigned", i);
			break;
		}
		*total += c[(size_t) i * n + rowsol[i]];
	}
done:
	sr_free(colsol);
	sr_free(freerows);
	sr_free(collist);
	sr_free(matches);
	sr_free(pred);
	sr_free(d);
	sr_free(v);
	return st;
}

/*
 * Complete problems (every pair listed, every score > 0) of moderate size go
 * to LAPJV: columns are expanded into capacity slots (a column never needs
 * more slots than there are rows) and the matrix is padded to a square with
 * zero-cost dummy rows or slots; with positive scores an optimum saturates
 * the smaller side, so dummies only absorb what cannot be assigned.
 */
#define DENSE_MAX 3000

static int
dense_size(const csr *g, int64_t *slots)
{
	int64_t		S = 0;
	int64_t		N;

	*slots = 0;
	if (g->n < 2 || g->m < 1 || g->n_pos != (int64_t) g->n * g->m)
		return 0;
	for (int j = 0; j < g->m; j++)
		S += g->cap[j] < g->n ? g->cap[j] : g->n;
	N = S > g->n ? S : g->n;
	/* dense only when it is hardly padded: zero-cost dummy rows are ties,
	 * which slow LAPJV's augmenting row reduction down */
	if (S == 0 || N > DENSE_MAX || N * N * 5 > 6 * g->n_pos)
		return 0;
	*slots = S;
	return (int) N;
}

static sr_status
solve_dense(const csr *g, int N, int64_t S, sr_match_solution *sol, sr_err *err)
{
	int			n = g->n;
	double	   *cost = sr_alloc0((size_t) N * N * sizeof(double));
	int		   *slot_col = sr_alloc(((size_t) N + 1) * sizeof(int));
	int		   *rc = sr_alloc(((size_t) N + 1) * sizeof(int));
	double		total;
	sr_status	st;
	int			k = 0;

	if (!cost || !slot_col || !rc)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int j = 0; j < g->m; j++)
		for (int c = 0; c < g->cap[j] && c < n; c++)
			slot_col[k++] = j;
	for (; k < N; k++)
		slot_col[k] = -1;		/* dummy slots */
	/* rows are sorted by column and complete: edge (i,j) is at i*m+j */
	for (int i = 0; i < n; i++)
		for (int t = 0; t < S; t++)
			cost[(size_t) i * N + t] = -g->score[(int64_t) i * g->m + slot_col[t]];
	st = sr_match_lapjv(N, cost, rc, &total, err);
	if (st != SR_OK)
		goto done;
	sol->row_col = sr_alloc(((size_t) n + 1) * sizeof(int));
	if (!sol->row_col)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int i = 0; i < n; i++)
		sol->row_col[i] = slot_col[rc[i]];
	sol->u = sol->v = NULL;
	if (!fill_free_pairs(g, sol))
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	sol_total(g, sol, NULL);
done:
	sr_free(cost);
	sr_free(slot_col);
	sr_free(rc);
	return st;
}

/* ------------------------------------------------------------------ */
/* stable matching (deferred acceptance) and greedy                   */
/* ------------------------------------------------------------------ */

/* a better than b for a premise: higher score, then lower project id */
static bool
row_better(const csr *g, double sa, int a, double sb, int b)
{
	if (sa != sb)
		return sa > sb;
	return rid(g, a) < rid(g, b);
}

/* a better than b for a project: higher score, then lower premise id */
static bool
col_better(const csr *g, double sa, int a, double sb, int b)
{
	if (sa != sb)
		return sa > sb;
	return cid(g, a) < cid(g, b);
}

typedef struct
{
	int			who;
	double		score;
} held;

static const csr *sort_g;

static int
cmp_row_pref(const void *a, const void *b)
{
	const ecell *x = a,
			   *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (cid(sort_g, x->col) > cid(sort_g, y->col)) -
		(cid(sort_g, x->col) < cid(sort_g, y->col));
}

static void
sol_from_rowcol(const csr *g, int *rowcol, double *rowscore,
				sr_match_solution *sol)
{
	sol->row_col = rowcol;
	sol->u = sol->v = NULL;
	sol_total(g, sol, rowscore);
}

/* Project-proposing deferred acceptance with premise capacities. */
static sr_status
solve_stable_rows(const csr *g, sr_match_solution *sol, sr_err *err)
{
	int			n = g->n,
				m = g->m;
	ecell	   *pref = sr_alloc(((size_t) g->n_pos + 1) * sizeof(ecell));
	int64_t    *next = sr_alloc(((size_t) n + 1) * sizeof(int64_t));
	int		   *stack = sr_alloc(((size_t) n + 1) * sizeof(int));
	int64_t    *hoff = sr_alloc(((size_t) m + 1) * sizeof(int64_t));
	int		   *hn = sr_alloc0(((size_t) m + 1) * sizeof(int));
	int		   *hcap = sr_alloc0(((size_t) m + 1) * sizeof(int));
	held	   *heaps = NULL;
	int		   *rowcol = sr_alloc(((size_t) n + 1) * sizeof(int));
	double	   *rowscore = sr_alloc(((size_t) n + 1) * sizeof(double));
	int			sp = 0;
	int64_t		tot = 0,
				steps = 0,
				work = 0;
	sr_status	st = SR_OK;

	if (!pref || !next || !stack || !hoff || !hn || !hcap || !rowcol || !rowscore)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	/* preference lists: each row's edges by decreasing score (the sorts
	 * check for interrupts, as does the loop between them) */
	sort_g = g;
	for (int i = 0; i < n; i++)
	{
		int64_t		a = g->start[i],
					b = g->start[i + 1];

		for (int64_t e = a; e < b; e++)
		{
			pref[e].col = g->col[e];
			pref[e].score = g->score[e];
			hcap[g->col[e]]++;
		}
		if (sr_sort(pref + a, (size_t) (b - a), sizeof(ecell), cmp_row_pref, err) != SR_OK)
		{
			st = err->status;
			goto done;
		}
		work_done(&work, b - a + 1);
		next[i] = a;
		rowcol[i] = -1;
	}
	/* a premise holds at most min(capacity, degree) projects */
	for (int j = 0; j < m; j++)
	{
		if (hcap[j] > g->cap[j])
			hcap[j] = g->cap[j];
		hoff[j] = tot;
		tot += hcap[j];
	}
	heaps = sr_alloc(((size_t) tot + 1) * sizeof(held));
	if (!heaps)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int i = n - 1; i >= 0; i--)
		stack[sp++] = i;

	while (sp > 0)
	{
		int			i = stack[--sp];

		while (next[i] < g->start[i + 1])
		{
			int			j = pref[next[i]].col;
			double		s = pref[next[i]].score;
			held	   *hp = heaps + hoff[j];

			next[i]++;
			if ((++steps & 65535) == 0)
				sr_check_interrupts();
			if (hcap[j] == 0)
				continue;
			if (hn[j] < hcap[j])
			{
				/* sift up in a heap whose top is the worst held project */
				int			k = hn[j]++;

				while (k > 0)
				{
					int			p = (k - 1) / 2;

					if (!row_better(g, hp[p].score, hp[p].who, s, i))
						break;
					hp[k] = hp[p];
					k = p;
				}
				hp[k].who = i;
				hp[k].score = s;
				rowcol[i] = j;
				rowscore[i] = s;
				break;
			}
			if (row_better(g, s, i, hp[0].score, hp[0].who))
			{
				int			w = hp[0].who,
							k = 0,
							cnt = hn[j];

				/* replace the worst and sift down */
				for (;;)
				{
					int			c = 2 * k + 1;

					if (c >= cnt)
						break;
					if (c + 1 < cnt && row_better(g, hp[c].score, hp[c].who,
												  hp[c + 1].score, hp[c + 1].who))
						c++;
					if (!row_better(g, s, i, hp[c].score, hp[c].who))
						break;
					hp[k] = hp[c];
					k = c;
				}
				hp[k].who = i;
				hp[k].score = s;
				rowcol[i] = j;
				rowscore[i] = s;
				rowcol[w] = -1;
				stack[sp++] = w;
				break;
			}
		}
	}
	sol_from_rowcol(g, rowcol, rowscore, sol);
	rowcol = NULL;				/* the solution's now */
done:
	sr_free(pref);
	sr_free(next);
	sr_free(stack);
	sr_free(hoff);
	sr_free(hn);
	sr_free(hcap);
	sr_free(heaps);
	sr_free(rowcol);
	sr_free(rowscore);
	return st;
}

typedef struct
{
	int			row;
	double		score;
} rcell;

static int
cmp_col_pref(const void *a, const void *b)
{
	const rcell *x = a,
			   *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return (rid(sort_g, x->row) > rid(sort_g, y->row)) -
		(rid(sort_g, x->row) < rid(sort_g, y->row));
}

/* Premise-proposing deferred acceptance: premises with free places
 * propose to projects in their preference order; a project keeps the best
 * offer. */
static sr_status
solve_stable_cols(const csr *g, sr_match_solution *sol, sr_err *err)
{
	int			n = g->n,
				m = g->m;
	int64_t    *cstart = sr_alloc0(((size_t) m + 2) * sizeof(int64_t));
	rcell	   *cl = sr_alloc(((size_t) g->n_pos + 1) * sizeof(rcell));
	int64_t    *next = sr_alloc(((size_t) m + 1) * sizeof(int64_t));
	int		   *held_n = sr_alloc0(((size_t) m + 1) * sizeof(int));
	int		   *queue = sr_alloc(((size_t) m + 1) * sizeof(int));
	char	   *inq = sr_alloc0((size_t) m + 1);
	int		   *rowcol = sr_alloc(((size_t) n + 1) * sizeof(int));
	double	   *rowscore = sr_alloc(((size_t) n + 1) * sizeof(double));
	int			qh = 0,
				qn = 0;
	int64_t		steps = 0,
				work = 0;
	sr_status	st = SR_OK;

	if (!cstart || !cl || !next || !held_n || !queue || !inq || !rowcol || !rowscore)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	/* transpose to per-column lists (touched in order first, as the rows
	 * of build_csr) */
	sr_prefault(cl, ((size_t) g->n_pos + 1) * sizeof(rcell));
	for (int64_t e = 0; e < g->n_pos; e++)
	{
		cstart[g->col[e] + 1]++;
		work_done(&work, 1);
	}
	for (int j = 0; j < m; j++)
		cstart[j + 1] += cstart[j];
	memcpy(next, cstart, (size_t) m * sizeof(int64_t));
	for (int i = 0; i < n; i++)
	{
		rowcol[i] = -1;
		for (int64_t e = g->start[i]; e < g->start[i + 1]; e++)
		{
			int64_t		p = next[g->col[e]]++;

			cl[p].row = i;
			cl[p].score = g->score[e];
		}
		work_done(&work, g->start[i + 1] - g->start[i] + 1);
	}
	sort_g = g;
	for (int j = 0; j < m; j++)
	{
		if (sr_sort(cl + cstart[j], (size_t) (cstart[j + 1] - cstart[j]), sizeof(rcell),
					cmp_col_pref, err) != SR_OK)
		{
			st = err->status;
			goto done;
		}
		work_done(&work, cstart[j + 1] - cstart[j] + 1);
		next[j] = cstart[j];
		if (g->cap[j] > 0 && cstart[j + 1] > cstart[j])
		{
			queue[qn++ % (m + 1)] = j;
			inq[j] = 1;
		}
	}
	/* circular queue of premises with free places and offers left */
	while (qh != qn)
	{
		int			j = queue[qh++ % (m + 1)];

		inq[j] = 0;
		while (held_n[j] < g->cap[j] && next[j] < cstart[j + 1])
		{
			int			i = cl[next[j]].row;
			double		s = cl[next[j]].score;

			next[j]++;
			if ((++steps & 65535) == 0)
				sr_check_interrupts();
			if (rowcol[i] < 0)
			{
				rowcol[i] = j;
				rowscore[i] = s;
				held_n[j]++;
			}
			else if (col_better(g, s, j, rowscore[i], rowcol[i]))
			{
				int			k = rowcol[i];

				held_n[k]--;
				rowcol[i] = j;
				rowscore[i] = s;
				held_n[j]++;
				if (!inq[k] && next[k] < cstart[k + 1])
				{
					queue[qn++ % (m + 1)] = k;
					inq[k] = 1;
				}
			}
		}
	}
	sol_from_rowcol(g, rowcol, rowscore, sol);
	rowcol = NULL;				/* the solution's now */
done:
	sr_free(cstart);
	sr_free(cl);
	sr_free(next);
	sr_free(held_n);
	sr_free(queue);
	sr_free(inq);
	sr_free(rowcol);
	sr_free(rowscore);
	return st;
}

typedef struct
{
	double		score;
	int			row,
				col;
} gedge;

static int
cmp_greedy(const void *a, const void *b)
{
	const gedge *x = a,
			   *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (rid(sort_g, x->row) != rid(sort_g, y->row))
		return rid(sort_g, x->row) < rid(sort_g, y->row) ? -1 : 1;
	return (cid(sort_g, x->col) > cid(sort_g, y->col)) -
		(cid(sort_g, x->col) < cid(sort_g, y->col));
}

static sr_status
solve_greedy(const csr *g, sr_match_solution *sol, sr_err *err)
{
	gedge	   *es = sr_alloc(((size_t) g->n_pos + 1) * sizeof(gedge));
	int		   *left = sr_alloc(((size_t) g->m + 1) * sizeof(int));
	int		   *rowcol = sr_alloc(((size_t) g->n + 1) * sizeof(int));
	double	   *rowscore = sr_alloc(((size_t) g->n + 1) * sizeof(double));
	int64_t		work = 0;
	sr_status	st = SR_OK;

	if (!es || !left || !rowcol || !rowscore)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int i = 0; i < g->n; i++)
	{
		rowcol[i] = -1;
		for (int64_t e = g->start[i]; e < g->start[i + 1]; e++)
		{
			es[e].score = g->score[e];
			es[e].row = i;
			es[e].col = g->col[e];
		}
		work_done(&work, g->start[i + 1] - g->start[i] + 1);
	}
	memcpy(left, g->cap, (size_t) g->m * sizeof(int));
	sort_g = g;
	if (sr_sort(es, (size_t) g->n_pos, sizeof(gedge), cmp_greedy, err) != SR_OK)
	{
		st = err->status;
		goto done;
	}
	for (int64_t e = 0; e < g->n_pos; e++)
	{
		if (rowcol[es[e].row] < 0 && left[es[e].col] > 0)
		{
			rowcol[es[e].row] = es[e].col;
			rowscore[es[e].row] = es[e].score;
			left[es[e].col]--;
		}
		work_done(&work, 1);
	}
	sol_from_rowcol(g, rowcol, rowscore, sol);
	rowcol = NULL;				/* the solution's now */
done:
	sr_free(es);
	sr_free(left);
	sr_free(rowcol);
	sr_free(rowscore);
	return st;
}

/* ------------------------------------------------------------------ */

sr_status
sr_match_solve(const sr_match_problem *pb, sr_match_method method,
				sr_match_solution *sol, sr_err *err)
{
	csr			g;
	sr_status	st;

	memset(sol, 0, sizeof(*sol));
	st = build_csr(pb, &g, err);
	if (st != SR_OK)
		return st;
	switch (method)
	{
		case SR_ASSIGN_OPTIMAL:
			{
				int64_t		S;
				int			N = dense_size(&g, &S);

				st = N > 0 ? solve_dense(&g, N, S, sol, err) : solve_sparse(&g, sol, err);
			}
			break;
		case SR_ASSIGN_STABLE:
			st = solve_stable_rows(&g, sol, err);
			break;
		case SR_ASSIGN_STABLE_PREMISES:
			st = solve_stable_cols(&g, sol, err);
			break;
		case SR_ASSIGN_GREEDY:
			st = solve_greedy(&g, sol, err);
			break;
		default:
			st = sr_error(err, SR_EINTERNAL, "unrecognized assignment method %d", (int) method);	/* the glue passes an enum */
	}
	csr_free(&g);
	return st;
}

sr_status
sr_match_assign_sparse_optimal(const sr_match_problem *pb,
							   sr_match_solution *sol, sr_err *err)
{
	csr			g;
	sr_status	st;

	memset(sol, 0, sizeof(*sol));
	st = build_csr(pb, &g, err);
	if (st != SR_OK)
		return st;
	st = solve_sparse(&g, sol, err);
	csr_free(&g);
	return st;
}

void
sr_match_solution_free(sr_match_solution *sol)
{
	sr_free(sol->row_col);
	sr_free(sol->u);
	sr_free(sol->v);
	memset(sol, 0, sizeof(*sol));
}
