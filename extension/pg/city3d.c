/*
 * city3d.c — entry points publishing the city in 3D (docs/city3d-publish.md):
 * city_gltf (one GLB) and city_tileset (a 3D Tiles 1.1 tileset as rows).
 *
 * surfaces_sql is read by the shared reader (query.c), the options against
 * the core's specs (city_model.c); triangulation, walls, properties, the
 * GLB, PROJ and the quadtree are the core's (extension/core/city_*.c).
 * PROJ transformations are cached per SRID, and made again when the SRID's
 * spatial_ref_sys row changes (sr_srid_version).
 */
#include "sr_pg.h"

#include <math.h>

#include "sr_city3d.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

static const sr_qcol surface_cols[] = {
	{"id", SR_Q_INT8, SR_Q_NOTNULL},
	{"geom", SR_Q_GEOMETRY, SR_Q_NOTNULL | SR_Q_METRIC | SR_Q_PROJ},
	{"feature_id", SR_Q_INT8, SR_Q_OPTIONAL},
	{"color", SR_Q_TEXT, SR_Q_OPTIONAL},
	{"value", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"properties", SR_Q_JSONB, SR_Q_OPTIONAL},
	{"ground_z", SR_Q_FLOAT8, SR_Q_OPTIONAL},
};

/* Read surfaces_sql into the core's input; *srid gets the data's SRID.
 * Every surface is held until the call ends (its model, its triangles and
 * walls, the GLB or the tiles): budget, its family's rule (sr_city3d.h),
 * bounds the rows kept. */
static void
read_surfaces(const char *sql, sr_city_input *in, int32 *srid, sr_qbudget *budget)
{
	sr_query	q = {"surfaces_sql", sql, surface_cols, lengthof(surface_cols)};
	sr_qresult	r;
	int64		n;

	q.budget = budget;
	sr_query_read(&q, &r);
	n = r.nrows;
	memset(in, 0, sizeof(*in));
	in->nrows = n;
	in->id = SR_QVAL(&r, 0, int64);
	{
		const uint8 **w = palloc(sizeof(uint8 *) * Max(n, 1));
		size_t	   *l = palloc(sizeof(size_t) * Max(n, 1));

		for (int64 i = 0; i < n; i++)
		{
			w[i] = SR_QVAL(&r, 1, sr_qgeom)[i].wkb;
			l[i] = SR_QVAL(&r, 1, sr_qgeom)[i].len;
		}
		in->wkb = w;
		in->wkb_len = l;
	}
	if (r.present[2])
	{
		in->feature_id = SR_QVAL(&r, 2, int64);
		in->feature_id_null = r.nulls[2];
	}
	if (r.present[3])
	{
		char	  **t = SR_QVAL(&r, 3, char *);

		for (int64 i = 0; i < n; i++)
			if (SR_QNULL(&r, 3, i))
				t[i] = NULL;
		in->color = (const char *const *) t;
	}
	if (r.present[4])
	{
		double	   *v = SR_QVAL(&r, 4, double);

		for (int64 i = 0; i < n; i++)
			if (SR_QNULL(&r, 4, i))
				v[i] = NAN;		/* no value: the colour option or column */
		in->value = v;
	}
	if (r.present[5])
	{
		char	  **t = palloc(sizeof(char *) * Max(n, 1));

		/* the core parses the JSON text of each object */
		for (int64 i = 0; i < n; i++)
		{
			Jsonb	   *jb = SR_QVAL(&r, 5, Jsonb *)[i];

			t[i] = SR_QNULL(&r, 5, i) ? NULL : JsonbToCString(NULL, &jb->root, VARSIZE(jb));
		}
		in->properties = (const char *const *) t;
	}
	if (r.present[6])
	{
		double	   *v = SR_QVAL(&r, 6, double);

		for (int64 i = 0; i < n; i++)
			if (SR_QNULL(&r, 6, i))
				v[i] = NAN;		/* no walls */
		in->ground_z = v;
	}
	*srid = r.srid[1] < 0 ? 0 : r.srid[1];
}

/* ---- PROJ transformations to ECEF, cached per SRID ---------------------------- */

#define GEO_CACHE 8
static struct
{
	int32		srid;
	uint64		version;		/* of the SRID's row (sr_srid_version) */
	sr_geo	   *g;
}			geo_cache[GEO_CACHE];
static int	geo_cache_next = 0;

