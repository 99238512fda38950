-- pgTAP: smartregion.tl_accept, an acceptance that locks its request before its proposal
-- (docs/matching.md, "Lock order of an acceptance and a withdrawal"; the lock order itself
-- is specs/tl_accept.spec's).  Its rules: it runs as its caller, row-level security applying;
-- a proposal the caller cannot read is not found (42704), the same as a missing one; a reader
-- is refused before any row is read (42501, whatever the id); a proposal the caller reads but
-- may not write (at its premise, for another territory's request) is refused (42501); an
-- accepted proposal is refused (55000), and so are a withdrawn one and one of a withdrawn
-- request (55000, the trigger's); a superuser's call on a hub whose code another role controls
-- is refused (42501, the guard of the agents' writers).
-- Roles: tla_a, agent of 91479, and tla_b, agent of 69381, who must not see each other's
-- restricted rows; tla_r, a reader.
--   premises 1, 2 (a's, public) and 3 (b's, public), 5 places each; projects 11 (a's,
--   public), 12 (a's, restricted), 21 (b's, public), team 1; their requests; proposals
--   11->1, 11->2, 11->3, 12->1, 21->3
BEGIN;
SELECT plan(26);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- the error's SQLSTATE and message, run as a role (rolled back)
CREATE FUNCTION pg_temp.err_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'no error';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN CASE WHEN st = 'SRROK' THEN msg ELSE st || ' ' || msg END;
  END;
END $$;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tla') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tla') \gset
CREATE ROLE tla_a IN ROLE smartregion_agent;
CREATE ROLE tla_b IN ROLE smartregion_agent;
CREATE ROLE tla_r IN ROLE smartregion_reader;
INSERT INTO tla.agents (role_name, territory_code) VALUES ('tla_a', '91479'), ('tla_b', '69381');
INSERT INTO tla.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (1, 'a one', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 5, '91479', 'public'),
  (2, 'a two', ST_SetSRID(ST_MakePoint(2.37, 48.76), 4326), 5, '91479', 'public'),
  (3, 'b three', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 5, '69381', 'public');
INSERT INTO tla.projects (id, name, location, team_size, territory_code, visibility) VALUES
  (11, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'public'),
  (12, 'a restricted', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'restricted'),
  (21, 'b public', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 1, '69381', 'public');
INSERT INTO tla.tl_request (project_id) VALUES (11), (12), (21);
INSERT INTO tla.tl_proposal (request_id, premise_id)
  SELECT r.id, v.m FROM tla.tl_request r JOIN (VALUES (11, 1), (11, 2), (11, 3), (12, 1), (21, 3)) v(p, m) ON v.p = r.project_id;
SELECT id AS p11_1 FROM tla.tl_proposal o WHERE premise_id = 1 AND request_id = (SELECT id FROM tla.tl_request WHERE project_id = 11) \gset
SELECT id AS p11_2 FROM tla.tl_proposal o WHERE premise_id = 2 AND request_id = (SELECT id FROM tla.tl_request WHERE project_id = 11) \gset
SELECT id AS p11_3 FROM tla.tl_proposal o WHERE premise_id = 3 AND request_id = (SELECT id FROM tla.tl_request WHERE project_id = 11) \gset
SELECT id AS p12_1 FROM tla.tl_proposal o WHERE request_id = (SELECT id FROM tla.tl_request WHERE project_id = 12) \gset
SELECT id AS p21_3 FROM tla.tl_proposal o WHERE request_id = (SELECT id FROM tla.tl_request WHERE project_id = 21) \gset
SELECT id AS r11 FROM tla.tl_request WHERE project_id = 11 \gset
SELECT max(id) + 1000 AS missing FROM tla.tl_proposal \gset

-- 1. declarations
SELECT has_function('smartregion', 'tl_accept', ARRAY['bigint', 'name', 'text'], 'tl_accept(proposal_id, hub, reason) exists');
SELECT volatility_is('smartregion', 'tl_accept', ARRAY['bigint', 'name', 'text'], 'volatile', 'it writes: VOLATILE');
SELECT ok((SELECT NOT p.prosecdef AND NOT p.proisstrict AND p.proparallel = 'u'
                  AND p.proconfig = ARRAY['search_path=pg_catalog, pg_temp']
                  AND obj_description(p.oid, 'pg_proc') IS NOT NULL
             FROM pg_proc p WHERE p.oid = 'smartregion.tl_accept(bigint, name, text)'::regprocedure),
          'runs as its caller (not SECURITY DEFINER), not STRICT (NULL is an error), PARALLEL UNSAFE, search_path pinned, commented');
SELECT ok((SELECT 'tl_accept' = ANY (entry_points) FROM smartregion.services() WHERE name = 'tiers_lieux_requests'),
          'an entry point of the tiers_lieux_requests service');

-- 2. hidden and missing proposals: the same answer
SELECT is(pg_temp.as_role('tla_b', format($$SELECT count(*)::text FROM tla.tl_proposal WHERE id = %s$$, :p12_1)),
          '0', 'b does not read a''s restricted proposal 12->1');
SELECT is(pg_temp.err_of('tla_b', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :p12_1)),
          format('42704 proposal %s is not in hub "tla" or not visible to you', :p12_1),
          'b''s tl_accept of a''s hidden proposal: not found (42704)');
SELECT is(pg_temp.err_of('tla_b', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :missing)),
          format('42704 proposal %s is not in hub "tla" or not visible to you', :missing),
          'and of a missing one: the same error, no hint of the hidden one''s existence');
SELECT is((SELECT string_agg(status, ',') FROM tla.tl_proposal WHERE id = :p12_1), 'pending', 'a''s hidden proposal is untouched');

-- 3. a reader: refused before any row is read
SELECT is(pg_temp.err_of('tla_r', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :p11_1)),
          '42501 permission denied to accept proposals of hub "tla"', 'a reader may not accept a proposal it reads (42501)');
