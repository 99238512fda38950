#!/usr/bin/python3
"""Numpy peer for bench/solar.sh: NREL SPA and Perez 1990 vectorised over
arrays the way pvlib's numpy code path (pvlib/spa.py, irradiance.perez)
does it, since pvlib itself cannot be installed on the project machine.
The periodic-term tables are read from extension/core/solar_spa_tables.h.

Usage: solar_numpy_spa.py ROOT  -> prints timing lines and a check line.
"""
import re
import sys
import time

import numpy as np

root = sys.argv[1]
src = open(root + '/extension/core/solar_spa_tables.h').read()
T = {}
for name, body in re.findall(r'static const spa_term SPA_(\w+)\[\] = \{(.*?)\};', src, re.S):
    T[name] = np.array([[float(a), float(b), float(c)] for a, b, c in
                        re.findall(r'\{([-\d.]+), ([-\d.]+), ([-\d.]+)\}', body)])
nut = re.findall(r'\{\{([-\d, ]+)\}, ([-\d.]+), ([-\d.]+), ([-\d.]+), ([-\d.]+)\}', src)
NY = np.array([[int(v) for v in y.split(',')] for y, *_ in nut], dtype=float)
NABCD = np.array([[float(a), float(b), float(c), float(d)] for _, a, b, c, d in nut])


def series(name, jme):
    t = T[name]
    return (t[:, 0, None] * np.cos(t[:, 1, None] + t[:, 2, None] * jme[None, :])).sum(axis=0)


def spa_time(unix, delta_t=69.0):
    """Time part of SPA for an array of unix seconds (Eq. 4-33, A.1-A.3)."""
    jd = unix / 86400.0 + 2440587.5
    jde = jd + delta_t / 86400.0
    jc = (jd - 2451545.0) / 36525.0
    jce = (jde - 2451545.0) / 36525.0
    jme = jce / 10.0
    L = sum(series('L%d' % i, jme) * jme ** i for i in range(6)) / 1e8
    L = np.degrees(L) % 360
    B = np.degrees((series('B0', jme) + series('B1', jme) * jme) / 1e8)
    R = sum(series('R%d' % i, jme) * jme ** i for i in range(5)) / 1e8
    theta = (L + 180) % 360
    beta = -B
    X = np.array([
        297.85036 + 445267.111480 * jce - 0.0019142 * jce ** 2 + jce ** 3 / 189474,
        357.52772 + 35999.050340 * jce - 0.0001603 * jce ** 2 - jce ** 3 / 300000,
        134.96298 + 477198.867398 * jce + 0.0086972 * jce ** 2 + jce ** 3 / 56250,
        93.27191 + 483202.017538 * jce - 0.0036825 * jce ** 2 + jce ** 3 / 327270,
        125.04452 - 1934.136261 * jce + 0.0020708 * jce ** 2 + jce ** 3 / 450000])
    arg = np.radians(NY @ X)
    dpsi = ((NABCD[:, 0, None] + NABCD[:, 1, None] * jce) * np.sin(arg)).sum(axis=0) / 36e6
    deps = ((NABCD[:, 2, None] + NABCD[:, 3, None] * jce) * np.cos(arg)).sum(axis=0) / 36e6
    U = jme / 10
    eps0 = (84381.448 - 4680.93 * U - 1.55 * U ** 2 + 1999.25 * U ** 3 - 51.38 * U ** 4
            - 249.67 * U ** 5 - 39.05 * U ** 6 + 7.12 * U ** 7 + 27.87 * U ** 8 + 5.79 * U ** 9
            + 2.45 * U ** 10)
    eps = eps0 / 3600 + deps
    lam = theta + dpsi - 20.4898 / (3600 * R)
    nu0 = (280.46061837 + 360.98564736629 * (jd - 2451545) + 0.000387933 * jc ** 2
           - jc ** 3 / 38710000) % 360
    nu = nu0 + dpsi * np.cos(np.radians(eps))
    lr, er, br = np.radians(lam), np.radians(eps), np.radians(beta)
    alpha = np.degrees(np.arctan2(np.sin(lr) * np.cos(er) - np.tan(br) * np.sin(er), np.cos(lr))) % 360
    delta = np.degrees(np.arcsin(np.sin(br) * np.cos(er) + np.cos(br) * np.sin(er) * np.sin(lr)))
    xi = 8.794 / (3600 * R)
    return nu, alpha, delta, xi


