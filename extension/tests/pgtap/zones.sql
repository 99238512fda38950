BEGIN;
SELECT plan(34);
SELECT has_function('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb']);
SELECT has_function('smartregion', 'land_unit_vacancy', ARRAY['text', 'text', 'text', 'date', 'text']);
SELECT has_function('smartregion', 'land_consumption', ARRAY['text', 'text', 'text', 'integer', 'integer']);
SELECT has_function('smartregion', 'statistical_secrecy', ARRAY['text', 'jsonb']);
SELECT function_returns('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb'], 'setof record');
SELECT function_returns('smartregion', 'statistical_secrecy', ARRAY['text', 'jsonb'], 'setof record');
SELECT volatility_is('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb'], 'stable');
SELECT volatility_is('smartregion', 'land_unit_vacancy', ARRAY['text', 'text', 'text', 'date', 'text'], 'stable');
SELECT volatility_is('smartregion', 'land_consumption', ARRAY['text', 'text', 'text', 'integer', 'integer'], 'stable');
SELECT volatility_is('smartregion', 'statistical_secrecy', ARRAY['text', 'jsonb'], 'stable');
SELECT isnt_strict('smartregion', 'land_consumption', ARRAY['text', 'text', 'text', 'integer', 'integer']);
-- the DBA's list of ZAE rows outside their territory's contour (docs/zones.md, red team routes)
SELECT has_function('smartregion', 'zae_rows_outside_territory', ARRAY['name']);
SELECT volatility_is('smartregion', 'zae_rows_outside_territory', ARRAY['name'], 'stable');
SELECT is_strict('smartregion', 'zae_rows_outside_territory', ARRAY['name']);
-- the owner's answer to create_hub's WARNING of contours a renumbering may have left public
-- (docs/zones.md, earlier contours; 2026-12-07, h4)
SELECT has_function('smartregion', 'zae_zone_history_acknowledge', ARRAY['name', 'bigint[]']);
SELECT volatility_is('smartregion', 'zae_zone_history_acknowledge', ARRAY['name', 'bigint[]'], 'volatile');
SELECT is_strict('smartregion', 'zae_zone_history_acknowledge', ARRAY['name', 'bigint[]']);
SELECT ok((SELECT proparallel = 'u' AND NOT prosecdef FROM pg_proc WHERE oid = 'smartregion.zae_zone_history_acknowledge(name,bigint[])'::regprocedure),
          'zae_zone_history_acknowledge writes a hub table as its caller: parallel unsafe, not SECURITY DEFINER');
-- the undated land units (a building of unknown year) are reported last, after the trajectory
SELECT is((SELECT pg_get_function_result('smartregion.land_consumption(text,text,text,integer,integer)'::regprocedure)),
          'TABLE(zone_id bigint, year integer, newly_built_land_units bigint, consumed_ha double precision, '
          'baseline_2011_2020_ha double precision, allowance_2021_2030_ha double precision, '
          'consumed_since_2021_ha double precision, remaining_allowance_ha double precision, '
          'on_trajectory boolean, undated_land_units bigint, undated_ha double precision)',
          'land_consumption returns the trajectory, then undated_land_units and undated_ha');
