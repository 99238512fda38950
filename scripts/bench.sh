#!/usr/bin/env bash
# make bench: run every bench/*.sh against the throwaway cluster.  Each prints
# lines "RESULT <family> <metric> <value> <unit>"; they are collected into
# bench/out/results.txt, and each family keeps its figures, peer ratios,
# machine and command in docs/performance*.md.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
exec 9>"$(scripts/install-lock.sh)"
flock 9
make --no-print-directory -s install >/dev/null
scripts/cluster.sh start
eval "$(scripts/cluster.sh env)"
mkdir -p bench/out
: > bench/out/results.txt
{
  echo "# machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem/{print $2}') GiB"
  echo "# date: $(date -u +%FT%TZ)  postgres: $(psql -X -At -d postgres -c 'SHOW server_version')"
} | tee -a bench/out/results.txt
status=0
shopt -s nullglob
for b in bench/*.sh; do
    [[ ${SR_BENCH_ONLY:-} && $(basename "$b" .sh) != "$SR_BENCH_ONLY" ]] && continue
    echo "== $b"
    bash "$b" 2>&1 | tee bench/out/"$(basename "$b" .sh)".log | grep -E '^(RESULT|#|ERROR)' | tee -a bench/out/results.txt
    [[ ${PIPESTATUS[0]} -eq 0 ]] || status=1
done
echo "results in bench/out/results.txt"
exit $status
