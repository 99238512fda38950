/*
 * terrain.c — entry points of terrain and trees (docs/pv.md, "Terrain and
 * trees"): horizon_from_dem and horizon_max, and the readers of an
 * elevation model (terrain_sql, dem_sql) and of trees (trees_sql) that
 * solar_cadastre uses.  The elevation model is read through PostGIS raster
 * (postgis_raster, called in its own schema) only when a function needs
 * it: smartregion does not require the extension.  The work is the core's
 * (extension/core/cadastre_terrain.c).
 */
#include "sr_pg.h"
#include "sr_terrain.h"
#include "sr_terrain_glue.h"

#include <float.h>
#include <math.h>

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_extension.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"
#include "catalog/pg_type.h"

/* The schema of postgis_raster (quoted), or an error saying how to get it. */
static const char *
raster_schema(const char *what, Oid *nsp_out)
{
	Relation	rel;
	ScanKeyData key;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			nsp = InvalidOid;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_extname, BTEqualStrategyNumber, F_NAMEEQ,
				CStringGetDatum("postgis_raster"));
	scan = systable_beginscan(rel, ExtensionNameIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
		nsp = ((Form_pg_extension) GETSTRUCT(tup))->extnamespace;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	if (!OidIsValid(nsp))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s needs the postgis_raster extension", what),
				 errdetail("The elevation model is read as PostGIS rasters."),
				 errhint("CREATE EXTENSION postgis_raster; (it ships with PostGIS).")));
	if (nsp_out)
		*nsp_out = nsp;
	return quote_identifier(get_namespace_name(nsp));
}

static const sr_qcol dem_cols[] = {
	{"ulx", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"uly", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"sx", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"sy", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"kx", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"ky", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"w", SR_Q_INT4, SR_Q_NOTNULL},
	{"h", SR_Q_INT4, SR_Q_NOTNULL},
	{"srid", SR_Q_INT4, SR_Q_NOTNULL},
	{"nodata", SR_Q_FLOAT8, 0},
	{"z", SR_Q_FLOAT8_ARRAY, SR_Q_NOTNULL},
};

/* The tiles read so far: what is kept of each raster (4 bytes a pixel) in
 * the caller's context, while each batch's rows and arrays are freed. */
typedef struct dem_reader
{
	const char *param;
	const char *hint;
	int32		srid;
	MemoryContext cxt;
	sr_dem_tile *t;
	int			n,
				cap;
	int64		pixels;
} dem_reader;

/* A height as the DEM keeps it: a float, infinite beyond a float's range
 * (a conversion C leaves undefined), NaN kept. */
static inline float
height_float(double v)
{
	if (v > FLT_MAX)
		return INFINITY;
	if (v < -FLT_MAX)
		return -INFINITY;
	return (float) v;
}

static void
dem_batch(void *arg, const sr_qresult *r, int64 first)
{
	dem_reader *d = (dem_reader *) arg;

	for (int64 i = 0; i < r->nrows; i++)
	{
		int64		row = first + i + 1;
		sr_qarray  *z = &SR_QVAL(r, 10, sr_qarray)[i];
		sr_dem_tile *t;

		if (SR_QVAL(r, 4, double)[i] != 0 || SR_QVAL(r, 5, double)[i] != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("raster " INT64_FORMAT " of %s is skewed", row, d->param),
					 errhint("Use north-up rasters (ST_Rescale or ST_Transform them).")));
		if (SR_QVAL(r, 8, int32)[i] != d->srid)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("raster " INT64_FORMAT " of %s has SRID %d, expected %d", row, d->param,
							SR_QVAL(r, 8, int32)[i], d->srid),
					 errhint("Use the SRID of the location or of the buildings (ST_Transform the raster).")));
		if ((int64) z->n != (int64) SR_QVAL(r, 6, int32)[i] * SR_QVAL(r, 7, int32)[i])
			elog(ERROR, "raster values do not match its size");
		/* the model is held in memory: a stated bound, not the rows' count */
		if (d->pixels + z->n > sr_max_dem_pixels())
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s exceeds the limit of %d pixels", d->param, sr_max_dem_pixels()),
					 errdetail("Its rasters up to row " INT64_FORMAT " hold " INT64_FORMAT " pixels; the elevation model is held in memory, 4 bytes a pixel, as much as smartregion.max_dem_pixels allows.",
							   row, d->pixels + z->n),
					 errhint("%s", d->hint)));
		if (d->n == d->cap)
		{
			d->cap = d->cap ? 2 * d->cap : 16;
			d->t = d->t ? repalloc_huge(d->t, sizeof(sr_dem_tile) * d->cap) :
				MemoryContextAllocHuge(d->cxt, sizeof(sr_dem_tile) * d->cap);
		}
		t = &d->t[d->n];
		memset(t, 0, sizeof(*t));
		t->ulx = SR_QVAL(r, 0, double)[i];
		t->uly = SR_QVAL(r, 1, double)[i];
		t->sx = SR_QVAL(r, 2, double)[i];
		t->sy = SR_QVAL(r, 3, double)[i];
		t->w = SR_QVAL(r, 6, int32)[i];
		t->h = SR_QVAL(r, 7, int32)[i];
		t->has_nodata = !SR_QNULL(r, 9, i);
		/* the heights kept as floats (4 bytes a pixel), the nodata value
		 * rounded as they are, so that a nodata pixel still matches it */
		t->nodata = t->has_nodata ? (double) height_float(SR_QVAL(r, 9, double)[i]) : 0;
		{
			float	   *zv = MemoryContextAllocHuge(d->cxt, sizeof(float) * Max(z->n, 1));

			for (int k = 0; k < z->n; k++)
				zv[k] = height_float(z->v[k]);
			t->z = zv;
		}
		d->pixels += z->n;
		d->n++;
	}
}

