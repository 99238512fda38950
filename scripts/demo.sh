#!/usr/bin/env bash
# make demo: install, start the throwaway cluster (reused if running), create
# the database smartregion_demo with the extension and a hub, load the demo
# data of every service (scripts/demo-*.sql, in name order) and show results.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
DB=${SR_DEMO_DB:-smartregion_demo}
exec 9>/tmp/smartregion-install.lock
flock 9
make --no-print-directory -s install >/dev/null
# (the lock is held until the demo ends: another work tree cannot swap the library meanwhile)
scripts/cluster.sh start
eval "$(scripts/cluster.sh env)"
echo "== database $DB"
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT smartregion.create_hub('hub');
SQL
P="psql -X -v ON_ERROR_STOP=1 -v root=$ROOT -d $DB"
echo
echo "== smartregion.version()"
$P -At -c "SELECT jsonb_pretty(smartregion.version())"
echo
echo "== smartregion.services()"
$P -c "SELECT name, version, provider, description FROM smartregion.services()"
shopt -s nullglob
for f in scripts/demo-*.sql; do
    echo
    echo "== $(basename "$f" .sql)"
    $P -q -f "$f"
done
echo
echo "The demo cluster keeps running: psql -h $PGHOST -p $PGPORT -U postgres $DB"
echo "Stop it with: make demo-stop"
