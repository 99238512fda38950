/*
 * test_zones_secrecy.c — unit tests of statistical secrecy (no server):
 * hand-worked tables (the 3 x 3 table of the docs, the minimal case of
 * issue 15 and its leak), protection levels, the exact audit (maximum flow)
 * against an independent dense simplex and against brute-force enumeration
 * of integer tables, protection of random tables of every shape checked by
 * the simplex attacker, rules, errors and interrupt checks.
 */
#include "sr_test.h"
#include "sr_zones.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint32_t rng_state = 2024u;

static uint32_t
rng(void)
{
	/* xorshift32: deterministic */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static double
urand(void)
{
	return (rng() % 1000000) / 1000000.0;
}

/* ---- an independent LP solver: dense two-phase simplex, Bland's rule ------ */

#define LP_EPS 1e-9

static void
lp_pivot(double *T, int rows, int cols, int pr, int pc, int *basis)
{
	int			i,
				j;
	double		p = T[pr * cols + pc];

	for (j = 0; j < cols; j++)
		T[pr * cols + j] /= p;
	for (i = 0; i < rows; i++)
	{
		double		f = T[i * cols + pc];

		if (i == pr || f == 0.0)
			continue;
		for (j = 0; j < cols; j++)
			T[i * cols + j] -= f * T[pr * cols + j];
	}
	if (basis)
		basis[pr] = pc;
}

/* Simplex iterations on tableau T (m constraint rows + objective row m,
 * columns 0..ncand-1 may enter, rhs in column cols-1).  0 optimal, 1
 * unbounded. */
static int
lp_iterate(double *T, int m, int cols, int ncand, int *basis)
{
	for (;;)
	{
		int			e = -1,
					l = -1,
					i,
					j;
		double		best = 0;

		for (j = 0; j < ncand; j++)
			if (T[m * cols + j] < -LP_EPS)
			{
				e = j;
				break;
			}
		if (e < 0)
			return 0;
		for (i = 0; i < m; i++)
		{
			double		a = T[i * cols + e];

			if (a > LP_EPS)
			{
				double		q = T[i * cols + cols - 1] / a;

				if (l < 0 || q < best - 1e-12 || (fabs(q - best) <= 1e-12 && basis[i] < basis[l]))
				{
					l = i;
					best = q;
				}
			}
		}
		if (l < 0)
			return 1;
		lp_pivot(T, m + 1, cols, l, e, basis);
	}
}

/* max c.y subject to A y = b, y >= 0 (A is m x n).  0: optimal (*val),
 * 1: unbounded, 2: infeasible. */
static int
lp_max(int m, int n, const double *A, const double *b, const double *c, double *val)
{
	int			cols = n + m + 1,
				i,
				j,
				rc;
	double	   *T = calloc((size_t) (m + 1) * cols, sizeof(double));
	int		   *basis = malloc(sizeof(int) * (m ? m : 1));

	for (i = 0; i < m; i++)
	{
		double		s = b[i] < 0 ? -1.0 : 1.0;

		for (j = 0; j < n; j++)
			T[i * cols + j] = s * A[i * n + j];
		T[i * cols + n + i] = 1.0;
		T[i * cols + cols - 1] = s * b[i];
		basis[i] = n + i;
	}
	/* phase 1: maximise -sum of artificials */
	for (j = 0; j < cols; j++)
		T[m * cols + j] = 0.0;
	for (i = 0; i < m; i++)
		T[m * cols + n + i] = 1.0;
	for (i = 0; i < m; i++)
		for (j = 0; j < cols; j++)
			T[m * cols + j] -= T[i * cols + j];
	lp_iterate(T, m, cols, n + m, basis);
	if (T[m * cols + cols - 1] < -1e-7)
	{
		free(T);
		free(basis);
		return 2;
	}
	/* drive the artificials out of the basis (rows left are redundant) */
	for (i = 0; i < m; i++)
		if (basis[i] >= n)
			for (j = 0; j < n; j++)
				if (fabs(T[i * cols + j]) > LP_EPS)
				{
					lp_pivot(T, m + 1, cols, i, j, basis);
					break;
				}
	/* phase 2 */
	for (j = 0; j < cols; j++)
		T[m * cols + j] = j < n ? -c[j] : 0.0;
	for (i = 0; i < m; i++)
		if (basis[i] < n && c[basis[i]] != 0.0)
			for (j = 0; j < cols; j++)
				T[m * cols + j] += c[basis[i]] * T[i * cols + j];
	rc = lp_iterate(T, m, cols, n, basis);
	if (rc == 0)
		*val = T[m * cols + cols - 1];
	free(T);
	free(basis);
	return rc;
}

/* The attacker's bounds of cell f by the simplex: variables are the
 * suppressed present cells minus their lower bounds; one equation per
 * extended row and column.  hi = INFINITY when unbounded. */
static void
lp_bounds(int R, int C, const double *x, const double *lb, const bool *present,
		  const uint8_t *status, int f, double *lo, double *hi)
{
	int			R1 = R + 1,
				C1 = C + 1,
				ncell = R1 * C1,
				neq = R1 + C1,
				k = 0,
				i,
				e,
				rc;
	int		   *var = malloc(sizeof(int) * ncell);
	double	   *A,
			   *b,
			   *c,
				v;

	for (i = 0; i < ncell; i++)
	{
		bool		pres = i / C1 == R || i % C1 == C || !present || present[i];

		var[i] = pres && status[i] ? k++ : -1;
	}
	A = calloc((size_t) neq * (k ? k : 1), sizeof(double));
	b = calloc(neq, sizeof(double));
	c = calloc(k ? k : 1, sizeof(double));
	for (e = 0; e < neq; e++)
	{
		bool		isrow = e < R1;
		int			line = isrow ? e : e - R1,
					len = isrow ? C1 : R1,
					t;

		for (t = 0; t < len; t++)
		{
			int			cell = isrow ? line * C1 + t : t * C1 + line;
			double		coef = (t == len - 1) ? -1.0 : 1.0;
			bool		pres = cell / C1 == R || cell % C1 == C || !present || present[cell];

			if (!pres)
				continue;
			if (var[cell] >= 0)
			{
				A[e * k + var[cell]] = coef;
				b[e] -= coef * (lb ? lb[cell] : 0.0);
			}
			else
				b[e] -= coef * x[cell];
		}
	}
	c[var[f]] = -1.0;
	rc = lp_max(neq, k, A, b, c, &v);
	*lo = rc == 0 ? -v + (lb ? lb[f] : 0.0) : NAN;
	c[var[f]] = 1.0;
	rc = lp_max(neq, k, A, b, c, &v);
	*hi = rc == 0 ? v + (lb ? lb[f] : 0.0) : rc == 1 ? INFINITY : NAN;
	free(var);
	free(A);
	free(b);
	free(c);
}

/* ---- tables ---------------------------------------------------------------- */

typedef struct tbl
{
	int			R,
				C;
	double	   *n,
			   *v,
			   *mx,
			   *lb;
	bool	   *fis,
			   *pres;
	uint8_t    *st,
			   *why;
} tbl;

static void
tbl_alloc(tbl *t, int R, int C)
{
	int			nc = (R + 1) * (C + 1);

	t->R = R;
	t->C = C;
	t->n = calloc(nc, sizeof(double));
	t->v = calloc(nc, sizeof(double));
	t->mx = calloc(nc, sizeof(double));
	t->lb = calloc(nc, sizeof(double));
	t->fis = calloc(nc, sizeof(bool));
	t->pres = calloc(nc, sizeof(bool));
	t->st = calloc(nc, 1);
	t->why = calloc(nc, 1);
}

static void
tbl_free(tbl *t)
{
	free(t->n);
	free(t->v);
	free(t->mx);
	free(t->lb);
	free(t->fis);
	free(t->pres);
	free(t->st);
	free(t->why);
}

/* margins, presence of the totals and the counts' a priori lower bounds */
static void
tbl_finish(tbl *t)
{
	int			C1 = t->C + 1,
				i;

	sr_secrecy_fill_margins(t->R, t->C, t->n, t->v, t->mx, t->fis);
	for (i = 0; i < (t->R + 1) * C1; i++)
	{
		if (i / C1 == t->R || i % C1 == t->C)
			t->pres[i] = true;
		t->lb[i] = t->n[i] >= 1 ? 1.0 : 0.0;
	}
}

static sr_status
tbl_protect(tbl *t, const sr_secrecy_rules *rules)
{
	sr_err		err;

	return sr_secrecy_protect(t->R, t->C, t->n, t->v, t->mx, t->fis, t->pres, rules,
							  t->st, t->why, &err);
}

/* Random table: shape 0 any, 1 one row, 2 one column, 3 sparse, 4 rows of
 * one cell, 5 dense small counts. */
static void
tbl_random(tbl *t, int shape)
{
	int			R = 1 + rng() % 5,
				C = 1 + rng() % 5,
				r,
				c;
	double		density = 0.35 + 0.65 * urand();

	if (shape == 1)
		R = 1;
	if (shape == 2)
		C = 1;
	if (shape == 3)
	{
		R = 3 + rng() % 4;
		C = 3 + rng() % 4;
		density = 0.3;
	}
	if (shape == 5)
		density = 1.0;
	tbl_alloc(t, R, C);
	for (r = 0; r < R; r++)
	{
		int			only = rng() % C;

		for (c = 0; c < C; c++)
		{
			int			i = r * (C + 1) + c;
			uint32_t	u = rng() % 100;

			if (shape == 4 ? c != only : urand() > density)
				continue;
			t->pres[i] = true;
			t->n[i] = u < 8 ? 0 : u < 40 ? 1 + rng() % 2 : 3 + rng() % (shape == 5 ? 4 : 15);
			t->v[i] = t->n[i] * (1 + rng() % 20);
			if (t->n[i] > 0 && rng() % 20 == 0)
				t->v[i] = 0;	/* units with no value (e.g. no employee) */
			if (t->n[i] == 1)
				t->mx[i] = t->v[i];
			else if (t->n[i] > 1)
			{
				double		s = 1.0 / t->n[i] + (1 - 1.0 / t->n[i]) * pow(urand(), 3);

				t->mx[i] = floor(t->v[i] * s * 100) / 100;
			}
		}
	}
	if (rng() % 10 == 0)
		for (r = 0; r < (R + 1) * (C + 1); r++)
			t->fis[r] = true;
	tbl_finish(t);
}

/* Check a protected table with the simplex attacker: counts (lower bound 1
 * for non-empty cells) and values.  Adds to the counters. */
static void
tbl_attack(tbl *t, const sr_secrecy_rules *rules, int *nsup, int *exact_n, int *exact_v,
		   int *under, int *lpfail)
{
	int			nc = (t->R + 1) * (t->C + 1),
				i;

	for (i = 0; i < nc; i++)
	{
		double		lo,
					hi,
					u,
					l;

		if (!t->st[i])
			continue;
		(*nsup)++;
		lp_bounds(t->R, t->C, t->n, t->lb, t->pres, t->st, i, &lo, &hi);
		if (isnan(lo) || isnan(hi))
			(*lpfail)++;
		else if (isfinite(hi) && floor(hi + 1e-7) <= ceil(lo - 1e-7))
			(*exact_n)++;
		lp_bounds(t->R, t->C, t->v, NULL, t->pres, t->st, i, &lo, &hi);
		if (isnan(lo) || isnan(hi))
			(*lpfail)++;
		else if (hi - lo <= 1e-7 * fmax(1.0, t->v[i]))
			(*exact_v)++;
		if (t->st[i] == SR_SECRET_PRIMARY && !isnan(lo))
		{
			sr_secrecy_levels(rules, t->why[i], t->v[i], t->mx[i], &u, &l);
			if (hi < t->v[i] + u - 1e-7 * fmax(1.0, t->v[i]) ||
				lo > t->v[i] - l + 1e-7 * fmax(1.0, t->v[i]))
				(*under)++;
		}
	}
}

/* ---- hand-worked tables ------------------------------------------------------ */

static void
test_hand_3x3(void)
{
	/* each unit contributes 10 */
	static const double cnt[9] = {5, 1, 4, 3, 6, 7, 8, 2, 9};
	/* the pattern of the docs' first version: (0,1) and (2,1) primary,
	 * (0,2) (1,0) (1,2) (2,0) secondary */
	static const uint8_t pat[16] = {0, 1, 2, 0, 2, 0, 2, 0, 2, 1, 0, 0, 0, 0, 0, 0};
	tbl			t;
	sr_secrecy_rules rules;
	uint8_t		rec[16];
	double		lo[16],
				hi[16],
				llo,
				lhi;
	int			i,
				nsup = 0,
				en = 0,
				ev = 0,
				under = 0,
				lpfail = 0;

	tbl_alloc(&t, 3, 3);
	for (i = 0; i < 9; i++)
	{
		int			k = (i / 3) * 4 + i % 3;

		t.n[k] = cnt[i];
		t.v[k] = 10 * cnt[i];
		t.mx[k] = 10;
		t.pres[k] = true;
	}
	tbl_finish(&t);
	SR_CHECK(t.n[3] == 10 && t.n[7] == 16 && t.n[11] == 19 && t.n[12] == 16 && t.n[13] == 9 &&
			 t.n[14] == 20 && t.n[15] == 45, "3 x 3: margins");
	/* x01 = t, x02 = 5 - t, x10 = 4 - t, x12 = 6 + t, x20 = 7 + t,
	 * x21 = 3 - t: with counts >= 1, t in [1, 2]; values (x 10) in [0, 30] */
	SR_CHECK(sr_secrecy_audit(3, 3, t.n, t.lb, NULL, pat, true, rec, lo, hi) == 0,
			 "3 x 3: no count recoverable under the six-cell pattern");
	SR_CHECK(lo[1] == 1.0 && hi[1] == 2.0, "3 x 3: attacker's count bounds of (0,1) are [1, 2] (flow)");
	lp_bounds(3, 3, t.n, t.lb, NULL, pat, 1, &llo, &lhi);
	SR_CHECK_CLOSE(llo, 1.0, 1e-9, "3 x 3: simplex lower count bound of (0,1) is 1");
	SR_CHECK_CLOSE(lhi, 2.0, 1e-9, "3 x 3: simplex upper count bound of (0,1) is 2");
	SR_CHECK(sr_secrecy_audit(3, 3, t.v, NULL, NULL, pat, false, rec, lo, hi) == 0 &&
			 lo[1] == 0.0 && hi[1] == 30.0 && lo[9] == 0.0 && hi[9] == 30.0,
			 "3 x 3: attacker's value bounds of (0,1) and (2,1) are [0, 30]");
	/* 10 -> 0 at (0,1): the pattern does not meet the 10 % level of (0,1)
	 * (value 10, range [0, 30]) ... it does: 10 +/- 1 inside [0, 30] */
	{
		uint8_t		naive[16] = {0};

		naive[1] = naive[2] = 1;
		SR_CHECK(sr_secrecy_audit(3, 3, t.n, NULL, NULL, naive, true, rec, NULL, NULL) == 2 &&
				 rec[1] && rec[2], "3 x 3: row-only suppression is recovered from the column totals");
	}
	sr_secrecy_default_rules(&rules);
	SR_CHECK(tbl_protect(&t, &rules) == SR_OK, "3 x 3: protect");
	SR_CHECK(t.st[1] == SR_SECRET_PRIMARY && t.st[9] == SR_SECRET_PRIMARY &&
			 t.why[1] == (SR_SECRET_R_MIN_UNITS | SR_SECRET_R_DOMINANCE) &&
			 t.why[9] == SR_SECRET_R_MIN_UNITS, "3 x 3: primary (0,1) n=1 (min_units, dominance) and (2,1) n=2");
	tbl_attack(&t, &rules, &nsup, &en, &ev, &under, &lpfail);
	SR_CHECK(nsup >= 4 && en == 0 && ev == 0 && under == 0 && lpfail == 0,
			 "3 x 3: protected (simplex: nothing exact, levels met)");
	tbl_free(&t);
}

/* Issue 15's minimal case: rows a b c, columns x y; (c, y) absent.
 *   a: x 1 unit 50, y 10 units 100
 *   b: x 10 units 80, y 10 units 90
 *   c: x 5 units 40 */
static void
test_minimal_case(void)
{
	tbl			t;
	sr_secrecy_rules rules;
	uint8_t		rec_n[12],
				rec_v[12];
	double		lo[12],
				hi[12];
	/* index: r * 3 + c (c = 2 totals) */
	enum
	{
		AX = 0, AY = 1, BX = 3, BY = 4, CX = 6, CY = 7
	};
	uint8_t		leak[12] = {0};
	static const uint8_t want[12] = {1, 2, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0};
	int			nsup = 0,
				en = 0,
				ev = 0,
				under = 0,
				lpfail = 0;

	tbl_alloc(&t, 3, 2);
	t.n[AX] = 1;
	t.v[AX] = 50;
	t.n[AY] = 10;
	t.v[AY] = 100;
	t.n[BX] = 10;
	t.v[BX] = 80;
	t.n[BY] = 10;
	t.v[BY] = 90;
	t.n[CX] = 5;
	t.v[CX] = 40;
	t.pres[AX] = t.pres[AY] = t.pres[BX] = t.pres[BY] = t.pres[CX] = true;
	tbl_finish(&t);
	SR_CHECK(!t.pres[CY] && t.v[8] == 40 && t.v[11] == 360, "minimal case: (c,y) absent, row c total 40");
	/* the pattern of the earlier heuristic: (c, x) is its row's total */
	leak[AX] = 1;
	leak[AY] = leak[BX] = leak[BY] = leak[CX] = 2;
	SR_CHECK(sr_secrecy_audit(3, 2, t.n, t.lb, t.pres, leak, true, rec_n, NULL, NULL) == 1 && rec_n[CX] &&
			 sr_secrecy_audit(3, 2, t.v, NULL, t.pres, leak, false, rec_v, lo, hi) == 1 && rec_v[CX] &&
			 lo[CX] == 40 && hi[CX] == 40,
			 "minimal case: the audit finds (c,x) = 40 from its row total, and nothing else");
	/* with (c,x) known, a = t: b,x = 130 - t, a,y = 150 - t, b,y = 40 + t */
	SR_CHECK(lo[AX] == 0 && hi[AX] == 130, "minimal case: (a,x) value bounds [0, 130] under that pattern");
	sr_secrecy_default_rules(&rules);
	SR_CHECK(tbl_protect(&t, &rules) == SR_OK && memcmp(t.st, want, 12) == 0,
			 "minimal case: (a,x) primary, protected by (a,y) (b,x) (b,y); (c,x) and every total published");
	SR_CHECK(sr_secrecy_audit(3, 2, t.n, t.lb, t.pres, t.st, true, rec_n, lo, hi) == 0 &&
			 lo[AX] == 1 && hi[AX] == 10,
			 "minimal case: counts not recoverable; (a,x) in [1, 10] (a,x + a,y = 11, b,x + a,x = 11)");
	SR_CHECK(sr_secrecy_audit(3, 2, t.v, NULL, t.pres, t.st, false, rec_v, lo, hi) == 0 &&
			 lo[AX] == 0 && hi[AX] == 130 && lo[AX] <= 45 && hi[AX] >= 55,
			 "minimal case: values not recoverable; (a,x) in [0, 130], beyond 50 +/- 10 %");
	tbl_attack(&t, &rules, &nsup, &en, &ev, &under, &lpfail);
	SR_CHECK(nsup == 4 && en + ev + under + lpfail == 0, "minimal case: the simplex attacker agrees");
	/* the same case with a fourth row holding only (d, x) 1 unit: the chain
	 * of single-cell rows must not disclose it */
	tbl_free(&t);
}

/* Levels, rules, cost and errors. */
static void
test_rules(void)
{
	sr_secrecy_rules rules;
	sr_err		err;
	double		u,
				l;
	double		n[4] = {1, 0, 0, 0},
				v[4] = {5, 0, 0, 0};
	uint8_t		st[4],
				why[4];

	sr_secrecy_default_rules(&rules);
	SR_CHECK(rules.protection_level == 0.10 && rules.min_units == 3 && rules.dominance == 0.85,
			 "default rules: 10 %, 3 units, 85 %");
	sr_secrecy_levels(&rules, SR_SECRET_R_MIN_UNITS, 200, 0, &u, &l);
	SR_CHECK(u == 20 && l == 20, "min_units level: 10 % of 200 = 20 both ways");
	sr_secrecy_levels(&rules, SR_SECRET_R_DOMINANCE, 100, 90, &u, &l);
	SR_CHECK_CLOSE(u, 90 / 0.85 - 100, 1e-12, "dominance level: 90 / 0.85 - 100 = 5.88");
	sr_secrecy_levels(&rules, SR_SECRET_R_DOMINANCE | SR_SECRET_R_MIN_UNITS, 100, 100, &u, &l);
	SR_CHECK_CLOSE(u, 100 / 0.85 - 100, 1e-12, "one unit: the larger level, 17.6 %");
	rules.protection_level = 3;
	sr_secrecy_levels(&rules, SR_SECRET_R_FISCAL, 10, 0, &u, &l);
	SR_CHECK(u == 30 && l == 10, "lower level capped at the value");
	sr_secrecy_levels(&rules, 0, 10, 10, &u, &l);
	SR_CHECK(u == 0 && l == 0, "no rule, no level");
	SR_CHECK(sr_secrecy_cost(3, 50, false, 99) == 4.5 && sr_secrecy_cost(3, 50, true, 99) == 9.0,
			 "cost: 1 + units + value share, doubled for totals");
	rules.protection_level = 11;
	SR_CHECK(sr_secrecy_check_rules(&rules, &err) == SR_ERANGE &&
			 strcmp(err.msg, "rule \"protection_level\" is out of range: 11") == 0,
			 "protection_level 11 is out of range");
	sr_secrecy_default_rules(&rules);
	rules.dominance = 0.4;
	SR_CHECK(sr_secrecy_protect(1, 1, n, v, NULL, NULL, NULL, &rules, st, why, &err) == SR_ERANGE,
			 "protect checks the rules");
	sr_secrecy_default_rules(&rules);
	SR_CHECK(sr_secrecy_protect(0, 1, n, v, NULL, NULL, NULL, &rules, st, why, &err) == SR_EINVAL,
			 "a table needs a row");
	v[0] = -1;
	SR_CHECK(sr_secrecy_protect(1, 1, n, v, NULL, NULL, NULL, &rules, st, why, &err) == SR_EDATA,
			 "a negative value is an error");
	v[0] = NAN;
	SR_CHECK(sr_secrecy_protect(1, 1, n, v, NULL, NULL, NULL, &rules, st, why, &err) == SR_EDATA,
			 "a NaN value is an error");
	/* a value with no unit contributing to it (n = 0, value 12.5): an
	 * impossible cell, refused by the cell check and by protect */
	n[0] = 0;
	v[0] = 12.5;
	SR_CHECK(sr_secrecy_protect(1, 1, n, v, NULL, NULL, NULL, &rules, st, why, &err) == SR_EINVAL,
			 "protect refuses a cell of n = 0 with a value");
	SR_CHECK(sr_secrecy_check_cell("z1", "C", 0, 12.5, 0, &err) == SR_EINVAL &&
			 strcmp(err.msg, "cell (\"z1\", \"C\") has a value but no units") == 0,
			 "the cell check names the cell (\"z1\", \"C\"): n = 0 with a value");
	SR_CHECK(sr_secrecy_check_cell("z1", "C", 0, 0, 0, &err) == SR_OK,
			 "a zero cell (n = 0, value 0) is accepted");
	SR_CHECK(sr_secrecy_check_cell("z1", "C", 2, 0, 0, &err) == SR_OK,
			 "units with a value of 0 are accepted (establishments without jobs)");
	SR_CHECK(sr_secrecy_check_cell("z1", "C", 1, 5, 6, &err) == SR_EDATA &&
			 sr_secrecy_check_cell("z1", "C", -1, 5, 0, &err) == SR_EDATA &&
			 sr_secrecy_check_cell("z1", "C", 1, INFINITY, 0, &err) == SR_EDATA,
			 "max_value above the value, a negative n, an infinite value: 22000 as before");
	/* n = 0, value 0 beside a published cell: the zero cell is published
	 * (no rule applies to an empty cell), hand-worked: row a = (0, 0) +
	 * (5, 50, largest 10): every total 5 units, 50, 10 / 50 = 20 % */
	{
		double		zn[6] = {0, 5, 0, 0, 0, 0},
					zv[6] = {0, 50, 0, 0, 0, 0},
					zm[6] = {0, 10, 0, 0, 0, 0};
		bool		zp[6] = {true, true, false, false, false, false};
		uint8_t		zst[6],
					zwhy[6];
		bool		all = true;

		sr_secrecy_fill_margins(1, 2, zn, zv, zm, NULL);
		SR_CHECK(sr_secrecy_protect(1, 2, zn, zv, zm, NULL, zp, &rules, zst, zwhy, &err) == SR_OK,
				 "a table with a zero cell is protected");
		for (int k = 0; k < 6; k++)
			all = all && zst[k] == SR_SECRET_PUBLISHED;
		SR_CHECK(all && zn[2] == 5 && zv[5] == 50, "the zero cell and every total published (row total 5 units, 50)");
	}
	/* fiscal rule and a 1 x 1 table: everything goes */
	{
		tbl			t;

		tbl_alloc(&t, 1, 1);
		t.n[0] = 12;
		t.v[0] = 120;
		t.fis[0] = t.pres[0] = true;
		tbl_finish(&t);
		SR_CHECK(tbl_protect(&t, &rules) == SR_OK && t.st[0] == 0 && t.st[3] == 0,
				 "fiscal cell with 12 units published");
		t.n[0] = 10;
		tbl_finish(&t);
		SR_CHECK(tbl_protect(&t, &rules) == SR_OK && t.st[0] == 1 && t.why[0] == SR_SECRET_R_FISCAL &&
				 t.st[1] && t.st[2] && t.st[3],
				 "1 x 1 table with a fiscal cell of 10 units: the cell and all three totals suppressed");
		tbl_free(&t);
	}
}

/* A row total that must be lowered by its whole value (protection level
 * 100 %): no rectangle can (each interior cell of the row is half of it),
 * two paths together do; the fix falls back to the min-cost flow.
 *        c0        c1     | total
 *   r0   1u  5     1u  5  |  2u  10    (r0 cells and total primary)
 *   r1  10u 50    10u 60  | 20u 110
 *       11u 55    11u 65  | 22u 120
 * Hand-worked: the row total goes first (largest level, 10): up through
 * the cheapest rectangle (r1 total, (r1, c0)); down needs 10 from two
 * cells of 5: a second path adds (r1, c1). */
static void
test_flow_fix(void)
{
	tbl			t;
	sr_secrecy_rules rules;
	uint8_t		rec[9];
	double		lo[9],
				hi[9];
	static const uint8_t want[9] = {1, 1, 1, 2, 2, 2, 0, 0, 0};
	int			nsup = 0,
				en = 0,
				ev = 0,
				under = 0,
				lpfail = 0;

	tbl_alloc(&t, 2, 2);
	t.n[0] = t.n[1] = 1;
	t.v[0] = t.v[1] = 5;
	t.mx[0] = t.mx[1] = 5;
	t.n[3] = t.n[4] = 10;
	t.v[3] = 50;
	t.v[4] = 60;
	t.mx[3] = t.mx[4] = 6;
	t.pres[0] = t.pres[1] = t.pres[3] = t.pres[4] = true;
	tbl_finish(&t);
	sr_secrecy_default_rules(&rules);
	rules.protection_level = 1.0;
	SR_CHECK(tbl_protect(&t, &rules) == SR_OK && memcmp(t.st, want, 9) == 0,
			 "row total lowered by its whole value: two paths, (r1,c0) (r1,c1) and the r1 total suppressed");
	SR_CHECK(sr_secrecy_audit(2, 2, t.v, NULL, t.pres, t.st, false, rec, lo, hi) == 0 &&
			 lo[2] == 0 && hi[2] == 120,
			 "its value bounds are [0, 120] (column totals 55 + 65 published)");
	tbl_attack(&t, &rules, &nsup, &en, &ev, &under, &lpfail);
	SR_CHECK(nsup == 6 && en + ev + under + lpfail == 0, "the simplex attacker agrees");
	tbl_free(&t);
}

/* More than 1,024 columns both ways: the protection runs without its hop
 * cache (rectangles are scanned). */
static void
test_wide(void)
{
	tbl			t;
	sr_secrecy_rules rules;
	int			R = 1100,
				C = 1100,
				C1 = C + 1,
				nc = (R + 1) * C1,
				r,
				k,
				i,
				nsup = 0;
	uint8_t    *rec = malloc(nc);

	tbl_alloc(&t, R, C);
	for (r = 0; r < R; r++)
		for (k = 0; k < 4; k++)
		{
			int			c = (r * 7 + k * 131 + (int) (rng() % 40)) % C,
						e = r * C1 + c;

			if (t.pres[e])
				continue;
			t.pres[e] = true;
			t.n[e] = 1 + rng() % 6;
			t.v[e] = t.n[e] * (1 + rng() % 10);
			t.mx[e] = t.v[e] / t.n[e];
		}
	tbl_finish(&t);
	sr_secrecy_default_rules(&rules);
	SR_CHECK(tbl_protect(&t, &rules) == SR_OK, "1100 x 1100 sparse table protected (no hop cache)");
	for (i = 0; i < nc; i++)
		nsup += t.st[i] != 0;
	printf("# 1100 x 1100 table, 4 cells a row: %d cells suppressed\n", nsup);
	SR_CHECK(nsup > 0 && sr_secrecy_audit(R, C, t.n, t.lb, t.pres, t.st, true, rec, NULL, NULL) == 0 &&
			 sr_secrecy_audit(R, C, t.v, NULL, t.pres, t.st, false, rec, NULL, NULL) == 0,
			 "1100 x 1100 table: the exact audit recovers no count and no value");
	free(rec);
	tbl_free(&t);
}

/* ---- the audit against the simplex and brute force ------------------------- */

static void
test_audit_vs_lp(void)
{
	int			trial,
				agree = 1,
				cells = 0,
				unbounded = 0,
				exact = 0;

	for (trial = 0; trial < 300; trial++)
	{
		tbl			t;
		int			nc,
					i,
					m;
		uint8_t    *rec;
		double	   *lo,
				   *hi;

		tbl_random(&t, trial % 6);
		nc = (t.R + 1) * (t.C + 1);
		rec = malloc(nc);
		lo = malloc(sizeof(double) * nc);
		hi = malloc(sizeof(double) * nc);
		for (i = 0; i < nc; i++)
		{
			t.st[i] = t.pres[i] && rng() % 5 < 2;
			if (t.pres[i])
				t.v[i] += 0.25 * (rng() % 4);	/* non-integer values */
		}
		/* keep the table consistent after the value noise */
		sr_secrecy_fill_margins(t.R, t.C, t.n, t.v, NULL, NULL);
		for (m = 0; m < 2; m++)
		{
			const double *x = m ? t.v : t.n;

			sr_secrecy_audit(t.R, t.C, x, m ? NULL : t.lb, t.pres, t.st, m == 0, rec, lo, hi);
			for (i = 0; i < nc; i++)
			{
				double		llo,
							lhi;

				if (!t.st[i] || !t.pres[i])
					continue;
				cells++;
				lp_bounds(t.R, t.C, x, m ? NULL : t.lb, t.pres, t.st, i, &llo, &lhi);
				unbounded += isinf(hi[i]);
				exact += rec[i];
				if (isnan(llo) || isnan(lhi) || fabs(llo - lo[i]) > 1e-6 * (1 + fabs(llo)) ||
					(isinf(lhi) != isinf(hi[i])) ||
					(isfinite(lhi) && fabs(lhi - hi[i]) > 1e-6 * (1 + fabs(lhi))))
				{
					if (agree)
						printf("# trial %d cell %d measure %d: flow [%g, %g], simplex [%g, %g]\n",
							   trial, i, m, lo[i], hi[i], llo, lhi);
					agree = 0;
				}
			}
		}
		free(rec);
		free(lo);
		free(hi);
		tbl_free(&t);
	}
	printf("# audit vs simplex: %d cell bounds, %d unbounded, %d exact\n", cells, unbounded, exact);
	SR_CHECK(agree && cells > 1000 && unbounded > 0 && exact > 0,
			 "exact audit (maximum flow) equals the simplex bounds on 300 random tables and patterns, counts and values");
}

/* Integer tables by enumeration: min and max of every suppressed count
 * over all integer tables (>= 0, >= 1 where non-empty) agreeing with the
 * published cells.  Tables whose grand total is published: every cell is
 * then at most that total, so the enumeration is complete. */
static int	bf_R,
			bf_C,
			bf_k,
			bf_var[16];
static double bf_x[16],
			bf_cap[16],
			bf_min[16],
			bf_max[16],
			bf_lb[16];
static bool bf_pres[16];

static bool
bf_consistent(void)
{
	int			C1 = bf_C + 1,
				r,
				c;

	for (r = 0; r <= bf_R; r++)
	{
		double		s = 0;

		for (c = 0; c < bf_C; c++)
			s += bf_pres[r * C1 + c] ? bf_x[r * C1 + c] : 0;
		if (s != bf_x[r * C1 + bf_C])
			return false;
	}
	for (c = 0; c <= bf_C; c++)
	{
		double		s = 0;

		for (r = 0; r < bf_R; r++)
			s += bf_pres[r * C1 + c] ? bf_x[r * C1 + c] : 0;
		if (s != bf_x[bf_R * C1 + c])
			return false;
	}
	return true;
}

static void
bf_enum(int j)
{
	int			i,
				e;

	if (j == bf_k)
	{
		if (bf_consistent())
			for (i = 0; i < bf_k; i++)
			{
				bf_min[i] = fmin(bf_min[i], bf_x[bf_var[i]]);
				bf_max[i] = fmax(bf_max[i], bf_x[bf_var[i]]);
			}
		return;
	}
	e = bf_var[j];
	for (bf_x[e] = bf_lb[e]; bf_x[e] <= bf_cap[j]; bf_x[e] += 1)
		bf_enum(j + 1);
}

static void
test_brute_force(void)
{
	int			trial,
				tables = 0,
				agree = 1;

	for (trial = 0; trial < 2000 && tables < 60; trial++)
	{
		tbl			t;
		int			R = 1 + rng() % 3,
					C = 1 + rng() % 3,
					C1 = C + 1,
					nc = (R + 1) * (C + 1),
					i;
		uint8_t		rec[16];
		double		lo[16],
					hi[16],
					keep[16];

		tbl_alloc(&t, R, C);
		for (i = 0; i < nc; i++)
			if (i / C1 < R && i % C1 < C && rng() % 5)
			{
				t.pres[i] = true;
				t.n[i] = rng() % 4;
			}
		tbl_finish(&t);
		bf_k = 0;
		for (i = 0; i < nc - 1; i++)
		{
			t.st[i] = t.pres[i] && rng() % 3 == 0;
			if (t.st[i] && bf_k < 6)
				bf_var[bf_k++] = i;
			else
				t.st[i] = 0;
		}
		if (bf_k == 0)
		{
			tbl_free(&t);
			continue;
		}
		tables++;
		bf_R = R;
		bf_C = C;
		for (i = 0; i < nc; i++)
		{
			bf_x[i] = keep[i] = t.n[i];
			bf_pres[i] = t.pres[i];
			bf_lb[i] = t.lb[i];
		}
		for (i = 0; i < bf_k; i++)
		{
			int			e = bf_var[i],
						rtot = (e / C1) * C1 + C,
						ctot = R * C1 + e % C1;

			/* a cell is at most a published total of its row or column */
			bf_cap[i] = t.n[nc - 1];
			if (e != rtot && !t.st[rtot])
				bf_cap[i] = fmin(bf_cap[i], t.n[rtot]);
			if (e != ctot && !t.st[ctot])
				bf_cap[i] = fmin(bf_cap[i], t.n[ctot]);
			bf_min[i] = INFINITY;
			bf_max[i] = -INFINITY;
		}
		bf_enum(0);
		sr_secrecy_audit(R, C, keep, t.lb, t.pres, t.st, true, rec, lo, hi);
		for (i = 0; i < bf_k; i++)
		{
			int			e = bf_var[i];

			if (lo[e] != bf_min[i] || hi[e] != bf_max[i])
			{
				if (agree)
					printf("# brute force table %d cell %d: flow [%g, %g], enumeration [%g, %g]\n",
						   tables, e, lo[e], hi[e], bf_min[i], bf_max[i]);
				agree = 0;
			}
		}
		tbl_free(&t);
	}
	SR_CHECK(agree && tables >= 50,
			 "count bounds equal the enumeration of all integer tables (60 tables up to 3 x 3, grand total published)");
}

/* ---- protection of random tables --------------------------------------------- */

static void
test_protect_random(void)
{
	static const char *const names[] = {"any", "one row", "one column", "sparse", "one cell per row", "dense"};
	int			shape;

	for (shape = 0; shape < 6; shape++)
	{
		int			trial,
					nsup = 0,
					en = 0,
					ev = 0,
					under = 0,
					lpfail = 0,
					failed = 0,
					kept = 1,
					absent_ok = 1,
					nprim = 0;
		char		desc[200];

		for (trial = 0; trial < 150; trial++)
		{
			tbl			t;
			sr_secrecy_rules rules;
			int			nc,
						i;
			uint8_t    *why0;

			tbl_random(&t, shape);
			nc = (t.R + 1) * (t.C + 1);
			sr_secrecy_default_rules(&rules);
			if (trial % 4 == 1)
				rules.protection_level = 0.0;
			if (trial % 4 == 2)
				rules.protection_level = 0.3;
			if (trial % 5 == 3)
				rules.min_units = 1 + rng() % 5;
			if (tbl_protect(&t, &rules) != SR_OK)
			{
				failed++;
				tbl_free(&t);
				continue;
			}
			why0 = t.why;
			for (i = 0; i < nc; i++)
			{
				if ((why0[i] != 0) != (t.st[i] == SR_SECRET_PRIMARY))
					kept = 0;
				if (!t.pres[i] && t.st[i])
					absent_ok = 0;
				nprim += t.st[i] == SR_SECRET_PRIMARY;
			}
			tbl_attack(&t, &rules, &nsup, &en, &ev, &under, &lpfail);
			tbl_free(&t);
		}
		printf("# %s: 150 tables, %d primary, %d suppressed, %d exact counts, %d exact values, %d under-protected\n",
			   names[shape], nprim, nsup, en, ev, under);
		snprintf(desc, sizeof(desc),
				 "150 random tables (%s): protected; the simplex recomputes no count or value and finds every primary value beyond its level",
				 names[shape]);
		SR_CHECK(failed == 0 && kept && absent_ok && nprim > 0 && en == 0 && ev == 0 && under == 0 &&
				 lpfail == 0, desc);
	}
}

/* A zone x section sized table (300 x 21) and interrupt checks. */
static int	interrupts;

static void
count_interrupt(void)
{
	interrupts++;
}

static void
test_large(void)
{
	tbl			t;
	sr_secrecy_rules rules;
	int			R = 300,
				C = 21,
				nc = (R + 1) * (C + 1),
				r,
				c,
				i,
				nsup = 0;
	uint8_t    *rec = malloc(nc);

	tbl_alloc(&t, R, C);
	for (r = 0; r < R; r++)
		for (c = 0; c < C; c++)
		{
			int			k = r * (C + 1) + c;

			if (rng() % 9 == 0)
				continue;
			t.pres[k] = true;
			t.n[k] = 1 + rng() % 12;
			t.v[k] = t.n[k] * (1.0 + rng() % 40);
			t.mx[k] = fmin(t.v[k], t.v[k] / t.n[k] * (1.0 + (rng() % 4 == 0) * 3.0));
		}
	tbl_finish(&t);
	sr_secrecy_default_rules(&rules);
	sr_set_handlers(NULL, NULL, NULL, count_interrupt);
	interrupts = 0;
	SR_CHECK(tbl_protect(&t, &rules) == SR_OK, "300 x 21 table protected");
	sr_set_handlers(NULL, NULL, NULL, NULL);
	for (i = 0; i < nc; i++)
		nsup += t.st[i] != 0;
	printf("# 300 x 21 table: %d of %d cells suppressed, %d interrupt checks\n", nsup, nc, interrupts);
	SR_CHECK(interrupts >= nsup, "protection checks for interrupts at least once per suppressed cell");
	SR_CHECK(sr_secrecy_audit(R, C, t.n, t.lb, t.pres, t.st, true, rec, NULL, NULL) == 0 &&
			 sr_secrecy_audit(R, C, t.v, NULL, t.pres, t.st, false, rec, NULL, NULL) == 0,
			 "300 x 21 table: the exact audit recovers no count and no value");
	free(rec);
	tbl_free(&t);
}

/* ---- statistical_secrecy's input checks, whatever the order of the rows -- */

typedef struct rc_row
{
	const char *rk,
			   *ck;
	int64_t		n;
	double		value,
				max_value;		/* NAN: NULL */
	bool		fiscal;
} rc_row;

/* Read rows (in the order perm gives) into their cells with
 * sr_secrecy_read_cells; fills the status, the duplicate cell named (as
 * "row/col", "" when none) and the message.  Cell arrays for one check. */
static sr_status
rc_read(const rc_row *rows, const int *perm, int nr, char *dup_keys, size_t duplen, sr_err *err,
		double *out_n, double *out_max, bool *out_fiscal)
{
	const char *rkeys[8],
			   *ckeys[8],
			  **rk = NULL,
			  **ck = NULL;
	int32_t		ri[8],
				ci[8];
	int64_t		n[8],
				dup = -1;
	double		v[8],
				mx[8],
				*cn,
				*cv,
				*cm;
	bool		mnull[8],
				fis[8],
			   *cf,
			   *cp;
	int			R,
				C;
	sr_secrecy_rows in;
	sr_status	st;

	for (int i = 0; i < nr; i++)
	{
		const rc_row *r = &rows[perm[i]];

		rkeys[i] = r->rk;
		ckeys[i] = r->ck;
		n[i] = r->n;
		v[i] = r->value;
		mnull[i] = isnan(r->max_value);
		mx[i] = mnull[i] ? 12345.0 : r->max_value;	/* a NULL's slot is not read */
		fis[i] = r->fiscal;
	}
	R = sr_secrecy_index_keys(rkeys, nr, ri, &rk);
	C = sr_secrecy_index_keys(ckeys, nr, ci, &ck);
	cn = calloc((R + 1) * (C + 1), sizeof(double));
	cv = calloc((R + 1) * (C + 1), sizeof(double));
	cm = calloc((R + 1) * (C + 1), sizeof(double));
	cf = calloc((R + 1) * (C + 1), sizeof(bool));
	cp = calloc((R + 1) * (C + 1), sizeof(bool));
	in = (sr_secrecy_rows) {
		.nrows = (size_t) nr, .row = ri, .col = ci, .n = n, .value = v,
		.max_value = mx, .max_null = mnull, .fiscal = fis, .fiscal_null = NULL
	};
	sr_err_clear(err);
	st = sr_secrecy_read_cells(&in, R, C, rk, ck, cn, cv, cm, cf, cp, &dup, err);
	dup_keys[0] = '\0';
	if (dup >= 0)
		snprintf(dup_keys, duplen, "%s/%s", rk[dup / (C + 1)], ck[dup % (C + 1)]);
	if (out_n)
		for (int k = 0; k < (R + 1) * (C + 1); k++)
		{
			out_n[k] = cn[k];
			out_max[k] = cm[k];
			out_fiscal[k] = cf[k];
		}
	free(cn);
	free(cv);
	free(cm);
	free(cf);
	free(cp);
	sr_free(rk);
	sr_free(ck);
	return st;
}

/* Every order of the nr rows (nr <= 4) gives the status st, the duplicate
 * dup ("" when none) and a message beginning with msg. */
static void
rc_every_order(const rc_row *rows, int nr, sr_status st, const char *dup, const char *msg,
			   const char *what)
{
	int			perm[4],
				c[4] = {0, 0, 0, 0},
				orders = 0,
				agree = 0;

	for (int i = 0; i < nr; i++)
		perm[i] = i;
	/* Heap's algorithm: every permutation once */
	for (int i = 0;;)
	{
		char		d[64];
		sr_err		err;
		sr_status	got = rc_read(rows, perm, nr, d, sizeof(d), &err, NULL, NULL, NULL);

		orders++;
		agree += got == st && strcmp(d, dup) == 0 && strncmp(err.msg, msg, strlen(msg)) == 0;
		if (got != st || strcmp(d, dup) != 0 || strncmp(err.msg, msg, strlen(msg)) != 0)
			printf("# %s: order %d gives status %d, duplicate \"%s\", message \"%s\"\n",
				   what, orders, (int) got, d, err.msg);
		while (i < nr && c[i] >= i)
			c[i++] = 0;
		if (i >= nr)
			break;
		{
			int			a = i % 2 == 0 ? 0 : c[i],
						t = perm[a];

			perm[a] = perm[i];
			perm[i] = t;
		}
		c[i]++;
		i = 0;
	}
	SR_CHECK(agree == orders, what);
}

/*
 * The order of statistical_secrecy's checks does not depend on the order of
 * the rows: first the table's structure (a cell listed twice: the first such
 * cell in key order), then each cell in key order (its values, then its
 * count, then the running total of the counts).  The old glue checked row
 * by row: a duplicated cell whose second row had a max_value above its value
 * reported that max_value (22000) in both orders, and a duplicate beside
 * another bad cell reported whichever came first.
 */
static void
test_read_cells_order(void)
{
	/* (a, b) twice, its second part with a max_value (6) above its value (4) */
	static const rc_row dup_bad[] = {
		{"a", "b", 2, 10, 5, false}, {"a", "b", 1, 4, 6, false}
	};
	/* (a, b) twice, well formed, and (a, c) with a max_value above its value */
	static const rc_row dup_and_bad[] = {
		{"a", "b", 2, 10, 5, false}, {"a", "b", 3, 9, 4, false}, {"a", "c", 1, 4, 6, false}
	};
	/* two cells listed twice: (b, x) and (a, y); the first in key order is (a, y) */
	static const rc_row two_dups[] = {
		{"b", "x", 3, 3, NAN, false}, {"b", "x", 3, 3, NAN, false},
		{"a", "y", 4, 4, NAN, false}, {"a", "y", 4, 4, NAN, false}
	};
	/* no duplicate, two bad cells: (b, a) negative n, (a, c) max_value above
	 * its value; (a, c) comes first in key order */
	static const rc_row two_bad[] = {
		{"b", "a", -1, 4, NAN, false}, {"a", "c", 1, 4, 6, false}, {"a", "b", 3, 30, 10, false}
	};
	/* a count past 2^53 in (a, x) and a max_value above its value in (a, w):
	 * (a, w) first in key order */
	static const rc_row big_and_bad[] = {
		{"a", "x", SR_SECRECY_MAX_COUNT + 1, 5, NAN, false}, {"a", "w", 1, 4, 6, false}
	};
	/* the grand total passes 2^53 at (a, y), the second cell in key order */
	static const rc_row total[] = {
		{"a", "x", 5000000000000000LL, 5, NAN, false}, {"a", "y", 5000000000000000LL, 5, NAN, false}
	};
	/* a table read whole: (a, b) n 3 with max 10, (b, a) n 2 with NULL max, fiscal */
	static const rc_row good[] = {
		{"b", "a", 2, 20, NAN, true}, {"a", "b", 3, 30, 10, false}
	};
	const int	rev[2] = {1, 0};
	double		cn[9],
				cm[9];
	bool		cf[9];
	char		d[64];
	sr_err		err;

	rc_every_order(dup_bad, 2, SR_EDATA, "a/b", "cell (\"a\", \"b\") appears more than once",
				   "a cell both duplicated and over its value: the duplicate, in both orders (old build: the max_value)");
	rc_every_order(dup_and_bad, 3, SR_EDATA, "a/b", "cell (\"a\", \"b\") appears more than once",
				   "a duplicate beside a bad cell: the duplicate, in all 6 orders (old build: whichever came first)");
	rc_every_order(two_dups, 4, SR_EDATA, "a/y", "cell (\"a\", \"y\") appears more than once",
				   "two duplicated cells: the first in key order, (a, y), in all 24 orders");
	rc_every_order(two_bad, 3, SR_EDATA, "", "cell (\"a\", \"c\") has a max_value larger than its value",
				   "two bad cells: the first in key order, (a, c), in all 6 orders");
	rc_every_order(big_and_bad, 2, SR_EDATA, "", "cell (\"a\", \"w\") has a max_value larger than its value",
				   "a bad cell before a count past 2^53 in key order: the bad cell, in both orders");
	rc_every_order(big_and_bad + 0, 1, SR_ERANGE, "",
				   "the counts of cells_sql are too large: cell (\"a\", \"x\") has n = 9007199254740993",
				   "a count of 2^53 + 1: refused, exactly (a double rounds it to 2^53)");
	rc_every_order(total, 2, SR_ERANGE, "",
				   "the counts of cells_sql are too large: cell (\"a\", \"y\") has n = 5000000000000000",
				   "a grand total past 2^53: named at (a, y), in both orders");
	/* a good table, read in reverse: values in their cells, a NULL max_value
	 * counts 0, fiscal kept; cells of a 2 x 2 table with margins, (a, b) = 1 */
	SR_CHECK(rc_read(good, rev, 2, d, sizeof(d), &err, cn, cm, cf) == SR_OK && d[0] == '\0',
			 "a well-formed table is read, no duplicate");
	SR_CHECK(cn[1] == 3 && cm[1] == 10 && !cf[1] && cn[3] == 2 && cm[3] == 0 && cf[3] && cn[0] == 0 && cn[4] == 0,
			 "(a, b) n 3 max 10; (b, a) n 2, NULL max 0, fiscal; absent cells 0");
	{
		const int	one[1] = {0};
		static const rc_row limit[] = {{"a", "x", SR_SECRECY_MAX_COUNT, 5, NAN, false}};

		SR_CHECK(rc_read(limit, one, 1, d, sizeof(d), &err, NULL, NULL, NULL) == SR_OK,
				 "a count of exactly 2^53 is accepted");
	}
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_read_cells_order();
	test_rules();
	test_hand_3x3();
	test_minimal_case();
	test_flow_fix();
	test_audit_vs_lp();
	test_brute_force();
	test_protect_random();
	test_large();
	test_wide();
	return SR_TEST_END();
}
