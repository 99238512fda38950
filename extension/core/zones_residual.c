/*
 * zones_residual.c — what a publication that lists establishments one by one
 * (the CNIG class ETABLISSEMENT) withholds, zone by zone, must pass the
 * primary rules of statistical secrecy itself (docs/zones.md, "Statistical
 * secrecy and personal data").
 *
 * A zone's published totals (site_nb_etab, site_nb_emploi) minus its listed
 * establishments, whose headcount bands the file gives, are the withheld
 * establishments' count and jobs: the "residual" is a cell that everybody can
 * compute.  Two withheld establishments of 1.5 and 1.5 jobs, or one alone,
 * were recovered exactly (the audit of 2026-12-04, F2).  So the residual must
 * hold at least min_units enterprises (fiscal_min_units for fiscal tables),
 * and its largest enterprise no more than the dominance share of its jobs.
 * When it does not, establishments of the zone that would have been listed
 * are withheld too, the smallest first (jobs, then SIRET), until it does;
 * at worst all of them, and then the residual is the zone's whole total,
 * which secrecy published, so it passes the same rules.
 *
 * Units are enterprises: the SIREN, the first nine digits of a 14-digit
 * SIRET (another identifier is an enterprise of its own).
 */
#include "sr_zones.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct resrow
{
	int64_t		zone;
	const char *siret;
	double		jobs;
	size_t		idx;			/* position in the caller's arrays */
	int32_t		ent;			/* enterprise number within its zone */
} resrow;

/* the enterprise of a SIRET: its first 9 digits when it has 14, else itself */
static size_t
enterprise_len(const char *siret)
{
	size_t		n = strlen(siret);

	if (n != 14)
		return n;
	for (size_t i = 0; i < 14; i++)
		if (siret[i] < '0' || siret[i] > '9')
			return n;
	return 9;
}

static int
enterprise_cmp(const char *a, const char *b)
{
	size_t		la = enterprise_len(a),
				lb = enterprise_len(b);
	int			c = strncmp(a, b, la < lb ? la : lb);

	return c != 0 ? c : (la > lb) - (la < lb);
}

/* zone, then enterprise, then SIRET */
static int
by_zone_enterprise(const void *pa, const void *pb)
{
	const resrow *a = pa,
			   *b = pb;
	int			c;

	if (a->zone != b->zone)
		return a->zone < b->zone ? -1 : 1;
	if ((c = enterprise_cmp(a->siret, b->siret)) != 0)
		return c;
	return strcmp(a->siret, b->siret);
}

/* the order in which listed establishments are withheld: smallest jobs first */
static int
by_jobs(const void *pa, const void *pb)
{
	const resrow *a = pa,
			   *b = pb;

	if (a->jobs != b->jobs)
		return a->jobs < b->jobs ? -1 : 1;
	return strcmp(a->siret, b->siret);
}

/* the residual's running state: units and jobs per enterprise */
typedef struct residual
{
	int32_t    *units;			/* establishments of each enterprise in it */
	double	   *jobs;			/* their jobs */
	long		enterprises;
	double		total,
				largest;
} residual;

static void
residual_add(residual *r, const resrow *row)
{
	if (r->units[row->ent]++ == 0)
		r->enterprises++;
	r->jobs[row->ent] += row->jobs;
	r->total += row->jobs;
	if (r->jobs[row->ent] > r->largest)
		r->largest = r->jobs[row->ent];
}

static bool
residual_passes(const residual *r, const sr_secrecy_rules *rules, bool fiscal)
{
	if (r->enterprises == 0)
		return true;			/* nothing withheld */
	if ((double) r->enterprises < rules->min_units)
		return false;
	if (fiscal && (double) r->enterprises < rules->fiscal_min_units)
		return false;
	if (r->total > 0.0 && r->largest > rules->dominance * r->total)
		return false;
	return true;
}

sr_status
sr_zones_residual_listing(size_t n, const int64_t *zone, const char *const *siret,
						  const double *jobs, const bool *in_total, bool *listed,
						  const sr_secrecy_rules *rules, bool fiscal, size_t *withdrawn,
						  sr_err *err)
{
	resrow	   *rows = NULL,
			   *cand = NULL;
	residual	r = {0};
	size_t		m = 0,
				nwithdrawn = 0;
	sr_status	st = SR_OK;

	if (withdrawn)
		*withdrawn = 0;
	for (size_t i = 0; i < n; i++)
	{
		if (listed[i] && !in_total[i])
			return sr_error(err, SR_EINVAL, "establishment %zu is listed but not in its zone's published total", i + 1);
		if (in_total[i] && (siret[i] == NULL || !isfinite(jobs[i]) || jobs[i] < 0.0))
			return sr_error(err, SR_EINVAL, "establishment %zu has no SIRET or a negative or non-finite jobs figure", i + 1);
	}
	for (size_t i = 0; i < n; i++)
		if (in_total[i])
			m++;
	if (m == 0)
		return SR_OK;
	rows = sr_alloc(sizeof(resrow) * m);
	cand = sr_alloc(sizeof(resrow) * m);
	r.units = sr_alloc0(sizeof(int32_t) * m);
	r.jobs = sr_alloc0(sizeof(double) * m);
	if (!rows || !cand || !r.units || !r.jobs)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	m = 0;
	for (size_t i = 0; i < n; i++)
		if (in_total[i])
			rows[m++] = (resrow) {zone[i], siret[i], jobs[i], i, 0};
	if ((st = sr_sort(rows, m, sizeof(resrow), by_zone_enterprise, err)) != SR_OK)
		goto done;
	for (size_t a = 0, b; a < m; a = b)
	{
		int32_t		ent = -1;
		size_t		nc = 0;

		/* the zone's rows are [a, b); number its enterprises */
		for (b = a; b < m && rows[b].zone == rows[a].zone; b++)
		{
			if (b == a || enterprise_cmp(rows[b].siret, rows[b - 1].siret) != 0)
				ent++;
			rows[b].ent = ent;
		}
		memset(r.units, 0, sizeof(int32_t) * (size_t) (ent + 1));
		memset(r.jobs, 0, sizeof(double) * (size_t) (ent + 1));
		r.enterprises = 0;
		r.total = r.largest = 0.0;
		for (size_t k = a; k < b; k++)
		{
			if (!listed[rows[k].idx])
				residual_add(&r, &rows[k]);
			else
				cand[nc++] = rows[k];
		}
		if (!residual_passes(&r, rules, fiscal))
		{
			if ((st = sr_sort(cand, nc, sizeof(resrow), by_jobs, err)) != SR_OK)
				goto done;
			for (size_t k = 0; k < nc && !residual_passes(&r, rules, fiscal); k++)
			{
				residual_add(&r, &cand[k]);
				listed[cand[k].idx] = false;
				nwithdrawn++;
			}
		}
		sr_check_interrupts();
	}
	if (withdrawn)
		*withdrawn = nwithdrawn;
done:
	sr_free(rows);
	sr_free(cand);
	sr_free(r.units);
	sr_free(r.jobs);
	return st;
}
