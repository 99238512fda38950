#!/usr/bin/env bash
# usage: bench/derived_territory.sh DB RUNS: refresh_solar_roofs of the demo's Lyon 1er buildings
# (one point a face, into an empty solar_roofs: every face inserted), RUNS times as the owner and
# RUNS times as the agent of 69381, each in a transaction rolled back; prints the ms of each
set -euo pipefail
db=$1; runs=${2:-3}
q="SELECT * FROM smartregion.refresh_solar_roofs((SELECT sky FROM hub.skies WHERE name = 'lyon-bron-tmyx'),
  'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
          territory_code, territory_type, visibility FROM hub.buildings')"
for who in owner dt_agent; do
  for i in $(seq "$runs"); do
    role=""; [[ $who == dt_agent ]] && role="SET LOCAL ROLE dt_agent;"
    ms=$(psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 <<SQL | grep -E '^Time:' | tail -1 | awk '{print $2}'
SET max_parallel_workers_per_gather = 0; SET jit = off;
BEGIN; $role
\timing on
$q;
\timing off
ROLLBACK;
SQL
)
    echo "$who run $i: $ms ms (load $(cut -d' ' -f1 /proc/loadavg))"
  done
done
