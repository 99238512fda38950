/*
 * zones_indicators.c — statutory vacancy of land units and per-zone
 * indicators of the activity-zone observatory, from a placed model.
 */
#include "zones_internal.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

const char *
sr_zones_vacancy_reason_name(sr_vacancy_reason r)
{
	switch (r)
	{
		case SR_VAC_ACTIVE_CFE:
			return "active_cfe";
		case SR_VAC_OCCUPIED_NON_CFE:
			return "occupied_non_cfe";
		case SR_VAC_NEVER_OCCUPIED:
			return "never_occupied";
		case SR_VAC_NO_ACTIVITY_SINCE:
			return "no_activity_since";
	}
	return "?";
}

/* Active on at least one day of [from, to] (inclusive days). */
static bool
active_between(int32_t start, int32_t end, int32_t from, int32_t to)
{
	return (start == SR_ZONES_NO_DATE || start <= to) &&
		(end == SR_ZONES_NO_DATE || end >= from);
}

/* Whether building i stands in the year `year`: a building with a known
 * built_year later than that year did not exist yet; one of unknown year
 * (SR_ZONES_NO_YEAR) is counted, since it exists today and the data do not
 * date it.  The figures computed "at" a date (zone_indicators, the CNIG
 * exports) see only these buildings. */
bool
sr_zones_building_stands(const sr_zones_data *in, size_t i, int year)
{
	int32_t		by = in->built_year ? in->built_year[i] : SR_ZONES_NO_YEAR;

	return by == SR_ZONES_NO_YEAR || by <= year;
}

double
sr_zones_unit_ground_ha(const sr_zones_model *m, size_t u)
{
	/* computed once with the placement (sr_zones_build: parcel_zone_share
	 * of each of the unit's parcels with the unit's zone) */
	return m->unit_zone[u] < 0 ? 0.0 : m->unit_zone_area[u] / 1e4;
}

/* Zone index of establishment i when it is active on at_day and lies on a
 * parcel of a land unit placed in a zone, else -1: the establishments
 * zone_indicators counts.  The zone is its land unit's (sr_zones_estab_zone),
 * not its parcel's own. */
static int32_t
estab_active_zone(const sr_zones_data *in, const sr_zones_model *m, size_t i,
				  int32_t at_day)
{
	if (!active_between(in->start_day[i], in->end_day[i], at_day, at_day))
		return -1;
	return sr_zones_estab_zone(m, i);
}

/* The zone of establishment i: that of the land unit of its parcel, -1 when
 * it is on no parcel or its unit is in no zone.  The unit is the statute's
 * object (its vacancy, the CNIG terrain listing the establishment), and a
 * unit is placed whole in one zone, so the occupants of a unit belong to the
 * unit's zone even on a parcel whose own largest share is another zone's (or
 * none): else a zone shows an occupied unit without its establishment and
 * the next one an establishment on vacant units only. */
int32_t
sr_zones_estab_zone(const sr_zones_model *m, size_t i)
{
	int32_t		p = m->estab_parcel[i];

	return p < 0 ? -1 : m->unit_zone[m->parcel_unit[p]];
}

sr_status
sr_zones_vacancy(const sr_zones_data *in, const sr_zones_model *m,
				 int32_t ref_day, bool cfe_only, sr_unit_vacancy *out, sr_err *err)
{
	int			y,
				mo,
				d;
	int32_t		win_start;
	bool	   *any_active,
			   *cfe_active;
	size_t		i;

	sr_zones_civil_from_days(ref_day, &y, &mo, &d);
	/* the two years before the reference 1 January: [ref - 2 y, ref - 1 d] */
	win_start = sr_zones_days_from_civil(y - 2, mo, d);
	any_active = sr_alloc0((m->nunits ? m->nunits : 1) * sizeof(bool));
	cfe_active = sr_alloc0((m->nunits ? m->nunits : 1) * sizeof(bool));
	if (any_active == NULL || cfe_active == NULL)
	{
		sr_free(any_active);
		sr_free(cfe_active);
		return sr_error(err, SR_ENOMEM, "out of memory in land unit vacancy");
	}
	for (i = 0; i < m->nunits; i++)
	{
		out[i].vacant = false;
		out[i].last_activity_end = SR_ZONES_NO_DATE;
		out[i].last_cfe_end = SR_ZONES_NO_DATE;
		out[i].establishments_ever = 0;
		out[i].buildings = 0;
	}
	/* the buildings standing in the year of the reference date */
	for (i = 0; i < m->nbuildings; i++)
		if (m->building_parcel[i] >= 0 && sr_zones_building_stands(in, i, y))
			out[m->parcel_unit[m->building_parcel[i]]].buildings++;
	for (i = 0; i < m->nestabs; i++)
	{
		int32_t		p = m->estab_parcel[i],
					u,
					st = in->start_day[i],
					en = in->end_day[i];
		bool		cfe = in->cfe_liable && in->cfe_liable[i];

		if (p < 0)
			continue;
		u = m->parcel_unit[p];
		if (st != SR_ZONES_NO_DATE && st >= ref_day)
			continue;			/* not yet started on the reference date */
		out[u].establishments_ever++;
		if (active_between(st, en, win_start, ref_day - 1))
		{
			any_active[u] = true;
			if (cfe)
				cfe_active[u] = true;
		}
		if (en != SR_ZONES_NO_DATE && en < ref_day)
		{
			if (out[u].last_activity_end == SR_ZONES_NO_DATE || en > out[u].last_activity_end)
				out[u].last_activity_end = en;
			if (cfe && (out[u].last_cfe_end == SR_ZONES_NO_DATE || en > out[u].last_cfe_end))
				out[u].last_cfe_end = en;
		}
		if ((i & 65535) == 65535)
			sr_check_interrupts();
	}
	for (i = 0; i < m->nunits; i++)
	{
		if (cfe_active[i])
			out[i].reason = SR_VAC_ACTIVE_CFE;
		else if (any_active[i])
			out[i].reason = SR_VAC_OCCUPIED_NON_CFE;
		else if (out[i].establishments_ever == 0)
			out[i].reason = SR_VAC_NEVER_OCCUPIED;
		else
			out[i].reason = SR_VAC_NO_ACTIVITY_SINCE;
		/* L318-8-2 counts the units "qui ne sont plus affectées" to a
		 * CFE-liable activity for two years and have stayed unoccupied: a
		 * unit no establishment ever occupied is not "no longer" assigned,
		 * so it is not vacant (reported apart: never_occupied) */
		out[i].vacant = (out[i].reason == SR_VAC_NO_ACTIVITY_SINCE ||
						 (cfe_only && out[i].reason == SR_VAC_OCCUPIED_NON_CFE));
	}
	sr_free(any_active);
	sr_free(cfe_active);
	return SR_OK;
}

