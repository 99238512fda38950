-- pgTAP: tl_propose counts the places left at a public premise as the acceptance does,
-- over every territory's agreements, without showing them (docs/matching.md, tl_propose).
-- Roles: tpp_a, agent of 91479, and tpp_b, agent of 69381, who must not see each other's
-- restricted rows; tpp_r, a reader.  b's restricted agreement takes the one place of
-- premise 1, a public premise of a's territory.  Before, a's run counted the places under
-- a's row-level security and proposed premise 1 (a could not see b's agreement), which the
-- acceptance (the hub's SECURITY DEFINER _tl_places, over every territory) then refused
-- with 23P01; now it proposes premise 2, through the hub's _tl_places_left, which gives
-- one number a public premise and period, the places left, and nothing of the agreements.
BEGIN;
SELECT plan(13);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tpp') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tpp') \gset
CREATE ROLE tpp_a IN ROLE smartregion_agent;
CREATE ROLE tpp_b IN ROLE smartregion_agent;
CREATE ROLE tpp_r IN ROLE smartregion_reader;
INSERT INTO tpp.agents (role_name, territory_code) VALUES ('tpp_a', '91479'), ('tpp_b', '69381');
-- premise 1 at a's project, 1 place; premise 2 about 5.6 km north, 5 places; both public
-- project 11: a's, public, team 1; project 21: b's, restricted, team 1; no dates
INSERT INTO tpp.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (1, 'one place', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'public'),
  (2, 'five places', ST_SetSRID(ST_MakePoint(2.37, 48.76), 4326), 5, '91479', 'public'),
  (3, 'b restricted', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 4, '69381', 'restricted');
INSERT INTO tpp.projects (id, name, location, team_size, territory_code, visibility) VALUES
  (11, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'public'),
  (21, 'b restricted', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 1, '69381', 'restricted');

SELECT is(pg_temp.as_role('tpp_b', $$
            INSERT INTO tpp.tl_request (project_id) VALUES (21);
            INSERT INTO tpp.tl_proposal (request_id, premise_id) SELECT r.id, 1 FROM tpp.tl_request r WHERE r.project_id = 21;
            UPDATE tpp.tl_proposal SET status = 'accepted' WHERE premise_id = 1;
            SELECT count(*)::text FROM tpp.tl_proposal WHERE status = 'accepted'$$, true),
          '1', 'b accepts premise 1 for its restricted project 21');
SELECT is(pg_temp.as_role('tpp_a', $$SELECT (SELECT count(*) FROM tpp.tl_proposal) + (SELECT count(*) FROM tpp.tl_request)
                                              + (SELECT count(*) FROM tpp.projects WHERE id = 21)$$),
          '0', 'a sees none of b''s request, proposal and project');
-- a's run: premise 1 has no place left, counted over every territory; premise 2 is proposed
SELECT is(pg_temp.as_role('tpp_a', $$
            INSERT INTO tpp.tl_request (project_id) VALUES (11);
            SELECT string_agg(project_id || ':' || premise_id, ',') FROM smartregion.tl_propose('{"hub": "tpp"}')$$, true),
          '11:2', 'a''s tl_propose proposes premise 2, not premise 1 whose one place b''s hidden agreement takes (before: 11:1)');
SELECT is(pg_temp.as_role('tpp_a', $$SELECT string_agg(premise_id || ' ' || status, ',') FROM tpp.tl_proposal$$),
          '2 pending', 'a reads its own proposal only: nothing of b''s agreement came with it');
-- what the count gives out: one number a public premise and period asked where an agreement
-- overlaps it (1: 1 - 1 = 0 over the undated projects' time, from ever for ever; premise 2
-- holds none: no row, its places are its capacity), to a as to b; not the restricted premise
-- 3 (a definer function cannot tell who may read it)
SELECT is(pg_temp.as_role('tpp_a', $$SELECT string_agg(premise_id || ':' || places, ',' ORDER BY premise_id)
                                        FROM tpp._tl_places_left(ARRAY[smartregion._tl_occupation(NULL, NULL)])$$),
          '1:0', 'a learns the places left at the public premises, nothing else');
SELECT is(pg_temp.as_role('tpp_b', $$SELECT string_agg(premise_id || ':' || places, ',' ORDER BY premise_id)
                                        FROM tpp._tl_places_left(ARRAY[smartregion._tl_occupation(NULL, NULL)])$$),
          '1:0', 'b too: its own restricted premise 3 is not listed');
SELECT is(pg_get_function_result('tpp._tl_places_left(tsrange[])'::regprocedure), 'TABLE(premise_id bigint, period tsrange, places bigint)',
          'three columns: the premise, the period asked and its places left then');
SELECT is(pg_temp.as_role('tpp_r', $$SELECT count(*)::text FROM tpp._tl_places_left('{}')$$),
          '42501', 'a reader may not call it (granted to the agents and the platform administrator only)');
SELECT ok((SELECT p.prosecdef AND p.proowner = c.relowner AND p.proconfig = ARRAY['search_path=pg_catalog, pg_temp']
                  AND NOT has_function_privilege('public', p.oid, 'EXECUTE') AND p.prosrc !~ 'tpp'
             FROM pg_proc p, pg_class c WHERE p.oid = 'tpp._tl_places_left(tsrange[])'::regprocedure AND c.oid = 'tpp.premises'::regclass),
          'the hub owner''s, its search_path pinned, not PUBLIC''s, naming no schema in its text (a body bound at creation)');
-- one query of the places left (fifth session of 2026-12-06; before, tl_propose wrote the
-- body a second time for the premises the definer function does not answer for): the hub's
-- _tl_places_seen, as its caller, which _tl_places_left calls for the public premises
SELECT ok((SELECT NOT p.prosecdef AND pg_get_functiondef(p.oid) ~ 'JOIN tpp\.tl_proposal'
                  AND pg_get_functiondef('tpp._tl_places_left(tsrange[])'::regprocedure) ~ 'FROM tpp\._tl_places_seen\(_tl_places_left\.periods, true\)'
                  AND pg_get_functiondef('tpp._tl_places_left(tsrange[])'::regprocedure) !~ 'tl_proposal'
             FROM pg_proc p WHERE p.oid = to_regprocedure('tpp._tl_places_seen(tsrange[], boolean)')),
          '_tl_places_left is _tl_places_seen(periods, true) as the hub owner; _tl_places_seen, the one query, runs as its caller');
SELECT is(pg_temp.as_role('tpp_b', $$SELECT coalesce(string_agg(premise_id || ':' || places, ',' ORDER BY premise_id), 'none')
                                        FROM tpp._tl_places_seen(ARRAY[smartregion._tl_occupation(NULL, NULL)])$$),
          '1:0', 'b, as itself, counts its own agreement at premise 1');
SELECT is(pg_temp.as_role('tpp_a', $$SELECT coalesce(string_agg(premise_id || ':' || places, ',' ORDER BY premise_id), 'none')
                                        FROM tpp._tl_places_seen(ARRAY[smartregion._tl_occupation(NULL, NULL)])$$),
          'none', 'a, as itself, counts nothing there (b''s agreement hidden): why the public premises are counted by the definer function');
SELECT is(pg_temp.as_role('tpp_a', $$UPDATE tpp.tl_proposal SET status = 'accepted' WHERE premise_id = 2 RETURNING 'accepted'$$),
          'accepted', 'premise 2 is accepted');

SELECT * FROM finish();
ROLLBACK;
