BEGIN;
SELECT plan(24);
SELECT has_function('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb']);
SELECT has_function('smartregion', 'land_unit_vacancy', ARRAY['text', 'text', 'text', 'date']);
SELECT has_function('smartregion', 'land_consumption', ARRAY['text', 'text', 'text', 'integer', 'integer']);
SELECT has_function('smartregion', 'statistical_secrecy', ARRAY['text', 'jsonb']);
SELECT has_function('smartregion', 'cnig_site_eco', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb']);
SELECT function_returns('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb'], 'setof record');
SELECT function_returns('smartregion', 'statistical_secrecy', ARRAY['text', 'jsonb'], 'setof record');
SELECT volatility_is('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb'], 'stable');
SELECT volatility_is('smartregion', 'land_unit_vacancy', ARRAY['text', 'text', 'text', 'date'], 'stable');
SELECT volatility_is('smartregion', 'land_consumption', ARRAY['text', 'text', 'text', 'integer', 'integer'], 'stable');
SELECT volatility_is('smartregion', 'statistical_secrecy', ARRAY['text', 'jsonb'], 'stable');
SELECT volatility_is('smartregion', 'cnig_site_eco', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb'], 'stable');
SELECT is_strict('smartregion', 'land_consumption', ARRAY['text', 'text', 'text', 'integer', 'integer']);
SELECT isnt_strict('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb']);
SELECT ok((SELECT proparallel = 'u' FROM pg_proc WHERE oid = 'smartregion.zone_indicators(text,text,text,text,date,jsonb)'::regprocedure),
          'zone_indicators runs user SQL: parallel unsafe');
SELECT ok(obj_description('smartregion.statistical_secrecy(text,jsonb)'::regprocedure, 'pg_proc') IS NOT NULL,
          'statistical_secrecy has a comment');
SELECT is((SELECT array_agg(table_name::text ORDER BY table_name) FROM smartregion.hub_table WHERE service = 'activity_zones'),
          ARRAY['zae_buildings', 'zae_establishments', 'zae_parcels', 'zae_zones'], 'hub tables of activity_zones');
SELECT is((SELECT entry_points FROM smartregion.services() WHERE name = 'activity_zones'),
          ARRAY['zone_indicators', 'land_unit_vacancy', 'land_consumption', 'statistical_secrecy', 'cnig_site_eco'],
          'service activity_zones registered');
-- invariants of the published view: suppressed cells stay hidden, totals consistent
SELECT is((SELECT count(*)::int FROM smartregion.statistical_secrecy(
             $$SELECT 'z' || (i % 4) AS row_key, 's' || (i % 3) AS col_key, (i % 7) + 1 AS n, 10.0 * ((i % 7) + 1) AS value
                 FROM generate_series(0, 11) i$$) WHERE status <> 'published' AND (n IS NOT NULL OR value IS NOT NULL)),
          0, 'suppressed cells publish no n and no value');
SELECT is((SELECT count(*)::int FROM smartregion.statistical_secrecy(
             $$SELECT 'z' || (i % 4) AS row_key, 's' || (i % 3) AS col_key, 20 + i AS n, 100.0 + i AS value
                 FROM generate_series(0, 11) i$$) WHERE status <> 'published'),
          0, 'a table of large cells is published whole');
SELECT is((SELECT count(*)::int FROM smartregion.statistical_secrecy(
             $$SELECT 'z' || (i % 4) AS row_key, 's' || (i % 3) AS col_key, 20 + i AS n, 100.0 + i AS value
                 FROM generate_series(0, 11) i$$)), 20, '4 x 3 table plus 4 + 3 + 1 totals');
SELECT throws_ok($$SELECT * FROM smartregion.statistical_secrecy('SELECT 1 AS x')$$, '42703', NULL, 'missing column is 42703');
SELECT throws_ok($$SELECT * FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, 2 AS geom', 'SELECT 1', NULL, NULL, '2024-01-01')$$,
                 '42804', NULL, 'mistyped column is 42804');
SELECT lives_ok($$SELECT * FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0,0,1,1,2154) AS geom',
                 'SELECT ''p''::text AS parcel_id, ST_MakeEnvelope(0,0,1,1,2154) AS geom, NULL::text AS land_unit_id', NULL, NULL, '2024-01-01')$$,
                'one zone, one parcel, nothing else');
SELECT * FROM finish();
ROLLBACK;
