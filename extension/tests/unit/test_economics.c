/*
 * test_economics.c — unit tests of the PV economics (pv_economics.c): a
 * case worked on paper to the cent, IRRs with known roots, the load
 * profiles' alignment, zero export under a larger load.
 *
 * The paper case: 2 kWp at 300 EUR/kWp (600 EUR), premium 100 EUR/kWp paid
 * in year 1, two production hours of 1,000 and 500 kWh against loads of
 * 600 and 800 kWh, retail 0.20 EUR/kWh, feed-in 0.10 EUR/kWh for 3 years
 * then 0.05, O&M 10 EUR/kWp/year, inverter 100 EUR/kWp in year 2, 5 %,
 * 4 years.  Self-consumed 600 + 500 = 1,100 kWh, exported 400:
 *   CF = -600, 220 + 40 + 200 - 20 = 440, 220 + 40 - 20 - 200 = 40, 240,
 *        220 + 20 - 20 = 220
 *   NPV = -600 + 440/1.05 + 40/1.05^2 + 240/1.05^3 + 220/1.05^4 = 243.64
 *   simple payback: -600 + 440 + 40 = -120 after 2 years, + 240: 2.5 years
 *   discounted: -144.671 after 2 years, + 207.321: 2.6978 years
 *   IRR 23.97690 %, LCOE (600 + O&M and inverter discounted) / discounted
 *   production = 0.1602438 EUR/kWh (Python, decimal arithmetic).
 * With 5 %/year degradation the years 2-4 produce 950 + 475, 902.5 + 451.25
 * and 857.375 + 428.6875 kWh and self-consume 1,075, 1,051.25 and 1,028.6875:
 * CF 440, 30, 220.5, 198.60625, NPV 200.128547, IRR 21.13137 %, simple
 * payback 2 + 130 / 220.5 = 2.5895692 years.
 */
#include "sr_test.h"
#include "sr_economics.h"
#include "sr_options.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sr_econ_opts
paper_opts(double degradation)
{
	sr_econ_opts p;

	p.retail_price = 0.20;
	p.retail_escalation_pct = 0;
	p.feed_in = 0.10;
	p.capex = 300;
	p.premium = 100;
	p.premium_years = 1;
	p.om = 10;
	p.inverter_cost = 100;
	p.inverter_year = 2;
	p.discount_rate_pct = 5;
	p.lifetime_years = 4;
	p.contract_years = 3;
	p.post_contract_price = 0.05;
	p.emission_kg_kwh = 0.052;
	p.annual_load_kwh = 4500;
	p.utc_offset_h = 1;
	p.degradation_pct = degradation;
	p.premium_first_year_pct = 80;
	return p;
}

/* The premium's schedule (S21 from November 2022): 80 % in year 1, then 5 %
 * a year for four years; against the premium at once (200 EUR), over a
 * lifetime of 5 years: -40 in year 1, +10 in years 2 to 5, the whole premium
 * paid (-40 + 4 x 10 = 0).  Over a lifetime of 4 years, year 5's 10 EUR
 * fall after the last year: not counted, and reported. */
