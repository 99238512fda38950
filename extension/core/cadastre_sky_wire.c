/*
 * cadastre_sky_wire.c — the portable wire form of a sky (text and binary
 * I/O of the sky type, pg_dump, COPY BINARY).
 *
 * The value stored in a table is the core's own struct (sr_sky_hdr and its
 * arrays, host order): the server never moves it between machines.  What
 * leaves the server is this wire form: every field in little-endian byte
 * order, no padding, behind a magic and a version number, so that a sky
 * dumped on one machine restores on any other and every older version
 * still reads.
 *
 *   version 4 (current):  "SRSK" u16 4, the fields below, then the
 *                         hourly trailer of a sky of version 3
 *   version 3:            "SRSK" u16 3, the fields below (a sky of version 2)
 *   version 2 (0.1.0):    the raw x86-64 struct without its varlena word,
 *                         first byte 2; same fields at the same offsets
 *
 * fields: u8 version, u8 mf, u16 reserved, i32 n_sun, n_rec, n_day,
 * n_patch, f64 lat, lon, elevation_m, ghi_sum, dni_sum, dhi_sum,
 * f64 m_ghi[12], m_dhi[12], m_beam_h[12], f32 rad[12][n_patch],
 * f64 az[n_sun], el[n_sun], en[n_sun], u8 month[n_sun].
 * trailer (wire 4): i32 n_hour, flags, f64 temp_sum, wind_sum,
 * f64 ts[n_hour], f32 ghi, dhi, dni, el, az, temp_air, wind [n_hour] each,
 * u8 month[n_hour].
 *
 * A sky of version 2 (wire 2 or 3) decodes to a version-2 value: it has no
 * hourly weather, and the PV model falls back on a performance ratio.
 */
#include "sr_cadastre.h"

#include <string.h>

#define WIRE_MAGIC "SRSK"
#define WIRE_VERSION 4
#define WIRE_VERSION_V2SKY 3	/* a sky of version 2 */
#define FIELDS_SIZE 356			/* the fixed fields: sizeof(sr_sky_hdr) - 4 */

typedef struct wbuf
{
	uint8_t    *p;
	size_t		pos;
} wbuf;

static void
put(wbuf *w, const void *v, size_t n)
{
	/* little-endian host (every platform PostgreSQL ships on is, and the
	 * unit tests check the byte order of this encoding) */
	const uint8_t *b = v;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < n; i++)
		w->p[w->pos + i] = b[n - 1 - i];
#else
	memcpy(w->p + w->pos, b, n);
#endif
	w->pos += n;
}

typedef struct rbuf
{
	const uint8_t *p;
	size_t		len,
				pos;
	int			ok;
} rbuf;

static void
get(rbuf *r, void *v, size_t n)
{
	uint8_t    *b = v;

	if (!r->ok || r->pos + n > r->len)
	{
		r->ok = 0;
		memset(v, 0, n);
		return;
	}
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	for (size_t i = 0; i < n; i++)
		b[i] = r->p[r->pos + n - 1 - i];
#else
	memcpy(b, r->p + r->pos, n);
#endif
	r->pos += n;
}

static size_t
wire_size(int n_sun)
{
	return 6 + FIELDS_SIZE + sizeof(float) * 12 * (size_t) SR_SKY_NPATCH +
		(size_t) n_sun * (3 * sizeof(double) + 1);
}

#define TRAILER_FIXED 24		/* n_hour, flags, temp_sum, wind_sum */
static size_t
trailer_wire_size(int n_hour)
{
	return TRAILER_FIXED + (size_t) n_hour * (sizeof(double) + 7 * sizeof(float) + 1);
}

