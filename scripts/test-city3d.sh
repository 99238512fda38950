#!/usr/bin/env bash
# The 3D publication checked with real tools (run by scripts/test.sh, on its
# cluster; or alone after `scripts/cluster.sh start`):
#   - fixtures: a cube, an L-shaped roof with a courtyard, the Lyon CityGML
#     LoD2 house (extension/tests/city3d/fixtures.py, expectations worked out
#     there), and the demo city: Lyon 1er BD TOPO buildings through the
#     solar cadastre (roofs coloured by annual kWh/m2, walls grey);
#   - GLBs from city_gltf and a tileset from city_tileset written to
#     .tmp/city3d/;
#   - extension/tests/city3d/check.mjs: Khronos glTF validator on every GLB,
#     round trip with @gltf-transform/core, precision at Lambert-93, the
#     tileset against the 3D Tiles 1.1 schema and its structural rules.
# Ends with "city3d: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export SR_PGPORT=${SR_PGPORT:-54329}
eval "$(scripts/cluster.sh env)"
DB=smartregion_city3d
OUT=$ROOT/.tmp/city3d
T=extension/tests/city3d
fail() { echo "not ok - $1"; echo "city3d: 0 passed, 1 failed"; exit 1; }

# node packages of the checks (package-lock.json pinned; node_modules not in git)
if [[ ! -d $T/node_modules/gltf-validator || $T/package-lock.json -nt $T/node_modules/.package-lock.json ]]; then
    (cd $T && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || fail "npm ci in $T"
fi

rm -rf "$OUT"; mkdir -p "$OUT/tileset"
python3 $T/fixtures.py "$OUT" || fail "fixtures"
psql -X -q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
P="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
$P -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION smartregion CASCADE' \
   -c "SELECT smartregion.create_hub('hub')" >/dev/null || fail "database $DB"
$P -f "$OUT/fixtures.sql" 2>/dev/null >/dev/null || fail "fixtures.sql"
# the demo city: Lyon 1er and its solar cadastre, as make demo loads it
$P -f scripts/demo-cadastre.sql >/dev/null || fail "the solar cadastre of Lyon 1er"

# one GLB: glb NAME SQL (a city_gltf call)
glb() {
    psql -X -At -v ON_ERROR_STOP=1 -d $DB -c "SELECT pg_catalog.translate(pg_catalog.encode(($2), 'base64'), E'\n', '')" \
        | base64 -d > "$OUT/$1.glb" && [[ -s $OUT/$1.glb ]] || fail "city_gltf for $1"
}
glb cube "smartregion.city_gltf('SELECT id, geom FROM t3d.cube')"
glb lroof "smartregion.city_gltf('SELECT id, geom, value, ground_z, properties FROM t3d.lroof')"
glb house "smartregion.city_gltf('SELECT id, feature_id, geom, color, value, properties FROM t3d.house')"
glb house93 "smartregion.city_gltf('SELECT id, feature_id, geom, color, value, properties FROM t3d.house93')"
glb planned "smartregion.city_gltf('SELECT id, geom, color, value, ground_z FROM t3d.planned', '{\"ramp\": \"diverging\", \"value_min\": -50, \"value_max\": 50, \"value_name\": \"impact\"}')"
glb house93-enu "smartregion.city_gltf('SELECT id, feature_id, geom, color, value, properties FROM t3d.house93', '{\"frame\": \"enu\"}')"
glb empty "smartregion.city_gltf('SELECT id, geom FROM t3d.house93 WHERE false')"
glb empty-enu "smartregion.city_gltf('SELECT id, geom FROM t3d.house93 WHERE false', '{\"frame\": \"enu\"}')"
# the surfaces of the demo city (scripts/city3d-lyon1.sql): roofs coloured by
# annual kWh/m2 (the cadastre's output as it is), walls down to the ground
LYON=$(sed -e '/^--/d' scripts/city3d-lyon1.sql | tr '\n' ' ')
glb lyon1 "smartregion.city_gltf(\$q\$$LYON\$q\$, '{\"value_name\": \"annual_kwh_m2\"}')"
# the tileset, with small tiles so that the quadtree has several levels
psql -X -At -F ' ' -v ON_ERROR_STOP=1 -d $DB -c "SELECT path, pg_catalog.translate(pg_catalog.encode(content, 'base64'), E'\n', '')
    FROM smartregion.city_tileset(\$q\$$LYON\$q\$, '{\"value_name\": \"annual_kwh_m2\", \"max_features\": 150}')" \
  | while read -r path b64; do mkdir -p "$OUT/tileset/$(dirname "$path")"; base64 -d <<< "$b64" > "$OUT/tileset/$path"; done
[[ -s $OUT/tileset/tileset.json ]] || fail "city_tileset of Lyon 1er"
# what the checks compare with, from the database: the house's Lambert-93
# vertices, the same in ECEF (PostGIS), the demo city's building count
$P -At -c "SELECT pg_catalog.json_agg(pg_catalog.json_build_array(ST_X(g), ST_Y(g), ST_Z(g)))
             FROM (SELECT (ST_DumpPoints(geom)).geom AS g FROM t3d.house93) p" > "$OUT/house93-vertices.json"
$P -At -c "SELECT pg_catalog.json_agg(pg_catalog.json_build_array(ST_X(g), ST_Y(g), ST_Z(g)))
             FROM (SELECT (ST_DumpPoints(ST_Transform(geom, 4978))).geom AS g FROM t3d.house93) p" > "$OUT/house93-ecef.json"
$P -At -c "SELECT pg_catalog.json_build_object('buildings', (SELECT count(DISTINCT building_id) FROM hub.solar_roofs))" \
   > "$OUT/lyon1.json"

node $T/check.mjs "$OUT"
