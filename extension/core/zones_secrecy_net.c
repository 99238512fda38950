/*
 * zones_secrecy_net.c — secondary suppression on the attacker's network of
 * a two-way table with margins (model in zones_secrecy_net.h).
 *
 * Each suppressed cell is checked once, in queue order (primary cells by
 * decreasing protection level, then secondary cells as they are added):
 *  - value: a primary cell must move up by its upper level and down by its
 *    lower level; any other suppressed cell must move (by 1e-6 of its value
 *    at least) in one direction;
 *  - count: every suppressed cell must move by one unit in one direction.
 * A check looks for a witness, a flow of suppressed cells that carries the
 * movement: a rectangle {row, a} x {column, b} through the cell (from the
 * zero-cost hop cache), then a path of any length through the columns
 * (breadth-first over hops), then several rectangles together (a greedy
 * flow through the cell's column, rows and row).  Witnesses are sufficient,
 * not necessary: a cell protected otherwise is fixed anyway (safe).
 * A failed check is fixed with the cheapest rectangle that carries the
 * movement (published cells cost sr_secrecy_cost, suppressed ones nothing)
 * or, when no rectangle can, with cheapest augmenting paths over the whole
 * table (a min-cost flow).  Suppressing more cells only widens the
 * attacker's intervals, so a passed check stays passed and one pass over the
 * queue protects the table.
 *
 * Paths are searched from the cell's column node to its row node: raising a
 * cell with g = +1 (or lowering one with g = -1) closes the cycle that way;
 * the other two cases are the same search with every move reversed
 * ("inverted").  A hop c -> d goes through the cells (a, c) (entered, column
 * to row) and (a, d) (exited, row to column) of some row a; the last arc
 * enters the cell's row through one of its cells (row, b).
 */
#include "zones_secrecy_net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SX_INF INFINITY
/* columns up to which the zero-cost hop cache is kept (48 NC^2 bytes,
 * 25 MB at 724) */
#define SX_CACHE_MAX_COLS 724

/* population count (inline: without -mpopcnt GCC calls libgcc) */
static inline int
popc(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ULL);
	x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
	return (int) ((x * 0x0101010101010101ULL) >> 56);
}

int32_t
sx_cell(const sxnet *N, int r, int c)
{
	const uint64_t *b = N->pbits + (size_t) r * N->W;
	int			wi = c >> 6,
				i;
	uint64_t	bit = (uint64_t) 1 << (c & 63);
	int32_t		k;

	if (!(b[wi] & bit))
		return -1;
	k = N->row_start[r];
	for (i = 0; i < wi; i++)
		k += popc(b[i]);
	return k + popc(b[wi] & (bit - 1));
}

static inline bool
sx_supp(const sxnet *N, int r, int c)
{
	return (N->sbits[(size_t) r * N->W + (c >> 6)] >> (c & 63)) & 1;
}

/* g = -1 on the totals row and column, +1 inside and on the grand total */
static inline int
sx_sign(const sxnet *N, int r, int c)
{
	return ((r == N->TR) != (c == N->TC)) ? -1 : 1;
}

/* Does traversing (r, c) raise the cell?  exited: row -> column. */
static inline bool
sx_up(const sxnet *N, int r, int c, bool exited, bool inv)
{
	return (exited == (sx_sign(N, r, c) > 0)) != inv;
}

static inline double
sx_wcost(const sxnet *N, int32_t h)
{
	return N->st[h] != SR_SECRET_PUBLISHED || !N->w ? 0.0 : N->w[h];
}

/* Capacity below which a residual arc counts as closed (rounding noise). */
static inline double
sx_eps(const sxnet *N, int m, int32_t h)
{
	return 1e-12 * (1.0 + fabs(N->x[m][h]));
}

/* ---- building ---------------------------------------------------------- */

#define EXT(r, c) (N->transposed ? (size_t) (c) * C1 + (size_t) (r) : (size_t) (r) * C1 + (size_t) (c))

/* Hop capacity of row a from column c to column d (not inverted). */
static double
sx_hop_cap(const sxnet *N, int m, int a, int c, int d, bool inv)
{
	double		cap = SX_INF;

	if (!sx_up(N, a, c, false, inv))
		cap = fmin(cap, N->slack[m][sx_cell(N, a, c)]);
	if (!sx_up(N, a, d, true, inv))
		cap = fmin(cap, N->slack[m][sx_cell(N, a, d)]);
	return cap;
}

/* Offer row a (both cells suppressed) to the cache of hop c -> d. */
static void
sx_zadd(sxnet *N, int m, int c, int d, int a)
{
	size_t		k = ((size_t) c * N->NC + d) * 2;
	int32_t    *e = N->zrow[m] + k;
	double	   *z = N->zcap[m] + k;
	double		cap = sx_hop_cap(N, m, a, c, d, false);

	if (e[0] < 0 || cap > z[0])
	{
		e[1] = e[0];
		z[1] = z[0];
		e[0] = a;
		z[0] = cap;
	}
	else if (e[1] < 0 || cap > z[1])
	{
		e[1] = a;
		z[1] = cap;
	}
}

/* Cell (a, c) was just suppressed: update the hops it forms with the other
 * suppressed cells of row a (the totals row is looked up directly). */
static void
sx_cache_cell(sxnet *N, int a, int c)
{
	const uint64_t *s = N->sbits + (size_t) a * N->W;
	int			i,
				m;

	if (!N->zrow[0] || a == N->TR)
		return;
	for (i = 0; i < N->W; i++)
	{
		uint64_t	x = s[i];

		while (x)
		{
			int			d = i * 64 + __builtin_ctzll(x);

			x &= x - 1;
			if (d == c)
				continue;
			for (m = 0; m < 2; m++)
			{
				sx_zadd(N, m, c, d, a);
				sx_zadd(N, m, d, c, a);
			}
		}
	}
}

