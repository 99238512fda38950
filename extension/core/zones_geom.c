/*
 * zones_geom.c — flat polygon sets read from (E)WKB, planar area, centroid,
 * point-in-polygon, a uniform grid index and a string hash map.
 *
 * These are the hot paths of the zones family (hundreds of thousands of
 * parcels and points), so they work on plain coordinate arrays; GEOS is
 * only used for the zone/parcel overlay (zones_model.c).
 */
#include "zones_internal.h"
#include "sr_geom.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* ---- growable arrays ------------------------------------------------------ */

static bool
grow(void **ptr, size_t *cap, size_t need, size_t elsize)
{
	size_t		ncap;
	void	   *p;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap : 64;
	while (ncap < need)
		ncap *= 2;
	p = sr_realloc(*ptr, ncap * elsize);
	if (p == NULL)
		return false;
	*ptr = p;
	*cap = ncap;
	return true;
}

/* ---- reading (E)WKB through the core's one reader (sr_geom.h) -------------- */

/* Append one point as a one-ring, one-point "polygon". */
static bool
add_point(zpolyset *s, double x, double y)
{
	if (!grow((void **) &s->xy, &s->cap_pts, 2 * (s->npts + 1), sizeof(double)) ||
		!grow((void **) &s->ring_pt, &s->cap_rings, s->nrings + 2, sizeof(size_t)) ||
		!grow((void **) &s->ring_hole, &s->cap_holes, s->nrings + 2, sizeof(bool)))
		return false;
	s->xy[2 * s->npts] = x;
	s->xy[2 * s->npts + 1] = y;
	s->ring_hole[s->nrings] = false;
	s->ring_pt[s->nrings] = s->npts;
	s->npts++;
	s->nrings++;
	s->ring_pt[s->nrings] = s->npts;
	return true;
}

/* Append the rings of a decoded polygon set (2D: z is dropped). */
static bool
add_rings(zpolyset *s, const sr_mpoly *m, char *why, size_t whylen)
{
	for (int p = 0; p < m->npolys; p++)
		for (int r = m->poly_ring_start[p]; r < m->poly_ring_start[p + 1]; r++)
		{
			int			a = m->ring_pt_start[r],
						n = m->ring_pt_start[r + 1] - a;

			if (n < 4)
			{
				snprintf(why, whylen, "ring with %d points (at least 4 needed)", n);
				return false;
			}
			if (!grow((void **) &s->xy, &s->cap_pts, 2 * (s->npts + n), sizeof(double)) ||
				!grow((void **) &s->ring_pt, &s->cap_rings, s->nrings + 2, sizeof(size_t)) ||
				!grow((void **) &s->ring_hole, &s->cap_holes, s->nrings + 2, sizeof(bool)))
			{
				snprintf(why, whylen, "out of memory");
				return false;
			}
			for (int i = 0; i < n; i++)
			{
				s->xy[2 * (s->npts + i)] = m->xyz[3 * (size_t) (a + i)];
				s->xy[2 * (s->npts + i) + 1] = m->xyz[3 * (size_t) (a + i) + 1];
			}
			s->ring_hole[s->nrings] = (r > m->poly_ring_start[p]);
			s->ring_pt[s->nrings] = s->npts;
			s->npts += n;
			s->nrings++;
			s->ring_pt[s->nrings] = s->npts;
		}
	return true;
}

