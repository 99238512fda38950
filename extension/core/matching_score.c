/*
 * matching_score.c — project/premise records, hard constraints and soft
 * criteria of the tiers-lieux matching (match_score, match_explain).
 */
#include "sr_matching.h"
#include "sr_geom.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

const char *const sr_match_kind_names[] = {
	"coworking", "fablab", "shared_workshop", "office", "shared_kitchen",
	"cultural", "living_lab", "event_space", "storage", "retail", NULL
};
const int	sr_match_n_kinds = 10;

const char *const sr_match_amenity_names[] = {
	"wifi", "meeting_room", "kitchen", "parking", "bike_parking", "shower",
	"printer", "storage", "reception", "phone_booth", "event_room",
	"air_conditioning", "3d_printer", "laser_cutter", "woodworking",
	"cold_room", "loading_dock", "24h_access", "childcare", "garden", NULL
};
const int	sr_match_n_amenities = 20;

const char *const sr_match_activity_names[] = {
	"noise", "public_reception", "food", "machinery", "events", "night",
	"chemicals", NULL
};
const int	sr_match_n_activities = 7;

const char *const sr_match_weekday_names[] = {
	"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL
};

const char *const sr_match_hard_names[] = {
	"kind", "surface", "budget", "availability", "term", "step_free",
	"amenities", "activities", "travel", NULL
};

const char *const sr_match_crit_names[] = {
	"distance", "surface", "price", "amenities", "hours", "capacity", NULL
};

const char *const sr_match_decay_names[] = {
	"exponential", "linear", "gaussian", "logistic", NULL
};

/* ------------------------------------------------------------------ */
/* records                                                            */
/* ------------------------------------------------------------------ */

void
sr_match_project_init(sr_match_project *p)
{
	memset(p, 0, sizeof(*p));
	p->lon = p->lat = NAN;
	p->max_distance_km = p->max_travel_min = NAN;
	p->surface_min_m2 = p->surface_max_m2 = NAN;
	p->team_size = p->budget_month = p->duration_months = NAN;
	p->start_date = SR_MATCH_NODATE;
}

void
sr_match_premise_init(sr_match_premise *q)
{
	memset(q, 0, sizeof(*q));
	q->lon = q->lat = NAN;
	q->surface_m2 = q->capacity = q->rent_month = q->min_term_months = NAN;
	q->available_from = q->available_to = SR_MATCH_NODATE;
}

/* Index of word s in a NULL-terminated list, -1 if absent. */
static int
word_index(const char *const *list, const char *s, size_t len)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == len && memcmp(list[i], s, len) == 0)
			return i;
	return -1;
}

static bool
key_is(const char *key, const char *name)
{
	return strcmp(key, name) == 0;
}

/* Field descriptor: where a key lives in the record and what it holds. */
typedef enum
{
	F_NUM, F_NONNEG_NUM, F_LON, F_LAT, F_BOOL, F_DATE, F_MASK, F_TEXT, F_ID
} ftype;

typedef struct
{
	const char *key;
	ftype		type;
	size_t		off;
	const char *const *vocab;	/* for F_MASK */
	const char *vocab_name;
} fdesc;

#define PF(k, t, m) {k, t, offsetof(sr_match_project, m), NULL, NULL}
#define PM(k, m, v, vn) {k, F_MASK, offsetof(sr_match_project, m), v, vn}
#define QF(k, t, m) {k, t, offsetof(sr_match_premise, m), NULL, NULL}
#define QM(k, m, v, vn) {k, F_MASK, offsetof(sr_match_premise, m), v, vn}

static const fdesc project_fields[] = {
	PF("id", F_ID, id),
	PF("lon", F_LON, lon),
	PF("lat", F_LAT, lat),
	PF("max_distance_km", F_NONNEG_NUM, max_distance_km),
	PF("max_travel_min", F_NONNEG_NUM, max_travel_min),
	PM("kinds", kinds, sr_match_kind_names, "kind"),
	PF("surface_min_m2", F_NONNEG_NUM, surface_min_m2),
	PF("surface_max_m2", F_NONNEG_NUM, surface_max_m2),
	PF("team_size", F_NONNEG_NUM, team_size),
	PF("budget_month", F_NONNEG_NUM, budget_month),
	PF("start_date", F_DATE, start_date),
	PF("duration_months", F_NONNEG_NUM, duration_months),
	PM("amenities_required", amenities_required, sr_match_amenity_names, "amenity"),
	PM("amenities_wished", amenities_wished, sr_match_amenity_names, "amenity"),
	PF("step_free_needed", F_BOOL, step_free_needed),
	PM("activities", activities, sr_match_activity_names, "activity"),
	{NULL, 0, 0, NULL, NULL}
};

static const fdesc premise_fields[] = {
	QF("id", F_ID, id),
	QF("lon", F_LON, lon),
	QF("lat", F_LAT, lat),
	QM("kinds", kinds, sr_match_kind_names, "kind"),
	QF("surface_m2", F_NONNEG_NUM, surface_m2),
	QF("capacity", F_NONNEG_NUM, capacity),
	QF("rent_month", F_NONNEG_NUM, rent_month),
	QF("available_from", F_DATE, available_from),
	QF("available_to", F_DATE, available_to),
	QF("min_term_months", F_NONNEG_NUM, min_term_months),
	QM("amenities", amenities, sr_match_amenity_names, "amenity"),
	QF("step_free", F_BOOL, step_free),
	QM("activities_allowed", activities_allowed, sr_match_activity_names, "activity"),
	QF("owner", F_TEXT, owner),
	{NULL, 0, 0, NULL, NULL}
};