typedef struct sx_wc
{
	double		w;
	int32_t		cell;
} sx_wc;

static int
cmp_wc(const void *a, const void *b)
{
	const sx_wc *x = a,
			   *y = b;

	if (x->w != y->w)
		return x->w < y->w ? -1 : 1;
	return x->cell < y->cell ? -1 : x->cell > y->cell;
}

bool
sx_build(sxnet *N, int R, int C, const double *x0, const double *x1,
		 const double *lb0, const double *lb1, const bool *present,
		 const uint8_t *status, const double *cost,
		 const double *upl, const double *lpl, bool with_cache)
{
	int			C1 = C + 1,
				r,
				c,
				m;
	int32_t		k,
				h;
	size_t		nbits;
	int32_t    *fill;

	memset(N, 0, sizeof(*N));
	N->transposed = C > R;
	N->NR = (N->transposed ? C : R) + 1;
	N->NC = (N->transposed ? R : C) + 1;
	N->TR = N->NR - 1;
	N->TC = N->NC - 1;
	N->W = (N->NC + 63) / 64;
	nbits = (size_t) N->NR * N->W;
	N->row_start = sr_alloc(sizeof(int32_t) * (N->NR + 1));
	N->pbits = sr_alloc0(sizeof(uint64_t) * nbits);
	N->sbits = sr_alloc0(sizeof(uint64_t) * nbits);
	if (!N->row_start || !N->pbits || !N->sbits)
		return false;
	k = 0;
	for (r = 0; r < N->NR; r++)
	{
		if ((r & 255) == 0)
			sr_check_interrupts();
		N->row_start[r] = k;
		for (c = 0; c < N->NC; c++)
			if (r == N->TR || c == N->TC || !present || present[EXT(r, c)])
			{
				N->pbits[(size_t) r * N->W + (c >> 6)] |= (uint64_t) 1 << (c & 63);
				k++;
			}
	}
	N->row_start[N->NR] = k;
	N->ncells = k;

	N->cell_row = sr_alloc(sizeof(int32_t) * k);
	N->cell_col = sr_alloc(sizeof(int32_t) * k);
	N->col_start = sr_alloc0(sizeof(int32_t) * (N->NC + 1));
	N->col_cells = sr_alloc(sizeof(int32_t) * k);
	N->scells = sr_alloc(sizeof(int32_t) * k);
	N->scount = sr_alloc0(sizeof(int32_t) * N->NC);
	N->ext = sr_alloc(sizeof(int32_t) * k);
	N->st = sr_alloc(k);
	for (m = 0; m < 2; m++)
	{
		N->x[m] = sr_alloc(sizeof(double) * k);
		N->slack[m] = sr_alloc(sizeof(double) * k);
	}
	N->queue = sr_alloc(sizeof(int32_t) * k);
	N->cand = sr_alloc(sizeof(uint64_t) * N->W);
	N->fcost = sr_alloc(sizeof(double) * N->NC);
	N->cqueue = sr_alloc(sizeof(int32_t) * N->NC);
	N->cseen = sr_alloc0(sizeof(int32_t) * N->NC);
	fill = sr_alloc(sizeof(int32_t) * (N->NC + 1));
	if (!N->cell_row || !N->cell_col || !N->col_start || !N->col_cells || !N->scells || !N->scount || !N->ext ||
		!N->st || !N->x[0] || !N->x[1] || !N->slack[0] || !N->slack[1] ||
		!N->queue || !N->cand || !N->fcost || !N->cqueue || !N->cseen || !fill)
	{
		sr_free(fill);
		return false;
	}
	if (cost)
	{
		N->w = sr_alloc(sizeof(double) * k);
		N->upl = sr_alloc(sizeof(double) * k);
		N->lpl = sr_alloc(sizeof(double) * k);
		if (!N->w || !N->upl || !N->lpl)
		{
			sr_free(fill);
			return false;
		}
	}
	h = 0;
	for (r = 0; r < N->NR; r++)
		for (c = 0; c < N->NC; c++)
		{
			size_t		e;

			if (c == 0 && (r & 255) == 0)
				sr_check_interrupts();
			if (sx_cell(N, r, c) < 0)
				continue;
			e = EXT(r, c);
			N->cell_row[h] = r;
			N->cell_col[h] = c;
			N->ext[h] = (int32_t) e;
			N->st[h] = status[e];
			N->x[0][h] = x0[e];
			N->x[1][h] = x1[e];
			N->slack[0][h] = x0[e] - (lb0 ? lb0[e] : 0.0);
			N->slack[1][h] = x1[e] - (lb1 ? lb1[e] : 0.0);
			if (cost)
			{
				N->w[h] = cost[e];
				N->upl[h] = upl[e];
				N->lpl[h] = lpl[e];
			}
			if (N->st[h] != SR_SECRET_PUBLISHED)
				N->sbits[(size_t) r * N->W + (c >> 6)] |= (uint64_t) 1 << (c & 63);
			N->col_start[c + 1]++;
			h++;
		}
	/* cells by column (counting sort; rows stay ascending) */
	for (c = 0; c < N->NC; c++)
		N->col_start[c + 1] += N->col_start[c];
	memcpy(fill, N->col_start, sizeof(int32_t) * (N->NC + 1));
	for (h = 0; h < N->ncells; h++)
		N->col_cells[fill[N->cell_col[h]]++] = h;
	sr_free(fill);
	if (N->w)
	{
		/* cheapest first: a fix scans a column's published cells in order */
		sx_wc	   *tmp = sr_alloc(sizeof(sx_wc) * (N->ncells ? N->ncells : 1));

		if (!tmp)
			return false;
		for (k = 0; k < N->ncells; k++)
		{
			tmp[k].w = N->w[N->col_cells[k]];
			tmp[k].cell = N->col_cells[k];
		}
		for (c = 0; c < N->NC; c++)
		{
			sr_check_interrupts();
			qsort(tmp + N->col_start[c], N->col_start[c + 1] - N->col_start[c],
				  sizeof(sx_wc), cmp_wc);
		}
		for (k = 0; k < N->ncells; k++)
			N->col_cells[k] = tmp[k].cell;
		sr_free(tmp);
	}
	for (k = 0; k < N->ncells; k++)
	{
		h = N->col_cells[k];
		if (N->st[h] != SR_SECRET_PUBLISHED)
		{
			c = N->cell_col[h];
			N->scells[N->col_start[c] + N->scount[c]++] = h;
		}
	}

	if (with_cache && N->NC <= SX_CACHE_MAX_COLS)
	{
		size_t		nz = (size_t) N->NC * N->NC * 2;

		for (m = 0; m < 2; m++)
		{
			N->zrow[m] = sr_alloc(sizeof(int32_t) * nz);
			N->zcap[m] = sr_alloc(sizeof(double) * nz);
			if (!N->zrow[m] || !N->zcap[m])
				return false;
			memset(N->zrow[m], 0xff, sizeof(int32_t) * nz);	/* -1 */
		}
		for (r = 0; r < N->TR; r++)
		{
			const uint64_t *s = N->sbits + (size_t) r * N->W;
			int			i;

			if ((r & 255) == 0)
				sr_check_interrupts();
			for (i = 0; i < N->W; i++)
			{
				uint64_t	xw = s[i];

				while (xw)
				{
					int			cc = i * 64 + __builtin_ctzll(xw),
								j;

					xw &= xw - 1;
					for (j = 0; j < N->W; j++)
					{
						uint64_t	yw = s[j];

						while (yw)
						{
							int			d = j * 64 + __builtin_ctzll(yw);

							yw &= yw - 1;
							if (d == cc)
								continue;
							for (m = 0; m < 2; m++)
								sx_zadd(N, m, cc, d, r);
						}
					}
				}
			}
		}
	}
	return true;
}

