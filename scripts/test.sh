#!/usr/bin/env bash
# make test: the whole suite against a throwaway cluster in the work tree.
#   1. the wall check (no PostgreSQL header in extension/core); the glue
#      compiled against PostgreSQL 17's headers (scripts/portability-check.sh)
#   2. C unit tests of the core (scripts/unit.sh)
#   3. install, start the cluster, pg_regress (installcheck: sql/ + expected/)
#   4. pgTAP suite (extension/tests/pgtap/*.sql)
#   4b. the demo's CNIG exchange files against the standard's Table Schema
#      with npm tableschema, and their round trip (scripts/cnig-test.sh)
#   5. the catalogue, audit and statistics tests (scripts/dcat-test.sh, scripts/audit-test.sh,
#      scripts/table-stats-test.sh)
#      and the LP attacker of statistical_secrecy (extension/tests/lp, scipy)
#   6. the docs' SQL examples against a fresh demo database (scripts/docs-test.sh), and the
#      scripts that draw the docs' pictures on it (scripts/pictures-test.sh)
#   7. dump and restore (scripts/dump-restore-test.sh); pg_upgrade of a cluster with the
#      extension (scripts/pg-upgrade-test.sh, two throwaway clusters of its own)
#   8. upgrade test (scripts/upgrade-test.sh) once a second version exists
# Ends with "N passed, N failed"; non-zero exit on any failure.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG
pass=0; fail=0
add() { pass=$((pass + $1)); fail=$((fail + $2)); }

echo "== wall check"
if scripts/check-wall.sh; then add 1 0; else add 0 1; fi

echo "== docs check"
if scripts/check-docs.sh; then add 1 0; else add 0 1; fi

echo "== messages check"
if /usr/bin/python3 scripts/check_messages.py; then add 1 0; else add 0 1; fi

