-- Solar cadastre: bad input answers with a clear error (SQLSTATE shown) or a
-- documented skip counted in a NOTICE.
\set VERBOSITY sqlstate
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
\set VERBOSITY default
-- horizon text input
SELECT '72:0'::smartregion.horizon;
SELECT '{3:0,0,0}'::smartregion.horizon;
SELECT '{4:0,0,0}'::smartregion.horizon;
SELECT '{4:0,0,0,0,0}'::smartregion.horizon;
SELECT '{4:0,NaN,0,0}'::smartregion.horizon;
SELECT '{4:0,91,0,0}'::smartregion.horizon;
SELECT '{4:0,1,2,3} x'::smartregion.horizon;
SELECT smartregion.horizon(ARRAY[1, NULL, 2, 3]::float8[]);
SELECT smartregion.horizon(ARRAY[1, 2]::float8[]);
SELECT smartregion.horizon_elevation('{4:0,0,0,0}', 'NaN');
-- sky text input
SELECT 'garbage'::smartregion.sky;
SELECT 'SKY2:@@@@'::smartregion.sky;
SELECT 'SKY2:AAAA'::smartregion.sky;
-- a sky whose base64 is valid but whose content was tampered with
CREATE TEMP TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
SELECT ('SKY3:' || replace(encode(set_byte(decode(substr(s::text, 6), 'base64'), 0, 9), 'base64'), E'\n', ''))::smartregion.sky FROM sky;
SELECT ('SKY3:' || replace(encode(set_byte(decode(substr(s::text, 6), 'base64'), 209, 255), 'base64'), E'\n', ''))::smartregion.sky FROM sky;
-- EPW content
SELECT smartregion.sky_from_epw('not an epw file');
-- surface_irradiation parameters
SELECT smartregion.surface_irradiation(s, 95, 180) FROM sky;
SELECT smartregion.surface_irradiation(s, 'NaN', 180) FROM sky;
SELECT smartregion.surface_irradiation(s, 30, 180, NULL, 1.5) FROM sky;
SELECT smartregion.surface_irradiation(NULL, 30, 180) IS NULL AS null_sky_gives_null;
-- sky_agg: gaps, negative irradiance, several sites, wrong SRID
SELECT smartregion.sky_agg(ts, ghi, 0, 0, ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326))
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz, 500::float8), ('2020-06-21 13:00Z', NULL)) v(ts, ghi);
SELECT smartregion.sky_agg(ts, ghi, 0, 0, ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326))
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz, -5::float8)) v(ts, ghi);
SELECT smartregion.sky_agg(ts, 100, 0, 50, ST_SetSRID(ST_MakePoint(x, 45.7), 4326))
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz, 4.9), ('2020-06-21 13:00Z', 5.9)) v(ts, x);
-- the same place at two elevations is two sites too (the first row's would
-- otherwise win, and which is first depends on the plan)
SELECT smartregion.sky_agg(ts, 100, 0, 50, ST_SetSRID(ST_MakePoint(4.9, 45.7, z), 4326))
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz, 170.0), ('2020-06-21 13:00Z', 250.0)) v(ts, z);
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, ST_MakePoint(4.9, 45.7));
-- an SRID PostGIS does not know, a point outside the SRID's domain (PROJ would place it
-- at the South Pole without an error): refused, never a sky of the wrong place
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, 'SRID=999999;POINT(1 1)'::geometry);
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, 'SRID=2154;POINT(1e300 1e300)'::geometry);
-- 1e15 m east: PROJ places it 1.3e-9 deg from the South Pole, where PostGIS's way back to
-- Lambert-93 raised an internal error (XX000 "Point outside of projection domain"): within
-- a degree of a pole the way back is PROJ's own, and the point is refused as the others (22023)
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, 'SRID=2154;POINT(1e15 6519030)'::geometry);
\echo sqlstate :LAST_ERROR_SQLSTATE
-- the reader of sun_position's and sky_clearsky's location: a measured point (its M is no
-- elevation), an empty point, a longitude beyond 180 (22003)
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, 'SRID=4326;POINTM(4.9 45.7 170)'::geometry);
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, 'SRID=4326;POINT EMPTY'::geometry);
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, 'SRID=4326;POINT(184.9 45.7)'::geometry);
\set VERBOSITY sqlstate
SELECT smartregion.sky_agg('2020-06-21 12:00Z', 100, 0, 50, 'SRID=4326;POINT(184.9 45.7)'::geometry);
\set VERBOSITY default
-- an infinite hour is refused at its row (it reached the sky's build, 'timestamp is out of
-- range for the solar position algorithm')
SELECT smartregion.sky_agg(ts, 100, 0, 50, 'SRID=4326;POINT(4.9 45.7)'::geometry)
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz), ('infinity')) v(ts);
SELECT smartregion.sky_clearsky('SRID=999999;POINT(1 1)');
SELECT smartregion.sky_clearsky('SRID=2154;POINT(1e8 1e8)');
-- a point of Lambert-93 far from France is still a place on Earth
SELECT round((smartregion.sky_summary(smartregion.sky_clearsky('SRID=2154;POINT(842000 6519000 200)'))->>'lat')::numeric, 4) AS lat;
-- and its sky is the one of its point transformed to WGS84 by ST_Transform (z kept), to the last bit
SELECT smartregion.sky_clearsky('SRID=2154;POINT(842000 6519000 200)')::text
     = smartregion.sky_clearsky(ST_Transform('SRID=2154;POINT(842000 6519000 200)'::geometry, 4326))::text AS same_sky;
