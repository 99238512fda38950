/*
 * test_city.c — unit tests of the 3D city model core: the JSON reader,
 * CRS names, ring checks, surface planes (hand-computed orientations),
 * CityJSON (every geometry type, semantics with nulls, parts, templates,
 * LoDs, CRS rules, invalid rings, orientation) and CityGML (2.0 and 3.0,
 * xlinks, interior rings, pos/posList, srsDimension, parts, unsupported
 * content; xlink chains, cycles, the walk's budget and interrupt checks,
 * exact integer attributes) documents built here, and PROJ
 * transformations.
 */
#include "sr_test.h"
#include "sr_city.h"
#include "sr_geom.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* ---------- a sink that records ---------- */

#define MAXS 256
typedef struct rec
{
	int			nobj,
				nsurf,
				nskip;
	char		obj_id[64][64],
				obj_type[64][32],
				obj_parent[64][64],
				obj_lod[64][8];
	int			obj_has_fp[64];
	size_t		obj_id_len[64];	/* the whole id's length (obj_id is cut) */
	char		surf_obj[MAXS][64],
				surf_type[MAXS][32],
				surf_lod[MAXS][8],
				surf_ref[MAXS][64];
	size_t		surf_ref_len[MAXS];
	sr_city_plane plane[MAXS];
	sr_mpoly	geom[MAXS];
	char		skip[64][256];
	char		skip_obj[64][64];
	char		meta[16][2][128];
	int			nmeta;
	char		attrs[64][1024];
} rec;

static void
r_object(void *arg, const sr_city_object *o)
{
	rec		   *r = arg;
	int			i = r->nobj++;

	if (i >= 64)
		return;
	snprintf(r->obj_id[i], 64, "%s", o->id);
	r->obj_id_len[i] = strlen(o->id);
	snprintf(r->obj_type[i], 32, "%s", o->type);
	snprintf(r->obj_parent[i], 64, "%s", o->parent_id ? o->parent_id : "");
	snprintf(r->obj_lod[i], 8, "%s", o->lod ? o->lod : "");
	snprintf(r->attrs[i], sizeof(r->attrs[i]), "%s", o->attributes_json ? o->attributes_json : "");
	r->obj_has_fp[i] = o->footprint != NULL;
}

static void
r_surface(void *arg, const sr_city_surface *s)
{
	rec		   *r = arg;
	int			i = r->nsurf++;
	sr_err		e;

	if (i >= MAXS)
		return;
	snprintf(r->surf_obj[i], 64, "%s", s->object_id);
	snprintf(r->surf_type[i], 32, "%s", s->semantic_type ? s->semantic_type : "");
	snprintf(r->surf_lod[i], 8, "%s", s->lod ? s->lod : "");
	snprintf(r->surf_ref[i], 64, "%s", s->surface_ref ? s->surface_ref : "");
	r->surf_ref_len[i] = s->surface_ref ? strlen(s->surface_ref) : 0;
	r->plane[i] = s->plane;
	sr_err_clear(&e);
	sr_wkb_read_mpoly(s->geom, s->geom_len, &r->geom[i], &e);
}

static void
r_skip(void *arg, const char *obj, const char *reason)
{
	rec		   *r = arg;
	int			i = r->nskip++;

	if (i >= 64)
		return;
	snprintf(r->skip[i], 256, "%s", reason);
	snprintf(r->skip_obj[i], 64, "%s", obj ? obj : "");
}

static void
r_meta(void *arg, const char *k, const char *v)
{
	rec		   *r = arg;

	if (r->nmeta < 16)
	{
		snprintf(r->meta[r->nmeta][0], 128, "%s", k);
		snprintf(r->meta[r->nmeta][1], 128, "%s", v);
		r->nmeta++;
	}
}

static const char *
meta(const rec *r, const char *k)
{
	for (int i = 0; i < r->nmeta; i++)
		if (strcmp(r->meta[i][0], k) == 0)
			return r->meta[i][1];
	return "";
}

static int
count_type(const rec *r, const char *t)
{
	int			n = 0;

	for (int i = 0; i < r->nsurf && i < MAXS; i++)
		n += strcmp(r->surf_type[i], t) == 0;
	return n;
}

static int
find_skip(const rec *r, const char *obj, const char *part)
{
	for (int i = 0; i < r->nskip && i < 64; i++)
		if ((obj == NULL || strcmp(r->skip_obj[i], obj) == 0) && strstr(r->skip[i], part))
			return 1;
	return 0;
}

static void
rec_free(rec *r)
{
	for (int i = 0; i < r->nsurf && i < MAXS; i++)
		sr_mpoly_free(&r->geom[i]);
}

static sr_status
run_json(const char *doc, const sr_city_import_opts *o, int target_srid, rec *r, sr_err *err)
{
	sr_jdoc    *d;
	sr_jreader	rd;
	sr_jv		root;
	sr_city_sink sink = {r, r_object, r_surface, r_skip, r_meta};
	char		crs[32];
	sr_city_target t = {target_srid, crs, NULL, NULL};
	sr_status	st;

	snprintf(crs, sizeof(crs), "EPSG:%d", target_srid);
	memset(r, 0, sizeof(*r));
	sr_err_clear(err);
	if ((st = sr_jdoc_parse(doc, strlen(doc), &d, err)) != SR_OK)
		return st;
	sr_jdoc_reader(d, &rd, &root);
	st = sr_cityjson_import(&rd, &root, o, &t, &sink, err);
	sr_jdoc_free(d);
	return st;
}

/* A CityJSONSeq given as a JSON array of its lines (as the glue passes it). */
static sr_status
run_seq(const char *lines, const sr_city_import_opts *o, int target_srid, rec *r, sr_err *err)
{
	sr_jdoc    *d;
	sr_jreader	rd;
	sr_jv		root;
	sr_city_sink sink = {r, r_object, r_surface, r_skip, r_meta};
	char		crs[32];
	sr_city_target t = {target_srid, crs, NULL, NULL};
	sr_status	st;

	snprintf(crs, sizeof(crs), "EPSG:%d", target_srid);
	memset(r, 0, sizeof(*r));
	sr_err_clear(err);
	if ((st = sr_jdoc_parse(lines, strlen(lines), &d, err)) != SR_OK)
		return st;
	sr_jdoc_reader(d, &rd, &root);
	st = sr_cityjsonseq_import(&rd, &root, o, &t, &sink, err);
	sr_jdoc_free(d);
	return st;
}

static sr_status
run_gml(const char *doc, const sr_city_import_opts *o, int target_srid, rec *r, sr_err *err)
{
	sr_citygml *g;
	sr_city_sink sink = {r, r_object, r_surface, r_skip, r_meta};
	char		crs[32];
	sr_city_target t = {target_srid, crs, NULL, NULL};
	sr_status	st;

	snprintf(crs, sizeof(crs), "EPSG:%d", target_srid);
	memset(r, 0, sizeof(*r));
	sr_err_clear(err);
	if ((st = sr_citygml_open(doc, strlen(doc), &g, err)) != SR_OK)
		return st;
	st = sr_citygml_import(g, o, &t, &sink, err);
	sr_citygml_close(g);
	return st;
}

static void
opts_default(sr_city_import_opts *o)
{
	sr_options_defaults(&sr_city_cityjson_optset, o);
}

/* ---------- tests ---------- */

static void
test_json(void)
{
	const char *t = "{\"a\": [1, -2.5e2, true, null, \"x\\u00e9\\n\\ud83d\\ude00\"], \"b\": {}, \"a\": 7}";
	sr_jdoc    *d;
	sr_jreader	r;
	sr_jv		root,
				v,
				e;
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_jdoc_parse(t, strlen(t), &d, &err) == SR_OK, "json: parses");
	sr_jdoc_reader(d, &r, &root);
	SR_CHECK(root.kind == SR_J_OBJ && root.n == 3, "json: an object of 3 members");
	SR_CHECK(r.get(r.arg, &root, "a", &v) && v.kind == SR_J_NUM && v.num == 7,
			 "json: a name given twice: the last wins (as jsonb)");
	r.member(r.arg, &root, 0, &e, &v);
	SR_CHECK(sr_jv_streq(&e, "a") && v.kind == SR_J_ARR && v.n == 5, "json: members in order");
	r.at(r.arg, &v, 1, &e);
	SR_CHECK(e.kind == SR_J_NUM && e.num == -250, "json: exponent");
	r.at(r.arg, &v, 2, &e);
	SR_CHECK(e.kind == SR_J_BOOL && e.num == 1, "json: true");
	r.at(r.arg, &v, 3, &e);
	SR_CHECK(e.kind == SR_J_NULL, "json: null");
	r.at(r.arg, &v, 4, &e);
	SR_CHECK(e.kind == SR_J_STR && e.n == 8 && memcmp(e.str, "x\xc3\xa9\n\xf0\x9f\x98\x80", 8) == 0,
			 "json: escapes, \\u and a surrogate pair decoded to UTF-8");
	SR_CHECK(!r.get(r.arg, &root, "zz", &e) && e.kind == SR_J_NULL, "json: absent member");
	sr_jdoc_free(d);
	SR_CHECK(sr_jdoc_parse("[1, 2", 5, &d, &err) == SR_ESYNTAX && strstr(err.msg, "invalid JSON"),
			 "json: unterminated array refused");
	sr_err_clear(&err);
	SR_CHECK(sr_jdoc_parse("{\"a\" 1}", 7, &d, &err) == SR_ESYNTAX, "json: missing colon refused");
	sr_err_clear(&err);
	SR_CHECK(sr_jdoc_parse("[1] x", 5, &d, &err) == SR_ESYNTAX, "json: trailing characters refused");
	sr_err_clear(&err);
	/* PostgreSQL's message style: "invalid", never "unknown" (scripts/check_messages.py) */
	SR_CHECK(sr_jdoc_parse("[tru]", 5, &d, &err) == SR_ESYNTAX &&
			 strcmp(err.msg, "invalid JSON: invalid literal at byte 1") == 0,
			 "json: a misspelt literal refused as an invalid literal, at its byte");
}

static void
test_crs_names(void)
{
	const char *names[] = {"EPSG:2154", "urn:ogc:def:crs:EPSG::7415", "urn:ogc:def:crs:EPSG:6.3:3946",
		"https://www.opengis.net/def/crs/EPSG/0/7415", "http://www.opengis.net/def/crs/EPSG/0/28992",
		"urn:ogc:def:crs,crs:EPSG::3946,crs:EPSG::5490",
		"http://www.opengis.net/def/crs-compound?1=http://www.opengis.net/def/crs/EPSG/0/28992&2=http://www.opengis.net/def/crs/EPSG/0/5709",
		"urn:adv:crs:ETRS89_UTM32*DE_DHHN2016_NH", "epsg:4326", "local", "",
		/* PROJ's compound syntax, horizontal + vertical (it gave 5720, the height) */
		"EPSG:2154+5720", "EPSG:28992+5709"};
	int			want[] = {2154, 7415, 3946, 7415, 28992, 3946, 28992, 25832, 4326, 0, 0, 2154, 28992};

	for (int i = 0; i < 13; i++)
	{
		char		d[160];

		snprintf(d, sizeof(d), "crs name \"%.100s\" -> %d", names[i], want[i]);
		SR_CHECK(sr_crs_epsg_from_name(names[i], strlen(names[i])) == want[i], d);
	}
}

