-- Tiers-lieux matching: bad input gets an error naming the field, column or
-- row id, with a specific SQLSTATE; never a crash or a silent wrong answer.
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_matching_errors_owner;
RESET client_min_messages;
\set SHOW_CONTEXT never
\set VERBOSITY sqlstate
-- SQLSTATEs first
SELECT smartregion.match_score('{"surface_min_m2": -1}', '{}');
SELECT smartregion.match_score('{"kinds": ["spaceport"]}', '{}');
SELECT smartregion.match_score('{"start_date": "2025-02-30"}', '{}');
SELECT smartregion.match_score('{}', '{}', '{"colour": 1}');
SELECT * FROM smartregion.match_assign('SELECT 1 AS a, 2 AS b, 0.5 AS c');
SELECT * FROM smartregion.match_assign($$SELECT * FROM (VALUES (1, 2, 0.5), (1, 2, 0.7)) v(project_id, premise_id, score)$$);
SELECT * FROM smartregion.match_assign($$SELECT 1 AS project_id, 2 AS premise_id, 'NaN'::float8 AS score$$);
\set VERBOSITY default
-- a score above 1e15: refused, the pair named (three projects at 1e308, premises 10, 11, 12
-- of one place, project 3 also at 1 for premise 12: the optimum 1->10 or 11, 2->the other,
-- 3->12 assigns the three, but the sums were infinite and project 1 was left out)
SELECT * FROM smartregion.match_assign($$SELECT * FROM (VALUES (1, 10, 1e308::float8), (1, 11, 1e308), (2, 10, 1e308),
  (2, 11, 1e308), (3, 10, 1e308), (3, 12, 1)) v(project_id, premise_id, score)$$);
-- the same problem scaled down to 1e15 (the largest accepted): the three assigned
SELECT project_id, premise_id, score FROM smartregion.match_assign($$SELECT * FROM (VALUES (1, 10, 1e15::float8), (1, 11, 1e15),
  (2, 10, 1e15), (2, 11, 1e15), (3, 10, 1e15), (3, 12, 1)) v(project_id, premise_id, score)$$) ORDER BY project_id;

-- Malformed jsonb: wrong types, negative values, unknown words, the id named
SELECT smartregion.match_score('[1, 2]', '{}');
SELECT smartregion.match_score('{"id": 7, "team_size": "five"}', '{}');
SELECT smartregion.match_score('{"id": 7, "team_size": true}', '{}');
SELECT smartregion.match_score('{}', '{"id": 3, "surface_m2": -20}');
SELECT smartregion.match_score('{}', '{"id": 3, "rent_month": "cheap"}');
-- a double precision NaN or infinity of a query row: to_jsonb writes it as a string, which
-- was reported as 'must be a number, not a string'
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', $$SELECT 3 AS id, 2.35 AS lon, 'NaN'::float8 AS lat$$);
SELECT smartregion.match_score('{}', jsonb_build_object('id', 3, 'rent_month', 'Infinity'::float8));
SELECT smartregion.match_score('{"id": 7, "kinds": ["coworking", "spaceport"]}', '{}');
SELECT smartregion.match_score('{"id": 7, "kinds": [1, 2]}', '{}');
SELECT smartregion.match_score('{"id": 7, "amenities_wished": "wifi, kitchen"}', '{}');
SELECT smartregion.match_score('{"id": 7, "kinds": {"a": 1}}', '{}');
SELECT smartregion.match_score('{"id": 7, "start_date": "01/03/2025"}', '{}');
SELECT smartregion.match_score('{"id": 7, "lat": 95, "lon": 2}', '{}');
SELECT smartregion.match_score('{"id": 7, "lat": 48}', '{}');
SELECT smartregion.match_score('{"id": 7, "surface_min_m2": 80, "surface_max_m2": 40}', '{}');
SELECT smartregion.match_score('{}', '{"id": 3, "available_from": "2025-06-01", "available_to": "2025-01-01"}');
SELECT smartregion.match_score('{}', '{"id": 3, "location": "POINT(2 48)"}');
-- numbers past the double range: the field or weight named, not PostgreSQL's conversion error
SELECT smartregion.match_score('{"id": 7, "surface_min_m2": 1e400}', '{}');
SELECT smartregion.match_score('{}', '{}', '{"distance": 1e400}');
SELECT smartregion.match_score('{}', '{"id": 3, "location": {"type": "Point", "coordinates": [652000, 6862000]}}');
-- a geometry of another SRID: to_jsonb names its CRS, which is refused, named, rather than
-- read as degrees (a point of EPSG:3857 at x 2.36 m, y 48.85 m, 100 m from null island, was
-- taken for 2.36 E, 48.85 N: 0.73 km from the project, score 0.9035, with no error)
SELECT * FROM smartregion.match_candidates($$SELECT 1 AS id, ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326) AS location$$,
  $$SELECT 1 AS id, ST_SetSRID(ST_MakePoint(2.36, 48.85), 3857) AS location$$, 3);
