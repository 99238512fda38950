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
	/* the frame where grid north is true north (sr_cadastre_turn): the
	 * buildings' coordinates are turned into it; grid_xyz[i] (NULL when
	 * not kept or not turned) holds building i's coordinates as read */
	sr_north	north;
	double	  **grid_xyz;
} bset;

/* Read a buildings query (id, geom, height [, ground_z, roof_z_max,
 * roof_z_min, target, surface_type]) in the current memory context; param
 * names the argument in messages; budget (may be NULL) bounds the rows kept
 * (smartregion.max_call_memory, sr_pg.h). */
extern void sr_cadastre_read_buildings(const char *param, const char *sql, bset *out,
									   sr_qbudget *budget);

/* Turn the buildings of bs, and of more (NULL, or solar_impact's project,
 * of the same SRID), into the frame where grid north is true north: about
 * the centre of their box, by the convergence there (sr_srid_convergence,
 * 0 for SRID 0).  keep: the coordinates as read are kept (bs->grid_xyz,
 * more->grid_xyz) to write the faces back in the caller's frame; their
 * 24 bytes a point are counted in the SR_*_HOLD_POINT rules.  Sets
 * bs->north (and more->north). */
extern void sr_cadastre_turn(bset *bs, bset *more, bool keep);

/* Face (polygon) face0 of building i of bs as EWKB in its SRID, from its
 * coordinates as read (sr_cadastre_turn's keep). */
extern uint8_t *sr_cadastre_face_wkb(const bset *bs, int i, int face0, size_t *len);

/* The cadastre of buildings_sql (argument 0 of fcinfo) under sky with the
 * options o (opts: the jsonb, for terrain_sql and trees_sql), prepared in
 * work: the buildings bounded by smartregion.max_call_memory (fn names the
 * function in its error), the skip NOTICE, the sky-site check, the terrain
 * and the trees (cadastre.c; solar_cadastre and solar_cadastre_cells). */
extern sr_cadastre *sr_cadastre_setup(FunctionCallInfo fcinfo, const char *fn, sr_sky_hdr *sky,
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

/* The hourly weather of the hour-by-hour references (weather_sql: ts, ghi,
 * dni, dhi and, when met, the optional temp_air and wind_speed), read in
 * batches (cadastre.c; surface_irradiation_hourly, pv_yield_hourly,
 * pv_profile_hourly).  fn gets each batch's records (temp_air and wind NULL
 * when a column is absent; first: the rows before it) in a memory context
 * reset after it.  Two rows at the same time are refused (22000) once every
 * row is read: the times are sorted within work_mem, spilling to a temporary
 * file beyond.  Returns the number of rows; *has_met (may be NULL) whether
 * both met columns are present. */
typedef void (*sr_weather_fn) (void *arg, const sr_weather_rec *w, const double *temp_air,
							   const double *wind, int n, int64 first);
extern int64 sr_weather_stream(const char *sql, bool met, sr_weather_fn fn, void *arg,
							   bool *has_met);

/* potential classes: unsuitable, low, medium, good, excellent */
extern const char *const sr_cadastre_class_names[5];

#endif							/* SR_CADASTRE_PG_H */
