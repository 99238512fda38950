/*
 * cadastre_terrain.c — far horizons from a digital elevation model, their
 * grid for the cadastre, and trees as obstacles (sr_terrain.h).
 *
 * References: the Earth's curvature drop d^2 / 2R and the coefficient of
 * refraction k = 0.13 of geodetic levelling (the apparent drop is
 * (1 - k) d^2 / 2R), as in the horizon tools of PVGIS (r.horizon of GRASS
 * GIS) and of terrain viewshed analysis.
 */
#include "sr_terrain.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

sr_status
sr_dem_init(sr_dem *dem, const sr_dem_tile *t, int n, sr_err *err)
{
	dem->n = n;
	dem->t = t;
	dem->pixel = INFINITY;
	sr_north_init(&dem->north, 0, 0, 0);
	if (n < 1)
		return sr_error(err, SR_EINVAL, "the elevation model has no tile");
	for (int i = 0; i < n; i++)
	{
		if (t[i].w < 2 || t[i].h < 2)
			return sr_error(err, SR_EINVAL, "elevation tile %d has %d x %d pixels, at least 2 x 2 needed",
							i + 1, t[i].w, t[i].h);
		if (!isfinite(t[i].ulx) || !isfinite(t[i].uly) || !(t[i].sx > 0) || !(t[i].sy < 0) ||
			!isfinite(t[i].sx) || !isfinite(t[i].sy))
			return sr_error(err, SR_EINVAL, "elevation tile %d is not north-up with a positive pixel size", i + 1);
		if (t[i].sx < dem->pixel)
			dem->pixel = t[i].sx;
		if (-t[i].sy < dem->pixel)
			dem->pixel = -t[i].sy;
	}
	return SR_OK;
}

/* bilinear in one tile; NaN outside its pixel centres or next to nodata */
static double
tile_height(const sr_dem_tile *t, double x, double y)
{
	double		fx = (x - t->ulx) / t->sx - 0.5, fy = (y - t->uly) / t->sy - 0.5;
	int			i, j;
	double		a, b, c, d;

	if (!(fx >= 0 && fy >= 0 && fx <= t->w - 1 && fy <= t->h - 1))
		return NAN;
	i = (int) fx;
	j = (int) fy;
	if (i >= t->w - 1)
		i = t->w - 2;
	if (j >= t->h - 1)
		j = t->h - 2;
	fx -= i;
	fy -= j;
	a = t->z[(size_t) j * t->w + i];
	b = t->z[(size_t) j * t->w + i + 1];
	c = t->z[(size_t) (j + 1) * t->w + i];
	d = t->z[(size_t) (j + 1) * t->w + i + 1];
	if (t->has_nodata && (a == t->nodata || b == t->nodata || c == t->nodata || d == t->nodata))
		return NAN;
	return (1 - fy) * ((1 - fx) * a + fx * b) + fy * ((1 - fx) * c + fx * d);
}

void
sr_dem_turn(sr_dem *dem, const sr_north *f)
{
	dem->north = *f;
}

double
sr_dem_height(const sr_dem *dem, double x, double y)
{
	sr_north_to_grid(&dem->north, &x, &y);
	for (int i = 0; i < dem->n; i++)
	{
		double		z = tile_height(&dem->t[i], x, y);

		if (!isnan(z))
			return z;
	}
	return NAN;
}

#define RAYS 5					/* per sector: both edges and three inside */

