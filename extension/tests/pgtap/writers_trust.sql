-- pgTAP: the writers under two kinds of roles (review of 2026-12-06, h1; docs/security.md).
-- 1. A role with USAGE on smartregion and the hub but without INSERT/UPDATE on the table a
--    writer writes: every writer fails with 42501 and writes nothing (the rows of every table
--    of the hub and of the extension's tables it loads are counted before and after, a call
--    that returns being kept, so that a writer catching its error and returning after a
--    partial write would show).  Twice: the hub's reader (smartregion_reader), and an agent
--    of 35001 once the agents' INSERT, UPDATE and DELETE on the hub are revoked.
-- 2. Two territories' agents under row-level security (wt_a of 35001, wt_b of 35002, each
--    with restricted rows): a writer run by wt_a neither returns nor counts nor changes
--    wt_b's rows, and its errors name none of them.
-- Since the review of 2026-12-06 (h2): the platform's writers (register_service,
-- register_hub_table, register_dataset, register_personal_data, register_confidential_data,
-- create_hub) and set_provenance in 1.; in 2., set_provenance's loader naming its caller's
-- writes only, and the cells and faces refreshed by each agent with a public building of the
-- other territory touching its own (an obstacle, not a target).
BEGIN;
SELECT plan(97);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
SELECT count(*) > 0 AS loaded FROM smartregion.load_territories(
  '[{"code":"35001","nom":"Alpha","departement":"35","region":"53","population":1000},
    {"code":"35002","nom":"Beta","departement":"35","region":"53","population":1200}]',
  '[]', '[{"code":"35","nom":"Ille-et-Vilaine","region":"53"}]', '[{"code":"53","nom":"Bretagne"}]') \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('wt') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('wt') \gset
CREATE ROLE wt_r IN ROLE smartregion_reader;
CREATE ROLE wt_a IN ROLE smartregion_agent;
CREATE ROLE wt_b IN ROLE smartregion_agent;
INSERT INTO wt.agents (role_name, territory_code) VALUES ('wt_a', '35001'), ('wt_b', '35002');

-- every row a writer could write: the hub's tables and the extension's (the loaders' and the
-- framework functions'), counted as the superuser (no policy)
CREATE FUNCTION pg_temp.wt_rows() RETURNS text LANGUAGE plpgsql AS $f$
DECLARE t regclass; n bigint; r text := '';
BEGIN
  FOR t IN SELECT c.oid::regclass FROM pg_class c
            WHERE c.relkind IN ('r', 'p') AND c.relnamespace IN ('wt'::regnamespace, 'smartregion'::regnamespace)
            ORDER BY c.oid::regclass::text LOOP
    EXECUTE format('SELECT count(*) FROM %s', t) INTO n;
    r := r || t::text || '=' || n || ' ';
  END LOOP;
  RETURN r;
END $f$;
-- a writer's call as role r: its SQLSTATE ('ok' when it returns; its writes then kept) and
-- whether any row changed
CREATE FUNCTION pg_temp.wt_write(r name, q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE before text := pg_temp.wt_rows(); st text := 'ok';
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RESET ROLE;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
  END;
  RESET ROLE;
  RETURN st || CASE WHEN pg_temp.wt_rows() = before THEN ', nothing written' ELSE ', rows written' END;
END $f$;
-- an error's SQLSTATE, message and detail, as role r (rolled back)
CREATE FUNCTION pg_temp.wt_error(r name, q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE st text; msg text; det text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'no error';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
  END;
  RESET ROLE;
  RETURN st || ' ' || msg || ' / ' || coalesce(nullif(det, ''), '<no detail>');
END $f$;

-- the fixtures: a building, premise, project and request of each territory (wt_b's
-- restricted), a campaign each (campaigns are public rows) and an invitation each, a closed
-- campaign of 35001's, the FttH quarters of 35002, the cadastre of both buildings
INSERT INTO wt.buildings (id, geom, height, territory_code, visibility) VALUES
  (1, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(351800, 6789400, 351810, 6789410, 2154), 10)), 10, '35001', 'public'),
  (2, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(351900, 6789400, 351910, 6789410, 2154), 10)), 10, '35002', 'restricted');
