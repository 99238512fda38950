/*
 * sr_economics.h — the economics of a PV system on a roof (docs/pv.md,
 * "Economics"): self-consumption and export hour by hour against a load
 * profile, a yearly cash flow over the lifetime, NPV, IRR, simple and
 * discounted payback, LCOE, CO2 avoided.
 *
 * Conventions: euros and kWh; money in real terms (the discount rate is
 * real, prices do not inflate unless retail_escalation_pct says so); year 0
 * is the investment, years 1..lifetime the operation; production degrades
 * by degradation_pct a year from year 2.
 */
#ifndef SR_ECONOMICS_H
#define SR_ECONOMICS_H

#include "sr_common.h"
#include "sr_options.h"

/* The options of pv_economics and of solar_cadastre's "economics" object.
 * NaN: not given, taken from the configuration table
 * (smartregion.pv_economic_parameters) for the system's size class. */
typedef struct sr_econ_opts
{
	double		retail_price;	/* EUR/kWh, what a self-consumed kWh saves */
	double		retail_escalation_pct;	/* real, per year */
	double		feed_in;		/* EUR/kWh exported */
	double		capex;			/* EUR/kWp, installed */
	double		premium;		/* EUR/kWp, self-consumption premium */
	double		premium_years;	/* paid over these years (premium_first_year_pct) */
	double		om;				/* EUR/kWp/year */
	double		inverter_cost;	/* EUR/kWp, once */
	double		inverter_year;	/* the year it is paid */
	double		discount_rate_pct;
	double		lifetime_years;
	double		contract_years;	/* the feed-in tariff's */
	double		post_contract_price;	/* EUR/kWh exported afterwards */
	double		emission_kg_kwh;	/* grid electricity displaced */
	double		annual_load_kwh;	/* the default household profile's total */
	double		utc_offset_h;	/* of the load profile's clock */
	double		degradation_pct;	/* NaN: the PV system's */
	double		premium_first_year_pct; /* share paid in year 1, the rest in
										 * equal parts over years 2..premium_years */
} sr_econ_opts;

extern const sr_optset sr_econ_optset;

/* Names of the parameters the configuration table may give (the options
 * above with a NaN default), in the order of the struct; *_class: by size. */
#define SR_ECON_NPARAM 18
extern const char *const sr_econ_param_names[SR_ECON_NPARAM];

/* Resolved inputs of one evaluation. */
typedef struct sr_econ_in
{
	double		kwp;
	int			n;				/* hours with production */
	const double *pv_kwh;		/* [n] first-year production of each hour */
	const double *load_kwh;		/* [n] the load in the same hours */
	double		load_total_kwh;	/* the year's whole load (all hours) */
	sr_econ_opts p;				/* every field resolved (no NaN) */
} sr_econ_in;

#define SR_ECON_MAX_YEARS 60
/* A year's production per kWp can be at most its rating in every hour of a
 * leap year; more is a unit error (sr_econ_evaluate refuses it). */
#define SR_ECON_MAX_KWH_KWP 8784.0

typedef struct sr_econ_result
{
	double		production_kwh, self_consumed_kwh, exported_kwh;	/* year 1 */
	double		self_consumption_pct;	/* of the production; NaN without */
	double		self_sufficiency_pct;	/* of the load; NaN without */
	double		investment_eur;
	double		premium_eur;	/* the premium the cash flow receives */
	double		premium_unpaid_eur;	/* its instalments after the lifetime,
									 * not counted (0: none) */
	int			premium_years_paid;	/* min(premium_years, lifetime) */
	double		savings_eur, export_revenue_eur, om_eur;	/* year 1 */
	double		npv_eur;
	double		irr_pct;		/* NaN: no rate makes the NPV zero */
	double		simple_payback_years, discounted_payback_years;	/* NaN: never */
	double		lcoe_eur_kwh;	/* before the premium */
	double		co2_avoided_kg_year, co2_avoided_t_lifetime;
	int			years;
	double		cashflow[SR_ECON_MAX_YEARS + 1];	/* [0..years], EUR */
} sr_econ_result;

sr_status	sr_econ_check(const sr_econ_opts *p, sr_err *err);
/* A row of the configuration table (smartregion.pv_economic_parameter),
 * checked when written: a parameter the table gives (not
 * degradation_pct_per_year), a class bound max_kwp > 0 (Infinity: every
 * size), and a value passing sr_econ_check's rule for it (range, whole
 * years, percentages typed as fractions).  SR_EINVAL or SR_ERANGE. */
sr_status	sr_econ_param_check(const char *name, double max_kwp, double value, sr_err *err);
/* The parameters in % typed as fractions (a discount rate of 0.03 %...);
 * NaN (not given) is skipped, so that options can be checked alone. */
sr_status	sr_econ_check_plausible(const sr_econ_opts *p, sr_err *err);
sr_status	sr_econ_evaluate(const sr_econ_in *in, sr_econ_result *out, sr_err *err);

/* Net present value of cash flows cf[0..n-1] (cf[y] at the end of year y). */
double		sr_econ_npv(const double *cf, int n, double rate);
/* The rate making the NPV zero: the first rate at which it falls through
 * zero scanning up from -90 % to 200 % in steps of 0.5 %, then doubling
 * 1 + rate (to about 5.5e19), then bisection to 1e-14 (relative beyond
 * 100 %); NaN when it does not fall through zero there. */
double		sr_econ_irr(const double *cf, int n);
/* Years until the cumulative (discounted at rate) cash flow turns >= 0,
 * linear within the year; NaN when it never does. */
double		sr_econ_payback(const double *cf, int n, double rate);

/* The load in each production hour from a profile: 8,760 (or 8,784) hourly
 * values of a year in local standard time (index 0 = 1 January 00:00-01:00,
 * UTC + utc_offset_h), or 288 = 12 x 24 values (kWh in each hour of an
 * average day of each month), or none (profile NULL: the documented
 * household profile scaled to annual_kwh).  ts: the end of each hour (unix
 * seconds, UTC).  *total: the load of the year the shares are taken of:
 * with whole_year (ts are every hour of one year, 8,760 or 8,784) the sum of
 * the loads of those hours, so that a leap year counts its 29 February (and
 * a profile's 29 February is not counted in a common year); otherwise (the
 * hours with light of a sky) the profile's year. */
sr_status	sr_econ_load(const double *ts, int n, const double *profile, int np,
						 double annual_kwh, double utc_offset_h, int whole_year,
						 double *load, double *total, sr_err *err);

/* The household default: kWh in hour h of an average day of month m
 * (0-based) for a year of 1 kWh. */
double		sr_econ_household(int month, int hour);

#endif							/* SR_ECONOMICS_H */
