#!/usr/bin/env bash
# Benchmarks of the solar cadastre (issue 4), run by `make bench`
# (scripts/bench.sh has installed the build and started the cluster; PG*
# variables point at it).  Prints "RESULT cadastre <metric> <value> <unit>".
#   1. core: surface_irradiation per second (bench/cadastre_core.c, built as
#      the extension builds the core: -O2, the kernel file -O3), open and under 72-sector
#      horizons, fast path and reference sector loop in the same run, and
#      the SQL function's per-row core (shaded months + open annual); the
#      hour-by-hour reference per surface; peer: numpy hour-by-hour Perez
#      1990 transposition (pvlib's formulas) per surface;
#   2. Lyon 1er: the whole cadastre (2,576 real buildings, 72 sectors, 300 m),
#      each face at one point (sampling "point"; the roofs over their area
#      are bench/roofarea.sh's);
#   3. a deterministic synthetic region (SR_BENCH_CADASTRE_N buildings,
#      default 1,000,000, Lyon-like density: one building per 25 m x 25 m
#      cell), split in two halves with a 300 m halo and run on both cores
#      (two sessions), reads and writes (INSERT of every face) included.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${TMPDIR:-/tmp}/sr_bench_cadastre.$$
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT
EPW=data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw
NS=${SR_BENCH_CADASTRE_SURFACES:-1000000}
N=${SR_BENCH_CADASTRE_N:-1000000}
DB=sr_bench_cadastre
P="psql -X -v ON_ERROR_STOP=1 -d $DB"
. bench/lib/common.sh

# 1. core ------------------------------------------------------------------
bench_core_lib "$OUT"
gcc -std=gnu11 -O2 -Iextension/include bench/cadastre_core.c "$OUT/libsrcore.a" $BENCH_CORE_LIBS -o "$OUT/core"
# three runs; each rate is the best of the three (this is a shared 2-core
# VM: a run where the other core is busy is not the code's speed)
lines=()
for _ in 1 2 3; do
    lines+=("$("$OUT/core" "$EPW" "$NS" "$OUT/hourly.f64")")
    echo "# core: ${lines[-1]}"
