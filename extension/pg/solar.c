/*
 * solar.c — fmgr glue of the solar physics family (issue 3): sun position
 * (NREL SPA), sunrise/transit/sunset, bulk positions, extraterrestrial
 * irradiance, airmass, Ineichen clear sky, angle of incidence, plane-of-
 * array irradiance and EPW weather files.  The computations live in the
 * pure core (extension/core/solar_*.c, epw.c; sr_solar.h).
 *
 * Entry points are named sr_fn_<SQL function name>: the plain sr_<name>
 * of several SQL functions is already the core function of the same name
 * (sr_sun_position, sr_poa_irradiance ... in sr_solar.h).
 */
#include "sr_pg.h"

#include <math.h>

#include "sr_solar.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

/* Blessed tuple descriptor of the composite result, cached in fn_extra
 * (get_call_result_type is too slow to call per row). */
typedef struct solar_fn_cache
{
	TupleDesc	tupdesc;
	/* sun_position: time part of the last instant */
	bool		have_time;
	double		unix_s;
	double		delta_t;
	sr_spa_time t;
} solar_fn_cache;

static solar_fn_cache *
fn_cache(FunctionCallInfo fcinfo)
{
	solar_fn_cache *c = (solar_fn_cache *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		TupleDesc	td;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "function returning a composite called in a context that cannot accept it");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		c = palloc0(sizeof(solar_fn_cache));
		c->tupdesc = BlessTupleDesc(CreateTupleDescCopy(td));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	return c;
}

static Datum
form_floats(TupleDesc td, const double *v, int n)
{
	Datum		values[8];
	bool		nulls[8];

	Assert(n <= 8);
	for (int i = 0; i < n; i++)
	{
		nulls[i] = isnan(v[i]);
		values[i] = Float8GetDatum(v[i]);
	}
	return HeapTupleGetDatum(heap_form_tuple(td, values, nulls));
}

static char *
text_arg(FunctionCallInfo fcinfo, int i)
{
	return text_to_cstring(PG_GETARG_TEXT_PP(i));
}

/* ----------------------------------------------------------------------
 * sun_position
 * ---------------------------------------------------------------------- */

/* The sun_position composite at (lat, lon) and unix time u; the time part
 * of the last instant is cached, so many sites at one instant cost only the
 * site part. */
static Datum
sun_position_at(FunctionCallInfo fcinfo, double u, double lat, double lon, double elev,
				double p, double temp, double dt)
{
	solar_fn_cache *c = fn_cache(fcinfo);
	sr_err		err;
	sr_solpos	pos;
	double		v[6];

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_spa_validate_site(lat, lon, elev, p, temp, &err), &err);
	if (!c->have_time || c->unix_s != u || c->delta_t != dt)
	{
		c->have_time = false;
		SR_CHECK_STATUS(sr_spa_time_init(u, dt, &c->t, &err), &err);
		c->have_time = true;
		c->unix_s = u;
		c->delta_t = dt;
	}
	sr_spa_site(&c->t, lat, lon, elev, p, temp, &pos);
	v[0] = pos.zenith;
	v[1] = pos.apparent_zenith;
	v[2] = pos.elevation;
	v[3] = pos.apparent_elevation;
	v[4] = pos.azimuth;
	v[5] = pos.equation_of_time;
	return form_floats(c->tupdesc, v, 6);
}

PG_FUNCTION_INFO_V1(sr_fn_sun_position);
/* smartregion.sun_position(ts, lat, lon, elevation_m, pressure_hpa,
 * temperature_c, delta_t_s): NREL SPA. */
Datum
sr_fn_sun_position(PG_FUNCTION_ARGS)
{
	double		u = sr_ts_arg_unix(PG_GETARG_TIMESTAMPTZ(0), "ts");

	PG_RETURN_DATUM(sun_position_at(fcinfo, u, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2),
									PG_GETARG_FLOAT8(3), PG_GETARG_FLOAT8(4),
									PG_GETARG_FLOAT8(5), PG_GETARG_FLOAT8(6)));
}

PG_FUNCTION_INFO_V1(sr_fn_sun_position_geom);
/*
 * smartregion.sun_position(ts, location, elevation_m, pressure_hpa,
 * temperature_c, delta_t_s): the same at a point of any SRID but 0, read by
 * the geometry bridge's reader of a place on Earth (sr_geom_arg_lonlat: in
 * SRID 4326 as given, any other SRID transformed to WGS84 and checked in its
 * domain).  The location is checked first, then ts and the site.  Its z is
 * not the elevation (elevation_m is).
 */
