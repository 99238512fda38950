-- pgTAP: the hub's write policy split by command (2026-12-07, h2; docs/security.md, "The write
-- policy split by command").  Before, every hub table under territory security had
-- sr_territory_write, FOR ALL USING <mine> WITH CHECK <mine>: FOR ALL applies to SELECT too,
-- so an agent's SELECT ORed it with sr_territory_read (public OR mine), the same rows, but
-- evaluated it on every row read.  Now sr_territory_insert (FOR INSERT WITH CHECK mine),
-- sr_territory_update (FOR UPDATE USING mine WITH CHECK mine) and sr_territory_delete (FOR
-- DELETE USING mine).  Pinned here: the review's premise on every table (the read policy
-- lets through every row the write ones do), what two agents of different territories read
-- and write (the same as before), the plan of an agent's SELECT, and a hub secured by the
-- older build (trust_problems, then securing it again).
-- On the build before, 11 of the 31 fail (1-4, 10-12, 27-30: its FOR ALL policy, its plan,
-- trust_problems and enable_territory_security knowing nothing of the split); the behaviour
-- ones (5-9, 13-26, 31) pass on both: the split changes no row any role reads or writes.
BEGIN;
SELECT plan(31);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tws_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tws_hub') \gset
CREATE ROLE tws_reader IN ROLE smartregion_reader;
CREATE ROLE tws_a IN ROLE smartregion_agent;
CREATE ROLE tws_b IN ROLE smartregion_agent;
INSERT INTO tws_hub.agents VALUES ('tws_a', '91326'), ('tws_b', '91479');
-- two territories, a public and a restricted project each
INSERT INTO tws_hub.projects (id, name, territory_code, visibility) VALUES
  (1, 'public of 91326', '91326', 'public'), (2, 'restricted of 91326', '91326', 'restricted'),
  (3, 'public of 91479', '91479', 'public'), (4, 'restricted of 91479', '91479', 'restricted');

-- 1-3. the policies: no FOR ALL policy for every role on any hub table (sr_platform_admin and
-- sr_agents_territory_admin name their group), and each table under territory security has the
-- read policy and the three write ones
SELECT policies_are('tws_hub', 'projects',
                    ARRAY['sr_territory_read', 'sr_territory_insert', 'sr_territory_update', 'sr_territory_delete', 'sr_platform_admin'],
                    'projects: the read policy, one write policy a command, the platform administrator''s');
SELECT is_empty($$SELECT tablename || '.' || policyname FROM pg_policies
                   WHERE schemaname = 'tws_hub' AND cmd = 'ALL' AND roles = '{public}'$$,
                'no hub table has a FOR ALL policy applying to every role (sr_territory_write is gone)');
SELECT is((SELECT string_agg(DISTINCT policyname || ' ' || cmd || ' ' || permissive, ', ' ORDER BY policyname || ' ' || cmd || ' ' || permissive)
             FROM pg_policies WHERE schemaname = 'tws_hub' AND policyname LIKE 'sr\_territory\_%' AND policyname <> 'sr_territory_admins_self'),
          'sr_territory_delete DELETE PERMISSIVE, sr_territory_insert INSERT PERMISSIVE, sr_territory_read SELECT PERMISSIVE, sr_territory_update UPDATE PERMISSIVE',
          'the territory policies: one command each, permissive');

-- 4-6. the review's premise, on every table with the write policies: its read policy exists,
-- applies to every role, and is "public OR <the write policies' test>", the very expression:
-- so "read OR write" lets through the rows "read" does, and removing the write policy from
-- SELECT changes no row any role reads
SELECT is((SELECT count(DISTINCT tablename)::int FROM pg_policies WHERE schemaname = 'tws_hub' AND policyname = 'sr_territory_update'),
          (SELECT count(*)::int FROM pg_class c WHERE c.relnamespace = 'tws_hub'::regnamespace AND c.relkind = 'r' AND c.relrowsecurity
              AND c.relname NOT IN ('agents', 'territory_admins', 'consents')),
          'every table under territory security (but the platform''s three) has the write policies');