bool
zpolyset_add_wkb(zpolyset *s, const unsigned char *wkb, size_t len,
				 int kind, int32_t *srid, char *why, size_t whylen)
{
	sr_wkb_header h;
	sr_err		err;
	size_t		p = s->npolys,
				r0,
				i;
	double	   *bb;

	*srid = 0;
	sr_err_clear(&err);
	if (sr_wkb_read_header(wkb, len, &h, &err) != SR_OK)
	{
		snprintf(why, whylen, "%s", err.msg);
		return false;
	}
	*srid = h.srid;
	if (!grow((void **) &s->poly_ring, &s->cap_polys, p + 2, sizeof(size_t)) ||
		!grow((void **) &s->bbox, &s->cap_bbox, 4 * (p + 2), sizeof(double)))
		goto nomem;
	if (s->nrings == 0 && s->ring_pt == NULL)
	{
		if (!grow((void **) &s->ring_pt, &s->cap_rings, 2, sizeof(size_t)))
			goto nomem;
		s->ring_pt[0] = 0;
	}
	s->poly_ring[p] = s->nrings;
	r0 = s->nrings;

	if (kind == ZWKB_POINT)
	{
		double		x,
					y,
					z;
		int			hz;

		if (h.type != SR_WKB_POINT)
		{
			snprintf(why, whylen, "expected a point, got WKB type %d", h.type);
			return false;
		}
		if (sr_wkb_read_point(wkb, len, &x, &y, &z, &hz, &err) != SR_OK)
		{
			snprintf(why, whylen, "%s", err.msg);
			return false;
		}
		if (!add_point(s, x, y))
			goto nomem;
	}
	else
	{
		sr_mpoly	m;
		bool		ok;

		if (sr_wkb_read_mpoly(wkb, len, &m, &err) != SR_OK)
		{
			snprintf(why, whylen, "%s", err.msg);
			return false;
		}
		if (m.npolys == 0)
		{
			sr_mpoly_free(&m);
			snprintf(why, whylen, "empty polygon");
			return false;
		}
		ok = add_rings(s, &m, why, whylen);
		sr_mpoly_free(&m);
		if (!ok)
			return false;
	}

	/* close the polygon and compute its bounding box */
	s->poly_ring[p + 1] = s->nrings;
	bb = s->bbox + 4 * p;
	bb[0] = bb[1] = INFINITY;
	bb[2] = bb[3] = -INFINITY;
	for (i = s->ring_pt[r0]; i < s->npts; i++)
	{
		double		x = s->xy[2 * i],
					y = s->xy[2 * i + 1];

		if (x < bb[0])
			bb[0] = x;
		if (y < bb[1])
			bb[1] = y;
		if (x > bb[2])
			bb[2] = x;
		if (y > bb[3])
			bb[3] = y;
	}
	s->npolys++;
	return true;
nomem:
	snprintf(why, whylen, "out of memory");
	return false;
}

void
zpolyset_free(zpolyset *s)
{
	sr_free(s->poly_ring);
	sr_free(s->ring_pt);
	sr_free(s->ring_hole);
	sr_free(s->xy);
	sr_free(s->bbox);
	memset(s, 0, sizeof(*s));
}

/* ---- measures ------------------------------------------------------------- */

/* Twice the signed area and the first moments of a ring (shoelace), with
 * coordinates taken relative to (ox, oy) to limit cancellation. */
static void
ring_moments(const zpolyset *s, size_t r, double ox, double oy,
			 double *a2, double *mx, double *my)
{
	size_t		i,
				b = s->ring_pt[r],
				e = s->ring_pt[r + 1];
	double		A = 0.0,
				X = 0.0,
				Y = 0.0;

	for (i = b; i + 1 < e; i++)
	{
		double		x0 = s->xy[2 * i] - ox,
					y0 = s->xy[2 * i + 1] - oy,
					x1 = s->xy[2 * i + 2] - ox,
					y1 = s->xy[2 * i + 3] - oy;
		double		c = x0 * y1 - x1 * y0;

		A += c;
		X += (x0 + x1) * c;
		Y += (y0 + y1) * c;
	}
	*a2 = A;
	*mx = X;
	*my = Y;
}

double
zpoly_area(const zpolyset *s, size_t p)
{
	size_t		r;
	double		area = 0.0;

	for (r = s->poly_ring[p]; r < s->poly_ring[p + 1]; r++)
	{
		double		a2,
					mx,
					my;
		size_t		b = s->ring_pt[r];

		ring_moments(s, r, s->xy[2 * b], s->xy[2 * b + 1], &a2, &mx, &my);
		/* exterior rings add, holes subtract, whatever their orientation */
		area += (s->ring_hole[r] ? -1.0 : 1.0) * fabs(a2) / 2.0;
	}
	return area;
}

bool
zpoly_centroid(const zpolyset *s, size_t p, double *cx, double *cy)
{
	size_t		r;
	double		ox = s->bbox[4 * p],
				oy = s->bbox[4 * p + 1];
	double		A = 0.0,
				X = 0.0,
				Y = 0.0;

	for (r = s->poly_ring[p]; r < s->poly_ring[p + 1]; r++)
	{
		double		a2,
					mx,
					my,
					sign;

		ring_moments(s, r, ox, oy, &a2, &mx, &my);
		/* orient: exterior counts positive, hole negative */
		sign = (a2 >= 0.0 ? 1.0 : -1.0) * (s->ring_hole[r] ? -1.0 : 1.0);
		A += sign * a2;
		X += sign * mx;
		Y += sign * my;
	}
	if (A == 0.0)
		return false;
	/* centroid = moments / (3 * twice-area) */
	*cx = ox + X / (3.0 * A);
	*cy = oy + Y / (3.0 * A);
	return true;
}

