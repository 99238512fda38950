-- PV model, economics, terrain and trees: bad input answers with a clear
-- error (SQLSTATE shown).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis_raster;
RESET client_min_messages;
\set VERBOSITY sqlstate
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
\set v2 `cat sql/fixtures/sky_v2.txt`
\set VERBOSITY default
CREATE TEMP TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
CREATE TEMP TABLE old AS SELECT :'v2'::smartregion.sky AS s;
-- the system's options
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"moduel_model": "huld"}') FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"module_model": "cigs"}') FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"dc_ac_ratio": 7}') FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"huld_k": [1, 2]}') FROM sky;
-- options in % typed as fractions: a temperature coefficient of -0.0035 (-0.35 %/C as a
-- fraction) gave almost no temperature loss; refused (22023) outside -1 to -0.1 %/C, as are
-- whole-system losses between 0 and 1 % and a degradation between 0 and 0.05 %/year
\set VERBOSITY sqlstate
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"module_model": "pvwatts", "gamma_pdc_pct": -0.0035}') FROM sky;
\set VERBOSITY default
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"module_model": "pvwatts", "gamma_pdc_pct": -0.0035}') FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"gamma_pdc_pct": 0.3}') FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"gamma_pdc_pct": -1.5}') FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"system_losses_pct": 0.14}') FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{"degradation_pct_per_year": 0.005}') FROM sky;
SELECT (smartregion.pv_economics(s, 30, 180, 3, system => '{"module_model": "pvwatts", "gamma_pdc_pct": -0.0035}')).npv_eur FROM sky;
-- the bounds themselves and the defaults are accepted
SELECT count(*) FILTER (WHERE (smartregion.pv_yield(s, 30, 180, NULL, o)).annual_kwh_kwp > 0) AS accepted
  FROM sky, (VALUES ('{"module_model": "pvwatts", "gamma_pdc_pct": -1}'::jsonb), ('{"module_model": "pvwatts", "gamma_pdc_pct": -0.1}'),
                    ('{"system_losses_pct": 0}'), ('{"system_losses_pct": 1}'), ('{"degradation_pct_per_year": 0}'),
                    ('{"degradation_pct_per_year": 0.05}'), ('{}')) v(o);
SELECT smartregion.pv_yield(s, 30, 180, NULL, '[]') FROM sky;
SELECT smartregion.pv_yield(s, 95, 180) FROM sky;
SELECT smartregion.pv_yield(s, 30, 180, NULL, '{}', 2) FROM sky;
SELECT smartregion.pv_yield(NULL, 30, 180) IS NULL AS null_sky_gives_null;
-- the profiles: a NULL argument gives no rows (they gave one row of NULLs)
SELECT (SELECT count(*) FROM smartregion.pv_profile(NULL, 30, 180)) AS null_sky,
       (SELECT count(*) FROM sky, smartregion.pv_profile(s, NULL, 180)) AS null_tilt,
       (SELECT count(*) FROM sky, smartregion.pv_profile(s, 30, 180, albedo => NULL)) AS null_albedo,
       (SELECT count(*) FROM smartregion.pv_profile_hourly(NULL, 45.7261, 4.9378, 35, 180)) AS null_weather_sql,
       (SELECT count(*) FROM smartregion.pv_profile_hourly('SELECT 1', NULL, 4.9378, 35, 180)) AS null_lat;
