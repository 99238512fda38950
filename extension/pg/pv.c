/*
 * pv.c — entry points of the PV system model (docs/pv.md): pv_yield and
 * pv_profile (the fast path on a sky; the sky_agg overload with air
 * temperature and wind is in sky_agg.c), pv_yield_hourly and pv_profile_hourly (the hour by
 * hour reference on weather rows).  The work is the core's
 * (extension/core/pv_model.c, pv_sky.c).
 */
#include "sr_pg.h"
#include "sr_cadastre.h"
#include "sr_pv.h"
#include "sr_pv_glue.h"
#include "sr_cadastre_pg.h"

#include <math.h>

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* ---------- the prepared PV sky, per call site ---------- */

/* What identifies a prepared PV sky: the sky's header, its hourly
 * trailer's header, the sector count, the albedo and the system. */
typedef struct pv_key
{
	char		hdr[sizeof(sr_sky_hdr)];
	sr_sky_hours hours;
	int			ns;
	double		albedo;
	sr_pv_system sys;
} pv_key;

struct sr_pv_cache
{
	bool		valid;
	pv_key		key;
	bool		ext_valid;
	struct varatt_external ext;
	sr_sky_prep *sky;
	sr_pv_prep *pv;				/* NULL: the sky has no hours (version 2) */
	bool		noticed;
	TupleDesc	td;
};

static void
pv_key_make(pv_key *k, const sr_sky_hdr *s, int ns, double albedo, const sr_pv_system *sys)
{
	const sr_sky_hours *h = sr_sky_hours_of(s);

	memset(k, 0, sizeof(*k));
	memcpy(k->hdr, s, sizeof(sr_sky_hdr));
	memset(k->hdr, 0, sizeof(int32));	/* the varlena word */
	if (h)
		k->hours = *h;
	else
		k->hours.n_hour = -1;
	k->ns = ns;
	k->albedo = albedo;
	k->sys = *sys;
}

sr_pv_cache *
sr_pv_cache_get(FunctionCallInfo fcinfo, Datum skyd, int ns, double albedo,
				const sr_pv_system *sys, const sr_sky_hdr **sky_out)
{
	sr_pv_cache *c = fcinfo->flinfo->fn_extra;
	struct varlena *raw = (struct varlena *) DatumGetPointer(skyd);
	bool		is_ext = VARATT_IS_EXTERNAL_ONDISK(raw);
	struct varatt_external ext;
	sr_sky_hdr *s;
	pv_key		k;
	MemoryContext old;
	sr_err		err;

	if (c == NULL)
		c = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(sr_pv_cache));
	if (is_ext)
	{
		/* a stored value never changes: its TOAST pointer is its identity */
		VARATT_EXTERNAL_GET_POINTER(ext, raw);
		if (c->valid && c->ext_valid && ext.va_valueid == c->ext.va_valueid &&
			ext.va_toastrelid == c->ext.va_toastrelid && c->key.ns == ns &&
			c->key.albedo == albedo && memcmp(&c->key.sys, sys, sizeof(*sys)) == 0)
		{
			if (sky_out)
				*sky_out = NULL;
			return c;
		}
	}
	s = (sr_sky_hdr *) PG_DETOAST_DATUM(skyd);
	if (sky_out)
		*sky_out = s;
	pv_key_make(&k, s, ns, albedo, sys);
	if (c->valid && memcmp(&k, &c->key, sizeof(k)) == 0)
	{
		c->ext_valid = is_ext;
		if (is_ext)
			c->ext = ext;
		return c;
	}
	if (c->sky)
		sr_sky_prep_free(c->sky);
	if (c->pv)
		sr_pv_prep_free(c->pv);
	c->sky = NULL;
	c->pv = NULL;
	c->valid = false;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	sr_err_clear(&err);
	if (sr_sky_prepare(s, ns, &c->sky, &err) != SR_OK ||
		(sr_pv_sky_usable(s) >= 0 && sr_pv_prepare(s, sys, ns, albedo, &c->pv, &err) != SR_OK))
	{
		MemoryContextSwitchTo(old);
		sr_raise(&err);
	}
	MemoryContextSwitchTo(old);
	c->key = k;
	c->valid = true;
	c->noticed = false;
	c->ext_valid = is_ext;
	if (is_ext)
		c->ext = ext;
	return c;
}

sr_sky_prep *
sr_pv_cache_sky(sr_pv_cache *c)
{
	return c->sky;
}

