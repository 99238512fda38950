-- Digital-maturity observatory: bad input and its errors (SQLSTATE + message).
-- Runs after sql/maturity.sql or alone: makes the framework "mt", territories and hub
-- "mt_hub" as maturity.sql leaves them, and removes them at the end.
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS sr_maturity_errors_owner;
RESET client_min_messages;
-- what sql/maturity.sql leaves, made here as it makes it, so that this test runs alone (in a
-- fresh database) as well as after it: its territories (the same two loads), framework mt,
-- hub mt_hub with its values and answers (those of 2020 and 2023, and ftth_coverage's of
-- 2018), and mt2, mt's copy whose i0 is the plugin public.mt_plugin; what maturity.sql or a
-- run stopped half way left is dropped first
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS mt_hub CASCADE;
DELETE FROM smartregion.maturity_framework WHERE name IN ('mt', 'mt2');
DROP FUNCTION IF EXISTS public.mt_plugin(int);
SELECT count(*) AS types FROM smartregion.load_territories(
  '[{"code":"69001","nom":"Alpha","departement":"69","region":"84","type":"commune-actuelle","population":1000},
    {"code":"69002","nom":"Beta","departement":"69","region":"84","type":"commune-actuelle","population":100000},
    {"code":"69003","nom":"Beta-Déléguée","departement":"69","region":"84","type":"commune-deleguee","population":50},
    {"code":"35001","nom":"Gamma","departement":"35","region":"53","type":"commune-actuelle","population":1200},
    {"code":"35002","nom":"Delta","departement":"35","region":"53","type":"commune-actuelle","population":900},
    {"code":"53001","nom":"Epsilon","departement":"53","region":"52","type":"commune-actuelle","population":500}]',
  '[{"code":"200000001","nom":"CC Un","type":"CC","populationMunicipale":101000,"membres":[{"code":"69001"},{"code":"69002"}]},
    {"code":"200000002","nom":"CC Deux","type":"CC","populationMunicipale":2100,"membres":[{"code":"35001"},{"code":"35002"}]}]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"35","nom":"Ille-et-Vilaine","region":"53"},
    {"code":"53","nom":"Mayenne","region":"52"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"53","nom":"Bretagne"},{"code":"52","nom":"Pays de la Loire"}]');
SELECT count(*) AS types FROM smartregion.load_territories(
  '[{"code":"69001","nom":"Alpha","departement":"69","region":"84","population":1000},
    {"code":"69002","nom":"Beta","departement":"69","region":"84","population":100000},
    {"code":"35001","nom":"Gamma","departement":"35","region":"53","population":1200},
    {"code":"35002","nom":"Delta","departement":"35","region":"53","population":900},
    {"code":"53001","nom":"Epsilon","departement":"53","region":"52","population":500}]',
  '[{"code":"200000001","nom":"CC Un","populationMunicipale":101000,"membres":[{"code":"69001"},{"code":"69002"}]},
    {"code":"200000002","nom":"CC Deux","populationMunicipale":2100,"membres":[{"code":"35001"},{"code":"35002"}]}]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"35","nom":"Ille-et-Vilaine","region":"53"},
    {"code":"53","nom":"Mayenne","region":"52"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"53","nom":"Bretagne"},{"code":"52","nom":"Pays de la Loire"}]');
INSERT INTO smartregion.maturity_framework (name, version, description) VALUES ('mt', '0.1', 'regression test');
INSERT INTO smartregion.maturity_axis (framework, axis, position, label, weight) VALUES
  ('mt', 'a', 1, 'Axis A', 0.5), ('mt', 'b', 2, 'Axis B', 0.5);
INSERT INTO smartregion.maturity_indicator (framework, indicator, axis, position, label, kind, goal_min, goal_max, direction, weight, rollup) VALUES
  ('mt', 'i0', 'a', 1, 'Indicator 0', 'quantitative', 0, 100, 1, 0.5, 'population_weighted_mean'),
  ('mt', 'i1', 'a', 2, 'Indicator 1', 'quantitative', 0, 10, -1, 0.5, 'min'),
  ('mt', 'i2', 'b', 1, 'Indicator 2', 'declarative', 1, 5, 1, 1.0, 'mean');