static const char *
side_name(sr_match_side side)
{
	return side == SR_MATCH_PROJECT ? "project" : "premise";
}

static const fdesc *
find_field(sr_match_side side, const char *key, sr_err *err)
{
	const fdesc *f = side == SR_MATCH_PROJECT ? project_fields : premise_fields;

	for (; f->key; f++)
		if (key_is(key, f->key))
			return f;
	sr_error(err, SR_ENOTFOUND, "\"%s\" is not a %s field", key, side_name(side));
	return NULL;
}

static const char *
type_word(ftype t)
{
	switch (t)
	{
		case F_BOOL:
			return "a boolean";
		case F_DATE:
			return "a date string \"YYYY-MM-DD\"";
		case F_MASK:
			return "an array of text";
		case F_TEXT:
			return "a string";
		default:
			return "a number";
	}
}

static sr_status
wrong_type(sr_match_side side, const fdesc *f, const char *got, sr_err *err)
{
	sr_error(err, SR_EINVAL, "%s field \"%s\" must be %s, not %s",
			 side_name(side), f->key, type_word(f->type), got);
	return SR_EINVAL;
}

sr_status
sr_match_set_number(sr_match_side side, void *rec, const char *key,
					double v, sr_err *err)
{
	const fdesc *f = find_field(side, key, err);
	char	   *base = (char *) rec;

	if (!f)
		return SR_ENOTFOUND;
	if (f->type == F_ID)
	{
		if (!isfinite(v) || v != floor(v) || fabs(v) > 9.2e18)
			return sr_error(err, SR_EINVAL, "%s field \"id\" must be an integer, got %g",
							side_name(side), v);
		*(int64_t *) (base + f->off) = (int64_t) v;
		return SR_OK;
	}
	if (f->type != F_NUM && f->type != F_NONNEG_NUM && f->type != F_LON &&
		f->type != F_LAT)
		return wrong_type(side, f, "a number", err);
	if (!isfinite(v))
		return sr_error(err, SR_EINVAL, "%s field \"%s\" must be a finite number",
						side_name(side), key);
	if (f->type == F_NONNEG_NUM && v < 0)
		return sr_error(err, SR_ERANGE, "%s field \"%s\" must be >= 0, got %g",
						side_name(side), key, v);
	if (f->type == F_LON && (v < -180 || v > 180))
		return sr_error(err, SR_ERANGE, "%s field \"lon\" must be in [-180, 180], got %g",
						side_name(side), v);
	if (f->type == F_LAT && (v < -90 || v > 90))
		return sr_error(err, SR_ERANGE, "%s field \"lat\" must be in [-90, 90], got %g",
						side_name(side), v);
	*(double *) (base + f->off) = v;
	return SR_OK;
}

sr_status
sr_match_set_bool(sr_match_side side, void *rec, const char *key, bool v,
				  sr_err *err)
{
	const fdesc *f = find_field(side, key, err);

	if (!f)
		return SR_ENOTFOUND;
	if (f->type != F_BOOL)
		return wrong_type(side, f, "a boolean", err);
	*(bool *) ((char *) rec + f->off) = v;
	return SR_OK;
}


sr_status
sr_match_parse_date(const char *s, size_t len, int32_t *days, sr_err *err)
{
	int			y,
				m,
				d;
	char		buf[32];
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (len != 10 || s[4] != '-' || s[7] != '-')
		goto bad;
	memcpy(buf, s, len);
	buf[len] = '\0';
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (buf[i] < '0' || buf[i] > '9'))
			goto bad;
	y = (buf[0] - '0') * 1000 + (buf[1] - '0') * 100 + (buf[2] - '0') * 10 + (buf[3] - '0');
	m = (buf[5] - '0') * 10 + (buf[6] - '0');
	d = (buf[8] - '0') * 10 + (buf[9] - '0');
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
		(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)))
		goto bad;
	*days = (int32_t) sr_days_from_civil(y, m, d);
	return SR_OK;
bad:
	return sr_error(err, SR_ESYNTAX, "invalid date \"%.*s\"", (int) (len > 40 ? 40 : len), s);
}

