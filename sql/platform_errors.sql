-- Platform layer: bad input gets a clear error with a specific SQLSTATE.
\set SHOW_CONTEXT never
\set VERBOSITY sqlstate
SELECT smartregion.register_service('Bad Name', '1', 'x');
\set VERBOSITY default
SELECT smartregion.register_service('Bad Name', '1', 'x');
SELECT smartregion.register_service('ghost', '1', 'x', ARRAY['no_such_function']);
SELECT smartregion.register_service('ghost', NULL, 'x');
SELECT smartregion.register_hub_table('t', 'x', 'CREATE TABLE t (a int)');
SELECT * FROM smartregion.create_hub('smartregion');
SELECT * FROM smartregion.create_hub('pg_catalog');
SELECT * FROM smartregion.create_hub('');
SELECT * FROM smartregion.enable_territory_security('no_such_hub');
-- a NULL hub name is 22004 naming the argument, for every function taking one (docs/
-- governance.md, "NULL arguments"): create_hub said 22023 'target schema must be given',
-- enable_territory_security 42P01 'schema "<NULL>" has no hub', hub_srid returned NULL
\set VERBOSITY sqlstate
SELECT * FROM smartregion.create_hub(NULL);
SELECT * FROM smartregion.enable_territory_security(NULL);
SELECT smartregion.hub_srid(NULL);
\set VERBOSITY default
SELECT * FROM smartregion.create_hub(NULL);
SELECT * FROM smartregion.enable_territory_security(NULL);
SELECT smartregion.hub_srid(NULL);
-- a schema without a hub is still no error for hub_srid: NULL, "no hub"
SELECT smartregion.hub_srid('no_such_hub') IS NULL AS no_hub;
-- the hub tables' check <table>_territory_typed: its errors name the table and the constraint
SET client_min_messages = warning;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hub_err');
INSERT INTO hub_err.projects (id, name, territory_code) VALUES (1, 'untyped ambiguous', '53');
INSERT INTO hub_err.agents VALUES ('someone', '91', 'region');
INSERT INTO hub_err.consents (subject, purpose, territory_type) VALUES ('x', 'y', 'commune');
DROP SCHEMA hub_err CASCADE;
RESET client_min_messages;
-- a hub argument that is NULL, empty or names no hub: the argument named, never
-- format()'s 'null values cannot be formatted as an SQL identifier' or a syntax error
SELECT smartregion.campaign_close(1, NULL);
SELECT smartregion.campaign_submit('some-token', '');
SELECT * FROM smartregion.campaign_progress(NULL);
SELECT * FROM smartregion.tl_expire('no_such_hub');
SELECT * FROM smartregion.thd_load_arcep('x', NULL);
