-- pgTAP: the catalogue and the pseudonym key of a hub belong to the hub, not to its name (review
-- of 2026-12-06, docs/security.md "The registers follow the hub").  As provenance_identity.sql
-- for smartregion.provenance: a role with CREATE on the database creates a schema under the
-- name of a renamed (pci) or dropped (pci_gone) hub.  Two roles: pci_mallory, an agent of no
-- territory granted CREATE on the database; pci_admin, a platform administrator who answers
-- an erasure request under the hub's old name (a script not yet updated after the rename).
-- Before, both registers were found by name alone:
--  * catalog_dcat('pci') published mallory's table as the region's dataset (its publisher,
--    licence, contact), with the provenance mallory recorded ("mallory-file");
--  * subject_erase('alice@example.org', 'pci') pseudonymised mallory's premises.owner with
--    the renamed hub's key: mallory read the hub's pseudonym of a chosen identifier (an
--    oracle that reverses the analysts' pseudonyms by dictionary).
BEGIN;
SELECT plan(17);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('pci') \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('pci_gone') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('pci') \gset
SELECT smartregion.catalog_configure('pci', 'Hub', 'Test hub', 'Region', 'https://example.org/region',
                                     'dpo@example.org', 'https://example.org/data/');
SELECT smartregion.catalog_configure('pci_gone', 'Hub 2', 'Test hub 2', 'Region', 'https://example.org/region',
                                     'dpo@example.org', 'https://example.org/data/');
CREATE ROLE pci_mallory IN ROLE smartregion_agent;
CREATE ROLE pci_reader IN ROLE smartregion_reader;
CREATE ROLE pci_admin IN ROLE smartregion_platform_admin;
SELECT format('GRANT CREATE ON DATABASE %I TO pci_mallory', current_database()) \gexec
-- the hub's key, drawn by its first pseudonym (the views and the analysts use it)
SELECT smartregion.pseudonym('alice@example.org', 'pci') AS alice_pseudonym \gset
SELECT is((SELECT 'pseudo:' || d || left(encode(hmac('\x00'::bytea || convert_to(d, 'UTF8'), key, 'sha256'), 'hex'), 16)
               FROM (SELECT left(encode(hmac(convert_to('alice@example.org', 'UTF8'), p.key, 'sha256'), 'hex'), 48) AS d, p.key AS key FROM smartregion.pseudonym_key p WHERE p.hub_schema = 'pci') x), :'alice_pseudonym',
          'the hub''s pseudonym of alice is HMAC-SHA-256 under its key (48 digits) and their seal (computed here by pgcrypto)');
SELECT is(pg_temp.as_role('pci_reader', $$SELECT (smartregion.catalog_dcat('pci') -> '@graph' -> 0 ->> '@type')$$),
          'dcat:Catalog', 'the reader produces the hub''s catalogue');

-- the hub renamed, the other dropped; mallory takes their names
ALTER SCHEMA pci RENAME TO pci_new;
DROP SCHEMA pci_gone CASCADE;
SELECT is(pg_temp.as_role('pci_mallory', $$
            CREATE SCHEMA pci; CREATE TABLE pci.agents (role_name name, territory_code text);
            CREATE TABLE pci.buildings (id bigint PRIMARY KEY, geom public.geometry(Polygon, 2154), height double precision);
            INSERT INTO pci.buildings VALUES (1, public.ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 12);
            CREATE TABLE pci.premises (id bigint PRIMARY KEY, owner text);
            INSERT INTO pci.premises VALUES (1, 'alice@example.org');
            GRANT ALL ON SCHEMA pci TO PUBLIC; GRANT ALL ON ALL TABLES IN SCHEMA pci TO PUBLIC;
            INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader)
            VALUES ('pci', 'buildings', 'pci.buildings', 'INSERT', 'mallory-file');
            CREATE SCHEMA pci_gone; CREATE TABLE pci_gone.buildings (id bigint PRIMARY KEY, geom public.geometry(Polygon, 2154));
            INSERT INTO pci_gone.buildings VALUES (1, public.ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154));
            GRANT USAGE ON SCHEMA pci_gone TO PUBLIC; GRANT SELECT ON pci_gone.buildings TO PUBLIC;
            SELECT 'created'$$, true),
          'created', 'mallory creates the schemas pci and pci_gone, tables of the hub''s names, a provenance row');

-- the catalogue: the old name's row describes the renamed hub, not mallory's schema
SELECT is(pg_temp.as_role('pci_reader', $$SELECT smartregion.catalog_dcat('pci')::text ~ 'mallory-file'$$),
          '55000', 'catalog_dcat(''pci'') is refused: its catalogue was the renamed hub''s (before: mallory''s table and "mallory-file" in it)');
