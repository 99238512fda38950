#!/usr/bin/env bash
# The cost of the cascades' triggers on bulk updates that move or restrict nothing (2026-12-07,
# h10; docs/performance-city-model.md, "The cascades on bulk updates"), in backend CPU time
# (bench/lib/cpu.sh: nanoseconds on a CPU, not wall clock: the machine is shared), on the
# database of bench/cascade_bulk_setup.sql.  Each MODE is a commit, whose trigger functions
# (_hub_restrict_derived, _city_object_surfaces_follow of 35-city3d.sql) replace the installed
# ones in the statement's transaction; WT, those of the work tree; off, the installed ones with
# the trigger sr_restrict_derived disabled (in the transaction) on the statement's table.  One
# session a statement and mode: a warm-up on one row (the function compiled, its plans cached),
# then the statement measured; every statement rolled back.  Serial
# (max_parallel_workers_per_gather = 0): the backend's CPU time is the statement's.  A statement
# still running after TIMEOUT (statement_timeout, default 120 s) is cancelled: its CPU time is
# then printed with a ">".
# Prints: rep mode statement ms_cpu; then the medians.
# Run: DB=cb REPS=3 MODES="53f91d1 0eb6b3b WT off" bench/cascade_bulk_cpu.sh [statement names]
# (psql of the cluster in PATH, the server on this machine: /proc of its backend is read)
set -euo pipefail
DB=${DB:?database of bench/cascade_bulk_setup.sql}
REPS=${REPS:-3}
MODES=${MODES:-WT off}
TIMEOUT=${TIMEOUT:-120s}
cd "$(dirname "$0")/.."
. bench/lib/cpu.sh
extract() {  # the two functions of a commit's (or the work tree's) 35-city3d.sql, as CREATE OR REPLACE
  awk '/^CREATE FUNCTION @extschema@\.(_hub_restrict_derived|_city_object_surfaces_follow)\(/ { on = 1 }
       on { print } on && /^\$\$;$/ { on = 0 }' |
    sed -e 's/@extschema@/smartregion/g' -e 's/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/'
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for m in $MODES; do
  case $m in
    off) : > "$tmp/$m.sql" ;;
    WT) extract < extension/sql/install/35-city3d.sql > "$tmp/$m.sql" ;;
    *) git show "$m:extension/sql/install/35-city3d.sql" | extract > "$tmp/$m.sql" ;;
  esac
  [[ $m == off || $(grep -c '^CREATE OR REPLACE FUNCTION' "$tmp/$m.sql") == 2 ]] || { echo "could not extract the functions of $m" >&2; exit 1; }
done
# name#table#warm-up on one row#statement
stmts=(
  "source 10,000 buildings#hub.buildings#UPDATE hub.buildings SET source = source || '.' WHERE id = 99999#UPDATE hub.buildings SET source = source || '.' WHERE id < 10000"
  "source 100,000 buildings#hub.buildings#UPDATE hub.buildings SET source = source || '.' WHERE id = 99999#UPDATE hub.buildings SET source = source || '.'"
  "move 10,000 buildings (faces, cells)#hub.buildings#UPDATE hub.buildings SET source = source || '.' WHERE id = 99999#UPDATE hub.buildings SET territory_code = '69382' WHERE id < 10000"
  "import replace gen 10,000 houses#gen.city_object#UPDATE gen.city_object SET lod = lod WHERE id = 'house-0'#SELECT smartregion.import_cityjson(d, 'gen', '{\"replace\": true}') -> 'surfaces' FROM public.gen_doc"
  "import replace Rotterdam + Den Haag#city_nl.city_object#UPDATE city_nl.city_object SET lod = lod WHERE id = (SELECT min(id) FROM city_nl.city_object)#SELECT smartregion.import_cityjson(rot, 'city_nl', '{\"srid\": 7415, \"source\": \"rotterdam_subset.json\", \"replace\": true}') -> 'surfaces', smartregion.import_cityjson(dh, 'city_nl', '{\"srid\": 7415, \"source\": \"DH_01_subs.city.json\", \"replace\": true}') -> 'surfaces' FROM public.nl_docs"
  "city_object all 20,000 (c3)#c3.city_object#UPDATE c3.city_object SET lod = lod WHERE id = 'b0'#UPDATE c3.city_object SET lod = lod"
)
only=("$@")
out=$tmp/out; ns=$tmp/ns
for rep in $(seq 1 "$REPS"); do
  for s in "${stmts[@]}"; do
    IFS='#' read -r name table warm q <<<"$s"
    if (( ${#only[@]} )); then skip=1; for o in "${only[@]}"; do [[ $name == *"$o"* ]] && skip=0; done; (( skip )) && continue; fi
    for m in $MODES; do
      : > "$ns"
      dis=""; [[ $m == off ]] && dis="ALTER TABLE $table DISABLE TRIGGER sr_restrict_derived;"
      psql -X -q -d "$DB" >/dev/null 2>"$tmp/err" <<SQL || true
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
$(bench_cpu_setup "$ns")
BEGIN;
\i $tmp/$m.sql
$dis
$warm;
SET LOCAL statement_timeout = '$TIMEOUT';
$(bench_cpu_mark)
$q;
$(bench_cpu_mark)
ROLLBACK;
SQL
      if grep -q 'statement timeout' "$tmp/err"; then
        ms=">$TIMEOUT"
      elif [[ -s $tmp/err ]]; then echo "error in $name ($m):" >&2; cat "$tmp/err" >&2; exit 1
      else ms=$(bench_cpu_ms "$ns"); fi
      printf '%s\t%s\t%s\t%s\n' "$rep" "$m" "$name" "$ms" | tee -a "$out"
    done
  done
done
echo "# medians (ms of CPU)"
/usr/bin/python3 - "$out" $MODES <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rep, mode, name, ms = line.rstrip('\n').split('\t')
    d[(name, mode)].append(ms)
def med(v):
    if any(x.startswith('>') for x in v):
        return 'timeout'
    return '%.0f' % statistics.median(float(x) for x in v)
for name in dict.fromkeys(k[0] for k in d):
    print(name + '\t' + '\t'.join(f"{m} {med(d[(name, m)])} ({', '.join(d[(name, m)])})" for m in sys.argv[2:]))
PY
