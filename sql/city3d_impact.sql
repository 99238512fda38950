-- solar_impact on a city model with object_id (docs/city3d.md, solar_impact):
-- 1. a project row whose object_id names an existing object replaces it: the
--    object's surfaces are not in the "after" scene, and its faces are
--    reported with nothing after (hand-made boxes, values by hand);
-- 2. party walls by objects in the impact's scenes (Den Haag, against
--    scripts/party-walls.py), and a project that rebuilds an object as it is
--    changes nothing.
-- Until 2026-12-07 a project naming an object was one solid with it: the
-- object's walls and roofs stood on in the "after" scene.
SET extra_float_digits = 0;
SET client_min_messages = warning;
SELECT count(*) > 0 AS created FROM smartregion.create_hub('imp_nl', 28992);
SET client_min_messages = notice;

-- ---------------------------------------------------------------------------
-- 1. Two boxes side by side in Lambert-93 near Lyon, from z 170: A (rows
-- 10..15, object 'A') on local x 0..10, B (rows 20..25, object 'B') on
-- 10..20, both 10 m deep; each box's walls south, east, north, west (id0 ..
-- id0 + 3, outward: counter-clockwise seen from outside), ground (+ 4),
-- roof (+ 5).
CREATE FUNCTION pg_temp.box(x0 float8, wx float8, zt float8, id0 bigint, obj text)
RETURNS TABLE (id bigint, geom geometry, surface_type text, object_id text) LANGUAGE sql IMMUTABLE AS $$
  WITH c(k, x, y) AS (VALUES (0, x0, 0.0), (1, x0 + wx, 0.0), (2, x0 + wx, 10.0), (3, x0, 10.0))
  SELECT id0 + a.k, ST_Translate(ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[
           ST_MakePoint(a.x, a.y, 170), ST_MakePoint(b.x, b.y, 170), ST_MakePoint(b.x, b.y, zt),
           ST_MakePoint(a.x, a.y, zt), ST_MakePoint(a.x, a.y, 170)])), 2154), 842000, 6519000),
         'WallSurface', obj
    FROM c a JOIN c b ON b.k = (a.k + 1) % 4
  UNION ALL
  SELECT id0 + 4 + t, ST_Translate(ST_SetSRID(ST_MakePolygon(ST_MakeLine(
           CASE WHEN t = 0 THEN ARRAY(SELECT ST_MakePoint(x, y, 170) FROM c ORDER BY k DESC) || ST_MakePoint(x0, 10, 170)
                ELSE ARRAY(SELECT ST_MakePoint(x, y, zt) FROM c ORDER BY k) || ST_MakePoint(x0, 0, zt) END)), 2154), 842000, 6519000),
         CASE WHEN t = 0 THEN 'GroundSurface' ELSE 'RoofSurface' END, obj
    FROM generate_series(0, 1) t
$$;
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TEMP TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;

