-- pgTAP: rows made from a parent the writing agent cannot read, and marks kept by a re-import
-- (2026-12-07, h5; docs/security-reviews.md#r-derived-hidden-parent).
-- 1. A BuildingPart imported by an agent under another territory's restricted Building, which
--    the agent cannot read, was imported public: readers read a part of a building hidden from
--    them.  Now refused, 23503, with the very error of a part under a missing parent (telling
--    "the parent is restricted" would tell that a hidden row exists).
-- 2. Faces, cells, impact faces and project roofs an agent wrote under another territory's
--    restricted building or project were not checked (_hub_derived_territory read the parent
--    as the writer, who sees none): the squatted key blocked that territory's own write.  Now
--    refused, 23503, as under a missing parent; a parent the agent reads (its own restricted
--    building) is fine, and the owner still writes under a missing one.
-- 3. An object imported again with replace lost restricted_with_parent, so its parent made
--    public again left it restricted.  Now kept, unless the option visibility writes it.
-- Roles: thp_a, agent of the commune 91479; thp_b, agent of 69381, which must not read each
-- other's restricted rows; thp_r, a reader.
BEGIN;
SELECT plan(17);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- the SQLSTATE, primary message and detail of a query's error, as a role (or 'ok')
CREATE FUNCTION pg_temp.thp_error(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'ok';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    RETURN CASE WHEN st = 'SRROK' THEN msg ELSE st || ': ' || msg || ' / ' || coalesce(det, '') END;
  END;
END $$;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('thp') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('thp') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE thp_a IN ROLE smartregion_agent;
CREATE ROLE thp_b IN ROLE smartregion_agent;
CREATE ROLE thp_r IN ROLE smartregion_reader;
INSERT INTO thp.agents (role_name, territory_code, territory_type) VALUES ('thp_a', '91479', NULL), ('thp_b', '69381', NULL);
-- what the reader and 91479's agent read, as 'reader | agent'
CREATE FUNCTION pg_temp.thp_both(q text) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.as_role('thp_r', q) || ' | ' || pg_temp.as_role('thp_a', q) $$;
-- a CityJSON document of one BuildingPart named id under the parent named parent
CREATE FUNCTION pg_temp.thp_part(id text, parent text) RETURNS text LANGUAGE sql AS $$
  SELECT format($j${"type": "CityJSON", "version": "2.0", "metadata": {"referenceSystem": "EPSG:2154"},
    "CityObjects": {%s: {"type": "BuildingPart", "parents": [%s], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[0, 1, 2]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]}},
    "vertices": [[844000, 6519000, 170], [844010, 6519000, 170], [844010, 6519010, 175]]}$j$,
    to_json(id), to_json(parent)) $$;

-- 69381's restricted Building thp-s, restricted building 800 and restricted project
SELECT is(pg_temp.as_role('thp_b', $$
  INSERT INTO thp.city_object (id, type, territory_code, visibility) VALUES ('thp-s', 'Building', '69381', 'restricted');
  INSERT INTO thp.buildings (id, geom, height, territory_code, visibility)
    VALUES (800, ST_Force3D(ST_Multi(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154)), 170), 9, '69381', 'restricted');
  INSERT INTO thp.planned_building (name, geom, height, territory_code, visibility)
    VALUES ('secret tower', ST_MakeEnvelope(842020, 6519000, 842030, 6519010, 2154), 50, '69381', 'restricted');
  SELECT 'written'$$, true), 'written', '69381 writes a restricted object, building and project');
SELECT (SELECT id FROM thp.planned_building) AS project \gset

-- 1. 91479's agent imports a part under 69381's restricted Building (kept when written: on
-- the build before, the reads below show it)
SELECT is(pg_temp.as_role('thp_a', format($$SELECT smartregion.import_cityjson(%L, 'thp', '{"territory_code": "91479"}')::text$$,
                                          pg_temp.thp_part('thp-x', 'thp-s')), true),
          '23503', 'an agent cannot import a part under another territory''s restricted object it cannot read (before: written public)');
SELECT is(pg_temp.thp_both($$SELECT (SELECT count(*) FROM thp.city_object) || ' ' || (SELECT count(*) FROM thp.city_surface)$$),
          '0 0 | 0 0', 'the reader and 91479''s agent read no part and no surface of the hidden object (before: 1 1 | 1 1)');
