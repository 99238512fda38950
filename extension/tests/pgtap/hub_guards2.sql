-- pgTAP: the two gaps the review of hub guards left (docs/security-reviews.md#r-hub-guards,
-- 2026-12-08, h1), each a way for a superuser's or a platform administrator's call to run
-- another role's code with its rights:
--  1. set_secrecy_rules: its trigger read the hub's zae_zones and zae_zone_history as the
--     caller.  A view in place of zae_zones ran its owner's function as the superuser; a
--     restrictive policy of the hub's owner ran its function as another platform
--     administrator.  Now a relation that is not a table is refused (42809) and, under
--     row-level security that does not show every row, the table is read only when no role
--     without the caller's rights controls code in the hub (_hub_code_clear).
--  2. create_hub on a hub of an older build: its upgrade steps (here the retype of
--     tl_history.actor from name to text, which validates the CHECKs on the column again,
--     and the back-fill UPDATE of solar_impact_roofs' marks, which fires the table's
--     triggers) ran code of a role without the caller's rights: _hub_upgrade_guard now.
-- Who ran a function is counted by sequences (nextval is not rolled back with a refused
-- call): h2_rec.by_other counts the runs by a role other than the function's owner.
-- Roles: h2_padmin, a platform administrator who makes the hubs h2_own and h2_up;
-- h2_padmin2, another, whose rights h2_padmin does not hold; the superuser running this file.
BEGIN;
SELECT plan(24);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS loaded FROM smartregion.load_territories(
  '[{"code": "69001", "nom": "A", "departement": "69", "region": "84", "population": 1000}]',
  '[]', '[{"code": "69", "nom": "Rhône", "region": "84"}]', '[{"code": "84", "nom": "ARA"}]') \gset
-- (grant_roles gives the groups USAGE on the extension's schema)
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('h2_base') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('h2_base') \gset
CREATE ROLE h2_padmin IN ROLE smartregion_platform_admin;
CREATE ROLE h2_padmin2 IN ROLE smartregion_platform_admin;
SELECT format('GRANT CREATE ON DATABASE %I TO h2_padmin, h2_padmin2', current_database()) \gexec
-- the counters: runs of h2_padmin's function by another role, of h2_padmin2's by another
CREATE SCHEMA h2_rec;
GRANT USAGE ON SCHEMA h2_rec TO PUBLIC;
CREATE SEQUENCE h2_rec.by_other;
CREATE SEQUENCE h2_rec.by_other2;
GRANT USAGE, SELECT, UPDATE ON SEQUENCE h2_rec.by_other, h2_rec.by_other2 TO PUBLIC;
CREATE FUNCTION pg_temp.runs(seq regclass) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint; c boolean;
BEGIN
  EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO n, c;
  RETURN CASE WHEN c THEN n ELSE 0 END;
END $$;

-- 1. set_secrecy_rules
SELECT is(pg_temp.as_role('h2_padmin', $$SELECT count(*) > 0 FROM smartregion.create_hub('h2_own')$$, true),
          'true', 'h2_padmin makes a hub of its own');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('h2_own') \gset
SELECT is(pg_temp.as_role('h2_padmin', $$
            CREATE FUNCTION h2_own.peek() RETURNS boolean LANGUAGE plpgsql AS
              $f$ BEGIN IF current_user <> 'h2_padmin' THEN PERFORM nextval('h2_rec.by_other'); END IF; RETURN true; END $f$;
            SELECT 'made'$$, true), 'made', 'h2_padmin''s function counts the runs by other roles');

-- the owner and a superuser set the rules of a hub of plain tables (no zone): the normal flow
SELECT is(pg_temp.as_role('h2_padmin', $$SELECT smartregion.set_secrecy_rules('h2_own', '{"min_units": 4}') ->> 'min_units'$$),
          '4', 'the hub''s owner sets its rules');
SELECT is(smartregion.set_secrecy_rules('h2_own', '{"min_units": 4}') ->> 'min_units',
          '4', 'a superuser sets the rules of h2_padmin''s hub (plain tables: read, nothing of h2_padmin''s runs)');

-- a view in place of zae_zones whose row calls h2_padmin's function: refused (42809) for the
-- superuser, whom it would have run as (1 run before, then 55000: the view's row seen)
SELECT is(pg_temp.as_role('h2_padmin', $$
            ALTER TABLE h2_own.zae_zones RENAME TO zae_zones_t;
            CREATE VIEW h2_own.zae_zones AS SELECT h2_own.peek() AS p;
            GRANT SELECT ON h2_own.zae_zones TO PUBLIC;
            SELECT 'view'$$, true), 'view', 'h2_padmin puts a view calling its function in place of zae_zones');
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion.set_secrecy_rules('h2_own', '{"min_units": 5}')::text$$),
          '42809', 'a superuser''s set_secrecy_rules is refused: zae_zones is not a table (55000 before)');
