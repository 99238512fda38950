-- pgTAP: a pseudonym costs two HMACs, not three (2026-12-07, h2; docs/performance.md, "The
-- digits once").  A pseudonym is 'pseudo:', the 48 digits of HMAC-SHA-256(value, key) and the
-- 16 of their seal, HMAC-SHA-256(a zero byte and the 48 digits, key)
-- (docs/governance.md#pseudonym).  The expression the analysts' views, the erasures and
-- pseudonym() evaluated wrote the digits' HMAC twice: three HMACs a pseudonym.  Now a scalar
-- subquery computes them once.  Counted here with track_functions = 'all', which counts every
-- call of pgcrypto's hmac(bytea, bytea, text) in pg_stat_xact_user_functions.
-- 1. The analysts' view of maturity_answer (3 answers of two respondents, 2 of 'self', which
--    the subject filter keeps out): reading its respondents costs 6 HMACs (9 before), 2 per
--    pseudonym shown and none for 'self'; a query that does not read the column costs none,
--    as before; each pseudonym is the one computed here from the documented formula.
-- 2. pseudonym() costs 2 (3 before).
-- 3. purge_expired on premises past their 3 years, one owner in clear and one pseudonym that
--    verifies: 3 HMACs (4 before): 2 for the new pseudonym, 1 for the seal that spares the
--    other; both hold the formula's pseudonym afterwards.
-- 4. What the views were stays: none is updatable or insertable into, and an analyst's
--    condition on an indexed column reaches the base table's index.
-- Roles: spd_an, analyst; spd_p, platform administrator.
BEGIN;
SELECT plan(13);
SET LOCAL client_min_messages = warning;
SET LOCAL track_functions = 'all';

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('spd') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('spd') \gset
CREATE ROLE spd_an IN ROLE smartregion_analyst;
CREATE ROLE spd_p IN ROLE smartregion_platform_admin;
SELECT smartregion.pseudonym('anyone', 'spd') IS NOT NULL AS key_drawn \gset
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('spd', 'spd_pv') \gset

-- the reference: the documented formula, with pgcrypto, under the hub's key
CREATE FUNCTION pg_temp.ref(v text) RETURNS text LANGUAGE sql AS $$
  SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM (SELECT left(encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex'), 48) AS d, key
            FROM smartregion.pseudonym_key WHERE hub_schema = 'spd') k
$$;
-- pgcrypto's hmac(bytea, bytea, text) calls so far in this transaction (pg_stat_xact_user_functions
-- counts them when track_functions is 'all')
CREATE FUNCTION pg_temp.hmacs() RETURNS bigint LANGUAGE sql VOLATILE AS $$
  SELECT coalesce(sum(f.calls), 0)::bigint FROM pg_stat_xact_user_functions f
   WHERE f.funcid = (SELECT p.oid FROM pg_proc p WHERE p.proname = 'hmac' AND p.pronamespace = smartregion._pgcrypto_schema()::regnamespace
                        AND p.proargtypes = '17 17 25'::oidvector)
$$;
-- the HMACs a query costs, run as a role
CREATE FUNCTION pg_temp.hmacs_of(r name, q text, keep boolean DEFAULT false) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE before bigint := pg_temp.hmacs(); res text;
BEGIN
  res := pg_temp.as_role(r, q, keep);
  RETURN (pg_temp.hmacs() - before) || ' ' || res;
END $$;
-- an EXPLAIN as text, run as a role
CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql VOLATILE AS $$
DECLARE l text; res text := '';
BEGIN
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP res := res || l || E'\n'; END LOOP;
  RETURN res;
END $$;

-- 1. the analysts' view
INSERT INTO spd.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source) VALUES
  ('ind_a', 'commune', '69381', 2026, 'ana@example.org', 3, 'test'),
  ('ind_b', 'commune', '69381', 2026, 'ana@example.org', 4, 'test'),
  ('ind_a', 'commune', '91479', 2026, 'bob@example.org', 2, 'test'),
  ('ind_a', 'commune', '69382', 2026, 'self', 5, 'test'),
  ('ind_b', 'commune', '69382', 2026, 'self', 1, 'test');
SELECT is(pg_temp.as_role('spd_an', $$SELECT string_agg(respondent, ' ' ORDER BY territory_code, indicator) FROM spd_pv.maturity_answer$$),
          concat_ws(' ', pg_temp.ref('ana@example.org'), pg_temp.ref('ana@example.org'), 'self', 'self', pg_temp.ref('bob@example.org')),
          'the analyst reads the pseudonyms of the documented formula, and ''self'' as it is');
