/*
 * services.c — entry points of the services built on the families
 * (issue 21) that need C: the nearest tiers-lieu of every unit
 * (tierslieux_coverage's search, core tierslieux_coverage.c) and the radar
 * chart with last year's polygon overlaid (core maturity_radar.c).
 *
 * The query arguments are read by the shared reader (query.c); points cross
 * as EWKB and are read by the core's WKB reader; the search is the core's.
 */
#include "sr_pg.h"

#include <math.h>

#include "sr_coverage.h"
#include "sr_maturity.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

static const sr_qcol unit_cols[] = {
	{"unit_code", SR_Q_TEXT, SR_Q_NOTNULL},
	{"population", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"location", SR_Q_GEOMETRY, SR_Q_OPTIONAL},
	{"lon", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"lat", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"name", SR_Q_TEXT, SR_Q_OPTIONAL},
	{"epci_code", SR_Q_TEXT, SR_Q_OPTIONAL},
	{"departement_code", SR_Q_TEXT, SR_Q_OPTIONAL},
	{"region_code", SR_Q_TEXT, SR_Q_OPTIONAL},
};
enum
{
	U_CODE, U_POP, U_LOC, U_LON, U_LAT, U_NAME, U_EPCI, U_DEP, U_REG
};

static const sr_qcol premise_cols[] = {
	{"id", SR_Q_INT8, SR_Q_NOTNULL},
	{"location", SR_Q_GEOMETRY, SR_Q_OPTIONAL},
	{"lon", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"lat", SR_Q_FLOAT8, SR_Q_OPTIONAL},
	{"station", SR_Q_BOOL, SR_Q_OPTIONAL},
};
enum
{
	P_ID, P_LOC, P_LON, P_LAT, P_STATION
};

static const sr_qcol travel_cols[] = {
	{"unit_code", SR_Q_TEXT, SR_Q_NOTNULL},
	{"premise_id", SR_Q_INT8, SR_Q_NOTNULL},
	{"minutes", SR_Q_FLOAT8, SR_Q_NOTNULL},
};

/*
 * Longitude and latitude of row i of a query with a "location" geometry
 * column and/or "lon", "lat" columns; NaN when the row has neither.  A
 * location in another SRID than 4326 is transformed (the SRID policy's
 * "place on Earth"); SRID 0 locates nothing.
 */
static void
row_lonlat(const sr_qresult *r, int64 i, int cloc, int clon, int clat,
		   const char *param, double *lon, double *lat)
{
	*lon = *lat = NAN;
	if (r->present[cloc] && !SR_QNULL(r, cloc, i))
	{
		const sr_qgeom *g = &SR_QVAL(r, cloc, sr_qgeom)[i];
		sr_wkb_header h;
		double		x,
					y,
					z;
		int			hz;
		sr_err		err;

		sr_err_clear(&err);
		if (sr_wkb_read_header(g->wkb, g->len, &h, &err) != SR_OK)
			sr_raise(&err);
		if (h.type != SR_WKB_POINT)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("column \"location\" of %s must hold points, row %lld does not", param,
							(long long) i + 1),
					 errhint("Use ST_PointOnSurface(geom) for a polygon.")));
		if (sr_wkb_read_point(g->wkb, g->len, &x, &y, &z, &hz, &err) != SR_OK)
			sr_raise(&err);
		if (h.srid == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("column \"location\" of %s has no SRID; a place on Earth is required", param),
					 errhint("Give the points their SRID, e.g. ST_SetSRID(ST_MakePoint(lon, lat), 4326).")));
		if (h.srid != 4326)
			sr_srid_to_lonlat(h.srid, x, y, lon, lat, psprintf("row %lld of %s", (long long) i + 1, param));
		else
		{
			*lon = x;
			*lat = y;
		}
		return;
	}
	if (r->present[clon] && r->present[clat] && !SR_QNULL(r, clon, i) && !SR_QNULL(r, clat, i))
	{
		*lon = SR_QVAL(r, clon, double)[i];
		*lat = SR_QVAL(r, clat, double)[i];
		if (!isfinite(*lon) || !isfinite(*lat))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_EXCEPTION),
					 errmsg("row %lld of %s has a non-finite lon or lat", (long long) i + 1, param)));
	}
}

static Datum
text_or_null(const sr_qresult *r, int c, int64 i, bool *isnull)
{
	*isnull = !r->present[c] || SR_QNULL(r, c, i);
	return *isnull ? (Datum) 0 : CStringGetTextDatum(SR_QVAL(r, c, char *)[i]);
}

PG_FUNCTION_INFO_V1(sr_fn_tierslieux_nearest);
/*
 * smartregion._tierslieux_nearest(units_sql, premises_sql, travel_sql,
 * search_path, fn): for every unit, the nearest ordinary premise, the nearest
 * station coworking and the nearest of all, in km (great circle) or, with
 * travel_sql, in minutes; fn is the function the user called.
 */
