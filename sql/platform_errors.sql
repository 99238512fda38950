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
-- NULL propagates through create_hub's check
SELECT * FROM smartregion.create_hub(NULL);
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
