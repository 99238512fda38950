/*
 * options.c — jsonb options read against the core's option specs
 * (sr_options.h, docs/options.md).  The walk over the jsonb is here; every
 * check and message is the core's, so the families agree.
 */
#include "sr_pg.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

/* A jsonb number as a double, without raising: past the double range it is
 * +-infinity, below it 0 (numeric_float8 raised "\"1e400\" is out of range
 * for type double precision", naming no option), so that the option's own
 * check names it: out of range, or not the type the option takes. */
static double
jnum(const JsonbValue *v)
{
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(v->val.numeric)));
}

static char *
jstr(const JsonbValue *v)
{
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* A JSON array value: numbers into nums[], or strings into strs[]; returns
 * the element count, -1 if an element is of another kind. */
static int
read_array(JsonbContainer *jc, bool strings, double *nums, int maxn, char **strs)
{
	JsonbIterator *it = JsonbIteratorInit(jc);
	JsonbValue	v;
	JsonbIteratorToken tok;
	int			n = 0,
				bad = 0;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok != WJB_ELEM)
			continue;
		if (strings ? v.type != jbvString : v.type != jbvNumeric)
			bad = 1;
		else if (n < maxn)
		{
			if (strings)
				strs[n] = jstr(&v);
			else
				nums[n] = jnum(&v);
		}
		n++;
	}
	return bad ? -1 : n;
}

static void read_object(JsonbContainer *jc, const sr_optset *set, void *base);

/* Store one key's value. */
static void
read_value(const sr_optset *set, const char *key, JsonbValue *v, void *base)
{
	const sr_optspec *s = sr_option_find(set, key);
	sr_err		err;
	sr_status	st = SR_OK;

	sr_err_clear(&err);
	if (s == NULL)
	{
		sr_option_unknown(set, key, &err);
		sr_raise(&err);
	}
	if (v->type == jbvNull)
	{
		/* null: the default, unless the option names where to read */
		if (sr_option_set_null(set, s, &err) != SR_OK)
			sr_raise(&err);
		return;
	}
	switch (v->type)
	{
		case jbvNumeric:
			st = sr_option_set_number(set, s, base, jnum(v), &err);
			break;
		case jbvBool:
			st = sr_option_set_bool(set, s, base, v->val.boolean, &err);
			break;
		case jbvString:
			st = sr_option_set_string(set, s, base, jstr(v), &err);
			break;
		case jbvBinary:
			if (s->type == SR_OPT_OBJECT && JsonContainerIsObject(v->val.binary.data))
			{
				char		scratch[1024];

				read_object(v->val.binary.data, s->sub,
							s->offset == SR_OPT_NOSTORE ? (void *) scratch : (char *) base + s->offset);
				return;
			}
			if ((s->type == SR_OPT_NUMBERS || s->type == SR_OPT_CHOICES) &&
				JsonContainerIsArray(v->val.binary.data))
			{
				double		nums[SR_OPT_MAXN];
				char	   *strs[32];
				bool		strings = s->type == SR_OPT_CHOICES;
				int			n = read_array(v->val.binary.data, strings, nums,
										   strings ? 32 : SR_OPT_MAXN, strs);

				if (n < 0 || (strings && n > 32) || (!strings && n > SR_OPT_MAXN))
					st = sr_option_wrong_type(set, s, &err);
				else if (strings)
					st = sr_option_set_choices(set, s, base, (const char *const *) strs, n, &err);
				else
					st = sr_option_set_numbers(set, s, base, nums, n, &err);
				break;
			}
			st = sr_option_wrong_type(set, s, &err);
			break;
		default:
			st = sr_option_wrong_type(set, s, &err);
			break;
	}
	if (st != SR_OK)
		sr_raise(&err);
}

static void
read_object(JsonbContainer *jc, const sr_optset *set, void *base)
{
	JsonbIterator *it = JsonbIteratorInit(jc);
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		if (tok == WJB_KEY)
			key = jstr(&v);
		else if (tok == WJB_VALUE)
			read_value(set, key, &v, base);
	}
}

void
sr_options_read(Jsonb *jb, const sr_optset *set, void *base, const char *param)
{
	char		scratch[1024];

	if (base == NULL)
		base = scratch;
	sr_options_defaults(set, base);
	sr_options_apply(jb, set, base, param);
}

/* The options given in jb over the values already in base (a function
 * whose own defaults differ from the spec's sets them first). */
void
sr_options_apply(Jsonb *jb, const sr_optset *set, void *base, const char *param)
{
	if (jb == NULL)
		return;
	if (!JB_ROOT_IS_OBJECT(jb) || JB_ROOT_IS_SCALAR(jb))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameter \"%s\" must be a JSON object", param),
				 errhint("Pass for example '{}' or '{\"%s\": ...}'.",
						 set->n > 0 ? set->specs[0].name : "key")));
	read_object(&jb->root, set, base);
}
