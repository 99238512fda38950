#!/usr/bin/env bash
# Benchmark of tierslieux_coverage's nearest-tiers-lieu search (run by `make bench`, which
# exports PGHOST and PGPORT of the throwaway cluster; SR_BENCH_ONLY=coverage runs it alone).
# Premises: the 1,512 tiers-lieux of the 2019 census (data/tierslieux).  Units: 36,000 points
# spread over metropolitan France (as many as communes) and a 2 km grid (~300,000 cells).
# Compared with the same search written in SQL with PostGIS's KNN (a GiST index on geography,
# ORDER BY <-> LIMIT 1 per unit), which also checks the nearest distances.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=smartregion_bench_coverage
P="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
. bench/lib/common.sh
bench_db_create
$P <<'SQL'
CREATE TABLE tl_raw (id int, nom_tl text, adresse text, cp text, inseecom text, nomcom text, web text, typo text,
  lat float8, long float8, precision float8, metro int, nommetro text, inseereg text, nomreg text,
  inseedep text, popcom text, comclass text, insee_ze text, nom_ze text, class_ze text, pop_ze text);
\copy tl_raw FROM 'data/tierslieux/cget_tiers_lieux_2019.csv' WITH (FORMAT csv, HEADER true)
CREATE TABLE tl AS SELECT id, ST_SetSRID(ST_MakePoint(long, lat), 4326) AS location FROM tl_raw WHERE lat IS NOT NULL;
-- deterministic points in metropolitan France's box
CREATE TABLE communes AS
SELECT 'c' || g AS unit_code, 1000 AS population,
       -5.0 + 14.5 * ((hashtext('x' || g) & 1048575) / 1048576.0) AS lon,
       42.3 + 8.8 * ((hashtext('y' || g) & 1048575) / 1048576.0) AS lat
  FROM generate_series(1, 36000) g;
CREATE TABLE grid AS
SELECT 'g' || i || '_' || j AS unit_code, 1 AS population, -5.0 + i * 0.0254 AS lon, 42.3 + j * 0.018 AS lat
  FROM generate_series(0, 570) i, generate_series(0, 488) j;
CREATE TABLE tl_geog AS SELECT id, location::geography AS g FROM tl;
CREATE INDEX ON tl_geog USING gist (g);
ANALYZE;
SQL
$P -At -c "SELECT '# premises ' || count(*) || ', communes-like units 36000, grid cells ' || (SELECT count(*) FROM grid) FROM tl"

best_ms() {
    local sql=$1 n=$2 best=""
    for _ in $(seq "$n"); do
        t=$($P -At -c 'SET jit = off' -c '\timing on' -c "$sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1)
        if [[ -z $best ]] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    echo "$best"
}
for units in communes grid; do
    c=$(best_ms "SELECT count(*) FROM smartregion.tierslieux_coverage('SELECT id, location FROM tl', '{\"levels\": [\"commune\"]}', 'SELECT * FROM $units')" 3)
    k=$(best_ms "SELECT count(*) FROM $units u CROSS JOIN LATERAL (SELECT t.id, ST_Distance(t.g, ST_MakePoint(u.lon, u.lat)::geography) AS d FROM tl_geog t ORDER BY t.g <-> ST_MakePoint(u.lon, u.lat)::geography LIMIT 1) n" 1)
    echo "RESULT coverage ${units}_c_ms $c ms"
    echo "RESULT coverage ${units}_sql_knn_ms $k ms"
done
# the two agree: largest difference of the nearest distance (km; the SQL one is on the spheroid)
$P -At <<'SQL'
SELECT '# communes-like units: max |C - PostGIS spheroid| = ' || round(max(abs(c.distance - k.d / 1000))::numeric, 3)
       || ' km, same nearest premise for ' || round(100.0 * avg((c.nearest_id = k.id)::int), 2) || ' % of units'
  FROM smartregion.tierslieux_coverage('SELECT id, location FROM tl', '{"levels": ["commune"]}', 'SELECT * FROM communes') c
  JOIN communes u ON u.unit_code = c.territory_code
  CROSS JOIN LATERAL (SELECT t.id, ST_Distance(t.g, ST_MakePoint(u.lon, u.lat)::geography) AS d FROM tl_geog t
                       ORDER BY t.g <-> ST_MakePoint(u.lon, u.lat)::geography LIMIT 1) k;
SQL
bench_db_drop
