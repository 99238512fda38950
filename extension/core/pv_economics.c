/*
 * pv_economics.c — the economics of a PV system (sr_economics.h,
 * docs/pv.md "Economics"): its options, the default household load
 * profile, self-consumption hour by hour, the yearly cash flow and its
 * indicators.
 *
 * The cash flow of year y (1..lifetime), for a production degraded by
 * (1 - d)^(y-1) hour by hour:
 *   savings   = self-consumed kWh x retail price x (1 + escalation)^(y-1)
 *   export    = exported kWh x feed-in tariff (years <= contract), then the
 *               post-contract price
 *   premium   = premium x kWp x premium_first_year_pct in year 1, the rest in
 *               equal parts over years 2..premium_years (S21 since November
 *               2022: 80 % then 4 x 5 % from 9 to 100 kWp; all at once below);
 *               the instalments after the lifetime are not counted
 *   - O&M x kWp, - the inverter's replacement in its year
 * year 0: - capex x kWp.  NPV at the discount rate, IRR (the rate making the
 * NPV zero), simple and discounted payback (linear within the year), LCOE =
 * (capex + discounted O&M and replacement) / discounted production (before
 * the premium, a subsidy), CO2 avoided = production x the grid's emission
 * factor.
 */
#include "sr_economics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define O(f) offsetof(sr_econ_opts, f)
#define P(nm, f, lo, hi, un, mean) \
	{nm, SR_OPT_NUMBER, O(f), lo, hi, NAN, .unit = un, .flags = SR_OPTF_NODEFAULT, .meaning = mean}
/* a count of years (or a year): a whole number, a fraction is refused */
#define Y(nm, f, lo, hi, un, mean) \
	{nm, SR_OPT_NUMBER, O(f), lo, hi, NAN, .unit = un, .flags = SR_OPTF_NODEFAULT | SR_OPTF_WHOLE, .meaning = mean}
static const sr_optspec econ_specs[] = {
	P("retail_price_eur_kwh", retail_price, 0, 5, "EUR/kWh", "what a self-consumed kWh saves (table: the regulated retail price)"),
	P("retail_escalation_pct", retail_escalation_pct, -10, 20, "%/year", "real yearly change of the retail price, in percent (2 for 2 %/year; 0 none; closer to 0 than 0.2 refused as a fraction, 22023)"),
	P("feed_in_eur_kwh", feed_in, 0, 5, "EUR/kWh", "tariff of the exported surplus (table: by size class)"),
	P("capex_eur_per_kwp", capex, 0, 20000, "EUR/kWp", "installed cost (table: by size class)"),
	P("premium_eur_per_kwp", premium, 0, 5000, "EUR/kWp", "self-consumption premium (table: by size class)"),
	Y("premium_years", premium_years, 1, 20, "years", "the premium is paid over these first years: premium_first_year_pct in the first, the rest in equal parts over the others; 1: at once; the instalments after lifetime_years are not counted (NOTICE) (table: by size class)"),
	P("om_eur_per_kwp_year", om, 0, 1000, "EUR/kWp/year", "operation and maintenance (table: by size class)"),
	P("inverter_replacement_eur_per_kwp", inverter_cost, 0, 5000, "EUR/kWp", "cost of replacing the inverter (table: by size class)"),
	Y("inverter_replacement_year", inverter_year, 0, 60, "year", "the year it is replaced (0: never)"),
	P("discount_rate_pct", discount_rate_pct, -5, 30, "%", "real discount rate of the NPV, the discounted payback and the LCOE, in percent (3 for 3 %; 0 none; closer to 0 than 0.2 refused as a fraction, 22023)"),
	Y("lifetime_years", lifetime_years, 1, 60, "years", "years of operation"),
	Y("contract_years", contract_years, 0, 60, "years", "duration of the feed-in contract"),
	P("post_contract_price_eur_kwh", post_contract_price, 0, 5, "EUR/kWh", "value of an exported kWh after the contract"),
	P("grid_emission_kg_kwh", emission_kg_kwh, 0, 2, "kgCO2e/kWh", "emissions of the grid electricity a PV kWh displaces"),
	P("annual_load_kwh", annual_load_kwh, 0, 1e7, "kWh", "yearly consumption of the default household profile"),
	P("utc_offset_h", utc_offset_h, -14, 14, "h", "clock of the load profile: local standard time = UTC + this"),
	P("degradation_pct_per_year", degradation_pct, 0, 5, "%/year", "output loss per year, in percent (default: the PV system's; between 0 and 0.05 refused as a fraction, 22023)"),
	P("premium_first_year_pct", premium_first_year_pct, 0, 100, "%", "share of the premium paid in the first year when premium_years > 1, in percent, the rest in equal parts over the next years (table: S21, 80 from 9 to 100 kWp; between 0 and 1 refused as a fraction, 22023)"),
};
#undef Y
#undef P
#undef O