-- a sky of version 2 has no hours: no profile, no economics
SELECT count(*) FROM old, smartregion.pv_profile(s, 30, 180);
SELECT smartregion.pv_economics(s, 30, 180, 3) FROM old;
-- sky_agg with temperatures
SELECT smartregion.sky_agg(ts, 500, 0, 100, t, 2, ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326))
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz, 95::float8)) v(ts, t);
SELECT smartregion.sky_agg(ts, 500, 0, 100, t, 2, ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326))
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz, NULL::float8)) v(ts, t);
-- weather_sql of the reference
SELECT smartregion.pv_yield_hourly('SELECT now() AS ts, 1.0 AS ghi, 0.0 AS dni', 45, 5, 30, 180);
SELECT smartregion.pv_yield_hourly('SELECT now() AS ts, 1.0 AS ghi, 0.0 AS dni, 0.5 AS dhi, ''x''::text AS temp_air, 1.0 AS wind_speed', 45, 5, 30, 180);
-- weather out of range (the audit: a NaN hour yielded nothing, a negative wind gave a
-- performance ratio of 3.68): the ranges of sky_agg
SELECT smartregion.pv_yield_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi, 'NaN'::float8 AS temp_air, 1::float8 AS wind_speed$$, 45.7261, 4.9378, 35, 180);
SELECT smartregion.pv_yield_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi, 25::float8 AS temp_air, -4.5::float8 AS wind_speed$$, 45.7261, 4.9378, 35, 180);
SELECT count(*) FROM smartregion.pv_profile_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi, 2500::float8 AS temp_air, 1::float8 AS wind_speed$$, 45.7261, 4.9378, 35, 180);
-- irradiance in the wrong unit (ERA5's hourly accumulations are J/m2, 3600 times W/m2): sky_agg and
-- sky_from_epw refuse an hour above 1500 W/m2, the hourly references took it and gave a number
-- (the Lyon-Bron year x 1000 came out at 490 kWh/kWp under 1.23 million kWh/m2, one hour x 3600
-- at 0 kWh/kWp under 2,685 kWh/m2); now the sky's bound and error, naming the row
SELECT smartregion.pv_yield_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 * 3600 AS ghi, 500::float8 * 3600 AS dni, 100::float8 * 3600 AS dhi$$, 45.7261, 4.9378, 35, 180);
SELECT count(*) FROM smartregion.pv_profile_hourly($$SELECT ts, CASE WHEN n = 2 THEN 1500.5 ELSE 800 END::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  FROM unnest(ARRAY['2021-06-21 11:00Z', '2021-06-21 12:00Z']::timestamptz[]) WITH ORDINALITY t(ts, n)$$, 45.7261, 4.9378, 35, 180);
SELECT smartregion.surface_irradiation_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 2000::float8 AS dhi$$, 45.7261, 4.9378, 35, 180);
-- 1500 W/m2 itself is an hour the sky takes, and so does the reference
SELECT smartregion.pv_yield_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 1500::float8 AS ghi, 1500::float8 AS dni, 100::float8 AS dhi$$, 45.7261, 4.9378, 35, 180) IS NOT NULL AS at_1500_accepted;
-- a weather with no hour: NULL (there is nothing to sum), not a yield of 0; the profile has no row
SELECT smartregion.pv_yield_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  WHERE false$$, 45.7261, 4.9378, 35, 180) IS NULL AS no_hour_is_null;
SELECT count(*) AS profile_rows FROM smartregion.pv_profile_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  WHERE false$$, 45.7261, 4.9378, 35, 180);
-- an hour given twice is refused (it would count twice in the year), as by sky_agg
SELECT smartregion.pv_yield_hourly($$SELECT ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  FROM unnest(ARRAY['2021-06-21 12:00Z', '2021-06-21 13:00Z', '2021-06-21 12:00Z']::timestamptz[]) ts$$, 45.7261, 4.9378, 35, 180);
SELECT count(*) FROM smartregion.pv_profile_hourly($$SELECT ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  FROM unnest(ARRAY['2021-06-21 12:00Z', '2021-06-21 12:00Z']::timestamptz[]) ts$$, 45.7261, 4.9378, 35, 180);
-- the hours are read 10,000 rows at a time: a row out of range is named by its number
-- among all the rows, an hour given twice is found across batches (rows 1 and 12,001)
SELECT smartregion.pv_yield_hourly($$SELECT ts, 0::float8 AS ghi, 0::float8 AS dni, 0::float8 AS dhi,
  CASE WHEN n = 15000 THEN 99 ELSE 20 END::float8 AS temp_air, 1::float8 AS wind_speed
  FROM generate_series('2021-01-01 01:00Z'::timestamptz, '2021-01-01 01:00Z'::timestamptz + interval '15999 hours', '1 hour')
       WITH ORDINALITY t(ts, n)$$, 45.7261, 4.9378, 35, 180);
