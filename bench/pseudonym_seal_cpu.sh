#!/usr/bin/env bash
# The cost of pseudonyms that verify (2026-12-07, h6; docs/performance.md, "Pseudonyms that
# verify"), in backend CPU time (bench/lib/cpu.sh: nanoseconds on a CPU, not wall clock:
# the machine is shared), on sr_hub after bench/subject_requests_setup.sql,
# bench/purge_expired_setup.sql and bench/purge_expired_aged_setup.sql.  "before" replaces, in
# the call's transaction, the functions this change rewrote (_pseudonym_sql, _erase_rows,
# subject_export) by those of commit OLD; "after" keeps this build's.  Serial
# (max_parallel_workers_per_gather = 0: the backend does all the work, so its CPU time is the
# call's); each call runs twice in its session, the first (warm-up: plans, caches) rolled back
# to a savepoint, the second measured; every call rolled back.  The modes alternate, REPS pairs.
# "view": what an analysts' view computes per row, the pseudonym of maturity_answer.respondent
# (520,000 rows) joined to the key as create_pseudonymised_views joins it.
# Prints: rep mode call ms_cpu; then the medians.
# Run: DB=srbench REPS=3 OLD=<commit> bench/pseudonym_seal_cpu.sh (psql of the cluster in PATH,
# the server on this machine: /proc of its backend is read)
set -euo pipefail
DB=${DB:?database with the three setups loaded}
REPS=${REPS:-3}
OLD=${OLD:?commit of the build before}
cd "$(dirname "$0")/.."
. bench/lib/cpu.sh
old=$(mktemp)
# the three functions of the build before, as CREATE OR REPLACE
git show "$OLD:extension/sql/install/15-governance.sql" | awk '
  /^CREATE FUNCTION @extschema@\.(_pseudonym_sql|_erase_rows|subject_export)\(/ { on = 1 }
  on { print }
  on && /^\$\$;$/ { on = 0 }' | sed -e 's/@extschema@/smartregion/g' -e 's/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/' > "$old"
[[ $(grep -c '^CREATE OR REPLACE FUNCTION' "$old") == 3 ]] || { echo "could not extract the functions of $OLD" >&2; exit 1; }
calls=(
  "subject_export(holder)|SELECT smartregion.subject_export('holder123@example.org', 'sr_hub')"
  "subject_erase(holder)|SELECT smartregion.subject_erase('holder123@example.org', 'sr_hub')"
  "purge_expired (aged hub)|SELECT count(*) FROM smartregion.purge_expired('sr_hub')"
  "view: pseudonym x 520,000|SELECT sum(length(x)) FROM pg_temp.v"
)
out=$(mktemp); ns=$(mktemp)
for rep in $(seq 1 "$REPS"); do
  for mode in before after; do
    for c in "${calls[@]}"; do
      name=${c%%|*}; q=${c#*|}
      : > "$ns"
      psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<SQL
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
$(bench_cpu_setup "$ns")
BEGIN;
$( [[ $mode == before ]] && cat "$old" )
SELECT format('CREATE OR REPLACE TEMP VIEW v AS SELECT %s AS x FROM sr_hub.maturity_answer t, smartregion.pseudonym_key k WHERE k.hub_schema = %L',
              smartregion._pseudonym_sql('t.respondent'), 'sr_hub') \gexec
SAVEPOINT warm;
$q \g /dev/null
ROLLBACK TO SAVEPOINT warm;
$(bench_cpu_mark)
$q \g /dev/null
$(bench_cpu_mark)
ROLLBACK;
SQL
      ms=$(bench_cpu_ms "$ns")
      printf '%s\t%s\t%s\t%s\n' "$rep" "$mode" "$name" "$ms" | tee -a "$out"
    done
  done
done
echo "# medians (ms of CPU)"
python3 - "$out" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rep, mode, name, ms = line.rstrip('\n').split('\t')
    d[(name, mode)].append(float(ms))
for name in dict.fromkeys(k[0] for k in d):
    b, a = d[(name, 'before')], d[(name, 'after')]
    print(f"{name}\tbefore {statistics.median(b):.1f} ({', '.join(map(str, b))})\tafter {statistics.median(a):.1f} ({', '.join(map(str, a))})")
PY
rm -f "$old" "$out" "$ns"