const sr_optset sr_econ_optset = {
	"pv_economics", "option", econ_specs, sizeof(econ_specs) / sizeof(econ_specs[0])
};

const char *const sr_econ_param_names[SR_ECON_NPARAM] = {
	"retail_price_eur_kwh", "retail_escalation_pct", "feed_in_eur_kwh", "capex_eur_per_kwp",
	"premium_eur_per_kwp", "premium_years", "om_eur_per_kwp_year",
	"inverter_replacement_eur_per_kwp", "inverter_replacement_year", "discount_rate_pct",
	"lifetime_years", "contract_years", "post_contract_price_eur_kwh", "grid_emission_kg_kwh",
	"annual_load_kwh", "utc_offset_h", "degradation_pct_per_year", "premium_first_year_pct"
};

/*
 * Parameters in % typed as fractions: inside their ranges, but not what was
 * meant.  A real discount rate of 3 % typed 0.03 discounted at 0.03 % and a
 * retail escalation of 2 %/year typed 0.02 escalated by 0.02 %; both options
 * are in percent (their names end in _pct, docs/pv.md's table gives 3 and
 * 0).  Any fraction of a rate within the options' ranges (up to 30 and 20 %)
 * is below 0.3 in absolute value; a rate closer to 0 than 0.2 % and not 0 is
 * refused: a rate of 1 to 19.9 % typed as a fraction, while a rate that small
 * on purpose (0.1 % real a year: 2.5 % over 25 years) is as good as 0, which
 * stays accepted.  The degradation (as the PV system's, pv_model.c) and the
 * premium's first-year share (80 % typed 0.8) likewise.  NaN (an option not
 * given) is skipped, so the options can be checked before the table is read.
 */
sr_status
sr_econ_check_plausible(const sr_econ_opts *p, sr_err *err)
{
	static const struct
	{
		size_t		off;
		const char *name, *what, *unit, *detail;
		double		lo, hi;		/* refused: lo < |v| < hi */
	}			rules[] = {
		{offsetof(sr_econ_opts, discount_rate_pct), "discount_rate_pct", "discount rate", "percent a year",
		 "A real discount rate is some percent a year (the table's default: 3); 0 means no discounting.", 0, 0.2},
		{offsetof(sr_econ_opts, retail_escalation_pct), "retail_escalation_pct", "escalation rate", "percent a year",
		 "A real yearly change of the retail price is some percent a year, or 0 (the table's default: no change).", 0, 0.2},
		{offsetof(sr_econ_opts, degradation_pct), "degradation_pct_per_year", "degradation rate", "percent a year",
		 "Measured rates are about 0.2 to 1 % a year, median 0.5 (Jordan & Kurtz 2013); 0 means none.", 0, 0.05},
		{offsetof(sr_econ_opts, premium_first_year_pct), "premium_first_year_pct", "first-year share of the premium", "percent",
		 "The share of the premium paid in the first year is in percent: 80 under S21 from 9 to 100 kWp, 100 all at once.", 0, 1},
	};

	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
	{
		double		v = *(const double *) ((const char *) p + rules[i].off);

		if (isnan(v) || !(fabs(v) > rules[i].lo && fabs(v) < rules[i].hi))
			continue;
		sr_error(err, SR_EINVAL, "economic parameter \"%s\" %g is not a plausible %s", rules[i].name, v, rules[i].what);
		sr_error_detail(err, "%s A value other than 0 closer to 0 than %g is taken for a fraction and refused.",
						rules[i].detail, rules[i].hi);
		sr_error_hint(err, "The parameter is in %s: %g as a fraction is written %g.", rules[i].unit, v, v * 100.0);
		return SR_EINVAL;
	}
	return SR_OK;
}

