/*
 * cadastre_impact.c — what a planned building does to its neighbours' sun
 * (smartregion.solar_impact, docs/city3d.md).
 *
 * Two cadastres share one prepared sky: the existing buildings alone, and
 * the existing buildings (but the objects the project replaces, below)
 * followed by the project's.  A face of the existing buildings keeps its
 * order in both (its building's obstacles come first in both), so "before"
 * and "after" are exactly the rows two full solar_cadastre runs give.  Only the faces whose outline comes within
 * the horizon radius of a project obstacle's box are computed; a face is
 * reported when its horizon changed at any viewpoint (a wall partly
 * covered: at any viewpoint of any of its exposed pieces, each weighing its
 * share of their area in the values reported), or its area, usable area,
 * irradiation (or sunny area) did.  The project's own faces follow,
 * computed among everything.
 *
 * A project row whose object_id names an object of the buildings replaces
 * that object (a building raised, lowered or rebuilt), with its parts when
 * the rows give their parent_id (a Building of BuildingParts; since
 * 2026-12-07, before which its parts stood on): the "after" scene is
 * the buildings without the rows of the objects the project names, then
 * the project.  The existing faces keep their order in both scenes, so
 * face k of the buildings kept is face k of "after"; the faces of a
 * replaced object are reported with nothing after (no area, no sun, no PV:
 * the surface is not there any more).  Until 2026-12-07 such a row was
 * taken as one solid with the object it names, whose walls and roofs stood
 * on in the "after" scene.
 */
#include "sr_cadastre.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct sr_impact
{
	sr_impact_row *rows;
	int			n,
				cap;
	int			considered,
				existing;
	int			skipped[2][3];	/* [buildings, project][no height, empty, walls] */
	int			replaced;		/* rows of buildings_sql the project replaces */
	int			unmatched;		/* distinct project object_ids naming nothing */
	const char *unmatched_first[SR_IMPACT_UNMATCHED_LISTED];	/* (p's strings) */
};

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* an object and its parent, as a row of b gives them */
typedef struct obj_parent
{
	const char *obj,
			   *parent;
} obj_parent;

static int
pair_cmp(const void *a, const void *b)
{
	return strcmp(((const obj_parent *) a)->obj, ((const obj_parent *) b)->obj);
}

/* by object, then parent: the pairs of one object side by side, its
 * parents in order (so that two parents are found, and named, whatever
 * the rows' order) */
static int
pair_parent_cmp(const void *a, const void *b)
{
	int			c = pair_cmp(a, b);

	return c != 0 ? c : strcmp(((const obj_parent *) a)->parent, ((const obj_parent *) b)->parent);
}

/* the parent of object o as the rows give it (sorted pairs), NULL if none */
static const char *
parent_of(const obj_parent *pairs, int npairs, const char *o)
{
	obj_parent	key = {o, NULL};
	const obj_parent *f = npairs > 0 ?
		bsearch(&key, pairs, (size_t) npairs, sizeof(obj_parent), pair_cmp) : NULL;

	return f ? f->parent : NULL;
}

/* index of name o in the sorted, distinct names, -1 if not there */
static int
name_at(const char *const *names, int n, const char *o)
{
	const char *const *f = n > 0 ? bsearch(&o, names, (size_t) n, sizeof(char *), name_cmp) : NULL;

	return f ? (int) (f - names) : -1;
}

