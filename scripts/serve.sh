#!/usr/bin/env bash
# make serve: the platform's web pages (web/server.mjs; a route module per page in web/routes/)
# on http://127.0.0.1:${SR_WEB_PORT:-8080}/ until Ctrl-C: the 2D map of the solar roofs
# (MapLibre GL JS, vector tiles of the demo database read as demo_reader: run `make demo`
# first) and the city in 3D (CesiumJS, the demo city's tileset, written here from the demo
# database; its solar cadastre is loaded if missing).  Nothing outside is fetched.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
DB=${SR_DEMO_DB:-smartregion_demo}
scripts/web-deps.sh
exec 9>"$(scripts/install-lock.sh)"
flock 9
make --no-print-directory -s install >/dev/null
SR_LISTEN=${SR_LISTEN:-127.0.0.1} scripts/cluster.sh start
eval "$(scripts/cluster.sh env)"
# the 3D city's files hold what the reader of the tiles may read (SR_CITY3D_ROLE, default
# demo_reader), never the superuser's every row (a territory's restricted buildings: docs/web.md,
# "Facing the internet"); web/tests/exposure.test.mjs writes its city with the same script
scripts/serve-city3d.sh "$DB" .tmp/web/city3d
flock -u 9
if [[ ! -s .tmp/demo.pgpass ]] || ! psql -X -q -d "$DB" -c 'SELECT 1 FROM hub.solar_roofs LIMIT 1' >/dev/null 2>&1; then
    echo "note: the 2D map's tiles need the demo database and its reader: run 'make demo' first" >&2
fi
export PGHOST=127.0.0.1 PGDATABASE=$DB PGUSER=demo_reader PGPASSFILE=$ROOT/.tmp/demo.pgpass
SR_WEB_DATA=$ROOT/.tmp/web exec node web/server.mjs --port "${SR_WEB_PORT:-8080}"