INSERT INTO wt.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (1, 'a', ST_SetSRID(ST_MakePoint(-1.68, 48.11), 4326), 5, '35001', 'public'),
  (2, 'b', ST_SetSRID(ST_MakePoint(-1.67, 48.11), 4326), 5, '35002', 'restricted');
INSERT INTO wt.projects (id, name, location, team_size, territory_code, visibility) VALUES
  (11, 'a', ST_SetSRID(ST_MakePoint(-1.68, 48.11), 4326), 1, '35001', 'restricted'),
  (21, 'b', ST_SetSRID(ST_MakePoint(-1.67, 48.11), 4326), 1, '35002', 'restricted');
INSERT INTO wt.tl_request (project_id) VALUES (11), (21);
INSERT INTO wt.campaign (framework, year, title, opens_on, closes_on, territory_code)
  VALUES ('default', 2024, 'A', current_date - 10, current_date + 10, '35001') RETURNING id AS ca \gset
INSERT INTO wt.campaign (framework, year, title, opens_on, closes_on, territory_code)
  VALUES ('default', 2024, 'B', current_date - 10, current_date + 10, '35002') RETURNING id AS cb \gset
INSERT INTO wt.campaign (framework, year, title, opens_on, closes_on, territory_code)
  VALUES ('default', 2023, 'A closed', current_date - 10, current_date + 10, '35001') RETURNING id AS cc \gset
SELECT token AS tok FROM smartregion.campaign_invite(:ca, '35001', 'maire', 'wt') \gset
SELECT token AS tokb FROM smartregion.campaign_invite(:cb, '35002', 'maire', 'wt') \gset
SELECT smartregion.campaign_close(:cc, 'wt');
CREATE TEMP TABLE wt_sky AS SELECT smartregion.sky_clearsky('SRID=4326;POINT(-1.68 48.11 50)', 3.0, 2019) AS s;
GRANT SELECT ON wt_sky TO PUBLIC;
SELECT is((SELECT inserted || ',' || updated || ',' || deleted FROM smartregion.refresh_solar_roofs((SELECT s FROM wt_sky), NULL, '{}', 'wt')),
          '2,0,0', 'the superuser''s refresh: one face each for the two flat roofs');
\set arcep_a 'Réseaux en fibre optique jusqu''à l''abonné (FttH),,,,\nDéploiement par Commune,,,,\n,,,,\n,,,,\nCode commune,Champ,T3 2017,T4 2017,T1 2018\n35001,Locaux Raccordables,100,200,300\n35001,Catégorie,5,10,25\n'
\set arcep_b 'Réseaux en fibre optique jusqu''à l''abonné (FttH),,,,\nDéploiement par Commune,,,,\n,,,,\n,,,,\nCode commune,Champ,T3 2017,T4 2017,T1 2018\n35002,Locaux Raccordables,10,20,30\n35002,Catégorie,5,10,25\n'
SELECT is(pg_temp.as_role('wt_b', format($$SELECT string_agg(x::text, ',') FROM smartregion.thd_load_arcep(E%L, 'wt') x$$, :'arcep_b'), true),
          '(commune,1,3,3)', 'wt_b loads the FttH quarters of 35002 (one commune, three quarters)');
UPDATE wt.thd_ftth SET visibility = 'restricted' WHERE territory_code = '35002';