done
bestof() {  # metric -> largest value over the runs
    for l in "${lines[@]}"; do sed -E "s/.* $1 ([0-9.]+).*/\1/" <<< " $l"; done | sort -g | tail -1
}
best=$(bestof shaded_per_s)
open=$(bestof open_per_s)
annual=$(bestof annual_only_shaded_per_s)
ref=$(bestof reference_shaded_per_s)
sqlc=$(bestof sql_core_per_s)
hourly=$(for l in "${lines[@]}"; do sed -E 's/.*hourly_ms_per_surface ([0-9.]+).*/\1/' <<< "$l"; done | sort -g | head -1)
py=$(/usr/bin/python3 - "$OUT/hourly.f64" <<'PY'
# numpy peer: hour-by-hour Perez 1990 on a plane (pvlib's formulas, same
# GHI - DHI reconciliation), vectorised over the 8,760 hours, one surface
# per call, no horizon.
import sys, time
import numpy as np
a = np.fromfile(sys.argv[1]).reshape(-1, 5)
zen, az, ghi, dhi, doy = a.T
rad = np.radians
cz = np.cos(rad(zen))
up = (zen < 90) & (ghi > 0)
b = 2 * np.pi * (doy - 1) / 365
e0 = 1366.1 * (1.00011 + 0.034221*np.cos(b) + 0.00128*np.sin(b) + 0.000719*np.cos(2*b) + 0.000077*np.sin(2*b))
bh = np.clip(ghi - dhi, 0, None)
dni = np.where(up, np.minimum(bh / np.where(up, cz, 1), e0), 0)
dhs = np.where(up, ghi - dni * cz, ghi)
F = np.array([[-0.008,0.588,-0.062,-0.060,0.072,-0.022],[0.130,0.683,-0.151,-0.019,0.066,-0.029],
              [0.330,0.487,-0.221,0.055,-0.064,-0.026],[0.568,0.187,-0.295,0.109,-0.152,-0.014],
              [0.873,-0.392,-0.362,0.226,-0.462,0.001],[1.132,-1.237,-0.412,0.288,-0.823,0.056],
              [1.060,-1.600,-0.359,0.264,-1.127,0.131],[0.678,-0.327,-0.250,0.156,-1.377,0.251]])
def surface(tilt, saz):
    z = rad(zen)
    with np.errstate(all='ignore'):
        am = 1 / (cz + 0.50572 * (96.07995 - zen) ** -1.6364)
        eps = ((dhs + dni) / dhs + 1.041 * z**3) / (1 + 1.041 * z**3)
        delta = dhs * am / e0
    k = np.digitize(np.nan_to_num(eps, nan=1.0), [1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2])
    c = F[k]
    f1 = np.clip(c[:,0] + c[:,1]*delta + c[:,2]*z, 0, None)
    f2 = c[:,3] + c[:,4]*delta + c[:,5]*z
    f1 = np.where(up, f1, 0); f2 = np.where(up, f2, 0)
    cosi = np.cos(rad(tilt))*cz + np.sin(rad(tilt))*np.sin(z)*np.cos(rad(az - saz))
    A = np.clip(cosi, 0, None); B = np.maximum(np.cos(rad(85)), cz)
    sky = dhs * ((1 - f1) * (1 + np.cos(rad(tilt))) / 2 + f1 * A / B + f2 * np.sin(rad(tilt)))
    beam = np.where(up, dni * A, 0)
    grd = 0.25 * ghi * (1 - np.cos(rad(tilt))) / 2
    return np.nansum(beam + sky + grd)
rng = np.random.default_rng(1)
n = 200
t = time.perf_counter()
acc = sum(surface(rng.uniform(0, 60), rng.uniform(0, 360)) for _ in range(n))
t = time.perf_counter() - t
print("numpy_ms_per_surface %.3f flat_kwh %.3f" % (1000 * t / n, surface(0, 180) / 1000))
PY
)
echo "# numpy peer: $py"
npms=$(sed -E 's/numpy_ms_per_surface ([0-9.]+).*/\1/' <<< "$py")
echo "RESULT cadastre surface_irradiation_shaded_per_s $best surfaces/s"
echo "RESULT cadastre surface_irradiation_open_per_s $open surfaces/s"
for m in flat_shaded_per_s tilted_shaded_per_s two_cores_shaded_per_s two_cores_sql_core_per_s; do
    v=$(bestof $m)
    echo "RESULT cadastre surface_irradiation_$m $v surfaces/s"
done
echo "RESULT cadastre surface_irradiation_annual_only_shaded_per_s $annual surfaces/s"
echo "RESULT cadastre surface_irradiation_reference_loop_shaded_per_s $ref surfaces/s"
echo "RESULT cadastre surface_irradiation_sql_core_per_s $sqlc surfaces/s"
echo "RESULT cadastre hourly_reference_per_surface $hourly ms"
echo "RESULT cadastre numpy_hourly_perez_per_surface $npms ms"
awk -v a="$best" -v b="$npms" 'BEGIN { printf "RESULT cadastre speedup_vs_numpy_hourly %.0f x\n", a * b / 1000 }'

# database ------------------------------------------------------------------
bench_db_create
# 2. Lyon 1er ---------------------------------------------------------------
bench_load_lyon1
best=$(bench_best_of 3 "$OUT/lyon.txt" -c "SET client_min_messages = warning" \
       -c "SELECT count(*), round(sum(annual_kwh_m2)) FROM sky, smartregion.solar_cadastre('SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height FROM lyon', s, '{\"sampling\": \"point\"}') c")
echo "# lyon 1er: $(tr '|' ' ' < "$OUT/lyon.txt" | awk '{print $1 " faces, sum " $2 " kWh/m2"}')"
printf "RESULT cadastre lyon1_whole_cadastre %.3f s\n" "$best"

