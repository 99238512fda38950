-- pgTAP: API shape and invariants of the solar cadastre (issue 4).
BEGIN;
SELECT plan(81);

SELECT has_type('smartregion', 'horizon', 'type horizon exists');
SELECT has_type('smartregion', 'sky', 'type sky exists');
SELECT has_function('smartregion', 'horizon_elevation', ARRAY['smartregion.horizon', 'double precision']);
SELECT has_function('smartregion', 'horizon_at', ARRAY['geometry', 'text', 'double precision', 'integer']);
SELECT has_function('smartregion', 'horizon', ARRAY['double precision[]']);
SELECT has_function('smartregion', 'sky_agg', ARRAY['timestamp with time zone', 'double precision', 'double precision', 'double precision', 'geometry']);
SELECT is_aggregate('smartregion', 'sky_agg', ARRAY['timestamp with time zone', 'double precision', 'double precision', 'double precision', 'geometry']);
SELECT has_function('smartregion', 'sky_from_epw', ARRAY['text']);
SELECT has_function('smartregion', 'sky_patches', ARRAY['smartregion.sky']);
SELECT has_function('smartregion', 'sky_clearsky', ARRAY['geometry', 'double precision', 'integer']);
SELECT has_function('smartregion', 'surface_irradiation', ARRAY['smartregion.sky', 'double precision', 'double precision', 'smartregion.horizon', 'double precision']);
SELECT has_function('smartregion', 'surface_irradiation_hourly', ARRAY['text', 'double precision', 'double precision', 'double precision', 'double precision', 'smartregion.horizon', 'double precision']);
SELECT has_function('smartregion', 'roof_plane', ARRAY['geometry']);
SELECT has_function('smartregion', 'solar_cadastre', ARRAY['text', 'smartregion.sky', 'jsonb']);
SELECT has_function('smartregion', 'solar_tile', ARRAY['integer', 'integer', 'integer', 'text']);

SELECT function_returns('smartregion', 'horizon_at', ARRAY['geometry', 'text', 'double precision', 'integer'], 'smartregion.horizon');
SELECT function_returns('smartregion', 'horizon_elevation', ARRAY['smartregion.horizon', 'double precision'], 'double precision');
SELECT function_returns('smartregion', 'sky_from_epw', ARRAY['text'], 'smartregion.sky');
SELECT function_returns('smartregion', 'surface_irradiation', ARRAY['smartregion.sky', 'double precision', 'double precision', 'smartregion.horizon', 'double precision'], 'smartregion.surface_irradiation');
SELECT function_returns('smartregion', 'roof_plane', ARRAY['geometry'], 'smartregion.roof_plane');
SELECT function_returns('smartregion', 'solar_cadastre', ARRAY['text', 'smartregion.sky', 'jsonb'], 'setof record');
SELECT function_returns('smartregion', 'solar_tile', ARRAY['integer', 'integer', 'integer', 'text'], 'bytea');

SELECT volatility_is('smartregion', 'horizon_elevation', ARRAY['smartregion.horizon', 'double precision'], 'immutable');
SELECT volatility_is('smartregion', 'sky_from_epw', ARRAY['text'], 'immutable');
SELECT volatility_is('smartregion', 'sky_patches', ARRAY['smartregion.sky'], 'immutable');
SELECT volatility_is('smartregion', 'sky_clearsky', ARRAY['geometry', 'double precision', 'integer'], 'stable');
SELECT volatility_is('smartregion', 'surface_irradiation', ARRAY['smartregion.sky', 'double precision', 'double precision', 'smartregion.horizon', 'double precision'], 'immutable');
SELECT volatility_is('smartregion', 'horizon_at', ARRAY['geometry', 'text', 'double precision', 'integer'], 'stable');
SELECT volatility_is('smartregion', 'surface_irradiation_hourly', ARRAY['text', 'double precision', 'double precision', 'double precision', 'double precision', 'smartregion.horizon', 'double precision'], 'stable');
SELECT volatility_is('smartregion', 'solar_cadastre', ARRAY['text', 'smartregion.sky', 'jsonb'], 'stable');
SELECT volatility_is('smartregion', 'roof_plane', ARRAY['geometry'], 'stable');

