#!/usr/bin/env bash
# The server's CPU time of a tile, less disturbed by a loaded machine than the wall time:
# REPS evaluations of a tile expression in one statement, in a session warmed by one, the
# backend's utime + stime (/proc/self/stat, read by pg_read_file: superuser) before and
# after; the ways in alternation, ROUNDS times; prints each round and each way's median (ms
# of CPU a tile).  A way is DB|EXPR, EXPR a bytea expression (a tile function's call).
#   bench/tiles_cpu.sh ROUNDS REPS 'DB|EXPR'...
#   e.g. bench/tiles_cpu.sh 5 10 "tb|smartregion.solar_tile(18, 134590, 93502, 'hub.solar_roof_cells')" \
#                                "tb_new|smartregion.solar_tile(18, 134590, 93502, 'hub.solar_roof_cells')"
# (solar_tile runs without JIT whatever the session's setting; no parallel workers here)
set -euo pipefail
rounds=${1:?usage: bench/tiles_cpu.sh ROUNDS REPS 'DB|EXPR'...}; reps=${2:?}; shift 2
declare -A cpu
. "$(dirname "$0")/lib/cpu.sh"
cput=$bench_cpu_sql  # the backend's CPU time so far, ms
for ((r = 1; r <= rounds; r++)); do
    line="round $r (load $(cut -d' ' -f1 /proc/loadavg)):"
    for way in "$@"; do
        db=${way%%|*}; e=${way#*|}
        ms=$(psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 <<EOS | paste -sd' ' | awk -v n="$reps" '{printf "%.1f", ($3 - $1) / n}'
SET max_parallel_workers_per_gather = 0;
SET jit = off;
SELECT length($e) > -1 AS warm \\g /dev/null
$cput;
SELECT sum(length($e)) FROM generate_series(1, $reps);
$cput;
EOS
)
        line+=" [$way] $ms"; cpu[$way]+="$ms "
    done
    echo "$line"
done
for way in "$@"; do
    echo "median [$way]: $(tr ' ' '\n' <<< "${cpu[$way]}" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}') ms CPU a tile"
done