-- 1. the writers, each with a call that the hub's owner could run --------------------------
\set cj '{"type": "CityJSON", "version": "2.0", "metadata": {"referenceSystem": "EPSG:2154"}, "CityObjects": {"w1": {"type": "Building", "geometry": [{"type": "MultiSurface", "lod": "2", "boundaries": [[[0, 1, 2]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]}}, "vertices": [[351800, 6789400, 20], [351810, 6789400, 20], [351810, 6789410, 25]]}'
-- (a plugin of the superuser's, which the registration accepts)
CREATE SCHEMA wt_plug;
GRANT USAGE ON SCHEMA wt_plug TO PUBLIC;
CREATE FUNCTION wt_plug.advisers(year int) RETURNS TABLE (territory_type text, territory_code text, value double precision)
  LANGUAGE sql STABLE AS $$ VALUES ('commune', '35001', 1::float8) $$;
CREATE TEMP TABLE wt_writer (fn text, call text, reader text DEFAULT '42501, nothing written',
                             agent text DEFAULT '42501, nothing written');
INSERT INTO wt_writer (fn, call) VALUES
  ('refresh_solar_roofs', $$SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM pg_temp.wt_sky), 'SELECT id, geom, height, territory_code FROM wt.buildings WHERE id = 1', '{}', 'wt')$$),
  ('refresh_solar_roof_cells', $$SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM pg_temp.wt_sky), 'SELECT id, geom, height, territory_code FROM wt.buildings WHERE id = 1', '{}', 'wt')$$),
  ('import_cityjson', format($$SELECT smartregion.import_cityjson(%L, 'wt', '{"territory_code": "35001"}')$$, :'cj')),
  ('tl_propose', $$SELECT * FROM smartregion.tl_propose('{"hub": "wt"}')$$),
  ('tl_expire', $$SELECT * FROM smartregion.tl_expire('wt')$$),
  ('campaign_invite', format($$SELECT * FROM smartregion.campaign_invite(%s, '35001', 'DGS', 'wt')$$, :ca)),
  ('campaign_close', format($$SELECT smartregion.campaign_close(%s, 'wt')$$, :ca)),
  ('campaign_reopen', format($$SELECT smartregion.campaign_reopen(%s, current_date + 20, 'wt')$$, :cc)),
  ('thd_load_arcep', format($$SELECT * FROM smartregion.thd_load_arcep(E%L, 'wt')$$, :'arcep_a')),
  ('thd_load_arcep_premises', $$SELECT smartregion.thd_load_arcep_premises(E'Code commune,Nom commune,Code région,Code département,Siren EPCI,Logements,Établissements,Zones très denses,Engagements L. 33-13,Intentions privées hors engagement L. 33-13,Commune rurale,Commune de montagne,OI 2018 T1\n35001,Alpha,53,35,-, 950    , 50    , -    , -    , -    , 1    , -    ,\n', 'wt')$$),
  ('load_territories', $$SELECT * FROM smartregion.load_territories('[{"code":"35003","nom":"Gamma","departement":"35","region":"53","population":900}]', '[]', '[]', '[]')$$),
  ('load_territory_contours', $$SELECT * FROM smartregion.load_territory_contours('{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"code": "35001"}, "geometry": {"type": "Polygon", "coordinates": [[[-1.7, 48.1], [-1.6, 48.1], [-1.6, 48.2], [-1.7, 48.1]]]}}]}', 'commune')$$),
  ('maturity_copy_framework', $$SELECT smartregion.maturity_copy_framework('default', 'wt_copy')$$),
  ('maturity_register_plugin', $$SELECT smartregion.maturity_register_plugin('default', 'advisers_per_10k', 'wt_plug.advisers(int)')$$);
