/*
 * types.c — the extension's types: horizon and sky (input, output, binary
 * send and receive, accessors).  One validator per type for text and
 * binary input; wire formats explicit in byte order and versioned
 * (docs/cadastre.md, "The horizon and sky types").
 *
 * horizon: binary = version byte (1), int16 sector count, float4
 *   elevations in network order; text = {n:e1,e2,...} with the shortest
 *   float text that reads back to the same value.
 * sky: the core's wire form (cadastre_sky_wire.c: little-endian fields
 *   behind "SRSK" and a version), as is in binary and base64 after "SKY3:"
 *   in text; versions 2 (the 0.1.0 layout, text "SKY2:") still read.
 */
#include "sr_pg.h"
#include "sr_cadastre.h"

#include <math.h>

#include "common/base64.h"
#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "catalog/pg_type.h"

/* ---- smartregion.horizon ------------------------------------------------------ */

/* The one validator of text and binary input. */
sr_horizon_v *
sr_horizon_make(const float *elev, int n)
{
	sr_err		err;
	sr_horizon_v *h;

	sr_err_clear(&err);
	if (sr_horizon_validate(elev, n, &err) != SR_OK)
		sr_raise(&err);
	h = palloc0(HORIZON_SIZE(n));
	SET_VARSIZE(h, HORIZON_SIZE(n));
	h->version = SR_HORIZON_VERSION;
	h->n = (uint16) n;
	memcpy(h->elev, elev, sizeof(float) * n);
	return h;
}

/* The horizon the irradiation kernels compute: a horizon of few, wide
 * sectors on narrow columns (the same step horizon), others as given. */
sr_horizon_v *
sr_horizon_kernel(sr_horizon_v *h)
{
	int			nc = sr_horizon_columns(h->n);
	sr_horizon_v *x;

	if (nc == h->n)
		return h;
	x = palloc0(HORIZON_SIZE(nc));
	SET_VARSIZE(x, HORIZON_SIZE(nc));
	x->version = h->version;
	x->n = (uint16) nc;
	sr_horizon_expand(h->elev, h->n, nc, x->elev);
	return x;
}

static void
horizon_syntax(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type horizon: \"%s\"", str),
			 errdetail("%s", detail)));
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_in);
/* '{N:e0,e1,...}': N sectors, then N elevations in degrees. */
Datum
sr_fn_horizon_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *p = str, *end;
	long		n;
	float	   *v;
	int			i;

	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '{')
		horizon_syntax(str, "A horizon starts with \"{\", then the sector count and a colon.");
	errno = 0;
	n = strtol(p, &end, 10);
	if (end == p || errno != 0)
		horizon_syntax(str, "A horizon starts with \"{\", then the sector count and a colon.");
	p = end;
	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != ':')
		horizon_syntax(str, "The sector count is followed by a colon.");
	if (n < SR_HORIZON_MIN_SECTORS || n > SR_HORIZON_MAX_SECTORS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must have between %d and %d sectors, not %ld",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS, n)));
	v = palloc(sizeof(float) * n);
	for (i = 0; i < n; i++)
	{
		while (isspace((unsigned char) *p))
			p++;
		errno = 0;
		v[i] = strtof(p, &end);
		if (end == p)
			horizon_syntax(str, psprintf("Expected %ld elevations in degrees, found %d.", n, i));
		if (isnan(v[i]) || isinf(v[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("horizon elevation must be finite, got \"%.*s\"", (int) (end - p), p)));
		p = end;
		while (isspace((unsigned char) *p))
			p++;
		if (i < n - 1 && *p++ != ',')
			horizon_syntax(str, psprintf("Expected %ld elevations separated by commas.", n));
	}
	if (*p++ != '}')
		horizon_syntax(str, psprintf("Expected \"}\" after %ld elevations.", n));
	while (isspace((unsigned char) *p))
		p++;
	if (*p)
		horizon_syntax(str, "Unexpected characters after \"}\".");
	PG_RETURN_POINTER(sr_horizon_make(v, (int) n));
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_out);
Datum
sr_fn_horizon_out(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);
	StringInfoData buf;
	char		num[32];
	int			i;

	initStringInfo(&buf);
	appendStringInfo(&buf, "{%d:", h->n);
	for (i = 0; i < h->n; i++)
	{
		/* shortest text that reads back to the same float4 */
		float_to_shortest_decimal_buf(h->elev[i], num);
		if (i)
			appendStringInfoChar(&buf, ',');
		appendStringInfoString(&buf, num);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_recv);
/* version byte, int16 sector count, float4 elevations */
Datum
sr_fn_horizon_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			version = pq_getmsgbyte(buf);
	int			n, i;
	float	   *v;

	if (version != SR_HORIZON_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("horizon binary version %d is not supported", version)));
	n = pq_getmsgint(buf, 2);
	if (n < SR_HORIZON_MIN_SECTORS || n > SR_HORIZON_MAX_SECTORS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("horizon must have between %d and %d sectors, not %d",
						SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS, n)));
	v = palloc(sizeof(float) * n);
	for (i = 0; i < n; i++)
		v[i] = pq_getmsgfloat4(buf);
	PG_RETURN_POINTER(sr_horizon_make(v, n));
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_send);
Datum
sr_fn_horizon_send(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);
	StringInfoData buf;
	int			i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, SR_HORIZON_VERSION);
	pq_sendint16(&buf, h->n);
	for (i = 0; i < h->n; i++)
		pq_sendfloat4(&buf, h->elev[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_elevation);
/* smartregion.horizon_elevation(h, azimuth): linear between sector centres */
Datum
sr_fn_horizon_elevation(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);
	double		az = PG_GETARG_FLOAT8(1);

	sr_require_finite(az, "azimuth");
	PG_RETURN_FLOAT8(sr_horizon_interp(h->elev, h->n, az));
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_sectors);
Datum
sr_fn_horizon_sectors(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);

	PG_RETURN_INT32(h->n);
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_elevations);
/* smartregion.horizon_elevations(h): the sector values as float8[] */
Datum
sr_fn_horizon_elevations(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);
	Datum	   *d = palloc(sizeof(Datum) * h->n);
	int			i;

	for (i = 0; i < h->n; i++)
		d[i] = Float8GetDatum((double) h->elev[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, h->n, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
}

PG_FUNCTION_INFO_V1(sr_fn_horizon_from_array);
/* smartregion.horizon(elevations float8[]) */
Datum
sr_fn_horizon_from_array(PG_FUNCTION_ARGS)
{
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(0);
	Datum	   *d;
	bool	   *nulls;
	int			n, i;
	float	   *v;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("elevations must be a one-dimensional array")));
	deconstruct_array(a, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd', &d, &nulls, &n);
	v = palloc(sizeof(float) * (n > 0 ? n : 1));
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("horizon elevation %d is NULL", i + 1)));
		sr_require_finite(DatumGetFloat8(d[i]), "elevations");
		v[i] = (float) DatumGetFloat8(d[i]);
	}
	PG_RETURN_POINTER(sr_horizon_make(v, n));
}

