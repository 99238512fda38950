/*
 * cadastre_run.c — the whole solar cadastre: roof faces of every building,
 * their horizon among the neighbours (grid index), their irradiation from
 * one prepared sky, usable area, PV power and yield, potential class.
 */
#include "sr_cadastre.h"
#include "sr_parallel.h"
#include "sr_pv.h"
#include "sr_terrain.h"

#include <geos_c.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* the exposed part of a partly covered wall (party_walls): one piece of it,
 * with its viewpoints as a wall of that shape would have them */
#define PARTY_MAX_PIECES SR_PARTY_MAX_PIECES
typedef struct exposed_piece
{
	double		w;				/* its share of the exposed pieces kept */
	double		vp[5][3];		/* viewpoints: its vertex centroid, then
								 * half-way to its quarter vertices */
} exposed_piece;

typedef struct face_def
{
	int			b;				/* building index */
	int			poly;			/* polygon index in the geometry */
	double		tilt, azimuth, area3, area2, per2;
	int			holes;			/* interior rings (courtyards) */
	double		x, y, z;		/* viewpoint */
	int			excl;			/* its own obstacle, left out of its horizon */
	int			wall;			/* a wall of a city model (faces "wall"): its
								 * outward orientation, in-plane setback and
								 * viewpoints */
	double		per3;			/* walls: 3D perimeter of the exterior ring */
	double		covered;		/* walls: share of the area against a
								 * neighbour's coincident wall (party_walls) */
	double		exposed;		/* walls: the area not covered (m2) */
	double		usable_exp;		/* walls partly covered: usable area of the
								 * exposed part (m2), the rectangle rule per
								 * piece */
	int			piece0,
				npieces;		/* walls partly covered: their exposed pieces
								 * (0: the whole wall) */
} face_def;

struct sr_cadastre
{
	const sr_building *b;
	int			nb;
	sr_cadastre_opts o;
	sr_obstacle_set os;			/* the obstacles (sr_obstacles_from_buildings) */
	sr_grid    *grid;
	sr_sky_prep *prep;
	face_def   *faces;
	int			nfaces;
	int			no_height, empty, walls, wall_only;
	double		open_tilt, open_az, open_val;	/* last open-horizon reference */
	double		cx, cy;
	sr_roofarea *area;			/* sampling "area": cadastre_sample.c */
	int			has3d;			/* 3D polygon obstacles (a city model) */
	sr_pv_prep *pv;				/* the PV model on the sky (NULL: ratio) */
	int			pv_fallback;	/* the model was asked, the sky cannot */
	double	   *hourly, *hv;	/* the caller's buffer of a face's hours, scratch */
	double	   *hv2;			/* scratch: the hours under the trees */
	uint8_t    *hmon;			/* month of each hour */
	sr_terrain_grid *terrain;	/* far horizons (NULL: none) */
	sr_obstacle_set trees;		/* trees (trees.obs.n = 0: none) */
	sr_grid    *tree_grid;
	double		tau[12];		/* crown transmittance per month */
	int			own_prep;		/* the prepared sky is this cadastre's */
	sr_pv_scratch **pvs;		/* [npvs] the threads' PV scratch
								 * (sr_cadastre_faces_cells) */
	int			npvs;
	exposed_piece *pieces;		/* the exposed pieces of partly covered walls */
	int			npieces,
				cappieces;
};

static const double default_thresholds[3] = {900.0, 1100.0, 1250.0};
static const char *const face_choices[] = {"roof", "wall", "both", NULL};
static const char *const sampling_choices[] = {"area", "point", NULL};
static const char *const sunny_choices[] = {"low", "medium", "good", "excellent", NULL};
static const char *const pv_model_choices[] = {"system", "performance_ratio", NULL};
/* a deciduous crown: leafless (0.6) November to March, in leaf (0.15) May
 * to September, 0.35-0.4 in April and October (orders of magnitude of
 * measured crown transmissivities of urban deciduous trees) */
static const double default_tau[12] = {0.6, 0.6, 0.6, 0.4, 0.15, 0.15, 0.15, 0.15, 0.15, 0.35, 0.6, 0.6};

#define O(f) offsetof(sr_cadastre_opts, f)
static const sr_optspec cadastre_specs[] = {
	{"radius_m", SR_OPT_NUMBER, O(radius_m), 1, 5000, 300, .unit = "m",
	 .meaning = "farthest obstacle seen from a face"},
	{"sectors", SR_OPT_INT, O(sectors), SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS, 72,
	 .meaning = "azimuth sectors of each face's horizon"},
	{"viewpoints", SR_OPT_INT, O(viewpoints), 1, 5, 1,
	 .meaning = "1: the horizon at the face's centre; 5: also at four points half-way to its quarter vertices, irradiation averaged"},
	{"kwp_per_m2", SR_OPT_NUMBER, O(kwp_per_m2), 0.01, 0.5, 0.2, .unit = "kWp/m2",
	 .meaning = "peak power per m2 of module (0.2: 20 % efficiency)"},
	{"performance_ratio", SR_OPT_NUMBER, O(performance_ratio), 0.1, 1.0, 0.8,
	 .meaning = "AC energy over the modules' in-plane irradiation times their rated efficiency"},
	{"setback_m", SR_OPT_NUMBER, O(setback_m), 0, 10, 0.5, .unit = "m",
	 .meaning = "margin kept free along the roof's edges"},
	{"min_usable_area_m2", SR_OPT_NUMBER, O(min_usable_area_m2), 0, 10000, 10, .unit = "m2",
	 .meaning = "a face with less usable area gets no PV"},
	{"flat_tilt_max_deg", SR_OPT_NUMBER, O(flat_tilt_max), 0, 30, 5, .unit = "deg",
	 .meaning = "faces flatter than this are flat roofs (modules tilted south)"},
	{"flat_module_tilt_deg", SR_OPT_NUMBER, O(flat_module_tilt), 0, 60, 10, .unit = "deg",
	 .meaning = "tilt of the south-facing modules on flat roofs"},
	{"wall_tilt_min_deg", SR_OPT_NUMBER, O(wall_tilt_min), 30, 90, 80, .unit = "deg",
	 .meaning = "3D faces at least this steep are walls and get no result"},
	{"albedo", SR_OPT_NUMBER, O(albedo), 0, 1, 0.25,
	 .meaning = "ground reflectance"},
	{"class_thresholds", SR_OPT_NUMBERS, O(class_thresholds), 0, 5000, 0, default_thresholds, .n = 3,
	 .unit = "kWh/m2", .flags = SR_OPTF_ASCENDING,
	 .meaning = "annual irradiation separating the classes low, medium, good and excellent"},
	{"max_sky_distance_km", SR_OPT_NUMBER, O(max_sky_distance_km), 0.001, 20000, 50, .unit = "km",
	 .meaning = "farthest the sky's weather site may be from the buildings' centre"},
	/* roofs resolved over their area (cadastre_sample.c) */
	/* point stays the default until the area mode reaches the speed of
	 * issue 18 (17 s against 0.26 s on Lyon 1er, docs/performance-roofarea.md) */
	{"sampling", SR_OPT_CHOICE, O(sampling), .def = SR_SAMPLING_POINT, .choices = sampling_choices,
	 .meaning = "point (the default): one horizon at the face's vertex centroid (or viewpoints); area: every face sampled on a grid in its plane, each sample with its own skyline (area means, percentiles and sunny area over the face; about 60 times slower)"},
	{"spacing_m", SR_OPT_NUMBER, O(spacing_m), 0.1, 20, 1, .unit = "m",
	 .meaning = "spacing of the sample grid in the roof's plane (sampling area)"},
	{"max_samples", SR_OPT_INT, O(max_samples), 16, 1000000, 10000,
	 .meaning = "a face larger than max_samples x spacing_m^2 is sampled every sqrt(area / max_samples) m"},
	{"rays_per_sector", SR_OPT_INT, O(rays_per_sector), 1, 20, 5,
	 .meaning = "skyline rays per horizon sector (sampling area): the beam sees the skyline at its ray, 360 / (sectors x rays_per_sector) deg wide"},
	{"sunny_class", SR_OPT_CHOICE, O(sunny_class), .def = 1, .choices = sunny_choices,
	 .meaning = "sunny_area_m2 is the usable area whose PV-plane irradiation reaches this class (sampling area)"},
	{"faces", SR_OPT_CHOICE, O(faces), .def = SR_FACES_ROOF, .choices = face_choices,
	 .meaning = "city model rows (a surface_type column): the faces computed, roofs (RoofSurface, or facing up), walls (WallSurface, or steeper than wall_tilt_min_deg) or both"},
	{"pv_model", SR_OPT_CHOICE, O(pv_model), .def = SR_CADASTRE_PV_SYSTEM, .choices = pv_model_choices,
	 .meaning = "pv_kwh_year from the PV system model hour by hour (system, docs/pv.md) or from the irradiation times performance_ratio (performance_ratio)"},
	{"pv", SR_OPT_OBJECT, O(pv), .sub = &sr_pv_optset,
	 .meaning = "the PV system of the model (the options of pv_yield)"},
	{"terrain_sql", SR_OPT_STRING, SR_OPT_NOSTORE, .flags = SR_OPTF_LONG,
	 .meaning = "a query returning the elevation model's tiles (column rast, raster, the buildings' SRID and vertical datum): its far horizon raises every face's (needs postgis_raster)"},
	{"terrain_radius_m", SR_OPT_NUMBER, O(terrain_radius_m), 100, 200000, 20000, .unit = "m",
	 .meaning = "farthest terrain seen"},
	{"terrain_grid_m", SR_OPT_NUMBER, O(terrain_grid_m), 10, 10000, 100, .unit = "m",
	 .meaning = "spacing of the terrain horizons computed around the buildings (bilinear between them, at four heights above the ground; only the nodes around buildings with faces are computed)"},
	{"terrain_curvature", SR_OPT_BOOL, O(terrain_curvature), .def = 1,
	 .meaning = "the Earth's curvature and the standard refraction (k = 0.13) lower distant terrain"},
	{"trees_sql", SR_OPT_STRING, SR_OPT_NOSTORE, .flags = SR_OPTF_LONG,
	 .meaning = "a query returning trees (id, geom point, height, crown_radius [, ground_z]): crowns as 12-gon prisms letting tree_transmittance through"},
	{"tree_transmittance", SR_OPT_NUMBERS, O(tree_tau), 0, 1, 0, default_tau, .n = 12,
	 .meaning = "share of the light a crown lets through, January to December (default: a deciduous tree, leafless from November to March)"},
	{"economics", SR_OPT_OBJECT, O(econ), .sub = &sr_econ_optset,
	 .meaning = "when given (even {}), the economics column of each face with PV, as pv_economics with the options of pv_economics and the default household load"},
};
#undef O

const sr_optset sr_cadastre_optset = {
	"solar_cadastre", "option", cadastre_specs, sizeof(cadastre_specs) / sizeof(cadastre_specs[0])
};
/* solar_impact: the same options (its two cadastres are solar_cadastre's),
 * but the last seven, which solar_cadastre's glue reads (terrain_sql to
 * economics): solar_impact refuses them as unknown */
#define SR_CADASTRE_GLUE_ONLY_SPECS 7
const sr_optset sr_impact_optset = {
	"solar_impact", "option", cadastre_specs,
	sizeof(cadastre_specs) / sizeof(cadastre_specs[0]) - SR_CADASTRE_GLUE_ONLY_SPECS
};

void
sr_cadastre_opts_default(sr_cadastre_opts *o)
{
	sr_options_defaults(&sr_cadastre_optset, o);
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
	RANGE(o->max_sky_distance_km, 0.001, 20000, "max_sky_distance_km");
	RANGE(o->sampling, 0, 1, "sampling");
	RANGE(o->spacing_m, 0.1, 20, "spacing_m");
	RANGE(o->max_samples, 16, 1000000, "max_samples");
	RANGE(o->rays_per_sector, 1, 20, "rays_per_sector");
	RANGE(o->sunny_class, 0, 3, "sunny_class");
	RANGE(o->pv_model, 0, 1, "pv_model");
#undef RANGE
	if (o->viewpoints != 1 && o->viewpoints != 5)
		return sr_error(err, SR_EINVAL, "option \"viewpoints\" must be 1 or 5, got %d", o->viewpoints);
	if (o->sampling == SR_SAMPLING_AREA && o->viewpoints != 1)
	{
		sr_error(err, SR_EINVAL, "option \"viewpoints\" applies to \"sampling\": \"point\" only");
		sr_error_hint(err, "Sampling \"area\" gives every sample point of a face its own horizon.");
		return err->status;
	}
	if (o->sectors * o->rays_per_sector > 7200)
		return sr_error(err, SR_EINVAL, "options \"sectors\" x \"rays_per_sector\" must be at most 7200, got %d",
						o->sectors * o->rays_per_sector);
	if (o->faces < SR_FACES_ROOF || o->faces > SR_FACES_BOTH)
		return sr_error(err, SR_EINVAL, "option \"faces\" must be roof, wall or both");
	{
		sr_status	st = sr_pv_check(&o->pv, err);

		if (st != SR_OK)
			return st;
	}
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
	sr_roofarea_free(c->area);
	sr_grid_free(c->grid);
	if (c->own_prep)
		sr_sky_prep_free(c->prep);
	for (int t = 0; t < c->npvs; t++)
		sr_pv_scratch_free(c->pvs[t]);
	sr_free(c->pvs);
	sr_pv_prep_free(c->pv);
	sr_free(c->hv);
	sr_free(c->hv2);
	sr_free(c->hmon);
	sr_terrain_grid_free(c->terrain);
	sr_grid_free(c->tree_grid);
	sr_obstacle_set_free(&c->trees);
	sr_obstacle_set_free(&c->os);
	sr_free(c->faces);
	sr_free(c->pieces);
	sr_free(c);
}

