-- pgTAP: a hub through DROP EXTENSION smartregion CASCADE, CREATE EXTENSION and create_hub
-- (docs/platform.md, "DROP EXTENSION with a hub"): what a reader, the agents of two
-- territories and the platform administrator read and write before, in between and after.
-- Everything, the extension's drop included, is rolled back.
-- The hub's own functions, written into it by create_hub (three of them SECURITY DEFINER,
-- the hub owner's), are the extension's (DEPENDS ON EXTENSION): the cascade takes them and
-- their triggers, create_hub makes them again.  Before (2026-12-07), _tl_places,
-- _zae_zone_history_hidden (both SECURITY DEFINER) and _tl_history_notify, whose string
-- bodies record no dependency, stayed in the hub with their triggers, managed by nobody.
BEGIN;
SELECT plan(35);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
SELECT count(*) >= 0 AS groups FROM smartregion.create_roles() \gset
CREATE ROLE tap_dx_reader IN ROLE smartregion_reader;
CREATE ROLE tap_dx_a IN ROLE smartregion_agent;    -- acts for the commune 91326
CREATE ROLE tap_dx_b IN ROLE smartregion_agent;    -- acts for the commune 91479
CREATE ROLE tap_dx_padmin IN ROLE smartregion_platform_admin;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tap_dx') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tap_dx') \gset
INSERT INTO tap_dx.agents (role_name, territory_code) VALUES ('tap_dx_a', '91326'), ('tap_dx_b', '91479');
-- 1 and 3 restricted, 2 and 4 public; 1 and 2 of 91479, 3 and 4 of 91326; holder is personal data
INSERT INTO tap_dx.projects (id, name, holder, territory_code, visibility) VALUES
  (1, 'secret of 91479', 'alice@example.org', '91479', 'restricted'), (2, 'open of 91479', NULL, '91479', 'public'),
  (3, 'secret of 91326', 'bob@example.org', '91326', 'restricted'), (4, 'open of 91326', NULL, '91326', 'public');

-- before: the public rows, and each agent's territory's restricted row
SELECT is(pg_temp.as_role('tap_dx_reader', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '2,4', 'before: the reader reads the public projects');
SELECT is(pg_temp.as_role('tap_dx_a', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '2,3,4', 'before: the agent of 91326 reads the public projects and its own');
SELECT is(pg_temp.as_role('tap_dx_b', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '1,2,4', 'before: the agent of 91479 reads the public projects and its own');

-- the hub's functions (create_hub's DDL: 45-tierslieux-requests.sql writes the four _tl_*,
-- 50-zones.sql _zae_zone_history_hidden; SECURITY DEFINER: _tl_places, _tl_places_left and
-- _zae_zone_history_hidden), each with an automatic dependency ('x') on the extension
CREATE FUNCTION pg_temp.hub_functions() RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(p.proname || CASE WHEN p.prosecdef THEN ' definer' ELSE '' END
                             || CASE WHEN EXISTS (SELECT FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid
                                                   WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                                                     AND e.extname = 'smartregion' AND d.deptype = 'x')
                                     THEN ' x' ELSE '' END, ',' ORDER BY p.proname), '')
    FROM pg_proc p WHERE p.pronamespace = 'tap_dx'::regnamespace $$;
SELECT is(pg_temp.hub_functions(),
          '_tl_history_notify x,_tl_places definer x,_tl_places_left definer x,_tl_places_seen x,_zae_zone_history_hidden definer x',
          'before: the hub''s five functions, three SECURITY DEFINER, each depending on the extension');

DROP EXTENSION smartregion CASCADE;
SELECT is(pg_temp.hub_functions(), '', 'the cascade drops every function of the hub, the SECURITY DEFINER ones included');
SELECT is((SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prosecdef AND p.proname IN ('_tl_places', '_tl_places_left', '_zae_zone_history_hidden')),
          0, '... no SECURITY DEFINER function of a hub is left in any schema');
SELECT is((SELECT count(*)::int FROM pg_trigger WHERE tgname IN ('sr_tl_places', 'sr_tl_history_notify')
              AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'tap_dx'::regnamespace)),
          0, '... and their triggers (sr_tl_places on three tables, sr_tl_history_notify)');
SELECT is((SELECT count(*)::int FROM pg_attribute WHERE attrelid = 'tap_dx.projects'::regclass AND attname = 'visibility' AND NOT attisdropped),
          0, 'the cascade drops the visibility column');
SELECT is((SELECT count(*)::int FROM pg_policies WHERE schemaname = 'tap_dx' AND policyname IN ('sr_territory_read', 'sr_territory_insert', 'sr_territory_update', 'sr_territory_delete')),
          0, '... and the territory policies');
SELECT ok((SELECT relrowsecurity FROM pg_class WHERE oid = 'tap_dx.projects'::regclass), '... not row-level security');
-- in between: fail closed, but for the platform administrator (its policy names no object of the extension)
SELECT is(pg_temp.as_role('tap_dx_reader', 'SELECT count(*) FROM tap_dx.projects'), '0', 'in between: the reader reads no project');
SELECT is(pg_temp.as_role('tap_dx_a', 'SELECT count(*) FROM tap_dx.projects'), '0', 'in between: the agent of 91326 reads no project');
SELECT is(pg_temp.as_role('tap_dx_b', 'SELECT count(*) FROM tap_dx.projects'), '0', 'in between: the agent of 91479 reads no project');
SELECT is(pg_temp.as_role('tap_dx_a', 'INSERT INTO tap_dx.projects (id, name, territory_code) VALUES (9, ''x'', ''91326'') RETURNING id'),
          '42501', 'in between: an agent writes nothing');
