#!/usr/bin/env bash
# sky_clearsky(geometry) before and after it became one C function
# (docs/performance-cadastre.md): N calls in one SELECT at a WGS84 point,
# in alternating runs of
#   before  the PL/pgSQL function of 0.1.0 until then (GeometryType,
#           ST_IsEmpty, ST_SRID, ST_X, ST_Y, ST_Z, then one SQL query of the
#           year's 8,760 hours through sun_position, relative_airmass,
#           absolute_airmass, extraterrestrial_irradiance, clearsky_ineichen
#           and sky_agg), created verbatim in a schema sr_bench_old, dropped
#           at the end (a WGS84 point: its branch calling _to_lonlat for a
#           projected point is not taken);
#   after   smartregion.sky_clearsky(geometry), the C function;
# each call at another elevation (i metres), so that no result is reused.
# Per core (parallel query off).  Prints every run (wall ms, backend CPU ms),
# then the medians.
#   eval "$(scripts/cluster.sh env)"; bench/sky_clearsky_location.sh [db] [runs] [calls]
set -euo pipefail
db=${1:-contrib_regression}
runs=${2:-7}
calls=${3:-10}
pg=$(psql -X -At "$db" -c "SELECT smartregion._postgis_schema()")
psql -X -q "$db" <<SQL
DROP SCHEMA IF EXISTS sr_bench_old CASCADE;
CREATE SCHEMA sr_bench_old;
CREATE FUNCTION sr_bench_old.sky_clearsky(location "$pg".geometry, linke_turbidity float8 DEFAULT 3.0,
                                         year int DEFAULT 2019)
RETURNS smartregion.sky
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE COST 100000
SET search_path = pg_catalog, pg_temp
AS \$body\$
DECLARE
  v_lon float8;
  v_lat float8;
  v_z float8;
  v_pa float8;
  v_sky smartregion.sky;
BEGIN
  IF "$pg".GeometryType(location) <> 'POINT' OR "$pg".ST_IsEmpty(location) THEN
    RAISE EXCEPTION 'parameter "location" must be a point, got %', "$pg".ST_AsText(location)
      USING ERRCODE = '22023';
  END IF;
  IF "$pg".ST_SRID(location) OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'parameter "location" has no SRID; a place on Earth is required'
      USING ERRCODE = '22023', DETAIL = 'SRID 0 is taken as local metres, which locate nothing on Earth.',
            HINT = 'Give the point its SRID, e.g. ST_SetSRID(ST_MakePoint(lon, lat, elevation), 4326).';
  END IF;
  IF "$pg".ST_SRID(location) OPERATOR(pg_catalog.<>) 4326 THEN
    location := smartregion._to_lonlat(location, 'parameter "location"');  -- ST_Transform, checked
  END IF;
  IF NOT (linke_turbidity >= 1 AND linke_turbidity <= 10) THEN
    RAISE EXCEPTION 'parameter "linke_turbidity" is out of range: %', linke_turbidity
      USING ERRCODE = '22003', DETAIL = 'The Linke turbidity must be between 1 and 10 (3 is a typical European sky).';
  END IF;
  IF year < 1900 OR year > 2100 THEN
    RAISE EXCEPTION 'parameter "year" is out of range: %', year
      USING ERRCODE = '22003', DETAIL = 'The year must be between 1900 and 2100.';
  END IF;
  v_lon := "$pg".ST_X(location);
  v_lat := "$pg".ST_Y(location);
  v_z := coalesce("$pg".ST_Z(location), 0);
  IF NOT (v_z >= -500 AND v_z <= 9000) THEN
    RAISE EXCEPTION 'site elevation % m is out of range', v_z
      USING ERRCODE = '22003', DETAIL = 'The z of the location is the elevation in metres, between -500 and 9000.';
  END IF;
  v_pa := 101325 * (1 - 2.25577e-5 * v_z) ^ 5.25588;
  SELECT smartregion.sky_agg(c.ts, coalesce((c.cs).ghi, 0), coalesce((c.cs).dni, 0), coalesce((c.cs).dhi, 0),
                             location)
    INTO v_sky
    FROM (SELECT h.ts,
                 CASE WHEN (h.sp).apparent_zenith < 90 THEN
                   smartregion.clearsky_ineichen((h.sp).apparent_zenith,
                     smartregion.absolute_airmass(smartregion.relative_airmass((h.sp).apparent_zenith), v_pa),
                     linke_turbidity, v_z, smartregion.extraterrestrial_irradiance(h.ts)) END AS cs
            FROM (SELECT ts, smartregion.sun_position(ts - interval '30 minutes', v_lat, v_lon, v_z, v_pa / 100) AS sp
                    FROM pg_catalog.generate_series(pg_catalog.make_timestamptz(year, 1, 1, 1, 0, 0, 'UTC'),
                                                    pg_catalog.make_timestamptz(year + 1, 1, 1, 0, 0, 0, 'UTC'),
                                                    interval '1 hour') ts) h) c;
  RETURN v_sky;
END
\$body\$;
SQL
[[ ${SR_BENCH_KEEP:-} ]] || trap 'psql -X -q "$db" -c "DROP SCHEMA IF EXISTS sr_bench_old CASCADE"' EXIT

# one SELECT of $calls calls of the expression $1 (in i): its wall time and
# the backend's CPU time (user + system, /proc/<pid>/stat), which the other
# work of a shared machine disturbs less
run() {
    psql -X -q -At "$db" <<PSQL |
SET max_parallel_workers_per_gather = 0;
SELECT pg_backend_pid() AS pid \\gset
\\setenv SR_BENCH_PID :pid
\\timing on
\\! echo cpu0 \$(cut -d" " -f14,15 /proc/\$SR_BENCH_PID/stat)
SELECT count(($1) IS NOT NULL) FROM pg_catalog.generate_series(1, $calls) i;
\\! echo cpu1 \$(cut -d" " -f14,15 /proc/\$SR_BENCH_PID/stat)
PSQL
        awk -v hz="$(getconf CLK_TCK)" '/^cpu0/ {c0 = $2 + $3} /^Time:/ {ms = $2}
             /^cpu1/ {printf "%s %.0f\n", ms, ($2 + $3 - c0) * 1000 / hz}'
}
loc="$pg.ST_SetSRID($pg.ST_MakePoint(4.9378, 45.7261, 150 + i), 4326)"
out=$(for _ in $(seq 1 "$runs"); do
    for f in sr_bench_old smartregion; do
        echo "$f $(run "$f.sky_clearsky($loc)")"
    done
done)
echo "$out"
echo "$out" | python3 -c '
import collections, statistics, sys
d = collections.defaultdict(list)
for line in sys.stdin:
    f, ms, cpu = line.split()
    d[f].append((float(ms), float(cpu)))
for f, v in sorted(d.items()):
    w = [a for a, _ in v]; c = [b for _, b in v]
    print(f"median {f}: wall {statistics.median(w):.0f} ms ({min(w):.0f}-{max(w):.0f}), "
          f"backend CPU {statistics.median(c):.0f} ms ({min(c):.0f}-{max(c):.0f}), {len(v)} runs")
'
