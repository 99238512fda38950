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

static sr_status residual_cells_protected(const resrow *rows, size_t a, size_t b, const int32_t *cell,
										  const bool *listed, double dominance, bool *ok, sr_err *err);

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

/* residual_passes, then, when the zone's jobs are published, the band check
 * with the published cells: each holds listed members, whose bands the file
 * gives, beside withheld ones, and passed the dominance rule
 * (residual_cells_protected) */
static sr_status
residual_check(const residual *r, const resrow *rows, size_t a, size_t b, const int32_t *cell,
			   const bool *listed, const sr_secrecy_rules *rules, bool fiscal, bool *ok, sr_err *err)
{
	sr_status	st = residual_passes(r, rules, fiscal, ok, err);

	if (st == SR_OK && *ok && r->enterprises > 0 && r->jobs_known && rules->bands)
		st = residual_cells_protected(rows, a, b, cell, listed, rules->dominance, ok, err);
	return st;
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
			if ((st = residual_check(&r, rows, a, b, cell, listed, rules, fiscal, &ok, err)) != SR_OK)
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
				if ((st = residual_check(&r, rows, a, b, cell, listed, rules, fiscal, &ok, err)) != SR_OK)
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
		   const bool *allowed, int nw, bool zero_allowed, double *ops)
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
		bool		same;

		reach_step(cur, nxt, words, w, allowed, nw, zero_allowed);
		if (ops)
			*ops += (double) (nw + 2) * (double) words;
		/* with zeros the layers only grow: one that adds nothing is the last */
		same = zero_allowed && memcmp(cur, nxt, sizeof(uint64_t) * words) == 0;
		t = cur;
		cur = nxt;
		nxt = t;
		if (same)
			break;
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
		   bool zero_allowed, uint64_t *two, size_t words, double *ops)
{
	memset(two, 0, sizeof(uint64_t) * words);
	two[0] = 1;
	return add_layers(two, two + words, words, k, H, w, allowed, nw, zero_allowed, ops);
}

/* whether k midpoints among the allowed ones (zero among them or not) sum into
 * [L, H] half jobs; two buffers of words words */
static bool
fits_window(long k, int64_t L, int64_t H, const int64_t *w, const bool *allowed, int nw,
			bool zero_allowed, uint64_t *two, size_t words)
{
	const uint64_t *cur = reach_sums(k, H, w, allowed, nw, zero_allowed, two, words, NULL);

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
 * cells of three avoid a 4.  A midpoint x is forced when no assignment avoids
 * it: for each published cell, n_i midpoints, none above the share of their
 * sum (or all zero); for the rest (the zone's suppressed cells, whose rules
 * the attacker does not know), r midpoints none above the share of the zone's
 * jobs; all summing to the zone's jobs.
 *
 * The attacker's programme is run on the "mobile" members of each group: the
 * members holding x and the group's K smallest others; the other members keep
 * their true bands (they are not x), so every assignment found is one the
 * attacker must allow, and x is not forced when one reaches the mobile
 * members' true total.  With K small the sums stay small (a few hundred half
 * jobs where the zone has tens of thousands); with every member mobile it is
 * the attacker's exact programme, which decides when the small one finds no
 * assignment. */

/* a group of the zone: a published cell, or the suppressed cells together */
typedef struct bgroup
{
	long		mix[NMID];		/* its unknown members by midpoint */
	int64_t		sum;			/* their true sum, half jobs */
	int64_t		known_sum,		/* members whose bands are public (the CNIG */
				known_max;		/* file's listed ones): sum and largest unit */
	int32_t		known_ent;		/* the enterprise of the last listed member, */
	int64_t		known_ent_sum;	/* and its listed jobs in the group so far */
	bool		rest;
} bgroup;

/* clear the bits above H */
static void
trim(uint64_t *b, size_t words, int64_t H)
{
	int			top = (int) (H % 64);

	if ((size_t) (H / 64) < words && top != 63)
		b[H / 64] &= (UINT64_C(1) << (top + 1)) - 1;
	for (size_t i = (size_t) (H / 64) + 1; i < words; i++)
		b[i] = 0;
}

/* the highest set bit, -1 when none */
static int64_t
highest(const uint64_t *b, size_t words)
{
	for (size_t i = words; i-- > 0;)
		if (b[i])
			return (int64_t) i * 64 + 63 - __builtin_clzll(b[i]);
	return -1;
}