-- the platform's writers (review of 2026-12-06, h2): the registers of services, hub tables,
-- datasets, personal and confidential data and create_hub (of the hub wt, and of a new hub),
-- whose EXECUTE is not PUBLIC's: 42501, nothing written; set_provenance, which PUBLIC runs,
-- writes no row (it names the session's next writes, recorded under the role that makes
-- them: provenance_record's loaded_by = CURRENT_USER; docs/governance.md): it returns, and
-- nothing is written
INSERT INTO wt_writer VALUES
  ('set_provenance', $$SELECT smartregion.set_provenance('wt-loader', 'wt.csv')$$, 'ok, nothing written', 'ok, nothing written'),
  ('register_service', $$SELECT smartregion.register_service('thd_rollout', '9.9.9', 'taken over', ARRAY['version'])$$, DEFAULT, DEFAULT),
  ('register_hub_table', $$SELECT smartregion.register_hub_table('wt_extra', 'thd_rollout', 'CREATE TABLE IF NOT EXISTS %1$I.wt_extra (id int)')$$, DEFAULT, DEFAULT),
  ('register_dataset', $$SELECT smartregion.register_dataset('buildings', 'Bâtiments', 'taken over', ARRAY['REGI'])$$, DEFAULT, DEFAULT),
  ('register_personal_data', $$SELECT smartregion.register_personal_data('premises', 'name', 'direct', 'identity', 'holders', 'matching', 'public_task', 'the agents', interval '1 year')$$, DEFAULT, DEFAULT),
  ('register_confidential_data', $$SELECT smartregion.register_confidential_data('premises', 'capacity', 'commercial', 'the capacity')$$, DEFAULT, DEFAULT),
  ('create_hub', $$SELECT count(*) FROM smartregion.create_hub('wt')$$, DEFAULT, DEFAULT),
  ('create_hub (new)', $$SELECT count(*) FROM smartregion.create_hub('wt_new')$$, DEFAULT, DEFAULT);
-- the respondent's functions: a token whose respondent the caller cannot see is invalid for it
-- (28000, docs/maturity.md); the reader, who sees no restricted respondent, does not even get
-- the respondents' role column (registered personal data since the tenancy red team of
-- 2026-12-07, h2): the lookup of the token's respondent is refused first, 42501 (28000 before)
INSERT INTO wt_writer VALUES
  ('campaign_save', format($$SELECT smartregion.campaign_save(%L, 'back_office', 1, NULL, 'wt')$$, :'tok'), '42501, nothing written'),
  ('campaign_submit', format($$SELECT smartregion.campaign_submit(%L, 'wt')$$, :'tok'), '42501, nothing written');

-- each writer works for the agent of 35001 (kept, then undone: a savepoint)
SAVEPOINT works;
SELECT is(pg_temp.wt_write('wt_a', call), 'ok, rows written', 'wt_a, agent of 35001, runs ' || fn)
  FROM wt_writer WHERE fn IN ('refresh_solar_roofs', 'import_cityjson', 'tl_propose', 'campaign_invite', 'campaign_save', 'thd_load_arcep')
  ORDER BY fn;
ROLLBACK TO SAVEPOINT works;

-- the reader: USAGE on smartregion and the hub, SELECT, no INSERT nor UPDATE
SELECT is(pg_temp.wt_write('wt_r', call), reader, 'the reader''s ' || fn || ': ' || reader)
  FROM wt_writer ORDER BY fn;
SELECT smartregion.set_provenance(NULL) IS NULL AS forgot \gset
SELECT is((SELECT count(*)::text FROM pg_namespace WHERE nspname = 'wt_new'), '0', 'the reader''s create_hub made no schema');
-- the refusals name nothing of the hub's rows (the function only)
SELECT is(pg_temp.wt_error('wt_a', $$SELECT count(*) FROM smartregion.create_hub('wt')$$),
          '42501 permission denied for function create_hub / <no detail>', 'an agent''s create_hub of its hub: 42501, naming the function only');

-- the data-protection requests (EXECUTE granted, not to PUBLIC): a role allowed to answer
-- them (USAGE, SELECT, the key, the record of requests: as sql/governance.sql's territory
-- officers) but not to UPDATE or DELETE the hub's rows; its erasure of a subject named in a
-- project's holder, and the purge of the hub: 42501, nothing written (neither the record of
-- the request nor a pseudonym key)
SELECT smartregion.pseudonym('x', 'wt') IS NOT NULL AS key \gset
UPDATE wt.projects SET holder = 'Durand' WHERE id = 11;
CREATE ROLE wt_dpo;
GRANT USAGE ON SCHEMA smartregion, wt TO wt_dpo;
GRANT SELECT ON ALL TABLES IN SCHEMA wt TO wt_dpo;
GRANT SELECT ON smartregion.personal_data, smartregion.catalog, smartregion.dataset, smartregion.provenance, smartregion.pseudonym_key TO wt_dpo;
GRANT INSERT ON smartregion.subject_request_log TO wt_dpo;
GRANT EXECUTE ON FUNCTION smartregion.subject_erase(text, name, text, text), smartregion.purge_expired(name) TO wt_dpo;
SELECT is(pg_temp.wt_write('wt_dpo', $$SELECT smartregion.subject_erase('Durand', 'wt')$$), '42501, nothing written',
          'subject_erase by a role without UPDATE on the hub: 42501, nothing written');
