/*
 * cadastre.c — entry points of the solar cadastre (docs/cadastre.md):
 * sky_summary, sky_patches, sky_from_epw (sky_agg is in sky_agg.c), surface_irradiation(_hourly),
 * roof_plane, horizon_at and solar_cadastre.  The horizon and sky types'
 * I/O is in types.c; query arguments are read by query.c, geometry crosses
 * through geometry.c, options are read against the core's specs; the work
 * is the core's (extension/core/cadastre_*.c).
 */
#include "sr_pg.h"
#include "sr_cadastre.h"
#include "sr_pv.h"
#include "sr_cadastre_pg.h"
#include "sr_solar.h"
#include "sr_pv_econ_glue.h"
#include "sr_terrain_glue.h"

#include <math.h>

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/tuplesort.h"

static Datum
sky_datum(sr_sky_hdr *s, size_t size)
{
	SET_VARSIZE(s, size);
	return PointerGetDatum(s);
}

PG_FUNCTION_INFO_V1(sr_fn_sky_summary);
/* smartregion.sky_summary(sky) -> jsonb */
Datum
sr_fn_sky_summary(PG_FUNCTION_ARGS)
{
	sr_sky_hdr *s = (sr_sky_hdr *) PG_GETARG_BYTEA_P(0);
	StringInfoData buf;
	double		beam = 0, dhi = 0, ghi = 0;
	int			m;
	const sr_sky_hours *hours = sr_sky_hours_of(s);

	for (m = 0; m < 12; m++)
	{
		beam += s->m_beam_h[m];
		dhi += s->m_dhi[m];
		ghi += s->m_ghi[m];
	}
	initStringInfo(&buf);
	appendStringInfo(&buf,
					 "{\"version\": %d, \"lat\": %.6f, \"lon\": %.6f, \"elevation_m\": %.1f, "
					 "\"records\": %d, \"daylight_hours\": %d, \"sun_positions\": %d, "
					 "\"sky_patches\": %d, \"subdivision\": \"Reinhart MF %d\", "
					 "\"diffuse_model\": \"Perez all-weather 1993\", \"ghi_kwh_m2\": %.3f, "
					 "\"dni_file_kwh_m2\": %.3f, \"dhi_file_kwh_m2\": %.3f, "
					 "\"beam_horizontal_kwh_m2\": %.3f, \"diffuse_horizontal_kwh_m2\": %.3f}",
					 s->version, s->lat, s->lon, s->elevation_m, s->n_rec, s->n_day, s->n_sun,
					 s->n_patch, s->mf, ghi / 1000, s->dni_sum / 1000, s->dhi_sum / 1000,
					 beam / 1000, dhi / 1000);
	/* version 3: the hours kept for the PV model (docs/pv.md) */
	buf.data[--buf.len] = '\0';
	appendStringInfo(&buf, ", \"hourly_records\": %d, \"air_temperature\": %s}",
					 hours ? hours->n_hour : 0,
					 hours && (hours->flags & SR_SKY_HAS_MET) ? "true" : "false");
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

PG_FUNCTION_INFO_V1(sr_fn_sky_patches);
/* smartregion.sky_patches(sky) -> one row per Reinhart patch */
Datum
sr_fn_sky_patches(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_sky_hdr *s = (sr_sky_hdr *) PG_GETARG_BYTEA_P(0);
	const float *rad = sr_sky_rad(s);
	int			r, j, q = 0, m;

	InitMaterializedSRF(fcinfo, 0);
	for (r = 0; r < SR_SKY_NROWS; r++)
	{
		int			np = sr_sky_row_patches(r);
		double		e0 = sr_sky_row_bottom(r), e1 = sr_sky_row_bottom(r + 1);
		double		alt = r == SR_SKY_NROWS - 1 ? 90.0 : 0.5 * (e0 + e1);
		double		om = sr_sky_patch_solid_angle(r);

		for (j = 0; j < np; j++, q++)
		{
			Datum		v[7], mv[12];
			bool		nulls[7] = {false, false, false, false, false, false, false};
			double		tot = 0.0;

			for (m = 0; m < 12; m++)
			{
				double		x = rad[(size_t) m * SR_SKY_NPATCH + q];

				tot += x;
				mv[m] = Float8GetDatum(x / 1000.0);
			}
			v[0] = Int32GetDatum(q + 1);
			v[1] = Int32GetDatum(r + 1);
			v[2] = Float8GetDatum(alt);
			v[3] = Float8GetDatum(360.0 * j / np);
			v[4] = Float8GetDatum(om);
			v[5] = Float8GetDatum(tot / 1000.0);
			v[6] = PointerGetDatum(construct_array(mv, 12, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		}
	}
	return (Datum) 0;
}

/* sky_agg: sky_agg.c */

PG_FUNCTION_INFO_V1(sr_fn_sky_from_epw);
/* smartregion.sky_from_epw(content text) */
Datum
sr_fn_sky_from_epw(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	sr_epw_location loc;
	sr_epw_record *r;
	sr_weather_rec *w;
	sr_sky_hdr *s;
	size_t		size;
	int			n, i;
	double	   *ta, *ws;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_epw_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &loc, &r, &n, &err) != SR_OK)
		sr_raise(&err);
	w = palloc(sizeof(sr_weather_rec) * (n > 0 ? n : 1));
	ta = palloc(sizeof(double) * (n > 0 ? n : 1));
	ws = palloc(sizeof(double) * (n > 0 ? n : 1));
	for (i = 0; i < n; i++)
	{
		if (isnan(r[i].ghi) || isnan(r[i].dni) || isnan(r[i].dhi))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("EPW record %d (%04d-%02d-%02d hour %d) has a missing irradiance",
							i + 1, r[i].year, r[i].month, r[i].day, r[i].hour)));
		w[i].unix_s = r[i].ts;
		w[i].ghi = r[i].ghi;
		w[i].dni = r[i].dni;
		w[i].dhi = r[i].dhi;
		ta[i] = r[i].temp_air;
		ws[i] = r[i].wind_speed;
	}
	/* the PV model's air temperature and wind (docs/pv.md); a missing one
	 * takes its month's mean */
	sr_epw_fill_met(r, n, ta, ws);
	if (sr_sky_build_met(w, ta, ws, n, loc.lat, loc.lon, loc.elevation, &s, &size, &err) != SR_OK)
		sr_raise(&err);
	PG_RETURN_DATUM(sky_datum(s, size));
}

