/*
 * query_errors.c — an error of a caller's query text, raised again by a
 * function that runs a generated statement around that text (the CNIG
 * exports, tierslieux_coverage): without the generated statement in its
 * context; with the argument (or the column of an argument) it came from in
 * its detail, else, for an error the export's own statement raised, the
 * export and the texts that statement runs; and with its position inside the
 * caller's text, so that psql shows the caller's query with LINE n: and a
 * caret, as for a query of PL/pgSQL.
 *
 * PL/pgSQL's GET STACKED DIAGNOSTICS gives an error's SQLSTATE, message,
 * detail, hint and context, never its internal query and position: the
 * handler that re-raises cannot pass them on.  So the reader (query.c)
 * remembers them when preparing a caller's text fails at a position, in one
 * slot of the backend keyed by the error itself (the statement's start, the
 * SQLSTATE, message, detail, hint and context); _reraise_query_error finds
 * them there when it raises that same error again, and remembers its own
 * error in turn for a handler further out (cnig_csv around site_eco).
 */
#include "sr_pg.h"

#include <string.h>

#include "access/xact.h"
#include "nodes/pg_list.h"
#include "nodes/value.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

/* The last error the reader met at a position of a caller's text, or the
 * last error raised again here (strings in cxt). */
typedef struct remembered_error
{
	MemoryContext cxt;			/* NULL: nothing remembered */
	TimestampTz stmt_start;		/* valid within the statement that raised it */
	int			sqlerrcode;
	char	   *message;
	char	   *detail;			/* NULL when none, as "" */
	char	   *hint;
	char	   *context;		/* NULL: an error raised again here, matched
								 * without its context (it is not known yet) */
	char	   *query;			/* NULL: no position to give */
	int			position;		/* 1-based, in characters, in query */
} remembered_error;

static remembered_error last;

static char *
copy_or_null(const char *s)
{
	return (s && s[0]) ? pstrdup(s) : NULL;
}

