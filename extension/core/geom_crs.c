/*
 * geom_crs.c — the domain check of a point of a projected CRS (sr_geom.h):
 * the round-trip rule, and a WGS84 place put in a CRS with PROJ where
 * PostGIS's ST_Transform would raise an error (a pole the CRS cannot hold).
 *
 * PROJ reports errors through a logging callback, silenced here: a failed
 * transformation is an infinite coordinate, which becomes NaN for the caller
 * (nothing longjmps out of PROJ).
 */
#include "sr_geom.h"

#include <math.h>
#include <proj.h>

int
sr_crs_returns_to(double x, double y, double bx, double by)
{
	/* written so that a NaN fails both comparisons */
	return fabs(bx - x) <= 1e-3 + 1e-9 * fabs(x) && fabs(by - y) <= 1e-3 + 1e-9 * fabs(y);
}

/* PROJ's logging callback: nothing is kept, a failure is read from the result */
static void
proj_quiet(void *arg, int level, const char *msg)
{
}

sr_status
sr_crs_from_lonlat(const char *const *defs, int ndefs, double lon, double lat,
				   double *x, double *y, sr_err *err)
{
	PJ_CONTEXT *ctx = proj_context_create();
	PJ		   *pj = NULL;
	PJ_COORD	c;

	*x = *y = NAN;
	if (!ctx)
		return sr_error(err, SR_ENOMEM, "could not create a PROJ context");
	proj_log_func(ctx, NULL, proj_quiet);
	/* the first definition PROJ can use, as PostGIS does */
	for (int i = 0; i < ndefs && !pj; i++)
	{
		PJ		   *raw;

		if (!defs[i] || !defs[i][0])
			continue;
		raw = proj_create_crs_to_crs(ctx, "EPSG:4326", defs[i], NULL);
		if (!raw)
			continue;
		/* x east, y north, longitude first: PostGIS's order */
		pj = proj_normalize_for_visualization(ctx, raw);
		proj_destroy(raw);
	}
	if (!pj)
	{
		proj_context_destroy(ctx);
		return sr_error(err, SR_EINVAL, "could not create a transformation from EPSG:4326 to the CRS");
	}
	c = proj_trans(pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
	if (isfinite(c.xy.x) && isfinite(c.xy.y))
	{
		*x = c.xy.x;
		*y = c.xy.y;
	}
	proj_destroy(pj);
	proj_context_destroy(ctx);
	return SR_OK;
}
