/*
 * maturity_core.c — timing of the pure C core alone (no SQL) on a synthetic
 * 36,359 x 36 matrix (20 % missing), for bench/maturity.sh.
 */
#include "sr_maturity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double
now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

int
main(void)
{
	enum
	{
		N = 36359, M = 36, NA = 9
	};
	static int	ax[M],
				dr[M],
				g[N],
				nr[N];
	static double iw[M],
				aw[NA],
				lo[M],
				hi[M],
				pop[N],
				sc[N],
				as[N * NA],
				cv[N],
				md[N],
				p5[N],
				p95[N];
	double	   *x = malloc(sizeof(double) * N * M);
	unsigned long long s = 1;
	sr_err		err;
	double		t0;

	for (int j = 0; j < M; j++)
	{
		ax[j] = j / 4;
		iw[j] = 0.25;
		lo[j] = 0;
		hi[j] = 100;
		dr[j] = (j % 9 == 5) ? -1 : 1;
	}
	for (int a = 0; a < NA; a++)
		aw[a] = 1.0 / NA;
	for (int t = 0; t < N; t++)
	{
		g[t] = t < 34969 ? 0 : (t < 36224 ? 1 : (t < 36333 ? 2 : 3));
		s = s * 6364136223846793005ULL + 1442695040888963407ULL;
		pop[t] = (double) (s >> 44);
		for (int j = 0; j < M; j++)
		{
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			x[t * M + j] = ((s >> 33) % 10 < 2) ? NAN : (double) ((s >> 40) % 120);
		}
	}
	{
		sr_mat_framework fw = {NA, M, ax, iw, aw, lo, hi, dr};
		sr_mat_data d = {N, x, g, 4, pop};
		sr_mat_options o = {SR_MAT_NORM_GOALPOSTS, SR_MAT_AGG_ARITHMETIC, SR_MAT_MISS_REWEIGHT};
		sr_mat_mc_options mc = {1000, 42, 0.25, 0xF, 0x3, 0x7, {0, 0, 0}, 0};

		t0 = now();
		sr_mat_score(&fw, &d, &o, sc, as, cv, NULL, &err);
		printf("RESULT maturity core_score_36359x36 %.4f s\n", now() - t0);
		t0 = now();
		sr_mat_uncertainty(&fw, &d, &mc, sc, nr, md, p5, p95, &err);
		printf("RESULT maturity core_mc_1000_runs %.3f s\n", now() - t0);
		mc.threads = 1;
		t0 = now();
		sr_mat_uncertainty(&fw, &d, &mc, sc, nr, md, p5, p95, &err);
		printf("RESULT maturity core_mc_1000_runs_1_thread %.3f s\n", now() - t0);
	}
	free(x);
	return 0;
}