SELECT is(pg_temp.err_of('tla_r', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :missing)),
          '42501 permission denied to accept proposals of hub "tla"', 'nor a missing one: the same answer');

-- 4. read but not written: a's public request's proposal at b's premise 3
SELECT is(pg_temp.as_role('tla_b', format($$SELECT count(*)::text FROM tla.tl_proposal WHERE id = %s$$, :p11_3)),
          '1', 'b reads a''s proposal at its premise 3');
SELECT is(pg_temp.err_of('tla_b', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :p11_3)),
          format('42501 cannot accept proposal %s: you cannot write its request %s', :p11_3, :r11),
          'b may not accept it: a''s request is not b''s to write (42501)');

-- 5. a accepts its own
SELECT is(pg_temp.as_role('tla_a', format($$SELECT smartregion.tl_accept(%s, 'tla', 'fits')::text$$, :p11_1), true),
          :'r11', 'a accepts 11->1 with a reason: tl_accept returns its request');
SELECT is((SELECT string_agg(premise_id || ' ' || status || ' ' || coalesce(reason, '-'), ',' ORDER BY premise_id)
             FROM tla.tl_proposal WHERE request_id = :r11),
          '1 accepted fits,2 withdrawn request matched,3 withdrawn request matched', '11->1 accepted with its reason, 11->2 and 11->3 withdrawn by the match (its reason: docs/matching.md)');
SELECT is((SELECT status FROM tla.tl_request WHERE id = :r11), 'matched', 'request 11 matched');
SELECT is((SELECT actor::text FROM tla.tl_history WHERE entity = 'proposal' AND proposal_id = :p11_1 AND to_status = 'accepted'),
          'tla_a', 'the history records a as who accepted (run as its caller)');

-- 6. already accepted, withdrawn, of a withdrawn request: 55000
SELECT is(pg_temp.err_of('tla_a', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :p11_1)),
          format('55000 proposal %s is already "accepted"', :p11_1), 'an accepted proposal accepted again: 55000');
SELECT is(pg_temp.err_of('tla_a', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :p11_2)),
          format('55000 cannot change proposal %s from "withdrawn" to "accepted"', :p11_2), 'a withdrawn one (by the match): 55000');
SELECT is(pg_temp.as_role('tla_a', $$UPDATE tla.tl_request SET status = 'withdrawn', reason = 'left' WHERE project_id = 12 RETURNING 'withdrawn'$$, true),
          'withdrawn', 'a withdraws its request 12');
SELECT is(pg_temp.err_of('tla_a', format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :p12_1)),
          format('55000 cannot change proposal %s from "withdrawn" to "accepted"', :p12_1), 'the proposal of a withdrawn request: 55000');

-- 7. b accepts its own; arguments
SELECT is(pg_temp.as_role('tla_b', format($$SELECT smartregion.tl_accept(%s, 'tla')::text$$, :p21_3)),
          (SELECT id::text FROM tla.tl_request WHERE project_id = 21), 'b accepts its own proposal 21->3');
SELECT is(pg_temp.err_of('tla_a', $$SELECT smartregion.tl_accept(NULL, 'tla')$$),
          '22004 parameter "proposal_id" cannot be NULL', 'a NULL proposal_id: 22004');
SELECT is(pg_temp.err_of('tla_a', $$SELECT smartregion.tl_accept(1, NULL)$$),
          '22004 parameter "hub" cannot be NULL', 'a NULL hub: 22004');
SELECT is(pg_temp.err_of('tla_a', $$SELECT smartregion.tl_accept(1, 'nowhere')$$),
          '42P01 hub "nowhere" has no table tl_proposal', 'no such hub: 42P01');

-- 8. the guard of the agents' writers (_hub_code_guard, privileged_only, as tl_propose): a
-- superuser's call on a hub where b holds TRIGGER on a table is refused; an agent's is not
GRANT TRIGGER ON tla.tl_proposal TO tla_b;
SELECT matches(pg_temp.err_of(current_user, format($$SELECT smartregion.tl_accept(%s, 'tla')$$, :p21_3)),
               '^42501 must not run tl_accept on hub "tla" as role', 'a superuser''s tl_accept on a hub whose code b controls: 42501');
SELECT is(pg_temp.as_role('tla_b', format($$SELECT smartregion.tl_accept(%s, 'tla')::text$$, :p21_3)),
          (SELECT id::text FROM tla.tl_request WHERE project_id = 21), 'b''s own call still passes');
REVOKE TRIGGER ON tla.tl_proposal FROM tla_b;

SELECT * FROM finish();
ROLLBACK;
