-- What clients read (issue 19): the hub's SRID, typed geometry columns, and the solar roofs
-- layer filled by refresh_solar_roofs.  Expected values: the SRIDs asked for, the file's
-- annual GHI for unshaded flat roofs (1,320.954 kWh/m2, sql/cadastre.sql), squares placed by
-- hand and transformed back with PostGIS.
SET client_min_messages = warning;
SET extra_float_digits = 0;
\set SHOW_CONTEXT never
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
-- what a run stopped half-way left in the cluster (roles outlive the database), and the
-- group roles, made once by the DBA before any hub is secured: alone in a fresh cluster the
-- hubs below, secured before grant_roles made them, were 5 objects out of date
DROP ROLE IF EXISTS sr_srid_reader;
SELECT count(*) >= 0 AS groups FROM smartregion.create_roles();

-- a new hub: Lambert-93, every geometry column typed (the WGS84 points stay 4326)
SELECT count(*) > 0 AS created FROM smartregion.create_hub('srid_hub');
SELECT smartregion.hub_srid('srid_hub') AS hub_srid, smartregion.hub_srid('no_such_schema') AS no_hub;
-- (the city model's projects, planned_building and their roofs in solar_impact_roofs, are
-- footprints in 2D or LoD2 surfaces in 3D: their SRID is fixed, their type free; the view
-- solar_roofs_planned, a map of the cadastre as it will be, gives them and the faces as 2D
-- multipolygons in the hub's SRID)
SELECT f_table_name || '.' || f_geometry_column AS untyped_geometry_column, type, srid FROM geometry_columns
 WHERE f_table_schema = 'srid_hub' AND (srid = 0 OR type = 'GEOMETRY') ORDER BY 1;
SELECT f_table_name, f_geometry_column, type, coord_dimension, srid FROM geometry_columns
 WHERE f_table_schema = 'srid_hub' AND f_table_name IN ('buildings', 'solar_roofs', 'zae_zones', 'zae_establishments', 'premises',
                                                        'solar_roofs_planned')
 ORDER BY 1;
-- idempotent without an SRID or with its own; another SRID is refused
SELECT count(*) > 0 AS again FROM smartregion.create_hub('srid_hub');
SELECT count(*) > 0 AS again_2154 FROM smartregion.create_hub('srid_hub', 2154);
SELECT * FROM smartregion.create_hub('srid_hub', 3946);
-- a hub in CC46 (EPSG:3946)
SELECT count(*) > 0 AS created FROM smartregion.create_hub('srid_lyon', 3946);
SELECT smartregion.hub_srid('srid_lyon') AS hub_srid,
       (SELECT srid FROM geometry_columns WHERE f_table_schema = 'srid_lyon' AND f_table_name = 'buildings') AS buildings,
       (SELECT srid FROM geometry_columns WHERE f_table_schema = 'srid_lyon' AND f_table_name = 'premises') AS premises;
-- SRIDs a hub cannot have
SELECT * FROM smartregion.create_hub('srid_bad', 0);
SELECT * FROM smartregion.create_hub('srid_bad', 4326);
SELECT * FROM smartregion.create_hub('srid_bad', 2249);   -- Massachusetts, US survey feet
SELECT * FROM smartregion.create_hub('srid_bad', 99999);
SELECT to_regnamespace('srid_bad') IS NULL AS nothing_created;
-- a typed column refuses another SRID and another type
INSERT INTO srid_hub.buildings (id, geom, height)
VALUES (1, 'SRID=3946;MULTIPOLYGON Z (((0 0 10, 10 0 10, 10 10 10, 0 0 10)))', 10);
INSERT INTO srid_hub.buildings (id, geom, height)
VALUES (1, 'SRID=2154;MULTIPOLYGON (((0 0, 10 0, 10 10, 0 0)))', 10);
-- a hub altered by hand into two SRIDs
ALTER TABLE srid_lyon.zae_zones ALTER COLUMN geom TYPE geometry(MultiPolygon, 2154) USING ST_Transform(geom, 2154);
SELECT smartregion.hub_srid('srid_lyon');

-- refresh_solar_roofs: three 20 m squares 1 km apart in Lyon (given in CC46, the hub in
-- Lambert-93), 10 m flat roofs with no neighbour within the 300 m radius
CREATE TEMP TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
CREATE TEMP TABLE b3946 (id bigint, geom geometry, height float8, target boolean);
INSERT INTO b3946
SELECT i, ST_Force3DZ(ST_MakeEnvelope(1842000 + 1000 * i, 5175000, 1842020 + 1000 * i, 5175020, 3946), 10), 10, true
  FROM generate_series(1, 3) i;
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', 'srid_hub');
SELECT building_id, face, ST_SRID(geom) AS srid, GeometryType(geom) AS type, ST_NDims(geom) AS dims,
       round(annual_kwh_m2::numeric, 3) AS kwh_m2, round(shading_loss_pct::numeric, 3) AS loss,
       -- the face's centre, back in CC46, is the square's centre (1 mm)
       ST_DWithin(ST_Transform(ST_Centroid(ST_Force2D(geom)), 3946),
                  ST_SetSRID(ST_MakePoint(1842010 + 1000 * building_id, 5175010), 3946), 0.001)
         AS same_place
  FROM srid_hub.solar_roofs ORDER BY building_id;
CREATE TEMP TABLE keys AS SELECT building_id, roof_id FROM srid_hub.solar_roofs;
-- again: every face updated in place, its roof_id kept
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', 'srid_hub');
SELECT bool_and(k.roof_id = r.roof_id) AS same_keys, count(*) AS faces
  FROM keys k JOIN srid_hub.solar_roofs r USING (building_id);
-- over the roofs' area: the area columns stored; an open 20 m square at 1 m is 400 samples
-- (by hand), every one of them the same (p10 = p90) and all of it worth equipping (sunny =
-- usable); the values are solar_cadastre's
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946',
                                              '{"sampling": "area"}', 'srid_hub');
