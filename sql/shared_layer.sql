-- The shared glue layer's rules, tested once for the whole extension
-- (docs/query-arguments.md, docs/options.md).
SET client_min_messages = warning;
CREATE SCHEMA sl;
SET search_path = sl, public;

-- 1. horizon_at and solar_cadastre build their obstacles with one set of rules
--    (core: sr_obstacles_from_buildings), so they see the same horizon.  A flat square
--    roof (building 1, 10 m high, centred on the origin: its viewpoint is (0, 0, 10))
--    among a tall block, a 2D footprint given by its eaves and ridge (roof_z_min /
--    roof_z_max: the rule horizon_at used to ignore), a 3D LoD2 house (one obstacle per
--    polygon) and a footprint without height (skipped by both).  The cadastre's flat-roof
--    irradiation must equal surface_irradiation under horizon_at's horizon, to the last bit.
CREATE TABLE b (id bigint, geom geometry, height float8, roof_z_min float8, roof_z_max float8);
INSERT INTO b VALUES
 (1, ST_MakeEnvelope(-5, -5, 5, 5), 10, NULL, NULL),
 (2, ST_MakeEnvelope(20, -10, 40, 10), 40, NULL, NULL),
 (3, ST_MakeEnvelope(-30, -40, -10, -20), NULL, 12, 25),
 (4, ST_GeomFromText('MULTIPOLYGON Z (((-10 20 8, 10 20 8, 10 30 18, -10 30 18, -10 20 8)),
                                      ((-10 30 18, 10 30 18, 10 40 8, -10 40 8, -10 30 18)),
                                      ((-10 20 0, 10 20 0, 10 20 8, -10 20 8, -10 20 0)))'), NULL, NULL, NULL),
 (5, ST_MakeEnvelope(-5, 30, 5, 40), NULL, NULL, NULL);
CREATE TABLE sky AS SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.85, 45.75), 4326)) AS s;
WITH c AS (
  SELECT annual_kwh_m2 FROM sky, smartregion.solar_cadastre('SELECT * FROM sl.b', s, '{"max_sky_distance_km": 20000, "sampling": "point"}')
   WHERE building_id = 1 AND face = 1),
h AS (
  SELECT smartregion.horizon_at(ST_MakePoint(0, 0, 10), 'SELECT * FROM sl.b WHERE id <> 1') AS h)
SELECT c.annual_kwh_m2 = (smartregion.surface_irradiation(s, 0, 180, h.h)).annual_kwh_m2 AS same_irradiation,
       smartregion.horizon_elevation(h.h, 214) > 0 AS eaves_ridge_block_seen,  -- building 3, to the south-west
       smartregion.horizon_elevation(h.h, 0) > 0 AS house_seen,                -- building 4, to the north
       smartregion.horizon_elevation(h.h, 90) > 40 AS tall_block_seen          -- building 2, to the east
  FROM c, h, sky;

-- 2. The SRID policy: SRID 0 is local metres everywhere a length or an area is computed;
--    geographic SRIDs are refused with a hint; a place on Earth needs an SRID.
SELECT (smartregion.roof_plane(ST_MakeEnvelope(0, 0, 10, 10))).area_m2 AS local_metres_area;
\set VERBOSITY default
SELECT smartregion.roof_plane(ST_MakeEnvelope(0, 0, 1, 1, 4326));
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(4.8, 45.7), 4326), 'SELECT * FROM sl.b');
SELECT * FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0, 0, 1, 1, 4326) AS geom',
  'SELECT ''P''::text AS parcel_id, NULL::geometry AS geom, NULL::text AS land_unit_id WHERE false', NULL, NULL, '2024-01-01');
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, ST_MakePoint(4.9, 45.7));
\set VERBOSITY terse
-- a place on Earth may come in any SRID: the same site in Lambert-93 and in WGS84
SELECT abs((smartregion.sky_summary(a.s)->>'lat')::float8 - (smartregion.sky_summary(b.s)->>'lat')::float8) < 1e-6 AS same_lat,
       abs((smartregion.sky_summary(a.s)->>'lon')::float8 - (smartregion.sky_summary(b.s)->>'lon')::float8) < 1e-6 AS same_lon
  FROM (SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326)) AS s) a,
       (SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, ST_Transform(ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326), 2154)) AS s) b;
-- zones accept SRID 0 as local metres too (one policy for every family)
SELECT zone_id, area_ha FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0, 0, 100, 100) AS geom',
  'SELECT ''P''::text AS parcel_id, ST_MakeEnvelope(0, 0, 50, 50) AS geom, NULL::text AS land_unit_id', NULL, NULL, '2024-01-01');

