-- Bad inputs of city_gltf and city_tileset and their errors (docs/errors.md).  The first
-- block runs the malformed queries of sql/query_arguments.sql against surfaces_sql: the
-- shared reader gives the same SQLSTATEs and messages as to every other *_sql argument.
SET client_min_messages = warning;
CREATE SCHEMA ce;
CREATE TABLE ce.scratch (x int);
CREATE FUNCTION ce.try(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT f, m.what, ce.try(CASE f WHEN 'city_gltf' THEN format('SELECT length(smartregion.city_gltf(%L))', m.q)
                                ELSE format('SELECT count(*) FROM smartregion.city_tileset(%L)', m.q) END) AS result
  FROM unnest(ARRAY['city_gltf', 'city_tileset']) f,
       (VALUES (1, 'empty text', ''), (2, 'two statements', 'SELECT 1; SELECT 2'),
               (3, 'a statement that writes', 'DELETE FROM ce.scratch RETURNING *'),
               (4, 'syntax error', 'SELEC 1'),
               (5, 'missing column', 'SELECT 1 AS nothing'),
               (6, 'column named twice', 'SELECT 1 AS id, 2 AS id'),
               (7, 'wrong type', 'SELECT point(0, 0) AS id, NULL::geometry AS geom'),
               (8, 'NULL id', 'SELECT NULL::bigint AS id, ''POINT(0 0)''::geometry AS geom'),
               (9, 'NULL geom', 'SELECT 1 AS id, NULL::geometry AS geom'),
               (10, 'properties not jsonb', 'SELECT 1 AS id, NULL::geometry AS geom, 1 AS properties'))
         AS m(k, what, q)
 ORDER BY f, m.k;

-- NULL arguments
SELECT smartregion.city_gltf(NULL);
SELECT * FROM smartregion.city_tileset(NULL);
SELECT length(smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', NULL)) > 0 AS null_options_are_defaults;

-- geometries: not a surface; a geographic SRID; two SRIDs
-- a city object's id is text ({19935DFC-...} in the Rotterdam file): feature_id is a bigint,
-- and the hint says how to number ids that no cast turns into one
SELECT smartregion.city_gltf('SELECT 1 AS id, ''{19935DFC-F7B3-4D6E-92DD-C48EE1D1519A}''::text AS feature_id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom');
SELECT length(smartregion.city_gltf('SELECT 1 AS id, dense_rank() OVER (ORDER BY o) AS feature_id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom FROM (VALUES (''{19935DFC-F7B3-4D6E-92DD-C48EE1D1519A}'')) v(o)')) > 0 AS numbered;
SELECT smartregion.city_gltf('SELECT 7 AS id, ''POINT Z (0 0 0)''::geometry AS geom');
SELECT smartregion.city_gltf('SELECT 7 AS id, ''LINESTRING Z (0 0 0, 1 1 1)''::geometry AS geom');
SELECT smartregion.city_gltf('SELECT 1 AS id, ST_SetSRID(''POLYGON Z ((4.8 45.7 0,4.9 45.7 0,4.9 45.8 0,4.8 45.7 0))''::geometry, 4326) AS geom');
SELECT smartregion.city_gltf('SELECT 1 AS id, ST_SetSRID(''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry, 2154) AS geom
                              UNION ALL SELECT 2, ST_SetSRID(''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry, 3946)');
-- an SRID spatial_ref_sys does not have: the bridge's one message (22023), as for every
-- other family, whether the reader meets it or the ECEF transformation (enu frame, tileset)
SELECT ce.try('SELECT length(smartregion.city_gltf(''SELECT 1 AS id, ST_SetSRID(''''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''''::geometry, 990999) AS geom''))') AS gltf,
       ce.try('SELECT count(*) FROM smartregion.city_tileset(''SELECT 1 AS id, ST_SetSRID(''''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''''::geometry, 990999) AS geom'')') AS tileset,
       ce.try('SELECT smartregion.sun_position(''2021-06-21 12:00Z'', ''SRID=990999;POINT(1 1)''::geometry)') AS sun_position;
-- a place on Earth is needed: a tileset, the enu frame
SELECT * FROM smartregion.city_tileset('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"frame": "enu"}');

-- rows: a colour that is not one; properties that are not an object
SELECT smartregion.city_gltf('SELECT 3 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom, ''red'' AS color');
SELECT smartregion.city_gltf('SELECT 4 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom, ''[1, 2]''::jsonb AS properties');

-- options
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '[]');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"max_features": 10}');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"ramp": "rainbow"}');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"color": "#12"}');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"wall_color": 5}');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"value_min": 10, "value_max": 5}');
-- a number past the double range: the option named (out of range, or not its type)
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"value_min": 1e400}');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"ramp": 1e400}');
SELECT smartregion.city_gltf('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"value_name": ""}');
SELECT * FROM smartregion.city_tileset('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"max_features": 0}');
SELECT * FROM smartregion.city_tileset('SELECT 1 AS id, ''POLYGON Z ((0 0 0,1 0 0,1 1 0,0 0 0))''::geometry AS geom', '{"frame": "enu"}');
-- coordinates past float32 relative to the origin: 22003, not inf in the GLB's JSON
SELECT smartregion.city_gltf('SELECT 1 AS id, ''SRID=2154;POLYGON Z((0 0 0,1e300 0 0,1e300 1e300 0,0 0 0))''::geometry AS geom');
-- smartregion.max_call_memory: every surface is held until the call ends, at
-- city_gltf's 1,800 bytes a row and 455 a point, 1,060 more a point of a row
-- with a ground_z (its walls), and city_tileset's 1,750, 120 and 280
-- (sr_city3d.h, measured in docs/performance-cadastre.md).  A 3D rectangle
-- with its SRID is 1 + 4 + 4 + 4 + 4 + 5 x 24 = 137 bytes of EWKB (shown),
-- 137 / 24 = 5.708333 points: city_gltf 1,800 + 455 x 5.708333 = 4,397.29
-- bytes a roof, 4,397.29 + 1,060 x 5.708333 = 10,448.13 with walls;
-- city_tileset 1,750 + 685 = 2,435, 2,435 + 1,598.33 = 4,033.33 with walls.
-- city_gltf at its limit: 39 kB = 39,936 bytes hold 9 roofs (39,575.63, 360
-- bytes under) and not 10 (43,972.92); 3 with walls (31,344.38) and not 4
-- (41,792.50); the first alone with walls and 6 others (10,448.13 +
-- 26,383.75 = 36,831.88) and not 7 others (41,229.17).  40 kB = 40,960 bytes
-- hold 16 roofs of city_tileset (38,960) and not 17 (41,395); 10 with walls
-- (40,333.33) and not 11 (44,366.67).
SELECT octet_length(ST_AsEWKB(ST_Force3DZ(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 10.0))) AS ewkb_bytes;
CREATE FUNCTION ce.roofs(n int, walls text DEFAULT 'NULL') RETURNS text LANGUAGE sql AS $f$
  SELECT format('SELECT i AS id, ST_Force3DZ(ST_MakeEnvelope(842000 + 25 * i, 6519000, 842010 + 25 * i, 6519010, 2154), 10.0) AS geom,
                        (%s)::float8 AS ground_z FROM generate_series(1, %s) i', walls, n) $f$;
SET smartregion.max_call_memory = '39kB';
SELECT length(smartregion.city_gltf(ce.roofs(9))) > 0 AS glb_of_9;
SELECT length(smartregion.city_gltf(ce.roofs(10))) > 0 AS glb_of_10;
SELECT length(smartregion.city_gltf(ce.roofs(3, '0.0'))) > 0 AS glb_of_3_with_walls;
SELECT length(smartregion.city_gltf(ce.roofs(4, '0.0'))) > 0 AS glb_of_4_with_walls;
SELECT length(smartregion.city_gltf(ce.roofs(7, 'CASE WHEN i = 1 THEN 0.0 END'))) > 0 AS glb_of_7_one_with_walls;
SELECT length(smartregion.city_gltf(ce.roofs(8, 'CASE WHEN i = 1 THEN 0.0 END'))) > 0 AS glb_of_8_one_with_walls;
SET smartregion.max_call_memory = '40kB';
SELECT count(*) > 0 AS tileset_of_16 FROM smartregion.city_tileset(ce.roofs(16));
SELECT count(*) > 0 AS tileset_of_17 FROM smartregion.city_tileset(ce.roofs(17));
SELECT count(*) > 0 AS tileset_of_10_with_walls FROM smartregion.city_tileset(ce.roofs(10, '0.0'));
SELECT count(*) > 0 AS tileset_of_11_with_walls FROM smartregion.city_tileset(ce.roofs(11, '0.0'));
RESET smartregion.max_call_memory;
-- geometries whose coordinates are not of their SRID: placed on the Earth all the same (PROJ
-- raises nothing), with a WARNING counting the vertices outside the area of use of the SRID's
-- CRS. A 10 m square 1e8 m from Lambert-93's origin (its 4 vertices) went to the South Pole
-- (-86 S) silently; the same square in Lyon (842000, 6519000) is inside France
SELECT count(*) AS rows FROM smartregion.city_tileset('SELECT 1 AS id, ''SRID=2154;POLYGON Z((100000000 100000000 0,100000010 100000000 0,100000010 100000010 0,100000000 100000010 0,100000000 100000000 0))''::geometry AS geom');
SELECT octet_length(smartregion.city_gltf('SELECT 1 AS id, ''SRID=2154;POLYGON Z((100000000 100000000 0,100000010 100000000 0,100000010 100000010 0,100000000 100000010 0,100000000 100000000 0))''::geometry AS geom', '{"frame": "enu"}')) > 0 AS glb;
SELECT count(*) AS rows FROM smartregion.city_tileset('SELECT 1 AS id, ''SRID=2154;POLYGON Z((842000 6519000 0,842010 6519000 0,842010 6519010 0,842000 6519010 0,842000 6519000 0))''::geometry AS geom');
-- a world CRS: Web Mercator's x past its bound of 20037508.34 m, which PROJ wraps round (3e7 m
-- is placed at 90.51 W: city3d_errors.sql works it out), is outside its area of use; the square
-- in Paris is not (no WARNING before for either)
SELECT count(*) AS rows FROM smartregion.city_tileset('SELECT 1 AS id, ''SRID=3857;POLYGON Z((30000000 6250566 0,30000010 6250566 0,30000010 6250576 0,30000000 6250576 0,30000000 6250566 0))''::geometry AS geom');
SELECT count(*) AS rows FROM smartregion.city_tileset('SELECT 1 AS id, ''SRID=3857;POLYGON Z((261845 6250566 0,261855 6250566 0,261855 6250576 0,261845 6250576 0,261845 6250566 0))''::geometry AS geom');
-- city_gltf's local frame draws the SRID's plane as it is: that square in Web Mercator is
-- 10 x cos(48.85 deg) = 6.58 m wide on the ground against heights in true metres, a model
-- 1.52 times too wide in Paris (1.43 in Lyon): refused (22023) as by the functions measuring
-- in the SRID's plane; the enu frame, where every vertex goes through PROJ, still takes it
SELECT octet_length(smartregion.city_gltf('SELECT 1 AS id, ''SRID=3857;POLYGON Z((261845 6250566 0,261855 6250566 0,261855 6250576 0,261845 6250576 0,261845 6250566 0))''::geometry AS geom')) > 0 AS glb;
\echo sqlstate :LAST_ERROR_SQLSTATE
SELECT octet_length(smartregion.city_gltf('SELECT 1 AS id, ''SRID=3857;POLYGON Z((261845 6250566 0,261855 6250566 0,261855 6250576 0,261845 6250576 0,261845 6250566 0))''::geometry AS geom', '{"frame": "enu"}')) > 0 AS glb;
-- a huge polygon is cancelled: ear clipping is quadratic on a star (every other vertex reflex),
-- and the triangulation had no interrupt check: a million-point star ran 9 minutes in city_gltf
-- and city_tileset, through statement_timeout, pg_cancel_backend and pg_terminate_backend. This
-- 400,000-point star takes about a minute to cut; now a 2 s timeout stops it within the next
-- millisecond: cancelled, having spent at most a second of CPU beyond the timeout.  CPU time,
-- not the wall clock: the triangulation runs on one thread, whose CPU never runs ahead of the
-- wall clock, so the CPU beyond the timeout is at most what it spent after the timeout fired,
-- which a loaded machine does not stretch (a wall-clock bound fails there, the backend
-- waiting for a core)
CREATE TABLE ce.star AS
SELECT 1::bigint AS id, ST_SetSRID(ST_MakePolygon(ST_AddPoint(l, ST_StartPoint(l))), 2154) AS geom
  FROM (SELECT ST_MakeLine(array_agg(ST_MakePoint(842000 + r * cos(a), 6519000 + r * sin(a), 10) ORDER BY i)) AS l
          FROM (SELECT i, 2 * pi() * i / 400000 AS a, CASE WHEN i % 2 = 0 THEN 100 ELSE 150 END AS r
                  FROM generate_series(0, 399999) i) p) s;
