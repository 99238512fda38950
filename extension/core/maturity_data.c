/*
 * maturity_data.c — the data around a maturity score (sr_maturity.h): the
 * territories' index, where an indicator's values come from and which
 * year wins, the sources shown, the roll-up of communes to their parents,
 * and the split of a score into contributions (docs/maturity.md, "Where
 * values come from", "Roll-up").
 */
#include "sr_maturity.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const sr_mat_type_names[SR_MAT_N_TYPES + 1] = {
	"commune", "epci", "departement", "region", NULL
};

static const char *const rollup_names[] = {
	"population_weighted_mean", "mean", "min", "max", NULL
};

int
sr_mat_type_index(const char *name)
{
	for (int i = 0; name && i < SR_MAT_N_TYPES; i++)
		if (strcmp(name, sr_mat_type_names[i]) == 0)
			return i;
	return -1;
}

sr_status
sr_mat_framework_sizes(const char *name, int n_axes, int n_ind, sr_err *err)
{
	if (n_axes < 1)
		return sr_error(err, SR_ENOTFOUND,
						"maturity framework \"%s\" does not exist or has no axis", name);
	if (n_axes > SR_MAT_MAX_AXES)
		return sr_error(err, SR_EINVAL,
						"maturity framework \"%s\" has %d axes, at most %d are supported",
						name, n_axes, SR_MAT_MAX_AXES);
	if (n_ind < 1)
		return sr_error(err, SR_EINVAL, "maturity framework \"%s\" has no indicator", name);
	return SR_OK;
}

sr_status
sr_mat_rollup_rule_parse(const char *name, sr_mat_rollup_rule *rule, sr_err *err)
{
	for (int i = 0; name && rollup_names[i]; i++)
		if (strcmp(name, rollup_names[i]) == 0)
		{
			*rule = (sr_mat_rollup_rule) i;
			return SR_OK;
		}
	sr_error(err, SR_EINVAL, "invalid rollup rule \"%s\"", name ? name : "NULL");
	sr_error_hint(err, "Accepted rules: population_weighted_mean, mean, min and max.");
	return SR_EINVAL;
}

/* ---- roll-up ------------------------------------------------------------- */