/* the runs of set bits of b up to top: their number, and when start is not
 * NULL, each run's first bit and length */
static long
runs(const uint64_t *b, int64_t top, int64_t *start, int64_t *len)
{
	long		n = 0;

	for (int64_t s = 0; s <= top; s++)
	{
		int64_t		e = s;

		if (!bit(b, s))
			continue;
		while (e + 1 <= top && bit(b, e + 1))
			e++;
		if (start)
		{
			start[n] = s;
			len[n] = e - s + 1;
		}
		n++;
		s = e;
	}
	return n;
}

/* out = the sums a + b of a bit of a (highest amax) and one of b (highest
 * bmax), up to H: one shift of a per run of b, widened to the run's length
 * by doubling (a run of L bits costs 1 + log2 L shifts, not L) */
static void
convolve(const uint64_t *a, int64_t amax, const uint64_t *b, int64_t bmax, uint64_t *out,
		 uint64_t *tmp, size_t words, int64_t H, int64_t *start, int64_t *len, double *ops)
{
	int64_t		top = amax + bmax < H ? amax + bmax : H;
	size_t		sw = (size_t) (top / 64 + 1);
	long		nr;

	/* shift the one with more runs, once per run of the other */
	if (runs(b, bmax, NULL, NULL) > runs(a, amax, NULL, NULL))
	{
		const uint64_t *t = a;
		int64_t		tm = amax;

		a = b;
		amax = bmax;
		b = t;
		bmax = tm;
	}
	nr = runs(b, bmax, start, len);
	memset(out, 0, sizeof(uint64_t) * words);
	for (long r = 0; r < nr; r++)
	{
		int64_t		covered = 1;

		memset(tmp, 0, sizeof(uint64_t) * sw);
		or_shifted(tmp, a, sw, start[r]);
		while (covered < len[r])
		{
			int64_t		st = covered < len[r] - covered ? covered : len[r] - covered;

			or_shifted(tmp, tmp, sw, st);	/* in place: it reads lower words only */
			covered += st;
			*ops += (double) sw;
		}
		for (size_t i = 0; i < sw; i++)
			out[i] |= tmp[i];
		*ops += 3.0 * (double) sw;
	}
	trim(out, words, H);
}

/* the sums (up to H) that m mobile members of a group can take, none of them
 * x, beside fixed members of sum fs and largest fm: in a published cell none
 * above the dominance share of the cell's sum (or all zero), in the rest none
 * above that share of the zone's jobs (Hzone), into R; two and tmp scratch */
static void
group_reach(const bgroup *g, long m, int64_t fs, int64_t fm, int x, double dominance,
			int64_t Hzone, double capm, int64_t H, const int64_t *w, int nw, size_t words,
			uint64_t *R, uint64_t *two, uint64_t *tmp, double *ops)
{
	bool		zero_ok = w[x] != 0;
	bool		allowed[NMID];
	const uint64_t *cur;

	memset(R, 0, sizeof(uint64_t) * words);
	if (m == 0)
	{
		R[0] = 1;				/* nothing moves: the truth */
		return;
	}
	if (g->rest)
	{
		for (int u = 0; u < nw; u++)
			allowed[u] = u != x && w[u] <= H && (capm < 0 || (double) w[u] <= capm + 1e-9) &&
				(dominance >= 1.0 || w[u] == 0 || (double) w[u] <= dominance * (double) Hzone + 1e-9);
		if ((cur = reach_sums(m, H, w, allowed, nw, zero_ok, two, words, ops)) != NULL)
			memcpy(R, cur, sizeof(uint64_t) * words);
		trim(R, words, H);
		return;
	}
	/* every mobile member 0: the fixed ones must not dominate alone */
	if (zero_ok && (fs == 0 || dominance >= 1.0 || (double) fm <= dominance * (double) fs + 1e-9))
		R[0] = 1;
	for (int v = 0; v < nw; v++)
	{
		int64_t		big = fm > w[v] ? fm : w[v],
					tmin = 0;

		if (v == x || w[v] == 0 || w[v] > H || (capm >= 0 && (double) w[v] > capm + 1e-9))
			continue;
		/* v the largest mobile member: the other m - 1 at most v */
		for (int u = 0; u < nw; u++)
			allowed[u] = u != x && w[u] <= w[v];
		if ((cur = reach_sums(m - 1, H - w[v], w, allowed, nw, zero_ok, two, words, ops)) == NULL)
			continue;
		/* the cell's sum fs + v + t, non-dominated: its largest <= dominance x sum */
		if (dominance < 1.0)
		{
			/* not even with t = H - v: no sum fits (a dominance of 0, or one so
			 * small that big / dominance passes int64 and the step-by-step
			 * search below would not end) */
			if (!((double) big <= dominance * (double) (fs + H) + 1e-9))
				continue;
			tmin = (int64_t) floor((double) big / dominance) - fs - w[v] - 2;
			if (tmin < 0)
				tmin = 0;
			while ((double) big > dominance * (double) (fs + w[v] + tmin) + 1e-9)
				tmin++;
		}
		if (tmin > H - w[v])
			continue;
		memcpy(tmp, cur, sizeof(uint64_t) * words);
		trim(tmp, words, H - w[v]);
		for (int64_t i = 0; i < tmin / 64; i++)
			tmp[i] = 0;
		if (tmin % 64)
			tmp[tmin / 64] &= ~((UINT64_C(1) << (tmin % 64)) - 1);
		or_shifted(R, tmp, words, w[v]);
		*ops += 2.0 * (double) words;
	}
	trim(R, words, H);
}

