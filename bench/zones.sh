#!/usr/bin/env bash
# Benchmark of smartregion.zone_indicators against the plain PostGIS SQL
# formulation (bench/zones-plain.sql) on a deterministic synthetic region,
# in the same run, with equal results (relative difference <= 1e-9).
#
# Region (ZONES_SCALE=1, the default): 1,000 zones (a 40 x 25 grid of 500 m
# squares 100 m apart), 500,000 parcels (a 1000 x 500 grid of 24 m x 30 m
# rectangles over the 24 km x 15 km region: some straddle zone edges, some lie
# in the gaps), 300,000 buildings, 1,000,000 establishments.  ZONES_SCALE=0.1
# shrinks the counts (zones stay 1,000; parcels, buildings and establishments
# scale).  Nothing is random: attributes come from integer hashes of the row
# number.  Run through `make bench` (it starts the cluster and exports PG*),
# or directly with PGHOST/PGPORT set.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SCALE=${ZONES_SCALE:-1}
DB=${ZONES_BENCH_DB:-smartregion_bench_zones}
AT=2024-06-30

P="psql -X -q -v ON_ERROR_STOP=1 -d $DB"
# ZONES_BENCH_PREPARED=1: use an existing database where smartregion is loaded
if [[ -z ${ZONES_BENCH_PREPARED:-} ]]; then
    psql -X -q -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
    $P -c "SET client_min_messages = warning" -c "CREATE EXTENSION smartregion CASCADE" >/dev/null
fi

