/*
 * test_matching.c — unit tests of the matching core: scores (hand values,
 * range, monotonicity, symmetry), brute force against the optimal solvers,
 * LP dual certificates, stability and capacities, top-k against a scan.
 */
#include "sr_test.h"
#include "sr_matching.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng_state = 88172645463325252ULL;

static double
urand(void)
{
	/* xorshift64*: deterministic across platforms */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double) ((rng_state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static int
irand(int n)
{
	return (int) (urand() * n);
}

/* ---- brute force b-matching ---- */

static int bf_n,
			bf_m;
static double bf_s[8][8];
static bool bf_has[8][8];
static int bf_cap[8];
static double bf_best;

static void
bf_rec(int i, double acc)
{
	if (i == bf_n)
	{
		if (acc > bf_best)
			bf_best = acc;
		return;
	}
	bf_rec(i + 1, acc);			/* row i unassigned */
	for (int j = 0; j < bf_m; j++)
		if (bf_has[i][j] && bf_s[i][j] > 0 && bf_cap[j] > 0)
		{
			bf_cap[j]--;
			bf_rec(i + 1, acc + bf_s[i][j]);
			bf_cap[j]++;
		}
}

typedef struct
{
	int			n,
				m;
	int64_t		ne;
	int		   *er,
			   *ec,
			   *cap;
	double	   *es;
	int64_t    *rid,
			   *cid;
} prob;

static void
prob_free(prob *p)
{
	free(p->er);
	free(p->ec);
	free(p->cap);
	free(p->es);
	free(p->rid);
	free(p->cid);
}

static sr_match_problem
as_problem(const prob *p)
{
	sr_match_problem pb = {p->n, p->m, p->ne, p->er, p->ec, p->es, p->cap, p->rid, p->cid};

	return pb;
}

/* random problem; density in (0,1], scores in (0,1] (some 0 if zeros) */
static void
random_prob(prob *p, int n, int m, double density, int maxcap, bool zeros)
{
	p->n = n;
	p->m = m;
	p->er = malloc(sizeof(int) * (size_t) (n * m + 1));
	p->ec = malloc(sizeof(int) * (size_t) (n * m + 1));
	p->es = malloc(sizeof(double) * (size_t) (n * m + 1));
	p->cap = malloc(sizeof(int) * (size_t) (m + 1));
	p->rid = malloc(sizeof(int64_t) * (size_t) (n + 1));
	p->cid = malloc(sizeof(int64_t) * (size_t) (m + 1));
	p->ne = 0;
	for (int j = 0; j < m; j++)
	{
		p->cap[j] = maxcap > 1 ? irand(maxcap + 1) : 1;
		p->cid[j] = 1000 + j;
	}
	for (int i = 0; i < n; i++)
	{
		p->rid[i] = 1 + i;
		for (int j = 0; j < m; j++)
			if (urand() < density)
			{
				p->er[p->ne] = i;
				p->ec[p->ne] = j;
				/* coarse scores create ties on purpose */
				p->es[p->ne] = zeros && urand() < 0.1 ? 0.0 : (1 + irand(20)) / 20.0;
				p->ne++;
			}
	}
	/* shuffle the edge order */
	for (int64_t e = p->ne - 1; e > 0; e--)
	{
		int64_t		k = irand((int) e + 1);
		int			ti = p->er[e],
					tj = p->ec[e];
		double		ts = p->es[e];

		p->er[e] = p->er[k];
		p->ec[e] = p->ec[k];
		p->es[e] = p->es[k];
		p->er[k] = ti;
		p->ec[k] = tj;
		p->es[k] = ts;
	}
}

static double
score_of(const prob *p, int i, int j)
{
	for (int64_t e = 0; e < p->ne; e++)
		if (p->er[e] == i && p->ec[e] == j)
			return p->es[e];
	return -1;
}

/* capacities respected, only listed positive pairs, total consistent */
static bool
valid_solution(const prob *p, const sr_match_solution *s)
{
	int		   *used = calloc((size_t) p->m + 1, sizeof(int));
	double		tot = 0;
	bool		ok = true;

	for (int i = 0; i < p->n; i++)
	{
		int			j = s->row_col[i];

		if (j < 0)
			continue;
		if (j >= p->m || score_of(p, i, j) <= 0)
			ok = false;
		else
		{
			used[j]++;
			tot += score_of(p, i, j);
		}
	}
	for (int j = 0; j < p->m; j++)
		if (used[j] > p->cap[j])
			ok = false;
	if (fabs(tot - s->total) > 1e-9)
		ok = false;
	free(used);
	return ok;
}

/* LP dual certificate: u, v >= 0, u_i + v_j >= s_ij on every edge, and
 * sum u + sum cap v == primal total. */
static bool
dual_certificate(const prob *p, const sr_match_solution *s, double tol)
{
	double		dual = 0;

	if (!s->u || !s->v)
		return false;
	for (int i = 0; i < p->n; i++)
	{
		if (s->u[i] < -tol)
			return false;
		dual += s->u[i];
	}
	for (int j = 0; j < p->m; j++)
	{
		if (s->v[j] < -tol)
			return false;
		dual += p->cap[j] * s->v[j];
	}
	for (int64_t e = 0; e < p->ne; e++)
		if (s->u[p->er[e]] + s->v[p->ec[e]] < p->es[e] - tol)
			return false;
	return fabs(dual - s->total) <= tol * (1 + fabs(s->total));
}

/* stable: no pair (i,j) with i preferring j to its match and j preferring i
 * to its worst match or having a free place; preferences from the score with
 * ties broken by lower id (as documented). */
static bool
no_blocking_pair(const prob *p, const sr_match_solution *s)
{
	int		   *used = calloc((size_t) p->m + 1, sizeof(int));
	bool		ok = true;

	for (int i = 0; i < p->n; i++)
		if (s->row_col[i] >= 0)
			used[s->row_col[i]]++;
	for (int64_t e = 0; e < p->ne && ok; e++)
	{
		int			i = p->er[e],
					j = p->ec[e];
		double		sij = p->es[e];
		bool		i_wants,
					j_wants = false;

		if (sij <= 0 || s->row_col[i] == j || p->cap[j] == 0)
			continue;
		if (s->row_col[i] < 0)
			i_wants = true;
		else
		{
			double		cur = score_of(p, i, s->row_col[i]);

			i_wants = sij > cur || (sij == cur && p->cid[j] < p->cid[s->row_col[i]]);
		}
		if (!i_wants)
			continue;
		if (used[j] < p->cap[j])
			j_wants = true;
		else
			for (int k = 0; k < p->n; k++)
				if (s->row_col[k] == j)
				{
					double		sk = score_of(p, k, j);

					if (sij > sk || (sij == sk && p->rid[i] < p->rid[k]))
						j_wants = true;
				}
		if (j_wants)
			ok = false;
	}
	free(used);
	return ok;
}

static bool
caps_respected(const prob *p, const sr_match_solution *s)
{
	return valid_solution(p, s);
}

static void
test_assign(void)
{
	sr_err		err;
	int			bf_fail = 0,
				dense_fail = 0,
				cert_fail = 0,
				stable_fail = 0,
				greedy_fail = 0,
				cases = 0;

	/* 1. optimal == brute force on small random cases */
	for (int t = 0; t < 400; t++)
	{
		prob		p;
		sr_match_solution s,
					s2;
		int			n = 1 + irand(8),
					m = 1 + irand(6);

		/* every fifth case complete with positive scores: the dense path */
		if (t % 5 == 4)
			random_prob(&p, n < 2 ? 2 : n, m, 1.0, t % 3 == 0 ? 1 : 3, false);
		else
			random_prob(&p, n, m, 0.3 + 0.7 * urand(), t % 3 == 0 ? 1 : 3, t % 2 == 0);
		n = p.n;
		bf_n = n;
		bf_m = m;
		memset(bf_has, 0, sizeof(bf_has));
		for (int64_t e = 0; e < p.ne; e++)
		{
			bf_has[p.er[e]][p.ec[e]] = true;
			bf_s[p.er[e]][p.ec[e]] = p.es[e];
		}
		for (int j = 0; j < m; j++)
			bf_cap[j] = p.cap[j];
		bf_best = 0;
		bf_rec(0, 0);
		{
			sr_match_problem pb = as_problem(&p);

			if (sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &s, &err) != SR_OK ||
				fabs(s.total - bf_best) > 1e-9 || !valid_solution(&p, &s))
				bf_fail++;
			else if (s.u && !dual_certificate(&p, &s, 1e-9))
				cert_fail++;
			sr_match_solution_free(&s);
			if (sr_match_assign_sparse_optimal(&pb, &s2, &err) != SR_OK ||
				fabs(s2.total - bf_best) > 1e-9 || !dual_certificate(&p, &s2, 1e-9))
				bf_fail++;
			sr_match_solution_free(&s2);
			/* stable, both sides, and greedy: feasible; stable has no blocking pair */
			for (int meth = SR_ASSIGN_STABLE; meth <= SR_ASSIGN_GREEDY; meth++)
			{
				sr_match_solution ss;

				if (sr_match_solve(&pb, (sr_match_method) meth, &ss, &err) != SR_OK ||
					!caps_respected(&p, &ss))
					stable_fail++;
				else if (meth != SR_ASSIGN_GREEDY && !no_blocking_pair(&p, &ss))
					stable_fail++;
				else if (ss.total > bf_best + 1e-9)
					greedy_fail++;
				sr_match_solution_free(&ss);
			}
		}
		cases++;
		prob_free(&p);
	}
	SR_CHECK(bf_fail == 0, "optimal (dense dispatch and sparse) equals brute force on 400 random cases n <= 8");
	SR_CHECK(cert_fail == 0, "small cases: dual certificate holds");
	SR_CHECK(stable_fail == 0, "stable (both sides) leave no blocking pair and respect capacities; greedy feasible");
	SR_CHECK(greedy_fail == 0, "no heuristic beats the optimum");

	/* 2. complete square: LAPJV vs brute force over permutations */
	for (int t = 0; t < 200; t++)
	{
		int			n = 2 + irand(6);
		double		c[64],
					best = INFINITY,
					tot;
		int			perm[8],
					rs[8];

		for (int k = 0; k < n * n; k++)
			c[k] = t % 2 ? irand(5) : urand();	/* many ties half the time */
		for (int k = 0; k < n; k++)
			perm[k] = k;
		/* Heap's algorithm over all permutations */
		{
			int			cc[8] = {0};
			int			k = 0;
			double		s0 = 0;

			for (int r = 0; r < n; r++)
				s0 += c[r * n + perm[r]];
			best = s0;
			while (k < n)
			{
				if (cc[k] < k)
				{
					int			a = k % 2 == 0 ? 0 : cc[k],
								tmp = perm[a];
					double		s = 0;

					perm[a] = perm[k];
					perm[k] = tmp;
					for (int r = 0; r < n; r++)
						s += c[r * n + perm[r]];
					if (s < best)
						best = s;
					cc[k]++;
					k = 0;
				}
				else
					cc[k++] = 0;
			}
		}
		if (sr_match_lapjv(n, c, rs, &tot, &err) != SR_OK || fabs(tot - best) > 1e-9)
			dense_fail++;
		else
		{
			int			seen[8] = {0};

			for (int r = 0; r < n; r++)
				if (rs[r] < 0 || rs[r] >= n || seen[rs[r]]++)
					dense_fail++;
		}
	}
	SR_CHECK(dense_fail == 0, "LAPJV equals brute force over permutations (200 cases, with ties)");

	/* 3. larger: dual certificate on the sparse solver, dense == sparse */
	cert_fail = 0;
	for (int t = 0; t < 20; t++)
	{
		prob		p;
		sr_match_solution s;
		sr_match_problem pb;

		random_prob(&p, 200 + irand(300), 50 + irand(200), 0.05 + 0.1 * urand(), 4, true);
		for (int64_t e = 0; e < p.ne; e++)
			p.es[e] = p.es[e] > 0 ? urand() : 0;
		pb = as_problem(&p);
		if (sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &s, &err) != SR_OK ||
			!valid_solution(&p, &s) || !dual_certificate(&p, &s, 1e-7))
			cert_fail++;
		sr_match_solution_free(&s);
		prob_free(&p);
	}
	SR_CHECK(cert_fail == 0, "20 random sparse cases up to 500 x 250 with capacities: LP dual certificate");

	dense_fail = 0;
	for (int t = 0; t < 10; t++)
	{
		prob		p;
		sr_match_solution a,
					b;
		sr_match_problem pb;

		random_prob(&p, 80, 80, 1.0, 1, false);
		for (int64_t e = 0; e < p.ne; e++)
			p.es[e] = 0.001 + urand();
		pb = as_problem(&p);
		if (sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &a, &err) != SR_OK ||
			sr_match_assign_sparse_optimal(&pb, &b, &err) != SR_OK ||
			fabs(a.total - b.total) > 1e-9 || !valid_solution(&p, &a) ||
			!dual_certificate(&p, &b, 1e-7))
			dense_fail++;
		sr_match_solution_free(&a);
		sr_match_solution_free(&b);
		prob_free(&p);
	}
	SR_CHECK(dense_fail == 0, "dense LAPJV path equals the certified sparse path on 80 x 80 complete cases");

	/* complete rectangular problems with capacities: padded, slot-expanded LAPJV */
	dense_fail = 0;
	for (int t = 0; t < 30; t++)
	{
		prob		p;
		sr_match_solution a,
					b;
		sr_match_problem pb;

		if (t % 2)
			random_prob(&p, 20 + irand(60), 10 + irand(60), 1.0, 1 + t % 4, false);
		else
		{
			/* near-square, unit capacities: the padded dense path */
			int			m0 = 20 + irand(60);

			random_prob(&p, m0 + (t % 3) - 1, m0, 1.0, 1, false);
		}
		for (int64_t e = 0; e < p.ne; e++)
			p.es[e] = 0.001 + urand();
		pb = as_problem(&p);
		if (sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &a, &err) != SR_OK ||
			sr_match_assign_sparse_optimal(&pb, &b, &err) != SR_OK ||
			fabs(a.total - b.total) > 1e-9 || !valid_solution(&p, &a) ||
			!dual_certificate(&p, &b, 1e-7))
			dense_fail++;
		sr_match_solution_free(&a);
		sr_match_solution_free(&b);
		prob_free(&p);
	}
	SR_CHECK(dense_fail == 0, "complete rectangular problems with capacities: dense path equals the certified sparse path");

	/* 4. stable on larger cases, and equal to greedy without ties */
	stable_fail = 0;
	for (int t = 0; t < 20; t++)
	{
		prob		p;
		sr_match_solution a,
					b,
					c;
		sr_match_problem pb;

		random_prob(&p, 150, 60, 0.1, 3, false);
		for (int64_t e = 0; e < p.ne; e++)
			p.es[e] = urand();	/* no ties */
		pb = as_problem(&p);
		sr_match_solve(&pb, SR_ASSIGN_STABLE, &a, &err);
		sr_match_solve(&pb, SR_ASSIGN_STABLE_PREMISES, &b, &err);
		sr_match_solve(&pb, SR_ASSIGN_GREEDY, &c, &err);
		if (!no_blocking_pair(&p, &a) || !no_blocking_pair(&p, &b) ||
			!caps_respected(&p, &a) || !caps_respected(&p, &b))
			stable_fail++;
		/* with one common score the stable matching is unique: greedy's */
		for (int i = 0; i < p.n; i++)
			if (a.row_col[i] != b.row_col[i] || a.row_col[i] != c.row_col[i])
			{
				stable_fail++;
				break;
			}
		sr_match_solution_free(&a);
		sr_match_solution_free(&b);
		sr_match_solution_free(&c);
		prob_free(&p);
	}
	SR_CHECK(stable_fail == 0, "150 x 60 stable: no blocking pair; both sides and greedy agree when scores are distinct");

	/* 5. errors: duplicate pair names the ids, NaN score names the pair */
	{
		int			er[] = {0, 0},
					ec[] = {1, 1};
		double		es[] = {0.5, 0.7};
		int64_t		rid[] = {42},
					cid[] = {7, 9};
		sr_match_problem pb = {1, 2, 2, er, ec, es, NULL, rid, cid};
		sr_match_solution s;

		SR_CHECK(sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &s, &err) == SR_EDATA &&
				 strstr(err.msg, "duplicate pair (project 42, premise 9)") != NULL,
				 "duplicate pair rejected, ids named");
		es[1] = NAN;
		ec[1] = 0;
		SR_CHECK(sr_match_solve(&pb, SR_ASSIGN_GREEDY, &s, &err) == SR_EDATA &&
				 strstr(err.msg, "project 42, premise 7") != NULL,
				 "NaN score rejected, pair named");
		/* above 1e15: refused, named (three projects at 1e308 summed to
		 * infinity and the optimum lost one); 1e15 itself is accepted */
		es[1] = 1e16;
		sr_err_clear(&err);
		SR_CHECK(sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &s, &err) == SR_EDATA &&
				 strcmp(err.msg, "score of pair (project 42, premise 7) is too large: 1e+16") == 0,
				 "a score above 1e15 is refused, the pair named");
		es[1] = 1e15;
		ec[1] = 1;
		ec[0] = 0;
		SR_CHECK(sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &s, &err) == SR_OK && s.total == 1e15 &&
				 s.row_col[0] == 1, "a score of 1e15 is accepted (and chosen over 0.5)");
		sr_match_solution_free(&s);
	}

	/*
	 * 6. scores 30 orders of magnitude apart (found by random problems
	 * checked with exact rational arithmetic in Python): project 3 scored
	 * 1.95e-15 at premise 11, left free beside it, because 1.95e-15 is below
	 * the rounding of the potentials (2.5e7); and totals summed one score at
	 * a time lost the small ones. Totals below: the exact sums rounded once
	 * (Python fractions).
	 */
	{
		int			er[] = {0, 0, 1, 1, 2, 2},
					ec[] = {0, 2, 0, 1, 0, 2},
					cap[] = {1, 2, 1};
		double		es[] = {700682586.6693553, 195605301157530.8, 7.174966704282145e-07,
			14446.85632581666, 1.953683821335182e-15, 25245738.277399305};
		sr_match_problem pb = {3, 3, 6, er, ec, es, cap, NULL, NULL};
		sr_match_solution s;
		sr_err		err;
		int			er2[11],
					ec2[11];
		double		es2[11];

		SR_CHECK(sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &s, &err) == SR_OK &&
				 s.row_col[0] == 2 && s.row_col[1] == 1 && s.row_col[2] == 0 &&
				 s.n_assigned == 3 && s.total == 195605301171977.66,
				 "optimal: a 1.95e-15 pair beside a free premise is taken (total exact)");
		sr_match_solution_free(&s);
		SR_CHECK(sr_match_assign_sparse_optimal(&pb, &s, &err) == SR_OK && s.row_col[2] == 0,
				 "sparse optimal: the same");
		sr_match_solution_free(&s);
		/* 1e15 and ten pairs of 0.06 each (under half the 0.125 spacing of
		 * doubles near 1e15): 1e15 + 0.6, rounded once, is 1e15 + 0.625;
		 * summed in order, 1e15 */
		for (int i = 0; i < 11; i++)
		{
			er2[i] = i;
			ec2[i] = i;
			es2[i] = i == 0 ? 1e15 : 0.06;
		}
		{
			sr_match_problem pb2 = {11, 11, 11, er2, ec2, es2, NULL, NULL, NULL};

			for (int meth = SR_ASSIGN_OPTIMAL; meth <= SR_ASSIGN_GREEDY; meth++)
			{
				SR_CHECK(sr_match_solve(&pb2, (sr_match_method) meth, &s, &err) == SR_OK &&
						 s.n_assigned == 11 && s.total == 1000000000000000.625,
						 "total of 1e15 and ten 0.06: 1e15 + 0.625, compensated");
				sr_match_solution_free(&s);
			}
		}
	}
	(void) cases;
}