void
sr_dem_read(const char *param, const char *sql, int32 srid, const char *hint, sr_dem *dem)
{
	Oid			nsp;
	const char *rs = raster_schema(param, &nsp);
	sr_query	q = {param, NULL, dem_cols, lengthof(dem_cols)};
	dem_reader	d;
	sr_err		err;
	static const char *const rast[] = {"rast"};

	/* the caller's query is a subquery: one read-only statement, checked
	 * alone first (so that its errors name it), its column rast read through
	 * PostGIS raster's own functions */
	Oid			rast_type = GetSysCacheOid2(TYPENAMENSP, Anum_pg_type_oid,
											CStringGetDatum("raster"), ObjectIdGetDatum(nsp));

	sql = sr_query_subquery(param, sql, rast, &rast_type, 1);
	q.sql = psprintf("SELECT %1$s.ST_UpperLeftX(d.rast) AS ulx, %1$s.ST_UpperLeftY(d.rast) AS uly,"
					 " %1$s.ST_ScaleX(d.rast) AS sx, %1$s.ST_ScaleY(d.rast) AS sy,"
					 " %1$s.ST_SkewX(d.rast) AS kx, %1$s.ST_SkewY(d.rast) AS ky,"
					 " %1$s.ST_Width(d.rast) AS w, %1$s.ST_Height(d.rast) AS h, %1$s.ST_SRID(d.rast) AS srid,"
					 " %1$s.ST_BandNoDataValue(d.rast, 1) AS nodata, %1$s.ST_DumpValues(d.rast, 1, false) AS z"
					 " FROM (%2$s) AS d WHERE d.rast IS NOT NULL", rs, sql);
	/* a raster's row is its every height: a few at a time */
	q.batch_rows = SR_DEM_BATCH_ROWS;
	memset(&d, 0, sizeof(d));
	d.param = param;
	d.hint = hint;
	d.srid = srid;
	d.cxt = CurrentMemoryContext;
	sr_query_batches(&q, dem_batch, &d, NULL);
	if (d.n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s returned no raster", param)));
	sr_err_clear(&err);
	if (sr_dem_init(dem, d.t, d.n, &err) != SR_OK)
		sr_raise(&err);
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_from_dem);
/* smartregion.horizon_from_dem(dem_sql, location, radius_m, sectors,
 * curvature) */
Datum
sr_fn_horizon_from_dem(PG_FUNCTION_ARGS)
{
	double		x, y, z, radius, e[SR_HORIZON_MAX_SECTORS];
	float		ev[SR_HORIZON_MAX_SECTORS];
	int			has_z, ns;
	int32		srid;
	sr_dem		dem;
	sr_terrain_opts o;
	sr_err		err;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	radius = PG_GETARG_FLOAT8(2);
	ns = PG_GETARG_INT32(3);
	sr_require_range(radius, "radius_m", 1, 200000);
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("parameter \"sectors\" is out of range: %d", ns),
				 errdetail("The accepted range is [%d, %d].", SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS)));
	sr_geom_arg_point(PG_GETARG_DATUM(1), &x, &y, &z, &has_z, &srid, "location");
	sr_srid_require_metric(srid, "location");
	/* (the hubs its text reads: who controls their code, before it runs) */
	sr_query_hub_guard(fcinfo, "horizon_from_dem", (const int[]) {0}, 1, NULL);
	sr_dem_read("dem_sql", sr_text_arg(fcinfo, 0), srid,
				"Select the tiles within radius_m of the location (ST_Intersects with ST_Expand), resample the model (ST_Rescale), or raise smartregion.max_dem_pixels.",
				&dem);
	if (!has_z)
	{
		/* a 2D point stands on the ground */
		z = sr_dem_height(&dem, x, y);
		if (isnan(z))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("location is outside the elevation model"),
					 errhint("Give the point a z (its absolute height), or a model that covers it.")));
	}
	{
		/* the model turned about the location so that grid north is true
		 * north, as solar_cadastre turns its scene (sr_cadastre.h) */
		sr_north	f;

		sr_north_init(&f, x, y, sr_srid_convergence(srid, x, y, "location"));
		sr_dem_turn(&dem, &f);
		sr_north_to_true(&f, &x, &y);
	}
	o.radius_m = radius;
	o.curvature = PG_GETARG_BOOL(4);
	o.refraction_k = SR_REFRACTION_K;
	o.min_distance_m = 0;
	sr_err_clear(&err);
	if (sr_dem_horizon(&dem, x, y, &z, 1, ns, &o, e, &err) != SR_OK)
		sr_raise(&err);
	for (int k = 0; k < ns; k++)
		ev[k] = (float) e[k];
	PG_RETURN_POINTER(sr_horizon_make(ev, ns));
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_max);
/* smartregion.horizon_max(a, b): sector by sector, the higher */
Datum
sr_fn_horizon_max(PG_FUNCTION_ARGS)
{
	sr_horizon_v *a = PG_GETARG_HORIZON(0), *b = PG_GETARG_HORIZON(1);
	float	   *ev;

	if (a->n != b->n)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizons have %d and %d sectors", a->n, b->n),
				 errhint("Compute both with the same number of sectors.")));
	ev = palloc(sizeof(float) * a->n);
	for (int k = 0; k < a->n; k++)
		ev[k] = a->elev[k] > b->elev[k] ? a->elev[k] : b->elev[k];
	PG_RETURN_POINTER(sr_horizon_make(ev, a->n));
}

