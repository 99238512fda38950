/*
 * maturity.c — glue of the digital-maturity observatory (docs/maturity.md).
 *
 * Each entry point reads the framework (smartregion.maturity_*), the
 * territories (smartregion.territory) and the indicator values (hub tables
 * <hub>.maturity_value and <hub>.maturity_answer, plus plugin functions) in
 * one pass with SPI, lays them out as a territories x indicators matrix and
 * runs the pure core (extension/core/maturity_*.c) on it.
 */
#include "sr_pg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "sr_maturity.h"

#define N_TYPES 4
static const char *const type_names[N_TYPES] = {"commune", "epci", "departement", "region"};

/* A framework read from the catalog tables. */
typedef struct MatFw
{
	int			na,
				ni,
				nlev;
	char	  **axis,
			  **axis_label;
	char	  **ind,
			  **ind_label,
			  **ind_kind,
			  **plugin;			/* regproc text, NULL when none */
	int		   *ind_axis,
			   *dir,
			   *rollup;			/* 0 pop-weighted mean, 1 mean, 2 min, 3 max */
	double	   *iw,
			   *aw,
			   *lo,
			   *hi,
			   *lb;
	char	  **lev_label;
	sr_mat_framework core;
} MatFw;

/* Territories (scored rows first are not required: any order). */
typedef struct MatTerr
{
	int			n;
	char	  **code,
			  **name;
	int		   *type;
	double	   *pop;			/* NaN when unknown */
	bool	   *pop_null;
	int		   *parent[3];		/* epci, departement, region row, -1 if none */
	HTAB	   *index;
} MatTerr;

typedef struct TerrKey
{
	char		key[40];		/* "t|code" */
} TerrKey;

typedef struct TerrEnt
{
	TerrKey		k;
	int			row;
} TerrEnt;

static int
type_index(const char *t)
{
	for (int i = 0; i < N_TYPES; i++)
		if (strcmp(t, type_names[i]) == 0)
			return i;
	return -1;
}

static void
make_key(TerrKey *k, int type, const char *code)
{
	memset(k, 0, sizeof(*k));
	k->key[0] = '0' + type;
	k->key[1] = '|';
	strlcpy(k->key + 2, code, sizeof(k->key) - 2);
}

static int
terr_lookup(const MatTerr *T, int type, const char *code)
{
	TerrKey		k;
	TerrEnt    *e;

	if (type < 0 || code == NULL || strlen(code) > 30)
		return -1;
	make_key(&k, type, code);
	e = hash_search(T->index, &k, HASH_FIND, NULL);
	return e ? e->row : -1;
}

static char *
spi_text(HeapTuple tup, TupleDesc td, int col, bool *isnull)
{
	bool		nul;
	Datum		d = SPI_getbinval(tup, td, col, &nul);

	if (isnull)
		*isnull = nul;
	return nul ? NULL : TextDatumGetCString(d);
}

static double
spi_float8(HeapTuple tup, TupleDesc td, int col, bool *isnull)
{
	bool		nul;
	Datum		d = SPI_getbinval(tup, td, col, &nul);

	if (isnull)
		*isnull = nul;
	return nul ? NAN : DatumGetFloat8(d);
}

static int32
spi_int4(HeapTuple tup, TupleDesc td, int col, bool *isnull)
{
	bool		nul;
	Datum		d = SPI_getbinval(tup, td, col, &nul);

	if (isnull)
		*isnull = nul;
	return nul ? 0 : DatumGetInt32(d);
}

