#!/usr/bin/env bash
# Benchmarks of the 3D city model's import and planned projects (issue 16), run by
# `make bench` (SR_BENCH_ONLY=city_model for this one alone)
# (scripts/bench.sh has installed the build and started the cluster; PG*
# variables point at it).  Prints "RESULT city_model <metric> <value> <unit>".
#   1. import of a ~100 MB CityJSON document in one call
#      (SR_BENCH_CITY_HOUSES gable houses, default 140,000: bench/city3d_gen.py;
#      7 surfaces each): the rows alone (the core's reading of the jsonb,
#      PROJ, planes: _city_rows_cityjson) and the whole import_cityjson
#      (rows + hub inserts with their indexes and foreign key), surfaces per
#      second, and the backend's peak private memory (anonymous RSS, sampled
#      every 0.1 s) while each runs;
#   2. solar_impact: a 50 m tower dropped into Lyon 1er (IGN BD TOPO, 2,576
#      buildings), against the two full solar_cadastre runs it stands for.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${TMPDIR:-/tmp}/sr_bench_city_model.$$
mkdir -p "$OUT"
chmod 755 "$OUT"
trap 'rm -rf "$OUT"' EXIT
HOUSES=${SR_BENCH_CITY_HOUSES:-140000}
DB=sr_bench_city_model
P="psql -X -v ON_ERROR_STOP=1 -d $DB"

psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
$P -q -c "SET client_min_messages = warning" -c "CREATE EXTENSION smartregion CASCADE" \
      -c "SELECT count(*) FROM smartregion.create_hub('hub')" >/dev/null
$P -q <<'SQL'
CREATE FUNCTION best_of(q text, n int) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; best float8 := 'Infinity'; d float8;
BEGIN
  FOR i IN 1..n LOOP
    t0 := clock_timestamp();
    EXECUTE q;
    d := extract(epoch FROM clock_timestamp() - t0);
    best := least(best, d);
  END LOOP;
  RETURN best;
END $$;
SQL

# Run SQL in one session and print "<seconds> <peak anonymous RSS in MB>" of
# its backend (the sampler reads /proc/<pid>/status every 0.1 s).
sampled() {  # sql
    local pidf="$OUT/pid" t0 t1 max=0 a pid ppid
    rm -f "$pidf"
    ( echo "\\o $pidf"; echo "SELECT pg_backend_pid();"; echo "\\o"; echo "SELECT pg_sleep(0.2);"; echo "$1" ) \
        | $P -q -At >/dev/null &
    ppid=$!
    while [[ ! -s $pidf ]]; do sleep 0.02; done
    pid=$(head -1 "$pidf" | tr -d ' ')
    t0=$(date +%s.%N)
    while kill -0 $ppid 2>/dev/null; do
        a=$(awk '/RssAnon/{print $2}' /proc/$pid/status 2>/dev/null || true)
        [[ -n $a && $a -gt $max ]] && max=$a
        sleep 0.1
    done
    wait $ppid
    t1=$(date +%s.%N)
    echo "$(echo "$t1 - $t0 - 0.2" | bc) $((max / 1024))"
}

# 1. import ------------------------------------------------------------------
/usr/bin/python3 bench/city3d_gen.py "$HOUSES" > "$OUT/city.json"
chmod 644 "$OUT/city.json"
bytes=$(stat -c %s "$OUT/city.json")
# (stored uncompressed: its size is what the import holds in memory)
$P -q -c "CREATE TABLE docs (d jsonb)" -c "ALTER TABLE docs ALTER COLUMN d SET STORAGE EXTERNAL" \
      -c "INSERT INTO docs SELECT pg_read_file('$OUT/city.json')::jsonb"
