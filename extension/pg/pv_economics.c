/*
 * pv_economics.c — entry points of the PV economics (docs/pv.md,
 * "Economics"): pv_economics on a production profile or on a sky, and the
 * economics column of solar_cadastre.  The defaults come from the
 * configuration view smartregion.pv_economic_parameters (French values with
 * their source and date, editable by the DBA), read through the query
 * reader as the caller; the work is the core's
 * (extension/core/pv_economics.c).
 */
#include "sr_pg.h"
#include "sr_economics.h"
#include "sr_pv_glue.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"

#include "sr_pv_econ_glue.h"

static const sr_qcol param_cols[] = {
	{"name", SR_Q_TEXT, SR_Q_NOTNULL},
	{"max_kwp", SR_Q_FLOAT8, SR_Q_NOTNULL},
	{"value", SR_Q_FLOAT8, SR_Q_NOTNULL},
};

/* The configuration rows, read once per call. */
void
sr_econ_table_read(FunctionCallInfo fcinfo, sr_econ_table *t)
{
	char	   *schema = get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid));
	sr_query	q = {"smartregion.pv_economic_parameters", NULL, param_cols, lengthof(param_cols)};
	sr_qresult	r;

	sr_require_schema_usage(fcinfo);	/* a clear 42501 before the read */
	q.sql = psprintf("SELECT name, max_kwp, value FROM %s.pv_economic_parameters",
					 quote_identifier(schema));
	sr_query_read(&q, &r);
	t->n = (int) r.nrows;
	t->name = SR_QVAL(&r, 0, char *);
	t->max_kwp = SR_QVAL(&r, 1, double);
	t->value = SR_QVAL(&r, 2, double);
}

/* Every option not given from the table, for the size class of kwp (the
 * row of the smallest max_kwp >= kwp); *class_kwp: the feed-in tariff's. */
void
sr_econ_resolve(const sr_econ_table *t, const sr_econ_opts *given, double kwp,
				double degradation_pct, sr_econ_opts *out, double *class_kwp)
{
	double	   *v = (double *) out;
	sr_err		err;

	*out = *given;
	*class_kwp = NAN;
	for (int k = 0; k < SR_ECON_NPARAM; k++)
	{
		int			best = -1;

		if (!isnan(v[k]))
			continue;
		if (strcmp(sr_econ_param_names[k], "degradation_pct_per_year") == 0)
		{
			v[k] = degradation_pct;
			continue;
		}
		for (int i = 0; i < t->n; i++)
			if (strcmp(t->name[i], sr_econ_param_names[k]) == 0 && t->max_kwp[i] >= kwp &&
				(best < 0 || t->max_kwp[i] < t->max_kwp[best]))
				best = i;
		if (best < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("economic parameter \"%s\" has no value for %g kWp", sr_econ_param_names[k], kwp),
					 errdetail("Neither the options nor smartregion.pv_economic_parameters give it."),
					 errhint("Pass it in the options, or insert a row (origin 'dba') into smartregion.pv_economic_parameter.")));
		v[k] = t->value[best];
		if (strcmp(sr_econ_param_names[k], "feed_in_eur_kwh") == 0)
			*class_kwp = t->max_kwp[best];
	}
	sr_err_clear(&err);
	if (sr_econ_check(out, &err) != SR_OK)
		sr_raise(&err);
}

/* Options of a jsonb argument (NULL: none), checked before any work: a
 * percentage typed as a fraction is refused here, not at the first roof of
 * a cadastre. */
void
sr_econ_opts_arg(Jsonb *jb, sr_econ_opts *o)
{
	sr_err		err;

	sr_options_read(jb, &sr_econ_optset, o, "options");
	sr_err_clear(&err);
	if (sr_econ_check_plausible(o, &err) != SR_OK)
		sr_raise(&err);
}