SELECT smartregion.sky_agg(ts, 100, 0, 50, ST_SetSRID(ST_MakePoint(4.9, 45.7), 4326))
  FROM (VALUES ('2020-06-21 12:00Z'::timestamptz), ('2020-06-21 12:00Z')) v(ts);
-- a sky holds at most 1,000,000 hours (the suns a sky value may list): the
-- row past them is refused (54000) before the state grows, not when the state
-- reaches palloc's 1 GB; row 1,000,001 is 1,000,000 hours after 2001-01-01
-- 01:00 UTC: 41,666 days and 16 hours, 2115-01-30 17:00 UTC (09:00 PST)
SELECT smartregion.sky_agg(t, 0, 0, 0, 'SRID=4326;POINT(4.9 45.7)'::geometry)
  FROM generate_series('2001-01-01 01:00Z'::timestamptz, '2001-01-01 01:00Z'::timestamptz + 1000000 * interval '1 hour', '1 hour') t;
\echo sqlstate :LAST_ERROR_SQLSTATE
-- nor is a sky no sky value could hold (its input would refuse it: a dump that
-- does not restore): each hour of polar night (latitude 89.5, January) lit by
-- 1500 W/m2 adds 1500 / pi Wh/m2/sr to every patch of January, and the 283
-- Januaries of 2001-2283, 283 x 744 = 210,552 hours, make 1.0053e8, past the
-- bound of a patch's monthly radiance (1e8)
SELECT smartregion.sky_agg(make_timestamptz(y, 1, 1, 0, 0, 0, 'UTC') + h * interval '1 hour', 1500, 0, 1500,
                           'SRID=4326;POINT(0 89.5)'::geometry)
  FROM generate_series(2001, 2283) y, generate_series(1, 744) h;
\echo sqlstate :LAST_ERROR_SQLSTATE
-- hourly reference: wrong columns, NULL row
SELECT smartregion.surface_irradiation_hourly('SELECT now() AS t, 1.0 AS ghi', 45, 5, 30, 180);
SELECT smartregion.surface_irradiation_hourly('SELECT now() AS ts, NULL::float8 AS ghi, 0::float8 AS dni, 0::float8 AS dhi', 45, 5, 30, 180);
SELECT smartregion.surface_irradiation_hourly('SELECT now() AS ts, 1::float8 AS ghi, 0::float8 AS dni, 0::float8 AS dhi', 95, 5, 30, 180);
-- an hour given twice is refused (it would count twice in the year), as by sky_agg
SELECT smartregion.surface_irradiation_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  FROM generate_series(1, 2)$$, 45, 5, 30, 180);
SELECT smartregion.surface_irradiation_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  FROM generate_series(1, 2)$$, 45, 5, 30, 180, '{4:10,10,10,10}');
-- the hours are read 10,000 rows at a time: an hour given twice is found across batches
-- (rows 1 and 12,001: 2021-01-01 01:00 UTC, 1,609,459,200 + 3,600 s), and a bad row is
-- named by its number among all the rows (in the second batch)
SELECT smartregion.surface_irradiation_hourly($$SELECT ts, 0::float8 AS ghi, 0::float8 AS dni, 0::float8 AS dhi
  FROM generate_series('2021-01-01 01:00Z'::timestamptz, '2021-01-01 01:00Z'::timestamptz + interval '11999 hours', '1 hour') ts
  UNION ALL SELECT '2021-01-01 01:00Z', 0, 0, 0$$, 45, 5, 30, 180);
