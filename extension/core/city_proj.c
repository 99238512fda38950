/*
 * city_proj.c — coordinate transformations with PROJ for the city model
 * importers, and the EPSG code of a CRS name as CityJSON and CityGML files
 * write it.
 *
 * PROJ reports errors through a logging callback: it only copies the
 * message into the transformation's buffer; the caller turns a failed
 * call into an sr_err (nothing longjmps out of PROJ).
 */
#include "sr_city.h"

#include <ctype.h>
#include <math.h>
#include <proj.h>
#include <stdio.h>
#include <string.h>

struct sr_crs_transform
{
	PJ_CONTEXT *ctx;
	PJ		   *pj;
	char		src[64],
				dst[64];
	char		desc[256];
	int			ballpark;
	char		log[256];		/* PROJ's last error message */
	/* the source CRS's area of use, and its own lon/lat (made on first use) */
	int			area_tried;
	PJ		   *to_geog;
	sr_crs_area area;
};

/* PROJ's logging callback: copy, never raise */
static void
proj_log(void *arg, int level, const char *msg)
{
	sr_crs_transform *t = arg;

	if (level <= PJ_LOG_ERROR && msg)
		snprintf(t->log, sizeof(t->log), "%s", msg);
}

/* The description of an operation, and whether PROJ calls it a ballpark
 * one (the operations that ignore an unknown datum shift say so). */
static void
describe(sr_crs_transform *t, PJ *op)
{
	PJ_PROJ_INFO pi = proj_pj_info(op);

	snprintf(t->desc, sizeof(t->desc), "%s", pi.description ? pi.description : "");
	t->ballpark = strstr(t->desc, "Ballpark") != NULL || strstr(t->desc, "ballpark") != NULL;
}

sr_status
sr_crs_transform_create(const char *src, const char *dst, sr_crs_transform **out, sr_err *err)
{
	sr_crs_transform *t = sr_alloc0(sizeof(sr_crs_transform));
	PJ		   *raw;

	*out = NULL;
	if (!t)
		return sr_error(err, SR_ENOMEM, "out of memory");
	snprintf(t->src, sizeof(t->src), "%s", src);
	snprintf(t->dst, sizeof(t->dst), "%s", dst);
	if (strcmp(src, dst) == 0)
	{
		/* the identity: no PROJ object */
		snprintf(t->desc, sizeof(t->desc), "none (same CRS)");
		*out = t;
		return SR_OK;
	}
	t->ctx = proj_context_create();
	if (!t->ctx)
	{
		sr_free(t);
		return sr_error(err, SR_ENOMEM, "could not create a PROJ context");
	}
	proj_log_level(t->ctx, PJ_LOG_ERROR);
	proj_log_func(t->ctx, t, proj_log);
	raw = proj_create_crs_to_crs(t->ctx, src, dst, NULL);
	if (raw)
	{
		/* x east, y north on both sides, whatever the CRS's axis order */
		t->pj = proj_normalize_for_visualization(t->ctx, raw);
		proj_destroy(raw);
	}
	if (!t->pj)
	{
		int			e = proj_context_errno(t->ctx);

		sr_error(err, SR_EINVAL, "could not create a transformation from %s to %s", src, dst);
		sr_error_detail(err, "PROJ: %s.", t->log[0] ? t->log : proj_context_errno_string(t->ctx, e));
		sr_crs_transform_free(t);
		return err->status;
	}
	describe(t, t->pj);
	*out = t;
	return SR_OK;
}

const char *
sr_crs_transform_desc(const sr_crs_transform *t, int *ballpark)
{
	if (ballpark)
		*ballpark = t->ballpark;
	return t->desc;
}

