/*
 * maturity.c — entry points of the digital-maturity observatory
 * (docs/maturity.md): _maturity_eval, _maturity_detail, _maturity_mc and
 * maturity_radar_chart.
 *
 * The framework (smartregion.maturity_*), the territories and the values
 * (<hub>.maturity_value, <hub>.maturity_answer, plugin functions) are read
 * by the shared reader (query.c) with schema-qualified queries and $n
 * parameters; where values come from, which year wins, the roll-up, the
 * scores and their detail are the core's (extension/core/maturity_*.c).
 */
#include "sr_pg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"
#include "utils/memutils.h"

#include "sr_maturity.h"

/* ---- reading --------------------------------------------------------------- */

/* A read of the extension's or the hub's tables: $1 int4 year and $2 text
 * (a name or a territory type), NULL when absent. */
typedef struct MatParams
{
	Oid			types[2];
	Datum		values[2];
	char		nulls[2];
} MatParams;

static void
params_set(MatParams *p, bool has_year, int year, const char *text)
{
	p->types[0] = INT4OID;
	p->types[1] = TEXTOID;
	p->values[0] = Int32GetDatum(year);
	p->nulls[0] = has_year ? ' ' : 'n';
	p->values[1] = text ? CStringGetTextDatum(text) : (Datum) 0;
	p->nulls[1] = text ? ' ' : 'n';
}

static void
read_with(const MatParams *p, const char *param, const char *sql,
		  const sr_qcol *cols, int ncols, sr_qresult *res)
{
	sr_query	q = {param, sql, cols, ncols, 2, p->types, p->values, p->nulls};

	sr_query_read(&q, res);
}

/* The extension's schema, from the function's own namespace (never
 * search_path), quoted for SQL text. */
static const char *
ext_schema(FunctionCallInfo fcinfo)
{
	return quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
}

/* A framework read from the catalog tables. */
typedef struct MatFw
{
	int			na,
				ni,
				nlev;
	char	  **axis;
	char	  **ind,
			  **ind_label,
			  **ind_kind,
			  **plugin;			/* regproc text (the source label), NULL none */
	Oid		   *plugin_fn;		/* the plugin, called by this OID */
	int		   *ind_axis;
	sr_mat_rollup_rule *rollup;
	double	   *lb;
	char	  **lev_label;
	sr_mat_framework core;
} MatFw;

static const sr_qcol axis_cols[] = {
	{"axis", SR_Q_TEXT, SR_Q_NOTNULL}, {"weight", SR_Q_FLOAT8, SR_Q_NOTNULL},
};
static const sr_qcol indicator_cols[] = {
	{"indicator", SR_Q_TEXT, SR_Q_NOTNULL}, {"label", SR_Q_TEXT, SR_Q_NOTNULL},
	{"kind", SR_Q_TEXT, SR_Q_NOTNULL}, {"axis", SR_Q_TEXT, SR_Q_NOTNULL},
	{"goal_min", SR_Q_FLOAT8, SR_Q_NOTNULL}, {"goal_max", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"direction", SR_Q_INT4, SR_Q_NOTNULL}, {"weight", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"rollup", SR_Q_TEXT, SR_Q_NOTNULL}, {"plugin", SR_Q_TEXT, 0},
};
static const sr_qcol level_cols[] = {
	{"min_score", SR_Q_FLOAT8, SR_Q_NOTNULL}, {"label", SR_Q_TEXT, SR_Q_NOTNULL},
};

/*
 * The function of a plugin (its registered signature): it must exist, belong
 * to a superuser (sr_registered_function) and be f(year integer) RETURNS
 * TABLE (territory_type text, territory_code text, value double precision),
 * as maturity_register_plugin checked it (it may have been dropped and made
 * again since), and no more volatile than the STABLE readers calling it
 * (sr_registered_function_labels: ALTER FUNCTION may have changed it since).  It is called by this OID, never by its name: another role
 * with CREATE on its schema could add an overload (with a default argument:
 * "function ... is not unique") or a better match.  *shown gets its name as
 * the caller's search_path shows it (the detail's source).
 */
static Oid
plugin_function(const char *signature, const char *indicator, char **shown)
{
	Oid			fn = sr_registered_function(signature, "indicator", indicator);
	Oid		   *argtypes;
	int			nargs;
	TupleDesc	td;

	(void) get_func_signature(fn, &argtypes, &nargs);
	if (nargs != 1 || argtypes[0] != INT4OID || !get_func_retset(fn) ||
		get_func_result_type(fn, NULL, &td) != TYPEFUNC_COMPOSITE || td->natts != 3 ||
		TupleDescAttr(td, 0)->atttypid != TEXTOID || TupleDescAttr(td, 1)->atttypid != TEXTOID ||
		TupleDescAttr(td, 2)->atttypid != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("plugin function \"%s\" has the wrong signature", signature),
				 errdetail("It is %s, registered for indicator \"%s\".", format_procedure(fn), indicator),
				 errhint("A plugin is f(year integer) RETURNS TABLE (territory_type text, territory_code text, value double precision).")));
	/* the readers are STABLE: a VOLATILE plugin (one altered since its
	 * registration, which refuses it) would write, or see other rows, inside
	 * them (42P13, as a match criterion) */
	sr_registered_function_labels(fn, "indicator", indicator);
	*shown = DatumGetCString(DirectFunctionCall1(regprocout, ObjectIdGetDatum(fn)));
	return fn;
}