Datum
sr_fn_sun_position_geom(PG_FUNCTION_ARGS)
{
	double		lon,
				lat,
				z;
	int			has_z;

	sr_geom_arg_lonlat(PG_GETARG_DATUM(1), &lon, &lat, &z, &has_z,
					   "parameter \"location\" of sun_position");
	PG_RETURN_DATUM(sun_position_at(fcinfo, sr_ts_arg_unix(PG_GETARG_TIMESTAMPTZ(0), "ts"),
									lat, lon, PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
									PG_GETARG_FLOAT8(4), PG_GETARG_FLOAT8(5)));
}

/* ----------------------------------------------------------------------
 * sun_times
 * ---------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_sun_times);
/* smartregion.sun_times(day, lat, lon, tz_offset_h, delta_t_s): SPA A.2.
 * Not strict: a NULL tz_offset_h means the local mean solar time lon/15. */
Datum
sr_fn_sun_times(PG_FUNCTION_ARGS)
{
	DateADT		day;
	double		lat,
				lon,
				tz,
				dt;
	sr_suntimes s;
	sr_err		err;
	solar_fn_cache *c;
	Datum		values[3];
	bool		nulls[3];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	day = PG_GETARG_DATEADT(0);
	lat = PG_GETARG_FLOAT8(1);
	lon = PG_GETARG_FLOAT8(2);
	dt = PG_GETARG_FLOAT8(4);
	if (DATE_NOT_FINITE(day))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"day\" must be a finite date")));
	if (PG_ARGISNULL(3))
	{
		/* validate lon first so that the default offset is meaningful */
		sr_err_clear(&err);
		SR_CHECK_STATUS(sr_spa_validate_site(lat, lon, 0, 1013.25, 12, &err), &err);
		tz = lon / 15.0;
	}
	else
		tz = PG_GETARG_FLOAT8(3);
	c = fn_cache(fcinfo);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_sun_times(((double) day + 10957.0) * 86400.0, lat, lon, tz, dt,
								 &s, &err), &err);
	values[0] = TimestampTzGetDatum(sr_unix_ts(s.sunrise));
	values[1] = TimestampTzGetDatum(sr_unix_ts(s.transit));
	values[2] = TimestampTzGetDatum(sr_unix_ts(s.sunset));
	nulls[0] = isnan(s.sunrise);
	nulls[1] = false;
	nulls[2] = isnan(s.sunset);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls)));
}

/* ----------------------------------------------------------------------
 * sun_positions: bulk forms
 * ---------------------------------------------------------------------- */

/* An array sized by the input: past 1 GB (MaxAllocSize) for the 64-byte
 * per-site constants of more than 16.7 M sites, below the limit of
 * SR_SUN_POSITIONS_MAX positions. */
static void *
bulk_alloc(Size size)
{
	return palloc_extended(size > 0 ? size : 1, MCXT_ALLOC_HUGE);
}

/* Read a float8[] without NULLs into a palloc'd C array. */
static double *
float8_array(ArrayType *a, const char *param, int *n)
{
	int			nelems = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
	double	   *out;

	if (ARR_ELEMTYPE(a) != FLOAT8OID)
		elog(ERROR, "parameter \"%s\" is not a float8 array", param);
	if (array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("parameter \"%s\" must not contain NULL elements", param)));
	out = bulk_alloc(sizeof(double) * (Size) nelems);
	if (nelems > 0)
		memcpy(out, ARR_DATA_PTR(a), sizeof(double) * nelems);
	*n = nelems;
	return out;
}

/* State of the bulk SRFs. */
typedef struct sunpos_state
{
	int64		n_times;
	int			n_sites;
	/* array form: the instants; range form: start + i * step */
	TimestampTz *ts;
	TimestampTz start;
	int64		step_us;
	sr_spa_site_pre *sites;
	double		delta_t;
	int64		ti;				/* next instant */
	int			si;				/* next site */
	sr_spa_time_pre q;			/* time part of instant ti */
	bool		grid;			/* one row per instant with arrays */
} sunpos_state;

/* The output of a bulk call is bounded (SR_SUN_POSITIONS_MAX positions):
 * a 1 µs step or a far stop date is refused up front rather than run until
 * the disk fills.  A row of sun_positions_grid holds three float8 arrays of
 * one value per site, and a row cannot exceed 1 GB (MaxAllocSize): more
 * sites than SUNPOS_GRID_SITES_MAX would fail in heap_form_tuple. */
