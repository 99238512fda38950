#!/usr/bin/env bash
# Write the tileset of the demo city into a folder, for make serve and make test-clients:
# Lyon 1er's solar cadastre (loaded into the database first if it is not there, as make demo
# does: scripts/demo-cadastre.sql) through smartregion.city_tileset (scripts/city3d-lyon1.sql),
# lowered by its lowest ground altitude so that it stands on a plain globe.  Also writes
# known-roof.json: the largest building, where its roof is and its value (for the browser test).
# usage (cluster running, its environment set): scripts/city3d-export.sh DB OUTDIR
# SR_CITY3D_ROLE: the role whose rows the tileset holds (make serve: demo_reader, the role its
# tiles are read as).  The files are served to anyone: written by the cluster's superuser, to
# whom no policy applies, they held every building, a territory's restricted ones included,
# and known-roof.json could name one (before 2026-12-07; docs/web.md, "Facing the internet").
# The database, its hub and the cadastre are still made by the superuser when missing.
set -euo pipefail
DB=$1
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
P="psql -X -q -At -v ON_ERROR_STOP=1 -d $DB"
if [[ -z $(psql -X -At -d postgres -c "SELECT 1 FROM pg_catalog.pg_database WHERE datname = '$DB'") ]]; then
    psql -X -q -d postgres -c "CREATE DATABASE $DB" >/dev/null
fi
$P -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS smartregion CASCADE' \
   -c "SELECT smartregion.create_hub('hub')" >/dev/null
if [[ $($P -c "SELECT count(*) FROM hub.solar_roofs") == 0 ]]; then
    echo "== loading the solar cadastre of Lyon 1er into $DB"
    $P -f scripts/demo-cadastre.sql >/dev/null
fi
# the reads of the tileset's rows, as SR_CITY3D_ROLE when set (its policies apply)
AS=()
if [[ -n ${SR_CITY3D_ROLE:-} ]]; then AS=(-c "SET ROLE \"${SR_CITY3D_ROLE//\"/\"\"}\""); fi
offset=$($P "${AS[@]}" -c "SELECT -floor(min(coalesce(ground_z, 0))) FROM hub.buildings")
# the ramp from 600 to 1,300 kWh/m2: most of Lyon's roofs lie in the upper half (walls grey)
opts="{\"value_name\": \"annual_kwh_m2\", \"value_min\": 600, \"value_max\": 1300, \"height_offset\": $offset}"
rm -rf "$OUT"; mkdir -p "$OUT"
LYON=$(sed -e '/^--/d' scripts/city3d-lyon1.sql | tr '\n' ' ')
$P -F ' ' "${AS[@]}" -c "SELECT path, pg_catalog.translate(pg_catalog.encode(content, 'base64'), E'\n', '')
                FROM smartregion.city_tileset(\$q\$$LYON\$q\$, '$opts')" \
  | while read -r path b64; do mkdir -p "$OUT/$(dirname "$path")"; base64 -d <<< "$b64" > "$OUT/$path"; done
[[ -s $OUT/tileset.json ]] || { echo "city_tileset wrote no tileset.json" >&2; exit 1; }
# the largest building: a point on its roof (WGS84, height as in the tiles) and the value its
# tile carries (the area-weighted mean of its roof faces' annual kWh/m2)
$P "${AS[@]}" -c "WITH b AS (SELECT building_id, sum(area_m2) AS a, sum(annual_kwh_m2 * area_m2) / sum(area_m2) AS v
                    FROM hub.solar_roofs GROUP BY building_id ORDER BY a DESC LIMIT 1),
            p AS (SELECT ST_Transform(ST_PointOnSurface(ST_Union(ST_Force2D(r.geom))), 4326) AS pt, max(ST_ZMax(r.geom)) AS z
                    FROM hub.solar_roofs r JOIN b USING (building_id))
       SELECT pg_catalog.json_build_object('building_id', b.building_id, 'annual_kwh_m2', b.v,
              'lon', ST_X(p.pt), 'lat', ST_Y(p.pt), 'h', p.z + $offset) FROM b, p" > "$OUT/known-roof.json"
echo "wrote $(find "$OUT" -name '*.glb' | wc -l) tiles and tileset.json into $OUT"
