/*
 * city_cityjson.c — CityJSON 1.0, 1.1 and 2.0 into city objects and
 * surfaces (docs/city3d.md).
 *
 * The document is read through a reader (sr_jreader): jsonb in the server,
 * JSON text in the unit tests.  The shared vertex list is dequantised with
 * the transform (scale, translate) and projected once into the target CRS;
 * every object's geometries at the chosen LoD are walked (MultiSurface,
 * CompositeSurface, Solid, MultiSolid, CompositeSolid, and
 * GeometryInstances of the geometry templates), each surface's rings are
 * checked, oriented and measured, and handed to the sink with the semantic
 * type its "values" give it.
 */
#include "sr_city.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define O(f) offsetof(sr_city_import_opts, f)
static const char *const visibilities[] = {"public", "restricted", NULL};
static const sr_optspec cityjson_specs[] = {
	{"lod", SR_OPT_NUMBER, O(lod), 0, 4, -1, .flags = SR_OPTF_NODEFAULT,
	 .meaning = "LoD of the geometries imported (2: LoD 2 and its refinements 2.0 to 2.3, the highest present; 2.2: exactly 2.2); default: the highest of each object"},
	{"srid", SR_OPT_INT, O(srid), 0, 999999, 0,
	 .meaning = "EPSG code of the file's coordinates when the file names none (0: none); a file that names another one is an error"},
	{"source", SR_OPT_STRING, O(source),
	 .meaning = "name of the source recorded with every object (e.g. the file's name)"},
	{"replace", SR_OPT_BOOL, O(replace), 0, 1, 0,
	 .meaning = "replace the objects (and their surfaces) already in the hub under the same ids; otherwise an id already there is an error"},
	{"territory_code", SR_OPT_STRING, SR_OPT_NOSTORE, .flags = SR_OPTF_NONULL,
	 .meaning = "territory_code of the imported rows (with territory security on, the rows an agent of that territory may write)"},
	{"territory_type", SR_OPT_STRING, SR_OPT_NOSTORE, .flags = SR_OPTF_NONULL,
	 .meaning = "territory_type of the imported rows: commune, epci, departement or region; needed with a code that is both a département's and a région's (docs/security.md)"},
	{"visibility", SR_OPT_CHOICE, SR_OPT_NOSTORE, .choices = visibilities,
	 .flags = SR_OPTF_NODEFAULT | SR_OPTF_NONULL,
	 .meaning = "visibility of the imported objects and surfaces; default: public for a new object, its own for a replaced one (a surface always has its object's)"},
};
#undef O

const sr_optset sr_city_cityjson_optset = {
	"import_cityjson", "option", cityjson_specs, sizeof(cityjson_specs) / sizeof(cityjson_specs[0])
};
/* the same options, under the name of the function that reads them (in
 * option_specs() and docs/options.md) */
const sr_optset sr_city_cityjsonseq_optset = {
	"import_cityjsonseq", "option", cityjson_specs, sizeof(cityjson_specs) / sizeof(cityjson_specs[0])
};
const sr_optset sr_city_citygml_optset = {
	"import_citygml", "option", cityjson_specs, sizeof(cityjson_specs) / sizeof(cityjson_specs[0])
};

typedef struct cj
{
	const sr_jreader *r;
	const sr_city_import_opts *o;
	const sr_city_target *t;
	const sr_city_sink *sink;
	sr_err	   *err;
	double		scale[3],
				translate[3];
	double	   *verts;			/* target CRS */
	double	   *src;			/* source CRS (only with templates) */
	int			nverts;
	sr_jv		templates,
				tverts;
	sr_crs_transform *tr;
	/* the geometry being read */
	sr_city_batch batch;		/* its surfaces, one orientation group */
	sr_city_poly cur;			/* one surface's rings while read */
	double	   *ring;			/* one ring's points while read */
	int			capring;
	double		inst[12];		/* a GeometryInstance: 3x4 matrix (row-major) */
	double		inst_ref[3];	/* and its reference point (source CRS) */
	int			instance;
	const char *obj_id;
	const char *lodstr;
} cj;

