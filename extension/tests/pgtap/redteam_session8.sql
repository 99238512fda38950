-- pgTAP: red team of the session's merges of 2026-12-08 (h10; docs/security-reviews.md#r-session8):
-- pseudonyms that verify passed through (_pseudonym_sql), and the rules' indexes compared
-- whole by trust_problems (_hub_rule_index_templates).  Roles of create_roles(): rs8_a1 and
-- rs8_a2, agents of 91479 and 69381; rs8_r, reader; rs8_an, analyst; rs8_p, platform
-- administrator; rs8_h, a role granted smartregion.hub_table alone.
-- Found and fixed (each fails on the build before, a9bd438):
-- 1. the platform administrator, who may write smartregion.hub_table, changed the provider of
--    smartregion's own template (or deleted the row): _hub_objects_stale reads the rows of
--    provider 'smartregion' only, so every problem of that table in every hub left
--    trust_problems, a tampered rule index and a disabled row-level security included.
--    Now only a superuser changes those rows (42501).
-- 2. a role that may read smartregion.hub_table but not smartregion.personal_data got
--    PostgreSQL's bare 42501 from trust_problems: now one naming the table, the role, the grant.
-- 3. (fixed 2026-12-08, h11) seal_legacy_pseudonyms sealed a writer's look-alike of an earlier
--    build's pseudonym ('pseudo:' and 64 hex digits of its choice) with this build's seal, and
--    the analysts' views passed it through as written: 24 bytes of the writer's choice (an
--    identifier's hexadecimal) in clear.  Now it gives the legacy seal (HMAC of the byte 1
--    and the digits), which the views do not pass through (section E: 4 fail on a1fcea0).
-- Held (pass on the build before): the seal key and pseudonym() out of reach of the agents,
-- the reader and the analyst; no verification oracle for them (_pseudonym_verifies); a copied
-- pseudonym stays its person's and an erasure of another person leaves it; another territory's
-- pseudonym cannot be learnt through the pass-through; the rule index compared in the hub's
-- schema only (a correct one of that name in another schema, a template function shadowed in
-- the search_path, a renamed index, an invalid one are all still listed).
BEGIN;
SELECT plan(33);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- (a query's error as SQLSTATE, message, detail and hint, run as a role)
CREATE FUNCTION pg_temp.error_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; m text; d text; h text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'no error';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT, d = PG_EXCEPTION_DETAIL, h = PG_EXCEPTION_HINT;
  END;
  RESET ROLE;
  RETURN concat_ws(' | ', st, m, nullif(d, ''), nullif(h, ''));
END $$;

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rs8') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rs8') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE rs8_a1 IN ROLE smartregion_agent;
CREATE ROLE rs8_a2 IN ROLE smartregion_agent;
CREATE ROLE rs8_r IN ROLE smartregion_reader;
CREATE ROLE rs8_an IN ROLE smartregion_analyst;
CREATE ROLE rs8_p IN ROLE smartregion_platform_admin;
CREATE ROLE rs8_h;
GRANT USAGE ON SCHEMA smartregion TO rs8_h;
GRANT SELECT ON smartregion.hub_table TO rs8_h;
INSERT INTO rs8.agents (role_name, territory_code, territory_type) VALUES ('rs8_a1', '91479', 'commune'), ('rs8_a2', '69381', 'commune');
SELECT smartregion.pseudonym('anyone', 'rs8') IS NOT NULL AS key_drawn \gset
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('rs8', 'rs8_pv') \gset

-- the reference pseudonym, by the documented formula (governance.md), under the hub's key
CREATE FUNCTION pg_temp.ref(v text) RETURNS text LANGUAGE sql AS $$
  SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM (SELECT left(encode(hmac(convert_to(v, 'UTF8'), key, 'sha256'), 'hex'), 48) AS d, key
            FROM smartregion.pseudonym_key WHERE hub_schema = 'rs8') k
$$;
SELECT pg_temp.ref('pat@example.org') AS pat, pg_temp.ref('zoe@example.org') AS zoe \gset

-- A. the platform administrator and smartregion's templates (found: fixed).  Its attempts
-- are kept (on the build before they succeed, and are undone from this copy after)
CREATE TEMP TABLE saved AS SELECT * FROM smartregion.hub_table WHERE table_name = 'premises';
DROP INDEX rs8.premises_territory_idx;
CREATE INDEX premises_territory_idx ON rs8.premises (territory_code) WHERE false;
SELECT is((SELECT count(*) FROM smartregion.trust_problems() WHERE object = 'index rs8.premises_territory_idx'), 1::bigint,
          'a rule index made partial (WHERE false) is listed');
SELECT is(pg_temp.as_role('rs8_p', $$UPDATE smartregion.hub_table SET provider = 'local' WHERE table_name = 'premises' RETURNING 'updated'$$, true),
          '42501', 'the platform administrator cannot change the provider of smartregion''s template (before: updated)');