/* ---- scores ---- */

static void
base_pair(sr_match_project *p, sr_match_premise *q)
{
	sr_match_project_init(p);
	sr_match_premise_init(q);
	p->id = 1;
	p->lon = 2.35;
	p->lat = 48.85;
	q->id = 2;
	q->lon = 2.35;
	q->lat = 48.85;
}

static void
test_score(void)
{
	sr_match_project p;
	sr_match_premise q;
	sr_match_weights w;
	sr_err		err;
	sr_match_explain_rec e;
	double		s;

	sr_match_weights_default(&w);

	/* decay functions: f(0)=1, f(scale)=0.5 (logistic ~0.509) */
	SR_CHECK_CLOSE(sr_match_decay_value(SR_DECAY_EXPONENTIAL, 5, 5), 0.5, 1e-12, "exponential f(s) = 1/2");
	SR_CHECK_CLOSE(sr_match_decay_value(SR_DECAY_EXPONENTIAL, 10, 5), 0.25, 1e-12, "exponential f(2s) = 1/4");
	SR_CHECK_CLOSE(sr_match_decay_value(SR_DECAY_LINEAR, 5, 5), 0.5, 1e-12, "linear f(s) = 1/2");
	SR_CHECK_CLOSE(sr_match_decay_value(SR_DECAY_LINEAR, 12, 5), 0.0, 1e-12, "linear f(>2s) = 0");
	SR_CHECK_CLOSE(sr_match_decay_value(SR_DECAY_GAUSSIAN, 10, 5), 1.0 / 16, 1e-12, "gaussian f(2s) = 2^-4");
	SR_CHECK_CLOSE(sr_match_decay_value(SR_DECAY_LOGISTIC, 0, 5), 1.0, 1e-12, "logistic f(0) = 1");
	SR_CHECK_CLOSE(sr_match_decay_value(SR_DECAY_LOGISTIC, 5, 5), (1 + exp(-4.0)) / 2, 1e-12,
				   "logistic f(s) = (1+e^-4)/2");

	/* haversine: 1 degree of latitude = R*pi/180 km */
	SR_CHECK_CLOSE(sr_match_haversine_km(2, 48, 2, 49), 6371.0088 * SR_PI / 180, 1e-9,
				   "one degree of latitude");
	/* Paris (2.3522, 48.8566) - Lyon (4.8357, 45.7640): ~391.5 km */
	SR_CHECK_CLOSE(sr_match_haversine_km(2.3522, 48.8566, 4.8357, 45.7640), 391.5, 1.0,
				   "Paris-Lyon great circle ~391.5 km");

	/* hand-computed score: distance 0 (1.0, w .3), price rent 600 of budget
	 * 1000 -> 1 - 0.3 = 0.7 (w .2), surface 45 for target 50 -> 0.9 (w .15),
	 * capacity 4 vs team 5 -> 0.8 (w .1); amenities and hours not
	 * applicable. score = (.3 + .14 + .135 + .08) / .75 = 0.87333.. */
	base_pair(&p, &q);
	p.budget_month = 1000;
	q.rent_month = 600;
	p.surface_min_m2 = 40;
	p.surface_max_m2 = 60;
	q.surface_m2 = 45;
	p.team_size = 5;
	q.capacity = 4;
	s = sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL);
	SR_CHECK_CLOSE(s, 0.655 / 0.75, 1e-12, "hand-computed score 0.87333");
	s = sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, &e);
	SR_CHECK_CLOSE(e.contribution[SR_CRIT_PRICE], 0.14 / 0.75, 1e-12, "explain: price contribution");
	SR_CHECK(e.feasible && !e.applicable[SR_CRIT_HOURS], "explain: feasible, hours not applicable");
	/* a criterion left out with data on both sides says why, not "no data
	 * on one side": capacity 0 for a team of 0 (0/0), a budget of 0 (rent
	 * 0), a surface target of 0, no amenity wished, no minute needed */
	{
		sr_match_project p0;
		sr_match_premise q0;
		char	   *js;

		base_pair(&p0, &q0);
		p0.team_size = 0;
		q0.capacity = 0;
		p0.budget_month = 0;
		q0.rent_month = 0;
		p0.surface_min_m2 = p0.surface_max_m2 = 0;
		q0.surface_m2 = 10;
		SR_CHECK(sr_match_set_hours_text(SR_MATCH_PROJECT, &p0, "mon", 3, "closed", 6, &err) == SR_OK &&
				 sr_match_set_hours_text(SR_MATCH_PREMISE, &q0, "mon", 3, "09:00-18:00", 11, &err) == SR_OK,
				 "explain reasons: hours set");
		sr_match_pair_score(&p0, &q0, &w, NAN, NULL, 0, &e);
		SR_CHECK(!e.applicable[SR_CRIT_CAPACITY] && !e.applicable[SR_CRIT_PRICE] &&
				 !e.applicable[SR_CRIT_SURFACE] && !e.applicable[SR_CRIT_AMENITIES] &&
				 !e.applicable[SR_CRIT_HOURS] && e.applicable[SR_CRIT_DISTANCE],
				 "explain reasons: the five criteria are left out");
		js = sr_match_explain_json(&e, &w, NULL, 0);
		SR_CHECK(js && strstr(js, "\"capacity 0 for a team of 0: no ratio of the two to measure\"") &&
				 strstr(js, "\"0 EUR/month for a budget of 0: no share of it to measure\"") &&
				 strstr(js, "\"10 m2 for a target of 0 m2: no share of it to measure\"") &&
				 strstr(js, "\"no amenity wished\"") &&
				 strstr(js, "\"the project needs no minute of the week\"") &&
				 !strstr(js, "no data on one side"),
				 "explain reasons: each one named, none 'no data'");
		sr_free(js);
		/* the score reads back as the same double: 0.7035116208666615 (a
		 * census pair) was written 0.703511620866662 */
		{
			sr_match_explain_rec e2;

			memset(&e2, 0, sizeof(e2));
			e2.score = 0.7035116208666615;
			e2.feasible = true;
			js = sr_match_explain_json(&e2, &w, NULL, 0);
			SR_CHECK(js && strstr(js, "\"score\": 0.7035116208666615,") != NULL,
					 "explain: the score round-trips");
			sr_free(js);
		}
		/* with no data on a side, still "no data on one side" */
		base_pair(&p0, &q0);
		p0.team_size = 0;
		sr_match_pair_score(&p0, &q0, &w, NAN, NULL, 0, &e);
		js = sr_match_explain_json(&e, &w, NULL, 0);
		SR_CHECK(js && strstr(js, "{\"name\": \"capacity\", \"builtin\": true, \"applicable\": false, "
							  "\"value\": null, \"weight\": 0.1, \"contribution\": 0, \"detail\": \"no data on one side\"}"),
				 "explain reasons: a team without a capacity has no data");
		sr_free(js);
	}

	/* wished amenities: Jaccard {wifi, printer, shower} vs {wifi, printer, kitchen, parking} = 2/5 */
	p.amenities_wished = 1u << 0 | 1u << 6 | 1u << 5;
	q.amenities = 1u << 0 | 1u << 6 | 1u << 2 | 1u << 3;
	q.amenities_set = true;
	sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, &e);
	SR_CHECK_CLOSE(e.value[SR_CRIT_AMENITIES], 0.4, 1e-12, "Jaccard 2/5");

	/*
	 * The three empty cases (docs/matching.md): a project wishing nothing
	 * leaves the criterion out ("no amenity wished"); a premise listing
	 * none ([]) has Jaccard 0 of {wifi, kitchen}; a premise whose
	 * amenities are unknown (absent, null) has no data on its side, as for
	 * the surface, the rent, the hours and the capacity: it counted as
	 * none, Jaccard 0 (score 0.3 / 0.45 = 0.6667 for wifi and kitchen
	 * wished at distance 0, not 1).
	 */
	{
		sr_match_project pa;
		sr_match_premise qa;
		char	   *js;

		base_pair(&pa, &qa);
		pa.amenities_wished = 1u << 0 | 1u << 2;	/* wifi, kitchen */
		SR_CHECK(sr_match_pair_score(&pa, &qa, &w, NAN, NULL, 0, &e) == 1.0 &&
				 !e.applicable[SR_CRIT_AMENITIES],
				 "amenities unknown: criterion left out, score 1 (distance 0 alone)");
		js = sr_match_explain_json(&e, &w, NULL, 0);
		SR_CHECK(js && strstr(js, "{\"name\": \"amenities\", \"builtin\": true, \"applicable\": false, "
							  "\"value\": null, \"weight\": 0.15, \"contribution\": 0, \"detail\": \"no data on one side\"}"),
				 "amenities unknown: explain says no data on one side");
		sr_free(js);
		SR_CHECK(sr_match_touch_list(SR_MATCH_PREMISE, &qa, "amenities", &err) == SR_OK && qa.amenities_set,
				 "amenities []: listed");
		SR_CHECK_CLOSE(sr_match_pair_score(&pa, &qa, &w, NAN, NULL, 0, &e), 0.3 / 0.45, 1e-15,
					   "amenities []: Jaccard 0 of 2, score 0.3 / 0.45");
		SR_CHECK(e.applicable[SR_CRIT_AMENITIES] && e.value[SR_CRIT_AMENITIES] == 0,
				 "amenities []: applicable, value 0");
		base_pair(&pa, &qa);
		SR_CHECK(sr_match_add_item(SR_MATCH_PREMISE, &qa, "amenities", "wifi", 4, &err) == SR_OK &&
				 qa.amenities_set, "amenities [wifi]: listed");
		pa.amenities_wished = 1u << 0 | 1u << 2;
		SR_CHECK_CLOSE(sr_match_pair_score(&pa, &qa, &w, NAN, NULL, 0, &e), (0.3 + 0.15 * 0.5) / 0.45, 1e-15,
					   "amenities [wifi] for {wifi, kitchen}: Jaccard 1/2");
		pa.amenities_wished = 0;
		sr_match_pair_score(&pa, &qa, &w, NAN, NULL, 0, &e);
		js = sr_match_explain_json(&e, &w, NULL, 0);
		SR_CHECK(!e.applicable[SR_CRIT_AMENITIES] && js && strstr(js, "\"no amenity wished\""),
				 "no amenity wished: left out, said so");
		sr_free(js);
		/* a required amenity of a premise whose amenities are unknown fails,
		 * as an unknown surface or rent fails their constraints */
		base_pair(&pa, &qa);
		pa.amenities_required = 1u << 0;
		SR_CHECK(sr_match_pair_score(&pa, &qa, &w, NAN, NULL, 0, &e) == 0 && !e.feasible,
				 "required amenity, amenities unknown: infeasible");
		js = sr_match_explain_json(&e, &w, NULL, 0);
		SR_CHECK(js && strstr(js, "premise amenities are unknown"), "required amenity, unknown: the reason");
		sr_free(js);
	}

	/* hours: need mon 09:00-18:00, open 08:00-12:00,14:00-20:00 -> 7/9 */
	SR_CHECK(sr_match_set_hours_text(SR_MATCH_PROJECT, &p, "mon", 3, "09:00-18:00", 11, &err) == SR_OK,
			 "hours text parsed");
	SR_CHECK(sr_match_set_hours_text(SR_MATCH_PREMISE, &q, "mon", 3, "08:00-12:00,14:00-20:00", 23, &err) == SR_OK,
			 "two ranges parsed");
	sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, &e);
	SR_CHECK_CLOSE(e.value[SR_CRIT_HOURS], 7.0 / 9.0, 1e-12, "hours overlap 7/9");
	SR_CHECK(sr_match_set_hours_text(SR_MATCH_PREMISE, &q, "tue", 3, "14:00-12:00", 11, &err) == SR_ERANGE,
			 "reversed range rejected");
	SR_CHECK(sr_match_set_hours_text(SR_MATCH_PREMISE, &q, "wed", 3, "9h-12h", 6, &err) == SR_ESYNTAX,
			 "bad hours text rejected");

	/* hard constraints */
	q.rent_month = 1200;
	s = sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, &e);
	SR_CHECK(s == 0 && !e.feasible && !e.hard_passed[SR_HARD_BUDGET], "over budget fails");
	SR_CHECK(strstr(e.hard_reason[SR_HARD_BUDGET], "1200") != NULL, "reason quotes the rent");
	q.rent_month = 600;
	p.kinds = 1u << 1;			/* fablab */
	q.kinds = 1u << 0;			/* coworking */
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) == 0, "kind mismatch fails");
	q.kinds |= 1u << 1;
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) > 0, "kind match passes");
	p.step_free_needed = true;
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) == 0, "step-free needed fails");
	q.step_free = true;
	p.max_distance_km = 10;
	q.lat = 48.85 + 11 / 111.195;
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) == 0, "beyond max distance fails");
	p.max_travel_min = 30;
	SR_CHECK(sr_match_pair_score(&p, &q, &w, 20, NULL, 0, NULL) > 0, "travel time replaces distance");
	SR_CHECK(sr_match_pair_score(&p, &q, &w, 40, NULL, 0, NULL) == 0, "travel time over maximum fails");
	q.lat = 48.85;
	p.start_date = 20000;
	q.available_from = 20010;
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) == 0, "available after start fails");
	q.available_from = 19990;
	q.available_to = 19995;
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) == 0, "available until before start fails");
	q.available_to = SR_MATCH_NODATE;
	p.amenities_required = 1u << 3;
	q.amenities &= ~(1u << 3);
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) == 0, "missing required amenity fails");
	q.amenities |= 1u << 3;
	SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, NULL) > 0, "all constraints met");

	/* plugin criteria */
	{
		sr_match_extra x = {"quiet", 0.5, 0.25, false, false};
		double		s0 = sr_match_pair_score(&p, &q, &w, NAN, NULL, 0, &e);
		double		den = 0,
					num = 0,
					s1;

		for (int c = 0; c < SR_CRIT_N; c++)
			if (e.applicable[c])
			{
				den += w.w[c];
				num += w.w[c] * e.value[c];
			}
		s1 = sr_match_pair_score(&p, &q, &w, NAN, &x, 1, NULL);
		SR_CHECK_CLOSE(s1, (num + 0.125) / (den + 0.25), 1e-12, "soft extra criterion joins the weighted mean");
		SR_CHECK_CLOSE(s0, num / den, 1e-12, "score without extra");
		x.hard = true;
		x.isnull = true;
		SR_CHECK(sr_match_pair_score(&p, &q, &w, NAN, &x, 1, NULL) == 0, "hard extra NULL fails");
	}

	/* properties: range and monotone in distance for all decays, random */
	{
		int			bad_range = 0,
					bad_mono = 0,
					bad_sym = 0;

		for (int t = 0; t < 2000; t++)
		{
			sr_match_project pp;
			sr_match_premise qq;
			double		prev = 2;

			base_pair(&pp, &qq);
			w.decay = (sr_match_decay) (t % 4);
			pp.budget_month = 500 + urand() * 1000;
			qq.rent_month = urand() * 1500;
			pp.surface_min_m2 = urand() * 50;
			qq.surface_m2 = urand() * 150;
			pp.team_size = 1 + irand(20);
			qq.capacity = irand(30);
			pp.amenities_wished = (uint32_t) irand(1 << 20);
			qq.amenities = (uint32_t) irand(1 << 20);
			qq.amenities_set = true;
			for (int k = 0; k < 20; k++)
			{
				double		sc;

				qq.lat = 48.85 + k * 0.02;
				sc = sr_match_pair_score(&pp, &qq, &w, NAN, NULL, 0, NULL);
				if (!(sc >= 0 && sc <= 1))
					bad_range++;
				if (sc > prev + 1e-15)
					bad_mono++;
				prev = sc;
			}
			/* capacity fit and Jaccard are symmetric */
			{
				double		a = fmin(pp.team_size, qq.capacity) / fmax(pp.team_size, qq.capacity);
				sr_match_project p2;
				sr_match_premise q2;
				sr_match_explain_rec e1,
							e2;

				base_pair(&p2, &q2);
				p2.team_size = qq.capacity;
				q2.capacity = pp.team_size;
				p2.amenities_wished = qq.amenities;
				q2.amenities = pp.amenities_wished;
				q2.amenities_set = true;
				sr_match_pair_score(&pp, &qq, &w, NAN, NULL, 0, &e1);
				sr_match_pair_score(&p2, &q2, &w, NAN, NULL, 0, &e2);
				if ((e1.applicable[SR_CRIT_CAPACITY] &&
					 fabs(e1.value[SR_CRIT_CAPACITY] - e2.value[SR_CRIT_CAPACITY]) > 1e-12) ||
					(e1.applicable[SR_CRIT_CAPACITY] && fabs(e1.value[SR_CRIT_CAPACITY] - a) > 1e-12) ||
					(e1.applicable[SR_CRIT_AMENITIES] && e2.applicable[SR_CRIT_AMENITIES] &&
					 fabs(e1.value[SR_CRIT_AMENITIES] - e2.value[SR_CRIT_AMENITIES]) > 1e-12))
					bad_sym++;
			}
		}
		SR_CHECK(bad_range == 0, "score in [0,1] on 40000 random pairs");
		SR_CHECK(bad_mono == 0, "score non-increasing with distance, all decays");
		SR_CHECK(bad_sym == 0, "capacity fit and Jaccard symmetric");
		sr_match_weights_default(&w);
	}

	/* setters and errors */
	{
		sr_match_project pp;
		sr_match_premise qq;

		sr_match_project_init(&pp);
		sr_match_premise_init(&qq);
		SR_CHECK(sr_match_set_number(SR_MATCH_PREMISE, &qq, "surface_m2", -3, &err) == SR_ERANGE &&
				 strstr(err.msg, "surface_m2") != NULL, "negative surface names the field");
		SR_CHECK(sr_match_add_item(SR_MATCH_PROJECT, &pp, "kinds", "spaceport", 9, &err) == SR_EINVAL &&
				 strstr(err.msg, "spaceport") != NULL, "unknown kind quoted");
		SR_CHECK(sr_match_set_text(SR_MATCH_PROJECT, &pp, "start_date", "2024-02-30", 10, &err) == SR_ESYNTAX,
				 "invalid date rejected");
		SR_CHECK(sr_match_set_text(SR_MATCH_PROJECT, &pp, "start_date", "1970-01-02", 10, &err) == SR_OK &&
				 pp.start_date == 1, "date 1970-01-02 = day 1");
		SR_CHECK(sr_match_set_text(SR_MATCH_PROJECT, &pp, "start_date", "2024-03-01", 10, &err) == SR_OK &&
				 pp.start_date == 19783, "date 2024-03-01 = day 19783");
		SR_CHECK(sr_match_set_bool(SR_MATCH_PROJECT, &pp, "team_size", true, &err) == SR_EINVAL,
				 "boolean for a number rejected");
		SR_CHECK(sr_match_set_number(SR_MATCH_PROJECT, &pp, "nonsense", 1, &err) == SR_ENOTFOUND,
				 "unknown key reported as not found");
	}
}