-- 1a. B lowered: A 6 m high, B 10 m, the project rebuilds B 4 m high (rows
-- 30..35, object 'B', B's outline). By hand:
-- - A's east wall (11, 10 m x 6 m) against B's west wall: before covered
--   whole by B's 10 m, a party wall (0 m2); after, B gone, the 4 m project
--   covers 4 of its 6 m: exposed 10 x 2 = 20 m2, usable 20 - 24 x 0.5 +
--   4 x 0.5^2 = 9 m2 (under min_usable_area_m2 10: no PV), with sun;
-- - A's roof (15, at 176): after, nothing rises above it (the project
--   stops at 174), so it gets the open horizontal plane's sun
--   (surface_irradiation of tilt 0, shading loss under 0.01 %); before,
--   B's 4 m above it took some;
-- - B's walls and roof (20, 21, 22, 23, 25; its ground is no face) are
--   replaced: 0 m2, 0 kWh/m2, no PV, loss 100 %, unsuitable after, their
--   before-values those of a full solar_cadastre of A and B;
-- - the project's walls south, east, north (30, 31, 32): 10 m x 4 m =
--   40 m2, usable (10 - 1)(4 - 1) = 27 m2; its west wall (33) against A's
--   6 m wall, covered whole: a party wall, 0 m2; its roof (35) 100 m2,
--   usable (10 - 1)(10 - 1) = 81 m2.
-- On the old rule B's 10 m walls stood on after: A's east wall stayed a
-- party wall and its roof gained nothing.
CREATE TEMP TABLE rb AS SELECT * FROM pg_temp.box(0, 10, 176, 10, 'A') UNION ALL SELECT * FROM pg_temp.box(10, 10, 180, 20, 'B');
CREATE TEMP TABLE rp AS SELECT * FROM pg_temp.box(10, 10, 174, 30, 'B');
-- the "after" scene by hand: A, then the project (B left out)
CREATE TEMP TABLE ra AS SELECT * FROM pg_temp.box(0, 10, 176, 10, 'A') UNION ALL SELECT * FROM rp;
\set opts '{"faces": "both", "sampling": "point"}'
CREATE TEMP TABLE lowered AS
SELECT i.* FROM sky, smartregion.solar_impact('SELECT * FROM rp', 'SELECT * FROM rb', s, :'opts') i;
CREATE TEMP TABLE full_b AS SELECT c.* FROM sky, smartregion.solar_cadastre('SELECT * FROM rb', s, :'opts') c;
CREATE TEMP TABLE full_a AS SELECT c.* FROM sky, smartregion.solar_cadastre('SELECT * FROM ra', s, :'opts') c;
SELECT i.building_id, i.is_project, round(i.area_m2::numeric, 3) AS area_m2,
       round(i.usable_area_m2::numeric, 3) AS usable_m2,
       i.annual_kwh_m2_before > 0 AS sun_before, i.annual_kwh_m2_after > 0 AS sun_after,
       i.pv_kwh_year_after > 0 AS pv_after, round(i.loss_pct::numeric, 1) = 100 AS all_lost,
       i.potential_class_after = 'unsuitable' AS unsuitable_after
  FROM lowered i
 WHERE i.building_id IN (11, 20, 21, 22, 23, 25, 30, 31, 32, 33, 35)
 ORDER BY i.is_project, i.building_id;
-- A's roof: it gains, to the open plane's sun
SELECT i.annual_kwh_m2_after > i.annual_kwh_m2_before AS roof_gains,
       abs(i.annual_kwh_m2_after / (smartregion.surface_irradiation(s, 0, 180)).annual_kwh_m2 - 1) < 1e-3 AS open_plane,
       i.shading_loss_pct_after < 0.01 AS unshaded_after, i.loss_kwh_year < 0 AS pv_gained
  FROM lowered i, sky WHERE i.building_id = 15 AND NOT i.is_project;
-- before and after against the two full runs by hand: every face of A and
-- B (before), every face of A and of the project (after)
SELECT count(*) AS faces_before, bool_and(abs(i.annual_kwh_m2_before - c.annual_kwh_m2) < 1e-9
                                          AND abs(i.pv_kwh_year_before - c.pv_kwh_year) < 1e-9) AS before_equal
  FROM lowered i JOIN full_b c USING (building_id, face) WHERE NOT i.is_project;
SELECT count(*) AS faces_after, bool_and(abs(i.annual_kwh_m2_after - c.annual_kwh_m2) < 1e-9
                                         AND abs(i.area_m2 - c.area_m2) < 1e-9
                                         AND abs(i.pv_kwh_year_after - c.pv_kwh_year) < 1e-9) AS after_equal
  FROM lowered i JOIN full_a c USING (building_id, face) WHERE i.building_id BETWEEN 10 AND 15 OR i.is_project;
-- every face of A the two full runs see change is in the impact
SELECT count(*) AS changed_in_full_runs, count(*) FILTER (WHERE i.building_id IS NULL) AS missing_from_impact
  FROM full_b b JOIN full_a a USING (building_id, face)
  LEFT JOIN lowered i ON i.building_id = b.building_id AND NOT i.is_project
 WHERE a.annual_kwh_m2 <> b.annual_kwh_m2 OR a.area_m2 <> b.area_m2;