SELECT ok((SELECT proparallel = 's' FROM pg_proc WHERE oid = 'smartregion.surface_irradiation(smartregion.sky, float8, float8, smartregion.horizon, float8)'::regprocedure),
          'surface_irradiation is parallel safe');
SELECT ok((SELECT aggcombinefn <> 0 AND aggserialfn <> 0 AND aggdeserialfn <> 0 FROM pg_aggregate
            WHERE aggfnoid = 'smartregion.sky_agg(timestamptz, float8, float8, float8, geometry)'::regprocedure),
          'sky_agg has combine, serial and deserial functions');
SELECT ok((SELECT typsend <> 0 AND typreceive <> 0 FROM pg_type WHERE oid = 'smartregion.horizon'::regtype), 'horizon has binary I/O');
SELECT ok((SELECT typsend <> 0 AND typreceive <> 0 FROM pg_type WHERE oid = 'smartregion.sky'::regtype), 'sky has binary I/O');
SELECT ok((SELECT bool_and(obj_description(p.oid, 'pg_proc') IS NOT NULL) FROM pg_proc p
            WHERE p.pronamespace = 'smartregion'::regnamespace
              AND p.proname IN ('horizon_at', 'horizon_elevation', 'sky_agg', 'sky_from_epw', 'surface_irradiation',
                                'surface_irradiation_hourly', 'roof_plane', 'solar_cadastre', 'solar_tile', 'sky_patches', 'sky_clearsky')),
          'every cadastre function is commented');
SELECT ok(EXISTS (SELECT 1 FROM smartregion.services() s WHERE s.name = 'solar_cadastre'), 'service solar_cadastre is registered');
-- roofs over their area (issue 18): the columns and the options
SELECT is((SELECT pg_catalog.array_agg(a ORDER BY o) FROM pg_proc p,
                  unnest(p.proargnames[19:23], p.proallargtypes[19:23]::regtype[]::text[]) WITH ORDINALITY u(n, a, o)
            WHERE p.oid = 'smartregion.solar_cadastre(text, smartregion.sky, jsonb)'::regprocedure),
          ARRAY['double precision', 'double precision', 'double precision', 'double precision', 'integer'],
          'solar_cadastre returns sunny_area_m2, p10/p50/p90_kwh_m2 (float8) and samples (int)');
SELECT is((SELECT p.proargnames[19:23] FROM pg_proc p
            WHERE p.oid = 'smartregion.solar_cadastre(text, smartregion.sky, jsonb)'::regprocedure),
          ARRAY['sunny_area_m2', 'p10_kwh_m2', 'p50_kwh_m2', 'p90_kwh_m2', 'samples'],
          'solar_cadastre''s area columns, after economics');
SELECT is((SELECT pg_catalog.array_agg(option ORDER BY option) FROM smartregion.option_specs()
            WHERE function = 'solar_cadastre' AND option IN ('sampling', 'spacing_m', 'max_samples', 'rays_per_sector', 'sunny_class')),
          ARRAY['max_samples', 'rays_per_sector', 'sampling', 'spacing_m', 'sunny_class'],
          'solar_cadastre''s sampling options are specified');
SELECT volatility_is('smartregion', 'solar_cadastre_cells', ARRAY['text', 'smartregion.sky', 'jsonb'], 'stable');
SELECT ok((SELECT obj_description('smartregion.solar_cadastre_cells(text, smartregion.sky, jsonb)'::regprocedure, 'pg_proc') IS NOT NULL),
          'solar_cadastre_cells is commented');