/* The range and whole-number rule of parameter i (econ_specs' order) at v. */
static sr_status
econ_check_value(int i, double v, sr_err *err)
{
	const sr_optspec *s = &econ_specs[i];

	if (!(v >= s->min && v <= s->max))
	{
		sr_error(err, SR_ERANGE, "economic parameter \"%s\" is out of range: %g", s->name, v);
		sr_error_detail(err, "The accepted range is [%g, %g] %s.", s->min, s->max, s->unit);
		return SR_ERANGE;
	}
	/*
	 * A count of years with a fraction (25.5 from a DBA's row of the
	 * table; the options parser refuses it first) was rounded silently
	 * (lround: 25.5 years ran 26); refused as the options' integers are.
	 */
	if ((s->flags & SR_OPTF_WHOLE) && v != floor(v))
	{
		sr_error(err, SR_EINVAL, "economic parameter \"%s\" must be an integer: %g", s->name, v);
		sr_error_detail(err, "The cash flow counts whole years; a fraction of a year is not modelled.");
		return SR_EINVAL;
	}
	return SR_OK;
}

sr_status
sr_econ_check(const sr_econ_opts *p, sr_err *err)
{
	const double *v = (const double *) p;
	sr_status	st;

	for (int i = 0; i < SR_ECON_NPARAM; i++)
		if ((st = econ_check_value(i, v[i], err)) != SR_OK)
			return st;
	if (p->lifetime_years > SR_ECON_MAX_YEARS)
		return sr_error(err, SR_ERANGE, "economic parameter \"lifetime_years\" is out of range: %g",
						p->lifetime_years);
	return sr_econ_check_plausible(p, err);
}

/*
 * One row of the configuration table, checked when it is written (its
 * CHECK constraint) by the rule the run applies to the value it takes
 * (sr_econ_check): a DBA's bad row was found only when a cadastre reached
 * its first roof of that class, and stopped the whole run.  The table does
 * not give degradation_pct_per_year (the PV system's; a row of it was never
 * read).
 */
