-- pgTAP: which functions taking a hub run a guard of who controls the hub's code, and the
-- ones found running none that could run another role's code with the caller's rights
-- (review of hub guards, 2026-12-07, h12; docs/security-reviews.md#r-hub-guards).
--  1. The list, from the catalogue: every function of the extension (not internal: no
--     leading underscore) taking a hub by an argument (hub, hub_schema, target_schema) or by
--     its option "hub", and whether it runs _hub_code_guard, _hub_read_guard,
--     _query_read_guard or _hub_enter(hub, fn), itself, through a function of the
--     extension that does, or through the trigger of an extension table it inserts into.  Those running none are the ones reviewed and documented; a new
--     function without a guard changes the list and fails here.
--  2. What the review found:
--     * grant_roles (and enable_territory_security, create_hub: they call it) dropped the
--       planner statistics of a protected table by retyping each column to its own type,
--       which validates the column's CHECK constraints again over every row, as the caller:
--       a superuser's grant_roles on a hub a platform administrator made ran that
--       administrator's function as superuser.  A superuser now deletes the statistics (no
--       code runs); another caller retypes only when no role without its rights controls
--       code in the hub, else keeps them and says so;
--     * zae_rows_outside_territory, thd_rollout and campaign_questionnaire (readers) ran no
--       guard: _hub_read_guard now; zae_zone_history_acknowledge (an UPDATE of the hub's
--       table) _hub_code_guard(..., privileged_only => true);
--     * set_secrecy_rules (its trigger reads zae_zones and zae_zone_history as the caller)
--       runs none: a guard refused a superuser's restore (docs).  Its trigger refuses a
--       relation there that is not a table and reads one under row-level security only
--       when that runs no other role's code, and create_hub's upgrade steps run
--       _hub_upgrade_guard (2026-12-08, h1: hub_guards2.sql).
-- Roles: hg_padmin, a platform administrator who made the hub hg_own; hg_padmin2, another,
-- whose rights hg_padmin does not hold; the superuser running this file.
BEGIN;
SELECT plan(18);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- 1. the functions taking a hub that run no guard (itself or through one it calls)
CREATE TEMP VIEW hg_fns AS
WITH f AS (
  SELECT p.oid, p.proname, p.prosrc, p.oid::regprocedure::text AS sig
    FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                    AND d.refclassid = 'pg_extension'::regclass
    JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'smartregion'
   WHERE p.proname !~ '^_'
     AND (EXISTS (SELECT 1 FROM unnest(p.proargnames, p.proargmodes::text[]) a(n, m)
                   WHERE coalesce(a.m, 'i') IN ('i', 'b') AND a.n IN ('hub', 'hub_schema', 'target_schema'))
          OR 'jsonb'::regtype = ANY (p.proargtypes::regtype[]) AND p.prosrc ~ $$'hub'$$)),
direct AS (
  SELECT g.proname FROM pg_proc g JOIN pg_namespace n ON n.oid = g.pronamespace AND n.nspname = 'smartregion'
   WHERE g.prosrc ~ '_hub_(code|read)_guard\(|_query_read_guard\(|_hub_enter\(\s*\w+\s*,\s*''')
SELECT f.sig,
       EXISTS (SELECT 1 FROM direct g WHERE f.proname = g.proname
                  OR strpos(f.prosrc, 'smartregion.' || g.proname || '(') > 0)
       -- (or it inserts into a table of the extension whose trigger runs one)
       OR EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                    JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'smartregion'
                    JOIN pg_proc tp ON tp.oid = t.tgfoid JOIN direct g ON g.proname = tp.proname
                   WHERE f.prosrc ~ ('INSERT INTO smartregion\.' || c.relname || '\M')) AS guarded
  FROM f;

SELECT is((SELECT string_agg(sig, ' ' ORDER BY sig) FROM hg_fns WHERE NOT guarded),
          'smartregion.catalog_configure(name,text,text,text,text,text,text,text,text,text,text,text) '
          'smartregion.configure_audit(name,name) '
          'smartregion.drop_hub(name) smartregion.enable_territory_security(name) '
          'smartregion.grant_roles(name) smartregion.hub_srid(name) smartregion.pseudonym(text,name) '
          'smartregion.set_secrecy_rules(name,jsonb)',
          'the functions taking a hub that run no guard are the eight reviewed (docs/security-reviews.md#r-hub-guards; create_hub runs _hub_upgrade_guard since 2026-12-08)');
SELECT cmp_ok((SELECT count(*) FROM hg_fns WHERE guarded), '>=', 30::bigint,
              'and the others (at least 30) run one');
SELECT ok((SELECT guarded FROM hg_fns WHERE sig = 'smartregion.zae_rows_outside_territory(name)')
          AND (SELECT guarded FROM hg_fns WHERE sig = 'smartregion.thd_rollout(jsonb)')
          AND (SELECT guarded FROM hg_fns WHERE sig = 'smartregion.campaign_questionnaire(text,name,text)')
          AND (SELECT guarded FROM hg_fns WHERE sig = 'smartregion.zae_zone_history_acknowledge(name,bigint[])'),
          'zae_rows_outside_territory, thd_rollout, campaign_questionnaire and zae_zone_history_acknowledge run one');

-- 2. the hubs
SELECT count(*) > 0 AS loaded FROM smartregion.load_territories(
  '[{"code": "69001", "nom": "A", "departement": "69", "region": "84", "population": 1000}]',
  '[]', '[{"code": "69", "nom": "Rhône", "region": "84"}]', '[{"code": "84", "nom": "ARA"}]') \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hg_base') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hg_base') \gset
