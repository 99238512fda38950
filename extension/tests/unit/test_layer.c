/*
 * Unit tests of the core's shared pieces: the one (E)WKB reader and writer
 * (geom_wkb.c), option specs (options.c), the fork/join (parallel.c), the
 * sky's portable wire form (cadastre_sky_wire.c), the obstacle rules shared
 * by horizon_at and solar_cadastre and the sky-site check (cadastre_run.c).
 */
#include "sr_cadastre.h"
#include "sr_geom.h"
#include "sr_options.h"
#include "sr_parallel.h"
#include "sr_test.h"

#include <stdlib.h>
#include <string.h>

/* ---- (E)WKB ------------------------------------------------------------------------ */

/* A big-endian ISO WKB PolygonZ (type 1003), written byte by byte. */
static size_t
be_polygon_z(uint8_t *b)
{
	static const double pts[5][3] = {{0, 0, 1}, {4, 0, 1}, {4, 3, 1}, {0, 3, 1}, {0, 0, 1}};
	size_t		o = 0;

	b[o++] = 0;					/* big endian */
	b[o++] = 0; b[o++] = 0; b[o++] = 0x03; b[o++] = 0xEB;	/* 1003 */
	b[o++] = 0; b[o++] = 0; b[o++] = 0; b[o++] = 1;	/* one ring */
	b[o++] = 0; b[o++] = 0; b[o++] = 0; b[o++] = 5;	/* five points */
	for (int i = 0; i < 5; i++)
		for (int k = 0; k < 3; k++)
		{
			uint8_t		le[8];

			memcpy(le, &pts[i][k], 8);
			for (int j = 0; j < 8; j++)
				b[o++] = le[7 - j];
		}
	return o;
}