sr_status
sr_sky_encode(const sr_sky_hdr *s, uint8_t **out, size_t *outlen, sr_err *err)
{
	wbuf		w;
	const sr_sky_hours *h = sr_sky_hours_of(s);
	uint16_t	ver = h ? WIRE_VERSION : WIRE_VERSION_V2SKY;
	const float *rad = sr_sky_rad(s);
	const double *az = sr_sky_az(s);
	size_t		n = (size_t) s->n_sun;

	*out = NULL;
	w.p = sr_alloc(wire_size(s->n_sun) + (h ? trailer_wire_size(h->n_hour) : 0));
	if (!w.p)
		return sr_error(err, SR_ENOMEM, "out of memory");
	w.pos = 0;
	memcpy(w.p, WIRE_MAGIC, 4);
	w.pos = 4;
	put(&w, &ver, 2);
	put(&w, &s->version, 1);
	put(&w, &s->mf, 1);
	put(&w, &s->reserved, 2);
	put(&w, &s->n_sun, 4);
	put(&w, &s->n_rec, 4);
	put(&w, &s->n_day, 4);
	put(&w, &s->n_patch, 4);
	put(&w, &s->lat, 8);
	put(&w, &s->lon, 8);
	put(&w, &s->elevation_m, 8);
	put(&w, &s->ghi_sum, 8);
	put(&w, &s->dni_sum, 8);
	put(&w, &s->dhi_sum, 8);
	for (int i = 0; i < 12; i++)
		put(&w, &s->m_ghi[i], 8);
	for (int i = 0; i < 12; i++)
		put(&w, &s->m_dhi[i], 8);
	for (int i = 0; i < 12; i++)
		put(&w, &s->m_beam_h[i], 8);
	for (size_t i = 0; i < 12 * (size_t) SR_SKY_NPATCH; i++)
		put(&w, &rad[i], 4);
	for (size_t i = 0; i < 3 * n; i++)
		put(&w, &az[i], 8);		/* az, el, en are consecutive */
	memcpy(w.p + w.pos, sr_sky_month(s), n);
	w.pos += n;
	if (h)
	{
		size_t		nh = (size_t) h->n_hour;
		const double *ts = sr_sky_hours_ts(h);
		const float *c0 = sr_sky_hours_col(h, 0);

		put(&w, &h->n_hour, 4);
		put(&w, &h->flags, 4);
		put(&w, &h->temp_sum, 8);
		put(&w, &h->wind_sum, 8);
		for (size_t i = 0; i < nh; i++)
			put(&w, &ts[i], 8);
		for (size_t i = 0; i < 7 * nh; i++)
			put(&w, &c0[i], 4);	/* the seven float columns are consecutive */
		memcpy(w.p + w.pos, sr_sky_hours_month(h), nh);
		w.pos += nh;
	}
	*out = w.p;
	*outlen = w.pos;
	return SR_OK;
}