static void
test_rings(void)
{
	double		a[] = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, 0};	/* closed triangle */
	double		b[] = {0, 0, 0, 1, 0, 0, 1, 0, 0, 2, 0, 0};	/* collinear */
	double		c[] = {0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0};	/* 2 distinct */
	double		d[] = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};	/* GML, not closed */
	double		e[] = {0, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0};	/* JSON: open square */
	const char *why = NULL;

	SR_CHECK(sr_city_ring_check(a, 4, 1, &why) == 3, "ring: closed triangle has 3 points");
	SR_CHECK(sr_city_ring_check(b, 4, 0, &why) == 0 && strstr(why, "collapsed"),
			 "ring: collinear points are collapsed to a line");
	SR_CHECK(sr_city_ring_check(c, 4, 0, &why) == 0 && strstr(why, "fewer than 3"),
			 "ring: 2 distinct points");
	SR_CHECK(sr_city_ring_check(d, 4, 1, &why) == 0 && strstr(why, "not closed"),
			 "ring: a GML ring must be closed");
	SR_CHECK(sr_city_ring_check(e, 4, 0, &why) == 4, "ring: a CityJSON ring is implicitly closed");
	/* bow-ties: (0,0) (2,2) (2,0) (0,2) has two triangles of 1 m2 turning
	 * opposite ways (Newell area 0), its edges crossing at (1,1): it was
	 * "collapsed to a line"; an asymmetric one, (0,0) (4,4) (4,0) (0,2),
	 * crossing at (4/3, 4/3) (lobes of 16/3 and 4/3 m2 turning opposite
	 * ways, net area 4), was kept */
	{
		double		bow[] = {0, 0, 5, 2, 2, 5, 2, 0, 5, 0, 2, 5};
		double		wall[] = {0, 0, 0, 2, 0, 2, 2, 0, 0, 0, 0, 2};	/* vertical bow-tie */
		double		asym[] = {0, 0, 0, 4, 4, 0, 4, 0, 0, 0, 2, 0};
		double		spike[] = {0, 0, 0, 4, 0, 0, 4, 4, 0, 4, 0, 0};	/* out and back */

		SR_CHECK(sr_city_ring_check(bow, 4, 0, &why) == 0 && strcmp(why, "crosses itself") == 0,
				 "ring: a symmetric bow-tie crosses itself (not collapsed to a line)");
		SR_CHECK(sr_city_ring_check(wall, 4, 0, &why) == 0 && strcmp(why, "crosses itself") == 0,
				 "ring: a vertical symmetric bow-tie crosses itself");
		SR_CHECK(sr_city_ring_check(asym, 4, 0, &why) == 0 && strcmp(why, "crosses itself") == 0,
				 "ring: an asymmetric bow-tie crosses itself");
		SR_CHECK(sr_city_ring_check(spike, 4, 0, &why) == 0 && strcmp(why, "is collapsed to a line") == 0,
				 "ring: a ring going out and back has no area and crosses nothing: collapsed");
	}
	/* holes: a U-shaped exterior (a notch x 4..6, y 4..10) and holes whose
	 * corners are all inside it */
	{
		double		u[] = {0, 0, 0, 10, 0, 0, 10, 10, 0, 6, 10, 0, 6, 4, 0, 4, 4, 0, 4, 10, 0, 0, 10, 0};
		double		across[] = {1, 5, 0, 9, 5, 0, 9, 8, 0, 1, 8, 0};	/* spans the notch */
		double		ok1[] = {1, 1, 0, 3, 1, 0, 3, 3, 0, 1, 3, 0};
		double		ok2[] = {3, 1, 0, 5, 1, 0, 5, 3, 0, 3, 3, 0};	/* touches ok1 along x = 3 */
		double		over[] = {2, 2, 0, 4, 2, 0, 4, 3.5, 0, 2, 3.5, 0};	/* crosses ok1, ok2 */
		double		inner[] = {1.5, 1.5, 0, 2.5, 1.5, 0, 2.5, 2.5, 0, 1.5, 2.5, 0};	/* inside ok1 */
		double		big[] = {0.5, 0.5, 0, 3.5, 0.5, 0, 3.5, 3.5, 0, 0.5, 3.5, 0};	/* around ok1 */
		double		far[] = {20, 1, 0, 22, 1, 0, 22, 3, 0, 20, 3, 0};
		double		ok1_rev[] = {3, 3, 0, 3, 1, 0, 1, 1, 0, 1, 3, 0};
		double		half[] = {1, 1, 0, 2, 1, 0, 2, 3, 0, 1, 3, 0};
		double		beside[] = {5, 1, 0, 6, 1, 0, 6, 3, 0, 5, 3, 0};
		sr_city_poly p = {0};
		const char *r;

		sr_city_poly_add_ring(&p, u, 8);
		r = sr_city_hole_check(&p, across, 4);
		SR_CHECK(r && strcmp(r, "crosses the exterior ring") == 0,
				 "holes: corners inside, edges across the notch: crosses the exterior ring");
		SR_CHECK(sr_city_ring_inside(&p, across, 4), "holes: (every corner of it is inside)");
		r = sr_city_hole_check(&p, far, 4);
		SR_CHECK(r && strcmp(r, "lies outside the exterior ring") == 0, "holes: a hole beside: outside");
		SR_CHECK(sr_city_hole_check(&p, ok1, 4) == NULL, "holes: a hole inside is kept");
		sr_city_poly_add_ring(&p, ok1, 4);
		SR_CHECK(sr_city_hole_check(&p, ok2, 4) == NULL, "holes: a hole touching another along an edge is kept");
		sr_city_poly_add_ring(&p, ok2, 4);
		r = sr_city_hole_check(&p, over, 4);
		SR_CHECK(r && strcmp(r, "overlaps another interior ring") == 0, "holes: edges crossing a kept hole: overlaps");
		r = sr_city_hole_check(&p, inner, 4);
		SR_CHECK(r && strcmp(r, "overlaps another interior ring") == 0, "holes: a hole inside a kept hole: overlaps");
		r = sr_city_hole_check(&p, big, 4);
		SR_CHECK(r && strcmp(r, "overlaps another interior ring") == 0, "holes: a hole around a kept hole: overlaps");
		/* the same ring as ok1 twice: every corner on ok1's boundary, no edge
		 * crossing, yet the same 4 m2 (kept before 2026-12-06) */
		r = sr_city_hole_check(&p, ok1, 4);
		SR_CHECK(r && strcmp(r, "overlaps another interior ring") == 0, "holes: the same ring as a kept hole: overlaps");
		r = sr_city_hole_check(&p, ok1_rev, 4);
		SR_CHECK(r && strcmp(r, "overlaps another interior ring") == 0,
				 "holes: the same ring from another corner, the other way round: overlaps");
		r = sr_city_hole_check(&p, half, 4);
		SR_CHECK(r && strcmp(r, "overlaps another interior ring") == 0,
				 "holes: the left half of a kept hole (corners on its boundary): overlaps");
		SR_CHECK(sr_city_hole_check(&p, beside, 4) == NULL,
				 "holes: a hole sharing ok2's corner (5, 1) and edge x = 5 from outside is kept");
		sr_city_poly_free(&p);
	}
	/* tiny holes, in Lambert-93 coordinates: a 20 m square (x 842000 ..
	 * 842020, y 6519000 .. 6519020, z 170) and holes of a few millimetres.
	 * The same 5 mm hole given twice was kept (the probe beside an edge
	 * skipped edges of 8 mm or less, and a hole under 5 mm across has no
	 * point 4 mm beside an edge and 1 mm inside it), as was a 2 m x 4 mm
	 * sliver given twice; now they overlap as a large one does, and tiny
	 * holes that only touch are kept.  Area by hand: 400 - 3 x 25e-6 (t1,
	 * t2, t3: 5 mm squares) - 1e-6 (t4: 1 mm) - 2 x 0.004 (the sliver)
	 * = 399.991924 m2 (the old core kept the five: 11 rings) */
	{
		const double X = 842000,
					Y = 6519000;
		double		ext[] = {X, Y, 170, X + 20, Y, 170, X + 20, Y + 20, 170, X, Y + 20, 170};
		double		t1[] = {X + 5, Y + 5, 170, X + 5.005, Y + 5, 170, X + 5.005, Y + 5.005, 170, X + 5, Y + 5.005, 170};
		double		t1_rev[] = {X + 5.005, Y + 5.005, 170, X + 5.005, Y + 5, 170, X + 5, Y + 5, 170, X + 5, Y + 5.005, 170};
		double		t1_half[] = {X + 5, Y + 5, 170, X + 5.0025, Y + 5, 170, X + 5.0025, Y + 5.005, 170, X + 5, Y + 5.005, 170};
		/* t2 shares t1's edge x = 5.005 from outside; t3 only t2's corner
		 * (5.010, 5.005); t4, 1 mm across, stands apart */
		double		t2[] = {X + 5.005, Y + 5, 170, X + 5.01, Y + 5, 170, X + 5.01, Y + 5.005, 170, X + 5.005, Y + 5.005, 170};
		double		t3[] = {X + 5.01, Y + 5.005, 170, X + 5.015, Y + 5.005, 170, X + 5.015, Y + 5.01, 170, X + 5.01, Y + 5.01, 170};
		double		t4[] = {X + 10, Y + 10, 170, X + 10.001, Y + 10, 170, X + 10.001, Y + 10.001, 170, X + 10, Y + 10.001, 170};
		double		sliver[] = {X + 1, Y + 1, 170, X + 3, Y + 1, 170, X + 3, Y + 1.004, 170, X + 1, Y + 1.004, 170};
		double	   *keep[] = {t1, t2, t3, t4, sliver};
		const char *keep_name[] = {"t1 (5 mm)", "t2 (5 mm, t1's edge shared)", "t3 (5 mm, t2's corner shared)",
		"t4 (1 mm, apart)", "the 2 m x 4 mm sliver"};
		double	   *twice[] = {t1, t1_rev, t1_half, t4, sliver};
		const char *twice_name[] = {"the 5 mm hole t1", "t1 from another corner the other way round",
		"the left half of t1", "the 1 mm hole t4", "the 2 m x 4 mm sliver"};
		sr_city_poly p = {0};
		sr_city_plane pl;
		char		msg[160];
		const char *r;

		sr_city_poly_add_ring(&p, ext, 4);
		for (int i = 0; i < 5; i++)
		{
			r = sr_city_hole_check(&p, keep[i], 4);
			snprintf(msg, sizeof(msg), "tiny holes: %s is kept", keep_name[i]);
			SR_CHECK(r == NULL, msg);
			if (r == NULL)
				sr_city_poly_add_ring(&p, keep[i], 4);
		}
		for (int i = 0; i < 5; i++)
		{
			r = sr_city_hole_check(&p, twice[i], 4);
			snprintf(msg, sizeof(msg), "tiny holes: %s given again overlaps", twice_name[i]);
			SR_CHECK(r && strcmp(r, "overlaps another interior ring") == 0, msg);
			if (r == NULL)
				sr_city_poly_add_ring(&p, twice[i], 4);	/* as the importers would */
		}
		SR_CHECK(p.nrings == 6 && sr_city_plane_fit(p.xyz, p.ring_npts, p.nrings, &pl) &&
				 fabs(pl.area - 399.991924) < 1e-7,
				 "tiny holes: 6 rings, 400 - 3 x 25e-6 - 1e-6 - 0.008 = 399.991924 m2");
		if (getenv("SR_DUMP"))
			printf("# tiny holes: %d rings, area %.9f\n", p.nrings, pl.area);
		sr_city_poly_free(&p);
	}
}

static void
test_planes(void)
{
	/* the south side of a gable: eaves at y=0 z=3, ridge at y=4 z=6 */
	double		roof[] = {0, 0, 3, 10, 0, 3, 10, 4, 6, 0, 4, 6};
	int			n4[] = {4};
	/* a wall along x at y=0 facing south (counter-clockwise seen from the
	 * south: x grows, then up) */
	double		wall[] = {0, 0, 0, 10, 0, 0, 10, 0, 3, 0, 0, 3};
	/* a ground square seen from below: clockwise seen from above */
	double		ground[] = {0, 0, 0, 0, 10, 0, 10, 10, 0, 10, 0, 0};
	/* a square with a square hole */
	double		holed[] = {0, 0, 0, 10, 0, 0, 10, 10, 0, 0, 10, 0, 2, 2, 0, 2, 4, 0, 4, 4, 0, 4, 2, 0};
	int			n44[] = {4, 4};
	/* a warped quad: one corner 0.1 m up */
	double		warped[] = {0, 0, 0, 10, 0, 0, 10, 10, 0.1, 0, 10, 0};
	sr_city_plane p;

	SR_CHECK(sr_city_plane_fit(roof, n4, 1, &p), "plane: roof fits");
	/* tilt = atan(3 / 4) = 36.8699 deg; it rises towards north, so it faces
	 * south; area = 10 x 5 */
	SR_CHECK_CLOSE(p.tilt, 36.86989764584402, 1e-9, "plane: gable side tilt atan(3/4)");
	SR_CHECK_CLOSE(p.azimuth, 180, 1e-9, "plane: gable side faces south");
	SR_CHECK_CLOSE(p.area, 50, 1e-9, "plane: gable side area 10 x 5");
	SR_CHECK_CLOSE(p.planarity, 0, 1e-12, "plane: planar");
	SR_CHECK(sr_city_plane_fit(wall, n4, 1, &p), "plane: wall fits");
	SR_CHECK_CLOSE(p.tilt, 90, 1e-9, "plane: wall tilt 90");
	SR_CHECK_CLOSE(p.azimuth, 180, 1e-9, "plane: wall faces south (its outward normal)");
	SR_CHECK(sr_city_plane_fit(ground, n4, 1, &p), "plane: ground fits");
	SR_CHECK_CLOSE(p.tilt, 180, 1e-9, "plane: ground faces down (tilt 180)");
	SR_CHECK_CLOSE(p.area, 100, 1e-9, "plane: ground area");
	SR_CHECK(sr_city_plane_fit(holed, n44, 2, &p), "plane: holed square fits");
	SR_CHECK_CLOSE(p.area, 96, 1e-9, "plane: the hole is subtracted");
	SR_CHECK(sr_city_plane_fit(warped, n4, 1, &p), "plane: warped quad fits");
	/* least squares through (0,0,0) (10,0,0) (10,10,.1) (0,10,0): the best
	 * plane leaves each corner 0.025 m off */
	SR_CHECK_CLOSE(p.planarity, 0.025, 1e-6, "plane: planarity error of a warped quad");
}