int
sr_cadastre_nfaces(const sr_cadastre *c)
{
	return c->nfaces;
}

int
sr_cadastre_pv_fallback(const sr_cadastre *c)
{
	return c->pv_fallback;
}

int
sr_cadastre_pv_hours(const sr_cadastre *c, double *ts)
{
	if (!c->pv)
		return 0;
	if (ts)
		sr_pv_prep_hours(c->pv, ts);
	return sr_pv_prep_nrec(c->pv);
}

void
sr_cadastre_set_hourly(sr_cadastre *c, double *buf)
{
	size_t		n = c->pv ? (size_t) sr_pv_prep_nrec(c->pv) + 1 : 1;

	c->hourly = c->pv ? buf : NULL;
	sr_free(c->hv);
	sr_free(c->hv2);
	sr_free(c->hmon);
	c->hv = c->hourly ? sr_alloc(sizeof(double) * n) : NULL;
	c->hv2 = c->hourly ? sr_alloc(sizeof(double) * n) : NULL;
	c->hmon = c->hourly ? sr_alloc(n) : NULL;
	if (c->hourly && (!c->hv || !c->hv2 || !c->hmon))
		c->hourly = NULL;		/* only under malloc */
	if (c->hourly)
		sr_pv_prep_hour_months(c->pv, c->hmon);
}

sr_status
sr_cadastre_set_terrain(sr_cadastre *c, const sr_dem *dem, double step, const sr_terrain_opts *o,
						sr_err *err)
{
	double		xmin = INFINITY, ymin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
	double	   *boxes;
	int			nb = 0,
				last = -1;
	sr_status	st;

	sr_terrain_grid_free(c->terrain);
	c->terrain = NULL;
	if (c->nfaces == 0)
		return SR_OK;
	/* the boxes of the buildings with faces (every point where a face's
	 * terrain horizon is read lies in one): the grid computes the nodes
	 * around them only, not the whole box of a region's towns */
	boxes = sr_alloc(sizeof(double) * 4 * c->nfaces);
	if (!boxes)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < c->nfaces; i++)
	{
		const sr_mpoly *g = &c->b[c->faces[i].b].geom;
		double	   *bx = boxes + 4 * nb;
		int			np = g->ring_pt_start[g->poly_ring_start[g->npolys]];

		xmin = fmin(xmin, c->faces[i].x);
		ymin = fmin(ymin, c->faces[i].y);
		xmax = fmax(xmax, c->faces[i].x);
		ymax = fmax(ymax, c->faces[i].y);
		if (c->faces[i].b == last)
			continue;			/* (a building's faces are consecutive) */
		last = c->faces[i].b;
		bx[0] = bx[2] = c->faces[i].x;
		bx[1] = bx[3] = c->faces[i].y;
		for (int q = 0; q < np; q++)
		{
			bx[0] = fmin(bx[0], g->xyz[3 * q]);
			bx[1] = fmin(bx[1], g->xyz[3 * q + 1]);
			bx[2] = fmax(bx[2], g->xyz[3 * q]);
			bx[3] = fmax(bx[3], g->xyz[3 * q + 1]);
		}
		nb++;
	}
	st = sr_terrain_grid_build(dem, xmin, ymin, xmax, ymax, step, c->o.sectors, boxes, nb, o,
							   &c->terrain, err);
	sr_free(boxes);
	return st;
}

sr_status
sr_cadastre_set_trees(sr_cadastre *c, const sr_tree *t, int n, const double tau[12], sr_err *err)
{
	sr_status	st;

	sr_grid_free(c->tree_grid);
	c->tree_grid = NULL;
	sr_obstacle_set_free(&c->trees);
	memcpy(c->tau, tau, sizeof(c->tau));
	if (n == 0)
		return SR_OK;
	if ((st = sr_trees_obstacles(t, n, &c->trees, err)) != SR_OK ||
		(st = sr_grid_build(&c->trees.obs, 0.0, &c->tree_grid, err)) != SR_OK)
		return st;
	return SR_OK;
}

/* A horizon of the cadastre's sectors as the kernels take it: fewer than
 * 36 sectors written on narrow columns (sr_horizon_columns, the same step
 * horizon), into buf (SR_HORIZON_MAX_SECTORS floats); others, and NULL (an
 * open horizon), as they are.  The sky and the PV model are prepared on
 * those columns (sr_cadastre_prepare_with): the plane's own horizon is cut
 * at each column's centre, which on 90 deg sectors lost light even under
 * an open horizon (docs/cadastre.md, "How a plane is computed"). */
static const float *
kernel_h(const sr_cadastre *c, const float *h, float *buf)
{
	int			nc = sr_horizon_columns(c->o.sectors);

	if (!h || nc == c->o.sectors)
		return h;
	sr_horizon_expand(h, c->o.sectors, nc, buf);
	return buf;
}

/* The plane's irradiation under its horizon hf, blended with that under
 * ht (the trees too; NULL: none) by the crowns' transmittance; b and bt get
 * the two. */
static void
irr_trees(const sr_cadastre *c, double tilt, double az, const float *hf, const float *ht,
		  sr_irradiation *out, sr_irradiation *b, sr_irradiation *bt)
{
	float		kb[SR_HORIZON_MAX_SECTORS];

	sr_plane_irradiation(c->prep, tilt, az, kernel_h(c, hf, kb), c->o.albedo, b);
	*out = *b;
	if (!ht)
		return;
	sr_plane_irradiation(c->prep, tilt, az, kernel_h(c, ht, kb), c->o.albedo, bt);
	out->annual = 0.0;
	for (int m = 0; m < 12; m++)
	{
		out->monthly[m] = bt->monthly[m] + c->tau[m] * (b->monthly[m] - bt->monthly[m]);
		out->annual += out->monthly[m];
	}
}

/* The PV of the plane, blended the same way (the hours in c->hv).  With a
 * thread's scratch ps (not NULL: no hours wanted, c->hourly NULL) it
 * neither allocates nor writes c (sr_pv_face_scratch). */
static void
pv_trees(sr_cadastre *c, double tilt, double az, const float *hf, const float *ht,
		 const sr_irradiation *b, const sr_irradiation *bt, sr_pv_result *pr,
		 sr_pv_scratch *ps)
{
	sr_pv_result p2;
	float		kb[SR_HORIZON_MAX_SECTORS];

	hf = kernel_h(c, hf, kb);
	if (ps)
		sr_pv_face_scratch(c->pv, ps, tilt, az, hf, b->monthly, pr);
	else
		sr_pv_face(c->pv, tilt, az, hf, b->monthly, pr, c->hourly ? c->hv : NULL);
	if (!ht)
		return;
	ht = kernel_h(c, ht, kb);
	if (ps)
		sr_pv_face_scratch(c->pv, ps, tilt, az, ht, bt->monthly, &p2);
	else
		sr_pv_face(c->pv, tilt, az, ht, bt->monthly, &p2, c->hourly ? c->hv2 : NULL);
	pr->annual = 0.0;
	for (int m = 0; m < 12; m++)
	{
		pr->monthly[m] = p2.monthly[m] + c->tau[m] * (pr->monthly[m] - p2.monthly[m]);
		pr->annual += pr->monthly[m];
	}
	if (c->hourly)
		for (int k = 0, n = sr_pv_prep_nrec(c->pv); k < n; k++)
			c->hv[k] = c->hv2[k] + c->tau[c->hmon[k]] * (c->hv[k] - c->hv2[k]);
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

/* Top of a building (absolute) and, for 2D footprints, the height of its
 * flat roof; false when it has none (2D without height nor eaves). */
static bool
building_heights(const sr_building *b, double *top, double *roofz)
{
	const sr_mpoly *g = &b->geom;

	*roofz = 0.0;
	if (!g->has_z)
	{
		/* 2D footprint: flat roof at ground_z + height, or between the
		 * eaves and the ridge when they are given */
		if (isfinite(b->roof_z_min))
			*roofz = eaves_ridge_z(b);
		else if (isfinite(b->height) && b->height > 0)
			*roofz = (isfinite(b->ground_z) ? b->ground_z : 0.0) + b->height;
		else
			return false;
		*top = *roofz;
	}
	else
	{
		*top = -INFINITY;
		for (int k = 0; k < g->npts; k++)
			if (g->xyz[3 * k + 2] > *top)
				*top = g->xyz[3 * k + 2];
	}
	if (isfinite(b->roof_z_max))
		*top = b->roof_z_max;
	return true;
}

/* 3D buildings of several polygons (LoD2 roofs and walls) become one
 * obstacle per polygon, so that a face is shaded by the other faces of its
 * own building (a higher wing, a dormer); otherwise a building is one
 * obstacle, left out of its own faces' horizons. */
static bool
per_polygon(const sr_mpoly *g)
{
	return g->has_z && g->npolys > 1;
}

/* A row of a city model with a 3D geometry: every polygon an obstacle as it
 * is (a 3D polygon), faces by their semantic type. */
static bool
city_row(const sr_building *b)
{
	return b->surface && b->geom.has_z;
}

/*
 * The rules that make a row a skip or its polygons faces, in one place: the
 * face loop of sr_cadastre_prepare_with, sr_obstacles_from_buildings and
 * sr_cadastre_rows_skipped all go through them, so that the counts of rows
 * skipped cannot drift from the faces computed.
 */
#define SKIP_NO_HEIGHT 0		/* (the indexes of sr_cadastre_rows_skipped's sk) */
#define SKIP_EMPTY 1
#define SKIP_WALLS 2
#define SKIP_LINK 3				/* (no building: never counted) */

/* Whether a row gives obstacles at all: SKIP_EMPTY without a polygon or a
 * point, SKIP_NO_HEIGHT a 2D footprint without a height (building_heights),
 * else -1, its top and flat roof's height into *top and *roofz.  A row
 * without a polygon that gives an object_id and a parent_id is a link of the
 * chain of parents (a BuildingPart without surfaces between its Building and
 * its own parts, which solar_impact reads: sr_impact_match), no building:
 * SKIP_LINK, left out and not counted as skipped (since 2026-12-07; before,
 * counted as an empty geometry in the NOTICE). */
static int
row_unusable(const sr_building *b, double *top, double *roofz)
{
	if (b->geom.npolys == 0 || b->geom.npts == 0)
		return b->object_id && b->parent_id ? SKIP_LINK : SKIP_EMPTY;
	if (!building_heights(b, top, roofz))
		return SKIP_NO_HEIGHT;
	return -1;
}

/* What polygon pi of a row is */
typedef enum poly_kind
{
	POLY_NONE,					/* degenerate: no plane, no face */
	POLY_WALL,					/* a wall of a 3D row not of a city model
								 * (tilt at least wall_tilt_min): no face */
	POLY_FACE					/* a face: a roof, or any polygon of a city
								 * model row, which city_face then takes or
								 * leaves by its type */
} poly_kind;

/* Polygon pi of row b: its rings into *p3 (npr: room for its number of
 * rings), its plane into *pl, as the face it makes: a 2D footprint's flat
 * roof at roofz (building_heights), a flat 3D polygon of a row with eaves at
 * the eaves-ridge height; a city model's polygon as fitted. */
static poly_kind
face_plane_of(const sr_building *b, int pi, double roofz, const sr_cadastre_opts *o,
			  int *npr, sr_poly3 *p3, sr_plane *pl)
{
	const sr_mpoly *g = &b->geom;
	int			r0 = g->poly_ring_start[pi],
				nr = g->poly_ring_start[pi + 1] - r0;
	sr_err		e2;

	/* every ring of the polygon counts (its holes: courtyards, light wells) */
	for (int r = 0; r < nr; r++)
		npr[r] = g->ring_pt_start[r0 + r + 1] - g->ring_pt_start[r0 + r];
	p3->nrings = nr;
	p3->ring_npts = npr;
	p3->xyz = g->xyz + 3 * (size_t) g->ring_pt_start[r0];
	sr_err_clear(&e2);
	if (sr_roof_plane_fit(p3, pl, &e2) != SR_OK)
		return POLY_NONE;		/* degenerate polygon: no face */
	if (city_row(b))
		return POLY_FACE;		/* (by its type: city_face) */
	if (!g->has_z)
	{
		pl->tilt = 0.0;
		pl->azimuth = 180.0;
		pl->area_3d = pl->area_2d;
		pl->cz = roofz;
	}
	else if (pl->tilt >= o->wall_tilt_min)
		return POLY_WALL;
	else if (pl->tilt < o->flat_tilt_max && isfinite(b->roof_z_min))
		/* a flat 3D polygon (a BD TOPO footprint at the eaves): the roof
		 * between the eaves and the ridge */
		pl->cz = eaves_ridge_z(b);
	return POLY_FACE;
}

/* A row that gave obstacles, after its polygons gave 'faces' faces and
 * 'walls' walls: SKIP_EMPTY or SKIP_WALLS when it has no face (only
 * degenerate polygons, or walls too), -1 otherwise; a city model row
 * without a face is an obstacle by design, never counted. */
static int
row_faceless(const sr_building *b, int faces, int walls)
{
	if (faces > 0 || city_row(b))
		return -1;
	return walls > 0 ? SKIP_WALLS : SKIP_EMPTY;
}

/* the most rings a polygon of the rows has (those with which[i] set, or
 * every row), at least 1 */
static int
max_poly_rings(const sr_building *b, int n, const unsigned char *which)
{
	int			maxr = 1;

	for (int i = 0; i < n; i++)
		for (int pi = 0; (!which || which[i]) && pi < b[i].geom.npolys; pi++)
		{
			int			k = b[i].geom.poly_ring_start[pi + 1] - b[i].geom.poly_ring_start[pi];

			maxr = k > maxr ? k : maxr;
		}
	return maxr;
}

sr_status
sr_cadastre_rows_skipped(const sr_building *b, int n, const unsigned char *which,
						 const sr_cadastre_opts *o, int sk[3], sr_err *err)
{
	int		   *npr = sr_alloc(sizeof(int) * (size_t) max_poly_rings(b, n, which));

	sk[0] = sk[1] = sk[2] = 0;
	if (!npr)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++)
	{
		double		top,
					roofz;
		int			faces = 0,
					walls = 0,
					k;

		if (which && !which[i])
			continue;
		/* sr_obstacles_from_buildings' skips first */
		if ((k = row_unusable(&b[i], &top, &roofz)) >= 0)
		{
			if (k != SKIP_LINK)
				sk[k]++;
			continue;
		}
		/* then the face loop's: an obstacle only is never counted */
		if (b[i].obstacle_only)
			continue;
		for (int pi = 0; pi < b[i].geom.npolys && faces == 0; pi++)
		{
			sr_poly3	p3;
			sr_plane	pl;

			switch (face_plane_of(&b[i], pi, roofz, o, npr, &p3, &pl))
			{
				case POLY_NONE:
					break;
				case POLY_WALL:
					walls++;
					break;
				case POLY_FACE:
					faces++;
					break;
			}
		}
		if ((k = row_faceless(&b[i], faces, walls)) >= 0)
			sk[k]++;
	}
	sr_free(npr);
	return SR_OK;
}