sr_status
sr_zones_indicators(const sr_zones_data *in, const sr_zones_model *m,
					int32_t at_day, int32_t ref_day, bool cfe_only,
					sr_zone_ind *out, sr_err *err)
{
	sr_unit_vacancy *vac;
	int32_t    *slot;			/* zone index -> output row */
	size_t		i;
	sr_status	st;
	int			at_year,
				mo,
				d;

	sr_zones_civil_from_days(at_day, &at_year, &mo, &d);

	vac = sr_alloc((m->nunits ? m->nunits : 1) * sizeof(sr_unit_vacancy));
	slot = sr_alloc((m->nzones ? m->nzones : 1) * sizeof(int32_t));
	if (vac == NULL || slot == NULL)
	{
		sr_free(vac);
		sr_free(slot);
		return sr_error(err, SR_ENOMEM, "out of memory in zone indicators");
	}
	st = sr_zones_vacancy(in, m, ref_day, cfe_only, vac, err);
	if (st != SR_OK)
	{
		sr_free(vac);
		sr_free(slot);
		return st;
	}
	for (i = 0; i < m->nzones; i++)
	{
		int32_t		z = m->zone_order[i];
		sr_zone_ind *o = &out[i];

		memset(o, 0, sizeof(*o));
		slot[z] = (int32_t) i;
		o->zone_id = in->zone_id[z];
		o->area_ha = m->zone_area[z] / 1e4;
	}
	for (i = 0; i < m->nparcels; i++)
		if (m->parcel_zone[i] >= 0)
			out[slot[m->parcel_zone[i]]].parcel_area_m2 += m->parcel_area[i];
	for (i = 0; i < m->nunits; i++)
	{
		sr_zone_ind *o;

		if (m->unit_zone[i] < 0)
			continue;
		o = &out[slot[m->unit_zone[i]]];
		o->land_units++;
		if (vac[i].buildings > 0)
			o->built_land_units++;
		if (vac[i].vacant)
			o->vacant_land_units++;
		if (vac[i].reason == SR_VAC_NEVER_OCCUPIED)
			o->never_occupied_land_units++;
		/*
		 * available land: vacant or never occupied, and carrying no
		 * building; its ground inside the zone, as land_consumption counts
		 * it (a unit's parcels reaching out of the zone are not the zone's
		 * land; before, the whole unit counted)
		 */
		if ((vac[i].vacant || vac[i].reason == SR_VAC_NEVER_OCCUPIED) && vac[i].buildings == 0)
			o->available_land_ha += sr_zones_unit_ground_ha(m, i);
	}
	for (i = 0; i < m->nbuildings; i++)
	{
		int32_t		p = m->building_parcel[i];
		sr_zone_ind *o;

		/* a building built after the year of at_day is not there yet */
		if (p < 0 || m->parcel_zone[p] < 0 || !sr_zones_building_stands(in, i, at_year))
			continue;
		o = &out[slot[m->parcel_zone[p]]];
		o->built_m2 += m->building_area[i];
		o->floor_m2 += m->building_area[i] * (double) (in->levels ? in->levels[i] : 1);
	}
	for (i = 0; i < m->nestabs; i++)
	{
		int32_t		z = estab_active_zone(in, m, i, at_day);
		sr_zone_ind *o;
		double		jobs;
		int			s = m->estab_section[i];

		if ((i & 65535) == 65535)
			sr_check_interrupts();
		if (z < 0)
			continue;
		o = &out[slot[z]];
		jobs = sr_zones_band_jobs(m->estab_band[i]);
		o->establishments++;
		o->jobs_estimate += jobs;
		o->sector_n[s]++;
		o->sector_jobs[s] += jobs;
	}
	for (i = 0; i < m->nzones; i++)
	{
		sr_zone_ind *o = &out[i];

		o->vacancy_rate = o->land_units > 0 ?
			(double) o->vacant_land_units / (double) o->land_units : NAN;
		o->footprint_ratio = o->parcel_area_m2 > 0.0 ? o->built_m2 / o->parcel_area_m2 : NAN;
		o->floor_area_ratio = o->parcel_area_m2 > 0.0 ? o->floor_m2 / o->parcel_area_m2 : NAN;
		o->jobs_per_ha = o->area_ha > 0.0 ? o->jobs_estimate / o->area_ha : NAN;
		o->sector_diversity = sr_zones_shannon(o->sector_n, SR_ZONES_NSECTIONS);
	}
	sr_free(vac);
	sr_free(slot);
	return SR_OK;
}

