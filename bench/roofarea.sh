#!/usr/bin/env bash
# Benchmarks of roofs resolved over their area (issue 18), run by `make bench`
# (SR_BENCH_ONLY=roofarea for this one alone; scripts/bench.sh has installed
# the build and started the cluster).  Prints "RESULT roofarea <metric> <value> <unit>".
#   1. Lyon 1er (2,576 real buildings, 72 sectors x 5 rays, 300 m): the whole
#      cadastre sampled at 1 m (sampling "area") against the
#      single point (sampling "point", the peer of the issue); roof points
#      (samples) per second;
#      and the same under 400 synthetic trees (their lattices over each face);
#      the cells of solar_cadastre_cells on the default threads and on one;
#   2. the synthetic region of bench/cadastre.sh (Lyon-like density, one
#      building per 25 m x 25 m cell), SR_BENCH_ROOFAREA_N buildings (default
#      40,000: a 200 x 200 block of the 1 M region, this being a shared 2-core
#      machine), in one call on the 2 cores (smartregion.max_threads = 2);
#      roof points per second on the 2 cores, peak backend RSS, and the
#      extrapolation to 1 M buildings and to the Ile-de-France's ~3e8 m2 of
#      roofs (docs/performance-roofarea.md).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=${TMPDIR:-/tmp}/sr_bench_roofarea.$$
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT
N=${SR_BENCH_ROOFAREA_N:-40000}
DB=sr_bench_roofarea
P="psql -X -v ON_ERROR_STOP=1 -d $DB"
. bench/lib/common.sh
bench_db_create

# 1. Lyon 1er ---------------------------------------------------------------
bench_load_lyon1
$P -q <<'SQL' >/dev/null
-- synthetic trees (labelled as such, deterministic): a 20 x 20 grid over the
-- district, 10-19 m high, crown radius 3 m, at the district's mean ground
CREATE TABLE trees AS
SELECT row_number() OVER ()::bigint AS id, ST_SetSRID(ST_MakePoint(x, y), 3946) AS geom,
       (10 + (i * 7 + j * 3) % 10)::float8 AS height, 3.0::float8 AS crown_radius,
       (SELECT avg(ground_z) FROM lyon) AS ground_z
  FROM (SELECT ST_Extent(geom)::geometry AS e FROM lyon) b,
       generate_series(0, 19) i, generate_series(0, 19) j,
       LATERAL (SELECT ST_XMin(e) + (i + 0.5) * (ST_XMax(e) - ST_XMin(e)) / 20 AS x,
                       ST_YMin(e) + (j + 0.5) * (ST_YMax(e) - ST_YMin(e)) / 20 AS y) p;
SQL
Q="SELECT count(*), sum(samples), round((sum(annual_kwh_m2 * area_m2) / sum(area_m2))::numeric, 1), round(sum(area_m2)::numeric) FROM sky, smartregion.solar_cadastre('SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height FROM lyon', s, '%s') c"
tp=$(bench_best_of 2 "$OUT/point.txt" -c "SET client_min_messages = warning" -c "$(printf "$Q" '{"sampling": "point"}')")
ta=$(bench_best_of 2 "$OUT/area.txt" -c "SET client_min_messages = warning" -c "$(printf "$Q" '{"sampling": "area"}')")
tt=$(bench_best_of 2 "$OUT/trees.txt" -c "SET client_min_messages = warning" -c "$(printf "$Q" '{"sampling": "area", "trees_sql": "SELECT id, geom, height, crown_radius, ground_z FROM trees"}')")
# the cells (solar_cadastre_cells) on the default threads and on one: every cell
# summed, so that each is computed and returned
QC="SELECT count(*), sum(annual_kwh_m2 * area_m2) FROM sky, smartregion.solar_cadastre_cells('SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height FROM lyon', s) c"
tc2=$(bench_best_of 2 "$OUT/cells2.txt" -c "SET client_min_messages = warning" -c "$QC")
tc1=$(bench_best_of 2 "$OUT/cells1.txt" -c "SET client_min_messages = warning" -c "SET smartregion.max_threads = 1" -c "$QC")
cmp -s "$OUT/cells1.txt" "$OUT/cells2.txt" || echo "# WARNING: the cells differ between one thread and the default"
IFS='|' read -r nf ns mean area < "$OUT/area.txt"
IFS='|' read -r _ _ pmean _ < "$OUT/point.txt"
echo "# lyon 1er: $nf faces, $area m2 of roofs, $ns samples at 1 m; area-weighted mean $mean kWh/m2 (point mode $pmean)"
printf "RESULT roofarea lyon1_area_1m %.2f s\n" "$ta"
printf "RESULT roofarea lyon1_area_1m_400_trees %.2f s\n" "$tt"
printf "RESULT roofarea lyon1_cells_default_threads %.2f s\n" "$tc2"
printf "RESULT roofarea lyon1_cells_one_thread %.2f s\n" "$tc1"
printf "RESULT roofarea lyon1_point %.2f s\n" "$tp"
awk -v n="$ns" -v t="$ta" 'BEGIN { printf "RESULT roofarea lyon1_points_per_s %.0f points/s\n", n / t }'
printf "RESULT roofarea lyon1_samples %d points\n" "$ns"