-- the cells in the hub: refresh_solar_roof_cells and solar_cells_tile
SELECT volatility_is('smartregion', 'refresh_solar_roof_cells', ARRAY['smartregion.sky', 'text', 'jsonb', 'name', 'text'], 'volatile');
SELECT ok((SELECT NOT prosecdef AND proconfig = ARRAY['search_path=pg_catalog, pg_temp']
                  AND proargnames[5] = 'query_search_path' AND obj_description(oid, 'pg_proc') IS NOT NULL
             FROM pg_proc WHERE oid = 'smartregion.refresh_solar_roof_cells(smartregion.sky, text, jsonb, name, text)'::regprocedure),
          'refresh_solar_roof_cells runs as its caller, pins its search path, takes query_search_path, is commented');
SELECT volatility_is('smartregion', 'solar_cells_tile', ARRAY['integer', 'integer', 'integer', 'text'], 'stable');
SELECT ok((SELECT NOT prosecdef AND proparallel = 'r' AND proisstrict AND obj_description(oid, 'pg_proc') IS NOT NULL
             FROM pg_proc WHERE oid = 'smartregion.solar_cells_tile(int, int, int, text)'::regprocedure),
          'solar_cells_tile runs as its caller, parallel restricted (a temporary table), strict, commented');
SELECT ok(EXISTS (SELECT 1 FROM smartregion.hub_table WHERE table_name = 'solar_roof_cells' AND service = 'solar_cadastre'),
          'solar_roof_cells is a hub table of solar_cadastre');
SELECT ok((SELECT entry_points @> ARRAY['solar_cadastre_cells', 'refresh_solar_roof_cells', 'solar_cells_tile']
             FROM smartregion.services() WHERE name = 'solar_cadastre'),
          'the cells'' functions are entry points of solar_cadastre');
-- the tile functions' TileJSON metadata: every tile function the web server finds (z, x, y
-- first, returning bytea, named *_tile) has its row, with the vector layers TileJSON requires
SELECT volatility_is('smartregion', 'tile_layers', ARRAY[]::text[], 'stable');
SELECT set_eq($$SELECT p.oid::regprocedure FROM pg_proc p
                WHERE p.pronamespace = 'smartregion'::regnamespace AND p.proname LIKE '%\_tile'
                  AND p.prorettype = 'bytea'::regtype AND p.pronargs - p.pronargdefaults = 3
                  AND p.proargtypes[0] = 'int4'::regtype AND p.proargtypes[1] = 'int4'::regtype AND p.proargtypes[2] = 'int4'::regtype$$,
              $$SELECT tile_function FROM smartregion.tile_layers()$$,
              'every tile function has its TileJSON metadata in tile_layers');
SELECT ok((SELECT bool_and(jsonb_array_length(tilejson -> 'vector_layers') >= 1
                           AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(tilejson -> 'vector_layers') v
                                            WHERE v ->> 'id' IS NULL OR jsonb_typeof(v -> 'fields') <> 'object'))
             FROM smartregion.tile_layers()),
          'each tile layer lists its vector layers, each with an id and its fields (TileJSON 3.0.0)');
-- the cells from zoom 16, merged into blocks at 16 and 17 (docs/cadastre.md, solar_cells_tile):
-- the layer says so, and lists the blocks' attribute cells
SELECT is((SELECT format('%s %s %s', tilejson ->> 'minzoom', tilejson -> 'vector_layers' -> 0 ->> 'minzoom',
                         tilejson -> 'vector_layers' -> 0 -> 'fields' ? 'cells')
             FROM smartregion.tile_layers() WHERE layer = 'solar_cells'),
          '16 16 t', 'tile_layers: the cells from zoom 16, with the blocks'' attribute cells');