echo "# zones bench: scale $SCALE"
t0=$(date +%s.%N)
$P -v scale="$SCALE" <<'SQL'
SET client_min_messages = warning;
-- integer hash in [0, m): Knuth multiplicative hashing of the row number
CREATE FUNCTION hh(i bigint, salt int, m int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT ((((i + salt * 7919) * 2654435761) % 4294967296) % m)::int $$;

-- parcels: nx x ny grid of 24 m x 30 m rectangles (scaled by sqrt(scale))
SELECT greatest(10, round(1000 * sqrt(:scale)))::int AS nx, greatest(5, round(500 * sqrt(:scale)))::int AS ny \gset
SELECT 24000.0 / :nx AS cw, 15000.0 / :ny AS ch \gset

CREATE TABLE zp_zones AS
SELECT (zx * 25 + zy + 1)::bigint AS zone_id,
       ST_MakeEnvelope(600000 + zx * 600, 6800000 + zy * 600, 600000 + zx * 600 + 500, 6800000 + zy * 600 + 500, 2154) AS geom
  FROM generate_series(0, 39) zx, generate_series(0, 24) zy;

CREATE TABLE zp_parcels AS
SELECT 'P' || lpad(i::text, 7, '0') AS parcel_id,
       ST_MakeEnvelope(600000 + px * :cw, 6800000 + py * :ch, 600000 + (px + 1) * :cw, 6800000 + (py + 1) * :ch, 2154) AS geom,
       CASE WHEN px % 5 < 2 THEN 'U' || py || '-' || (px / 5) END AS land_unit_id,
       'owner-' || hh(i, 1, 50000) AS owner_id
  FROM (SELECT py * :nx + px AS i, px, py FROM generate_series(0, :nx - 1) px, generate_series(0, :ny - 1) py) g;

-- buildings: 3 for every 5 parcels, a rectangle inside the parcel
CREATE TABLE zp_buildings AS
SELECT k::bigint AS building_id,
       ST_MakeEnvelope(600000 + px * :cw + 2 + f, 6800000 + py * :ch + 3,
                       600000 + (px + 1) * :cw - 2 - f, 6800000 + (py + 1) * :ch - 3 - f, 2154) AS geom,
       CASE WHEN hh(k, 2, 10) = 0 THEN NULL ELSE 1 + hh(k, 3, 5) END AS levels,
       CASE WHEN hh(k, 4, 20) = 0 THEN NULL ELSE 1950 + hh(k, 5, 74) END AS built_year
  FROM (SELECT k, p % :nx AS px, p / :nx AS py, hh(k, 6, 6)::float8 AS f
          FROM (SELECT k, (k * 5) / 3 AS p FROM generate_series(0::bigint, (:nx * :ny * 3) / 5 - 1) k) s) g;

-- establishments: 2 per parcel on average, strictly inside it
CREATE TABLE naf_pool (pk int PRIMARY KEY, naf text);
INSERT INTO naf_pool SELECT row_number() OVER () - 1, c FROM unnest(ARRAY[
  '01.11Z','08.12Z','10.71C','16.23Z','20.59Z','22.22Z','25.62B','28.99B','33.16Z','35.14Z',
  '38.11Z','41.20A','43.21A','43.99C','45.20A','46.69B','46.90Z','47.11F','49.41A','51.21Z',
  '52.10B','52.23Z','55.10Z','56.10C','62.01Z','63.11Z','64.19Z','68.20B','70.22Z','71.12B',
  '73.11Z','77.11A','80.10Z','81.21Z','82.11Z','84.11Z','85.59A','86.21Z','93.13Z','96.02A']) c;
CREATE TABLE band_pool (pk int PRIMARY KEY, band text);
INSERT INTO band_pool SELECT row_number() OVER () - 1, c FROM unnest(ARRAY[
  'NN','00','00','01','01','01','02','02','03','03','11','11','12','21','22','31','32','41','42','51']) c;
CREATE TABLE zp_establishments AS
-- two establishments per enterprise (SIREN, the first 9 digits: secrecy counts enterprises)
SELECT lpad((100000000 + k / 2)::text, 9, '0') || lpad((1 + k % 2)::text, 5, '0') AS siret,
       ST_SetSRID(ST_MakePoint(600000 + (px + 0.2 + 0.6 * hh(k, 7, 1000) / 1000.0) * :cw,
                               6800000 + (py + 0.2 + 0.6 * hh(k, 8, 1000) / 1000.0) * :ch), 2154) AS geom,
       n.naf, b.band AS headcount_band, start_date,
       CASE WHEN hh(k, 11, 5) = 0 THEN start_date + 30 + hh(k, 12, 4000) END AS end_date,
       hh(k, 13, 10) < 9 AS cfe_liable
  FROM (SELECT k, p % :nx AS px, p / :nx AS py, DATE '1980-01-01' + hh(k, 10, 16000) AS start_date
          FROM (SELECT k, hh(k, 15, :nx * :ny) AS p FROM generate_series(0::bigint, 2 * :nx * :ny - 1) k) s) g
  JOIN naf_pool n ON n.pk = hh(g.k, 9, 40)
  JOIN band_pool b ON b.pk = hh(g.k, 14, 20);
UPDATE zp_establishments SET end_date = NULL WHERE end_date > DATE '2024-12-31';
CREATE INDEX ON zp_zones USING gist (geom);
CREATE INDEX ON zp_parcels USING gist (geom);
CREATE INDEX ON zp_buildings USING gist (geom);
CREATE INDEX ON zp_establishments USING gist (geom);
-- as a maintained database would be: statistics, visibility map, hint bits
VACUUM ANALYZE;
SELECT format('# region: %s zones, %s parcels, %s buildings, %s establishments',
  (SELECT count(*) FROM zp_zones), (SELECT count(*) FROM zp_parcels),
  (SELECT count(*) FROM zp_buildings), (SELECT count(*) FROM zp_establishments)) AS x \gset
\echo :x
SQL
t1=$(date +%s.%N)
echo "# data generated in $(echo "$t1 - $t0" | bc) s"

$P -At -v at="$AT" <<'SQL'
SET client_min_messages = warning;
\i bench/zones-plain.sql
-- best of 3 runs for the C function, best of 2 for the plain SQL (the
-- machine is shared: the minimum is the least disturbed run)
CREATE TEMP TABLE timing (what text, s float8);
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
CREATE TEMP TABLE res_c AS
SELECT * FROM smartregion.zone_indicators(
  'SELECT zone_id, geom FROM zp_zones',
  'SELECT parcel_id, geom, land_unit_id, owner_id FROM zp_parcels',
  'SELECT building_id, geom, levels, built_year FROM zp_buildings',
  'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zp_establishments',
  :'at');
INSERT INTO timing VALUES ('c', extract(epoch FROM clock_timestamp()) - :t0);
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT count(*) AS n FROM smartregion.zone_indicators(
  'SELECT zone_id, geom FROM zp_zones',
  'SELECT parcel_id, geom, land_unit_id, owner_id FROM zp_parcels',
  'SELECT building_id, geom, levels, built_year FROM zp_buildings',
  'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zp_establishments',
  :'at') \gset
INSERT INTO timing VALUES ('c', extract(epoch FROM clock_timestamp()) - :t0);
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT sum(jobs_estimate) AS n FROM smartregion.zone_indicators(
  'SELECT zone_id, geom FROM zp_zones',
  'SELECT parcel_id, geom, land_unit_id, owner_id FROM zp_parcels',
  'SELECT building_id, geom, levels, built_year FROM zp_buildings',
  'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zp_establishments',
  :'at') \gset
INSERT INTO timing VALUES ('c', extract(epoch FROM clock_timestamp()) - :t0);
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
CREATE TEMP TABLE res_p AS SELECT * FROM pg_temp.plain_zone_indicators(:'at');
INSERT INTO timing VALUES ('sql', extract(epoch FROM clock_timestamp()) - :t0);
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT sum(jobs_estimate) AS n FROM pg_temp.plain_zone_indicators(:'at') \gset
INSERT INTO timing VALUES ('sql', extract(epoch FROM clock_timestamp()) - :t0);
SELECT extract(epoch FROM clock_timestamp()) AS t2 \gset
SELECT min(s) FILTER (WHERE what = 'c') AS tc, min(s) FILTER (WHERE what = 'sql') AS tp FROM timing \gset
SELECT 'RESULT zones zone_indicators_s ' || round(:tc::numeric, 3) || ' s';
SELECT 'RESULT zones plain_postgis_sql_s ' || round(:tp::numeric, 3) || ' s';
SELECT 'RESULT zones speedup ' || round((:tp / :tc)::numeric, 1) || ' x';
SELECT '# all runs (s): ' || string_agg(what || ' ' || round(s::numeric, 2), ', ') FROM timing;
-- the published view (statistical secrecy on the 1000 x 21 zone x section table)
SELECT extract(epoch FROM clock_timestamp()) AS t2 \gset
SELECT count(*) AS withheld FROM smartregion.zone_indicators(
  'SELECT zone_id, geom FROM zp_zones',
  'SELECT parcel_id, geom, land_unit_id, owner_id FROM zp_parcels',
  'SELECT building_id, geom, levels, built_year FROM zp_buildings',
  'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zp_establishments',
  :'at', '{"published": true}') WHERE sector_diversity IS NULL \gset
SELECT extract(epoch FROM clock_timestamp()) AS t3 \gset
SELECT 'RESULT zones zone_indicators_published_s ' || round((:t3 - :t2)::numeric, 3) || ' s';
SELECT '# published view: ' || :withheld || ' zones with at least one secret cell';
-- the CNIG exchange file of the sites (the published indicators, the land units' parts
-- inside the zones, the listed establishments): sum() makes every row computed
SELECT extract(epoch FROM clock_timestamp()) AS t2 \gset
SELECT count(*) AS sites, sum(site_uf_nbre) AS units, coalesce(sum(site_nb_etab), 0) AS etab FROM smartregion.site_eco(
  'SELECT zone_id, geom, ''Zone '' || zone_id AS site_nom, ''91479'' AS comm_insee FROM zp_zones',
  'SELECT parcel_id, geom, land_unit_id, owner_id FROM zp_parcels',
  'SELECT building_id, geom, levels, built_year FROM zp_buildings',
  'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable, ''5710'' AS etab_nat_juridique FROM zp_establishments',
  :'at', '{"identif_date": "2024-01-15", "site_type": "inconnu", "site_etat": "inconnu", "site_moa_type": "inconnu",
          "epci_siren": "200056232", "epci_nom": "EPCI", "comm_nom": "Commune"}') \gset
SELECT extract(epoch FROM clock_timestamp()) AS t3 \gset
SELECT 'RESULT zones cnig_site_eco_s ' || round((:t3 - :t2)::numeric, 3) || ' s';
SELECT '# site_eco: ' || :sites || ' sites, ' || :units || ' land units, ' || :'etab' || ' establishments listed';
-- equality, relative difference <= 1e-9 (counts exactly)
CREATE FUNCTION pg_temp.rel(a float8, b float8) RETURNS float8 LANGUAGE sql AS
$$ SELECT CASE WHEN a = b THEN 0 ELSE abs(a - b) / greatest(abs(a), abs(b)) END $$;
SELECT 'RESULT zones rows ' || count(*) || ' zones' FROM res_c;
SELECT 'RESULT zones max_rel_diff ' || coalesce(max(greatest(
         pg_temp.rel(c.area_ha, p.area_ha), pg_temp.rel(c.parcel_area_ha, p.parcel_area_ha),
         pg_temp.rel(c.built_m2, p.built_m2),
         pg_temp.rel(c.floor_area_ratio * c.parcel_area_ha * 1e4, p.floor_m2),
         pg_temp.rel(c.jobs_estimate, p.jobs_estimate),
         pg_temp.rel(c.available_land_ha, p.available_land_ha),
         pg_temp.rel(coalesce(c.sector_diversity, 0), coalesce(p.sector_diversity, 0)))), 0)::text || ' 1'
  FROM res_c c JOIN res_p p USING (zone_id);
SELECT 'RESULT zones mismatched_counts ' || count(*) FILTER (WHERE
         c.land_units <> p.land_units OR c.vacant_land_units <> p.vacant_land_units
         OR c.establishments <> p.establishments OR c.sector_mix <> p.sector_mix) || ' zones'
  FROM res_c c FULL JOIN res_p p USING (zone_id);
SELECT '# totals: ' || sum(establishments) || ' active establishments, ' || round(sum(jobs_estimate)) || ' jobs, '
       || sum(land_units) || ' land units, ' || sum(vacant_land_units) || ' vacant, '
       || max(parcels_outside_zones) || ' parcels outside zones' FROM res_c;
SQL

# Independent attacker: scipy LP bounds of every suppressed cell of a 40 x 12
# table of small counts (700 units spread by md5 hashes)
$P <<'SQL'
DROP TABLE IF EXISTS sc;
CREATE TABLE sc AS
SELECT 'g' || lpad(((('x' || substr(md5('r' || i), 1, 8))::bit(32)::bigint) % 40)::text, 2, '0') AS row_key,
       'c' || lpad(((('x' || substr(md5('c' || i), 1, 8))::bit(32)::bigint) % 12)::text, 2, '0') AS col_key,
       count(*) AS n, sum(1 + hh(i, 23, 30))::float8 AS value, max(1 + hh(i, 23, 30))::float8 AS max_value
  FROM generate_series(1, 700) i GROUP BY 1, 2;
SQL
/usr/bin/python3 bench/zones_secrecy_lp.py "$DB" sc
$P -c "DROP TABLE sc"

# Information lost on small tables: statistical_secrecy, a simple safe
# baseline and the optimal pattern by integer programming (scipy milp)
ZONES_BENCH_DB=$DB /usr/bin/python3 bench/zones_secrecy_milp.py

# statistical_secrecy on 800,000 cells: 40,000 rows x 88 columns (a zone x
# NAF-division table), 1 to 39 cells a row (20 on average), counts from a
# heavy tail (29 % of cells have one unit), jobs and the largest unit's share.
# Best of 3 runs (wall clock) and the backend's CPU time (/proc), then a
# 600 ms statement_timeout: when does the cancel arrive?
$P <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS sb_cells;
CREATE TABLE sb_cells AS
WITH r AS (
  SELECT r, CASE WHEN r % 2 = 0 THEN 1 + hh(r / 2, 31, 39) ELSE 39 - hh(r / 2, 31, 39) END AS s,
         hh(r, 32, 88) AS a, (ARRAY[1,3,5,7,9,13,15,17,19,21,23,25,27,29,31])[1 + hh(r, 33, 15)] AS b
    FROM generate_series(0, 39999) r),
c AS (SELECT r, (a + k * b) % 88 AS c, r::bigint * 88 + (a + k * b) % 88 AS id
        FROM r, generate_series(0, s - 1) k)
SELECT 'z' || lpad(r::text, 5, '0') AS row_key, 'd' || lpad(c::text, 2, '0') AS col_key,
       n::bigint AS n, v::float8 AS value,
       CASE WHEN n = 1 THEN v ELSE round((v * (1.0 / n + (1 - 1.0 / n) * power(hh(id, 36, 1000) / 1000.0, 3)))::numeric, 2) END::float8 AS max_value
  FROM (SELECT r, c, id, 1 + floor(40 * power(hh(id, 34, 100000) / 100000.0, 3))::int AS n FROM c) x,
       LATERAL (SELECT n * (1 + hh(id, 35, 30)) AS v) y;
VACUUM ANALYZE sb_cells;
SQL
tck=$(getconf CLK_TCK)
for run in 1 2 3; do
$P -At <<SQL
SELECT pg_backend_pid() AS pid \gset
\setenv PID :pid
\! awk '{print \$14 + \$15}' /proc/\$PID/stat > .tmp-zones-cpu
SELECT extract(epoch FROM clock_timestamp()) AS t0 \gset
SELECT count(*) FILTER (WHERE status = 'primary') AS np, count(*) FILTER (WHERE status = 'secondary') AS ns,
       count(*) AS nc
  FROM smartregion.statistical_secrecy('SELECT row_key, col_key, n, value, max_value FROM sb_cells') \gset
SELECT '# secrecy 800k run $run: ' || round((extract(epoch FROM clock_timestamp()) - :t0)::numeric, 3) || ' s wall, '
       || :nc || ' cells with totals, ' || :np || ' primary, ' || :ns || ' secondary';
\! awk -v t=$tck '{getline a < ".tmp-zones-cpu"; printf "# secrecy 800k run $run: backend CPU %.2f s\n", (\$14 + \$15 - a) / t}' /proc/\$PID/stat
SQL
done | tee .tmp-zones-secrecy.log
rm -f .tmp-zones-cpu
awk '/wall/ {w = $6; if (b == "" || w < b) b = w} END {print "RESULT zones statistical_secrecy_800k_s " b " s"}' .tmp-zones-secrecy.log
awk '/backend CPU/ {c = $8; if (b == "" || c < b) b = c} END {print "RESULT zones statistical_secrecy_800k_cpu_s " b " s"}' .tmp-zones-secrecy.log
rm -f .tmp-zones-secrecy.log
$P -At <<'SQL'
-- the timer starts with the statement; the function traps the cancel
CREATE FUNCTION pg_temp.cancel_after() RETURNS float8 LANGUAGE plpgsql AS $$
BEGIN
  PERFORM count(*) FROM smartregion.statistical_secrecy('SELECT row_key, col_key, n, value, max_value FROM sb_cells');
  RETURN -1;
EXCEPTION WHEN query_canceled THEN
  RETURN extract(epoch FROM clock_timestamp() - statement_timestamp());
END $$;
SET statement_timeout = '600ms';
SELECT 'RESULT zones statistical_secrecy_cancel_600ms_after ' || round(pg_temp.cancel_after()::numeric, 3) || ' s';
RESET statement_timeout;
DROP TABLE sb_cells;
SQL
