/*
 * sky_agg.c — the two sky_agg aggregates (docs/cadastre.md, docs/pv.md):
 * sky_agg(ts, ghi, dni, dhi, location) and sky_agg(ts, ghi, dni, dhi,
 * temp_air, wind_speed, location).  One state serves both: the hourly
 * records, and each hour's air temperature and wind speed when the
 * seven-argument form fills it (met); the two forms share the combine,
 * serialisation and final functions, which read the state's kind.  The sky
 * is built by the core (sr_sky_build, sr_sky_build_met).
 *
 * The state keeps every row: the sky lists each hour (its sun position, and
 * its weather in the hourly trailer), duplicate hours are found by sorting
 * them all, and the sums are added in time order.  A sky holds at most
 * SR_SKY_MAX_HOURS hours, so the state is bounded: 32 bytes a row (48 with
 * ta and ws), 32 or 48 MB at the bound, and the row past it is refused
 * (54000) before the state grows.
 *
 * sky_clearsky builds the sky of a clear-sky year the same way, its hours
 * computed by the core (sr_sky_clearsky, cadastre_clearsky.c) instead of
 * read from rows.
 */
#include "sr_pg.h"
#include "sr_cadastre.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

typedef struct sky_state
{
	int			n,
				cap;
	bool		met;			/* ta and ws are kept (the 7-argument form) */
	sr_weather_rec *recs;
	double	   *ta,
			   *ws;
	bool		has_site;
	double		lat,
				lon,
				elev;
} sky_state;

static sky_state *
sky_state_new(MemoryContext agg, bool met, int cap)
{
	sky_state  *st = MemoryContextAllocZero(agg, sizeof(sky_state));

	st->met = met;
	st->cap = Max(cap, 1024);
	st->recs = MemoryContextAlloc(agg, sizeof(sr_weather_rec) * st->cap);
	if (met)
	{
		st->ta = MemoryContextAlloc(agg, sizeof(double) * st->cap);
		st->ws = MemoryContextAlloc(agg, sizeof(double) * st->cap);
	}
	return st;
}

/* Refuse a state of more rows than a sky holds: ts is the row that passes
 * the bound (NULL when partial states are combined). */
static void
sky_state_check_room(const sky_state *st, int more, const TimestampTz *ts)
{
	int64		total = (int64) st->n + more;

	if (total > SR_SKY_MAX_HOURS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sky_agg rows exceed the limit of %d hours per sky", SR_SKY_MAX_HOURS),
				 ts ?
				 errdetail("The row at %s is row %lld of one sky; a sky keeps every hour of its weather, at most %d (114 years of hourly weather at one site).",
						   timestamptz_to_str(*ts), (long long) total, SR_SKY_MAX_HOURS) :
				 errdetail("Its partial states hold %lld rows; a sky keeps every hour of its weather, at most %d (114 years of hourly weather at one site).",
						   (long long) total, SR_SKY_MAX_HOURS),
				 errhint("A sky is the weather of one site: group the rows by site, and by period if a site has more hours.")));
}

/* Append n records (and, for a met state, their ta and ws); the caller has
 * checked the room (sky_state_check_room). */
static void
sky_state_add(sky_state *st, const sr_weather_rec *r, const double *ta, const double *ws, int n)
{
	if (st->n + n > st->cap)
	{
		while (st->n + n > st->cap)
			st->cap *= 2;
		/* no larger than a sky (st->n + n <= SR_SKY_MAX_HOURS): 1,000,000
		 * rows, not 1,048,576 */
		st->cap = Min(st->cap, SR_SKY_MAX_HOURS);
		st->recs = repalloc(st->recs, sizeof(sr_weather_rec) * st->cap);
		if (st->met)
		{
			st->ta = repalloc(st->ta, sizeof(double) * st->cap);
			st->ws = repalloc(st->ws, sizeof(double) * st->cap);
		}
	}
	memcpy(st->recs + st->n, r, sizeof(sr_weather_rec) * n);
	if (st->met)
	{
		memcpy(st->ta + st->n, ta, sizeof(double) * n);
		memcpy(st->ws + st->n, ws, sizeof(double) * n);
	}
	st->n += n;
}