static void
skipf(cj *c, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
skipf(cj *c, const char *fmt,...)
{
	char		msg[512];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->sink->skip(c->sink->arg, c->obj_id, msg);
}

static int
get(cj *c, const sr_jv *obj, const char *key, sr_jv *out)
{
	if (obj->kind != SR_J_OBJ)
	{
		memset(out, 0, sizeof(*out));
		return 0;
	}
	return c->r->get(c->r->arg, obj, key, out);
}

static void
at(cj *c, const sr_jv *arr, int i, sr_jv *out)
{
	if (arr->kind != SR_J_ARR || i < 0 || i >= arr->n)
		memset(out, 0, sizeof(*out));
	else
		c->r->at(c->r->arg, arr, i, out);
}

/* The LoD of a geometry (a string in 1.1 and 2.0, a number in 1.0); NaN
 * when it has none. */
static double
lod_of(const sr_jv *v, char *buf, size_t cap)
{
	char		tmp[32];

	if (v->kind == SR_J_NUM)
	{
		snprintf(buf, cap, "%g", v->num);
		return v->num;
	}
	if (v->kind == SR_J_STR && v->n > 0 && v->n < (int) sizeof(tmp))
	{
		char	   *e;
		double		d;

		memcpy(tmp, v->str, v->n);
		tmp[v->n] = '\0';
		d = strtod(tmp, &e);
		snprintf(buf, cap, "%s", tmp);
		return *e == '\0' ? d : NAN;
	}
	snprintf(buf, cap, "?");
	return NAN;
}

/* The geometry a geometry object stands for (itself, or the template of a
 * GeometryInstance) and its LoD. */
static int
resolve(cj *c, const sr_jv *g, sr_jv *geom, double *lod, char *lodbuf, size_t cap)
{
	sr_jv		t;

	*geom = *g;
	get(c, g, "type", &t);
	if (sr_jv_streq(&t, "GeometryInstance"))
	{
		sr_jv		ti;

		get(c, g, "template", &ti);
		if (ti.kind != SR_J_NUM || c->templates.kind != SR_J_ARR || ti.num < 0 ||
			ti.num >= c->templates.n || ti.num != floor(ti.num))
			return 0;
		at(c, &c->templates, (int) ti.num, geom);
	}
	get(c, geom, "lod", &t);
	*lod = lod_of(&t, lodbuf, cap);
	return 1;
}

/* Point j of a ring (an index in the vertex list, or in the templates'
 * vertices for an instance) into p, in the source CRS for an instance. */
static int
vertex(cj *c, const sr_jv *idx, double *p)
{
	int			j;

	/* an index beyond int (1e20: a JSON number the reader gives as a
	 * double) is out of range like -1 and 1.5, and never cast */
	if (idx->kind != SR_J_NUM || idx->num != floor(idx->num) || idx->num < 0 ||
		idx->num >= (c->instance ? c->tverts.n : c->nverts))
		return -1;
	j = (int) idx->num;
	if (!c->instance)
	{
		memcpy(p, c->verts + 3 * (size_t) j, 3 * sizeof(double));
		return 0;
	}
	else
	{
		sr_jv		v,
					x;
		double		q[3];

		at(c, &c->tverts, j, &v);
		for (int k = 0; k < 3; k++)
		{
			at(c, &v, k, &x);
			if (x.kind != SR_J_NUM)
				return -1;
			q[k] = x.num;
		}
		/* the template's vertex through the matrix, then at the
		 * reference point */
		for (int k = 0; k < 3; k++)
			p[k] = c->inst[4 * k] * q[0] + c->inst[4 * k + 1] * q[1] + c->inst[4 * k + 2] * q[2] +
				c->inst[4 * k + 3] + c->inst_ref[k];
		return 0;
	}
}

/* Read surface s (an array of rings) into the batch; 0 when it is skipped
 * (reported), -1 on error. */
static int
read_surface(cj *c, const sr_jv *s, int gi, int index, const char *semtype)
{
	if (s->kind != SR_J_ARR || s->n == 0)
	{
		skipf(c, "geometry %d, surface %d: not an array of rings", gi, index);
		return 0;
	}
	sr_city_poly_reset(&c->cur);
	for (int ri = 0; ri < s->n; ri++)
	{
		sr_jv		ring,
					idx;
		const char *why = NULL;
		int			m;

		at(c, s, ri, &ring);
		if (ring.kind != SR_J_ARR)
			why = "is not an array of vertex indices";
		else
		{
			if (ring.n > c->capring)
			{
				int			cap = ring.n + 16;
				double	   *nr = c->ring ? sr_realloc(c->ring, sizeof(double) * 3 * cap)
					: sr_alloc(sizeof(double) * 3 * cap);

				if (!nr)
					return sr_error(c->err, SR_ENOMEM, "out of memory"), -1;
				c->ring = nr;
				c->capring = cap;
			}
			for (int k = 0; k < ring.n && !why; k++)
			{
				at(c, &ring, k, &idx);
				if (vertex(c, &idx, c->ring + 3 * k) < 0)
					why = "has a vertex index out of range";
			}
			if (!why && c->instance &&
				sr_crs_transform_apply(c->tr, c->ring, ring.n, c->err) != SR_OK)
				return -1;
		}
		m = why ? 0 : sr_city_ring_check(c->ring, ring.n, 0, &why);
		if (m < 0)
			return sr_error(c->err, SR_ENOMEM, "out of memory"), -1;
		if (m == 0)
		{
			if (ri == 0)
			{
				skipf(c, "geometry %d, surface %d%s%s%s: exterior ring %s", gi, index,
					  semtype ? " (" : "", semtype ? semtype : "", semtype ? ")" : "", why);
				return 0;
			}
			skipf(c, "geometry %d, surface %d%s%s%s: interior ring %d %s (ring left out)", gi,
				  index, semtype ? " (" : "", semtype ? semtype : "", semtype ? ")" : "", ri, why);
			continue;
		}
		if (ri > 0 && (why = sr_city_hole_check(&c->cur, c->ring, m)) != NULL)
		{
			skipf(c, "geometry %d, surface %d%s%s%s: interior ring %d %s (ring left out)",
				  gi, index, semtype ? " (" : "", semtype ? semtype : "", semtype ? ")" : "", ri, why);
			continue;
		}
		if (!sr_city_poly_add_ring(&c->cur, c->ring, m))
			return sr_error(c->err, SR_ENOMEM, "out of memory"), -1;
	}
	if (!sr_city_batch_add(&c->batch, &c->cur, semtype, NULL, index))
		return sr_error(c->err, SR_ENOMEM, "out of memory"), -1;
	return 1;
}

/* The semantic surface index of values[...][i] among nsurfs semantic
 * surfaces: -1 when it has none (a null value, a null or absent values
 * array), -2 when it is not an index of one (out of range, negative, not an
 * integer, a string, or an array where a number belongs: the semantics of a
 * Solid written as a MultiSurface's) -- a surface that would lose the type
 * its file gives it, which the caller reports. */
static int
sem_value(cj *c, const sr_jv *values, int i, int nsurfs)
{
	sr_jv		v;

	if (values->kind == SR_J_NULL)
		return -1;
	if (values->kind != SR_J_ARR)
		return -2;
	at(c, values, i, &v);
	if (v.kind == SR_J_NULL)
		return -1;
	return v.kind == SR_J_NUM && v.num >= 0 && v.num < nsurfs && v.num == floor(v.num) ? (int) v.num : -2;
}

/* Read a list of surfaces (MultiSurface / a shell) with their values
 * array into the batch, and emit the batch as one orientation group when
 * emit is set (a Solid's shells are one group: an interior shell's faces
 * turn into its void, which only the whole solid's volume tells). */
static int
read_surfaces(cj *c, const sr_jv *list, const sr_jv *values, const sr_jv *semsurfs, int gi,
			  int *index, bool emit)
{
	char		where[32];

	if (list->kind != SR_J_ARR)
		skipf(c, "geometry %d: malformed boundaries", gi);
	for (int i = 0; list->kind == SR_J_ARR && i < list->n; i++)
	{
		sr_jv		s,
					so,
					ty;
		int			sem = sem_value(c, values, i, semsurfs->kind == SR_J_ARR ? semsurfs->n : 0);
		char	   *semtype = NULL;
		int			rc;

		if (sem == -2)
			skipf(c, "geometry %d, surface %d: its semantic value is not an index of the %d semantic surfaces (imported without a type)",
				  gi, *index, semsurfs->kind == SR_J_ARR ? semsurfs->n : 0);
		if (sem >= 0)
		{
			at(c, semsurfs, sem, &so);
			get(c, &so, "type", &ty);
			semtype = sr_jv_strdup(&ty);
		}
		at(c, list, i, &s);
		rc = read_surface(c, &s, gi, (*index)++, semtype);
		sr_free(semtype);
		if (rc < 0)
			return -1;
		if ((i & 1023) == 1023)
			sr_check_interrupts();
	}
	if (!emit)
		return 0;
	snprintf(where, sizeof(where), "geometry %d", gi);
	return sr_city_batch_emit(&c->batch, c->obj_id, c->lodstr, c->t->srid, c->sink, where,
							  c->err) == SR_OK ? 0 : -1;
}

/* One geometry of an object (already chosen for its LoD). */
static int
read_geometry(cj *c, const sr_jv *g, int gi)
{
	sr_jv		geom,
				type,
				b,
				sem,
				semsurfs,
				values;
	double		lod;
	char		lodbuf[32];
	int			index = 0,
				rc = 0;

	c->instance = 0;
	if (!resolve(c, g, &geom, &lod, lodbuf, sizeof(lodbuf)))
	{
		skipf(c, "geometry %d: a GeometryInstance whose template is missing", gi);
		return 0;
	}
	if (geom.h != g->h)
	{
		/* an instance: its matrix and its reference point */
		sr_jv		m,
					x,
					refb,
					ref;

		get(c, g, "transformationMatrix", &m);
		get(c, g, "boundaries", &refb);
		at(c, &refb, 0, &ref);
		if (m.kind != SR_J_ARR || m.n != 16 || ref.kind != SR_J_NUM || ref.num < 0 ||
			ref.num >= c->nverts || !c->src)
		{
			skipf(c, "geometry %d: a GeometryInstance without a 4x4 matrix or a reference point", gi);
			return 0;
		}
		for (int k = 0; k < 12; k++)
		{
			at(c, &m, k, &x);
			c->inst[k] = x.kind == SR_J_NUM ? x.num : NAN;
		}
		memcpy(c->inst_ref, c->src + 3 * (size_t) ref.num, sizeof(c->inst_ref));
		c->instance = 1;
	}
	c->lodstr = lodbuf;
	get(c, &geom, "type", &type);
	get(c, &geom, "boundaries", &b);
	get(c, &geom, "semantics", &sem);
	get(c, &sem, "surfaces", &semsurfs);
	get(c, &sem, "values", &values);
	if (semsurfs.kind != SR_J_ARR)
	{
		/*
		 * values that index a "surfaces" array the file does not have (the
		 * specification requires both): the types they name are nowhere,
		 * so the surfaces go without one, reported once for the geometry
		 * (it was silent); a null values array loses nothing
		 */
		if (values.kind != SR_J_NULL)
			skipf(c, "geometry %d: its semantics have \"values\" but no \"surfaces\" array (its surfaces imported without a type)",
				  gi);
		memset(&values, 0, sizeof(values));
	}
	if (b.kind == SR_J_ARR && b.n == 0 &&
		(sr_jv_streq(&type, "MultiSurface") || sr_jv_streq(&type, "CompositeSurface") ||
		 sr_jv_streq(&type, "Solid") || sr_jv_streq(&type, "MultiSolid") ||
		 sr_jv_streq(&type, "CompositeSolid")))
	{
		/* an empty geometry: skipped and reported, as the 3D publishers
		 * skip and count one (it was silent) */
		skipf(c, "geometry %d is empty (no surface)", gi);
		return 0;
	}
	if (sr_jv_streq(&type, "MultiSurface") || sr_jv_streq(&type, "CompositeSurface"))
		rc = read_surfaces(c, &b, &values, &semsurfs, gi, &index, true);
	else if (sr_jv_streq(&type, "Solid"))
	{
		for (int s = 0; s < b.n && rc >= 0 && b.kind == SR_J_ARR; s++)
		{
			sr_jv		shell,
						sv;

			at(c, &b, s, &shell);
			at(c, &values, s, &sv);
			rc = read_surfaces(c, &shell, &sv, &semsurfs, gi, &index, s == b.n - 1);
		}
	}
	else if (sr_jv_streq(&type, "MultiSolid") || sr_jv_streq(&type, "CompositeSolid"))
	{
		for (int k = 0; k < b.n && rc >= 0 && b.kind == SR_J_ARR; k++)
		{
			sr_jv		solid,
						kv;

			at(c, &b, k, &solid);
			at(c, &values, k, &kv);
			for (int s = 0; s < solid.n && rc >= 0 && solid.kind == SR_J_ARR; s++)
			{
				sr_jv		shell,
							sv;

				at(c, &solid, s, &shell);
				at(c, &kv, s, &sv);
				rc = read_surfaces(c, &shell, &sv, &semsurfs, gi, &index, s == solid.n - 1);
			}
		}
	}
	else
	{
		char	   *t = sr_jv_strdup(&type);

		skipf(c, "geometry %d: geometry type %s is not imported (only surfaces)", gi,
			  t ? t : "(none)");
		sr_free(t);
	}
	return rc < 0 ? -1 : 0;
}

/* One city object. */
static int
read_object(cj *c, const sr_jv *key, const sr_jv *o)
{
	sr_jv		type,
				parents,
				parent,
				attrs,
				geoms;
	char	   *id = sr_jv_strdup(key),
			   *tname = NULL,
			   *pid = NULL;
	double		best = -INFINITY;
	char		bestbuf[32] = "";
	int			rc = 0;
	sr_city_object ob;

	c->obj_id = id;
	if (o->kind != SR_J_OBJ)
	{
		skipf(c, "the object is not a JSON object");
		sr_free(id);
		return 0;
	}
	get(c, o, "type", &type);
	if (type.kind != SR_J_STR)
	{
		skipf(c, "the object has no type");
		sr_free(id);
		return 0;
	}
	tname = sr_jv_strdup(&type);
	get(c, o, "parents", &parents);
	at(c, &parents, 0, &parent);
	pid = sr_jv_strdup(&parent);
	if (sr_city_check_id(id, "city object id", c->err) != SR_OK ||
		sr_city_check_id(pid, "parent id", c->err) != SR_OK)
	{
		sr_free(id);
		sr_free(tname);
		sr_free(pid);
		c->obj_id = NULL;
		return -1;
	}
	get(c, o, "attributes", &attrs);
	get(c, o, "geometry", &geoms);

	/* the LoD: the highest one present (that the option accepts) */
	if (geoms.kind == SR_J_ARR && geoms.n > 0)
	{
		char		have[128] = "";

		for (int i = 0; i < geoms.n; i++)
		{
			sr_jv		g,
						geom;
			double		lod;
			char		buf[32];

			at(c, &geoms, i, &g);
			if (!resolve(c, &g, &geom, &lod, buf, sizeof(buf)))
				continue;
			if (isnan(lod))
			{
				/* never chosen: said, rather than "no geometry at LoD -1" */
				if (strcmp(buf, "?") == 0)
					skipf(c, "geometry %d has no LoD (its \"lod\" is missing, or neither a string nor a number)", i);
				else
					skipf(c, "geometry %d has the LoD \"%s\", which is not a number", i, buf);
				continue;
			}
			if (strlen(have) + strlen(buf) + 3 < sizeof(have))
				snprintf(have + strlen(have), sizeof(have) - strlen(have), "%s%s", have[0] ? ", " : "", buf);
			if (sr_city_lod_matches(lod, c->o->lod) && lod > best)
			{
				best = lod;
				snprintf(bestbuf, sizeof(bestbuf), "%s", buf);
			}
		}
		if (best == -INFINITY)
		{
			/* (without option lod, only geometries without a LoD leave none:
			 * each was reported above) */
			if (c->o->lod >= 0)
				skipf(c, "no geometry at LoD %g (the object has LoD %s)", c->o->lod, have[0] ? have : "none");
		}
		else
			for (int i = 0; i < geoms.n && rc >= 0; i++)
			{
				sr_jv		g,
							geom;
				double		lod;
				char		buf[32];

				at(c, &geoms, i, &g);
				if (resolve(c, &g, &geom, &lod, buf, sizeof(buf)) && fabs(lod - best) < 1e-9)
					rc = read_geometry(c, &g, i);
			}
	}
	if (rc >= 0)
	{
		memset(&ob, 0, sizeof(ob));
		ob.id = id;
		ob.type = tname;
		ob.parent_id = pid;
		ob.lod = best == -INFINITY ? NULL : bestbuf;
		ob.attributes = attrs.kind == SR_J_OBJ ? &attrs : NULL;
		ob.footprint = sr_city_batch_footprint(&c->batch, c->t->srid, &ob.footprint_len);
		if (rc >= 0)
			c->sink->object(c->sink->arg, &ob);
		sr_free((void *) ob.footprint);
	}
	sr_free(id);
	sr_free(tname);
	sr_free(pid);
	c->obj_id = NULL;
	return rc;
}

/* free what the import holds; returns st */
static sr_status
finish(cj *c, sr_status st)
{
	sr_free(c->verts);
	sr_free(c->src);
	sr_free(c->ring);
	sr_city_poly_free(&c->cur);
	sr_city_batch_free(&c->batch);
	if (c->tr && !c->t->get)
		sr_crs_transform_free(c->tr);
	return st;
}

/*
 * The document's header: version, transform, CRS (the transformation into
 * the target's) and geometry templates -- a CityJSON document's, or the
 * first line of a CityJSONSeq, which holds them for every feature.
 */
static sr_status
read_header(cj *c, const sr_jv *root, char *ver, size_t vercap, int *epsg_out)
{
	sr_err	   *err = c->err;
	const sr_city_import_opts *o = c->o;
	const sr_city_target *t = c->t;
	sr_jv		v,
				tf,
				md,
				rs,
				gt;
	int			epsg = 0;
	char		crs[32];

	get(c, root, "version", &v);
	if (v.kind != SR_J_STR)
	{
		/* (not "version "" is not supported": say what is wrong with it) */
		if (v.kind == SR_J_NUM)
			sr_error(err, SR_EINVAL, "CityJSON version %g is a number, not a string", v.num);
		else
			sr_error(err, SR_EINVAL, "the CityJSON document has no \"version\" string");
		sr_error_detail(err, "CityJSON names its version as a string: \"1.0\", \"1.1\" or \"2.0\".");
		return err->status;
	}
	if (v.n < (int) vercap)
	{
		memcpy(ver, v.str, v.n);
		ver[v.n] = '\0';
	}
	else
		snprintf(ver, vercap, "%.*s...", (int) vercap - 4, v.str);
	if (!(strcmp(ver, "1.0") == 0 || strcmp(ver, "1.1") == 0 || strcmp(ver, "2.0") == 0))
	{
		sr_error(err, SR_EINVAL, "CityJSON version \"%s\" is not supported", ver);
		sr_error_detail(err, "Versions 1.0, 1.1 and 2.0 are.");
		return err->status;
	}
	/* the transform (required from 1.1, optional in 1.0) */
	c->scale[0] = c->scale[1] = c->scale[2] = 1.0;
	if (get(c, root, "transform", &tf))
	{
		sr_jv		sc,
					tr,
					x;

		get(c, &tf, "scale", &sc);
		get(c, &tf, "translate", &tr);
		if (sc.kind != SR_J_ARR || sc.n != 3 || tr.kind != SR_J_ARR || tr.n != 3)
			return sr_error(err, SR_EINVAL, "the CityJSON transform must have a scale and a translate of 3 numbers");
		for (int k = 0; k < 3; k++)
		{
			at(c, &sc, k, &x);
			c->scale[k] = x.num;
			if (x.kind != SR_J_NUM || !(x.num > 0) || !isfinite(x.num))
				return sr_error(err, SR_EINVAL, "the CityJSON transform's scale must be positive numbers");
			at(c, &tr, k, &x);
			c->translate[k] = x.num;
			if (x.kind != SR_J_NUM || !isfinite(x.num))
				return sr_error(err, SR_EINVAL, "the CityJSON transform's translate must be numbers");
		}
	}
	/* the CRS: the file's, or the option's */
	get(c, root, "metadata", &md);
	if (get(c, &md, "referenceSystem", &rs) && rs.kind == SR_J_STR)
	{
		epsg = sr_crs_epsg_from_name(rs.str, rs.n);
		if (epsg == 0)
		{
			char	   *str = sr_jv_strdup(&rs);

			sr_error(err, SR_EINVAL, "reference system \"%s\" of the file is not recognised", str ? str : "");
			sr_error_hint(err, "Give its EPSG code with option \"srid\" after removing it, or convert the file.");
			sr_free(str);
			return err->status;
		}
		if (o->srid > 0 && o->srid != epsg)
		{
			sr_error(err, SR_EINVAL, "the file's reference system is EPSG:%d but option \"srid\" is %d", epsg, o->srid);
			sr_error_hint(err, "Leave the option out: it is for files that name no reference system.");
			return err->status;
		}
	}
	else
		epsg = o->srid;
	if (epsg <= 0)
	{
		sr_error(err, SR_EINVAL, "the document names no coordinate reference system");
		sr_error_hint(err, "Give its EPSG code with option \"srid\" (e.g. 7415 or 28992 for the Netherlands).");
		return err->status;
	}
	snprintf(crs, sizeof(crs), "EPSG:%d", epsg);
	if (t->get)
		c->tr = t->get(t->arg, crs, t->crs, err);
	else
		sr_crs_transform_create(crs, t->crs, &c->tr, err);
	if (!c->tr)
		return err->status;
	get(c, root, "geometry-templates", &gt);
	get(c, &gt, "templates", &c->templates);
	get(c, &gt, "vertices-templates", &c->tverts);
	*epsg_out = epsg;
	return SR_OK;
}

/* A vertex list (a document's, or a CityJSONSeq feature's), dequantised by
 * the header's transform, then projected: c->verts (and c->src, the source
 * CRS's, with templates); adds the vertices outside the CRS's area of use. */
static sr_status
load_vertices(cj *c, const sr_jv *verts, size_t *outside, char *area, size_t areacap)
{
	sr_err	   *err = c->err;

	sr_free(c->verts);
	sr_free(c->src);
	c->verts = c->src = NULL;
	c->nverts = 0;
	if (verts->n > (int) (((size_t) 1 << 31) / 4 / 3))
		return sr_error(err, SR_ERANGE, "the document has too many vertices (%d)", verts->n);
	c->verts = sr_alloc(sizeof(double) * 3 * (size_t) (verts->n + 1));
	if (!c->verts)
		return sr_error(err, SR_ENOMEM, "out of memory");
	c->nverts = verts->n;
	for (int i = 0; i < verts->n; i++)
	{
		sr_jv		p,
					x;

		at(c, verts, i, &p);
		if (p.kind != SR_J_ARR || p.n < 3)
			return sr_error(err, SR_EINVAL, "vertex %d is not an array of 3 numbers", i);
		for (int k = 0; k < 3; k++)
		{
			at(c, &p, k, &x);
			if (x.kind != SR_J_NUM)
				return sr_error(err, SR_EINVAL, "vertex %d is not an array of 3 numbers", i);
			c->verts[3 * (size_t) i + k] = x.num * c->scale[k] + c->translate[k];
			/* 1e400 (read as infinity), or 1e308 times a scale of 10 */
			if (!isfinite(c->verts[3 * (size_t) i + k]))
			{
				sr_error(err, SR_ERANGE, "vertex %d is out of range", i);
				sr_error_detail(err, "Its coordinate %d, %g times the scale %g plus the translate %g, is not a finite number.",
								k, x.num, c->scale[k], c->translate[k]);
				return err->status;
			}
		}
		if ((i & 65535) == 65535)
			sr_check_interrupts();
	}
	if (c->templates.kind == SR_J_ARR && c->templates.n > 0)
	{
		c->src = sr_alloc(sizeof(double) * 3 * (size_t) (verts->n + 1));
		if (!c->src)
			return sr_error(err, SR_ENOMEM, "out of memory");
		memcpy(c->src, c->verts, sizeof(double) * 3 * (size_t) verts->n);
	}
	/* coordinates that do not look like the declared CRS's (counted before
	 * the transformation, which would take them anywhere) */
	*outside += sr_crs_transform_outside(c->tr, c->verts, verts->n, area, areacap);
	return sr_crs_transform_apply(c->tr, c->verts, verts->n, err);
}

/* The facts about the import. */
static void
put_meta(cj *c, const char *format, const char *ver, int epsg, long nverts,
		 size_t outside, const char *area)
{
	const sr_city_sink *sink = c->sink;
	char		buf[320];
	int			ballpark = 0;

	sr_city_json_str(buf, sizeof(buf), format);
	sink->meta(sink->arg, "format", buf);
	sr_city_json_str(buf, sizeof(buf), ver);
	sink->meta(sink->arg, "version", buf);
	snprintf(buf, sizeof(buf), "%d", epsg);
	sink->meta(sink->arg, "source_srid", buf);
	snprintf(buf, sizeof(buf), "%d", c->t->srid);
	sink->meta(sink->arg, "target_srid", buf);
	sr_city_json_str(buf, sizeof(buf), sr_crs_transform_desc(c->tr, &ballpark));
	sink->meta(sink->arg, "transformation", buf);
	sink->meta(sink->arg, "ballpark_transformation", ballpark ? "true" : "false");
	snprintf(buf, sizeof(buf), "%ld", nverts);
	sink->meta(sink->arg, "vertices", buf);
	snprintf(buf, sizeof(buf), "%zu", outside);
	sink->meta(sink->arg, "outside_area_of_use", buf);
	sr_city_json_str(buf, sizeof(buf), area);
	sink->meta(sink->arg, "area_of_use", buf);
}

/* Every object of a CityObjects member, on the current vertex list. */
static sr_status
read_objects(cj *c, const sr_jv *objs)
{
	for (int i = 0; i < objs->n; i++)
	{
		sr_jv		key,
					val;

		c->r->member(c->r->arg, objs, i, &key, &val);
		if (read_object(c, &key, &val) < 0)
			return c->err->status;
		sr_check_interrupts();
	}
	return SR_OK;
}

static void
cj_init(cj *c, const sr_jreader *r, const sr_city_import_opts *o, const sr_city_target *t,
		const sr_city_sink *sink, sr_err *err)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->o = o;
	c->t = t;
	c->sink = sink;
	c->err = err;
}

