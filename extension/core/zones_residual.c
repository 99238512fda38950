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
 * When the zone's jobs are published, the residual's jobs are known exactly
 * too, and its bands must not follow from them (sr_zones_bands_protected).
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
	int64_t		key;			/* its enterprise: sr_zones_enterprise_key */
	const char *siret;
	double		jobs;
	size_t		idx;			/* position in the caller's arrays */
	int32_t		ent;			/* enterprise number within its zone */
} resrow;

/* zone, then enterprise, then SIRET */
static int
by_zone_enterprise(const void *pa, const void *pb)
{
	const resrow *a = pa,
			   *b = pb;

	if (a->zone != b->zone)
		return a->zone < b->zone ? -1 : 1;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
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
	long		enterprises,
				establishments;
	double		total,
				largest;
	bool		jobs_known;		/* the zone's jobs are published */
} residual;

static void
residual_add(residual *r, const resrow *row)
{
	if (r->units[row->ent]++ == 0)
		r->enterprises++;
	r->establishments++;
	r->jobs[row->ent] += row->jobs;
	r->total += row->jobs;
	if (r->jobs[row->ent] > r->largest)
		r->largest = r->jobs[row->ent];
}

static sr_status
residual_passes(const residual *r, const sr_secrecy_rules *rules, bool fiscal, bool *passes,
				sr_err *err)
{
	*passes = false;
	if (r->enterprises == 0)
	{
		*passes = true;			/* nothing withheld */
		return SR_OK;
	}
	if ((double) r->enterprises < rules->min_units)
		return SR_OK;
	if (fiscal && (double) r->enterprises < rules->fiscal_min_units)
		return SR_OK;
	if (r->total > 0.0 && r->largest > rules->dominance * r->total)
		return SR_OK;
	/* its jobs, the zone's published jobs minus the listed bands, exactly */
	if (r->jobs_known && rules->bands)
		return sr_zones_bands_protected(r->establishments, r->total, r->total, rules->dominance, passes, err);
	*passes = true;
	return SR_OK;
}

/*
 * Cells too (the second review of 2026-12-04, F4): a published cell passed the
 * dominance rule, and the file gives its listed members' bands, so one or two
 * withheld members beside them are narrowed by it (a withheld member beside
 * listed ones without employees has none either: with any, it would hold the
 * whole cell).  Within each cell (section) of the zone, the withheld members
 * must hold min_units enterprises (fiscal_min_units when fiscal), or none of
 * the cell is listed.  Repeated until nothing changes; rows [a, b) of a zone,
 * sorted by enterprise.
 */
static void
cell_closure(const resrow *rows, size_t a, size_t b, const int32_t *cell, bool *listed,
			 residual *r, const sr_secrecy_rules *rules, bool fiscal, size_t *nwithdrawn)
{
	bool		changed = true;

	if (cell == NULL)
		return;
	while (changed)
	{
		changed = false;
		for (size_t c0 = a; c0 < b; c0++)
		{
			int32_t		c = cell[rows[c0].idx];
			long		ents = 0;
			int32_t		last = -1;
			bool		any_listed = false,
						first = true;

			/* each cell once: at its first row */
			for (size_t k = a; k < c0 && first; k++)
				first = cell[rows[k].idx] != c;
			if (!first)
				continue;
			for (size_t k = c0; k < b; k++)
			{
				if (cell[rows[k].idx] != c)
					continue;
				if (listed[rows[k].idx])
					any_listed = true;
				else if (rows[k].ent != last)
				{
					ents++;
					last = rows[k].ent;
				}
			}
			if (!any_listed || ents == 0 ||
				((double) ents >= rules->min_units && (!fiscal || (double) ents >= rules->fiscal_min_units)))
				continue;
			for (size_t k = c0; k < b; k++)
				if (cell[rows[k].idx] == c && listed[rows[k].idx])
				{
					residual_add(r, &rows[k]);
					listed[rows[k].idx] = false;
					(*nwithdrawn)++;
				}
			changed = true;
		}
	}
}

