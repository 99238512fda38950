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
-- Since the review of 2026-12-06 (h1, second pass), the C readers that read the schema's
-- tables through SPI too (match_score, match_explain, match_candidates: match_criterion;
-- pv_economics, both forms, and solar_cadastre's option economics: pv_economic_parameters;
-- _maturity_eval, _maturity_detail, _maturity_mc: the frameworks and territories), through
-- sr_require_schema_usage (query.c), the same text (sr_schema_usage.h); before, 42501
-- permission denied for schema smartregion with no detail, from the read's lookup.
-- Since the review of 2026-12-06 (h8), the C maturity readers (_maturity_eval,
-- _maturity_detail, _maturity_mc; maturity_scores and the other maturity_* readers through
-- them) check USAGE on the hub whose maturity_value and maturity_answer they read, as
-- thd_ftth_coverage does (sr_require_hub_usage, query.c; text in sr_schema_usage.h); before,
-- a role with USAGE on smartregion but not on the hub got 42501 permission denied for schema
-- <hub> with no detail, from the read of <hub>.maturity_value.
-- Since the review of 2026-12-06 (h2), each maturity_* reader checks it first, through the
-- shared _hub_usage_guard (query.c), and names itself (before: the _maturity_eval,
-- _maturity_detail or _maturity_mc it runs); thd_ftth_coverage calls the same check (before:
-- a copy of the text in PL/pgSQL, whose hint had drifted), its detail and hint compared with
-- _maturity_eval's.
BEGIN;
SELECT plan(61);
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
  RETURN st || ' ' || msg || ' / ' || coalesce(nullif(det, ''), '<no detail>');
