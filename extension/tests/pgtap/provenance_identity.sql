-- pgTAP: the provenance of a hub belongs to its tables, not to their names (review of
-- 2026-12-06, docs/security.md "Provenance follows the tables").  Two roles: pvi_agent, an
-- agent of 69381 who records consents and projects in the hub pvi; pvi_mallory, a reader
-- and agent of no territory, granted CREATE on the database.  The hub is renamed (then a
-- second hub dropped); mallory creates a schema and tables under the freed names.  Before,
-- provenance rows were matched by (schema name, table name) alone: mallory, owner of its own
-- pvi.consents, read the agent's consents' provenance (a NON_PUBLIC dataset: 1 row), and its
-- own rows recorded for pvi.projects were read by the hub's readers, and listed by
-- catalog_dcat, once the hub took its old name back.
BEGIN;
SELECT plan(12);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('pvi') \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('pvi_gone') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('pvi') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('pvi_gone') \gset
SELECT smartregion.catalog_configure('pvi', 'Hub', 'Test hub', 'Region', 'https://example.org/region',
                                     'dpo@example.org', 'https://example.org/data/');
CREATE ROLE pvi_agent IN ROLE smartregion_agent;
CREATE ROLE pvi_mallory IN ROLE smartregion_agent;
CREATE ROLE pvi_reader IN ROLE smartregion_reader;
SELECT format('GRANT CREATE ON DATABASE %I TO pvi_mallory', current_database()) \gexec
INSERT INTO pvi.agents VALUES ('pvi_agent', '69381');
INSERT INTO pvi_gone.agents VALUES ('pvi_agent', '69381');

-- the agent's writes: one consent (NON_PUBLIC), one project (read by readers) in each hub
SELECT is(pg_temp.as_role('pvi_agent', $$WITH w AS (
            INSERT INTO pvi.consents (subject, purpose) VALUES ('alice@example.org', 'tiers_lieux_matching') RETURNING 1),
            p AS (INSERT INTO pvi.projects (id, name, territory_code) VALUES (1, 'p', '69381') RETURNING 1)
          SELECT (SELECT count(*) FROM w) + (SELECT count(*) FROM p)$$, true), '2', 'the agent writes a consent and a project');
SELECT is(pg_temp.as_role('pvi_agent', $$WITH w AS (
            INSERT INTO pvi_gone.consents (subject, purpose) VALUES ('bob@example.org', 'tiers_lieux_matching') RETURNING 1)
          SELECT count(*) FROM w$$, true), '1', 'the agent writes a consent in the second hub');
SELECT is((SELECT count(*) FROM smartregion.provenance WHERE loaded_by = 'pvi_agent'), 3::bigint,
          'three provenance rows, by hand: consents and projects of pvi, consents of pvi_gone');
SELECT is(pg_temp.as_role('pvi_reader', $$SELECT count(*) FROM smartregion.provenance
                                           WHERE hub_schema = 'pvi' AND table_name = 'projects'$$),
          '1', 'the reader reads the projects'' provenance (a table it reads)');

-- the hub renamed, the other dropped; mallory takes their names
ALTER SCHEMA pvi RENAME TO pvi_new;
DROP SCHEMA pvi_gone CASCADE;
SELECT is(pg_temp.as_role('pvi_mallory', $$CREATE SCHEMA pvi; CREATE TABLE pvi.consents (x int); CREATE TABLE pvi.projects (x int);
                                            CREATE SCHEMA pvi_gone; CREATE TABLE pvi_gone.consents (x int);
                                            SELECT 'created'$$, true),
          'created', 'mallory creates the schemas pvi and pvi_gone and their tables');
SELECT is(pg_temp.as_role('pvi_mallory', $$SELECT count(*) FROM smartregion.provenance
                                            WHERE hub_schema = 'pvi' AND table_name = 'consents'$$),
          '0', 'mallory does not read the renamed hub''s consents'' provenance (1 before)');
SELECT is(pg_temp.as_role('pvi_mallory', $$SELECT count(*) FROM smartregion.provenance
                                            WHERE hub_schema = 'pvi_gone' AND table_name = 'consents'$$),
          '0', 'nor the dropped hub''s (1 before)');
SELECT is(pg_temp.as_role('pvi_mallory', $$SELECT count(*) FROM smartregion.provenance WHERE loaded_by = 'pvi_agent'$$),
          '0', 'mallory reads none of the agent''s provenance (3 before: pvi.projects too)');

-- mallory's own write recorded under pvi.projects: its table's, not the hub's
SELECT is(pg_temp.as_role('pvi_mallory', $$INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader)
                                            VALUES ('pvi', 'projects', 'pvi_new.projects', 'INSERT', 'forged') RETURNING 'recorded'$$),
          '42501', 'mallory cannot record a write of the hub''s projects under the old name');
SELECT is(pg_temp.as_role('pvi_mallory', $$INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader)
                                            VALUES ('pvi', 'projects', 'pvi.projects', 'INSERT', 'mallory-file') RETURNING 'recorded'$$, true),
          'recorded', 'mallory records a write of its own pvi.projects');
-- mallory leaves; the hub takes its name back
SELECT is(pg_temp.as_role('pvi_mallory', $$DROP SCHEMA pvi CASCADE; DROP SCHEMA pvi_gone CASCADE; SELECT 'dropped'$$, true),
          'dropped', 'mallory drops its schemas');
ALTER SCHEMA pvi_new RENAME TO pvi;
-- (by the loader: readers do not read loaded_by since the review of 2026-12-06, provenance_roles.sql)
SELECT is(pg_temp.as_role('pvi_reader', $$SELECT string_agg(CASE loader WHEN 'mallory-file' THEN 'mallory' ELSE 'agent' END, ',' ORDER BY id)
                                                 || ' | ' || (SELECT smartregion.catalog_dcat('pvi')::text ~ 'mallory-file')::text
                                            FROM smartregion.provenance WHERE hub_schema = 'pvi' AND table_name = 'projects'$$),
          'agent | false', 'the hub under its old name: its readers read its own history, not mallory''s write (agent,mallory | true before)');

SELECT * FROM finish();
ROLLBACK;