-- invariants
SELECT is(smartregion.horizon_elevation('{4:0,10,20,30}', 45), 5::float8, 'interpolation halfway between sector centres');
SELECT is('{6:0,1.5,2.25,0.1,45,90}'::smartregion.horizon::text, '{6:0,1.5,2.25,0.1,45,90}', 'horizon text round trip');
SELECT throws_ok($$SELECT '{4:0,0,0}'::smartregion.horizon$$, '22P02', NULL, 'malformed horizon is 22P02');
SELECT throws_ok($$SELECT '{4:0,95,0,0}'::smartregion.horizon$$, '22003', NULL, 'horizon above 90 deg is 22003');
SELECT throws_ok($$SELECT 'junk'::smartregion.sky$$, '22P02', NULL, 'malformed sky is 22P02');
SELECT is((SELECT count(*) FROM (SELECT smartregion.sky_agg(ts, 100, 0, 100, 'SRID=4326;POINT(4.9 45.7 200)'::geometry) AS s
                                    FROM generate_series('2019-01-01 01:00Z'::timestamptz, '2019-01-01 06:00Z', interval '1 hour') ts) k,
                  smartregion.sky_patches(k.s) p
            WHERE abs(p.radiance_kwh_m2_sr - 6 * 0.1 / pi()) < 1e-6),
          2305::bigint, 'a night sky (diffuse only, sun down) is uniform: DHI / pi on every patch');
SELECT is((smartregion.roof_plane('SRID=2154;POLYGON Z ((0 0 0, 10 0 0, 10 10 10, 0 10 10, 0 0 0))')).tilt::numeric(8,4),
          45.0000::numeric(8,4), 'roof_plane tilt of a 45 deg plane');
