#!/usr/bin/env bash
# A database holding the extension's types survives pg_dump and pg_restore:
# the sky (text form "SKY3:", portable wire format) and the horizon come back
# identical, and a sky written by 0.1.0 (sql/fixtures/sky_v2.txt) restores
# too once stored.  Needs the test cluster running (scripts/cluster.sh env).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
eval "$(scripts/cluster.sh env)"
PGBIN=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir)
export PGOPTIONS="-c client_min_messages=warning"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c 'DROP DATABASE IF EXISTS sr_dump_a' -c 'DROP DATABASE IF EXISTS sr_dump_b' \
  -c 'CREATE DATABASE sr_dump_a' -c 'CREATE DATABASE sr_dump_b'
q -d sr_dump_a -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION smartregion CASCADE'
q -d sr_dump_a <<'SQL'
SET client_min_messages = warning;
\set old `cat sql/fixtures/sky_v2.txt`
CREATE TABLE t (name text, s smartregion.sky, h smartregion.horizon);
INSERT INTO t SELECT 'built', smartregion.sky_agg(ts, 500, 400, 100, ST_SetSRID(ST_MakePoint(4.85, 45.75), 4326)),
       '{8:0,1.5,2.25,30,45,60,0.125,89.5}'
  FROM generate_series('2019-06-01 08:00+00'::timestamptz, '2019-06-01 16:00+00', '1 hour') ts;
INSERT INTO t VALUES ('0.1.0', :'old', '{4:1,2,3,4}');
SQL
before=$(q -d sr_dump_a -c "SELECT string_agg(name || ' ' || md5(s::text) || ' ' || h::text, E'\n' ORDER BY name) FROM t")
"$PGBIN/pg_dump" -Fc -f .tmp/sr_dump.pgdump sr_dump_a
"$PGBIN/pg_restore" -d sr_dump_b .tmp/sr_dump.pgdump
after=$(q -d sr_dump_b -c "SELECT string_agg(name || ' ' || md5(s::text) || ' ' || h::text, E'\n' ORDER BY name) FROM t")
prefix=$(q -d sr_dump_b -c "SELECT string_agg(DISTINCT left(s::text, 5), ',') FROM t")
q -d postgres -c 'DROP DATABASE sr_dump_a' -c 'DROP DATABASE sr_dump_b'
rm -f .tmp/sr_dump.pgdump
if [[ "$before" == "$after" && "$prefix" == "SKY3:" ]]; then
    echo "ok - skies and horizons survive pg_dump/pg_restore (a 0.1.0 sky included)"
else
    echo "not ok - pg_dump/pg_restore changed the extension's values"; echo "before: $before"; echo "after: $after"; exit 1
fi
