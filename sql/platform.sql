-- Platform layer: extension shape, version(), services, hub tables, security.
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_agent_paray;
RESET client_min_messages;
SET client_min_messages = warning;

-- the control file's promises
SELECT extname, extrelocatable, extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'smartregion') AS is_default,
       extnamespace::regnamespace AS schema
  FROM pg_extension WHERE extname = 'smartregion';
SELECT name, trusted, superuser, requires FROM pg_available_extension_versions
 WHERE name = 'smartregion' AND version = '0.1.0';

-- version(): every component present, versions look like versions
SELECT k, smartregion.version() ->> k ~ '^[0-9]+\.[0-9]+' AS looks_like_version
  FROM unnest(ARRAY['smartregion','library','postgresql','postgis','geos','proj']) k ORDER BY k;
SELECT smartregion.version() ->> 'smartregion' = smartregion.version() ->> 'library' AS sql_matches_library,
       (smartregion.version() ->> 'postgresql_num')::int >= 150000 AS pg15_or_later;

-- every object of the schema has a comment
SELECT p.oid::regprocedure AS function_without_comment
  FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
   AND obj_description(p.oid, 'pg_proc') IS NULL ORDER BY 1;
SELECT c.relname AS table_without_comment FROM pg_class c
 WHERE c.relnamespace = 'smartregion'::regnamespace AND c.relkind IN ('r','v','m')
   AND obj_description(c.oid, 'pg_class') IS NULL ORDER BY 1;
SELECT t.typname AS type_without_comment FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
 WHERE t.typnamespace = 'smartregion'::regnamespace AND t.typcategory <> 'A'
   AND (c.oid IS NULL OR c.relkind = 'c') AND obj_description(t.oid, 'pg_type') IS NULL ORDER BY 1;

-- services: the platform registers itself; every entry point exists
SELECT name, provider, 'create_hub' = ANY (entry_points) AS lists_create_hub
  FROM smartregion.services() WHERE name = 'platform';
SELECT s.name, ep FROM smartregion.services() s, unnest(s.entry_points) ep
 WHERE NOT EXISTS (SELECT 1 FROM pg_proc p WHERE p.proname = ep AND p.pronamespace = 'smartregion'::regnamespace)
 ORDER BY 1, 2;
-- and every public function of the extension belongs to a service (but the accessors of the
-- types horizon and sky, the services' own registry and the options' reference)
SELECT p.proname AS in_no_service FROM pg_proc p
 WHERE p.pronamespace = 'smartregion'::regnamespace AND p.prokind = 'f' AND p.proname !~ '^_'
   AND p.proname NOT IN ('horizon', 'horizon_elevations', 'horizon_sectors', 'sky_summary',
                         'unregister_service', 'option_specs')
   AND NOT EXISTS (SELECT 1 FROM smartregion.services() s WHERE p.proname = ANY (s.entry_points))
 ORDER BY 1;

-- a service registered by hand (as a plugin extension would) shows up, then goes
CREATE FUNCTION public.my_heat_map() RETURNS int LANGUAGE sql AS 'SELECT 1';
SELECT smartregion.register_service('heat_network', '1.2.0', 'district heating potential', ARRAY['public.my_heat_map']);
SELECT name, version, provider IS NULL AS by_hand, entry_points FROM smartregion.services() WHERE name = 'heat_network';
SELECT smartregion.register_service('heat_network', '1.3.0', 'district heating potential', ARRAY['public.my_heat_map']);
SELECT version FROM smartregion.services() WHERE name = 'heat_network';
SELECT smartregion.unregister_service('heat_network') AS removed, smartregion.unregister_service('heat_network') AS removed_again;
DROP FUNCTION public.my_heat_map();

-- create_hub: ordinary tables owned by the caller, not extension members, idempotent
-- at the client's default level (notice): a fresh hub and the run again say nothing (the
-- skipping NOTICEs of the idempotent DDL were ~55 and ~185 lines), nor do grant_roles and
-- create_pseudonymised_views (75 and 23 on their first run)
SET client_min_messages = notice;
SELECT count(*) > 0 AS created FROM smartregion.create_hub('hub_test');
SELECT count(*) > 0 AS again FROM smartregion.create_hub('hub_test');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hub_test');
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('hub_test');
SET client_min_messages = warning;
-- ... and then writes no row: the back-fills of a hub made before the territory types run
-- only when a row would change, so no statement trigger records an empty provenance row
SELECT count(*) AS provenance_before FROM smartregion.provenance WHERE hub_schema = 'hub_test' \gset
SELECT count(*) > 0 AS third FROM smartregion.create_hub('hub_test');
SELECT count(*) > 0 AS fourth FROM smartregion.create_hub('hub_test');
SELECT count(*) - :provenance_before AS provenance_rows_added FROM smartregion.provenance WHERE hub_schema = 'hub_test';
SELECT c.relname, pg_get_userbyid(c.relowner) = current_user AS owned_by_me,
       NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e') AS not_member
  FROM pg_class c WHERE c.relnamespace = 'hub_test'::regnamespace AND c.relkind = 'r' AND c.relname = 'agents';
