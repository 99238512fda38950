/*
 * cadastre_north.c — the frame in which a projected SRID's grid north is
 * true north (sr_cadastre.h, "true north"): the meridian convergence from
 * a short meridian segment, its rounding, the turn of the buildings about
 * their box centre and back.
 *
 * Convention (Snyder, Map Projections — A Working Manual, USGS PP 1395,
 * 1987, eq. 14-9 for the Lambert conformal conic, gamma = n (lon - lon0)):
 * gamma is the angle clockwise from true north to grid north, so a
 * direction's true azimuth is its grid azimuth plus gamma.  Turning the
 * plane clockwise by gamma puts grid azimuth a at a + gamma.
 */
#include "sr_cadastre.h"

#include <math.h>

double
sr_north_convergence(double xs, double ys, double xn, double yn)
{
	double		dx = xn - xs, dy = yn - ys;

	if (!isfinite(dx) || !isfinite(dy) || (dx == 0 && dy == 0))
		return NAN;
	/* the meridian's grid azimuth is true north's: -gamma */
	return -atan2(dx, dy) * SR_RAD2DEG;
}

double
sr_north_round(double gamma)
{
	double		r;

	if (!isfinite(gamma))
		return gamma;
	r = round(gamma * 100.0) / 100.0;
	return r == 0 ? 0.0 : r;
}

void
sr_north_init(sr_north *f, double cx, double cy, double gamma)
{
	f->cx = cx;
	f->cy = cy;
	f->gamma = gamma;
	f->turned = gamma != 0 && isfinite(gamma);
	f->c = f->turned ? cos(gamma * SR_DEG2RAD) : 1.0;
	f->s = f->turned ? sin(gamma * SR_DEG2RAD) : 0.0;
}

void
sr_north_to_true(const sr_north *f, double *x, double *y)
{
	double		dx, dy;

	if (!f->turned)
		return;
	dx = *x - f->cx;
	dy = *y - f->cy;
	/* clockwise by gamma: north (0, 1) goes to (sin g, cos g), azimuth g;
	 * the centre is the frame's origin (metres about the scene: the turned
	 * coordinates keep 1e-13 m, not the 1e-9 m of Lambert-93's millions) */
	*x = dx * f->c + dy * f->s;
	*y = -dx * f->s + dy * f->c;
}

void
sr_north_to_grid(const sr_north *f, double *x, double *y)
{
	double		dx, dy;

	if (!f->turned)
		return;
	dx = *x;
	dy = *y;
	*x = f->cx + dx * f->c - dy * f->s;
	*y = f->cy + dx * f->s + dy * f->c;
}

void
sr_north_vec_to_grid(const sr_north *f, double *vx, double *vy)
{
	double		x = *vx, y = *vy;

	if (!f->turned)
		return;
	*vx = x * f->c - y * f->s;
	*vy = x * f->s + y * f->c;
}

void
sr_north_turn_xyz(const sr_north *f, double *xyz, int n)
{
	if (!f->turned)
		return;
	for (int i = 0; i < n; i++)
		sr_north_to_true(f, &xyz[3 * i], &xyz[3 * i + 1]);
}

double
sr_north_true_azimuth(double az, double tilt, double gamma)
{
	double		a;

	if (tilt == 0 || tilt == 180 || gamma == 0 || !isfinite(gamma))
		return az;
	a = fmod(az + gamma, 360.0);
	if (a < 0)
		a += 360.0;
	return a >= 360.0 ? 0.0 : a;	/* -1e-17 + 360 rounds to 360 */
}

void
sr_buildings_box(const sr_building *b, int n, double box[4])
{
	for (int i = 0; i < n; i++)
		for (int j = 0; j < b[i].geom.npts; j++)
		{
			double		x = b[i].geom.xyz[3 * j], y = b[i].geom.xyz[3 * j + 1];

			box[0] = fmin(box[0], x);
			box[1] = fmin(box[1], y);
			box[2] = fmax(box[2], x);
			box[3] = fmax(box[3], y);
		}
}

void
sr_buildings_turn(sr_building *b, int n, const sr_north *f)
{
	for (int i = 0; i < n; i++)
		if (b[i].geom.npts > 0)
			sr_north_turn_xyz(f, b[i].geom.xyz, b[i].geom.npts);
}