static void
sky_state_site(sky_state *st, double lat, double lon, double elev)
{
	if (!st->has_site)
	{
		st->lat = lat;
		st->lon = lon;
		st->elev = elev;
		st->has_site = true;
	}
	else if (fabs(st->lat - lat) > 1e-6 || fabs(st->lon - lon) > 1e-6 ||
			 fabs(st->elev - elev) > 1e-3)
		/* the elevation too: otherwise the first row's would win, and which
		 * row is first depends on the plan (partial states in parallel) */
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sky_agg rows have different locations"),
				 errdetail("Got (%g, %g, %g m) after (%g, %g, %g m) (lon, lat, elevation).",
						   lon, lat, elev, st->lon, st->lat, st->elev),
				 errhint("A sky is the weather of one site: group by site.")));
}

/* An hour's irradiance as sky_agg accepts it: non-negative and finite. */
static void
sky_check_irradiance(TimestampTz ts, const sr_weather_rec *r)
{
	if (!(r->ghi >= 0 && r->dni >= 0 && r->dhi >= 0) || !isfinite(r->ghi + r->dni + r->dhi))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("sky_agg: weather row at %s has a negative or non-finite irradiance",
						timestamptz_to_str(ts)),
				 errdetail("ghi = %g, dni = %g, dhi = %g W/m2.", r->ghi, r->dni, r->dhi)));
}

/* The transition of either form: arguments (state, ts, ghi, dni, dhi,
 * [temp_air, wind_speed,] location). */
static Datum
sky_transfn(FunctionCallInfo fcinfo, bool met)
{
	MemoryContext agg;
	sky_state  *st;
	sr_weather_rec r;
	double		lon,
				lat,
				z,
				ta = 0.0,
				ws = 0.0;
	int			has_z,
				nval = met ? 5 : 3,
				aloc = 2 + nval;

	if (!AggCheckCallContext(fcinfo, &agg))
		elog(ERROR, "sky_agg's transition function called in non-aggregate context");
	st = PG_ARGISNULL(0) ? sky_state_new(agg, met, 0) : (sky_state *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sky_agg: ts must not be NULL")));
	for (int a = 2; a < aloc; a++)
		if (PG_ARGISNULL(a))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("sky_agg: weather row at %s has a NULL %s",
							timestamptz_to_str(PG_GETARG_TIMESTAMPTZ(1)),
							a <= 4 ? "irradiance" : a == 5 ? "temp_air" : "wind_speed"),
					 errhint("Fill or drop the gaps first; a sky needs every hour of the year.")));
	if (PG_ARGISNULL(aloc))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sky_agg: location must not be NULL")));
	/* an infinite hour is refused at its row, as the other arguments are */
	r.unix_s = sr_ts_arg_unix(PG_GETARG_TIMESTAMPTZ(1), "ts");
	r.ghi = PG_GETARG_FLOAT8(2);
	r.dni = PG_GETARG_FLOAT8(3);
	r.dhi = PG_GETARG_FLOAT8(4);
	sky_check_irradiance(PG_GETARG_TIMESTAMPTZ(1), &r);
	if (met)
	{
		ta = PG_GETARG_FLOAT8(5);
		ws = PG_GETARG_FLOAT8(6);
		if (!sr_met_valid(ta, ws))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("sky_agg: weather row at %s has an air temperature or wind speed out of range",
							timestamptz_to_str(PG_GETARG_TIMESTAMPTZ(1))),
					 errdetail("temp_air = %g C (accepted -90 to 70), wind_speed = %g m/s (0 to 100).", ta, ws)));
	}
	/* every row's location is checked: a sky is one site */
	sr_geom_arg_lonlat(PG_GETARG_DATUM(aloc), &lon, &lat, &z, &has_z, "parameter \"location\" of sky_agg");
	sky_state_site(st, lat, lon, has_z ? z : 0.0);
	{
		TimestampTz ts = PG_GETARG_TIMESTAMPTZ(1);

		sky_state_check_room(st, 1, &ts);
	}
	sky_state_add(st, &r, &ta, &ws, 1);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sr_fn_sky_agg_transfn);