echo "== the glue against PostgreSQL 17's headers (scripts/portability-check.sh)"
out=$(scripts/portability-check.sh 2>&1); echo "$out" | grep -v '^ok '
if [[ $(tail -1 <<< "$out") =~ ^portability:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
else
    add 0 1
fi

echo "== C unit tests"
out=$(scripts/unit.sh 2>&1); echo "$out" | grep -v '^ok '
line=$(echo "$out" | tail -1)
if [[ $line =~ ^unit:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
else
    add 0 1
fi

# The installed library and SQL files are global to the machine: hold a lock
# from install to the end of the server-side tests so that concurrent runs
# (several work trees) each test their own build.
exec 9>"$(scripts/install-lock.sh)"
flock 9

echo "== install"
if ! make --no-print-directory -s install >/dev/null; then
    echo "not ok - make install failed"; add 0 1
    echo "$pass passed, $fail failed"; exit 1
fi
was_running=0
scripts/cluster.sh status >/dev/null 2>&1 && was_running=1
scripts/cluster.sh start || { echo "not ok - cluster did not start"; add 0 1; echo "$pass passed, $fail failed"; exit 1; }
eval "$(scripts/cluster.sh env)"

echo "== pg_regress (installcheck)"
rm -rf results regression.diffs regression.out
make --no-print-directory installcheck > .tmp/installcheck.log 2>&1
rc=$?
grep -E '^(test |ok |not ok |     |# )|tests? (passed|failed)' .tmp/installcheck.log | grep -v '^# ' || true
p=$(grep -cE '^(test |[ ]+).*\.\.\. ok|^ok [0-9]+' .tmp/installcheck.log)
f=$(grep -cE '\.\.\. FAILED|^not ok [0-9]+|\.\.\. failed' .tmp/installcheck.log)
if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; tail -20 .tmp/installcheck.log; fi
add "$p" "$f"
if [[ -s regression.diffs ]]; then
    echo "== regression.diffs"; cat regression.diffs
fi

echo "== pgTAP"
psql -X -q -d postgres -c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS smartregion_tap' -c 'CREATE DATABASE smartregion_tap' >/dev/null
if psql -X -q -v ON_ERROR_STOP=1 -d smartregion_tap \
      -c 'SET client_min_messages = warning' \
      -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION smartregion CASCADE' >/dev/null; then
    # the option tables of the docs come from the specs the functions check
    if scripts/options-doc.sh --check smartregion_tap; then add 1 0; else add 0 1; fi
    for t in extension/tests/pgtap/*.sql; do
        [[ -e $t ]] || continue
        out=$(psql -X -At -v ON_ERROR_STOP=1 -d smartregion_tap -f "$t" 2>&1); prc=$?
        p=$(grep -cE '^ok [0-9]+' <<< "$out"); f=$(grep -cE '^not ok [0-9]+' <<< "$out")
        if grep -q 'Looks like you planned' <<< "$out" || [[ $prc -ne 0 ]]; then
            f=$((f + 1)); echo "$out" | grep -E 'Looks like|ERROR|psql:' | head -5
        fi
        grep -E -A4 '^not ok' <<< "$out"
        echo "# pgtap $(basename "$t" .sql): $p passed, $f failed"
        add "$p" "$f"
    done
else
    echo "not ok - could not create the pgTAP database"; add 0 1
fi

echo "== CNIG exchange files (tableschema, round trip)"
out=$(scripts/cnig-test.sh 2>&1); echo "$out" | cut -c1-400
line=$(echo "$out" | tail -1)
if [[ $line =~ ^cnig:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
else
    add 0 1
fi
echo "== 3D publication checked with real tools (scripts/test-city3d.sh)"
out=$(scripts/test-city3d.sh 2>&1); echo "$out" | grep -v '^ok '
if [[ $(tail -1 <<< "$out") =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"; else add 0 1; fi

# scripted TAP tests against the cluster: the DCAT-AP export parsed with
# rdflib, the pgaudit log lines of configure_audit(), the statistics views as
# an agent and a reader before and after scripts/revoke-table-stats.sql
for t in dcat audit table-stats; do
    echo "== $t test"
    out=$(scripts/$t-test.sh 2>&1); trc=$?
    p=$(grep -cE '^ok ' <<< "$out"); f=$(grep -cE '^not ok' <<< "$out")
    grep -E -A2 '^not ok' <<< "$out"
    if [[ $trc -ne 0 && $f -eq 0 ]]; then f=1; echo "$out" | tail -5; fi
    echo "# $t: $p passed, $f failed"
    add "$p" "$f"
done

echo "== secrecy attacker (scipy LP, extension/tests/lp)"
# thousands of random tables through statistical_secrecy, each attacked by an
# independent LP attacker: no cell recomputed, every primary cell protected
out=$(/usr/bin/python3 extension/tests/lp/secrecy_attack_test.py 2>&1); src=$?
echo "$out" | grep -E '^#|^not ok|Error'
p=$(grep -cE '^ok [0-9]+' <<< "$out"); f=$(grep -cE '^not ok [0-9]+' <<< "$out")
if [[ $src -ne 0 && $f -eq 0 ]]; then f=1; echo "$out" | tail -5; fi
echo "# secrecy attacker: $p passed, $f failed"
add "$p" "$f"

# the SQL examples of README.md and docs/*.md against a fresh demo database
echo "== docs examples"
out=$(scripts/docs-test.sh 2>&1); drc=$?
grep -vE '^ok ' <<< "$out"
grep -qE '^ok - docs harness self-test' <<< "$out" && add 1 0 || add 0 1
if [[ $(tail -1 <<< "$out") =~ ^docs:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
elif [[ $drc -ne 0 ]]; then
    add 0 1
fi

# the docs' pictures: their drawing scripts still run on the same database
echo "== docs pictures"
out=$(scripts/pictures-test.sh 2>&1)
grep -vE '^ok ' <<< "$out"
if [[ $(tail -1 <<< "$out") =~ ^pictures:\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
    add "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
else
    add 0 1
fi

echo "== dump and restore"
if scripts/dump-restore-test.sh; then add 1 0; else add 0 1; fi

echo "== pg_upgrade"
out=$(scripts/pg-upgrade-test.sh 2>&1); prc=$?
echo "$out"
n_ok=$(grep -c '^ok ' <<< "$out" || true); n_bad=$(grep -c '^not ok ' <<< "$out" || true)
[[ $prc -ne 0 && $n_bad -eq 0 ]] && n_bad=1
add "$n_ok" "$n_bad"

echo "== PostGIS in a schema of its own"
if scripts/postgis-schema-test.sh; then add 1 0; else add 0 1; fi

echo "== upgrade test"
out=$(scripts/upgrade-test.sh 2>&1); urc=$?
echo "$out"
if grep -q '^skip' <<< "$out"; then :; elif [[ $urc -eq 0 ]]; then add 1 0; else add 0 1; fi

flock -u 9
# stop the cluster if this run started it (SR_KEEP_CLUSTER=1 keeps it for inspection)
if [[ $was_running -eq 0 && -z ${SR_KEEP_CLUSTER:-} ]]; then scripts/cluster.sh stop >/dev/null; fi
echo
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
