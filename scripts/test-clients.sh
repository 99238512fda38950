#!/usr/bin/env bash
# make test-clients: the clients people use, against fresh demo databases (docs/qgis.md,
# docs/gdal.md, docs/web.md, docs/city3d-publish.md).  Run by .ci/run after `make test`.
#   1. install; the cluster with TCP on 127.0.0.1; smartregion_demo built as `make demo` builds
#      it (scripts/demo-db.sh) with its role demo_reader (scripts/demo-reader.sh); the demo
#      city's tileset written from its own database, smartregion_clients (web/tests/city3d-hub.sql:
#      the demo's cadastre and a restricted building), as make serve writes it: as demo_reader
#      (scripts/serve-city3d.sh), so that the browser test sees what a reader is served
#   2. QGIS headless (qgis/check_project.py): the shipped project opens, every layer valid with
#      its feature count, geometry type, CRS and key; two maps rendered to PNG
#   3. GDAL (scripts/gdal-test.py): the ogr2ogr commands of docs/gdal.md, their layers checked
#   4. the web pages in a real browser — Debian's chromium (no browser download), headless,
#      WebGL through SwiftShader, driven by puppeteer-core: web/server.mjs on a free local port
#      (its tiles read smartregion_demo as demo_reader), then every web/tests/<page>.test.mjs
#      with the page's URL, its data's known-roof.json and the path of its screenshot,
#      .tmp/clients/img/<page>-lyon1.png (docs/img/ with SR_UPDATE_DOC_IMAGES=1, to redraw
#      the docs' screenshots: a test run leaves the docs as they are)
#   5. the docs' maps drawn from smartregion_demo by scripts/*-map.sql (scripts/doc-maps.sh:
#      cadastre, roofs over their area, a tower's impact, the assignment around Paris) into
#      .tmp/clients/img (docs/img with SR_UPDATE_DOC_IMAGES=1)
#   6. the docs' client pictures (scripts/doc-images-check.py): each screenshot, QGIS render
#      and map of docs/img/ is what this run drew, within the run-to-run noise;
#      SR_UPDATE_DOC_IMAGES=1 writes the screenshots and maps there and copies QGIS's renders
#      instead of checking them
# Ends with "N passed, N failed"; non-zero exit on any failure.  Stops what it started.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG
DB=smartregion_demo
DATA=$ROOT/.tmp/clients
mkdir -p "$DATA"
pass=0; fail=0
count() {   # add the TAP lines of a step's output
    local p f
    p=$(grep -cE '^ok ' <<< "$1"); f=$(grep -cE '^not ok ' <<< "$1")
    pass=$((pass + p)); fail=$((fail + f))
}
done_() { echo; echo "$pass passed, $fail failed"; [[ $fail -eq 0 ]]; exit $?; }
[[ -x /usr/bin/chromium ]] || { echo "not ok - /usr/bin/chromium is missing (scripts/deps.sh installs it)"; fail=1; done_; }
scripts/web-deps.sh || { echo "not ok - npm ci in web/"; fail=1; done_; }

exec 9>"$(scripts/install-lock.sh)"
flock 9
make --no-print-directory -s install >/dev/null || { echo "not ok - make install"; fail=1; done_; }
was_running=0
scripts/cluster.sh status >/dev/null 2>&1 && was_running=1
SR_LISTEN=127.0.0.1 scripts/cluster.sh start >/dev/null || { echo "not ok - cluster did not start"; fail=1; done_; }
eval "$(scripts/cluster.sh env)"

t0=$(date +%s)
if scripts/demo-db.sh "$DB" > "$DATA/demo.log" 2>&1 && scripts/demo-reader.sh "$DB" > "$DATA/reader.log" 2>&1; then
    pass=$((pass + 1)); echo "ok - demo database $DB built in $(( $(date +%s) - t0 )) s ($DATA/demo.log)"
else
    echo "not ok - the demo database could not be built ($DATA/demo.log):"
    grep -hE 'ERROR|error' "$DATA/demo.log" "$DATA/reader.log" | head -5
    fail=$((fail + 1)); done_
fi
# The 3D city as make serve writes it, as the tiles' reader (demo_reader, made above), from a hub
# holding a building restricted to a territory (web/tests/city3d-hub.sql: id 990000001, the
# largest roof), which web/tests/city3d.test.mjs looks for in the served files. (Before
# 2026-12-07's third round the city was written here as the superuser, every row in it: the
# browser test checked what no reader is served.)
CITY_DB=smartregion_clients
export SR_CITY3D_RESTRICTED_ID=990000001
rm -rf "$DATA/city3d"      # (serve-city3d.sh writes nothing without demo_reader: no earlier run's files)
if { [[ -n $(psql -X -At -d postgres -c "SELECT 1 FROM pg_catalog.pg_database WHERE datname = '$CITY_DB'") ]] \
       || psql -X -q -d postgres -c "CREATE DATABASE $CITY_DB" >/dev/null; } \
   && psql -X -q -v ON_ERROR_STOP=1 -d "$CITY_DB" -f web/tests/city3d-hub.sql > "$DATA/city3d-hub.log" 2>&1 \
   && env -u SR_CITY3D_ROLE scripts/serve-city3d.sh "$CITY_DB" "$DATA/city3d" >> "$DATA/city3d-hub.log" 2>&1 \
   && [[ -s $DATA/city3d/tileset.json ]]; then
    pass=$((pass + 1)); echo "ok - the demo city's tileset written as demo_reader"
