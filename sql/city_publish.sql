-- city_gltf and city_tileset (docs/city3d-publish.md): the GLB's layout read back in SQL,
-- counts worked by hand from the input polygons.  The full checks with the Khronos
-- validator and a glTF reader are in scripts/test-city3d.sh.
SET client_min_messages = warning;
CREATE SCHEMA c3;
-- the parts of a GLB: header, JSON chunk (as jsonb), BIN chunk length
CREATE FUNCTION c3.u32(b bytea, o int) RETURNS bigint LANGUAGE sql IMMUTABLE AS
$$ SELECT get_byte(b, o)::bigint + (get_byte(b, o + 1)::bigint << 8) + (get_byte(b, o + 2)::bigint << 16)
          + (get_byte(b, o + 3)::bigint << 24) $$;
CREATE FUNCTION c3.json(b bytea) RETURNS jsonb LANGUAGE sql IMMUTABLE AS
$$ SELECT convert_from(substring(b FROM 21 FOR c3.u32(b, 12)::int), 'UTF8')::jsonb $$;

-- a unit cube: 6 faces x 4 points = 24 vertices, 6 x 2 = 12 triangles
CREATE TABLE c3.cube AS SELECT 1 AS id, 'POLYHEDRALSURFACE Z (((0 0 0,0 1 0,1 1 0,1 0 0,0 0 0)),((0 0 1,1 0 1,1 1 1,0 1 1,0 0 1)),((0 0 0,1 0 0,1 0 1,0 0 1,0 0 0)),((1 1 0,0 1 0,0 1 1,1 1 1,1 1 0)),((0 0 0,0 0 1,0 1 1,0 1 0,0 0 0)),((1 0 0,1 1 0,1 1 1,1 0 1,1 0 0)))'::geometry AS geom;
CREATE TABLE c3.g AS SELECT smartregion.city_gltf('SELECT id, geom FROM c3.cube') AS b;
SELECT encode(substring(b FROM 1 FOR 4), 'escape') AS magic, c3.u32(b, 4) AS version,
       c3.u32(b, 8) = octet_length(b) AS length_ok, c3.u32(b, 12) % 4 = 0 AS json_aligned,
       c3.u32(b, 16) = 1313821514 AS json_chunk, c3.u32(b, 24 + c3.u32(b, 12)::int) = 5130562 AS bin_chunk
  FROM c3.g;
