-- The small hub of web/tests/exposure.test.mjs: two flat 20 m roofs 40 m apart in one z16
-- tile, building 1 public (territory 91326), building 2 restricted (91479), their faces and
-- 1 m cells refreshed by the platform (as extension/tests/pgtap/security.sql does), and a
-- login role in smartregion_reader, the role make serve reads as.
--   psql -v pw=... -d <new database> -f web/tests/exposure-hub.sql
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE EXTENSION IF NOT EXISTS smartregion CASCADE;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hub') \gset
INSERT INTO hub.buildings (id, geom, height, territory_code, visibility)
SELECT i, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(640000 + 40 * i, 6840000, 640020 + 40 * i, 6840020, 2154), 80)), 10,
       CASE i WHEN 1 THEN '91326' ELSE '91479' END, CASE i WHEN 1 THEN 'public' ELSE 'restricted' END::smartregion.visibility
  FROM generate_series(1, 2) i;
CREATE TEMP TABLE sky AS SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(2.25, 48.6, 80), 4326)) AS sky;
SELECT inserted FROM smartregion.refresh_solar_roofs((SELECT sky FROM sky));
SELECT inserted FROM smartregion.refresh_solar_roof_cells((SELECT sky FROM sky));
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sr_web_reader') THEN CREATE ROLE sr_web_reader LOGIN; END IF;
END $$;
ALTER ROLE sr_web_reader LOGIN PASSWORD :'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT smartregion_reader TO sr_web_reader;
-- tile functions of a schema of their own (the server reads it with SR_TILE_SCHEMA): slow_tile
-- sleeps z seconds and counts its calls (to see whether a request's tile ran), leak_tile fails
-- with a database error whose message names a table (to see what the answer's body says)
DROP SCHEMA IF EXISTS sr_web_test CASCADE;
CREATE SCHEMA sr_web_test;
CREATE SEQUENCE sr_web_test.calls;
CREATE TABLE sr_web_test.secret_table (v text);
CREATE FUNCTION sr_web_test.slow_tile(z int, x int, y int) RETURNS bytea LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM nextval('sr_web_test.calls');
  PERFORM pg_sleep(z);
  RETURN ''::bytea;
END $$;
-- big_tile: 8 MiB of bytes, a tile larger than the sockets' kernel buffers (to see what a
-- client that stops reading it holds)
CREATE FUNCTION sr_web_test.big_tile(z int, x int, y int) RETURNS bytea LANGUAGE sql IMMUTABLE AS
  $$ SELECT convert_to(repeat('x', 8 * 1024 * 1024), 'SQL_ASCII') $$;
CREATE FUNCTION sr_web_test.leak_tile(z int, x int, y int) RETURNS bytea LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM count(*) FROM sr_web_test.secret_table;
  RETURN ''::bytea;
END $$;
GRANT USAGE ON SCHEMA sr_web_test TO sr_web_reader;
GRANT USAGE ON SEQUENCE sr_web_test.calls TO sr_web_reader;
-- hub tables an operator broke (docs/web.md, "Facing the internet"): the roofs copied with
-- their geometries' SRID lost (0: solar_tile raises 22023 "have no SRID"), and copied without
-- a column the tile reads (42703 "lacks potential_class"); small_tile's grid ends at zoom 10
-- (its 22023 "tile z/x/y does not exist" is the client's)
CREATE TABLE sr_web_test.roofs_nosrid AS SELECT * FROM hub.solar_roofs;
ALTER TABLE sr_web_test.roofs_nosrid ALTER COLUMN geom TYPE geometry USING ST_SetSRID(geom, 0);
CREATE TABLE sr_web_test.roofs_nocolumn AS SELECT * FROM hub.solar_roofs;
ALTER TABLE sr_web_test.roofs_nocolumn DROP COLUMN potential_class;
GRANT SELECT ON sr_web_test.roofs_nosrid, sr_web_test.roofs_nocolumn TO sr_web_reader;
CREATE FUNCTION sr_web_test.nosrid_tile(z int, x int, y int) RETURNS bytea LANGUAGE sql STABLE AS
  $$ SELECT smartregion.solar_tile(z, x, y, 'sr_web_test.roofs_nosrid') $$;
CREATE FUNCTION sr_web_test.nocolumn_tile(z int, x int, y int) RETURNS bytea LANGUAGE sql STABLE AS
  $$ SELECT smartregion.solar_tile(z, x, y, 'sr_web_test.roofs_nocolumn') $$;
CREATE FUNCTION sr_web_test.small_tile(z int, x int, y int) RETURNS bytea LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF z > 10 THEN RAISE EXCEPTION 'tile %/%/% does not exist', z, x, y USING ERRCODE = '22023'; END IF;
  RETURN ''::bytea;
END $$;
