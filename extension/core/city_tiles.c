/*
 * city_tiles.c — 3D Tiles 1.1 tilesets of the model (sr_city3d.h,
 * docs/city3d-publish.md).
 *
 * The split (the choice pg2b3dm makes by default, written here in the
 * database):
 * - a quadtree on the features' footprints: a feature belongs to the
 *   quadrant holding the centre of its bounding box (in the data's SRID);
 * - refine ADD: a tile holds the largest features of its quadrant (by the
 *   diagonal of their bounding box), at most max_features of them and at
 *   most max_kb of estimated GLB; the others go to its children.  No
 *   feature is simplified or repeated: zooming in adds the smaller ones;
 * - a tile's geometric error is the size of the largest feature it leaves
 *   to its descendants (what is missing while only it and its ancestors
 *   are drawn), 0 for a leaf: it never grows from a parent to a child;
 * - every tile's content is written in the east-north-up frame at the
 *   centre of its content (float32 keeps millimetres over a few km); the
 *   tile's transform is that frame relative to its parent's, its bounding
 *   volume a box in that frame containing its content and its children's
 *   boxes.
 * Paths: tiles/{level}/{x}/{y}.glb (x east, y north in the level's grid),
 * then tileset.json.
 */
#include "sr_city3d.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tnode
{
	int			level,
				x,
				y;
	int		   *feat;			/* content features (the first of its list) */
	int			nfeat;
	int		   *own;			/* the list it owns (freed at the end) */
	int			first_child,
				nchild;			/* in the nodes array (children contiguous) */
	double		ge;
	double		W[12];			/* world frame: axes e, n, u (rows), origin */
	double		box[6];			/* min x y z, max x y z in its frame */
} tnode;

typedef struct tbuild
{
	const sr_city_model *m;
	tnode	   *nodes;
	int			n,
				cap;
	double	   *size;			/* per feature */
	double	   *cx,
			   *cy;				/* footprint centres */
	sr_err	   *err;
} tbuild;

static sr_status
new_node(tbuild *B, int *idx)
{
	if (B->n == B->cap)
	{
		int			nc = B->cap ? 2 * B->cap : 64;
		tnode	   *nn = sr_realloc(B->nodes, sizeof(tnode) * nc);

		if (!nn)
			return sr_error(B->err, SR_ENOMEM, "out of memory");
		B->nodes = nn;
		B->cap = nc;
	}
	memset(&B->nodes[B->n], 0, sizeof(tnode));
	*idx = B->n++;
	return SR_OK;
}

/* Split the features list[0..n) (largest first) of the square (x0, y0,
 * side) into node idx and its children.  Children are made breadth-first
 * per node so that they sit next to each other. */
static sr_status
split(tbuild *B, int idx, int *list, int n, double x0, double y0, double side)
{
	const sr_city_model *m = B->m;
	int			keep = 0,
				max_f = m->opts.max_features;
	size_t		bytes = 0,
				max_b = (size_t) m->opts.max_kb * 1024;
	int		   *q[4],
				nq[4] = {0, 0, 0, 0};
	double		half = side / 2;
	int			first = -1,
				nchild = 0;
	tnode	   *nd;
	sr_status	st;

	sr_check_interrupts();
	if (B->nodes[idx].level >= m->opts.max_depth)
		keep = n;
	else
		while (keep < n && keep < max_f)
		{
			size_t		fb = sr_city_feature_bytes(m, list[keep]);

			if (keep > 0 && bytes + fb > max_b)
				break;
			bytes += fb;
			keep++;
		}
	nd = &B->nodes[idx];
	nd->feat = list;
	nd->nfeat = keep;
	nd->ge = keep < n ? B->size[list[keep]] : 0;
	if (keep == n)
		return SR_OK;
	for (int k = 0; k < 4; k++)
	{
		q[k] = sr_alloc(sizeof(int) * (n - keep));
		if (!q[k])
			return sr_error(B->err, SR_ENOMEM, "out of memory");
	}
	for (int i = keep; i < n; i++)
	{
		int			f = list[i],
					qx = B->cx[f] >= x0 + half,
					qy = B->cy[f] >= y0 + half;

		q[qy * 2 + qx][nq[qy * 2 + qx]++] = f;	/* keeps the size order */
	}
	for (int k = 0; k < 4; k++)
		if (nq[k] > 0)
		{
			int			c;

			if ((st = new_node(B, &c)) != SR_OK)
				return st;
			if (first < 0)
				first = c;
			nchild++;
			B->nodes[c].level = B->nodes[idx].level + 1;
			B->nodes[c].x = 2 * B->nodes[idx].x + (k & 1);
			B->nodes[c].y = 2 * B->nodes[idx].y + (k >> 1);
		}
	B->nodes[idx].first_child = first;
	B->nodes[idx].nchild = nchild;
	for (int k = 0, c = first; k < 4; k++)
		if (nq[k] == 0)
			sr_free(q[k]);
		else
			B->nodes[c++].own = q[k];
	for (int k = 0, c = first; k < 4; k++)
		if (nq[k] > 0)
		{
			if ((st = split(B, c, q[k], nq[k], x0 + (k & 1) * half, y0 + (k >> 1) * half, half)) != SR_OK)
				return st;
			c++;
		}
	return SR_OK;
}