static void
test_wkb(void)
{
	uint8_t		be[128];
	size_t		n = be_polygon_z(be),
				len;
	sr_mpoly	m,
				m2;
	sr_err		err;
	uint8_t    *w;
	sr_wkb_header h;
	double		x, y, z;
	int			hz;

	sr_err_clear(&err);
	SR_CHECK(sr_wkb_read_mpoly(be, n, &m, &err) == SR_OK, "wkb: big-endian ISO PolygonZ reads");
	SR_CHECK(m.npolys == 1 && m.nrings == 1 && m.npts == 5 && m.has_z && m.srid == 0,
			 "wkb: one polygon, one ring, five 3D points, no SRID");
	SR_CHECK_CLOSE(sr_ring_signed_area(&m, 0), 12.0, 1e-12, "wkb: ring area 4 x 3, counter-clockwise");
	SR_CHECK(m.xyz[3 * 2] == 4 && m.xyz[3 * 2 + 1] == 3 && m.xyz[3 * 2 + 2] == 1, "wkb: coordinates swapped right");

	/* written back as EWKB with an SRID, read again: the same polygon */
	w = sr_wkb_write_polygon(&m, 0, 2154, &len);
	SR_CHECK(w != NULL && w[0] == 1, "wkb: written little-endian");
	SR_CHECK(sr_wkb_read_header(w, len, &h, &err) == SR_OK && h.type == SR_WKB_POLYGON &&
			 h.has_z && !h.has_m && h.srid == 2154, "wkb: EWKB header carries Z and the SRID");
	SR_CHECK(sr_wkb_read_mpoly(w, len, &m2, &err) == SR_OK && m2.npts == 5 && m2.srid == 2154 &&
			 memcmp(m2.xyz, m.xyz, sizeof(double) * 15) == 0, "wkb: round trip is exact");
	sr_free(w);
	sr_mpoly_free(&m2);

	/* appending several values: PolyhedralSurface members are polygons */
	{
		/* a PolyhedralSurfaceZ (15 + Z flag) of two copies of the polygon, little-endian EWKB */
		uint8_t		ps[512];
		size_t		o = 0,
					plen;
		uint32_t	t = 15 | 0x80000000u,
					two = 2;
		uint8_t    *poly = sr_wkb_write_polygon(&m, 0, 0, &plen);

		ps[o++] = 1;
		memcpy(ps + o, &t, 4);
		o += 4;
		memcpy(ps + o, &two, 4);
		o += 4;
		memcpy(ps + o, poly, plen);
		o += plen;
		memcpy(ps + o, poly, plen);
		o += plen;
		sr_free(poly);
		sr_mpoly_init(&m2);
		SR_CHECK(sr_wkb_append_mpoly(ps, o, &m2, &err) == SR_OK && m2.npolys == 2 && m2.npts == 10,
				 "wkb: PolyhedralSurface gives its two polygons");
		SR_CHECK(sr_wkb_append_mpoly(be, n, &m2, &err) == SR_OK && m2.npolys == 3 && m2.npts == 15,
				 "wkb: appending a third value");
		SR_CHECK(sr_wkb_append_mpoly(be, n - 9, &m2, &err) == SR_EGEOM && m2.npolys == 3 && m2.npts == 15,
				 "wkb: a truncated value is refused and adds nothing");
		sr_mpoly_free(&m2);
	}

	/* points, and what is not a polygon */
	w = sr_wkb_write_point(1.5, -2.5, 7, 1, 4326, &len);
	SR_CHECK(sr_wkb_read_point(w, len, &x, &y, &z, &hz, &err) == SR_OK && x == 1.5 && y == -2.5 &&
			 z == 7 && hz == 1, "wkb: PointZ round trip");
	SR_CHECK(sr_wkb_read_mpoly(w, len, &m2, &err) == SR_EGEOM &&
			 strstr(err.msg, "not a polygon") != NULL, "wkb: a point is not a polygon");
	sr_free(w);
	SR_CHECK(sr_wkb_read_point(be, n, &x, &y, &z, &hz, &err) == SR_EGEOM, "wkb: a polygon is not a point");
	SR_CHECK(sr_wkb_read_point_raw(be, n, &x, &y, &z, &hz, &err) == SR_EGEOM, "wkb raw: a polygon is not a point");
	/* an empty point (or POINT(NaN NaN)) is NaN NaN in WKB: the raw reader
	 * gives it as it is, the checked one refuses it */
	w = sr_wkb_write_point(NAN, NAN, 0, 0, 4326, &len);
	SR_CHECK(sr_wkb_read_point_raw(w, len, &x, &y, &z, &hz, &err) == SR_OK && isnan(x) && isnan(y),
			 "wkb raw: NaN NaN read as it is");
	SR_CHECK(sr_wkb_read_point(w, len, &x, &y, &z, &hz, &err) == SR_EGEOM &&
			 strstr(err.msg, "empty") != NULL, "wkb: NaN NaN is an empty point");
	sr_free(w);
	w = sr_wkb_write_point(INFINITY, 45, 0, 0, 2154, &len);
	SR_CHECK(sr_wkb_read_point_raw(w, len, &x, &y, &z, &hz, &err) == SR_OK && isinf(x) && y == 45,
			 "wkb raw: an infinite x read as it is");
	SR_CHECK(sr_wkb_read_point(w, len, &x, &y, &z, &hz, &err) == SR_EGEOM &&
			 strstr(err.msg, "non-finite") != NULL, "wkb: an infinite x refused");
	sr_free(w);
	SR_CHECK(sr_wkb_read_mpoly(NULL, 0, &m2, &err) == SR_EGEOM, "wkb: no bytes");
	be[13] = 0x7F;				/* x of the first point (after the 5-byte header and */
	be[14] = 0xF0;				/* two counts), big-endian: +infinity */
	memset(be + 15, 0, 6);
	SR_CHECK(sr_wkb_read_mpoly(be, n, &m2, &err) == SR_EGEOM &&
			 strstr(err.msg, "non-finite") != NULL, "wkb: a non-finite coordinate is refused");
	sr_mpoly_free(&m);

	SR_CHECK_CLOSE(sr_haversine_km(48.8566, 2.3522, 45.7640, 4.8357), 391.5, 1.0,
				   "haversine: Paris - Lyon about 391.5 km");
}

/* ---- option specs -------------------------------------------------------------------- */

typedef struct topts
{
	double		r;
	int			n;
	bool		b;
	int			c;
	char		s[SR_OPT_STRLEN];
	double		a[3];
	unsigned	m;
} topts;

