-- Tiers-lieux matching: scores checked by hand, plugin criteria, top-k,
-- assignments compared with brute force written in plain SQL.
SET extra_float_digits = 0;

-- 1. A score computed by hand -------------------------------------------------
-- same place (distance 1.0, weight .30), rent 600 of a 1000 budget (price
-- 1 - 600/2000 = 0.7, .20), 45 m2 for a 40-60 range (target 50: 0.9, .15),
-- capacity 4 for a team of 5 (0.8, .10); amenities and hours have no data, so
-- they are left out: (.30 + .14 + .135 + .08) / .75 = 0.873333
SELECT round(smartregion.match_score(
  '{"id": 1, "location": {"type": "Point", "coordinates": [2.35, 48.85]}, "budget_month": 1000,
    "surface_min_m2": 40, "surface_max_m2": 60, "team_size": 5}',
  '{"id": 2, "lon": 2.35, "lat": 48.85, "rent_month": 600, "surface_m2": 45, "capacity": 4}')::numeric, 6) AS hand_0_873333;

-- contributions add up to the score
SELECT c ->> 'name' AS criterion, (c ->> 'applicable')::boolean AS applicable,
       round((c ->> 'value')::numeric, 4) AS value, round((c ->> 'contribution')::numeric, 6) AS contribution
  FROM jsonb_array_elements(smartregion.match_explain(
  '{"id": 1, "lon": 2.35, "lat": 48.85, "budget_month": 1000, "surface_min_m2": 40, "surface_max_m2": 60, "team_size": 5}',
  '{"id": 2, "lon": 2.35, "lat": 48.85, "rent_month": 600, "surface_m2": 45, "capacity": 4}') -> 'criteria') c;

-- 2. Decay functions at one degree of latitude (111.195080 km = R pi / 180,
-- R = 6371.0088 km), distance weight only ------------------------------------
SELECT d.decay, d.scale, round(smartregion.match_score(
         '{"id": 1, "lon": 2, "lat": 48}', '{"id": 2, "lon": 2, "lat": 49}',
         jsonb_build_object('surface', 0, 'price', 0, 'amenities', 0, 'hours', 0, 'capacity', 0,
                            'decay', d.decay, 'distance_scale_km', d.scale))::numeric, 6) AS score,
       d.expected
  FROM (VALUES ('exponential', 111.1950802335329, '0.5 = 2^-1'),
               ('exponential', 55.59754011676645, '0.25 = 2^-2'),
               ('linear', 111.1950802335329, '0.5 = 1 - 1/2'),
               ('gaussian', 55.59754011676645, '0.0625 = 2^-(2^2)'),
               ('logistic', 111.1950802335329, '0.509158 = (1 + e^-4) / 2')) d(decay, scale, expected);

-- 3. Wished amenities (Jaccard 2/5) and opening hours (7 of 9 hours) --------
SELECT round(smartregion.match_score(
  '{"id": 1, "amenities_wished": ["wifi", "printer", "shower"]}',
  '{"id": 2, "amenities": ["wifi", "printer", "kitchen", "parking"]}')::numeric, 6) AS jaccard_0_4,
       round(smartregion.match_score(
  '{"id": 1, "hours": {"mon": "09:00-18:00"}}',
  '{"id": 2, "hours": {"mon": ["08:00-12:00", [840, 1200]], "tue": "closed"}}')::numeric, 6) AS hours_0_777778;

-- the empty cases of the amenities (docs/matching.md): wifi and kitchen
-- wished, distance 0 (1, w .3), rent 500 of 1000 (0.75, w .2); a premise
-- listing none ([]) has Jaccard 0: (.3 + .15) / .65 = 0.692308, [wifi] 1/2:
-- .525 / .65 = 0.807692; one whose amenities are unknown (absent, null)
-- leaves the criterion out: .45 / .5 = 0.9 (it counted as none: 0.692308);
-- a project wishing nothing leaves it out too: 0.9
SELECT v.premise, round(smartregion.match_score(
         '{"lon": 2.35, "lat": 48.85, "budget_month": 1000, "amenities_wished": ["wifi", "kitchen"]}',
         v.q::jsonb)::numeric, 6) AS score,
       smartregion.match_explain(
         '{"lon": 2.35, "lat": 48.85, "budget_month": 1000, "amenities_wished": ["wifi", "kitchen"]}',
         v.q::jsonb) -> 'criteria' -> 3 ->> 'detail' AS amenities_detail,
       round(smartregion.match_score('{"lon": 2.35, "lat": 48.85, "budget_month": 1000}', v.q::jsonb)::numeric, 6)
         AS nothing_wished
  FROM (VALUES ('absent', '{"lon": 2.35, "lat": 48.85, "rent_month": 500}'),
               ('null', '{"lon": 2.35, "lat": 48.85, "rent_month": 500, "amenities": null}'),
               ('[]', '{"lon": 2.35, "lat": 48.85, "rent_month": 500, "amenities": []}'),
               ('[wifi]', '{"lon": 2.35, "lat": 48.85, "rent_month": 500, "amenities": ["wifi"]}'),
               ('[parking]', '{"lon": 2.35, "lat": 48.85, "rent_month": 500, "amenities": ["parking"]}')) v(premise, q)
 ORDER BY v.premise;
