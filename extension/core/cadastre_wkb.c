/*
 * cadastre_wkb.c — minimal WKB reader/writer for (Multi)Polygon and Point,
 * 2D or Z, ISO (1000+ type codes) or EWKB (flag bits), either byte order.
 * Geometry crosses the core/server wall as WKB (ST_AsBinary / ST_AsEWKB).
 */
#include "sr_cadastre.h"

#include <math.h>
#include <string.h>

typedef struct rd
{
	const uint8_t *p;
	size_t		len, pos;
	int			swap;
} rd;

static int
rd_bytes(rd *r, void *dst, size_t n)
{
	if (r->pos + n > r->len)
		return 0;
	memcpy(dst, r->p + r->pos, n);
	r->pos += n;
	return 1;
}

static int
rd_u32(rd *r, uint32_t *v)
{
	uint8_t		b[4];

	if (!rd_bytes(r, b, 4))
		return 0;
	if (r->swap)
		*v = (uint32_t) b[3] | (uint32_t) b[2] << 8 | (uint32_t) b[1] << 16 | (uint32_t) b[0] << 24;
	else
		*v = (uint32_t) b[0] | (uint32_t) b[1] << 8 | (uint32_t) b[2] << 16 | (uint32_t) b[3] << 24;
	return 1;
}

static int
rd_f64(rd *r, double *v)
{
	uint8_t		b[8], t;

	if (!rd_bytes(r, b, 8))
		return 0;
	if (r->swap)
		for (int i = 0; i < 4; i++)
		{
			t = b[i];
			b[i] = b[7 - i];
			b[7 - i] = t;
		}
	memcpy(v, b, 8);
	return 1;
}

/* Read byte order and type; returns base type (1..7), dims via has_z/has_m. */
static int
rd_header(rd *r, int *has_z, int *has_m)
{
	uint8_t		bo;
	uint32_t	type;

	if (!rd_bytes(r, &bo, 1) || bo > 1)
		return -1;
	r->swap = (bo == 0);		/* this code assumes a little-endian host */
	if (!rd_u32(r, &type))
		return -1;
	*has_z = (type & 0x80000000u) != 0;
	*has_m = (type & 0x40000000u) != 0;
	if (type & 0x20000000u)
	{
		uint32_t	srid;

		if (!rd_u32(r, &srid))
			return -1;
	}
	type &= 0x0FFFFFFFu;
	if (type >= 3000)
	{
		*has_z = *has_m = 1;
		type -= 3000;
	}
	else if (type >= 2000)
	{
		*has_m = 1;
		type -= 2000;
	}
	else if (type >= 1000)
	{
		*has_z = 1;
		type -= 1000;
	}
	return (int) type;
}

void
sr_mpoly_free(sr_mpoly *m)
{
	if (!m)
		return;
	sr_free(m->poly_ring_start);
	sr_free(m->ring_pt_start);
	sr_free(m->xyz);
	memset(m, 0, sizeof(*m));
}

/* Append one polygon body (after its header). */
static sr_status
rd_polygon(rd *r, int has_z, int has_m, sr_mpoly *m, int *cap_r, int *cap_p,
		   sr_err *err)
{
	uint32_t	nr, np, i, j;

	if (!rd_u32(r, &nr) || nr > 1000000)
		return sr_error(err, SR_EGEOM, "truncated or invalid WKB polygon");
	for (i = 0; i < nr; i++)
	{
		if (!rd_u32(r, &np) || np > 100000000 ||
			(size_t) np * (2 + has_z + has_m) * 8 > r->len - r->pos)
			return sr_error(err, SR_EGEOM, "truncated or invalid WKB ring");
		if (m->nrings + 1 >= *cap_r)
		{
			*cap_r = *cap_r * 2 + 8;
			m->ring_pt_start = sr_realloc(m->ring_pt_start, sizeof(int) * (*cap_r + 1));
			if (!m->ring_pt_start)
				return sr_error(err, SR_ENOMEM, "out of memory");
		}
		if (m->npts + (int) np > *cap_p)
		{
			/* exact growth: most buildings have one ring, allocated once */
			*cap_p = m->npts + (int) np;
			m->xyz = sr_realloc(m->xyz, sizeof(double) * 3 * (*cap_p));
			if (!m->xyz)
				return sr_error(err, SR_ENOMEM, "out of memory");
		}
		for (j = 0; j < np; j++)
		{
			double	   *q = m->xyz + 3 * (size_t) m->npts;
			double		mm;

			rd_f64(r, &q[0]);
			rd_f64(r, &q[1]);
			q[2] = 0.0;
			if (has_z)
				rd_f64(r, &q[2]);
			if (has_m)
				rd_f64(r, &mm);
			if (!isfinite(q[0]) || !isfinite(q[1]) || !isfinite(q[2]))
				return sr_error(err, SR_EGEOM, "geometry has a non-finite coordinate");
			m->npts++;
		}
		m->nrings++;
		m->ring_pt_start[m->nrings] = m->npts;
	}
	return SR_OK;
}

