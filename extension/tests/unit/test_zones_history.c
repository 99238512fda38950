/*
 * test_zones_history.c — a zone redrawn between two releases (zones_history.c,
 * docs/zones.md "Earlier contours"): the rule on one side of the difference,
 * and the zones withheld on hand-drawn scenes (the second red team's route 1).
 */
#include "sr_test.h"
#include "sr_zones.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct wbuf
{
	unsigned char b[128];
	size_t		n;
} wbuf;

static void
put_u32(wbuf *w, uint32_t v)
{
	memcpy(w->b + w->n, &v, 4);
	w->n += 4;
}

static void
put_f64(wbuf *w, double v)
{
	memcpy(w->b + w->n, &v, 8);
	w->n += 8;
}

/* axis-aligned rectangle as an EWKB polygon, SRID 2154 */
static void
rect(wbuf *w, double x0, double y0, double x1, double y1)
{
	const double xy[10] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};

	w->n = 0;
	w->b[w->n++] = 1;
	put_u32(w, 3u | 0x20000000u);
	put_u32(w, 2154);
	put_u32(w, 1);
	put_u32(w, 5);
	for (int i = 0; i < 10; i++)
		put_f64(w, xy[i]);
}

/* a self-crossing ring (invalid) */
static void
bowtie(wbuf *w)
{
	const double xy[10] = {0, 0, 10, 10, 10, 0, 0, 10, 0, 0};

	w->n = 0;
	w->b[w->n++] = 1;
	put_u32(w, 3u | 0x20000000u);
	put_u32(w, 2154);
	put_u32(w, 1);
	put_u32(w, 5);
	for (int i = 0; i < 10; i++)
		put_f64(w, xy[i]);
}

static void
point(wbuf *w, double x, double y)
{
	w->n = 0;
	w->b[w->n++] = 1;
	put_u32(w, 1u | 0x20000000u);
	put_u32(w, 2154);
	put_f64(w, x);
	put_f64(w, y);
}

#define T SR_ZONES_NSECTIONS
#define SEC_C 2					/* section C (manufacturing) */
#define SEC_G 6					/* section G (trade) */

/* one side as cells: n enterprises of one section, each of jobs[i] */
static void
cells_of(int sec, int n, const double *jobs, double *u, double *v, double *mx)
{
	memset(u, 0, (T + 1) * sizeof(double));
	memset(v, 0, (T + 1) * sizeof(double));
	memset(mx, 0, (T + 1) * sizeof(double));
	for (int i = 0; i < n; i++)
	{
		u[sec] += 1;
		u[T] += 1;
		v[sec] += jobs[i];
		v[T] += jobs[i];
		mx[sec] = fmax(mx[sec], jobs[i]);
		mx[T] = fmax(mx[T], jobs[i]);
	}
}