INSERT INTO smartregion.maturity_level (framework, level, min_score, label)
  SELECT 'mt', level, min_score, label FROM smartregion.maturity_level WHERE framework = 'default';
SELECT smartregion.maturity_check_framework('mt');
SELECT count(*) AS hub_objects FROM smartregion.create_hub('mt_hub') WHERE service = 'digital_maturity';
INSERT INTO mt_hub.maturity_value (indicator, territory_type, territory_code, year, value, source) VALUES
  ('i0', 'commune', '69001', 2023, 50, 'test'), ('i0', 'commune', '69001', 2020, 10, 'test old'),
  ('i1', 'commune', '69001', 2023, 2, 'test'),
  ('i0', 'commune', '69002', 2023, 90, 'test'), ('i1', 'commune', '69002', 2023, 12, 'test'),
  ('i0', 'commune', '35001', 2023, 0, 'test'),
  ('i0', 'commune', '99999', 2023, 70, 'unknown territory: ignored');
INSERT INTO mt_hub.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source) VALUES
  ('i2', 'commune', '69001', 2023, 'mayor', 2, 'survey'), ('i2', 'commune', '69001', 2023, 'cio', 4, 'survey'),
  ('i2', 'commune', '69001', 2020, 'mayor', 5, 'survey 2020'),
  ('i2', 'commune', '69002', 2023, 'mayor', 5, 'survey'),
  ('i2', 'commune', '35001', 2023, 'mayor', 1, 'survey');
INSERT INTO mt_hub.maturity_value (indicator, territory_type, territory_code, year, value, source) VALUES
  ('ftth_coverage', 'commune', '69001', 2018, 75, 'test'), ('ftth_coverage', 'commune', '35001', 2018, 25, 'test'),
  ('ftth_coverage', 'commune', '35002', 2018, 35, 'test');
CREATE FUNCTION public.mt_plugin(year int)
RETURNS TABLE (territory_type text, territory_code text, value double precision)
LANGUAGE sql STABLE AS $$
  VALUES ('commune', '69001', 100::float8), ('commune', '69002', 0), ('commune', '35001', 50)
$$;
SELECT smartregion.maturity_copy_framework('mt', 'mt2');
SELECT smartregion.maturity_register_plugin('mt2', 'i0', 'public.mt_plugin(int)');
RESET client_min_messages;
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  EXECUTE q;
  RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;

-- unknown framework, territory, indicator, hub
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('nope')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_score('99999', 'mt', options => '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_peers('12345', 'mt')$$);
SELECT pg_temp.err($$SELECT smartregion.maturity_register_plugin('mt', 'nope', NULL)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt', options => '{"hub": "no_such_hub"}')$$);
-- ambiguous code (département 53 and région 53), then resolved by type
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_score('53', 'mt', options => '{"hub": "mt_hub"}')$$);
SELECT count(*) AS rows FROM smartregion.maturity_score('53', 'mt', options => '{"hub": "mt_hub"}', territory_type => 'region');
SELECT count(*) AS rows FROM smartregion.maturity_score('departement:53', 'mt', options => '{"hub": "mt_hub"}');
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_score('69001', 'mt', territory_type => 'city')$$);

-- weights that do not sum to 1
UPDATE smartregion.maturity_axis SET weight = 0.4 WHERE framework = 'mt' AND axis = 'a';
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt', options => '{"hub": "mt_hub"}')$$);
UPDATE smartregion.maturity_axis SET weight = 0.5 WHERE framework = 'mt' AND axis = 'a';
UPDATE smartregion.maturity_indicator SET weight = 0.6 WHERE framework = 'mt' AND indicator = 'i0';
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_uncertainty('mt', 10, options => '{"hub": "mt_hub"}')$$);
UPDATE smartregion.maturity_indicator SET weight = 0.5 WHERE framework = 'mt' AND indicator = 'i0';
SELECT pg_temp.err($$UPDATE smartregion.maturity_axis SET weight = 0 WHERE framework = 'mt' AND axis = 'a'$$);