sr_status
sr_wkb_read_mpoly(const uint8_t *wkb, size_t len, sr_mpoly *m, sr_err *err)
{
	rd			r = {wkb, len, 0, 0};
	int			has_z, has_m, type, cap_r = 4, cap_p = 0;
	uint32_t	ng, i;
	sr_status	st = SR_OK;

	memset(m, 0, sizeof(*m));
	m->ring_pt_start = sr_alloc0(sizeof(int) * (cap_r + 1));
	m->xyz = NULL;
	m->poly_ring_start = sr_alloc0(sizeof(int) * 2);
	if (!m->ring_pt_start || !m->poly_ring_start)
	{
		sr_mpoly_free(m);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	type = rd_header(&r, &has_z, &has_m);
	m->has_z = has_z;
	if (type == 3)
	{
		st = rd_polygon(&r, has_z, has_m, m, &cap_r, &cap_p, err);
		if (st == SR_OK && m->nrings > 0)
		{
			m->npolys = 1;
			m->poly_ring_start[1] = m->nrings;
		}
	}
	else if (type == 6)
	{
		if (!rd_u32(&r, &ng) || ng > 10000000)
			st = sr_error(err, SR_EGEOM, "truncated or invalid WKB multipolygon");
		else
		{
			m->poly_ring_start = sr_realloc(m->poly_ring_start, sizeof(int) * (ng + 1));
			m->poly_ring_start[0] = 0;
			for (i = 0; i < ng && st == SR_OK; i++)
			{
				int			hz, hm;

				if (rd_header(&r, &hz, &hm) != 3)
				{
					st = sr_error(err, SR_EGEOM, "multipolygon member is not a polygon");
					break;
				}
				st = rd_polygon(&r, hz, hm, m, &cap_r, &cap_p, err);
				if (st == SR_OK && m->nrings > m->poly_ring_start[m->npolys])
				{
					m->npolys++;
					m->poly_ring_start[m->npolys] = m->nrings;
				}
			}
		}
	}
	else
		st = sr_error(err, SR_EGEOM, "geometry is not a polygon or a multipolygon");
	if (st != SR_OK)
		sr_mpoly_free(m);
	return st;
}

sr_status
sr_wkb_read_point(const uint8_t *wkb, size_t len, double *x, double *y,
				  double *z, int *has_z, sr_err *err)
{
	rd			r = {wkb, len, 0, 0};
	int			hm, type = rd_header(&r, has_z, &hm);
	double		mm;

	if (type != 1)
		return sr_error(err, SR_EGEOM, "geometry is not a point");
	*z = 0.0;
	if (!rd_f64(&r, x) || !rd_f64(&r, y) || (*has_z && !rd_f64(&r, z)) ||
		(hm && !rd_f64(&r, &mm)))
		return sr_error(err, SR_EGEOM, "truncated WKB point");
	if (isnan(*x) && isnan(*y))
		return sr_error(err, SR_EGEOM, "point is empty");
	if (!isfinite(*x) || !isfinite(*y) || !isfinite(*z))
		return sr_error(err, SR_EGEOM, "point has a non-finite coordinate");
	return SR_OK;
}

static uint8_t *
put_u32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);			/* little-endian host */
	return p + 4;
}

uint8_t *
sr_wkb_write_polygon(const sr_mpoly *m, int poly, size_t *len)
{
	int			r0 = m->poly_ring_start[poly], r1 = m->poly_ring_start[poly + 1];
	int			np = m->ring_pt_start[r1] - m->ring_pt_start[r0];
	size_t		dim = m->has_z ? 3 : 2;
	size_t		n = 1 + 4 + 4 + (size_t) (r1 - r0) * 4 + (size_t) np * 8 * dim;
	uint8_t    *buf = sr_alloc(n), *p = buf;
	int			r, i;

	if (!buf)
		return NULL;
	*p++ = 1;
	p = put_u32(p, m->has_z ? 1003 : 3);	/* ISO PolygonZ or Polygon */
	p = put_u32(p, (uint32_t) (r1 - r0));
	for (r = r0; r < r1; r++)
	{
		p = put_u32(p, (uint32_t) (m->ring_pt_start[r + 1] - m->ring_pt_start[r]));
		for (i = m->ring_pt_start[r]; i < m->ring_pt_start[r + 1]; i++)
		{
			memcpy(p, m->xyz + 3 * (size_t) i, 8 * dim);
			p += 8 * dim;
		}
	}
	*len = n;
	return buf;
}