sr_status
sr_zones_unit_first_built(const sr_zones_data *in, const sr_zones_model *m,
						  int32_t *out, sr_err *err)
{
	size_t		i;

	(void) err;
	for (i = 0; i < m->nunits; i++)
		out[i] = SR_ZONES_NO_YEAR;
	for (i = 0; i < m->nbuildings; i++)
	{
		int32_t		p = m->building_parcel[i],
					y = in->built_year ? in->built_year[i] : SR_ZONES_NO_YEAR,
					u;

		if (p < 0)
			continue;
		u = m->parcel_unit[p];
		/* a building of unknown year may be the unit's first (BD TOPO leaves
		 * mostly old buildings undated): the unit's first year is unknown,
		 * whatever its dated buildings say */
		if (y == SR_ZONES_NO_YEAR)
			out[u] = SR_ZONES_UNDATED;
		else if (out[u] == SR_ZONES_NO_YEAR || (out[u] != SR_ZONES_UNDATED && y < out[u]))
			out[u] = y;
	}
	return SR_OK;
}

sr_status
sr_zones_zan_years_check(int from_year, int to_year, sr_err *err)
{
	if (from_year < 1800 || from_year > 2200)
	{
		sr_error(err, SR_ERANGE, "parameter \"from_year\" is %d, out of range", from_year);
		sr_error_detail(err, "The accepted range is [1800, 2200].");
		return err->status;
	}
	if (to_year < from_year || to_year - from_year > 400)
	{
		sr_error(err, SR_ERANGE, "parameter \"to_year\" is %d, out of range", to_year);
		sr_error_detail(err, "to_year must be between from_year (%d) and from_year + 400.", from_year);
		return err->status;
	}
	return SR_OK;
}