static void
test_premium_schedule(void)
{
	const double pv[2] = {1000, 500}, load[2] = {600, 800};
	sr_econ_in	once = {2.0, 2, pv, load, 3400, paper_opts(0)}, s21;
	sr_econ_result a, b;
	sr_err		err;
	double		paid = 0;

	sr_err_clear(&err);
	once.p.lifetime_years = 5;
	s21 = once;
	s21.p.premium_years = 5;
	SR_CHECK(sr_econ_evaluate(&once, &a, &err) == SR_OK && sr_econ_evaluate(&s21, &b, &err) == SR_OK,
			 "premium at once and over 5 years evaluate");
	SR_CHECK_CLOSE(b.cashflow[1] - a.cashflow[1], -40, 1e-9, "S21 premium: 80 % in year 1");
	SR_CHECK_CLOSE(b.cashflow[2] - a.cashflow[2], 10, 1e-9, "S21 premium: 5 % in year 2");
	SR_CHECK_CLOSE(b.cashflow[4] - a.cashflow[4], 10, 1e-9, "S21 premium: 5 % in year 4");
	SR_CHECK_CLOSE(b.cashflow[5] - a.cashflow[5], 10, 1e-9, "S21 premium: 5 % in year 5");
	for (int y = 1; y <= 5; y++)
		paid += b.cashflow[y] - a.cashflow[y];
	SR_CHECK_CLOSE(paid, 0, 1e-9, "S21 premium: paid whole over the 5 years");
	/*
	 * A lifetime of 4 years: year 5's instalment falls after the last year
	 * and is not counted (it was refused, which failed a whole cadastre on
	 * its roofs of 9 to 100 kWp); premium_eur is what the flow receives,
	 * 160 + 3 x 10 = 190, and the 10 EUR left out are reported.
	 */
	once.p.lifetime_years = 4;
	s21.p.lifetime_years = 4;
	SR_CHECK(sr_econ_evaluate(&once, &a, &err) == SR_OK && sr_econ_evaluate(&s21, &b, &err) == SR_OK,
			 "premium over 5 years, lifetime 4: evaluated");
	SR_CHECK_CLOSE(b.cashflow[1] - a.cashflow[1], -40, 1e-9, "lifetime 4: 80 % in year 1");
	SR_CHECK_CLOSE(b.cashflow[4] - a.cashflow[4], 10, 1e-9, "lifetime 4: 5 % in year 4");
	SR_CHECK(b.years == 4, "lifetime 4: 4 years of flow");
	SR_CHECK_CLOSE(b.premium_eur, 190, 1e-9, "lifetime 4: 190 EUR of the premium received");
	SR_CHECK_CLOSE(b.premium_unpaid_eur, 10, 1e-9, "lifetime 4: year 5's 10 EUR not counted");
	SR_CHECK(b.premium_years_paid == 4 && a.premium_unpaid_eur == 0, "lifetime 4: 4 instalments paid; at once: none left");
	s21.p.lifetime_years = 2;
	SR_CHECK(sr_econ_evaluate(&s21, &b, &err) == SR_OK && fabs(b.premium_unpaid_eur - 30) < 1e-9 &&
			 fabs(b.premium_eur - 170) < 1e-9, "lifetime 2: years 3 to 5, 30 EUR, not counted");
	s21.p.lifetime_years = 4;
	s21.p.premium = 0;
	SR_CHECK(sr_econ_evaluate(&s21, &b, &err) == SR_OK && b.premium_unpaid_eur == 0,
			 "no premium: nothing left out");
	s21.p.premium = 100;
	s21.p.premium_first_year_pct = 100;
	SR_CHECK(sr_econ_evaluate(&s21, &b, &err) == SR_OK && b.premium_unpaid_eur == 0 &&
			 fabs(b.premium_eur - 200) < 1e-9, "all the premium in year 1: nothing left out");
	sr_err_clear(&err);
}

