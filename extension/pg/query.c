/*
 * query.c — the one reader of SQL-text arguments and hub tables
 * (docs/query-arguments.md).
 *
 * Every *_sql argument of every family goes through sr_query_read or
 * sr_query_batches, so the same mistake gets the same message:
 *   - the query is planned once, as given (a trailing ";" is fine), and
 *     must be one read-only query (42601, 25006);
 *   - columns are found by name; a missing required column is 42703, an
 *     ambiguous one 42702, a column of a type PostgreSQL would not convert
 *     implicitly 42804 with a cast hint; a NULL where a value is needed is
 *     22004; every message names the argument, and an error context says
 *     which argument was being read;
 *   - it runs in a read-only cursor, fetched in batches (10,000 rows, or
 *     q->batch_rows); each batch's conversions use a memory context reset
 *     after it, its SPI tuple table is freed, and interrupts are checked
 *     after every row converted and between batches.
 */
#include "sr_pg.h"
#include "sr_schema_usage.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_language.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/parsenodes.h"
#include "parser/parse_func.h"
#include "parser/parser.h"
#include "rewrite/rewriteHandler.h"
#include "port/pg_bitutils.h"
#include "storage/proc.h"
#include "storage/sinval.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/plancache.h"
#include "utils/regproc.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#define BATCH_ROWS 10000

static const char *const qtype_name[] = {
	"bigint", "integer", "double precision", "text", "boolean", "date",
	"timestamp with time zone", "geometry", "jsonb", "double precision[]", "record"
};

/* the cast a hint suggests */
static const char *const qtype_cast[] = {
	"bigint", "integer", "float8", "text", "boolean", "date",
	"timestamptz", "geometry", "jsonb", "float8[]", ""
};

static size_t
qtype_size(sr_qtype t)
{
	switch (t)
	{
		case SR_Q_INT8:
			return sizeof(int64);
		case SR_Q_INT4:
		case SR_Q_DATE:
			return sizeof(int32);
		case SR_Q_FLOAT8:
		case SR_Q_TIMESTAMPTZ:
			return sizeof(double);
		case SR_Q_BOOL:
			return sizeof(bool);
		case SR_Q_TEXT:
		case SR_Q_JSONB:
		case SR_Q_ROW_JSONB:
			return sizeof(void *);
		case SR_Q_GEOMETRY:
			return sizeof(sr_qgeom);
		case SR_Q_FLOAT8_ARRAY:
			return sizeof(sr_qarray);
	}
	return sizeof(Datum);
}

static bool
is_float_source(Oid t)
{
	return t == FLOAT8OID || t == FLOAT4OID || t == NUMERICOID ||
		t == INT8OID || t == INT4OID || t == INT2OID;
}

/* Does PostgreSQL convert typid to the wanted type implicitly? */
static bool
type_accepted(sr_qtype want, Oid typid)
{
	switch (want)
	{
		case SR_Q_INT8:
			return typid == INT8OID || typid == INT4OID || typid == INT2OID;
		case SR_Q_INT4:
			return typid == INT4OID || typid == INT2OID;
		case SR_Q_FLOAT8:
			return is_float_source(typid);
		case SR_Q_TEXT:
			return typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID ||
				typid == NAMEOID;
		case SR_Q_BOOL:
			return typid == BOOLOID;
		case SR_Q_DATE:
			return typid == DATEOID;
		case SR_Q_TIMESTAMPTZ:
			return typid == TIMESTAMPTZOID || typid == TIMESTAMPOID;
		case SR_Q_GEOMETRY:
			return sr_is_geometry(typid);
		case SR_Q_JSONB:
			return typid == JSONBOID;
		case SR_Q_FLOAT8_ARRAY:
			{
				Oid			el = get_element_type(typid);

				return OidIsValid(el) && is_float_source(el);
			}
		case SR_Q_ROW_JSONB:
			return true;
	}
	return false;
}

/* whole rows read as jsonb: the other columns are fields, not ignored */
static bool
has_row_jsonb(const sr_qcol *cols, int ncols)
{
	for (int i = 0; i < ncols; i++)
		if (cols[i].type == SR_Q_ROW_JSONB)
			return true;
	return false;
}

static void
describe_columns(StringInfo buf, const sr_qcol *cols, int ncols)
{
	for (int i = 0; i < ncols; i++)
		if (cols[i].type != SR_Q_ROW_JSONB)
			appendStringInfo(buf, "%s%s %s%s", buf->len ? ", " : "", cols[i].name,
							 qtype_name[cols[i].type],
							 (cols[i].flags & SR_Q_OPTIONAL) ? " (optional)" : "");
}

/* The 1-based number of the result column named name, 0 when there is none;
 * a name given twice is an error (42702). */
static int
find_column(const char *param, TupleDesc td, const char *name)
{
	int			found = 0;

	for (int a = 0; td != NULL && a < td->natts; a++)
	{
		Form_pg_attribute att = TupleDescAttr(td, a);

		if (att->attisdropped || strcmp(NameStr(att->attname), name) != 0)
			continue;
		if (found)
			ereport(ERROR,
					(errcode(ERRCODE_AMBIGUOUS_COLUMN),
					 errmsg("column \"%s\" appears more than once in the result of %s",
							name, param),
					 errhint("Give the columns of the query distinct names.")));
		found = a + 1;
	}
	return found;
}

void
sr_query_check_tupdesc(const char *param, TupleDesc td, const sr_qcol *cols,
					   int ncols, int *attno, Oid *typid)
{
	for (int c = 0; c < ncols; c++)
	{
		int			found;

		attno[c] = 0;
		typid[c] = InvalidOid;
		if (cols[c].type == SR_Q_ROW_JSONB)
			continue;
		found = find_column(param, td, cols[c].name);
		if (!found)
		{
			StringInfoData buf;

			if (cols[c].flags & SR_Q_OPTIONAL)
				continue;
			initStringInfo(&buf);
			describe_columns(&buf, cols, ncols);
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" is missing from the result of %s",
							cols[c].name, param),
					 has_row_jsonb(cols, ncols) ?
					 errdetail("%s must return the columns %s; its other columns are read as the fields of each row.",
							   param, buf.data) :
					 errdetail("%s must return the columns %s; other columns are ignored.",
							   param, buf.data),
					 errhint("Name the column in the query, for example: SELECT ... AS %s.",
							 cols[c].name)));
		}
		typid[c] = TupleDescAttr(td, found - 1)->atttypid;
		if (!type_accepted(cols[c].type, typid[c]))
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" has type %s in the result of %s, expected %s",
							cols[c].name, format_type_be(typid[c]), param,
							qtype_name[cols[c].type]),
					 (cols[c].type == SR_Q_INT8 || cols[c].type == SR_Q_INT4) &&
					 (typid[c] == TEXTOID || typid[c] == VARCHAROID || typid[c] == BPCHAROID) ?
					 errhint("Cast it in the query: %s::%s; identifiers that are not numbers can be numbered, for example: dense_rank() OVER (ORDER BY the_id) AS %s.",
							 cols[c].name, qtype_cast[cols[c].type], cols[c].name) :
					 errhint("Cast it in the query: %s::%s.", cols[c].name,
							 qtype_cast[cols[c].type])));
		attno[c] = found;
	}
}

/* ---- error context ---------------------------------------------------------- */

typedef struct read_ctx
{
	const char *param;
	int64		row;			/* 0 before the first row */
	int64		batch_first,
				batch_last;		/* > 0 while the caller processes a batch */
} read_ctx;

static void
read_error_context(void *arg)
{
	read_ctx   *c = (read_ctx *) arg;

	if (c->batch_first > 0)
		errcontext("while processing rows " INT64_FORMAT " to " INT64_FORMAT " of %s",
				   c->batch_first, c->batch_last, c->param);
	else if (c->row > 0)
		errcontext("while reading row " INT64_FORMAT " of %s", c->row, c->param);
	else
		errcontext("while reading %s", c->param);
}

/* ---- planning ---------------------------------------------------------------- */

/*
 * SPI_prepare, remembering the position of an error in the caller's text
 * for a function that raises it again (query_errors.c).
 */
static SPIPlanPtr
prepare_query(const sr_query *q)
{
	SPIPlanPtr volatile plan = NULL;

	PG_TRY();
	{
		plan = SPI_prepare(q->sql, q->nargs, (Oid *) q->argtypes);
	}
	PG_CATCH();
	{
		sr_query_error_remember(q->sql);
		PG_RE_THROW();
	}
	PG_END_TRY();
	return plan;
}

/* Plan the query once and check it is one read-only query. */
static SPIPlanPtr
plan_query(const sr_query *q)
{
	SPIPlanPtr	plan;
	List	   *sources;
	CachedPlanSource *src;
	ListCell   *lc;

	if (q->sql == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s cannot be NULL", q->param)));
	plan = prepare_query(q);
	if (plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("could not prepare %s: %s", q->param,
						SPI_result_code_string(SPI_result))));
	sources = SPI_plan_get_plan_sources(plan);
	if (list_length(sources) != 1)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 list_length(sources) == 0 ?
				 errmsg("%s is empty", q->param) :
				 errmsg("%s must be one query, not %d", q->param, list_length(sources)),
				 errhint("Pass a single SELECT; a trailing semicolon is fine.")));
	src = (CachedPlanSource *) linitial(sources);
	foreach(lc, src->query_list)
	{
		Query	   *qry = lfirst_node(Query, lc);

		if (qry->commandType != CMD_SELECT || qry->hasModifyingCTE ||
			qry->rowMarks != NIL || qry->utilityStmt != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
					 errmsg("%s must be a read-only query", q->param),
					 errdetail("It is run read-only: SELECT, VALUES or TABLE, without FOR UPDATE or data-modifying WITH."),
					 errhint("Write the data first, then pass a SELECT of it.")));
	}
	return plan;
}

