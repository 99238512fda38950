-- pgTAP: what a parent made public again takes back, now that the cascade marks the rows it
-- restricts (restricted_with_parent; docs/security-reviews.md#r-derived-marks-h3, 2026-12-07,
-- h3).  Three gaps the mark left:
-- 1. a building's faces in the impact of projects were never taken back (a restricted project
--    may keep one restricted): now those the building's cascade restricted and that no
--    statement wrote since (any column: sr_impact_written) come back with it;
-- 2. a refresh whose custom query said "restricted" for a building public in the hub marked
--    the faces and cells, which the building made restricted then public again published: now
--    the mark needs the hub's building restricted too;
-- 3. a part imported under a parent restricted at import was not marked and stayed restricted
--    when its parent was made public; a new part imported without the option under a
--    restricted parent was written public: now both are restricted with their parent, marked.
-- Roles: trh_b, agent of the commune 69381 (the writer); trh_a, agent of the commune 91479,
-- which must not read 69381's restricted rows; trh_r, a reader.
BEGIN;
SELECT plan(17);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('trh') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('trh') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE trh_a IN ROLE smartregion_agent;
CREATE ROLE trh_b IN ROLE smartregion_agent;
CREATE ROLE trh_r IN ROLE smartregion_reader;
INSERT INTO trh.agents (role_name, territory_code, territory_type) VALUES ('trh_a', '91479', NULL), ('trh_b', '69381', NULL);
-- what the reader and 91479's agent read, as 'reader | agent'
CREATE FUNCTION pg_temp.trh_both(q text) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.as_role('trh_r', q) || ' | ' || pg_temp.as_role('trh_a', q) $$;

-- 1. A building's impact faces.  69381's public building 700 with three faces in the impact
-- of projects: 0 and 2 public (the public impact), 1 written restricted on a restricted
-- project's account.  The building made restricted takes 0 and 2 (marked); while it is,
-- 69381 stores a restricted project's figures into face 2 (an UPDATE of its figures, not of
-- its visibility: it is restricted already).  By the rule (a face still marked holds what it
-- held public, and only its building restricted it): the building made public again takes
-- back face 0 alone.
SELECT is(pg_temp.as_role('trh_b', $$
  INSERT INTO trh.buildings (id, geom, height, territory_code, visibility)
    VALUES (700, ST_Force3D(ST_Multi(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154)), 170), 9, '69381', 'public');
  INSERT INTO trh.solar_impact_roofs (building_id, face, is_project, geom, annual_kwh_m2_after, territory_code, visibility)
    VALUES (700, 0, false, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842005, 6519010, 2154), 179), 1000, '69381', 'public'),
           (700, 1, false, ST_Force3D(ST_MakeEnvelope(842005, 6519000, 842010, 6519005, 2154), 179), 800, '69381', 'restricted'),
           (700, 2, false, ST_Force3D(ST_MakeEnvelope(842005, 6519005, 842010, 6519010, 2154), 179), 1000, '69381', 'public');
  UPDATE trh.buildings SET visibility = 'restricted' WHERE id = 700;
  UPDATE trh.solar_impact_roofs SET annual_kwh_m2_after = 500 WHERE building_id = 700 AND face = 2;
  SELECT string_agg(face || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY face)
    FROM trh.solar_impact_roofs WHERE building_id = 700$$, true),
  '0 restricted true, 1 restricted false, 2 restricted false',
  'the building restricted marks its public impact faces; a face written since (its figures) loses its mark (before: 2 restricted true)');
SELECT is(pg_temp.trh_both($$SELECT count(*)::text FROM trh.solar_impact_roofs WHERE building_id = 700$$), '0 | 0',
          'while the building is restricted, neither the reader nor 91479''s agent reads its impact faces');
SELECT is(pg_temp.as_role('trh_b', $$UPDATE trh.buildings SET visibility = 'public' WHERE id = 700 RETURNING 'public'$$, true),
          'public', '69381 makes building 700 public again');
SELECT is(pg_temp.trh_both($$SELECT coalesce(string_agg(face::text, ' ' ORDER BY face), '-') FROM trh.solar_impact_roofs WHERE building_id = 700$$),
          '0 | 0', 'the reader and 91479''s agent read face 0 again, not the faces kept for a project (before: - | -)');