-- 3. Options: one set of rules and messages for every function, C or plpgsql
SELECT smartregion._options('maturity_scores', '{"aggregation": "geometric"}') ->> 'aggregation' AS given,
       smartregion._options('maturity_scores', '{}') ->> 'normalisation' AS default_value,
       smartregion._options('maturity_scores', '{"normalisation": null}') ->> 'normalisation' AS null_is_default;
SELECT smartregion._options('solar_cadastre', '{"sectors": 36, "class_thresholds": [800, 1000, 1200]}') -> 'class_thresholds' AS thresholds;
SELECT smartregion._options('solar_cadastre', '{"sectors": 36.5}');
SELECT smartregion._options('solar_cadastre', '{"radius_m": "far"}');
SELECT smartregion._options('solar_cadastre', '{"radius_m": 1e9}');
SELECT smartregion._options('solar_cadastre', '{"class_thresholds": [3, 2, 1]}');
SELECT smartregion._options('zone_indicators', '{"rules": {"min_units": 0}}');
SELECT smartregion._options('zone_indicators', '{"vacancy_rule": "loose"}');
SELECT smartregion._options('zone_indicators', '[1, 2]');
SELECT smartregion._options('nothing', '{}');
-- the same mistake in a C function and in a plpgsql one: the same message
SELECT * FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, NULL::geometry AS geom WHERE false',
  'SELECT ''P''::text AS parcel_id, NULL::geometry AS geom, NULL::text AS land_unit_id WHERE false', NULL, NULL,
  '2024-01-01', '{"colour": 1}');
