-- The extension's types and their wire formats (docs/cadastre.md, "The horizon and sky
-- types"): text and binary forms round-trip exactly, the sky's wire form is portable and
-- versioned, and a sky written by 0.1.0 (text "SKY2:", the raw x86-64 layout) still reads.
SET client_min_messages = warning;
CREATE SCHEMA ty;
SET search_path = ty, public;

-- A small sky, built from two days of synthetic hours at Lyon
CREATE TABLE w AS
SELECT t AS ts,
       greatest(0, 600 * sin(pi() * (extract(hour FROM t) - 6) / 12)) AS ghi,
       greatest(0, 500 * sin(pi() * (extract(hour FROM t) - 6) / 12)) AS dni,
       greatest(0, 150 * sin(pi() * (extract(hour FROM t) - 6) / 12)) AS dhi
  FROM generate_series('2019-06-01 01:00+00'::timestamptz, '2019-06-03 00:00+00', '1 hour') t;
CREATE TABLE sky AS
SELECT smartregion.sky_agg(ts, ghi, dni, dhi, ST_SetSRID(ST_MakePoint(4.85, 45.75), 4326)) AS s FROM w;

-- The current text form starts with SKY3: and reads back to the same bytes
SELECT left(s::text, 5) AS prefix, s::text::smartregion.sky::text = s::text AS text_round_trip
  FROM sky;

-- The fixture: the same sky written by smartregion 0.1.0 (sql/fixtures/sky_v2.txt, made
-- with the 0.1.0 release from the rows above). It reads, and it is the same sky: the same
-- summary and the same irradiation on a few planes as the one built now.
\set sky_v2 `cat sql/fixtures/sky_v2.txt`
SELECT left(:'sky_v2', 5) AS fixture_prefix;
CREATE TABLE old AS SELECT :'sky_v2'::smartregion.sky AS s;
SELECT smartregion.sky_summary(o.s) = smartregion.sky_summary(n.s) AS same_summary,
       bool_and(abs((smartregion.surface_irradiation(o.s, tilt, az)).annual_kwh_m2
                    - (smartregion.surface_irradiation(n.s, tilt, az)).annual_kwh_m2) < 1e-12) AS same_irradiation
  FROM old o, sky n, (VALUES (0, 180), (35, 180), (60, 90), (90, 270)) p(tilt, az)
 GROUP BY 1;
-- an old value is written out in the current form
SELECT left(s::text, 5) AS rewritten_prefix FROM old;

-- Binary send and receive (COPY BINARY): the same value comes back
COPY sky TO '/tmp/smartregion_types_sky.bin' (FORMAT binary);
CREATE TABLE sky_in (s smartregion.sky);
COPY sky_in FROM '/tmp/smartregion_types_sky.bin' (FORMAT binary);
SELECT a.s::text = b.s::text AS binary_round_trip FROM sky a, sky_in b;
-- the binary form is the portable wire form: magic "SRSK" and version 4 (3 before the
-- hours of issue 17), little-endian
SELECT encode(substr(decode(substr(s::text, 6), 'base64'), 1, 6), 'hex') AS header FROM sky;

-- Tampered values are refused, whatever the version
SELECT ('SKY3:' || replace(encode(set_byte(set_byte(decode(substr(s::text, 6), 'base64'), 4, 9), 5, 0), 'base64'), E'\n', ''))::smartregion.sky FROM sky;
SELECT ('SKY2:' || replace(encode(set_byte(decode(substr(:'sky_v2', 6), 'base64'), 0, 9), 'base64'), E'\n', ''))::smartregion.sky;
SELECT ('SKY2:' || replace(encode(substr(decode(substr(:'sky_v2', 6), 'base64'), 1, 400), 'base64'), E'\n', ''))::smartregion.sky;
-- a site elevation no sky can be built with is refused on input too: bytes 27-50 are the
-- site (latitude 45.75, longitude 4.85, elevation 0 m), the elevation becomes 1e306 m
SELECT substr(decode(substr(s::text, 6), 'base64'), 27, 24) = '\x0000000000e0464066666666666613400000000000000000'::bytea AS site_here FROM sky;
SELECT ('SKY3:' || replace(encode(overlay(decode(substr(s::text, 6), 'base64') placing '\x299023cae5c8767f'::bytea from 43 for 8), 'base64'), E'\n', ''))::smartregion.sky FROM sky;

-- horizon: text round trip with the shortest exact float text, binary round trip
CREATE TABLE h AS SELECT '{4:1.5,0.1,30,89.999}'::smartregion.horizon AS h;
SELECT h::text, h::text::smartregion.horizon::text = h::text AS text_round_trip FROM h;
COPY h TO '/tmp/smartregion_types_h.bin' (FORMAT binary);
CREATE TABLE h_in (h smartregion.horizon);
COPY h_in FROM '/tmp/smartregion_types_h.bin' (FORMAT binary);
SELECT a.h::text = b.h::text AS binary_round_trip FROM h a, h_in b;

RESET search_path;
DROP SCHEMA ty CASCADE;
