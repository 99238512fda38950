/*
 * city_citygml.c — CityGML 1.0, 2.0 and 3.0 into city objects and surfaces
 * (docs/city3d.md), parsed with libxml2.
 *
 * Every feature under a cityObjectMember is a city object, and so is every
 * feature under a part property (consistsOfBuildingPart, buildingPart,
 * outer/interior building installations), with the enclosing one as its
 * parent.  An object's surfaces are, first, the polygons of its thematic
 * surfaces (bldg:boundedBy in 1.0/2.0, core:boundary in 3.0: RoofSurface,
 * WallSurface ... and their openings), with that semantic type; then the
 * polygons of its own geometries (lodNSolid, lodNMultiSurface,
 * lodNGeometry ...) that no thematic surface already gave, with none.
 * xlink:href="#id" references to polygons or surfaces of the same file are
 * followed.  Curves, appearances and every other property with content
 * are skipped and reported, never lost silently.
 *
 * References make the surfaces a graph, not a tree: the walk of an object
 * enters each element once (a second reference to it adds nothing, its
 * polygons being the object's already), so a chain of elements each
 * referring twice to the previous one costs its length, not 2^length; an
 * element referring to itself, directly or not, is a reported cycle; and
 * the document's whole walk, every object's, is bounded by a budget in
 * proportion to its number of elements (the same surfaces given to many
 * objects), past which the surfaces left are reported.  The walk checks
 * for interrupts as it goes.
 *
 * libxml2's error handlers are global (thread-local) and PostgreSQL sets
 * its own around its XML functions: ours are set for the parse only, copy
 * the message, and the previous ones are put back before returning.
 */
#include "sr_city.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/hash.h>
#include <libxml/xmlerror.h>

struct sr_citygml
{
	xmlDocPtr	doc;
	xmlHashTablePtr ids;		/* gml:id -> element */
	long		nelements;		/* elements in the document */
	int			default_epsg;	/* the root envelope's srsName */
};

/*
 * The surface walk's bounds.  The walk of one object enters an element at
 * most once, so it is at most about the document's size; the budget bounds
 * the sum over all objects, which shared geometry (one MultiSurface given
 * by xlink to many objects) could otherwise make quadratic: every element
 * walked counts, and a document may walk WALK_PER_ELEMENT times its number
 * of elements, plus WALK_FLOOR.  A real file walks each element about once
 * (twice where an lod2Solid refers to its thematic surfaces' polygons, a
 * few times for a wall shared by two buildings).  WALK_DEPTH bounds the
 * nesting (the C stack); sr_check_interrupts() every WALK_CHECK elements.
 */
#define WALK_PER_ELEMENT 16
#define WALK_FLOOR		100000
#define WALK_DEPTH		64
#define WALK_CHECK		1024

/* ---------- parse ---------- */

typedef struct xml_errbuf
{
	char		msg[256];
	int			line;
} xml_errbuf;

static void
xml_structured_error(void *ctx, xmlErrorPtr e)
{
	xml_errbuf *b = ctx;

	if (b->msg[0] == '\0' && e && e->message && e->level >= XML_ERR_ERROR)
	{
		size_t		l;

		snprintf(b->msg, sizeof(b->msg), "%s", e->message);
		l = strlen(b->msg);
		while (l > 0 && (b->msg[l - 1] == '\n' || b->msg[l - 1] == ' '))
			b->msg[--l] = '\0';
		b->line = e->line;
	}
}

static void
xml_generic_error(void *ctx, const char *msg,...)
{
	/* the structured handler has the message; nothing printed to stderr */
}

static int
is_gml_ns(const xmlNode *n)
{
	return n->ns && n->ns->href &&
		strncmp((const char *) n->ns->href, "http://www.opengis.net/gml", 26) == 0;
}

static const char *
lname(const xmlNode *n)
{
	return (const char *) n->name;
}

/* gml:id of an element (any GML namespace), or NULL */
static xmlChar *
gml_id(xmlNode *n)
{
	for (xmlAttr *a = n->properties; a; a = a->next)
		if (strcmp((const char *) a->name, "id") == 0 &&
			(a->ns == NULL || strncmp((const char *) a->ns->href, "http://www.opengis.net/gml", 26) == 0))
			return xmlNodeGetContent((xmlNode *) a);
	return NULL;
}

static void
index_ids(sr_citygml *g, xmlNode *n)
{
	for (; n; n = n->next)
	{
		xmlChar    *id;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		g->nelements++;
		if ((id = gml_id(n)) != NULL)
		{
			xmlHashAddEntry(g->ids, id, n); /* (a duplicate keeps the first) */
			xmlFree(id);
		}
		index_ids(g, n->children);
	}
}

static int
srs_epsg(xmlNode *n)
{
	xmlChar    *s = xmlGetProp(n, (const xmlChar *) "srsName");
	int			e = 0;

	if (s)
	{
		e = sr_crs_epsg_from_name((const char *) s, strlen((const char *) s));
		if (e == 0)
			e = -1;				/* named, but not recognised */
		xmlFree(s);
	}
	return e;
}