static const char *const colours[] = {"red", "green", "blue", NULL};
static const double def3[3] = {1, 2, 3};
static const sr_optspec tspecs[] = {
	{"radius", SR_OPT_NUMBER, offsetof(topts, r), 1, 10, 5, .unit = "m", .meaning = "a radius"},
	{"count", SR_OPT_INT, offsetof(topts, n), 0, 100, 7, .meaning = "a count"},
	{"flag", SR_OPT_BOOL, offsetof(topts, b), .def = 1, .meaning = "a flag"},
	{"colour", SR_OPT_CHOICE, offsetof(topts, c), .def = 2, .choices = colours, .meaning = "a colour"},
	{"label", SR_OPT_STRING, offsetof(topts, s), .def_string = "x", .flags = SR_OPTF_NONULL, .meaning = "a label"},
	{"steps", SR_OPT_NUMBERS, offsetof(topts, a), 0, 10, 0, def3, .n = 3, .flags = SR_OPTF_ASCENDING,
	 .meaning = "three steps"},
	{"palette", SR_OPT_CHOICES, offsetof(topts, m), .choices = colours, .meaning = "colours"},
};
static const sr_optset tset = {"test_fn", "option", tspecs, 7};

static void
test_options(void)
{
	topts		o;
	sr_err		err;
	const sr_optspec *s;
	char		type[128],
				range[64],
				def[128];
	const char *two[] = {"red", "blue"};
	const char *bad[] = {"red", "pink"};
	double		up[3] = {1, 5, 9},
				down[3] = {9, 5, 1};

	sr_options_defaults(&tset, &o);
	SR_CHECK(o.r == 5 && o.n == 7 && o.b && o.c == 2 && strcmp(o.s, "x") == 0 &&
			 o.a[0] == 1 && o.a[2] == 3 && o.m == 7, "options: every default from the specs");
	sr_err_clear(&err);
	SR_CHECK(sr_option_find(&tset, "nope") == NULL, "options: unknown name not found");
	SR_CHECK(sr_option_unknown(&tset, "nope", &err) == SR_EINVAL &&
			 strcmp(err.msg, "unrecognized option \"nope\"") == 0 &&
			 strcmp(err.hint, "Accepted options: radius, count, flag, colour, label, steps and palette.") == 0,
			 "options: unknown name lists the accepted ones");
	s = sr_option_find(&tset, "radius");
	SR_CHECK(sr_option_set_number(&tset, s, &o, 2.5, &err) == SR_OK && o.r == 2.5, "options: number stored");
	SR_CHECK(sr_option_set_number(&tset, s, &o, 11, &err) == SR_ERANGE &&
			 strcmp(err.msg, "option \"radius\" is out of range: 11") == 0 &&
			 strcmp(err.detail, "The accepted range is [1, 10] m.") == 0 && o.r == 2.5,
			 "options: out of range is 22003 with the range, value unchanged");
	SR_CHECK(sr_option_set_number(&tset, s, &o, NAN, &err) == SR_ERANGE, "options: NaN out of range");
	SR_CHECK(sr_option_set_bool(&tset, s, &o, true, &err) == SR_EINVAL &&
			 strcmp(err.msg, "option \"radius\" must be a number") == 0, "options: wrong kind named");
	s = sr_option_find(&tset, "count");
	SR_CHECK(sr_option_set_number(&tset, s, &o, 3.5, &err) == SR_EINVAL &&
			 strcmp(err.msg, "option \"count\" must be an integer") == 0, "options: integer wanted");
	SR_CHECK(sr_option_set_number(&tset, s, &o, 42, &err) == SR_OK && o.n == 42, "options: integer stored");
	s = sr_option_find(&tset, "colour");
	SR_CHECK(sr_option_set_string(&tset, s, &o, "red", &err) == SR_OK && o.c == 0, "options: choice stored as index");
	SR_CHECK(sr_option_set_string(&tset, s, &o, "pink", &err) == SR_EINVAL &&
			 strcmp(err.msg, "invalid value \"pink\" for option \"colour\"") == 0 &&
			 strcmp(err.hint, "Accepted values: red, green and blue.") == 0, "options: bad choice lists the values");
	s = sr_option_find(&tset, "label");
	SR_CHECK(sr_option_set_string(&tset, s, &o, "hello", &err) == SR_OK && strcmp(o.s, "hello") == 0,
			 "options: string stored");
	/* a JSON null: the default for most options, 22004 naming the option for SR_OPTF_NONULL
	 * (the hub, territory filters: docs/options.md); the value stays as it was */
	SR_CHECK(sr_option_set_null(&tset, s, &err) == SR_ENULL &&
			 strcmp(err.msg, "option \"label\" cannot be null") == 0 &&
			 strcmp(err.detail, "A JSON null would silently mean the option's default (\"x\") where a value was probably meant.") == 0 &&
			 strcmp(o.s, "hello") == 0, "options: a null refused where the spec says so (22004), value unchanged");
	sr_err_clear(&err);
	SR_CHECK(sr_option_set_null(&tset, sr_option_find(&tset, "radius"), &err) == SR_OK && err.msg[0] == '\0',
			 "options: a null is the default elsewhere");
	s = sr_option_find(&tset, "steps");
	SR_CHECK(sr_option_set_numbers(&tset, s, &o, up, 3, &err) == SR_OK && o.a[1] == 5, "options: array stored");
	SR_CHECK(sr_option_set_numbers(&tset, s, &o, down, 3, &err) == SR_EINVAL, "options: ascending order enforced");
	SR_CHECK(sr_option_set_numbers(&tset, s, &o, up, 2, &err) == SR_EINVAL &&
			 strcmp(err.msg, "option \"steps\" must be an array of 3 numbers") == 0, "options: array length enforced");
	s = sr_option_find(&tset, "palette");
	SR_CHECK(sr_option_set_choices(&tset, s, &o, two, 2, &err) == SR_OK && o.m == 5, "options: choices as a mask");
	SR_CHECK(sr_option_set_choices(&tset, s, &o, bad, 2, &err) == SR_EINVAL && o.m == 5, "options: bad member refused");
	SR_CHECK(sr_option_set_choices(&tset, s, &o, two, 0, &err) == SR_EINVAL, "options: empty choice list refused");

	/* the docs' description comes from the same spec */
	sr_option_describe(sr_option_find(&tset, "radius"), type, sizeof(type), range, sizeof(range), def, sizeof(def));
	SR_CHECK(strcmp(type, "number") == 0 && strcmp(range, "[1, 10]") == 0 && strcmp(def, "5") == 0,
			 "options: described as the docs show it");
	sr_option_describe(sr_option_find(&tset, "steps"), type, sizeof(type), range, sizeof(range), def, sizeof(def));
	SR_CHECK(strcmp(type, "array of 3 numbers, ascending") == 0 && strcmp(def, "[1, 2, 3]") == 0,
			 "options: an array's description");
	sr_option_describe(sr_option_find(&tset, "colour"), type, sizeof(type), range, sizeof(range), def, sizeof(def));
	SR_CHECK(strcmp(type, "one of: red, green, blue") == 0 && strcmp(def, "\"blue\"") == 0,
			 "options: a choice's description");

	/* the registry: every set found by its function, every spec explained and in range */
	{
		int			sets = 0,
					bad_spec = 0,
					hubs = 0,
					hub_null_ok = 0;

		for (int i = 0; sr_all_optsets[i]; i++, sets++)
		{
			const sr_optset *set = sr_all_optsets[i];

			if (sr_optset_find(set->function) != set)
				bad_spec++;
			for (int k = 0; k < set->n; k++)
			{
				const sr_optspec *q = &set->specs[k];

				if (!q->meaning || !q->meaning[0])
					bad_spec++;
				if ((q->type == SR_OPT_NUMBER || q->type == SR_OPT_INT) &&
					!(q->flags & SR_OPTF_NODEFAULT) && !(q->def >= q->min && q->def <= q->max))
					bad_spec++;
				/* an option naming the hub never takes a null as its default */
				if (strcmp(q->name, "hub") == 0 && ++hubs && !(q->flags & SR_OPTF_NONULL))
					hub_null_ok++;
			}
		}
		SR_CHECK(sets >= 10 && bad_spec == 0, "options: every registered spec has a meaning and a default in range");
		/* 12 sets take a hub: the six maturity scorers, trend, movers, radar, report,
		 * tl_propose, thd_rollout (docs/options.md) */
		SR_CHECK(hubs == 12 && hub_null_ok == 0, "options: every \"hub\" option refuses a JSON null");
	}
}