-- (the CPU time of this backend, every thread of it, in ms: utime + stime of Linux's
-- /proc/self/stat, in clock ticks of 10 ms)
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS $$
  SELECT 10 * (f[12]::float8 + f[13]::float8)
    FROM (SELECT string_to_array((regexp_match(pg_read_file('/proc/self/stat'), '^.*\) (.*)$'))[1], ' ') AS f) s
$$;
-- (NULL when q finished; else the CPU, in ms, spent beyond timeout_ms)
CREATE FUNCTION pg_temp.late_ms(q text, timeout_ms int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE c0 float8 := pg_temp.cpu_ms();
BEGIN
  EXECUTE q;
  RETURN NULL;   -- not cancelled
EXCEPTION WHEN query_canceled THEN
  RETURN pg_temp.cpu_ms() - c0 - timeout_ms;
END $$;
SET smartregion.max_threads = 1;
SET statement_timeout = 2000;
SELECT coalesce(pg_temp.late_ms('SELECT smartregion.city_gltf(''SELECT id, geom FROM ce.star'')', 2000) < 1000, false)
       AS gltf_star_cancelled_promptly;
SELECT coalesce(pg_temp.late_ms('SELECT count(*) FROM smartregion.city_tileset(''SELECT id, geom FROM ce.star'')', 2000) < 1000, false)
       AS tileset_star_cancelled_promptly;
RESET statement_timeout;
RESET smartregion.max_threads;
DROP SCHEMA ce CASCADE;