sr_status
sr_econ_param_check(const char *name, double max_kwp, double value, sr_err *err)
{
	int			k = -1;
	sr_econ_opts o;

	for (int i = 0; i < SR_ECON_NPARAM; i++)
		if (strcmp(name, sr_econ_param_names[i]) == 0 &&
			strcmp(name, "degradation_pct_per_year") != 0)
			k = i;
	if (k < 0)
	{
		sr_error(err, SR_EINVAL, "unrecognized economic parameter \"%s\"", name);
		sr_error_detail(err, "The table gives the defaults of the options of pv_economics, except degradation_pct_per_year (the PV system's).");
		{
			char		list[SR_ERRMSG_LEN] = "";
			size_t		len = 0;

			/* the names the table gives, from the one list */
			for (int i = 0; i < SR_ECON_NPARAM && len < sizeof(list); i++)
				if (strcmp(sr_econ_param_names[i], "degradation_pct_per_year") != 0)
					len += snprintf(list + len, sizeof(list) - len, "%s%s",
									len ? ", " : "", sr_econ_param_names[i]);
			sr_error_hint(err, "The parameters of the table are %s.", list);
		}
		return SR_EINVAL;
	}
	/* the class's upper bound: a positive number of kWp, Infinity for every size */
	if (!(max_kwp > 0))
	{
		sr_error(err, SR_ERANGE, "size class max_kwp of economic parameter \"%s\" is not a positive number: %g",
				 name, max_kwp);
		sr_error_detail(err, "max_kwp is the upper bound of the class in kWp; Infinity is every size.");
		return SR_ERANGE;
	}
	{
		sr_status	st = econ_check_value(k, value, err);

		if (st != SR_OK)
			return st;
	}
	/* the whole-row rules of sr_econ_check, on this value alone */
	for (int i = 0; i < SR_ECON_NPARAM; i++)
		((double *) &o)[i] = NAN;
	((double *) &o)[k] = value;
	if (!isnan(o.lifetime_years) && o.lifetime_years > SR_ECON_MAX_YEARS)
		return sr_error(err, SR_ERANGE, "economic parameter \"lifetime_years\" is out of range: %g",
						o.lifetime_years);
	return sr_econ_check_plausible(&o, err);
}

/* ---------- the default household ---------- */

/* A synthetic profile of a French household without electric heating,
 * shaped after the features of Enedis's residential profiles (a night base,
 * a morning and an evening peak, more consumption in winter; these are not
 * Enedis's coefficients): a relative daily consumption per month and the
 * share of each hour of the day (local standard time) for October-March and
 * April-September.  docs/pv.md prints them. */
static const double month_weight[12] = {1.32, 1.28, 1.12, 0.98, 0.88, 0.82, 0.80, 0.76, 0.86, 0.98, 1.18, 1.34};
static const double winter_day[24] = {
	0.030, 0.026, 0.024, 0.023, 0.023, 0.025, 0.035, 0.050, 0.050, 0.040, 0.036, 0.036,
	0.040, 0.038, 0.034, 0.033, 0.036, 0.046, 0.062, 0.068, 0.066, 0.058, 0.048, 0.039
};
static const double summer_day[24] = {
	0.033, 0.029, 0.027, 0.026, 0.026, 0.027, 0.033, 0.043, 0.045, 0.040, 0.039, 0.040,
	0.045, 0.043, 0.040, 0.039, 0.040, 0.046, 0.054, 0.058, 0.060, 0.060, 0.053, 0.043
};
static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

double
sr_econ_household(int month, int hour)
{
	double		year = 0.0, ws = 0.0, ss = 0.0;
	const double *day;

	for (int h = 0; h < 24; h++)
	{
		ws += winter_day[h];
		ss += summer_day[h];
	}
	for (int m = 0; m < 12; m++)
		year += mdays[m] * month_weight[m];
	day = (month >= 3 && month <= 8) ? summer_day : winter_day;
	return month_weight[month] * day[hour] / ((month >= 3 && month <= 8) ? ss : ws) / year;
}

