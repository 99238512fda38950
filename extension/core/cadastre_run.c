/*
 * cadastre_run.c — the whole solar cadastre: roof faces of every building,
 * their horizon among the neighbours (grid index), their irradiation from
 * one prepared sky, usable area, PV power and yield, potential class.
 */
#include "sr_cadastre.h"

#include <math.h>
#include <string.h>

typedef struct face_def
{
	int			b;				/* building index */
	int			poly;			/* polygon index in the geometry */
	double		tilt, azimuth, area3, area2, per2;
	double		x, y, z;		/* viewpoint */
	int			excl;			/* its own obstacle, left out of its horizon */
} face_def;

struct sr_cadastre
{
	const sr_building *b;
	int			nb;
	sr_cadastre_opts o;
	sr_obstacles obs;
	double	   *ztop, *xy;
	int		   *ring_start, *pt_start;
	int		   *obs_of_building;	/* building -> its first obstacle, or -1 */
	sr_grid    *grid;
	sr_sky_prep *prep;
	face_def   *faces;
	int			nfaces;
	int			no_height, empty, walls, wall_only;
	double		open_tilt, open_az, open_val;	/* last open-horizon reference */
	double		cx, cy;
};

void
sr_cadastre_opts_default(sr_cadastre_opts *o)
{
	o->radius_m = 300.0;
	o->sectors = 72;
	o->kwp_per_m2 = 0.2;		/* 20 % module efficiency, 1 kW/m2 at STC */
	o->performance_ratio = 0.8;
	o->setback_m = 0.5;
	o->min_usable_area_m2 = 10.0;
	o->flat_tilt_max = 5.0;
	o->flat_module_tilt = 10.0;
	o->wall_tilt_min = 80.0;
	o->albedo = 0.25;
	o->class_thresholds[0] = 900.0;
	o->class_thresholds[1] = 1100.0;
	o->class_thresholds[2] = 1250.0;
	o->viewpoints = 1;
}

sr_status
sr_cadastre_opts_check(const sr_cadastre_opts *o, sr_err *err)
{
#define RANGE(v, lo, hi, name) \
	if (!((v) >= (lo) && (v) <= (hi))) \
		return sr_error(err, SR_EINVAL, "option \"%s\" must be between %g and %g, got %g", \
						name, (double) (lo), (double) (hi), (double) (v))
	RANGE(o->radius_m, 1, 5000, "radius_m");
	RANGE(o->sectors, SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS, "sectors");
	RANGE(o->kwp_per_m2, 0.01, 0.5, "kwp_per_m2");
	RANGE(o->performance_ratio, 0.1, 1.0, "performance_ratio");
	RANGE(o->setback_m, 0, 10, "setback_m");
	RANGE(o->min_usable_area_m2, 0, 10000, "min_usable_area_m2");
	RANGE(o->flat_tilt_max, 0, 30, "flat_tilt_max_deg");
	RANGE(o->flat_module_tilt, 0, 60, "flat_module_tilt_deg");
	RANGE(o->wall_tilt_min, 30, 90, "wall_tilt_min_deg");
	RANGE(o->albedo, 0, 1, "albedo");
	RANGE(o->class_thresholds[0], 0, 5000, "class_thresholds");
	RANGE(o->class_thresholds[1], 0, 5000, "class_thresholds");
	RANGE(o->class_thresholds[2], 0, 5000, "class_thresholds");
#undef RANGE
	if (o->viewpoints != 1 && o->viewpoints != 5)
		return sr_error(err, SR_EINVAL, "option \"viewpoints\" must be 1 or 5, got %d", o->viewpoints);
	if (!(o->class_thresholds[0] <= o->class_thresholds[1] &&
		  o->class_thresholds[1] <= o->class_thresholds[2]))
		return sr_error(err, SR_EINVAL, "option \"class_thresholds\" must be ascending");
	return SR_OK;
}

void
sr_cadastre_free(sr_cadastre *c)
{
	if (!c)
		return;
	sr_grid_free(c->grid);
	sr_sky_prep_free(c->prep);
	sr_free(c->ztop);
	sr_free(c->xy);
	sr_free(c->ring_start);
	sr_free(c->pt_start);
	sr_free(c->obs_of_building);
	sr_free(c->faces);
	sr_free(c);
}

int
sr_cadastre_nfaces(const sr_cadastre *c)
{
	return c->nfaces;
}