int
sr_surface_kind(const char *t)
{
	if (t == NULL)
		return SR_SURF_UNKNOWN;
	if (strcmp(t, "RoofSurface") == 0)
		return SR_SURF_ROOF;
	if (strcmp(t, "WallSurface") == 0)
		return SR_SURF_WALL;
	return SR_SURF_OTHER;
}

void
sr_obstacle_set_free(sr_obstacle_set *s)
{
	sr_free(s->ztop);
	sr_free(s->xy);
	sr_free(s->ring_start);
	sr_free(s->pt_start);
	sr_free(s->first);
	sr_free(s->z);
	sr_free(s->is3d);
	memset(s, 0, sizeof(*s));
}

sr_status
sr_obstacles_from_buildings(const sr_building *b, int n, sr_obstacle_set *s, sr_err *err)
{
	int			nrings = 0,
				npts = 0,
				cap = 0,
				nobs = 0;
	bool		any3d = false;

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++)
	{
		nrings += b[i].geom.nrings;
		npts += b[i].geom.npts;
		cap += b[i].geom.npolys;
		any3d |= city_row(&b[i]);
	}
	/* at most one obstacle per polygon */
	s->ztop = sr_alloc(sizeof(double) * (cap + n + 1));
	s->ring_start = sr_alloc(sizeof(int) * (cap + n + 2));
	s->pt_start = sr_alloc(sizeof(int) * (nrings + 2));
	s->xy = sr_alloc(sizeof(double) * 2 * (npts + 1));
	s->first = sr_alloc(sizeof(int) * (n + 1));
	if (any3d)
	{
		/* city model rows: each point's own z, and which obstacles are 3D */
		s->z = sr_alloc(sizeof(double) * (npts + 1));
		s->is3d = sr_alloc0(cap + n + 1);
	}
	if (!s->ztop || !s->ring_start || !s->pt_start || !s->xy || !s->first ||
		(any3d && (!s->z || !s->is3d)))
	{
		sr_obstacle_set_free(s);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	nrings = npts = 0;
	s->ring_start[0] = 0;
	s->pt_start[0] = 0;
	for (int i = 0; i < n; i++)
	{
		const sr_mpoly *g = &b[i].geom;
		double		top,
					roofz;
		bool		city = city_row(&b[i]);
		bool		pp = city || per_polygon(g);

		s->first[i] = -1;
		if (i % 1024 == 0)
			sr_check_interrupts();
		switch (row_unusable(&b[i], &top, &roofz))
		{
			case SKIP_EMPTY:
				s->empty++;
				continue;
			case SKIP_NO_HEIGHT:
				s->no_height++;
				continue;
			case SKIP_LINK:
				continue;
		}
		/* every ring of the geometry, in 2D, up to 'top' (or, per polygon,
		 * up to the polygon's highest point) */
		s->first[i] = nobs;
		for (int pi = 0; pi < (pp ? g->npolys : 1); pi++)
		{
			int			r0 = pp ? g->poly_ring_start[pi] : 0;
			int			r1 = pp ? g->poly_ring_start[pi + 1] : g->nrings;
			double		ptop = -INFINITY;

			for (int r = r0; r < r1; r++)
			{
				for (int q = g->ring_pt_start[r]; q < g->ring_pt_start[r + 1]; q++)
				{
					s->xy[2 * npts] = g->xyz[3 * q];
					s->xy[2 * npts + 1] = g->xyz[3 * q + 1];
					if (s->z)
						s->z[npts] = g->xyz[3 * q + 2];
					if (g->xyz[3 * q + 2] > ptop)
						ptop = g->xyz[3 * q + 2];
					npts++;
				}
				nrings++;
				s->pt_start[nrings] = npts;
			}
			s->ztop[nobs] = pp ? ptop : top;
			if (s->is3d)
				s->is3d[nobs] = city;
			nobs++;
			s->ring_start[nobs] = nrings;
		}
	}
	s->obs.n = nobs;
	s->obs.ztop = s->ztop;
	s->obs.ring_start = s->ring_start;
	s->obs.pt_start = s->pt_start;
	s->obs.xy = s->xy;
	s->obs.z = s->z;
	s->obs.is3d = s->is3d;
	return SR_OK;
}

/* Whether a city model polygon is a face under option "faces", and its
 * orientation: a roof faces up (the fitted plane, as any roof face); a wall
 * faces out (the side its exterior ring turns counter-clockwise around,
 * CityGML's and CityJSON's rule), its tilt capped at 90. */
static bool
city_face(const sr_building *b, const sr_poly3 *p3, sr_plane *pl,
		  const sr_cadastre_opts *o, face_def *f)
{
	const double *p = p3->xyz;
	int			n = p3->ring_npts[0];
	double		N[3] = {0, 0, 0},
				nn;
	int			kind = b->surface_kind,
				roof,
				wall;

	if (n > 1 && p[0] == p[3 * (n - 1)] && p[1] == p[3 * (n - 1) + 1] && p[2] == p[3 * (n - 1) + 2])
		n--;
	for (int i = 0; i < n; i++)
	{
		const double *a = p + 3 * i,
				   *c = p + 3 * ((i + 1) % n);

		N[0] += (a[1] - c[1]) * (a[2] + c[2] - 2 * p[2]);
		N[1] += (a[2] - c[2]) * (a[0] + c[0] - 2 * p[0]);
		N[2] += (a[0] - c[0]) * (a[1] + c[1] - 2 * p[1]);
		f->per3 += sqrt((c[0] - a[0]) * (c[0] - a[0]) + (c[1] - a[1]) * (c[1] - a[1]) +
						(c[2] - a[2]) * (c[2] - a[2]));
	}
	nn = sqrt(N[0] * N[0] + N[1] * N[1] + N[2] * N[2]);
	if (!(nn > 0))
		return false;
	roof = kind == SR_SURF_ROOF ||
		(kind == SR_SURF_UNKNOWN && pl->tilt < o->wall_tilt_min && N[2] > 0);
	wall = kind == SR_SURF_WALL || (kind == SR_SURF_UNKNOWN && pl->tilt >= o->wall_tilt_min);
	if (roof && o->faces != SR_FACES_WALL)
		return true;			/* the fitted plane, turned up */
	if (!wall || o->faces == SR_FACES_ROOF)
		return false;
	f->wall = 1;
	pl->tilt = acos(fmax(-1.0, fmin(1.0, N[2] / nn))) * SR_RAD2DEG;
	if (pl->tilt > 90.0)
		pl->tilt = 90.0;		/* a wall leaning out: taken upright */
	if (hypot(N[0], N[1]) < 1e-12 * nn)
		pl->azimuth = 180.0;
	else
	{
		pl->azimuth = atan2(N[0], N[1]) * SR_RAD2DEG;
		if (pl->azimuth < 0)
			pl->azimuth += 360.0;
		if (pl->azimuth >= 360.0)
			pl->azimuth = 0.0;
	}
	return true;
}

/*
 * Party walls. A wall face of a city model that lies against another
 * polygon of the model face to face (a terraced house's wall against its
 * neighbour's, a BuildingPart's against the next part's, or two polygons of
 * one building) sees no sky where they touch: its viewpoints there lie in
 * the neighbour's own plane, whose edges through them are seen in two
 * directions only (edge_horizon3), and they would see the sky over the
 * neighbour's far side. The part of each wall so covered is found here: the
 * other polygons coplanar with it (every vertex of their exterior ring
 * within SR_PARTY_WALL_TOL_M of its plane), facing it (normals opposite
 * within 2 deg), of any row (its own building's too: a face against a face
 * sees nothing, whoever owns the other), are laid on its plane and
 * subtracted from it (GEOS, in the plane's coordinates): what is left is
 * its exposed part, whose area, usable area, sun and PV the wall gets
 * (point_face: the viewpoints of each exposed piece, as a wall of that
 * shape has them). A wall at least SR_PARTY_WALL_SHARE covered is a party
 * wall: nothing exposed, no sun, no PV. Should GEOS fail on a polygon (it
 * does not on valid ones), the covered share is sampled on a PARTY_GRID x
 * PARTY_GRID grid of cell centres over the wall's box in its plane, and the
 * wall is computed whole, its areas scaled by the share exposed.
 */
#define PARTY_COS 0.99939082701909576	/* cos 2 deg */

/* the test hook of the fallback (sr_cadastre.h): 0 outside unit tests */
int			sr_cadastre_test_clip_fails = 0;
#define PARTY_GRID 100
#define PARTY_DUST_M2 1e-6		/* below: rounding of the clipping, nothing */

typedef struct party_poly
{
	int			b,
				poly;
	double		n[3];			/* unit normal (Newell), outward */
	double		lo[3],
				hi[3];			/* box of the exterior ring */
} party_poly;

/* a wall's plane: origin o (its first vertex), e1 level along it, e2 up it */
typedef struct party_frame
{
	double		o[3],
				e1[3],
				e2[3];
} party_frame;

/* unit Newell normal and box of a polygon's exterior ring; false if flat */
static bool
party_ring(const sr_mpoly *g, int pi, double n[3], double lo[3], double hi[3])
{
	int			r0 = g->poly_ring_start[pi];
	int			p0 = g->ring_pt_start[r0],
				p1 = g->ring_pt_start[r0 + 1];
	const double *o = g->xyz + 3 * (size_t) p0;
	double		nn;

	n[0] = n[1] = n[2] = 0.0;
	for (int k = 0; k < 3; k++)
		lo[k] = hi[k] = o[k];
	for (int j = p0; j < p1; j++)
	{
		const double *a = g->xyz + 3 * (size_t) j,
				   *c = g->xyz + 3 * (size_t) (j + 1 < p1 ? j + 1 : p0);

		/* relative to the first point: exact at projected coordinates */
		n[0] += (a[1] - c[1]) * (a[2] + c[2] - 2 * o[2]);
		n[1] += (a[2] - c[2]) * (a[0] + c[0] - 2 * o[0]);
		n[2] += (a[0] - c[0]) * (a[1] + c[1] - 2 * o[1]);
		for (int k = 0; k < 3; k++)
		{
			lo[k] = fmin(lo[k], a[k]);
			hi[k] = fmax(hi[k], a[k]);
		}
	}
	nn = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
	if (!(nn > 0) || !isfinite(nn))
		return false;
	for (int k = 0; k < 3; k++)
		n[k] /= nn;
	return true;
}

/* (u, v) of point a in the wall's plane */
static inline void
party_uv(const party_frame *fr, const double *a, double *u, double *v)
{
	double		dx = a[0] - fr->o[0],
				dy = a[1] - fr->o[1],
				dz = a[2] - fr->o[2];

	*u = dx * fr->e1[0] + dy * fr->e1[1] + dz * fr->e1[2];
	*v = dx * fr->e2[0] + dy * fr->e2[1] + dz * fr->e2[2];
}

/* even-odd: is (u, v) of the wall's plane inside polygon pi */
static bool
party_inside(const sr_mpoly *g, int pi, const party_frame *fr, double u, double v)
{
	bool		in = false;

	for (int r = g->poly_ring_start[pi]; r < g->poly_ring_start[pi + 1]; r++)
	{
		int			p0 = g->ring_pt_start[r],
					p1 = g->ring_pt_start[r + 1];
		double		pu = 0,
					pv = 0;

		for (int j = p0 - 1; j < p1; j++)
		{
			double		au,
						av;

			party_uv(fr, g->xyz + 3 * (size_t) (j < p0 ? p1 - 1 : j), &au, &av);
			if (j >= p0 && (av > v) != (pv > v) &&
				u < au + (v - av) * (pu - au) / (pv - av))
				in = !in;
			pu = au;
			pv = av;
		}
	}
	return in;
}

