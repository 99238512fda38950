/*
 * cadastre_horizon.c — horizon of a point among prism obstacles (building
 * footprints with a top height), with a uniform grid index and near-to-far
 * culling against the running horizon.
 *
 * Exact for prisms: in each azimuth wedge, the highest elevation of a prism
 * is reached at the point of its footprint's boundary nearest to the viewer
 * inside that wedge (the top edge of the nearest wall).  Every boundary edge
 * is clipped to the wedges it crosses and the nearest point of each piece
 * is taken; pieces whose nearest point is beyond the radius do not count.
 */
#include "sr_cadastre.h"
#include "cadastre_box.h"

#include <math.h>
#include <string.h>

/* A building as a cell lists it: what the near-to-far scan reads of every
 * candidate, next to its neighbours in the cell (no look-up by building). */
typedef struct grid_item
{
	double		bb[4];			/* xmin ymin xmax ymax */
	double		ztop;
	int			b;				/* obstacle index */
	int			multi;			/* listed in more than one cell */
} grid_item;

struct sr_grid
{
	const sr_obstacles *obs;
	double		x0, y0, cs;		/* origin and cell size */
	int			nx, ny;
	int		   *cell_start;		/* [nx*ny+1] */
	grid_item  *items;			/* [cell_start[nx*ny]] by cell */
	double	   *cell_bb;		/* [4 nx*ny] union of the cell's items'
								 * boxes */
	double	   *cell_ztop;		/* [nx*ny] their highest top (-inf: none) */
	double	   *bbox;			/* [4n] xmin ymin xmax ymax, while building */
	signed char *convex;		/* per building: its orientation (1
								 * counter-clockwise, -1 clockwise) when it
								 * is one convex ring, else 0 */
	double		zmax;
};

/* Sign changes of a cyclic sequence of edge directions, zeros skipped. */
static int
sign_changes(const int *d, int n)
{
	int			i, first = 0, last = 0, ch = 0;

	for (i = 0; i < n; i++)
	{
		if (d[i] == 0)
			continue;
		if (first == 0)
			first = d[i];
		else
			ch += d[i] != last;
		last = d[i];
	}
	return ch + (first != 0 && last != first);
}

/* Whether ring p0..p1 (closed: the last point repeats the first) is convex:
 * every turn the same way (straight ones allowed), and its edges' x and y
 * directions change sign twice each around it (one winding, not a star).
 * Returns its orientation (1 counter-clockwise, -1 clockwise), or 0. */
static signed char
ring_convex(const double *xy, int p0, int p1)
{
	int			i, n = p1 - p0 - 1, pos = 0, neg = 0;
	int			dxs[64], dys[64];

	if (n < 3 || n > 64)
		return 0;
	for (i = 0; i < n; i++)
	{
		int			a = p0 + i, b = p0 + (i + 1) % n, c = p0 + (i + 2) % n;
		double		ex = xy[2 * b] - xy[2 * a], ey = xy[2 * b + 1] - xy[2 * a + 1];
		double		fx = xy[2 * c] - xy[2 * b], fy = xy[2 * c + 1] - xy[2 * b + 1];
		double		t = ex * fy - ey * fx;

		pos += t > 0;
		neg += t < 0;
		dxs[i] = ex > 0 ? 1 : (ex < 0 ? -1 : 0);
		dys[i] = ey > 0 ? 1 : (ey < 0 ? -1 : 0);
	}
	if ((pos > 0 && neg > 0) || pos + neg == 0 ||
		sign_changes(dxs, n) > 2 || sign_changes(dys, n) > 2)
		return 0;
	return pos > 0 ? 1 : -1;
}

int
sr_horizon_sector(double azimuth, int nsectors)
{
	double		d = 360.0 / nsectors;
	double		a = fmod(azimuth + d / 2.0, 360.0);
	int			k;

	if (a < 0)
		a += 360.0;
	k = (int) (a / d);
	return k >= nsectors ? 0 : k;
}

int
sr_horizon_columns(int nsectors)
{
	return sr_horizon_columns_below(nsectors, SR_HORIZON_NARROW_SECTORS);
}

int
sr_horizon_columns_below(int nsectors, int narrow_below)
{
	int			k;

	if (nsectors >= narrow_below || nsectors < 1)
		return nsectors;
	/* odd, so that the sub-columns of sector i are centred on it: column j
	 * (centre j x 360 / (k n)) lies in sector round(j / k) */
	k = (72 + nsectors - 1) / nsectors;
	if (k % 2 == 0)
		k++;
	return k * nsectors;
}

void
sr_horizon_expand(const float *elev, int nsectors, int ncolumns, float *out)
{
	int			k = ncolumns / nsectors;

	for (int j = 0; j < ncolumns; j++)
		out[j] = elev[((j + k / 2) / k) % nsectors];
}

double
sr_horizon_interp(const float *elev, int nsectors, double azimuth)
{
	double		d = 360.0 / nsectors;
	double		a = fmod(azimuth, 360.0);
	double		f;
	int			k0, k1;

	if (a < 0)
		a += 360.0;
	f = a / d;
	k0 = (int) floor(f);
	f -= k0;
	k0 %= nsectors;
	k1 = (k0 + 1) % nsectors;
	return elev[k0] * (1.0 - f) + elev[k1] * f;
}

void
sr_grid_free(sr_grid *g)
{
	if (!g)
		return;
	sr_free(g->cell_start);
	sr_free(g->items);
	sr_free(g->cell_bb);
	sr_free(g->cell_ztop);
	sr_free(g->bbox);
	sr_free(g->convex);
	sr_free(g);
}