sr_status
sr_match_set_text(sr_match_side side, void *rec, const char *key,
				  const char *s, size_t len, sr_err *err)
{
	const fdesc *f = find_field(side, key, err);
	char	   *base = (char *) rec;

	if (!f)
		return SR_ENOTFOUND;
	switch (f->type)
	{
		case F_DATE:
			{
				int32_t		days;

				if (sr_match_parse_date(s, len, &days, err) != SR_OK)
				{
					sr_error(err, SR_ESYNTAX,
							 "%s field \"%s\" is not a date \"YYYY-MM-DD\": \"%.*s\"",
							 side_name(side), key, (int) (len > 40 ? 40 : len), s);
					return SR_ESYNTAX;
				}
				*(int32_t *) (base + f->off) = days;
				return SR_OK;
			}
		case F_TEXT:
			{
				size_t		n = len < 63 ? len : 63;
				char	   *dst = base + f->off;

				memcpy(dst, s, n);
				dst[n] = '\0';
				return SR_OK;
			}
		case F_MASK:
			/* a single word stands for a one-element list */
			return sr_match_add_item(side, rec, key, s, len, err);
		default:
			/* to_jsonb writes a float8 NaN or infinity as a string: say what
			 * the value is, not that a string came */
			if (f->type != F_BOOL &&
				((len == 3 && memcmp(s, "NaN", 3) == 0) || (len == 8 && memcmp(s, "Infinity", 8) == 0) ||
				 (len == 9 && memcmp(s, "-Infinity", 9) == 0)))
			{
				sr_error(err, SR_EINVAL, "%s field \"%s\" must be a finite number, got %.*s",
						 side_name(side), key, (int) len, s);
				sr_error_hint(err, "to_jsonb writes a double precision NaN or infinity as this string; leave such rows out or set the value to NULL.");
				return SR_EINVAL;
			}
			return wrong_type(side, f, "a string", err);
	}
}

/* A premise's amenities given, even as []: known (absent or null: unknown) */
static void
mark_listed(sr_match_side side, void *rec, const fdesc *f)
{
	if (side == SR_MATCH_PREMISE && f->off == offsetof(sr_match_premise, amenities))
		((sr_match_premise *) rec)->amenities_set = true;
}

sr_status
sr_match_add_item(sr_match_side side, void *rec, const char *key,
				  const char *s, size_t len, sr_err *err)
{
	const fdesc *f = find_field(side, key, err);
	int			i;

	if (!f)
		return SR_ENOTFOUND;
	if (f->type != F_MASK)
		return wrong_type(side, f, "an array", err);
	i = word_index(f->vocab, s, len);
	if (i < 0)
	{
		sr_error(err, SR_EINVAL, "unrecognized %s \"%.*s\" in %s field \"%s\"",
				 f->vocab_name, (int) (len > 40 ? 40 : len), s, side_name(side), key);
		sr_error_hint(err, "See docs/matching.md for the accepted %s words.",
					  f->vocab_name);
		return SR_EINVAL;
	}
	*(uint32_t *) ((char *) rec + f->off) |= (uint32_t) 1 << i;
	mark_listed(side, rec, f);
	return SR_OK;
}

sr_status
sr_match_touch_list(sr_match_side side, void *rec, const char *key, sr_err *err)
{
	const fdesc *f = find_field(side, key, err);

	if (!f)
		return SR_ENOTFOUND;
	if (f->type != F_MASK)
		return wrong_type(side, f, "an array", err);
	mark_listed(side, rec, f);
	return SR_OK;
}

static sr_match_hours *
hours_of(sr_match_side side, void *rec)
{
	return side == SR_MATCH_PROJECT ? &((sr_match_project *) rec)->hours
		: &((sr_match_premise *) rec)->hours;
}

void
sr_match_touch_hours(sr_match_side side, void *rec)
{
	hours_of(side, rec)->set = true;
}

sr_status
sr_match_add_hours_range(sr_match_side side, void *rec, const char *day,
						 size_t daylen, double start_min, double end_min,
						 sr_err *err)
{
	sr_match_hours *h = hours_of(side, rec);
	int			d = word_index(sr_match_weekday_names, day, daylen);
	int			n;

	if (d < 0)
		return sr_error(err, SR_EINVAL,
						"%s field \"hours\": unrecognized weekday \"%.*s\"",
						side_name(side), (int) (daylen > 20 ? 20 : daylen), day);
	if (!(start_min >= 0 && end_min <= 1440 && start_min < end_min) ||
		start_min != floor(start_min) || end_min != floor(end_min))
		return sr_error(err, SR_ERANGE,
						"%s field \"hours\" (%s): range [%g, %g) must be whole minutes with 0 <= start < end <= 1440",
						side_name(side), sr_match_weekday_names[d], start_min, end_min);
	n = h->n[d];
	if (n >= SR_MATCH_MAX_RANGES)
		return sr_error(err, SR_EINVAL, "%s field \"hours\" (%s): more than %d ranges",
						side_name(side), sr_match_weekday_names[d], SR_MATCH_MAX_RANGES);
	if (n > 0 && start_min < h->r[d][n - 1][1])
		return sr_error(err, SR_EINVAL,
						"%s field \"hours\" (%s): ranges must be ascending and must not overlap",
						side_name(side), sr_match_weekday_names[d]);
	h->r[d][n][0] = (int16_t) start_min;
	h->r[d][n][1] = (int16_t) end_min;
	h->n[d] = (uint8_t) (n + 1);
	h->set = true;
	return SR_OK;
}