-- goalposts with min = max, declarative indicators off the 1-5 scale
SELECT pg_temp.err($$INSERT INTO smartregion.maturity_indicator (framework, indicator, axis, label, kind, goal_min, goal_max, weight)
                     VALUES ('mt', 'flat', 'a', 'flat', 'quantitative', 5, 5, 0.1)$$);
SELECT pg_temp.err($$INSERT INTO smartregion.maturity_indicator (framework, indicator, axis, label, kind, goal_min, goal_max, weight)
                     VALUES ('mt', 'decl', 'a', 'decl', 'declarative', 0, 10, 0.1)$$);
SELECT pg_temp.err($$INSERT INTO smartregion.maturity_indicator (framework, indicator, axis, label, kind, goal_min, goal_max, weight)
                     VALUES ('mt', 'inf', 'a', 'inf', 'quantitative', 0, 'Infinity', 0.1)$$);
-- answers outside 1-5
SELECT pg_temp.err($$INSERT INTO mt_hub.maturity_answer (indicator, territory_type, territory_code, year, answer, source)
                     VALUES ('i2', 'commune', '69001', 2024, 6, 'x')$$);
SELECT pg_temp.err($$INSERT INTO mt_hub.maturity_answer (indicator, territory_type, territory_code, year, answer, source)
                     VALUES ('i2', 'commune', '69001', 2024, 0, 'x')$$);
SELECT pg_temp.err($$INSERT INTO mt_hub.maturity_value (indicator, territory_type, territory_code, year, value, source)
                     VALUES ('i0', 'commune', '69001', 2024, 'NaN', 'x')$$);