# 2b. the SQL function over a table -------------------------------------------
# SR_BENCH_CADASTRE_ROWS rows (default 500,000) of (tilt, azimuth, 72-sector
# horizon), the core bench's mix: 40 % flat, tilted 15-50 deg, a quarter of
# the horizons open, the others jagged up to 40 deg; deterministic.  Tilt and
# azimuth are float8 columns (numeric ones would time numeric_float8's
# conversion through text on every row, ~5 %).  One
# session serial, then a parallel plan (the sky as a scalar subquery, so
# that the workers call the function).
R=${SR_BENCH_CADASTRE_ROWS:-500000}
$P -q <<SQL >/dev/null
CREATE TABLE surf AS
SELECT i, (CASE WHEN (i::bigint * 7919) % 10 < 4 THEN 0 ELSE 15 + ((i::bigint * 104729) % 3500) / 100.0 END)::float8 AS tilt,
       (((i::bigint * 15485863) % 36000) / 100.0)::float8 AS az,
       smartregion.horizon(ARRAY(SELECT CASE WHEN i % 4 = 0 THEN 0
                 ELSE (((i::bigint * 31 + k * 17) * 2654435761) % 1000) / 1000.0
                      * (((i::bigint * 7 + k * 13) * 40503) % 1000) / 1000.0 * 40 END
                 FROM generate_series(0, 71) k)::float8[]) AS h
  FROM generate_series(1, $R) i;
VACUUM ANALYZE surf;
SQL
for mode in serial parallel; do
    if [[ $mode == serial ]]; then set_sql="SET max_parallel_workers_per_gather = 0"
    else set_sql="SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0"; fi
    best=$(bench_best_of 3 "$OUT/sql.txt" -c "$set_sql" \
           -c "SELECT round(sum((smartregion.surface_irradiation((SELECT s FROM sky), tilt, az, h)).annual_kwh_m2)) FROM surf")
    echo "# sql $mode: $R rows in $best s, sum $(cat "$OUT/sql.txt")"
    awk -v n="$R" -v t="$best" -v m="$mode" 'BEGIN { printf "RESULT cadastre sql_surface_irradiation_%s_rows_per_s %.0f rows/s\n", m, n / t }'
done

# 3. synthetic region ---------------------------------------------------------
bench_synth_region "$N"
$P -q <<SQL >/dev/null
CREATE TABLE synth_roofs (LIKE synth INCLUDING ALL);
ALTER TABLE synth_roofs DROP COLUMN x, DROP COLUMN height, DROP COLUMN geom,
  ADD COLUMN face int, ADD COLUMN annual_kwh_m2 float8, ADD COLUMN shading_loss_pct float8, ADD COLUMN pv_kwh_year float8;
SQL
nb=$($P -At -c "SELECT count(*) FROM synth")
mid=$($P -At -c "SELECT 842000")
run_half() {
    local cond_target=$1 cond_read=$2
    $P -q -At -c "SET client_min_messages = warning" -c "INSERT INTO synth_roofs (id, face, annual_kwh_m2, shading_loss_pct, pv_kwh_year)
      SELECT building_id, face, annual_kwh_m2, shading_loss_pct, pv_kwh_year FROM sky,
        smartregion.solar_cadastre('SELECT id, geom, height, $cond_target AS target FROM synth WHERE $cond_read', s, '{\"sampling\": \"point\"}') c"
}
( while sleep 0.5; do ps -o rss= -C postgres | sort -n | tail -1; done ) > "$OUT/rss.txt" 2>/dev/null &
mon=$!
t0=$(date +%s.%N)
run_half "x < $mid" "x < $mid + 300" &
a=$!
run_half "x >= $mid" "x >= $mid - 320" &
b=$!
wait $a; wait $b
t=$(echo "$(date +%s.%N) - $t0" | bc -l)
kill $mon 2>/dev/null || true
nf=$($P -At -c "SELECT count(*) FROM synth_roofs")
dup=$($P -At -c "SELECT count(*) - count(DISTINCT (id, face)) FROM synth_roofs")
rss=$(sort -n "$OUT/rss.txt" | tail -1)
echo "# synthetic region: $nb buildings, $nf faces (duplicates $dup), wall time $t s, peak backend RSS ${rss} kB"
printf "RESULT cadastre synthetic_buildings %d buildings\n" "$nb"
awk -v n="$nf" -v t="$t" 'BEGIN { printf "RESULT cadastre synthetic_faces_per_s %.0f faces/s\n", n / t }'
printf "RESULT cadastre synthetic_wall_time %.1f s\n" "$t"
awk -v r="$rss" 'BEGIN { printf "RESULT cadastre synthetic_peak_backend_rss %.0f MB\n", r / 1024 }'
bench_db_drop
