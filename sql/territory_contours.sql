-- load_territory_contours: contours from a GeoJSON FeatureCollection, the
-- contours of communes merged since the file's year going to the commune they
-- joined. Hand-worked scene (unit squares in degrees, so areas are exact):
--   99001 current, contour [0,1]x[0,1]                        -> area 1
--   99002 current, contour [1,2]x[0,1]; 99003 delegated commune of 99002,
--   [2,3]x[0,1]; 99004 associated commune of 99002, [1,2]x[1,2] -> area 3, one polygon
--   99005 municipal arrondissement of 99001, [0,1]x[1,2]        -> 99001 area 2
--   99006 no territory, a feature without code                  -> unmatched
--   99007 current, absent from the file                          -> untouched
--   99009 absorbed outright by 99007 (only in its anciensCodes)   -> a part of 99007, no name
--   99010 in the anciensCodes of 99001 and 99007 (a split)        -> neither's
SET client_min_messages = warning;
BEGIN;
SELECT territory_type, territories FROM smartregion.load_territories(
  '[{"code":"99001","nom":"Un","departement":"99","region":"99","type":"commune-actuelle","population":10,"anciensCodes":["99010"]},
    {"code":"99002","nom":"Deux","departement":"99","region":"99","type":"commune-actuelle","population":20},
    {"code":"99007","nom":"Sept","departement":"99","region":"99","type":"commune-actuelle","population":70,
     "anciensCodes":["99009","99010","99003","x"]},
    {"code":"99003","nom":"Trois","type":"commune-deleguee","chefLieu":"99002"},
    {"code":"99004","nom":"Quatre","type":"commune-associee","chefLieu":"99002"},
    {"code":"99005","nom":"Un 1er","type":"arrondissement-municipal","commune":"99001"},
    {"code":"99008","nom":"Huit","type":"commune-deleguee","chefLieu":"99999"}]',
  NULL, '[{"code":"99","nom":"Test","region":"99"}]', '[{"code":"99","nom":"Test"}]')
 WHERE territory_type <> 'epci';
UPDATE smartregion.territory SET geom = ST_Multi(ST_MakeEnvelope(5, 5, 6, 6, 4326)) WHERE code = '99007';
\set sq '{"type":"Polygon","coordinates":[[[%s,%s],[%s,%s],[%s,%s],[%s,%s],[%s,%s]]]}'
CREATE TEMP TABLE fc AS
SELECT jsonb_build_object('type', 'FeatureCollection', 'features', jsonb_agg(f ORDER BY n)) AS doc
  FROM (VALUES
    (1, '99001', 0, 0), (2, '99002', 1, 0), (3, '99003', 2, 0), (4, '99004', 1, 1),
    (5, '99005', 0, 1), (6, '99006', 9, 9), (7, NULL, 8, 8)) v(n, code, x, y),
       LATERAL (SELECT jsonb_build_object('type', 'Feature',
                  'properties', CASE WHEN code IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('code', code) END,
                  'geometry', format(:'sq', x, y, x + 1, y, x + 1, y + 1, x, y + 1, x, y)::jsonb) AS f) l;
-- load_territories kept the parts of the communes it loaded (not 99008: its
-- commune 99999 is not among them), and the former communes only their current
-- commune's anciensCodes name: 99009 (99003 stays 99002's commune déléguée, 99010,
-- which two communes list, is neither's, "x" is no code)
SELECT * FROM smartregion.commune_part WHERE code LIKE '990%' ORDER BY code;
-- the commune of today of every code: 99001, 99002, 99007 themselves; 99003 and
-- 99004 -> 99002; 99005 -> 99001; 99009 -> 99007 (not 99008, not 99006, not 99010)
SELECT code, commune_code FROM smartregion.commune_today WHERE code LIKE '990%' ORDER BY code;
-- 7 features; 2 territories; 3 merged (99003, 99004 into 99002, 99005 into 99001);
-- unmatched 99006 and the feature without code
SELECT * FROM smartregion.load_territory_contours((SELECT doc FROM fc), 'commune');
SELECT code, ST_Area(geom) AS area, ST_NumGeometries(geom) AS parts, ST_SRID(geom) AS srid,
       GeometryType(geom) AS kind
  FROM smartregion.territory WHERE code LIKE '990%' AND type = 'commune' ORDER BY code;
