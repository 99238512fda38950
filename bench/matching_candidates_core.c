/*
 * matching_candidates_core.c — the core of match_candidates alone, on the
 * data of bench/matching.sh (100,000 premises over metropolitan France,
 * synthetic projects with the same formulas; random draws from a xorshift
 * generator, not PostgreSQL's), for profiling without the server.
 *
 *   gcc -std=gnu11 -O2 -Iextension/include extension/core/common.c \
 *       extension/core/matching_*.c bench/matching_candidates_core.c -lm -lpthread
 *   ./a.out NPROJECTS [MAX_DISTANCE_KM|nan] [THREADS (0 = all, -1 = one
 *           project at a time)] [N_BRUTE_FORCE_CHECKS]
 */
#include "sr_matching.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static unsigned long long rs = 88172645463325252ULL;

static double
urand(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (double) (rs >> 11) * (1.0 / 9007199254740992.0);
}

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	int			np = argc > 1 ? atoi(argv[1]) : 1000,
				nq = 100000,
				k = 10,
				threads = argc > 3 ? atoi(argv[3]) : 2,
				brute = argc > 4 ? atoi(argv[4]) : 0,
				bad = 0;
	double		maxd = argc > 2 ? atof(argv[2]) : NAN;
	sr_match_premise *q = malloc(sizeof(*q) * nq);
	sr_match_project *p = malloc(sizeof(*p) * np);
	sr_match_topk_item *out = malloc(sizeof(*out) * (size_t) k * np);
	int		   *nout = malloc(sizeof(int) * np);
	sr_match_weights w;
	sr_err		err;
	sr_match_grid *g;
	double		t0,
				t1,
				t2,
				sum = 0;
	long		rows = 0;

	sr_match_weights_default(&w);
	for (int j = 1; j <= nq; j++)
	{
		sr_match_premise *x = &q[j - 1];

		sr_match_premise_init(x);
		x->id = j;
		x->lon = -4.5 + urand() * 12.5;
		x->lat = 42.5 + urand() * 8.5;
		/* coworking 1, fablab 2, office 8; wifi 1, meeting_room 2, kitchen 4, printer 64 */
		x->kinds = (j % 4 == 0) ? 1 : (j % 4 == 1) ? 2 : (j % 4 == 2) ? 8 : 9;
		x->surface_m2 = round(10 + urand() * 290);
		x->capacity = 1 + j % 30;
		x->rent_month = round(200 + urand() * 4000);
		x->amenities = (j % 4 == 0) ? 1 : (j % 4 == 1) ? (1 | 4) : (j % 4 == 2) ? (1 | 64 | 2) : 0;
	}
	for (int i = 1; i <= np; i++)
	{
		sr_match_project *x = &p[i - 1];

		sr_match_project_init(x);
		x->id = i;
		x->lon = -4.5 + urand() * 12.5;
		x->lat = 42.5 + urand() * 8.5;
		x->max_distance_km = maxd;
		x->kinds = i % 3 == 0 ? 1 : 0;
		x->surface_min_m2 = 20 + i % 50;
		x->surface_max_m2 = 120 + i % 100;
		x->team_size = 1 + i % 12;
		x->budget_month = 1000 + (i % 30) * 100;
		x->amenities_wished = 1 | 4;
	}
	t0 = now();
	if (sr_match_grid_build(q, nq, &g, &err) != SR_OK)
		return printf("%s\n", err.msg), 1;
	t1 = now();
	if (threads >= 0)
	{
		if (sr_match_topk_batch(g, p, np, &w, k, threads, out, nout, &err) != SR_OK)
			return printf("%s\n", err.msg), 1;
	}
	else
		for (int i = 0; i < np; i++)
			if (sr_match_topk(g, &p[i], &w, k, 0, NULL, NULL, out + (size_t) i * k,
							  &nout[i], &err) != SR_OK)
				return printf("%s\n", err.msg), 1;
	t2 = now();
	for (int i = 0; i < np; i++)
		for (int r = 0; r < nout[i]; r++)
		{
			sum += out[(size_t) i * k + r].score;
			rows++;
		}
	printf("projects %d build %.3f s search %.3f s (%.4f ms a project) rows %ld sum %.6f\n",
		   np, t1 - t0, t2 - t1, (t2 - t1) * 1e3 / np, rows, sum);
	/* brute force: the k best by a full scan, ties by lower id */
	for (int i = 0; i < np && i < brute; i++)
	{
		sr_match_topk_item best[10];
		int			nb = 0;

		for (int j = 0; j < nq; j++)
		{
			double		s = sr_match_pair_score(&p[i], &q[j], &w, NAN, NULL, 0, NULL);
			int			pos = nb;

			if (s <= 0)
				continue;
			/* ids grow with j: an equal score never passes an earlier one */
			while (pos > 0 && best[pos - 1].score < s)
				pos--;
			if (pos >= k)
				continue;
			if (nb < k)
				nb++;
			memmove(&best[pos + 1], &best[pos], sizeof(best[0]) * (nb - 1 - pos));
			best[pos].premise = j;
			best[pos].score = s;
		}
		if (nb != nout[i])
			bad++;
		else
			for (int r = 0; r < nb; r++)
				if (best[r].premise != out[(size_t) i * k + r].premise ||
					best[r].score != out[(size_t) i * k + r].score)
				{
					bad++;
					break;
				}
	}
	if (brute > 0)
		printf("brute force on %d projects: %d differ\n", brute < np ? brute : np, bad);
	sr_match_grid_free(g);
	return bad != 0;
}
