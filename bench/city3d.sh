#!/usr/bin/env bash
# Benchmark of the 3D publication (run by `make bench`, SR_BENCH_ONLY=city3d for this one alone;
# the cluster's PGHOST and PGPORT are exported).  Times smartregion.city_tileset (the whole
# pipeline: reading surfaces_sql, triangulation, walls, PROJ to ECEF, quadtree, GLB writing,
# rows out) and reports tiles/s and MB/s for:
#   - a synthetic city of 100,000 LoD2 buildings made from footprints with gable roofs (two
#     roof faces per building, walls generated down to the ground: 2 eaves + 4 gable halves);
#   - the 2,576 buildings of Lyon 1er through the solar cadastre (scripts/city3d-lyon1.sql).
# Peer and figures: docs/performance-city3d.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=smartregion_bench_city3d
P="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
. bench/lib/common.sh
bench_db_create
$P -c "SELECT smartregion.create_hub('hub')" >/dev/null

echo "# synthetic city: 100,000 gable-roofed buildings on a 30 m grid (9.5 km x 9.5 km, Lambert-93)"
$P <<'SQL'
SELECT setseed(0.42) \g /dev/null
CREATE TABLE synth AS
WITH b AS (
  SELECT i, 842000 + (i % 316) * 30.0 AS x0, 6510000 + (i / 316) * 30.0 AS y0,
         8 + 12 * random() AS w, 6 + 6 * random() AS d, 170 + 5 + 10 * random() AS he,
         2 + 3 * random() AS rise, pi() * random() AS angle, 900 + 400 * random() AS kwh
    FROM generate_series(0, 99999) i)
SELECT b.i * 10 + f.k AS id, b.i AS feature_id,
       ST_SetSRID(ST_Rotate(f.g, b.angle, b.x0 + b.w / 2, b.y0 + b.d / 2), 2154) AS geom,
       170.0::float8 AS ground_z, b.kwh - 150 * f.k AS value,
       jsonb_build_object('building', b.i, 'kwh_m2', round(b.kwh::numeric, 1)) AS properties
  FROM b, LATERAL (VALUES
    (0, ST_MakePolygon(ST_MakeLine(ARRAY[ST_MakePoint(b.x0, b.y0, b.he), ST_MakePoint(b.x0 + b.w, b.y0, b.he),
          ST_MakePoint(b.x0 + b.w, b.y0 + b.d / 2, b.he + b.rise), ST_MakePoint(b.x0, b.y0 + b.d / 2, b.he + b.rise),
          ST_MakePoint(b.x0, b.y0, b.he)]))),
    (1, ST_MakePolygon(ST_MakeLine(ARRAY[ST_MakePoint(b.x0, b.y0 + b.d / 2, b.he + b.rise),
          ST_MakePoint(b.x0 + b.w, b.y0 + b.d / 2, b.he + b.rise), ST_MakePoint(b.x0 + b.w, b.y0 + b.d, b.he),
          ST_MakePoint(b.x0, b.y0 + b.d, b.he), ST_MakePoint(b.x0, b.y0 + b.d / 2, b.he + b.rise)])))) AS f(k, g);
SQL
echo "# Lyon 1er: the solar cadastre of the demo (scripts/demo-cadastre.sql)"
$P -f scripts/demo-cadastre.sql >/dev/null
LYON=$(sed -e '/^--/d' scripts/city3d-lyon1.sql | tr '\n' ' ')

# best of N: wall time (ms), tiles and bytes of a city_tileset call
best() {
    local q=$1 n=$2 best="" out t
    for _ in $(seq "$n"); do
        out=$($P -At -F ' ' -c '\timing on' -c "SELECT count(*) FILTER (WHERE path LIKE '%.glb'), sum(octet_length(content)) FROM $q")
        t=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<< "$out")
        if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; counts=$(head -1 <<< "$out"); fi
    done
    echo "$best $counts"
}
report() {  # name ms tiles bytes features
    local name=$1 ms=$2 tiles=$3 bytes=$4 feats=$5
    echo "RESULT city3d ${name}_seconds $(awk "BEGIN{printf \"%.2f\", $ms/1000}") s"
    echo "RESULT city3d ${name}_tiles_per_s $(awk "BEGIN{printf \"%.1f\", $tiles/($ms/1000)}") tiles/s"
    echo "RESULT city3d ${name}_mb_per_s $(awk "BEGIN{printf \"%.1f\", $bytes/1e6/($ms/1000)}") MB/s"
    echo "RESULT city3d ${name}_buildings_per_s $(awk "BEGIN{printf \"%.0f\", $feats/($ms/1000)}") buildings/s"
    echo "# $name: $tiles tiles, $(awk "BEGIN{printf \"%.1f\", $bytes/1e6}") MB"
}
read -r ms tiles bytes <<< "$(best "smartregion.city_tileset('SELECT id, feature_id, geom, ground_z, value, properties FROM synth', '{\"value_name\": \"kwh_m2\"}')" 2)"
report synthetic_100k "$ms" "$tiles" "$bytes" 100000
read -r ms tiles bytes <<< "$(best "smartregion.city_tileset(\$q\$$LYON\$q\$, '{\"value_name\": \"annual_kwh_m2\", \"max_features\": 150}')" 3)"
report lyon1 "$ms" "$tiles" "$bytes" "$($P -At -c 'SELECT count(DISTINCT building_id) FROM hub.solar_roofs')"
# what reading the surfaces alone costs (the shared reader's share of the time)
t=$($P -At -c '\timing on' -c "SELECT count(*), sum(ST_NPoints(geom)) FROM synth" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
echo "# reading the synthetic surfaces (count and ST_NPoints over 200,000 rows): $(awk "BEGIN{printf \"%.2f\", $t/1000}") s"
$P -c "SET client_min_messages = warning" -c "DROP TABLE synth" >/dev/null