sr_status
sr_zones_land_consumption(const sr_zones_data *in, const sr_zones_model *m,
						  int from_year, int to_year, sr_zan_row **rows,
						  size_t *nrows, sr_err *err)
{
	size_t		nz = m->nzones;
	int			nyears,
				span_from,
				span_to,
				span;
	int32_t    *first = NULL,
			   *slot = NULL;
	double	   *base = NULL,
			   *byyear = NULL,
			   *undated_ha = NULL;
	int64_t    *count = NULL,
			   *undated = NULL;
	sr_zan_row *out = NULL;
	sr_status	st = SR_OK;

	*rows = NULL;
	*nrows = 0;
	if ((st = sr_zones_zan_years_check(from_year, to_year, err)) != SR_OK)
		return st;
	nyears = to_year - from_year + 1;
	/* consumption since 2021 is summed over 2021..max(to, 2030) */
	span_from = from_year < SR_ZAN_NEXT_FROM ? from_year : SR_ZAN_NEXT_FROM;
	span_to = to_year > SR_ZAN_NEXT_TO ? to_year : SR_ZAN_NEXT_TO;
	span = span_to - span_from + 1;
	first = sr_alloc(sizeof(int32_t) * (m->nunits ? m->nunits : 1));
	slot = sr_alloc(sizeof(int32_t) * (nz ? nz : 1));
	base = sr_alloc0(sizeof(double) * (nz ? nz : 1));
	byyear = sr_alloc0(sizeof(double) * (nz ? nz : 1) * span);
	count = sr_alloc0(sizeof(int64_t) * (nz ? nz : 1) * nyears);
	undated_ha = sr_alloc0(sizeof(double) * (nz ? nz : 1));
	undated = sr_alloc0(sizeof(int64_t) * (nz ? nz : 1));
	out = sr_alloc(sizeof(sr_zan_row) * (nz ? nz : 1) * nyears);
	if (!first || !slot || !base || !byyear || !count || !undated_ha || !undated || !out)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	if ((st = sr_zones_unit_first_built(in, m, first, err)) != SR_OK)
		goto done;
	/* zone index -> its rank in zone_id order */
	for (size_t i = 0; i < nz; i++)
		slot[m->zone_order[i]] = (int32_t) i;
	for (size_t u = 0; u < m->nunits; u++)
	{
		int32_t		z = m->unit_zone[u],
					y = first[u];

		/* the unit's ground inside its zone: its parts outside are not
		 * the zone's consumption (docs/zones.md, land consumption) */
		double		ha;

		if (z < 0 || y == SR_ZONES_NO_YEAR)
			continue;
		ha = sr_zones_unit_ground_ha(m, u);
		/* undated: in no year nor the baseline, reported per zone */
		if (y == SR_ZONES_UNDATED)
		{
			undated[slot[z]]++;
			undated_ha[slot[z]] += ha;
			continue;
		}
		if (y >= SR_ZAN_BASE_FROM && y <= SR_ZAN_BASE_TO)
			base[slot[z]] += ha;
		if (y >= span_from && y <= span_to)
			byyear[(size_t) slot[z] * span + (y - span_from)] += ha;
		if (y >= from_year && y <= to_year)
			count[(size_t) slot[z] * nyears + (y - from_year)]++;
	}
	for (size_t i = 0; i < nz; i++)
	{
		double		since = 0.0;

		for (int y = span_from; y <= span_to; y++)
		{
			double		c = byyear[i * span + (y - span_from)];
			sr_zan_row *r;

			if (y >= SR_ZAN_NEXT_FROM)
				since += c;
			if (y < from_year || y > to_year)
				continue;
			r = &out[*nrows];
			r->zone_id = in->zone_id[m->zone_order[i]];
			r->year = y;
			r->units_first_built = count[i * nyears + (y - from_year)];
			r->consumed_ha = c;
			r->baseline_ha = base[i];
			/* a zone that consumed nothing in 2011-2020 has no pace to
			 * halve: the law's envelope is the territory's (SCoT, PLU(i),
			 * commune), which may spend it in this zone, so the zone's own
			 * allowance is undefined, not 0 */
			r->allowance_ha = base[i] > 0.0 ? base[i] / 2.0 : NAN;
			/* the allowance is of 2021-2030: before 2021 nothing is spent
			 * from it yet (those years make the baseline, they are not on a
			 * trajectory), and what is built from 2031 on is not taken from
			 * it (the 2030 row says how the period ended) */
			r->since_2021_ha = y >= SR_ZAN_NEXT_FROM ? since : NAN;
			r->in_period = y >= SR_ZAN_NEXT_FROM && y <= SR_ZAN_NEXT_TO;
			r->remaining_ha = r->in_period && base[i] > 0.0 ? base[i] / 2.0 - since : NAN;
			r->within = !isnan(r->remaining_ha) && r->remaining_ha >= 0.0;
			r->undated_units = undated[i];
			r->undated_ha = undated_ha[i];
			(*nrows)++;
		}
	}
	*rows = out;
	out = NULL;
done:
	sr_free(first);
	sr_free(slot);
	sr_free(base);
	sr_free(byyear);
	sr_free(count);
	sr_free(undated_ha);
	sr_free(undated);
	sr_free(out);
	return st;
}

/* ---- statistical secrecy of the zone x NAF-section table --------------------
 *
 * The unit of the secrecy rules (INSEE, Guide du secret statistique) is the
 * enterprise, not the establishment: three establishments of one enterprise
 * are one unit, and an enterprise's establishments add up in the dominance
 * rule.  The published counts and values stay those of the establishments.
 */

/* The enterprise of an establishment: its SIREN (the first 9 digits) when
 * the siret is the 14 digits of a SIRET; any other siret (zone_indicators
 * reads any query, not only the hub table's checked column) is an
 * enterprise of its own, keyed -1 - i so that it meets no SIREN. */
int64_t
sr_zones_enterprise_key(const char *siret, size_t i)
{
	int64_t		siren = 0;
	int			k;

	/* stops at the terminating NUL, which is no digit */
	for (k = 0; k < 14; k++)
		if (siret[k] < '0' || siret[k] > '9')
			return -1 - (int64_t) i;
	if (siret[14] != '\0')
		return -1 - (int64_t) i;
	for (k = 0; k < 9; k++)
		siren = siren * 10 + (siret[k] - '0');
	return siren;
}

/* Open-addressing map from enterprise keys to dense ids 0, 1, ...; key
 * and id share a slot (one cache miss per lookup on a large map). */
typedef struct entslot
{
	int64_t		key;
	int32_t		id;				/* -1: empty slot */
} entslot;

typedef struct entmap
{
	size_t		mask;
	entslot    *slot;
	int32_t		n;
} entmap;

static bool
entmap_init(entmap *h, size_t expected)
{
	size_t		cap = 16,
				i;

	while (cap < 2 * expected)
		cap <<= 1;
	h->mask = cap - 1;
	h->n = 0;
	h->slot = sr_alloc(cap * sizeof(entslot));
	if (!h->slot)
		return false;
	for (i = 0; i < cap; i++)
		h->slot[i].id = -1;
	return true;
}

/* Dense id of key, a new one the first time (the map is never full: its
 * capacity is at least twice the keys put). */