static void
test_paper_case(void)
{
	const double pv[2] = {1000, 500}, load[2] = {600, 800};
	sr_econ_in	in = {2.0, 2, pv, load, 3400, paper_opts(0)};
	sr_econ_result r;
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "paper case evaluates");
	{
		/* a system of 0 kWp is refused: nothing invested, the production
		 * given for free */
		sr_econ_in	z = in;
		sr_econ_result rz;

		z.kwp = 0;
		SR_CHECK(sr_econ_evaluate(&z, &rz, &err) == SR_ERANGE, "0 kWp refused");
		z.kwp = NAN;
		SR_CHECK(sr_econ_evaluate(&z, &rz, &err) == SR_ERANGE, "NaN kWp refused");
		sr_err_clear(&err);
	}
	{
		/* a unit error: the paper's production in Wh (1e6 + 5e5 for 2 kWp,
		 * 750,000 kWh/kWp) or its power in MW (0.002: the same); the bound
		 * is kWp x 8,784 h: 1 kWp may give 8,784 kWh, not 8,784.01 */
		const double wh[2] = {1e6, 5e5}, full[1] = {8784}, over[1] = {8784.01}, l1[1] = {0};
		sr_econ_in	u = in;
		sr_econ_result ru;

		u.pv_kwh = wh;
		SR_CHECK(sr_econ_evaluate(&u, &ru, &err) == SR_EINVAL && strstr(err.msg, "2 kWp") &&
				 strstr(err.detail, "750000 kWh/kWp"), "production in Wh refused");
		sr_err_clear(&err);
		u = in;
		u.kwp = 0.002;
		SR_CHECK(sr_econ_evaluate(&u, &ru, &err) == SR_EINVAL, "power in MW refused");
		sr_err_clear(&err);
		u = in;
		u.kwp = 1;
		u.n = 1;
		u.load_kwh = l1;
		u.pv_kwh = full;
		SR_CHECK(sr_econ_evaluate(&u, &ru, &err) == SR_OK, "8,784 kWh from 1 kWp accepted");
		u.pv_kwh = over;
		SR_CHECK(sr_econ_evaluate(&u, &ru, &err) == SR_EINVAL, "8,784.01 kWh from 1 kWp refused");
		sr_err_clear(&err);
	}
	SR_CHECK_CLOSE(r.self_consumed_kwh, 1100, 1e-9, "self-consumed 600 + 500 kWh");
	SR_CHECK_CLOSE(r.exported_kwh, 400, 1e-9, "exported 400 kWh");
	SR_CHECK_CLOSE(r.self_consumption_pct, 100.0 * 1100 / 1500, 1e-9, "self-consumption share");
	SR_CHECK_CLOSE(r.self_sufficiency_pct, 100.0 * 1100 / 3400, 1e-9, "self-sufficiency share");
	SR_CHECK_CLOSE(r.cashflow[0], -600, 1e-9, "year 0: the investment");
	SR_CHECK_CLOSE(r.cashflow[1], 440, 1e-9, "year 1: savings + export + premium - O&M");
	SR_CHECK_CLOSE(r.cashflow[2], 40, 1e-9, "year 2: with the inverter");
	SR_CHECK_CLOSE(r.cashflow[3], 240, 1e-9, "year 3");
	SR_CHECK_CLOSE(r.cashflow[4], 220, 1e-9, "year 4: after the contract");
	SR_CHECK_CLOSE(r.npv_eur, 243.64, 0.005, "NPV 243.64 EUR to the cent");
	SR_CHECK_CLOSE(r.simple_payback_years, 2.5, 1e-12, "simple payback 2.5 years");
	SR_CHECK_CLOSE(r.discounted_payback_years, 2.6978125, 1e-9, "discounted payback 2.6978 years");
	SR_CHECK_CLOSE(r.irr_pct, 23.97689684, 1e-6, "IRR 23.9769 %");
	SR_CHECK_CLOSE(r.lcoe_eur_kwh, 0.1602438058, 1e-9, "LCOE 0.16024 EUR/kWh");
	SR_CHECK_CLOSE(r.co2_avoided_kg_year, 1500 * 0.052, 1e-9, "CO2 avoided in year 1: 1,500 kWh x 0.052");
	SR_CHECK_CLOSE(r.co2_avoided_t_lifetime, 4 * 1500 * 0.052 / 1000, 1e-12, "CO2 avoided over 4 years");
	SR_CHECK_CLOSE(r.investment_eur, 600, 1e-12, "investment");
	SR_CHECK_CLOSE(r.premium_eur, 200, 1e-12, "premium");

	in.p = paper_opts(5);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "paper case with degradation evaluates");
	SR_CHECK_CLOSE(r.cashflow[2], 30, 1e-9, "year 2: 1,075 kWh self-consumed, 350 exported");
	SR_CHECK_CLOSE(r.cashflow[3], 220.5, 1e-9, "year 3: 1,051.25 and 302.5");
	SR_CHECK_CLOSE(r.cashflow[4], 198.60625, 1e-9, "year 4: 1,028.6875 and 257.375 after the contract");
	SR_CHECK_CLOSE(r.npv_eur, 200.13, 0.005, "NPV with degradation 200.13 EUR to the cent");
	SR_CHECK_CLOSE(r.irr_pct, 21.13136553, 1e-6, "IRR with degradation 21.1314 %");
	SR_CHECK_CLOSE(r.simple_payback_years, 2.5895691610, 1e-9, "simple payback with degradation");
}

/*
 * The shares of nothing: no production makes the self-consumption share
 * 0/0 and no load the self-sufficiency share 0/0; both were reported as
 * 0 %, a share that was measured.  They are NaN (NULL in SQL); a share of
 * something that is none of it stays 0.
 */
static void
test_empty_shares(void)
{
	const double zero[2] = {0, 0}, pv[2] = {1000, 500}, load[2] = {600, 800};
	sr_econ_in	nopv = {2.0, 2, zero, load, 3400, paper_opts(0)};
	sr_econ_in	noload = {2.0, 2, pv, zero, 0, paper_opts(0)};
	sr_econ_result r;
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_econ_evaluate(&nopv, &r, &err) == SR_OK, "no production evaluates");
	SR_CHECK(isnan(r.self_consumption_pct), "no production: self-consumption share of nothing is NaN, not 0 %");
	SR_CHECK(r.self_sufficiency_pct == 0.0, "no production: self-sufficiency 0 % of a load of 3,400 kWh");
	SR_CHECK(isnan(r.lcoe_eur_kwh), "no production: no LCOE (cost over 0 kWh)");
	SR_CHECK(isnan(r.irr_pct) && isnan(r.simple_payback_years) && isnan(r.discounted_payback_years),
			 "no production: no IRR, never paid back");
	SR_CHECK(sr_econ_evaluate(&noload, &r, &err) == SR_OK, "no load evaluates");
	SR_CHECK(isnan(r.self_sufficiency_pct), "no load: self-sufficiency share of nothing is NaN, not 0 %");
	SR_CHECK(r.self_consumption_pct == 0.0 && r.exported_kwh == 1500,
			 "no load: self-consumption 0 % of 1,500 kWh, all exported");
}