sr_status
sr_mat_rollup(int n, int m, const int *type, const double *population,
			  const int *parent, const sr_mat_rollup_rule *rule,
			  const double *x, double *px, sr_err *err)
{
	size_t		cells = (size_t) n * m;
	double	   *sw = sr_alloc0(sizeof(double) * (cells + 1)),
			   *s = sr_alloc0(sizeof(double) * (cells + 1)),
			   *cnt = sr_alloc0(sizeof(double) * (cells + 1)),
			   *sum = sr_alloc0(sizeof(double) * (cells + 1));

	if (!sw || !s || !cnt || !sum)
	{
		sr_free(sw);
		sr_free(s);
		sr_free(cnt);
		sr_free(sum);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (size_t c = 0; c < cells; c++)
		px[c] = NAN;
	for (int t = 0; t < n; t++)
	{
		/* unknown or zero populations weigh nothing */
		double		w = population && population[t] > 0 ? population[t] : 0.0;

		if (type[t] != 0)
			continue;
		if ((t & 4095) == 0)
			sr_check_interrupts();
		for (int p = 0; p < 3; p++)
		{
			int			r = parent[(size_t) t * 3 + p];

			if (r < 0 || r >= n)
				continue;
			for (int j = 0; j < m; j++)
			{
				double		v = x[(size_t) t * m + j];
				size_t		c = (size_t) r * m + j;

				if (isnan(v))
					continue;
				if (rule[j] == SR_MAT_ROLLUP_MIN)
					px[c] = isnan(px[c]) || v < px[c] ? v : px[c];
				else if (rule[j] == SR_MAT_ROLLUP_MAX)
					px[c] = isnan(px[c]) || v > px[c] ? v : px[c];
				else
				{
					s[c] += w * v;
					sw[c] += w;
				}
				sum[c] += v;
				cnt[c] += 1;
			}
		}
	}
	for (size_t c = 0; c < cells; c++)
	{
		sr_mat_rollup_rule r = rule[c % m];

		if (cnt[c] == 0 || r == SR_MAT_ROLLUP_MIN || r == SR_MAT_ROLLUP_MAX)
			continue;
		/* population-weighted mean; the plain mean without populations */
		px[c] = (r == SR_MAT_ROLLUP_POP_MEAN && sw[c] > 0) ? s[c] / sw[c] : sum[c] / cnt[c];
	}
	sr_free(sw);
	sr_free(s);
	sr_free(cnt);
	sr_free(sum);
	return SR_OK;
}

/* ---- the territories' index: open addressing on (type, code) --------------- */

struct sr_mat_index
{
	const int  *type;
	const char *const *code;
	size_t		mask;			/* capacity - 1, a power of two */
	int		   *slot;			/* row + 1, 0 = empty */
};

/* FNV-1a of the code, mixed with the type */
static size_t
key_hash(int type, const char *code)
{
	uint64_t	h = 1469598103934665603ULL ^ (uint64_t) (type + 1);

	for (const unsigned char *p = (const unsigned char *) code; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (size_t) (h ^ (h >> 29));
}

sr_status
sr_mat_index_build(int n, const int *type, const char *const *code,
				   sr_mat_index **out, sr_err *err)
{
	sr_mat_index *ix = sr_alloc0(sizeof(sr_mat_index));
	size_t		cap = 16;

	while (cap < (size_t) n * 2 + 1)
		cap <<= 1;
	if (ix)
		ix->slot = sr_alloc0(sizeof(int) * cap);
	if (!ix || !ix->slot)
	{
		sr_free(ix);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	ix->type = type;
	ix->code = code;
	ix->mask = cap - 1;
	for (int t = 0; t < n; t++)
	{
		size_t		h;

		if (type[t] < 0 || code[t] == NULL)
			continue;
		h = key_hash(type[t], code[t]) & ix->mask;
		/* a key seen again takes the later row */
		while (ix->slot[h] && !(type[ix->slot[h] - 1] == type[t] &&
								strcmp(code[ix->slot[h] - 1], code[t]) == 0))
			h = (h + 1) & ix->mask;
		ix->slot[h] = t + 1;
	}
	*out = ix;
	return SR_OK;
}

int
sr_mat_index_find(const sr_mat_index *ix, int type, const char *code)
{
	size_t		h;

	if (type < 0 || code == NULL)
		return -1;
	for (h = key_hash(type, code) & ix->mask; ix->slot[h]; h = (h + 1) & ix->mask)
	{
		int			t = ix->slot[h] - 1;

		if (ix->type[t] == type && strcmp(ix->code[t], code) == 0)
			return t;
	}
	return -1;
}

void
sr_mat_index_free(sr_mat_index *ix)
{
	if (ix)
		sr_free(ix->slot);
	sr_free(ix);
}

/* ---- values ------------------------------------------------------------- */

/* The distinct sources of one value of the detail row. */
struct sr_mat_sources
{
	int			n,
				cap;
	char	  **s;
	char	   *joined;			/* the last string sr_mat_values_source made */
};

sr_mat_table
sr_mat_indicator_table(const char *kind, const char *plugin)
{
	if (plugin != NULL)
		return SR_MAT_FROM_PLUGIN;
	return kind && strcmp(kind, "declarative") == 0 ? SR_MAT_FROM_ANSWERS : SR_MAT_FROM_VALUES;
}

sr_status
sr_mat_values_init(sr_mat_values *v, const sr_mat_index *ix, int n, int m,
				   const char *const *indicator, const char *const *kind,
				   const char *const *plugin, int detail_row, sr_err *err)
{
	size_t		cells = (size_t) n * m;

	*v = (sr_mat_values) {.n = n, .m = m, .detail_row = detail_row, .ix = ix,
	.indicator = indicator, .plugin = plugin};
	v->x = sr_alloc(sizeof(double) * (cells + 1));
	v->year = sr_alloc0(sizeof(int) * (cells + 1));
	v->count = sr_alloc0(sizeof(double) * (cells + 1));
	v->sources = sr_alloc0(sizeof(struct sr_mat_sources) * (m + 1));
	v->ind_len = sr_alloc(sizeof(size_t) * (m + 1));
	v->table = sr_alloc(sizeof(sr_mat_table) * (m + 1));
	if (!v->x || !v->year || !v->count || !v->sources || !v->ind_len || !v->table)
	{
		sr_mat_values_free(v);
		return sr_error(err, SR_ENOMEM, "out of memory");
	}
	for (size_t c = 0; c < cells; c++)
		v->x[c] = NAN;
	for (int j = 0; j < m; j++)
	{
		v->ind_len[j] = strlen(indicator[j]);
		v->table[j] = sr_mat_indicator_table(kind[j], plugin ? plugin[j] : NULL);
	}
	return SR_OK;
}

/* A part of a current commune: its code and the commune's row. */
struct sr_mat_part
{
	const char *code;
	int			row;
};

/* Where a value cell comes from (count[] of a value indicator). */
enum
{
	SR_MAT_OWN = 0,				/* the territory's own row (or none yet) */
	SR_MAT_PART,				/* one part's row (a commune's former code) */
	SR_MAT_PARTS				/* several parts' rows of one year: no value */
};

static int
part_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sr_mat_part *) a)->code, ((const struct sr_mat_part *) b)->code);
}