void
sr_econ_unpaid_notice(const char *fn, const sr_econ_result *r, int faces, double unpaid_eur)
{
	if (faces > 0)
		ereport(NOTICE,
				(errmsg("%s: the self-consumption premium of %d roof %s is paid over more years than their lifetime: %.2f EUR of its instalments are not counted",
						fn, faces, faces == 1 ? "face" : "faces", unpaid_eur),
				 errdetail("The cash flow ends with lifetime_years; the premium's instalments of the years after it are left out, as the rest of those years is."),
				 errhint("Give a lifetime_years of at least premium_years (5 under S21 from 9 to 100 kWp) to count all of the premium.")));
	else if (r->premium_unpaid_eur > 0)
		ereport(NOTICE,
				(errmsg("%s: %.2f EUR of the self-consumption premium fall after the lifetime of %d years and are not counted",
						fn, r->premium_unpaid_eur, r->years),
				 errdetail("The premium of %.2f EUR is paid over more than %d years; the cash flow, which ends with the last year of operation, receives %.2f EUR of it.",
						   r->premium_eur + r->premium_unpaid_eur, r->years, r->premium_eur),
				 errhint("Give a lifetime_years of at least premium_years (5 under S21 from 9 to 100 kWp) to count all of the premium.")));
}

/* A float8[] argument as doubles (no NULL element). */
static double *
float_array(ArrayType *a, const char *param, int *n)
{
	Datum	   *d;
	bool	   *nulls;
	double	   *v;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", param)));
	deconstruct_array(a, FLOAT8OID, 8, FLOAT8PASSBYVAL, 'd', &d, &nulls, n);
	v = palloc(sizeof(double) * Max(*n, 1));
	for (int i = 0; i < *n; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s has a NULL element at position %d", param, i + 1)));
		v[i] = DatumGetFloat8(d[i]);
	}
	return v;
}

/* pv_kwp in (0, 1e6]: a system of 0 kWp has no economics (its IRR came
 * out -90 %, its payback 0 years, the production of pv_kwh given for free) */
static void
require_kwp(double kwp)
{
	sr_require_finite(kwp, "pv_kwp");
	if (!(kwp > 0 && kwp <= 1e6))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("parameter \"pv_kwp\" is out of range: %g", kwp),
				 errdetail("The accepted range is (0, 1e+06] kWp: a system of 0 kWp has no economics.")));
}

/* The evaluation of one system: production per hour (kWh, ts the end of
 * each hour), a load profile (NULL: the household default). */
void
sr_econ_run(const sr_econ_opts *p, double kwp, const double *ts, const double *pv, int n,
			const double *load_profile, int nload, bool whole_year, sr_econ_result *res)
{
	sr_econ_in	in;
	double	   *load = palloc(sizeof(double) * Max(n, 1));
	sr_err		err;

	sr_err_clear(&err);
	if (sr_econ_load(ts, n, load_profile, nload, p->annual_load_kwh, p->utc_offset_h, whole_year, load,
					 &in.load_total_kwh, &err) != SR_OK)
		sr_raise(&err);
	in.kwp = kwp;
	in.n = n;
	in.pv_kwh = pv;
	in.load_kwh = load;
	in.p = *p;
	if (sr_econ_evaluate(&in, res, &err) != SR_OK)
		sr_raise(&err);
}

PG_FUNCTION_INFO_V1(sr_fn_pv_economic_parameter_check);
/* _pv_economic_parameter_check(name, max_kwp, value): the CHECK constraint
 * of a row of pv_economic_parameter, the run's rule in the core
 * (sr_econ_param_check); true, or the error of the bad value. */
Datum
sr_fn_pv_economic_parameter_check(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	sr_err		err;

	sr_err_clear(&err);
	if (sr_econ_param_check(name, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2), &err) != SR_OK)
		sr_raise(&err);
	PG_RETURN_BOOL(true);
}

#define ECON_NCOLS 20
/* The result's values; NaN is NULL, and so is an infinity, except the size
 * class of a composite result (json_inf false): the class above the last
 * bound is the table's max_kwp 'Infinity', which joins back to
 * pv_economic_parameters (JSON has no infinity: null there). */
static void
econ_values(const sr_econ_result *r, double kwp, double class_kwp, bool json_inf, Datum *v,
			bool *nulls)
{
	double		x[ECON_NCOLS - 1] = {kwp, class_kwp, r->production_kwh, r->self_consumed_kwh,
		r->exported_kwh, r->self_consumption_pct, r->self_sufficiency_pct, r->investment_eur,
		r->premium_eur, r->savings_eur, r->export_revenue_eur, r->om_eur, r->npv_eur, r->irr_pct,
		r->simple_payback_years, r->discounted_payback_years, r->lcoe_eur_kwh,
		r->co2_avoided_kg_year, r->co2_avoided_t_lifetime};
	Datum	   *cf = palloc(sizeof(Datum) * (r->years + 1));

	for (int i = 0; i < ECON_NCOLS - 1; i++)
	{
		v[i] = Float8GetDatum(x[i]);
		nulls[i] = isnan(x[i]) || (isinf(x[i]) && (json_inf || i != 1));
	}
	for (int y = 0; y <= r->years; y++)
		cf[y] = Float8GetDatum(r->cashflow[y]);
	v[ECON_NCOLS - 1] = PointerGetDatum(construct_array(cf, r->years + 1, FLOAT8OID, 8,
														FLOAT8PASSBYVAL, 'd'));
	nulls[ECON_NCOLS - 1] = false;
}

