#!/usr/bin/env bash
# The npm packages of web/ (pg, maplibre-gl, cesium; puppeteer-core for the browser tests), installed
# from web/package-lock.json with npm ci when missing or older than the lock file.  Never a
# browser: puppeteer-core drives Debian's chromium.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT/web"
command -v npm >/dev/null || { echo "npm is needed: apt-get install -y npm (make deps)" >&2; exit 1; }
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    echo "== npm ci in web/"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
