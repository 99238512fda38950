#!/usr/bin/env bash
# Time refresh_solar_roof_cells, runs alternating between databases (one built before a
# change, one after: the same cluster, the same .so, each database with its own install
# script), and print each run and each database's median.
#   bench/roof_cells_refresh.sh RUNS DB...
# Each database is made once with bench/roof_cells_refresh_setup.sql (the demo's Lyon 1er
# buildings and sky, and a first refresh of every cell):
#   createdb DB && psql -X -q -d DB -f bench/roof_cells_refresh_setup.sql
# SR_BENCH_CELLS_WINDOW: the buildings refreshed, those whose box meets this Lambert-93
# window "xmin ymin xmax ymax" (default 841800 6520450 842000 6520650: 84 buildings, about
# 24,000 cells, the obstacles the same buildings), or "all" (the demo's call: every cell,
# bench/roof_cells_refresh.sql).  Run from the repository root with the cluster's env.
set -euo pipefail
runs=${1:?usage: bench/roof_cells_refresh.sh RUNS DB...}; shift
window=${SR_BENCH_CELLS_WINDOW:-841800 6520450 842000 6520650}
if [[ $window == all ]]; then
    sql=$(cat bench/roof_cells_refresh.sql)
else
    read -r x0 y0 x1 y1 <<< "$window"
    sql="SELECT * FROM smartregion.refresh_solar_roof_cells(
  (SELECT sky FROM hub.skies WHERE name = 'lyon-bron-tmyx'),
  'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
          territory_code, territory_type, visibility
     FROM hub.buildings WHERE geom && ST_MakeEnvelope($x0, $y0, $x1, $y1, 2154)');"
fi
# Each run also prints the CPU time of its server process (utime + stime of /proc/PID/stat,
# its threads included; a server on this machine): on a machine shared with other work the
# wall time is mostly the load's, the CPU time much less so.
tck=$(getconf CLK_TCK)
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
declare -A times cpus
for ((r = 1; r <= runs; r++)); do
    for db in "$@"; do
        out=$(psql -X -q -d "$db" -v ON_ERROR_STOP=1 2>&1 <<SQL
SELECT pg_backend_pid() AS pid \\gset
\\setenv SR_BENCH_PID :pid
\\! awk '{print "cpu_ticks", \$14 + \$15}' /proc/\$SR_BENCH_PID/stat 2>/dev/null
\\timing on
$sql
\\timing off
\\! awk '{print "cpu_ticks", \$14 + \$15}' /proc/\$SR_BENCH_PID/stat 2>/dev/null
SQL
)
        ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<< "$out" | tail -1)
        cpu=$(awk -v t="$tck" '/^cpu_ticks/ {c[++n] = $2} END {if (n == 2) print (c[2] - c[1]) * 1000 / t}' <<< "$out")
        cells=$(awk '/^ *[0-9]+ *\| *[0-9]+ *$/ {print $1 " inserted, " $3 " deleted"}' <<< "$out")
        echo "run $r $db: $ms ms, server process CPU ${cpu:-?} ms ($cells; load $(cut -d' ' -f1 /proc/loadavg))"
        times[$db]+="$ms "
        cpus[$db]+="${cpu:-} "
    done
done
for db in "$@"; do
    echo "median $db: $(median "${times[$db]}") ms, CPU $(median "${cpus[$db]}") ms over $runs runs"
done