SELECT is(pg_temp.runs('h2_rec.by_other'), 0::bigint,
          'and ran none of h2_padmin''s code (1 run before, as the superuser)');
SELECT is(pg_temp.as_role('h2_padmin', $$
            DROP VIEW h2_own.zae_zones;
            ALTER TABLE h2_own.zae_zones_t RENAME TO zae_zones;
            INSERT INTO h2_own.zae_zones (zone_id, site_nom, geom, territory_code)
            VALUES (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '69001');
            CREATE POLICY h2_peek ON h2_own.zae_zones FOR SELECT USING (h2_own.peek());
            SELECT count(*) FROM h2_own.zae_zones$$, true),
          '1', 'h2_padmin puts its table back with a zone, and a permissive policy calling its function');
-- another platform administrator: its permissive USING (true) (sr_platform_admin) shows every
-- row, and PostgreSQL folds the other permissive policies into it: read, nothing runs, the
-- zone seen (55000)
SELECT setval('h2_rec.by_other', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.as_role('h2_padmin2', $$SELECT smartregion.set_secrecy_rules('h2_own', '{"min_units": 6}')::text$$),
          '55000', 'another platform administrator still reads the hub of h2_padmin: the zone seen, 55000');
SELECT is(pg_temp.runs('h2_rec.by_other'), 0::bigint, 'and the permissive policy ran nothing (nor before)');
-- a restrictive policy calling the function: the read would run it as h2_padmin2, whose
-- rights h2_padmin does not hold (_hub_code_clear false): not read; refused all the same
SELECT is(pg_temp.as_role('h2_padmin', $$
            CREATE POLICY h2_peek_r ON h2_own.zae_zones AS RESTRICTIVE FOR SELECT USING (h2_own.peek());
            SELECT 'policy'$$, true), 'policy', 'h2_padmin adds a restrictive policy calling its function');
SELECT setval('h2_rec.by_other', 1, false) IS NOT NULL AS reset \gset
SELECT ok(pg_temp.as_role('h2_padmin2', $$SELECT smartregion.set_secrecy_rules('h2_own', '{"min_units": 6}')::text$$)
            IN ('42501', '55000'),
          'another platform administrator''s change is refused');
SELECT is(pg_temp.runs('h2_rec.by_other'), 0::bigint,
          'without running h2_padmin''s function with its rights (1 run before)');

-- 2. create_hub's upgrade steps on h2_padmin's hub h2_up, made as an older build left it:
-- tl_history.actor of type name, with a row; a CHECK on it calling h2_padmin2's function
SELECT is(pg_temp.as_role('h2_padmin2', $$
            CREATE SCHEMA h2_p2;
            GRANT USAGE ON SCHEMA h2_p2 TO PUBLIC;
            CREATE FUNCTION h2_p2.peek2(text) RETURNS boolean LANGUAGE plpgsql AS
              $f$ BEGIN IF current_user <> 'h2_padmin2' THEN PERFORM nextval('h2_rec.by_other2'); END IF; RETURN true; END $f$;
            SELECT 'made'$$, true), 'made', 'h2_padmin2 makes a function counting the runs by other roles');