sr_status
sr_econ_load(const double *ts, int n, const double *profile, int np, double annual_kwh,
			 double utc_offset_h, int whole_year, double *load, double *total, sr_err *err)
{
	static const int cum[13] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

	if (profile && np != 8760 && np != 8784 && np != 288)
		return sr_error(err, SR_EINVAL, "a load profile has 8760, 8784 or 288 values, got %d", np);
	for (int i = 0; profile && i < np; i++)
		if (!(profile[i] >= 0) || !isfinite(profile[i]))
			return sr_error(err, SR_EINVAL, "load profile value %d is negative or not finite: %g",
							i + 1, profile[i]);
	*total = 0.0;
	if (!profile)
		*total = annual_kwh;
	else if (np == 288)
		for (int m = 0; m < 12; m++)
			for (int h = 0; h < 24; h++)
				*total += mdays[m] * profile[m * 24 + h];
	else
		for (int i = 0; i < np; i++)
			*total += profile[i];
	for (int i = 0; i < n; i++)
	{
		/* the start of the hour on the profile's clock */
		time_t		t = (time_t) floor(ts[i] - 3600.0 + utc_offset_h * 3600.0 + 0.5);
		struct tm	tm;
		int			m, d, h, doy;

		gmtime_r(&t, &tm);
		m = tm.tm_mon;
		d = tm.tm_mday;
		h = tm.tm_hour;
		if (!profile)
			load[i] = annual_kwh * sr_econ_household(m, h);
		else if (np == 288)
			load[i] = profile[m * 24 + h];
		else
		{
			/* a TMY mixes years: the calendar day of the profile's year */
			doy = cum[m] + d - 1;
			if (np == 8784 && m >= 2)
				doy++;
			if (np == 8760 && m == 1 && d == 29)
				doy = 58;		/* 29 February: the 28th */
			load[i] = profile[doy * 24 + h];
		}
	}

	/*
	 * Every hour of one year: the shares are of the load of those hours.
	 * The profile's own year was used, so that 8,784 hours of the household
	 * (4,515.4 kWh with 29 February against its 4,500) covered 100.34 % of
	 * it, and a profile's 29 February counted in a common year's load.
	 */
	if (whole_year)
	{
		*total = 0.0;
		for (int i = 0; i < n; i++)
			*total += load[i];
	}
	return SR_OK;
}

/* ---------- indicators ---------- */

double
sr_econ_npv(const double *cf, int n, double rate)
{
	double		v = 0.0, f = 1.0;

	for (int y = 0; y < n; y++)
	{
		v += cf[y] / f;
		f *= 1.0 + rate;
	}
	return v;
}

/* The root of the NPV in [lo, hi], where it is > 0 at lo and < 0 at hi:
 * bisection to 1e-14 (relative beyond a rate of 100 %, and relative to
 * 1 + rate below -90 %, where the flows are divided by a tiny 1 + rate). */
