-- Demo of the digital-maturity observatory (make demo; psql from the repository root with
-- -v root=<repo> and ON_ERROR_STOP, database with smartregion and the hub 'hub').
--   1. territories from the npm package @etalab/decoupage-administratif (scripts/fetch-territories.sh)
--   2. real ARCEP FttH deployment (T1 2018) as ftth_coverage / business_ftth_share
--   3. real 2019 tiers-lieux census as a plugin indicator (tiers-lieux per 100,000 inhabitants)
--   4. SYNTHETIC values (source 'synthetic', deterministic) for the other indicators and answers
--   5. scores, peers, recommendations, roll-up, uncertainty, and a radar chart written to
--      .tmp/maturity-radar.svg
SET client_min_messages = warning;
\pset footer off

-- 1. territories -------------------------------------------------------------------------
\! scripts/fetch-territories.sh > /dev/null
SELECT * FROM smartregion.load_territories(
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/communes.json')::jsonb,
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/epci.json')::jsonb,
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/departements.json')::jsonb,
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/regions.json')::jsonb);

-- contours where available (IGN GEOFLA 2016, Licence Ouverte, data/admin/SOURCES.md):
-- régions, départements, and the communes of the Rhône and of Ille-et-Vilaine
-- (load_territory_contours: the 2016 contours of communes merged since then go
-- to the commune they joined, through smartregion.commune_today)
\set doc `gzip -dc data/admin/regions-version-simplifiee.geojson.gz`
SELECT * FROM smartregion.load_territory_contours(:'doc', 'region');
\set doc `gzip -dc data/admin/departements-version-simplifiee.geojson.gz`
SELECT * FROM smartregion.load_territory_contours(:'doc', 'departement');
\set doc `gzip -dc data/admin/communes-69-rhone.geojson.gz`
SELECT * FROM smartregion.load_territory_contours(:'doc', 'commune');
\set doc `gzip -dc data/admin/communes-35-ille-et-vilaine.geojson.gz`
SELECT * FROM smartregion.load_territory_contours(:'doc', 'commune');
\unset doc
SELECT type, count(geom) AS with_contour, count(*) AS territories
  FROM smartregion.territory GROUP BY type
 ORDER BY array_position(ARRAY['commune', 'epci', 'departement', 'region'], type);

-- 2. ARCEP FttH (Licence Ouverte, data/arcep/SOURCES.md) ------------------------------------
CREATE TEMP TABLE arcep_ftth (code text, champ text, t3_2017 text, t4_2017 text, t1_2018 text, level text);
CREATE TEMP TABLE arcep_raw (code text, champ text, t3_2017 text, t4_2017 text, t1_2018 text);
\copy arcep_raw FROM PROGRAM 'tail -n +5 data/arcep/ftthCommunes.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO arcep_ftth SELECT *, 'commune' FROM arcep_raw; TRUNCATE arcep_raw;
\copy arcep_raw FROM PROGRAM 'tail -n +5 data/arcep/ftthEpci.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO arcep_ftth SELECT *, 'epci' FROM arcep_raw; TRUNCATE arcep_raw;
\copy arcep_raw FROM PROGRAM 'tail -n +5 data/arcep/ftthDepartements.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO arcep_ftth SELECT *, 'departement' FROM arcep_raw; TRUNCATE arcep_raw;
\copy arcep_raw FROM PROGRAM 'tail -n +5 data/arcep/ftthRegions.csv' WITH (FORMAT csv, HEADER true)
INSERT INTO arcep_ftth SELECT *, 'region' FROM arcep_raw;
CREATE TEMP TABLE arcep_communes (code text, nom text, reg text, dep text, epci text, logements text,
  etablissements text, ztd text, l3313 text, intentions text, rurale text, montagne text, oi text);
\copy arcep_communes FROM PROGRAM 'gzip -dc data/arcep/communes.csv.gz | tail -n +5' WITH (FORMAT csv, HEADER true)
-- premises = dwellings + business premises ('-' = none)
CREATE TEMP TABLE arcep_premises AS
SELECT code, reg, dep, epci,
       -- numbers are space-padded, with spaces as thousands separators, '-' for none
       coalesce(nullif(regexp_replace(logements, '[^0-9]', '', 'g'), '')::numeric, 0)
       + coalesce(nullif(regexp_replace(etablissements, '[^0-9]', '', 'g'), '')::numeric, 0) AS premises
  FROM arcep_communes;
CREATE TEMP TABLE arcep_den AS
SELECT 'commune' AS level, code, premises FROM arcep_premises
UNION ALL SELECT 'epci', epci, sum(premises) FROM arcep_premises WHERE epci ~ '^[0-9]{9}$' GROUP BY epci
UNION ALL SELECT 'departement', dep, sum(premises) FROM arcep_premises GROUP BY dep
UNION ALL SELECT 'region', reg, sum(premises) FROM arcep_premises GROUP BY reg;
-- provenance of the writes below (the catalogue's dct:provenance, docs/governance.md)
SELECT smartregion.set_provenance('scripts/demo-maturity.sql', 'data/arcep/ftthCommunes.csv and the other ARCEP files (observatoire HD/THD)') \gset
-- (a commune of 2018 merged since then counts in the commune it belongs to today:
-- smartregion.commune_today, their sums; the EPCI, départements and régions are the sums
-- over their communes of today, as smartregion.thd_ftth_coverage computes them: ARCEP's own
-- files have the perimeters of 2018, some 2026 EPCI more than 50 points away, and the
-- régions' are rounded to the thousand)
ANALYZE arcep_ftth, arcep_den;   -- (temporary tables: without statistics the join below is quadratic)
INSERT INTO hub.maturity_value (indicator, territory_type, territory_code, year, value, source)
WITH c AS (
  SELECT coalesce(ct.commune_code, f.code) AS code,
         regexp_replace(f.t1_2018, '[^0-9]', '', 'g')::numeric AS passed, d.premises
    FROM arcep_ftth f
    JOIN arcep_den d ON d.level = 'commune' AND d.code = f.code
    LEFT JOIN smartregion.commune_today ct ON ct.code = f.code
   WHERE f.level = 'commune' AND f.champ = 'Locaux Raccordables' AND regexp_replace(f.t1_2018, '[^0-9]', '', 'g') <> ''),
cur AS (SELECT c.*, t.epci_code, t.departement_code, t.region_code
          FROM c JOIN smartregion.territory t ON t.type = 'commune' AND t.code = c.code),
m AS (SELECT 'commune' AS level, code, sum(passed) AS passed, sum(premises) AS premises FROM cur GROUP BY 2
      UNION ALL SELECT 'epci', epci_code, sum(passed), sum(premises) FROM cur WHERE epci_code IS NOT NULL GROUP BY 2
      UNION ALL SELECT 'departement', departement_code, sum(passed), sum(premises) FROM cur GROUP BY 2
      UNION ALL SELECT 'region', region_code, sum(passed), sum(premises) FROM cur GROUP BY 2)
SELECT ind, m.level, m.code, 2018, least(100, 100 * m.passed / m.premises)::float8,
       'ARCEP observatoire HD/THD, FttH T1 2018 (Licence Ouverte)'
  FROM m
  JOIN smartregion.territory t ON t.type = m.level AND t.code = m.code
  CROSS JOIN (VALUES ('ftth_coverage'), ('business_ftth_share')) i(ind)
 WHERE m.premises > 0;

-- 3. tiers-lieux census 2019 as a plugin indicator (ANCT - Mission Coworking, Licence Ouverte 2.0)
CREATE TABLE hub.maturity_tiers_lieux_2019 (
  id text, nom_tl text, adresse text, cp text, inseecom text, nomcom text, web text, typo text,
  lat text, long text, precision text, metro text, nommetro text, inseereg text, nomreg text,
  inseedep text, popcom text, comclass text, insee_ze text, nom_ze text, class_ze text, pop_ze text);
\copy hub.maturity_tiers_lieux_2019 FROM 'data/tierslieux/cget_tiers_lieux_2019.csv' WITH (FORMAT csv, HEADER true)
CREATE FUNCTION hub.tiers_lieux_per_100k(year int)
RETURNS TABLE (territory_type text, territory_code text, value double precision)
LANGUAGE sql STABLE AS $$
  -- a municipal arrondissement (Paris, Lyon, Marseille) or a commune of 2019 merged
  -- since then counts for the commune it belongs to today (smartregion.commune_today)
  WITH tl AS (
    SELECT coalesce(ct.commune_code, m.inseecom) AS code
      FROM hub.maturity_tiers_lieux_2019 m
      LEFT JOIN smartregion.commune_today ct ON ct.code = m.inseecom),
  counts AS (SELECT code, count(*) AS n FROM tl GROUP BY code),
  per_commune AS (
    SELECT c.code, c.epci_code, c.departement_code, c.region_code, c.population, coalesce(k.n, 0) AS n
      FROM smartregion.territory c LEFT JOIN counts k ON k.code = c.code WHERE c.type = 'commune'),
  lv AS (
    SELECT 'commune' AS t, code, n, population AS pop FROM per_commune
    UNION ALL SELECT 'epci', epci_code, sum(n), sum(population) FROM per_commune WHERE epci_code IS NOT NULL GROUP BY epci_code
    UNION ALL SELECT 'departement', departement_code, sum(n), sum(population) FROM per_commune GROUP BY departement_code
    UNION ALL SELECT 'region', region_code, sum(n), sum(population) FROM per_commune GROUP BY region_code)
  -- the census of 2019 is no value of an earlier year: nothing before it (a 2018 score, a
  -- trend's 2018 row, read it before the review of 2026-12-06)
  SELECT t, code, (1e5 * n / pop)::float8 FROM lv WHERE pop > 0 AND (year IS NULL OR year >= 2019)
$$;
SELECT smartregion.maturity_copy_framework('default', 'demo', '1.0-demo') AS demo_framework \gset
SELECT smartregion.maturity_register_plugin('demo', 'tiers_lieux_per_100k', 'hub.tiers_lieux_per_100k(int)') AS plugin \gset

-- 4. SYNTHETIC values and answers (deterministic, labelled) -----------------------------------
SELECT smartregion.set_provenance('scripts/demo-maturity.sql', 'synthetic values and self-diagnosis answers (deterministic)') \gset
-- a value in [goal_min, goal_max] from a hash of the territory and indicator, nudged up with
-- the log of the population; about 1 in 8 left missing to show re-weighting and coverage
INSERT INTO hub.maturity_value (indicator, territory_type, territory_code, year, value, source)
SELECT i.indicator, t.type, t.code, 2024,
       i.goal_min + (i.goal_max - i.goal_min) * least(1, greatest(0,
         0.05 + 0.07 * log(coalesce(t.population, 0) + 10) + 0.45 * ((hashtext(t.code || i.indicator) & 65535) / 65535.0)
         - CASE WHEN i.direction < 0 THEN 0.1 ELSE 0 END)),
       'synthetic (demo, deterministic)'
  FROM smartregion.territory t, smartregion.maturity_indicator i
 WHERE i.framework = 'default' AND i.kind = 'quantitative'
   AND i.indicator NOT IN ('ftth_coverage', 'business_ftth_share', 'tiers_lieux_per_100k')
   AND (hashtext(i.indicator || t.code) & 7) <> 0;
INSERT INTO hub.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source)
SELECT i.indicator, t.type, t.code, 2024, 'self-diagnosis',
       least(5, greatest(1, 1 + floor(0.45 * log(coalesce(t.population, 0) + 10)
                                      + 2.5 * ((hashtext(i.indicator || t.code || 'a') & 65535) / 65535.0))))::int,
       'synthetic self-diagnosis (demo, deterministic)'
  FROM smartregion.territory t, smartregion.maturity_indicator i
 WHERE i.framework = 'default' AND i.kind = 'declarative' AND (hashtext(t.code || i.indicator || 'm') & 15) <> 0;
ANALYZE hub.maturity_value;
ANALYZE hub.maturity_answer;

-- 5. showcase --------------------------------------------------------------------------------
\echo
\echo 'Scores of a few territories (framework demo = default + tiers-lieux plugin):'
SELECT s.territory_type, s.territory_code, s.territory_name, round(s.score::numeric, 1) AS score,
       s.level_label, round(100 * s.coverage::numeric) AS "coverage %"
  FROM smartregion.maturity_scores('demo') s
 WHERE (s.territory_type, s.territory_code) IN (('commune', '69123'), ('commune', '35238'), ('commune', '29019'),
        ('epci', '200046977'), ('epci', '243500139'), ('departement', '69'), ('departement', '35'),
        ('region', '84'), ('region', '53'))
 ORDER BY array_position(ARRAY['commune', 'epci', 'departement', 'region'], s.territory_type), s.score DESC;

\echo 'Rennes (35238) indicator by indicator (infrastructure and innovation lab axes):'
SELECT axis, indicator, round(raw_value::numeric, 2) AS raw, round(normalised::numeric, 1) AS normalised,
       round(contribution::numeric, 2) AS contribution, source
  FROM smartregion.maturity_score('35238', 'demo') WHERE axis IN ('infrastructure', 'innovation_lab')
 ORDER BY axis, indicator;

\echo 'Rennes against its peers (communes of 200,000-999,999 inhabitants):'
SELECT axis, round(score::numeric, 1) AS score, round(peers_median::numeric, 1) AS peers_median,
       round(percentile_rank::numeric) AS "percentile", peers
  FROM smartregion.maturity_peers('35238', 'demo');

\echo 'Recommendations for Rennes:'
SELECT kind, rank, coalesce(indicator, axis) AS what, round(value::numeric, 1) AS value,
       round(gap::numeric, 1) AS gap, round(gain::numeric, 2) AS gain
  FROM smartregion.maturity_recommendations('35238', 'demo');

\echo 'Régions: own scores, scores rolled up from their communes, and Monte-Carlo rank intervals (1,000 runs):'
SELECT s.territory_code, s.territory_name, round(s.score::numeric, 1) AS score,
       round(r.score::numeric, 1) AS rolled_up, u.nominal_rank, u.median_rank, u.p05_rank || '-' || u.p95_rank AS "p05-p95"
  FROM smartregion.maturity_scores('demo', NULL, '{"territory_type": "region"}') s
  JOIN smartregion.maturity_rollup('demo', NULL, '{"territory_type": "region"}') r USING (territory_code)
  JOIN smartregion.maturity_uncertainty('demo', 1000, 42, NULL, '{"territory_type": "region"}') u USING (territory_code)
 WHERE s.score IS NOT NULL
 ORDER BY u.nominal_rank;

-- the radar chart of Rennes with its peers' median
\pset format unaligned
\pset tuples_only on
\o .tmp/maturity-radar.svg
SELECT smartregion.maturity_radar_svg('35238', 'demo');
\o
\pset format aligned
\pset tuples_only off
\echo 'Radar chart of Rennes written to .tmp/maturity-radar.svg'
SELECT count(*) AS territories_scored, round(avg(score)::numeric, 1) AS mean_score,
       round(avg(coverage)::numeric, 3) AS mean_coverage
  FROM smartregion.maturity_scores('demo');
