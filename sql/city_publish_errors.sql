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
DROP SCHEMA ce CASCADE;