SELECT is_empty($$SELECT u.tablename FROM pg_policies u
                    LEFT JOIN pg_policies r ON r.schemaname = u.schemaname AND r.tablename = u.tablename AND r.policyname = 'sr_territory_read'
                   WHERE u.schemaname = 'tws_hub' AND u.policyname = 'sr_territory_update'
                     AND (r.qual IS DISTINCT FROM '((visibility = ''public''::smartregion.visibility) OR ' || u.qual || ')'
                          OR r.roles <> '{public}' OR r.permissive <> 'PERMISSIVE' OR r.cmd <> 'SELECT')$$,
                'on every such table sr_territory_read is permissive, for every role, and "public OR" the update policy''s USING');
SELECT is_empty($$SELECT u.tablename FROM pg_policies u
                    JOIN pg_policies i ON i.schemaname = u.schemaname AND i.tablename = u.tablename AND i.policyname = 'sr_territory_insert'
                    JOIN pg_policies d ON d.schemaname = u.schemaname AND d.tablename = u.tablename AND d.policyname = 'sr_territory_delete'
                   WHERE u.schemaname = 'tws_hub' AND u.policyname = 'sr_territory_update'
                     AND (u.with_check IS DISTINCT FROM u.qual OR i.with_check IS DISTINCT FROM u.qual OR d.qual IS DISTINCT FROM u.qual
                          OR i.qual IS NOT NULL OR u.roles <> '{public}' OR i.roles <> '{public}' OR d.roles <> '{public}')$$,
                'the insert, update and delete policies test the same territory expression, for every role');

-- 7-9. reads: public rows and the agent's own, as before (hand-listed)
SELECT is(pg_temp.as_role('tws_a', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tws_hub.projects'), '1,2,3',
          'agent of 91326 reads the two public projects and its restricted one');
SELECT is(pg_temp.as_role('tws_b', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tws_hub.projects'), '1,3,4',
          'agent of 91479 reads the two public projects and its restricted one');
SELECT is(pg_temp.as_role('tws_reader', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tws_hub.projects'), '1,3',
          'the reader reads the public projects only');

-- 10-12. the plan of an agent's SELECT: the read policy's two hashed subplans (its two
-- territory tests), not the write policy's two more (4 before).  PostgreSQL 17's EXPLAIN
-- shows a hashed subplan by the test it makes, "(ANY (territory_code = (hashed SubPlan
-- 1).col1))" where 15 and 16 print "(hashed SubPlan 1)" (its release notes: "Improve
-- EXPLAIN's display of SubPlan nodes"), the same plan: 11 expects each version's text, 12
-- counts the distinct subplans named in the filters (17 names SubPlan 2 once a column)
CREATE FUNCTION pg_temp.plan_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE l text; res text := '';
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  FOR l IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP res := res || l || E'\n'; END LOOP;
  RESET ROLE;
  RETURN res;
END $$;
SELECT is((SELECT count(*)::int FROM regexp_matches(pg_temp.plan_of('tws_a', 'SELECT * FROM tws_hub.projects'), '^\s*SubPlan \d+$', 'gn')),
          2, 'an agent''s SELECT runs two subplans (the read policy''s), not four');
SELECT matches(pg_temp.plan_of('tws_a', 'SELECT * FROM tws_hub.projects'),
               CASE WHEN current_setting('server_version_num')::int >= 170000
                    THEN 'Filter: \(\(visibility = ''public''::smartregion.visibility\) OR \(\(territory_type IS NULL\) AND \(ANY \(territory_code = \(hashed SubPlan 1\)\.col1\)\)\) OR \(ANY \(\(territory_type = \(hashed SubPlan 2\)\.col1\) AND \(territory_code = \(hashed SubPlan 2\)\.col2\)\)\)\)'
                    ELSE 'Filter: \(\(visibility = ''public''::smartregion.visibility\) OR \(\(territory_type IS NULL\) AND \(hashed SubPlan 1\)\) OR \(hashed SubPlan 2\)\)' END,
               'its filter: public, or of its territories, once');
SELECT is((SELECT count(DISTINCT m[1])::int FROM regexp_matches(pg_temp.plan_of('tws_a', 'SELECT * FROM tws_hub.solar_roof_cells'), 'hashed SubPlan (\d+)', 'g') m),
          2, 'the same on the roof cells (the tiles'' table): two subplans in the filter');