sr_status
sr_mat_values_parts(sr_mat_values *v, int n, const char *const *code,
					const char *const *commune, sr_err *err)
{
	int			k = 0;

	sr_free(v->parts);
	v->parts = NULL;
	v->nparts = 0;
	if (n <= 0)
		return SR_OK;
	if ((v->parts = sr_alloc(sizeof(struct sr_mat_part) * n)) == NULL)
		return sr_error(err, SR_ENOMEM, "out of memory");
	for (int i = 0; i < n; i++)
	{
		int			row = code[i] ? sr_mat_index_find(v->ix, 0, commune[i]) : -1;

		/* a code that is a current commune's is that commune's (a commune
		 * déléguée often keeps its commune's code) */
		if (row >= 0 && sr_mat_index_find(v->ix, 0, code[i]) < 0)
			v->parts[k++] = (struct sr_mat_part) {code[i], row};
	}
	qsort(v->parts, k, sizeof(struct sr_mat_part), part_cmp);
	v->nparts = k;
	return SR_OK;
}

/* The current commune's row of a part's code, -1 when it is none. */
static int
part_row(const sr_mat_values *v, const char *code)
{
	struct sr_mat_part key = {code, -1};
	const struct sr_mat_part *p;

	if (v->nparts == 0)
		return -1;
	p = bsearch(&key, v->parts, v->nparts, sizeof(struct sr_mat_part), part_cmp);
	return p ? p->row : -1;
}

/* Indicator index of a name (m is small: lengths first). */
static int
indicator_index(const sr_mat_values *v, const char *name)
{
	size_t		len = strlen(name);

	for (int j = 0; j < v->m; j++)
		if (v->ind_len[j] == len && memcmp(name, v->indicator[j], len) == 0)
			return j;
	return -1;
}

static void
clear_sources(struct sr_mat_sources *l)
{
	for (int i = 0; i < l->n; i++)
		sr_free(l->s[i]);
	l->n = 0;
}

