/*
 * city_props.c — the properties of a surface: the JSON text of an object
 * (what jsonb prints) parsed into key / value members (sr_city3d.h).
 *
 * Numbers, booleans and strings become typed values; a nested object or
 * array is kept as its JSON text (it becomes a string property); null is
 * "no value".  RFC 8259 grammar; \u escapes are decoded to UTF-8
 * (surrogate pairs joined).
 */
#include "sr_city3d.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct jparser
{
	const char *s;
	size_t		pos;
	sr_err	   *err;
} jparser;

static void
skip_ws(jparser *p)
{
	while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n' ||
		   p->s[p->pos] == '\r')
		p->pos++;
}

static sr_status
jfail(jparser *p, const char *what)
{
	return sr_error(p->err, SR_ESYNTAX, "invalid JSON in properties: %s at character %zu",
					what, p->pos + 1);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static size_t
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80)
	{
		o[0] = (char) cp;
		return 1;
	}
	if (cp < 0x800)
	{
		o[0] = (char) (0xC0 | (cp >> 6));
		o[1] = (char) (0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000)
	{
		o[0] = (char) (0xE0 | (cp >> 12));
		o[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char) (0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char) (0xF0 | (cp >> 18));
	o[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char) (0x80 | (cp & 0x3F));
	return 4;
}

static sr_status
read_hex4(jparser *p, unsigned *cp)
{
	*cp = 0;
	for (int k = 0; k < 4; k++)
	{
		int			h = hexval(p->s[p->pos]);

		if (h < 0)
			return jfail(p, "bad \\u escape");
		*cp = (*cp << 4) | (unsigned) h;
		p->pos++;
	}
	return SR_OK;
}

/* A string at p->pos (on its opening quote), unescaped into *out. */
static sr_status
parse_string(jparser *p, char **out)
{
	size_t		start = ++p->pos,
				o = 0;
	char	   *buf;

	/* the unescaped text is never longer than the escaped one */
	while (p->s[p->pos] && p->s[p->pos] != '"')
	{
		if (p->s[p->pos] == '\\' && p->s[p->pos + 1])
			p->pos++;
		p->pos++;
	}
	if (p->s[p->pos] != '"')
		return jfail(p, "unterminated string");
	buf = sr_alloc(p->pos - start + 1);
	if (!buf)
		return sr_error(p->err, SR_ENOMEM, "out of memory");
	p->pos = start;
	while (p->s[p->pos] != '"')
	{
		char		c = p->s[p->pos++];
		unsigned	cp,
					lo;

		if ((unsigned char) c < 0x20)
		{
			sr_free(buf);
			return jfail(p, "control character in a string");
		}
		if (c != '\\')
		{
			buf[o++] = c;
			continue;
		}
		c = p->s[p->pos++];
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				buf[o++] = c;
				break;
			case 'b':
				buf[o++] = '\b';
				break;
			case 'f':
				buf[o++] = '\f';
				break;
			case 'n':
				buf[o++] = '\n';
				break;
			case 'r':
				buf[o++] = '\r';
				break;
			case 't':
				buf[o++] = '\t';
				break;
			case 'u':
				if (read_hex4(p, &cp) != SR_OK)
				{
					sr_free(buf);
					return p->err->status;
				}
				if (cp >= 0xD800 && cp < 0xDC00 && p->s[p->pos] == '\\' && p->s[p->pos + 1] == 'u')
				{
					p->pos += 2;
					if (read_hex4(p, &lo) != SR_OK)
					{
						sr_free(buf);
						return p->err->status;
					}
					if (lo >= 0xDC00 && lo < 0xE000)
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
					else
						cp = 0xFFFD;
				}
				else if (cp >= 0xD800 && cp < 0xE000)
					cp = 0xFFFD;
				if (cp == 0)
					cp = 0xFFFD;	/* no NUL inside C strings */
				/* a \uXXXX escape is 6 bytes and gives at most 4 */
				o += put_utf8(buf + o, cp);
				break;
			default:
				sr_free(buf);
				p->pos--;
				return jfail(p, "bad escape");
		}
	}
	p->pos++;
	buf[o] = '\0';
	*out = buf;
	return SR_OK;
}

