# Shared by the bench/*.sh scripts (sourced, not run: scripts/bench.sh runs
# bench/*.sh only).  Each script sets DB (its database) and P (psql on it)
# before calling these.

# A fresh database $DB with the extension.
bench_db_create() {
    psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
    $P -q -c "SET client_min_messages = warning" -c "CREATE EXTENSION smartregion CASCADE" >/dev/null
}

bench_db_drop() {
    psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" >/dev/null
}

# Tables lyon (Lyon 1er's 2,576 BD TOPO buildings: id, geom in EPSG:3946,
# height, roof_z_max, ground_z) and sky (the Lyon TMYx year's sky).
bench_load_lyon1() {
    $P -q <<'SQL' >/dev/null
\set bj `zcat data/buildings/buildings_lyon1.geojson.gz`
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TABLE lyon AS
SELECT substring(f->'properties'->>'ID' FROM '[0-9]+$')::bigint AS id,
       ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 3946) AS geom,
       (f->'properties'->>'HAUTEUR')::float8 AS height, (f->'properties'->>'Z_MAX_TOIT')::float8 AS roof_z_max,
       (f->'properties'->>'Z_MIN_SOL')::float8 AS ground_z
  FROM json_array_elements((:'bj')::json->'features') f;
CREATE TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
SQL
}

# Table synth: the deterministic synthetic region of about $1 buildings
# (a square of side floor(sqrt($1))), Lyon-like density: one building per
# 25 m x 25 m cell, 8-19 m sides, 6-30 m high, size and place from an
# integer hash; EPSG:2154, centred on (842000, 6519000); x is the west side.
bench_synth_region() {  # buildings
    local side
    side=$(echo "sqrt($1)" | bc)
    $P -q <<SQL >/dev/null
CREATE TABLE synth AS
WITH g AS (SELECT i, (i % $side) AS cx, (i / $side) AS cy,
                  ((i * 2654435761) % 4294967296) AS h FROM generate_series(0, $side * $side - 1) i)
SELECT i::bigint AS id,
       ST_MakeEnvelope(x0, y0, x0 + w, y0 + d, 2154) AS geom,
       (6 + (h >> 16) % 25)::float8 AS height, x0 AS x
  FROM g, LATERAL (SELECT 842000 - $side * 12.5 + cx * 25 + 1 + (h % 5) AS x0,
                          6519000 - $side * 12.5 + cy * 25 + 1 + ((h >> 3) % 5) AS y0,
                          8 + ((h >> 6) % 12) AS w, 8 + ((h >> 10) % 12) AS d) s;
SQL
}

# The best (least) wall time in seconds of n runs of a psql command on $DB;
# the last run's output goes to outfile.
bench_best_of() {  # n outfile psql-args...
    local n=$1 out=$2 b="" t t0 i; shift 2
    for ((i = 0; i < n; i++)); do
        t0=$(date +%s.%N)
        $P -q -At "$@" > "$out"
        t=$(echo "$(date +%s.%N) - $t0" | bc -l)
        if [[ -z $b ]] || (( $(echo "$t < $b" | bc -l) )); then b=$t; fi
    done
    echo "$b"
}

# The pure core built as the extension builds it (-O2; the cadastre's two
# kernel files -O3 -fno-trapping-math, as the Makefile says) into
# $1/libsrcore.a; a bench program links with "$1/libsrcore.a $BENCH_CORE_LIBS".
BENCH_CORE_LIBS="$(geos-config --clibs) $(pkg-config --libs proj libxml-2.0) -lm -lpthread"
bench_core_lib() {  # outdir
    local c o
    mkdir -p "$1/coreobj"
    for c in extension/core/*.c; do
        o=-O2
        [[ $c == */cadastre_irradiation.c || $c == */cadastre_sample.c ]] && o="-O3 -fno-trapping-math"
        gcc -std=gnu11 $o -Iextension/include $(pkg-config --cflags libxml-2.0) -c "$c" -o "$1/coreobj/$(basename "$c" .c).o"
    done
    rm -f "$1/libsrcore.a"
    ar rcs "$1/libsrcore.a" "$1"/coreobj/*.o
}