-- (on Lambert-93's central meridian, 3 E, where grid north is true north)
SELECT is((smartregion.horizon_elevations(smartregion.horizon_at('SRID=2154;POINT(700000 6600000 0)',
            'SELECT 1::bigint AS id, ST_MakeEnvelope(699000, 6600100, 701000, 6600101, 2154) AS geom, 20.0::float8 AS height')))[1]::numeric(8,4),
          degrees(atan(0.2))::numeric(8,4), 'wall at 100 m, 20 m high: atan(H/D) to the north');

-- one call site over rows of two stored skies (TOAST pointers: the prepared
-- sky is keyed on the stored value) gives each row its own sky's result
CREATE TEMP TABLE two_skies AS
SELECT 1 AS k, smartregion.sky_clearsky('SRID=4326;POINT(4.9 45.7 200)', 3.0, 2019) AS s
UNION ALL SELECT 2, smartregion.sky_clearsky('SRID=4326;POINT(4.9 45.7 200)', 6.0, 2019);
SELECT is((SELECT count(*) FROM (SELECT k, (smartregion.surface_irradiation(s, 30, 180, '{4:5,10,5,0}')).annual_kwh_m2 AS a
                                    FROM generate_series(1, 3) g
                                   CROSS JOIN LATERAL (SELECT k, s FROM two_skies WHERE g > 0) t) x
            WHERE a = (SELECT (smartregion.surface_irradiation(y.s, 30, 180, '{4:5,10,5,0}')).annual_kwh_m2
                         FROM two_skies y WHERE y.k = x.k)
              AND a <> (SELECT (smartregion.surface_irradiation(y.s, 30, 180, '{4:5,10,5,0}')).annual_kwh_m2
                          FROM two_skies y WHERE y.k <> x.k)),
          6::bigint, 'rows alternating between two stored skies: each gets its own');

-- a roof cell's tile key (solar_roof_cells.tile_key): the Morton code of the z24 tile of its
-- Web-Mercator box's centre, from the EWKB of the cell in EPSG:3857.  By hand: the z24 tile
-- x = 5 (101b), y = 3 (011b) has the quadkey digits (x bit + 2 y bit, high to low) 1, 2, 3, so
-- the code 1*16 + 2*4 + 3 = 27 (a 1 m square at the tile's centre)
SELECT is(smartregion._tile_key(ST_AsEWKB(ST_MakeEnvelope(
            -20037508.342789244 + 5.5 * 40075016.68557849 / 16777216 - 0.5, 20037508.342789244 - 3.5 * 40075016.68557849 / 16777216 - 0.5,
            -20037508.342789244 + 5.5 * 40075016.68557849 / 16777216 + 0.5, 20037508.342789244 - 3.5 * 40075016.68557849 / 16777216 + 0.5, 3857))),
          27::bigint, '_tile_key: the z24 tile (5, 3) is the quadkey 123, 27');
-- the south-east corner of the world: every bit of x and y set (2^48 - 1)
SELECT is(smartregion._tile_key(ST_AsEWKB(ST_MakeEnvelope(20037508.0, -20037508.3, 20037508.3, -20037508.0, 3857))), 281474976710655::bigint,
          '_tile_key: the last z24 tile of the world is 2^48 - 1');
-- a box wider than a z22 tile (9.55 m) may overlap a tile whose neighbours do not hold its
-- centre: no key (a tile reads the cells without one)
SELECT is(smartregion._tile_key(ST_AsEWKB(ST_MakeEnvelope(0, 0, 9.6, 1, 3857))), NULL::bigint, '_tile_key: NULL for a box wider than a z22 tile');
SELECT is(smartregion._tile_key(ST_AsEWKB('SRID=3857;POLYGON EMPTY'::geometry)), NULL::bigint, '_tile_key: NULL for an empty cell');
SELECT throws_ok($$SELECT smartregion._tile_key(ST_AsEWKB(ST_MakeEnvelope(0, 0, 1, 1, 2154)))$$, '22023',
                 'a tile key needs a geometry in Web Mercator (SRID 3857), not SRID 2154',
                 '_tile_key: a cell in another SRID is refused');
-- a point or a line is not a cell: refused, not keyed NULL (a NULL key reads the cell in every
-- tile, so a NULL would hide the caller's mistake; a hub's cells are PolygonZ, which the
-- trigger never fails on)
SELECT throws_ok($$SELECT smartregion._tile_key(ST_AsEWKB('SRID=3857;POINT(0 0)'::geometry))$$, '22023',
                 'geometry is not a polygon or a multipolygon (WKB type 1)', '_tile_key: a point is refused');
-- the ranges solar_tile reads for a tile, by hand: z2 tile (1, 1) and its neighbours are the
-- z2 tiles x, y in 0..2, codes (0,0) 0, (1,0) 1, (0,1) 2, (1,1) 3, (2,0) 4, (2,1) 6, (0,2) 8,
-- (1,2) 9, (2,2) 12, each 4^22 = 2^44 z24 keys: codes 0-4, 6, 8-9 and 12
-- a z22 tile without buffer: grown by half a z22 square, it meets itself and its 8
-- neighbours, 9 squares of 16 z24 keys each (144); z0: the whole world, keys 0 to 2^48 - 1
SELECT is((SELECT sum(hi - lo + 1) FROM smartregion._tile_key_ranges(22, 2153491, 1496062, 0)), 144::numeric,
          '_tile_key_ranges: z22 without buffer reads its 9 squares, 144 keys');
SELECT is((SELECT array_agg(lo || '-' || hi) FROM smartregion._tile_key_ranges(0, 0, 0, 0)), ARRAY['0-281474976710655'],
          '_tile_key_ranges: z0 reads the whole world');
-- z16, a 30 m buffer (3.14 squares, and half a square: 4 beyond each edge): 64 + 2 x 4 squares a side, 72 x 72 squares of 16 keys
-- (82,944 keys), at most 15 % more once the gaps beyond 64 ranges are closed
SELECT ok((SELECT count(*) <= 64 AND sum(hi - lo + 1) BETWEEN 82944 AND 82944 * 1.15
             FROM smartregion._tile_key_ranges(16, 33647, 23375, 30)),
          '_tile_key_ranges: z16 with 30 m reads 72 x 72 z22 squares, in at most 64 ranges');
SELECT throws_ok($$SELECT * FROM smartregion._tile_key_ranges(3, 8, 0, 0)$$, '22023', 'tile 3/8/0 does not exist',
                 '_tile_key_ranges: a tile that does not exist');
SELECT throws_ok($$SELECT * FROM smartregion._tile_key_ranges(16, 0, 0, -1)$$, '22023', 'tile buffer -1 m is not a finite length of zero or more',
                 '_tile_key_ranges: a negative buffer');

-- the key's writer, the trigger _cells_tile_key (C since 2026-12-07: a PL/pgSQL call per
-- row and its SQL expression cost about 7 s of the 27.8 s of a refresh of Lyon 1er's cells,
-- docs/web.md), on a table of cells of this test's own, its triggers set as create_hub sets
-- a hub's.  The keys by hand: the corners of the Lambert-93 squares transformed to EPSG:3857
-- by GDAL (gdaltransform -s_srs EPSG:2154 -t_srs EPSG:3857, PROJ without PostGIS), the z24
-- tile of the box's centre (x from the west edge, y from the north one, tiles of
-- 40075016.68557849 / 2^24 m) and its bits interleaved one by one in Python: the 1 m square
-- at (842000, 6520500) is 1.465 x 1.470 m of Web Mercator in z24 tile (8613576, 5984135)
-- (its centre 0.63 and 0.56 of a tile from the edges), key 108367208960106; moved 100 m
-- east, tile (8613636, 5984136) (0.58, 0.95), key 108367209005200; the 8 m square there is
-- 11.72 m of Web Mercator, wider than a z22 tile (9.55 m): no key
SELECT is((SELECT l.lanname || ' ' || p.provolatile::text || p.proparallel::text || ' ' || (NOT p.prosecdef) || ' ' || (obj_description(p.oid, 'pg_proc') IS NOT NULL)
             FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang WHERE p.oid = 'smartregion._cells_tile_key()'::regprocedure),
          'c vu true true', '_cells_tile_key: a trigger function in C, volatile, parallel unsafe, run as its caller, commented');