/* ---- the rules on the inputs (matching_input.c) ---- */

static void
test_weights(void)
{
	const sr_optset *set = &sr_match_candidates_optset;
	sr_match_weights w;
	sr_err		err;

	sr_err_clear(&err);
	/* the documented defaults, from the specs */
	memset(&w, 0xff, sizeof(w));
	sr_match_weights_default(&w);
	SR_CHECK(w.w[SR_CRIT_DISTANCE] == 0.30 && w.w[SR_CRIT_SURFACE] == 0.15 &&
			 w.w[SR_CRIT_PRICE] == 0.20 && w.w[SR_CRIT_AMENITIES] == 0.15 &&
			 w.w[SR_CRIT_HOURS] == 0.10 && w.w[SR_CRIT_CAPACITY] == 0.10,
			 "default weights .30 .15 .20 .15 .10 .10");
	SR_CHECK(w.decay == SR_DECAY_EXPONENTIAL && w.distance_scale_km == 5 && w.travel_scale_min == 30,
			 "default decay exponential, 5 km, 30 min");
	SR_CHECK(set->n == SR_MATCH_WEIGHT_NSPECS && sr_optset_find("match_score") == &sr_match_score_optset &&
			 sr_optset_find("match_explain") == &sr_match_explain_optset &&
			 sr_optset_find("match_candidates") == &sr_match_candidates_optset,
			 "the weights are registered for match_score, match_explain and match_candidates");
	/* every criterion has a spec storing into its slot */
	for (int c = 0; c < SR_CRIT_N; c++)
	{
		const sr_optspec *s = sr_option_find(set, sr_match_crit_names[c]);
		char		desc[96];

		snprintf(desc, sizeof(desc), "weight \"%s\" set through its spec", sr_match_crit_names[c]);
		SR_CHECK(s != NULL && sr_option_set_number(set, s, &w, 2.5, &err) == SR_OK && w.w[c] == 2.5, desc);
	}
	SR_CHECK(sr_option_set_number(set, sr_option_find(set, "distance"), &w, -1, &err) == SR_ERANGE &&
			 strcmp(err.msg, "weight \"distance\" is out of range: -1") == 0 &&
			 strcmp(err.detail, "The accepted range is [0, 1000].") == 0,
			 "negative weight: out of range, the range in the detail");
	SR_CHECK(sr_option_set_number(set, sr_option_find(set, "distance"), &w, 1000, &err) == SR_OK &&
			 sr_option_set_number(set, sr_option_find(set, "distance"), &w, 1000.5, &err) == SR_ERANGE,
			 "weight 1000 accepted, 1000.5 refused");
	SR_CHECK(sr_option_find(set, "colour") == NULL && sr_option_unknown(set, "colour", &err) == SR_EINVAL &&
			 strstr(err.hint, "distance, surface, price, amenities, hours, capacity, decay, distance_scale_km and travel_scale_min") != NULL,
			 "unknown weight: the hint lists the accepted names");
	SR_CHECK(sr_option_set_string(set, sr_option_find(set, "decay"), &w, "cubic", &err) == SR_EINVAL &&
			 strcmp(err.msg, "invalid value \"cubic\" for weight \"decay\"") == 0 &&
			 strcmp(err.hint, "Accepted values: exponential, linear, gaussian and logistic.") == 0,
			 "unknown decay: invalid value, the choices in the hint");
	SR_CHECK(sr_option_set_string(set, sr_option_find(set, "decay"), &w, "gaussian", &err) == SR_OK &&
			 w.decay == SR_DECAY_GAUSSIAN, "decay set by name");
	SR_CHECK(sr_option_set_number(set, sr_option_find(set, "decay"), &w, 2, &err) == SR_EINVAL,
			 "decay given as a number refused");
	SR_CHECK(sr_option_set_number(set, sr_option_find(set, "distance_scale_km"), &w, 0, &err) == SR_ERANGE &&
			 sr_option_set_number(set, sr_option_find(set, "travel_scale_min"), &w, 0, &err) == SR_ERANGE &&
			 sr_option_set_number(set, sr_option_find(set, "distance_scale_km"), &w, 0.5, &err) == SR_OK &&
			 w.distance_scale_km == 0.5, "scales must be > 0");

	/* registered criteria: one spec each, stored after the built-in weights */
	{
		const char *names[] = {"quiet", "transit"};
		double		reg[] = {0.75, 2};
		sr_optspec	specs[SR_MATCH_WEIGHT_NSPECS + 2];
		sr_optset	ext = {"match_score", "weight", specs, SR_MATCH_WEIGHT_NSPECS + 2};
		sr_match_weights_ext *we = malloc(SR_MATCH_WEIGHTS_EXT_SIZE(2));
		const char *bad_names[] = {"quiet", "price"};
		const char *twice[] = {"quiet", "quiet"};
		double		bad_reg[] = {0.75, -1};

		SR_CHECK(sr_match_weights_specs(names, reg, 2, specs, &err) == SR_OK, "specs of two criteria");
		sr_options_defaults(&ext, we);
		SR_CHECK(we->extra[0] == 0.75 && we->extra[1] == 2 && we->w.w[SR_CRIT_PRICE] == 0.20 &&
				 we->w.decay == SR_DECAY_EXPONENTIAL,
				 "defaults: the registered weights after the built-in ones");
		SR_CHECK(sr_option_set_number(&ext, sr_option_find(&ext, "transit"), we, 0, &err) == SR_OK &&
				 we->extra[1] == 0 && we->extra[0] == 0.75, "a criterion's weight overridden by name");
		SR_CHECK(sr_option_set_number(&ext, sr_option_find(&ext, "quiet"), we, 1001, &err) == SR_ERANGE,
				 "a criterion's weight above 1000 refused");
		SR_CHECK(sr_option_unknown(&ext, "colour", &err) == SR_EINVAL && strstr(err.hint, "quiet and transit") != NULL,
				 "unknown weight: the hint lists the registered criteria too");
		SR_CHECK(sr_match_weights_specs(bad_names, reg, 2, specs, &err) == SR_EINVAL &&
				 strstr(err.msg, "\"price\" is a built-in weight") != NULL, "a criterion named after a built-in weight refused");
		SR_CHECK(sr_match_weights_specs(twice, reg, 2, specs, &err) == SR_EINVAL &&
				 strstr(err.msg, "registered twice") != NULL, "a criterion registered twice refused");
		SR_CHECK(sr_match_weights_specs(names, bad_reg, 2, specs, &err) == SR_ERANGE &&
				 strstr(err.msg, "\"transit\"") != NULL, "a negative registered weight refused, naming the criterion");
		free(we);
	}

	/* values returned by a criterion */
	{
		sr_match_extra e = {"quiet", 0, 1, false, false};

		SR_CHECK(sr_match_extra_set(&e, 0.25, false, &err) == SR_OK && e.value == 0.25 && !e.isnull,
				 "criterion value 0.25 kept");
		SR_CHECK(sr_match_extra_set(&e, 0, true, &err) == SR_OK && e.isnull, "criterion NULL kept as NULL");
		SR_CHECK(sr_match_extra_set(&e, 1.5, false, &err) == SR_EDATA &&
				 strcmp(err.msg, "criterion \"quiet\" returned 1.5, outside [0, 1]") == 0,
				 "criterion value 1.5 refused, naming the criterion");
		SR_CHECK(sr_match_extra_set(&e, NAN, false, &err) == SR_EDATA, "criterion value NaN refused");
	}
}

