/*
 * test_maturity.c — unit tests of the digital-maturity core, no server.
 *
 * The small framework used throughout (values computed by hand, see
 * docs/maturity.md "Worked example"):
 *   axis A (weight 0.5): i0 goalposts [0, 100] higher is better (w 0.5)
 *                        i1 goalposts [0, 10]  lower is better  (w 0.5)
 *   axis B (weight 0.5): i2 declarative 1-5                      (w 1)
 *   T0 = (50, 2, 3)  T1 = (120, 12, 5)  T2 = (0, NaN, 1)  T3 = (NaN, NaN, NaN)
 */
#include "sr_test.h"
#include "sr_maturity.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int axis3[3] = {0, 0, 1};
static const double iw3[3] = {0.5, 0.5, 1.0};
static const double aw2[2] = {0.5, 0.5};
static const double lo3[3] = {0, 0, 1};
static const double hi3[3] = {100, 10, 5};
static const int dir3[3] = {1, -1, 1};

static sr_mat_framework
fw3(void)
{
	sr_mat_framework fw = {2, 3, axis3, iw3, aw2, lo3, hi3, dir3};

	return fw;
}

static double X4[12];
static const double pop4[4] = {1000, 100000, 1200, 900};

static sr_mat_data
data4(void)
{
	sr_mat_data d = {4, X4, NULL, 1, pop4};
	double		v[12] = {50, 2, 3, 120, 12, 5, 0, NAN, 1, NAN, NAN, NAN};

	memcpy(X4, v, sizeof(v));
	return d;
}

static double
score_of(sr_mat_norm norm, sr_mat_agg agg, sr_mat_missing miss, int t,
		 double *cov)
{
	sr_mat_framework fw = fw3();
	sr_mat_data d = data4();
	sr_mat_options o = {norm, agg, miss};
	double		sc[4],
				cv[4];
	sr_err		err;

	sr_err_clear(&err);
	if (sr_mat_score(&fw, &d, &o, sc, NULL, cv, NULL, &err) != SR_OK)
		return -1.0;
	if (cov)
		*cov = cv[t];
	return sc[t];
}

/* splitmix64-based LCG for the property tests (not the MC generator) */
static unsigned long long lcg_state = 12345;
static double
frand(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double) (lcg_state >> 11) * 0x1.0p-53;
}

/* ---- the data around a score: helpers ---- */

/* territories of the worked example: communes A, B (EPCI 0, département 0,
 * région 0 and 1), C, D; the EPCI, two départements "69" and "35", and
 * département and région both coded "53" */
static const int terr_type[9] = {0, 0, 0, 0, 1, 2, 2, 2, 3};
static const char *const terr_code[9] = {"69001", "69002", "35001", "35002", "200000001",
"69", "35", "53", "53"};

static sr_mat_index *
example_index(void)
{
	sr_mat_index *ix = NULL;
	sr_err		err;

	sr_err_clear(&err);
	sr_mat_index_build(9, terr_type, terr_code, &ix, &err);
	return ix;
}

static const char *const ind3[3] = {"i0", "i1", "i2"};
static const char *const kind3[3] = {"quantitative", "quantitative", "declarative"};