sr_status
sr_sky_decode(const uint8_t *buf, size_t len, sr_sky_hdr **out, size_t *size, sr_err *err)
{
	rbuf		r = {buf, len, 0, 1};
	sr_sky_hdr	h;
	sr_sky_hdr *s;
	float	   *rad;
	double	   *az;
	size_t		n,
				total;
	sr_status	st;
	int			wire = 2;
	sr_sky_hours th;

	*out = NULL;
	memset(&h, 0, sizeof(h));
	memset(&th, 0, sizeof(th));
	if (len >= 6 && memcmp(buf, WIRE_MAGIC, 4) == 0)
	{
		uint16_t	ver;

		r.pos = 4;
		get(&r, &ver, 2);
		if (ver != WIRE_VERSION && ver != WIRE_VERSION_V2SKY)
			return sr_error(err, SR_ESYNTAX, "sky value has wire version %u, this library reads 2 to %d",
							ver, WIRE_VERSION);
		wire = ver;
	}
	else if (len >= 1 && buf[0] == 2)
		r.pos = 0;				/* version 2: the 0.1.0 layout, same fields */
	else
		return sr_error(err, SR_ESYNTAX, "sky value has an unrecognized wire format");
	get(&r, &h.version, 1);
	get(&r, &h.mf, 1);
	get(&r, &h.reserved, 2);
	get(&r, &h.n_sun, 4);
	get(&r, &h.n_rec, 4);
	get(&r, &h.n_day, 4);
	get(&r, &h.n_patch, 4);
	get(&r, &h.lat, 8);
	get(&r, &h.lon, 8);
	get(&r, &h.elevation_m, 8);
	get(&r, &h.ghi_sum, 8);
	get(&r, &h.dni_sum, 8);
	get(&r, &h.dhi_sum, 8);
	for (int i = 0; i < 12; i++)
		get(&r, &h.m_ghi[i], 8);
	for (int i = 0; i < 12; i++)
		get(&r, &h.m_dhi[i], 8);
	for (int i = 0; i < 12; i++)
		get(&r, &h.m_beam_h[i], 8);
	if (!r.ok)
		return sr_error(err, SR_ESYNTAX, "sky value is too short (%zu bytes)", len);
	/* wire 2 and 3 carry a sky of version 2, wire 4 one of version 3 */
	if (h.version != (wire == WIRE_VERSION ? SR_SKY_VERSION : 2) ||
		h.n_patch != SR_SKY_NPATCH || h.n_sun < 0 || h.n_sun > SR_SKY_MAX_HOURS)
		return sr_error(err, SR_ESYNTAX, "sky value has an invalid header");
	n = (size_t) h.n_sun;
	if (wire == WIRE_VERSION)
	{
		size_t		at = r.pos + sizeof(float) * 12 * (size_t) SR_SKY_NPATCH + n * (3 * sizeof(double) + 1);
		rbuf		t = {buf, len, at, 1};

		get(&t, &th.n_hour, 4);
		if (!t.ok || th.n_hour < 0 || th.n_hour > h.n_rec ||
			len - at != trailer_wire_size(th.n_hour))
			return sr_error(err, SR_ESYNTAX, "sky value has an inconsistent size");
		total = sr_sky_size3(h.n_sun, th.n_hour);
	}
	else
	{
		if (len - r.pos != sizeof(float) * 12 * (size_t) SR_SKY_NPATCH + n * (3 * sizeof(double) + 1))
			return sr_error(err, SR_ESYNTAX, "sky value has an inconsistent size");
		total = sr_sky_size(h.n_sun);
	}
	s = sr_alloc(total);
	if (!s)
		return sr_error(err, SR_ENOMEM, "out of memory");
	memcpy(s, &h, sizeof(h));
	s->vl_len_ = 0;
	rad = (float *) sr_sky_rad(s);
	az = (double *) sr_sky_az(s);
	for (size_t i = 0; i < 12 * (size_t) SR_SKY_NPATCH; i++)
		get(&r, &rad[i], 4);
	for (size_t i = 0; i < 3 * n; i++)
		get(&r, &az[i], 8);
	memcpy((uint8_t *) sr_sky_month(s), buf + r.pos, n);
	r.pos += n;
	if (wire == WIRE_VERSION)
	{
		sr_sky_hours *hh;
		size_t		nh = (size_t) th.n_hour;

		/* the padding between the suns and the trailer is zero */
		memset((char *) s + sr_sky_size(h.n_sun), 0, total - sr_sky_size(h.n_sun));
		hh = (sr_sky_hours *) sr_sky_hours_of(s);
		get(&r, &hh->n_hour, 4);
		get(&r, &hh->flags, 4);
		get(&r, &hh->temp_sum, 8);
		get(&r, &hh->wind_sum, 8);
		for (size_t i = 0; i < nh; i++)
			get(&r, (double *) sr_sky_hours_ts(hh) + i, 8);
		for (size_t i = 0; i < 7 * nh; i++)
			get(&r, (float *) sr_sky_hours_col(hh, 0) + i, 4);
		memcpy((uint8_t *) sr_sky_hours_month(hh), buf + r.pos, nh);
	}
	if ((st = sr_sky_validate(s, total, err)) != SR_OK)
	{
		sr_free(s);
		return st;
	}
	*out = s;
	*size = total;
	return SR_OK;
}