SELECT is(pg_temp.as_role('rs8_p', $$DELETE FROM smartregion.hub_table WHERE table_name = 'premises' RETURNING 'deleted'$$, true),
          '42501', 'nor delete smartregion''s template (before: deleted)');
SELECT is(pg_temp.as_role('rs8_p', $$UPDATE smartregion.hub_table SET ord = ord + 1 WHERE table_name = 'premises' RETURNING 'updated'$$, true),
          '42501', 'nor change its order');
SELECT is(pg_temp.as_role('rs8_p', $$INSERT INTO smartregion.hub_table (table_name, service, ddl, ord, provider)
                                        SELECT 'rs8_copy', service, ddl, ord, 'smartregion' FROM smartregion.hub_table WHERE table_name = 'premises' RETURNING 'inserted'$$, true),
          '42501', 'nor register a copy of a template under provider smartregion (the ddl guard lets a known ddl through)');
SELECT is((SELECT count(*) FROM smartregion.trust_problems() WHERE object = 'index rs8.premises_territory_idx'), 1::bigint,
          'after the platform administrator''s attempts the tampered index is still listed (before: not, its table left the list)');
SELECT is((SELECT provider || ' ' || ord FROM smartregion.hub_table WHERE table_name = 'premises'),
          (SELECT 'smartregion ' || ord FROM saved), 'smartregion''s template unchanged');
DELETE FROM smartregion.hub_table WHERE table_name = 'rs8_copy';
INSERT INTO smartregion.hub_table SELECT * FROM saved
  ON CONFLICT (table_name) DO UPDATE SET provider = EXCLUDED.provider, ord = EXCLUDED.ord WHERE hub_table IS DISTINCT FROM EXCLUDED;
SELECT is(pg_temp.as_role('rs8_p', $$INSERT INTO smartregion.hub_table (table_name, service, ddl, provider)
                                        SELECT 'rs8_own', service, ddl, NULL FROM smartregion.hub_table WHERE table_name = 'premises' RETURNING 'inserted'$$),
          'inserted', 'the platform administrator still registers a table of its own (provider NULL, a known ddl)');
SELECT is(pg_temp.error_of(current_user, $$UPDATE smartregion.hub_table SET provider = provider WHERE table_name = 'premises'$$),
          'SRROK | no error', 'a superuser may (an update that changes nothing)');

-- B. a role reading the templates but not the register of personal data (found: fixed)
SELECT is(pg_temp.error_of('rs8_h', 'SELECT * FROM smartregion.trust_problems()'),
          '42501 | permission denied for table smartregion.personal_data | Role "rs8_h" may read smartregion.hub_table but has no SELECT on table smartregion.personal_data, which trust_problems reads to know the columns, indexes, triggers and policies the tables of hub "rs8" must have. | Grant the role SELECT on table smartregion.personal_data (smartregion.grant_roles grants it to smartregion_reader), or run trust_problems as a role that reads it.',
          'trust_problems for a role reading hub_table only: 42501 naming the table and the grant (before: the bare message, no detail nor hint)');
GRANT SELECT ON smartregion.personal_data TO rs8_h;
SELECT matches(pg_temp.error_of('rs8_h', 'SELECT * FROM smartregion.trust_problems()'),
               '^42501 \| permission denied for table smartregion.confidential_data \| .*Grant the role SELECT on table smartregion.confidential_data',
               'and the register of confidential data, next');
GRANT SELECT ON smartregion.confidential_data TO rs8_h;
SELECT is(pg_temp.as_role('rs8_h', $$SELECT count(*)::text FROM smartregion.trust_problems() WHERE object = 'index rs8.premises_territory_idx'$$),
          '1', 'granted both, it reads the list (the tampered index: its shape, without USAGE on the hub)');

-- C. the rule index compared in the hub's schema only (held)
CREATE SCHEMA rs8_other;
CREATE TABLE rs8_other.premises (territory_code text);
CREATE INDEX premises_territory_idx ON rs8_other.premises (territory_code);
SELECT is((SELECT count(*) FROM smartregion.trust_problems() WHERE object = 'index rs8.premises_territory_idx'), 1::bigint,
          'a correct index of the name on a table of the name in another schema does not hide the hub''s');
-- a template function shadowed in the search_path, rendering the tampered index's statement
CREATE FUNCTION public._hub_rule_index_templates() RETURNS TABLE (rule name, suffix name, ddl text) LANGUAGE sql
  AS $$ SELECT 'territory'::name, '_territory_idx'::name, 'CREATE INDEX IF NOT EXISTS %3$I ON %1$I.%2$I (territory_code) WHERE false' $$;
