-- pgTAP: API shape and invariants of the digital-maturity observatory.
BEGIN;
SET client_min_messages = warning;
SELECT plan(50);

-- tables: reference data (extension configuration) and hub data
SELECT has_table('smartregion', 'territory', 'territory table');
SELECT col_is_pk('smartregion', 'territory', ARRAY['type', 'code'], 'territory key is (type, code)');
SELECT has_table('smartregion', 'maturity_framework', 'framework table');
SELECT has_table('smartregion', 'maturity_axis', 'axis table');
SELECT has_table('smartregion', 'maturity_indicator', 'indicator table');
SELECT has_table('smartregion', 'maturity_level', 'level table');
SELECT ok((SELECT count(*) = 5 FROM pg_extension e, unnest(e.extconfig) c
            WHERE e.extname = 'smartregion'
              AND c::regclass::text IN ('smartregion.territory', 'smartregion.maturity_framework', 'smartregion.maturity_axis',
                                        'smartregion.maturity_indicator', 'smartregion.maturity_level')),
          'territories and frameworks are extension configuration tables (kept by pg_dump)');
SELECT has_table('smartregion', 'commune_part', 'commune parts table (former communes, arrondissements)');
SELECT ok((SELECT 'smartregion.commune_part'::regclass = ANY (extconfig) FROM pg_extension WHERE extname = 'smartregion'),
          'commune_part is an extension configuration table (kept by pg_dump)');
SELECT has_view('smartregion', 'commune_today', 'the commune of today of every commune code (view)');
SELECT ok((SELECT 'security_invoker=true' = ANY (reloptions) FROM pg_class WHERE oid = 'smartregion.commune_today'::regclass),
          'commune_today reads territory and commune_part with its caller''s rights (security_invoker)');
SELECT ok((SELECT count(*) = 2 FROM smartregion.hub_table WHERE service = 'digital_maturity'),
          'maturity_value and maturity_answer are registered hub tables');

-- functions: names, signatures, results, volatility
SELECT has_function('smartregion', 'load_territories', ARRAY['jsonb', 'jsonb', 'jsonb', 'jsonb']);
SELECT volatility_is('smartregion', 'load_territories', ARRAY['jsonb', 'jsonb', 'jsonb', 'jsonb'], 'volatile');
SELECT has_function('smartregion', 'load_territory_contours', ARRAY['jsonb', 'text']);
SELECT volatility_is('smartregion', 'load_territory_contours', ARRAY['jsonb', 'text'], 'volatile');
SELECT ok((SELECT NOT p.prosecdef FROM pg_proc p WHERE p.oid = 'smartregion.load_territory_contours(jsonb, text)'::regprocedure),
          'load_territory_contours runs as its caller (not SECURITY DEFINER)');
SELECT has_function('smartregion', 'maturity_scores', ARRAY['text', 'integer', 'jsonb']);
SELECT function_returns('smartregion', 'maturity_scores', ARRAY['text', 'integer', 'jsonb'], 'setof record');
SELECT volatility_is('smartregion', 'maturity_scores', ARRAY['text', 'integer', 'jsonb'], 'stable');
SELECT has_function('smartregion', 'maturity_score', ARRAY['text', 'text', 'integer', 'jsonb', 'text']);
SELECT volatility_is('smartregion', 'maturity_score', ARRAY['text', 'text', 'integer', 'jsonb', 'text'], 'stable');
SELECT has_function('smartregion', 'maturity_peers', ARRAY['text', 'text', 'integer', 'jsonb', 'text']);
SELECT has_function('smartregion', 'maturity_rollup', ARRAY['text', 'integer', 'jsonb']);
SELECT has_function('smartregion', 'maturity_uncertainty', ARRAY['text', 'integer', 'integer', 'integer', 'jsonb']);
SELECT volatility_is('smartregion', 'maturity_uncertainty', ARRAY['text', 'integer', 'integer', 'integer', 'jsonb'], 'stable');
SELECT has_function('smartregion', 'maturity_recommendations', ARRAY['text', 'text', 'integer', 'jsonb', 'text', 'integer']);
SELECT has_function('smartregion', 'maturity_radar_svg', ARRAY['text', 'text', 'integer', 'jsonb', 'text']);
SELECT function_returns('smartregion', 'maturity_radar_svg', ARRAY['text', 'text', 'integer', 'jsonb', 'text'], 'text');
SELECT has_function('smartregion', 'maturity_radar_chart', ARRAY['text[]', 'double precision[]', 'double precision[]', 'text', 'text', 'text']);
SELECT volatility_is('smartregion', 'maturity_radar_chart', ARRAY['text[]', 'double precision[]', 'double precision[]', 'text', 'text', 'text'], 'immutable');
SELECT has_function('smartregion', 'maturity_check_framework', ARRAY['text']);
SELECT has_function('smartregion', 'maturity_copy_framework', ARRAY['text', 'text', 'text']);
SELECT has_function('smartregion', 'maturity_register_plugin', ARRAY['text', 'text', 'text']);
SELECT has_function('smartregion', 'maturity_population_class', ARRAY['bigint']);
SELECT volatility_is('smartregion', 'maturity_population_class', ARRAY['bigint'], 'immutable');
-- default argument values as the issue names them
SELECT is((SELECT pg_get_function_arguments('smartregion.maturity_uncertainty(text, int, int, int, jsonb)'::regprocedure)),
          'framework text DEFAULT ''default''::text, runs integer DEFAULT 1000, seed integer DEFAULT 42, year integer DEFAULT NULL::integer, options jsonb DEFAULT ''{}''::jsonb',
          'maturity_uncertainty defaults: default framework, 1000 runs, seed 42');