void
sx_free(sxnet *N)
{
	sr_free(N->row_start);
	sr_free(N->cell_row);
	sr_free(N->cell_col);
	sr_free(N->col_start);
	sr_free(N->col_cells);
	sr_free(N->scells);
	sr_free(N->scount);
	sr_free(N->pbits);
	sr_free(N->sbits);
	sr_free(N->x[0]);
	sr_free(N->x[1]);
	sr_free(N->slack[0]);
	sr_free(N->slack[1]);
	sr_free(N->w);
	sr_free(N->upl);
	sr_free(N->lpl);
	sr_free(N->st);
	sr_free(N->ext);
	sr_free(N->zrow[0]);
	sr_free(N->zrow[1]);
	sr_free(N->zcap[0]);
	sr_free(N->zcap[1]);
	sr_free(N->queue);
	sr_free(N->dist);
	sr_free(N->pred);
	sr_free(N->stamp);
	sr_free(N->level);
	sr_free(N->iter);
	sr_free(N->heap_key);
	sr_free(N->heap_node);
	sr_free(N->delta);
	sr_free(N->touched);
	sr_free(N->tmark);
	sr_free(N->cand);
	sr_free(N->fcost);
	sr_free(N->cqueue);
	sr_free(N->cseen);
	memset(N, 0, sizeof(*N));
}

/* Suppress a published cell and queue it for its own checks. */
static void
sx_mark(sxnet *N, int32_t h)
{
	int			a = N->cell_row[h],
				c = N->cell_col[h];

	if (N->st[h] != SR_SECRET_PUBLISHED)
		return;
	N->st[h] = SR_SECRET_SECONDARY;
	sx_cache_cell(N, a, c);
	N->sbits[(size_t) a * N->W + (c >> 6)] |= (uint64_t) 1 << (c & 63);
	N->scells[N->col_start[c] + N->scount[c]++] = h;
	N->queue[N->qtail++] = h;
}

/* ---- witnesses ---------------------------------------------------------- */

/* A row other than ex whose suppressed cells take the path from column c
 * to column d with capacity >= need; -1 if none. */
static int
sx_zhop(const sxnet *N, int m, int c, int d, bool inv, int ex, double need)
{
	if (N->zrow[0])
	{
		size_t		i = ((size_t) (inv ? d : c) * N->NC + (inv ? c : d)) * 2;
		const int32_t *e = N->zrow[m] + i;
		const double *z = N->zcap[m] + i;
		int			k;

		for (k = 0; k < 2; k++)
		{
			if (e[k] < 0)
				break;
			if (e[k] == ex)
				continue;
			if (z[k] >= need)
				return e[k];
			break;				/* the other entry has no more capacity */
		}
	}
	if (ex != N->TR && sx_supp(N, N->TR, c) && sx_supp(N, N->TR, d) &&
		sx_hop_cap(N, m, N->TR, c, d, inv) >= need)
		return N->TR;
	return -1;
}

/* Columns b that can close the cycle into row rt: (rt, b) suppressed (with
 * any, present) and, when it moves down, with slack >= need.  Fills cand
 * and fcost; returns the number of candidates. */
static int
sx_finals(sxnet *N, int rt, int cs, int m, bool inv, double need, bool any)
{
	int32_t		h;
	int			n = 0;

	memset(N->cand, 0, sizeof(uint64_t) * N->W);
	for (h = N->row_start[rt]; h < N->row_start[rt + 1]; h++)
	{
		int			b = N->cell_col[h];

		if (b == cs || (!any && N->st[h] == SR_SECRET_PUBLISHED))
			continue;
		if (!sx_up(N, rt, b, false, inv) && N->slack[m][h] < need)
			continue;
		N->cand[b >> 6] |= (uint64_t) 1 << (b & 63);
		N->fcost[b] = sx_wcost(N, h);
		n++;
	}
	return n;
}

