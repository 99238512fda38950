/*
 * Unit tests of roofs resolved over their area (cadastre_sample.c, issue 18)
 * against values that do not come from the sampler:
 * - analytic scenes: a flat roof half in the shadow of a long wall (one
 *   sun: the shaded half by hand; a uniform sky: the wall's view factor
 *   (1 + cos b) / 2 integrated over the roof by hand), a courtyard (one
 *   sun from the south-east: the lit square by hand);
 * - the terrain and the trees as docs/cadastre.md says they act on the
 *   samples;
 * - a brute-force reference on real Lyon 1er roofs (data/buildings,
 *   extracted by scripts/roofarea-fixture.py): a dense grid, every sample's
 *   skyline cast at 0.25 deg against every obstacle edge within the radius
 *   (no lower bounds, no candidate lists, no shared work), its own
 *   integration of the same sky (every sun, every patch in 0.25 deg
 *   slices).
 */
#include "sr_cadastre.h"
#include "sr_terrain.h"
#include "sr_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------- scenes ---------- */

typedef struct scene
{
	int			n, cap;
	sr_building *b;
} scene;

/* a 2D footprint of nr rings (pts[r] points each, closed) */
static void
add_building(scene *sc, int64_t id, double height, int nr, const int *npts, const double *xy)
{
	sr_building *b;
	sr_mpoly   *g;
	int			np = 0, q = 0;

	if (sc->n == sc->cap)
	{
		sc->cap = sc->cap ? 2 * sc->cap : 16;
		sc->b = realloc(sc->b, sizeof(sr_building) * sc->cap);
	}
	b = &sc->b[sc->n++];
	memset(b, 0, sizeof(*b));
	b->id = id;
	b->height = height;
	b->ground_z = 0.0;
	b->roof_z_max = b->roof_z_min = NAN;
	g = &b->geom;
	for (int r = 0; r < nr; r++)
		np += npts[r];
	g->npolys = 1;
	g->nrings = nr;
	g->npts = np;
	g->poly_ring_start = malloc(sizeof(int) * 2);
	g->poly_ring_start[0] = 0;
	g->poly_ring_start[1] = nr;
	g->ring_pt_start = malloc(sizeof(int) * (nr + 1));
	g->xyz = malloc(sizeof(double) * 3 * np);
	for (int r = 0; r < nr; r++)
	{
		g->ring_pt_start[r] = q;
		for (int k = 0; k < npts[r]; k++, q++)
		{
			g->xyz[3 * q] = xy[2 * q];
			g->xyz[3 * q + 1] = xy[2 * q + 1];
			g->xyz[3 * q + 2] = 0.0;
		}
	}
	g->ring_pt_start[nr] = q;
}

static void
add_rect(scene *sc, int64_t id, double height, double x0, double y0, double x1, double y1)
{
	double		xy[10] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
	int			n = 5;

	add_building(sc, id, height, 1, &n, xy);
}

static void
scene_free(scene *sc)
{
	for (int i = 0; i < sc->n; i++)
	{
		free(sc->b[i].geom.poly_ring_start);
		free(sc->b[i].geom.ring_pt_start);
		free(sc->b[i].geom.xyz);
	}
	free(sc->b);
	memset(sc, 0, sizeof(*sc));
}

/* ---------- skies ---------- */

/* A version-2 sky of n suns (az, el deg; beam energy en Wh/m2 in June) and
 * a uniform diffuse radiance L (Wh/m2/sr) in June. */
static sr_sky_hdr *
make_sky(int n, const double *az, const double *el, const double *en, double L)
{
	sr_sky_hdr *s = calloc(1, sr_sky_size(n));
	float	   *rad;

	s->version = 2;
	s->mf = SR_SKY_MF;
	s->n_sun = n;
	s->n_rec = s->n_day = n;
	s->n_patch = SR_SKY_NPATCH;
	s->lat = 45.76;
	s->lon = 4.83;
	rad = (float *) sr_sky_rad(s);
	for (int q = 0; q < SR_SKY_NPATCH; q++)
		rad[5 * SR_SKY_NPATCH + q] = (float) L;
	for (int i = 0; i < n; i++)
	{
		((double *) sr_sky_az(s))[i] = az[i];
		((double *) sr_sky_el(s))[i] = el[i];
		((double *) sr_sky_en(s))[i] = en[i];
		((uint8_t *) sr_sky_month(s))[i] = 5;
	}
	return s;
}

