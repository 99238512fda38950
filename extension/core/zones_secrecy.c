/*
 * zones_secrecy.c — statistical secrecy of a two-dimensional table with
 * margins: primary suppression (too few units, dominance, fiscal cells),
 * protection levels, secondary suppression (zones_secrecy_net.c) and the
 * attacker's exact audit.
 *
 * The attacker (docs/zones.md) knows every published cell, interior or
 * total, that rows and columns add up, that values are >= 0 and counts
 * >= 0, and that a non-empty cell (count >= 1) is non-empty; cells absent
 * from the table are structural zeros he knows.  His bounds on a suppressed
 * cell are those of the linear programme "min / max the cell subject to all
 * that"; on a two-way table with margins that programme is a network flow
 * problem, solved exactly here by maximum flow (sr_secrecy_audit).
 */
#include "zones_internal.h"
#include "zones_secrecy_net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
sr_secrecy_default_rules(sr_secrecy_rules *rules)
{
	sr_options_defaults(&sr_secrecy_optset, rules);
}

sr_status
sr_secrecy_check_rules(const sr_secrecy_rules *rules, sr_err *err)
{
	sr_secrecy_rules scratch = *rules;
	int			i;

	for (i = 0; i < sr_secrecy_optset.n; i++)
	{
		const sr_optspec *s = &sr_secrecy_optset.specs[i];
		double		v;
		sr_status	st;

		if (s->type != SR_OPT_NUMBER)
			continue;
		v = *(const double *) ((const char *) rules + s->offset);
		st = sr_option_set_number(&sr_secrecy_optset, s, &scratch, v, err);
		if (st != SR_OK)
			return st;
	}
	return SR_OK;
}

sr_status
sr_secrecy_check_cell(const char *row_key, const char *col_key, double n,
					  double value, double max_value, sr_err *err)
{
	if (!(n >= 0.0) || !isfinite(n) || !(value >= 0.0) || !isfinite(value))
		return sr_error(err, SR_EDATA, "cell (\"%s\", \"%s\") has a negative or non-finite n or value",
						row_key, col_key);
	/* a value is the sum of its units' values: with no unit, it is 0 */
	if (n == 0.0 && value > 0.0)
	{
		sr_error(err, SR_EINVAL, "cell (\"%s\", \"%s\") has a value but no units", row_key, col_key);
		sr_error_detail(err, "Its n is 0 and its value %.15g; a cell's value is the sum of its units' values, so a cell with no units has the value 0.",
						value);
		sr_error_hint(err, "Check how cells_sql counts n (a count of the wrong column, or of a join that lost the rows) and where the value comes from.");
		return err->status;
	}
	if (max_value > value * (1 + 1e-12) + 1e-12)
		return sr_error(err, SR_EDATA, "cell (\"%s\", \"%s\") has a max_value larger than its value",
						row_key, col_key);
	return SR_OK;
}