-- the default framework
SELECT is(smartregion.maturity_check_framework('default'), '1.0', 'default framework is valid');
SELECT is((SELECT count(*)::int FROM smartregion.maturity_axis WHERE framework = 'default'), 9, '9 axes');
SELECT is((SELECT count(*)::int FROM smartregion.maturity_indicator WHERE framework = 'default'), 36, '36 indicators');
SELECT is((SELECT array_agg(label ORDER BY level) FROM smartregion.maturity_level WHERE framework = 'default'),
          ARRAY['ad hoc', 'emerging', 'structured', 'managed', 'optimised'], 'five levels');
SELECT ok((SELECT bool_and(goal_min = 1 AND goal_max = 5) FROM smartregion.maturity_indicator
            WHERE framework = 'default' AND kind = 'declarative'), 'declarative indicators on the 1-5 scale');

-- invariants on a small synthetic set: 40 communes with random-looking values
SELECT lives_ok($$SELECT * FROM smartregion.load_territories(
  (SELECT jsonb_agg(jsonb_build_object('code', lpad(g::text, 5, '0'), 'nom', 'c' || g, 'departement', '01',
                                       'region', '84', 'population', 100 * g)) FROM generate_series(1, 40) g),
  '[]', '[{"code": "01", "nom": "Ain", "region": "84"}]', '[{"code": "84", "nom": "ARA"}]')$$, 'load synthetic territories');
SELECT lives_ok($$SELECT smartregion.create_hub('tap_hub')$$, 'create hub');
INSERT INTO tap_hub.maturity_value (indicator, territory_type, territory_code, year, value, source)
SELECT i.indicator, 'commune', lpad(g::text, 5, '0'), 2024,
       i.goal_min + (i.goal_max - i.goal_min) * ((hashtext(i.indicator || g) & 1023) / 1023.0), 'synthetic'
  FROM generate_series(1, 40) g, smartregion.maturity_indicator i
 WHERE i.framework = 'default' AND i.kind = 'quantitative' AND (hashtext(g || i.indicator) & 7) <> 0;
INSERT INTO tap_hub.maturity_answer (indicator, territory_type, territory_code, year, answer, source)
SELECT i.indicator, 'commune', lpad(g::text, 5, '0'), 2024, 1 + (hashtext(i.indicator || g) & 1023) % 5, 'synthetic'
  FROM generate_series(1, 40) g, smartregion.maturity_indicator i
 WHERE i.framework = 'default' AND i.kind = 'declarative';
SELECT ok((SELECT bool_and(score BETWEEN 0 AND 100) AND count(score) = 320
             FROM unnest(ARRAY['goalposts', 'minmax', 'zscore', 'rank']) n,
                  unnest(ARRAY['arithmetic', 'geometric']) a,
                  LATERAL smartregion.maturity_scores('default', NULL,
                     jsonb_build_object('hub', 'tap_hub', 'normalisation', n, 'aggregation', a)) s
            WHERE s.territory_type = 'commune'), 'scores in [0, 100] for every normalisation and aggregation');
-- monotone: raising a positive indicator never lowers the score
CREATE TEMP TABLE before AS SELECT territory_code, score FROM smartregion.maturity_scores('default', NULL, '{"hub": "tap_hub"}');
UPDATE tap_hub.maturity_value SET value = value + 10 WHERE indicator = 'ftth_coverage';
SELECT ok((SELECT bool_and(a.score >= b.score - 1e-12) FROM before b
             JOIN smartregion.maturity_scores('default', NULL, '{"hub": "tap_hub"}') a USING (territory_code)
            WHERE b.score IS NOT NULL), 'raising ftth_coverage never lowers a score');
-- maturity_score agrees with maturity_scores, and contributions sum to the score
SELECT is((SELECT round(max(score)::numeric, 9) FROM smartregion.maturity_score('00007', options => '{"hub": "tap_hub"}')),
          (SELECT round(score::numeric, 9) FROM smartregion.maturity_scores('default', NULL, '{"hub": "tap_hub"}') WHERE territory_code = '00007'),
          'maturity_score = maturity_scores for one territory');
SELECT is((SELECT round(sum(contribution)::numeric, 9) FROM smartregion.maturity_score('00007', options => '{"hub": "tap_hub"}')),
          (SELECT round(max(score)::numeric, 9) FROM smartregion.maturity_score('00007', options => '{"hub": "tap_hub"}')),
          'contributions sum to the score');
-- Monte Carlo: same seed, same result
SELECT results_eq($$SELECT territory_code, median_rank, p05_rank, p95_rank FROM smartregion.maturity_uncertainty('default', 200, 7, NULL, '{"hub": "tap_hub"}') ORDER BY 1$$,
                  $$SELECT territory_code, median_rank, p05_rank, p95_rank FROM smartregion.maturity_uncertainty('default', 200, 7, NULL, '{"hub": "tap_hub"}') ORDER BY 1$$,
                  'Monte Carlo is reproducible');
SELECT ok(xml_is_well_formed_document(smartregion.maturity_radar_svg('00007', options => '{"hub": "tap_hub"}')),
          'radar chart is well-formed XML');

SELECT * FROM finish();
ROLLBACK;