-- 1b. B raised by 6 m: A and B 10 m high (tops 180), the project rebuilds B
-- 16 m high (top 186): A's roof loses the sun of the 6 m of the project
-- above it, its values those of the full run of A and the project (by
-- hand); B's five faces replaced; A's east wall a party wall before and
-- after (covered whole by 10 m, then 16 m).
CREATE TEMP TABLE rb2 AS SELECT * FROM pg_temp.box(0, 10, 180, 10, 'A') UNION ALL SELECT * FROM pg_temp.box(10, 10, 180, 20, 'B');
CREATE TEMP TABLE rp2 AS SELECT * FROM pg_temp.box(10, 10, 186, 30, 'B');
CREATE TEMP TABLE ra2 AS SELECT * FROM pg_temp.box(0, 10, 180, 10, 'A') UNION ALL SELECT * FROM rp2;
CREATE TEMP TABLE raised AS
SELECT i.* FROM sky, smartregion.solar_impact('SELECT * FROM rp2', 'SELECT * FROM rb2', s, :'opts') i;
SELECT count(*) FILTER (WHERE i.building_id BETWEEN 20 AND 25 AND i.area_m2 = 0 AND i.annual_kwh_m2_after = 0
                        AND i.pv_kwh_year_after = 0) AS b_faces_replaced,
       bool_and(i.annual_kwh_m2_after < i.annual_kwh_m2_before AND i.loss_kwh_year > 0)
         FILTER (WHERE i.building_id = 15) AS a_roof_loses,
       bool_and(abs(i.annual_kwh_m2_after - c.annual_kwh_m2) < 1e-9)
         FILTER (WHERE i.building_id = 15) AS a_roof_as_full_run,
       coalesce(bool_and(i.area_m2 = 0) FILTER (WHERE i.building_id = 11), true) AS a_east_wall_party_wall
  FROM raised i
  LEFT JOIN (SELECT c.* FROM sky, smartregion.solar_cadastre('SELECT * FROM ra2', s, :'opts') c) c USING (building_id, face)
 WHERE NOT i.is_project;

-- 1c. The same lowered project given as a 2D footprint with a height (no
-- surface_type column) names B too and replaces it: B's five faces
-- replaced; A's east wall is no party wall of the footprint's prism (no
-- polygon of the model): whole, 60 m2, usable (10 - 1)(6 - 1) = 45 m2, its
-- lower 4 m shaded through the horizon.
SELECT count(*) FILTER (WHERE i.building_id BETWEEN 20 AND 25 AND i.area_m2 = 0 AND i.annual_kwh_m2_after = 0) AS b_faces_replaced,
       max(round(i.area_m2::numeric, 3)) FILTER (WHERE i.building_id = 11) AS a_east_wall_m2,
       max(round(i.usable_area_m2::numeric, 3)) FILTER (WHERE i.building_id = 11) AS a_east_wall_usable_m2
  FROM sky, smartregion.solar_impact(
    $q$SELECT 30::bigint AS id, ST_Translate(ST_SetSRID(ST_MakeEnvelope(10, 0, 20, 10), 2154), 842000, 6519000) AS geom,
              4.0::float8 AS height, 170.0::float8 AS ground_z, 'B' AS object_id$q$,
    'SELECT * FROM rb', s, :'opts') i
 WHERE NOT i.is_project;

-- 1d. A project naming no object of the buildings replaces nothing (a new
-- building: 'C'), and an object_id NULL names none.
SELECT count(*) FILTER (WHERE i.area_m2 = 0 AND i.annual_kwh_m2_after = 0 AND i.annual_kwh_m2_before > 0) AS faces_gone
  FROM sky, smartregion.solar_impact(
    $q$SELECT id, geom, surface_type, CASE WHEN id = 35 THEN NULL ELSE 'C' END AS object_id
         FROM pg_temp.box(30, 10, 174, 30, 'C')$q$, 'SELECT * FROM rb', s, :'opts') i
 WHERE NOT i.is_project;