static void
test_cityjson(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	/* one house: a MultiSurface gable (LoD 2.2) and an LoD 1 block; a part;
	 * a templated chimney; transform 1 mm */
	const char *doc =
		"{\"type\": \"CityJSON\", \"version\": \"2.0\","
		" \"transform\": {\"scale\": [0.001, 0.001, 0.001], \"translate\": [1000, 2000, 100]},"
		" \"metadata\": {\"referenceSystem\": \"https://www.opengis.net/def/crs/EPSG/0/2154\"},"
		" \"CityObjects\": {"
		"  \"h1\": {\"type\": \"Building\", \"attributes\": {\"height\": 6},"
		"    \"children\": [\"h1-p\"],"
		"    \"geometry\": ["
		"     {\"type\": \"MultiSurface\", \"lod\": \"2.2\","
		"      \"boundaries\": [[[0,1,2,3]], [[4,5,6,7]], [[0,3,7]], [[1,6,2]], [[8,9,10]],"
		"                       [[0,1,11]], [[12,13,14,15]]],"
		"      \"semantics\": {\"surfaces\": [{\"type\": \"RoofSurface\"}, {\"type\": \"WallSurface\"}],"
		"                     \"values\": [0, 0, 1, null, 1, 1, 0]}},"
		"     {\"type\": \"MultiSurface\", \"lod\": \"1\", \"boundaries\": [[[0,1,2,3]]]}]},"
		"  \"h1-p\": {\"type\": \"BuildingPart\", \"parents\": [\"h1\"],"
		"    \"geometry\": [{\"type\": \"GeometryInstance\", \"template\": 0, \"boundaries\": [16],"
		"      \"transformationMatrix\": [2,0,0,0, 0,1,0,0, 0,0,1,0, 0,0,0,1]}]},"
		"  \"empty\": {\"type\": \"CityFurniture\"}"
		" },"
		" \"geometry-templates\": {\"templates\": [{\"type\": \"MultiSurface\", \"lod\": \"2\","
		"     \"boundaries\": [[[0,1,2,3]]], \"semantics\": {\"surfaces\": [{\"type\": \"RoofSurface\"}], \"values\": [0]}}],"
		"   \"vertices-templates\": [[0,0,1],[1,0,1],[1,1,1],[0,1,1]]},"
		" \"vertices\": ["
		/* 0-3 south roof plane: eaves y=0 z=3, ridge y=4 z=6 (mm units) */
		"  [0,0,3000],[10000,0,3000],[10000,4000,6000],[0,4000,6000],"
		/* 4-7 north roof plane: ridge y=4 z=6, eaves y=8 z=3, written so
		 * that it turns counter-clockwise seen from above */
		"  [0,4000,6000],[10000,4000,6000],[10000,8000,3000],[0,8000,3000],"
		/* 8-10 a degenerate triangle (collinear) */
		"  [0,0,0],[5000,0,0],[10000,0,0],"
		/* 11: a duplicate of 1 -> fewer than 3 distinct points */
		"  [10000,0,3000],"
		/* 12-15 a flat roof facing down (to be turned over) */
		"  [20000,0,5000],[20000,10000,5000],[30000,10000,5000],[30000,0,5000],"
		/* 16 the chimney's reference point */
		"  [5000,4000,6000]"
		" ]}";

	opts_default(&o);
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK, "cityjson: imports");
	SR_CHECK(r->nobj == 3, "cityjson: 3 objects (one without geometry)");
	SR_CHECK(strcmp(r->obj_id[0], "h1") == 0 && strcmp(r->obj_lod[0], "2.2") == 0,
			 "cityjson: the highest LoD (2.2) by default");
	SR_CHECK(strcmp(r->obj_type[1], "BuildingPart") == 0 && strcmp(r->obj_parent[1], "h1") == 0,
			 "cityjson: a BuildingPart with its parent");
	SR_CHECK(strcmp(r->obj_lod[2], "") == 0 && !r->obj_has_fp[2], "cityjson: no geometry, no LoD, no footprint");
	/* h1: surfaces 0,1 roofs, 2 wall, 3 null, 4 collapsed, 5 two points, 6 roof */
	SR_CHECK(count_type(r, "RoofSurface") == 4, "cityjson: 3 roofs of h1 and the template's");
	SR_CHECK(count_type(r, "WallSurface") == 1, "cityjson: one wall (the others are invalid)");
	SR_CHECK(count_type(r, "") == 1, "cityjson: a null semantic value gives no type");
	SR_CHECK(find_skip(r, "h1", "surface 4 (WallSurface): exterior ring is collapsed to a line"),
			 "cityjson: collapsed ring reported with the object id");
	SR_CHECK(find_skip(r, "h1", "surface 5 (WallSurface): exterior ring has fewer than 3 distinct points"),
			 "cityjson: ring of 2 distinct points reported");
	SR_CHECK_CLOSE(r->plane[0].tilt, 36.86989764584402, 1e-6, "cityjson: south roof tilt atan(3/4) after the transform");
	SR_CHECK_CLOSE(r->plane[0].azimuth, 180, 1e-6, "cityjson: south roof faces south");
	SR_CHECK_CLOSE(r->plane[1].azimuth, 0, 1e-6, "cityjson: north roof faces north");
	SR_CHECK_CLOSE(r->plane[0].area, 50, 1e-6, "cityjson: true 3D area 10 x 5");
	SR_CHECK(r->geom[0].npolys == 1 && r->geom[0].srid == 2154 &&
			 fabs(r->geom[0].xyz[0] - 1000) < 1e-9 && fabs(r->geom[0].xyz[2] - 103) < 1e-9,
			 "cityjson: scale and translate applied (vertex 0 at 1000, 2000, 103)");
	{
		int			flat = -1;

		for (int i = 0; i < r->nsurf; i++)
			if (strcmp(r->surf_obj[i], "h1") == 0 && fabs(r->plane[i].area - 100) < 1e-6)
				flat = i;
		SR_CHECK(flat >= 0 && r->plane[flat].tilt < 1e-6, "cityjson: a roof facing down is turned over");
	}
	{
		/* the chimney template: x scaled by 2, at the reference point
		 * (1005, 2004, 106), z + 1 */
		int			ch = -1;

		for (int i = 0; i < r->nsurf; i++)
			if (strcmp(r->surf_obj[i], "h1-p") == 0)
				ch = i;
		SR_CHECK(ch >= 0 && fabs(r->plane[ch].area - 2) < 1e-9 &&
				 fabs(r->geom[ch].xyz[0] - 1005) < 1e-9 && fabs(r->geom[ch].xyz[1] - 2004) < 1e-9 &&
				 fabs(r->geom[ch].xyz[2] - 107) < 1e-9,
				 "cityjson: a GeometryInstance through its matrix at its reference point");
		SR_CHECK(ch >= 0 && strcmp(r->surf_lod[ch], "2") == 0, "cityjson: an instance has its template's LoD");
	}
	SR_CHECK(strcmp(meta(r, "source_srid"), "2154") == 0, "cityjson: CRS from metadata.referenceSystem");
	rec_free(r);

	/* LoD option */
	o.lod = 1;
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 &&
			 strcmp(r->obj_lod[0], "1") == 0, "cityjson: option lod 1 takes the LoD 1 geometry");
	SR_CHECK(find_skip(r, "h1-p", "no geometry at LoD 1"), "cityjson: an object without that LoD is reported");
	rec_free(r);
	o.lod = 2;
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK && strcmp(r->obj_lod[0], "2.2") == 0,
			 "cityjson: option lod 2 matches LoD 2.2");
	rec_free(r);
	o.lod = 2.1;
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK && strcmp(r->obj_lod[0], "") == 0,
			 "cityjson: option lod 2.1 matches only 2.1");
	rec_free(r);
	opts_default(&o);
	o.srid = 3946;
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "EPSG:2154 but option \"srid\" is 3946"),
			 "cityjson: a file's CRS and a different option are an error");
	rec_free(r);
	free(r);
}

/* Numbers past int64 or past a double: a boundary index is out of range
 * like -1 (a skip), a vertex that is not finite once dequantised is 22003
 * naming it (the glue reads every jsonb number as a double). */
static void
test_cityjson_numbers(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	char		doc[1024];
	const char *fmt =
		"{\"type\": \"CityJSON\", \"version\": \"2.0\", %s"
		" \"metadata\": {\"referenceSystem\": \"EPSG:2154\"},"
		" \"CityObjects\": {\"a\": {\"type\": \"Building\", \"geometry\": ["
		"   {\"type\": \"MultiSurface\", \"lod\": \"2\", \"boundaries\": [[[0, 1, %s]], [[0, 1, 2]]]}]}},"
		" \"vertices\": [[842000, 6519000, 170], [842010, 6519000, 170], [842010, 6519010, %s]]}";
	const char *idx[] = {"100000000000000000000", "9223372036854775808", "2147483648", "1e400", "-1", "1.5"};

	opts_default(&o);
	for (int i = 0; i < 6; i++)
	{
		char		desc[128];

		snprintf(doc, sizeof(doc), fmt, "", idx[i], "175");
		snprintf(desc, sizeof(desc), "cityjson numbers: boundary index %s is a vertex index out of range (skipped)", idx[i]);
		SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 &&
				 find_skip(r, "a", "surface 0: exterior ring has a vertex index out of range"), desc);
		rec_free(r);
	}
	/* a vertex past int64 but within a double is a coordinate like any:
	 * 1e20 m up, over a 10 m base, the triangle is collapsed to a line */
	snprintf(doc, sizeof(doc), fmt, "", "2", "100000000000000000000");
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK && r->nsurf == 0 &&
			 find_skip(r, "a", "surface 1: exterior ring is collapsed to a line"),
			 "cityjson numbers: a vertex z of 1e20 is read, and its surfaces skipped by the ring check");
	rec_free(r);
	/* the document of sql/city3d_errors.sql with vertex 1 at z = 1e20 */
	{
		const char *mine =
			"{\"type\": \"CityJSON\", \"version\": \"2.0\","
			" \"metadata\": {\"referenceSystem\": \"urn:ogc:def:crs:EPSG::2154\"},"
			" \"CityObjects\": {\"a\": {\"type\": \"Building\", \"geometry\": ["
			"   {\"type\": \"MultiSurface\", \"lod\": \"2\", \"boundaries\": [[[0, 1, 2]]]}]}},"
			" \"vertices\": [[842000, 6519000, 170], [842010, 6519000, 100000000000000000000], [842010, 6519010, 175]]}";

		SR_CHECK(run_json(mine, &o, 2154, r, &err) == SR_OK && r->nsurf == 0 && r->nskip == 1 &&
				 strcmp(r->skip[0], "geometry 0, surface 0: exterior ring is collapsed to a line") == 0,
				 "cityjson numbers: sql/city3d_errors.sql's vertex of 1e20: one surface skipped, collapsed");
		rec_free(r);
	}
	/* past a double: infinity, refused naming the vertex */
	snprintf(doc, sizeof(doc), fmt, "", "2", "1e400");
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_ERANGE && strstr(err.msg, "vertex 2 is out of range") &&
			 strstr(err.detail, "coordinate 2"), "cityjson numbers: a vertex of 1e400 is 22003 naming vertex 2");
	rec_free(r);
	/* a scale of 1e308: finite, positive, but the vertices overflow */
	snprintf(doc, sizeof(doc), fmt, "\"transform\": {\"scale\": [1e308, 1, 1], \"translate\": [0, 0, 0]},",
			 "2", "175");
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_ERANGE && strstr(err.msg, "vertex 0 is out of range") &&
			 strstr(err.detail, "scale 1e+308"), "cityjson numbers: a scale of 1e308 is 22003 naming vertex 0");
	rec_free(r);
	snprintf(doc, sizeof(doc), fmt, "\"transform\": {\"scale\": [1, 1, 1], \"translate\": [1e400, 0, 0]},",
			 "2", "175");
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "translate must be numbers"),
			 "cityjson numbers: a translate of 1e400 is refused by the transform's check");
	rec_free(r);
	free(r);
}

static void
test_cityjson_solids(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	char		doc[8192];
	const char *verts =
		"[0,0,0],[10,0,0],[10,10,0],[0,10,0],[0,0,10],[10,0,10],[10,10,10],[0,10,10],"
		"[20,0,0],[30,0,0],[30,10,0],[20,10,0],[20,0,10],[30,0,10],[30,10,10],[20,10,10]";
	const char *sem =
		"{\"type\": \"GroundSurface\"}, {\"type\": \"WallSurface\"}, {\"type\": \"RoofSurface\"}";

	/* CityJSON 1.0: no transform, a numeric LoD, the CRS as a URN; a
	 * Solid, a MultiSolid of two cubes, a CompositeSolid, a solid inside
	 * out, a MultiPoint */
	{
		const char *c0 = "[[[3,2,1,0]],[[0,1,5,4]],[[1,2,6,5]],[[2,3,7,6]],[[3,0,4,7]],[[4,5,6,7]]]";
		const char *c1 = "[[[11,10,9,8]],[[8,9,13,12]],[[9,10,14,13]],[[10,11,15,14]],[[11,8,12,15]],[[12,13,14,15]]]";
		/* the same cube, inside out (every ring reversed) */
		const char *c2 = "[[[0,1,2,3]],[[4,5,1,0]],[[5,6,2,1]],[[6,7,3,2]],[[7,4,0,3]],[[7,6,5,4]]]";

		snprintf(doc, sizeof(doc),
				 "{\"type\": \"CityJSON\", \"version\": \"1.0\","
				 " \"metadata\": {\"referenceSystem\": \"urn:ogc:def:crs:EPSG::2154\"},"
				 " \"CityObjects\": {"
				 "  \"s\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"Solid\", \"lod\": 2,"
				 "     \"boundaries\": [%s], \"semantics\": {\"surfaces\": [%s], \"values\": [[0,1,1,1,1,2]]}}]},"
				 "  \"m\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"MultiSolid\", \"lod\": 2,"
				 "     \"boundaries\": [[%s], [%s]],"
				 "     \"semantics\": {\"surfaces\": [%s], \"values\": [[[0,1,1,1,1,2]], null]}}]},"
				 "  \"c\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"CompositeSolid\", \"lod\": 2,"
				 "     \"boundaries\": [[%s]]}]},"
				 "  \"x\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"Solid\", \"lod\": 2,"
				 "     \"boundaries\": [%s], \"semantics\": {\"surfaces\": [%s], \"values\": [[0,1,1,1,1,2]]}}]},"
				 "  \"p\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"MultiPoint\", \"lod\": 0, \"boundaries\": [0, 1]}]}"
				 " }, \"vertices\": [%s]}",
				 c0, sem, c0, c1, sem, c1, c2, sem, verts);
	}
	opts_default(&o);
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK, "cityjson 1.0: imports");
	SR_CHECK(r->nobj == 5, "cityjson 1.0: 5 objects");
	SR_CHECK(strcmp(r->obj_lod[0], "2") == 0, "cityjson 1.0: a numeric LoD");
	{
		int			ns = 0,
					nm = 0,
					nc = 0,
					nx = 0;

		for (int i = 0; i < r->nsurf; i++)
		{
			ns += strcmp(r->surf_obj[i], "s") == 0;
			nm += strcmp(r->surf_obj[i], "m") == 0;
			nc += strcmp(r->surf_obj[i], "c") == 0;
			nx += strcmp(r->surf_obj[i], "x") == 0;
		}
		SR_CHECK(ns == 6 && nm == 12 && nc == 6 && nx == 6, "cityjson: Solid 6, MultiSolid 12, CompositeSolid 6 surfaces");
	}
	/* s (3 types) + m's first solid (3 types) + x */
	SR_CHECK(count_type(r, "RoofSurface") == 3 && count_type(r, "GroundSurface") == 3 &&
			 count_type(r, "WallSurface") == 12 && count_type(r, "") == 12,
			 "cityjson: semantics of Solid and MultiSolid values, a null array gives no types");
	{
		int			ok = 1;

		for (int i = 0; i < r->nsurf; i++)
			if (strcmp(r->surf_obj[i], "x") == 0 && strcmp(r->surf_type[i], "RoofSurface") == 0)
				ok = ok && fabs(r->plane[i].tilt) < 1e-9;
			else if (strcmp(r->surf_obj[i], "x") == 0 && strcmp(r->surf_type[i], "GroundSurface") == 0)
				ok = ok && fabs(r->plane[i].tilt - 180) < 1e-9;
		SR_CHECK(ok && strcmp(meta(r, "reoriented_surfaces"), "6") == 0,
				 "cityjson: a solid turned inside out is turned back (6 surfaces)");
		ok = 1;
		for (int i = 0; i < r->nsurf; i++)
			if (strcmp(r->surf_obj[i], "s") == 0 && strcmp(r->surf_type[i], "WallSurface") == 0)
				ok = ok && fabs(r->plane[i].tilt - 90) < 1e-9;
		SR_CHECK(ok, "cityjson: walls at 90 deg");
		/* the wall 0-1-5-4 (y = 0) faces south, 1-2-6-5 (x = 10) east */
		SR_CHECK_CLOSE(r->plane[1].azimuth, 180, 1e-9, "cityjson: wall y=0 faces south");
		SR_CHECK_CLOSE(r->plane[2].azimuth, 90, 1e-9, "cityjson: wall x=10 faces east");
	}
	SR_CHECK(find_skip(r, "p", "geometry type MultiPoint is not imported"), "cityjson: a MultiPoint is reported");
	rec_free(r);

	/* no CRS anywhere */
	SR_CHECK(run_json("{\"type\": \"CityJSON\", \"version\": \"2.0\", \"CityObjects\": {}, \"vertices\": []}",
					  &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "names no coordinate reference system"),
			 "cityjson: a file without a CRS needs option srid");
	o.srid = 2154;
	SR_CHECK(run_json("{\"type\": \"CityJSON\", \"version\": \"2.0\", \"CityObjects\": {}, \"vertices\": []}",
					  &o, 2154, r, &err) == SR_OK, "cityjson: ... and takes it");
	SR_CHECK(run_json("{\"type\": \"CityJSON\", \"version\": \"3.0\", \"CityObjects\": {}, \"vertices\": []}",
					  &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "version \"3.0\""),
			 "cityjson: an unknown version is refused");
	/* a line of a CityJSONSeq: told what it is and what to do, not "not CityJSON" */
	SR_CHECK(run_json("{\"type\": \"CityJSONFeature\", \"id\": \"a\", \"CityObjects\": {\"a\": {\"type\": \"Building\"}},"
					  " \"vertices\": []}", &o, 2154, r, &err) == SR_EINVAL &&
			 strcmp(err.msg, "a CityJSONFeature is not imported") == 0 && strstr(err.detail, "CityJSONSeq") &&
			 strstr(err.hint, "cjseq collect"),
			 "cityjson: a CityJSONFeature is refused with what it is and how to collect it");
	SR_CHECK(run_json("{\"type\": \"FeatureCollection\"}", &o, 2154, r, &err) == SR_EINVAL &&
			 strstr(err.msg, "not CityJSON"), "cityjson: another JSON document is refused");
	free(r);
}