/* smartregion._sky_agg_transfn(internal, ts, ghi, dni, dhi, location) */
Datum
sr_fn_sky_agg_transfn(PG_FUNCTION_ARGS)
{
	return sky_transfn(fcinfo, false);
}

PG_FUNCTION_INFO_V1(sr_fn_sky_agg_met_transfn);
/* smartregion._sky_agg_met_transfn(internal, ts, ghi, dni, dhi, temp_air,
 * wind_speed, location) */
Datum
sr_fn_sky_agg_met_transfn(PG_FUNCTION_ARGS)
{
	return sky_transfn(fcinfo, true);
}

PG_FUNCTION_INFO_V1(sr_fn_sky_agg_combinefn);
Datum
sr_fn_sky_agg_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext agg;
	sky_state  *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &agg))
		elog(ERROR, "sr_fn_sky_agg_combinefn called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = (sky_state *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? sky_state_new(agg, b->met, b->n) : (sky_state *) PG_GETARG_POINTER(0);
	if (a->met != b->met)
		elog(ERROR, "sky_agg states of different forms combined");
	if (b->has_site)
		sky_state_site(a, b->lat, b->lon, b->elev);
	sky_state_check_room(a, b->n, NULL);
	sky_state_add(a, b->recs, b->ta, b->ws, b->n);
	PG_RETURN_POINTER(a);
}

/*
 * The serialised state: int32 n (-1 - n before the first row's site),
 * int32 met, lat, lon, elev, the records, then for a met state the n air
 * temperatures and the n wind speeds.
 */
PG_FUNCTION_INFO_V1(sr_fn_sky_agg_serialfn);
Datum
sr_fn_sky_agg_serialfn(PG_FUNCTION_ARGS)
{
	sky_state  *st = (sky_state *) PG_GETARG_POINTER(0);
	size_t		len = 2 * sizeof(int32) + 3 * sizeof(double) +
		(sizeof(sr_weather_rec) + (st->met ? 2 * sizeof(double) : 0)) * st->n;
	bytea	   *b = palloc(len + VARHDRSZ);
	char	   *p = VARDATA(b);
	int32		hdr[2] = {st->has_site ? st->n : -1 - st->n, st->met};
	double		site[3] = {st->lat, st->lon, st->elev};

	SET_VARSIZE(b, len + VARHDRSZ);
	memcpy(p, hdr, sizeof(hdr));
	p += sizeof(hdr);
	memcpy(p, site, sizeof(site));
	p += sizeof(site);
	memcpy(p, st->recs, sizeof(sr_weather_rec) * st->n);
	p += sizeof(sr_weather_rec) * st->n;
	if (st->met)
	{
		memcpy(p, st->ta, sizeof(double) * st->n);
		p += sizeof(double) * st->n;
		memcpy(p, st->ws, sizeof(double) * st->n);
	}
	PG_RETURN_BYTEA_P(b);
}

/* A partial state that sky_agg's serialisation did not write. */
static void sky_bad_state(size_t len, const char *why) pg_attribute_noreturn();
static void
sky_bad_state(size_t len, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid sky_agg partial state: %s", why),
			 errdetail("The state has %zu bytes.", len)));
}