SELECT r.building_id, r.samples, r.p10_kwh_m2 = r.p90_kwh_m2 AS uniform,
       abs(r.sunny_area_m2 - r.usable_area_m2) < 1e-9 AS all_sunny,
       r.annual_kwh_m2 = c.annual_kwh_m2 AND r.sunny_area_m2 = c.sunny_area_m2
         AND r.p50_kwh_m2 = c.p50_kwh_m2 AS as_computed
  FROM srid_hub.solar_roofs r
  JOIN smartregion.solar_cadastre('SELECT id, geom, height FROM b3946', (SELECT s FROM sky), '{"sampling": "area"}') c
    USING (building_id, face)
 ORDER BY 1;
-- the roofs' cells (refresh_solar_roof_cells): an open 20 m square at 1 m is 400 cells of
-- 1 m2 (by hand), each at the unshaded flat roof's 1,320.954 kWh/m2 (the file's annual GHI)
-- and sunny; their squares, back in CC46, tile the building's square (their box is the
-- square, 1 mm)
SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946',
                                                   '{}', 'srid_hub');
SELECT building_id, count(*) AS cells, round(sum(area_m2)::numeric, 6) AS area_m2,
       bool_and(round(annual_kwh_m2::numeric, 3) = 1320.954 AND sunny) AS open_and_sunny,
       min(ST_SRID(geom)) AS srid, min(GeometryType(geom)) AS type,
       ST_XMin(ST_Extent(ST_Transform(geom, 3946))) - (1842000 + 1000 * building_id) BETWEEN -0.001 AND 0.001
         AND ST_XMax(ST_Extent(ST_Transform(geom, 3946))) - (1842020 + 1000 * building_id) BETWEEN -0.001 AND 0.001
         AND ST_YMin(ST_Extent(ST_Transform(geom, 3946))) - 5175000 BETWEEN -0.001 AND 0.001
         AND ST_YMax(ST_Extent(ST_Transform(geom, 3946))) - 5175020 BETWEEN -0.001 AND 0.001 AS on_the_square
  FROM srid_hub.solar_roof_cells GROUP BY building_id ORDER BY 1;
-- again: every target building's cells replaced (none added twice); with building 1 only
-- shading (target false), its cells stay as they are
SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946',
                                                   '{}', 'srid_hub');
