#!/usr/bin/env bash
# usage: bench/derived_hidden_parent.sh DB RUNS [OLD_FUNCTION.sql]
# The trigger time of sr_derived_territory_ins for an agent's INSERT of 103,040 faces (40 a
# building of bench/derived_hidden_parent_setup.sql, run first in DB), from EXPLAIN ANALYZE, in
# a transaction rolled back.  With OLD_FUNCTION.sql (a CREATE OR REPLACE FUNCTION of
# smartregion._hub_derived_territory() of another build, e.g. from git show), each run is done
# with it too, in turn, put in the same transaction (docs/performance-cadastre.md, h5).
set -euo pipefail
db=$1; runs=${2:-3}; old=${3:-}
run() {
  psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 <<SQL | grep -E 'Trigger sr_derived_territory_ins|Execution Time' | tr '\n' ' '
SET max_parallel_workers_per_gather = 0; SET jit = off;
BEGIN;
$1
SET LOCAL ROLE perf_agent;
EXPLAIN (ANALYZE, COSTS OFF)
INSERT INTO perf.solar_roofs (building_id, face, geom, territory_code, visibility)
  SELECT b, f, ST_Force3D(ST_MakeEnvelope(842000, 6519000, 842001, 6519001, 2154), 170), '69381', 'public'
    FROM generate_series(1, 2576) b, generate_series(0, 39) f;
ROLLBACK;
SQL
}
for i in $(seq "$runs"); do
  echo "this build, run $i: $(run '') (load $(cut -d' ' -f1 /proc/loadavg))"
  if [[ -n $old ]]; then
    echo "other build, run $i: $(run "\\i $old") (load $(cut -d' ' -f1 /proc/loadavg))"
  fi
done
