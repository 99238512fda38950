/*
 * zones_model.c — validation and placement of zones, parcels, land units,
 * buildings and establishments (sr_zones_build).
 *
 * GEOS (_r API, one context per build) checks zone validity and overlaps
 * and computes parcel/zone overlaps with prepared zone geometries; parcels
 * are indexed by a uniform grid for the point-in-parcel tests of building
 * centroids and establishments, done on flat coordinate arrays.
 */
#include "zones_internal.h"

#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* GEOS state of a build; everything here is malloc'ed by GEOS and must be
 * released explicitly (sr_zones_model_release_geos), also after an error
 * raised by an interrupt check. */
typedef struct zgeos
{
	GEOSContextHandle_t h;
	char		msg[256];
	GEOSWKBReader *reader;
	size_t		nz;
	GEOSGeometry **zone;
	const GEOSPreparedGeometry **prep;
	size_t		npgeom;
	GEOSGeometry **pgeom;		/* parcels, parsed by check_parcel_overlaps */
} zgeos;

static void
zgeos_free_parcels(zgeos *g)
{
	size_t		i;

	if (g->pgeom == NULL)
		return;
	for (i = 0; i < g->npgeom; i++)
		if (g->pgeom[i])
			GEOSGeom_destroy_r(g->h, g->pgeom[i]);
	sr_free(g->pgeom);
	g->pgeom = NULL;
	g->npgeom = 0;
}

static void
geos_error_handler(const char *message, void *userdata)
{
	zgeos	   *g = (zgeos *) userdata;

	/* copy only: never longjmp out of a GEOS callback */
	snprintf(g->msg, sizeof(g->msg), "%s", message);
}

void
sr_zones_model_init(sr_zones_model *m)
{
	memset(m, 0, sizeof(*m));
}

void
sr_zones_model_release_geos(sr_zones_model *m)
{
	zgeos	   *g = (zgeos *) m->geos;
	size_t		i;

	if (g == NULL)
		return;
	m->geos = NULL;
	zgeos_free_parcels(g);
	for (i = 0; i < g->nz; i++)
	{
		if (g->prep && g->prep[i])
			GEOSPreparedGeom_destroy_r(g->h, g->prep[i]);
		if (g->zone && g->zone[i])
			GEOSGeom_destroy_r(g->h, g->zone[i]);
	}
	if (g->reader)
		GEOSWKBReader_destroy_r(g->h, g->reader);
	GEOS_finish_r(g->h);
	/* zone/prep arrays and g itself are sr_alloc memory */
	sr_free(g->zone);
	sr_free(g->prep);
	sr_free(g);
}

void
sr_zones_model_free(sr_zones_model *m)
{
	sr_zones_model_release_geos(m);
	sr_free(m->zone_area);
	sr_free(m->zone_order);
	sr_free(m->parcel_area);
	sr_free(m->parcel_zone);
	sr_free(m->parcel_unit);
	sr_free(m->unit_key);
	sr_free(m->unit_zone);
	sr_free(m->unit_area);
	sr_free(m->unit_zone_area);
	sr_free(m->unit_nparcels);
	sr_free(m->unit_settled);
	sr_free(m->building_area);
	sr_free(m->building_parcel);
	sr_free(m->estab_parcel);
	sr_free(m->estab_section);
	sr_free(m->estab_band);
	sr_zones_model_init(m);
}

static const int64_t *sort_ids;

static int
cmp_zone_order(const void *a, const void *b)
{
	int64_t		x = sort_ids[*(const int32_t *) a],
				y = sort_ids[*(const int32_t *) b];

	return (x > y) - (x < y);
}

/* The parcel covering (x, y); the smallest parcel_id wins when several do
 * (points on a shared boundary).  -1 when none. */
static int32_t
locate_parcel(const zpolyset *ps, const zgrid *grid, const char *const *pid,
			  double x, double y)
{
	size_t		n,
				k;
	const int32_t *cand = zgrid_cell_items(grid, x, y, &n);
	int32_t		best = -1;

	for (k = 0; k < n; k++)
	{
		int32_t		p = cand[k];
		const double *bb = ps->bbox + 4 * (size_t) p;

		/* bounding box first: it is in cache, the id strings are not */
		if (x < bb[0] || x > bb[2] || y < bb[1] || y > bb[3])
			continue;
		if (!zpoly_covers_point(ps, (size_t) p, x, y))
			continue;
		if (best < 0 || strcmp(pid[p], pid[best]) < 0)
			best = p;
	}
	return best;
}

/*
 * Locate n points (xs[i], ys[i]; NaN = no point) in the parcels, writing
 * the parcel index or -1 into out[i].  Points are visited in grid-cell
 * order (a counting sort) so that the parcels of a cell stay in cache.
 */
static bool
locate_points(const zpolyset *ps, const zgrid *grid, const char *const *pid,
			  const double *xs, const double *ys, size_t n, int32_t *out)
{
	size_t		ncells = (size_t) grid->nx * (size_t) grid->ny,
				i;
	int64_t    *cell = sr_alloc((n ? n : 1) * sizeof(int64_t));
	size_t	   *start = sr_alloc0((ncells + 2) * sizeof(size_t));
	int32_t    *order = sr_alloc((n ? n : 1) * sizeof(int32_t));

	if (cell == NULL || start == NULL || order == NULL)
	{
		sr_free(cell);
		sr_free(start);
		sr_free(order);
		return false;
	}
	for (i = 0; i < n; i++)
	{
		double		x = xs[i],
					y = ys[i];

		out[i] = -1;
		/* outside the grid (or no point): bucket ncells, never located */
		if (grid->start == NULL ||
			!(x >= grid->minx && x <= grid->maxx && y >= grid->miny && y <= grid->maxy))
			cell[i] = (int64_t) ncells;
		else
			cell[i] = (int64_t) ((size_t) zgrid_index(y, grid->miny, grid->cell, grid->ny) * grid->nx +
								 (size_t) zgrid_index(x, grid->minx, grid->cell, grid->nx));
		start[cell[i] + 1]++;
	}
	for (i = 0; i < ncells + 1; i++)
		start[i + 1] += start[i];
	for (i = 0; i < n; i++)
		order[start[cell[i]]++] = (int32_t) i;
	for (i = 0; i < n; i++)
	{
		int32_t		k = order[i];

		if (cell[k] < (int64_t) ncells)
			out[k] = locate_parcel(ps, grid, pid, xs[k], ys[k]);
		if ((i & 65535) == 65535)
			sr_check_interrupts();
	}
	sr_free(cell);
	sr_free(start);
	sr_free(order);
	return true;
}

