#!/usr/bin/env bash
# The per-row cost of the analysts' views' pseudonym before and after "no pseudonym of a
# pseudonym" (2026-12-08, h7; docs/performance.md, "No pseudonym of a pseudonym"), in backend
# CPU time (/proc/<pid>/schedstat, nanoseconds on a CPU: the machine is shared, wall clock would
# measure the load), over N generated values (default 200,000) in temporary tables, serial,
# under a hub's key (HUB, default 'hub': its key is drawn if it has none).  Each expression is
# _pseudonym_sql('t.v') joined to the key as create_pseudonymised_views joins it:
#   before   the _pseudonym_sql of commit OLD (put back in a rolled-back transaction to get its
#            text): every value pseudonymised, 2 HMACs
#   after    the database's: a value that verifies kept (1 HMAC), others pseudonymised (2)
# on identifiers ('person<i>@example.org') and on pseudonyms that verify (an erased column).
# Each measured ROUNDS times (default 5) after a warm-up, the expressions alternating; medians.
# Prints: expression, ns a row (median), the rounds' ns a row.
# Run: DB=<database with smartregion and a hub> OLD=<commit> bench/pseudonym_once_rows.sh
# (psql of the cluster in PATH, the server on this machine: /proc of its backend is read)
set -euo pipefail
DB=${DB:?database with smartregion and a hub}
OLD=${OLD:?commit of the build before}
HUB=${HUB:-hub}
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
cd "$(dirname "$0")/.."
old=$(mktemp); ns=$(mktemp)
git show "$OLD:extension/sql/install/15-governance.sql" | awk '
  /^CREATE FUNCTION @extschema@\._pseudonym_sql\(/ { on = 1 }
  on { print }
  on && /^\$\$;$/ { on = 0 }' | sed -e 's/@extschema@/smartregion/g' -e 's/^CREATE FUNCTION/CREATE OR REPLACE FUNCTION/' > "$old"
[[ $(grep -c '^CREATE OR REPLACE FUNCTION' "$old") == 1 ]] || { echo "could not extract _pseudonym_sql of $OLD" >&2; exit 1; }
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<SQL
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SELECT pg_backend_pid() AS pid \gset
\setenv BPID :pid
\setenv NSFILE $ns
SELECT smartregion.pseudonym('x', '$HUB') IS NOT NULL AS key_drawn;
CREATE TEMP TABLE ids AS SELECT 'person' || i || '@example.org' AS v FROM generate_series(1, $N) i;
CREATE TEMP TABLE pse AS SELECT smartregion.pseudonym(v, '$HUB') AS v FROM ids;
ANALYZE ids, pse;
BEGIN;
$(cat "$old")
SELECT smartregion._pseudonym_sql('t.v') AS before_expr \gset
ROLLBACK;
SELECT smartregion._pseudonym_sql('t.v') AS after_expr \gset
SELECT format('SELECT sum(length(%s)) FROM ids t, smartregion.pseudonym_key k WHERE k.hub_schema = %L', :'before_expr', '$HUB') AS ids_before,
       format('SELECT sum(length(%s)) FROM ids t, smartregion.pseudonym_key k WHERE k.hub_schema = %L', :'after_expr', '$HUB') AS ids_after,
       format('SELECT sum(length(%s)) FROM pse t, smartregion.pseudonym_key k WHERE k.hub_schema = %L', :'before_expr', '$HUB') AS pse_before,
       format('SELECT sum(length(%s)) FROM pse t, smartregion.pseudonym_key k WHERE k.hub_schema = %L', :'after_expr', '$HUB') AS pse_after \gset
:ids_before; :ids_after; :pse_before; :pse_after;
$(for r in $(seq 1 "$ROUNDS"); do
    for e in ids_before ids_after pse_before pse_after; do
      printf '\\! echo %s $(awk "{print \\$1}" /proc/$BPID/schedstat) >> $NSFILE\n:%s;\n\\! echo end $(awk "{print \\$1}" /proc/$BPID/schedstat) >> $NSFILE\n' "$e" "$e"
    done
  done)
SQL
python3 - "$ns" "$N" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list); n = int(sys.argv[2]); start = None
for line in open(sys.argv[1]):
    name, t = line.split()
    if name == 'end':
        d[start[0]].append((int(t) - start[1]) / n)
    else:
        start = (name, int(t))
label = {'ids_before': 'identifiers, before', 'ids_after': 'identifiers, after',
         'pse_before': 'pseudonyms that verify, before', 'pse_after': 'pseudonyms that verify, after'}
for k in label:
    print(f"{label[k]}\t{statistics.median(d[k]):.0f} ns/row\t({', '.join(f'{x:.0f}' for x in d[k])})")
PY
rm -f "$old" "$ns"