SELECT is(pg_temp.wt_write('wt_dpo', $$SELECT * FROM smartregion.purge_expired('wt')$$), '42501, nothing written',
          'purge_expired by a role without UPDATE and DELETE on the hub: 42501, nothing written');
SELECT is((SELECT holder FROM wt.projects WHERE id = 11), 'Durand', 'the holder is as it was');

-- 2. two territories under row-level security ----------------------------------------------
-- the refresh of wt_a's buildings: its one face updated; wt_b's restricted building neither
-- read nor counted, its face as it was
SELECT is(pg_temp.as_role('wt_a', $$SELECT inserted || ',' || updated || ',' || deleted
            FROM smartregion.refresh_solar_roofs((SELECT s FROM pg_temp.wt_sky), NULL, '{}', 'wt')$$, true),
          '0,1,0', 'wt_a''s refresh of the hub''s buildings: its own face updated, nothing of wt_b''s counted');
SELECT is((SELECT string_agg(building_id || ':' || face || ':' || territory_code || ':' || visibility, ',' ORDER BY building_id)
             FROM wt.solar_roofs), '1:1:35001:public,2:1:35002:restricted',
          'wt_b''s face is still there, of 35002, restricted');
-- a text naming wt_b's hidden building: refused with no detail (the refusal itself says that
-- the face exists: documented in security.md, as the city objects below)
SELECT is(pg_temp.wt_error('wt_a', $$SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM pg_temp.wt_sky),
            'SELECT 2::bigint AS id, geom, height, ''35001''::text AS territory_code FROM wt.buildings WHERE id = 1', '{}', 'wt')$$),
          '42501 new row violates row-level security policy (USING expression) for table "solar_roofs" / <no detail>',
          'wt_a''s refresh of a text giving wt_b''s hidden building id: 42501, naming neither the building nor its territory');
SELECT is(pg_temp.wt_write('wt_a', $$SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM pg_temp.wt_sky),
            'SELECT 2::bigint AS id, geom, height, ''35001''::text AS territory_code FROM wt.buildings WHERE id = 1', '{}', 'wt')$$),
          '42501, nothing written', 'and writes nothing');
-- wt_b's restricted city object: wt_a's import of the same id is refused, with no detail
SELECT is(pg_temp.as_role('wt_b', format($$SELECT (smartregion.import_cityjson(%L, 'wt', '{"territory_code": "35002"}') ->> 'objects')$$, :'cj'), true),
          '1', 'wt_b imports its city object w1');
UPDATE wt.city_object SET visibility = 'restricted' WHERE territory_code = '35002';
UPDATE wt.city_surface SET visibility = 'restricted' WHERE territory_code = '35002';
SELECT is(pg_temp.wt_error('wt_a', format($$SELECT smartregion.import_cityjson(%L, 'wt', '{"territory_code": "35001", "replace": true}')$$, :'cj')),
          '42501 new row violates row-level security policy (USING expression) for table "city_object" / <no detail>',
          'wt_a''s import of an object of wt_b''s hidden id: 42501, naming neither the object''s territory nor its rows');
SELECT is((SELECT string_agg(o.id || ':' || o.territory_code || ':' || (SELECT count(*) FROM wt.city_surface s WHERE s.object_id = o.id), ',')
             FROM wt.city_object o), 'w1:35002:1', 'wt_b''s object and its surface are as wt_b wrote them');
-- tl_propose by wt_a: proposals for its own request only, nothing for wt_b's
SELECT is(pg_temp.as_role('wt_a', $$SELECT string_agg(project_id || ':' || premise_id, ',') FROM smartregion.tl_propose('{"hub": "wt"}')$$, true),
          '11:1', 'wt_a''s tl_propose: its project 11 at premise 1, nothing of wt_b''s project 21 nor premise 2');
SELECT is((SELECT count(*)::text FROM wt.tl_proposal p JOIN wt.tl_request r ON r.id = p.request_id WHERE r.project_id = 21), '0',
          'no proposal was made for wt_b''s request');
