-- Demo of the tiers-lieux matching service (issue 5).
-- Real supply: the 1,512 tiers-lieux of the 2019 census (ANCT – Mission Coworking, 2019,
-- Licence Ouverte 2.0), completed with deterministic synthetic attributes; synthetic
-- project holders.  Run from the repository root by `make demo` (hub schema "hub").
SET client_min_messages = warning;

-- uniform number in [0, 1) drawn from a seeded hash (deterministic, unlike random())
CREATE FUNCTION pg_temp.u(id bigint, field text) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $$
  SELECT ('x' || substr(md5('smartregion-demo-2019:' || field || ':' || id), 1, 8))::bit(32)::bigint
         / 4294967296.0
$$;

CREATE TEMP TABLE tl_raw (
  id int, nom_tl text, adresse text, cp text, inseecom text, nomcom text, web text, typo text,
  lat double precision, long double precision, precision double precision, metro int, nommetro text,
  inseereg text, nomreg text, inseedep text, popcom text, comclass text, insee_ze text, nom_ze text,
  class_ze text, pop_ze text);
\copy tl_raw FROM 'data/tierslieux/cget_tiers_lieux_2019.csv' WITH (FORMAT csv, HEADER true)

-- Premises: real location, commune and type; synthetic offer -----------------
-- provenance of the writes below (the catalogue's dct:provenance, docs/governance.md)
SELECT smartregion.set_provenance('scripts/demo-matching.sql', 'data/tierslieux/cget_tiers_lieux_2019.csv (ANCT) and synthetic offers') \gset
TRUNCATE hub.premises CASCADE;   -- with the proposals of tiers-lieux requests (demo-tierslieux.sql)
INSERT INTO hub.premises (id, name, owner, commune_code, location, kinds, surface_m2, capacity,
  rent_month, available_from, available_to, min_term_months, amenities, step_free, hours,
  activities_allowed, source, synthetic, territory_code, territory_type)
SELECT r.id, r.nom_tl, r.nom_tl, r.inseecom,
       ST_SetSRID(ST_MakePoint(r.long, r.lat), 4326),
       CASE WHEN r.typo LIKE '%coworking%' THEN
              CASE WHEN pg_temp.u(r.id, 'kind2') < 0.3 THEN '{coworking,office}'::text[] ELSE '{coworking}' END
            WHEN r.typo LIKE '%fablab%' THEN
              CASE WHEN pg_temp.u(r.id, 'kind2') < 0.4 THEN '{fablab,shared_workshop}'::text[] ELSE '{fablab}' END
            ELSE ARRAY[(ARRAY['cultural', 'living_lab', 'event_space'])[1 + floor(pg_temp.u(r.id, 'kind') * 3)::int]]
       END,
       s.surface, floor(s.surface / CASE WHEN r.typo LIKE '%fablab%' THEN 15 ELSE 8 END)::int,
       -- rent of the space offered: EUR per m2 and month by area, +-20 %
       round(s.surface * CASE WHEN r.inseedep = '75' THEN 38 WHEN r.inseereg = '11' THEN 22
                              WHEN r.metro = 1 THEN 15 ELSE 9 END
             * (0.8 + 0.4 * pg_temp.u(r.id, 'rent'))),
       date '2025-01-01' + floor(pg_temp.u(r.id, 'from') * 365)::int,
       CASE WHEN pg_temp.u(r.id, 'to') < 0.3 THEN date '2026-06-30' + floor(pg_temp.u(r.id, 'to2') * 720)::int END,
       (ARRAY[1, 1, 3, 6, 12])[1 + floor(pg_temp.u(r.id, 'term') * 5)::int],
       ARRAY(SELECT a.name FROM (VALUES
               ('wifi', 0.95, 0.9), ('meeting_room', 0.7, 0.4), ('kitchen', 0.6, 0.5),
               ('parking', 0.3, 0.4), ('bike_parking', 0.5, 0.4), ('shower', 0.3, 0.3),
               ('printer', 0.7, 0.5), ('storage', 0.4, 0.6), ('reception', 0.4, 0.2),
               ('phone_booth', 0.3, 0.05), ('event_room', 0.4, 0.4), ('air_conditioning', 0.3, 0.2),
               ('3d_printer', 0.05, 0.9), ('laser_cutter', 0.02, 0.7), ('woodworking', 0.02, 0.5),
               ('24h_access', 0.2, 0.1)) a(name, p_cowork, p_fablab)
             WHERE pg_temp.u(r.id, 'amenity:' || a.name)
                   < CASE WHEN r.typo LIKE '%fablab%' THEN a.p_fablab ELSE a.p_cowork END),
       pg_temp.u(r.id, 'step_free') < 0.6,
       CASE WHEN r.typo LIKE '%fablab%' THEN
              '{"tue": "10:00-19:00", "wed": "10:00-19:00", "thu": "10:00-22:00", "fri": "10:00-19:00", "sat": "10:00-18:00"}'::jsonb
            WHEN pg_temp.u(r.id, 'hours') < 0.3 THEN
              '{"mon": "08:00-20:00", "tue": "08:00-20:00", "wed": "08:00-20:00", "thu": "08:00-20:00", "fri": "08:00-20:00", "sat": "09:00-13:00"}'::jsonb
            ELSE
              '{"mon": "08:30-19:00", "tue": "08:30-19:00", "wed": "08:30-19:00", "thu": "08:30-19:00", "fri": "08:30-18:00"}'::jsonb
       END,
       CASE WHEN r.typo LIKE '%fablab%' THEN '{noise,machinery,events,public_reception}'::text[]
            WHEN pg_temp.u(r.id, 'act') < 0.5 THEN '{events,public_reception}'
            ELSE '{public_reception}' END,
       'ANCT – Mission Coworking, 2019 (location, commune, type); synthetic attributes',
       -- the premise's région (its code is also a département's: the type says which)
       true, nullif(r.inseereg, ''), CASE WHEN r.inseereg <> '' THEN 'region' END
  FROM tl_raw r
 CROSS JOIN LATERAL (SELECT round(10 + pg_temp.u(r.id, 'surface') ^ 2 * 290) AS surface) s;

