-- Fixtures for tests/fuzz/fuzz.py: small valid inputs for every family.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS fz CASCADE;
CREATE SCHEMA fz;
SELECT count(*) FROM smartregion.create_hub('hub') WHERE NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'hub');
CREATE TABLE fz.zones AS SELECT * FROM (VALUES
  (10::bigint, ST_MakeEnvelope(0, 0, 100, 100, 2154)),
  (20::bigint, ST_MakeEnvelope(100, 0, 200, 100, 2154))) v(zone_id, geom);
CREATE TABLE fz.parcels AS SELECT * FROM (VALUES
  ('P1', ST_MakeEnvelope(0, 0, 50, 50, 2154), 'U1', 'owner-a'),
  ('P2', ST_MakeEnvelope(50, 0, 100, 50, 2154), 'U1', 'owner-a'),
  ('P3', ST_MakeEnvelope(0, 50, 70, 100, 2154), NULL, 'owner-b'),
  ('P5', ST_MakeEnvelope(140, 0, 200, 100, 2154), 'U2', 'owner-d')) v(parcel_id, geom, land_unit_id, owner_id);
CREATE TABLE fz.buildings AS SELECT * FROM (VALUES
  (1::bigint, ST_MakeEnvelope(10, 10, 30, 30, 2154), 2, 2015),
  (2::bigint, ST_MakeEnvelope(150, 10, 190, 40, 2154), NULL, 2022)) v(building_id, geom, levels, built_year);
CREATE TABLE fz.est AS
SELECT siret, ST_SetSRID(ST_MakePoint(x, y), 2154) AS geom, naf, headcount_band,
       start_date::date, end_date::date, cfe_liable
  FROM (VALUES
  ('E1', 20, 20, '62.01Z', '12', '2015-03-01', NULL, true),
  ('E2', 25, 75, '47.11F', '01', '2010-01-01', '2021-06-30', true),
  ('E4', 160, 60, '46.90Z', '21', '2023-05-01', NULL, true))
  v(siret, x, y, naf, headcount_band, start_date, end_date, cfe_liable);
-- a small scene near Lyon (Lambert-93) for the cadastre
CREATE TABLE fz.scene AS SELECT * FROM (VALUES
  (1::bigint, ST_MakeEnvelope(842000, 6519000, 842020, 6519010, 2154), 10.0::float8),
  (2::bigint, ST_MakeEnvelope(842000, 6518980, 842010, 6518990, 2154), 25.0::float8)) v(id, geom, height);
CREATE TABLE fz.sky AS SELECT smartregion.sky_clearsky('SRID=4326;POINT(4.9378 45.7261 198)'::geometry) AS s;
CREATE TABLE fz.weather AS
SELECT ts, greatest(0, 800 * sin(pi() * (extract(hour FROM ts) - 6) / 12))::float8 AS ghi,
       greatest(0, 600 * sin(pi() * (extract(hour FROM ts) - 6) / 12))::float8 AS dni,
       greatest(0, 150 * sin(pi() * (extract(hour FROM ts) - 6) / 12))::float8 AS dhi,
       12.0::float8 AS temp_air, 2.0::float8 AS wind_speed
  FROM generate_series('2019-01-01 00:00Z'::timestamptz, '2019-12-31 23:00Z', '1 hour') ts;
CREATE TABLE fz.projects AS SELECT * FROM (VALUES (1::bigint, 2.35::float8, 48.85::float8), (2, 2.36, 48.86)) v(id, lon, lat);
CREATE TABLE fz.premises AS SELECT n::bigint AS id, 2.35::float8 AS lon, (48.85 + n * 0.01)::float8 AS lat FROM generate_series(1, 5) n;
CREATE TABLE fz.pairs AS SELECT * FROM (VALUES (1::bigint, 10::bigint, 0.5::float8), (1, 11, 0.7), (2, 10, 0.9)) v(project_id, premise_id, score);
CREATE TABLE fz.cells AS SELECT * FROM (VALUES ('a'::text, 'x'::text, 5::bigint, 10.0::float8), ('a', 'y', 1, 3.0), ('b', 'x', 7, 2.0)) v(row_key, col_key, n, value);
CREATE TABLE fz.cube AS SELECT 1::bigint AS id,
  'SRID=2154;POLYHEDRALSURFACE Z (((0 0 0,0 10 0,10 10 0,10 0 0,0 0 0)),((0 0 10,10 0 10,10 10 10,0 10 10,0 0 10)),((0 0 0,10 0 0,10 0 10,0 0 10,0 0 0)))'::geometry AS geom;
CREATE EXTENSION IF NOT EXISTS postgis_raster;
CREATE TABLE fz.dem AS SELECT ST_AddBand(ST_MakeEmptyRaster(100, 100, 0, 100, 1, -1, 0, 0, 2154), 1, '32BF'::text, 10, NULL) AS rast;
CREATE TABLE fz.pts AS SELECT 1::bigint AS id, 4.85::float8 AS lon, 45.76::float8 AS lat;
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TABLE fz.epw AS SELECT :'epw'::text AS content;
