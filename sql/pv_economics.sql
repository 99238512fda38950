-- PV economics (issue 17): a case worked on paper to the cent, zero export
-- under a larger load, the configuration table and a DBA's override, the
-- economics of a Lyon roof from the sky, the error of self-consumption
-- computed from the fast path's hours and from a month x hour shape against
-- the hour-by-hour reference, the economics column of solar_cadastre.
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TEMP TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
CREATE TEMP TABLE weather AS
SELECT ts, ghi, dni, dhi, temp_air, wind_speed FROM smartregion.epw_records(:'epw');

-- the paper case (extension/tests/unit/test_economics.c): 2 kWp at 300
-- EUR/kWp, premium 100 EUR/kWp, production 1,000 and 500 kWh in two hours
-- (1 January, 12:00 and 13:00) against loads of 600 and 800 kWh, retail
-- 0.20, feed-in 0.10 for 3 years then 0.05, O&M 10 EUR/kWp, inverter 100
-- EUR/kWp in year 2, 5 %, 4 years, no degradation: cash flow -600, 440, 40,
-- 240, 220; NPV 243.64 EUR; IRR 23.98 %; paybacks 2.5 and 2.70 years
CREATE TEMP TABLE paper AS
SELECT array_agg(CASE i WHEN 12 THEN 1000 WHEN 13 THEN 500 ELSE 0 END ORDER BY i)::float8[] AS pv,
       array_agg(CASE i WHEN 12 THEN 600 WHEN 13 THEN 800 ELSE 0 END ORDER BY i)::float8[] AS load
  FROM generate_series(0, 8759) i;
CREATE TEMP TABLE paper_opts AS SELECT
  '{"capex_eur_per_kwp": 300, "premium_eur_per_kwp": 100, "premium_years": 1, "retail_price_eur_kwh": 0.2,
    "retail_escalation_pct": 0, "feed_in_eur_kwh": 0.1, "contract_years": 3, "post_contract_price_eur_kwh": 0.05,
    "om_eur_per_kwp_year": 10, "inverter_replacement_eur_per_kwp": 100, "inverter_replacement_year": 2,
    "discount_rate_pct": 5, "lifetime_years": 4, "degradation_pct_per_year": 0, "grid_emission_kg_kwh": 0.052,
    "utc_offset_h": 1}'::jsonb AS o;
SELECT round(e.npv_eur::numeric, 2) AS npv_eur, round(e.irr_pct::numeric, 2) AS irr_pct,
       e.simple_payback_years AS simple_payback, round(e.discounted_payback_years::numeric, 4) AS discounted_payback,
       e.cashflow_eur, e.self_consumed_kwh, e.exported_kwh, e.investment_eur, e.premium_eur
  FROM paper, paper_opts, smartregion.pv_economics(2, pv, load, o) e;
-- a return above 200 % is a return, not NULL: the paper case at 50 EUR/kWp
-- (cash flow -100, 440, 40, 240, 220) has its IRR at 362.12308 % (the
-- quartic 220 x^4 + 240 x^3 + 40 x^2 + 440 x - 100 = 0 in x = 1 / (1 + r),
-- numpy.roots, and Python bisection); one year at 75 and 50 EUR/kWp:
-- 440 / 150 - 1 = 193.33 % and 440 / 100 - 1 = 340 % exactly. The scan
-- stopped at 200 % and gave NULL for 362.12 % and 340 %.
SELECT round(e.irr_pct::numeric, 5) AS irr_pct, e.cashflow_eur
  FROM paper, paper_opts, smartregion.pv_economics(2, pv, load, o || '{"capex_eur_per_kwp": 50}') e;
SELECT c.capex, round(e.irr_pct::numeric, 8) AS irr_pct, e.cashflow_eur
  FROM paper, paper_opts, (VALUES (75), (50)) c(capex),
       smartregion.pv_economics(2, pv, load, o || jsonb_build_object('capex_eur_per_kwp', c.capex, 'lifetime_years', 1)) e
 ORDER BY c.capex DESC;