static void
test_opts(sr_cadastre_opts *o)
{
	sr_cadastre_opts_default(o);
	o->albedo = 0.0;
	o->setback_m = 0.0;
	o->min_usable_area_m2 = 0.0;
	o->pv_model = SR_CADASTRE_PV_RATIO;
	o->flat_module_tilt = 0.0;	/* the PV plane of a flat roof: the roof */
	o->class_thresholds[0] = 0.1;	/* kWh/m2: sunny = lit at all */
	o->class_thresholds[1] = 0.2;
	o->class_thresholds[2] = 0.3;
	o->sunny_class = 1;
}

/* The result of the face of building id (its first face). */
static int
face_of(const scene *sc, const sr_cadastre_opts *o, const sr_sky_hdr *sky, int64_t id,
		sr_face_result *r)
{
	sr_cadastre *c;
	sr_err		err;
	int			found = 0;

	sr_err_clear(&err);
	if (sr_cadastre_prepare(sc->b, sc->n, o, sky, &c, &err) != SR_OK)
	{
		printf("# prepare: %s\n", err.msg);
		return 0;
	}
	for (int i = 0; i < sr_cadastre_nfaces(c) && !found; i++)
	{
		sr_cadastre_face(c, i, r);
		found = r->building_id == id;
	}
	sr_cadastre_free(c);
	return found;
}

/* ---------- a roof half in the shadow of a long wall ---------- */

/*
 * A flat roof 20 m (east-west) by 10 m at z = 10, from 5 to 15 m north of
 * a 4 km long wall 10 m higher (z = 20).  One sun due south at 45 deg
 * casts the wall's shadow 10 m deep: the roof's southern half (5 to 10 m)
 * is in the shade, the northern half in the sun: mean irradiation
 * E sin 45 / 2, sunny area 100 m2.  Under a uniform sky of radiance L, a
 * point d m from an infinitely long wall rising H above it sees the sky
 * with the view factor (1 + cos b) / 2, b = atan(H / d); over the roof,
 * (1 / 10) int_5^15 (1 + d / sqrt(d^2 + H^2)) / 2 dd
 * = (1 + (sqrt(325) - sqrt(125)) / 10) / 2.
 */
static void
test_long_wall(void)
{
	scene		sc = {0};
	sr_cadastre_opts o;
	sr_face_result r;
	double		az = 180, el = 45, en = 1000;
	sr_sky_hdr *sun = make_sky(1, &az, &el, &en, 0.0);
	sr_sky_hdr *uni = make_sky(0, NULL, NULL, NULL, 100.0);
	double		want_u = 100.0 * SR_PI * (1 + (sqrt(325.0) - sqrt(125.0)) / 10) / 2 / 1000.0;

	add_rect(&sc, 1, 10.0, 0, 0, 20, 10);
	add_rect(&sc, 2, 20.0, -1990, -5.5, 2010, -5.0);
	test_opts(&o);
	o.radius_m = 5000;
	SR_CHECK(face_of(&sc, &o, sun, 1, &r), "long wall: the roof is a face");
	SR_CHECK_CLOSE(r.annual_kwh_m2, 1000 * sin(SR_PI / 4) / 2 / 1000.0, 1e-6,
				   "long wall, one sun at 45 deg: half the roof lit (E sin 45 / 2)");
	SR_CHECK_CLOSE(r.sunny_area_m2, 100.0, 1e-9, "long wall, one sun: sunny area 100 m2 (by hand)");
	SR_CHECK(r.samples == 200, "long wall: 200 samples at 1 m");
	SR_CHECK_CLOSE(r.p10_kwh_m2, 0.0, 1e-9, "long wall: p10 in the shade");
	SR_CHECK_CLOSE(r.p90_kwh_m2, 1000 * sin(SR_PI / 4) / 1000.0, 1e-6, "long wall: p90 in the sun");
	/* samples that do not fall on the shadow's edge */
	o.spacing_m = 0.3;
	SR_CHECK(face_of(&sc, &o, sun, 1, &r), "long wall, 0.3 m spacing: computed");
	SR_CHECK(fabs(r.sunny_area_m2 / 100.0 - 1) < 0.02, "long wall, 0.3 m spacing: sunny area within 2 % of 100 m2");
	SR_CHECK(fabs(r.annual_kwh_m2 / (1000 * sin(SR_PI / 4) / 2 / 1000.0) - 1) < 0.01,
			 "long wall, 0.3 m spacing: mean within 1 % of E sin 45 / 2");
	o.spacing_m = 1.0;
	SR_CHECK(face_of(&sc, &o, uni, 1, &r), "long wall, uniform sky: computed");
	printf("# long wall, uniform sky: %.6f kWh/m2, by hand %.6f\n", r.annual_kwh_m2, want_u);
	SR_CHECK(fabs(r.annual_kwh_m2 / want_u - 1) < 0.002,
			 "long wall, uniform sky: the view factor integrated by hand (0.2 %)");
	/* the point mode at the centre (d = 10) is not the area's mean */
	o.sampling = SR_SAMPLING_POINT;
	SR_CHECK(face_of(&sc, &o, uni, 1, &r), "long wall, point mode: computed");
	SR_CHECK(isnan(r.sunny_area_m2) && r.samples == 1, "point mode: no sunny area, one sample");
	SR_CHECK(fabs(r.annual_kwh_m2 / (100.0 * SR_PI * (1 + 10 / sqrt(200.0)) / 2 / 1000.0) - 1) < 0.01,
			 "point mode: the view factor at the centre (1 %, 5 deg sectors)");
	free(sun);
	free(uni);
	scene_free(&sc);
}

