#!/bin/bash
# city_gltf's memory a row on more shapes than bench/memory.sh's rectangles and 65-point
# roofs (docs/performance-cadastre.md, 2026-12-06): the synthetic region's rectangles as
# triangles, rectangles, rectangles with a hole, 9- to 129-point polygons, without and with
# walls; a fresh backend a call, VmHWM - RssShmem, work_mem 1 MB, the GLB sent, no bound.
# The cluster is started, PG* point at it.  N1, N2: the two sizes (default 4000 12000);
# WALLS ("0 1"), SHAPES: which; SETUP=0 reuses the tables.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd); cd "$ROOT"
DB=smartregion_bench_gltf_shapes
P="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
N1=${N1:-4000}; N2=${N2:-12000}
if [[ ${SETUP:-1} == 1 ]]; then
dropdb --if-exists $DB; createdb $DB
$P -c "SET client_min_messages = warning" -c "CREATE EXTENSION smartregion CASCADE" >/dev/null
side=$(echo "sqrt($N2) + 1" | bc)
$P <<SQL >/dev/null
CREATE TABLE synth AS
WITH g AS (SELECT i, (i % $side) AS cx, (i / $side) AS cy,
                  ((i * 2654435761) % 4294967296) AS h FROM generate_series(0, $side * $side - 1) i)
SELECT i::bigint AS id,
       ST_MakeEnvelope(x0, y0, x0 + w, y0 + d, 2154) AS geom,
       (6 + (h >> 16) % 25)::float8 AS height
  FROM g, LATERAL (SELECT 842000 - $side * 12.5 + cx * 25 + 1 + (h % 5) AS x0,
                          6519000 - $side * 12.5 + cy * 25 + 1 + ((h >> 3) % 5) AS y0,
                          8 + ((h >> 6) % 12) AS w, 8 + ((h >> 10) % 12) AS d) s;
CREATE TABLE shapes AS
SELECT id, height, 'rect' AS shape, geom FROM synth
UNION ALL SELECT id, height, 'tri', ST_MakePolygon(ST_MakeLine(ARRAY[ST_PointN(r, 1), ST_PointN(r, 2), ST_PointN(r, 3), ST_PointN(r, 1)]))
  FROM synth, LATERAL (SELECT ST_ExteriorRing(geom) AS r) x
UNION ALL SELECT id, height, 'p9', ST_Buffer(ST_Centroid(geom), 6, 2) FROM synth
UNION ALL SELECT id, height, 'p17', ST_Buffer(ST_Centroid(geom), 6, 4) FROM synth
UNION ALL SELECT id, height, 'p33', ST_Buffer(ST_Centroid(geom), 6, 8) FROM synth
UNION ALL SELECT id, height, 'p65', ST_Buffer(ST_Centroid(geom), 6, 16) FROM synth
UNION ALL SELECT id, height, 'p129', ST_Buffer(ST_Centroid(geom), 6, 32) FROM synth
UNION ALL SELECT id, height, 'holed', ST_MakePolygon(ST_ExteriorRing(geom), ARRAY[ST_Reverse(ST_ExteriorRing(ST_Buffer(geom, -2, 'join=mitre')))]) FROM synth;
CREATE INDEX ON shapes (shape, id);
ANALYZE;
SQL
$P -At -c "SELECT shape, round(avg(octet_length(ST_AsEWKB(ST_Force3DZ(geom, height))))::numeric, 3), round(avg(octet_length(ST_AsEWKB(ST_Force3DZ(geom, height))) / 24.0)::numeric, 4), min(ST_NPoints(geom)), max(ST_NPoints(geom)) FROM shapes WHERE id < $N2 GROUP BY shape ORDER BY 3"
fi
own() {  # sql -> kB of the backend's own memory at its peak
    $P -At <<SQL
SET client_min_messages = warning;
SET work_mem = '1MB';
SET smartregion.max_call_memory = -1;
\o /dev/null
$1
\o
SELECT substring(st FROM 'VmHWM:\s*(\d+) kB')::bigint - substring(st FROM 'RssShmem:\s*(\d+) kB')::bigint
  FROM (SELECT pg_read_file('/proc/self/status') AS st) x;
SQL
}
for w in ${WALLS:-0 1}; do
for shape in ${SHAPES:-tri rect holed p9 p17 p33 p65 p129}; do
    G=""; [[ $w == 1 ]] && G=", 0.0::float8 AS ground_z"
    S="SELECT id, ST_Force3DZ(geom, height) AS geom, height AS value, jsonb_build_object('building', id, 'height', height) AS properties$G FROM shapes WHERE shape = '$shape'"
    m1=$(own "SELECT smartregion.city_gltf(\$q\$$S AND id < $N1\$q\$);")
    m2=$(own "SELECT smartregion.city_gltf(\$q\$$S AND id < $N2\$q\$);")
    echo "RESULT walls=$w $shape $N1 ${m1}kB $N2 ${m2}kB growth $(( (m2 - m1) * 1024 / (N2 - N1) )) bytes/row"
done
done
