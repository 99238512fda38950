/* CPU time of the city importers' core (no server) on a file, N runs, the
 * first (PROJ's set-up) not counted; a hash of every surface (EWKB, plane)
 * and skip reason, to check that two builds give the same surfaces.
 * usage: city_import_core json|gml file source_srid target_srid N
 * (bench/city_import_ab.sh builds it against two commits' cores) */
#include "sr_city.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { long nsurf, nskip; unsigned long long h; } acc;

static void hb(acc *a, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++) { a->h ^= c[i]; a->h *= 1099511628211ULL; }
}
static void r_object(void *arg, const sr_city_object *o) { (void) arg; (void) o; }
static void r_surface(void *arg, const sr_city_surface *s)
{
	acc *a = arg;
	a->nsurf++;
	hb(a, s->geom, s->geom_len);
	hb(a, &s->plane, sizeof(s->plane));
}
static void r_skip(void *arg, const char *obj, const char *reason)
{
	acc *a = arg;
	a->nskip++;
	hb(a, reason, strlen(reason));
}
static void r_meta(void *arg, const char *k, const char *v) { (void) arg; (void) k; (void) v; }

/* the glue's cache: one transformation a (src, dst) pair, kept */
static char csrc[8][64], cdst[8][64];
static sr_crs_transform *ct[8];
static int nct;
static sr_crs_transform *get_tr(void *arg, const char *src, const char *dst, sr_err *err)
{
	for (int i = 0; i < nct; i++)
		if (strcmp(csrc[i], src) == 0 && strcmp(cdst[i], dst) == 0)
			return ct[i];
	if (nct == 8 || sr_crs_transform_create(src, dst, &ct[nct], err) != SR_OK)
		return NULL;
	snprintf(csrc[nct], 64, "%s", src);
	snprintf(cdst[nct], 64, "%s", dst);
	return ct[nct++];
}

static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	FILE *f = fopen(argv[2], "rb");
	long len; char *doc; int n = atoi(argv[5]); double t0, t;
	sr_city_import_opts o;
	sr_city_sink sink;
	char crs[32];
	sr_city_target tg = {atoi(argv[4]), crs, NULL, get_tr};
	acc a = {0, 0, 1469598103934665603ULL};
	sr_err err;
	int gml = strcmp(argv[1], "gml") == 0;

	snprintf(crs, sizeof(crs), "EPSG:%s", argv[4]);
	fseek(f, 0, SEEK_END); len = ftell(f); fseek(f, 0, SEEK_SET);
	doc = malloc(len + 1); if (fread(doc, 1, len, f) != (size_t) len) return 1; doc[len] = 0;
	sr_options_defaults(gml ? &sr_city_citygml_optset : &sr_city_cityjson_optset, &o);
	o.srid = atoi(argv[3]);
	sink.arg = &a; sink.object = r_object; sink.surface = r_surface; sink.skip = r_skip; sink.meta = r_meta;
	t0 = cpu();
	for (int i = -1; i < n; i++)
	{
		sr_status st;
		a.nsurf = a.nskip = 0; a.h = 1469598103934665603ULL;
		sr_err_clear(&err);
		if (gml)
		{
			sr_citygml *g;
			if ((st = sr_citygml_open(doc, len, &g, &err)) == SR_OK)
			{
				st = sr_citygml_import(g, &o, &tg, &sink, &err);
				sr_citygml_close(g);
			}
		}
		else
		{
			sr_jdoc *d; sr_jreader rd; sr_jv root;
			if ((st = sr_jdoc_parse(doc, len, &d, &err)) == SR_OK)
			{
				sr_jdoc_reader(d, &rd, &root);
				st = sr_cityjson_import(&rd, &root, &o, &tg, &sink, &err);
				sr_jdoc_free(d);
			}
		}
		if (st != SR_OK) { fprintf(stderr, "error: %s\n", err.msg); return 1; }
		if (i == -1) t0 = cpu();	/* the first run (PROJ's set-up) not counted */
	}
	t = cpu() - t0;
	printf("%s %.1f us/import surfaces %ld skipped %ld hash %016llx\n", argv[2], t / n * 1e6, a.nsurf, a.nskip, a.h);
	return 0;
}
