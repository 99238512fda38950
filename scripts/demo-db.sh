#!/usr/bin/env bash
# Build a demo database on the running throwaway cluster: the extension, the
# hub schema `hub` (SRID 2154) and the demo data of every service
# (scripts/demo-*.sql, in name order, run from the repository root with
# `psql -v root=<repository>`).  The extension must be installed.
#   scripts/demo-db.sh <database>
# Used by `make demo` (scripts/demo.sh), by the docs examples test of
# `make test` (scripts/docs-test.sh) and by `make test-clients`.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=${1:?usage: scripts/demo-db.sh <database>}
eval "$(scripts/cluster.sh env)"
echo "== database $DB"
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS \"$DB\"" \
     -c "CREATE DATABASE \"$DB\"" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT smartregion.create_hub('hub', 2154);
SQL
P=(psql -X -v ON_ERROR_STOP=1 -v root="$ROOT" -d "$DB")
echo
echo "== smartregion.version()"
"${P[@]}" -At -c "SELECT jsonb_pretty(smartregion.version())"
echo
echo "== smartregion.services()"
"${P[@]}" -c "SELECT name, version, provider, description FROM smartregion.services()"
shopt -s nullglob
for f in scripts/demo-*.sql; do
    echo
    echo "== $(basename "$f" .sql)"
    "${P[@]}" -q -f "$f"
done