sr_status
sr_dem_horizon(const sr_dem *dem, double x, double y, const double *z_obs, int nz, int ns,
			   const sr_terrain_opts *o, double *elev, sr_err *err)
{
	double		step = dem->pixel / 2, d0 = o->min_distance_m > 0 ? o->min_distance_m : dem->pixel;
	double		c = o->curvature ? (1.0 - o->refraction_k) / (2.0 * SR_EARTH_RADIUS_M) : 0.0;
	double		w = 360.0 / ns;

	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		return sr_error(err, SR_EINVAL, "sectors must be between %d and %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS);
	if (!(o->radius_m > 0) || !isfinite(o->radius_m))
		return sr_error(err, SR_EINVAL, "radius %g m is invalid", o->radius_m);
	for (int i = 0; i < nz * ns; i++)
		elev[i] = 0.0;
	for (int k = 0; k < ns; k++)
	{
		if (k % 8 == 0)
			sr_check_interrupts();
		for (int r = 0; r < RAYS; r++)
		{
			/* azimuths from the wedge's lower edge to its upper edge */
			double		a = (k * w - w / 2 + w * r / (RAYS - 1)) * SR_DEG2RAD;
			double		sa = sin(a), ca = cos(a);

			for (int q = 0;; q++)
			{
				double		d = d0 + q * step;	/* no drift along long rays */
				double		zt;

				if (d > o->radius_m)
					break;
				zt = sr_dem_height(dem, x + d * sa, y + d * ca);

				if (isnan(zt))
					continue;
				zt -= c * d * d;
				for (int iz = 0; iz < nz; iz++)
				{
					double		e = atan2(zt - z_obs[iz], d) * SR_RAD2DEG;

					if (e > elev[iz * ns + k])
						elev[iz * ns + k] = e;
				}
			}
		}
	}
	return SR_OK;
}

/* ---------- the grid of the cadastre ---------- */

#define NH 4
static const double grid_heights[NH] = {0.0, 25.0, 50.0, 100.0};

struct sr_terrain_grid
{
	int			nx, ny, ns;
	double		x0, y0, step;
	int			nodes;			/* the nodes computed */
	int32_t    *at;				/* [ny][nx]: a node's row in ground and
								 * elev, -1 when no box needs it */
	double	   *ground;			/* [nodes] (NaN outside the model) */
	float	   *elev;			/* [nodes][NH][ns] */
};

void
sr_terrain_grid_free(sr_terrain_grid *g)
{
	if (!g)
		return;
	sr_free(g->at);
	sr_free(g->ground);
	sr_free(g->elev);
	sr_free(g);
}

int
sr_terrain_grid_nodes(const sr_terrain_grid *g)
{
	return g ? g->nodes : 0;
}

sr_status
sr_terrain_grid_build(const sr_dem *dem, double xmin, double ymin, double xmax, double ymax,
					  double step, int ns, const double *boxes, int nboxes,
					  const sr_terrain_opts *o, sr_terrain_grid **out, sr_err *err)
{
	sr_terrain_grid *g;
	double	   *e;
	sr_status	st;
	size_t		nn;
	int			q = 0;

	*out = NULL;
	if (!(step > 0) || !(xmax >= xmin) || !(ymax >= ymin))
		return sr_error(err, SR_EINVAL, "invalid terrain grid");
	g = sr_alloc0(sizeof(sr_terrain_grid));
	if (!g)
		return sr_error(err, SR_ENOMEM, "out of memory");
	{
		/* in double: an extent of 1e300 m would not fit an int */
		double		nx = ceil((xmax - xmin) / step) + 1, ny = ceil((ymax - ymin) / step) + 1;

		if (!(nx * ny <= 4e6))
		{
			sr_free(g);
			return sr_error(err, SR_EINVAL, "the terrain grid would have %.3g nodes: raise terrain_grid_m",
							nx * ny);
		}
		g->nx = (int) nx;
		g->ny = (int) ny;
	}
	nn = (size_t) g->nx * g->ny;
	g->ns = ns;
	g->x0 = xmin;
	g->y0 = ymin;
	g->step = step;
	g->at = sr_alloc(sizeof(int32_t) * nn);
	if (!g->at)
	{
		sr_terrain_grid_free(g);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	/* the nodes the boxes need: the corners of every cell a box overlaps
	 * (all of them without boxes), so that the box's points interpolate
	 * between computed nodes only; the rest of the grid's box (the
	 * countryside between two towns) costs nothing */
	for (size_t k = 0; k < nn; k++)
		g->at[k] = boxes ? -1 : 0;
	for (int b = 0; b < nboxes; b++)
	{
		const double *bx = boxes + 4 * b;
		int			i0 = (int) floor((bx[0] - xmin) / step), i1 = (int) floor((bx[2] - xmin) / step) + 1;
		int			j0 = (int) floor((bx[1] - ymin) / step), j1 = (int) floor((bx[3] - ymin) / step) + 1;

		i0 = i0 < 0 ? 0 : i0 > g->nx - 1 ? g->nx - 1 : i0;
		i1 = i1 < 0 ? 0 : i1 > g->nx - 1 ? g->nx - 1 : i1;
		j0 = j0 < 0 ? 0 : j0 > g->ny - 1 ? g->ny - 1 : j0;
		j1 = j1 < 0 ? 0 : j1 > g->ny - 1 ? g->ny - 1 : j1;
		for (int j = j0; j <= j1; j++)
			for (int i = i0; i <= i1; i++)
				g->at[(size_t) j * g->nx + i] = 0;
	}
	for (size_t k = 0; k < nn; k++)
		if (g->at[k] == 0)
			g->at[k] = q++;
	g->nodes = q;
	g->ground = sr_alloc(sizeof(double) * (q + 1));
	g->elev = sr_alloc(sizeof(float) * ((size_t) q * NH * ns + 1));
	e = sr_alloc(sizeof(double) * NH * ns);
	if (!g->ground || !g->elev || !e)
	{
		sr_free(e);
		sr_terrain_grid_free(g);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (int j = 0; j < g->ny; j++)
		for (int i = 0; i < g->nx; i++)
		{
			int32_t		a = g->at[(size_t) j * g->nx + i];
			double		x = xmin + i * step, y = ymin + j * step, z[NH];
			double		gz;
			float	   *dst;

			if (a < 0)
				continue;
			gz = sr_dem_height(dem, x, y);
			dst = g->elev + (size_t) a * NH * ns;
			g->ground[a] = gz;
			for (int h = 0; h < NH; h++)
				z[h] = (isnan(gz) ? 0.0 : gz) + grid_heights[h];
			if ((st = sr_dem_horizon(dem, x, y, z, NH, ns, o, e, err)) != SR_OK)
			{
				sr_free(e);
				sr_terrain_grid_free(g);
				return st;
			}
			for (int k = 0; k < NH * ns; k++)
				dst[k] = (float) e[k];
		}
	sr_free(e);
	*out = g;
	return SR_OK;
}

/* a node's horizon at a height above its ground: linear between the four
 * heights, held at the ends */
static double
node_elev(const sr_terrain_grid *g, int i, int j, double z, int k)
{
	int32_t		a = g->at[(size_t) j * g->nx + i];
	const float *e;
	double		gz,
				h;

	if (a < 0)
		return 0.0;				/* (no box needs it: not reached) */
	e = g->elev + (size_t) a * NH * g->ns;
	gz = g->ground[a];
	h = isnan(gz) ? z : z - gz;

	if (h <= grid_heights[0])
		return e[k];
	for (int q = 1; q < NH; q++)
		if (h <= grid_heights[q])
		{
			double		f = (h - grid_heights[q - 1]) / (grid_heights[q] - grid_heights[q - 1]);

			return (1 - f) * e[(q - 1) * g->ns + k] + f * e[q * g->ns + k];
		}
	return e[(NH - 1) * g->ns + k];
}

void
sr_terrain_grid_apply(const sr_terrain_grid *g, double x, double y, double z, double *elev)
{
	double		fx = (x - g->x0) / g->step, fy = (y - g->y0) / g->step;
	int			i, j;

	fx = fx < 0 ? 0 : fx > g->nx - 1 ? g->nx - 1 : fx;
	fy = fy < 0 ? 0 : fy > g->ny - 1 ? g->ny - 1 : fy;
	i = (int) fx;
	j = (int) fy;
	if (i >= g->nx - 1)
		i = g->nx > 1 ? g->nx - 2 : 0;
	if (j >= g->ny - 1)
		j = g->ny > 1 ? g->ny - 2 : 0;
	fx -= i;
	fy -= j;
	for (int k = 0; k < g->ns; k++)
	{
		int			i1 = g->nx > 1 ? i + 1 : i, j1 = g->ny > 1 ? j + 1 : j;
		double		t = (1 - fy) * ((1 - fx) * node_elev(g, i, j, z, k) + fx * node_elev(g, i1, j, z, k)) +
			fy * ((1 - fx) * node_elev(g, i, j1, z, k) + fx * node_elev(g, i1, j1, z, k));

		if (t > elev[k])
			elev[k] = t;
	}
}

/* ---------- trees ---------- */

sr_status
sr_trees_obstacles(const sr_tree *t, int n, sr_obstacle_set *s, sr_err *err)
{
	memset(s, 0, sizeof(*s));
	s->ztop = sr_alloc(sizeof(double) * (n + 1));
	s->ring_start = sr_alloc(sizeof(int) * (n + 2));
	s->pt_start = sr_alloc(sizeof(int) * (n + 2));
	s->xy = sr_alloc(sizeof(double) * 2 * (13 * (size_t) n + 1));
	s->first = sr_alloc(sizeof(int) * (n + 1));
	if (!s->ztop || !s->ring_start || !s->pt_start || !s->xy || !s->first)
	{
		sr_obstacle_set_free(s);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	s->ring_start[0] = 0;
	s->pt_start[0] = 0;
	for (int i = 0; i < n; i++)
	{
		if (!(t[i].r > 0) || !isfinite(t[i].r) || !isfinite(t[i].top) || !isfinite(t[i].x) || !isfinite(t[i].y))
		{
			sr_obstacle_set_free(s);
			sr_error(err, SR_EINVAL, "tree %lld has an invalid crown", (long long) t[i].id);
			sr_error_detail(err, "Crown radius %g m, top %g m.", t[i].r, t[i].top);
			return err->status;
		}
		/* a closed regular 12-gon, counter-clockwise */
		for (int k = 0; k <= 12; k++)
		{
			double		a = (k % 12) * SR_PI / 6.0;

			s->xy[2 * (13 * i + k)] = t[i].x + t[i].r * cos(a);
			s->xy[2 * (13 * i + k) + 1] = t[i].y + t[i].r * sin(a);
		}
		s->ztop[i] = t[i].top;
		s->first[i] = i;
		s->ring_start[i + 1] = i + 1;
		s->pt_start[i + 1] = 13 * (i + 1);
	}
	s->obs.n = n;
	s->obs.ztop = s->ztop;
	s->obs.ring_start = s->ring_start;
	s->obs.pt_start = s->pt_start;
	s->obs.xy = s->xy;
	return SR_OK;
}
