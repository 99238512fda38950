#!/usr/bin/env bash
# A/B of the city importers' core between two commits (docs/performance-city-model.md,
# "The ring checks' sort"): each commit's extension/core built as scripts/unit.sh builds
# it (-O2) in .tmp/import-ab/<commit>, with bench/city_import_core.c; then, on the
# Rotterdam and Den Haag subsets (CityJSON) and the Lyon house (CityGML):
#  - instructions per import under valgrind's callgrind (deterministic: (I(40) - I(20)) / 20),
#  - CPU time per import in alternating runs (SR_AB_ROUNDS, default 6, of 300 imports),
#  - the hash of every surface, which must be the same for both.
#   bench/city_import_ab.sh d18983b HEAD
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
A=${1:?commit A}; B=${2:?commit B}
W=.tmp/import-ab
CFLAGS="-std=gnu11 -O2 -g -Wall -Wno-unused-parameter -Wno-unused-function -Wno-missing-field-initializers $(geos-config --cflags) $(pkg-config --cflags proj) $(pkg-config --cflags libxml-2.0)"
LIBS="$(geos-config --clibs) $(pkg-config --libs proj) $(pkg-config --libs libxml-2.0) -lm -lpthread"
FILES="json:data/city3d/rotterdam_subset.json:7415:28992 json:data/city3d/DH_01_subs.city.json:7415:28992 gml:data/buildings/LYON_1ER_BATI_2015_small_house.gml:3946:2154"
for c in "$A" "$B"; do
    d=$W/$c; rm -rf "$d"; mkdir -p "$d/src"
    git archive "$c" extension/core extension/include | tar -x -C "$d/src"
    for f in "$d"/src/extension/core/*.c; do
        gcc $CFLAGS -I"$d/src/extension/include" -c -o "$d/$(basename "$f" .c).o" "$f"
    done
    ar rcs "$d/libsrcore.a" "$d"/*.o
    gcc $CFLAGS -I"$d/src/extension/include" -o "$d/core" bench/city_import_core.c "$d/libsrcore.a" $LIBS
done
for f in $FILES; do
    IFS=: read -r k p s t <<< "$f"
    for c in "$A" "$B"; do
        i=()
        for n in 20 40; do
            valgrind --tool=callgrind --callgrind-out-file=/dev/null "$W/$c/core" "$k" "$p" "$s" "$t" $n \
                > "$W/$c.out" 2> "$W/$c.err"
            i+=("$(grep -o 'Collected : [0-9]*' "$W/$c.err" | grep -o '[0-9]*')")
        done
        echo "RESULT $c $(basename "$p") $(( (i[1] - i[0]) / 20 )) instructions/import, $(cut -d' ' -f4- "$W/$c.out")"
    done
done
for r in $(seq 1 "${SR_AB_ROUNDS:-6}"); do
    for c in "$A" "$B"; do
        line="$r $c"
        for f in $FILES; do
            IFS=: read -r k p s t <<< "$f"
            line+=" $("$W/$c/core" "$k" "$p" "$s" "$t" 300 | cut -d' ' -f2)"
        done
        echo "CPU us/import (rotterdam den_haag lyon): $line"
    done
done
