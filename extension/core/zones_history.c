/*
 * zones_history.c — a zone redrawn between two releases (docs/zones.md,
 * "Earlier contours"): the establishments its current contour counts and an
 * earlier contour did not, or the other way round, are what the two
 * releases' difference gives away; the published view withholds the zone
 * unless each of those two sets would pass the primary rules as a table of
 * its own.
 */
#include "zones_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

sr_status
sr_zones_difference_publishable(const double *units, const double *value, const double *max_value,
								long estabs, bool fiscal, const sr_secrecy_rules *rules,
								bool *publishable, sr_err *err)
{
	*publishable = true;
	if (estabs <= 0)
		return SR_OK;			/* an empty difference tells of no one */
	for (int c = 0; c <= SR_ZONES_NSECTIONS; c++)
	{
		if (units[c] <= 0.0)
			continue;
		/* the primary rules of a cell (sr_secrecy_protect's): few units, one
		 * dominant, fewer than fiscal_min_units in fiscal data */
		if (units[c] < rules->min_units || (fiscal && units[c] < rules->fiscal_min_units) ||
			max_value[c] > rules->dominance * value[c])
		{
			*publishable = false;
			return SR_OK;
		}
	}
	/* its jobs, a difference of two published zone totals, must not give its
	 * bands away either (the zones' own test, sr_zones_bands_protected) */
	if (rules->bands)
		return sr_zones_bands_protected(estabs, value[SR_ZONES_NSECTIONS], value[SR_ZONES_NSECTIONS],
										rules->dominance, publishable, err);
	return SR_OK;
}

/* an establishment of a side: its section, enterprise and jobs */
typedef struct hrow
{
	int			sec;
	int64_t		ent;
	double		jobs;
} hrow;

static int
cmp_hrow(const void *a, const void *b)
{
	const hrow *x = a,
			   *y = b;

	if (x->sec != y->sec)
		return (x->sec > y->sec) - (x->sec < y->sec);
	return (x->ent > y->ent) - (x->ent < y->ent);
}

/* The cells of one side (rows[0..n)): units, jobs and largest enterprise per
 * section and in total (index SR_ZONES_NSECTIONS); the rows are sorted. */
static void
side_cells(hrow *rows, size_t n, double *units, double *value, double *max_value)
{
	const int	T = SR_ZONES_NSECTIONS;
	size_t		i = 0;

	memset(units, 0, (T + 1) * sizeof(double));
	memset(value, 0, (T + 1) * sizeof(double));
	memset(max_value, 0, (T + 1) * sizeof(double));
	/* by section, then enterprise: each run is one enterprise of a cell */
	qsort(rows, n, sizeof(hrow), cmp_hrow);
	while (i < n)
	{
		size_t		j = i;
		double		e = 0.0;

		while (j < n && rows[j].sec == rows[i].sec && rows[j].ent == rows[i].ent)
			e += rows[j++].jobs;
		units[rows[i].sec] += 1.0;
		value[rows[i].sec] += e;
		max_value[rows[i].sec] = fmax(max_value[rows[i].sec], e);
		i = j;
	}
	/* the total: an enterprise in two sections is one unit, its jobs summed */
	for (i = 0; i < n; i++)
		rows[i].sec = 0;
	qsort(rows, n, sizeof(hrow), cmp_hrow);
	i = 0;
	while (i < n)
	{
		size_t		j = i;
		double		e = 0.0;

		while (j < n && rows[j].ent == rows[i].ent)
			e += rows[j++].jobs;
		units[T] += 1.0;
		value[T] += e;
		max_value[T] = fmax(max_value[T], e);
		i = j;
	}
}

