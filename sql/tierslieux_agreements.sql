-- Tiers-lieux agreements (review of 2026-12-07, h2): who may withdraw a proposal, the team
-- and period of a matched request's project, and the NOTICEs of a late answer.
--   hub tl_agr: premise 1 (4 places) and 2 (4 places), territory 75056; projects 1..4
--   (teams of 1), an agent tl_agr_agent of 75056 and a platform administrator
--   tl_agr_platform (a member of smartregion_platform_admin)
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS tl_agr_agent, tl_agr_platform, tl_agr_premise;
RESET client_min_messages;
SET client_min_messages = notice;
-- (terse: a NOTICE's detail names a clock time)
\set VERBOSITY terse

CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;

SET client_min_messages = warning;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tl_agr');
SELECT count(*) >= 0 AS groups FROM smartregion.create_roles();
CREATE ROLE tl_agr_agent IN ROLE smartregion_agent;
CREATE ROLE tl_agr_platform IN ROLE smartregion_platform_admin;
INSERT INTO tl_agr.agents VALUES ('tl_agr_agent', '75056');
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('tl_agr');
GRANT USAGE ON SCHEMA tl_agr, smartregion TO tl_agr_agent, tl_agr_platform;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tl_agr TO tl_agr_agent, tl_agr_platform;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO tl_agr_agent, tl_agr_platform;
INSERT INTO tl_agr.premises (id, name, location, capacity, territory_code) VALUES
  (1, 'one', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 4, '75056'),
  (2, 'two', ST_SetSRID(ST_MakePoint(2.36, 48.85), 4326), 4, '75056');
INSERT INTO tl_agr.projects (id, name, location, team_size, start_date, duration_months, territory_code) VALUES
  (1, 'p1', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 1, '2030-01-01', 12, '75056'),
  (2, 'p2', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 1, '2030-01-01', 12, '75056'),
  (3, 'p3', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 1, '2030-01-01', 12, '75056'),
  (4, 'p4', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 1, '2030-01-01', 12, '75056');
-- requests 1..4 for projects 1..4 (a new hub: identities from 1); premises 1 and 2 proposed
-- to each: proposal 2r-1 at premise 1, 2r at premise 2 for request r
INSERT INTO tl_agr.tl_request (project_id) SELECT g FROM generate_series(1, 4) g;
INSERT INTO tl_agr.tl_proposal (request_id, premise_id)
  SELECT r, m FROM generate_series(1, 4) r, generate_series(1, 2) m ORDER BY r, m;
SELECT id, request_id, premise_id, status FROM tl_agr.tl_proposal ORDER BY id;
SET client_min_messages = notice;

-- 1. Who withdraws a proposal: the platform, or automatically (matching.md, state machine)
-- The agent of the request's territory answers a proposal (accepts or declines it with a
-- reason); it does not withdraw it by hand: 42501.  Before, it did (the trigger checked
-- the transition only), though the docs said "the platform, or automatically".
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'withdrawn', reason = 'agent' WHERE id = 1$$) AS agent_withdraws;
-- its decline, with a reason, is its answer
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'declined', reason = 'no parking' WHERE id = 1$$) AS agent_declines;
RESET ROLE;
-- the platform administrator withdraws one (proposal 3, request 2)
SET ROLE tl_agr_platform;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'withdrawn', reason = 'premise closed' WHERE id = 3$$) AS platform_withdraws;
RESET ROLE;
-- automatically, by the agent's own acts: accepting proposal 5 (request 3, premise 1)
-- withdraws request 3's other pending proposal, 6 ('request matched'); withdrawing request 4
-- withdraws its proposals 7 and 8 ('request withdrawn')
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 5$$) AS agent_accepts;
SELECT pg_temp.try($$UPDATE tl_agr.tl_request SET status = 'withdrawn', reason = 'moved' WHERE id = 4$$) AS agent_withdraws_request;
RESET ROLE;
-- expected by hand: 1 declined (no parking), 2 pending, 3 withdrawn (premise closed),
-- 4 pending, 5 accepted, 6 withdrawn (request matched), 7 and 8 withdrawn (request withdrawn)
SELECT id, status, reason FROM tl_agr.tl_proposal ORDER BY id;
-- the actors of the withdrawals in the history: the platform's own, the agent's automatic ones
SELECT proposal_id, to_status, actor FROM tl_agr.tl_history
 WHERE entity = 'proposal' AND to_status = 'withdrawn' ORDER BY proposal_id;

