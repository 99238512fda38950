#!/usr/bin/env bash
# sun_position(ts, geometry) before and after its location was read in C
# (docs/performance-solar.md): 100,000 calls in one SELECT, a minute apart,
# at a Lambert-93 point (transformed to WGS84 and checked) and at a WGS84
# point, in alternating runs of
#   before  the PL/pgSQL function of 0.1.0 until then (GeometryType,
#           ST_IsEmpty, ST_SRID, _to_lonlat, ST_X, ST_Y, then the lat/lon
#           function), created verbatim in a schema sr_bench_old, dropped at
#           the end;
#   after   smartregion.sun_position(ts, geometry), the C function;
# and the lat/lon form at the same place as the floor.  Per core (parallel
# query off).  Prints every run, then the medians.
#   eval "$(scripts/cluster.sh env)"; bench/sun_position_geometry.sh [db] [runs]
set -euo pipefail
db=${1:-contrib_regression}
runs=${2:-11}
pg=$(psql -X -At "$db" -c "SELECT smartregion._postgis_schema()")
psql -X -q "$db" <<SQL
DROP SCHEMA IF EXISTS sr_bench_old CASCADE;
CREATE SCHEMA sr_bench_old;
CREATE FUNCTION sr_bench_old.sun_position(
  ts timestamptz, location "$pg".geometry, elevation_m float8 DEFAULT 0,
  pressure_hpa float8 DEFAULT 1013.25, temperature_c float8 DEFAULT 12,
  delta_t_s float8 DEFAULT 67)
RETURNS smartregion.sun_position
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS \$body\$
DECLARE
  v_srid int := "$pg".ST_SRID(location);
  p "$pg".geometry;
BEGIN
  IF "$pg".GeometryType(location) <> 'POINT' THEN
    RAISE EXCEPTION 'parameter "location" must be a point, got %', "$pg".GeometryType(location)
      USING ERRCODE = '22023';
  END IF;
  IF "$pg".ST_IsEmpty(location) THEN
    RAISE EXCEPTION 'parameter "location" must not be an empty point' USING ERRCODE = '22023';
  END IF;
  IF v_srid = 0 THEN
    RAISE EXCEPTION 'parameter "location" has no SRID'
      USING ERRCODE = '22023', HINT = 'Set one, e.g. ST_SetSRID(location, 4326) for longitude/latitude.';
  END IF;
  IF v_srid <> 4326 THEN
    p := smartregion._to_lonlat(location, 'parameter "location"');
  ELSE
    p := location;
  END IF;
  RETURN smartregion.sun_position(ts, "$pg".ST_Y(p), "$pg".ST_X(p), elevation_m,
                                  pressure_hpa, temperature_c, delta_t_s);
END
\$body\$;
SQL
trap 'psql -X -q "$db" -c "DROP SCHEMA IF EXISTS sr_bench_old CASCADE"' EXIT

# one timed SELECT of 100,000 calls of the expression $1 (in i)
run() {
    psql -X -q "$db" -c "SET max_parallel_workers_per_gather = 0" -c '\timing on' \
        -c "SELECT sum(($1).azimuth) FROM pg_catalog.generate_series(1, 100000) i" |
        sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
ts="'2021-06-21'::timestamptz + i * interval '1 minute'"
l93="'SRID=2154;POINT(842000 6519000)'::$pg.geometry"
wgs="'SRID=4326;POINT(4.9378 45.7261)'::$pg.geometry"
out=$(for _ in $(seq 1 "$runs"); do
    for f in sr_bench_old smartregion; do
        echo "$f 2154 $(run "$f.sun_position($ts, $l93)")"
        echo "$f 4326 $(run "$f.sun_position($ts, $wgs)")"
    done
    echo "lat/lon - $(run "smartregion.sun_position($ts, 45.7261, 4.9378)")"
done)
echo "$out"
echo "$out" | python3 -c '
import collections, statistics, sys
d = collections.defaultdict(list)
for line in sys.stdin:
    f, srid, ms = line.split()
    d[(f, srid)].append(float(ms))
for (f, srid), v in sorted(d.items()):
    print(f"median {f} {srid}: {statistics.median(v):.0f} ms ({len(v)} runs, {min(v):.0f}-{max(v):.0f})")
'