#define SUNPOS_GRID_SITES_MAX 40000000
static void
sunpos_check_bound(const sunpos_state *st)
{
	if (st->n_sites > 0 && st->n_times > SR_SUN_POSITIONS_MAX / st->n_sites)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sun positions requested exceed the limit of %d per call", SR_SUN_POSITIONS_MAX),
				 errdetail("The call asks for " INT64_FORMAT " instants at %d sites.", st->n_times, st->n_sites),
				 errhint("Split the period or the sites into several calls, or use a longer step.")));
	if (st->grid && st->n_times > 0 && st->n_sites > SUNPOS_GRID_SITES_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sites requested exceed the limit of %d per row of sun_positions_grid", SUNPOS_GRID_SITES_MAX),
				 errdetail("The call asks for %d sites; a row holds three arrays of one float8 per site and cannot exceed 1 GB.", st->n_sites),
				 errhint("Split the sites into several calls, or use sun_positions.")));
}

/* Validate sites, check the bound, prepare per-site constants (in the SRF
 * context; st->n_times and st->grid already set). */
static void
sunpos_prepare_sites(sunpos_state *st, FunctionCallInfo fcinfo, int lat_arg)
{
	int			nlat,
				nlon,
				nel = 0;
	double	   *lat = float8_array(PG_GETARG_ARRAYTYPE_P(lat_arg), "lat", &nlat);
	double	   *lon = float8_array(PG_GETARG_ARRAYTYPE_P(lat_arg + 1), "lon", &nlon);
	double	   *elev = NULL;
	double		p,
				temp;
	sr_err		err;

	if (!PG_ARGISNULL(lat_arg + 2))
		elev = float8_array(PG_GETARG_ARRAYTYPE_P(lat_arg + 2), "elevation_m", &nel);
	if (nlat != nlon || (elev && nel != nlat))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameters \"lat\", \"lon\" and \"elevation_m\" must have the same length"),
				 errdetail("lat has %d elements, lon %d, elevation_m %d.", nlat, nlon,
						   elev ? nel : nlat)));
	p = PG_GETARG_FLOAT8(lat_arg + 3);
	temp = PG_GETARG_FLOAT8(lat_arg + 4);
	st->delta_t = PG_GETARG_FLOAT8(lat_arg + 5);
	if (!isfinite(st->delta_t) || fabs(st->delta_t) > 8000.0)
		ereport(ERROR,
				(errcode(isfinite(st->delta_t) ? ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE :
						 ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"delta_t_s\" must be between -8000 and 8000 seconds")));
	st->n_sites = nlat;
	sunpos_check_bound(st);
	/* no instant: the sites are validated but nothing is prepared */
	st->sites = st->n_times > 0 ? bulk_alloc(sizeof(sr_spa_site_pre) * (Size) nlat) : NULL;
	sr_err_clear(&err);
	for (int j = 0; j < nlat; j++)
	{
		SR_CHECK_STATUS(sr_spa_validate_site(lat[j], lon[j], elev ? elev[j] : 0.0,
											 p, temp, &err), &err);
		if (st->sites)
			sr_spa_site_prepare(lat[j], lon[j], elev ? elev[j] : 0.0, p, temp,
								&st->sites[j]);
		if ((j & 0xFFFFF) == 0xFFFFF)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(lat);
	pfree(lon);
	if (elev)
		pfree(elev);
}

/* Instant number i (arrays are not built for the range form). */
static inline TimestampTz
sunpos_ts(const sunpos_state *st, int64 i)
{
	return st->ts ? st->ts[i] : st->start + i * st->step_us;
}

/* Time part of instant st->ti. */
static void
sunpos_time(sunpos_state *st)
{
	sr_spa_time t;
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_spa_time_init(sr_ts_arg_unix(sunpos_ts(st, st->ti), "ts"),
									 st->delta_t, &t, &err), &err);
	sr_spa_time_prepare(&t, &st->q);
}

