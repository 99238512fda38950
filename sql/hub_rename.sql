-- A hub renamed with ALTER SCHEMA ... RENAME keeps working (docs/platform.md, "Renaming a
-- hub"): its tables, policies, triggers and grants follow the schema by its OID, and its
-- two per-hub functions, _tl_places and _tl_history_notify, name no schema in their bodies
-- (before, _tl_places named the old one and refused every acceptance with 39P01, and the
-- events were the hub alone until create_hub was run again).  The whole tiers-lieux flow
-- under the new name, as two territories' agents that must not see each other's
-- restricted rows, with the events a listener receives; then create_hub on the renamed
-- hub, and the old name back.
--   agent rn_a acts for 91479 (Paray-Vieille-Poste), rn_b for 69381 (Lyon 1er)
--   premise 1: a's, public, 3 places; premise 2: b's, public, 1 place
--   projects 11 (a, public, team 2), 12 (a, restricted, team 1), 21 (b, restricted,
--   team 1), 22 (b, public, team 1); no dates: each occupies its premise for ever
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS rn_a, rn_b;
RESET client_min_messages;
SET client_min_messages = warning;
CREATE EXTENSION dblink;

CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rn_hub');
SELECT count(*) >= 0 AS groups FROM smartregion.create_roles();
CREATE ROLE rn_a IN ROLE smartregion_agent;
CREATE ROLE rn_b IN ROLE smartregion_agent;
INSERT INTO rn_hub.agents VALUES ('rn_a', '91479'), ('rn_b', '69381');
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('rn_hub');
GRANT USAGE ON SCHEMA rn_hub, smartregion TO rn_a, rn_b;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA rn_hub TO rn_a, rn_b;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO rn_a, rn_b;
INSERT INTO rn_hub.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (1, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 3, '91479', 'public'),
  (2, 'b public', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 1, '69381', 'public');
INSERT INTO rn_hub.projects (id, name, location, team_size, territory_code, visibility) VALUES
  (11, 'a public', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 2, '91479', 'public'),
  (12, 'a restricted', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), 1, '91479', 'restricted'),
  (21, 'b restricted', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 1, '69381', 'restricted'),
  (22, 'b public', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 1, '69381', 'public');

-- the listener: agent b, on a connection of its own; the payloads received since the last
-- call, in order: waits for at least n of them (at most 10 s), then 0.2 s more for any beyond
SELECT dblink_connect('listener', format('dbname=%s port=%s host=%s', current_database(), current_setting('port'),
                                         split_part(current_setting('unix_socket_directories'), ',', 1))) AS connected;
SELECT dblink_exec('listener', 'SET ROLE rn_b') AS set_role, dblink_exec('listener', 'LISTEN smartregion_tierslieux') AS listen;
CREATE FUNCTION pg_temp.received(n int) RETURNS SETOF jsonb LANGUAGE plpgsql AS $$
DECLARE got text[] := '{}'; t0 timestamptz := clock_timestamp(); t1 timestamptz;
BEGIN
  LOOP
    got := got || ARRAY(SELECT extra FROM dblink_get_notify('listener'));
    IF cardinality(got) >= n AND t1 IS NULL THEN t1 := clock_timestamp(); END IF;
    EXIT WHEN t1 IS NOT NULL AND clock_timestamp() > t1 + interval '0.2 s' OR clock_timestamp() > t0 + interval '10 s';
    PERFORM pg_sleep(0.02);
  END LOOP;
  RETURN QUERY SELECT g::jsonb FROM unnest(got) WITH ORDINALITY u(g, i) ORDER BY i;
END $$;