-- 13-16. inserts: own territory only
SELECT is(pg_temp.as_role('tws_a', $$INSERT INTO tws_hub.projects (id, name, territory_code, visibility)
            VALUES (5, 'new of 91326', '91326', 'restricted') RETURNING id::text$$, true), '5',
          'agent of 91326 inserts a row of its territory (RETURNING: it reads it back)');
SELECT is(pg_temp.as_role('tws_a', $$INSERT INTO tws_hub.projects (id, name, territory_code) VALUES (6, 'x', '91479') RETURNING 'inserted'$$),
          '42501', 'agent of 91326 cannot insert a row of 91479');
SELECT is(pg_temp.as_role('tws_a', $$INSERT INTO tws_hub.projects (id, name, territory_code, visibility) VALUES (6, 'x', '91479', 'public')$$),
          '42501', '... nor a public one');
-- an upsert onto another territory's row: the insert passes its check, the update is refused
SELECT is(pg_temp.as_role('tws_b', $$INSERT INTO tws_hub.projects (id, name, territory_code) VALUES (1, 'taken', '91479')
            ON CONFLICT (id) DO UPDATE SET name = 'taken' RETURNING 'upserted'$$),
          '42501', 'agent of 91479 cannot take a row of 91326 by INSERT ... ON CONFLICT DO UPDATE');

-- 17-22. updates: own rows only, never into another territory
SELECT is(pg_temp.as_role('tws_a', $$WITH u AS (UPDATE tws_hub.projects SET name = 'renamed' WHERE id IN (1, 2, 3, 4) RETURNING id)
            SELECT string_agg(id::text, ',' ORDER BY id) FROM u$$), '1,2',
          'agent of 91326 updates its two rows, not 91479''s public or restricted one');
SELECT is(pg_temp.as_role('tws_a', $$WITH u AS (UPDATE tws_hub.projects SET name = 'renamed' RETURNING id)
            SELECT string_agg(id::text, ',' ORDER BY id) FROM u$$), '1,2,5',
          '... nor with no WHERE clause (only the update policy filters)');
SELECT is(pg_temp.as_role('tws_a', $$UPDATE tws_hub.projects SET territory_code = '91479' WHERE id = 2 RETURNING 'moved'$$),
          '42501', 'agent of 91326 cannot move its row into 91479');
SELECT is(pg_temp.as_role('tws_a', $$UPDATE tws_hub.projects SET territory_code = '91479' WHERE id = 1 RETURNING 'moved'$$),
          '42501', '... nor its public row');
SELECT is(pg_temp.as_role('tws_b', $$SELECT string_agg(id::text, ',' ORDER BY id) FROM (SELECT id FROM tws_hub.projects FOR UPDATE) q$$),
          '3,4', 'SELECT ... FOR UPDATE: agent of 91479 locks its own rows only, not the public row of 91326 it reads');
SELECT is(pg_temp.as_role('tws_b', $$UPDATE tws_hub.projects SET visibility = 'restricted' WHERE id = 3 RETURNING visibility::text$$),
          'restricted', 'agent of 91479 restricts its public row, and reads it back (RETURNING)');

-- 23-25. deletes: own rows only
SELECT is(pg_temp.as_role('tws_a', $$WITH d AS (DELETE FROM tws_hub.projects WHERE id IN (3, 4) RETURNING id) SELECT count(*)::text FROM d$$),
          '0', 'agent of 91326 deletes neither row of 91479 (public or restricted)');
SELECT is(pg_temp.as_role('tws_a', $$WITH d AS (DELETE FROM tws_hub.projects RETURNING id) SELECT string_agg(id::text, ',' ORDER BY id) FROM d$$),
          '1,2,5', '... a DELETE without WHERE takes its own rows only');
SELECT is(pg_temp.as_role('tws_reader', $$WITH d AS (DELETE FROM tws_hub.projects RETURNING id) SELECT count(*)::text FROM d$$),
          '42501', 'the reader deletes nothing (no privilege)');

