-- Digital-maturity observatory: a small hand-computed framework and territory
-- set (inline JSON shaped like @etalab/decoupage-administratif's files).
-- Expected values are computed by hand in docs/maturity.md "Worked example":
--   framework mt: axis a (0.5): i0 goalposts [0,100] up (0.5), i1 [0,10] down (0.5, rollup min)
--                 axis b (0.5): i2 declarative 1-5 (1)
--   A 69001 pop 1000:   i0 50, i1 2, i2 mean(2,4)=3 -> 50, 80, 50 -> ((50+80)/2+50)/2 = 57.5
--   B 69002 pop 100000: i0 90, i1 12, i2 5          -> 90, 0, 100  -> ((90+0)/2+100)/2 = 72.5
--   C 35001 pop 1200:   i0 0, i1 -, i2 1             -> 0, -, 0     -> re-weighted 0, coverage 2/3
--   D 35002 pop 900:    no data                      -> NULL, coverage 0
SET client_min_messages = warning;
SET extra_float_digits = 0;

-- territories -----------------------------------------------------------------
SELECT * FROM smartregion.load_territories(
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
-- idempotent: loading again gives the same table
SELECT * FROM smartregion.load_territories(
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
-- (every commune has a population: every population is complete)
SELECT type, code, name, epci_code, departement_code, region_code, population, population_complete
  FROM smartregion.territory ORDER BY type, code;

-- framework -----------------------------------------------------------------------
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
SELECT smartregion.maturity_check_framework('default');
-- the default framework: 9 axes x 4 indicators, weights summing to 1
SELECT count(DISTINCT axis) AS axes, count(*) AS indicators,
       count(*) FILTER (WHERE kind = 'declarative') AS declarative,
       round(sum(weight)::numeric, 9) AS indicator_weights
  FROM smartregion.maturity_indicator WHERE framework = 'default';

-- hub data ---------------------------------------------------------------------------
SELECT * FROM smartregion.create_hub('mt_hub') WHERE service = 'digital_maturity' ORDER BY 1;
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

-- scores: goalposts, arithmetic, re-weighting (defaults) ------------------------------
SELECT territory_code, territory_type, territory_name, round(score::numeric, 4) AS score, level, level_label,
       axis_scores, round(coverage::numeric, 4) AS coverage
  FROM smartregion.maturity_scores('mt', options => '{"hub": "mt_hub"}')
 ORDER BY territory_type, territory_code;
-- rows keyed by a part of a current commune (smartregion.commune_part: a former commune, a
-- municipal arrondissement) count for the commune of today; they were ignored (Delta had no
-- score). Delta 35002 gets a former commune 35901 and an arrondissement 35902, by hand:
--   i0: 35901's 60 (2019)                        -> 60
--   i1: 35901's 5 and 35902's 5 (2023): two parts' values of its latest year are not the
--       commune's -> no value
--   i2: answers 3 (35901) and 5 (35902), 2023    -> mean 4 -> 75
--   -> axis a 60 (re-weighted), axis b 75 -> 67.5, coverage 2/3
-- Beta's own i0 (90, 2023) wins over its commune déléguée 69003's 10 of 2024: 72.5 as before.
-- EPCI 200000002 (Gamma 0 pop 1,200, Delta 60 pop 900): i0 = 60 * 900 / 2100 = 25.714,
-- i2 = mean(1, 4) = 2.5 -> 37.5 -> (25.714 + 37.5) / 2 = 31.607 (0 before)
BEGIN;
INSERT INTO smartregion.commune_part (code, name, kind, commune_code) VALUES
  ('35901', NULL, 'ancienne-commune', '35002'), ('35902', 'Delta 2e', 'arrondissement-municipal', '35002'),
  ('69003', 'Beta-Déléguée', 'commune-deleguee', '69002') ON CONFLICT (code) DO NOTHING;
SELECT code, kind, commune_code FROM smartregion.commune_part ORDER BY code;
INSERT INTO mt_hub.maturity_value (indicator, territory_type, territory_code, year, value, source) VALUES
  ('i0', 'commune', '35901', 2019, 60, 'former'), ('i1', 'commune', '35901', 2023, 5, 'former'),
  ('i1', 'commune', '35902', 2023, 5, 'arrondissement'), ('i0', 'commune', '69003', 2024, 10, 'déléguée');
INSERT INTO mt_hub.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source) VALUES
  ('i2', 'commune', '35901', 2023, 'mayor', 3, 'survey'), ('i2', 'commune', '35902', 2023, 'mayor', 5, 'survey');
SELECT territory_code, round(score::numeric, 4) AS score, axis_scores, round(coverage::numeric, 4) AS coverage
  FROM smartregion.maturity_scores('mt', options => '{"hub": "mt_hub", "territory_type": "commune"}')
 WHERE territory_code IN ('35002', '69002') ORDER BY 1;
SELECT indicator, raw_value, value_year, source
  FROM smartregion.maturity_score('35002', 'mt', NULL, '{"hub": "mt_hub"}') ORDER BY indicator;
SELECT territory_code, round(score::numeric, 3) AS score
  FROM smartregion.maturity_rollup('mt', NULL, '{"hub": "mt_hub", "territory_type": "epci"}') ORDER BY 1;
-- its trend: 2019 (i0 = 60 alone: 60) and 2023 (67.5); no year of its own rows
SELECT year, round(score::numeric, 4) AS score, round(change_previous::numeric, 4) AS change_previous
  FROM smartregion.maturity_trend('35002', 'mt', '{"hub": "mt_hub"}') WHERE axis = 'overall';
ROLLBACK;
-- year: latest value up to 2021 (A: i0 = 10, i2 = 5 -> (10 + 100) / 2 = 55)
SELECT territory_code, round(score::numeric, 4) AS score, round(coverage::numeric, 4) AS coverage
  FROM smartregion.maturity_scores('mt', 2021, '{"hub": "mt_hub", "territory_type": "commune"}')
 ORDER BY territory_code;
-- min-max within communes: A = ((50/90*100 + 100)/2 + 50)/2 = 63.8889, B = 75, C = 0
SELECT territory_code, round(score::numeric, 4) AS score
  FROM smartregion.maturity_scores('mt', NULL, '{"hub": "mt_hub", "territory_type": "commune", "normalisation": "minmax"}')
 ORDER BY territory_code;
-- geometric: A = sqrt(sqrt(51*81) * 51) - 1 = 56.2531
SELECT territory_code, round(score::numeric, 4) AS score
  FROM smartregion.maturity_scores('mt', NULL, '{"hub": "mt_hub", "territory_type": "commune", "aggregation": "geometric"}')
 ORDER BY territory_code;
-- mean imputation: C's i1 = mean(80, 0) = 40 -> ((0 + 40)/2 + 0)/2 = 10; D = all means
SELECT territory_code, round(score::numeric, 4) AS score, round(coverage::numeric, 4) AS coverage
  FROM smartregion.maturity_scores('mt', NULL, '{"hub": "mt_hub", "territory_type": "commune", "missing": "mean"}')
 ORDER BY territory_code;
-- the same with every normalisation: scores stay in [0, 100]
SELECT n, bool_and(score BETWEEN 0 AND 100) AS in_range, count(score) AS scored
  FROM unnest(ARRAY['goalposts', 'minmax', 'zscore', 'rank']) n,
       LATERAL smartregion.maturity_scores('mt', NULL, jsonb_build_object('hub', 'mt_hub', 'normalisation', n,
                                           'missing', 'peer', 'aggregation', 'geometric')) s
 GROUP BY n ORDER BY n;

-- one territory in detail: contributions sum to the score ---------------------------
SELECT territory_name, round(score::numeric, 4) AS score, level_label, axis, indicator, kind,
       raw_value, round(normalised::numeric, 4) AS normalised, round(weight::numeric, 4) AS weight,
       round(contribution::numeric, 4) AS contribution, round(gain::numeric, 4) AS gain, source, value_year
  FROM smartregion.maturity_score('69001', 'mt', options => '{"hub": "mt_hub"}')
 ORDER BY axis, indicator;
SELECT round(sum(contribution)::numeric, 6) AS sum_of_contributions
  FROM smartregion.maturity_score('69001', 'mt', options => '{"hub": "mt_hub"}');
-- C: i1 missing, weights re-normalised over what is available
SELECT indicator, raw_value, round(normalised::numeric, 4) AS normalised, round(weight::numeric, 4) AS weight,
       round(contribution::numeric, 4) AS contribution, round(gain::numeric, 4) AS gain
  FROM smartregion.maturity_score('commune:35001', 'mt', options => '{"hub": "mt_hub"}')
 ORDER BY indicator;

-- peers: same type and population class (A, C, D are under 2,000 inhabitants) ----------
SELECT axis, label, round(score::numeric, 4) AS score, round(peers_median::numeric, 4) AS peers_median,
       percentile_rank, peers, population_class
  FROM smartregion.maturity_peers('69001', 'mt', options => '{"hub": "mt_hub"}');

-- recommendations: weakest axes against peers, indicators with the largest gain --------
SELECT kind, rank, axis, indicator, round(value::numeric, 4) AS value, round(gap::numeric, 4) AS gap,
       round(gain::numeric, 4) AS gain
  FROM smartregion.maturity_recommendations('69001', 'mt', options => '{"hub": "mt_hub"}');

-- roll-up: EPCI 1 = i0 population-weighted (1000*50 + 100000*90)/101000 = 89.604,
-- i1 min(2, 12) = 2 -> 80, i2 mean(3, 5) = 4 -> 75: ((89.604 + 80)/2 + 75)/2 = 79.901;
-- its axis a = (9,050,000/101,000 + 80)/2 = 84.80198019801980..., written with every digit
-- a double keeps, 84.8019801980198 (it was cut to 10 digits, 84.8019802, 2e-8 off, and
-- maturity_peers and maturity_trend read the cut value)
SELECT territory_code, territory_type, round(score::numeric, 4) AS score, axis_scores->>'a' AS axis_a,
       round(coverage::numeric, 4) AS coverage
  FROM smartregion.maturity_rollup('mt', options => '{"hub": "mt_hub"}')
 ORDER BY territory_type, territory_code;

-- plugin indicator: values computed by an SQL function ---------------------------------
CREATE FUNCTION public.mt_plugin(year int)
RETURNS TABLE (territory_type text, territory_code text, value double precision)
LANGUAGE sql STABLE AS $$
  VALUES ('commune', '69001', 100::float8), ('commune', '69002', 0), ('commune', '35001', 50)
$$;
SELECT smartregion.maturity_copy_framework('mt', 'mt2');
SELECT smartregion.maturity_register_plugin('mt2', 'i0', 'public.mt_plugin(int)');
-- A = ((100 + 80)/2 + 50)/2 = 70, B = (0 + 100)/2 = 50, C = 50/2 = 25, D: no plugin row, no score
SELECT territory_code, round(score::numeric, 4) AS score
  FROM smartregion.maturity_scores('mt2', NULL, '{"hub": "mt_hub", "territory_type": "commune"}')
 ORDER BY territory_code;
SELECT indicator, source FROM smartregion.maturity_score('69001', 'mt2', options => '{"hub": "mt_hub"}')
 WHERE indicator = 'i0';

-- Monte Carlo: reproducible, ordered, nominal ranks B 1, A 2, C 3 (D and E are ranked in
-- the runs that impute their values, so ranks go up to 5) --------------------------------
CREATE TEMP TABLE mc1 AS SELECT * FROM smartregion.maturity_uncertainty('mt', 300, 42, NULL, '{"hub": "mt_hub", "territory_type": "commune"}');
CREATE TEMP TABLE mc2 AS SELECT * FROM smartregion.maturity_uncertainty('mt', 300, 42, NULL, '{"hub": "mt_hub", "territory_type": "commune"}');
SELECT territory_code, nominal_rank, round(nominal_score::numeric, 4) AS nominal_score,
       p05_rank <= median_rank AND median_rank <= p95_rank AS ordered,
       p05_rank >= 1 AND p95_rank <= 5 AS in_range
  FROM mc1 ORDER BY territory_code;
SELECT count(*) AS identical_rows FROM mc1 JOIN mc2 USING (territory_code)
 WHERE mc1.median_rank = mc2.median_rank AND mc1.p05_rank = mc2.p05_rank AND mc1.p95_rank = mc2.p95_rank;
-- without noise and with the nominal methods only, every run is the nominal ranking
SELECT territory_code, nominal_rank, median_rank, p05_rank, p95_rank
  FROM smartregion.maturity_uncertainty('mt', 50, 1, NULL,
       '{"hub": "mt_hub", "territory_type": "commune", "weight_noise": 0, "normalisations": ["goalposts"],
         "aggregations": ["arithmetic"], "missing_methods": ["reweight"]}')
 ORDER BY territory_code;

-- radar chart: valid SVG with 9 axis labels on the default framework ---------------------
INSERT INTO mt_hub.maturity_value (indicator, territory_type, territory_code, year, value, source) VALUES
  ('ftth_coverage', 'commune', '69001', 2018, 75, 'test'), ('ftth_coverage', 'commune', '35001', 2018, 25, 'test'),
  ('ftth_coverage', 'commune', '35002', 2018, 35, 'test');
SELECT xml_is_well_formed_document(svg) AS well_formed,
       (length(svg) - length(replace(svg, 'class="lbl"', ''))) / length('class="lbl"') AS axis_labels,
       svg LIKE '%Alpha (commune 69001)%' AS titled,
       svg LIKE '%median of 2 peers%' AS peers_overlaid
  FROM smartregion.maturity_radar_svg('69001', options => '{"hub": "mt_hub"}') svg;
SELECT xml_is_well_formed_document(smartregion.maturity_radar_chart(
         ARRAY['R&D <lab>', 'b', 'c'], ARRAY[10, NULL, 90]::float8[], ARRAY[50, 50, 50]::float8[], 'Tom & Jerry''s')) AS escaped_ok;

-- the C functions' queries name every table, function and operator with its schema:
-- objects planted ahead of pg_catalog in search_path are never called, and the scores are
-- the ones above (mt in 2023: A 57.5, B 72.5, C 0, D none; mt2 with its plugin: A 70, B 50,
-- C 25, D none)
CREATE SCHEMA mt_evil;
CREATE FUNCTION mt_evil.planted_text(text, text) RETURNS boolean LANGUAGE plpgsql
  AS $$BEGIN RAISE EXCEPTION 'planted text operator called'; END$$;
CREATE FUNCTION mt_evil.planted_int(int, int) RETURNS boolean LANGUAGE plpgsql
  AS $$BEGIN RAISE EXCEPTION 'planted int operator called'; END$$;
CREATE OPERATOR mt_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = mt_evil.planted_text);
CREATE OPERATOR mt_evil.<= (LEFTARG = int, RIGHTARG = int, FUNCTION = mt_evil.planted_int);
CREATE FUNCTION mt_evil.array_position(anycompatiblearray, anycompatible) RETURNS int LANGUAGE plpgsql
  AS $$BEGIN RAISE EXCEPTION 'planted array_position called'; END$$;
CREATE FUNCTION mt_evil.to_regclass(text) RETURNS regclass LANGUAGE plpgsql
  AS $$BEGIN RAISE EXCEPTION 'planted to_regclass called'; END$$;
SET search_path = mt_evil, pg_catalog, public;
SELECT e.territory_code, pg_catalog.round(e.score::pg_catalog.numeric, 4) AS score, e.rank
  FROM smartregion._maturity_eval('mt', 2023, NULL, NULL, NULL, 'mt_hub', 'commune', false) e
 ORDER BY e.territory_code;
SELECT e.territory_code, pg_catalog.round(e.score::pg_catalog.numeric, 4) AS score
  FROM smartregion._maturity_eval('mt2', NULL, NULL, NULL, NULL, 'mt_hub', 'commune', false) e
 ORDER BY e.territory_code;
SELECT d.indicator, d.raw_value, d.source, d.year
  FROM smartregion._maturity_detail('mt2', NULL, NULL, NULL, NULL, 'mt_hub', 'commune', '69001') d
 ORDER BY d.indicator;
RESET search_path;
DROP SCHEMA mt_evil CASCADE;

-- ties: the same score summed in another order differs in its last bits. 35001 has the
-- values 97.69, 88.18, 94.33 of three indicators weighing 1/3 each, 35002 the same in reverse
-- order: both score (97.69 + 88.18 + 94.33) / 3 = 93.4, computed 93.39999999999999 for one of
-- them. They share rank 1 of 2 (before: ranks 1 and 2, in maturity_uncertainty's nominal rank
-- and maturity_trend), the Monte-Carlo runs with neither noise nor other methods rank them
-- both 1, and each is the other's only peer with the same score: percentile rank 50 (before:
-- 0 and 100)
BEGIN;
INSERT INTO smartregion.maturity_framework (name, version, description) VALUES ('mtie', '0.1', 'ties');
INSERT INTO smartregion.maturity_axis (framework, axis, position, label, weight) VALUES ('mtie', 'x', 1, 'Axis X', 1);
INSERT INTO smartregion.maturity_indicator (framework, indicator, axis, position, label, kind, goal_min, goal_max, weight)
SELECT 'mtie', 't' || i, 'x', i, 'Indicator ' || i, 'quantitative', 0, 100, 1.0 / 3 FROM generate_series(1, 3) i;
INSERT INTO smartregion.maturity_level (framework, level, min_score, label)
  SELECT 'mtie', level, min_score, label FROM smartregion.maturity_level WHERE framework = 'default';