sr_pv_prep *
sr_pv_cache_pv(sr_pv_cache *c)
{
	return c->pv;
}

/* The NOTICE of a sky the model cannot use fully, once per call site. */
void
sr_pv_cache_notice(sr_pv_cache *c, const char *fn)
{
	if (c->noticed)
		return;
	c->noticed = true;
	if (c->key.hours.n_hour < 0)
		ereport(NOTICE,
				(errmsg("%s: the sky has no hourly weather (a sky of version 2): the yield is its irradiation times performance_ratio %g",
						fn, c->key.sys.fallback_pr),
				 errhint("Build the sky again with sky_from_epw() or sky_agg() to use the PV model.")));
	else if (!(c->key.hours.flags & SR_SKY_HAS_MET))
		ereport(NOTICE,
				(errmsg("%s: the sky has no air temperature nor wind: %g C and %g m/s are assumed in every hour",
						fn, SR_PV_ASSUMED_TEMP, SR_PV_ASSUMED_WIND),
				 errhint("Build the sky with sky_from_epw() or with sky_agg(ts, ghi, dni, dhi, temp_air, wind_speed, location).")));
}

/* The system of a jsonb argument (NULL = defaults). */
void
sr_pv_system_arg(FunctionCallInfo fcinfo, int n, sr_pv_system *sys)
{
	sr_err		err;

	sr_options_read(PG_ARGISNULL(n) ? NULL : PG_GETARG_JSONB_P(n), &sr_pv_optset, sys, "system");
	sr_err_clear(&err);
	if (sr_pv_check(sys, &err) != SR_OK)
		sr_raise(&err);
}

/* Plane arguments shared by every PV function. */
static void
plane_args(FunctionCallInfo fcinfo, int it, double *tilt, double *az, double *albedo, int ia)
{
	*tilt = PG_GETARG_FLOAT8(it);
	*az = PG_GETARG_FLOAT8(it + 1);
	*albedo = PG_GETARG_FLOAT8(ia);
	sr_require_range(*tilt, "surface_tilt", 0, 90);
	sr_require_range(*az, "surface_azimuth", -360, 360);
	sr_require_range(*albedo, "albedo", 0, 1);
	if (*az < 0)
		*az += 360;
}

/* The fast path for one plane: the kernel's months, then the model (or the
 * fallback ratio); hourly (nrec) may be NULL. */
void
sr_pv_cache_face(sr_pv_cache *c, double tilt, double az, const float *elev,
				 sr_pv_result *r, double *hourly)
{
	sr_irradiation ir;

	sr_plane_irradiation(c->sky, tilt, az, elev, c->key.albedo, &ir);
	if (c->pv)
		sr_pv_face(c->pv, tilt, az, elev, ir.monthly, r, hourly);
	else
	{
		memset(r, 0, sizeof(*r));
		for (int m = 0; m < 12; m++)
		{
			r->poa_monthly[m] = ir.monthly[m] / 1000.0;
			r->monthly[m] = r->poa_monthly[m] * c->key.sys.fallback_pr;
			r->annual += r->monthly[m];
			r->poa += r->poa_monthly[m];
		}
	}
}