/* ---------- prepared sky cache (per call site) ---------- */

typedef struct sky_cache
{
	char		hdr[sizeof(sr_sky_hdr)];
	bool		valid;
	int			ns;
	sr_sky_prep *prep;
	/* the stored value the prepared sky came from, when it was one */
	bool		ext_valid;
	struct varatt_external ext;
	TupleDesc	td;				/* the result row type, blessed */
} sky_cache;

/* Prepared sky for this call site, re-prepared only when the sky or the
 * sector count changes.  A sky stored in a table reaches the function as a
 * TOAST pointer: the same pointer (relation, value id: a stored value never
 * changes) is the same sky, without a fetch; any other sky is compared by
 * its header (fetched as a slice). */
static sr_sky_prep *
sky_prepared(FunctionCallInfo fcinfo, Datum skyd, int ns)
{
	sky_cache  *c = fcinfo->flinfo->fn_extra;
	struct varlena *slice;
	struct varlena *raw = (struct varlena *) DatumGetPointer(skyd);
	struct varatt_external ext;
	bool		is_ext = VARATT_IS_EXTERNAL_ONDISK(raw);
	sr_sky_hdr *s;
	MemoryContext old;
	sr_err		err;

	if (c == NULL)
		c = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(sky_cache));
	if (is_ext)
	{
		VARATT_EXTERNAL_GET_POINTER(ext, raw);
		if (c->valid && c->ns == ns && c->ext_valid &&
			ext.va_valueid == c->ext.va_valueid && ext.va_toastrelid == c->ext.va_toastrelid)
			return c->prep;
	}
	slice = PG_DETOAST_DATUM_SLICE(skyd, 0, sizeof(sr_sky_hdr) - VARHDRSZ);
	if (VARSIZE(slice) == sizeof(sr_sky_hdr) && c->valid && c->ns == ns &&
		memcmp(VARDATA(slice), c->hdr + VARHDRSZ, sizeof(sr_sky_hdr) - VARHDRSZ) == 0)
	{
		c->ext_valid = is_ext;
		if (is_ext)
			c->ext = ext;
		return c->prep;
	}
	s = (sr_sky_hdr *) PG_DETOAST_DATUM(skyd);
	if (c->prep)
		sr_sky_prep_free(c->prep);
	c->prep = NULL;
	c->valid = false;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	sr_err_clear(&err);
	if (sr_sky_prepare(s, ns, &c->prep, &err) != SR_OK)
	{
		MemoryContextSwitchTo(old);
		sr_raise(&err);
	}
	MemoryContextSwitchTo(old);
	memcpy(c->hdr, s, sizeof(sr_sky_hdr));
	c->ns = ns;
	c->valid = true;
	c->ext_valid = is_ext;
	if (is_ext)
		c->ext = ext;
	return c->prep;
}

/* (annual_kwh_m2, monthly_kwh_m2[], shading_loss_pct); *cache (if not
 * NULL) keeps the blessed row type for the call site's later rows */
