/*
 * city_json.c — a small JSON text parser (RFC 8259) into a flat tree, and
 * the sr_jreader over it.  The server reads CityJSON through jsonb (the
 * glue's reader); this one serves the unit tests and any caller holding
 * JSON as text.  Strings are decoded (escapes, \u surrogate pairs to
 * UTF-8); nesting is limited to 512 levels.
 */
#include "sr_city.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct jnode
{
	sr_jkind	kind;
	int			n;				/* ARR elements, OBJ members, STR bytes */
	double		num;
	const char *str;
	int			first;			/* ARR/OBJ: first index in kids (OBJ: key,
								 * value pairs) */
} jnode;

struct sr_jdoc
{
	jnode	   *nodes;
	int			nnodes,
				cap;
	int		   *kids;
	int			nkids,
				capk;
	int		   *stack;			/* children of the open containers */
	int			nstack,
				caps;
	char	   *strs;			/* decoded strings */
	size_t		nstrs;
	const char *start,
			   *p,
			   *end;
	int			depth;
};

#define MAX_DEPTH 512

static int
grow(void **arr, int *cap, int need, size_t elem)
{
	int			c = *cap ? *cap : 256;
	void	   *n;

	if (need <= *cap)
		return 1;
	while (c < need)
		c *= 2;
	n = *arr ? sr_realloc(*arr, elem * c) : sr_alloc(elem * c);
	if (!n)
		return 0;
	*arr = n;
	*cap = c;
	return 1;
}

static void
skip_ws(sr_jdoc *d)
{
	while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r'))
		d->p++;
}

static int	parse_value(sr_jdoc *d, sr_err *err);

static int
new_node(sr_jdoc *d, sr_jkind kind, sr_err *err)
{
	if (!grow((void **) &d->nodes, &d->cap, d->nnodes + 1, sizeof(jnode)))
		return sr_error(err, SR_ENOMEM, "out of memory"), -1;
	memset(&d->nodes[d->nnodes], 0, sizeof(jnode));
	d->nodes[d->nnodes].kind = kind;
	return d->nnodes++;
}

static int
push(sr_jdoc *d, int idx, sr_err *err)
{
	if (!grow((void **) &d->stack, &d->caps, d->nstack + 1, sizeof(int)))
		return sr_error(err, SR_ENOMEM, "out of memory"), 0;
	d->stack[d->nstack++] = idx;
	return 1;
}

static int
syntax(sr_jdoc *d, sr_err *err, const char *what)
{
	sr_error(err, SR_ESYNTAX, "invalid JSON: %s at byte %ld", what, (long) (d->p - d->start));
	return -1;
}