-- 2. A matched request's project keeps a team and a period (as an open one's): 23514.
-- Project 3 is matched (proposal 5).  Before, both changes passed: an agreement holding
-- places for 0 people, or for no time.
SELECT pg_temp.try($$UPDATE tl_agr.projects SET team_size = 0 WHERE id = 3$$) AS matched_team_0;
SELECT pg_temp.try($$UPDATE tl_agr.projects SET duration_months = 0 WHERE id = 3$$) AS matched_no_time;
-- a smaller period or team stays free (team 1 -> 1, 12 -> 6 months)
SELECT pg_temp.try($$UPDATE tl_agr.projects SET duration_months = 6 WHERE id = 3$$) AS matched_shorter;
-- project 4's request is withdrawn: its project is free of it
SELECT pg_temp.try($$UPDATE tl_agr.projects SET team_size = 0 WHERE id = 4$$) AS withdrawn_team_0;
SELECT id, team_size, duration_months FROM tl_agr.projects WHERE id IN (3, 4) ORDER BY id;

-- 3. The NOTICEs of a late answer (matching.md, state machine: recorded as "expired").
-- Proposal 2 (request 1) and request 2 are moved to have expired an hour ago (moving them
-- earlier is allowed); request 2's pending proposal 4 is brought forward with it.
UPDATE tl_agr.tl_proposal SET expires_at = now() - interval '1 hour' WHERE id = 2;
UPDATE tl_agr.tl_request SET expires_at = now() - interval '1 hour' WHERE id = 2;
-- a late decline: NOTICE 'proposal 2 has expired: recorded as "expired", not "declined"'
SET ROLE tl_agr_agent;
UPDATE tl_agr.tl_proposal SET status = 'declined', reason = 'too late' WHERE id = 2;
-- a late withdrawal of request 2: NOTICE 'request 2 has expired: recorded as "expired", not
-- "withdrawn"'; its proposal 4, expired too, is recorded so with no NOTICE of its own (it
-- is not the statement's row)
UPDATE tl_agr.tl_request SET status = 'withdrawn', reason = 'too late' WHERE id = 2;
RESET ROLE;
-- a late withdrawal by the platform: project 4 (team back to 1) gets a new request, 5, and
-- proposal 9 at premise 1, moved to have expired an hour ago
SET client_min_messages = warning;
UPDATE tl_agr.projects SET team_size = 1 WHERE id = 4;
INSERT INTO tl_agr.tl_request (project_id) VALUES (4);
INSERT INTO tl_agr.tl_proposal (request_id, premise_id) VALUES (5, 1);
UPDATE tl_agr.tl_proposal SET expires_at = now() - interval '1 hour' WHERE id = 9;
SET client_min_messages = notice;
SET ROLE tl_agr_platform;
UPDATE tl_agr.tl_proposal SET status = 'withdrawn', reason = 'too late' WHERE id = 9;
RESET ROLE;
-- expected by hand: 2 expired (reason NULL: the reason given is not kept), 4 expired
-- (brought forward with request 2, withdrawn with it late: NULL), 9 expired (NULL);
-- request 2 expired, reason NULL
SELECT id, status, reason FROM tl_agr.tl_proposal WHERE id IN (2, 4, 9) ORDER BY id;
SELECT id, status, reason FROM tl_agr.tl_request WHERE id = 2;

-- 4. Ending an agreement (accepted -> ended): its places are free from its ends_on on.
-- Premise 3 has 2 places; project 5 (team 2, from 30 days ago for 24 months) is accepted
-- there (request 6, proposal 10); project 6 (team 2, from 60 days on for 12 months: request
-- 7, proposal 11) does not fit beside it (2 + 2 > 2 from day 60 on).  Project 5 leaves at
-- day 60: its agreement is ended from that day, and project 6's acceptance then passes
-- (the sweep ends 5's occupation at day 60 before 6's starts: 2 people at most).  Before
-- (the review of 2026-12-07, h2) an accepted proposal was final: no way to end it.
SET client_min_messages = warning;
INSERT INTO tl_agr.premises (id, name, location, capacity, territory_code) VALUES
  (3, 'three', ST_SetSRID(ST_MakePoint(2.37, 48.85), 4326), 2, '75056');
INSERT INTO tl_agr.projects (id, name, location, team_size, start_date, duration_months, territory_code) VALUES
  (5, 'p5', ST_SetSRID(ST_MakePoint(2.37, 48.85), 4326), 2, current_date - 30, 24, '75056'),
  (6, 'p6', ST_SetSRID(ST_MakePoint(2.37, 48.85), 4326), 2, current_date + 60, 12, '75056');
