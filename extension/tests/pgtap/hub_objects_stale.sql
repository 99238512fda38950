-- pgTAP: the other per-hub objects of a hub made by an older build (docs/platform.md, "Hubs
-- made by an older build"; 2026-12-07, h2).  Before, trust_problems() listed a hub's
-- functions and tables only: a hub kept its older row-level security policies (such as
-- sr_agents_territory_admin before PostgreSQL 16's SET option), and lacked the triggers,
-- columns and indexes added since (sr_restricted_by_hand, restricted_with_parent, the
-- indexes of the data subjects' requests and of recorded_at) until create_hub or
-- enable_territory_security ran on it again, and nothing said so.  Now each is one row,
-- with what it changes (a leak, fail closed, slower) and its fix; found in what this build
-- writes (the templates parsed, the security policies' own text), not in a list.
BEGIN;
SELECT plan(21);
SET LOCAL client_min_messages = warning;

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hos_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hos_hub') \gset

-- 1. a hub made by this build: nothing of it is listed
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hos\_hub%'$$,
                'a hub made by this build: trust_problems lists none of its objects');

-- 2. every policy, trigger and index (but those of a constraint) of a fresh hub, dropped, is
-- listed: what the check expects covers what this build writes (a new one fails here); the
-- two triggers of a DO block of the roof cells' template, sr_cells_tile_key_insert and
-- sr_cells_tile_key_update, included since 2026-12-07 (h1: the statements of a DO block are
-- read; before, the parser saw the block as a string, and they were the known exception)
SAVEPOINT every;
CREATE TEMP TABLE hos_made AS
SELECT format('policy %I on hos_hub.%I', p.polname, c.relname) AS object, format('DROP POLICY %I ON hos_hub.%I', p.polname, c.relname) AS stmt
  FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = 'hos_hub'::regnamespace
UNION ALL
SELECT format('trigger %I on hos_hub.%I', t.tgname, c.relname), format('DROP TRIGGER %I ON hos_hub.%I', t.tgname, c.relname)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'hos_hub'::regnamespace AND NOT t.tgisinternal
UNION ALL
SELECT format('index hos_hub.%I', c.relname), format('DROP INDEX hos_hub.%I', c.relname)
  FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relnamespace = 'hos_hub'::regnamespace
   AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = i.indexrelid);
-- (a hub has about 250 of them: 259 on 2026-12-07; at least the policies of the 30-odd tables)
SELECT cmp_ok((SELECT count(*) FROM hos_made), '>', 200::bigint, 'the fresh hub''s policies, triggers and indexes are counted');
DO $$ DECLARE r record; BEGIN FOR r IN SELECT stmt FROM hos_made LOOP EXECUTE r.stmt; END LOOP; END $$;
SELECT is_empty($$SELECT object FROM hos_made EXCEPT SELECT object FROM smartregion.trust_problems()$$,
                'every policy, trigger and index of the hub, dropped, is listed (the two of a DO block too)');
ROLLBACK TO SAVEPOINT every;

-- 2b. a tile key trigger of the roof cells (made in a DO block of their template) dropped: a
-- cell moved meanwhile keeps the key of its old place, and solar_tile misses it in the tiles of
-- its new one.  Listed with that effect and its fix, which keys the cell again by its place
-- (the z24 Morton code of its centre in Web Mercator: _tile_key, the column's rule).  The cell:
-- a 2 m square of roof in Lambert-93 near Lyon, moved 1 km east
SAVEPOINT tile_key;
INSERT INTO hos_hub.solar_roof_cells (building_id, face, geom, territory_code, visibility)
VALUES (1, 0, ST_GeomFromText('POLYGON Z ((842000 6519000 200, 842002 6519000 200, 842002 6519002 200, 842000 6519002 200, 842000 6519000 200))', 2154),
        '69381', 'public');
DROP TRIGGER sr_cells_tile_key_update ON hos_hub.solar_roof_cells;
UPDATE hos_hub.solar_roof_cells SET geom = ST_Translate(geom, 1000, 0, 0);
SELECT results_eq(
  $$SELECT object, problem, fix FROM smartregion.trust_problems() WHERE object LIKE '%hos\_hub%'$$,
  $$VALUES ('trigger sr_cells_tile_key_update on hos_hub.solar_roof_cells',
            'the schema of a hub lacks trigger sr_cells_tile_key_update of table solar_roof_cells, which this build writes: '
            'not a leak: a cell written meanwhile keeps no tile key, or one that is not its place''s (the key its writer gave, or its place''s before a move): '
            'solar_tile reads a cell without a key in every tile (slower), and misses one with a wrong key in the tiles it overlaps',
            'SELECT smartregion.create_hub(''hos_hub'') again, as the hub''s owner, then UPDATE hos_hub.solar_roof_cells SET tile_key = NULL, which keys every cell again by its place (the trigger replaces the NULL).')$$,
  'a tile key trigger of the roof cells dropped: listed, with its effect and fix (before: not listed)');
SELECT is((SELECT tile_key FROM hos_hub.solar_roof_cells),
          (SELECT smartregion._tile_key(ST_AsEWKB(ST_Transform(ST_GeomFromText('POLYGON Z ((842000 6519000 200, 842002 6519000 200, 842002 6519002 200, 842000 6519002 200, 842000 6519000 200))', 2154), 3857)))),
          'the moved cell keeps the key of its old place');
SELECT count(*) > 0 AS again FROM smartregion.create_hub('hos_hub') \gset
UPDATE hos_hub.solar_roof_cells SET tile_key = NULL;
SELECT is((SELECT tile_key FROM hos_hub.solar_roof_cells),
          (SELECT smartregion._tile_key(ST_AsEWKB(ST_Transform(ST_Translate(ST_GeomFromText('POLYGON Z ((842000 6519000 200, 842002 6519000 200, 842002 6519002 200, 842000 6519002 200, 842000 6519000 200))', 2154), 1000, 0, 0), 3857)))),
          'the fix: the moved cell keyed by its new place');
ROLLBACK TO SAVEPOINT tile_key;

-- 3. a hub made by an older build, simulated: a trigger and a column added since missing (the
-- column's own trigger goes with it), the territory administrators' policy in its text before
-- PostgreSQL 16's SET (e5e26e0^: MEMBER of smartregion_agent), a subject-request index and a
-- recorded_at index missing
DROP TRIGGER sr_restricted_by_hand ON hos_hub.solar_roofs;
ALTER TABLE hos_hub.solar_roof_cells DROP COLUMN restricted_with_parent CASCADE;
SELECT format(
  'ALTER POLICY sr_agents_territory_admin ON hos_hub.agents WITH CHECK (role_name OPERATOR(pg_catalog.<>) CURRENT_USER AND %s AND EXISTS ('
  'SELECT 1 FROM pg_catalog.pg_roles r, pg_catalog.pg_roles g WHERE r.rolname OPERATOR(pg_catalog.=) role_name '
  'AND g.rolname OPERATOR(pg_catalog.=) ''smartregion_agent'' AND pg_catalog.pg_has_role(r.oid, g.oid, ''MEMBER'') '
  'AND NOT pg_catalog.pg_has_role(r.oid, ''MEMBER'') AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m '
  'WHERE m.roleid OPERATOR(pg_catalog.=) r.oid)))',
  smartregion._territory_mine_sql('hos_hub', 'territory_type', 'territory_code', 'territory_admins')) \gexec
DROP INDEX hos_hub.premises_owner_idx;
DROP INDEX hos_hub.tl_history_recorded_at_idx;

-- (the rows expected: object, then the fix; the objects as trust_problems names them)
SELECT results_eq(
  $$SELECT object, fix FROM smartregion.trust_problems() WHERE object LIKE '%hos\_hub%' ORDER BY object$$,
  $$VALUES ('column hos_hub.solar_roof_cells.restricted_with_parent',
            'SELECT smartregion.create_hub(''hos_hub'') again, as the hub''s owner, then SELECT smartregion.grant_roles(''hos_hub'').'),
           ('index hos_hub.premises_owner_idx', 'SELECT smartregion.create_hub(''hos_hub'') again, as the hub''s owner.'),
           ('index hos_hub.tl_history_recorded_at_idx', 'SELECT smartregion.create_hub(''hos_hub'') again, as the hub''s owner.'),
           ('policy sr_agents_territory_admin on hos_hub.agents',
            'SELECT smartregion.enable_territory_security(''hos_hub''), as the hub''s owner (grant_roles runs it too).'),
           ('trigger sr_restricted_by_hand on hos_hub.solar_roof_cells', 'SELECT smartregion.create_hub(''hos_hub'') again, as the hub''s owner.'),
           ('trigger sr_restricted_by_hand on hos_hub.solar_roofs', 'SELECT smartregion.create_hub(''hos_hub'') again, as the hub''s owner.')$$,
  'a hub made by an older build: each missing or older object is one row, with its fix');
-- what each changes, said in the row
SELECT matches((SELECT problem FROM smartregion.trust_problems() WHERE object = 'policy sr_agents_territory_admin on hos_hub.agents'),
               '^the schema of a hub holds policy sr_agents_territory_admin of table agents in a version this build does not write',
               'the older policy: "holds ... in a version this build does not write"');
SELECT matches((SELECT problem FROM smartregion.trust_problems() WHERE object = 'column hos_hub.solar_roof_cells.restricted_with_parent'),
               'lacks column restricted_with_parent of table solar_roof_cells, which this build writes: not a leak: .*fail closed',
               'the missing mark: not a leak, fail closed');
SELECT matches((SELECT problem FROM smartregion.trust_problems() WHERE object = 'trigger sr_restricted_by_hand on hos_hub.solar_roofs'),
               'lacks trigger sr_restricted_by_hand of table solar_roofs, which this build writes: may be a leak',
               'the missing trigger clearing a mark: may be a leak');
SELECT matches((SELECT problem FROM smartregion.trust_problems() WHERE object = 'index hos_hub.premises_owner_idx'),
               'lacks index premises_owner_idx of table premises, which this build writes: not a leak: the same answers, slower',
               'the missing index: not a leak, slower');
SELECT is((SELECT _hub_policy_stale FROM smartregion._hub_policy_stale('hos_hub',
             smartregion._hub_security_policy_ddl('hos_hub', 'agents', 'sr_agents_territory_admin'))),
          'differs', '_hub_policy_stale: the older WITH CHECK differs');
SELECT is((SELECT _hub_policy_stale FROM smartregion._hub_policy_stale('hos_hub',
             smartregion._hub_security_policy_ddl('hos_hub', 'agents', 'sr_agents_self'))),
          NULL, '_hub_policy_stale: a policy as this build writes it is current');

-- 4. a policy of a template (its roles changed) and a security policy dropped (a restrictive
-- one: a leak; a permissive one: fail closed)
SAVEPOINT more;
ALTER POLICY sr_tl_premise_ends ON hos_hub.tl_history TO smartregion_agent;
DROP POLICY sr_confidential_territory ON hos_hub.zae_establishments;
DROP POLICY sr_territory_read ON hos_hub.buildings;
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 2) FROM smartregion.trust_problems()
     WHERE object LIKE 'policy%hos\_hub%' AND object NOT LIKE '%sr_agents_territory_admin%' ORDER BY object$$,
  $$VALUES ('policy sr_confidential_territory on hos_hub.zae_establishments', 'a leak'),
           ('policy sr_territory_read on hos_hub.buildings', 'not a leak'),
           ('policy sr_tl_premise_ends on hos_hub.tl_history', 'its rows are filtered by another rule than this build''s')$$,
  'a template''s policy with other roles differs; a restrictive policy missing is a leak, a permissive one is not');
ROLLBACK TO SAVEPOINT more;

-- 5. the privilege rule of _hub_functions_stale: a role that may not read the templates gets
-- none of these rows
CREATE ROLE hos_nobody;
GRANT USAGE ON SCHEMA smartregion TO hos_nobody;
SET LOCAL ROLE hos_nobody;
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hos\_hub%' AND object !~ '^(function|table) '$$,
                'a role that may not read smartregion.hub_table gets no row of the hub''s objects');
RESET ROLE;

-- 6. the fix: create_hub again (which runs enable_territory_security on a hub under
-- territory security), then grant_roles: nothing listed again
SELECT count(*) > 0 AS again FROM smartregion.create_hub('hos_hub') \gset
SELECT count(*) > 0 AS regranted FROM smartregion.grant_roles('hos_hub') \gset
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hos\_hub%'$$,
                'after create_hub and grant_roles, nothing of the hub is listed');