SELECT count(*) FROM smartregion.pv_profile_hourly($$SELECT ts, 0::float8 AS ghi, 0::float8 AS dni, 0::float8 AS dhi
  FROM generate_series('2021-01-01 01:00Z'::timestamptz, '2021-01-01 01:00Z'::timestamptz + interval '11999 hours', '1 hour') ts
  UNION ALL SELECT '2021-01-01 01:00Z', 0, 0, 0$$, 45.7261, 4.9378, 35, 180);

-- economics
SELECT smartregion.pv_economics(3, ARRAY[1, 2, 3]::float8[]);
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), ARRAY[1, NULL]::float8[]);
SELECT smartregion.pv_economics(3, array_fill(-1::float8, ARRAY[8760]));
-- a production of 12 x 24 values is named as such (it was called "load profile")
SELECT smartregion.pv_economics(3, array_fill('NaN'::float8, ARRAY[288]));
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), array_fill(1::float8, ARRAY[100]));
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 100}');
-- counts of years are whole: 25.5 years ran 26 (rounded silently), 2.5
-- contract years ran 2; refused as the options' integers are, and so is a
-- DBA's fractional row of the table (refused when written since 2026-12-07,
-- below; the run still checks a row written before: the table's check is
-- dropped in the transaction to write one)
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 25.5}');
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"contract_years": 2.5}');
BEGIN;
ALTER TABLE smartregion.pv_economic_parameter DROP CONSTRAINT pv_economic_parameter_valid;
INSERT INTO smartregion.pv_economic_parameter (name, value, unit, source, as_of)
VALUES ('lifetime_years', 25.5, 'years', 'a fraction', '2025-01-01');
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]));
ROLLBACK;
-- a premium paid over more years than the system runs: the instalments after
-- the last year are not counted, with a NOTICE (they were dropped silently,
-- then refused, 22023, which failed a cadastre on its roofs of 9 to 100 kWp).
-- 20 kWp, the table's S21 premium of 140 EUR/kWp over 5 years, over a
-- lifetime of 3: years 4 and 5, 2 x 5 % of 2,800 = 280 EUR, left out, 2,520
-- received (2,240 + 2 x 140); an option's 7 years over 4 of a 3 kWp system
-- (the table's 80 EUR/kWp = 240 EUR, 80 % = 192 in year 1, 8 EUR in each of
-- years 2 to 7): years 5 to 7, 24 EUR, left out, 216 received
SELECT e.premium_eur, cardinality(e.cashflow_eur) - 1 AS years
  FROM smartregion.pv_economics(20, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 3}') e;
SELECT round(e.premium_eur::numeric, 9) AS premium_eur
  FROM smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"premium_years": 7, "lifetime_years": 4}') e;
-- over a lifetime of 5 years it is paid whole: against no premium, the flow of
-- years 1 to 5 gains 80 % of 140 x 20 = 2,800 EUR, 2,240, then 5 %, 140 a year
-- (sum 2,800); 150 kWp has no premium (0 above 100 kWp), so a lifetime of 3
-- loses nothing; nor does a premium paid all in the first year (2,800 in year 1)
SELECT array(SELECT round((p - z)::numeric, 6) FROM unnest(a.cashflow_eur, b.cashflow_eur) u(p, z)) AS premium_paid
  FROM smartregion.pv_economics(20, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 5}') a,
       smartregion.pv_economics(20, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 5, "premium_eur_per_kwp": 0}') b;
SELECT e.premium_eur, cardinality(e.cashflow_eur) - 1 AS years
  FROM smartregion.pv_economics(150, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 3}') e;