/*
 * The text of a caller's query, checked as sr_query_read checks it (one
 * read-only query, 42601 / 25006, every required column present by name,
 * 42703) and of its type when types[c] is valid (42804), ready to be embedded as a subquery "FROM (%s) AS d": without its
 * trailing semicolon, and between newlines so that a trailing "--" comment
 * cannot swallow the closing parenthesis.
 */
char *
sr_query_subquery(const char *param, const char *sql, const char *const *required,
				  const Oid *types, int nrequired)
{
	sr_query	q = {param, sql};
	SPIPlanPtr	plan;
	CachedPlanSource *src;
	TupleDesc	td;
	List	   *raw;
	RawStmt    *rs;
	int			len;
	char	   *out;
	ErrorContextCallback ecb;
	read_ctx	ctx = {param, 0, 0, 0};

	ecb.callback = read_error_context;
	ecb.arg = &ctx;
	ecb.previous = error_context_stack;
	error_context_stack = &ecb;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = plan_query(&q);
	src = (CachedPlanSource *) linitial(SPI_plan_get_plan_sources(plan));
	td = src->resultDesc;
	for (int c = 0; c < nrequired; c++)
	{
		int			found = find_column(param, td, required[c]);
		Oid			typid;

		if (found == 0)
		{
			/* the columns expected, as the reader's error lists them */
			StringInfoData buf;

			initStringInfo(&buf);
			for (int i = 0; i < nrequired; i++)
				appendStringInfo(&buf, "%s%s", i == 0 ? "" : ", ", required[i]);
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_COLUMN),
					 errmsg("column \"%s\" is missing from the result of %s", required[c], param),
					 errdetail("%s must return the column%s %s; other columns are ignored.",
							   param, nrequired == 1 ? "" : "s", buf.data),
					 errhint("Name the column in the query, for example: SELECT ... AS %s.",
							 required[c])));
		}
		typid = TupleDescAttr(td, found - 1)->atttypid;
		if (types != NULL && OidIsValid(types[c]) && typid != types[c])
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("column \"%s\" has type %s in the result of %s, expected %s",
							required[c], format_type_be(typid), param, format_type_be(types[c])),
					 errhint("Cast it in the query: %s::%s.", required[c], format_type_be(types[c]))));
	}
	SPI_finish();
	error_context_stack = ecb.previous;

	/* the one statement's own text: from its start to its end, without the
	 * semicolon and what follows it (stmt_len 0: the rest of the string) */
	raw = raw_parser(sql, RAW_PARSE_DEFAULT);
	Assert(list_length(raw) == 1);
	rs = linitial_node(RawStmt, raw);
	len = rs->stmt_len > 0 ? rs->stmt_len : (int) strlen(sql) - rs->stmt_location;
	out = palloc(len + 3);
	out[0] = '\n';
	memcpy(out + 1, sql + rs->stmt_location, len);
	out[len + 1] = '\n';
	out[len + 2] = '\0';
	/* a comment naming the argument, by which _reraise_query_error tells which
	 * texts a failing generated statement runs (SR_QUERY_MARK) */
	if (strspn(param, SR_QUERY_MARK_NAME) == strlen(param))
		out = psprintf("/* " SR_QUERY_MARK "%s */%s", param, out);
	return out;
}

/* ---- conversion ------------------------------------------------------------- */

typedef struct reader
{
	const sr_query *q;
	int			ncols;
	int		   *attno;
	Oid		   *typid;
	FmgrInfo	to_jsonb;		/* SR_Q_ROW_JSONB */
	bool		has_row;
	TupleDesc	rowdesc;		/* blessed copy of the cursor's row type */
	int32	   *srid;
} reader;

static void
reader_init(reader *r, const sr_query *q, TupleDesc td)
{
	r->q = q;
	r->ncols = q->ncols;
	r->attno = palloc0(sizeof(int) * Max(q->ncols, 1));
	r->typid = palloc0(sizeof(Oid) * Max(q->ncols, 1));
	r->srid = palloc(sizeof(int32) * Max(q->ncols, 1));
	for (int c = 0; c < q->ncols; c++)
		r->srid[c] = -1;
	sr_query_check_tupdesc(q->param, td, q->cols, q->ncols, r->attno, r->typid);
	r->has_row = false;
	for (int c = 0; c < q->ncols; c++)
		if (q->cols[c].type == SR_Q_ROW_JSONB)
			r->has_row = true;
	if (r->has_row)
	{
		FuncExpr   *fe;

		r->rowdesc = BlessTupleDesc(CreateTupleDescCopy(td));
		/* to_jsonb(record): the argument's type comes from the expression */
		fmgr_info(F_TO_JSONB, &r->to_jsonb);
		fe = makeFuncExpr(F_TO_JSONB, JSONBOID,
						  list_make1(makeNullConst(RECORDOID, -1, InvalidOid)),
						  InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
		fmgr_info_set_expr((Node *) fe, &r->to_jsonb);
	}
}

static double
to_double(Oid t, Datum d)
{
	switch (t)
	{
		case FLOAT8OID:
			return DatumGetFloat8(d);
		case FLOAT4OID:
			return (double) DatumGetFloat4(d);
		case INT8OID:
			return (double) DatumGetInt64(d);
		case INT4OID:
			return (double) DatumGetInt32(d);
		case INT2OID:
			return (double) DatumGetInt16(d);
		case NUMERICOID:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
	elog(ERROR, "unexpected type %u", t);
	return 0;
}

static void
null_error(const sr_query *q, const sr_qcol *col, int64 row)
{
	ereport(ERROR,
			(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
			 errmsg("column \"%s\" is NULL in row " INT64_FORMAT " of %s",
					col->name, row, q->param)));
}

/*
 * Convert one value into slot (of the column's C type).  Pointers point
 * into the current memory context (the batch's, or the caller's for
 * sr_query_read, which copies what it keeps).
 */
static void
convert(reader *r, int c, Datum d, void *slot, int64 row)
{
	const sr_qcol *col = &r->q->cols[c];
	Oid			t = r->typid[c];

	switch (col->type)
	{
		case SR_Q_INT8:
			*(int64 *) slot = t == INT8OID ? DatumGetInt64(d) :
				t == INT4OID ? (int64) DatumGetInt32(d) : (int64) DatumGetInt16(d);
			break;
		case SR_Q_INT4:
			*(int32 *) slot = t == INT4OID ? DatumGetInt32(d) : (int32) DatumGetInt16(d);
			break;
		case SR_Q_FLOAT8:
			*(double *) slot = to_double(t, d);
			break;
		case SR_Q_TEXT:
			*(char **) slot = t == NAMEOID ? pstrdup(NameStr(*DatumGetName(d))) :
				t == BPCHAROID ? TextDatumGetCString(DirectFunctionCall1(rtrim1, d)) :
				TextDatumGetCString(d);
			break;
		case SR_Q_BOOL:
			*(bool *) slot = DatumGetBool(d);
			break;
		case SR_Q_DATE:
			if (DATE_NOT_FINITE(DatumGetDateADT(d)))
				ereport(ERROR,
						(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
						 errmsg("column \"%s\" is infinite in row " INT64_FORMAT " of %s",
								col->name, row, r->q->param)));
			*(int32 *) slot = DatumGetDateADT(d);
			break;
		case SR_Q_TIMESTAMPTZ:
			{
				TimestampTz ts = t == TIMESTAMPOID ?
					DatumGetTimestampTz(DirectFunctionCall1(timestamp_timestamptz, d)) :
					DatumGetTimestampTz(d);

				if (TIMESTAMP_NOT_FINITE(ts))
					ereport(ERROR,
							(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
							 errmsg("column \"%s\" is infinite in row " INT64_FORMAT " of %s",
									col->name, row, r->q->param)));
				*(double *) slot = sr_ts_unix(ts);
			}
			break;
		case SR_Q_GEOMETRY:
			{
				bytea	   *b = sr_geom_to_ewkb(d);
				sr_qgeom   *g = (sr_qgeom *) slot;
				sr_wkb_header h;
				sr_err		err;

				g->wkb = (const uint8 *) VARDATA_ANY(b);
				g->len = VARSIZE_ANY_EXHDR(b);
				sr_err_clear(&err);
				if (sr_wkb_read_header(g->wkb, g->len, &h, &err) != SR_OK)
					sr_raise(&err);
				if (r->srid[c] < 0)
					r->srid[c] = h.srid;
				else if (h.srid != r->srid[c] && (col->flags & SR_Q_METRIC))
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("column \"%s\" of %s mixes SRIDs %d and %d",
									col->name, r->q->param, r->srid[c], h.srid),
							 errhint("Transform every geometry to one SRID, e.g. ST_Transform(geom, 2154).")));
			}
			break;
		case SR_Q_JSONB:
			*(Jsonb **) slot = DatumGetJsonbP(d);
			break;
		case SR_Q_FLOAT8_ARRAY:
			{
				ArrayType  *a = DatumGetArrayTypeP(d);
				Oid			el = ARR_ELEMTYPE(a);
				int16		len;
				bool		byval;
				char		align;
				Datum	   *elems;
				bool	   *enulls;
				int			n;
				double	   *v;
				sr_qarray  *out = (sr_qarray *) slot;

				get_typlenbyvalalign(el, &len, &byval, &align);
				deconstruct_array(a, el, len, byval, align, &elems, &enulls, &n);
				v = palloc(sizeof(double) * Max(n, 1));
				for (int i = 0; i < n; i++)
				{
					if (enulls[i])
						ereport(ERROR,
								(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
								 errmsg("column \"%s\" has a NULL element in row " INT64_FORMAT " of %s",
										col->name, row, r->q->param)));
					v[i] = to_double(el, elems[i]);
				}
				out->n = n;
				out->v = v;
			}
			break;
		case SR_Q_ROW_JSONB:
			break;				/* done by the caller, from the whole tuple */
	}
}

