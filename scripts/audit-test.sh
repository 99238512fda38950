#!/usr/bin/env bash
# Access audit test (issue 14, docs/security.md): smartregion.configure_audit()
# makes pgaudit log every read and write of the hub tables holding personal
# data, with the role that did it; other tables are not logged.  Reads the
# throwaway cluster's log (.tmp/postgres.log).  Needs the cluster environment
# (PGHOST...) and pgaudit preloaded (scripts/cluster.sh does it when the
# Debian package postgresql-15-pgaudit is installed in PG_CONFIG's lib dir).
# Prints TAP lines ("ok" / "not ok").
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
LOG=.tmp/postgres.log
DB=sr_audit
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
if [[ $(q -d postgres -c "SELECT 'pgaudit' = ANY (regexp_split_to_array(current_setting('shared_preload_libraries'), '\s*,\s*'))") != t ]]; then
    echo "not ok - pgaudit is not loaded: install postgresql-15-pgaudit (copy pgaudit.so and pgaudit.control into a private root), then scripts/cluster.sh stop && scripts/cluster.sh start"
    exit 1
fi
q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS sr_audit_agent" -c "CREATE DATABASE $DB"
q -d "$DB" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT count(*) FROM smartregion.create_hub('hub');
SELECT count(*) FROM smartregion.grant_roles('hub');
CREATE ROLE sr_audit_agent LOGIN IN ROLE smartregion_agent;
INSERT INTO hub.agents VALUES ('sr_audit_agent', '69381');
INSERT INTO hub.projects (id, name, holder, territory_code) VALUES (1, 'Repair café', 'jeanne.martin@example.org', '69381');
INSERT INTO hub.zae_zones (zone_id, site_nom, geom, territory_code)
VALUES (1, 'ZA Test', ST_Multi(ST_MakeEnvelope(650000, 6840000, 650100, 6840100, 2154)), '69381');
SELECT count(*) FROM smartregion.configure_audit('hub');
SQL
start=$(stat -c %s "$LOG")
# a new session of the agent (the database's pgaudit.role applies to new sessions)
q -d "$DB" -U sr_audit_agent >/dev/null <<'SQL'
SELECT holder FROM hub.projects WHERE id = 1;
INSERT INTO hub.projects (id, name, holder, territory_code) VALUES (2, 'Fablab', 'paul.durand@example.org', '69381');
SELECT count(*) FROM hub.zae_zones;
SQL
sleep 0.5
new=$(tail -c +"$((start + 1))" "$LOG")
status=0
check() {  # description, grep -E pattern, expected count condition (present|absent)
    local n; n=$(grep -cE "$2" <<< "$new")
    if [[ $3 == present && $n -ge 1 ]] || [[ $3 == absent && $n -eq 0 ]]; then echo "ok - $1"; else echo "not ok - $1 ($n matching lines)"; status=1; fi
}
check "audit: the agent's read of hub.projects (personal data) is logged with its role" \
      "sr_audit_agent@$DB .*AUDIT: OBJECT,[0-9]+,[0-9]+,READ,SELECT,TABLE,hub\.projects," present
check "audit: the agent's insert into hub.projects is logged with its role" \
      "sr_audit_agent@$DB .*AUDIT: OBJECT,[0-9]+,[0-9]+,WRITE,INSERT,TABLE,hub\.projects," present
check "audit: hub.zae_zones (no personal data) is not logged" "AUDIT: .*TABLE,hub\.zae_zones," absent
# the statement text is logged (the DPO sees what was asked; the log is itself
# personal data: docs/security.md), bound parameters are not
check "audit: bind parameters are not written to the log" "AUDIT: OBJECT,.*TABLE,hub\.projects,.*,<not logged>\$" present
check "audit: the rows read are not written to the log" "AUDIT: .*jeanne\.martin" absent
q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE $DB" -c "DROP ROLE sr_audit_agent" >/dev/null
exit $status