SELECT smartregion.match_score('{}', jsonb_build_object('id', 3, 'location', ST_SetSRID(ST_MakePoint(652000, 6862000), 2154)));
SELECT smartregion.match_score('{"location": {"type": "Point", "coordinates": [2.35, 48.85], "crs": {"type": "link"}}}', '{}');
-- WGS84 under its other names is read as it is: the same point on both sides scores 1
SELECT smartregion.match_score(
  '{"location": {"type": "Point", "coordinates": [2.35, 48.85], "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}}',
  '{"lon": 2.35, "lat": 48.85}');
SELECT smartregion.match_score(jsonb_build_object('location', ST_AsGeoJSON(ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 9, 4)::jsonb),
                               '{"lon": 2.35, "lat": 48.85}');
SELECT smartregion.match_score('{}', '{"id": 3, "hours": {"mon": "9h-18h"}}');
SELECT smartregion.match_score('{}', '{"id": 3, "hours": {"monday": "09:00-18:00"}}');
SELECT smartregion.match_score('{}', '{"id": 3, "hours": {"mon": "14:00-18:00,09:00-12:00"}}');
SELECT smartregion.match_score('{}', '{"id": 3, "hours": {"mon": [[600, 300]]}}');
SELECT smartregion.match_score('{}', '{"id": 3, "hours": "always"}');
SELECT smartregion.match_score('{"id": 1.5}', '{}');
-- unknown keys are ignored (rows of wider tables are accepted as they are)
SELECT smartregion.match_score('{"id": 1, "name": "x", "territory_code": "11"}', '{"visibility": "public"}');

-- Weights
SELECT smartregion.match_score('{}', '{}', '{"colour": 1}');
SELECT smartregion.match_score('{}', '{}', '{"distance": -1}');
SELECT smartregion.match_score('{}', '{}', '{"distance": "high"}');
SELECT smartregion.match_score('{}', '{}', '{"decay": "cubic"}');
SELECT smartregion.match_score('{}', '{}', '{"decay": 2}');
SELECT smartregion.match_score('{}', '{}', '{"distance_scale_km": 0}');
SELECT smartregion.match_score('{}', '{}', '[1]');