/* Read a framework; raises 42704 when it does not exist. */
static void
load_framework(const char *name, MatFw *fw)
{
	Oid			argt[1] = {TEXTOID};
	Datum		argv[1] = {CStringGetTextDatum(name)};
	uint64		n;
	SPITupleTable *tt;

	if (SPI_execute_with_args("SELECT axis, label, weight FROM smartregion.maturity_axis "
							  "WHERE framework OPERATOR(pg_catalog.=) $1 ORDER BY position",
							  1, argt, argv, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read maturity axes");
	n = SPI_processed;
	tt = SPI_tuptable;
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("maturity framework \"%s\" does not exist or has no axis", name)));
	if (n > 64)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("maturity framework \"%s\" has %d axes, at most 64 are supported", name, (int) n)));
	fw->na = (int) n;
	fw->axis = palloc(sizeof(char *) * n);
	fw->axis_label = palloc(sizeof(char *) * n);
	fw->aw = palloc(sizeof(double) * n);
	for (uint64 i = 0; i < n; i++)
	{
		fw->axis[i] = spi_text(tt->vals[i], tt->tupdesc, 1, NULL);
		fw->axis_label[i] = spi_text(tt->vals[i], tt->tupdesc, 2, NULL);
		fw->aw[i] = spi_float8(tt->vals[i], tt->tupdesc, 3, NULL);
	}
	SPI_freetuptable(tt);

	if (SPI_execute_with_args("SELECT i.indicator, i.label, i.kind, i.axis, i.goal_min, i.goal_max, "
							  "i.direction::pg_catalog.int4, i.weight, i.rollup, i.plugin::pg_catalog.regproc::pg_catalog.text "
							  "FROM smartregion.maturity_indicator i "
							  "JOIN smartregion.maturity_axis a ON a.framework OPERATOR(pg_catalog.=) i.framework "
							  "AND a.axis OPERATOR(pg_catalog.=) i.axis "
							  "WHERE i.framework OPERATOR(pg_catalog.=) $1 ORDER BY a.position, i.position, i.indicator",
							  1, argt, argv, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read maturity indicators");
	n = SPI_processed;
	tt = SPI_tuptable;
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("maturity framework \"%s\" has no indicator", name)));
	fw->ni = (int) n;
	fw->ind = palloc(sizeof(char *) * n);
	fw->ind_label = palloc(sizeof(char *) * n);
	fw->ind_kind = palloc(sizeof(char *) * n);
	fw->plugin = palloc(sizeof(char *) * n);
	fw->ind_axis = palloc(sizeof(int) * n);
	fw->dir = palloc(sizeof(int) * n);
	fw->rollup = palloc(sizeof(int) * n);
	fw->iw = palloc(sizeof(double) * n);
	fw->lo = palloc(sizeof(double) * n);
	fw->hi = palloc(sizeof(double) * n);
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = tt->vals[i];
		TupleDesc	td = tt->tupdesc;
		char	   *ax = spi_text(tup, td, 4, NULL);
		char	   *ru = spi_text(tup, td, 9, NULL);

		fw->ind[i] = spi_text(tup, td, 1, NULL);
		fw->ind_label[i] = spi_text(tup, td, 2, NULL);
		fw->ind_kind[i] = spi_text(tup, td, 3, NULL);
		fw->ind_axis[i] = -1;
		for (int a = 0; a < fw->na; a++)
			if (strcmp(fw->axis[a], ax) == 0)
				fw->ind_axis[i] = a;
		fw->lo[i] = spi_float8(tup, td, 5, NULL);
		fw->hi[i] = spi_float8(tup, td, 6, NULL);
		fw->dir[i] = spi_int4(tup, td, 7, NULL);
		fw->iw[i] = spi_float8(tup, td, 8, NULL);
		fw->rollup[i] = strcmp(ru, "mean") == 0 ? 1 : strcmp(ru, "min") == 0 ? 2 : strcmp(ru, "max") == 0 ? 3 : 0;
		fw->plugin[i] = spi_text(tup, td, 10, NULL);
	}
	SPI_freetuptable(tt);

	if (SPI_execute_with_args("SELECT min_score, label FROM smartregion.maturity_level "
							  "WHERE framework OPERATOR(pg_catalog.=) $1 ORDER BY level",
							  1, argt, argv, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read maturity levels");
	n = SPI_processed;
	tt = SPI_tuptable;
	fw->nlev = (int) n;
	fw->lb = palloc(sizeof(double) * (n + 1));
	fw->lev_label = palloc(sizeof(char *) * (n + 1));
	for (uint64 i = 0; i < n; i++)
	{
		fw->lb[i] = spi_float8(tt->vals[i], tt->tupdesc, 1, NULL);
		fw->lev_label[i] = spi_text(tt->vals[i], tt->tupdesc, 2, NULL);
	}
	SPI_freetuptable(tt);

	fw->core.n_axes = fw->na;
	fw->core.n_ind = fw->ni;
	fw->core.ind_axis = fw->ind_axis;
	fw->core.ind_weight = fw->iw;
	fw->core.axis_weight = fw->aw;
	fw->core.goal_lo = fw->lo;
	fw->core.goal_hi = fw->hi;
	fw->core.direction = fw->dir;
	{
		sr_err		err;

		sr_err_clear(&err);
		if (sr_mat_validate(&fw->core, &err) != SR_OK)
			sr_raise(&err);
	}
}

/* Read the territories, all types or one (type_filter >= 0). */
static void
load_territories_rows(MatTerr *T, int type_filter)
{
	HASHCTL		ctl;
	uint64		n;
	SPITupleTable *tt;
	char	  **pcode[3];
	int			ret;

	if (type_filter >= 0)
	{
		Oid			argt[1] = {TEXTOID};
		Datum		argv[1] = {CStringGetTextDatum(type_names[type_filter])};

		ret = SPI_execute_with_args("SELECT type, code, name, population::pg_catalog.float8, epci_code, departement_code, region_code "
									"FROM smartregion.territory WHERE type OPERATOR(pg_catalog.=) $1 ORDER BY code",
									1, argt, argv, NULL, true, 0);
	}
	else
		ret = SPI_execute("SELECT type, code, name, population::pg_catalog.float8, epci_code, departement_code, region_code "
						  "FROM smartregion.territory ORDER BY "
						  "pg_catalog.array_position(ARRAY['commune','epci','departement','region'], type), code",
						  true, 0);
	if (ret != SPI_OK_SELECT)
		elog(ERROR, "could not read territories");
	n = SPI_processed;
	tt = SPI_tuptable;
	T->n = (int) n;
	T->code = palloc(sizeof(char *) * (n + 1));
	T->name = palloc(sizeof(char *) * (n + 1));
	T->type = palloc(sizeof(int) * (n + 1));
	T->pop = palloc(sizeof(double) * (n + 1));
	T->pop_null = palloc(sizeof(bool) * (n + 1));
	for (int p = 0; p < 3; p++)
	{
		T->parent[p] = palloc(sizeof(int) * (n + 1));
		pcode[p] = palloc(sizeof(char *) * (n + 1));
	}
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(TerrKey);
	ctl.entrysize = sizeof(TerrEnt);
	ctl.hcxt = CurrentMemoryContext;
	T->index = hash_create("smartregion territories", (long) n + 16, &ctl,
						   HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	for (uint64 i = 0; i < n; i++)
	{
		HeapTuple	tup = tt->vals[i];
		TupleDesc	td = tt->tupdesc;
		char	   *ty = spi_text(tup, td, 1, NULL);
		TerrKey		k;
		TerrEnt    *e;
		bool		found;

		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		T->type[i] = type_index(ty);
		T->code[i] = spi_text(tup, td, 2, NULL);
		T->name[i] = spi_text(tup, td, 3, NULL);
		T->pop[i] = spi_float8(tup, td, 4, &T->pop_null[i]);
		for (int p = 0; p < 3; p++)
			pcode[p][i] = spi_text(tup, td, 5 + p, NULL);
		make_key(&k, T->type[i], T->code[i]);
		e = hash_search(T->index, &k, HASH_ENTER, &found);
		e->row = (int) i;
	}
	SPI_freetuptable(tt);
	for (int i = 0; i < T->n; i++)
		for (int p = 0; p < 3; p++)
			T->parent[p][i] = pcode[p][i] ? terr_lookup(T, p + 1, pcode[p][i]) : -1;
}

/* Values of the matrix: x[n * m] (NaN missing), year (0 unknown). */
typedef struct MatValues
{
	double	   *x;
	int		   *year;
	int			detail_row;		/* row whose sources are kept, -1 none */
	char	  **source;			/* [m] sources of detail_row */
} MatValues;

/* Does the hub schema have the table?  Raises 42P01 with a hint if not. */
static void
require_hub_table(const char *hub, const char *table)
{
	Oid			argt[2] = {TEXTOID, TEXTOID};
	Datum		argv[2] = {CStringGetTextDatum(hub), CStringGetTextDatum(table)};
	bool		isnull;

	if (SPI_execute_with_args("SELECT pg_catalog.to_regclass(pg_catalog.format('%I.%I', $1, $2)) IS NOT NULL",
							  2, argt, argv, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not look up hub table");
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("hub table \"%s.%s\" does not exist", hub, table),
				 errhint("Create the hub with smartregion.create_hub('%s'), or name another schema in the option \"hub\".", hub)));
	SPI_freetuptable(SPI_tuptable);
}

/* Look a territory up by the bytes of its type and code (no copy). */
static int
terr_lookup_text(const MatTerr *T, text *ty, text *code)
{
	TerrKey		k;
	TerrEnt    *e;
	int			tl = VARSIZE_ANY_EXHDR(ty),
				cl = VARSIZE_ANY_EXHDR(code),
				type = -1;

	for (int i = 0; i < N_TYPES; i++)
		if (tl == (int) strlen(type_names[i]) && memcmp(VARDATA_ANY(ty), type_names[i], tl) == 0)
			type = i;
	if (type < 0 || cl > 30)
		return -1;
	memset(&k, 0, sizeof(k));
	k.key[0] = '0' + type;
	k.key[1] = '|';
	memcpy(k.key + 2, VARDATA_ANY(code), cl);
	e = hash_search(T->index, &k, HASH_FIND, NULL);
	return e ? e->row : -1;
}

/* Indicator index of a name (m is small: a linear scan on lengths first). */
static int
ind_lookup(const MatFw *fw, text *name, const int *len)
{
	int			nl = VARSIZE_ANY_EXHDR(name);

	for (int j = 0; j < fw->ni; j++)
		if (len[j] == nl && memcmp(VARDATA_ANY(name), fw->ind[j], nl) == 0)
			return j;
	return -1;
}

/*
 * Read a query returning (indicator text, territory_type text, territory_code
 * text, year int, value float8 | answer int2, source text) with parameters
 * ($1 year int, $2 type text).  Values: the latest year wins.  Answers
 * (answers = true): the mean over the respondents of the latest year.
 * Only indicators of the wanted kind without plugin are kept.
 */
static void
read_value_query(const MatFw *fw, const MatTerr *T, MatValues *V, const char *sql,
				 Datum *argv, char *nulls, bool answers, double *cnt)
{
	Oid			argt[2] = {INT4OID, TEXTOID};
	Portal		portal;
	int		   *len = palloc(sizeof(int) * fw->ni);
	bool	   *want = palloc(sizeof(bool) * fw->ni);

	for (int j = 0; j < fw->ni; j++)
	{
		len[j] = strlen(fw->ind[j]);
		want[j] = fw->plugin[j] == NULL &&
			(strcmp(fw->ind_kind[j], "declarative") == 0) == answers;
	}
	portal = SPI_cursor_open_with_args(NULL, sql, 2, argt, argv, nulls, true, 0);
	for (;;)
	{
		SPITupleTable *tt;

		SPI_cursor_fetch(portal, true, 20000);
		if (SPI_processed == 0)
			break;
		tt = SPI_tuptable;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			HeapTuple	tup = tt->vals[i];
			TupleDesc	td = tt->tupdesc;
			bool		n1,
						n2,
						n3,
						n4,
						n5;
			Datum		di = SPI_getbinval(tup, td, 1, &n1);
			Datum		dt = SPI_getbinval(tup, td, 2, &n2);
			Datum		dc = SPI_getbinval(tup, td, 3, &n3);
			Datum		dy = SPI_getbinval(tup, td, 4, &n4);
			Datum		dv = SPI_getbinval(tup, td, 5, &n5);
			int			j,
						row,
						yr;
			double		v;
			size_t		c;

			if (n1 || n2 || n3 || n4 || n5)
				continue;
			j = ind_lookup(fw, DatumGetTextPP(di), len);
			if (j < 0 || !want[j])
				continue;
			row = terr_lookup_text(T, DatumGetTextPP(dt), DatumGetTextPP(dc));
			if (row < 0)
				continue;
			yr = DatumGetInt32(dy);
			v = answers ? (double) DatumGetInt16(dv) : DatumGetFloat8(dv);
			c = (size_t) row * fw->ni + j;
			if (!isnan(V->x[c]) && yr < V->year[c])
				continue;		/* an older year */
			if (answers)
			{
				if (isnan(V->x[c]) || yr > V->year[c])
				{
					V->x[c] = 0.0;	/* x accumulates the sum, cnt the count */
					cnt[c] = 0.0;
					if (row == V->detail_row)
						V->source[j] = NULL;
				}
				V->x[c] += v;
				cnt[c] += 1.0;
			}
			else
			{
				if (!isnan(V->x[c]) && yr == V->year[c])
					continue;	/* cannot happen: (indicator, territory, year) is a key */
				V->x[c] = v;
				if (row == V->detail_row)
					V->source[j] = NULL;	/* a newer year replaces the source */
			}
			V->year[c] = yr;
			if (row == V->detail_row)
			{
				/* keep the (distinct) sources of the detail territory */
				char	   *src = spi_text(tup, td, 6, NULL);

				if (src && (V->source[j] == NULL || strstr(V->source[j], src) == NULL))
					V->source[j] = V->source[j] ? psprintf("%s, %s", V->source[j], src) : src;
			}
		}
		SPI_freetuptable(tt);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	if (answers)
		for (size_t c = 0; c < (size_t) T->n * fw->ni; c++)
			if (!isnan(V->x[c]) && cnt[c] > 0 && want[c % fw->ni])
				V->x[c] /= cnt[c];
}

/* Read the rows of one plugin function into column j. */
static void
read_plugin(const MatFw *fw, const MatTerr *T, MatValues *V, int j, Datum *argv, char *nulls)
{
	Oid			argt[2] = {INT4OID, TEXTOID};
	Portal		portal;
	char	   *sql = psprintf("SELECT p.territory_type, p.territory_code, p.value::pg_catalog.float8 FROM %s($1) p "
							   "WHERE $2 IS NULL OR p.territory_type OPERATOR(pg_catalog.=) $2", fw->plugin[j]);
	char	   *src = psprintf("plugin %s", fw->plugin[j]);

	portal = SPI_cursor_open_with_args(NULL, sql, 2, argt, argv, nulls, true, 0);
	for (;;)
	{
		SPITupleTable *tt;

		SPI_cursor_fetch(portal, true, 20000);
		if (SPI_processed == 0)
			break;
		tt = SPI_tuptable;
		for (uint64 i = 0; i < SPI_processed; i++)
		{
			bool		n1,
						n2,
						n3;
			Datum		dt = SPI_getbinval(tt->vals[i], tt->tupdesc, 1, &n1);
			Datum		dc = SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &n2);
			Datum		dv = SPI_getbinval(tt->vals[i], tt->tupdesc, 3, &n3);
			int			row;
			double		v;

			if (n1 || n2 || n3)
				continue;
			row = terr_lookup_text(T, DatumGetTextPP(dt), DatumGetTextPP(dc));
			v = DatumGetFloat8(dv);
			if (row < 0 || isnan(v) || isinf(v))
				continue;
			V->x[(size_t) row * fw->ni + j] = v;
			V->year[(size_t) row * fw->ni + j] = nulls[0] == 'n' ? 0 : DatumGetInt32(argv[0]);
			if (row == V->detail_row)
				V->source[j] = src;
		}
		SPI_freetuptable(tt);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
}

/* Read every indicator value for the framework. */
static void
load_values(const MatFw *fw, const MatTerr *T, MatValues *V, int year, bool year_null,
			const char *hub, const char *type_filter)
{
	int			m = fw->ni;
	size_t		cells = (size_t) T->n * m;
	Datum		argv[2];
	char		nulls[2] = {' ', ' '};
	const char *qhub = quote_identifier(hub);
	double	   *cnt;

	V->x = palloc(sizeof(double) * (cells + 1));
	V->year = palloc0(sizeof(int) * (cells + 1));
	for (size_t c = 0; c < cells; c++)
		V->x[c] = NAN;
	V->source = palloc0(sizeof(char *) * m);

	require_hub_table(hub, "maturity_value");
	require_hub_table(hub, "maturity_answer");

	argv[0] = Int32GetDatum(year);
	nulls[0] = year_null ? 'n' : ' ';
	argv[1] = type_filter ? CStringGetTextDatum(type_filter) : (Datum) 0;
	nulls[1] = type_filter ? ' ' : 'n';

	read_value_query(fw, T, V,
					 psprintf("SELECT v.indicator, v.territory_type, v.territory_code, v.year, v.value, v.source "
							  "FROM %s.maturity_value v "
							  "WHERE ($1 IS NULL OR v.year OPERATOR(pg_catalog.<=) $1) "
							  "AND ($2 IS NULL OR v.territory_type OPERATOR(pg_catalog.=) $2)", qhub),
					 argv, nulls, false, NULL);
	/* declarative: mean of the respondents' answers of the latest year */
	cnt = palloc0(sizeof(double) * (cells + 1));
	read_value_query(fw, T, V,
					 psprintf("SELECT a.indicator, a.territory_type, a.territory_code, a.year, a.answer, a.source "
							  "FROM %s.maturity_answer a "
							  "WHERE ($1 IS NULL OR a.year OPERATOR(pg_catalog.<=) $1) "
							  "AND ($2 IS NULL OR a.territory_type OPERATOR(pg_catalog.=) $2)", qhub),
					 argv, nulls, true, cnt);
	pfree(cnt);
	/* plugins: f(year int) RETURNS TABLE (territory_type, territory_code, value) */
	for (int j = 0; j < m; j++)
		if (fw->plugin[j] != NULL)
			read_plugin(fw, T, V, j, argv, nulls);
}

/* Roll commune values up to their EPCI, département and région. */
static void
rollup_values(const MatFw *fw, const MatTerr *T, const double *x, double *px)
{
	int			m = fw->ni;
	size_t		cells = (size_t) T->n * m;
	double	   *sw = palloc0(sizeof(double) * (cells + 1)),
			   *s = palloc0(sizeof(double) * (cells + 1)),
			   *cnt = palloc0(sizeof(double) * (cells + 1)),
			   *sum = palloc0(sizeof(double) * (cells + 1));

	for (size_t c = 0; c < cells; c++)
		px[c] = NAN;
	for (int t = 0; t < T->n; t++)
	{
		double		w;

		if (T->type[t] != 0)
			continue;
		w = (T->pop_null[t] || !(T->pop[t] > 0)) ? 0.0 : T->pop[t];
		for (int p = 0; p < 3; p++)
		{
			int			r = T->parent[p][t];

			if (r < 0)
				continue;
			for (int j = 0; j < m; j++)
			{
				double		v = x[(size_t) t * m + j];
				size_t		c = (size_t) r * m + j;

				if (isnan(v))
					continue;
				switch (fw->rollup[j])
				{
					case 2:
						px[c] = isnan(px[c]) ? v : Min(px[c], v);
						break;
					case 3:
						px[c] = isnan(px[c]) ? v : Max(px[c], v);
						break;
					default:
						s[c] += w * v;
						sw[c] += w;
						break;
				}
				sum[c] += v;
				cnt[c] += 1;
			}
		}
		if ((t & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	for (size_t c = 0; c < cells; c++)
	{
		int			j = (int) (c % m);

		if (cnt[c] == 0 || fw->rollup[j] >= 2)
			continue;
		/* population-weighted mean; plain mean without populations */
		if (fw->rollup[j] == 0 && sw[c] > 0)
			px[c] = s[c] / sw[c];
		else
			px[c] = sum[c] / cnt[c];
	}
	pfree(sw);
	pfree(s);
	pfree(cnt);
	pfree(sum);
}

static int
parse_norm(const char *s)
{
	if (s == NULL || strcmp(s, "goalposts") == 0)
		return SR_MAT_NORM_GOALPOSTS;
	if (strcmp(s, "minmax") == 0)
		return SR_MAT_NORM_MINMAX;
	if (strcmp(s, "zscore") == 0)
		return SR_MAT_NORM_ZSCORE;
	if (strcmp(s, "rank") == 0)
		return SR_MAT_NORM_RANK;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid normalisation \"%s\"", s),
			 errhint("Accepted: goalposts, minmax, zscore, rank.")));
	return 0;
}

static int
parse_agg(const char *s)
{
	if (s == NULL || strcmp(s, "arithmetic") == 0)
		return SR_MAT_AGG_ARITHMETIC;
	if (strcmp(s, "geometric") == 0)
		return SR_MAT_AGG_GEOMETRIC;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid aggregation \"%s\"", s),
			 errhint("Accepted: arithmetic, geometric.")));
	return 0;
}