static void
put_utf8(char **q, unsigned cp)
{
	char	   *o = *q;

	if (cp < 0x80)
		*o++ = (char) cp;
	else if (cp < 0x800)
	{
		*o++ = (char) (0xC0 | (cp >> 6));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	else if (cp < 0x10000)
	{
		*o++ = (char) (0xE0 | (cp >> 12));
		*o++ = (char) (0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	else
	{
		*o++ = (char) (0xF0 | (cp >> 18));
		*o++ = (char) (0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char) (0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	*q = o;
}

static int
hex4(const char *s, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++)
	{
		char		c = s[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned) (c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned) (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned) (c - 'A' + 10);
		else
			return 0;
	}
	return 1;
}

/* a string at d->p (the opening quote) into a STR node */
static int
parse_string(sr_jdoc *d, sr_err *err)
{
	int			idx = new_node(d, SR_J_STR, err);
	char	   *q,
			   *start;

	if (idx < 0)
		return -1;
	d->p++;
	start = q = d->strs + d->nstrs;
	for (;;)
	{
		char		c;

		if (d->p >= d->end)
			return syntax(d, err, "unterminated string");
		c = *d->p++;
		if (c == '"')
			break;
		if ((unsigned char) c < 0x20)
			return syntax(d, err, "control character in a string");
		if (c != '\\')
		{
			*q++ = c;
			continue;
		}
		if (d->p >= d->end)
			return syntax(d, err, "unterminated string");
		c = *d->p++;
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				*q++ = c;
				break;
			case 'b':
				*q++ = '\b';
				break;
			case 'f':
				*q++ = '\f';
				break;
			case 'n':
				*q++ = '\n';
				break;
			case 'r':
				*q++ = '\r';
				break;
			case 't':
				*q++ = '\t';
				break;
			case 'u':
				{
					unsigned	cp,
								lo;

					if (d->end - d->p < 4 || !hex4(d->p, &cp))
						return syntax(d, err, "bad \\u escape");
					d->p += 4;
					if (cp >= 0xD800 && cp < 0xDC00 && d->end - d->p >= 6 &&
						d->p[0] == '\\' && d->p[1] == 'u' && hex4(d->p + 2, &lo) &&
						lo >= 0xDC00 && lo < 0xE000)
					{
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						d->p += 6;
					}
					put_utf8(&q, cp);
					break;
				}
			default:
				return syntax(d, err, "bad escape");
		}
	}
	d->nodes[idx].str = start;
	d->nodes[idx].n = (int) (q - start);
	*q++ = '\0';
	d->nstrs = (size_t) (q - d->strs);
	return idx;
}

static int
parse_container(sr_jdoc *d, int obj, sr_err *err)
{
	int			idx = new_node(d, obj ? SR_J_OBJ : SR_J_ARR, err);
	int			base = d->nstack,
				count = 0;
	char		close = obj ? '}' : ']';

	if (idx < 0)
		return -1;
	if (++d->depth > MAX_DEPTH)
		return syntax(d, err, "nesting too deep");
	d->p++;
	skip_ws(d);
	if (d->p < d->end && *d->p == close)
		d->p++;
	else
		for (;;)
		{
			int			k,
						v;

			skip_ws(d);
			if (obj)
			{
				if (d->p >= d->end || *d->p != '"')
					return syntax(d, err, "expected a member name");
				if ((k = parse_string(d, err)) < 0 || !push(d, k, err))
					return -1;
				skip_ws(d);
				if (d->p >= d->end || *d->p != ':')
					return syntax(d, err, "expected ':'");
				d->p++;
			}
			if ((v = parse_value(d, err)) < 0 || !push(d, v, err))
				return -1;
			count++;
			skip_ws(d);
			if (d->p < d->end && *d->p == ',')
			{
				d->p++;
				continue;
			}
			if (d->p < d->end && *d->p == close)
			{
				d->p++;
				break;
			}
			return syntax(d, err, obj ? "expected ',' or '}'" : "expected ',' or ']'");
		}
	/* the children, in order, into the kids array */
	if (!grow((void **) &d->kids, &d->capk, d->nkids + (d->nstack - base), sizeof(int)))
		return sr_error(err, SR_ENOMEM, "out of memory"), -1;
	if (d->nstack > base)		/* (an empty array or object: no copy, kids may be NULL) */
		memcpy(d->kids + d->nkids, d->stack + base, sizeof(int) * (d->nstack - base));
	d->nodes[idx].first = d->nkids;
	d->nodes[idx].n = count;
	d->nkids += d->nstack - base;
	d->nstack = base;
	d->depth--;
	return idx;
}

static int
parse_value(sr_jdoc *d, sr_err *err)
{
	skip_ws(d);
	if (d->p >= d->end)
		return syntax(d, err, "unexpected end");
	switch (*d->p)
	{
		case '{':
			return parse_container(d, 1, err);
		case '[':
			return parse_container(d, 0, err);
		case '"':
			return parse_string(d, err);
		case 't':
		case 'f':
		case 'n':
			{
				const char *w = *d->p == 't' ? "true" : (*d->p == 'f' ? "false" : "null");
				size_t		l = strlen(w);
				int			idx;

				if ((size_t) (d->end - d->p) < l || memcmp(d->p, w, l) != 0)
					return syntax(d, err, "invalid literal");
				d->p += l;
				idx = new_node(d, *w == 'n' ? SR_J_NULL : SR_J_BOOL, err);
				if (idx >= 0)
					d->nodes[idx].num = *w == 't';
				return idx;
			}
		default:
			{
				char		buf[64],
						   *e;
				size_t		l = 0;
				int			idx;

				while (d->p + l < d->end && l < sizeof(buf) - 1 &&
					   strchr("+-0123456789.eE", d->p[l]) != NULL)
					l++;
				if (l == 0)
					return syntax(d, err, "unexpected character");
				memcpy(buf, d->p, l);
				buf[l] = '\0';
				idx = new_node(d, SR_J_NUM, err);
				if (idx < 0)
					return -1;
				d->nodes[idx].num = strtod(buf, &e);
				if (*e != '\0')
					return syntax(d, err, "bad number");
				d->p += l;
				return idx;
			}
	}
}

sr_status
sr_jdoc_parse(const char *text, size_t len, sr_jdoc **out, sr_err *err)
{
	sr_jdoc    *d = sr_alloc0(sizeof(sr_jdoc));

	*out = NULL;
	if (!d || !(d->strs = sr_alloc(len + 1)))
	{
		sr_free(d);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	d->start = d->p = text;
	d->end = text + len;
	if (parse_value(d, err) < 0)
	{
		sr_jdoc_free(d);
		return err->status;
	}
	skip_ws(d);
	if (d->p != d->end)
	{
		syntax(d, err, "trailing characters");
		sr_jdoc_free(d);
		return err->status;
	}
	*out = d;
	return SR_OK;
}

void
sr_jdoc_free(sr_jdoc *d)
{
	if (!d)
		return;
	sr_free(d->nodes);
	sr_free(d->kids);
	sr_free(d->stack);
	sr_free(d->strs);
	sr_free(d);
}

/* ---------- the reader ---------- */

static void
node_jv(const sr_jdoc *d, int idx, sr_jv *out)
{
	const jnode *n = &d->nodes[idx];

	out->kind = n->kind;
	out->n = n->n;
	out->num = n->num;
	out->str = n->str;
	out->h = (const void *) (intptr_t) (idx + 1);
}

#define NODE_OF(v) ((int) ((intptr_t) (v)->h - 1))

static void
jd_at(void *arg, const sr_jv *arr, int i, sr_jv *out)
{
	const sr_jdoc *d = arg;

	node_jv(d, d->kids[d->nodes[NODE_OF(arr)].first + i], out);
}

static void
jd_member(void *arg, const sr_jv *obj, int i, sr_jv *key, sr_jv *val)
{
	const sr_jdoc *d = arg;
	int			f = d->nodes[NODE_OF(obj)].first;

	node_jv(d, d->kids[f + 2 * i], key);
	node_jv(d, d->kids[f + 2 * i + 1], val);
}

static int
jd_get(void *arg, const sr_jv *obj, const char *key, sr_jv *out)
{
	const sr_jdoc *d = arg;
	const jnode *o = &d->nodes[NODE_OF(obj)];
	size_t		l = strlen(key);

	/* (JSON allows a name twice; like jsonb, the last one wins) */
	for (int i = o->n - 1; i >= 0; i--)
	{
		const jnode *k = &d->nodes[d->kids[o->first + 2 * i]];

		if ((size_t) k->n == l && memcmp(k->str, key, l) == 0)
		{
			node_jv(d, d->kids[o->first + 2 * i + 1], out);
			return 1;
		}
	}
	memset(out, 0, sizeof(*out));
	return 0;
}

void
sr_jdoc_reader(sr_jdoc *d, sr_jreader *r, sr_jv *root)
{
	r->arg = d;
	r->at = jd_at;
	r->member = jd_member;
	r->get = jd_get;
	node_jv(d, 0, root);
}

int
sr_jv_streq(const sr_jv *v, const char *s)
{
	size_t		l = strlen(s);

	return v->kind == SR_J_STR && (size_t) v->n == l && memcmp(v->str, s, l) == 0;
}

char *
sr_jv_strdup(const sr_jv *v)
{
	char	   *s;

	if (v->kind != SR_J_STR)
		return NULL;
	s = sr_alloc((size_t) v->n + 1);
	if (s)
	{
		memcpy(s, v->str, v->n);
		s[v->n] = '\0';
	}
	return s;
}