/* Skip any JSON value (nested containers), checking its grammar. */
static sr_status
skip_value(jparser *p, int depth)
{
	char	   *tmp;

	if (depth > 64)
		return jfail(p, "nesting too deep");
	skip_ws(p);
	switch (p->s[p->pos])
	{
		case '"':
			if (parse_string(p, &tmp) != SR_OK)
				return p->err->status;
			sr_free(tmp);
			return SR_OK;
		case '{':
		case '[':
			{
				char		close = p->s[p->pos] == '{' ? '}' : ']';
				bool		obj = close == '}';

				p->pos++;
				skip_ws(p);
				if (p->s[p->pos] == close)
				{
					p->pos++;
					return SR_OK;
				}
				for (;;)
				{
					skip_ws(p);
					if (obj)
					{
						if (p->s[p->pos] != '"')
							return jfail(p, "expected a member name");
						if (parse_string(p, &tmp) != SR_OK)
							return p->err->status;
						sr_free(tmp);
						skip_ws(p);
						if (p->s[p->pos] != ':')
							return jfail(p, "expected ':'");
						p->pos++;
					}
					if (skip_value(p, depth + 1) != SR_OK)
						return p->err->status;
					skip_ws(p);
					if (p->s[p->pos] == ',')
					{
						p->pos++;
						continue;
					}
					if (p->s[p->pos] == close)
					{
						p->pos++;
						return SR_OK;
					}
					return jfail(p, "expected ',' or the end of a container");
				}
			}
		case 't':
			if (strncmp(p->s + p->pos, "true", 4) == 0)
			{
				p->pos += 4;
				return SR_OK;
			}
			break;
		case 'f':
			if (strncmp(p->s + p->pos, "false", 5) == 0)
			{
				p->pos += 5;
				return SR_OK;
			}
			break;
		case 'n':
			if (strncmp(p->s + p->pos, "null", 4) == 0)
			{
				p->pos += 4;
				return SR_OK;
			}
			break;
		default:
			{
				char	   *end;
				const char *st = p->s + p->pos;

				if (*st == '-' || isdigit((unsigned char) *st))
				{
					(void) strtod(st, &end);
					if (end > st)
					{
						p->pos += end - st;
						return SR_OK;
					}
				}
			}
			break;
	}
	return jfail(p, "unexpected character");
}

sr_status
sr_city_parse_props(const char *json, sr_city_pval **vals, int *n, sr_err *err)
{
	jparser		p = {json, 0, err};
	sr_city_pval *v = NULL,
				m = {0};
	int			cnt = 0,
				cap = 0;

	*vals = NULL;
	*n = 0;
	skip_ws(&p);
	if (json[p.pos] != '{')
		return sr_error(err, SR_ESYNTAX, "properties must be a JSON object");
	p.pos++;
	skip_ws(&p);
	if (json[p.pos] == '}')
		return SR_OK;
	for (;;)
	{
		size_t		vstart;

		memset(&m, 0, sizeof(m));
		skip_ws(&p);
		if (json[p.pos] != '"')
		{
			jfail(&p, "expected a member name");
			goto fail;
		}
		if (parse_string(&p, &m.key) != SR_OK)
			goto fail;
		skip_ws(&p);
		if (json[p.pos] != ':')
		{
			jfail(&p, "expected ':'");
			goto fail;
		}
		p.pos++;
		skip_ws(&p);
		vstart = p.pos;
		switch (json[p.pos])
		{
			case '"':
				m.kind = SR_PK_STRING;
				if (parse_string(&p, &m.str) != SR_OK)
					goto fail;
				break;
			case 't':
			case 'f':
			case 'n':
				if (skip_value(&p, 0) != SR_OK)
					goto fail;
				m.kind = json[vstart] == 'n' ? SR_PK_NONE : SR_PK_BOOL;
				m.b = json[vstart] == 't';
				break;
			default:
				/* a number, or a nested value ('{', '[') kept as its JSON text */
				if (skip_value(&p, 0) != SR_OK)
					goto fail;
				m.kind = SR_PK_STRING;
				if (json[vstart] != '{' && json[vstart] != '[')
				{
					m.num = strtod(json + vstart, NULL);
					if (isfinite(m.num))
						m.kind = SR_PK_NUMBER;	/* (1e999: its text) */
				}
				if (m.kind == SR_PK_STRING)
				{
					m.str = sr_alloc(p.pos - vstart + 1);
					if (!m.str)
					{
						sr_error(err, SR_ENOMEM, "out of memory");
						goto fail;
					}
					memcpy(m.str, json + vstart, p.pos - vstart);
					m.str[p.pos - vstart] = '\0';
				}
				break;
		}
		if (cnt == cap)
		{
			sr_city_pval *nv = sr_realloc(v, sizeof(sr_city_pval) * (cap ? 2 * cap : 8));

			if (!nv)
			{
				sr_error(err, SR_ENOMEM, "out of memory");
				goto fail;
			}
			v = nv;
			cap = cap ? 2 * cap : 8;
		}
		v[cnt++] = m;
		memset(&m, 0, sizeof(m));
		skip_ws(&p);
		if (json[p.pos] == ',')
		{
			p.pos++;
			continue;
		}
		if (json[p.pos] == '}')
		{
			p.pos++;
			break;
		}
		jfail(&p, "expected ',' or '}'");
		goto fail;
	}
	skip_ws(&p);
	if (json[p.pos] != '\0')
	{
		jfail(&p, "text after the object");
		goto fail;
	}
	*vals = v;
	*n = cnt;
	return SR_OK;

fail:
	/* nothing is handed to the caller on an error: the member being read and
	 * those read before it are freed here */
	sr_free(m.key);
	sr_free(m.str);
	for (int i = 0; i < cnt; i++)
	{
		sr_free(v[i].key);
		sr_free(v[i].str);
	}
	sr_free(v);
	return err->status;
}