/* Arrays of one batch (or of the whole result) for n rows. */
static void
result_alloc(sr_qresult *res, const sr_query *q, int64 n)
{
	res->nrows = 0;
	res->ncols = q->ncols;
	res->values = palloc0(sizeof(void *) * Max(q->ncols, 1));
	res->nulls = palloc0(sizeof(bool *) * Max(q->ncols, 1));
	res->present = palloc0(sizeof(bool) * Max(q->ncols, 1));
	res->srid = palloc(sizeof(int32) * Max(q->ncols, 1));
	for (int c = 0; c < q->ncols; c++)
	{
		res->values[c] = palloc_extended(qtype_size(q->cols[c].type) * Max(n, 1),
										 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
		res->nulls[c] = palloc_extended(sizeof(bool) * Max(n, 1), MCXT_ALLOC_HUGE);
		res->srid[c] = -1;
	}
}

/* Convert n rows of descriptor td (SPI_tuptable's, or a set-returning
 * function's) into a batch result (current context). */
static void
convert_batch(reader *r, sr_qresult *b, int64 first_row, read_ctx *ctx,
			  HeapTuple *vals, uint64 n, TupleDesc td)
{
	Datum	   *allv = palloc(sizeof(Datum) * Max(td->natts, 1));
	bool	   *alln = palloc(sizeof(bool) * Max(td->natts, 1));
	const sr_query *q = r->q;

	int			nest = -1;

	for (int c = 0; c < q->ncols; c++)
		b->present[c] = r->attno[c] > 0 || q->cols[c].type == SR_Q_ROW_JSONB;
	/*
	 * to_jsonb of a row runs type casts of their own (PostGIS's geometry to
	 * JSON runs SQL with unqualified operators): run them under a pinned
	 * search_path, never the caller's (docs/security.md).  The caller's query
	 * itself was planned, and runs, as the caller wrote it.
	 */
	if (r->has_row)
	{
		nest = NewGUCNestLevel();
		(void) set_config_option("search_path",
								 psprintf("pg_catalog, %s, pg_temp", sr_postgis_schema_quoted()),
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	}
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = vals[i];
		int64		row = first_row + (int64) i + 1;

		ctx->row = row;
		heap_deform_tuple(tup, td, allv, alln);
		for (int c = 0; c < q->ncols; c++)
		{
			const sr_qcol *col = &q->cols[c];
			char	   *slot = (char *) b->values[c] + qtype_size(col->type) * i;
			bool		isnull;

			if (col->type == SR_Q_ROW_JSONB)
			{
				Datum		rec = heap_copy_tuple_as_datum(tup, r->rowdesc);

				*(Jsonb **) slot = DatumGetJsonbP(FunctionCall1(&r->to_jsonb, rec));
				b->nulls[c][i] = false;
				continue;
			}
			if (r->attno[c] == 0)
			{
				b->nulls[c][i] = true;
				continue;
			}
			isnull = alln[r->attno[c] - 1];
			b->nulls[c][i] = isnull;
			if (isnull)
			{
				if (col->flags & SR_Q_NOTNULL)
					null_error(q, col, row);
				continue;
			}
			convert(r, c, allv[r->attno[c] - 1], slot, row);
		}
		/* every row: a row's to_jsonb (its TOASTed values detoasted and
		 * copied, a large jsonb or array walked) checks for none itself, and
		 * 1,024 rows of 20,000-element jsonb arrays took 20 s between two
		 * checks of every 1,024 rows (a cancel answered after 21-25 s); the
		 * check is a test of a flag, nothing measurable on the bulk path */
		CHECK_FOR_INTERRUPTS();
	}
	if (nest >= 0)
		AtEOXact_GUC(true, nest);
	b->nrows = (int64) n;
	for (int c = 0; c < q->ncols; c++)
		b->srid[c] = r->srid[c];
}

/* Open the cursor (SPI connected) and check its columns. */
static Portal
open_cursor(const sr_query *q, reader *r)
{
	SPIPlanPtr	plan = plan_query(q);
	Portal		portal = SPI_cursor_open(NULL, plan, (Datum *) q->args, q->argnulls, true);

	reader_init(r, q, portal->tupDesc);
	return portal;
}

/* Add a batch's rows to the call's estimate, row by row, before they are
 * kept: the row that would pass smartregion.max_call_memory is refused.
 * Every reader of a call holding its input goes through here, whole
 * (sr_query_read) or in batches (sr_query_batches). */
static void
budget_add(const sr_query *q, const sr_qresult *b, int64 first_row)
{
	sr_qbudget *bu = q->budget;
	int			limit = sr_max_call_memory();

	for (int64 i = 0; i < b->nrows; i++)
	{
		bool		nogeom = bu->geom < 0 || SR_QNULL(b, bu->geom, i);
		const sr_qgeom *g = nogeom ? NULL : &SR_QVAL(b, bu->geom, sr_qgeom)[i];
		double		est = sr_hold_row_bytes(bu->row_bytes, bu->point_bytes,
											g ? g->wkb : NULL, g ? g->len : 0);
		const char *held = NULL;	/* a held text column of the row */

		if (bu->kept > 0 && !SR_QNULL(b, bu->kept - 1, i))
		{
			/* as the caller's AllocSet holds its copy: a power of two up to
			 * 8 kB and a 16-byte chunk header, beyond a block of its own
			 * (its size and, say, 64 bytes of headers) */
			uint64		n = VARSIZE_ANY(SR_QVAL(b, bu->kept - 1, Jsonb *)[i]);

			est += n <= 8192 ? pg_nextpower2_64(Max(n, 8)) + 16 : n + 64;
		}
		if (bu->extra > 0 && g && b->present[bu->extra - 1] && !SR_QNULL(b, bu->extra - 1, i))
			est += sr_hold_row_bytes(0.0, bu->extra_point_bytes, g->wkb, g->len);
		for (int c = 0; c < q->ncols; c++)
			if ((q->cols[c].flags & SR_Q_HELD) && q->cols[c].type == SR_Q_TEXT &&
				!SR_QNULL(b, c, i))
			{
				/* its copy (MemoryContextStrdup) as the AllocSet holds it */
				uint64		n = strlen(SR_QVAL(b, c, char *)[i]) + 1;

				est += n <= 8192 ? pg_nextpower2_64(Max(n, 8)) + 16 : n + 64;
				held = q->cols[c].name;
			}

		if (limit >= 0 && bu->bytes + est > (double) limit * 1024.0)
		{
			/* a family without geometry holds the same bytes a row */
			char	   *rule = bu->geom < 0 ?
				psprintf("%.0f bytes a row%s", bu->row_bytes,
						 bu->kept > 0 ? " and the bytes of its jsonb" : "") :
				bu->extra > 0 ?
				psprintf("%.0f bytes a row and %.0f bytes a point of its geometry, %.0f more a point %s",
						 bu->row_bytes, bu->point_bytes, bu->extra_point_bytes, bu->extra_what) :
				psprintf("%.0f bytes a row and %.0f bytes a point of its geometry%s%s%s",
						 bu->row_bytes, bu->point_bytes, held ? ", and the text of its column \"" : "",
						 held ? held : "", held ? "\"" : "");

			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("%s exceeds the limit of %d kB of memory", bu->fn, limit),
					 errdetail("Its input up to row " INT64_FORMAT " of %s, " INT64_FORMAT " rows in all, would hold about %.0f bytes: %s, kept until the call ends, as much as smartregion.max_call_memory allows.",
							   first_row + i + 1, q->param, bu->rows + 1, bu->bytes + est, rule),
					 errhint("%s", bu->hint)));
		}
		bu->bytes += est;
		bu->rows++;
	}
}

/* Convert one batch of n rows (rows first_row + 1 ...) and hand it to fn, with
 * the memory budget charged first; an error in fn's processing names the
 * batch, not a row.  The one step of both readers (a cursor's, a function's). */
static void
hand_batch(reader *r, sr_qresult *b, const sr_query *q, read_ctx *ctx, HeapTuple *vals,
		   uint64 n, TupleDesc td, int64 first_row, sr_qbatch_fn fn, void *arg)
{
	result_alloc(b, q, (int64) n);
	convert_batch(r, b, first_row, ctx, vals, n, td);
	ctx->batch_first = first_row + 1;
	ctx->batch_last = first_row + b->nrows;
	if (q->budget)
		budget_add(q, b, first_row);
	fn(arg, b, first_row);
	ctx->batch_first = ctx->batch_last = 0;
}

/* Run the query, hand each batch to fn; present (if not NULL) receives
 * which columns the query has, rows or not. */