sr_status
sr_cityjson_import(const sr_jreader *r, const sr_jv *root, const sr_city_import_opts *o,
				   const sr_city_target *t, const sr_city_sink *sink, sr_err *err)
{
	cj			c;
	sr_jv		v,
				objs,
				verts;
	int			epsg = 0;
	char		buf[32],
				area[128] = "",
				ver[16] = "";
	size_t		outside = 0;

	cj_init(&c, r, o, t, sink, err);
	/* a line of a CityJSONSeq (CityJSON 2.0's JSON Lines form): its vertices
	 * are quantised by the header line's transform, which it does not hold */
	if (root->kind == SR_J_OBJ && get(&c, root, "type", &v) && sr_jv_streq(&v, "CityJSONFeature"))
		return sr_error(err, SR_EINVAL, "a CityJSONFeature is not imported"),
			sr_error_detail(err, "A CityJSONFeature is one line of a CityJSONSeq file: its vertices are scaled by the transform of the file's first line, which it does not hold."),
			sr_error_hint(err, "Import the whole file with smartregion.import_cityjsonseq, or collect the lines into one CityJSON document first (cjseq collect)."),
			err->status;
	if (root->kind != SR_J_OBJ || !get(&c, root, "type", &v) || !sr_jv_streq(&v, "CityJSON"))
		return sr_error(err, SR_EINVAL, "document is not CityJSON"),
			sr_error_detail(err, "A CityJSON document is a JSON object with \"type\": \"CityJSON\"."),
			err->status;
	if (read_header(&c, root, ver, sizeof(ver), &epsg) != SR_OK)
		return finish(&c, err->status);
	if (!get(&c, root, "vertices", &verts) || verts.kind != SR_J_ARR)
		return finish(&c, sr_error(err, SR_EINVAL, "the CityJSON document has no \"vertices\" array"));
	if (load_vertices(&c, &verts, &outside, area, sizeof(area)) != SR_OK)
		return finish(&c, err->status);
	put_meta(&c, "CityJSON", ver, epsg, verts.n, outside, area);
	if (!get(&c, root, "CityObjects", &objs) || objs.kind != SR_J_OBJ)
		return finish(&c, sr_error(err, SR_EINVAL, "the CityJSON document has no \"CityObjects\" object"));
	if (read_objects(&c, &objs) != SR_OK)
		return finish(&c, err->status);
	snprintf(buf, sizeof(buf), "%ld", c.batch.reoriented);
	sink->meta(sink->arg, "reoriented_surfaces", buf);
	return finish(&c, SR_OK);
}

