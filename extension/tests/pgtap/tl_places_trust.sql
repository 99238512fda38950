-- pgTAP: a hub's SECURITY DEFINER trigger function _tl_places (the places of a premise over
-- every territory's agreements, docs/matching.md) runs with the hub owner's rights and
-- never has the hub's schema on its search path.  Before (review of 2026-12-06) it set the
-- path pg_catalog, <hub>, pg_temp for the call, to read the hub's tables by their bare names:
-- whatever a role with CREATE on the hub's schema planted there was one unqualified name
-- away from running with the owner's rights, and trust_problems only listed it.  Now every
-- table is named with the hub's schema (EXECUTE format('%I.premises', hub)).
-- Roles: tpt_a, agent of 91479, and tpt_b, agent of 69381, who must not see each other's
-- restricted rows; tpt_b was granted CREATE on the hub's schema (a DBA's mistake) and plants
-- there functions and an operator of the names the count uses, which would hide every
-- agreement (isempty true, = false) and record who ran them.
BEGIN;
SELECT plan(7);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tpt') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tpt') \gset
CREATE ROLE tpt_a IN ROLE smartregion_agent;
CREATE ROLE tpt_b IN ROLE smartregion_agent;
INSERT INTO tpt.agents (role_name, territory_code) VALUES ('tpt_a', '91479'), ('tpt_b', '69381');
GRANT CREATE ON SCHEMA tpt TO tpt_b;
-- premise 1: a's, public, 1 place; project 11: a's, public, team 1; project 21: b's,
-- restricted, team 1; no dates: each occupies the premise for ever
INSERT INTO tpt.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (1, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'public');
INSERT INTO tpt.projects (id, name, location, team_size, territory_code, visibility) VALUES
  (11, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'public'),
  (21, 'b restricted', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 1, '69381', 'restricted');

-- b's restricted agreement takes the premise's one place
SELECT is(pg_temp.as_role('tpt_b', $$
            INSERT INTO tpt.tl_request (project_id) VALUES (21);
            INSERT INTO tpt.tl_proposal (request_id, premise_id) SELECT r.id, 1 FROM tpt.tl_request r WHERE r.project_id = 21;
            UPDATE tpt.tl_proposal SET status = 'accepted' WHERE premise_id = 1;
            SELECT count(*)::text FROM tpt.tl_proposal WHERE status = 'accepted'$$, true),
          '1', 'b accepts premise 1 for its restricted project 21');
SELECT is(pg_temp.as_role('tpt_a', $$SELECT count(*)::text FROM tpt.tl_proposal$$),
          '0', 'a does not see b''s agreement');

-- b plants, in the hub's schema, what the count calls by name: isempty, lower, upper of a
-- range, and = of bigint; each records the role that runs it
SELECT is(pg_temp.as_role('tpt_b', $$
            CREATE TABLE tpt.ran (who name);
            GRANT INSERT ON tpt.ran TO PUBLIC;
            CREATE FUNCTION tpt.isempty(tsrange) RETURNS boolean LANGUAGE plpgsql AS
              $f$ BEGIN INSERT INTO tpt.ran VALUES (current_user); RETURN true; END $f$;
            CREATE FUNCTION tpt.lower(tsrange) RETURNS timestamp LANGUAGE plpgsql AS
              $f$ BEGIN INSERT INTO tpt.ran VALUES (current_user); RETURN NULL; END $f$;
            CREATE FUNCTION tpt.upper(tsrange) RETURNS timestamp LANGUAGE plpgsql AS
              $f$ BEGIN INSERT INTO tpt.ran VALUES (current_user); RETURN NULL; END $f$;
            CREATE FUNCTION tpt.never(bigint, bigint) RETURNS boolean LANGUAGE plpgsql AS
              $f$ BEGIN INSERT INTO tpt.ran VALUES (current_user); RETURN false; END $f$;
            CREATE OPERATOR tpt.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = tpt.never);
            SELECT 'planted'$$, true),
          'planted', 'b plants them in the hub''s schema');

-- a's acceptance of premise 1 for its project 11 would place 2 people in 1 place
SELECT is(pg_temp.as_role('tpt_a', $$
            INSERT INTO tpt.tl_request (project_id) VALUES (11);
            INSERT INTO tpt.tl_proposal (request_id, premise_id) SELECT r.id, 1 FROM tpt.tl_request r WHERE r.project_id = 11;
            UPDATE tpt.tl_proposal SET status = 'accepted' WHERE premise_id = 1;
            SELECT 'accepted'$$),
          '23P01', 'a''s acceptance is refused: b''s hidden agreement is counted, b''s functions are not called');
SELECT is((SELECT count(*)::text FROM tpt.ran), '0', 'nothing b planted ran, as a nor as the hub''s owner');

-- what the function's definition shows: its search path is pinned and never changed, and
-- each statement names its table with the hub's schema
SELECT is((SELECT array_to_string(proconfig, '; ') FROM pg_proc WHERE oid = 'tpt._tl_places()'::regprocedure),
          'search_path=pg_catalog, pg_temp; lock_timeout=10s', 'the path is pinned to pg_catalog, pg_temp');
SELECT ok((SELECT prosrc !~* 'set_config' AND prosrc !~* '(from|join)\s+(projects|premises|tl_request|tl_proposal)\M'
             FROM pg_proc WHERE oid = 'tpt._tl_places()'::regprocedure),
          'the body neither puts the hub on its search path nor reads a table by its bare name (before: set_config(''search_path'', ''pg_catalog, <hub>, pg_temp''), FROM projects ...)');

SELECT * FROM finish();
ROLLBACK;