jsonb=$($P -At -c "SELECT pg_column_size(d) FROM docs")
surfaces=$((HOUSES * 7))
echo "# document: $HOUSES houses, $surfaces surfaces, $((bytes / 1000000)) MB of JSON, $((jsonb / 1000000)) MB as jsonb"
echo "RESULT city_model document_mb $((bytes / 1000000)) MB"
rows=$(sampled "SELECT count(*) FROM docs, smartregion._city_rows_cityjson(d, 2154, 'EPSG:2154', '{}') s;")
echo "# rows only: ${rows% *} s, peak private memory ${rows#* } MB"
imp=$(sampled "SELECT smartregion.import_cityjson(d, 'hub') -> 'surfaces' FROM docs;")
echo "# import (empty hub): ${imp% *} s, peak private memory ${imp#* } MB"
rep=$(sampled "SELECT smartregion.import_cityjson(d, 'hub', '{\"replace\": true}') -> 'surfaces' FROM docs;")
echo "# import again (replacing every object): ${rep% *} s, peak private memory ${rep#* } MB"
n=$($P -At -c "SELECT count(*) FROM hub.city_surface")
[[ $n -eq $surfaces ]] || { echo "ERROR city_model: $n surfaces in the hub, expected $surfaces"; exit 1; }
echo "RESULT city_model rows_surfaces_per_s $(echo "$surfaces / ${rows% *}" | bc) surfaces/s"
echo "RESULT city_model import_surfaces_per_s $(echo "$surfaces / ${imp% *}" | bc) surfaces/s"
echo "RESULT city_model import_peak_private_mb ${imp#* } MB"
echo "RESULT city_model jsonb_mb $((jsonb / 1000000)) MB"
$P -q -c "DROP TABLE docs" -c "TRUNCATE hub.city_object CASCADE"

# 2. solar_impact ------------------------------------------------------------
$P -q <<'SQL'
\set bj `zcat data/buildings/buildings_lyon1.geojson.gz`
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TABLE lyon AS
SELECT substring(f->'properties'->>'ID' FROM '[0-9]+$')::bigint AS id,
       ST_Force3DZ(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 3946)),
                   ((f->'properties'->>'Z_MIN_TOIT')::float8 + coalesce((f->'properties'->>'Z_MAX_TOIT')::float8,
                                                                        (f->'properties'->>'Z_MIN_TOIT')::float8)) / 2) AS geom,
       (f->'properties'->>'HAUTEUR')::float8 AS height, NULL::float8 AS ground_z
  FROM json_array_elements((:'bj')::json->'features') f;
-- a 50 m tower (20 m x 20 m, ground at 170 m) in the middle of the district
CREATE TABLE tower AS
SELECT 900000000001::bigint AS id, ST_SetSRID(ST_MakeEnvelope(1842000, 5175900, 1842020, 5175920), 3946) AS geom,
       50.0::float8 AS height, 170.0::float8 AS ground_z;
CREATE TABLE skies AS SELECT smartregion.sky_from_epw(:'epw') AS s;
SQL
$P -At <<'SQL'
SELECT format('# solar_impact: %s faces changed, the tower''s roof %s; Lyon 1er: %s faces',
              count(*) FILTER (WHERE NOT is_project), count(*) FILTER (WHERE is_project),
              (SELECT count(*) FROM skies, smartregion.solar_cadastre('SELECT id, geom, height, ground_z FROM lyon', s)))
  FROM skies, smartregion.solar_impact('SELECT id, geom, height, ground_z FROM tower',
                                       'SELECT id, geom, height, ground_z FROM lyon', s);
WITH t AS (
  SELECT best_of($$SELECT count(*) FROM skies, smartregion.solar_impact('SELECT id, geom, height, ground_z FROM tower',
                                                'SELECT id, geom, height, ground_z FROM lyon', s)$$, 3) AS impact,
         best_of($$SELECT count(*) FROM skies, smartregion.solar_cadastre('SELECT id, geom, height, ground_z FROM lyon', s)$$, 3)
       + best_of($$SELECT count(*) FROM skies, smartregion.solar_cadastre(
                     'SELECT id, geom, height, ground_z FROM lyon UNION ALL SELECT id, geom, height, ground_z FROM tower', s)$$, 3)
           AS two_runs)
SELECT format(E'RESULT city_model impact_lyon1_tower_s %s s\nRESULT city_model two_full_runs_lyon1_s %s s\nRESULT city_model impact_speedup %s x',
              round(impact::numeric, 3), round(two_runs::numeric, 3), round((two_runs / impact)::numeric, 1))
  FROM t;
SQL
psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB"