static int
test_data(void)
{
	sr_err		err;

	/* ---- territory types, framework sizes, roll-up rules ---- */
	SR_CHECK(sr_mat_type_index("commune") == 0 && sr_mat_type_index("region") == 3 &&
			 sr_mat_type_index("city") == -1 && sr_mat_type_index(NULL) == -1,
			 "territory types in group order");
	sr_err_clear(&err);
	SR_CHECK(sr_mat_framework_sizes("nope", 0, 0, &err) == SR_ENOTFOUND &&
			 strcmp(err.msg, "maturity framework \"nope\" does not exist or has no axis") == 0,
			 "framework without axis: 42704");
	SR_CHECK(sr_mat_framework_sizes("big", 65, 65, &err) == SR_EINVAL &&
			 strstr(err.msg, "has 65 axes, at most 64") != NULL, "65 axes refused");
	SR_CHECK(sr_mat_framework_sizes("f", 2, 0, &err) == SR_EINVAL &&
			 strstr(err.msg, "has no indicator") != NULL, "no indicator refused");
	SR_CHECK(sr_mat_framework_sizes("f", 64, 1, &err) == SR_OK, "64 axes accepted");
	{
		sr_mat_rollup_rule r = SR_MAT_ROLLUP_MAX;

		SR_CHECK(sr_mat_rollup_rule_parse("population_weighted_mean", &r, &err) == SR_OK &&
				 r == SR_MAT_ROLLUP_POP_MEAN, "rollup population_weighted_mean");
		SR_CHECK(sr_mat_rollup_rule_parse("max", &r, &err) == SR_OK && r == SR_MAT_ROLLUP_MAX,
				 "rollup max");
		SR_CHECK(sr_mat_rollup_rule_parse("median", &r, &err) == SR_EINVAL &&
				 strstr(err.msg, "\"median\"") != NULL, "rollup median refused");
	}

	/* ---- the index: the same code under two types, and brute force ---- */
	{
		sr_mat_index *ix = example_index();
		enum
		{
			NR = 3000
		};
		static char codes[NR][8];
		static const char *cp[NR];
		static int ty[NR];
		int			ok = 1;

		SR_CHECK(ix != NULL, "index built");
		SR_CHECK(sr_mat_index_find(ix, 2, "53") == 7 && sr_mat_index_find(ix, 3, "53") == 8,
				 "département 53 and région 53 are two territories");
		SR_CHECK(sr_mat_index_find(ix, 0, "53") == -1 && sr_mat_index_find(ix, 1, "69001") == -1,
				 "a code under another type is unknown");
		SR_CHECK(sr_mat_index_find(ix, -1, "69001") == -1 && sr_mat_index_find(ix, 0, NULL) == -1,
				 "unknown type or NULL code: -1");
		sr_mat_index_free(ix);
		/* random codes of 2 to 5 digits under random types, against a linear search */
		for (int i = 0; i < NR; i++)
		{
			snprintf(codes[i], sizeof(codes[i]), "%d", (int) (frand() * 2000));
			cp[i] = codes[i];
			ty[i] = (int) (frand() * 4);
		}
		sr_mat_index_build(NR, ty, cp, &ix, &err);
		for (int q = 0; q < 4000; q++)
		{
			char		c[8];
			int			t = (int) (frand() * 4),
						want = -1;

			snprintf(c, sizeof(c), "%d", (int) (frand() * 2000));
			for (int i = 0; i < NR; i++)
				if (ty[i] == t && strcmp(codes[i], c) == 0)
					want = i;	/* a key seen twice: the later row */
			if (sr_mat_index_find(ix, t, c) != want)
				ok = 0;
		}
		SR_CHECK(ok, "index = linear search on 3000 random keys (4000 queries)");
		sr_mat_index_free(ix);
	}

	/* ---- where values come from, and which year wins ---- */
	SR_CHECK(sr_mat_indicator_table("quantitative", NULL) == SR_MAT_FROM_VALUES &&
			 sr_mat_indicator_table("declarative", NULL) == SR_MAT_FROM_ANSWERS &&
			 sr_mat_indicator_table("declarative", "f") == SR_MAT_FROM_PLUGIN,
			 "values, answers, or the plugin whatever the kind");
	{
		sr_mat_index *ix = example_index();
		sr_mat_values v;
		const char *src;

		SR_CHECK(sr_mat_values_init(&v, ix, 9, 3, ind3, kind3, NULL, 0, &err) == SR_OK, "values init");
		/* the rows of sql/maturity.sql, in a shuffled order */
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69001", 2020, 10, "test old");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69001", 2023, 50, "test");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69001", 2021, 30, "test 2021");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69001", 2023, 55, "test dup");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "99999", 2023, 70, "unknown");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i9", "commune", "69001", 2023, 70, "unknown");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69001", 2023, NAN, "nan");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69001", 2023, 2, "test");
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69002", 2023, 90, "test");
		/* a declarative indicator in the value table: not its source */
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i2", "commune", "69001", 2023, 1, "wrong table");
		sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69001", 2023, 2, "survey, 2023");
		sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69001", 2020, 5, "survey 2020");
		sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69001", 2023, 4, "survey");
		sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69001", 2023, 3, "survey, 2023");
		/* an older year first, then a newer one replaces its answers */
		sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69002", 2020, 1, "old");
		sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69002", 2023, 5, "survey");
		/* a quantitative indicator in the answer table: not its source */
		sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i0", "commune", "35001", 2023, 3, "wrong table");
		sr_mat_values_finish(&v);
		SR_CHECK(v.x[0] == 50 && v.year[0] == 2023, "A i0: the latest year (50 in 2023), the first row of a year");
		SR_CHECK(v.x[1] == 2, "A i1: NaN row skipped");
		SR_CHECK_CLOSE(v.x[2], 3.0, 1e-12, "A i2: mean of the 2023 answers (2, 4, 3)");
		SR_CHECK(v.x[3] == 90 && isnan(v.x[4]), "B i0 = 90, B i1 missing");
		SR_CHECK(v.x[5] == 5 && v.year[5] == 2023, "B i2: the 2023 answer replaces 2020's");
		SR_CHECK(isnan(v.x[6]), "C i0: an answer is not a quantitative value");
		src = sr_mat_values_source(&v, 0, 50, SR_MAT_MISS_REWEIGHT);
		SR_CHECK(src && strcmp(src, "test") == 0, "A i0 source: the latest year's only");
		src = sr_mat_values_source(&v, 2, 50, SR_MAT_MISS_REWEIGHT);
		SR_CHECK(src && strcmp(src, "survey, 2023, survey") == 0,
				 "A i2 sources: distinct, in the order read (\"survey\" is not part of \"survey, 2023\")");
		sr_mat_values_free(&v);

		/* the detail row is C; sources of imputed and missing values */
		sr_mat_values_init(&v, ix, 9, 3, ind3, kind3, NULL, 2, &err);
		sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "35001", 2023, 0, "test");
		sr_mat_values_finish(&v);
		SR_CHECK(strcmp(sr_mat_values_source(&v, 0, 0, SR_MAT_MISS_MEAN), "test") == 0, "C i0 source");
		SR_CHECK(strcmp(sr_mat_values_source(&v, 1, 40, SR_MAT_MISS_MEAN),
						"imputed: mean of the territory type") == 0, "C i1 imputed by the mean");
		SR_CHECK(strcmp(sr_mat_values_source(&v, 1, 80, SR_MAT_MISS_PEER), "imputed: nearest peer") == 0,
				 "C i1 imputed by a peer");
		SR_CHECK(sr_mat_values_source(&v, 2, NAN, SR_MAT_MISS_REWEIGHT) == NULL, "C i2: no source");
		sr_mat_values_free(&v);

		/* a plugin indicator takes only its plugin's rows */
		{
			const char *plug[3] = {"mt_plugin", NULL, NULL};

			sr_mat_values_init(&v, ix, 9, 3, ind3, kind3, plug, 0, &err);
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69001", 2023, 50, "test");
			sr_mat_values_add_plugin(&v, 0, "commune", "69001", 100, 0);
			sr_mat_values_add_plugin(&v, 0, "commune", "69002", NAN, 0);
			sr_mat_values_add_plugin(&v, 0, NULL, "35001", 50, 0);
			sr_mat_values_add_plugin(&v, 0, "commune", "35002", 25, 2021);
			sr_mat_values_add_plugin(&v, 1, "commune", "69001", 7, 0);
			sr_mat_values_finish(&v);
			SR_CHECK(v.x[0] == 100 && v.year[0] == 0, "plugin value, year unknown without a year");
			SR_CHECK(isnan(v.x[3]) && isnan(v.x[6]), "NaN value and NULL type skipped");
			SR_CHECK(v.x[9] == 25 && v.year[9] == 2021, "plugin value of the year asked");
			SR_CHECK(isnan(v.x[1]), "a plugin row for an indicator without plugin is ignored");
			SR_CHECK(strcmp(sr_mat_values_source(&v, 0, 100, SR_MAT_MISS_REWEIGHT), "plugin mt_plugin") == 0,
					 "plugin source");
			sr_mat_values_free(&v);
		}

		/* rows keyed by a part of a current commune (commune_part: a former
		 * commune, a municipal arrondissement) are its commune's of today;
		 * hand-worked (docs/maturity.md, "Where values come from") */
		{
			const char *const pcode[7] = {"69381", "69382", "69383", "69384", "35099", "35002", "44999"};
			const char *const pcom[7] = {"69001", "69001", "69002", "69002", "35001", "35001", "99999"};

			sr_mat_values_init(&v, ix, 9, 3, ind3, kind3, NULL, 2, &err);
			SR_CHECK(sr_mat_values_parts(&v, 7, pcode, pcom, &err) == SR_OK && v.nparts == 5,
					 "parts: a current commune's code (35002) and an unknown commune's part are left out");
			/* A i0: a part's 2023 value, then the commune's own of 2021, which wins */
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69381", 2023, 80, "arr");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69001", 2021, 30, "own");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "69382", 2024, 90, "arr");
			/* A i1: two parts' values of its latest year: no value (an older one is not taken) */
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69381", 2023, 4, "arr");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69381", 2020, 1, "arr");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69382", 2023, 6, "arr");
			/* A i2: answers pooled with the commune's own of the latest year: (2 + 4) / 2 */
			sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69001", 2023, 2, "own");
			sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69381", 2023, 4, "arr");
			sr_mat_values_add(&v, SR_MAT_FROM_ANSWERS, "i2", "commune", "69382", 2022, 5, "arr");
			/* B i1: two parts in 2023, then one in 2024: the 2024 value */
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69383", 2023, 3, "arr");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69384", 2023, 5, "arr");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "69384", 2024, 8, "arr");
			/* C i0, i1: a former commune's values, the latest year */
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "35099", 2019, 40, "census");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "35099", 2018, 10, "census 2018");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "commune", "35099", 2020, 7, NULL);
			/* D's own code, listed as a part, stays D's; a part of no known commune is ignored;
			 * a part code under another type is not a commune's */
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "35002", 2023, 12, "own");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i0", "commune", "44999", 2023, 99, "lost");
			sr_mat_values_add(&v, SR_MAT_FROM_VALUES, "i1", "epci", "35099", 2023, 99, "wrong type");
			sr_mat_values_finish(&v);
			SR_CHECK(v.x[0] == 30 && v.year[0] == 2021, "part: the commune's own value wins, whatever the year");
			SR_CHECK(isnan(v.x[1]) && v.year[1] == 0, "parts: two values of the latest year are no value");
			SR_CHECK_CLOSE(v.x[2], 3.0, 1e-12, "part: answers pooled with the commune's own");
			SR_CHECK(v.x[4] == 8 && v.year[4] == 2024, "parts: a later year of one part gives the value");
			SR_CHECK(v.x[6] == 40 && v.year[6] == 2019 && v.x[7] == 7, "former commune: its latest value");
			SR_CHECK(v.x[9] == 12 && isnan(v.x[10]), "a current commune's code stays its own");
			src = sr_mat_values_source(&v, 0, 40, SR_MAT_MISS_REWEIGHT);
			SR_CHECK(src && strcmp(src, "census (commune part 35099)") == 0, "part: the source names the code");
			sr_mat_values_free(&v);
		}
		sr_mat_index_free(ix);
	}

	/* ---- roll-up (docs/maturity.md worked example) ---- */
	{
		/* rows: A, B (EPCI 1, dép 69, région 84), C, D (dép 35), EPCI 1,
		 * dép 69, dép 35, région 84 */
		const int	ty[8] = {0, 0, 0, 0, 1, 2, 2, 3};
		const double pop[8] = {1000, 100000, 1200, NAN, 101000, 0, 0, 0};
		const int	par[24] = {4, 5, 7, 4, 5, 7, -1, 6, -1, -1, 6, -1,
		-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
		const sr_mat_rollup_rule rule[3] = {SR_MAT_ROLLUP_POP_MEAN, SR_MAT_ROLLUP_MIN, SR_MAT_ROLLUP_MEAN};
		const sr_mat_rollup_rule rmax[3] = {SR_MAT_ROLLUP_MAX, SR_MAT_ROLLUP_MAX, SR_MAT_ROLLUP_MAX};
		const double x[24] = {50, 2, 3, 90, 12, 5, 0, NAN, 1, 40, NAN, NAN,
		NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};
		double		px[24];
		int			communes_nan = 1;

		SR_CHECK(sr_mat_rollup(8, 3, ty, pop, par, rule, x, px, &err) == SR_OK, "rollup ok");
		SR_CHECK_CLOSE(px[12], (1000 * 50 + 100000 * 90) / 101000.0, 1e-9,
					   "EPCI 1 i0: population-weighted (1000 x 50 + 100000 x 90) / 101000");
		SR_CHECK(px[13] == 2, "EPCI 1 i1: min(2, 12)");
		SR_CHECK_CLOSE(px[14], 4.0, 1e-12, "EPCI 1 i2: mean(3, 5)");
		SR_CHECK_CLOSE(px[18], 1200 * 0 / 1200.0, 1e-12,
					   "dép 35 i0: D has no population, weight 0: C's value (0)");
		SR_CHECK(isnan(px[19]), "dép 35 i1: no commune has it: NaN");
		SR_CHECK_CLOSE(px[21], (1000 * 50 + 100000 * 90) / 101000.0, 1e-9, "région 84 i0 = EPCI's");
		for (int c = 0; c < 12; c++)
			if (!isnan(px[c]))
				communes_nan = 0;
		SR_CHECK(communes_nan, "communes get no rolled-up value");
		{
			/* without any population: the plain mean */
			const double nopop[8] = {NAN, 0, NAN, NAN, NAN, NAN, NAN, NAN};

			sr_mat_rollup(8, 3, ty, nopop, par, rule, x, px, &err);
			SR_CHECK_CLOSE(px[12], 70.0, 1e-12, "no population: plain mean of 50 and 90");
			SR_CHECK_CLOSE(px[15], 70.0, 1e-12, "dép 69 likewise");
			sr_mat_rollup(8, 3, ty, pop, par, rmax, x, px, &err);
			SR_CHECK(px[12] == 90 && px[13] == 12 && px[14] == 5, "max rule");
		}
	}

	/* ---- contributions ---- */
	{
		sr_mat_framework fw = fw3();
		double		row[3] = {50, 80, 50},
					row2[3] = {0, NAN, 0},
					w[3],
					c[3],
					sum = 0;
		int			ok = 1;

		sr_mat_contributions(&fw, row, 57.5, SR_MAT_AGG_ARITHMETIC, w, c);
		SR_CHECK(w[0] == 0.25 && w[1] == 0.25 && w[2] == 0.5, "weights 0.5 x 0.5, 0.5 x 0.5, 0.5 x 1");
		SR_CHECK(c[0] == 12.5 && c[1] == 20 && c[2] == 25, "contributions 12.5 + 20 + 25 = 57.5");
		sr_mat_contributions(&fw, row2, 0, SR_MAT_AGG_ARITHMETIC, w, c);
		SR_CHECK(w[0] == 0.5 && w[1] == 0 && w[2] == 0.5 && isnan(c[1]),
				 "a missing indicator: its axis partner takes the axis weight");
		/* property: the contributions sum to the score, both aggregations */
		for (int rep = 0; rep < 500; rep++)
			for (int g = 0; g < SR_MAT_AGG_COUNT; g++)
			{
				double		z[3],
							score;

				for (int j = 0; j < 3; j++)
					z[j] = frand() < 0.2 ? NAN : frand() * 100;
				score = sr_mat_aggregate_row(&fw, z, NULL, NULL, g, NULL);
				if (isnan(score))
					continue;
				sr_mat_contributions(&fw, z, score, g, w, c);
				sum = 0;
				for (int j = 0; j < 3; j++)
					sum += isnan(c[j]) ? 0 : c[j];
				if (fabs(sum - score) > 1e-9)
					ok = 0;
			}
		SR_CHECK(ok, "contributions sum to the score (500 random rows, arithmetic and geometric)");
	}

	/* ---- arguments of the entry points, read with the option specs ---- */
	{
		sr_mat_eval_args a;
		char		longhub[80];
		unsigned	mask = 0;
		const char *ok2[2] = {"goalposts", "rank"},
				   *withnull[2] = {"mean", NULL},
				   *bad[1] = {"median"};

		SR_CHECK(sr_mat_eval_args_read(NULL, NULL, NULL, NULL, NULL, &a, &err) == SR_OK &&
				 a.opt.norm == SR_MAT_NORM_GOALPOSTS && a.opt.agg == SR_MAT_AGG_ARITHMETIC &&
				 a.opt.missing == SR_MAT_MISS_REWEIGHT && strcmp(a.hub, "hub") == 0 &&
				 a.territory_type == -1, "defaults: goalposts, arithmetic, reweight, hub, every type");
		SR_CHECK(sr_mat_eval_args_read("zscore", "geometric", "peer", "", "epci", &a, &err) == SR_OK &&
				 a.opt.norm == SR_MAT_NORM_ZSCORE && a.opt.agg == SR_MAT_AGG_GEOMETRIC &&
				 a.opt.missing == SR_MAT_MISS_PEER && strcmp(a.hub, "") == 0 &&
				 a.territory_type == 1, "named methods; an empty hub stays empty (no hub, refused by the glue), not the default");
		SR_CHECK(sr_mat_eval_args_read("log", NULL, NULL, "h", NULL, &a, &err) == SR_EINVAL &&
				 strcmp(err.msg, "invalid value \"log\" for option \"normalisation\"") == 0 &&
				 strcmp(err.hint, "Accepted values: goalposts, minmax, zscore and rank.") == 0,
				 "bad normalisation: the options' message");
		SR_CHECK(sr_mat_eval_args_read(NULL, NULL, NULL, "h", "city", &a, &err) == SR_EINVAL &&
				 strstr(err.msg, "\"territory_type\"") != NULL, "bad territory type");
		memset(longhub, 'h', 64);
		longhub[64] = '\0';
		SR_CHECK(sr_mat_eval_args_read(NULL, NULL, NULL, longhub, NULL, &a, &err) == SR_EINVAL,
				 "a hub name of 64 bytes refused");
		SR_CHECK(sr_mat_methods_mask("normalisations", ok2, 2, &mask, &err) == SR_OK &&
				 mask == ((1u << SR_MAT_NORM_GOALPOSTS) | (1u << SR_MAT_NORM_RANK)), "mask of goalposts, rank");
		SR_CHECK(sr_mat_methods_mask("missing_methods", withnull, 2, &mask, &err) == SR_EINVAL &&
				 strstr(err.msg, "non-empty array of strings") != NULL, "NULL method refused");
		SR_CHECK(sr_mat_methods_mask("aggregations", bad, 0, &mask, &err) == SR_EINVAL, "empty list refused");
		SR_CHECK(sr_mat_methods_mask("aggregations", bad, 1, &mask, &err) == SR_EINVAL &&
				 strstr(err.msg, "\"median\"") != NULL, "unknown method refused");
	}

	/* ---- Monte-Carlo options checked before reading ---- */
	{
		sr_mat_mc_options mc = {10, 1, 0.25, 1, 1, 1, {0, 0, 0}, 1};

		SR_CHECK(sr_mat_mc_check(&mc, &err) == SR_OK, "mc options ok");
		mc.runs = 0;
		SR_CHECK(sr_mat_mc_check(&mc, &err) == SR_ERANGE, "0 runs refused");
		mc.runs = 10;
		mc.weight_noise = 1.0;
		SR_CHECK(sr_mat_mc_check(&mc, &err) == SR_ERANGE, "noise 1 refused");
		mc.weight_noise = NAN;
		SR_CHECK(sr_mat_mc_check(&mc, &err) == SR_ERANGE, "noise NaN refused");
		mc.weight_noise = 0;
		mc.agg_mask = 0;
		SR_CHECK(sr_mat_mc_check(&mc, &err) == SR_EINVAL, "empty aggregation mask refused");
	}

	/*
	 * ---- the memory of a Monte-Carlo analysis (smartregion.max_call_memory)
	 * counted by hand from sr_mat_uncertainty's allocations: 10 territories
	 * in 4 groups, 3 indicators, 2 axes, 5 runs, 4 normalisations, peer
	 * imputation, 1 thread (LP64: a 112-byte mc_worker, 16-byte sc_pair):
	 *   runs x (4 x 10 ranks + 4 x 64 blk + 4 list + 4 combo + 8 x (3 + 2)
	 *           weights) = 5 x 344 = 1720;  tmp 4 x max(5, 10) = 40;
	 *   values and mask 2 x 8 x 30 = 480;  normalised 4 x 8 x (30 + 4 x 3)
	 *   = 1344;  donors 4 x 30 = 120;  the thread 112 + 8 x 10 + 2 x 16 x 10
	 *   + 4 x 65537 + 4 x 5 = 262680;  inv, perm, axis_start, gstart 4 x
	 *   (6 + 3 + 5) = 56.  Sum 266440.
	 * ----
	 */
	{
		sr_mat_mc_options mc = {5, 1, 0.25, 0xFu, 1, 1u << SR_MAT_MISS_PEER, {0, 0, 0}, 1};

		if (sizeof(void *) == 8)
			SR_CHECK(sr_mat_mc_bytes(10, 3, 2, 4, &mc) == 266440.0, "mc bytes: 266440 by hand (LP64)");
		{
			double		b5 = sr_mat_mc_bytes(10, 3, 2, 4, &mc);

			mc.runs = 6;
			SR_CHECK(sr_mat_mc_bytes(10, 3, 2, 4, &mc) - b5 == 344.0, "mc bytes: a run more is 344 bytes");
			mc.runs = 5;
			mc.norm_mask = 1u;
			mc.missing_mask = 1u;
			SR_CHECK(b5 - sr_mat_mc_bytes(10, 3, 2, 4, &mc) == 3 * 336.0 + 120.0,
					 "mc bytes: 3 normalisations fewer and no donors is 1128 bytes less");
			/* at the core's limit of 250 million territory-runs the ranks
			 * alone are 1e9 bytes: what the setting must cover */
			mc.runs = 7143;
			SR_CHECK(sr_mat_mc_bytes(35000, 60, 6, 4, &mc) > 4.0 * 35000 * 7143,
					 "mc bytes: 35,000 communes x 7,143 runs holds more than its 1e9 bytes of ranks");
		}
	}
	/* the hub data held with the runs, by hand: 3 régions, 3 indicators,
	 * 57 bytes of text: 20 x 10 + 4 x 16 + 77 x 3 + 57 = 552; 36,359
	 * communes of 30 indicators, 900 former communes, 800,000 bytes of
	 * text: 20 x 1,090,771 + 4 x 131,072 (2 x 36,359 + 1 = 72,719 -> 2^17)
	 * + 77 x 36,359 + 16 x 900 + 800,000 = 21,815,420 + 524,288 + 2,799,643
	 * + 14,400 + 800,000 = 25,953,751 */
	SR_CHECK(sr_mat_data_bytes(3, 3, 0, 57) == 552.0, "hub data bytes: 552 for 3 régions by hand");
	SR_CHECK(sr_mat_data_bytes(36359, 30, 900, 800000) == 25953751.0,
			 "hub data bytes: 25,953,751 for the communes by hand");
	return 0;
}