SELECT array(SELECT round((p - z)::numeric, 6) FROM unnest(a.cashflow_eur, b.cashflow_eur) u(p, z)) AS premium_paid
  FROM smartregion.pv_economics(20, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 3, "premium_first_year_pct": 100}') a,
       smartregion.pv_economics(20, array_fill(1::float8, ARRAY[288]), NULL, '{"lifetime_years": 3, "premium_eur_per_kwp": 0}') b;
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"discount": 3}');
-- percentages typed as fractions, inside the options' ranges: a real discount rate of 3 %
-- typed 0.03 (it discounted at 0.03 %: 25 years of 1 EUR were worth 24.90 EUR instead of
-- (1 - 1.03^-25) / 0.03 = 17.41), an escalation of 2 %/year typed 0.02, a degradation
-- of 0.5 %/year typed 0.005, the premium's first-year share of 80 % typed 0.8; refused
-- (22023, the unit in the hint), from the options, a DBA's row of the table or the
-- cadastre's economics (before any roof is computed)
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"discount_rate_pct": 0.03}');
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"retail_escalation_pct": 0.02}');
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL, '{"degradation_pct_per_year": 0.005}');
SELECT smartregion.pv_economics(20, array_fill(1::float8, ARRAY[288]), NULL, '{"premium_first_year_pct": 0.8}');
BEGIN;
ALTER TABLE smartregion.pv_economic_parameter DROP CONSTRAINT pv_economic_parameter_valid;
INSERT INTO smartregion.pv_economic_parameter (name, value, unit, source, as_of)
VALUES ('discount_rate_pct', 0.04, '%', 'a fraction', '2025-01-01');
SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]));
ROLLBACK;
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT 1::bigint AS id, NULL::geometry AS geom, 1::float8 AS height WHERE false', s,
  '{"economics": {"discount_rate_pct": 0.03}}');
-- 0 (no discounting, no escalation) and the rates at 0.2 % are accepted
SELECT v, round((smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL,
         jsonb_build_object('discount_rate_pct', v, 'retail_escalation_pct', -v))).npv_eur::numeric, 2) IS NOT NULL AS accepted
  FROM (VALUES (0), (0.2), (-0.2)) x(v) ORDER BY v;
SELECT smartregion.pv_economics(-3, array_fill(1::float8, ARRAY[288]));
-- 0 kWp: no economics (it gave an IRR of -90 %, a payback of 0 years and the
-- production of pv_kwh for nothing)
SELECT smartregion.pv_economics(0, array_fill(1::float8, ARRAY[288]));
SELECT smartregion.pv_economics(s, 35, 180, 0) FROM sky;
-- a unit error is refused: a 3 kWp roof's 3,534 kWh a year (Lyon, 35 deg
-- south) given in Wh (3,534,000: 1,178,000 "kWh/kWp"), or its power in MW
-- (0.003: the same ratio); the bound is the rating in every hour of a leap
-- year, 8,784 kWh/kWp. Both went through as a system paying back in days.
SELECT smartregion.pv_economics(3, array_fill(3534000 / 8760.0::float8, ARRAY[8760]));
SELECT smartregion.pv_economics(0.003, array_fill(3534 / 8760.0::float8, ARRAY[8760]));
SELECT round((e).production_kwh::numeric, 6) AS production_kwh
  FROM (SELECT smartregion.pv_economics(3, array_fill(3534 / 8760.0::float8, ARRAY[8760])) e) q;
