/*
 * epw.c — parser of EnergyPlus weather (EPW) files.
 *
 * Format: "Auxiliary Programs" guide of EnergyPlus, chapter "Weather
 * Converter Program", section "EnergyPlus Weather File (EPW) Data
 * Dictionary".  Line 1 is LOCATION,city,state,country,source,WMO,lat,lon,
 * tz,elevation; seven more header lines (DESIGN CONDITIONS ... DATA
 * PERIODS) follow; then one comma-separated line per hour with 35 fields
 * (year, month, day, hour 1..24, minute, flags, dry bulb, dew point, RH,
 * pressure, ..., GHI [13], DNI [14], DHI [15], ..., wind direction [20],
 * wind speed [21], ..., albedo [32], ...).
 *
 * Hour h of an EPW row covers (h-1, h] in local standard time, so a row is
 * stamped with the end of its hour (as pvlib.iotools.read_epw), converted
 * to UTC with the file's time zone.  Missing-value codes become NaN.
 */
#include "sr_solar.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPW_MAX_FIELDS 40
#define EPW_MIN_FIELDS 22		/* through wind speed */

/* A line of the file: [start, end) without the line terminator. */
typedef struct epw_line
{
	const char *start;
	const char *end;
} epw_line;

/* Next line from *pos; returns 0 at the end of the content. */
static int
next_line(const char **pos, const char *stop, epw_line *line)
{
	const char *p = *pos;
	const char *e;

	if (p >= stop)
		return 0;
	e = memchr(p, '\n', (size_t) (stop - p));
	if (!e)
		e = stop;
	line->start = p;
	line->end = (e > p && e[-1] == '\r') ? e - 1 : e;
	*pos = e < stop ? e + 1 : stop;
	return 1;
}

/* Split a line at commas (no quoting in EPW data lines). */
static int
split_fields(const epw_line *line, epw_line *fields, int max)
{
	const char *p = line->start;
	int			n = 0;

	while (n < max)
	{
		const char *c = memchr(p, ',', (size_t) (line->end - p));

		fields[n].start = p;
		fields[n].end = c ? c : line->end;
		n++;
		if (!c)
			break;
		p = c + 1;
	}
	return n;
}

/* Parse a whole field as a number (blanks around allowed). */
static int
field_number(const epw_line *f, double *v)
{
	char		buf[64];
	size_t		len = (size_t) (f->end - f->start);
	char	   *endp;
	const char *s;

	if (len == 0 || len >= sizeof(buf))
		return 0;
	memcpy(buf, f->start, len);
	buf[len] = '\0';
	for (s = buf; isspace((unsigned char) *s); s++)
		;
	if (*s == '\0')
		return 0;
	errno = 0;
	*v = strtod(s, &endp);
	while (isspace((unsigned char) *endp))
		endp++;
	if (*endp != '\0' || errno == ERANGE || !isfinite(*v))
		return 0;
	return 1;
}

static void
copy_field(const epw_line *f, char *dst, size_t size)
{
	size_t		len = (size_t) (f->end - f->start);

	if (len >= size)
		len = size - 1;
	memcpy(dst, f->start, len);
	dst[len] = '\0';
}

/* Report a syntax error at a 1-based line, quoting the start of it. */
static sr_status
line_error(sr_err *err, int lineno, const epw_line *line, const char *what)
{
	int			len = (int) (line->end - line->start);

	sr_error(err, SR_ESYNTAX, "malformed EPW content at line %d: %s", lineno, what);
	sr_error_detail(err, "Line %d starts with \"%.*s\".", lineno,
					len > 60 ? 60 : len, line->start);
	return SR_ESYNTAX;
}

/* Skip a UTF-8 byte order mark (files saved by spreadsheet tools). */
static const char *
skip_bom(const char *content, size_t *len)
{
	if (*len >= 3 && (unsigned char) content[0] == 0xEF &&
		(unsigned char) content[1] == 0xBB && (unsigned char) content[2] == 0xBF)
	{
		*len -= 3;
		return content + 3;
	}
	return content;
}

static sr_status
parse_location_line(const epw_line *line, sr_epw_location *loc, sr_err *err)
{
	epw_line	f[EPW_MAX_FIELDS];
	int			n;
	static const char *const names[] = {"latitude", "longitude", "time zone", "elevation"};
	double		v[4];

	if ((size_t) (line->end - line->start) < 9 ||
		strncmp(line->start, "LOCATION,", 9) != 0)
	{
		line_error(err, 1, line, "the first line must start with \"LOCATION,\"");
		sr_error_hint(err, "An EPW file starts with LOCATION,city,state,country,source,WMO,latitude,longitude,time zone,elevation.");
		return SR_ESYNTAX;
	}
	n = split_fields(line, f, EPW_MAX_FIELDS);
	if (n < 10)
		return line_error(err, 1, line, "the LOCATION line needs 10 comma-separated fields");
	for (int i = 0; i < 4; i++)
		if (!field_number(&f[6 + i], &v[i]))
		{
			char		what[96];

			snprintf(what, sizeof(what), "the %s of the LOCATION line is not a number", names[i]);
			return line_error(err, 1, line, what);
		}
	if (v[0] < -90 || v[0] > 90 || v[1] < -180 || v[1] > 180 ||
		v[2] < -15 || v[2] > 15 || v[3] < -1000 || v[3] > 10000)
		return line_error(err, 1, line,
						  "latitude, longitude, time zone or elevation out of range "
						  "([-90,90], [-180,180], [-15,15] h, [-1000,10000] m)");
	copy_field(&f[1], loc->name, sizeof(loc->name));
	copy_field(&f[2], loc->state, sizeof(loc->state));
	copy_field(&f[3], loc->country, sizeof(loc->country));
	copy_field(&f[4], loc->source, sizeof(loc->source));
	copy_field(&f[5], loc->wmo, sizeof(loc->wmo));
	loc->lat = v[0];
	loc->lon = v[1];
	loc->tz = v[2];
	loc->elevation = v[3];
	return SR_OK;
}