static void
test_methods(void)
{
	sr_match_method m = SR_ASSIGN_GREEDY;
	sr_err		err;
	const struct
	{
		const char *name;
		sr_match_method m;
	}			cases[] = {
		{"optimal", SR_ASSIGN_OPTIMAL}, {"stable", SR_ASSIGN_STABLE},
		{"stable_projects", SR_ASSIGN_STABLE}, {"stable_premises", SR_ASSIGN_STABLE_PREMISES},
		{"greedy", SR_ASSIGN_GREEDY}
	};
	int			ok = 0;

	sr_err_clear(&err);
	for (int i = 0; i < 5; i++)
		ok += sr_match_method_parse(cases[i].name, &m, &err) == SR_OK && m == cases[i].m;
	SR_CHECK(ok == 5, "the five method names map to their solvers (stable_projects = stable)");
	m = SR_ASSIGN_GREEDY;
	SR_CHECK(sr_match_method_parse("hungarian", &m, &err) == SR_EINVAL && m == SR_ASSIGN_GREEDY &&
			 strcmp(err.msg, "invalid value \"hungarian\" for parameter \"method\"") == 0 &&
			 strcmp(err.hint, "Accepted values: optimal, stable, stable_projects, stable_premises and greedy.") == 0,
			 "unknown method: the options' invalid value message, the names in the hint");
	SR_CHECK(sr_match_method_parse("Optimal", &m, &err) == SR_EINVAL, "method names are case-sensitive");

	/* a float8 NaN or infinity reaches the fields as the strings to_jsonb writes */
	{
		sr_match_premise q;

		sr_match_premise_init(&q);
		sr_err_clear(&err);
		SR_CHECK(sr_match_set_text(SR_MATCH_PREMISE, &q, "lon", "NaN", 3, &err) == SR_EINVAL &&
				 strcmp(err.msg, "premise field \"lon\" must be a finite number, got NaN") == 0,
				 "\"NaN\" in a numeric field: the finite-number message, not 'not a string'");
		sr_err_clear(&err);
		SR_CHECK(sr_match_set_text(SR_MATCH_PREMISE, &q, "rent_month", "-Infinity", 9, &err) == SR_EINVAL &&
				 strstr(err.msg, "got -Infinity") != NULL, "\"-Infinity\" likewise");
		sr_err_clear(&err);
		SR_CHECK(sr_match_set_text(SR_MATCH_PREMISE, &q, "rent_month", "cheap", 5, &err) == SR_EINVAL &&
				 strcmp(err.msg, "premise field \"rent_month\" must be a number, not a string") == 0,
				 "any other string: must be a number, not a string");
	}

	/* a location's "crs" (to_jsonb of a geometry of SRID 3857 says "EPSG:3857"):
	 * WGS84 in its usual spellings passes, any other CRS is refused, named */
	{
		const char *ok_names[] = {"EPSG:4326", "epsg:4326", "urn:ogc:def:crs:EPSG::4326",
		"urn:ogc:def:crs:EPSG:6.6:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "CRS84"};
		const char *bad_names[] = {"EPSG:3857", "EPSG:2154", "EPSG:43260", "urn:ogc:def:crs:EPSG::14326",
		"urn:ogc:def:crs:EPSG:6.6:2154", "EPSG:4326x", ""};
		int			good = 0,
					refused = 0;

		for (int i = 0; i < 7; i++)
			good += sr_match_location_crs(SR_MATCH_PREMISE, ok_names[i], (int) strlen(ok_names[i]), &err) == SR_OK;
		for (int i = 0; i < 7; i++)
			refused += sr_match_location_crs(SR_MATCH_PREMISE, bad_names[i], (int) strlen(bad_names[i]), &err) == SR_EINVAL;
		SR_CHECK(good == 7, "the spellings of WGS84 (EPSG:4326, its URNs, CRS84) are accepted");
		SR_CHECK(refused == 7, "any other CRS is refused (3857, 2154, 43260, 14326, versioned 2154, junk, empty)");
		sr_err_clear(&err);
		SR_CHECK(sr_match_location_crs(SR_MATCH_PREMISE, "EPSG:3857", 9, &err) == SR_EINVAL &&
				 strcmp(err.msg, "premise field \"location\" is in EPSG:3857, not WGS84 (SRID 4326)") == 0 &&
				 strcmp(err.hint, "A location is read as longitude and latitude in degrees: use ST_Transform(geom, 4326).") == 0,
				 "the message names the side and the CRS, the hint ST_Transform");
		sr_err_clear(&err);
		SR_CHECK(sr_match_location_crs(SR_MATCH_PROJECT, NULL, 0, &err) == SR_EINVAL &&
				 strcmp(err.msg, "project field \"location\" has a \"crs\" without a name") == 0,
				 "a crs without a name is refused");
	}
}

static void
test_id_sets(void)
{
	sr_match_project p[4];
	sr_match_premise q[3];
	sr_match_idmap *pm = NULL,
			   *qm = NULL;
	sr_err		err;
	int64_t		pids[] = {10, -3, 9007199254740993LL, 42};

	sr_err_clear(&err);
	for (int i = 0; i < 4; i++)
	{
		sr_match_project_init(&p[i]);
		p[i].id = pids[i];
	}
	for (int j = 0; j < 3; j++)
	{
		sr_match_premise_init(&q[j]);
		q[j].id = 100 + j;
	}
	SR_CHECK(sr_match_index_ids(SR_MATCH_PROJECT, p, 4, "projects_sql", &pm, &err) == SR_OK &&
			 sr_match_idmap_get(pm, 10) == 0 && sr_match_idmap_get(pm, -3) == 1 &&
			 sr_match_idmap_get(pm, 9007199254740993LL) == 2 && sr_match_idmap_get(pm, 9007199254740992LL) == -1 &&
			 sr_match_idmap_get(pm, 42) == 3, "project ids indexed in order, exactly (2^53 + 1)");
	SR_CHECK(sr_match_index_ids(SR_MATCH_PREMISE, q, 3, "premises_sql", &qm, &err) == SR_OK &&
			 sr_match_idmap_get(qm, 102) == 2, "premise ids indexed");
	sr_match_idmap_free(pm);
	sr_match_idmap_free(qm);
	p[3].id = -3;
	SR_CHECK(sr_match_index_ids(SR_MATCH_PROJECT, p, 4, "projects_sql", &pm, &err) == SR_EDATA && pm == NULL &&
			 strcmp(err.msg, "duplicate project id -3 in projects_sql") == 0, "duplicate project id named");
	q[2].id = 100;
	SR_CHECK(sr_match_index_ids(SR_MATCH_PREMISE, q, 3, "premises_sql", &qm, &err) == SR_EDATA &&
			 strcmp(err.msg, "duplicate premise id 100 in premises_sql") == 0, "duplicate premise id named");
	SR_CHECK(sr_match_index_ids(SR_MATCH_PREMISE, q, 0, "premises_sql", &qm, &err) == SR_OK,
			 "an empty set is fine");
	sr_match_idmap_free(qm);
}

static void
test_travel(void)
{
	sr_match_project p[3];
	sr_match_premise q[4];
	sr_match_idmap *pm,
			   *qm;
	sr_match_travel t;
	sr_err		err;

	sr_err_clear(&err);
	for (int i = 0; i < 3; i++)
	{
		sr_match_project_init(&p[i]);
		p[i].id = i + 1;		/* projects 1, 2, 3 */
	}
	for (int j = 0; j < 4; j++)
	{
		sr_match_premise_init(&q[j]);
		q[j].id = 10 * (j + 1);	/* premises 10, 20, 30, 40 */
	}
	sr_match_index_ids(SR_MATCH_PROJECT, p, 3, "projects_sql", &pm, &err);
	sr_match_index_ids(SR_MATCH_PREMISE, q, 4, "premises_sql", &qm, &err);

	/* two batches; pairs naming project 9 or premise 99 are skipped */
	{
		int64_t		a_p[] = {3, 1, 9, 3},
					a_q[] = {20, 40, 10, 10},
					b_p[] = {1, 3, 2},
					b_q[] = {10, 99, 30};
		double		a_m[] = {5, 7.5, 1, 12},
					b_m[] = {0, 3, 60};
		int			want_start[] = {0, 2, 3, 5},
					want_prem[] = {3, 0, 2, 1, 0};
		double		want_min[] = {7.5, 0, 60, 5, 12};
		int			bad = 0;

		sr_match_travel_init(&t, p, 3, pm, q, 4, qm, "travel_sql");
		SR_CHECK(sr_match_travel_add(&t, a_p, a_q, a_m, 4, &err) == SR_OK &&
				 sr_match_travel_add(&t, b_p, b_q, b_m, 3, &err) == SR_OK && t.read.n == 5,
				 "travel pairs outside the two sets skipped (5 of 7 kept)");
		SR_CHECK(sr_match_travel_group(&t, &err) == SR_OK, "travel pairs grouped");
		for (int i = 0; i < 4; i++)
			bad += t.start[i] != want_start[i];
		for (int e = 0; e < 5; e++)
			bad += t.premise[e] != want_prem[e] || t.minutes[e] != want_min[e];
		SR_CHECK(bad == 0, "grouped by project, in the order read within a project (by hand)");
		sr_match_travel_free(&t);
	}
	/* a duplicate pair across batches, and bad minutes */
	{
		int64_t		a_p[] = {2, 1},
					a_q[] = {30, 20},
					b_p[] = {2},
					b_q[] = {30};
		double		a_m[] = {4, 5},
					b_m[] = {6},
					neg[] = {-3},
					inf[] = {INFINITY};

		sr_match_travel_init(&t, p, 3, pm, q, 4, qm, "travel_sql");
		sr_match_travel_add(&t, a_p, a_q, a_m, 2, &err);
		sr_match_travel_add(&t, b_p, b_q, b_m, 1, &err);
		SR_CHECK(sr_match_travel_group(&t, &err) == SR_EDATA &&
				 strcmp(err.msg, "duplicate pair (project 2, premise 30) in travel_sql") == 0,
				 "a pair listed twice (in two batches) is named");
		sr_match_travel_free(&t);
		sr_match_travel_init(&t, p, 3, pm, q, 4, qm, "travel_sql");
		SR_CHECK(sr_match_travel_add(&t, b_p, b_q, neg, 1, &err) == SR_EDATA &&
				 strcmp(err.msg, "travel_sql: minutes of pair (project 2, premise 30) must be a finite number >= 0") == 0,
				 "negative minutes refused, naming the pair");
		SR_CHECK(sr_match_travel_add(&t, b_p, b_q, inf, 1, &err) == SR_EDATA, "infinite minutes refused");
		a_p[0] = 9;
		SR_CHECK(sr_match_travel_add(&t, a_p, a_q, neg, 1, &err) == SR_EDATA,
				 "bad minutes refused even for a pair outside the sets");
		sr_match_travel_free(&t);
		/* no pairs at all: every project has no candidate */
		sr_match_travel_init(&t, p, 3, pm, q, 4, qm, "travel_sql");
		SR_CHECK(sr_match_travel_group(&t, &err) == SR_OK && t.start[0] == 0 && t.start[3] == 0,
				 "no travel pairs: empty candidate lists");
		sr_match_travel_free(&t);
	}
	sr_match_idmap_free(pm);
	sr_match_idmap_free(qm);
}

static void
test_pairs(void)
{
	sr_match_pairs b;
	sr_match_problem pb;
	sr_match_solution sol;
	sr_err		err;
	/* the hand case of sql/matching.sql: optimal 1->10, 2->11 (1.3) */
	int64_t		pp[] = {1, 1, 2},
				pq[] = {10, 11, 11},
				p2[] = {2},
				q2[] = {10};
	double		ps[] = {0.5, 0.9, 0.8},
				s2[] = {0.1};
	double		rs[2];

	sr_err_clear(&err);
	SR_CHECK(sr_match_pairs_init(&b, &err) == SR_OK &&
			 sr_match_pairs_add(&b, pp, pq, ps, 3, &err) == SR_OK &&
			 sr_match_pairs_add(&b, p2, q2, s2, 1, &err) == SR_OK &&
			 b.np == 2 && b.nq == 2 && b.e.n == 4 && b.pid[0] == 1 && b.pid[1] == 2 &&
			 b.qid[0] == 10 && b.qid[1] == 11 && b.e.a[3] == 1 && b.e.b[3] == 0,
			 "pairs in two batches: ids indexed in order of first appearance");
	sr_match_pairs_problem(&b, &pb);
	SR_CHECK(pb.capacity == NULL && pb.n_edges == 4 && pb.row_id == b.pid, "problem without capacities: 1 each");
	SR_CHECK(sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &sol, &err) == SR_OK &&
			 sol.row_col[0] == 0 && sol.row_col[1] == 1, "optimal 1->10, 2->11");
	sr_match_assigned_scores(&pb, &sol, rs);
	SR_CHECK(rs[0] == 0.5 && rs[1] == 0.8, "assigned scores 0.5 and 0.8 read back from the pairs");
	sr_match_solution_free(&sol);

	/* capacities */
	{
		int64_t		cq[] = {11, 77},
					cc[] = {2, 5},
					dq[] = {10},
					dc[] = {0};

		SR_CHECK(sr_match_pairs_capacities(&b, cq, cc, 2, "capacities_sql", &err) == SR_OK &&
				 sr_match_pairs_capacities(&b, dq, dc, 1, "capacities_sql", &err) == SR_OK &&
				 b.capacity[0] == 0 && b.capacity[1] == 2,
				 "capacities in two batches; a premise without pairs ignored");
		sr_match_pairs_problem(&b, &pb);
		SR_CHECK(sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &sol, &err) == SR_OK &&
				 sol.row_col[0] == 1 && sol.row_col[1] == 1, "premise 11 holding 2 takes both projects");
		sr_match_assigned_scores(&pb, &sol, rs);
		SR_CHECK(rs[0] == 0.9 && rs[1] == 0.8, "assigned scores 0.9 and 0.8");
		sr_match_solution_free(&sol);
		SR_CHECK(sr_match_pairs_capacities(&b, cq, cc, 1, "capacities_sql", &err) == SR_EDATA &&
				 strcmp(err.msg, "duplicate premise 11 in capacities_sql") == 0,
				 "a premise listed twice (in two batches) is named");
		dc[0] = -1;
		SR_CHECK(sr_match_pairs_capacities(&b, dq, dc, 1, "capacities_sql", &err) == SR_EDATA &&
				 strcmp(err.msg, "capacity of premise 10 must be an integer between 0 and 1000000") == 0,
				 "negative capacity refused");
		dc[0] = 1000001;
		SR_CHECK(sr_match_pairs_capacities(&b, cq + 1, dc, 1, "capacities_sql", &err) == SR_EDATA,
				 "capacity above 1000000 refused, even for a premise without pairs");
		dc[0] = 1000000;
		SR_CHECK(sr_match_pairs_capacities(&b, cq + 1, dc, 1, "capacities_sql", &err) == SR_OK,
				 "capacity 1000000 accepted");
	}
	sr_match_pairs_free(&b);

	/* unlisted premises keep capacity 1; an empty problem is fine */
	{
		int64_t		cq[] = {11},
					cc[] = {3};

		sr_match_pairs_init(&b, &err);
		sr_match_pairs_add(&b, pp, pq, ps, 3, &err);
		sr_match_pairs_capacities(&b, cq, cc, 1, "capacities_sql", &err);
		SR_CHECK(b.capacity[0] == 1 && b.capacity[1] == 3, "an unlisted premise keeps capacity 1");
		sr_match_pairs_free(&b);
		sr_match_pairs_init(&b, &err);
		sr_match_pairs_problem(&b, &pb);
		SR_CHECK(pb.n_rows == 0 && pb.n_edges == 0 && sr_match_solve(&pb, SR_ASSIGN_GREEDY, &sol, &err) == SR_OK,
				 "no pairs: nothing to assign");
		sr_match_solution_free(&sol);
		sr_match_pairs_free(&b);
	}
	/* many pairs: the arrays grow across batches */
	{
		int			n = 20000,
					bad = 0;
		int64_t    *a = malloc(sizeof(int64_t) * n),
				   *c = malloc(sizeof(int64_t) * n);
		double	   *s = malloc(sizeof(double) * n);

		sr_match_pairs_init(&b, &err);
		for (int i = 0; i < n; i++)
		{
			a[i] = 7 * (int64_t) (i % 5000);
			c[i] = 1000000007LL * (i / 5000);
			s[i] = 1;
		}
		for (int i = 0; i < n; i += 3000)
			sr_match_pairs_add(&b, a + i, c + i, s + i, n - i < 3000 ? n - i : 3000, &err);
		for (int i = 0; i < n; i++)
			bad += b.e.a[i] != i % 5000 || b.e.b[i] != i / 5000;
		SR_CHECK(b.e.n == n && b.np == 5000 && b.nq == 4 && bad == 0 && b.pid[4999] == 7 * 4999LL &&
				 b.qid[3] == 3000000021LL, "20,000 pairs in 7 batches: 5,000 projects and 4 premises indexed");
		sr_match_pairs_free(&b);
		free(a);
		free(c);
		free(s);
	}
}

