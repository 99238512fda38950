-- Bad input of the solar functions.  Each call is run by pg_temp.try(),
-- which prints the SQLSTATE and the message: 22023 (invalid parameter
-- value), 22003 (out of range), 22P02 (malformed weather file), 22004 (NULL
-- element); messages name the parameter and the accepted range.
SET TimeZone = 'UTC';
\set SHOW_CONTEXT never
CREATE FUNCTION pg_temp.try(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  EXECUTE call;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;

SELECT n, pg_temp.try(call) AS result FROM (VALUES
 -- sun_position
 (1, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 91, 0)$$),
 (2, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', -90.5, 0)$$),
 (3, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 45, 180.5)$$),
 (4, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'NaN'::float8, 0)$$),
 (5, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 45, 'Infinity'::float8)$$),
 (6, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 45, 5, pressure_hpa => -1)$$),
 (7, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 45, 5, temperature_c => -300)$$),
 (17, $$SELECT smartregion.sun_position('2021-06-21 05:00Z', 45, 5, pressure_hpa => 5000, temperature_c => -272.99)$$),
 (18, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 45, 5, temperature_c => 100.5)$$),
 (8, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 45, 5, elevation_m => 'NaN')$$),
 (9, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 45, 5, delta_t_s => 1e6)$$),
 (10, $$SELECT smartregion.sun_position('infinity', 45, 5)$$),
 (11, $$SELECT smartregion.sun_position('7000-01-01 00:00Z', 45, 5)$$),
 (12, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=4326;LINESTRING(0 0,1 1)'::geometry)$$),
 (13, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'POINT(5 45)'::geometry)$$),
 (14, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=4326;POINT EMPTY'::geometry)$$),
 (15, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=4326;POINT(5 95)'::geometry)$$),
 (16, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=999999;POINT(5 45)'::geometry)$$),
 -- outside the SRID's domain: PROJ gives the South Pole (Lambert-93), the antimeridian
 -- (Web Mercator), the North Pole (World Mercator) or some place far south (Lambert-93's
 -- (1e8, 1e8)) without an error; the way back does not return to the point (the poles have
 -- no place in those projections: a pole given in a polar projection is accepted, solar.sql)
 (19, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=2154;POINT(1e300 1e300)'::geometry)$$),
 (24, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=3857;POINT(1e300 0)'::geometry)$$),
 (25, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=3395;POINT(0 1e300)'::geometry)$$),
 (26, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=2154;POINT(1e8 1e8)'::geometry)$$),
 -- sun_position(ts, geometry), read by the geometry bridge's reader of a place on Earth (as
 -- sky_clearsky's and sky_agg's location): a measured point is not a point (GeometryType
 -- POINTM); a point of NaN coordinates is not empty (ST_IsEmpty) but has a non-finite
 -- coordinate, in any SRID; the location, in SRID 4326 its range too (22003), is checked before ts
 (81, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=4326;POINTM(5 45 1)'::geometry)$$),
 (82, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=4326;GEOMETRYCOLLECTION EMPTY'::geometry)$$),
 (83, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', ST_SetSRID(ST_MakePoint('NaN', 'NaN'), 4326))$$),
 (84, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', ST_SetSRID(ST_MakePoint('NaN', 'NaN'), 2154))$$),
 (85, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', ST_SetSRID(ST_MakePoint('NaN', 45), 4326))$$),
 (86, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', ST_SetSRID(ST_MakePoint('NaN', 45), 2154))$$),
 (87, $$SELECT smartregion.sun_position('infinity', 'SRID=0;POINT EMPTY'::geometry)$$),
 (88, $$SELECT smartregion.sun_position('infinity', 'SRID=4326;POINT(5 45)'::geometry)$$),
 (89, $$SELECT smartregion.sun_position('2021-06-21 12:00Z', 'SRID=4326;POINT(200 45)'::geometry, elevation_m => 'NaN')$$),
 -- sun_times
 (20, $$SELECT smartregion.sun_times('2021-06-21', 45, 5, 30)$$),
 (21, $$SELECT smartregion.sun_times('infinity', 45, 5)$$),
 (22, $$SELECT smartregion.sun_times('2021-06-21', 45, 200)$$),
 (23, $$SELECT smartregion.sun_times('2021-06-21', 'NaN', 5)$$),
 -- sun_positions
 (30, $$SELECT count(*) FROM smartregion.sun_positions(ARRAY['2021-06-21 12:00Z']::timestamptz[], ARRAY[45.0, 46.0], ARRAY[5.0])$$),
 (31, $$SELECT count(*) FROM smartregion.sun_positions(ARRAY['2021-06-21 12:00Z']::timestamptz[], ARRAY[NULL, 46.0]::float8[], ARRAY[5.0, 5.0])$$),
 (32, $$SELECT count(*) FROM smartregion.sun_positions(ARRAY['2021-06-21 12:00Z']::timestamptz[], ARRAY[95.0], ARRAY[5.0])$$),
 (33, $$SELECT count(*) FROM smartregion.sun_positions(ARRAY['infinity']::timestamptz[], ARRAY[45.0], ARRAY[5.0])$$),
 (34, $$SELECT count(*) FROM smartregion.sun_positions('2021-01-01', '2021-12-31', '1 month', ARRAY[45.0], ARRAY[5.0])$$),
 (35, $$SELECT count(*) FROM smartregion.sun_positions('2021-01-01', '2021-12-31', '-1 hour', ARRAY[45.0], ARRAY[5.0])$$),
 (36, $$SELECT count(*) FROM smartregion.sun_positions('2021-01-01', '2021-01-02', '1 hour', ARRAY[45.0], ARRAY[5.0], ARRAY[0.0, 1.0])$$),
 (37, $$SELECT count(*) FROM smartregion.sun_positions('2021-01-01', '2021-01-02', '1 hour', ARRAY[45.0], ARRAY[5.0], pressure_hpa => 'NaN')$$),
 (38, $$SELECT count(*) FROM smartregion.sun_positions_grid(ARRAY['2021-06-21 12:00Z']::timestamptz[], ARRAY['NaN']::float8[], ARRAY[5.0])$$),
 -- irradiance
 (40, $$SELECT smartregion.extraterrestrial_irradiance('2021-06-21', 'kepler')$$),
 (41, $$SELECT smartregion.extraterrestrial_irradiance('2021-06-21', solar_constant => -1)$$),
 (42, $$SELECT smartregion.extraterrestrial_irradiance('-infinity')$$),
 (43, $$SELECT smartregion.relative_airmass(60, 'bogus')$$),
 (44, $$SELECT smartregion.relative_airmass('NaN')$$),
 (45, $$SELECT smartregion.relative_airmass(-5)$$),
 (46, $$SELECT smartregion.absolute_airmass(2, -100)$$),
 (47, $$SELECT smartregion.absolute_airmass('Infinity', 101325)$$),
 (64, $$SELECT smartregion.absolute_airmass(1e308, 500000)$$),
 (65, $$SELECT smartregion.extraterrestrial_irradiance('2021-01-01', 'spencer', 1.79e308)$$),
 (66, $$SELECT smartregion.absolute_airmass(-1, 101325)$$),
 -- a relative airmass below the zenith's 1 is no sun's (0.5 gave 0.5, 0
 -- gave 0); the fitted formulas dip to 0.99949 (Kasten 1966), accepted
 (95, $$SELECT smartregion.absolute_airmass(0.5, 101325)$$),
 (96, $$SELECT smartregion.absolute_airmass(0, 101325)$$),
 (97, $$SELECT smartregion.absolute_airmass(0.9989)$$),
 (98, $$SELECT smartregion.absolute_airmass(smartregion.relative_airmass(0, 'kasten1966'))$$),
 (99, $$SELECT smartregion.absolute_airmass(0.999, 22000)$$),
 (48, $$SELECT smartregion.clearsky_ineichen(30, 1.15, 0.1)$$),
 (49, $$SELECT smartregion.clearsky_ineichen('NaN', 1.15, 3)$$),
 (50, $$SELECT smartregion.clearsky_ineichen(30, -1, 3)$$),
 -- airmass 0 gave GHI 1184 W/m2; below 0.85 x the standard pressure ratio
 -- at the altitude no air is that thin (0.85 at sea level, 0.6669 at 2000 m)
 (67, $$SELECT smartregion.clearsky_ineichen(30, 0, 3)$$),
 (68, $$SELECT smartregion.clearsky_ineichen(0, 0.6, 3, 2000)$$),
 (69, $$SELECT smartregion.clearsky_ineichen(30, smartregion.absolute_airmass(smartregion.relative_airmass(30), 50000), 3)$$),
 -- absolute_airmass: pressure 0 gave airmass 0 (no air), 1013.25 (hPa
 -- given for Pa) 0.02, 500000 five atmospheres; no ground has such air:
 -- [22000, 120000] Pa
 (90, $$SELECT smartregion.absolute_airmass(2, 0)$$),
 (91, $$SELECT smartregion.absolute_airmass(2, 1013.25)$$),
 (92, $$SELECT smartregion.absolute_airmass(2, 500000)$$),
 (93, $$SELECT smartregion.absolute_airmass(2, 21999)$$),
 (94, $$SELECT smartregion.absolute_airmass(2, 120001)$$),
 -- poa_irradiance takes the range of absolute_airmass (it accepted 0.5)
 (100, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 1400, 0.5)$$),
 (101, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 1400, 0.9989, model => 'isotropic')$$),
 (102, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 1400, 0.999)$$),
 (103, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 1400, smartregion.relative_airmass(0, 'kasten1966'))$$),
 (51, $$SELECT smartregion.angle_of_incidence(200, 180, 30, 180)$$),
 (52, $$SELECT smartregion.angle_of_incidence(30, 180, 'NaN', 180)$$),
 (53, $$SELECT smartregion.poa_irradiance(181, 180, 40, 160, 700, 636, 100, 1400)$$),
 (54, $$SELECT smartregion.poa_irradiance(-1, 180, 40, 160, 700, 636, 100, 1400)$$),
 (55, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100)$$),
 (56, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, model => 'haydavies')$$),
 (57, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 1400, model => 'klucher')$$),
 (58, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 1400, albedo => 2)$$),
 (59, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, -5, 636, 100, 1400)$$),
 (60, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 'NaN', 1400)$$),
 (61, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 'Infinity')$$),
 (62, $$SELECT smartregion.poa_irradiance(30, 400, 40, 160, 700, 636, 100, 1400)$$),
 (63, $$SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100, 1400, 'NaN')$$),
 -- EPW
 (70, $$SELECT smartregion.epw_location('')$$),
 (71, $$SELECT smartregion.epw_location('hello world')$$),
 (72, $$SELECT smartregion.epw_location('LOCATION,x,y,z,s,1,north,5,1,100')$$),
 (73, $$SELECT smartregion.epw_location('LOCATION,x,y,z,s,1,45,5,30,100')$$),
 (74, $$SELECT count(*) FROM smartregion.epw_records(E'LOCATION,x,y,FRA,s,1,45,5,1,100\nDATA PERIODS,1,1,Data,Sunday,1/ 1,12/31\n2004,1,1,1,60,f,0.0,-2.0,85,99846,0,0,271,0,0,0,0,0,0,0,268,3.0,8,8\n2004,1,1,2,60,f,0.0,-2.0,85,99846,0,0,271,x,0,0,0,0,0,0,268,3.0,8,8\n')$$),
 (75, $$SELECT count(*) FROM smartregion.epw_records(E'LOCATION,x,y,FRA,s,1,45,5,1,100\n2004,13,1,1,60,f,0.0,-2.0,85,99846,0,0,271,0,0,0,0,0,0,0,268,3.0,8,8\n')$$),
 (76, $$SELECT count(*) FROM smartregion.epw_records(E'LOCATION,x,y,FRA,s,1,45,5,1,100\n2004,1,1\n')$$),
 (77, $$SELECT count(*) FROM smartregion.epw_records(E'LOCATION,x,y,FRA,s,1,45,5,1,100\nDATA PERIODS,1\n')$$),
 (78, $$SELECT count(*) FROM smartregion.epw_records(E'LOCATION,x,y,FRA,s,1,45,5,1,100\n2004,2,29,25,60,f,0.0,-2.0,85,99846,0,0,271,0,0,0,0,0,0,0,268,3.0,8,8\n')$$),
 (79, $$SELECT count(*) FROM smartregion.epw_records(E'LOCATION,x,y,FRA,s,1,45,5,1,100\n2004,1,1,1,60,f,0.0,-2.0,85,99846,0,0,271,0,0,0,0,0,0,0,268,3.0,8,8\nDESIGN CONDITIONS,0\n')$$)
) v(n, call)
ORDER BY n;