SELECT is(split_part(pg_temp.hmacs_of('spd_an', $$SELECT string_agg(respondent, ' ') FROM spd_pv.maturity_answer$$), ' ', 1), '6',
          'reading the 5 respondents costs 6 HMACs: 2 per pseudonym, none for ''self'' (9 before: the digits'' HMAC written twice)');
SELECT is(pg_temp.hmacs_of('spd_an', $$SELECT count(*) FROM spd_pv.maturity_answer$$), '0 5',
          'counting the rows costs none (the column is not read)');
SELECT is(pg_temp.hmacs_of('spd_an', $$SELECT string_agg(respondent, ' ') FROM spd_pv.maturity_answer WHERE territory_code = '69382'$$), '0 self self',
          'nor reading the respondents of rows outside the subject filter');

-- 2. pseudonym()
SELECT is(pg_temp.hmacs_of(current_user, $$SELECT smartregion.pseudonym('ana@example.org', 'spd')$$),
          '2 ' || pg_temp.ref('ana@example.org'), 'pseudonym() costs 2 HMACs (3 before), and gives the formula''s pseudonym');
SELECT is(smartregion.pseudonym(NULL, 'spd'), NULL, 'the pseudonym of NULL is still NULL');

-- 3. purge_expired: premises past their 3 years, 1 owner in clear, 1 pseudonymised already
INSERT INTO spd.premises (id, name, owner, location, territory_code, territory_type) VALUES
  (1, 'Halle', 'pat@example.org', ST_SetSRID(ST_MakePoint(2.30, 48.62), 4326), '91479', 'commune'),
  (2, 'Atelier', pg_temp.ref('kim@example.org'), ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), '69381', 'commune');
UPDATE spd.premises SET recorded_at = now() - interval '4 years';
-- (the maturity answers, recorded now, are not expired: their pass finds no row)
SELECT is(pg_temp.hmacs_of('spd_p', $$SELECT string_agg(format('%s %s %s', table_name, action, rows), ', ')
                                      FROM smartregion.purge_expired('spd') WHERE rows > 0$$, true),
          '3 premises pseudonymised 1',
          'purge_expired pseudonymises pat''s premises (2 HMACs, 3 before) and leaves kim''s pseudonym after checking its seal (1)');
SELECT is((SELECT string_agg(format('%s %s', id, owner = pg_temp.ref(v)), ', ' ORDER BY id)
             FROM spd.premises JOIN (VALUES (1, 'pat@example.org'), (2, 'kim@example.org')) x(i, v) ON x.i = id),
          '1 t, 2 t', 'both premises hold the pseudonym of the formula');

-- 4. what the views were
SELECT is((SELECT count(*) FROM information_schema.views WHERE table_schema = 'spd_pv'
             AND (is_updatable = 'YES' OR is_insertable_into = 'YES' OR is_trigger_updatable = 'YES')), 0::bigint,
          'no analysts'' view is updatable or insertable into (a join with the key, as before)');
SELECT is((SELECT count(*) FROM pg_class c WHERE c.relnamespace = 'spd_pv'::regnamespace AND c.relkind = 'v'
             AND pg_relation_is_updatable(c.oid, true) <> 0), 0::bigint,
          'pg_relation_is_updatable says so for each');
SET LOCAL enable_seqscan = off;
SELECT matches(pg_temp.as_role('spd_an', $$SELECT pg_temp.plan_of('SELECT respondent FROM spd_pv.maturity_answer WHERE indicator = ''ind_b''')$$),
               '(Index (Only )?Scan using maturity_answer_pkey on maturity_answer t|Bitmap Index Scan on maturity_answer_pkey)\s+Index Cond: \(indicator = ''ind_b''::text\)',
               'an analyst''s condition on an indexed column reaches the base table''s index');
SELECT is(pg_temp.hmacs_of('spd_an', $$SELECT string_agg(respondent, ' ') FROM spd_pv.maturity_answer WHERE indicator = 'ind_b'$$),
          '2 ' || pg_temp.ref('ana@example.org') || ' self', 'and the two rows it finds cost 2 HMACs, for ana''s pseudonym');
RESET enable_seqscan;
SELECT is(pg_temp.as_role('spd_an', $$SELECT count(respondent) FROM spd.maturity_answer$$), '42501',
          'the analyst still reads the respondents through the view only');

SELECT * FROM finish();
ROLLBACK;
