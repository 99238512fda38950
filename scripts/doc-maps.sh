#!/usr/bin/env bash
# The docs' maps drawn from the demo database by scripts/*-map.sql (the README's and the
# family pages' pictures): each script's SVG rendered to PNG with rsvg-convert at the width
# the docs use, the two maps with a legend of classes made indexed PNGs whose legend colours
# stay exact (scripts/quantize-png.py).  Run by `make test-clients` into .tmp/clients/img,
# whose pictures scripts/doc-images-check.py compares with docs/img's; with OUTDIR docs/img
# it draws the docs' pictures again (cadastre-lyon1.svg, the SVG the README's map is, too).
#   scripts/doc-maps.sh OUTDIR [database]      (default smartregion_demo; PG* as cluster.sh env)
# Needs rsvg-convert (librsvg2-bin) and Debian's python3-pil and python3-numpy.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: scripts/doc-maps.sh OUTDIR [database]}
DB=${2:-smartregion_demo}
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
svg() {   # svg SCRIPT FILE: the SVG a script draws from the database
    psql -X -qAt -v ON_ERROR_STOP=1 -d "$DB" -f "$ROOT/scripts/$1" > "$2"
}
# the solar cadastre of Lyon 1er (README, docs/cadastre.md)
svg cadastre-map.sql "$tmp/cadastre-lyon1.svg"
rsvg-convert -w 1600 "$tmp/cadastre-lyon1.svg" > "$out/cadastre-lyon1.png"
[[ $(cd "$out" && pwd) != "$ROOT/docs/img" ]] || cp "$tmp/cadastre-lyon1.svg" "$out/"
# a block's roofs over their area (README, docs/cadastre.md)
svg roofarea-map.sql "$tmp/roofarea-lyon1.svg"
rsvg-convert -w 1100 "$tmp/roofarea-lyon1.svg" > "$out/roofarea-lyon1.png"
# a planned tower's impact (README, docs/city3d.md) and the assignment around Paris
# (README, docs/matching.md): indexed PNGs, their legends' colours exact
svg impact-map.sql "$tmp/impact.svg"
rsvg-convert -w 1000 "$tmp/impact.svg" > "$tmp/impact.png"
/usr/bin/python3 "$ROOT/scripts/quantize-png.py" "$tmp/impact.png" "$out/impact-lyon1.png" \
    '#ffffff' '#e6e6e6' '#fee08b' '#fdae61' '#f46d43' '#a50026' '#000000'
svg assign-map.sql "$tmp/assign.svg"
rsvg-convert -w 1000 "$tmp/assign.svg" > "$tmp/assign.png"
/usr/bin/python3 "$ROOT/scripts/quantize-png.py" "$tmp/assign.png" "$out/assign-idf.png" \
    '#ffffff' '#f2f2f2' '#999999' '#2b8cbe' '#e34a33' '#bdbdbd' '#000000'