static int32_t
entmap_id(entmap *h, int64_t key)
{
	uint64_t	x = (uint64_t) key;
	size_t		s;

	/* splitmix64's finaliser spreads consecutive SIRENs */
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	x ^= x >> 31;
	for (s = (size_t) x & h->mask; h->slot[s].id >= 0; s = (s + 1) & h->mask)
		if (h->slot[s].key == key)
			return h->slot[s].id;
	h->slot[s].key = key;
	h->slot[s].id = h->n;
	return h->n++;
}

/* One enterprise while the cells are counted: the last cell, zone row and
 * section it was counted in and its running jobs there, and its total. */
typedef struct entacc
{
	int64_t		cell,
				row,
				sec;
	double		in_cell,
				in_row,
				in_sec,
				total;
} entacc;

/* Count enterprise e (jobs j) in target cell t of a pass where each
 * target's entries come together: *stamp == t says e is already counted
 * there, *acc holds its running jobs in t.  Jobs are >= 0, so the largest
 * running sum is the largest enterprise total. */
static inline void
count_unit(int64_t *stamp, double *acc, int64_t t, double j, double *units,
		   double *max_value)
{
	if (*stamp != t)
	{
		*stamp = t;
		*acc = 0.0;
		units[t] += 1.0;
	}
	*acc += j;
	if (*acc > max_value[t])
		max_value[t] = *acc;
}

/* A counted establishment: its interior cell, enterprise and jobs. */
typedef struct entrow
{
	uint32_t	cell;
	int32_t		ent;
	double		jobs;
} entrow;

sr_status
sr_zones_secrecy_cells(const sr_zones_data *in, const sr_zones_model *m,
					   int32_t at_day, double *n, double *units, double *value,
					   double *max_value, sr_err *err)
{
	int			R = (int) m->nzones,
				C = SR_ZONES_NSECTIONS,
				C1 = SR_ZONES_NSECTIONS + 1;
	size_t		ncell = (size_t) (R + 1) * C1,
				ninner = (size_t) R * C1,
				grand = (size_t) R * C1 + C,
				k = 0,
				i,
				j;
	size_t		nest = m->nestabs ? m->nestabs : 1;
	int32_t    *slot = NULL;
	entrow	   *row = NULL,			/* input order, then by section */
			   *srt = NULL;			/* by cell */
	size_t	   *start = NULL;
	entacc	   *ea = NULL;
	entmap		em = {0};
	sr_status	st = SR_OK;

	if (ncell > UINT32_MAX)
		return sr_error(err, SR_ERANGE, "secrecy table of %d zones is too large", R);
	slot = sr_alloc(sizeof(int32_t) * (R ? R : 1));
	row = sr_alloc(sizeof(entrow) * nest);
	srt = sr_alloc(sizeof(entrow) * nest);
	start = sr_alloc(sizeof(size_t) * (ninner + 1));
	if (!slot || !row || !srt || !start || !entmap_init(&em, m->nestabs))
		goto nomem;
	for (i = 0; i < ncell; i++)
		n[i] = units[i] = value[i] = max_value[i] = 0.0;
	for (i = 0; i < (size_t) R; i++)
		slot[m->zone_order[i]] = (int32_t) i;

	/* the counted establishments, in input order (the order of
	 * sr_zones_indicators, so the values are its sector_jobs exactly) */
	for (i = 0; i < m->nestabs; i++)
	{
		int32_t		z = estab_active_zone(in, m, i, at_day);
		entrow	   *e = &row[k];

		if ((i & 65535) == 65535)
			sr_check_interrupts();
		if (z < 0)
			continue;
		e->cell = (uint32_t) ((size_t) slot[z] * C1 + m->estab_section[i]);
		e->jobs = sr_zones_band_jobs(m->estab_band[i]);
		e->ent = entmap_id(&em, sr_zones_enterprise_key(in->siret[i], i));
		n[e->cell] += 1.0;
		value[e->cell] += e->jobs;
		k++;
	}
	/* published counts and values are additive: their margins are sums */
	sr_secrecy_fill_margins(R, C, n, value, NULL, NULL);

	/* counting sorts: row -> srt by interior cell (row-major, so a zone's
	 * cells come together too), then srt -> row by section */
	memset(start, 0, sizeof(size_t) * (ninner + 1));
	for (j = 0; j < k; j++)
		start[row[j].cell + 1]++;
	for (i = 0; i < ninner; i++)
		start[i + 1] += start[i];
	for (j = 0; j < k; j++)
		srt[start[row[j].cell]++] = row[j];
	memset(start, 0, sizeof(size_t) * (C + 1));
	for (j = 0; j < k; j++)
		start[srt[j].cell % C1 + 1]++;
	for (i = 0; i < (size_t) C; i++)
		start[i + 1] += start[i];
	for (j = 0; j < k; j++)
		row[start[srt[j].cell % C1]++] = srt[j];

	/* two passes: by cell (interior cells and zone totals), by section
	 * (section totals, and the grand total, which needs no order) */
	ea = sr_alloc(sizeof(entacc) * (em.n ? em.n : 1));
	if (!ea)
		goto nomem;
	for (i = 0; i < (size_t) em.n; i++)
	{
		ea[i].cell = ea[i].row = ea[i].sec = -1;
		ea[i].total = 0.0;
	}
	for (j = 0; j < k; j++)
	{
		const entrow *e = &srt[j];
		entacc	   *a = &ea[e->ent];

		if ((j & 65535) == 65535)
			sr_check_interrupts();
		count_unit(&a->cell, &a->in_cell, e->cell, e->jobs, units, max_value);
		count_unit(&a->row, &a->in_row, (e->cell / C1) * C1 + C, e->jobs, units, max_value);
	}
	for (j = 0; j < k; j++)
	{
		const entrow *e = &row[j];
		entacc	   *a = &ea[e->ent];

		if ((j & 65535) == 65535)
			sr_check_interrupts();
		count_unit(&a->sec, &a->in_sec, (int64_t) ((size_t) R * C1 + e->cell % C1), e->jobs,
				   units, max_value);
		a->total += e->jobs;
		if (a->total > max_value[grand])
			max_value[grand] = a->total;
	}
	units[grand] = em.n;
	goto done;
nomem:
	st = sr_error(err, SR_ENOMEM, "out of memory in the secrecy table of zone indicators");
done:
	sr_free(em.slot);
	sr_free(slot);
	sr_free(row);
	sr_free(srt);
	sr_free(start);
	sr_free(ea);
	return st;
}