static const char *const econ_keys[ECON_NCOLS - 1] = {
	"pv_kwp", "size_class_max_kwp", "production_kwh", "self_consumed_kwh", "exported_kwh",
	"self_consumption_pct", "self_sufficiency_pct", "investment_eur", "premium_eur",
	"savings_eur_year1", "export_revenue_eur_year1", "om_eur_year", "npv_eur", "irr_pct",
	"simple_payback_years", "discounted_payback_years", "lcoe_eur_kwh", "co2_avoided_kg_year",
	"co2_avoided_t_lifetime"
};

/* The same as a jsonb object (solar_cadastre's economics column). */
Datum
sr_econ_jsonb(const sr_econ_result *r, double kwp, double class_kwp)
{
	Datum		v[ECON_NCOLS];
	bool		nulls[ECON_NCOLS];
	StringInfoData b;

	econ_values(r, kwp, class_kwp, true, v, nulls);
	initStringInfo(&b);
	appendStringInfoChar(&b, '{');
	for (int i = 0; i < ECON_NCOLS - 1; i++)
	{
		if (i)
			appendStringInfoString(&b, ", ");
		if (nulls[i])
			appendStringInfo(&b, "\"%s\": null", econ_keys[i]);
		else
		{
			/* the shortest digits that read back to the same double, as
			 * float8out: "%.17g" wrote 34.199999999999982 for the column
			 * pv_kwp's 34.19999999999998 */
			char		num[DOUBLE_SHORTEST_DECIMAL_LEN];

			double_to_shortest_decimal_buf(DatumGetFloat8(v[i]), num);
			appendStringInfo(&b, "\"%s\": %s", econ_keys[i], num);
		}
	}
	appendStringInfoChar(&b, '}');
	return DirectFunctionCall1(jsonb_in, CStringGetDatum(b.data));
}

static Datum
econ_tuple(FunctionCallInfo fcinfo, const sr_econ_result *r, double kwp, double class_kwp)
{
	TupleDesc	td;
	Datum		v[ECON_NCOLS];
	bool		nulls[ECON_NCOLS];

	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	econ_values(r, kwp, class_kwp, false, v, nulls);
	return HeapTupleGetDatum(heap_form_tuple(td, v, nulls));
}

PG_FUNCTION_INFO_V1(sr_fn_pv_economics);
/* smartregion.pv_economics(pv_kwp, pv_kwh float8[], load_kwh float8[],
 * options): production and load as 8,760 (8,784) hourly values of a year in
 * local standard time or 12 x 24 average days */
Datum
sr_fn_pv_economics(PG_FUNCTION_ARGS)
{
	double		kwp,
				class_kwp,
				start;
	double	   *pv_in,
			   *load = NULL,
			   *ts,
			   *pv;
	int			npv,
				nload = 0,
				nh;
	sr_econ_opts given,
				p;
	sr_econ_table t;
	sr_pv_system sys;
	sr_econ_result r;
	sr_err		err;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	kwp = PG_GETARG_FLOAT8(0);
	require_kwp(kwp);
	pv_in = float_array(PG_GETARG_ARRAYTYPE_P(1), "pv_kwh", &npv);
	if (npv != 8760 && npv != 8784 && npv != 288)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pv_kwh has %d values, expected 8760 or 8784 hourly values or 288 (12 months x 24 hours)", npv)));
	if (!PG_ARGISNULL(2))
		load = float_array(PG_GETARG_ARRAYTYPE_P(2), "load_kwh", &nload);
	sr_econ_opts_arg(PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3), &given);
	sr_pv_defaults(&sys);
	sr_econ_table_read(fcinfo, &t);
	sr_econ_resolve(&t, &given, kwp, sys.degradation_pct, &p, &class_kwp);
	/* the hours of a year on the profiles' clock: 2019 (2020 for 8,784) */
	nh = npv == 8784 ? 8784 : 8760;
	start = (npv == 8784 ? 1577836800.0 : 1546300800.0) - p.utc_offset_h * 3600.0;
	ts = palloc(sizeof(double) * nh);
	pv = palloc(sizeof(double) * nh);
	for (int i = 0; i < nh; i++)
		ts[i] = start + 3600.0 * (i + 1);
	/* every form checked here, so that a bad value of 288 is named as
	 * pv_kwh's (sr_econ_load would call it the load profile's) */
	for (int i = 0; i < npv; i++)
		if (!(pv_in[i] >= 0) || !isfinite(pv_in[i]))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("pv_kwh value %d is negative or not finite: %g", i + 1, pv_in[i])));
	if (npv == 288)
	{
		double		tot;

		sr_err_clear(&err);
		if (sr_econ_load(ts, nh, pv_in, 288, 0, p.utc_offset_h, 1, pv, &tot, &err) != SR_OK)
			sr_raise(&err);
	}
	else
		memcpy(pv, pv_in, sizeof(double) * nh);
	sr_econ_run(&p, kwp, ts, pv, nh, load, nload, true, &r);
	sr_econ_unpaid_notice("pv_economics", &r, 0, 0);
	PG_RETURN_DATUM(econ_tuple(fcinfo, &r, kwp, class_kwp));
}