-- the refusal is the one of a part under an object that does not exist: it tells no more
SELECT is(replace(pg_temp.thp_error('thp_a', format($$SELECT smartregion.import_cityjson(%L, 'thp', '{"territory_code": "91479"}')$$,
                                                     pg_temp.thp_part('thp-x', 'thp-s'))), 'thp-s', 'K'),
          replace(pg_temp.thp_error('thp_a', format($$SELECT smartregion.import_cityjson(%L, 'thp', '{"territory_code": "91479"}')$$,
                                                     pg_temp.thp_part('thp-x', 'thp-none'))), 'thp-none', 'K'),
          'a hidden parent and a missing one give the same error, key aside');
SELECT is(pg_temp.thp_error('thp_a', format($$SELECT smartregion.import_cityjson(%L, 'thp', '{"territory_code": "91479"}')$$,
                                            pg_temp.thp_part('thp-x', 'thp-none'))),
          '23503: a row of table "city_object" names a row of table "city_object" that is missing or that you cannot read / '
          'Key (parent_id)=(thp-none) is not present in table "city_object" as you read it.',
          'the error names the table, the key and "as you read it" (before: 23505, the part written by the import above)');

-- 2. Rows made from 69381's restricted building 800 and restricted project, written by
-- 91479's agent: refused (before: written, and kept here to show 69381's writes blocked)
SELECT is(pg_temp.as_role('thp_a', $$INSERT INTO thp.solar_roofs (building_id, face, geom, potential_class, territory_code, visibility)
  VALUES (800, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), 'unsuitable', '91479', 'public'); SELECT 'written'$$, true),
  '23503', 'an agent cannot write a face under another territory''s restricted building (before: written)');
SELECT is(pg_temp.as_role('thp_a', $$INSERT INTO thp.solar_roof_cells (building_id, face, geom, territory_code, visibility)
  VALUES (800, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842001, 6519001, 2154), 179), '91479', 'public'); SELECT 'written'$$, true),
  '23503', 'nor a cell (before: written)');
SELECT is(pg_temp.as_role('thp_a', $$INSERT INTO thp.solar_impact_roofs (building_id, face, is_project, geom, potential_class_after, territory_code, visibility)
  VALUES (800, 0, false, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), 'unsuitable', '91479', 'public'); SELECT 'written'$$, true),
  '23503', 'nor an impact face (before: written)');
SELECT is(pg_temp.as_role('thp_a', format($$INSERT INTO thp.solar_impact_roofs (building_id, face, is_project, geom, potential_class_after, territory_code, visibility)
  VALUES (%s, 0, true, ST_MakeEnvelope(842020, 6519000, 842030, 6519010, 2154), 'excellent', '91479', 'public'); SELECT 'written'$$, :project), true),
  '23503', 'nor a roof of another territory''s restricted project (before: written)');
-- an update giving its own face the hidden building's key: refused too
SELECT is(pg_temp.as_role('thp_a', $$
  INSERT INTO thp.buildings (id, geom, height, territory_code, visibility)
    VALUES (810, ST_Force3D(ST_Multi(ST_MakeEnvelope(843000, 6519000, 843010, 6519010, 2154)), 170), 9, '91479', 'restricted');
  INSERT INTO thp.solar_roofs (building_id, face, geom, territory_code, visibility)
    VALUES (810, 5, ST_Force3D(ST_MakeEnvelope(843000, 6519000, 843010, 6519010, 2154), 179), '91479', 'restricted');
  SELECT 'written'$$, true), 'written', '91479''s agent writes a face under its own restricted building, which it reads');
SELECT is(pg_temp.as_role('thp_a', $$UPDATE thp.solar_roofs SET building_id = 800 WHERE building_id = 810 AND face = 5; SELECT 'moved'$$, true),
          '23503', 'nor moves its face under the hidden building (before: moved)');
