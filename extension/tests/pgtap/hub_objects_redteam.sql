-- pgTAP: red team of trust_problems' check of a hub's objects (2026-12-07 night, h8;
-- docs/security-reviews.md#red-team-of-a-hubs-objects-and-derived-rows-2026-12-07-night-h8).
-- _hub_objects_stale (h2) compared a hub's policies whole and checked its columns, indexes
-- and triggers for presence.  Attacked as an agent, a reader and the hub tables' owner:
-- - the agent and the reader cannot disable a trigger or row-level security, nor add, alter
--   or rename a policy, nor set session_replication_role (42501: only the table's owner);
-- - the owner can, and before this file trust_problems() missed four of them: a trigger
--   disabled (or firing in replica sessions only, or replaced by one of its name calling
--   another function or for other events), row-level security disabled on a table
--   of a hub under territory security (its policies kept, applied to nobody: a reader read
--   a restricted building), a permissive policy it added (or a policy of this build
--   renamed and written again: PostgreSQL ORs the permissive policies), and a template's
--   index replaced by a partial or non-unique one of the same name (tl_proposal_one_accepted:
--   a request with two accepted proposals);
-- - a security policy made PERMISSIVE, or given other roles or another command, was seen
--   already (the policy is compared whole).
-- Roles: hor_a (agent of 91479), hor_r (a reader).  The hub's owner is the test's role.
BEGIN;
SELECT plan(20);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hor') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hor') \gset
CREATE ROLE hor_a IN ROLE smartregion_agent;
CREATE ROLE hor_r IN ROLE smartregion_reader;
INSERT INTO hor.agents (role_name, territory_code, territory_type) VALUES ('hor_a', '91479', NULL);
-- a restricted building of 69381, which neither role may read
INSERT INTO hor.buildings (id, geom, height, territory_code, visibility)
  VALUES (700, ST_Force3D(ST_Multi(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154)), 170), 9, '69381', 'restricted');

-- 1. the hub as create_hub and grant_roles leave it: nothing listed (the new checks see no
-- problem in what this build writes)
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hor.%'$$,
                'a hub made by this build: trust_problems lists none of its objects');

-- 2. what an agent and a reader cannot do to the hub's tables (the owner's privileges)
SELECT is(pg_temp.as_role('hor_a', 'ALTER TABLE hor.solar_roofs DISABLE TRIGGER sr_derived_territory_ins'), '42501',
          'an agent cannot disable the derived-territory trigger');
SELECT is(pg_temp.as_role('hor_a', 'ALTER TABLE hor.buildings DISABLE ROW LEVEL SECURITY'), '42501',
          'an agent cannot disable row-level security');
SELECT is(pg_temp.as_role('hor_a', 'CREATE POLICY hor_open ON hor.buildings USING (true)'), '42501',
          'an agent cannot add a policy');
SELECT is(pg_temp.as_role('hor_a', 'ALTER POLICY sr_territory_read ON hor.buildings USING (true)'), '42501',
          'an agent cannot change a policy');
SELECT is(pg_temp.as_role('hor_a', 'SET session_replication_role = replica'), '42501',
          'an agent cannot make the hub''s triggers skip its writes (session_replication_role)');
SELECT is(pg_temp.as_role('hor_r', 'ALTER TABLE hor.buildings NO FORCE ROW LEVEL SECURITY'), '42501',
          'a reader cannot change row-level security either');