/* Read a framework; raises 42704 when it does not exist. */
static void
load_framework(const char *schema, const char *name, MatFw *fw)
{
	MatParams	p;
	sr_qresult	a,
				i,
				l;
	sr_err		err;

	params_set(&p, false, 0, name);
	read_with(&p, "smartregion.maturity_axis",
			  psprintf("SELECT a.axis, a.weight FROM %s.maturity_axis a "
					   "WHERE a.framework OPERATOR(pg_catalog.=) $2 ORDER BY a.position", schema),
			  axis_cols, lengthof(axis_cols), &a);
	read_with(&p, "smartregion.maturity_indicator",
			  psprintf("SELECT i.indicator, i.label, i.kind, i.axis, i.goal_min, i.goal_max, "
					   "i.direction, i.weight, i.rollup, "
					   "i.plugin "
					   "FROM %s.maturity_indicator i JOIN %s.maturity_axis a "
					   "ON a.framework OPERATOR(pg_catalog.=) i.framework "
					   "AND a.axis OPERATOR(pg_catalog.=) i.axis "
					   "WHERE i.framework OPERATOR(pg_catalog.=) $2 "
					   "ORDER BY a.position, i.position, i.indicator", schema, schema),
			  indicator_cols, lengthof(indicator_cols), &i);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_framework_sizes(name, (int) a.nrows, (int) i.nrows, &err), &err);
	read_with(&p, "smartregion.maturity_level",
			  psprintf("SELECT l.min_score, l.label FROM %s.maturity_level l "
					   "WHERE l.framework OPERATOR(pg_catalog.=) $2 ORDER BY l.level", schema),
			  level_cols, lengthof(level_cols), &l);

	fw->na = (int) a.nrows;
	fw->axis = SR_QVAL(&a, 0, char *);
	fw->ni = (int) i.nrows;
	fw->ind = SR_QVAL(&i, 0, char *);
	fw->ind_label = SR_QVAL(&i, 1, char *);
	fw->ind_kind = SR_QVAL(&i, 2, char *);
	fw->plugin = SR_QVAL(&i, 9, char *);
	fw->plugin_fn = palloc0(sizeof(Oid) * fw->ni);
	fw->ind_axis = palloc(sizeof(int) * fw->ni);
	fw->rollup = palloc(sizeof(sr_mat_rollup_rule) * fw->ni);
	for (int j = 0; j < fw->ni; j++)
	{
		char	   *ax = SR_QVAL(&i, 3, char *)[j];

		fw->ind_axis[j] = -1;
		for (int k = 0; k < fw->na; k++)
			if (strcmp(fw->axis[k], ax) == 0)
				fw->ind_axis[j] = k;
		SR_CHECK_STATUS(sr_mat_rollup_rule_parse(SR_QVAL(&i, 8, char *)[j], &fw->rollup[j], &err), &err);
		if (SR_QNULL(&i, 9, j))
			fw->plugin[j] = NULL;
		else
			fw->plugin_fn[j] = plugin_function(fw->plugin[j], fw->ind[j], &fw->plugin[j]);
	}
	fw->nlev = (int) l.nrows;
	fw->lb = SR_QVAL(&l, 0, double);
	fw->lev_label = SR_QVAL(&l, 1, char *);

	fw->core.n_axes = fw->na;
	fw->core.n_ind = fw->ni;
	fw->core.ind_axis = fw->ind_axis;
	fw->core.ind_weight = SR_QVAL(&i, 7, double);
	fw->core.axis_weight = SR_QVAL(&a, 1, double);
	fw->core.goal_lo = SR_QVAL(&i, 4, double);
	fw->core.goal_hi = SR_QVAL(&i, 5, double);
	fw->core.direction = SR_QVAL(&i, 6, int32);
	SR_CHECK_STATUS(sr_mat_validate(&fw->core, &err), &err);
}

/* Territories (of one type, or all for a roll-up), in type then code
 * order. */
typedef struct MatTerr
{
	int			n;
	char	  **code,
			  **name;
	int		   *type;
	double	   *pop;			/* NaN when unknown */
	bool	   *pop_null;
	int		   *parent;			/* [n * 3] EPCI, département, région rows */
	sr_mat_index *ix;
	int			nparts;			/* smartregion.commune_part, when communes are read */
	char	  **part_code,
			  **part_commune;
} MatTerr;

