#!/usr/bin/env bash
# make serve: the platform's web pages (web/server.mjs; a route module per page in web/routes/):
# today the city in 3D, the demo city's tileset (Lyon 1er coloured by solar potential) in CesiumJS.
# Installs, starts the throwaway cluster (reused if running), writes the tileset of the demo
# database (SR_DEMO_DB, default smartregion_demo; its solar cadastre is loaded if missing), then
# serves on http://127.0.0.1:${SR_WEB_PORT:-8080}/ until Ctrl-C.  Nothing outside is fetched.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
if [[ ! -d web/node_modules/cesium || web/package-lock.json -nt web/node_modules/.package-lock.json ]]; then
    echo "== npm ci in web/ (CesiumJS)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
exec 9>/tmp/smartregion-install.lock
flock 9
make --no-print-directory -s install >/dev/null
scripts/cluster.sh start
eval "$(scripts/cluster.sh env)"
scripts/city3d-export.sh "${SR_DEMO_DB:-smartregion_demo}" .tmp/web/city3d
flock -u 9
SR_WEB_DATA=$ROOT/.tmp/web exec node web/server.mjs --port "${SR_WEB_PORT:-8080}"
