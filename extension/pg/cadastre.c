/*
 * cadastre.c — glue of the solar cadastre (issue 4): the horizon and sky
 * types, sky_agg, sky_from_epw, surface_irradiation(_hourly), roof_plane,
 * horizon_at and solar_cadastre.  The work is done by the pure core
 * (extension/core/cadastre_*.c, sr_cadastre.h); geometry crosses the wall
 * as WKB, obtained from PostGIS's own ST_AsBinary / ST_GeomFromEWKB looked
 * up in the schema of the geometry type (no PostGIS header is included).
 */
#include "sr_pg.h"
#include "sr_cadastre.h"
#include "sr_solar.h"

#include <math.h>

#include "access/detoast.h"
#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/base64.h"
#include "common/shortest_dec.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

/* ======================================================================
 * PostGIS functions, looked up by name in the geometry type's schema
 * ====================================================================== */

typedef struct pgis_fns
{
	Oid			geomtype;
	char	   *nsp;			/* quoted schema name */
	FmgrInfo	asbinary;
	FmgrInfo	srid;
	FmgrInfo	fromwkb;
} pgis_fns;

static pgis_fns pgis = {InvalidOid};

static void
pgis_init(Oid geomtype)
{
	HeapTuple	tup;
	Oid			nsp, f;
	char	   *nspname;
	Oid			arg1 = BYTEAOID;
	MemoryContext old;

	if (pgis.geomtype == geomtype && OidIsValid(geomtype))
		return;
	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(geomtype));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for type %u", geomtype);
	nsp = ((Form_pg_type) GETSTRUCT(tup))->typnamespace;
	if (strcmp(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname), "geometry") != 0)
	{
		ReleaseSysCache(tup);
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("expected a PostGIS geometry, got type %s", format_type_be(geomtype))));
	}
	ReleaseSysCache(tup);
	nspname = get_namespace_name(nsp);
	old = MemoryContextSwitchTo(TopMemoryContext);
	f = LookupFuncName(list_make2(makeString(nspname), makeString("st_asbinary")), 1, &geomtype, false);
	fmgr_info(f, &pgis.asbinary);
	f = LookupFuncName(list_make2(makeString(nspname), makeString("st_srid")), 1, &geomtype, false);
	fmgr_info(f, &pgis.srid);
	/* (ST_GeomFromEWKB, a C function: the SRID goes in the EWKB header;
	 * the two-argument ST_GeomFromWKB is an SQL function, whose executor
	 * start-up on every output row cost 6 % of a region's cadastre) */
	f = LookupFuncName(list_make2(makeString(nspname), makeString("st_geomfromewkb")), 1, &arg1, false);
	fmgr_info(f, &pgis.fromwkb);
	if (pgis.nsp)
		pfree(pgis.nsp);
	pgis.nsp = pstrdup(quote_identifier(nspname));
	MemoryContextSwitchTo(old);
	pgis.geomtype = geomtype;
}

static bytea *
geom_wkb(Datum g)
{
	return DatumGetByteaPP(FunctionCall1(&pgis.asbinary, g));
}

static int
geom_srid(Datum g)
{
	return DatumGetInt32(FunctionCall1(&pgis.srid, g));
}

/* A geometry from the core's little-endian ISO WKB and an SRID: the
 * header is rewritten as EWKB (the dimension as flags, then the SRID), the
 * rest is kept. */
static Datum
geom_from_wkb(const uint8_t *buf, size_t len, int srid)
{
	bytea	   *b;
	uint8_t    *p;
	uint32		type, base, dims;

	if (len < 5 || buf[0] != 1)
		elog(ERROR, "smartregion: unexpected WKB from the core");
	memcpy(&type, buf + 1, 4);
	base = type % 1000;
	dims = type / 1000;			/* 1 Z, 2 M, 3 ZM */
	type = base | (dims & 1 ? 0x80000000u : 0) | (dims & 2 ? 0x40000000u : 0) | 0x20000000u;
	b = palloc(len + 4 + VARHDRSZ);
	SET_VARSIZE(b, len + 4 + VARHDRSZ);
	p = (uint8_t *) VARDATA(b);
	p[0] = 1;
	memcpy(p + 1, &type, 4);
	memcpy(p + 5, &srid, 4);
	memcpy(p + 9, buf + 5, len - 5);
	return FunctionCall1(&pgis.fromwkb, PointerGetDatum(b));
}

/* Is this SRID geographic (degrees)?  Needs SPI connected.  SRID 0 is
 * taken as local metres. */
static bool
srid_is_geographic(int srid)
{
	static int	last_srid = -1;
	static bool last_geo = false;
	char	   *q;
	bool		isnull;
	Datum		d;
	char	   *proj;

	if (srid == 0)
		return false;
	if (srid == last_srid)
		return last_geo;
	q = psprintf("SELECT proj4text::pg_catalog.text, srtext::pg_catalog.text FROM %s.spatial_ref_sys "
				 "WHERE srid OPERATOR(pg_catalog.=) %d",
				 pgis.nsp, srid);
	if (SPI_execute(q, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read spatial_ref_sys");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("SRID %d is not in spatial_ref_sys", srid)));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	proj = isnull ? "" : TextDatumGetCString(d);
	last_geo = strstr(proj, "+proj=longlat") != NULL || strstr(proj, "+proj=latlong") != NULL;
	if (isnull)
	{
		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull);
		last_geo = !isnull && strncmp(TextDatumGetCString(d), "GEOGCS", 6) == 0;
	}
	last_srid = srid;
	return last_geo;
}

static void
require_metric_srid(int srid, const char *what)
{
	if (srid_is_geographic(srid))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has a geographic SRID %d, a projected SRID in metres is required", what, srid),
				 errhint("Transform it first, e.g. with ST_Transform(geom, 2154) in France.")));
}

/* ======================================================================
 * smartregion.horizon
 * ====================================================================== */

typedef struct sr_horizon_v
{
	int32		vl_len_;
	uint8		version;
	uint8		pad;
	uint16		n;
	float4		elev[FLEXIBLE_ARRAY_MEMBER];
} sr_horizon_v;

#define SR_HORIZON_VERSION 1
#define HORIZON_SIZE(n) (offsetof(sr_horizon_v, elev) + sizeof(float4) * (n))
#define PG_GETARG_HORIZON(i) ((sr_horizon_v *) PG_DETOAST_DATUM(PG_GETARG_DATUM(i)))

/* The one validator of text and binary input. */
static sr_horizon_v *
horizon_make(const float *elev, int n)
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

static void
horizon_syntax(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type horizon: \"%s\"", str),
			 errdetail("%s", detail)));
}

PG_FUNCTION_INFO_V1(sr_horizon_in);
/* '{N:e0,e1,...}': N sectors, then N elevations in degrees. */
Datum
sr_horizon_in(PG_FUNCTION_ARGS)
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
	PG_RETURN_POINTER(horizon_make(v, (int) n));
}

PG_FUNCTION_INFO_V1(sr_horizon_out);
Datum
sr_horizon_out(PG_FUNCTION_ARGS)
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

