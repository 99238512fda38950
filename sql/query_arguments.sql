-- One reader for every query argument (docs/query-arguments.md): the same malformed
-- queries are passed to every *_sql argument of the extension, and the same mistake
-- must get the same SQLSTATE and the same message (the argument's and the column's
-- names aside).
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS qa_reader;
RESET client_min_messages;
SET client_min_messages = warning;
CREATE SCHEMA qa;
CREATE TABLE qa.scratch (x int);
INSERT INTO qa.scratch VALUES (1);

-- Every query argument, with a call in which every other argument is a valid empty
-- query; %s is where the argument under test goes, %c its first required column.
CREATE TABLE qa.arg (fn text, param text, col text, call text);
INSERT INTO qa.arg VALUES
 ('zone_indicators', 'zones_sql', 'zone_id',
  $$SELECT count(*) FROM smartregion.zone_indicators(%s, 'SELECT ''P''::text AS parcel_id, NULL::geometry AS geom, NULL::text AS land_unit_id WHERE false', NULL, NULL, '2024-01-01')$$),
 ('zone_indicators', 'parcels_sql', 'parcel_id',
  $$SELECT count(*) FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, NULL::geometry AS geom WHERE false', %s, NULL, NULL, '2024-01-01')$$),
 ('zone_indicators', 'buildings_sql', 'building_id',
  $$SELECT count(*) FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, NULL::geometry AS geom WHERE false', 'SELECT ''P''::text AS parcel_id, NULL::geometry AS geom, NULL::text AS land_unit_id WHERE false', %s, NULL, '2024-01-01')$$),
 ('zone_indicators', 'establishments_sql', 'siret',
  $$SELECT count(*) FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, NULL::geometry AS geom WHERE false', 'SELECT ''P''::text AS parcel_id, NULL::geometry AS geom, NULL::text AS land_unit_id WHERE false', NULL, %s, '2024-01-01')$$),
 ('land_consumption', 'buildings_sql', 'building_id',
  $$SELECT count(*) FROM smartregion.land_consumption('SELECT 1::bigint AS zone_id, NULL::geometry AS geom WHERE false', 'SELECT ''P''::text AS parcel_id, NULL::geometry AS geom, NULL::text AS land_unit_id WHERE false', %s, 2011, 2020)$$),
 ('statistical_secrecy', 'cells_sql', 'row_key',
  $$SELECT count(*) FROM smartregion.statistical_secrecy(%s)$$),
 ('solar_cadastre', 'buildings_sql', 'id',
  $$SELECT count(*) FROM smartregion.solar_cadastre(%s, (SELECT s FROM qa.sky))$$),
 ('solar_cadastre_cells', 'buildings_sql', 'id',
  $$SELECT count(*) FROM smartregion.solar_cadastre_cells(%s, (SELECT s FROM qa.sky))$$),
 ('solar_impact', 'project_sql', 'id',
  $$SELECT count(*) FROM smartregion.solar_impact(%s, 'SELECT 1::bigint AS id, NULL::geometry AS geom WHERE false', (SELECT s FROM qa.sky))$$),
 ('solar_impact', 'buildings_sql', 'id',
  $$SELECT count(*) FROM smartregion.solar_impact('SELECT 1::bigint AS id, NULL::geometry AS geom WHERE false', %s, (SELECT s FROM qa.sky))$$),
 ('city_gltf', 'surfaces_sql', 'id',
  $$SELECT count(*) FROM smartregion.city_gltf(%s)$$),
 ('city_tileset', 'surfaces_sql', 'id',
  $$SELECT count(*) FROM smartregion.city_tileset(%s)$$),
 ('pv_yield_hourly', 'weather_sql', 'ts',
  $$SELECT (smartregion.pv_yield_hourly(%s, 45.7, 4.9, 30, 180)).annual_kwh_kwp::text$$),
 ('tierslieux_coverage', 'premises_sql', 'id',
  $$SELECT count(*) FROM smartregion.tierslieux_coverage(%s)$$),
 ('horizon_at', 'obstacles_sql', 'id',
  $$SELECT smartregion.horizon_at(ST_MakePoint(0, 0, 0), %s)::text$$),
 ('surface_irradiation_hourly', 'weather_sql', 'ts',
  $$SELECT (smartregion.surface_irradiation_hourly(%s, 45.7, 4.9, 30, 180)).annual_kwh_m2::text$$),
 ('match_candidates', 'projects_sql', 'id',
  $$SELECT count(*) FROM smartregion.match_candidates(%s, 'SELECT 1::bigint AS id WHERE false')$$),
 ('match_candidates', 'premises_sql', 'id',
  $$SELECT count(*) FROM smartregion.match_candidates('SELECT 1::bigint AS id WHERE false', %s)$$),
 ('match_candidates', 'travel_sql', 'project_id',
  $$SELECT count(*) FROM smartregion.match_candidates('SELECT 1::bigint AS id WHERE false', 'SELECT 1::bigint AS id WHERE false', 10, NULL, %s)$$),
 ('match_assign', 'pairs_sql', 'project_id',
  $$SELECT count(*) FROM smartregion.match_assign(%s)$$),
 ('match_assign', 'capacities_sql', 'premise_id',
  $$SELECT count(*) FROM smartregion.match_assign('SELECT 1::bigint AS project_id, 1::bigint AS premise_id, 0.5::float8 AS score', 'optimal', %s)$$);

CREATE TABLE qa.sky AS
SELECT smartregion.sky_agg(t, 500, 400, 100, ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326)) AS s
  FROM generate_series('2019-06-01 10:00+00'::timestamptz, '2019-06-01 14:00+00', '1 hour') t;

-- The mistakes: %c is the argument's first required column.
CREATE TABLE qa.mistake (k int, what text, query text);
INSERT INTO qa.mistake VALUES
 (1, 'empty text',                 ''),
 (2, 'two statements',             'SELECT 1; SELECT 2'),
 (3, 'a statement that writes',    'DELETE FROM qa.scratch RETURNING *'),
 (4, 'FOR UPDATE',                 'SELECT * FROM qa.scratch FOR UPDATE'),
 (5, 'syntax error',               'SELEC 1'),
 (6, 'missing column',             'SELECT 1 AS nothing'),
 (7, 'missing column, with ;',     'SELECT 1 AS nothing;  '),
 (8, 'column named twice',         'SELECT 1 AS %c, 2 AS %c'),
 (9, 'wrong type',                 'SELECT point(0, 0) AS %c'),
 (10, 'unknown table',             'SELECT * FROM qa.nowhere');

CREATE TABLE qa.result (fn text, param text, k int, sqlstate text, message text);
DO $$
DECLARE
  a record;
  m record;
  st text;
  msg text;
BEGIN
  FOR a IN SELECT * FROM qa.arg LOOP
    FOR m IN SELECT * FROM qa.mistake LOOP
      BEGIN
        EXECUTE format(a.call, quote_literal(replace(m.query, '%c', a.col)));
        st := '00000'; msg := 'no error';
      EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
      END;
      INSERT INTO qa.result VALUES (a.fn, a.param, m.k, st,
        -- the argument's and the column's names aside
        regexp_replace(replace(msg, a.param, '<arg>'), 'column "[a-z_]+"', 'column "<col>"'));
    END LOOP;
  END LOOP;
END $$;

-- Every argument was tried with every mistake
SELECT count(*) = (SELECT count(*) FROM qa.arg) * (SELECT count(*) FROM qa.mistake) AS all_tried
  FROM qa.result;

-- One SQLSTATE and one message per mistake, whatever the function and the argument
SELECT m.k, m.what, r.sqlstate, r.message, count(*) AS arguments
  FROM qa.result r JOIN qa.mistake m USING (k)
 GROUP BY m.k, m.what, r.sqlstate, r.message
 ORDER BY m.k, arguments DESC;

-- (must be empty) mistakes that got more than one answer
SELECT k FROM qa.result GROUP BY k HAVING count(DISTINCT (sqlstate, message)) > 1;

-- A trailing semicolon and a comment at the end are fine: the query is planned as given
SELECT count(*) FROM smartregion.statistical_secrecy(
  $q$SELECT 'a'::text AS row_key, 'x'::text AS col_key, 5::bigint AS n, 10.0::float8 AS value; -- the cells$q$);

-- NULL where a value is needed: 22004 naming the column and the row, with a context line
\set VERBOSITY default
SELECT * FROM smartregion.statistical_secrecy(
  $q$SELECT * FROM (VALUES ('a', 'x', 5::bigint, 1.0::float8), ('b', NULL, 5, 1.0)) v(row_key, col_key, n, value)$q$);
SELECT smartregion.horizon_at(ST_MakePoint(0, 0, 0),
  'SELECT NULL::bigint AS id, NULL::geometry AS geom, 10.0 AS height');
-- Implicit conversions are accepted: integer ids, numeric and real values, varchar keys
SELECT row_key, col_key, n, value, status FROM smartregion.statistical_secrecy(
  $q$SELECT 'a'::varchar AS row_key, 'x'::char(1) AS col_key, 5::int AS n, 10.5::numeric AS value$q$)
 ORDER BY row_key NULLS LAST, col_key NULLS LAST;
-- and a column named in a different case is not the same column
SELECT * FROM smartregion.statistical_secrecy($q$SELECT 'a' AS "ROW_KEY"$q$);
\set VERBOSITY terse

-- The function reads as the caller: a row the caller cannot see is not read
CREATE TABLE qa.cells (row_key text, col_key text, n bigint, value float8, owner text);
INSERT INTO qa.cells VALUES ('a', 'x', 10, 100, 'qa_reader'), ('a', 'y', 10, 100, 'someone_else');
ALTER TABLE qa.cells ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON qa.cells FOR SELECT USING (owner = current_user);
CREATE ROLE qa_reader;
GRANT USAGE ON SCHEMA qa, smartregion TO qa_reader;
GRANT SELECT ON qa.cells TO qa_reader;
SET ROLE qa_reader;
SELECT row_key, col_key, status FROM smartregion.statistical_secrecy('SELECT * FROM qa.cells')
 ORDER BY row_key NULLS LAST, col_key NULLS LAST;
RESET ROLE;
DROP OWNED BY qa_reader;
DROP ROLE qa_reader;

-- A query argument may call anything the caller may (a sequence, a PL/pgSQL function with
-- an EXCEPTION block), so the functions running one are PARALLEL UNSAFE, as zone_indicators
-- and city_gltf were: with a Gather elsewhere in the statement (here an InitPlan counting a
-- table in parallel), the query ran in parallel mode and failed ("cannot execute nextval()
-- during a parallel operation", "cannot start subtransactions during a parallel
-- operation") where it passes without the Gather.  Each call must equal the same call
-- whose query calls nothing (one statement, no parallel plan possible for either).
CREATE TABLE qa.many AS SELECT g AS x FROM generate_series(1, 5000) g;
ANALYZE qa.many;
CREATE SEQUENCE qa.ids;
CREATE FUNCTION qa.num(t text) RETURNS float8 LANGUAGE plpgsql AS
  $$BEGIN RETURN t::float8; EXCEPTION WHEN invalid_text_representation THEN RETURN NULL; END$$;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- (the count alone is planned in parallel)
EXPLAIN (COSTS OFF) SELECT count(*) FROM qa.many;
CREATE TABLE qa.wall AS SELECT 1::bigint AS id, ST_MakeEnvelope(-1000, 99.5, 1000, 100.5, 2154) AS geom, 20.0::float8 AS height;
SELECT (SELECT count(*) FROM qa.many) AS n,
       smartregion.horizon_at(ST_SetSRID(ST_MakePoint(0, 0, 0), 2154),
         'SELECT nextval(''qa.ids'') AS id, geom, qa.num(''20'') AS height FROM qa.wall', 300, 8)::text
       = smartregion.horizon_at(ST_SetSRID(ST_MakePoint(0, 0, 0), 2154), 'SELECT id, geom, height FROM qa.wall', 300, 8)::text
         AS horizon_at_same;
SELECT (SELECT count(*) FROM qa.many) AS n,
       smartregion.surface_irradiation_hourly(
         $q$SELECT t AS ts, qa.num('500') AS ghi, 400.0 AS dni, 100.0 AS dhi, nextval('qa.ids') AS k
              FROM generate_series('2019-06-01 10:00+00'::timestamptz, '2019-06-01 14:00+00', '1 hour') t$q$, 45.7, 4.9, 30, 180)::text
       = smartregion.surface_irradiation_hourly(
         $q$SELECT t AS ts, 500.0 AS ghi, 400.0 AS dni, 100.0 AS dhi
              FROM generate_series('2019-06-01 10:00+00'::timestamptz, '2019-06-01 14:00+00', '1 hour') t$q$, 45.7, 4.9, 30, 180)::text
         AS surface_irradiation_hourly_same;
WITH a AS (SELECT c.building_id, c.face, c.annual_kwh_m2 FROM smartregion.solar_cadastre(
             $q$SELECT nextval('qa.ids') * 0 + 1 AS id, ST_Buffer(ST_SetSRID(ST_MakePoint(849000, 6510000), 2154), 5, 1) AS geom,
                       qa.num('12') AS height$q$, (SELECT s FROM qa.sky)) c),
     b AS (SELECT c.building_id, c.face, c.annual_kwh_m2 FROM smartregion.solar_cadastre(
             $q$SELECT 1::bigint AS id, ST_Buffer(ST_SetSRID(ST_MakePoint(849000, 6510000), 2154), 5, 1) AS geom, 12.0::float8 AS height$q$,
             (SELECT s FROM qa.sky)) c)
SELECT (SELECT count(*) FROM qa.many) AS n, (SELECT count(*) FROM a) AS faces,
       (SELECT array_agg(a ORDER BY face)::text FROM a) = (SELECT array_agg(b ORDER BY face)::text FROM b) AS solar_cadastre_same;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;


-- Cancel inside a batch: the reader converts each row of match_candidates' queries with
-- to_jsonb (docs/query-arguments.md), which checks for no cancel itself: a row's TOASTed
-- values are detoasted and a large jsonb walked.  The reader checked every 1,024 rows, so
-- 1,024 rows of 20,000-element arrays ran 20 s between two checks (a pg_cancel_backend
-- answered after 21-25 s); now it checks after every row.  1,100 premises, each with a
-- 1,500-element jsonb array: the read runs twice untimed (t: the faster, in ms of CPU),
-- then under a statement_timeout of 20 and 40 % of t, while rows are converted: cancelled,
-- having spent at most 250 ms of CPU beyond the timeout (before: at the 1,024th row, about
-- 70 and 50 % of t late).  CPU time, not the wall clock, on both sides: a timeout of a
-- fraction of the call's CPU time falls before its end however slow the machine (a wall
-- clock can only run ahead of a single thread's CPU), and the CPU spent after it is the work
-- between two checks, which a loaded machine does not stretch (at load 11-17 on two cores
-- the backend waited for a core between checks, and a 250 ms wall-clock bound failed).
-- (the CPU time of this backend, every thread of it, in ms: utime + stime of Linux's
-- /proc/self/stat, in clock ticks of 10 ms)
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS $$
  SELECT 10 * (f[12]::float8 + f[13]::float8)
    FROM (SELECT string_to_array((regexp_match(pg_read_file('/proc/self/stat'), '^.*\) (.*)$'))[1], ' ') AS f) s
$$;
-- (one thread: the call's CPU time is at most its wall-clock time)
SET smartregion.max_threads = 1;
CREATE TABLE qa.heavy AS
  SELECT n AS id, 2 + n * 0.0001 AS lon, 48.0 AS lat, big.j AS extra
    FROM generate_series(1, 1100) n, (SELECT jsonb_agg(k) AS j FROM generate_series(1, 1500) k) big;
CREATE FUNCTION pg_temp.read_ms() RETURNS int LANGUAGE plpgsql AS $$
DECLARE c0 float8 := pg_temp.cpu_ms();
BEGIN
  PERFORM count(*) FROM smartregion.match_candidates('SELECT 1 AS id, 2 AS lon, 48 AS lat', 'SELECT * FROM qa.heavy', 5);
  RETURN (pg_temp.cpu_ms() - c0)::int;
END $$;
-- NULL when it finished; else the CPU it spent beyond timeout_ms (ms): at most the CPU spent
-- after the timeout fired, as one thread spends at most timeout_ms before it; equal on an
-- idle machine, smaller on a loaded one (never a false failure)
CREATE FUNCTION pg_temp.read_late_ms(timeout_ms int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE c0 float8 := pg_temp.cpu_ms();
BEGIN
  PERFORM count(*) FROM smartregion.match_candidates('SELECT 1 AS id, 2 AS lon, 48 AS lat', 'SELECT * FROM qa.heavy', 5);
  RETURN NULL;
EXCEPTION WHEN query_canceled THEN
  RETURN pg_temp.cpu_ms() - c0 - timeout_ms;
END $$;
SELECT least(pg_temp.read_ms(), pg_temp.read_ms()) AS t \gset
SELECT (:t * 0.2)::int AS t1, (:t * 0.4)::int AS t2 \gset
SET statement_timeout = :t1;
SELECT pg_temp.read_late_ms(:t1) < 250 AS read_cancelled_in_time_1;
SET statement_timeout = :t2;
SELECT pg_temp.read_late_ms(:t2) < 250 AS read_cancelled_in_time_2;
RESET statement_timeout;
RESET smartregion.max_threads;

DROP SCHEMA qa CASCADE;