-- Plugin criteria: wrong signature, out-of-range values, reserved names
-- (labels a criterion must have, so that the registration passes and the call sees the signature)
CREATE FUNCTION public.bad_sig(p jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 1.0::float8';
INSERT INTO smartregion.match_criterion (name, function) VALUES ('bad', 'public.bad_sig(jsonb)');
SELECT smartregion.match_score('{}', '{}');
DELETE FROM smartregion.match_criterion;
CREATE FUNCTION public.too_big(p jsonb, q jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 1.5::float8';
INSERT INTO smartregion.match_criterion (name, function) VALUES ('too_big', 'public.too_big(jsonb, jsonb)');
SELECT smartregion.match_score('{}', '{}');
-- a registered criterion is a weight like the built-in ones
SELECT smartregion.match_score('{}', '{}', '{"too_bigg": 1}');
SELECT smartregion.match_score('{}', '{}', '{"too_big": 2000}');
DELETE FROM smartregion.match_criterion;
INSERT INTO smartregion.match_criterion (name, function) VALUES ('distance', 'public.too_big(jsonb, jsonb)');
INSERT INTO smartregion.match_criterion (name, function, weight) VALUES ('heavy', 'public.too_big(jsonb, jsonb)', -1);
DROP FUNCTION public.bad_sig(jsonb);
INSERT INTO smartregion.match_criterion (name, function) VALUES ('gone', 'public.too_big(jsonb, jsonb)');
DROP FUNCTION public.too_big(jsonb, jsonb);
SELECT smartregion.match_score('{}', '{}');
DELETE FROM smartregion.match_criterion;

-- A criterion runs where match_score and match_explain run (STABLE PARALLEL SAFE), in a
-- parallel worker too: one declared VOLATILE, or not PARALLEL SAFE, is refused (42P13) when it
-- is registered, by the guard, and again before it is called (a function altered since its
-- registration).  Before, this one's nextval ran (a STABLE function writing a sequence) and a
-- parallel scan calling match_score failed ("cannot execute nextval() during a parallel
-- operation"); the sequence shows it is never called: last_value 1, is_called false
CREATE SEQUENCE public.crit_calls;
CREATE FUNCTION public.counted(p jsonb, q jsonb) RETURNS double precision LANGUAGE sql
  AS $$SELECT 0.5 + 0 * nextval('public.crit_calls')$$;
-- registration: VOLATILE (CREATE FUNCTION's default), then STABLE still PARALLEL UNSAFE, then
-- RESTRICTED: 42P13 each time, the registry left empty (0 rows).  The message names the
-- function schema-qualified: the guard runs with its pinned search_path (pg_catalog, pg_temp)
INSERT INTO smartregion.match_criterion (name, function) VALUES ('counted', 'public.counted(jsonb, jsonb)');
ALTER FUNCTION public.counted(jsonb, jsonb) STABLE;
INSERT INTO smartregion.match_criterion (name, function) VALUES ('counted', 'public.counted(jsonb, jsonb)');
ALTER FUNCTION public.counted(jsonb, jsonb) PARALLEL RESTRICTED;
INSERT INTO smartregion.match_criterion (name, function) VALUES ('counted', 'public.counted(jsonb, jsonb)');
SELECT count(*) AS registered FROM smartregion.match_criterion;
-- an UPDATE writing it into a row already registered is refused alike (steady, IMMUTABLE
-- PARALLEL SAFE, registers; its row still names steady afterwards)
CREATE FUNCTION public.steady(p jsonb, q jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS 'SELECT 0.5::float8';
INSERT INTO smartregion.match_criterion (name, function) VALUES ('steady', 'public.steady(jsonb, jsonb)');
UPDATE smartregion.match_criterion SET function = 'public.counted(jsonb, jsonb)' WHERE name = 'steady';
SELECT name, function FROM smartregion.match_criterion;
DELETE FROM smartregion.match_criterion;
DROP FUNCTION public.steady(jsonb, jsonb);
-- STABLE PARALLEL SAFE registers; altered VOLATILE afterwards, the readers refuse it before
-- calling it: match_score, match_explain; then STABLE PARALLEL UNSAFE, then RESTRICTED
ALTER FUNCTION public.counted(jsonb, jsonb) PARALLEL SAFE;
INSERT INTO smartregion.match_criterion (name, function) VALUES ('counted', 'public.counted(jsonb, jsonb)');
ALTER FUNCTION public.counted(jsonb, jsonb) VOLATILE;
SELECT smartregion.match_score('{}', '{}');
SELECT smartregion.match_explain('{}', '{}');
ALTER FUNCTION public.counted(jsonb, jsonb) STABLE PARALLEL UNSAFE;
SELECT smartregion.match_score('{}', '{}');
ALTER FUNCTION public.counted(jsonb, jsonb) PARALLEL RESTRICTED;
SELECT smartregion.match_score('{}', '{}');
SELECT last_value, is_called FROM public.crit_calls;
DELETE FROM smartregion.match_criterion;
DROP FUNCTION public.counted(jsonb, jsonb);
DROP SEQUENCE public.crit_calls;
-- STABLE PARALLEL SAFE is accepted: 0.5, the criterion's value alone (no built-in criterion
-- has data on empty objects)
CREATE FUNCTION public.steady(p jsonb, q jsonb) RETURNS double precision LANGUAGE sql STABLE PARALLEL SAFE
  AS 'SELECT 0.5::float8';
INSERT INTO smartregion.match_criterion (name, function) VALUES ('steady', 'public.steady(jsonb, jsonb)');
SELECT smartregion.match_score('{}', '{}') AS steady_score;
DELETE FROM smartregion.match_criterion;
DROP FUNCTION public.steady(jsonb, jsonb);

-- The registry holds a signature, not an OID (pg_upgrade refuses a regprocedure
-- column): written with the writer's search_path, stored schema-qualified with
-- its argument types (pg_catalog.jsonb), so that it names the same function for
-- a caller whose search_path does not hold public
CREATE FUNCTION public.quiet_me(p jsonb, q jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 0.5::float8';
SET search_path = public;
INSERT INTO smartregion.match_criterion (name, function) VALUES ('quiet', 'quiet_me(jsonb, jsonb)');
INSERT INTO smartregion.match_criterion (name, function) VALUES ('nope', 'nope_me(jsonb, jsonb)');
RESET search_path;
SELECT name, function FROM smartregion.match_criterion;
SET search_path = pg_catalog;
-- 0.5: the criterion's value alone (no other criterion has data on empty objects)
SELECT smartregion.match_score('{}', '{}') AS score_with_public_not_in_path;
RESET search_path;
-- an update leaving the signature as it is does not resolve it again; changing it does
UPDATE smartregion.match_criterion SET weight = 2;
UPDATE smartregion.match_criterion SET function = 'public.nope_me(jsonb, jsonb)';
-- a signature is a name: the function given to another owner after its registration
-- (who could redefine it), or dropped and made again by another role, is refused at
-- the call as it would be at the registration
CREATE ROLE sr_matching_errors_owner;
ALTER FUNCTION public.quiet_me(jsonb, jsonb) OWNER TO sr_matching_errors_owner;
SELECT smartregion.match_score('{}', '{}');
DROP FUNCTION public.quiet_me(jsonb, jsonb);
SELECT smartregion.match_score('{}', '{}');
-- a row whose function is gone keeps its other columns writable (the signature, unchanged,
-- is not resolved again; before: 42883 from sr_code_guard's owner check); the call
-- still refuses it
UPDATE smartregion.match_criterion SET weight = 0.25 WHERE name = 'quiet';
SELECT name, weight FROM smartregion.match_criterion;
DELETE FROM smartregion.match_criterion;
DROP ROLE sr_matching_errors_owner;
-- what names no function is refused when written (42883), as a name that resolves to
-- nothing is: regprocedure's input also reads '-' (OID 0) and any number as an OID,
-- without looking it up (before: stored as '0' and '4294967295')
INSERT INTO smartregion.match_criterion (name, function) VALUES ('dash', '-');
INSERT INTO smartregion.match_criterion (name, function) VALUES ('zero', '0');
INSERT INTO smartregion.match_criterion (name, function) VALUES ('number', '4294967295');
SELECT count(*) AS registered FROM smartregion.match_criterion;

-- match_candidates: missing ids, locations, duplicates, k, wrong columns
SELECT * FROM smartregion.match_candidates('SELECT 2.3 AS lon, 48.8 AS lat', 'SELECT 1 AS id, 2.3 AS lon, 48.8 AS lat');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 5 AS id');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat UNION ALL SELECT 5, 2, 48');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id UNION ALL SELECT 1', 'SELECT 5 AS id, 2 AS lon, 48 AS lat');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat', 0);
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat', 10, NULL, 'SELECT 1 AS project_id, 5 AS premise');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat', 10, NULL,
  $$SELECT * FROM (VALUES (1, 5, 10), (1, 5, 12)) t(project_id, premise_id, minutes)$$);
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat', 10, NULL,
  $$SELECT 1 AS project_id, 5 AS premise_id, -3 AS minutes$$);
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', '  ;  ');
SELECT * FROM smartregion.match_candidates(NULL, 'SELECT 1 AS id');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 3 AS id, -5 AS surface_m2, 2 AS lon, 48 AS lat');
-- the query arguments are read as every *_sql argument is (docs/query-arguments.md)
SELECT * FROM smartregion.match_candidates('SELECT 1.0 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat');
SELECT * FROM smartregion.match_candidates('SELECT NULL::bigint AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat', 10, NULL,
  'SELECT 1 AS project_id, 5 AS premise_id, NULL::float8 AS minutes');
SELECT * FROM smartregion.match_candidates('SELECT 1 AS id; SELECT 2 AS id', 'SELECT 5 AS id, 2 AS lon, 48 AS lat');

-- match_assign: wrong columns, NULLs, duplicates, NaN, capacities, method
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise, 0.5 AS score');
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, ''high''::text AS score');
SELECT * FROM smartregion.match_assign('SELECT NULL::int AS project_id, 2 AS premise_id, 0.5 AS score');
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, NULL::float8 AS score');
SELECT * FROM smartregion.match_assign($$SELECT * FROM (VALUES (1, 2, 0.5), (3, 4, 0.2), (1, 2, 0.7)) v(project_id, premise_id, score)$$, 'greedy');
SELECT * FROM smartregion.match_assign($$SELECT * FROM (VALUES (1, 2, 0.5), (3, 4, 'NaN')) v(project_id, premise_id, score)$$, 'stable');
SELECT * FROM smartregion.match_assign($$SELECT * FROM (VALUES (1, 2, 0.5), (3, 4, 'Infinity')) v(project_id, premise_id, score)$$);
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'hungarian');
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'optimal', 'SELECT 2 AS premise_id, -1 AS capacity');
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'optimal',
  $$SELECT * FROM (VALUES (2, 1), (2, 3)) c(premise_id, capacity)$$);
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'optimal', 'SELECT 2 AS premise_id');
SELECT * FROM smartregion.match_assign(NULL);
-- a NULL method is the default, optimal: (1, 11) + (2, 10) = 1.65 beats greedy's (1, 10) = 0.9
SELECT * FROM smartregion.match_assign(
  'SELECT * FROM (VALUES (1, 10, 0.9), (1, 11, 0.8), (2, 10, 0.85)) t(project_id, premise_id, score)', NULL)
 ORDER BY project_id;
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'optimal', 'SELECT 2 AS premise_id, 1.0 AS capacity');
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'optimal', 'SELECT 2 AS premise_id, NULL::int AS capacity');
SELECT * FROM smartregion.match_assign('DELETE FROM smartregion.match_criterion RETURNING 1 AS project_id, 2 AS premise_id, 0.5 AS score');
-- an empty pair set is not an error: nothing to assign
SELECT count(*) FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score WHERE false');
-- pairs with a score <= 0 are never assigned
SELECT count(*) FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.0 AS score');
-- smartregion.max_call_memory: match_candidates holds every premise (600
-- bytes), project (340 bytes) and row of travel_sql (40 bytes) until it
-- ends, and match_assign every pair (300 bytes) (sr_matching.h, measured in
-- docs/performance-cadastre.md).  3 kB = 3,072 bytes hold 3 premises and 3
-- projects (1,800 + 1,020 = 2,820) and not a fourth project (3,160):
-- refused at row 4 of projects_sql, the 7th read.
SET smartregion.max_call_memory = '3kB';
SELECT count(*) FROM smartregion.match_candidates('SELECT n AS id, 2.35 AS lon, 48.85 AS lat FROM generate_series(1, 3) n',
  'SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat FROM generate_series(1, 3) n', 1);