-- one refresh of a hub's cells at a time: the table stays locked in SHARE ROW EXCLUSIVE mode
-- (self-conflicting; readers pass) until the transaction ends (without it, two concurrent
-- refreshes of a building both insert their cells: 800 instead of 400, tried by hand)
BEGIN;
SELECT inserted FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946 WHERE id = 1',
                                                          '{}', 'srid_hub');
SELECT mode FROM pg_locks
 WHERE relation = 'srid_hub.solar_roof_cells'::regclass AND pid = pg_backend_pid() AND granted ORDER BY mode;
COMMIT;
CREATE TEMP TABLE cell_keys AS SELECT min(cell_id) AS first_cell FROM srid_hub.solar_roof_cells WHERE building_id = 1;
SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky),
  'SELECT id, geom, height, id <> 1 AS target FROM b3946', '{}', 'srid_hub');
SELECT building_id, count(*) AS cells,
       min(cell_id) = (SELECT first_cell FROM cell_keys) AS kept
  FROM srid_hub.solar_roof_cells GROUP BY building_id ORDER BY 1;
-- the same cells as solar_cadastre_cells (in the hub's SRID), and the faces' area means of
-- solar_roofs (sampling area) are their cells' area-weighted means.  Building 1's cells come
-- from the refresh of it alone: the call's frame of true north (turned by CC46's convergence
-- about the centre of its box, docs/cadastre.md) is not this call's, so they agree to
-- rounding (1e-9), not to the last bit
SELECT count(*) AS same_cells
  FROM srid_hub.solar_roof_cells h
  JOIN smartregion.solar_cadastre_cells('SELECT id, geom, height FROM b3946', (SELECT s FROM sky)) c
    ON c.building_id = h.building_id AND c.face = h.face
   AND ST_AsText(ST_SnapToGrid(ST_Centroid(ST_Transform(c.geom, 2154)), 0.001)) = ST_AsText(ST_SnapToGrid(ST_Centroid(h.geom), 0.001))
 WHERE ST_HausdorffDistance(ST_Transform(c.geom, 2154), h.geom) < 1e-6 AND abs(c.annual_kwh_m2 / h.annual_kwh_m2 - 1) < 1e-9
   AND abs(c.pv_plane_kwh_m2 / h.pv_plane_kwh_m2 - 1) < 1e-9 AND c.sunny = h.sunny AND abs(c.area_m2 - h.area_m2) < 1e-9;
SELECT r.building_id, abs(r.annual_kwh_m2 - sum(c.area_m2 * c.annual_kwh_m2) / sum(c.area_m2)) < 1e-6 AS cells_mean
  FROM srid_hub.solar_roofs r JOIN srid_hub.solar_roof_cells c USING (building_id, face)
 GROUP BY r.building_id, r.annual_kwh_m2 ORDER BY 1;
-- their tiles (solar_cells_tile, layer cells): the z18 tile over square 1's centre has its
-- cells, the tile of the Pacific none
SELECT length(smartregion.solar_cells_tile(18, floor((ST_X(p) + 20037508.342789244) / (40075016.68557849 / 262144))::int,
                                               floor((20037508.342789244 - ST_Y(p)) / (40075016.68557849 / 262144))::int,
                                           'srid_hub.solar_roof_cells')) > 1000 AS square_1_tile,
       -- the z15 tile holding that z18 tile: a cells layer is empty below zoom 16
       length(smartregion.solar_cells_tile(15, floor((ST_X(p) + 20037508.342789244) / (40075016.68557849 / 32768))::int,
                                               floor((20037508.342789244 - ST_Y(p)) / (40075016.68557849 / 32768))::int,
                                           'srid_hub.solar_roof_cells')) AS square_1_z15,
       length(smartregion.solar_cells_tile(15, 0, 0, 'srid_hub.solar_roof_cells')) AS pacific
  FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(1843010, 5175010), 3946), 3857) AS p) s;
-- a 2D footprint: its cells lie in its flat roof at ground_z (0) + height (10 m, by hand),
-- unlike solar_roofs' faces, which are the footprint itself; no hub, no table
SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, ST_Force2D(geom) AS geom, height FROM b3946',
                                                   '{}', 'srid_hub');
