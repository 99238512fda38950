-- pgTAP: solar_impact refuses rows of buildings_sql giving one object two parents (2026-12-08,
-- h4; docs/city3d.md#an-object-given-two-parents).  A hub's buildings_sql gives every part's
-- parent (its surfaces joined to city_object, and a link row without geometry for every part);
-- a planned project's rows unioned into it may give a part another parent.  Before, the core
-- kept the pairs (object, parent) sorted by object only and took whichever a binary search
-- met (and a row its own parent first): which rows a project naming an ancestor replaced
-- depended on the rows' order.  Now the call fails, 22023, naming the object and both parents.
-- The parents named come from rows the caller's own query read, under row-level security: a
-- role that does not read the hub's restricted part gets no error, and no name of it.
-- Roles: tp_a an agent of 69381 (the chain's territory), tp_b of 91479, tp_m of both, tp_r a
-- reader.
BEGIN;
SELECT plan(7);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- the SQLSTATE and primary message of a query's error as a role, or 'ok'
CREATE FUNCTION pg_temp.tp_error(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
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

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tp') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tp') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE tp_a IN ROLE smartregion_agent;
CREATE ROLE tp_b IN ROLE smartregion_agent;
CREATE ROLE tp_m IN ROLE smartregion_agent;
CREATE ROLE tp_r IN ROLE smartregion_reader;
INSERT INTO tp.agents (role_name, territory_code, territory_type)
  VALUES ('tp_a', '69381', NULL), ('tp_b', '91479', NULL), ('tp_m', '69381', NULL), ('tp_m', '91479', NULL);

-- 69381's restricted chain B (no geometry) -> P1 (no geometry) -> P2 (a 10 m x 10 m box's
-- ground and roof, 6 m high; city_part_chain.sql's document, EPSG:3946 near Lyon)
SELECT is(pg_temp.as_role('tp_a', $$SELECT (smartregion.import_cityjson('{"type": "CityJSON", "version": "2.0", "transform": {"scale": [1, 1, 1], "translate": [1843000, 5175000, 170]}, "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/3946"}, "CityObjects": {"B": {"type": "Building", "children": ["P1"]}, "P1": {"type": "BuildingPart", "parents": ["B"], "children": ["P2"]}, "P2": {"type": "BuildingPart", "parents": ["P1"], "geometry": [{"type": "MultiSurface", "lod": "2", "boundaries": [[[0, 1, 2, 3]], [[4, 5, 6, 7]]], "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}], "values": [0, 1]}}]}}, "vertices": [[0, 0, 0], [0, 10, 0], [10, 10, 0], [10, 0, 0], [0, 0, 6], [10, 0, 6], [10, 10, 6], [0, 10, 6]]}',
  'tp', '{"territory_code": "69381", "visibility": "restricted"}') ->> 'objects')$$, true),
  '3', '69381 imports the restricted chain B -> P1 -> P2');

\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
SELECT smartregion.sky_from_epw(:'epw')::text AS sky \gset
-- the hub's rows (surfaces with their object's parent, a link row for every part), and a
-- planned project's link row saying P2 is a part of Q (another parent); the project a 4 m box
-- on B's outline, naming B
\set hub_rows 'SELECT s.id, s.geom, s.semantic_type AS surface_type, s.object_id, o.parent_id FROM tp.city_surface s JOIN tp.city_object o ON o.id = s.object_id UNION ALL SELECT 0, NULL, NULL, o.id, o.parent_id FROM tp.city_object o WHERE o.parent_id IS NOT NULL'
\set project 'SELECT 1::bigint AS id, ST_Transform(ST_SetSRID(ST_MakeEnvelope(1843000, 5175000, 1843010, 5175010), 3946), 2154) AS geom, 4.0 AS height, 170.0 AS ground_z, ''B'' AS object_id'
CREATE TEMP TABLE tp_q AS SELECT :'project'::text AS project, :'hub_rows'::text AS hub_rows, :'sky'::text AS sky;
-- the call, with the project's link row giving P2 the parent link_parent
CREATE FUNCTION pg_temp.tp_call(link_parent text) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT count(*) FROM smartregion.solar_impact(%L, %L, %L::smartregion.sky, ''{"sampling": "point"}'')',
                q.project, q.hub_rows || format(' UNION ALL SELECT 0, NULL, NULL, ''P2'', %L', link_parent), q.sky)
    FROM tp_q q
$$;

SELECT is(pg_temp.tp_error('tp_a', pg_temp.tp_call('Q')),
  '22023: object_id "P2" of buildings_sql has two parents: "P1" and "Q"',
  '69381''s agent: the hub''s rows give P2 the parent P1, the project''s link row Q: refused, 22023, naming P2 and both (before: either taken)');
SELECT is(pg_temp.tp_error('tp_m', pg_temp.tp_call('Q')),
  '22023: object_id "P2" of buildings_sql has two parents: "P1" and "Q"', 'the agent of both territories: the same');
-- two roles that do not read the restricted chain: the project's row alone gives P2 a parent,
-- no error, and nothing of P1
SELECT is(pg_temp.tp_error('tp_b', pg_temp.tp_call('Q')), 'ok',
  '91479''s agent, which reads none of the chain, gets no error (one parent given: Q), so no name of it');
SELECT is(pg_temp.tp_error('tp_r', pg_temp.tp_call('Q')), 'ok', 'nor does a reader');
-- the project's link row agreeing with the hub (P2 under P1): one parent, and the project
-- naming B replaces P2's roof through P1, by hand (its ground is no face): 0 m2, no sun after
SELECT is(pg_temp.tp_error('tp_a', pg_temp.tp_call('P1')), 'ok', 'two rows giving P2 the same parent P1 are one parent: no error');
SELECT is(pg_temp.as_role('tp_a', format($$SELECT string_agg(s.object_id || ' ' || s.semantic_type, ',')
    FROM smartregion.solar_impact(%L, %L, %L::smartregion.sky, '{"sampling": "point"}') i
    JOIN tp.city_surface s ON s.id = i.building_id
   WHERE NOT i.is_project AND i.area_m2 = 0 AND i.annual_kwh_m2_after = 0$$,
   :'project', :'hub_rows' || ' UNION ALL SELECT 0, NULL, NULL, ''P2'', ''P1''', :'sky')),
  'P2 RoofSurface', '... and the project naming B replaces the roof of P2, B''s part''s part');

SELECT * FROM finish();
ROLLBACK;
