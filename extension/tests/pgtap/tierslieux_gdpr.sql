-- pgTAP: the free-text reasons of tiers-lieux requests, proposals and their history are
-- personal data (docs/governance.md, the register; docs/matching.md, the hub tables): they
-- may name people, so the register lists them, the access request finds the mentions, the
-- erasure and the retention clear them (the rows, statuses and history kept), the analysts'
-- views and the readers leave them out, and the append-only history lets that clearing
-- through and nothing else.  Two agents of two communes write the requests and answers; a
-- platform administrator (the DPO) answers the requests.
BEGIN;
SELECT plan(41);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- a hub, its roles, two communes
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tlg') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tlg') \gset
CREATE ROLE tlg_agent_a IN ROLE smartregion_agent;
CREATE ROLE tlg_agent_b IN ROLE smartregion_agent;
CREATE ROLE tlg_dpo IN ROLE smartregion_platform_admin;
CREATE ROLE tlg_reader IN ROLE smartregion_reader;
INSERT INTO tlg.agents VALUES ('tlg_agent_a', '69381'), ('tlg_agent_b', '69382');
INSERT INTO tlg.projects (id, name, holder, territory_code) VALUES
  (1, 'Atelier', 'lea.roux@example.org', '69381'),
  (2, 'Fablab', 'marc.petit@example.org', '69381'),
  (3, 'Ressourcerie', 'ines.kaci@example.org', '69382'),
  (4, 'Repair café', 'paul.morel@example.org', '69381');
INSERT INTO tlg.premises (id, name, owner, location, capacity, territory_code) VALUES
  (10, 'Halle', 'SCI Halle', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 10, '69381'),
  (11, 'Grenier', 'SCI Grenier', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 10, '69381'),
  (12, 'Entrepôt', 'SCI Entrepôt', ST_SetSRID(ST_MakePoint(4.80, 45.77), 4326), 10, '69382');

-- the register lists the three reasons as free text, cleared after 2 years as the note, and
-- the history's actor (an agent's login) as an identifier pseudonymised after 2 years
SELECT results_eq(
  $$SELECT format('%s.%s', table_name, column_name) COLLATE "default", kind, legal_basis, retention, erasure FROM smartregion.personal_data
     WHERE table_name IN ('tl_request', 'tl_proposal', 'tl_history') ORDER BY 1$$,
  $$VALUES ('tl_history.actor', 'subject_id', 'legitimate_interests', interval '2 years', 'pseudonymise'),
           ('tl_history.reason', 'free_text', 'legitimate_interests', interval '2 years', 'clear'),
           ('tl_proposal.reason', 'free_text', 'legitimate_interests', interval '2 years', 'clear'),
           ('tl_request.note', 'free_text', 'legitimate_interests', interval '2 years', 'clear'),
           ('tl_request.reason', 'free_text', 'legitimate_interests', interval '2 years', 'clear')$$,
  'tl_request.note and reason, tl_proposal.reason and tl_history.reason are registered free text, 2 years, cleared; tl_history.actor an identifier, pseudonymised');
SELECT ok((SELECT bool_and(EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = format('tlg.%I', t)::regclass
                                     AND a.attname = 'recorded_at' AND NOT a.attisdropped))
             FROM unnest(ARRAY['tl_request', 'tl_proposal', 'tl_history']) t),
          'the three tables carry recorded_at, from which their retention counts');

-- agent a (69381): project 1's request; premise 11 declined with a reason naming M. Dupont,
-- premise 10 accepted (the request matched); project 2's request withdrawn with a reason
-- naming Jean DUPONT
SELECT is(pg_temp.as_role('tlg_agent_a', $$INSERT INTO tlg.tl_request (project_id, note) VALUES (1, 'visite prévue'), (2, NULL) RETURNING 'ok'$$, true),
          'ok', 'agent a makes two requests');
SELECT is(pg_temp.as_role('tlg_agent_a', $$INSERT INTO tlg.tl_proposal (request_id, premise_id)
            SELECT r.id, m.id FROM tlg.tl_request r, (VALUES (10), (11)) m(id) WHERE r.project_id = 1 RETURNING 'ok'$$, true),
          'ok', 'agent a proposes premises 10 and 11 to project 1');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_proposal SET status = 'declined' WHERE premise_id = 11 RETURNING 'ok'$$),
          '23514', 'a decline without a reason is still refused (23514)');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_proposal SET status = 'declined', reason = 'Refusé : M. Dupont occupe déjà le grenier'
            WHERE premise_id = 11 RETURNING status$$, true),
          'declined', 'agent a declines premise 11 with a reason naming M. Dupont');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_proposal SET status = 'accepted' WHERE premise_id = 10 RETURNING status$$, true),
          'accepted', 'agent a accepts premise 10');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_request SET status = 'withdrawn', reason = 'Trouvé ailleurs, avec Jean DUPONT'
            WHERE project_id = 2 RETURNING status$$, true),
          'withdrawn', 'agent a withdraws project 2''s request with a reason naming Jean DUPONT');