# 2. synthetic region ---------------------------------------------------------
bench_synth_region "$N"
$P -q <<SQL >/dev/null
CREATE TABLE synth_roofs (id bigint, face int, samples int, area_m2 float8, annual_kwh_m2 float8,
                          sunny_area_m2 float8, pv_kwh_year float8);
SQL
nb=$($P -At -c "SELECT count(*) FROM synth")
# one call: its faces' samples on the machine's 2 cores (smartregion.max_threads)
run_all() {
    $P -q -At -c "SET client_min_messages = warning" -c "SET smartregion.max_threads = 2" -c "INSERT INTO synth_roofs
      SELECT building_id, face, samples, area_m2, annual_kwh_m2, sunny_area_m2, pv_kwh_year FROM sky,
        smartregion.solar_cadastre('SELECT id, geom, height FROM synth', s, '{\"sampling\": \"area\"}') c"
}
# peak resident memory (VmHWM) of this database's backends, every 0.5 s
( while sleep 0.5; do
    for pid in $(ps -o pid=,args= -C postgres | awk -v db="$DB" 'index($0, db) { print $1 }'); do
        awk '/^VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null
    done
  done ) > "$OUT/rss.txt" 2>/dev/null &
mon=$!
t0=$(date +%s.%N)
run_all
t=$(echo "$(date +%s.%N) - $t0" | bc -l)
kill $mon 2>/dev/null || true
IFS='|' read -r nf ns area dup < <($P -At -c "SELECT count(*), sum(samples), round(sum(area_m2)::numeric), count(*) - count(DISTINCT (id, face)) FROM synth_roofs")
rss=$(sort -n "$OUT/rss.txt" | tail -1)
echo "# synthetic region: $nb buildings, $nf faces (duplicates $dup), $area m2 of roofs, $ns samples, wall time $t s on 2 cores, peak backend RSS ${rss} kB"
printf "RESULT roofarea synthetic_buildings %d buildings\n" "$nb"
printf "RESULT roofarea synthetic_wall_time %.1f s\n" "$t"
awk -v n="$ns" -v t="$t" 'BEGIN { printf "RESULT roofarea synthetic_points_per_s_2cores %.0f points/s\n", n / t }'
awk -v r="$rss" 'BEGIN { printf "RESULT roofarea synthetic_peak_backend_rss %.0f MB\n", r / 1024 }'
# extrapolations: the same rate (points per second) over 1 M buildings and
# over the Ile-de-France's ~3e8 m2 of roofs (one point per m2 at 1 m)
awk -v n="$ns" -v t="$t" -v b="$nb" 'BEGIN { printf "RESULT roofarea synthetic_1M_estimate %.0f s\n", t * 1e6 / b;
                                             printf "RESULT roofarea idf_3e8_m2_estimate %.1f h\n", 3e8 / (n / t) / 3600 }'
bench_db_drop
