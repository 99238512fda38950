#!/usr/bin/env bash
# purge_expired's retention pass: before and after the recorded_at indexes (2026-12-07, h8;
# docs/performance.md, "Data subjects' requests"), on sr_hub after bench/subject_requests_setup.sql
# and bench/purge_expired_setup.sql.  "before" runs the call in a transaction that first drops
# the recorded_at indexes (a hub of an older build), "after" with them; the modes alternate,
# REPS pairs; every call is rolled back.  Prints: rep mode ms rows; then the medians.
# Run: DB=srbench REPS=3 bench/purge_expired.sh (psql of the cluster in PATH)
set -euo pipefail
DB=${DB:?database with bench/subject_requests_setup.sql and bench/purge_expired_setup.sql loaded}
REPS=${REPS:-3}
drop=$(psql -X -At -d "$DB" -c "SELECT 'DROP INDEX ' || string_agg(format('sr_hub.%I', c.relname), ', ') || ';'
  FROM pg_class c WHERE c.relnamespace = 'sr_hub'::regnamespace AND c.relkind = 'i' AND c.relname LIKE '%\_recorded\_at\_idx'")
[[ $drop == "DROP INDEX "* ]] || { echo "no recorded_at index in sr_hub: run bench/purge_expired_setup.sql" >&2; exit 1; }
out=$(mktemp)
for rep in $(seq 1 "$REPS"); do
  for mode in before after; do
    r=$(psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
SET client_min_messages = warning;
BEGIN;
$( [[ $mode == before ]] && echo "$drop" )
SELECT clock_timestamp() AS t0 \gset
SELECT sum(rows) AS n FROM smartregion.purge_expired('sr_hub') \gset
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric * 1000, 1) || E'\t' || :'n';
ROLLBACK;
SQL
)
    printf '%s\t%s\t%s\n' "$rep" "$mode" "$r" | tee -a "$out"
  done
done
echo "# medians (ms)"
python3 - "$out" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rep, mode, ms, n = line.rstrip('\n').split('\t')
    d[mode].append(float(ms))
for mode in ('before', 'after'):
    print(f"{mode}\t{statistics.median(d[mode]):.1f} ({', '.join(map(str, d[mode]))})")
PY
rm -f "$out"