SELECT smartregion.surface_irradiation_hourly($$SELECT ts, CASE WHEN n = 12345 THEN -1 ELSE 0 END::float8 AS ghi,
  0::float8 AS dni, 0::float8 AS dhi
  FROM generate_series('2021-01-01 01:00Z'::timestamptz, '2021-01-01 01:00Z'::timestamptz + interval '14999 hours', '1 hour')
       WITH ORDINALITY t(ts, n)$$, 45, 5, 30, 180);
-- a weather with no hour: NULL (there is nothing to sum), not an annual 0
SELECT smartregion.surface_irradiation_hourly($$SELECT '2021-06-21 12:00Z'::timestamptz AS ts, 800::float8 AS ghi, 500::float8 AS dni, 100::float8 AS dhi
  WHERE false$$, 45, 5, 30, 180) IS NULL AS no_hour_is_null;
-- roof_plane
SELECT smartregion.roof_plane('SRID=2154;POINT(0 0)');
SELECT smartregion.roof_plane('SRID=4326;POLYGON((4 45, 4.1 45, 4.1 45.1, 4 45, 4 45))');
SELECT smartregion.roof_plane('SRID=2154;POLYGON((0 0, 1 1, 2 2, 0 0))');
SELECT smartregion.roof_plane('SRID=2154;MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))');
-- horizon_at
CREATE TEMP TABLE obs AS SELECT 1::bigint AS id, ST_MakeEnvelope(0, 10, 10, 20, 2154) AS geom, 10.0::float8 AS height;
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(0, 0), 2154), 'SELECT id, geom, height FROM obs', 0);
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(0, 0), 2154), 'SELECT id, geom, height FROM obs', 300, 2);
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(0, 0), 3946), 'SELECT id, geom, height FROM obs');
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(4.8, 45.7), 4326), 'SELECT id, geom, height FROM obs');
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(0, 0), 2154), 'SELECT id, geom FROM obs');
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(0, 0), 2154), 'SELECT id FROM obs');
SELECT smartregion.horizon_at('SRID=2154;LINESTRING(0 0, 1 1)', 'SELECT id, geom, height FROM obs');
-- solar_cadastre
CREATE TEMP TABLE b AS
WITH o AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(4.83, 45.77), 4326), 2154) AS p)
SELECT 1::bigint AS id, ST_MakeEnvelope(ST_X(p), ST_Y(p), ST_X(p) + 20, ST_Y(p) + 10, 2154) AS geom, 6.0::float8 AS height FROM o;
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"radius": 100}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"radius_m": -5}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"radius_m": "far"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"class_thresholds": [3, 2, 1]}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"class_thresholds": [1, 2]}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"sectors": 72.5}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"viewpoints": 3}');
-- roofs over their area: viewpoints are the point mode's; the sampling
-- options' choices and ranges
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"viewpoints": 5, "sampling": "area"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"sampling": "grid"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"spacing_m": 0.01}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"max_samples": 2}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"sectors": 720, "rays_per_sector": 11}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '{"sunny_class": "best"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre_cells('SELECT id, geom, height FROM b', s, '{"sampling": "point"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b', s, '[1]');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, ST_Transform(geom, 4326) AS geom, height FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT NULL::bigint AS id, geom, height FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT 7::bigint AS id, ST_Centroid(geom) AS geom, height FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, -3.0 AS height FROM b', s);
-- a NaN eaves or ridge is refused as a NaN ground_z is (it was taken as missing: the roof at
-- ground_z + height, the obstacle's top without its ridge); NULL means none
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height, ''NaN''::float8 AS roof_z_max FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height, ''NaN''::float8 AS roof_z_min, 9.0::float8 AS roof_z_max FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height, NULL::float8 AS roof_z_min, NULL::float8 AS roof_z_max FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b UNION ALL SELECT 2, ST_SetSRID(geom, 3946), height FROM b', s);
-- a building is one row: an id on two target rows would give two faces of one key
-- (refresh_solar_roofs failed on it with ON CONFLICT's 21000); obstacles only may repeat it
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM b UNION ALL SELECT id, ST_Translate(geom, 0, 15), 20 FROM b', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre_cells('SELECT id, geom, height FROM b UNION ALL SELECT id, ST_Translate(geom, 0, 15), 20 FROM b', s);
SELECT count(*) AS faces FROM sky, smartregion.solar_cadastre('SELECT id, geom, height, true AS target FROM b UNION ALL SELECT id, ST_Translate(geom, 0, 15), 20, false FROM b', s);
-- buildings in Paris with the Lyon sky: 390 km away
SELECT count(*) FROM sky, smartregion.solar_cadastre(
  'SELECT 1::bigint AS id, ST_Transform(ST_Buffer(ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326)::geography, 10)::geometry, 2154) AS geom, 10.0 AS height', s);
-- a documented skip: missing heights and empty geometries are counted in a NOTICE
SELECT count(*) AS faces FROM sky, smartregion.solar_cadastre(
  'SELECT id, geom, height FROM b UNION ALL SELECT 2, geom, NULL FROM b UNION ALL SELECT 3, ''SRID=2154;POLYGON EMPTY''::geometry, 5', s);
-- solar_tile (terse: the PL/pgSQL context line numbers are not part of the contract)
\set VERBOSITY terse
SELECT smartregion.solar_tile(3, 9, 0, 'pg_class');
SELECT smartregion.solar_tile(15, 0, 0, 'no_such_table');
\set VERBOSITY default
-- a table that is not of the cadastre's rows is named with the columns it lacks (was 42703
-- "column r.building_id does not exist" on the function's own query); a table of cells
-- (pv_plane_kwh_m2) lacking sunny
\set SHOW_CONTEXT never
SELECT smartregion.solar_tile(15, 0, 0, 'b');
CREATE TEMP TABLE b_cells AS SELECT id AS building_id, 1 AS face, geom, 1.0::float8 AS annual_kwh_m2,
       1.0::float8 AS pv_plane_kwh_m2, 1.0::float8 AS usable_area_m2 FROM b;
SELECT smartregion.solar_cells_tile(18, 0, 0, 'b_cells');
\set SHOW_CONTEXT errors
-- clear-sky year: bad site or parameters
SELECT smartregion.sky_clearsky('POINT(650000 6860000)');
SELECT smartregion.sky_clearsky('SRID=4326;LINESTRING(0 0, 1 1)');
SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.9 45.7)', 'NaN');
SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.9 45.7)', 3, 1800);
SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.9 45.7 12000)');
-- the summit of Everest: Ineichen-Perez's altitude terms give more than any sky holds.
-- By hand, with turbidity 1: fh1 = exp(-8848 / 8000) = 0.331, the beam's term
-- b = 0.664 + 0.163 / fh1 = 1.157 > 1, so bnci = 1406 (January's extraterrestrial) x 1.157
-- = 1626 W/m2 at any sun height, and its limit ghi x 0.990 / cos z = 0.990 x cg1 x 1406 x
-- exp(-cg2 am fh1) = 0.990 x 1.318 x 1406 x exp(-0.3855 x 1.18 x 0.331) ~ 1580 W/m2 at the
-- first hour (air mass 3.8 at 314 hPa): a beam of ~1580 > 1500 W/m2.  Refused as such (it
-- was "weather record 3 has an irradiance above 1500 W/m2", a row the caller never gave);
-- Mont Blanc's summit (b = 0.664 + 0.163 / 0.548 = 0.961) is a sky
\set VERBOSITY terse
SELECT smartregion.sky_clearsky('SRID=4326;POINT(86.925 27.988 8848)', 1);
\set VERBOSITY default
SELECT smartregion.sky_clearsky('SRID=4326;POINT(6.865 45.833 4808)', 1) IS NOT NULL AS mont_blanc;
-- the location is read by the geometry bridge's one reader of a place on Earth (as
-- sun_position's and sky_agg's): a measured point is not a point (GeometryType POINTM: its
-- third ordinate is no elevation), nor an empty collection; a point of NaN coordinates is not
-- empty (ST_IsEmpty) but has a non-finite coordinate, in any SRID, and so has a NaN elevation;
-- the location, in SRID 4326 its longitude and latitude too (22003), is checked before the
-- other arguments
SELECT smartregion.sky_clearsky('SRID=4326;POINTM(5 45 1)');
SELECT smartregion.sky_clearsky('SRID=4326;GEOMETRYCOLLECTION EMPTY');
SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint('NaN', 'NaN'), 4326));
SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint('NaN', 'NaN'), 2154));
SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(5, 45, 'NaN'), 4326));
SELECT smartregion.sky_clearsky('SRID=999999;POINT(1 1)', 'NaN', 1800);
SELECT smartregion.sky_clearsky('SRID=4326;POINT(200 45)', 'NaN');
SELECT smartregion.sky_clearsky('SRID=4326;POINT(200 45)');
-- eaves above the ridge
SELECT count(*) FROM smartregion.solar_cadastre(
  'SELECT 1::bigint AS id, ST_MakeEnvelope(0, 0, 10, 10, 2154) AS geom, NULL::float8 AS height, 9.0::float8 AS roof_z_min, 8.0::float8 AS roof_z_max',
  smartregion.sky_clearsky('SRID=4326;POINT(2.35 48.85 35)'));