SELECT is(pg_temp.as_role('tap_dx_padmin', 'SELECT count(*) FROM tap_dx.projects'), '4', 'in between: the platform administrator reads every project');

CREATE EXTENSION smartregion;
-- (it warns: 4 rows of tap_dx.projects had no visibility: they are restricted)
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tap_dx') \gset
SELECT is(pg_temp.hub_functions(),
          '_tl_history_notify x,_tl_places definer x,_tl_places_left definer x,_tl_places_seen x,_zae_zone_history_hidden definer x',
          'create_hub makes the five functions again, each depending on the extension');
SELECT is((SELECT string_agg(tgrelid::regclass || ' ' || tgname || ' ' || tgfoid::regproc, ',' ORDER BY tgrelid::regclass::text, tgname)
             FROM pg_trigger WHERE tgname IN ('sr_tl_places', 'sr_tl_history_notify')
              AND tgrelid IN (SELECT oid FROM pg_class WHERE relnamespace = 'tap_dx'::regnamespace)),
          'tap_dx.premises sr_tl_places tap_dx._tl_places,tap_dx.projects sr_tl_places tap_dx._tl_places,'
          'tap_dx.tl_history sr_tl_history_notify tap_dx._tl_history_notify,tap_dx.tl_proposal sr_tl_places tap_dx._tl_places',
          '... and their triggers');
SELECT is((SELECT string_agg(id || ' ' || visibility, ',' ORDER BY id) FROM tap_dx.projects),
          '1 restricted,2 restricted,3 restricted,4 restricted', 'create_hub restores every project restricted');
SELECT is(pg_temp.as_role('tap_dx_reader', 'SELECT count(*) FROM tap_dx.projects'), '0', 'after create_hub: the reader reads no project');
-- (the reader's privileges on a table with personal data are per column: the new
-- visibility column is not among them until grant_roles runs again)
SELECT is(pg_temp.as_role('tap_dx_reader', 'SELECT count(visibility) FROM tap_dx.projects'), '42501', '... nor its visibility before grant_roles');
SELECT is(pg_temp.as_role('tap_dx_a', 'SELECT cardinality(tap_dx._zae_zone_history_hidden(''tap_dx'', CURRENT_USER, ''{}''))'),
          '42501', '... their EXECUTE revoked from PUBLIC: an agent may not run _zae_zone_history_hidden before grant_roles');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tap_dx') \gset
SELECT is(pg_temp.as_role('tap_dx_a', 'SELECT cardinality(tap_dx._zae_zone_history_hidden(''tap_dx'', CURRENT_USER, ''{}''))'),
          '0', 'after grant_roles: an agent runs _zae_zone_history_hidden again (no zone given, none answered)');
SELECT is(pg_temp.as_role('tap_dx_reader', 'SELECT count(visibility) FROM tap_dx.projects'), '0', 'after grant_roles: the reader reads the visibility of no project');
SELECT is(pg_temp.as_role('tap_dx_a', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '3,4', 'the agent of 91326 reads its territory''s projects only');
SELECT is(pg_temp.as_role('tap_dx_b', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '1,2', 'the agent of 91479 reads its territory''s projects only');
SELECT is(pg_temp.as_role('tap_dx_b', 'SELECT holder FROM tap_dx.projects WHERE id = 3'), '<null>', 'the agent of 91479 does not read 91326''s holder');
SELECT is(pg_temp.as_role('tap_dx_padmin', 'SELECT count(*) FROM tap_dx.projects'), '4', 'the platform administrator reads every project');
-- the hub works: an agent writes its territory's rows, publishes again, and no other's
SELECT is(pg_temp.as_role('tap_dx_a', 'INSERT INTO tap_dx.projects (id, name, territory_code) VALUES (5, ''new of 91326'', ''91326'') RETURNING visibility::text', true),
          'public', 'the agent of 91326 inserts a project, public by default');
SELECT is(pg_temp.as_role('tap_dx_b', 'INSERT INTO tap_dx.projects (id, name, territory_code) VALUES (6, ''into 91326'', ''91326'') RETURNING id'),
          '42501', 'the agent of 91479 cannot insert one of 91326');
SELECT is(pg_temp.as_role('tap_dx_a', 'WITH u AS (UPDATE tap_dx.projects SET visibility = ''public'' WHERE id = 4 RETURNING id) SELECT count(*) FROM u', true),
          '1', 'the agent of 91326 publishes again its open project');
SELECT is(pg_temp.as_role('tap_dx_b', 'WITH u AS (UPDATE tap_dx.projects SET visibility = ''public'' WHERE id = 3 RETURNING id) SELECT count(*) FROM u'),
          '0', 'the agent of 91479 cannot publish 91326''s secret');
SELECT is(pg_temp.as_role('tap_dx_reader', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '4,5', 'the reader reads the published projects');
SELECT is(pg_temp.as_role('tap_dx_b', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '1,2,4,5', 'the agent of 91479 reads its own and the published ones');
SELECT is(pg_temp.as_role('tap_dx_a', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_dx.projects'), '3,4,5', 'the agent of 91326 reads its own, not 91479''s');
SELECT is((SELECT visibility::text FROM tap_dx.projects WHERE id = 3), 'restricted', '91326''s secret is still restricted');

SELECT * FROM finish();
ROLLBACK;