PG_FUNCTION_INFO_V1(sr_horizon_recv);
/* version byte, int16 sector count, float4 elevations */
Datum
sr_horizon_recv(PG_FUNCTION_ARGS)
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
	PG_RETURN_POINTER(horizon_make(v, n));
}

PG_FUNCTION_INFO_V1(sr_horizon_send);
Datum
sr_horizon_send(PG_FUNCTION_ARGS)
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

PG_FUNCTION_INFO_V1(sr_horizon_elevation);
/* smartregion.horizon_elevation(h, azimuth): linear between sector centres */
Datum
sr_horizon_elevation(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);
	double		az = PG_GETARG_FLOAT8(1);

	sr_require_finite(az, "azimuth");
	PG_RETURN_FLOAT8(sr_horizon_interp(h->elev, h->n, az));
}

PG_FUNCTION_INFO_V1(sr_horizon_sectors);
Datum
sr_horizon_sectors(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);

	PG_RETURN_INT32(h->n);
}

PG_FUNCTION_INFO_V1(sr_horizon_elevations);
/* smartregion.horizon_elevations(h): the sector values as float8[] */
Datum
sr_horizon_elevations(PG_FUNCTION_ARGS)
{
	sr_horizon_v *h = PG_GETARG_HORIZON(0);
	Datum	   *d = palloc(sizeof(Datum) * h->n);
	int			i;

	for (i = 0; i < h->n; i++)
		d[i] = Float8GetDatum((double) h->elev[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, h->n, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
}

PG_FUNCTION_INFO_V1(sr_horizon_from_array);
/* smartregion.horizon(elevations float8[]) */
Datum
sr_horizon_from_array(PG_FUNCTION_ARGS)
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
	PG_RETURN_POINTER(horizon_make(v, n));
}

/* ======================================================================
 * smartregion.sky
 * ====================================================================== */

#define SKY_TEXT_PREFIX "SKY2:"

/* Validate a blob whose first 4 bytes are the varlena header. */
static void
sky_check(const void *blob, size_t size)
{
	sr_err		err;

	sr_err_clear(&err);
	if (sr_sky_validate(blob, size, &err) != SR_OK)
		sr_raise(&err);
}

/* Build a sky Datum from payload bytes (the blob minus its 4-byte header). */
static Datum
sky_from_bytes(const char *data, size_t len)
{
	char	   *blob = palloc(len + VARHDRSZ);

	memcpy(blob + VARHDRSZ, data, len);
	/* validate with a zeroed header word, as the core built it */
	memset(blob, 0, VARHDRSZ);
	sky_check(blob, len + VARHDRSZ);
	SET_VARSIZE(blob, len + VARHDRSZ);
	return PointerGetDatum(blob);
}

PG_FUNCTION_INFO_V1(sr_sky_in);
/* 'SKY1:' followed by base64 of the binary layout */
Datum
sr_sky_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		plen = strlen(SKY_TEXT_PREFIX);
	int			len, dlen;
	char	   *dst;

	if (strncmp(str, SKY_TEXT_PREFIX, plen) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sky: \"%.40s\"", str),
				 errdetail("A sky's text form starts with \"%s\" followed by base64.", SKY_TEXT_PREFIX),
				 errhint("Build a sky with smartregion.sky_agg() or smartregion.sky_from_epw().")));
	len = (int) strlen(str + plen);
	dst = palloc(pg_b64_dec_len(len) + 1);
	dlen = pg_b64_decode(str + plen, len, dst, pg_b64_dec_len(len));
	if (dlen < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type sky: \"%.40s\"", str),
				 errdetail("The text after \"%s\" is not valid base64.", SKY_TEXT_PREFIX)));
	PG_RETURN_DATUM(sky_from_bytes(dst, dlen));
}

PG_FUNCTION_INFO_V1(sr_sky_out);
Datum
sr_sky_out(PG_FUNCTION_ARGS)
{
	bytea	   *s = PG_GETARG_BYTEA_P(0);
	int			len = VARSIZE(s) - VARHDRSZ;
	int			elen = pg_b64_enc_len(len);
	size_t		plen = strlen(SKY_TEXT_PREFIX);
	char	   *out = palloc(plen + elen + 1);
	int			n;

	memcpy(out, SKY_TEXT_PREFIX, plen);
	n = pg_b64_encode(VARDATA(s), len, out + plen, elen);
	if (n < 0)
		elog(ERROR, "could not encode sky as base64");
	out[plen + n] = '\0';
	PG_RETURN_CSTRING(out);
}

PG_FUNCTION_INFO_V1(sr_sky_recv);
Datum
sr_sky_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	const char *data = pq_getmsgbytes(buf, len);

	PG_RETURN_DATUM(sky_from_bytes(data, len));
}

PG_FUNCTION_INFO_V1(sr_sky_send);
Datum
sr_sky_send(PG_FUNCTION_ARGS)
{
	bytea	   *s = PG_GETARG_BYTEA_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA(s), VARSIZE(s) - VARHDRSZ);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static Datum
sky_datum(sr_sky_hdr *s, size_t size)
{
	SET_VARSIZE(s, size);
	return PointerGetDatum(s);
}

PG_FUNCTION_INFO_V1(sr_sky_summary);
/* smartregion.sky_summary(sky) -> jsonb */
Datum
sr_sky_summary(PG_FUNCTION_ARGS)
{
	sr_sky_hdr *s = (sr_sky_hdr *) PG_GETARG_BYTEA_P(0);
	StringInfoData buf;
	double		beam = 0, dhi = 0, ghi = 0;
	int			m;

	for (m = 0; m < 12; m++)
	{
		beam += s->m_beam_h[m];
		dhi += s->m_dhi[m];
		ghi += s->m_ghi[m];
	}
	initStringInfo(&buf);
	appendStringInfo(&buf,
					 "{\"version\": %d, \"lat\": %.6f, \"lon\": %.6f, \"elevation_m\": %.1f, "
					 "\"records\": %d, \"daylight_hours\": %d, \"sun_positions\": %d, "
					 "\"sky_patches\": %d, \"subdivision\": \"Reinhart MF %d\", "
					 "\"diffuse_model\": \"Perez all-weather 1993\", \"ghi_kwh_m2\": %.3f, "
					 "\"dni_file_kwh_m2\": %.3f, \"dhi_file_kwh_m2\": %.3f, "
					 "\"beam_horizontal_kwh_m2\": %.3f, \"diffuse_horizontal_kwh_m2\": %.3f}",
					 s->version, s->lat, s->lon, s->elevation_m, s->n_rec, s->n_day, s->n_sun,
					 s->n_patch, s->mf, ghi / 1000, s->dni_sum / 1000, s->dhi_sum / 1000,
					 beam / 1000, dhi / 1000);
	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(buf.data)));
}