static Datum
irradiation_tuple(FunctionCallInfo fcinfo, const sr_irradiation *r,
				  double loss_pct, TupleDesc *cache)
{
	TupleDesc	td;
	Datum		v[3], m[12];
	bool		nulls[3] = {false, false, false};
	int			i;

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
	for (i = 0; i < 12; i++)
		m[i] = Float8GetDatum(r->monthly[i] / 1000.0);
	v[0] = Float8GetDatum(r->annual / 1000.0);
	v[1] = PointerGetDatum(construct_array(m, 12, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
	v[2] = Float8GetDatum(loss_pct);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

PG_FUNCTION_INFO_V1(sr_fn_surface_irradiation);
/* smartregion.surface_irradiation(sky, surface_tilt, surface_azimuth,
 * horizon DEFAULT NULL, albedo DEFAULT 0.25) */
Datum
sr_fn_surface_irradiation(PG_FUNCTION_ARGS)
{
	double		tilt, az, albedo;
	sr_horizon_v *h = NULL;
	sr_sky_prep *p;
	sr_irradiation shaded;
	double		loss = 0.0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	tilt = PG_GETARG_FLOAT8(1);
	az = PG_GETARG_FLOAT8(2);
	albedo = PG_GETARG_FLOAT8(4);
	sr_require_range(tilt, "surface_tilt", 0, 90);
	sr_require_range(az, "surface_azimuth", -360, 360);
	sr_require_range(albedo, "albedo", 0, 1);
	if (az < 0)
		az += 360;
	if (!PG_ARGISNULL(3))
		h = PG_GETARG_HORIZON_COLUMNS(3);
	p = sky_prepared(fcinfo, PG_GETARG_DATUM(0), h ? h->n : 72);
	if (h)
	{
		double		oa;

		/* shaded months and the open annual (for the loss) in one pass */
		sr_plane_irradiation_shading(p, tilt, az, h->elev, albedo, &shaded, &oa);
		loss = oa > 0 ? 100.0 * (1.0 - shaded.annual / oa) : 0.0;
		if (loss < 0 && loss > -1e-4)
			loss = 0.0;			/* float rounding of the two paths, not light */
	}
	else
		sr_plane_irradiation(p, tilt, az, NULL, albedo, &shaded);
	PG_RETURN_DATUM(irradiation_tuple(fcinfo, &shaded, loss,
									  &((sky_cache *) fcinfo->flinfo->fn_extra)->td));
}

/* ---------- the hourly weather, read in batches ---------- */

static const sr_qcol weather_cols[] = {
	{"ts", SR_Q_TIMESTAMPTZ, SR_Q_NOTNULL},
	{"ghi", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"dni", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"dhi", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"temp_air", SR_Q_FLOAT8, SR_Q_OPTIONAL | SR_Q_NOTNULL},
	{"wind_speed", SR_Q_FLOAT8, SR_Q_OPTIONAL | SR_Q_NOTNULL},
};

typedef struct weather_reader
{
	sr_weather_fn fn;
	void	   *arg;
	Tuplesortstate *times;		/* every row's time, for the duplicate check */
} weather_reader;

static void
weather_batch(void *arg, const sr_qresult *b, int64 first)
{
	weather_reader *r = (weather_reader *) arg;
	int			n = (int) b->nrows;
	sr_weather_rec *w = palloc(sizeof(sr_weather_rec) * Max(n, 1));
	bool		met = b->ncols > 4 && b->present[4] && b->present[5];

	for (int i = 0; i < n; i++)
	{
		w[i].unix_s = SR_QVAL(b, 0, double)[i];
		w[i].ghi = SR_QVAL(b, 1, double)[i];
		w[i].dni = SR_QVAL(b, 2, double)[i];
		w[i].dhi = SR_QVAL(b, 3, double)[i];
		tuplesort_putdatum(r->times, Float8GetDatum(w[i].unix_s), false);
	}
	r->fn(r->arg, w, met ? SR_QVAL(b, 4, double) : NULL, met ? SR_QVAL(b, 5, double) : NULL,
		  n, first);
}

int64
sr_weather_stream(const char *sql, bool met, sr_weather_fn fn, void *arg, bool *has_met)
{
	sr_query	q = {"weather_sql", sql, weather_cols, met ? 6 : 4};
	weather_reader r = {fn, arg, NULL};
	bool		present[6] = {false};
	int64		n = 0;
	Datum		d;
	bool		isnull;
	double		prev = 0;

	/* a year is 8,760 rows; the times alone are kept, sorted within
	 * work_mem (a temporary file beyond it) */
	r.times = tuplesort_begin_datum(FLOAT8OID, Float8LessOperator, InvalidOid, false,
									work_mem, NULL, TUPLESORT_NONE);
	sr_query_batches(&q, weather_batch, &r, present);
	tuplesort_performsort(r.times);
#if PG_VERSION_NUM >= 160000
	while (tuplesort_getdatum(r.times, true, false, &d, &isnull, NULL))
#else
	while (tuplesort_getdatum(r.times, true, &d, &isnull, NULL))
#endif
	{
		double		t = DatumGetFloat8(d);

		if (n > 0 && t == prev)
		{
			sr_err		err;

			sr_err_clear(&err);
			sr_weather_duplicate_error(t, &err);
			sr_raise(&err);
		}
		prev = t;
		n++;
		if ((n & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	tuplesort_end(r.times);
	if (has_met)
		*has_met = met && present[4] && present[5];
	return n;
}

/* ---------- surface_irradiation_hourly ---------- */

static void
irradiation_batch(void *arg, const sr_weather_rec *w, const double *temp_air,
				  const double *wind, int n, int64 first)
{
	sr_err		err;

	sr_err_clear(&err);
	if (sr_hourly_add((sr_hourly_sum *) arg, w, n, first, NULL, &err) != SR_OK)
		sr_raise(&err);
}

PG_FUNCTION_INFO_V1(sr_fn_surface_irradiation_hourly);
/* smartregion.surface_irradiation_hourly(weather_sql, lat, lon, tilt,
 * azimuth, horizon, albedo): every hour with SPA + Perez, the reference,
 * summed batch by batch (memory does not grow with the rows but for the
 * times' sort, bounded by work_mem). */
Datum
sr_fn_surface_irradiation_hourly(PG_FUNCTION_ARGS)
{
	double		lat, lon, tilt, az, albedo;
	sr_horizon_v *h = NULL;
	sr_hourly_sum *sum;
	sr_irradiation shaded;
	double		loss = 0.0, open_annual;
	int64		n;
	sr_err		err;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		PG_ARGISNULL(4) || PG_ARGISNULL(6))
		PG_RETURN_NULL();
	lat = PG_GETARG_FLOAT8(1);
	lon = PG_GETARG_FLOAT8(2);
	tilt = PG_GETARG_FLOAT8(3);
	az = PG_GETARG_FLOAT8(4);
	albedo = PG_GETARG_FLOAT8(6);
	sr_require_range(lat, "lat", -90, 90);
	sr_require_range(lon, "lon", -180, 180);
	sr_require_range(tilt, "surface_tilt", 0, 90);
	sr_require_range(az, "surface_azimuth", -360, 360);
	sr_require_range(albedo, "albedo", 0, 1);
	if (az < 0)
		az += 360;
	if (!PG_ARGISNULL(5))
		h = PG_GETARG_HORIZON_COLUMNS(5);
	/* (the hubs its text reads: who controls their code, before it runs) */
	sr_query_hub_guard(fcinfo, "surface_irradiation_hourly", (const int[]) {0}, 1, NULL);

	/* with a horizon, shaded and open in one pass over the hours */
	sr_err_clear(&err);
	if (sr_hourly_begin(lat, lon, 0.0, tilt, az, h ? h->elev : NULL, h ? h->n : 72, albedo,
						h != NULL, &sum, &err) != SR_OK)
		sr_raise(&err);
	n = sr_weather_stream(sr_text_arg(fcinfo, 0), false, irradiation_batch, sum, NULL);
	sr_hourly_end(sum, &shaded, &open_annual);
	/* no hour to sum: NULL, as sum() over no row (an annual 0 would read as
	 * a surface in the dark) */
	if (n == 0)
		PG_RETURN_NULL();
	if (h)
		loss = open_annual > 0 ? 100.0 * (1.0 - shaded.annual / open_annual) : 0.0;
	PG_RETURN_DATUM(irradiation_tuple(fcinfo, &shaded, loss, NULL));
}

/* ---------- roof_plane ---------- */

PG_FUNCTION_INFO_V1(sr_fn_roof_plane);
/* smartregion.roof_plane(face geometry) -> (tilt, azimuth, area_m2) */
Datum
sr_fn_roof_plane(PG_FUNCTION_ARGS)
{
	sr_mpoly	m;
	sr_poly3	p;
	sr_plane	pl;
	sr_err		err;
	int		   *npr;
	int32		srid;
	TupleDesc	td;
	Datum		v[3];
	bool		nulls[3] = {false, false, false};
	double		gamma = 0;

	sr_geom_arg_mpoly(PG_GETARG_DATUM(0), &m, &srid, "face");
	sr_srid_require_metric(srid, "face");
	if (m.npolys != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("face must be one polygon, got %d", m.npolys)));
	if (srid > 0 && m.npts > 0 && m.has_z)
	{
		/* the convergence at the face's box centre: its azimuth is a true one,
		 * as solar_cadastre's faces' (the face turned by it would have the same
		 * tilt and area, and its azimuth + gamma: they are read from the face as
		 * it is, without the turn's rounding) */
		double		x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;

		for (int i = 0; i < m.npts; i++)
		{
			x0 = Min(x0, m.xyz[3 * i]);
			x1 = Max(x1, m.xyz[3 * i]);
			y0 = Min(y0, m.xyz[3 * i + 1]);
			y1 = Max(y1, m.xyz[3 * i + 1]);
		}
		gamma = sr_srid_convergence(srid, 0.5 * (x0 + x1), 0.5 * (y0 + y1), "face");
	}
	npr = palloc(sizeof(int) * m.nrings);
	for (int r = 0; r < m.nrings; r++)
		npr[r] = m.ring_pt_start[r + 1] - m.ring_pt_start[r];
	p.nrings = m.nrings;
	p.ring_npts = npr;
	p.xyz = m.xyz;
	sr_err_clear(&err);
	if (sr_roof_plane_fit(&p, &pl, &err) != SR_OK)
		sr_raise(&err);
	if (!m.has_z)
	{
		pl.tilt = 0;
		pl.azimuth = 180;
		pl.area_3d = pl.area_2d;
	}
	else
		pl.azimuth = sr_north_true_azimuth(pl.azimuth, pl.tilt, gamma);
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	v[0] = Float8GetDatum(pl.tilt);
	v[1] = Float8GetDatum(pl.azimuth);
	v[2] = Float8GetDatum(pl.area_3d);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

PG_FUNCTION_INFO_V1(sr_fn_grid_convergence);
/* smartregion.grid_convergence(location) -> deg (sr_srid_convergence) */
Datum
sr_fn_grid_convergence(PG_FUNCTION_ARGS)
{
	double		x, y, z;
	int			has_z;
	int32		srid;

	sr_geom_arg_point(PG_GETARG_DATUM(0), &x, &y, &z, &has_z, &srid, "location");
	sr_srid_require_metric(srid, "location");
	PG_RETURN_FLOAT8(sr_srid_convergence(srid, x, y, "location"));
}

/* ---------- reading buildings (horizon_at, solar_cadastre) ---------- */

static const sr_qcol building_cols[] = {
	{"id", SR_Q_INT8, SR_Q_NOTNULL},
	{"geom", SR_Q_GEOMETRY, SR_Q_METRIC},	/* NULL: skipped, counted as empty */
	{"height", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"ground_z", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"roof_z_max", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"roof_z_min", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"target", SR_Q_BOOL, SR_Q_OPTIONAL},
	{"surface_type", SR_Q_TEXT, SR_Q_OPTIONAL},	/* city model rows (docs/city3d.md) */
	{"object_id", SR_Q_TEXT, SR_Q_OPTIONAL | SR_Q_HELD},	/* their object: one solid
															 * (party walls), kept */
	{"parent_id", SR_Q_TEXT, SR_Q_OPTIONAL | SR_Q_HELD},	/* its parent (a part's
															 * Building): solar_impact */
};

static double
opt_float(const sr_qresult *r, int c, int64 i)
{
	return SR_QNULL(r, c, i) ? NAN : SR_QVAL(r, c, double)[i];
}

/* Read buildings_sql (columns above) into sr_buildings, in the current
 * memory context, checking every height.  With a surface_type column the
 * rows are the surfaces of a city model (its 3D polygons obstacles as they
 * are, faces by their type); with an object_id column, the surfaces of one
 * object are one solid (its walls cover a neighbour's without the rest of
 * it in the query). */
void
sr_cadastre_read_buildings(const char *param, const char *sql, bset *out, sr_qbudget *budget)
{
	sr_query	q = {param, sql, building_cols, lengthof(building_cols)};
	sr_qresult	r;

	q.budget = budget;

	sr_query_read(&q, &r);
	if (r.nrows > INT_MAX / 2)
		ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						errmsg("%s returned too many rows", param)));
	out->n = (int) r.nrows;
	out->srid = r.srid[1];
	out->grid_xyz = NULL;
	sr_north_init(&out->north, 0, 0, 0);
	out->b = palloc_extended(sizeof(sr_building) * Max(out->n, 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int i = 0; i < out->n; i++)
	{
		sr_building *b = &out->b[i];
		sr_err		err;

		b->id = SR_QVAL(&r, 0, int64)[i];
		b->height = opt_float(&r, 2, i);
		b->ground_z = opt_float(&r, 3, i);
		b->roof_z_max = opt_float(&r, 4, i);
		b->roof_z_min = opt_float(&r, 5, i);
		b->obstacle_only = !SR_QNULL(&r, 6, i) && !SR_QVAL(&r, 6, bool)[i];
		b->surface = r.present[7];
		b->surface_kind = sr_surface_kind(SR_QNULL(&r, 7, i) ? NULL : SR_QVAL(&r, 7, char *)[i]);
		b->object_id = SR_QNULL(&r, 8, i) ? NULL : SR_QVAL(&r, 8, char *)[i];
		b->parent_id = SR_QNULL(&r, 9, i) ? NULL : SR_QVAL(&r, 9, char *)[i];
		if (!isnan(b->height) && !(isfinite(b->height) && b->height >= 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("building %lld has an invalid height %g", (long long) b->id, b->height)));
		if (!SR_QNULL(&r, 3, i) && !isfinite(b->ground_z))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("building %lld has an invalid ground_z %g", (long long) b->id, b->ground_z),
					 errhint("A ground_z is a finite height in metres; NULL means 0.")));
		/* a NaN is no missing value (NULL is): it would silently drop the
		 * eaves or the ridge, as ground_z's NaN is refused */
		if (!SR_QNULL(&r, 5, i) && !isfinite(b->roof_z_min))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("building %lld has an invalid roof_z_min %g", (long long) b->id, b->roof_z_min),
					 errhint("A roof_z_min is a finite height in metres; NULL means none.")));
		if (!SR_QNULL(&r, 4, i) && !isfinite(b->roof_z_max))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("building %lld has an invalid roof_z_max %g", (long long) b->id, b->roof_z_max),
					 errhint("A roof_z_max is a finite height in metres; NULL means none.")));
		if (isfinite(b->roof_z_min) && isfinite(b->roof_z_max) && b->roof_z_min > b->roof_z_max)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("building %lld has roof_z_min %g above roof_z_max %g",
							(long long) b->id, b->roof_z_min, b->roof_z_max)));
		if (SR_QNULL(&r, 1, i))
			continue;
		sr_err_clear(&err);
		if (sr_wkb_read_mpoly(SR_QVAL(&r, 1, sr_qgeom)[i].wkb, SR_QVAL(&r, 1, sr_qgeom)[i].len,
							  &b->geom, &err) != SR_OK)
			ereport(ERROR,
					(errcode(sr_status_sqlstate(err.status)),
					 errmsg("building %lld: %s", (long long) b->id, err.msg)));
		if ((i & 4095) == 4095)
			CHECK_FOR_INTERRUPTS();
	}
}

