/*
 * bench/residual_listing.c -- sr_zones_residual_listing (the CNIG file's
 * listing, docs/zones.md "What a zone withholds is a cell too") on zones read
 * from stdin, for scripts/residual-enterprise-cross.py: each zone is a line "n"
 * then n lines "zone siret jobs cell listed0" (cell: a published section's code,
 * -1 for the suppressed ones), the zone's jobs published, the default rules; it
 * prints one line of 0/1, the establishments the file lists.
 *   scripts/unit.sh test_zones   # builds extension/tests/unit/bin/libsrcore.a
 *   gcc -O2 -Iextension/include -o /tmp/residual_listing bench/residual_listing.c \
 *       extension/tests/unit/bin/libsrcore.a $(geos-config --clibs) $(pkg-config --libs proj) \
 *       $(pkg-config --libs libxml-2.0) -lm
 */
#include "sr_zones.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
int main(void)
{
	size_t n;
	while (scanf("%zu", &n) == 1)
	{
		int64_t *zone = malloc(n * sizeof(int64_t));
		char **siret = malloc(n * sizeof(char *));
		double *jobs = malloc(n * sizeof(double));
		int32_t *cell = malloc(n * sizeof(int32_t));
		bool *in = malloc(n), *known = malloc(n), *listed = malloc(n);
		for (size_t i = 0; i < n; i++)
		{
			long long z; char s[32]; double j; int c, l;
			if (scanf("%lld %31s %lf %d %d", &z, s, &j, &c, &l) != 5) return 2;
			zone[i] = z; siret[i] = strdup(s); jobs[i] = j; cell[i] = c; listed[i] = l; in[i] = known[i] = true;
		}
		sr_secrecy_rules r; sr_err err; size_t w = 0;
		sr_secrecy_default_rules(&r); sr_err_clear(&err);
		if (sr_zones_residual_listing(n, zone, (const char *const *) siret, jobs, cell, in, known, listed, &r, false, &w, &err) != SR_OK)
			{ printf("ERR\n"); fflush(stdout); continue; }
		for (size_t i = 0; i < n; i++) putchar(listed[i] ? '1' : '0');
		putchar('\n'); fflush(stdout);
	}
	return 0;
}
