-- pgTAP: red team of tenancy (2026-12-07, h9; docs/security.md, docs/security-reviews.md
-- #r-derived-territory): the keys of the rows made from a building, a planned building or a
-- 3D object (solar_roofs, solar_roof_cells, solar_impact_roofs, city_object's parts) name no
-- territory.  Before, tdt_a, agent of the commune 91479, wrote a public face (900, 0) of its
-- own territory under 69381's public building 900, "unsuitable": readers read it as
-- building 900's, and 69381's own write of the face failed (42501 as an upsert, 23505 as an
-- insert).  Now a row an agent writes is of its parent's territory (23514).
-- Roles: tdt_a (91479), tdt_b (69381), tdt_r a reader, tdt_p the platform administrator.
BEGIN;
SELECT plan(18);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- the SQLSTATE and the primary message of a query's error, as a role (or 'ok')
CREATE FUNCTION pg_temp.tdt_error(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
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

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tdt') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tdt') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE tdt_a IN ROLE smartregion_agent;
CREATE ROLE tdt_b IN ROLE smartregion_agent;
CREATE ROLE tdt_r IN ROLE smartregion_reader;
CREATE ROLE tdt_p IN ROLE smartregion_platform_admin;
INSERT INTO tdt.agents (role_name, territory_code, territory_type) VALUES ('tdt_a', '91479', NULL), ('tdt_b', '69381', NULL);

-- 69381's public building 900, public project and public object 'tdt-1'; 91479's building 901
SELECT is(pg_temp.as_role('tdt_b', $$
  INSERT INTO tdt.buildings (id, geom, height, territory_code, visibility)
    VALUES (900, ST_Force3D(ST_Multi(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154)), 170), 9, '69381', 'public');
  INSERT INTO tdt.planned_building (name, geom, height, territory_code, visibility)
    VALUES ('tower', ST_MakeEnvelope(842020, 6519000, 842030, 6519010, 2154), 50, '69381', 'public');
  INSERT INTO tdt.city_object (id, type, territory_code, visibility) VALUES ('tdt-1', 'Building', '69381', 'public');
  SELECT 'written'$$, true), 'written', '69381 writes a public building, project and object');
SELECT is(pg_temp.as_role('tdt_a', $$
  INSERT INTO tdt.buildings (id, geom, height, territory_code, visibility)
    VALUES (901, ST_Force3D(ST_Multi(ST_MakeEnvelope(843000, 6519000, 843010, 6519010, 2154)), 170), 9, '91479', 'public');
  SELECT 'written'$$, true), 'written', '91479 writes its public building 901');
SELECT (SELECT id FROM tdt.planned_building) AS project \gset

-- 91479's agent squats 69381's keys: refused (before: written, public, its values)
-- (kept when written: on the old build, the reads and 69381's writes below show the harm)
SELECT is(pg_temp.as_role('tdt_a', $$INSERT INTO tdt.solar_impact_roofs (building_id, face, is_project, geom, potential_class_after, territory_code, visibility)
  VALUES (900, 0, false, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), 'unsuitable', '91479', 'public'); SELECT 'written'$$, true),
  '23514', 'an agent cannot write an impact face under another territory''s building (before: written)');
SELECT is(pg_temp.as_role('tdt_a', $$INSERT INTO tdt.solar_roofs (building_id, face, geom, potential_class, territory_code, visibility)
  VALUES (900, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), 'unsuitable', '91479', 'public'); SELECT 'written'$$, true),
  '23514', '... nor a roof face');
SELECT is(pg_temp.tdt_error('tdt_a', $$INSERT INTO tdt.solar_roof_cells (building_id, face, geom, territory_code, visibility)
  VALUES (900, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842001, 6519001, 2154), 179), '91479', 'public')$$),
  '23514: a row of table "solar_roof_cells" belongs to the territory of its parent in table "buildings"',
  '... nor a roof cell');
SELECT is(pg_temp.as_role('tdt_a', format($$INSERT INTO tdt.solar_impact_roofs (building_id, face, is_project, geom, territory_code, visibility)
  VALUES (%s, 0, true, ST_MakeEnvelope(842020, 6519000, 842030, 6519010, 2154), '91479', 'public') RETURNING 'written'$$, :project)),
  '23514', '... nor a roof of another territory''s project (is_project: its parent is the planned building)');
SELECT is(pg_temp.tdt_error('tdt_a', $$INSERT INTO tdt.city_object (id, type, parent_id, territory_code, visibility)
  VALUES ('tdt-1-part', 'BuildingPart', 'tdt-1', '91479', 'public')$$),
  '23514: a row of table "city_object" belongs to the territory of its parent in table "city_object"',
  '... nor a part of another territory''s object');
-- ... nor move its own face there (an update of the key)
SELECT is(pg_temp.as_role('tdt_a', $$INSERT INTO tdt.solar_roofs (building_id, face, geom, territory_code, visibility)
  VALUES (901, 0, ST_Force3D(ST_MakeEnvelope(843000, 6519000, 843010, 6519010, 2154), 179), '91479', 'public'); SELECT 'written'$$, true),
  'written', '91479 writes a face of its own building');
SELECT is(pg_temp.as_role('tdt_a', $$UPDATE tdt.solar_roofs SET building_id = 900, face = 5 WHERE building_id = 901 RETURNING 'moved'$$),
  '23514', 'an agent cannot move its face under another territory''s building (before: moved)');
SELECT is(pg_temp.as_role('tdt_a', $$UPDATE tdt.solar_roofs SET potential_class = 'B' WHERE building_id = 901 RETURNING potential_class$$),
  'B', 'an update of its own face that keeps its key and territory passes');