PG_FUNCTION_INFO_V1(sr_fn_sky_agg_deserialfn);
Datum
sr_fn_sky_agg_deserialfn(PG_FUNCTION_ARGS)
{
	MemoryContext agg;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(b);
	sky_state  *st;
	int32		hdr[2],
				n;
	double		site[3];
	size_t		len;

	if (!AggCheckCallContext(fcinfo, &agg))
		elog(ERROR, "sr_fn_sky_agg_deserialfn called in non-aggregate context");
	len = VARSIZE_ANY_EXHDR(b);
	if (len < sizeof(hdr) + sizeof(site))
		sky_bad_state(len, "shorter than its header");
	memcpy(hdr, p, sizeof(hdr));
	p += sizeof(hdr);
	memcpy(site, p, sizeof(site));
	p += sizeof(site);
	n = hdr[0] < 0 ? -1 - hdr[0] : hdr[0];
	if (hdr[1] != 0 && hdr[1] != 1)
		sky_bad_state(len, "its form is neither 0 nor 1");
	if (hdr[0] < 0 && n != 0)
		sky_bad_state(len, "rows without a site");
	if (n > SR_SKY_MAX_HOURS)
		sky_bad_state(len, "more rows than a sky holds");
	if (len != sizeof(hdr) + sizeof(site) +
		(sizeof(sr_weather_rec) + (hdr[1] ? 2 * sizeof(double) : 0)) * (size_t) n)
		sky_bad_state(len, "its length does not match its row count");
	st = sky_state_new(agg, hdr[1] != 0, n);
	st->has_site = hdr[0] >= 0;
	st->lat = site[0];
	st->lon = site[1];
	st->elev = site[2];
	memcpy(st->recs, p, sizeof(sr_weather_rec) * n);
	p += sizeof(sr_weather_rec) * n;
	if (st->met)
	{
		memcpy(st->ta, p, sizeof(double) * n);
		p += sizeof(double) * n;
		memcpy(st->ws, p, sizeof(double) * n);
	}
	st->n = n;
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sr_fn_sky_agg_finalfn);
Datum
sr_fn_sky_agg_finalfn(PG_FUNCTION_ARGS)
{
	sky_state  *st;
	sr_sky_hdr *s;
	size_t		size;
	sr_err		err;
	sr_status	rc;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (sky_state *) PG_GETARG_POINTER(0);
	if (st->n == 0 || !st->has_site)
		PG_RETURN_NULL();
	sr_err_clear(&err);
	if (st->met)
		rc = sr_sky_build_met(st->recs, st->ta, st->ws, st->n, st->lat, st->lon, st->elev,
							  &s, &size, &err);
	else
		rc = sr_sky_build(st->recs, st->n, st->lat, st->lon, st->elev, &s, &size, &err);
	if (rc != SR_OK)
		sr_raise(&err);
	if (st->n != 8760 && st->n != 8784)
		ereport(NOTICE,
				(errmsg("sky_agg: %d hourly records, not a whole year: irradiation totals cover these hours only",
						st->n)));
	SET_VARSIZE(s, size);
	PG_RETURN_POINTER(s);
}

/* ----------------------------------------------------------------------
 * sky_clearsky
 * ---------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_sky_clearsky);
/*
 * smartregion.sky_clearsky(location, linke_turbidity, year): the cumulative
 * sky of a clear-sky year (sr_sky_clearsky: every hour's SPA sun and
 * Ineichen-Perez clear sky, as sky_agg builds it from such rows), at a
 * location read by the geometry bridge (z = elevation, 0 without).
 */
Datum
sr_fn_sky_clearsky(PG_FUNCTION_ARGS)
{
	double		lon,
				lat,
				elev;
	int			has_z;
	sr_sky_hdr *s;
	size_t		size;
	sr_err		err;

	sr_geom_arg_lonlat(PG_GETARG_DATUM(0), &lon, &lat, &elev, &has_z,
					   "parameter \"location\" of sky_clearsky");
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_sky_clearsky(lat, lon, elev, PG_GETARG_FLOAT8(1), PG_GETARG_INT32(2),
									&s, &size, &err), &err);
	SET_VARSIZE(s, size);
	PG_RETURN_POINTER(s);
}
