#!/usr/bin/env bash
# make serve: the web map of the demo (docs/web.md) at http://127.0.0.1:${SR_WEB_PORT:-8080}/
# web/server.js (Node, npm pg) connects to the demo database as demo_reader over TCP; `make demo`
# builds both.  Installs the npm packages of web/ on first use (npm ci, web/package-lock.json).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
DB=${SR_DEMO_DB:-smartregion_demo}
scripts/web-deps.sh
SR_LISTEN=${SR_LISTEN:-127.0.0.1} scripts/cluster.sh start >/dev/null
eval "$(scripts/cluster.sh env)"
if ! psql -X -q -d "$DB" -c 'SELECT 1 FROM hub.solar_roofs LIMIT 1' >/dev/null 2>&1 || [[ ! -s .tmp/demo.pgpass ]]; then
    echo "no demo database $DB: run 'make demo' first" >&2
    exit 1
fi
export PGHOST=127.0.0.1 PGDATABASE=$DB PGUSER=demo_reader PGPASSFILE=$ROOT/.tmp/demo.pgpass
exec node web/server.js --port "${SR_WEB_PORT:-8080}" "$@"