sr_status
sr_zones_residual_listing(size_t n, const int64_t *zone, const char *const *siret,
						  const double *jobs, const int32_t *cell, const bool *in_total,
						  const bool *jobs_known, bool *listed,
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
			rows[m++] = (resrow) {zone[i], sr_zones_enterprise_key(siret[i], i), siret[i], jobs[i], i, 0};
	if ((st = sr_sort(rows, m, sizeof(resrow), by_zone_enterprise, err)) != SR_OK)
		goto done;
	for (size_t a = 0, b; a < m; a = b)
	{
		int32_t		ent = -1;
		size_t		nc = 0;

		/* the zone's rows are [a, b); number its enterprises */
		for (b = a; b < m && rows[b].zone == rows[a].zone; b++)
		{
			if (b == a || rows[b].key != rows[b - 1].key)
				ent++;
			rows[b].ent = ent;
		}
		memset(r.units, 0, sizeof(int32_t) * (size_t) (ent + 1));
		memset(r.jobs, 0, sizeof(double) * (size_t) (ent + 1));
		r.enterprises = r.establishments = 0;
		r.total = r.largest = 0.0;
		r.jobs_known = jobs_known == NULL || jobs_known[rows[a].idx];
		for (size_t k = a; k < b; k++)
		{
			if (!listed[rows[k].idx])
				residual_add(&r, &rows[k]);
			else
				cand[nc++] = rows[k];
		}
		{
			bool		ok;

			cell_closure(rows, a, b, cell, listed, &r, rules, fiscal, &nwithdrawn);
			if ((st = residual_passes(&r, rules, fiscal, &ok, err)) != SR_OK)
				goto done;
			if (!ok && (st = sr_sort(cand, nc, sizeof(resrow), by_jobs, err)) != SR_OK)
				goto done;
			for (size_t k = 0; k < nc && !ok; k++)
			{
				if (!listed[cand[k].idx])
					continue;	/* withheld with its cell already */
				residual_add(&r, &cand[k]);
				listed[cand[k].idx] = false;
				nwithdrawn++;
				cell_closure(rows, a, b, cell, listed, &r, rules, fiscal, &nwithdrawn);
				if ((st = residual_passes(&r, rules, fiscal, &ok, err)) != SR_OK)
					goto done;
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

/*
 * Band-aware protection of a group's jobs (the audit of 2026-12-04, F2, and the
 * review's F1).  A group of k establishments whose published jobs lie in
 * [lo, hi] is a sum of k band midpoints (sr_zones_band_jobs: 0, 1.5, 4, 7.5,
 * ...).  An attacker who knows k and the window lists the multisets of k
 * midpoints that fit; three establishments of 4.5 jobs are 1.5 + 1.5 + 1.5
 * and nothing else.  The group is protected when no midpoint is forced: for
 * every midpoint some fitting multiset avoids it (so at least two multisets
 * fit, and no establishment's band follows).  Dynamic programme over sums in
 * half jobs (every midpoint is a whole number of halves), one per midpoint
 * left out; groups above SR_ZONES_BAND_CHECK_K establishments or
 * SR_ZONES_BAND_CHECK_HALVES half jobs are not checked (reported protected).
 */
#define NMID 15

static int
midpoints_halves(int64_t *w)
{
	int			n = 0;

	for (int b = 0; b < SR_ZONES_NBANDS; b++)
	{
		int64_t		h = (int64_t) llround(2.0 * sr_zones_band_jobs(b));
		bool		seen = false;

		for (int i = 0; i < n; i++)
			seen |= w[i] == h;
		if (!seen && n < NMID)
			w[n++] = h;
	}
	return n;
}

/* dst |= src << sh (bits), within words */
static void
or_shifted(uint64_t *dst, const uint64_t *src, size_t words, int64_t sh)
{
	size_t		ws = (size_t) (sh / 64);
	int			bs = (int) (sh % 64);

	for (size_t i = words; i-- > ws;)
	{
		uint64_t	a = src[i - ws] << bs;

		if (bs && i - ws > 0)
			a |= src[i - ws - 1] >> (64 - bs);
		dst[i] |= a;
	}
}

/* one layer of the programme over the non-zero midpoints allowed: the sums of
 * j + 1 of them from the sums of j (with keep, the sums of j stay: zeros fill
 * the rest of the group), as bits of words 64-bit words */
static void
reach_step(const uint64_t *cur, uint64_t *nxt, size_t words, const int64_t *w, const bool *allowed,
		   int nw, bool keep)
{
	if (keep)
		memcpy(nxt, cur, sizeof(uint64_t) * words);
	else
		memset(nxt, 0, sizeof(uint64_t) * words);
	for (int v = 0; v < nw; v++)
	{
		int64_t		sh = w[v];

		if (!allowed[v] || sh == 0 || (size_t) (sh / 64) >= words)
			continue;
		or_shifted(nxt, cur, words, sh);
	}
}

static bool
bit(const uint64_t *b, int64_t s)
{
	return (b[s / 64] >> (s % 64)) & 1;
}

/* k more midpoints among the allowed ones (zero among them or not) added to
 * the sums in cur (bits of words words up to H half jobs; nxt the other
 * buffer): the buffer that holds the result, NULL when k non-zero midpoints
 * without a zero pass H */
static uint64_t *
add_layers(uint64_t *cur, uint64_t *nxt, size_t words, long k, int64_t H, const int64_t *w,
		   const bool *allowed, int nw, bool zero_allowed)
{
	long		steps;

	/* a non-zero midpoint is 1.5 jobs (3 halves) at least: more than H / 3 of them
	 * pass H, so with zeros allowed H / 3 layers are enough; without, k non-zero ones */
	if (zero_allowed)
		steps = k < H / 3 ? k : (long) (H / 3);
	else
	{
		if (3 * (int64_t) k > H)
			return NULL;
		steps = k;
	}
	for (long j = 0; j < steps; j++)
	{
		uint64_t   *t;

		reach_step(cur, nxt, words, w, allowed, nw, zero_allowed);
		t = cur;
		cur = nxt;
		nxt = t;
		if ((j & 63) == 63)
			sr_check_interrupts();
	}
	return cur;
}

/* the sums of k midpoints among the allowed ones (zero among them or not), as
 * bits of words words up to H half jobs, in one of the two buffers (returned);
 * NULL when k non-zero midpoints without a zero pass H */
static const uint64_t *
reach_sums(long k, int64_t H, const int64_t *w, const bool *allowed, int nw,
		   bool zero_allowed, uint64_t *two, size_t words)
{
	memset(two, 0, sizeof(uint64_t) * words);
	two[0] = 1;
	return add_layers(two, two + words, words, k, H, w, allowed, nw, zero_allowed);
}

/* whether k midpoints among the allowed ones (zero among them or not) sum into
 * [L, H] half jobs; two buffers of words words */
static bool
fits_window(long k, int64_t L, int64_t H, const int64_t *w, const bool *allowed, int nw,
			bool zero_allowed, uint64_t *two, size_t words)
{
	const uint64_t *cur = reach_sums(k, H, w, allowed, nw, zero_allowed, two, words);

	if (!cur)
		return false;
	for (int64_t t = L; t <= H; t++)
		if (bit(cur, t))
			return true;
	return false;
}

/* the midpoints of one multiset of k allowed ones summing into [L, H] (known
 * to exist), in in_first; all of them when the layers would take more than
 * 32 MB or cannot be allocated */
static void
rebuild_one(long k, int64_t L, int64_t H, const int64_t *w, const bool *allowed, int nw,
			size_t words, bool *in_first)
{
	int			zero = -1;
	long		steps;
	uint64_t   *layers;
	int64_t		s = -1;
	long		nonzero = 0;

	for (int v = 0; v < nw; v++)
	{
		in_first[v] = true;
		if (w[v] == 0)
			zero = v;
	}
	if (zero < 0 || !allowed[zero])
		return;					/* (only while 0 itself is left out) */
	steps = k < H / 3 ? k : (long) (H / 3);
	if ((double) (steps + 1) * (double) words * 8.0 > 32.0 * 1024 * 1024)
		return;
	layers = sr_alloc(sizeof(uint64_t) * words * (size_t) (steps + 1));
	if (!layers)
		return;
	memset(layers, 0, sizeof(uint64_t) * words);
	layers[0] = 1;
	for (long j = 0; j < steps; j++)
	{
		reach_step(layers + words * (size_t) j, layers + words * (size_t) (j + 1), words, w, allowed, nw, true);
		if ((j & 63) == 63)
			sr_check_interrupts();
	}
	for (int64_t t = L; t <= H && s < 0; t++)
		if (bit(layers + words * (size_t) steps, t))
			s = t;
	if (s >= 0)
	{
		for (int v = 0; v < nw; v++)
			in_first[v] = false;
		/* layer j holds the sums of at most j non-zero midpoints: walk down, taking a
		 * non-zero midpoint where the sum is not already in the layer below */
		for (long j = steps; j > 0 && s > 0; j--)
		{
			if (bit(layers + words * (size_t) (j - 1), s))
				continue;
			for (int v = 0; v < nw; v++)
				if (allowed[v] && w[v] > 0 && w[v] <= s && bit(layers + words * (size_t) (j - 1), s - w[v]))
				{
					in_first[v] = true;
					s -= w[v];
					nonzero++;
					break;
				}
		}
		if (nonzero < k)
			in_first[zero] = true;	/* zeros fill the rest */
	}
	else
		for (int v = 0; v < nw; v++)
			in_first[v] = true;
	sr_free(layers);
}

sr_status
sr_zones_bands_protected(long k, double lo, double hi, double dominance, bool *protected, sr_err *err)
{
	int64_t		w[NMID];
	int			nw = midpoints_halves(w);
	bool		allowed[NMID] = {false};
	int			zero = -1;
	int64_t		L,
				H;
	size_t		words;
	uint64_t   *two;
	bool		in_first[NMID];

	*protected = true;
	if (!isfinite(lo) || !isfinite(hi) || !isfinite(dominance))
		return sr_error(err, SR_EINVAL, "the jobs window of a group must be finite");
	if (k <= 0 || lo > hi)
		return SR_OK;
	L = (int64_t) ceil(2.0 * lo - 1e-9);
	H = (int64_t) floor(2.0 * hi + 1e-9);
	if (L < 0)
		L = 0;
	if (H < L)
		return SR_OK;			/* nothing fits: the figures are not of k bands */
	if (H > SR_ZONES_BAND_CHECK_HALVES)
	{
		*protected = false;		/* too large to check: fail closed */
		return SR_OK;
	}
	/* the group passed the dominance rule: none of it holds more than that share of
	 * its jobs, so larger midpoints are no alternative to the attacker */
	for (int v = 0; v < nw; v++)
	{
		allowed[v] = w[v] <= H && (dominance >= 1.0 || w[v] == 0 || (double) w[v] <= dominance * (double) H + 1e-9);
		if (w[v] == 0)
			zero = v;
	}
	words = (size_t) (H / 64 + 1);
	two = sr_alloc(sizeof(uint64_t) * words * 2);
	if (!two)
		return sr_error(err, SR_ENOMEM, "out of memory");
	if (!fits_window(k, L, H, w, allowed, nw, zero >= 0 && allowed[zero], two, words))
	{
		sr_free(two);
		return SR_OK;			/* nothing fits: the figures are not of k bands */
	}
	/* only the midpoints of one fitting multiset can be forced (it avoids the others):
	 * rebuilt from the layers of the full programme when they fit in 32 MB */
	rebuild_one(k, L, H, w, allowed, nw, words, in_first);
	/* each of them left out in turn: forced when nothing fits without it */
	for (int x = 0; x < nw && *protected; x++)
	{
		if (!allowed[x] || !in_first[x])
			continue;
		allowed[x] = false;
		if (!fits_window(k, L, H, w, allowed, nw, zero >= 0 && allowed[zero], two, words))
			*protected = false;
		allowed[x] = true;
	}
	sr_free(two);
	return SR_OK;
}

sr_status
sr_zones_jobs_protected(const sr_zone_ind *ind, size_t nzones, double dominance, bool *jobs_ok,
						sr_err *err)
{
	for (size_t i = 0; i < nzones; i++)
	{
		sr_status	st = sr_zones_bands_protected((long) ind[i].establishments, ind[i].jobs_estimate,
												  ind[i].jobs_estimate, dominance, &jobs_ok[i], err);

		if (st != SR_OK)
			return st;
	}
	return SR_OK;
}

/* ---- the band check with the published cells' dominance ---------------------
 *
 * Each published cell of a zone passed the dominance rule, and the attacker
 * knows it: no member holds more than that share of its cell's jobs.  That
 * narrows the multisets that fit the zone's jobs beyond the zone-level test
 * (sr_zones_bands_protected): sections of 00, 00, 00 and 02, 03, 03 (19
 * jobs) fit it as 0 + 0 + 1.5 + 1.5 + 1.5 + 14.5, but no two non-dominated
 * cells of three avoid a 4.  A midpoint is forced when no assignment avoids
 * it: for each published cell, n_i midpoints, none above the share of their
 * sum (or all zero); for the rest (the zone's suppressed cells, whose rules
 * the attacker does not know), r midpoints none above the share of the zone's
 * jobs; all summing to the zone's jobs. */

/* clear the bits above H */
static void
trim(uint64_t *b, size_t words, int64_t H)
{
	int			top = (int) (H % 64);

	if ((size_t) (H / 64) < words && top != 63)
		b[H / 64] &= (UINT64_C(1) << (top + 1)) - 1;
}

/* whether n midpoints (counts cnt[] of the truth) summing to s halves can be
 * replaced, same count and sum, by ones avoiding x, none above cap halves
 * (cap < 0: each at most dominance x s) */
static bool
group_avoids(long n, int64_t s, int x, double cap, double dominance, const int64_t *w, int nw,
			 uint64_t *two, size_t words)
{
	bool		allowed[NMID];
	int			zero = -1;

	if (n == 0)
		return true;
	for (int v = 0; v < nw; v++)
	{
		double		c = cap >= 0 ? cap : dominance * (double) s;

		allowed[v] = v != x && w[v] <= s && (dominance >= 1.0 || w[v] == 0 || (double) w[v] <= c + 1e-9);
		if (w[v] == 0)
			zero = v;
	}
	return fits_window(n, s, s, w, allowed, nw, zero >= 0 && allowed[zero], two,
					   (size_t) (s / 64 + 1) < words ? (size_t) (s / 64 + 1) : words);
}

/* the attacker's exact programme for one midpoint x left out: whether the
 * zone's H halves are reachable (see above); *work counts word operations */
static bool
cells_reach(int ncells, const long *cell_n, long rest_n, int64_t H, int x, double dominance,
			const int64_t *w, int nw, size_t words, uint64_t *acc, uint64_t *tmp, uint64_t *R,
			uint64_t *two)
{
	bool		zero_ok = w[x] != 0;
	bool		allowed[NMID];

	memset(acc, 0, sizeof(uint64_t) * words);
	acc[0] = 1;
	for (int i = 0; i < ncells; i++)
	{
		long		n = cell_n[i];

		memset(R, 0, sizeof(uint64_t) * words);
		if (zero_ok)
			R[0] = 1;			/* every member 0: no jobs, no dominance */
		for (int v = 0; v < nw; v++)
		{
			const uint64_t *cur;

			if (v == x || w[v] == 0 || w[v] > H)
				continue;
			/* v the cell's largest: the other n - 1 at most v */
			for (int u = 0; u < nw; u++)
				allowed[u] = u != x && w[u] <= w[v];
			if ((cur = reach_sums(n - 1, H, w, allowed, nw, zero_ok, two, words)) == NULL)
				continue;
			/* the cell's sum s = v + t, non-dominated: v <= dominance x s */
			for (int64_t t = 0; t + w[v] <= H; t++)
				if (bit(cur, t) && (dominance >= 1.0 || (double) w[v] <= dominance * (double) (t + w[v]) + 1e-9))
					R[(t + w[v]) / 64] |= UINT64_C(1) << ((t + w[v]) % 64);
		}
		memset(tmp, 0, sizeof(uint64_t) * words);
		for (int64_t s = 0; s <= H; s++)
			if (bit(R, s))
				or_shifted(tmp, acc, words, s);
		trim(tmp, words, H);
		memcpy(acc, tmp, sizeof(uint64_t) * words);
		sr_check_interrupts();
	}
	/* the rest: none above the share of the zone's jobs */
	for (int u = 0; u < nw; u++)
		allowed[u] = u != x && w[u] <= H &&
			(dominance >= 1.0 || w[u] == 0 || (double) w[u] <= dominance * (double) H + 1e-9);
	{
		const uint64_t *cur = add_layers(acc, tmp, words, rest_n, H, w, allowed, nw, zero_ok);

		return cur != NULL && bit(cur, H);
	}
}

sr_status
sr_zones_bands_cells_protected(int ncells, const long *cell_mix, const long *rest_mix, double dominance,
							   bool *protected, sr_err *err)
{
	int64_t		w[NMID];
	int			nw = midpoints_halves(w);
	int			idx[SR_ZONES_NBANDS];
	long		k = 0,
				rest_n = 0,
			   *cell_n = NULL;
	int64_t		H = 0,
				rest_s = 0;
	bool		present[NMID] = {false};
	size_t		words;
	uint64_t   *buf = NULL;
	double		work,
				budget = SR_ZONES_BAND_CELLS_WORK;
	sr_status	st = SR_OK;

	*protected = true;
	for (int b = 0; b < SR_ZONES_NBANDS; b++)
	{
		int64_t		h = (int64_t) llround(2.0 * sr_zones_band_jobs(b));

		for (int v = 0; v < nw; v++)
			if (w[v] == h)
				idx[b] = v;
	}
	cell_n = sr_alloc(sizeof(long) * (ncells > 0 ? ncells : 1));
	if (!cell_n)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i <= ncells; i++)
	{
		const long *mix = i < ncells ? cell_mix + (size_t) i * SR_ZONES_NBANDS : rest_mix;
		long		n = 0;

		for (int b = 0; b < SR_ZONES_NBANDS; b++)
		{
			n += mix[b];
			H += mix[b] * w[idx[b]];
			if (mix[b] > 0)
				present[idx[b]] = true;
			if (i == ncells)
				rest_s += mix[b] * w[idx[b]];
		}
		if (i < ncells)
			cell_n[i] = n;
		else
			rest_n = n;
		k += n;
	}
	if (k == 0)
		goto out;
	/* the zone-level test first (it also fails closed on large zones) */
	if ((st = sr_zones_bands_protected(k, H / 2.0, H / 2.0, dominance, protected, err)) != SR_OK ||
		!*protected || ncells == 0)
		goto out;
	words = (size_t) (H / 64 + 1);
	buf = sr_alloc(sizeof(uint64_t) * words * 5);
	if (!buf)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto out;
	}
	/* the exact programme's cost, in word operations, for one midpoint */
	work = (double) (rest_n < H / 3 ? rest_n : H / 3) * (double) words * nw;
	for (int i = 0; i < ncells; i++)
		work += (double) nw * (double) (cell_n[i] < H / 3 ? cell_n[i] : H / 3) * (double) words * nw +
			(double) (H + 1) * (double) words;
	/* only a midpoint of the true multiset can be forced (the truth avoids the others) */
	for (int x = 0; x < nw && *protected; x++)
	{
		bool		easy = true;

		if (!present[x])
			continue;
		/* sufficient: each group holding x rearranged alone, its count and sum kept */
		for (int i = 0; i <= ncells && easy; i++)
		{
			const long *mix = i < ncells ? cell_mix + (size_t) i * SR_ZONES_NBANDS : rest_mix;
			int64_t		s = 0;
			bool		has = false;

			for (int b = 0; b < SR_ZONES_NBANDS; b++)
			{
				s += mix[b] * w[idx[b]];
				has |= mix[b] > 0 && idx[b] == x;
			}
			if (has)
				easy = group_avoids(i < ncells ? cell_n[i] : rest_n, s, x,
									i < ncells ? -1.0 : dominance * (double) H, dominance, w, nw, buf, words);
		}
		if (easy)
			continue;
		/* the exact programme, within the zone's budget; beyond it the zone-level
		 * test stands alone (as before the cells were known: docs/zones.md) */
		if (work > budget)
			continue;
		budget -= work;
		if (!cells_reach(ncells, cell_n, rest_n, H, x, dominance, w, nw, words, buf, buf + words,
						 buf + 2 * words, buf + 3 * words))
			*protected = false;
	}
out:
	(void) rest_s;
	sr_free(buf);
	sr_free(cell_n);
	return st;
}