-- a return below -90 % is a return too (the scan started there and gave
-- NULL): one year of the paper case (440 EUR) for 2 kWp at 5,000 and 20,000
-- EUR/kWp: 440 / 10,000 - 1 = -95.6 % and 440 / 40,000 - 1 = -98.9 % exactly;
-- over its 4 years at 5,000 EUR/kWp (-10,000, 440, 40, 240, 220) the
-- quartic's root, -56.13925834 % (numpy.roots), was found before and still is
SELECT c.capex, c.years, round(e.irr_pct::numeric, 8) AS irr_pct, e.cashflow_eur
  FROM paper, paper_opts, (VALUES (5000, 1), (20000, 1), (5000, 4)) c(capex, years),
       smartregion.pv_economics(2, pv, load, o || jsonb_build_object('capex_eur_per_kwp', c.capex, 'lifetime_years', c.years)) e
 ORDER BY c.capex, c.years;
-- the conventions on a case worked by hand (Python, from the definitions): the paper case
-- with degradation 1 %/year from year 2 (production x 0.99^(y-1), self-consumption
-- min(pv, load) each hour: 600 + 500 f), retail +2 %/year from year 2, the premium in two
-- equal parts (years 1, 2: premium_first_year_pct 50), the inverter in year 4, 5 years, 4 % at the end of each year:
-- cash flow -600, 340, 342.38, 244.827604, 28.828816, 231.899661; NPV 476.371092 EUR;
-- IRR 34.957858 % (numpy.roots); paybacks 1.759390 and 1.862667 years (linear within the
-- year); LCOE (600 + discounted O&M and inverter) / discounted kWh = 0.131284 EUR/kWh
SELECT array(SELECT round(c::numeric, 6) FROM unnest(e.cashflow_eur) c) AS cashflow,
       round(e.npv_eur::numeric, 6) AS npv_eur, round(e.irr_pct::numeric, 6) AS irr_pct,
       round(e.simple_payback_years::numeric, 6) AS simple_payback,
       round(e.discounted_payback_years::numeric, 6) AS discounted_payback,
       round(e.lcoe_eur_kwh::numeric, 6) AS lcoe
  FROM paper, paper_opts,
       smartregion.pv_economics(2, pv, load, o || '{"degradation_pct_per_year": 1, "retail_escalation_pct": 2,
         "premium_years": 2, "premium_first_year_pct": 50, "inverter_replacement_year": 4, "discount_rate_pct": 4,
         "lifetime_years": 5}') e;
-- the same production as a month x hour average day: 1,000 and 500 kWh
-- spread over January's 31 days (at 12:00 and 13:00) against the same
-- average-day load of 600 / 31 and 800 / 31 kWh: the same balance
SELECT round(e.self_consumed_kwh::numeric, 6) AS self_consumed_kwh, round(e.npv_eur::numeric, 2) AS npv_eur
  FROM paper_opts,
       smartregion.pv_economics(2,
         (SELECT array_agg(CASE i WHEN 12 THEN 1000 / 31.0 WHEN 13 THEN 500 / 31.0 ELSE 0 END ORDER BY i)::float8[]
            FROM generate_series(0, 287) i),
         (SELECT array_agg(CASE i WHEN 12 THEN 600 / 31.0 WHEN 13 THEN 800 / 31.0 ELSE 0 END ORDER BY i)::float8[]
            FROM generate_series(0, 287) i), o) e;
-- a load larger than the production in every hour: nothing is exported
SELECT e.exported_kwh AS exported, e.export_revenue_eur_year1 AS export_revenue,
       e.self_consumption_pct AS self_consumption_pct
  FROM paper, paper_opts,
       smartregion.pv_economics(2, pv, (SELECT array_agg(p + 1) FROM unnest(pv) p), o) e;
-- the shares of nothing are NULL, not 0 %: no production (a self-consumption
-- share of 0 kWh) and no load (a self-sufficiency share of 0 kWh); a share
-- of something that is none of it stays 0 (self-sufficiency 0 % of 1,400 kWh
-- of load; self-consumption 0 % of 1,500 kWh, all exported). No production
-- has no LCOE, no IRR and never pays back.
SELECT e.production_kwh, e.self_consumption_pct IS NULL AS self_consumption_null, e.self_sufficiency_pct,
       e.lcoe_eur_kwh IS NULL AND e.irr_pct IS NULL AND e.simple_payback_years IS NULL AS no_lcoe_irr_payback
  FROM paper, paper_opts, smartregion.pv_economics(2, array_fill(0::float8, ARRAY[8760]), load, o) e;