SELECT is(pg_temp.as_role('pci_reader', $$SELECT smartregion.catalog_dcat('pci_gone')::text ~ 'pci_gone.buildings'$$),
          '55000', 'catalog_dcat(''pci_gone'') is refused: its hub was dropped (before: mallory''s buildings as its dataset)');
SELECT is(pg_temp.as_role('pci_mallory', $$SELECT smartregion.catalog_dcat('pci')::text$$),
          '55000', 'mallory cannot produce it either');
SELECT is(pg_temp.as_role('pci_mallory', $$UPDATE smartregion.catalog SET title = 'mine' WHERE hub_schema = 'pci' RETURNING 'updated'$$),
          '42501', 'mallory cannot rewrite the catalogue row (the platform administrator''s)');
SELECT is(pg_temp.as_role('pci_mallory', $$SELECT smartregion.catalog_configure('pci', 'mine', 'mine', 'Mallory', 'https://mallory.example',
                                              'm@mallory.example', 'https://mallory.example/')::text$$),
          '42501', 'nor configure it');

-- nor add to the other registers that name a hub (the record of requests) or every hub's
-- tables (dataset metadata, the registers of personal and confidential data, by table name)
SELECT is(pg_temp.as_role('pci_mallory', $$INSERT INTO smartregion.subject_request_log (hub_schema, request, action)
                                            VALUES ('pci', 'access', 'none') RETURNING 'logged'$$),
          '42501', 'mallory cannot write the record of requests under the hub''s name');
SELECT is(pg_temp.as_role('pci_mallory', $$UPDATE smartregion.dataset SET title = 'mine' WHERE table_name = 'buildings' RETURNING 'updated'$$),
          '42501', 'nor the datasets'' metadata');

-- the pseudonym key: mallory neither reads nor uses it
SELECT is(pg_temp.as_role('pci_mallory', $$SELECT count(*) FROM smartregion.pseudonym_key$$),
          '42501', 'mallory cannot read the keys');
SELECT is(pg_temp.as_role('pci_mallory', $$SELECT smartregion.pseudonym('alice@example.org', 'pci')$$),
          '42501', 'nor compute a pseudonym itself');
-- the platform administrator's erasure under the old name
SELECT is(pg_temp.as_role('pci_admin', $$SELECT smartregion.subject_erase('alice@example.org', 'pci')::text$$, true),
          '42501', 'an erasure under the old name is refused: mallory owns the schema of that name, whose triggers would run with the administrator''s rights (_hub_code_guard, governance_trust.sql; before that guard: 55000, the key of "pci" being the renamed hub''s)');
SELECT is(pg_temp.as_role('pci_mallory', $$SELECT owner FROM pci.premises WHERE id = 1$$),
          'alice@example.org', 'mallory''s row is untouched: no pseudonym of the hub''s key reaches it (before: the hub''s pseudonym of alice)');
SELECT is(pg_temp.as_role('pci_admin', $$SELECT smartregion.pseudonym('alice@example.org', 'pci')$$),
          '55000', 'nor does the administrator compute a pseudonym under the old name for mallory''s schema');

-- the rename procedure of docs/platform.md still works: rows moved to the new name
UPDATE smartregion.catalog SET hub_schema = 'pci_new' WHERE hub_schema = 'pci';
UPDATE smartregion.pseudonym_key SET hub_schema = 'pci_new' WHERE hub_schema = 'pci';
SELECT is(pg_temp.as_role('pci_reader', $$SELECT (smartregion.catalog_dcat('pci_new') -> '@graph' -> 0 ->> '@id')
                                            || ' ' || (smartregion.catalog_dcat('pci_new')::text ~ 'mallory-file')$$)
          || ' ' || (smartregion.pseudonym('alice@example.org', 'pci_new') = :'alice_pseudonym'),
          'https://example.org/data/catalog/pci_new false true',
          'moved to the new name, the catalogue and the key serve the hub (same pseudonym)');

-- a catalogue is configured for an existing schema only (else the first role to create one
-- under that name would get it)
SELECT is(pg_temp.as_role('pci_admin', $$SELECT smartregion.catalog_configure('pci_later', 'Hub', 'Test hub', 'Region',
            'https://example.org/region', 'dpo@example.org', 'https://example.org/data/')::text$$),
          '3F000', 'catalog_configure of a schema that does not exist is refused');

SELECT * FROM finish();
ROLLBACK;