static int
parse_missing(const char *s)
{
	if (s == NULL || strcmp(s, "reweight") == 0)
		return SR_MAT_MISS_REWEIGHT;
	if (strcmp(s, "mean") == 0)
		return SR_MAT_MISS_MEAN;
	if (strcmp(s, "peer") == 0)
		return SR_MAT_MISS_PEER;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid missing-data method \"%s\"", s),
			 errhint("Accepted: reweight, mean, peer.")));
	return 0;
}

static char *
arg_text(FunctionCallInfo fcinfo, int i)
{
	return PG_ARGISNULL(i) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(i));
}

static int
parse_type_arg(const char *t)
{
	int			ty;

	if (t == NULL)
		return -1;
	ty = type_index(t);
	if (ty < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid territory type \"%s\"", t),
				 errhint("Territory types are commune, epci, departement and region.")));
	return ty;
}

/* Common preparation of the evaluation functions. */
typedef struct MatJob
{
	MatFw		fw;
	MatTerr		T;
	MatValues	V;
	sr_mat_options opt;
	sr_mat_data data;
	int		   *group;
	double	   *x;				/* matrix scored (own or rolled up) */
} MatJob;

static void
prepare_job(FunctionCallInfo fcinfo, MatJob *J, int type_arg, bool rollup,
			const char *detail_code, int *detail_row)
{
	char	   *framework = arg_text(fcinfo, 0);
	char	   *hub;
	char	   *tfilter;
	int			ty;

	if (framework == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("framework must not be NULL")));
	J->opt.norm = parse_norm(arg_text(fcinfo, 2));
	J->opt.agg = parse_agg(arg_text(fcinfo, 3));
	J->opt.missing = parse_missing(arg_text(fcinfo, 4));
	hub = arg_text(fcinfo, 5);
	if (hub == NULL || hub[0] == '\0')
		hub = "hub";
	tfilter = arg_text(fcinfo, type_arg);
	ty = parse_type_arg(tfilter);

	load_framework(framework, &J->fw);
	/* a roll-up needs the communes and their parents */
	load_territories_rows(&J->T, rollup ? -1 : ty);
	J->V.detail_row = -1;
	if (detail_code)
	{
		J->V.detail_row = terr_lookup(&J->T, ty, detail_code);
		if (J->V.detail_row < 0)
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("territory \"%s\" does not exist", detail_code)));
		*detail_row = J->V.detail_row;
	}
	load_values(&J->fw, &J->T, &J->V, PG_ARGISNULL(1) ? 0 : PG_GETARG_INT32(1), PG_ARGISNULL(1),
				hub, rollup ? "commune" : tfilter);
	J->x = J->V.x;
	if (rollup)
	{
		J->x = palloc(sizeof(double) * ((size_t) J->T.n * J->fw.ni + 1));
		rollup_values(&J->fw, &J->T, J->V.x, J->x);
	}
	J->group = palloc(sizeof(int) * (J->T.n + 1));
	for (int t = 0; t < J->T.n; t++)
		J->group[t] = J->T.type[t] < 0 ? 0 : J->T.type[t];
	J->data.n = J->T.n;
	J->data.x = J->x;
	J->data.group = J->group;
	J->data.n_groups = N_TYPES;
	J->data.population = J->T.pop;
}

