-- pgTAP: a building moved to another territory takes its derived rows with it (2026-12-07,
-- h12; docs/security-reviews.md#r-derived-territory (2)).  _hub_restrict_derived, after an
-- update of a hub's buildings or planned buildings, moves the rows of the territory the parent
-- left (solar_roofs faces, solar_roof_cells, solar_impact_roofs faces; a project's own roofs)
-- to its new territory, as the caller; a row it reads but cannot move fails the move (42501).
-- Before, they kept the former territory: its agents still read the building's restricted
-- face, the new territory's agents neither read nor wrote it.
-- Roles: tdm_m an agent of 91479 and 69381, tdm_a of 91479, tdm_b of 69381, tdm_r a reader.
BEGIN;
SELECT plan(16);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tdm') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tdm') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE tdm_m IN ROLE smartregion_agent;
CREATE ROLE tdm_a IN ROLE smartregion_agent;
CREATE ROLE tdm_b IN ROLE smartregion_agent;
CREATE ROLE tdm_r IN ROLE smartregion_reader;
INSERT INTO tdm.agents (role_name, territory_code, territory_type)
  VALUES ('tdm_m', '91479', NULL), ('tdm_m', '69381', NULL), ('tdm_a', '91479', NULL), ('tdm_b', '69381', NULL);

-- 91479's building 901 with a restricted face (901, 0), a public face (901, 1), a restricted
-- cell and a restricted impact face, written by the agent of 91479
SELECT is(pg_temp.as_role('tdm_a', $$
  INSERT INTO tdm.buildings (id, geom, height, territory_code, visibility)
    VALUES (901, ST_Force3D(ST_Multi(ST_MakeEnvelope(843000, 6519000, 843010, 6519010, 2154)), 170), 9, '91479', 'public');
  INSERT INTO tdm.solar_roofs (building_id, face, geom, potential_class, territory_code, visibility)
    VALUES (901, 0, ST_Force3D(ST_MakeEnvelope(843000, 6519000, 843005, 6519010, 2154), 179), 'B', '91479', 'restricted'),
           (901, 1, ST_Force3D(ST_MakeEnvelope(843005, 6519000, 843010, 6519010, 2154), 179), 'C', '91479', 'public');
  INSERT INTO tdm.solar_roof_cells (building_id, face, geom, area_m2, usable_area_m2, annual_kwh_m2, pv_plane_kwh_m2, sunny, territory_code, visibility)
    VALUES (901, 0, ST_Force3D(ST_MakeEnvelope(843000, 6519000, 843001, 6519001, 2154), 179), 1, 1, 1100, 1300, true, '91479', 'restricted');
  INSERT INTO tdm.solar_impact_roofs (building_id, face, is_project, geom, potential_class_after, territory_code, visibility)
    VALUES (901, 0, false, ST_Multi(ST_MakeEnvelope(843000, 6519000, 843005, 6519010, 2154)), 'B', '91479', 'restricted');
  SELECT 'written'$$, true), 'written', '91479 writes its building, two faces, a cell and an impact face');
SELECT is(pg_temp.as_role('tdm_a', 'SELECT count(*)::text FROM tdm.solar_roofs WHERE building_id = 901'), '2',
  'before the move, the agent of 91479 reads both faces');
SELECT is(pg_temp.as_role('tdm_b', 'SELECT count(*)::text FROM tdm.solar_roofs WHERE building_id = 901'), '1',
  'before the move, the agent of 69381 reads the public face only');

-- the agent of one territory cannot move the building to the other (the write policy)
SELECT is(pg_temp.as_role('tdm_a', $$UPDATE tdm.buildings SET territory_code = '69381' WHERE id = 901 RETURNING 'moved'$$),
  '42501', 'the agent of 91479 alone cannot move its building to 69381');

-- the agent of both territories moves it: every derived row follows, in the same statement
SELECT is(pg_temp.as_role('tdm_m', $$UPDATE tdm.buildings SET territory_code = '69381' WHERE id = 901 RETURNING 'moved'$$, true),
  'moved', 'the agent of both territories moves building 901 from 91479 to 69381');
SELECT is((SELECT string_agg(face || ':' || territory_code || ':' || visibility, ',' ORDER BY face) FROM tdm.solar_roofs WHERE building_id = 901),
  '0:69381:restricted,1:69381:public', 'its faces are of 69381, their visibility kept');
SELECT is((SELECT string_agg(DISTINCT territory_code, ',') FROM tdm.solar_roof_cells WHERE building_id = 901), '69381',
  'its cell is of 69381');
SELECT is((SELECT string_agg(DISTINCT territory_code, ',') FROM tdm.solar_impact_roofs WHERE building_id = 901), '69381',
  'its impact face is of 69381');
SELECT is(pg_temp.as_role('tdm_a', 'SELECT count(*)::text FROM tdm.solar_roofs WHERE building_id = 901'), '1',
  'the agent of 91479 no longer reads the restricted face (the public one only)');
SELECT is(pg_temp.as_role('tdm_a', 'SELECT count(*)::text FROM tdm.solar_roof_cells WHERE building_id = 901'), '0',
  '... nor the restricted cell');
SELECT is(pg_temp.as_role('tdm_b', 'SELECT count(*)::text FROM tdm.solar_roofs WHERE building_id = 901 AND visibility = ''restricted'''), '1',
  'the agent of 69381 reads the restricted face');
SELECT is(pg_temp.as_role('tdm_b', $$UPDATE tdm.solar_roofs SET potential_class = 'A' WHERE building_id = 901 AND face = 0 RETURNING potential_class$$),
  'A', '... and writes it');
SELECT is(pg_temp.as_role('tdm_r', 'SELECT string_agg(face::text, '','') FROM tdm.solar_roofs WHERE building_id = 901'), '1',
  'a reader reads the public face only, as before');

-- a planned building moved takes its own roofs (solar_impact_roofs, is_project) the same way
SELECT is(pg_temp.as_role('tdm_a', $$WITH p AS (
    INSERT INTO tdm.planned_building (name, geom, territory_code, visibility)
      VALUES ('tdm project', ST_SetSRID(ST_MakeEnvelope(844000, 6519000, 844010, 6519010), 2154), '91479', 'restricted') RETURNING id)
  INSERT INTO tdm.solar_impact_roofs (building_id, face, is_project, geom, potential_class_after, territory_code, visibility)
    SELECT id, 0, true, ST_Multi(ST_MakeEnvelope(844000, 6519000, 844010, 6519010, 2154)), 'A', '91479', 'restricted' FROM p
  RETURNING 'written'$$, true), 'written', '91479 writes a restricted project and its own roof');
SELECT is(pg_temp.as_role('tdm_m', $$UPDATE tdm.planned_building SET territory_code = '69381' WHERE name = 'tdm project';
  SELECT string_agg(territory_code, ',') FROM tdm.solar_impact_roofs WHERE is_project$$),
  '69381', 'the agent of both territories moves the project to 69381: its own roof follows');

-- fail closed: a row of the former territory the mover reads but may not update (here a
-- restrictive policy the test adds, standing for any refusal) fails the whole move
CREATE POLICY tdm_no_update ON tdm.solar_roof_cells AS RESTRICTIVE FOR UPDATE USING (current_user <> 'tdm_m');
SELECT is(pg_temp.as_role('tdm_m', $$UPDATE tdm.buildings SET territory_code = '91479' WHERE id = 901;
  SELECT 'moved'$$),
  '42501', 'a derived row the mover cannot update fails the move (42501): nothing is moved');

SELECT * FROM finish();
ROLLBACK;