SELECT j #> '{asset,version}' AS version, j -> 'extensionsUsed' AS extensions,
       j #> '{accessors,0,count}' AS vertices, j #> '{accessors,0,min}' AS min, j #> '{accessors,0,max}' AS max,
       (j #>> '{accessors,3,count}')::int / 3 AS triangles, j #> '{accessors,3,componentType}' AS index_type,
       j #> '{meshes,0,primitives,0,attributes}' AS attributes,
       j #> '{meshes,0,primitives,0,extensions,EXT_mesh_features,featureIds,0}' AS feature_ids,
       j #> '{materials,0,doubleSided}' AS double_sided
  FROM (SELECT c3.json(b) AS j FROM c3.g) s;
-- the origin is the rounded centre (0.5 -> 1); the data's SRID and frame in the extras
SELECT (j #> '{asset,extras,smartregion}') - 'ramp_stops' AS extras FROM (SELECT c3.json(b) AS j FROM c3.g) s;

-- an L-shaped roof with a courtyard and a square roof, walls down to ground_z:
-- L: 6 + 4 points, 10 + 2 - 2 = 10 triangles, 10 edges -> 10 walls (40 points, 20 triangles);
-- square: 4 points, 2 triangles, 4 walls (16 points, 8 triangles): 70 vertices, 40 triangles
CREATE TABLE c3.lroof (id bigint, geom geometry, value float8, ground_z float8, properties jsonb);
INSERT INTO c3.lroof VALUES
 (10, ST_GeomFromText('POLYGON Z ((842000 6519000 180,842020 6519000 180,842020 6519010 180,842010 6519010 180,842010 6519020 180,842000 6519020 180,842000 6519000 180),(842003 6519003 180,842007 6519003 180,842007 6519007 180,842003 6519007 180,842003 6519003 180))', 2154),
  1200, 170, '{"name": "L", "levels": 3, "listed": true}'),
 (20, ST_GeomFromText('POLYGON Z ((842040 6519000 176,842048 6519000 176,842048 6519006 176,842040 6519006 176,842040 6519000 176))', 2154),
  900, 170, '{"name": "square", "levels": "three"}');
CREATE TABLE c3.l AS SELECT c3.json(smartregion.city_gltf('SELECT id, geom, value, ground_z, properties FROM c3.lroof',
                                                         '{"value_name": "kwh_m2"}')) AS j;
SELECT j #> '{accessors,0,count}' AS vertices, (j #>> '{accessors,3,count}')::int / 3 AS triangles,
       j #> '{meshes,0,primitives,0,extensions,EXT_mesh_features,featureIds,0,featureCount}' AS features,
       j #> '{asset,extras,smartregion,walls}' AS walls, j #> '{asset,extras,smartregion,value_range}' AS value_range
  FROM c3.l;
-- the feature table: feature_id, the value, one column per member (levels mixes a number
-- and a string: text; listed is missing on one feature: text too, booleans have no "no data")
SELECT key AS property, value - 'name' AS definition
  FROM c3.l, jsonb_each(j #> '{extensions,EXT_structural_metadata,schema,classes,feature,properties}')
 ORDER BY key;
SELECT j #> '{extensions,EXT_structural_metadata,propertyTables,0,count}' AS rows,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(j #> '{extensions,EXT_structural_metadata,propertyTables,0,properties}') k) AS columns
  FROM c3.l;

-- a polygon whose "hole" lies beside it, outside its exterior ring (invalid), is skipped and
-- counted, as a degenerate one is: ear clipping drew 550 m2 of triangles for its 400 m2 square
-- (before 2026-12-06); the 10 m square beside it is drawn: 4 vertices, 2 triangles
SELECT j #> '{asset,extras,smartregion,skipped_faces}' AS skipped_faces, j #> '{accessors,0,count}' AS vertices,
       (j #>> '{accessors,3,count}')::int / 3 AS triangles
  FROM (SELECT c3.json(smartregion.city_gltf($q$
          SELECT 1 AS id, 'POLYGON Z((0 0 10,20 0 10,20 20 10,0 20 10,0 0 10),(25 5 10,25 15 10,35 15 10,35 5 10,25 5 10))'::geometry AS geom
          UNION ALL SELECT 2, 'POLYGON Z((40 0 10,50 0 10,50 10 10,40 10 10,40 0 10))' $q$)) AS j) s;

-- with walls down to z 0, the skipped face builds none: before 2026-12-06 its exterior's 4
-- edges and its hole's 4 stood as 8 walls under nothing (12 walls); the square's 4 are built,
-- the 8 counted (skipped_walls)
SELECT j #> '{asset,extras,smartregion,walls}' AS walls, j #> '{asset,extras,smartregion,skipped_walls}' AS skipped_walls,
       j #> '{asset,extras,smartregion,skipped_faces}' AS skipped_faces
  FROM (SELECT c3.json(smartregion.city_gltf($q$
          SELECT 1 AS id, 'POLYGON Z((0 0 10,20 0 10,20 20 10,0 20 10,0 0 10),(25 5 10,25 15 10,35 15 10,35 5 10,25 5 10))'::geometry AS geom,
                 0.0::float8 AS ground_z
          UNION ALL SELECT 2, 'POLYGON Z((40 0 10,50 0 10,50 10 10,40 10 10,40 0 10))', 0 $q$)) AS j) s;
-- empty geometries of any type are skipped and counted (GEOMETRYCOLLECTION EMPTY, what
-- ST_Intersection gives for no overlap, was 22023 where POLYGON EMPTY gave a GLB): the
-- square alone, 4 vertices; city_tileset of empties alone returns no rows, as of no rows
SELECT j #> '{asset,extras,smartregion,empty_geometries}' AS empty_geometries, j #> '{accessors,0,count}' AS vertices
  FROM (SELECT c3.json(smartregion.city_gltf($q$
          SELECT 1 AS id, 'GEOMETRYCOLLECTION EMPTY'::geometry AS geom UNION ALL SELECT 2, 'POLYGON EMPTY'
          UNION ALL SELECT 3, 'MULTIPOLYGON Z EMPTY' UNION ALL SELECT 4, 'POINT EMPTY'
          UNION ALL SELECT 5, 'POLYGON Z((40 0 10,50 0 10,50 10 10,40 10 10,40 0 10))' $q$)) AS j) s;
SELECT count(*) AS rows FROM smartregion.city_tileset($q$
  SELECT 1 AS id, ST_SetSRID('GEOMETRYCOLLECTION EMPTY'::geometry, 2154) AS geom UNION ALL SELECT 2, ST_SetSRID('POLYGON EMPTY'::geometry, 2154) $q$);

-- a feature with nothing drawn is no feature (since 2026-12-07; a review found it counted in
-- "features" and as a row of the property table, with no vertex carrying its id): feature 1 is
-- two faces of no area (their points on a line: skipped_faces 2), feature 3 an empty geometry;
-- feature 2, a 10 m square, is the one drawn: 4 vertices, 2 triangles, featureCount 1, one row
-- of the property table; skipped_features 2. Its columns are feature_id, mixed and name:
-- only_here, a member of feature 1 alone, is no column, and mixed, text on feature 1 and a
-- number on feature 2, is a number (FLOAT64) — before: 3 features, 3 rows, 4 columns, mixed text
CREATE TABLE c3.undrawn (id bigint, feature_id bigint, geom geometry, properties jsonb);
INSERT INTO c3.undrawn VALUES
 (1, 1, ST_GeomFromText('POLYGON Z((842000 6519000 10,842010 6519000 10,842020 6519000 10,842000 6519000 10))', 2154),
  '{"name": "flat", "only_here": 1, "mixed": "x"}'),
 (2, 1, ST_GeomFromText('POLYGON Z((842000 6519000 10,842000 6519010 10,842000 6519020 10,842000 6519000 10))', 2154), NULL),
 (3, 2, ST_GeomFromText('POLYGON Z((842040 6519000 10,842050 6519000 10,842050 6519010 10,842040 6519010 10,842040 6519000 10))', 2154),
  '{"name": "square", "mixed": 3}'),
 (4, 3, ST_SetSRID('POLYGON EMPTY'::geometry, 2154), '{"name": "empty"}');
SELECT j #> '{meshes,0,primitives,0,extensions,EXT_mesh_features,featureIds,0,featureCount}' AS feature_count,
       j #> '{extensions,EXT_structural_metadata,propertyTables,0,count}' AS table_rows,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(j #> '{extensions,EXT_structural_metadata,propertyTables,0,properties}') k) AS columns,
       j #>> '{extensions,EXT_structural_metadata,schema,classes,feature,properties,mixed,componentType}' AS mixed_type,
       j #> '{asset,extras,smartregion,features}' AS features, j #> '{asset,extras,smartregion,skipped_features}' AS skipped_features,
       j #> '{asset,extras,smartregion,skipped_faces}' AS skipped_faces, j #> '{asset,extras,smartregion,empty_geometries}' AS empty_geometries,
       j #> '{accessors,0,count}' AS vertices, (j #>> '{accessors,3,count}')::int / 3 AS triangles
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, feature_id, geom, properties FROM c3.undrawn')) AS j) s;
-- the same in a tileset: one tile of one feature; tileset.json counts 1 feature, 2 skipped
SELECT count(*) FILTER (WHERE path LIKE 'tiles/%') AS tiles,
       sum((c3.json(content) #>> '{meshes,0,primitives,0,extensions,EXT_mesh_features,featureIds,0,featureCount}')::int)
         FILTER (WHERE path <> 'tileset.json') AS feature_count,
       max(convert_from(content, 'UTF8')::jsonb #>> '{extras,smartregion,features}') FILTER (WHERE path = 'tileset.json') AS features,
       max(convert_from(content, 'UTF8')::jsonb #>> '{extras,smartregion,skipped_features}') FILTER (WHERE path = 'tileset.json') AS skipped_features
  FROM smartregion.city_tileset('SELECT id, feature_id, geom, properties FROM c3.undrawn');

-- the ramp's default range (the legend's value_range) is that of the rows drawn (since
-- 2026-12-07; before, a value on a face skipped or an empty geometry counted): squares of 0
-- and 100 are drawn, a face of no area (points on a line) of 10000 is skipped, an empty
-- geometry of -500 too; by hand: min(0, 100) = 0, max(0, 100) = 100 -> [0, 100] (before:
-- [-500, 10000], both squares near the ramp's first colour); the same in tileset.json; a bound
-- given is kept as given: value_max 5000 -> [0, 5000]. Counts: features 2 (the squares, each
-- its own), skipped_faces 1, empty_geometries 1
CREATE TABLE c3.skipval (id bigint, geom geometry, value float8);
INSERT INTO c3.skipval VALUES
 (1, ST_GeomFromText('POLYGON Z((842000 6519000 10,842010 6519000 10,842010 6519010 10,842000 6519010 10,842000 6519000 10))', 2154), 0),
 (2, ST_GeomFromText('POLYGON Z((842020 6519000 10,842030 6519000 10,842030 6519010 10,842020 6519010 10,842020 6519000 10))', 2154), 100),
 (3, ST_GeomFromText('POLYGON Z((842000 6519020 10,842010 6519020 10,842020 6519020 10,842000 6519020 10))', 2154), 10000),
 (4, ST_SetSRID('POLYGON EMPTY'::geometry, 2154), -500);
SELECT j #> '{asset,extras,smartregion,value_range}' AS value_range,
       j #> '{asset,extras,smartregion,features}' AS features, j #> '{asset,extras,smartregion,skipped_faces}' AS skipped_faces,
       j #> '{asset,extras,smartregion,empty_geometries}' AS empty_geometries
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, geom, value FROM c3.skipval')) AS j) s;
SELECT convert_from(content, 'UTF8')::jsonb #> '{extras,smartregion,value_range}' AS tileset_value_range
  FROM smartregion.city_tileset('SELECT id, geom, value FROM c3.skipval') WHERE path = 'tileset.json';
SELECT j #> '{asset,extras,smartregion,value_range}' AS value_range
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, geom, value FROM c3.skipval', '{"value_max": 5000}')) AS j) s;
-- values on undrawn rows only (the squares' taken away): no value at all, so no value_range
-- and no value column (feature_id alone); before: value_range [-500, 10000], a value column
SELECT j #> '{asset,extras,smartregion}' ? 'value_range' AS has_value_range,
       (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(j #> '{extensions,EXT_structural_metadata,propertyTables,0,properties}') k) AS columns
  FROM (SELECT c3.json(smartregion.city_gltf(
          'SELECT id, geom, CASE WHEN id > 2 THEN value END AS value FROM c3.skipval')) AS j) s;

-- options: no metadata; a colour column; the ramp's range given
SELECT j ? 'extensionsUsed' AS has_extensions, j #> '{meshes,0,primitives,0,attributes}' ? '_FEATURE_ID_0' AS has_feature_ids
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, geom FROM c3.cube', '{"metadata": false}')) AS j) s;
SELECT j #> '{asset,extras,smartregion,value_range}' AS value_range, j #> '{asset,extras,smartregion,ramp}' AS ramp
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, geom, value FROM c3.lroof',
                                            '{"value_min": 0, "value_max": 2000, "ramp": "viridis"}')) AS j) s;
-- a colour with alpha makes the material blend
SELECT j #> '{materials,0,alphaMode}' AS alpha_mode
  FROM (SELECT c3.json(smartregion.city_gltf($$SELECT id, geom, '#ff000080' AS color FROM c3.cube$$)) AS j) s;
-- the enu frame: the origin in ECEF and the ENU -> ECEF matrix in the extras
SELECT jsonb_array_length(j #> '{asset,extras,smartregion,enu_to_ecef}') AS matrix,
       round((j #>> '{asset,extras,smartregion,enu_to_ecef,15}')::numeric) AS m33,
       round(sqrt((j #>> '{asset,extras,smartregion,origin,0}')::float8 ^ 2 + (j #>> '{asset,extras,smartregion,origin,1}')::float8 ^ 2
                  + (j #>> '{asset,extras,smartregion,origin,2}')::float8 ^ 2) / 1000) AS origin_km_from_centre
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, geom, ground_z FROM c3.lroof', '{"frame": "enu"}')) AS j) s;
-- no surface: a valid GLB with an empty scene, a scene without "nodes" (glTF 2.0's
-- scene.schema.json: "nodes" has minItems 1, so [] is invalid: the Khronos validator's
-- EMPTY_ENTITY, which it was until 2026-12-05); the same in the enu frame, which has nothing
-- to place (it said "surfaces_sql has no SRID")
SELECT j -> 'scenes' AS scenes, j ? 'meshes' AS has_mesh
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, geom FROM c3.cube WHERE false')) AS j) s;
SELECT j -> 'scenes' AS scenes, j ? 'meshes' AS has_mesh, j #>> '{asset,extras,smartregion,frame}' AS frame
  FROM (SELECT c3.json(smartregion.city_gltf('SELECT id, geom FROM c3.cube WHERE false', '{"frame": "enu"}')) AS j) s;

-- a tileset: 200 buildings of 10 x 10 m on a grid, at most 30 per tile
CREATE TABLE c3.grid AS
SELECT i AS id, ST_Translate(ST_GeomFromText('POLYGON Z ((842000 6519000 180,842010 6519000 180,842010 6519010 180,842000 6519010 180,842000 6519000 180))', 2154),
                             (i % 20) * 30, (i / 20) * 30, i % 7) AS geom, 170.0 AS ground_z, i::float8 AS value
  FROM generate_series(0, 199) i;
CREATE TABLE c3.ts AS SELECT * FROM smartregion.city_tileset('SELECT id, geom, ground_z, value FROM c3.grid', '{"max_features": 30}');
SELECT count(*) FILTER (WHERE path = 'tileset.json') AS json_rows, count(*) FILTER (WHERE path LIKE 'tiles/%.glb') AS tiles,
       bool_and(path = 'tileset.json' OR encode(substring(content FROM 1 FOR 4), 'escape') = 'glTF') AS all_glb,
       sum((c3.json(content) #>> '{meshes,0,primitives,0,extensions,EXT_mesh_features,featureIds,0,featureCount}')::int)
         FILTER (WHERE path <> 'tileset.json') AS features,
       max((c3.json(content) #>> '{meshes,0,primitives,0,extensions,EXT_mesh_features,featureIds,0,featureCount}')::int)
         FILTER (WHERE path <> 'tileset.json') AS most_in_a_tile
  FROM c3.ts;
CREATE TABLE c3.tj AS SELECT convert_from(content, 'UTF8')::jsonb AS t FROM c3.ts WHERE path = 'tileset.json';
SELECT t #> '{asset,version}' AS version, t #> '{root,refine}' AS refine, t #> '{root,content,uri}' AS root_uri,
       jsonb_array_length(t #> '{root,transform}') AS transform, jsonb_array_length(t #> '{root,boundingVolume,box}') AS box,
       (t ->> 'geometricError')::float8 >= (t #>> '{root,geometricError}')::float8 AS tileset_error_covers_root
  FROM c3.tj;
-- every content URI is a row; every tile row is in the tree; errors never grow downwards
WITH RECURSIVE tree(tile, parent_error) AS (
  SELECT t -> 'root', (t ->> 'geometricError')::float8 FROM c3.tj
  UNION ALL
  SELECT c, (tile ->> 'geometricError')::float8 FROM tree, jsonb_array_elements(tile -> 'children') c
)
SELECT count(*) AS tiles_in_json,
       count(*) FILTER (WHERE tile #>> '{content,uri}' IN (SELECT path FROM c3.ts)) AS uris_found,
       bool_and((tile ->> 'geometricError')::float8 <= parent_error) AS errors_never_grow,
       count(*) FILTER (WHERE tile ? 'children' AND (tile ->> 'geometricError')::float8 > 0) > 0 AS parents_have_errors,
       bool_and(tile ? 'children' OR (tile ->> 'geometricError')::float8 = 0) AS leaves_zero
  FROM tree;
-- no surface: no rows
SELECT count(*) AS rows FROM smartregion.city_tileset('SELECT id, geom FROM c3.grid WHERE false');

-- the service
SELECT name, entry_points FROM smartregion.services() WHERE name = 'city_publish';
DROP SCHEMA c3 CASCADE;