/* ---- fork/join ------------------------------------------------------------------------- */

typedef struct pjob
{
	int			calls[SR_MAX_THREADS];
	int			n_seen;
	long		sum[SR_MAX_THREADS];
} pjob;

static void
pwork(void *arg, int t, int n)
{
	pjob	   *j = arg;

	j->calls[t]++;
	if (t == 0)
		j->n_seen = n;			/* (one writer: the others see the same n) */
	/* thread t sums 1..1000000 with stride n starting at t + 1 */
	for (long i = t + 1; i <= 1000000; i += n)
		j->sum[t] += i;
}

static void
test_parallel(void)
{
	for (int n = 1; n <= 4; n++)
	{
		pjob		j;
		long		total = 0;
		int			once = 1;
		int			used;

		memset(&j, 0, sizeof(j));
		used = sr_parallel_run(n, pwork, &j);
		for (int t = 0; t < used; t++)
		{
			total += j.sum[t];
			once = once && j.calls[t] == 1;
		}
		SR_CHECK(used == n && j.n_seen == n && once, n == 1 ? "parallel: 1 thread, called once" :
				 n == 2 ? "parallel: 2 threads, each called once" :
				 n == 3 ? "parallel: 3 threads, each called once" : "parallel: 4 threads, each called once");
		SR_CHECK(total == 500000500000L, "parallel: the shares add up to the whole sum");
	}
	SR_CHECK(sr_parallel_threads(0, 10) == 1 && sr_parallel_threads(-1, 10) == 1 &&
			 sr_parallel_threads(8, 3) == 3 && sr_parallel_threads(1000, 100000) == SR_MAX_THREADS,
			 "parallel: thread count clamped to [1, min(tasks, max)]");
}

