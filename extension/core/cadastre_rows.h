/*
 * cadastre_rows.h — the closed-form elevation integrals of the cumulative
 * sky, shared by the point kernel (cadastre_irradiation.c) and the area
 * sampler (cadastre_sample.c).  Private to the core: no PostgreSQL.
 *
 * Over a band of elevations [e, 90 deg] of a sky of uniform radiance in
 * azimuth, a plane's view of the sky splits into two integrals:
 *   sr_gc(e) = int_e^90 cos h sin h dh = cos^2(e) / 2
 *   sr_gs(e) = int_e^90 cos^2 h dh    = pi/4 - e/2 - sin(2e)/4
 * (e in radians); a row between e1 and e2 takes their differences.
 */
#ifndef SR_CADASTRE_ROWS_H
#define SR_CADASTRE_ROWS_H

#include <math.h>
#include "sr_common.h"

static inline double
sr_gc(double e)
{
	double		c = cos(e);

	return 0.5 * c * c;
}

static inline double
sr_gs(double e)
{
	return SR_PI / 4.0 - 0.5 * e - 0.25 * sin(2.0 * e);
}

#endif