/* the attacker's programme for x left out, on each group's members holding x
 * and its K smallest others (K < 0: every member): 1 when the mobile members'
 * true total is reached without x (x not forced), 0 when not, -1 when *ops
 * passes budget first or memory is short; *exact says whether every member
 * was mobile */
static int
cells_reach(int ng, const bgroup *g, int x, long K, double dominance, int64_t Hzone, double capm,
			const int64_t *w, int nw, double budget, double *ops, bool *exact)
{
	long		m[SR_ZONES_NBANDS + 64];
	int64_t		fs[SR_ZONES_NBANDS + 64],
				fm[SR_ZONES_NBANDS + 64],
				ms[SR_ZONES_NBANDS + 64],
				H = 0,
				amax = 0;
	int			ord[SR_ZONES_NBANDS + 64];
	size_t		words;
	uint64_t   *buf,
			   *acc,
			   *R,
			   *out,
			   *tmp,
			   *two;
	int64_t    *start;
	int			result = 1;

	*exact = true;
	if (ng > SR_ZONES_NBANDS + 64)
		return -1;
	for (int i = 0; i < ng; i++)
	{
		long		left = K;

		m[i] = 0;
		ms[i] = 0;
		fs[i] = g[i].known_sum;
		fm[i] = g[i].known_max;
		/* mobile: every member holding x, then the smallest others, K of them */
		for (int v = 0; v < nw; v++)
		{
			long		take = g[i].mix[v];

			if (v != x && K >= 0)
			{
				take = take < left ? take : left;
				left -= take;
			}
			m[i] += take;
			ms[i] += take * w[v];
			fs[i] += (g[i].mix[v] - take) * w[v];
			if (g[i].mix[v] > take)
			{
				fm[i] = fm[i] > w[v] ? fm[i] : w[v];
				*exact = false;
			}
		}
		H += ms[i];
		/* smallest mobile total first: the running set stays short */
		ord[i] = i;
		for (int j = i; j > 0 && ms[ord[j - 1]] > ms[ord[j]]; j--)
		{
			int			t = ord[j];

			ord[j] = ord[j - 1];
			ord[j - 1] = t;
		}
	}
	words = (size_t) (H / 64 + 1);
	buf = sr_alloc(sizeof(uint64_t) * words * 6 + sizeof(int64_t) * 2 * (size_t) (H + 2));
	if (!buf)
		return -1;
	acc = buf;
	R = acc + words;
	out = R + words;
	tmp = out + words;
	two = tmp + words;
	start = (int64_t *) (two + 2 * words);
	memset(acc, 0, sizeof(uint64_t) * words);
	acc[0] = 1;
	for (int o = 0; o < ng && result == 1; o++)
	{
		int			i = ord[o];
		int64_t		rmax;
		uint64_t   *t;

		group_reach(&g[i], m[i], fs[i], fm[i], x, dominance, Hzone, capm, H, w, nw, words, R, two, tmp,
					ops);
		if ((rmax = highest(R, words)) < 0)
			result = 0;			/* the group has no sum left: nothing reaches */
		else
		{
			convolve(acc, amax, R, rmax, out, tmp, words, H, start, start + H + 1, ops);
			t = acc;
			acc = out;
			out = t;
			if ((amax = highest(acc, words)) < 0)
				result = 0;
		}
		if (result == 1 && *ops > budget)
			result = -1;
		sr_check_interrupts();
	}
	if (result == 1 && !bit(acc, H))
		result = 0;
	sr_free(buf);
	return result;
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

sr_status
sr_zones_bands_cells_protected(int ncells, const long *cell_mix, const long *rest_mix, double dominance,
							   bool *protected, sr_err *err)
{
	return sr_zones_bands_cells_check(ncells, cell_mix, rest_mix, dominance, SR_ZONES_BAND_CELLS_MOBILE,
									  true, protected, err);
}

sr_status
sr_zones_bands_cells_check(int ncells, const long *cell_mix, const long *rest_mix, double dominance,
						   long mobile, bool then_all, bool *protected, sr_err *err)
{
	int64_t		w[NMID];
	int			nw = midpoints_halves(w);
	int			idx[SR_ZONES_NBANDS];
	long		k = 0;
	int64_t		H = 0;
	int			ng = 0;
	bool		present[NMID] = {false};
	size_t		words;
	uint64_t   *buf = NULL;
	bgroup	   *g = NULL;
	double		ops = 0.0;
	sr_status	st = SR_OK;

	*protected = true;
	if (ncells < 0)
		return sr_error(err, SR_EINVAL, "a zone cannot have a negative number of cells");
	if (!(dominance > 0.0) || !isfinite(dominance))
		return sr_error(err, SR_EINVAL, "the dominance share must be a positive number, got %g", dominance);
	for (int b = 0; b < SR_ZONES_NBANDS; b++)
	{
		int64_t		h = (int64_t) llround(2.0 * sr_zones_band_jobs(b));

		for (int v = 0; v < nw; v++)
			if (w[v] == h)
				idx[b] = v;
	}
	g = sr_alloc0(sizeof(bgroup) * (size_t) (ncells + 1));
	if (!g)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i <= ncells; i++)
	{
		const long *mix = i < ncells ? cell_mix + (size_t) i * SR_ZONES_NBANDS : rest_mix;
		long		n = 0;

		for (int b = 0; b < SR_ZONES_NBANDS; b++)
		{
			n += mix[b];
			g[ng].mix[idx[b]] += mix[b];
			g[ng].sum += mix[b] * w[idx[b]];
			if (mix[b] > 0)
				present[idx[b]] = true;
		}
		g[ng].rest = i == ncells;
		H += g[ng].sum;
		k += n;
		if (n > 0)
			ng++;				/* an empty group changes nothing */
	}
	if (k == 0)
		goto out;
	/* the zone-level test first (it also fails closed on large zones) */
	if ((st = sr_zones_bands_protected(k, H / 2.0, H / 2.0, dominance, protected, err)) != SR_OK ||
		!*protected || ncells == 0)
		goto out;
	words = (size_t) (H / 64 + 1);
	buf = sr_alloc(sizeof(uint64_t) * words * 2);
	if (!buf)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto out;
	}
	/* only a midpoint of the true multiset can be forced (the truth avoids the others) */
	for (int x = 0; x < nw && *protected; x++)
	{
		bool		easy = true,
					exact;
		int			r;

		if (!present[x])
			continue;
		/* sufficient: each group holding x rearranged alone, its count and sum kept */
		for (int i = 0; i < ng && easy; i++)
		{
			long		n = 0;

			for (int v = 0; v < nw; v++)
				n += g[i].mix[v];
			if (g[i].mix[x] > 0)
				easy = group_avoids(n, g[i].sum, x, g[i].rest ? dominance * (double) H : -1.0,
									dominance, w, nw, buf, words);
		}
		if (easy)
			continue;
		/* the programme on few mobile members, then on all: the exact one */
		r = cells_reach(ng, g, x, mobile, dominance, H, -1.0, w, nw, SR_ZONES_BAND_CELLS_WORK, &ops, &exact);
		if (r == 0 && !exact && then_all)
			r = cells_reach(ng, g, x, -1, dominance, H, -1.0, w, nw, SR_ZONES_BAND_CELLS_WORK, &ops, &exact);
		/* forced, or undecided within the zone's budget: not shown (fail closed) */
		if (r != 1)
			*protected = false;
	}
