/*
 * cadastre_plane.c — least-squares plane of a roof face, its tilt, azimuth
 * and true 3D area.
 *
 * The normal is the eigenvector of the smallest eigenvalue of the vertex
 * covariance matrix (total least squares, which treats x, y and z alike and
 * so also fits steep faces); the area is the Newell area vector of each ring
 * projected on that normal, holes subtracted.
 */
#include "sr_cadastre.h"

#include <math.h>
#include <string.h>

/* Jacobi eigen-decomposition of a symmetric 3x3 matrix: a is destroyed,
 * eigenvalues in w, eigenvectors in the columns of v. */
static void
jacobi3(double a[3][3], double w[3], double v[3][3])
{
	int			i, j, k, sweep;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++)
			v[i][j] = (i == j);
	for (sweep = 0; sweep < 50; sweep++)
	{
		double		off = fabs(a[0][1]) + fabs(a[0][2]) + fabs(a[1][2]);

		if (off < 1e-300)
			break;
		for (i = 0; i < 2; i++)
			for (j = i + 1; j < 3; j++)
			{
				double		theta, t, c, s;

				if (a[i][j] == 0.0)
					continue;
				/* rotation angle that zeroes a[i][j] (Numerical Recipes 11.1) */
				theta = (a[j][j] - a[i][i]) / (2.0 * a[i][j]);
				t = (theta >= 0 ? 1.0 : -1.0) / (fabs(theta) + sqrt(theta * theta + 1.0));
				c = 1.0 / sqrt(t * t + 1.0);
				s = t * c;
				for (k = 0; k < 3; k++)
				{
					double		aki = a[k][i], akj = a[k][j];

					a[k][i] = c * aki - s * akj;
					a[k][j] = s * aki + c * akj;
				}
				for (k = 0; k < 3; k++)
				{
					double		aik = a[i][k], ajk = a[j][k];

					a[i][k] = c * aik - s * ajk;
					a[j][k] = s * aik + c * ajk;
				}
				for (k = 0; k < 3; k++)
				{
					double		vki = v[k][i], vkj = v[k][j];

					v[k][i] = c * vki - s * vkj;
					v[k][j] = s * vki + c * vkj;
				}
			}
	}
	for (i = 0; i < 3; i++)
		w[i] = a[i][i];
}

/* Number of points of a ring without its closing duplicate. */
static int
ring_open_npts(const double *p, int n)
{
	if (n >= 2 && p[0] == p[3 * (n - 1)] && p[1] == p[3 * (n - 1) + 1] &&
		p[2] == p[3 * (n - 1) + 2])
		return n - 1;
	return n;
}

sr_status
sr_roof_plane_fit(const sr_poly3 *poly, sr_plane *out, sr_err *err)
{
	const double *p;
	double		cov[3][3], w[3], v[3][3];
	double		c[3] = {0, 0, 0};
	double		n[3], nn, a3 = 0.0, a2 = 0.0, per = 0.0, ss = 0.0;
	int			r, i, m, cnt = 0, imin;

	memset(out, 0, sizeof(*out));
	if (poly->nrings < 1 || poly->ring_npts[0] < 3)
		return sr_error(err, SR_EGEOM, "roof face has fewer than 3 points");

	/* centroid of the exterior ring's vertices */
	p = poly->xyz;
	m = ring_open_npts(p, poly->ring_npts[0]);
	if (m < 3)
		return sr_error(err, SR_EGEOM, "roof face has fewer than 3 distinct points");
	for (i = 0; i < m; i++)
	{
		if (!isfinite(p[3 * i]) || !isfinite(p[3 * i + 1]) || !isfinite(p[3 * i + 2]))
			return sr_error(err, SR_EGEOM, "roof face has a non-finite coordinate");
		c[0] += p[3 * i];
		c[1] += p[3 * i + 1];
		c[2] += p[3 * i + 2];
	}
	cnt = m;
	c[0] /= cnt;
	c[1] /= cnt;
	c[2] /= cnt;

	memset(cov, 0, sizeof(cov));
	for (i = 0; i < m; i++)
	{
		double		d[3] = {p[3 * i] - c[0], p[3 * i + 1] - c[1], p[3 * i + 2] - c[2]};
		int			a, b;

		for (a = 0; a < 3; a++)
			for (b = 0; b < 3; b++)
				cov[a][b] += d[a] * d[b];
	}
	jacobi3(cov, w, v);
	imin = 0;
	for (i = 1; i < 3; i++)
		if (w[i] < w[imin])
			imin = i;
	n[0] = v[0][imin];
	n[1] = v[1][imin];
	n[2] = v[2][imin];
	nn = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
	if (!(nn > 0))
		return sr_error(err, SR_EGEOM, "roof face is degenerate");
	n[0] /= nn;
	n[1] /= nn;
	n[2] /= nn;
	/* turn the normal upwards (a roof faces the sky) */
	if (n[2] < 0 || (n[2] == 0 && (n[1] < 0 || (n[1] == 0 && n[0] < 0))))
	{
		n[0] = -n[0];
		n[1] = -n[1];
		n[2] = -n[2];
	}

	/* Newell area vectors, ring by ring (exterior minus holes) */
	p = poly->xyz;
	for (r = 0; r < poly->nrings; r++)
	{
		int			k = poly->ring_npts[r];
		int			mo = ring_open_npts(p, k);
		double		N[3] = {0, 0, 0};

		for (i = 0; i < mo; i++)
		{
			const double *a = p + 3 * i;
			const double *b = p + 3 * ((i + 1) % mo);

			N[0] += (a[1] - b[1]) * (a[2] + b[2]);
			N[1] += (a[2] - b[2]) * (a[0] + b[0]);
			N[2] += (a[0] - b[0]) * (a[1] + b[1]);
			/* every ring's edges: a courtyard's is an edge of the roof too */
			per += hypot(b[0] - a[0], b[1] - a[1]);
		}
		if (r == 0)
		{
			a3 = fabs(N[0] * n[0] + N[1] * n[1] + N[2] * n[2]) / 2.0;
			a2 = fabs(N[2]) / 2.0;
		}
		else
		{
			a3 -= fabs(N[0] * n[0] + N[1] * n[1] + N[2] * n[2]) / 2.0;
			a2 -= fabs(N[2]) / 2.0;
		}
		p += 3 * k;
	}
	if (!(a3 > 0))
		return sr_error(err, SR_EGEOM, "roof face has no area");

	for (i = 0; i < m; i++)
	{
		const double *q = poly->xyz + 3 * i;
		double		d = (q[0] - c[0]) * n[0] + (q[1] - c[1]) * n[1] + (q[2] - c[2]) * n[2];

		ss += d * d;
	}

	out->tilt = acos(n[2] > 1.0 ? 1.0 : n[2]) * SR_RAD2DEG;
	if (hypot(n[0], n[1]) < 1e-12)
	{
		out->tilt = 0.0;
		out->azimuth = 180.0;
	}
	else
	{
		/* the horizontal part of the upward normal points where the face looks */
		out->azimuth = atan2(n[0], n[1]) * SR_RAD2DEG;
		if (out->azimuth < 0)
			out->azimuth += 360.0;
	}
	out->area_3d = a3;
	out->area_2d = a2 > 0 ? a2 : 0.0;
	out->perimeter_2d = per;
	out->holes = poly->nrings - 1;
	out->cx = c[0];
	out->cy = c[1];
	out->cz = c[2];
	out->rms = sqrt(ss / m);
	return SR_OK;
}