static sr_geo *
geo_for_srid(int32 srid, const char *why)
{
	sr_srid_def def;
	sr_geo	   *g;
	sr_err		err;
	int			slot;
	uint64		version;

	if (srid == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("surfaces_sql has no SRID; %s needs a place on Earth", why),
				 errdetail("SRID 0 is taken as local metres, which locate nothing on Earth."),
				 errhint("Give the geometries their SRID, e.g. ST_SetSRID(geom, 2154).")));
	version = sr_srid_version(srid);
	for (int i = 0; i < GEO_CACHE; i++)
		if (geo_cache[i].g && geo_cache[i].srid == srid && geo_cache[i].version == version)
			return geo_cache[i].g;
	sr_srid_definition(srid, &def);
	/* (the reader checked the SRID of column geom: the same words if it is gone) */
	if (version == 0 || !def.found)
		sr_srid_unknown_error(srid, "column \"geom\" of surfaces_sql");
	sr_err_clear(&err);
	/* (its authority as 'AUTH:CODE', NULL when either part is, as SQL's || gave it) */
	if (sr_geo_open(def.auth_name && def.has_auth_srid ? psprintf("%s:%d", def.auth_name, def.auth_srid) : NULL,
					def.srtext, def.proj4text, &g, &err) != SR_OK)
	{
		char		msg[SR_ERRMSG_LEN];

		snprintf(msg, sizeof(msg), "%s (SRID %d)", err.msg, srid);
		snprintf(err.msg, sizeof(err.msg), "%s", msg);
		sr_raise(&err);
	}
	/* a stale transformation of the SRID gives its place, else the oldest */
	slot = -1;
	for (int i = 0; i < GEO_CACHE; i++)
		if (geo_cache[i].g && geo_cache[i].srid == srid)
			slot = i;
	if (slot < 0)
		slot = geo_cache_next++ % GEO_CACHE;
	sr_geo_close(geo_cache[slot].g);
	geo_cache[slot].g = NULL;
	geo_cache[slot].srid = srid;
	geo_cache[slot].version = version;
	geo_cache[slot].g = g;
	return g;
}

/* A WARNING when vertices placed on the Earth lie outside the area of use of
 * their SRID's CRS: coordinates in another CRS than the SRID says become a
 * tileset somewhere else (Lambert-93 metres of 1e8 a few centimetres wide
 * at the South Pole), with no error from PROJ. */
static void
warn_outside(const sr_city_model *m, const sr_geo *g, size_t n)
{
	const char *area = sr_geo_area_name(g);

	if (n > 0)
		ereport(WARNING,
				(errcode(ERRCODE_WARNING),
				 errmsg("%zu of the %zu vertices of surfaces_sql lie outside the area of use of SRID %d",
						n, m->nverts, (int) m->srid),
				 errdetail("The area of use of its reference system is \"%s\" (give or take a degree; a world area exactly, within its system's bounds); the geometries may be in another reference system than their SRID says.",
						   area),
				 errhint("Check the SRID of the geometries (ST_SetSRID gives one, ST_Transform converts).")));
}

/* ---- the entry points ------------------------------------------------------------ */

/* Read the arguments and build the model (in the current context). */
static void
build_model(FunctionCallInfo fcinfo, const sr_optset *set, sr_city_opts *o, sr_city_model *m)
{
	sr_city_input in;
	int32		srid;
	sr_err		err;
	char	   *sql;
	bool		gltf = set == &sr_city_gltf_optset;

	/* the rule of each function (sr_city3d.h); a row with a ground_z
	 * (column 6, extra = 7) has walls, a quad an edge: more a point */
	sr_qbudget	budget = {gltf ? "city_gltf" : "city_tileset",
		gltf ? "Publish a large area with city_tileset, or split surfaces_sql into parts (a GLB each), or raise smartregion.max_call_memory." :
		"Split surfaces_sql into parts (a tileset each, e.g. by district), or raise smartregion.max_call_memory.",
		gltf ? SR_CITY_GLTF_HOLD_ROW : SR_CITY_TILESET_HOLD_ROW,
		gltf ? SR_CITY_GLTF_HOLD_POINT : SR_CITY_TILESET_HOLD_POINT, 1, 0, 0, 0,
		7, gltf ? SR_CITY_GLTF_HOLD_WALL_POINT : SR_CITY_TILESET_HOLD_WALL_POINT,
	"with a ground_z (its walls)"};

	sr_require_arg(fcinfo, 0, "surfaces_sql");
	sql = sr_text_arg(fcinfo, 0);
	sr_options_read(PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1), set, o, "options");
	/* (the hubs its text reads: who controls their code, before it runs) */
	sr_query_hub_guard(fcinfo, gltf ? "city_gltf" : "city_tileset", (const int[]) {0}, 1, NULL);
	read_surfaces(sql, &in, &srid, &budget);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_city_build(&in, o, srid, m, &err), &err);
}

