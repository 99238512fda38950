/*
 * geom_wkb.c — the core's one (E)WKB reader and writer (sr_geom.h).
 *
 * Reads either byte order, ISO (1000s Z, 2000s M, 3000s ZM) and EWKB (flag
 * bits) type codes; writes little-endian EWKB, which PostGIS's
 * ST_GeomFromEWKB reads without a further cast.
 */
#include "sr_geom.h"

#include <math.h>
#include <string.h>

#define EWKB_Z 0x80000000u
#define EWKB_M 0x40000000u
#define EWKB_SRID 0x20000000u

typedef struct rd
{
	const uint8_t *p;
	size_t		len,
				pos;
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

/* A double in the value's byte order (the host is little-endian on every
 * platform PostgreSQL ships on; big-endian values are swapped). */
static int
rd_f64(rd *r, double *v)
{
	uint8_t		b[8],
				t;

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

/* Byte order and type of the next geometry; -1 when truncated. */
static int
rd_header(rd *r, sr_wkb_header *h)
{
	uint8_t		bo;
	uint32_t	type;

	memset(h, 0, sizeof(*h));
	if (!rd_bytes(r, &bo, 1) || bo > 1)
		return -1;
	r->swap = (bo == 0);
	if (!rd_u32(r, &type))
		return -1;
	h->has_z = (type & EWKB_Z) != 0;
	h->has_m = (type & EWKB_M) != 0;
	if (type & EWKB_SRID)
	{
		uint32_t	srid;

		if (!rd_u32(r, &srid))
			return -1;
		h->srid = (int32_t) srid;
	}
	type &= 0x0FFFFFFFu;
	if (type >= 1000)
	{
		uint32_t	iso = type / 1000;

		h->has_z = h->has_z || iso == 1 || iso == 3;
		h->has_m = h->has_m || iso == 2 || iso == 3;
		type %= 1000;
	}
	h->type = (int) type;
	return h->type;
}

sr_status
sr_wkb_read_header(const uint8_t *wkb, size_t len, sr_wkb_header *h, sr_err *err)
{
	rd			r = {wkb, len, 0, 0};

	if (wkb == NULL || rd_header(&r, h) < 0)
		return sr_error(err, SR_EGEOM, "truncated WKB geometry");
	return SR_OK;
}

bool
sr_wkb_is_empty(const uint8_t *wkb, size_t len)
{
	rd			r = {wkb, len, 0, 0};
	sr_wkb_header h;
	int			type = wkb ? rd_header(&r, &h) : -1;
	uint32_t	n;
	double		x,
				y;

	if (type < 0)
		return false;
	if (type == SR_WKB_POINT)
		return rd_f64(&r, &x) && rd_f64(&r, &y) && isnan(x) && isnan(y);
	/* every other type starts with its count of points, rings or members */
	return rd_u32(&r, &n) && n == 0;
}

double
sr_hold_row_bytes(double row_bytes, double point_bytes, const uint8_t *wkb, size_t len)
{
	sr_wkb_header h;
	rd			r = {wkb, len, 0, 0};

	if (wkb == NULL)
		return row_bytes;
	if (rd_header(&r, &h) < 0)
		h.has_z = h.has_m = 0;
	return row_bytes + point_bytes * (double) len / (8.0 * (2 + h.has_z + h.has_m));
}

void
sr_mpoly_init(sr_mpoly *m)
{
	memset(m, 0, sizeof(*m));
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

/* Make room for n more rings and np more points. */
static sr_status
reserve(sr_mpoly *m, int nr, int np, int exact, sr_err *err)
{
	if (m->nrings + nr + 1 > m->cap_rings)
	{
		int			c = m->cap_rings * 2 + 8;

		while (c < m->nrings + nr + 1)
			c *= 2;
		m->ring_pt_start = sr_realloc(m->ring_pt_start, sizeof(int) * (c + 1));
		if (!m->ring_pt_start)
			return sr_error(err, SR_ENOMEM, "out of memory");
		if (m->cap_rings == 0)
			m->ring_pt_start[0] = 0;
		m->cap_rings = c;
	}
	if (m->npts + np > m->cap_pts)
	{
		/* exact growth on a fresh read (most buildings have one ring,
		 * allocated once), doubling when appending many */
		int			c = exact ? m->npts + np : m->cap_pts * 2 + 64;

		while (c < m->npts + np)
			c *= 2;
		m->xyz = sr_realloc(m->xyz, sizeof(double) * 3 * (size_t) c);
		if (!m->xyz)
			return sr_error(err, SR_ENOMEM, "out of memory");
		m->cap_pts = c;
	}
	return SR_OK;
}

static sr_status
reserve_polys(sr_mpoly *m, int n, sr_err *err)
{
	if (m->npolys + n + 1 > m->cap_polys)
	{
		int			c = m->cap_polys * 2 + 2;

		while (c < m->npolys + n + 1)
			c *= 2;
		m->poly_ring_start = sr_realloc(m->poly_ring_start, sizeof(int) * (c + 1));
		if (!m->poly_ring_start)
			return sr_error(err, SR_ENOMEM, "out of memory");
		if (m->cap_polys == 0)
			m->poly_ring_start[0] = 0;
		m->cap_polys = c;
	}
	return SR_OK;
}

/* Append one polygon body (after its header); an empty polygon adds
 * nothing. */
static sr_status
rd_polygon(rd *r, const sr_wkb_header *h, sr_mpoly *m, int exact, sr_err *err)
{
	uint32_t	nr,
				np;
	int			r0 = m->nrings;
	sr_status	st;

	if (!rd_u32(r, &nr) || nr > 1000000)
		return sr_error(err, SR_EGEOM, "truncated or invalid WKB polygon");
	if (nr == 0)
		return SR_OK;
	if ((st = reserve_polys(m, 1, err)) != SR_OK)
		return st;
	for (uint32_t i = 0; i < nr; i++)
	{
		size_t		dim = 2 + h->has_z + h->has_m;

		if (!rd_u32(r, &np) || np > 100000000 || (size_t) np * dim * 8 > r->len - r->pos)
			return sr_error(err, SR_EGEOM, "truncated or invalid WKB ring");
		if ((st = reserve(m, 1, (int) np, exact, err)) != SR_OK)
			return st;
		for (uint32_t j = 0; j < np; j++)
		{
			double	   *q = m->xyz + 3 * (size_t) m->npts;
			double		mm;

			rd_f64(r, &q[0]);
			rd_f64(r, &q[1]);
			q[2] = 0.0;
			if (h->has_z)
				rd_f64(r, &q[2]);
			if (h->has_m)
				rd_f64(r, &mm);
			if (!isfinite(q[0]) || !isfinite(q[1]) || !isfinite(q[2]))
				return sr_error(err, SR_EGEOM, "geometry has a non-finite coordinate");
			m->npts++;
		}
		m->nrings++;
		m->ring_pt_start[m->nrings] = m->npts;
	}
	if (m->nrings > r0)
	{
		m->npolys++;
		m->poly_ring_start[m->npolys] = m->nrings;
	}
	return SR_OK;
}

static sr_status
append(const uint8_t *wkb, size_t len, sr_mpoly *m, int exact, sr_err *err)
{
	rd			r = {wkb, len, 0, 0};
	sr_wkb_header h;
	int			type = wkb ? rd_header(&r, &h) : -1;
	sr_status	st = SR_OK;

	if (type < 0)
		return sr_error(err, SR_EGEOM, "truncated WKB geometry");
	if (m->cap_rings == 0 && (st = reserve(m, 0, 0, exact, err)) != SR_OK)
		return st;
	if (m->cap_polys == 0 && (st = reserve_polys(m, 0, err)) != SR_OK)
		return st;
	if (m->npolys == 0)
	{
		m->has_z = h.has_z;
		m->srid = h.srid;
	}
	else
		m->has_z = m->has_z || h.has_z;
	if (type == SR_WKB_POLYGON || type == SR_WKB_TRIANGLE)
		return rd_polygon(&r, &h, m, exact, err);
	if (type == SR_WKB_MULTIPOLYGON || type == SR_WKB_POLYHEDRALSURFACE || type == SR_WKB_TIN)
	{
		uint32_t	ng;

		if (!rd_u32(&r, &ng) || ng > 10000000)
			return sr_error(err, SR_EGEOM, "truncated or invalid WKB multipolygon");
		for (uint32_t i = 0; i < ng && st == SR_OK; i++)
		{
			sr_wkb_header hm;
			int			t = rd_header(&r, &hm);

			if (t != SR_WKB_POLYGON && t != SR_WKB_TRIANGLE)
				return sr_error(err, SR_EGEOM, "member %u of a multipolygon is not a polygon", i + 1);
			st = rd_polygon(&r, &hm, m, exact, err);
		}
		return st;
	}
	return sr_error(err, SR_EGEOM, "geometry is not a polygon or a multipolygon (WKB type %d)", type);
}

sr_status
sr_wkb_read_mpoly(const uint8_t *wkb, size_t len, sr_mpoly *m, sr_err *err)
{
	sr_status	st;

	sr_mpoly_init(m);
	st = append(wkb, len, m, 1, err);
	if (st != SR_OK)
		sr_mpoly_free(m);
	return st;
}

sr_status
sr_wkb_append_mpoly(const uint8_t *wkb, size_t len, sr_mpoly *m, sr_err *err)
{
	int			np = m->npolys,
				nr = m->nrings,
				npt = m->npts;
	sr_status	st = append(wkb, len, m, 0, err);

	if (st != SR_OK)
	{
		/* drop what the failed value added */
		m->npolys = np;
		m->nrings = nr;
		m->npts = npt;
	}
	return st;
}

sr_status
sr_wkb_read_point_raw(const uint8_t *wkb, size_t len, double *x, double *y,
					  double *z, int *has_z, sr_err *err)
{
	rd			r = {wkb, len, 0, 0};
	sr_wkb_header h;
	int			type = wkb ? rd_header(&r, &h) : -1;
	double		mm;

	if (type != SR_WKB_POINT)
		return sr_error(err, SR_EGEOM, "geometry is not a point");
	*has_z = h.has_z;
	*z = 0.0;
	if (!rd_f64(&r, x) || !rd_f64(&r, y) || (h.has_z && !rd_f64(&r, z)) ||
		(h.has_m && !rd_f64(&r, &mm)))
		return sr_error(err, SR_EGEOM, "truncated WKB point");
	return SR_OK;
}

sr_status
sr_wkb_read_point(const uint8_t *wkb, size_t len, double *x, double *y,
				  double *z, int *has_z, sr_err *err)
{
	if (sr_wkb_read_point_raw(wkb, len, x, y, z, has_z, err) != SR_OK)
		return err->status;
	if (isnan(*x) && isnan(*y))
		return sr_error(err, SR_EGEOM, "point is empty");
	if (!isfinite(*x) || !isfinite(*y) || !isfinite(*z))
		return sr_error(err, SR_EGEOM, "point has a non-finite coordinate");
	return SR_OK;
}

static uint8_t *
put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t) v;
	p[1] = (uint8_t) (v >> 8);
	p[2] = (uint8_t) (v >> 16);
	p[3] = (uint8_t) (v >> 24);
	return p + 4;
}

/* EWKB header: little-endian, type with Z and SRID flags. */
static uint8_t *
put_header(uint8_t *p, int type, int has_z, int32_t srid)
{
	uint32_t	t = (uint32_t) type | (has_z ? EWKB_Z : 0) | (srid > 0 ? EWKB_SRID : 0);

	*p++ = 1;
	p = put_u32(p, t);
	if (srid > 0)
		p = put_u32(p, (uint32_t) srid);
	return p;
}

uint8_t *
sr_wkb_write_polygon(const sr_mpoly *m, int poly, int32_t srid, size_t *len)
{
	int			r0 = m->poly_ring_start[poly],
				r1 = m->poly_ring_start[poly + 1];
	int			np = m->ring_pt_start[r1] - m->ring_pt_start[r0];
	size_t		dim = m->has_z ? 3 : 2;
	size_t		n = 1 + 4 + (srid > 0 ? 4 : 0) + 4 + (size_t) (r1 - r0) * 4 + (size_t) np * 8 * dim;
	uint8_t    *buf = sr_alloc(n),
			   *p = buf;

	if (!buf)
		return NULL;
	p = put_header(p, SR_WKB_POLYGON, m->has_z, srid);
	p = put_u32(p, (uint32_t) (r1 - r0));
	for (int r = r0; r < r1; r++)
	{
		p = put_u32(p, (uint32_t) (m->ring_pt_start[r + 1] - m->ring_pt_start[r]));
		for (int i = m->ring_pt_start[r]; i < m->ring_pt_start[r + 1]; i++)
		{
			memcpy(p, m->xyz + 3 * (size_t) i, 8 * dim);	/* little-endian host */
			p += 8 * dim;
		}
	}
	*len = n;
	return buf;
}

uint8_t *
sr_wkb_write_point(double x, double y, double z, int has_z, int32_t srid, size_t *len)
{
	size_t		n = 1 + 4 + (srid > 0 ? 4 : 0) + 8 * (has_z ? 3 : 2);
	uint8_t    *buf = sr_alloc(n),
			   *p = buf;

	if (!buf)
		return NULL;
	p = put_header(p, SR_WKB_POINT, has_z, srid);
	memcpy(p, &x, 8);
	memcpy(p + 8, &y, 8);
	if (has_z)
		memcpy(p + 16, &z, 8);
	*len = n;
	return buf;
}

double
sr_ring_signed_area(const sr_mpoly *m, int r)
{
	int			a = m->ring_pt_start[r],
				b = m->ring_pt_start[r + 1];
	double		s = 0.0;

	for (int i = a; i < b; i++)
	{
		const double *p = m->xyz + 3 * (size_t) i;
		const double *q = m->xyz + 3 * (size_t) (i + 1 < b ? i + 1 : a);

		s += p[0] * q[1] - q[0] * p[1];
	}
	return 0.5 * s;
}

double
sr_great_circle_km(double lat1, double lon1, double lat2, double lon2, double radius_km)
{
	double		p1 = lat1 * SR_DEG2RAD,
				p2 = lat2 * SR_DEG2RAD;
	double		dp = p2 - p1,
				dl = (lon2 - lon1) * SR_DEG2RAD;
	double		a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);

	return 2.0 * radius_km * asin(sqrt(a > 1 ? 1 : a));
}

double
sr_haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	return sr_great_circle_km(lat1, lon1, lat2, lon2, 6371.0);
}
