#!/usr/bin/env bash
# Build and run the C unit tests of the pure core (no server).  Each
# extension/tests/unit/test_*.c is a program linked with every core object.
# Prints TAP lines and a final "unit: N passed, N failed".
#   scripts/unit.sh                       every test
#   scripts/unit.sh test_roofarea ...     these tests only
#   SR_UNIT_SANITIZE=thread scripts/unit.sh test_roofarea
#                                         under a sanitizer (thread, address,
#                                         undefined; -O1, the processor-
#                                         specific clones off, which TSan cannot
#                                         load), in bin-<sanitizer>/
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BIN=extension/tests/unit/bin
OPT="-O2"
if [[ -n ${SR_UNIT_SANITIZE:-} ]]; then
    BIN=extension/tests/unit/bin-$SR_UNIT_SANITIZE
    OPT="-O1 -fsanitize=$SR_UNIT_SANITIZE -fno-sanitize-recover=all -DSR_NO_CLONES"
fi
mkdir -p "$BIN"
CFLAGS="-std=gnu11 $OPT -g -Wall -Wextra -Werror -Wno-unused-parameter -Wno-unused-function -Wno-missing-field-initializers -Iextension/include -Iextension/tests/unit $(geos-config --cflags) $(pkg-config --cflags proj) $(pkg-config --cflags libxml-2.0)"
LIBS="$(geos-config --clibs) $(pkg-config --libs proj) $(pkg-config --libs libxml-2.0) -lm"
# the core is compiled once into a static library
mkdir -p "$BIN/core"; rm -f "$BIN/libsrcore.a" "$BIN"/core/*.o
for c in extension/core/*.c; do
    o="$BIN/core/$(basename "$c" .c).o"
    gcc $CFLAGS -c -o "$o" "$c" || { echo "not ok - core file $c does not build"; echo "unit: 0 passed, 1 failed"; exit 1; }
done
ar rcs "$BIN/libsrcore.a" "$BIN"/core/*.o
pass=0; fail=0
# run one test program, print its failures and a count line, add to the totals
run_test() {  # binary label
    local out rc p f
    out=$("$1" 2>&1); rc=$?
    p=$(grep -c '^ok ' <<< "$out"); f=$(grep -c '^not ok ' <<< "$out")
    if [[ $rc -ne 0 && $f -eq 0 ]]; then f=1; echo "$out" | tail -5; echo "not ok - $2 exited $rc"; fi
    grep -A3 '^not ok ' <<< "$out"
    echo "# $2: $p passed, $f failed"
    pass=$((pass + p)); fail=$((fail + f))
}
tests=(extension/tests/unit/test_*.c)
[[ $# -gt 0 ]] && tests=("${@/#/extension/tests/unit/}") && tests=("${tests[@]/%/.c}")
for t in "${tests[@]}"; do
    name=$(basename "$t" .c)
    if ! gcc $CFLAGS -o "$BIN/$name" "$t" "$BIN/libsrcore.a" $LIBS 2> "$BIN/$name.build.log"; then
        echo "not ok - $name: build failed"; cat "$BIN/$name.build.log"; fail=$((fail + 1)); continue
    fi
    run_test "$BIN/$name" "$name"
done
# The cadastre kernel is built three times on x86-64 (target_clones: the
# processor picks one at load time): run its tests again with each other
# build forced, so that every clone this machine can run is tested.
if [[ $(uname -m) == x86_64 && $# -eq 0 && -z ${SR_UNIT_SANITIZE:-} ]]; then
    variants=("x86-64:-DSR_NO_CLONES")
    grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo && variants+=("x86-64-v3:-DSR_NO_CLONES -march=x86-64-v3")
    for v in "${variants[@]}"; do
        tag=${v%%:*}; flags=${v#*:}
        d="$BIN/$tag"; mkdir -p "$d"; cp "$BIN/libsrcore.a" "$d/libsrcore.a"
        if gcc $CFLAGS $flags -c -o "$d/cadastre_irradiation.o" extension/core/cadastre_irradiation.c &&
           ar rcs "$d/libsrcore.a" "$d/cadastre_irradiation.o" &&
           gcc $CFLAGS -o "$d/test_cadastre" extension/tests/unit/test_cadastre.c "$d/libsrcore.a" $LIBS; then
            run_test "$d/test_cadastre" "test_cadastre ($tag kernel)"
        else
            echo "not ok - test_cadastre ($tag kernel): build failed"; fail=$((fail + 1))
        fi
    done
fi
echo "unit: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
