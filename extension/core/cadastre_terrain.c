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
#include <string.h>

sr_status
sr_dem_init(sr_dem *dem, const sr_dem_tile *t, int n, sr_err *err)
{
	dem->n = n;
	dem->t = t;
	dem->pixel = INFINITY;
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

double
sr_dem_height(const sr_dem *dem, double x, double y)
{
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
	double	   *ground;			/* [ny][nx] (NaN outside the model) */
	float	   *elev;			/* [ny][nx][NH][ns] */
};

void
sr_terrain_grid_free(sr_terrain_grid *g)
{
	if (!g)
		return;
	sr_free(g->ground);
	sr_free(g->elev);
	sr_free(g);
}

sr_status
sr_terrain_grid_build(const sr_dem *dem, double xmin, double ymin, double xmax, double ymax,
					  double step, int ns, const sr_terrain_opts *o, sr_terrain_grid **out,
					  sr_err *err)
{
	sr_terrain_grid *g;
	double	   *e;
	sr_status	st;

	*out = NULL;
	if (!(step > 0) || !(xmax >= xmin) || !(ymax >= ymin))
		return sr_error(err, SR_EINVAL, "invalid terrain grid");
	g = sr_alloc0(sizeof(sr_terrain_grid));
	if (!g)
		return sr_error(err, SR_ENOMEM, "out of memory");
	g->nx = (int) ceil((xmax - xmin) / step) + 1;
	g->ny = (int) ceil((ymax - ymin) / step) + 1;
	if ((double) g->nx * g->ny > 4e6)
	{
		sr_free(g);
		return sr_error(err, SR_EINVAL, "the terrain grid would have %.0f nodes: raise terrain_grid_m",
						(double) g->nx * g->ny);
	}
	g->ns = ns;
	g->x0 = xmin;
	g->y0 = ymin;
	g->step = step;
	g->ground = sr_alloc(sizeof(double) * g->nx * g->ny);
	g->elev = sr_alloc(sizeof(float) * (size_t) g->nx * g->ny * NH * ns);
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
			double		x = xmin + i * step, y = ymin + j * step, z[NH];
			double		gz = sr_dem_height(dem, x, y);
			float	   *dst = g->elev + ((size_t) j * g->nx + i) * NH * ns;

			g->ground[j * g->nx + i] = gz;
			for (int h = 0; h < NH; h++)
				z[h] = (isnan(gz) ? 0.0 : gz) + grid_heights[h];
			if ((st = sr_dem_horizon(dem, x, y, z, NH, ns, o, e, err)) != SR_OK)
			{
				sr_free(e);
				sr_terrain_grid_free(g);
				return st;
			}
			for (int q = 0; q < NH * ns; q++)
				dst[q] = (float) e[q];
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
	const float *e = g->elev + ((size_t) j * g->nx + i) * NH * g->ns;
	double		gz = g->ground[j * g->nx + i], h = isnan(gz) ? z : z - gz;

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
