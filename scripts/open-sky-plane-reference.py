#!/usr/bin/python3
"""Independent numeric integration of a sky's diffuse on a tilted plane under
an open horizon (sql/solar.sql, docs/solar.md "Horizon"): the plane's only
cut is its own (max(0, n.d)), so the result cannot depend on the horizon's
sector count.

Input on stdin, the rows of smartregion.sky_patches() as CSV without header:
  sky_row, azimuth_deg, radiance_kwh_m2_sr
(Reinhart MF 4: rows 1..28 of alpha = 90 / 28.5 deg, the cap above 28 alpha;
a patch spans its centre +- 180 / (patches of its row) deg in azimuth).
Arguments: tilt azimuth ...  (pairs).  Prints kWh/m2 per plane: the midpoint
rule on 64 x 64 cells per patch, on the integrand L max(0, n.d) cos e.
"""
import sys
import numpy as np

rows = np.loadtxt(sys.stdin, delimiter=",", ndmin=2)
alpha = np.radians(90.0 / 28.5)
count = {}
for r in rows[:, 0].astype(int):
    count[r] = count.get(r, 0) + 1
M = 64
u = (np.arange(M) + 0.5) / M
args = [float(a) for a in sys.argv[1:]]
for tilt, paz in zip(args[0::2], args[1::2]):
    b, g = np.radians(tilt), np.radians(paz)
    n = np.array([np.sin(b) * np.sin(g), np.sin(b) * np.cos(g), np.cos(b)])
    total = 0.0
    for r, az, rad in rows:
        r = int(r)
        if r == 29:                      # the cap: a full circle of azimuth
            e0, e1, a0, a1 = 28 * alpha, np.pi / 2, 0.0, 2 * np.pi
        else:
            w = 2 * np.pi / count[r]
            e0, e1 = (r - 1) * alpha, r * alpha
            a0, a1 = np.radians(az) - w / 2, np.radians(az) + w / 2
        e = e0 + (e1 - e0) * u
        a = a0 + (a1 - a0) * u
        E, A = np.meshgrid(e, a, indexing="ij")
        nd = n[0] * np.cos(E) * np.sin(A) + n[1] * np.cos(E) * np.cos(A) + n[2] * np.sin(E)
        f = np.maximum(nd, 0.0) * np.cos(E)
        total += rad * f.mean() * (e1 - e0) * (a1 - a0)
    print("%g %g %.6f" % (tilt, paz, total))