sr_status
sr_grid_build(const sr_obstacles *obs, double cell_m, sr_grid **out,
			  sr_err *err)
{
	sr_grid    *g;
	double		xmin = INFINITY, ymin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
	int			b, i, ncell, total = 0;
	int		   *fill;

	*out = NULL;
	g = sr_alloc0(sizeof(sr_grid));
	if (!g)
		return sr_error(err, SR_ENOMEM, "out of memory");
	g->obs = obs;
	g->zmax = -INFINITY;
	g->bbox = sr_alloc(sizeof(double) * 4 * (obs->n > 0 ? obs->n : 1));
	g->convex = sr_alloc0(obs->n > 0 ? obs->n : 1);
	if (!g->bbox || !g->convex)
	{
		sr_grid_free(g);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (b = 0; b < obs->n; b++)
	{
		double	   *bb = g->bbox + 4 * b;
		int			p0 = obs->pt_start[obs->ring_start[b]];
		int			p1 = obs->pt_start[obs->ring_start[b + 1]];

		bb[0] = bb[1] = INFINITY;
		bb[2] = bb[3] = -INFINITY;
		for (i = p0; i < p1; i++)
		{
			double		x = obs->xy[2 * i], y = obs->xy[2 * i + 1];

			if (!isfinite(x) || !isfinite(y))
			{
				sr_grid_free(g);
				return sr_error(err, SR_EGEOM, "obstacle %d has a non-finite coordinate", b);
			}
			bb[0] = fmin(bb[0], x);
			bb[1] = fmin(bb[1], y);
			bb[2] = fmax(bb[2], x);
			bb[3] = fmax(bb[3], y);
		}
		/* (the far-side skip is for prisms: a 3D polygon is seen whole) */
		if (obs->ring_start[b + 1] - obs->ring_start[b] == 1 && !(obs->is3d && obs->is3d[b]))
			g->convex[b] = ring_convex(obs->xy, p0, p1);
		if (p1 > p0)
		{
			xmin = fmin(xmin, bb[0]);
			ymin = fmin(ymin, bb[1]);
			xmax = fmax(xmax, bb[2]);
			ymax = fmax(ymax, bb[3]);
			if (obs->ztop[b] > g->zmax)
				g->zmax = obs->ztop[b];
		}
	}
	if (!(xmin <= xmax))
	{
		xmin = ymin = 0;
		xmax = ymax = 1;
	}
	if (!(cell_m > 0))
	{
		/* about 4 buildings per cell on average, at least 10 m */
		double		area = (xmax - xmin + 1) * (ymax - ymin + 1);

		cell_m = sqrt(area * 4.0 / (obs->n > 0 ? obs->n : 1));
		if (cell_m < 10)
			cell_m = 10;
	}
	g->cs = cell_m;
	g->x0 = xmin;
	g->y0 = ymin;
	g->nx = sr_grid_cells(xmax - xmin, cell_m, 5e7);
	g->ny = sr_grid_cells(ymax - ymin, cell_m, 5e7);
	if (g->nx < 0 || g->ny < 0 || (double) g->nx * g->ny > 5e7)
	{
		sr_grid_free(g);
		sr_error(err, SR_EINVAL, "the obstacles span %.3g m by %.3g m, too wide for the obstacle index",
				 xmax - xmin, ymax - ymin);
		sr_error_hint(err, "The obstacles must be buildings of one area, in metres of one projected CRS; "
					  "look for a stray coordinate.");
		return SR_EINVAL;
	}
	ncell = g->nx * g->ny;
	g->cell_start = sr_alloc0(sizeof(int) * (ncell + 1));
	g->cell_bb = sr_alloc(sizeof(double) * 4 * ncell);
	g->cell_ztop = sr_alloc(sizeof(double) * ncell);
	fill = sr_alloc0(sizeof(int) * (ncell + 1));
	if (!g->cell_start || !g->cell_bb || !g->cell_ztop || !fill)
	{
		sr_free(fill);
		sr_grid_free(g);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (i = 0; i < ncell; i++)
	{
		g->cell_bb[4 * i] = g->cell_bb[4 * i + 1] = INFINITY;
		g->cell_bb[4 * i + 2] = g->cell_bb[4 * i + 3] = -INFINITY;
		g->cell_ztop[i] = -INFINITY;
	}
	/* two passes: count, then place (CSR layout) */
	for (int pass = 0; pass < 2; pass++)
	{
		for (b = 0; b < obs->n; b++)
		{
			double	   *bb = g->bbox + 4 * b;
			int			i0, i1, j0, j1, ii, jj;

			if (!(bb[0] <= bb[2]))
				continue;
			i0 = (int) floor((bb[0] - g->x0) / g->cs);
			i1 = (int) floor((bb[2] - g->x0) / g->cs);
			j0 = (int) floor((bb[1] - g->y0) / g->cs);
			j1 = (int) floor((bb[3] - g->y0) / g->cs);
			for (jj = j0; jj <= j1; jj++)
				for (ii = i0; ii <= i1; ii++)
				{
					int			c = jj * g->nx + ii;

					if (pass == 0)
					{
						double	   *cb = g->cell_bb + 4 * (size_t) c;

						g->cell_start[c + 1]++;
						cb[0] = bb[0] < cb[0] ? bb[0] : cb[0];
						cb[1] = bb[1] < cb[1] ? bb[1] : cb[1];
						cb[2] = bb[2] > cb[2] ? bb[2] : cb[2];
						cb[3] = bb[3] > cb[3] ? bb[3] : cb[3];
						if (obs->ztop[b] > g->cell_ztop[c])
							g->cell_ztop[c] = obs->ztop[b];
					}
					else
					{
						grid_item  *it = g->items + g->cell_start[c] + fill[c]++;

						memcpy(it->bb, bb, sizeof(it->bb));
						it->ztop = obs->ztop[b];
						it->b = b;
						it->multi = i1 > i0 || j1 > j0;
					}
				}
		}
		if (pass == 0)
		{
			for (i = 0; i < ncell; i++)
				g->cell_start[i + 1] += g->cell_start[i];
			total = g->cell_start[ncell];
			g->items = sr_alloc(sizeof(grid_item) * (total > 0 ? total : 1));
			if (!g->items)
			{
				sr_free(fill);
				sr_grid_free(g);
				return sr_error(err, SR_ENOMEM, "out of memory");
			}
		}
	}
	sr_free(fill);
	/* (the boxes now live in the cells' items) */
	sr_free(g->bbox);
	g->bbox = NULL;
	*out = g;
	return SR_OK;
}

/* Unit vectors of the sector boundaries, per sector count (boundary k is
 * the lower edge of sector k, at azimuth (k - 0.5) * 360 / ns). */
typedef struct bound_tab
{
	int			ns;
	double		ux[SR_HORIZON_MAX_SECTORS + 1];
	double		uy[SR_HORIZON_MAX_SECTORS + 1];
} bound_tab;

static void
bound_tab_init(bound_tab *bt, int ns)
{
	int			k;

	bt->ns = ns;
	for (k = 0; k <= ns; k++)
	{
		double		th = (k - 0.5) * 2.0 * SR_PI / ns;

		bt->ux[k] = sin(th);
		bt->uy[k] = cos(th);
	}
}

/* Sector of a direction (px, py) from the viewer (x east, y north, azimuth
 * clockwise from north), decided by the boundary vectors themselves, the
 * ones that also clip the edges, so that a vertex's sector and the pieces
 * of its edges always agree: a float guess of the azimuth (|error| <
 * 0.005 rad: no library call, a third of the cadastre's time with libm's
 * atan2), then the cross products with the sector's two boundaries move it
 * (a step at most; none for most directions).  The direction is in sector
 * k when it is at or clockwise of boundary k and strictly counter-
 * clockwise of boundary k + 1 (u x p > 0: p counter-clockwise of u). */
static inline double
bcross(const bound_tab *bt, int j, double px, double py)
{
	return bt->ux[j] * py - bt->uy[j] * px;
}

static inline int
sector_of_vec(const bound_tab *bt, double px, double py)
{
	const int	ns = bt->ns;
	float		e = fabsf((float) px), n = fabsf((float) py);
	float		mx = e > n ? e : n, mn = e > n ? n : e;
	float		z = mx > 0 ? mn / mx : 0.0f;
	float		r = z * (0.97239411f - 0.19194795f * z * z);
	float		a;
	int			k, guard;

	/* (selects, not branches: the quadrant of a vertex is unpredictable) */
	r = e > n ? (float) (SR_PI / 2) - r : r;	/* from north, in [0, pi/2] */
	r = py < 0 ? (float) SR_PI - r : r;
	r = px < 0 ? -r : r;
	a = r * (float) (ns / (2.0 * SR_PI)) + 0.5f;
	a = a < 0 ? a + ns : a;
	k = (int) a;
	k = k >= ns ? k - ns : (k < 0 ? 0 : k);
	if (px == 0 && py == 0)
		return k;				/* (the viewer itself: any sector) */
	for (guard = 0; guard < ns && bcross(bt, k, px, py) > 0; guard++)
		k = k == 0 ? ns - 1 : k - 1;
	for (guard = 0; guard < ns && bcross(bt, k + 1, px, py) <= 0; guard++)
		k = k + 1 == ns ? 0 : k + 1;
	return k;
}

/* A wall top tz above the viewer at point (px, py) raises sector k, if
 * within the radius (a point nearer than 1 mm counts at 1 mm). */
static inline void
raise_point(double *t, int k, double tz, double px, double py, double radius)
{
	double		d2 = px * px + py * py, d, tn;

	if (d2 > radius * radius)
		return;
	d = sqrt(d2);
	tn = tz / (d > 1e-3 ? d : 1e-3);
	if (tn > t[k])
		t[k] = tn;
}

/* A point on a sector boundary belongs to both sectors (each sector is
 * closed, as the brute force's rays include both edges).  An edge crossing
 * a boundary gives its crossing point to both pieces; an end on a boundary
 * (a corner seen along a diagonal) must be given to the sector on the
 * other side too, or which side gets it would hang on the last bit of the
 * boundary vector.  Within 1e-8 rad (far below any physical meaning)
 * counts as on it: |u x p| <= 1e-8 |p|. */
#define SR_TIE_SIN 1e-8

static inline int
on_boundary(const bound_tab *bt, int j, double px, double py)
{
	double		c = bcross(bt, j, px, py);

	return c * c <= SR_TIE_SIN * SR_TIE_SIN * (px * px + py * py);
}

/* An edge's end p, in sector k: also into the sector beyond a boundary it
 * lies on. */
static inline void
end_tie(const bound_tab *bt, double px, double py, int k, double tz,
		double radius, double *t)
{
	const int	ns = bt->ns;
	int			lo = on_boundary(bt, k, px, py), hi = on_boundary(bt, k + 1, px, py);

	if (!lo && !hi)
		return;
	k = lo ? (k == 0 ? ns - 1 : k - 1) : (k + 1 == ns ? 0 : k + 1);
	raise_point(t, k, tz, px, py, radius);
}

/* Fold one footprint edge A-B (relative coordinates, in sectors ka, kb)
 * into the running horizon tangents t[]: clip it to each wedge it crosses
 * and take the nearest point of each piece. */
static void
edge_horizon(double ax, double ay, double bx, double by, int ka, int kb,
			 double tz, double radius, const bound_tab *bt, double *t)
{
	int			ns = bt->ns;
	double		dx = bx - ax, dy = by - ay;
	double		dd = dx * dx + dy * dy;
	double		tf0 = dd > 0 ? -(ax * dx + ay * dy) / dd : 0.0;
	int			steps, dir, s, k;
	double		tprev = 0.0;

	end_tie(bt, ax, ay, ka, tz, radius, t);
	end_tie(bt, bx, by, kb, tz, radius, t);
	/* the walk's way round: clockwise when B is clockwise of A (the
	 * edge subtends less than a half turn; on a line through the viewer,
	 * either way) */
	dir = ax * by - ay * bx <= 0 ? 1 : -1;
	steps = dir > 0 ? kb - ka : ka - kb;
	steps += steps < 0 ? ns : 0;
	k = ka;
	for (s = 0; s <= steps; s++)
	{
		double		t1, tf;

		if (s < steps)
		{
			/* boundary between sector k and the next one in the walk */
			int			kb2 = dir > 0 ? k + 1 : k;
			double		ux = bt->ux[kb2], uy = bt->uy[kb2];
			double		den = ux * dy - uy * dx;

			t1 = den != 0.0 ? -(ux * ay - uy * ax) / den : tprev;
			if (!(t1 >= tprev))
				t1 = tprev;
			if (t1 > 1.0)
				t1 = 1.0;
		}
		else
			t1 = 1.0;
		/* nearest point of the piece [tprev, t1] */
		tf = tf0 < tprev ? tprev : (tf0 > t1 ? t1 : tf0);
		raise_point(t, k, tz, ax + tf * dx, ay + tf * dy, radius);
		tprev = t1;
		k += dir;
		k = k < 0 ? ns - 1 : (k >= ns ? 0 : k);
	}
}

/* Squared distance from the origin to a segment. */
static inline double
seg_dist2(double ax, double ay, double bx, double by)
{
	double		dx = bx - ax, dy = by - ay;
	double		dd = dx * dx + dy * dy;
	double		t = dd > 0 ? -(ax * dx + ay * dy) / dd : 0.0;

	if (t < 0)
		t = 0;
	else if (t > 1)
		t = 1;
	ax += t * dx;
	ay += t * dy;
	return ax * ax + ay * ay;
}

/* Fold a whole building into t[]; tmin is the running minimum of t[].
 * Vertex sectors are computed once per vertex, only for edges that can
 * still raise the horizon; orient (see sr_grid.convex, or 0) lets a convex
 * building seen from outside skip its far side. */
static int
building_horizon(const sr_obstacles *obs, int b, double x, double y,
				 double tz, double radius, const bound_tab *bt, double tmin,
				 int orient, double *t)
{
	int			r, i, touched = 0;

	for (r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
	{
		int			p0 = obs->pt_start[r], p1 = obs->pt_start[r + 1];
		int			kprev = 0, have_prev = 0;

		for (i = p0; i + 1 < p1; i++)
		{
			double		ax = obs->xy[2 * i] - x, ay = obs->xy[2 * i + 1] - y;
			double		bx = obs->xy[2 * i + 2] - x, by = obs->xy[2 * i + 3] - y;
			double		d2;
			int			ka, kb;

			/* a convex building seen from outside its box (orient its
			 * orientation, else 0): an edge with the building between it
			 * and the viewer is never the nearest in any sector (the ray
			 * to any of its points enters the building first, closer, in
			 * the same sector) */
			if (orient * (ax * by - ay * bx) > 0)
			{
				have_prev = 0;
				continue;
			}
			d2 = seg_dist2(ax, ay, bx, by);
			/* cull: beyond the radius, or even its nearest point stays
			 * under the lowest sector */
			if (d2 > radius * radius || (d2 > 0 && tz * tz <= tmin * tmin * d2))
			{
				have_prev = 0;
				continue;
			}
			ka = have_prev ? kprev : sector_of_vec(bt, ax, ay);
			kb = sector_of_vec(bt, bx, by);
			edge_horizon(ax, ay, bx, by, ka, kb, tz, radius, bt, t);
			kprev = kb;
			have_prev = 1;
			touched = 1;
		}
	}
	return touched;
}

/* ---------- 3D polygons (city model surfaces) ----------
 *
 * Seen from the viewer, the elevation tangent of a point of a plane is
 * (a x + b y + c) / r along a ray (x, y) = r u: monotonic in r, so over
 * the part of a planar polygon inside a wedge it is highest on the
 * polygon's boundary: the polygon's edges, clipped to the wedge, are
 * enough (its interior never adds anything).  Along an edge P(t) = A + t D
 * with height h(t) = h0 + t dh above the viewer, g(t) = h(t) / |P(t)| has
 * one stationary point, t* = (h0 A.D - dh |A|^2) / (dh A.D - h0 |D|^2)
 * (g' = 0 is linear in t): each piece's largest tangent is at its ends or
 * at t*.  A viewer under the polygon (inside its outline, below its plane)
 * sees it overhead in every direction. */

/* The height (above the viewer) and the tangent at t of an edge. */
static inline double
edge3_tan(double ax, double ay, double h0, double dx, double dy, double dh, double t)
{
	double		px = ax + t * dx, py = ay + t * dy;
	double		d = sqrt(px * px + py * py);

	return (h0 + t * dh) / (d > 1e-3 ? d : 1e-3);
}

static inline void
raise_tan(double *t, int k, double tn)
{
	if (tn > t[k])
		t[k] = tn;
}

/* An edge's end p at height h, in sector k: also into the sector beyond a
 * boundary it lies on (see end_tie). */
static inline void
end_tie3(const bound_tab *bt, double px, double py, double h, int k, double radius, double *t)
{
	raise_point(t, k, h, px, py, radius);
	end_tie(bt, px, py, k, h, radius, t);
}

/* Fold one 3D edge A-B (relative to the viewer, heights ha, hb above it)
 * into t[]: clipped to the wedges it crosses and to the radius, each
 * piece's largest tangent. */
static void
edge_horizon3(double ax, double ay, double ha, double bx, double by, double hb,
			  int ka, int kb, double radius, const bound_tab *bt, double *t)
{
	int			ns = bt->ns;
	double		dx = bx - ax, dy = by - ay, dh = hb - ha;
	double		dd = dx * dx + dy * dy, ad = ax * dx + ay * dy, aa = ax * ax + ay * ay;
	double		u0 = 0.0, u1 = 1.0, den, tstar;
	int			steps, dir, s, k;
	double		tprev = 0.0;

	/* the part within the radius: |A + t D|^2 <= R^2 */
	if (aa > radius * radius || bx * bx + by * by > radius * radius)
	{
		double		c = aa - radius * radius, disc = ad * ad - dd * c, sq;

		if (!(dd > 0) || disc < 0)
			return;
		sq = sqrt(disc);
		u0 = fmax(0.0, (-ad - sq) / dd);
		u1 = fmin(1.0, (-ad + sq) / dd);
		if (u0 > u1)
			return;
	}
	if (u0 == 0.0)
		end_tie3(bt, ax, ay, ha, ka, radius, t);
	if (u1 == 1.0)
		end_tie3(bt, bx, by, hb, kb, radius, t);
	den = dh * ad - ha * dd;
	tstar = den != 0.0 ? (ha * ad - dh * aa) / den : -1.0;
	/* An edge whose line passes within a centimetre of the viewer in plan
	 * (a wall's viewpoint under the edge of its own roof, which lies on the
	 * wall's line): its points lie in the directions of its two ends only.
	 * The sign of A x B, rounding noise there, must not choose a half-turn
	 * of sectors to sweep (it raised the whole front of a wall to 90 deg
	 * until 2026-12-07); the centimetre is under_polygon's outline. */
	if (dd > 0 && (ax * by - ay * bx) * (ax * by - ay * bx) < 1e-4 * dd)
	{
		double		tf = fmin(u1, fmax(u0, -ad / dd)),
					piece[2][2] = {{u0, tf}, {tf, u1}};

		for (s = 0; s < 2; s++)
		{
			double		lo = piece[s][0], hi = piece[s][1], far = s == 0 ? lo : hi, best;
			double		fx = ax + far * dx, fy = ay + far * dy;

			if (!(hi > lo) || fx * fx + fy * fy < 1e-4)
				continue;		/* empty, or all within the centimetre */
			best = fmax(edge3_tan(ax, ay, ha, dx, dy, dh, lo), edge3_tan(ax, ay, ha, dx, dy, dh, hi));
			if (tstar > lo && tstar < hi)
				best = fmax(best, edge3_tan(ax, ay, ha, dx, dy, dh, tstar));
			raise_tan(t, sector_of_vec(bt, fx, fy), best);
		}
		return;
	}
	dir = ax * by - ay * bx <= 0 ? 1 : -1;
	steps = dir > 0 ? kb - ka : ka - kb;
	steps += steps < 0 ? ns : 0;
	k = ka;
	for (s = 0; s <= steps; s++)
	{
		double		t1, lo, hi, best;

		if (s < steps)
		{
			int			kb2 = dir > 0 ? k + 1 : k;
			double		ux = bt->ux[kb2], uy = bt->uy[kb2];
			double		dn = ux * dy - uy * dx;

			t1 = dn != 0.0 ? -(ux * ay - uy * ax) / dn : tprev;
			if (!(t1 >= tprev))
				t1 = tprev;
			if (t1 > 1.0)
				t1 = 1.0;
		}
		else
			t1 = 1.0;
		/* the piece [tprev, t1] within the radius */
		lo = fmax(tprev, u0);
		hi = fmin(t1, u1);
		if (lo <= hi)
		{
			best = edge3_tan(ax, ay, ha, dx, dy, dh, lo);
			best = fmax(best, edge3_tan(ax, ay, ha, dx, dy, dh, hi));
			if (tstar > lo && tstar < hi)
				best = fmax(best, edge3_tan(ax, ay, ha, dx, dy, dh, tstar));
			raise_tan(t, k, best);
		}
		tprev = t1;
		k += dir;
		k = k < 0 ? ns - 1 : (k >= ns ? 0 : k);
	}
}

/* Is the viewer (0, 0, 0 relative) under polygon b: inside its outline
 * (even-odd over its rings) and below its plane (Newell normal of its
 * exterior ring)? */
static int
under_polygon(const sr_obstacles *obs, int b, double x, double y, double z)
{
	int			inside = 0, r, i;
	int			p0 = obs->pt_start[obs->ring_start[b]], p1 = obs->pt_start[obs->ring_start[b] + 1];
	double		N[3] = {0, 0, 0};

	for (r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
		for (i = obs->pt_start[r]; i + 1 < obs->pt_start[r + 1]; i++)
		{
			double		ax = obs->xy[2 * i] - x, ay = obs->xy[2 * i + 1] - y;
			double		bx = obs->xy[2 * i + 2] - x, by = obs->xy[2 * i + 3] - y;

			if ((ay > 0) != (by > 0) && ax + (0 - ay) * (bx - ax) / (by - ay) > 0)
				inside = !inside;
			/* on its outline (a wall's centre under the eaves of its own
			 * roof, within a centimetre): not under it */
			if (seg_dist2(ax, ay, bx, by) < 1e-4)
				return 0;
		}
	if (!inside)
		return 0;
	for (i = p0; i + 1 < p1; i++)
	{
		const double *a = obs->xy + 2 * i, *c = obs->xy + 2 * i + 2;
		double		za = obs->z[i] - obs->z[p0], zc = obs->z[i + 1] - obs->z[p0];
		double		ax = a[0] - obs->xy[2 * p0], ay = a[1] - obs->xy[2 * p0 + 1];
		double		cx = c[0] - obs->xy[2 * p0], cy = c[1] - obs->xy[2 * p0 + 1];

		N[0] += (ay - cy) * (za + zc);
		N[1] += (za - zc) * (ax + cx);
		N[2] += (ax - cx) * (ay + cy);
	}
	if (fabs(N[2]) < 1e-9 * sqrt(N[0] * N[0] + N[1] * N[1] + N[2] * N[2]))
		return 0;				/* vertical: no inside */
	/* the plane's height at the viewer, a millimetre above it at least */
	return obs->z[p0] - (N[0] * (x - obs->xy[2 * p0]) + N[1] * (y - obs->xy[2 * p0 + 1])) / N[2] > z + 1e-3;
}

/* Fold a 3D polygon into t[] (inbox: the viewer is inside its box).  Kept
 * out of line: the prism path of sr_horizon_compute stays as it was. */
static __attribute__((noinline)) int
polygon_horizon3(const sr_obstacles *obs, int b, double x, double y, double z,
				 double radius, const bound_tab *bt, double tmin, int inbox, double *t)
{
	int			r, i, touched = 0;

	if (inbox && under_polygon(obs, b, x, y, z))
	{
		/* overhead: every direction is closed (89.99994 deg) */
		for (i = 0; i < bt->ns; i++)
			t[i] = fmax(t[i], 1e6);
		return 1;
	}
	for (r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
	{
		int			p0 = obs->pt_start[r], p1 = obs->pt_start[r + 1];

		for (i = p0; i + 1 < p1; i++)
		{
			double		ax = obs->xy[2 * i] - x, ay = obs->xy[2 * i + 1] - y;
			double		bx = obs->xy[2 * i + 2] - x, by = obs->xy[2 * i + 3] - y;
			double		ha = obs->z[i] - z, hb = obs->z[i + 1] - z;
			double		htop = ha > hb ? ha : hb, d2;

			if (!(htop > 0))
				continue;
			d2 = seg_dist2(ax, ay, bx, by);
			if (d2 > radius * radius || (d2 > 0 && htop * htop <= tmin * tmin * d2))
				continue;
			edge_horizon3(ax, ay, ha, bx, by, hb, sector_of_vec(bt, ax, ay),
						  sector_of_vec(bt, bx, by), radius, bt, t);
			touched = 1;
		}
	}
	return touched;
}

/* Lowest running horizon over the sectors a bounding box can occupy seen
 * from the origin (relative box), or -1 when the box holds the origin.
 * The box's outline is bounded by two of its corners (sr_box_outline). */
static double
bbox_sector_min(const double *bb, double x, double y, const bound_tab *bt,
				const double *t)
{
	double		ax, ay, bx, by, m;
	int			k, k0, k1, ns = bt->ns;

	if (!sr_box_outline(bb[0] - x, bb[2] - x, bb[1] - y, bb[3] - y, &ax, &ay, &bx, &by))
		return -1;
	k0 = sector_of_vec(bt, ax, ay);
	k1 = sector_of_vec(bt, bx, by);
	/* (widened where a corner lies on a boundary: it reaches the sector
	 * beyond, see end_tie) */
	if (on_boundary(bt, k0, ax, ay))
		k0 = k0 == 0 ? ns - 1 : k0 - 1;
	if (on_boundary(bt, k1 + 1, bx, by))
		k1 = k1 + 1 == ns ? 0 : k1 + 1;
	m = t[k0];
	for (k = k0; k != k1;)
	{
		k = k + 1 == ns ? 0 : k + 1;
		if (t[k] < m)
			m = t[k];
	}
	return m;
}

/* Whether a box whose highest top is tz above the viewer, at squared
 * distance d2 from it, cannot raise the horizon: beyond the radius, or
 * below the lowest sector, or below every sector it can occupy.  Squares
 * compare tz / d <= m as tz^2 <= m^2 d^2 (tz, m >= 0): no root, no
 * division. */
static inline int
box_hidden(const double *bb, double tz, double d2, double x, double y,
		   double r2, double tmin, const bound_tab *bt, const double *t)
{
	double		m;

	if (d2 > r2)
		return 1;
	if (!(d2 > 0))
		return 0;				/* the viewer is in the box */
	if (tz * tz <= tmin * tmin * d2)
		return 1;
	m = bbox_sector_min(bb, x, y, bt, t);
	return tz * tz <= m * m * d2;
}

static double
array_min(const double *t, int n)
{
	double		m = t[0];

	for (int i = 1; i < n; i++)
		if (t[i] < m)
			m = t[i];
	return m;
}

sr_status
sr_horizon_compute(const sr_grid *gc, double x, double y, double z,
				   double radius_m, int nsectors, int exclude,
				   double *elev_deg, sr_err *err)
{
	const sr_grid *g = gc;
	const sr_obstacles *obs = g->obs;
	double		t[SR_HORIZON_MAX_SECTORS];
	const double r2 = radius_m * radius_m;
	double		tmin = 0.0;
	int			ci, cj, ring, maxring, k;
	/* per sector count, rebuilt when it changes; one per thread, so that
	 * threads asking for different counts (the trees' lattices of
	 * cadastre_run.c run here on the threads) never share one being
	 * rebuilt */
	static __thread bound_tab bt;

	if (nsectors < SR_HORIZON_MIN_SECTORS || nsectors > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "sectors must be between %d and %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS);
	if (!(radius_m > 0) || !isfinite(radius_m))
		return sr_error(err, SR_EINVAL, "radius must be a positive finite number of metres");
	if (!isfinite(x) || !isfinite(y) || !isfinite(z))
		return sr_error(err, SR_EGEOM, "viewpoint has a non-finite coordinate");
	for (k = 0; k < nsectors; k++)
		t[k] = 0.0;
	if (bt.ns != nsectors)
		bound_tab_init(&bt, nsectors);

	/* a viewpoint farther than the radius from the grid's box sees none of
	 * its obstacles (and its cell, far off the grid, would not fit an int) */
	{
		double		dx = fmax(fmax(g->x0 - x, x - (g->x0 + g->nx * g->cs)), 0.0);
		double		dy = fmax(fmax(g->y0 - y, y - (g->y0 + g->ny * g->cs)), 0.0);

		if (dx * dx + dy * dy > r2)
		{
			for (k = 0; k < nsectors; k++)
				elev_deg[k] = 0.0;
			return SR_OK;
		}
	}
	ci = (int) floor((x - g->x0) / g->cs);
	cj = (int) floor((y - g->y0) / g->cs);
	maxring = (int) ceil(radius_m / g->cs) + 1;
	for (ring = 0; ring <= maxring; ring++)
	{
		int			di, dj;

		if (ring >= 2)
		{
			/* every cell of this ring is at least (ring-1) cells away */
			double		dmin = (ring - 1) * g->cs;

			if (dmin > radius_m)
				break;
			if ((g->zmax - z) / dmin <= tmin)
				break;
		}
		for (dj = -ring; dj <= ring; dj++)
		{
			int			jj = cj + dj;
			int			step = (dj == -ring || dj == ring) ? 1 : 2 * ring;

			if (jj < 0 || jj >= g->ny)
				continue;
			for (di = -ring; di <= ring; di += (step > 0 ? step : 1))
			{
				int			ii = ci + di, c, e;

				if (ii < 0 || ii >= g->nx)
					continue;
				c = jj * g->nx + ii;
				{
					/* the whole cell first: its items' box and highest
					 * top, the test below for all of its buildings at
					 * once */
					const double *cb = g->cell_bb + 4 * (size_t) c;
					double		cz = g->cell_ztop[c] - z;
					double		cdx = x < cb[0] ? cb[0] - x : (x > cb[2] ? x - cb[2] : 0.0);
					double		cdy = y < cb[1] ? cb[1] - y : (y > cb[3] ? y - cb[3] : 0.0);

					if (!(cz > 0) ||
						box_hidden(cb, cz, cdx * cdx + cdy * cdy, x, y, r2, tmin, &bt, t))
						continue;
				}
				for (e = g->cell_start[c]; e < g->cell_start[c + 1]; e++)
				{
					const grid_item *it = g->items + e;
					const double *bb = it->bb;
					int			b = it->b;
					double		d2, tz, nx, ny;

					tz = it->ztop - z;
					if (!(tz > 0) || b == exclude)
						continue;
					/* a building spanning several cells is taken in one:
					 * the cell of its point nearest to the viewer (the
					 * same rounding as the grid's, so one of its own
					 * cells), reached before the scan can stop while the
					 * building still counts: no per-building visit mark */
					nx = x < bb[0] ? bb[0] : (x > bb[2] ? bb[2] : x);
					ny = y < bb[1] ? bb[1] : (y > bb[3] ? bb[3] : y);
					if (it->multi &&
						((int) floor((nx - g->x0) / g->cs) != ii ||
						 (int) floor((ny - g->y0) / g->cs) != jj))
						continue;
					d2 = (nx - x) * (nx - x) + (ny - y) * (ny - y);
					if (box_hidden(bb, tz, d2, x, y, r2, tmin, &bt, t))
						continue;
					if (__builtin_expect(obs->is3d != NULL, 0) && obs->is3d[b])
					{
						if (polygon_horizon3(obs, b, x, y, z, radius_m, &bt, tmin, !(d2 > 0), t))
							tmin = array_min(t, nsectors);
					}
					else if (building_horizon(obs, b, x, y, tz, radius_m, &bt, tmin,
											  d2 > 0 ? g->convex[b] : 0, t))
						tmin = array_min(t, nsectors);
				}
				if (ring == 0)
					break;
			}
		}
	}
	for (k = 0; k < nsectors; k++)
		elev_deg[k] = atan(t[k]) * SR_RAD2DEG;
	return SR_OK;
}

/* Brute force along one ray for a 3D polygon, independent of the edge
 * argument of polygon_horizon3: the tangent at every crossing of an edge
 * (its height interpolated on the edge) and at 16 points between
 * consecutive crossings that lie inside the outline (the height of the
 * polygon's plane there). */
static double
ray_polygon3(const sr_obstacles *obs, int b, double x, double y, double z,
			 double ux, double uy, double radius)
{
	double		sx[256], best = 0.0, N[3] = {0, 0, 0};
	int			ns = 0, r, i, j, q;
	int			p0 = obs->pt_start[obs->ring_start[b]], p1 = obs->pt_start[obs->ring_start[b] + 1];

	for (i = p0; i + 1 < p1; i++)
	{
		N[0] += (obs->xy[2 * i + 1] - obs->xy[2 * i + 3]) * (obs->z[i] + obs->z[i + 1]);
		N[1] += (obs->z[i] - obs->z[i + 1]) * (obs->xy[2 * i] + obs->xy[2 * i + 2]);
		N[2] += (obs->xy[2 * i] - obs->xy[2 * i + 2]) * (obs->xy[2 * i + 1] + obs->xy[2 * i + 3]);
	}
	for (r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
		for (i = obs->pt_start[r]; i + 1 < obs->pt_start[r + 1]; i++)
		{
			double		ax = obs->xy[2 * i] - x, ay = obs->xy[2 * i + 1] - y;
			double		dx = obs->xy[2 * i + 2] - x - ax, dy = obs->xy[2 * i + 3] - y - ay;
			double		den = ux * dy - uy * dx, t, sr, h;

			if (fabs(den) < 1e-15)
				continue;
			t = -(ux * ay - uy * ax) / den;
			sr = (ax * dy - ay * dx) / den;
			if (t < -1e-9 || t > 1 + 1e-9 || sr <= 0 || sr > radius)
				continue;
			h = obs->z[i] + t * (obs->z[i + 1] - obs->z[i]) - z;
			if (h / fmax(sr, 1e-3) > best)
				best = h / fmax(sr, 1e-3);
			if (ns < 256)
				sx[ns++] = sr;
		}
	if (fabs(N[2]) < 1e-12)
		return best;			/* vertical: its edges are all of it */
	{
		/* the viewer under it (inside its outline by more than a
		 * centimetre, its plane a millimetre above): overhead */
		int			in = 0,
					near = 0;

		for (r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
			for (j = obs->pt_start[r]; j + 1 < obs->pt_start[r + 1]; j++)
			{
				double		ax = obs->xy[2 * j] - x, ay = obs->xy[2 * j + 1] - y;
				double		bx = obs->xy[2 * j + 2] - x, by = obs->xy[2 * j + 3] - y;
				double		ex = bx - ax, ey = by - ay, ee = ex * ex + ey * ey;
				double		tt = ee > 0 ? fmin(1, fmax(0, -(ax * ex + ay * ey) / ee)) : 0;

				if ((ay > 0) != (by > 0) && ax - ay * (bx - ax) / (by - ay) > 0)
					in = !in;
				near |= (ax + tt * ex) * (ax + tt * ex) + (ay + tt * ey) * (ay + tt * ey) < 1e-4;
			}
		if (in && !near &&
			obs->z[p0] - (N[0] * (x - obs->xy[2 * p0]) + N[1] * (y - obs->xy[2 * p0 + 1])) / N[2] > z + 1e-3)
			return 1e6;
	}
	/* the interior between crossings (sorted) */
	for (i = 1; i < ns; i++)
		for (j = i; j > 0 && sx[j - 1] > sx[j]; j--)
		{
			double		tt = sx[j];

			sx[j] = sx[j - 1];
			sx[j - 1] = tt;
		}
	for (i = 0; i + 1 < ns; i++)
		for (q = 1; q < 16; q++)
		{
			double		sr = sx[i] + (sx[i + 1] - sx[i]) * q / 16.0;
			double		px = x + sr * ux, py = y + sr * uy, h;
			int			inside = 0;

			if (sr > radius)
				break;
			for (r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
				for (j = obs->pt_start[r]; j + 1 < obs->pt_start[r + 1]; j++)
				{
					double		ay = obs->xy[2 * j + 1] - py, by = obs->xy[2 * j + 3] - py;
					double		ax = obs->xy[2 * j] - px, bx = obs->xy[2 * j + 2] - px;

					if ((ay > 0) != (by > 0) && ax - ay * (bx - ax) / (by - ay) > 0)
						inside = !inside;
				}
			if (!inside)
				continue;
			h = obs->z[p0] - (N[0] * (px - obs->xy[2 * p0]) + N[1] * (py - obs->xy[2 * p0 + 1])) / N[2] - z;
			if (h / sr > best)
				best = h / sr;
		}
	return best;
}

void
sr_horizon_bruteforce(const sr_obstacles *obs, double x, double y, double z,
					  double radius_m, int nsectors, int exclude,
					  double *elev_deg)
{
	const int	S = 128;		/* rays per sector, both edges included */
	double		w = 360.0 / nsectors;
	int			k, j, b, r, i;

	for (k = 0; k < nsectors; k++)
	{
		double		best = 0.0;

		for (j = 0; j <= S; j++)
		{
			double		th = (k * w - w / 2 + j * w / S) * SR_DEG2RAD;
			double		ux = sin(th), uy = cos(th);

			for (b = 0; b < obs->n; b++)
			{
				double		tz = obs->ztop[b] - z;

				if (b == exclude || !(tz > 0))
					continue;
				if (obs->is3d && obs->is3d[b])
				{
					double		e3 = ray_polygon3(obs, b, x, y, z, ux, uy, radius_m);

					if (e3 > best)
						best = e3;
					continue;
				}
				for (r = obs->ring_start[b]; r < obs->ring_start[b + 1]; r++)
					for (i = obs->pt_start[r]; i + 1 < obs->pt_start[r + 1]; i++)
					{
						double		ax = obs->xy[2 * i] - x, ay = obs->xy[2 * i + 1] - y;
						double		dx = obs->xy[2 * i + 2] - x - ax;
						double		dy = obs->xy[2 * i + 3] - y - ay;
						/* solve s*u = a + t*d */
						double		den = ux * dy - uy * dx;
						double		s, t;

						if (fabs(den) < 1e-15)
							continue;
						t = -(ux * ay - uy * ax) / den;
						s = (ax * dy - ay * dx) / den;
						/* (ends within 1e-9 of the edge length: a ray
						 * through a corner must not miss both edges by
						 * rounding) */
						if (t < -1e-9 || t > 1 + 1e-9 || s <= 0 || s > radius_m)
							continue;
						if (tz / fmax(s, 1e-3) > best)
							best = tz / fmax(s, 1e-3);
					}
			}
		}
		/* a 3D polygon's tangent changes fast along an edge seen nearly
		 * end-on: also a ray through each of its corners in the wedge */
		for (b = 0; obs->is3d && b < obs->n; b++)
		{
			if (b == exclude || !obs->is3d[b] || !(obs->ztop[b] - z > 0))
				continue;
			for (i = obs->pt_start[obs->ring_start[b]]; i < obs->pt_start[obs->ring_start[b + 1]]; i++)
			{
				double		px = obs->xy[2 * i] - x, py = obs->xy[2 * i + 1] - y;
				double		a = atan2(px, py) * SR_RAD2DEG;
				double		e3;

				if (px == 0 && py == 0)
					continue;
				if (fabs(remainder(a - k * w, 360.0)) > w / 2)
					continue;
				e3 = ray_polygon3(obs, b, x, y, z, sin(a * SR_DEG2RAD), cos(a * SR_DEG2RAD), radius_m);
				if (e3 > best)
					best = e3;
			}
		}
		elev_deg[k] = atan(best) * SR_RAD2DEG;
	}
}

sr_status
sr_horizon_validate(const float *elev, int nsectors, sr_err *err)
{
	int			k;

	if (nsectors < SR_HORIZON_MIN_SECTORS || nsectors > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "horizon must have between %d and %d sectors, not %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS, nsectors);
	for (k = 0; k < nsectors; k++)
		if (!(elev[k] >= -90.0f && elev[k] <= 90.0f))
			return sr_error(err, SR_ERANGE, "horizon elevation %g in sector %d is out of range",
							(double) elev[k], k);
	return SR_OK;
}
