#!/usr/bin/env bash
# make test-clients: the web pages in a real browser — Debian's chromium (no browser download),
# headless, WebGL through SwiftShader, driven by puppeteer-core.  Starts the throwaway cluster,
# writes the demo city's tileset from its own database (smartregion_clients), serves the pages
# on a free local port, runs web/tests/*.test.mjs and stops what it started.
# Ends with "N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
export PG_CONFIG
pass=0; fail=0
done_() { echo; echo "$pass passed, $fail failed"; [[ $fail -eq 0 ]]; exit $?; }
[[ -x /usr/bin/chromium ]] || { echo "not ok - /usr/bin/chromium is missing (scripts/deps.sh installs it)"; fail=1; done_; }
if [[ ! -d web/node_modules/puppeteer-core || web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
    (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "not ok - npm ci in web/"; fail=1; done_; }
fi
exec 9>/tmp/smartregion-install.lock
flock 9
make --no-print-directory -s install >/dev/null || { echo "not ok - make install"; fail=1; done_; }
was_running=0
scripts/cluster.sh status >/dev/null 2>&1 && was_running=1
scripts/cluster.sh start >/dev/null || { echo "not ok - cluster did not start"; fail=1; done_; }
eval "$(scripts/cluster.sh env)"
DATA=$ROOT/.tmp/clients
if scripts/city3d-export.sh smartregion_clients "$DATA/city3d" >/dev/null; then pass=$((pass + 1)); echo "ok - the demo city's tileset written"
else fail=$((fail + 1)); echo "not ok - the demo city's tileset"; fi
flock -u 9
# the server on a free port (it prints the port it got)
SR_WEB_DATA=$DATA node web/server.mjs --port 0 > "$DATA/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do grep -q 'http://' "$DATA/server.log" 2>/dev/null && break; sleep 0.2; done
url=$(grep -om1 'http://127.0.0.1:[0-9]*/' "$DATA/server.log")
if [[ -z $url ]]; then echo "not ok - the web server did not start"; cat "$DATA/server.log"; fail=$((fail + 1))
else
    for t in web/tests/*.test.mjs; do
        name=$(basename "$t" .test.mjs)
        out=$(timeout 600 node "$t" "${url}${name}/" "$DATA/$name/known-roof.json" "docs/img/$name-lyon1.png" 2>&1)
        echo "$out"
        line=$(tail -1 <<< "$out")
        if [[ $line =~ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
            pass=$((pass + BASH_REMATCH[1])); fail=$((fail + BASH_REMATCH[2]))
        else fail=$((fail + 1)); fi
    done
fi
kill "$server" 2>/dev/null; wait "$server" 2>/dev/null
if [[ $was_running -eq 0 && -z ${SR_KEEP_CLUSTER:-} ]]; then scripts/cluster.sh stop >/dev/null; fi
done_