-- a flow of zeros (nothing invested, nothing earned) has no IRR: NULL, not -90 %
SELECT (e).irr_pct IS NULL AS no_irr, (e).npv_eur AS npv
  FROM (SELECT smartregion.pv_economics(3, array_fill(1::float8, ARRAY[288]), NULL,
          '{"capex_eur_per_kwp": 0, "retail_price_eur_kwh": 0, "feed_in_eur_kwh": 0, "premium_eur_per_kwp": 0,
            "om_eur_per_kwp_year": 0, "inverter_replacement_eur_per_kwp": 0}') AS e) x;
\set VERBOSITY sqlstate
DELETE FROM smartregion.pv_economic_parameter WHERE name = 'lifetime_years';
\set VERBOSITY default
-- a DBA's row is checked when written, by the run's rule (the core's
-- sr_econ_param_check): before 2026-12-07 each of these INSERTs succeeded but
-- the unknown name, and the first roof of the class reached by a cadastre
-- stopped the whole run (ranges: docs/pv.md's option table, e.g.
-- retail_price_eur_kwh [0, 5] EUR/kWh, lifetime_years [1, 60] whole years)
CREATE TEMP TABLE bad_row (n int, name text, max_kwp float8, value float8);
INSERT INTO bad_row VALUES
  (1, 'retail_price_eur_kwh', 'Infinity', -0.1),   -- a negative price
  (2, 'feed_in_eur_kwh', 0, 0.04),                  -- a class bound of 0 kWp
  (3, 'feed_in_eur_kwh', -9, 0.04),                 -- a negative bound
  (4, 'feed_in_eur_kwh', 'NaN', 0.04),              -- NaN, which passed "max_kwp > 0"
  (5, 'discount_rate_pct', 'Infinity', 0.03),       -- 3 % typed as a fraction
  (6, 'premium_first_year_pct', 36, 0.8),           -- 80 % typed as a fraction
  (7, 'lifetime', 'Infinity', 25),                  -- a name the table does not give
  (8, 'degradation_pct_per_year', 'Infinity', 0.5), -- the PV system's, never read here
  (9, 'lifetime_years', 'Infinity', 25.5),          -- a fraction of a year
  (10, 'lifetime_years', 'Infinity', 61),           -- above 60 years
  (11, 'capex_eur_per_kwp', 9, 25000);              -- above 20,000 EUR/kWp
CREATE FUNCTION pg_temp.try_row(n int) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  INSERT INTO smartregion.pv_economic_parameter (name, max_kwp, value, unit, source, as_of)
  SELECT b.name, b.max_kwp, b.value, 'u', 'bad row', '2026-01-01' FROM pg_temp.bad_row b WHERE b.n = try_row.n;
  RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ' ' || msg;
END $$;
SELECT n, pg_temp.try_row(n) AS result FROM bad_row ORDER BY n;
-- the full error of two of them (detail and hint)
INSERT INTO smartregion.pv_economic_parameter (name, value, unit, source, as_of)
VALUES ('retail_price_eur_kwh', -0.1, 'EUR/kWh', 'a negative price', '2026-01-01');
INSERT INTO smartregion.pv_economic_parameter (name, value, unit, source, as_of)
VALUES ('lifetime', 25, 'years', 'x', '2025-01-01');
-- a NULL max_kwp (23502) and a second row of the same class (23505) are refused
-- by the table's NOT NULL and primary key; an UPDATE of a DBA's row is checked too
\set VERBOSITY sqlstate
INSERT INTO smartregion.pv_economic_parameter (name, max_kwp, value, unit, source, as_of)
VALUES ('feed_in_eur_kwh', NULL, 0.04, 'EUR/kWh', 'x', '2026-01-01');
BEGIN;
INSERT INTO smartregion.pv_economic_parameter (name, max_kwp, value, unit, source, as_of)
VALUES ('feed_in_eur_kwh', 9, 0.05, 'EUR/kWh', 'a good override', '2026-01-01');
INSERT INTO smartregion.pv_economic_parameter (name, max_kwp, value, unit, source, as_of)
VALUES ('feed_in_eur_kwh', 9.0, 0.06, 'EUR/kWh', 'the same class again', '2026-01-01');
ROLLBACK;
BEGIN;
INSERT INTO smartregion.pv_economic_parameter (name, max_kwp, value, unit, source, as_of)
VALUES ('feed_in_eur_kwh', 9, 0.05, 'EUR/kWh', 'a good override', '2026-01-01');
UPDATE smartregion.pv_economic_parameter SET value = -0.05 WHERE origin = 'dba';
ROLLBACK;
\set VERBOSITY default
-- a good override still works, and is what the run takes: 3 kWp is in the class
-- of 9 kWp; a feed-in of 0.05 EUR/kWh instead of 0.04 on the same export
BEGIN;
INSERT INTO smartregion.pv_economic_parameter (name, max_kwp, value, unit, source, as_of)
VALUES ('feed_in_eur_kwh', 9, 0.05, 'EUR/kWh', 'a good override', '2026-01-01');
SELECT value, origin FROM smartregion.pv_economic_parameters WHERE name = 'feed_in_eur_kwh' AND max_kwp = 9;
SELECT round(((e).export_revenue_eur_year1 / (e).exported_kwh)::numeric, 6) AS feed_in
  FROM (SELECT smartregion.pv_economics(3, array_fill(3534 / 8760.0::float8, ARRAY[8760])) e) x;
ROLLBACK;
-- the economics column needs the PV model on hourly weather
CREATE TEMP TABLE b AS
WITH o AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 2154) AS p)
SELECT 1::bigint AS id, ST_MakeEnvelope(ST_X(p), ST_Y(p), ST_X(p) + 20, ST_Y(p) + 10, 2154) AS geom, 6.0::float8 AS height FROM o;
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"economics": {}, "pv_model": "performance_ratio"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"economics": {"capex_eur_per_kwp": -1}}');