static void
test_irr(void)
{
	const double a[3] = {-100, 60, 60}, b[3] = {-1000, 0, 1210}, c[3] = {-100, -10, -10},
				d[2] = {-100, 100};

	/* -100 + 60 x + 60 x^2 = 0, x = 1 / (1 + r): r = 0.130662386291807 */
	SR_CHECK_CLOSE(sr_econ_irr(a, 3), 0.130662386291807, 1e-12, "IRR of (-100, 60, 60): the quadratic's root");
	SR_CHECK_CLOSE(sr_econ_irr(b, 3), 0.10, 1e-12, "IRR of (-1000, 0, 1210) is 10 %");
	SR_CHECK(isnan(sr_econ_irr(c, 3)), "no IRR when every flow is negative");
	SR_CHECK_CLOSE(sr_econ_irr(d, 2), 0.0, 1e-12, "IRR of (-100, 100) is 0");
	{
		/* a flow of zeros has an NPV of 0 at every rate: no IRR (the scan
		 * returned its first rate, -90 %) */
		const double z[4] = {0, 0, 0, 0};

		SR_CHECK(isnan(sr_econ_irr(z, 4)), "no IRR of a flow of zeros");
	}
	{
		/* returns above 200 %: the scan stopped there and called them none
		 * (NaN) while the NPV was still positive; (-150, 780): 1 + r =
		 * 780 / 150; (-100, 0, 1600): (1 + r)^2 = 16; (-1, 1e6): 1 + r =
		 * 1e6.  With no investment (capex 0) the NPV stays positive at
		 * every rate: still no IRR. */
		const double e1[2] = {-150, 780}, e2[3] = {-100, 0, 1600}, e3[2] = {-1, 1e6},
					e4[3] = {0, 100, 100};

		SR_CHECK_CLOSE(sr_econ_irr(e1, 2), 4.2, 1e-12, "IRR of (-150, 780) is 420 %");
		SR_CHECK_CLOSE(sr_econ_irr(e2, 3), 3.0, 1e-12, "IRR of (-100, 0, 1600) is 300 %");
		SR_CHECK_CLOSE(sr_econ_irr(e3, 2) / 999999.0, 1.0, 1e-12, "IRR of (-1, 1e6) is 999,999 = 1e8 %");
		SR_CHECK(isnan(sr_econ_irr(e4, 3)), "no IRR without an investment");
	}
	{
		/* returns below -90 %, where the scan starts: NaN before.  Worked by
		 * hand in x = 1 + r: (-1000, 50): x = 0.05; (-1000, 1, 1): 1000 x^2
		 * - x - 1 = 0, x = (1 + sqrt(4001)) / 2000 = 0.0321267292017369;
		 * (-1000, 0, 0, 0.001): x^3 = 1e-6, x = 0.01 (numpy.roots agrees to
		 * 1e-15).  (-1000, 10, -1): 1000 x^2 - 10 x + 1 has no real root,
		 * the NPV is negative at every rate: still NaN, as is a root so close
		 * to -100 % that 1 + r is below 1e-300 (-1, 1e-320). */
		const double g1[2] = {-1000, 50}, g2[3] = {-1000, 1, 1}, g3[4] = {-1000, 0, 0, 0.001},
					g4[3] = {-1000, 10, -1}, g5[2] = {-1, 1e-320};

		SR_CHECK_CLOSE(sr_econ_irr(g1, 2), -0.95, 1e-13, "IRR of (-1000, 50) is -95 %");
		SR_CHECK_CLOSE(sr_econ_irr(g2, 3), (1.0 + sqrt(4001.0)) / 2000.0 - 1.0, 1e-13,
					   "IRR of (-1000, 1, 1) is -96.787 %");
		SR_CHECK_CLOSE(sr_econ_irr(g3, 4), -0.99, 1e-13, "IRR of (-1000, 0, 0, 0.001) is -99 %");
		SR_CHECK_CLOSE(sr_econ_npv(g2, 3, sr_econ_irr(g2, 3)), 0.0, 1e-9, "NPV at a -96.8 % IRR is 0");
		SR_CHECK(isnan(sr_econ_irr(g4, 3)), "no IRR when the NPV is negative at every rate");
		SR_CHECK(isnan(sr_econ_irr(g5, 2)), "no IRR when 1 + r would be below 1e-300");
	}
	SR_CHECK_CLOSE(sr_econ_npv(b, 3, 0.10), 0.0, 1e-9, "NPV at the IRR is 0");
	SR_CHECK(isnan(sr_econ_payback(c, 3, 0)), "never paid back");
	SR_CHECK_CLOSE(sr_econ_payback(d, 2, 0), 1.0, 1e-12, "paid back in one year");
}

