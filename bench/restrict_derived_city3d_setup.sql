-- The hub of docs/performance-city-model.md, "Rows made from a 3D object or a planned building
-- made restricted" (2026-12-07, h3): n (default 1,000; -v n=10000) synthetic 3D buildings
-- (city_object 'Building'), each with one part ('BuildingPart', parent_id) and 6 surfaces
-- an object (12 a building: 2 n objects, 12 n surfaces), and n planned buildings with 2
-- roofs each in solar_impact_roofs (is_project), all public; then, in a transaction rolled back,
--   UPDATE c3.city_object SET visibility = 'restricted' WHERE type = 'Building';
--   UPDATE c3.planned_building SET visibility = 'restricted';
-- createdb c3 && psql -X -d c3 -v n=10000 -f THIS
\set ON_ERROR_STOP 1
\if :{?n}
\else
\set n 1000
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS smartregion CASCADE;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('c3', 2154) \gset
-- n buildings of 10 m x 10 m on a 100-wide grid (20 m pitch), Lyon, and their parts
INSERT INTO c3.city_object (id, type, lod, footprint, source, visibility)
SELECT 'b' || i, 'Building', '2', ST_Multi(ST_MakeEnvelope(840000 + (i % 100) * 20, 6520000 + (i / 100) * 20,
                                                           840010 + (i % 100) * 20, 6520010 + (i / 100) * 20, 2154)), 'synthetic', 'public'
  FROM generate_series(0, :n - 1) i;
INSERT INTO c3.city_object (id, type, parent_id, lod, source, visibility)
SELECT 'b' || i || '_p', 'BuildingPart', 'b' || i, '2', 'synthetic', 'public'
  FROM generate_series(0, :n - 1) i;
-- 6 surfaces an object (the part's: its building's footprint, as the building's)
INSERT INTO c3.city_surface (object_id, semantic_type, lod, geom, visibility)
SELECT o.id, (ARRAY['RoofSurface', 'WallSurface', 'GroundSurface'])[1 + k % 3], '2',
       ST_Force3DZ(ST_GeometryN(b.footprint, 1), 170 + k), 'public'
  FROM c3.city_object o JOIN c3.city_object b ON b.id = coalesce(o.parent_id, o.id), generate_series(0, 5) k;
-- n planned buildings (footprints), 2 roofs each in the impact table
INSERT INTO c3.planned_building (name, geom, height, visibility)
SELECT 'projet ' || i, ST_MakeEnvelope(860000 + (i % 100) * 20, 6520000 + (i / 100) * 20,
                                       860010 + (i % 100) * 20, 6520010 + (i / 100) * 20, 2154), 12, 'public'
  FROM generate_series(0, :n - 1) i;
INSERT INTO c3.solar_impact_roofs (building_id, face, is_project, geom, visibility)
SELECT p.id, f, true, p.geom, 'public' FROM c3.planned_building p, generate_series(1, 2) f;
ANALYZE c3.city_object; ANALYZE c3.city_surface; ANALYZE c3.planned_building; ANALYZE c3.solar_impact_roofs;
SELECT (SELECT count(*) FROM c3.city_object) AS objects, (SELECT count(*) FROM c3.city_surface) AS surfaces,
       (SELECT count(*) FROM c3.planned_building) AS planned, (SELECT count(*) FROM c3.solar_impact_roofs) AS impact;