/* Add a source unless it is already there. */
static void
add_source(struct sr_mat_sources *l, const char *src)
{
	size_t		len;

	if (src == NULL)
		return;
	for (int i = 0; i < l->n; i++)
		if (strcmp(l->s[i], src) == 0)
			return;
	if (l->n == l->cap)
	{
		int			cap = l->cap ? l->cap * 2 : 4;
		char	  **s = sr_realloc(l->s, sizeof(char *) * cap);

		if (s == NULL)
			return;
		l->s = s;
		l->cap = cap;
	}
	len = strlen(src) + 1;
	if ((l->s[l->n] = sr_alloc(len)) != NULL)
		memcpy(l->s[l->n++], src, len);
}

void
sr_mat_values_add(sr_mat_values *v, sr_mat_table table, const char *indicator,
				  const char *type, const char *code, int year, double value,
				  const char *source)
{
	int			j,
				t,
				ty;
	size_t		c;
	int			have;
	bool		part = false;
	char		part_src[512];

	if (indicator == NULL || !isfinite(value))
		return;
	j = indicator_index(v, indicator);
	if (j < 0 || v->table[j] != table || table == SR_MAT_FROM_PLUGIN)
		return;
	ty = sr_mat_type_index(type);
	t = sr_mat_index_find(v->ix, ty, code);
	if (t < 0 && ty == 0 && code != NULL && (t = part_row(v, code)) >= 0)
	{
		/* a former commune's or an arrondissement's row: its commune of today */
		part = true;
		if (t == v->detail_row && source != NULL)
		{
			snprintf(part_src, sizeof(part_src), "%s (commune part %s)", source, code);
			source = part_src;
		}
	}
	if (t < 0)
		return;
	c = (size_t) t * v->m + j;
	have = !isnan(v->x[c]);
	if (table == SR_MAT_FROM_VALUES && have && v->count[c] != SR_MAT_OWN)
	{
		/* the cell holds a part's value: the commune's own row replaces it
		 * whatever its year; another part's row of the same year makes it
		 * no value (two parts' values are not the commune's) */
		if (!part)
			have = 0;
		else if (year == v->year[c])
		{
			v->count[c] = SR_MAT_PARTS;
			return;
		}
	}
	else if (table == SR_MAT_FROM_VALUES && have && part)
		return;					/* the commune's own value wins */
	if (have && year < v->year[c])
		return;					/* an older year */
	if (table == SR_MAT_FROM_ANSWERS)
	{
		/* x accumulates the sum of the latest year's answers, count their number */
		if (!have || year > v->year[c])
		{
			v->x[c] = 0.0;
			v->count[c] = 0.0;
			if (t == v->detail_row)
				clear_sources(&v->sources[j]);
		}
		v->x[c] += value;
		v->count[c] += 1.0;
	}
	else
	{
		if (have && year == v->year[c])
			return;				/* (indicator, territory, year) is the table's key */
		v->x[c] = value;
		v->count[c] = part ? SR_MAT_PART : SR_MAT_OWN;
		if (t == v->detail_row)
			clear_sources(&v->sources[j]);	/* a newer year replaces the sources */
	}
	v->year[c] = year;
	if (t == v->detail_row)
		add_source(&v->sources[j], source);
}

void
sr_mat_values_add_plugin(sr_mat_values *v, int j, const char *type,
						 const char *code, double value, int year)
{
	int			t;

	if (j < 0 || j >= v->m || v->table[j] != SR_MAT_FROM_PLUGIN || !isfinite(value))
		return;
	t = sr_mat_index_find(v->ix, sr_mat_type_index(type), code);
	if (t < 0)
		return;
	v->x[(size_t) t * v->m + j] = value;
	v->year[(size_t) t * v->m + j] = year;
	if (t == v->detail_row && v->sources[j].n == 0)
	{
		size_t		len = strlen(v->plugin[j]) + sizeof("plugin ");
		char	   *src = sr_alloc(len);

		if (src)
		{
			snprintf(src, len, "plugin %s", v->plugin[j]);
			add_source(&v->sources[j], src);
			sr_free(src);
		}
	}
}