static const sr_qcol part_cols[] = {
	{"code", SR_Q_TEXT, SR_Q_NOTNULL}, {"commune_code", SR_Q_TEXT, SR_Q_NOTNULL},
};
static const sr_qcol territory_cols[] = {
	{"type", SR_Q_TEXT, SR_Q_NOTNULL}, {"code", SR_Q_TEXT, SR_Q_NOTNULL},
	{"name", SR_Q_TEXT, SR_Q_NOTNULL}, {"population", SR_Q_FLOAT8, 0},
	{"epci_code", SR_Q_TEXT, 0}, {"departement_code", SR_Q_TEXT, 0},
	{"region_code", SR_Q_TEXT, 0},
};

static void
load_territories(const char *schema, MatTerr *T, int type_filter)
{
	MatParams	p;
	sr_qresult	r;
	sr_err		err;

	params_set(&p, false, 0, type_filter >= 0 ? sr_mat_type_names[type_filter] : NULL);
	read_with(&p, "smartregion.territory",
			  psprintf("SELECT t.type, t.code, t.name, t.population, t.epci_code, "
					   "t.departement_code, t.region_code FROM %s.territory t "
					   "WHERE $2 IS NULL OR t.type OPERATOR(pg_catalog.=) $2 "
					   "ORDER BY pg_catalog.array_position(ARRAY['commune', 'epci', 'departement', 'region'], t.type), "
					   "t.code", schema),
			  territory_cols, lengthof(territory_cols), &r);
	T->n = (int) r.nrows;
	T->code = SR_QVAL(&r, 1, char *);
	T->name = SR_QVAL(&r, 2, char *);
	T->pop = SR_QVAL(&r, 3, double);
	T->pop_null = r.nulls[3];
	T->type = palloc(sizeof(int) * (T->n + 1));
	T->parent = palloc(sizeof(int) * ((size_t) T->n * 3 + 1));
	for (int t = 0; t < T->n; t++)
	{
		T->type[t] = sr_mat_type_index(SR_QVAL(&r, 0, char *)[t]);
		if (T->pop_null[t])
			T->pop[t] = NAN;
	}
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_index_build(T->n, T->type, (const char *const *) T->code, &T->ix, &err), &err);
	for (int t = 0; t < T->n; t++)
		for (int k = 0; k < 3; k++)
			T->parent[(size_t) t * 3 + k] = SR_QNULL(&r, 4 + k, t) ? -1 :
				sr_mat_index_find(T->ix, 1 + k, SR_QVAL(&r, 4 + k, char *)[t]);
	/* the codes of former communes and municipal arrondissements, whose hub
	 * rows count for their commune of today (docs/maturity.md) */
	T->nparts = 0;
	if (type_filter < 0 || type_filter == 0)
	{
		sr_qresult	pr;

		read_with(&p, "smartregion.commune_part",
				  psprintf("SELECT p.code, p.commune_code FROM %s.commune_part p", schema),
				  part_cols, lengthof(part_cols), &pr);
		T->nparts = (int) pr.nrows;
		T->part_code = SR_QVAL(&pr, 0, char *);
		T->part_commune = SR_QVAL(&pr, 1, char *);
	}
}

/* Does the hub schema have the table?  Raises 42P01 with a hint if not. */
static void
require_hub_table(const char *hub, const char *table)
{
	static const sr_qcol cols[] = {{"present", SR_Q_BOOL, SR_Q_NOTNULL}};
	MatParams	p;
	sr_qresult	r;

	params_set(&p, false, 0, psprintf("%s.%s", quote_identifier(hub), quote_identifier(table)));
	read_with(&p, psprintf("%s.%s", hub, table),
			  "SELECT pg_catalog.to_regclass($2) IS NOT NULL AS present",
			  cols, lengthof(cols), &r);
	if (!SR_QVAL(&r, 0, bool)[0])
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("hub table \"%s.%s\" does not exist", hub, table),
				 errhint("Create the hub with smartregion.create_hub('%s'), or name another schema in the option \"hub\".", hub)));
}

/* Rows of a hub table or of a plugin, handed to the core batch by batch. */
typedef struct ValueBatch
{
	sr_mat_values *v;
	sr_mat_table table;
	int			plugin_j;		/* SR_MAT_FROM_PLUGIN: the indicator */
	int			year;			/* SR_MAT_FROM_PLUGIN: the year asked, 0 none */
	const char *type_filter;	/* SR_MAT_FROM_PLUGIN: its rows of this type only, NULL all */
	MemoryContext cxt;			/* where the detail's sources live */
} ValueBatch;

static const sr_qcol value_cols[] = {
	{"indicator", SR_Q_TEXT, SR_Q_NOTNULL}, {"territory_type", SR_Q_TEXT, SR_Q_NOTNULL},
	{"territory_code", SR_Q_TEXT, SR_Q_NOTNULL}, {"year", SR_Q_INT4, SR_Q_NOTNULL},
	{"value", SR_Q_FLOAT8, SR_Q_NOTNULL}, {"source", SR_Q_TEXT, 0},
};
static const sr_qcol plugin_cols[] = {
	{"territory_type", SR_Q_TEXT, 0}, {"territory_code", SR_Q_TEXT, 0},
	{"value", SR_Q_FLOAT8, 0},
};

