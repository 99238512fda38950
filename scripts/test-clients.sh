#!/usr/bin/env bash
# make test-clients: the clients people use, against a fresh demo database (docs/qgis.md,
# docs/gdal.md, docs/web.md).  Run by .ci/run after `make test`.
#   1. install, start the cluster with TCP on 127.0.0.1, build smartregion_demo as `make demo`
#      does (scripts/demo-db.sh) and its demo_reader role (scripts/demo-reader.sh)
#   2. QGIS headless (qgis/check_project.py): the shipped project opens, every layer valid with
#      its feature count, geometry type, CRS and key; two maps rendered to PNG
#   3. GDAL (scripts/gdal-test.py): the ogr2ogr commands of docs/gdal.md, their layers checked
#   4. the browser (web/test/*.test.js): Debian's chromium through puppeteer-core, every page
#      test of web/ (the 2D map: tiles, rendered features, the popup; a screenshot in docs/img)
# Ends with "N passed, N failed"; non-zero exit on any failure.  The demo database is rebuilt.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG
DB=smartregion_demo
OUT=.tmp/clients
mkdir -p "$OUT"
pass=0; fail=0
count() {   # add the TAP lines of a step's output
    local out=$1 p f
    p=$(grep -cE '^ok ' <<< "$out"); f=$(grep -cE '^not ok ' <<< "$out")
    pass=$((pass + p)); fail=$((fail + f))
}
finish() { echo; echo "$pass passed, $fail failed"; [[ $fail -eq 0 ]]; exit $?; }

scripts/web-deps.sh || { echo "not ok - the npm packages of web/ could not be installed"; fail=$((fail + 1)); finish; }

exec 9>"$(scripts/install-lock.sh)"
flock 9
echo "== install"
if ! make --no-print-directory -s install >/dev/null; then
    echo "not ok - make install failed"; fail=$((fail + 1)); finish
fi
was_running=0
scripts/cluster.sh status >/dev/null 2>&1 && was_running=1
SR_LISTEN=127.0.0.1 scripts/cluster.sh start || { echo "not ok - the cluster did not start"; fail=$((fail + 1)); finish; }
eval "$(scripts/cluster.sh env)"

echo "== demo database $DB"
t0=$(date +%s)
if scripts/demo-db.sh "$DB" > "$OUT/demo.log" 2>&1 && scripts/demo-reader.sh "$DB" > "$OUT/reader.log" 2>&1; then
    echo "ok - demo database built in $(( $(date +%s) - t0 )) s ($OUT/demo.log)"; pass=$((pass + 1))
else
    echo "not ok - the demo database could not be built ($OUT/demo.log):"
    grep -hE 'ERROR|error' "$OUT/demo.log" "$OUT/reader.log" | head -5
    fail=$((fail + 1)); finish
fi
export PGPASSFILE=$ROOT/.tmp/demo.pgpass

echo "== QGIS (qgis/check_project.py)"
out=$(QT_QPA_PLATFORM=offscreen timeout 600 /usr/bin/python3 qgis/check_project.py "$OUT" 2>&1 | grep -v 'XDG_RUNTIME_DIR')
grep -E '^(not ok|#)' <<< "$out"; count "$out"
grep -qE '^# qgis:' <<< "$out" || { echo "not ok - the QGIS check did not finish"; tail -5 <<< "$out"; fail=$((fail + 1)); }

echo "== GDAL (scripts/gdal-test.py, docs/gdal.md)"
out=$(timeout 600 /usr/bin/python3 scripts/gdal-test.py 2>&1)
grep -E '^(not ok|#)' <<< "$out"; count "$out"
grep -qE '^# gdal:' <<< "$out" || { echo "not ok - the GDAL check did not finish"; tail -5 <<< "$out"; fail=$((fail + 1)); }

echo "== browser (web/test/*.test.js, chromium)"
for t in web/test/*.test.js; do
    [[ -e $t ]] || continue
    out=$(PGHOST=127.0.0.1 PGDATABASE=$DB PGUSER=demo_reader timeout 600 node "$t" 2>&1)
    trc=$?
    grep -E '^(not ok|#)' <<< "$out"; count "$out"
    if [[ $trc -ne 0 ]] && ! grep -qE '^not ok ' <<< "$out"; then
        echo "not ok - $t exited with $trc"; tail -5 <<< "$out"; fail=$((fail + 1))
    fi
done

flock -u 9
if [[ $was_running -eq 0 && -z ${SR_KEEP_CLUSTER:-} ]]; then scripts/cluster.sh stop >/dev/null; fi
finish