-- match_candidates agrees, from a table's NULL and '{}' (to_jsonb: null, [])
SELECT c.premise_id, c.rank, round(c.score::numeric, 6) AS score
  FROM smartregion.match_candidates(
    $$SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat, 1000 AS budget_month, ARRAY['wifi', 'kitchen'] AS amenities_wished$$,
    $$SELECT * FROM (VALUES (1, NULL::text[]), (2, '{}'), (3, '{wifi}'), (4, '{parking}')) v(id, amenities)
        CROSS JOIN (SELECT 2.35 AS lon, 48.85 AS lat, 500 AS rent_month) c$$, 10) c
 ORDER BY c.rank;
-- a required amenity fails on unknown amenities, as an unknown surface does
SELECT smartregion.match_explain('{"amenities_required": ["wifi"]}', '{}') -> 'failed' AS unknown_required;
-- so does a maximum distance where a location is missing on either side (matching.md, travel)
SELECT smartregion.match_explain('{"max_distance_km": 10}', '{"lon": 2.35, "lat": 48.85}') -> 'failed' AS no_project_location,
       smartregion.match_explain('{"max_distance_km": 10, "lon": 2.35, "lat": 48.85}', '{}') -> 'failed' AS no_premise_location;

-- capacity fit is symmetric: team 3 / capacity 12 and team 12 / capacity 3 give 0.25
SELECT round(smartregion.match_score('{"team_size": 3}', '{"capacity": 12}')::numeric, 6) AS a,
       round(smartregion.match_score('{"team_size": 12}', '{"capacity": 3}')::numeric, 6) AS b;