static const sr_qcol tree_cols[] = {
	{"id", SR_Q_INT8, SR_Q_NOTNULL},
	{"geom", SR_Q_GEOMETRY, SR_Q_NOTNULL | SR_Q_METRIC},
	{"height", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"crown_radius", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"ground_z", SR_Q_FLOAT8, SR_Q_OPTIONAL},
};

int
sr_trees_read(const char *param, const char *sql, int32 srid, sr_qbudget *budget, sr_tree **out)
{
	sr_query	q = {param, sql, tree_cols, lengthof(tree_cols)};
	sr_qresult	r;
	sr_tree    *t;

	q.budget = budget;
	sr_query_read(&q, &r);
	if (r.nrows > 0 && r.srid[1] != srid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has SRID %d but the buildings have SRID %d", param, r.srid[1], srid)));
	t = palloc0(sizeof(sr_tree) * Max(r.nrows, 1));
	for (int64 i = 0; i < r.nrows; i++)
	{
		double		px, py, pz;
		int			has_z;
		sr_err		err;
		double		h = SR_QVAL(&r, 2, double)[i], cr = SR_QVAL(&r, 3, double)[i];
		double		gz = r.present[4] && !SR_QNULL(&r, 4, i) ? SR_QVAL(&r, 4, double)[i] : 0.0;

		sr_err_clear(&err);
		if (sr_wkb_read_point(SR_QVAL(&r, 1, sr_qgeom)[i].wkb, SR_QVAL(&r, 1, sr_qgeom)[i].len,
							  &px, &py, &pz, &has_z, &err) != SR_OK)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tree " INT64_FORMAT " of %s: %s", SR_QVAL(&r, 0, int64)[i], param, err.msg)));
		if (!isfinite(gz))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tree " INT64_FORMAT " of %s has an invalid ground_z %g",
							SR_QVAL(&r, 0, int64)[i], param, gz)));
		if (!(h > 0) || !isfinite(h) || !(cr > 0) || !isfinite(cr))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("tree " INT64_FORMAT " of %s has an invalid height %g or crown radius %g",
							SR_QVAL(&r, 0, int64)[i], param, h, cr)));
		t[i].id = SR_QVAL(&r, 0, int64)[i];
		t[i].x = px;
		t[i].y = py;
		t[i].top = gz + h;
		t[i].r = cr;
	}
	*out = t;
	return (int) r.nrows;
}