END $f$;
-- the hint of the same error
CREATE FUNCTION pg_temp.rn_hint(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE h text;
BEGIN
  SET LOCAL ROLE rn_nousage;
  EXECUTE q;
  RESET ROLE;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
  RETURN coalesce(nullif(h, ''), '<no hint>');
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
-- the C readers that read the schema's tables through SPI: a view each (view), the SQL
-- function the error names (fn)
CREATE TEMP TABLE rn_creader (view text, fn text, call text);
INSERT INTO rn_creader VALUES
  ('match_score', 'match_score', $$SELECT smartregion.match_score('{"lon": 2.35, "lat": 48.85}', '{"lon": 2.35, "lat": 48.85}') AS r$$),
  ('match_explain', 'match_explain', $$SELECT smartregion.match_explain('{"lon": 2.35, "lat": 48.85}', '{"lon": 2.35, "lat": 48.85}')::text AS r$$),
  ('match_candidates', 'match_candidates', $$SELECT s::text AS r FROM smartregion.match_candidates('SELECT 1::bigint AS id, ''{}''::jsonb AS attrs', 'SELECT 2::bigint AS id, ''{}''::jsonb AS attrs') s$$),
  ('pv_economics', 'pv_economics', $$SELECT smartregion.pv_economics(3, array_fill(300::float8, ARRAY[288]))::text AS r$$),
  ('pv_economics_sky', 'pv_economics', $$SELECT smartregion.pv_economics(smartregion.sky_clearsky('SRID=4326;POINT(4.8 45.7)'::geometry), 30, 180, 3)::text AS r$$),
  ('solar_cadastre_economics', 'solar_cadastre', $$SELECT s.economics::text AS r FROM smartregion.solar_cadastre('SELECT 1::bigint AS id, ST_Transform(ST_Buffer(''SRID=4326;POINT(4.8 45.7)''::geometry::geography, 5)::geometry, 2154) AS geom, 10::float8 AS height', smartregion.sky_clearsky('SRID=4326;POINT(4.8 45.7)'::geometry), '{"economics": {}}') s$$),
  ('_maturity_eval', '_maturity_eval', $$SELECT s::text AS r FROM smartregion._maturity_eval('default', 2024, NULL, NULL, NULL, 'rn_hub', NULL, false) s$$),
  ('_maturity_detail', '_maturity_detail', $$SELECT s::text AS r FROM smartregion._maturity_detail('default', 2024, NULL, NULL, NULL, 'rn_hub', 'commune', '35238') s$$),
  ('_maturity_mc', '_maturity_mc', $$SELECT s::text AS r FROM smartregion._maturity_mc('default', 2024, 10, 1, 0.1, ARRAY['minmax'], ARRAY['arithmetic'], ARRAY['reweight'], 'minmax', 'arithmetic', 'reweight', 'rn_hub', NULL) s$$);
SELECT format('CREATE VIEW rn_v.%I AS %s', view, call) FROM rn_creader \gexec
GRANT SELECT ON ALL TABLES IN SCHEMA rn_v TO rn_nousage;
-- (thd_ftth_coverage, a maturity plugin, reads the hub of the setting smartregion.hub)
SET LOCAL smartregion.hub = 'rn_hub';

SELECT is(pg_temp.rn_error(format('SELECT count(r) FROM rn_v.%I', fn)),
          format('42501 permission denied for schema smartregion / Role "rn_nousage" has no USAGE on schema smartregion, whose functions %1$s runs; a view calling %1$s lends its owner''s rights on the view, not on that schema.', fn),
          'a role without USAGE on smartregion reading a view calling ' || fn || ': 42501 about the schema, naming the reader')
  FROM rn_reader ORDER BY fn;
SELECT is(pg_temp.rn_error(format('SELECT count(r) FROM rn_v.%I', view)),
          format('42501 permission denied for schema smartregion / Role "rn_nousage" has no USAGE on schema smartregion, whose functions %1$s runs; a view calling %1$s lends its owner''s rights on the view, not on that schema.', fn),
          'a role without USAGE on smartregion reading a view calling the C reader ' || view || ': the same 42501, naming ' || fn)
  FROM rn_creader ORDER BY view;
-- and the same hint as the PL/pgSQL readers' marker gives (one text, sr_schema_usage.h)
SELECT is(pg_temp.rn_hint('SELECT count(r) FROM rn_v.match_score'),
          'Grant the role USAGE on schema smartregion, or make it a member of smartregion_reader (smartregion.grant_roles grants that group USAGE).',
          'the C reader''s hint: grant USAGE, or make the role a reader');
SELECT is(pg_temp.rn_hint('SELECT count(r) FROM rn_v.match_score'), pg_temp.rn_hint('SELECT count(r) FROM rn_v.maturity_scores'),
          'the C reader''s hint is the PL/pgSQL readers''');

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
-- and the C readers' views: match_score of a premise at the project's own place, with no
-- other criterion given, is the distance decay at 0 km, 1 (docs/matching.md)
SELECT is(pg_temp.as_role('rn_nousage', 'SELECT r::text FROM rn_v.match_score'), '1',
          'made a reader, the role reads the view of match_score (the same place: 1)');
REVOKE smartregion_reader FROM rn_nousage;

-- USAGE on smartregion but not on the hub: thd_ftth_coverage names the hub's schema, the
-- role, its tables and what to grant (before: 42501 permission denied for schema rn_hub, no
-- detail)
GRANT USAGE ON SCHEMA smartregion TO rn_nousage;
SELECT is(pg_temp.rn_error('SELECT count(r) FROM rn_v.thd_ftth_coverage'),
          '42501 permission denied for schema rn_hub / Role "rn_nousage" has no USAGE on schema rn_hub, whose tables thd_ftth and thd_premises thd_ftth_coverage reads (the hub of the setting smartregion.hub).',
          'USAGE on smartregion but not on the hub: thd_ftth_coverage 42501 about the hub, naming its tables');
-- its hint, and the same text as the C maturity readers' (one check, _hub_usage_guard, one
-- text, sr_schema_usage.h: before the review of 2026-12-06 (h2), thd_ftth_coverage kept a
-- copy of its own, whose hint said "or set smartregion.hub to a hub the role reads")
SELECT is(pg_temp.rn_hint('SELECT count(r) FROM rn_v.thd_ftth_coverage'),
          'Grant the role USAGE on schema rn_hub and SELECT on those tables, or make it a member of smartregion_reader (smartregion.grant_roles(''rn_hub'') grants that group both), or name in the setting smartregion.hub a hub the role reads.',
          'thd_ftth_coverage''s hint: grant USAGE and SELECT, or make the role a reader, or name another hub in the setting');