SELECT isnt_strict('smartregion', 'zone_indicators', ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb']);
SELECT ok((SELECT proparallel = 'u' FROM pg_proc WHERE oid = 'smartregion.zone_indicators(text,text,text,text,date,jsonb)'::regprocedure),
          'zone_indicators runs user SQL: parallel unsafe');
SELECT ok(obj_description('smartregion.statistical_secrecy(text,jsonb)'::regprocedure, 'pg_proc') IS NOT NULL,
          'statistical_secrecy has a comment');
SELECT is((SELECT array_agg(table_name::text ORDER BY table_name) FROM smartregion.hub_table WHERE service = 'activity_zones'),
          ARRAY['zae_buildings', 'zae_establishments', 'zae_parcels', 'zae_zone_history', 'zae_zones'], 'hub tables of activity_zones');
SELECT is((SELECT entry_points FROM smartregion.services() WHERE name = 'activity_zones'),
          ARRAY['zone_indicators', 'land_unit_vacancy', 'land_consumption', 'statistical_secrecy', 'pole_eco', 'site_eco',
                'terrain_eco', 'etablissement', 'cnig_csv', 'naf_vocation', 'zae_rows_outside_territory', 'set_secrecy_rules',
                'zae_zone_history_acknowledge'],
          'service activity_zones registered (set_secrecy_rules: since 2026-12-07, h6; zae_zone_history_acknowledge: h4)');
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
-- invariants on a generated region: every active establishment is counted
-- once (in a zone, on a parcel outside the zones, or off parcel); the
-- published view never shows a value the full view does not have
CREATE TEMP TABLE tz AS SELECT g AS zone_id, ST_MakeEnvelope(g * 100, 0, g * 100 + 80, 80, 2154) AS geom
  FROM generate_series(0, 5) g;
CREATE TEMP TABLE tp AS SELECT 'p' || i AS parcel_id, ST_MakeEnvelope(i * 20, 0, i * 20 + 20, 80, 2154) AS geom,
       CASE WHEN i % 3 = 0 THEN 'u' || (i / 3) END AS land_unit_id
  FROM generate_series(0, 29) i;
CREATE TEMP TABLE te AS SELECT lpad(k::text, 14, '0') AS siret,
       ST_SetSRID(ST_MakePoint(3.5 + (k * 37) % 700, 5.5 + (k * 13) % 80), 2154) AS geom,
       (ARRAY['62.01Z', '47.11F', '10.71C', '52.10B', '70.22Z'])[1 + k % 5] AS naf,
       (ARRAY['01', '02', '11', '12', 'NN'])[1 + (k / 5) % 5] AS headcount_band,
       DATE '2010-01-01' + (k * 97) % 4000 AS start_date,
       CASE WHEN k % 4 = 0 THEN DATE '2023-01-01' + k % 300 END AS end_date, k % 7 <> 0 AS cfe_liable
  FROM generate_series(1, 400) k;
CREATE TEMP TABLE full_v AS SELECT * FROM smartregion.zone_indicators('SELECT * FROM tz', 'SELECT * FROM tp', NULL, 'SELECT * FROM te', '2024-06-30');
CREATE TEMP TABLE pub_v AS SELECT * FROM smartregion.zone_indicators('SELECT * FROM tz', 'SELECT * FROM tp', NULL, 'SELECT * FROM te', '2024-06-30', '{"published": true}');
SELECT ok((SELECT bool_and(vacancy_rate BETWEEN 0 AND 1 AND vacant_land_units <= land_units) FROM full_v),
          'vacancy rate in [0, 1]');
SELECT is((SELECT sum(establishments)::int FROM full_v)
          + (SELECT count(*)::int FROM te e WHERE (e.end_date IS NULL OR e.end_date >= '2024-06-30')
               AND EXISTS (SELECT 1 FROM tp WHERE ST_Intersects(tp.geom, e.geom))
               AND NOT EXISTS (SELECT 1 FROM tz JOIN tp ON ST_Area(ST_Intersection(tz.geom, tp.geom)) > 0
                                WHERE ST_Intersects(tp.geom, e.geom))),
          (SELECT count(*)::int FROM te e WHERE (e.end_date IS NULL OR e.end_date >= '2024-06-30')
             AND EXISTS (SELECT 1 FROM tp WHERE ST_Intersects(tp.geom, e.geom))),
          'active establishments on parcels: in zones plus on parcels outside zones');
SELECT ok((SELECT bool_and(p.establishments IS NULL OR p.establishments = f.establishments)
                  AND bool_and(p.jobs_estimate IS NULL OR p.jobs_estimate = f.jobs_estimate)
             FROM pub_v p JOIN full_v f USING (zone_id)),
          'published totals are either withheld or exact');
SELECT ok((SELECT bool_and(NOT EXISTS (SELECT 1 FROM jsonb_each(p.sector_mix) s
                                       WHERE s.value <> 'null'::jsonb AND s.value <> f.sector_mix -> s.key)
                           AND (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(p.sector_mix) k)
                               IS NOT DISTINCT FROM (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(f.sector_mix) k))
             FROM pub_v p JOIN full_v f USING (zone_id)),
          'published sector mix: same sections, values withheld or exact');
SELECT * FROM finish();
ROLLBACK;
