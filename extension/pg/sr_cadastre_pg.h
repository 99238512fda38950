/*
 * sr_cadastre_pg.h — what the cadastre's glue (cadastre.c) shares with
 * solar_impact's (city_impact.c): the reader of buildings_sql.
 */
#ifndef SR_CADASTRE_PG_H
#define SR_CADASTRE_PG_H

#include "sr_cadastre.h"

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

/* potential classes: unsuitable, low, medium, good, excellent */
extern const char *const sr_cadastre_class_names[5];

#endif							/* SR_CADASTRE_PG_H */
