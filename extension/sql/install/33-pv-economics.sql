-- ---------------------------------------------------------------------------
-- PV economics (issue 17): self-consumption and export hour by hour, the
-- cash flow over the lifetime, NPV, IRR, paybacks, LCOE, CO2 avoided; the
-- French defaults in a configuration table with their source and date.
-- Reference: docs/pv.md, "Economics".
-- ---------------------------------------------------------------------------

-- A row is checked when it is written, by the rule the run applies to the
-- value it takes (the core's sr_econ_param_check, the same as
-- sr_econ_check): a parameter the table gives, a class bound max_kwp > 0
-- (Infinity: every size), a value in the option's range, whole years, a
-- percentage not typed as a fraction.  A DBA's bad row was found only when
-- a cadastre reached its first roof of that class, and stopped the run; the
-- run still checks what it takes (rows written before).  It raises the
-- error itself (22023, 22003) rather than returning false, so that the
-- message says which value is wrong.
CREATE FUNCTION @extschema@._pv_economic_parameter_check(name text, max_kwp float8, value float8)
RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_pv_economic_parameter_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@._pv_economic_parameter_check(text, float8, float8) IS
  'internal: the CHECK of a row of pv_economic_parameter: true, or the error of a name the table does not give, a max_kwp not positive, or a value pv_economics would refuse (22023, 22003)';

-- the configuration: one row per parameter and size class (max_kwp: the
-- class's upper bound, Infinity for every size).  The extension's rows
-- (origin 'extension') are re-created by its script; a DBA overrides one by
-- inserting a row of origin 'dba' (kept by pg_dump), which takes
-- precedence in the view pv_economic_parameters.
CREATE TABLE @extschema@.pv_economic_parameter (
  name     text NOT NULL,
  max_kwp  float8 NOT NULL DEFAULT 'Infinity',
  value    float8 NOT NULL,
  unit     text NOT NULL,
  source   text NOT NULL,
  as_of    date NOT NULL,
  origin   text NOT NULL DEFAULT 'dba' CHECK (origin IN ('extension', 'dba')),
  PRIMARY KEY (name, max_kwp, origin),
  CONSTRAINT pv_economic_parameter_valid CHECK (@extschema@._pv_economic_parameter_check(name, max_kwp, value))
);
COMMENT ON TABLE @extschema@.pv_economic_parameter IS
  'defaults of pv_economics by parameter and size class (max_kwp), with source and date: the extension''s rows and the DBA''s overrides (origin ''dba'', kept by pg_dump)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.pv_economic_parameter', 'WHERE origin = ''dba''');
GRANT SELECT ON @extschema@.pv_economic_parameter TO PUBLIC;

CREATE FUNCTION @extschema@._pv_economic_parameter_guard() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- the extension's rows are its script's: they are re-created, not edited
  RAISE EXCEPTION 'cannot % the extension''s default of "%"', pg_catalog.lower(TG_OP), OLD.name
    USING ERRCODE = '55000',
          HINT = 'Insert a row of origin ''dba'' for the same name and max_kwp: it takes precedence and pg_dump keeps it.';
END
$$;
COMMENT ON FUNCTION @extschema@._pv_economic_parameter_guard() IS
  'trigger of pv_economic_parameter: the extension''s rows are not updated nor deleted (override them with rows of origin dba)';
CREATE TRIGGER pv_economic_parameter_guard
  BEFORE UPDATE OR DELETE ON @extschema@.pv_economic_parameter
  FOR EACH ROW WHEN (OLD.origin = 'extension')
  EXECUTE FUNCTION @extschema@._pv_economic_parameter_guard();

CREATE VIEW @extschema@.pv_economic_parameters AS
SELECT DISTINCT ON (p.name, p.max_kwp) p.name, p.max_kwp, p.value, p.unit, p.source, p.as_of, p.origin
  FROM @extschema@.pv_economic_parameter p
 ORDER BY p.name, p.max_kwp, p.origin OPERATOR(pg_catalog.=) 'dba' DESC;
COMMENT ON VIEW @extschema@.pv_economic_parameters IS
  'the parameters pv_economics uses: a DBA''s row where there is one, else the extension''s default';
GRANT SELECT ON @extschema@.pv_economic_parameters TO PUBLIC;