sr_status
sr_citygml_open(const char *text, size_t len, sr_citygml **out, sr_err *err)
{
	xml_errbuf	eb;
	xmlStructuredErrorFunc old_s = xmlStructuredError;
	void	   *old_sctx = xmlStructuredErrorContext;
	xmlGenericErrorFunc old_g = xmlGenericError;
	void	   *old_gctx = xmlGenericErrorContext;
	xmlDocPtr	doc;
	sr_citygml *g;
	xmlNode    *root;

	*out = NULL;
	if (len > (size_t) 0x7fffffff)
		return sr_error(err, SR_ERANGE, "the CityGML document is larger than 2 GB");
	memset(&eb, 0, sizeof(eb));
	xmlInitParser();
	xmlSetStructuredErrorFunc(&eb, xml_structured_error);
	xmlSetGenericErrorFunc(&eb, xml_generic_error);
	/* no network, no entity substitution, no DTD loading (XXE-safe) */
	doc = xmlReadMemory(text, (int) len, "citygml.xml", NULL,
						XML_PARSE_NONET | XML_PARSE_NOBLANKS | XML_PARSE_COMPACT |
						XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(old_sctx, old_s);
	xmlSetGenericErrorFunc(old_gctx, old_g);
	if (!doc)
	{
		sr_error(err, SR_ESYNTAX, "invalid CityGML document: %s",
				 eb.msg[0] ? eb.msg : "not well-formed XML");
		if (eb.line > 0)
			sr_error_detail(err, "At line %d.", eb.line);
		return err->status;
	}
	/* entities are never substituted, but their text would be expanded
	 * when an element's content is read: a document declaring some (an
	 * "entity expansion" attack, or a reference to a local file) is
	 * refused; CityGML has no use for them */
	if ((doc->intSubset && (doc->intSubset->entities || doc->intSubset->pentities)) ||
		(doc->extSubset && (doc->extSubset->entities || doc->extSubset->pentities)))
	{
		xmlFreeDoc(doc);
		sr_error(err, SR_EINVAL, "the CityGML document declares entities, which are not read");
		sr_error_detail(err, "A DOCTYPE with ENTITY declarations is refused (they could expand without bound or name local files).");
		return err->status;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || strcmp(lname(root), "CityModel") != 0)
	{
		sr_error(err, SR_EINVAL, "document is not CityGML");
		sr_error_detail(err, "A CityGML document's root element is a CityModel, not %s.",
						root ? lname(root) : "empty");
		xmlFreeDoc(doc);
		return err->status;
	}
	g = sr_alloc0(sizeof(sr_citygml));
	if (!g || !(g->ids = xmlHashCreate(1024)))
	{
		sr_free(g);
		xmlFreeDoc(doc);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	g->doc = doc;
	index_ids(g, root);
	/* the document's CRS: the CityModel's envelope, or the model itself */
	g->default_epsg = srs_epsg(root);
	for (xmlNode *c = root->children; c && g->default_epsg == 0; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp(lname(c), "boundedBy") == 0 && is_gml_ns(c))
			for (xmlNode *e = c->children; e; e = e->next)
				if (e->type == XML_ELEMENT_NODE && strcmp(lname(e), "Envelope") == 0)
					g->default_epsg = srs_epsg(e);
	*out = g;
	return SR_OK;
}

void
sr_citygml_close(sr_citygml *g)
{
	if (!g)
		return;
	if (g->ids)
		xmlHashFree(g->ids, NULL);
	if (g->doc)
		xmlFreeDoc(g->doc);
	sr_free(g);
}

/* ---------- walk ---------- */

/* An element's state in the current object's walk: an open-addressing set
 * of pointers, emptied per object by a new generation (a slot of an older
 * one is free), so that a big object does not cost the small ones after. */
enum
{
	SEEN_NOT = 0,
	SEEN_OPEN,					/* being walked: on the current path */
	SEEN_DONE					/* walked (a polygon: read) */
};

typedef struct seen_slot
{
	const xmlNode *node;
	unsigned	gen;
	int			state;
} seen_slot;

typedef struct gw
{
	sr_citygml *g;
	const sr_city_import_opts *o;
	const sr_city_target *t;
	const sr_city_sink *sink;
	sr_err	   *err;
	int			file_epsg;		/* the document's (or the option's) */
	sr_crs_transform *tr;		/* for tr_epsg */
	int			tr_epsg;
	size_t		outside;		/* points outside their CRS's area of use */
	char		area[128];		/* that area (the last CRS with such points) */
	sr_city_batch batch;
	sr_city_poly cur;
	double	   *pts;
	int			cap;
	/* elements already walked for the current object */
	seen_slot  *seen;
	unsigned	seen_cap,		/* a power of 2, or 0 */
				seen_n,			/* slots of generation seen_gen */
				seen_gen;
	/* the document's walk: elements entered, and its budget */
	long		walked,
				budget;
	/* elements has_content looked at (the document's, against budget) */
	long		looked;
	/* what the current object was told once: over budget, too deep */
	int			told_budget,
				told_depth;
	const char *obj_id;
	int			index;
	int			epsgs_seen[8];
	int			nepsgs;
	long		objects;
} gw;

static void
gskip(gw *w, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
gskip(gw *w, const char *fmt,...)
{
	char		msg[512];
	va_list		ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->sink->skip(w->sink->arg, w->obj_id, msg);
}

/* prefix:name of an element, for messages */
static void
qname(const xmlNode *n, char *buf, size_t cap)
{
	if (n->ns && n->ns->prefix)
		snprintf(buf, cap, "%s:%s", n->ns->prefix, lname(n));
	else
		snprintf(buf, cap, "%s", lname(n));
}

static int
is_element(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE;
}

static int
has_href(xmlNode *n)
{
	return xmlHasNsProp(n, (const xmlChar *) "href", (const xmlChar *) "http://www.w3.org/1999/xlink") != NULL;
}

/* srsDimension and srsName in force at n: its own, else its ancestors' */
static void
srs_at(gw *w, xmlNode *n, int *dim, int *epsg)
{
	*dim = 0;
	*epsg = 0;
	for (xmlNode *a = n; a && a->type == XML_ELEMENT_NODE; a = a->parent)
	{
		if (*dim == 0)
		{
			xmlChar    *d = xmlGetProp(a, (const xmlChar *) "srsDimension");

			if (d)
			{
				*dim = atoi((const char *) d);
				xmlFree(d);
			}
		}
		if (*epsg == 0)
			*epsg = srs_epsg(a);
		if (*dim && *epsg)
			break;
	}
	if (*dim == 0)
		*dim = 3;
	if (*epsg == 0)
		*epsg = w->file_epsg;
}

static int
grow_pts(gw *w, int n)
{
	if (n > w->cap)
	{
		int			cap = n + 64;
		double	   *p = w->pts ? sr_realloc(w->pts, sizeof(double) * 3 * cap) : sr_alloc(sizeof(double) * 3 * cap);

		if (!p)
			return 0;
		w->pts = p;
		w->cap = cap;
	}
	return 1;
}

/* Numbers of a text (posList, pos, coordinates) appended to w->pts as
 * points of dim coordinates (z = 0 for 2D); -1 when malformed. */
static int
read_numbers(gw *w, const char *s, int dim, int *npts, int commas)
{
	double		v[3];
	int			k = 0;

	while (*s)
	{
		char	   *e;
		double		x;

		while (*s && (isspace((unsigned char) *s) || (commas && *s == ',')))
			s++;
		if (!*s)
			break;
		x = strtod(s, &e);
		if (e == s)
			return -1;
		s = e;
		v[k++] = x;
		if (k == dim)
		{
			if (!grow_pts(w, *npts + 1))
				return -2;
			w->pts[3 * *npts] = v[0];
			w->pts[3 * *npts + 1] = v[1];
			w->pts[3 * *npts + 2] = dim == 3 ? v[2] : 0.0;
			(*npts)++;
			k = 0;
		}
	}
	return k == 0 ? 0 : -1;
}

static xmlNode *
child(xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_element(c) && strcmp(lname(c), name) == 0)
			return c;
	return NULL;
}

/* The points of a LinearRing into w->pts; *npts = count; -1 malformed. */
static int
read_ring(gw *w, xmlNode *ring, int dim, int *npts)
{
	*npts = 0;
	for (xmlNode *c = ring->children; c; c = c->next)
	{
		xmlChar    *txt;
		int			rc,
					d = dim;

		if (!is_element(c))
			continue;
		if (strcmp(lname(c), "posList") == 0 || strcmp(lname(c), "pos") == 0 ||
			strcmp(lname(c), "coordinates") == 0)
		{
			xmlChar    *sd = xmlGetProp(c, (const xmlChar *) "srsDimension");

			if (sd)
			{
				d = atoi((const char *) sd);
				xmlFree(sd);
			}
			if (d != 2 && d != 3)
				return -1;
			txt = xmlNodeGetContent(c);
			rc = read_numbers(w, txt ? (const char *) txt : "", d, npts,
							  strcmp(lname(c), "coordinates") == 0);
			xmlFree(txt);
			if (rc < 0)
				return rc;
		}
		else if (strcmp(lname(c), "pointProperty") == 0 || strcmp(lname(c), "Point") == 0)
		{
			xmlNode    *p = strcmp(lname(c), "Point") == 0 ? c : child(c, "Point");
			xmlNode    *pos = child(p, "pos");

			if (!pos)
				pos = child(p, "coordinates");
			if (!pos)
				return -1;
			txt = xmlNodeGetContent(pos);
			rc = read_numbers(w, txt ? (const char *) txt : "", d, npts,
							  strcmp(lname(pos), "coordinates") == 0);
			xmlFree(txt);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

static int
transform_to(gw *w, int epsg, double *xyz, int n)
{
	if (epsg != w->tr_epsg || !w->tr)
	{
		char		crs[32];

		if (w->tr && !w->t->get)
			sr_crs_transform_free(w->tr);
		w->tr = NULL;
		snprintf(crs, sizeof(crs), "EPSG:%d", epsg);
		if (w->t->get)
			w->tr = w->t->get(w->t->arg, crs, w->t->crs, w->err);
		else
			sr_crs_transform_create(crs, w->t->crs, &w->tr, w->err);
		if (!w->tr)
			return -1;
		w->tr_epsg = epsg;
		if (w->nepsgs < 8)
		{
			int			seen = 0;

			for (int i = 0; i < w->nepsgs; i++)
				seen |= w->epsgs_seen[i] == epsg;
			if (!seen)
				w->epsgs_seen[w->nepsgs++] = epsg;
		}
	}
	{
		char		area[128];
		size_t		out = sr_crs_transform_outside(w->tr, xyz, n, area, sizeof(area));

		if (out > 0 || w->area[0] == '\0')
			snprintf(w->area, sizeof(w->area), "%s", area);
		w->outside += out;
	}
	return sr_crs_transform_apply(w->tr, xyz, n, w->err) == SR_OK ? 0 : -1;
}

static size_t
seen_hash(const xmlNode *n, unsigned cap)
{
	uint64_t	h = (uint64_t) (uintptr_t) n * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t) (h >> 32) & (cap - 1);
}

/* a new object: every element unseen */
static void
seen_reset(gw *w)
{
	w->seen_n = 0;
	if (++w->seen_gen == 0)
	{
		if (w->seen)
			memset(w->seen, 0, sizeof(seen_slot) * w->seen_cap);
		w->seen_gen = 1;
	}
}

static int
seen_get(const gw *w, const xmlNode *n)
{
	if (!w->seen)
		return SEEN_NOT;
	for (size_t i = seen_hash(n, w->seen_cap);; i = (i + 1) & (w->seen_cap - 1))
	{
		if (w->seen[i].gen != w->seen_gen)
			return SEEN_NOT;
		if (w->seen[i].node == n)
			return w->seen[i].state;
	}
}

/* 0 when out of memory */
static int
seen_put(gw *w, const xmlNode *n, int state)
{
	size_t		i;

	if ((w->seen_n + 1) * 2 > w->seen_cap)
	{
		unsigned	cap = w->seen_cap ? 2 * w->seen_cap : 256;
		seen_slot  *t;

		if (cap < w->seen_cap || !(t = sr_alloc0(sizeof(seen_slot) * cap)))
			return 0;
		for (unsigned k = 0; k < w->seen_cap; k++)
			if (w->seen[k].gen == w->seen_gen)
			{
				for (i = seen_hash(w->seen[k].node, cap); t[i].gen == w->seen_gen; i = (i + 1) & (cap - 1))
					;
				t[i] = w->seen[k];
			}
		sr_free(w->seen);
		w->seen = t;
		w->seen_cap = cap;
	}
	for (i = seen_hash(n, w->seen_cap); w->seen[i].gen == w->seen_gen && w->seen[i].node != n;
		 i = (i + 1) & (w->seen_cap - 1))
		;
	if (w->seen[i].gen != w->seen_gen)
	{
		w->seen[i].node = n;
		w->seen[i].gen = w->seen_gen;
		w->seen_n++;
	}
	w->seen[i].state = state;
	return 1;
}

/* A gml:Polygon (or PolygonPatch / Triangle / Rectangle) into the batch.
 * reversed: inside an OrientableSurface with orientation "-". */
static int
read_polygon(gw *w, xmlNode *poly, const char *semtype, int reversed)
{
	int			dim,
				epsg;
	xmlChar    *id;
	char		idbuf[SR_CITY_ID_MAX + 1] = "";

	srs_at(w, poly, &dim, &epsg);
	if ((id = gml_id(poly)) != NULL)
	{
		/* (whole, as the objects' ids: it was cut at 127 bytes) */
		if (sr_city_check_id((const char *) id, "polygon id", w->err) != SR_OK)
		{
			xmlFree(id);
			return -1;
		}
		snprintf(idbuf, sizeof(idbuf), "%s", (const char *) id);
		xmlFree(id);
	}
	if (epsg <= 0)
	{
		if (epsg < 0)
			sr_error(w->err, SR_EINVAL, "a srsName of the CityGML document is not recognised");
		else
			sr_error(w->err, SR_EINVAL, "the document names no coordinate reference system");
		sr_error_hint(w->err, "Give its EPSG code with option \"srid\" (e.g. 3946 for Lyon, 2154 for Lambert-93).");
		return -1;
	}
	sr_city_poly_reset(&w->cur);
	w->index++;
	for (xmlNode *c = poly->children; c; c = c->next)
	{
		xmlNode    *ring;
		int			interior,
					n,
					m,
					rc;
		const char *why = NULL;

		if (!is_element(c))
			continue;
		interior = strcmp(lname(c), "interior") == 0 || strcmp(lname(c), "innerBoundaryIs") == 0;
		if (!interior && strcmp(lname(c), "exterior") != 0 && strcmp(lname(c), "outerBoundaryIs") != 0)
			continue;
		ring = child(c, "LinearRing");
		if (!ring)
			why = "is not a LinearRing";
		else if ((rc = read_ring(w, ring, dim, &n)) < 0)
		{
			if (rc == -2)
				return sr_error(w->err, SR_ENOMEM, "out of memory"), -1;
			why = "has malformed coordinates";
		}
		if (!why && transform_to(w, epsg, w->pts, n) < 0)
			return -1;
		m = why ? 0 : sr_city_ring_check(w->pts, n, 1, &why);
		if (m < 0)
			return sr_error(w->err, SR_ENOMEM, "out of memory"), -1;
		if (m == 0)
		{
			if (!interior)
			{
				gskip(w, "polygon %s%s%s%s%s: exterior ring %s", idbuf[0] ? idbuf : "(no id)",
					  semtype ? " (" : "", semtype ? semtype : "", semtype ? ")" : "", "", why);
				return 0;
			}
			gskip(w, "polygon %s: interior ring %s (ring left out)", idbuf[0] ? idbuf : "(no id)", why);
			continue;
		}
		if (interior && w->cur.nrings == 0)
		{
			gskip(w, "polygon %s: interior ring before the exterior (left out)", idbuf[0] ? idbuf : "(no id)");
			continue;
		}
		if (interior && (why = sr_city_hole_check(&w->cur, w->pts, m)) != NULL)
		{
			gskip(w, "polygon %s: interior ring %s (ring left out)", idbuf[0] ? idbuf : "(no id)", why);
			continue;
		}
		if (reversed)
			for (int i = 1, j = m - 1; i < j; i++, j--)
				for (int d = 0; d < 3; d++)
				{
					double		t = w->pts[3 * i + d];

					w->pts[3 * i + d] = w->pts[3 * j + d];
					w->pts[3 * j + d] = t;
				}
		if (!sr_city_poly_add_ring(&w->cur, w->pts, m))
			return sr_error(w->err, SR_ENOMEM, "out of memory"), -1;
	}
	if (w->cur.nrings == 0)
	{
		gskip(w, "polygon %s: no exterior ring", idbuf[0] ? idbuf : "(no id)");
		return 0;
	}
	if (!sr_city_batch_add(&w->batch, &w->cur, semtype, idbuf[0] ? idbuf : NULL, w->index))
		return sr_error(w->err, SR_ENOMEM, "out of memory"), -1;
	return 1;
}

static int	read_surfaces_in(gw *w, xmlNode *n, const char *semtype, int reversed, int depth);

/* A GML geometry whose members are surfaces or solids */
static int
is_surface_aggregate(const char *nm)
{
	return strcmp(nm, "MultiSurface") == 0 || strcmp(nm, "CompositeSurface") == 0 ||
		strcmp(nm, "Shell") == 0 || strcmp(nm, "Solid") == 0 ||
		strcmp(nm, "MultiSolid") == 0 || strcmp(nm, "CompositeSolid") == 0;
}

/* The standard properties of a GML object, which are not its members */
static int
is_gml_description(const xmlNode *c)
{
	const char *nm = lname(c);

	return is_gml_ns(c) &&
		(strcmp(nm, "boundedBy") == 0 || strcmp(nm, "name") == 0 ||
		 strcmp(nm, "description") == 0 || strcmp(nm, "descriptionReference") == 0 ||
		 strcmp(nm, "identifier") == 0 || strcmp(nm, "metaDataProperty") == 0);
}

/* The element an xlink:href="#id" names; NULL when it names none of the
 * file's (a reference outside the file, an id not there) */
static xmlNode *
href_target(gw *w, xmlNode *n)
{
	xmlChar    *h = xmlGetNsProp(n, (const xmlChar *) "href", (const xmlChar *) "http://www.w3.org/1999/xlink");
	xmlNode    *t = h && h[0] == '#' ? xmlHashLookup(w->g->ids, h + 1) : NULL;

	xmlFree(h);
	return t;
}

static int	has_content(gw *w, xmlNode *n, int depth);

/* Whether element c, a member of a geometry or what a reference names,
 * holds anything: a polygon (or patch, triangle ...), another kind of
 * geometry (reported when read), or, through a member or an aggregate,
 * something that does.  A reference counts as what it names (an empty
 * MultiSurface given by xlink is as empty as one written in place); one
 * that names nothing in the file, one nested past WALK_DEPTH, and any
 * once the document's looks pass its walk budget (a chain of elements each
 * referring twice to the one before would cost 2^length) count as
 * something: the walk then reads and reports them. */
static int
node_has_content(gw *w, xmlNode *c, int depth)
{
	const char *nm = lname(c);

	if (depth > WALK_DEPTH)
		return 1;
	/* (millions of empty members: let a cancel through) */
	if (++w->looked % WALK_CHECK == 0)
		sr_check_interrupts();
	if (has_href(c))
	{
		xmlNode    *t;

		if (w->looked >= w->budget || !(t = href_target(w, c)))
			return 1;
		return node_has_content(w, t, depth + 1);
	}
	if (!is_surface_aggregate(nm) && !strstr(nm, "Member") && strcmp(nm, "exterior") != 0 &&
		strcmp(nm, "interior") != 0 && strcmp(nm, "patches") != 0 &&
		strcmp(nm, "trianglePatches") != 0)
		return 1;				/* a polygon, a patch, another geometry */
	return has_content(w, c, depth + 1);	/* a member property, or an aggregate */
}

/* Whether a geometry holds anything in its members (node_has_content), at
 * any depth; its description (gml:name ...) is not content. */
static int
has_content(gw *w, xmlNode *n, int depth)
{
	if (depth > WALK_DEPTH)
		return 1;
	for (xmlNode *c = n->children; c; c = c->next)
		if (is_element(c) && !is_gml_description(c) && node_has_content(w, c, depth))
			return 1;
	return 0;
}

/* Whether n, a geometry of the object (an LoD property's, in place or
 * named by the property's xlink), is an aggregate with nothing in it:
 * reported, as CityJSON's empty boundaries are (it was silent; through an
 * xlink, until the review of 2026-12-06) */
static int
empty_geometry(gw *w, xmlNode *n)
{
	char		q[128];
	xmlChar    *id;

	if (!is_surface_aggregate(lname(n)) || has_content(w, n, 0))
		return 0;
	id = gml_id(n);
	qname(n, q, sizeof(q));
	gskip(w, "%s%s%s is empty (no surface)", q, id ? " " : "", id ? (const char *) id : "");
	xmlFree(id);
	return 1;
}

/* Every polygon of a surface geometry (MultiSurface, CompositeSurface,
 * Shell, Solid, OrientableSurface, Surface with patches, TIN ...) into the
 * batch.  Each element is walked once per object (its polygons are the
 * object's after the first time), an element referred to from its own
 * walk is a cycle, and the document's budget and WALK_DEPTH bound the
 * rest (module comment); all three are reported. */
static int
read_surfaces(gw *w, xmlNode *n, const char *semtype, int reversed, int depth)
{
	int			rc;

	if (!is_element(n))
		return 0;
	if (w->walked >= w->budget)
	{
		if (!w->told_budget)
			gskip(w, "the document's xlinks expand past its budget of %ld elements walked: the rest of this object's surfaces are left out",
				  w->budget);
		w->told_budget = 1;
		return 0;
	}
	if (++w->walked % WALK_CHECK == 0)
		sr_check_interrupts();
	if (depth > WALK_DEPTH)
	{
		if (!w->told_depth)
			gskip(w, "surfaces nested more than %d levels deep (elements and references) are left out", WALK_DEPTH);
		w->told_depth = 1;
		return 0;
	}
	if (has_href(n))
	{
		xmlChar    *h = xmlGetNsProp(n, (const xmlChar *) "href", (const xmlChar *) "http://www.w3.org/1999/xlink");
		xmlNode    *t = h && h[0] == '#' ? xmlHashLookup(w->g->ids, h + 1) : NULL;
		int			st = t ? seen_get(w, t) : SEEN_NOT;

		if (!t)
			gskip(w, "a reference to %s is not in the file", h ? (const char *) h : "?");
		else if (st == SEEN_OPEN)
			gskip(w, "a reference to %s is a cycle (not followed)", h ? (const char *) h : "?");
		xmlFree(h);
		if (!t || st != SEEN_NOT)
			return 0;
		/* the LoD property's own xlink: the object's geometry is t */
		if (depth == 0 && empty_geometry(w, t))
			return 0;
		return read_surfaces(w, t, semtype, reversed, depth + 1);
	}
	switch (seen_get(w, n))
	{
		case SEEN_OPEN:
			{
				/* a reference to an element enclosing this one */
				char		q[128];
				xmlChar    *id = gml_id(n);

				qname(n, q, sizeof(q));
				gskip(w, "a reference leads back into %s%s%s, a cycle (not followed)", q,
					  id ? " " : "", id ? (const char *) id : "");
				xmlFree(id);
			}
			return 0;
		case SEEN_DONE:
			return 0;
	}
	if (!seen_put(w, n, SEEN_OPEN))
		return sr_error(w->err, SR_ENOMEM, "out of memory"), -1;
	rc = read_surfaces_in(w, n, semtype, reversed, depth);
	if (rc >= 0 && !seen_put(w, n, SEEN_DONE))
		return sr_error(w->err, SR_ENOMEM, "out of memory"), -1;
	return rc;
}

/* read_surfaces of an element entered for the first time */
static int
read_surfaces_in(gw *w, xmlNode *n, const char *semtype, int reversed, int depth)
{
	const char *nm = lname(n);

	if (strcmp(nm, "Polygon") == 0 || strcmp(nm, "PolygonPatch") == 0 ||
		strcmp(nm, "Triangle") == 0 || strcmp(nm, "Rectangle") == 0)
		return read_polygon(w, n, semtype, reversed) < 0 ? -1 : 0;
	if (strcmp(nm, "OrientableSurface") == 0)
	{
		xmlChar    *o = xmlGetProp(n, (const xmlChar *) "orientation");
		int			rev = o && strcmp((const char *) o, "-") == 0;

		xmlFree(o);
		for (xmlNode *c = n->children; c; c = c->next)
			if (is_element(c) && strcmp(lname(c), "baseSurface") == 0)
			{
				if (has_href(c))
				{
					if (read_surfaces(w, c, semtype, reversed ^ rev, depth + 1) < 0)
						return -1;
				}
				else
					for (xmlNode *s = c->children; s; s = s->next)
						if (read_surfaces(w, s, semtype, reversed ^ rev, depth + 1) < 0)
							return -1;
			}
		return 0;
	}
	if (strcmp(nm, "LineString") == 0 || strcmp(nm, "MultiCurve") == 0 ||
		strcmp(nm, "CompositeCurve") == 0 || strcmp(nm, "Curve") == 0 ||
		strcmp(nm, "Point") == 0 || strcmp(nm, "MultiPoint") == 0)
	{
		gskip(w, "gml:%s geometry is not imported (only surfaces)", nm);
		return 0;
	}
	/* containers: their members (surfaceMember(s), exterior, patches ...);
	 * a geometry of the object with nothing in them is reported */
	if (depth == 0 && empty_geometry(w, n))
		return 0;
	for (xmlNode *c = n->children; c; c = c->next)
	{
		if (!is_element(c))
			continue;
		if (has_href(c))
		{
			if (read_surfaces(w, c, semtype, reversed, depth + 1) < 0)
				return -1;
			continue;
		}
		for (xmlNode *s = c->children; s; s = s->next)
			if (read_surfaces(w, s, semtype, reversed, depth + 1) < 0)
				return -1;
	}
	return 0;
}

/* LoD of a geometry property: lod2Solid -> 2; -1 when it is not one */
static int
lod_property(const char *nm, const char **kind)
{
	*kind = "";
	if (strncmp(nm, "lod", 3) == 0 && nm[3] >= '0' && nm[3] <= '4' && nm[4] != '\0')
	{
		*kind = nm + 4;
		return nm[3] - '0';
	}
	return -1;
}

static int
is_surface_kind(const char *k)
{
	return strcmp(k, "Solid") == 0 || strcmp(k, "MultiSurface") == 0 ||
		strcmp(k, "Geometry") == 0 || strcmp(k, "CompositeSurface") == 0 ||
		strcmp(k, "FootPrint") == 0 || strcmp(k, "RoofEdge") == 0;
}

static int
is_part_property(const char *nm)
{
	return strcmp(nm, "consistsOfBuildingPart") == 0 || strcmp(nm, "buildingPart") == 0 ||
		strcmp(nm, "outerBuildingInstallation") == 0 ||
		strcmp(nm, "interiorBuildingInstallation") == 0 ||
		strcmp(nm, "buildingInstallation") == 0 || strcmp(nm, "consistsOfBridgePart") == 0 ||
		strcmp(nm, "bridgePart") == 0 || strcmp(nm, "consistsOfTunnelPart") == 0 ||
		strcmp(nm, "tunnelPart") == 0 || strcmp(nm, "groupMember") == 0;
}

static int
is_boundary_property(const xmlNode *n)
{
	/* bldg:boundedBy (not gml:boundedBy, the envelope), core:boundary */
	return (strcmp(lname(n), "boundedBy") == 0 && !is_gml_ns(n)) ||
		strcmp(lname(n), "boundary") == 0;
}

/* The highest LoD of an object's geometries (thematic surfaces included,
 * parts excluded), restricted by the option; -1 when none. */
static int
object_lod(gw *w, xmlNode *obj, int depth)
{
	int			best = -1;

	if (depth > 4)
		return -1;
	for (xmlNode *c = obj->children; c; c = c->next)
	{
		const char *kind;
		int			l;

		if (!is_element(c))
			continue;
		if ((l = lod_property(lname(c), &kind)) >= 0 && is_surface_kind(kind))
		{
			if (sr_city_lod_matches(l, w->o->lod) && l > best)
				best = l;
		}
		else if (is_boundary_property(c) || strcmp(lname(c), "opening") == 0)
			for (xmlNode *s = c->children; s; s = s->next)
				if (is_element(s))
				{
					int			b = object_lod(w, s, depth + 1);

					if (b > best)
						best = b;
				}
	}
	return best;
}

/* A thematic surface (RoofSurface ...) at LoD lod: its polygons, then its
 * openings'. */
static int
read_thematic(gw *w, xmlNode *ts, int lod, int depth)
{
	char		semtype[64];

	snprintf(semtype, sizeof(semtype), "%s", lname(ts));
	for (xmlNode *c = ts->children; c; c = c->next)
	{
		const char *kind;

		if (!is_element(c))
			continue;
		if (lod_property(lname(c), &kind) == lod && is_surface_kind(kind))
		{
			if (has_href(c))
			{
				if (read_surfaces(w, c, semtype, 0, 0) < 0)
					return -1;
			}
			else
				for (xmlNode *g = c->children; g; g = g->next)
					if (read_surfaces(w, g, semtype, 0, 0) < 0)
						return -1;
		}
		else if (strcmp(lname(c), "opening") == 0 && depth < 2)
			for (xmlNode *o = c->children; o; o = o->next)
				if (is_element(o) && read_thematic(w, o, lod, depth + 1) < 0)
					return -1;
	}
	return 0;
}

/* A simple property (text only) as a JSON member; generic attributes by
 * their name. */
static void
json_escape(sr_strbuf *b, const char *s)
{
	sr_strbuf_printf(b, "\"");
	for (; *s; s++)
	{
		unsigned char ch = (unsigned char) *s;

		if (ch == '"' || ch == '\\')
			sr_strbuf_printf(b, "\\%c", ch);
		else if (ch < 0x20)
			sr_strbuf_printf(b, "\\u%04x", ch);
		else
			sr_strbuf_printf(b, "%c", ch);
	}
	sr_strbuf_printf(b, "\"");
}

/* An integer ([+-]digits, spaces around) as a JSON number with its exact
 * digits: a double would round those past 2^53 (a 64-bit identifier).
 * Leading zeros and a + go, as strtod's would; 0 when s is not one. */
static int
json_integer(sr_strbuf *b, const char *s)
{
	const char *d,
			   *e;
	int			neg = *s == '-';

	if (*s == '-' || *s == '+')
		s++;
	for (d = s; *d == '0' && isdigit((unsigned char) d[1]); d++)
		;
	for (e = s; isdigit((unsigned char) *e); e++)
		;
	if (e == s || e - d > 300)	/* (longer: a double, infinite, as before) */
		return 0;
	for (const char *t = e; *t; t++)
		if (!isspace((unsigned char) *t))
			return 0;
	sr_strbuf_printf(b, "%s%.*s", neg ? "-" : "", (int) (e - d), d);
	return 1;
}

/* Whether s (leading blanks skipped) is a number as JSON writes one: an
 * optional minus, no leading zero, no plus, no hexadecimal, no inf or nan;
 * trailing blanks allowed.  A simple property's text is taken as a number
 * only then: a code such as "01053" (an INSEE code) or "+33" stays text. */
static int
json_number_text(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (isdigit((unsigned char) *s))
			s++;
	else
		return 0;
	if (*s == '.')
	{
		if (!isdigit((unsigned char) *++s))
			return 0;
		while (isdigit((unsigned char) *s))
			s++;
	}
	if (*s == 'e' || *s == 'E')
	{
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char) *s))
			return 0;
		while (isdigit((unsigned char) *s))
			s++;
	}
	while (isspace((unsigned char) *s))
		s++;
	return *s == '\0';
}

/* txt as a JSON value: numeric 1 (a typed attribute: int, double,
 * measure) a number whenever it reads as one; 2 (a simple property) only
 * when written as JSON writes numbers (json_number_text); 0 a string */
static void
json_value(sr_strbuf *b, const char *txt, int numeric)
{
	char	   *e;
	const char *s = txt;

	while (isspace((unsigned char) *s))
		s++;
	if (numeric == 2 && !json_number_text(s))
		numeric = 0;
	if (numeric && *s && json_integer(b, s))
		return;
	if (numeric && *s)
	{
		double		v = strtod(s, &e);

		while (isspace((unsigned char) *e))
			e++;
		if (*e == '\0' && isfinite(v))
		{
			/* the shortest of 15 to 17 digits that reads back as v
			 * (0.0025, not 0.0025000000000000001) */
			char		num[32];

			for (int prec = 15; prec <= 17; prec++)
			{
				snprintf(num, sizeof(num), "%.*g", prec, v);
				if (strtod(num, NULL) == v)
					break;
			}
			sr_strbuf_printf(b, "%s", num);
			return;
		}
	}
	{
		/* trimmed */
		size_t		l = strlen(s);
		char	   *t = sr_alloc(l + 1);

		if (!t)
			return;
		memcpy(t, s, l + 1);
		while (l > 0 && isspace((unsigned char) t[l - 1]))
			t[--l] = '\0';
		json_escape(b, t);
		sr_free(t);
	}
}

static int
only_text(xmlNode *n)
{
	for (xmlNode *c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return 0;
	return 1;
}

static void
add_attribute(sr_strbuf *b, int *first, const char *key, const char *txt, int numeric)
{
	sr_strbuf_printf(b, "%s", *first ? "" : ", ");
	*first = 0;
	json_escape(b, key);
	sr_strbuf_printf(b, ": ");
	json_value(b, txt, numeric);
}

/* A generic attribute of CityGML 1.0/2.0 (gen:stringAttribute name="x">
 * <gen:value>) or 3.0 (gen:StringAttribute><gen:name><gen:value>) */
static int
generic_attribute(xmlNode *n, sr_strbuf *b, int *first)
{
	const char *nm = lname(n);
	xmlNode    *a = n;
	xmlChar    *name,
			   *val;
	xmlNode    *v;
	int			numeric;

	if (strcmp(nm, "genericAttribute") == 0)
	{
		for (a = n->children; a && !is_element(a); a = a->next)
			;
		if (!a)
			return 1;
		nm = lname(a);
	}
	if (strstr(nm, "Attribute") == NULL || strcmp(nm, "genericAttributeSet") == 0 ||
		strcmp(nm, "GenericAttributeSet") == 0)
		return 0;
	numeric = strncasecmp(nm, "int", 3) == 0 || strncasecmp(nm, "double", 6) == 0 ||
		strncasecmp(nm, "measure", 7) == 0;
	name = xmlGetProp(a, (const xmlChar *) "name");
	if (!name && child(a, "name"))
		name = xmlNodeGetContent(child(a, "name"));
	v = child(a, "value");
	if (!name || !v)
	{
		xmlFree(name);
		return 0;
	}
	val = xmlNodeGetContent(v);
	add_attribute(b, first, (const char *) name, val ? (const char *) val : "", numeric);
	xmlFree(name);
	xmlFree(val);
	return 1;
}

static int	read_object(gw *w, xmlNode *obj, const char *parent_id, int depth);

static int
read_object(gw *w, xmlNode *obj, const char *parent_id, int depth)
{
	char		id[256],
				lodbuf[8],
				q[128];
	xmlChar    *gid = gml_id(obj);
	int			lod,
				first = 1,
				rc = 0;
	sr_strbuf	attrs;
	sr_city_object ob;
	char		where[16];

	if (depth > 8)
	{
		/* reported against its parent (w->obj_id may point at a sibling's
		 * finished frame) */
		qname(obj, q, sizeof(q));
		xmlFree(gid);
		w->obj_id = parent_id;
		gskip(w, "%s nested more than 8 parts deep is left out, with its own parts", q);
		return 0;
	}
	if (gid && sr_city_check_id((const char *) gid, "city object id", w->err) != SR_OK)
	{
		xmlFree(gid);
		return -1;
	}
	if (gid)
		snprintf(id, sizeof(id), "%s", (const char *) gid);
	else
		snprintf(id, sizeof(id), "%s_%ld", lname(obj), w->objects + 1);
	xmlFree(gid);
	w->objects++;
	w->obj_id = id;
	seen_reset(w);
	w->told_budget = w->told_depth = 0;
	w->index = 0;
	if (!sr_strbuf_init(&attrs, 256))
		return sr_error(w->err, SR_ENOMEM, "out of memory"), -1;
	sr_strbuf_printf(&attrs, "{");
	lod = object_lod(w, obj, 0);
	snprintf(lodbuf, sizeof(lodbuf), "%d", lod);
	if (lod < 0 && w->o->lod >= 0)
	{
		/* is there geometry at another LoD? */
		gw			probe = *w;
		sr_city_import_opts any = *w->o;

		any.lod = -1;
		probe.o = &any;
		if (object_lod(&probe, obj, 0) >= 0)
			gskip(w, "no geometry at LoD %g", w->o->lod);
	}
	snprintf(where, sizeof(where), "LoD %d", lod);

	/* 1. thematic surfaces, with their semantic type */
	for (xmlNode *c = obj->children; c && lod >= 0; c = c->next)
		if (is_element(c) && is_boundary_property(c))
			for (xmlNode *s = c->children; s; s = s->next)
				if (is_element(s) && read_thematic(w, s, lod, 0) < 0)
					goto fail;
	if (sr_city_batch_emit(&w->batch, id, lodbuf, w->t->srid, w->sink, where, w->err) != SR_OK)
		goto fail;

	/* 2. the object's own geometries, polygons not given yet; then the
	 * rest of its properties */
	for (xmlNode *c = obj->children; c; c = c->next)
	{
		const char *kind;
		int			l;

		if (!is_element(c))
			continue;
		qname(c, q, sizeof(q));
		if ((l = lod_property(lname(c), &kind)) >= 0)
		{
			if (strcmp(kind, "ImplicitRepresentation") == 0)
				gskip(w, "%s is not imported (implicit geometries are not read)", q);
			else if (!is_surface_kind(kind))
				gskip(w, "%s is not imported (only surfaces)", q);
			else if (l == lod)
			{
				if (has_href(c))
				{
					if (read_surfaces(w, c, NULL, 0, 0) < 0)
						goto fail;
				}
				else
					for (xmlNode *g = c->children; g; g = g->next)
						if (read_surfaces(w, g, NULL, 0, 0) < 0)
							goto fail;
			}
			continue;
		}
		if (is_boundary_property(c) || is_part_property(lname(c)))
			continue;
		if (generic_attribute(c, &attrs, &first))
			continue;
		if (only_text(c) && c->children)
		{
			xmlChar    *txt = xmlNodeGetContent(c);

			add_attribute(&attrs, &first, lname(c), txt ? (const char *) txt : "",
						  strcmp(lname(c), "name") != 0 ? 2 : 0);
			xmlFree(txt);
			continue;
		}
		if (strcmp(lname(c), "boundedBy") == 0 && is_gml_ns(c))
			continue;			/* the envelope */
		if (c->children || has_href(c))
			gskip(w, "%s is not imported", q);
	}
	if (sr_city_batch_emit(&w->batch, id, lodbuf, w->t->srid, w->sink, where, w->err) != SR_OK)
		goto fail;
	sr_strbuf_printf(&attrs, "}");
	if (attrs.oom)
		goto oom;

	memset(&ob, 0, sizeof(ob));
	ob.id = id;
	ob.type = lname(obj);
	ob.parent_id = parent_id;
	ob.lod = lod >= 0 ? lodbuf : NULL;
	ob.attributes_json = first ? NULL : attrs.s;
	ob.footprint = sr_city_batch_footprint(&w->batch, w->t->srid, &ob.footprint_len);
	w->sink->object(w->sink->arg, &ob);
	sr_free((void *) ob.footprint);
	sr_free(attrs.s);
	sr_check_interrupts();

	/* 3. its parts, with this object as their parent */
	for (xmlNode *c = obj->children; c && rc >= 0; c = c->next)
		if (is_element(c) && is_part_property(lname(c)))
			for (xmlNode *p = c->children; p && rc >= 0; p = p->next)
				if (is_element(p))
				{
					char		pid[256];

					snprintf(pid, sizeof(pid), "%s", id);
					rc = read_object(w, p, pid, depth + 1);
				}
	return rc;
oom:
	sr_error(w->err, SR_ENOMEM, "out of memory");
fail:
	sr_free(attrs.s);
	return -1;
}

sr_status
sr_citygml_import(sr_citygml *g, const sr_city_import_opts *o, const sr_city_target *t,
				  const sr_city_sink *sink, sr_err *err)
{
	gw			w;
	xmlNode    *root = xmlDocGetRootElement(g->doc);
	char		buf[320];
	int			rc = 0,
				ballpark = 0;
	sr_strbuf	list;

	memset(&w, 0, sizeof(w));
	w.g = g;
	w.o = o;
	w.t = t;
	w.sink = sink;
	w.err = err;
	w.file_epsg = g->default_epsg;
	w.budget = WALK_FLOOR + WALK_PER_ELEMENT * g->nelements;
	w.seen_gen = 1;
	if (w.file_epsg < 0)
		return sr_error(err, SR_EINVAL, "the srsName of the CityGML document is not recognised"),
			sr_error_hint(err, "Give its EPSG code with option \"srid\" after removing it, or convert the file."),
			err->status;
	if (w.file_epsg > 0 && o->srid > 0 && o->srid != w.file_epsg)
	{
		sr_error(err, SR_EINVAL, "the file's reference system is EPSG:%d but option \"srid\" is %d",
				 w.file_epsg, o->srid);
		sr_error_hint(err, "Leave the option out: it is for files that name no reference system.");
		return err->status;
	}
	if (w.file_epsg == 0)
		w.file_epsg = o->srid;

	for (xmlNode *c = root->children; c && rc >= 0; c = c->next)
	{
		if (!is_element(c))
			continue;
		if (strcmp(lname(c), "cityObjectMember") == 0 || strcmp(lname(c), "featureMember") == 0)
		{
			for (xmlNode *f = c->children; f && rc >= 0; f = f->next)
				if (is_element(f))
					rc = read_object(&w, f, NULL, 0);
		}
		else if (strcmp(lname(c), "featureMembers") == 0)
		{
			for (xmlNode *f = c->children; f && rc >= 0; f = f->next)
				if (is_element(f))
					rc = read_object(&w, f, NULL, 0);
		}
		else if (!(strcmp(lname(c), "boundedBy") == 0 && is_gml_ns(c)) &&
				 strcmp(lname(c), "name") != 0 && strcmp(lname(c), "description") != 0)
		{
			char		q[128];

			qname(c, q, sizeof(q));
			w.obj_id = NULL;
			gskip(&w, "%s of the CityModel is not imported", q);
		}
	}
	if (rc >= 0)
	{
		char		ver[16] = "2.0";
		const char *ns = root->ns && root->ns->href ? (const char *) root->ns->href : "";

		/* http://www.opengis.net/citygml/2.0, .../3.0, .../1.0 */
		if (strstr(ns, "citygml/3.0"))
			snprintf(ver, sizeof(ver), "3.0");
		else if (strstr(ns, "citygml/1.0"))
			snprintf(ver, sizeof(ver), "1.0");
		else if (!strstr(ns, "citygml/2.0"))
			snprintf(ver, sizeof(ver), "unknown");
		sink->meta(sink->arg, "format", "\"CityGML\"");
		snprintf(buf, sizeof(buf), "\"%s\"", ver);
		sink->meta(sink->arg, "version", buf);
		if (sr_strbuf_init(&list, 64))
		{
			for (int i = 0; i < w.nepsgs; i++)
				sr_strbuf_printf(&list, "%s%d", i ? ", " : "", w.epsgs_seen[i]);
			/* none (a document without geometry): null, not [null] */
			if (w.nepsgs == 0)
				snprintf(buf, sizeof(buf), "null");
			else
				snprintf(buf, sizeof(buf), w.nepsgs == 1 ? "%s" : "[%s]", list.s);
			sink->meta(sink->arg, "source_srid", buf);
			sr_free(list.s);
		}
		snprintf(buf, sizeof(buf), "%d", t->srid);
		sink->meta(sink->arg, "target_srid", buf);
		if (w.tr)
		{
			sr_city_json_str(buf, sizeof(buf), sr_crs_transform_desc(w.tr, &ballpark));
			sink->meta(sink->arg, "transformation", buf);
			sink->meta(sink->arg, "ballpark_transformation", ballpark ? "true" : "false");
		}
		snprintf(buf, sizeof(buf), "%ld", w.batch.reoriented);
		sink->meta(sink->arg, "reoriented_surfaces", buf);
		snprintf(buf, sizeof(buf), "%zu", w.outside);
		sink->meta(sink->arg, "outside_area_of_use", buf);
		sr_city_json_str(buf, sizeof(buf), w.area);
		sink->meta(sink->arg, "area_of_use", buf);
	}
	if (w.tr && !t->get)
		sr_crs_transform_free(w.tr);
	sr_city_batch_free(&w.batch);
	sr_city_poly_free(&w.cur);
	sr_free(w.pts);
	sr_free(w.seen);
	return rc >= 0 ? SR_OK : err->status;
}