static bool
same_text(const char *a, const char *b)
{
	/* NULL and "" alike: PL/pgSQL gives "" for a missing detail */
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Replace the remembered error (the old strings may be the arguments). */
static void
remember(int sqlerrcode, const char *message, const char *detail, const char *hint,
		 const char *context, const char *query, int position)
{
	MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "smartregion query error",
											  ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	MemoryContext previous = last.cxt;

	last.stmt_start = GetCurrentStatementStartTimestamp();
	last.sqlerrcode = sqlerrcode;
	last.message = pstrdup(message ? message : "");
	last.detail = copy_or_null(detail);
	last.hint = copy_or_null(hint);
	last.context = context ? pstrdup(context) : NULL;
	last.query = (query && position > 0) ? pstrdup(query) : NULL;
	last.position = last.query ? position : 0;
	last.cxt = cxt;
	MemoryContextSwitchTo(old);
	if (previous)
		MemoryContextDelete(previous);
}

void
sr_query_error_remember(const char *sql)
{
	MemoryContext errcxt = CurrentMemoryContext;	/* ErrorContext, in PG_CATCH */
	MemoryContext tmp = AllocSetContextCreate(TopMemoryContext, "smartregion query error copy",
											  ALLOCSET_SMALL_SIZES);
	ErrorData  *e;

	MemoryContextSwitchTo(tmp);
	e = CopyErrorData();
	/* only a position SPI gave inside this very text (a syntax or parse error) */
	if (e->internalpos > 0 && e->internalquery && strcmp(e->internalquery, sql) == 0)
		remember(e->sqlerrcode, e->message, e->detail, e->hint, e->context ? e->context : "",
				 e->internalquery, e->internalpos);
	MemoryContextSwitchTo(errcxt);
	MemoryContextDelete(tmp);
}

/* The remembered position of this error, if it is the remembered one. */
static bool
recall(int sqlerrcode, const char *message, const char *detail, const char *hint,
	   const char *context, bool *reraised)
{
	if (last.cxt == NULL || last.stmt_start != GetCurrentStatementStartTimestamp() ||
		last.sqlerrcode != sqlerrcode || !same_text(last.message, message) ||
		!same_text(last.detail, detail) || !same_text(last.hint, hint) ||
		(last.context != NULL && !same_text(last.context, context)))
		return false;
	*reraised = last.context == NULL;
	return true;
}

/*
 * Where the error came from, by the reader's context line (query.c and
 * _cnig_convert): "while reading X", "while reading row N of X" give the
 * query X; "while reading column C of X" the column C of X.  The first such
 * line is the innermost.
 */
static void
error_source(const char *context, char **query, char **column)
{
	const char *p = context;

	*query = *column = NULL;
	while (p && *p)
	{
		const char *end = strchr(p, '\n');
		int			len = end ? (int) (end - p) : (int) strlen(p);

		if (len > 14 && strncmp(p, "while reading ", 14) == 0)
		{
			char	   *line = pnstrdup(p + 14, len - 14);
			char	   *of = strstr(line, " of ");

			if (strncmp(line, "row ", 4) == 0 && of)
				*query = pstrdup(of + 4);
			else if (strncmp(line, "column ", 7) == 0 && of)
			{
				*column = pnstrdup(line + 7, of - (line + 7));
				*query = pstrdup(of + 4);
			}
			else
				*query = line;
			return;
		}
		p = end ? end + 1 : NULL;
	}
}

/*
 * The query texts the generated statement that raised the error embeds, when
 * the innermost context line is that statement (an error PostgreSQL or a C
 * function raised while running it, not a check of the export, which says
 * what it is about): the argument names of sr_query_subquery's comments, in
 * their order, as "zones_sql and parcels_sql"; NULL when there are none.
 */
static char *
embedded_texts(const char *context)
{
	static const char mark[] = "/* " SR_QUERY_MARK;
	const char *end;
	char	   *stmt;
	const char *p;
	List	   *names = NIL;
	StringInfoData out;

	if (context == NULL || strncmp(context, "SQL statement \"", 15) != 0 ||
		(end = strstr(context, "\"\nPL/pgSQL function ")) == NULL)
		return NULL;
	stmt = pnstrdup(context, end - context);
	for (p = strstr(stmt, mark); p; p = strstr(p, mark))
	{
		int			len;
		char	   *name;

		p += strlen(mark);
		len = strspn(p, SR_QUERY_MARK_NAME);
		if (len == 0 || strncmp(p + len, " */", 3) != 0)
			continue;
		name = pnstrdup(p, len);
		if (!list_member(names, makeString(name)))
			names = lappend(names, makeString(name));
	}
	if (names == NIL)
		return NULL;
	initStringInfo(&out);
	for (int i = 0; i < list_length(names); i++)
		appendStringInfo(&out, "%s%s", i == 0 ? "" : (i == list_length(names) - 1 ? " and " : ", "),
						 strVal(list_nth(names, i)));
	return out.data;
}

PG_FUNCTION_INFO_V1(sr_fn_reraise_query_error);
/*
 * smartregion._reraise_query_error(state, message, detail, hint, context,
 * export): the caught error (GET STACKED DIAGNOSTICS) raised again, with its
 * SQLSTATE, message and hint; the detail names where it came from (the
 * query, or the column of a query, when the context says; else, for an
 * error without a detail raised by a generated statement itself, that
 * statement of the export and the query texts it embeds); no context but
 * this call's; the position in the caller's text when the reader
 * remembered it.
 */
Datum
sr_fn_reraise_query_error(PG_FUNCTION_ARGS)
{
	char	   *state = sr_text_arg(fcinfo, 0);
	char	   *message = sr_text_arg(fcinfo, 1);
	char	   *detail = sr_text_arg(fcinfo, 2);
	char	   *hint = sr_text_arg(fcinfo, 3);
	char	   *context = sr_text_arg(fcinfo, 4);
	char	   *export = sr_text_arg(fcinfo, 5);
	char	   *query = NULL,
			   *column = NULL,
			   *texts;
	const char *internal = NULL;
	int			position = 0;
	int			sqlerrcode;
	bool		reraised = false;
	StringInfoData d;

	if (state == NULL || message == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("parameter \"%s\" cannot be NULL", state == NULL ? "state" : "message")));
	if (strlen(state) != 5 || strspn(state, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid SQLSTATE code \"%s\"", state)));
	sqlerrcode = MAKE_SQLSTATE(state[0], state[1], state[2], state[3], state[4]);

	initStringInfo(&d);
	if (detail)
		appendStringInfoString(&d, detail);
	if (recall(sqlerrcode, message, detail, hint, context, &reraised))
	{
		/* copies: remember() below replaces the remembered strings */
		internal = last.query ? pstrdup(last.query) : NULL;
		position = last.position;
	}
	if (!reraised)
	{
		/* (an error raised again already says where it came from) */
		error_source(context, &query, &column);
		if (d.len > 0 && query)
			appendStringInfoChar(&d, ' ');
		if (column)
			appendStringInfo(&d, "The value came from the column %s of %s.", column, query);
		else if (query)
			appendStringInfo(&d, "The error came from the query %s.", query);
		else if (export && d.len == 0 && (texts = embedded_texts(context)) != NULL)
			appendStringInfo(&d, "The error came from the statement %s builds around %s.",
							 export, texts);
	}
	remember(sqlerrcode, message, d.data, hint, NULL, internal, position);
	ereport(ERROR,
			(errcode(sqlerrcode),
			 errmsg_internal("%s", message),
			 d.len > 0 ? errdetail_internal("%s", d.data) : 0,
			 (hint && hint[0]) ? errhint("%s", hint) : 0,
			 internal ? internalerrquery(internal) : 0,
			 internal ? internalerrposition(position) : 0));
	PG_RETURN_VOID();
}
