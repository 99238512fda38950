-- pgTAP: the open catalogue and the readers name no role (review of 2026-12-06,
-- docs/security.md "The provenance tells who wrote hidden rows").  A login role is often an
-- employee's firstname.lastname: personal data, which the DCAT catalogue (open data, harvested
-- by data.gouv.fr) and the readers and analysts must not get.  Before, catalog_dcat's
-- dct:provenance read "INSERT prv-loader.sql by jeanne.martin from ...", and a reader or an
-- analyst read smartregion.provenance.loaded_by of every table it reads.  Roles: the agent
-- "jeanne.martin" (69381), another agent (91479), a reader, an analyst, a platform administrator.
BEGIN;
SELECT plan(11);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('prv') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('prv') \gset
SELECT smartregion.catalog_configure('prv', 'Hub', 'Test hub', 'Region', 'https://example.org/region',
                                     'dpo@example.org', 'https://example.org/data/');
CREATE ROLE "jeanne.martin" IN ROLE smartregion_agent;
CREATE ROLE prv_agent_b IN ROLE smartregion_agent;
CREATE ROLE prv_reader IN ROLE smartregion_reader;
CREATE ROLE prv_analyst IN ROLE smartregion_analyst;
CREATE ROLE prv_admin IN ROLE smartregion_platform_admin;
INSERT INTO prv.agents VALUES ('jeanne.martin', '69381'), ('prv_agent_b', '91479');

-- the agent loads a public project, naming its loader and file
SELECT is(pg_temp.as_role('jeanne.martin', $$SELECT smartregion.set_provenance('prv-loader.sql', 'projects-2026.csv');
            WITH p AS (INSERT INTO prv.projects (id, name, territory_code) VALUES (1, 'p', '69381') RETURNING 1)
          SELECT count(*) FROM p$$, true), '1', 'jeanne.martin writes a public project');
SELECT is((SELECT string_agg(loaded_by::text, ',') FROM smartregion.provenance WHERE hub_schema = 'prv'
            AND table_name = 'projects'), 'jeanne.martin', 'one provenance row, by hand: the agent''s');

-- the open catalogue: loader, source, count and time, no role
SELECT is(pg_temp.as_role('prv_reader', $$SELECT (smartregion.catalog_dcat('prv')::text ~* 'jeanne|martin')::text$$),
          'false', 'the catalogue names no role (true before: "INSERT prv-loader.sql by jeanne.martin from ...")');
SELECT matches(pg_temp.as_role('prv_reader', $$SELECT n -> 'dct:provenance' -> 'rdfs:label' ->> '@value'
                                                FROM jsonb_array_elements(smartregion.catalog_dcat('prv') -> '@graph') n
                                               WHERE n ->> 'dct:identifier' = 'prv.projects'$$),
               '^INSERT prv-loader\.sql from projects-2026\.csv \(1 statement\(s\), last \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$',
               'it keeps the operation, loader, source, count and time');
SELECT is(pg_temp.as_role('prv_agent_b', $$SELECT (smartregion.catalog_dcat('prv')::text ~* 'jeanne|martin')::text$$),
          'false', 'the same catalogue for another agent');

-- the provenance table: readers and analysts read every column but loaded_by
SELECT is(pg_temp.as_role('prv_reader', $$SELECT loader || ' ' || source FROM smartregion.provenance
                                           WHERE hub_schema = 'prv' AND table_name = 'projects'$$),
          'prv-loader.sql projects-2026.csv', 'the reader reads the loader and source of a table it reads');
SELECT is(pg_temp.as_role('prv_reader', $$SELECT loaded_by FROM smartregion.provenance
                                           WHERE hub_schema = 'prv' AND table_name = 'projects'$$),
          '42501', 'the reader does not read the writer''s login (jeanne.martin before)');
SELECT is(pg_temp.as_role('prv_analyst', $$SELECT loaded_by FROM smartregion.provenance
                                            WHERE hub_schema = 'prv' AND table_name = 'projects'$$),
          '42501', 'nor does the analyst (jeanne.martin before)');
-- agents and the platform administrator keep it (the role table of docs/security.md)
SELECT is(pg_temp.as_role('prv_agent_b', $$SELECT loaded_by FROM smartregion.provenance
                                            WHERE hub_schema = 'prv' AND table_name = 'projects'$$),
          'jeanne.martin', 'an agent reads it (agents read every column of the rows they read)');
SELECT is(pg_temp.as_role('prv_admin', $$SELECT loaded_by FROM smartregion.provenance
                                          WHERE hub_schema = 'prv' AND table_name = 'projects'$$),
          'jeanne.martin', 'the platform administrator reads it');
-- grant_roles run again keeps the column withheld (its earlier table-level grant is revoked)
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('prv') \gset
SELECT is(pg_temp.as_role('prv_reader', $$SELECT loaded_by FROM smartregion.provenance LIMIT 1$$),
          '42501', 'after grant_roles again, still withheld from the reader');

SELECT * FROM finish();
ROLLBACK;