/* A text column's value, NULL for SQL NULL. */
#define QTEXT(b, c, i) (SR_QNULL(b, c, i) ? NULL : SR_QVAL(b, c, char *)[i])

static void
add_batch(void *arg, const sr_qresult *b, int64 first_row)
{
	ValueBatch *vb = (ValueBatch *) arg;
	MemoryContext old = MemoryContextSwitchTo(vb->cxt);

	for (int64 i = 0; i < b->nrows; i++)
	{
		if (vb->table == SR_MAT_FROM_PLUGIN && vb->type_filter != NULL &&
			(SR_QNULL(b, 0, i) || strcmp(SR_QVAL(b, 0, char *)[i], vb->type_filter) != 0))
			continue;			/* (as WHERE p.territory_type = $2 did) */
		if (vb->table == SR_MAT_FROM_PLUGIN)
			sr_mat_values_add_plugin(vb->v, vb->plugin_j, QTEXT(b, 0, i), QTEXT(b, 1, i),
									 SR_QNULL(b, 2, i) ? NAN : SR_QVAL(b, 2, double)[i], vb->year);
		else
			sr_mat_values_add(vb->v, vb->table, SR_QVAL(b, 0, char *)[i], SR_QVAL(b, 1, char *)[i],
							  SR_QVAL(b, 2, char *)[i], SR_QVAL(b, 3, int32)[i],
							  SR_QVAL(b, 4, double)[i], QTEXT(b, 5, i));
	}
	MemoryContextSwitchTo(old);
}

static void
read_values(ValueBatch *vb, const MatParams *p, const char *param, const char *sql,
			const sr_qcol *cols, int ncols)
{
	sr_query	q = {param, sql, cols, ncols, 2, p->types, p->values, p->nulls};

	sr_query_batches(&q, add_batch, vb, NULL);
}

/* The rows of a hub table (maturity_value or maturity_answer, whose value
 * column is 'value' or 'answer') up to the year and of the type of p. */
static void
read_hub_table(ValueBatch *vb, const MatParams *p, const char *hub, const char *table,
			   const char *value)
{
	sr_qcol		cols[lengthof(value_cols)];

	require_hub_table(hub, table);
	memcpy(cols, value_cols, sizeof(value_cols));
	cols[4].name = value;
	read_values(vb, p, psprintf("%s.%s", hub, table),
				psprintf("SELECT h.indicator, h.territory_type, h.territory_code, h.year, h.%s, h.source "
						 "FROM %s.%s h "
						 "WHERE ($1 IS NULL OR h.year OPERATOR(pg_catalog.<=) $1) "
						 "AND ($2 IS NULL OR h.territory_type OPERATOR(pg_catalog.=) $2)",
						 value, quote_identifier(hub), table),
				cols, lengthof(cols));
}

/* Read every indicator value of the framework for the territories T:
 * values and answers up to the year (every year when has_year is false),
 * of one territory type (NULL: all), and the plugins' rows. */
static void
load_values(const MatFw *fw, const MatTerr *T, sr_mat_values *V, bool has_year, int year,
			const char *hub, const char *type_filter, int detail_row)
{
	MatParams	p;
	ValueBatch	vb = {V, SR_MAT_FROM_VALUES, -1, has_year ? year : 0, type_filter, CurrentMemoryContext};
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_values_init(V, T->ix, T->n, fw->ni, (const char *const *) fw->ind,
									   (const char *const *) fw->ind_kind,
									   (const char *const *) fw->plugin, detail_row, &err), &err);
	SR_CHECK_STATUS(sr_mat_values_parts(V, T->nparts, (const char *const *) T->part_code,
										(const char *const *) T->part_commune, &err), &err);
	params_set(&p, has_year, year, type_filter);
	read_hub_table(&vb, &p, hub, "maturity_value", "value");
	vb.table = SR_MAT_FROM_ANSWERS;
	read_hub_table(&vb, &p, hub, "maturity_answer", "answer");
	/* plugins: f(year int) RETURNS TABLE (territory_type, territory_code, value) */
	vb.table = SR_MAT_FROM_PLUGIN;
	for (int j = 0; j < fw->ni; j++)
	{
		if (fw->plugin[j] == NULL)
			continue;
		vb.plugin_j = j;
		{
			/* f($1), by its OID; the type filter ($2) in add_batch */
			sr_query	q = {psprintf("plugin %s", fw->plugin[j]), NULL, plugin_cols,
							 lengthof(plugin_cols), 1, p.types, p.values, p.nulls};

			sr_query_function_batches(&q, fw->plugin_fn[j], add_batch, &vb);
		}
	}
	sr_mat_values_finish(V);
}

/* ---- a scoring job ------------------------------------------------------------ */

typedef struct MatJob
{
	MemoryContext cxt;			/* the job's memory, current until job_end */
	MemoryContext caller;
	ReturnSetInfo *rs;
	MatFw		fw;
	MatTerr		T;
	sr_mat_values V;
	sr_mat_eval_args args;
	sr_mat_data data;
	int		   *group;
	double	   *x;				/* matrix scored (own or rolled up) */
} MatJob;

