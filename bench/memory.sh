#!/usr/bin/env bash
# Peak memory of the functions whose input can be long (docs/performance-cadastre.md,
# "Memory of the hour-by-hour references"), run by `make bench` (the cluster is
# started, PG* point at it).  Each call runs in a fresh backend; its peak is the
# backend's VmHWM (/proc/<pid>/status, read by pg_read_file at the end of the call:
# the cluster runs as its owner, so the superuser reads its own status).
# Prints "RESULT memory <function>_<input>_peak <MB> MB" and "..._s <seconds> s".
#   SR_BENCH_MEMORY_YEARS   years of synthetic hourly weather (default "10 100";
#                           "10 3000" is the issue's case: ~11-15 min a call)
#   SR_BENCH_MEMORY_COPIES  copies of a 200 x 200 raster (default "300 3000")
#   SR_BENCH_MEMORY_SKY_HOURS  hours of weather for one sky_agg (default "8760 5000000":
#                           past 1,000,000 the call is refused, 54000; 1000000 takes ~2 min)
#   SR_BENCH_MEMORY_BUILDINGS  two sizes of the synthetic region for the growth a building
#                           of solar_cadastre, horizon_at, solar_impact and the cadastre's
#                           trees (default "20000 100000"; "50000 250000" in the docs);
#                           match_assign's pairs and tierslieux_coverage's rows: 5 and 25
#                           times the first size
#   SR_BENCH_MEMORY_SURFACES  two sizes for city_gltf and city_tileset (default "4000 19881",
#                           at most the region's buildings: 65-point roofs with walls hold
#                           1.6 GB in one GLB at 19,881)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
. bench/lib/common.sh
DB=smartregion_bench_memory
P="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
bench_db_create
$P -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS postgis_raster" >/dev/null
# the tile of docs/pv.md's example (50 m pixels, a slope north of y = 6,520,000)
$P <<'SQL' >/dev/null
CREATE TABLE dem1 AS
SELECT ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(200, 200, 837000, 6524000, 50, -50, 0, 0, 2154), '32BF'::text, 0::float8),
                     1, '32BF', '200 + greatest(0, (6524000 - 50 * ([rast.y] - 0.5) - 6520000) / 10.0)') AS rast;
SQL

# one call in a fresh backend: RESULT lines for its peak and wall time
measure() {  # name sql
    local out
    out=$($P -At <<SQL
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
\o /dev/null
$2
\o
SELECT round(substring(pg_read_file('/proc/self/status') FROM 'VmHWM:\s*(\d+) kB')::numeric / 1024, 1)
       || ' ' || round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 2);
SQL
)
    echo "RESULT memory ${1}_peak ${out% *} MB"
    echo "RESULT memory ${1}_s ${out#* } s"
}

measure idle_backend "SELECT smartregion.version();"
for y in ${SR_BENCH_MEMORY_YEARS:-10 100}; do
    last=$((2001 + y))
    W="SELECT t AS ts, g AS ghi, g * 0.6 AS dni, g * 0.3 AS dhi, 12 + 8 * sin(pi() * (extract(hour FROM t) - 9) / 12) AS temp_air,
              2.0::float8 AS wind_speed
         FROM generate_series('2001-01-01 00:00Z'::timestamptz, '$last-01-01 00:00Z'::timestamptz - interval '1 hour', '1 hour') t,
              LATERAL (SELECT greatest(0, 800 * sin(pi() * (extract(hour FROM t) - 6) / 12)) AS g) x"
    measure "surface_irradiation_hourly_${y}y" "SELECT (smartregion.surface_irradiation_hourly(\$q\$$W\$q\$, 45, 5, 30, 180)).annual_kwh_m2;"
    measure "pv_yield_hourly_${y}y" "SELECT (smartregion.pv_yield_hourly(\$q\$$W\$q\$, 45, 5, 30, 180)).annual_kwh_kwp;"
    measure "pv_profile_hourly_${y}y" "SELECT count(*), sum(kwh_kwp) FROM smartregion.pv_profile_hourly(\$q\$$W\$q\$, 45, 5, 30, 180);"
done
for n in ${SR_BENCH_MEMORY_COPIES:-300 3000}; do
    # past smartregion.max_dem_pixels (67,108,864: 1,677 copies) the call is refused
    # (54000) as soon as the limit is passed: its peak is then the bound's
    measure "horizon_from_dem_${n}_rasters" "DO \$\$ BEGIN
  PERFORM smartregion.horizon_from_dem('SELECT rast FROM dem1, generate_series(1, $n)', 'SRID=2154;POINT(842000 6519000 210)');