-- 69381 writes its own faces, as an upsert and as an insert (before: 42501 and 23505)
SELECT is(pg_temp.as_role('tdt_b', $$
  INSERT INTO tdt.solar_impact_roofs (building_id, face, is_project, geom, potential_class_after, territory_code, visibility)
    VALUES (900, 0, false, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), 'very good', '69381', 'public')
  ON CONFLICT (building_id, face, is_project) DO UPDATE SET potential_class_after = EXCLUDED.potential_class_after;
  INSERT INTO tdt.solar_roofs (building_id, face, geom, potential_class, territory_code, visibility)
    VALUES (900, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), 'very good', '69381', 'public');
  INSERT INTO tdt.solar_roof_cells (building_id, face, geom, territory_code, visibility)
    VALUES (900, 0, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842001, 6519001, 2154), 179), '69381', 'public');
  INSERT INTO tdt.city_object (id, type, parent_id, territory_code, visibility) VALUES ('tdt-1-part', 'BuildingPart', 'tdt-1', '69381', 'public');
  SELECT 'written'$$, true), 'written', '69381 writes its own faces, cell and part under its building and object');
-- a reader reads 69381's values for 69381's face (before: 91479's "unsuitable")
SELECT is(pg_temp.as_role('tdt_r', $$SELECT string_agg(i.territory_code || ' ' || i.potential_class_after || ' ' || r.potential_class, ',')
                                       FROM tdt.solar_impact_roofs i JOIN tdt.solar_roofs r USING (building_id, face) WHERE building_id = 900$$),
  '69381 very good very good', 'a reader reads 69381''s values of building 900''s face, and no other');
SELECT is(pg_temp.as_role('tdt_r', $$SELECT string_agg(territory_code, ',') FROM tdt.city_object WHERE parent_id = 'tdt-1'$$),
  '69381', 'a reader reads one part of tdt-1, 69381''s');

-- the refresh, as an agent: of its own building, written; naming another territory's
-- building with its own territory (its buildings_sql is its caller's), refused
SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.9 45.7 200)', 3.0, 2019) AS sky \gset
SELECT is(pg_temp.as_role('tdt_a', format($$SELECT (inserted + updated)::text FROM smartregion.refresh_solar_roofs(%L::smartregion.sky,
  'SELECT id, geom, height, territory_code, territory_type, visibility FROM tdt.buildings WHERE id = 901', '{}', 'tdt')$$, :'sky')),
  '1', 'an agent''s refresh of its own building writes its face');
SELECT is(pg_temp.as_role('tdt_a', format($$SELECT (inserted + updated)::text FROM smartregion.refresh_solar_roofs(%L::smartregion.sky,
  'SELECT 900::bigint AS id, geom, height, territory_code, territory_type, visibility FROM tdt.buildings WHERE id = 901', '{}', 'tdt')$$, :'sky')),
  '23514', 'an agent''s refresh naming another territory''s building with its own territory is refused');

-- the platform administrator (and the hub's owner, who passes row-level security) writes
-- every territory's rows: a row of theirs may differ from its parent (the demo's impact
-- rows carry no territory)
SELECT is(pg_temp.as_role('tdt_p', $$INSERT INTO tdt.solar_impact_roofs (building_id, face, is_project, geom, territory_code, visibility)
  VALUES (900, 1, false, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 179), NULL, 'public') RETURNING 'written'$$),
  'written', 'the platform administrator may write a row of another territory than its parent''s');
SELECT is((SELECT string_agg(tgname || ' ' || tgrelid::regclass::text, ',' ORDER BY tgrelid::regclass::text, tgname) FROM pg_trigger
            WHERE (tgname LIKE 'sr_derived_territory%' OR tgname = 'sr_settled_territory_upd') AND tgrelid::regclass::text LIKE 'tdt.%'),
  'sr_derived_territory_ins tdt.city_object,sr_settled_territory_upd tdt.city_object,sr_derived_territory_ins tdt.solar_impact_roofs,sr_derived_territory_upd tdt.solar_impact_roofs,sr_derived_territory_ins tdt.solar_roof_cells,sr_derived_territory_upd tdt.solar_roof_cells,sr_derived_territory_ins tdt.solar_roofs,sr_derived_territory_upd tdt.solar_roofs',
  'create_hub gives the four tables both triggers');
-- a hub made by an older build (the triggers missing): create_hub adds them
DROP TRIGGER IF EXISTS sr_derived_territory_ins ON tdt.solar_roofs;
DROP TRIGGER IF EXISTS sr_settled_territory_upd ON tdt.city_object;
-- (a hub made before 2026-12-08, h4: city_object's update check named sr_derived_territory_upd,
-- which fired before the cascade: create_hub drops it)
CREATE TRIGGER sr_derived_territory_upd AFTER UPDATE ON tdt.city_object
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION smartregion._hub_derived_territory();
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('tdt') \gset
SELECT is((SELECT string_agg(tgname || ' ' || tgrelid::regclass::text, ',' ORDER BY tgrelid::regclass::text, tgname) FROM pg_trigger
            WHERE (tgname LIKE 'sr_derived_territory%' OR tgname = 'sr_settled_territory_upd') AND tgrelid::regclass::text LIKE 'tdt.%'),
  'sr_derived_territory_ins tdt.city_object,sr_settled_territory_upd tdt.city_object,sr_derived_territory_ins tdt.solar_impact_roofs,sr_derived_territory_upd tdt.solar_impact_roofs,sr_derived_territory_ins tdt.solar_roof_cells,sr_derived_territory_upd tdt.solar_roof_cells,sr_derived_territory_ins tdt.solar_roofs,sr_derived_territory_upd tdt.solar_roofs',
  'create_hub run again on a hub without them adds them back, and drops city_object''s older sr_derived_territory_upd');

SELECT * FROM finish();
ROLLBACK;