SELECT count(*) FROM smartregion.match_candidates('SELECT n AS id, 2.35 AS lon, 48.85 AS lat FROM generate_series(1, 4) n',
  'SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat FROM generate_series(1, 3) n', 1);
-- travel times: 2 premises and 2 projects (1,880) and 29 rows (1,160) make
-- 3,040 bytes; a 30th row 3,080: refused, though its pair, outside the two
-- queries, would be skipped (every row read counts)
SELECT count(*) FROM smartregion.match_candidates('SELECT n AS id FROM generate_series(1, 2) n',
  'SELECT n AS id FROM generate_series(1, 2) n', 1, NULL,
  'SELECT 1 AS project_id, n AS premise_id, 10.0 AS minutes FROM generate_series(1, 29) n');
SELECT count(*) FROM smartregion.match_candidates('SELECT n AS id FROM generate_series(1, 2) n',
  'SELECT n AS id FROM generate_series(1, 2) n', 1, NULL,
  'SELECT 1 AS project_id, n AS premise_id, 10.0 AS minutes FROM generate_series(1, 30) n');
-- with a registered criterion every record's jsonb is kept for it, counted
-- as the allocator holds its copy (a power of two up to 8 kB, and a 16-byte
-- header): a premise of 182 bytes (shown) holds 256 + 16, so 600 + 272 =
-- 872 bytes; a project of 70 bytes, 128 + 16: 340 + 144 = 484 bytes.  Two
-- premises and a project make 2,228 bytes; three premises and a project
-- 3,100: refused at the project's row.  (Without the criterion, the same
-- three premises and project make 2,140 bytes and pass.)
SELECT pg_column_size(to_jsonb(q)) AS premise_jsonb_bytes
  FROM (SELECT 1 AS id, 2.35 AS lon, 48.86 AS lat, repeat('x', 100) AS note) q;