static void
run_batches(const sr_query *q, sr_qbatch_fn fn, void *arg, bool *present)
{
	MemoryContext callcxt = CurrentMemoryContext;
	MemoryContext batchcxt;
	ErrorContextCallback ecb;
	read_ctx	ctx = {q->param, 0, 0, 0};
	reader		r;
	Portal		portal;
	int64		done = 0;

	ecb.callback = read_error_context;
	ecb.arg = &ctx;
	ecb.previous = error_context_stack;
	error_context_stack = &ecb;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	batchcxt = AllocSetContextCreate(callcxt, "smartregion query batch", ALLOCSET_DEFAULT_SIZES);
	{
		MemoryContext old = MemoryContextSwitchTo(callcxt);

		portal = open_cursor(q, &r);
		MemoryContextSwitchTo(old);
	}
	if (present)
		for (int c = 0; c < q->ncols; c++)
			present[c] = r.attno[c] > 0 || q->cols[c].type == SR_Q_ROW_JSONB;
	for (;;)
	{
		sr_qresult	b;
		MemoryContext old;

		SPI_cursor_fetch(portal, true, q->batch_rows > 0 ? q->batch_rows : BATCH_ROWS);
		if (SPI_processed == 0)
			break;
		old = MemoryContextSwitchTo(batchcxt);
		hand_batch(&r, &b, q, &ctx, SPI_tuptable->vals, SPI_processed, SPI_tuptable->tupdesc,
				   done, fn, arg);
		MemoryContextSwitchTo(old);
		done += b.nrows;
		SPI_freetuptable(SPI_tuptable);
		MemoryContextReset(batchcxt);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextDelete(batchcxt);
	/* the SRID policy, once per geometry column */
	ctx.row = 0;
	for (int c = 0; c < q->ncols; c++)
		if (q->cols[c].type == SR_Q_GEOMETRY && (q->cols[c].flags & SR_Q_METRIC) && r.srid[c] >= 0)
		{
			char	   *what = psprintf("column \"%s\" of %s", q->cols[c].name, q->param);

			if (q->cols[c].flags & SR_Q_PROJ)
				sr_srid_require_projected(r.srid[c], what);
			else
				sr_srid_require_metric(r.srid[c], what);
		}
	error_context_stack = ecb.previous;
}

void
sr_query_batches(const sr_query *q, sr_qbatch_fn fn, void *arg, bool *present)
{
	run_batches(q, fn, arg, present);
}

/*
 * The rows of a set-returning function called by its OID, never by its name
 * (a registered plugin: docs/maturity.md), with q->args as its arguments (of
 * q->argtypes, which must be its own), handed on in batches and checked as a
 * query's are (columns by name and type, NULLs, the budget).  Built as the
 * executor builds a function in FROM: EXECUTE privilege, strictness, both
 * return modes, SECURITY DEFINER and SET clauses are PostgreSQL's own
 * (ExecMakeTableFunctionResult).  The function materialises its rows in a
 * context deleted at the end; interrupts are checked between batches.
 */
void
sr_query_function_batches(const sr_query *q, Oid fn, sr_qbatch_fn cb, void *arg)
{
	MemoryContext callcxt = CurrentMemoryContext;
	MemoryContext fncxt,
				argcxt,
				batchcxt;
	ErrorContextCallback ecb;
	read_ctx	ctx = {q->param, 0, 0, 0};
	reader		r;
	TupleDesc	td;
	List	   *args = NIL;
	FuncExpr   *fexpr;
	ExprContext *econtext;
	SetExprState *sexpr;
	Tuplestorestate *ts;
	TupleTableSlot *slot;
	int			batch = q->batch_rows > 0 ? q->batch_rows : BATCH_ROWS;
	HeapTuple  *vals;
	int64		done = 0;

	ecb.callback = read_error_context;
	ecb.arg = &ctx;
	ecb.previous = error_context_stack;
	error_context_stack = &ecb;

	if (get_func_result_type(fn, NULL, &td) != TYPEFUNC_COMPOSITE || !get_func_retset(fn))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s of %s does not return a set of rows", format_procedure(fn), q->param)));
	fncxt = AllocSetContextCreate(callcxt, "smartregion function rows", ALLOCSET_DEFAULT_SIZES);
	/* (its arguments' context, which ExecMakeTableFunctionResult resets) */
	argcxt = AllocSetContextCreate(fncxt, "smartregion function arguments", ALLOCSET_SMALL_SIZES);
	batchcxt = AllocSetContextCreate(callcxt, "smartregion query batch", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(fncxt);
	td = CreateTupleDescCopy(td);
	for (int i = 0; i < q->nargs; i++)
	{
		int16		len;
		bool		byval;

		get_typlenbyval(q->argtypes[i], &len, &byval);
		args = lappend(args, makeConst(q->argtypes[i], -1, InvalidOid, len, q->args[i],
									   q->argnulls[i] == 'n', byval));
	}
	fexpr = makeFuncExpr(fn, RECORDOID, args, InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
	fexpr->funcretset = true;
	econtext = CreateStandaloneExprContext();
	sexpr = ExecInitTableFunctionResult((Expr *) fexpr, econtext, NULL);
	ts = ExecMakeTableFunctionResult(sexpr, econtext, argcxt, td, false);
	MemoryContextSwitchTo(callcxt);
	reader_init(&r, q, td);
	slot = MakeSingleTupleTableSlot(td, &TTSOpsMinimalTuple);
	vals = palloc(sizeof(HeapTuple) * batch);
	for (;;)
	{
		sr_qresult	b;
		MemoryContext old = MemoryContextSwitchTo(batchcxt);
		int			n = 0;

		while (ts != NULL && n < batch && tuplestore_gettupleslot(ts, true, false, slot))
			vals[n++] = ExecCopySlotHeapTuple(slot);
		if (n == 0)
		{
			MemoryContextSwitchTo(old);
			break;
		}
		hand_batch(&r, &b, q, &ctx, vals, (uint64) n, td, done, cb, arg);
		MemoryContextSwitchTo(old);
		done += b.nrows;
		MemoryContextReset(batchcxt);
		CHECK_FOR_INTERRUPTS();
	}
	ExecDropSingleTupleTableSlot(slot);
	if (ts != NULL)
		tuplestore_end(ts);
	FreeExprContext(econtext, true);
	MemoryContextDelete(batchcxt);
	MemoryContextDelete(fncxt);
	error_context_stack = ecb.previous;
}

/* ---- whole result ----------------------------------------------------------- */

typedef struct appender
{
	MemoryContext cxt;			/* the caller's */
	sr_qresult *out;
	const sr_query *q;
	int64		cap;
} appender;

static void *
copy_bytes(MemoryContext cxt, const void *p, size_t n)
{
	void	   *d = MemoryContextAllocHuge(cxt, Max(n, 1));

	memcpy(d, p, n);
	return d;
}

static void
append_batch(void *arg, const sr_qresult *b, int64 first_row)
{
	appender   *a = (appender *) arg;
	sr_qresult *o = a->out;
	const sr_query *q = a->q;
	int64		n = o->nrows + b->nrows;

	if (n > a->cap)
	{
		int64		cap = Max(a->cap * 2, n);

		for (int c = 0; c < q->ncols; c++)
		{
			o->values[c] = repalloc_huge(o->values[c], qtype_size(q->cols[c].type) * cap);
			o->nulls[c] = repalloc_huge(o->nulls[c], sizeof(bool) * cap);
		}
		a->cap = cap;
	}
	for (int c = 0; c < q->ncols; c++)
	{
		size_t		sz = qtype_size(q->cols[c].type);
		char	   *dst = (char *) o->values[c] + sz * o->nrows;

		o->present[c] = b->present[c];
		o->srid[c] = b->srid[c];
		memcpy(o->nulls[c] + o->nrows, b->nulls[c], sizeof(bool) * b->nrows);
		memcpy(dst, b->values[c], sz * b->nrows);
		/* pointers into the batch context: keep copies */
		for (int64 i = 0; i < b->nrows; i++)
		{
			if (b->nulls[c][i])
				continue;
			switch (q->cols[c].type)
			{
				case SR_Q_TEXT:
					{
						char	  **s = (char **) dst + i;

						*s = MemoryContextStrdup(a->cxt, *s);
					}
					break;
				case SR_Q_JSONB:
				case SR_Q_ROW_JSONB:
					{
						Jsonb	  **j = (Jsonb **) dst + i;

						*j = copy_bytes(a->cxt, *j, VARSIZE(*j));
					}
					break;
				case SR_Q_GEOMETRY:
					{
						sr_qgeom   *g = (sr_qgeom *) dst + i;

						g->wkb = copy_bytes(a->cxt, g->wkb, g->len);
					}
					break;
				case SR_Q_FLOAT8_ARRAY:
					{
						sr_qarray  *v = (sr_qarray *) dst + i;

						v->v = copy_bytes(a->cxt, v->v, sizeof(double) * v->n);
					}
					break;
				default:
					break;
			}
		}
	}
	o->nrows = n;
}

void
sr_query_read(const sr_query *q, sr_qresult *out)
{
	appender	a;

	a.cxt = CurrentMemoryContext;
	a.out = out;
	a.q = q;
	a.cap = 1024;
	result_alloc(out, q, a.cap);
	for (int c = 0; c < q->ncols; c++)
		out->present[c] = false;
	run_batches(q, append_batch, &a, out->present);
}

PG_FUNCTION_INFO_V1(sr_fn_query_subquery);
/* smartregion._query_subquery(param, sql, columns): sr_query_subquery for the
 * plpgsql functions that embed a caller's query in their own */
Datum
sr_fn_query_subquery(PG_FUNCTION_ARGS)
{
	char	   *param = sr_text_arg(fcinfo, 0);
	char	   *sql = sr_text_arg(fcinfo, 1);
	const char **cols = NULL;
	int			ncols = 0;

	if (param == NULL)
		param = "the query";
	if (!PG_ARGISNULL(2))
	{
		Datum	   *d;
		bool	   *n;

		deconstruct_array(PG_GETARG_ARRAYTYPE_P(2), TEXTOID, -1, false, TYPALIGN_INT, &d, &n, &ncols);
		cols = palloc(sizeof(char *) * Max(ncols, 1));
		for (int i = 0; i < ncols; i++)
			cols[i] = n[i] ? "" : TextDatumGetCString(d[i]);
	}
	PG_RETURN_TEXT_P(cstring_to_text(sr_query_subquery(param, sql, cols, NULL, ncols)));
}

/*
 * The analysis of a caller's query text (arguments param, sql, search_path of
 * _query_schemas and _query_code) as the reader would plan it: the text's
 * checks and messages (one read-only query), under that search_path (NULL:
 * the current one); parse analysis and rewriting only.  Leaves SPI connected
 * and the search_path set until analysed_end(*nest).
 */
static CachedPlanSource *
analyse_text(FunctionCallInfo fcinfo, sr_query *q, int *nest)
{
	char	   *path = sr_text_arg(fcinfo, 2);
	SPIPlanPtr	plan;

	q->param = sr_text_arg(fcinfo, 0);
	q->sql = sr_text_arg(fcinfo, 1);
	if (q->param == NULL)
		q->param = "the query";
	*nest = -1;
	if (path != NULL)
	{
		*nest = NewGUCNestLevel();
		(void) set_config_option("search_path", path, PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	}
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = plan_query(q);
	return (CachedPlanSource *) linitial(SPI_plan_get_plan_sources(plan));
}

static void
analysed_end(int nest)
{
	SPI_finish();
	if (nest >= 0)
		AtEOXact_GUC(true, nest);
}

/*
 * The relations a caller's query text reads (arguments param, sql,
 * search_path), views' own relations included, each once in the order the
 * analysis lists them, in the caller's memory context: parse analysis and
 * rewriting only (analyse_text), never planned nor run.  For _query_schemas
 * and _query_relations.
 */
static Oid *
analysed_relations(FunctionCallInfo fcinfo, int *n)
{
	sr_query	q = {NULL, NULL};
	int			nest;
	CachedPlanSource *src;
	List	   *rels = NIL;
	ListCell   *lc;
	Oid		   *oids;
	MemoryContext callcxt = CurrentMemoryContext;

	src = analyse_text(fcinfo, &q, &nest);
	foreach(lc, src->relationOids)
		rels = list_append_unique_oid(rels, lfirst_oid(lc));
	oids = MemoryContextAlloc(callcxt, sizeof(Oid) * (list_length(rels) + 1));
	*n = 0;
	foreach(lc, rels)
		oids[(*n)++] = lfirst_oid(lc);
	analysed_end(nest);
	return oids;
}

PG_FUNCTION_INFO_V1(sr_fn_query_schemas);
/*
 * smartregion._query_schemas(param, sql, search_path): the schemas of the
 * relations a caller's query reads, views' own relations included, found as
 * the reader would plan it (its checks and messages: one read-only query) under
 * that search_path (NULL: the current one).  Parse analysis and rewriting only,
 * as SPI_prepare does them: the planner, which may run functions to fold
 * constants, is not called, and the query is not run.  The readers that guard
 * the hubs their query texts read (_query_hub_guard) use it.
 */
Datum
sr_fn_query_schemas(PG_FUNCTION_ARGS)
{
	int			nrels;
	Oid		   *rels = analysed_relations(fcinfo, &nrels);
	List	   *nsps = NIL;
	ListCell   *lc;
	Datum	   *elems;
	int			n = 0;

	for (int i = 0; i < nrels; i++)
	{
		Oid			nsp = get_rel_namespace(rels[i]);

		if (OidIsValid(nsp))
			nsps = list_append_unique_oid(nsps, nsp);
	}
	elems = palloc(sizeof(Datum) * (list_length(nsps) + 1));
	foreach(lc, nsps)
	{
		char	   *name = get_namespace_name(lfirst_oid(lc));

		if (name != NULL)
			elems[n++] = DirectFunctionCall1(namein, CStringGetDatum(name));
	}
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, NAMEOID, NAMEDATALEN, false, TYPALIGN_CHAR));
}

PG_FUNCTION_INFO_V1(sr_fn_query_relations);
/*
 * smartregion._query_relations(param, sql, search_path): the relations a
 * caller's query reads, views' own relations included, found as
 * _query_schemas finds their schemas (parse analysis and rewriting only, never
 * planned nor run).  _zones_texts_read uses it to know which hub tables a
 * published call reads.
 */
Datum
sr_fn_query_relations(PG_FUNCTION_ARGS)
{
	int			nrels;
	Oid		   *rels = analysed_relations(fcinfo, &nrels);
	Datum	   *elems = palloc(sizeof(Datum) * (nrels + 1));

	for (int i = 0; i < nrels; i++)
		elems[i] = ObjectIdGetDatum(rels[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, nrels, REGCLASSOID, sizeof(Oid), true, TYPALIGN_INT));
}

/* ---- the trust guards' C side ---------------------------------------------------- */

/*
 * Whether the current role is a superuser or a platform administrator (may
 * act as smartregion_platform_admin): the test of
 * smartregion._caller_is_privileged() and its _caller_may_act_as(), in C, so
 * that the other callers of a reader pay neither a lookup nor a call into the
 * guards (which, named through the schema, would also ask them for USAGE on
 * it).  A NOINHERIT member counts on purpose: the guards bind it (code run
 * with its rights could SET ROLE to the group), refusing more, never less
 * (docs/security-reviews.md#r-noinherit-platform).  On PostgreSQL 15 every
 * member may SET ROLE (is_member_of_role); from 16 on a grant WITH INHERIT
 * FALSE, SET FALSE may neither hold the group's privileges nor SET ROLE to
 * it, and does not count (run on PostgreSQL 17 by pgTAP membership_set_option,
 * scripts/pg17-test.sh; docs/security-reviews.md#r-noinherit-set).
 */
bool
sr_caller_is_privileged(void)
{
	Oid			padmin;

	if (superuser())
		return true;
	padmin = get_role_oid("smartregion_platform_admin", true);
	if (!OidIsValid(padmin))
		return false;
#if PG_VERSION_NUM >= 160000
	return has_privs_of_role(GetUserId(), padmin) ||
		member_can_set_role(GetUserId(), padmin);
#else
	return is_member_of_role(GetUserId(), padmin);
#endif
}

/* Whether the current user has USAGE on schema nsp (the call differs from
 * PostgreSQL 16 on). */
bool
sr_schema_usage_ok(Oid nsp)
{
#if PG_VERSION_NUM >= 160000
	return object_aclcheck(NamespaceRelationId, nsp, GetUserId(), ACL_USAGE) == ACLCHECK_OK;
#else
	return pg_namespace_aclcheck(nsp, GetUserId(), ACL_USAGE) == ACLCHECK_OK;
#endif
}

/*
 * The readers' first check, before they read the extension's tables through
 * SPI (its reference tables, the registered criteria, the economics'
 * parameters): a caller without USAGE on the schema of the function called
 * (the extension's), who reads it through another role's view, gets one
 * clear 42501 naming the role, the reader (the SQL function called) and what
 * to grant, the text the PL/pgSQL readers' marker expands to
 * (sr_schema_usage.h), instead of PostgreSQL's bare "permission denied for
 * schema" from the first lookup of the read.  A syscache lookup; callers with
 * USAGE pay nothing else.
 */
void
sr_require_schema_usage(FunctionCallInfo fcinfo)
{
	Oid			fn = fcinfo->flinfo->fn_oid;
	Oid			nsp = get_func_namespace(fn);

	if (!sr_schema_usage_ok(nsp))
	{
		const char *schema = get_namespace_name(nsp);

		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg(SR_NOUSAGE_MESSAGE, schema),
				 errdetail(SR_NOUSAGE_DETAIL, GetUserNameFromId(GetUserId(), false), schema,
						   get_func_name(fn)),
				 errhint(SR_NOUSAGE_HINT, schema)));
	}
}