/* ---- the sky's wire form --------------------------------------------------------------- */

static void
test_sky_wire(void)
{
	sr_weather_rec w[48];
	sr_sky_hdr *s,
			   *d;
	size_t		size,
				size2,
				dsize,
				wlen;
	uint8_t    *wire,
			   *legacy;
	sr_err		err;

	for (int i = 0; i < 48; i++)
	{
		double		h = (i % 24) + 1;
		double		f = sin(SR_PI * (h - 6) / 12);

		w[i].unix_s = 1559347200.0 + 3600.0 * (i + 1);	/* 2019-06-01 */
		w[i].ghi = f > 0 ? 600 * f : 0;
		w[i].dni = f > 0 ? 500 * f : 0;
		w[i].dhi = f > 0 ? 150 * f : 0;
	}
	sr_err_clear(&err);
	SR_CHECK(sr_sky_build(w, 48, 45.75, 4.85, 170, &s, &size, &err) == SR_OK, "sky: built");
	SR_CHECK(s->version == 3 && sr_sky_hours_of(s) != NULL, "sky: version 3, with its hours (issue 17)");
	SR_CHECK(sr_sky_encode(s, &wire, &wlen, &err) == SR_OK && memcmp(wire, "SRSK\004\000", 6) == 0,
			 "sky wire: magic SRSK and version 4 (a sky of version 3), little-endian");
	SR_CHECK(wlen == size - 4 + 6, "sky wire: the fields without padding or varlena word, plus the header");
	SR_CHECK(sr_sky_decode(wire, wlen, &d, &dsize, &err) == SR_OK && dsize == size &&
			 memcmp((char *) d + 4, (char *) s + 4, size - 4) == 0, "sky wire: decode gives the same sky");
	sr_free(d);
	/* version 2 (0.1.0) is the struct without its varlena word: the
	 * version-3 struct's prefix without the hours' trailer, version byte 2;
	 * read field by field into a sky of version 2 (no hours) */
	size2 = sr_sky_size(s->n_sun);
	legacy = malloc(size2 - 4);
	memcpy(legacy, (char *) s + 4, size2 - 4);
	legacy[0] = 2;
	SR_CHECK(size2 < size, "sky wire: a 0.1.0 value is the version-2 prefix of the sky");
	SR_CHECK(sr_sky_decode(legacy, size2 - 4, &d, &dsize, &err) == SR_OK && dsize == size2 &&
			 d->version == 2 && sr_sky_hours_of(d) == NULL &&
			 memcmp((char *) d + 5, (char *) s + 5, size2 - 5) == 0, "sky wire: a 0.1.0 value still reads");
	sr_free(d);
	SR_CHECK(sr_sky_decode(legacy, size2 - 5, &d, &dsize, &err) == SR_ESYNTAX, "sky wire: a short value is refused");
	wire[4] = 5;
	SR_CHECK(sr_sky_decode(wire, wlen, &d, &dsize, &err) == SR_ESYNTAX && strstr(err.msg, "wire version 5"),
			 "sky wire: an unknown version is refused");
	wire[4] = 4;
	wire[6 + 20] = 0xFF;		/* first byte of lat: still valid */
	wire[6 + 27] = 0x7F;		/* last byte of lat: now huge */
	SR_CHECK(sr_sky_decode(wire, wlen, &d, &dsize, &err) == SR_ESYNTAX, "sky wire: a tampered site is refused");
	free(legacy);
	sr_free(wire);
	sr_free(s);
}