INSERT INTO @extschema@.pv_economic_parameter (name, max_kwp, value, unit, source, as_of, origin) VALUES
  ('retail_price_eur_kwh', 'Infinity', 0.194, 'EUR/kWh',
   'regulated retail price (TRVE, EDF tarif Bleu), option Base 3 and 6 kVA, incl. taxes, from 1 February 2026 (0.1927 from 9 to 36 kVA; was 0.1952 from 1 August 2025, 0.2016 from 1 February 2025), as reported by https://www.revolution-energetique.com/actus/voici-les-nouveaux-prix-de-lelectricite-au-1er-fevrier-2026/', '2026-02-01', 'extension'),
  ('retail_escalation_pct', 'Infinity', 0, '%/year', 'real terms: no escalation assumed', '2025-02-01', 'extension'),
  ('feed_in_eur_kwh', 9, 0.04, 'EUR/kWh',
   'surplus sale tariff, S21 order of 6 October 2021 as amended on 26 March 2025, quarter 1 January-31 March 2026 (CRE, as reported by https://tecsol-quotidien.fr/photovoltaique-les-tarifs-dachat-pour-les-installations-de-9-a-100-kwc-baissent-de-13-au-1er-trimestre-2026)', '2026-01-01', 'extension'),
  ('feed_in_eur_kwh', 36, 0.0536, 'EUR/kWh', 'same, 9-36 kWp', '2026-01-01', 'extension'),
  ('feed_in_eur_kwh', 100, 0.0536, 'EUR/kWh', 'same, 36-100 kWp', '2026-01-01', 'extension'),
  ('feed_in_eur_kwh', 'Infinity', 0, 'EUR/kWh',
   'above 100 kWp no open-window tariff since 22 September 2025 (simplified tenders): set your own price', '2025-09-22', 'extension'),
  ('premium_eur_per_kwp', 9, 80, 'EUR/kWp',
   'self-consumption premium, S21, quarter 1 January-31 March 2026 (CRE, as reported by https://pilotagegroupe.fr/2025/03/nouveaux-tarifs-de-rachat-photovoltaiques-janvier-2026-france), paid at once up to 9 kWp', '2026-01-01', 'extension'),
  ('premium_eur_per_kwp', 36, 140, 'EUR/kWp', 'same, 9-36 kWp, paid over 5 years (premium_first_year_pct)', '2026-01-01', 'extension'),
  ('premium_eur_per_kwp', 100, 70, 'EUR/kWp', 'same, 36-100 kWp, paid over 5 years (premium_first_year_pct)', '2026-01-01', 'extension'),
  ('premium_eur_per_kwp', 'Infinity', 0, 'EUR/kWp', 'none above 100 kWp', '2026-01-01', 'extension'),
  ('premium_years', 9, 1, 'years', 'S21: paid in one instalment up to 9 kWp (connection requests from 1 November 2022)', '2022-11-01', 'extension'),
  ('premium_years', 'Infinity', 5, 'years', 'S21: paid over five years from 9 to 100 kWp', '2022-11-01', 'extension'),
  ('premium_first_year_pct', 'Infinity', 80, '%',
   'S21 (connection requests from 1 November 2022, order of 8 February 2023): 80 % after the first year, then 5 % a year for four years, https://photovoltaique.info/fr/faq/detail/87 and the Government''s answer in the Assemblée nationale, https://nosdeputes.fr/16/intervention/194486', '2022-11-01', 'extension'),
  ('capex_eur_per_kwp', 3, 2500, 'EUR/kWp',
   'indicative installed price of a residential rooftop system incl. VAT, France 2024-2025 (order of magnitude of published quotes): set your own', '2025-01-01', 'extension'),
  ('capex_eur_per_kwp', 9, 2000, 'EUR/kWp', 'same, 3-9 kWp', '2025-01-01', 'extension'),
  ('capex_eur_per_kwp', 36, 1500, 'EUR/kWp', 'indicative, 9-36 kWp, excl. VAT', '2025-01-01', 'extension'),
  ('capex_eur_per_kwp', 100, 1200, 'EUR/kWp', 'indicative, 36-100 kWp, excl. VAT', '2025-01-01', 'extension'),
  ('capex_eur_per_kwp', 'Infinity', 1000, 'EUR/kWp', 'indicative, above 100 kWp, excl. VAT', '2025-01-01', 'extension'),
  ('om_eur_per_kwp_year', 9, 20, 'EUR/kWp/year', 'indicative operation, maintenance and insurance', '2025-01-01', 'extension'),
  ('om_eur_per_kwp_year', 36, 15, 'EUR/kWp/year', 'indicative, 9-36 kWp', '2025-01-01', 'extension'),
  ('om_eur_per_kwp_year', 'Infinity', 12, 'EUR/kWp/year', 'indicative, above 36 kWp', '2025-01-01', 'extension'),
  ('inverter_replacement_eur_per_kwp', 9, 250, 'EUR/kWp', 'indicative string inverter replacement', '2025-01-01', 'extension'),
  ('inverter_replacement_eur_per_kwp', 36, 150, 'EUR/kWp', 'indicative, 9-36 kWp', '2025-01-01', 'extension'),
  ('inverter_replacement_eur_per_kwp', 'Infinity', 100, 'EUR/kWp', 'indicative, above 36 kWp', '2025-01-01', 'extension'),
  ('inverter_replacement_year', 'Infinity', 15, 'year', 'string inverters last 10 to 15 years (indicative)', '2025-01-01', 'extension'),
  ('discount_rate_pct', 'Infinity', 3, '%', 'real discount rate of a household (indicative)', '2025-01-01', 'extension'),
  ('lifetime_years', 'Infinity', 25, 'years', 'usual module power warranty', '2025-01-01', 'extension'),
  ('contract_years', 'Infinity', 20, 'years', 'S21 purchase obligation contract: 20 years', '2025-04-01', 'extension'),
  ('post_contract_price_eur_kwh', 'Infinity', 0, 'EUR/kWh', 'nothing assumed after the contract', '2025-01-01', 'extension'),
  ('grid_emission_kg_kwh', 'Infinity', 0.052, 'kgCO2e/kWh',
   'ADEME Base Empreinte, electricity, France mainland, average consumption mix (order of the 2022 value)', '2024-01-01', 'extension'),
  ('annual_load_kwh', 'Infinity', 4500, 'kWh',
   'order of the average residential consumption in France (CRE retail market observatory), for the default household profile', '2024-01-01', 'extension'),
  ('utc_offset_h', 'Infinity', 1, 'h', 'France: CET, standard time (load profiles in local standard time)', '2025-01-01', 'extension');

