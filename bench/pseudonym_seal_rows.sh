#!/usr/bin/env bash
# The per-row cost of pseudonyms that verify (2026-12-07, h6; docs/performance.md, "Pseudonyms
# that verify"), in backend CPU time (bench/lib/cpu.sh, nanoseconds on a CPU: the machine
# is shared, wall clock would measure the load), over N generated values (default 200,000) in
# a temporary table, serial, under a hub's key (HUB, default 'hub': its key is drawn if it has
# none).  Each expression is what a statement of the extension evaluates per row:
#   skip before   the retention pass's test of a value already pseudonymised, before: t.v !~ '^pseudo:'
#   skip after    now: NOT <the seal verifies> (_pseudonym_verify_sql), on pseudonyms that verify
#                 (an aged hub's rows: each costs one HMAC)
#   skip after, other values   the same on identifiers (the regular expression fails first)
#   pseudonym before / after   the pseudonym an erasure writes or an analysts' view shows, joined
#                 to the key as create_pseudonymised_views joins it (before: one HMAC; "after"
#                 is the _pseudonym_sql of the database: h6's wrote the value's HMAC twice and
#                 the seal's once, since h2 the value's once: two HMACs per row)
# Each measured ROUNDS times (default 5) after a warm-up, the expressions alternating; medians.
# Prints: expression, ns a row (median), the rounds' ns a row.
# Run: DB=<database with smartregion and a hub> bench/pseudonym_seal_rows.sh (psql of the
# cluster in PATH, the server on this machine: /proc of its backend is read)
set -euo pipefail
DB=${DB:?database with smartregion and a hub}
HUB=${HUB:-hub}
N=${N:-200000}
ROUNDS=${ROUNDS:-5}
cd "$(dirname "$0")/.."
. bench/lib/cpu.sh
ns=$(mktemp)
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<SQL
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
$(bench_cpu_setup "$ns")
SELECT smartregion.pseudonym('x', '$HUB') IS NOT NULL AS key_drawn;
CREATE TEMP TABLE ids AS SELECT 'person' || i || '@example.org' AS v FROM generate_series(1, $N) i;
CREATE TEMP TABLE pse AS SELECT smartregion.pseudonym(v, '$HUB') AS v FROM ids;
ANALYZE ids, pse;
SELECT format('SELECT count(*) FROM pse t, (SELECT key FROM smartregion.pseudonym_key WHERE hub_schema = %L) k WHERE t.v !~ ''^pseudo:''', '$HUB') AS skip_before,
       format('SELECT count(*) FROM pse t, (SELECT key FROM smartregion.pseudonym_key WHERE hub_schema = %L) k WHERE NOT %s', '$HUB', smartregion._pseudonym_verify_sql('t.v')) AS skip_after,
       format('SELECT count(*) FROM ids t, (SELECT key FROM smartregion.pseudonym_key WHERE hub_schema = %L) k WHERE NOT %s', '$HUB', smartregion._pseudonym_verify_sql('t.v')) AS skip_other,
       format('SELECT sum(length(''pseudo:'' || encode(hmac(convert_to(t.v, ''UTF8''), k.key, ''sha256''), ''hex''))) FROM ids t, smartregion.pseudonym_key k WHERE k.hub_schema = %L', '$HUB') AS pseud_before,
       format('SELECT sum(length(%s)) FROM ids t, smartregion.pseudonym_key k WHERE k.hub_schema = %L', smartregion._pseudonym_sql('t.v'), '$HUB') AS pseud_after \gset
:skip_before; :skip_after; :skip_other; :pseud_before; :pseud_after;
$(for r in $(seq 1 "$ROUNDS"); do
    for e in skip_before skip_after skip_other pseud_before pseud_after; do
      bench_cpu_mark "$e"; printf ':%s;\n' "$e"; bench_cpu_mark end
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
label = {'skip_before': "skip before (!~ '^pseudo:')", 'skip_after': 'skip after (seal verified), pseudonyms',
         'skip_other': 'skip after, identifiers', 'pseud_before': 'pseudonym before (1 HMAC)', 'pseud_after': 'pseudonym after'}
for k in label:
    print(f"{label[k]}\t{statistics.median(d[k]):.0f} ns/row\t({', '.join(f'{x:.0f}' for x in d[k])})")
PY
rm -f "$ns"
