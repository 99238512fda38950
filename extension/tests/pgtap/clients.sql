-- pgTAP: what clients read (issue 19): the hub's SRID, typed geometry columns,
-- the solar roofs layer and its refresh function.
BEGIN;
SELECT plan(17);
SELECT has_function('smartregion', 'hub_srid', ARRAY['name']);
SELECT volatility_is('smartregion', 'hub_srid', ARRAY['name'], 'stable');
SELECT function_returns('smartregion', 'hub_srid', ARRAY['name'], 'integer');
SELECT has_function('smartregion', 'refresh_solar_roofs', ARRAY['smartregion.sky', 'text', 'jsonb', 'name', 'text']);
SELECT volatility_is('smartregion', 'refresh_solar_roofs', ARRAY['smartregion.sky', 'text', 'jsonb', 'name', 'text'], 'volatile');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'smartregion.hub_srid(name)'::regprocedure),
          ARRAY['search_path=pg_catalog, pg_temp'], 'hub_srid pins its search_path');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'smartregion.create_hub(name, integer)'::regprocedure),
          ARRAY['search_path=pg_catalog, pg_temp', 'client_min_messages=warning'],
          'create_hub pins its search_path, and shows its WARNINGs, not the NOTICEs of its idempotent DDL');
SELECT is((SELECT prosecdef FROM pg_proc WHERE oid = 'smartregion.refresh_solar_roofs(smartregion.sky, text, jsonb, name, text)'::regprocedure),
          false, 'refresh_solar_roofs runs as the caller');
SELECT lives_ok($$SELECT smartregion.create_hub('tap_clients')$$, 'create a hub');
SELECT is(smartregion.hub_srid('tap_clients'), 2154, 'a new hub is in Lambert-93');
-- (the view solar_roofs_planned gives the faces and the projects' roofs as 2D multipolygons)
SELECT is((SELECT count(*)::int FROM geometry_columns WHERE f_table_schema = 'tap_clients'
            AND (srid = 0 OR (type = 'GEOMETRY' AND f_table_name NOT IN ('planned_building', 'solar_impact_roofs')))), 0,
          'every geometry column of the hub''s tables and views has an SRID, and a type but those of the city model''s projects (2D or 3D)');
SELECT col_is_pk('tap_clients', 'solar_roofs', 'roof_id', 'solar_roofs has an integer key for QGIS');
SELECT col_type_is('tap_clients', 'solar_roofs', 'roof_id', 'bigint', 'roof_id is a bigint');
SELECT has_index('tap_clients', 'solar_roofs', 'solar_roofs_geom_idx', 'geom'::name, 'solar_roofs has a spatial index');
SELECT has_index('tap_clients', 'buildings', 'buildings_geom_idx', 'geom'::name, 'buildings have a spatial index');
-- (the city model's projects and their impact had none until 2026-12-05, nor had the activity
-- zones' four tables)
SELECT is((SELECT array_agg(c.relname::text ORDER BY c.relname) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            WHERE c.relnamespace = 'tap_clients'::regnamespace AND c.relkind = 'r' AND a.atttypid = 'geometry'::regtype
              AND NOT a.attisdropped
              AND NOT EXISTS (SELECT 1 FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
                               WHERE i.indrelid = c.oid AND am.amname = 'gist' AND i.indkey[0] = a.attnum)),
          NULL, 'every geometry column of the hub''s tables has a GiST index');
SELECT throws_ok($$SELECT smartregion.create_hub('tap_clients', 3946)$$, '22023', NULL, 'a hub keeps its SRID');
SELECT * FROM finish();
ROLLBACK;