void
sr_cadastre_turn(bset *bs, bset *more, bool keep)
{
	double		box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	double		gamma = 0.0;
	int			srid = bs->srid >= 0 ? bs->srid : more ? more->srid : -1;
	bset	   *sets[2] = {bs, more};

	sr_buildings_box(bs->b, bs->n, box);
	if (more)
		sr_buildings_box(more->b, more->n, box);
	if (srid > 0 && box[0] <= box[2])
		gamma = sr_srid_convergence(srid, 0.5 * (box[0] + box[2]), 0.5 * (box[1] + box[3]), NULL);
	for (int k = 0; k < 2; k++)
	{
		bset	   *s = sets[k];

		if (!s)
			continue;
		sr_north_init(&s->north, 0.5 * (box[0] + box[2]), 0.5 * (box[1] + box[3]), gamma);
		if (!s->north.turned)
			continue;
		if (keep)
			s->grid_xyz = palloc0_array(double *, Max(s->n, 1));
		for (int i = 0; i < s->n; i++)
		{
			sr_mpoly   *g = &s->b[i].geom;

			if (g->npts == 0)
				continue;
			if (keep)
			{
				/* the turned coordinates in a copy; the faces are written
				 * from the ones read */
				double	   *t = palloc_extended(sizeof(double) * 3 * g->npts, MCXT_ALLOC_HUGE);

				memcpy(t, g->xyz, sizeof(double) * 3 * g->npts);
				s->grid_xyz[i] = g->xyz;
				g->xyz = t;
			}
			sr_north_turn_xyz(&s->north, g->xyz, g->npts);
		}
	}
}