CREATE TEMP TABLE tap_cells (id int, geom geometry(PolygonZ, 2154) NOT NULL, area_m2 float8, tile_key bigint);
CREATE TRIGGER tap_key_insert BEFORE INSERT ON tap_cells FOR EACH ROW EXECUTE FUNCTION smartregion._cells_tile_key();
CREATE TRIGGER tap_key_update BEFORE UPDATE OF geom, tile_key ON tap_cells FOR EACH ROW EXECUTE FUNCTION smartregion._cells_tile_key();
INSERT INTO tap_cells VALUES (1, ST_Force3DZ(ST_MakeEnvelope(842000, 6520500, 842001, 6520501, 2154), 200), 1, 12345),
                             (2, ST_Force3DZ(ST_MakeEnvelope(842000, 6520500, 842008, 6520508, 2154), 200), 64, 12345);
SELECT is((SELECT array_agg(tile_key ORDER BY id) FROM tap_cells), ARRAY[108367208960106, NULL]::bigint[],
          '_cells_tile_key: an inserted cell''s explicit key (12345) replaced by its place''s, none for a box wider than a z22 tile');
UPDATE tap_cells SET geom = ST_Translate(geom, 100, 0) WHERE id = 1;
SELECT is((SELECT tile_key FROM tap_cells WHERE id = 1), 108367209005200::bigint, '_cells_tile_key: a cell moved 100 m east gets the key of its new place');
UPDATE tap_cells SET tile_key = 999 WHERE id = 1;
SELECT is((SELECT tile_key FROM tap_cells WHERE id = 1), 108367209005200::bigint, '_cells_tile_key: a key written by an update is replaced by the true one');
UPDATE tap_cells SET geom = geom, area_m2 = 2 WHERE id = 1;
SELECT is((SELECT tile_key || ' ' || area_m2 FROM tap_cells WHERE id = 1), '108367209005200 2',
          '_cells_tile_key: an update of geom that does not move the cell keeps its key and its other columns'' new values');