/* ---- top-k ---- */

static int
cmp_item(const void *a, const void *b)
{
	const sr_match_topk_item *x = a,
			   *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->premise - y->premise;
}

/* n premises with ids 0..n-1 spread over 2 x 1.2 degrees near Paris, a rent
 * and a surface drawn from the test's generator */
static void
random_premises(sr_match_premise *qs, int n)
{
	for (int j = 0; j < n; j++)
	{
		sr_match_premise_init(&qs[j]);
		qs[j].id = j;
		qs[j].lon = 1.5 + urand() * 2;
		qs[j].lat = 48.3 + urand() * 1.2;
		qs[j].rent_month = urand() * 2000;
		qs[j].surface_m2 = 10 + urand() * 200;
	}
}

static void
test_topk(void)
{
	int			n = 3000;
	sr_match_premise *qs = malloc(sizeof(sr_match_premise) * (size_t) n);
	sr_match_grid *g = NULL;
	sr_match_weights w;
	sr_err		err;
	int			bad = 0;

	sr_match_weights_default(&w);
	random_premises(qs, n);
	for (int j = 0; j < n; j++)
	{
		qs[j].capacity = irand(30);
		qs[j].kinds = 1u << irand(4);
		qs[j].amenities = (uint32_t) irand(1 << 20);
		/* one in five unknown: the criterion left out for them */
		qs[j].amenities_set = irand(5) != 0;
	}
	SR_CHECK(sr_match_grid_build(qs, n, &g, &err) == SR_OK, "grid built");
	for (int t = 0; t < 200; t++)
	{
		sr_match_project p;
		sr_match_topk_item got[20],
				   *all = malloc(sizeof(sr_match_topk_item) * (size_t) n);
		int			ng = 0,
					na = 0,
					k = 1 + irand(15);

		sr_match_project_init(&p);
		p.id = t;
		p.lon = 1.5 + urand() * 2;
		p.lat = 48.3 + urand() * 1.2;
		p.budget_month = 500 + urand() * 1500;
		p.surface_min_m2 = urand() * 60;
		p.team_size = 1 + irand(10);
		if (t % 3 == 0)
			p.kinds = 1u << irand(4);
		if (t % 4 == 0)
			p.max_distance_km = 5 + urand() * 20;
		if (t % 5 == 0)
			p.amenities_wished = (uint32_t) irand(1 << 20);
		w.decay = (sr_match_decay) (t % 4);
		if (sr_match_topk(g, &p, &w, k, 0, NULL, NULL, got, &ng, &err) != SR_OK)
		{
			bad++;
			free(all);
			continue;
		}
		for (int j = 0; j < n; j++)
		{
			double		s = sr_match_pair_score(&p, &qs[j], &w, NAN, NULL, 0, NULL);

			if (s > 0)
			{
				all[na].premise = j;
				all[na].score = s;
				na++;
			}
		}
		qsort(all, (size_t) na, sizeof(*all), cmp_item);
		if (ng != (na < k ? na : k))
			bad++;
		else
			for (int r = 0; r < ng; r++)
				if (got[r].premise != all[r].premise || fabs(got[r].score - all[r].score) > 1e-12)
				{
					bad++;
					break;
				}
		free(all);
	}
	SR_CHECK(bad == 0, "grid top-k equals a full scan on 200 random projects (all decays, k 1..15)");

	/* harder: missing data on both sides, every hard constraint, no maximum
	 * distance, random weights (some 0), plugin weight in the bound */
	bad = 0;
	for (int j = 0; j < n; j++)
	{
		if (j % 7 == 0)
			qs[j].rent_month = NAN;
		if (j % 11 == 0)
			qs[j].surface_m2 = NAN;
		if (j % 13 == 0)
			qs[j].capacity = NAN;
		qs[j].step_free = j % 2;
		qs[j].activities_allowed = (uint32_t) irand(1 << 7);
		qs[j].available_from = 20000 + irand(200);
		qs[j].available_to = j % 3 ? SR_MATCH_NODATE : 20100 + irand(400);
		qs[j].min_term_months = irand(13);
		if (j % 5 == 0)
			sr_match_set_hours_text(SR_MATCH_PREMISE, &qs[j], "mon", 3, "08:00-12:00", 11, &err);
	}
	sr_match_grid_free(g);
	SR_CHECK(sr_match_grid_build(qs, n, &g, &err) == SR_OK, "grid rebuilt");
	for (int t = 0; t < 300; t++)
	{
		sr_match_project p;
		sr_match_topk_item got[20],
				   *all = malloc(sizeof(sr_match_topk_item) * (size_t) n);
		int			ng = 0,
					na = 0,
					k = 1 + irand(12);
		sr_match_weights ww;

		sr_match_weights_default(&ww);
		for (int c = 0; c < SR_CRIT_N; c++)
			ww.w[c] = irand(4) == 0 ? 0 : urand();
		ww.decay = (sr_match_decay) (t % 4);
		ww.distance_scale_km = 1 + urand() * 20;
		sr_match_project_init(&p);
		p.id = t;
		if (t % 10 != 0)
		{
			p.lon = 1 + urand() * 3;
			p.lat = 48 + urand() * 2;
		}
		if (t % 2)
			p.budget_month = 300 + urand() * 1500;
		if (t % 3)
			p.surface_min_m2 = urand() * 60;
		if (t % 4)
			p.surface_max_m2 = 80 + urand() * 150;
		if (t % 5)
			p.team_size = irand(12);
		if (t % 3 == 0)
			p.kinds = (uint32_t) (1 + irand(15));
		if (t % 6 == 0)
			p.amenities_required = 1u << irand(20);
		if (t % 2 == 0)
			p.amenities_wished = (uint32_t) irand(1 << 20);
		if (t % 7 == 0)
			p.step_free_needed = true;
		if (t % 8 == 0)
			p.activities = 1u << irand(7);
		if (t % 3 == 1)
			p.start_date = 20000 + irand(400);
		if (t % 4 == 1)
			p.duration_months = irand(24);
		if (t % 9 == 0)
			p.max_distance_km = 10 + urand() * 50;
		if (t % 5 == 2)
			sr_match_set_hours_text(SR_MATCH_PROJECT, &p, "mon", 3, "09:00-18:00", 11, &err);
		if (sr_match_topk(g, &p, &ww, k, 0, NULL, NULL, got, &ng, &err) != SR_OK)
		{
			bad++;
			free(all);
			continue;
		}
		for (int j = 0; j < n; j++)
		{
			double		sc = sr_match_pair_score(&p, &qs[j], &ww, NAN, NULL, 0, NULL);

			if (sc > 0)
			{
				all[na].premise = j;
				all[na].score = sc;
				na++;
			}
		}
		qsort(all, (size_t) na, sizeof(*all), cmp_item);
		if (ng != (na < k ? na : k))
			bad++;
		else
			for (int r = 0; r < ng; r++)
				if (got[r].premise != all[r].premise || fabs(got[r].score - all[r].score) > 1e-12)
				{
					bad++;
					break;
				}
		free(all);
	}
	SR_CHECK(bad == 0, "top-k equals a full scan with missing data, every hard constraint, random weights (300 projects)");
	sr_match_grid_free(g);
	free(qs);
}