/* Parses "HH:MM" at s[0..4]; -1 on error. */
static int
parse_hhmm(const char *s, size_t len)
{
	int			h,
				m;

	if (len != 5 || s[2] != ':' || s[0] < '0' || s[0] > '9' || s[1] < '0' ||
		s[1] > '9' || s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (h > 24 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

sr_status
sr_match_set_hours_text(sr_match_side side, void *rec, const char *day,
						size_t daylen, const char *s, size_t len, sr_err *err)
{
	size_t		pos = 0;

	sr_match_touch_hours(side, rec);
	if (len == 6 && memcmp(s, "closed", 6) == 0)
		return SR_OK;
	while (pos < len)
	{
		size_t		end = pos;
		int			a,
					b;
		sr_status	st;

		while (end < len && s[end] != ',')
			end++;
		/* one range "HH:MM-HH:MM" */
		if (end - pos != 11 || s[pos + 5] != '-' ||
			(a = parse_hhmm(s + pos, 5)) < 0 || (b = parse_hhmm(s + pos + 6, 5)) < 0)
		{
			sr_error(err, SR_ESYNTAX,
					 "%s field \"hours\" (%.*s): invalid range \"%.*s\"",
					 side_name(side), (int) (daylen > 20 ? 20 : daylen), day,
					 (int) (end - pos > 40 ? 40 : end - pos), s + pos);
			sr_error_hint(err, "Write \"HH:MM-HH:MM\", several ranges separated by commas, or \"closed\".");
			return SR_ESYNTAX;
		}
		st = sr_match_add_hours_range(side, rec, day, daylen, a, b, err);
		if (st != SR_OK)
			return st;
		pos = end + 1;
	}
	return SR_OK;
}

sr_status
sr_match_project_check(const sr_match_project *p, sr_err *err)
{
	if (isnan(p->lon) != isnan(p->lat))
		return sr_error(err, SR_EINVAL, "project %lld: \"lon\" and \"lat\" must be given together",
						(long long) p->id);
	if (!isnan(p->surface_min_m2) && !isnan(p->surface_max_m2) &&
		p->surface_min_m2 > p->surface_max_m2)
		return sr_error(err, SR_EINVAL,
						"project %lld: \"surface_min_m2\" (%g) is greater than \"surface_max_m2\" (%g)",
						(long long) p->id, p->surface_min_m2, p->surface_max_m2);
	return SR_OK;
}

sr_status
sr_match_premise_check(const sr_match_premise *q, sr_err *err)
{
	if (isnan(q->lon) != isnan(q->lat))
		return sr_error(err, SR_EINVAL, "premise %lld: \"lon\" and \"lat\" must be given together",
						(long long) q->id);
	if (q->available_from != SR_MATCH_NODATE && q->available_to != SR_MATCH_NODATE &&
		q->available_from > q->available_to)
		return sr_error(err, SR_EINVAL,
						"premise %lld: \"available_from\" is after \"available_to\"",
						(long long) q->id);
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* criteria                                                           */
/* ------------------------------------------------------------------ */

double
sr_match_decay_value(sr_match_decay kind, double d, double s)
{
	double		x = d / s;

	if (d <= 0)
		return 1.0;
	switch (kind)
	{
		case SR_DECAY_LINEAR:
			return x >= 2.0 ? 0.0 : 1.0 - 0.5 * x;
		case SR_DECAY_GAUSSIAN:
			return exp2(-x * x);
		case SR_DECAY_LOGISTIC:
			/* steepness 4/s, normalised so that f(0) = 1 */
			{
				double		t = 4.0 * (x - 1.0);

				if (t > 700)
					return 0.0;
				return (1.0 + exp(-4.0)) / (1.0 + exp(t));
			}
		case SR_DECAY_EXPONENTIAL:
		default:
			return exp2(-x);
	}
}

double
sr_match_haversine_km(double lon1, double lat1, double lon2, double lat2)
{
	/* on the IUGG mean radius the matching documents */
	return sr_great_circle_km(lat1, lon1, lat2, lon2, SR_MATCH_EARTH_RADIUS_KM);
}

/* Bits set in x (SWAR: no library call on a generic x86-64 target). */
static int
popcount32(uint32_t x)
{
	x = x - ((x >> 1) & 0x55555555u);
	x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0fu;
	return (int) ((x * 0x01010101u) >> 24);
}

/* Minutes of needed hours covered by the premise's opening hours, summed
 * over the week; *needed receives the needed total. */
static double
hours_overlap(const sr_match_hours *need, const sr_match_hours *open,
			  double *needed)
{
	double		covered = 0,
				total = 0;

	for (int d = 0; d < 7; d++)
		for (int a = 0; a < need->n[d]; a++)
		{
			int			s = need->r[d][a][0],
						e = need->r[d][a][1];

			total += e - s;
			/* premise ranges are ascending and disjoint */
			for (int b = 0; b < open->n[d]; b++)
			{
				int			lo = s > open->r[d][b][0] ? s : open->r[d][b][0];
				int			hi = e < open->r[d][b][1] ? e : open->r[d][b][1];

				if (hi > lo)
					covered += hi - lo;
			}
		}
	*needed = total;
	return covered;
}

static void
names_of_mask(uint32_t mask, const char *const *vocab, char *buf, size_t size)
{
	size_t		n = 0;

	buf[0] = '\0';
	for (int i = 0; vocab[i] && n + 1 < size; i++)
		if (mask & ((uint32_t) 1 << i))
			n += snprintf(buf + n, size - n, "%s%s", n ? ", " : "", vocab[i]);
}

static void
fmt_date(int32_t days, char *buf, size_t size)
{
	int			y,
				m,
				d;

	sr_civil_from_days(days, &y, &m, &d);
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/*
 * Evaluates the hard constraints; with e != NULL every constraint is
 * evaluated and explained, otherwise it stops at the first failure.
 */
static bool
check_hard(const sr_match_project *p, const sr_match_premise *q,
		   double dist_km, double travel_min, sr_match_explain_rec *e)
{
	bool		ok = true;
	char		a[128],
				b[128];

#define FAIL(idx, ...) do { \
		ok = false; \
		if (!e) return false; \
		e->hard_passed[idx] = false; \
		snprintf(e->hard_reason[idx], sizeof(e->hard_reason[idx]), __VA_ARGS__); \
	} while (0)
#define APPLIES(idx) do { if (e) { e->hard_applicable[idx] = true; e->hard_passed[idx] = true; } } while (0)

	if (p->kinds)
	{
		APPLIES(SR_HARD_KIND);
		if (!(p->kinds & q->kinds))
		{
			if (e)
			{
				names_of_mask(p->kinds, sr_match_kind_names, a, sizeof(a));
				names_of_mask(q->kinds, sr_match_kind_names, b, sizeof(b));
			}
			FAIL(SR_HARD_KIND, "premise kinds [%s] include none of the kinds wanted [%s]",
				 e ? b : "", e ? a : "");
		}
	}
	if (!isnan(p->surface_min_m2) || !isnan(p->surface_max_m2))
	{
		APPLIES(SR_HARD_SURFACE);
		if (isnan(q->surface_m2))
			FAIL(SR_HARD_SURFACE, "premise surface is unknown");
		else if ((!isnan(p->surface_min_m2) && q->surface_m2 < p->surface_min_m2) ||
				 (!isnan(p->surface_max_m2) && q->surface_m2 > p->surface_max_m2))
			FAIL(SR_HARD_SURFACE, "surface %g m2 is outside the range [%g, %g] m2",
				 q->surface_m2, isnan(p->surface_min_m2) ? 0 : p->surface_min_m2,
				 isnan(p->surface_max_m2) ? INFINITY : p->surface_max_m2);
	}
	if (!isnan(p->budget_month))
	{
		APPLIES(SR_HARD_BUDGET);
		if (isnan(q->rent_month))
			FAIL(SR_HARD_BUDGET, "rent is unknown");
		else if (q->rent_month > p->budget_month)
			FAIL(SR_HARD_BUDGET, "rent %g EUR/month exceeds the budget %g EUR/month",
				 q->rent_month, p->budget_month);
	}
	if (p->start_date != SR_MATCH_NODATE)
	{
		APPLIES(SR_HARD_AVAILABILITY);
		if (q->available_from != SR_MATCH_NODATE && q->available_from > p->start_date)
		{
			if (e)
			{
				fmt_date(q->available_from, a, sizeof(a));
				fmt_date(p->start_date, b, sizeof(b));
			}
			FAIL(SR_HARD_AVAILABILITY, "available from %s, after the start date %s",
				 e ? a : "", e ? b : "");
		}
		else if (q->available_to != SR_MATCH_NODATE && q->available_to < p->start_date)
		{
			if (e)
			{
				fmt_date(q->available_to, a, sizeof(a));
				fmt_date(p->start_date, b, sizeof(b));
			}
			FAIL(SR_HARD_AVAILABILITY, "available until %s, before the start date %s",
				 e ? a : "", e ? b : "");
		}
	}
	if (!isnan(p->duration_months) && !isnan(q->min_term_months))
	{
		APPLIES(SR_HARD_TERM);
		if (q->min_term_months > p->duration_months)
			FAIL(SR_HARD_TERM, "minimum term %g months exceeds the duration %g months",
				 q->min_term_months, p->duration_months);
	}
	if (p->step_free_needed)
	{
		APPLIES(SR_HARD_STEP_FREE);
		if (!q->step_free)
			FAIL(SR_HARD_STEP_FREE, "no step-free access");
	}
	if (p->amenities_required)
	{
		APPLIES(SR_HARD_AMENITIES);
		if (!q->amenities_set)
			FAIL(SR_HARD_AMENITIES, "premise amenities are unknown");
		else if ((p->amenities_required & q->amenities) != p->amenities_required)
		{
			if (e)
				names_of_mask(p->amenities_required & ~q->amenities,
							  sr_match_amenity_names, a, sizeof(a));
			FAIL(SR_HARD_AMENITIES, "missing required amenities [%s]", e ? a : "");
		}
	}
	if (p->activities)
	{
		APPLIES(SR_HARD_ACTIVITIES);
		if ((p->activities & q->activities_allowed) != p->activities)
		{
			if (e)
				names_of_mask(p->activities & ~q->activities_allowed,
							  sr_match_activity_names, a, sizeof(a));
			FAIL(SR_HARD_ACTIVITIES, "activities not allowed [%s]", e ? a : "");
		}
	}
	if (!isnan(travel_min))
	{
		if (!isnan(p->max_travel_min))
		{
			APPLIES(SR_HARD_TRAVEL);
			if (travel_min > p->max_travel_min)
				FAIL(SR_HARD_TRAVEL, "travel time %.1f min exceeds the maximum %g min",
					 travel_min, p->max_travel_min);
		}
	}
	else if (!isnan(p->max_distance_km))
	{
		APPLIES(SR_HARD_TRAVEL);
		if (isnan(dist_km))
			FAIL(SR_HARD_TRAVEL, "distance is unknown");
		else if (dist_km > p->max_distance_km)
			FAIL(SR_HARD_TRAVEL, "distance %.2f km exceeds the maximum %g km",
				 dist_km, p->max_distance_km);
	}
#undef FAIL
#undef APPLIES
	return ok;
}

static double
pair_distance(const sr_match_project *p, const sr_match_premise *q)
{
	if (isnan(p->lon) || isnan(q->lon))
		return NAN;
	return sr_match_haversine_km(p->lon, p->lat, q->lon, q->lat);
}

bool
sr_match_feasible(const sr_match_project *p, const sr_match_premise *q,
				  double distance_km, double travel_min)
{
	if (isnan(distance_km))
		distance_km = pair_distance(p, q);
	return check_hard(p, q, distance_km, travel_min, NULL);
}

/* Computes the built-in soft criteria; applicable[] false when the data
 * needed is missing on either side. */
static void
soft_criteria(const sr_match_project *p, const sr_match_premise_soft *q,
			  const sr_match_weights *w, double dist_km, double travel_min,
			  double *val, bool *app, char (*detail)[96])
{
	/* distance or travel-time decay */
	if (!isnan(travel_min))
	{
		app[SR_CRIT_DISTANCE] = true;
		val[SR_CRIT_DISTANCE] = sr_match_decay_value(w->decay, travel_min, w->travel_scale_min);
		if (detail)
			snprintf(detail[SR_CRIT_DISTANCE], 96, "%.1f min (%s, scale %g min)",
					 travel_min, sr_match_decay_names[w->decay], w->travel_scale_min);
	}
	else if (!isnan(dist_km))
	{
		app[SR_CRIT_DISTANCE] = true;
		val[SR_CRIT_DISTANCE] = sr_match_decay_value(w->decay, dist_km, w->distance_scale_km);
		if (detail)
			snprintf(detail[SR_CRIT_DISTANCE], 96, "%.2f km (%s, scale %g km)",
					 dist_km, sr_match_decay_names[w->decay], w->distance_scale_km);
	}

	/* surface fit: 1 at the target, linear down to 0 at +-100% of it */
	if (!isnan(q->surface_m2))
	{
		double		target = NAN;

		if (!isnan(p->surface_min_m2) && !isnan(p->surface_max_m2))
			target = 0.5 * (p->surface_min_m2 + p->surface_max_m2);
		else if (!isnan(p->surface_min_m2))
			target = p->surface_min_m2;
		else if (!isnan(p->surface_max_m2))
			target = p->surface_max_m2;
		if (target > 0)
		{
			double		v = 1.0 - fabs(q->surface_m2 - target) / target;

			app[SR_CRIT_SURFACE] = true;
			val[SR_CRIT_SURFACE] = v < 0 ? 0 : v;
			if (detail)
				snprintf(detail[SR_CRIT_SURFACE], 96, "%g m2 for a target of %g m2",
						 q->surface_m2, target);
		}
		else if (target == 0 && detail)
			snprintf(detail[SR_CRIT_SURFACE], 96,
					 "%g m2 for a target of 0 m2: no share of it to measure",
					 q->surface_m2);
	}

	/* price fit: 1 for a free premise, 1/2 at the budget (never 0, so a
	 * feasible pair at the budget keeps a positive score) */
	if (!isnan(p->budget_month) && p->budget_month > 0 && !isnan(q->rent_month))
	{
		double		v = 1.0 - 0.5 * q->rent_month / p->budget_month;

		app[SR_CRIT_PRICE] = true;
		val[SR_CRIT_PRICE] = v < 0 ? 0 : (v > 1 ? 1 : v);
		if (detail)
			snprintf(detail[SR_CRIT_PRICE], 96, "%g EUR/month for a budget of %g",
					 q->rent_month, p->budget_month);
	}
	else if (p->budget_month == 0 && !isnan(q->rent_month) && detail)
		snprintf(detail[SR_CRIT_PRICE], 96,
				 "%g EUR/month for a budget of 0: no share of it to measure",
				 q->rent_month);

	/*
	 * wished amenities: Jaccard index of the two sets, when the project
	 * wishes some and the premise lists its own (possibly none, []): a
	 * premise whose amenities are unknown (absent, null) has no data on its
	 * side, as for every other criterion, instead of counting as none
	 */
	if (p->amenities_wished && q->amenities_set)
	{
		int			inter = popcount32(p->amenities_wished & q->amenities);
		int			uni = popcount32(p->amenities_wished | q->amenities);

		app[SR_CRIT_AMENITIES] = true;
		val[SR_CRIT_AMENITIES] = (double) inter / uni;
		if (detail)
			snprintf(detail[SR_CRIT_AMENITIES], 96, "%d shared of %d in either set",
					 inter, uni);
	}
	else if (!p->amenities_wished && detail)
		snprintf(detail[SR_CRIT_AMENITIES], 96, "no amenity wished");

	/* opening hours: share of the needed minutes when the premise is open */
	if (p->hours.set && q->hours && q->hours->set)
	{
		double		need;
		double		cov = hours_overlap(&p->hours, q->hours, &need);

		if (need > 0)
		{
			app[SR_CRIT_HOURS] = true;
			val[SR_CRIT_HOURS] = cov / need;
			if (detail)
				snprintf(detail[SR_CRIT_HOURS], 96, "%g of %g needed minutes a week",
						 cov, need);
		}
		else if (detail)
			snprintf(detail[SR_CRIT_HOURS], 96, "the project needs no minute of the week");
	}

	/* capacity fit: min/max ratio of team size and capacity (symmetric) */
	if (!isnan(p->team_size) && !isnan(q->capacity) &&
		(p->team_size > 0 || q->capacity > 0))
	{
		double		lo = p->team_size < q->capacity ? p->team_size : q->capacity;
		double		hi = p->team_size < q->capacity ? q->capacity : p->team_size;

		app[SR_CRIT_CAPACITY] = true;
		val[SR_CRIT_CAPACITY] = lo / hi;
		if (detail)
			snprintf(detail[SR_CRIT_CAPACITY], 96, "capacity %g for a team of %g",
					 q->capacity, p->team_size);
	}
	else if (!isnan(p->team_size) && !isnan(q->capacity) && detail)
		snprintf(detail[SR_CRIT_CAPACITY], 96,
				 "capacity 0 for a team of 0: no ratio of the two to measure");
}

double
sr_match_feasible_score(const sr_match_project *p,
						const sr_match_premise_soft *q,
						const sr_match_weights *w, double dist_km,
						double travel_min)
{
	double		val[SR_CRIT_N] = {0};
	bool		app[SR_CRIT_N] = {0};
	double		num = 0,
				den = 0,
				score;

	soft_criteria(p, q, w, dist_km, travel_min, val, app, NULL);
	/* the same sums, in the same order, as sr_match_pair_score() */
	for (int c = 0; c < SR_CRIT_N; c++)
		if (app[c])
		{
			num += w->w[c] * val[c];
			den += w->w[c];
		}
	/* nothing to compare on: every feasible premise is a perfect match */
	score = den > 0 ? num / den : 1.0;
	return score > 1 ? 1 : score;
}

double
sr_match_pair_score(const sr_match_project *p, const sr_match_premise *q,
			   const sr_match_weights *w, double travel_min,
			   const sr_match_extra *extra, int n_extra,
			   sr_match_explain_rec *e)
{
	double		dist;
	double		val[SR_CRIT_N] = {0};
	bool		app[SR_CRIT_N] = {0};
	double		num = 0,
				den = 0,
				score;
	bool		ok;

	if (!e)
	{
		/* fast path: the cheap constraints first (a distance of 0 passes
		 * the travel check), the great-circle distance only if they pass */
		if (!check_hard(p, q, 0.0, travel_min, NULL))
			return 0.0;
		dist = pair_distance(p, q);
		if (isnan(travel_min) && !isnan(p->max_distance_km) &&
			!(dist <= p->max_distance_km))
			return 0.0;
	}
	else
	{
		dist = pair_distance(p, q);
		memset(e, 0, sizeof(*e));
		e->distance_km = dist;
		e->travel_min = travel_min;
	}
	if (!e && n_extra == 0)
	{
		sr_match_premise_soft qs = {q->surface_m2, q->rent_month, q->capacity,
		q->amenities, q->amenities_set, &q->hours};

		return sr_match_feasible_score(p, &qs, w, dist, travel_min);
	}
	ok = e ? check_hard(p, q, dist, travel_min, e) : true;
	for (int i = 0; i < n_extra; i++)
		if (extra[i].hard && (extra[i].isnull || extra[i].value <= 0))
			ok = false;
	if (!ok && !e)
		return 0.0;

	{
		sr_match_premise_soft qs = {q->surface_m2, q->rent_month, q->capacity,
		q->amenities, q->amenities_set, &q->hours};

		soft_criteria(p, &qs, w, dist, travel_min, val, app, e ? e->detail : NULL);
	}
	for (int c = 0; c < SR_CRIT_N; c++)
		if (app[c])
		{
			num += w->w[c] * val[c];
			den += w->w[c];
		}
	for (int i = 0; i < n_extra; i++)
		if (!extra[i].isnull)
		{
			num += extra[i].weight * extra[i].value;
			den += extra[i].weight;
		}
	/* nothing to compare on: every feasible premise is a perfect match */
	score = den > 0 ? num / den : 1.0;
	if (score > 1)
		score = 1;
	if (!ok)
		score = 0;
	if (e)
	{
		e->score = score;
		e->feasible = ok;
		for (int c = 0; c < SR_CRIT_N; c++)
		{
			e->value[c] = val[c];
			e->applicable[c] = app[c];
			e->weight[c] = w->w[c];
			e->contribution[c] = (app[c] && den > 0 && ok) ? w->w[c] * val[c] / den : 0;
		}
	}
	return score;
}

/* ---- JSON rendering of an explanation ---- */

/* JSON string literal (names and reasons are ASCII/UTF-8 without control
 * characters except what we escape here). */
static void
sb_jstr(sr_strbuf *b, const char *s)
{
	sr_strbuf_printf(b, "\"");
	for (; *s; s++)
	{
		if (*s == '"' || *s == '\\')
			sr_strbuf_printf(b, "\\%c", *s);
		else if ((unsigned char) *s < 0x20)
			sr_strbuf_printf(b, "\\u%04x", (unsigned char) *s);
		else
			sr_strbuf_printf(b, "%c", *s);
	}
	sr_strbuf_printf(b, "\"");
}

static void
sb_num(sr_strbuf *b, double v)
{
	/* the fewest digits that read back as the same double: with %.15g an
	 * explanation's score differed from match_score's in the last bits (61
	 * of 30,240 census pairs) */
	if (isfinite(v))
	{
		char		num[32];

		sr_fmt_float8(num, sizeof(num), v);
		sr_strbuf_printf(b, "%s", num);
	}
	else
		sr_strbuf_printf(b, "null");
}

char *
sr_match_explain_json(const sr_match_explain_rec *e, const sr_match_weights *w,
					  const sr_match_extra *extra, int n_extra)
{
	sr_strbuf	b;
	bool		first = true;
	double		den = 0;

	if (!sr_strbuf_init(&b, 1024))
		return NULL;
	for (int c = 0; c < SR_CRIT_N; c++)
		if (e->applicable[c])
			den += e->weight[c];
	for (int i = 0; i < n_extra; i++)
		if (!extra[i].isnull)
			den += extra[i].weight;

	sr_strbuf_printf(&b, "{\"score\": ");
	sb_num(&b, e->score);
	sr_strbuf_printf(&b, ", \"feasible\": %s, \"distance_km\": ", e->feasible ? "true" : "false");
	sb_num(&b, e->distance_km);
	sr_strbuf_printf(&b, ", \"travel_min\": ");
	sb_num(&b, e->travel_min);
	sr_strbuf_printf(&b, ", \"decay\": \"%s\", \"failed\": [", sr_match_decay_names[w->decay]);
	for (int h = 0; h < SR_HARD_N; h++)
		if (e->hard_applicable[h] && !e->hard_passed[h])
		{
			sr_strbuf_printf(&b, "%s{\"name\": ", first ? "" : ", ");
			sb_jstr(&b, sr_match_hard_names[h]);
			sr_strbuf_printf(&b, ", \"reason\": ");
			sb_jstr(&b, e->hard_reason[h]);
			sr_strbuf_printf(&b, "}");
			first = false;
		}
	for (int i = 0; i < n_extra; i++)
		if (extra[i].hard && (extra[i].isnull || extra[i].value <= 0))
		{
			sr_strbuf_printf(&b, "%s{\"name\": ", first ? "" : ", ");
			sb_jstr(&b, extra[i].name);
			sr_strbuf_printf(&b, ", \"reason\": \"registered hard criterion returned %s\"}",
					  extra[i].isnull ? "NULL" : "0");
			first = false;
		}
	sr_strbuf_printf(&b, "], \"hard\": {");
	first = true;
	for (int h = 0; h < SR_HARD_N; h++)
		if (e->hard_applicable[h])
		{
			sr_strbuf_printf(&b, "%s\"%s\": %s", first ? "" : ", ", sr_match_hard_names[h],
					  e->hard_passed[h] ? "true" : "false");
			first = false;
		}
	sr_strbuf_printf(&b, "}, \"criteria\": [");
	first = true;
	for (int c = 0; c < SR_CRIT_N; c++)
	{
		sr_strbuf_printf(&b, "%s{\"name\": \"%s\", \"builtin\": true, \"applicable\": %s, \"value\": ",
				  first ? "" : ", ", sr_match_crit_names[c],
				  e->applicable[c] ? "true" : "false");
		sb_num(&b, e->applicable[c] ? e->value[c] : NAN);
		sr_strbuf_printf(&b, ", \"weight\": ");
		sb_num(&b, e->weight[c]);
		sr_strbuf_printf(&b, ", \"contribution\": ");
		sb_num(&b, e->contribution[c]);
		sr_strbuf_printf(&b, ", \"detail\": ");
		/* left out with data on both sides: soft_criteria says why */
		sb_jstr(&b, e->applicable[c] || e->detail[c][0] ? e->detail[c] : "no data on one side");
		sr_strbuf_printf(&b, "}");
		first = false;
	}
	for (int i = 0; i < n_extra; i++)
	{
		double		contrib = (!extra[i].isnull && den > 0 && e->feasible) ?
			extra[i].weight * extra[i].value / den : 0;

		sr_strbuf_printf(&b, ", {\"name\": ");
		sb_jstr(&b, extra[i].name);
		sr_strbuf_printf(&b, ", \"builtin\": false, \"hard\": %s, \"applicable\": %s, \"value\": ",
				  extra[i].hard ? "true" : "false", extra[i].isnull ? "false" : "true");
		sb_num(&b, extra[i].isnull ? NAN : extra[i].value);
		sr_strbuf_printf(&b, ", \"weight\": ");
		sb_num(&b, extra[i].weight);
		sr_strbuf_printf(&b, ", \"contribution\": ");
		sb_num(&b, contrib);
		sr_strbuf_printf(&b, "}");
	}
	sr_strbuf_printf(&b, "]}");
	if (b.oom)
	{
		sr_free(b.s);
		return NULL;			/* only possible under malloc */
	}
	return b.s;
}