INSERT INTO mt_hub.maturity_value (indicator, territory_type, territory_code, year, value, source)
SELECT 't' || i, 'commune', c, 2024, CASE WHEN c = '35001' THEN (ARRAY[97.69, 88.18, 94.33])[i] ELSE (ARRAY[94.33, 88.18, 97.69])[i] END, 'test'
  FROM generate_series(1, 3) i, unnest(ARRAY['35001', '35002']) c;
SELECT territory_code, round(nominal_score::numeric, 9) AS score, nominal_rank, median_rank, p05_rank, p95_rank
  FROM smartregion.maturity_uncertainty('mtie', 4, 7, NULL, '{"hub": "mt_hub", "territory_type": "commune", "weight_noise": 0,
         "normalisations": ["goalposts"], "aggregations": ["arithmetic"], "missing_methods": ["reweight"]}')
 WHERE nominal_score IS NOT NULL ORDER BY 1;
SELECT c AS territory_code, t.year, t.rank, t.ranked
  FROM unnest(ARRAY['35001', '35002']) c, smartregion.maturity_trend(c, 'mtie', '{"hub": "mt_hub"}') t WHERE t.axis = 'overall' ORDER BY 1;
SELECT c AS territory_code, p.percentile_rank, p.peers
  FROM unnest(ARRAY['35001', '35002']) c, smartregion.maturity_peers(c, 'mtie', options => '{"hub": "mt_hub"}') p WHERE p.axis = 'overall' ORDER BY 1;