/* (annual_kwh_kwp, monthly_kwh_kwp[], poa_kwh_m2, performance_ratio) */
static Datum
yield_tuple(FunctionCallInfo fcinfo, const sr_pv_result *r, TupleDesc *cache)
{
	TupleDesc	td;
	Datum		v[4],
				m[12];
	bool		nulls[4] = {false, false, false, false};

	if (cache && *cache)
		td = *cache;
	else
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		td = BlessTupleDesc(td);
		MemoryContextSwitchTo(old);
		if (cache)
			*cache = td;
	}
	for (int i = 0; i < 12; i++)
		m[i] = Float8GetDatum(r->monthly[i]);
	v[0] = Float8GetDatum(r->annual);
	v[1] = PointerGetDatum(construct_array(m, 12, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
	v[2] = Float8GetDatum(r->poa);
	v[3] = Float8GetDatum(r->poa > 0 ? r->annual / r->poa : 0.0);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

PG_FUNCTION_INFO_V1(sr_fn_pv_yield);
/* smartregion.pv_yield(sky, surface_tilt, surface_azimuth, horizon, system,
 * albedo) */
Datum
sr_fn_pv_yield(PG_FUNCTION_ARGS)
{
	double		tilt,
				az,
				albedo;
	sr_horizon_v *h = NULL;
	sr_pv_system sys;
	sr_pv_cache *c;
	sr_pv_result r;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	plane_args(fcinfo, 1, &tilt, &az, &albedo, 5);
	if (!PG_ARGISNULL(3))
		h = PG_GETARG_HORIZON_COLUMNS(3);
	sr_pv_system_arg(fcinfo, 4, &sys);
	c = sr_pv_cache_get(fcinfo, PG_GETARG_DATUM(0), h ? h->n : 72, albedo, &sys, NULL);
	sr_pv_cache_notice(c, "pv_yield");
	sr_pv_cache_face(c, tilt, az, h ? h->elev : NULL, &r, NULL);
	PG_RETURN_DATUM(yield_tuple(fcinfo, &r, &c->td));
}

PG_FUNCTION_INFO_V1(sr_fn_pv_profile);
/* smartregion.pv_profile(sky, ...): the fast path's hours */
Datum
sr_fn_pv_profile(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	double		tilt,
				az,
				albedo;
	sr_horizon_v *h = NULL;
	sr_pv_system sys;
	sr_pv_cache *c;
	sr_pv_result r;
	double	   *hv,
			   *ts;
	int			n;

	/* a NULL sky, tilt, azimuth or albedo: no rows (PG_RETURN_NULL in a
	 * set-returning function would be one row of NULLs) */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(5))
	{
		InitMaterializedSRF(fcinfo, 0);
		return (Datum) 0;
	}
	plane_args(fcinfo, 1, &tilt, &az, &albedo, 5);
	if (!PG_ARGISNULL(3))
		h = PG_GETARG_HORIZON_COLUMNS(3);
	sr_pv_system_arg(fcinfo, 4, &sys);
	c = sr_pv_cache_get(fcinfo, PG_GETARG_DATUM(0), h ? h->n : 72, albedo, &sys, NULL);
	if (!c->pv)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pv_profile: the sky has no hourly weather (a sky of version 2)"),
				 errhint("Build the sky again with sky_from_epw() or sky_agg().")));
	sr_pv_cache_notice(c, "pv_profile");
	n = sr_pv_prep_nrec(c->pv);
	hv = palloc(sizeof(double) * Max(n, 1));
	ts = palloc(sizeof(double) * Max(n, 1));
	sr_pv_cache_face(c, tilt, az, h ? h->elev : NULL, &r, hv);
	sr_pv_prep_hours(c->pv, ts);
	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i < n; i++)
	{
		Datum		v[2];
		bool		nulls[2] = {false, false};

		v[0] = TimestampTzGetDatum(sr_unix_ts(ts[i]));
		v[1] = Float8GetDatum(hv[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
	}
	return (Datum) 0;
}

/* ---------- the hour-by-hour reference ---------- */

/* The running state of the reference over weather_sql's batches: the
 * plane's sums, the model's, and (pv_profile_hourly) the result's
 * tuplestore; memory does not grow with the rows but for the times' sort
 * (sr_weather_stream, bounded by work_mem) and the tuplestore (work_mem,
 * then a temporary file). */
typedef struct pv_stream
{
	const char *fn;
	sr_hourly_sum *sum;
	sr_pv_model m;
	double		tilt;
	sr_pv_result r;
	bool		noticed;
	ReturnSetInfo *rsinfo;		/* pv_profile_hourly: every hour's row; else NULL */
} pv_stream;

static void
met_notice(const char *fn)
{
	ereport(NOTICE,
			(errmsg("%s: weather_sql has no temp_air or no wind_speed column: %g C and %g m/s are assumed in every hour",
					fn, SR_PV_ASSUMED_TEMP, SR_PV_ASSUMED_WIND)));
}

static void
pv_batch(void *arg, const sr_weather_rec *w, const double *temp_air, const double *wind,
		 int n, int64 first)
{
	pv_stream  *s = (pv_stream *) arg;
	sr_poa_hour *hh = palloc(sizeof(sr_poa_hour) * Max(n, 1));
	double	   *hv = s->rsinfo ? palloc(sizeof(double) * Max(n, 1)) : NULL;
	sr_err		err;

	if (!s->noticed)
	{
		s->noticed = true;
		if (!temp_air)
			met_notice(s->fn);
	}
	/* the module temperature model needs sane weather (a negative wind
	 * makes Faiman's denominator negative) */
	for (int i = 0; temp_air && i < n; i++)
		if (!sr_met_valid(temp_air[i], wind[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("%s: weather_sql row " INT64_FORMAT " has an air temperature or wind speed out of range",
							s->fn, first + i + 1),
					 errdetail("temp_air = %g C (accepted %g to %g), wind_speed = %g m/s (0 to %g).",
							   temp_air[i], SR_MET_TEMP_MIN, SR_MET_TEMP_MAX,
							   wind[i], SR_MET_WIND_MAX)));
	sr_err_clear(&err);
	if (sr_hourly_add(s->sum, w, n, first, hh, &err) != SR_OK)
		sr_raise(&err);
	sr_pv_add_hourly(&s->m, s->tilt, hh, n, temp_air, wind, &s->r, hv);
	for (int i = 0; s->rsinfo && i < n; i++)
	{
		Datum		v[2];
		bool		nulls[2] = {false, false};

		v[0] = TimestampTzGetDatum(sr_unix_ts(w[i].unix_s));
		v[1] = Float8GetDatum(hv[i]);
		tuplestore_putvalues(s->rsinfo->setResult, s->rsinfo->setDesc, v, nulls);
	}
}

/* Every row of weather_sql through the reference, batch by batch; with
 * rsinfo, each hour's row into its tuplestore.  Returns the row count. */
static int64
hourly_reference(FunctionCallInfo fcinfo, const char *fn, sr_pv_result *r,
				 ReturnSetInfo *rsinfo)
{
	pv_stream	s;
	double		lat,
				lon,
				az,
				albedo;
	sr_horizon_v *h = NULL;
	sr_pv_system sys;
	sr_irradiation ir;
	bool		has_met;
	int64		n;
	sr_err		err;

	memset(&s, 0, sizeof(s));
	s.fn = fn;
	s.rsinfo = rsinfo;
	lat = PG_GETARG_FLOAT8(1);
	lon = PG_GETARG_FLOAT8(2);
	sr_require_range(lat, "lat", -90, 90);
	sr_require_range(lon, "lon", -180, 180);
	plane_args(fcinfo, 3, &s.tilt, &az, &albedo, 7);
	if (!PG_ARGISNULL(5))
		h = PG_GETARG_HORIZON_COLUMNS(5);
	sr_pv_system_arg(fcinfo, 6, &sys);
	sr_err_clear(&err);
	if (sr_pv_model_init(&sys, &s.m, &err) != SR_OK)
		sr_raise(&err);
	if (sr_hourly_begin(lat, lon, 0.0, s.tilt, az, h ? h->elev : NULL, h ? h->n : 72, albedo,
						false, &s.sum, &err) != SR_OK)
		sr_raise(&err);
	/* (the hubs its text reads: who controls their code, before it runs) */
	sr_query_hub_guard(fcinfo, fn, (const int[]) {0}, 1, NULL);
	n = sr_weather_stream(sr_text_arg(fcinfo, 0), true, pv_batch, &s, &has_met);
	if (!s.noticed && !has_met)
		met_notice(fn);
	sr_hourly_end(s.sum, &ir, NULL);
	sr_pv_end_hourly(&s.r);
	*r = s.r;
	return n;
}

PG_FUNCTION_INFO_V1(sr_fn_pv_yield_hourly);
/* smartregion.pv_yield_hourly(weather_sql, lat, lon, surface_tilt,
 * surface_azimuth, horizon, system, albedo) */
Datum
sr_fn_pv_yield_hourly(PG_FUNCTION_ARGS)
{
	sr_pv_result r;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		PG_ARGISNULL(4) || PG_ARGISNULL(7))
		PG_RETURN_NULL();
	/* no hour to sum: NULL, as sum() over no row (a yield of 0 would read as
	 * a system in the dark); pv_profile_hourly returns no row */
	if (hourly_reference(fcinfo, "pv_yield_hourly", &r, NULL) == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(yield_tuple(fcinfo, &r, NULL));
}

PG_FUNCTION_INFO_V1(sr_fn_pv_profile_hourly);
/* smartregion.pv_profile_hourly(weather_sql, ...): the reference's hours,
 * in the order of weather_sql's rows */
Datum
sr_fn_pv_profile_hourly(PG_FUNCTION_ARGS)
{
	sr_pv_result r;

	/* a NULL argument but horizon and system: no rows, as an empty
	 * weather_sql (not one row of NULLs) */
	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		PG_ARGISNULL(4) || PG_ARGISNULL(7))
		return (Datum) 0;
	hourly_reference(fcinfo, "pv_profile_hourly", &r, (ReturnSetInfo *) fcinfo->resultinfo);
	return (Datum) 0;
}