INSERT INTO tl_agr.tl_request (project_id) VALUES (5), (6);
INSERT INTO tl_agr.tl_proposal (request_id, premise_id) VALUES (6, 3), (7, 3);
SET client_min_messages = notice;
SELECT id, request_id, premise_id, status FROM tl_agr.tl_proposal WHERE id >= 10 ORDER BY id;
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 10$$) AS accept_5;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 11$$) AS accept_6_beside_5;
-- an ending says from which day, not before the day it was accepted (today for proposal
-- 10: yesterday is refused; section 6 backdates one accepted earlier), and why (23514); a
-- pending proposal is not ended (55000: it is declined or withdrawn); nor is an ends_on
-- given otherwise
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', reason = 'left' WHERE id = 10$$) AS end_without_day;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', reason = 'left', ends_on = current_date - 1 WHERE id = 10$$) AS end_yesterday;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date + 60 WHERE id = 10$$) AS end_without_reason;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date + 60, reason = 'x' WHERE id = 11$$) AS end_pending;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET ends_on = current_date + 60 WHERE id = 11$$) AS day_on_pending;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET ends_on = current_date + 60 WHERE id = 10$$) AS day_on_accepted;
RESET ROLE;
-- the places left at premise 3 over days 60-120 (tl_propose's count): 2 - 2 = 0 while 5
-- holds them; no agreement overlaps the period once 5 ends at day 60 (no row: all 2 left)
SELECT places AS left_before FROM tl_agr._tl_places_seen(ARRAY[tsrange((current_date + 60)::timestamp, (current_date + 120)::timestamp)])
 WHERE premise_id = 3;
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date + 60, reason = 'left early' WHERE id = 10$$) AS end_5;
RESET ROLE;
SELECT count(*) AS rows_after FROM tl_agr._tl_places_seen(ARRAY[tsrange((current_date + 60)::timestamp, (current_date + 120)::timestamp)])
 WHERE premise_id = 3;
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 11$$) AS accept_6_after_5;
-- an ended agreement still holds its places until its day: project 5's team grown to 3
-- needs 3 of 2 places before day 60 (23P01); ended, it is final (55000)
SELECT pg_temp.try($$UPDATE tl_agr.projects SET team_size = 3 WHERE id = 5$$) AS grow_5_before_its_end;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 10$$) AS accept_ended;
-- its project is no longer held to a team by it (the request stays matched, its
-- agreement ended): team 0 passes, unlike project 6's, accepted (23514)
SELECT pg_temp.try($$UPDATE tl_agr.projects SET team_size = 0 WHERE id = 5$$) AS team_0_of_ended;
SELECT pg_temp.try($$UPDATE tl_agr.projects SET team_size = 0 WHERE id = 6$$) AS team_0_of_accepted;
RESET ROLE;
SELECT pg_temp.try($$INSERT INTO tl_agr.tl_proposal (request_id, premise_id, ends_on) VALUES (5, 3, current_date)$$) AS new_with_day;
-- expected by hand: 10 ended, 60 days from today, 'left early'; 11 accepted; requests 6 and
-- 7 matched; proposal 10's history (after its creation) accepted, ended by the agent with
-- its reason
SELECT o.id, o.status, o.ends_on - current_date AS ends_in_days, o.reason, r.status AS request
  FROM tl_agr.tl_proposal o JOIN tl_agr.tl_request r ON r.id = o.request_id WHERE o.id >= 10 ORDER BY o.id;
SELECT from_status, to_status, actor, reason FROM tl_agr.tl_history WHERE proposal_id = 10 AND from_status IS NOT NULL ORDER BY id;
SELECT from_status, to_status FROM smartregion.tl_transitions() WHERE to_status = 'ended';

-- 5. create_hub run again on a hub (the upgrade path, review of 2026-12-07, h9): the
-- proposals' status constraint is changed only when its definition differs.  Run again on
-- this hub (its constraint already has "ended"), it keeps its oid (before: dropped and
-- added again at every run, a rescan of tl_proposal under an ACCESS EXCLUSIVE lock, a new
-- oid).  A hub made before "ended" (its constraint of five states, NOT VALID here since
-- proposal 10 is ended already) gets the six states, validated; expected by hand: the
-- definition lists 'ended', convalidated true, a new oid.
RESET ROLE;
SET client_min_messages = warning;
SELECT c.oid AS status_check_oid FROM pg_constraint c
 WHERE c.conrelid = 'tl_agr.tl_proposal'::regclass AND c.conname = 'tl_proposal_status_check' \gset
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('tl_agr');
SELECT c.oid = :status_check_oid AS same_constraint, pg_get_constraintdef(c.oid) LIKE '%''ended''::text%' AS has_ended
  FROM pg_constraint c WHERE c.conrelid = 'tl_agr.tl_proposal'::regclass AND c.conname = 'tl_proposal_status_check';
ALTER TABLE tl_agr.tl_proposal DROP CONSTRAINT tl_proposal_status_check,
  ADD CONSTRAINT tl_proposal_status_check CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn', 'expired')) NOT VALID;
SELECT c.oid AS status_check_oid FROM pg_constraint c
 WHERE c.conrelid = 'tl_agr.tl_proposal'::regclass AND c.conname = 'tl_proposal_status_check' \gset
SELECT count(*) > 0 AS hub_before_ended FROM smartregion.create_hub('tl_agr');
SELECT c.oid = :status_check_oid AS same_constraint, pg_get_constraintdef(c.oid) LIKE '%''ended''::text%' AS has_ended,
       c.convalidated
  FROM pg_constraint c WHERE c.conrelid = 'tl_agr.tl_proposal'::regclass AND c.conname = 'tl_proposal_status_check';