#define ALLOC_ARRAY(ptr, n) \
	do { (ptr) = sr_alloc0(((n) ? (n) : 1) * sizeof(*(ptr))); \
		 if ((ptr) == NULL) goto nomem; } while (0)

/*
 * The ground parcel p (read as pg) shares with zone z, in *ov: the whole
 * parcel (parcel_area) when the zone contains it, else the area of their
 * intersection, 0 when they do not meet.  Returns SR_OK, or the error naming
 * the parcel and the zone.
 */
static sr_status
parcel_zone_share(const sr_zones_data *in, zgeos *g, int32_t p, int32_t z,
				  double parcel_area, const GEOSGeometry *pg, double *ov, sr_err *err)
{
	char		r = GEOSPreparedContains_r(g->h, g->prep[z], pg);
	sr_status	st;

	*ov = 0.0;
	if (r == 1)
	{
		*ov = parcel_area;
		return SR_OK;
	}
	if (r == 0)
		r = GEOSPreparedIntersects_r(g->h, g->prep[z], pg);
	if (r == 0)
		return SR_OK;
	if (r == 1)
	{
		GEOSGeometry *ix = GEOSIntersection_r(g->h, g->zone[z], pg);
		int			ok = ix != NULL && GEOSArea_r(g->h, ix, ov) == 1;

		if (ix)
			GEOSGeom_destroy_r(g->h, ix);
		if (ok)
			return SR_OK;
	}
	st = sr_error(err, SR_EGEOM, "could not intersect parcel \"%s\" with zone %lld",
				  in->parcel_id[p], (long long) in->zone_id[z]);
	sr_error_detail(err, "GEOS reported: %s.", g->msg);
	sr_error_hint(err, "Check the parcel with ST_IsValid and repair it with ST_MakeValid.");
	return st;
}

/* The settled rule (docs/zones.md, placement), one place for the call's
 * zones (sr_zones_build) and a zone's earlier contours
 * (sr_zones_contours_settled): a parcel sharing more than half of its area
 * with a zone goes to it in every call holding it, and a unit whose parcels
 * so bound make more than half of its area goes there too. */
static inline bool
parcel_bound(double share, double parcel_area)
{
	return share > 0.5 * parcel_area;
}

static inline bool
unit_bound(double bound_area, double unit_area)
{
	return bound_area > 0.5 * unit_area;
}

/*
 * Parcels must not share ground: each parcel's area is summed into its land
 * unit, zone and site (land_unit_vacancy lists the units outside the zones
 * too, so every parcel of the input is checked), so two parcels covering the same
 * ground (a cadastre keeping a mother parcel beside the parcels it was
 * divided into) count it twice.  Candidate pairs come from the parcel grid;
 * a pair whose interiors meet is refused when the area of its intersection
 * exceeds SR_ZONES_PARCEL_OVERLAP_M2: the slivers along shared edges of a
 * real cadastre (0.17 m2 at most on the demo's 5,716 parcels) stay below it.
 * Returns SR_OK, or the error naming the first pair (by parcel index).
 */
