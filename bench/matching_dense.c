/*
 * matching_dense.c — benchmark of the core's optimal solver on a dense
 * n x n random score matrix (uniform in (0,1], seeded xorshift64*).  Writes
 * the matrix as raw float64 to argv[2] for scipy, then prints
 *   dense n <n> solve_s <t> lapjv_s <t> total <sum>
 * solve_s times sr_match_solve (edge list -> CSR -> LAPJV), lapjv_s the
 * LAPJV call alone on the cost matrix.
 */
#include "sr_matching.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int
main(int argc, char **argv)
{
	int			n = argc > 1 ? atoi(argv[1]) : 2000;
	const char *path = argc > 2 ? argv[2] : "/tmp/sr_dense.f64";
	uint64_t	x = 0x9E3779B97F4A7C15ULL;
	size_t		nn = (size_t) n * n;
	double	   *s = malloc(nn * sizeof(double)),
			   *c = malloc(nn * sizeof(double));
	int		   *er = malloc(nn * sizeof(int)),
			   *ec = malloc(nn * sizeof(int)),
			   *rc = malloc(n * sizeof(int));
	sr_match_problem pb;
	sr_match_solution sol;
	sr_err		err;
	double		t0,
				t1,
				t2,
				tot;
	FILE	   *f;

	for (size_t k = 0; k < nn; k++)
	{
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		s[k] = ((double) ((x * 2685821657736338717ULL) >> 11) + 1.0) / 9007199254740992.0;
		er[k] = (int) (k / n);
		ec[k] = (int) (k % n);
		c[k] = -s[k];
	}
	f = fopen(path, "wb");
	if (!f || fwrite(s, sizeof(double), nn, f) != nn)
		return 2;
	fclose(f);

	pb.n_rows = n;
	pb.n_cols = n;
	pb.n_edges = (int64_t) nn;
	pb.erow = er;
	pb.ecol = ec;
	pb.escore = s;
	pb.capacity = NULL;
	pb.row_id = NULL;
	pb.col_id = NULL;
	t0 = now();
	if (sr_match_solve(&pb, SR_ASSIGN_OPTIMAL, &sol, &err) != SR_OK)
	{
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	t1 = now();
	if (sr_match_lapjv(n, c, rc, &tot, &err) != SR_OK)
		return 1;
	t2 = now();
	printf("dense n %d solve_s %.4f lapjv_s %.4f total %.9f lapjv_total %.9f\n",
		   n, t1 - t0, t2 - t1, sol.total, -tot);
	return 0;
}