else fail=$((fail + 1)); echo "not ok - the demo city's tileset ($DATA/city3d-hub.log)"; tail -3 "$DATA/city3d-hub.log"; fi
# the docs' maps, drawn as the database's owner (temporary tables, the cells computed)
if [[ -n ${SR_UPDATE_DOC_IMAGES:-} ]]; then MAPS=docs/img; else MAPS=$DATA/img; fi
if scripts/doc-maps.sh "$MAPS" "$DB" > "$DATA/maps.log" 2>&1; then pass=$((pass + 1)); echo "ok - the docs' maps drawn ($MAPS)"
else fail=$((fail + 1)); echo "not ok - the docs' maps (scripts/doc-maps.sh, $DATA/maps.log)"; tail -3 "$DATA/maps.log"; fi
export PGPASSFILE=$ROOT/.tmp/demo.pgpass

echo "== QGIS (qgis/check_project.py)"
out=$(QT_QPA_PLATFORM=offscreen timeout 600 /usr/bin/python3 qgis/check_project.py "$DATA" 2>&1 | grep -v 'XDG_RUNTIME_DIR')
grep -E '^(not ok|#)' <<< "$out"; count "$out"
grep -qE '^# qgis:' <<< "$out" || { echo "not ok - the QGIS check did not finish"; tail -5 <<< "$out"; fail=$((fail + 1)); }

echo "== GDAL (scripts/gdal-test.py, docs/gdal.md)"
out=$(timeout 600 /usr/bin/python3 scripts/gdal-test.py 2>&1)
grep -E '^(not ok|#)' <<< "$out"; count "$out"
grep -qE '^# gdal:' <<< "$out" || { echo "not ok - the GDAL check did not finish"; tail -5 <<< "$out"; fail=$((fail + 1)); }

echo "== web pages (web/tests/*.test.mjs, chromium)"
# the server on a free port (it prints the port it got); its tiles and the tests read the demo.
# A tile may take 120 s of the database here (SR_TILE_TIMEOUT_MS; make serve's default is 10 s):
# on a loaded host (a load of 10 on two cores) a z18 tile of cells took over 10 s, and a right
# map failed for the server's guard; the browser tests wait for the map's events, not for times.
# For the same reason a tile may wait 240 s for a connection (SR_TILE_QUEUE_MS; 30 s by default):
# two tiles of 120 s ahead of it
export PGHOST=127.0.0.1 PGDATABASE=$DB PGUSER=demo_reader
SR_TILE_TIMEOUT_MS=${SR_TILE_TIMEOUT_MS:-120000} SR_TILE_QUEUE_MS=${SR_TILE_QUEUE_MS:-240000} SR_WEB_DATA=$DATA \
    node web/server.mjs --port 0 > "$DATA/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q 'http://' "$DATA/server.log" 2>/dev/null && break; sleep 0.2; done
url=$(grep -om1 'http://127.0.0.1:[0-9]*/' "$DATA/server.log")
if [[ -n ${SR_UPDATE_DOC_IMAGES:-} ]]; then SHOTS=docs/img; else SHOTS=$DATA/img; fi
mkdir -p "$SHOTS"
if [[ -z $url ]]; then echo "not ok - the web server did not start"; cat "$DATA/server.log"; fail=$((fail + 1))
else
    for t in web/tests/*.test.mjs; do
        name=$(basename "$t" .test.mjs)
        out=$(timeout 600 node "$t" "${url}${name}/" "$DATA/$name/known-roof.json" "$SHOTS/$name-lyon1.png" 2>&1)
        grep -E '^(not ok|#|clients)' <<< "$out"
        line=$(tail -1 <<< "$out")
        if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
            pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
        else fail=$((fail + 1)); echo "not ok - $t did not finish"; tail -5 <<< "$out"; fi
    done
fi
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null

echo "== the docs' client pictures (scripts/doc-images-check.py)"
if [[ -n ${SR_UPDATE_DOC_IMAGES:-} ]]; then
    # the screenshots went to docs/img above; QGIS's renders are copied there
    cp "$DATA/qgis-solar-roofs.png" "$DATA/qgis-maturity.png" docs/img/
    echo "# docs/img: the web pages' screenshots and QGIS's renders drawn again"
else
    out=$(/usr/bin/python3 scripts/doc-images-check.py "$DATA" 2>&1)
    grep -E '^(not ok|#)' <<< "$out"; count "$out"
fi
flock -u 9
if [[ $was_running -eq 0 && -z ${SR_KEEP_CLUSTER:-} ]]; then scripts/cluster.sh stop >/dev/null; fi
done_