static const sr_match_premise *cmp_qs;

/* best first, ties by lower premise id (as match_candidates) */
static int
cmp_item_id(const void *a, const void *b)
{
	const sr_match_topk_item *x = a,
			   *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return cmp_qs[x->premise].id < cmp_qs[y->premise].id ? -1 : 1;
}

/* Top k of project p by a full scan (ties by lower id), into all; returns
 * how many (at most k). */
static int
topk_full_scan(const sr_match_premise *qs, int n, const sr_match_project *p,
			   const sr_match_weights *w, int k, sr_match_topk_item *all)
{
	int			na = 0;

	for (int j = 0; j < n; j++)
	{
		double		s = sr_match_pair_score(p, &qs[j], w, NAN, NULL, 0, NULL);

		if (s > 0)
		{
			all[na].premise = j;
			all[na].score = s;
			na++;
		}
	}
	cmp_qs = qs;
	qsort(all, (size_t) na, sizeof(*all), cmp_item_id);
	return na < k ? na : k;
}

/*
 * Projects without a maximum distance (far premises can win on their other
 * criteria): the k-d tree search, alone and in batches on two threads, equals
 * a full scan, with clustered premises, duplicated attributes (ties), some
 * missing data and opening hours, and random weights and decays.
 */
static void
test_topk_uncapped(void)
{
	int			n = 20000,
				np = 150,
				k = 10,
				bad = 0,
				bad_batch = 0;
	sr_match_premise *qs = malloc(sizeof(sr_match_premise) * (size_t) n);
	sr_match_project *ps = malloc(sizeof(sr_match_project) * (size_t) np);
	sr_match_topk_item *all = malloc(sizeof(sr_match_topk_item) * (size_t) n);
	sr_match_topk_item *bout = malloc(sizeof(sr_match_topk_item) * (size_t) np * k);
	int		   *bn = malloc(sizeof(int) * (size_t) np);
	sr_match_grid *g = NULL;
	sr_err		err;

	for (int j = 0; j < n; j++)
	{
		sr_match_premise *q = &qs[j];

		sr_match_premise_init(q);
		q->id = 100000 - j;		/* ids not in index order */
		/* half uniform over France, half in a few towns */
		if (j % 2)
		{
			q->lon = -4.5 + urand() * 12.5;
			q->lat = 42.5 + urand() * 8.5;
		}
		else
		{
			q->lon = 2.35 + (j % 7) * 0.5 + urand() * 0.05;
			q->lat = 48.85 - (j % 5) * 0.7 + urand() * 0.05;
		}
		q->kinds = 1u << irand(4);
		if (j % 9 == 0)
			q->kinds |= 1u << irand(4);
		/* coarse values: many exact ties in the scores */
		q->surface_m2 = j % 17 == 0 ? NAN : 10 + 10 * irand(30);
		q->capacity = j % 19 == 0 ? NAN : 1 + irand(30);
		q->rent_month = j % 23 == 0 ? NAN : 200 + 100 * irand(40);
		q->amenities = (uint32_t) irand(16) | (j % 4 == 0 ? 1u << 10 : 0);
		q->amenities_set = j % 7 != 0;
		q->step_free = j % 3 != 0;
		q->min_term_months = j % 5 == 0 ? NAN : irand(12);
		if (j % 11 == 0)
			sr_match_set_hours_text(SR_MATCH_PREMISE, q, "tue", 3, "09:00-13:00,14:00-18:00", 23, &err);
	}
	SR_CHECK(sr_match_grid_build(qs, n, &g, &err) == SR_OK, "k-d trees built (20,000 premises)");
	for (int i = 0; i < np; i++)
	{
		sr_match_project *p = &ps[i];

		sr_match_project_init(p);
		p->id = i;
		if (i % 15 != 0)
		{
			p->lon = -4.5 + urand() * 12.5;
			p->lat = 42.5 + urand() * 8.5;
		}
		if (i % 3 == 0)
			p->kinds = (uint32_t) (1 + irand(15));
		if (i % 4 != 1)
		{
			p->surface_min_m2 = 20 + irand(50);
			p->surface_max_m2 = p->surface_min_m2 + 50 + irand(100);
		}
		if (i % 5 != 2)
			p->team_size = 1 + irand(12);
		if (i % 6 != 3)
			p->budget_month = 1000 + 100 * irand(30);
		if (i % 2 == 0)
			p->amenities_wished = (uint32_t) (1 + irand(15));
		if (i % 7 == 0)
			p->amenities_required = 1u << irand(4);
		if (i % 8 == 0)
			p->step_free_needed = true;
		if (i % 9 == 0)
			p->duration_months = irand(12);
		if (i % 10 == 0)
			sr_match_set_hours_text(SR_MATCH_PROJECT, p, "tue", 3, "10:00-16:00", 11, &err);
	}
	for (int round = 0; round < 3; round++)
	{
		sr_match_weights w;

		sr_match_weights_default(&w);
		if (round > 0)
		{
			for (int c = 0; c < SR_CRIT_N; c++)
				w.w[c] = irand(5) == 0 ? 0 : urand();
			w.decay = (sr_match_decay) irand(4);
			w.distance_scale_km = 1 + urand() * 30;
		}
		if (sr_match_topk_batch(g, ps, np, &w, k, 2, bout, bn, &err) != SR_OK)
			bad_batch++;
		for (int i = 0; i < np; i++)
		{
			sr_match_topk_item got[10];
			int			ng = 0,
						na = topk_full_scan(qs, n, &ps[i], &w, k, all);

			if (sr_match_topk(g, &ps[i], &w, k, 0, NULL, NULL, got, &ng, &err) != SR_OK ||
				ng != na)
				bad++;
			else
				for (int r = 0; r < ng; r++)
					if (got[r].premise != all[r].premise || got[r].score != all[r].score)
					{
						bad++;
						break;
					}
			if (bn[i] != na)
				bad_batch++;
			else
				for (int r = 0; r < na; r++)
					if (bout[(size_t) i * k + r].premise != all[r].premise ||
						bout[(size_t) i * k + r].score != all[r].score)
					{
						bad_batch++;
						break;
					}
		}
	}
	SR_CHECK(bad == 0, "top-k without maximum distance equals a full scan (150 projects x 20,000 premises, 3 weightings)");
	SR_CHECK(bad_batch == 0, "the same on two threads (sr_match_topk_batch) equals a full scan");
	SR_CHECK(sr_match_topk_batch(g, ps, np, NULL, 0, 2, bout, bn, &err) == SR_EINVAL,
			 "batch rejects k = 0");
	sr_match_grid_free(g);
	free(qs);
	free(ps);
	free(all);
	free(bout);
	free(bn);
}

