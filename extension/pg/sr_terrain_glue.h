/*
 * sr_terrain_glue.h — the readers of terrain.c that the cadastre's glue
 * uses: an elevation model from a query of rasters, trees from a query.
 */
#ifndef SR_TERRAIN_GLUE_H
#define SR_TERRAIN_GLUE_H

#include "sr_pg.h"
#include "sr_terrain.h"

/* The rasters (column rast) of a query as a DEM of the given SRID (arrays in
 * the current memory context); raises when postgis_raster is missing.  The
 * rasters are fetched SR_DEM_BATCH_ROWS at a time and only their heights
 * kept, as floats (4 bytes a pixel): more than smartregion.max_dem_pixels in all is
 * refused (54000) with the hint given (how to select fewer tiles). */
#define SR_DEM_BATCH_ROWS 4
extern void sr_dem_read(const char *param, const char *sql, int32 srid, const char *hint,
						sr_dem *dem);
/* Trees: id, geom (point), height, crown_radius [, ground_z]; budget (NULL:
 * none) counts each row read, as the call's other queries' (sr_qbudget). */
extern int	sr_trees_read(const char *param, const char *sql, int32 srid, sr_qbudget *budget,
						  sr_tree **out);

#endif							/* SR_TERRAIN_GLUE_H */