static int
cmp_size_desc(const void *a, const void *b, const double *size)
{
	int			i = *(const int *) a,
				j = *(const int *) b;

	if (size[i] != size[j])
		return size[i] > size[j] ? -1 : 1;
	return (i > j) - (i < j);
}

static const double *sort_sizes;

static int
cmp_sizes(const void *a, const void *b)
{
	return cmp_size_desc(a, b, sort_sizes);
}

/* World point of a local point p of frame W. */
static void
to_world(const double W[12], const double p[3], double w[3])
{
	for (int k = 0; k < 3; k++)
		w[k] = W[9 + k] + p[0] * W[k] + p[1] * W[3 + k] + p[2] * W[6 + k];
}

static void
to_local(const double W[12], const double w[3], double p[3])
{
	double		d[3] = {w[0] - W[9], w[1] - W[10], w[2] - W[11]};

	for (int r = 0; r < 3; r++)
		p[r] = W[3 * r] * d[0] + W[3 * r + 1] * d[1] + W[3 * r + 2] * d[2];
}

/* Grow box (in frame P) by the 8 corners of box cb of frame C. */
static void
box_merge(const double P[12], double box[6], const double C[12], const double cb[6])
{
	for (int c = 0; c < 8; c++)
	{
		double		p[3] = {cb[(c & 1) ? 3 : 0], cb[(c & 2) ? 4 : 1], cb[(c & 4) ? 5 : 2]},
					w[3],
					l[3];

		to_world(C, p, w);
		to_local(P, w, l);
		for (int k = 0; k < 3; k++)
		{
			box[k] = fmin(box[k], l[k]);
			box[3 + k] = fmax(box[3 + k], l[k]);
		}
	}
}