void
sr_mat_values_finish(sr_mat_values *v)
{
	for (size_t c = 0; c < (size_t) v->n * v->m; c++)
	{
		if (v->table[c % v->m] == SR_MAT_FROM_ANSWERS && v->count[c] > 0)
			v->x[c] /= v->count[c];
		else if (v->table[c % v->m] == SR_MAT_FROM_VALUES && v->count[c] == SR_MAT_PARTS)
		{
			v->x[c] = NAN;		/* several parts' values of its latest year */
			v->year[c] = 0;
			if ((int) (c / v->m) == v->detail_row)
				clear_sources(&v->sources[c % v->m]);
		}
	}
}

const char *
sr_mat_values_source(sr_mat_values *v, int j, double zj, sr_mat_missing missing)
{
	struct sr_mat_sources *l;
	size_t		len = 1,
				o = 0;

	if (v->detail_row < 0)
		return NULL;
	if (isnan(v->x[(size_t) v->detail_row * v->m + j]))
		return isnan(zj) ? NULL : missing == SR_MAT_MISS_MEAN ?
			"imputed: mean of the territory type" : "imputed: nearest peer";
	l = &v->sources[j];
	if (l->n == 0)
		return NULL;
	for (int i = 0; i < l->n; i++)
		len += strlen(l->s[i]) + 2;
	sr_free(l->joined);
	if ((l->joined = sr_alloc(len)) == NULL)
		return NULL;
	for (int i = 0; i < l->n; i++)
		o += snprintf(l->joined + o, len - o, "%s%s", i ? ", " : "", l->s[i]);
	return l->joined;
}

void
sr_mat_values_free(sr_mat_values *v)
{
	if (v->sources)
		for (int j = 0; j < v->m; j++)
		{
			clear_sources(&v->sources[j]);
			sr_free(v->sources[j].s);
			sr_free(v->sources[j].joined);
		}
	sr_free(v->sources);
	sr_free(v->x);
	sr_free(v->year);
	sr_free(v->count);
	sr_free(v->ind_len);
	sr_free(v->table);
	sr_free(v->parts);
	memset(v, 0, sizeof(*v));
}

/* ---- the detail of a score ------------------------------------------------ */

void
sr_mat_contributions(const sr_mat_framework *fw, const double *zrow, double score,
					 sr_mat_agg agg, double *weight, double *contribution)
{
	double		axw_s[SR_MAT_MAX_AXES],
			   *axw = axw_s,
				asum = 0.0,
				ls = log(score + 1.0);
	int			m = fw->n_ind;

	if (fw->n_axes > SR_MAT_MAX_AXES)
		axw = sr_alloc(sizeof(double) * fw->n_axes);
	/* the re-weighting of sr_mat_aggregate_row: weights over what is available */
	for (int a = 0; a < fw->n_axes; a++)
		axw[a] = 0.0;
	for (int j = 0; j < m; j++)
		if (!isnan(zrow[j]))
			axw[fw->ind_axis[j]] += fw->ind_weight[j];
	for (int a = 0; a < fw->n_axes; a++)
		if (axw[a] > 0)
			asum += fw->axis_weight[a];
	for (int j = 0; j < m; j++)
	{
		int			a = fw->ind_axis[j];
		double		w;

		if (isnan(zrow[j]))
		{
			weight[j] = 0.0;
			contribution[j] = NAN;
			continue;
		}
		w = (fw->axis_weight[a] / asum) * (fw->ind_weight[j] / axw[a]);
		weight[j] = w;
		if (agg == SR_MAT_AGG_GEOMETRIC)
			/* ln(score + 1) = sum w ln(z + 1): each term's share of the score */
			contribution[j] = ls > 0 ? score * w * log(zrow[j] + 1.0) / ls : 0.0;
		else
			contribution[j] = w * zrow[j];
	}
	if (axw != axw_s)
		sr_free(axw);
}
