-- pgTAP: a hub renamed with ALTER SCHEMA ... RENAME keeps its roles' rights and its
-- territory security (docs/platform.md, "Renaming a hub"), with the roles grant_roles makes:
-- a reader, the agents of two communes that must not see each other's restricted rows, a
-- platform administrator.  The places of a premise are still counted over both territories'
-- agreements under the new name, by the hub's one SECURITY DEFINER function, which keeps its
-- safeguards; create_hub on the renamed hub and the old name back change none of it.
--   agent a acts for 69381, b for 69382; premise 1 (a's, public, 2 places); projects 11 (a,
--   restricted, team 1), 12 (a, public, team 2), 21 (b, restricted, team 1); no dates
BEGIN;
SELECT plan(25);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rnt') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rnt') \gset
CREATE ROLE rnt_agent_a IN ROLE smartregion_agent;
CREATE ROLE rnt_agent_b IN ROLE smartregion_agent;
CREATE ROLE rnt_reader IN ROLE smartregion_reader;
CREATE ROLE rnt_admin IN ROLE smartregion_platform_admin;
INSERT INTO rnt.agents VALUES ('rnt_agent_a', '69381'), ('rnt_agent_b', '69382');
INSERT INTO rnt.premises (id, name, location, capacity, territory_code) VALUES
  (1, 'Halle', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 2, '69381');
INSERT INTO rnt.projects (id, name, location, team_size, territory_code, visibility) VALUES
  (11, 'a restricted', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 1, '69381', 'restricted'),
  (12, 'a public', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 2, '69381', 'public'),
  (21, 'b restricted', ST_SetSRID(ST_MakePoint(4.80, 45.77), 4326), 1, '69382', 'restricted');

ALTER SCHEMA rnt RENAME TO rnt_new;

-- the grants and policies follow the schema
SELECT ok(has_schema_privilege('rnt_reader', 'rnt_new', 'USAGE'), 'the reader keeps USAGE on the renamed hub');
SELECT ok(has_table_privilege('rnt_agent_a', 'rnt_new.tl_proposal', 'UPDATE'), 'an agent keeps UPDATE on tl_proposal');
SELECT policies_are('rnt_new', 'tl_proposal',
                    ARRAY['sr_territory_read', 'sr_territory_insert', 'sr_territory_update', 'sr_territory_delete', 'sr_platform_admin',
                          'sr_tl_premise_readable', 'sr_tl_premise_ends'],
                    'tl_proposal keeps its seven policies');
SELECT policies_are('rnt_new', 'agents', ARRAY['sr_agents_self', 'sr_agents_territory_admin', 'sr_platform_admin'],
                    'agents keeps its three policies');

-- b: a restricted request, premise 1 proposed to it and accepted (1 of its 2 places, hidden from a)
SELECT is(pg_temp.as_role('rnt_agent_b', $$INSERT INTO rnt_new.tl_request (project_id) VALUES (21) RETURNING visibility::text$$, true),
          'restricted', 'agent b makes a restricted request under the new name');
SELECT is(pg_temp.as_role('rnt_agent_b', $$INSERT INTO rnt_new.tl_proposal (request_id, premise_id)
            SELECT r.id, 1 FROM rnt_new.tl_request r WHERE r.project_id = 21 RETURNING 'ok'$$, true),
          'ok', 'agent b proposes a''s public premise 1 to it');
SELECT is(pg_temp.as_role('rnt_agent_b', $$UPDATE rnt_new.tl_proposal SET status = 'accepted' RETURNING status$$, true),
          'accepted', 'agent b accepts: its request takes 1 place of premise 1');
-- a: requests of its restricted project 11 (team 1) and public project 12 (team 2), premise 1
-- proposed to both
SELECT is(pg_temp.as_role('rnt_agent_a', $$INSERT INTO rnt_new.tl_request (project_id) VALUES (11), (12) RETURNING 'ok'$$, true),
          'ok', 'agent a makes two requests');
SELECT is(pg_temp.as_role('rnt_agent_a', $$INSERT INTO rnt_new.tl_proposal (request_id, premise_id)
            SELECT r.id, 1 FROM rnt_new.tl_request r WHERE r.project_id IN (11, 12) RETURNING 'ok'$$, true),
          'ok', 'agent a proposes premise 1 to both');

-- who reads what, under the new name
SELECT is(pg_temp.as_role('rnt_agent_a', $$SELECT count(*) FROM rnt_new.tl_request WHERE territory_code = '69382'$$),
          '0', 'agent a reads none of b''s requests (restricted)');
SELECT is(pg_temp.as_role('rnt_agent_a', $$SELECT count(*) FROM rnt_new.tl_proposal WHERE status = 'accepted'$$),
          '0', 'agent a reads no agreement at its premise (b''s is restricted)');