/* First call of the array form: ts[] and sites. */
static void
sunpos_init_arrays(FunctionCallInfo fcinfo, sunpos_state *st)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	int			n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));

	if (array_contains_nulls(a))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("parameter \"ts\" must not contain NULL elements")));
	st->n_times = n;
	st->ts = bulk_alloc(sizeof(TimestampTz) * (Size) n);
	if (n > 0)
		memcpy(st->ts, ARR_DATA_PTR(a), sizeof(TimestampTz) * n);
	for (int i = 0; i < n; i++)
		(void) sr_ts_arg_unix(st->ts[i], "ts");	/* reject infinity up front */
	sunpos_prepare_sites(st, fcinfo, 1);
}

/* First call of the range form: start_ts, stop_ts, step. */
static void
sunpos_init_range(FunctionCallInfo fcinfo, sunpos_state *st)
{
	TimestampTz start = PG_GETARG_TIMESTAMPTZ(0);
	TimestampTz stop = PG_GETARG_TIMESTAMPTZ(1);
	Interval   *step = PG_GETARG_INTERVAL_P(2);
	int64		step_us,
				n;

	(void) sr_ts_arg_unix(start, "start_ts");
	(void) sr_ts_arg_unix(stop, "stop_ts");
	if (step->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"step\" must not contain months or years"),
				 errdetail("Use days, hours, minutes or seconds: a month has no fixed length.")));
	step_us = step->time + (int64) step->day * USECS_PER_DAY;
	if (step_us <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"step\" must be a positive interval")));
	n = stop < start ? 0 : (stop - start) / step_us + 1;
	st->n_times = n;
	st->ts = NULL;				/* computed on the fly */
	st->start = start;
	st->step_us = step_us;
	sunpos_prepare_sites(st, fcinfo, 3);
}

/* True when a required argument of a bulk form is NULL (every argument
 * but elevation_m, at index elev_arg): the set is then empty. */
static bool
bulk_args_null(FunctionCallInfo fcinfo, int elev_arg)
{
	for (int i = 0; i < PG_NARGS(); i++)
		if (i != elev_arg && PG_ARGISNULL(i))
			return true;
	return false;
}

/* One row (ts, site, zenith, apparent_zenith, elevation,
 * apparent_elevation, azimuth, equation_of_time) per call. */
static Datum
sunpos_rows(FunctionCallInfo fcinfo, bool range)
{
	FuncCallContext *fc;
	sunpos_state *st;
	sr_solpos	pos;
	Datum		values[8];
	bool		nulls[8] = {0};

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	td;

		fc = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fc->multi_call_memory_ctx);
		st = palloc0(sizeof(sunpos_state));
		if (bulk_args_null(fcinfo, range ? 5 : 3))
			st->n_times = st->n_sites = 0;
		else if (range)
			sunpos_init_range(fcinfo, st);
		else
			sunpos_init_arrays(fcinfo, st);
		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "sun_positions called in a context that cannot accept a record");
		fc->tuple_desc = BlessTupleDesc(td);
		fc->user_fctx = st;
		MemoryContextSwitchTo(old);
	}
	fc = SRF_PERCALL_SETUP();
	st = fc->user_fctx;
	if (st->si >= st->n_sites)
	{
		st->si = 0;
		st->ti++;
	}
	if (st->n_sites == 0 || st->ti >= st->n_times)
		SRF_RETURN_DONE(fc);
	if (st->si == 0)
		sunpos_time(st);
	sr_spa_site_fast(&st->q, &st->sites[st->si], &pos);
	values[0] = TimestampTzGetDatum(sunpos_ts(st, st->ti));
	values[1] = Int32GetDatum(st->si + 1);
	values[2] = Float8GetDatum(pos.zenith);
	values[3] = Float8GetDatum(pos.apparent_zenith);
	values[4] = Float8GetDatum(pos.elevation);
	values[5] = Float8GetDatum(pos.apparent_elevation);
	values[6] = Float8GetDatum(pos.azimuth);
	values[7] = Float8GetDatum(pos.equation_of_time);
	st->si++;
	SRF_RETURN_NEXT(fc, HeapTupleGetDatum(heap_form_tuple(fc->tuple_desc, values, nulls)));
}

PG_FUNCTION_INFO_V1(sr_fn_sun_positions);
/* smartregion.sun_positions(ts[], lat[], lon[], elevation_m[], ...) */
Datum
sr_fn_sun_positions(PG_FUNCTION_ARGS)
{
	return sunpos_rows(fcinfo, false);
}

PG_FUNCTION_INFO_V1(sr_fn_sun_positions_range);
/* smartregion.sun_positions(start_ts, stop_ts, step, lat[], lon[], ...) */
Datum
sr_fn_sun_positions_range(PG_FUNCTION_ARGS)
{
	return sunpos_rows(fcinfo, true);
}