static void
test_rule(void)
{
	sr_secrecy_rules r;
	sr_err		err;
	double		u[T + 1],
				v[T + 1],
				mx[T + 1];
	bool		ok;

	sr_secrecy_default_rules(&r);
	sr_err_clear(&err);
	SR_CHECK(sr_zones_naf_section("25.62B") == SEC_C && sr_zones_naf_section("47.11F") == SEC_G,
			 "sections C and G are indexes 2 and 6");
	/* an empty side: nobody is given away */
	cells_of(SEC_C, 0, NULL, u, v, mx);
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 0, false, &r, &ok, &err) == SR_OK && ok,
			 "an empty difference is publishable");
	/* route 1: one factory (band 21, 74.5 jobs): 1 < 3 units */
	cells_of(SEC_C, 1, (const double[]) {74.5}, u, v, mx);
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 1, false, &r, &ok, &err) == SR_OK && !ok,
			 "one enterprise (the factory of route 1) is not publishable (min_units)");
	/* two enterprises: 2 < 3 */
	cells_of(SEC_G, 2, (const double[]) {14.5, 14.5}, u, v, mx);
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 2, false, &r, &ok, &err) == SR_OK && !ok,
			 "two enterprises are not publishable (min_units)");
	/* three shops of band 11: 3 units, largest 14.5 / 43.5 = 33 % <= 85 %;
	 * bands: 43.5 = 34.5 + 7.5 + 1.5 avoids 14.5, 14.5 x 3 avoids the others */
	cells_of(SEC_G, 3, (const double[]) {14.5, 14.5, 14.5}, u, v, mx);
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 3, false, &r, &ok, &err) == SR_OK && ok,
			 "three shops of 14.5 jobs are publishable");
	/* ... but not as fiscal data: 3 < 11 */
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 3, true, &r, &ok, &err) == SR_OK && !ok,
			 "three enterprises of fiscal data are not publishable (fiscal_min_units 11)");
	/* dominance: 74.5 of 74.5 + 1.5 + 1.5 = 77.5, 96 % > 85 % */
	cells_of(SEC_C, 3, (const double[]) {74.5, 1.5, 1.5}, u, v, mx);
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 3, false, &r, &ok, &err) == SR_OK && !ok,
			 "three enterprises, one over 85 % of the jobs, are not publishable (dominance)");
	/* bands: 4.5 jobs of 3 establishments are 1.5 x 3 and nothing else */
	cells_of(SEC_G, 3, (const double[]) {1.5, 1.5, 1.5}, u, v, mx);
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 3, false, &r, &ok, &err) == SR_OK && !ok,
			 "three establishments of 4.5 jobs give their bands away: not publishable");
	r.bands = false;
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 3, false, &r, &ok, &err) == SR_OK && ok,
			 "... publishable without the bands rule");
	r.bands = true;
	/* a cell failing while the total passes: C 1 enterprise beside G 3 */
	cells_of(SEC_G, 3, (const double[]) {14.5, 14.5, 14.5}, u, v, mx);
	u[SEC_C] = 1;
	v[SEC_C] = 14.5;
	mx[SEC_C] = 14.5;
	u[T] = 4;
	v[T] = 58;
	SR_CHECK(sr_zones_difference_publishable(u, v, mx, 4, false, &r, &ok, &err) == SR_OK && !ok,
			 "a cell of one enterprise fails the side even when its total passes");
}

/*
 * The scene of route 1 in miniature (x in metres, y 0-100): parcels P1
 * [0, 50], P2 [50, 100], P3 [100, 150], each its own land unit; three shops
 * (section G, band 11, three enterprises) on P1, nothing on P2, and on P3
 * either a factory (section C, band 21) or, variant, three more shops of
 * three enterprises.  The zone of the call is [0, 100]; its earlier contours:
 *   0: [0, 150]    held P3 too: the difference is P3's establishments
 *   1: [0, 50]     without P2, which has none: empty difference
 *   2: [0, 120]    P3 only 40 % inside, not settled there: empty difference
 *   3: [0, 100] x [0, 101]: the same units
 *   4: [100, 150]  P3 alone, touching the zone (the caller pairs only
 *                  overlapping contours; paired anyway, both sides differ)
 */