SELECT min(ST_ZMin(geom)) AS zmin, max(ST_ZMax(geom)) AS zmax FROM srid_hub.solar_roof_cells;
-- a buildings_sql that answers differently each time (here through a sequence: building 2 is
-- a target when the cells are computed, 1 and 3 when the targets are read again) still
-- replaces each building's cells, none twice (was 800 cells for building 2)
CREATE TEMP SEQUENCE flip;
SELECT inserted FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky),
  'SELECT id, geom, height, nextval(''flip'') % 2 = 0 AS target FROM b3946 ORDER BY id', '{}', 'srid_hub');
SELECT building_id, count(*) AS cells FROM srid_hub.solar_roof_cells GROUP BY 1 ORDER BY 1;
-- buildings without an SRID (0: local metres to the cadastre) have no place in the hub's
-- SRID: 22023 before anything is written (was PostGIS's internal error after the work),
-- and a table of such cells has no tile
SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, ST_SetSRID(geom, 0) AS geom, height FROM b3946',
                                                   '{}', 'srid_hub');
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, ST_SetSRID(geom, 0) AS geom, height FROM b3946',
                                              '{}', 'srid_hub');
CREATE TEMP TABLE cells_no_srid AS
SELECT * FROM smartregion.solar_cadastre_cells('SELECT id, ST_SetSRID(geom, 0) AS geom, height FROM b3946 WHERE id = 1', (SELECT s FROM sky));
\set VERBOSITY terse
SELECT smartregion.solar_cells_tile(0, 0, 0, 'cells_no_srid');
\set VERBOSITY default
SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', 'no_such_schema');
-- a hub made before the area columns: refused with a hint; create_hub again adds them
ALTER TABLE srid_hub.solar_roofs DROP COLUMN sunny_area_m2;
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', 'srid_hub');
SELECT count(*) FROM smartregion.create_hub('srid_hub') WHERE table_name = 'solar_roofs';
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', 'srid_hub');
-- at one point again: no area columns, one sample (the viewpoint)
SELECT count(*) FILTER (WHERE sunny_area_m2 IS NULL AND p50_kwh_m2 IS NULL AND samples = 1) AS point_rows
  FROM srid_hub.solar_roofs;
-- a 2D footprint has no roof height to store
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, ST_Force2D(geom) AS geom, height FROM b3946',
                                              '{}', 'srid_hub');
-- building 2 loses its geometry (empty: skipped, no face, so its row goes), building 3 is
-- not asked for (its row stays), building 1 only shades (target false: its row stays)
UPDATE b3946 SET geom = 'SRID=3946;POLYGON Z EMPTY' WHERE id = 2;
UPDATE b3946 SET target = false WHERE id = 1;
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky),
  'SELECT id, geom, height, target FROM b3946 WHERE id <= 2', '{}', 'srid_hub');
SELECT building_id, roof_id = (SELECT k.roof_id FROM keys k WHERE k.building_id = r.building_id) AS same_key
  FROM srid_hub.solar_roofs r ORDER BY building_id;
-- by default, the hub's own buildings
INSERT INTO srid_hub.buildings (id, geom, height)
SELECT 10 + id, ST_Multi(ST_Transform(ST_Force3DZ(ST_MakeEnvelope(1842000 + 1000 * id, 5175000, 1842020 + 1000 * id, 5175020, 3946), 10), 2154)), 10
  FROM b3946;
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), target_schema => 'srid_hub');
SELECT count(*) FILTER (WHERE building_id > 10) AS from_hub_buildings,
       bool_and(round(annual_kwh_m2::numeric, 3) = 1320.954) FILTER (WHERE building_id > 10) AS unshaded
  FROM srid_hub.solar_roofs;
-- no hub
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', 'no_such_schema');
-- a NULL hub: the parameter named (22004), not format()'s message
SELECT * FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', NULL);
SELECT * FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946', '{}', NULL);