-- and a third run leaves that one as it is
SELECT c.oid AS status_check_oid FROM pg_constraint c
 WHERE c.conrelid = 'tl_agr.tl_proposal'::regclass AND c.conname = 'tl_proposal_status_check' \gset
SELECT count(*) > 0 AS hub_third FROM smartregion.create_hub('tl_agr');
SELECT c.oid = :status_check_oid AS same_constraint
  FROM pg_constraint c WHERE c.conrelid = 'tl_agr.tl_proposal'::regclass AND c.conname = 'tl_proposal_status_check';
RESET client_min_messages;

-- 6. An ending recorded late (review of 2026-12-07, h5): the manager records on day 0
-- (today) that the project left on day -15.  Before, an ends_on before today was refused
-- (23514 "proposal 13 cannot end before today"), and the places the project no longer
-- took were counted until today.  Now any day from the acceptance's on.
-- Premise 4 has 2 places; project 7 (team 2, from day -40 for 24 months) is accepted there
-- (request 8, proposal 13: section 4's refused insert took id 12); its acceptance is then
-- moved to day -20 (answered_at, as the hub's owner with the triggers off: the test cannot
-- wait 20 days).  Project 8 (team 2,
-- from day -10 for 12 months: request 9, proposal 14) does not fit beside it: 2 + 2 > 2
-- from day -10 on.
SET client_min_messages = warning;
INSERT INTO tl_agr.premises (id, name, location, capacity, territory_code) VALUES
  (4, 'four', ST_SetSRID(ST_MakePoint(2.38, 48.85), 4326), 2, '75056');
INSERT INTO tl_agr.projects (id, name, location, team_size, start_date, duration_months, territory_code) VALUES
  (7, 'p7', ST_SetSRID(ST_MakePoint(2.38, 48.85), 4326), 2, current_date - 40, 24, '75056'),
  (8, 'p8', ST_SetSRID(ST_MakePoint(2.38, 48.85), 4326), 2, current_date - 10, 12, '75056');
INSERT INTO tl_agr.tl_request (project_id) VALUES (7), (8);
INSERT INTO tl_agr.tl_proposal (request_id, premise_id) VALUES (8, 4), (9, 4);
SET client_min_messages = notice;
SELECT id, request_id, premise_id, status FROM tl_agr.tl_proposal WHERE id >= 13 ORDER BY id;
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 13$$) AS accept_7;
RESET ROLE;
SET session_replication_role = replica;
UPDATE tl_agr.tl_proposal SET answered_at = answered_at - interval '20 days' WHERE id = 13;
RESET session_replication_role;
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 14$$) AS accept_8_beside_7;
-- not before its acceptance (day -20): day -21 is refused
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date - 21, reason = 'left' WHERE id = 13$$) AS end_before_acceptance;
-- an ending changes the status, the day and the reason only (55000)
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date - 15, reason = 'left', score = 0.5 WHERE id = 13$$) AS end_and_score;
RESET ROLE;
-- the places left at premise 4 over days -10 to 30 (tl_propose's count): 2 - 2 = 0 while
-- project 7 holds them (days -40 to +690); none of it overlaps the period once it ends at
-- day -15 (held [day -40, day -15)): no row, all 2 left
SELECT places AS left_before FROM tl_agr._tl_places_seen(ARRAY[tsrange((current_date - 10)::timestamp, (current_date + 30)::timestamp)])
 WHERE premise_id = 4;
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date - 15, reason = 'left on day -15' WHERE id = 13$$) AS end_on_day_minus_15;
RESET ROLE;
SELECT count(*) AS rows_after FROM tl_agr._tl_places_seen(ARRAY[tsrange((current_date - 10)::timestamp, (current_date + 30)::timestamp)])
 WHERE premise_id = 4;
-- the acceptance's count agrees: project 8 fits now (7 held its 2 places up to day -15, 8
-- takes 2 from day -10: 2 at most)
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 14$$) AS accept_8_after_7;
-- and what was held stays counted: project 7 grown to 3 before day -15 needs 3 of 2 places
-- (23P01)
SELECT pg_temp.try($$UPDATE tl_agr.projects SET team_size = 3 WHERE id = 7$$) AS grow_7_before_its_end;
RESET ROLE;
-- expected by hand: 13 ended from day -15 (ends_in_days -15), answered today (answered_at
-- is the last answer's time: the ending's, 0 days ago); 14 accepted today (0).  The history
-- says who recorded the ending and when: tl_agr_agent, today (recorded_days_ago 0), 15 days
-- after the day it took effect
SELECT id, status, ends_on - current_date AS ends_in_days, current_date - answered_at::date AS answered_days_ago, reason
  FROM tl_agr.tl_proposal WHERE id IN (13, 14) ORDER BY id;
SELECT from_status, to_status, actor, current_date - at::date AS recorded_days_ago, reason
  FROM tl_agr.tl_history WHERE proposal_id = 13 AND to_status = 'ended';