/*
 * Read the arguments (framework $0, year $1, then normalisation,
 * aggregation, missing, hub and territory type from argument 'methods'
 * on), the framework, the territories and their values.  A roll-up reads
 * every territory and the communes' values; a detail (detail_code) looks
 * its territory up among those of the type.
 */
static void
prepare_job(FunctionCallInfo fcinfo, MatJob *J, int methods, bool rollup,
			const char *detail_code)
{
	const char *schema = ext_schema(fcinfo);
	char	   *framework;
	int			ty,
				detail_row = -1;
	sr_err		err;

	sr_require_schema_usage(fcinfo);	/* a clear 42501 before the reads */
	sr_require_arg(fcinfo, 0, "framework");
	framework = sr_text_arg(fcinfo, 0);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_eval_args_read(sr_text_arg(fcinfo, methods), sr_text_arg(fcinfo, methods + 1),
										  sr_text_arg(fcinfo, methods + 2), sr_text_arg(fcinfo, methods + 3),
										  sr_text_arg(fcinfo, methods + 4), &J->args, &err), &err);
	ty = J->args.territory_type;
	/* an empty name is no hub (the NULL rule's neighbour: docs/governance.md) */
	if (J->args.hub[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("hub \"\" has no table maturity_value"),
				 errhint("Name the hub's schema in the option \"hub\", or leave the option out for the hub \"hub\".")));
	/* a superuser's or platform administrator's call reads the hub only if
	 * nobody without its rights controls code there (the maturity_* readers
	 * checked it first: then not again) */
	sr_hub_read_guard(fcinfo, J->args.hub, get_func_name(fcinfo->flinfo->fn_oid));
	/* and a clear 42501 naming the hub before its tables are read */
	sr_require_hub_usage(fcinfo, J->args.hub, "maturity_value and maturity_answer",
						 "the maturity readers' option \"hub\"");

	load_framework(schema, framework, &J->fw);
	/* a roll-up needs the communes and their parents */
	load_territories(schema, &J->T, rollup ? -1 : ty);
	if (detail_code)
	{
		detail_row = sr_mat_index_find(J->T.ix, ty, detail_code);
		if (detail_row < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("territory \"%s\" does not exist", detail_code)));
	}
	load_values(&J->fw, &J->T, &J->V, !PG_ARGISNULL(1), PG_ARGISNULL(1) ? 0 : PG_GETARG_INT32(1),
				J->args.hub, rollup ? "commune" : (ty >= 0 ? sr_mat_type_names[ty] : NULL), detail_row);
	J->x = J->V.x;
	if (rollup)
	{
		J->x = palloc(sizeof(double) * ((size_t) J->T.n * J->fw.ni + 1));
		SR_CHECK_STATUS(sr_mat_rollup(J->T.n, J->fw.ni, J->T.type, J->T.pop, J->T.parent,
									  J->fw.rollup, J->V.x, J->x, &err), &err);
	}
	J->group = palloc(sizeof(int) * (J->T.n + 1));
	for (int t = 0; t < J->T.n; t++)
		J->group[t] = J->T.type[t] < 0 ? 0 : J->T.type[t];
	J->data.n = J->T.n;
	J->data.x = J->x;
	J->data.group = J->group;
	J->data.n_groups = SR_MAT_N_TYPES;
	J->data.population = J->T.pop;
}

/* Begin a scoring call: its result set, a memory context of its own and
 * the job prepared (prepare_job). */
static MatJob *
job_begin(FunctionCallInfo fcinfo, int methods, bool rollup, const char *detail_code)
{
	MemoryContext cxt;
	MatJob	   *J;

	InitMaterializedSRF(fcinfo, 0);
	cxt = AllocSetContextCreate(CurrentMemoryContext, "smartregion maturity job",
								ALLOCSET_DEFAULT_SIZES);
	J = MemoryContextAllocZero(cxt, sizeof(MatJob));
	J->cxt = cxt;
	J->caller = MemoryContextSwitchTo(cxt);
	J->rs = (ReturnSetInfo *) fcinfo->resultinfo;
	prepare_job(fcinfo, J, methods, rollup, detail_code);
	return J;
}

static void
job_row(MatJob *J, Datum *values, bool *nulls)
{
	tuplestore_putvalues(J->rs->setResult, J->rs->setDesc, values, nulls);
}

static void
job_end(MatJob *J)
{
	MemoryContextSwitchTo(J->caller);
	MemoryContextDelete(J->cxt);
}

/* An array of per_territory doubles per territory. */
static double *
doubles(const MatJob *J, int per_territory)
{
	return palloc(sizeof(double) * ((size_t) J->T.n * per_territory + 1));
}

/* A float8 output column, NULL for NaN. */
static void
put_float(Datum *values, bool *nulls, int k, double x)
{
	values[k] = Float8GetDatum(x);
	nulls[k] = isnan(x);
}