/*
 * The readers' check before they read a hub's tables (the maturity readers'
 * maturity_value and maturity_answer, thd_ftth_coverage's thd_ftth and
 * thd_premises): a caller without USAGE on the hub schema gets one clear 42501
 * naming the role, the hub, the tables, the reader (reader: the SQL function
 * the caller called) and what to grant (sr_schema_usage.h), instead of
 * PostgreSQL's bare "permission denied for schema <hub>" from the read's
 * lookup.  A hub that does not exist is left to the reader (its 42P01 and
 * hint).  tables: what the reader reads there; named_in: where the caller
 * named the hub ("the option \"hub\"").
 */
void
sr_require_hub_usage_of(const char *reader, const char *hub, const char *tables,
						const char *named_in)
{
	Oid			nsp = hub ? get_namespace_oid(hub, true) : InvalidOid;

	if (OidIsValid(nsp) && !sr_schema_usage_ok(nsp))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg(SR_HUB_NOUSAGE_MESSAGE, hub),
				 errdetail(SR_HUB_NOUSAGE_DETAIL, GetUserNameFromId(GetUserId(), false), hub, tables,
						   reader, named_in),
				 errhint(SR_HUB_NOUSAGE_HINT, hub, quote_literal_cstr(hub), named_in)));
}

/* sr_require_hub_usage_of naming the function called (a C reader called
 * directly: _maturity_eval, _maturity_detail, _maturity_mc). */