sr_status
sr_crs_transform_apply(sr_crs_transform *t, double *xyz, size_t n, sr_err *err)
{
	size_t		st = 3 * sizeof(double);

	if (!t->pj || n == 0)
		return SR_OK;
	t->log[0] = '\0';
	proj_errno_reset(t->pj);
	proj_trans_generic(t->pj, PJ_FWD, xyz, st, n, xyz + 1, st, n, xyz + 2, st, n, NULL, 0, 0);
	{
		/* with several candidate operations PROJ picks one per point: the
		 * last one used describes what happened (PROJ >= 9.1) */
		PJ		   *last = proj_trans_get_last_used_operation(t->pj);

		if (last)
		{
			describe(t, last);
			proj_destroy(last);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!isfinite(xyz[3 * i]) || !isfinite(xyz[3 * i + 1]) || xyz[3 * i] == HUGE_VAL)
		{
			sr_error(err, SR_EINVAL, "could not transform a point from %s to %s", t->src, t->dst);
			sr_error_detail(err, "PROJ: %s.", t->log[0] ? t->log :
							proj_errno_string(proj_errno(t->pj)) ? proj_errno_string(proj_errno(t->pj)) :
							"the point is outside the area of the transformation");
			sr_error_hint(err, "Check the CRS of the file (or option \"srid\").");
			return err->status;
		}
	return SR_OK;
}

void
sr_crs_area_set(sr_crs_area *a, int found, double west, double south, double east,
				double north, const char *name)
{
	size_t		len;

	/* (-1000: PROJ's "unknown") */
	a->known = found && west >= -180.5 && south >= -90.5;
	a->west = west;
	a->south = south;
	a->east = east;
	a->north = north;
	/* (EPSG writes the world's longitudes -180 and 180) */
	a->all_lon = a->known && west <= -180 + 1e-6 && east >= 180 - 1e-6;
	a->world = a->all_lon && south < 0 && north > 0;
	snprintf(a->name, sizeof(a->name), "%s", a->known && name ? name : "");
	/* (EPSG's names end with a full stop: quoted inside a sentence) */
	len = strlen(a->name);
	if (len && a->name[len - 1] == '.')
		a->name[len - 1] = '\0';
}

bool
sr_crs_area_contains(const sr_crs_area *a, double lon, double lat)
{
	/* a margin for data near a zone's edge; a world area's are the CRS's */
	const double m = a->world ? SR_CRS_AREA_WORLD_TOL_DEG : SR_CRS_AREA_MARGIN_DEG;
	bool		in_lon;

	/* an area across the antimeridian has west > east */
	if (a->west <= a->east)
		in_lon = lon >= a->west - m && lon <= a->east + m;
	else
		in_lon = lon >= a->west - m || lon <= a->east + m;
	return in_lon && lat >= a->south - m && lat <= a->north + m;
}

bool
sr_crs_round_trip_ok(double x, double y, double lon, double x2, double y2)
{
	double		tx = 1e-6 * (1 + fabs(x)),
				ty = 1e-6 * (1 + fabs(y));

	if (!isfinite(x2) || !isfinite(y2) || x2 == HUGE_VAL)
		return false;
	if (fabs(x2 - x) <= tx && fabs(y2 - y) <= ty)
		return true;
	/* on the antimeridian, either edge of the map is the point */
	return fabs(fabs(lon) - 180) <= SR_CRS_AREA_WORLD_TOL_DEG &&
		fabs(x2 + x) <= tx && fabs(y2 - y) <= ty;
}

/* The area of use of the source CRS and the operation to its own lon/lat
 * (the horizontal part of a compound CRS); nothing when PROJ knows none. */
static void
area_prepare(sr_crs_transform *t)
{
	PJ		   *crs,
			   *horiz,
			   *geog,
			   *op;
	const char *name = NULL;
	double		w = -1000,
				s = -1000,
				e = -1000,
				n = -1000;
	int			found;

	t->area_tried = 1;
	if (!t->ctx)
	{
		t->ctx = proj_context_create();
		if (!t->ctx)
			return;
		proj_log_level(t->ctx, PJ_LOG_ERROR);
		proj_log_func(t->ctx, t, proj_log);
	}
	crs = proj_create(t->ctx, t->src);
	if (!crs)
		return;
	horiz = proj_get_type(crs) == PJ_TYPE_COMPOUND_CRS ? proj_crs_get_sub_crs(t->ctx, crs, 0) : NULL;
	found = proj_get_area_of_use(t->ctx, crs, &w, &s, &e, &n, &name);
	sr_crs_area_set(&t->area, found, w, s, e, n, name);
	if (!t->area.known)
	{
		proj_destroy(horiz);
		proj_destroy(crs);
		return;
	}
	geog = proj_crs_get_geodetic_crs(t->ctx, horiz ? horiz : crs);
	op = geog ? proj_create_crs_to_crs_from_pj(t->ctx, horiz ? horiz : crs, geog, NULL, NULL) : NULL;
	if (op)
	{
		/* longitude first, whatever the CRS's axis order */
		t->to_geog = proj_normalize_for_visualization(t->ctx, op);
		proj_destroy(op);
	}
	proj_destroy(geog);
	proj_destroy(horiz);
	proj_destroy(crs);
}

size_t
sr_crs_transform_outside(sr_crs_transform *t, const double *xyz, size_t n, char *area, size_t cap)
{
	size_t		outside = 0;

	if (!t->area_tried)
		area_prepare(t);
	if (area && cap)
		snprintf(area, cap, "%s", t->area.name);
	if (!t->to_geog)
		return 0;
	for (size_t i = 0; i < n; i++)
	{
		PJ_COORD	c = proj_coord(xyz[3 * i], xyz[3 * i + 1], 0, 0);
		double		lon,
					lat;

		if (!isfinite(xyz[3 * i]) || !isfinite(xyz[3 * i + 1]))
		{
			outside++;
			continue;
		}
		proj_errno_reset(t->to_geog);
		c = proj_trans(t->to_geog, PJ_FWD, c);
		lon = c.lp.lam;
		lat = c.lp.phi;
		if (!isfinite(lon) || !isfinite(lat) || lon == HUGE_VAL)
		{
			outside++;
			continue;
		}
		if (!sr_crs_area_contains(&t->area, lon, lat))
		{
			outside++;
			continue;
		}
		if (t->area.all_lon)
		{
			/* beyond the CRS's bounds, wrapped round into the area */
			c = proj_trans(t->to_geog, PJ_INV, c);
			if (!sr_crs_round_trip_ok(xyz[3 * i], xyz[3 * i + 1], lon, c.xy.x, c.xy.y))
				outside++;
		}
	}
	return outside;
}

void
sr_crs_transform_free(sr_crs_transform *t)
{
	if (!t)
		return;
	if (t->to_geog)
		proj_destroy(t->to_geog);
	if (t->pj)
		proj_destroy(t->pj);
	if (t->ctx)
		proj_context_destroy(t->ctx);
	sr_free(t);
}

/* case-insensitive search of a word in a bounded string */
static const char *
find_ci(const char *s, size_t len, const char *w)
{
	size_t		l = strlen(w);

	for (size_t i = 0; i + l <= len; i++)
	{
		size_t		k = 0;

		while (k < l && tolower((unsigned char) s[i + k]) == tolower((unsigned char) w[k]))
			k++;
		if (k == l)
			return s + i;
	}
	return NULL;
}

int
sr_crs_epsg_from_name(const char *name, size_t len)
{
	const char *p = find_ci(name, len, "EPSG"),
			   *end = name + len,
			   *q,
			   *d;
	long		code = 0;

	if (p)
	{
		/* up to the next member of a compound, the code is its last run
		 * of digits: EPSG:2154, EPSG::7415, EPSG:6.3:3946, EPSG/0/7415;
		 * EPSG:2154+5720 (PROJ's horizontal + vertical) is 2154 */
		for (q = p + 4; q < end && *q != ',' && *q != '&' && *q != '?' && *q != ' ' && *q != '+'; q++)
			;
		d = q;
		while (d > p + 4 && isdigit((unsigned char) d[-1]))
			d--;
		if (d == q)
			return 0;
		for (; d < q && code < 10000000; d++)
			code = code * 10 + (*d - '0');
		return code > 0 && code < 10000000 ? (int) code : 0;
	}
	/* the German AdV names of ETRS89 / UTM */
	if (find_ci(name, len, "ETRS89_UTM32"))
		return 25832;
	if (find_ci(name, len, "ETRS89_UTM33"))
		return 25833;
	return 0;
}