/* Semantic values that index no semantic surface: the surface is imported
 * without a type and reported, not silently untyped (found 2026-12-05 by
 * importing hand-made documents as a hub owner would). */
static void
test_cityjson_bad_semantics(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	/* a: values 5 and -1 among 1 semantic surface, 1.5, "0", then a valid 0
	 * and a null; b: a Solid whose values are written as a MultiSurface's
	 * ([0, 0] where [[0, 0]] belongs) */
	const char *doc =
		"{\"type\": \"CityJSON\", \"version\": \"2.0\","
		" \"metadata\": {\"referenceSystem\": \"EPSG:2154\"},"
		" \"CityObjects\": {"
		"  \"a\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"MultiSurface\", \"lod\": \"2\","
		"    \"boundaries\": [[[0,1,2,3]], [[0,1,2,3]], [[0,1,2,3]], [[0,1,2,3]], [[0,1,2,3]], [[0,1,2,3]]],"
		"    \"semantics\": {\"surfaces\": [{\"type\": \"RoofSurface\"}], \"values\": [5, -1, 1.5, \"0\", 0, null]}}]},"
		"  \"b\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"Solid\", \"lod\": \"2\","
		"    \"boundaries\": [[[[0,1,2,3]], [[0,1,2,3]]]],"
		"    \"semantics\": {\"surfaces\": [{\"type\": \"RoofSurface\"}], \"values\": [0, 0]}}]}"
		" },"
		" \"vertices\": [[842000, 6519000, 170], [842010, 6519000, 170], [842010, 6519010, 170], [842000, 6519010, 170]]}";

	opts_default(&o);
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK && r->nsurf == 8, "cityjson semantics: every surface imported");
	SR_CHECK(count_type(r, "RoofSurface") == 1 && count_type(r, "") == 7,
			 "cityjson semantics: one valid index, one null, six bad ones without a type");
	SR_CHECK(r->nskip == 6, "cityjson semantics: the six bad values reported, the null one not");
	SR_CHECK(find_skip(r, "a", "geometry 0, surface 0: its semantic value is not an index of the 1 semantic surfaces (imported without a type)") &&
			 find_skip(r, "a", "surface 3: its semantic value") && !find_skip(r, "a", "surface 4:") &&
			 !find_skip(r, "a", "surface 5:"),
			 "cityjson semantics: 5, -1, 1.5 and \"0\" reported with their surface, 0 and null not");
	SR_CHECK(find_skip(r, "b", "geometry 0, surface 0: its semantic value") &&
			 find_skip(r, "b", "geometry 0, surface 1: its semantic value"),
			 "cityjson semantics: a Solid's values written one level too shallow are reported");
	rec_free(r);
	/*
	 * values without a "surfaces" array (the specification requires both):
	 * the values name types that are nowhere, so the surfaces are imported
	 * without a type and the geometry reported once (they lost their types
	 * silently); a null values array with no surfaces loses nothing
	 */
	{
		const char *ns =
			"{\"type\": \"CityJSON\", \"version\": \"2.0\", \"metadata\": {\"referenceSystem\": \"EPSG:2154\"},"
			" \"CityObjects\": {"
			"  \"c\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"MultiSurface\", \"lod\": \"2\","
			"    \"boundaries\": [[[0,1,2,3]], [[0,1,2,3]]], \"semantics\": {\"values\": [0, 0]}}]},"
			"  \"d\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"Solid\", \"lod\": \"2\","
			"    \"boundaries\": [[[[0,1,2,3]], [[0,1,2,3]]]], \"semantics\": {\"surfaces\": {\"type\": \"RoofSurface\"}, \"values\": [[0, 0]]}}]},"
			"  \"e\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"MultiSurface\", \"lod\": \"2\","
			"    \"boundaries\": [[[0,1,2,3]]], \"semantics\": {\"values\": null}}]}"
			" },"
			" \"vertices\": [[842000, 6519000, 170], [842010, 6519000, 170], [842010, 6519010, 170], [842000, 6519010, 170]]}";

		SR_CHECK(run_json(ns, &o, 2154, r, &err) == SR_OK && r->nsurf == 5 && count_type(r, "") == 5,
				 "cityjson semantics: values without surfaces, every surface imported without a type");
		SR_CHECK(r->nskip == 2 &&
				 find_skip(r, "c", "geometry 0: its semantics have \"values\" but no \"surfaces\" array (its surfaces imported without a type)") &&
				 find_skip(r, "d", "geometry 0: its semantics have \"values\" but no \"surfaces\" array") &&
				 !find_skip(r, "e", "geometry 0"),
				 "cityjson semantics: values without a surfaces array reported once a geometry, a null values not");
		rec_free(r);
	}
	/* a 2.0 file without a transform (the specification requires one): the
	 * vertices are the coordinates, a 10 m square roof is 100 m2 */
	{
		const char *nt =
			"{\"type\": \"CityJSON\", \"version\": \"2.0\", \"metadata\": {\"referenceSystem\": \"EPSG:2154\"},"
			" \"CityObjects\": {\"a\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"MultiSurface\", \"lod\": \"2\","
			"    \"boundaries\": [[[0,1,2,3]]]}]}},"
			" \"vertices\": [[842000, 6519000, 170], [842010, 6519000, 170], [842010, 6519010, 170], [842000, 6519010, 170]]}";

		SR_CHECK(run_json(nt, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 && r->nskip == 0 &&
				 fabs(r->plane[0].area - 100) < 1e-6 && fabs(r->geom[0].xyz[0] - 842000) < 1e-9,
				 "cityjson: a 2.0 file without a transform reads its vertices as coordinates");
		rec_free(r);
	}
	free(r);
}

/*
 * A CityJSONSeq: two features, each with its own vertex list (local
 * indices), quantised by the header's transform (1 cm): the same 10 m
 * squares (100 m2) as one document would give; a feature line before the
 * header, or a header line in place of a feature, is refused.
 */
static void
test_cityjsonseq(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	const char *seq =
		"[{\"type\": \"CityJSON\", \"version\": \"2.0\", \"transform\": {\"scale\": [0.01, 0.01, 0.01],"
		"   \"translate\": [842000, 6519000, 170]}, \"metadata\": {\"referenceSystem\": \"EPSG:2154\"},"
		"   \"CityObjects\": {}, \"vertices\": []},"
		" {\"type\": \"CityJSONFeature\", \"id\": \"a\", \"CityObjects\": {\"a\": {\"type\": \"Building\","
		"   \"geometry\": [{\"type\": \"MultiSurface\", \"lod\": \"2\", \"boundaries\": [[[0,1,2,3]]],"
		"   \"semantics\": {\"surfaces\": [{\"type\": \"RoofSurface\"}], \"values\": [0]}}]}},"
		"   \"vertices\": [[0,0,1000], [1000,0,1000], [1000,1000,1000], [0,1000,1000]]},"
		" {\"type\": \"CityJSONFeature\", \"id\": \"b\", \"CityObjects\": {\"b\": {\"type\": \"Building\","
		"   \"geometry\": [{\"type\": \"MultiSurface\", \"lod\": \"2\", \"boundaries\": [[[3,2,1,0]]]}]}},"
		"   \"vertices\": [[5000,6000,0], [5000,5000,0], [6000,5000,0], [6000,6000,0]]}]";

	opts_default(&o);
	SR_CHECK(run_seq(seq, &o, 2154, r, &err) == SR_OK && r->nsurf == 2 && r->nskip == 0,
			 "cityjsonseq: two features imported");
	SR_CHECK(count_type(r, "RoofSurface") == 1 && fabs(r->plane[0].area - 100) < 1e-6 &&
			 fabs(r->plane[1].area - 100) < 1e-6,
			 "cityjsonseq: each feature's 10 m square (1000 x 0.01 m) is 100 m2, the roof typed");
	{
		/* the boxes: a at (842000..842010, 6519000..6519010, 180), b at
		 * (842050..842060, 6519050..6519060, 170) */
		double		lo[2][3] = {{INFINITY, INFINITY, INFINITY}, {INFINITY, INFINITY, INFINITY}},
					hi[2][3] = {{-INFINITY, -INFINITY, -INFINITY}, {-INFINITY, -INFINITY, -INFINITY}};
		const double want[2][6] = {{842000, 6519000, 180, 842010, 6519010, 180},
		{842050, 6519050, 170, 842060, 6519060, 170}};
		int			ok = 1;

		for (int g = 0; g < 2; g++)
		{
			for (int k = 0; k < r->geom[g].npts; k++)
				for (int d = 0; d < 3; d++)
				{
					lo[g][d] = fmin(lo[g][d], r->geom[g].xyz[3 * k + d]);
					hi[g][d] = fmax(hi[g][d], r->geom[g].xyz[3 * k + d]);
				}
			for (int d = 0; d < 3; d++)
				if (fabs(lo[g][d] - want[g][d]) > 1e-6 || fabs(hi[g][d] - want[g][3 + d]) > 1e-6)
					ok = 0;
		}
		SR_CHECK(ok, "cityjsonseq: each feature's local indices and the header's transform");
	}
	rec_free(r);
	SR_CHECK(run_seq("[{\"type\": \"CityJSONFeature\", \"id\": \"a\", \"CityObjects\": {}, \"vertices\": []}]",
					 &o, 2154, r, &err) == SR_EINVAL &&
			 strcmp(err.msg, "line 1 of the CityJSONSeq is not a CityJSON object") == 0,
			 "cityjsonseq: a feature first is refused");
	SR_CHECK(run_seq("[{\"type\": \"CityJSON\", \"version\": \"2.0\", \"metadata\": {\"referenceSystem\": \"EPSG:2154\"}},"
					 " {\"type\": \"CityJSON\", \"version\": \"2.0\"}]", &o, 2154, r, &err) == SR_EINVAL &&
			 strcmp(err.msg, "line 2 of the CityJSONSeq is not a CityJSONFeature") == 0,
			 "cityjsonseq: a second header is refused");
	rec_free(r);
	free(r);
}

/* A Solid with an interior shell (a cavity): the cavity's faces turn into
 * it, away from the material, as ISO 19107 and CityJSON orient them. Read
 * shell by shell, the interior shell looked inside out and was turned over
 * (its floor facing down, its ceiling up: an untyped ceiling became a roof
 * face of the cadastre); the Solid is now one orientation group. */