/* jsonb object {axis: score} (null for an axis without data). */
static Datum
axis_jsonb(const MatFw *fw, const double *as)
{
	StringInfoData b;

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
			appendStringInfo(&b, ": %.10g", as[a]);
	}
	appendStringInfoChar(&b, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(b.data));
}

PG_FUNCTION_INFO_V1(sr_maturity_eval);
/* smartregion._maturity_eval(framework, year, normalisation, aggregation,
 * missing, hub, territory_type, rollup): one row per scored territory. */
Datum
sr_maturity_eval(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MatJob		J;
	bool		rollup = PG_ARGISNULL(7) ? false : PG_GETARG_BOOL(7);
	double	   *score,
			   *as,
			   *cov;
	int		   *rank;
	sr_err		err;
	int			ty;

	InitMaterializedSRF(fcinfo, 0);
	memset(&J, 0, sizeof(J));
	ty = parse_type_arg(arg_text(fcinfo, 6));
	/*
	 * Everything below lives in the SPI procedure context (SPI calls switch
	 * back to it) and is released by SPI_finish at the end.
	 */
	SPI_connect();
	prepare_job(fcinfo, &J, 6, rollup, NULL, NULL);

	score = palloc(sizeof(double) * (J.T.n + 1));
	cov = palloc(sizeof(double) * (J.T.n + 1));
	as = palloc(sizeof(double) * ((size_t) J.T.n * J.fw.na + 1));
	rank = palloc(sizeof(int) * (J.T.n + 1));
	sr_err_clear(&err);
	if (rollup)
	{
		/* score the parents only: communes' rows are left out of the groups */
		for (int t = 0; t < J.T.n; t++)
			if (J.T.type[t] == 0)
				for (int j = 0; j < J.fw.ni; j++)
					J.x[(size_t) t * J.fw.ni + j] = NAN;
	}
	SR_CHECK_STATUS(sr_mat_score(&J.fw.core, &J.data, &J.opt, score, as, cov, NULL, &err), &err);
	if (rollup)
		for (int t = 0; t < J.T.n; t++)
			if (J.T.type[t] == 0)
				score[t] = NAN;
	SR_CHECK_STATUS(sr_mat_rank(score, J.group, J.T.n, N_TYPES, rank, &err), &err);

	for (int t = 0; t < J.T.n; t++)
	{
		Datum		values[10];
		bool		nulls[10];
		int			lv;

		if (rollup && (J.T.type[t] == 0 || (ty >= 0 && J.T.type[t] != ty)))
			continue;
		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(J.T.code[t]);
		values[1] = CStringGetTextDatum(type_names[J.T.type[t] < 0 ? 0 : J.T.type[t]]);
		values[2] = CStringGetTextDatum(J.T.name[t]);
		if (J.T.pop_null[t])
			nulls[3] = true;
		else
			values[3] = Int64GetDatum((int64) J.T.pop[t]);
		lv = sr_mat_level(score[t], J.fw.lb, J.fw.nlev);
		if (isnan(score[t]))
			nulls[4] = nulls[5] = nulls[6] = nulls[9] = true;
		else
		{
			values[4] = Float8GetDatum(score[t]);
			values[5] = Int32GetDatum(lv);
			if (lv >= 1)
				values[6] = CStringGetTextDatum(J.fw.lev_label[lv - 1]);
			else
				nulls[6] = true;
			values[9] = Int32GetDatum(rank[t]);
		}
		values[7] = axis_jsonb(&J.fw, as + (size_t) t * J.fw.na);
		values[8] = Float8GetDatum(cov[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if ((t & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	SPI_finish();
	return (Datum) 0;
}

PG_FUNCTION_INFO_V1(sr_maturity_detail);
/* smartregion._maturity_detail(framework, year, normalisation, aggregation,
 * missing, hub, territory_type, territory_code): one row per indicator. */
Datum
sr_maturity_detail(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MatJob		J;
	char	   *code = arg_text(fcinfo, 7);
	char	   *tname = arg_text(fcinfo, 6);
	int			row = -1,
				m,
				lv;
	double	   *score,
			   *z,
			   *zr,
			   *work,
				asum = 0.0,
			   *axw;
	double		as[64];
	sr_err		err;

	InitMaterializedSRF(fcinfo, 0);
	if (code == NULL || tname == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("territory code and type must not be NULL")));
	memset(&J, 0, sizeof(J));
	/*
	 * Everything below lives in the SPI procedure context (SPI calls switch
	 * back to it) and is released by SPI_finish at the end.
	 */
	SPI_connect();
	prepare_job(fcinfo, &J, 6, false, code, &row);

	m = J.fw.ni;
	score = palloc(sizeof(double) * (J.T.n + 1));
	z = palloc(sizeof(double) * ((size_t) J.T.n * m + 1));
	work = palloc(sizeof(double) * m);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_score(&J.fw.core, &J.data, &J.opt, score, NULL, NULL, z, &err), &err);
	zr = z + (size_t) row * m;
	sr_mat_aggregate_row(&J.fw.core, zr, NULL, NULL, J.opt.agg, as);
	lv = sr_mat_level(score[row], J.fw.lb, J.fw.nlev);

	/* effective weights: axis weight and indicator weight re-normalised
	 * over what is available (the re-weighting of sr_mat_aggregate_row) */
	axw = palloc0(sizeof(double) * J.fw.na);
	for (int j = 0; j < m; j++)
		if (!isnan(zr[j]))
			axw[J.fw.ind_axis[j]] += J.fw.iw[j];
	for (int a = 0; a < J.fw.na; a++)
		if (axw[a] > 0)
			asum += J.fw.aw[a];

	for (int j = 0; j < m; j++)
	{
		Datum		values[15];
		bool		nulls[15];
		int			a = J.fw.ind_axis[j];
		size_t		c = (size_t) row * m + j;
		double		raw = J.x[c];

		memset(nulls, 0, sizeof(nulls));
		if (isnan(score[row]))
			nulls[0] = nulls[1] = nulls[2] = true;
		else
		{
			values[0] = Float8GetDatum(score[row]);
			values[1] = Int32GetDatum(lv);
			if (lv >= 1)
				values[2] = CStringGetTextDatum(J.fw.lev_label[lv - 1]);
			else
				nulls[2] = true;
		}
		{
			int			k = 0;

			for (int jj = 0; jj < m; jj++)
				k += !isnan(J.x[(size_t) row * m + jj]);
			values[3] = Float8GetDatum((double) k / m);
		}
		values[4] = CStringGetTextDatum(J.fw.axis[a]);
		values[5] = CStringGetTextDatum(J.fw.ind[j]);
		values[6] = CStringGetTextDatum(J.fw.ind_label[j]);
		values[7] = CStringGetTextDatum(J.fw.ind_kind[j]);
		if (isnan(raw))
			nulls[8] = true;
		else
			values[8] = Float8GetDatum(raw);
		if (isnan(zr[j]))
		{
			nulls[9] = true;
			values[10] = Float8GetDatum(0.0);
			nulls[11] = true;
		}
		else
		{
			double		w = (J.fw.aw[a] / asum) * (J.fw.iw[j] / axw[a]);
			double		contrib;

			if (J.opt.agg == SR_MAT_AGG_GEOMETRIC)
			{
				/* share of ln(score + 1) = sum w ln(z + 1), times the score */
				double		ls = log(score[row] + 1.0);

				contrib = ls > 0 ? score[row] * w * log(zr[j] + 1.0) / ls : 0.0;
			}
			else
				contrib = w * zr[j];
			values[9] = Float8GetDatum(zr[j]);
			values[10] = Float8GetDatum(w);
			values[11] = Float8GetDatum(contrib);
		}
		values[12] = Float8GetDatum(sr_mat_gain(&J.fw.core, zr, j, J.opt.agg, work));
		if (!isnan(raw) && J.V.source[j])
			values[13] = CStringGetTextDatum(J.V.source[j]);
		else if (isnan(raw) && !isnan(zr[j]))
			values[13] = CStringGetTextDatum(J.opt.missing == SR_MAT_MISS_MEAN ?
											 "imputed: mean of the territory type" :
											 "imputed: nearest peer");
		else
			nulls[13] = true;
		if (isnan(raw) || J.V.year[c] == 0)
			nulls[14] = true;
		else
			values[14] = Int32GetDatum(J.V.year[c]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/* Bit mask of the methods named in a text[] (NULL elements rejected). */
static unsigned
method_mask(ArrayType *arr, int (*parse) (const char *))
{
	Datum	   *elems;
	bool	   *enulls;
	int			n;
	unsigned	mask = 0;

	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &n);
	for (int i = 0; i < n; i++)
	{
		if (enulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("Monte-Carlo method lists must not contain NULL")));
		mask |= 1u << parse(TextDatumGetCString(elems[i]));
	}
	return mask;
}

PG_FUNCTION_INFO_V1(sr_maturity_mc);
/* smartregion._maturity_mc(framework, year, runs, seed, weight_noise,
 * normalisations, aggregations, missing_methods, normalisation, aggregation,
 * missing, hub, territory_type). */
Datum
sr_maturity_mc(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MatJob		J;
	sr_mat_mc_options mc;
	double	   *ns,
			   *md,
			   *p5,
			   *p95;
	int		   *nr;
	sr_err		err;
	LOCAL_FCINFO(sub, 13);

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 2; i <= 7; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("Monte-Carlo parameters must not be NULL")));
	memset(&mc, 0, sizeof(mc));
	mc.runs = PG_GETARG_INT32(2);
	mc.seed = (uint64) PG_GETARG_INT64(3);
	mc.weight_noise = PG_GETARG_FLOAT8(4);
	if (mc.runs < 1 || mc.runs > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("runs must be between 1 and 100000, got %d", mc.runs)));
	if (!(mc.weight_noise >= 0.0 && mc.weight_noise < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("weight noise must be in [0, 1), got %g", mc.weight_noise)));
	mc.norm_mask = method_mask(PG_GETARG_ARRAYTYPE_P(5), parse_norm);
	mc.agg_mask = method_mask(PG_GETARG_ARRAYTYPE_P(6), parse_agg);
	mc.missing_mask = method_mask(PG_GETARG_ARRAYTYPE_P(7), parse_missing);
	if (mc.norm_mask == 0 || mc.agg_mask == 0 || mc.missing_mask == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("each Monte-Carlo method list needs at least one method")));

	/* reuse prepare_job with the argument layout of _maturity_eval */
	InitFunctionCallInfoData(*sub, NULL, 8, InvalidOid, NULL, NULL);
	sub->args[0] = fcinfo->args[0];
	sub->args[1] = fcinfo->args[1];
	for (int i = 2; i <= 6; i++)
		sub->args[i] = fcinfo->args[i + 6];
	memset(&J, 0, sizeof(J));
	/*
	 * Everything below lives in the SPI procedure context (SPI calls switch
	 * back to it) and is released by SPI_finish at the end.
	 */
	SPI_connect();
	prepare_job(sub, &J, 6, false, NULL, NULL);
	mc.nominal = J.opt;

	ns = palloc(sizeof(double) * (J.T.n + 1));
	md = palloc(sizeof(double) * (J.T.n + 1));
	p5 = palloc(sizeof(double) * (J.T.n + 1));
	p95 = palloc(sizeof(double) * (J.T.n + 1));
	nr = palloc(sizeof(int) * (J.T.n + 1));
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_uncertainty(&J.fw.core, &J.data, &mc, ns, nr, md, p5, p95, &err), &err);
	for (int t = 0; t < J.T.n; t++)
	{
		Datum		values[7];
		bool		nulls[7];

		memset(nulls, 0, sizeof(nulls));
		values[0] = CStringGetTextDatum(J.T.code[t]);
		values[1] = CStringGetTextDatum(type_names[J.T.type[t] < 0 ? 0 : J.T.type[t]]);
		values[2] = Float8GetDatum(ns[t]);
		nulls[2] = isnan(ns[t]);
		values[3] = Int32GetDatum(nr[t]);
		nulls[3] = nr[t] == 0;
		values[4] = Float8GetDatum(md[t]);
		nulls[4] = isnan(md[t]);
		values[5] = Float8GetDatum(p5[t]);
		nulls[5] = isnan(p5[t]);
		values[6] = Float8GetDatum(p95[t]);
		nulls[6] = isnan(p95[t]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	SPI_finish();
	return (Datum) 0;
}

/* float8[] to a C array (NULL elements -> NaN); returns the length. */
static int
float_array(ArrayType *arr, double **out)
{
	Datum	   *elems;
	bool	   *enulls;
	int			n;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("radar chart arrays must be one-dimensional")));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &enulls, &n);
	*out = palloc(sizeof(double) * (n + 1));
	for (int i = 0; i < n; i++)
		(*out)[i] = enulls[i] ? NAN : DatumGetFloat8(elems[i]);
	return n;
}

