#!/usr/bin/env bash
# Time the writer of solar_roof_cells.tile_key alone: every cell of DB's hub inserted (in a
# transaction rolled back) into three unindexed copies of the table, one with the PL/pgSQL
# trigger the key had before 2026-12-07 (kb_old, its body re-created here as
# public.old_cells_tile_key), one with the hub's trigger (kb_new: smartregion._cells_tile_key),
# one with none (kb_none); runs alternating; each run's wall time and the CPU time of its
# server process (/proc/PID/stat: a server on this machine), then the medians.
#   bench/roof_cells_key.sh RUNS DB
# DB: a hub made by bench/roof_cells_refresh_setup.sql, PostGIS in schema public.  The copies
# and the old function are left in DB's schema public.  Run from the repository root with the
# cluster's env.
set -euo pipefail
runs=${1:?usage: bench/roof_cells_key.sh RUNS DB}; db=${2:?usage: bench/roof_cells_key.sh RUNS DB}
tck=$(getconf CLK_TCK)
psql -X -q -d "$db" -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
DROP TABLE IF EXISTS public.kb_old, public.kb_new, public.kb_none;
CREATE OR REPLACE FUNCTION public.old_cells_tile_key() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100 SET search_path = pg_catalog, pg_temp
AS $f$ BEGIN NEW.tile_key := smartregion._tile_key(public.ST_AsEWKB(public.ST_Transform(NEW.geom, 3857))); RETURN NEW; END $f$;
CREATE TABLE public.kb_old (LIKE hub.solar_roof_cells);
CREATE TABLE public.kb_new (LIKE hub.solar_roof_cells);
CREATE TABLE public.kb_none (LIKE hub.solar_roof_cells);
CREATE TRIGGER k BEFORE INSERT ON public.kb_old FOR EACH ROW EXECUTE FUNCTION public.old_cells_tile_key();
CREATE TRIGGER k BEFORE INSERT ON public.kb_new FOR EACH ROW EXECUTE FUNCTION smartregion._cells_tile_key();
SQL
median() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
declare -A times cpus
for ((r = 1; r <= runs; r++)); do
    for t in kb_old kb_new kb_none; do
        out=$(psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 2>&1 <<SQL
SELECT pg_backend_pid() AS pid \\gset
\\setenv SR_BENCH_PID :pid
BEGIN;
\\! awk '{print "cpu_ticks", \$14 + \$15}' /proc/\$SR_BENCH_PID/stat 2>/dev/null
\\timing on
INSERT INTO public.$t SELECT * FROM hub.solar_roof_cells;
\\timing off
\\! awk '{print "cpu_ticks", \$14 + \$15}' /proc/\$SR_BENCH_PID/stat 2>/dev/null
ROLLBACK;
SQL
)
        ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' <<< "$out" | tail -1)
        cpu=$(awk -v t="$tck" '/^cpu_ticks/ {c[++n] = $2} END {if (n == 2) print (c[2] - c[1]) * 1000 / t}' <<< "$out")
        echo "run $r $t: $ms ms, server process CPU ${cpu:-?} ms (load $(cut -d' ' -f1 /proc/loadavg))"
        times[$t]+="$ms "
        cpus[$t]+="${cpu:-} "
    done
done
for t in kb_old kb_new kb_none; do
    echo "median $t: $(median "${times[$t]}") ms, CPU $(median "${cpus[$t]}") ms over $runs runs"
done
