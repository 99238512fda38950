-- A hub survives DROP EXTENSION smartregion CASCADE fail closed (docs/platform.md): the
-- cascade drops every hub table's visibility column and the territory policies, the tables
-- keep row-level security and their rows (nobody but the owner and the platform
-- administrator reads them); create_hub then restores every row restricted, never public,
-- and the policies, triggers and checks of a fresh hub.  In a scratch database: the
-- extension is dropped.
SET client_min_messages = warning;
-- (what a run stopped half-way left)
DROP DATABASE IF EXISTS sr_drop_ext;
DROP ROLE IF EXISTS sr_dx_reader, sr_dx_a, sr_dx_b;
CREATE DATABASE sr_drop_ext;
\c sr_drop_ext
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT count(*) >= 0 AS groups FROM smartregion.create_roles();
CREATE ROLE sr_dx_reader IN ROLE smartregion_reader;
CREATE ROLE sr_dx_a IN ROLE smartregion_agent;   -- acts for the commune 91326
CREATE ROLE sr_dx_b IN ROLE smartregion_agent;   -- acts for the commune 91479
SELECT count(*) AS hub_tables FROM smartregion.create_hub('hub');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hub');
INSERT INTO hub.agents (role_name, territory_code) VALUES ('sr_dx_a', '91326'), ('sr_dx_b', '91479');
INSERT INTO hub.projects (id, name, territory_code, visibility) VALUES
  (1, 'secret of 91479', '91479', 'restricted'), (2, 'open of 91479', '91479', 'public'),
  (3, 'secret of 91326', '91326', 'restricted'), (4, 'open of 91326', '91326', 'public');
-- a cumulative sky (its column's type is the extension's)
INSERT INTO hub.skies (name, sky, territory_code)
  VALUES ('clear', smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.9378, 45.7261, 198), 4326)), '91326');
-- what each role reads before: the reader the public rows (2, 4), each agent those and
-- its territory's restricted row (a: 3, b: 1)
SET ROLE sr_dx_reader;
SELECT pg_catalog.array_agg(id ORDER BY id) AS reader_before FROM hub.projects;
SET ROLE sr_dx_a;
SELECT pg_catalog.array_agg(id ORDER BY id) AS a_before FROM hub.projects;
SET ROLE sr_dx_b;
SELECT pg_catalog.array_agg(id ORDER BY id) AS b_before FROM hub.projects;
RESET ROLE;
-- the catalogue of a hub, schema name left out: columns, constraints, triggers, policies,
-- indexes, row-level security
CREATE FUNCTION pg_temp.hub_signature(s name) RETURNS SETOF text LANGUAGE sql AS $$
  SELECT pg_catalog.replace(x, pg_catalog.quote_ident(s) || '.', 'HUB.') FROM (
  SELECT 'col ' || c.relname || '.' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '') AS x
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname = s AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'con ' || c.relname || '.' || k.conname || ' ' || pg_catalog.pg_get_constraintdef(k.oid)
         || CASE WHEN k.convalidated THEN '' ELSE ' not valid' END
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = s
  UNION ALL
  SELECT 'trg ' || c.relname || '.' || t.tgname || ' ' || pg_catalog.pg_get_triggerdef(t.oid)
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = s AND NOT t.tgisinternal
  UNION ALL
  SELECT 'pol ' || p.tablename || '.' || p.policyname || ' ' || p.permissive || ' ' || p.cmd || ' ' || p.roles::text
         || ' ' || coalesce(p.qual, '') || ' / ' || coalesce(p.with_check, '')
    FROM pg_policies p WHERE p.schemaname = s
  UNION ALL
  SELECT 'idx ' || i.indexdef FROM pg_indexes i WHERE i.schemaname = s
  UNION ALL
  SELECT 'rls ' || c.relname || ' ' || c.relrowsecurity
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = s AND c.relkind IN ('r', 'p')) q
$$;
SELECT count(*) AS policies_before FROM pg_policies WHERE schemaname = 'hub' \gset
\set VERBOSITY terse
DROP EXTENSION smartregion;
DROP EXTENSION smartregion CASCADE;
\set VERBOSITY default
-- what the cascade took from the hub: every table's visibility, skies.sky (types of the
-- extension), the policies naming its functions or type (all but the platform
-- administrator's and the agents' own rows'), the checks and triggers calling its functions
SELECT count(*) AS tables, count(*) FILTER (WHERE c.relrowsecurity) AS still_rls,
       count(*) FILTER (WHERE EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = c.oid
                                       AND a.attname = 'visibility' AND NOT a.attisdropped)) AS with_visibility,
       count(*) FILTER (WHERE EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = c.oid
                                       AND k.conname = c.relname || '_territory_typed')) AS with_typed_check
  FROM pg_class c WHERE c.relnamespace = 'hub'::regnamespace AND c.relkind = 'r';
SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'hub.skies'::regclass AND attname = 'sky' AND NOT attisdropped) AS skies_sky;
SELECT policyname, count(*) FROM pg_policies WHERE schemaname = 'hub' GROUP BY 1 ORDER BY 1;
-- expected: no trigger at all (each hub trigger runs a function of the extension, or one of
-- the hub's own functions, which are the extension's since 2026-12-07: DEPENDS ON EXTENSION;
-- before, sr_tl_places on tl_proposal, premises and projects and sr_tl_history_notify stayed, 4)
SELECT count(*) FILTER (WHERE tgname = 'sr_provenance') AS provenance_triggers, count(*) AS triggers
  FROM pg_trigger WHERE tgrelid::regclass::text LIKE 'hub.%' AND NOT tgisinternal;
