-- Tiers-lieux events on LISTEN/NOTIFY (docs/matching.md, "Events"): any role that can
-- connect may LISTEN to smartregion_tierslieux, so a transition sends the identifiers of a
-- row every reader may read, and of any other row the hub's name alone.  Observed for
-- real: a second connection (dblink) as the agent of another territory LISTENs, receives
-- the payloads, and re-reads tl_history under its own rights.
--   agent tln_a acts for 91479 (Paray-Vieille-Poste), tln_b for 69381 (Lyon 1er), which
--   must not see each other's restricted rows; tln_reader reads the public rows
--   premises 1 (a's, public), 2 (a's, restricted), 3 (b's, public, made restricted later)
--   projects of a: 11 public, 12 restricted, 13 public then restricted in the same
--   transaction as its request
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS tln_a, tln_b, tln_reader;
RESET client_min_messages;
SET client_min_messages = warning;
CREATE EXTENSION dblink;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tln');
-- (agents and a reader of the groups, created if missing: create_hub names no listed role
-- that is no agent)
SELECT count(*) >= 0 AS groups FROM smartregion.create_roles();
CREATE ROLE tln_a IN ROLE smartregion_agent;
CREATE ROLE tln_b IN ROLE smartregion_agent;
CREATE ROLE tln_reader IN ROLE smartregion_reader;
INSERT INTO tln.agents VALUES ('tln_a', '91479'), ('tln_b', '69381');
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('tln');
GRANT USAGE ON SCHEMA tln, smartregion TO tln_a, tln_b, tln_reader;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tln TO tln_a, tln_b;
GRANT SELECT ON ALL TABLES IN SCHEMA tln TO tln_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO tln_a, tln_b, tln_reader;
INSERT INTO tln.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (1, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 5, '91479', 'public'),
  (2, 'a restricted', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 5, '91479', 'restricted'),
  (3, 'b public', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 5, '69381', 'public');
INSERT INTO tln.projects (id, name, location, team_size, territory_code, visibility) VALUES
  (11, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'public'),
  (12, 'a restricted', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'restricted'),
  (13, 'a public, restricted with its request', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'public'),
  (14, 'a restricted too', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'restricted');

-- the listener: agent b, on a connection of its own
SELECT dblink_connect('listener', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                         split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
SELECT dblink_exec('listener', 'SET ROLE tln_b') AS set_role, dblink_exec('listener', 'LISTEN smartregion_tierslieux') AS listen;
-- the payloads received since the last call, in order: waits for at least n of them (at
-- most 10 s), then 0.2 s more for any beyond
CREATE TABLE pg_temp.events (n serial, step text, payload jsonb);
CREATE FUNCTION pg_temp.received(step text, n int) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
DECLARE got text[] := '{}'; t0 timestamptz := clock_timestamp(); t1 timestamptz;
BEGIN
  LOOP
    got := got || ARRAY(SELECT extra FROM dblink_get_notify('listener'));
    IF cardinality(got) >= n AND t1 IS NULL THEN t1 := clock_timestamp(); END IF;
    EXIT WHEN t1 IS NOT NULL AND clock_timestamp() > t1 + interval '0.2 s' OR clock_timestamp() > t0 + interval '10 s';
    PERFORM pg_sleep(0.02);
  END LOOP;
  INSERT INTO pg_temp.events (step, payload) SELECT received.step, g::jsonb FROM unnest(got) WITH ORDINALITY u(g, i) ORDER BY i;
  RETURN QUERY SELECT g::jsonb FROM unnest(got) WITH ORDINALITY u(g, i) ORDER BY i;
END $$;

-- a public request: its ids (history 1)
SET ROLE tln_a;
INSERT INTO tln.tl_request (project_id) VALUES (11);
RESET ROLE;
SELECT * FROM pg_temp.received('public request', 1);
-- two restricted requests (of restricted projects) in one transaction: the hub alone, once
-- (PostgreSQL sends a transaction's identical payloads once; history 2 and 3)
SET ROLE tln_a;
INSERT INTO tln.tl_request (project_id) VALUES (12), (14);
RESET ROLE;
SELECT * FROM pg_temp.received('restricted request', 1);
-- a request public when made, restricted with its project before the commit: never
-- public outside the transaction, so the hub alone (history 4, decided at commit)
BEGIN;
SET LOCAL ROLE tln_a;
INSERT INTO tln.tl_request (project_id) VALUES (13);
UPDATE tln.projects SET visibility = 'restricted' WHERE id = 13;
COMMIT;
SELECT * FROM pg_temp.received('restricted before commit', 1);
-- three proposals to the public request in one statement: premise 1 (public: ids),
-- premise 2 (a's restricted premise: the proposal is restricted, the hub alone), premise 3
-- (b's public premise: ids); history 5, 6, 7
SET ROLE tln_a;
INSERT INTO tln.tl_proposal (request_id, premise_id) SELECT r.id, m.id FROM tln.tl_request r, (VALUES (1), (2), (3)) m(id)
 WHERE r.project_id = 11 ORDER BY m.id;
RESET ROLE;
SELECT * FROM pg_temp.received('three proposals', 3);
-- b makes its premise 3 restricted; a declines the proposal of it: a public proposal of a
-- premise not every reader may read (it is hidden with its premise), the hub alone (history 8)
SET ROLE tln_b;
UPDATE tln.premises SET visibility = 'restricted' WHERE id = 3;
SET ROLE tln_a;
UPDATE tln.tl_proposal SET status = 'declined', reason = 'trop loin' WHERE premise_id = 3;
RESET ROLE;
SELECT * FROM pg_temp.received('premise restricted since', 1);
-- a accepts premise 1: the proposal accepted and the request matched (ids: history 9, 10),
-- the proposal of the restricted premise 2 withdrawn with them (the hub alone: history 11)
SET ROLE tln_a;
UPDATE tln.tl_proposal SET status = 'accepted' WHERE premise_id = 1;
RESET ROLE;
SELECT * FROM pg_temp.received('accepted', 3);
-- create_hub in a transaction that made a transition sends its event first (a table with
-- pending trigger events cannot be altered: 55006), and leaves the hub owner's own deferred
-- constraint deferred: its dangling row, fixed before the commit, is no error (a new request
-- of project 11, whose first is matched: ids, history 12)
CREATE TABLE tln.owner_links (premise_id bigint REFERENCES tln.premises (id) DEFERRABLE INITIALLY DEFERRED);
BEGIN;
INSERT INTO tln.owner_links VALUES (999);
SET LOCAL ROLE tln_a;
INSERT INTO tln.tl_request (project_id) VALUES (11);
RESET ROLE;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tln');
DELETE FROM tln.owner_links;
COMMIT;
SELECT * FROM pg_temp.received('create_hub in the transaction', 1);
-- a proposal made restricted on its own before the commit (a's public premise 1 proposed to
-- that new request, then restricted): never public outside the transaction, so the hub
-- alone (history 13), and its history row restricted with it
BEGIN;
SET LOCAL ROLE tln_a;
INSERT INTO tln.tl_proposal (request_id, premise_id) SELECT r.id, 1 FROM tln.tl_request r
 WHERE r.project_id = 11 AND r.status = 'open';
UPDATE tln.tl_proposal SET visibility = 'restricted'
 WHERE premise_id = 1 AND request_id = (SELECT r.id FROM tln.tl_request r WHERE r.project_id = 11 AND r.status = 'open');
COMMIT;
SELECT * FROM pg_temp.received('proposal restricted before commit', 1);
SELECT h.id, h.entity, h.to_status, h.visibility FROM tln.tl_history h WHERE h.id = 13;
SELECT dblink_disconnect('listener') AS disconnected;

-- every payload is either the hub alone or names a history row that the reader, and so
-- every role, may read (history 7 was when it was sent: its premise 3 was public), with its
-- entity, id and request
CREATE FUNCTION pg_temp.history_seen(r name) RETURNS TABLE (id bigint, entity text, request_id bigint, proposal_id bigint, to_status text)
LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('SET ROLE %I', r);
  RETURN QUERY SELECT h.id, h.entity, h.request_id, h.proposal_id, h.to_status FROM tln.tl_history h;
  RESET ROLE;
END $f$;
SELECT count(*) AS events, count(*) FILTER (WHERE payload = '{"hub": "tln"}') AS hub_alone,
       count(*) FILTER (WHERE payload ? 'history_id') AS with_ids,
       bool_and(payload = '{"hub": "tln"}' OR payload ?& ARRAY['hub', 'entity', 'id', 'request_id', 'history_id']) AS either
  FROM pg_temp.events;
SELECT e.payload ->> 'history_id' AS history_id, h.id IS NOT NULL AS reader_reads_it,
       h.entity = e.payload ->> 'entity' AND coalesce(h.proposal_id, h.request_id) = (e.payload ->> 'id')::bigint
       AND h.request_id = (e.payload ->> 'request_id')::bigint AS same_row
  FROM pg_temp.events e LEFT JOIN pg_temp.history_seen('tln_reader') h ON h.id = (e.payload ->> 'history_id')::bigint
 WHERE e.payload ? 'history_id' ORDER BY e.n;
-- what each role then reads, re-reading tl_history from the last id it saw (0 here): the
-- reader the rows sent with their ids (but 7, hidden since with premise 3); b also 7 and
-- the decline of its premise 3 (8); a all thirteen
SELECT r AS role, string_agg(format('%s %s %s', h.id, h.entity, h.to_status), ', ' ORDER BY h.id) AS history
  FROM unnest(ARRAY['tln_reader', 'tln_b', 'tln_a']::name[]) r, pg_temp.history_seen(r) h
 WHERE h.id > 0 GROUP BY r ORDER BY count(*);

-- a hub made before a restricted proposal took its history with it (the trigger then fired on
-- a change of status only): proposal 1's history (5 pending, 9 accepted) stays public when the
-- proposal is made restricted; create_hub, run to upgrade the hub, makes it restricted
CREATE OR REPLACE TRIGGER sr_tl_proposal_event AFTER INSERT OR UPDATE OF status ON tln.tl_proposal
  FOR EACH ROW EXECUTE FUNCTION smartregion._tl_proposal_event();
UPDATE tln.tl_proposal SET visibility = 'restricted' WHERE request_id = 1 AND premise_id = 1;
SELECT string_agg(format('%s %s', h.id, h.visibility), ', ' ORDER BY h.id) AS history_of_proposal_1
  FROM tln.tl_history h JOIN tln.tl_proposal p ON p.id = h.proposal_id WHERE p.request_id = 1 AND p.premise_id = 1;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tln');
SELECT string_agg(format('%s %s', h.id, h.visibility), ', ' ORDER BY h.id) AS history_of_proposal_1
  FROM tln.tl_history h JOIN tln.tl_proposal p ON p.id = h.proposal_id WHERE p.request_id = 1 AND p.premise_id = 1;
-- run again, it changes nothing: no statement on tl_history in the provenance
SELECT count(*) AS provenance_before FROM smartregion.provenance WHERE hub_schema = 'tln' AND table_name = 'tl_history' \gset
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tln');
SELECT count(*) - :provenance_before AS new_provenance FROM smartregion.provenance WHERE hub_schema = 'tln' AND table_name = 'tl_history';
-- a hub renamed since create_hub: its transitions still commit and send the same events,
-- under its new name (the notifying function names no hub: it failed every commit with
-- 'schema "tln" does not exist', then sent the hub alone until create_hub was run again);
-- a withdraws its public request 5 (history 14: its ids) and with it its restricted
-- proposal 4 (15: the hub alone)
SELECT dblink_connect('listener', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                         split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
SELECT dblink_exec('listener', 'SET ROLE tln_b') AS set_role, dblink_exec('listener', 'LISTEN smartregion_tierslieux') AS listen;
ALTER SCHEMA tln RENAME TO tln_renamed;
SET ROLE tln_a;
UPDATE tln_renamed.tl_request SET status = 'withdrawn' WHERE id = 5;
RESET ROLE;
SELECT * FROM pg_temp.received('renamed hub', 2);
ALTER SCHEMA tln_renamed RENAME TO tln;
SELECT string_agg(format('%s %s %s', h.id, h.entity, h.to_status), ', ' ORDER BY h.id) AS history FROM tln.tl_history h WHERE h.id > 13;
-- Forged events: any role may NOTIFY on the channel (PostgreSQL has no privilege on it).
-- The reader, which acts for no territory, sends four in a's name: a transition of a's
-- public request 1 under a history id that does not exist (999), one calling a's restricted
-- request's history row 2 a proposal, a replay of the genuine event of history 1, and the
-- hub alone.  They reach the listener, from the forger's backend...
SET ROLE tln_reader;
SELECT pg_backend_pid() AS forger_pid \gset
SELECT pg_notify('smartregion_tierslieux', '{"hub": "tln", "entity": "request", "id": 1, "request_id": 1, "history_id": 999}') AS forged;
SELECT pg_notify('smartregion_tierslieux', '{"hub": "tln", "entity": "proposal", "id": 1, "request_id": 1, "history_id": 2}') AS forged;
SELECT pg_notify('smartregion_tierslieux', '{"hub": "tln", "entity": "request", "id": 1, "request_id": 1, "history_id": 1}') AS forged;
SELECT pg_notify('smartregion_tierslieux', '{"hub": "tln"}') AS forged;
RESET ROLE;
SELECT pg_sleep(0.3);
CREATE TEMP TABLE forged AS SELECT n.be_pid, n.extra::jsonb AS payload, row_number() OVER () AS k
  FROM dblink_get_notify('listener') n;
SELECT count(*) AS forged_events, bool_and(be_pid = :forger_pid) AS from_the_forger FROM forged;
-- ... and the listener's protocol (matching.md, Events), smartregion.tl_event_history, trusts
-- the history row, not the payload: an event with ids gives the row it names only when the
-- listener reads it and it is of that entity, id and request.  As agent b: the first two give
-- nothing (no row; a row b may not read, which the forger cannot read either), the replay the
-- true transition b had already seen (history 1), the hub alone what b reads after its last
-- id (15): nothing.  No forged transition is ever taken, nothing of a's hidden rows is read
GRANT SELECT ON forged, pg_temp.events TO tln_b;
SET ROLE tln_b;
SELECT f.payload ->> 'history_id' AS history_id,
       (SELECT string_agg(format('%s %s %s', t.history_id, t.entity, t.to_status), ', ')
          FROM smartregion.tl_event_history(f.payload::text, 15) t) AS taken
  FROM forged f ORDER BY f.k;
-- the genuine events with ids give their row, as b reads it now: not 5 and 9 (proposal 1's,
-- made restricted since with its history), nor 14, sent under the hub's name of the time
-- (tln_renamed: a listener follows a rename, platform.md)
SELECT e.payload ->> 'hub' AS hub, e.payload ->> 'history_id' AS history_id,
       (SELECT string_agg(format('%s %s %s', t.history_id, t.entity, t.to_status), ', ')
          FROM smartregion.tl_event_history(e.payload::text) t) AS taken
  FROM pg_temp.events e WHERE e.payload ? 'history_id' ORDER BY e.n;
-- a payload that is no event of smartregion's gives no row, and no error (a forger must not
-- stop a listener's loop): not JSON, not an object, a hub that does not exist or is no string,
-- ids that are strings, fractions or too large
SELECT p AS payload, (SELECT count(*) FROM smartregion.tl_event_history(p)) AS taken
  FROM (VALUES ('not json'), ('[]'), ('null'), ('{"hub": "nope"}'), ('{"hub": 1}'),
               ('{"hub": "tln", "entity": "request", "id": 1, "request_id": 1, "history_id": "1"}'),
               ('{"hub": "tln", "entity": "request", "id": 1.5, "request_id": 1, "history_id": 1}'),
               ('{"hub": "tln", "entity": "request", "id": 1, "request_id": 1, "history_id": 99999999999999999999}'),
               ('{"hub": "tln", "entity": 7, "id": 1, "request_id": 1, "history_id": 1}')) v(p);
SELECT count(*) AS null_event FROM smartregion.tl_event_history(NULL);
RESET ROLE;
SELECT count(*) AS new_rows_for_b FROM pg_temp.history_seen('tln_b') h WHERE h.id > 15;
SELECT dblink_disconnect('listener') AS disconnected;
REVOKE ALL ON ALL TABLES IN SCHEMA tln, smartregion FROM tln_a, tln_b, tln_reader;
REVOKE ALL ON forged, pg_temp.events FROM tln_b;
REVOKE ALL ON SCHEMA tln, smartregion FROM tln_a, tln_b, tln_reader;
DROP SCHEMA tln CASCADE;
DROP ROLE tln_a;
DROP ROLE tln_b;
DROP ROLE tln_reader;
DROP EXTENSION dblink;
RESET client_min_messages;
