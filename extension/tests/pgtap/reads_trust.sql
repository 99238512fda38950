-- pgTAP: the reading functions run as their caller too, so whatever another role put in the
-- hub they read (a view in place of a table, the functions it calls, policies) runs with the
-- caller's rights.  Before (review of 2026-12-06) only the writing functions were guarded: a
-- superuser's catalog_dcat, maturity_* readers or CNIG exports on a hub that a platform
-- administrator owns ran that administrator's code as superuser.  Now they apply the rule of
-- _hub_code_guard when the caller is a superuser or a platform administrator, as the
-- writing functions agents call do (docs/security.md).  Roles:
--  * rt_padmin, a platform administrator who made the hub rt_own (create_hub) and put, in
--    place of its table maturity_value, a view calling a function of its own that records
--    the role running it;
--  * rt_padmin2, another platform administrator, whose rights rt_padmin does not hold;
--  * rt_reader, a reader (no privileged rights to lend: its reads are not guarded).
BEGIN;
SELECT plan(16);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS loaded FROM smartregion.load_territories(
  '[{"code": "69001", "nom": "A", "departement": "69", "region": "84", "population": 1000}]',
  '[]', '[{"code": "69", "nom": "Rhône", "region": "84"}]', '[{"code": "84", "nom": "ARA"}]') \gset
-- (grant_roles grants the platform administrators EXECUTE on create_hub)
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rt_base') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rt_base') \gset
CREATE ROLE rt_padmin IN ROLE smartregion_platform_admin;
CREATE ROLE rt_padmin2 IN ROLE smartregion_platform_admin;
CREATE ROLE rt_reader IN ROLE smartregion_reader;
SELECT format('GRANT CREATE ON DATABASE %I TO rt_padmin', current_database()) \gexec
SELECT is(pg_temp.as_role('rt_padmin', $$SELECT count(*) > 0 FROM smartregion.create_hub('rt_own')$$, true),
          'true', 'the platform administrator makes a hub of its own');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rt_own') \gset
SELECT smartregion.catalog_configure('rt_own', 'Plateforme', 'Données', 'Région', 'https://example.org',
                                     'dpo@example.org', 'https://data.example.org/') IS NOT NULL AS configured \gset
SELECT is(pg_temp.as_role('rt_padmin', $$
            CREATE TABLE rt_own.loot (who name);
            GRANT INSERT ON rt_own.loot TO PUBLIC;
            CREATE FUNCTION rt_own.peek() RETURNS boolean LANGUAGE plpgsql AS
              $f$ BEGIN INSERT INTO rt_own.loot VALUES (current_user); RETURN true; END $f$;
            DROP TABLE rt_own.maturity_value CASCADE;
            CREATE VIEW rt_own.maturity_value AS
              SELECT 'ftth_coverage'::text AS indicator, 'commune'::text AS territory_type, '69001'::text AS territory_code,
                     2024 AS year, 50.0::float8 AS value, 'view'::text AS source
               WHERE rt_own.peek();
            GRANT SELECT ON rt_own.maturity_value TO smartregion_reader;
            SELECT 'planted'$$, true),
          'planted', 'rt_padmin puts a view calling its own function in place of maturity_value');

-- the superuser's reads are refused (before: each ran rt_own.peek() as the superuser); kept
-- (as_role's keep), so that what they ran stays recorded
SELECT matches(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.maturity_scores('default', NULL, '{"hub": "rt_own"}')$$, true),
               '^42501$', 'a superuser''s maturity_scores on rt_padmin''s hub: 42501');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.maturity_score('69001', options => '{"hub": "rt_own"}')$$, true),
          '42501', 'and maturity_score');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.maturity_rollup('default', NULL, '{"hub": "rt_own"}')$$, true),
          '42501', 'and maturity_rollup');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.maturity_uncertainty('default', 5, 1, NULL, '{"hub": "rt_own"}')$$, true),
          '42501', 'and maturity_uncertainty');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.maturity_trend('69001', options => '{"hub": "rt_own"}')$$, true),
          '42501', 'and maturity_trend');
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion.catalog_dcat('rt_own')::text$$, true),
          '42501', 'and catalog_dcat (it reads the temporal extent of maturity_value)');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.site_eco(
            'SELECT * FROM rt_own.zae_zones', 'SELECT * FROM rt_own.zae_parcels', 'SELECT * FROM rt_own.zae_buildings',
            'SELECT * FROM rt_own.zae_establishments')$$, true),
          '42501', 'and a CNIG export whose query texts read the hub');
SELECT matches((SELECT e FROM (SELECT pg_temp.as_role(current_user, $$SELECT smartregion.cnig_csv('pole_eco',
            'SELECT * FROM rt_own.zae_zones', 'SELECT * FROM rt_own.zae_parcels', 'SELECT * FROM rt_own.zae_buildings',
            'SELECT * FROM rt_own.zae_establishments')$$, true) e) x), '^42501$', 'cnig_csv too (through its class function)');
-- another platform administrator's reads too
SELECT is(pg_temp.as_role('rt_padmin2', $$SELECT count(*)::text FROM smartregion.maturity_scores('default', NULL, '{"hub": "rt_own"}')$$, true),
          '42501', 'another platform administrator''s maturity_scores: 42501');
SELECT is((SELECT count(*)::text FROM rt_own.loot), '0', 'rt_padmin''s function ran for neither (before: it recorded the superuser)');

-- the owner and the readers, whose rights nobody borrows, read as before
SELECT is(pg_temp.as_role('rt_padmin', $$SELECT round(raw_value)::text FROM smartregion.maturity_score('69001', options => '{"hub": "rt_own"}')
                                         WHERE indicator = 'ftth_coverage'$$, true),
          '50', 'the hub''s owner reads its own values (50, from its view)');
SELECT is(pg_temp.as_role('rt_reader', $$SELECT round(raw_value)::text FROM smartregion.maturity_score('69001', options => '{"hub": "rt_own"}')
                                         WHERE indicator = 'ftth_coverage'$$, true),
          '50', 'so does a reader (not guarded: the hub''s owner is whom its readers trust)');
SELECT is(pg_temp.as_role('rt_reader', $$SELECT (smartregion.catalog_dcat('rt_own') IS NOT NULL)::text$$),
          'true', 'and its catalog_dcat');
SELECT is((SELECT string_agg(DISTINCT who::text, ',' ORDER BY who::text) FROM rt_own.loot), 'rt_padmin,rt_reader',
          'the view''s function ran for the owner and the reader only');

SELECT * FROM finish();
ROLLBACK;