PG_FUNCTION_INFO_V1(sr_sky_patches);
/* smartregion.sky_patches(sky) -> one row per Reinhart patch */
Datum
sr_sky_patches(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_sky_hdr *s = (sr_sky_hdr *) PG_GETARG_BYTEA_P(0);
	const float *rad = sr_sky_rad(s);
	int			r, j, q = 0, m;

	InitMaterializedSRF(fcinfo, 0);
	for (r = 0; r < SR_SKY_NROWS; r++)
	{
		int			np = sr_sky_row_patches(r);
		double		e0 = sr_sky_row_bottom(r), e1 = sr_sky_row_bottom(r + 1);
		double		alt = r == SR_SKY_NROWS - 1 ? 90.0 : 0.5 * (e0 + e1);
		double		om = sr_sky_patch_solid_angle(r);

		for (j = 0; j < np; j++, q++)
		{
			Datum		v[7], mv[12];
			bool		nulls[7] = {false, false, false, false, false, false, false};
			double		tot = 0.0;

			for (m = 0; m < 12; m++)
			{
				double		x = rad[(size_t) m * SR_SKY_NPATCH + q];

				tot += x;
				mv[m] = Float8GetDatum(x / 1000.0);
			}
			v[0] = Int32GetDatum(q + 1);
			v[1] = Int32GetDatum(r + 1);
			v[2] = Float8GetDatum(alt);
			v[3] = Float8GetDatum(360.0 * j / np);
			v[4] = Float8GetDatum(om);
			v[5] = Float8GetDatum(tot / 1000.0);
			v[6] = PointerGetDatum(construct_array(mv, 12, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		}
	}
	return (Datum) 0;
}

/* ---------- sky_agg ---------- */

typedef struct sky_state
{
	int			n, cap;
	sr_weather_rec *recs;
	bool		has_site;
	double		lat, lon, elev;
} sky_state;

static sky_state *
sky_state_new(MemoryContext agg)
{
	sky_state  *st = MemoryContextAllocZero(agg, sizeof(sky_state));

	st->cap = 1024;
	st->recs = MemoryContextAlloc(agg, sizeof(sr_weather_rec) * st->cap);
	return st;
}

static void
sky_state_add(sky_state *st, MemoryContext agg, const sr_weather_rec *r, int n)
{
	if (st->n + n > st->cap)
	{
		while (st->n + n > st->cap)
			st->cap *= 2;
		st->recs = repalloc(st->recs, sizeof(sr_weather_rec) * st->cap);
	}
	memcpy(st->recs + st->n, r, sizeof(sr_weather_rec) * n);
	st->n += n;
}

static void
sky_state_site(sky_state *st, double lat, double lon, double elev)
{
	if (!st->has_site)
	{
		st->lat = lat;
		st->lon = lon;
		st->elev = elev;
		st->has_site = true;
	}
	else if (fabs(st->lat - lat) > 1e-6 || fabs(st->lon - lon) > 1e-6)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sky_agg rows have different locations"),
				 errdetail("Got (%g, %g) after (%g, %g) (lon, lat).", lon, lat, st->lon, st->lat),
				 errhint("A sky is the weather of one site: group by site.")));
}

PG_FUNCTION_INFO_V1(sr_sky_agg_transfn);
Datum
sr_sky_agg_transfn(PG_FUNCTION_ARGS)
{
	MemoryContext agg;
	sky_state  *st;
	sr_weather_rec r;
	bytea	   *wkb;
	double		x, y, z;
	int			has_z, srid;
	sr_err		err;

	if (!AggCheckCallContext(fcinfo, &agg))
		elog(ERROR, "sr_sky_agg_transfn called in non-aggregate context");
	st = PG_ARGISNULL(0) ? sky_state_new(agg) : (sky_state *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sky_agg: ts must not be NULL")));
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sky_agg: weather row at %s has a NULL irradiance",
						timestamptz_to_str(PG_GETARG_TIMESTAMPTZ(1))),
				 errhint("Fill or drop the gaps first; a sky needs every hour of the year.")));
	if (PG_ARGISNULL(5))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sky_agg: location must not be NULL")));
	/* timestamptz: microseconds since 2000-01-01 */
	r.unix_s = (double) PG_GETARG_TIMESTAMPTZ(1) / 1e6 + 946684800.0;
	r.ghi = PG_GETARG_FLOAT8(2);
	r.dni = PG_GETARG_FLOAT8(3);
	r.dhi = PG_GETARG_FLOAT8(4);
	if (!(r.ghi >= 0 && r.dni >= 0 && r.dhi >= 0) || !isfinite(r.ghi + r.dni + r.dhi))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_EXCEPTION),
				 errmsg("sky_agg: weather row at %s has a negative or non-finite irradiance",
						timestamptz_to_str(PG_GETARG_TIMESTAMPTZ(1))),
				 errdetail("ghi = %g, dni = %g, dhi = %g W/m2.", r.ghi, r.dni, r.dhi)));
	/* every row's location is checked: a sky is one site */
	{
		pgis_init(get_fn_expr_argtype(fcinfo->flinfo, 5));
		srid = geom_srid(PG_GETARG_DATUM(5));
		if (srid != 4326 && srid != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sky_agg: location must be a point in SRID 4326 (longitude, latitude), got SRID %d", srid)));
		wkb = geom_wkb(PG_GETARG_DATUM(5));
		sr_err_clear(&err);
		if (sr_wkb_read_point((const uint8_t *) VARDATA_ANY(wkb), VARSIZE_ANY_EXHDR(wkb),
							  &x, &y, &z, &has_z, &err) != SR_OK)
			sr_raise(&err);
		if (!(y >= -90 && y <= 90 && x >= -180 && x <= 180))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sky_agg: location (%g, %g) is not a longitude, latitude pair", x, y)));
		sky_state_site(st, y, x, has_z ? z : 0.0);
	}
	sky_state_add(st, agg, &r, 1);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sr_sky_agg_combinefn);