static void
test_loads(void)
{
	double		ts[3], load[3], total, year = 0, prof288[288], prof8760[8760];
	const double pv[2] = {5, 3}, big[2] = {6, 9};
	sr_econ_in	in = {1.0, 2, pv, big, 15, paper_opts(0)};
	sr_econ_result r;
	sr_err		err;

	for (int m = 0; m < 12; m++)
		for (int h = 0; h < 24; h++)
			year += (m == 1 ? 28 : (m == 3 || m == 5 || m == 8 || m == 10) ? 30 : 31) * sr_econ_household(m, h);
	SR_CHECK_CLOSE(year, 1.0, 1e-12, "the household profile sums to one year");
	SR_CHECK(sr_econ_household(0, 19) > sr_econ_household(0, 3) &&
			 sr_econ_household(0, 12) > sr_econ_household(6, 12), "evening above night, January above July");
	/* docs/pv.md's hour weights are divided by their sum (96.6 from October to
	 * March, 98.9 from April to September): 19 h is 6.8 / 96.6 of a January
	 * day, 12 h 4.5 / 98.9 of a July day; a January day is 1.32 / 0.80 of a
	 * July day */
	{
		double		jan = 0, jul = 0;

		for (int h = 0; h < 24; h++)
		{
			jan += sr_econ_household(0, h);
			jul += sr_econ_household(6, h);
		}
		SR_CHECK_CLOSE(sr_econ_household(0, 19) / jan, 6.8 / 96.6, 1e-12, "19 h: 6.8 / 96.6 of a winter day");
		SR_CHECK_CLOSE(sr_econ_household(6, 12) / jul, 4.5 / 98.9, 1e-12, "12 h: 4.5 / 98.9 of a summer day");
		SR_CHECK_CLOSE(jan / jul, 1.32 / 0.80, 1e-12, "a January day over a July day: 1.32 / 0.80");
	}
	for (int i = 0; i < 288; i++)
		prof288[i] = i;
	for (int i = 0; i < 8760; i++)
		prof8760[i] = i;
	/* 2019-01-01 00:00-01:00 in UTC+1 ends at 2019-01-01 00:00 UTC */
	ts[0] = 1546300800.0;
	/* 2019-07-15 12:00-13:00 UTC+1 ends at 12:00 UTC: day 196, hour 12 */
	ts[1] = 1563192000.0;
	/* a TMY hour of 2004 (leap year): 1 March 00:00-01:00 UTC+1 -> day 60 of a common year */
	ts[2] = 1078099200.0;
	sr_err_clear(&err);
	SR_CHECK(sr_econ_load(ts, 3, prof8760, 8760, 0, 1, 0, load, &total, &err) == SR_OK &&
			 load[0] == 0 && load[1] == 195 * 24 + 12 && load[2] == 59 * 24, "8,760 values: hour of the year in local time");
	SR_CHECK(sr_econ_load(ts, 3, prof288, 288, 0, 1, 0, load, &total, &err) == SR_OK &&
			 load[0] == 0 && load[1] == 6 * 24 + 12 && load[2] == 2 * 24, "288 values: month x hour");
	SR_CHECK(sr_econ_load(ts, 3, NULL, 0, 4500, 1, 0, load, &total, &err) == SR_OK &&
			 total == 4500 && fabs(load[1] - 4500 * sr_econ_household(6, 12)) < 1e-12, "the household default, scaled");
	SR_CHECK(sr_econ_load(ts, 3, prof288, 100, 0, 1, 0, load, &total, &err) == SR_EINVAL, "a profile of 100 values refused");
	/* every hour of a leap year (2020, UTC+1) under the household: the load
	 * of those hours, 4,500 x (1 + 1.28 / 374.24) with 29 February's day
	 * (sum of days x monthly weights 374.24), not the profile's 4,500 */
	{
		double	   *lts = malloc(sizeof(double) * 8784),
				   *ll = malloc(sizeof(double) * 8784);

		for (int i = 0; i < 8784; i++)
			lts[i] = 1577836800.0 - 3600.0 + 3600.0 * (i + 1);
		SR_CHECK(sr_econ_load(lts, 8784, NULL, 0, 4500, 1, 1, ll, &total, &err) == SR_OK, "a leap year's hours");
		SR_CHECK_CLOSE(total, 4500 * (1 + 1.28 / 374.24), 1e-9, "a leap year's load counts 29 February");
		SR_CHECK(sr_econ_load(lts, 8784, NULL, 0, 4500, 1, 0, ll, &total, &err) == SR_OK && total == 4500,
				 "hours of a sky: the profile's year");
		free(lts);
		free(ll);
	}
	/* the load always exceeds the production: nothing exported */
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK && r.exported_kwh == 0 && r.export_revenue_eur == 0 &&
			 r.self_consumed_kwh == 8, "a larger load every hour: zero export");
}