/*
 * A CityJSONSeq (https://www.cityjson.org/cityjsonseq/), its lines as the
 * elements of an array: the first a CityJSON object holding the transform,
 * the CRS and the templates (its CityObjects and vertices empty, read if
 * not), then one CityJSONFeature per line, each with its own vertex list
 * (indices local to the feature, quantised by the first line's transform)
 * and its CityObjects (a top-level object and its parts).  The same reader
 * as a CityJSON document's, feature by feature.
 */
sr_status
sr_cityjsonseq_import(const sr_jreader *r, const sr_jv *lines, const sr_city_import_opts *o,
					  const sr_city_target *t, const sr_city_sink *sink, sr_err *err)
{
	cj			c;
	sr_jv		head,
				v,
				objs,
				verts;
	int			epsg = 0;
	long		nverts = 0;
	char		buf[32],
				area[128] = "",
				ver[16] = "";
	size_t		outside = 0;

	cj_init(&c, r, o, t, sink, err);
	if (lines->kind != SR_J_ARR || lines->n == 0)
		return sr_error(err, SR_EINVAL, "the CityJSONSeq has no lines");
	at(&c, lines, 0, &head);
	if (head.kind != SR_J_OBJ || !get(&c, &head, "type", &v) || !sr_jv_streq(&v, "CityJSON"))
		return sr_error(err, SR_EINVAL, "line 1 of the CityJSONSeq is not a CityJSON object"),
			sr_error_detail(err, "A CityJSONSeq starts with a CityJSON object (\"type\": \"CityJSON\") holding the transform and the metadata, then one CityJSONFeature per line."),
			err->status;
	if (read_header(&c, &head, ver, sizeof(ver), &epsg) != SR_OK)
		return finish(&c, err->status);
	if (strcmp(ver, "1.0") == 0)
	{
		sr_error(err, SR_EINVAL, "a CityJSONSeq of CityJSON 1.0 is not imported");
		sr_error_detail(err, "CityJSONFeature, the line of a CityJSONSeq, exists from CityJSON 1.1.");
		return finish(&c, err->status);
	}
	for (int i = 0; i < lines->n; i++)
	{
		sr_jv		line;

		at(&c, lines, i, &line);
		if (i > 0 && (line.kind != SR_J_OBJ || !get(&c, &line, "type", &v) ||
					  !sr_jv_streq(&v, "CityJSONFeature")))
		{
			sr_error(err, SR_EINVAL, "line %d of the CityJSONSeq is not a CityJSONFeature", i + 1);
			sr_error_detail(err, "After its first line, a CityJSONSeq holds one CityJSONFeature object (\"type\": \"CityJSONFeature\") per line.");
			return finish(&c, err->status);
		}
		/* the first line's vertices and objects are empty in a
		 * CityJSONSeq; a feature needs its own vertices */
		if (!get(&c, &line, "vertices", &verts) || verts.kind != SR_J_ARR)
		{
			if (i == 0)
				continue;
			return finish(&c, sr_error(err, SR_EINVAL, "line %d of the CityJSONSeq has no \"vertices\" array", i + 1));
		}
		if (load_vertices(&c, &verts, &outside, area, sizeof(area)) != SR_OK)
			return finish(&c, err->status);
		nverts += verts.n;
		if (!get(&c, &line, "CityObjects", &objs) || objs.kind != SR_J_OBJ)
		{
			if (i == 0)
				continue;
			return finish(&c, sr_error(err, SR_EINVAL, "line %d of the CityJSONSeq has no \"CityObjects\" object", i + 1));
		}
		if (read_objects(&c, &objs) != SR_OK)
			return finish(&c, err->status);
	}
	put_meta(&c, "CityJSONSeq", ver, epsg, nverts, outside, area);
	snprintf(buf, sizeof(buf), "%d", lines->n - 1);
	sink->meta(sink->arg, "features", buf);
	snprintf(buf, sizeof(buf), "%ld", c.batch.reoriented);
	sink->meta(sink->arg, "reoriented_surfaces", buf);
	return finish(&c, SR_OK);
}