/* ---- obstacles: the rules shared by horizon_at and solar_cadastre ------------------- */

static void
square(sr_building *b, int64_t id, double x0, double y0, double side, double z, int has_z)
{
	const double xs[5] = {x0, x0 + side, x0 + side, x0, x0};
	const double ys[5] = {y0, y0, y0 + side, y0 + side, y0};

	memset(b, 0, sizeof(*b));
	b->id = id;
	b->height = b->ground_z = b->roof_z_max = b->roof_z_min = NAN;
	b->geom.npolys = 1;
	b->geom.nrings = 1;
	b->geom.npts = 5;
	b->geom.has_z = has_z;
	b->geom.poly_ring_start = sr_alloc(sizeof(int) * 2);
	b->geom.ring_pt_start = sr_alloc(sizeof(int) * 2);
	b->geom.xyz = sr_alloc(sizeof(double) * 15);
	b->geom.poly_ring_start[0] = 0;
	b->geom.poly_ring_start[1] = 1;
	b->geom.ring_pt_start[0] = 0;
	b->geom.ring_pt_start[1] = 5;
	for (int i = 0; i < 5; i++)
	{
		b->geom.xyz[3 * i] = xs[i];
		b->geom.xyz[3 * i + 1] = ys[i];
		b->geom.xyz[3 * i + 2] = z;
	}
}

static void
test_obstacles(void)
{
	sr_building b[5];
	sr_obstacle_set os;
	sr_err		err;
	sr_sky_hdr	sky;

	square(&b[0], 1, 0, 0, 10, 0, 0);
	b[0].height = 12;
	b[0].ground_z = 100;		/* top 112 */
	square(&b[1], 2, 20, 0, 10, 0, 0);
	b[1].roof_z_min = 20;
	b[1].roof_z_max = 30;		/* eaves and ridge: top 30 */
	square(&b[2], 3, 40, 0, 10, 0, 0);	/* 2D, no height: skipped */
	square(&b[3], 4, 60, 0, 10, 17, 1);	/* 3D, flat at 17 */
	square(&b[4], 5, 80, 0, 10, 5, 1);
	b[4].roof_z_max = 9;		/* 3D, roof_z_max overrides */
	sr_err_clear(&err);
	SR_CHECK(sr_obstacles_from_buildings(b, 5, &os, &err) == SR_OK, "obstacles: built");
	SR_CHECK(os.obs.n == 4 && os.no_height == 1 && os.empty == 0, "obstacles: 4 kept, one without height skipped");
	SR_CHECK(os.first[0] == 0 && os.first[1] == 1 && os.first[2] == -1 && os.first[3] == 2 && os.first[4] == 3,
			 "obstacles: first obstacle of each building");
	SR_CHECK(os.ztop[0] == 112 && os.ztop[1] == 30 && os.ztop[2] == 17 && os.ztop[3] == 9,
			 "obstacles: tops by the rules (ground + height, ridge, 3D max, roof_z_max)");
	sr_obstacle_set_free(&os);
	for (int i = 0; i < 5; i++)
		sr_mpoly_free(&b[i].geom);

	memset(&sky, 0, sizeof(sky));
	sky.lat = 45.7261;
	sky.lon = 4.9378;			/* Lyon-Bron */
	SR_CHECK(sr_cadastre_check_sky_site(&sky, 45.7640, 4.8357, 50, &err) == SR_OK,
			 "sky site: Lyon 1er is 9 km from Lyon-Bron");
	SR_CHECK(sr_cadastre_check_sky_site(&sky, 48.8566, 2.3522, 50, &err) == SR_EINVAL &&
			 strstr(err.msg, "km from the sky's site") != NULL, "sky site: Paris is too far");
}