-- Projects: 3,000 synthetic project holders near real tiers-lieux --------------
SELECT smartregion.set_provenance('scripts/demo-matching.sql', 'synthetic project holders (deterministic)') \gset
TRUNCATE hub.projects CASCADE;   -- with their requests
INSERT INTO hub.projects (id, name, holder, location, max_distance_km, kinds, surface_min_m2,
  surface_max_m2, team_size, budget_month, start_date, duration_months, amenities_required,
  amenities_wished, step_free_needed, hours, activities, synthetic, territory_code, territory_type)
SELECT g.i,
       'synthetic project ' || g.i, 'synthetic holder ' || g.i,
       ST_SetSRID(ST_MakePoint(p.long + (pg_temp.u(g.i, 'dx') - 0.5) * 0.1,
                               p.lat + (pg_temp.u(g.i, 'dy') - 0.5) * 0.07), 4326),
       5 + round(pg_temp.u(g.i, 'maxd') * 35),
       CASE WHEN t.kind_u < 0.6 THEN '{coworking,office}'::text[]
            WHEN t.kind_u < 0.85 THEN '{fablab,shared_workshop}' ELSE '{}' END,
       t.team * 5, t.team * 14, t.team,
       round(t.team * 14 * CASE WHEN p.inseedep = '75' THEN 38 WHEN p.inseereg = '11' THEN 22
                                WHEN p.metro = 1 THEN 15 ELSE 9 END * (0.6 + 0.8 * pg_temp.u(g.i, 'budget'))),
       date '2025-03-01' + floor(pg_temp.u(g.i, 'start') * 400)::int,
       (ARRAY[3, 6, 12, 24, 36])[1 + floor(pg_temp.u(g.i, 'dur') * 5)::int],
       CASE WHEN t.kind_u < 0.6 AND pg_temp.u(g.i, 'req') < 0.7 THEN '{wifi}'::text[]
            WHEN t.kind_u >= 0.6 AND t.kind_u < 0.85 AND pg_temp.u(g.i, 'req') < 0.3 THEN '{3d_printer}'
            ELSE '{}' END,
       CASE WHEN t.kind_u < 0.6 THEN '{meeting_room,kitchen,printer,phone_booth}'::text[]
            ELSE '{laser_cutter,woodworking,storage}' END,
       pg_temp.u(g.i, 'pmr') < 0.1,
       '{"mon": "09:00-18:00", "tue": "09:00-18:00", "wed": "09:00-18:00", "thu": "09:00-18:00", "fri": "09:00-17:00"}'::jsonb,
       CASE WHEN t.kind_u >= 0.6 AND t.kind_u < 0.85 AND pg_temp.u(g.i, 'act') < 0.5
            THEN '{noise,machinery}'::text[] ELSE '{}' END,
       true, nullif(p.inseereg, ''), CASE WHEN p.inseereg <> '' THEN 'region' END
  FROM generate_series(1, 3000) g(i)
 CROSS JOIN LATERAL (SELECT r.* FROM tl_raw r ORDER BY r.id
                      OFFSET floor(pg_temp.u(g.i, 'near') * 1512)::int LIMIT 1) p
 CROSS JOIN LATERAL (SELECT 1 + floor(pg_temp.u(g.i, 'team') ^ 2 * 12)::int AS team,
                            pg_temp.u(g.i, 'kind') AS kind_u) t;

