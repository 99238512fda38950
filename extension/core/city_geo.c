/*
 * city_geo.c — the city on the Earth: the data's CRS to ECEF through PROJ,
 * geodetic <-> ECEF on WGS84 and east-north-up frames (sr_city3d.h).
 *
 * 3D Tiles place content in ECEF (EPSG:4978); a tile's content is written
 * in the east-north-up frame at its centre and the tile's transform is that
 * frame's ENU -> ECEF matrix, so float32 vertices stay within a tile's size
 * of their origin (3D Tiles 1.1, section "Coordinate reference system").
 * The z of the data is taken as height above the ellipsoid (the CRS is
 * promoted to 3D); option height_offset shifts it.
 */
#include "sr_city3d.h"
#include "sr_city.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proj.h>
#include <proj_experimental.h>	/* proj_crs_promote_to_3D (PROJ >= 6.3) */

struct sr_geo
{
	PJ_CONTEXT *ctx;
	PJ		   *P;
	sr_crs_area area;			/* the CRS's area of use */
};

void
sr_geodetic_to_ecef(double lon, double lat, double h, double ecef[3])
{
	double		e2 = SR_WGS84_F * (2 - SR_WGS84_F),
				sl = sin(lat * SR_DEG2RAD),
				cl = cos(lat * SR_DEG2RAD),
				N = SR_WGS84_A / sqrt(1 - e2 * sl * sl);

	ecef[0] = (N + h) * cl * cos(lon * SR_DEG2RAD);
	ecef[1] = (N + h) * cl * sin(lon * SR_DEG2RAD);
	ecef[2] = (N * (1 - e2) + h) * sl;
}

void
sr_ecef_to_geodetic(const double ecef[3], double *lon, double *lat, double *h)
{
	double		e2 = SR_WGS84_F * (2 - SR_WGS84_F),
				x = ecef[0],
				y = ecef[1],
				z = ecef[2],
				p = sqrt(x * x + y * y),
				phi,
				N = SR_WGS84_A;

	*lon = atan2(y, x) * SR_RAD2DEG;
	if (p < 1e-9)
	{
		/* on the axis */
		*lat = z >= 0 ? 90 : -90;
		*h = fabs(z) - SR_WGS84_A * (1 - SR_WGS84_F);
		return;
	}
	phi = atan2(z, p * (1 - e2));
	/* fixed-point iteration: converges to < 1e-12 rad in a few steps
	 * anywhere near the surface */
	for (int k = 0; k < 8; k++)
	{
		double		s = sin(phi);

		N = SR_WGS84_A / sqrt(1 - e2 * s * s);
		phi = atan2(z + e2 * N * s, p);
	}
	*lat = phi * SR_RAD2DEG;
	*h = p / cos(phi) - N;
}

void
sr_enu_axes(double lon, double lat, double axes[9])
{
	double		sl = sin(lon * SR_DEG2RAD),
				cl = cos(lon * SR_DEG2RAD),
				sp = sin(lat * SR_DEG2RAD),
				cp = cos(lat * SR_DEG2RAD);

	axes[0] = -sl;
	axes[1] = cl;
	axes[2] = 0;
	axes[3] = -sp * cl;
	axes[4] = -sp * sl;
	axes[5] = cp;
	axes[6] = cp * cl;
	axes[7] = cp * sl;
	axes[8] = sp;
}

static sr_status
proj_fail(sr_geo *g, const char *what, const char *crs, sr_err *err)
{
	int			e = proj_context_errno(g->ctx);

	sr_error(err, SR_EINVAL, "could not %s %s", what, crs);
	if (e)
		sr_error_detail(err, "PROJ: %s.", proj_context_errno_string(g->ctx, e));
	return err->status;
}

