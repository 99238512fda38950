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
static void
zgrid_span(const zgrid *g, const double *b, double minx, double miny,
		   int *i0, int *j0, int *i1, int *j1)
{
	*i0 = zgrid_index(b[0], minx, g->cell, g->nx);
	*j0 = zgrid_index(b[1], miny, g->cell, g->ny);
	*i1 = zgrid_index(b[2], minx, g->cell, g->nx);
	*j1 = zgrid_index(b[3], miny, g->cell, g->ny);
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
