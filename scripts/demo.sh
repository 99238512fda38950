#!/usr/bin/env bash
# make demo: install, start the throwaway cluster (reused if running) with TCP
# on 127.0.0.1 for QGIS, GDAL and the web map, build the database
# smartregion_demo (scripts/demo-db.sh: the extension, a hub, the demo data of
# every service) and the role its clients connect as (scripts/demo-reader.sh).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
DB=${SR_DEMO_DB:-smartregion_demo}
exec 9>"$(scripts/install-lock.sh)"
flock 9
make --no-print-directory -s install >/dev/null
# (the lock is held until the demo ends: another work tree cannot swap the library meanwhile)
SR_LISTEN=${SR_LISTEN:-127.0.0.1} scripts/cluster.sh start
eval "$(scripts/cluster.sh env)"
scripts/demo-db.sh "$DB"
echo
scripts/demo-reader.sh "$DB"
echo
echo "The demo cluster keeps running: psql -h $PGHOST -p $PGPORT -U postgres $DB"
echo "Web map: make serve.  Stop the cluster with: make demo-stop"