/*
 * Each zone is protected as a table of its own: its row of sections and its
 * total, with the column totals of that one-row table (equal to its cells).
 * zone_indicators and the CNIG files publish no section total across zones,
 * so the rows are independent tables, and a zone's pattern must not depend
 * on which other zones the call holds: protected together, a zone's
 * secondary cells were chosen by rectangles through other zones, and the
 * same zone published by its own EPCI (alone, or with its commune's zones)
 * and in the region's table hid different cells, whose union left a primary
 * cell alone, recomputed from the zone total (the ZAE review of 2026-12-06;
 * sql/zones_secrecy.sql, test_zones).  The section totals and the grand
 * total, never shown, are marked secondary.
 */
sr_status
sr_zones_publish_status(const sr_zones_data *in, const sr_zones_model *m,
						int32_t at_day, bool fiscal, const sr_secrecy_rules *rules,
						const bool *in_scope, uint8_t *status, sr_err *err)
{
	int			R = (int) m->nzones,
				C = SR_ZONES_NSECTIONS,
				C1 = SR_ZONES_NSECTIONS + 1;
	size_t		ncell = (size_t) (R + 1) * C1,
				n1cell = (size_t) 2 * C1;
	double	   *n = sr_alloc(sizeof(double) * ncell),
			   *u = sr_alloc(sizeof(double) * ncell),
			   *v = sr_alloc(sizeof(double) * ncell),
			   *mx = sr_alloc(sizeof(double) * ncell),
			   *n1 = sr_alloc(sizeof(double) * n1cell),
			   *u1 = sr_alloc(sizeof(double) * n1cell),
			   *v1 = sr_alloc(sizeof(double) * n1cell),
			   *mx1 = sr_alloc(sizeof(double) * n1cell);
	bool	   *fis = sr_alloc(sizeof(bool) * n1cell);
	bool	   *fis0 = sr_alloc(sizeof(bool) * n1cell);
	uint8_t    *st1 = sr_alloc(n1cell),
			   *st0 = sr_alloc(n1cell),
			   *reason = sr_alloc(n1cell);
	bool	   *unsettled = sr_alloc(sizeof(bool) * (R ? R : 1));
	sr_status	st;

	if (!n || !u || !v || !mx || !n1 || !u1 || !v1 || !mx1 || !fis || !fis0 || !st1 || !st0 ||
		!reason || !unsettled)
		st = sr_error(err, SR_ENOMEM, "out of memory");
	else if ((st = sr_zones_secrecy_cells(in, m, at_day, n, u, v, mx, err)) == SR_OK &&
			 (st = sr_zones_zone_withheld(in, m, at_day, in_scope, unsettled, err)) == SR_OK)
	{
		/* every cell, totals included, is fiscal or none is */
		for (size_t i = 0; i < n1cell; i++)
		{
			fis[i] = fiscal;
			fis0[i] = false;
		}
		for (int r = 0; r < R && st == SR_OK; r++)
		{
			size_t		base = (size_t) r * C1;

			/* row 0: the zone's sections and total; row 1: the one-row
			 * table's column totals, the same cells (same enterprises) */
			for (int c = 0; c < C1; c++)
				for (int t = 0; t < 2; t++)
				{
					n1[t * C1 + c] = n[base + c];
					u1[t * C1 + c] = u[base + c];
					v1[t * C1 + c] = v[base + c];
					mx1[t * C1 + c] = mx[base + c];
				}
			st = sr_secrecy_protect_units(1, C, n1, u1, v1, mx1, fis, NULL, rules,
										  st1, reason, err);
			/*
			 * A fiscal pattern also hides every cell the non-fiscal one
			 * hides.  Both may be published of the same zone, and the
			 * fiscal one's other primaries could stand for a secondary cell
			 * of the other: C 1, G 30 establishments of 5 enterprises, J 12
			 * of 12 hid {C, J} (G dearer by its establishments) and, fiscal,
			 * {C, G} (G under 11 units), so C = 43 - 30 - 12 = 1 (the red
			 * team of 2026-12-07).  Hiding more only widens the attacker's
			 * intervals, so the union still protects the fiscal table, and
			 * the two releases together show what the non-fiscal one shows.
			 */
			if (fiscal && st == SR_OK)
			{
				st = sr_secrecy_protect_units(1, C, n1, u1, v1, mx1, fis0, NULL, rules,
											  st0, reason, err);
				for (int c = 0; c < C1 && st == SR_OK; c++)
					for (int t = 0; t < 2; t++)
						if (st1[t * C1 + c] == SR_SECRET_PUBLISHED && st0[t * C1 + c] != SR_SECRET_PUBLISHED)
							st1[t * C1 + c] = SR_SECRET_SECONDARY;
			}
			memcpy(status + base, st1, C1);
			/* a zone whose count depends on the zones of the call, or on
			 * who calls: nothing of its table is shown (sr_zones_zone_withheld) */
			if (unsettled[r])
				memset(status + base, SR_SECRET_SECONDARY, C1);
		}
		for (int c = 0; c < C1; c++)
			status[(size_t) R * C1 + c] = SR_SECRET_SECONDARY;
	}
	sr_free(n);
	sr_free(u);
	sr_free(v);
	sr_free(mx);
	sr_free(n1);
	sr_free(u1);
	sr_free(v1);
	sr_free(mx1);
	sr_free(fis);
	sr_free(fis0);
	sr_free(st1);
	sr_free(st0);
	sr_free(reason);
	sr_free(unsettled);
	return st;
}