SELECT e.production_kwh, e.exported_kwh, e.self_consumption_pct, e.self_sufficiency_pct IS NULL AS self_sufficiency_null
  FROM paper, paper_opts, smartregion.pv_economics(2, pv, array_fill(0::float8, ARRAY[8760]), o) e;
-- the default household with annual_load_kwh 0 has no load either
SELECT e.self_sufficiency_pct IS NULL AS self_sufficiency_null, e.self_consumption_pct
  FROM paper, paper_opts, smartregion.pv_economics(2, pv, NULL, o || '{"annual_load_kwh": 0}') e;

-- a leap year (8,784 hours): self-sufficiency is the share of the load of the hours simulated.
-- 2.9 kWh in every hour covers every hour's load, so the share is 100 % exactly; the load's
-- total was taken from the profile's own year instead: the default household over 8,784 hours
-- (4,515.4 kWh with 29 February) against its 4,500 gave 100.342 %, a load of 8,784 values
-- (29 February at 10 kWh an hour, 1 otherwise) under a production of 8,760 (2019, no 29
-- February) 97.333 %. Under 8,784 hours (2020) with a profile of 8,760, 29 February takes the
-- 28th's loads (1 kWh) and 1 March is at 10 kWh an hour: the hours' load is 8,760 x 1 + 24 x 10
-- = 9,000 kWh, of which 8,760 + 24 x 2.9 = 8,829.6 covered: 98.106667 % (it gave 98.368984 %,
-- against the profile's 8,976).
SELECT n, nl, round(e.self_sufficiency_pct::numeric, 6) AS self_sufficiency_pct
  FROM (VALUES (8784, NULL), (8760, 8784), (8784, 8760)) v(n, nl),
       smartregion.pv_economics(3, array_fill(2.9::float8, ARRAY[n]),
         CASE WHEN nl IS NOT NULL THEN
           (SELECT array_agg(CASE WHEN i BETWEEN 1416 AND 1439 THEN 10 ELSE 1 END::float8 ORDER BY i)
              FROM generate_series(0, nl - 1) i) END) e
 ORDER BY n, nl;

-- the configuration: every parameter has a default with its source and date
SELECT count(DISTINCT name) AS parameters, bool_and(source <> '' AND as_of IS NOT NULL) AS sourced,
       bool_and(origin = 'extension') AS all_defaults
  FROM smartregion.pv_economic_parameters;
-- the size classes of the surplus tariff and the self-consumption premium
SELECT name, max_kwp, value FROM smartregion.pv_economic_parameters
 WHERE name IN ('feed_in_eur_kwh', 'premium_eur_per_kwp') ORDER BY name, max_kwp;
-- the retail price is the TRVE Base of 3-6 kVA from 1 February 2026, 0.194 EUR/kWh incl.
-- taxes (Revolution Energetique, 1 February 2026; it was 0.2016 of February 2025).
-- A 3 kWp system takes the class up to 9 kWp: tariff 0.04 EUR/kWh, premium
-- 80 EUR/kWp at once, capex 2,500 EUR/kWp; a 20 kWp system the class up to 36;
-- a 150 kWp system the class above 100 kWp, whose bound is the table's
-- 'Infinity' (it was NULL, which joined no tariff row): capex 1,000 EUR/kWp
-- (150,000 EUR), no premium, a tariff of 0
SELECT e.pv_kwp, e.size_class_max_kwp, e.investment_eur, e.premium_eur,
       abs(e.export_revenue_eur_year1 - e.exported_kwh * (SELECT value FROM smartregion.pv_economic_parameters
                                                          WHERE name = 'feed_in_eur_kwh' AND max_kwp = e.size_class_max_kwp)) < 1e-9 AS tariff_ok,
       abs(e.savings_eur_year1 - e.self_consumed_kwh * 0.194) < 1e-9 AS savings_ok,
       abs(e.co2_avoided_kg_year - e.production_kwh * 0.052) < 1e-9 AS co2_ok
  FROM sky, (VALUES (3.0), (20.0), (150.0)) k(kwp), smartregion.pv_economics(s, 35, 180, k.kwp) e ORDER BY 1;
-- the premium's schedule (S21, connection requests from 1 November 2022): up to 9 kWp at once
-- (premium_years 1), from 9 to 100 kWp 80 % after the first year and 5 % in each of the next
-- four (it was modelled in five equal parts). The paper case over 5 years, premium 200 EUR:
-- against the premium at once, year 1 has 200 x 0.2 = 40 EUR less, years 2-5 200 x 0.05 =
-- 10 EUR more each; 50 % over 2 years is the two equal parts of the case above
SELECT array(SELECT round((a - b)::numeric, 9) FROM unnest(e5.cashflow_eur, e1.cashflow_eur) x(a, b)) AS s21_minus_at_once,
       array(SELECT round((a - b)::numeric, 9) FROM unnest(e2.cashflow_eur, e1.cashflow_eur) x(a, b)) AS halves_minus_at_once
  FROM paper, paper_opts,
       smartregion.pv_economics(2, pv, load, o || '{"premium_years": 5, "premium_first_year_pct": 80, "lifetime_years": 5}') e5,
       smartregion.pv_economics(2, pv, load, o || '{"premium_years": 2, "premium_first_year_pct": 50, "lifetime_years": 5}') e2,
       smartregion.pv_economics(2, pv, load, o || '{"premium_years": 1, "lifetime_years": 5}') e1;
-- the table's defaults on the sky (quarter 1 January-31 March 2026): 20 kWp x 140 EUR/kWp =
-- 2,800 EUR, year 1 -560 EUR and years 2-5 +140 EUR against the premium at once; 50 kWp x
-- 70 EUR/kWp = 3,500 EUR, -700 and +175; 3 kWp x 80 = 240 EUR at once (no difference)
SELECT k.kwp, d.premium_eur,
       array(SELECT round((a - b)::numeric, 6) FROM unnest(d.cashflow_eur[1:7], o.cashflow_eur[1:7]) x(a, b)) AS default_minus_at_once
  FROM sky, (VALUES (3.0), (20.0), (50.0)) k(kwp),
       smartregion.pv_economics(s, 35, 180, k.kwp) d,
       smartregion.pv_economics(s, 35, 180, k.kwp, options => '{"premium_years": 1}') o
 ORDER BY 1;
-- a tariff given in the options takes no class from the table: NULL
SELECT e.size_class_max_kwp IS NULL AS no_class
  FROM sky, smartregion.pv_economics(s, 35, 180, 3.0, options => '{"feed_in_eur_kwh": 0.1}') e;
-- the extension's rows cannot be edited; a DBA's row overrides one
\set VERBOSITY sqlstate
UPDATE smartregion.pv_economic_parameter SET value = 0.25 WHERE name = 'retail_price_eur_kwh';
\set VERBOSITY default
BEGIN;
INSERT INTO smartregion.pv_economic_parameter (name, value, unit, source, as_of)
VALUES ('retail_price_eur_kwh', 0.25, 'EUR/kWh', 'test: a local supplier''s offer', '2026-01-01');
SELECT value, origin FROM smartregion.pv_economic_parameters WHERE name = 'retail_price_eur_kwh';
SELECT abs(e.savings_eur_year1 - e.self_consumed_kwh * 0.25) < 1e-9 AS override_used
  FROM sky, smartregion.pv_economics(s, 35, 180, 3.0) e;
ROLLBACK;
-- options take precedence over the table
SELECT abs(e.savings_eur_year1 - e.self_consumed_kwh * 0.3) < 1e-9 AS option_used
  FROM sky, smartregion.pv_economics(s, 35, 180, 3.0, options => '{"retail_price_eur_kwh": 0.3}') e;

-- self-consumption needs the hours: from the fast path's hours (what
-- pv_economics on a sky does) it is within 1 % of the hour-by-hour
-- reference's; from a month x hour average day of the same production it
-- is overestimated (the clear and the cloudy days are averaged away).
-- Both profiles on a 2019 clock: EPW hour h of day d in local standard
-- time is index (day of year - 1) x 24 + h - 1
CREATE TEMP TABLE prof AS
SELECT 'fast' AS how, (extract(doy FROM make_date(2019, extract(month FROM l)::int, extract(day FROM l)::int)) - 1) * 24
         + extract(hour FROM l) AS i, 3 * kwh_kwp AS kwh
  FROM sky, smartregion.pv_profile(s, 35, 180) p, LATERAL (SELECT (p.ts - interval '1 hour') AT TIME ZONE INTERVAL '+01:00' AS l) x
 WHERE NOT (extract(month FROM l) = 2 AND extract(day FROM l) = 29)