Datum
sr_sky_agg_combinefn(PG_FUNCTION_ARGS)
{
	MemoryContext agg;
	sky_state  *a, *b;

	if (!AggCheckCallContext(fcinfo, &agg))
		elog(ERROR, "sr_sky_agg_combinefn called in non-aggregate context");
	if (PG_ARGISNULL(1))
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	b = (sky_state *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? sky_state_new(agg) : (sky_state *) PG_GETARG_POINTER(0);
	if (b->has_site)
		sky_state_site(a, b->lat, b->lon, b->elev);
	sky_state_add(a, agg, b->recs, b->n);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(sr_sky_agg_serialfn);
Datum
sr_sky_agg_serialfn(PG_FUNCTION_ARGS)
{
	sky_state  *st = (sky_state *) PG_GETARG_POINTER(0);
	size_t		len = sizeof(int32) + 3 * sizeof(double) + sizeof(sr_weather_rec) * st->n;
	bytea	   *b = palloc(len + VARHDRSZ);
	char	   *p = VARDATA(b);
	int32		n = st->has_site ? st->n : -1 - st->n;

	SET_VARSIZE(b, len + VARHDRSZ);
	memcpy(p, &n, sizeof(int32));
	p += sizeof(int32);
	memcpy(p, &st->lat, sizeof(double));
	memcpy(p + 8, &st->lon, sizeof(double));
	memcpy(p + 16, &st->elev, sizeof(double));
	memcpy(p + 24, st->recs, sizeof(sr_weather_rec) * st->n);
	PG_RETURN_BYTEA_P(b);
}

PG_FUNCTION_INFO_V1(sr_sky_agg_deserialfn);
Datum
sr_sky_agg_deserialfn(PG_FUNCTION_ARGS)
{
	MemoryContext agg;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(b);
	sky_state  *st;
	int32		n;

	if (!AggCheckCallContext(fcinfo, &agg))
		elog(ERROR, "sr_sky_agg_deserialfn called in non-aggregate context");
	st = sky_state_new(agg);
	memcpy(&n, p, sizeof(int32));
	p += sizeof(int32);
	st->has_site = n >= 0;
	if (n < 0)
		n = -1 - n;
	memcpy(&st->lat, p, sizeof(double));
	memcpy(&st->lon, p + 8, sizeof(double));
	memcpy(&st->elev, p + 16, sizeof(double));
	sky_state_add(st, agg, (const sr_weather_rec *) (p + 24), n);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(sr_sky_agg_finalfn);
Datum
sr_sky_agg_finalfn(PG_FUNCTION_ARGS)
{
	sky_state  *st;
	sr_sky_hdr *s;
	size_t		size;
	sr_err		err;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (sky_state *) PG_GETARG_POINTER(0);
	if (st->n == 0 || !st->has_site)
		PG_RETURN_NULL();
	sr_err_clear(&err);
	if (sr_sky_build(st->recs, st->n, st->lat, st->lon, st->elev, &s, &size, &err) != SR_OK)
		sr_raise(&err);
	if (st->n != 8760 && st->n != 8784)
		ereport(NOTICE,
				(errmsg("sky_agg: %d hourly records, not a whole year: irradiation totals cover these hours only",
						st->n)));
	PG_RETURN_DATUM(sky_datum(s, size));
}

PG_FUNCTION_INFO_V1(sr_sky_from_epw);
/* smartregion.sky_from_epw(content text) */
Datum
sr_sky_from_epw(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	sr_epw_location loc;
	sr_epw_record *r;
	sr_weather_rec *w;
	sr_sky_hdr *s;
	size_t		size;
	int			n, i;
	sr_err		err;

	sr_err_clear(&err);
	if (sr_epw_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &loc, &r, &n, &err) != SR_OK)
		sr_raise(&err);
	w = palloc(sizeof(sr_weather_rec) * (n > 0 ? n : 1));
	for (i = 0; i < n; i++)
	{
		if (isnan(r[i].ghi) || isnan(r[i].dni) || isnan(r[i].dhi))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("EPW record %d (%04d-%02d-%02d hour %d) has a missing irradiance",
							i + 1, r[i].year, r[i].month, r[i].day, r[i].hour)));
		w[i].unix_s = r[i].ts;
		w[i].ghi = r[i].ghi;
		w[i].dni = r[i].dni;
		w[i].dhi = r[i].dhi;
	}
	if (sr_sky_build(w, n, loc.lat, loc.lon, loc.elevation, &s, &size, &err) != SR_OK)
		sr_raise(&err);
	PG_RETURN_DATUM(sky_datum(s, size));
}

/* ---------- prepared sky cache (per call site) ---------- */

typedef struct sky_cache
{
	char		hdr[sizeof(sr_sky_hdr)];
	bool		valid;
	int			ns;
	sr_sky_prep *prep;
	/* the stored value the prepared sky came from, when it was one */
	bool		ext_valid;
	struct varatt_external ext;
	TupleDesc	td;				/* the result row type, blessed */
} sky_cache;

/* Prepared sky for this call site, re-prepared only when the sky or the
 * sector count changes.  A sky stored in a table reaches the function as a
 * TOAST pointer: the same pointer (relation, value id: a stored value never
 * changes) is the same sky, without a fetch; any other sky is compared by
 * its header (fetched as a slice). */
static sr_sky_prep *
sky_prepared(FunctionCallInfo fcinfo, Datum skyd, int ns)
{
	sky_cache  *c = fcinfo->flinfo->fn_extra;
	struct varlena *slice;
	struct varlena *raw = (struct varlena *) DatumGetPointer(skyd);
	struct varatt_external ext;
	bool		is_ext = VARATT_IS_EXTERNAL_ONDISK(raw);
	sr_sky_hdr *s;
	MemoryContext old;
	sr_err		err;

	if (c == NULL)
		c = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(sky_cache));
	if (is_ext)
	{
		VARATT_EXTERNAL_GET_POINTER(ext, raw);
		if (c->valid && c->ns == ns && c->ext_valid &&
			ext.va_valueid == c->ext.va_valueid && ext.va_toastrelid == c->ext.va_toastrelid)
			return c->prep;
	}
	slice = PG_DETOAST_DATUM_SLICE(skyd, 0, sizeof(sr_sky_hdr) - VARHDRSZ);
	if (VARSIZE(slice) == sizeof(sr_sky_hdr) && c->valid && c->ns == ns &&
		memcmp(VARDATA(slice), c->hdr + VARHDRSZ, sizeof(sr_sky_hdr) - VARHDRSZ) == 0)
	{
		c->ext_valid = is_ext;
		if (is_ext)
			c->ext = ext;
		return c->prep;
	}
	s = (sr_sky_hdr *) PG_DETOAST_DATUM(skyd);
	if (c->prep)
		sr_sky_prep_free(c->prep);
	c->prep = NULL;
	c->valid = false;
	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	sr_err_clear(&err);
	if (sr_sky_prepare(s, ns, &c->prep, &err) != SR_OK)
	{
		MemoryContextSwitchTo(old);
		sr_raise(&err);
	}
	MemoryContextSwitchTo(old);
	memcpy(c->hdr, s, sizeof(sr_sky_hdr));
	c->ns = ns;
	c->valid = true;
	c->ext_valid = is_ext;
	if (is_ext)
		c->ext = ext;
	return c->prep;
}

/* (annual_kwh_m2, monthly_kwh_m2[], shading_loss_pct); *cache (if not
 * NULL) keeps the blessed row type for the call site's later rows */