static int
party_cmp(const void *a, const void *b)
{
	double		x = ((const party_poly *) a)->lo[0],
				y = ((const party_poly *) b)->lo[0];

	return x < y ? -1 : x > y;
}

/* the covered share of wall (fb, fpoly) by the candidates hit, sampled on
 * the grid (the fallback of party_clip) */
static double
party_grid_share(const sr_building *b, const party_poly *cand, const int *hit, int nhit,
				 int fb, int fpoly, const party_frame *fr)
{
	const sr_mpoly *g = &b[fb].geom;
	int			r0 = g->poly_ring_start[fpoly],
				in = 0,
				cov = 0;
	double		umin = INFINITY,
				umax = -INFINITY,
				vmin = INFINITY,
				vmax = -INFINITY;

	for (int j = g->ring_pt_start[r0]; j < g->ring_pt_start[r0 + 1]; j++)
	{
		double		u,
					v;

		party_uv(fr, g->xyz + 3 * (size_t) j, &u, &v);
		umin = fmin(umin, u);
		umax = fmax(umax, u);
		vmin = fmin(vmin, v);
		vmax = fmax(vmax, v);
	}
	for (int iu = 0; iu < PARTY_GRID; iu++)
		for (int iv = 0; iv < PARTY_GRID; iv++)
		{
			double		u = umin + (iu + 0.5) * (umax - umin) / PARTY_GRID,
						v = vmin + (iv + 0.5) * (vmax - vmin) / PARTY_GRID;

			if (!party_inside(g, fpoly, fr, u, v))
				continue;
			in++;
			for (int k = 0; k < nhit; k++)
				if (party_inside(&b[cand[hit[k]].b].geom, cand[hit[k]].poly, fr, u, v))
				{
					cov++;
					break;
				}
		}
	return in > 0 ? (double) cov / in : 0.0;
}

/* GEOS's messages are not raised: a failed clip falls back to the grid */
static void
party_geos_msg(const char *message, void *userdata)
{
	(void) message;
	(void) userdata;
}

/* polygon pi of g in the wall's plane, made valid (NULL: GEOS failed or
 * fewer than 3 distinct points) */
static GEOSGeometry *
party_geos_poly(GEOSContextHandle_t h, const sr_mpoly *g, int pi, const party_frame *fr)
{
	int			r0 = g->poly_ring_start[pi],
				r1 = g->poly_ring_start[pi + 1],
				nh = 0,
				maxn = 0;
	GEOSGeometry *shell = NULL,
			  **holes,
			   *poly,
			   *valid;
	double	   *buf;

	for (int r = r0; r < r1; r++)
		if (g->ring_pt_start[r + 1] - g->ring_pt_start[r] > maxn)
			maxn = g->ring_pt_start[r + 1] - g->ring_pt_start[r];
	buf = malloc(sizeof(double) * 2 * (size_t) (maxn + 1));
	holes = malloc(sizeof(GEOSGeometry *) * (size_t) (r1 - r0));
	if (!buf || !holes)
	{
		free(buf);
		free(holes);
		return NULL;
	}
	for (int r = r0; r < r1; r++)
	{
		int			m = 0;
		GEOSCoordSequence *cs;
		GEOSGeometry *ring;

		for (int j = g->ring_pt_start[r]; j < g->ring_pt_start[r + 1]; j++)
		{
			party_uv(fr, g->xyz + 3 * (size_t) j, &buf[2 * m], &buf[2 * m + 1]);
			if (m == 0 || buf[2 * m] != buf[2 * m - 2] || buf[2 * m + 1] != buf[2 * m - 1])
				m++;
		}
		if (m > 1 && (buf[0] != buf[2 * m - 2] || buf[1] != buf[2 * m - 1]))
		{
			buf[2 * m] = buf[0];	/* closed */
			buf[2 * m + 1] = buf[1];
			m++;
		}
		ring = NULL;
		if (m >= 4 && (cs = GEOSCoordSeq_copyFromBuffer_r(h, buf, m, 0, 0)) != NULL)
			ring = GEOSGeom_createLinearRing_r(h, cs);
		if (r == r0)
		{
			if (!ring)
				break;
			shell = ring;
		}
		else if (ring)
			holes[nh++] = ring;
	}
	free(buf);
	if (!shell)
	{
		for (int k = 0; k < nh; k++)
			GEOSGeom_destroy_r(h, holes[k]);
		free(holes);
		return NULL;
	}
	poly = GEOSGeom_createPolygon_r(h, shell, holes, nh);
	free(holes);
	if (!poly)
		return NULL;
	valid = GEOSMakeValid_r(h, poly);
	GEOSGeom_destroy_r(h, poly);
	return valid;
}

/* one exposed piece's viewpoints in 3D: the vertex centroid of its
 * exterior ring (without its closing point, repeated and collinear points;
 * or a point inside it when the centroid is not), then half-way from it to
 * the ring's vertices at quarter turns, as point_face places a wall's */
static bool
party_piece_views(GEOSContextHandle_t h, const GEOSGeometry *piece, const party_frame *fr,
				  exposed_piece *pc)
{
	const GEOSGeometry *ring = GEOSGetExteriorRing_r(h, piece);
	const GEOSCoordSequence *cs = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
	unsigned int n = 0;
	double	   *uv,
				cu = 0,
				cv = 0;
	int			m = 0;
	GEOSGeometry *pt;

	if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 4)
		return false;
	uv = malloc(sizeof(double) * 2 * n);
	if (!uv)
		return false;
	for (unsigned int k = 0; k + 1 < n; k++)
		if (!GEOSCoordSeq_getXY_r(h, cs, k, &uv[2 * m], &uv[2 * m + 1]))
		{
			free(uv);
			return false;
		}
		else
			m++;
	/* drop points in line with their neighbours (within a micrometre) */
	for (bool again = true; again && m > 3;)
	{
		again = false;
		for (int k = 0; k < m && m > 3; k++)
		{
			const double *a = uv + 2 * ((k + m - 1) % m),
					   *p = uv + 2 * k,
					   *q = uv + 2 * ((k + 1) % m);
			double		ab = hypot(q[0] - a[0], q[1] - a[1]),
						cr = (p[0] - a[0]) * (q[1] - a[1]) - (p[1] - a[1]) * (q[0] - a[0]);

			if (!(ab > 0) || fabs(cr) <= 1e-6 * ab)
			{
				memmove(uv + 2 * k, uv + 2 * (k + 1), sizeof(double) * 2 * (size_t) (m - k - 1));
				m--;
				again = true;
				break;
			}
		}
	}
	for (int k = 0; k < m; k++)
	{
		cu += uv[2 * k] / m;
		cv += uv[2 * k + 1] / m;
	}
	pt = GEOSGeom_createPointFromXY_r(h, cu, cv);
	if (pt && GEOSIntersects_r(h, piece, pt) != 1)
	{
		GEOSGeometry *ps = GEOSPointOnSurface_r(h, piece);

		if (ps)
		{
			GEOSGeomGetX_r(h, ps, &cu);
			GEOSGeomGetY_r(h, ps, &cv);
			GEOSGeom_destroy_r(h, ps);
		}
	}
	if (pt)
		GEOSGeom_destroy_r(h, pt);
	for (int v = 0; v < 5; v++)
	{
		double		u = cu,
					w = cv;

		if (v > 0)
		{
			int			j = ((v - 1) * m) / 4;

			u = cu + 0.5 * (uv[2 * j] - cu);
			w = cv + 0.5 * (uv[2 * j + 1] - cv);
		}
		for (int d = 0; d < 3; d++)
			pc->vp[v][d] = fr->o[d] + u * fr->e1[d] + w * fr->e2[d];
	}
	free(uv);
	return true;
}

/* usable area of one exposed piece: the rectangle rule (point_face's for
 * roofs), in the wall's plane */
static double
party_piece_usable(double a, double per, int holes, double s)
{
	double		u = a - per * s + 4.0 * s * s * (1 - holes);

	if (a - per * s <= 0 || u < 0)
		return 0.0;
	return fmin(u, a);
}

/*
 * The wall minus the candidates hit, in its plane: f->covered, f->exposed,
 * f->usable_exp and its exposed pieces (at most PARTY_MAX_PIECES, the
 * largest, in c->pieces). 1: done; 0: GEOS failed; -1: out of memory.
 */
static int
party_clip(sr_cadastre *c, face_def *f, const party_poly *cand, const int *hit, int nhit,
		   const party_frame *fr)
{
	const sr_building *b = c->b;
	GEOSContextHandle_t h = GEOS_init_r();
	GEOSGeometry *w = NULL,
			   **nb = NULL,
			   *coll = NULL,
			   *un = NULL,
			   *ex = NULL;
	double		aw,
				ae,
				k,
				s = c->o.setback_m,
				usable = 0.0,
				top_a[PARTY_MAX_PIECES];
	int			top_i[PARTY_MAX_PIECES],
				ntop = 0,
				nn = 0,
				ng,
				ok = 0;

	if (!h)
		return 0;
	if (sr_cadastre_test_clip_fails)
	{
		GEOS_finish_r(h);
		return 0;				/* as if GEOS had failed (unit tests) */
	}
	GEOSContext_setErrorMessageHandler_r(h, party_geos_msg, NULL);
	GEOSContext_setNoticeMessageHandler_r(h, party_geos_msg, NULL);
	w = party_geos_poly(h, &b[f->b].geom, f->poly, fr);
	nb = malloc(sizeof(GEOSGeometry *) * (size_t) nhit);
	if (!w || !nb)
		goto done;
	for (int q = 0; q < nhit; q++)
		if ((nb[nn] = party_geos_poly(h, &b[cand[hit[q]].b].geom, cand[hit[q]].poly, fr)) != NULL)
			nn++;
		else
			goto done;
	coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, nb, nn);
	if (!coll)
		goto done;
	nn = 0;						/* owned by the collection */
	if (!(un = GEOSUnaryUnion_r(h, coll)) || !(ex = GEOSDifference_r(h, w, un)) ||
		!GEOSArea_r(h, w, &aw) || !GEOSArea_r(h, ex, &ae) || !(aw > 0))
		goto done;
	ok = 1;
	/* the plane's area to the wall's (1 when it is planar) */
	k = f->area3 / aw;
	if (aw - ae < PARTY_DUST_M2)
		goto done;				/* touching only: not covered */
	f->covered = ae < PARTY_DUST_M2 ? 1.0 : fmin(1.0, fmax(0.0, 1.0 - ae / aw));
	f->exposed = f->area3 * (1.0 - f->covered);
	if (f->covered >= SR_PARTY_WALL_SHARE)
	{
		f->exposed = 0.0;		/* a party wall: covered whole */
		goto done;
	}
	/* the pieces: the largest ones get viewpoints, each its share of the
	 * exposed area they make together */
	ng = GEOSGetNumGeometries_r(h, ex);
	for (int q = 0; q < ng; q++)
	{
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, ex, q);
		double		a,
					per;
		int			j;

		if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON || !GEOSArea_r(h, p, &a) ||
			a < PARTY_DUST_M2 || !GEOSLength_r(h, p, &per))
			continue;
		usable += party_piece_usable(a, per, GEOSGetNumInteriorRings_r(h, p), s);
		/* insertion into the largest PARTY_MAX_PIECES */
		for (j = ntop; j > 0 && top_a[j - 1] < a; j--)
			if (j < PARTY_MAX_PIECES)
			{
				top_a[j] = top_a[j - 1];
				top_i[j] = top_i[j - 1];
			}
		if (j < PARTY_MAX_PIECES)
		{
			top_a[j] = a;
			top_i[j] = q;
			ntop += ntop < PARTY_MAX_PIECES;
		}
	}
	f->usable_exp = usable * k;
	if (ntop == 0)
		goto done;				/* cannot happen: ae >= PARTY_DUST_M2 */
	if (c->npieces + ntop > c->cappieces)
	{
		int			cap = 2 * c->cappieces + PARTY_MAX_PIECES;
		exposed_piece *np = sr_realloc(c->pieces, sizeof(exposed_piece) * (size_t) cap);

		if (!np)
		{
			ok = -1;
			goto done;
		}
		c->pieces = np;
		c->cappieces = cap;
	}
	{
		double		sum = 0.0;
		int			kept = 0;

		for (int j = 0; j < ntop; j++)
			sum += top_a[j];
		for (int j = 0; j < ntop; j++)
		{
			exposed_piece *pc = &c->pieces[c->npieces + kept];

			if (!party_piece_views(h, GEOSGetGeometryN_r(h, ex, top_i[j]), fr, pc))
				continue;
			pc->w = top_a[j] / sum;
			kept++;
		}
		if (kept < ntop)
		{
			/* a piece without viewpoints: the others' shares again */
			sum = 0.0;
			for (int j = 0; j < kept; j++)
				sum += c->pieces[c->npieces + j].w;
			for (int j = 0; j < kept; j++)
				c->pieces[c->npieces + j].w /= sum;
		}
		f->piece0 = c->npieces;
		f->npieces = kept;
		c->npieces += kept;
	}
done:
	for (int q = 0; q < nn; q++)
		GEOSGeom_destroy_r(h, nb[q]);
	free(nb);
	if (w)
		GEOSGeom_destroy_r(h, w);
	if (coll)
		GEOSGeom_destroy_r(h, coll);
	if (un)
		GEOSGeom_destroy_r(h, un);
	if (ex)
		GEOSGeom_destroy_r(h, ex);
	GEOS_finish_r(h);
	return ok;
}

