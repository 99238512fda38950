/*
 * city_model.c — from the rows of surfaces_sql to a triangulated model:
 * features, colours, walls, properties (sr_city3d.h); the option specs of
 * city_gltf and city_tileset.
 *
 * - A feature is the set of rows sharing a feature_id (a row without one is
 *   its own feature, keyed by its id); features are ordered by that key.
 * - A row's colour is its color column, else its value on the ramp
 *   (value_min..value_max, by default the range of the rows drawn), else
 *   the option color.  Every vertex of a face carries its face's normal and
 *   colour.
 * - Walls: every edge of a row with a ground_z that no other such edge
 *   repeats (the ridge between two faces of a roof, the party wall of two
 *   roofs of equal height are repeated, to the millimetre) is extruded down
 *   to ground_z as a vertical quad facing away from its polygon, coloured
 *   wall_color, in the feature of its row.  Only faces drawn count: a face
 *   skipped (no area, not simple with its holes inside) builds no walls and
 *   hides none; the walls it would have had are counted (skipped_walls).
 * - A row of an empty geometry, of any type, is skipped and counted.
 * - The ramp's default range and has_value come from the rows with a face
 *   drawn; a feature's value is the area-weighted mean of its drawn faces'
 *   values (a face skipped has none); its properties are the members of its
 *   rows' properties, the first row having a member giving its value.
 */
#include "sr_city3d.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_geom.h"

/* ---- options ----------------------------------------------------------------- */

static const char *const ramp_names[] = {"solar", "viridis", "greys", "diverging", "red_green", NULL};
static const char *const frame_names[] = {"local", "enu", NULL};

#define O(f) offsetof(sr_city_opts, f)
#define CITY_COMMON_SPECS \
	{"ramp", SR_OPT_CHOICE, O(ramp), .def = SR_RAMP_SOLAR, .choices = ramp_names, \
	 .meaning = "colour ramp of the value column (low to high: solar indigo-purple-red-orange-yellow, viridis, greys light-dark, diverging blue-white-red, red_green)"}, \
	{"value_min", SR_OPT_NUMBER, O(value_min), -1e300, 1e300, NAN, .flags = SR_OPTF_NODEFAULT, \
	 .meaning = "value given the ramp's first colour (none: the smallest value of the faces drawn)"}, \
	{"value_max", SR_OPT_NUMBER, O(value_max), -1e300, 1e300, NAN, .flags = SR_OPTF_NODEFAULT, \
	 .meaning = "value given the ramp's last colour (none: the largest value of the faces drawn)"}, \
	{"color", SR_OPT_STRING, O(color), .def_string = "#d9d9d9", \
	 .meaning = "colour (#rrggbb or #rrggbbaa) of the surfaces with neither color nor value"}, \
	{"wall_color", SR_OPT_STRING, O(wall_color), .def_string = "#a6a6a6", \
	 .meaning = "colour of the walls generated down to ground_z"}, \
	{"value_name", SR_OPT_STRING, O(value_name), .def_string = "value", \
	 .meaning = "name of the value column among the features' properties"}, \
	{"height_offset", SR_OPT_NUMBER, O(height_offset), -100000, 100000, 0, .unit = "m", \
	 .meaning = "added to every z (e.g. minus the ground altitude, to set a city on a plain globe)"}, \
	{"metadata", SR_OPT_BOOL, O(metadata), .def = 1, \
	 .meaning = "write feature ids (EXT_mesh_features) and the features' properties (EXT_structural_metadata)"}

static const sr_optspec gltf_specs[] = {
	CITY_COMMON_SPECS,
	{"frame", SR_OPT_CHOICE, O(frame), .def = SR_FRAME_LOCAL, .choices = frame_names,
	 .meaning = "local: the data's SRID minus an origin (x east, y up, z south); enu: east-north-up at the origin through ECEF (needs an SRID)"},
};

static const sr_optspec tileset_specs[] = {
	CITY_COMMON_SPECS,
	{"max_features", SR_OPT_INT, O(max_features), 1, 1000000, 2000,
	 .meaning = "most features a tile holds; a tile holding more passes its smallest features to its children"},
	{"max_kb", SR_OPT_INT, O(max_kb), 16, 1048576, 4096, .unit = "kB",
	 .meaning = "most estimated GLB size of a tile, likewise"},
	{"max_depth", SR_OPT_INT, O(max_depth), 0, 30, 12,
	 .meaning = "deepest quadtree level; a tile there holds all its features"},
};

const sr_optset sr_city_gltf_optset = {
	"city_gltf", "option", gltf_specs, sizeof(gltf_specs) / sizeof(gltf_specs[0])
};
const sr_optset sr_city_tileset_optset = {
	"city_tileset", "option", tileset_specs, sizeof(tileset_specs) / sizeof(tileset_specs[0])
};

/* ---- colours -------------------------------------------------------------------- */

static const char *const ramp_solar[] = {"#3a3a98", "#8e3b8f", "#d94f3a", "#f39c12", "#ffd92f", NULL};
static const char *const ramp_viridis[] = {"#440154", "#3b528b", "#21918c", "#5ec962", "#fde725", NULL};
static const char *const ramp_greys[] = {"#f7f7f7", "#cccccc", "#969696", "#636363", "#252525", NULL};
static const char *const ramp_diverging[] = {"#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b", NULL};
static const char *const ramp_red_green[] = {"#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641", NULL};

const char *const *
sr_city_ramp_stops(int ramp)
{
	switch (ramp)
	{
		case SR_RAMP_VIRIDIS:
			return ramp_viridis;
		case SR_RAMP_GREYS:
			return ramp_greys;
		case SR_RAMP_DIVERGING:
			return ramp_diverging;
		case SR_RAMP_RED_GREEN:
			return ramp_red_green;
		default:
			return ramp_solar;
	}
}

