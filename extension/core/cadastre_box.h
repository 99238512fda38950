/*
 * cadastre_box.h — (private to the cadastre's core) the two corners of an
 * axis-aligned box that bound its outline seen from a point outside it,
 * shared by the point horizon's culling (cadastre_horizon.c,
 * bbox_sector_min) and the area sampler's (cadastre_sample.c, box_rays).
 */
#ifndef SR_CADASTRE_BOX_H
#define SR_CADASTRE_BOX_H

/*
 * The box [x0, x1] x [y0, y1] relative to the viewer: false when it holds
 * the viewer (every direction); else (ax, ay), (bx, by) the corners that
 * bound its outline, b clockwise of a (azimuth grows clockwise: a x b < 0).
 * The viewer's position relative to the box tells which corners they are,
 * without computing any angle.
 */
static inline int
sr_box_outline(double x0, double x1, double y0, double y1,
			   double *ax, double *ay, double *bx, double *by)
{
	if (x0 <= 0 && x1 >= 0 && y0 <= 0 && y1 >= 0)
		return 0;
	if (x0 > 0)
	{
		/* east of the viewer: north-east, south-east or straddling */
		*ax = x0;
		*ay = y0 > 0 ? y1 : y0;
		*bx = y0 > 0 || y1 < 0 ? x1 : x0;
		*by = y0 > 0 ? y0 : y1;
	}
	else if (x1 < 0)
	{
		*ax = x1;
		*ay = y0 > 0 ? y1 : y0;
		*bx = y0 > 0 || y1 < 0 ? x0 : x1;
		*by = y0 > 0 ? y0 : y1;
	}
	else
	{
		/* straddling the viewer's meridian: wholly north or south */
		*ax = x0;
		*bx = x1;
		*ay = *by = y0 > 0 ? y0 : y1;
	}
	if (!(*ax * *by - *ay * *bx < 0))
	{
		double		sx = *ax, sy = *ay;

		*ax = *bx;
		*ay = *by;
		*bx = sx;
		*by = sy;
	}
	return 1;
}

#endif