ROLLBACK;

-- territories without a population: in @etalab/decoupage-administratif 6.0.0 the 5 districts
-- of the Terres australes et antarctiques françaises (984) and Clipperton (98901, 989) are the
-- only current communes without a "population" member (uninhabited, no census population), so
-- their départements and régions 984 and 989 are NULL (sums of NULL). A population-weighted
-- roll-up gives a commune without population no weight; a parent none of whose communes has
-- one takes the plain mean. By hand (i0, goalposts [0, 100], i0 alone: score = value):
--   984: Kerguelen 40, Crozet 80, no population  -> mean 60
--   989: Clipperton 30                            -> 30
--   97:  97101 (pop 1,000) 10, 97102 (no population) 90 -> weighted 10 (a plain mean is 50)
-- The populations follow the same rule: what is unknown counts for nothing, and says so.
-- By hand: département and région 97 = 1,000 (97101; 97102 unknown), population_complete
-- false (before: 1,000 with nothing to tell it from a whole count); 984 and 989 NULL, false.
-- EPCI: 200000097 has no figure in the file, members 97101 and 97102: 1,000, false (before:
-- NULL); 200000098 has the file's figure 7 (populationMunicipale), members 98412 and 98413
-- unknown: 7, true (the census counts the EPCI as a whole); 200000099 has no figure and one
-- member, 98901 unknown: NULL, false; communes complete when they have a population
BEGIN;
SELECT * FROM smartregion.load_territories(
  '[{"code":"98411","nom":"Îles Saint-Paul et Nouvelle-Amsterdam","departement":"984","region":"984","zone":"com","type":"commune-actuelle"},
    {"code":"98412","nom":"Archipel des Kerguelen","departement":"984","region":"984","zone":"com","type":"commune-actuelle"},
    {"code":"98413","nom":"Archipel des Crozet","departement":"984","region":"984","zone":"com","type":"commune-actuelle"},
    {"code":"98901","nom":"Île de Clipperton","departement":"989","region":"989","zone":"com","type":"commune-actuelle"},
    {"code":"97101","nom":"Test peuplée","departement":"97","region":"97","type":"commune-actuelle","population":1000},
    {"code":"97102","nom":"Test sans population","departement":"97","region":"97","type":"commune-actuelle"}]',
  '[{"code":"200000097","nom":"CC Test","membres":[{"code":"97101"},{"code":"97102"}]},
    {"code":"200000098","nom":"CC Australes","populationMunicipale":7,"membres":[{"code":"98412"},{"code":"98413"}]},
    {"code":"200000099","nom":"CC Clipperton","membres":[{"code":"98901"}]}]',
  '[{"code":"984","nom":"Terres australes et antarctiques françaises","region":"984"},
    {"code":"989","nom":"Île de Clipperton","region":"989"},{"code":"97","nom":"Test","region":"97"}]',
  '[{"code":"984","nom":"Terres australes et antarctiques françaises"},{"code":"989","nom":"Île de Clipperton"},
    {"code":"97","nom":"Test"}]');