static double
irr_bisect(const double *cf, int n, double lo, double hi)
{
	for (int i = 0; i < 400 && hi - lo > 1e-14 * (lo < -0.9 ? 1.0 + lo : fmax(1.0, lo)); i++)
	{
		double		mid = 0.5 * (lo + hi), fm;

		if (mid == lo || mid == hi)
			break;				/* adjacent doubles */
		fm = sr_econ_npv(cf, n, mid);
		if (fm == 0)
			return mid;
		if (fm > 0)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

double
sr_econ_irr(const double *cf, int n)
{
	/* the first rate at which the NPV falls through zero, scanning up from
	 * -90 % (steps of 0.5 %, to 200 %, then doubling 1 + rate), then
	 * bisection: the root of a conventional cash flow (one sign change) is
	 * unique; flows that turn negative again (after the contract: O&M
	 * without revenue) also have a rising root at a very negative rate,
	 * which is not a return */
	double		lo = -0.9, flo = sr_econ_npv(cf, n, lo);
	int			nonzero = 0;

	/* a flow of zeros (no investment, no revenue) has an NPV of 0 at every
	 * rate: no return, rather than the scan's first rate, -90 % */
	for (int y = 0; y < n; y++)
		nonzero |= cf[y] != 0;
	if (!nonzero)
		return NAN;
	if (flo == 0)
		return lo;
	for (int k = 1; k <= 580 + 64; k++)
	{
		/*
		 * Beyond 200 % the scan doubles 1 + rate (up to 2^64 x 3): a cheap
		 * system (a DBA's capex of 50 EUR/kWp, a subsidised one) has a
		 * return above 200 %, which the scan that stopped there reported
		 * as none (NULL) while its NPV was still positive.  The NPV of a
		 * flow that starts with an investment tends to it as the rate
		 * grows, so there the NPV does fall through zero.
		 */
		double		hi = k <= 580 ? -0.9 + 0.005 * k : 2.0 * (1.0 + lo) - 1.0,
					fhi = sr_econ_npv(cf, n, hi);

		if (!isfinite(fhi))
			return NAN;
		if (fhi == 0 && flo > 0)
			return hi;
		if (flo > 0 && fhi < 0)
			return irr_bisect(cf, n, lo, hi);
		lo = hi;
		flo = fhi;
	}

	/*
	 * Below -90 %: a system that gives back a small part of its cost (one
	 * year at 50 of 1,000 invested: 1 + r = 0.05, -95 %) has its NPV still
	 * negative at -90 %, where the scan starts, and was reported as NULL.
	 * With an NPV < 0 at -90 % and no root above, halve 1 + rate (down to
	 * about 1e-300) until the NPV is positive, then bisect: the NPV of a
	 * flow whose last non-zero flow is a gain tends to +infinity as the
	 * rate nears -100 %.  NaN remains when the NPV never turns positive
	 * (no gain at all, a last flow that is a loss) or overflows first.
	 */
	lo = -0.9;
	flo = sr_econ_npv(cf, n, lo);
	if (!(flo < 0))
		return NAN;
	for (int k = 1; k <= 1000; k++)
	{
		double		x = 0.1 * ldexp(1.0, -k),	/* 1 + rate */
					r = x - 1.0,
					f;

		if (!(x > 0) || r == -1.0)
			break;
		f = sr_econ_npv(cf, n, r);
		if (!isfinite(f))
			return NAN;
		if (f == 0)
			return r;
		if (f > 0)
			return irr_bisect(cf, n, r, lo);
		lo = r;
	}
	return NAN;
}

double
sr_econ_payback(const double *cf, int n, double rate)
{
	double		cum = cf[0], f = 1.0;

	if (cum >= 0)
		return 0.0;
	for (int y = 1; y < n; y++)
	{
		double		v;

		f *= 1.0 + rate;
		v = cf[y] / f;
		if (cum + v >= 0 && v > 0)
			return (y - 1) + (-cum) / v;
		cum += v;
	}
	return NAN;
}

sr_status
sr_econ_evaluate(const sr_econ_in *in, sr_econ_result *out, sr_err *err)
{
	const sr_econ_opts *p = &in->p;
	sr_status	st;
	int			years, py, iy;
	double		r, d, disc = 1.0, num, den = 0.0, prem_1, prem_y;

	memset(out, 0, sizeof(*out));
	if ((st = sr_econ_check(p, err)) != SR_OK)
		return st;
	/* a system of 0 kWp costs and yields nothing: no economics to give */
	if (!(in->kwp > 0) || !isfinite(in->kwp))
		return sr_error(err, SR_ERANGE, "installed power %g kWp is not a positive number", in->kwp);
	/*
	 * A year's production above the modules' rating in every hour of a leap
	 * year (kWp x 8,784 h) cannot be: the best sites give about a quarter of
	 * it.  It is a unit error (Wh given as kWh, or MW as kWp), which went
	 * through as a system paying back in days.
	 */
	{
		double		year1 = 0.0;

		for (int i = 0; i < in->n; i++)
			year1 += in->pv_kwh[i];
		if (year1 > in->kwp * SR_ECON_MAX_KWH_KWP)
		{
			sr_error(err, SR_EINVAL, "production of %g kWh a year is more than %g kWp can give",
					 year1, in->kwp);
			sr_error_detail(err, "That is %.0f kWh/kWp; %g kWp at full power in every hour of a leap year give %g kWh.",
							year1 / in->kwp, in->kwp, in->kwp * SR_ECON_MAX_KWH_KWP);
			sr_error_hint(err, "The production is in kWh of the whole system and the power in kWp: check for Wh or MW.");
			return SR_EINVAL;
		}
	}
	/* whole numbers (sr_econ_check) */
	years = (int) p->lifetime_years;
	py = (int) p->premium_years;
	iy = (int) p->inverter_year;
	r = p->discount_rate_pct / 100.0;
	d = p->degradation_pct / 100.0;
	out->years = years;
	out->investment_eur = p->capex * in->kwp;
	/* S21 (since 1 November 2022): up to 9 kWp at once; 9-100 kWp 80 % after
	 * the first year, then 5 % a year for four years */
	prem_1 = py > 1 ? p->premium * in->kwp * p->premium_first_year_pct / 100.0 : p->premium * in->kwp;
	prem_y = py > 1 ? (p->premium * in->kwp - prem_1) / (py - 1) : 0.0;

	/*
	 * The instalments of the years after lifetime_years are not counted, as
	 * nothing else after the last year is: lifetime_years is the horizon
	 * of the analysis, and the cash flow ends with it (whether S21 still
	 * pays an instalment for a system taken down is not modelled).
	 * premium_eur is what the cash flow receives; the rest is reported
	 * (premium_unpaid_eur, the glue's NOTICE).  A lifetime shorter than
	 * S21's 5 years of premium was refused for the systems of 9 to 100 kWp,
	 * which made a whole cadastre fail on that class of roofs.
	 */
	out->premium_eur = py <= years ? p->premium * in->kwp : prem_1 + prem_y * (years - 1);
	out->premium_unpaid_eur = py > years ? prem_y * (py - years) : 0.0;
	out->premium_years_paid = py < years ? py : years;
	out->cashflow[0] = -out->investment_eur;
	num = out->investment_eur;
	for (int y = 1; y <= years; y++)
	{
		double		f = pow(1.0 - d, y - 1), prod = 0.0, sc = 0.0, ex, cost;

		for (int i = 0; i < in->n; i++)
		{
			double		pv = in->pv_kwh[i] * f;

			prod += pv;
			sc += pv < in->load_kwh[i] ? pv : in->load_kwh[i];
		}
		ex = prod - sc;
		cost = p->om * in->kwp + (y == iy ? p->inverter_cost * in->kwp : 0.0);
		out->cashflow[y] = sc * p->retail_price * pow(1.0 + p->retail_escalation_pct / 100.0, y - 1) +
			ex * (y <= p->contract_years ? p->feed_in : p->post_contract_price) +
			(y == 1 ? prem_1 : y <= py ? prem_y : 0.0) - cost;
		disc *= 1.0 + r;
		num += cost / disc;
		den += prod / disc;
		out->co2_avoided_t_lifetime += prod * p->emission_kg_kwh / 1000.0;
		if (y == 1)
		{
			out->production_kwh = prod;
			out->self_consumed_kwh = sc;
			out->exported_kwh = ex;
			out->savings_eur = sc * p->retail_price;
			out->export_revenue_eur = ex * (1 <= p->contract_years ? p->feed_in : p->post_contract_price);
			out->om_eur = p->om * in->kwp;
			out->co2_avoided_kg_year = prod * p->emission_kg_kwh;
		}
	}
	/*
	 * A share of nothing is no share: with no production (a face in the
	 * shade all year) or no load the 0/0 was reported as 0 %, a share that
	 * was measured; NaN (NULL in SQL, null in the cadastre's jsonb).
	 */
	out->self_consumption_pct = out->production_kwh > 0 ? 100.0 * out->self_consumed_kwh / out->production_kwh : NAN;
	out->self_sufficiency_pct = in->load_total_kwh > 0 ? 100.0 * out->self_consumed_kwh / in->load_total_kwh : NAN;
	out->npv_eur = sr_econ_npv(out->cashflow, years + 1, r);
	out->irr_pct = 100.0 * sr_econ_irr(out->cashflow, years + 1);
	out->simple_payback_years = sr_econ_payback(out->cashflow, years + 1, 0.0);
	out->discounted_payback_years = sr_econ_payback(out->cashflow, years + 1, r);
	out->lcoe_eur_kwh = den > 0 ? num / den : NAN;
	return SR_OK;
}
