#!/usr/bin/env python3
"""Synthetic CityJSON 2.0 city for the import bench: a grid of gable-roofed
houses (LoD2 Solid: 4 walls, 2 roof planes, a ground), each with its own 10
vertices, a transform (mm) and semantics.  Usage: city3d_gen.py N > file.json
(N houses; about 1,240 bytes each, so 82,000 houses are ~100 MB)."""
import json, sys, random

n = int(sys.argv[1])
random.seed(1)
side = int(n ** 0.5) + 1
verts = []
objs = {}
out = sys.stdout
for i in range(n):
    gx, gy = (i % side) * 20000, (i // side) * 20000        # 20 m apart (mm)
    w, d = random.randint(8000, 12000), random.randint(6000, 9000)
    h = random.randint(5000, 9000)
    r = h + random.randint(2000, 4000)
    b = len(verts)
    verts += [[gx, gy, 0], [gx + w, gy, 0], [gx + w, gy + d, 0], [gx, gy + d, 0],
              [gx, gy, h], [gx + w, gy, h], [gx + w, gy + d, h], [gx, gy + d, h],
              [gx, gy + d // 2, r], [gx + w, gy + d // 2, r]]
    v = lambda *k: [b + x for x in k]
    shell = [[v(0, 3, 2, 1)],                 # ground
             [v(0, 1, 5, 4)], [v(2, 3, 7, 6)],  # long walls
             [v(1, 2, 6, 9, 5)], [v(3, 0, 4, 8, 7)],  # gable walls
             [v(4, 5, 9, 8)], [v(6, 7, 8, 9)]]  # roof planes (south, north)
    objs["house-%d" % i] = {
        "type": "Building",
        "attributes": {"storeys": random.randint(1, 3), "use": "residential"},
        "geometry": [{"type": "Solid", "lod": "2.2", "boundaries": [shell],
                      "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "WallSurface"},
                                                 {"type": "RoofSurface"}],
                                    "values": [[0, 1, 1, 1, 1, 2, 2]]}}]}
doc = {"type": "CityJSON", "version": "2.0",
       "transform": {"scale": [0.001, 0.001, 0.001], "translate": [842000.0, 6519000.0, 170.0]},
       "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
       "CityObjects": objs, "vertices": verts}
json.dump(doc, out, separators=(",", ":"))