-- agent b (69382): project 3's request, premise 12 declined for a reason naming Dupontel
-- (another word: not a mention of Dupont)
SELECT is(pg_temp.as_role('tlg_agent_b', $$WITH r AS (INSERT INTO tlg.tl_request (project_id) VALUES (3) RETURNING id)
            INSERT INTO tlg.tl_proposal (request_id, premise_id) SELECT id, 12 FROM r RETURNING 'ok'$$, true),
          'ok', 'agent b makes a request and proposes premise 12');
SELECT is(pg_temp.as_role('tlg_agent_b', $$UPDATE tlg.tl_proposal SET status = 'declined', reason = 'voir Dupontel pour les clés'
            WHERE premise_id = 12 RETURNING status$$, true),
          'declined', 'agent b declines premise 12');
-- the history by hand: request 1 created, proposals 10 and 11 pending, 11 declined, 10
-- accepted, request 1 matched (6); request 2 created and withdrawn (2); request 3
-- created, proposal 12 pending and declined (3): 11 rows, 3 with a reason
SELECT results_eq($$SELECT count(*)::int, count(reason)::int FROM tlg.tl_history$$, $$VALUES (11, 3)$$,
                  'the history holds 11 transitions, 3 with a reason');

-- agents cannot clear the history by hand, nor even by naming the erasure's column in the
-- setting it uses (any role may set a setting): only the roles that may run the erasure
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_history SET reason = NULL WHERE reason IS NOT NULL RETURNING 'cleared'$$),
          '55000', 'an agent cannot clear a reason of the history (55000)');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_history SET reason = 'autre' WHERE reason IS NOT NULL RETURNING 'rewritten'$$),
          '55000', 'an agent cannot rewrite a reason of the history (55000)');
SELECT set_config('smartregion_erasure.column', 'tlg.tl_history.reason', true) AS forged \gset
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_history SET reason = NULL WHERE reason IS NOT NULL RETURNING 'cleared'$$),
          '55000', 'an agent setting smartregion_erasure.column still cannot clear a reason of the history');
-- nor the DPO anything else than the clearing, even with the setting
SELECT is(pg_temp.as_role('tlg_dpo', $$UPDATE tlg.tl_history SET reason = 'autre' WHERE reason IS NOT NULL RETURNING 'rewritten'$$),
          '55000', 'with the setting, a reason of the history is not rewritten');
SELECT is(pg_temp.as_role('tlg_dpo', $$UPDATE tlg.tl_history SET reason = NULL, to_status = 'accepted' WHERE to_status = 'declined' RETURNING 'changed'$$),
          '55000', 'with the setting, nothing but the reason changes');
SELECT set_config('smartregion_erasure.column', '', true) AS unforged \gset
-- nor outside the erasure: an ordinary UPDATE by the DPO is refused too
SELECT is(pg_temp.as_role('tlg_dpo', $$UPDATE tlg.tl_history SET reason = NULL WHERE reason IS NOT NULL RETURNING 'cleared'$$),
          '55000', 'the DPO cannot clear a reason of the history outside an erasure');
SELECT is(pg_temp.as_role('tlg_dpo', $$DELETE FROM tlg.tl_history RETURNING 'deleted'$$),
          '55000', 'the history is not deleted');

-- the access request finds the four mentions of Dupont (whole words, any case), not Dupontel
SELECT results_eq(
  $$SELECT m ->> 'table', m ->> 'column', m ->> 'text'
      FROM jsonb_array_elements(smartregion.subject_export('Dupont', 'tlg') -> 'mentions') m ORDER BY 1, 2, 3$$,
  $$VALUES ('tlg.tl_history', 'reason', 'Refusé : M. Dupont occupe déjà le grenier'),
           ('tlg.tl_history', 'reason', 'Trouvé ailleurs, avec Jean DUPONT'),
           ('tlg.tl_proposal', 'reason', 'Refusé : M. Dupont occupe déjà le grenier'),
           ('tlg.tl_request', 'reason', 'Trouvé ailleurs, avec Jean DUPONT')$$,
  'subject_export finds Dupont in the reasons of a proposal, a request and two history rows');
SELECT is(pg_temp.as_role('tlg_dpo', $$SELECT jsonb_array_length(smartregion.subject_export('Dupont', 'tlg') -> 'mentions')$$),
          '4', 'the DPO (platform administrator) finds the same four mentions');