/* A float8[] of n values (by-value elements: one palloc and a copy); with
 * v NULL the values are left for the caller to write. */
static ArrayType *
make_float8_array(const double *v, int n)
{
	Size		nbytes = ARR_OVERHEAD_NONULLS(1) + sizeof(double) * n;
	ArrayType  *a = palloc(nbytes);

	SET_VARSIZE(a, nbytes);
	a->ndim = 1;
	a->dataoffset = 0;
	a->elemtype = FLOAT8OID;
	ARR_DIMS(a)[0] = n;
	ARR_LBOUND(a)[0] = 1;
	if (v)
		memcpy(ARR_DATA_PTR(a), v, sizeof(double) * n);
	return a;
}

PG_FUNCTION_INFO_V1(sr_fn_sun_positions_grid);
/* smartregion.sun_positions_grid(ts[], lat[], lon[], ...): one row per
 * instant with the positions of every site as arrays (the fast bulk form:
 * no tuple per position). */
Datum
sr_fn_sun_positions_grid(PG_FUNCTION_ARGS)
{
	FuncCallContext *fc;
	sunpos_state *st;
	Datum		values[5];
	bool		nulls[5] = {0};
	double	   *z,
			   *az,
			   *azm;
	ArrayType  *za,
			   *aza,
			   *azma;
	MemoryContext old;

	if (SRF_IS_FIRSTCALL())
	{
		TupleDesc	td;

		fc = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(fc->multi_call_memory_ctx);
		st = palloc0(sizeof(sunpos_state));
		st->grid = true;
		if (!bulk_args_null(fcinfo, 3))
			sunpos_init_arrays(fcinfo, st);
		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "sun_positions_grid called in a context that cannot accept a record");
		fc->tuple_desc = BlessTupleDesc(td);
		fc->user_fctx = st;
		MemoryContextSwitchTo(old);
	}
	fc = SRF_PERCALL_SETUP();
	st = fc->user_fctx;
	if (st->ti >= st->n_times)
		SRF_RETURN_DONE(fc);
	sunpos_time(st);
	/* the positions are written straight into the three result arrays */
	za = make_float8_array(NULL, st->n_sites);
	aza = make_float8_array(NULL, st->n_sites);
	azma = make_float8_array(NULL, st->n_sites);
	z = (double *) ARR_DATA_PTR(za);
	az = (double *) ARR_DATA_PTR(aza);
	azm = (double *) ARR_DATA_PTR(azma);
	for (int j = 0; j < st->n_sites; j++)
	{
		sr_solpos	pos;

		sr_spa_site_fast(&st->q, &st->sites[j], &pos);
		z[j] = pos.zenith;
		az[j] = pos.apparent_zenith;
		azm[j] = pos.azimuth;
	}
	values[0] = TimestampTzGetDatum(sunpos_ts(st, st->ti));
	values[1] = Float8GetDatum(st->q.eot_min);
	values[2] = PointerGetDatum(za);
	values[3] = PointerGetDatum(aza);
	values[4] = PointerGetDatum(azma);
	st->ti++;
	SRF_RETURN_NEXT(fc, HeapTupleGetDatum(heap_form_tuple(fc->tuple_desc, values, nulls)));
}

/* ----------------------------------------------------------------------
 * irradiance
 * ---------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_extraterrestrial_irradiance);
/* smartregion.extraterrestrial_irradiance(ts, method, solar_constant) */
Datum
sr_fn_extraterrestrial_irradiance(PG_FUNCTION_ARGS)
{
	double		u = sr_ts_arg_unix(PG_GETARG_TIMESTAMPTZ(0), "ts");
	char	   *name = text_arg(fcinfo, 1);
	double		sc = PG_GETARG_FLOAT8(2);
	sr_extra_method m;
	sr_err		err;
	double		v;

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_extra_method_parse(name, &m, &err), &err);
	SR_CHECK_STATUS(sr_extraterrestrial_irradiance(u, m, sc, &v, &err), &err);
	PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(sr_fn_relative_airmass);
