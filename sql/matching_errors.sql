-- Tiers-lieux matching: bad input gets an error naming the field, column or
-- row id, with a specific SQLSTATE; never a crash or a silent wrong answer.
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

-- Malformed jsonb: wrong types, negative values, unknown words, the id named
SELECT smartregion.match_score('[1, 2]', '{}');
SELECT smartregion.match_score('{"id": 7, "team_size": "five"}', '{}');
SELECT smartregion.match_score('{"id": 7, "team_size": true}', '{}');
SELECT smartregion.match_score('{}', '{"id": 3, "surface_m2": -20}');
SELECT smartregion.match_score('{}', '{"id": 3, "rent_month": "cheap"}');
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
CREATE FUNCTION public.bad_sig(p jsonb) RETURNS double precision LANGUAGE sql AS 'SELECT 1.0::float8';
INSERT INTO smartregion.match_criterion (name, function) VALUES ('bad', 'public.bad_sig(jsonb)');
SELECT smartregion.match_score('{}', '{}');
DELETE FROM smartregion.match_criterion;
CREATE FUNCTION public.too_big(p jsonb, q jsonb) RETURNS double precision LANGUAGE sql AS 'SELECT 1.5::float8';
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
\set VERBOSITY terse
SELECT smartregion.match_score('{}', '{}');
\set VERBOSITY default
DELETE FROM smartregion.match_criterion;

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
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'optimal', 'SELECT 2 AS premise_id, 1.0 AS capacity');
SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score', 'optimal', 'SELECT 2 AS premise_id, NULL::int AS capacity');
SELECT * FROM smartregion.match_assign('DELETE FROM smartregion.match_criterion RETURNING 1 AS project_id, 2 AS premise_id, 0.5 AS score');
-- an empty pair set is not an error: nothing to assign
SELECT count(*) FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.5 AS score WHERE false');
-- pairs with a score <= 0 are never assigned
SELECT count(*) FROM smartregion.match_assign('SELECT 1 AS project_id, 2 AS premise_id, 0.0 AS score');