static void
test_cityjson_interior_shell(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	/* a 10 m cube with a 2 m cavity at 4..6 m (Newell normals checked in
	 * Python: exterior outward, interior into the cavity) */
	const char *doc =
		"{\"type\": \"CityJSON\", \"version\": \"2.0\", \"metadata\": {\"referenceSystem\": \"EPSG:2154\"},"
		" \"CityObjects\": {\"c\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"Solid\", \"lod\": \"2\","
		"   \"boundaries\": [[[[0,2,3,1]],[[4,5,7,6]],[[0,1,5,4]],[[2,6,7,3]],[[0,4,6,2]],[[1,3,7,5]]],"
		"                    [[[9,11,10,8]],[[14,15,13,12]],[[12,13,9,8]],[[11,15,14,10]],[[10,14,12,8]],[[13,15,11,9]]]]}]}},"
		" \"vertices\": [[842000,6519000,170],[842010,6519000,170],[842000,6519010,170],[842010,6519010,170],"
		"  [842000,6519000,180],[842010,6519000,180],[842000,6519010,180],[842010,6519010,180],"
		"  [842004,6519004,174],[842006,6519004,174],[842004,6519006,174],[842006,6519006,174],"
		"  [842004,6519004,176],[842006,6519004,176],[842004,6519006,176],[842006,6519006,176]]}";

	opts_default(&o);
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_OK && r->nsurf == 12, "cityjson cavity: 12 surfaces");
	SR_CHECK(strcmp(meta(r, "reoriented_surfaces"), "0") == 0, "cityjson cavity: nothing turned over");
	SR_CHECK_CLOSE(r->plane[0].tilt, 180, 1e-9, "cityjson cavity: the cube's floor faces down");
	SR_CHECK_CLOSE(r->plane[1].tilt, 0, 1e-9, "cityjson cavity: the cube's top faces up");
	SR_CHECK_CLOSE(r->plane[6].tilt, 0, 1e-9, "cityjson cavity: the cavity's floor faces up, into the cavity");
	SR_CHECK_CLOSE(r->plane[7].tilt, 180, 1e-9, "cityjson cavity: the cavity's ceiling faces down, into the cavity");
	SR_CHECK_CLOSE(r->plane[8].azimuth, 0, 1e-9, "cityjson cavity: the cavity's south wall faces north, into it");
	rec_free(r);
	free(r);
}

static void
test_proj(void)
{
	sr_crs_transform *a,
			   *b;
	sr_err		err;
	double		p[3] = {1841520.0, 5175888.0, 200.0},
				q[3];
	int			bp;

	sr_err_clear(&err);
	SR_CHECK(sr_crs_transform_create("EPSG:3946", "EPSG:2154", &a, &err) == SR_OK, "proj: 3946 -> 2154");
	SR_CHECK(sr_crs_transform_create("EPSG:2154", "EPSG:3946", &b, &err) == SR_OK, "proj: 2154 -> 3946");
	memcpy(q, p, sizeof(q));
	sr_crs_transform_apply(a, q, 1, &err);
	/* Lyon in Lambert-93: about x 841,400 y 6,520,400, z kept */
	SR_CHECK(fabs(q[0] - 841408) < 5 && fabs(q[1] - 6520395) < 5 && q[2] == 200,
			 "proj: Lyon CC46 to Lambert-93, z carried through");
	sr_crs_transform_apply(b, q, 1, &err);
	SR_CHECK(fabs(q[0] - p[0]) < 1e-6 && fabs(q[1] - p[1]) < 1e-6, "proj: round trip within a micrometre");
	sr_crs_transform_desc(a, &bp);
	SR_CHECK(!bp, "proj: CC46 to Lambert-93 is not a ballpark transformation");
	sr_crs_transform_free(a);
	sr_crs_transform_free(b);
	SR_CHECK(sr_crs_transform_create("EPSG:28992", "EPSG:2154", &a, &err) == SR_OK, "proj: RD New -> 2154");
	q[0] = 92000;
	q[1] = 436000;
	q[2] = 5;
	sr_crs_transform_apply(a, q, 1, &err);
	sr_crs_transform_desc(a, &bp);
	SR_CHECK(bp, "proj: RD New to Lambert-93 is a ballpark one (reported)");
	sr_crs_transform_free(a);

	/* coordinates of another CRS than the declared one: the Lambert-93 point
	 * of Lyon read as CC46 lies 1.32e6 m north of CC46's origin at 46 N (its
	 * false northing 5,200,000), about 58 N, far from the zone's 45-47 N;
	 * Rotterdam's RD New point read as Lambert-93 is 6,160 km south of the
	 * origin at 46.5 N (false northing 6,600,000); the same points in their
	 * own CRS are inside (EPSG's areas of use: France between 45 and 47 N,
	 * France, the Netherlands).  The identity counts too (no PROJ operation
	 * for the points, one to lon/lat for the check) */
	{
		char		area[128];
		double		cc46[6] = {1841520.0, 5175888.0, 200.0, 841408.0, 6520395.0, 200.0},
					l93[9] = {841408.0, 6520395.0, 200.0, 92000.0, 436000.0, 5.0, NAN, 0.0, 0.0},
					rd[3] = {92000.0, 436000.0, 5.0};

		SR_CHECK(sr_crs_transform_create("EPSG:3946", "EPSG:2154", &a, &err) == SR_OK, "proj: 3946 -> 2154 again");
		SR_CHECK(sr_crs_transform_outside(a, cc46, 1, area, sizeof(area)) == 0 && strstr(area, "45") && strstr(area, "47"),
				 "area of use: Lyon in CC46 is inside CC46's (France between 45 and 47 N)");
		SR_CHECK(sr_crs_transform_outside(a, cc46 + 3, 1, NULL, 0) == 1,
				 "area of use: Lyon's Lambert-93 coordinates read as CC46 are outside (58 N)");
		sr_crs_transform_free(a);
		SR_CHECK(sr_crs_transform_create("EPSG:2154", "EPSG:2154", &a, &err) == SR_OK, "proj: the identity");
		SR_CHECK(sr_crs_transform_outside(a, l93, 1, area, sizeof(area)) == 0 && strstr(area, "France") &&
				 area[strlen(area) - 1] != '.',
				 "area of use: Lyon in Lambert-93 is inside France (the name without its final stop)");
		SR_CHECK(sr_crs_transform_outside(a, l93, 3, NULL, 0) == 2,
				 "area of use: RD New coordinates and a NaN read as Lambert-93 are outside");
		sr_crs_transform_free(a);
		SR_CHECK(sr_crs_transform_create("EPSG:7415", "EPSG:28992", &a, &err) == SR_OK, "proj: RD New + NAP -> RD New");
		SR_CHECK(sr_crs_transform_outside(a, rd, 1, area, sizeof(area)) == 0 && strstr(area, "Netherlands"),
				 "area of use: Rotterdam in RD New + NAP (a compound CRS) is inside the Netherlands");
		sr_crs_transform_free(a);
	}
	/* a world CRS: Web Mercator's area of use is every longitude, 85.06 S to
	 * 85.06 N (EPSG), and its x is within +-pi R = +-20037508.34 m (R =
	 * 6378137).  Its lon lat say nothing of a point beyond that x: PROJ wraps
	 * it round (x 3e7 m is 3e7 / R = 4.70356 rad = 269.49 deg, given back as
	 * 90.51 W), so the point is mapped back and compared (the round trip:
	 * 90.51 W is x -10075016.7).  And a world area has no zone edge to widen:
	 * y 2.1e7 is 2 atan(exp(2.1e7 / R)) - 90 = 2 atan(26.913) - 90 = 85.744 N,
	 * outside 85.06 (it passed with the degree of margin, to 86.06 N); y 2e7
	 * is 2 atan(23.007) - 90 = 85.022 N, inside.  Paris (2.3522 E, 48.8566 N)
	 * is x = R 2.3522 pi / 180 = 261845.7, y = R ln tan(45 + 24.4283 deg) =
	 * 6250566.7; the antimeridian's x +-20037508.34 is on the map.  Before,
	 * none of the five was outside. */
	{
		double		wm[15] = {261845.7, 6250566.7, 0, 20037508.342789244, 0, 0, 30000000.0, 6250566.7, 0,
			261845.7, 21000000.0, 0, 261845.7, 20000000.0, 0},
					west[3] = {-20037508.342789244, 0, 0},
					geo[9] = {180.5, 0, 0, -179.5, 0, 0, 179.9, 45, 0},
					polar[6] = {-44, 59.5, 0, -44, 58.5, 0};
		char		area[128];

		SR_CHECK(sr_crs_transform_create("EPSG:3857", "EPSG:2154", &a, &err) == SR_OK, "proj: 3857 -> 2154");
		SR_CHECK(sr_crs_transform_outside(a, wm, 1, area, sizeof(area)) == 0 && strstr(area, "85.06"),
				 "area of use: Paris in Web Mercator is inside the world between 85.06 S and N");
		SR_CHECK(sr_crs_transform_outside(a, wm, 5, NULL, 0) == 2,
				 "area of use: Web Mercator's x beyond 20037508.34 m and 85.74 N outside, 85.02 N and the antimeridian inside");
		SR_CHECK(sr_crs_transform_outside(a, wm + 6, 1, NULL, 0) == 1 && sr_crs_transform_outside(a, wm + 9, 1, NULL, 0) == 1,
				 "area of use: the wrapped x and the latitude past 85.06 each outside");
		SR_CHECK(sr_crs_transform_outside(a, west, 1, NULL, 0) == 0,
				 "area of use: the west edge -20037508.34 m is on the map");
		sr_crs_transform_free(a);
		/* a geographic CRS of the world: longitude 180.5 is past its edge (it
		 * passed with the margin), 179.5 W and 179.9 E are on it */
		SR_CHECK(sr_crs_transform_create("EPSG:4326", "EPSG:2154", &a, &err) == SR_OK, "proj: 4326 -> 2154");
		SR_CHECK(sr_crs_transform_outside(a, geo, 3, NULL, 0) == 1,
				 "area of use: WGS 84's longitude 180.5 outside, -179.5 and 179.9 inside");
		sr_crs_transform_free(a);
		/* every longitude but one hemisphere (NSIDC's polar stereographic, north
		 * of 60 N): its south edge is a zone's, widened by the degree as before;
		 * the points written in it by PROJ from lon lat */
		SR_CHECK(sr_crs_transform_create("EPSG:4326", "EPSG:3413", &a, &err) == SR_OK &&
				 sr_crs_transform_apply(a, polar, 2, &err) == SR_OK, "proj: 4326 -> 3413");
		sr_crs_transform_free(a);
		SR_CHECK(sr_crs_transform_create("EPSG:3413", "EPSG:3413", &a, &err) == SR_OK, "proj: 3413 itself");
		SR_CHECK(sr_crs_transform_outside(a, polar, 1, NULL, 0) == 0 && sr_crs_transform_outside(a, polar + 3, 1, NULL, 0) == 1,
				 "area of use: a polar CRS keeps its margin: 59.5 N inside, 58.5 N outside");
		sr_crs_transform_free(a);
	}
	sr_err_clear(&err);
	SR_CHECK(sr_crs_transform_create("EPSG:999999", "EPSG:2154", &a, &err) == SR_EINVAL &&
			 strstr(err.msg, "could not create a transformation from EPSG:999999") && strstr(err.detail, "PROJ"),
			 "proj: an unknown code is an error with PROJ's message");
}

static const char *gml2 =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<CityModel xmlns=\"http://www.opengis.net/citygml/2.0\" xmlns:gml=\"http://www.opengis.net/gml\""
	" xmlns:bldg=\"http://www.opengis.net/citygml/building/2.0\" xmlns:gen=\"http://www.opengis.net/citygml/generics/2.0\""
	" xmlns:app=\"http://www.opengis.net/citygml/appearance/2.0\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">"
	"<gml:boundedBy><gml:Envelope srsName=\"urn:ogc:def:crs,crs:EPSG::2154,crs:EPSG::5720\" srsDimension=\"3\">"
	"<gml:lowerCorner>0 0 0</gml:lowerCorner><gml:upperCorner>10 8 6</gml:upperCorner></gml:Envelope></gml:boundedBy>"
	"<cityObjectMember><bldg:Building gml:id=\"B1\">"
	" <gen:stringAttribute name=\"usage\"><gen:value>house</gen:value></gen:stringAttribute>"
	" <gen:doubleAttribute name=\"volume\"><gen:value>420.5</gen:value></gen:doubleAttribute>"
	" <bldg:measuredHeight uom=\"m\">6</bldg:measuredHeight>"
	" <bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface><gml:surfaceMember><gml:Polygon>"
	"  <gml:exterior><gml:LinearRing><gml:posList>0 0 0 10 0 0 10 8 0 0 8 0</gml:posList></gml:LinearRing></gml:exterior>"
	" </gml:Polygon></gml:surfaceMember></gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>"
	" <bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id=\"B1-1\">"
	"  <app:appearance><app:Appearance><app:theme>x</app:theme></app:Appearance></app:appearance>"
	"  <bldg:lod2Solid><gml:Solid><gml:exterior><gml:CompositeSurface>"
	"   <gml:surfaceMember xlink:href=\"#R1\"/><gml:surfaceMember xlink:href=\"#R2\"/>"
	"   <gml:surfaceMember><gml:Polygon gml:id=\"W9\"><gml:exterior><gml:LinearRing>"
	"    <gml:pos>10 0 0</gml:pos><gml:pos>10 8 0</gml:pos><gml:pos>10 8 3</gml:pos><gml:pos>10 4 6</gml:pos><gml:pos>10 0 3</gml:pos><gml:pos>10 0 0</gml:pos>"
	"   </gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>"
	"   <gml:surfaceMember xlink:href=\"#NOPE\"/>"
	"  </gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod2Solid>"
	"  <bldg:lod2MultiCurve><gml:MultiCurve/></bldg:lod2MultiCurve>"
	"  <bldg:boundedBy><bldg:RoofSurface gml:id=\"RS1\"><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>"
	"   <gml:Polygon gml:id=\"R1\"><gml:exterior><gml:LinearRing><gml:posList srsDimension=\"3\">"
	"    0 0 3 10 0 3 10 4 6 0 4 6 0 0 3</gml:posList></gml:LinearRing></gml:exterior>"
	"   <gml:interior><gml:LinearRing><gml:posList>4 1 3.75 4 2 4.5 6 2 4.5 6 1 3.75 4 1 3.75</gml:posList></gml:LinearRing></gml:interior>"
	"   </gml:Polygon></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>"
	"  <bldg:boundedBy><bldg:RoofSurface gml:id=\"RS2\"><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>"
	"   <gml:Polygon gml:id=\"R2\"><gml:exterior><gml:LinearRing><gml:posList>"
	"    0 4 6 10 4 6 10 8 3 0 8 3 0 4 6</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
	"   </gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:RoofSurface></bldg:boundedBy>"
	"  <bldg:boundedBy><bldg:WallSurface gml:id=\"WS1\"><bldg:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>"
	"   <gml:Polygon gml:id=\"W1\"><gml:exterior><gml:LinearRing><gml:posList>"
	"    0 0 0 10 0 0 10 0 3 0 0 3 0 0 0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
	"   </gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:WallSurface></bldg:boundedBy>"
	"  <bldg:boundedBy><bldg:GroundSurface gml:id=\"GS1\"><bldg:lod2MultiSurface><gml:MultiSurface srsDimension=\"2\"><gml:surfaceMember>"
	"   <gml:Polygon gml:id=\"G1\"><gml:exterior><gml:LinearRing><gml:posList>"
	"    0 0 0 8 10 8 10 0 0 0</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
	"   </gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:GroundSurface></bldg:boundedBy>"
	" </bldg:BuildingPart></bldg:consistsOfBuildingPart>"
	"</bldg:Building></cityObjectMember>"
	"</CityModel>";