-- ground_z must be finite (NULL means 0); a tree's too, and a tree's point is checked
-- with the reason given
SELECT count(*) FROM smartregion.solar_cadastre(
  'SELECT 1::bigint AS id, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154) AS geom, 6.0::float8 AS height, ''NaN''::float8 AS ground_z',
  smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)'));
SELECT count(*) FROM smartregion.solar_cadastre(
  'SELECT 1::bigint AS id, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154) AS geom, 6.0::float8 AS height',
  smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)'),
  '{"sampling": "area", "trees_sql": "SELECT 1::bigint AS id, ''SRID=2154;POINT(842005 6519020)''::geometry AS geom, 12.0::float8 AS height, 3.0::float8 AS crown_radius, ''Infinity''::float8 AS ground_z"}');
SELECT count(*) FROM smartregion.solar_cadastre(
  'SELECT 1::bigint AS id, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154) AS geom, 6.0::float8 AS height',
  smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)'),
  '{"sampling": "area", "trees_sql": "SELECT 1::bigint AS id, ''SRID=2154;POINT(NaN 6519020)''::geometry AS geom, 12.0::float8 AS height, 3.0::float8 AS crown_radius"}');
-- roofs over their area whose outline's box is out of proportion to their area: a
-- 15 m2 roof with a zero-area spike 1e9 m long (crashed the server), one 1e9 m off a
-- 10 m roof (an internal error), a near-vertical city-model face with a 10 cm bulge
-- (5.7 million samples): each is sampled wider, at most 4 x max_samples cells (10,000
-- by default), with finite results
SET client_min_messages = warning;   -- (the clear sky's NOTICE on temperature)
CREATE TEMP TABLE odd (id bigint, geom geometry, height float8, surface_type text);
INSERT INTO odd VALUES
 (1, 'SRID=2154;POLYGON((0 0,10 0,10 0.75,1073741824.5 0.75,10 0.75,10 1.5,0 1.5,0 0))', 6, NULL),
 (2, 'SRID=2154;POLYGON((0 0,10 0,10 10,5 10,1e9 10.0001,5 10,0 10,0 0))', 6, NULL);
SELECT building_id, samples BETWEEN 1 AND 40000 AS bounded,
       annual_kwh_m2 > 0 AND NOT 'NaN' = ANY (monthly_kwh_m2) AND p10_kwh_m2 <= p90_kwh_m2 AS finite
  FROM smartregion.solar_cadastre('SELECT id, geom, height FROM odd',
         smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)'), '{"sampling": "area", "max_sky_distance_km": 20000}') ORDER BY 1;
SELECT samples BETWEEN 1 AND 40000 AS bounded, annual_kwh_m2 > 0 AND NOT 'NaN' = ANY (monthly_kwh_m2) AS finite
  FROM smartregion.solar_cadastre($q$SELECT 3::bigint AS id, 'SRID=2154;POLYGON Z((842000 6519000 200,842010 6519000 200,842010 6519000.000001 210,842005 6519000.1 205,842000 6519000.000001 210,842000 6519000 200))'::geometry AS geom, 'RoofSurface' AS surface_type$q$,
         smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)'), '{"sampling": "area"}');
-- the same spikes slanted (turned by 0.02 rad, as a projection's convergence turns them, or as
-- drawn): the shared far field looped over the 10^13 blocks of the spike's box, without end
-- and deaf to cancels (found through Lambert-93's convergence, 88 deg at x = 5e8); now it is
-- not shared for a face wider than its table, and the call answers in about a second
SELECT building_id, samples BETWEEN 1 AND 40000 AS bounded,
       annual_kwh_m2 > 0 AND NOT 'NaN' = ANY (monthly_kwh_m2) AND p10_kwh_m2 <= p90_kwh_m2 AS finite
  FROM smartregion.solar_cadastre('SELECT id, ST_SetSRID(ST_Rotate(geom, 0.02), 0) AS geom, height FROM odd',
         smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)'), '{"sampling": "area"}') ORDER BY 1;
-- a vertical roof face of a city model has no extent in its plane as a map shows it: one
-- sample at its centre, as the point mode's (was: no sample, NaN months)
SELECT a.samples, abs(a.annual_kwh_m2 / p.annual_kwh_m2 - 1) < 0.01 AS as_the_point_mode,
       abs((SELECT sum(m) FROM unnest(a.monthly_kwh_m2) m) / a.annual_kwh_m2 - 1) < 1e-9 AS months_sum_to_year
  FROM smartregion.solar_cadastre($q$SELECT 4::bigint AS id, 'SRID=2154;POLYGON Z((842000 6519020 200,842010 6519020 200,842010 6519020 230,842000 6519020 230,842000 6519020 200))'::geometry AS geom, 'RoofSurface' AS surface_type$q$,
         smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)'), '{"sampling": "area"}') a,
       smartregion.solar_cadastre($q$SELECT 4::bigint AS id, 'SRID=2154;POLYGON Z((842000 6519020 200,842010 6519020 200,842010 6519020 230,842000 6519020 230,842000 6519020 200))'::geometry AS geom, 'RoofSurface' AS surface_type$q$,
         smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)')) p;
RESET client_min_messages;
-- a cancel (here statement_timeout) stops a face within a tile of its samples, not after
-- the face: a 600 x 600 m roof by a row of towers, 200,000 samples of 7,200 rays each
-- (about 4 s of CPU here), computed alone, then two of them (a batch on the two threads):
-- cancelled having spent at most 1 s of CPU beyond a 0.3 s timeout (before, at the face's
-- end: 21.8 s for a 5 s timeout in the audit).  CPU time, not the wall clock: each thread
-- spends at most the timeout before it fires (a thread's CPU never runs ahead of the wall
-- clock), so the CPU beyond threads x timeout is at most what the threads spent after it
-- fired, the work between two interrupt checks, which a loaded machine does not stretch (a
-- 1.5 s wall-clock bound failed under load, the backend waiting for a core)
-- (the CPU time of this backend, every thread of it, in ms: utime + stime of Linux's
-- /proc/self/stat, in clock ticks of 10 ms)
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS $$
  SELECT 10 * (f[12]::float8 + f[13]::float8)
    FROM (SELECT string_to_array((regexp_match(pg_read_file('/proc/self/stat'), '^.*\) (.*)$'))[1], ' ') AS f) s
$$;
-- (NULL when q finished; else the CPU, in ms, its threads spent beyond threads x timeout_ms)
CREATE FUNCTION pg_temp.late_ms(q text, timeout_ms int, threads int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE c0 float8 := pg_temp.cpu_ms();
BEGIN
  EXECUTE q;
  RETURN NULL;   -- not cancelled
EXCEPTION WHEN query_canceled THEN
  RETURN pg_temp.cpu_ms() - c0 - threads * timeout_ms;
END $$;
SET client_min_messages = warning;
CREATE TEMP TABLE big_roofs AS
SELECT i::bigint AS id, ST_MakeEnvelope(842000, 6519000 + 700 * i, 842600, 6519600 + 700 * i, 2154) AS geom, 10.0::float8 AS height
  FROM generate_series(1, 2) i
UNION ALL
SELECT 10 + i, ST_MakeEnvelope(842000 + 40 * i, 6518960, 842020 + 40 * i, 6518980, 2154), 30.0 FROM generate_series(0, 14) i;
CREATE TEMP TABLE clear_sky AS SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.83 45.76 170)') AS s;
SET smartregion.max_threads = 2;
SET statement_timeout = 300;
SELECT coalesce(pg_temp.late_ms($q$SELECT count(*) FROM clear_sky, smartregion.solar_cadastre('SELECT *, id = 1 AS target FROM big_roofs',
         s, '{"sampling": "area", "max_samples": 200000, "sectors": 360, "rays_per_sector": 20}')$q$, 300, 2) < 1000, false)
       AS one_roof_cancelled_promptly;
SELECT coalesce(pg_temp.late_ms($q$SELECT count(*) FROM clear_sky, smartregion.solar_cadastre('SELECT *, id <= 2 AS target FROM big_roofs',
         s, '{"sampling": "area", "max_samples": 200000, "sectors": 360, "rays_per_sector": 20}')$q$, 300, 2) < 1000, false)
       AS two_roofs_cancelled_promptly;
RESET statement_timeout;
RESET smartregion.max_threads;
RESET client_min_messages;
-- smartregion.max_call_memory: every building is held until the call ends,
-- estimated at 370 bytes a row and 113 bytes a point (430 a row over the
-- area: sr_cadastre.h, measured in docs/performance-cadastre.md), a point
-- being 8 bytes of EWKB a coordinate.  113 = 81 (measured before the turn
-- to true north) + 32: these buildings are in Lyon (convergence 1.33 deg),
-- so each keeps its coordinates as read beside the turned ones, 5 x 3
-- doubles = 120 bytes in one palloc, 128 + 16 as the allocator holds
-- them, + 8 of pointer: 152 bytes a rectangle, about 32 a point on the
-- line through rectangles and 65-point polygons (2,072 bytes).  A 2D
-- rectangle with its SRID is 1 + 4 + 4 + 4 + 4 + 5 x 16 = 97 bytes
-- (shown), 6.0625 points: 370 + 113 x 6.0625 = 1,055.0625 bytes a
-- building, 1,115.0625 over the area.  20 kB = 20,480 bytes hold 19
-- buildings (20,046.19) and not 20 (21,101.25); over the area 18
-- (20,071.13) and not 19 (21,186.19).  (With 81 a point, 23 and 22 passed.)
CREATE TEMP TABLE mem_b AS
SELECT i::bigint AS id, ST_MakeEnvelope(842000 + 25 * i, 6519000, 842010 + 25 * i, 6519010, 2154) AS geom,
       10.0::float8 AS height
  FROM generate_series(1, 24) i;
SELECT DISTINCT octet_length(ST_AsEWKB(geom)) AS ewkb_bytes FROM mem_b;
SET smartregion.max_call_memory = '20kB';
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b WHERE id <= 19', s, '{"sampling": "point"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b WHERE id <= 20', s, '{"sampling": "point"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b', s, '{"sampling": "point"}');
SELECT count(DISTINCT building_id) FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b WHERE id <= 18', s, '{"sampling": "area"}');
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b WHERE id <= 19', s, '{"sampling": "area"}');
SELECT count(DISTINCT building_id) FROM sky, smartregion.solar_cadastre_cells('SELECT * FROM mem_b WHERE id <= 18', s);
SELECT count(*) FROM sky, smartregion.solar_cadastre_cells('SELECT * FROM mem_b WHERE id <= 19', s);
-- obstacles count as buildings: they are held as well
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT *, id = 1 AS target FROM mem_b', s, '{"sampling": "point"}');
-- the unit is kB, -1 is no limit
SET smartregion.max_call_memory = '1MB';
SHOW smartregion.max_call_memory;
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b', s, '{"sampling": "point"}');
SET smartregion.max_call_memory = -1;
SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b', s, '{"sampling": "point"}');
RESET smartregion.max_call_memory;
SHOW smartregion.max_call_memory;
-- horizon_at holds every obstacle until the horizon is cast, at 330 bytes a
-- row and 80 bytes a point (sr_cadastre.h, measured in
-- docs/performance-cadastre.md): a rectangle of 97 bytes of EWKB (6.0625
-- points) counts 330 + 80 x 6.0625 = 815 bytes.  16 kB = 16,384 bytes hold
-- 20 obstacles (16,300) and not 21 (17,115).
SET smartregion.max_call_memory = '16kB';
SELECT smartregion.horizon_at('SRID=2154;POINT(842000 6519000 0)', 'SELECT * FROM mem_b WHERE id <= 20', 300, 4) IS NOT NULL AS horizon_of_20;
SELECT smartregion.horizon_at('SRID=2154;POINT(842000 6519000 0)', 'SELECT * FROM mem_b WHERE id <= 21', 300, 4) IS NOT NULL AS horizon_of_21;
RESET smartregion.max_call_memory;
-- the trees of trees_sql are held with the buildings and counted with them,
-- at 570 bytes a tree (a point: no term a point; sr_cadastre.h, measured in
-- docs/performance-cadastre.md), read after the buildings.  8 kB = 8,192
-- bytes hold 3 buildings (3 x 1,055.0625 = 3,165.19) and 8 trees (4,560:
-- 7,725.19) and not 9 (8,295.19); the 3 buildings alone pass at 4 kB
-- (4,096), the trees not being read before them.
SET smartregion.max_call_memory = '8kB';
SELECT count(*) AS faces FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b WHERE id <= 3', s,
  $${"sampling": "point", "trees_sql": "SELECT n::bigint AS id, ST_SetSRID(ST_MakePoint(842000 + 25 * n, 6519030), 2154) AS geom, 10.0::float8 AS height, 3.0::float8 AS crown_radius FROM generate_series(1, 8) n"}$$);
SELECT count(*) AS faces FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b WHERE id <= 3', s,
  $${"sampling": "point", "trees_sql": "SELECT n::bigint AS id, ST_SetSRID(ST_MakePoint(842000 + 25 * n, 6519030), 2154) AS geom, 10.0::float8 AS height, 3.0::float8 AS crown_radius FROM generate_series(1, 9) n"}$$);
SET smartregion.max_call_memory = '4kB';
SELECT count(*) AS faces FROM sky, smartregion.solar_cadastre('SELECT * FROM mem_b WHERE id <= 3', s, '{"sampling": "point"}');
RESET smartregion.max_call_memory;
-- a stray coordinate (another unit, a typing error): a building 1e300 m east
-- of the others made the obstacle index's cell count overflow an int, and the
-- call asked for 18 exabytes (XX000 "invalid memory alloc request size");
-- now 22023 naming the span, in both samplings and in horizon_at
\set VERBOSITY default
SELECT count(*) FROM sky, smartregion.solar_cadastre($q$SELECT * FROM (VALUES
    (1::bigint, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 10.0),
    (2::bigint, ST_MakeEnvelope(1e300, 6519000, 1e300 + 1e290, 6519010, 2154), 10.0)) v(id, geom, height)$q$, s);
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT count(*) FROM sky, smartregion.solar_cadastre($q$SELECT * FROM (VALUES
    (1::bigint, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 10.0),
    (2::bigint, ST_MakeEnvelope(1e300, 6519000, 1e300 + 1e290, 6519010, 2154), 10.0)) v(id, geom, height)$q$, s,
  '{"sampling": "area"}');
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT smartregion.horizon_at('SRID=2154;POINT(842005 6519030 0)', $q$SELECT * FROM (VALUES
    (1::bigint, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 10.0),
    (2::bigint, ST_MakeEnvelope(1e300, 6519000, 1e300 + 1e290, 6519010, 2154), 10.0)) v(id, geom, height)$q$);
\echo sqlstate :LAST_ERROR_SQLSTATE
-- a viewpoint 1e15 m from the obstacles: nothing within its 300 m, an open
-- horizon (its cell in the index did not fit an int)
SELECT smartregion.horizon_elevations(h) = array_fill(0::float8, ARRAY[72]) AS open_horizon
  FROM smartregion.horizon_at('SRID=2154;POINT(1e15 6519030 0)',
         'SELECT 1::bigint AS id, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154) AS geom, 10.0 AS height') h;
-- a Mercator SRID (EPSG:3857) is refused as the zones refuse it: its metre is
-- cos(latitude) of the ground's (0.70 at Lyon, 45.76 N: 1 / cos = 1.43), so a
-- roof's area would come out 2.05 times too large and a neighbour 1.43 times
-- farther than it is, against heights in true metres
SELECT count(*) FROM sky, smartregion.solar_cadastre($q$SELECT 1::bigint AS id,
    ST_Transform(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 3857) AS geom, 10.0 AS height$q$, s);
SELECT smartregion.roof_plane(ST_Transform('SRID=2154;POLYGON Z((842000 6519000 10,842010 6519000 10,842010 6519010 12,842000 6519010 12,842000 6519000 10))'::geometry, 3857));
SELECT smartregion.horizon_at(ST_Transform('SRID=2154;POINT(842005 6519030 0)'::geometry, 3857),
  'SELECT 1::bigint AS id, ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154) AS geom, 10.0 AS height');
-- grid_convergence: a projected SRID in metres (the SRID policy), a point in its domain
\set VERBOSITY terse
SELECT smartregion.grid_convergence('SRID=4326;POINT(2 45)');
SELECT smartregion.grid_convergence('SRID=2154;POINT(1e300 6600000)');
SELECT smartregion.grid_convergence('SRID=2154;POINT EMPTY');
SELECT smartregion.grid_convergence('SRID=2154;LINESTRING(0 0, 1 1)');
\set VERBOSITY default