/* Score, level and its label (NULL without a score) into columns k.. k+2. */
static void
put_level(const MatFw *fw, double score, Datum *values, bool *nulls, int k)
{
	int			lv = sr_mat_level(score, fw->lb, fw->nlev);

	put_float(values, nulls, k, score);
	values[k + 1] = Int32GetDatum(lv);
	nulls[k + 1] = isnan(score);
	values[k + 2] = lv >= 1 ? CStringGetTextDatum(fw->lev_label[lv - 1]) : (Datum) 0;
	nulls[k + 2] = isnan(score) || lv < 1;
}

static const char *
type_name(const MatTerr *T, int t)
{
	return sr_mat_type_names[T->type[t] < 0 ? 0 : T->type[t]];
}

/*
 * jsonb object {axis: score} (null for an axis without data).  Each score is
 * written with the shortest digits that read back to the same double, as
 * float8out does: "%.10g" cut them to 10 significant digits (84.8019802 for
 * 84.8019801980198), which maturity_peers and maturity_trend then read.
 */
static Datum
axis_jsonb(const MatFw *fw, const double *as)
{
	StringInfoData b;
	char		num[DOUBLE_SHORTEST_DECIMAL_LEN];

	initStringInfo(&b);
	appendStringInfoChar(&b, '{');
	for (int a = 0; a < fw->na; a++)
	{
		if (a)
			appendStringInfoString(&b, ", ");
		escape_json(&b, fw->axis[a]);
		if (isnan(as[a]))
			appendStringInfoString(&b, ": null");
		else
		{
			double_to_shortest_decimal_buf(as[a], num);
			appendStringInfo(&b, ": %s", num);
		}
	}
	appendStringInfoChar(&b, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(b.data));
}

/* ---- entry points ---------------------------------------------------------------- */

PG_FUNCTION_INFO_V1(sr_fn_maturity_population_class);
/* smartregion.maturity_population_class(population): the peers' class
 * (the core's rule; "unknown" for NULL, hence not STRICT) */
Datum
sr_fn_maturity_population_class(PG_FUNCTION_ARGS)
{
	if (!PG_ARGISNULL(0) && PG_GETARG_INT64(0) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("population must not be negative, got " INT64_FORMAT, PG_GETARG_INT64(0))));
	PG_RETURN_TEXT_P(cstring_to_text(sr_mat_population_class(PG_ARGISNULL(0) ? 0 : PG_GETARG_INT64(0),
															 !PG_ARGISNULL(0))));
}

PG_FUNCTION_INFO_V1(sr_fn_maturity_eval);
/* smartregion._maturity_eval(framework, year, normalisation, aggregation,
 * missing, hub, territory_type, rollup): one row per scored territory. */
