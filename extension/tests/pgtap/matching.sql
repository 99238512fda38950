-- pgTAP: API shape and invariants of the tiers-lieux matching service.
BEGIN;
SELECT plan(32);

SELECT has_function('smartregion', 'match_score', ARRAY['jsonb', 'jsonb', 'jsonb']);
SELECT function_returns('smartregion', 'match_score', ARRAY['jsonb', 'jsonb', 'jsonb'], 'double precision');
SELECT volatility_is('smartregion', 'match_score', ARRAY['jsonb', 'jsonb', 'jsonb'], 'stable');
SELECT has_function('smartregion', 'match_explain', ARRAY['jsonb', 'jsonb', 'jsonb']);
SELECT function_returns('smartregion', 'match_explain', ARRAY['jsonb', 'jsonb', 'jsonb'], 'jsonb');
SELECT volatility_is('smartregion', 'match_explain', ARRAY['jsonb', 'jsonb', 'jsonb'], 'stable');
SELECT has_function('smartregion', 'match_candidates', ARRAY['text', 'text', 'integer', 'jsonb', 'text']);
SELECT function_returns('smartregion', 'match_candidates', ARRAY['text', 'text', 'integer', 'jsonb', 'text'], 'setof record');
SELECT volatility_is('smartregion', 'match_candidates', ARRAY['text', 'text', 'integer', 'jsonb', 'text'], 'volatile');
SELECT has_function('smartregion', 'match_assign', ARRAY['text', 'text', 'text']);
SELECT function_returns('smartregion', 'match_assign', ARRAY['text', 'text', 'text'], 'setof record');
SELECT volatility_is('smartregion', 'match_assign', ARRAY['text', 'text', 'text'], 'volatile');
SELECT is((SELECT pg_get_function_identity_arguments('smartregion.match_candidates(text,text,integer,jsonb,text)'::regprocedure)),
          'projects_sql text, premises_sql text, k integer, weights jsonb, travel_sql text', 'match_candidates parameter names');
SELECT is((SELECT pg_get_function_result('smartregion.match_assign(text,text,text)'::regprocedure)),
          'TABLE(project_id bigint, premise_id bigint, score double precision)', 'match_assign result columns');

SELECT has_table('smartregion', 'match_criterion', 'plugin criteria registry');
SELECT columns_are('smartregion', 'match_criterion', ARRAY['name', 'function', 'weight', 'hard', 'description', 'provider']);
SELECT col_type_is('smartregion', 'match_criterion', 'function', 'text', 'function column is a signature as text (pg_upgrade refuses a regprocedure)');
SELECT ok((SELECT 'smartregion.match_criterion'::regclass = ANY (extconfig) FROM pg_extension WHERE extname = 'smartregion'),
          'match_criterion is an extension configuration table (kept by pg_dump)');
SELECT ok(EXISTS (SELECT 1 FROM smartregion.services() WHERE name = 'tiers_lieux_matching'
                  AND entry_points @> ARRAY['match_score', 'match_explain', 'match_candidates', 'match_assign']),
          'service tiers_lieux_matching registered with its entry points');
SELECT set_has($$SELECT table_name::text FROM smartregion.hub_table WHERE service = 'tiers_lieux_matching'$$,
               $$VALUES ('premises'), ('projects')$$, 'hub tables premises and projects registered');

-- invariants
SELECT is(smartregion.match_score(NULL, '{}'), NULL, 'NULL project gives NULL');
SELECT ok(smartregion.match_score('{"lon": 2, "lat": 48, "budget_month": 900}', '{"lon": 2.1, "lat": 48.1, "rent_month": 300}')
          BETWEEN 0 AND 1, 'score in [0, 1]');
SELECT is(smartregion.match_score('{"budget_month": 100}', '{"rent_month": 300}'), 0::float8, 'hard failure gives 0');
SELECT is((smartregion.match_explain('{"budget_month": 100}', '{"rent_month": 300}') -> 'failed' -> 0 ->> 'name'), 'budget',
          'explain names the failed constraint');
SELECT cmp_ok(smartregion.match_score('{"lon": 2, "lat": 48}', '{"lon": 2, "lat": 48.01}'), '>',
              smartregion.match_score('{"lon": 2, "lat": 48}', '{"lon": 2, "lat": 48.02}'), 'closer is better');
SELECT is(round(smartregion.match_score('{"team_size": 4}', '{"capacity": 10}')::numeric, 12),
          round(smartregion.match_score('{"team_size": 10}', '{"capacity": 4}')::numeric, 12), 'capacity fit symmetric');
SELECT is(round((SELECT sum((c ->> 'contribution')::float8)
                   FROM jsonb_array_elements(smartregion.match_explain('{"lon": 2, "lat": 48, "budget_month": 900, "team_size": 3}',
                        '{"lon": 2.1, "lat": 48.1, "rent_month": 300, "capacity": 5}') -> 'criteria') c)::numeric, 9),
          round(smartregion.match_score('{"lon": 2, "lat": 48, "budget_month": 900, "team_size": 3}',
                '{"lon": 2.1, "lat": 48.1, "rent_month": 300, "capacity": 5}')::numeric, 9), 'contributions sum to the score');
SELECT throws_ok($$SELECT smartregion.match_score('{"surface_min_m2": -1}', '{}')$$, '22003', NULL, 'negative surface: 22003');
SELECT throws_ok($$SELECT smartregion.match_score('{"kinds": ["moon"]}', '{}')$$, '22023', NULL, 'unknown kind: 22023');
SELECT throws_ok($$SELECT * FROM smartregion.match_assign('SELECT 1 AS project_id, 1 AS premise_id, 0.5 AS score UNION ALL SELECT 1, 1, 0.2')$$,
                 '22000', NULL, 'duplicate pair: 22000');
-- optimal never below stable and greedy
SELECT ok((SELECT sum(score) FROM smartregion.match_assign($$SELECT i AS project_id, j AS premise_id, ((i * 7 + j * 13) % 17 + 1) / 17.0 AS score
                                                           FROM generate_series(1, 30) i, generate_series(1, 12) j WHERE (i + j) % 3 <> 0$$, 'optimal',
                                                         'SELECT j AS premise_id, 2 AS capacity FROM generate_series(1, 12) j'))
          >= (SELECT max(t) FROM (SELECT m, sum(x.score) t FROM unnest(ARRAY['stable', 'stable_premises', 'greedy']) m,
                  LATERAL smartregion.match_assign($$SELECT i AS project_id, j AS premise_id, ((i * 7 + j * 13) % 17 + 1) / 17.0 AS score
                                                    FROM generate_series(1, 30) i, generate_series(1, 12) j WHERE (i + j) % 3 <> 0$$, m,
                                                  'SELECT j AS premise_id, 2 AS capacity FROM generate_series(1, 12) j') x
                  GROUP BY m) s) - 1e-9,
          'optimal total >= stable and greedy totals');
SELECT ok((SELECT max(n) FROM (SELECT count(*) n FROM smartregion.match_assign($$SELECT i AS project_id, j AS premise_id, 0.5 AS score
                                 FROM generate_series(1, 30) i, generate_series(1, 12) j$$, 'stable',
                                 'SELECT j AS premise_id, 2 AS capacity FROM generate_series(1, 12) j') GROUP BY premise_id) s) <= 2,
          'stable respects capacities');

SELECT * FROM finish();
ROLLBACK;