static Datum
irradiation_tuple(FunctionCallInfo fcinfo, const sr_irradiation *r,
				  double loss_pct, TupleDesc *cache)
{
	TupleDesc	td;
	Datum		v[3], m[12];
	bool		nulls[3] = {false, false, false};
	int			i;

	if (cache && *cache)
		td = *cache;
	else
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "return type must be a row type");
		td = BlessTupleDesc(td);
		MemoryContextSwitchTo(old);
		if (cache)
			*cache = td;
	}
	for (i = 0; i < 12; i++)
		m[i] = Float8GetDatum(r->monthly[i] / 1000.0);
	v[0] = Float8GetDatum(r->annual / 1000.0);
	v[1] = PointerGetDatum(construct_array(m, 12, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
	v[2] = Float8GetDatum(loss_pct);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

PG_FUNCTION_INFO_V1(sr_surface_irradiation);
/* smartregion.surface_irradiation(sky, surface_tilt, surface_azimuth,
 * horizon DEFAULT NULL, albedo DEFAULT 0.25) */
Datum
sr_surface_irradiation(PG_FUNCTION_ARGS)
{
	double		tilt, az, albedo;
	sr_horizon_v *h = NULL;
	sr_sky_prep *p;
	sr_irradiation shaded;
	double		loss = 0.0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	tilt = PG_GETARG_FLOAT8(1);
	az = PG_GETARG_FLOAT8(2);
	albedo = PG_GETARG_FLOAT8(4);
	sr_require_range(tilt, "surface_tilt", 0, 90);
	sr_require_range(az, "surface_azimuth", -360, 360);
	sr_require_range(albedo, "albedo", 0, 1);
	if (az < 0)
		az += 360;
	if (!PG_ARGISNULL(3))
		h = PG_GETARG_HORIZON(3);
	p = sky_prepared(fcinfo, PG_GETARG_DATUM(0), h ? h->n : 72);
	if (h)
	{
		double		oa;

		/* shaded months and the open annual (for the loss) in one pass */
		sr_plane_irradiation_shading(p, tilt, az, h->elev, albedo, &shaded, &oa);
		loss = oa > 0 ? 100.0 * (1.0 - shaded.annual / oa) : 0.0;
		if (loss < 0 && loss > -1e-4)
			loss = 0.0;			/* float rounding of the two paths, not light */
	}
	else
		sr_plane_irradiation(p, tilt, az, NULL, albedo, &shaded);
	PG_RETURN_DATUM(irradiation_tuple(fcinfo, &shaded, loss,
									  &((sky_cache *) fcinfo->flinfo->fn_extra)->td));
}

/* Column number of a named column, or 0. */
static int
column_of(TupleDesc td, const char *name)
{
	int			i;

	for (i = 0; i < td->natts; i++)
	{
		Form_pg_attribute a = TupleDescAttr(td, i);

		if (!a->attisdropped && strcmp(NameStr(a->attname), name) == 0)
			return i + 1;
	}
	return 0;
}

PG_FUNCTION_INFO_V1(sr_surface_irradiation_hourly);
/* smartregion.surface_irradiation_hourly(weather_sql, lat, lon, tilt,
 * azimuth, horizon, albedo): every hour with SPA + Perez, the reference. */
Datum
sr_surface_irradiation_hourly(PG_FUNCTION_ARGS)
{
	char	   *sql;
	double		lat, lon, tilt, az, albedo;
	sr_horizon_v *h = NULL;
	sr_weather_rec *w;
	sr_irradiation shaded;
	double		loss = 0.0;
	int			n = 0, cap = 9000, cts, cg, cn, cd;
	Portal		portal;
	SPIPlanPtr	plan;
	sr_err		err;
	MemoryContext fcxt = CurrentMemoryContext;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		PG_ARGISNULL(4) || PG_ARGISNULL(6))
		PG_RETURN_NULL();
	sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	lat = PG_GETARG_FLOAT8(1);
	lon = PG_GETARG_FLOAT8(2);
	tilt = PG_GETARG_FLOAT8(3);
	az = PG_GETARG_FLOAT8(4);
	albedo = PG_GETARG_FLOAT8(6);
	sr_require_range(lat, "lat", -90, 90);
	sr_require_range(lon, "lon", -180, 180);
	sr_require_range(tilt, "surface_tilt", 0, 90);
	sr_require_range(az, "surface_azimuth", -360, 360);
	sr_require_range(albedo, "albedo", 0, 1);
	if (az < 0)
		az += 360;
	if (!PG_ARGISNULL(5))
		h = PG_GETARG_HORIZON(5);

	w = palloc(sizeof(sr_weather_rec) * cap);
	SPI_connect();
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("could not prepare weather_sql: %s", SPI_result_code_string(SPI_result))));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	cts = column_of(portal->tupDesc, "ts");
	cg = column_of(portal->tupDesc, "ghi");
	cn = column_of(portal->tupDesc, "dni");
	cd = column_of(portal->tupDesc, "dhi");
	if (!cts || !cg || !cn || !cd ||
		TupleDescAttr(portal->tupDesc, cts - 1)->atttypid != TIMESTAMPTZOID)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("weather_sql must return columns \"ts\" (timestamptz), \"ghi\", \"dni\" and \"dhi\"")));
	for (;;)
	{
		uint64		i;

		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	td = SPI_tuptable->tupdesc;
			bool		n1, n2, n3, n4;
			Datum		ts = SPI_getbinval(tup, td, cts, &n1);
			Datum		g = SPI_getbinval(tup, td, cg, &n2);
			Datum		dn = SPI_getbinval(tup, td, cn, &n3);
			Datum		dh = SPI_getbinval(tup, td, cd, &n4);
			Oid			ty = TupleDescAttr(td, cg - 1)->atttypid;

			if (n1 || n2 || n3 || n4)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("weather row %d has a NULL value", n + 1)));
			if (ty != FLOAT8OID || TupleDescAttr(td, cn - 1)->atttypid != FLOAT8OID ||
				TupleDescAttr(td, cd - 1)->atttypid != FLOAT8OID)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("weather_sql columns \"ghi\", \"dni\" and \"dhi\" must be float8")));
			if (n >= cap)
			{
				MemoryContext o = MemoryContextSwitchTo(fcxt);

				cap *= 2;
				w = repalloc(w, sizeof(sr_weather_rec) * cap);
				MemoryContextSwitchTo(o);
			}
			w[n].unix_s = (double) DatumGetTimestampTz(ts) / 1e6 + 946684800.0;
			w[n].ghi = DatumGetFloat8(g);
			w[n].dni = DatumGetFloat8(dn);
			w[n].dhi = DatumGetFloat8(dh);
			n++;
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();

	sr_err_clear(&err);
	if (h)
	{
		/* shaded and open in one pass over the hours */
		double		open_annual;

		if (sr_plane_irradiation_hourly_shading(w, n, lat, lon, 0.0, tilt, az, h->elev, h->n,
												albedo, &shaded, &open_annual, &err) != SR_OK)
			sr_raise(&err);
		loss = open_annual > 0 ? 100.0 * (1.0 - shaded.annual / open_annual) : 0.0;
	}
	else if (sr_plane_irradiation_hourly(w, n, lat, lon, 0.0, tilt, az, NULL, 72, albedo,
										   &shaded, &err) != SR_OK)
		sr_raise(&err);
	PG_RETURN_DATUM(irradiation_tuple(fcinfo, &shaded, loss, NULL));
}

/* ======================================================================
 * roof_plane
 * ====================================================================== */