out:
	sr_free(buf);
	sr_free(g);
	return st;
}

/* ---- the residual's bands with the published cells -------------------------
 *
 * What a zone of the CNIG establishments file withholds (rows [a, b) of the
 * zone): the attacker knows its jobs exactly (the zone's published jobs minus
 * the listed bands), the count of withheld members in each published cell (its
 * published count minus its listed members), and that each published cell
 * passed the dominance rule with its listed members' bands known to him, the
 * suppressed cells' members together (cell < 0) none above that share of the
 * zone's jobs, and each withheld member no more than that share of what is
 * withheld (the residual passed it).  A withheld member's band is given away
 * when every assignment holds it: the programme of sr_zones_bands_cells_check,
 * the listed members fixed.  Undecided within the budget: not protected.
 * Jobs that are not band midpoints are outside the band model (no check). */
static sr_status
residual_cells_protected(const resrow *rows, size_t a, size_t b, const int32_t *cell,
						 const bool *listed, double dominance, bool *ok, sr_err *err)
{
	int64_t		w[NMID];
	int			nw = midpoints_halves(w);
	bgroup	   *g;
	int32_t    *cid;
	int			ng = 0;
	int64_t		Hz = 0,
				R = 0;
	bool		present[NMID] = {false};
	double		ops = 0.0,
				capm;

	*ok = true;
	if (cell == NULL)
		return SR_OK;
	g = sr_alloc0(sizeof(bgroup) * (b - a + 1));
	cid = sr_alloc(sizeof(int32_t) * (b - a + 1));
	if (!g || !cid)
	{
		sr_free(g);
		sr_free(cid);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (size_t k = a; k < b; k++)
	{
		int64_t		h = llround(2.0 * rows[k].jobs);
		int			v = -1,
					c = cell[rows[k].idx] < 0 ? -1 : cell[rows[k].idx],
					gi;

		for (int u = 0; u < nw; u++)
			if (w[u] == h)
				v = u;
		if (v < 0 || fabs(2.0 * rows[k].jobs - (double) h) > 1e-9)
			goto out;			/* not a band midpoint: outside the model */
		Hz += h;
		/* its group: its published cell, or the suppressed ones together (-1) */
		for (gi = 0; gi < ng && cid[gi] != c; gi++)
			;
		if (gi == ng)
		{
			cid[ng] = c;
			g[ng].rest = c < 0;
			g[ng].known_ent = -1;
			ng++;
		}
		if (listed[rows[k].idx])
		{
			/*
			 * The unit of the dominance rule is the enterprise, and the file
			 * gives the listed members' SIREN: the listed establishments of one
			 * enterprise in the cell add up (rows are sorted by enterprise).
			 * Before, the largest single one: X listing 4 and 14.5 in a cell
			 * told the attacker 18.5 <= 85 % of the cell, which the programme
			 * did not know, and a withheld 4 was certain (test_zones).
			 */
			g[gi].known_sum += h;
			if (g[gi].known_ent != rows[k].ent)
			{
				g[gi].known_ent = rows[k].ent;
				g[gi].known_ent_sum = 0;
			}
			g[gi].known_ent_sum += h;
			if (g[gi].known_ent_sum > g[gi].known_max)
				g[gi].known_max = g[gi].known_ent_sum;
		}
		else
		{
			g[gi].mix[v]++;
			g[gi].sum += h;
			R += h;
			present[v] = true;
		}
	}
	/* the groups without withheld members say nothing of them */
	{
		int			n2 = 0;

		for (int i = 0; i < ng; i++)
		{
			long		m = 0;

			for (int v = 0; v < nw; v++)
				m += g[i].mix[v];
			if (m > 0)
				g[n2++] = g[i];
		}
		ng = n2;
	}
	if (ng == 0)
		goto out;
	capm = dominance < 1.0 ? dominance * (double) R : -1.0;
	for (int x = 0; x < nw && *ok; x++)
	{
		bool		exact;
		int			r;

		if (!present[x])
			continue;
		r = cells_reach(ng, g, x, SR_ZONES_BAND_CELLS_MOBILE, dominance, Hz, capm, w, nw,
						SR_ZONES_BAND_CELLS_WORK, &ops, &exact);
		if (r == 0 && !exact)
			r = cells_reach(ng, g, x, -1, dominance, Hz, capm, w, nw, SR_ZONES_BAND_CELLS_WORK, &ops, &exact);
		if (r != 1)
			*ok = false;
	}
out:
	sr_free(g);
	sr_free(cid);
	return SR_OK;
}