-- the result -----------------------------------------------------------------
CREATE TYPE @extschema@.pv_economics AS (
  pv_kwp float8,
  size_class_max_kwp float8,
  production_kwh float8,
  self_consumed_kwh float8,
  exported_kwh float8,
  self_consumption_pct float8,
  self_sufficiency_pct float8,
  investment_eur float8,
  premium_eur float8,
  savings_eur_year1 float8,
  export_revenue_eur_year1 float8,
  om_eur_year float8,
  npv_eur float8,
  irr_pct float8,
  simple_payback_years float8,
  discounted_payback_years float8,
  lcoe_eur_kwh float8,
  co2_avoided_kg_year float8,
  co2_avoided_t_lifetime float8,
  cashflow_eur float8[]
);
COMMENT ON TYPE @extschema@.pv_economics IS
  'economics of a PV system: first-year energy balance and money, NPV, IRR, paybacks, LCOE, CO2 avoided and the yearly cash flow (year 0 = investment)';

CREATE FUNCTION @extschema@.pv_economics(pv_kwp float8, pv_kwh float8[], load_kwh float8[] DEFAULT NULL,
    options jsonb DEFAULT '{}')
RETURNS @extschema@.pv_economics
  AS 'MODULE_PATHNAME', 'sr_fn_pv_economics' LANGUAGE C STABLE PARALLEL RESTRICTED COST 1000;
COMMENT ON FUNCTION @extschema@.pv_economics(float8, float8[], float8[], jsonb) IS
  'economics of a PV system from its first-year production and a load (8,760 hourly values in local standard time, or 12 x 24 average days; NULL load: the default household), defaults from pv_economic_parameters';

CREATE FUNCTION @extschema@.pv_economics(sky @extschema@.sky, surface_tilt float8, surface_azimuth float8,
    pv_kwp float8, horizon @extschema@.horizon DEFAULT NULL, system jsonb DEFAULT '{}',
    load_kwh float8[] DEFAULT NULL, options jsonb DEFAULT '{}', albedo float8 DEFAULT 0.25)
RETURNS @extschema@.pv_economics
  AS 'MODULE_PATHNAME', 'sr_fn_pv_economics_sky' LANGUAGE C STABLE PARALLEL RESTRICTED COST 1000;
COMMENT ON FUNCTION @extschema@.pv_economics(@extschema@.sky, float8, float8, float8, @extschema@.horizon, jsonb, float8[], jsonb, float8) IS
  'economics of a PV system on a plane under a horizon: its production hour by hour from the sky (pv_profile) against a load, defaults from pv_economic_parameters';