UNION ALL
SELECT 'hourly', (extract(doy FROM make_date(2019, extract(month FROM l)::int, extract(day FROM l)::int)) - 1) * 24
         + extract(hour FROM l), 3 * kwh_kwp
  FROM smartregion.pv_profile_hourly('SELECT * FROM weather', 45.7261, 4.9378, 35, 180) p,
       LATERAL (SELECT (p.ts - interval '1 hour') AT TIME ZONE INTERVAL '+01:00' AS l) x
 WHERE NOT (extract(month FROM l) = 2 AND extract(day FROM l) = 29);
CREATE TEMP TABLE arrays AS
SELECT how, array_agg(coalesce(kwh, 0) ORDER BY i)::float8[] AS pv
  FROM (SELECT h.how, g.i, p.kwh FROM (VALUES ('fast'), ('hourly')) h(how) CROSS JOIN generate_series(0, 8759) g(i)
          LEFT JOIN prof p ON p.how = h.how AND p.i = g.i) t GROUP BY how;
CREATE TEMP TABLE sc AS
SELECT a.how, (smartregion.pv_economics(3, a.pv)).self_consumed_kwh AS sc FROM arrays a
UNION ALL
SELECT 'fast, month x hour', (smartregion.pv_economics(3, m.pv)).self_consumed_kwh
  FROM (SELECT array_agg(v ORDER BY k)::float8[] AS pv
          FROM (SELECT k, avg(pv[1 + d * 24 + k % 24]) FILTER (WHERE date_part('month', date '2019-01-01' + d) = k / 24 + 1) AS v
                  FROM arrays, generate_series(0, 287) k, generate_series(0, 364) d
                 WHERE how = 'fast' GROUP BY k) x) m;