uint8_t *
sr_cadastre_face_wkb(const bset *bs, int i, int face0, size_t *len)
{
	sr_mpoly	m = bs->b[i].geom;

	if (bs->grid_xyz && bs->grid_xyz[i])
		m.xyz = bs->grid_xyz[i];
	return sr_wkb_write_polygon(&m, face0, bs->srid < 0 ? 0 : bs->srid, len);
}

/* ---------- horizon_at ---------- */

PG_FUNCTION_INFO_V1(sr_fn_horizon_at);
/* smartregion.horizon_at(location, obstacles_sql, radius_m, sectors): the
 * obstacles are built with solar_cadastre's rules (core:
 * sr_obstacles_from_buildings), so both give the same horizon. */
Datum
sr_fn_horizon_at(PG_FUNCTION_ARGS)
{
	double		radius, x, y, z;
	int			ns, has_z;
	int32		srid;
	bset		bs;
	sr_obstacle_set os;
	sr_grid    *g;
	sr_err		err;
	double		elev[SR_HORIZON_MAX_SECTORS];
	float		ev[SR_HORIZON_MAX_SECTORS];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	radius = PG_GETARG_FLOAT8(2);
	ns = PG_GETARG_INT32(3);
	sr_require_range(radius, "radius_m", 1, 5000);
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("parameter \"sectors\" is out of range: %d", ns),
				 errdetail("The accepted range is [%d, %d].", SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS)));
	sr_geom_arg_point(PG_GETARG_DATUM(0), &x, &y, &z, &has_z, &srid, "location");
	sr_srid_require_metric(srid, "location");
	/* (the hubs its text reads: who controls their code, before it runs) */
	sr_query_hub_guard(fcinfo, "horizon_at", (const int[]) {1}, 1, NULL);
	{
		/* every obstacle is held until the horizon is cast: its rule,
		 * measured (sr_cadastre.h), bounds the rows kept */
		sr_qbudget	budget = {"horizon_at",
			"Pass the obstacles within radius_m of the location only (ST_DWithin), or raise smartregion.max_call_memory.",
		SR_HORIZON_HOLD_ROW, SR_HORIZON_HOLD_POINT, 1, 0, 0};

		sr_cadastre_read_buildings("obstacles_sql", sr_text_arg(fcinfo, 1), &bs, &budget);
	}
	if (bs.srid >= 0 && bs.srid != srid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("location has SRID %d but the obstacles have SRID %d", srid, bs.srid)));
	/* solar_cadastre's frame (true north up) for the same buildings, the
	 * location turned with them (no obstacle: nothing to turn) */
	sr_cadastre_turn(&bs, NULL, false);
	sr_north_to_true(&bs.north, &x, &y);
	sr_err_clear(&err);
	if (sr_obstacles_from_buildings(bs.b, bs.n, &os, &err) != SR_OK ||
		sr_grid_build(&os.obs, 0, &g, &err) != SR_OK ||
		sr_horizon_compute(g, x, y, z, radius, ns, -1, elev, &err) != SR_OK)
		sr_raise(&err);
	if (os.no_height > 0)
		ereport(NOTICE,
				(errmsg_plural("horizon_at: skipped %d obstacle without a height",
							   "horizon_at: skipped %d obstacles without a height",
							   os.no_height, os.no_height),
				 errhint("Give a \"height\" (2D footprints), \"roof_z_min\", or 3D geometries.")));
	for (int i = 0; i < ns; i++)
		ev[i] = (float) elev[i];
	PG_RETURN_POINTER(sr_horizon_make(ev, ns));
}