SELECT is((SELECT string_agg(face || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY face)
             FROM trh.solar_impact_roofs WHERE building_id = 700),
          '0 public false, 1 restricted false, 2 restricted false',
          'as the owner: face 0 public, unmarked; faces 1 and 2 restricted (before: 0 restricted true, 2 restricted true)');
-- a hub made before: no sr_impact_written, so a mark may have survived a write of the
-- figures; its building's impact faces are not taken back, and create_hub clears such marks
-- when it makes the trigger (fail closed: those faces wait for the impact, as before)
DROP TRIGGER IF EXISTS sr_impact_written ON trh.solar_impact_roofs;
SELECT is(pg_temp.as_role('trh_b', $$UPDATE trh.buildings SET visibility = 'restricted' WHERE id = 700;
  UPDATE trh.solar_impact_roofs SET annual_kwh_m2_after = 400 WHERE building_id = 700 AND face = 0;
  UPDATE trh.buildings SET visibility = 'public' WHERE id = 700;
  SELECT visibility || ' ' || restricted_with_parent FROM trh.solar_impact_roofs WHERE building_id = 700 AND face = 0$$, true),
  'restricted true', 'without the trigger, a marked face whose figures were written is not taken back');
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('trh') \gset
SELECT is((SELECT visibility || ' ' || restricted_with_parent FROM trh.solar_impact_roofs WHERE building_id = 700 AND face = 0),
          'restricted false', 'create_hub makes the trigger and clears the marks written before it');

-- 2. A custom refresh query that says "restricted" for a building public in the hub (its
-- writer's choice: a face over a private courtyard, say).  69381's public building 710,
-- refreshed with such a query: its faces and cells restricted, not marked; the building made
-- restricted then public again leaves them restricted.
CREATE TEMP TABLE trh_sky AS SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.85 45.76 200)', 3.0, 2019) AS s;
GRANT SELECT ON trh_sky TO PUBLIC;
SELECT is(pg_temp.as_role('trh_b', $$
  INSERT INTO trh.buildings (id, geom, height, territory_code, visibility)
    VALUES (710, ST_Force3D(ST_Multi(ST_MakeEnvelope(842300, 6519300, 842310, 6519310, 2154)), 179), 9, '69381', 'public');
  SELECT count(*) FROM smartregion.refresh_solar_roofs((SELECT s FROM pg_temp.trh_sky),
    'SELECT id, geom, height, territory_code, territory_type, ''restricted'' AS visibility FROM trh.buildings WHERE id = 710', '{}', 'trh');
  SELECT count(*) FROM smartregion.refresh_solar_roof_cells((SELECT s FROM pg_temp.trh_sky),
    'SELECT id, geom, height, territory_code, territory_type, ''restricted'' AS visibility FROM trh.buildings WHERE id = 710', '{}', 'trh');
  SELECT (SELECT string_agg(DISTINCT visibility || ' ' || restricted_with_parent, ',') FROM trh.solar_roofs WHERE building_id = 710)
         || ', ' || (SELECT string_agg(DISTINCT visibility || ' ' || restricted_with_parent, ',') FROM trh.solar_roof_cells WHERE building_id = 710)$$, true),
  'restricted false, restricted false',
  'faces and cells a custom query restricts under a public building are not marked (before: restricted true, restricted true)');
SELECT is(pg_temp.as_role('trh_b', $$UPDATE trh.buildings SET visibility = 'restricted' WHERE id = 710;
  UPDATE trh.buildings SET visibility = 'public' WHERE id = 710;
  SELECT (SELECT count(*) FROM trh.solar_roofs WHERE building_id = 710 AND visibility = 'restricted') > 0
     AND (SELECT count(*) FROM trh.solar_roof_cells WHERE building_id = 710 AND visibility = 'restricted') > 0
     AND NOT EXISTS (SELECT 1 FROM trh.solar_roofs WHERE building_id = 710 AND visibility = 'public')
     AND NOT EXISTS (SELECT 1 FROM trh.solar_roof_cells WHERE building_id = 710 AND visibility = 'public')$$, true),
  'true', 'the building made restricted then public again leaves them restricted (before: all published)');