int
main(void)
{
	sr_err		err;
	double		cov;

	SR_TEST_BEGIN();

	/* ---- goalposts ---- */
	SR_CHECK_CLOSE(sr_mat_goalpost(50, 0, 100, 1), 50, 1e-12, "goalpost middle");
	SR_CHECK_CLOSE(sr_mat_goalpost(120, 0, 100, 1), 100, 1e-12, "goalpost clamps above");
	SR_CHECK_CLOSE(sr_mat_goalpost(-5, 0, 100, 1), 0, 1e-12, "goalpost clamps below");
	SR_CHECK_CLOSE(sr_mat_goalpost(2, 0, 10, -1), 80, 1e-12, "goalpost lower is better");
	SR_CHECK_CLOSE(sr_mat_goalpost(3, 1, 5, 1), 50, 1e-12, "declarative 3 of 1-5 = 50");
	SR_CHECK(isnan(sr_mat_goalpost(NAN, 0, 1, 1)), "goalpost keeps NaN");

	/* ---- population classes: each bound belongs to the class above it ---- */
	{
		static const struct { int64_t pop; int known; const char *cls; } pc[] = {
			{0, 1, "0-1999"}, {1999, 1, "0-1999"}, {2000, 1, "2000-9999"}, {9999, 1, "2000-9999"},
			{10000, 1, "10000-49999"}, {49999, 1, "10000-49999"}, {50000, 1, "50000-199999"},
			{199999, 1, "50000-199999"}, {200000, 1, "200000-999999"}, {999999, 1, "200000-999999"},
			{1000000, 1, "1000000+"}, {INT64_MAX, 1, "1000000+"}, {-5, 1, "0-1999"}, {0, 0, "unknown"}};
		int			ok = 1;

		for (size_t i = 0; i < sizeof(pc) / sizeof(pc[0]); i++)
			ok &= strcmp(sr_mat_population_class(pc[i].pop, pc[i].known), pc[i].cls) == 0;
		SR_CHECK(ok, "population classes at and around every bound, unknown when not known");
	}

	/* ---- arithmetic + re-weighting (hand-computed) ---- */
	SR_CHECK_CLOSE(score_of(0, 0, 0, 0, &cov), 57.5, 1e-9, "T0 goalposts arithmetic = ((50+80)/2 + 50)/2");
	SR_CHECK_CLOSE(cov, 1.0, 1e-12, "T0 coverage 1");
	SR_CHECK_CLOSE(score_of(0, 0, 0, 1, NULL), 75.0, 1e-9, "T1 clamped: ((100+0)/2 + 100)/2");
	SR_CHECK_CLOSE(score_of(0, 0, 0, 2, &cov), 0.0, 1e-9, "T2 re-weighted");
	SR_CHECK_CLOSE(cov, 2.0 / 3.0, 1e-12, "T2 coverage 2/3");
	SR_CHECK(isnan(score_of(0, 0, 0, 3, &cov)), "T3 no data: NaN");
	SR_CHECK_CLOSE(cov, 0.0, 1e-12, "T3 coverage 0");

	/* ---- min-max, z-score, rank ---- */
	SR_CHECK_CLOSE(score_of(SR_MAT_NORM_MINMAX, 0, 0, 0, NULL), 60.416666666666667, 1e-9,
				   "T0 min-max: ((50/120*100 + 100)/2 + 50)/2");
	SR_CHECK_CLOSE(score_of(SR_MAT_NORM_MINMAX, 0, 0, 1, NULL), 75.0, 1e-9, "T1 min-max");
	SR_CHECK_CLOSE(score_of(SR_MAT_NORM_ZSCORE, 0, 0, 0, NULL), 53.602262115434506, 1e-9,
				   "T0 z-score 50+50z/3 (population sd)");
	SR_CHECK_CLOSE(score_of(SR_MAT_NORM_RANK, 0, 0, 0, NULL), 62.5, 1e-9,
				   "T0 percentile ranks (50, 100, 50)");
	SR_CHECK_CLOSE(score_of(SR_MAT_NORM_RANK, 0, 0, 1, NULL), 75.0, 1e-9,
				   "T1 percentile ranks (100, 0, 100): ((100+0)/2 + 100)/2");
	{
		/* rank ties: (1, 1, 3) -> average ranks 1.5, 1.5, 3 -> 25, 25, 100 */
		static const int ax1[1] = {0};
		static const double w1[1] = {1.0},
					aw1[1] = {1.0},
					l1[1] = {0},
					h1[1] = {10};
		static const int d1[1] = {1};
		sr_mat_framework f1 = {1, 1, ax1, w1, aw1, l1, h1, d1};
		double		x[3] = {1, 1, 3},
					z[3];
		sr_mat_data dd = {3, x, NULL, 1, NULL};

		sr_err_clear(&err);
		SR_CHECK(sr_mat_normalise(&f1, &dd, SR_MAT_NORM_RANK, z, &err) == SR_OK, "rank ok");
		SR_CHECK_CLOSE(z[0], 25, 1e-12, "tie rank 1");
		SR_CHECK_CLOSE(z[1], 25, 1e-12, "tie rank 2");
		SR_CHECK_CLOSE(z[2], 100, 1e-12, "top rank");
		/* min-max with all values equal gives the neutral 50 */
		x[2] = 1;
		SR_CHECK(sr_mat_normalise(&f1, &dd, SR_MAT_NORM_MINMAX, z, &err) == SR_OK, "minmax ok");
		SR_CHECK_CLOSE(z[2], 50, 1e-12, "min-max constant column = 50");
		SR_CHECK(sr_mat_normalise(&f1, &dd, SR_MAT_NORM_ZSCORE, z, &err) == SR_OK, "z ok");
		SR_CHECK_CLOSE(z[0], 50, 1e-12, "z-score constant column = 50");
		/* groups are normalised separately */
		{
			double		xg[4] = {0, 10, 100, 200};
			int			g[4] = {0, 0, 1, 1};
			double		zg[4];
			sr_mat_data dg = {4, xg, g, 2, NULL};

			SR_CHECK(sr_mat_normalise(&f1, &dg, SR_MAT_NORM_MINMAX, zg, &err) == SR_OK, "groups ok");
			SR_CHECK(zg[0] == 0 && zg[1] == 100 && zg[2] == 0 && zg[3] == 100, "min-max within each group");
		}
	}

	/* ---- geometric ---- */
	SR_CHECK_CLOSE(score_of(0, SR_MAT_AGG_GEOMETRIC, 0, 0, NULL), 56.253084185056515, 1e-9,
				   "T0 geometric: sqrt(sqrt(51*81)*51) - 1");
	SR_CHECK_CLOSE(score_of(0, SR_MAT_AGG_GEOMETRIC, 0, 2, NULL), 0.0, 1e-9,
				   "zeros: shifted geometric mean of 0s is 0");
	{
		/* a zero does not annihilate: values 0 and 99, equal weights -> sqrt(1*100)-1 = 9 */
		static const int ax[2] = {0, 0};
		static const double w[2] = {0.5, 0.5},
					aw[1] = {1.0},
					l[2] = {0, 0},
					h[2] = {100, 100};
		static const int dr[2] = {1, 1};
		sr_mat_framework f = {1, 2, ax, w, aw, l, h, dr};
		double		row[2] = {0, 99};

		SR_CHECK_CLOSE(sr_mat_aggregate_row(&f, row, NULL, NULL, SR_MAT_AGG_GEOMETRIC, NULL), 9.0, 1e-9,
					   "geometric with a zero = 9");
		SR_CHECK_CLOSE(sr_mat_aggregate_row(&f, row, NULL, NULL, SR_MAT_AGG_ARITHMETIC, NULL), 49.5, 1e-12,
					   "arithmetic = 49.5");
	}

	/* ---- imputation ---- */
	SR_CHECK_CLOSE(score_of(0, 0, SR_MAT_MISS_MEAN, 2, NULL), 10.0, 1e-9,
				   "T2 mean imputation: i1 = mean(80, 0) = 40 -> (0+40)/2/2");
	SR_CHECK_CLOSE(score_of(0, 0, SR_MAT_MISS_MEAN, 3, NULL), 47.5, 1e-9,
				   "T3 all means: ((50+40)/2 + 50)/2");
	SR_CHECK_CLOSE(score_of(0, 0, SR_MAT_MISS_PEER, 2, NULL), 20.0, 1e-9,
				   "T2 nearest peer is T0 (i1 = 80)");
	SR_CHECK_CLOSE(score_of(0, 0, SR_MAT_MISS_PEER, 3, NULL), 57.5, 1e-9,
				   "T3 takes the closest population (T0) for everything");
	SR_CHECK_CLOSE(score_of(0, 0, SR_MAT_MISS_MEAN, 0, NULL), 57.5, 1e-9,
				   "imputation leaves complete rows alone");

	/* ---- levels and ranks ---- */
	{
		double		lb[5] = {0, 20, 40, 60, 80};
		double		sc[5] = {57.5, 75, 0, NAN, 75};
		int			rk[5];

		SR_CHECK(sr_mat_level(57.5, lb, 5) == 3, "level 3");
		SR_CHECK(sr_mat_level(80, lb, 5) == 5, "level 5 at bound");
		SR_CHECK(sr_mat_level(0, lb, 5) == 1, "level 1 at 0");
		SR_CHECK(sr_mat_level(NAN, lb, 5) == 0, "no level for NaN");
		SR_CHECK(sr_mat_rank(sc, NULL, 5, 1, rk, &err) == SR_OK, "rank ok");
		SR_CHECK(rk[0] == 3 && rk[1] == 1 && rk[4] == 1 && rk[2] == 4 && rk[3] == 0,
				 "competition ranks 1,1,3,4 and 0 for NaN");
	}
	{
		/* one score summed in two orders: (97.69 + 88.18) + 94.33 and (94.33 +
		 * 88.18) + 97.69, each over 3, differ in their last bit; they are tied
		 * (they were ranked 2 and 1). A chain 50, 50 - 0.6e-9, 50 - 1.2e-9 behind
		 * them: each within the tolerance of its neighbour, the first better than
		 * the third by more: ranks 3, 3, 4 (1 + the scores better by more than
		 * 1e-9), and 10 is 6th */
		double		a = 97.69 / 3 + 88.18 / 3,
					b = 94.33 / 3 + 88.18 / 3,
					sc[6] = {a + 94.33 / 3, 50, b + 97.69 / 3, 50 - 0.6e-9, 50 - 1.2e-9, 10};
		int			rk[6];
		sr_err		err2;

		sr_err_clear(&err2);
		SR_CHECK(sc[0] != sc[2], "the two sums differ in their last bits");
		SR_CHECK(sr_mat_rank(sc, NULL, 6, 1, rk, &err2) == SR_OK, "rank ok");
		SR_CHECK(rk[0] == 1 && rk[2] == 1, "the same score summed in two orders is tied");
		SR_CHECK(rk[1] == 3 && rk[3] == 3 && rk[4] == 4 && rk[5] == 6,
				 "ranks are 1 + the scores better by more than the tolerance");
	}

	/* ---- gain ---- */
	{
		sr_mat_framework fw = fw3();
		double		row[3] = {50, 80, 50},
					work[3];

		SR_CHECK_CLOSE(sr_mat_gain(&fw, row, 2, SR_MAT_AGG_ARITHMETIC, work), 25.0, 1e-9, "gain i2");
		SR_CHECK_CLOSE(sr_mat_gain(&fw, row, 1, SR_MAT_AGG_ARITHMETIC, work), 5.0, 1e-9, "gain i1");
	}

	/* ---- validation errors ---- */
	{
		sr_mat_framework fw = fw3();
		double		badw[2] = {0.5, 0.4},
					badhi[3] = {100, 0, 5},
					badiw[3] = {0.5, 0.6, 1.0};

		fw.axis_weight = badw;
		sr_err_clear(&err);
		SR_CHECK(sr_mat_validate(&fw, &err) == SR_EINVAL && strstr(err.msg, "axis weights sum to 0.9") != NULL,
				 "axis weights summing to 0.9 rejected");
		fw = fw3();
		fw.ind_weight = badiw;
		SR_CHECK(sr_mat_validate(&fw, &err) == SR_EINVAL && strstr(err.msg, "axis 1") != NULL,
				 "indicator weights summing to 1.1 rejected");
		fw = fw3();
		fw.goal_hi = badhi;
		SR_CHECK(sr_mat_validate(&fw, &err) == SR_EINVAL && strstr(err.msg, "min < max") != NULL,
				 "goalposts min = max rejected");
		fw = fw3();
		SR_CHECK(sr_mat_validate(&fw, &err) == SR_OK, "good framework accepted");
	}

	/* ---- invariants on random data: 6 axes x 4 indicators, 300 territories ---- */
	{
		enum
		{
			NA = 6, NI = 24, NT = 300
		};
		int			ax[NI],
					dr[NI];
		double		iw[NI],
					aw[NA],
					lo[NI],
					hi[NI];
		double	   *x = malloc(sizeof(double) * NT * NI);
		double	   *z = malloc(sizeof(double) * NT * NI);
		double		sc[NT],
					sc2[NT],
					cv[NT];
		int			ok_range = 1,
					ok_mono = 1,
					ok_mean = 1;

		for (int j = 0; j < NI; j++)
		{
			ax[j] = j / 4;
			iw[j] = 0.25;
			lo[j] = 0;
			hi[j] = 10 + j;
			dr[j] = (j % 3 == 0) ? -1 : 1;
		}
		for (int a = 0; a < NA; a++)
			aw[a] = 1.0 / NA;
		{
			sr_mat_framework fw = {NA, NI, ax, iw, aw, lo, hi, dr};
			sr_mat_data d = {NT, x, NULL, 1, NULL};

			/* complete data, equal weights: score = plain mean of normalised values */
			for (int c = 0; c < NT * NI; c++)
				x[c] = frand() * 40 - 5;
			for (int k = 0; k < SR_MAT_NORM_COUNT; k++)
			{
				sr_mat_options o = {k, SR_MAT_AGG_ARITHMETIC, SR_MAT_MISS_REWEIGHT};

				SR_CHECK(sr_mat_score(&fw, &d, &o, sc, NULL, cv, z, &err) == SR_OK, "random score ok");
				for (int t = 0; t < NT; t++)
				{
					double		s = 0;

					for (int j = 0; j < NI; j++)
						s += z[t * NI + j];
					if (fabs(s / NI - sc[t]) > 1e-9)
						ok_mean = 0;
				}
			}
			SR_CHECK(ok_mean, "equal weights + complete data = plain mean (all normalisations)");

			/* with 20 % missing: scores stay in [0, 100] for every method */
			for (int c = 0; c < NT * NI; c++)
				if (frand() < 0.2)
					x[c] = NAN;
			for (int k = 0; k < SR_MAT_NORM_COUNT; k++)
				for (int g = 0; g < SR_MAT_AGG_COUNT; g++)
					for (int mm = 0; mm < SR_MAT_MISS_COUNT; mm++)
					{
						sr_mat_options o = {k, g, mm};

						if (sr_mat_score(&fw, &d, &o, sc, NULL, NULL, NULL, &err) != SR_OK)
							ok_range = 0;
						for (int t = 0; t < NT; t++)
							if (!isnan(sc[t]) && (sc[t] < 0 || sc[t] > 100))
								ok_range = 0;
					}
			SR_CHECK(ok_range, "scores in [0, 100] for all 24 method combinations");

			/* monotone: raising a positive indicator never lowers the score */
			for (int rep = 0; rep < 200; rep++)
			{
				int			t = (int) (frand() * NT),
							j = 1 + 3 * (int) (frand() * 7);	/* j % 3 != 0: positive */
				double		old = x[t * NI + j];

				for (int g = 0; g < SR_MAT_AGG_COUNT; g++)
				{
					sr_mat_options o = {SR_MAT_NORM_GOALPOSTS, g, SR_MAT_MISS_REWEIGHT};

					if (isnan(old))
						continue;
					sr_mat_score(&fw, &d, &o, sc, NULL, NULL, NULL, &err);
					x[t * NI + j] = old + frand() * 5;
					sr_mat_score(&fw, &d, &o, sc2, NULL, NULL, NULL, &err);
					x[t * NI + j] = old;
					if (sc2[t] < sc[t] - 1e-12)
						ok_mono = 0;
				}
			}
			SR_CHECK(ok_mono, "increasing a positive indicator never lowers the score");

			/* ---- Monte Carlo ---- */
			{
				sr_mat_mc_options mc;
				double		ns[NT],
							md[NT],
							p5[NT],
							p95[NT],
							md2[NT],
							p52[NT],
							p952[NT];
				int			nr[NT],
							nr2[NT];
				int			same = 1,
							ordered = 1,
							zero_noise = 1;
				double		diff = 0;

				mc.runs = 500;
				mc.seed = 42;
				mc.weight_noise = 0.25;
				mc.norm_mask = 0xF;
				mc.agg_mask = 0x3;
				mc.missing_mask = 0x7;
				mc.nominal.norm = SR_MAT_NORM_GOALPOSTS;
				mc.nominal.agg = SR_MAT_AGG_ARITHMETIC;
				mc.nominal.missing = SR_MAT_MISS_REWEIGHT;
				mc.threads = 0;
				SR_CHECK(sr_mat_uncertainty(&fw, &d, &mc, ns, nr, md, p5, p95, &err) == SR_OK, "mc ok");
				SR_CHECK(sr_mat_uncertainty(&fw, &d, &mc, ns, nr2, md2, p52, p952, &err) == SR_OK, "mc ok 2");
				for (int t = 0; t < NT; t++)
				{
					if (md[t] != md2[t] || p5[t] != p52[t] || p95[t] != p952[t] || nr[t] != nr2[t])
						same = 0;
					if (!(p5[t] <= md[t] && md[t] <= p95[t] && p5[t] >= 1 && p95[t] <= NT))
						ordered = 0;
				}
				SR_CHECK(same, "same seed, same result");
				/* one thread or two: the same result */
				mc.threads = 1;
				sr_mat_uncertainty(&fw, &d, &mc, ns, nr2, md2, p52, p952, &err);
				mc.threads = 2;
				sr_mat_uncertainty(&fw, &d, &mc, ns, nr, md, p5, p95, &err);
				mc.threads = 0;
				for (int t = 0; t < NT; t++)
					if (md[t] != md2[t] || p5[t] != p52[t] || p95[t] != p952[t])
						same = 0;
				SR_CHECK(same, "1 or 2 threads: same result");
				SR_CHECK(ordered, "1 <= p05 <= median <= p95 <= n");

				/* a different seed converges to nearly the same median ranks */
				mc.runs = 2000;
				sr_mat_uncertainty(&fw, &d, &mc, ns, nr, md, p5, p95, &err);
				mc.seed = 7;
				sr_mat_uncertainty(&fw, &d, &mc, ns, nr, md2, p52, p952, &err);
				for (int t = 0; t < NT; t++)
					diff += fabs(md[t] - md2[t]);
				SR_CHECK(diff / NT < 2.0, "2000 runs: mean |median rank(seed 42) - median rank(seed 7)| < 2");

				/* no noise, nominal choices only: every run = nominal */
				mc.runs = 50;
				mc.weight_noise = 0;
				mc.norm_mask = 1;
				mc.agg_mask = 1;
				mc.missing_mask = 1;
				sr_mat_uncertainty(&fw, &d, &mc, ns, nr, md, p5, p95, &err);
				for (int t = 0; t < NT; t++)
					if (md[t] != nr[t] || p5[t] != nr[t] || p95[t] != nr[t])
						zero_noise = 0;
				SR_CHECK(zero_noise, "zero noise: median = p05 = p95 = nominal rank");

				mc.runs = 0;
				SR_CHECK(sr_mat_uncertainty(&fw, &d, &mc, ns, nr, md, p5, p95, &err) == SR_ERANGE,
						 "runs = 0 rejected");
			}
		}
		free(x);
		free(z);
	}

	/* ---- PRNG: splitmix64(0) first output is 0xe220a8397b1dcdaf (Vigna) ---- */
	{
		sr_rng		r,
					r2;
		int			inrange = 1;

		sr_rng_seed(&r, 0);
		SR_CHECK(r.s[0] == 0xe220a8397b1dcdafULL, "splitmix64 reference value");
		sr_rng_seed(&r, 42);
		sr_rng_seed(&r2, 42);
		for (int i = 0; i < 1000; i++)
		{
			double		u = sr_rng_uniform(&r);

			if (u < 0 || u >= 1 || u != sr_rng_uniform(&r2))
				inrange = 0;
		}
		SR_CHECK(inrange, "uniform in [0,1) and reproducible");
	}

	/* ---- radar SVG ---- */
	{
		const char *labels[9] = {"Innovation lab", "E-administration", "Open data",
			"Digital infrastructure", "Smart city", "Services to residents",
		"Inclusion & mediation", "Business <support>", "Digital economy"};
		double		v[9] = {10, 20, 30, 40, 50, 60, 70, 80, NAN};
		double		p[9] = {50, 50, 50, 50, 50, 50, 50, 50, 50};
		char	   *svg = NULL;

		SR_CHECK(sr_mat_radar_svg(9, labels, v, p, "Lyon", "Lyon", "peers' median", &svg, &err) == SR_OK, "svg ok");
		SR_CHECK(svg && strncmp(svg, "<?xml", 5) == 0 && strstr(svg, "</svg>\n") != NULL, "svg document");
		SR_CHECK(svg && strstr(svg, "&amp; mediation") != NULL, "ampersand escaped");
		SR_CHECK(svg && strstr(svg, "Business &lt;support&gt;") != NULL, "angle brackets escaped");
		SR_CHECK(svg && strstr(svg, "peers&apos; median") != NULL, "apostrophe escaped");
		SR_CHECK(svg && strstr(svg, ">n/a<") != NULL, "missing axis labelled n/a");
		SR_CHECK(svg && strstr(svg, "stroke-dasharray=\"6 4\"") != NULL, "peer series drawn");
		free(svg);
		SR_CHECK(sr_mat_radar_svg(2, labels, v, p, "x", NULL, NULL, &svg, &err) == SR_EINVAL, "2 axes rejected");
	}

	test_data();
	return SR_TEST_END();
}
