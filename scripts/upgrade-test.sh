#!/usr/bin/env bash
# Upgrade test: for every released version that has an update path to the
# current default_version, install it, ALTER EXTENSION smartregion UPDATE, and
# compare the catalog signature (scripts/catalog-signature.sql) with a fresh
# install of the current version.  Needs the cluster environment (PGHOST...).
# Released full scripts live in extension/sql/released/, update scripts in
# extension/sql/updates/ (both frozen once released).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
current=$(sed -n "s/^default_version *= *'\(.*\)'/\1/p" smartregion.control)
shopt -s nullglob
updates=(extension/sql/updates/smartregion--*--*.sql)
if [[ ${#updates[@]} -eq 0 ]]; then
    echo "skip - upgrade test: only one version ($current) exists, no update script yet"
    exit 0
fi
sig() { psql -X -At -d "$1" -f scripts/catalog-signature.sql; }
mkdb() { psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null; }
mkdb sr_upgrade_fresh
psql -X -q -v ON_ERROR_STOP=1 -d sr_upgrade_fresh -c 'SET client_min_messages=warning' -c 'CREATE EXTENSION smartregion CASCADE' >/dev/null || exit 1
sig sr_upgrade_fresh > .tmp/sig-fresh.txt
status=0
for full in extension/sql/released/smartregion--*.sql; do
    v=$(basename "$full" .sql); v=${v#smartregion--}
    [[ $v == "$current" || $v == *--* ]] && continue
    mkdb sr_upgrade_from
    if ! psql -X -q -v ON_ERROR_STOP=1 -d sr_upgrade_from -c 'SET client_min_messages=warning' \
         -c "CREATE EXTENSION smartregion VERSION '$v' CASCADE" -c 'ALTER EXTENSION smartregion UPDATE' >/dev/null; then
        echo "not ok - upgrade from $v failed"; status=1; continue
    fi
    sig sr_upgrade_from > ".tmp/sig-from-$v.txt"
    if diff -u .tmp/sig-fresh.txt ".tmp/sig-from-$v.txt"; then
        echo "ok - upgrade $v -> $current gives the catalog of a fresh install"
    else
        echo "not ok - upgrade $v -> $current differs from a fresh install (diff above)"; status=1
    fi
done
exit $status