/* Cancel: CPU time between two interrupt checks of match_assign's methods
 * on 2,000 x 2,000 pairs (the stable methods sort every preference list).
 * Thread CPU time, so that a loaded machine does not change the figure. */
static void
test_assign_interrupts(void)
{
	int			n = 2000;
	int64_t		ne = (int64_t) n * n;
	int		   *er = malloc(ne * sizeof(int)),
			   *ec = malloc(ne * sizeof(int));
	double	   *es = malloc(ne * sizeof(double));
	int64_t    *ids = malloc(n * sizeof(int64_t));
	const char *names[] = {"stable", "stable_premises", "greedy"};
	sr_match_method methods[] = {SR_ASSIGN_STABLE, SR_ASSIGN_STABLE_PREMISES, SR_ASSIGN_GREEDY};
	sr_err		err;

	for (int i = 0; i < n; i++)
		ids[i] = i + 1;
	/* pairs listed premise-major, so that every row needs its sort */
	for (int64_t e = 0; e < ne; e++)
	{
		er[e] = (int) (e % n);
		ec[e] = (int) (e / n);
		es[e] = urand();
	}
	for (int k = 0; k < 3; k++)
	{
		sr_match_problem pb = {n, n, ne, er, ec, es, NULL, ids, ids};
		sr_match_solution s;
		char		desc[160];
		sr_status	st;

		int			again;

		sr_set_handlers(NULL, NULL, NULL, sr_gap_interrupt);
		sr_gap_begin();
		do
		{
			sr_gap_start();
			st = sr_match_solve(&pb, methods[k], &s, &err);
			sr_gap_interrupt();
			/* (again: each stretch at its least over the runs, sr_test.h) */
			if ((again = sr_gap_again(50) && st == SR_OK))
				sr_match_solution_free(&s);
		} while (again);
		sr_set_handlers(NULL, NULL, NULL, NULL);
		snprintf(desc, sizeof(desc), "match_assign %s on 2,000 x 2,000 pairs checks for interrupts at least every 50 ms of CPU (max gap %.1f ms, %d run(s))",
				 names[k], sr_gap_max_ms(), sr_gap_state()->run);
		SR_CHECK(st == SR_OK && s.n_assigned == n && sr_gap_max_ms() < 50, desc);
		if (st == SR_OK)
			sr_match_solution_free(&s);
	}
	free(er);
	free(ec);
	free(es);
	free(ids);
}

/* Cancel: CPU time between two interrupt checks of match_candidates' index
 * over 1,000,000 premises (two k-d trees; 3.5 s of CPU without a check
 * before 2026-12-06), then its search for one project (the result against a
 * scan of the premises whose score can be 1: same place, nothing else to
 * compare). */
static void
test_grid_interrupts(void)
{
	int			n = 1000000;
	sr_match_premise *q = malloc((size_t) n * sizeof(sr_match_premise));
	sr_match_grid *g = NULL;
	sr_match_project p;
	sr_match_weights w;
	sr_match_topk_item out[3];
	int			n_out = 0;
	sr_err		err;
	sr_status	st;
	double		t0;
	char		desc[200];

	for (int i = 0; i < n; i++)
	{
		sr_match_premise_init(&q[i]);
		q[i].id = n - i;
		q[i].lon = 2 + 6 * urand();
		q[i].lat = 43 + 6 * urand();
		q[i].surface_m2 = floor(200 * urand());
		q[i].rent_month = floor(1000 * urand());
		q[i].capacity = floor(20 * urand());
	}
	/* three premises exactly at the project's place */
	for (int i = 0; i < 3; i++)
	{
		q[1000 * i + 7].lon = 5.5;
		q[1000 * i + 7].lat = 46.5;
	}
	sr_err_clear(&err);
	sr_set_handlers(NULL, NULL, NULL, sr_gap_interrupt);
	sr_gap_begin();
	for (;;)
	{
		t0 = sr_gap_start();
		st = sr_match_grid_build(q, n, &g, &err);
		sr_gap_interrupt();
		/* (again: each stretch at its least over the runs, sr_test.h) */
		if (!sr_gap_again(50) || st != SR_OK)
			break;
		sr_match_grid_free(g);
		g = NULL;
	}
	sr_set_handlers(NULL, NULL, NULL, NULL);
	snprintf(desc, sizeof(desc), "match_candidates' index of 1,000,000 premises checks for interrupts at least every 50 ms of CPU (max gap %.1f ms of %.0f ms, %d run(s))",
			 sr_gap_max_ms(), sr_cpu_ms() - t0, sr_gap_state()->run);
	SR_CHECK(st == SR_OK && sr_gap_max_ms() < 50, desc);
	if (st == SR_OK)
	{
		sr_match_project_init(&p);
		p.id = 1;
		p.lon = 5.5;
		p.lat = 46.5;
		sr_match_weights_default(&w);
		st = sr_match_topk(g, &p, &w, 3, 0, NULL, NULL, out, &n_out, &err);
		/* score 1 at distance 0 with nothing else to compare; ties to the
		 * lower id: ids n - 7, n - 1007, n - 2007, lowest first */
		SR_CHECK(st == SR_OK && n_out == 3 && out[0].score == 1 && out[2].score == 1 &&
				 q[out[0].premise].id == n - 2007 && q[out[1].premise].id == n - 1007 &&
				 q[out[2].premise].id == n - 7,
				 "and its top 3 for a project at the place of 3 of them: those 3, score 1, lower id first");
		sr_match_grid_free(g);
	}
	free(q);
}

/* allocation that fails at its fail_at-th call (counting from 0; -1: never) */
static int	alloc_calls,
			fail_at = -1;

static void *
failing_alloc(size_t size)
{
	return alloc_calls++ == fail_at ? NULL : malloc(size ? size : 1);
}

static void *
failing_realloc(void *p, size_t size)
{
	return alloc_calls++ == fail_at ? NULL : realloc(p, size ? size : 1);
}

/*
 * Out of memory at every allocation in turn (the core's own handlers, not
 * the server's, which raise): every method, on a partial and a complete
 * problem (both the sparse optimum) and a complete square one (the dense
 * optimum, LAPJV), returns SR_ENOMEM or its normal solution, never a
 * crash, until the allocation to fail is past the last one; then the same
 * solution as without the handlers.
 */