EXCEPTION WHEN program_limit_exceeded THEN NULL;
END \$\$;"
done
for n in ${SR_BENCH_MEMORY_SKY_HOURS:-8760 5000000}; do
    # past SR_SKY_MAX_HOURS (1,000,000) the row that passes it is refused (54000)
    measure "sky_agg_${n}_hours" "DO \$\$ BEGIN
  PERFORM smartregion.sky_agg(ts, ghi, dni, dhi, ST_SetSRID(ST_MakePoint(4.9378, 45.7261, 198), 4326))
     FROM (SELECT t AS ts, g AS ghi, g * 0.6 AS dni, g * 0.3 AS dhi
             FROM generate_series('2001-01-01 00:00Z'::timestamptz, '2001-01-01 00:00Z'::timestamptz + ($n - 1) * interval '1 hour', '1 hour') t,
                  LATERAL (SELECT greatest(0, 800 * sin(pi() * (extract(hour FROM t) - 6) / 12)) AS g) x) w;
EXCEPTION WHEN program_limit_exceeded THEN NULL;
END \$\$;"
done

# The buildings solar_cadastre holds until it ends (smartregion.max_call_memory;
# docs/performance-cadastre.md, "Memory bound of the calls holding their input"):
# the synthetic region's rectangles and the same buildings as 65-point polygons,
# at two sizes, work_mem 1 MB (the result spills at once); the growth a building
# is the difference of the backend's own memory (VmHWM - RssShmem) over the rows
# added, to compare with the rule (370 bytes + 113 a point: 1,055 and 7,835 bytes,
# the region being turned to true north, 1.33 deg).
# Then the 65-point buildings under a limit of 100 MB: refused (54000) at row
# 13,384 (104,857,600 / 7,835.06), the backend's memory at that point.
own() {  # sql -> MB of the backend's own memory at its peak
    $P -At <<SQL
SET client_min_messages = warning;
SET work_mem = '1MB';
\o /dev/null
$1
\o
SELECT round((substring(st FROM 'VmHWM:\s*(\d+) kB')::numeric - substring(st FROM 'RssShmem:\s*(\d+) kB')::numeric) / 1024, 1)
  FROM (SELECT pg_read_file('/proc/self/status') AS st) x;
SQL
}
read -r b1 b2 <<< "${SR_BENCH_MEMORY_BUILDINGS:-20000 100000}"
bench_synth_region "$b2"
$P -q <<'SQL' >/dev/null
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
CREATE TABLE synth_c AS SELECT id, ST_Buffer(ST_Centroid(geom), 6, 16) AS geom, height FROM synth;
ANALYZE;
SQL
nb=$($P -At -c "SELECT count(*) FROM synth")   # side x side: about $b2
for t in synth synth_c; do
    m1=$(own "SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM $t WHERE id < $b1', s, '{\"sampling\": \"point\"}') c;")
    m2=$(own "SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM $t WHERE id < $nb', s, '{\"sampling\": \"point\"}') c;")
    echo "# solar_cadastre $t: $b1 buildings $m1 MB, $nb buildings $m2 MB (own memory)"
    awk -v a="$m1" -v b="$m2" -v n="$((nb - b1))" -v t="$t" \
        'BEGIN { printf "RESULT memory solar_cadastre_%s_growth %.0f bytes/building\n", t == "synth" ? "rectangle" : "65_point", (b - a) * 1048576 / n }'
