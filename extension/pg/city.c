/*
 * city.c — entry points of the 3D city model (docs/city3d.md): the rows of
 * a CityJSON (jsonb) or CityGML (text) document, which the plpgsql
 * functions import_cityjson and import_citygml write into the hub.
 *
 * The core reads CityJSON through a reader (sr_jreader): here it walks the
 * jsonb containers in place (no copy of the document, numbers converted as
 * they are read).  PROJ transformations are kept for the session in a
 * memory context whose reset callback frees them.  A CityGML document's
 * libxml2 tree is freed also when the walk is interrupted by an error.
 */
#include "sr_pg.h"
#include "sr_city.h"
#include "sr_cadastre.h"
#include "sr_geom.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

/* ---------- jsonb through the core's reader ---------- */

/* A number of a jsonb (numeric) as a double: int4 integers without a trip
 * through text.  Any other is read as a double without raising: past the
 * double range it becomes ±infinity, below it 0 (numeric_int8 raised a
 * generic "bigint out of range" for 1e20, numeric_float8 "out of range for
 * type double precision" for 1e400 or 1e-400), so that the core reports
 * the field: a boundary index out of range, a vertex out of range, a
 * transform that is not finite. */
static double
jb_number(Numeric n)
{
	int32		scale = DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(n)));

	if (scale == 0)
	{
		bool		overflow = false;
		int32		v = numeric_int4_opt_error(n, &overflow);

		if (!overflow)
			return (double) v;
	}
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(n)));
}

/* Entry index of container jc (its children start at base) as a value. */
static void
jb_entry(const JsonbContainer *jc, int index, const char *base, sr_jv *out)
{
	JEntry		e = jc->children[index];
	uint32		off = getJsonbOffset(jc, index);
	uint32		len = getJsonbLength(jc, index);

	memset(out, 0, sizeof(*out));
	if (JBE_ISNULL(e))
		out->kind = SR_J_NULL;
	else if (JBE_ISSTRING(e))
	{
		out->kind = SR_J_STR;
		out->str = base + off;
		out->n = (int) len;
	}
	else if (JBE_ISNUMERIC(e))
	{
		out->kind = SR_J_NUM;
		out->num = jb_number((Numeric) (base + INTALIGN(off)));
	}
	else if (JBE_ISBOOL_TRUE(e) || JBE_ISBOOL_FALSE(e))
	{
		out->kind = SR_J_BOOL;
		out->num = JBE_ISBOOL_TRUE(e);
	}
	else
	{
		const JsonbContainer *c = (const JsonbContainer *) (base + INTALIGN(off));

		out->kind = JsonContainerIsObject(c) ? SR_J_OBJ : SR_J_ARR;
		out->n = JsonContainerSize(c);
		out->h = c;
		out->hlen = len - (INTALIGN(off) - off);
	}
}

static void
jb_at(void *arg, const sr_jv *arr, int i, sr_jv *out)
{
	const JsonbContainer *jc = arr->h;

	jb_entry(jc, i, (const char *) &jc->children[JsonContainerSize(jc)], out);
}

static void
jb_member(void *arg, const sr_jv *obj, int i, sr_jv *key, sr_jv *val)
{
	const JsonbContainer *jc = obj->h;
	int			n = JsonContainerSize(jc);
	const char *base = (const char *) &jc->children[2 * n];

	/* keys first, then the values in the same order */
	jb_entry(jc, i, base, key);
	jb_entry(jc, i + n, base, val);
}

static int
jb_get(void *arg, const sr_jv *obj, const char *key, sr_jv *out)
{
	const JsonbContainer *jc = obj->h;
	JsonbValue *v = getKeyJsonValueFromContainer((JsonbContainer *) jc, key, strlen(key), NULL);

	memset(out, 0, sizeof(*out));
	if (v == NULL)
		return 0;
	switch (v->type)
	{
		case jbvNull:
			out->kind = SR_J_NULL;
			break;
		case jbvString:
			out->kind = SR_J_STR;
			out->str = v->val.string.val;
			out->n = v->val.string.len;
			break;
		case jbvNumeric:
			out->kind = SR_J_NUM;
			out->num = jb_number(v->val.numeric);
			break;
		case jbvBool:
			out->kind = SR_J_BOOL;
			out->num = v->val.boolean;
			break;
		case jbvBinary:
			out->kind = JsonContainerIsObject(v->val.binary.data) ? SR_J_OBJ : SR_J_ARR;
			out->n = JsonContainerSize(v->val.binary.data);
			out->h = v->val.binary.data;
			out->hlen = v->val.binary.len;
			break;
		default:
			break;
	}
	pfree(v);
	return 1;
}