-- 26-31. a hub secured by the older build: its FOR ALL policy in that build's text on every
-- table but buildings, the three new ones not there; buildings' in another text (a hub
-- secured before the territory types: code only).  (Altered before the first trust_problems
-- call: _hub_policy_stale remembers a policy by its row version's xmin, the same for a policy
-- created and altered in one transaction)
DO $$
DECLARE t name;
BEGIN
  FOR t IN SELECT DISTINCT tablename FROM pg_policies WHERE schemaname = 'tws_hub' AND policyname = 'sr_territory_update' LOOP
    EXECUTE format('DROP POLICY sr_territory_insert ON tws_hub.%I', t);
    EXECUTE format('DROP POLICY sr_territory_update ON tws_hub.%I', t);
    EXECUTE format('DROP POLICY sr_territory_delete ON tws_hub.%I', t);
    EXECUTE format('CREATE POLICY sr_territory_write ON tws_hub.%1$I FOR ALL USING %2$s WITH CHECK %2$s', t,
                   smartregion._territory_mine_sql('tws_hub', 'territory_type', 'territory_code'));
  END LOOP;
END $$;
ALTER POLICY sr_territory_write ON tws_hub.buildings USING (territory_code = ANY (SELECT a.territory_code FROM tws_hub.agents a
  WHERE a.role_name = CURRENT_USER));
SELECT is(pg_temp.as_role('tws_a', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tws_hub.projects'), '1,2,3,5',
          'under the older policy the agent of 91326 reads the same rows (5: its insert above)');
-- (the rows of projects; every table's the same: counted below)
SELECT results_eq(
  $$SELECT object, problem FROM smartregion.trust_problems() WHERE object LIKE '% on tws\_hub.projects' ORDER BY object$$,
  $$VALUES ('policy sr_territory_delete on tws_hub.projects',
            'the schema of a hub lacks policy sr_territory_delete of table projects, which this build writes: not a leak: the older build''s sr_territory_write (FOR ALL) lets the same rows through, as strictly; slower: every row an agent reads evaluates it too'),
           ('policy sr_territory_insert on tws_hub.projects',
            'the schema of a hub lacks policy sr_territory_insert of table projects, which this build writes: not a leak: the older build''s sr_territory_write (FOR ALL) lets the same rows through, as strictly; slower: every row an agent reads evaluates it too'),
           ('policy sr_territory_update on tws_hub.projects',
            'the schema of a hub lacks policy sr_territory_update of table projects, which this build writes: not a leak: the older build''s sr_territory_write (FOR ALL) lets the same rows through, as strictly; slower: every row an agent reads evaluates it too'),
           ('policy sr_territory_write on tws_hub.projects',
            'the schema of a hub holds policy sr_territory_write of table projects, an older build''s, which this build no longer writes: not a leak: the same rows are read and written without it, slower: every row an agent reads evaluates this FOR ALL policy too')$$,
  'trust_problems: the three policies missing and the older one, each "not a leak", slower');
SELECT is((SELECT count(*)::int FROM smartregion.trust_problems() WHERE object LIKE 'policy sr\_territory\_% on tws\_hub.%'
              AND problem ~ ': not a leak: ' AND problem ~ 'slower'
              AND fix = 'SELECT smartregion.enable_territory_security(''tws_hub''), as the hub''s owner (grant_roles runs it too).'),
          4 * (SELECT count(DISTINCT tablename)::int - 1 FROM pg_policies WHERE schemaname = 'tws_hub' AND policyname = 'sr_territory_write'),
          'four such rows a table (but buildings), each fixed by enable_territory_security');
-- the older policy in another text is not "the same rows"
SELECT is((SELECT string_agg(DISTINCT split_part(problem, ': ', 2), ', ') FROM smartregion.trust_problems()
            WHERE object LIKE 'policy sr\_territory\_% on tws\_hub.buildings'),
          'its rows are filtered by another rule than this build''s',
          'an older write policy in another text: its rows filtered by another rule, not "the same rows"');
-- securing the hub again: the older policy dropped, the three written, nothing listed
SELECT count(*) > 0 AS again FROM smartregion.enable_territory_security('tws_hub') \gset
SELECT is((SELECT count(*)::int FROM pg_policies WHERE schemaname = 'tws_hub' AND policyname = 'sr_territory_write'), 0,
          'enable_territory_security drops the older write policy on every table');
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%tws\_hub%'$$,
                '... writes the three, and trust_problems lists nothing of the hub');

SELECT * FROM finish();
ROLLBACK;