-- 7. The premise's territory ends an agreement at its premise (review of 2026-12-07, h5):
-- the territory that runs the premise sees the project leave.  Before, only the request's
-- territory or the platform could end it: the premise's agent's UPDATE changed no row.
-- tl_agr_premise is an agent of 69123 (Lyon), the request's agent tl_agr_agent of 75056
-- (Paris); neither sees the other's restricted rows.  Premise 5 is 69123's, public, 4
-- places; premise 6 is 75056's, public; premise 7 is 69123's, restricted.  Projects 9
-- (public), 10 (restricted) and 11 (public), teams of 1, are 75056's: 9 and 10 accepted at
-- premise 5 (requests 10, 11; proposals 15, 16), 11 at premise 6 (request 12, proposal
-- 17); project 12 (public) proposed to premise 5 (request 13, proposal 18), pending.
SET client_min_messages = warning;
CREATE ROLE tl_agr_premise IN ROLE smartregion_agent;
INSERT INTO tl_agr.agents VALUES ('tl_agr_premise', '69123');
GRANT USAGE ON SCHEMA tl_agr, smartregion TO tl_agr_premise;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tl_agr TO tl_agr_premise;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO tl_agr_premise;
INSERT INTO tl_agr.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (5, 'five', ST_SetSRID(ST_MakePoint(4.83, 45.76), 4326), 4, '69123', 'public'),
  (6, 'six', ST_SetSRID(ST_MakePoint(2.39, 48.85), 4326), 4, '75056', 'public'),
  (7, 'seven', ST_SetSRID(ST_MakePoint(4.84, 45.76), 4326), 4, '69123', 'restricted');
INSERT INTO tl_agr.projects (id, name, location, team_size, start_date, duration_months, territory_code, visibility) VALUES
  (9, 'p9', ST_SetSRID(ST_MakePoint(4.83, 45.76), 4326), 1, '2030-01-01', 12, '75056', 'public'),
  (10, 'p10', ST_SetSRID(ST_MakePoint(4.83, 45.76), 4326), 1, '2030-01-01', 12, '75056', 'restricted'),
  (11, 'p11', ST_SetSRID(ST_MakePoint(2.39, 48.85), 4326), 1, '2030-01-01', 12, '75056', 'public'),
  (12, 'p12', ST_SetSRID(ST_MakePoint(4.83, 45.76), 4326), 1, '2030-01-01', 12, '75056', 'public');
SET ROLE tl_agr_agent;
INSERT INTO tl_agr.tl_request (project_id) VALUES (9), (10), (11), (12);
INSERT INTO tl_agr.tl_proposal (request_id, premise_id) VALUES (10, 5), (11, 5), (12, 6), (13, 5);
UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id IN (15, 16, 17);
RESET ROLE;
SET client_min_messages = notice;
-- expected by hand: 15 accepted public, 16 accepted restricted (its request's project is),
-- 17 accepted public, 18 pending public
SELECT id, request_id, premise_id, status, visibility FROM tl_agr.tl_proposal WHERE id >= 15 ORDER BY id;
-- the two agents do not see each other's restricted rows: the premise's agent reads the
-- public proposals 15, 17 and 18, not 16 (nor its request, project or history); the
-- request's agent does not read premise 7
SET ROLE tl_agr_premise;
SELECT id, status FROM tl_agr.tl_proposal WHERE id >= 15 ORDER BY id;
SELECT (SELECT count(*) FROM tl_agr.tl_request WHERE id = 11) AS request_11,
       (SELECT count(*) FROM tl_agr.projects WHERE id = 10) AS project_10,
       (SELECT count(*) FROM tl_agr.tl_history WHERE request_id = 11) AS history_11;
SET ROLE tl_agr_agent;
SELECT count(*) AS premise_7 FROM tl_agr.premises WHERE id = 7;
RESET ROLE;
CREATE FUNCTION pg_temp.n(q text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE k bigint;
BEGIN
  EXECUTE q;
  GET DIAGNOSTICS k = ROW_COUNT;
  RETURN k;
END $$;
-- the premise's agent ends proposal 15 at its premise 5, from day 0; the ending alone:
-- with another column it is 55000; an ends_on before the acceptance (today) 23514
SET ROLE tl_agr_premise;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date, reason = 'moved out', expires_at = now() WHERE id = 15$$) AS premise_ends_and_changes;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date - 1, reason = 'moved out' WHERE id = 15$$) AS premise_ends_before_acceptance;
SELECT pg_temp.n($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date, reason = 'moved out' WHERE id = 15$$) AS premise_ends_15;
-- nothing else: not an agreement at another territory's premise (17), not a pending
-- proposal at its premise (18: it neither accepts nor declines it), not the restricted
-- agreement 16 it does not read; an UPDATE naming no column, which PostgreSQL checks
-- against the write policies only, reaches none of them either (0 rows each)
SELECT pg_temp.n($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date, reason = 'x' WHERE id = 17$$) AS other_premise,
       pg_temp.n($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 18$$) AS accept_pending,
       pg_temp.n($$UPDATE tl_agr.tl_proposal SET status = 'declined', reason = 'x' WHERE id = 18$$) AS decline_pending,
       pg_temp.n($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date, reason = 'x' WHERE id = 16$$) AS hidden,
       pg_temp.n($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date, reason = 'blind'$$) AS no_column_named;
