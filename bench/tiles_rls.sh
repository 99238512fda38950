#!/usr/bin/env bash
# The server's CPU time of a tile as a role under the hub's row-level security, against the
# same tile as the superuser (to whom no policy applies): bench/tiles_cpu.sh's measure (REPS
# evaluations in one statement, the backend's utime + stime from /proc/self/stat before and
# after, in a session warmed by one), the statement run after SET ROLE ROLE (the policies
# apply to the current user; the CPU read back as the superuser after RESET ROLE).  The ways
# in alternation, ROUNDS times; prints each round and each way's median (ms of CPU a tile).
# A way is DB|ROLE|EXPR, ROLE '-' for the superuser, EXPR a bytea expression.
#   bench/tiles_rls.sh ROUNDS REPS 'DB|ROLE|EXPR'...
#   e.g. bench/tiles_rls.sh 5 3 "tb|-|smartregion.solar_cells_tile(18, 134591, 93502)" \
#                               "tb|h5_reader|smartregion.solar_cells_tile(18, 134591, 93502)"
# The hub: bench/tiles_rls_setup.sql (territories, visibility, the roles).
set -euo pipefail
rounds=${1:?usage: bench/tiles_rls.sh ROUNDS REPS 'DB|ROLE|EXPR'...}; reps=${2:?}; shift 2
declare -A cpu
. "$(dirname "$0")/lib/cpu.sh"
cput=$bench_cpu_sql  # the backend's CPU time so far, ms
for ((r = 1; r <= rounds; r++)); do
    line="round $r (load $(cut -d' ' -f1 /proc/loadavg)):"
    for way in "$@"; do
        db=${way%%|*}; rest=${way#*|}; role=${rest%%|*}; e=${rest#*|}
        set_role="RESET ROLE;"; [ "$role" != - ] && set_role="SET ROLE \"$role\";"
        ms=$(psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 <<EOS | paste -sd' ' | awk -v n="$reps" '{printf "%.1f", ($3 - $1) / n}'
SET max_parallel_workers_per_gather = 0;
SET jit = off;
$set_role
SELECT length($e) > -1 AS warm \\g /dev/null
RESET ROLE;
$cput;
$set_role
SELECT sum(length($e)) FROM generate_series(1, $reps);
RESET ROLE;
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