/*
 * A roof of 12 kWp over 4 years (the S21 class of 9 to 36 kWp: premium 140
 * EUR/kWp over 5 years, 80 % in the first), all of its 12,000 kWh a year
 * exported at 0.0536 EUR/kWh, capex 1,500 and O&M 15 EUR/kWp, 3 %, no
 * degradation.  By hand (Python decimal): premium 1,680 EUR, year 1 1,344,
 * years 2 to 4 84 each, year 5's 84 not counted;
 *   CF = -18,000, 643.2 + 1,344 - 180 = 1,807.2, 643.2 + 84 - 180 = 547.2 (x 3)
 *   NPV = -18,000 + 1,807.2 / 1.03 + 547.2 (1.03^-2 + 1.03^-3 + 1.03^-4)
 *       = -14,742.702783 EUR
 *   LCOE = (18,000 + 180 sum 1.03^-y) / (12,000 sum 1.03^-y), y = 1..4
 *       = 0.41854057 EUR/kWh
 * It was refused (premium_years 5 > lifetime_years 4).
 */
static void
test_twelve_kwp_four_years(void)
{
	enum {N = 8760};
	static double pv[N], load[N];
	sr_econ_in	in = {12.0, N, pv, load, 0, paper_opts(0)};
	sr_econ_result r;
	sr_err		err;

	for (int i = 0; i < N; i++)
	{
		pv[i] = 12000.0 / N;
		load[i] = 0;
	}
	in.p.feed_in = 0.0536;
	in.p.capex = 1500;
	in.p.premium = 140;
	in.p.premium_years = 5;
	in.p.premium_first_year_pct = 80;
	in.p.om = 15;
	in.p.inverter_cost = 150;
	in.p.inverter_year = 15;
	in.p.discount_rate_pct = 3;
	in.p.lifetime_years = 4;
	in.p.contract_years = 20;
	sr_err_clear(&err);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "12 kWp over 4 years with the premium over 5: evaluated");
	SR_CHECK_CLOSE(r.cashflow[0], -18000, 1e-9, "12 kWp: investment");
	SR_CHECK_CLOSE(r.cashflow[1], 1807.2, 1e-9, "12 kWp: year 1, export + 80 % of the premium - O&M");
	SR_CHECK_CLOSE(r.cashflow[2], 547.2, 1e-9, "12 kWp: year 2, export + 5 % - O&M");
	SR_CHECK_CLOSE(r.cashflow[4], 547.2, 1e-9, "12 kWp: year 4, export + 5 % - O&M");
	SR_CHECK_CLOSE(r.npv_eur, -14742.702783, 1e-6, "12 kWp over 4 years: NPV by hand");
	SR_CHECK_CLOSE(r.lcoe_eur_kwh, 0.41854057, 1e-8, "12 kWp over 4 years: LCOE by hand");
	SR_CHECK_CLOSE(r.premium_eur, 1596, 1e-9, "12 kWp: 1,344 + 3 x 84 received");
	SR_CHECK_CLOSE(r.premium_unpaid_eur, 84, 1e-9, "12 kWp: year 5's 84 EUR not counted");
}

/*
 * Percentages typed as fractions (options or a DBA's table row): a real
 * discount rate of 3 % typed 0.03 discounted at 0.03 %, an escalation of
 * 2 %/year typed 0.02 escalated by 0.02 %, both inside their ranges; so did
 * a degradation of 0.005 and a first-year share of 0.8.  Refused (22023)
 * with the unit in the hint; 0 and the values at the bounds accepted.
 */