/* A suppressed rectangle through the cell (cache lookups). */
static bool
sx_check_rect(sxnet *N, int rt, int cs, int m, bool inv, double need)
{
	int			i;

	for (i = 0; i < N->W; i++)
	{
		uint64_t	x = N->cand[i];

		while (x)
		{
			int			b = i * 64 + __builtin_ctzll(x);

			x &= x - 1;
			if (sx_zhop(N, m, cs, b, inv, rt, need) >= 0)
				return true;
		}
	}
	return false;
}

/* A path of suppressed cells of any length: breadth-first over columns. */
static bool
sx_check_cols(sxnet *N, int rt, int cs, int m, bool inv, double need)
{
	int			head = 0,
				tail = 0,
				d;
	int32_t		gen = ++N->stamp_now;

	N->cseen[cs] = gen;
	N->cqueue[tail++] = cs;
	while (head < tail)
	{
		int			c = N->cqueue[head++];

		for (d = 0; d < N->NC; d++)
		{
			if (N->cseen[d] == gen || sx_zhop(N, m, c, d, inv, rt, need) < 0)
				continue;
			if ((N->cand[d >> 6] >> (d & 63)) & 1)
				return true;
			N->cseen[d] = gen;
			N->cqueue[tail++] = d;
		}
	}
	return false;
}

/* Several suppressed rectangles through the cell together: a flow from
 * column cs through rows a (cell (a, cs)) and columns b (cell (a, b)) into
 * row rt (cell (rt, b)), pushed greedily with the capacities of shared
 * cells tracked.  A lower bound of the maximum flow, so a valid witness. */
static bool
sx_check_rects(sxnet *N, int rt, int cs, int m, bool inv, double need)
{
	int32_t		h,
				k;
	int			i,
				n = 0;
	double		total = 0.0;

	memset(N->cand, 0, sizeof(uint64_t) * N->W);
	for (h = N->row_start[rt]; h < N->row_start[rt + 1]; h++)
	{
		int			b = N->cell_col[h];

		if (b == cs || N->st[h] == SR_SECRET_PUBLISHED)
			continue;
		N->fcost[b] = sx_up(N, rt, b, false, inv) ? SX_INF : N->slack[m][h];
		if (N->fcost[b] <= sx_eps(N, m, h))
			continue;
		N->cand[b >> 6] |= (uint64_t) 1 << (b & 63);
		n++;
	}
	if (n == 0)
		return false;
	for (k = 0; k < N->scount[cs]; k++)
	{
		int			a;
		double		c1;
		const uint64_t *sb;

		h = N->scells[N->col_start[cs] + k];
		a = N->cell_row[h];
		if (a == rt)
			continue;
		c1 = sx_up(N, a, cs, false, inv) ? SX_INF : N->slack[m][h];
		if (c1 <= sx_eps(N, m, h))
			continue;
		sb = N->sbits + (size_t) a * N->W;
		for (i = 0; i < N->W && c1 > 0.0; i++)
		{
			uint64_t	x = sb[i] & N->cand[i];

			while (x && c1 > 0.0)
			{
				int			b = i * 64 + __builtin_ctzll(x);
				int32_t		hb = sx_cell(N, a, b);
				double		t;

				x &= x - 1;
				t = fmin(fmin(c1, N->fcost[b]), need - total);
				if (!sx_up(N, a, b, true, inv))
					t = fmin(t, N->slack[m][hb]);
				if (t <= sx_eps(N, m, hb))
					continue;
				c1 -= t;
				N->fcost[b] -= t;
				total += t;
				if (total >= need)
					return true;
			}
		}
	}
	return false;
}

/* The flows' scratch (deltas, Dijkstra's heap, Dinic's levels), allocated
 * on first use: most tables never need a flow.  false when out of memory. */
static bool
sx_scratch(sxnet *N)
{
	int32_t		nn = N->NR + N->NC;

	if (N->delta)
		return true;
	N->heap_cap = 2 * N->ncells + nn + 1;
	N->delta = sr_alloc0(sizeof(double) * (N->ncells ? N->ncells : 1));
	N->touched = sr_alloc(sizeof(int32_t) * (N->ncells ? N->ncells : 1));
	N->tmark = sr_alloc0(N->ncells ? N->ncells : 1);
	N->dist = sr_alloc(sizeof(double) * nn);
	N->pred = sr_alloc(sizeof(int32_t) * nn);
	N->stamp = sr_alloc0(sizeof(int32_t) * nn);
	N->level = sr_alloc(sizeof(int32_t) * nn);
	N->iter = sr_alloc(sizeof(int32_t) * nn);
	N->heap_key = sr_alloc(sizeof(double) * N->heap_cap);
	N->heap_node = sr_alloc(sizeof(int32_t) * N->heap_cap);
	if (!N->delta || !N->touched || !N->tmark || !N->dist || !N->pred || !N->stamp ||
		!N->level || !N->iter || !N->heap_key || !N->heap_node)
	{
		/* all or nothing: delta set means every array is */
		void	  **p[] = {(void **) &N->delta, (void **) &N->touched, (void **) &N->tmark,
			(void **) &N->dist, (void **) &N->pred, (void **) &N->stamp, (void **) &N->level,
		(void **) &N->iter, (void **) &N->heap_key, (void **) &N->heap_node};
		size_t		i;

		for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		{
			sr_free(*p[i]);
			*p[i] = NULL;
		}
		return false;
	}
	return true;
}

