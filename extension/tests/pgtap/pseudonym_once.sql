-- pgTAP: a pseudonym is not pseudonymised again, and the legacy seal is computed once
-- (2026-12-08, h7; docs/governance.md, "Pseudonyms that verify" and "seal_legacy_pseudonyms").
-- A pseudonym is 'pseudo:', d = the first 48 hex digits of HMAC-SHA-256(identifier, key), and
-- the first 16 of HMAC-SHA-256(a zero byte || d, key), its seal: computed here with pgcrypto
-- from that formula (pg_temp.ref), under the hub's key.
-- 1. An erasure writes the person's pseudonym into the table; the analysts' view over the
--    column showed the pseudonym of that pseudonym, ref(ref(pat)), beside ref(pat) on pat's
--    rows not erased: one person, two pseudonyms, and a count by person off by one.  Now a value
--    that verifies is shown as it is.  A look-alike a writer stores (the form with 64 hex digits
--    of its own, a forged seal, an earlier build's unsealed pseudonym) does not verify, and is
--    pseudonymised like any other value.  pseudonym() of a pseudonym that verifies is itself.
-- 2. What it costs, counted as pseudonym_digits_once.sql counts it (pgcrypto's hmac calls,
--    track_functions = 'all'): an ordinary value 2 HMACs, as before; a pseudonym that verifies
--    1 (its seal), 2 before; a look-alike of the form 3 (its seal, then its pseudonym's 2).
--    The view's plan still reaches the base table's index.
-- 3. Two agents of different territories (91479, 69381): each reads its own territory's
--    restricted premises only, the erased one included; the analysts' view is the same for all.
-- 4. seal_legacy_pseudonyms computed each seal twice (the WHERE's check, then the SET): now
--    once per distinct value of the form in a column (since 2026-12-08, h11, the seal, then
--    the legacy seal, of the byte 1, where the seal fails; the views do not pass it through).
-- Roles: spo_an, analyst; spo_p, platform administrator; spo_a1, spo_a2, agents of 91479, 69381.
BEGIN;
SELECT plan(27);
SET LOCAL client_min_messages = warning;
SET LOCAL track_functions = 'all';

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('spo') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('spo') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE spo_an IN ROLE smartregion_analyst;
CREATE ROLE spo_p IN ROLE smartregion_platform_admin;
CREATE ROLE spo_a1 IN ROLE smartregion_agent;
CREATE ROLE spo_a2 IN ROLE smartregion_agent;
INSERT INTO spo.agents (role_name, territory_code, territory_type) VALUES ('spo_a1', '91479', 'commune'), ('spo_a2', '69381', 'commune');
SELECT smartregion.pseudonym('anyone', 'spo') IS NOT NULL AS key_drawn \gset
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('spo', 'spo_pv') \gset

-- the reference: the documented formula, with pgcrypto, under the hub's key
CREATE FUNCTION pg_temp.ref(v text) RETURNS text LANGUAGE sql AS $$
  SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM (SELECT left(encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex'), 48) AS d, key
            FROM smartregion.pseudonym_key WHERE hub_schema = 'spo') k
$$;
-- the legacy seal seal_legacy_pseudonyms gives an earlier build's pseudonym: the byte 1
CREATE FUNCTION pg_temp.legacy_sealed(v text) RETURNS text LANGUAGE sql AS $$
  SELECT left(v, 55) || left(encode(hmac('\x01'::bytea || convert_to(substr(v, 8, 48), 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM smartregion.pseudonym_key WHERE hub_schema = 'spo'
$$;
-- an earlier build's pseudonym: 'pseudo:' and the whole HMAC, no seal
CREATE FUNCTION pg_temp.legacy(v text) RETURNS text LANGUAGE sql AS $$
  SELECT 'pseudo:' || encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex') FROM smartregion.pseudonym_key WHERE hub_schema = 'spo'
$$;
-- pgcrypto's hmac(bytea, bytea, text) calls so far in this transaction
CREATE FUNCTION pg_temp.hmacs() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT coalesce(sum(f.calls), 0)::bigint FROM pg_stat_xact_user_functions f
   WHERE f.funcid = (SELECT p.oid FROM pg_proc p WHERE p.proname = 'hmac' AND p.pronamespace = smartregion._pgcrypto_schema()::regnamespace
                        AND p.proargtypes = '17 17 25'::oidvector)
$$;
-- the HMACs a query costs, and its result, run as a role
CREATE FUNCTION pg_temp.hmacs_of(r name, q text, keep boolean DEFAULT false) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE before bigint := pg_temp.hmacs(); res text;
BEGIN
  res := pg_temp.as_role(r, q, keep);
  RETURN (pg_temp.hmacs() - before) || ' ' || res;
END $$;
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE l text; res text := '';
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP res := res || l || E'\n'; END LOOP;
  RETURN res;
END $$;
-- the values, known before anything is written (the key is drawn)
SELECT pg_temp.ref('pat@example.org') AS pat, pg_temp.ref('kim@example.org') AS kim, pg_temp.ref('zoe@example.org') AS zoe,
       'pseudo:' || repeat('ab', 32) AS form, left(pg_temp.ref('max@example.org'), 55) || repeat('0', 16) AS forged,
       pg_temp.legacy('lee@example.org') AS lee_legacy \gset
SELECT is(length(:'pat') || ' ' || length(:'form') || ' ' || length(:'forged') || ' ' || length(:'lee_legacy') || ' ' || (:'pat' <> pg_temp.ref(:'pat')),
          '71 71 71 71 true', 'the look-alikes have the form of a pseudonym (71 characters), and a pseudonym''s pseudonym is another value');

-- 1. pat owns two premises, one in each territory (restricted rows); pat's erasure by
-- territory (91479) pseudonymises the first, the second stays in clear
INSERT INTO spo.premises (id, name, owner, location, territory_code, territory_type, visibility) VALUES
  (1, 'Halle', 'pat@example.org', ST_SetSRID(ST_MakePoint(2.30, 48.62), 4326), '91479', 'commune', 'restricted'),
  (2, 'Atelier', 'pat@example.org', ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), '69381', 'commune', 'restricted'),
  (3, 'Grange', 'zoe@example.org', ST_SetSRID(ST_MakePoint(4.84, 45.77), 4326), '69381', 'commune', 'restricted');
SELECT is(pg_temp.as_role('spo_p', $$SELECT smartregion.subject_erase('pat@example.org', 'spo', '91479', 'commune') -> 'erased' -> 0 ->> 'rows'$$, true),
          '1', 'pat''s erasure in 91479 pseudonymises one premise');
SELECT is((SELECT string_agg(id || ' ' || owner, ', ' ORDER BY id) FROM spo.premises),
          concat_ws(', ', '1 ' || :'pat', '2 pat@example.org', '3 zoe@example.org'),
          'the erased premise holds pat''s pseudonym, the other pat''s identifier');
SELECT is(pg_temp.as_role('spo_an', $$SELECT string_agg(id || ' ' || owner, ', ' ORDER BY id) FROM spo_pv.premises$$),
          concat_ws(', ', '1 ' || :'pat', '2 ' || :'pat', '3 ' || :'zoe'),
          'the analyst reads pat''s pseudonym on both of pat''s premises, the erased one as it is (before: the pseudonym of the pseudonym)');
SELECT is(pg_temp.as_role('spo_an', $$SELECT count(DISTINCT owner) || ' ' || max(n) FROM (SELECT owner, count(*) OVER (PARTITION BY owner) AS n FROM spo_pv.premises) x$$),
          '2 2', 'two owners, one of them with two premises (before: 3 owners of one premise each)');
-- writers' values: 4, pat's pseudonym copied by an agent of 91479 (a value that verifies: it
-- is pat's, whoever wrote it, as an erasure takes it); look-alikes it stores: 5, the form with
-- 64 hex digits; 6, a forged seal; 7, an earlier build's pseudonym of lee, not sealed
SELECT is(pg_temp.as_role('spo_a1', format($$WITH w AS (INSERT INTO spo.premises (id, name, owner, location, territory_code, territory_type, visibility) VALUES
  (4, 'Hangar', %L, ST_SetSRID(ST_MakePoint(2.32, 48.62), 4326), '91479', 'commune', 'restricted'),
  (5, 'Remise', %L, ST_SetSRID(ST_MakePoint(2.33, 48.62), 4326), '91479', 'commune', 'restricted'),
  (6, 'Cellier', %L, ST_SetSRID(ST_MakePoint(2.34, 48.62), 4326), '91479', 'commune', 'restricted'),
  (7, 'Loge', %L, ST_SetSRID(ST_MakePoint(2.35, 48.62), 4326), '91479', 'commune', 'restricted') RETURNING 1) SELECT count(*)::text FROM w$$,
  :'pat', :'form', :'forged', :'lee_legacy'), true),
          '4', 'the agent of 91479 stores a copy of pat''s pseudonym and three look-alikes');
SELECT is(pg_temp.as_role('spo_an', $$SELECT string_agg(id || ' ' || owner, ', ' ORDER BY id) FROM spo_pv.premises WHERE id >= 4$$),
          concat_ws(', ', '4 ' || :'pat', '5 ' || pg_temp.ref(:'form'), '6 ' || pg_temp.ref(:'forged'), '7 ' || pg_temp.ref(:'lee_legacy')),
          'the copy reads as pat''s pseudonym; each look-alike as the pseudonym of the value stored (none passes through)');
SELECT is(pg_temp.as_role('spo_an', $$SELECT count(*)::text FROM spo_pv.premises WHERE owner IN (SELECT owner FROM spo_pv.premises WHERE id >= 5)$$),
          '3', 'no look-alike matches another row''s pseudonym');
SELECT is(smartregion.pseudonym(:'pat', 'spo') || ' ' || smartregion.pseudonym('pat@example.org', 'spo'), :'pat' || ' ' || :'pat',
          'pseudonym() of pat''s pseudonym is itself, as the views show it (before: its pseudonym)');
SELECT is(smartregion.pseudonym(:'forged', 'spo'), pg_temp.ref(:'forged'), 'pseudonym() of a forged seal is the pseudonym of the value');

-- 2. the cost, in HMACs
SELECT is(pg_temp.hmacs_of('spo_an', $$SELECT string_agg(owner, ' ' ORDER BY id) FROM spo_pv.premises WHERE id IN (2, 3)$$),
          '4 ' || :'pat' || ' ' || :'zoe', 'two identifiers in clear: 2 HMACs each, as before');
SELECT is(pg_temp.hmacs_of('spo_an', $$SELECT string_agg(owner, ' ' ORDER BY id) FROM spo_pv.premises WHERE id IN (1, 4)$$),
          '2 ' || :'pat' || ' ' || :'pat', 'two pseudonyms that verify: 1 HMAC each, their seal (before: 2, for another value)');
SELECT is(split_part(pg_temp.hmacs_of('spo_an', $$SELECT string_agg(owner, ' ' ORDER BY id) FROM spo_pv.premises WHERE id IN (5, 6, 7)$$), ' ', 1),
          '9', 'three look-alikes of the form: 3 HMACs each, the seal that fails and their pseudonym');
SELECT is(pg_temp.hmacs_of('spo_an', $$SELECT count(*)::text FROM spo_pv.premises$$), '0 7', 'a count that does not read the column: none');
SELECT is(pg_temp.hmacs_of(current_user, format('SELECT smartregion.pseudonym(%L, %L)', :'pat', 'spo')), '1 ' || :'pat',
          'pseudonym() of a pseudonym that verifies: 1 HMAC');
SELECT is(pg_temp.hmacs_of(current_user, $$SELECT smartregion.pseudonym('pat@example.org', 'spo')$$), '2 ' || :'pat',
          'pseudonym() of an identifier: 2, as before');
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.as_role('spo_an', $$SELECT pg_temp.plan_of('SELECT owner FROM spo_pv.premises WHERE id = 4')$$),
               '(Index (Only )?Scan using premises_pkey on premises t|Bitmap Index Scan on premises_pkey)\s+Index Cond: \(id = 4\)',
               'an analyst''s condition on the key still reaches the base table''s index');
RESET enable_seqscan;
-- the access request of a pseudonym that verifies: its rows once, under records
SELECT is(pg_temp.as_role('spo_p', format($$SELECT jsonb_array_length(e -> 'records' -> 0 -> 'rows') || ' ' || jsonb_array_length(e -> 'records') || ' ' || jsonb_array_length(e -> 'pseudonymised')
                                           FROM smartregion.subject_export(%L, 'spo') e$$, :'pat')),
          '2 1 0', 'subject_export of pat''s pseudonym lists the two rows holding it once (not again as pseudonymised)');
-- the erasures leave a pseudonym that verifies as it is, and pseudonymise the look-alikes
UPDATE spo.premises SET recorded_at = now() - interval '4 years';
SELECT is(pg_temp.hmacs_of('spo_p', $$SELECT string_agg(format('%s %s', action, rows), ', ') FROM smartregion.purge_expired('spo')
                                       WHERE table_name = 'premises' AND reason LIKE 'retention%'$$, true),
          '21 pseudonymised 5',
          'purge_expired pseudonymises the 2 identifiers in clear (2 HMACs each) and the 3 look-alikes (5: their seal and legacy seal, their seal again, their pseudonym; 4 before the legacy seal), not the 2 pseudonyms (1; before the pass-through: 15, a look-alike 3)');
SELECT is(pg_temp.as_role('spo_an', $$SELECT string_agg(id || ' ' || owner, ', ' ORDER BY id) FROM spo_pv.premises$$),
          concat_ws(', ', '1 ' || :'pat', '2 ' || :'pat', '3 ' || :'zoe', '4 ' || :'pat', '5 ' || pg_temp.ref(:'form'),
                    '6 ' || pg_temp.ref(:'forged'), '7 ' || pg_temp.ref(:'lee_legacy')),
          'the analyst reads the same pseudonyms as before the purge');
SELECT is((SELECT count(*) FROM spo.premises p JOIN spo_pv.premises v USING (id) WHERE p.owner IS DISTINCT FROM v.owner), 0::bigint,
          'each view row now holds exactly what the table holds');

-- 3. the two agents: each reads its territory's premises only, erased ones included
SELECT is(pg_temp.as_role('spo_a1', $$SELECT string_agg(id::text, ',' ORDER BY id) FROM spo.premises$$), '1,4,5,6,7',
          'the agent of 91479 reads its five premises, not those of 69381');
SELECT is(pg_temp.as_role('spo_a2', $$SELECT string_agg(id::text, ',' ORDER BY id) FROM spo.premises$$), '2,3',
          'the agent of 69381 reads its two, not those of 91479');

-- 4. seal_legacy_pseudonyms: earlier builds' pseudonyms, lee's in two premises and in an
-- answer, max's in one premise, beside pat's sealed one, an identifier and 'pseudo:' and a name
DELETE FROM spo.premises;
INSERT INTO spo.premises (id, name, owner, location, territory_code, territory_type) VALUES
  (11, 'Halle', pg_temp.legacy('lee@example.org'), ST_SetSRID(ST_MakePoint(2.30, 48.62), 4326), '91479', 'commune'),
  (12, 'Atelier', pg_temp.legacy('lee@example.org'), ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), '69381', 'commune'),
  (13, 'Grange', pg_temp.legacy('max@example.org'), ST_SetSRID(ST_MakePoint(4.84, 45.77), 4326), '69381', 'commune'),
  (14, 'Hangar', :'pat', ST_SetSRID(ST_MakePoint(2.32, 48.62), 4326), '91479', 'commune'),
  (15, 'Remise', 'ann@example.org', ST_SetSRID(ST_MakePoint(2.33, 48.62), 4326), '91479', 'commune'),
  (16, 'Cellier', 'pseudo:ann', ST_SetSRID(ST_MakePoint(2.34, 48.62), 4326), '91479', 'commune');
INSERT INTO spo.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source) VALUES
  ('ind_a', 'commune', '69381', 2026, pg_temp.legacy('lee@example.org'), 3, 'test');
-- the values of the form: premises lee (2 rows), max, pat; the answer lee.  Each distinct
-- value once: pat's seal verifies (1 HMAC), lee's and max's do not, and get their legacy seal
-- (2 each): 5 in premises, 2 in the answer, 7 HMACs (4 before the legacy seal, 2026-12-08,
-- h11: one seal a value; before h7: a check of the 5 rows, then a seal for the 4 unsealed, 9)
SELECT is(pg_temp.hmacs_of('spo_p', $$SELECT string_agg(format('%s.%s %s', table_name, column_name, rows), ', ' ORDER BY table_name, column_name)
                                       FROM smartregion.seal_legacy_pseudonyms('spo') WHERE rows > 0$$, true),
          '7 maturity_answer.respondent 1, premises.owner 3',
          'seal_legacy_pseudonyms seals lee''s and max''s 4 rows for 7 HMACs: per distinct value of the form, the seal, then the legacy seal where it fails');
SELECT is((SELECT string_agg(id || ' ' || (owner = v), ', ' ORDER BY id) FROM spo.premises
             JOIN (VALUES (11, pg_temp.legacy_sealed(:'lee_legacy')), (12, pg_temp.legacy_sealed(:'lee_legacy')),
                          (13, pg_temp.legacy_sealed(pg_temp.legacy('max@example.org'))),
                          (14, :'pat'), (15, 'ann@example.org'), (16, 'pseudo:ann')) x(i, v) ON x.i = id)
          || ', answer ' || (SELECT respondent = pg_temp.legacy_sealed(:'lee_legacy') FROM spo.maturity_answer),
          '11 true, 12 true, 13 true, 14 true, 15 true, 16 true, answer true',
          'lee''s and max''s rows hold their earlier pseudonyms with the legacy seal of the formula, the others are as they were');
SELECT is(pg_temp.as_role('spo_an', $$SELECT string_agg(id || ' ' || owner, ', ' ORDER BY id) FROM spo_pv.premises WHERE id IN (11, 14)$$),
          '11 ' || pg_temp.ref(pg_temp.legacy_sealed(:'lee_legacy')) || ', 14 ' || :'pat',
          'the analyst reads the pseudonym of a legacy-sealed value (not passed through), and pat''s pseudonym as it is');
SELECT is(pg_temp.hmacs_of('spo_p', $$SELECT sum(rows)::text FROM smartregion.seal_legacy_pseudonyms('spo')$$, true),
          '7 0', 'a second run seals nothing: pat''s seal (1 HMAC), the 3 legacy-sealed values'' seal and legacy seal (2 each)');

SELECT * FROM finish();
ROLLBACK;