sr_status
sr_secrecy_read_cells(const sr_secrecy_rows *in, int R, int C,
					  const char *const *rk, const char *const *ck,
					  double *n, double *value, double *max_value, bool *fiscal,
					  bool *present, int64_t *duplicate, sr_err *err)
{
	int64_t		C1 = (int64_t) C + 1,
				dup = -1,
				big = -1,		/* first cell (key order) with a count above
								 * the limit, whose exact count is big_n */
				big_n = 0,
				total = 0;
	size_t		i;

	*duplicate = -1;
	/* 1. the structure: every row into its cell, every duplicate seen */
	for (i = 0; i < in->nrows; i++)
	{
		int64_t		cell = (int64_t) in->row[i] * C1 + in->col[i];

		if ((i & 4095) == 4095)
			sr_check_interrupts();
		if (present[cell])
		{
			if (dup < 0 || cell < dup)
				dup = cell;
			continue;
		}
		present[cell] = true;
		n[cell] = (double) in->n[i];
		value[cell] = in->value[i];
		max_value[cell] = in->max_value == NULL || (in->max_null && in->max_null[i]) ?
			0.0 : in->max_value[i];
		fiscal[cell] = in->fiscal != NULL && !(in->fiscal_null && in->fiscal_null[i]) && in->fiscal[i];
		/* a count past 2^53 is not exact in n: kept aside, exactly */
		if (in->n[i] > SR_SECRECY_MAX_COUNT && (big < 0 || cell < big))
		{
			big = cell;
			big_n = in->n[i];
		}
	}
	if (dup >= 0)
	{
		*duplicate = dup;
		sr_error(err, SR_EDATA, "cell (\"%s\", \"%s\") appears more than once in cells_sql",
				 rk[dup / C1], ck[dup % C1]);
		sr_error_detail(err, "A cell is one pair of row_key and col_key, listed once; of several listed more than once, the first in byte order of the keys is named.");
		sr_error_hint(err, "Aggregate cells_sql by row_key and col_key: a join that multiplies rows, or a GROUP BY on one more column, splits a cell over several rows.");
		return err->status;
	}
	/* 2. each cell, in key order */
	for (int r = 0; r < R; r++)
		for (int c = 0; c < C; c++)
		{
			int64_t		cell = (int64_t) r * C1 + c,
						raw;
			sr_status	st;

			if ((cell & 4095) == 4095)
				sr_check_interrupts();
			if (!present[cell])
				continue;
			st = sr_secrecy_check_cell(rk[r], ck[c], n[cell], value[cell], max_value[cell], err);
			if (st != SR_OK)
				return st;
			/* n >= 0 here; every count up to the limit is exact in n */
			raw = cell == big ? big_n : (int64_t) n[cell];
			if (raw > SR_SECRECY_MAX_COUNT || (total += raw) > SR_SECRECY_MAX_COUNT)
			{
				sr_error(err, SR_ERANGE, "the counts of cells_sql are too large: cell (\"%s\", \"%s\") has n = %lld",
						 rk[r], ck[c], (long long) raw);
				sr_error_detail(err, "The counts and their grand total must not exceed 2^53 (%lld).",
								(long long) SR_SECRECY_MAX_COUNT);
				return err->status;
			}
		}
	return SR_OK;
}

void
sr_secrecy_fill_margins(int R, int C, double *n, double *value,
						double *max_value, bool *fiscal)
{
	int			C1 = C + 1,
				r,
				c;

	for (r = 0; r <= R; r++)
		for (c = 0; c <= C; c++)
			if (r == R || c == C)
			{
				n[r * C1 + c] = 0.0;
				value[r * C1 + c] = 0.0;
				if (max_value)
					max_value[r * C1 + c] = 0.0;
				if (fiscal)
					fiscal[r * C1 + c] = false;
			}
	for (r = 0; r < R; r++)
		for (c = 0; c < C; c++)
		{
			int			i = r * C1 + c;
			int			targets[3] = {r * C1 + C, R * C1 + c, R * C1 + C};
			int			t;

			for (t = 0; t < 3; t++)
			{
				n[targets[t]] += n[i];
				value[targets[t]] += value[i];
				if (max_value && max_value[i] > max_value[targets[t]])
					max_value[targets[t]] = max_value[i];
				if (fiscal && fiscal[i])
					fiscal[targets[t]] = true;
			}
		}
}

void
sr_secrecy_levels(const sr_secrecy_rules *rules, uint8_t reason, double value,
				  double max_value, double *upper, double *lower)
{
	double		u = 0.0;

	if (reason & (SR_SECRET_R_MIN_UNITS | SR_SECRET_R_FISCAL))
		u = fmax(u, rules->protection_level * value);
	/* (1, k) dominance: the cell is safe once the attacker cannot exclude a
	 * total of max_value / k, where the largest unit is k of it */
	if (reason & SR_SECRET_R_DOMINANCE)
		u = fmax(u, max_value / rules->dominance - value);
	*upper = u;
	*lower = fmin(u, value);
}