/* ---- flows ---------------------------------------------------------------- */

static void
heap_push(sxnet *N, int *n, double key, int32_t node)
{
	int			i = (*n)++;

	while (i > 0)
	{
		int			p = (i - 1) / 2;

		if (N->heap_key[p] <= key)
			break;
		N->heap_key[i] = N->heap_key[p];
		N->heap_node[i] = N->heap_node[p];
		i = p;
	}
	N->heap_key[i] = key;
	N->heap_node[i] = node;
}

static void
heap_pop(sxnet *N, int *n, double *key, int32_t *node)
{
	double		k;
	int32_t		v;
	int			i = 0;

	*key = N->heap_key[0];
	*node = N->heap_node[0];
	(*n)--;
	k = N->heap_key[*n];
	v = N->heap_node[*n];
	for (;;)
	{
		int			c = 2 * i + 1;

		if (c >= *n)
			break;
		if (c + 1 < *n && N->heap_key[c + 1] < N->heap_key[c])
			c++;
		if (k <= N->heap_key[c])
			break;
		N->heap_key[i] = N->heap_key[c];
		N->heap_node[i] = N->heap_node[c];
		i = c;
	}
	N->heap_key[i] = k;
	N->heap_node[i] = v;
}

static void
sx_touch(sxnet *N, int32_t h, double dx)
{
	if (!N->tmark[h])
	{
		N->tmark[h] = 1;
		N->touched[N->ntouched++] = h;
	}
	N->delta[h] += dx;
}

static void
sx_reset_flow(sxnet *N)
{
	int32_t		i;

	for (i = 0; i < N->ntouched; i++)
	{
		N->delta[N->touched[i]] = 0.0;
		N->tmark[N->touched[i]] = 0;
	}
	N->ntouched = 0;
}

/* Send up to need units of movement of cell f (measure m, orientation inv)
 * around cycles of the residual network, by successive cheapest paths from
 * f's column to f's row (Dijkstra).  Cells already suppressed or already
 * carrying flow cost nothing, published ones their cost.  delta[] keeps
 * each cell's movement.  Returns 0 when need was reached (or the movement
 * is unbounded: *pushed = INFINITY), 1 when no path is left, -1 when out of
 * memory. */
static int
sx_flow(sxnet *N, int32_t f, int m, bool inv, double need, double *pushed)
{
	int			rt = N->cell_row[f],
				cs = N->cell_col[f];
	int32_t		src = N->NR + cs,
				dst = rt;
	double		total = 0.0;

	if (!sx_scratch(N))
		return -1;
	for (;;)
	{
		int32_t		gen = ++N->stamp_now;
		int			hn = 0;
		bool		found = false;
		double		bn,
					t;
		int32_t		v;
		int64_t		pops = 0;

		N->dist[src] = 0.0;
		N->stamp[src] = gen;
		N->pred[src] = -1;
		heap_push(N, &hn, 0.0, src);
		while (hn > 0)
		{
			double		key;
			int32_t		u,
						k,
						kend;
			bool		fromrow;

			heap_pop(N, &hn, &key, &u);
			if (key > N->dist[u])
				continue;
			if (u == dst)
			{
				found = true;
				break;
			}
			if ((++pops & 1023) == 0)
				sr_check_interrupts();
			fromrow = u < N->NR;
			if (fromrow)
			{
				k = N->row_start[u];
				kend = N->row_start[u + 1];
			}
			else
			{
				k = N->col_start[u - N->NR];
				kend = N->col_start[u - N->NR + 1];
			}
			for (; k < kend; k++)
			{
				int32_t		h = fromrow ? k : N->col_cells[k];
				int			r = N->cell_row[h],
							c = N->cell_col[h];
				int32_t		w = fromrow ? N->NR + c : r;
				double		nd;

				if (h == f)
					continue;
				if (!sx_up(N, r, c, fromrow, inv) &&
					N->slack[m][h] + N->delta[h] <= sx_eps(N, m, h))
					continue;
				nd = N->dist[u] + ((N->st[h] != SR_SECRET_PUBLISHED || N->delta[h] != 0.0) ? 0.0 : N->w[h]);
				if (N->stamp[w] != gen || nd < N->dist[w])
				{
					N->stamp[w] = gen;
					N->dist[w] = nd;
					N->pred[w] = h;
					heap_push(N, &hn, nd, w);
				}
			}
		}
		if (!found)
		{
			*pushed = total;
			return 1;
		}
		/* bottleneck of the path (raises are unbounded) */
		bn = SX_INF;
		for (v = dst; v != src;)
		{
			int32_t		h = N->pred[v];
			int			r = N->cell_row[h],
						c = N->cell_col[h];
			bool		exited = v >= N->NR;	/* reached a column from a row */

			if (!sx_up(N, r, c, exited, inv))
				bn = fmin(bn, N->slack[m][h] + N->delta[h]);
			v = exited ? r : N->NR + c;
		}
		t = fmin(bn, need - total);
		if (isinf(t))
		{
			*pushed = SX_INF;
			return 0;
		}
		for (v = dst; v != src;)
		{
			int32_t		h = N->pred[v];
			int			r = N->cell_row[h],
						c = N->cell_col[h];
			bool		exited = v >= N->NR;

			sx_touch(N, h, sx_up(N, r, c, exited, inv) ? t : -t);
			v = exited ? r : N->NR + c;
		}
		total += t;
		if (total >= need)
		{
			*pushed = total;
			return 0;
		}
	}
}

/* Residual capacity of traversing suppressed cell h (row r, column c). */
static inline double
sx_residual(const sxnet *N, int32_t h, int m, int r, int c, bool exited, bool inv)
{
	if (sx_up(N, r, c, exited, inv))
		return SX_INF;
	return N->slack[m][h] + N->delta[h];
}