/* -1 outside, 0 on the boundary, 1 inside (crossing number). */
static int
ring_locate(const zpolyset *s, size_t r, double x, double y)
{
	size_t		i,
				b = s->ring_pt[r],
				e = s->ring_pt[r + 1];
	bool		inside = false;

	for (i = b; i + 1 < e; i++)
	{
		double		x0 = s->xy[2 * i],
					y0 = s->xy[2 * i + 1],
					x1 = s->xy[2 * i + 2],
					y1 = s->xy[2 * i + 3];

		/* on the segment: collinear and within its box */
		if ((x0 - x) * (y1 - y) - (x1 - x) * (y0 - y) == 0.0 &&
			x >= fmin(x0, x1) && x <= fmax(x0, x1) &&
			y >= fmin(y0, y1) && y <= fmax(y0, y1))
			return 0;
		if ((y0 > y) != (y1 > y))
		{
			double		xi = x0 + (y - y0) * (x1 - x0) / (y1 - y0);

			if (x < xi)
				inside = !inside;
		}
	}
	return inside ? 1 : -1;
}

bool
zpoly_covers_point(const zpolyset *s, size_t p, double x, double y)
{
	size_t		r;
	const double *bb = s->bbox + 4 * p;
	bool		in_part = false;

	if (x < bb[0] || x > bb[2] || y < bb[1] || y > bb[3])
		return false;
	/* rings come as exterior, holes, exterior, holes... */
	for (r = s->poly_ring[p]; r < s->poly_ring[p + 1]; r++)
	{
		int			loc = ring_locate(s, r, x, y);

		if (!s->ring_hole[r])
		{
			if (in_part)
				return true;	/* inside the previous part, not in its holes */
			if (loc == 0)
				return true;
			in_part = (loc > 0);
		}
		else if (in_part)
		{
			if (loc == 0)
				return true;	/* on a hole's boundary: still covered */
			if (loc > 0)
				in_part = false;
		}
	}
	return in_part;
}

/* ---- uniform grid ---------------------------------------------------------- */

int
zgrid_index(double v, double origin, double cell, int n)
{
	double		f = (v - origin) / cell;

	/* (NaN goes to 0: callers test the point against the extent first) */
	if (!(f > 0.0))
		return 0;
	if (f >= (double) (n - 1))
		return n - 1;
	return (int) f;
}

/* the cells [i0, i1] x [j0, j1] a box b (xmin, ymin, xmax, ymax) covers */
void
zgrid_span(const zgrid *g, const double *b, double minx, double miny,
		   int *i0, int *j0, int *i1, int *j1)
{
	*i0 = zgrid_index(b[0], minx, g->cell, g->nx);
	*j0 = zgrid_index(b[1], miny, g->cell, g->ny);
	*i1 = zgrid_index(b[2], minx, g->cell, g->nx);
	*j1 = zgrid_index(b[3], miny, g->cell, g->ny);
}

/*
 * The candidate partners of item i: the items o > i whose box shares a grid
 * cell with box i and overlaps it with a positive area (boxes that only
 * touch hold no common interior), each once, in the grid's cell order.
 * stamp[] has one entry per item, all -1 before the first call; i grows
 * from call to call.  out[] takes up to one entry per item.  Returns how
 * many were written.  The walk of the zones' overlap check and of the
 * parcels' (sr_zones_build, check_parcel_overlaps).
 */
size_t
zgrid_pairs(const zgrid *g, const double *bbox, size_t i, int32_t *stamp, int32_t *out)
{
	const double *bb = bbox + 4 * i;
	size_t		n = 0;
	int			i0,
				j0,
				i1,
				j1,
				a,
				b;

	zgrid_span(g, bb, g->minx, g->miny, &i0, &j0, &i1, &j1);
	for (b = j0; b <= j1; b++)
		for (a = i0; a <= i1; a++)
		{
			size_t		c = (size_t) b * g->nx + a,
						k;

			for (k = g->start[c]; k < g->start[c + 1]; k++)
			{
				int32_t		o = g->items[k];
				const double *ob = bbox + 4 * (size_t) o;

				if ((size_t) o <= i || stamp[o] == (int32_t) i)
					continue;
				stamp[o] = (int32_t) i;
				if (ob[0] >= bb[2] || ob[2] <= bb[0] || ob[1] >= bb[3] || ob[3] <= bb[1])
					continue;
				out[n++] = o;
			}
		}
	return n;
}

