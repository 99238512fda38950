-- A role without USAGE on schema smartregion reading another role's view that calls one of
-- the PL/pgSQL readers (every function they run is named through the schema): one clear
-- 42501 about the schema, first, naming the reader and the fix (the detail), as the CNIG
-- exports give (reads_trust.sql).  Before (review of 2026-12-06), the first lookup inside
-- failed with no detail: _options or _maturity_resolve in the declarations, the type
-- smartregion.territory when the function was compiled, _hub_require or _hub_read_guard in
-- the body; tierslieux_coverage, in SQL, when its body was parsed.  Since the review of
-- 2026-12-06 (h1), the other readers PUBLIC executes that name the schema's functions or
-- tables (campaign_questionnaire, hub_srid, maturity_check_framework, services, solar_tile,
-- solar_cells_tile, tile_layers, version, thd_ftth_coverage) too; before, the same 42501
-- with no detail (thd_ftth_coverage's about the hub's schema, which the role lacks as well).
BEGIN;
SELECT plan(31);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rn_hub') \gset
CREATE ROLE rn_nousage;
CREATE SCHEMA rn_v;
GRANT USAGE ON SCHEMA rn_v TO rn_nousage;
CREATE FUNCTION pg_temp.rn_error(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE st text; msg text; det text;
BEGIN
  SET LOCAL ROLE rn_nousage;
  EXECUTE q;
  RESET ROLE;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  RETURN st || ' ' || msg || ' / ' || coalesce(det, '<no detail>');
END $f$;
-- one view a reader, each selecting the reader's result as a column r (so that the scalar
-- readers are evaluated by count(r))
CREATE TEMP TABLE rn_reader (fn text, call text);
INSERT INTO rn_reader VALUES
  ('maturity_scores', $$SELECT s::text AS r FROM smartregion.maturity_scores('default', 2024, '{"hub": "rn_hub"}') s$$),
  ('maturity_rollup', $$SELECT s::text AS r FROM smartregion.maturity_rollup('default', 2024, '{"hub": "rn_hub"}') s$$),
  ('maturity_score', $$SELECT s::text AS r FROM smartregion.maturity_score('35238', 'default', 2024, '{"hub": "rn_hub"}') s$$),
  ('maturity_peers', $$SELECT s::text AS r FROM smartregion.maturity_peers('35238', 'default', 2024, '{"hub": "rn_hub"}') s$$),
  ('maturity_uncertainty', $$SELECT s::text AS r FROM smartregion.maturity_uncertainty('default', 10, 1, 2024, '{"hub": "rn_hub"}') s$$),
  ('maturity_recommendations', $$SELECT s::text AS r FROM smartregion.maturity_recommendations('35238', 'default', 2024, '{"hub": "rn_hub"}') s$$),
  ('maturity_radar_svg', $$SELECT smartregion.maturity_radar_svg('35238', 'default', 2024, '{"hub": "rn_hub"}') AS r$$),
  ('maturity_trend', $$SELECT s::text AS r FROM smartregion.maturity_trend('35238', 'default', '{"hub": "rn_hub"}') s$$),
  ('maturity_movers', $$SELECT s::text AS r FROM smartregion.maturity_movers(2020, 2023, 'default', '{"hub": "rn_hub"}') s$$),
  ('maturity_report', $$SELECT smartregion.maturity_report('35238', 'default', 2024, '{"hub": "rn_hub"}') AS r$$),
  ('catalog_dcat', $$SELECT smartregion.catalog_dcat('rn_hub')::text AS r$$),
  ('campaign_progress', $$SELECT s::text AS r FROM smartregion.campaign_progress('rn_hub') s$$),
  ('thd_rollout', $$SELECT s::text AS r FROM smartregion.thd_rollout('{"hub": "rn_hub"}') s$$),
  ('tierslieux_access_indicator', $$SELECT s::text AS r FROM smartregion.tierslieux_access_indicator(2024) s$$),
  ('tierslieux_coverage', $$SELECT s::text AS r FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat') s$$),
  ('campaign_questionnaire', $$SELECT s::text AS r FROM smartregion.campaign_questionnaire('no-such-token', 'rn_hub') s$$),
  ('hub_srid', $$SELECT smartregion.hub_srid('rn_hub') AS r$$),
  ('maturity_check_framework', $$SELECT smartregion.maturity_check_framework('default') AS r$$),
  ('services', $$SELECT s::text AS r FROM smartregion.services() s$$),
  ('solar_tile', $$SELECT smartregion.solar_tile(0, 0, 0, 'rn_hub.solar_roofs') AS r$$),
  ('solar_cells_tile', $$SELECT smartregion.solar_cells_tile(0, 0, 0, 'rn_hub.solar_roof_cells') AS r$$),
  ('tile_layers', $$SELECT s::text AS r FROM smartregion.tile_layers() s$$),
  ('version', $$SELECT smartregion.version() AS r$$),
  ('thd_ftth_coverage', $$SELECT s::text AS r FROM smartregion.thd_ftth_coverage(2024) s$$);
SELECT format('CREATE VIEW rn_v.%I AS %s', fn, call) FROM rn_reader \gexec
GRANT SELECT ON ALL TABLES IN SCHEMA rn_v TO rn_nousage;
-- (thd_ftth_coverage, a maturity plugin, reads the hub of the setting smartregion.hub)
SET LOCAL smartregion.hub = 'rn_hub';

SELECT is(pg_temp.rn_error(format('SELECT count(r) FROM rn_v.%I', fn)),
          format('42501 permission denied for schema smartregion / Role "rn_nousage" has no USAGE on schema smartregion, whose functions %1$s runs; a view calling %1$s lends its owner''s rights on the view, not on that schema.', fn),
          'a role without USAGE on smartregion reading a view calling ' || fn || ': 42501 about the schema, naming the reader')
  FROM rn_reader ORDER BY fn;

-- the readers themselves, with USAGE: unchanged (catalog_dcat's catalogue row and
-- maturity_score's territory, now records, not variables of the schema's types)
SELECT smartregion.catalog_configure('rn_hub', 'Plateforme régionale', 'Données du concentrateur régional',
  'Région Exemple', 'https://www.example-region.fr', 'dpo@example-region.fr', 'https://data.example-region.fr/');
SELECT is(jsonb_path_query_array(smartregion.catalog_dcat('rn_hub'), '$.**."foaf:name"')::text, '["Région Exemple", "Région Exemple"]',
          'catalog_dcat of the configured hub names its publisher (catalogue and contact point)');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.maturity_score('no-such-territory', 'default', 2024, '{"hub": "rn_hub"}')$$),
          '42704', 'maturity_score of a territory that does not exist: 42704, as before');