/* Breadth-first levels from f's column over residual arcs of suppressed
 * cells other than f; true when f's row is reached. */
static bool
sx_levels(sxnet *N, int32_t f, int m, bool inv)
{
	int32_t		src = N->NR + N->cell_col[f],
				dst = N->cell_row[f],
				gen = ++N->stamp_now,
				head = 0,
				tail = 0;
	int32_t    *q = N->heap_node;

	N->stamp[src] = gen;
	N->level[src] = 0;
	q[tail++] = src;
	while (head < tail)
	{
		int32_t		u = q[head++],
					k,
					kend;
		bool		fromrow = u < N->NR;

		if ((head & 1023) == 0)
			sr_check_interrupts();
		if (fromrow)
		{
			k = N->row_start[u];
			kend = N->row_start[u + 1];
		}
		else
		{
			k = N->col_start[u - N->NR];
			kend = k + N->scount[u - N->NR];
		}
		for (; k < kend; k++)
		{
			int32_t		h = fromrow ? k : N->scells[k];
			int			r = N->cell_row[h],
						c = N->cell_col[h];
			int32_t		w = fromrow ? N->NR + c : r;

			if (h == f || N->stamp[w] == gen || N->st[h] == SR_SECRET_PUBLISHED ||
				sx_residual(N, h, m, r, c, fromrow, inv) <= sx_eps(N, m, h))
				continue;
			N->stamp[w] = gen;
			N->level[w] = N->level[u] + 1;
			q[tail++] = w;
		}
	}
	return N->stamp[dst] == gen;
}

/* Is there a cycle of raises through f (an unbounded movement)? */
static bool
sx_raise_cycle(sxnet *N, int32_t f, bool inv)
{
	int32_t		src = N->NR + N->cell_col[f],
				dst = N->cell_row[f],
				gen = ++N->stamp_now,
				head = 0,
				tail = 0;
	int32_t    *q = N->heap_node;

	N->stamp[src] = gen;
	q[tail++] = src;
	while (head < tail)
	{
		int32_t		u = q[head++],
					k,
					kend;
		bool		fromrow = u < N->NR;

		if (fromrow)
		{
			k = N->row_start[u];
			kend = N->row_start[u + 1];
		}
		else
		{
			k = N->col_start[u - N->NR];
			kend = k + N->scount[u - N->NR];
		}
		for (; k < kend; k++)
		{
			int32_t		h = fromrow ? k : N->scells[k];
			int			r = N->cell_row[h],
						c = N->cell_col[h];
			int32_t		w = fromrow ? N->NR + c : r;

			if (h == f || N->stamp[w] == gen || N->st[h] == SR_SECRET_PUBLISHED ||
				!sx_up(N, r, c, fromrow, inv))
				continue;
			if (w == dst)
				return true;
			N->stamp[w] = gen;
			q[tail++] = w;
		}
	}
	return false;
}

/* Next arc of node u (from its current arc) into the next level with
 * residual capacity; returns the cell, -1 if none (current arc advanced). */
static int32_t
sx_next_arc(sxnet *N, int32_t f, int m, bool inv, int32_t u, int32_t gen)
{
	bool		fromrow = u < N->NR;
	int32_t		kend = fromrow ? N->row_start[u + 1]
		: N->col_start[u - N->NR] + N->scount[u - N->NR];

	for (; N->iter[u] < kend; N->iter[u]++)
	{
		int32_t		h = fromrow ? N->iter[u] : N->scells[N->iter[u]];
		int			r = N->cell_row[h],
					c = N->cell_col[h];
		int32_t		w = fromrow ? N->NR + c : r;

		if (h == f || N->st[h] == SR_SECRET_PUBLISHED || N->stamp[w] != gen ||
			N->level[w] != N->level[u] + 1 ||
			sx_residual(N, h, m, r, c, fromrow, inv) <= sx_eps(N, m, h))
			continue;
		return h;
	}
	return -1;
}

double
sx_max_move(sxnet *N, int32_t f, int m, bool up)
{
	bool		inv = up != (sx_sign(N, N->cell_row[f], N->cell_col[f]) > 0);
	int32_t		src = N->NR + N->cell_col[f],
				dst = N->cell_row[f];
	double		cap = up ? SX_INF : N->slack[m][f],
				total = 0.0;
	int32_t    *path;			/* nodes of the current path */

	if (!up && cap <= sx_eps(N, m, f))
		return 0.0;
	if (!sx_scratch(N))
		return NAN;
	path = N->pred;
	if (sx_raise_cycle(N, f, inv))
		return cap;				/* a cycle of raises: unbounded */
	/* Dinic: every path now lowers some cell, so bottlenecks are finite */
	while (total < cap && sx_levels(N, f, m, inv))
	{
		int32_t		gen = N->stamp_now,
					depth = 0,
					u;

		for (u = 0; u < N->NR + N->NC; u++)
			N->iter[u] = u < N->NR ? N->row_start[u] : N->col_start[u - N->NR];
		path[0] = src;
		while (depth >= 0 && total < cap)
		{
			int32_t		h;

			u = path[depth];
			if (u == dst)
			{
				double		bn = cap - total;
				int			i;

				for (i = 0; i < depth; i++)
				{
					int32_t		v = path[i];
					int32_t		hc = v < N->NR ? N->iter[v] : N->scells[N->iter[v]];

					bn = fmin(bn, sx_residual(N, hc, m, N->cell_row[hc], N->cell_col[hc],
											  v < N->NR, inv));
				}
				for (i = 0; i < depth; i++)
				{
					int32_t		v = path[i];
					int32_t		hc = v < N->NR ? N->iter[v] : N->scells[N->iter[v]];

					sx_touch(N, hc, sx_up(N, N->cell_row[hc], N->cell_col[hc], v < N->NR, inv) ? bn : -bn);
				}
				total += bn;
				depth = 0;		/* restart from the source (current arcs kept) */
				continue;
			}
			h = sx_next_arc(N, f, m, inv, u, gen);
			if (h < 0)
			{
				N->level[u] = -1;	/* dead end */
				depth--;
				if (depth >= 0)
					N->iter[path[depth]]++;
				continue;
			}
			path[++depth] = u < N->NR ? N->NR + N->cell_col[h] : N->cell_row[h];
		}
	}
	sx_reset_flow(N);
	return total;
}

