#!/usr/bin/python3
"""The docs' client pictures are what the current demo draws: `make test-clients`.

Each picture of docs/img/ that a client draws from the demo database (the web pages'
screenshots, the QGIS renders, the maps of scripts/*-map.sql that scripts/doc-maps.sh renders)
is compared with the one this run drew: the share of its pixels
that differ by more than 16 in a channel must stay within the picture's tolerance.  A change of
the cadastre's numbers (true north, a sky model) changed the colours of roofs and the values of
a popup while the docs kept the old picture; `SR_UPDATE_DOC_IMAGES=1 make test-clients` draws
them again.  The tolerances are the run-to-run noise: the same demo drawn twice gives 0 pixels
for the map, the roofs' cells, the city in 3D, QGIS and the SQL-drawn maps (their SVGs list the
shapes in a fixed order), and 0.1 % is the margin.  The cells' picture differed by 0.1 to 0.4 %
from one drawing to the next until solar_tile sorted its features (2026-12-06): ST_AsMVT ran as a
parallel aggregate and a tile's features came in the order its workers ended, so where the cells
of neighbouring roofs overlap the one drawn on top changed; three drawings now give 0 pixels.
    scripts/doc-images-check.py FRESH_DIR   (FRESH_DIR: .tmp/clients, as test-clients.sh writes)
Prints TAP lines.  Debian's python3-pil and python3-numpy.
"""
import os
import sys

import numpy as np
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# docs picture -> (where this run draws it under FRESH_DIR, the share of pixels that may differ)
PICTURES = {
    'map-lyon1.png': ('img/map-lyon1.png', 0.001),
    'map-cells-lyon1.png': ('img/map-cells-lyon1.png', 0.001),
    'city3d-lyon1.png': ('img/city3d-lyon1.png', 0.001),
    'qgis-solar-roofs.png': ('qgis-solar-roofs.png', 0.001),
    'qgis-maturity.png': ('qgis-maturity.png', 0.001),
    'cadastre-lyon1.png': ('img/cadastre-lyon1.png', 0.001),
    'roofarea-lyon1.png': ('img/roofarea-lyon1.png', 0.001),
    'impact-lyon1.png': ('img/impact-lyon1.png', 0.001),
    'assign-idf.png': ('img/assign-idf.png', 0.001),
}
THRESHOLD = 16      # a channel's difference below this is antialiasing, not a change


def differing_share(a, b):
    """The share of pixels of two pictures of one size that differ by more than THRESHOLD."""
    x = np.asarray(Image.open(a).convert('RGB'), dtype=np.int16)
    y = np.asarray(Image.open(b).convert('RGB'), dtype=np.int16)
    if x.shape != y.shape:
        return None
    return float((np.abs(x - y).max(axis=2) > THRESHOLD).mean())


def main():
    fresh = sys.argv[1]
    failed = 0
    for doc, (drawn, tolerance) in PICTURES.items():
        d, f = os.path.join(ROOT, 'docs', 'img', doc), os.path.join(fresh, drawn)
        what = 'docs/img/%s is what the current demo draws' % doc
        if not os.path.exists(f):
            print('not ok - %s (this run drew no %s)' % (what, os.path.relpath(f, ROOT)))
            failed += 1
            continue
        share = differing_share(d, f)
        ok = share is not None and share <= tolerance
        failed += not ok
        detail = ('sizes differ' if share is None else '%.2f %% of the pixels differ, at most %.1f %%'
                  % (100 * share, 100 * tolerance))
        print('%s - %s (%s%s)' % ('ok' if ok else 'not ok', what, detail,
                                  '' if ok else '; SR_UPDATE_DOC_IMAGES=1 make test-clients draws it again'))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