PG_FUNCTION_INFO_V1(sr_fn_city_gltf);
/* smartregion.city_gltf(surfaces_sql, options) -> bytea (GLB) */
Datum
sr_fn_city_gltf(PG_FUNCTION_ARGS)
{
	sr_city_opts o;
	sr_city_model m;
	sr_city_lframe fr;
	sr_err		err;
	uint8	   *glb;
	size_t		len;
	char	   *extras;

	build_model(fcinfo, &sr_city_gltf_optset, &o, &m);
	/* the local frame draws the SRID's plane as it is: a Mercator metre is
	 * cos(latitude) of the ground's, against heights in true metres (a
	 * model 1.43 times too wide at Lyon); the enu frame goes through PROJ */
	if (o.frame != SR_FRAME_ENU && m.nverts > 0 && m.srid > 0)
		sr_srid_require_metric(m.srid, "surfaces_sql's geom in city_gltf's local frame");
	for (int k = 0; k < 3; k++)
		fr.origin[k] = round((m.extent[k] + m.extent[3 + k]) / 2);
	memset(fr.R, 0, sizeof(fr.R));
	fr.R[0] = fr.R[4] = fr.R[8] = 1;
	sr_err_clear(&err);
	/* (no surface, nothing to place: the empty GLB, as in the local frame and
	 * as city_tileset returns no rows, rather than "has no SRID") */
	if (o.frame == SR_FRAME_ENU && m.nverts > 0)
	{
		sr_geo	   *g = geo_for_srid(m.srid, "the enu frame");
		double		lon,
					lat,
					h;

		/* the origin: the centre of the data, on the Earth */
		size_t		outside;

		SR_CHECK_STATUS(sr_geo_to_ecef(g, fr.origin, 1, NULL, &err), &err);
		SR_CHECK_STATUS(sr_city_to_ecef(&m, g, &outside, &err), &err);
		warn_outside(&m, g, outside);
		sr_ecef_to_geodetic(fr.origin, &lon, &lat, &h);
		sr_enu_axes(lon, lat, fr.R);
	}
	extras = sr_city_extras_json(&m, &fr, o.frame == SR_FRAME_ENU ? "enu" : "local");
	if (!extras)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	SR_CHECK_STATUS(sr_city_write_glb(&m, NULL, -1, &fr, extras, VARHDRSZ, &glb, &len, NULL, &err), &err);
	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the GLB would be %zu bytes, more than a bytea holds", len),
				 errhint("Publish a large area with city_tileset, or split surfaces_sql.")));
	SET_VARSIZE(glb, len + VARHDRSZ);
	PG_RETURN_BYTEA_P((bytea *) glb);
}

typedef struct emit_state
{
	ReturnSetInfo *rsinfo;
} emit_state;

static sr_status
emit_row(void *arg, const char *path, const uint8_t *data, size_t len, sr_err *err)
{
	emit_state *s = arg;
	Datum		v[2];
	bool		nulls[2] = {false, false};
	bytea	   *b;

	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("tile %s would be %zu bytes, more than a bytea holds", path, len),
				 errhint("Lower the option max_kb or max_features.")));
	b = palloc(len + VARHDRSZ);
	SET_VARSIZE(b, len + VARHDRSZ);
	memcpy(VARDATA(b), data, len);
	v[0] = CStringGetTextDatum(path);
	v[1] = PointerGetDatum(b);
	tuplestore_putvalues(s->rsinfo->setResult, s->rsinfo->setDesc, v, nulls);
	pfree(b);
	pfree(DatumGetPointer(v[0]));
	return SR_OK;
}

PG_FUNCTION_INFO_V1(sr_fn_city_tileset);
/* smartregion.city_tileset(surfaces_sql, options) -> (path, content) rows */
Datum
sr_fn_city_tileset(PG_FUNCTION_ARGS)
{
	sr_city_opts o;
	sr_city_model m;
	sr_err		err;
	emit_state	s;
	int			ntiles;
	sr_geo	   *g;
	size_t		outside;

	build_model(fcinfo, &sr_city_tileset_optset, &o, &m);
	InitMaterializedSRF(fcinfo, 0);
	if (m.nverts == 0)
		return (Datum) 0;		/* no surface: no tileset, no rows */
	g = geo_for_srid(m.srid, "a tileset");
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_city_to_ecef(&m, g, &outside, &err), &err);
	warn_outside(&m, g, outside);
	s.rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	SR_CHECK_STATUS(sr_city_tileset(&m, emit_row, &s, &ntiles, &err), &err);
	return (Datum) 0;
}