SELECT * FROM smartregion.maturity_scores('default', NULL, '{"colour": 1}');
-- every option of every function is listed, with a meaning
SELECT count(*) > 40 AS many, bool_and(meaning <> '') AS all_explained FROM smartregion.option_specs();
-- a JSON null where an option says where to read or which rows (the hub, a territory filter) is
-- 22004 naming the option, in the shared parser, for every function taking it; before
-- (2026-12-07), {"hub": null} read the default hub "hub" and {"departement": null} every
-- département, where a NULL hub argument is 22004 (docs/governance.md#null-arguments).  Each
-- expected row is the rule's message, written by hand: 22004 option "<the null member>" cannot be
-- null.  Other options keep "null is the default" (null_is_default above).
CREATE FUNCTION sl.sqlstate_of(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ' ' || SQLERRM;
END $$;
SELECT f, sl.sqlstate_of(q) AS error FROM (VALUES
  ('maturity_scores', $q$SELECT * FROM smartregion.maturity_scores('default', NULL, '{"hub": null}')$q$),
  ('maturity_rollup', $q$SELECT * FROM smartregion.maturity_rollup('default', NULL, '{"territory_type": null}')$q$),
  ('maturity_score', $q$SELECT * FROM smartregion.maturity_score('91479', 'default', NULL, '{"hub": null}')$q$),
  ('maturity_peers', $q$SELECT * FROM smartregion.maturity_peers('91479', 'default', NULL, '{"hub": null}')$q$),
  ('maturity_recommendations', $q$SELECT * FROM smartregion.maturity_recommendations('91479', 'default', NULL, '{"hub": null}')$q$),
  ('maturity_uncertainty', $q$SELECT * FROM smartregion.maturity_uncertainty('default', 10, 1, NULL, '{"hub": null}')$q$),
  ('maturity_trend', $q$SELECT * FROM smartregion.maturity_trend('91479', 'default', '{"hub": null}')$q$),
  ('maturity_movers', $q$SELECT * FROM smartregion.maturity_movers(2023, 2024, 'default', '{"departement": null}')$q$),
  ('maturity_radar_svg', $q$SELECT smartregion.maturity_radar_svg('91479', 'default', NULL, '{"hub": null}')$q$),
  ('maturity_report', $q$SELECT smartregion.maturity_report('91479', 'default', NULL, '{"hub": null}')$q$),
  ('tl_propose', $q$SELECT * FROM smartregion.tl_propose('{"hub": null}')$q$),
  ('thd_rollout', $q$SELECT * FROM smartregion.thd_rollout('{"region": null}')$q$),
  ('tierslieux_coverage', $q$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, NULL::geometry AS geom WHERE false', '{"departement": null}')$q$),
  ('_options', $q$SELECT smartregion._options('thd_rollout', jsonb_build_object('hub', NULL::text))$q$)
) t(f, q) ORDER BY f;
-- the rule holds for every option of these names (one a new function adds too): none takes null
SELECT function, option FROM smartregion.option_specs()
 WHERE option IN ('hub', 'departement', 'region', 'territory_type', 'territory_code', 'visibility')
   AND meaning NOT LIKE '%a JSON null is an error (22004)%' ORDER BY 1, 2;
-- an empty hub names no hub: 42P01 (expected, written by hand: 42P01 hub "" has no table
-- maturity_value, on each row), as thd_rollout's and tl_propose's; the maturity scorers read
-- the default hub "hub" for it until 2026-12-07 (core: sr_mat_eval_args_read)
SELECT f, sl.sqlstate_of(q) AS error FROM (VALUES
  ('maturity_scores', $q$SELECT * FROM smartregion.maturity_scores('default', NULL, '{"hub": ""}')$q$),
  ('maturity_rollup', $q$SELECT * FROM smartregion.maturity_rollup('default', NULL, '{"hub": ""}')$q$),
  ('maturity_uncertainty', $q$SELECT * FROM smartregion.maturity_uncertainty('default', 10, 1, NULL, '{"hub": ""}')$q$),
  ('maturity_movers', $q$SELECT * FROM smartregion.maturity_movers(2023, 2024, 'default', '{"hub": ""}')$q$)
) t(f, q) ORDER BY f;

-- 4. Threads: one setting decides for every threaded function, and results do not depend on it
SHOW smartregion.max_threads;
SET smartregion.max_threads = 64;
SET smartregion.max_threads = 65;
SET smartregion.max_threads = 1;
CREATE TABLE pr AS SELECT i AS id, jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(2.3 + i * 0.001, 48.8)) AS location
  FROM generate_series(1, 300) i;
CREATE TABLE pm AS SELECT 1000 + i AS id, jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(2.3 + i * 0.0017, 48.81)) AS location
  FROM generate_series(1, 200) i;
CREATE TABLE one AS SELECT * FROM smartregion.match_candidates('SELECT * FROM sl.pr', 'SELECT * FROM sl.pm', 5);
SET smartregion.max_threads = 2;
SELECT count(*) AS rows, count(*) FILTER (WHERE o.score IS DISTINCT FROM t.score) AS different
  FROM one o FULL JOIN smartregion.match_candidates('SELECT * FROM sl.pr', 'SELECT * FROM sl.pm', 5) t
       USING (project_id, premise_id, rank);
RESET smartregion.max_threads;

-- 9. A DBA's custom SRID in spatial_ref_sys is seen by the next statement of the session:
--    the bridge checks the rows it keeps (kind, pole, city3d's ECEF transformation) once a
--    statement and never keeps an SRID it did not find.  990001 is Lambert-93 without its
--    authority (2154's WKT and PROJ string); the same place in 2154 is the reference.
\set VERBOSITY terse
CREATE FUNCTION sl.enu_origin(sql text) RETURNS float8[] LANGUAGE sql AS $$
  SELECT ARRAY[(m ->> 12)::float8, (m ->> 13)::float8, (m ->> 14)::float8]
    FROM (SELECT convert_from(substring(b FROM 21 FOR get_byte(b, 12) + 256 * get_byte(b, 13) + 65536 * get_byte(b, 14)), 'UTF8')::jsonb
                 #> '{asset,extras,smartregion,enu_to_ecef}' AS m
            FROM (SELECT smartregion.city_gltf(sql, '{"frame": "enu"}') AS b) g) s $$;
CREATE FUNCTION sl.square(srid int, x float8) RETURNS text LANGUAGE sql AS $$
  SELECT format('SELECT 1::bigint AS id, ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY[ST_MakePoint(%1$s, 6519000, 180), ST_MakePoint(%1$s + 10, 6519000, 180), ST_MakePoint(%1$s + 10, 6519010, 180), ST_MakePoint(%1$s, 6519000, 180)])), %2$s) AS geom', x, srid) $$;
-- not there yet: refused, and not remembered as missing
SELECT smartregion.city_gltf(sl.square(990001, 842000));
SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=990001;POINT(842000 6519000)'::geometry);
INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
SELECT 990001, NULL, NULL, replace(srtext, ',AUTHORITY["EPSG","2154"]]', ']'), proj4text FROM spatial_ref_sys WHERE srid = 2154;
SELECT srtext LIKE '%PARAMETER["false_easting",700000]%AXIS%' AND srtext NOT LIKE '%"2154"%' AND proj4text LIKE '%+x_0=700000 %' AS definitions
  FROM spatial_ref_sys WHERE srid = 990001;
-- inserted: found at once, the place Lambert-93 gives (within a millimetre)
SELECT abs((smartregion.sun_position('2021-06-21 12:00Z', 'SRID=990001;POINT(842000 6519000)'::geometry)).azimuth
           - (smartregion.sun_position('2021-06-21 12:00Z', 'SRID=2154;POINT(842000 6519000)'::geometry)).azimuth) < 1e-7 AS same_sun,
       (SELECT max(abs(a - b)) < 1e-3 FROM unnest(sl.enu_origin(sl.square(990001, 842000)), sl.enu_origin(sl.square(2154, 842000))) u(a, b)) AS same_ecef;
-- its false easting moved 100 km east: the next statement's ECEF origin is the new place
UPDATE spatial_ref_sys SET srtext = replace(srtext, '"false_easting",700000', '"false_easting",800000'),
                           proj4text = replace(proj4text, '+x_0=700000', '+x_0=800000') WHERE srid = 990001;
SELECT (SELECT max(abs(a - b)) < 1e-3 FROM unnest(sl.enu_origin(sl.square(990001, 942000)), sl.enu_origin(sl.square(2154, 842000))) u(a, b)) AS moved_ecef;
-- made geographic within a transaction: the next statement refuses it where metres are
-- required; rolled back, it is the projected one again
BEGIN;
UPDATE spatial_ref_sys SET srtext = (SELECT srtext FROM spatial_ref_sys WHERE srid = 4326),
                           proj4text = '+proj=longlat +ellps=GRS80 +no_defs' WHERE srid = 990001;
SELECT smartregion.city_gltf(sl.square(990001, 942000));
ROLLBACK;
SELECT (SELECT max(abs(a - b)) < 1e-3 FROM unnest(sl.enu_origin(sl.square(990001, 942000)), sl.enu_origin(sl.square(2154, 842000))) u(a, b)) AS projected_again;
-- deleted: refused by the next statement
DELETE FROM spatial_ref_sys WHERE srid = 990001;
SELECT smartregion.city_gltf(sl.square(990001, 942000));
SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=990001;POINT(842000 6519000)'::geometry);
-- an SRID defined by its PROJ string alone (no authority, no WKT: many custom SRIDs are
-- inserted so): city3d's ECEF transformation reads it, as PostGIS does (it read the
-- authority and the WKT only, and refused it as "could not read the coordinate reference
-- system the CRS"); Lambert-93's parameters, the place 2154 gives
INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
SELECT 990002, NULL, NULL, NULL, proj4text FROM spatial_ref_sys WHERE srid = 2154;
SELECT (SELECT max(abs(a - b)) < 1e-3 FROM unnest(sl.enu_origin(sl.square(990002, 842000)), sl.enu_origin(sl.square(2154, 842000))) u(a, b)) AS proj4_only_ecef;
-- and a definition PROJ cannot read is refused with the SRID named
UPDATE spatial_ref_sys SET proj4text = '+proj=nonsense +units=m' WHERE srid = 990002;
SELECT sl.enu_origin(sl.square(990002, 842000));
DELETE FROM spatial_ref_sys WHERE srid = 990002;
DROP FUNCTION sl.enu_origin(text), sl.square(int, float8);
-- _to_lonlat, the place-on-Earth reader for SQL (the bridge's, as sun_position's location):
-- Lambert-93's (700000, 6600000) is its origin, 3 E, 46.5 N by the projection's definition,
-- its height kept; a point in SRID 4326 is read as it is, in range only (it passed any), and
-- a measured point is refused
SELECT round(ST_X(g)::numeric, 7) AS lon, round(ST_Y(g)::numeric, 7) AS lat, ST_Z(g) AS z, ST_SRID(g) AS srid
  FROM smartregion._to_lonlat('SRID=2154;POINT(700000 6600000 170)'::geometry, 'parameter "site"') g;
SELECT ST_AsEWKT(smartregion._to_lonlat('SRID=4326;POINT(4.8 45.7)'::geometry, 'parameter "site"'));
SELECT smartregion._to_lonlat('SRID=4326;POINT(200 45)'::geometry, 'parameter "site"');
SELECT smartregion._to_lonlat('SRID=4326;POINTM(2 45 7)'::geometry, 'parameter "site"');
SELECT smartregion._to_lonlat('POINT(2 45)'::geometry, 'parameter "site"');
\set VERBOSITY default

RESET search_path;
DROP SCHEMA sl CASCADE;