/* ---- smartregion.sky ------------------------------------------------------------ */

#define SKY_TEXT_PREFIX "SKY3:"
#define SKY_TEXT_PREFIX_V2 "SKY2:"
#define SKY_PREFIX_LEN 5

/* The one validator of text and binary input: decode a wire form (any
 * version) into a sky datum. */
static Datum
sky_from_wire(const uint8 *buf, size_t len)
{
	sr_sky_hdr *s;
	size_t		size;
	sr_err		err;
	char	   *blob;

	sr_err_clear(&err);
	if (sr_sky_decode(buf, len, &s, &size, &err) != SR_OK)
	{
		err.status = SR_ESYNTAX;
		sr_raise(&err);
	}
	blob = palloc(size);
	memcpy(blob, s, size);
	sr_free(s);
	SET_VARSIZE(blob, size);
	return PointerGetDatum(blob);
}

/* The wire form of a stored sky (sr_alloc'd). */
static uint8 *
sky_to_wire(Datum d, size_t *len)
{
	sr_sky_hdr *s = (sr_sky_hdr *) PG_DETOAST_DATUM(d);
	uint8	   *out;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_sky_encode(s, &out, len, &err) != SR_OK)
		sr_raise(&err);
	return out;
}

PG_FUNCTION_INFO_V1(sr_fn_sky_in);
/* 'SKY3:' (or the older 'SKY2:') followed by base64 of the wire form */
Datum
sr_fn_sky_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	int			len,
				dlen;
	char	   *dst;

	if (strncmp(str, SKY_TEXT_PREFIX, SKY_PREFIX_LEN) != 0 &&
		strncmp(str, SKY_TEXT_PREFIX_V2, SKY_PREFIX_LEN) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sky: \"%.40s\"", str),
				 errdetail("A sky's text form starts with \"%s\" followed by base64.", SKY_TEXT_PREFIX),
				 errhint("Build a sky with smartregion.sky_agg() or smartregion.sky_from_epw().")));
	len = (int) strlen(str + SKY_PREFIX_LEN);
	dst = palloc(pg_b64_dec_len(len) + 1);
	dlen = pg_b64_decode(str + SKY_PREFIX_LEN, len, dst, pg_b64_dec_len(len));
	if (dlen < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sky: \"%.40s\"", str),
				 errdetail("The text after \"%.5s\" is not valid base64.", str)));
	/* "SKY2:" carries the version-2 layout, which starts with byte 2 */
	PG_RETURN_DATUM(sky_from_wire((const uint8 *) dst, dlen));
}

PG_FUNCTION_INFO_V1(sr_fn_sky_out);
Datum
sr_fn_sky_out(PG_FUNCTION_ARGS)
{
	size_t		len;
	uint8	   *w = sky_to_wire(PG_GETARG_DATUM(0), &len);
	int			elen = pg_b64_enc_len((int) len);
	char	   *out = palloc(SKY_PREFIX_LEN + elen + 1);
	int			n;

	memcpy(out, SKY_TEXT_PREFIX, SKY_PREFIX_LEN);
	n = pg_b64_encode((const char *) w, (int) len, out + SKY_PREFIX_LEN, elen);
	sr_free(w);
	if (n < 0)
		elog(ERROR, "could not encode sky as base64");
	out[SKY_PREFIX_LEN + n] = '\0';
	PG_RETURN_CSTRING(out);
}

PG_FUNCTION_INFO_V1(sr_fn_sky_recv);
Datum
sr_fn_sky_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const char *data = pq_getmsgbytes(buf, len);

	PG_RETURN_DATUM(sky_from_wire((const uint8 *) data, len));
}

PG_FUNCTION_INFO_V1(sr_fn_sky_send);
Datum
sr_fn_sky_send(PG_FUNCTION_ARGS)
{
	size_t		len;
	uint8	   *w = sky_to_wire(PG_GETARG_DATUM(0), &len);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, (const char *) w, (int) len);
	sr_free(w);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