/* ---- the domain check of a projected point (geom_crs.c) ----------------------------- */

static void
test_crs_domain(void)
{
	static const char *const epsg3413[] = {"EPSG:3413"};
	static const char *const epsg3031[] = {"EPSG:3031"};
	static const char *const epsg32661[] = {"EPSG:32661"};
	static const char *const epsg2154[] = {"EPSG:2154"};
	/* an authority PROJ does not know (a copy of 3413 inserted under
	 * another name), then no WKT, then the PROJ string: the third is used */
	static const char *const fallback[] = {"test:990413", NULL,
		"+proj=stere +lat_0=90 +lat_ts=70 +lon_0=-45 +k=1 +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"};
	static const char *const unusable[] = {"test:1", "", "+proj=nonsense"};
	double		x,
				y;
	sr_err		err;

	sr_err_clear(&err);
	/* the tolerance: a millimetre, or 1e-9 of the coordinate far out */
	SR_CHECK(sr_crs_returns_to(0, 0, 9e-4, -9e-4), "returns to: 0.9 mm");
	SR_CHECK(!sr_crs_returns_to(0, 0, 2e-3, 0), "returns to: not 2 mm");
	SR_CHECK(sr_crs_returns_to(1e12, 0, 1e12 + 900, 0), "returns to: 1e-9 of 1e12 is 1 km");
	SR_CHECK(!sr_crs_returns_to(0, 0, NAN, 0) && !sr_crs_returns_to(0, 0, 0, NAN), "returns to: NaN never");

	/* Lambert-93 by its definition: (3 E, 46.5 N) is (700000, 6600000) */
	SR_CHECK(sr_crs_from_lonlat(epsg2154, 1, 3, 46.5, &x, &y, &err) == SR_OK &&
			 sr_crs_returns_to(700000, 6600000, x, y), "proj: Lambert-93's origin");
	/* the poles of polar stereographic projections are their origins: the
	 * North Pole is (0, 0) of NSIDC's EPSG:3413 and (2000000, 2000000) of
	 * UPS North (EPSG:32661, false easting and northing 2000 km); the South
	 * Pole is (0, 0) of EPSG:3031; the pole's longitude does not matter */
	SR_CHECK(sr_crs_from_lonlat(epsg3413, 1, -45, 90, &x, &y, &err) == SR_OK &&
			 sr_crs_returns_to(0, 0, x, y), "pole: the North Pole is (0, 0) of EPSG:3413");
	SR_CHECK(sr_crs_from_lonlat(epsg3413, 1, 120, 90, &x, &y, &err) == SR_OK &&
			 sr_crs_returns_to(0, 0, x, y), "pole: at any longitude");
	SR_CHECK(sr_crs_from_lonlat(epsg32661, 1, 0, 90, &x, &y, &err) == SR_OK &&
			 sr_crs_returns_to(2000000, 2000000, x, y), "pole: the North Pole is (2e6, 2e6) of UPS North");
	SR_CHECK(sr_crs_from_lonlat(epsg3031, 1, 0, -90, &x, &y, &err) == SR_OK &&
			 sr_crs_returns_to(0, 0, x, y), "pole: the South Pole is (0, 0) of EPSG:3031");
	/* the points the check refuses: PROJ makes Lambert-93's (1e300, 1e300)
	 * the South Pole, which Lambert-93 cannot hold (the cone's apex is the
	 * North Pole; the South Pole is at infinity): no way back */
	SR_CHECK(sr_crs_from_lonlat(epsg2154, 1, -171, -90, &x, &y, &err) == SR_OK && isnan(x) && isnan(y),
			 "pole: the South Pole has no place in Lambert-93");
	SR_CHECK(!sr_crs_returns_to(1e300, 1e300, x, y), "pole: Lambert-93's (1e300, 1e300) refused");
	/* the North Pole is the apex of Lambert-93's cone, on its central
	 * meridian (x = 700000, the false easting) */
	SR_CHECK(sr_crs_from_lonlat(epsg2154, 1, 0, 90, &x, &y, &err) == SR_OK &&
			 fabs(x - 700000) < 1e-6 && y > 6600000 && isfinite(y), "pole: the North Pole is Lambert-93's apex");
	/* definitions in PostGIS's order, the first one PROJ can use */
	SR_CHECK(sr_crs_from_lonlat(fallback, 3, -45, 90, &x, &y, &err) == SR_OK &&
			 sr_crs_returns_to(0, 0, x, y), "proj: an unknown authority falls back to the PROJ string");
	SR_CHECK(sr_crs_from_lonlat(unusable, 3, 0, 90, &x, &y, &err) == SR_EINVAL && isnan(x),
			 "proj: no usable definition is SR_EINVAL");
}