-- the erasure, by the DPO: the four reasons cleared, each column reported
SELECT is(pg_temp.as_role('tlg_dpo', $$SELECT smartregion.subject_erase('Dupont', 'tlg')::text$$, true)::jsonb - 'erased_at' - 'subject_pseudonym',
          jsonb_build_object('hub', 'tlg', 'status', 'erased', 'kept', '[]'::jsonb, 'erased', jsonb_build_array(
            jsonb_build_object('table', 'tlg.tl_history', 'column', 'reason', 'rows', 2, 'action', 'cleared'),
            jsonb_build_object('table', 'tlg.tl_proposal', 'column', 'reason', 'rows', 1, 'action', 'cleared'),
            jsonb_build_object('table', 'tlg.tl_request', 'column', 'reason', 'rows', 1, 'action', 'cleared'))),
          'subject_erase clears 2 history reasons, 1 proposal''s and 1 request''s, and keeps nothing');
SELECT is(current_setting('smartregion_erasure.column', true), '', 'the erasure leaves its setting empty');
-- the rows stay, with their statuses; the reasons naming Dupont are gone, Dupontel's stays
SELECT results_eq(
  $$SELECT r.project_id, r.status, r.note, r.reason FROM tlg.tl_request r ORDER BY 1$$,
  $$VALUES (1::bigint, 'matched', 'visite prévue', NULL::text), (2, 'withdrawn', NULL, NULL), (3, 'open', NULL, NULL)$$,
  'the requests stay, matched and withdrawn; request 2''s reason is cleared');
SELECT results_eq(
  $$SELECT p.premise_id, p.status, p.reason FROM tlg.tl_proposal p ORDER BY 1$$,
  $$VALUES (10::bigint, 'accepted', NULL::text), (11, 'declined', NULL), (12, 'declined', 'voir Dupontel pour les clés')$$,
  'proposal 11 stays declined, without its reason; proposal 12''s reason stays');
SELECT results_eq($$SELECT count(*)::int, count(reason)::int FROM tlg.tl_history$$, $$VALUES (11, 1)$$,
                  'the history keeps its 11 transitions; one reason is left (Dupontel''s)');
SELECT results_eq(
  $$SELECT entity, from_status, to_status FROM tlg.tl_history WHERE reason IS NULL AND to_status IN ('declined', 'withdrawn') ORDER BY 1, 3$$,
  $$VALUES ('proposal', 'pending', 'declined'), ('request', 'open', 'withdrawn')$$,
  'the two history rows that named Dupont keep their transition');
SELECT results_eq(
  $$SELECT format('%s.%s', table_name, column_name) COLLATE "default", action, rows::int FROM smartregion.subject_request_log
     WHERE hub_schema = 'tlg' AND request = 'erasure' ORDER BY id$$,
  $$VALUES ('tl_history.reason', 'cleared', 2), ('tl_proposal.reason', 'cleared', 1), ('tl_request.reason', 'cleared', 1)$$,
  'the erasure is recorded per column');
SELECT is((SELECT count(*)::int FROM smartregion.subject_request_log WHERE hub_schema = 'tlg' AND reason ILIKE '%dupont%'),
          0, 'the record names nobody');
SELECT is(pg_temp.as_role('tlg_dpo', $$SELECT jsonb_array_length(smartregion.subject_export('Dupont', 'tlg') -> 'mentions')$$),
          '0', 'after the erasure, no mention of Dupont is left');
-- the erasure opened nothing: the history still refuses an ordinary clearing
SELECT is(pg_temp.as_role('tlg_dpo', $$UPDATE tlg.tl_history SET reason = NULL WHERE reason IS NOT NULL RETURNING 'cleared'$$),
          '55000', 'after the erasure, an ordinary UPDATE of the history is still refused');

-- a final proposal's reason may be cleared by its territory (as a campaign comment), not
-- rewritten; another territory's agent does not reach it
SELECT is(pg_temp.as_role('tlg_agent_b', $$UPDATE tlg.tl_proposal SET reason = NULL WHERE premise_id = 12 RETURNING status$$),
          'declined', 'agent b may clear its declined proposal''s reason, which stays declined');
SELECT is(pg_temp.as_role('tlg_agent_b', $$UPDATE tlg.tl_proposal SET reason = 'autre motif' WHERE premise_id = 12 RETURNING status$$),
          '55000', 'agent b cannot rewrite it (55000)');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_proposal SET reason = NULL WHERE premise_id = 12 RETURNING status$$),
          '<null>', 'agent a does not reach b''s proposal');