double
sr_secrecy_cost(double n, double value, bool total, double grand_value)
{
	/* one per cell, then units, then value as a fraction of the table's
	 * (below one unit); totals count double */
	return (1.0 + n + value / (1.0 + fabs(grand_value))) * (total ? 2.0 : 1.0);
}

typedef struct sx_key
{
	const char *key;
	int32_t		first;			/* index in first-seen order */
} sx_key;

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(((const sx_key *) a)->key, ((const sx_key *) b)->key);
}

int32_t
sr_secrecy_index_keys(const char *const *keys, size_t n, int32_t *idx,
					  const char ***distinct)
{
	zstrmap		map;
	sx_key	   *d = NULL;
	int32_t    *rank = NULL;
	const char **out = NULL;
	int32_t		k = 0,
				j;
	size_t		i;

	if (!zstrmap_init(&map, n))
		return -1;
	d = sr_alloc(sizeof(sx_key) * (n ? n : 1));
	if (!d)
		goto nomem;
	for (i = 0; i < n; i++)
	{
		int32_t		v;

		if ((i & 4095) == 0)
			sr_check_interrupts();
		v = zstrmap_get_or_put(&map, keys[i], k);
		if (v < 0)
		{
			d[k].key = keys[i];
			d[k].first = k;
			v = k++;
		}
		idx[i] = v;
	}
	zstrmap_free(&map);
	qsort(d, k, sizeof(sx_key), cmp_key);
	rank = sr_alloc(sizeof(int32_t) * (k ? k : 1));
	out = sr_alloc(sizeof(char *) * (k ? k : 1));
	if (!rank || !out)
		goto nomem;
	for (j = 0; j < k; j++)
	{
		rank[d[j].first] = j;
		out[j] = d[j].key;
	}
	for (i = 0; i < n; i++)
	{
		if ((i & 4095) == 0)
			sr_check_interrupts();
		idx[i] = rank[idx[i]];
	}
	sr_free(d);
	sr_free(rank);
	*distinct = out;
	return k;
nomem:
	zstrmap_free(&map);
	sr_free(d);
	sr_free(rank);
	sr_free(out);
	return -1;
}

sr_status
sr_secrecy_protect(int R, int C, const double *n, const double *value,
				   const double *max_value, const bool *fiscal, const bool *present,
				   const sr_secrecy_rules *rules, uint8_t *status,
				   uint8_t *reason, sr_err *err)
{
	return sr_secrecy_protect_units(R, C, n, NULL, value, max_value, fiscal,
									present, rules, status, reason, err);
}