SET LOCAL search_path = public, smartregion, pg_catalog;
SELECT is((SELECT count(*) FROM smartregion.trust_problems() WHERE object = 'index rs8.premises_territory_idx'), 1::bigint,
          'a template function of the name first in the search_path is not read');
RESET search_path;
DROP INDEX rs8.premises_territory_idx;
CREATE INDEX premises_territory_idx ON rs8.premises (territory_code);
ALTER INDEX rs8.premises_territory_idx RENAME TO premises_territory_idx_old;
CREATE INDEX premises_territory_idx ON rs8.premises (territory_code) WHERE territory_code IS NULL;
SELECT is((SELECT count(*) FROM smartregion.trust_problems() WHERE object = 'index rs8.premises_territory_idx'), 1::bigint,
          'the right index renamed, a partial one under its name: listed');
DROP INDEX rs8.premises_territory_idx;
ALTER INDEX rs8.premises_territory_idx_old RENAME TO premises_territory_idx;
UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'rs8.premises_territory_idx'::regclass;
SELECT is((SELECT count(*) FROM smartregion.trust_problems() WHERE object = 'index rs8.premises_territory_idx'), 1::bigint,
          'the right index invalid (a failed CREATE INDEX CONCURRENTLY): listed');
UPDATE pg_index SET indisvalid = true WHERE indexrelid = 'rs8.premises_territory_idx'::regclass;
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%rs8.%'$$, 'the right index back: nothing listed');

-- D. pseudonyms (held)
INSERT INTO rs8.premises (id, name, owner, location, territory_code, territory_type, visibility) VALUES
  (1, 'Halle', 'pat@example.org', ST_SetSRID(ST_MakePoint(2.30, 48.62), 4326), '91479', 'commune', 'restricted'),
  (2, 'Grange', 'zoe@example.org', ST_SetSRID(ST_MakePoint(4.84, 45.77), 4326), '69381', 'commune', 'restricted');
SELECT is(pg_temp.as_role('rs8_p', $$SELECT smartregion.subject_erase('zoe@example.org', 'rs8') -> 'erased' -> 0 ->> 'rows'$$, true),
          '1', 'zoe''s erasure pseudonymises her premise in 69381');
SELECT is(concat_ws(' ', pg_temp.as_role('rs8_a1', 'SELECT count(*)::text FROM smartregion.pseudonym_key'),
                         pg_temp.as_role('rs8_r', 'SELECT count(*)::text FROM smartregion.pseudonym_key'),
                         pg_temp.as_role('rs8_an', 'SELECT count(*)::text FROM smartregion.pseudonym_key'),
                         pg_temp.as_role('rs8_a1', $$SELECT smartregion.pseudonym('pat@example.org', 'rs8')$$),
                         pg_temp.as_role('rs8_an', $$SELECT smartregion.pseudonym('pat@example.org', 'rs8')$$)),
          '42501 42501 42501 42501 42501', 'the seal key and pseudonym() are out of reach of an agent, the reader and the analyst');
SELECT is(concat_ws(' ', pg_temp.as_role('rs8_a1', format('SELECT smartregion._pseudonym_verifies(%L, %L)::text', :'zoe', 'rs8')),
                         pg_temp.as_role('rs8_an', format('SELECT smartregion._pseudonym_verifies(%L, %L)::text', :'zoe', 'rs8')),
                         pg_temp.as_role('rs8_p', format('SELECT smartregion._pseudonym_verifies(%L, %L)::text', :'zoe', 'rs8'))),
          'false false true', 'no verification oracle: an agent''s or the analyst''s check of a genuine pseudonym answers false, as for any value');
SELECT is(pg_temp.as_role('rs8_a1', 'SELECT coalesce(string_agg(owner, $$,$$), $$none$$) FROM rs8.premises WHERE id = 2'),
          'none', 'the agent of 91479 does not read the pseudonym written in 69381');
-- the agent of 91479 copies pat's identifier into a second premise, and zoe's pseudonym (as
-- an analyst colleague would tell it) into a third: that is the value it wrote, for good or ill
SELECT is(pg_temp.as_role('rs8_a1', format($$WITH w AS (INSERT INTO rs8.premises (id, name, owner, location, territory_code, territory_type, visibility) VALUES
  (3, 'Hangar', 'pat@example.org', ST_SetSRID(ST_MakePoint(2.32, 48.62), 4326), '91479', 'commune', 'restricted'),
  (4, 'Remise', %L, ST_SetSRID(ST_MakePoint(2.33, 48.62), 4326), '91479', 'commune', 'restricted') RETURNING 1) SELECT count(*)::text FROM w$$, :'zoe'), true),
          '2', 'the agent of 91479 writes two premises');
-- pat's erasure: pat's rows only; zoe's copied pseudonym stays, and is zoe's (an erasure of
-- zoe again, by her identifier, does not match a row holding her pseudonym)
SELECT is(pg_temp.as_role('rs8_p', $$SELECT smartregion.subject_erase('pat@example.org', 'rs8') -> 'erased' -> 0 ->> 'rows'$$, true),
          '2', 'pat''s erasure pseudonymises pat''s two premises');