SELECT abs(f.sc / h.sc - 1) < 0.01 AS fast_hours_within_1_percent,
       m.sc > h.sc AS month_hour_overestimates
  FROM sc f, sc h, sc m WHERE f.how = 'fast' AND h.how = 'hourly' AND m.how = 'fast, month x hour';

-- solar_cadastre's economics column: each face with PV as one system with
-- the default household, the same as pv_economics on its plane and horizon
CREATE TEMP TABLE scene AS
WITH o AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 2154) AS p)
SELECT 1::bigint AS id, ST_MakeEnvelope(ST_X(p), ST_Y(p), ST_X(p) + 20, ST_Y(p) + 10, 2154) AS geom, 6.0::float8 AS height FROM o
UNION ALL
SELECT 2, ST_MakeEnvelope(ST_X(p), ST_Y(p) - 30, ST_X(p) + 20, ST_Y(p) - 10, 2154), 30.0 FROM o;
SELECT c.building_id, c.economics IS NOT NULL AS has_economics,
       abs((c.economics->>'npv_eur')::float8 - e.npv_eur) < 1e-6 AS npv_as_pv_economics,
       abs((c.economics->>'self_consumed_kwh')::float8 - e.self_consumed_kwh) < 1e-6 AS self_consumption_as_pv_economics
  FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM scene', s, '{"economics": {}, "sampling": "point"}') c,
       smartregion.pv_economics(s, 10, 180, c.pv_kwp,
         smartregion.horizon_at(ST_SetSRID(ST_MakePoint(ST_X(ST_Centroid(c.geom)), ST_Y(ST_Centroid(c.geom)),
                                                        CASE c.building_id WHEN 1 THEN 6 ELSE 30 END), 2154),
                                format('SELECT id, geom, height FROM scene WHERE id <> %s', c.building_id))) e
 ORDER BY 1;