/* ---------- solar_cadastre ---------- */

const char *const sr_cadastre_class_names[5] = {"unsuitable", "low", "medium", "good", "excellent"};

/* A string member of the options (the queries of terrain_sql and trees_sql,
 * which the option specs check but do not store), NULL when absent. */
static char *
jsonb_text_key(Jsonb *jb, const char *key)
{
	JsonbValue *v;

	if (!jb)
		return NULL;
	v = getKeyJsonValueFromContainer(&jb->root, key, strlen(key), NULL);
	if (!v || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

void
sr_cadastre_notice_skipped(const char *fn, const char *what, int no_height, int empty,
						   int walls, double wall_tilt_min)
{
	if (no_height + empty + walls > 0)
		ereport(NOTICE,
				(errmsg("%s: skipped %d %s without a height, %d with an empty or degenerate geometry, %d with no face flatter than %g deg",
						fn, no_height, what, empty, walls, wall_tilt_min)));
}

/*
 * The cadastre of buildings_sql (argument 0) under sky with options o (opts
 * the jsonb, for its glue-only keys): the buildings read, the faces
 * prepared, the skip NOTICE, the sky-site check, the terrain and the trees,
 * everything in work.  Shared by solar_cadastre and solar_cadastre_cells.
 */
sr_cadastre *
sr_cadastre_setup(FunctionCallInfo fcinfo, const char *fn, sr_sky_hdr *sky,
				  const sr_cadastre_opts *oo, Jsonb *opts, MemoryContext work, bset *bsp,
				  int *nfp)
{
	sr_cadastre_opts o = *oo;
	double		cx, cy, lat, lon;
	sr_cadastre *c;
	sr_err		err;
	int			nf, no_h, empty, walls;
	MemoryContext old;
	bset		bs;

	/* every building is held until the call ends, and every tree of
	 * trees_sql with them: their rules, measured (sr_cadastre.h), bound the
	 * rows kept, the two queries together */
	sr_qbudget	budget = {fn,
		"Split the region into parts, each reading the buildings 300 m beyond its edges as obstacles (target false), or raise smartregion.max_call_memory.",
		o.sampling == SR_SAMPLING_AREA ? SR_CADASTRE_HOLD_ROW_AREA : SR_CADASTRE_HOLD_ROW,
	SR_CADASTRE_HOLD_POINT, 1, 0, 0, 0};

	/* (the hubs its texts read, buildings_sql and the options' terrain_sql
	 * and trees_sql: who controls their code, before any runs) */
	sr_query_hub_guard_sqls(fcinfo, fn, (const char *const[]) {sr_text_arg(fcinfo, 0),
		jsonb_text_key(opts, "terrain_sql"), jsonb_text_key(opts, "trees_sql")}, 3, NULL);
	sr_err_clear(&err);
	old = MemoryContextSwitchTo(work);
	sr_cadastre_read_buildings("buildings_sql", sr_text_arg(fcinfo, 0), &bs, &budget);
	/* a building is one row: its faces are keyed by (building_id, face) */
	if (sr_cadastre_check_unique_ids(bs.b, bs.n, "buildings_sql", &err) != SR_OK)
		sr_raise(&err);
	/* the scene turned so that grid north is true north, the faces kept as
	 * read for the rows */
	sr_cadastre_turn(&bs, NULL, true);
	if (sr_cadastre_prepare(bs.b, bs.n, &o, sky, &c, &err) != SR_OK)
		sr_raise(&err);
	MemoryContextSwitchTo(old);
	nf = sr_cadastre_nfaces(c);
	sr_cadastre_skipped(c, &no_h, &empty, &walls);
	sr_cadastre_notice_skipped("solar_cadastre", "buildings", no_h, empty, walls, o.wall_tilt_min);

	/* the sky must describe the same place as the buildings (SRID 0, local
	 * metres, has no place on Earth: not checked) */
	sr_cadastre_center(c, &cx, &cy);
	sr_north_to_grid(&bs.north, &cx, &cy);
	if (nf > 0 && bs.srid > 0 && sr_srid_to_lonlat(bs.srid, cx, cy, &lon, &lat, "the centre of buildings_sql") &&
		sr_cadastre_check_sky_site(sky, lat, lon, o.max_sky_distance_km, &err) != SR_OK)
		sr_raise(&err);
	if (nf >= 50000)
		ereport(NOTICE,
				(errmsg("solar_cadastre: %d roof faces of %d buildings", nf, bs.n)));
	/* terrain and trees (docs/pv.md) */
	{
		char	   *tsql = jsonb_text_key(opts, "terrain_sql"), *trsql = jsonb_text_key(opts, "trees_sql");

		old = MemoryContextSwitchTo(work);
		if (tsql && nf > 0)
		{
			sr_dem		dem;
			sr_terrain_opts to;

			sr_dem_read("terrain_sql", tsql, bs.srid < 0 ? 0 : bs.srid,
						"Select the tiles within terrain_radius_m of the buildings (ST_Intersects with ST_Expand), resample the model (ST_Rescale), or raise smartregion.max_dem_pixels.",
						&dem);
			to.radius_m = o.terrain_radius_m;
			to.curvature = o.terrain_curvature;
			to.refraction_k = SR_REFRACTION_K;
			to.min_distance_m = 0;
			/* the model turns with the buildings */
			sr_dem_turn(&dem, &bs.north);
			if (sr_cadastre_set_terrain(c, &dem, o.terrain_grid_m, &to, &err) != SR_OK)
				sr_raise(&err);
		}
		if (trsql && nf > 0)
		{
			sr_tree    *trees;
			int			nt;

			/* a tree is a point: its row's rule alone */
			budget.hint = "Pass the trees within radius_m (300 m by default) of the buildings only (ST_DWithin), or split the region into parts, or raise smartregion.max_call_memory.";
			budget.row_bytes = SR_TREE_HOLD_ROW;
			budget.point_bytes = 0;
			budget.geom = -1;
			nt = sr_trees_read("trees_sql", trsql, bs.srid < 0 ? 0 : bs.srid, &budget, &trees);
			for (int k = 0; k < nt; k++)
				sr_north_to_true(&bs.north, &trees[k].x, &trees[k].y);

			if (sr_cadastre_set_trees(c, trees, nt, o.tree_tau, &err) != SR_OK)
				sr_raise(&err);
		}
		MemoryContextSwitchTo(old);
	}
	*bsp = bs;
	*nfp = nf;
	return c;
}

/* solar_cadastre's batches of faces: at most this many faces, about this
 * many samples per thread (sampling "area": ~0.1 s on this machine's
 * cores, Lyon's roofs at ~60,000 samples/s per core with their sunny
 * edges' sub-samples; a point per face otherwise).  The interrupts are
 * checked between batches, and within one between its faces: the calling
 * thread checks before each centroid, and while the threads run it looks
 * at InterruptPending after each face and stops them (sr_interrupt_pending,
 * sr_roofarea_faces).  Lyon 1er under a statement_timeout of 100-950 ms: a
 * cancel at most 48 ms late, against 175 ms when only the batches checked
 * and 620 ms with batches of 20,000 samples per thread. */
#define CADASTRE_BATCH_SAMPLES 5000

int
sr_cadastre_batch(sr_cadastre *c, const sr_cadastre_opts *o, int i, int nf, int nthreads)
{
	double		est = 0.0;
	int			nb;

	for (nb = 0; i + nb < nf && nb < CADASTRE_BATCH_FACES &&
		 est < (double) CADASTRE_BATCH_SAMPLES * nthreads; nb++)
	{
		sr_face_info fi;

		sr_cadastre_face_info(c, i + nb, &fi);
		est += o->sampling == SR_SAMPLING_AREA ?
			Min(fi.area3 / (o->spacing_m * o->spacing_m), (double) o->max_samples) : 1.0;
	}
	return nb;
}

PG_FUNCTION_INFO_V1(sr_fn_solar_cadastre);
/* smartregion.solar_cadastre(buildings_sql, sky, options) */
Datum
sr_fn_solar_cadastre(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_sky_hdr *sky;
	sr_cadastre_opts o;
	bset		bs;
	sr_cadastre *c;
	sr_err		err;
	int			nf;
	MemoryContext work, old, rowcxt;
	TimestampTz start, last;
	Jsonb	   *opts;
	bool		econ;
	sr_econ_table et;
	double	   *hours = NULL, *hts = NULL;
	int			nh = 0;
	int			unpaid_faces = 0;	/* faces whose premium outlasts them */
	double		unpaid_eur = 0;
	sr_face_result *rb;
	int			nthreads;

	sr_require_arg(fcinfo, 0, "buildings_sql");
	sr_require_arg(fcinfo, 1, "sky");
	sky = (sr_sky_hdr *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	opts = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	sr_options_read(opts, &sr_cadastre_optset, &o, "options");
	/* the economics column when the option is given (docs/pv.md) */
	econ = opts && DatumGetBool(DirectFunctionCall2(jsonb_exists, JsonbPGetDatum(opts),
													CStringGetTextDatum("economics")));
	sr_err_clear(&err);
	if (sr_cadastre_opts_check(&o, &err) != SR_OK)
		sr_raise(&err);
	/*
	 * The economics' percentages typed as fractions, before any work (the
	 * options not given are NaN and skipped).  Here, not in
	 * sr_cadastre_opts_check: solar_impact's options have no economics,
	 * and their fields are not set there.
	 */
	if (econ && sr_econ_check_plausible(&o.econ, &err) != SR_OK)
		sr_raise(&err);

	InitMaterializedSRF(fcinfo, 0);
	work = AllocSetContextCreate(CurrentMemoryContext, "solar_cadastre", ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "solar_cadastre row", ALLOCSET_DEFAULT_SIZES);
	start = last = GetCurrentTimestamp();

	c = sr_cadastre_setup(fcinfo, "solar_cadastre", sky, &o, opts, work, &bs, &nf);
	if (econ)
	{
		if (sr_cadastre_pv_hours(c, NULL) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("solar_cadastre: option \"economics\" needs the PV model on a sky with hourly weather"),
					 errhint("Use pv_model \"system\" and a sky built by sky_from_epw() or sky_agg().")));
		old = MemoryContextSwitchTo(work);
		sr_econ_table_read(fcinfo, &et);
		nh = sr_cadastre_pv_hours(c, NULL);
		hours = palloc(sizeof(double) * nh);
		hts = palloc(sizeof(double) * nh);
		sr_cadastre_pv_hours(c, hts);
		sr_cadastre_set_hourly(c, hours);
		MemoryContextSwitchTo(old);
	}
	if (sr_cadastre_pv_fallback(c))
		ereport(NOTICE,
				(errmsg("solar_cadastre: the sky has no hourly weather (a sky of version 2): pv_kwh_year is the irradiation times performance_ratio %g",
						o.performance_ratio),
				 errhint("Build the sky again with sky_from_epw() or sky_agg() to use the PV model.")));
	else if (o.pv_model == SR_CADASTRE_PV_SYSTEM && sr_pv_sky_usable(sky) == 0)
		ereport(NOTICE,
				(errmsg("solar_cadastre: the sky has no air temperature nor wind: %g C and %g m/s are assumed in every hour",
						SR_PV_ASSUMED_TEMP, SR_PV_ASSUMED_WIND),
				 errhint("Build the sky with sky_from_epw() or with sky_agg(ts, ghi, dni, dhi, temp_air, wind_speed, location).")));

	/*
	 * Faces in batches (sr_cadastre_faces: over their area, on the
	 * smartregion.max_threads threads; the hours of the economics need one
	 * face at a time), of about CADASTRE_BATCH_SAMPLES samples per thread
	 * or 256 faces, the interrupts checked between batches.
	 */
	rb = palloc(sizeof(sr_face_result) * CADASTRE_BATCH_FACES);
	nthreads = econ ? 1 : sr_max_threads();
	for (int i = 0, nb = 0, ib = 0; i < nf; i++, ib++)
	{
		sr_face_result r;
		Datum		v[20], m[12];
		bool		nulls[20] = {false};
		uint8_t    *wkb;
		size_t		wlen;

		if (ib == nb)
		{
			/* the next batch */
			CHECK_FOR_INTERRUPTS();
			if (TimestampDifferenceExceeds(last, GetCurrentTimestamp(), 10000))
			{
				last = GetCurrentTimestamp();
				ereport(NOTICE,
						(errmsg("solar_cadastre: %d of %d roof faces done (%.0f s)", i, nf,
								(double) (last - start) / 1e6)));
			}
			nb = econ ? 1 : sr_cadastre_batch(c, &o, i, nf, nthreads);
			/* the faces in the cadastre's context: the area sampler grows
			 * its buffers there, for the next faces */
			old = MemoryContextSwitchTo(work);
			sr_cadastre_faces(c, i, nb, rb, nthreads);
			MemoryContextSwitchTo(old);
			ib = 0;
		}
		r = rb[ib];
		old = MemoryContextSwitchTo(rowcxt);
		wkb = sr_cadastre_face_wkb(&bs, r.building, r.face - 1, &wlen);
		v[0] = Int64GetDatum(r.building_id);
		v[1] = Int32GetDatum(r.face);
		v[2] = sr_geom_from_core(wkb, wlen);
		v[3] = Float8GetDatum(r.tilt);
		v[4] = Float8GetDatum(r.azimuth);
		v[5] = Float8GetDatum(r.area_m2);
		v[6] = Float8GetDatum(r.usable_area_m2);
		v[7] = Float8GetDatum(r.annual_kwh_m2);
		for (int k = 0; k < 12; k++)
			m[k] = Float8GetDatum(r.monthly_kwh_m2[k]);
		v[8] = PointerGetDatum(construct_array(m, 12, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
		v[9] = Float8GetDatum(r.shading_loss_pct);
		v[10] = Float8GetDatum(r.pv_kwp);
		v[11] = Float8GetDatum(r.pv_kwh_year);
		v[12] = CStringGetTextDatum(sr_cadastre_class_names[r.potential_class]);
		v[13] = Float8GetDatum(r.pv_specific_yield);
		nulls[13] = isnan(r.pv_specific_yield);
		nulls[14] = true;
		/* roofs over their area (NULL in point mode and on walls) */
		v[15] = Float8GetDatum(r.sunny_area_m2);
		nulls[15] = isnan(r.sunny_area_m2);
		v[16] = Float8GetDatum(r.p10_kwh_m2);
		nulls[16] = isnan(r.p10_kwh_m2);
		v[17] = Float8GetDatum(r.p50_kwh_m2);
		nulls[17] = isnan(r.p50_kwh_m2);
		v[18] = Float8GetDatum(r.p90_kwh_m2);
		nulls[18] = isnan(r.p90_kwh_m2);
		v[19] = Int32GetDatum(r.samples);
		if (econ && r.pv_kwp > 0 && !isnan(r.pv_specific_yield))
		{
			/* the face as one system with the default household's load */
			sr_econ_opts p;
			sr_econ_result er;
			double		class_kwp;

			for (int k = 0; k < nh; k++)
				hours[k] *= r.pv_kwp;
			sr_econ_resolve(&et, &o.econ, r.pv_kwp, o.pv.degradation_pct, &p, &class_kwp);
			sr_econ_run(&p, r.pv_kwp, hts, hours, nh, NULL, 0, false, &er);
			if (er.premium_unpaid_eur > 0)
			{
				unpaid_faces++;
				unpaid_eur += er.premium_unpaid_eur;
			}
			v[14] = sr_econ_jsonb(&er, r.pv_kwp, class_kwp);
			nulls[14] = false;
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	/* once for the run, not per face */
	if (unpaid_faces > 0)
		sr_econ_unpaid_notice("solar_cadastre", NULL, unpaid_faces, unpaid_eur);
	MemoryContextDelete(work);
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}