-- (each change undone after its block, not rolled back to a savepoint: pgTAP's count of the
-- tests run would be rolled back with it)
-- 3. the owner disables a trigger, or replaces one: listed (before: nothing)
ALTER TABLE hor.solar_roofs DISABLE TRIGGER sr_derived_territory_ins;
ALTER TABLE hor.solar_roof_cells ENABLE REPLICA TRIGGER sr_restricted_by_hand;
-- (and two replaced by triggers of the same name: one calling a function of the owner's
-- that does nothing, one for DELETE where the template's is for UPDATE)
DROP TRIGGER sr_derived_territory_ins ON hor.city_object;
CREATE FUNCTION hor.hor_nothing() RETURNS trigger LANGUAGE plpgsql AS $f$BEGIN RETURN NULL; END$f$;
CREATE TRIGGER sr_derived_territory_ins AFTER INSERT ON hor.city_object REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION hor.hor_nothing();
DROP TRIGGER sr_derived_territory_upd ON hor.solar_roof_cells;
CREATE TRIGGER sr_derived_territory_upd AFTER DELETE ON hor.solar_roof_cells
  FOR EACH STATEMENT EXECUTE FUNCTION smartregion._hub_derived_territory();
SELECT results_eq(
  $$SELECT object, problem FROM smartregion.trust_problems() WHERE object LIKE '%hor.%' ORDER BY object$$,
  $$VALUES ('trigger sr_derived_territory_ins on hor.city_object',
            'the schema of a hub holds trigger sr_derived_territory_ins of table city_object in a version this build does not write (an older build''s, or changed since): a rule this build applies to the table''s writes (a check, a cascade, a record) is not applied: may let through what this build refuses'),
           ('trigger sr_derived_territory_ins on hor.solar_roofs',
            'the schema of a hub holds trigger sr_derived_territory_ins of table solar_roofs disabled: a rule this build applies to the table''s writes (a check, a cascade, a record) is not applied: may let through what this build refuses'),
           ('trigger sr_derived_territory_upd on hor.solar_roof_cells',
            'the schema of a hub holds trigger sr_derived_territory_upd of table solar_roof_cells in a version this build does not write (an older build''s, or changed since): a rule this build applies to the table''s writes (a check, a cascade, a record) is not applied: may let through what this build refuses'),
           ('trigger sr_restricted_by_hand on hor.solar_roof_cells',
            'the schema of a hub holds trigger sr_restricted_by_hand of table solar_roof_cells disabled: may be a leak: a row whose visibility is written by hand after its parent restricted it keeps its mark, and is made public again with its parent')$$,
  'a trigger disabled, one firing in replica sessions only, one calling another function, one for other events: listed (before: nothing)');
ALTER TABLE hor.solar_roofs ENABLE TRIGGER sr_derived_territory_ins;
ALTER TABLE hor.solar_roof_cells ENABLE TRIGGER sr_restricted_by_hand;
DROP TRIGGER sr_derived_territory_ins ON hor.city_object;
DROP TRIGGER sr_derived_territory_upd ON hor.solar_roof_cells;
DROP FUNCTION hor.hor_nothing();
CREATE TRIGGER sr_derived_territory_ins AFTER INSERT ON hor.city_object REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION smartregion._hub_derived_territory();
CREATE TRIGGER sr_derived_territory_upd AFTER UPDATE ON hor.solar_roof_cells REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION smartregion._hub_derived_territory();

-- 4. the owner disables row-level security on a table of a hub under territory security:
-- the reader reads the restricted building; listed, a leak (before: nothing, since the
-- table's policies were expected only where row-level security was on)
ALTER TABLE hor.buildings DISABLE ROW LEVEL SECURITY;
ALTER TABLE hor.agents DISABLE ROW LEVEL SECURITY;
SELECT is(pg_temp.as_role('hor_r', 'SELECT count(*)::text FROM hor.buildings WHERE id = 700'), '1',
          'row-level security disabled: the reader reads the restricted building (the harm)');
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 2), fix FROM smartregion.trust_problems() WHERE object LIKE '%hor.%' ORDER BY object$$,
  $$VALUES ('row-level security of table hor.agents', 'a leak', 'SELECT smartregion.enable_territory_security(''hor''), as the hub''s owner (grant_roles runs it too).'),
           ('row-level security of table hor.buildings', 'a leak', 'SELECT smartregion.enable_territory_security(''hor''), as the hub''s owner (grant_roles runs it too).')$$,
  'row-level security disabled on a table of a secured hub, or on agents, is listed as a leak (before: nothing)');
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hor.%'
                  EXCEPT SELECT object FROM smartregion.trust_problems() WHERE object LIKE 'row-level%'$$,
                '... and its policies, kept, are not listed as missing');
SELECT lives_ok($$SELECT smartregion.enable_territory_security('hor')$$, 'the fix named runs');
SELECT is(pg_temp.as_role('hor_r', 'SELECT count(*)::text FROM hor.buildings WHERE id = 700'), '0',
          'after the fix, the reader reads no restricted building, and nothing is listed')
  FROM (SELECT 1 WHERE NOT EXISTS (SELECT FROM smartregion.trust_problems() WHERE object LIKE '%hor.%')) ok;

-- 5. the owner adds a permissive policy, or renames one of this build's and writes it
-- again: listed (before: nothing); a restrictive one it adds only narrows: not listed
CREATE POLICY hor_open ON hor.buildings FOR SELECT TO smartregion_reader USING (true);
ALTER POLICY sr_territory_update ON hor.solar_roofs RENAME TO hor_write_kept;
SELECT smartregion._hub_security_policy_ddl('hor', 'solar_roofs', 'sr_territory_update') \gexec
CREATE POLICY hor_narrow ON hor.premises AS RESTRICTIVE USING (true);
SELECT is(pg_temp.as_role('hor_r', 'SELECT count(*)::text FROM hor.buildings WHERE id = 700'), '1',
          'a permissive policy added: the reader reads the restricted building (the harm)');
SELECT results_eq(
  $$SELECT object, problem, fix FROM smartregion.trust_problems() WHERE object LIKE '%hor.%' ORDER BY object$$,
  $$VALUES ('policy hor_open on hor.buildings',
            'the schema of a hub holds permissive policy hor_open of table buildings, which this build does not write: may be a leak: permissive policies are ORed, so this one lets the roles it names read or write, whatever their territory, the rows its expressions accept',
            'DROP POLICY hor_open ON hor.buildings, as the table''s owner, after checking what it lets through.'),
           ('policy hor_write_kept on hor.solar_roofs',
            'the schema of a hub holds permissive policy hor_write_kept of table solar_roofs, which this build does not write: may be a leak: permissive policies are ORed, so this one lets the roles it names read or write, whatever their territory, the rows its expressions accept',
            'DROP POLICY hor_write_kept ON hor.solar_roofs, as the table''s owner, after checking what it lets through.')$$,
  'a permissive policy added, or one of this build''s renamed, is listed; a restrictive one added is not (before: nothing)');