SELECT is((SELECT count(*) FROM rn_v.campaign_progress)::text, '0', 'the superuser reads campaign_progress through the view (no campaign)');
-- made a reader (USAGE on smartregion, the hub granted by grant_roles), the role gets past
-- the check: the view of campaign_progress (no campaign)
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rn_hub') \gset
GRANT smartregion_reader TO rn_nousage;
SELECT is(pg_temp.as_role('rn_nousage', 'SELECT count(*)::text FROM rn_v.campaign_progress'), '0',
          'made a reader, the role reads the view of campaign_progress (0 campaigns)');
-- thd_ftth_coverage of the hub's empty FttH tables: no territory; services: the ones this
-- file's database registered (as the superuser reads them)
SELECT is(pg_temp.as_role('rn_nousage', 'SELECT count(*)::text FROM rn_v.thd_ftth_coverage'), '0',
          'made a reader, the role reads the view of thd_ftth_coverage (no FttH quarter loaded: no territory)');
SELECT is(pg_temp.as_role('rn_nousage', 'SELECT count(*)::text FROM rn_v.services'),
          (SELECT count(*)::text FROM smartregion.services()),
          'made a reader, the role reads the view of services (every service the superuser reads)');
REVOKE smartregion_reader FROM rn_nousage;

-- USAGE on smartregion but not on the hub: thd_ftth_coverage names the hub's schema, the
-- role, its tables and what to grant (before: 42501 permission denied for schema rn_hub, no
-- detail)
GRANT USAGE ON SCHEMA smartregion TO rn_nousage;
SELECT is(pg_temp.rn_error('SELECT count(r) FROM rn_v.thd_ftth_coverage'),
          '42501 permission denied for schema rn_hub / Role "rn_nousage" has no USAGE on schema rn_hub, whose tables thd_ftth and thd_premises thd_ftth_coverage reads (the hub of the setting smartregion.hub).',
          'USAGE on smartregion but not on the hub: thd_ftth_coverage 42501 about the hub, naming its tables');
REVOKE USAGE ON SCHEMA smartregion FROM rn_nousage;

SELECT * FROM finish();
ROLLBACK;
