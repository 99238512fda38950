-- pgTAP: the actor of the tiers-lieux history (an agent's login: an employee's identity) is
-- registered personal data (review of 2026-12-06; docs/governance.md, docs/matching.md).
-- Before, a reader read it on every public row (SELECT actor FROM hub.tl_history gave
-- 'act_agent'), the analysts' view showed it as is, subject_export of the agent's login found
-- nothing, and it was not in the register.  Roles: act_agent (69381), who makes a public
-- request and withdraws it (two transitions, by hand: open, withdrawn); a reader; an
-- analyst; the platform administrator, who answers the agent's access and erasure requests.
BEGIN;
SELECT plan(22);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('act') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('act') \gset
CREATE ROLE act_agent IN ROLE smartregion_agent;
CREATE ROLE act_reader IN ROLE smartregion_reader;
CREATE ROLE act_analyst IN ROLE smartregion_analyst;
CREATE ROLE act_padmin IN ROLE smartregion_platform_admin;
INSERT INTO act.agents VALUES ('act_agent', '69381');
INSERT INTO act.projects (id, name, territory_code, visibility) VALUES (1, 'public project', '69381', 'public');
SELECT is(pg_temp.as_role('act_agent', $$WITH r AS (INSERT INTO act.tl_request (project_id) VALUES (1) RETURNING id)
                                         SELECT count(*) FROM r$$, true), '1', 'the agent makes a public request');
SELECT is(pg_temp.as_role('act_agent', $$UPDATE act.tl_request SET status = 'withdrawn' RETURNING status$$, true),
          'withdrawn', 'and withdraws it');
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('act', 'act_pseudo') \gset

SELECT is((SELECT kind || ' ' || erasure FROM smartregion.personal_data WHERE table_name = 'tl_history' AND column_name = 'actor'),
          'subject_id pseudonymise', 'tl_history.actor is in the register, as an identifier pseudonymised on erasure');
SELECT is(pg_temp.as_role('act_agent', $$SELECT string_agg(actor, ',' ORDER BY id) FROM act.tl_history$$),
          'act_agent,act_agent', 'the agent reads the actor of its territory''s rows');
SELECT is(pg_temp.as_role('act_reader', $$SELECT actor FROM act.tl_history LIMIT 1$$),
          '42501', 'the reader does not get the column (act_agent before)');
SELECT is(pg_temp.as_role('act_reader', $$SELECT count(*) FROM act.tl_history$$),
          '2', 'the reader still reads the two public transitions');
SELECT is(pg_temp.as_role('act_reader', $$SELECT count(*) || ' ' || count(actor) FROM smartregion.tl_event_history('{"hub": "act"}')$$),
          '2 0', 'tl_event_history gives the reader both transitions, without their actor');
SELECT is(pg_temp.as_role('act_analyst', $$SELECT string_agg(DISTINCT (actor ~ '^pseudo:[0-9a-f]{64}$')::text, ',') FROM act_pseudo.tl_history$$),
          'true', 'the analyst''s view gives a pseudonym (the login as is before)');
SELECT is(pg_temp.as_role('act_analyst', $$SELECT string_agg(DISTINCT actor, ',') FROM act_pseudo.tl_history$$),
          (SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
               FROM (SELECT left(encode(hmac(convert_to('act_agent', 'UTF8'), k.key, 'sha256'), 'hex'), 48) AS d, k.key AS key FROM smartregion.pseudonym_key k WHERE k.hub_schema = 'act') x),
          'that pseudonym is the login''s HMAC-SHA-256 under the hub''s key (48 digits) and their seal (16), computed here with pgcrypto');
-- the agent's own requests, answered by the platform administrator
SELECT is(pg_temp.as_role('act_padmin', $$SELECT string_agg(r ->> 'column', ',') FROM jsonb_array_elements(smartregion.subject_export('act_agent', 'act') -> 'records') x(r)
                                          WHERE r ->> 'table' = 'act.tl_history'$$),
          'actor', 'subject_export finds the agent''s transitions by its login (nothing before)');
SELECT is(pg_temp.as_role('act_padmin', $$SELECT jsonb_array_length(r -> 'rows') FROM jsonb_array_elements(smartregion.subject_export('act_agent', 'act') -> 'records') x(r)
                                          WHERE r ->> 'table' = 'act.tl_history'$$),
          '2', 'both of them');