-- tl_expire by wt_a: counts its own request only; wt_b's stays open
UPDATE wt.tl_proposal SET expires_at = now() - interval '1 day';
UPDATE wt.tl_request SET expires_at = now() - interval '1 day';
SELECT is(pg_temp.as_role('wt_a', $$SELECT string_agg(entity || ':' || expired, ',' ORDER BY entity) FROM smartregion.tl_expire('wt')$$, true),
          'proposal:1,request:1', 'wt_a''s tl_expire counts its own proposal and request, not wt_b''s');
SELECT is((SELECT string_agg(r.project_id || ':' || r.status, ',' ORDER BY r.project_id) FROM wt.tl_request r),
          '11:expired,21:open', 'wt_b''s request is still open');
-- thd_load_arcep by wt_a: its commune counted; a file with wt_b's commune refused, no detail
SELECT is(pg_temp.as_role('wt_a', format($$SELECT string_agg(x::text, ',') FROM smartregion.thd_load_arcep(E%L, 'wt') x$$, :'arcep_a'), true),
          '(commune,1,3,3)', 'wt_a''s load: one commune, three quarters, nothing of 35002''s');
SELECT is(pg_temp.wt_error('wt_a', format($$SELECT * FROM smartregion.thd_load_arcep(E%L, 'wt')$$, :'arcep_b')),
          '42501 new row violates row-level security policy for table "thd_ftth" / <no detail>',
          'wt_a''s load of 35002''s quarters: 42501, with no detail');
SELECT is((SELECT string_agg(DISTINCT territory_code || ':' || premises_passed, ',') FROM wt.thd_ftth WHERE territory_code = '35002' AND quarter = (SELECT max(quarter) FROM wt.thd_ftth)),
          '35002:30', 'wt_b''s quarters are as wt_b loaded them');
-- the campaigns (public rows: every territory reads them) of wt_b's: wt_a neither closes, nor
-- invites to, nor answers for them
SELECT is(pg_temp.wt_write('wt_a', format($$SELECT smartregion.campaign_close(%s, 'wt')$$, :cb)), '42501, nothing written',
          'wt_a closes no campaign of 35002''s');
SELECT is(pg_temp.wt_write('wt_a', format($$SELECT * FROM smartregion.campaign_invite(%s, '35002', 'DGS', 'wt')$$, :cb)), '42501, nothing written',
          'wt_a invites nobody to a campaign of 35002''s');
SELECT is(pg_temp.wt_write('wt_a', format($$SELECT smartregion.campaign_save(%L, 'back_office', 1, NULL, 'wt')$$, :'tokb')), '28000, nothing written',
          'wt_b''s respondent''s token is invalid for wt_a (28000, as an unknown token)');

-- set_provenance by wt_a names its own writes only: its load of 35001's quarters is recorded
-- under wt_a with its loader and source; wt_b's records keep theirs, and wt_b's next load,
-- in the same session, is recorded under wt_b (review of 2026-12-06, h2)
SELECT count(*) AS prov_b FROM smartregion.provenance WHERE loaded_by = 'wt_b' \gset
SELECT string_agg(DISTINCT loader || ':' || coalesce(source, ''), ',') AS prov_b_loaders FROM smartregion.provenance WHERE loaded_by = 'wt_b' \gset
SELECT is(pg_temp.as_role('wt_a', $$SELECT smartregion.set_provenance('wt-a-loader', 'arcep-a.csv')::text$$, true), '<null>',
          'wt_a names its loader and source (void)');
SELECT is(pg_temp.as_role('wt_a', format($$SELECT string_agg(x::text, ',') FROM smartregion.thd_load_arcep(E%L, 'wt') x$$, :'arcep_a'), true),
          '(commune,1,3,3)', 'wt_a loads its quarters again');
SELECT is((SELECT string_agg(DISTINCT loaded_by || ':' || source, ',') FROM smartregion.provenance WHERE loader = 'wt-a-loader'),
          'wt_a:arcep-a.csv', 'the writes under wt_a''s loader are wt_a''s, with its source');
SELECT is((SELECT count(*) || ':' || string_agg(DISTINCT loader || ':' || coalesce(source, ''), ',') FROM smartregion.provenance WHERE loaded_by = 'wt_b'),
          :'prov_b' || ':' || :'prov_b_loaders', 'wt_b''s records are as they were (their count, loader and source)');