CREATE ROLE hg_padmin IN ROLE smartregion_platform_admin;
CREATE ROLE hg_padmin2 IN ROLE smartregion_platform_admin;
SELECT format('GRANT CREATE ON DATABASE %I TO hg_padmin, hg_padmin2', current_database()) \gexec
SELECT is(pg_temp.as_role('hg_padmin', $$SELECT count(*) > 0 FROM smartregion.create_hub('hg_own')$$, true),
          'true', 'the platform administrator makes a hub of its own');
-- hg_padmin's function, recording who runs it, in a CHECK constraint of its consents (a
-- protected table: no planner statistics), one row, and statistics of the column gathered
SELECT is(pg_temp.as_role('hg_padmin', $$
            CREATE TABLE hg_own.loot (who name, what text);
            GRANT INSERT ON hg_own.loot TO PUBLIC;
            CREATE FUNCTION hg_own.peek(text) RETURNS boolean LANGUAGE plpgsql AS
              $f$ BEGIN INSERT INTO hg_own.loot VALUES (current_user, 'peek'); RETURN true; END $f$;
            ALTER TABLE hg_own.consents ADD CONSTRAINT hg_peek CHECK (hg_own.peek(source));
            INSERT INTO hg_own.consents (subject, purpose, source) VALUES ('s1', 'newsletter', 'form');
            ANALYZE hg_own.consents;
            SELECT count(*) FROM pg_stats WHERE schemaname = 'hg_own' AND tablename = 'consents' AND attname = 'source'$$, true),
          '1', 'hg_padmin''s consents have a CHECK calling its function, and statistics of the column source');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hg_own') \gset
SELECT is((SELECT count(*) FROM hg_own.loot l JOIN pg_roles r ON r.rolname = l.who WHERE r.rolsuper), 0::bigint,
          'the superuser''s grant_roles on hg_padmin''s hub ran none of its code (1 row of the superuser before)');
SELECT is((SELECT count(*) FROM pg_stats WHERE schemaname = 'hg_own' AND tablename = 'consents' AND attname = 'source'),
          0::bigint, 'and dropped the statistics of the column all the same');

-- another caller (hg_padmin on its own hub) whose CHECK calls a function of hg_padmin2: the
-- retype would run it with hg_padmin's rights; the statistics are kept, with a warning
SELECT is(pg_temp.as_role('hg_padmin2', $$
            CREATE SCHEMA hg_p2;
            GRANT USAGE ON SCHEMA hg_p2 TO PUBLIC;
            CREATE FUNCTION hg_p2.peek2(text) RETURNS boolean LANGUAGE plpgsql AS
              $f$ BEGIN INSERT INTO hg_own.loot VALUES (current_user, 'peek2'); RETURN true; END $f$;
            SELECT 'made'$$, true), 'made', 'hg_padmin2 makes a function of its own');
SELECT is(pg_temp.as_role('hg_padmin', $$
            ALTER TABLE hg_own.consents ADD CONSTRAINT hg_peek2 CHECK (hg_p2.peek2(source));
            ALTER TABLE hg_own.consents ALTER COLUMN source SET STATISTICS -1;
            ANALYZE hg_own.consents;
            DELETE FROM hg_own.loot;
            SELECT count(*) FROM pg_stats WHERE schemaname = 'hg_own' AND tablename = 'consents' AND attname = 'source'$$, true),
          '1', 'hg_padmin uses it in a CHECK of its consents, whose column source has statistics again');
SELECT is(pg_temp.as_role('hg_padmin', $$SELECT count(*) FROM smartregion.enable_territory_security('hg_own')$$, true),
          (SELECT count(*) FROM smartregion.hub_table h WHERE h.table_name NOT IN ('agents', 'territory_admins', 'consents'))::text,
          'hg_padmin runs enable_territory_security on its hub');
SELECT is((SELECT count(*) FROM hg_own.loot WHERE what = 'peek2'), 0::bigint,
          'which ran none of hg_padmin2''s code with hg_padmin''s rights (1 row before)');
SELECT is((SELECT count(*) FROM pg_stats WHERE schemaname = 'hg_own' AND tablename = 'consents' AND attname = 'source'),
          1::bigint, 'and kept the statistics of the column (1 row; none before: the retype dropped them)');
SELECT is(pg_temp.as_role('hg_padmin', $$ALTER TABLE hg_own.consents DROP CONSTRAINT hg_peek2;
                                          SELECT count(*) FROM smartregion.enable_territory_security('hg_own')$$, true)::int > 0,
          true, 'without the CHECK, hg_padmin''s enable_territory_security retypes the column');
SELECT is((SELECT count(*) FROM pg_stats WHERE schemaname = 'hg_own' AND tablename = 'consents' AND attname = 'source'),
          0::bigint, 'and its statistics are gone');

-- the readers and the writer found unguarded: a superuser's call on hg_padmin's hub is
-- refused (42501: hg_padmin owns the schema); before, each ran on it as superuser
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*) FROM smartregion.zae_rows_outside_territory('hg_own')$$),
          '42501', 'zae_rows_outside_territory: a superuser on hg_padmin''s hub is refused (0 rows before)');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*) FROM smartregion.thd_rollout('{"hub": "hg_own"}')$$),
          '42501', 'thd_rollout: refused (0 rows before)');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*) FROM smartregion.campaign_questionnaire('no-such-token', 'hg_own')$$),
          '42501', 'campaign_questionnaire: refused (28000, the token looked up in the hub, before)');
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion.zae_zone_history_acknowledge('hg_own', '{}')$$),
          '42501', 'zae_zone_history_acknowledge: refused (0 before)');

SELECT * FROM finish();
ROLLBACK;
