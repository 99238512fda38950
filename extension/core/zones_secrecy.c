/*
 * zones_secrecy.c — statistical secrecy of a two-dimensional table with
 * margins: primary suppression (too few units, dominance, fiscal cells),
 * secondary suppression to a fixed point, and an audit that plays the
 * attacker who knows every published cell and margin.
 *
 * The extended table has (R+1) x (C+1) cells (row R = column totals,
 * column C = row totals).  Each extended row and column is one linear
 * equation "total = sum of parts".  Changing the signs of the margin cells
 * turns the system into "every row and column sums to zero", whose
 * suppressed-cell unknowns are the edges of a bipartite graph (row nodes,
 * column nodes); an unknown is determined by the published cells exactly
 * when its edge is a bridge of that graph (it lies on no cycle).  When all
 * suppressed cells are positive, a cycle can move +-t along its alternating
 * cells, so a non-bridge cell also has a non-degenerate interval; the audit
 * checks intervals by bound propagation as well, for zero cells.
 */
#include "zones_internal.h"

#include <math.h>
#include <string.h>

void
sr_secrecy_default_rules(sr_secrecy_rules *rules)
{
	rules->min_units = 3.0;
	rules->dominance = 0.85;
	rules->fiscal_min_units = 11.0;
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

/* ---- audit: bridges of the suppressed-cell graph ----------------------- */

typedef struct bridge_state
{
	int			R1,
				C1;
	const uint8_t *sup;
	int		   *disc,
			   *low;
	int			time;
	uint8_t    *bridge;			/* per cell */
} bridge_state;

/* Node v: 0..R1-1 rows, R1..R1+C1-1 columns; the edge to the parent is
 * identified by its cell index (no parallel edges exist). */
static void
bridge_dfs(bridge_state *b, int v, int parent_cell)
{
	int			k,
				deg;

	b->disc[v] = b->low[v] = ++b->time;
	deg = v < b->R1 ? b->C1 : b->R1;
	for (k = 0; k < deg; k++)
	{
		int			cell,
					w;

		if (v < b->R1)
		{
			cell = v * b->C1 + k;
			w = b->R1 + k;
		}
		else
		{
			cell = k * b->C1 + (v - b->R1);
			w = k;
		}
		if (!b->sup[cell] || cell == parent_cell)
			continue;
		if (b->disc[w] == 0)
		{
			bridge_dfs(b, w, cell);
			if (b->low[w] < b->low[v])
				b->low[v] = b->low[w];
			if (b->low[w] > b->disc[v])
				b->bridge[cell] = 1;
		}
		else if (b->disc[w] < b->low[v])
			b->low[v] = b->disc[w];
	}
}

/* Bound propagation over the equations "total = sum of parts". */
static void
propagate_bounds(int R, int C, const double *v, const uint8_t *sup,
				 double *lo, double *hi)
{
	int			R1 = R + 1,
				C1 = C + 1,
				ncell = R1 * C1,
				pass,
				e,
				i;

	for (i = 0; i < ncell; i++)
	{
		lo[i] = sup[i] ? 0.0 : v[i];
		hi[i] = sup[i] ? INFINITY : v[i];
	}
	for (pass = 0; pass < 100; pass++)
	{
		bool		changed = false;

		/* equations 0..R are rows, R+1..R+1+C are columns */
		for (e = 0; e < R1 + C1; e++)
		{
			bool		isrow = e < R1;
			int			line = isrow ? e : e - R1;
			int			nparts = isrow ? C : R;
			int			tot = isrow ? line * C1 + C : R * C1 + line;
			double		slo = 0.0,
						shi = 0.0;
			int			ninf = 0,
						k;

			for (k = 0; k < nparts; k++)
			{
				int			p = isrow ? line * C1 + k : k * C1 + line;

				slo += lo[p];
				if (isinf(hi[p]))
					ninf++;
				else
					shi += hi[p];
			}
			/* the total */
			if (slo > lo[tot] + 1e-12)
			{
				lo[tot] = slo;
				changed = true;
			}
			if (ninf == 0 && shi < hi[tot] - 1e-12)
			{
				hi[tot] = shi;
				changed = true;
			}
			/* each part */
			for (k = 0; k < nparts; k++)
			{
				int			p = isrow ? line * C1 + k : k * C1 + line;
				double		olo = slo - lo[p];
				int			oinf = ninf - (isinf(hi[p]) ? 1 : 0);
				double		ohi = shi - (isinf(hi[p]) ? 0.0 : hi[p]);
				double		nhi = hi[tot] - olo;

				if (!sup[p])
					continue;
				if (nhi < hi[p] - 1e-12)
				{
					hi[p] = nhi;
					changed = true;
				}
				if (oinf == 0)
				{
					double		nlo = lo[tot] - ohi;

					if (nlo > lo[p] + 1e-12)
					{
						lo[p] = nlo;
						changed = true;
					}
				}
			}
		}
		if (!changed)
			break;
	}
}

int
sr_secrecy_audit(int R, int C, const double *values, const uint8_t *status,
				 bool integer, uint8_t *recoverable, double *lo_out, double *hi_out)
{
	int			R1 = R + 1,
				C1 = C + 1,
				ncell = R1 * C1,
				i,
				count = 0;
	bridge_state b;
	uint8_t    *sup = sr_alloc0((size_t) ncell);
	double	   *lo = sr_alloc((size_t) ncell * sizeof(double));
	double	   *hi = sr_alloc((size_t) ncell * sizeof(double));

	memset(&b, 0, sizeof(b));
	b.disc = sr_alloc0((size_t) (R1 + C1) * sizeof(int));
	b.low = sr_alloc0((size_t) (R1 + C1) * sizeof(int));
	b.bridge = sr_alloc0((size_t) ncell);
	if (!sup || !lo || !hi || !b.disc || !b.low || !b.bridge)
	{
		count = -1;
		goto out;
	}
	for (i = 0; i < ncell; i++)
		sup[i] = status[i] != SR_SECRET_PUBLISHED;
	b.R1 = R1;
	b.C1 = C1;
	b.sup = sup;
	for (i = 0; i < R1 + C1; i++)
		if (b.disc[i] == 0)
			bridge_dfs(&b, i, -1);
	propagate_bounds(R, C, values, sup, lo, hi);
	for (i = 0; i < ncell; i++)
	{
		bool		rec = false;

		if (sup[i])
		{
			double		tol = 1e-9 * fmax(1.0, fabs(values[i]));

			if (b.bridge[i] || hi[i] - lo[i] <= tol)
				rec = true;
			else if (integer && !isinf(hi[i]) &&
					 floor(hi[i] + 1e-9) == ceil(lo[i] - 1e-9))
				rec = true;
		}
		recoverable[i] = rec;
		count += rec;
		if (lo_out)
			lo_out[i] = sup[i] ? (b.bridge[i] ? values[i] : lo[i]) : values[i];
		if (hi_out)
			hi_out[i] = sup[i] ? (b.bridge[i] ? values[i] : hi[i]) : values[i];
	}
out:
	sr_free(sup);
	sr_free(lo);
	sr_free(hi);
	sr_free(b.disc);
	sr_free(b.low);
	sr_free(b.bridge);
	return count;
}

/* ---- protection ------------------------------------------------------------ */

/* Cheapest published cell of an extended row (isrow) or column: interior
 * cells before margins, non-zero before zero, then fewest units, smallest
 * value, lowest index.  -1 when every member is suppressed. */
static int
cheapest_published(int R, int C, bool isrow, int line, const double *n,
				   const double *value, const uint8_t *status)
{
	int			C1 = C + 1,
				len = isrow ? C + 1 : R + 1,
				k,
				best = -1;
	double		bkey[4] = {0, 0, 0, 0};

	for (k = 0; k < len; k++)
	{
		int			cell = isrow ? line * C1 + k : k * C1 + line;
		int			r = cell / C1,
					c = cell % C1;
		double		key[4];
		int			t;

		if (status[cell] != SR_SECRET_PUBLISHED)
			continue;
		key[0] = (r == R || c == C) ? 1.0 : 0.0;
		key[1] = n[cell] > 0.0 ? 0.0 : 1.0;
		key[2] = n[cell];
		key[3] = value[cell];
		for (t = 0; t < 4; t++)
			if (best < 0 || key[t] != bkey[t])
				break;
		if (best < 0 || (t < 4 && key[t] < bkey[t]))
		{
			best = cell;
			memcpy(bkey, key, sizeof(key));
		}
	}
	return best;
}

sr_status
sr_secrecy_protect(int R, int C, const double *n, const double *value,
				   const double *max_value, const bool *fiscal,
				   const sr_secrecy_rules *rules, uint8_t *status,
				   uint8_t *reason, sr_err *err)
{
	int			R1 = R + 1,
				C1 = C + 1,
				ncell,
				i,
				round;
	uint8_t    *rec_n = NULL,
			   *rec_v = NULL,
			   *row_done = NULL;

	if (R < 1 || C < 1)
		return sr_error(err, SR_EINVAL, "a secrecy table needs at least one row and one column");
	if ((double) R1 * (double) C1 > 5.0e7)
		return sr_error(err, SR_ERANGE, "secrecy table of %d x %d cells is too large", R, C);
	ncell = R1 * C1;

	/* primary suppression, on interior cells and margins alike */
	for (i = 0; i < ncell; i++)
	{
		uint8_t		why = 0;

		if (!(n[i] >= 0.0) || !isfinite(value[i]))
			return sr_error(err, SR_EDATA, "secrecy cell %d has a negative or non-finite count or value", i);
		if (n[i] > 0.0)
		{
			if (n[i] < rules->min_units)
				why |= SR_SECRET_R_MIN_UNITS;
			if (max_value && value[i] > 0.0 && max_value[i] > rules->dominance * value[i])
				why |= SR_SECRET_R_DOMINANCE;
			if (fiscal && fiscal[i] && n[i] < rules->fiscal_min_units)
				why |= SR_SECRET_R_FISCAL;
		}
		reason[i] = why;
		status[i] = why ? SR_SECRET_PRIMARY : SR_SECRET_PUBLISHED;
	}

	rec_n = sr_alloc((size_t) ncell);
	rec_v = sr_alloc((size_t) ncell);
	row_done = sr_alloc((size_t) R1);
	if (rec_n == NULL || rec_v == NULL || row_done == NULL)
		goto nomem;

	/* secondary suppression to a fixed point; each round adds cells, so at
	 * most ncell rounds */
	for (round = 0; round <= ncell; round++)
	{
		bool		added = false;
		int			e,
					nrec;

		/* (1) no equation with exactly one suppressed member */
		for (e = 0; e < R1 + C1; e++)
		{
			bool		isrow = e < R1;
			int			line = isrow ? e : e - R1,
						len = isrow ? C1 : R1,
						k,
						nsup = 0;

			for (k = 0; k < len; k++)
			{
				int			cell = isrow ? line * C1 + k : k * C1 + line;

				nsup += status[cell] != SR_SECRET_PUBLISHED;
			}
			if (nsup == 1)
			{
				int			cell = cheapest_published(R, C, isrow, line, n, value, status);

				if (cell >= 0)
				{
					status[cell] = SR_SECRET_SECONDARY;
					added = true;
				}
			}
		}
		if (added)
			continue;

		/* (2) the attacker's audit, on counts and on values */
		nrec = sr_secrecy_audit(R, C, n, status, true, rec_n, NULL, NULL);
		if (nrec < 0)
			goto nomem;
		i = sr_secrecy_audit(R, C, value, status, false, rec_v, NULL, NULL);
		if (i < 0)
			goto nomem;
		nrec += i;
		if (nrec == 0)
			break;
		/* one fix per extended row and round (several recoverable cells of a
		 * row are usually fixed by the same new cycle) */
		memset(row_done, 0, (size_t) R1);
		for (i = 0; i < ncell; i++)
		{
			int			cell;

			if ((!rec_n[i] && !rec_v[i]) || row_done[i / C1])
				continue;
			row_done[i / C1] = 1;
			cell = cheapest_published(R, C, true, i / C1, n, value, status);
			if (cell < 0)
				cell = cheapest_published(R, C, false, i % C1, n, value, status);
			if (cell >= 0)
			{
				status[cell] = SR_SECRET_SECONDARY;
				added = true;
			}
		}
		if (!added)
		{
			/* rows and columns of the recoverable cells are all suppressed:
			 * take the cheapest published cell of the whole table */
			int			best = -1,
						r;

			for (r = 0; r < R1; r++)
			{
				int			cell = cheapest_published(R, C, true, r, n, value, status);

				if (cell >= 0 && (best < 0 ||
								  ((cell / C1 == R || cell % C1 == C) ? 1 : 0) <
								  ((best / C1 == R || best % C1 == C) ? 1 : 0) ||
								  n[cell] < n[best]))
					best = cell;
			}
			if (best >= 0)
			{
				status[best] = SR_SECRET_SECONDARY;
				added = true;
			}
		}
		if (!added)
		{
			/* everything is suppressed and still recoverable: cannot happen,
			 * a complete bipartite graph of 2 x 2 nodes or more has cycles */
			sr_free(rec_n);
			sr_free(rec_v);
			sr_free(row_done);
			return sr_error(err, SR_EINTERNAL, "secondary suppression could not protect the table");
		}
	}
	sr_free(rec_n);
	sr_free(rec_v);
	sr_free(row_done);
	return SR_OK;
nomem:
	sr_free(rec_n);
	sr_free(rec_v);
	sr_free(row_done);
	return sr_error(err, SR_ENOMEM, "out of memory in statistical secrecy");
}
