/*
 * sr_cadastre_pg.h — what the cadastre's glue (cadastre.c) shares with
 * solar_impact's (city_impact.c) and solar_cadastre_cells' (roofarea.c): the
 * reader of buildings_sql, the cadastre's set-up.
 */
#ifndef SR_CADASTRE_PG_H
#define SR_CADASTRE_PG_H

#include "sr_cadastre.h"

#include "fmgr.h"
#include "utils/jsonb.h"

typedef struct bset
{
	sr_building *b;
	int			n;
	int			srid;			/* -1: no geometry */
} bset;

/* Read a buildings query (id, geom, height [, ground_z, roof_z_max,
 * roof_z_min, target, surface_type]) in the current memory context; param
 * names the argument in messages. */
extern void sr_cadastre_read_buildings(const char *param, const char *sql, bset *out);

/* The cadastre of buildings_sql (argument 0 of fcinfo) under sky with the
 * options o (opts: the jsonb, for terrain_sql and trees_sql), prepared in
 * work: the skip NOTICE, the sky-site check, the terrain and the trees
 * (cadastre.c; solar_cadastre and solar_cadastre_cells). */
extern sr_cadastre *sr_cadastre_setup(FunctionCallInfo fcinfo, sr_sky_hdr *sky,
									  const sr_cadastre_opts *o, Jsonb *opts,
									  MemoryContext work, bset *bs, int *nf);

/* The NOTICE of the buildings a cadastre skipped, when there are any:
 * "fn: skipped N what without a height, N with an empty or degenerate
 * geometry, N with no face flatter than wall_tilt_min deg" (cadastre.c;
 * solar_cadastre, solar_impact). */
extern void sr_cadastre_notice_skipped(const char *fn, const char *what, int no_height,
									   int empty, int walls, double wall_tilt_min);

/* The next batch of faces from face i of nf (solar_cadastre and
 * solar_cadastre_cells): at most CADASTRE_BATCH_FACES faces, about
 * CADASTRE_BATCH_SAMPLES samples per thread (cadastre.c). */
#define CADASTRE_BATCH_FACES 256
extern int	sr_cadastre_batch(sr_cadastre *c, const sr_cadastre_opts *o, int i, int nf,
							  int nthreads);

/* potential classes: unsuitable, low, medium, good, excellent */
extern const char *const sr_cadastre_class_names[5];

#endif							/* SR_CADASTRE_PG_H */