SELECT is(pg_temp.as_role('rnt_agent_b', $$SELECT string_agg(p.project_id::text, ',' ORDER BY p.project_id) FROM rnt_new.tl_request p$$),
          '12,21', 'agent b reads its own request and a''s public one, not a''s restricted one');
SELECT is(pg_temp.as_role('rnt_reader', $$SELECT string_agg(p.project_id::text, ',' ORDER BY p.project_id) FROM rnt_new.tl_request p$$),
          '12', 'the reader reads the public request only');
SELECT is(pg_temp.as_role('rnt_admin', $$SELECT count(*) FROM rnt_new.tl_request$$),
          '3', 'the platform administrator reads the three');
SELECT is(pg_temp.as_role('rnt_agent_b', $$INSERT INTO rnt_new.tl_proposal (request_id, premise_id)
            SELECT r.id, 1 FROM rnt_new.tl_request r WHERE r.project_id = 12 RETURNING 'ok'$$),
          '42501', 'agent b cannot write a proposal to a''s public request: a row of a''s territory (42501)');

-- the places, counted over both territories: team 2 + b's 1 > 2 places; team 1 + b's 1 fits
SELECT is(pg_temp.as_role('rnt_agent_a', $$UPDATE rnt_new.tl_proposal o SET status = 'accepted' FROM rnt_new.tl_request r
            WHERE r.id = o.request_id AND r.project_id = 12 RETURNING o.status$$),
          '23P01', 'agent a cannot accept project 12 (team 2): b''s hidden agreement takes the other place (23P01)');
SELECT is(pg_temp.as_role('rnt_agent_a', $$UPDATE rnt_new.tl_proposal o SET status = 'accepted' FROM rnt_new.tl_request r
            WHERE r.id = o.request_id AND r.project_id = 11 RETURNING o.status$$, true),
          'accepted', 'agent a accepts project 11 (team 1): 2 of 2 places');

-- the SECURITY DEFINER function keeps its safeguards
SELECT results_eq($$SELECT pg_get_userbyid(p.proowner)::text COLLATE "default", p.proconfig::text[] COLLATE "default", has_function_privilege('public', p.oid, 'EXECUTE'),
                           p.prosrc ~ 'rnt_new|rnt\M'
                      FROM pg_proc p WHERE p.pronamespace = 'rnt_new'::regnamespace AND p.prosecdef AND p.proname = '_tl_places'$$,
                  $$VALUES (current_user::text COLLATE "default", ARRAY['search_path=pg_catalog, pg_temp', 'lock_timeout=10s'] COLLATE "default", false, false)$$,
                  'its SECURITY DEFINER trigger function: the hub owner''s, pinned, not PUBLIC''s, naming no hub');
SELECT is((SELECT string_agg(p.proname, ',' ORDER BY p.proname) FROM pg_proc p WHERE p.pronamespace = 'rnt_new'::regnamespace AND p.prosecdef),
          '_tl_places,_tl_places_left,_zae_zone_history_hidden',
          'its three SECURITY DEFINER functions: the trigger, the places left of tl_propose, the earlier contours an agent cannot read (zones)');
SELECT is(pg_temp.as_role('rnt_agent_a', $$SELECT has_function_privilege('rnt_new._tl_places()', 'EXECUTE')::text$$),
          'false', 'an agent may not execute it, so not attach it to a table of its own');

-- create_hub on the renamed hub, then the old name back: the same
SELECT ok((SELECT count(*) > 0 FROM smartregion.create_hub('rnt_new')), 'create_hub runs on the renamed hub');
SELECT is(pg_temp.as_role('rnt_agent_b', $$SELECT string_agg(p.project_id::text, ',' ORDER BY p.project_id) FROM rnt_new.tl_request p$$),
          '12,21', 'after create_hub, agent b still reads its own request and a''s public one');
ALTER SCHEMA rnt_new RENAME TO rnt;
SELECT is(pg_temp.as_role('rnt_agent_a', $$UPDATE rnt.projects SET team_size = 2 WHERE id = 11 RETURNING 'ok'$$),
          '23P01', 'the old name back: agent a cannot grow project 11''s team past the premise''s places (23P01)');
SELECT is(pg_temp.as_role('rnt_agent_a', $$SELECT count(*) FROM rnt.tl_request WHERE territory_code = '69382'$$),
          '0', 'the old name back: agent a still reads none of b''s requests');
SELECT is(pg_temp.as_role('rnt_reader', $$SELECT count(*) FROM rnt.tl_history WHERE visibility = 'restricted'$$),
          '0', 'the old name back: the reader reads no restricted history');

SELECT * FROM finish();
ROLLBACK;
