-- pgTAP: pseudonyms that verify, and the access request after an erasure (2026-12-07, h6;
-- docs/governance.md, "Pseudonyms that verify" and "Access after an erasure").
-- 1. A pseudonym is 'pseudo:', the first 48 hex digits of HMAC-SHA-256(identifier, key) and a
--    seal, the first 16 hex digits of HMAC-SHA-256(a zero byte and those 48 digits, key):
--    computed here with pgcrypto from the documented formula.  Before,
--    'pseudo:' and the 64 digits of the HMAC, which nothing could tell from a writer's value.
-- 2. A look-alike an agent stores ('pseudo:' and anything, 64 hex digits or not) is taken for
--    the identifier it is: the retention pass pseudonymises it, subject_erase erases it (the
--    campaign's append-only respondent included); a pseudonym that verifies is left as it is.
--    Before, any value beginning with 'pseudo:' was skipped and kept for good.
-- 3. The upgrade: a pseudonym an earlier build wrote (no seal) is sealed by
--    seal_legacy_pseudonyms with the legacy seal (the byte 1 for the zero byte: 2026-12-08,
--    h11; before, into the pseudonym this build gives its identifier), and then kept; the
--    access request of its person finds it.
-- 4. The access request of a person whose rows were pseudonymised lists them, counted, under
--    "pseudonymised" (before: not mentioned), and says that rows pseudonymised under a
--    destroyed key can no longer be linked.
-- 5. Two officers of different territories (91479, 69381) see no pseudonymised row of the
--    other's territory through subject_export, and erase no look-alike of the other's through
--    subject_erase; an agent runs none of these functions.
-- Roles: sps_p, platform administrator; sps_a, agent of 91479; sps_o1 and sps_o2, agents of
-- 91479 and 69381 allowed to answer requests (as subject_requests.sql's srq_o).
BEGIN;
SELECT plan(34);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('sps') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('sps') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE sps_p IN ROLE smartregion_platform_admin;
CREATE ROLE sps_a IN ROLE smartregion_agent;
CREATE ROLE sps_o1 IN ROLE smartregion_agent;
CREATE ROLE sps_o2 IN ROLE smartregion_agent;
GRANT SELECT ON smartregion.personal_data, smartregion.catalog, smartregion.dataset, smartregion.provenance,
                smartregion.pseudonym_key TO sps_o1, sps_o2;
GRANT INSERT ON smartregion.subject_request_log TO sps_o1, sps_o2;
GRANT EXECUTE ON FUNCTION smartregion.subject_export(text, name, text, text), smartregion.subject_erase(text, name, text, text),
                          smartregion.pseudonym(text, name) TO sps_o1, sps_o2;
INSERT INTO sps.agents (role_name, territory_code, territory_type) VALUES
  ('sps_a', '91479', 'commune'), ('sps_o1', '91479', 'commune'), ('sps_o2', '69381', 'commune');

-- the reference: the documented formula, with pgcrypto, under the hub's key
SELECT smartregion.pseudonym('anyone', 'sps') IS NOT NULL AS key_drawn \gset
CREATE FUNCTION pg_temp.ref(v text) RETURNS text LANGUAGE sql AS $$
  SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM (SELECT left(encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex'), 48) AS d, key
            FROM smartregion.pseudonym_key WHERE hub_schema = 'sps') k
$$;
-- an earlier build's pseudonym: 'pseudo:' and the whole HMAC
CREATE FUNCTION pg_temp.legacy(v text) RETURNS text LANGUAGE sql AS $$
  SELECT 'pseudo:' || encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex') FROM smartregion.pseudonym_key WHERE hub_schema = 'sps'
$$;

-- the legacy seal, which seal_legacy_pseudonyms gives an earlier build's pseudonym: the byte 1
CREATE FUNCTION pg_temp.legacy_sealed(v text) RETURNS text LANGUAGE sql AS $$
  SELECT left(v, 55) || left(encode(hmac('\x01'::bytea || convert_to(substr(v, 8, 48), 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM smartregion.pseudonym_key WHERE hub_schema = 'sps'
$$;

-- 1. the formula
SELECT is(smartregion.pseudonym('pat@example.org', 'sps'), pg_temp.ref('pat@example.org'),
          'pseudonym: 48 digits of the HMAC and 16 of their seal, as computed with pgcrypto (before: the 64 digits of the HMAC)');
SELECT is(length(smartregion.pseudonym('pat@example.org', 'sps')), 71, 'still 71 characters, the form of before');
SELECT is(left(smartregion.pseudonym('pat@example.org', 'sps'), 55), left(pg_temp.legacy('pat@example.org'), 55),
          'its first 48 digits are those of the earlier pseudonym');

-- premises (owner: subject_id, 3 years, pseudonymise).  1: pat's, 91479; 2: kim's, 69381;
-- 3: lee's, 91479, pseudonymised by an earlier build (its pseudonym without a seal); all
-- restricted to their territory (a public premise is read by every agent)
INSERT INTO sps.premises (id, name, owner, location, territory_code, territory_type, visibility) VALUES
  (1, 'Halle', 'pat@example.org', ST_SetSRID(ST_MakePoint(2.30, 48.62), 4326), '91479', 'commune', 'restricted'),
  (2, 'Atelier', 'kim@example.org', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), '69381', 'commune', 'restricted'),
  (3, 'Grange', pg_temp.legacy('lee@example.org'), ST_SetSRID(ST_MakePoint(2.31, 48.62), 4326), '91479', 'commune', 'restricted');

-- 3. the upgrade: an agent may not run it; the platform administrator seals lee's pseudonym
SELECT is(pg_temp.as_role('sps_a', $$SELECT count(*)::text FROM smartregion.seal_legacy_pseudonyms('sps')$$),
          '42501', 'an agent may not run seal_legacy_pseudonyms');
SELECT is(pg_temp.as_role('sps_p', $$SELECT string_agg(format('%s.%s %s', table_name, column_name, rows), ', ' ORDER BY table_name, column_name)
                                      FROM smartregion.seal_legacy_pseudonyms('sps') WHERE rows > 0$$, true),
          'premises.owner 1', 'seal_legacy_pseudonyms seals the one pseudonym of an earlier build (lee''s), nothing else');
SELECT is((SELECT owner FROM sps.premises WHERE id = 3), pg_temp.legacy_sealed(pg_temp.legacy('lee@example.org')),
          'lee''s premises now hold lee''s earlier pseudonym with the legacy seal (before: the pseudonym this build gives lee)');
SELECT is(pg_temp.as_role('sps_p', $$SELECT sum(rows)::text FROM smartregion.seal_legacy_pseudonyms('sps')$$, true),
          '0', 'a second run seals nothing');

-- pat's and kim's erasures (pseudonymised as registered)
SELECT is(pg_temp.as_role('sps_p', $$SELECT smartregion.subject_erase('pat@example.org', 'sps') -> 'erased' -> 0 ->> 'action'$$, true),
          'pseudonymised', 'pat''s premises pseudonymised at pat''s request');
SELECT is(pg_temp.as_role('sps_p', $$SELECT smartregion.subject_erase('kim@example.org', 'sps') -> 'erased' -> 0 ->> 'action'$$, true),
          'pseudonymised', 'kim''s premises pseudonymised at kim''s request');
SELECT is((SELECT string_agg(format('%s %s', id, owner = pg_temp.ref(v)), ', ' ORDER BY id)
             FROM sps.premises JOIN (VALUES (1, 'pat@example.org'), (2, 'kim@example.org')) x(i, v) ON x.i = id),
          '1 t, 2 t', 'each holds the verifying pseudonym of its owner');

-- 2. look-alikes an agent of 91479 stores: 4, 'pseudo:' and a name; 5, 'pseudo:' and 64 hex
-- digits; 6, a look-alike of that form with its last 16 digits changed (a forged seal)
SELECT is(pg_temp.as_role('sps_a', format($$WITH w AS (INSERT INTO sps.premises (id, name, owner, location, territory_code, territory_type) VALUES
  (4, 'Hangar', 'pseudo:jean.dupont@example.org', ST_SetSRID(ST_MakePoint(2.32, 48.62), 4326), '91479', 'commune'),
  (5, 'Remise', %L, ST_SetSRID(ST_MakePoint(2.33, 48.62), 4326), '91479', 'commune'),
  (6, 'Cellier', %L, ST_SetSRID(ST_MakePoint(2.34, 48.62), 4326), '91479', 'commune') RETURNING 1) SELECT count(*)::text FROM w$$,
  'pseudo:' || repeat('ab', 32), left(pg_temp.ref('max@example.org'), 55) || repeat('0', 16)), true),
          '3', 'the agent stores three look-alikes of pseudonyms');
-- the rows' retention (3 years) is over: all dated 4 years back (sr_recorded_at allows it by hand)
UPDATE sps.premises SET recorded_at = now() - interval '4 years';
SELECT is(pg_temp.as_role('sps_p', $$SELECT string_agg(format('%s %s', action, rows), ', ') FROM smartregion.purge_expired('sps')
                                      WHERE table_name = 'premises' AND reason LIKE 'retention%'$$, true),
          'pseudonymised 3', 'purge_expired pseudonymises the three look-alikes and nothing else (before: 0, each taken for a pseudonym)');
SELECT is((SELECT string_agg(format('%s %s', id, owner = pg_temp.ref(v)), ', ' ORDER BY id)
             FROM sps.premises JOIN (VALUES (4, 'pseudo:jean.dupont@example.org'), (5, 'pseudo:' || repeat('ab', 32)),
                                            (6, left(pg_temp.ref('max@example.org'), 55) || repeat('0', 16))) x(i, v) ON x.i = id),
          '4 t, 5 t, 6 t', 'each look-alike now holds the pseudonym of the value stored');
SELECT is((SELECT string_agg(format('%s %s', id, owner = pg_temp.ref(v)), ', ' ORDER BY id)
             FROM sps.premises JOIN (VALUES (1, 'pat@example.org'), (2, 'kim@example.org')) x(i, v) ON x.i = id)
          || ', 3 ' || (SELECT (owner = pg_temp.legacy_sealed(pg_temp.legacy('lee@example.org')))::text FROM sps.premises WHERE id = 3),
          '1 t, 2 t, 3 true', 'the genuine pseudonyms (pat''s, kim''s, lee''s legacy-sealed) are kept as they were');
SELECT is(pg_temp.as_role('sps_p', $$SELECT sum(rows)::text FROM smartregion.purge_expired('sps') WHERE table_name = 'premises'$$, true),
          '0', 'a second run leaves them all');

-- the campaign's respondents (role: subject_id, pseudonymise; an append-only row but for the
-- erasure): one invited as 'pseudo:maire', a look-alike, erased at that person's request
INSERT INTO sps.campaign (framework, year, title, opens_on, closes_on, territory_type, territory_code)
VALUES ('default', 2027, 'Autodiagnostic', current_date, current_date + 30, 'commune', '91479');
INSERT INTO sps.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash)
SELECT c.id, 'commune', '91479', 'pseudo:maire', sha256('t') FROM sps.campaign c;
SELECT is(pg_temp.as_role('sps_p', $$SELECT smartregion.subject_erase('pseudo:maire', 'sps') ->> 'status'$$, true),
          'erased', 'subject_erase of a look-alike identifier erases it (before: no_data)');
SELECT is((SELECT role FROM sps.campaign_respondent), pg_temp.ref('pseudo:maire'),
          'the respondent now holds its pseudonym (the append-only trigger lets a verifying pseudonym replace a look-alike)');
SELECT is(smartregion._pseudonym_verifies('pseudo:' || repeat('ab', 32), 'sps') || ' ' || smartregion._pseudonym_verifies(pg_temp.ref('x'), 'sps'),
          'false true', '_pseudonym_verifies: a look-alike of the form does not, a pseudonym does');
SELECT is(pg_temp.as_role('sps_a', format('SELECT smartregion._pseudonym_verifies(%L, %L)::text', pg_temp.ref('x'), 'sps')),
          'false', 'for a role that cannot read the key nothing verifies (no error, no oracle)');

-- 4. access after the erasure: pat's premises, pseudonymised, are listed and counted
SELECT is(pg_temp.as_role('sps_p', $$SELECT (smartregion.subject_export('pat@example.org', 'sps') -> 'records')::text$$),
          '[]', 'pat''s access request finds no row under pat''s identifier');
SELECT is(pg_temp.as_role('sps_p', $$SELECT string_agg(format('%s %s %s', e ->> 'table', e ->> 'column', e ->> 'count'), ', ')
                                      FROM jsonb_array_elements(smartregion.subject_export('pat@example.org', 'sps') -> 'pseudonymised') e$$),
          'sps.premises owner 1', '... and lists pat''s pseudonymised premises, counted (before: not mentioned)');
SELECT is(pg_temp.as_role('sps_p', $$SELECT (smartregion.subject_export('pat@example.org', 'sps') -> 'pseudonymised' -> 0 -> 'rows' -> 0 ->> 'id')
                                          || ' ' || (smartregion.subject_export('pat@example.org', 'sps') ->> 'pseudonymised_note' LIKE '%can no longer be linked%')$$),
          '1 true', 'the row itself, and the note that rows of a destroyed key can no longer be linked');
SELECT is(pg_temp.as_role('sps_p', $$SELECT smartregion.subject_export('pat@example.org', 'sps') -> 'pseudonymised' -> 0 ->> 'count'$$, true),
          '1', 'pat''s access request, recorded');
SELECT is(pg_temp.as_role('sps_p', $$SELECT string_agg(format('%s %s %s', action, rows, reason LIKE '%pseudonymised%'), ', ' ORDER BY id)
                                      FROM smartregion.subject_request_log WHERE request = 'access' AND table_name = 'premises'
                                       AND subject_pseudonym = smartregion.pseudonym('pat@example.org', 'sps')$$),
          'exported 1 t', 'the record says one pseudonymised row of premises was given');

SELECT is(pg_temp.as_role('sps_p', $$SELECT string_agg(format('%s %s %s', e ->> 'table', e ->> 'count', e -> 'rows' -> 0 ->> 'id'), ', ')
                                      FROM jsonb_array_elements(smartregion.subject_export('lee@example.org', 'sps') -> 'pseudonymised') e$$),
          'sps.premises 1 3', 'lee''s access request finds lee''s legacy-sealed premise (its 48 digits are those of lee''s pseudonym)');

-- 5. territories: pat's premises are of 91479, kim's of 69381
SELECT is(pg_temp.as_role('sps_o1', $$SELECT jsonb_array_length(smartregion.subject_export('pat@example.org', 'sps') -> 'pseudonymised')::text$$),
          '1', '91479''s officer finds pat''s pseudonymised premises');
SELECT is(pg_temp.as_role('sps_o2', $$SELECT (smartregion.subject_export('pat@example.org', 'sps') -> 'pseudonymised')::text$$),
          '[]', '69381''s officer finds none of them (row-level security holds)');
SELECT is(pg_temp.as_role('sps_o2', $$SELECT jsonb_array_length(smartregion.subject_export('kim@example.org', 'sps') -> 'pseudonymised')::text$$),
          '1', '69381''s officer finds kim''s');
SELECT is(pg_temp.as_role('sps_o1', $$SELECT (smartregion.subject_export('kim@example.org', 'sps') -> 'pseudonymised')::text$$),
          '[]', '91479''s officer finds none of kim''s');
SELECT is(pg_temp.as_role('sps_a', $$SELECT smartregion.subject_export('pat@example.org', 'sps')::text$$),
          '42501', 'an agent is not granted the access requests');
-- a look-alike of 91479 ('pseudo:zoe', restricted), erased at zoe's request: 69381's officer
-- neither finds nor erases it, 91479's does
INSERT INTO sps.premises (id, name, owner, location, territory_code, territory_type, visibility)
VALUES (7, 'Loge', 'pseudo:zoe', ST_SetSRID(ST_MakePoint(2.35, 48.62), 4326), '91479', 'commune', 'restricted');
SELECT is(pg_temp.as_role('sps_o2', $$SELECT smartregion.subject_erase('pseudo:zoe', 'sps') ->> 'status'$$, true),
          'no_data', '69381''s officer erases nothing of 91479''s look-alike');
SELECT is((SELECT owner FROM sps.premises WHERE id = 7), 'pseudo:zoe', 'the row is as it was');
SELECT is(pg_temp.as_role('sps_o1', $$SELECT smartregion.subject_erase('pseudo:zoe', 'sps') -> 'erased' -> 0 ->> 'action'$$, true),
          'pseudonymised', '91479''s officer pseudonymises it (before: no_data, taken for a pseudonym)');
SELECT is((SELECT owner FROM sps.premises WHERE id = 7), pg_temp.ref('pseudo:zoe'), 'it holds the pseudonym of the value stored');

SELECT * FROM finish();
ROLLBACK;