SELECT has_trigger('hos_hub', 'solar_roofs', 'sr_restricted_by_hand', 'create_hub added the trigger again');
SELECT has_column('hos_hub', 'solar_roof_cells', 'restricted_with_parent', 'create_hub added the column again');
SELECT has_index('hos_hub', 'premises', 'premises_owner_idx', 'create_hub added the index again');

-- 7. a policy altered in the transaction that wrote it, after a trust_problems found it
-- current: ALTER POLICY writes a new row version with the same xmin (this transaction's; no
-- savepoint here, which would give it a subtransaction's), so before 2026-12-07 (h11) the
-- memo of _hub_policy_stale, keyed on (oid, xmin), answered "current" and the change went
-- unlisted.  sr_territory_read on buildings is the hub's permissive rule of reading by
-- territory: USING (true) lets every agent read every territory's buildings
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object = 'policy sr_territory_read on hos_hub.buildings'$$,
                'before the change: sr_territory_read on buildings is current (and remembered)');
ALTER POLICY sr_territory_read ON hos_hub.buildings USING (true);
SELECT matches((SELECT problem FROM smartregion.trust_problems() WHERE object = 'policy sr_territory_read on hos_hub.buildings'),
               '^the schema of a hub holds policy sr_territory_read of table buildings in a version this build does not write',
               'altered to USING (true) later in the same transaction: listed as differing (before: the memo said current)');

SELECT * FROM finish();
ROLLBACK;
