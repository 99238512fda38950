#!/usr/bin/env bash
# The role the demo's TCP clients (QGIS, GDAL/ogr2ogr, the web map) connect as:
# demo_reader, read-only on the client layers of a demo database, with a
# password drawn once per work tree (.tmp/demo-password) and a libpq password
# file (.tmp/demo.pgpass, PGPASSFILE=... for psql, ogr2ogr, QGIS).
#   scripts/demo-reader.sh <database>
# Prints the connection parameters.  The role is an analyst of the platform: it reads the
# public rows of the hub and the pseudonymised views (hub_pseudo), never a personal column
# (the parcels' owners, the premises' owners, the project holders).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=${1:?usage: scripts/demo-reader.sh <database>}
eval "$(scripts/cluster.sh env)"
umask 077
if [[ ! -s .tmp/demo-password ]]; then
    head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 24 > .tmp/demo-password
fi
PW=$(cat .tmp/demo-password)
psql -X -q -v ON_ERROR_STOP=1 -v pw="$PW" -v db="$DB" -d "$DB" <<'SQL'
SET client_min_messages = warning;
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'demo_reader') AS missing \gset
\if :missing
CREATE ROLE demo_reader LOGIN;
\endif
ALTER ROLE demo_reader LOGIN PASSWORD :'pw' NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT CONNECT ON DATABASE :"db" TO demo_reader;
-- an analyst of the platform (docs/security.md: the public rows of the hub, its personal
-- columns only through the pseudonymised views of hub_pseudo), when grant_roles() has made the
-- roles (scripts/demo-zz-governance.sql); else the layers of docs/qgis.md one by one
SELECT to_regrole('smartregion_analyst') IS NOT NULL AS roles \gset
\if :roles
GRANT smartregion_analyst TO demo_reader;
\else
GRANT USAGE ON SCHEMA hub, smartregion TO demo_reader;
GRANT SELECT ON hub.buildings, hub.solar_roofs, hub.zae_zones, hub.zae_buildings, hub.agents,
                smartregion.territory TO demo_reader;
\endif
-- the demo's client layers (materialised views: scripts/demo-zx-client-layers.sql)
GRANT USAGE ON SCHEMA hub TO demo_reader;
GRANT SELECT ON hub.zae_zone_indicators, hub.maturity_commune_scores, hub.solar_roofs_qgis TO demo_reader;
SQL
PORT=$PGPORT
{
    echo "127.0.0.1:$PORT:*:demo_reader:$PW"
    echo "localhost:$PORT:*:demo_reader:$PW"
} > .tmp/demo.pgpass
cat <<INFO
== connect (QGIS, ogr2ogr, the web map; docs/qgis.md)
   host 127.0.0.1   port $PORT   database $DB   user demo_reader   password $PW
   psql "postgresql://demo_reader@127.0.0.1:$PORT/$DB" with PGPASSFILE=$ROOT/.tmp/demo.pgpass
   QGIS project: qgis/smartregion-demo.qgs (asks for the password once)
INFO
