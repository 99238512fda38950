-- The hub of docs/performance-city-model.md, "Rows made from a building made restricted" (2026-12-07):
-- 10,000 synthetic buildings, 20,000 faces, 200,000 cells, 2,000 impact faces, all public; then
-- BEGIN; \timing on; UPDATE hub.buildings SET visibility = 'restricted'; ROLLBACK;  (createdb city && psql -X -d city -f THIS)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT smartregion.create_hub('hub', 2154);
-- 10,000 synthetic buildings of 10 m x 10 m on a 100 x 100 grid (20 m pitch), Lyon
INSERT INTO hub.buildings (id, geom, height, ground_z, roof_z_max, source)
SELECT i, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(840000 + (i % 100) * 20, 6520000 + (i / 100) * 20,
                                               840010 + (i % 100) * 20, 6520010 + (i / 100) * 20, 2154), 170)),
       10, 170, 180, 'synthetic'
  FROM generate_series(0, 9999) i;
-- 2 faces a building, 10 cells a face
INSERT INTO hub.solar_roofs (building_id, face, geom, tilt, azimuth, area_m2)
SELECT b.id, f, ST_Force3DZ(ST_GeometryN(ST_Force2D(b.geom), 1), 180), 30, 180, 50
  FROM hub.buildings b, generate_series(1, 2) f;
INSERT INTO hub.solar_roof_cells (building_id, face, geom, area_m2)
SELECT r.building_id, r.face, ST_Force3DZ(ST_MakeEnvelope(ST_XMin(r.geom) + c, ST_YMin(r.geom), ST_XMin(r.geom) + c + 1, ST_YMin(r.geom) + 1, 2154), 180), 1
  FROM hub.solar_roofs r, generate_series(0, 9) c;
INSERT INTO hub.solar_impact_roofs (building_id, face, is_project, geom)
SELECT r.building_id, r.face, false, r.geom FROM hub.solar_roofs r WHERE r.building_id % 10 = 0;
ANALYZE hub.buildings; ANALYZE hub.solar_roofs; ANALYZE hub.solar_roof_cells; ANALYZE hub.solar_impact_roofs;
SELECT (SELECT count(*) FROM hub.buildings) b, (SELECT count(*) FROM hub.solar_roofs) r,
       (SELECT count(*) FROM hub.solar_roof_cells) c, (SELECT count(*) FROM hub.solar_impact_roofs) i,
       (SELECT count(*) FROM hub.solar_roofs WHERE visibility = 'public') rpub;
-- for docs/performance-zones.md (the trigger sr_zae_zone_history_restrict): 1,000 public zones
-- (80 m squares), each redrawn once (1,000 public contours); then, in a transaction rolled back,
-- INSERT 10,000 zones restricted (zone_id 100001-110000) or
-- UPDATE hub.zae_zones SET visibility = 'restricted' WHERE zone_id <= 1000
INSERT INTO hub.zae_zones (zone_id, site_nom, geom, visibility)
SELECT i, 'z' || i, ST_Multi(ST_MakeEnvelope(850000 + (i % 40) * 100, 6530000 + (i / 40) * 100, 850080 + (i % 40) * 100, 6530080 + (i / 40) * 100, 2154)), 'public'
  FROM generate_series(1, 1000) i;
UPDATE hub.zae_zones SET geom = ST_Multi(ST_Buffer(ST_GeometryN(geom, 1), -5, 'join=mitre'));
ANALYZE hub.zae_zones; ANALYZE hub.zae_zone_history;