int
sr_cadastre_skipped(const sr_cadastre *c, int *no_height, int *empty, int *walls)
{
	*no_height = c->no_height;
	*empty = c->empty;
	*walls = c->wall_only;
	return c->no_height + c->empty + c->wall_only;
}

void
sr_cadastre_center(const sr_cadastre *c, double *x, double *y)
{
	*x = c->cx;
	*y = c->cy;
}

/* Height of a flat roof given by its eaves (and ridge): their mean. */
static double
eaves_ridge_z(const sr_building *b)
{
	return isfinite(b->roof_z_max) ? 0.5 * (b->roof_z_min + b->roof_z_max) : b->roof_z_min;
}

sr_status
sr_cadastre_prepare(const sr_building *b, int n, const sr_cadastre_opts *o,
					const sr_sky_hdr *sky, sr_cadastre **out, sr_err *err)
{
	sr_cadastre *c;
	int			i, nrings = 0, npts = 0, capf = 0, nobs = 0, r, pi, nf0, nw0, per_face;
	sr_status	st;

	*out = NULL;
	if ((st = sr_cadastre_opts_check(o, err)) != SR_OK)
		return st;
	c = sr_alloc0(sizeof(sr_cadastre));
	if (!c)
		return sr_error(err, SR_ENOMEM, "out of memory");
	c->b = b;
	c->nb = n;
	c->o = *o;
	c->open_val = -1.0;
	for (i = 0; i < n; i++)
	{
		nrings += b[i].geom.nrings;
		npts += b[i].geom.npts;
		capf += b[i].geom.npolys;
	}
	/* at most one obstacle per polygon (3D buildings of several faces) */
	c->ztop = sr_alloc(sizeof(double) * (capf + n + 1));
	c->ring_start = sr_alloc(sizeof(int) * (capf + n + 2));
	c->pt_start = sr_alloc(sizeof(int) * (nrings + 2));
	c->xy = sr_alloc(sizeof(double) * 2 * (npts + 1));
	c->obs_of_building = sr_alloc(sizeof(int) * (n + 1));
	c->faces = sr_alloc(sizeof(face_def) * (capf + 1));
	if (!c->ztop || !c->ring_start || !c->pt_start || !c->xy ||
		!c->obs_of_building || !c->faces)
	{
		sr_cadastre_free(c);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}

	/* obstacles and faces */
	nrings = npts = 0;
	c->ring_start[0] = 0;
	c->pt_start[0] = 0;
	for (i = 0; i < n; i++)
	{
		const sr_mpoly *g = &b[i].geom;
		double		top, zmax = -INFINITY, roofz = 0.0;

		c->obs_of_building[i] = -1;
		if (i % 1024 == 0)
			sr_check_interrupts();
		if (g->npolys == 0 || g->npts == 0)
		{
			c->empty++;
			continue;
		}
		if (!g->has_z)
		{
			/* 2D footprint: flat roof at ground_z + height, or between the
			 * eaves and the ridge when they are given */
			if (isfinite(b[i].roof_z_min))
				roofz = eaves_ridge_z(&b[i]);
			else if (isfinite(b[i].height) && b[i].height > 0)
				roofz = (isfinite(b[i].ground_z) ? b[i].ground_z : 0.0) + b[i].height;
			else
			{
				c->no_height++;
				continue;
			}
			top = roofz;
		}
		else
		{
			for (pi = 0; pi < g->npts; pi++)
				if (g->xyz[3 * pi + 2] > zmax)
					zmax = g->xyz[3 * pi + 2];
			top = zmax;
		}
		if (isfinite(b[i].roof_z_max))
			top = b[i].roof_z_max;

		/* 3D buildings of several polygons (LoD2 roofs and walls) become one
		 * obstacle per polygon, so that a face is shaded by the other faces
		 * of its own building (a higher wing, a dormer); otherwise the
		 * building is one obstacle, left out of its own faces' horizons */
		per_face = g->has_z && g->npolys > 1;

		/* faces */
		nf0 = c->nfaces;
		nw0 = c->walls;
		for (pi = 0; pi < g->npolys && !b[i].obstacle_only; pi++)
		{
			int			r0 = g->poly_ring_start[pi], r1 = g->poly_ring_start[pi + 1];
			int			npr[64];
			int			nr = r1 - r0 > 64 ? 64 : r1 - r0;
			sr_poly3	p3;
			sr_plane	pl;
			sr_err		e2;
			face_def   *f = &c->faces[c->nfaces];

			for (r = 0; r < nr; r++)
				npr[r] = g->ring_pt_start[r0 + r + 1] - g->ring_pt_start[r0 + r];
			p3.nrings = nr;
			p3.ring_npts = npr;
			p3.xyz = g->xyz + 3 * (size_t) g->ring_pt_start[r0];
			sr_err_clear(&e2);
			if (sr_roof_plane_fit(&p3, &pl, &e2) != SR_OK)
				continue;		/* degenerate polygon: no roof face */
			if (!g->has_z)
			{
				pl.tilt = 0.0;
				pl.azimuth = 180.0;
				pl.area_3d = pl.area_2d;
				pl.cz = roofz;
			}
			else if (pl.tilt >= o->wall_tilt_min)
			{
				c->walls++;
				continue;
			}
			else if (pl.tilt < o->flat_tilt_max && isfinite(b[i].roof_z_min))
				/* a flat 3D polygon (a BD TOPO footprint at the eaves): the
				 * roof between the eaves and the ridge */
				pl.cz = eaves_ridge_z(&b[i]);
			f->b = i;
			f->poly = pi;
			f->tilt = pl.tilt;
			f->azimuth = pl.azimuth;
			f->area3 = pl.area_3d;
			f->area2 = pl.area_2d;
			f->per2 = pl.perimeter_2d;
			f->excl = per_face ? nobs + pi : nobs;
			f->x = pl.cx;
			f->y = pl.cy;
			f->z = pl.cz;
			c->cx += pl.cx;
			c->cy += pl.cy;
			c->nfaces++;
		}

		/* no roof face: only degenerate polygons (counted as empty), or only
		 * walls (counted as wall-only buildings) */
		if (c->nfaces == nf0 && !b[i].obstacle_only)
		{
			if (c->walls == nw0)
				c->empty++;
			else
				c->wall_only++;
		}

		/* obstacles: every ring of the geometry, in 2D, up to 'top' (or, per
		 * polygon, up to the polygon's highest point) */
		c->obs_of_building[i] = nobs;
		for (pi = 0; pi < (per_face ? g->npolys : 1); pi++)
		{
			int			r0 = per_face ? g->poly_ring_start[pi] : 0;
			int			r1 = per_face ? g->poly_ring_start[pi + 1] : g->nrings;
			double		ptop = -INFINITY;
			int			q;

			for (r = r0; r < r1; r++)
			{
				for (q = g->ring_pt_start[r]; q < g->ring_pt_start[r + 1]; q++)
				{
					c->xy[2 * npts] = g->xyz[3 * q];
					c->xy[2 * npts + 1] = g->xyz[3 * q + 1];
					if (g->xyz[3 * q + 2] > ptop)
						ptop = g->xyz[3 * q + 2];
					npts++;
				}
				nrings++;
				c->pt_start[nrings] = npts;
			}
			c->ztop[nobs] = per_face ? ptop : top;
			nobs++;
			c->ring_start[nobs] = nrings;
		}
	}
	if (c->nfaces > 0)
	{
		c->cx /= c->nfaces;
		c->cy /= c->nfaces;
	}
	c->obs.n = nobs;
	c->obs.ztop = c->ztop;
	c->obs.ring_start = c->ring_start;
	c->obs.pt_start = c->pt_start;
	c->obs.xy = c->xy;
	if ((st = sr_grid_build(&c->obs, 0.0, &c->grid, err)) != SR_OK ||
		(st = sr_sky_prepare(sky, o->sectors, &c->prep, err)) != SR_OK)
	{
		sr_cadastre_free(c);
		return st;
	}
	*out = c;
	return SR_OK;
}