-- terrain
CREATE TEMP TABLE dem AS
SELECT ST_AddBand(ST_MakeEmptyRaster(10, 10, 0, 100, 10, -10, 0, 0, 2154), '32BF'::text, 5::float8) AS rast;
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem', 'SRID=3946;POINT(50 50 10)');
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem', 'SRID=4326;POINT(5 45)');
SELECT smartregion.horizon_from_dem('SELECT rast AS r FROM dem', 'SRID=2154;POINT(50 50 10)');
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem WHERE false', 'SRID=2154;POINT(50 50 10)');
-- dem_sql is checked alone before it becomes a subquery: its own errors, and
-- a trailing semicolon or comment is fine
SELECT smartregion.horizon_from_dem('SELECT 1 AS rast', 'SRID=2154;POINT(50 50 10)');
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem; SELECT 2', 'SRID=2154;POINT(50 50 10)');
SELECT smartregion.horizon_from_dem('DELETE FROM dem RETURNING rast', 'SRID=2154;POINT(50 50 10)');
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem -- the DEM', 'SRID=2154;POINT(50 50 10)', 100, 4);
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem;', 'SRID=2154;POINT(50 50 10)', 100, 4);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"terrain_sql": "SELECT rast, rast FROM dem"}');
SELECT smartregion.horizon_from_dem('SELECT ST_SetSkew(rast, 1, 0) AS rast FROM dem', 'SRID=2154;POINT(50 50 10)');
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem', 'SRID=2154;POINT(500 500)');
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem', 'SRID=2154;POINT(50 50 10)', 0);
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem', 'SRID=2154;POINT(50 50 10)', 100, 3);
SELECT smartregion.horizon_max('{4:0,0,0,0}', '{8:0,0,0,0,0,0,0,0}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"terrain_sql": "SELECT ST_SetSRID(rast, 3946) AS rast FROM dem"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"terrain_sql": 5}');
-- the elevation model is held in memory, 4 bytes a pixel, at most smartregion.max_dem_pixels
-- pixels: two copies of the 10 x 10 tile (200 pixels) pass at 200, are refused at 199 (the
-- second row brings the 200th pixel), for horizon_from_dem and terrain_sql alike
SET smartregion.max_dem_pixels = 200;
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem, generate_series(1, 2)', 'SRID=2154;POINT(50 50 10)', 100, 4)::text
     = smartregion.horizon_from_dem('SELECT rast FROM dem', 'SRID=2154;POINT(50 50 10)', 100, 4)::text AS two_copies_pass;
SET smartregion.max_dem_pixels = 199;
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem, generate_series(1, 2)', 'SRID=2154;POINT(50 50 10)', 100, 4);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"terrain_sql": "SELECT rast FROM dem, generate_series(1, 2)"}');
SET smartregion.max_dem_pixels = 0;
RESET smartregion.max_dem_pixels;
SHOW smartregion.max_dem_pixels;
-- without postgis_raster
SET client_min_messages = warning;
DROP EXTENSION postgis_raster CASCADE;
RESET client_min_messages;
SELECT smartregion.horizon_from_dem('SELECT NULL AS rast', 'SRID=2154;POINT(50 50 10)');
-- trees
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"trees_sql": "SELECT 1::bigint AS id, ST_SetSRID(ST_MakePoint(0, 0), 2154) AS geom, 10.0 AS height, 0.0 AS crown_radius"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"trees_sql": "SELECT 1::bigint AS id, ST_MakeEnvelope(0, 0, 1, 1, 2154) AS geom, 10.0 AS height, 2.0 AS crown_radius"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"trees_sql": "SELECT 1::bigint AS id, ST_SetSRID(ST_MakePoint(0, 0), 3946) AS geom, 10.0 AS height, 2.0 AS crown_radius"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s,
  '{"tree_transmittance": [0.5, 0.5]}');