-- a criterion left out with data on both sides says why (it said "no data on
-- one side"): capacity 0 for a team of 0 is no ratio, a budget of 0 no share
SELECT c ->> 'name' AS criterion, (c ->> 'applicable')::boolean AS applicable, c ->> 'detail' AS detail
  FROM jsonb_array_elements(smartregion.match_explain(
         '{"team_size": 0, "budget_month": 0, "hours": {"mon": "closed"}}',
         '{"capacity": 0, "rent_month": 0, "hours": {"mon": "09:00-18:00"}}') -> 'criteria') c;

-- 4. Hard constraints: each failure is named with its reason ------------------
SELECT f ->> 'name' AS failed, f ->> 'reason' AS reason
  FROM jsonb_array_elements(smartregion.match_explain(
    '{"id": 1, "lon": 2.35, "lat": 48.85, "max_distance_km": 5, "kinds": ["fablab"],
      "surface_min_m2": 50, "budget_month": 500, "start_date": "2025-03-01", "duration_months": 3,
      "step_free_needed": true, "amenities_required": ["wifi", "3d_printer"], "activities": ["noise"]}',
    '{"id": 2, "lon": 2.35, "lat": 48.95, "kinds": ["coworking", "office"], "surface_m2": 30,
      "rent_month": 800, "available_from": "2025-04-01", "min_term_months": 12, "step_free": false,
      "amenities": ["wifi"], "activities_allowed": ["events"]}') -> 'failed') f;
SELECT smartregion.match_score('{"kinds": ["fablab"]}', '{"kinds": ["fablab", "living_lab"]}') AS kind_ok,
       smartregion.match_score('{"budget_month": 500}', '{"rent_month": 500}') AS at_budget_0_5,
       smartregion.match_score('{"start_date": "2025-01-01"}', '{"available_to": "2024-12-31"}') AS ended,
       smartregion.match_score('{"id": 1}', '{"id": 2}') AS nothing_to_compare,
       smartregion.match_score(NULL, '{}') AS null_in;

-- score decreases with distance, for every decay
SELECT d.decay, bool_and(s.score >= s.next) AS monotone, min(s.score) >= 0 AND max(s.score) <= 1 AS in_range
  FROM (VALUES ('exponential'), ('linear'), ('gaussian'), ('logistic')) d(decay)
 CROSS JOIN LATERAL (
   SELECT smartregion.match_score(p, jsonb_build_object('lon', 2.35, 'lat', 48.85 + i * 0.02, 'rent_month', 700), w) AS score,
          smartregion.match_score(p, jsonb_build_object('lon', 2.35, 'lat', 48.85 + (i + 1) * 0.02, 'rent_month', 700), w) AS next
     FROM generate_series(0, 40) i,
          LATERAL (SELECT '{"lon": 2.35, "lat": 48.85, "budget_month": 1000}'::jsonb AS p,
                          jsonb_build_object('decay', d.decay) AS w) x) s
 GROUP BY d.decay ORDER BY d.decay;

-- 5. A plugin criterion added at test time ------------------------------------
CREATE FUNCTION public.test_quiet(project jsonb, premise jsonb) RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN (premise ->> 'noise_db')::float8 < 45 THEN 1.0
              WHEN premise ? 'noise_db' THEN 0.0 END  -- NULL: no data
$$;
INSERT INTO smartregion.match_criterion (name, function, weight, hard, description)
VALUES ('quiet', 'public.test_quiet(jsonb, jsonb)', 0.75, false, 'test: premises under 45 dB');
-- 0.655/0.75 becomes (0.655 + 0.75 * v) / 1.5: v = 1 -> 0.936667, v = 0 -> 0.436667,
-- no data -> unchanged 0.873333
SELECT n.noise, round(smartregion.match_score(
  '{"id": 1, "lon": 2.35, "lat": 48.85, "budget_month": 1000, "surface_min_m2": 40, "surface_max_m2": 60, "team_size": 5}',
  '{"id": 2, "lon": 2.35, "lat": 48.85, "rent_month": 600, "surface_m2": 45, "capacity": 4}'::jsonb || n.extra)::numeric, 6) AS score
  FROM (VALUES ('40 dB', '{"noise_db": 40}'::jsonb), ('60 dB', '{"noise_db": 60}'), ('unknown', '{}')) n(noise, extra);
-- its weight can be overridden per call like a built-in one: weight 0 -> back to 0.873333
SELECT round(smartregion.match_score('{"lon": 2.35, "lat": 48.85, "budget_month": 1000, "surface_min_m2": 40, "surface_max_m2": 60, "team_size": 5}',
  '{"lon": 2.35, "lat": 48.85, "rent_month": 600, "surface_m2": 45, "capacity": 4, "noise_db": 60}', '{"quiet": 0}')::numeric, 6) AS quiet_weight_0;
-- as a hard criterion, 0 or NULL fails the pair
UPDATE smartregion.match_criterion SET hard = true WHERE name = 'quiet';
SELECT smartregion.match_score('{}', '{"noise_db": 60}') AS loud, smartregion.match_score('{}', '{}') AS unknown,
       smartregion.match_score('{}', '{"noise_db": 30}') AS quiet;
SELECT smartregion.match_explain('{}', '{"noise_db": 60}') -> 'failed' AS failed;
SELECT name, provider IS NULL AS by_hand FROM smartregion.match_criterion;
DELETE FROM smartregion.match_criterion;
-- the registry is an extension configuration table: its rows survive pg_dump
-- (rows registered by hand, provider NULL; another extension's rows are re-created by it)
SELECT 'smartregion.match_criterion'::regclass = ANY (extconfig) AS dumped,
       extcondition[array_position(extconfig, 'smartregion.match_criterion'::regclass)] AS condition
  FROM pg_extension WHERE extname = 'smartregion';

-- 6. match_candidates ----------------------------------------------------------
-- premises due north of the project every 0.01 degree (1.111951 km); distance
-- only: score 2^(-1.111951 n / 5) = 0.857144, 0.734696, 0.629741 for n = 1..3
SELECT * FROM smartregion.match_candidates(
  $$SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat$$,
  $$SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat FROM generate_series(1, 50) n$$,
  3, '{"surface": 0, "price": 0, "amenities": 0, "hours": 0, "capacity": 0}') c
 ORDER BY project_id, rank;
-- k => NULL takes the default, 10 (docs/matching.md: as a NULL weights or method):
-- the scores fall with n, so the 10 best are premises 1..10, ranked by their n
SELECT count(*) AS n_rows, min(premise_id) AS first, max(premise_id) AS last, bool_and(rank = premise_id) AS ranked_by_n
  FROM smartregion.match_candidates(
  $$SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat$$,
  $$SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat FROM generate_series(1, 50) n$$,
  NULL, '{"surface": 0, "price": 0, "amenities": 0, "hours": 0, "capacity": 0}');
-- hard filters: kinds and maximum distance (3 km keeps n = 1, 2)
SELECT project_id, premise_id, rank FROM smartregion.match_candidates(
  $$SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat, 3 AS max_distance_km, ARRAY['fablab'] AS kinds$$,
  $$SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat,
           CASE WHEN n % 2 = 0 THEN ARRAY['fablab'] ELSE ARRAY['coworking'] END AS kinds
      FROM generate_series(1, 50) n$$) ORDER BY rank;
-- travel times replace the distance: 2^(-minutes/30): 10 -> 0.793701, 20 -> 0.629961;
-- 45 min exceeds max_travel_min; pairs not listed are not candidates
SELECT project_id, premise_id, rank, round(score::numeric, 6) AS score FROM smartregion.match_candidates(
  $$SELECT 1 AS id, 2.35 AS lon, 48.85 AS lat, 40 AS max_travel_min$$,
  $$SELECT n AS id, 2.35 AS lon, 48.85 + n * 0.01 AS lat FROM generate_series(1, 5) n$$,
  10, '{"surface": 0, "price": 0, "amenities": 0, "hours": 0, "capacity": 0}',
  $$SELECT * FROM (VALUES (1, 4, 10.0), (1, 2, 20.0), (1, 1, 45.0), (1, 99, 1.0)) t(project_id, premise_id, minutes)$$)
 ORDER BY rank;
-- bigint ids are kept exactly (2^53 + 1 is not a double)
SELECT project_id, premise_id, rank FROM smartregion.match_candidates(
  'SELECT 9007199254740993 AS id, 2 AS lon, 48 AS lat', 'SELECT 9007199254740995 AS id, 2 AS lon, 48 AS lat');
-- top-k of the grid equals a scan with match_score (400 premises, 5 projects)
WITH pr AS (SELECT i AS id, 2 + i * 0.1 AS lon, 48.5 + i * 0.05 AS lat, 600 + i * 50 AS budget_month,
                   ARRAY['coworking'] AS kinds FROM generate_series(1, 5) i),
     pm AS (SELECT j AS id, 2 + (j % 20) * 0.03 AS lon, 48.5 + (j / 20) * 0.02 AS lat,
                   300 + (j * 37) % 700 AS rent_month,
                   CASE WHEN j % 3 = 0 THEN ARRAY['fablab'] ELSE ARRAY['coworking'] END AS kinds
              FROM generate_series(1, 400) j),
     scan AS (SELECT pr.id AS project_id, pm.id AS premise_id,
                     row_number() OVER (PARTITION BY pr.id ORDER BY smartregion.match_score(to_jsonb(pr), to_jsonb(pm)) DESC, pm.id) AS rank
                FROM pr, pm WHERE smartregion.match_score(to_jsonb(pr), to_jsonb(pm)) > 0)
SELECT count(*) AS rows_compared, count(*) FILTER (WHERE s.premise_id = c.premise_id) AS same
  FROM smartregion.match_candidates(
         $$SELECT i AS id, 2 + i * 0.1 AS lon, 48.5 + i * 0.05 AS lat, 600 + i * 50 AS budget_month, ARRAY['coworking'] AS kinds FROM generate_series(1, 5) i$$,
         $$SELECT j AS id, 2 + (j % 20) * 0.03 AS lon, 48.5 + (j / 20) * 0.02 AS lat, 300 + (j * 37) % 700 AS rent_month,
                  CASE WHEN j % 3 = 0 THEN ARRAY['fablab'] ELSE ARRAY['coworking'] END AS kinds FROM generate_series(1, 400) j$$, 7) c
  JOIN scan s USING (project_id, rank);
-- no max_distance_km, premises over 600 km, several criteria (coarse values):
-- the k-d tree search (on both cores) equals a brute-force scan with match_score,
-- premise by premise and score by score (20 projects x 2,000 premises, k = 10); an
-- independent Python scoring of the same rows gives 200 top rows, 184 of them > 50 km away
CREATE TEMP TABLE upr AS
SELECT i AS id, -2 + (i * 7919 % 1000) * 0.008 AS lon, 43 + (i * 104729 % 1000) * 0.006 AS lat,
       20 + 5 * (i % 7) AS surface_min_m2, 90 + 10 * (i % 9) AS surface_max_m2, 1 + i % 8 AS team_size,
       1200 + 100 * (i % 10) AS budget_month,
       CASE WHEN i % 2 = 0 THEN ARRAY['wifi', 'kitchen'] ELSE ARRAY['printer'] END AS amenities_wished,
       CASE WHEN i % 4 = 0 THEN ARRAY['coworking', 'office'] ELSE ARRAY[]::text[] END AS kinds
  FROM generate_series(1, 20) i;
CREATE TEMP TABLE upm AS
SELECT j AS id, -2 + (j * 7907 % 2000) * 0.004 AS lon, 43 + (j * 6007 % 2000) * 0.003 AS lat,
       10 + 10 * (j % 20) AS surface_m2, 1 + j % 12 AS capacity, 300 + 100 * (j * 13 % 20) AS rent_month,
       CASE j % 4 WHEN 0 THEN ARRAY['wifi', 'kitchen'] WHEN 1 THEN ARRAY['wifi', 'printer']
                  WHEN 2 THEN ARRAY['kitchen', 'printer'] ELSE ARRAY['wifi'] END AS amenities,
       CASE j % 3 WHEN 0 THEN ARRAY['coworking'] WHEN 1 THEN ARRAY['office'] ELSE ARRAY['fablab'] END AS kinds
  FROM generate_series(1, 2000) j;
WITH scan AS (
  SELECT project_id, premise_id, score, row_number() OVER (PARTITION BY project_id ORDER BY score DESC, premise_id) AS rank
    FROM (SELECT pr.id AS project_id, pm.id AS premise_id, smartregion.match_score(to_jsonb(pr), to_jsonb(pm)) AS score
            FROM upr pr, upm pm) x
   WHERE score > 0),
cand AS (SELECT * FROM smartregion.match_candidates('SELECT * FROM upr', 'SELECT * FROM upm', 10))
SELECT count(*) FILTER (WHERE s.rank IS NOT NULL) AS brute_force_rows,
       count(*) FILTER (WHERE s.premise_id IS DISTINCT FROM c.premise_id OR s.score IS DISTINCT FROM c.score) AS mismatches,
       count(*) FILTER (WHERE 2 * 6371.0088 * asin(sqrt(sin(radians(pm.lat - pr.lat) / 2) ^ 2
                          + cos(radians(pr.lat)) * cos(radians(pm.lat)) * sin(radians(pm.lon - pr.lon) / 2) ^ 2)) > 50)
         AS top_farther_than_50_km
  FROM (SELECT * FROM scan WHERE rank <= 10) s FULL JOIN cand c USING (project_id, rank)
  LEFT JOIN upr pr ON pr.id = s.project_id LEFT JOIN upm pm ON pm.id = s.premise_id;
-- one thread (max_parallel_workers_per_gather = 0) gives the same rows as two
CREATE TEMP TABLE ucand AS SELECT * FROM smartregion.match_candidates('SELECT * FROM upr', 'SELECT * FROM upm', 10);
SET max_parallel_workers_per_gather = 0;
SELECT count(*) AS rows_differing
  FROM ((SELECT * FROM ucand EXCEPT SELECT * FROM smartregion.match_candidates('SELECT * FROM upr', 'SELECT * FROM upm', 10))
        UNION ALL
        (SELECT * FROM smartregion.match_candidates('SELECT * FROM upr', 'SELECT * FROM upm', 10) EXCEPT SELECT * FROM ucand)) d;
RESET max_parallel_workers_per_gather;
DROP TABLE upr, upm, ucand;

-- 7. Hub tables: rows of hub.premises / hub.projects are read as they are -----
SET client_min_messages = warning;
SELECT table_name FROM smartregion.create_hub('mhub') WHERE service = 'tiers_lieux_matching' ORDER BY 1;
INSERT INTO mhub.premises (id, name, location, kinds, surface_m2, capacity, rent_month, amenities, hours)
VALUES (10, 'near', ST_SetSRID(ST_MakePoint(2.35, 48.86), 4326), '{coworking}', 60, 8, 900, '{wifi}', '{"mon": "08:00-19:00"}'),
       (11, 'far', ST_SetSRID(ST_MakePoint(2.35, 48.95), 4326), '{coworking}', 60, 8, 900, '{wifi}', NULL),
       (12, 'fablab', ST_SetSRID(ST_MakePoint(2.35, 48.851), 4326), '{fablab}', 60, 8, 900, '{}', NULL);
INSERT INTO mhub.projects (id, name, location, kinds, team_size, budget_month, amenities_required)
VALUES (1, 'startup', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), '{coworking}', 6, 1000, '{wifi}');
SELECT project_id, premise_id, rank FROM smartregion.match_candidates(
  'SELECT * FROM mhub.projects', 'SELECT * FROM mhub.premises;') ORDER BY rank;
DROP SCHEMA mhub CASCADE;
RESET client_min_messages;

-- 8. match_assign against brute force in plain SQL ---------------------------------
-- 7 projects, 4 premises (capacities 2, 1, 1, 0), pairs with deterministic scores, some missing
CREATE TEMP TABLE pairs AS
SELECT p AS project_id, 100 + q AS premise_id,
       round((('x' || substr(md5(p || ':' || q), 1, 6))::bit(24)::int / 16777216.0)::numeric, 3)::float8 AS score
  FROM generate_series(1, 7) p, generate_series(1, 4) q
 WHERE substr(md5(p || '/' || q), 1, 1) < 'c';
CREATE TEMP TABLE caps AS SELECT * FROM (VALUES (101, 2), (102, 1), (103, 1), (104, 0)) c(premise_id, capacity);
SELECT count(*) AS pairs, count(DISTINCT project_id) AS projects FROM pairs;
-- every way to give each project one of its premises or none, within capacities
CREATE TEMP TABLE brute AS
WITH ch AS (SELECT project_id, premise_id, score FROM pairs
            UNION ALL SELECT p, NULL, 0 FROM generate_series(1, 7) p),
     combos AS (
       SELECT ARRAY[c1.premise_id, c2.premise_id, c3.premise_id, c4.premise_id, c5.premise_id, c6.premise_id, c7.premise_id] AS a,
              c1.score + c2.score + c3.score + c4.score + c5.score + c6.score + c7.score AS total
         FROM ch c1, ch c2, ch c3, ch c4, ch c5, ch c6, ch c7
        WHERE c1.project_id = 1 AND c2.project_id = 2 AND c3.project_id = 3 AND c4.project_id = 4
          AND c5.project_id = 5 AND c6.project_id = 6 AND c7.project_id = 7)
SELECT max(total) AS best FROM combos
 WHERE NOT EXISTS (SELECT 1 FROM caps c
                    WHERE (SELECT count(*) FROM unnest(a) x WHERE x = c.premise_id) > c.capacity);
SELECT round(b.best::numeric, 6) AS brute_force,
       round((SELECT sum(score) FROM smartregion.match_assign('SELECT * FROM pairs', 'optimal', 'SELECT * FROM caps'))::numeric, 6) AS optimal,
       round((SELECT sum(score) FROM smartregion.match_assign('SELECT * FROM pairs', 'stable', 'SELECT * FROM caps'))::numeric, 6) <= round(b.best::numeric, 6) AS stable_le,
       round((SELECT sum(score) FROM smartregion.match_assign('SELECT * FROM pairs', 'greedy', 'SELECT * FROM caps'))::numeric, 6) <= round(b.best::numeric, 6) AS greedy_le
  FROM brute b;
-- capacities are respected and only listed pairs are used, by every method
SELECT m.method,
       bool_and(a.n <= coalesce(c.capacity, 1)) AS within_capacity,
       (SELECT count(*) FROM smartregion.match_assign('SELECT * FROM pairs', m.method, 'SELECT * FROM caps') x
         WHERE NOT EXISTS (SELECT 1 FROM pairs p WHERE p.project_id = x.project_id AND p.premise_id = x.premise_id AND p.score = x.score)) AS unlisted
  FROM (VALUES ('optimal'), ('stable'), ('stable_premises'), ('greedy')) m(method)
 CROSS JOIN LATERAL (SELECT premise_id, count(*) AS n
                       FROM smartregion.match_assign('SELECT * FROM pairs', m.method, 'SELECT * FROM caps')
                      GROUP BY premise_id) a
  LEFT JOIN caps c USING (premise_id)
 GROUP BY m.method ORDER BY m.method;
-- stable: no blocking pair (a project preferring a premise that would take it:
-- free place, or a held project with a lower score; ties by lower id)
SELECT m.method, (
   WITH a AS (SELECT * FROM smartregion.match_assign('SELECT * FROM pairs', m.method, 'SELECT * FROM caps'))
   SELECT count(*) FROM pairs p
     JOIN caps c USING (premise_id)
     LEFT JOIN a mine ON mine.project_id = p.project_id
    WHERE (mine.project_id IS NULL OR p.score > mine.score
           OR (p.score = mine.score AND p.premise_id < mine.premise_id))
      AND coalesce(mine.premise_id, -1) <> p.premise_id
      AND c.capacity > 0
      AND ((SELECT count(*) FROM a WHERE a.premise_id = p.premise_id) < c.capacity
           OR EXISTS (SELECT 1 FROM a WHERE a.premise_id = p.premise_id
                       AND (a.score < p.score OR (a.score = p.score AND a.project_id > p.project_id))))) AS blocking_pairs
  FROM (VALUES ('stable'), ('stable_premises')) m(method)
 ORDER BY m.method;
-- the pairs and the optimal assignment, for the record
SELECT p.project_id, string_agg(p.premise_id || ':' || p.score, ' ' ORDER BY p.premise_id) AS pairs,
       max(o.premise_id) AS optimal_premise
  FROM pairs p LEFT JOIN smartregion.match_assign('SELECT * FROM pairs', 'optimal', 'SELECT * FROM caps') o USING (project_id)
 GROUP BY p.project_id ORDER BY p.project_id;
-- a hand case: optimal 1->10, 2->11 (1.3) beats the greedy/stable 1->11, 2->10 (1.0)
SELECT m.method, string_agg(project_id || '->' || premise_id, ' ' ORDER BY project_id) AS assignment,
       sum(score) AS total
  FROM (VALUES ('optimal'), ('stable'), ('stable_premises'), ('greedy')) m(method),
       LATERAL smartregion.match_assign(
         $$SELECT * FROM (VALUES (1, 10, 0.5), (1, 11, 0.9), (2, 11, 0.8), (2, 10, 0.1)) v(project_id, premise_id, score)$$,
         m.method) x
 GROUP BY m.method ORDER BY m.method;

-- 9. match_assign 'optimal' against exhaustive search, several seeds ------------------
-- Random small instances (a linear congruential generator, so that the instances are the
-- same on every run): 2..6 projects and 1..4 premises, both shapes (more demand than
-- supply and the reverse), each pair listed with probability 0.7 (the others forbidden),
-- scores in steps of 0.05 (ties) with some 0 and negative (never assigned), capacities
-- 0..2. The exhaustive search below (every project to one of its listed positive pairs
-- with a place left, or to none) gives the maximum total; the optimal method must reach
-- it with a valid assignment (listed pairs, positive scores, one premise a project,
-- capacities kept), and give the same assignment when the rows come in reverse order.
CREATE TEMP TABLE bf_pairs (seed int, project_id int, premise_id int, score float8);
CREATE TEMP TABLE bf_caps (seed int, premise_id int, capacity int);
DO $$
DECLARE x bigint; n int; m int;
BEGIN
  FOR seed IN 1..12 LOOP
    x := seed * 7919;
    x := (x * 1103515245 + 12345) % 2147483648; n := 2 + (x % 5)::int;
    x := (x * 1103515245 + 12345) % 2147483648; m := 1 + (x % 4)::int;
    FOR j IN 1..m LOOP
      x := (x * 1103515245 + 12345) % 2147483648;
      INSERT INTO bf_caps VALUES (seed, 100 + j, (x % 3)::int);
    END LOOP;
    FOR i IN 1..n LOOP
      FOR j IN 1..m LOOP
        x := (x * 1103515245 + 12345) % 2147483648;
        CONTINUE WHEN x % 10 >= 7;
        x := (x * 1103515245 + 12345) % 2147483648;
        INSERT INTO bf_pairs VALUES (seed, i, 100 + j, ((x % 12)::int - 2) * 0.05);
      END LOOP;
    END LOOP;
  END LOOP;
END $$;
-- the best total from project i on, with the places left caps (premise 101 + k at k + 1)
CREATE FUNCTION pg_temp.bf_best(s int, i int, nproj int, caps int[]) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE best float8; p record; c int[];
BEGIN
  IF i > nproj THEN RETURN 0; END IF;
  best := pg_temp.bf_best(s, i + 1, nproj, caps);          -- project i left unassigned
  FOR p IN SELECT * FROM bf_pairs WHERE seed = s AND project_id = i AND score > 0 LOOP
    IF caps[p.premise_id - 100] > 0 THEN
      c := caps; c[p.premise_id - 100] := c[p.premise_id - 100] - 1;
      best := greatest(best, p.score + pg_temp.bf_best(s, i + 1, nproj, c));
    END IF;
  END LOOP;
  RETURN best;
END $$;
SELECT s.seed, s.projects, s.premises, round(s.brute::numeric, 2) AS brute_force,
       abs(s.optimal - s.brute) < 1e-9 AS optimal_equals_brute_force, s.valid, s.same_in_reverse_order
  FROM (SELECT k.seed,
               (SELECT max(project_id) FROM bf_pairs p WHERE p.seed = k.seed) AS projects,
               (SELECT count(*) FROM bf_caps c WHERE c.seed = k.seed) AS premises,
               pg_temp.bf_best(k.seed, 1, (SELECT max(project_id) FROM bf_pairs p WHERE p.seed = k.seed),
                               (SELECT array_agg(capacity ORDER BY premise_id) FROM bf_caps c WHERE c.seed = k.seed)) AS brute,
               coalesce((SELECT sum(a.score) FROM smartregion.match_assign(
                   format('SELECT project_id, premise_id, score FROM bf_pairs WHERE seed = %s', k.seed), 'optimal',
                   format('SELECT premise_id, capacity FROM bf_caps WHERE seed = %s', k.seed)) a), 0) AS optimal,
               (SELECT bool_and(v.ok) FROM (
                  SELECT a.score > 0 AND a.score = (SELECT p.score FROM bf_pairs p WHERE p.seed = k.seed
                                                     AND p.project_id = a.project_id AND p.premise_id = a.premise_id)
                         AND count(*) OVER (PARTITION BY a.project_id) = 1
                         AND count(*) OVER (PARTITION BY a.premise_id) <= (SELECT c.capacity FROM bf_caps c
                                                                          WHERE c.seed = k.seed AND c.premise_id = a.premise_id) AS ok
                    FROM smartregion.match_assign(
                      format('SELECT project_id, premise_id, score FROM bf_pairs WHERE seed = %s', k.seed), 'optimal',
                      format('SELECT premise_id, capacity FROM bf_caps WHERE seed = %s', k.seed)) a) v) IS NOT FALSE AS valid,
               (SELECT array_agg(a.project_id || '->' || a.premise_id ORDER BY a.project_id) FROM smartregion.match_assign(
                   format('SELECT project_id, premise_id, score FROM bf_pairs WHERE seed = %s', k.seed), 'optimal',
                   format('SELECT premise_id, capacity FROM bf_caps WHERE seed = %s', k.seed)) a)
               IS NOT DISTINCT FROM
               (SELECT array_agg(a.project_id || '->' || a.premise_id ORDER BY a.project_id) FROM smartregion.match_assign(
                   format('SELECT project_id, premise_id, score FROM bf_pairs WHERE seed = %s ORDER BY project_id DESC, premise_id DESC', k.seed), 'optimal',
                   format('SELECT premise_id, capacity FROM bf_caps WHERE seed = %s ORDER BY premise_id DESC', k.seed)) a) AS same_in_reverse_order
          FROM generate_series(1, 12) k(seed)) s
 ORDER BY s.seed;
-- a tie for one place (projects 1 and 2 at 0.5 for premise 10, one place): the same project
-- whichever row comes first (the problem is numbered by ids; the first row seen won before)
SELECT (SELECT project_id FROM smartregion.match_assign($$SELECT * FROM (VALUES (1, 10, 0.5), (2, 10, 0.5)) v(project_id, premise_id, score)$$)) AS first_order,
       (SELECT project_id FROM smartregion.match_assign($$SELECT * FROM (VALUES (2, 10, 0.5), (1, 10, 0.5)) v(project_id, premise_id, score)$$)) AS reverse_order;