bool
zgrid_build(zgrid *g, const double *bbox, size_t n)
{
	double		minx = INFINITY,
				miny = INFINITY,
				maxx = -INFINITY,
				maxy = -INFINITY,
				w,
				h;
	size_t		i,
				total = 0,
				ncells;
	size_t	   *fill;

	memset(g, 0, sizeof(*g));
	for (i = 0; i < n; i++)
	{
		minx = fmin(minx, bbox[4 * i]);
		miny = fmin(miny, bbox[4 * i + 1]);
		maxx = fmax(maxx, bbox[4 * i + 2]);
		maxy = fmax(maxy, bbox[4 * i + 3]);
	}
	if (n == 0)
		minx = miny = maxx = maxy = 0.0;
	/* an extent wider than the largest double (boxes near -1e308 and
	 * 1e308) is taken as the largest double: the cells stay finite */
	w = maxx - minx;
	h = maxy - miny;
	w = isfinite(w) ? fmax(w, 1e-9) : DBL_MAX;
	h = isfinite(h) ? fmax(h, 1e-9) : DBL_MAX;
	/* about one item per cell on average, at most 4M cells */
	g->cell = sqrt(w * h / (double) (n ? n : 1));
	if (g->cell <= 0.0 || !isfinite(g->cell))
		g->cell = 1.0;
	while ((w / g->cell + 1.0) * (h / g->cell + 1.0) > 4.0e6)
		g->cell *= 2.0;
	g->minx = minx;
	g->miny = miny;
	g->maxx = maxx;
	g->maxy = maxy;
	g->nx = (int) (w / g->cell) + 1;
	g->ny = (int) (h / g->cell) + 1;
	ncells = (size_t) g->nx * (size_t) g->ny;
	g->start = sr_alloc0((ncells + 1) * sizeof(size_t));
	fill = sr_alloc0((ncells + 1) * sizeof(size_t));
	if (g->start == NULL || fill == NULL)
		goto nomem;
	/* count, prefix-sum, then fill (CSR) */
	for (i = 0; i < n; i++)
	{
		int			i0,
					j0,
					i1,
					j1,
					a,
					b;

		zgrid_span(g, bbox + 4 * i, minx, miny, &i0, &j0, &i1, &j1);

		for (b = j0; b <= j1; b++)
			for (a = i0; a <= i1; a++)
				g->start[(size_t) b * g->nx + a + 1]++;
	}
	for (i = 0; i < ncells; i++)
		g->start[i + 1] += g->start[i];
	total = g->start[ncells];
	g->items = sr_alloc((total ? total : 1) * sizeof(int32_t));
	if (g->items == NULL)
		goto nomem;
	memcpy(fill, g->start, (ncells + 1) * sizeof(size_t));
	for (i = 0; i < n; i++)
	{
		int			i0,
					j0,
					i1,
					j1,
					a,
					b;

		zgrid_span(g, bbox + 4 * i, minx, miny, &i0, &j0, &i1, &j1);

		for (b = j0; b <= j1; b++)
			for (a = i0; a <= i1; a++)
				g->items[fill[(size_t) b * g->nx + a]++] = (int32_t) i;
	}
	sr_free(fill);
	return true;
nomem:
	sr_free(fill);
	zgrid_free(g);
	return false;
}

const int32_t *
zgrid_cell_items(const zgrid *g, double x, double y, size_t *count)
{
	size_t		c;

	*count = 0;
	/* (also false for NaN) */
	if (g->start == NULL || !(x >= g->minx && x <= g->maxx && y >= g->miny && y <= g->maxy))
		return NULL;
	c = (size_t) zgrid_index(y, g->miny, g->cell, g->ny) * g->nx +
		(size_t) zgrid_index(x, g->minx, g->cell, g->nx);
	*count = g->start[c + 1] - g->start[c];
	return g->items + g->start[c];
}

void
zgrid_free(zgrid *g)
{
	sr_free(g->start);
	sr_free(g->items);
	g->start = NULL;
	g->items = NULL;
}

/* ---- string map ------------------------------------------------------------ */

static uint64_t
fnv1a(const char *s)
{
	uint64_t	h = 1469598103934665603ull;

	while (*s)
	{
		h ^= (unsigned char) *s++;
		h *= 1099511628211ull;
	}
	return h;
}

bool
zstrmap_init(zstrmap *m, size_t expected)
{
	size_t		cap = 16;

	while (cap < 2 * expected + 16)
		cap *= 2;
	m->cap = cap;
	m->n = 0;
	m->slots = sr_alloc0(cap * sizeof(zstrslot));
	return m->slots != NULL;
}

int32_t
zstrmap_get_or_put(zstrmap *m, const char *key, int32_t val)
{
	uint64_t	h = fnv1a(key);
	size_t		i = (size_t) h & (m->cap - 1);

	/* capacity is fixed at twice the expected count: never full.  One slot
	 * holds hash, key and value (one cache line visit per probe), and the
	 * hash spares a strcmp on most occupied slots. */
	while (m->slots[i].key != NULL)
	{
		if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
			return m->slots[i].val;
		i = (i + 1) & (m->cap - 1);
	}
	m->slots[i].key = key;
	m->slots[i].val = val;
	m->slots[i].hash = h;
	m->n++;
	return -1;
}