-- every hub table carries territory_code and visibility
SELECT c.relname AS hub_table_missing_columns FROM pg_class c
 WHERE c.relnamespace = 'hub_test'::regnamespace AND c.relkind = 'r'
   AND (SELECT count(*) FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('territory_code', 'visibility')) <> 2;
SELECT count(*) = (SELECT count(*) FROM smartregion.hub_table) AS one_table_per_registration
  FROM pg_class c WHERE c.relnamespace = 'hub_test'::regnamespace AND c.relkind = 'r';

-- row-level security: an agent of 91479 sees public rows and 91479's restricted rows
CREATE TABLE hub_test.notes (id int, body text);
SELECT smartregion.register_hub_table('notes', 'test', 'CREATE TABLE IF NOT EXISTS %1$I.notes (id int, body text)', 999);
SELECT count(*) AS tables FROM smartregion.create_hub('hub_test') WHERE table_name = 'notes';
INSERT INTO hub_test.notes VALUES (1, 'public note', '91479', 'public'), (2, 'secret of 91479', '91479', 'restricted'),
                                  (3, 'secret of 91326', '91326', 'restricted');
CREATE ROLE sr_agent_paray;
GRANT USAGE ON SCHEMA hub_test TO sr_agent_paray;
GRANT SELECT, INSERT ON hub_test.notes TO sr_agent_paray;
-- agents read their own rows of hub_test.agents (the policies read them); they are never
-- granted a write on it (docs/security.md, sql/security.sql)
GRANT SELECT ON hub_test.agents TO sr_agent_paray;
INSERT INTO hub_test.agents (role_name, territory_code) VALUES ('sr_agent_paray', '91479');
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('hub_test');
SET ROLE sr_agent_paray;
SELECT id, body FROM hub_test.notes ORDER BY id;
INSERT INTO hub_test.notes VALUES (4, 'mine', '91479', 'restricted');
INSERT INTO hub_test.notes VALUES (5, 'not mine', '91326', 'public');
RESET ROLE;
SELECT count(*) AS rows_as_owner FROM hub_test.notes;
DELETE FROM smartregion.hub_table WHERE table_name = 'notes';
-- a policy's row versions frozen: the memo of _hub_policy_stale reads the raw xmin, which
-- freezing keeps (before 2026-12-07, h11, it read xmin as HeapTupleHeaderGetXmin does, the
-- same FrozenTransactionId for every frozen version: a policy found current, then altered
-- and frozen, was "current" again).  sr_territory_read on buildings read as current, then
-- altered to USING (true): every agent reads every territory's buildings; listed once more
VACUUM (FREEZE) pg_catalog.pg_policy;
SELECT count(*) AS listed_frozen FROM smartregion.trust_problems() WHERE object = 'policy sr_territory_read on hub_test.buildings';
ALTER POLICY sr_territory_read ON hub_test.buildings USING (true);
VACUUM (FREEZE) pg_catalog.pg_policy;
SELECT count(*) AS listed_altered_frozen FROM smartregion.trust_problems() WHERE object = 'policy sr_territory_read on hub_test.buildings';
DROP SCHEMA hub_test CASCADE;
DROP SCHEMA hub_test_pseudo CASCADE;
DELETE FROM smartregion.pseudonym_key WHERE hub_schema = 'hub_test';
DROP ROLE sr_agent_paray;

-- DROP EXTENSION leaves nothing behind (then the extension comes back for later tests)
DROP EXTENSION smartregion;
-- PostgreSQL keeps the (now empty) schema named in the control file: see docs/platform.md
SELECT count(*) AS objects_left FROM pg_class WHERE relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = 'smartregion');
DROP SCHEMA smartregion;
SELECT count(*) AS functions_left FROM pg_proc WHERE probin LIKE '%smartregion%';
SELECT count(*) AS types_left FROM pg_type WHERE typname IN ('visibility', 'sun_position', 'horizon', 'sky');
CREATE EXTENSION smartregion;
SELECT count(*) > 0 AS back FROM smartregion.services();
RESET client_min_messages;