sr_status
sr_geo_open(const char *auth, const char *wkt, const char *proj4, sr_geo **out, sr_err *err)
{
	sr_geo	   *g = calloc(1, sizeof(sr_geo));
	PJ		   *src = NULL,
			   *src3d,
			   *dst,
			   *P;
	/* (the CRS by its authority, else as "the coordinate reference system": the
	 * caller adds which SRID it is) */
	const char *name = auth && auth[0] ? auth : "the coordinate reference system";

	*out = NULL;
	if (!g)
		return sr_error(err, SR_ENOMEM, "out of memory");
	g->ctx = proj_context_create();
	if (!g->ctx)
	{
		free(g);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	proj_log_level(g->ctx, PJ_LOG_NONE);
	if (auth && auth[0])
		src = proj_create(g->ctx, auth);
	if (!src && wkt && wkt[0])
		src = proj_create(g->ctx, wkt);
	if (!src && proj4 && proj4[0])
	{
		/* a PROJ string is a CRS only with +type=crs (else PROJ reads an operation) */
		size_t		n = strlen(proj4);
		char	   *def = malloc(n + sizeof(" +type=crs"));

		if (!def)
		{
			sr_geo_close(g);
			return sr_error(err, SR_ENOMEM, "out of memory");
		}
		memcpy(def, proj4, n + 1);
		if (!strstr(proj4, "+type=crs"))
			memcpy(def + n, " +type=crs", sizeof(" +type=crs"));
		src = proj_create(g->ctx, def);
		free(def);
		if (src && !proj_is_crs(src))
		{
			proj_destroy(src);
			src = NULL;
		}
	}
	if (!src)
	{
		if (auth && auth[0])
			proj_fail(g, "read the coordinate reference system", auth, err);
		else
			proj_fail(g, "read", "the coordinate reference system", err);
		sr_geo_close(g);
		return err->status;
	}
	{
		const char *an = NULL;
		double		w = -1000,
					s = -1000,
					e = -1000,
					n = -1000;
		int			found = proj_get_area_of_use(g->ctx, src, &w, &s, &e, &n, &an);

		sr_crs_area_set(&g->area, found, w, s, e, n, an);
	}
	/* z as ellipsoidal height: a 2D CRS is promoted to 3D */
	src3d = proj_crs_promote_to_3D(g->ctx, NULL, src);
	dst = proj_create(g->ctx, "EPSG:4978");
	if (!dst)
	{
		proj_destroy(src);
		proj_destroy(src3d);
		proj_fail(g, "create", "EPSG:4978", err);
		sr_geo_close(g);
		return err->status;
	}
	P = proj_create_crs_to_crs_from_pj(g->ctx, src3d ? src3d : src, dst, NULL, NULL);
	proj_destroy(src);
	proj_destroy(src3d);
	proj_destroy(dst);
	if (!P)
	{
		proj_fail(g, "find a transformation to ECEF (EPSG:4978) from", name, err);
		sr_geo_close(g);
		return err->status;
	}
	/* x east / longitude first whatever the CRS's axis order */
	g->P = proj_normalize_for_visualization(g->ctx, P);
	proj_destroy(P);
	if (!g->P)
	{
		proj_fail(g, "normalise the transformation from", name, err);
		sr_geo_close(g);
		return err->status;
	}
	*out = g;
	return SR_OK;
}

void
sr_geo_close(sr_geo *g)
{
	if (!g)
		return;
	if (g->P)
		proj_destroy(g->P);
	if (g->ctx)
		proj_context_destroy(g->ctx);
	free(g);
}

const char *
sr_geo_area_name(const sr_geo *g)
{
	return g->area.name;
}

size_t
sr_geo_outside(const sr_geo *g, const double *ecef, size_t n, const char **area)
{
	size_t		outside = 0;

	*area = g->area.name;
	if (!g->area.known)
		return 0;
	for (size_t i = 0; i < n; i++)
	{
		double		lon,
					lat,
					h;

		sr_ecef_to_geodetic(ecef + 3 * i, &lon, &lat, &h);
		if (!sr_crs_area_contains(&g->area, lon, lat))
			outside++;
	}
	return outside;
}

/* Whether the ECEF point e, transformed from the CRS's x y, is within the
 * area of use; for an area of every longitude, also whether it maps back to
 * x y (sr_crs_round_trip_ok: else the CRS wrapped it round). */
static bool
geo_inside(const sr_geo *g, double x, double y, const double e[3])
{
	double		lon,
				lat,
				h;
	PJ_COORD	c;

	sr_ecef_to_geodetic(e, &lon, &lat, &h);
	if (!sr_crs_area_contains(&g->area, lon, lat))
		return false;
	if (!g->area.all_lon)
		return true;
	c = proj_trans(g->P, PJ_INV, proj_coord(e[0], e[1], e[2], 0));
	return sr_crs_round_trip_ok(x, y, lon, c.xyz.x, c.xyz.y);
}

sr_status
sr_geo_to_ecef(sr_geo *g, double *xyz, size_t n, size_t *outside, sr_err *err)
{
	const size_t chunk = 65536;
	double	   *src = NULL;

	if (outside)
	{
		*outside = 0;
		/* the source x y of a chunk, for the round trip */
		if (g->area.known && g->area.all_lon && n > 0 &&
			!(src = sr_alloc(sizeof(double) * 2 * (n < chunk ? n : chunk))))
			return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (size_t s = 0; s < n; s += chunk)
	{
		size_t		k = n - s < chunk ? n - s : chunk;
		double	   *p = xyz + 3 * s;

		for (size_t i = 0; src && i < k; i++)
		{
			src[2 * i] = p[3 * i];
			src[2 * i + 1] = p[3 * i + 1];
		}
		proj_trans_generic(g->P, PJ_FWD, p, 3 * sizeof(double), k, p + 1, 3 * sizeof(double), k,
						   p + 2, 3 * sizeof(double), k, NULL, 0, 0);
		for (size_t i = 0; i < k; i++)
			if (!isfinite(p[3 * i]) || !isfinite(p[3 * i + 1]) || !isfinite(p[3 * i + 2]) ||
				p[3 * i] == HUGE_VAL)
			{
				sr_free(src);
				return sr_error(err, SR_EDATA, "could not transform a vertex to ECEF (EPSG:4978)");
			}
		if (outside && g->area.known)
			for (size_t i = 0; i < k; i++)
				if (!geo_inside(g, src ? src[2 * i] : 0, src ? src[2 * i + 1] : 0, p + 3 * i))
					(*outside)++;
		sr_check_interrupts();
	}
	sr_free(src);
	return SR_OK;
}

sr_status
sr_city_to_ecef(sr_city_model *m, sr_geo *g, size_t *outside, sr_err *err)
{
	sr_status	st;

	if (outside)
		*outside = 0;
	if (m->ecef)
		return SR_OK;
	if ((st = sr_geo_to_ecef(g, m->pos, m->nverts, outside, err)) != SR_OK)
		return st;
	/* the faces' normals, from their exterior rings in ECEF */
	for (size_t f = 0; f < m->nfaces; f++)
	{
		size_t		v0 = m->face_v[f],
					v1 = m->face_v[f + 1];
		double		n[3],
					l;

		sr_city_newell(m->pos + 3 * v0, m->face_ext[f], n);
		l = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
		if (!(l > 0))
			continue;
		for (size_t v = v0; v < v1; v++)
			for (int k = 0; k < 3; k++)
				m->nrm[3 * v + k] = (float) (n[k] / l);
	}
	m->ecef = true;
	return SR_OK;
}
