#!/usr/bin/env bash
# The server's CPU time of smartregion.trust_problems() on HUBS hubs (create_roles, then
# create_hub and grant_roles on each), less disturbed by a loaded machine than the wall
# time: the backend's utime + stime (/proc/self/stat, read by pg_read_file: superuser) around
# the first call of a new session (the templates parsed, every policy compared) and around
# REPS calls after it (what the session remembers reused); ROUNDS sessions; prints each round
# and the medians (ms of CPU a call).  Needs the cluster env (PGHOST/PGPORT).
#   bench/trust_problems.sh [ROUNDS] [REPS] [HUBS]     (defaults 5 5 10)
#   SETUP=0 reuses the database of an earlier run (KEEP=1 keeps it; the hubs are those of the
#   build that made them).  make bench runs it with the defaults (RESULT lines).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}; reps=${2:-5}; hubs=${3:-10}
DB=sr_bench_trust; P="psql -X -q -At -v ON_ERROR_STOP=1 -d $DB"
. bench/lib/common.sh
if [[ ${SETUP:-1} != 0 ]]; then
    bench_db_create
    $P -c "SET client_min_messages = error" -c "SELECT count(*) FROM smartregion.create_roles()" >/dev/null
    for ((h = 1; h <= hubs; h++)); do
        $P -c "SET client_min_messages = error" -c "SELECT count(*) FROM smartregion.create_hub('tp_hub$h')" \
           -c "SELECT count(*) FROM smartregion.grant_roles('tp_hub$h')" >/dev/null
    done
fi
. bench/lib/cpu.sh
cput=$bench_cpu_sql  # the backend's CPU time so far, ms
firsts=""; warms=""
for ((r = 1; r <= rounds; r++)); do
    read -r c0 c1 c2 n <<< "$($P <<EOS | paste -sd' '
SET max_parallel_workers_per_gather = 0;
SET jit = off;
$cput;
SELECT count(*) FROM smartregion.trust_problems() \\g /dev/null
$cput;
DO \$\$ BEGIN FOR i IN 1..$reps LOOP PERFORM count(*) FROM smartregion.trust_problems(); END LOOP; END \$\$;
$cput;
SELECT count(*) FROM smartregion.trust_problems();
EOS
)"
    # ($n: the rows a call lists, 0 when the hubs have no problem)
    first=$((c1 - c0)); warm=$(awk -v a="$c1" -v b="$c2" -v n="$reps" 'BEGIN {printf "%.1f", (b - a) / n}')
    echo "round $r (load $(cut -d' ' -f1 /proc/loadavg)): first call $first ms, then $warm ms a call ($n rows)"
    firsts+="$first "; warms+="$warm "
done
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
mf=$(median "$firsts"); mw=$(median "$warms")
echo "median on $hubs hubs: first call of a session $mf ms CPU, then $mw ms CPU a call"
echo "RESULT platform trust_problems_${hubs}_hubs_first_call_cpu $mf ms"
echo "RESULT platform trust_problems_${hubs}_hubs_next_call_cpu $mw ms"
[[ ${KEEP:-0} == 1 ]] || bench_db_drop
