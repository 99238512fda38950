/*
 * zones_secrecy_net.h — the attacker's network of a two-way table with
 * margins, shared by zones_secrecy.c (rules, driver) and
 * zones_secrecy_net.c (searches and flows).  Not a public interface.
 *
 * The extended table (interior cells plus row totals, column totals and the
 * grand total) is a bipartite graph: one node per extended row, one per
 * extended column, one edge per present cell.  With the sign g(r, c) = -1 on
 * the totals row and column (+1 on the grand total and inside), every row
 * and column of g * x sums to zero, so the changes the attacker cannot see
 * are the circulations of this graph: raising a cell with g = +1 sends flow
 * row -> column, with g = -1 column -> row.  Raising a cell is unbounded,
 * lowering it is bounded by its slack (value minus the a priori lower bound
 * the attacker knows).  A cell can move by t exactly when the residual graph
 * of the suppressed cells carries t units around a cycle through it.
 */
#ifndef SR_ZONES_SECRECY_NET_H
#define SR_ZONES_SECRECY_NET_H

#include "sr_zones.h"

#include <stdint.h>

#define SX_COUNT 0
#define SX_VALUE 1

typedef struct sxnet
{
	int			NR,
				NC;				/* extended table, internal orientation */
	int			TR,
				TC;				/* totals row and totals column */
	int			W;				/* 64-bit words of a row's column bitset */
	bool		transposed;		/* internal (r, c) is the caller's (c, r) */
	int32_t		ncells;			/* present cells */
	int32_t    *row_start;		/* NR + 1: cells of row r, by column */
	int32_t    *cell_row;
	int32_t    *cell_col;
	int32_t    *col_start;		/* NC + 1 */
	int32_t    *col_cells;		/* cell ids by column (then by cost, if any) */
	int32_t    *scells;			/* suppressed cells of each column, from
								 * col_start[c], scount[c] of them */
	int32_t    *scount;
	uint64_t   *pbits;			/* present columns of each row (NR * W) */
	uint64_t   *sbits;			/* suppressed columns of each row */
	double	   *x[2];			/* count and value of each cell */
	double	   *slack[2];		/* x minus the attacker's a priori lower bound */
	double	   *w;				/* suppression cost (NULL in an audit) */
	double	   *upl;			/* value protection level of primary cells */
	double	   *lpl;
	uint8_t    *st;				/* SR_SECRET_* */
	int32_t    *ext;			/* caller's index of each cell */
	/* zero-cost hop cache: for columns (c, d), the two interior rows a with
	 * (a, c) and (a, d) suppressed and the largest hop capacity (see
	 * zones_secrecy_net.c); NULL when the table has too many columns */
	int32_t    *zrow[2];
	double	   *zcap[2];		/* their hop capacities */
	/* cells waiting for their checks (each suppressed cell once) */
	int32_t    *queue;
	int32_t		qhead,
				qtail;
	/* search scratch, sized NR + NC nodes or ncells cells; dist to tmark are
	 * the flows' and are allocated on first use (sx_scratch) */
	double	   *dist;
	int32_t    *pred;			/* cell through which a node was reached */
	int32_t    *stamp;
	int32_t    *level;			/* Dinic's levels and current arcs */
	int32_t    *iter;
	int32_t		stamp_now;
	double	   *heap_key;
	int32_t    *heap_node;
	int32_t		heap_cap;
	double	   *delta;			/* movement of each cell in the current flow */
	int32_t    *touched;
	uint8_t    *tmark;			/* cell is in touched[] */
	int32_t		ntouched;
	uint64_t   *cand;			/* W words */
	double	   *fcost;			/* NC */
	int32_t    *cqueue;			/* NC */
	int32_t    *cseen;			/* NC */
} sxnet;

/* Build the network from the caller's (R+1) x (C+1) arrays: x0 counts,
 * x1 values (may equal x0), lb0 / lb1 a priori lower bounds (NULL: 0),
 * present (NULL: every cell), status; cost (NULL in an audit), upl / lpl
 * (NULL in an audit).  Returns false when out of memory. */
bool		sx_build(sxnet *N, int R, int C, const double *x0, const double *x1,
					 const double *lb0, const double *lb1, const bool *present,
					 const uint8_t *status, const double *cost,
					 const double *upl, const double *lpl, bool with_cache);
void		sx_free(sxnet *N);

/* Secondary suppression until every suppressed cell passes its checks;
 * primary cells are queued by decreasing protection level first. */
sr_status	sx_protect(sxnet *N, sr_err *err);

/* Largest movement of suppressed cell h (measure m) up (up = true) or down
 * allowed by the other suppressed cells: INFINITY when unbounded, NAN when
 * out of memory. */
double		sx_max_move(sxnet *N, int32_t h, int m, bool up);

/* Cell id of (r, c) in internal orientation, -1 if absent. */
int32_t		sx_cell(const sxnet *N, int r, int c);

#endif							/* SR_ZONES_SECRECY_NET_H */