static sr_status
check_parcel_overlaps(const sr_zones_data *in, const zpolyset *ps, const zgrid *grid, zgeos *g, sr_err *err)
{
	size_t		np = in->nparcels ? in->nparcels : 1;
	int32_t    *stamp = sr_alloc(np * sizeof(int32_t)),
			   *cand = sr_alloc(np * sizeof(int32_t));
	sr_status	st = SR_OK;
	size_t		i;

	if (stamp == NULL || cand == NULL)
	{
		sr_free(stamp);
		sr_free(cand);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (i = 0; i < in->nparcels; i++)
		stamp[i] = -1;
	for (i = 0; i < in->nparcels && st == SR_OK; i++)
	{
		size_t		ncand = zgrid_pairs(grid, ps->bbox, i, stamp, cand),
					k;

		for (k = 0; k < ncand; k++)
		{
			int32_t		o = cand[k];
			GEOSGeometry *ix,
					  **geom;
			char		rel;
			double		ov = 0.0;

			/*
			 * The boundary-integration area (no GEOS) filters the pairs:
			 * well below the tolerance, the pair is accepted; otherwise, or
			 * when it is unsure, GEOS decides as before.
			 */
			if (zpoly_intersection_area(ps, i, ps, (size_t) o, &ov) &&
				ov < 0.5 * SR_ZONES_PARCEL_OVERLAP_M2)
				continue;
			ov = 0.0;
			if (g->pgeom == NULL)
			{
				/* each parcel parsed once, when GEOS is needed; kept in g
				 * so that an interrupt does not leak them */
				g->pgeom = sr_alloc0(in->nparcels * sizeof(GEOSGeometry *));
				if (g->pgeom == NULL)
				{
					st = sr_error(err, SR_ENOMEM, "out of memory");
					break;
				}
				g->npgeom = in->nparcels;
			}
			geom = g->pgeom;
			if (geom[i] == NULL)
				geom[i] = GEOSWKBReader_read_r(g->h, g->reader, in->parcel_wkb[i],
											   in->parcel_wkb_len[i]);
			if (geom[o] == NULL)
				geom[o] = GEOSWKBReader_read_r(g->h, g->reader, in->parcel_wkb[o],
											   in->parcel_wkb_len[o]);
			if (geom[i] == NULL || geom[o] == NULL)
				goto geosfail;
			rel = GEOSRelatePattern_r(g->h, geom[i], geom[o], "T********");
			if (rel == 2)
				goto geosfail;
			if (rel == 1)
			{
				ix = GEOSIntersection_r(g->h, geom[i], geom[o]);
				if (ix == NULL || GEOSArea_r(g->h, ix, &ov) != 1)
				{
					if (ix)
						GEOSGeom_destroy_r(g->h, ix);
					goto geosfail;
				}
				GEOSGeom_destroy_r(g->h, ix);
			}
			if (ov > SR_ZONES_PARCEL_OVERLAP_M2)
			{
				const char *p1 = in->parcel_id[i],
						   *p2 = in->parcel_id[o];

				if (strcmp(p1, p2) > 0)
				{
					p1 = in->parcel_id[o];
					p2 = in->parcel_id[i];
				}
				st = sr_error(err, SR_EGEOM, "parcels \"%s\" and \"%s\" overlap", p1, p2);
				sr_error_detail(err, "They share %.2f m2 of ground (more than the %g m2 allowed for slivers along shared edges), which the indicators would count twice.",
								ov, SR_ZONES_PARCEL_OVERLAP_M2);
				sr_error_hint(err, "A cadastre may keep a divided parcel beside the parcels it was divided into: leave the superseded parcel out in parcels_sql.");
				break;
			}
			continue;
	geosfail:
			st = sr_error(err, SR_EGEOM, "could not intersect parcels \"%s\" and \"%s\"",
						  in->parcel_id[i], in->parcel_id[o]);
			sr_error_detail(err, "GEOS reported: %s.", g->msg);
			break;
		}
		if ((i & 1023) == 1023 && st == SR_OK)
			sr_check_interrupts();
	}
	zgeos_free_parcels(g);
	sr_free(stamp);
	sr_free(cand);
	return st;
}


sr_status
sr_zones_build(const sr_zones_data *in, sr_zones_model *m, sr_err *err)
{
	zpolyset	zs = {0},
				ps = {0},
				bs = {0},
				es = {0};
	zgrid		pgrid = {0},
				zgrid_ = {0};
	zstrmap		pmap = {0},
				umap = {0},
				smap = {0};
	zgeos	   *g;
	char		why[160];
	int32_t		srid = 0,
				s;
	size_t		i,
				j;
	int32_t    *stamp = NULL,
			   *cand = NULL;
	int32_t    *by_unit = NULL,
			   *unit_start = NULL;
	double	   *px = NULL,
			   *py = NULL,
			   *pz_area = NULL;
	sr_status	st = SR_OK;
	bool		have_srid = in->nzones > 0;

	sr_zones_model_init(m);
	m->nzones = in->nzones;
	m->nparcels = in->nparcels;
	m->nbuildings = in->nbuildings;
	m->nestabs = in->nestabs;

	/* ---- GEOS context ---- */
	g = sr_alloc0(sizeof(zgeos));
	if (g == NULL)
		goto nomem;
	m->geos = g;
	g->h = GEOS_init_r();
	if (g->h == NULL)
		goto nomem;
	GEOSContext_setErrorMessageHandler_r(g->h, geos_error_handler, g);
	g->reader = GEOSWKBReader_create_r(g->h);
	ALLOC_ARRAY(g->zone, in->nzones);
	ALLOC_ARRAY(g->prep, in->nzones);
	g->nz = in->nzones;

	/* ---- zones ---- */
	ALLOC_ARRAY(m->zone_area, in->nzones);
	ALLOC_ARRAY(m->zone_order, in->nzones);
	for (i = 0; i < in->nzones; i++)
	{
		char		valid;

		if (in->zone_wkb[i] == NULL)
		{
			st = sr_error(err, SR_EGEOM, "zone %lld has a NULL geometry",
						  (long long) in->zone_id[i]);
			goto done;
		}
		if (!zpolyset_add_wkb(&zs, in->zone_wkb[i], in->zone_wkb_len[i],
							  ZWKB_POLYGONAL, &s, why, sizeof(why)))
		{
			st = sr_error(err, SR_EGEOM, "zone %lld has an unsupported geometry",
						  (long long) in->zone_id[i]);
			sr_error_detail(err, "The geometry is rejected: %s.", why);
			goto done;
		}
		if (i == 0)
			srid = s;
		else if (s != srid)
		{
			st = sr_error(err, SR_EGEOM, "zone %lld has SRID %d, other zones have SRID %d",
						  (long long) in->zone_id[i], s, srid);
			goto done;
		}
		m->zone_area[i] = zpoly_area(&zs, i);
		if (!isfinite(m->zone_area[i]))
		{
			st = sr_error(err, SR_ERANGE, "zone %lld has an area too large to compute",
						  (long long) in->zone_id[i]);
			sr_error_detail(err, "Its coordinates are out of any projected range.");
			goto done;
		}
		g->zone[i] = GEOSWKBReader_read_r(g->h, g->reader, in->zone_wkb[i],
										  in->zone_wkb_len[i]);
		if (g->zone[i] == NULL)
		{
			st = sr_error(err, SR_EGEOM, "could not read the geometry of zone %lld",
						  (long long) in->zone_id[i]);
			sr_error_detail(err, "GEOS reported: %s.", g->msg);
			goto done;
		}
		valid = GEOSisValid_r(g->h, g->zone[i]);
		if (valid != 1)
		{
			char	   *reason = GEOSisValidReason_r(g->h, g->zone[i]);

			st = sr_error(err, SR_EGEOM, "zone %lld has an invalid geometry",
						  (long long) in->zone_id[i]);
			sr_error_detail(err, "GEOS reports: %s.", reason ? reason : g->msg);
			sr_error_hint(err, "Repair it with ST_MakeValid.");
			if (reason)
				GEOSFree_r(g->h, reason);
			goto done;
		}
		g->prep[i] = GEOSPrepare_r(g->h, g->zone[i]);
		if (g->prep[i] == NULL)
			goto geosfail;
		m->zone_order[i] = (int32_t) i;
	}
	sort_ids = in->zone_id;
	qsort(m->zone_order, in->nzones, sizeof(int32_t), cmp_zone_order);
	for (i = 1; i < in->nzones; i++)
		if (in->zone_id[m->zone_order[i]] == in->zone_id[m->zone_order[i - 1]])
		{
			st = sr_error(err, SR_EDATA, "zone_id %lld appears more than once",
						  (long long) in->zone_id[m->zone_order[i]]);
			goto done;
		}

	/* overlapping zones (interiors meet): candidate pairs from the zone grid */
	if (!zgrid_build(&zgrid_, zs.bbox, in->nzones))
		goto nomem;
	ALLOC_ARRAY(stamp, in->nzones);
	ALLOC_ARRAY(cand, in->nzones);
	for (i = 0; i < in->nzones; i++)
		stamp[i] = -1;
	for (i = 0; i < in->nzones; i++)
	{
		size_t		ncand = zgrid_pairs(&zgrid_, zs.bbox, i, stamp, cand),
					k;

		for (k = 0; k < ncand; k++)
		{
			int32_t		o = cand[k];
			char		rel = GEOSRelatePattern_r(g->h, g->zone[i], g->zone[o], "T********");

			if (rel == 2)
				goto geosfail;
			if (rel == 1)
			{
				st = sr_error(err, SR_EGEOM, "zones %lld and %lld overlap",
							  (long long) in->zone_id[i],
							  (long long) in->zone_id[o]);
				sr_error_detail(err, "The interiors of the two zone geometries intersect; each parcel must fall in one zone.");
				goto done;
			}
		}
		if ((i & 63) == 63)
			sr_check_interrupts();
	}

	/* ---- parcels ---- */
	ALLOC_ARRAY(m->parcel_area, in->nparcels);
	ALLOC_ARRAY(m->parcel_zone, in->nparcels);
	ALLOC_ARRAY(m->parcel_unit, in->nparcels);
	ALLOC_ARRAY(pz_area, in->nparcels);
	ALLOC_ARRAY(m->unit_key, in->nparcels);
	if (!zstrmap_init(&pmap, in->nparcels) || !zstrmap_init(&umap, in->nparcels))
		goto nomem;
	m->nunits = 0;
	for (i = 0; i < in->nparcels; i++)
	{
		int32_t		u;

		if (in->parcel_id[i] == NULL)
		{
			st = sr_error(err, SR_EDATA, "parcel in row %zu has a NULL parcel_id", i + 1);
			goto done;
		}
		if (zstrmap_get_or_put(&pmap, in->parcel_id[i], (int32_t) i) >= 0)
		{
			st = sr_error(err, SR_EDATA, "parcel_id \"%s\" appears more than once",
						  in->parcel_id[i]);
			goto done;
		}
		if (in->parcel_wkb[i] == NULL ||
			!zpolyset_add_wkb(&ps, in->parcel_wkb[i], in->parcel_wkb_len[i],
							  ZWKB_POLYGONAL, &s, why, sizeof(why)))
		{
			st = sr_error(err, SR_EGEOM, "parcel \"%s\" has an unsupported geometry",
						  in->parcel_id[i]);
			sr_error_detail(err, "The geometry is rejected: %s.",
							in->parcel_wkb[i] ? why : "it is NULL");
			goto done;
		}
		if (!have_srid)
		{
			srid = s;			/* no zones: the first parcel sets the SRID */
			have_srid = true;
		}
		else if (s != srid)
		{
			st = sr_error(err, SR_EGEOM, "parcel \"%s\" has SRID %d, the zones have SRID %d",
						  in->parcel_id[i], s, srid);
			sr_error_hint(err, "Transform the parcels with ST_Transform(geom, %d).", srid);
			goto done;
		}
		m->parcel_area[i] = zpoly_area(&ps, i);
		if (!isfinite(m->parcel_area[i]))
		{
			st = sr_error(err, SR_ERANGE, "parcel \"%s\" has an area too large to compute",
						  in->parcel_id[i]);
			sr_error_detail(err, "Its coordinates are out of any projected range.");
			goto done;
		}
		/* an invalid parcel has no ground area to measure (the lobes of a
		 * self-crossing ring subtract, overlapping parts count twice): it
		 * is refused, as an invalid zone is, never measured silently */
		{
			GEOSGeometry *pv = GEOSWKBReader_read_r(g->h, g->reader, in->parcel_wkb[i],
													in->parcel_wkb_len[i]);
			char		valid;

			if (pv == NULL)
			{
				st = sr_error(err, SR_EGEOM, "could not read the geometry of parcel \"%s\"",
							  in->parcel_id[i]);
				sr_error_detail(err, "GEOS reported: %s.", g->msg);
				goto done;
			}
			valid = GEOSisValid_r(g->h, pv);
			if (valid != 1)
			{
				char	   *reason = valid == 0 ? GEOSisValidReason_r(g->h, pv) : NULL;

				GEOSGeom_destroy_r(g->h, pv);
				if (valid == 2)
					goto geosfail;
				st = sr_error(err, SR_EGEOM, "parcel \"%s\" has an invalid geometry",
							  in->parcel_id[i]);
				sr_error_detail(err, "GEOS reports: %s.", reason ? reason : g->msg);
				sr_error_hint(err, "Repair it with ST_MakeValid, or pass ST_MakeValid(geom) in parcels_sql.");
				if (reason)
					GEOSFree_r(g->h, reason);
				goto done;
			}
			GEOSGeom_destroy_r(g->h, pv);
		}
		/* land unit: its land_unit_id, or its parcel_id when it has none; one
		 * key space, so that a parcel without a land_unit_id and the parcels
		 * whose land_unit_id is its parcel_id (a unit named after its main
		 * parcel) are one unit, as every output names it by that one id */
		{
			const char *key = (in->land_unit_id && in->land_unit_id[i]) ?
				in->land_unit_id[i] : in->parcel_id[i];

			/* an empty or blank id (a CSV loaded without NULL '') would make
			 * every such parcel of the input one land unit: refused */
			if (in->land_unit_id && in->land_unit_id[i] &&
				key[strspn(key, " \t\r\n\f\v")] == '\0')
			{
				st = sr_error(err, SR_EDATA, "parcel \"%s\" has an empty land_unit_id",
							  in->parcel_id[i]);
				sr_error_detail(err, "Parcels sharing a land_unit_id form one land unit, so every parcel with an empty one would be a single unit.");
				sr_error_hint(err, "A parcel that is its own land unit has a NULL land_unit_id: pass NULLIF(btrim(land_unit_id), '') in parcels_sql.");
				goto done;
			}

			u = zstrmap_get_or_put(&umap, key, (int32_t) m->nunits);
			if (u < 0)
			{
				u = (int32_t) m->nunits++;
				m->unit_key[u] = key;
			}
		}
		m->parcel_unit[i] = u;
		if ((i & 4095) == 4095)
			sr_check_interrupts();
	}

	/* parcel -> zone by largest shared area */
	for (i = 0; i < in->nzones; i++)
		stamp[i] = -1;
	for (i = 0; i < in->nparcels; i++)
	{
		const double *bb = ps.bbox + 4 * i;
		int			i0 = zgrid_index(bb[0], zgrid_.minx, zgrid_.cell, zgrid_.nx),
					j0 = zgrid_index(bb[1], zgrid_.miny, zgrid_.cell, zgrid_.ny),
					i1 = zgrid_index(bb[2], zgrid_.minx, zgrid_.cell, zgrid_.nx),
					j1 = zgrid_index(bb[3], zgrid_.miny, zgrid_.cell, zgrid_.ny),
					a,
					b;
		size_t		ncand = 0,
					k;
		GEOSGeometry *pg = NULL;
		double		best_area = 0.0;
		int32_t		best = -1;

		m->parcel_zone[i] = -1;
		/* a parcel off the zones' extent meets none (and is never cast
		 * to a cell far off the grid) */
		if (in->nzones == 0 || bb[2] < zgrid_.minx || bb[3] < zgrid_.miny ||
			bb[0] > zgrid_.maxx || bb[1] > zgrid_.maxy)
			goto placed;
		for (b = j0; b <= j1; b++)
			for (a = i0; a <= i1; a++)
			{
				size_t		c = (size_t) b * zgrid_.nx + a;

				for (k = zgrid_.start[c]; k < zgrid_.start[c + 1]; k++)
				{
					int32_t		o = zgrid_.items[k];
					const double *ob = zs.bbox + 4 * o;

					if (stamp[o] == (int32_t) i)
						continue;
					stamp[o] = (int32_t) i;
					if (ob[0] > bb[2] || ob[2] < bb[0] || ob[1] > bb[3] || ob[3] < bb[1])
						continue;
					cand[ncand++] = o;
				}
			}
		if (ncand == 0)
			goto placed;
		/* fast path: one candidate zone containing the parcel's bounding box
		 * holds the whole parcel (a parcel inside a zone, the usual case) */
		if (ncand == 1)
		{
			GEOSGeometry *rect = GEOSGeom_createRectangle_r(g->h, bb[0], bb[1], bb[2], bb[3]);
			char		r;

			if (rect == NULL)
				goto geosfail;
			r = GEOSPreparedContains_r(g->h, g->prep[cand[0]], rect);
			if (r == 0 && !GEOSPreparedIntersects_r(g->h, g->prep[cand[0]], rect))
				r = 3;			/* bounding box disjoint from the zone */
			GEOSGeom_destroy_r(g->h, rect);
			if (r == 2)
				goto geosfail;
			if (r == 1 && m->parcel_area[i] > 0.0)
			{
				m->parcel_zone[i] = cand[0];
				pz_area[i] = m->parcel_area[i];
				goto placed;
			}
			if (r == 3)
				goto placed;
		}
		pg = GEOSWKBReader_read_r(g->h, g->reader, in->parcel_wkb[i], in->parcel_wkb_len[i]);
		if (pg == NULL)
		{
			st = sr_error(err, SR_EGEOM, "could not read the geometry of parcel \"%s\"",
						  in->parcel_id[i]);
			sr_error_detail(err, "GEOS reported: %s.", g->msg);
			goto done;
		}
		for (k = 0; k < ncand; k++)
		{
			int32_t		z = cand[k];
			double		ov;

			st = parcel_zone_share(in, g, (int32_t) i, z, m->parcel_area[i], pg, &ov, err);
			if (st != SR_OK)
			{
				GEOSGeom_destroy_r(g->h, pg);
				goto done;
			}
			if (ov > best_area ||
				(ov == best_area && ov > 0.0 && in->zone_id[z] < in->zone_id[best]))
			{
				best_area = ov;
				best = z;
			}
		}
		GEOSGeom_destroy_r(g->h, pg);
		m->parcel_zone[i] = best;
		pz_area[i] = best_area;
placed:
		if (m->parcel_zone[i] < 0)
			m->parcels_outside++;
		if ((i & 1023) == 1023)
			sr_check_interrupts();
	}
	/* ---- parcels sharing ground ---- */
	if (!zgrid_build(&pgrid, ps.bbox, in->nparcels))
		goto nomem;
	st = check_parcel_overlaps(in, &ps, &pgrid, g, err);
	if (st != SR_OK)
		goto done;

	/* ---- land units: area, parcel count and zone of largest area ---- */
	ALLOC_ARRAY(m->unit_zone, m->nunits);
	ALLOC_ARRAY(m->unit_area, m->nunits);
	ALLOC_ARRAY(m->unit_zone_area, m->nunits);
	ALLOC_ARRAY(m->unit_nparcels, m->nunits);
	ALLOC_ARRAY(m->unit_settled, m->nunits);
	ALLOC_ARRAY(unit_start, m->nunits + 1);
	ALLOC_ARRAY(by_unit, in->nparcels);
	for (i = 0; i < in->nparcels; i++)
		unit_start[m->parcel_unit[i] + 1]++;
	for (i = 0; i < m->nunits; i++)
		unit_start[i + 1] += unit_start[i];
	for (i = 0; i < in->nparcels; i++)
		by_unit[unit_start[m->parcel_unit[i]] + m->unit_nparcels[m->parcel_unit[i]]++] = (int32_t) i;
	for (i = 0; i < m->nunits; i++)
	{
		int32_t		best = -1;
		double		best_area = 0.0;

		for (j = (size_t) unit_start[i]; j < (size_t) unit_start[i + 1]; j++)
		{
			int32_t		p = by_unit[j],
						z = m->parcel_zone[p];
			double		za = 0.0;
			size_t		k;

			m->unit_area[i] += m->parcel_area[p];
			if (z < 0)
				continue;
			/* area of this unit in zone z (units hold few parcels) */
			for (k = (size_t) unit_start[i]; k < (size_t) unit_start[i + 1]; k++)
				if (m->parcel_zone[by_unit[k]] == z)
					za += m->parcel_area[by_unit[k]];
			if (za > best_area || (za == best_area && best >= 0 &&
								   in->zone_id[z] < in->zone_id[best]))
			{
				best_area = za;
				best = z;
			}
		}
		m->unit_zone[i] = best;
		if (best < 0)
			continue;

		/*
		 * The ground of the unit inside its zone: its parcels' shares of
		 * the zone (a parcel placed in the zone counts its part inside it;
		 * one placed in another zone may still reach into this one; one in
		 * no zone shares nothing with any).
		 */
		for (j = (size_t) unit_start[i]; j < (size_t) unit_start[i + 1]; j++)
		{
			int32_t		p = by_unit[j],
						z = m->parcel_zone[p];
			GEOSGeometry *pg;
			double		ov;

			if (z == best)
			{
				m->unit_zone_area[i] += pz_area[p];
				continue;
			}
			if (z < 0)
				continue;
			pg = GEOSWKBReader_read_r(g->h, g->reader, in->parcel_wkb[p], in->parcel_wkb_len[p]);
			if (pg == NULL)
				goto geosfail;
			st = parcel_zone_share(in, g, p, best, m->parcel_area[p], pg, &ov, err);
			GEOSGeom_destroy_r(g->h, pg);
			if (st != SR_OK)
				goto done;
			m->unit_zone_area[i] += ov;
		}
	}

	/*
	 * Settled units: a parcel with more than half of its area in zone z goes
	 * to z in every call holding z (zones do not overlap, so no other zone
	 * can hold as much of it); a unit whose parcels so bound to its zone
	 * make more than half of its area goes to that zone in every call
	 * holding it, whatever other zones the call adds.  Any other unit may
	 * go elsewhere in a call with other zones (a unit 40 % in zone A and
	 * 60 % in zone B is A's when A is called alone, B's beside B), and the
	 * zone's establishment figures with it: the published view withholds
	 * them (sr_zones_zone_unsettled).
	 */
	for (i = 0; i < m->nunits; i++)
	{
		double		bound = 0.0;

		m->unit_settled[i] = 0;
		if (m->unit_zone[i] < 0)
			continue;
		for (j = (size_t) unit_start[i]; j < (size_t) unit_start[i + 1]; j++)
		{
			int32_t		p = by_unit[j];

			if (m->parcel_zone[p] == m->unit_zone[i] && parcel_bound(pz_area[p], m->parcel_area[p]))
				bound += m->parcel_area[p];
		}
		m->unit_settled[i] = unit_bound(bound, m->unit_area[i]);
	}

	/* ---- buildings: centroid -> parcel (pgrid built above) ---- */
	ALLOC_ARRAY(m->building_area, in->nbuildings);
	ALLOC_ARRAY(m->building_parcel, in->nbuildings);
	ALLOC_ARRAY(px, in->nbuildings);
	ALLOC_ARRAY(py, in->nbuildings);
	for (i = 0; i < in->nbuildings; i++)
	{
		double		cx,
					cy;

		if (in->building_wkb[i] == NULL ||
			!zpolyset_add_wkb(&bs, in->building_wkb[i], in->building_wkb_len[i],
							  ZWKB_POLYGONAL, &s, why, sizeof(why)))
		{
			st = sr_error(err, SR_EGEOM, "building %lld has an unsupported geometry",
						  (long long) in->building_id[i]);
			sr_error_detail(err, "The geometry is rejected: %s.",
							in->building_wkb[i] ? why : "it is NULL");
			goto done;
		}
		if (have_srid && s != srid)
		{
			st = sr_error(err, SR_EGEOM, "building %lld has SRID %d, the zones have SRID %d",
						  (long long) in->building_id[i], s, srid);
			goto done;
		}
		if (in->levels && in->levels[i] < 1)
		{
			st = sr_error(err, SR_EDATA, "building %lld has %d levels",
						  (long long) in->building_id[i], (int) in->levels[i]);
			sr_error_detail(err, "levels must be at least 1 (NULL counts as 1).");
			goto done;
		}
		/* an invalid footprint has no ground area to measure (a bow tie's lobes
		 * subtract, to 0 when equal): refused, naming it, as parcels are */
		{
			GEOSGeometry *bv = GEOSWKBReader_read_r(g->h, g->reader, in->building_wkb[i],
													in->building_wkb_len[i]);
			char		valid;

			if (bv == NULL)
			{
				st = sr_error(err, SR_EGEOM, "could not read the geometry of building %lld",
							  (long long) in->building_id[i]);
				sr_error_detail(err, "GEOS reported: %s.", g->msg);
				goto done;
			}
			valid = GEOSisValid_r(g->h, bv);
			if (valid != 1)
			{
				char	   *reason = valid == 0 ? GEOSisValidReason_r(g->h, bv) : NULL;

				GEOSGeom_destroy_r(g->h, bv);
				if (valid == 2)
					goto geosfail;
				st = sr_error(err, SR_EGEOM, "building %lld has an invalid geometry",
							  (long long) in->building_id[i]);
				sr_error_detail(err, "GEOS reports: %s.", reason ? reason : g->msg);
				sr_error_hint(err, "Repair it with ST_MakeValid, or pass ST_MakeValid(geom) in buildings_sql.");
				if (reason)
					GEOSFree_r(g->h, reason);
				goto done;
			}
			GEOSGeom_destroy_r(g->h, bv);
		}
		m->building_area[i] = zpoly_area(&bs, 0);
		if (!isfinite(m->building_area[i]))
		{
			st = sr_error(err, SR_ERANGE, "building %lld has an area too large to compute",
						  (long long) in->building_id[i]);
			sr_error_detail(err, "Its coordinates are out of any projected range.");
			goto done;
		}
		if (!zpoly_centroid(&bs, 0, &cx, &cy))
		{
			st = sr_error(err, SR_EGEOM, "building %lld has a zero-area footprint",
						  (long long) in->building_id[i]);
			goto done;
		}
		px[i] = cx;
		py[i] = cy;
		/* keep only one building's coordinates at a time */
		bs.npolys = bs.nrings = bs.npts = 0;
		if ((i & 4095) == 4095)
			sr_check_interrupts();
	}

	/* the zone geometries and GEOS are no longer needed */
	sr_zones_model_release_geos(m);
	g = NULL;

	if (!locate_points(&ps, &pgrid, in->parcel_id, px, py, in->nbuildings, m->building_parcel))
		goto nomem;
	for (i = 0; i < in->nbuildings; i++)
		if (m->building_parcel[i] < 0)
			m->buildings_off_parcel++;
	sr_free(px);
	sr_free(py);
	px = py = NULL;

	/* duplicate building ids */
	{
		int64_t		dup = 0;
		size_t		count;

		if (sr_ids_duplicate(in->building_id, in->nbuildings, &dup, &count, err) != SR_OK)
		{
			st = err->status;
			goto done;
		}
		if (count > 0)
		{
			st = sr_error(err, SR_EDATA, "building_id %lld appears more than once", (long long) dup);
			goto done;
		}
	}

	/* ---- establishments: point -> parcel, codes, dates ---- */
	if (!zstrmap_init(&smap, in->nestabs))
		goto nomem;
	ALLOC_ARRAY(m->estab_parcel, in->nestabs);
	ALLOC_ARRAY(m->estab_section, in->nestabs);
	ALLOC_ARRAY(m->estab_band, in->nestabs);
	ALLOC_ARRAY(px, in->nestabs);
	ALLOC_ARRAY(py, in->nestabs);
	for (i = 0; i < in->nestabs; i++)
	{
		const char *siret = in->siret[i] ? in->siret[i] : "(NULL)";
		int			sec = sr_zones_naf_section(in->naf[i]),
					band = sr_zones_band_index(in->band[i]);

		if (in->siret[i] == NULL)
		{
			st = sr_error(err, SR_EDATA, "establishment in row %zu has a NULL siret", i + 1);
			goto done;
		}
		if (zstrmap_get_or_put(&smap, in->siret[i], (int32_t) i) >= 0)
		{
			st = sr_error(err, SR_EDATA, "siret \"%s\" appears more than once", siret);
			goto done;
		}
		if (sec < 0)
		{
			if (in->naf[i] == NULL)
				st = sr_error(err, SR_EDATA, "establishment %s has no NAF code", siret);
			else
				st = sr_error(err, SR_EDATA, "establishment %s has an unrecognized NAF code \"%s\"",
							  siret, in->naf[i]);
			sr_error_detail(err, "A NAF rev. 2 code has an existing division, such as \"62.01Z\" or \"6201Z\".");
			goto done;
		}
		if (band < 0)
		{
			if (in->band[i] == NULL)
			{
				st = sr_error(err, SR_EDATA, "establishment %s has no headcount band", siret);
				sr_error_hint(err, "SIRENE leaves the band of an establishment without employees empty: load it as NN.");
			}
			else
				st = sr_error(err, SR_EDATA, "establishment %s has an unrecognized headcount band \"%s\"",
							  siret, in->band[i]);
			sr_error_detail(err, "INSEE headcount bands are NN, 00, 01, 02, 03, 11, 12, 21, 22, 31, 32, 41, 42, 51, 52 and 53.");
			goto done;
		}
		if (in->start_day[i] != SR_ZONES_NO_DATE && in->end_day[i] != SR_ZONES_NO_DATE &&
			in->end_day[i] < in->start_day[i])
		{
			st = sr_error(err, SR_EDATA, "establishment %s ends before it starts", siret);
			sr_error_detail(err, "end_date must not be earlier than start_date.");
			goto done;
		}
		m->estab_section[i] = (int8_t) sec;
		m->estab_band[i] = (int8_t) band;
		m->estab_parcel[i] = -1;
		px[i] = NAN;
		py[i] = NAN;
		if (in->estab_wkb[i] != NULL)
		{
			if (!zpolyset_add_wkb(&es, in->estab_wkb[i], in->estab_wkb_len[i],
								  ZWKB_POINT, &s, why, sizeof(why)))
			{
				st = sr_error(err, SR_EGEOM, "establishment %s has an unsupported geometry", siret);
				sr_error_detail(err, "The geometry is rejected: %s.", why);
				goto done;
			}
			if (have_srid && s != srid)
			{
				st = sr_error(err, SR_EGEOM, "establishment %s has SRID %d, the zones have SRID %d",
							  siret, s, srid);
				goto done;
			}
			px[i] = es.xy[0];
			py[i] = es.xy[1];
			es.npolys = es.nrings = es.npts = 0;
		}
		if ((i & 4095) == 4095)
			sr_check_interrupts();
	}
	if (!locate_points(&ps, &pgrid, in->parcel_id, px, py, in->nestabs, m->estab_parcel))
		goto nomem;
	for (i = 0; i < in->nestabs; i++)
		if (m->estab_parcel[i] < 0)
			m->estabs_off_parcel++;
	goto done;

nomem:
	st = sr_error(err, SR_ENOMEM, "out of memory while placing zone objects");
	goto done;
geosfail:
	st = sr_error(err, SR_EGEOM, "GEOS failed while checking zone geometries");
	sr_error_detail(err, "GEOS reported: %s.", g && g->msg[0] ? g->msg : "no message");
done:
	zpolyset_free(&zs);
	zpolyset_free(&ps);
	zpolyset_free(&bs);
	zpolyset_free(&es);
	zgrid_free(&pgrid);
	zgrid_free(&zgrid_);
	zstrmap_free(&pmap);
	zstrmap_free(&umap);
	zstrmap_free(&smap);
	sr_free(stamp);
	sr_free(cand);
	sr_free(by_unit);
	sr_free(unit_start);
	sr_free(pz_area);
	sr_free(px);
	sr_free(py);
	sr_zones_model_release_geos(m);
	m->srid = srid;
	if (st != SR_OK)
		sr_zones_model_free(m);
	return st;
}

/*
 * The land units settled in each of ncontours extra contours (a zone's
 * earlier contours, docs/zones.md "Earlier contours"), by the placement's
 * own rules: each parcel's share of the contour as parcel_zone_share measures
 * it for a zone, then the settled rule (parcel_bound, unit_bound) over the
 * model's land units.  The contours may overlap one another and the model's
 * zones: each is judged alone, as a call holding it would place the units.
 * Output in CSR form: the units of contour c are units[start[c] ..
 * start[c + 1]), in increasing order (start has ncontours + 1 entries, units
 * is sr_alloc'ed and freed by the caller; NULL when none).  A contour that
 * is not a valid polygon or multipolygon of the model's SRID is SR_EGEOM
 * naming contour_id[c].  The GEOS state is held in m->geos meanwhile, so a
 * memory-context reset after an error frees it (sr_zones_model_release_geos).
 */
sr_status
sr_zones_contours_settled(const sr_zones_data *in, sr_zones_model *m, size_t ncontours,
						  const unsigned char *const *wkb, const size_t *len,
						  const int64_t *contour_id, size_t *start, int32_t **units, sr_err *err)
{
	zpolyset	tmp = {0};
	zgeos	   *g = NULL;
	double	   *pbox = NULL,
			   *bound = NULL;
	int32_t    *out = NULL;
	size_t		nout = 0,
				cap = 0,
				i,
				c;
	int32_t		s;
	char		why[160];
	sr_status	st = SR_OK;
	sr_zones_data one = *in;

	*units = NULL;
	start[0] = 0;
	if (ncontours == 0)
		return SR_OK;
	sr_zones_model_release_geos(m);
	g = sr_alloc0(sizeof(zgeos));
	if (g == NULL)
		goto nomem;
	m->geos = g;
	g->h = GEOS_init_r();
	if (g->h == NULL)
		goto nomem;
	GEOSContext_setErrorMessageHandler_r(g->h, geos_error_handler, g);
	g->reader = GEOSWKBReader_create_r(g->h);
	ALLOC_ARRAY(g->zone, 1);
	ALLOC_ARRAY(g->prep, 1);
	g->nz = 1;
	ALLOC_ARRAY(bound, m->nunits);
	/* the parcels' bounding boxes, once for every contour */
	pbox = sr_alloc0(4 * (m->nparcels ? m->nparcels : 1) * sizeof(double));
	if (pbox == NULL)
		goto nomem;
	for (i = 0; i < m->nparcels; i++)
	{
		if (!zpolyset_add_wkb(&tmp, in->parcel_wkb[i], in->parcel_wkb_len[i], ZWKB_POLYGONAL, &s, why, sizeof(why)))
			goto nomem;			/* (read by sr_zones_build already) */
		memcpy(pbox + 4 * i, tmp.bbox, 4 * sizeof(double));
		tmp.npolys = tmp.nrings = tmp.npts = 0;
		if ((i & 4095) == 4095)
			sr_check_interrupts();
	}
	for (c = 0; c < ncontours; c++)
	{
		double		cb[4];

		/* (parcel_zone_share names the contour by its zone_id) */
		one.zone_id = contour_id + c;
		tmp.npolys = tmp.nrings = tmp.npts = 0;
		if (wkb[c] == NULL || !zpolyset_add_wkb(&tmp, wkb[c], len[c], ZWKB_POLYGONAL, &s, why, sizeof(why)) ||
			(m->srid != 0 && s != m->srid))
		{
			st = sr_error(err, SR_EGEOM, "earlier contour of zone %lld is not a polygon of SRID %d",
						  (long long) contour_id[c], (int) m->srid);
			goto done;
		}
		memcpy(cb, tmp.bbox, sizeof(cb));
		for (i = 1; i < tmp.npolys; i++)
		{
			cb[0] = fmin(cb[0], tmp.bbox[4 * i]);
			cb[1] = fmin(cb[1], tmp.bbox[4 * i + 1]);
			cb[2] = fmax(cb[2], tmp.bbox[4 * i + 2]);
			cb[3] = fmax(cb[3], tmp.bbox[4 * i + 3]);
		}
		g->zone[0] = GEOSWKBReader_read_r(g->h, g->reader, wkb[c], len[c]);
		if (g->zone[0] == NULL || GEOSisValid_r(g->h, g->zone[0]) != 1)
		{
			st = sr_error(err, SR_EGEOM, "earlier contour of zone %lld has an invalid geometry",
						  (long long) contour_id[c]);
			goto done;
		}
		g->prep[0] = GEOSPrepare_r(g->h, g->zone[0]);
		if (g->prep[0] == NULL)
			goto geosfail;
		memset(bound, 0, m->nunits * sizeof(double));
		for (i = 0; i < m->nparcels; i++)
		{
			const double *bb = pbox + 4 * i;
			GEOSGeometry *pg;
			double		ov;

			if (bb[0] > cb[2] || bb[2] < cb[0] || bb[1] > cb[3] || bb[3] < cb[1])
				continue;
			pg = GEOSWKBReader_read_r(g->h, g->reader, in->parcel_wkb[i], in->parcel_wkb_len[i]);
			if (pg == NULL)
				goto geosfail;
			st = parcel_zone_share(&one, g, (int32_t) i, 0, m->parcel_area[i], pg, &ov, err);
			GEOSGeom_destroy_r(g->h, pg);
			if (st != SR_OK)
				goto done;
			if (parcel_bound(ov, m->parcel_area[i]))
				bound[m->parcel_unit[i]] += m->parcel_area[i];
			if ((i & 1023) == 1023)
				sr_check_interrupts();
		}
		for (i = 0; i < m->nunits; i++)
		{
			if (!unit_bound(bound[i], m->unit_area[i]))
				continue;
			if (nout == cap)
			{
				int32_t    *grown = sr_alloc((cap ? 2 * cap : 64) * sizeof(int32_t));

				if (grown == NULL)
					goto nomem;
				if (nout)
					memcpy(grown, out, nout * sizeof(int32_t));
				sr_free(out);
				out = grown;
				cap = cap ? 2 * cap : 64;
			}
			out[nout++] = (int32_t) i;
		}
		start[c + 1] = nout;
		GEOSPreparedGeom_destroy_r(g->h, g->prep[0]);
		GEOSGeom_destroy_r(g->h, g->zone[0]);
		g->prep[0] = NULL;
		g->zone[0] = NULL;
	}
	*units = out;
	out = NULL;
	goto done;

nomem:
	st = sr_error(err, SR_ENOMEM, "out of memory while placing earlier contours of zones");
	goto done;
geosfail:
	st = sr_error(err, SR_EGEOM, "GEOS failed while placing earlier contours of zones");
	sr_error_detail(err, "GEOS reported: %s.", g && g->msg[0] ? g->msg : "no message");
done:
	zpolyset_free(&tmp);
	sr_free(pbox);
	sr_free(bound);
	sr_free(out);
	sr_zones_model_release_geos(m);
	return st;
}