-- an ended agreement is final for it too (its reason is not its to clear: 0 rows)
SELECT pg_temp.n($$UPDATE tl_agr.tl_proposal SET reason = NULL WHERE id = 15$$) AS clear_reason;
-- it reads its ending in the history (a public row, with its login), and the event of it
-- as a listener rebuilds it (ids: a public proposal at a public premise); nothing of 16
SELECT h.proposal_id, h.from_status, h.to_status, h.actor, h.reason,
       (SELECT count(*) FROM smartregion.tl_event_history(jsonb_build_object('hub', 'tl_agr', 'entity', 'proposal', 'id', 15,
                                                                               'request_id', 10, 'history_id', h.id)::text)) AS event_rows
  FROM tl_agr.tl_history h WHERE h.request_id IN (10, 11) AND h.to_status = 'ended';
-- it does not write another history row of the request's territory (55000: no such change)
SELECT pg_temp.try($$INSERT INTO tl_agr.tl_history (entity, request_id, proposal_id, premise_id, from_status, to_status, territory_code)
                     VALUES ('proposal', 10, 15, 5, 'accepted', 'ended', '75056')$$) AS forged_history;
-- the request's agent reads the ending, by the premise's agent, with its reason; the
-- request stays matched
SET ROLE tl_agr_agent;
SELECT o.id, o.status, o.ends_on - current_date AS ends_in_days, o.reason, r.status AS request
  FROM tl_agr.tl_proposal o JOIN tl_agr.tl_request r ON r.id = o.request_id WHERE o.id = 15;
SELECT from_status, to_status, actor, territory_code, visibility FROM tl_agr.tl_history WHERE proposal_id = 15 AND to_status = 'ended';
RESET ROLE;
-- the restricted agreement 16 is its request's territory's or the platform's to end: the
-- platform ends it
SET ROLE tl_agr_platform;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'ended', ends_on = current_date, reason = 'premise closed' WHERE id = 16$$) AS platform_ends_16;
RESET ROLE;
-- expected by hand: 15 ended (by tl_agr_premise), 16 ended (by tl_agr_platform), 17
-- accepted, 18 pending
SELECT o.id, o.status, h.actor FROM tl_agr.tl_proposal o
  LEFT JOIN tl_agr.tl_history h ON h.proposal_id = o.id AND h.to_status = 'ended'
 WHERE o.id >= 15 ORDER BY o.id;

-- 8. A transition changes its own columns only (review of 2026-12-07, h5, second session):
-- an acceptance, a decline, a withdrawal and an expiry set the status and the reason, as
-- the ending (section 6) sets them and its ends_on; a pending proposal's score, method or
-- expiry change in an UPDATE of their own.  Before, only the ending was held to it: an
-- acceptance altered the score or the expiry of the agreement in the same UPDATE, which the
-- premise's territory (tl_agr_premise, 69123) reads as the agreement's.  Projects 13..18
-- (75056, public, teams of 1) get requests 14..19, and 14..18 proposals 19..23 at premise 5
-- (69123's, public, 4 places: 15 and 16 ended today), score 0.5, method 'by hand'.
SET client_min_messages = warning;
INSERT INTO tl_agr.projects (id, name, location, team_size, start_date, duration_months, territory_code, visibility)
  SELECT g, 'p' || g, ST_SetSRID(ST_MakePoint(4.83, 45.76), 4326), 1, '2030-01-01', 12, '75056', 'public'
    FROM generate_series(13, 18) g;
SET ROLE tl_agr_agent;
INSERT INTO tl_agr.tl_request (project_id) SELECT g FROM generate_series(13, 18) g;
INSERT INTO tl_agr.tl_proposal (request_id, premise_id, score, method)
  SELECT r.id, 5, 0.5, 'by hand' FROM tl_agr.tl_request r WHERE r.project_id BETWEEN 13 AND 17 ORDER BY r.id;
RESET ROLE;
SET client_min_messages = notice;
-- expected: proposals 19..23 of requests 14..18, pending
SELECT o.id, o.request_id, r.project_id, o.status FROM tl_agr.tl_proposal o JOIN tl_agr.tl_request r ON r.id = o.request_id
 WHERE o.id >= 19 ORDER BY o.id;
-- the request's agent: an answer with another column is 55000, naming the column
-- (expected: score, expires_at, method of 19 when accepting it; score of 20 when declining it)
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted', score = 0.99 WHERE id = 19$$) AS accept_and_score,
       pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted', expires_at = expires_at + interval '1 day' WHERE id = 19$$) AS accept_and_expiry,
       pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted', reason = 'fits', method = 'other' WHERE id = 19$$) AS accept_and_method,
       pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'declined', reason = 'too far', score = 0 WHERE id = 20$$) AS decline_and_score;
