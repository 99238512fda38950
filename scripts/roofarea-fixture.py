#!/usr/bin/env python3
"""Extract the Lyon 1er buildings around one point for the roof-area unit
test (extension/tests/unit/test_roofarea.c): data/buildings/lyon1_roofarea.txt.

Each building: `B id z nrings` (z: its flat roof, absolute m, as the
cadastre regression test takes it: the mean of the polygon's z and
Z_MAX_TOIT), then one line per ring: `npts x y x y ...` (m, EPSG:3946,
relative to the centre written on the first line `C x0 y0`)."""
import gzip, json, math, sys

SRC = "data/buildings/buildings_lyon1.geojson.gz"
OUT = "data/buildings/lyon1_roofarea.txt"
X0, Y0 = float(sys.argv[1]), float(sys.argv[2])
R = float(sys.argv[3]) if len(sys.argv) > 3 else 170.0

d = json.load(gzip.open(SRC, "rt"))
out = ["C %.3f %.3f" % (X0, Y0)]
n = 0
for f in d["features"]:
    p, g = f["properties"], f["geometry"]
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    zs = [c[2] for poly in polys for ring in poly for c in ring]
    xs = [c[0] for poly in polys for ring in poly for c in ring]
    ys = [c[1] for poly in polys for ring in poly for c in ring]
    cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
    if math.hypot(cx - X0, cy - Y0) > R:
        continue
    zmin = min(zs)
    zmax = p.get("Z_MAX_TOIT")
    z = (zmin + (zmax if zmax is not None else zmin)) / 2
    bid = int(p["ID"][-9:])
    for poly in polys:  # one building per polygon (a footprint each)
        out.append("B %d %.3f %d" % (bid, z, len(poly)))
        for ring in poly:
            out.append("%d " % len(ring) + " ".join("%.3f %.3f" % (c[0] - X0, c[1] - Y0) for c in ring))
        n += 1
open(OUT, "w").write("\n".join(out) + "\n")
print("%d footprints within %.0f m of (%.1f, %.1f) -> %s" % (n, R, X0, Y0, OUT))
