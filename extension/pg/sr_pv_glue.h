/*
 * sr_pv_glue.h — what the PV glue (pv.c) shares with the economics and
 * cadastre glue: the prepared PV sky cached per call site and the reading
 * of a system argument.
 */
#ifndef SR_PV_GLUE_H
#define SR_PV_GLUE_H

#include "sr_pg.h"
#include "sr_cadastre.h"
#include "sr_pv.h"

typedef struct sr_pv_cache sr_pv_cache;

/* The prepared sky and PV sky of this call site for (sky, sectors, albedo,
 * system), prepared again only when one of them changes.  *sky_out (may be
 * NULL) gets the detoasted sky when it had to be read, else NULL. */
extern sr_pv_cache *sr_pv_cache_get(FunctionCallInfo fcinfo, Datum skyd, int ns, double albedo,
									const sr_pv_system *sys, const sr_sky_hdr **sky_out);
extern sr_sky_prep *sr_pv_cache_sky(sr_pv_cache *c);
/* NULL when the sky has no hourly weather (version 2) */
extern sr_pv_prep *sr_pv_cache_pv(sr_pv_cache *c);
/* NOTICE once per call site when the sky lacks hours or temperatures */
extern void sr_pv_cache_notice(sr_pv_cache *c, const char *fn);
/* The yield of one plane (the kernel, then the model or the fallback
 * ratio); hourly (sr_pv_prep_nrec values) may be NULL. */
extern void sr_pv_cache_face(sr_pv_cache *c, double tilt, double az, const float *elev,
							 sr_pv_result *r, double *hourly);
/* The system of jsonb argument n (NULL: the defaults), checked. */
extern void sr_pv_system_arg(FunctionCallInfo fcinfo, int n, sr_pv_system *sys);

#endif							/* SR_PV_GLUE_H */