/* smartregion.relative_airmass(zenith, model): NULL when zenith > 90 */
Datum
sr_fn_relative_airmass(PG_FUNCTION_ARGS)
{
	double		z = PG_GETARG_FLOAT8(0);
	char	   *name = text_arg(fcinfo, 1);
	sr_airmass_model m;
	sr_err		err;
	double		v;

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_airmass_model_parse(name, &m, &err), &err);
	sr_require_finite(z, "zenith");
	if (z < 0.0 || z > 180.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("parameter \"zenith\" must be between 0 and 180 degrees, got %g", z)));
	v = sr_relative_airmass(z, m);
	if (isnan(v))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(v);
}

PG_FUNCTION_INFO_V1(sr_fn_absolute_airmass);
/* smartregion.absolute_airmass(airmass_relative, pressure_pa) */
Datum
sr_fn_absolute_airmass(PG_FUNCTION_ARGS)
{
	double		v;
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_absolute_airmass_checked(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), &v, &err), &err);
	PG_RETURN_FLOAT8(v);
}

/* Finite value in [lo, hi], or an error naming the parameter and range. */
static void
require_in(double v, const char *param, double lo, double hi, const char *unit)
{
	sr_require_finite(v, param);
	if (v < lo || v > hi)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("parameter \"%s\" must be between %g and %g%s, got %g",
						param, lo, hi, unit, v)));
}

PG_FUNCTION_INFO_V1(sr_fn_clearsky_ineichen);
/* smartregion.clearsky_ineichen(apparent_zenith, airmass_absolute,
 * linke_turbidity, altitude_m, dni_extra) -> (ghi, dni, dhi) */
Datum
sr_fn_clearsky_ineichen(PG_FUNCTION_ARGS)
{
	double		z = PG_GETARG_FLOAT8(0);
	double		am = PG_GETARG_FLOAT8(1);
	double		tl = PG_GETARG_FLOAT8(2);
	double		alt = PG_GETARG_FLOAT8(3);
	double		ea = PG_GETARG_FLOAT8(4);
	solar_fn_cache *c = fn_cache(fcinfo);
	sr_irrad3	cs;
	double		v[3];

	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_clearsky_ineichen_check(z, am, tl, alt, ea, &err), &err);
	sr_clearsky_ineichen(z, am, tl, alt, ea, &cs);
	v[0] = cs.ghi;
	v[1] = cs.dni;
	v[2] = cs.dhi;
	PG_RETURN_DATUM(form_floats(c->tupdesc, v, 3));
}

PG_FUNCTION_INFO_V1(sr_fn_angle_of_incidence);
/* smartregion.angle_of_incidence(surface_tilt, surface_azimuth,
 * solar_zenith, solar_azimuth) in degrees */
Datum
sr_fn_angle_of_incidence(PG_FUNCTION_ARGS)
{
	double		tilt = PG_GETARG_FLOAT8(0);
	double		saz = PG_GETARG_FLOAT8(1);
	double		z = PG_GETARG_FLOAT8(2);
	double		az = PG_GETARG_FLOAT8(3);

	require_in(tilt, "surface_tilt", 0, 180, " degrees");
	require_in(saz, "surface_azimuth", -360, 360, " degrees");
	require_in(z, "solar_zenith", 0, 180, " degrees");
	require_in(az, "solar_azimuth", -360, 360, " degrees");
	PG_RETURN_FLOAT8(sr_angle_of_incidence(tilt, saz, z, az));
}

/* Per-call-site cache of poa_irradiance: tuple descriptor and the model
 * name last parsed. */
typedef struct poa_cache
{
	solar_fn_cache base;
	bool		have_model;
	char		model_name[32];
	sr_poa_model model;
} poa_cache;

PG_FUNCTION_INFO_V1(sr_fn_poa_irradiance);
/* smartregion.poa_irradiance(surface_tilt, surface_azimuth, solar_zenith,
 * solar_azimuth, dni, ghi, dhi, dni_extra, airmass_relative, albedo, model)
 * -> (poa_global, poa_direct, poa_diffuse, poa_sky_diffuse,
 * poa_ground_diffuse).  Not strict: dni_extra and airmass_relative may be
 * NULL; NULL in any other argument gives NULL. */