sr_status
sr_impact_match(const sr_building *b, int nb, const sr_building *p, int np,
				unsigned char *replaced, int *nunmatched, const char **first, int nfirst,
				sr_err *err)
{
	const char **names = sr_alloc(sizeof(char *) * (size_t) (np + 1));
	unsigned char *matched = sr_alloc0((size_t) np + 1);
	obj_parent *pairs = sr_alloc(sizeof(obj_parent) * (size_t) (nb + 1));
	int			nn = 0,
				npairs = 0,
				nfound = 0;

	if (nunmatched)
		*nunmatched = 0;
	for (int k = 0; k < nfirst; k++)
		first[k] = NULL;
	if (!names || !matched || !pairs)
	{
		sr_free(names);
		sr_free(matched);
		sr_free(pairs);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	/* the project's object_ids, sorted, each once (a district rebuilt
	 * names thousands: binary searches) */
	for (int i = 0; i < np; i++)
		if (p[i].object_id)
			names[nn++] = p[i].object_id;
	if (nn > 1)
	{
		int			d = 1;

		qsort(names, (size_t) nn, sizeof(char *), name_cmp);
		for (int i = 1; i < nn; i++)
			if (strcmp(names[i], names[d - 1]) != 0)
				names[d++] = names[i];
		nn = d;
	}
	/* each object's parent, as the rows of b give it (a part's rows name
	 * their Building; a part of a part, its part) */
	for (int i = 0; i < nb; i++)
		if (b[i].object_id && b[i].parent_id)
		{
			pairs[npairs].obj = b[i].object_id;
			pairs[npairs++].parent = b[i].parent_id;
		}
	if (npairs > 1)
		qsort(pairs, (size_t) npairs, sizeof(obj_parent), pair_parent_cmp);
	/* one object, one parent (city_object.parent_id): rows giving an object
	 * two parents (a project's parts unioned with the hub's link rows, say)
	 * are refused, the first such object and its first two parents named,
	 * in byte order.  Before (2026-12-08, h4), the binary search took
	 * either parent, and a row its own: which rows a project replaced
	 * depended on the rows' order */
	for (int k = 1; k < npairs; k++)
		if (strcmp(pairs[k].obj, pairs[k - 1].obj) == 0 &&
			strcmp(pairs[k].parent, pairs[k - 1].parent) != 0)
		{
			sr_status	st = sr_error(err, SR_EINVAL, "object_id \"%s\" of buildings_sql has two parents: \"%s\" and \"%s\"",
									  pairs[k].obj, pairs[k - 1].parent, pairs[k].parent);

			sr_error_detail(err, "Rows of buildings_sql give object \"%s\" the parent_id \"%s\" and the parent_id \"%s\"; an object has one parent, which decides the rows a project naming an ancestor replaces.",
							pairs[k].obj, pairs[k - 1].parent, pairs[k].parent);
			sr_error_hint(err, "Give every row of an object, its link row without geometry included, the same parent_id (the hub's city_object.parent_id).");
			sr_free(names);
			sr_free(matched);
			sr_free(pairs);
			return st;
		}
	/* a row is replaced when a project row names its object or one of the
	 * object's ancestors (at most SR_IMPACT_MAX_DEPTH up: a cycle in the
	 * parents given ends there); every name met is matched */
	for (int i = 0; i < nb; i++)
	{
		const char *o = b[i].object_id;

		replaced[i] = 0;
		if (nn == 0)
			continue;
		if ((i & 4095) == 4095)
			sr_check_interrupts();
		for (int d = 0; d <= SR_IMPACT_MAX_DEPTH; d++)
		{
			const char *up;
			int			k;

			if (o && (k = name_at(names, nn, o)) >= 0)
			{
				replaced[i] = 1;
				matched[k] = 1;
			}
			/* the row's own parent_id first (its object may have no other
			 * row), then the parents the rows give */
			up = d == 0 && b[i].parent_id ? b[i].parent_id : o ? parent_of(pairs, npairs, o) : NULL;
			if (!up)
				break;
			o = up;
		}
	}
	/* the names that matched nothing: counted, the first in p's order */
	for (int k = 0; k < nn; k++)
		if (!matched[k] && nunmatched)
			(*nunmatched)++;
	for (int i = 0; i < np && nfound < nfirst; i++)
	{
		int			k = p[i].object_id ? name_at(names, nn, p[i].object_id) : -1;

		if (k >= 0 && !matched[k])
		{
			first[nfound++] = names[k];
			matched[k] = 1;		/* (listed once) */
		}
	}
	sr_free(names);
	sr_free(matched);
	sr_free(pairs);
	return SR_OK;
}

/* A face of a replaced object after the project: not there any more (no
 * area, no sun, no PV, class unsuitable), as a party wall is reported;
 * its identity and orientation kept so that the row names the face. */
static void
face_gone(const sr_face_result *before, sr_face_result *after)
{
	memset(after, 0, sizeof(*after));
	after->building_id = before->building_id;
	after->building = before->building;
	after->face = before->face;
	after->tilt = before->tilt;
	after->azimuth = before->azimuth;
	after->shading_loss_pct = 100.0;
	after->sunny_area_m2 = isnan(before->sunny_area_m2) ? NAN : 0.0;
	after->p10_kwh_m2 = isnan(before->p10_kwh_m2) ? NAN : 0.0;
	after->p50_kwh_m2 = isnan(before->p50_kwh_m2) ? NAN : 0.0;
	after->p90_kwh_m2 = isnan(before->p90_kwh_m2) ? NAN : 0.0;
	after->pv_specific_yield = NAN;
}

static int
push(sr_impact *im, const sr_impact_row *r)
{
	if (im->n + 1 > im->cap)
	{
		int			cap = im->cap ? 2 * im->cap : 64;
		sr_impact_row *nr = im->rows ? sr_realloc(im->rows, sizeof(*nr) * cap) : sr_alloc(sizeof(*nr) * cap);

		if (!nr)
			return 0;
		im->rows = nr;
		im->cap = cap;
	}
	im->rows[im->n++] = *r;
	return 1;
}

/* squared distance from (x, y) to a box */
static double
box_d2(const double *bb, double x, double y)
{
	double		dx = x < bb[0] ? bb[0] - x : (x > bb[2] ? x - bb[2] : 0.0);
	double		dy = y < bb[1] ? bb[1] - y : (y > bb[3] ? y - bb[3] : 0.0);

	return dx * dx + dy * dy;
}

sr_status
sr_impact_compute(const sr_building *b, int nb, const sr_building *p, int np,
				  const sr_cadastre_opts *o, const sr_sky_hdr *sky, sr_impact **out,
				  sr_err *err)
{
	sr_impact  *im = sr_alloc0(sizeof(sr_impact));
	sr_building *all = sr_alloc(sizeof(sr_building) * (size_t) (nb + np + 1));
	sr_cadastre *cb = NULL,
			   *ca = NULL;
	double	   *boxes = sr_alloc(sizeof(double) * 4 * (size_t) (np + 1));
	/* every viewpoint of every exposed piece (sr_cadastre_face_h) */
	float	   *h0 = sr_alloc(sizeof(float) * SR_PARTY_MAX_PIECES * 5 * SR_HORIZON_MAX_SECTORS),
			   *h1 = sr_alloc(sizeof(float) * SR_PARTY_MAX_PIECES * 5 * SR_HORIZON_MAX_SECTORS);
	/* the rows of b the project replaces, and their index in "after" (-1
	 * when replaced) */
	unsigned char *repl = sr_alloc((size_t) nb + 1);
	int		   *kept_at = sr_alloc(sizeof(int) * (size_t) (nb + 1));
	sr_status	st;
	int			nfb,
				nfa,
				nfk,
				nbox = 0,
				nkept = 0,
				nrep = 0;

	*out = NULL;
	if (!im || !all || !boxes || !h0 || !h1 || !repl || !kept_at)
	{
		st = sr_error(err, SR_ENOMEM, "out of memory");
		goto done;
	}
	if ((st = sr_impact_match(b, nb, p, np, repl, &im->unmatched, im->unmatched_first,
							  SR_IMPACT_UNMATCHED_LISTED, err)) != SR_OK)
		goto done;
	/* "after": the existing buildings but the objects the project replaces,
	 * then the project's; the faces and obstacles of the rows kept come
	 * first, in their order, in both scenes */
	for (int i = 0; i < nb; i++)
	{
		if (repl[i])
		{
			kept_at[i] = -1;
			nrep++;
			continue;
		}
		kept_at[i] = nkept;
		all[nkept++] = b[i];
	}
	im->replaced = nrep;
	memcpy(all + nkept, p, sizeof(sr_building) * (size_t) np);
	for (int i = 0; i < np; i++)
		all[nkept + i].obstacle_only = 0;
	if ((st = sr_cadastre_prepare(b, nb, o, sky, &cb, err)) != SR_OK ||
		(st = sr_cadastre_prepare_with(all, nkept + np, o, sky, sr_cadastre_sky_prep(cb), &ca, err)) != SR_OK)
		goto done;
	/* the buildings skipped by the cadastre's rules: the existing ones are
	 * the same in both runs but those replaced, the project's are the
	 * difference (a skip is a row's own: the replaced rows' counted alone) */
	{
		int		   *s0 = im->skipped[0],
				   *s1 = im->skipped[1],
					sr[3] = {0, 0, 0};

		/* (counted row by row: until 2026-12-07 a whole cadastre of the
		 * replaced rows was prepared to count them) */
		if (nrep > 0 &&
			(st = sr_cadastre_rows_skipped(b, nb, repl, o, sr, err)) != SR_OK)
			goto done;
		sr_cadastre_skipped(cb, &s0[0], &s0[1], &s0[2]);
		sr_cadastre_skipped(ca, &s1[0], &s1[1], &s1[2]);
		for (int k = 0; k < 3; k++)
			s1[k] -= s0[k] - sr[k];
		/* a project without one obstacle changes nothing: a mistake, not
		 * an empty answer (a building whose faces are all walls still
		 * shades its neighbours; a row without geometry that links an
		 * object to its parent, which the counts leave out, is no obstacle
		 * either) */
		int			nlinks = 0;

		for (int i = 0; i < np; i++)
			if ((p[i].geom.npolys == 0 || p[i].geom.npts == 0) && p[i].object_id && p[i].parent_id)
				nlinks++;
		if (np > 0 && s1[0] + s1[1] + nlinks == np)
		{
			st = sr_error(err, SR_EINVAL, "every row of project_sql was skipped: %d without a height, %d with an empty geometry",
						  s1[0], s1[1] + nlinks);
			sr_error_detail(err, "A planned building needs a polygon and a height; a NULL or NaN height of a 2D footprint, and a NULL or empty geometry, leave it out.");
			sr_error_hint(err, "Give a \"height\" (2D footprints), \"roof_z_min\", or 3D geometries.");
			goto done;
		}
	}
	/* the project buildings' boxes (what is not on the ground: a footprint
	 * without height is no obstacle, as in the cadastre) */
	for (int i = 0; i < np; i++)
	{
		const sr_mpoly *g = &p[i].geom;
		double	   *bb = boxes + 4 * nbox;

		if (g->npts == 0)
			continue;
		bb[0] = bb[1] = INFINITY;
		bb[2] = bb[3] = -INFINITY;
		for (int k = 0; k < g->npts; k++)
		{
			bb[0] = fmin(bb[0], g->xyz[3 * k]);
			bb[1] = fmin(bb[1], g->xyz[3 * k + 1]);
			bb[2] = fmax(bb[2], g->xyz[3 * k]);
			bb[3] = fmax(bb[3], g->xyz[3 * k + 1]);
		}
		nbox++;
	}
	nfb = sr_cadastre_nfaces(cb);
	nfa = sr_cadastre_nfaces(ca);
	im->existing = nfb;
	nfk = 0;					/* "after"'s face of the next face kept */
	for (int i = 0; i < nfb; i++)
	{
		int			bi,
					n0,
					n1,
					ia,
					near = 0;
		double		x,
					y,
					reach;
		sr_impact_row row;

		if ((i & 255) == 0)
			sr_check_interrupts();
		sr_cadastre_face_where(cb, i, &bi, &x, &y, &reach);
		memset(&row, 0, sizeof(row));
		if (kept_at[bi] < 0)
		{
			/* a face of an object the project replaces: reported, whatever
			 * the radius, with nothing after */
			sr_cadastre_face(cb, i, &row.before);
			face_gone(&row.before, &row.after);
			row.replaced = 1;
			if (!push(im, &row))
			{
				st = sr_error(err, SR_ENOMEM, "out of memory");
				goto done;
			}
			continue;
		}
		ia = nfk++;
		{
			sr_face_info fb,
						fa;

			/* (a row's faces are its own: the same in both scenes) */
			sr_cadastre_face_info(cb, i, &fb);
			sr_cadastre_face_info(ca, ia, &fa);
			if (ia >= nfa || fa.b != kept_at[bi] || fa.poly != fb.poly)
			{
				st = sr_error(err, SR_EINTERNAL, "solar_impact: face %d of building %d has no face after the project", fb.poly + 1, bi);
				goto done;
			}
		}
		for (int k = 0; k < nbox && !near; k++)
			near = box_d2(boxes + 4 * k, x, y) <= (o->radius_m + reach) * (o->radius_m + reach);
		if (!near)
			continue;
		im->considered++;
		n0 = sr_cadastre_face_h(cb, i, &row.before, h0);
		n1 = sr_cadastre_face_h(ca, ia, &row.after, h1);
		row.after.building = row.before.building;	/* its row of b */
		/* every horizon it was computed under, not only its first
		 * viewpoints' (until 2026-12-07 a wall partly covered compared its
		 * largest exposed piece only) */
		if (n0 == n1 && memcmp(h0, h1, sizeof(float) * o->sectors * (size_t) n0) == 0 &&
			row.before.annual_kwh_m2 == row.after.annual_kwh_m2 &&
			row.before.area_m2 == row.after.area_m2 &&
			row.before.usable_area_m2 == row.after.usable_area_m2 &&
			(o->sampling != SR_SAMPLING_AREA ||
			 row.before.sunny_area_m2 == row.after.sunny_area_m2))
			continue;			/* its horizons (sampling area: any sample's)
								 * did not change, nor the part of a wall
								 * the project covers */
		if (!push(im, &row))
		{
			st = sr_error(err, SR_ENOMEM, "out of memory");
			goto done;
		}
	}
	/* the project's own faces, among everything */
	for (int i = nfk; i < nfa; i++)
	{
		sr_impact_row row;

		memset(&row, 0, sizeof(row));
		row.is_project = 1;
		sr_cadastre_face(ca, i, &row.after);
		row.after.building = row.after.building - nkept;
		if (!push(im, &row))
		{
			st = sr_error(err, SR_ENOMEM, "out of memory");
			goto done;
		}
	}
	*out = im;
	im = NULL;
	st = SR_OK;
done:
	/* (ca shares cb's prepared sky: freed before it) */
	sr_cadastre_free(ca);
	sr_cadastre_free(cb);
	sr_free(all);
	sr_free(boxes);
	sr_free(h0);
	sr_free(h1);
	sr_free(repl);
	sr_free(kept_at);
	sr_impact_free(im);
	return st;
}

int
sr_impact_nrows(const sr_impact *im)
{
	return im->n;
}

const sr_impact_row *
sr_impact_get(const sr_impact *im, int i)
{
	return &im->rows[i];
}

void
sr_impact_counts(const sr_impact *im, int *considered, int *existing_faces)
{
	*considered = im->considered;
	*existing_faces = im->existing;
}

int
sr_impact_project_below(const sr_building *b, int nb, const sr_building *p, int np,
						double *project_top, double *buildings_bottom)
{
	double		top = -INFINITY,
				bottom = INFINITY;
	unsigned char *repl = sr_alloc((size_t) nb + 1);
	sr_err		err;

	for (int i = 0; i < np; i++)
	{
		const sr_mpoly *g = &p[i].geom;
		double		t = -INFINITY;

		if (g->npts == 0)
			continue;
		if (g->has_z)
			for (int k = 0; k < g->npts; k++)
				t = fmax(t, g->xyz[3 * k + 2]);
		else if (isfinite(p[i].roof_z_min))
			t = p[i].roof_z_min;
		else if (isfinite(p[i].height))
			t = (isfinite(p[i].ground_z) ? p[i].ground_z : 0.0) + p[i].height;
		if (isfinite(p[i].roof_z_max))
			t = fmax(t, p[i].roof_z_max);
		top = fmax(top, t);
	}
	/* the buildings of the scene after: those the project replaces are not
	 * there (out of memory: all of them, this being only a warning's test) */
	sr_err_clear(&err);
	if (repl && sr_impact_match(b, nb, p, np, repl, NULL, NULL, 0, &err) != SR_OK)
	{
		sr_free(repl);
		repl = NULL;
	}
	for (int i = 0; i < nb; i++)
	{
		const sr_mpoly *g = &b[i].geom;

		if (g->npts == 0 || (repl && repl[i]))
			continue;
		if (g->has_z)
			for (int k = 0; k < g->npts; k++)
				bottom = fmin(bottom, g->xyz[3 * k + 2]);
		else
			bottom = fmin(bottom, isfinite(b[i].ground_z) ? b[i].ground_z : 0.0);
	}
	sr_free(repl);
	*project_top = top;
	*buildings_bottom = bottom;
	/* (no project row with a height, or no building: nothing to say here) */
	return isfinite(top) && isfinite(bottom) && top < bottom;
}

int
sr_impact_replaced(const sr_impact *im)
{
	return im->replaced;
}

int
sr_impact_unmatched(const sr_impact *im, const char **first, int nfirst)
{
	for (int k = 0; k < nfirst; k++)
		first[k] = k < SR_IMPACT_UNMATCHED_LISTED ? im->unmatched_first[k] : NULL;
	return im->unmatched;
}

void
sr_impact_skipped(const sr_impact *im, int project, int *no_height, int *empty, int *walls)
{
	const int  *s = im->skipped[project ? 1 : 0];

	*no_height = s[0];
	*empty = s[1];
	*walls = s[2];
}

void
sr_impact_free(sr_impact *im)
{
	if (!im)
		return;
	sr_free(im->rows);
	sr_free(im);
}