void
zstrmap_free(zstrmap *m)
{
	sr_free(m->slots);
	m->slots = NULL;
}

/* ---- intersection area of two polygons without GEOS -------------------------- */

/*
 * area(A n B) by boundary integration: the oriented boundary of A n B is
 * made of the pieces of dA inside B, the pieces of dB inside A, and the
 * pieces of dA lying on dB with both interiors on the same side (counted
 * once, from A).  Exterior rings are taken counter-clockwise and holes
 * clockwise, so that the interior is on the left of every edge; the area
 * is the shoelace sum over the pieces.  Each edge is split where it meets
 * the other boundary; a piece is classified by its midpoint (even-odd over
 * all rings of the other polygon).
 *
 * Split points are computed by one canonical function of the two segments,
 * so that both sides of a crossing agree on the point to the last bit and
 * the pieces close into loops.  A midpoint nearer than ZIX_BAND to the
 * other boundary (outside an exactly collinear overlap) could be
 * misclassified by rounding: the function then gives up (returns false),
 * as it does when the counted pieces do not close (their displacements do
 * not sum to zero), and the caller takes the exact GEOS path.
 */

#define ZIX_BAND 1e-6
/* inline min and max (fmin/fmax are library calls; no NaN here) */
#define ZMIN(a, b) ((a) < (b) ? (a) : (b))
#define ZMAX(a, b) ((a) > (b) ? (a) : (b))

typedef struct zixedge
{
	double		x0,
				y0,
				x1,
				y1;
} zixedge;

typedef struct zixsplit
{
	double		t,
				x,
				y;
} zixsplit;

typedef struct zixlap
{
	double		t0,
				t1;				/* on this edge, t0 < t1 */
	bool		same;			/* the other edge runs the same way */
} zixlap;

typedef struct zixbuf
{
	zixedge    *e;
	size_t		ne,
				cap;
	size_t	   *near;			/* edges meeting the common box of the pair */
	size_t		nnear;
} zixbuf;

/* list the edges of b that meet box (x0, y0, x1, y1) */
static bool
zix_near(zixbuf *b, const double *box)
{
	b->near = sr_alloc((b->ne ? b->ne : 1) * sizeof(size_t));
	b->nnear = 0;
	if (b->near == NULL)
		return false;
	for (size_t i = 0; i < b->ne; i++)
	{
		const zixedge *e = b->e + i;

		if (ZMAX(e->x0, e->x1) < box[0] || ZMIN(e->x0, e->x1) > box[2] ||
			ZMAX(e->y0, e->y1) < box[1] || ZMIN(e->y0, e->y1) > box[3])
			continue;
		b->near[b->nnear++] = i;
	}
	return true;
}

static bool
zix_push(zixbuf *b, double x0, double y0, double x1, double y1)
{
	if (b->ne == b->cap)
	{
		size_t		nc = b->cap ? 2 * b->cap : 64;
		zixedge    *p = sr_realloc(b->e, nc * sizeof(zixedge));

		if (p == NULL)
			return false;
		b->e = p;
		b->cap = nc;
	}
	b->e[b->ne].x0 = x0;
	b->e[b->ne].y0 = y0;
	b->e[b->ne].x1 = x1;
	b->e[b->ne].y1 = y1;
	b->ne++;
	return true;
}

/* the oriented edges of polygon p, translated by (-ox, -oy) */
static bool
zix_edges(const zpolyset *s, size_t p, double ox, double oy, zixbuf *b)
{
	size_t		r;

	b->ne = 0;
	for (r = s->poly_ring[p]; r < s->poly_ring[p + 1]; r++)
	{
		size_t		i,
					lo = s->ring_pt[r],
					hi = s->ring_pt[r + 1];
		double		a2 = 0.0;
		bool		rev;

		for (i = lo; i + 1 < hi; i++)
			a2 += (s->xy[2 * i] - ox) * (s->xy[2 * i + 3] - oy) -
				(s->xy[2 * i + 2] - ox) * (s->xy[2 * i + 1] - oy);
		/* exterior counter-clockwise, holes clockwise */
		rev = s->ring_hole[r] ? (a2 > 0.0) : (a2 < 0.0);
		for (i = lo; i + 1 < hi; i++)
		{
			double		x0 = s->xy[2 * i] - ox,
						y0 = s->xy[2 * i + 1] - oy,
						x1 = s->xy[2 * i + 2] - ox,
						y1 = s->xy[2 * i + 3] - oy;

			if (x0 == x1 && y0 == y1)
				continue;
			if (!(rev ? zix_push(b, x1, y1, x0, y0) : zix_push(b, x0, y0, x1, y1)))
				return false;
		}
	}
	return true;
}

