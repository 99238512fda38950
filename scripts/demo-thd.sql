-- Demo of the THD roll-out service (issue 21): ARCEP's FttH series T3 2017 - T1 2018
-- (data/arcep, Licence Ouverte), deadlines, projected dates, the late communes of a
-- département, and ARCEP's own aggregates against the roll-up from the communes.
-- Run from the repository root by `make demo` (hub "hub"; territories loaded by demo-maturity).
SET client_min_messages = warning;
\pset footer off

\set doc `cat data/arcep/ftthCommunes.csv`
SELECT * FROM smartregion.thd_load_arcep(:'doc');
\set doc `cat data/arcep/ftthEpci.csv`
SELECT * FROM smartregion.thd_load_arcep(:'doc');
\set doc `cat data/arcep/ftthDepartements.csv`
SELECT * FROM smartregion.thd_load_arcep(:'doc');
\set doc `cat data/arcep/ftthRegions.csv`
SELECT * FROM smartregion.thd_load_arcep(:'doc');
\set doc `gzip -dc data/arcep/communes.csv.gz`
SELECT smartregion.thd_load_arcep_premises(:'doc') AS communes_with_premises;
\unset doc

-- deadlines entered by hand (the seed): Seine-et-Marne by 2023; the other Île-de-France
-- communes outside the very-dense zones by 2021 (an approximation of the regional plan's
-- perimeter: the plan's own list of 863 communes is not in the repository)
INSERT INTO hub.thd_deadline (territory_type, territory_code, deadline, label)
VALUES ('departement', '77', '2023-12-31', 'Seine-et-Marne Numérique: 100 % FttH by 2023');
INSERT INTO hub.thd_deadline (territory_type, territory_code, deadline, label)
SELECT 'commune', p.territory_code, '2021-12-31', 'regional THD plan (approximate perimeter)'
  FROM hub.thd_premises p
 WHERE p.region_code = '11' AND p.departement_code <> '77' AND NOT p.very_dense;
SELECT count(*) AS communes_with_a_2021_deadline FROM hub.thd_deadline WHERE deadline = '2021-12-31';

\echo
\echo 'Île-de-France by département: coverage T1 2018, pace, projected full coverage (90 % interval), status:'
SELECT territory_code, territory_name, round(coverage::numeric, 1) AS "coverage %",
       round(pace_points::numeric, 2) AS "points/quarter", projected, projected_low, projected_high,
       deadline, status
  FROM smartregion.thd_rollout('{"region": "11", "territory_type": "departement"}') ORDER BY territory_code;

\echo 'The late communes of Seine-et-Marne (77), latest first (10 of them):'
SELECT territory_code, territory_name, premises, round(coverage::numeric, 1) AS "coverage %",
       round(pace::numeric) AS "premises/quarter", projected, deadline, round(months_late::numeric) AS months_late
  FROM smartregion.thd_rollout('{"departement": "77", "territory_type": "commune"}')
 WHERE status = 'late' LIMIT 10;
SELECT status, count(*) AS communes, sum(premises) AS premises
  FROM smartregion.thd_rollout('{"departement": "77", "territory_type": "commune"}') GROUP BY status ORDER BY 2 DESC;

\echo 'Roll-up from the communes against ARCEP''s own files (T1 2018):'
SELECT territory_type, count(*) AS territories, count(*) FILTER (WHERE rollup_difference <> 0) AS differ,
       sum(abs(rollup_difference)) AS sum_abs_difference, max(abs(rollup_difference)) AS max_abs_difference,
       sum(arcep_passed) AS arcep_total, sum(passed) AS rolled_up_total
  FROM smartregion.thd_rollout() WHERE arcep_passed IS NOT NULL
 GROUP BY territory_type ORDER BY array_position(ARRAY['epci', 'departement', 'region'], territory_type);
SELECT territory_type, territory_code, arcep_passed, passed AS rolled_up, rollup_difference
  FROM smartregion.thd_rollout() WHERE rollup_difference <> 0 ORDER BY abs(rollup_difference) DESC LIMIT 8;

\echo 'ftth_coverage from the same series (maturity plugin), Rennes and Lyon:'
SELECT territory_type, territory_code, round(value::numeric, 1) AS "ftth %"
  FROM smartregion.thd_ftth_coverage(2018)
 WHERE (territory_type, territory_code) IN (('commune', '35238'), ('commune', '69123'), ('departement', '35'), ('departement', '69'))
 ORDER BY 1, 2;