-- what else stays (docs/platform.md): the schema smartregion, empty; the group roles, which
-- are the cluster's; no event trigger, no object of the extension anywhere
SELECT (SELECT count(*) FROM pg_class WHERE relnamespace = 'smartregion'::regnamespace)
       + (SELECT count(*) FROM pg_proc WHERE pronamespace = 'smartregion'::regnamespace)
       + (SELECT count(*) FROM pg_type WHERE typnamespace = 'smartregion'::regnamespace) AS in_schema_smartregion,
       (SELECT count(*) FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid WHERE e.extname = 'smartregion') AS extension_members,
       (SELECT count(*) FROM pg_event_trigger) AS event_triggers,
       (SELECT count(*) FROM pg_roles
         WHERE rolname IN ('smartregion_reader', 'smartregion_agent', 'smartregion_territory_admin',
                           'smartregion_platform_admin', 'smartregion_analyst')) AS group_roles;
-- ... which fails closed: the reader and the agents read no project
SET ROLE sr_dx_reader;
SELECT count(*) AS reader_between FROM hub.projects;
SET ROLE sr_dx_a;
SELECT count(*) AS a_between FROM hub.projects;
SET ROLE sr_dx_b;
SELECT count(*) AS b_between FROM hub.projects;
RESET ROLE;
CREATE EXTENSION smartregion;
-- create_hub restores the hub: its four projects and its sky restricted, the sky's rows
-- without their sky (warnings; the platform's own tables are restored silently); then
-- grant_roles, as after any CREATE EXTENSION
SELECT count(*) AS hub_tables FROM smartregion.create_hub('hub');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hub');
SELECT id, visibility FROM hub.projects ORDER BY id;
SELECT count(*) = :policies_before AS policies_back FROM pg_policies WHERE schemaname = 'hub';
-- the restored hub is a fresh hub's (made now: the cascade would have damaged it too): no
-- line of either catalogue missing from the other
SELECT count(*) AS hub_tables FROM smartregion.create_hub('hub_fresh');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hub_fresh');
SELECT x AS only_in_restored FROM (SELECT pg_temp.hub_signature('hub') EXCEPT SELECT pg_temp.hub_signature('hub_fresh')) q(x);
SELECT x AS only_in_fresh FROM (SELECT pg_temp.hub_signature('hub_fresh') EXCEPT SELECT pg_temp.hub_signature('hub')) q(x);
-- ... but for the sky lost, which the hint says how to compute again
UPDATE hub.skies SET sky = smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.9378, 45.7261, 198), 4326)) WHERE name = 'clear';
ALTER TABLE hub.skies ALTER COLUMN sky SET NOT NULL;
SELECT (SELECT count(*) FROM pg_temp.hub_signature('hub')) = (SELECT count(*) FROM pg_temp.hub_signature('hub_fresh'))
       AND (SELECT count(*) FROM pg_temp.hub_signature('hub')) > 0 AS same_size;
SELECT x AS only_in_restored FROM (SELECT pg_temp.hub_signature('hub') EXCEPT SELECT pg_temp.hub_signature('hub_fresh')) q(x);
SELECT x AS only_in_fresh FROM (SELECT pg_temp.hub_signature('hub_fresh') EXCEPT SELECT pg_temp.hub_signature('hub')) q(x);
-- nothing leaks: the reader reads no project, each agent its own territory's only (a: 3, 4;
-- b: 1, 2), the public ones of before included
SET ROLE sr_dx_reader;
SELECT count(*) AS reader_after FROM hub.projects;
SET ROLE sr_dx_a;
SELECT pg_catalog.array_agg(id ORDER BY id) AS a_after FROM hub.projects;
SET ROLE sr_dx_b;
SELECT pg_catalog.array_agg(id ORDER BY id) AS b_after FROM hub.projects;
-- the hub works: an agent inserts a project (public by default), publishes again its
-- territory's open project, and cannot publish the other territory's
SET ROLE sr_dx_b;
INSERT INTO hub.projects (id, name, territory_code) VALUES (5, 'new of 91479', '91479');
UPDATE hub.projects SET visibility = 'public' WHERE id = 2;
SET ROLE sr_dx_a;
UPDATE hub.projects SET visibility = 'public' WHERE id IN (1, 2);
SELECT pg_catalog.array_agg(id ORDER BY id) AS a_published FROM hub.projects;
SET ROLE sr_dx_reader;
SELECT pg_catalog.array_agg(id ORDER BY id) AS reader_published FROM hub.projects;
RESET ROLE;
SELECT id, visibility FROM hub.projects ORDER BY id;
-- create_hub run again changes nothing and warns of nothing
SELECT count(*) AS hub_tables FROM smartregion.create_hub('hub');
SELECT count(*) FILTER (WHERE visibility = 'restricted') AS restricted FROM hub.projects;

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE sr_drop_ext;
DROP ROLE sr_dx_reader;
DROP ROLE sr_dx_a;
DROP ROLE sr_dx_b;
RESET client_min_messages;