-- the economics' numbers in the JSON are written as the float8 columns are, with the
-- shortest digits that read back to the same double ("%.17g" wrote 34.199999999999982 for
-- pv_kwp's 34.19999999999998): the key pv_kwp reads as the column's own text
SELECT c.building_id, c.economics->>'pv_kwp' = c.pv_kwp::text AS pv_kwp_as_column,
       (c.economics->>'pv_kwp')::float8 = c.pv_kwp AS same_double
  FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM scene', s, '{"economics": {}, "sampling": "point"}') c
 ORDER BY 1;
SELECT count(*) FILTER (WHERE economics IS NULL) AS without_option
  FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM scene', s) c;

-- a lifetime shorter than the premium's years (S21 from 9 to 100 kWp: 5 years, 80 % in the
-- first): the instalments after the last year are not counted, with a NOTICE; it was refused
-- (22023), which failed a whole cadastre on its roofs of that class. A roof of 12 kWp over
-- 4 years, 12,000 kWh a year all exported (no load), the table's defaults of 9-36 kWp: capex
-- 1,500 and O&M 15 EUR/kWp, surplus 0.0536 EUR/kWh, premium 140 x 12 = 1,680 EUR (1,344 in
-- year 1, 84 in each of years 2 to 4, year 5's 84 left out), 3 %, the system's 0.5 %/year of
-- degradation. By hand (Python decimal):
--   CF = -18,000; 643.2 + 1,344 - 180 = 1,807.2; 12,000 x 0.995 x 0.0536 + 84 - 180 = 543.984;
--        12,000 x 0.995^2 x 0.0536 - 96 = 540.78408; 12,000 x 0.995^3 x 0.0536 - 96 = 537.6001596
--   NPV = sum CF_y / 1.03^y = -14,760.134981 EUR; premium received 1,596 EUR
SELECT array(SELECT round(c::numeric, 6) FROM unnest(e.cashflow_eur) c) AS cashflow,
       round(e.npv_eur::numeric, 6) AS npv_eur, e.premium_eur
  FROM smartregion.pv_economics(12, array_fill(12000 / 8760.0::float8, ARRAY[8760]),
                                array_fill(0::float8, ARRAY[8760]), '{"lifetime_years": 4}') e;
-- the cadastre over 4 years: roofs of 34.2, 72.2, 12 and 7 kWp (flat, 20 x 10, 20 x 20, 7 x
-- 11 and 6 x 8 m less 0.5 m of setback, 0.2 kWp/m2). Each face's premium received and its
-- discounted value (the NPV with the premium less the NPV without), by hand: 34.2 x 140 =
-- 4,788 EUR, 95 % received 4,548.6, discounted 4,788 (0.8 / 1.03 + 0.05 (1.03^-2 + 1.03^-3 +
-- 1.03^-4)) = 4,376.281125; 72.2 x 70 = 5,054: 4,801.3 and 4,619.407854; 12 x 140 = 1,680:
-- 1,596 and 1,535.537237; 7 x 80 = 560 at once (class up to 9 kWp): 560 and 560 / 1.03 =
-- 543.689320. One NOTICE for the run: 3 faces, 239.4 + 252.7 + 84 = 576.10 EUR left out.
CREATE TEMP TABLE scene4 AS
SELECT * FROM scene
UNION ALL
SELECT 3, ST_MakeEnvelope(ST_X(p) + 40, ST_Y(p), ST_X(p) + 47, ST_Y(p) + 11, 2154), 6.0
  FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 2154) AS p) o
UNION ALL
SELECT 4, ST_MakeEnvelope(ST_X(p) + 60, ST_Y(p), ST_X(p) + 66, ST_Y(p) + 8, 2154), 6.0
  FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 2154) AS p) o;
SELECT a.building_id, round(a.pv_kwp::numeric, 6) AS pv_kwp,
       round((a.economics->>'premium_eur')::numeric, 6) AS premium_received,
       round(((a.economics->>'npv_eur')::float8 - (b.economics->>'npv_eur')::float8)::numeric, 6) AS premium_discounted
  FROM sky,
       smartregion.solar_cadastre('SELECT id, geom, height FROM scene4', s,
         '{"economics": {"lifetime_years": 4}, "sampling": "point"}') a
  JOIN smartregion.solar_cadastre('SELECT id, geom, height FROM scene4', s,
         '{"economics": {"lifetime_years": 4, "premium_eur_per_kwp": 0}, "sampling": "point"}') b
       USING (building_id, face)
 ORDER BY 1;