sr_status
sr_secrecy_protect_units(int R, int C, const double *n, const double *units,
						 const double *value, const double *max_value,
						 const bool *fiscal, const bool *present,
						 const sr_secrecy_rules *rules, uint8_t *status,
						 uint8_t *reason, sr_err *err)
{
	int			R1 = R + 1,
				C1 = C + 1,
				ncell,
				i;
	bool	   *pres = NULL;
	double	   *lb = NULL,
			   *cost = NULL,
			   *upl = NULL,
			   *lpl = NULL;
	double		grand;
	sxnet		N;
	sr_status	st;

	memset(&N, 0, sizeof(N));
	if (R < 1 || C < 1)
		return sr_error(err, SR_EINVAL, "a secrecy table needs at least one row and one column");
	if ((double) R1 * (double) C1 > 5.0e7)
		return sr_error(err, SR_ERANGE, "secrecy table of %d x %d cells is too large", R, C);
	st = sr_secrecy_check_rules(rules, err);
	if (st != SR_OK)
		return st;
	ncell = R1 * C1;
	grand = value[R * C1 + C];

	pres = sr_alloc((size_t) ncell * sizeof(bool));
	lb = sr_alloc((size_t) ncell * sizeof(double));
	cost = sr_alloc((size_t) ncell * sizeof(double));
	upl = sr_alloc((size_t) ncell * sizeof(double));
	lpl = sr_alloc((size_t) ncell * sizeof(double));
	if (!pres || !lb || !cost || !upl || !lpl)
		goto nomem;

	/* primary suppression, on interior cells and margins alike */
	for (i = 0; i < ncell; i++)
	{
		bool		total = i / C1 == R || i % C1 == C;
		uint8_t		why = 0;
		double		u = units ? units[i] : n[i];

		if ((i & 65535) == 0)
			sr_check_interrupts();
		if (!(n[i] >= 0.0) || !isfinite(n[i]) || !(value[i] >= 0.0) || !isfinite(value[i]) ||
			!(u >= 0.0) || !isfinite(u))
		{
			st = sr_error(err, SR_EDATA, "secrecy cell %d has a negative or non-finite count or value", i);
			goto out;
		}
		if (n[i] == 0.0 && value[i] > 0.0)
		{
			st = sr_error(err, SR_EINVAL, "secrecy cell %d has a value but no units", i);
			goto out;
		}
		/* the rules count units (enterprises); the network below protects
		 * the published counts n */
		if (u > 0.0)
		{
			if (u < rules->min_units)
				why |= SR_SECRET_R_MIN_UNITS;
			if (max_value && value[i] > 0.0 && max_value[i] > rules->dominance * value[i])
				why |= SR_SECRET_R_DOMINANCE;
			if (fiscal && fiscal[i] && u < rules->fiscal_min_units)
				why |= SR_SECRET_R_FISCAL;
		}
		reason[i] = why;
		status[i] = why ? SR_SECRET_PRIMARY : SR_SECRET_PUBLISHED;
		pres[i] = total || n[i] > 0.0 || value[i] > 0.0 || (present && present[i]);
		lb[i] = n[i] >= 1.0 ? 1.0 : 0.0;
		cost[i] = sr_secrecy_cost(n[i], value[i], total, grand);
		sr_secrecy_levels(rules, why, value[i], max_value ? max_value[i] : 0.0, &upl[i], &lpl[i]);
	}

	if (!sx_build(&N, R, C, n, value, lb, NULL, pres, status, cost, upl, lpl, true))
		goto nomem;
	st = sx_protect(&N, err);
	if (st == SR_OK)
	{
		int32_t		h;

		for (h = 0; h < N.ncells; h++)
			status[N.ext[h]] = N.st[h];
	}
	goto out;
nomem:
	st = sr_error(err, SR_ENOMEM, "out of memory in statistical secrecy");
out:
	sx_free(&N);
	sr_free(pres);
	sr_free(lb);
	sr_free(cost);
	sr_free(upl);
	sr_free(lpl);
	return st;
}

int
sr_secrecy_audit(int R, int C, const double *values, const double *lower,
				 const bool *present, const uint8_t *status, bool integer,
				 uint8_t *recoverable, double *lo, double *hi)
{
	int			ncell = (R + 1) * (C + 1),
				i,
				count = 0;
	int32_t		h;
	sxnet		N;

	if (!sx_build(&N, R, C, values, values, lower, lower, present, status,
				  NULL, NULL, NULL, false))
	{
		sx_free(&N);
		return -1;
	}
	for (i = 0; i < ncell; i++)
	{
		recoverable[i] = 0;
		if (lo)
			lo[i] = values[i];
		if (hi)
			hi[i] = values[i];
	}
	for (h = 0; h < N.ncells; h++)
	{
		int			e = N.ext[h];
		double		up,
					down,
					l,
					u;
		bool		rec;

		if (N.st[h] == SR_SECRET_PUBLISHED)
			continue;
		sr_check_interrupts();
		up = sx_max_move(&N, h, 0, true);
		down = sx_max_move(&N, h, 0, false);
		if (isnan(up) || isnan(down))
		{
			count = -1;			/* out of memory */
			break;
		}
		l = values[e] - down;
		u = values[e] + up;
		if (integer)
			rec = isfinite(u) && floor(u + 1e-9) <= ceil(l - 1e-9);
		else
			rec = u - l <= 1e-9 * fmax(1.0, fabs(values[e]));
		recoverable[e] = rec;
		count += rec;
		if (lo)
			lo[e] = l;
		if (hi)
			hi[e] = u;
	}
	sx_free(&N);
	return count;
}