static int
hex2(const char *s)
{
	int			v = 0;

	for (int k = 0; k < 2; k++)
	{
		char		c = s[k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

bool
sr_city_parse_color(const char *s, uint8_t rgba[4])
{
	size_t		n;

	if (s == NULL || s[0] != '#')
		return false;
	n = strlen(s + 1);
	if (n != 6 && n != 8)
		return false;
	for (size_t k = 0; k < n / 2; k++)
	{
		int			v = hex2(s + 1 + 2 * k);

		if (v < 0)
			return false;
		rgba[k] = (uint8_t) v;
	}
	if (n == 6)
		rgba[3] = 255;
	return true;
}

void
sr_city_ramp_color(int ramp, double v, double lo, double hi, uint8_t rgba[4])
{
	const char *const *stops = sr_city_ramp_stops(ramp);
	int			n = 0;
	double		t,
				f;
	int			k;
	uint8_t		a[4],
				b[4];

	while (stops[n])
		n++;
	t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
	if (!(t >= 0))
		t = 0;					/* also NaN */
	if (t > 1)
		t = 1;
	f = t * (n - 1);
	k = (int) floor(f);
	if (k >= n - 1)
		k = n - 2;
	f -= k;
	sr_city_parse_color(stops[k], a);
	sr_city_parse_color(stops[k + 1], b);
	for (int c = 0; c < 3; c++)
		rgba[c] = (uint8_t) lround(a[c] + f * (b[c] - a[c]));
	rgba[3] = 255;
}

/* ---- the edge table of the walls ----------------------------------------------- */

typedef struct wedge
{
	int64_t		q[6];			/* endpoints in mm, the smaller first */
	int			count;			/* edges of faces drawn */
	int			all;			/* edges of every face, skipped ones too */
} wedge;

typedef struct wtable
{
	wedge	   *e;
	size_t		n,
				cap;
	uint32_t   *slot;			/* 1 + edge index, 0 empty */
	size_t		nslots;			/* power of two */
} wtable;

static void
edge_key(const double *a, const double *b, int64_t q[6])
{
	int64_t		qa[3],
				qb[3];
	bool		swap = false;

	for (int k = 0; k < 3; k++)
	{
		qa[k] = llround(a[k] * 1000.0);
		qb[k] = llround(b[k] * 1000.0);
	}
	for (int k = 0; k < 3; k++)
		if (qa[k] != qb[k])
		{
			swap = qb[k] < qa[k];
			break;
		}
	for (int k = 0; k < 3; k++)
	{
		q[k] = swap ? qb[k] : qa[k];
		q[3 + k] = swap ? qa[k] : qb[k];
	}
}

static size_t
edge_hash(const int64_t q[6])
{
	uint64_t	h = 1469598103934665603ULL;

	for (int k = 0; k < 6; k++)
	{
		h ^= (uint64_t) q[k];
		h *= 1099511628211ULL;
		h ^= h >> 29;
	}
	return (size_t) h;
}

/* Find or add an edge (of a face drawn or not); returns its index. */
static size_t
edge_add(wtable *t, const int64_t q[6], bool add, bool drawn)
{
	size_t		mask = t->nslots - 1,
				s = edge_hash(q) & mask;

	for (;;)
	{
		uint32_t	v = t->slot[s];

		if (v == 0)
		{
			if (!add)
				return (size_t) -1;
			memcpy(t->e[t->n].q, q, sizeof(int64_t) * 6);
			t->e[t->n].count = drawn ? 1 : 0;
			t->e[t->n].all = 1;
			t->slot[s] = (uint32_t) (t->n + 1);
			return t->n++;
		}
		if (memcmp(t->e[v - 1].q, q, sizeof(int64_t) * 6) == 0)
		{
			if (add)
			{
				t->e[v - 1].count += drawn ? 1 : 0;
				t->e[v - 1].all++;
			}
			return v - 1;
		}
		s = (s + 1) & mask;
	}
}

/* ---- building ------------------------------------------------------------------ */

typedef struct rowkey
{
	int64_t		key;
	int64_t		row;
} rowkey;

static int
cmp_rowkey(const void *a, const void *b)
{
	const rowkey *x = a,
			   *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->row > y->row) - (x->row < y->row);
}

/* Points of a ring without its closing point. */
static int
ring_open_count(const sr_mpoly *mp, int r)
{
	int			s = mp->ring_pt_start[r],
				e = mp->ring_pt_start[r + 1],
				n = e - s;
	const double *p = mp->xyz;

	if (n > 1 && p[3 * s] == p[3 * (e - 1)] && p[3 * s + 1] == p[3 * (e - 1) + 1] &&
		p[3 * s + 2] == p[3 * (e - 1) + 2])
		n--;
	return n;
}

typedef struct builder
{
	sr_city_model *m;
	size_t		cap_v,
				cap_t,
				cap_f;
	double	   *ring_xyz;		/* scratch: one polygon's open rings */
	int		   *ring_start;
	size_t		cap_ring_pts;
	int			cap_rings;
	uint32_t   *tri;			/* scratch triangles */
	size_t		cap_tri;
} builder;

static sr_status
grow(void **p, size_t *cap, size_t need, size_t elem, sr_err *err)
{
	void	   *np;
	size_t		nc;

	if (need <= *cap)
		return SR_OK;
	nc = *cap ? *cap : 64;
	while (nc < need)
		nc *= 2;
	np = sr_realloc(*p, nc * elem);
	if (!np)
		return sr_error(err, SR_ENOMEM, "out of memory");
	*p = np;
	*cap = nc;
	return SR_OK;
}

/* Append one planar face (rings in b->ring_xyz / ring_start) with its
 * normal and colour; returns its area, that of its triangles (0: skipped as
 * degenerate, or as not a simple polygon with holes inside).  pre: its
 * triangles already cut (pre_nt of them, > 0), or NULL to cut them here. */
static sr_status
add_face(builder *b, int nrings, const double normal_in[3], const uint8_t rgba[4],
		 int64_t fvstart, const uint32_t *pre, int pre_nt, double *area_out, sr_err *err)
{
	sr_city_model *m = b->m;
	int			npts = b->ring_start[nrings];
	double		n[3] = {normal_in[0], normal_in[1], normal_in[2]},
				len = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
	size_t		maxtri = (size_t) npts + 2 * (size_t) nrings;
	int			nt;
	sr_status	st;

	*area_out = 0;
	if (pre)
	{
		if ((st = grow((void **) &b->tri, &b->cap_tri, 3 * (size_t) pre_nt, sizeof(uint32_t), err)) != SR_OK)
			return st;
		memcpy(b->tri, pre, sizeof(uint32_t) * 3 * (size_t) pre_nt);
		nt = pre_nt;
	}
	else
	{
		if (!(len > 0) || npts < 3)
		{
			m->skipped_faces++;
			return SR_OK;
		}
		if ((st = grow((void **) &b->tri, &b->cap_tri, 3 * maxtri, sizeof(uint32_t), err)) != SR_OK)
			return st;
		nt = sr_city_triangulate(b->ring_xyz, b->ring_start, nrings, n, b->tri);
		if (nt < 0)
			return sr_error(err, SR_ENOMEM, "out of memory");
		if (nt == 0)
		{
			m->skipped_faces++;
			return SR_OK;
		}
	}
	n[0] /= len;
	n[1] /= len;
	n[2] /= len;
	if ((st = grow((void **) &m->pos, &b->cap_v, m->nverts + npts, 3 * sizeof(double), err)) != SR_OK)
		return st;
	{
		/* the other per-vertex arrays follow pos's capacity */
		size_t		cv = b->cap_v;
		float	   *nn = sr_realloc(m->nrm, cv * 3 * sizeof(float));
		uint8_t    *nc;

		if (!nn)
			return sr_error(err, SR_ENOMEM, "out of memory");
		m->nrm = nn;
		nc = sr_realloc(m->rgba, cv * 4);
		if (!nc)
			return sr_error(err, SR_ENOMEM, "out of memory");
		m->rgba = nc;
	}
	if ((st = grow((void **) &m->tri, &b->cap_t, m->ntris + nt, 3 * sizeof(uint32_t), err)) != SR_OK)
		return st;
	if (m->nfaces + 2 > b->cap_f)
	{
		size_t		nc = b->cap_f ? 2 * b->cap_f : 256;
		size_t	   *fv = sr_realloc(m->face_v, sizeof(size_t) * (nc + 1));
		int		   *fe;

		if (!fv)
			return sr_error(err, SR_ENOMEM, "out of memory");
		m->face_v = fv;
		fe = sr_realloc(m->face_ext, sizeof(int) * (nc + 1));
		if (!fe)
			return sr_error(err, SR_ENOMEM, "out of memory");
		m->face_ext = fe;
		b->cap_f = nc;
	}
	m->face_v[m->nfaces] = m->nverts;
	m->face_ext[m->nfaces] = b->ring_start[1];
	m->nfaces++;
	m->face_v[m->nfaces] = m->nverts + npts;
	for (int k = 0; k < npts; k++)
	{
		size_t		v = m->nverts + k;

		memcpy(m->pos + 3 * v, b->ring_xyz + 3 * k, 3 * sizeof(double));
		m->nrm[3 * v] = (float) n[0];
		m->nrm[3 * v + 1] = (float) n[1];
		m->nrm[3 * v + 2] = (float) n[2];
		memcpy(m->rgba + 4 * v, rgba, 4);
	}
	for (int t = 0; t < 3 * nt; t++)
		m->tri[3 * m->ntris + t] = (uint32_t) (m->nverts - fvstart + b->tri[t]);
	m->nverts += npts;
	m->ntris += nt;
	/* the area drawn, holes left out (the exterior ring's Newell normal,
	 * which weighted the feature's value before 2026-12-06, counts them) */
	for (int t = 0; t < nt; t++)
	{
		const double *p = b->ring_xyz + 3 * b->tri[3 * t],
				   *q = b->ring_xyz + 3 * b->tri[3 * t + 1],
				   *r = b->ring_xyz + 3 * b->tri[3 * t + 2];
		double		u[3] = {q[0] - p[0], q[1] - p[1], q[2] - p[2]},
					v[3] = {r[0] - p[0], r[1] - p[1], r[2] - p[2]};

		*area_out += sqrt((u[1] * v[2] - u[2] * v[1]) * (u[1] * v[2] - u[2] * v[1]) +
						  (u[2] * v[0] - u[0] * v[2]) * (u[2] * v[0] - u[0] * v[2]) +
						  (u[0] * v[1] - u[1] * v[0]) * (u[0] * v[1] - u[1] * v[0])) / 2;
	}
	return SR_OK;
}

/* Copy polygon p of mp (open rings, z + offset) into the builder's scratch. */
static sr_status
load_polygon(builder *b, const sr_mpoly *mp, int p, double dz, int *nrings, sr_err *err)
{
	int			r0 = mp->poly_ring_start[p],
				r1 = mp->poly_ring_start[p + 1],
				npts = 0;
	sr_status	st;
	size_t		cr;

	for (int r = r0; r < r1; r++)
		npts += ring_open_count(mp, r);
	if ((st = grow((void **) &b->ring_xyz, &b->cap_ring_pts, npts, 3 * sizeof(double), err)) != SR_OK)
		return st;
	cr = b->cap_rings;
	if ((st = grow((void **) &b->ring_start, &cr, r1 - r0 + 1, sizeof(int), err)) != SR_OK)
		return st;
	b->cap_rings = (int) cr;
	npts = 0;
	for (int r = r0; r < r1; r++)
	{
		int			n = ring_open_count(mp, r),
					s = mp->ring_pt_start[r];

		b->ring_start[r - r0] = npts;
		for (int k = 0; k < n; k++)
		{
			b->ring_xyz[3 * (npts + k)] = mp->xyz[3 * (s + k)];
			b->ring_xyz[3 * (npts + k) + 1] = mp->xyz[3 * (s + k) + 1];
			b->ring_xyz[3 * (npts + k) + 2] = mp->xyz[3 * (s + k) + 2] + dz;
		}
		npts += n;
	}
	b->ring_start[r1 - r0] = npts;
	*nrings = r1 - r0;
	return SR_OK;
}

/* Store one property member of feature f (first row wins). */
static sr_status
set_prop(sr_city_model *m, int *cap_cols, int f, const sr_city_pval *pv, sr_err *err)
{
	int			c;
	sr_city_pcol *col;

	if (pv->kind == SR_PK_NONE)
		return SR_OK;
	for (c = 0; c < m->npcols; c++)
		if (strcmp(m->pcols[c].key, pv->key) == 0)
			break;
	if (c == m->npcols)
	{
		if (m->npcols >= 1000)
			return sr_error(err, SR_EDATA, "properties have more than 1000 distinct members");
		if (m->npcols == *cap_cols)
		{
			int			nc = *cap_cols ? 2 * *cap_cols : 16;
			sr_city_pcol *np = sr_realloc(m->pcols, sizeof(sr_city_pcol) * nc);

			if (!np)
				return sr_error(err, SR_ENOMEM, "out of memory");
			m->pcols = np;
			*cap_cols = nc;
		}
		col = &m->pcols[m->npcols];
		memset(col, 0, sizeof(*col));
		col->key = sr_alloc(strlen(pv->key) + 1);
		col->num = sr_alloc0(sizeof(double) * m->nfeat);
		col->present = sr_alloc0(m->nfeat);
		col->b = sr_alloc0(sizeof(bool) * m->nfeat);
		col->str = sr_alloc0(sizeof(char *) * m->nfeat);
		if (!col->key || !col->num || !col->present || !col->b || !col->str)
			return sr_error(err, SR_ENOMEM, "out of memory");
		strcpy(col->key, pv->key);
		col->kind = pv->kind;
		m->npcols++;
	}
	col = &m->pcols[c];
	if (col->present[f])
		return SR_OK;
	col->present[f] = (uint8_t) pv->kind;	/* the member's own kind */
	if (col->kind != pv->kind)
		col->kind = SR_PK_STRING;	/* mixed kinds: text */
	col->num[f] = pv->num;
	col->b[f] = pv->b;
	if (pv->kind == SR_PK_STRING)
	{
		col->str[f] = sr_alloc(strlen(pv->str) + 1);
		if (!col->str[f])
			return sr_error(err, SR_ENOMEM, "out of memory");
		strcpy(col->str[f], pv->str);
	}
	return SR_OK;
}

/* Shortest text of a double that reads back the same. */
static void
fmt_double(char *buf, size_t len, double v)
{
	for (int prec = 15; prec <= 17; prec++)
	{
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* A metadata identifier from a member name: [A-Za-z_][A-Za-z0-9_]*. */
static void
make_ident(const char *key, char *out, size_t len)
{
	size_t		o = 0;

	if (!((key[0] >= 'A' && key[0] <= 'Z') || (key[0] >= 'a' && key[0] <= 'z') || key[0] == '_'))
		out[o++] = '_';
	for (const char *p = key; *p && o + 1 < len; p++)
	{
		char		c = *p;

		out[o++] = ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
					(c >= '0' && c <= '9') || c == '_') ? c : '_';
	}
	out[o] = '\0';
}

/* Whether row r has a face drawn (poly_nt[p] > 0: triangles cut). */
/* a property column's memory: its nf features' strings and its arrays */
static void
pcol_free(sr_city_pcol *col, int nf)
{
	for (int f = 0; col->str && f < nf; f++)
		sr_free(col->str[f]);
	sr_free(col->key);
	sr_free(col->num);
	sr_free(col->present);
	sr_free(col->b);
	sr_free(col->str);
}

static bool
row_drawn(const sr_mpoly *mp, const int64_t *row_poly0, const int *poly_nt, int64_t r)
{
	for (int p = 0; p < mp[r].npolys; p++)
		if (poly_nt[row_poly0[r] + p] > 0)
			return true;
	return false;
}

/*
 * Drop the features with nothing drawn (every face skipped, or every
 * geometry empty): a feature is what a viewer can draw and click, so the
 * count (features, featureCount), the feature ids and the property table
 * hold the drawn ones only; the others are counted in skipped_features
 * (before 2026-12-07 they were rows of the property table and counted in
 * features, with no vertex to carry their id).  A property column only
 * they had goes with them, and a column's kind is that of the members
 * left (before finish_props, which fills in the text of mixed columns).
 */
static void
drop_undrawn(sr_city_model *m)
{
	int			nf = 0;

	for (int f = 0; f < m->nfeat; f++)
	{
		if (m->fvert[f + 1] == m->fvert[f])
		{
			m->skipped_features++;
			for (int c = 0; c < m->npcols; c++)
				sr_free(m->pcols[c].str[f]);
			continue;
		}
		m->fid[nf] = m->fid[f];
		m->value[nf] = m->value[f];
		memmove(m->bbox + 6 * nf, m->bbox + 6 * f, 6 * sizeof(double));
		/* vertex and triangle ranges: a dropped feature's are empty */
		m->fvert[nf] = m->fvert[f];
		m->ftri[nf] = m->ftri[f];
		for (int c = 0; c < m->npcols; c++)
		{
			sr_city_pcol *col = &m->pcols[c];

			col->num[nf] = col->num[f];
			col->present[nf] = col->present[f];
			col->b[nf] = col->b[f];
			col->str[nf] = col->str[f];
		}
		nf++;
	}
	if (nf == m->nfeat)
		return;
	m->fvert[nf] = m->nverts;
	m->ftri[nf] = m->ntris;
	m->nfeat = nf;
	{
		int			nc = 0;

		for (int c = 0; c < m->npcols; c++)
		{
			sr_city_pcol *col = &m->pcols[c];
			sr_city_pkind kind = SR_PK_NONE;

			for (int f = 0; f < nf; f++)
				if (col->present[f] && kind == SR_PK_NONE)
					kind = (sr_city_pkind) col->present[f];
				else if (col->present[f] && kind != (sr_city_pkind) col->present[f])
					kind = SR_PK_STRING;	/* mixed kinds: text */
			if (kind == SR_PK_NONE)
			{
				/* a member of dropped features only: no column */
				pcol_free(col, nf);
				continue;
			}
			col->kind = kind;
			m->pcols[nc++] = *col;
		}
		m->npcols = nc;
	}
}

/* Finish the property columns: identifiers unique (and distinct from the
 * id and value columns), the text of numbers and booleans of mixed
 * columns, missing values. */
static sr_status
finish_props(sr_city_model *m, sr_err *err)
{
	for (int c = 0; c < m->npcols; c++)
	{
		sr_city_pcol *col = &m->pcols[c];
		char		base[48];
		int			suffix = 1;
		bool		clash;

		make_ident(col->key, base, sizeof(base));
		snprintf(col->ident, sizeof(col->ident), "%s", base);
		do
		{
			clash = strcmp(col->ident, "feature_id") == 0 ||
				(m->has_value && strcmp(col->ident, m->opts.value_name) == 0);
			for (int d = 0; d < c && !clash; d++)
				clash = strcmp(m->pcols[d].ident, col->ident) == 0;
			if (clash)
				snprintf(col->ident, sizeof(col->ident), "%s_%d", base, ++suffix);
		} while (clash);
		for (int f = 0; f < m->nfeat; f++)
		{
			if (!col->present[f])
			{
				col->has_missing = true;
				continue;
			}
			if (col->kind == SR_PK_STRING && col->str[f] == NULL)
			{
				char		buf[64];

				/* a number or boolean in a column of text */
				if (col->present[f] == SR_PK_BOOL)
					snprintf(buf, sizeof(buf), "%s", col->b[f] ? "true" : "false");
				else
					fmt_double(buf, sizeof(buf), col->num[f]);
				col->str[f] = sr_alloc(strlen(buf) + 1);
				if (!col->str[f])
					return sr_error(err, SR_ENOMEM, "out of memory");
				strcpy(col->str[f], buf);
			}
		}
		/* BOOLEAN has no "no data" value in the metadata spec: text then */
		if (col->kind == SR_PK_BOOL && col->has_missing)
		{
			col->kind = SR_PK_STRING;
			for (int f = 0; f < m->nfeat; f++)
				if (col->present[f])
				{
					col->str[f] = sr_alloc(6);
					if (!col->str[f])
						return sr_error(err, SR_ENOMEM, "out of memory");
					strcpy(col->str[f], col->b[f] ? "true" : "false");
				}
		}
	}
	return SR_OK;
}

sr_status
sr_city_build(const sr_city_input *in, const sr_city_opts *opts, int32_t srid,
			  sr_city_model *m, sr_err *err)
{
	int64_t		nr = in->nrows;
	rowkey	   *rk = NULL;
	sr_mpoly   *mp = NULL;
	int64_t	   *row_feat = NULL;
	int64_t	   *row_poly0 = NULL;	/* first polygon of each row */
	int		   *poly_nt = NULL;	/* its triangles, 0: skipped */
	size_t	   *poly_tri0 = NULL;	/* where they are in poly_tri */
	uint32_t   *poly_tri = NULL;
	size_t		npolys = 0,
				ntri_cut = 0,
				cap_poly_tri = 0;
	builder		b;
	wtable		wt;
	uint8_t		def_rgba[4],
				wall_rgba[4];
	double		dz = opts->height_offset;
	int			cap_cols = 0;
	size_t		nedges = 0;
	double		f_sum_a = 0,
				f_sum_va = 0,
				f_sum_v = 0;
	int			f_n = 0;
	sr_status	st = SR_OK;

	memset(m, 0, sizeof(*m));
	memset(&b, 0, sizeof(b));
	memset(&wt, 0, sizeof(wt));
	m->opts = *opts;
	m->srid = srid;
	b.m = m;
	for (int k = 0; k < 3; k++)
	{
		m->extent[k] = INFINITY;
		m->extent[3 + k] = -INFINITY;
	}
	if (!sr_city_parse_color(opts->color, def_rgba))
	{
		sr_error(err, SR_EINVAL, "option \"color\" is not a colour: \"%s\"", opts->color);
		sr_error_hint(err, "Write a colour as #rrggbb or #rrggbbaa.");
		return err->status;
	}
	if (!sr_city_parse_color(opts->wall_color, wall_rgba))
	{
		sr_error(err, SR_EINVAL, "option \"wall_color\" is not a colour: \"%s\"", opts->wall_color);
		sr_error_hint(err, "Write a colour as #rrggbb or #rrggbbaa.");
		return err->status;
	}
	if (opts->value_name[0] == '\0')
		return sr_error(err, SR_EINVAL, "option \"value_name\" cannot be empty");

	if (!isnan(opts->value_min) && !isnan(opts->value_max) && !(opts->value_min < opts->value_max))
		return sr_error(err, SR_EINVAL, "option \"value_min\" must be less than \"value_max\"");

	/* rows in feature order */
	rk = sr_alloc(sizeof(rowkey) * (nr ? nr : 1));
	mp = sr_alloc0(sizeof(sr_mpoly) * (nr ? nr : 1));
	row_feat = sr_alloc(sizeof(int64_t) * (nr ? nr : 1));
	if (!rk || !mp || !row_feat)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int64_t r = 0; r < nr; r++)
	{
		rk[r].key = (in->feature_id && !(in->feature_id_null && in->feature_id_null[r])) ?
			in->feature_id[r] : in->id[r];
		rk[r].row = r;
	}
	qsort(rk, nr, sizeof(rowkey), cmp_rowkey);
	for (int64_t k = 0; k < nr; k++)
		if (k == 0 || rk[k].key != rk[k - 1].key)
			m->nfeat++;
	m->fid = sr_alloc(sizeof(int64_t) * (m->nfeat + 1));
	m->value = sr_alloc(sizeof(double) * (m->nfeat + 1));
	m->bbox = sr_alloc(sizeof(double) * 6 * (m->nfeat + 1));
	m->fvert = sr_alloc0(sizeof(size_t) * (m->nfeat + 1));
	m->ftri = sr_alloc0(sizeof(size_t) * (m->nfeat + 1));
	if (!m->fid || !m->value || !m->bbox || !m->fvert || !m->ftri)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	{
		int			f = -1;

		for (int64_t k = 0; k < nr; k++)
		{
			if (k == 0 || rk[k].key != rk[k - 1].key)
				m->fid[++f] = rk[k].key;
			row_feat[rk[k].row] = f;
		}
	}

	/* decode every geometry; count the wall edges */
	for (int64_t r = 0; r < nr; r++)
	{
		if ((st = sr_wkb_read_mpoly(in->wkb[r], in->wkb_len[r], &mp[r], err)) != SR_OK &&
			sr_wkb_is_empty(in->wkb[r], in->wkb_len[r]))
		{
			/* an empty geometry of any type (GEOMETRYCOLLECTION EMPTY, what
			 * an intersection of nothing gives, as POLYGON EMPTY) has no
			 * surface: skipped and counted, not a type error */
			sr_err_clear(err);
			sr_mpoly_init(&mp[r]);
			st = SR_OK;
		}
		else if (st != SR_OK)
		{
			char		msg[SR_ERRMSG_LEN];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			sr_error(err, SR_EGEOM, "geom of surface %lld: %s", (long long) in->id[r], msg);
			sr_error_hint(err, "A surface is a Polygon, MultiPolygon, PolyhedralSurface or TIN, with z.");
			goto done;
		}
		if (mp[r].npolys == 0)
			m->empty_geometries++;
		npolys += mp[r].npolys;
		if (in->ground_z && isfinite(in->ground_z[r]))
			for (int p = 0; p < mp[r].npolys; p++)
				for (int q = mp[r].poly_ring_start[p]; q < mp[r].poly_ring_start[p + 1]; q++)
					nedges += ring_open_count(&mp[r], q);
		if ((r & 1023) == 0)
			sr_check_interrupts();
	}
	/*
	 * Cut every face first: a face skipped (no area, or not a simple
	 * polygon with its holes inside) gives no walls, and its edges hide no
	 * wall of a face drawn — as if its row had not the face (before
	 * 2026-12-06 its edges were extruded all the same, walls standing
	 * under a roof that is not drawn).
	 */
	row_poly0 = sr_alloc(sizeof(int64_t) * (nr + 1));
	poly_nt = sr_alloc(sizeof(int) * (npolys + 1));
	poly_tri0 = sr_alloc(sizeof(size_t) * (npolys + 1));
	if (!row_poly0 || !poly_nt || !poly_tri0)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	{
		size_t		pi = 0;

		for (int64_t r = 0; r < nr; r++)
		{
			row_poly0[r] = (int64_t) pi;
			for (int p = 0; p < mp[r].npolys; p++, pi++)
			{
				int			nrings,
							npts;
				double		nrm[3];

				if ((st = load_polygon(&b, &mp[r], p, dz, &nrings, err)) != SR_OK)
					goto done;
				npts = b.ring_start[nrings];
				sr_city_newell(b.ring_xyz, b.ring_start[1], nrm);
				poly_tri0[pi] = ntri_cut;
				poly_nt[pi] = 0;
				if (npts >= 3 && sqrt(nrm[0] * nrm[0] + nrm[1] * nrm[1] + nrm[2] * nrm[2]) > 0)
				{
					size_t		maxtri = (size_t) npts + 2 * (size_t) nrings;

					if ((st = grow((void **) &poly_tri, &cap_poly_tri, 3 * (ntri_cut + maxtri),
								   sizeof(uint32_t), err)) != SR_OK)
						goto done;
					poly_nt[pi] = sr_city_triangulate(b.ring_xyz, b.ring_start, nrings, nrm,
													  poly_tri + 3 * ntri_cut);
					if (poly_nt[pi] < 0)
					{
						st = sr_error(err, SR_ENOMEM, "out of memory");
						goto done;
					}
					ntri_cut += poly_nt[pi];
				}
				if (poly_nt[pi] == 0)
					m->skipped_faces++;
			}
		}
		row_poly0[nr] = (int64_t) pi;
	}
	/*
	 * The value range (the ramp's, the legend's value_range) and has_value
	 * come from the rows drawn, a row with at least one face drawn: a value
	 * on faces all skipped or on an empty geometry colours nothing (before
	 * 2026-12-07 it counted, and one degenerate face of 10,000 among roofs
	 * of 0-100 drew every roof in the ramp's first colour).  A bound given
	 * by value_min/value_max is kept as given.
	 */
	m->vmin = INFINITY;
	m->vmax = -INFINITY;
	for (int64_t r = 0; in->value && r < nr; r++)
		if (isfinite(in->value[r]) && row_drawn(mp, row_poly0, poly_nt, r))
		{
			m->has_value = true;
			m->vmin = fmin(m->vmin, in->value[r]);
			m->vmax = fmax(m->vmax, in->value[r]);
		}
	if (!isnan(opts->value_min))
		m->vmin = opts->value_min;
	if (!isnan(opts->value_max))
		m->vmax = opts->value_max;
	if (!m->has_value && isinf(m->vmin))
		m->vmin = m->vmax = 0;
	if (m->vmin > m->vmax)
	{
		double		t = m->vmin;	/* one bound given beyond the data */

		m->vmin = m->vmax;
		m->vmax = t;
	}
	if (nedges > 0)
	{
		if (nedges > UINT32_MAX / 2)
		{
			st = sr_error(err, SR_ERANGE, "too many wall edges: %zu", nedges);
			goto done;
		}
		wt.e = sr_alloc(sizeof(wedge) * nedges);
		wt.nslots = 1024;
		while (wt.nslots < 2 * nedges)
			wt.nslots *= 2;
		wt.slot = sr_alloc0(sizeof(uint32_t) * wt.nslots);
		if (!wt.e || !wt.slot)
		{
			st = sr_error(err, SR_ENOMEM, "out of memory");
			goto done;
		}
		for (int64_t r = 0; r < nr; r++)
		{
			if (!isfinite(in->ground_z[r]))
				continue;
			for (int p = 0; p < mp[r].npolys; p++)
				for (int q = mp[r].poly_ring_start[p]; q < mp[r].poly_ring_start[p + 1]; q++)
				{
					int			n = ring_open_count(&mp[r], q),
								s = mp[r].ring_pt_start[q];
					int64_t		key[6];

					for (int k = 0; k < n; k++)
					{
						edge_key(mp[r].xyz + 3 * (s + k), mp[r].xyz + 3 * (s + (k + 1) % n), key);
						edge_add(&wt, key, true, poly_nt[row_poly0[r] + p] > 0);
					}
				}
		}
	}

	/* features: faces, walls, value, properties */
	for (int64_t k = 0, f = -1; k < nr; k++)
	{
		int64_t		r = rk[k].row;
		uint8_t		rgba[4];
		double		sum_a = 0,
					sum_va = 0;
		int			nsum = 0;
		double		sum_v = 0;
		int64_t		fv;

		if (k == 0 || rk[k].key != rk[k - 1].key)
		{
			f++;
			m->fvert[f] = m->nverts;
			m->ftri[f] = m->ntris;
			m->value[f] = NAN;
			f_sum_a = f_sum_va = f_sum_v = 0;
			f_n = 0;
		}
		fv = (int64_t) m->fvert[f];
		/* colour */
		if (in->color && in->color[r])
		{
			if (!sr_city_parse_color(in->color[r], rgba))
			{
				sr_error(err, SR_EDATA, "color of surface %lld is not a colour: \"%s\"",
						 (long long) in->id[r], in->color[r]);
				sr_error_hint(err, "Write a colour as #rrggbb or #rrggbbaa.");
				st = err->status;
				goto done;
			}
		}
		else if (in->value && isfinite(in->value[r]))
			sr_city_ramp_color(opts->ramp, in->value[r], m->vmin, m->vmax, rgba);
		else
			memcpy(rgba, def_rgba, 4);
		/* faces */
		for (int p = 0; p < mp[r].npolys; p++)
		{
			int			nrings;
			double		nrm[3],
						a;

			size_t		pi = (size_t) row_poly0[r] + p;

			a = 0;				/* a face skipped (counted above): no value */
			if (poly_nt[pi] > 0)
			{
				if ((st = load_polygon(&b, &mp[r], p, dz, &nrings, err)) != SR_OK)
					goto done;
				sr_city_newell(b.ring_xyz, b.ring_start[1], nrm);
				if ((st = add_face(&b, nrings, nrm, rgba, fv, poly_tri + 3 * poly_tri0[pi],
								   poly_nt[pi], &a, err)) != SR_OK)
					goto done;
			}
			if (in->value && isfinite(in->value[r]) && poly_nt[pi] > 0)
			{
				sum_a += a;
				sum_va += a * in->value[r];
				sum_v += in->value[r];
				nsum++;
			}
		}
		/* walls */
		if (in->ground_z && isfinite(in->ground_z[r]))
		{
			double		gz = in->ground_z[r] + dz;

			for (int p = 0; p < mp[r].npolys; p++)
				for (int q = mp[r].poly_ring_start[p]; q < mp[r].poly_ring_start[p + 1]; q++)
				{
					bool		skipped = poly_nt[row_poly0[r] + p] == 0;

					int			n = ring_open_count(&mp[r], q),
								s = mp[r].ring_pt_start[q];
					double		sa = 0;
					bool		left_inside;

					/* which side of the ring is the polygon (from above) */
					for (int i = 0; i < n; i++)
					{
						const double *u = mp[r].xyz + 3 * (s + i),
								   *v = mp[r].xyz + 3 * (s + (i + 1) % n);

						sa += (u[0] - mp[r].xyz[3 * s]) * (v[1] - mp[r].xyz[3 * s + 1]) -
							(v[0] - mp[r].xyz[3 * s]) * (u[1] - mp[r].xyz[3 * s + 1]);
					}
					left_inside = (q == mp[r].poly_ring_start[p]) ? sa > 0 : sa < 0;
					for (int i = 0; i < n; i++)
					{
						const double *u = mp[r].xyz + 3 * (s + i),
								   *v = mp[r].xyz + 3 * (s + (i + 1) % n);
						int64_t		key[6];
						size_t		e;
						double		out[3],
									a;
						int			np = 0;

						edge_key(u, v, key);
						e = edge_add(&wt, key, false, false);
						if (e == (size_t) -1)
							continue;
						if (u[0] == v[0] && u[1] == v[1])
							continue;	/* vertical edge: no wall */
						if (u[2] <= in->ground_z[r] && v[2] <= in->ground_z[r])
							continue;
						if (skipped)
						{
							/* the wall it would have had (an edge no other
							 * face repeats): counted, not built */
							if (wt.e[e].all == 1)
								m->skipped_walls++;
							continue;
						}
						if (wt.e[e].count != 1)
							continue;
						out[0] = left_inside ? v[1] - u[1] : u[1] - v[1];
						out[1] = left_inside ? u[0] - v[0] : v[0] - u[0];
						out[2] = 0;
						if ((st = grow((void **) &b.ring_xyz, &b.cap_ring_pts, 4, 3 * sizeof(double), err)) != SR_OK)
							goto done;
						/* top u, top v, then down to the ground */
						b.ring_xyz[3 * np] = u[0], b.ring_xyz[3 * np + 1] = u[1], b.ring_xyz[3 * np + 2] = u[2] + dz, np++;
						b.ring_xyz[3 * np] = v[0], b.ring_xyz[3 * np + 1] = v[1], b.ring_xyz[3 * np + 2] = v[2] + dz, np++;
						if (v[2] > in->ground_z[r])
							b.ring_xyz[3 * np] = v[0], b.ring_xyz[3 * np + 1] = v[1], b.ring_xyz[3 * np + 2] = gz, np++;
						if (u[2] > in->ground_z[r])
							b.ring_xyz[3 * np] = u[0], b.ring_xyz[3 * np + 1] = u[1], b.ring_xyz[3 * np + 2] = gz, np++;
						if ((size_t) b.cap_rings < 2)
						{
							size_t		cr = b.cap_rings;

							if ((st = grow((void **) &b.ring_start, &cr, 2, sizeof(int), err)) != SR_OK)
								goto done;
							b.cap_rings = (int) cr;
						}
						b.ring_start[0] = 0;
						b.ring_start[1] = np;
						/* ring order facing outwards: the exterior ring's
						 * Newell normal is the face's normal in any frame */
						{
							double		wn[3];

							bool		flip;

							sr_city_newell(b.ring_xyz, np, wn);
							flip = wn[0] * out[0] + wn[1] * out[1] < 0;
							if (flip)
								for (int i1 = 0, i2 = np - 1; i1 < i2; i1++, i2--)
									for (int c = 0; c < 3; c++)
									{
										double		t = b.ring_xyz[3 * i1 + c];

										b.ring_xyz[3 * i1 + c] = b.ring_xyz[3 * i2 + c];
										b.ring_xyz[3 * i2 + c] = t;
									}
							for (int c = 0; c < 3; c++)
								out[c] = flip ? -wn[c] : wn[c];
						}
						if ((st = add_face(&b, 1, out, wall_rgba, fv, NULL, 0, &a, err)) != SR_OK)
							goto done;
						if (a > 0)
							m->walls++;
					}
				}
		}
		/* value and properties */
		f_sum_a += sum_a;
		f_sum_va += sum_va;
		f_sum_v += sum_v;
		f_n += nsum;
		if (in->properties && in->properties[r])
		{
			sr_city_pval *pv;
			int			npv;

			if (sr_city_parse_props(in->properties[r], &pv, &npv, err) != SR_OK)
			{
				char		msg[SR_ERRMSG_LEN];

				snprintf(msg, sizeof(msg), "%s", err->msg);
				sr_error(err, SR_EDATA, "properties of surface %lld: %s", (long long) in->id[r], msg);
				st = err->status;
				goto done;
			}
			for (int i = 0; i < npv; i++)
			{
				if (st == SR_OK)
					st = set_prop(m, &cap_cols, (int) f, &pv[i], err);
				sr_free(pv[i].key);
				sr_free(pv[i].str);
			}
			sr_free(pv);
			if (st != SR_OK)
				goto done;
		}
		/* end of the feature: its value, bbox */
		if (k == nr - 1 || rk[k + 1].key != rk[k].key)
		{
			double	   *bb = m->bbox + 6 * f;

			if (f_n > 0)
				m->value[f] = f_sum_a > 0 ? f_sum_va / f_sum_a : f_sum_v / f_n;
			m->fvert[f + 1] = m->nverts;
			m->ftri[f + 1] = m->ntris;
			for (int c = 0; c < 3; c++)
			{
				bb[c] = INFINITY;
				bb[3 + c] = -INFINITY;
			}
			for (size_t v = m->fvert[f]; v < m->nverts; v++)
				for (int c = 0; c < 3; c++)
				{
					bb[c] = fmin(bb[c], m->pos[3 * v + c]);
					bb[3 + c] = fmax(bb[3 + c], m->pos[3 * v + c]);
				}
			if (m->nverts == m->fvert[f])
				memset(bb, 0, 6 * sizeof(double));	/* a feature of degenerate faces */
			for (int c = 0; c < 3 && m->nverts > m->fvert[f]; c++)
			{
				m->extent[c] = fmin(m->extent[c], bb[c]);
				m->extent[3 + c] = fmax(m->extent[3 + c], bb[3 + c]);
			}
		}
		if ((k & 255) == 0)
			sr_check_interrupts();
	}
	if (m->nverts == 0)
		memset(m->extent, 0, sizeof(m->extent));
	if (m->nverts > UINT32_MAX)
	{
		st = sr_error(err, SR_ERANGE, "too many vertices: %zu", m->nverts);
		goto done;
	}
	drop_undrawn(m);
	st = finish_props(m, err);
done:
	for (int64_t r = 0; mp && r < nr; r++)
		sr_mpoly_free(&mp[r]);
	sr_free(mp);
	sr_free(rk);
	sr_free(row_feat);
	sr_free(row_poly0);
	sr_free(poly_nt);
	sr_free(poly_tri0);
	sr_free(poly_tri);
	sr_free(wt.e);
	sr_free(wt.slot);
	sr_free(b.ring_xyz);
	sr_free(b.ring_start);
	sr_free(b.tri);
	if (st != SR_OK)
		sr_city_model_free(m);
	return st;
}

void
sr_city_model_free(sr_city_model *m)
{
	for (int c = 0; c < m->npcols; c++)
	{
		sr_city_pcol *col = &m->pcols[c];

		pcol_free(col, m->nfeat);
	}
	sr_free(m->pcols);
	sr_free(m->fid);
	sr_free(m->value);
	sr_free(m->bbox);
	sr_free(m->fvert);
	sr_free(m->ftri);
	sr_free(m->face_v);
	sr_free(m->face_ext);
	sr_free(m->pos);
	sr_free(m->nrm);
	sr_free(m->rgba);
	sr_free(m->tri);
	memset(m, 0, sizeof(*m));
}