-- without the parts, the former communes match nothing, and each current commune
-- gets its own contour only
DELETE FROM smartregion.commune_part WHERE code LIKE '990%';
SELECT * FROM smartregion.load_territory_contours((SELECT doc FROM fc), 'commune');
SELECT code, ST_Area(geom) AS area FROM smartregion.territory WHERE code IN ('99001', '99002') AND type = 'commune' ORDER BY code;
-- a contour given twice, and a self-intersecting ring (a bow tie: two triangles of area 1/4 each)
SELECT * FROM smartregion.load_territory_contours(
  '{"type":"FeatureCollection","features":[
    {"type":"Feature","properties":{"code":"99001"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},
    {"type":"Feature","properties":{"code":"99001"},"geometry":{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,1],[0,0]]]]}},
    {"type":"Feature","properties":{"code":"99002"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}', 'commune');
SELECT code, ST_Area(geom) AS area, ST_IsValid(geom) AS valid FROM smartregion.territory
 WHERE code IN ('99001', '99002') AND type = 'commune' ORDER BY code;
-- a contour in Lambert-93 (its GeoJSON names the CRS) is transformed to WGS84:
-- the projection's origin (700000, 6600000) is 3°E, 46.5°N
SELECT * FROM smartregion.load_territory_contours(
  '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"99"},
    "geometry":{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:2154"}},
                "coordinates":[[[699000,6599000],[701000,6599000],[701000,6601000],[699000,6601000],[699000,6599000]]]}}]}',
  'departement');
SELECT round(ST_X(ST_Centroid(geom))::numeric, 4) AS lon, round(ST_Y(ST_Centroid(geom))::numeric, 4) AS lat, ST_SRID(geom)
  FROM smartregion.territory WHERE type = 'departement' AND code = '99';
-- features that are not polygons, among the territories' (the scene's codes)
\set VERBOSITY default
SAVEPOINT s;
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99001"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}},
  {"type":"Feature","properties":{"code":"99002"},"geometry":{"type":"Point","coordinates":[0,0]}}]}', 'commune');
ROLLBACK TO SAVEPOINT s;
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99002"},"geometry":null}]}', 'commune');
ROLLBACK TO SAVEPOINT s;
-- not GeoJSON; a CRS spatial_ref_sys lacks; empty, or empty once made valid (a
-- ring of zero area): each would have failed deep in PostGIS or wiped the contour
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99002"},"geometry":{"type":"Polygon","coordinates":"garbage"}}]}', 'commune');
ROLLBACK TO SAVEPOINT s;
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99002"},"geometry":{"type":"Polygon","crs":{"type":"name","properties":{"name":"EPSG:999999"}},
   "coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}', 'commune');
ROLLBACK TO SAVEPOINT s;
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99002"},"geometry":{"type":"Polygon","coordinates":[]}}]}', 'commune');
ROLLBACK TO SAVEPOINT s;
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99002"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0],[0,0]]]}}]}', 'commune');
ROLLBACK TO SAVEPOINT s;
-- a ring left open is closed (made valid): the triangle's area is 1/2
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99002"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1]]]}}]}', 'commune');
SELECT ST_Area(geom) AS area FROM smartregion.territory WHERE type = 'commune' AND code = '99002';
ROLLBACK TO SAVEPOINT s;
-- a point of a code that matches nothing is not an error (it is not loaded)
SELECT features, unmatched FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"00000"},"geometry":{"type":"Point","coordinates":[0,0]}}]}', 'commune');
-- the function runs as its caller: a role that may run it (and read the
-- schema) but not write the territories cannot
CREATE ROLE sr_contours_nobody;
GRANT USAGE ON SCHEMA smartregion TO sr_contours_nobody;
\set VERBOSITY terse
SET ROLE sr_contours_nobody;
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[
  {"type":"Feature","properties":{"code":"99001"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}', 'commune');
ROLLBACK TO SAVEPOINT s;
RESET ROLE;
ROLLBACK;
-- errors (the NULL check is the shared _require_args, first in the declarations since
-- 2026-12-07: its CONTEXT is "line 4 during statement block local variable initialization",
-- and every RAISE of the body one line up from before, the IF of three lines gone)
\set VERBOSITY default
SELECT * FROM smartregion.load_territory_contours(NULL, 'commune');
SELECT * FROM smartregion.load_territory_contours('{"type":"Feature"}', 'commune');
SELECT * FROM smartregion.load_territory_contours('[]', 'commune');
SELECT * FROM smartregion.load_territory_contours('{"type":"FeatureCollection","features":[]}', 'canton');
