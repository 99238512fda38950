-- pgTAP: the plan of thd_rollout's query on the demo's ARCEP data (data/arcep, the files
-- scripts/demo-thd.sql loads; without the territories, which come from an npm package):
-- its row estimates are honest.  Before (2026-12-07), the communes' series and ARCEP's
-- premises were CTEs, which have no statistics: their joins on the commune code were
-- estimated at 1.3 x 10^11 rows for some 10^5 (the worst node 10^6 times its actual rows),
-- and the cost made JIT compile the query (docs/performance.md, "JIT").
BEGIN;
SELECT plan(6);
SET LOCAL client_min_messages = warning;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('thd_tap');
\set doc `cat data/arcep/ftthCommunes.csv`
SELECT rows AS commune_rows FROM smartregion.thd_load_arcep(:'doc', 'thd_tap');
\set doc `cat data/arcep/ftthEpci.csv`
SELECT rows AS epci_rows FROM smartregion.thd_load_arcep(:'doc', 'thd_tap');
\set doc `cat data/arcep/ftthDepartements.csv`
SELECT rows AS departement_rows FROM smartregion.thd_load_arcep(:'doc', 'thd_tap');
\set doc `cat data/arcep/ftthRegions.csv`
SELECT rows AS region_rows FROM smartregion.thd_load_arcep(:'doc', 'thd_tap');
\set doc `gzip -dc data/arcep/communes.csv.gz`
SELECT smartregion.thd_load_arcep_premises(:'doc', 'thd_tap') AS communes_with_premises;
\unset doc
-- (statistics, as autovacuum gives them to a loaded hub)
ANALYZE thd_tap.thd_ftth;
ANALYZE thd_tap.thd_premises;
ANALYZE thd_tap.thd_deadline;

-- the plan of thd_rollout's query (the default options), run (EXPLAIN ANALYZE); every node's
-- estimated rows and actual rows (a loop's average)
CREATE FUNCTION pg_temp.thd_plan(hub text) RETURNS jsonb
LANGUAGE plpgsql AS $$
DECLARE
  o jsonb := smartregion._options('thd_rollout', pg_catalog.jsonb_build_object('hub', hub));
  p jsonb;
BEGIN
  EXECUTE 'EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ' || smartregion._thd_rollout_sql(hub) INTO p
    USING (o->>'target')::float8, (o->>'confidence')::float8, NULL::text, NULL::text, NULL::text;
  RETURN p;
END $$;
CREATE TEMP TABLE thd_plan AS SELECT pg_temp.thd_plan('thd_tap') AS p;
CREATE TEMP TABLE nodes AS
SELECT n->>'Node Type' AS node, (n->>'Plan Rows')::float8 AS est, (n->>'Actual Rows')::float8 AS act
  FROM thd_plan, jsonb_path_query(p, 'strict $.**') n
 WHERE jsonb_typeof(n) = 'object' AND n ? 'Plan Rows';

SELECT has_function('smartregion', '_thd_rollout_sql', ARRAY['text']);
SELECT volatility_is('smartregion', '_thd_rollout_sql', ARRAY['text'], 'stable');
-- the query thd_rollout runs is that text: the same rows
SELECT is((SELECT count(*) FROM smartregion.thd_rollout('{"hub": "thd_tap"}')),
          (SELECT (p->0->'Plan'->>'Actual Rows')::bigint FROM thd_plan),
          'thd_rollout returns the rows of the plan examined');
-- no node is estimated at more than 100 times its actual rows, nor less than a hundredth,
-- counting fewer than 1,000 rows as 1,000 (a scan of no row estimated at 270 changes no
-- plan); the worst on the demo's hub with the territories: the communes' roll-up
-- aggregate, 1,216 groups estimated for 104,616 (its HAVING on bool_or has a default
-- selectivity)
SELECT is((SELECT count(*) FROM nodes WHERE greatest(est, 1000) > 100 * greatest(act, 1000)), 0::bigint,
          'no node of the plan is estimated at more than 100 times its actual rows');
SELECT is((SELECT count(*) FROM nodes WHERE greatest(act, 1000) > 100 * greatest(est, 1000)), 0::bigint,
          'no node of the plan is estimated at less than a hundredth of its actual rows');
-- the whole: the estimate of the rows returned within 10 times the rows (36,750 here)
SELECT cmp_ok((SELECT greatest((p->0->'Plan'->>'Plan Rows')::float8 / (p->0->'Plan'->>'Actual Rows')::float8,
                               (p->0->'Plan'->>'Actual Rows')::float8 / (p->0->'Plan'->>'Plan Rows')::float8) FROM thd_plan),
              '<=', 10::float8, 'the estimate of the rows returned is within 10 times the rows');
SELECT * FROM finish();
ROLLBACK;