/* ---- checks and fixes --------------------------------------------------- */

/* Drop the final columns that cannot beat best (cost of their own cell not
 * below it); returns the cheapest final left (INFINITY if none). */
static double
sx_prune_finals(sxnet *N, double best)
{
	double		minf = SX_INF;
	int			i;

	for (i = 0; i < N->W; i++)
	{
		uint64_t	x = N->cand[i];

		while (x)
		{
			int			b = i * 64 + __builtin_ctzll(x);

			x &= x - 1;
			if (N->fcost[b] < best)
				minf = fmin(minf, N->fcost[b]);
			else
				N->cand[i] &= ~((uint64_t) 1 << (b & 63));
		}
	}
	return minf;
}

/* Is cost better than best?  Ties (to rounding) keep the first found. */
static inline bool
sx_better(double cost, double best)
{
	return isinf(best) ? isfinite(cost) : best - cost > 1e-12 * best;
}

/* Cheapest rectangle {rt, a} x {cs, b} through cell f that carries the
 * movement; returns its cost (INFINITY if none) and sets *ra, *rb.  Seeded
 * by the cache (rows whose two cells are suppressed: only the final cell
 * may cost), then the column's suppressed rows, then its published rows by
 * cost while they can still win; finals that cannot beat the best so far
 * are dropped as it improves. */
static double
sx_rect_fix(sxnet *N, int32_t f, int m, bool inv, double need, int *ra, int *rb)
{
	int			rt = N->cell_row[f],
				cs = N->cell_col[f],
				i;
	int32_t		k;
	double		best = SX_INF,
				minf;

	if (sx_finals(N, rt, cs, m, inv, need, true) == 0)
		return SX_INF;
	if (N->zrow[0])
		for (i = 0; i < N->W; i++)
		{
			uint64_t	x = N->cand[i];

			while (x)
			{
				int			b = i * 64 + __builtin_ctzll(x),
							a;

				x &= x - 1;
				if (!sx_better(N->fcost[b], best))
					continue;
				a = sx_zhop(N, m, cs, b, inv, rt, need);
				if (a >= 0)
				{
					best = N->fcost[b];
					*ra = a;
					*rb = b;
				}
			}
		}
	if (best == 0.0)
		return 0.0;
	minf = sx_prune_finals(N, best);
	if (isinf(minf))
		return best;
	/* suppressed cells of the column first, then published ones by cost
	 * while they can still beat the best */
	for (k = 0; k < N->scount[cs] + (N->col_start[cs + 1] - N->col_start[cs]); k++)
	{
		bool		pass1 = k < N->scount[cs];
		int32_t		h = pass1 ? N->scells[N->col_start[cs] + k]
			: N->col_cells[N->col_start[cs] + k - N->scount[cs]];
		int			a = N->cell_row[h];
		const uint64_t *p = N->pbits + (size_t) a * N->W;
		double		ca;

		if (!pass1 && N->st[h] != SR_SECRET_PUBLISHED)
			continue;
		ca = sx_wcost(N, h);
		if (ca + minf >= best)
		{
			if (pass1)
				continue;
			break;
		}
		if (a == rt)
			continue;
		if (!sx_up(N, a, cs, false, inv) && N->slack[m][h] < need)
			continue;
		for (i = 0; i < N->W; i++)
		{
			uint64_t	x = p[i] & N->cand[i];

			while (x)
			{
				int			b = i * 64 + __builtin_ctzll(x);
				int32_t		hb;
				double		cost;

				x &= x - 1;
				hb = sx_cell(N, a, b);
				if (!sx_up(N, a, b, true, inv) && N->slack[m][hb] < need)
					continue;
				cost = ca + sx_wcost(N, hb) + N->fcost[b];
				/* ties (to rounding) keep the first found: rows by cost,
				 * then columns in order */
				if (sx_better(cost, best))
				{
					best = cost;
					*ra = a;
					*rb = b;
					if (best == 0.0)
						return 0.0;
					minf = sx_prune_finals(N, best);
					if (isinf(minf))
						return best;
				}
			}
		}
	}
	return best;
}

static void
sx_apply_rect(sxnet *N, int32_t f, int a, int b)
{
	int			rt = N->cell_row[f],
				cs = N->cell_col[f];

	sx_mark(N, sx_cell(N, a, cs));
	sx_mark(N, sx_cell(N, a, b));
	sx_mark(N, sx_cell(N, rt, b));
}

/* Is there a witness that cell f can move by need (orientation inv)?
 * Sufficient, not exact: a cell without a witness is fixed, which is safe
 * (the exact maximum flow is sr_secrecy_audit's, used by the tests). */
static bool
sx_check(sxnet *N, int32_t f, int m, bool inv, double need)
{
	int			rt = N->cell_row[f],
				cs = N->cell_col[f];

	if (N->zrow[0])
	{
		if (sx_finals(N, rt, cs, m, inv, need, false) > 0 &&
			(sx_check_rect(N, rt, cs, m, inv, need) ||
			 sx_check_cols(N, rt, cs, m, inv, need)))
			return true;
	}
	else
	{
		int			a,
					b;

		if (sx_rect_fix(N, f, m, inv, need, &a, &b) == 0.0)
			return true;
	}
	return sx_check_rects(N, rt, cs, m, inv, need);
}