Datum
sr_fn_tierslieux_nearest(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sr_query	uq = {"units_sql", NULL, unit_cols, lengthof(unit_cols)};
	sr_query	pq = {"premises_sql", NULL, premise_cols, lengthof(premise_cols)};
	sr_query	tq = {"travel_sql", NULL, travel_cols, lengthof(travel_cols)};
	sr_qresult	u,
				p,
				t;
	int64		nu,
				np;
	int64	   *pid,
			   *near_id,
			   *st_id;
	double	   *plon,
			   *plat,
			   *near_d,
			   *st_d;
	bool	   *pst;
	sr_err		err;
	sr_status	st;

	int			nest = -1;
	int64	   *all_id;
	double	   *all_d,
			   *pop;
	bool	   *pop_given;

	/* the function the user called names the call in the memory error:
	 * tierslieux_coverage, or the plugin tierslieux_access_indicator, whose
	 * queries are its own (argument 4, from the plpgsql wrapper) */
	const char *fn = PG_ARGISNULL(4) ? "tierslieux_coverage" : sr_text_arg(fcinfo, 4);
	bool		plugin = strcmp(fn, "tierslieux_coverage") != 0;
	sr_qbudget	budget = {fn, plugin ?
		"The indicator covers every commune with a contour against every premise of the hub: raise smartregion.max_call_memory for it." :
		"Cover one region or departement at a time (options \"region\", \"departement\", or units_sql and travel_sql filtered likewise), each call reading every premise, or raise smartregion.max_call_memory.",
	0, 0, -1, 0, 0, 0};

	sr_require_arg(fcinfo, 0, "units_sql");
	sr_require_arg(fcinfo, 1, "premises_sql");
	InitMaterializedSRF(fcinfo, 0);
	uq.sql = sr_text_arg(fcinfo, 0);
	pq.sql = sr_text_arg(fcinfo, 1);
	/* the hubs the texts read, under the search_path they run in, before any
	 * runs (called directly too: _tierslieux_coverage checked them first) */
	sr_query_hub_guard(fcinfo, fn, (const int[]) {0, 1, 2}, 3,
					   PG_ARGISNULL(3) ? NULL : sr_text_arg(fcinfo, 3));
	/* the caller's queries run in the caller's search_path (the plpgsql
	 * wrapper pins its own), restored once they are read; an error restores
	 * it too (transaction abort) */
	if (!PG_ARGISNULL(3))
	{
		nest = NewGUCNestLevel();
		(void) set_config_option("search_path", sr_text_arg(fcinfo, 3), PGC_USERSET, PGC_S_SESSION,
								 GUC_ACTION_SAVE, true, 0, false);
	}
	/* the units, the premises and the travel times are held until the
	 * search ends, the three queries together: the rule of each
	 * (sr_coverage.h) bounds the rows kept; their points are fixed-size */
	uq.budget = pq.budget = tq.budget = &budget;
	budget.row_bytes = SR_COV_HOLD_UNIT;
	sr_query_read(&uq, &u);
	budget.row_bytes = SR_COV_HOLD_PREMISE;
	sr_query_read(&pq, &p);
	if (!PG_ARGISNULL(2))
	{
		tq.sql = sr_text_arg(fcinfo, 2);
		budget.row_bytes = SR_COV_HOLD_TRAVEL;
		sr_query_read(&tq, &t);
	}
	if (nest >= 0)
		AtEOXact_GUC(true, nest);
	nu = u.nrows;
	np = p.nrows;
	pid = SR_QVAL(&p, P_ID, int64);
	plon = palloc_array(double, np + 1);
	plat = palloc_array(double, np + 1);
	pst = palloc0_array(bool, np + 1);
	for (int64 i = 0; i < np; i++)
	{
		row_lonlat(&p, i, P_LOC, P_LON, P_LAT, "premises_sql", &plon[i], &plat[i]);
		pst[i] = p.present[P_STATION] && !SR_QNULL(&p, P_STATION, i) && SR_QVAL(&p, P_STATION, bool)[i];
	}
	near_id = palloc_array(int64, nu + 1);
	st_id = palloc_array(int64, nu + 1);
	near_d = palloc_array(double, nu + 1);
	st_d = palloc_array(double, nu + 1);
	all_id = palloc_array(int64, nu + 1);
	all_d = palloc_array(double, nu + 1);
	pop = palloc0_array(double, nu + 1);
	pop_given = palloc0_array(bool, nu + 1);
	for (int64 i = 0; i < nu; i++)
		if (u.present[U_POP] && !SR_QNULL(&u, U_POP, i))
		{
			pop[i] = SR_QVAL(&u, U_POP, double)[i];
			pop_given[i] = true;
		}
	sr_err_clear(&err);
	if (PG_ARGISNULL(2))
	{
		double	   *ulon = palloc_array(double, nu + 1),
				   *ulat = palloc_array(double, nu + 1);

		for (int64 i = 0; i < nu; i++)
			row_lonlat(&u, i, U_LOC, U_LON, U_LAT, "units_sql", &ulon[i], &ulat[i]);
		/* the units' rules (codes unique, populations, a location each) */
		st = sr_cov_check_units(nu, (const char *const *) SR_QVAL(&u, U_CODE, char *), pop, pop_given,
								ulon, ulat, &err);
		if (st == SR_OK)
			st = sr_cov_nearest(nu, ulon, ulat, np, pid, plon, plat, pst,
								(int64_t *) near_id, near_d, (int64_t *) st_id, st_d,
								(int64_t *) all_id, all_d, &err);
	}
	else
	{
		st = sr_cov_check_units(nu, (const char *const *) SR_QVAL(&u, U_CODE, char *), pop, pop_given,
								NULL, NULL, &err);
		if (st == SR_OK)
			st = sr_cov_travel(nu, (const char *const *) SR_QVAL(&u, U_CODE, char *), np, pid, pst,
							   t.nrows, (const char *const *) SR_QVAL(&t, 0, char *),
							   SR_QVAL(&t, 1, int64), SR_QVAL(&t, 2, double),
							   (int64_t *) near_id, near_d, (int64_t *) st_id, st_d,
							   (int64_t *) all_id, all_d, &err);
	}
	SR_CHECK_STATUS(st, &err);

	for (int64 i = 0; i < nu; i++)
	{
		Datum		v[12];
		bool		n[12] = {0};

		v[0] = CStringGetTextDatum(SR_QVAL(&u, U_CODE, char *)[i]);
		v[1] = text_or_null(&u, U_NAME, i, &n[1]);
		n[2] = !u.present[U_POP] || SR_QNULL(&u, U_POP, i);
		v[2] = n[2] ? (Datum) 0 : Float8GetDatum(SR_QVAL(&u, U_POP, double)[i]);
		v[3] = text_or_null(&u, U_EPCI, i, &n[3]);
		v[4] = text_or_null(&u, U_DEP, i, &n[4]);
		v[5] = text_or_null(&u, U_REG, i, &n[5]);
		n[6] = isnan(near_d[i]);
		v[6] = Int64GetDatum(near_id[i]);
		n[7] = n[6];
		v[7] = Float8GetDatum(near_d[i]);
		n[8] = isnan(st_d[i]);
		v[8] = Int64GetDatum(st_id[i]);
		n[9] = n[8];
		v[9] = Float8GetDatum(st_d[i]);
		n[10] = isnan(all_d[i]);
		v[10] = Int64GetDatum(all_id[i]);
		n[11] = n[10];
		v[11] = Float8GetDatum(all_d[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, n);
	}
	return (Datum) 0;
}

/* float8[] argument n (NULL elements -> NaN), its length in *len; NULL when
 * the argument is NULL */
static double *
float_arg(FunctionCallInfo fcinfo, int n, int *len, const char *param)
{
	ArrayType  *arr;
	Datum	   *e;
	bool	   *en;
	double	   *out;

	*len = 0;
	if (PG_ARGISNULL(n))
		return NULL;
	arr = PG_GETARG_ARRAYTYPE_P(n);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", param)));
	deconstruct_array(arr, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &e, &en, len);
	out = palloc_array(double, *len + 1);
	for (int i = 0; i < *len; i++)
		out[i] = en[i] ? NAN : DatumGetFloat8(e[i]);
	return out;
}

PG_FUNCTION_INFO_V1(sr_fn_maturity_radar_overlay);
/*
 * smartregion._maturity_radar_overlay(labels, scores, peers, previous,
 * title, series_label, peers_label, previous_label): the radar chart of
 * maturity_radar_chart with a third, dotted polygon (an earlier year).
 */
Datum
sr_fn_maturity_radar_overlay(PG_FUNCTION_ARGS)
{
	ArrayType  *la;
	Datum	   *le;
	bool	   *lnull;
	int			nl,
				ns,
				np,
				nq;
	double	   *sc,
			   *pe,
			   *pr;
	const char **labels;
	char	   *svg;
	sr_err		err;
	text	   *res;

	sr_require_arg(fcinfo, 0, "labels");
	sr_require_arg(fcinfo, 1, "scores");
	la = PG_GETARG_ARRAYTYPE_P(0);
	if (ARR_NDIM(la) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("labels must be a one-dimensional array")));
	deconstruct_array(la, TEXTOID, -1, false, TYPALIGN_INT, &le, &lnull, &nl);
	sc = float_arg(fcinfo, 1, &ns, "scores");
	pe = float_arg(fcinfo, 2, &np, "peers");
	pr = float_arg(fcinfo, 3, &nq, "previous");
	if (ns != nl || (pe && np != nl) || (pr && nq != nl))
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("radar chart arrays must have the same length"),
				 errdetail("labels has %d elements, scores %d, peers %d, previous %d.",
						   nl, ns, pe ? np : nl, pr ? nq : nl)));
	labels = palloc(sizeof(char *) * (nl + 1));
	for (int i = 0; i < nl; i++)
		labels[i] = lnull[i] ? "" : TextDatumGetCString(le[i]);
	sr_err_clear(&err);
	SR_CHECK_STATUS(sr_mat_radar_svg_ex(nl, labels, sc, pe, pr, sr_text_arg(fcinfo, 4), sr_text_arg(fcinfo, 5),
										sr_text_arg(fcinfo, 6), sr_text_arg(fcinfo, 7), &svg, &err), &err);
	res = cstring_to_text(svg);
	sr_free(svg);
	PG_RETURN_TEXT_P(res);
}