DROP POLICY hor_open ON hor.buildings;
DROP POLICY hor_write_kept ON hor.solar_roofs;
DROP POLICY hor_narrow ON hor.premises;

-- 6. a restrictive security policy made permissive (same name, roles and expressions), and
-- the platform administrator's policy given to PUBLIC: listed already before (the policy
-- compared whole)
DROP POLICY sr_confidential_territory ON hor.zae_establishments;
SELECT replace(smartregion._hub_security_policy_ddl('hor', 'zae_establishments', 'sr_confidential_territory'), ' AS RESTRICTIVE ', ' AS PERMISSIVE ') \gexec
ALTER POLICY sr_platform_admin ON hor.buildings TO PUBLIC;
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 1) FROM smartregion.trust_problems() WHERE object LIKE '%hor.%' ORDER BY object$$,
  $$VALUES ('policy sr_confidential_territory on hor.zae_establishments',
            'the schema of a hub holds policy sr_confidential_territory of table zae_establishments in a version this build does not write (an older build''s, or changed since)'),
           ('policy sr_platform_admin on hor.buildings',
            'the schema of a hub holds policy sr_platform_admin of table buildings in a version this build does not write (an older build''s, or changed since)')$$,
  'a restrictive policy made permissive, a policy given to PUBLIC: listed (as before)');
DROP POLICY sr_confidential_territory ON hor.zae_establishments;
DROP POLICY sr_platform_admin ON hor.buildings;
SELECT smartregion._hub_security_policy_ddl('hor', t, p) FROM (VALUES ('zae_establishments', 'sr_confidential_territory'), ('buildings', 'sr_platform_admin')) v(t, p) \gexec

-- 7. a template's index replaced by one of the same name, partial or not unique: listed
-- (before: taken for it); the harm: a request with two accepted proposals
DROP INDEX hor.tl_proposal_one_accepted;
CREATE INDEX tl_proposal_one_accepted ON hor.tl_proposal (request_id) WHERE status = 'accepted';
DROP INDEX hor.premises_owner_idx;
CREATE INDEX premises_owner_idx ON hor.premises (owner) WHERE false;
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 2), fix FROM smartregion.trust_problems() WHERE object LIKE '%hor.%' ORDER BY object$$,
  $$VALUES ('index hor.premises_owner_idx', 'may let through what this build refuses (an index not unique, partial, or on other columns or rows than this build''s',
            'DROP INDEX hor.premises_owner_idx, then SELECT smartregion.create_hub(''hor'') again, as the hub''s owner.'),
           ('index hor.tl_proposal_one_accepted', 'may let through what this build refuses (an index not unique, partial, or on other columns or rows than this build''s',
            'DROP INDEX hor.tl_proposal_one_accepted, then SELECT smartregion.create_hub(''hor'') again, as the hub''s owner.')$$,
  'an index replaced by a partial one, a unique one by one that is not: listed (before: nothing)');
DROP INDEX hor.tl_proposal_one_accepted;
DROP INDEX hor.premises_owner_idx;
CREATE UNIQUE INDEX tl_proposal_one_accepted ON hor.tl_proposal (request_id) WHERE status = 'accepted';
CREATE INDEX premises_owner_idx ON hor.premises (owner);
SELECT is((SELECT count(*)::int FROM smartregion._hub_template_objects('hor', 2154) o
            WHERE o.kind = 'index' AND o.object_name = 'tl_proposal_one_accepted'
              AND o.ddl = 'CREATE UNIQUE INDEX IF NOT EXISTS tl_proposal_one_accepted ON hor.tl_proposal (request_id) WHERE status = ''accepted'''), 1,
          '_hub_template_objects: the template''s index with its statement as written (its shape until h4)');

-- 8. a role that may not read smartregion.hub_table gets none of these rows; a reader (who
-- may, with USAGE on the hub's schema) gets them, the policies included
ALTER TABLE hor.buildings DISABLE ROW LEVEL SECURITY;
CREATE POLICY hor_open ON hor.premises USING (true);
CREATE ROLE hor_nobody;
GRANT USAGE ON SCHEMA smartregion TO hor_nobody;
SELECT is(pg_temp.as_role('hor_nobody', $$SELECT count(*)::text FROM smartregion.trust_problems() WHERE object LIKE '%hor.%'$$), '0',
          'a role that may not read the templates gets no row of the hub''s objects');
SELECT is(pg_temp.as_role('hor_r', $$SELECT string_agg(object, ', ' ORDER BY object) FROM smartregion.trust_problems() WHERE object LIKE '%hor.%'$$),
          'policy hor_open on hor.premises, row-level security of table hor.buildings',
          'a reader (USAGE on the hub) gets both rows');

SELECT * FROM finish();
ROLLBACK;