/* The jsonb of a container seen through the reader (a copy of its bytes). */
static Datum
jv_jsonb(const sr_jv *v)
{
	Jsonb	   *out = palloc(VARHDRSZ + v->hlen);

	SET_VARSIZE(out, VARHDRSZ + v->hlen);
	memcpy(VARDATA(out), v->h, v->hlen);
	return JsonbPGetDatum(out);
}

/* ---------- PROJ transformations, kept for the session ---------- */

#define PROJ_CACHE 16

typedef struct proj_entry
{
	char		src[64],
				dst[256];
	sr_crs_transform *t;
} proj_entry;

static MemoryContext proj_cxt = NULL;
static proj_entry proj_cache[PROJ_CACHE];
static int	proj_n = 0;

/* the context's reset callback: PROJ's own memory is malloc'd */
static void
proj_cache_free(void *arg)
{
	for (int i = 0; i < proj_n; i++)
		sr_crs_transform_free(proj_cache[i].t);
	proj_n = 0;
	proj_cxt = NULL;
}

static sr_crs_transform *
cached_transform(void *arg, const char *src, const char *dst, sr_err *err)
{
	sr_crs_transform *t;
	MemoryContext old;

	for (int i = 0; i < proj_n; i++)
		if (strcmp(proj_cache[i].src, src) == 0 && strcmp(proj_cache[i].dst, dst) == 0)
			return proj_cache[i].t;
	if (proj_cxt == NULL)
	{
		MemoryContextCallback *cb;

		proj_cxt = AllocSetContextCreate(TopMemoryContext, "smartregion PROJ transformations",
										 ALLOCSET_SMALL_SIZES);
		cb = MemoryContextAlloc(proj_cxt, sizeof(MemoryContextCallback));
		cb->func = proj_cache_free;
		cb->arg = NULL;
		MemoryContextRegisterResetCallback(proj_cxt, cb);
	}
	old = MemoryContextSwitchTo(proj_cxt);
	if (sr_crs_transform_create(src, dst, &t, err) != SR_OK)
		t = NULL;
	MemoryContextSwitchTo(old);
	if (t == NULL)
		return NULL;
	if (proj_n == PROJ_CACHE)
	{
		/* the oldest one goes */
		sr_crs_transform_free(proj_cache[0].t);
		memmove(proj_cache, proj_cache + 1, sizeof(proj_entry) * (PROJ_CACHE - 1));
		proj_n--;
	}
	snprintf(proj_cache[proj_n].src, sizeof(proj_cache[proj_n].src), "%s", src);
	snprintf(proj_cache[proj_n].dst, sizeof(proj_cache[proj_n].dst), "%s", dst);
	proj_cache[proj_n].t = t;
	proj_n++;
	return t;
}

/* ---------- the rows ---------- */

#define NCOLS 15

typedef struct rows_sink
{
	ReturnSetInfo *rsinfo;
	MemoryContext rowcxt;
	int64		count;
	int32		srid;			/* the target SRID: true azimuths */
	MemoryContext keepcxt;		/* gamma_object's */
	char	   *gamma_object;	/* the object whose convergence is gamma */
	double		gamma;
} rows_sink;

static void
put_row(rows_sink *s, Datum *v, bool *nulls)
{
	tuplestore_putvalues(s->rsinfo->setResult, s->rsinfo->setDesc, v, nulls);
	if ((++s->count & 1023) == 0)
		CHECK_FOR_INTERRUPTS();
}

static void
row_init(Datum *v, bool *nulls, const char *kind)
{
	for (int i = 0; i < NCOLS; i++)
	{
		v[i] = (Datum) 0;
		nulls[i] = true;
	}
	v[0] = CStringGetTextDatum(kind);
	nulls[0] = false;
}

static void
set_text(Datum *v, bool *nulls, int c, const char *s)
{
	if (s)
	{
		v[c] = CStringGetTextDatum(s);
		nulls[c] = false;
	}
}