/* ---------- a courtyard ---------- */

/*
 * A 10 x 10 m flat roof (z = 3) filling the courtyard of a 30 x 30 m ring
 * building 5 m higher (z = 8).  One sun from the south-east (135 deg) at
 * 45 deg: a point (x, y) of the roof (origin at its south-west corner) is
 * lit when its ray to the sun, going towards +x and -y, leaves the yard
 * above the walls: min(10 - x, y) / cos 45 > 5 / tan 45, so the lit part
 * is the square x < 10 - 5 cos 45, y > 5 cos 45: (10 - 3.5355)^2 m2.
 */
static void
test_courtyard(void)
{
	scene		sc = {0};
	sr_cadastre_opts o;
	sr_face_result r;
	double		az = 135, el = 45, en = 1000;
	sr_sky_hdr *sun = make_sky(1, &az, &el, &en, 0.0);
	double		lit = pow(10 - 5 * cos(SR_PI / 4), 2);
	double		ring[20] = {-10, -10, 20, -10, 20, 20, -10, 20, -10, -10,
	0, 0, 0, 10, 10, 10, 10, 0, 0, 0};
	int			np[2] = {5, 5};

	add_building(&sc, 3, 8.0, 2, np, ring);
	add_rect(&sc, 4, 3.0, 0, 0, 10, 10);
	test_opts(&o);
	/* the cells crossing the shadow's two edges are all lit or all shaded:
	 * up to 2 x 6.5 m x spacing / 2 of error, 1.6 % at 0.25 m */
	o.spacing_m = 0.25;
	SR_CHECK(face_of(&sc, &o, sun, 4, &r), "courtyard: the yard's roof is a face");
	printf("# courtyard: sunny %.3f m2, by hand %.3f\n", r.sunny_area_m2, lit);
	SR_CHECK(fabs(r.sunny_area_m2 / lit - 1) < 0.02, "courtyard, sun from the south-east: lit area by hand (2 %)");
	SR_CHECK(fabs(r.annual_kwh_m2 / (1000 * sin(SR_PI / 4) * lit / 100 / 1000.0) - 1) < 0.02,
			 "courtyard: mean irradiation = E sin 45 x lit share (2 %)");
	SR_CHECK(fabs(r.annual_kwh_m2 / (1000 * sin(SR_PI / 4) * r.sunny_area_m2 / 100 / 1000.0) - 1) < 1e-6,
			 "courtyard: mean irradiation = E sin 45 x sunny share (the same samples)");
	free(sun);
	scene_free(&sc);
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_long_wall();
	test_courtyard();
	return SR_TEST_END();
}