void
sr_require_hub_usage(FunctionCallInfo fcinfo, const char *hub, const char *tables,
					 const char *named_in)
{
	sr_require_hub_usage_of(get_func_name(fcinfo->flinfo->fn_oid), hub, tables, named_in);
}

PG_FUNCTION_INFO_V1(sr_fn_hub_usage_guard);
/* smartregion._hub_usage_guard(hub, fn, tables, named_in): the same check for
 * the PL/pgSQL readers (the maturity_* readers, thd_ftth_coverage), so that
 * the error names the reader the caller called, not an internal function it
 * runs; returns true.  A NULL hub is not checked. */
Datum
sr_fn_hub_usage_guard(PG_FUNCTION_ARGS)
{
	sr_require_arg(fcinfo, 1, "fn");
	sr_require_arg(fcinfo, 2, "tables");
	sr_require_arg(fcinfo, 3, "named_in");
	if (!PG_ARGISNULL(0))
		sr_require_hub_usage_of(sr_text_arg(fcinfo, 1), NameStr(*PG_GETARG_NAME(0)),
								sr_text_arg(fcinfo, 2), sr_text_arg(fcinfo, 3));
	PG_RETURN_BOOL(true);
}

/* The extension's function name(argtypes), in the schema of the function
 * called (the extension's), found in the catalogue without the USAGE check
 * of a lookup by name: the guard is the extension's, not the caller's. */
static Oid
ext_function(FunctionCallInfo fcinfo, const char *name, int nargs, const Oid *argtypes)
{
	Oid			nsp = get_func_namespace(fcinfo->flinfo->fn_oid);
	Oid			f = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid, CStringGetDatum(name),
									PointerGetDatum(buildoidvector(argtypes, nargs)),
									ObjectIdGetDatum(nsp));

	if (!OidIsValid(f))
		elog(ERROR, "function %s.%s of smartregion not found", get_namespace_name(nsp), name);
	return f;
}

/* The same for the families' glue (zones.c: _zones_publication_scope). */
Oid
sr_ext_function(FunctionCallInfo fcinfo, const char *name, int nargs, const Oid *argtypes)
{
	return ext_function(fcinfo, name, nargs, argtypes);
}

/*
 * The hubs a privileged caller's call was found to pass (_hub_code_guard),
 * remembered so that a reader and the internal function it calls (the
 * maturity_* readers and _maturity_eval, tierslieux_coverage and
 * _tierslieux_nearest; a refresh and its three readings of its texts) pay
 * the guard once.  An entry holds for the role, in the transaction, in the
 * top-level statement, and with the catalogue the guard saw: a change of the
 * catalogue committed by another session and received since (inval, every
 * message of every catalogue), a change of the catalogues the guards read
 * made by this one (catalog, counted as each command ends: guard_changed),
 * another statement or another role, and the hub is checked again.  Rows
 * written (a refresh's temporary tables filled, the hub's rows replaced)
 * change no catalogue, and keep it: until 2026-12-06 the entry also ended
 * with the command, so a refresh, whose writes start new commands between
 * its reads, checked its hub and texts 3 times.  Only a guard that passed
 * writes an entry; nothing a caller can call writes one.
 */
typedef struct hub_guard_memo
{
	Oid			role;
	LocalTransactionId lxid;
	TimestampTz stmt;
	uint64		catalog;
	uint64		inval;
	char		hub[NAMEDATALEN];
} hub_guard_memo;

/*
 * Changes of the catalogues the guards read (_hub_code_controllers,
 * _query_code, _query_schemas, _caller_is_privileged), this session's (at
 * the end of the command that made them, or a subtransaction's rollback)
 * and other sessions' alike, counted by invalidation callbacks: every
 * relation's (its owner, grants, columns, defaults, constraints, indexes,
 * triggers, rules and policies, partitions, a relation created or
 * dropped), and those of the catalogues of functions (their owner, language
 * and body; aggregates'), types (domains' owner and constraints), schemas,
 * operators, casts, roles (superuser), role memberships and event triggers
 * (a message of one catalogue reaches the callback of each of its caches).
 * Not counted: what changes pg_depend alone (a function added to or dropped
 * from an extension, which only the extension's owner does).
 */
static uint64 guard_changes;

static void
guard_changed_rel(Datum arg, Oid relid)
{
	guard_changes++;
}

static void
guard_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	guard_changes++;
}

static void
guard_count_changes(void)
{
	static bool registered;
	static const int caches[] = {PROCOID, TYPEOID, NAMESPACEOID, OPEROID, CASTSOURCETARGET,
		AUTHOID, AUTHMEMROLEMEM, EVENTTRIGGEROID};

	if (registered)
		return;
	CacheRegisterRelcacheCallback(guard_changed_rel, (Datum) 0);
	for (int i = 0; i < (int) lengthof(caches); i++)
		CacheRegisterSyscacheCallback(caches[i], guard_changed, (Datum) 0);
	registered = true;
}

#define HUB_GUARD_MEMO 8
static hub_guard_memo hub_guard_memos[HUB_GUARD_MEMO];
static int	hub_guard_memo_next;

static void
hub_guard_key(hub_guard_memo *k, const char *hub)
{
	guard_count_changes();
	AcceptInvalidationMessages();
	memset(k, 0, sizeof(*k));
	k->role = GetUserId();
#if PG_VERSION_NUM >= 170000
	k->lxid = MyProc->vxid.lxid;
#else
	k->lxid = MyProc->lxid;
#endif
	k->stmt = GetCurrentStatementStartTimestamp();
	k->catalog = guard_changes;
	k->inval = SharedInvalidMessageCounter;
	strlcpy(k->hub, hub, NAMEDATALEN);
}

/*
 * For a superuser or platform administrator caller, _hub_code_guard(hub, fn,
 * privileged_only => true): 42501 when a role without the caller's rights
 * controls code that reading the hub would run.  Other callers return at
 * once.  A hub already found to pass in this statement (hub_guard_memo) is
 * not checked again.
 */
void
sr_hub_read_guard(FunctionCallInfo fcinfo, const char *hub, const char *fn)
{
	static const Oid argtypes[3] = {NAMEOID, TEXTOID, BOOLOID};
	hub_guard_memo k;

	if (hub == NULL || !sr_caller_is_privileged())
		return;
	hub_guard_key(&k, hub);
	for (int i = 0; i < HUB_GUARD_MEMO; i++)
		if (memcmp(&hub_guard_memos[i], &k, sizeof(k)) == 0)
			return;
	(void) OidFunctionCall3(ext_function(fcinfo, "_hub_code_guard", 3, argtypes),
							DirectFunctionCall1(namein, CStringGetDatum(hub)),
							CStringGetTextDatum(fn), BoolGetDatum(true));
	/* (the state the guard saw: what it received while reading the catalogue) */
	hub_guard_key(&k, hub);
	hub_guard_memos[hub_guard_memo_next] = k;
	hub_guard_memo_next = (hub_guard_memo_next + 1) % HUB_GUARD_MEMO;
}

PG_FUNCTION_INFO_V1(sr_fn_hub_read_guard);
/* smartregion._hub_read_guard(hub, fn): sr_hub_read_guard for the plpgsql
 * readers (the maturity_* readers, _query_hub_guard); returns true */
Datum
sr_fn_hub_read_guard(PG_FUNCTION_ARGS)
{
	if (!PG_ARGISNULL(0))
		sr_hub_read_guard(fcinfo, NameStr(*PG_GETARG_NAME(0)),
						  PG_ARGISNULL(1) ? "the call" : sr_text_arg(fcinfo, 1));
	PG_RETURN_BOOL(true);
}

PG_FUNCTION_INFO_V1(sr_fn_hub_enter);
/*
 * smartregion._hub_enter(hub_schema name, fn text DEFAULT NULL): the preamble
 * of the governance functions taking a hub by name, in one place: 22004 for a
 * NULL hub_schema; with fn, _hub_code_guard(hub_schema, fn) for every caller
 * (42501 naming fn); then 42P01 `schema "<hub>" has no hub` (hint: run
 * create_hub) when to_regclass('<hub>.agents') finds nothing, as each function
 * wrote it (called here, not rewritten: an empty name, quoted "", and a
 * missing schema both give NULL on 15 to 17, so "has no hub").  Called in an assignment
 * (a simple expression, no SPI), its errors carry the caller's CONTEXT line
 * only, as _require_args': a PL/pgSQL helper would add its own frame, and
 * PERFORM the statement's text.  Returns true.
 */