void
sr_cadastre_face(sr_cadastre *c, int i, sr_face_result *res)
{
	const face_def *f = &c->faces[i];
	const sr_cadastre_opts *o = &c->o;
	double		elev[SR_HORIZON_MAX_SECTORS];
	float		hf[SR_HORIZON_MAX_SECTORS];
	sr_irradiation shaded;
	double		open_annual;
	double		usable2, hpv, hpv_sum;
	sr_err		err;
	int			k;

	memset(res, 0, sizeof(*res));
	res->building = f->b;
	res->building_id = c->b[f->b].id;
	res->face = f->poly + 1;
	res->tilt = f->tilt;
	res->azimuth = f->azimuth;
	res->area_m2 = f->area3;

	/* viewpoints: the centroid, and with 5, four points half-way from it to
	 * the exterior ring's vertices at quarter turns, on the face's plane */
	{
		const sr_mpoly *g = &c->b[f->b].geom;
		int			p0 = g->ring_pt_start[g->poly_ring_start[f->poly]];
		int			p1 = g->ring_pt_start[g->poly_ring_start[f->poly] + 1];
		int			nv = p1 - p0 > 1 ? p1 - p0 - 1 : 1;	/* without the closing point */
		double		slope = tan(f->tilt * SR_DEG2RAD);
		double		sa = sin(f->azimuth * SR_DEG2RAD), ca = cos(f->azimuth * SR_DEG2RAD);
		int			v;

		memset(&shaded, 0, sizeof(shaded));
		hpv_sum = 0.0;
		for (v = 0; v < o->viewpoints; v++)
		{
			double		x = f->x, y = f->y, z = f->z;
			sr_irradiation one;

			if (v > 0)
			{
				int			j = p0 + ((v - 1) * nv) / 4;

				x = f->x + 0.5 * (g->xyz[3 * j] - f->x);
				y = f->y + 0.5 * (g->xyz[3 * j + 1] - f->y);
				/* the plane falls toward its azimuth */
				z = f->z - slope * ((x - f->x) * sa + (y - f->y) * ca);
			}
			sr_err_clear(&err);
			if (sr_horizon_compute(c->grid, x, y, z, o->radius_m, o->sectors,
								   f->excl, elev, &err) != SR_OK)
				for (k = 0; k < o->sectors; k++)
					elev[k] = 0.0;	/* cannot happen: inputs were checked */
			for (k = 0; k < o->sectors; k++)
				hf[k] = (float) elev[k];
			sr_plane_irradiation(c->prep, f->tilt, f->azimuth, hf, o->albedo, &one);
			shaded.annual += one.annual / o->viewpoints;
			for (k = 0; k < 12; k++)
				shaded.monthly[k] += one.monthly[k] / o->viewpoints;
			if (f->tilt < o->flat_tilt_max && o->flat_module_tilt > 0)
				hpv_sum += sr_plane_irradiation_annual(c->prep, o->flat_module_tilt, 180.0, hf,
													   o->albedo) / o->viewpoints;
		}
	}
	/* the open reference depends on the orientation only: flat roofs share it */
	if (c->open_val >= 0 && c->open_tilt == f->tilt && c->open_az == f->azimuth)
		open_annual = c->open_val;
	else
	{
		open_annual = sr_plane_irradiation_annual(c->prep, f->tilt, f->azimuth, NULL, o->albedo);
		c->open_tilt = f->tilt;
		c->open_az = f->azimuth;
		c->open_val = open_annual;
	}
	res->annual_kwh_m2 = shaded.annual / 1000.0;
	for (k = 0; k < 12; k++)
		res->monthly_kwh_m2[k] = shaded.monthly[k] / 1000.0;
	res->shading_loss_pct = open_annual > 0 ? 100.0 * (1.0 - shaded.annual / open_annual) : 0.0;
	/* the two paths sum float prefix rows in a different order: below
	 * 1e-4 % a negative loss is rounding, not light */
	if (res->shading_loss_pct < 0 && res->shading_loss_pct > -1e-4)
		res->shading_loss_pct = 0.0;

	/* usable area: setback from the edges (exact for rectangles:
	 * (a-2s)(b-2s) = A - P s + 4 s^2), carried to the roof plane */
	usable2 = f->area2 - f->per2 * o->setback_m + 4.0 * o->setback_m * o->setback_m;
	if (f->area2 - f->per2 * o->setback_m <= 0 || usable2 < 0)
		usable2 = 0.0;
	if (usable2 > f->area2)
		usable2 = f->area2;
	res->usable_area_m2 = f->area2 > 0 ? f->area3 * usable2 / f->area2 : 0.0;

	/* PV plane: flat roofs get modules tilted south */
	hpv = res->annual_kwh_m2;
	if (f->tilt < o->flat_tilt_max && o->flat_module_tilt > 0)
		hpv = hpv_sum / 1000.0;
	if (res->usable_area_m2 < o->min_usable_area_m2 || res->usable_area_m2 <= 0)
	{
		res->potential_class = 0;
		return;
	}
	res->pv_kwp = res->usable_area_m2 * o->kwp_per_m2;
	res->pv_kwh_year = res->pv_kwp * hpv * o->performance_ratio;
	if (hpv < o->class_thresholds[0])
		res->potential_class = 1;
	else if (hpv < o->class_thresholds[1])
		res->potential_class = 2;
	else if (hpv < o->class_thresholds[2])
		res->potential_class = 3;
	else
		res->potential_class = 4;
}