sr_status
sr_epw_parse_location(const char *content, size_t len, sr_epw_location *loc,
					  sr_err *err)
{
	const char *pos;
	epw_line	line;

	content = skip_bom(content, &len);
	pos = content;
	if (!next_line(&pos, content + len, &line))
		return sr_error(err, SR_ESYNTAX, "malformed EPW content at line 1: the content is empty");
	return parse_location_line(&line, loc, err);
}

/* Value or NaN when it equals or exceeds the EPW missing code. */
static inline double
missing(double v, double code)
{
	return v >= code ? NAN : v;
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

sr_status
sr_epw_parse(const char *content, size_t len, sr_epw_location *loc,
			 sr_epw_record **recs_out, int *n_out, sr_err *err)
{
	const char *stop;
	const char *pos;
	epw_line	line;
	epw_line	f[EPW_MAX_FIELDS];
	sr_epw_record *recs;
	size_t		cap = 1;
	int			n = 0;
	int			lineno = 1;
	sr_status	st;

	*recs_out = NULL;
	*n_out = 0;
	content = skip_bom(content, &len);
	stop = content + len;
	pos = content;
	if (!next_line(&pos, stop, &line))
		return sr_error(err, SR_ESYNTAX, "malformed EPW content at line 1: the content is empty");
	st = parse_location_line(&line, loc, err);
	if (st != SR_OK)
		return st;

	for (const char *p = pos; p < stop; p++)
		if (*p == '\n')
			cap++;
	recs = sr_alloc(sizeof(sr_epw_record) * cap);
	if (!recs)
		return sr_error(err, SR_ENOMEM, "out of memory");

	while (next_line(&pos, stop, &line))
	{
		double		v[EPW_MAX_FIELDS];
		int			nf;
		sr_epw_record *r;
		static const int needed[] = {0, 1, 2, 3, 6, 7, 8, 9, 13, 14, 15, 20, 21};

		lineno++;
		if ((lineno & 1023) == 0)
			sr_check_interrupts();
		if (line.end == line.start)
			continue;			/* blank line */
		if (isalpha((unsigned char) line.start[0]))
		{
			if (n > 0)
			{
				sr_free(recs);
				return line_error(err, lineno, &line, "header line after the data lines");
			}
			continue;			/* DESIGN CONDITIONS ... DATA PERIODS */
		}
		nf = split_fields(&line, f, EPW_MAX_FIELDS);
		if (nf < EPW_MIN_FIELDS)
		{
			char		what[96];

			snprintf(what, sizeof(what),
					 "expected at least %d comma-separated fields, found %d",
					 EPW_MIN_FIELDS, nf);
			sr_free(recs);
			return line_error(err, lineno, &line, what);
		}
		for (size_t k = 0; k < sizeof(needed) / sizeof(needed[0]); k++)
		{
			int			i = needed[k];

			if (!field_number(&f[i], &v[i]))
			{
				char		what[96];

				snprintf(what, sizeof(what), "field %d is not a number", i + 1);
				sr_free(recs);
				return line_error(err, lineno, &line, what);
			}
		}
		if (nf > 32 && field_number(&f[32], &v[32]))
			;
		else
			v[32] = 999.0;
		if (v[0] != floor(v[0]) || v[1] != floor(v[1]) || v[2] != floor(v[2]) ||
			v[3] != floor(v[3]) || v[0] < -2000 || v[0] > 6000 ||
			v[1] < 1 || v[1] > 12 || v[3] < 1 || v[3] > 24 ||
			v[2] < 1 || v[2] > days_in_month((int) v[0], (int) v[1]))
		{
			sr_free(recs);
			return line_error(err, lineno, &line,
							  "invalid date or hour (year, month 1-12, day of the month, hour 1-24)");
		}
		r = &recs[n++];
		r->year = (int) v[0];
		r->month = (int) v[1];
		r->day = (int) v[2];
		r->hour = (int) v[3];
		/* end of the hour, local standard time -> UTC */
		r->ts = (double) sr_days_from_civil(r->year, r->month, r->day) * 86400.0 +
			r->hour * 3600.0 - loc->tz * 3600.0;
		r->temp_air = missing(v[6], 99.9);
		r->temp_dew = missing(v[7], 99.9);
		r->relative_humidity = missing(v[8], 999.0);
		r->pressure_pa = missing(v[9], 999999.0);
		r->ghi = missing(v[13], 9999.0);
		r->dni = missing(v[14], 9999.0);
		r->dhi = missing(v[15], 9999.0);
		r->wind_direction = missing(v[20], 999.0);
		r->wind_speed = missing(v[21], 999.0);
		r->albedo = missing(v[32], 999.0);
	}
	if (n == 0)
	{
		sr_free(recs);
		sr_error(err, SR_ESYNTAX, "malformed EPW content at line %d: no data lines", lineno);
		sr_error_detail(err, "An EPW file has 8 header lines then one line per hour.");
		return SR_ESYNTAX;
	}
	*recs_out = recs;
	*n_out = n;
	return SR_OK;
}