static void
dump(const rec *r, const sr_err *err)
{
	printf("# err %d %s | %s\n", err->status, err->msg, err->detail);
	for (int i = 0; i < r->nobj; i++)
		printf("# obj %s %s parent=%s lod=%s\n", r->obj_id[i], r->obj_type[i], r->obj_parent[i], r->obj_lod[i]);
	for (int i = 0; i < r->nobj; i++)
		printf("# attrs %s %s\n", r->obj_id[i], r->attrs[i]);
	for (int i = 0; i < r->nsurf; i++)
		printf("# surf %s %s ref=%s tilt=%g az=%g area=%g\n", r->surf_obj[i], r->surf_type[i], r->surf_ref[i],
			   r->plane[i].tilt, r->plane[i].azimuth, r->plane[i].area);
	for (int i = 0; i < r->nskip; i++)
		printf("# skip %s: %s\n", r->skip_obj[i], r->skip[i]);
	for (int i = 0; i < r->nmeta; i++)
		printf("# meta %s = %s\n", r->meta[i][0], r->meta[i][1]);
}

/* Object ids are stored whole, up to 255 bytes, in both formats; a longer
 * one is refused (22023) naming its start.  Until 2026-12-07 the CityGML
 * reader cut a gml:id at 255 bytes silently, and a CityJSON key of 5,000
 * bytes failed in the hub's index ("index row size 5016 exceeds btree
 * version 4 maximum 2704"). */
static void
test_object_ids(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	char		id[400],
				doc[1400];
	int			ok = 1;

	opts_default(&o);
	o.srid = 2154;
	for (int len = 255; len <= 256; len++)
	{
		memset(id, 'k', len);
		id[len] = '\0';
		snprintf(doc, sizeof(doc), "{\"type\": \"CityJSON\", \"version\": \"2.0\", \"CityObjects\": "
				 "{\"%s\": {\"type\": \"Building\"}}, \"vertices\": []}", id);
		if (len == 255)
			ok = run_json(doc, &o, 2154, r, &err) == SR_OK && r->nobj == 1 && r->obj_id_len[0] == 255;
		else
			ok = run_json(doc, &o, 2154, r, &err) == SR_EINVAL && r->nobj == 0 &&
				strstr(err.msg, "city object id \"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...\" is longer than 255 bytes") &&
				strstr(err.detail, "The id has 256 bytes");
		if (!ok)
			dump(r, &err);
		SR_CHECK(ok, len == 255 ? "ids: a CityJSON key of 255 bytes, whole" : "ids: a CityJSON key of 256 bytes is refused, named");
	}
	snprintf(doc, sizeof(doc), "{\"type\": \"CityJSON\", \"version\": \"2.0\", \"CityObjects\": "
			 "{\"p\": {\"type\": \"BuildingPart\", \"parents\": [\"%s\"]}}, \"vertices\": []}", id);
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "parent id \"kkkk"),
			 "ids: a CityJSON parent id of 256 bytes is refused");
	for (int len = 255; len <= 300; len += 45)
	{
		memset(id, 'g', len);
		id[len] = '\0';
		snprintf(doc, sizeof(doc), "<CityModel xmlns=\"http://www.opengis.net/citygml/2.0\" xmlns:gml=\"http://www.opengis.net/gml\""
				 " xmlns:bldg=\"http://www.opengis.net/citygml/building/2.0\"><cityObjectMember>"
				 "<bldg:Building gml:id=\"%s\"/></cityObjectMember></CityModel>", id);
		if (len == 255)
			ok = run_gml(doc, &o, 2154, r, &err) == SR_OK && r->nobj == 1 && r->obj_id_len[0] == 255;
		else
			ok = run_gml(doc, &o, 2154, r, &err) == SR_EINVAL && r->nobj == 0 &&
				strstr(err.msg, "is longer than 255 bytes") && strstr(err.detail, "The id has 300 bytes");
		if (!ok)
			dump(r, &err);
		SR_CHECK(ok, len == 255 ? "ids: a gml:id of 255 bytes, whole" : "ids: a gml:id of 300 bytes is refused (it was cut to 255)");
	}
	/* a polygon's gml:id (surface_ref): whole up to 255 bytes (it was cut
	 * at 127), refused past */
	for (int len = 200; len <= 256; len += 56)
	{
		char		gml[1400];

		memset(id, 'p', len);
		id[len] = '\0';
		snprintf(gml, sizeof(gml), "<CityModel xmlns=\"http://www.opengis.net/citygml/2.0\" xmlns:gml=\"http://www.opengis.net/gml\""
				 " xmlns:bldg=\"http://www.opengis.net/citygml/building/2.0\"><cityObjectMember><bldg:Building gml:id=\"B\">"
				 "<bldg:lod2MultiSurface><gml:MultiSurface srsName=\"EPSG:2154\"><gml:surfaceMember><gml:Polygon gml:id=\"%s\">"
				 "<gml:exterior><gml:LinearRing><gml:posList srsDimension=\"3\">842000 6519000 170 842010 6519000 170 "
				 "842010 6519010 175 842000 6519000 170</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"
				 "</gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember></CityModel>", id);
		if (len == 200)
			ok = run_gml(gml, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 && r->surf_ref_len[0] == 200;
		else
			ok = run_gml(gml, &o, 2154, r, &err) == SR_EINVAL &&
				strstr(err.msg, "polygon id \"pppp") && strstr(err.detail, "The id has 256 bytes");
		if (!ok)
			dump(r, &err);
		SR_CHECK(ok, len == 200 ? "ids: a polygon's gml:id of 200 bytes, whole (it was cut at 127)" : "ids: a polygon's gml:id of 256 bytes is refused");
	}
	/* a cut never splits a character: 39 bytes then a 2-byte one */
	snprintf(id, sizeof(id), "%039d\xc3\xa9%0260d", 0, 0);
	snprintf(doc, sizeof(doc), "{\"type\": \"CityJSON\", \"version\": \"2.0\", \"CityObjects\": "
			 "{\"%s\": {\"type\": \"Building\"}}, \"vertices\": []}", id);
	SR_CHECK(run_json(doc, &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "000\"") == NULL &&
			 strstr(err.msg, "0000...\" is longer"), "ids: the id's start is cut before a character, not inside it");
	free(r);
}

