#!/usr/bin/env bash
# The docs' pictures are drawn from the database by the scripts/*.sql that write an SVG
# (each names its picture and how it is rendered in its header).  Run by `make test` after
# the docs examples, on their demo database: each script must still run and write a
# well-formed SVG that draws something, so that a picture can be drawn again after a change.
# Prints TAP lines and ends with "pictures: N passed, N failed".
#   scripts/pictures-test.sh [database]    (default smartregion_docs)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=${1:-${SR_DOCS_DB:-smartregion_docs}}
eval "$(scripts/cluster.sh env)"
mkdir -p .tmp/pictures
pass=0; fail=0
for f in $(grep -l '<svg' scripts/*.sql | sort); do
    name=$(basename "$f" .sql)
    out=.tmp/pictures/$name.svg
    t0=$(date +%s%N)
    if ! psql -X -qAt -v ON_ERROR_STOP=1 -v root="$ROOT" -d "$DB" -f "$f" > "$out" 2> .tmp/pictures/$name.err; then
        echo "not ok - $f does not run: $(grep -m1 ERROR .tmp/pictures/$name.err)"
        fail=$((fail + 1)); continue
    fi
    # one SVG element, well-formed, drawing at least 10 shapes
    if msg=$(/usr/bin/python3 - "$out" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
ns = '{http://www.w3.org/2000/svg}'
if root.tag != ns + 'svg':
    sys.exit('the root element is %s, not svg' % root.tag)
shapes = sum(1 for e in root.iter() if e.tag[len(ns):] in ('path', 'circle', 'rect', 'line', 'polyline', 'polygon'))
if shapes < 10:
    sys.exit('only %d shapes drawn' % shapes)
print(shapes)
PY
    ); then
        echo "ok - $f draws a well-formed SVG ($msg shapes, $(( ($(date +%s%N) - t0) / 1000000 )) ms)"
        pass=$((pass + 1))
    else
        echo "not ok - $f: $msg"
        fail=$((fail + 1))
    fi
done
echo "pictures: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