SELECT is(pg_temp.trh_both($$SELECT (SELECT count(*) FROM trh.buildings WHERE id = 710) || ' '
                                    || (SELECT count(*) FROM trh.solar_roofs WHERE building_id = 710) || ' '
                                    || (SELECT count(*) FROM trh.solar_roof_cells WHERE building_id = 710)$$),
          '1 0 0 | 1 0 0', 'the reader and 91479''s agent read the building, none of its faces and cells (before: all of them)');

-- 3. Parts.  69381 imports, with the option visibility restricted, a Building trh-b and its
-- BuildingPart trh-p, one roof surface each: the part is restricted with its parent, marked,
-- and the Building made public again takes it and its surface back.
SELECT is(pg_temp.as_role('trh_b', $$SELECT smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {
    "trh-b": {"type": "Building", "children": ["trh-p"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[0, 1, 2]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]},
    "trh-p": {"type": "BuildingPart", "parents": ["trh-b"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[3, 4, 5]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]}},
  "vertices": [[843000, 6519000, 170], [843010, 6519000, 170], [843010, 6519010, 175],
               [843020, 6519000, 170], [843030, 6519000, 170], [843030, 6519010, 175]]}$j$,
  'trh', '{"territory_code": "69381", "visibility": "restricted"}');
  SELECT string_agg(id || ' ' || coalesce(parent_id, '-') || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY id) FROM trh.city_object$$, true),
  'trh-b - restricted false, trh-p trh-b restricted true',
  'a part imported restricted with its restricted parent is marked (before: trh-p trh-b restricted false)');
SELECT is(pg_temp.trh_both($$SELECT (SELECT count(*) FROM trh.city_object) || ' ' || (SELECT count(*) FROM trh.city_surface)$$),
          '0 0 | 0 0', 'while restricted, the reader and 91479''s agent read no object and no surface');
SELECT is(pg_temp.as_role('trh_b', $$UPDATE trh.city_object SET visibility = 'public' WHERE id = 'trh-b' RETURNING 'public'$$, true),
          'public', '69381 makes the Building public');
SELECT is(pg_temp.trh_both($$SELECT (SELECT count(*) FROM trh.city_object) || ' ' || (SELECT count(*) FROM trh.city_surface)$$),
          '2 2 | 2 2', 'the reader and 91479''s agent read the Building, its part and both surfaces (before: 1 1 | 1 1)');
-- a part imported later, without the option, under the Building made restricted again: it is
-- restricted with its parent, marked (before: public, under a parent hidden from its readers)
SELECT is(pg_temp.as_role('trh_b', $$UPDATE trh.city_object SET visibility = 'restricted' WHERE id = 'trh-b';
  SELECT smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {
    "trh-p2": {"type": "BuildingPart", "parents": ["trh-b"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[0, 1, 2]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]}},
  "vertices": [[843040, 6519000, 170], [843050, 6519000, 170], [843050, 6519010, 175]]}$j$,
  'trh', '{"territory_code": "69381"}');
  SELECT string_agg(id || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY id) FROM trh.city_object$$, true),
  'trh-b restricted false, trh-p restricted true, trh-p2 restricted true',
  'a new part imported under a restricted parent is restricted with it, marked (before: trh-p2 public false)');
SELECT is(pg_temp.trh_both($$SELECT (SELECT count(*) FROM trh.city_object) || ' ' || (SELECT count(*) FROM trh.city_surface)$$),
          '0 0 | 0 0', 'the reader and 91479''s agent read none of them (before: 1 1 | 1 1, the new part and its surface)');
SELECT is(pg_temp.as_role('trh_b', $$UPDATE trh.city_object SET visibility = 'public' WHERE id = 'trh-b';
  SELECT string_agg(id || ' ' || visibility, ', ' ORDER BY id) || '; ' || (SELECT string_agg(DISTINCT visibility::text, ',') FROM trh.city_surface)
    FROM trh.city_object$$, true),
  'trh-b public, trh-p public, trh-p2 public; public', 'the Building made public again takes both parts and their surfaces back');

SELECT * FROM finish();
ROLLBACK;