SELECT is(pg_temp.as_role('act_padmin', $$SELECT e ->> 'action' FROM jsonb_array_elements(smartregion.subject_erase('act_agent', 'act') -> 'erased') x(e)
                                          WHERE e ->> 'table' = 'act.tl_history'$$, true),
          'pseudonymised', 'subject_erase pseudonymises the actor, the append-only history notwithstanding');
SELECT is((SELECT count(*) || ' ' || count(*) FILTER (WHERE actor ~ '^pseudo:') FROM act.tl_history),
          '2 2', 'the two transitions are kept, their actor a pseudonym');

-- The pseudonym is whole: 'pseudo:' and 64 hex digits, 71 bytes.  actor was of type name (63
-- bytes): the pseudonym subject_erase wrote there was cut to 56 digits, unlike the analysts'
-- view's.  The logins themselves fit (a role name is at most 63 bytes): one of 63 is kept
-- whole, and its pseudonym too.
SELECT col_type_is('act', 'tl_history', 'actor', 'text', 'tl_history.actor is text (was name, 63 bytes)');
SELECT is((SELECT string_agg(DISTINCT actor, ',') FROM act.tl_history),
          (SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
               FROM (SELECT left(encode(hmac(convert_to('act_agent', 'UTF8'), k.key, 'sha256'), 'hex'), 48) AS d, k.key AS key FROM smartregion.pseudonym_key k WHERE k.hub_schema = 'act') x),
          'the erased actor is the whole pseudonym, the analysts'' view''s (71 characters; 63 before)');
SELECT 'act_agent_' || repeat('l', 53) AS longrole \gset
CREATE ROLE :"longrole" IN ROLE smartregion_agent;
INSERT INTO act.agents VALUES (:'longrole', '69381');
INSERT INTO act.projects (id, name, territory_code, visibility) VALUES (2, 'second project', '69381', 'public');
SELECT is(pg_temp.as_role(:'longrole', $$WITH r AS (INSERT INTO act.tl_request (project_id) VALUES (2) RETURNING id)
                                         SELECT count(*) FROM r$$, true), '1', 'an agent whose login is 63 bytes makes a request');
SELECT is((SELECT octet_length(actor) || ' ' || (actor = :'longrole') FROM act.tl_history h JOIN act.tl_request r ON r.id = h.request_id
            WHERE r.project_id = 2),
          '63 true', 'its 63-byte login is the actor, whole');
SELECT is(pg_temp.as_role('act_padmin', format($$SELECT e ->> 'action' FROM jsonb_array_elements(smartregion.subject_erase(%L, 'act') -> 'erased') x(e)
                                                WHERE e ->> 'table' = 'act.tl_history'$$, :'longrole'), true),
          'pseudonymised', 'subject_erase pseudonymises it');
SELECT is((SELECT actor::text FROM act.tl_history h JOIN act.tl_request r ON r.id = h.request_id WHERE r.project_id = 2),
          (SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
               FROM (SELECT left(encode(hmac(convert_to(:'longrole', 'UTF8'), k.key, 'sha256'), 'hex'), 48) AS d, k.key AS key FROM smartregion.pseudonym_key k WHERE k.hub_schema = 'act') x),
          'its actor is the whole pseudonym of the 63-byte login, 71 characters (its first 63 before)');

-- a hub made before, whose actor is a name: create_hub makes it text; with a view on the
-- column (which ALTER ... TYPE cannot rewrite) it warns and goes on
DROP SCHEMA act_pseudo CASCADE;
SET CONSTRAINTS ALL IMMEDIATE;
ALTER TABLE act.tl_history ALTER COLUMN actor TYPE name;
SELECT count(*) > 0 AS again FROM smartregion.create_hub('act') \gset
SELECT col_type_is('act', 'tl_history', 'actor', 'text', 'create_hub turns the actor of a hub made before into text');
ALTER TABLE act.tl_history ALTER COLUMN actor TYPE name;
CREATE VIEW pg_temp.act_actors AS SELECT actor FROM act.tl_history;
SELECT lives_ok($$SELECT smartregion.create_hub('act')$$, 'with a view on the column, create_hub goes on (a warning)');
SELECT col_type_is('act', 'tl_history', 'actor', 'name', 'and leaves it a name');

SELECT * FROM finish();
ROLLBACK;