static double
zix_orient(double ax, double ay, double bx, double by, double cx, double cy)
{
	return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

static bool
zix_less(double ax, double ay, double bx, double by)
{
	return ax < bx || (ax == bx && ay < by);
}

/*
 * How segments a and b meet, computed on a canonical form of the pair (each
 * segment's endpoints sorted, the two segments sorted) so that the answer
 * does not depend on which polygon asks.  Returns 0 (apart), 1 (one point
 * *px,*py) or 2 (collinear overlap from (*px,*py) to (*qx,*qy), endpoints of
 * the inputs).
 */
static int
zix_meet(const zixedge *a, const zixedge *b, double *px, double *py, double *qx, double *qy)
{
	double		p[2][4];
	double		d1,
				d2,
				d3,
				d4;
	const double *s,
			   *u;

	p[0][0] = a->x0; p[0][1] = a->y0; p[0][2] = a->x1; p[0][3] = a->y1;
	p[1][0] = b->x0; p[1][1] = b->y0; p[1][2] = b->x1; p[1][3] = b->y1;
	for (int k = 0; k < 2; k++)
		if (zix_less(p[k][2], p[k][3], p[k][0], p[k][1]))
		{
			double		tx = p[k][0],
						ty = p[k][1];

			p[k][0] = p[k][2]; p[k][1] = p[k][3];
			p[k][2] = tx; p[k][3] = ty;
		}
	if (zix_less(p[1][0], p[1][1], p[0][0], p[0][1]) ||
		(p[1][0] == p[0][0] && p[1][1] == p[0][1] && zix_less(p[1][2], p[1][3], p[0][2], p[0][3])))
	{
		s = p[1];
		u = p[0];
	}
	else
	{
		s = p[0];
		u = p[1];
	}
	if (ZMAX(s[0], s[2]) < ZMIN(u[0], u[2]) || ZMAX(u[0], u[2]) < ZMIN(s[0], s[2]) ||
		ZMAX(s[1], s[3]) < ZMIN(u[1], u[3]) || ZMAX(u[1], u[3]) < ZMIN(s[1], s[3]))
		return 0;
	d1 = zix_orient(s[0], s[1], s[2], s[3], u[0], u[1]);
	d2 = zix_orient(s[0], s[1], s[2], s[3], u[2], u[3]);
	d3 = zix_orient(u[0], u[1], u[2], u[3], s[0], s[1]);
	d4 = zix_orient(u[0], u[1], u[2], u[3], s[2], s[3]);
	if (d1 == 0.0 && d2 == 0.0)
	{
		/* collinear (endpoints sorted lexicographically along the line) */
		const double *lo = zix_less(s[0], s[1], u[0], u[1]) ? u : s;
		const double *hi = zix_less(s[2], s[3], u[2], u[3]) ? s + 2 : u + 2;

		if (zix_less(hi[0], hi[1], lo[0], lo[1]))
			return 0;
		*px = lo[0];
		*py = lo[1];
		*qx = hi[0];
		*qy = hi[1];
		return (lo[0] == hi[0] && lo[1] == hi[1]) ? 1 : 2;
	}
	if ((d1 > 0.0 && d2 > 0.0) || (d1 < 0.0 && d2 < 0.0) ||
		(d3 > 0.0 && d4 > 0.0) || (d3 < 0.0 && d4 < 0.0))
		return 0;
	/* an endpoint on the other segment: that endpoint itself */
	if (d1 == 0.0) { *px = u[0]; *py = u[1]; return 1; }
	if (d2 == 0.0) { *px = u[2]; *py = u[3]; return 1; }
	if (d3 == 0.0) { *px = s[0]; *py = s[1]; return 1; }
	if (d4 == 0.0) { *px = s[2]; *py = s[3]; return 1; }
	{
		double		t = d3 / (d3 - d4);

		*px = s[0] + t * (s[2] - s[0]);
		*py = s[1] + t * (s[3] - s[1]);
	}
	return 1;
}

/* parameter of point (x, y) along edge e (projection) */
static double
zix_param(const zixedge *e, double x, double y)
{
	double		dx = e->x1 - e->x0,
				dy = e->y1 - e->y0;

	if (x == e->x0 && y == e->y0)
		return 0.0;
	if (x == e->x1 && y == e->y1)
		return 1.0;
	return ((x - e->x0) * dx + (y - e->y0) * dy) / (dx * dx + dy * dy);
}

/* sort the split points of an edge by parameter (few: insertion sort) */
static void
zix_sort_split(zixsplit *v, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		zixsplit	x = v[i];
		size_t		j = i;

		while (j > 0 && v[j - 1].t > x.t)
		{
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/* 1 inside, 0 outside (even-odd over all edges), -1 within ZIX_BAND of the boundary */
static int
zix_locate(const zixbuf *o, double x, double y)
{
	bool		in = false;

	for (size_t k = 0; k < o->ne; k++)
	{
		const zixedge *e = o->e + k;
		double		dx = e->x1 - e->x0,
					dy = e->y1 - e->y0;

		if (!(ZMAX(e->x0, e->x1) < x - ZIX_BAND || ZMIN(e->x0, e->x1) > x + ZIX_BAND ||
			  ZMAX(e->y0, e->y1) < y - ZIX_BAND || ZMIN(e->y0, e->y1) > y + ZIX_BAND))
		{
			double		t = ((x - e->x0) * dx + (y - e->y0) * dy) / (dx * dx + dy * dy),
						cx,
						cy;

			t = t < 0.0 ? 0.0 : (t > 1.0 ? 1.0 : t);
			cx = e->x0 + t * dx - x;
			cy = e->y0 + t * dy - y;
			if (cx * cx + cy * cy <= ZIX_BAND * ZIX_BAND)
				return -1;
		}
		if ((e->y0 > y) != (e->y1 > y) &&
			x < e->x0 + (y - e->y0) * dx / dy)
			in = !in;
	}
	return in ? 1 : 0;
}

/*
 * Sum over the pieces of the edges of m inside o (and, when first, the
 * pieces on o's boundary running the same way) of x0*y1 - x1*y0; adds the
 * displacement of the counted pieces to (*sx, *sy).  False when unsure.
 */
static bool
zix_side(const zixbuf *m, const zixbuf *o, const double *obox, bool first,
		 double *sum, double *sx, double *sy, zixsplit **spl, size_t *cap_spl,
		 zixlap **lap, size_t *cap_lap)
{
	/* an edge outside the common box has no piece inside the other polygon,
	 * and only edges in that box meet one another */
	for (size_t ii = 0; ii < m->nnear; ii++)
	{
		const zixedge *e = m->e + m->near[ii];
		double		ex0 = ZMIN(e->x0, e->x1),
					ex1 = ZMAX(e->x0, e->x1),
					ey0 = ZMIN(e->y0, e->y1),
					ey1 = ZMAX(e->y0, e->y1);
		size_t		ns = 0,
					nl = 0;

		for (size_t kk = 0; kk < o->nnear + 2; kk++)
		{
			size_t		k = kk < o->nnear ? o->near[kk] : o->ne + (kk - o->nnear);
			double		px,
						py,
						qx,
						qy;
			int			kind;

			if (ns + 2 > *cap_spl)
			{
				size_t		nc = *cap_spl ? 2 * *cap_spl : 64;
				zixsplit   *p = sr_realloc(*spl, nc * sizeof(zixsplit));

				if (p == NULL)
					return false;
				*spl = p;
				*cap_spl = nc;
			}
			if (k >= o->ne)
			{
				/* the edge's own endpoints */
				(*spl)[ns].t = (k == o->ne) ? 0.0 : 1.0;
				(*spl)[ns].x = (k == o->ne) ? e->x0 : e->x1;
				(*spl)[ns].y = (k == o->ne) ? e->y0 : e->y1;
				ns++;
				continue;
			}
			{
				const zixedge *f = o->e + k;

				if (ZMAX(f->x0, f->x1) < ex0 || ZMIN(f->x0, f->x1) > ex1 ||
					ZMAX(f->y0, f->y1) < ey0 || ZMIN(f->y0, f->y1) > ey1)
					continue;
			}
			kind = zix_meet(e, o->e + k, &px, &py, &qx, &qy);
			if (kind == 0)
				continue;
			(*spl)[ns].t = zix_param(e, px, py);
			(*spl)[ns].x = px;
			(*spl)[ns].y = py;
			ns++;
			if (kind == 2)
			{
				const zixedge *f = o->e + k;
				double		t0 = (*spl)[ns - 1].t,
							t1 = zix_param(e, qx, qy);

				(*spl)[ns].t = t1;
				(*spl)[ns].x = qx;
				(*spl)[ns].y = qy;
				ns++;
				if (nl == *cap_lap)
				{
					size_t		nc = *cap_lap ? 2 * *cap_lap : 16;
					zixlap	   *p = sr_realloc(*lap, nc * sizeof(zixlap));

					if (p == NULL)
						return false;
					*lap = p;
					*cap_lap = nc;
				}
				(*lap)[nl].t0 = ZMIN(t0, t1);
				(*lap)[nl].t1 = ZMAX(t0, t1);
				(*lap)[nl].same = (e->x1 - e->x0) * (f->x1 - f->x0) +
					(e->y1 - e->y0) * (f->y1 - f->y0) > 0.0;
				nl++;
			}
		}
		zix_sort_split(*spl, ns);
		for (size_t j = 0; j + 1 < ns; j++)
		{
			const zixsplit *a = *spl + j,
					   *b = *spl + j + 1;
			double		tm;
			int			on = 0,
						loc;

			if (a->t < 0.0 || b->t > 1.0 || (a->x == b->x && a->y == b->y))
				continue;
			tm = 0.5 * (a->t + b->t);
			for (size_t l = 0; l < nl; l++)
				if (tm > (*lap)[l].t0 && tm < (*lap)[l].t1)
				{
					on = (*lap)[l].same ? 1 : -1;
					break;
				}
			if (on != 0)
			{
				if (on < 0 || !first)
					continue;
			}
			else
			{
				double		mx = 0.5 * (a->x + b->x),
							my = 0.5 * (a->y + b->y);

				if (mx < obox[0] || mx > obox[2] || my < obox[1] || my > obox[3])
					continue;
				loc = zix_locate(o, mx, my);
				if (loc < 0)
					return false;
				if (loc == 0)
					continue;
			}
			*sum += a->x * b->y - b->x * a->y;
			*sx += b->x - a->x;
			*sy += b->y - a->y;
		}
	}
	return true;
}

bool
zpoly_intersection_area(const zpolyset *s, size_t a, const zpolyset *t, size_t b, double *area)
{
	const double *ba = s->bbox + 4 * a,
			   *bb = t->bbox + 4 * b;
	double		ox = ZMAX(ba[0], bb[0]),
				oy = ZMAX(ba[1], bb[1]),
				boxa[4],
				boxb[4],
				sum = 0.0,
				sx = 0.0,
				sy = 0.0,
				scale;
	zixbuf		ea = {0},
				eb = {0};
	zixsplit   *spl = NULL;
	zixlap	   *lap = NULL;
	size_t		cs = 0,
				cl = 0;
	bool		ok;

	*area = 0.0;
	if (ba[0] > bb[2] || bb[0] > ba[2] || ba[1] > bb[3] || bb[1] > ba[3])
		return true;
	boxa[0] = ba[0] - ox; boxa[1] = ba[1] - oy; boxa[2] = ba[2] - ox; boxa[3] = ba[3] - oy;
	boxb[0] = bb[0] - ox; boxb[1] = bb[1] - oy; boxb[2] = bb[2] - ox; boxb[3] = bb[3] - oy;
	{
		double		common[4] = {ZMAX(boxa[0], boxb[0]), ZMAX(boxa[1], boxb[1]),
								 ZMIN(boxa[2], boxb[2]), ZMIN(boxa[3], boxb[3])};

		ok = zix_edges(s, a, ox, oy, &ea) && zix_edges(t, b, ox, oy, &eb) &&
			zix_near(&ea, common) && zix_near(&eb, common);
	}
	ok = ok && zix_side(&ea, &eb, boxb, true, &sum, &sx, &sy, &spl, &cs, &lap, &cl) &&
		zix_side(&eb, &ea, boxa, false, &sum, &sx, &sy, &spl, &cs, &lap, &cl);
	sr_free(ea.e);
	sr_free(eb.e);
	sr_free(ea.near);
	sr_free(eb.near);
	sr_free(spl);
	sr_free(lap);
	if (!ok)
		return false;
	/* overflow (coordinates far apart): unsure */
	if (!isfinite(sum) || !isfinite(sx) || !isfinite(sy))
		return false;
	/* the counted pieces must close into loops */
	scale = ZMAX(ZMAX(fabs(boxa[2]), fabs(boxb[2])), ZMAX(fabs(boxa[3]), fabs(boxb[3])));
	scale = ZMAX(scale, ZMAX(ZMAX(fabs(boxa[0]), fabs(boxb[0])), ZMAX(fabs(boxa[1]), fabs(boxb[1]))));
	if (fabs(sx) > 1e-9 * (1.0 + scale) || fabs(sy) > 1e-9 * (1.0 + scale))
		return false;
	if (sum < -1e-9 * (1.0 + scale * scale))
		return false;
	*area = ZMAX(sum / 2.0, 0.0);
	return true;
}