SELECT count(*) AS prov_a FROM smartregion.provenance WHERE loaded_by = 'wt_a' \gset
SELECT is(pg_temp.as_role('wt_b', format($$SELECT string_agg(x::text, ',') FROM smartregion.thd_load_arcep(E%L, 'wt') x$$, :'arcep_b'), true),
          '(commune,1,3,3)', 'wt_b loads its quarters in the same session');
-- (the loader and source are bound to the role that named them, since 2026-12-07: wt_b's
-- records, in the same session after SET ROLE, do not take wt_a's loader and source but the
-- session's application_name with no source, as when none is named; before, they took
-- wt-a-loader and arcep-a.csv, a load wt_b never named: the second assertion, 'true' then.
-- Who wrote is loaded_by, CURRENT_USER: docs/governance.md#set_provenance)
SELECT is((SELECT count(*) FROM smartregion.provenance WHERE loaded_by = 'wt_a')::text || ',' ||
          ((SELECT count(*) FROM smartregion.provenance WHERE loaded_by = 'wt_b' AND loader = 'wt-a-loader' AND source = 'arcep-a.csv') > 0)::text,
          :'prov_a' || ',false', 'wt_b''s load is recorded under wt_b, without wt_a''s loader and source, none under wt_a');
SELECT is((SELECT string_agg(DISTINCT loader || ':' || coalesce(source, '<none>'), ',') FROM smartregion.provenance
            WHERE loaded_by = 'wt_b' AND id > (SELECT max(id) FROM smartregion.provenance WHERE loader = 'wt-a-loader')),
          current_setting('application_name') || ':<none>', 'wt_b''s load after SET ROLE: the session''s application_name, no source');
SELECT pg_temp.as_role('wt_a', format($$SELECT string_agg(x::text, ',') FROM smartregion.thd_load_arcep(E%L, 'wt') x$$, :'arcep_a'), true) AS load_a2 \gset
SELECT is(:'load_a2' || ',' || (SELECT coalesce(loaded_by || ':' || loader || ':' || source, '<none>') FROM smartregion.provenance ORDER BY id DESC LIMIT 1),
          '(commune,1,3,3),wt_a:wt-a-loader:arcep-a.csv', 'wt_a again, in the same session: its loader and source name its writes still');
SELECT smartregion.set_provenance(NULL) IS NULL AS forgot \gset

-- the roof cells across the boundary (review of 2026-12-06, h2): a public building of 35002,
-- 3, touching wt_a's building 1 on its east side (x = 351810), 30 m tall: an agent's refresh
-- reads it (a public row) and must shade building 1 with it, write building 1's cells only,
-- and not fail. Before, every building the default query read was a target, and wt_a's
-- refresh failed (42501 from the write policy, writing 3's cells of 35002)
INSERT INTO wt.buildings (id, geom, height, territory_code, visibility) VALUES
  (3, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(351810, 6789400, 351820, 6789410, 2154), 30)), 30, '35002', 'public');
-- the superuser's refresh (every building a target): 100 cells of 1 m² on each 10 m roof
SELECT is((SELECT inserted || ',' || deleted FROM smartregion.refresh_solar_roof_cells((SELECT s FROM wt_sky), NULL, '{}', 'wt')),
          '300,0', 'the superuser''s refresh of the cells: the three roofs, 100 cells each');
CREATE TEMP TABLE wt_cells0 AS SELECT building_id, territory_code, ST_AsText(geom) AS g, round(annual_kwh_m2::numeric, 3) AS kwh FROM wt.solar_roof_cells;
-- building 1 alone, with no obstacle (the cadastre of it only)
SELECT avg(annual_kwh_m2) AS open_kwh FROM smartregion.solar_cadastre_cells('SELECT id, geom, height FROM wt.buildings WHERE id = 1', (SELECT s FROM wt_sky)) \gset
SELECT is(pg_temp.as_role('wt_a', $$SELECT inserted || ',' || deleted FROM smartregion.refresh_solar_roof_cells((SELECT s FROM pg_temp.wt_sky), NULL, '{}', 'wt')$$, true),
          '100,100', 'wt_a''s refresh of the hub''s cells, a public building of 35002 touching its own: its building''s 100 cells replaced, no error');
