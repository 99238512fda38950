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
bench_db_drop