-- options
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt', options => '{"normalisation": "log"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt', options => '{"colour": "blue"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt', options => '[]')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_uncertainty('mt', 0)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_uncertainty('mt', 10, options => '{"weight_noise": 1.5}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_uncertainty('mt', 10, options => '{"hub": "mt_hub", "aggregations": ["median"]}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_rollup('mt', options => '{"territory_type": "commune"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_recommendations('69001', 'mt', top => 0)$$);

-- the internal C functions read the methods, the hub and the type with the options' specs:
-- the same messages as the options above
SELECT pg_temp.err($$SELECT * FROM smartregion._maturity_eval('mt', NULL, 'log', NULL, NULL, 'mt_hub', NULL, false)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion._maturity_eval('mt', NULL, NULL, NULL, NULL, 'mt_hub', 'city', false)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion._maturity_mc('mt', NULL, 10, 1, 0.25, '{goalposts}', '{median}', '{mean}',
                                                            NULL, NULL, NULL, 'mt_hub', NULL)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion._maturity_mc('mt', NULL, 10, 1, 0.25, '{}', '{arithmetic}', '{mean}',
                                                            NULL, NULL, NULL, 'mt_hub', NULL)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion._maturity_eval(NULL, NULL, NULL, NULL, NULL, 'mt_hub', NULL, false)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion._maturity_detail('mt', NULL, NULL, NULL, NULL, 'mt_hub', 'commune', '99999')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion._maturity_eval('nope', NULL, NULL, NULL, NULL, 'mt_hub', NULL, false)$$);

-- plugins with the wrong signature
CREATE FUNCTION public.mt_bad_plugin(x text) RETURNS float8 LANGUAGE sql AS 'SELECT 1::float8';
SELECT pg_temp.err($$SELECT smartregion.maturity_register_plugin('mt', 'i0', 'public.mt_bad_plugin(text)')$$);
SELECT pg_temp.err($$SELECT smartregion.maturity_register_plugin('mt', 'i0', 'public.no_such_plugin(int)')$$);
-- A plugin runs inside the maturity readers, which are STABLE (PARALLEL UNSAFE): one
-- declared VOLATILE is refused (42P13) when it is registered, and by every reader when it
-- was altered VOLATILE since, before it is called.  Before, both were accepted and this
-- one's nextval ran inside the STABLE maturity_scores (the sequence advanced at each call)
CREATE SEQUENCE public.mt_plugin_calls;
CREATE FUNCTION public.mt_counted(year int)
RETURNS TABLE (territory_type text, territory_code text, value double precision)
LANGUAGE sql AS $$ SELECT 'commune', '69001', 0 * nextval('public.mt_plugin_calls')::float8 $$;
SELECT pg_temp.err($$SELECT smartregion.maturity_register_plugin('mt2', 'i0', 'public.mt_counted(int)')$$);
-- nothing registered: mt2's i0 is still mt_plugin's
SELECT plugin FROM smartregion.maturity_indicator WHERE framework = 'mt2' AND indicator = 'i0';
-- STABLE and PARALLEL UNSAFE (PostgreSQL's default) keeps the readers' promise: registered
ALTER FUNCTION public.mt_counted(int) STABLE;
SELECT pg_temp.err($$SELECT smartregion.maturity_register_plugin('mt2', 'i0', 'public.mt_counted(int)')$$);
-- made VOLATILE after its registration: each reader refuses it before calling it
ALTER FUNCTION public.mt_counted(int) VOLATILE;
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt2', NULL, '{"hub": "mt_hub", "territory_type": "commune"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_score('69001', 'mt2', options => '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_uncertainty('mt2', 10, 1, NULL, '{"hub": "mt_hub", "territory_type": "commune"}')$$);
-- never called: last_value 1, is_called false (a fresh sequence)
SELECT last_value, is_called FROM public.mt_plugin_calls;
-- the refusal's detail and hint (the same at registration)
\set SHOW_CONTEXT never
SELECT count(*) FROM smartregion.maturity_scores('mt2', NULL, '{"hub": "mt_hub", "territory_type": "commune"}');
\set SHOW_CONTEXT errors
SELECT smartregion.maturity_register_plugin('mt2', 'i0', 'public.mt_plugin(int)');
DROP FUNCTION public.mt_counted(int);
DROP SEQUENCE public.mt_plugin_calls;
-- the registry holds the plugin's signature, schema-qualified (not a regprocedure, which
-- pg_upgrade refuses); the function is checked again when it is called: given to
-- another owner (who could redefine it) it is refused (42501), renamed or dropped it is
-- 42883 (a signature does not follow a rename: register it again)
SELECT plugin FROM smartregion.maturity_indicator WHERE framework = 'mt2' AND indicator = 'i0';
CREATE ROLE sr_maturity_errors_owner;
ALTER FUNCTION public.mt_plugin(int) OWNER TO sr_maturity_errors_owner;
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt2', NULL, '{"hub": "mt_hub"}')$$);
ALTER FUNCTION public.mt_plugin(int) RENAME TO mt_plugin_renamed;
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores('mt2', NULL, '{"hub": "mt_hub"}')$$);
-- the row's other columns stay writable while its plugin is not found (the signature,
-- unchanged, is not checked again; before: 42883 from sr_code_guard)
UPDATE smartregion.maturity_indicator SET label = 'i0, plugin renamed' WHERE framework = 'mt2' AND indicator = 'i0';
SELECT label FROM smartregion.maturity_indicator WHERE framework = 'mt2' AND indicator = 'i0';
ALTER FUNCTION public.mt_plugin_renamed(int) RENAME TO mt_plugin;
ALTER FUNCTION public.mt_plugin(int) OWNER TO CURRENT_USER;
DROP ROLE sr_maturity_errors_owner;

-- territories loader
SELECT pg_temp.err($$SELECT * FROM smartregion.load_territories('{"code": "1"}', NULL, NULL, NULL)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.load_territories('[{"code": "x!", "nom": "bad"}]', NULL, NULL, NULL)$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.load_territories(NULL, NULL, NULL, '[{"code": "84", "nom": "a"}, {"code": "84", "nom": "b"}]')$$);

-- radar chart arrays
SELECT pg_temp.err($$SELECT smartregion.maturity_radar_chart(ARRAY['a', 'b'], ARRAY[1, 2]::float8[])$$);
SELECT pg_temp.err($$SELECT smartregion.maturity_radar_chart(ARRAY['a', 'b', 'c'], ARRAY[1, 2]::float8[])$$);
-- values out of 0-100 are labelled as drawn: at the nearest bound, n/a where not finite
SELECT (regexp_matches(smartregion.maturity_radar_chart(ARRAY['a', 'b', 'c', 'd'],
          ARRAY['NaN', 'Infinity', -5, 1e300]::float8[]), 'class="val">([^<]*)<', 'g'))[1] AS label;
SELECT pg_temp.err($$SELECT smartregion.maturity_population_class(-1)$$);

-- reversed years: maturity_trend gave no row where maturity_movers raises 22023
-- (from_year = to_year is a trend of one year: 69001 has data in 2020 and 2023)
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_trend('69001', 'mt', '{"hub": "mt_hub", "from_year": 2023, "to_year": 2020}')$$);
SELECT array_agg(DISTINCT year) AS years FROM smartregion.maturity_trend('69001', 'mt', '{"hub": "mt_hub", "from_year": 2023, "to_year": 2023}');
SELECT array_agg(DISTINCT year) AS years FROM smartregion.maturity_trend('69001', 'mt', '{"hub": "mt_hub", "from_year": 2020, "to_year": 2023}');
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_movers(2023, 2020, 'mt', '{"hub": "mt_hub"}')$$);
-- a NULL framework or year is 22004, as in the C functions (_maturity_eval above); the
-- scoring functions said 42704 'maturity framework "<NULL>" does not exist'
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_trend('69001', NULL, '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_scores(NULL, options => '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_peers('69001', NULL, options => '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_uncertainty(NULL, 10, options => '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_report('69001', NULL, options => '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_movers(2023, 2024, NULL, '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_movers(NULL, 2024, 'mt', '{"hub": "mt_hub"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_movers(2023, NULL, 'mt', '{"hub": "mt_hub"}')$$);
-- a département or région that is no territory is 42704 (it gave no row, as a département
-- where nothing moved)
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_movers(2020, 2023, 'mt', '{"hub": "mt_hub", "departement": "7"}')$$);
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_movers(2020, 2023, 'mt', '{"hub": "mt_hub", "region": "99"}')$$);
SELECT pg_temp.err($$SELECT smartregion.maturity_check_framework(NULL)$$);
SELECT pg_temp.err($$SELECT smartregion.maturity_copy_framework('mt', NULL)$$);

-- the Monte-Carlo ranks are charged to smartregion.max_call_memory (they were not: 1 GB at
-- the core's 250 million territory-runs). The 3 régions of the fixture, 3 indicators, 2 axes,
-- 4 type groups, one normalisation, no peer imputation, one thread (LP64), counted by hand from
-- sr_mat_uncertainty's allocations: runs x (4 x 3 + 264 + 8 x (3 + 2)) = 316 bytes a run, plus
-- 4 x max(runs, 3) for tmp, 2 x 8 x 9 + 8 x (9 + 12) = 312, the thread 112 + 40 x 3 + 262148 +
-- 20 = 262400 and 4 x 14 = 56: 262768 + 320 a run. At 300 kB (307200 bytes) 138 runs took
-- 306928 bytes and passed, 139 runs 307248: refused.
-- The hub data held during the runs was left out: the value matrix 20 x (3 x 3 + 1) = 200,
-- the index 4 x 16 = 64, 77 a territory (231), and the régions' codes and names with their
-- zeros (counted below in SQL): 495 + text. 138 runs now pass only if 306928 + 495 + text
-- fits, which it does not: the runs that fit are floor((307200 - 262768 - 495 - text) / 320)
SELECT sum(octet_length(code) + octet_length(name) + 2) AS region_text,
       floor((307200 - 262768 - 495 - sum(octet_length(code) + octet_length(name) + 2)) / 320) AS runs_fit
  FROM smartregion.territory WHERE type = 'region' \gset
SELECT :region_text AS region_text, :runs_fit AS runs_fit, 306928 + 495 + :region_text > 307200 AS runs_138_over;
SET smartregion.max_threads = 1;
SET smartregion.max_call_memory = '300kB';
SELECT count(*) AS regions FROM smartregion.maturity_uncertainty('mt', :runs_fit, options =>
  '{"hub": "mt_hub", "territory_type": "region", "normalisations": ["goalposts"], "aggregations": ["arithmetic"], "missing_methods": ["reweight"]}');
SELECT pg_temp.err(format($$SELECT * FROM smartregion.maturity_uncertainty('mt', %s, options =>
  '{"hub": "mt_hub", "territory_type": "region", "normalisations": ["goalposts"], "aggregations": ["arithmetic"], "missing_methods": ["reweight"]}')$$, :runs_fit + 1));
SELECT pg_temp.err($$SELECT * FROM smartregion.maturity_uncertainty('mt', 138, options =>
  '{"hub": "mt_hub", "territory_type": "region", "normalisations": ["goalposts"], "aggregations": ["arithmetic"], "missing_methods": ["reweight"]}')$$) AS runs_138;
\set SHOW_CONTEXT never
SELECT * FROM smartregion.maturity_uncertainty('mt', 139, options =>
  '{"hub": "mt_hub", "territory_type": "region", "normalisations": ["goalposts"], "aggregations": ["arithmetic"], "missing_methods": ["reweight"]}');
\set SHOW_CONTEXT errors
RESET smartregion.max_call_memory;
RESET smartregion.max_threads;

-- clean up the regression data
DROP SCHEMA mt_hub CASCADE;
DELETE FROM smartregion.maturity_framework WHERE name IN ('mt', 'mt2');
DROP FUNCTION public.mt_plugin(int);
DROP FUNCTION public.mt_bad_plugin(text);
SELECT count(*) AS territories_left FROM smartregion.load_territories('[]', '[]', '[]', '[]');
SELECT count(*) AS default_indicators FROM smartregion.maturity_indicator WHERE framework = 'default';

-- nothing loaded is not "no match" (h4, 2026-12-07): maturity_scores answered no row before
-- the territories were loaded, and NULL scores before the values, and said nothing.  A hub
-- of its own, no territory (the clean-up above removed them): no row and a NOTICE naming
-- smartregion.territory; of a type asked for, that type
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('mt_empty');
SET client_min_messages = notice;
\set SHOW_CONTEXT never
SELECT count(*) AS rows FROM smartregion.maturity_scores(options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_scores(options => '{"hub": "mt_empty", "territory_type": "region"}');
-- the other readers that list territories say the same, through the same helper
-- (_maturity_nothing_loaded; before 2026-12-07, h11: 0 rows and nothing said)
SELECT count(*) AS rows FROM smartregion.maturity_rollup(options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_uncertainty(runs => 10, options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_movers(2023, 2024, options => '{"hub": "mt_empty", "territory_type": "epci"}');
-- one commune loaded, no value: its row, its score NULL, and a NOTICE naming the hub's tables
SET client_min_messages = warning;
SELECT count(*) AS types FROM smartregion.load_territories('[{"code": "69381", "nom": "Lyon 1er", "population": 1000}]', '[]', '[]', '[]');
SET client_min_messages = notice;
SELECT territory_code, score FROM smartregion.maturity_scores(options => '{"hub": "mt_empty"}');
-- the other readers, same NOTICE (one each): of one territory, its detail rows with NULL
-- values (36 indicators of the default framework), its 10 rows of peers (overall + 9 axes),
-- no year of a trend; of every territory, its one row (uncertainty), none (movers: no score)
SELECT count(*) AS rows, count(score) AS scored FROM smartregion.maturity_score('69381', options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows, count(score) AS scored FROM smartregion.maturity_peers('69381', options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_trend('69381', options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_uncertainty(runs => 10, options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_movers(2023, 2024, options => '{"hub": "mt_empty"}');
-- maturity_recommendations: the NOTICE once (before 2026-12-07: twice, from maturity_peers
-- and from maturity_score, which it called); its rows: no axis (no score, every value
-- missing), and top = 3 indicators: each one's gain is 100 (sr_mat_gain: the score NULL
-- counts 0 before; after, that indicator alone at 100, the others missing and reweighted,
-- scores 100), so the first 3 of the 36 by name
SELECT count(*) AS rows FROM smartregion.maturity_recommendations('69381', options => '{"hub": "mt_empty"}');
-- maturity_radar_svg with compare_year: the NOTICE once (before 2026-12-07: twice, from its
-- two maturity_peers calls, the second for the year compared); an SVG all the same (every
-- axis n/a)
SELECT smartregion.maturity_radar_svg('69381', options => '{"hub": "mt_empty", "compare_year": 2023}') LIKE '%<svg%</svg>%' AS svg;
-- maturity_rollup with communes only and no option territory_type: no row (it scores the
-- EPCI, départements and régions, none loaded) and a NOTICE saying so, naming what to load
-- and the reader of communes (before 2026-12-07: no row, nothing said; the NOTICE of the
-- values is not added: the first says what is missing first); with territory_type, the
-- type (as before)
SELECT count(*) AS rows FROM smartregion.maturity_rollup(options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_rollup(options => '{"hub": "mt_empty", "territory_type": "epci"}');
-- a value: scored, no NOTICE
INSERT INTO mt_empty.maturity_value (indicator, territory_type, territory_code, year, value, source)
  VALUES ('public_wifi_per_10k', 'commune', '69381', 2024, 3, 'test');
SELECT territory_code, score IS NOT NULL AS scored FROM smartregion.maturity_scores(options => '{"hub": "mt_empty"}');
-- (peers: the overall score and public_wifi_per_10k's axis scored, 2 of 10 rows; trend: one
-- year, 2024, of 10 rows: overall + 9 axes; no NOTICE from either)
SELECT count(*) AS rows, count(score) AS scored FROM smartregion.maturity_peers('69381', options => '{"hub": "mt_empty"}');
SELECT count(*) AS rows FROM smartregion.maturity_trend('69381', options => '{"hub": "mt_empty"}');
-- the roll-up with a value but still communes only: no row, the same NOTICE
SELECT count(*) AS rows FROM smartregion.maturity_rollup(options => '{"hub": "mt_empty"}');
-- the commune's EPCI, département and région loaded: three rows (69381 -> EPCI 200046977,
-- département 69, région 84, each scored from its one commune's value), no NOTICE
SET client_min_messages = warning;
SELECT count(*) AS types FROM smartregion.load_territories(
  '[{"code": "69381", "nom": "Lyon 1er", "departement": "69", "region": "84", "population": 1000}]',
  '[{"code": "200046977", "nom": "Métropole de Lyon", "populationMunicipale": 1000, "membres": [{"code": "69381"}]}]',
  '[{"code": "69", "nom": "Rhône", "region": "84"}]', '[{"code": "84", "nom": "Auvergne-Rhône-Alpes"}]');
SET client_min_messages = notice;
SELECT territory_type, territory_code, score IS NOT NULL AS scored
  FROM smartregion.maturity_rollup(options => '{"hub": "mt_empty"}') ORDER BY 1, 2;
\set SHOW_CONTEXT errors
SET client_min_messages = warning;
DROP SCHEMA mt_empty CASCADE;
SELECT count(*) AS territories_left FROM smartregion.load_territories('[]', '[]', '[]', '[]');
RESET client_min_messages;
