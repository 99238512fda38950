-- pgTAP: parts of parts (2026-12-07, h3; docs/city3d.md#hub-tables).  A CityJSON Building
-- "B" whose part "P1" has no geometry and a part "P2" of its own with a ground and a roof
-- (10 m x 10 m, 6 m high; hand-written, EPSG:3946 near Lyon).  Before: "P2", new under the
-- new "P1" under 69381's restricted "B", was imported public with its surfaces (its parent
-- was taken as public: a new object of the document), so a reader and 91479's agent read
-- them; and a Building above a part without surfaces got no footprint.  Now the visibility
-- and its mark go down the chain, and the footprint up it; territory holds at each link.
-- Roles: pc_a (69381), pc_b (91479), pc_r a reader.
BEGIN;
SELECT plan(14);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- the SQLSTATE and the primary message of a query's error, as a role (or 'ok')
CREATE FUNCTION pg_temp.pc_error(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'ok';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN CASE WHEN st = 'SRROK' THEN msg ELSE st || ': ' || msg END;
  END;
END $$;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('pc') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('pc') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE pc_a IN ROLE smartregion_agent;
CREATE ROLE pc_b IN ROLE smartregion_agent;
CREATE ROLE pc_r IN ROLE smartregion_reader;
INSERT INTO pc.agents (role_name, territory_code, territory_type) VALUES ('pc_a', '69381', NULL), ('pc_b', '91479', NULL);

-- the chain: B (no geometry) -> P1 (no geometry) -> P2 (ground and roof)
\set chain '{"type": "CityJSON", "version": "2.0", "transform": {"scale": [1, 1, 1], "translate": [1843000, 5175000, 170]}, "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/3946"}, "CityObjects": {"B": {"type": "Building", "children": ["P1"]}, "P1": {"type": "BuildingPart", "parents": ["B"], "children": ["P2"]}, "P2": {"type": "BuildingPart", "parents": ["P1"], "geometry": [{"type": "MultiSurface", "lod": "2", "boundaries": [[[0, 1, 2, 3]], [[4, 5, 6, 7]]], "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}], "values": [0, 1]}}]}}, "vertices": [[0, 0, 0], [0, 10, 0], [10, 10, 0], [10, 0, 0], [0, 0, 6], [10, 0, 6], [10, 10, 6], [0, 10, 6]]}'
-- the same parts without their Building (imported under the hub's B)
SELECT (:'chain'::jsonb #- '{CityObjects,B}')::text AS parts \gset

-- 69381 keeps its Building B restricted, and imports its parts
SELECT is(pg_temp.as_role('pc_a', $$INSERT INTO pc.city_object (id, type, territory_code, visibility)
  VALUES ('B', 'Building', '69381', 'restricted') RETURNING 'written'$$, true), 'written', '69381 writes its restricted Building B');
SELECT is(pg_temp.as_role('pc_a', format($$SELECT (smartregion.import_cityjson(%L, 'pc', '{"territory_code": "69381"}') ->> 'objects')$$, :'parts'), true),
  '2', '69381 imports B''s parts P1 and P2');
SELECT is((SELECT string_agg(id || ' ' || parent_id || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY id)
             FROM pc.city_object WHERE parent_id IS NOT NULL),
  'P1 B restricted true, P2 P1 restricted true', 'the part of the part is restricted with its Building, and marked (before: P2 public)');
SELECT is((SELECT string_agg(semantic_type || ' ' || visibility || ' ' || restricted_with_parent, ', ' ORDER BY semantic_type)
             FROM pc.city_surface WHERE object_id = 'P2'),
  'GroundSurface restricted true, RoofSurface restricted true', '... and so are its surfaces');
-- two roles that must not see them: a reader, and the other territory's agent
SELECT is(pg_temp.as_role('pc_r', $$SELECT count(*)::text FROM pc.city_object$$) || ' ' ||
          pg_temp.as_role('pc_r', $$SELECT count(*)::text FROM pc.city_surface$$),
  '0 0', 'a reader reads no object and no surface of the restricted Building (before: P2 and its 2 surfaces)');
SELECT is(pg_temp.as_role('pc_b', $$SELECT count(*)::text FROM pc.city_object$$) || ' ' ||
          pg_temp.as_role('pc_b', $$SELECT count(*)::text FROM pc.city_surface$$),
  '0 0', '... nor 91479''s agent');
SELECT is(pg_temp.as_role('pc_a', $$SELECT count(*)::text FROM pc.city_object$$) || ' ' ||
          pg_temp.as_role('pc_a', $$SELECT count(*)::text FROM pc.city_surface$$),
  '3 2', '69381''s agent reads its Building, its 2 parts and the 2 surfaces');

-- B made public takes its parts back down the chain
SELECT is(pg_temp.as_role('pc_a', $$UPDATE pc.city_object SET visibility = 'public' WHERE id = 'B' RETURNING 'public'$$, true),
  'public', '69381 makes B public');
SELECT is(pg_temp.as_role('pc_r', $$SELECT count(*) FILTER (WHERE visibility = 'public')::text FROM pc.city_object$$) || ' ' ||
          pg_temp.as_role('pc_r', $$SELECT count(*) FILTER (WHERE visibility = 'public')::text FROM pc.city_surface$$),
  '3 2', 'a reader now reads B, P1, P2 and P2''s surfaces, public');

-- territory at each link: 91479 cannot hang a part under 69381's (now public) part P1
SELECT is(pg_temp.pc_error('pc_b', $$SELECT smartregion.import_cityjson('{"type": "CityJSON", "version": "2.0", "transform": {"scale": [1, 1, 1], "translate": [1843000, 5175000, 170]}, "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/3946"}, "CityObjects": {"P3": {"type": "BuildingPart", "parents": ["P1"]}}, "vertices": []}', 'pc', '{"territory_code": "91479"}')$$),
  '23514: a row of table "city_object" belongs to the territory of its parent in table "city_object"', 'an agent cannot import a part of another territory''s part');

-- the footprint goes up the chain: the whole document, renamed (C -> Q1 -> Q2), as 69381
SELECT is(pg_temp.as_role('pc_a', format($$SELECT (smartregion.import_cityjson(%L, 'pc', '{"territory_code": "69381"}') ->> 'objects')$$,
                                         replace(replace(replace(:'chain', '"P2"', '"Q2"'), '"P1"', '"Q1"'), '"B"', '"C"')), true),
  '3', '69381 imports the chain C -> Q1 -> Q2');
SELECT is((SELECT string_agg(o.id || ' ' || coalesce(ST_Equals(o.footprint, q.footprint)::text, 'none'), ', ' ORDER BY o.id)
             FROM pc.city_object o, pc.city_object q WHERE o.id IN ('C', 'Q1') AND q.id = 'Q2'),
  'C true, Q1 true', 'the Building above a part without surfaces gets its part''s part''s footprint (before: C none)');

-- solar_impact through the chain (h5, docs/city3d.md#a-part-without-surfaces): a project
-- naming the Building B (a 4 m box on B's outline, in the hub's SRID 2154) replaces the roof of P2, B's part's part,
-- when buildings_sql gives every part's parent, P1's with a row without geometry; without
-- those rows no row gives P1's parent, and B names nothing.  By hand: P2's roof (its ground is
-- no face) is reported with nothing after, 0 m2 and no sun.  (These two pass on the build
-- before too: the core read the link rows' pairs already; what changed is that they are no
-- longer counted as skipped empty geometries, sql/city3d_impact.sql section 5.)
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TEMP TABLE pc_sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
\set pc_b 'SELECT s.id, s.geom, s.semantic_type AS surface_type, s.object_id, o.parent_id FROM pc.city_surface s JOIN pc.city_object o ON o.id = s.object_id'
\set pc_links ' UNION ALL SELECT 0, NULL, NULL, o.id, o.parent_id FROM pc.city_object o WHERE o.parent_id IS NOT NULL'
\set pc_p 'SELECT 1::bigint AS id, ST_Transform(ST_SetSRID(ST_MakeEnvelope(1843000, 5175000, 1843010, 5175010), 3946), 2154) AS geom, 4.0 AS height, 170.0 AS ground_z, ''B'' AS object_id'
SELECT is((SELECT string_agg(s.object_id || ' ' || s.semantic_type, ',')
             FROM pc_sky k, smartregion.solar_impact(:'pc_p', :'pc_b' || :'pc_links', k.s, '{"sampling": "point"}') i
             JOIN pc.city_surface s ON s.id = i.building_id
            WHERE NOT i.is_project AND i.area_m2 = 0 AND i.annual_kwh_m2_after = 0),
  'P2 RoofSurface', 'a project naming B replaces the roof of its part''s part, through P1 (no surface)');
SELECT is((SELECT count(*)::int FROM pc_sky k, smartregion.solar_impact(:'pc_p', :'pc_b', k.s, '{"sampling": "point"}') i
            WHERE NOT i.is_project AND i.area_m2 = 0 AND i.annual_kwh_m2_after = 0),
  0, 'without the rows of the parts without surfaces, nothing is replaced');

SELECT * FROM finish();
ROLLBACK;