SELECT type, code, population, population_complete, smartregion.maturity_population_class(population) AS class
  FROM smartregion.territory ORDER BY type, code;
INSERT INTO mt_hub.maturity_value (indicator, territory_type, territory_code, year, value, source) VALUES
  ('i0', 'commune', '98412', 2023, 40, 'test'), ('i0', 'commune', '98413', 2023, 80, 'test'),
  ('i0', 'commune', '98901', 2023, 30, 'test'),
  ('i0', 'commune', '97101', 2023, 10, 'test'), ('i0', 'commune', '97102', 2023, 90, 'test');
SELECT territory_code, round(score::numeric, 4) AS score
  FROM smartregion.maturity_rollup('mt', NULL, '{"hub": "mt_hub", "territory_type": "departement"}') ORDER BY 1;
ROLLBACK;

-- a load of the communes alone (epci, departements, regions NULL): every level follows them.
-- By hand, first load: A 01001 1,000, B 01002 2,000, C 01003 400, E 01004 200 (département 01,
-- région 84), D 02001 300 (02, 32); EPCI 200000011 without a figure over A, B: 3,000, complete;
-- 200000012 with the file's figure 450 over C: 450; 200000013 without a figure over E (200, 01)
-- and D (300, 02): 500, in 02/32 (most of its population); 01: 3,600, 02: 300, 84: 3,600, 32: 300.
-- Then communes alone: A 1,500, B without a population, C 900, E 600, D gone:
--   200000011 = 1,500 (B unknown), not complete    (before: 3,000, complete: stale)
--   200000012 = 450, the EPCI file's own figure, kept until that file is loaded again
--   200000013 = 600 (E alone), complete, now in 01/84 (before: 500 in 02/32)
--   01 and 84 = 1,500 + 900 + 600 = 3,000, not complete (before: B kept 2,000: 5,000, complete)
--   02 and 32 = no commune left: NULL, not complete (before: 300 kept)
BEGIN;
SELECT * FROM smartregion.load_territories(
  '[{"code":"01001","nom":"A","departement":"01","region":"84","population":1000},
    {"code":"01002","nom":"B","departement":"01","region":"84","population":2000},
    {"code":"01003","nom":"C","departement":"01","region":"84","population":400},
    {"code":"01004","nom":"E","departement":"01","region":"84","population":200},
    {"code":"02001","nom":"D","departement":"02","region":"32","population":300}]',
  '[{"code":"200000011","nom":"CC sans chiffre","membres":[{"code":"01001"},{"code":"01002"}]},
    {"code":"200000012","nom":"CC avec chiffre","populationMunicipale":450,"membres":[{"code":"01003"}]},
    {"code":"200000013","nom":"CC à cheval","membres":[{"code":"01004"},{"code":"02001"}]}]',
  '[{"code":"01","nom":"Ain","region":"84"},{"code":"02","nom":"Aisne","region":"32"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"32","nom":"Hauts-de-France"}]');
SELECT type, code, departement_code, region_code, population, population_complete, population_source
  FROM smartregion.territory WHERE type <> 'commune' ORDER BY type, code;
SELECT * FROM smartregion.load_territories(
  '[{"code":"01001","nom":"A","departement":"01","region":"84","population":1500},
    {"code":"01002","nom":"B","departement":"01","region":"84"},
    {"code":"01003","nom":"C","departement":"01","region":"84","population":900},
    {"code":"01004","nom":"E","departement":"01","region":"84","population":600}]', NULL, NULL, NULL);
SELECT type, code, epci_code, departement_code, region_code, population, population_complete, population_source
  FROM smartregion.territory ORDER BY type, code;
ROLLBACK;

-- service registered
SELECT name, version, 'maturity_uncertainty' = ANY (entry_points) AS has_mc
  FROM smartregion.services() WHERE name = 'digital_maturity';
RESET client_min_messages;