static void
test_fractions(void)
{
	const double pv[2] = {1000, 500}, load[2] = {600, 800};
	sr_econ_in	in = {2.0, 2, pv, load, 3400, paper_opts(0)};
	sr_econ_result r;
	sr_err		err;
	sr_econ_opts given;

	sr_err_clear(&err);
	in.p.discount_rate_pct = 0.03;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_EINVAL && strstr(err.msg, "\"discount_rate_pct\" 0.03") &&
			 strstr(err.hint, "percent a year: 0.03 as a fraction is written 3"),
			 "a discount rate of 0.03 (3 % as a fraction) refused, the hint in percent");
	sr_err_clear(&err);
	in.p.discount_rate_pct = -0.01;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_EINVAL, "a discount rate of -0.01 refused");
	sr_err_clear(&err);
	in.p.discount_rate_pct = 0.2;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "a discount rate of 0.2 % accepted");
	in.p.discount_rate_pct = 0;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "no discounting (0) accepted");
	in.p = paper_opts(0);
	in.p.retail_escalation_pct = 0.02;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_EINVAL && strstr(err.msg, "retail_escalation_pct") &&
			 strstr(err.hint, "written 2"), "an escalation of 0.02 (2 %/year as a fraction) refused");
	sr_err_clear(&err);
	in.p.retail_escalation_pct = -0.2;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "an escalation of -0.2 %/year accepted");
	in.p = paper_opts(0.005);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_EINVAL && strstr(err.msg, "degradation_pct_per_year"),
			 "a degradation of 0.005 (0.5 %/year as a fraction) refused");
	sr_err_clear(&err);
	in.p = paper_opts(0.05);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "a degradation of 0.05 %/year accepted");
	in.p = paper_opts(0);
	in.p.premium_first_year_pct = 0.8;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_EINVAL && strstr(err.hint, "written 80"),
			 "a first-year share of 0.8 (80 % as a fraction) refused");
	sr_err_clear(&err);
	in.p.premium_first_year_pct = 0;
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK, "a first-year share of 0 accepted");
	/* the options alone (NaN: not given, taken from the table later) */
	sr_options_defaults(&sr_econ_optset, &given);
	SR_CHECK(sr_econ_check_plausible(&given, &err) == SR_OK, "no option given: nothing to refuse");
	given.discount_rate_pct = 0.04;
	SR_CHECK(sr_econ_check_plausible(&given, &err) == SR_EINVAL, "an option discount_rate_pct of 0.04 refused alone");
	sr_err_clear(&err);
}

/* Counts of years are whole: 3.5 years was rounded to 4 silently (lround),
 * 2.5 contract years ran 2; refused now as the options' integers are. */
static void
test_whole_years(void)
{
	static const char *const names[4] = {"lifetime_years", "contract_years", "premium_years",
	"inverter_replacement_year"};
	const double pv[2] = {1000, 500}, load[2] = {600, 800};
	sr_econ_in	in = {2.0, 2, pv, load, 3400, paper_opts(0)};
	sr_econ_result r;
	sr_err		err;

	for (int k = 0; k < 4; k++)
	{
		const sr_optspec *s = sr_option_find(&sr_econ_optset, names[k]);
		sr_econ_opts o = paper_opts(0);
		char		type[32], range[64], def[32];
		char		label[128];

		snprintf(label, sizeof(label), "option %s: 2.5 refused as not an integer, 2 accepted", names[k]);
		sr_err_clear(&err);
		SR_CHECK(s && sr_option_set_number(&sr_econ_optset, s, &o, 2.5, &err) == SR_EINVAL &&
				 strstr(err.msg, "must be an integer") && strstr(err.msg, names[k]) &&
				 sr_option_set_number(&sr_econ_optset, s, &o, 2, &err) == SR_OK, label);
		sr_option_describe(s, type, sizeof(type), range, sizeof(range), def, sizeof(def));
		snprintf(label, sizeof(label), "option %s is described as an integer", names[k]);
		SR_CHECK(strcmp(type, "integer") == 0, label);
	}
	/* a fractional value from the table (a DBA's row) reaches the check */
	in.p.lifetime_years = 3.5;
	sr_err_clear(&err);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_EINVAL && strstr(err.msg, "\"lifetime_years\" must be an integer: 3.5"),
			 "a lifetime of 3.5 years is refused (it ran 4 years)");
	in.p = paper_opts(0);
	in.p.contract_years = 2.5;
	sr_err_clear(&err);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_EINVAL && strstr(err.msg, "contract_years"),
			 "a contract of 2.5 years is refused (it ran 2 years)");
	in.p = paper_opts(0);
	SR_CHECK(sr_econ_evaluate(&in, &r, &err) == SR_OK && r.years == 4, "4 whole years evaluate");
}