Datum
sr_fn_hub_enter(PG_FUNCTION_ARGS)
{
	static const Oid argtypes[3] = {NAMEOID, TEXTOID, BOOLOID};
	const char *hub;

	LOCAL_FCINFO(regclass_fc, 1);

	sr_require_arg(fcinfo, 0, "hub_schema");
	hub = NameStr(*PG_GETARG_NAME(0));
	if (!PG_ARGISNULL(1))
		(void) OidFunctionCall3(ext_function(fcinfo, "_hub_code_guard", 3, argtypes),
								PG_GETARG_DATUM(0), PG_GETARG_DATUM(1), BoolGetDatum(false));
	/* to_regclass(format('%I.agents', hub)): it returns NULL, which the
	 * DirectFunctionCall macros refuse */
	InitFunctionCallInfoData(*regclass_fc, NULL, 1, InvalidOid, NULL, NULL);
	regclass_fc->args[0].value = CStringGetTextDatum(psprintf("%s.agents", quote_identifier(hub)));
	regclass_fc->args[0].isnull = false;
	(void) to_regclass(regclass_fc);
	if (regclass_fc->isnull)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("schema \"%s\" has no hub", hub),
				 errhint("Run smartregion.create_hub() first.")));
	PG_RETURN_BOOL(true);
}

/* What a caller's query runs of its own (_query_code): the functions it
 * calls (operators' and aggregates' included, views' and policies' too once
 * rewritten) and the domains it casts to (their constraints run). */
typedef struct query_code
{
	List	   *functions;
	List	   *domains;
} query_code;

static bool
query_code_walker(Node *node, query_code *c)
{
	if (node == NULL)
		return false;
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, query_code_walker, (void *) c, 0);
	switch (nodeTag(node))
	{
		case T_FuncExpr:
			c->functions = list_append_unique_oid(c->functions, ((FuncExpr *) node)->funcid);
			break;
		case T_OpExpr:
		case T_DistinctExpr:
		case T_NullIfExpr:
			set_opfuncid((OpExpr *) node);
			c->functions = list_append_unique_oid(c->functions, ((OpExpr *) node)->opfuncid);
			break;
		case T_ScalarArrayOpExpr:
			set_sa_opfuncid((ScalarArrayOpExpr *) node);
			c->functions = list_append_unique_oid(c->functions, ((ScalarArrayOpExpr *) node)->opfuncid);
			break;
		case T_Aggref:
			c->functions = list_append_unique_oid(c->functions, ((Aggref *) node)->aggfnoid);
			break;
		case T_WindowFunc:
			c->functions = list_append_unique_oid(c->functions, ((WindowFunc *) node)->winfnoid);
			break;
		case T_RowCompareExpr:
			{
				ListCell   *lc;

				foreach(lc, ((RowCompareExpr *) node)->opnos)
					c->functions = list_append_unique_oid(c->functions, get_opcode(lfirst_oid(lc)));
			}
			break;
		case T_CoerceToDomain:
			c->domains = list_append_unique_oid(c->domains, ((CoerceToDomain *) node)->resulttype);
			break;
		default:
			break;
	}
	return expression_tree_walker(node, query_code_walker, (void *) c);
}

/* The relations a query names or reads (RTE_RELATION entries, its
 * subqueries' and CTEs' included). */
static bool
query_rels_walker(Node *node, List **rels)
{
	if (node == NULL)
		return false;
	if (IsA(node, RangeTblEntry))
	{
		RangeTblEntry *rte = (RangeTblEntry *) node;

		if (rte->rtekind == RTE_RELATION)
			*rels = list_append_unique_oid(*rels, rte->relid);
		return false;
	}
	if (IsA(node, Query))
		return query_tree_walker((Query *) node, query_rels_walker, (void *) rels,
								 QTW_EXAMINE_RTES_BEFORE);
	return expression_tree_walker(node, query_rels_walker, (void *) rels);
}

/* Whether schema nsp is a hub (it holds agents, territory_admins and
 * tl_history: trust_problems' and _query_hub_guard's test). */
static bool
schema_is_hub(Oid nsp)
{
	return OidIsValid(get_relname_relid("agents", nsp)) &&
		OidIsValid(get_relname_relid("territory_admins", nsp)) &&
		OidIsValid(get_relname_relid("tl_history", nsp));
}

/*
 * An SQL function whose body is bound when it is created (BEGIN ATOMIC or
 * RETURN: prosqlbody, names already resolved, no text run at call time),
 * analysed as a view is: its queries, rewritten under the current role (the
 * views they read and the policies that apply to it brought in), add the
 * functions they call and the domains they cast to to c, which the caller
 * checks in turn (their owners; an opaque one makes the text opaque).
 * Returns whether they read a relation of a hub (the guard then checks every
 * hub, as for an opaque function), or true when the function has no such
 * body, runs as its owner (SECURITY DEFINER: its reads, policies included,
 * are its owner's), sets options (SET clauses) or writes (INSERT, UPDATE,
 * DELETE, a data-modifying WITH: triggers would run): opaque, as before.
 */
static bool
sql_body_reads_hub(HeapTuple proctup, query_code *c)
{
	Form_pg_proc pf = (Form_pg_proc) GETSTRUCT(proctup);
	bool		isnull;
	Datum		body;
	Node	   *n;
	List	   *stored;
	List	   *rels = NIL;
	ListCell   *lc;

	if (pf->prolang != SQLlanguageId || pf->prosecdef)
		return true;
	(void) SysCacheGetAttr(PROCOID, proctup, Anum_pg_proc_proconfig, &isnull);
	if (!isnull)
		return true;
	body = SysCacheGetAttr(PROCOID, proctup, Anum_pg_proc_prosqlbody, &isnull);
	if (isnull)
		return true;
	/* (as fmgr_sql reads it: a list of statements, or one RETURN query) */
	n = stringToNode(TextDatumGetCString(body));
	if (n == NULL)
		stored = NIL;
	else if (IsA(n, List))
		stored = list_length((List *) n) > 0 ? linitial_node(List, (List *) n) : NIL;
	else
		stored = list_make1(n);
	foreach(lc, stored)
	{
		Query	   *q = copyObject(lfirst_node(Query, lc));
		ListCell   *rc;

		/* a body that writes fires triggers, which rewriting does not bring in */
		if (q->commandType != CMD_SELECT || q->hasModifyingCTE)
			return true;
		/* the relations it names (views too: rewriting turns them into subqueries) */
		(void) query_rels_walker((Node *) q, &rels);
		AcquireRewriteLocks(q, true, false);
		foreach(rc, QueryRewrite(q))
		{
			(void) query_rels_walker((Node *) lfirst(rc), &rels);
			(void) query_code_walker((Node *) lfirst(rc), c);
		}
	}
	foreach(lc, rels)
		if (schema_is_hub(get_rel_namespace(lfirst_oid(lc))))
			return true;
	return false;
}

/* Functions that run a query given as text, or read a table given by name:
 * what they read is not in the text's analysis. */
static const char *const query_running_functions[] = {
	"query_to_xml", "query_to_xmlschema", "query_to_xml_and_xmlschema",
	"table_to_xml", "table_to_xmlschema", "table_to_xml_and_xmlschema",
	"schema_to_xml", "schema_to_xmlschema", "schema_to_xml_and_xmlschema",
	"database_to_xml", "database_to_xmlschema", "database_to_xml_and_xmlschema",
	"cursor_to_xml", "cursor_to_xmlschema", "ts_stat", "ts_rewrite", "st_findextent"
};

PG_FUNCTION_INFO_V1(sr_fn_query_code);
/*
 * smartregion._query_code(param, sql, search_path, OUT untrusted_role name,
 * OUT untrusted text, OUT fix text, OUT calls_set_config boolean, OUT opaque
 * boolean): what a caller's query runs of its own, from its parse analysis
 * and rewriting under search_path (NULL: the current one), as _query_schemas
 * finds what it reads; never planned nor run.  Its code is the functions it
 * calls — operators' and aggregates', and those of the views and row-level
 * security policies the rewriting brings in — and the domains it casts to
 * (their constraints run); sort and grouping operators come from operator
 * classes, which only a superuser creates.  untrusted: the first of those
 * whose owner does not hold the current role's rights (has_privs_of_role,
 * pg_has_role's USAGE: a superuser holds every role's), with its role and the
 * fix; calls_set_config: the query calls set_config; opaque: it calls a
 * function whose reads the analysis cannot see (in SQL or a procedural
 * language and neither PostgreSQL's nor an extension's, or one running a
 * query given as text).  The checks are syscache lookups: _query_hub_guard
 * runs it for every text of a privileged caller.
 */