Datum
sr_fn_poa_irradiance(PG_FUNCTION_ARGS)
{
	poa_cache  *c = (poa_cache *) fcinfo->flinfo->fn_extra;
	text	   *mt;
	sr_err		err;
	sr_poa		p;
	double		v[5];
	double		dni_extra,
				am;

	for (int i = 0; i < 11; i++)
		if (i != 7 && i != 8 && PG_ARGISNULL(i))
			PG_RETURN_NULL();
	if (c == NULL)
	{
		TupleDesc	td;
		MemoryContext old;

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "poa_irradiance called in a context that cannot accept a record");
		old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
		c = palloc0(sizeof(poa_cache));
		c->base.tupdesc = BlessTupleDesc(CreateTupleDescCopy(td));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	/* the model is a constant in practice: parse it only when it changes */
	mt = PG_GETARG_TEXT_PP(10);
	if (!c->have_model || VARSIZE_ANY_EXHDR(mt) >= sizeof(c->model_name) ||
		strncmp(c->model_name, VARDATA_ANY(mt), VARSIZE_ANY_EXHDR(mt)) != 0 ||
		c->model_name[VARSIZE_ANY_EXHDR(mt)] != '\0')
	{
		char	   *name = text_to_cstring(mt);

		sr_err_clear(&err);
		c->have_model = false;
		SR_CHECK_STATUS(sr_poa_model_parse(name, &c->model, &err), &err);
		strlcpy(c->model_name, name, sizeof(c->model_name));
		c->have_model = true;
	}
	dni_extra = PG_ARGISNULL(7) ? NAN : PG_GETARG_FLOAT8(7);
	am = PG_ARGISNULL(8) ? NAN : PG_GETARG_FLOAT8(8);
	if (!PG_ARGISNULL(7))
		sr_require_finite(dni_extra, "dni_extra");
	if (!PG_ARGISNULL(8))
		sr_require_finite(am, "airmass_relative");
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_poa_irradiance(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1),
									  PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3),
									  PG_GETARG_FLOAT8(4), PG_GETARG_FLOAT8(5),
									  PG_GETARG_FLOAT8(6), dni_extra, am,
									  PG_GETARG_FLOAT8(9), c->model, &p, &err), &err);
	v[0] = p.poa_global;
	v[1] = p.poa_direct;
	v[2] = p.poa_diffuse;
	v[3] = p.poa_sky_diffuse;
	v[4] = p.poa_ground_diffuse;
	PG_RETURN_DATUM(form_floats(c->base.tupdesc, v, 5));
}

/* ----------------------------------------------------------------------
 * EPW weather files
 * ---------------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_epw_location);
/* smartregion.epw_location(content) -> (name, lat, lon, tz, elevation,
 * country, source, wmo) */
Datum
sr_fn_epw_location(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	solar_fn_cache *c = fn_cache(fcinfo);
	sr_epw_location loc;
	sr_err		err;
	Datum		values[8];
	bool		nulls[8] = {0};

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_epw_parse_location(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
										  &loc, &err), &err);
	values[0] = CStringGetTextDatum(loc.name);
	values[1] = Float8GetDatum(loc.lat);
	values[2] = Float8GetDatum(loc.lon);
	values[3] = Float8GetDatum(loc.tz);
	values[4] = Float8GetDatum(loc.elevation);
	values[5] = CStringGetTextDatum(loc.country);
	values[6] = CStringGetTextDatum(loc.source);
	values[7] = CStringGetTextDatum(loc.wmo);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(c->tupdesc, values, nulls)));
}

PG_FUNCTION_INFO_V1(sr_fn_epw_records);
/* smartregion.epw_records(content): one row per hour (materialised). */
Datum
sr_fn_epw_records(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_epw_location loc;
	sr_epw_record *r;
	int			n;
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_epw_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &loc, &r, &n,
								 &err), &err);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < n; i++)
	{
		Datum		values[15];
		bool		nulls[15];
		double		f[10] = {r[i].ghi, r[i].dni, r[i].dhi, r[i].temp_air,
			r[i].wind_speed, r[i].pressure_pa, r[i].albedo, r[i].temp_dew,
		r[i].relative_humidity, r[i].wind_direction};

		values[0] = TimestampTzGetDatum(sr_unix_ts(r[i].ts));
		nulls[0] = false;
		for (int k = 0; k < 10; k++)
		{
			values[k + 1] = Float8GetDatum(f[k]);
			nulls[k + 1] = isnan(f[k]);
		}
		values[11] = Int32GetDatum(r[i].year);
		values[12] = Int32GetDatum(r[i].month);
		values[13] = Int32GetDatum(r[i].day);
		values[14] = Int32GetDatum(r[i].hour);
		for (int k = 11; k < 15; k++)
			nulls[k] = false;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	sr_free(r);
	return (Datum) 0;
}