/* the memory rule of the calls holding their input (smartregion.max_call_memory) */
static void
test_hold(void)
{
	uint8_t		be[128];
	size_t		n = be_polygon_z(be),
				len;
	sr_mpoly	m;
	uint8_t    *w;
	double		xy[10] = {0, 0, 4, 0, 4, 3, 0, 3, 0, 0};
	int			prs[2] = {0, 1},
				rps[2] = {0, 5};

	/* a 2D rectangle with an SRID: 1 + 4 + 4 + 4 + 4 + 5 x 16 = 97 bytes,
	 * 97 / 16 = 6.0625 points */
	memset(&m, 0, sizeof(m));
	m.npolys = 1;
	m.nrings = 1;
	m.npts = 5;
	m.poly_ring_start = prs;
	m.ring_pt_start = rps;
	m.xyz = calloc(15, sizeof(double));
	for (int i = 0; i < 5; i++)
	{
		m.xyz[3 * i] = xy[2 * i];
		m.xyz[3 * i + 1] = xy[2 * i + 1];
	}
	w = sr_wkb_write_polygon(&m, 0, 2154, &len);
	SR_CHECK(len == 97, "hold: a 2D rectangle with its SRID is 97 bytes of EWKB");
	SR_CHECK_CLOSE(sr_hold_row_bytes(370, 81, w, len), 370 + 81 * 6.0625, 1e-9,
				   "hold: 370 + 81 x 6.0625 = 861.0625 bytes (the cadastre's rectangle)");
	sr_free(w);
	free(m.xyz);
	/* the big-endian ISO PolygonZ: 1 + 4 + 4 + 4 + 5 x 24 = 133 bytes, 3
	 * coordinates a point: 133 / 24 points */
	SR_CHECK(n == 133, "hold: the PolygonZ is 133 bytes");
	SR_CHECK_CLOSE(sr_hold_row_bytes(280, 37, be, n), 280 + 37 * 133.0 / 24, 1e-9,
				   "hold: a 3D value counts 24 bytes a point");
	SR_CHECK(sr_hold_row_bytes(280, 37, NULL, 0) == 280, "hold: no geometry is the row alone");
	SR_CHECK_CLOSE(sr_hold_row_bytes(280, 37, be, 3), 280 + 37 * 3.0 / 16, 1e-9,
				   "hold: a truncated value counts as 2D");
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_wkb();
	test_hold();
	test_crs_domain();
	test_options();
	test_parallel();
	test_sky_wire();
	test_obstacles();
	return SR_TEST_END();
}