Datum
sr_fn_query_code(PG_FUNCTION_ARGS)
{
	sr_query	q = {NULL, NULL};
	int			nest;
	CachedPlanSource *src;
	ListCell   *lc;
	query_code	c = {NIL, NIL};
	TupleDesc	td;
	Datum		values[5] = {0};
	bool		nulls[5] = {true, true, true, false, false};
	bool		set_config = false,
				opaque = false;
	Oid			caller = GetUserId();
	Oid			infoschema = get_namespace_oid("information_schema", true);
	MemoryContext callcxt = CurrentMemoryContext;

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "_query_code must return a record");
	src = analyse_text(fcinfo, &q, &nest);
	{
		MemoryContext old = MemoryContextSwitchTo(callcxt);

		foreach(lc, src->query_list)
			(void) query_code_walker((Node *) lfirst_node(Query, lc), &c);
		MemoryContextSwitchTo(old);
	}
	analysed_end(nest);

	/* (an index: a bound SQL body adds the functions it calls to the list) */
	for (int fi = 0; fi < list_length(c.functions); fi++)
	{
		Oid			f = list_nth_oid(c.functions, fi);
		HeapTuple	tp = SearchSysCache1(PROCOID, ObjectIdGetDatum(f));
		Form_pg_proc pf;
		bool		trusted;

		if (!HeapTupleIsValid(tp))
			continue;
		pf = (Form_pg_proc) GETSTRUCT(tp);
		trusted = has_privs_of_role(pf->proowner, caller);
		if (nulls[0] && !trusted)
		{
			char	   *sig = format_procedure(f);
			char	   *owner = GetUserNameFromId(pf->proowner, false);

			values[0] = DirectFunctionCall1(namein, CStringGetDatum(owner));
			values[1] = CStringGetTextDatum(psprintf("the owner of function %s, which the query text calls", sig));
			values[2] = CStringGetTextDatum(psprintf("Make a role that holds the caller's rights own it (ALTER FUNCTION %s OWNER TO ...) after checking what it does, or run it as role \"%s\".",
													 sig, owner));
			nulls[0] = nulls[1] = nulls[2] = false;
		}
		if (pf->pronamespace == PG_CATALOG_NAMESPACE && strcmp(NameStr(pf->proname), "set_config") == 0)
			set_config = true;
		for (int i = 0; i < (int) lengthof(query_running_functions); i++)
			if (strcmp(NameStr(pf->proname), query_running_functions[i]) == 0)
				opaque = true;
		if (pf->prolang != ClanguageId && pf->prolang != INTERNALlanguageId &&
			pf->pronamespace != PG_CATALOG_NAMESPACE && pf->pronamespace != infoschema &&
			!OidIsValid(getExtensionOfObject(ProcedureRelationId, f)))
		{
			/* (a trusted owner's SQL function with a bound body is read as a view;
			 * an untrusted one is refused: the first is named above) */
			MemoryContext old = MemoryContextSwitchTo(callcxt);

			if (!trusted || sql_body_reads_hub(tp, &c))
				opaque = true;
			MemoryContextSwitchTo(old);
		}
		ReleaseSysCache(tp);
	}
	foreach(lc, c.domains)
	{
		Oid			d = lfirst_oid(lc);
		HeapTuple	tp = SearchSysCache1(TYPEOID, ObjectIdGetDatum(d));
		Form_pg_type tf;

		if (!HeapTupleIsValid(tp))
			continue;
		tf = (Form_pg_type) GETSTRUCT(tp);
		if (nulls[0] && !has_privs_of_role(tf->typowner, caller))
		{
			char	   *typ = format_type_be(d);
			char	   *owner = GetUserNameFromId(tf->typowner, false);

			values[0] = DirectFunctionCall1(namein, CStringGetDatum(owner));
			values[1] = CStringGetTextDatum(psprintf("the owner of domain %s, to which the query text casts", typ));
			values[2] = CStringGetTextDatum(psprintf("Make a role that holds the caller's rights own it (ALTER DOMAIN %s OWNER TO ...) after checking its constraints, or run it as role \"%s\".",
													 typ, owner));
			nulls[0] = nulls[1] = nulls[2] = false;
		}
		ReleaseSysCache(tp);
	}
	values[3] = BoolGetDatum(set_config);
	values[4] = BoolGetDatum(opaque);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(td), values, nulls)));
}

/*
 * The query texts a privileged caller's call was found to pass
 * (_query_hub_guard), under one search_path, remembered as the hubs are
 * (hub_guard_memo's key: role, transaction, top-level statement, catalogue
 * changes made here and received), so that a reader and the internal function it
 * calls with the same texts (the CNIG exports and their _cnig_* readers and
 * _zone_placement; refresh_solar_roofs, solar_cadastre and _refresh_targets)
 * analyse them once.  Texts are compared whole; only a guard that passed
 * adds to the memo, and nothing a caller can call writes it otherwise.
 */
static hub_guard_memo query_guard_key;
static char *query_guard_path;
static List *query_guard_texts;
static MemoryContext query_guard_cxt;

static bool
query_guard_passed(const hub_guard_memo *k, const char *path, const char *text)
{
	ListCell   *lc;

	if (query_guard_cxt == NULL || memcmp(&query_guard_key, k, sizeof(*k)) != 0 ||
		strcmp(query_guard_path, path) != 0)
		return false;
	foreach(lc, query_guard_texts)
		if (strcmp((const char *) lfirst(lc), text) == 0)
			return true;
	return false;
}

static void
query_guard_remember(const hub_guard_memo *k, const char *path, Datum *texts, int n)
{
	MemoryContext old;

	if (query_guard_cxt == NULL)
		query_guard_cxt = AllocSetContextCreate(TopMemoryContext, "smartregion query guard memo",
												ALLOCSET_SMALL_SIZES);
	if (memcmp(&query_guard_key, k, sizeof(*k)) != 0 || query_guard_path == NULL ||
		strcmp(query_guard_path, path) != 0)
	{
		MemoryContextReset(query_guard_cxt);
		query_guard_texts = NIL;
		query_guard_key = *k;
		query_guard_path = MemoryContextStrdup(query_guard_cxt, path);
	}
	old = MemoryContextSwitchTo(query_guard_cxt);
	for (int i = 0; i < n; i++)
		query_guard_texts = lappend(query_guard_texts, TextDatumGetCString(texts[i]));
	MemoryContextSwitchTo(old);
}

/* Hands the n texts to the extension's _query_hub_guard (see below): for a
 * superuser or platform administrator caller only, and only the texts not
 * found to pass already in this statement (query_guard_passed). */
static void
query_hub_guard_call(FunctionCallInfo fcinfo, const char *fn, Datum *texts, int n,
					 const char *path)
{
	static const Oid argtypes[3] = {TEXTOID, TEXTARRAYOID, TEXTOID};
	hub_guard_memo k;
	int			left = 0;

	if (n == 0 || !sr_caller_is_privileged())
		return;
	/* (the caller's search_path, not the guard's pinned one, reads the texts) */
	if (path == NULL)
		path = GetConfigOption("search_path", false, false);
	hub_guard_key(&k, "");
	for (int i = 0; i < n; i++)
		if (!query_guard_passed(&k, path, TextDatumGetCString(texts[i])))
			texts[left++] = texts[i];
	if (left == 0)
		return;
	(void) OidFunctionCall3(ext_function(fcinfo, "_query_hub_guard", 3, argtypes),
							CStringGetTextDatum(fn),
							PointerGetDatum(construct_array(texts, left, TEXTOID, -1, false, TYPALIGN_INT)),
							CStringGetTextDatum(path));
	/* (the state the guard saw, as sr_hub_read_guard's memo) */
	hub_guard_key(&k, "");
	query_guard_remember(&k, path, texts, left);
}

PG_FUNCTION_INFO_V1(sr_fn_query_read_guard);
/*
 * smartregion._query_read_guard(fn, sqls, query_search_path): the guard of the
 * C readers for the PL/pgSQL ones (the CNIG exports and their _cnig_*
 * readers, _refresh_targets, _refresh_territories, tierslieux_coverage):
 * other callers return at once, a privileged caller's texts already found
 * to pass in this statement are not analysed again; NULL
 * query_search_path: the current search_path.  Returns true.
 */
Datum
sr_fn_query_read_guard(PG_FUNCTION_ARGS)
{
	Datum	   *elems;
	bool	   *nulls;
	int			nelems, n = 0;

	if (PG_ARGISNULL(1) || !sr_caller_is_privileged())
		PG_RETURN_BOOL(true);
	deconstruct_array(PG_GETARG_ARRAYTYPE_P(1), TEXTOID, -1, false, TYPALIGN_INT,
					  &elems, &nulls, &nelems);
	for (int i = 0; i < nelems; i++)
		if (!nulls[i])
			elems[n++] = elems[i];
	query_hub_guard_call(fcinfo, PG_ARGISNULL(0) ? "the call" : sr_text_arg(fcinfo, 0), elems, n,
						 PG_ARGISNULL(2) ? NULL : sr_text_arg(fcinfo, 2));
	PG_RETURN_BOOL(true);
}

/*
 * The guard of a C reader whose query texts may read a hub: the texts of the
 * arguments argnos (NULL ones skipped) go to the extension's _query_hub_guard
 * under search_path path (NULL: the caller's current one, passed on, as the
 * guard pins its own), which, for a superuser or
 * platform administrator caller, refuses (42501) a hub they read where a role
 * without the caller's rights controls code the read would run.  Called
 * before any text is run; the texts are parsed, never planned nor run (as the
 * CNIG exports' guard).  fn names the function the user called.
 */
void
sr_query_hub_guard(FunctionCallInfo fcinfo, const char *fn, const int *argnos, int nargnos,
				   const char *path)
{
	Datum	   *texts = palloc(sizeof(Datum) * Max(nargnos, 1));
	int			n = 0;

	for (int i = 0; i < nargnos; i++)
		if (!PG_ARGISNULL(argnos[i]))
			texts[n++] = PG_GETARG_DATUM(argnos[i]);
	query_hub_guard_call(fcinfo, fn, texts, n, path);
}

/* The same for query texts given as C strings (NULL ones skipped): those an
 * options object carries, as solar_cadastre's terrain_sql and trees_sql. */
void
sr_query_hub_guard_sqls(FunctionCallInfo fcinfo, const char *fn, const char *const *sqls,
						int nsqls, const char *path)
{
	Datum	   *texts = palloc(sizeof(Datum) * Max(nsqls, 1));
	int			n = 0;

	for (int i = 0; i < nsqls; i++)
		if (sqls[i] != NULL)
			texts[n++] = CStringGetTextDatum(sqls[i]);
	query_hub_guard_call(fcinfo, fn, texts, n, path);
}
