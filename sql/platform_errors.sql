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
-- One rule in one place (2026-12-07): the platform's functions, the refreshes and the imports
-- check their NULL arguments with the C helper _require_args, as the governance functions do
-- (sql/governance.sql), where each had its own IF ... RAISE of the same message.
-- expected: no such function without _require_args or with a 22004 of its own (0 rows; on
-- the build before, all ten)
SELECT p.oid::regprocedure AS function FROM pg_proc p
 WHERE p.pronamespace = 'smartregion'::regnamespace
   AND p.proname IN ('create_hub', 'enable_territory_security', 'hub_srid', '_hub_require', 'refresh_solar_roofs',
                     'refresh_solar_roof_cells', 'import_cityjson', 'import_citygml', 'import_cityjsonseq', '_city_import')
   AND (p.prosrc NOT LIKE '%\_require\_args(%' OR p.prosrc LIKE '%cannot be NULL'' USING ERRCODE = ''22004''%')
 ORDER BY 1;
-- the error (SQLSTATE and message) and its context of a query
CREATE FUNCTION pg_temp.error_and_context(q text, OUT err text, OUT ctx text) LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  err := 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS err = RETURNED_SQLSTATE, ctx = PG_EXCEPTION_CONTEXT;
  err := err || ' ' || SQLERRM;
END $$;
-- expected: the same 22004 naming the argument on each row (doc before target_schema for an
-- import given neither); the context names the function called and no other function of the
-- extension (t, 1 on each row).  On the build before, an import's NULL target_schema was
-- raised by _city_import under the import (f, 2); the others already gave t, 1.
SELECT f, e.err, e.ctx LIKE 'PL/pgSQL function smartregion.' || f || '(%' AS names_it,
       (SELECT count(*) FROM regexp_split_to_table(e.ctx, E'\n') l WHERE l ~ '^(PL/pgSQL|SQL) function "?smartregion\.') AS frames_of_smartregion
  FROM (VALUES (1, 'create_hub', $$SELECT * FROM smartregion.create_hub(NULL)$$),
               (2, 'enable_territory_security', $$SELECT * FROM smartregion.enable_territory_security(NULL)$$),
               (3, 'hub_srid', $$SELECT smartregion.hub_srid(NULL)$$),
               (4, '_hub_require', $$SELECT smartregion._hub_require(NULL, 'agents')$$),
               (5, 'refresh_solar_roofs', $$SELECT * FROM smartregion.refresh_solar_roofs(NULL, NULL, '{}', NULL)$$),
               (6, 'refresh_solar_roof_cells', $$SELECT * FROM smartregion.refresh_solar_roof_cells(NULL, NULL, '{}', NULL)$$),
               (7, 'import_cityjson', $$SELECT smartregion.import_cityjson('{}', NULL)$$),
               (8, 'import_citygml', $$SELECT smartregion.import_citygml('<x/>', NULL)$$),
               (9, 'import_cityjsonseq', $$SELECT smartregion.import_cityjsonseq('{}', NULL)$$),
               (10, '_city_import', $$SELECT smartregion._city_import(NULL, '{}', '{}', NULL)$$)) v(i, f, q),
       LATERAL pg_temp.error_and_context(q) e
 ORDER BY i;
-- the same NULL error twice in one transaction (one statement; error_and_context catches each):
-- the second has one more CONTEXT line, the expression's text, above the function's, since
-- PL/pgSQL runs through SPI an expression an error left marked in use (docs/errors.md, "A
-- second error in one transaction").  Expected by hand from PostgreSQL 15's sources:
-- pl_exec.c's exec_eval_simple_expr gives up on an expression in use in the current
-- transaction, and spi.c's _SPI_error_callback then says 'SQL expression "<text>"' for a
-- declaration's default (create_hub) and 'PL/pgSQL assignment "<text>"' for an assignment
-- (hub_srid); the first call of each is the function's line alone (t, 1 line of CONTEXT
-- before the caller's own, error_and_context's EXECUTE: 3 lines in all)
SELECT f, i, e.err, regexp_replace(split_part(e.ctx, E'\n', 1), 'line [0-9]+', 'line N') AS first_context_line,
       array_length(regexp_split_to_array(e.ctx, E'\n'), 1) AS context_lines
  FROM (VALUES (1, 'create_hub', $$SELECT * FROM smartregion.create_hub(NULL)$$),
               (2, 'hub_srid', $$SELECT smartregion.hub_srid(NULL)$$)) v(k, f, q),
       generate_series(1, 2) i,
       -- (the text depends on i: a function scan whose arguments are unchanged is not run again)
       LATERAL pg_temp.error_and_context(q || repeat(' ', i)) e
 ORDER BY k, i;
-- and in the next transaction, the one line again
SELECT e.err, regexp_replace(split_part(e.ctx, E'\n', 1), 'line [0-9]+', 'line N') AS first_context_line
  FROM pg_temp.error_and_context($$SELECT smartregion.hub_srid(NULL)$$) e;
-- the imports given neither doc nor target_schema: doc (t, 1 on each row; the same on the
-- build before).  (One statement a function: a PL/pgSQL declaration failing twice in one
-- transaction is evaluated the second time as a query, which adds a CONTEXT line "SQL
-- expression" above the function's)
SELECT f, e.err, e.ctx LIKE 'PL/pgSQL function smartregion.' || f || '(%' AS names_it,
       (SELECT count(*) FROM regexp_split_to_table(e.ctx, E'\n') l WHERE l ~ '^(PL/pgSQL|SQL) function "?smartregion\.') AS frames_of_smartregion
  FROM (VALUES (1, 'import_cityjson', $$SELECT smartregion.import_cityjson(NULL, NULL)$$),
               (2, 'import_citygml', $$SELECT smartregion.import_citygml(NULL, NULL)$$),
               (3, 'import_cityjsonseq', $$SELECT smartregion.import_cityjsonseq(NULL, NULL)$$)) v(i, f, q),
       LATERAL pg_temp.error_and_context(q) e
 ORDER BY i;
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