/* does polygon p of gp share a vertex (within tol) with polygon q of gq */
static bool
party_share_vertex(const sr_mpoly *gp, int p, const sr_mpoly *gq, int q, double tol)
{
	int			p0 = gp->ring_pt_start[gp->poly_ring_start[p]],
				p1 = gp->ring_pt_start[gp->poly_ring_start[p] + 1],
				q0 = gq->ring_pt_start[gq->poly_ring_start[q]],
				q1 = gq->ring_pt_start[gq->poly_ring_start[q] + 1];

	for (int j = p0; j < p1; j++)
	{
		const double *a = gp->xyz + 3 * (size_t) j;

		for (int i = q0; i < q1; i++)
		{
			const double *v = gq->xyz + 3 * (size_t) i;

			if (fabs(a[0] - v[0]) <= tol && fabs(a[1] - v[1]) <= tol && fabs(a[2] - v[2]) <= tol)
				return true;
		}
	}
	return false;
}

/* the objects of two rows: SR_PARTY_OTHER, _SAME or _UNKNOWN (sr_cadastre.h) */
int
sr_party_objects(const sr_building *a, const sr_building *b)
{
	if (!a->object_id || !b->object_id)
		return SR_PARTY_UNKNOWN;
	return strcmp(a->object_id, b->object_id) == 0 ? SR_PARTY_SAME : SR_PARTY_OTHER;
}

/* a wall given in more coplanar pieces than this is followed this far */
#define PARTY_SPREAD 64

/*
 * Does candidate q bound something on the front side of the wall's plane
 * (origin o, unit normal n)? A polygon of the model sharing a vertex with q
 * (within tol) reaches more than tol in front of the plane: a neighbour's
 * wall has its roof and side walls there. Two faces back to back (a wall of
 * no thickness modelled with both its sides) have nothing in front of each
 * other but each other, which lies in the plane: the back of one is the
 * back of the other, and neither covers the other. A wall given in pieces
 * (strips whose vertices its roof and side walls do not share: T-junctions)
 * is one wall: the polygons in the plane facing as q does and sharing a
 * vertex with it, or with one of them, are followed, and q is backed when
 * one of them is (a wall of no thickness in pieces is still not). When the
 * rows name their objects, only polygons of q's object back it or are its
 * pieces: another object's wall touching a wall of no thickness (ending
 * against it, or flush with it) does not make one side cover the other.
 */
static bool
party_backed(const sr_building *b, const party_poly *cand, int ncand, double wmax,
			 const party_poly *q, const double o[3], const double n[3], double tol)
{
	const party_poly *queue[PARTY_SPREAD];
	int			nq = 0;

	queue[nq++] = q;
	for (int h = 0; h < nq; h++)
	{
		const party_poly *s = queue[h];
		const sr_mpoly *gs = &b[s->b].geom;
		int			lo_i = 0,
					hi_i = ncand;

		/* the first candidate whose box may reach s's */
		while (lo_i < hi_i)
		{
			int			m = (lo_i + hi_i) / 2;

			if (cand[m].lo[0] < s->lo[0] - tol - wmax)
				lo_i = m + 1;
			else
				hi_i = m;
		}
		for (int k = lo_i; k < ncand && cand[k].lo[0] <= s->hi[0] + tol; k++)
		{
			const party_poly *p = &cand[k];
			const sr_mpoly *gp = &b[p->b].geom;
			int			p0 = gp->ring_pt_start[gp->poly_ring_start[p->poly]],
						p1 = gp->ring_pt_start[gp->poly_ring_start[p->poly] + 1];
			bool		front = false,
						inplane = true,
						near = true,
						seen = false;

			if (p == s || sr_party_objects(&b[p->b], &b[q->b]) == SR_PARTY_OTHER)
				continue;
			for (int d = 0; d < 3 && near; d++)
				near = p->lo[d] <= s->hi[d] + tol && p->hi[d] >= s->lo[d] - tol;
			if (!near)
				continue;
			for (int j = p0; j < p1 && !front; j++)
			{
				const double *a = gp->xyz + 3 * (size_t) j;
				double		d = (a[0] - o[0]) * n[0] + (a[1] - o[1]) * n[1] + (a[2] - o[2]) * n[2];

				front = d > tol;
				inplane = inplane && fabs(d) <= tol;
			}
			if (front)
			{
				if (party_share_vertex(gp, p->poly, gs, s->poly, tol))
					return true;
				continue;
			}
			/* another piece of the same wall: in the plane, facing as q */
			if (!inplane || nq == PARTY_SPREAD ||
				p->n[0] * q->n[0] + p->n[1] * q->n[1] + p->n[2] * q->n[2] < PARTY_COS)
				continue;
			for (int e = 0; e < nq && !seen; e++)
				seen = queue[e] == p;
			if (!seen && party_share_vertex(gp, p->poly, gs, s->poly, tol))
				queue[nq++] = p;
		}
	}
	return false;
}

/* the covered part of wall face f among the sorted candidates: f->covered,
 * f->exposed, f->usable_exp and its exposed pieces */
static sr_status
party_wall(sr_cadastre *c, face_def *f, const party_poly *cand, int ncand, double wmax,
		   sr_err *err)
{
	const sr_building *b = c->b;
	const sr_mpoly *g = &b[f->b].geom;
	double		n[3],
				lo[3],
				hi[3],
				h;
	party_frame fr;
	int			hit[64],
				nhit = 0,
				lo_i = 0,
				hi_i = ncand;
	const double tol = SR_PARTY_WALL_TOL_M;

	memcpy(fr.o, g->xyz + 3 * (size_t) g->ring_pt_start[g->poly_ring_start[f->poly]], sizeof(fr.o));
	if (!party_ring(g, f->poly, n, lo, hi))
		return SR_OK;
	h = hypot(n[0], n[1]);
	if (h < 1e-6)
		return SR_OK;			/* level: not a wall */
	/* the first candidate whose box may reach the wall's */
	while (lo_i < hi_i)
	{
		int			m = (lo_i + hi_i) / 2;

		if (cand[m].lo[0] < lo[0] - tol - wmax)
			lo_i = m + 1;
		else
			hi_i = m;
	}
	for (int k = lo_i; k < ncand && cand[k].lo[0] <= hi[0] + tol && nhit < 64; k++)
	{
		const party_poly *q = &cand[k];
		const sr_mpoly *gq = &b[q->b].geom;
		int			r0 = gq->poly_ring_start[q->poly];
		bool		near = true;

		if ((q->b == f->b && q->poly == f->poly) ||
			n[0] * q->n[0] + n[1] * q->n[1] + n[2] * q->n[2] > -PARTY_COS)
			continue;
		for (int d = 0; d < 3 && near; d++)
			near = q->lo[d] <= hi[d] + tol && q->hi[d] >= lo[d] - tol;
		for (int j = gq->ring_pt_start[r0]; near && j < gq->ring_pt_start[r0 + 1]; j++)
		{
			const double *a = gq->xyz + 3 * (size_t) j;

			near = fabs((a[0] - fr.o[0]) * n[0] + (a[1] - fr.o[1]) * n[1] + (a[2] - fr.o[2]) * n[2]) <= tol;
		}
		/* a polygon covers the wall only if it bounds something in front
		 * of it (not the other side of a wall of no thickness): a face of
		 * another object's solid does, whatever of that object the query
		 * left out; otherwise a polygon sharing a vertex must reach there */
		if (near && (sr_party_objects(&b[f->b], &b[q->b]) == SR_PARTY_OTHER ||
					 party_backed(b, cand, ncand, wmax, q, fr.o, n, tol)))
			hit[nhit++] = k;
	}
	if (nhit == 0)
		return SR_OK;
	/* the wall's plane: e1 level along it, e2 up it */
	fr.e1[0] = n[1] / h;
	fr.e1[1] = -n[0] / h;
	fr.e1[2] = 0.0;
	fr.e2[0] = n[1] * fr.e1[2] - n[2] * fr.e1[1];
	fr.e2[1] = n[2] * fr.e1[0] - n[0] * fr.e1[2];
	fr.e2[2] = n[0] * fr.e1[1] - n[1] * fr.e1[0];
	switch (party_clip(c, f, cand, hit, nhit, &fr))
	{
		case 1:
			return SR_OK;
		case -1:
			return sr_error(err, SR_ENOMEM, "out of memory");
		default:
			break;
	}
	/* GEOS failed: the share sampled, the wall computed whole */
	f->npieces = 0;
	f->covered = party_grid_share(b, cand, hit, nhit, f->b, f->poly, &fr);
	f->exposed = f->covered >= SR_PARTY_WALL_SHARE ? 0.0 : f->area3 * (1.0 - f->covered);
	f->usable_exp = -1.0;		/* the whole wall's rule, scaled */
	return SR_OK;
}

/* the covered part of every wall face of a city model (party_wall) */
static sr_status
party_walls(sr_cadastre *c, sr_err *err)
{
	const sr_building *b = c->b;
	party_poly *cand;
	int			ncand = 0,
				cap = 0,
				any = 0;
	double		wmax = 0.0;
	sr_status	st = SR_OK;

	for (int i = 0; i < c->nfaces; i++)
		any |= c->faces[i].wall;
	if (!any)
		return SR_OK;
	for (int i = 0; i < c->nb; i++)
		if (city_row(&b[i]) && c->os.first[i] >= 0)
			cap += b[i].geom.npolys;
	cand = sr_alloc(sizeof(party_poly) * (size_t) (cap + 1));
	if (!cand)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < c->nb; i++)
	{
		if (!city_row(&b[i]) || c->os.first[i] < 0)
			continue;
		for (int pi = 0; pi < b[i].geom.npolys; pi++)
		{
			party_poly *q = &cand[ncand];

			if (!party_ring(&b[i].geom, pi, q->n, q->lo, q->hi))
				continue;
			q->b = i;
			q->poly = pi;
			wmax = fmax(wmax, q->hi[0] - q->lo[0]);
			ncand++;
		}
	}
	qsort(cand, ncand, sizeof(party_poly), party_cmp);
	for (int i = 0; i < c->nfaces && st == SR_OK; i++)
	{
		/* (no GEOS handle is alive here: party_clip frees its own) */
		if (i % 1024 == 0)
			sr_check_interrupts();
		if (c->faces[i].wall)
			st = party_wall(c, &c->faces[i], cand, ncand, wmax, err);
	}
	sr_free(cand);
	return st;
}

double
sr_cadastre_face_covered(const sr_cadastre *c, int i)
{
	return c->faces[i].covered;
}

double
sr_cadastre_face_exposed(const sr_cadastre *c, int i)
{
	return c->faces[i].wall ? c->faces[i].exposed : c->faces[i].area3;
}

sr_status
sr_cadastre_prepare(const sr_building *b, int n, const sr_cadastre_opts *o,
					const sr_sky_hdr *sky, sr_cadastre **out, sr_err *err)
{
	return sr_cadastre_prepare_with(b, n, o, sky, NULL, out, err);
}