Datum
sr_fn_maturity_eval(PG_FUNCTION_ARGS)
{
	bool		rollup = !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
	MatJob	   *J = job_begin(fcinfo, 2, rollup, NULL);
	const MatTerr *T = &J->T;
	int			only = J->args.territory_type;
	double	   *score = doubles(J, 1),
			   *cov = doubles(J, 1),
			   *as = doubles(J, J->fw.na);
	int		   *rank = palloc(sizeof(int) * (T->n + 1));
	sr_err		err;

	sr_err_clear(&err);
	/* in a roll-up the communes have no values: their scores are not shown */
	SR_CHECK_STATUS(sr_mat_score(&J->fw.core, &J->data, &J->args.opt, score, as, cov, NULL, &err), &err);
	SR_CHECK_STATUS(sr_mat_rank(score, J->group, T->n, SR_MAT_N_TYPES, rank, &err), &err);
	for (int t = 0; t < T->n; t++)
	{
		Datum		values[10];
		bool		nulls[10] = {0};

		if (rollup && (T->type[t] == 0 || (only >= 0 && T->type[t] != only)))
			continue;
		values[0] = CStringGetTextDatum(T->code[t]);
		values[1] = CStringGetTextDatum(type_name(T, t));
		values[2] = CStringGetTextDatum(T->name[t]);
		values[3] = Int64GetDatum((int64) (T->pop_null[t] ? 0 : T->pop[t]));
		nulls[3] = T->pop_null[t];
		put_level(&J->fw, score[t], values, nulls, 4);
		values[7] = axis_jsonb(&J->fw, as + (size_t) t * J->fw.na);
		values[8] = Float8GetDatum(cov[t]);
		values[9] = Int32GetDatum(rank[t]);
		nulls[9] = isnan(score[t]);
		job_row(J, values, nulls);
		if ((t & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	job_end(J);
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(sr_fn_maturity_detail);
/* smartregion._maturity_detail(framework, year, normalisation, aggregation,
 * missing, hub, territory_type, territory_code): one row per indicator. */
Datum
sr_fn_maturity_detail(PG_FUNCTION_ARGS)
{
	MatJob	   *J;
	int			row,
				m;
	double	   *score,
			   *cov,
			   *z,
			   *zr,
			   *w,
			   *contrib,
			   *work;
	sr_err		err;

	sr_require_arg(fcinfo, 6, "territory_type");
	sr_require_arg(fcinfo, 7, "territory_code");
	J = job_begin(fcinfo, 2, false, sr_text_arg(fcinfo, 7));
	row = J->V.detail_row;
	m = J->fw.ni;
	score = doubles(J, 1);
	cov = doubles(J, 1);
	z = doubles(J, m);
	w = palloc(sizeof(double) * m);
	contrib = palloc(sizeof(double) * m);
	work = palloc(sizeof(double) * m);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_score(&J->fw.core, &J->data, &J->args.opt, score, NULL, cov, z, &err), &err);
	zr = z + (size_t) row * m;
	sr_mat_contributions(&J->fw.core, zr, score[row], J->args.opt.agg, w, contrib);
	for (int j = 0; j < m; j++)
	{
		Datum		values[15];
		bool		nulls[15] = {0};
		size_t		c = (size_t) row * m + j;
		double		raw = J->x[c];
		const char *src = sr_mat_values_source(&J->V, j, zr[j], J->args.opt.missing);

		put_level(&J->fw, score[row], values, nulls, 0);
		values[3] = Float8GetDatum(cov[row]);
		values[4] = CStringGetTextDatum(J->fw.axis[J->fw.ind_axis[j]]);
		values[5] = CStringGetTextDatum(J->fw.ind[j]);
		values[6] = CStringGetTextDatum(J->fw.ind_label[j]);
		values[7] = CStringGetTextDatum(J->fw.ind_kind[j]);
		put_float(values, nulls, 8, raw);
		put_float(values, nulls, 9, zr[j]);
		values[10] = Float8GetDatum(w[j]);
		put_float(values, nulls, 11, contrib[j]);
		values[12] = Float8GetDatum(sr_mat_gain(&J->fw.core, zr, j, J->args.opt.agg, work));
		values[13] = src ? CStringGetTextDatum(src) : (Datum) 0;
		nulls[13] = src == NULL;
		values[14] = Int32GetDatum(J->V.year[c]);
		nulls[14] = isnan(raw) || J->V.year[c] == 0;
		job_row(J, values, nulls);
	}
	job_end(J);
	return (Datum) 0;
}

/* The bit mask of the methods named in text[] argument n. */
static unsigned
method_mask(FunctionCallInfo fcinfo, int n, const char *option)
{
	Datum	   *elems;
	bool	   *enulls;
	int			count;
	const char **names;
	unsigned	mask;
	sr_err		err;

	deconstruct_array(PG_GETARG_ARRAYTYPE_P(n), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &enulls, &count);
	names = palloc(sizeof(char *) * (count + 1));
	for (int i = 0; i < count; i++)
		names[i] = enulls[i] ? NULL : TextDatumGetCString(elems[i]);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_methods_mask(option, names, count, &mask, &err), &err);
	return mask;
}

PG_FUNCTION_INFO_V1(sr_fn_maturity_mc);
/* smartregion._maturity_mc(framework, year, runs, seed, weight_noise,
 * normalisations, aggregations, missing_methods, normalisation, aggregation,
 * missing, hub, territory_type). */
Datum
sr_fn_maturity_mc(PG_FUNCTION_ARGS)
{
	static const char *const params[] = {"runs", "seed", "weight_noise", "normalisations",
	"aggregations", "missing_methods"};
	MatJob	   *J;
	sr_mat_mc_options mc;
	double	   *ns,
			   *md,
			   *p5,
			   *p95;
	int		   *nr;
	sr_err		err;

	for (int i = 2; i <= 7; i++)
		sr_require_arg(fcinfo, i, params[i - 2]);
	memset(&mc, 0, sizeof(mc));
	mc.runs = PG_GETARG_INT32(2);
	mc.seed = (uint64) PG_GETARG_INT64(3);
	mc.weight_noise = PG_GETARG_FLOAT8(4);
	mc.threads = sr_max_threads();
	mc.norm_mask = method_mask(fcinfo, 5, "normalisations");
	mc.agg_mask = method_mask(fcinfo, 6, "aggregations");
	mc.missing_mask = method_mask(fcinfo, 7, "missing_methods");
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_mc_check(&mc, &err), &err);

	J = job_begin(fcinfo, 8, false, NULL);
	mc.nominal = J->args.opt;
	/*
	 * The ranks of every run (4 bytes a territory a run: 1 GB at the 250
	 * million territory-runs the core allows) are held until the quantiles:
	 * charged to smartregion.max_call_memory as the calls holding their
	 * input are, at the core's count (sr_mat_mc_bytes), before anything is
	 * allocated.  Past 250 million the core's 22003 speaks first.
	 */
	/*
	 * ... with the hub data the job holds while the runs are made (the
	 * territories, their codes and names, the value matrix and the results:
	 * sr_mat_data_bytes), which the check left out: the value matrix alone
	 * is 20 bytes a territory and indicator.
	 */
	if ((double) J->T.n * mc.runs <= SR_MAT_MC_MAX_TERRITORY_RUNS && sr_max_call_memory() >= 0)
	{
		int			limit = sr_max_call_memory();
		double		text = 0.0,
					data,
					bytes;

		for (int t = 0; t < J->T.n; t++)
			text += strlen(J->T.code[t]) + strlen(J->T.name[t]) + 2;
		for (int k = 0; k < J->T.nparts; k++)
			text += strlen(J->T.part_code[k]) + strlen(J->T.part_commune[k]) + 2;
		data = sr_mat_data_bytes(J->T.n, J->fw.core.n_ind, J->T.nparts, text);
		bytes = data + sr_mat_mc_bytes(J->T.n, J->fw.core.n_ind, J->fw.core.n_axes,
									   J->data.n_groups, &mc);
		if (bytes > (double) limit * 1024.0)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("maturity_uncertainty exceeds the limit of %d kB of memory", limit),
					 errdetail("Its %d runs over %d territories would hold about %.0f bytes: %.0f of hub data (the territories, their values and results) and, for the runs, 4 bytes a territory a run for the ranks, 8 an indicator and an axis a run for the weights, and working arrays, as much as smartregion.max_call_memory allows.",
							   mc.runs, J->T.n, bytes, data),
					 errhint("Reduce runs, or analyse one territory type at a time (option \"territory_type\"), or raise smartregion.max_call_memory.")));
	}
	ns = doubles(J, 1);
	md = doubles(J, 1);
	p5 = doubles(J, 1);
	p95 = doubles(J, 1);
	nr = palloc(sizeof(int) * (J->T.n + 1));
	SR_CHECK_STATUS(sr_mat_uncertainty(&J->fw.core, &J->data, &mc, ns, nr, md, p5, p95, &err), &err);
	for (int t = 0; t < J->T.n; t++)
	{
		Datum		values[7];
		bool		nulls[7] = {0};

		values[0] = CStringGetTextDatum(J->T.code[t]);
		values[1] = CStringGetTextDatum(type_name(&J->T, t));
		put_float(values, nulls, 2, ns[t]);
		values[3] = Int32GetDatum(nr[t]);
		nulls[3] = nr[t] == 0;
		put_float(values, nulls, 4, md[t]);
		put_float(values, nulls, 5, p5[t]);
		put_float(values, nulls, 6, p95[t]);
		job_row(J, values, nulls);
	}
	job_end(J);
	return (Datum) 0;
}