static void
test_assign_out_of_memory(void)
{
	int			m = 12;
	int64_t		ne;
	int			er[40 * 12], ec[40 * 12], cap[12];
	double		es[40 * 12];
	sr_match_method methods[] = {SR_ASSIGN_OPTIMAL, SR_ASSIGN_STABLE, SR_ASSIGN_STABLE_PREMISES, SR_ASSIGN_GREEDY};
	const char *names[] = {"optimal", "stable", "stable_premises", "greedy"};
	const char *shapes[] = {"partial", "complete", "complete square"};
	sr_err		err;

	for (int shape = 0; shape < 3; shape++)
	{
		int			n = shape < 2 ? 40 : m,
					complete = shape > 0;

		ne = 0;
		for (int i = 0; i < n; i++)
			for (int j = 0; j < m; j++)
				if (complete || (i * 7 + j * 3) % 4 == 0)
				{
					er[ne] = i;
					ec[ne] = j;
					es[ne] = 0.05 + urand();
					ne++;
				}
		for (int j = 0; j < m; j++)
			cap[j] = shape < 2 ? 1 + j % 3 : 1;
		for (int k = 0; k < 4; k++)
		{
			sr_match_problem pb = {n, m, ne, er, ec, es, cap, NULL, NULL};
			sr_match_solution ref, s;
			int			nomem = 0, bad = 0, tries = 0;
			char		desc[200];

			if (sr_match_solve(&pb, methods[k], &ref, &err) != SR_OK)
			{
				SR_CHECK(0, "out of memory: the reference solves");
				continue;
			}
			for (fail_at = 0;; fail_at++, tries++)
			{
				sr_status	st;

				alloc_calls = 0;
				sr_set_handlers(failing_alloc, failing_realloc, free, NULL);
				st = sr_match_solve(&pb, methods[k], &s, &err);
				sr_set_handlers(NULL, NULL, NULL, NULL);
				if (st == SR_ENOMEM)
				{
					nomem++;
					continue;
				}
				if (st != SR_OK)
					bad++;
				else
				{
					bad += s.total != ref.total || memcmp(s.row_col, ref.row_col, sizeof(int) * n) != 0;
					sr_match_solution_free(&s);
				}
				if (alloc_calls <= fail_at || tries > 10000)
					break;		/* no allocation failed: the last one was passed */
			}
			fail_at = -1;
			snprintf(desc, sizeof(desc), "out of memory: match_assign %s on a %s problem returns SR_ENOMEM at each of its %d allocations, then its solution",
					 names[k], shapes[shape], nomem);
			SR_CHECK(bad == 0 && nomem > 0 && tries <= 10000, desc);
			sr_match_solution_free(&ref);
		}
	}
}

/*
 * Out of memory at every allocation in turn while pairs are read (the
 * project ids' map grows past its first size): SR_ENOMEM, never a crash,
 * until the allocation to fail is past the last one; then every pair.
 */
static void
test_pairs_out_of_memory(void)
{
	int			n = 10000,
				nomem = 0,
				bad = 0,
				tries = 0;
	int64_t    *pid = malloc(sizeof(int64_t) * n),
			   *qid = malloc(sizeof(int64_t) * n);
	double	   *score = malloc(sizeof(double) * n);
	sr_err		err;

	for (int r = 0; r < n; r++)
	{
		pid[r] = 1000 + 7 * (int64_t) r;
		qid[r] = r % 50;
		score[r] = 0.5;
	}
	for (fail_at = 0;; fail_at++, tries++)
	{
		sr_match_pairs b;
		sr_status	st;

		alloc_calls = 0;
		sr_set_handlers(failing_alloc, failing_realloc, free, NULL);
		st = sr_match_pairs_init(&b, &err);
		if (st == SR_OK)
			st = sr_match_pairs_add(&b, pid, qid, score, n, &err);
		sr_set_handlers(NULL, NULL, NULL, NULL);
		if (st == SR_ENOMEM)
			nomem++;
		else
			bad += st != SR_OK || b.np != n || b.nq != 50 || b.e.n != n ||
				sr_match_idmap_get(b.pmap, pid[n - 1]) != n - 1 ||
				sr_match_idmap_get(b.qmap, 49) != 49;
		sr_match_pairs_free(&b);
		if (st != SR_ENOMEM && (alloc_calls <= fail_at || tries > 1000))
			break;				/* no allocation failed: the last one was passed */
	}
	fail_at = -1;
	SR_CHECK(bad == 0 && nomem > 0 && tries <= 1000,
			 "out of memory: reading pairs (a growing id map) returns SR_ENOMEM at each allocation, then every pair");
	free(pid);
	free(qid);
	free(score);
}

/*
 * Out of memory at every allocation in turn while the premises' k-d trees are
 * built and a project's k best are searched: SR_ENOMEM, never a crash (the
 * trees' arrays and the search heap were used unchecked), then the same k
 * best as with memory to spare.
 */
static void
test_topk_out_of_memory(void)
{
	int			n = 500,
				nomem = 0,
				bad = 0,
				tries = 0,
				k = 5,
				nref = 0;
	sr_match_premise *qs = malloc(sizeof(sr_match_premise) * (size_t) n);
	sr_match_grid *g = NULL;
	sr_match_project p;
	sr_match_weights w;
	sr_match_topk_item ref[5],
				got[5];
	sr_err		err;

	sr_match_weights_default(&w);
	random_premises(qs, n);
	sr_match_project_init(&p);
	p.id = 1;
	p.lon = 2.3;
	p.lat = 48.8;
	p.budget_month = 900;
	if (sr_match_grid_build(qs, n, &g, &err) != SR_OK ||
		sr_match_topk(g, &p, &w, k, 0, NULL, NULL, ref, &nref, &err) != SR_OK)
		bad++;
	sr_match_grid_free(g);
	for (fail_at = 0;; fail_at++, tries++)
	{
		sr_status	st;
		int			ng = 0;

		g = NULL;
		alloc_calls = 0;
		sr_set_handlers(failing_alloc, failing_realloc, free, NULL);
		st = sr_match_grid_build(qs, n, &g, &err);
		if (st == SR_OK)
			st = sr_match_topk(g, &p, &w, k, 0, NULL, NULL, got, &ng, &err);
		sr_set_handlers(NULL, NULL, NULL, NULL);
		if (st == SR_ENOMEM)
			nomem++;
		else
			bad += st != SR_OK || ng != nref || memcmp(got, ref, sizeof(sr_match_topk_item) * (size_t) nref) != 0;
		sr_match_grid_free(g);
		if (st != SR_ENOMEM && (alloc_calls <= fail_at || tries > 1000))
			break;				/* no allocation failed: the last one was passed */
	}
	fail_at = -1;
	SR_CHECK(bad == 0 && nref == k && nomem >= 8 && tries <= 1000,
			 "out of memory: building the k-d trees and searching the k best return SR_ENOMEM at each allocation, then the same k best");
	free(qs);
}

/* The assignment depends on the pairs, not on the order of their rows:
 * random problems with ties (scores in steps of 1/20), capacities 0..3 and
 * zero scores, read in two shuffled orders (so ids appear first in different
 * orders), give the same project -> premise map for every method once
 * numbered by ids (sr_match_pairs_canonical); without it the optimal method
 * breaks ties by the order of first appearance (the 2 x 1 case below). */
static void
assign_by_ids(int64_t ne, const int64_t *pi, const int64_t *qi, const double *sc,
			  int ncap, const int64_t *cq, const int64_t *cc, bool canonical,
			  sr_match_method meth, int64_t *out /* premise of project 1..n, 0 none */ , int n)
{
	sr_match_pairs b;
	sr_match_problem pb;
	sr_match_solution sol;
	sr_err		err;

	sr_err_clear(&err);
	for (int i = 0; i <= n; i++)
		out[i] = 0;
	if (sr_match_pairs_init(&b, &err) != SR_OK || sr_match_pairs_add(&b, pi, qi, sc, ne, &err) != SR_OK ||
		(ncap > 0 && sr_match_pairs_capacities(&b, cq, cc, ncap, "capacities_sql", &err) != SR_OK) ||
		(canonical && sr_match_pairs_canonical(&b, &err) != SR_OK))
	{
		out[0] = -1;
		sr_match_pairs_free(&b);
		return;
	}
	sr_match_pairs_problem(&b, &pb);
	if (sr_match_solve(&pb, meth, &sol, &err) != SR_OK)
		out[0] = -1;
	else
	{
		for (int i = 0; i < pb.n_rows; i++)
			if (sol.row_col[i] >= 0)
				out[pb.row_id[i]] = pb.col_id[sol.row_col[i]];
		sr_match_solution_free(&sol);
	}
	sr_match_pairs_free(&b);
}

static void
test_pairs_order(void)
{
	int			differ = 0,
				cases = 0;

	for (int t = 0; t < 300; t++)
	{
		int			n = 2 + irand(7),
					m = 1 + irand(5);
		int64_t		pi[64],
					qi[64],
					cq[8],
					cc[8],
					a[10],
					b[10];
		double		sc[64];
		int			ne = 0;

		for (int i = 1; i <= n; i++)
			for (int j = 0; j < m; j++)
				if (urand() < 0.7)
				{
					pi[ne] = i;
					qi[ne] = 100 + j;
					sc[ne] = urand() < 0.1 ? 0 : (1 + irand(4)) / 20.0;	/* many ties */
					ne++;
				}
		for (int j = 0; j < m; j++)
		{
			cq[j] = 100 + j;
			cc[j] = irand(4);
		}
		for (int meth = SR_ASSIGN_OPTIMAL; meth <= SR_ASSIGN_GREEDY; meth++)
		{
			int64_t		pi2[64],
						qi2[64];
			double		sc2[64];
			int			perm[64];

			/* a second order of the same rows: reversed, then shuffled */
			for (int e = 0; e < ne; e++)
				perm[e] = ne - 1 - e;
			for (int e = ne - 1; e > 0; e--)
			{
				int			k = irand(e + 1),
							tmp = perm[e];

				perm[e] = perm[k];
				perm[k] = tmp;
			}
			for (int e = 0; e < ne; e++)
			{
				pi2[e] = pi[perm[e]];
				qi2[e] = qi[perm[e]];
				sc2[e] = sc[perm[e]];
			}
			assign_by_ids(ne, pi, qi, sc, m, cq, cc, true, (sr_match_method) meth, a, n);
			assign_by_ids(ne, pi2, qi2, sc2, m, cq, cc, true, (sr_match_method) meth, b, n);
			cases++;
			if (a[0] < 0 || b[0] < 0 || memcmp(a, b, sizeof(int64_t) * (n + 1)) != 0)
				differ++;
		}
	}
	SR_CHECK(differ == 0, "300 random problems with ties and capacities x 4 methods: the same assignment in two row orders");
	(void) cases;

	/* by hand: projects 1 and 2 tie for premise 10 (0.5 each, one place): the
	 * optimum is either; numbered by ids, project 1 (the lower row) gets it
	 * whichever row comes first */
	{
		int64_t		p1[] = {1, 2},
					p2[] = {2, 1},
					q[] = {10, 10},
					a[3],
					b[3];
		double		s[] = {0.5, 0.5};

		assign_by_ids(2, p1, q, s, 0, NULL, NULL, true, SR_ASSIGN_OPTIMAL, a, 2);
		assign_by_ids(2, p2, q, s, 0, NULL, NULL, true, SR_ASSIGN_OPTIMAL, b, 2);
		SR_CHECK(a[1] == 10 && a[2] == 0 && b[1] == 10 && b[2] == 0,
				 "a tie for one place: the same project in both orders");
		assign_by_ids(2, p2, q, s, 0, NULL, NULL, false, SR_ASSIGN_OPTIMAL, b, 2);
		SR_CHECK(b[2] == 10, "(without the numbering by ids the first row seen won: project 2)");
	}
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_topk_out_of_memory();
	test_score();
	test_assign();
	test_assign_interrupts();
	test_grid_interrupts();
	test_assign_out_of_memory();
	test_pairs_out_of_memory();
	test_topk();
	test_topk_uncapped();
	test_weights();
	test_methods();
	test_id_sets();
	test_travel();
	test_pairs();
	test_pairs_order();
	return SR_TEST_END();
}