sr_status
sr_zones_history_withheld(const sr_zones_data *in, sr_zones_model *m, int32_t at_day, bool fiscal,
						  const sr_secrecy_rules *rules, size_t ncontours,
						  const unsigned char *const *wkb, const size_t *len, const int64_t *contour_id,
						  size_t npairs, const int32_t *pair_zone, const int32_t *pair_contour,
						  const bool *pair_always, bool *withheld, sr_err *err)
{
	size_t	   *cstart = NULL,
			   *ustart = NULL,
			   *zstart = NULL;
	int32_t    *cunits = NULL,
			   *by_unit = NULL,
			   *zunits = NULL,
			   *fill = NULL;
	int64_t    *mark = NULL;
	hrow	   *rows = NULL;
	double		units[SR_ZONES_NSECTIONS + 1],
				value[SR_ZONES_NSECTIONS + 1],
				max_value[SR_ZONES_NSECTIONS + 1];
	size_t		i,
				k,
				nu = m->nunits ? m->nunits : 1;
	sr_status	st = SR_OK;

	for (i = 0; i < m->nzones; i++)
		withheld[i] = false;
	if (npairs == 0)
		return SR_OK;
	cstart = sr_alloc((ncontours + 1) * sizeof(size_t));
	if (cstart == NULL)
		goto nomem;
	st = sr_zones_contours_settled(in, m, ncontours, wkb, len, contour_id, cstart, &cunits, err);
	if (st != SR_OK)
		goto done;

	/* the active establishments of each land unit, and the units settled in
	 * each zone of the call (those its published figures count: a zone
	 * counting an unsettled unit's establishment is withheld anyway) */
	ustart = sr_alloc0((nu + 1) * sizeof(size_t));
	zstart = sr_alloc0((m->nzones + 1) * sizeof(size_t));
	fill = sr_alloc0((nu > m->nzones ? nu : m->nzones + 1) * sizeof(int32_t));
	by_unit = sr_alloc((m->nestabs ? m->nestabs : 1) * sizeof(int32_t));
	zunits = sr_alloc(nu * sizeof(int32_t));
	mark = sr_alloc(nu * sizeof(int64_t));
	rows = sr_alloc((m->nestabs ? m->nestabs : 1) * sizeof(hrow));
	if (!ustart || !zstart || !fill || !by_unit || !zunits || !mark || !rows)
		goto nomem;
	for (i = 0; i < m->nestabs; i++)
	{
		int32_t		p = m->estab_parcel[i];

		if (p >= 0 && (in->start_day[i] == SR_ZONES_NO_DATE || in->start_day[i] <= at_day) &&
			(in->end_day[i] == SR_ZONES_NO_DATE || in->end_day[i] >= at_day))
			ustart[m->parcel_unit[p] + 1]++;
	}
	for (i = 0; i < m->nunits; i++)
		ustart[i + 1] += ustart[i];
	for (i = 0; i < m->nestabs; i++)
	{
		int32_t		p = m->estab_parcel[i],
					u;

		if (p >= 0 && (in->start_day[i] == SR_ZONES_NO_DATE || in->start_day[i] <= at_day) &&
			(in->end_day[i] == SR_ZONES_NO_DATE || in->end_day[i] >= at_day))
		{
			u = m->parcel_unit[p];
			by_unit[ustart[u] + fill[u]++] = (int32_t) i;
		}
	}
	for (i = 0; i < m->nunits; i++)
		if (m->unit_settled[i] && m->unit_zone[i] >= 0)
			zstart[m->unit_zone[i] + 1]++;
	for (i = 0; i < m->nzones; i++)
		zstart[i + 1] += zstart[i];
	memset(fill, 0, m->nzones * sizeof(int32_t));
	for (i = 0; i < m->nunits; i++)
		if (m->unit_settled[i] && m->unit_zone[i] >= 0)
			zunits[zstart[m->unit_zone[i]] + fill[m->unit_zone[i]]++] = (int32_t) i;
	for (i = 0; i < m->nunits; i++)
		mark[i] = -1;

	for (k = 0; k < npairs; k++)
	{
		int32_t		z = pair_zone[k],
					c = pair_contour[k];

		if (z < 0 || (size_t) z >= m->nzones || c < 0 || (size_t) c >= ncontours)
		{
			st = sr_error(err, SR_EINVAL, "pair %zu of earlier contours names no zone or contour", k + 1);
			goto done;
		}
		/* another territory's contour: withheld whatever the difference (its
		 * drawer would learn from the release whether the difference passes) */
		if (pair_always != NULL && pair_always[k])
		{
			withheld[z] = true;
			continue;
		}
		/* mark: 2k for a unit of the contour, 2k + 1 for one of both */
		for (i = cstart[c]; i < cstart[c + 1]; i++)
			mark[cunits[i]] = 2 * (int64_t) k;
		for (i = zstart[z]; i < zstart[z + 1]; i++)
			if (mark[zunits[i]] == 2 * (int64_t) k)
				mark[zunits[i]] = 2 * (int64_t) k + 1;
		/* the two sides: in the zone and not the contour, and the other way */
		for (int side = 0; side < 2; side++)
		{
			size_t		n = 0;
			bool		ok;

			/* (side 0 the zone's units, side 1 the contour's; those of both skipped) */
			const size_t *from = side == 0 ? zstart + z : cstart + c;
			const int32_t *su = side == 0 ? zunits : cunits;

			for (i = from[0]; i < from[1]; i++)
			{
				int32_t		u = su[i];

				if (mark[u] == 2 * (int64_t) k + 1)
					continue;
				for (size_t e = ustart[u]; e < ustart[u + 1]; e++)
					rows[n++] = (hrow) {m->estab_section[by_unit[e]],
						sr_zones_enterprise_key(in->siret[by_unit[e]], (size_t) by_unit[e]),
					sr_zones_band_jobs(m->estab_band[by_unit[e]])};
			}
			side_cells(rows, n, units, value, max_value);
			st = sr_zones_difference_publishable(units, value, max_value, (long) n, fiscal, rules, &ok, err);
			if (st != SR_OK)
				goto done;
			if (!ok)
				withheld[z] = true;
		}
		if ((k & 63) == 63)
			sr_check_interrupts();
	}
	goto done;

nomem:
	st = sr_error(err, SR_ENOMEM, "out of memory while comparing zones with their earlier contours");
done:
	sr_free(cstart);
	sr_free(cunits);
	sr_free(ustart);
	sr_free(zstart);
	sr_free(fill);
	sr_free(by_unit);
	sr_free(zunits);
	sr_free(mark);
	sr_free(rows);
	return st;
}