SELECT is(pg_temp.as_role('h2_padmin', $$
            SELECT count(*) FROM smartregion.create_hub('h2_up');
            ALTER TABLE h2_up.tl_history DISABLE TRIGGER USER;
            INSERT INTO h2_up.tl_history (entity, request_id, to_status) VALUES ('request', 1, 'submitted');
            ALTER TABLE h2_up.tl_history ENABLE TRIGGER USER;
            ALTER TABLE h2_up.tl_history ALTER COLUMN actor TYPE name;
            ALTER TABLE h2_up.tl_history ADD CONSTRAINT h2_peek2 CHECK (h2_p2.peek2(actor::text));
            SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM h2_rec.by_other2$$, true),
          '1', 'h2_padmin''s older hub: tl_history.actor a name, and a CHECK on it calling h2_padmin2''s function (run once, adding it)');
SELECT is(pg_temp.as_role('h2_padmin', $$SELECT count(*) FROM smartregion.create_hub('h2_up')$$),
          '42501', 'h2_padmin''s create_hub is refused: the retype would run h2_padmin2''s CHECK function with its rights (the hub upgraded before)');
SELECT is(pg_temp.runs('h2_rec.by_other2'), 1::bigint,
          'which did not run (2 runs before: the retype validated the CHECK again as h2_padmin)');

-- the owner's flow: without the CHECK, create_hub upgrades the column
SELECT is(pg_temp.as_role('h2_padmin', $$
            ALTER TABLE h2_up.tl_history DROP CONSTRAINT h2_peek2;
            SELECT count(*) > 0 FROM smartregion.create_hub('h2_up')$$, true),
          'true', 'without the CHECK of another role, h2_padmin''s create_hub upgrades its hub');
SELECT is((SELECT atttypid::regtype::text FROM pg_attribute WHERE attrelid = 'h2_up.tl_history'::regclass AND attname = 'actor'),
          'text', 'tl_history.actor is text');

-- the back-fill of solar_impact_roofs' marks (a hub made before the trigger
-- sr_impact_written: its UPDATE clears them), on a table with a trigger of h2_padmin's
-- calling h2_padmin2's function: the UPDATE would fire it with h2_padmin's rights
SELECT is(pg_temp.as_role('h2_padmin2', $$
            CREATE FUNCTION h2_p2.trig() RETURNS trigger LANGUAGE plpgsql AS
              $f$ BEGIN IF current_user <> 'h2_padmin2' THEN PERFORM nextval('h2_rec.by_other2'); END IF; RETURN NEW; END $f$;
            SELECT 'made'$$, true), 'made', 'h2_padmin2 makes a trigger function counting the runs by other roles');
SELECT is(pg_temp.as_role('h2_padmin', $$
            ALTER TABLE h2_up.solar_impact_roofs DISABLE TRIGGER USER;
            INSERT INTO h2_up.solar_impact_roofs (building_id, face, is_project, geom, restricted_with_parent, territory_code)
            VALUES (1, 1, false, ST_SetSRID(ST_MakePoint(650000, 6860000), 2154), true, '69001');
            ALTER TABLE h2_up.solar_impact_roofs ENABLE TRIGGER USER;
            DROP TRIGGER sr_impact_written ON h2_up.solar_impact_roofs;
            CREATE TRIGGER h2_t BEFORE UPDATE ON h2_up.solar_impact_roofs FOR EACH ROW EXECUTE FUNCTION h2_p2.trig();
            SELECT count(*) FROM h2_up.solar_impact_roofs WHERE restricted_with_parent$$, true),
          '1', 'h2_padmin''s hub as an older build left it: a marked face and no sr_impact_written; a trigger calling h2_padmin2''s function');
SELECT setval('h2_rec.by_other2', 1, false) IS NOT NULL AS reset \gset
SELECT is(pg_temp.as_role('h2_padmin', $$SELECT count(*) FROM smartregion.create_hub('h2_up')$$),
          '42501', 'h2_padmin''s create_hub is refused: the back-fill would fire it with its rights (the marks cleared before)');
SELECT is(pg_temp.runs('h2_rec.by_other2'), 0::bigint, 'which did not run (1 run before, as h2_padmin)');
SELECT is(pg_temp.as_role('h2_padmin', $$
            DROP TRIGGER h2_t ON h2_up.solar_impact_roofs;
            SELECT count(*) > 0 FROM smartregion.create_hub('h2_up');
            SELECT count(*) FROM h2_up.solar_impact_roofs WHERE restricted_with_parent$$, true),
          '0', 'without it, h2_padmin''s create_hub clears the mark');

SELECT * FROM finish();
ROLLBACK;