-- 69381's own writes of its building's face and cell are not blocked by a squatted key
SELECT is(pg_temp.as_role('thp_b', $$INSERT INTO thp.solar_roofs (building_id, face, geom, territory_code, visibility)
  VALUES (800, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), '69381', 'restricted')
  ON CONFLICT (building_id, face) DO UPDATE SET visibility = EXCLUDED.visibility;
  SELECT string_agg(face || ' ' || territory_code, ', ' ORDER BY face) FROM thp.solar_roofs WHERE building_id = 800$$),
  '0 69381', '69381 writes its face (800, 0) (before: 42501, the key held by 91479''s row)');
-- the hub's owner, whom row-level security does not bind, still writes under a missing parent
SELECT is(pg_temp.as_role(current_user, $$INSERT INTO thp.solar_roofs (building_id, face, geom)
  VALUES (899, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179)); SELECT 'written'$$),
  'written', 'the owner writes a face of a building the hub does not hold');

-- 3. A re-import keeps the marks.  69381 imports a public Building thp-c and its part
-- thp-cp; made restricted, the Building takes the part (marked); the same document imported
-- again with replace, without the option visibility, leaves both as they are, the part marked
SELECT is(pg_temp.as_role('thp_b', $$SELECT smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {
    "thp-c": {"type": "Building", "children": ["thp-cp"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[0, 1, 2]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]},
    "thp-cp": {"type": "BuildingPart", "parents": ["thp-c"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[3, 4, 5]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]}},
  "vertices": [[845000, 6519000, 170], [845010, 6519000, 170], [845010, 6519010, 175],
               [845020, 6519000, 170], [845030, 6519000, 170], [845030, 6519010, 175]]}$j$,
  'thp', '{"territory_code": "69381"}');
  UPDATE thp.city_object SET visibility = 'restricted' WHERE id = 'thp-c';
  SELECT smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {
    "thp-c": {"type": "Building", "children": ["thp-cp"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[0, 1, 2]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]},
    "thp-cp": {"type": "BuildingPart", "parents": ["thp-c"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[3, 4, 5]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]}},
  "vertices": [[845000, 6519000, 170], [845010, 6519000, 170], [845010, 6519010, 175],
               [845020, 6519000, 170], [845030, 6519000, 170], [845030, 6519010, 175]]}$j$,
  'thp', '{"territory_code": "69381", "replace": true}');
  SELECT string_agg(id || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY id) FROM thp.city_object WHERE id LIKE 'thp-c%'$$, true),
  'thp-c restricted false, thp-cp restricted true',
  'imported again, the part restricted with its Building keeps its mark (before: thp-cp restricted false)');
SELECT is(pg_temp.as_role('thp_b', $$UPDATE thp.city_object SET visibility = 'public' WHERE id = 'thp-c' RETURNING 'public'$$, true),
          'public', '69381 makes the Building public again');
SELECT is(pg_temp.thp_both($$SELECT (SELECT count(*) FROM thp.city_object WHERE id LIKE 'thp-c%') || ' '
                                    || (SELECT count(*) FROM thp.city_surface WHERE object_id LIKE 'thp-c%')$$),
          '2 2 | 2 2', 'the reader and 91479''s agent read the Building, its part and both surfaces (before: 1 1 | 1 1)');
-- imported again with the option visibility: the import writes it, as a writer by hand
SELECT is(pg_temp.as_role('thp_b', $$UPDATE thp.city_object SET visibility = 'restricted' WHERE id = 'thp-c';
  SELECT smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {
    "thp-cp": {"type": "BuildingPart", "parents": ["thp-c"], "geometry": [{"type": "MultiSurface", "lod": "2",
       "boundaries": [[[0, 1, 2]]], "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0]}}]}},
  "vertices": [[845020, 6519000, 170], [845030, 6519000, 170], [845030, 6519010, 175]]}$j$,
  'thp', '{"territory_code": "69381", "replace": true, "visibility": "restricted"}');
  UPDATE thp.city_object SET visibility = 'public' WHERE id = 'thp-c';
  SELECT string_agg(id || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY id) FROM thp.city_object WHERE id LIKE 'thp-c%'$$),
  'thp-c public false, thp-cp restricted false',
  'a part imported again with the option visibility is its writer''s: it stays restricted when its Building is made public');

SELECT * FROM finish();
ROLLBACK;
