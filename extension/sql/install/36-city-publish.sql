-- ---------------------------------------------------------------------------
-- The city in 3D: binary glTF and 3D Tiles 1.1 (docs/city3d-publish.md)
-- ---------------------------------------------------------------------------
-- Both read surfaces_sql as the caller (the shared query reader): columns
-- id bigint, geom geometry (PolygonZ / MultiPolygonZ / PolyhedralSurfaceZ /
-- TIN, projected SRID in metres), and optionally feature_id bigint, color
-- text ('#rrggbb'), value float8 (coloured on the options' ramp), properties
-- jsonb (the feature's click panel), ground_z float8 (walls down to it).
-- PARALLEL UNSAFE: they run the caller's query, which may call anything.

CREATE FUNCTION @extschema@.city_gltf(surfaces_sql text, options jsonb DEFAULT '{}')
RETURNS bytea
  AS 'MODULE_PATHNAME', 'sr_fn_city_gltf' LANGUAGE C STABLE PARALLEL UNSAFE COST 10000;
COMMENT ON FUNCTION @extschema@.city_gltf(text, jsonb) IS
  'binary glTF 2.0 (GLB) of the surfaces returned by surfaces_sql (id, geom [, feature_id, color, value, properties, ground_z]): triangulated, coloured, Y up around a local origin, feature ids (EXT_mesh_features) and properties (EXT_structural_metadata)';

CREATE FUNCTION @extschema@.city_tileset(surfaces_sql text, options jsonb DEFAULT '{}')
RETURNS TABLE (path text, content bytea)
  AS 'MODULE_PATHNAME', 'sr_fn_city_tileset' LANGUAGE C STABLE PARALLEL UNSAFE COST 10000 ROWS 100;
COMMENT ON FUNCTION @extschema@.city_tileset(text, jsonb) IS
  '3D Tiles 1.1 tileset of the surfaces returned by surfaces_sql: one row per tile (tiles/level/x/y.glb, quadtree, refine ADD, ENU transforms in ECEF through PROJ) and a last row tileset.json';

SELECT @extschema@.register_service('city_publish', '0.1.0',
  'the city in 3D for browsers: glTF models and 3D Tiles tilesets of roofs, walls and planned buildings, coloured by any value of the platform',
  ARRAY['city_gltf', 'city_tileset']);