-- 1e. Footprints only (buildings_sql without surface_type, its rows' ids as
-- object_id, as BD TOPO's buildings can give them): A (6 m) and B (10 m)
-- east of it, B lowered to 4 m by a footprint naming it. B's roof
-- replaced (0 m2, no sun after); A's roof gains, to the value of a full
-- solar_cadastre of A and the 4 m B (the scene after, by hand); the
-- project's roof is B's building_id with is_project true.
\set fpa 'ST_Translate(ST_SetSRID(ST_MakeEnvelope(0, 0, 10, 10), 2154), 842000, 6519000)'
\set fpb 'ST_Translate(ST_SetSRID(ST_MakeEnvelope(10, 0, 20, 10), 2154), 842000, 6519000)'
SELECT i.building_id, i.is_project, round(i.area_m2::numeric, 3) AS area_m2,
       i.annual_kwh_m2_after = 0 AS no_sun_after,
       i.annual_kwh_m2_after > i.annual_kwh_m2_before AS gains,
       abs(i.annual_kwh_m2_after - c.annual_kwh_m2) < 1e-9 AS as_full_run_after
  FROM sky, smartregion.solar_impact(
    format('SELECT 2::bigint AS id, %s AS geom, 4.0::float8 AS height, 170.0::float8 AS ground_z, %L AS object_id', :'fpb', '2'),
    format('SELECT * FROM (VALUES (1::bigint, %s, 6.0::float8, 170.0::float8), (2::bigint, %s, 10.0::float8, 170.0::float8))
              v(id, geom, height, ground_z), LATERAL (SELECT id::text AS object_id) o', :'fpa', :'fpb'),
    s, :'opts') i
  LEFT JOIN (SELECT c.* FROM sky, smartregion.solar_cadastre(
               format('SELECT * FROM (VALUES (1::bigint, %s, 6.0::float8, 170.0::float8), (2::bigint, %s, 4.0::float8, 170.0::float8))
                         v(id, geom, height, ground_z)', :'fpa', :'fpb'), s, :'opts') c) c
    ON c.building_id = i.building_id AND (i.is_project OR i.building_id = 1)
 ORDER BY i.is_project, i.building_id;

-- ---------------------------------------------------------------------------
-- 2. Party walls by objects in the impact's scenes: Den Haag (RD New), the
-- BuildingPart 8CE54418_1 among its surfaces only (buildings_sql), and as
-- the project the surfaces of its neighbours within its outline 10 cm wider
-- (the district query of docs/city3d.md): its neighbour 8CE54418_2's party
-- wall alone (12.405 m2, its roof, ground and other walls reach out of the
-- outline). scripts/party-walls.py on the whole file
-- (/usr/bin/python3 scripts/party-walls.py data/city3d/DH_01_subs.city.json)
-- prints 8CE54418_1's wall: 43.674530 m2, of which 31.269485 exposed
-- (0.284034 covered). With object_id the neighbour's wall alone covers as
-- its whole solid: before, the wall whole (43.67 m2, nothing against it);
-- after, its exposed 31.269 m2 (to 1e-3), its PV smaller. Without
-- object_id the lone wall is taken for the back of a wall of no thickness:
-- the wall keeps its whole area after, and is not reported.
\set dh `cat data/city3d/DH_01_subs.city.json`
SET client_min_messages = warning;
SELECT smartregion.import_cityjson(:'dh', 'imp_nl', '{"srid": 7415, "source": "DH_01_subs.city.json"}') -> 'surfaces_by_type' AS imported;
-- (the clear sky has no temperature: solar_cadastre's NOTICE says so, left out)
CREATE TEMP TABLE nl_sky AS SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.47, 51.92, 0), 4326)) AS s;
\set part 'GUID_8CE54418-E2F7-49A7-9A8D-C3D172BA62C4_1'
SELECT s.semantic_type, round(s.area_m2::numeric, 3) AS area_m2,
       regexp_replace(s.object_id, '^GUID_(.{8}).*(_[0-9])$', '\1\2') AS object
  FROM imp_nl.city_surface s, imp_nl.city_object x
 WHERE x.id = :'part' AND s.object_id <> x.id AND ST_Within(ST_Points(s.geom), ST_Buffer(x.footprint, 0.1));
CREATE TEMP TABLE dh_q AS
SELECT q.ids,
       format('SELECT s.id, s.geom, s.semantic_type AS surface_type%s FROM imp_nl.city_surface s
                WHERE s.object_id <> %L AND ST_Within(ST_Points(s.geom),
                      (SELECT ST_Buffer(footprint, 0.1) FROM imp_nl.city_object WHERE id = %L))',
              CASE WHEN q.ids THEN ', s.object_id' ELSE '' END, :'part', :'part') AS psql,
       format('SELECT s.id, s.geom, s.semantic_type AS surface_type%s FROM imp_nl.city_surface s WHERE s.object_id = %L',
              CASE WHEN q.ids THEN ', s.object_id' ELSE '' END, :'part') AS bsql
  FROM (VALUES (false), (true)) q(ids);
CREATE TEMP TABLE dh_impact AS
SELECT q.ids, i.* FROM dh_q q, nl_sky, smartregion.solar_impact(q.psql, q.bsql, nl_sky.s, '{"faces": "wall"}') i;
SELECT i.ids AS object_id, round(s.area_m2::numeric, 2) AS wall_m2,
       abs(i.area_m2 - 31.269485) < 1e-3 AS exposed_after_within_1e_3,
       abs(b.area_m2 - 43.674530) < 1e-3 AS whole_before,
       i.pv_kwh_year_after < i.pv_kwh_year_before AS pv_smaller
  FROM dh_impact i JOIN imp_nl.city_surface s ON s.id = i.building_id
  JOIN dh_q q ON q.ids = i.ids,
       LATERAL (SELECT c.area_m2 FROM nl_sky, smartregion.solar_cadastre(q.bsql, nl_sky.s, '{"faces": "wall"}') c
                 WHERE c.building_id = i.building_id) b
 WHERE NOT i.is_project AND abs(s.area_m2 - 43.67) < 0.01
 ORDER BY 1;
-- (faces reported: without object_id the neighbour's wall alone changes
-- nothing of the part's walls; with it, the 43.67 m2 wall)
SELECT ids AS object_id, count(*) FILTER (WHERE NOT is_project) AS walls_reported FROM dh_impact GROUP BY 1 ORDER BY 1;
-- the impact's values with object_id are those of the two full runs with it
-- (the part alone; the part and its neighbour's wall) on every face
SELECT count(*) AS walls_compared,
       bool_and(abs(i.area_m2 - a.area_m2) < 1e-9 AND abs(i.annual_kwh_m2_after - a.annual_kwh_m2) < 1e-9
                AND abs(i.annual_kwh_m2_before - b.annual_kwh_m2) < 1e-9) AS as_full_runs
  FROM dh_impact i JOIN dh_q q ON q.ids AND i.ids,
       LATERAL (SELECT c.* FROM nl_sky, smartregion.solar_cadastre(q.bsql || ' UNION ALL ' || q.psql, nl_sky.s,
                  '{"faces": "wall"}') c WHERE c.building_id = i.building_id) a,
       LATERAL (SELECT c.* FROM nl_sky, smartregion.solar_cadastre(q.bsql, nl_sky.s,
                  '{"faces": "wall"}') c WHERE c.building_id = i.building_id) b
 WHERE NOT i.is_project;

-- A project that rebuilds an object as it is (8CE54418_2's 9 surfaces,
-- new ids, its object_id) among the whole Den Haag model: the object's 8
-- faces (7 walls, 1 roof; the ground is no face) are replaced, no other
-- face changes (none reported), and the project's faces are the replaced
-- ones, value for value. On the old rule the copy stood on the object:
-- every wall face to face with its own twin.
\set nb 'GUID_8CE54418-E2F7-49A7-9A8D-C3D172BA62C4_2'
SELECT semantic_type, count(*) FROM imp_nl.city_surface WHERE object_id = :'nb' GROUP BY 1 ORDER BY 1;
CREATE TEMP TABLE rebuilt AS
SELECT i.* FROM nl_sky, smartregion.solar_impact(
  format('SELECT id + 1000000 AS id, geom, semantic_type AS surface_type, object_id FROM imp_nl.city_surface
           WHERE object_id = %L', :'nb'),
  'SELECT id, geom, semantic_type AS surface_type, object_id FROM imp_nl.city_surface', nl_sky.s, '{"faces": "both"}') i;
SELECT count(*) FILTER (WHERE NOT i.is_project AND s.object_id = :'nb' AND i.area_m2 = 0 AND i.annual_kwh_m2_after = 0
                        AND i.pv_kwh_year_after = 0) AS replaced,
       count(*) FILTER (WHERE NOT i.is_project AND s.object_id <> :'nb') AS other_faces_changed,
       count(*) FILTER (WHERE i.is_project) AS project_faces
  FROM rebuilt i LEFT JOIN imp_nl.city_surface s ON s.id = i.building_id;
SELECT count(*) AS pairs,
       bool_and(p.annual_kwh_m2_after = r.annual_kwh_m2_before AND p.pv_kwh_year_after = r.pv_kwh_year_before
                AND p.shading_loss_pct_after = r.shading_loss_pct_before
                AND p.potential_class_after = r.potential_class_before) AS same_values
  FROM rebuilt p JOIN rebuilt r ON r.building_id = p.building_id - 1000000 AND NOT r.is_project
 WHERE p.is_project;

-- ---------------------------------------------------------------------------
-- 3. A project naming a parent Building replaces its BuildingParts. Den
-- Haag's Building 8CE54418 has no geometry of its own; its parts _1 and _2
-- do (city_object.parent_id names the Building). The project rebuilds the
-- Building as it is (both parts' 15 surfaces, new ids, the Building's id as
-- object_id); buildings_sql gives each surface its object's parent_id.
-- From the CityJSON itself (python3, the file's transform, each polygon's
-- area by Newell's formula, its holes subtracted):
--   import json
--   d = json.load(open('data/city3d/DH_01_subs.city.json'))
--   s, t = d['transform']['scale'], d['transform']['translate']
--   V = [[v[k] * s[k] + t[k] for k in range(3)] for v in d['vertices']]
--   def area(r):
--       n = [0.0] * 3
--       for i in range(len(r)):
--           a, b = V[r[i]], V[r[(i + 1) % len(r)]]
--           n[0] += (a[1] - b[1]) * (a[2] + b[2]); n[1] += (a[2] - b[2]) * (a[0] + b[0])
--           n[2] += (a[0] - b[0]) * (a[1] + b[1])
--       return 0.5 * sum(x * x for x in n) ** 0.5
--   for c in d['CityObjects']['GUID_8CE54418-E2F7-49A7-9A8D-C3D172BA62C4']['children']:
--       for g in d['CityObjects'][c]['geometry']:
--           for si, sh in enumerate(g['boundaries']):
--               for pi, p in enumerate(sh):
--                   print(c[-2:], g['semantics']['surfaces'][g['semantics']['values'][si][pi]]['type'],
--                         area(p[0]) - sum(area(h) for h in p[1:]))
-- gives _1: a roof of 53.453 m2, 4 walls of 306.618 m2 in all, a ground;
-- _2: a roof of 27.871 m2, 7 walls of 156.571 m2, a ground. So 13 faces
-- replaced (2 roofs, 11 walls; a ground is no face), 81.324 m2 of roofs and
-- 463.189 m2 of walls, 15 rows. Until 2026-12-07 the parent's name matched
-- no row: nothing was replaced, the parts stood on (as below without the
-- parent_id column, now with a NOTICE).
\set bldg 'GUID_8CE54418-E2F7-49A7-9A8D-C3D172BA62C4'
SELECT id, type, parent_id IS NULL AS no_parent, (SELECT count(*) FROM imp_nl.city_surface s WHERE s.object_id = o.id) AS surfaces
  FROM imp_nl.city_object o WHERE id LIKE :'bldg' || '%' ORDER BY id;
CREATE TEMP TABLE parent_q AS
SELECT q.par,
       format('SELECT s.id + 1000000 AS id, s.geom, s.semantic_type AS surface_type, %L AS object_id
                 FROM imp_nl.city_surface s JOIN imp_nl.city_object o ON o.id = s.object_id
                WHERE o.parent_id = %L', :'bldg', :'bldg') AS psql,
       format('SELECT s.id, s.geom, s.semantic_type AS surface_type, s.object_id%s
                 FROM imp_nl.city_surface s JOIN imp_nl.city_object o ON o.id = s.object_id',
              CASE WHEN q.par THEN ', o.parent_id' ELSE '' END) AS bsql
  FROM (VALUES (false), (true)) q(par);
CREATE TEMP TABLE parent_impact AS
SELECT q.par, i.* FROM parent_q q, nl_sky, smartregion.solar_impact(q.psql, q.bsql, nl_sky.s, '{"faces": "both"}') i;
SELECT i.par AS parent_id_column,
       count(*) FILTER (WHERE NOT i.is_project AND o.parent_id = :'bldg' AND i.area_m2 = 0
                        AND i.annual_kwh_m2_after = 0 AND i.pv_kwh_year_after = 0) AS parts_faces_replaced,
       count(*) FILTER (WHERE NOT i.is_project AND s.semantic_type = 'RoofSurface' AND i.area_m2 = 0) AS roofs_replaced,
       round(sum(s.area_m2) FILTER (WHERE NOT i.is_project AND s.semantic_type = 'RoofSurface' AND i.area_m2 = 0)::numeric, 3) AS roofs_m2,
       round(sum(s.area_m2) FILTER (WHERE NOT i.is_project AND s.semantic_type = 'WallSurface' AND i.area_m2 = 0)::numeric, 3) AS walls_m2,
       count(*) FILTER (WHERE i.is_project) AS project_faces
  FROM parent_impact i LEFT JOIN imp_nl.city_surface s ON s.id = i.building_id AND NOT i.is_project
  LEFT JOIN imp_nl.city_object o ON o.id = s.object_id
 GROUP BY 1 ORDER BY 1;
-- the neighbours' faces the Building rebuilt as it is changes: none with the
-- parts replaced (its twin stands where they stood)
SELECT count(*) FILTER (WHERE NOT i.is_project AND o.parent_id IS DISTINCT FROM :'bldg') AS other_faces_changed
  FROM parent_impact i JOIN imp_nl.city_surface s ON s.id = i.building_id JOIN imp_nl.city_object o ON o.id = s.object_id
 WHERE i.par;

-- 4. A project object_id that names no object of buildings_sql: a NOTICE
-- (once a call: the count of distinct ids, the first three in the
-- project's order), its rows new buildings. Two typos of 'B' (each on
-- three rows, so 2 ids) among the boxes of section 1; four ids and a NULL
-- (4 counted, 3 listed and "..."); a buildings_sql without object_id (the
-- detail says so); NULL object_ids only (no NOTICE). No face of the
-- buildings is replaced; the project's faces are its 4 walls and its roof
-- (5; a ground is no face), whatever its object_ids.
SET client_min_messages = notice;
SELECT count(*) FILTER (WHERE i.area_m2 = 0 AND i.annual_kwh_m2_after = 0 AND NOT i.is_project) AS faces_replaced
  FROM sky, smartregion.solar_impact(
    $q$SELECT id, geom, surface_type, CASE WHEN id < 33 THEN 'b' ELSE 'B ' END AS object_id
         FROM pg_temp.box(10, 10, 174, 30, 'x')$q$, 'SELECT * FROM rb', s, :'opts') i;
SELECT count(*) FILTER (WHERE i.is_project) AS project_faces
  FROM sky, smartregion.solar_impact(
    $q$SELECT id, geom, surface_type, (ARRAY['n1', 'n2', 'n1', 'n3', NULL, 'n4'])[id - 29] AS object_id
         FROM pg_temp.box(10, 10, 174, 30, 'x')$q$, 'SELECT * FROM rb', s, :'opts') i;
SELECT count(*) FILTER (WHERE i.is_project) AS project_faces
  FROM sky, smartregion.solar_impact(
    $q$SELECT * FROM pg_temp.box(10, 10, 174, 30, 'B')$q$,
    'SELECT id, geom, surface_type FROM rb', s, :'opts') i;
SELECT count(*) FILTER (WHERE i.is_project) AS project_faces
  FROM sky, smartregion.solar_impact(
    $q$SELECT id, geom, surface_type, NULL::text AS object_id FROM pg_temp.box(10, 10, 174, 30, 'B')$q$,
    'SELECT * FROM rb', s, :'opts') i;

-- 5. A Building whose part has no surface (2026-12-07, h5): B -> P1 (no
-- surface) -> P2 (the 10 m box of 1a, rows 20..25, object 'P2'), A beside
-- it; the project rebuilds 'B' 4 m high (rp, as in 1a). buildings_sql as a
-- hub gives it (docs/city3d.md): each surface with its object's parent_id,
-- and, for every part, a row without geometry giving its object_id and
-- parent_id: a link of the chain, no building (not counted as skipped; it
-- was counted as an empty geometry in the NOTICE before). By hand, as 1a:
-- P2's five faces (20, 21, 22, 23, 25) replaced: 0 m2, no sun after, all
-- lost, unsuitable; A's east wall (11) from a party wall to 10 x 2 = 20 m2
-- exposed, 20 - 24 x 0.5 + 4 x 0.5^2 = 9 m2 usable, with sun. Without the
-- link rows nothing gives P1's parent: 'B' names no object (the NOTICE) and
-- nothing is replaced.
CREATE TEMP TABLE chain_obj (id text, parent_id text);
INSERT INTO chain_obj VALUES ('A', NULL), ('B', NULL), ('P1', 'B'), ('P2', 'P1');
CREATE TEMP TABLE chain_surf AS
  SELECT * FROM pg_temp.box(0, 10, 176, 10, 'A') UNION ALL SELECT * FROM pg_temp.box(10, 10, 180, 20, 'P2');
\set chain_sql 'SELECT s.id, s.geom, s.surface_type, s.object_id, o.parent_id FROM chain_surf s JOIN chain_obj o ON o.id = s.object_id'
\set links_sql ' UNION ALL SELECT 0, NULL, NULL, o.id, o.parent_id FROM chain_obj o WHERE o.parent_id IS NOT NULL'
SELECT i.building_id, round(i.area_m2::numeric, 3) AS area_m2, round(i.usable_area_m2::numeric, 3) AS usable_m2,
       i.annual_kwh_m2_before > 0 AS sun_before, i.annual_kwh_m2_after > 0 AS sun_after,
       round(i.loss_pct::numeric, 1) = 100 AS all_lost, i.potential_class_after = 'unsuitable' AS unsuitable_after
  FROM sky, smartregion.solar_impact('SELECT * FROM rp', :'chain_sql' || :'links_sql', s, :'opts') i
 WHERE NOT i.is_project AND i.building_id IN (11, 20, 21, 22, 23, 25)
 ORDER BY i.building_id;
SELECT count(*) FILTER (WHERE i.area_m2 = 0 AND i.annual_kwh_m2_after = 0 AND NOT i.is_project) AS faces_replaced
  FROM sky, smartregion.solar_impact('SELECT * FROM rp', :'chain_sql', s, :'opts') i;

SET client_min_messages = warning;
DROP SCHEMA imp_nl CASCADE;