SELECT is((SELECT string_agg(building_id || ':' || territory_code || ':' || n, ',' ORDER BY building_id)
             FROM (SELECT building_id, territory_code, count(*) AS n FROM wt.solar_roof_cells GROUP BY 1, 2) c),
          '1:35001:100,2:35002:100,3:35002:100', 'each building''s cells are of its territory, 100 each');
SELECT is((SELECT count(*)::text FROM (SELECT building_id, territory_code, ST_AsText(geom), round(annual_kwh_m2::numeric, 3) FROM wt.solar_roof_cells WHERE building_id = 1
                                       EXCEPT SELECT * FROM wt_cells0) d), '0',
          'wt_a''s cells of building 1 are the superuser''s, which every building shades (same places, same kWh/m² to 0.001)');
SELECT ok((SELECT avg(annual_kwh_m2) FROM wt.solar_roof_cells WHERE building_id = 1) < :open_kwh - 100,
          'building 1''s cells are shaded by 35002''s building (their mean at least 100 kWh/m² below the roof''s with no obstacle)');
SELECT is((SELECT count(*)::text FROM (SELECT building_id, territory_code, ST_AsText(geom), round(annual_kwh_m2::numeric, 3) FROM wt.solar_roof_cells WHERE building_id <> 1
                                       EXCEPT SELECT * FROM wt_cells0) d), '0',
          'the cells of 35002''s buildings are as the superuser wrote them');
-- wt_b's: its two buildings the targets (2, restricted, its own), wt_a's public building 1 an obstacle
SELECT is(pg_temp.as_role('wt_b', $$SELECT inserted || ',' || deleted FROM smartregion.refresh_solar_roof_cells((SELECT s FROM pg_temp.wt_sky), NULL, '{}', 'wt')$$, true),
          '200,200', 'wt_b''s refresh: its two buildings'' 200 cells replaced, no error');
SELECT is((SELECT count(*)::text FROM (SELECT building_id, territory_code, ST_AsText(geom), round(annual_kwh_m2::numeric, 3) FROM wt.solar_roof_cells
                                       EXCEPT SELECT * FROM wt_cells0) d), '0',
          'every cell is as the superuser''s refresh made it: wt_a''s untouched by wt_b, wt_b''s shaded as before');
-- and the faces: wt_a's refresh of the roofs updates its face, writes none of building 3's
SELECT is(pg_temp.as_role('wt_a', $$SELECT inserted || ',' || updated || ',' || deleted
            FROM smartregion.refresh_solar_roofs((SELECT s FROM pg_temp.wt_sky), NULL, '{}', 'wt')$$, true),
          '0,1,0', 'wt_a''s refresh of the roofs, 35002''s public building in the hub: its own face updated, no error');
SELECT is((SELECT string_agg(building_id || ':' || face || ':' || territory_code, ',' ORDER BY building_id) FROM wt.solar_roofs),
          '1:1:35001,2:1:35002', 'no face of 35002''s building 3 was written by wt_a');
DELETE FROM wt.buildings WHERE id = 3;
DELETE FROM wt.solar_roof_cells;

-- 1 again: the agent of 35001 without INSERT, UPDATE and DELETE on the hub (revoked from the
-- agents' group): every writer 42501, nothing written (the respondent's functions too: the
-- agent sees its respondent)
-- (a draft of wt_a's respondent first, which campaign_submit would publish)
SELECT is(pg_temp.as_role('wt_a', format($$SELECT smartregion.campaign_save(%L, 'back_office', 2, NULL, 'wt')::text$$, :'tok'), true),
          '', 'wt_a saves a draft for its respondent (void)');
REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA wt FROM smartregion_agent;
SELECT is(pg_temp.wt_write('wt_a', call), agent, 'an agent without INSERT and UPDATE on the hub: ' || fn || ' ' || agent)
  FROM wt_writer ORDER BY fn;

SELECT * FROM finish();
ROLLBACK;