-- NULL propagates (STRICT), or gives NULL where documented
SELECT smartregion.sun_position(NULL, 45, 5) IS NULL AS sun_position,
       smartregion.sun_times(NULL, 45, 5) IS NULL AS sun_times,
       smartregion.relative_airmass(NULL) IS NULL AS airmass,
       smartregion.poa_irradiance(30, 180, NULL, 160, 700, 636, 100, 1400) IS NULL AS poa,
       (SELECT count(*) FROM smartregion.sun_positions(NULL::timestamptz[], ARRAY[45.0], ARRAY[5.0])) = 0 AS bulk,
       (SELECT count(*) FROM smartregion.epw_records(NULL)) = 0 AS epw;

-- details and hints, as the client sees them
SELECT smartregion.poa_irradiance(30, 180, 40, 160, 700, 636, 100);
SELECT smartregion.relative_airmass(60, 'bogus');
SELECT smartregion.clearsky_ineichen(30, 0, 3);
SELECT smartregion.absolute_airmass(0.5);
SELECT smartregion.epw_location('hello world');
SELECT count(*) FROM smartregion.epw_records(E'LOCATION,x,y,FRA,s,1,45,5,1,100\n2004,1,1\n');
SELECT smartregion.sun_position('2021-06-21 12:00Z', 'POINT(5 45)'::geometry);

-- an SRID missing from spatial_ref_sys is refused; inserted later in the same session
-- (a copy of Lambert-93 as 990154), it is found: the same sun as the point in 2154
SELECT smartregion.sun_position('2021-06-21 12:00Z', ST_SetSRID(ST_MakePoint(842000, 6519000), 990154));
BEGIN;
INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text)
SELECT 990154, 'test', 990154, srtext, proj4text FROM spatial_ref_sys WHERE srid = 2154;
SELECT (smartregion.sun_position('2021-06-21 12:00Z', ST_SetSRID(ST_MakePoint(842000, 6519000), 990154)))
     = (smartregion.sun_position('2021-06-21 12:00Z', ST_SetSRID(ST_MakePoint(842000, 6519000), 2154))) AS same_sun;
ROLLBACK;