PG_FUNCTION_INFO_V1(sr_roof_plane);
/* smartregion.roof_plane(face geometry) -> (tilt, azimuth, area_m2) */
Datum
sr_roof_plane(PG_FUNCTION_ARGS)
{
	Datum		g = PG_GETARG_DATUM(0);
	bytea	   *wkb;
	sr_mpoly	m;
	sr_poly3	p;
	sr_plane	pl;
	sr_err		err;
	int		   *npr, r;
	TupleDesc	td;
	Datum		v[3];
	bool		nulls[3] = {false, false, false};

	pgis_init(get_fn_expr_argtype(fcinfo->flinfo, 0));
	SPI_connect();
	require_metric_srid(geom_srid(g), "face");
	SPI_finish();
	wkb = geom_wkb(g);
	sr_err_clear(&err);
	if (sr_wkb_read_mpoly((const uint8_t *) VARDATA_ANY(wkb), VARSIZE_ANY_EXHDR(wkb), &m, &err) != SR_OK)
		sr_raise(&err);
	if (m.npolys != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("face must be one polygon, got %d", m.npolys)));
	npr = palloc(sizeof(int) * m.nrings);
	for (r = 0; r < m.nrings; r++)
		npr[r] = m.ring_pt_start[r + 1] - m.ring_pt_start[r];
	p.nrings = m.nrings;
	p.ring_npts = npr;
	p.xyz = m.xyz;
	if (sr_roof_plane_fit(&p, &pl, &err) != SR_OK)
		sr_raise(&err);
	if (!m.has_z)
	{
		pl.tilt = 0;
		pl.azimuth = 180;
		pl.area_3d = pl.area_2d;
	}
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	v[0] = Float8GetDatum(pl.tilt);
	v[1] = Float8GetDatum(pl.azimuth);
	v[2] = Float8GetDatum(pl.area_3d);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(td, v, nulls)));
}

/* ======================================================================
 * Reading buildings (horizon_at, solar_cadastre)
 * ====================================================================== */

typedef struct bset
{
	sr_building *b;
	int			n;
	int			srid;
} bset;

/* Run buildings_sql through SPI (connected) and decode every row into
 * 'cxt'.  Requires columns id, geom; height, ground_z, roof_z_min,
 * roof_z_max, target are optional (NULL when absent). */
static void
read_buildings(const char *sql, MemoryContext cxt, bset *out, const char *param)
{
	char	   *q;
	int			cid, cgeom, ch, cg, cr, crmin, ct, cap = 1024;
	TupleDesc	td;
	Portal		portal;
	SPIPlanPtr	plan;
	MemoryContext old;

	memset(out, 0, sizeof(*out));
	out->srid = -1;
	q = psprintf("SELECT * FROM (%s) q LIMIT 0", sql);
	if (SPI_execute(q, true, 0) != SPI_OK_SELECT)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a SELECT query", param)));
	td = SPI_tuptable->tupdesc;
	cid = column_of(td, "id");
	cgeom = column_of(td, "geom");
	ch = column_of(td, "height");
	cg = column_of(td, "ground_z");
	cr = column_of(td, "roof_z_max");
	crmin = column_of(td, "roof_z_min");
	ct = column_of(td, "target");
	if (!cid || !cgeom)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_COLUMN),
				 errmsg("%s must return columns \"id\", \"geom\" and \"height\"", param),
				 errdetail("Optional columns: \"ground_z\", \"roof_z_min\", \"roof_z_max\", \"target\".")));
	pgis_init(TupleDescAttr(td, cgeom - 1)->atttypid);
	q = psprintf("SELECT q.id::pg_catalog.int8, %s.st_asbinary(q.geom), %s.st_srid(q.geom), %s, %s, %s, %s, %s FROM (%s) q",
				 pgis.nsp, pgis.nsp,
				 ch ? "q.height::pg_catalog.float8" : "NULL::pg_catalog.float8",
				 cg ? "q.ground_z::pg_catalog.float8" : "NULL::pg_catalog.float8",
				 cr ? "q.roof_z_max::pg_catalog.float8" : "NULL::pg_catalog.float8",
				 ct ? "q.target::pg_catalog.bool" : "true",
				 crmin ? "q.roof_z_min::pg_catalog.float8" : "NULL::pg_catalog.float8", sql);
	SPI_freetuptable(SPI_tuptable);
	plan = SPI_prepare(q, 0, NULL);
	if (plan == NULL)
		elog(ERROR, "could not prepare the building query: %s", SPI_result_code_string(SPI_result));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	old = MemoryContextSwitchTo(cxt);
	out->b = palloc(sizeof(sr_building) * cap);
	MemoryContextSwitchTo(old);
	for (;;)
	{
		uint64		i;

		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		for (i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = SPI_tuptable->vals[i];
			TupleDesc	t2 = SPI_tuptable->tupdesc;
			bool		isnull;
			Datum		d;
			sr_building *b;
			sr_err		err;
			int			srid;

			old = MemoryContextSwitchTo(cxt);
			if (out->n >= cap)
			{
				cap *= 2;
				out->b = repalloc_huge(out->b, sizeof(sr_building) * cap);
			}
			b = &out->b[out->n];
			memset(b, 0, sizeof(*b));
			d = SPI_getbinval(tup, t2, 1, &isnull);
			if (isnull)
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("%s returned a row with a NULL id", param)));
			b->id = DatumGetInt64(d);
			d = SPI_getbinval(tup, t2, 4, &isnull);
			b->height = isnull ? NAN : DatumGetFloat8(d);
			d = SPI_getbinval(tup, t2, 5, &isnull);
			b->ground_z = isnull ? NAN : DatumGetFloat8(d);
			d = SPI_getbinval(tup, t2, 6, &isnull);
			b->roof_z_max = isnull ? NAN : DatumGetFloat8(d);
			d = SPI_getbinval(tup, t2, 7, &isnull);
			b->obstacle_only = !isnull && !DatumGetBool(d);
			d = SPI_getbinval(tup, t2, 8, &isnull);
			b->roof_z_min = isnull ? NAN : DatumGetFloat8(d);
			if (!isnan(b->roof_z_min) && !isfinite(b->roof_z_min))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("building %lld has an invalid roof_z_min %g", (long long) b->id, b->roof_z_min)));
			if (!isnan(b->roof_z_max) && !isfinite(b->roof_z_max))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("building %lld has an invalid roof_z_max %g", (long long) b->id, b->roof_z_max)));
			if (isfinite(b->roof_z_min) && isfinite(b->roof_z_max) && b->roof_z_min > b->roof_z_max)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("building %lld has roof_z_min %g above roof_z_max %g",
								(long long) b->id, b->roof_z_min, b->roof_z_max)));
			d = SPI_getbinval(tup, t2, 2, &isnull);
			if (!isnull)
			{
				bytea	   *w = DatumGetByteaPP(d);

				srid = DatumGetInt32(SPI_getbinval(tup, t2, 3, &isnull));
				if (out->srid < 0)
					out->srid = srid;
				else if (srid != out->srid)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("building %lld has SRID %d, the others %d",
									(long long) b->id, srid, out->srid)));
				sr_err_clear(&err);
				if (sr_wkb_read_mpoly((const uint8_t *) VARDATA_ANY(w), VARSIZE_ANY_EXHDR(w),
									  &b->geom, &err) != SR_OK)
					ereport(ERROR,
							(errcode(sr_status_sqlstate(err.status)),
							 errmsg("building %lld: %s", (long long) b->id, err.msg)));
				if (!isnan(b->height) && !(isfinite(b->height) && b->height >= 0))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("building %lld has an invalid height %g", (long long) b->id, b->height)));
			}
			out->n++;
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	if (out->srid >= 0)
		require_metric_srid(out->srid, param);
}

/* ======================================================================
 * horizon_at
 * ====================================================================== */