sr_status
sr_cadastre_prepare_with(const sr_building *b, int n, const sr_cadastre_opts *o,
						 const sr_sky_hdr *sky, sr_sky_prep *prep, sr_cadastre **out,
						 sr_err *err)
{
	sr_cadastre *c;
	int			capf = 0;
	int		   *npr;			/* points of each ring of a polygon */
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
	for (int i = 0; i < n; i++)
		capf += b[i].geom.npolys;
	c->faces = sr_alloc(sizeof(face_def) * (capf + 1));
	if (!c->faces)
	{
		sr_cadastre_free(c);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	/* the obstacles: the same rules as horizon_at's */
	if ((st = sr_obstacles_from_buildings(b, n, &c->os, err)) != SR_OK)
	{
		sr_cadastre_free(c);
		return st;
	}
	c->no_height = c->os.no_height;
	c->empty = c->os.empty;

	/* the faces (face_plane_of: the rules sr_cadastre_rows_skipped counts by) */
	npr = sr_alloc(sizeof(int) * (size_t) max_poly_rings(b, n, NULL));
	if (!npr)
	{
		sr_cadastre_free(c);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (int i = 0; i < n; i++)
	{
		const sr_mpoly *g = &b[i].geom;
		double		top,
					roofz;
		int			nf0 = c->nfaces,
					nw0 = c->walls,
					first = c->os.first[i];

		if (first < 0 || b[i].obstacle_only)
			continue;			/* skipped (counted), or an obstacle only */
		if (i % 1024 == 0)
			sr_check_interrupts();
		building_heights(&b[i], &top, &roofz);
		for (int pi = 0; pi < g->npolys; pi++)
		{
			sr_poly3	p3;
			sr_plane	pl;
			face_def   *f = &c->faces[c->nfaces];
			poly_kind	kind = face_plane_of(&b[i], pi, roofz, o, npr, &p3, &pl);

			if (kind == POLY_NONE)
				continue;		/* degenerate polygon: no roof face */
			if (kind == POLY_WALL)
			{
				c->walls++;
				continue;
			}
			f->wall = 0;
			f->per3 = 0.0;
			f->covered = 0.0;
			/* a surface of a city model: a face by its type (or its
			 * orientation), as option "faces" asks; otherwise an obstacle
			 * only, not counted as skipped */
			if (city_row(&b[i]) && !city_face(&b[i], &p3, &pl, o, f))
				continue;
			f->b = i;
			f->poly = pi;
			f->tilt = pl.tilt;
			f->azimuth = pl.azimuth;
			f->area3 = pl.area_3d;
			f->exposed = pl.area_3d;
			f->usable_exp = -1.0;
			f->piece0 = f->npieces = 0;
			f->area2 = pl.area_2d;
			f->per2 = pl.perimeter_2d;
			f->holes = pl.holes;
			f->excl = per_polygon(g) ? first + pi : first;
			f->x = pl.cx;
			f->y = pl.cy;
			f->z = pl.cz;
			c->cx += pl.cx;
			c->cy += pl.cy;
			c->nfaces++;
		}
		/* no roof face: only degenerate polygons (counted as empty), or only
		 * walls (counted as wall-only buildings); a city model row without a
		 * face is an obstacle by design */
		switch (row_faceless(&b[i], c->nfaces - nf0, c->walls - nw0))
		{
			case SKIP_EMPTY:
				c->empty++;
				break;
			case SKIP_WALLS:
				c->wall_only++;
				break;
		}
	}
	sr_free(npr);
	if (c->nfaces > 0)
	{
		c->cx /= c->nfaces;
		c->cy /= c->nfaces;
	}
	c->own_prep = prep == NULL;
	c->prep = prep;
	if ((st = party_walls(c, err)) != SR_OK ||
		(st = sr_grid_build(&c->os.obs, 0.0, &c->grid, err)) != SR_OK ||
		(!prep && (st = sr_sky_prepare(sky, sr_horizon_columns(o->sectors), &c->prep, err)) != SR_OK))
	{
		sr_cadastre_free(c);
		return st;
	}
	/* (the sampler casts prisms' walls and a city model's 3D surfaces, seen
	 * as they are, alike: cadastre_sample.c) */
	for (int k = 0; c->os.obs.is3d && k < c->os.obs.n; k++)
		c->has3d |= c->os.obs.is3d[k];
	if (o->sampling == SR_SAMPLING_AREA &&
		(st = sr_roofarea_prepare(c, o, sky, &c->area, err)) != SR_OK)
	{
		sr_cadastre_free(c);
		return st;
	}
	/* the PV model needs the sky's hours (version 3) */
	if (o->pv_model == SR_CADASTRE_PV_SYSTEM)
	{
		if (sr_pv_sky_usable(sky) < 0)
			c->pv_fallback = 1;
		else if ((st = sr_pv_prepare(sky, &o->pv, sr_horizon_columns(o->sectors), o->albedo, &c->pv, err)) != SR_OK)
		{
			sr_cadastre_free(c);
			return st;
		}
	}
	*out = c;
	return SR_OK;
}

/* a viewpoint's hours into the caller's buffer (averaged: w, the share of
 * its exposed piece, over the viewpoints) */
static void
add_hours(sr_cadastre *c, double w, int viewpoints)
{
	int			n;

	if (!c->hourly)
		return;
	n = sr_pv_prep_nrec(c->pv);
	for (int k = 0; k < n; k++)
		c->hourly[k] += c->hv[k] * w / viewpoints;
}

void
sr_cadastre_face_info(const sr_cadastre *c, int i, sr_face_info *fi)
{
	const face_def *f = &c->faces[i];

	fi->b = f->b;
	fi->poly = f->poly;
	fi->tilt = f->tilt;
	fi->azimuth = f->azimuth;
	fi->area3 = f->area3;
	fi->area2 = f->area2;
	fi->per2 = f->per2;
	fi->x = f->x;
	fi->y = f->y;
	fi->z = f->z;
	fi->excl = f->excl;
}

const sr_obstacles *
sr_cadastre_obstacles(const sr_cadastre *c)
{
	return &c->os.obs;
}

const sr_building *
sr_cadastre_buildings(const sr_cadastre *c)
{
	return c->b;
}

void
sr_cadastre_face(sr_cadastre *c, int i, sr_face_result *res)
{
	sr_cadastre_face_h(c, i, res, NULL);
}

static bool area_face(sr_cadastre *c, int i, sr_face_result *res, float *horizons,
					  sr_roof_cell **cells, int *ncells, int *cap);
static bool area_adj(sr_cadastre *c, int i, sr_roofarea_adj *adjp, float **ownp,
					 float *horizons, double *pvy);
static size_t area_adj_floats(const sr_cadastre *c, int i);
static void area_adj_fill(sr_cadastre *c, int i, sr_roofarea_adj *adjp, float *own,
						  float *horizons, double *pvy, sr_pv_scratch *ps);
static bool tree_lattice_fill(const sr_cadastre *c, int i, sr_roofarea_adj *adj);
static int	point_face(sr_cadastre *c, int i, sr_face_result *res, float *horizons);

int
sr_cadastre_face_cells(sr_cadastre *c, int i, sr_face_result *res, sr_roof_cell **cells,
					   int *cap)
{
	int			n = 0;

	if (c->area && !c->faces[i].wall && area_face(c, i, res, NULL, cells, &n, cap))
		return n;
	sr_cadastre_face_h(c, i, res, NULL);
	return 0;
}

sr_roofarea *
sr_cadastre_roofarea(const sr_cadastre *c)
{
	return c->area;
}

bool
sr_cadastre_area_sampled(const sr_cadastre *c)
{
	return c->area != NULL;
}

sr_sky_prep *
sr_cadastre_sky_prep(const sr_cadastre *c)
{
	return c->prep;
}

void
sr_cadastre_face_where(const sr_cadastre *c, int i, int *building, double *x, double *y,
					   double *reach)
{
	const face_def *f = &c->faces[i];
	const sr_mpoly *g = &c->b[f->b].geom;
	int			p0 = g->ring_pt_start[g->poly_ring_start[f->poly]];
	int			p1 = g->ring_pt_start[g->poly_ring_start[f->poly] + 1];

	*building = f->b;
	*x = f->x;
	*y = f->y;
	*reach = 0.0;
	for (int j = p0; j < p1; j++)
		*reach = fmax(*reach, hypot(g->xyz[3 * j] - f->x, g->xyz[3 * j + 1] - f->y));
}

/*
 * A roof face over its area (sampling "area"): cadastre_sample.c samples
 * the face against the buildings; the cadastre adds at the face's centroid
 * what does not depend on where on the roof a sample is, or too little to
 * pay for per sample:
 * - the terrain's far horizon (sr_terrain_grid_apply at the centroid,
 *   interpolated between sector centres at each ray) is a floor under every
 *   sample's skyline: exact per sample up to the terrain's variation over
 *   the roof (metres against a terrain grid of terrain_grid_m);
 * - the trees: the factor by which they change the centroid's irradiation
 *   (month by month on the face's plane, annual on the PV plane) scales
 *   every sample's, so a tree's shadow does not move across the roof;
 * - the PV model (system): its yield per kWh/m2 of PV-plane irradiation at
 *   the centroid times the sunny area's mean PV-plane irradiation; its
 *   hours are the centroid's, scaled by the same ratio.
 * Returns false when the sampler failed (out of memory): the caller falls
 * back to the point.
 */
static bool
area_face(sr_cadastre *c, int i, sr_face_result *res, float *horizons,
		  sr_roof_cell **cells, int *ncells, int *cap)
{
	sr_roofarea_adj adj;
	float	   *own = NULL;
	double		pvy = NAN;
	sr_err		err;
	sr_status	st;

	if (!area_adj(c, i, &adj, &own, horizons, &pvy))
		return false;
	tree_lattice_fill(c, i, &adj);
	sr_err_clear(&err);
	st = sr_roofarea_face(c->area, i, res, cells, ncells, cap, &adj, &err);
	sr_free(own);
	if (st != SR_OK)
		return false;
	/* the centroid's hours, scaled to the sunny area's yield */
	if (c->hourly)
	{
		double		r = isfinite(pvy) && pvy > 0 && isfinite(res->pv_specific_yield) ?
			res->pv_specific_yield / pvy : 0.0;

		for (int q = 0, n = sr_pv_prep_nrec(c->pv); q < n; q++)
			c->hourly[q] *= r;
	}
	return true;
}

/* The trees' lattice over face f: nodes every step (twice the spacing, at
 * least 1 m, wider to keep at most TREE_NODES) covering the face's
 * horizontal box; *nx, *ny its size, (*x0, *y0) its first node. */
#define TREE_NODES 1024
static void
tree_lattice_dims(const sr_cadastre *c, const face_def *f, double *x0, double *y0, double *step,
				  int *nx, int *ny)
{
	const sr_mpoly *g = &c->b[f->b].geom;
	int			p0 = g->ring_pt_start[g->poly_ring_start[f->poly]];
	int			p1 = g->ring_pt_start[g->poly_ring_start[f->poly] + 1];
	double		xl = INFINITY, yl = INFINITY, xh = -INFINITY, yh = -INFINITY, w, h, st;

	for (int j = p0; j < p1; j++)
	{
		xl = fmin(xl, g->xyz[3 * j]);
		xh = fmax(xh, g->xyz[3 * j]);
		yl = fmin(yl, g->xyz[3 * j + 1]);
		yh = fmax(yh, g->xyz[3 * j + 1]);
	}
	w = xh > xl ? xh - xl : 0.0;
	h = yh > yl ? yh - yl : 0.0;
	st = fmax(1.0, 2.0 * c->o.spacing_m);
	while ((floor(w / st) + 2) * (floor(h / st) + 2) > TREE_NODES)
		st *= 1.25;
	*nx = (int) ceil(w / st) + 1;
	*ny = (int) ceil(h / st) + 1;
	*x0 = 0.5 * (xl + xh) - 0.5 * (*nx - 1) * st;
	*y0 = 0.5 * (yl + yh) - 0.5 * (*ny - 1) * st;
	*step = st;
}

/* The trees' factors at (x, y, z) of a face (its own obstacle excl; the
 * face's plane tilt, az; the PV plane ptilt, paz): fi, fp the annual
 * factors, fm the monthly ones, all 1 where no tree rises above the
 * buildings' horizon.  terr: the terrain's horizon at the face's centroid
 * (or zeros), hf the buildings' over it there (a fallback).  Where a tree
 * rises above the terrain, the point's own buildings' horizon (over terr)
 * is cast: a wall that hides a crown from this part of the roof but not
 * from the centroid hides it here, and the other way round.  false when no
 * tree rises above it. */
static bool
tree_factors(const sr_cadastre *c, double x, double y, double z, int excl, const float *hf,
			 const float *terr, double tilt, double az, double ptilt, double paz, bool pv_plane,
			 double *fi, double *fp, double *fm)
{
	const sr_cadastre_opts *o = &c->o;
	double		tel[SR_HORIZON_MAX_SECTORS], be[SR_HORIZON_MAX_SECTORS];
	float		htf[SR_HORIZON_MAX_SECTORS], hb[SR_HORIZON_MAX_SECTORS];
	bool		above = false;
	sr_irradiation one, ib, ibt;
	sr_err		err;

	*fi = *fp = 1.0;
	for (int m = 0; m < 12; m++)
		fm[m] = 1.0;
	sr_err_clear(&err);
	if (sr_horizon_compute(c->tree_grid, x, y, z, o->radius_m, o->sectors, -1, tel, &err) != SR_OK)
		return false;
	for (int k = 0; k < o->sectors && !above; k++)
		above = tel[k] > terr[k];
	if (!above)
		return false;
	/* the point's own buildings' horizon */
	if (sr_horizon_compute(c->grid, x, y, z, o->radius_m, o->sectors, excl, be, &err) != SR_OK)
		for (int k = 0; k < o->sectors; k++)
			be[k] = hf[k];
	above = false;
	for (int k = 0; k < o->sectors; k++)
	{
		hb[k] = be[k] > terr[k] ? (float) be[k] : terr[k];
		htf[k] = tel[k] > hb[k] ? (float) tel[k] : hb[k];
		above |= htf[k] > hb[k];
	}
	if (!above)
		return false;
	irr_trees(c, tilt, az, hb, htf, &one, &ib, &ibt);
	*fi = ib.annual > 0 ? one.annual / ib.annual : 1.0;
	for (int m = 0; m < 12; m++)
		fm[m] = ib.monthly[m] > 0 ? one.monthly[m] / ib.monthly[m] : 1.0;
	*fp = *fi;
	if (pv_plane)
	{
		irr_trees(c, ptilt, paz, hb, htf, &one, &ib, &ibt);
		*fp = ib.annual > 0 ? one.annual / ib.annual : 1.0;
	}
	return true;
}

/* The trees' lattice of face i (area_adj sized it: adj->trees, its
 * values' memory and, after them, the buildings' and terrain's horizon at
 * the centroid and the terrain's alone, sectors floats each): each node's factors, the months' mean factors in
 * adj->f_month; no lattice (nx = 0) where no tree rises above the horizon
 * at any node.  Does not allocate: runs on the threads of
 * sr_cadastre_faces (sr_parallel.h).  A cancel within a node's time, not
 * after the face (up to TREE_NODES nodes, two horizon searches each):
 * sr_parallel_checkpoint before each node; in a task, false when it stopped
 * there for a pending interrupt (the lattice unfinished: the caller
 * computes it again once the interrupt check has let it through); on the
 * calling thread outside a run, a cancel raises there. */
static bool
tree_lattice_fill(const sr_cadastre *c, int i, sr_roofarea_adj *adj)
{
	const face_def *f = &c->faces[i];
	const sr_cadastre_opts *o = &c->o;
	sr_tree_lattice *t = &adj->trees;
	float	   *lat = (float *) t->f;
	const float *hf = lat + 2 * (size_t) t->nx * t->ny, *terr = hf + o->sectors;
	double		ga = f->azimuth * SR_DEG2RAD, sl = tan(f->tilt * SR_DEG2RAD);
	double		ptilt = f->tilt, paz = f->azimuth, msum[12] = {0};
	bool		flat = f->tilt < o->flat_tilt_max && o->flat_module_tilt > 0;
	int			shaded = 0;

	if (t->nx <= 0)
		return true;
	if (flat)
	{
		ptilt = o->flat_module_tilt;
		paz = 180.0;
	}
	for (int j = 0; j < t->ny; j++)
		for (int q = 0; q < t->nx; q++)
		{
			double		x = t->x0 + q * t->step, y = t->y0 + j * t->step, fi, fp, fm[12];
			double		z = f->z - sl * (sin(ga) * (x - f->x) + cos(ga) * (y - f->y));

			if (sr_parallel_checkpoint())
				return false;
			shaded += tree_factors(c, x, y, z, f->excl, hf, terr, f->tilt, f->azimuth, ptilt, paz,
								   flat, &fi, &fp, fm);
			lat[2 * (j * t->nx + q)] = (float) fi;
			lat[2 * (j * t->nx + q) + 1] = (float) fp;
			for (int k = 0; k < 12; k++)
				msum[k] += fm[k];
		}
	if (shaded == 0)
	{
		t->nx = t->ny = 0;
		return true;
	}
	for (int k = 0; k < 12; k++)
		adj->f_month[k] = msum[k] / (t->nx * t->ny);
	return true;
}

/* sr_cadastre_faces' centroids and lattices on the threads
 * (sr_parallel_tasks) */
typedef struct lattice_job
{
	sr_cadastre *c;
	const int  *faces;
	sr_roofarea_adj *adj;
	float	  **own;			/* [q] area_adj_fill's memory (sr_alloc'd
								 * before the run) */
	bool	   *undone;			/* [q] stopped for a pending interrupt */
} lattice_job;

static void
lattice_task(void *arg, int t, int q)
{
	lattice_job *J = arg;
	double		pvy;

	area_adj_fill(J->c, J->faces[q], &J->adj[q], J->own[q], NULL, &pvy,
				  J->c->pv ? J->c->pvs[t] : NULL);
	J->undone[q] = J->c->tree_grid && !tree_lattice_fill(J->c, J->faces[q], &J->adj[q]);
}

/* What area_face adds at the centroid: adj, the memory it points to
 * (*ownp, sr_alloc'd, NULL when none: the terrain's floor and the trees'
 * lattice), the centroid's horizon (horizons, when not NULL) and the PV
 * model's yield there (*pvy, NaN without it; the centroid's hours in
 * c->hourly).  false: out of memory.
 *
 * The trees: their factors on a lattice over the face (tree_lattice_dims),
 * each node's from the trees' horizon at the node's point of the face's
 * plane over the buildings' horizon there (tree_factors); the samples
 * interpolate them
 * (sr_tree_lattice), so a tree's shadow moves across the roof at the
 * lattice's resolution.  The months' shape is the nodes' mean.  area_adj
 * sizes the lattice; tree_lattice_fill computes it (on the threads, in
 * sr_cadastre_faces). */
static bool
area_adj(sr_cadastre *c, int i, sr_roofarea_adj *adjp, float **ownp, float *horizons,
		 double *pvy)
{
	size_t		nown = area_adj_floats(c, i);
	float	   *own = NULL;

	*pvy = NAN;
	*ownp = NULL;
	if (nown > 0 && !(own = sr_alloc(sizeof(float) * nown)))
		return false;
	area_adj_fill(c, i, adjp, own, horizons, pvy, NULL);
	*ownp = own;
	return true;
}

/* The floats area_adj_fill's memory needs for face i (0: none): the
 * terrain's floor, the trees' lattice and the horizons it needs */
static size_t
area_adj_floats(const sr_cadastre *c, int i)
{
	double		lx0, ly0, lstep;
	int			nx = 0, ny = 0, nfl = c->terrain ? sr_roofarea_nrays(c->area) + 1 : 0;

	if (c->tree_grid)
		tree_lattice_dims(c, &c->faces[i], &lx0, &ly0, &lstep, &nx, &ny);
	return (size_t) nfl + 2 * (size_t) nx * ny + (nx > 0 ? 2 * (size_t) c->o.sectors : 0);
}

/* area_adj into own (area_adj_floats of them; NULL when none).  ps NULL:
 * on the calling thread (the PV model on the prep's own plane, its hours
 * in c->hourly); otherwise a thread's PV scratch (c->hourly NULL): it
 * neither allocates nor writes c, so it runs on the threads of
 * sr_cadastre_faces (sr_parallel.h). */
static void
area_adj_fill(sr_cadastre *c, int i, sr_roofarea_adj *adjp, float *own, float *horizons,
			  double *pvy, sr_pv_scratch *ps)
{
	const face_def *f = &c->faces[i];
	const sr_cadastre_opts *o = &c->o;
	double		elev[SR_HORIZON_MAX_SECTORS], tel[SR_HORIZON_MAX_SECTORS];
	float		hf[SR_HORIZON_MAX_SECTORS], htf[SR_HORIZON_MAX_SECTORS];
	float		tf[SR_HORIZON_MAX_SECTORS];
	const float *ht = NULL;
	float	   *lat = NULL;
	sr_irradiation one, ib, ibt, mp, mb, mbt;
	sr_roofarea_adj adj;
	double		ptilt = f->tilt, paz = f->azimuth, lx0 = 0, ly0 = 0, lstep = 1;
	bool		flat = f->tilt < o->flat_tilt_max && o->flat_module_tilt > 0;
	sr_err		err;
	int			k, nr = sr_roofarea_nrays(c->area), nx = 0, ny = 0, nfl;

	*pvy = NAN;
	memset(&adj, 0, sizeof(adj));

	sr_err_clear(&err);
	/* the centroid's horizon, as the point mode's */
	if (sr_horizon_compute(c->grid, f->x, f->y, f->z, o->radius_m, o->sectors,
						   f->excl, elev, &err) != SR_OK)
		for (k = 0; k < o->sectors; k++)
			elev[k] = 0.0;
	if (c->tree_grid)
		tree_lattice_dims(c, f, &lx0, &ly0, &lstep, &nx, &ny);
	nfl = c->terrain ? nr + 1 : 0;
	if (nfl + nx * ny > 0)
		lat = own + nfl;		/* (the terrain's floor, the trees'
								 * lattice and the horizon it needs) */
	if (c->terrain)
	{
		for (k = 0; k < o->sectors; k++)
			tel[k] = 0.0;
		sr_terrain_grid_apply(c->terrain, f->x, f->y, f->z, tel);
		for (k = 0; k < o->sectors; k++)
			tf[k] = (float) tel[k];
		for (int j = 0; j < nr; j++)
		{
			double		a = sr_roofarea_ray_azimuth(c->area, j);
			double		e = sr_horizon_interp(tf, o->sectors, a < 0 ? a + 360.0 : a);

			own[j] = e > 0 ? (float) tan(e * SR_DEG2RAD) : 0.0f;
		}
		adj.floor_tan = own;
		for (k = 0; k < o->sectors; k++)
			elev[k] = fmax(elev[k], tel[k]);
	}
	for (k = 0; k < o->sectors; k++)
		hf[k] = (float) elev[k];
	if (horizons)
		memcpy(horizons, hf, sizeof(float) * o->sectors);
	if (flat)
	{
		ptilt = o->flat_module_tilt;
		paz = 180.0;
	}
	/* the trees at the centroid (for the PV model) */
	if (c->tree_grid &&
		sr_horizon_compute(c->tree_grid, f->x, f->y, f->z, o->radius_m, o->sectors, -1, tel, &err) == SR_OK)
		for (k = 0; k < o->sectors; k++)
		{
			htf[k] = tel[k] > hf[k] ? (float) tel[k] : hf[k];
			if (htf[k] > hf[k])
				ht = htf;
		}
	for (k = 0; k < 12; k++)
		adj.f_month[k] = 1.0;
	/* the trees over the face: their lattice, filled by
	 * tree_lattice_fill (the centroid's horizon after its values) */
	if (nx > 0)
	{
		adj.trees.x0 = lx0;
		adj.trees.y0 = ly0;
		adj.trees.step = lstep;
		adj.trees.nx = nx;
		adj.trees.ny = ny;
		adj.trees.f = lat;
		memcpy(lat + 2 * (size_t) nx * ny, hf, sizeof(float) * o->sectors);
		for (k = 0; k < o->sectors; k++)
			lat[2 * (size_t) nx * ny + o->sectors + k] = c->terrain ? tf[k] : 0.0f;
	}
	irr_trees(c, f->tilt, f->azimuth, hf, ht, &one, &ib, &ibt);
	if (flat)
		irr_trees(c, ptilt, paz, hf, ht, &mp, &mb, &mbt);
	else
	{
		mp = one;
		mb = ib;
		mbt = ibt;
	}
	/* the PV model's yield per kWh/m2 at the centroid */
	adj.yield_per_kwh = o->performance_ratio;
	if (c->pv && mp.annual > 0)
	{
		sr_pv_result pr;

		if (c->hourly)
			memset(c->hourly, 0, sizeof(double) * (size_t) sr_pv_prep_nrec(c->pv));
		pv_trees(c, ptilt, paz, hf, ht, &mb, &mbt, &pr, ps);
		add_hours(c, 1.0, 1);
		*pvy = pr.annual;
		adj.yield_per_kwh = *pvy / (mp.annual / 1000.0);
	}
	*adjp = adj;
}

void
sr_cadastre_faces(sr_cadastre *c, int i0, int n, sr_face_result *res, int nthreads)
{
	sr_cadastre_faces_cells(c, i0, n, res, NULL, NULL, NULL, nthreads);
}

void
sr_cadastre_faces_cells(sr_cadastre *c, int i0, int n, sr_face_result *res,
						sr_roof_cell **cells, int *ncells, int *caps, int nthreads)
{
	int		   *faces = NULL, *slot = NULL, m = 0;
	sr_roofarea_adj *adj = NULL;
	float	  **ft = NULL;
	sr_face_result *ar = NULL;
	bool	   *undone = NULL;
	sr_err		err;

	nthreads = sr_parallel_threads(nthreads, n);
	if (c->area && !c->hourly && nthreads > 1 && n > 1 && c->pv && c->npvs < nthreads)
	{
		/* the threads' PV scratch, made once */
		sr_pv_scratch **pvs = sr_alloc0(sizeof(sr_pv_scratch *) * nthreads);

		if (pvs)
		{
			int			t;

			for (t = 0; t < c->npvs; t++)
				pvs[t] = c->pvs[t];
			for (; t < nthreads; t++)
				if (!(pvs[t] = sr_pv_scratch_new(c->pv)))
					break;
			if (t == nthreads)
			{
				sr_free(c->pvs);
				c->pvs = pvs;
				c->npvs = nthreads;
			}
			else
			{
				while (--t >= c->npvs)
					sr_pv_scratch_free(pvs[t]);
				sr_free(pvs);
			}
		}
	}
	if (c->area && !c->hourly && nthreads > 1 && n > 1 && (!c->pv || c->npvs >= nthreads))
	{
		undone = sr_alloc0(sizeof(bool) * n);
		faces = sr_alloc(sizeof(int) * n);
		slot = sr_alloc(sizeof(int) * n);
		adj = sr_alloc(sizeof(sr_roofarea_adj) * n);
		ft = sr_alloc0(sizeof(float *) * n);
		ar = sr_alloc(sizeof(sr_face_result) * n);
	}
	if (!faces || !slot || !adj || !ft || !ar || !undone)
	{
		/* one by one, on this thread */
		for (int k = 0; k < n; k++)
			if (cells)
				ncells[k] = sr_cadastre_face_cells(c, i0 + k, &res[k], &cells[k], &caps[k]);
			else
				sr_cadastre_face(c, i0 + k, &res[k]);
	}
	else
	{
		/* the centroids' memory here (the walls at their point); the
		 * centroids (area_adj_fill) and the trees' lattices on the
		 * threads, then the faces' samples */
		for (int k = 0; k < n; k++)
		{
			size_t		nown;

			if (cells)
				ncells[k] = 0;
			if (!c->faces[i0 + k].wall)
			{
				nown = area_adj_floats(c, i0 + k);
				if (nown == 0 || (ft[m] = sr_alloc(sizeof(float) * nown)))
				{
					faces[m] = i0 + k;
					slot[m++] = k;
					continue;
				}
			}
			sr_check_interrupts();
			point_face(c, i0 + k, &res[k], NULL);
		}
		{
			lattice_job J = {c, faces, adj, ft, undone};

			sr_parallel_tasks(nthreads, m, lattice_task, &J);
			/* the lattices left for a pending interrupt: again here, once
			 * the check has let it through */
			for (int q = 0; q < m; q++)
				if (undone[q])
				{
					sr_check_interrupts();	/* (no helper thread is alive) */
					tree_lattice_fill(c, faces[q], &adj[q]);
				}
		}
		sr_err_clear(&err);
		if (sr_roofarea_faces_cells(c->area, m, faces, adj, ar, cells, ncells, caps, nthreads,
									&err) == SR_OK)
			for (int q = 0; q < m; q++)
				res[slot[q]] = ar[q];
		else
			for (int q = 0; q < m; q++)
			{
				point_face(c, faces[q], &res[slot[q]], NULL);
				if (cells)
					ncells[q] = 0;
			}
		if (cells)
		{
			/* face q's cells (in buffer q) to its slot (slot[q] >= q;
			 * from the last, so that none is moved twice; the point
			 * faces get the spare buffers, with no cells) */
			for (int q = m - 1; q >= 0; q--)
				if (slot[q] != q)
				{
					sr_roof_cell *tc = cells[q];
					int			tk = caps[q], tn = ncells[q];

					cells[q] = cells[slot[q]];
					caps[q] = caps[slot[q]];
					ncells[q] = ncells[slot[q]];
					cells[slot[q]] = tc;
					caps[slot[q]] = tk;
					ncells[slot[q]] = tn;
				}
		}
		for (int q = 0; q < m; q++)
			sr_free(ft[q]);
	}
	sr_free(faces);
	sr_free(slot);
	sr_free(adj);
	sr_free(ft);
	sr_free(ar);
	sr_free(undone);
}

static int	point_face(sr_cadastre *c, int i, sr_face_result *res, float *horizons);

int
sr_cadastre_face_h(sr_cadastre *c, int i, sr_face_result *res, float *horizons)
{
	if (c->area && !c->faces[i].wall && area_face(c, i, res, horizons, NULL, NULL, NULL))
		return 1;				/* over the roof's area (cadastre_sample.c):
								 * the centroid's horizon */
	return point_face(c, i, res, horizons);
}

/* A face at one point (sampling "point", walls, or a face the sampler
 * could not compute); returns the number of horizons it was computed under
 * (written into horizons when not NULL): viewpoints, times the exposed
 * pieces of a wall partly covered */
static int
point_face(sr_cadastre *c, int i, sr_face_result *res, float *horizons)
{
	const face_def *f = &c->faces[i];
	const sr_cadastre_opts *o = &c->o;
	double		elev[SR_HORIZON_MAX_SECTORS];
	float		hf[SR_HORIZON_MAX_SECTORS];
	sr_irradiation shaded;
	double		open_annual;
	double		usable2, hpv, hpv_sum, pvy_sum = 0.0;
	int			pv_on;
	sr_err		err;
	int			k,
				nh = o->viewpoints * (f->wall && f->npieces > 0 ? f->npieces : 1);

	memset(res, 0, sizeof(*res));
	res->sunny_area_m2 = res->p10_kwh_m2 = res->p50_kwh_m2 = res->p90_kwh_m2 = NAN;
	res->samples = o->viewpoints * (f->wall && f->npieces > 1 ? f->npieces : 1);
	res->building = f->b;
	res->building_id = c->b[f->b].id;
	res->face = f->poly + 1;
	res->tilt = f->tilt;
	res->azimuth = f->azimuth;
	/* a wall partly against a neighbour: its exposed part (party_walls) */
	res->area_m2 = f->wall ? f->exposed : f->area3;

	/* usable area: setback from the edges (exact for rectangles:
	 * (a-2s)(b-2s) = A - P s + 4 s^2), carried to the roof plane */
	/* the outline shrunk by s loses P s and gains back s^2 at each of its 4
	 * corners, a hole grown by s takes P_h s and s^2 at each of its 4 (exact
	 * for a rectangle with rectangular holes, their bands apart) */
	usable2 = f->area2 - f->per2 * o->setback_m + 4.0 * o->setback_m * o->setback_m * (1 - f->holes);
	if (f->area2 - f->per2 * o->setback_m <= 0 || usable2 < 0)
		usable2 = 0.0;
	if (usable2 > f->area2)
		usable2 = f->area2;
	res->usable_area_m2 = f->area2 > 0 ? f->area3 * usable2 / f->area2 : 0.0;
	if (f->wall)
	{
		/* a wall has no horizontal extent: the same rule in its plane */
		double		u = f->area3 - f->per3 * o->setback_m + 4.0 * o->setback_m * o->setback_m;

		res->usable_area_m2 = f->area3 - f->per3 * o->setback_m <= 0 || u < 0 ? 0.0 : fmin(u, f->area3);
		/* partly covered: the rule on each exposed piece (or, had GEOS
		 * failed, the whole wall's scaled to the share exposed) */
		if (f->covered > 0)
			res->usable_area_m2 = f->usable_exp >= 0 ? f->usable_exp :
				res->usable_area_m2 * (1.0 - f->covered);
	}
	/* the PV model runs on the faces that get PV */
	pv_on = c->pv && res->usable_area_m2 >= o->min_usable_area_m2 && res->usable_area_m2 > 0;
	if (c->hourly)
		memset(c->hourly, 0, sizeof(double) * (size_t) sr_pv_prep_nrec(c->pv));

	/* viewpoints: the centroid, and with 5, four points half-way from it to
	 * the exterior ring's vertices at quarter turns, on the face's plane; a
	 * wall partly covered has them on each of its exposed pieces (at most
	 * PARTY_MAX_PIECES, each weighing its share of their area; the caller's
	 * horizons are every piece's, largest first) */
	{
		int			npc = f->wall && f->npieces > 0 ? f->npieces : 1;
		const sr_mpoly *g = &c->b[f->b].geom;
		int			p0 = g->ring_pt_start[g->poly_ring_start[f->poly]];
		int			p1 = g->ring_pt_start[g->poly_ring_start[f->poly] + 1];
		int			nv = p1 - p0 > 1 ? p1 - p0 - 1 : 1;	/* without the closing point */
		double		slope = tan(f->tilt * SR_DEG2RAD);
		double		sa = sin(f->azimuth * SR_DEG2RAD), ca = cos(f->azimuth * SR_DEG2RAD);
		int			v;

		memset(&shaded, 0, sizeof(shaded));
		hpv_sum = 0.0;
		for (int vv = 0; vv < npc * o->viewpoints; vv++)
		{
			double		x = f->x, y = f->y, z = f->z;
			double		wp = 1.0;	/* the share of this viewpoint's piece */
			sr_irradiation one, ib, ibt;
			double		telev[SR_HORIZON_MAX_SECTORS];
			float		htf[SR_HORIZON_MAX_SECTORS];
			const float *ht;

			v = vv % o->viewpoints;
			if (f->wall && f->npieces > 0)
			{
				const exposed_piece *pc = &c->pieces[f->piece0 + vv / o->viewpoints];

				wp = pc->w;
				x = pc->vp[v][0];
				y = pc->vp[v][1];
				z = pc->vp[v][2];
			}
			else if (v > 0)
			{
				int			j = p0 + ((v - 1) * nv) / 4;

				x = f->x + 0.5 * (g->xyz[3 * j] - f->x);
				y = f->y + 0.5 * (g->xyz[3 * j + 1] - f->y);
				/* the plane falls toward its azimuth (a wall: half-way to
				 * the vertex itself) */
				if (f->wall)
					z = f->z + 0.5 * (g->xyz[3 * j + 2] - f->z);
				else
					z = f->z - slope * ((x - f->x) * sa + (y - f->y) * ca);
			}
			sr_err_clear(&err);
			if (sr_horizon_compute(c->grid, x, y, z, o->radius_m, o->sectors,
								   f->excl, elev, &err) != SR_OK)
				for (k = 0; k < o->sectors; k++)
					elev[k] = 0.0;	/* cannot happen: inputs were checked */
			/* the terrain's far horizon raises the buildings' */
			if (c->terrain)
				sr_terrain_grid_apply(c->terrain, x, y, z, elev);
			for (k = 0; k < o->sectors; k++)
				hf[k] = (float) elev[k];
			if (horizons)
				memcpy(horizons + (size_t) vv * o->sectors, hf, sizeof(float) * o->sectors);
			/* the trees: ht = the horizon with them, when they rise above */
			ht = NULL;
			if (c->tree_grid &&
				sr_horizon_compute(c->tree_grid, x, y, z, o->radius_m, o->sectors, -1, telev, &err) == SR_OK)
				for (k = 0; k < o->sectors; k++)
				{
					htf[k] = telev[k] > hf[k] ? (float) telev[k] : hf[k];
					if (htf[k] > hf[k])
						ht = htf;
				}
			irr_trees(c, f->tilt, f->azimuth, hf, ht, &one, &ib, &ibt);
			shaded.annual += one.annual * wp / o->viewpoints;
			for (k = 0; k < 12; k++)
				shaded.monthly[k] += one.monthly[k] * wp / o->viewpoints;
			if (f->tilt < o->flat_tilt_max && o->flat_module_tilt > 0)
			{
				if (pv_on)
				{
					/* the module plane month by month, for the PV model */
					sr_irradiation mp;
					sr_pv_result pr;

					irr_trees(c, o->flat_module_tilt, 180.0, hf, ht, &mp, &ib, &ibt);
					hpv_sum += mp.annual * wp / o->viewpoints;
					pv_trees(c, o->flat_module_tilt, 180.0, hf, ht, &ib, &ibt, &pr, NULL);
					pvy_sum += pr.annual * wp / o->viewpoints;
					add_hours(c, wp, o->viewpoints);
				}
				else if (ht)
				{
					sr_irradiation mp;

					irr_trees(c, o->flat_module_tilt, 180.0, hf, ht, &mp, &ib, &ibt);
					hpv_sum += mp.annual * wp / o->viewpoints;
				}
				else
				{
					float		kb[SR_HORIZON_MAX_SECTORS];

					hpv_sum += sr_plane_irradiation_annual(c->prep, o->flat_module_tilt, 180.0,
														   kernel_h(c, hf, kb), o->albedo) * wp / o->viewpoints;
				}
			}
			else if (pv_on)
			{
				sr_pv_result pr;

				pv_trees(c, f->tilt, f->azimuth, hf, ht, &ib, &ibt, &pr, NULL);
				pvy_sum += pr.annual * wp / o->viewpoints;
				add_hours(c, wp, o->viewpoints);
			}
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
	if (f->covered >= SR_PARTY_WALL_SHARE)
	{
		/* a party wall: against its neighbour, no sun, no PV */
		memset(&shaded, 0, sizeof(shaded));
		res->usable_area_m2 = 0.0;
		if (c->hourly)
			memset(c->hourly, 0, sizeof(double) * (size_t) sr_pv_prep_nrec(c->pv));
	}
	res->annual_kwh_m2 = shaded.annual / 1000.0;
	for (k = 0; k < 12; k++)
		res->monthly_kwh_m2[k] = shaded.monthly[k] / 1000.0;
	res->shading_loss_pct = open_annual > 0 ? 100.0 * (1.0 - shaded.annual / open_annual) : 0.0;
	/* the two paths sum float prefix rows in a different order: below
	 * 1e-4 % a negative loss is rounding, not light */
	if (res->shading_loss_pct < 0 && res->shading_loss_pct > -1e-4)
		res->shading_loss_pct = 0.0;


	/* PV plane: flat roofs get modules tilted south */
	hpv = res->annual_kwh_m2;
	if (f->tilt < o->flat_tilt_max && o->flat_module_tilt > 0)
		hpv = hpv_sum / 1000.0;
	res->pv_specific_yield = NAN;
	if (res->usable_area_m2 < o->min_usable_area_m2 || res->usable_area_m2 <= 0)
	{
		res->potential_class = 0;
		return nh;
	}
	res->pv_kwp = res->usable_area_m2 * o->kwp_per_m2;
	/* kWh/kWp: the PV model, or the plane's irradiation (kWh/m2 at 1 kW/m2:
	 * hours at STC) times the performance ratio */
	res->pv_specific_yield = c->pv ? pvy_sum : hpv * o->performance_ratio;
	res->pv_kwh_year = res->pv_kwp * res->pv_specific_yield;
	if (hpv < o->class_thresholds[0])
		res->potential_class = 1;
	else if (hpv < o->class_thresholds[1])
		res->potential_class = 2;
	else if (hpv < o->class_thresholds[2])
		res->potential_class = 3;
	else
		res->potential_class = 4;
	return nh;
}

sr_status
sr_cadastre_check_unique_ids(const sr_building *b, int n, const char *query, sr_err *err)
{
	int64_t    *ids = sr_alloc(sizeof(int64_t) * (size_t) (n + 1)),
				dup = 0;
	size_t		m = 0,
				count;
	sr_status	st;

	if (!ids)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++)
		if (!b[i].obstacle_only)
			ids[m++] = b[i].id;
	st = sr_ids_duplicate(ids, m, &dup, &count, err);
	sr_free(ids);
	if (st != SR_OK || count == 0)
		return st;
	sr_error(err, SR_EINVAL, "building %lld is in %zu rows of %s", (long long) dup, count, query);
	sr_error_detail(err, "A building is one row: its faces are the polygons of its geometry, numbered from 1, and the cadastre's rows are keyed by building and face.");
	sr_error_hint(err, "Give each building one row (its polygons collected: ST_Collect(geom) ... GROUP BY id), or mark the repeated rows as obstacles only (a target column, false).");
	return SR_EINVAL;
}

sr_status
sr_cadastre_check_sky_site(const sr_sky_hdr *sky, double lat, double lon,
						   double max_km, sr_err *err)
{
	double		km = sr_haversine_km(lat, lon, sky->lat, sky->lon);

	if (km > max_km)
	{
		sr_error(err, SR_EINVAL, "the buildings are %.0f km from the sky's site, more than %g km",
				 km, max_km);
		sr_error_detail(err, "Buildings around (%.4f, %.4f), sky at (%.4f, %.4f) (lat, lon).",
						lat, lon, sky->lat, sky->lon);
		sr_error_hint(err, "Use the weather of the buildings' place, or raise option \"max_sky_distance_km\".");
		return err->status;
	}
	return SR_OK;
}