sr_status
sr_zones_zone_unsettled(const sr_zones_data *in, const sr_zones_model *m, int32_t at_day,
						bool *unsettled, sr_err *err)
{
	int32_t    *slot = sr_alloc(sizeof(int32_t) * (m->nzones ? m->nzones : 1));

	if (!slot)
		return sr_error(err, SR_ENOMEM, "out of memory in the placement check of zone indicators");
	for (size_t i = 0; i < m->nzones; i++)
	{
		slot[m->zone_order[i]] = (int32_t) i;
		unsettled[i] = false;
	}
	for (size_t i = 0; i < m->nestabs; i++)
	{
		int32_t		z = estab_active_zone(in, m, i, at_day);

		if ((i & 65535) == 65535)
			sr_check_interrupts();
		/* z >= 0: on a parcel, its unit placed in zone z */
		if (z >= 0 && !m->unit_settled[m->parcel_unit[m->estab_parcel[i]]])
			unsettled[slot[z]] = true;
	}
	sr_free(slot);
	return SR_OK;
}

sr_status
sr_zones_zone_withheld(const sr_zones_data *in, const sr_zones_model *m, int32_t at_day,
					   const bool *in_scope, bool *withheld, sr_err *err)
{
	sr_status	st = sr_zones_zone_unsettled(in, m, at_day, withheld, err);

	if (st != SR_OK || in_scope == NULL)
		return st;
	/* a published figure is the whole population's: a zone outside what the
	 * caller reads whole (in_scope false, input order) is not published */
	for (size_t i = 0; i < m->nzones; i++)
		if (!in_scope[m->zone_order[i]])
			withheld[i] = true;
	return SR_OK;
}

void
sr_zones_zone_out_of_scope(const sr_zones_model *m, const bool *in_scope, bool *out_of_scope)
{
	/* in_scope is in input order, the rows in zone_id order (zone_order) */
	for (size_t i = 0; i < m->nzones; i++)
		out_of_scope[i] = in_scope != NULL && !in_scope[m->zone_order[i]];
}

sr_status
sr_zones_off_parcel_shown(const sr_zones_data *in, const sr_zones_model *m, bool fiscal,
						  const sr_secrecy_rules *rules, bool *shown, sr_err *err)
{
	entmap		em = {0};
	double		units;
	size_t		i;

	*shown = true;
	if (m->estabs_off_parcel == 0)
		return SR_OK;			/* an empty count tells of no one */
	if (!entmap_init(&em, (size_t) m->estabs_off_parcel))
		return sr_error(err, SR_ENOMEM, "out of memory counting the enterprises off parcel");
	for (i = 0; i < m->nestabs; i++)
	{
		if ((i & 65535) == 65535)
			sr_check_interrupts();
		if (m->estab_parcel[i] < 0)
			(void) entmap_id(&em, sr_zones_enterprise_key(in->siret[i], i));
	}
	units = (double) em.n;
	sr_free(em.slot);
	/* the primary rules of a count (min_units, fiscal_min_units), on its
	 * enterprises as for the zone x section cells; it has no published
	 * value, so no dominance, and no published figure adds it to others,
	 * so nothing else recomputes it */
	if (units < rules->min_units || (fiscal && units < rules->fiscal_min_units))
		*shown = false;
	return SR_OK;
}