static void
test_scene(bool factory)
{
	wbuf		zw,
				pw[3],
				ew[6],
				cw[5];
	const unsigned char *zwkb[1],
			   *pwkb[3],
			   *ewkb[6],
			   *cwkb[5];
	size_t		zlen[1],
				plen[3],
				elen[6],
				clen[5];
	int64_t		zid[1] = {1},
				cid[5] = {1, 1, 1, 1, 7};
	const char *pid[3] = {"P1", "P2", "P3"};
	const char *siret[6] = {"11111111100011", "22222222200012", "33333333300013",
	"44444444400014", "55555555500015", "66666666600016"};
	const char *naf[6] = {"47.11F", "47.11F", "47.11F", "25.62B", "47.11F", "47.11F"};
	const char *band[6] = {"11", "11", "11", "21", "11", "11"};
	const char *naf3[6] = {"47.11F", "47.11F", "47.11F", "47.11F", "47.11F", "47.11F"};
	const char *band3[6] = {"11", "11", "11", "11", "11", "11"};
	int32_t		sd[6],
				ed[6];
	bool		cfe[6] = {true, true, true, true, true, true};
	double		ex[6] = {10, 20, 30, 120, 130, 140};
	sr_zones_data d;
	sr_zones_model m;
	sr_err		err;
	sr_secrecy_rules r;
	size_t		ne = factory ? 4 : 6;
	char		name[160];

	rect(&zw, 0, 0, 100, 100);
	zwkb[0] = zw.b;
	zlen[0] = zw.n;
	for (int i = 0; i < 3; i++)
	{
		rect(&pw[i], 50.0 * i, 0, 50.0 * i + 50, 100);
		pwkb[i] = pw[i].b;
		plen[i] = pw[i].n;
	}
	for (size_t i = 0; i < ne; i++)
	{
		point(&ew[i], ex[i], 50);
		ewkb[i] = ew[i].b;
		elen[i] = ew[i].n;
		sd[i] = sr_zones_days_from_civil(2015, 1, 1);
		ed[i] = SR_ZONES_NO_DATE;
	}
	rect(&cw[0], 0, 0, 150, 100);
	rect(&cw[1], 0, 0, 50, 100);
	rect(&cw[2], 0, 0, 120, 100);
	rect(&cw[3], 0, 0, 100, 101);
	rect(&cw[4], 100, 0, 150, 100);
	for (int i = 0; i < 5; i++)
	{
		cwkb[i] = cw[i].b;
		clen[i] = cw[i].n;
	}
	memset(&d, 0, sizeof(d));
	d.nzones = 1;
	d.zone_id = zid;
	d.zone_wkb = zwkb;
	d.zone_wkb_len = zlen;
	d.nparcels = 3;
	d.parcel_id = pid;
	d.parcel_wkb = pwkb;
	d.parcel_wkb_len = plen;
	d.nestabs = ne;
	d.siret = siret;
	d.estab_wkb = ewkb;
	d.estab_wkb_len = elen;
	d.naf = factory ? naf : naf3;
	d.band = factory ? band : band3;
	d.start_day = sd;
	d.end_day = ed;
	d.cfe_liable = cfe;
	sr_err_clear(&err);
	sr_secrecy_default_rules(&r);
	SR_CHECK(sr_zones_build(&d, &m, &err) == SR_OK, "scene: the model builds");

	/* units settled in each contour (units in input order: P1, P2, P3) */
	{
		size_t		start[6];
		int32_t    *units = NULL;

		SR_CHECK(sr_zones_contours_settled(&d, &m, 5, cwkb, clen, cid, start, &units, &err) == SR_OK,
				 "contours: settled units computed");
		SR_CHECK(start[1] - start[0] == 3 && units[0] == 0 && units[1] == 1 && units[2] == 2,
				 "contour [0, 150] settles P1, P2, P3");
		SR_CHECK(start[2] - start[1] == 1 && units[start[1]] == 0, "contour [0, 50] settles P1 alone");
		SR_CHECK(start[3] - start[2] == 2 && units[start[2]] == 0 && units[start[2] + 1] == 1,
				 "contour [0, 120] settles P1, P2, not P3 (40 % of it inside)");
		SR_CHECK(start[4] - start[3] == 2, "contour [0, 100] x [0, 101] settles P1, P2");
		SR_CHECK(start[5] - start[4] == 1 && units[start[4]] == 2, "contour [100, 150] settles P3 alone");
		SR_CHECK(m.geos == NULL, "contours: the GEOS state is released");
		free(units);
	}

	for (int c = 0; c < 5; c++)
	{
		int32_t		pz = 0,
					pc = c;
		bool		w = true;
		/* want: P3's establishments are the difference of contours 0 and 4
		 * (contour 4: P1, P2 on one side, P3 on the other); a factory alone
		 * fails, three shops of three enterprises pass; contours 1, 2, 3
		 * move no establishment */
		bool		want = (c == 0 || c == 4) && factory;

		if (c == 4 && !factory)
			want = false;		/* both sides three shops of 14.5: pass */
		SR_CHECK(sr_zones_history_withheld(&d, &m, sr_zones_days_from_civil(2024, 6, 30), false, &r, 5, cwkb, clen,
										   cid, 1, &pz, &pc, NULL, &w, &err) == SR_OK,
				 "history: computed");
		snprintf(name, sizeof(name), "%s: earlier contour %d %s the zone", factory ? "factory" : "three shops", c,
				 want ? "withholds" : "does not withhold");
		SR_CHECK(w == want, name);
	}
	/* fiscal: three shops are under 11 enterprises */
	if (!factory)
	{
		int32_t		pz = 0,
					pc = 0;
		bool		w = false;

		SR_CHECK(sr_zones_history_withheld(&d, &m, sr_zones_days_from_civil(2024, 6, 30), true, &r, 5, cwkb, clen,
										   cid, 1, &pz, &pc, NULL, &w, &err) == SR_OK && w,
				 "three shops, fiscal: earlier contour 0 withholds the zone (3 < 11 enterprises)");
	}
	/* another territory's contour (pair_always): contour 1 moves no
	 * establishment, yet withholds the zone; the same pair not flagged does
	 * not (above) */
	{
		int32_t		pz = 0,
					pc = 1;
		bool		always = true,
					w = false;

		SR_CHECK(sr_zones_history_withheld(&d, &m, sr_zones_days_from_civil(2024, 6, 30), false, &r, 5, cwkb, clen,
										   cid, 1, &pz, &pc, &always, &w, &err) == SR_OK && w,
				 factory ? "factory: another territory's contour moving nothing withholds the zone"
				 : "three shops: another territory's contour moving nothing withholds the zone");
		always = false;
		SR_CHECK(sr_zones_history_withheld(&d, &m, sr_zones_days_from_civil(2024, 6, 30), false, &r, 5, cwkb, clen,
										   cid, 1, &pz, &pc, &always, &w, &err) == SR_OK && !w,
				 factory ? "factory: the same contour not flagged does not withhold it"
				 : "three shops: the same contour not flagged does not withhold it");
	}
	/* before the shops opened (2014): nobody active, nothing withheld */
	{
		int32_t		pz = 0,
					pc = 0;
		bool		w = true;

		SR_CHECK(sr_zones_history_withheld(&d, &m, sr_zones_days_from_civil(2014, 6, 30), false, &r, 5, cwkb, clen,
										   cid, 1, &pz, &pc, NULL, &w, &err) == SR_OK && !w,
				 "no establishment active on the date: nothing withheld");
	}
	/* no pair: nothing withheld */
	{
		bool		w = true;

		SR_CHECK(sr_zones_history_withheld(&d, &m, sr_zones_days_from_civil(2024, 6, 30), false, &r, 0, NULL, NULL,
										   NULL, 0, NULL, NULL, NULL, &w, &err) == SR_OK && !w,
				 "no earlier contour: nothing withheld");
	}
	/* an invalid contour, and a pair naming no contour, are errors */
	{
		wbuf		bw;
		const unsigned char *bwkb[1];
		size_t		blen[1],
					start[2];
		int32_t    *units = NULL;
		int32_t		pz = 0,
					pc = 5;
		bool		w;

		bowtie(&bw);
		bwkb[0] = bw.b;
		blen[0] = bw.n;
		SR_CHECK(sr_zones_contours_settled(&d, &m, 1, bwkb, blen, cid, start, &units, &err) == SR_EGEOM &&
				 strstr(err.msg, "earlier contour of zone 1 has an invalid geometry") != NULL && m.geos == NULL,
				 "an invalid earlier contour is SR_EGEOM, GEOS released");
		SR_CHECK(sr_zones_history_withheld(&d, &m, sr_zones_days_from_civil(2024, 6, 30), false, &r, 5, cwkb, clen,
										   cid, 1, &pz, &pc, NULL, &w, &err) == SR_EINVAL,
				 "a pair naming no contour is SR_EINVAL");
	}
	sr_zones_model_free(&m);
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_rule();
	test_scene(true);
	test_scene(false);
	return SR_TEST_END();
}