-- proposal 22's time is up (moved into the past, an UPDATE of its own); its expiry, and a
-- late decline (recorded as expired), are answers too (expected: 55000 on score when
-- expiring it; on method when declining it: checked on the answer asked for)
UPDATE tl_agr.tl_proposal SET expires_at = now() - interval '1 hour' WHERE id = 22;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'expired', score = 0.1 WHERE id = 22$$) AS expire_and_score,
       pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'declined', reason = 'late', method = 'x' WHERE id = 22$$) AS late_decline_and_method;
RESET ROLE;
-- the platform's withdrawal too (expected: 55000 on score when withdrawing it)
SET ROLE tl_agr_platform;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'withdrawn', reason = 'premise closed', score = 0 WHERE id = 21$$) AS withdraw_and_score;
-- alone, each passes: a pending proposal's score changed by an UPDATE of its own (19: 0.9),
-- then accepted with a reason; 20 declined, 21 withdrawn, 22 expired by tl_expire (the
-- engine's own update: 1 proposal, no request)
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'withdrawn', reason = 'premise closed' WHERE id = 21$$) AS withdraw_21;
RESET ROLE;
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET score = 0.9 WHERE id = 19$$) AS rescore_pending_19,
       pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted', reason = 'fits' WHERE id = 19$$) AS accept_19,
       pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'declined', reason = 'too far' WHERE id = 20$$) AS decline_20;
RESET ROLE;
SELECT * FROM smartregion.tl_expire('tl_agr');
-- The insert path: a proposal is born pending (55000), and an upsert's acceptance is an
-- acceptance (the UPDATE's rule: 55000 on the score of the pending proposal 23)
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$INSERT INTO tl_agr.tl_proposal (request_id, premise_id, status) VALUES (19, 6, 'accepted')$$) AS born_accepted,
       pg_temp.try($$INSERT INTO tl_agr.tl_proposal (request_id, premise_id) VALUES (18, 5)
                     ON CONFLICT (request_id, premise_id) DO UPDATE SET status = 'accepted', score = 1$$) AS upsert_accept_and_score;
RESET ROLE;
-- a trigger that fires after sr_tl_proposal_check (by name; the hub owner's here, or a
-- role's granted TRIGGER) changes the row it checked: the row as written is checked again.
-- Before, an acceptance's score was rewritten; a proposal inserted pending and made
-- "accepted" by it (no acceptance checked, its places never counted: sr_tl_places fires on
-- an UPDATE) was refused only by the history's own check, 55000 "cannot write tl_history
-- directly".  Expected: 55000 both, the insert's "must be pending", the acceptance's on
-- the score; then 23 accepted alone
CREATE FUNCTION tl_agr.zz_tamper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN NEW.status := 'accepted'; ELSE NEW.score := 1; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER zz_tamper BEFORE INSERT OR UPDATE OF status ON tl_agr.tl_proposal
  FOR EACH ROW EXECUTE FUNCTION tl_agr.zz_tamper();
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$INSERT INTO tl_agr.tl_proposal (request_id, premise_id) VALUES (19, 6)$$) AS born_accepted_by_trigger,
       pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 23$$) AS rescored_by_trigger;
RESET ROLE;
DROP TRIGGER zz_tamper ON tl_agr.tl_proposal;
DROP FUNCTION tl_agr.zz_tamper();
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_proposal SET status = 'accepted' WHERE id = 23$$) AS accept_23;
RESET ROLE;
-- expected by hand: the premise's agent (69123) reads the agreements at its premise as
-- they were answered: 19 accepted, score 0.9 (its own UPDATE before), method 'by hand',
-- reason 'fits'; 20 declined 'too far'; 21 withdrawn 'premise closed'; 22 expired (its
-- reason NULL); 23 accepted, score 0.5, its request 18 matched; request 19 open, with no
-- proposal (the refused inserts made none)
SET ROLE tl_agr_premise;
SELECT id, status, score, method, reason FROM tl_agr.tl_proposal WHERE id >= 19 ORDER BY id;
SELECT r.id, r.status, (SELECT count(*) FROM tl_agr.tl_proposal o WHERE o.request_id = r.id) AS proposals
  FROM tl_agr.tl_request r WHERE r.id IN (18, 19) ORDER BY r.id;
RESET ROLE;
-- A request's transition likewise sets its status and reason only: the agent's withdrawal of
-- request 19 (open, note NULL) with a note or a later expiry is 55000; alone, it passes.
-- Expected by hand: 55000 on "note", then on "expires_at"; ok; 19 withdrawn, note NULL, its
-- reason 'found elsewhere', expiry unchanged (90 days after its creation, today)
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$UPDATE tl_agr.tl_request SET status = 'withdrawn', reason = 'found elsewhere', note = 'x' WHERE id = 19$$) AS withdraw_and_note,
       pg_temp.try($$UPDATE tl_agr.tl_request SET status = 'withdrawn', expires_at = expires_at + interval '1 day' WHERE id = 19$$) AS withdraw_and_expiry,
       pg_temp.try($$UPDATE tl_agr.tl_request SET status = 'withdrawn', reason = 'found elsewhere' WHERE id = 19$$) AS withdraw_19;