-- retention: a request of project 4 and its answer written 25 months ago (recorded_at
-- defaults moved back for the time of their writing), withdrawn with a reason, its
-- proposal declined with one; the register's 2 years are over for them alone
-- (the events of the transitions above are sent first: a table with pending trigger
-- events cannot be altered, 55006; docs/matching.md, Events)
SET CONSTRAINTS tlg.sr_tl_history_notify IMMEDIATE;
ALTER TABLE tlg.tl_request ALTER COLUMN recorded_at SET DEFAULT now() - interval '25 months';
ALTER TABLE tlg.tl_proposal ALTER COLUMN recorded_at SET DEFAULT now() - interval '25 months';
ALTER TABLE tlg.tl_history ALTER COLUMN recorded_at SET DEFAULT now() - interval '25 months';
SELECT is(pg_temp.as_role('tlg_agent_a', $$WITH r AS (INSERT INTO tlg.tl_request (project_id, note) VALUES (4, 'ancienne note') RETURNING id)
            INSERT INTO tlg.tl_proposal (request_id, premise_id) SELECT id, 11 FROM r RETURNING 'ok'$$, true),
          'ok', 'agent a makes an old request and proposal');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_proposal SET status = 'declined', reason = 'ancien refus'
            WHERE premise_id = 11 AND status = 'pending' RETURNING status$$, true), 'declined', 'and declines it');
SELECT is(pg_temp.as_role('tlg_agent_a', $$UPDATE tlg.tl_request SET status = 'withdrawn', reason = 'ancien retrait'
            WHERE project_id = 4 RETURNING status$$, true), 'withdrawn', 'and withdraws the request');
ALTER TABLE tlg.tl_request ALTER COLUMN recorded_at SET DEFAULT now();
ALTER TABLE tlg.tl_proposal ALTER COLUMN recorded_at SET DEFAULT now();
ALTER TABLE tlg.tl_history ALTER COLUMN recorded_at SET DEFAULT now();
-- by hand: the old history rows are request 4 created, its proposal pending, declined
-- ('ancien refus') and the request withdrawn ('ancien retrait'): 4 actors, pseudonymised
-- (actor comes before reason), which clears their row's free text with them: the 2 reasons,
-- so that none is left for the reason's own clearing; the proposal's reason, the request's
-- note and reason: 1 each; nothing recent
SELECT is(pg_temp.as_role('tlg_dpo', $$SELECT string_agg(format('%s.%s %s %s', table_name, column_name, action, rows), ', ' ORDER BY table_name, column_name)
            FROM smartregion.purge_expired('tlg') WHERE table_name IN ('tl_request', 'tl_proposal', 'tl_history')$$, true),
          'tl_history.actor pseudonymised 4, tl_history.reason cleared 0, tl_proposal.reason cleared 1, tl_request.note cleared 1, tl_request.reason cleared 1',
          'purge_expired, run by the DPO, clears the free text written more than 2 years ago, in the history too');
SELECT results_eq(
  $$SELECT r.status, r.note, r.reason, p.status, p.reason FROM tlg.tl_request r JOIN tlg.tl_proposal p ON p.request_id = r.id
     WHERE r.project_id = 4$$,
  $$VALUES ('withdrawn', NULL::text, NULL::text, 'declined', NULL::text)$$,
  'the old request stays withdrawn and its proposal declined, without their texts');
SELECT results_eq($$SELECT count(*)::int, count(reason)::int FROM tlg.tl_history$$, $$VALUES (15, 1)$$,
                  'the history keeps its 15 transitions; the recent reason is left (Dupontel''s)');

-- the analysts' views and the readers leave the reasons out
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('tlg') \gset
SELECT is((SELECT count(*)::int FROM pg_attribute a
            WHERE a.attrelid IN ('tlg_pseudo.tl_request'::regclass, 'tlg_pseudo.tl_proposal'::regclass, 'tlg_pseudo.tl_history'::regclass)
              AND a.attname IN ('note', 'reason') AND NOT a.attisdropped), 0,
          'the pseudonymised views of the requests, proposals and history have no note nor reason');
SELECT ok(NOT has_column_privilege('tlg_reader', 'tlg.tl_history', 'reason', 'SELECT')
          AND NOT has_column_privilege('tlg_reader', 'tlg.tl_proposal', 'reason', 'SELECT')
          AND NOT has_column_privilege('tlg_reader', 'tlg.tl_request', 'reason', 'SELECT')
          AND has_column_privilege('tlg_reader', 'tlg.tl_history', 'to_status', 'SELECT'),
          'a reader reads the history''s transitions, not their reasons');

SELECT * FROM finish();
ROLLBACK;