static void
test_citygml(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;

	opts_default(&o);
	SR_CHECK(run_gml(gml2, &o, 2154, r, &err) == SR_OK, "citygml 2.0: imports");
	if (getenv("SR_DUMP"))
		dump(r, &err);
	SR_CHECK(r->nobj == 2 && strcmp(r->obj_id[0], "B1") == 0 && strcmp(r->obj_id[1], "B1-1") == 0,
			 "citygml: a Building and its BuildingPart");
	SR_CHECK(strcmp(r->obj_parent[1], "B1") == 0 && strcmp(r->obj_type[1], "BuildingPart") == 0,
			 "citygml: the part's parent");
	SR_CHECK(strstr(r->attrs[0], "\"usage\": \"house\"") && strstr(r->attrs[0], "\"volume\": 420.5") &&
			 strstr(r->attrs[0], "\"measuredHeight\": 6"), "citygml: generic and simple attributes");
	SR_CHECK(strcmp(r->obj_lod[0], "1") == 0 && strcmp(r->obj_lod[1], "2") == 0,
			 "citygml: each object at its own highest LoD");
	SR_CHECK(find_skip(r, "B1", "exterior ring is not closed"), "citygml: an unclosed ring is reported");
	SR_CHECK(count_type(r, "RoofSurface") == 2 && count_type(r, "WallSurface") == 1 &&
			 count_type(r, "GroundSurface") == 1, "citygml: thematic surfaces with their type");
	SR_CHECK(count_type(r, "") == 1, "citygml: the solid's own polygon (not referenced) without a type");
	SR_CHECK(find_skip(r, "B1-1", "#NOPE is not in the file"), "citygml: a dangling xlink is reported");
	SR_CHECK(find_skip(r, "B1-1", "app:appearance is not imported"), "citygml: an appearance is reported");
	SR_CHECK(find_skip(r, "B1-1", "bldg:lod2MultiCurve is not imported"), "citygml: curves are reported");
	{
		int			ok = 0;

		for (int i = 0; i < r->nsurf; i++)
			if (strcmp(r->surf_ref[i], "R1") == 0)
				ok = r->geom[i].nrings == 2 && fabs(r->plane[i].area - (50 - 2 * 1.25)) < 1e-9 &&
					fabs(r->plane[i].tilt - 36.86989764584402) < 1e-9 && fabs(r->plane[i].azimuth - 180) < 1e-9;
		SR_CHECK(ok, "citygml: an interior ring (area 50 - 2 x 1.25) and the roof's plane");
		ok = 0;
		for (int i = 0; i < r->nsurf; i++)
			if (strcmp(r->surf_ref[i], "G1") == 0)
				ok = fabs(r->geom[i].xyz[2]) < 1e-12 && fabs(r->plane[i].tilt - 180) < 1e-9;
		SR_CHECK(ok, "citygml: srsDimension 2 (z = 0), a ground facing down");
		ok = 0;
		for (int i = 0; i < r->nsurf; i++)
			if (strcmp(r->surf_ref[i], "W9") == 0)
				ok = fabs(r->plane[i].azimuth - 90) < 1e-9 && fabs(r->plane[i].area - (8 * 3 + 0.5 * 8 * 3)) < 1e-9;
		SR_CHECK(ok, "citygml: gml:pos points, a gable wall facing east");
	}
	SR_CHECK(strcmp(meta(r, "version"), "\"2.0\"") == 0 && strcmp(meta(r, "source_srid"), "2154") == 0,
			 "citygml: version and the compound srsName's horizontal CRS");
	rec_free(r);

	o.srid = 3946;
	SR_CHECK(run_gml(gml2, &o, 2154, r, &err) == SR_EINVAL, "citygml: a different option srid is an error");
	rec_free(r);
	opts_default(&o);
	o.lod = 1;
	SR_CHECK(run_gml(gml2, &o, 2154, r, &err) == SR_OK && find_skip(r, "B1-1", "no geometry at LoD 1"),
			 "citygml: option lod 1 reports the part without LoD 1");
	rec_free(r);

	{
		/* CityGML 3.0: core:boundary, a CRS only in an option */
		const char *g3 =
			"<core:CityModel xmlns:core=\"http://www.opengis.net/citygml/3.0\" xmlns:gml=\"http://www.opengis.net/gml/3.2\""
			" xmlns:bldg=\"http://www.opengis.net/citygml/building/3.0\" xmlns:con=\"http://www.opengis.net/citygml/construction/3.0\">"
			"<core:cityObjectMember><bldg:Building gml:id=\"b3\">"
			" <core:boundary><con:RoofSurface gml:id=\"r3\"><core:lod2MultiSurface><gml:MultiSurface><gml:surfaceMember>"
			"  <gml:Polygon gml:id=\"p3\"><gml:exterior><gml:LinearRing><gml:posList>0 0 5 10 0 5 10 10 5 0 10 5 0 0 5</gml:posList>"
			"  </gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember></gml:MultiSurface></core:lod2MultiSurface></con:RoofSurface></core:boundary>"
			"</bldg:Building></core:cityObjectMember></core:CityModel>";

		opts_default(&o);
		SR_CHECK(run_gml(g3, &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "names no coordinate reference system"),
				 "citygml 3.0: no CRS and no option is an error");
		o.srid = 2154;
		SR_CHECK(run_gml(g3, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 &&
				 count_type(r, "RoofSurface") == 1 && strcmp(meta(r, "version"), "\"3.0\"") == 0,
				 "citygml 3.0: core:boundary thematic surfaces");
		rec_free(r);
	}
	{
		/* a CityModel without objects: its summary names no source CRS as
		 * null (it was "[null]", an array of one null) */
		rec		   *e = calloc(1, sizeof(rec));

		SR_CHECK(run_gml("<CityModel xmlns=\"http://www.opengis.net/citygml/2.0\"/>", &o, 2154, e, &err) == SR_OK &&
				 e->nobj == 0 && e->nsurf == 0 && strcmp(meta(e, "source_srid"), "null") == 0,
				 "citygml: an empty CityModel imports nothing, its source_srid null");
		free(e);
	}
	SR_CHECK(run_gml("<a><b></a>", &o, 2154, r, &err) == SR_ESYNTAX && strstr(err.msg, "invalid CityGML document"),
			 "citygml: malformed XML is a syntax error with libxml2's message");
	SR_CHECK(run_gml("<root/>", &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "not CityGML"),
			 "citygml: another XML document is refused");
	{
		/* an external entity is not loaded */
		const char *xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
			"<CityModel xmlns=\"http://www.opengis.net/citygml/2.0\"><gml:name xmlns:gml=\"http://www.opengis.net/gml\">&e;</gml:name></CityModel>";

		const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>"
			"<CityModel xmlns=\"http://www.opengis.net/citygml/2.0\"><gml:name xmlns:gml=\"http://www.opengis.net/gml\">&b;</gml:name></CityModel>";

		SR_CHECK(run_gml(xxe, &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "declares entities"),
				 "citygml: a document declaring an external entity is refused");
		SR_CHECK(run_gml(laughs, &o, 2154, r, &err) == SR_EINVAL && strstr(err.msg, "declares entities"),
				 "citygml: a document declaring internal entities (expansion) is refused");
		SR_CHECK(run_gml("<!DOCTYPE CityModel><CityModel xmlns=\"http://www.opengis.net/citygml/2.0\"/>", &o, 2154, r, &err) == SR_OK,
				 "citygml: a DOCTYPE without entities is fine");
	}
	free(r);
}

/* ---------- CityGML references: chains, cycles, budget, interrupts ---------- */

#define GML_HEAD \
	"<CityModel xmlns=\"http://www.opengis.net/citygml/2.0\" xmlns:gml=\"http://www.opengis.net/gml\"" \
	" xmlns:xlink=\"http://www.w3.org/1999/xlink\" xmlns:bldg=\"http://www.opengis.net/citygml/building/2.0\"" \
	" xmlns:gen=\"http://www.opengis.net/citygml/generics/2.0\">"
#define GML_POLY(id) \
	"<gml:Polygon gml:id=\"" id "\"><gml:exterior><gml:LinearRing><gml:posList>842000 6519000 170 842010 6519000 170" \
	" 842010 6519010 175 842000 6519000 170</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon>"

/* a document that does not finish is a failure, not a hang */
static const char *watchdog_what = "";

static void
watchdog(int sig)
{
	char		msg[256];
	int			l = snprintf(msg, sizeof(msg), "not ok - %s: did not finish in 60 s\n", watchdog_what);

	fflush(stdout);
	if (write(1, msg, l) < 0)
		_exit(2);
	_exit(1);
}

static double
now_seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* sr_check_interrupts() calls */
static long intr_calls;

static void
intr_count(void)
{
	intr_calls++;
}

/* a building F whose lod2MultiSurface holds CompositeSurface L0 (one
 * polygon) and L1 ... Ln, each with two surfaceMembers xlink:href to the
 * previous one: 2^n paths to the polygon; backwards: Ln first */
static char *
gml_chain(int n, int backwards)
{
	size_t		cap = 4096 + 200 * (size_t) n;
	char	   *d = malloc(cap);
	size_t		l = 0;

	l += snprintf(d + l, cap - l, GML_HEAD "<cityObjectMember><bldg:Building gml:id=\"F\"><bldg:lod2MultiSurface>"
				  "<gml:MultiSurface srsName=\"EPSG:2154\" srsDimension=\"3\">");
	for (int k = 0; k <= n; k++)
	{
		int			i = backwards ? n - k : k;

		if (i == 0)
			l += snprintf(d + l, cap - l, "<gml:surfaceMember><gml:CompositeSurface gml:id=\"L0\"><gml:surfaceMember>"
						  GML_POLY("P0") "</gml:surfaceMember></gml:CompositeSurface></gml:surfaceMember>");
		else
			l += snprintf(d + l, cap - l, "<gml:surfaceMember><gml:CompositeSurface gml:id=\"L%d\"><gml:surfaceMember xlink:href=\"#L%d\"/>"
						  "<gml:surfaceMember xlink:href=\"#L%d\"/></gml:CompositeSurface></gml:surfaceMember>", i, i - 1, i - 1);
	}
	snprintf(d + l, cap - l, "</gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember></CityModel>");
	return d;
}

/* Building B0 whose parts nest 11 deep (B1 in B0 ... B10 in B9), each with
 * a LoD2 polygon: parts 0-8 are read, B9 (with B10) is left out and
 * reported against its parent B8; before, silently (and its gml:id leaked). */
static void
test_citygml_deep_parts(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	char	   *d = malloc(32768);
	size_t		len = 0;

	opts_default(&o);
	len += snprintf(d + len, 32768 - len, "%s<cityObjectMember>", GML_HEAD);
	for (int i = 0; i <= 10; i++)
		len += snprintf(d + len, 32768 - len,
						"%s<bldg:%s gml:id=\"B%d\"><bldg:lod2MultiSurface><gml:MultiSurface srsName=\"EPSG:2154\"><gml:surfaceMember>"
						GML_POLY("P%d") "</gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface>",
						i ? "<bldg:consistsOfBuildingPart>" : "", i ? "BuildingPart" : "Building", i, i);
	for (int i = 10; i >= 0; i--)
		len += snprintf(d + len, 32768 - len, "</bldg:%s>%s", i ? "BuildingPart" : "Building",
						i ? "</bldg:consistsOfBuildingPart>" : "");
	len += snprintf(d + len, 32768 - len, "</cityObjectMember></CityModel>");
	SR_CHECK(len < 32768 && run_gml(d, &o, 2154, r, &err) == SR_OK, "citygml: parts nested 11 deep import");
	SR_CHECK(r->nobj == 9 && strcmp(r->obj_id[8], "B8") == 0 && strcmp(r->obj_parent[8], "B7") == 0,
			 "citygml: the parts down to 8 deep are read, each under its parent");
	SR_CHECK(r->nskip == 1 && find_skip(r, "B8", "bldg:BuildingPart nested more than 8 parts deep is left out"),
			 "citygml: the part nested deeper is reported, against its parent");
	rec_free(r);
	free(r);
	free(d);
}

static void
test_citygml_references(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	char	   *d;
	double		t0,
				t;

	opts_default(&o);
	signal(SIGALRM, watchdog);

	/* 1. a chain of 40: 2^40 paths to one polygon, given once */
	watchdog_what = "citygml: a chain of 40 double xlinks";
	alarm(60);
	d = gml_chain(40, 0);
	t0 = now_seconds();
	SR_CHECK(run_gml(d, &o, 2154, r, &err) == SR_OK, "citygml: a chain of 40 double xlinks imports");
	t = now_seconds() - t0;
	alarm(0);
	SR_CHECK(t < 0.5, "citygml: a chain of 40 double xlinks (2^40 paths) is walked in well under a second");
	SR_CHECK(r->nobj == 1 && r->nsurf == 1 && strcmp(r->surf_ref[0], "P0") == 0 && r->nskip == 0,
			 "citygml: the chain's polygon is the object's once, nothing to report");
	rec_free(r);
	free(d);

	/* the same backwards: each link is first reached 2 levels deeper than
	 * the one before, past the nesting bound, which is reported */
	watchdog_what = "citygml: a chain of 40 double xlinks, backwards";
	alarm(60);
	d = gml_chain(40, 1);
	t0 = now_seconds();
	SR_CHECK(run_gml(d, &o, 2154, r, &err) == SR_OK, "citygml: the chain backwards imports");
	t = now_seconds() - t0;
	alarm(0);
	SR_CHECK(t < 0.5 && r->nsurf == 1 && find_skip(r, "F", "nested more than 64 levels deep") && r->nskip == 1,
			 "citygml: the chain backwards: fast, its polygon, the nesting past 64 reported once");
	rec_free(r);
	free(d);

	/* 2. cycles: a CompositeSurface referring to itself (twice: 2^64
	 * paths before the nesting bound), two OrientableSurfaces referring to
	 * each other; the polygons beside them are read */
	{
		const char *self = GML_HEAD "<cityObjectMember><bldg:Building gml:id=\"S\"><bldg:lod2MultiSurface>"
			"<gml:MultiSurface srsName=\"EPSG:2154\"><gml:surfaceMember><gml:CompositeSurface gml:id=\"C1\">"
			"<gml:surfaceMember xlink:href=\"#C1\"/><gml:surfaceMember xlink:href=\"#C1\"/>"
			"<gml:surfaceMember>" GML_POLY("P1") "</gml:surfaceMember>"
			"</gml:CompositeSurface></gml:surfaceMember></gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember></CityModel>";
		const char *mutual = GML_HEAD "<cityObjectMember><bldg:Building gml:id=\"M\"><bldg:lod2MultiSurface>"
			"<gml:MultiSurface srsName=\"EPSG:2154\">"
			"<gml:surfaceMember><gml:OrientableSurface gml:id=\"OS1\" orientation=\"-\"><gml:baseSurface xlink:href=\"#OS2\"/></gml:OrientableSurface></gml:surfaceMember>"
			"<gml:surfaceMember><gml:OrientableSurface gml:id=\"OS2\" orientation=\"-\"><gml:baseSurface xlink:href=\"#OS1\"/></gml:OrientableSurface></gml:surfaceMember>"
			"<gml:surfaceMember>" GML_POLY("P2") "</gml:surfaceMember>"
			"</gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember>"
			/* another object referring to the cycle: reported for it too */
			"<cityObjectMember><bldg:Building gml:id=\"M2\"><bldg:lod2MultiSurface xlink:href=\"#OS2\"/></bldg:Building></cityObjectMember>"
			"</CityModel>";

		const char *up = GML_HEAD "<cityObjectMember><bldg:Building gml:id=\"U\"><bldg:lod2MultiSurface>"
			"<gml:MultiSurface gml:id=\"MSU\" srsName=\"EPSG:2154\"><gml:surfaceMember xlink:href=\"#U\"/>"
			"<gml:surfaceMember>" GML_POLY("P3") "</gml:surfaceMember>"
			"</gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember></CityModel>";

		watchdog_what = "citygml: reference cycles";
		alarm(60);
		SR_CHECK(run_gml(self, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 && strcmp(r->surf_ref[0], "P1") == 0 &&
				 find_skip(r, "S", "a reference to #C1 is a cycle") && r->nskip == 2,
				 "citygml: a CompositeSurface referring to itself is a reported cycle (each reference), its polygon read");
		rec_free(r);
		SR_CHECK(run_gml(mutual, &o, 2154, r, &err) == SR_OK && r->nobj == 2 && r->nsurf == 1 &&
				 strcmp(r->surf_ref[0], "P2") == 0 && find_skip(r, "M", "a reference to #OS1 is a cycle") &&
				 find_skip(r, "M2", "a reference to #OS2 is a cycle"),
				 "citygml: two OrientableSurfaces referring to each other are a reported cycle");
		rec_free(r);
		SR_CHECK(run_gml(up, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 && strcmp(r->surf_ref[0], "P3") == 0 &&
				 find_skip(r, "U", "a reference leads back into gml:MultiSurface MSU, a cycle"),
				 "citygml: a reference to the building enclosing the surface is a reported cycle");
		alarm(0);
		rec_free(r);
	}

	/* 3. the document's budget: one MultiSurface W (a polygon and 1000
	 * empty CompositeSurfaces) given by xlink to 1000 objects would walk a
	 * million elements, over 16 x the document's ~5000 + 100000: the
	 * objects past the budget are reported, still imported */
	{
		int			k = 1000,
					m = 1000;
		size_t		cap = 4096 + 120 * (size_t) (k + m);
		size_t		l = 0;

		d = malloc(cap);
		l += snprintf(d + l, cap - l, GML_HEAD "<cityObjectMember><bldg:Building gml:id=\"W0\"><bldg:lod2MultiSurface>"
					  "<gml:MultiSurface gml:id=\"W\" srsName=\"EPSG:2154\"><gml:surfaceMember>" GML_POLY("PW") "</gml:surfaceMember>");
		for (int i = 0; i < m; i++)
			l += snprintf(d + l, cap - l, "<gml:surfaceMember><gml:CompositeSurface/></gml:surfaceMember>");
		l += snprintf(d + l, cap - l, "</gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember>");
		for (int i = 1; i <= k; i++)
			l += snprintf(d + l, cap - l, "<cityObjectMember><bldg:Building gml:id=\"W%d\"><bldg:lod2MultiSurface xlink:href=\"#W\"/>"
						  "</bldg:Building></cityObjectMember>", i);
		snprintf(d + l, cap - l, "</CityModel>");
		watchdog_what = "citygml: shared geometry over the budget";
		alarm(60);
		t0 = now_seconds();
		SR_CHECK(run_gml(d, &o, 2154, r, &err) == SR_OK, "citygml: shared geometry over the budget imports");
		t = now_seconds() - t0;
		alarm(0);
		if (getenv("SR_DUMP"))
			printf("# budget: %d objects, %d surfaces, %d skipped, first %s: %s\n", r->nobj, r->nsurf, r->nskip, r->skip_obj[0], r->skip[0]);
		SR_CHECK(r->nobj == k + 1 && r->nsurf > 100 && r->nsurf < k / 2 && r->nskip == k + 2 - r->nsurf &&
				 find_skip(r, NULL, "the rest of this object's surfaces are left out") &&
				 !find_skip(r, "W0", "left out") && strcmp(r->skip_obj[0], "W0") != 0,
				 "citygml: past the document's budget, each object's surfaces left are reported (once an object; the one cut short has its polygon)");
		SR_CHECK(t < 1.0, "citygml: shared geometry over the budget is bounded in time");
		rec_free(r);
		free(d);
	}

	/* 4. interrupts are checked inside one object's walk (10000
	 * elements), not only between objects (here the walk that finds the
	 * geometry empty: 10000 empty members and nothing else) */
	{
		int			m = 10000;
		size_t		cap = 4096 + 80 * (size_t) m;
		size_t		l = 0;

		d = malloc(cap);
		l += snprintf(d + l, cap - l, GML_HEAD "<cityObjectMember><bldg:Building gml:id=\"I\"><bldg:lod2MultiSurface>"
					  "<gml:MultiSurface srsName=\"EPSG:2154\">");
		for (int i = 0; i < m; i++)
			l += snprintf(d + l, cap - l, "<gml:surfaceMember><gml:CompositeSurface/></gml:surfaceMember>");
		snprintf(d + l, cap - l, "</gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember></CityModel>");
		intr_calls = 0;
		sr_set_handlers(NULL, NULL, NULL, intr_count);
		SR_CHECK(run_gml(d, &o, 2154, r, &err) == SR_OK && r->nobj == 1, "citygml: a walk of 10000 elements imports");
		sr_set_handlers(NULL, NULL, NULL, NULL);
		SR_CHECK(intr_calls >= 1 + m / 1024, "citygml: interrupts are checked during one object's walk");
		SR_CHECK(find_skip(r, "I", "gml:MultiSurface is empty (no surface)"),
				 "citygml: and a geometry of 10000 empty members is reported empty");
		rec_free(r);
		free(d);
	}
	/* 5. an empty geometry reached through an xlink is reported as one
	 * written in place (it was silent: the look for content took any
	 * reference as content): the LoD property's own xlink (A), a member's
	 * (B), a thematic surface's LoD property's (D); an xlink to an empty
	 * gml:Polygon is "no exterior ring", as in place (C); an xlink to a
	 * polygon is not empty (E); Z holds the targets, reported in place */
	{
		const char *x = GML_HEAD
			"<cityObjectMember><bldg:Building gml:id=\"A\"><bldg:lod2MultiSurface xlink:href=\"#MA\"/></bldg:Building></cityObjectMember>"
			"<cityObjectMember><bldg:Building gml:id=\"B\"><bldg:lod2MultiSurface><gml:MultiSurface srsName=\"EPSG:2154\">"
			"<gml:surfaceMember xlink:href=\"#MB\"/></gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember>"
			"<cityObjectMember><bldg:Building gml:id=\"C\"><bldg:lod2MultiSurface><gml:MultiSurface srsName=\"EPSG:2154\">"
			"<gml:surfaceMember xlink:href=\"#PC\"/></gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember>"
			"<cityObjectMember><bldg:Building gml:id=\"D\"><bldg:boundedBy><bldg:RoofSurface>"
			"<bldg:lod2MultiSurface xlink:href=\"#MA\"/></bldg:RoofSurface></bldg:boundedBy></bldg:Building></cityObjectMember>"
			"<cityObjectMember><bldg:Building gml:id=\"E\"><bldg:lod2MultiSurface><gml:MultiSurface srsName=\"EPSG:2154\" srsDimension=\"3\">"
			"<gml:surfaceMember xlink:href=\"#PE\"/></gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember>"
			"<cityObjectMember><bldg:Building gml:id=\"Z\">"
			"<bldg:lod1MultiSurface><gml:MultiSurface gml:id=\"MA\" srsName=\"EPSG:2154\"><gml:name>n</gml:name></gml:MultiSurface></bldg:lod1MultiSurface>"
			"<bldg:lod1MultiSurface><gml:MultiSurface gml:id=\"MB\" srsName=\"EPSG:2154\"><gml:surfaceMember/></gml:MultiSurface></bldg:lod1MultiSurface>"
			"<bldg:lod1MultiSurface><gml:MultiSurface srsName=\"EPSG:2154\" srsDimension=\"3\"><gml:surfaceMember><gml:Polygon gml:id=\"PC\"/></gml:surfaceMember>"
			"<gml:surfaceMember>" GML_POLY("PE") "</gml:surfaceMember></gml:MultiSurface></bldg:lod1MultiSurface>"
			"</bldg:Building></cityObjectMember></CityModel>";

		SR_CHECK(run_gml(x, &o, 2154, r, &err) == SR_OK && r->nobj == 6, "citygml: empty geometries through xlinks import");
		SR_CHECK(find_skip(r, "A", "gml:MultiSurface MA is empty (no surface)"),
				 "citygml: an LoD property's xlink to an empty MultiSurface: reported empty");
		SR_CHECK(find_skip(r, "B", "gml:MultiSurface is empty (no surface)"),
				 "citygml: a MultiSurface whose one member is an xlink to an empty one: reported empty");
		SR_CHECK(find_skip(r, "D", "gml:MultiSurface MA is empty (no surface)"),
				 "citygml: a RoofSurface's LoD property's xlink to an empty MultiSurface: reported empty");
		SR_CHECK(find_skip(r, "C", "polygon PC: no exterior ring") && !find_skip(r, "C", "is empty"),
				 "citygml: an xlink to an empty Polygon: no exterior ring, as in place");
		SR_CHECK(!find_skip(r, "E", "") && r->nsurf == 2,
				 "citygml: an xlink to a polygon is not empty (E's polygon and Z's)");
		SR_CHECK(find_skip(r, "Z", "gml:MultiSurface MA is empty") && find_skip(r, "Z", "gml:MultiSurface MB is empty") &&
				 r->nskip == 7, "citygml: the targets in place reported as before (7 reports in all)");
		rec_free(r);
	}
	/* the chain of 40 double xlinks with an empty base: 2^41 paths to no
	 * polygon; the look for content stops at the document's budget (then
	 * takes the references as content: not reported) and the walk enters
	 * each element once */
	watchdog_what = "citygml: a chain of 40 double xlinks to an empty base";
	alarm(60);
	d = gml_chain(40, 0);
	{
		char	   *p0 = strstr(d, GML_POLY("P0"));

		/* the base's polygon blanked out: an empty CompositeSurface L0 */
		SR_CHECK(p0 != NULL, "citygml: (the chain has its polygon)");
		if (p0)
			memset(p0, ' ', strlen(GML_POLY("P0")));
	}
	t0 = now_seconds();
	SR_CHECK(run_gml(d, &o, 2154, r, &err) == SR_OK && r->nobj == 1 && r->nsurf == 0,
			 "citygml: a chain of 40 double xlinks to an empty base imports, no surface");
	t = now_seconds() - t0;
	alarm(0);
	SR_CHECK(t < 0.5, "citygml: a chain of 40 double xlinks to an empty base is looked at in well under a second");
	rec_free(r);
	free(d);
	signal(SIGALRM, SIG_DFL);

	/* 6. integer attributes keep their digits (past 2^53, past 2^64) */
	{
		const char *a = GML_HEAD "<cityObjectMember><bldg:Building gml:id=\"A\">"
			"<gen:intAttribute name=\"p53\"><gen:value>9007199254740993</gen:value></gen:intAttribute>"
			"<gen:intAttribute name=\"d20\"><gen:value>12345678901234567890</gen:value></gen:intAttribute>"
			"<gen:intAttribute name=\"neg\"><gen:value> -0042 </gen:value></gen:intAttribute>"
			"<gen:intAttribute name=\"plus\"><gen:value>+7</gen:value></gen:intAttribute>"
			"<gen:doubleAttribute name=\"dbl\"><gen:value>420.5</gen:value></gen:doubleAttribute>"
			"<gen:doubleAttribute name=\"exp\"><gen:value>1e3</gen:value></gen:doubleAttribute>"
			"<gen:intAttribute name=\"bad\"><gen:value>12ab</gen:value></gen:intAttribute>"
			"<bldg:storeysAboveGround>-9223372036854775809</bldg:storeysAboveGround>"
			"<bldg:insee>01053</bldg:insee><bldg:phone>+33 4</bldg:phone><bldg:hex>0x10</bldg:hex>"
			"<bldg:code>+7</bldg:code><bldg:ratio>0.25</bldg:ratio><bldg:big>-2.5e-3</bldg:big>"
			"</bldg:Building></cityObjectMember></CityModel>";

		o.srid = 2154;
		SR_CHECK(run_gml(a, &o, 2154, r, &err) == SR_OK && r->nobj == 1, "citygml: attributes import");
		if (getenv("SR_DUMP"))
			dump(r, &err);
		SR_CHECK(strstr(r->attrs[0], "\"p53\": 9007199254740993,") && strstr(r->attrs[0], "\"d20\": 12345678901234567890,") &&
				 strstr(r->attrs[0], "\"storeysAboveGround\": -9223372036854775809,"),
				 "citygml: integer attributes past 2^53 and 2^64 keep their exact digits");
		SR_CHECK(strstr(r->attrs[0], "\"neg\": -42,") && strstr(r->attrs[0], "\"plus\": 7,") &&
				 strstr(r->attrs[0], "\"dbl\": 420.5,") && strstr(r->attrs[0], "\"exp\": 1000,") &&
				 strstr(r->attrs[0], "\"bad\": \"12ab\""),
				 "citygml: integers without leading zeros or +, other numbers as doubles, text as a string");
		SR_CHECK(strstr(r->attrs[0], "\"insee\": \"01053\"") && strstr(r->attrs[0], "\"phone\": \"+33 4\"") &&
				 strstr(r->attrs[0], "\"hex\": \"0x10\"") && strstr(r->attrs[0], "\"code\": \"+7\"") &&
				 strstr(r->attrs[0], "\"ratio\": 0.25") && strstr(r->attrs[0], "\"big\": -0.0025}"),
				 "citygml: a simple property is a number only as JSON writes numbers (a code such as 01053 stays text)");
		rec_free(r);
	}
	free(r);
}

/* ---------- holes outside their polygon ---------- */

/* A 20 m square roof with one hole: inside (5..15), beside it (25..35),
 * across its edge (15..25), touching its corner (0..10: it shares two
 * edges).  A hole that is not inside was subtracted from an area it is not
 * part of (the square imported as 300 m2); it is left out and reported,
 * as an interior ring that is not a ring is. */
static void
test_interior_outside(void)
{
	sr_city_import_opts o;
	rec		   *r = calloc(1, sizeof(rec));
	sr_err		err;
	const char *cj =
		"{\"type\": \"CityJSON\", \"version\": \"2.0\","
		" \"metadata\": {\"referenceSystem\": \"EPSG:2154\"},"
		" \"transform\": {\"scale\": [1, 1, 1], \"translate\": [842000, 6519000, 170]},"
		" \"CityObjects\": {\"q\": {\"type\": \"Building\", \"geometry\": [{\"type\": \"MultiSurface\", \"lod\": \"2\","
		"   \"boundaries\": [[[0, 1, 2, 3], [4, 5, 6, 7]], [[0, 1, 2, 3], [8, 9, 10, 11]],"
		"                  [[0, 1, 2, 3], [12, 13, 14, 15]], [[0, 1, 2, 3], [16, 17, 18, 19]]]}]}},"
		" \"vertices\": [[0, 0, 0], [20, 0, 0], [20, 20, 0], [0, 20, 0],"
		"   [5, 5, 0], [5, 15, 0], [15, 15, 0], [15, 5, 0], [25, 5, 0], [25, 15, 0], [35, 15, 0], [35, 5, 0],"
		"   [15, 5, 0], [15, 15, 0], [25, 15, 0], [25, 5, 0], [0, 0, 0], [0, 10, 0], [10, 10, 0], [10, 0, 0]]}";
	const char *gml = GML_HEAD
		"<cityObjectMember><bldg:Building gml:id=\"G\"><bldg:lod2MultiSurface><gml:MultiSurface srsName=\"EPSG:2154\">"
		"<gml:surfaceMember><gml:Polygon gml:id=\"P\"><gml:exterior><gml:LinearRing><gml:posList>"
		"842000 6519000 170 842020 6519000 170 842020 6519020 170 842000 6519020 170 842000 6519000 170"
		"</gml:posList></gml:LinearRing></gml:exterior><gml:interior><gml:LinearRing><gml:posList>"
		"842025 6519005 170 842025 6519015 170 842035 6519015 170 842035 6519005 170 842025 6519005 170"
		"</gml:posList></gml:LinearRing></gml:interior></gml:Polygon></gml:surfaceMember>"
		"</gml:MultiSurface></bldg:lod2MultiSurface></bldg:Building></cityObjectMember></CityModel>";
	static const double want[4] = {300, 400, 400, 300};
	static const int rings[4] = {2, 1, 1, 2};
	bool		ok = true;

	opts_default(&o);
	SR_CHECK(run_json(cj, &o, 2154, r, &err) == SR_OK && r->nsurf == 4, "holes: the four squares import");
	for (int i = 0; i < 4 && i < r->nsurf; i++)
		if (r->geom[i].nrings != rings[i] || fabs(r->plane[i].area - want[i]) > 1e-9)
			ok = false;
	SR_CHECK(ok, "holes: a hole inside or touching the corner is kept (300 m2); beside or across the edge, left out (400 m2)");
	SR_CHECK(find_skip(r, "q", "geometry 0, surface 1: interior ring 1 lies outside the exterior ring (ring left out)") &&
			 find_skip(r, "q", "geometry 0, surface 2: interior ring 1 lies outside") &&
			 !find_skip(r, "q", "surface 0:") && !find_skip(r, "q", "surface 3:"),
			 "holes: the two rings left out are reported, the others not");
	rec_free(r);
	SR_CHECK(run_gml(gml, &o, 2154, r, &err) == SR_OK && r->nsurf == 1 && r->geom[0].nrings == 1 &&
			 fabs(r->plane[0].area - 400) < 1e-9, "holes: citygml, a hole beside its polygon is left out (400 m2)");
	SR_CHECK(find_skip(r, "G", "polygon P: interior ring lies outside the exterior ring (ring left out)"),
			 "holes: citygml, and reported");
	rec_free(r);
	free(r);
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_json();
	test_crs_names();
	test_rings();
	test_planes();
	test_cityjson();
	test_cityjson_numbers();
	test_cityjson_solids();
	test_cityjson_bad_semantics();
	test_cityjsonseq();
	test_cityjson_interior_shell();
	test_proj();
	test_citygml();
	test_object_ids();
	test_citygml_references();
	test_citygml_deep_parts();
	test_interior_outside();
	return SR_TEST_END();
}