-- a reader of the platform sees in geometry_columns the hub tables it reads whole (no personal
-- column), with their type and SRID; a table with personal columns it reads column by column
-- only, and PostgreSQL does not list it there (its pseudonymised view is for that)
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('srid_hub');
CREATE ROLE sr_srid_reader IN ROLE smartregion_reader;
SET ROLE sr_srid_reader;
SELECT f_table_name, type, srid FROM geometry_columns
 WHERE f_table_schema = 'srid_hub' AND f_table_name IN ('buildings', 'solar_roofs', 'zae_zones', 'premises')
 ORDER BY 1;
RESET ROLE;
DROP ROLE sr_srid_reader;

-- a hub table registered by a plugin types its geometry with the hub's SRID (%2$s)
SELECT smartregion.register_hub_table('sites', 'test',
  'CREATE TABLE IF NOT EXISTS %1$I.sites (id bigint PRIMARY KEY, geom public.geometry(MultiPolygon, %2$s))', 999);
SELECT count(*) > 0 AS created FROM smartregion.create_hub('srid_lyon2', 3946);
SELECT type, srid FROM geometry_columns WHERE f_table_schema = 'srid_lyon2' AND f_table_name = 'sites';
DELETE FROM smartregion.hub_table WHERE table_name = 'sites';

-- the refreshes transform into the hub's SRID only the rows in another one: the calls of
-- ST_Transform in the transaction (track_functions = all counts PostGIS's C functions; the
-- cells' tile-key trigger calls it from C, uncounted).  Buildings 1 and 3 in CC46 (their
-- squares, b3946), 400 cells each (20 m x 20 m at 1 m, by hand), 1 flat face each: into the
-- CC46 hub srid_lyon2, no call (until 2026-12-07 one a row, 800 and 2, which updated every
-- row to the geometry it had); into the Lambert-93 hub srid_hub, one a row, 800 and 2
BEGIN;
SET LOCAL track_functions = 'all';
SELECT coalesce(sum(calls), 0) AS t0 FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform' \gset
SELECT inserted FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946 WHERE id IN (1, 3)',
                                                          '{}', 'srid_lyon2');
SELECT coalesce(sum(calls), 0) - :t0 AS cells_same_srid_transforms FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform';
SELECT coalesce(sum(calls), 0) AS t0 FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform' \gset
SELECT inserted FROM smartregion.refresh_solar_roof_cells((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946 WHERE id IN (1, 3)',
                                                          '{}', 'srid_hub');
SELECT coalesce(sum(calls), 0) - :t0 AS cells_other_srid_transforms FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform';
SELECT coalesce(sum(calls), 0) AS t0 FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform' \gset
SELECT inserted, updated FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946 WHERE id IN (1, 3)',
                                                              '{}', 'srid_lyon2');
SELECT coalesce(sum(calls), 0) - :t0 AS roofs_same_srid_transforms FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform';
SELECT coalesce(sum(calls), 0) AS t0 FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform' \gset
SELECT inserted, updated FROM smartregion.refresh_solar_roofs((SELECT s FROM sky), 'SELECT id, geom, height FROM b3946 WHERE id IN (1, 3)',
                                                              '{}', 'srid_hub');
SELECT coalesce(sum(calls), 0) - :t0 AS roofs_other_srid_transforms FROM pg_stat_xact_user_functions WHERE funcname = 'st_transform';
-- the cells of the two hubs are the same 800 cells, each in its hub's SRID: the same centre
-- in Lambert-93 (1 mm), area and irradiation, and a tile key
SELECT count(*) AS same_cells
  FROM (SELECT building_id, face, area_m2, annual_kwh_m2, tile_key, ST_SRID(geom) AS srid,
               ST_AsText(ST_SnapToGrid(ST_Centroid(ST_Transform(geom, 2154)), 0.001)) AS centre
          FROM srid_lyon2.solar_roof_cells) l
  JOIN (SELECT building_id, face, area_m2, annual_kwh_m2,
               ST_AsText(ST_SnapToGrid(ST_Centroid(geom), 0.001)) AS centre
          FROM srid_hub.solar_roof_cells) h USING (building_id, face, centre)
 WHERE l.srid = 3946 AND l.area_m2 = h.area_m2 AND l.annual_kwh_m2 = h.annual_kwh_m2 AND l.tile_key IS NOT NULL;
ROLLBACK;
DROP SCHEMA srid_hub, srid_lyon, srid_lyon2 CASCADE;
