#!/usr/bin/env bash
# Time solar_cells_tile on the hub of bench/roof_cells_refresh_setup.sql, for a reader under
# the territories' policies and for the superuser (to whom none applies), runs alternating
# between databases; print each database's and role's median per tile.
#   bench/roof_cells_tiles.sh RUNS READER DB...
# READER: a role with USAGE on hub and smartregion and SELECT on hub.solar_roof_cells,
# hub.agents and smartregion.territory, the databases' hubs under enable_territory_security.
# The tiles: the 8 z18 tiles of a 4 x 2 block over Lyon 1er (x 134590-134593, y 93502-93503),
# each once a run, in one session per database, role and run.
set -euo pipefail
runs=${1:?usage: bench/roof_cells_tiles.sh RUNS READER DB...}; reader=${2:?}; shift 2
sql='\timing on'$'\n'
for x in 134590 134591 134592 134593; do for y in 93502 93503; do
    sql+="SELECT length(smartregion.solar_cells_tile(18, $x, $y));"$'\n'
done; done
declare -A times
for ((r = 1; r <= runs; r++)); do
    for db in "$@"; do
        for role in "$reader" postgres; do
            t=$(psql -X -q -At -U "$role" -d "$db" -v ON_ERROR_STOP=1 <<< "$sql" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tr '\n' ' ')
            echo "run $r $db $role: $t"
            times[$db/$role]+="$t"
        done
    done
done
for db in "$@"; do for role in "$reader" postgres; do
    echo "median $db $role: $(tr ' ' '\n' <<< "${times[$db/$role]}" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}') ms a tile"
done; done