def spa_site(nu, alpha, delta, xi, lat, lon, elev=0.0, p=1013.25, temp=12.0):
    """Site part (Eq. 34-46), broadcasting times against sites."""
    H = np.radians((nu + lon - alpha) % 360)
    phi = np.radians(lat)
    u = np.arctan(0.99664719 * np.tan(phi))
    x = np.cos(u) + elev / 6378140 * np.cos(phi)
    y = 0.99664719 * np.sin(u) + elev / 6378140 * np.sin(phi)
    d, xr = np.radians(delta), np.radians(xi)
    da = np.arctan2(-x * np.sin(xr) * np.sin(H), np.cos(d) - x * np.sin(xr) * np.cos(H))
    dp = np.arctan2((np.sin(d) - y * np.sin(xr)) * np.cos(da), np.cos(d) - x * np.sin(xr) * np.cos(H))
    Hp = H - da
    e0 = np.degrees(np.arcsin(np.sin(phi) * np.sin(dp) + np.cos(phi) * np.cos(dp) * np.cos(Hp)))
    de = np.where(e0 >= -0.83337, (p / 1010) * (283 / (273 + temp)) * 1.02
                  / (60 * np.tan(np.radians(e0 + 10.3 / (e0 + 5.11)))), 0.0)
    gamma = np.degrees(np.arctan2(np.sin(Hp), np.cos(Hp) * np.sin(phi) - np.tan(dp) * np.cos(phi)))
    return 90 - e0 - de, (gamma + 180) % 360


F = np.array([[-0.008, 0.588, -0.062, -0.060, 0.072, -0.022],
              [0.130, 0.683, -0.151, -0.019, 0.066, -0.029],
              [0.330, 0.487, -0.221, 0.055, -0.064, -0.026],
              [0.568, 0.187, -0.295, 0.109, -0.152, -0.014],
              [0.873, -0.392, -0.362, 0.226, -0.462, 0.001],
              [1.132, -1.237, -0.412, 0.288, -0.823, 0.056],
              [1.060, -1.600, -0.359, 0.264, -1.127, 0.131],
              [0.678, -0.327, -0.250, 0.156, -1.377, 0.251]])


def perez(tilt, saz, zen, sazi, dni, dhi, ea, am):
    z = np.radians(zen)
    delta = dhi * am / ea
    eps = ((dhi + dni) / dhi + 1.041 * z ** 3) / (1 + 1.041 * z ** 3)
    b = np.digitize(eps, (1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2))
    f = F[b]
    F1 = np.maximum(f[:, 0] + f[:, 1] * delta + f[:, 2] * z, 0)
    F2 = f[:, 3] + f[:, 4] * delta + f[:, 5] * z
    A = np.maximum(np.cos(np.radians(tilt)) * np.cos(z) + np.sin(np.radians(tilt)) * np.sin(z)
                   * np.cos(np.radians(sazi - saz)), 0)
    Bz = np.maximum(np.cos(z), np.cos(np.radians(85)))
    return np.maximum(dhi * (0.5 * (1 - F1) * (1 + np.cos(np.radians(tilt))) + F1 * A / Bz
                             + F2 * np.sin(np.radians(tilt))), 0)


def best(f, n=3):
    b = None
    for _ in range(n):
        t = time.perf_counter()
        r = f()
        t = time.perf_counter() - t
        b = t if b is None else min(b, t)
    return b, r


base = 1609459200.0
# 1. positions for 100,000 instants at one site
N = 100000
unix = base + np.arange(N) * 15.77
t, (z1, a1) = best(lambda: spa_site(*spa_time(unix), 45.7261, 4.9378))
print('numpy_spa_positions_per_s %.0f' % (N / t))
# 2. grid: 100 sites x 8760 hours (the time part once per instant, as pvlib does per call)
ts = base + np.arange(8760) * 3600.0 + 1800
lat = 42 + (np.arange(100) % 100) * 0.07
lon = -4 + (np.arange(100) // 10) * 1.1
def grid():
    nu, al, de, xi = spa_time(ts)
    return spa_site(nu[:, None], al[:, None], de[:, None], xi[:, None], lat[None, :], lon[None, :])
t, _ = best(grid, 2)
print('numpy_grid_positions_per_s %.0f' % (8760 * 100 / t))
# 3. Perez over 1,000,000 rows
M = 1000000
i = np.arange(M)
args = (30.0, 180.0, 20.0 + i % 60, 90.0 + i % 180, (i % 900).astype(float), 50.0 + i % 200, 1400.0)
am = 1 / (np.cos(np.radians(args[2])) + 0.50572 * (6.07995 + 90 - args[2]) ** -1.6364)
t, _ = best(lambda: perez(*args, am))
print('numpy_perez_per_s %.0f' % (M / t))
# check value: the SPA example (apparent zenith, azimuth)
nu, al, de, xi = spa_time(np.array([1066419030.0]), 67.0)
z, a = spa_site(nu, al, de, xi, 39.742476, -105.1786, 1830.14, 820, 11)
print('check_spa_example %.5f %.5f' % (z[0], a[0]))