PG_FUNCTION_INFO_V1(sr_horizon_at);
/* smartregion.horizon_at(location, obstacles_sql, radius_m, sectors) */
Datum
sr_horizon_at(PG_FUNCTION_ARGS)
{
	Datum		loc;
	char	   *sql;
	double		radius, x, y, z;
	int			ns, has_z, i, srid;
	bytea	   *wkb;
	bset		bs;
	sr_cadastre_opts o;
	sr_obstacles obs;
	sr_grid    *g;
	sr_err		err;
	double	   *ztop, *xy, elev[SR_HORIZON_MAX_SECTORS];
	int		   *rs, *ps, nobs = 0, nr = 0, np = 0;
	float		ev[SR_HORIZON_MAX_SECTORS];
	MemoryContext cxt = CurrentMemoryContext;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_NULL();
	loc = PG_GETARG_DATUM(0);
	sql = text_to_cstring(PG_GETARG_TEXT_PP(1));
	radius = PG_GETARG_FLOAT8(2);
	ns = PG_GETARG_INT32(3);
	sr_require_range(radius, "radius_m", 1, 5000);
	if (ns < SR_HORIZON_MIN_SECTORS || ns > SR_HORIZON_MAX_SECTORS)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("parameter \"sectors\" is out of range: %d", ns),
				 errdetail("The accepted range is [%d, %d].", SR_HORIZON_MIN_SECTORS, SR_HORIZON_MAX_SECTORS)));
	pgis_init(get_fn_expr_argtype(fcinfo->flinfo, 0));
	wkb = geom_wkb(loc);
	sr_err_clear(&err);
	if (sr_wkb_read_point((const uint8_t *) VARDATA_ANY(wkb), VARSIZE_ANY_EXHDR(wkb),
						  &x, &y, &z, &has_z, &err) != SR_OK)
		sr_raise(&err);
	srid = geom_srid(loc);

	SPI_connect();
	require_metric_srid(srid, "location");
	read_buildings(sql, cxt, &bs, "obstacles_sql");
	if (bs.n > 0 && bs.srid >= 0 && bs.srid != srid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("location has SRID %d but the obstacles have SRID %d", srid, bs.srid)));
	SPI_finish();

	/* obstacles: footprint rings up to the building's top */
	sr_cadastre_opts_default(&o);
	for (i = 0; i < bs.n; i++)
	{
		nr += bs.b[i].geom.nrings;
		np += bs.b[i].geom.npts;
	}
	ztop = palloc(sizeof(double) * (bs.n + 1));
	rs = palloc(sizeof(int) * (bs.n + 2));
	ps = palloc(sizeof(int) * (nr + 2));
	xy = palloc(sizeof(double) * 2 * (np + 1));
	rs[0] = 0;
	ps[0] = 0;
	nr = np = 0;
	for (i = 0; i < bs.n; i++)
	{
		sr_building *b = &bs.b[i];
		double		top = NAN;
		int			r, k;

		if (b->geom.npolys == 0)
			continue;
		if (isfinite(b->roof_z_max))
			top = b->roof_z_max;
		else if (!b->geom.has_z)
			top = isfinite(b->height) ? (isfinite(b->ground_z) ? b->ground_z : 0) + b->height : NAN;
		else
		{
			top = -INFINITY;
			for (k = 0; k < b->geom.npts; k++)
				top = fmax(top, b->geom.xyz[3 * k + 2]);
		}
		if (!isfinite(top))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("obstacle %lld has no height", (long long) b->id),
					 errhint("Give a \"height\" (2D footprints) or 3D geometries.")));
		ztop[nobs] = top;
		for (r = 0; r < b->geom.nrings; r++)
		{
			for (k = b->geom.ring_pt_start[r]; k < b->geom.ring_pt_start[r + 1]; k++)
			{
				xy[2 * np] = b->geom.xyz[3 * k];
				xy[2 * np + 1] = b->geom.xyz[3 * k + 1];
				np++;
			}
			nr++;
			ps[nr] = np;
		}
		nobs++;
		rs[nobs] = nr;
	}
	obs.n = nobs;
	obs.ztop = ztop;
	obs.ring_start = rs;
	obs.pt_start = ps;
	obs.xy = xy;
	if (sr_grid_build(&obs, 0, &g, &err) != SR_OK ||
		sr_horizon_compute(g, x, y, z, radius, ns, -1, elev, &err) != SR_OK)
		sr_raise(&err);
	for (i = 0; i < ns; i++)
		ev[i] = (float) elev[i];
	PG_RETURN_POINTER(horizon_make(ev, ns));
}

/* ======================================================================
 * solar_cadastre
 * ====================================================================== */

static double
opt_number(JsonbValue *v, const char *key)
{
	if (v->type != jbvNumeric)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("option \"%s\" must be a number", key)));
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

/* Parse the options jsonb: known keys only, numbers (class_thresholds: an
 * array of 3 ascending numbers). */
static void
parse_options(Jsonb *jb, sr_cadastre_opts *o, double *max_km)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;
	int			depth = 0, ti = 0;
	sr_err		err;

	sr_cadastre_opts_default(o);
	*max_km = 50.0;
	if (jb == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("options must be a JSON object")));
	it = JsonbIteratorInit(&jb->root);
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		if (tok == WJB_BEGIN_OBJECT || tok == WJB_BEGIN_ARRAY)
		{
			depth++;
			if (depth > 1 && (tok == WJB_BEGIN_OBJECT || strcmp(key, "class_thresholds") != 0))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"%s\" must be a number", key)));
			continue;
		}
		if (tok == WJB_END_OBJECT || tok == WJB_END_ARRAY)
		{
			if (depth == 2 && ti != 3)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"class_thresholds\" must be an array of 3 numbers")));
			depth--;
			continue;
		}
		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (depth == 2 && tok == WJB_ELEM)
		{
			if (ti >= 3)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"class_thresholds\" must be an array of 3 numbers")));
			o->class_thresholds[ti++] = opt_number(&v, key);
			continue;
		}
		if (strcmp(key, "class_thresholds") == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("option \"class_thresholds\" must be an array of 3 numbers")));
		else if (strcmp(key, "radius_m") == 0)
			o->radius_m = opt_number(&v, key);
		else if (strcmp(key, "sectors") == 0)
		{
			double		s = opt_number(&v, key);

			if (s != floor(s))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"sectors\" must be an integer")));
			o->sectors = s > 1e6 ? 1000000 : (s < -1e6 ? -1000000 : (int) s);
		}
		else if (strcmp(key, "viewpoints") == 0)
		{
			double		s = opt_number(&v, key);

			if (s != 1 && s != 5)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"viewpoints\" must be 1 or 5, got %g", s)));
			o->viewpoints = (int) s;
		}
		else if (strcmp(key, "kwp_per_m2") == 0)
			o->kwp_per_m2 = opt_number(&v, key);
		else if (strcmp(key, "performance_ratio") == 0)
			o->performance_ratio = opt_number(&v, key);
		else if (strcmp(key, "setback_m") == 0)
			o->setback_m = opt_number(&v, key);
		else if (strcmp(key, "min_usable_area_m2") == 0)
			o->min_usable_area_m2 = opt_number(&v, key);
		else if (strcmp(key, "flat_tilt_max_deg") == 0)
			o->flat_tilt_max = opt_number(&v, key);
		else if (strcmp(key, "flat_module_tilt_deg") == 0)
			o->flat_module_tilt = opt_number(&v, key);
		else if (strcmp(key, "wall_tilt_min_deg") == 0)
			o->wall_tilt_min = opt_number(&v, key);
		else if (strcmp(key, "albedo") == 0)
			o->albedo = opt_number(&v, key);
		else if (strcmp(key, "max_sky_distance_km") == 0)
		{
			*max_km = opt_number(&v, key);
			if (!(*max_km > 0 && *max_km <= 20000))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("option \"max_sky_distance_km\" must be between 0 and 20000, got %g", *max_km)));
		}
		else
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unrecognized option \"%s\"", key),
					 errhint("Accepted: radius_m, sectors, viewpoints, kwp_per_m2, performance_ratio, setback_m, "
							 "min_usable_area_m2, flat_tilt_max_deg, flat_module_tilt_deg, "
							 "wall_tilt_min_deg, albedo, class_thresholds, max_sky_distance_km.")));
	}
	sr_err_clear(&err);
	if (sr_cadastre_opts_check(o, &err) != SR_OK)
		sr_raise(&err);
}