\echo
\echo 'premises (real locations, synthetic attributes) and synthetic projects by region'
SELECT coalesce(q.territory_code, '(none)') AS region, q.n AS premises, coalesce(p.n, 0) AS projects
  FROM (SELECT territory_code, count(*) n FROM hub.premises GROUP BY 1) q
  LEFT JOIN (SELECT territory_code, count(*) n FROM hub.projects GROUP BY 1) p USING (territory_code)
 ORDER BY q.n DESC LIMIT 6;

-- Top matches of a few Île-de-France projects, with explanations -------------
CREATE TEMP TABLE idf_top AS
SELECT c.* FROM smartregion.match_candidates(
  $$SELECT * FROM hub.projects WHERE territory_code = '11' ORDER BY id LIMIT 4$$,
  $$SELECT * FROM hub.premises$$, 3) c;

\echo
\echo 'top 3 premises of four Île-de-France projects (score, distance, main contributions)'
SELECT c.project_id AS project, c.rank, q.name AS premise, q.commune_code AS commune,
       round(c.score::numeric, 3) AS score,
       round((e.x ->> 'distance_km')::numeric, 2) AS km,
       (SELECT string_agg(cr ->> 'name' || ' ' || round((cr ->> 'contribution')::numeric, 2), ', '
                          ORDER BY (cr ->> 'contribution')::numeric DESC)
          FROM jsonb_array_elements(e.x -> 'criteria') cr
         WHERE (cr ->> 'applicable')::boolean) AS contributions
  FROM idf_top c
  JOIN hub.projects p ON p.id = c.project_id
  JOIN hub.premises q ON q.id = c.premise_id
 CROSS JOIN LATERAL (SELECT smartregion.match_explain(to_jsonb(p), to_jsonb(q)) AS x) e
 ORDER BY c.project_id, c.rank;

\echo
\echo 'why the nearest premise of the first project is not a match'
SELECT jsonb_pretty(smartregion.match_explain(to_jsonb(p), to_jsonb(q)) -> 'failed') AS failed
  FROM hub.projects p
 CROSS JOIN LATERAL (SELECT * FROM hub.premises q
                      WHERE smartregion.match_score(to_jsonb(p), to_jsonb(q)) = 0
                      ORDER BY q.location <-> p.location LIMIT 1) q
 WHERE p.id = (SELECT min(project_id) FROM idf_top);

-- Region-wide assignment in Île-de-France -------------------------------------
CREATE TEMP TABLE idf_pairs AS
SELECT project_id, premise_id, score FROM smartregion.match_candidates(
  $$SELECT * FROM hub.projects WHERE territory_code = '11'$$,
  $$SELECT * FROM hub.premises WHERE territory_code = '11'$$, 10);

\echo
\echo 'Île-de-France: each premise hosts up to capacity / 6 projects (at least 1)'
SELECT m.method, count(*) AS assigned, round(sum(m.score)::numeric, 2) AS total_score,
       round(avg(m.score)::numeric, 3) AS mean_score,
       (SELECT count(DISTINCT project_id) FROM idf_pairs) AS projects_with_candidates
  FROM (SELECT 'optimal' AS method, * FROM smartregion.match_assign(
          'SELECT * FROM idf_pairs', 'optimal',
          'SELECT id AS premise_id, greatest(1, capacity / 6) AS capacity FROM hub.premises')
        UNION ALL
        SELECT 'stable', * FROM smartregion.match_assign(
          'SELECT * FROM idf_pairs', 'stable',
          'SELECT id AS premise_id, greatest(1, capacity / 6) AS capacity FROM hub.premises')
        UNION ALL
        SELECT 'greedy', * FROM smartregion.match_assign(
          'SELECT * FROM idf_pairs', 'greedy',
          'SELECT id AS premise_id, greatest(1, capacity / 6) AS capacity FROM hub.premises')) m
 GROUP BY m.method ORDER BY total_score DESC;