SELECT is((SELECT string_agg(id || ' ' || (owner = CASE WHEN id IN (1, 3) THEN :'pat' ELSE :'zoe' END), ', ' ORDER BY id) FROM rs8.premises),
          '1 true, 2 true, 3 true, 4 true', 'each row holds its person''s pseudonym, the copy zoe''s, not rewritten');
SELECT is(pg_temp.as_role('rs8_an', $$SELECT string_agg(id || ' ' || owner, ', ' ORDER BY id) FROM rs8_pv.premises$$),
          concat_ws(', ', '1 ' || :'pat', '2 ' || :'zoe', '3 ' || :'pat', '4 ' || :'zoe'),
          'the analyst reads the stored pseudonyms as they are');


-- E. seal_legacy_pseudonyms and a writer's look-alike of the earlier form (found: fixed,
-- 2026-12-08, h11).  The agent of 91479 stores 'pseudo:' and the hexadecimal of
-- pat@example.org padded with zeros to 64 digits; the platform administrator runs the upgrade
-- function; the analyst must not read the stored value (nor its first 48 digits) in the view.
-- The legacy seal by its formula: 16 hex digits of HMAC-SHA-256 of the byte 1 and the 48 digits
CREATE FUNCTION pg_temp.legacy_sealed(v text) RETURNS text LANGUAGE sql AS $$
  SELECT left(v, 55) || left(encode(hmac('\x01'::bytea || convert_to(substr(v, 8, 48), 'UTF8'), key, 'sha256'), 'hex'), 16)
    FROM smartregion.pseudonym_key WHERE hub_schema = 'rs8'
$$;
SELECT 'pseudo:' || rpad(encode(convert_to('pat@example.org', 'UTF8'), 'hex'), 64, '0') AS lookalike \gset
SELECT is(convert_from(decode(substr(:'lookalike', 8, 30), 'hex'), 'UTF8') || ' ' || length(:'lookalike'), 'pat@example.org 71',
          'the look-alike: the form of an earlier build''s pseudonym, its digits the hexadecimal of pat''s identifier');
SELECT is(pg_temp.as_role('rs8_a1', format($$WITH w AS (INSERT INTO rs8.premises (id, name, owner, location, territory_code, territory_type, visibility) VALUES
  (5, 'Loge', %L, ST_SetSRID(ST_MakePoint(2.34, 48.62), 4326), '91479', 'commune', 'restricted') RETURNING 1) SELECT count(*)::text FROM w$$, :'lookalike'), true),
          '1', 'the agent of 91479 stores it as a premise''s owner');
SELECT is(pg_temp.as_role('rs8_p', $$SELECT string_agg(format('%s.%s %s', table_name, column_name, rows), ', ') FROM smartregion.seal_legacy_pseudonyms('rs8') WHERE rows > 0$$, true),
          'premises.owner 1', 'the platform administrator''s seal_legacy_pseudonyms seals it (it cannot tell it from an earlier build''s pseudonym), nothing else');
SELECT is((SELECT owner FROM rs8.premises WHERE id = 5), pg_temp.legacy_sealed(:'lookalike'),
          'the row holds its 48 digits and the legacy seal (byte 1), not this build''s seal (before: the seal of byte 0)');
SELECT is(pg_temp.as_role('rs8_an', $$SELECT owner FROM rs8_pv.premises WHERE id = 5$$), pg_temp.ref(pg_temp.legacy_sealed(:'lookalike')),
          'the analyst reads the pseudonym of the sealed value, not the value the writer chose (before: the value, pat''s identifier in hexadecimal)');
SELECT is(pg_temp.as_role('rs8_an', format($$SELECT count(*)::text FROM rs8_pv.premises WHERE left(owner, 55) = %L$$, left(:'lookalike', 55))),
          '0', 'no row of the analyst''s view holds the writer''s 48 digits');
SELECT is(pg_temp.as_role('rs8_an', $$SELECT string_agg(id || ' ' || owner, ', ' ORDER BY id) FROM rs8_pv.premises WHERE id <= 4$$),
          concat_ws(', ', '1 ' || :'pat', '2 ' || :'zoe', '3 ' || :'pat', '4 ' || :'zoe'),
          'the pseudonyms of this build pass through as before, left by seal_legacy_pseudonyms');
SELECT is(pg_temp.as_role('rs8_p', format('SELECT smartregion._pseudonym_verifies(%L, %L)::text', pg_temp.legacy_sealed(:'lookalike'), 'rs8')),
          'true', 'a legacy-sealed value is kept as a pseudonym by the erasures');

SELECT * FROM finish();
ROLLBACK;