static const char *const class_names[5] = {"unsuitable", "low", "medium", "good", "excellent"};

/* Great-circle distance in km. */
static double
haversine_km(double lat1, double lon1, double lat2, double lon2)
{
	double		p1 = lat1 * SR_DEG2RAD, p2 = lat2 * SR_DEG2RAD;
	double		dp = p2 - p1, dl = (lon2 - lon1) * SR_DEG2RAD;
	double		a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);

	return 2 * 6371.0 * asin(sqrt(a > 1 ? 1 : a));
}

PG_FUNCTION_INFO_V1(sr_solar_cadastre);
/* smartregion.solar_cadastre(buildings_sql, sky, options) */
Datum
sr_solar_cadastre(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *sql;
	sr_sky_hdr *sky;
	sr_cadastre_opts o;
	double		max_km, cx, cy;
	bset		bs;
	sr_cadastre *c;
	sr_err		err;
	int			nf, i, no_h, empty, walls;
	MemoryContext work, old, rowcxt;
	TimestampTz start, last;
	Oid			geomtype;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("buildings_sql and sky must not be NULL")));
	sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sky = (sr_sky_hdr *) PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
	parse_options(PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2), &o, &max_km);

	InitMaterializedSRF(fcinfo, 0);
	geomtype = TupleDescAttr(rsinfo->setDesc, 2)->atttypid;
	work = AllocSetContextCreate(CurrentMemoryContext, "solar_cadastre",
								 ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(CurrentMemoryContext, "solar_cadastre row",
								   ALLOCSET_DEFAULT_SIZES);
	start = last = GetCurrentTimestamp();

	SPI_connect();
	read_buildings(sql, work, &bs, "buildings_sql");
	pgis_init(geomtype);

	old = MemoryContextSwitchTo(work);
	sr_err_clear(&err);
	if (sr_cadastre_prepare(bs.b, bs.n, &o, sky, &c, &err) != SR_OK)
		sr_raise(&err);
	MemoryContextSwitchTo(old);
	nf = sr_cadastre_nfaces(c);
	sr_cadastre_skipped(c, &no_h, &empty, &walls);
	if (no_h + empty + walls > 0)
		ereport(NOTICE,
				(errmsg("solar_cadastre: skipped %d buildings without a height, %d with an empty or degenerate geometry, %d with no face flatter than %g deg",
						no_h, empty, walls, o.wall_tilt_min)));

	/* the sky must describe the same place as the buildings */
	if (nf > 0 && bs.srid > 0)
	{
		char	   *q;
		bool		isnull;
		double		lat, lon, km;

		sr_cadastre_center(c, &cx, &cy);
		q = psprintf("SELECT %s.st_y(p), %s.st_x(p) FROM %s.st_transform(%s.st_setsrid(%s.st_makepoint(%.17g, %.17g), %d), 4326) p",
					 pgis.nsp, pgis.nsp, pgis.nsp, pgis.nsp, pgis.nsp, cx, cy, bs.srid);
		if (SPI_execute(q, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not transform the buildings' centre");
		lat = DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
		lon = DatumGetFloat8(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
		km = haversine_km(lat, lon, sky->lat, sky->lon);
		if (km > max_km)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the buildings are %.0f km from the sky's site, more than %g km", km, max_km),
					 errdetail("Buildings around (%.4f, %.4f), sky at (%.4f, %.4f) (lat, lon).",
							   lat, lon, sky->lat, sky->lon),
					 errhint("Use the weather of the buildings' place, or raise option \"max_sky_distance_km\".")));
	}
	if (nf >= 50000)
		ereport(NOTICE,
				(errmsg("solar_cadastre: %d roof faces of %d buildings", nf, bs.n)));

	for (i = 0; i < nf; i++)
	{
		sr_face_result r;
		Datum		v[13], m[12];
		bool		nulls[13] = {false};
		const sr_building *b;
		uint8_t    *wkb;
		size_t		wlen;
		int			k;

		if ((i & 255) == 0)
		{
			CHECK_FOR_INTERRUPTS();
			if (TimestampDifferenceExceeds(last, GetCurrentTimestamp(), 10000))
			{
				last = GetCurrentTimestamp();
				ereport(NOTICE,
						(errmsg("solar_cadastre: %d of %d roof faces done (%.0f s)", i, nf,
								(double) (last - start) / 1e6)));
			}
		}
		old = MemoryContextSwitchTo(rowcxt);
		sr_cadastre_face(c, i, &r);
		b = &bs.b[r.building];
		wkb = sr_wkb_write_polygon(&b->geom, r.face - 1, &wlen);
		v[0] = Int64GetDatum(r.building_id);
		v[1] = Int32GetDatum(r.face);
		v[2] = geom_from_wkb(wkb, wlen, bs.srid < 0 ? 0 : bs.srid);
		v[3] = Float8GetDatum(r.tilt);
		v[4] = Float8GetDatum(r.azimuth);
		v[5] = Float8GetDatum(r.area_m2);
		v[6] = Float8GetDatum(r.usable_area_m2);
		v[7] = Float8GetDatum(r.annual_kwh_m2);
		for (k = 0; k < 12; k++)
			m[k] = Float8GetDatum(r.monthly_kwh_m2[k]);
		v[8] = PointerGetDatum(construct_array(m, 12, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd'));
		v[9] = Float8GetDatum(r.shading_loss_pct);
		v[10] = Float8GetDatum(r.pv_kwp);
		v[11] = Float8GetDatum(r.pv_kwh_year);
		v[12] = CStringGetTextDatum(class_names[r.potential_class]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nulls);
		MemoryContextSwitchTo(old);
		MemoryContextReset(rowcxt);
	}
	SPI_finish();
	MemoryContextDelete(work);
	MemoryContextDelete(rowcxt);
	return (Datum) 0;
}