PG_FUNCTION_INFO_V1(sr_maturity_radar_chart);
/* smartregion.maturity_radar_chart(labels, scores, peers, title,
 * series_label, peers_label): SVG text. */
Datum
sr_maturity_radar_chart(PG_FUNCTION_ARGS)
{
	ArrayType  *la;
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
	la = PG_GETARG_ARRAYTYPE_P(0);
	if (ARR_NDIM(la) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("radar chart arrays must be one-dimensional")));
	deconstruct_array(la, TEXTOID, -1, false, TYPALIGN_INT, &le, &lnull, &nl);
	ns = float_array(PG_GETARG_ARRAYTYPE_P(1), &sc);
	if (!PG_ARGISNULL(2))
		np = float_array(PG_GETARG_ARRAYTYPE_P(2), &pe);
	if (ns != nl || (pe && np != nl))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("radar chart arrays must have the same length"),
				 errdetail("labels has %d elements, scores %d, peers %d.", nl, ns, pe ? np : nl)));
	labels = palloc(sizeof(char *) * (nl + 1));
	for (int i = 0; i < nl; i++)
		labels[i] = lnull[i] ? "" : TextDatumGetCString(le[i]);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_radar_svg(nl, labels, sc, pe,
									 PG_ARGISNULL(3) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(3)),
									 PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4)),
									 PG_ARGISNULL(5) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(5)),
									 &svg, &err), &err);
	res = cstring_to_text(svg);
	sr_free(svg);
	PG_RETURN_TEXT_P(res);
}