-- and the C maturity readers, given SELECT on the extension's tables too (the frameworks and
-- territories they read first): 42501 about the hub, naming its tables, the reader and what
-- to grant (before: 42501 permission denied for schema rn_hub, no detail)
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO rn_nousage;
SELECT is(pg_temp.rn_error(format('SELECT count(r) FROM rn_v.%I', fn)),
          format('42501 permission denied for schema rn_hub / Role "rn_nousage" has no USAGE on schema rn_hub, whose tables maturity_value and maturity_answer %s reads (the hub of the maturity readers'' option "hub").', fn),
          'USAGE on smartregion but not on the hub: ' || fn || ' 42501 about the hub, naming its tables')
  FROM (VALUES ('_maturity_eval'), ('_maturity_detail'), ('_maturity_mc')) v(fn);
-- the maturity_* readers name themselves, not the C function they run (_hub_usage_guard, the
-- same text, at the top of each; before the review of 2026-12-06 (h2): maturity_scores,
-- maturity_rollup, maturity_peers, maturity_trend and maturity_movers named _maturity_eval,
-- maturity_score and maturity_recommendations _maturity_detail or _maturity_eval,
-- maturity_uncertainty _maturity_mc, ...). Their territory, 35238, must exist first (the
-- readers resolve it before they read the hub)
INSERT INTO smartregion.territory (type, code, name, departement_code, region_code) VALUES
  ('commune', '35238', 'Rennes', '35', '53'), ('commune', '35047', 'Bruz', '35', '53');
SELECT is(pg_temp.rn_error(format('SELECT count(r) FROM rn_v.%I', fn)),
          format('42501 permission denied for schema rn_hub / Role "rn_nousage" has no USAGE on schema rn_hub, whose tables maturity_value and maturity_answer %s reads (the hub of the maturity readers'' option "hub").', fn),
          'USAGE on smartregion but not on the hub: ' || fn || ' 42501 about the hub, naming ' || fn || ' (not the C function it runs)')
  FROM rn_reader WHERE fn LIKE 'maturity\_%' AND fn <> 'maturity_check_framework' ORDER BY fn;
-- thd_ftth_coverage's detail and hint are the C readers' text (the same shared check),
-- its tables, name and setting in place of _maturity_eval's: a copy that drifts fails here
SELECT is(pg_temp.rn_error('SELECT count(r) FROM rn_v.thd_ftth_coverage'),
          replace(replace(pg_temp.rn_error('SELECT count(r) FROM rn_v._maturity_eval'),
                          'maturity_value and maturity_answer _maturity_eval', 'thd_ftth and thd_premises thd_ftth_coverage'),
                  'the maturity readers'' option "hub"', 'the setting smartregion.hub'),
          'thd_ftth_coverage''s 42501 is the C maturity readers'' text (message and detail)');
SELECT is(pg_temp.rn_hint('SELECT count(r) FROM rn_v.thd_ftth_coverage'),
          replace(pg_temp.rn_hint('SELECT count(r) FROM rn_v._maturity_eval'),
                  'the maturity readers'' option "hub"', 'the setting smartregion.hub'),
          'thd_ftth_coverage''s hint is the C maturity readers'' text');
SELECT is(pg_temp.rn_hint('SELECT count(r) FROM rn_v.maturity_scores'),
          'Grant the role USAGE on schema rn_hub and SELECT on those tables, or make it a member of smartregion_reader (smartregion.grant_roles(''rn_hub'') grants that group both), or name in the maturity readers'' option "hub" a hub the role reads.',
          'the hub''s hint: grant USAGE and SELECT, or make the role a reader (its group granted the hub by grant_roles)');
-- made a reader of the hub (grant_roles above gave smartregion_reader USAGE on rn_hub and
-- SELECT on its tables): the same view reads, a row for each of the two communes of this
-- database (no value in the hub: each a row all the same, coverage 0)
GRANT smartregion_reader TO rn_nousage;
SELECT is(pg_temp.as_role('rn_nousage', 'SELECT count(r)::text FROM rn_v._maturity_eval'), '2',
          'made a reader of the hub, the role reads the view of _maturity_eval (the two communes)');
REVOKE smartregion_reader FROM rn_nousage;
REVOKE SELECT ON ALL TABLES IN SCHEMA smartregion FROM rn_nousage;
REVOKE USAGE ON SCHEMA smartregion FROM rn_nousage;

SELECT * FROM finish();
ROLLBACK;