done
m=$(own "SET smartregion.max_call_memory = '100MB';
DO \$\$ BEGIN
  PERFORM count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM synth_c', s, '{\"sampling\": \"point\"}') c;
EXCEPTION WHEN program_limit_exceeded THEN NULL;
END \$\$;")
echo "RESULT memory solar_cadastre_refused_at_100MB_own $m MB"

# horizon_at and solar_impact hold their buildings too, measured the same way
# (rules: 330 + 80 and 680 + 129 bytes a point, i.e. 815 and 1,462 bytes a
# rectangle, 5,615 and 9,202 a 65-point building); the project is one 20 m
# block 50 m high among the first buildings, so that both sizes see it
grow() {  # label n1 n2 sql-with-@N@: the growth a row from n1 to n2 rows
    local m1 m2
    m1=$(own "${4//@N@/$2}")
    m2=$(own "${4//@N@/$3}")
    echo "# $1: $2 rows $m1 MB, $3 rows $m2 MB (own memory)"
    awk -v a="$m1" -v b="$m2" -v n="$(($3 - $2))" -v l="$1" \
        'BEGIN { printf "RESULT memory %s_growth %.0f bytes/row\n", l, (b - a) * 1048576 / n }'
}
for t in synth synth_c; do
    shape=$([[ $t == synth ]] && echo rectangle || echo 65_point)
    grow "horizon_at_$shape" "$b1" "$nb" "SELECT smartregion.horizon_at('SRID=2154;POINT(842000 6519000 2)', 'SELECT id, geom, height FROM $t WHERE id < @N@', 300);"
    grow "solar_impact_$shape" "$b1" "$nb" "SELECT count(*) FROM sky, smartregion.solar_impact(
  'SELECT 9000000::bigint AS id, ST_Translate(ST_MakeEnvelope(0, 0, 20, 20, 2154), ST_XMin(geom), ST_YMin(geom) + 30) AS geom, 50.0::float8 AS height FROM synth WHERE id = 0',
  'SELECT id, geom, height FROM $t WHERE id < @N@', s) c;"
done
# match_assign's pairs at their worst (each a new project and premise; rule
# 300 bytes a pair), 5 and 25 times the first size above
grow match_assign_pair "$((5 * b1))" "$((25 * b1))" "SELECT count(*) FROM smartregion.match_assign('SELECT i::bigint AS project_id, i::bigint AS premise_id, 0.5::float8 AS score FROM generate_series(1, @N@) i');"
# The three readers counted since (rules in sr_city3d.h, sr_coverage.h and
# sr_cadastre.h), measured the same way.  city_gltf and city_tileset: the
# region's buildings as flat roofs (ST_Force3DZ at their height: 5-point
# rectangles and 65-point polygons), each its own feature, with a value and
# a two-member properties object, without and with walls (ground_z 0: a wall
# quad an edge), the output sent (the GLB as hex, the tiles' rows), at
# SR_BENCH_MEMORY_SURFACES' two sizes.  Each call without the bound (-1):
# the rules measured are what it counts.
read -r s1 s2 <<< "${SR_BENCH_MEMORY_SURFACES:-4000 19881}"
(( s2 <= nb )) || s2=$nb
NB="SET smartregion.max_call_memory = -1;"
for t in synth synth_c; do
    shape=$([[ $t == synth ]] && echo rectangle || echo 65_point)
    S="SELECT id, ST_Force3DZ(geom, height) AS geom, height AS value, jsonb_build_object('building', id, 'height', height) AS properties"
    grow "city_gltf_$shape" "$s1" "$s2" "$NB SELECT smartregion.city_gltf(\$q\$$S FROM $t WHERE id < @N@\$q\$);"
    grow "city_gltf_walls_$shape" "$s1" "$s2" "$NB SELECT smartregion.city_gltf(\$q\$$S, 0.0::float8 AS ground_z FROM $t WHERE id < @N@\$q\$);"
    grow "city_tileset_$shape" "$s1" "$s2" "$NB SELECT path, content FROM smartregion.city_tileset(\$q\$$S FROM $t WHERE id < @N@\$q\$);"
    grow "city_tileset_walls_$shape" "$s1" "$s2" "$NB SELECT path, content FROM smartregion.city_tileset(\$q\$$S, 0.0::float8 AS ground_z FROM $t WHERE id < @N@\$q\$);"
done
# tierslieux_coverage (its reader _tierslieux_nearest holds the three
# queries): units as communes (5-character codes, a name, a population, a
# point, the three territory codes), premises (an id, a point, a station
# flag), travel rows (a unit's code, a premise, minutes), one query growing
# at a time from 5 to 25 times the first size, the two others at 1,000 units
# and 100 premises
U="SELECT lpad(i::text, 5, '0') AS unit_code, 'Commune ' || i AS name, 1000.0::float8 AS population,
          ST_SetSRID(ST_MakePoint(-4 + (i % 1000) * 0.012, 42 + (i / 1000) * 0.009), 4326) AS location,
          '2' || lpad((i % 1200)::text, 8, '0') AS epci_code, lpad((i % 95 + 1)::text, 2, '0') AS departement_code,
          (i % 13 + 11)::text AS region_code FROM generate_series(1, @U@) i"
Q="SELECT i::bigint AS id, ST_SetSRID(ST_MakePoint(-4 + (i % 997) * 0.012, 42 + (i / 997) * 0.009), 4326) AS location,
          i % 10 = 0 AS station FROM generate_series(1, @Q@) i"
T="SELECT lpad((i % 1000 + 1)::text, 5, '0') AS unit_code, (i % 100 + 1)::bigint AS premise_id, (i % 60)::float8 AS minutes
     FROM generate_series(1, @T@) i"
cov() {  # units premises travel-rows (0: distances)
    local u=${U//@U@/$1} q=${Q//@Q@/$2} tr=${T//@T@/$3}
    if [[ $3 == 0 ]]; then tr=NULL; else tr="\$t\$$tr\$t\$"; fi
    echo "$NB SELECT * FROM smartregion.tierslieux_coverage(\$q\$$q\$q\$, '{}', \$u\$$u\$u\$, $tr);"
}
grow tierslieux_unit "$((5 * b1))" "$((25 * b1))" "$(cov @N@ 100 0)"
grow tierslieux_premise "$((5 * b1))" "$((25 * b1))" "$(cov 1000 @N@ 0)"
grow tierslieux_travel "$((5 * b1))" "$((25 * b1))" "$(cov 1000 100 @N@)"
# solar_cadastre's trees (trees_sql): 12-gon crowns at the buildings'
# centres, 10 m high, 4 m wide, above the first ten buildings
grow solar_cadastre_tree "$b1" "$nb" "$NB SELECT count(*) FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM synth WHERE id < 10', s,
  jsonb_build_object('sampling', 'point', 'trees_sql', 'SELECT id, ST_Centroid(geom) AS geom, 10.0::float8 AS height, 4.0::float8 AS crown_radius FROM synth WHERE id < @N@')) c;"
bench_db_drop