static void
sink_object(void *arg, const sr_city_object *o)
{
	rows_sink  *s = arg;
	MemoryContext old = MemoryContextSwitchTo(s->rowcxt);
	Datum		v[NCOLS];
	bool		nulls[NCOLS];

	row_init(v, nulls, "object");
	set_text(v, nulls, 1, o->id);
	set_text(v, nulls, 2, o->type);
	set_text(v, nulls, 3, o->parent_id);
	set_text(v, nulls, 4, o->lod);
	if (o->attributes)
	{
		v[5] = jv_jsonb(o->attributes);
		nulls[5] = false;
	}
	else if (o->attributes_json)
	{
		v[5] = DirectFunctionCall1(jsonb_in, CStringGetDatum(o->attributes_json));
		nulls[5] = false;
	}
	if (o->footprint)
	{
		v[6] = sr_geom_from_ewkb(o->footprint, o->footprint_len);
		nulls[6] = false;
	}
	put_row(s, v, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(s->rowcxt);
}

static void
sink_surface(void *arg, const sr_city_surface *f)
{
	rows_sink  *s = arg;
	MemoryContext old = MemoryContextSwitchTo(s->rowcxt);
	Datum		v[NCOLS];
	bool		nulls[NCOLS];

	row_init(v, nulls, "surface");
	set_text(v, nulls, 1, f->object_id);
	set_text(v, nulls, 4, f->lod);
	set_text(v, nulls, 7, f->semantic_type);
	v[8] = sr_geom_from_ewkb(f->geom, f->geom_len);
	nulls[8] = false;
	/* a true azimuth, as the cadastre's faces' (docs/cadastre.md): the
	 * grid's plus the convergence at the centre of the object's first
	 * surface's box, one value per object (a building spans metres) */
	if (!s->gamma_object || !f->object_id || strcmp(s->gamma_object, f->object_id) != 0)
	{
		sr_mpoly	m;
		sr_err		err;
		double		box[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};

		sr_err_clear(&err);
		s->gamma = 0;
		if (sr_wkb_read_mpoly(f->geom, f->geom_len, &m, &err) == SR_OK && m.npts > 0)
		{
			for (int i = 0; i < m.npts; i++)
			{
				box[0] = Min(box[0], m.xyz[3 * i]);
				box[1] = Min(box[1], m.xyz[3 * i + 1]);
				box[2] = Max(box[2], m.xyz[3 * i]);
				box[3] = Max(box[3], m.xyz[3 * i + 1]);
			}
			s->gamma = sr_srid_convergence(s->srid, 0.5 * (box[0] + box[2]), 0.5 * (box[1] + box[3]), NULL);
		}
		if (s->gamma_object)
			pfree(s->gamma_object);
		s->gamma_object = f->object_id ? MemoryContextStrdup(s->keepcxt, f->object_id) : NULL;
	}
	v[9] = Float8GetDatum(f->plane.tilt);
	v[10] = Float8GetDatum(sr_north_true_azimuth(f->plane.azimuth, f->plane.tilt, s->gamma));
	v[11] = Float8GetDatum(f->plane.area);
	v[12] = Float8GetDatum(f->plane.planarity);
	nulls[9] = nulls[10] = nulls[11] = nulls[12] = false;
	set_text(v, nulls, 13, f->surface_ref);
	put_row(s, v, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(s->rowcxt);
}

static void
sink_skip(void *arg, const char *object_id, const char *reason)
{
	rows_sink  *s = arg;
	MemoryContext old = MemoryContextSwitchTo(s->rowcxt);
	Datum		v[NCOLS];
	bool		nulls[NCOLS];

	row_init(v, nulls, "skip");
	set_text(v, nulls, 1, object_id);
	set_text(v, nulls, 14, reason);
	put_row(s, v, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(s->rowcxt);
}

static void
sink_meta(void *arg, const char *key, const char *json)
{
	rows_sink  *s = arg;
	MemoryContext old = MemoryContextSwitchTo(s->rowcxt);
	Datum		v[NCOLS];
	bool		nulls[NCOLS];

	row_init(v, nulls, "meta");
	set_text(v, nulls, 1, key);
	v[5] = DirectFunctionCall1(jsonb_in, CStringGetDatum(json));
	nulls[5] = false;
	put_row(s, v, nulls);
	MemoryContextSwitchTo(old);
	MemoryContextReset(s->rowcxt);
}

/* The arguments both entry points share: the target SRID (a projected
 * SRID in metres: the hub's city_surface.geom), its PROJ definition, and
 * the options. */
static void
common_args(FunctionCallInfo fcinfo, const sr_optset *set, sr_city_import_opts *o,
			sr_city_target *t, rows_sink *sink, sr_city_sink *cs)
{
	sr_require_arg(fcinfo, 0, "doc");
	sr_require_arg(fcinfo, 1, "target_srid");
	sr_require_arg(fcinfo, 2, "target_crs");
	sr_options_read(PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3), set, o, "options");
	t->srid = PG_GETARG_INT32(1);
	if (t->srid <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the city model's target SRID must be a known projected SRID, not %d", t->srid),
				 errhint("The hub's city_surface.geom column gives it (2154 as create_hub makes it).")));
	sr_srid_require_metric(t->srid, "the hub's city_surface.geom");
	t->crs = text_to_cstring(PG_GETARG_TEXT_PP(2));
	t->arg = NULL;
	t->get = cached_transform;

	InitMaterializedSRF(fcinfo, 0);
	sink->rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sink->rowcxt = AllocSetContextCreate(CurrentMemoryContext, "city model row", ALLOCSET_DEFAULT_SIZES);
	sink->count = 0;
	sink->srid = t->srid;
	sink->keepcxt = CurrentMemoryContext;
	sink->gamma_object = NULL;
	sink->gamma = 0;
	cs->arg = sink;
	cs->object = sink_object;
	cs->surface = sink_surface;
	cs->skip = sink_skip;
	cs->meta = sink_meta;
}

static Datum city_rows_json(FunctionCallInfo fcinfo, bool seq);

PG_FUNCTION_INFO_V1(sr_fn_city_rows_cityjson);
/* smartregion._city_rows_cityjson(doc jsonb, target_srid int, target_crs
 * text, options jsonb): objects, surfaces, skipped items and facts */
Datum
sr_fn_city_rows_cityjson(PG_FUNCTION_ARGS)
{
	return city_rows_json(fcinfo, false);
}

PG_FUNCTION_INFO_V1(sr_fn_city_rows_cityjsonseq);
/* smartregion._city_rows_cityjsonseq(lines jsonb, target_srid int,
 * target_crs text, options jsonb): the same of a CityJSONSeq, its lines as
 * the elements of a jsonb array */
Datum
sr_fn_city_rows_cityjsonseq(PG_FUNCTION_ARGS)
{
	return city_rows_json(fcinfo, true);
}

static Datum
city_rows_json(FunctionCallInfo fcinfo, bool seq)
{
	sr_city_import_opts o;
	sr_city_target t;
	rows_sink	sink;
	sr_city_sink cs;
	Jsonb	   *doc;
	sr_jreader	r = {NULL, jb_at, jb_member, jb_get};
	sr_jv		root;
	sr_err		err;

	common_args(fcinfo, seq ? &sr_city_cityjsonseq_optset : &sr_city_cityjson_optset, &o, &t, &sink, &cs);
	doc = PG_GETARG_JSONB_P(0);
	memset(&root, 0, sizeof(root));
	if (JB_ROOT_IS_SCALAR(doc))
		jb_at(NULL, &(sr_jv) {.kind = SR_J_ARR, .n = 1, .h = &doc->root}, 0, &root);
	else
	{
		root.kind = JB_ROOT_IS_OBJECT(doc) ? SR_J_OBJ : SR_J_ARR;
		root.n = JB_ROOT_COUNT(doc);
		root.h = &doc->root;
		root.hlen = VARSIZE(doc) - VARHDRSZ;
	}
	sr_err_clear(&err);
	if ((seq ? sr_cityjsonseq_import(&r, &root, &o, &t, &cs, &err)
		 : sr_cityjson_import(&r, &root, &o, &t, &cs, &err)) != SR_OK)
		sr_raise(&err);
	MemoryContextDelete(sink.rowcxt);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(sr_fn_city_rows_citygml);
/* smartregion._city_rows_citygml(doc text, target_srid int, target_crs
 * text, options jsonb) */
Datum
sr_fn_city_rows_citygml(PG_FUNCTION_ARGS)
{
	sr_city_import_opts o;
	sr_city_target t;
	rows_sink	sink;
	sr_city_sink cs;
	text	   *doc;
	sr_citygml *volatile g = NULL;
	sr_err		err;
	volatile sr_status st = SR_OK;

	common_args(fcinfo, &sr_city_citygml_optset, &o, &t, &sink, &cs);
	doc = PG_GETARG_TEXT_PP(0);
	sr_err_clear(&err);
	{
		sr_citygml *gg;

		if (sr_citygml_open(VARDATA_ANY(doc), VARSIZE_ANY_EXHDR(doc), &gg, &err) != SR_OK)
			sr_raise(&err);
		g = gg;
	}
	/* the tree is libxml2's (malloc): freed on every way out */
	PG_TRY();
	{
		st = sr_citygml_import(g, &o, &t, &cs, &err);
	}
	PG_CATCH();
	{
		sr_citygml_close(g);
		PG_RE_THROW();
	}
	PG_END_TRY();
	sr_citygml_close(g);
	if (st != SR_OK)
		sr_raise(&err);
	MemoryContextDelete(sink.rowcxt);
	return (Datum) 0;
}