/* A one-dimensional array argument's elements. */
static int
array_elems(ArrayType *arr, Oid elemtype, Datum **elems, bool **enulls)
{
	int16		len;
	bool		byval;
	char		align;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("radar chart arrays must be one-dimensional")));
	get_typlenbyvalalign(elemtype, &len, &byval, &align);
	deconstruct_array(arr, elemtype, len, byval, align, elems, enulls, &n);
	return n;
}

/* float8[] argument n as a C array (NULL elements -> NaN); returns the length. */
static int
float_array(FunctionCallInfo fcinfo, int n, double **out)
{
	Datum	   *elems;
	bool	   *enulls;
	int			count = array_elems(PG_GETARG_ARRAYTYPE_P(n), FLOAT8OID, &elems, &enulls);

	*out = palloc(sizeof(double) * (count + 1));
	for (int i = 0; i < count; i++)
		(*out)[i] = enulls[i] ? NAN : DatumGetFloat8(elems[i]);
	return count;
}

PG_FUNCTION_INFO_V1(sr_fn_maturity_radar_chart);
/* smartregion.maturity_radar_chart(labels, scores, peers, title,
 * series_label, peers_label): SVG text. */
Datum
sr_fn_maturity_radar_chart(PG_FUNCTION_ARGS)
{
	Datum	   *le;
	bool	   *lnull;
	int			nl,
				ns,
				np = 0;
	double	   *sc,
			   *pe = NULL;
	const char **labels;
	char	   *svg;
	sr_err		err;
	text	   *res;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	nl = array_elems(PG_GETARG_ARRAYTYPE_P(0), TEXTOID, &le, &lnull);
	ns = float_array(fcinfo, 1, &sc);
	if (!PG_ARGISNULL(2))
		np = float_array(fcinfo, 2, &pe);
	if (ns != nl || (pe && np != nl))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("radar chart arrays must have the same length"),
				 errdetail("labels has %d elements, scores %d, peers %d.", nl, ns, pe ? np : nl)));
	labels = palloc(sizeof(char *) * (nl + 1));
	for (int i = 0; i < nl; i++)
		labels[i] = lnull[i] ? "" : TextDatumGetCString(le[i]);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_radar_svg(nl, labels, sc, pe, sr_text_arg(fcinfo, 3),
									 sr_text_arg(fcinfo, 4), sr_text_arg(fcinfo, 5), &svg, &err), &err);
	res = cstring_to_text(svg);
	sr_free(svg);
	PG_RETURN_TEXT_P(res);
}