-- 1. renamed --------------------------------------------------------------------------------
ALTER SCHEMA rn_hub RENAME TO rn_new;
-- a's requests: 1 (public project 11: its ids, history 1) and 2 (restricted project 12: the
-- hub alone, history 2), one transaction
SET ROLE rn_a;
INSERT INTO rn_new.tl_request (project_id) VALUES (11), (12);
RESET ROLE;
SELECT * FROM pg_temp.received(2);
-- b's restricted request 3 (project 21), its proposal 1 of a's public premise 1, accepted:
-- request 3 matched (history 3 to 6, all restricted: the hub alone, once a transaction)
SET ROLE rn_b;
INSERT INTO rn_new.tl_request (project_id) VALUES (21);
INSERT INTO rn_new.tl_proposal (request_id, premise_id) VALUES (3, 1);
UPDATE rn_new.tl_proposal SET status = 'accepted' WHERE id = 1;
RESET ROLE;
SELECT * FROM pg_temp.received(3);
-- a proposes its premise 1 to its restricted request 2 by hand (proposal 2, restricted:
-- history 7, the hub alone), then tl_propose under the new name proposes to its requests
-- without a pending proposal, request 1 alone: premise 1 (3 places as a sees it; b's
-- premise 2 has 1 place, too few for project 11's team of 2): proposal 3, public (history 8: ids)
SET ROLE rn_a;
INSERT INTO rn_new.tl_proposal (request_id, premise_id) VALUES (2, 1);
SELECT proposal_id, request_id, project_id, premise_id FROM smartregion.tl_propose('{"hub": "rn_new"}');
RESET ROLE;
SELECT * FROM pg_temp.received(2);
-- a accepts proposal 3 (team 2): with b's hidden agreement (team 1), 3 of 3 places: fits;
-- request 1 matched (history 9, 10: ids)
SET ROLE rn_a;
UPDATE rn_new.tl_proposal SET status = 'accepted' WHERE id = 3;
-- a sees one agreement at premise 1, team 2 of its 3 places; proposal 2 (team 1) would
-- need 4 with b's: refused, as growing project 11's team to 3 would be
SELECT count(*) AS accepted_seen_by_a, sum(p.team_size) AS team_seen_by_a
  FROM rn_new.tl_proposal o JOIN rn_new.tl_request r ON r.id = o.request_id JOIN rn_new.projects p ON p.id = r.project_id
 WHERE o.premise_id = 1 AND o.status = 'accepted';
SELECT pg_temp.try($$UPDATE rn_new.tl_proposal SET status = 'accepted' WHERE id = 2$$) AS accept_over_capacity;
SELECT pg_temp.try($$UPDATE rn_new.projects SET team_size = 3 WHERE id = 11$$) AS grow_over_capacity;
RESET ROLE;
SELECT * FROM pg_temp.received(2);
-- what each agent reads under the new name: a its requests 1, 2, its proposals 2, 3 and
-- b's none (request 3 and proposal 1 are restricted), the history rows 1, 2, 7 to 10; b
-- its request 3 and proposal 1, a's public request 1 and proposal 3, the history rows 1,
-- 3 to 6, 8 to 10
CREATE FUNCTION pg_temp.seen(r name) RETURNS TABLE (who name, requests text, proposals text, history text)
LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE format('SET ROLE %I', r);
  RETURN QUERY SELECT r,
    (SELECT string_agg(x.id::text, ',' ORDER BY x.id) FROM rn_new.tl_request x),
    (SELECT string_agg(x.id::text, ',' ORDER BY x.id) FROM rn_new.tl_proposal x),
    (SELECT string_agg(x.id::text, ',' ORDER BY x.id) FROM rn_new.tl_history x);
  RESET ROLE;
END $f$;
SELECT s.* FROM unnest(ARRAY['rn_a', 'rn_b']::name[]) r, pg_temp.seen(r) s;
-- a caller's own objects never stand for the hub's tables: a's schema and a temporary table
-- named premises, ahead of its search path, with room for all; the refusal stands, and a's
-- path is its own again after the call
CREATE SCHEMA rn_plant AUTHORIZATION rn_a;
SET ROLE rn_a;
CREATE TABLE rn_plant.premises AS SELECT 1::bigint AS id, 1000 AS capacity;
CREATE TEMP TABLE premises AS SELECT 1::bigint AS id, 1000 AS capacity;
SET search_path = pg_temp, rn_plant, public;
SELECT pg_temp.try($$UPDATE rn_new.tl_proposal SET status = 'accepted' WHERE id = 2$$) AS accept_with_planted_tables;
SELECT current_setting('search_path') AS path_after;
RESET search_path;
DROP TABLE pg_temp.premises;
RESET ROLE;
DROP SCHEMA rn_plant CASCADE;
-- the function is still its hub's trigger only, and says so under the hub's present name
CREATE TABLE pg_temp.other (id int, status text);
INSERT INTO pg_temp.other VALUES (1, 'pending');
CREATE TRIGGER t AFTER UPDATE ON pg_temp.other FOR EACH ROW EXECUTE FUNCTION rn_new._tl_places();
SELECT pg_temp.try($$UPDATE pg_temp.other SET status = 'accepted'$$) AS other_table;
DROP TABLE pg_temp.other;

-- 2. create_hub on the renamed hub: nothing to repair, nothing changes -----------------------
-- but in a hub made before 2026-12-05, whose _tl_places named the schema it was written for
-- (its check as the template wrote it then stands for the whole body here): renamed, every
-- acceptance, capacity and team change was refused with 39P01; create_hub rewrites it
CREATE OR REPLACE FUNCTION rn_new._tl_places() RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $f$
DECLARE
  rel pg_catalog.regclass := coalesce(pg_catalog.pg_partition_root(TG_RELID), TG_RELID);
  kind text;
BEGIN
  kind := CASE WHEN rel::pg_catalog.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.tl_proposal', 'rn_hub'))::pg_catalog.oid THEN 'proposal'
               WHEN rel::pg_catalog.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.premises', 'rn_hub'))::pg_catalog.oid THEN 'premise'
               WHEN rel::pg_catalog.oid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.projects', 'rn_hub'))::pg_catalog.oid THEN 'project' END;
  IF kind IS NULL THEN
    RAISE EXCEPTION '%._tl_places() is the AFTER UPDATE row trigger of %.tl_proposal, premises and projects only', 'rn_hub', 'rn_hub'
      USING ERRCODE = '39P01';
  END IF;
  RETURN NULL;
END $f$;
SET ROLE rn_a;
SELECT pg_temp.try($$UPDATE rn_new.projects SET team_size = 3 WHERE id = 11$$) AS grow_in_old_hub;
RESET ROLE;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('rn_new');
SET ROLE rn_a;
SELECT pg_temp.try($$UPDATE rn_new.projects SET team_size = 3 WHERE id = 11$$) AS grow_after_create_hub;
RESET ROLE;
-- the per-hub functions name neither name (their comments aside)
SELECT p.proname, p.prosrc ~ 'rn_hub|rn_new' AS names_a_hub
  FROM pg_proc p WHERE p.pronamespace = 'rn_new'::regnamespace ORDER BY 1;
SELECT s.* FROM unnest(ARRAY['rn_a', 'rn_b']::name[]) r, pg_temp.seen(r) s;

-- 3. the old name back ----------------------------------------------------------------------
ALTER SCHEMA rn_new RENAME TO rn_hub;
-- b's public request 4 (project 22, history 11: ids, under the old name again), its proposal 4
-- of its premise 2 (1 place), accepted (history 12, 13, 14: ids)
SET ROLE rn_b;
INSERT INTO rn_hub.tl_request (project_id) VALUES (22);
INSERT INTO rn_hub.tl_proposal (request_id, premise_id) VALUES (4, 2);
UPDATE rn_hub.tl_proposal SET status = 'accepted' WHERE id = 4;
RESET ROLE;
SELECT * FROM pg_temp.received(4);
-- a lowers its premise 1 to 2 places: b's hidden agreement and a's need 3 (23P01); 3 places stay
SET ROLE rn_a;
SELECT pg_temp.try($$UPDATE rn_hub.premises SET capacity = 2 WHERE id = 1$$) AS lower_capacity;
-- a declines proposal 2 and withdraws request 2 (restricted: the hub alone, history 15, 16)
UPDATE rn_hub.tl_proposal SET status = 'declined', reason = 'no room' WHERE id = 2;
UPDATE rn_hub.tl_request SET status = 'withdrawn', reason = 'found elsewhere' WHERE id = 2;
RESET ROLE;
SELECT * FROM pg_temp.received(2);
SELECT h.id, h.entity, coalesce(h.proposal_id, h.request_id) AS of_id, h.to_status, h.actor, h.visibility
  FROM rn_hub.tl_history h ORDER BY h.id;
SELECT dblink_disconnect('listener') AS disconnected;

-- 4. the pseudonym key, kept under the hub's name ---------------------------------------------
-- the analysts' views of rn_hub, then the hub renamed rn_new again: the views keep their key
-- (rn_hub's row) and their pseudonyms; drawing a new key for rn_new, which would give other
-- pseudonyms, is refused (55000, naming the old name) by pseudonym() and by
-- create_pseudonymised_views; the key moved, the old views show no row until remade, then
-- the same pseudonyms
INSERT INTO rn_hub.projects (id, name, holder, location, territory_code) VALUES
  (23, 'a held', 'alice@example.org', ST_SetSRID(ST_MakePoint(2.37, 48.71), 4326), '91479');
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('rn_hub');
CREATE TEMP TABLE kept AS SELECT holder FROM rn_hub_pseudo.projects WHERE id = 23;
SELECT k.holder = smartregion.pseudonym('alice@example.org', 'rn_hub') AS pseudonymised FROM kept k;
ALTER SCHEMA rn_hub RENAME TO rn_new;
SELECT p.holder = k.holder AS same_after_rename FROM rn_hub_pseudo.projects p, kept k WHERE p.id = 23;
SELECT * FROM smartregion._hub_views_key_name('rn_new');
SELECT pg_temp.try($$SELECT smartregion.pseudonym('alice@example.org', 'rn_new')$$) AS new_key;
SELECT pg_temp.try($$SELECT smartregion.create_pseudonymised_views('rn_new')$$) AS new_views;
SELECT array_agg(hub_schema ORDER BY hub_schema) AS keys FROM smartregion.pseudonym_key WHERE hub_schema IN ('rn_hub', 'rn_new');
UPDATE smartregion.pseudonym_key SET hub_schema = 'rn_new' WHERE hub_schema = 'rn_hub';
SELECT count(*) AS rows_until_remade FROM rn_hub_pseudo.projects;
SELECT count(*) > 0 AS remade FROM smartregion.create_pseudonymised_views('rn_new', 'rn_hub_pseudo');
SELECT count(*) AS rows_remade FROM rn_hub_pseudo.projects;
SELECT p.holder = k.holder AS same_after_move, p.holder = smartregion.pseudonym('alice@example.org', 'rn_new') AS same_as_pseudonym
  FROM rn_hub_pseudo.projects p, kept k WHERE p.id = 23;
SELECT * FROM smartregion._hub_views_key_name('rn_new');
-- a rotation (the key deleted, the views remade) is no rename: a new key, other pseudonyms
DELETE FROM smartregion.pseudonym_key WHERE hub_schema = 'rn_new';
SELECT count(*) > 0 AS rotated FROM smartregion.create_pseudonymised_views('rn_new', 'rn_hub_pseudo');
SELECT p.holder <> k.holder AS other_pseudonym FROM rn_hub_pseudo.projects p, kept k WHERE p.id = 23;
ALTER SCHEMA rn_new RENAME TO rn_hub;
DROP SCHEMA rn_hub_pseudo CASCADE;
DELETE FROM smartregion.pseudonym_key WHERE hub_schema IN ('rn_hub', 'rn_new');

REVOKE ALL ON ALL TABLES IN SCHEMA rn_hub, smartregion FROM rn_a, rn_b;
REVOKE ALL ON SCHEMA rn_hub, smartregion FROM rn_a, rn_b;
DROP SCHEMA rn_hub CASCADE;
DROP ROLE rn_a;
DROP ROLE rn_b;
DROP EXTENSION dblink;
RESET client_min_messages;