sr_status
sr_zones_call_counts_shown(const sr_zones_data *in, const sr_zones_model *m, bool fiscal,
						   const sr_secrecy_rules *rules, bool filtered,
						   sr_zones_call_counts *shown, sr_err *err)
{
	bool		off = false;
	sr_status	st;

	/* a filtered caller's counts are of its own rows, not the whole
	 * population's: not published (sr_zones.h says why not over its scope) */
	shown->parcels_outside = shown->estabs_off_parcel = shown->buildings_off_parcel = !filtered;
	if (filtered)
		return SR_OK;
	if ((st = sr_zones_off_parcel_shown(in, m, fiscal, rules, &off, err)) != SR_OK)
		return st;
	shown->estabs_off_parcel = off;
	return SR_OK;
}

/* sr_zones_jobs_protected_cells for zone_indicators' published view: when
 * fiscal, a zone's jobs are shown only if the non-fiscal pattern would show
 * them too (the same jobs are then in both releases; shown beside the
 * non-fiscal one's published cells, which the fiscal one hides, they could
 * give bands away). */
sr_status
sr_zones_jobs_published(const sr_zones_data *in, const sr_zones_model *m, int32_t at_day,
						bool fiscal, const sr_secrecy_rules *rules, const bool *in_scope,
						const uint8_t *status, bool *jobs_ok, sr_err *err)
{
	size_t		nz = m->nzones ? m->nzones : 1;
	uint8_t    *st0;
	bool	   *ok0;
	sr_status	st;

	st = sr_zones_jobs_protected_cells(in, m, at_day, status, rules->dominance, jobs_ok, err);
	if (st != SR_OK || !fiscal)
		return st;
	st0 = sr_alloc((m->nzones + 1) * (SR_ZONES_NSECTIONS + 1));
	ok0 = sr_alloc(sizeof(bool) * nz);
	if (!st0 || !ok0)
		st = sr_error(err, SR_ENOMEM, "out of memory in the band check of zone indicators");
	else if ((st = sr_zones_publish_status(in, m, at_day, false, rules, in_scope, st0, err)) == SR_OK &&
			 (st = sr_zones_jobs_protected_cells(in, m, at_day, st0, rules->dominance, ok0, err)) == SR_OK)
		for (size_t i = 0; i < m->nzones; i++)
			jobs_ok[i] = jobs_ok[i] && ok0[i];
	sr_free(st0);
	sr_free(ok0);
	return st;
}

sr_status
sr_zones_jobs_protected_cells(const sr_zones_data *in, const sr_zones_model *m, int32_t at_day,
							  const uint8_t *status, double dominance, bool *jobs_ok, sr_err *err)
{
	int			R = (int) m->nzones,
				C = SR_ZONES_NSECTIONS,
				C1 = SR_ZONES_NSECTIONS + 1,
				NB = SR_ZONES_NBANDS;
	long	   *mix = sr_alloc0(sizeof(long) * (size_t) (R ? R : 1) * C * NB),
			   *cells = sr_alloc(sizeof(long) * (size_t) C * NB),
				rest[SR_ZONES_NBANDS];
	int32_t    *slot = sr_alloc(sizeof(int32_t) * (R ? R : 1));
	sr_status	st = SR_OK;

	if (!mix || !cells || !slot)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory in the band check of zone indicators");
		goto out;
	}
	for (int i = 0; i < R; i++)
		slot[m->zone_order[i]] = i;
	/* the zone's active establishments by section and band (as counted by
	 * sr_zones_indicators) */
	for (size_t i = 0; i < m->nestabs; i++)
	{
		int32_t		z = estab_active_zone(in, m, i, at_day);

		if ((i & 65535) == 65535)
			sr_check_interrupts();
		if (z >= 0)
			mix[((size_t) slot[z] * C + m->estab_section[i]) * NB + m->estab_band[i]]++;
	}
	for (int i = 0; i < R && st == SR_OK; i++)
	{
		int			nc = 0;

		jobs_ok[i] = true;
		if (status[(size_t) i * C1 + C] != SR_SECRET_PUBLISHED)
			continue;			/* the zone's jobs are not shown anyway */
		memset(rest, 0, sizeof(rest));
		for (int c = 0; c < C; c++)
		{
			const long *cm = mix + ((size_t) i * C + c) * NB;
			bool		any = false;

			for (int b = 0; b < NB; b++)
				any |= cm[b] > 0;
			if (!any)
				continue;
			if (status[(size_t) i * C1 + c] == SR_SECRET_PUBLISHED)
				memcpy(cells + (size_t) nc++ * NB, cm, sizeof(long) * NB);
			else
				for (int b = 0; b < NB; b++)
					rest[b] += cm[b];
		}
		st = sr_zones_bands_cells_protected(nc, cells, rest, dominance, &jobs_ok[i], err);
	}
out:
	sr_free(mix);
	sr_free(cells);
	sr_free(slot);
	return st;
}