PG_FUNCTION_INFO_V1(sr_fn_pv_economics_sky);
/* smartregion.pv_economics(sky, surface_tilt, surface_azimuth, pv_kwp,
 * horizon, system, load_kwh, options, albedo): the production of the
 * fast path, hour by hour of the sky's year */
Datum
sr_fn_pv_economics_sky(PG_FUNCTION_ARGS)
{
	double		tilt,
				az,
				kwp,
				albedo,
				class_kwp;
	sr_horizon_v *h = NULL;
	sr_pv_system sys;
	sr_pv_cache *c;
	sr_pv_result pr;
	sr_econ_opts given,
				p;
	sr_econ_table t;
	sr_econ_result r;
	double	   *load = NULL,
			   *hv,
			   *ts;
	int			nload = 0,
				n;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(8))
		PG_RETURN_NULL();
	tilt = PG_GETARG_FLOAT8(1);
	az = PG_GETARG_FLOAT8(2);
	kwp = PG_GETARG_FLOAT8(3);
	albedo = PG_GETARG_FLOAT8(8);
	sr_require_range(tilt, "surface_tilt", 0, 90);
	sr_require_range(az, "surface_azimuth", -360, 360);
	require_kwp(kwp);
	sr_require_range(albedo, "albedo", 0, 1);
	if (az < 0)
		az += 360;
	if (!PG_ARGISNULL(4))
		h = PG_GETARG_HORIZON_COLUMNS(4);
	sr_pv_system_arg(fcinfo, 5, &sys);
	if (!PG_ARGISNULL(6))
		load = float_array(PG_GETARG_ARRAYTYPE_P(6), "load_kwh", &nload);
	sr_econ_opts_arg(PG_ARGISNULL(7) ? NULL : PG_GETARG_JSONB_P(7), &given);
	c = sr_pv_cache_get(fcinfo, PG_GETARG_DATUM(0), h ? h->n : 72, albedo, &sys, NULL);
	if (!sr_pv_cache_pv(c))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("pv_economics: the sky has no hourly weather (a sky of version 2)"),
				 errhint("Build the sky again with sky_from_epw() or sky_agg().")));
	sr_pv_cache_notice(c, "pv_economics");
	n = sr_pv_prep_nrec(sr_pv_cache_pv(c));
	hv = palloc(sizeof(double) * Max(n, 1));
	ts = palloc(sizeof(double) * Max(n, 1));
	sr_pv_cache_face(c, tilt, az, h ? h->elev : NULL, &pr, hv);
	sr_pv_prep_hours(sr_pv_cache_pv(c), ts);
	for (int i = 0; i < n; i++)
		hv[i] *= kwp;
	sr_econ_table_read(fcinfo, &t);
	sr_econ_resolve(&t, &given, kwp, sys.degradation_pct, &p, &class_kwp);
	sr_econ_run(&p, kwp, ts, hv, n, load, nload, false, &r);
	sr_econ_unpaid_notice("pv_economics", &r, 0, 0);
	PG_RETURN_DATUM(econ_tuple(fcinfo, &r, kwp, class_kwp));
}