SELECT throws_ok($$INSERT INTO tap_cells VALUES (3, NULL, 1, 5)$$, '23502', NULL,
                 '_cells_tile_key: a cell without geom has no key, and the column''s NOT NULL refuses it');
-- fired where it cannot write a key (the PL/pgSQL trigger failed there with 42703, "record
-- "new" has no field", or wrote nothing AFTER the row)
CREATE TEMP TABLE tap_no_key (id int, geom geometry);
CREATE TRIGGER tap_key BEFORE INSERT ON tap_no_key FOR EACH ROW EXECUTE FUNCTION smartregion._cells_tile_key();
SELECT throws_ok($$INSERT INTO tap_no_key VALUES (1, 'SRID=3857;POINT(0 0)')$$, '39P01',
                 'function "_cells_tile_key" cannot be fired on relation "tap_no_key"', '_cells_tile_key: on a table without tile_key');
CREATE TEMP TABLE tap_after (id int, geom geometry, tile_key bigint);
CREATE TRIGGER tap_key AFTER INSERT ON tap_after FOR EACH ROW EXECUTE FUNCTION smartregion._cells_tile_key();
SELECT throws_ok($$INSERT INTO tap_after VALUES (1, ST_MakeEnvelope(0, 0, 1, 1, 3857), 1)$$, '39P01',
                 'function "_cells_tile_key" must be fired BEFORE INSERT or UPDATE FOR EACH ROW', '_cells_tile_key: fired after the row');

-- a tile's bytes do not follow the order a parallel scan's workers send the rows in
-- (docs/performance-cadastre.md, "Deterministic bytes"): one face's cells, all in one block of
-- the z16 tile 33647/23375 (the block at 32.5/64 of its width and height, a 0.5 m square of
-- Lambert-93), 20,000 of usable area 1 between one of 1e17 (the table's first row) and one of
-- -1e17 (its last): a 1 added to 1e17 is lost (its float8 spacing is 16), so the block's sum
-- is the number of 1s that come after the two have met, what the order of the rows decides;
-- a table (a parallel worker cannot read a temporary one) with no index, read by a parallel
-- sequential scan with two workers forced on (the leader reading none: the rows come in
-- the order the two send them), five times (before: 4 different md5s of five)
CREATE TABLE public.tap_parallel_cells AS
WITH c AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(-20037508.342789244 + (33647 + 32.5 / 64) * 40075016.68557849 / 2 ^ 16,
                                                        20037508.342789244 - (23375 + 32.5 / 64) * 40075016.68557849 / 2 ^ 16), 3857), 2154) AS p)
SELECT 1::bigint AS building_id, 1 AS face,
       ST_Force3DZ(ST_MakeEnvelope(ST_X(p) - 0.25, ST_Y(p) - 0.25, ST_X(p) + 0.25, ST_Y(p) + 0.25, 2154), 200) AS geom,
       1000.0::float8 AS annual_kwh_m2, 1100.0::float8 AS pv_plane_kwh_m2, 1.0::float8 AS area_m2,
       CASE i WHEN 0 THEN 1e17 WHEN 20001 THEN -1e17 ELSE 1 END::float8 AS usable_area_m2, true AS sunny
  FROM c, generate_series(0, 20001) i ORDER BY i;
ANALYZE public.tap_parallel_cells;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_leader_participation = off;
SELECT is((SELECT count(DISTINCT md5(smartregion.solar_cells_tile(16, 33647, 23375, 'public.tap_parallel_cells')))
             FROM generate_series(1, 5)),
          1::bigint, 'solar_cells_tile: the same bytes five times with parallel workers forced on (a block whose float sum follows the rows'' order)');
SELECT * FROM finish();
ROLLBACK;