/* Fix by cheapest augmenting paths over the whole table: 0 done, 1 no
 * way, -1 out of memory. */
static int
sx_flow_fix(sxnet *N, int32_t f, int m, bool inv, double need)
{
	double		pushed;
	int			rc = sx_flow(N, f, m, inv, need, &pushed);
	int32_t		i;

	if (rc < 0)
		return -1;
	if (rc == 0)
		for (i = 0; i < N->ntouched; i++)
			if (N->delta[N->touched[i]] != 0.0)
				sx_mark(N, N->touched[i]);
	sx_reset_flow(N);
	return rc == 0 ? 0 : 1;
}

static sr_status
sx_fail(sxnet *N, int32_t f, sr_err *err)
{
	int			r = N->cell_row[f],
				c = N->cell_col[f];

	if (N->transposed)
	{
		int			t = r;

		r = c;
		c = t;
	}
	return sr_error(err, SR_EINTERNAL,
					"secondary suppression could not protect cell (%d, %d)", r, c);
}

/* Cell f must move up (or down) by need. */
static sr_status
sx_ensure(sxnet *N, int32_t f, int m, bool up, double need, sr_err *err)
{
	bool		inv = up != (sx_sign(N, N->cell_row[f], N->cell_col[f]) > 0);
	int			a,
				b;

	if (!up && N->slack[m][f] < need)
		return sx_fail(N, f, err);
	if (sx_check(N, f, m, inv, need))
		return SR_OK;
	if (isfinite(sx_rect_fix(N, f, m, inv, need, &a, &b)))
	{
		sx_apply_rect(N, f, a, b);
		return SR_OK;
	}
	switch (sx_flow_fix(N, f, m, inv, need))
	{
		case 0:
			return SR_OK;
		case -1:
			return sr_error(err, SR_ENOMEM, "out of memory in statistical secrecy");
	}
	return sx_fail(N, f, err);
}

/* Cell f must move by need in one direction at least. */
static sr_status
sx_ensure_either(sxnet *N, int32_t f, int m, double need, sr_err *err)
{
	bool		pos = sx_sign(N, N->cell_row[f], N->cell_col[f]) > 0;
	bool		can_down = N->slack[m][f] >= need;
	double		cu,
				cd = SX_INF;
	int			au = -1,
				bu = -1,
				ad = -1,
				bd = -1;

	/* up: inv = !pos; down: inv = pos */
	if (sx_check(N, f, m, !pos, need) || (can_down && sx_check(N, f, m, pos, need)))
		return SR_OK;
	cu = sx_rect_fix(N, f, m, !pos, need, &au, &bu);
	if (can_down)
		cd = sx_rect_fix(N, f, m, pos, need, &ad, &bd);
	if (isfinite(cu) && cu <= cd)
	{
		sx_apply_rect(N, f, au, bu);
		return SR_OK;
	}
	if (isfinite(cd))
	{
		sx_apply_rect(N, f, ad, bd);
		return SR_OK;
	}
	{
		int			rc = sx_flow_fix(N, f, m, !pos, need);

		if (rc == 1 && can_down)
			rc = sx_flow_fix(N, f, m, pos, need);
		if (rc == 0)
			return SR_OK;
		if (rc < 0)
			return sr_error(err, SR_ENOMEM, "out of memory in statistical secrecy");
	}
	return sx_fail(N, f, err);
}

/* Every check of one suppressed cell. */
static sr_status
sx_check_cell(sxnet *N, int32_t f, sr_err *err)
{
	double		tolv = 1e-6 * fmax(1.0, fabs(N->x[SX_VALUE][f]));
	sr_status	st;

	if (N->st[f] == SR_SECRET_PRIMARY)
	{
		st = sx_ensure(N, f, SX_VALUE, true, fmax(N->upl[f], tolv), err);
		if (st == SR_OK && N->lpl[f] > tolv)
			st = sx_ensure(N, f, SX_VALUE, false, fmin(N->lpl[f], N->slack[SX_VALUE][f]), err);
	}
	else
		st = sx_ensure_either(N, f, SX_VALUE, tolv, err);
	if (st == SR_OK)
		st = sx_ensure_either(N, f, SX_COUNT, 1.0, err);
	return st;
}

typedef struct sx_order
{
	double		level;
	int32_t		cell;
} sx_order;

static int
cmp_order(const void *a, const void *b)
{
	const sx_order *x = a,
			   *y = b;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	return x->cell < y->cell ? -1 : x->cell > y->cell;
}

sr_status
sx_protect(sxnet *N, sr_err *err)
{
	int32_t		h,
				n = 0;
	sx_order   *ord = sr_alloc(sizeof(sx_order) * (N->ncells ? N->ncells : 1));

	if (!ord)
		return sr_error(err, SR_ENOMEM, "out of memory in statistical secrecy");
	for (h = 0; h < N->ncells; h++)
		if (N->st[h] != SR_SECRET_PUBLISHED)
		{
			ord[n].level = N->upl[h];
			ord[n].cell = h;
			n++;
		}
	qsort(ord, n, sizeof(sx_order), cmp_order);
	N->qhead = N->qtail = 0;
	for (h = 0; h < n; h++)
		N->queue[N->qtail++] = ord[h].cell;
	sr_free(ord);
	while (N->qhead < N->qtail)
	{
		sr_status	st;

		sr_check_interrupts();
		st = sx_check_cell(N, N->queue[N->qhead++], err);
		if (st != SR_OK)
			return st;
	}

	return SR_OK;
}
