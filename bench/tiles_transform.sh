#!/usr/bin/env bash
# What share of solar_tile's time is ST_Transform (hub SRID -> 3857, per row the tile reads),
# on hubs made by bench/tiles_transform_setup.sql (superuser, no parallel workers, no JIT).
#   bench/tiles_transform.sh RUNS DB [DB...]
# Each tile (roofs at z14, z16, z18; cells at z16, z18, all over Lyon 1er) in these ways,
# their order rotated from run to run, one session a way and tile (warmed first, untimed):
#   tile@DB   smartregion.solar_tile as DB has it (hub.solar_roofs, hub.solar_roof_cells):
#             several DBs compare two builds of the function on the same data
#   mercator  solar_tile's query (sr_bench.tile, in the first DB) over the copies whose
#             geometry is already in 3857: the tile without any ST_Transform of a row
#   read      count(ST_Force2D(geom)) of the rows the tile's && selects (first DB)
#   transform count(ST_Transform(ST_Force2D(geom), 3857)) of the same rows (first DB)
# and prints each tile's and way's median (ms): ST_Transform's share of a tile is
# 1 - mercator / tile, cross-checked by (transform - read) / tile.
set -euo pipefail
runs=${1:?usage: bench/tiles_transform.sh RUNS DB [DB...]}; shift; dbs=("$@"); db1=${dbs[0]:?}
tiles="roofs:14:8411:5843 roofs:16:33647:23375 roofs:18:134590:93502 cells:16:33647:23375 cells:18:134590:93502"
ways=(); for db in "${dbs[@]}"; do ways+=("tile@$db"); done; ways+=(mercator read transform)
env3857='ST_Transform(ST_Segmentize(ST_TileEnvelope(%s, %s, %s, margin => 64.0 / 4096), 40075016.68557849 / (2 ^ %s) / 16), 2154)'
stmt() {  # way layer z x y: "database<TAB>statement"
    local hubt=hub.solar_roofs copy=sr_bench.roofs
    [ "$2" = cells ] && hubt=hub.solar_roof_cells copy=sr_bench.cells
    local env; env=$(printf "$env3857" "$3" "$4" "$5" "$3")
    case $1 in
        tile@*) printf '%s\t%s\n' "${1#tile@}" "SELECT length(smartregion.solar_tile($3, $4, $5, '$hubt'));" ;;
        mercator) printf '%s\t%s\n' "$db1" "SELECT length(sr_bench.tile($3, $4, $5, '$copy', 'r.g3857'));" ;;
        read) printf '%s\t%s\n' "$db1" "SELECT count(ST_Force2D(geom)) FROM $hubt WHERE geom && $env;" ;;
        transform) printf '%s\t%s\n' "$db1" "SELECT count(ST_Transform(ST_Force2D(geom), 3857)) FROM $hubt WHERE geom && $env;" ;;
    esac
}
declare -A times
n=${#ways[@]}
for ((r = 0; r < runs; r++)); do
    # the ways' order rotated by one each run; one session a database, each tile's ways
    # timed one after the other
    order=("${ways[@]:r % n}" "${ways[@]:0:r % n}")
    line="run $((r + 1)) (load $(cut -d' ' -f1 /proc/loadavg)):"
    for t in $tiles; do IFS=: read -r layer z x y <<< "$t"
        for way in "${order[@]}"; do
            IFS=$'\t' read -r db q <<< "$(stmt "$way" "$layer" "$z" "$x" "$y")"
            # warm the session first (PROJ's transformations, PL/pgSQL, the catalogue's
            # caches), as a tile server's pooled connection is: the same way on the small
            # z18 tile of roofs, untimed
            IFS=$'\t' read -r _ w <<< "$(stmt "$way" roofs 18 134590 93502)"
            ms=$(psql -X -q -At -d "$db" -v ON_ERROR_STOP=1 <<< $'SET max_parallel_workers_per_gather = 0;\nSET jit = off;\n'"$w"$'\n\\timing on\n'"$q" \
                 | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
            line+=" $layer/z$z/$way $ms"
            times[$layer/z$z/$way]+="$ms "
        done
    done
    echo "$line"
done
med() { tr ' ' '\n' <<< "$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
for t in $tiles; do IFS=: read -r layer z x y <<< "$t"
    line="$layer z$z $x/$y:"
    for way in "${ways[@]}"; do line+=" $way $(med "${times[$layer/z$z/$way]}")"; done
    echo "median $line ms"
done
