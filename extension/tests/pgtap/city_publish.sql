BEGIN;
SELECT plan(16);
SELECT has_function('smartregion', 'city_gltf', ARRAY['text', 'jsonb']);
SELECT has_function('smartregion', 'city_tileset', ARRAY['text', 'jsonb']);
SELECT function_returns('smartregion', 'city_gltf', ARRAY['text', 'jsonb'], 'bytea');
SELECT function_returns('smartregion', 'city_tileset', ARRAY['text', 'jsonb'], 'setof record');
SELECT volatility_is('smartregion', 'city_gltf', ARRAY['text', 'jsonb'], 'stable');
SELECT volatility_is('smartregion', 'city_tileset', ARRAY['text', 'jsonb'], 'stable');
SELECT isnt_strict('smartregion', 'city_gltf', ARRAY['text', 'jsonb']);
SELECT isnt_strict('smartregion', 'city_tileset', ARRAY['text', 'jsonb']);
SELECT ok((SELECT proparallel = 'u' FROM pg_proc WHERE oid = 'smartregion.city_gltf(text,jsonb)'::regprocedure),
          'city_gltf runs user SQL: parallel unsafe');
SELECT ok((SELECT proparallel = 'u' FROM pg_proc WHERE oid = 'smartregion.city_tileset(text,jsonb)'::regprocedure),
          'city_tileset runs user SQL: parallel unsafe');
SELECT ok(obj_description('smartregion.city_gltf(text,jsonb)'::regprocedure, 'pg_proc') IS NOT NULL, 'city_gltf has a comment');
SELECT ok(obj_description('smartregion.city_tileset(text,jsonb)'::regprocedure, 'pg_proc') IS NOT NULL, 'city_tileset has a comment');
SELECT is((SELECT entry_points FROM smartregion.services() WHERE name = 'city_publish'),
          ARRAY['city_gltf', 'city_tileset'], 'service city_publish registered');
SELECT is((SELECT array_agg(option ORDER BY option) FROM smartregion.option_specs() WHERE function = 'city_tileset'),
          ARRAY['color', 'height_offset', 'max_depth', 'max_features', 'max_kb', 'metadata', 'ramp', 'value_max', 'value_min',
                'value_name', 'wall_color'], 'options of city_tileset');
-- the query runs as the caller: a table the caller cannot read stays unread
CREATE TABLE public.c3_secret (id bigint, geom geometry);
CREATE ROLE c3_nobody;
GRANT USAGE ON SCHEMA smartregion TO c3_nobody;
SET LOCAL ROLE c3_nobody;
SELECT throws_ok($$SELECT smartregion.city_gltf('SELECT id, geom FROM public.c3_secret')$$, '42501', NULL,
                 'city_gltf reads surfaces_sql with the caller''s privileges');
RESET ROLE;
SELECT throws_ok($$SELECT smartregion.city_gltf('INSERT INTO public.c3_secret VALUES (1, NULL) RETURNING id, geom')$$, '25006', NULL,
                 'surfaces_sql cannot write');
SELECT * FROM finish();
ROLLBACK;