SELECT pg_column_size(to_jsonb(q)) AS project_jsonb_bytes FROM (SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat) q;
SELECT count(*) FROM smartregion.match_candidates('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat',
  $$SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat, repeat('x', 100) AS note FROM generate_series(1, 3) n$$, 1);
CREATE FUNCTION public.anything(p jsonb, q jsonb) RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 1.0::float8';
INSERT INTO smartregion.match_criterion (name, function) VALUES ('anything', 'public.anything(jsonb, jsonb)');
SELECT count(*) FROM smartregion.match_candidates('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat',
  $$SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat, repeat('x', 100) AS note FROM generate_series(1, 2) n$$, 1);
SELECT count(*) FROM smartregion.match_candidates('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat',
  $$SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat, repeat('x', 100) AS note FROM generate_series(1, 3) n$$, 1);
DELETE FROM smartregion.match_criterion;
DROP FUNCTION public.anything(jsonb, jsonb);
-- match_assign: 2 kB = 2,048 bytes hold 6 pairs (1,800) and not 7 (2,100)
SET smartregion.max_call_memory = '2kB';
SELECT count(*) FROM smartregion.match_assign('SELECT n AS project_id, n AS premise_id, 0.5 AS score FROM generate_series(1, 6) n');
SELECT count(*) FROM smartregion.match_assign('SELECT n AS project_id, n AS premise_id, 0.5 AS score FROM generate_series(1, 7) n');
-- capacities are not counted: they fill an array of the pairs' premises
SELECT count(*) FROM smartregion.match_assign('SELECT n AS project_id, n AS premise_id, 0.5 AS score FROM generate_series(1, 6) n',
  'optimal', 'SELECT n AS premise_id, 1 AS capacity FROM generate_series(1, 1000) n');
RESET smartregion.max_call_memory;
-- tierslieux_coverage: a département or région that no territory has is 42704 (it gave no
-- row, as a département without a commune); "35" of tierslieux_coverage.sql still answers
\set VERBOSITY sqlstate
SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat', '{"departement": "7"}');
SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat', '{"region": "99"}');
\set VERBOSITY default
SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat', '{"departement": "7"}');
SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat', '{"region": "99"}');