SELECT status, note, reason, expires_at::date - created_at::date AS expires_after_days FROM tl_agr.tl_request WHERE id = 19;
RESET ROLE;
-- and a request made otherwise than "open" by a trigger firing after sr_tl_request_check is
-- refused on the row as written (expected: 55000 'a new request must be "open", not
-- "withdrawn"'; no request made for project 13, which keeps its one, 14)
CREATE FUNCTION tl_agr.zz_tamper() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.status := 'withdrawn';
  RETURN NEW;
END $$;
CREATE TRIGGER zz_tamper BEFORE INSERT ON tl_agr.tl_request FOR EACH ROW EXECUTE FUNCTION tl_agr.zz_tamper();
SET ROLE tl_agr_agent;
SELECT pg_temp.try($$INSERT INTO tl_agr.tl_request (project_id) VALUES (13)$$) AS born_withdrawn_by_trigger;
SELECT array_agg(id) AS project_13_requests FROM tl_agr.tl_request WHERE project_id = 13;
RESET ROLE;
DROP TRIGGER zz_tamper ON tl_agr.tl_request;
DROP FUNCTION tl_agr.zz_tamper();

SET client_min_messages = warning;
REVOKE ALL ON ALL TABLES IN SCHEMA tl_agr, smartregion FROM tl_agr_agent, tl_agr_platform, tl_agr_premise;
REVOKE ALL ON SCHEMA tl_agr, smartregion FROM tl_agr_agent, tl_agr_platform, tl_agr_premise;
DROP SCHEMA tl_agr CASCADE;
DROP ROLE tl_agr_agent;
DROP ROLE tl_agr_platform;
DROP ROLE tl_agr_premise;
RESET client_min_messages;

-- a project's team grown reads only its own requests' proposals (_tl_places) ---------------
-- tl_proposal, tl_request and projects hold personal columns and keep no planner statistics
-- (_hub_table_no_statistics, as after grant_roles). There, the places check of a project
-- whose team grows or whose dates move joined the hub's proposals to the project's requests
-- and read every proposal, hashed against them (until 2026-12-07): here 2,000 projects,
-- one request each and 3 proposals a request (6,000 proposals), one project's team grown.
-- Now its requests' ids are an index condition: the index entries and rows of tl_proposal
-- read (pg_stat_user_indexes, pg_stat_user_tables, flushed) are at most its request's 3
SET client_min_messages = warning;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tl_scan');
INSERT INTO tl_scan.premises (id, name, location, capacity, territory_code)
SELECT g, 'premise ' || g, ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 1000, '75056' FROM generate_series(1, 3) g;
INSERT INTO tl_scan.projects (id, name, location, team_size, start_date, duration_months, territory_code)
SELECT g, 'p' || g, ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 1, '2030-01-01', 12, '75056' FROM generate_series(1, 2000) g;
INSERT INTO tl_scan.tl_request (project_id) SELECT g FROM generate_series(1, 2000) g;
INSERT INTO tl_scan.tl_proposal (request_id, premise_id) SELECT r.id, m.id FROM tl_scan.tl_request r, tl_scan.premises m;
ANALYZE tl_scan.projects, tl_scan.tl_request, tl_scan.tl_proposal;
SELECT smartregion._hub_table_no_statistics('tl_scan', t) AS no_statistics
  FROM unnest(ARRAY['projects', 'tl_request', 'tl_proposal']::name[]) t;
-- expected: no statistics left; 6,000 proposals (2,000 requests x 3 premises), 3 of project 17's request
SELECT (SELECT count(*) FROM pg_stats WHERE schemaname = 'tl_scan' AND tablename IN ('projects', 'tl_request', 'tl_proposal')) AS statistics_left,
       (SELECT count(*) FROM tl_scan.tl_proposal) AS proposals,
       (SELECT count(*) FROM tl_scan.tl_proposal o JOIN tl_scan.tl_request r ON r.id = o.request_id WHERE r.project_id = 17) AS its_proposals;
SELECT pg_stat_force_next_flush();
SELECT (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relid = 'tl_scan.tl_proposal'::regclass)
     + (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relid = 'tl_scan.tl_proposal'::regclass) AS read_before \gset
UPDATE tl_scan.projects SET team_size = 2 WHERE id = 17;
SELECT pg_stat_force_next_flush();
SELECT (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relid = 'tl_scan.tl_proposal'::regclass)
     + (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relid = 'tl_scan.tl_proposal'::regclass)
     - :read_before BETWEEN 1 AND 3 AS its_proposals_read_only;
DROP SCHEMA tl_scan CASCADE;
RESET client_min_messages;
