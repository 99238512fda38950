#!/usr/bin/env bash
# Benchmark of the digital-maturity observatory (run by `make bench`, which exports PGHOST and
# PGPORT of the throwaway cluster).  Loads the demo data set (all current territories of
# @etalab/decoupage-administratif: ~36,300 communes, EPCI, départements, régions; real ARCEP
# FttH and tiers-lieux values; deterministic synthetic values elsewhere: 36 indicators), then
# times smartregion.maturity_scores over all territories x 36 indicators and
# smartregion.maturity_uncertainty with 1,000 Monte-Carlo runs, against the same computation in
# numpy/scipy (bench/maturity_peer.py, which also checks the SQL scores).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=smartregion_bench_maturity
OUT="$ROOT/.tmp/bench-maturity"; mkdir -p "$OUT"; chmod 777 "$OUT"
P="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
. bench/lib/common.sh
bench_db_create
$P -c "SELECT smartregion.create_hub('hub')" >/dev/null
echo "# loading the demo data set (scripts/demo-maturity.sql)"
$P -v root="$ROOT" -f scripts/demo-maturity.sql > "$OUT/demo.log"
$P -At -c "SELECT '# territories ' || count(*) FROM smartregion.territory" \
       -c "SELECT '# indicator values ' || (SELECT count(*) FROM hub.maturity_value) || ', answers ' || (SELECT count(*) FROM hub.maturity_answer)"

# best of N wall times (ms) of a statement, aggregating a result field so the function runs
best_ms() {
    local sql=$1 n=$2 best=""
    for _ in $(seq "$n"); do
        t=$($P -At -c '\timing on' -c "$sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
        if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    echo "$best"
}
s=$(best_ms "SELECT count(*), sum(score) FROM smartregion.maturity_scores('default')" 3)
echo "RESULT maturity score_all_territories_36_indicators $(awk "BEGIN{printf \"%.3f\", $s/1000}") s"
s2=$(best_ms "SELECT count(*), sum(score) FROM smartregion.maturity_scores('demo')" 3)
echo "RESULT maturity score_all_territories_with_plugin $(awk "BEGIN{printf \"%.3f\", $s2/1000}") s"
r=$(best_ms "SELECT count(*), sum(score) FROM smartregion.maturity_rollup('default')" 3)
echo "RESULT maturity rollup_all_parents $(awk "BEGIN{printf \"%.3f\", $r/1000}") s"
mc=$(best_ms "SELECT count(*), sum(median_rank) FROM smartregion.maturity_uncertainty('default', 1000, 42)" 2)
echo "RESULT maturity mc_1000_runs_all_territories $(awk "BEGIN{printf \"%.3f\", $mc/1000}") s"
p=$(best_ms "SELECT length(smartregion.maturity_radar_svg('35238', 'demo'))" 3)
echo "RESULT maturity radar_svg_one_commune $(awk "BEGIN{printf \"%.3f\", $p/1000}") s"

# the numpy peer on the same data
$P -c "\copy (SELECT i.indicator, i.axis, i.weight, a.weight AS axis_weight, i.goal_min, i.goal_max, i.direction, i.kind, i.plugin FROM smartregion.maturity_indicator i JOIN smartregion.maturity_axis a USING (framework, axis) WHERE framework = 'default' ORDER BY a.position, i.position, i.indicator) TO '$OUT/framework.csv' CSV HEADER" \
   -c "\copy (SELECT type, code FROM smartregion.territory ORDER BY array_position(ARRAY['commune','epci','departement','region'], type), code) TO '$OUT/territories.csv' CSV HEADER" \
   -c "\copy (SELECT indicator, territory_type, territory_code, year, value FROM hub.maturity_value) TO '$OUT/values.csv' CSV HEADER" \
   -c "\copy (SELECT indicator, territory_type, territory_code, year, answer FROM hub.maturity_answer) TO '$OUT/answers.csv' CSV HEADER" \
   -c "\copy (SELECT territory_type, territory_code, score FROM smartregion.maturity_scores('default')) TO '$OUT/scores.csv' CSV HEADER"
/usr/bin/python3 bench/maturity_peer.py "$OUT"
echo "# core only (no SQL): extension/tests/unit bench program"
bench_core_lib "$OUT"
gcc -std=gnu11 -O2 -Iextension/include -o "$OUT/core_bench" bench/maturity_core.c "$OUT/libsrcore.a" $BENCH_CORE_LIBS
"$OUT/core_bench"
bench_db_drop