/* A row of the configuration table checked when written (its CHECK): each
 * kind of bad row a DBA could insert, refused with the run's rule, and the
 * extension's own kinds of rows accepted. */
static void
test_param_rows(void)
{
	sr_err		err;

	sr_err_clear(&err);
	SR_CHECK(sr_econ_param_check("retail_price_eur_kwh", INFINITY, 0.1952, &err) == SR_OK,
			 "a DBA's retail price of 0.1952 EUR/kWh for every size accepted");
	SR_CHECK(sr_econ_param_check("feed_in_eur_kwh", 9, 0.04, &err) == SR_OK &&
			 sr_econ_param_check("discount_rate_pct", INFINITY, 0, &err) == SR_OK &&
			 sr_econ_param_check("premium_first_year_pct", INFINITY, 80, &err) == SR_OK &&
			 sr_econ_param_check("lifetime_years", INFINITY, 60, &err) == SR_OK &&
			 sr_econ_param_check("utc_offset_h", INFINITY, -5, &err) == SR_OK,
			 "a class of 9 kWp, a rate of 0, 80 %, 60 years and a negative offset accepted");
	SR_CHECK(sr_econ_param_check("retail_price_eur_kwh", INFINITY, -0.1, &err) == SR_ERANGE &&
			 strstr(err.msg, "\"retail_price_eur_kwh\" is out of range: -0.1") &&
			 strstr(err.detail, "[0, 5] EUR/kWh"),
			 "a negative price refused, the range in the detail");
	sr_err_clear(&err);
	SR_CHECK(sr_econ_param_check("capex_eur_per_kwp", 0, 1000, &err) == SR_ERANGE &&
			 strstr(err.msg, "max_kwp") && sr_econ_param_check("capex_eur_per_kwp", -9, 1000, &err) == SR_ERANGE &&
			 sr_econ_param_check("capex_eur_per_kwp", NAN, 1000, &err) == SR_ERANGE,
			 "a class bound of 0, -9 or NaN kWp refused");
	sr_err_clear(&err);
	SR_CHECK(sr_econ_param_check("discount_rate_pct", INFINITY, 0.03, &err) == SR_EINVAL &&
			 strstr(err.hint, "written 3"), "a discount rate of 3 % typed 0.03 refused");
	sr_err_clear(&err);
	SR_CHECK(sr_econ_param_check("premium_first_year_pct", 36, 0.8, &err) == SR_EINVAL,
			 "a first-year share of 80 % typed 0.8 refused");
	sr_err_clear(&err);
	SR_CHECK(sr_econ_param_check("lifetime", INFINITY, 25, &err) == SR_EINVAL &&
			 strstr(err.msg, "unrecognized economic parameter \"lifetime\"") &&
			 strstr(err.hint, "lifetime_years") && strstr(err.hint, "premium_first_year_pct.") &&
			 !strstr(err.hint, "degradation"),
			 "a name the table does not give refused, the names in the hint");
	sr_err_clear(&err);
	SR_CHECK(sr_econ_param_check("degradation_pct_per_year", INFINITY, 0.5, &err) == SR_EINVAL,
			 "degradation_pct_per_year refused: the PV system's, never read from the table");
	sr_err_clear(&err);
	SR_CHECK(sr_econ_param_check("lifetime_years", INFINITY, 25.5, &err) == SR_EINVAL &&
			 strstr(err.msg, "must be an integer") &&
			 sr_econ_param_check("lifetime_years", INFINITY, 61, &err) == SR_ERANGE &&
			 sr_econ_param_check("grid_emission_kg_kwh", INFINITY, INFINITY, &err) == SR_ERANGE &&
			 sr_econ_param_check("grid_emission_kg_kwh", INFINITY, NAN, &err) == SR_ERANGE,
			 "25.5 years, 61 years, an infinite or NaN value refused");
	sr_err_clear(&err);
}

int
main(void)
{
	SR_TEST_BEGIN();
	test_paper_case();
	test_premium_schedule();
	test_empty_shares();
	test_irr();
	test_loads();
	test_whole_years();
	test_twelve_kwp_four_years();
	test_fractions();
	test_param_rows();
	return SR_TEST_END();
}