static void
json_num(sr_strbuf *b, double v)
{
	char		buf[40];

	if (v == 0)
		v = 0;					/* no "-0" */
	for (int prec = 15; prec <= 17; prec++)
	{
		snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	sr_strbuf_printf(b, "%s", buf);
}

/* The tile's JSON, its children's recursively. */
static void
tile_json(const tbuild *B, int idx, const double *parentW, sr_strbuf *js, bool root)
{
	const tnode *nd = &B->nodes[idx];
	double		c[3],
				h[3],
				T[16];

	for (int k = 0; k < 3; k++)
	{
		c[k] = (nd->box[k] + nd->box[3 + k]) / 2;
		/* never a flat box: half-axes of at least a millimetre */
		h[k] = fmax((nd->box[3 + k] - nd->box[k]) / 2, 0.001);
	}
	/* transform = inverse(parent world) * world, column-major */
	for (int col = 0; col < 4; col++)
	{
		double		v[3];

		if (col < 3)
		{
			/* axis col of this frame expressed in the parent's frame */
			const double *a = nd->W + 3 * col;

			if (parentW)
				for (int r = 0; r < 3; r++)
					v[r] = parentW[3 * r] * a[0] + parentW[3 * r + 1] * a[1] + parentW[3 * r + 2] * a[2];
			else
				memcpy(v, a, sizeof(v));
		}
		else if (parentW)
			to_local(parentW, nd->W + 9, v);
		else
			memcpy(v, nd->W + 9, sizeof(v));
		for (int r = 0; r < 3; r++)
			T[4 * col + r] = v[r];
		T[4 * col + 3] = col == 3 ? 1 : 0;
	}
	sr_strbuf_printf(js, "{\"boundingVolume\":{\"box\":[");
	json_num(js, c[0]);
	sr_strbuf_printf(js, ",");
	json_num(js, c[1]);
	sr_strbuf_printf(js, ",");
	json_num(js, c[2]);
	sr_strbuf_printf(js, ",");
	json_num(js, h[0]);
	sr_strbuf_printf(js, ",0,0,0,");
	json_num(js, h[1]);
	sr_strbuf_printf(js, ",0,0,0,");
	json_num(js, h[2]);
	sr_strbuf_printf(js, "]},\"geometricError\":");
	json_num(js, nd->ge);
	if (root)
		sr_strbuf_printf(js, ",\"refine\":\"ADD\"");
	sr_strbuf_printf(js, ",\"transform\":[");
	for (int k = 0; k < 16; k++)
	{
		if (k)
			sr_strbuf_printf(js, ",");
		json_num(js, T[k]);
	}
	sr_strbuf_printf(js, "],\"content\":{\"uri\":\"tiles/%d/%d/%d.glb\"}", nd->level, nd->x, nd->y);
	if (nd->nchild > 0)
	{
		sr_strbuf_printf(js, ",\"children\":[");
		for (int k = 0; k < nd->nchild; k++)
		{
			if (k)
				sr_strbuf_printf(js, ",");
			tile_json(B, nd->first_child + k, nd->W, js, false);
		}
		sr_strbuf_printf(js, "]");
	}
	sr_strbuf_printf(js, "}");
}

sr_status
sr_city_tileset(const sr_city_model *m, sr_city_emit_fn emit, void *arg,
				int *ntiles, sr_err *err)
{
	tbuild		B;
	int		   *all = NULL,
				nall = 0,
				root;
	double		x0 = INFINITY,
				y0 = INFINITY,
				x1 = -INFINITY,
				y1 = -INFINITY,
				side,
				tileset_ge;
	sr_status	st = SR_OK;
	sr_strbuf	js;
	char	   *extras = NULL;

	*ntiles = 0;
	memset(&B, 0, sizeof(B));
	B.m = m;
	B.err = err;
	js.s = NULL;
	if (!m->ecef)
		return sr_error(err, SR_EINTERNAL, "tileset of a model not in ECEF");
	B.size = sr_alloc(sizeof(double) * (m->nfeat + 1));
	B.cx = sr_alloc(sizeof(double) * (m->nfeat + 1));
	B.cy = sr_alloc(sizeof(double) * (m->nfeat + 1));
	all = sr_alloc(sizeof(int) * (m->nfeat + 1));
	if (!B.size || !B.cx || !B.cy || !all)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	for (int f = 0; f < m->nfeat; f++)
	{
		const double *bb = m->bbox + 6 * f;

		if (m->fvert[f + 1] == m->fvert[f])
			continue;			/* nothing to draw */
		B.size[f] = sqrt((bb[3] - bb[0]) * (bb[3] - bb[0]) + (bb[4] - bb[1]) * (bb[4] - bb[1]) +
						 (bb[5] - bb[2]) * (bb[5] - bb[2]));
		B.cx[f] = (bb[0] + bb[3]) / 2;
		B.cy[f] = (bb[1] + bb[4]) / 2;
		/* the size is the tile's geometricError in tileset.json: never inf */
		if (!isfinite(B.size[f]) || !isfinite(B.cx[f]) || !isfinite(B.cy[f]))
		{
			st = sr_error(err, SR_ERANGE, "the extent of surface %lld is too large for a tileset",
						  (long long) m->fid[f]);
			sr_error_detail(err, "Its diagonal in the data's coordinates is not a finite number.");
			sr_error_hint(err, "Check the surface's coordinates and SRID.");
			goto done;
		}
		x0 = fmin(x0, B.cx[f]);
		y0 = fmin(y0, B.cy[f]);
		x1 = fmax(x1, B.cx[f]);
		y1 = fmax(y1, B.cy[f]);
		all[nall++] = f;
	}
	if (nall == 0)
		goto done;				/* no surface: no tileset */
	sort_sizes = B.size;
	qsort(all, nall, sizeof(int), cmp_sizes);
	/* a square slightly larger than the centres' extent, so that the
	 * largest centre falls inside */
	side = fmax(fmax(x1 - x0, y1 - y0), 1.0) * (1 + 1e-9) + 1e-6;
	if ((st = new_node(&B, &root)) != SR_OK)
		goto done;
	if ((st = split(&B, root, all, nall, x0, y0, side)) != SR_OK)
		goto done;

	/* every tile's content in the ENU frame at its centre */
	for (int t = 0; t < B.n; t++)
	{
		tnode	   *nd = &B.nodes[t];
		double		lo[3] = {INFINITY, INFINITY, INFINITY},
					hi[3] = {-INFINITY, -INFINITY, -INFINITY},
					ctr[3],
					lon,
					lat,
					h;
		sr_city_lframe fr;
		uint8_t    *glb;
		size_t		len;
		char		path[96];

		for (int i = 0; i < nd->nfeat; i++)
		{
			int			f = nd->feat[i];

			for (size_t v = m->fvert[f]; v < m->fvert[f + 1]; v++)
				for (int k = 0; k < 3; k++)
				{
					lo[k] = fmin(lo[k], m->pos[3 * v + k]);
					hi[k] = fmax(hi[k], m->pos[3 * v + k]);
				}
		}
		for (int k = 0; k < 3; k++)
			ctr[k] = (lo[k] + hi[k]) / 2;
		sr_ecef_to_geodetic(ctr, &lon, &lat, &h);
		sr_enu_axes(lon, lat, fr.R);
		memcpy(fr.origin, ctr, sizeof(ctr));
		memcpy(nd->W, fr.R, sizeof(fr.R));
		memcpy(nd->W + 9, ctr, sizeof(ctr));
		if ((st = sr_city_write_glb(m, nd->feat, nd->nfeat, &fr, NULL, 0, &glb, &len, nd->box, err)) != SR_OK)
			goto done;
		snprintf(path, sizeof(path), "tiles/%d/%d/%d.glb", nd->level, nd->x, nd->y);
		st = emit(arg, path, glb, len, err);
		sr_free(glb);
		if (st != SR_OK)
			goto done;
		(*ntiles)++;
		sr_check_interrupts();
	}
	/* boxes: children before parents (children have larger indices) */
	for (int t = B.n - 1; t >= 0; t--)
	{
		tnode	   *nd = &B.nodes[t];

		for (int k = 0; k < nd->nchild; k++)
		{
			const tnode *ch = &B.nodes[nd->first_child + k];

			box_merge(nd->W, nd->box, ch->W, ch->box);
		}
	}

	/* tileset.json */
	{
		const double *rb = B.nodes[root].box;

		tileset_ge = sqrt((rb[3] - rb[0]) * (rb[3] - rb[0]) + (rb[4] - rb[1]) * (rb[4] - rb[1]) +
						  (rb[5] - rb[2]) * (rb[5] - rb[2]));
		tileset_ge = fmax(tileset_ge, B.nodes[root].ge);
	}
	extras = sr_city_extras_json(m, NULL, "tileset");
	if (!extras || !sr_strbuf_init(&js, 1024 + 800 * (size_t) B.n))
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	sr_strbuf_printf(&js, "{\"asset\":{\"version\":\"1.1\",\"generator\":\"smartregion " SR_CITY_GENERATOR "\"},"
					 "\"geometricError\":");
	json_num(&js, tileset_ge);
	sr_strbuf_printf(&js, ",\"extras\":%s,\"root\":", extras);
	tile_json(&B, root, NULL, &js, true);
	sr_strbuf_printf(&js, "}");
	if (js.oom)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	st = emit(arg, "tileset.json", (const uint8_t *) js.s, js.len, err);
done:
	for (int t = 0; B.nodes && t < B.n; t++)
		sr_free(B.nodes[t].own);
	sr_free(js.s);
	sr_free(extras);
	sr_free(B.nodes);
	sr_free(B.size);
	sr_free(B.cx);
	sr_free(B.cy);
	sr_free(all);
	return st;
}
