# Independent hour-by-hour PV reference for the Lyon-Bron TMYx EPW (no pvlib: the published
# equations), the values asserted by sql/pv.sql (flat plane, Perez 1990 planes) and docs/pv.md.
# Run: /usr/bin/python3 scripts/pv-hourly-reference.py
# Sun: Astronomical Almanac low-precision (Michalsky 1988), ~0.01 deg; refraction: SPA eq. 42.
# Reconciliation as docs/cadastre.md (Bh = GHI - DHI, DNI* = Bh / cos z capped at Spencer E0).
# Transposition: Perez 1990 (pvlib allsitescomposite1990); IAM Martin & Ruiz 2001 + IEC 61853-3 diffuse;
# Faiman 2008 (26.9, 6.2); Huld 2011 PVGIS5 c-Si; PVWatts v5 losses and inverter (Dobos 2014).
# Temperatures: Faiman gives the module's (back surface), PVsyst the cell's; Huld reads the module's
# (PVGIS), PVWatts's gamma the cell's (Dobos 2014; pvlib pvwatts_dc(temp_cell)); between them
# SAPM eq. 12 (King 2004; pvlib temperature.sapm_cell_from_module): Tc = Tm + G_poa / 1000 x dT,
# dT = 3 C for an open rack glass/polymer module (free-standing), 0 for an insulated back.
import numpy as np, sys, calendar
import os
EPW = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'data', 'weather',
                   'FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw')
lat, lon, tz, elev = 45.7261, 4.9378, 1.0, 198.0
rows = [l.split(',') for l in open(EPW).read().splitlines()[8:] if l.strip()]
Y = np.array([int(r[0]) for r in rows]); M = np.array([int(r[1]) for r in rows])
D = np.array([int(r[2]) for r in rows]); H = np.array([int(r[3]) for r in rows])
TA = np.array([float(r[6]) for r in rows]); GHI = np.array([float(r[13]) for r in rows])
DNI = np.array([float(r[14]) for r in rows]); DHI = np.array([float(r[15]) for r in rows])
WS = np.array([float(r[21]) for r in rows])
# unix seconds of the end of the hour, UTC
end = np.array([calendar.timegm((y, m, d, 0, 0, 0)) for y, m, d in zip(Y, M, D)]) + H * 3600 - tz * 3600
mid = end - 1800.0
def sun(t):
    jd = t / 86400.0 + 2440587.5
    n = jd - 2451545.0
    L = np.radians((280.460 + 0.9856474 * n) % 360); g = np.radians((357.528 + 0.9856003 * n) % 360)
    lam = L + np.radians(1.915) * np.sin(g) + np.radians(0.020) * np.sin(2 * g)
    eps = np.radians(23.439 - 0.0000004 * n)
    ra = np.arctan2(np.cos(eps) * np.sin(lam), np.cos(lam)); dec = np.arcsin(np.sin(eps) * np.sin(lam))
    # GMST (hours) = 18.697374558 + 24.06570982441908 * n
    gmst = (18.697374558 + 24.06570982441908 * n) % 24
    ha = np.radians(gmst * 15 + lon) - ra
    la = np.radians(lat)
    el = np.arcsin(np.sin(dec) * np.sin(la) + np.cos(dec) * np.cos(la) * np.cos(ha))
    az = np.arctan2(np.sin(ha), np.cos(ha) * np.sin(la) - np.tan(dec) * np.cos(la))
    az = (np.degrees(az) + 180) % 360
    eld = np.degrees(el)
    P = 1013.25 * (1 - 2.25577e-5 * elev) ** 5.25588  # standard pressure at 198 m
    refr = np.where(eld >= -0.8334, P / 1010 * 283 / (273 + 12.0) * 1.02 / (60 * np.tan(np.radians(eld + 10.3 / (eld + 5.11)))), 0)
    return 90 - eld, 90 - eld - refr, az
zen_true, zen, saz = sun(mid)
import time as _t
doy = np.array([_t.gmtime(int(m)).tm_yday for m in mid]); umon = np.array([_t.gmtime(int(m)).tm_mon for m in mid])
b = 2 * np.pi * (doy - 1) / 365.0
E0 = 1366.1 * (1.00011 + 0.034221 * np.cos(b) + 0.00128 * np.sin(b) + 0.000719 * np.cos(2 * b) + 0.000077 * np.sin(2 * b))
cz = np.cos(np.radians(zen)); up = (90 - zen) > 0
Bh = np.maximum(0, GHI - DHI)
dnis = np.where(up & (cz > 0), np.minimum(Bh / np.where(cz > 0, cz, 1), E0), 0.0)
dhis = GHI - dnis * np.where(up, cz, 0)
PEREZ = np.array([[-0.008, 0.588, -0.062, -0.060, 0.072, -0.022], [0.130, 0.683, -0.151, -0.019, 0.066, -0.029],
    [0.330, 0.487, -0.221, 0.055, -0.064, -0.026], [0.568, 0.187, -0.295, 0.109, -0.152, -0.014],
    [0.873, -0.392, -0.362, 0.226, -0.462, 0.001], [1.132, -1.237, -0.412, 0.288, -0.823, 0.056],
    [1.060, -1.600, -0.359, 0.264, -1.127, 0.131], [0.678, -0.327, -0.250, 0.156, -1.377, 0.251]])
def poa(tilt, azim, albedo=0.25):
    t = np.radians(tilt); a = np.radians(azim); z = np.radians(zen); s = np.radians(saz)
    cosaoi = np.cos(z) * np.cos(t) + np.sin(z) * np.sin(t) * np.cos(s - a)
    beam = np.where(up, dnis * np.maximum(cosaoi, 0), 0)
    # Perez 1990
    with np.errstate(invalid='ignore'):
        am = np.where(up, 1 / (np.cos(z) + 0.50572 * (6.07995 + 90 - zen) ** -1.6364), np.nan)  # Kasten-Young 1989
    kappa = 1.041
    with np.errstate(all='ignore'):
        eps = ((dhis + dnis) / dhis + kappa * z ** 3) / (1 + kappa * z ** 3)
        delta = dhis * am / E0
        edges = [1, 1.065, 1.23, 1.5, 1.95, 2.8, 4.5, 6.2]
        bin_ = np.clip(np.searchsorted(edges, eps, side='right') - 1, 0, 7)
        c = PEREZ[bin_]
        F1 = np.maximum(0, c[:, 0] + c[:, 1] * delta + z * c[:, 2]); F2 = c[:, 3] + c[:, 4] * delta + z * c[:, 5]
        A = np.maximum(0, cosaoi); B = np.maximum(np.cos(np.radians(85)), np.cos(z))
        sky = dhis * ((1 - F1) * (1 + np.cos(t)) / 2 + F1 * A / B + F2 * np.sin(t))
        sky = np.maximum(sky, 0)
    sky = np.where(up & (dhis > 0), sky, dhis * (1 + np.cos(t)) / 2)  # sun down: isotropic
    gnd = GHI * albedo * (1 - np.cos(t)) / 2
    return beam, np.nan_to_num(sky), gnd, cosaoi
def iam_mr(cosaoi, ar=0.16):
    return np.where(cosaoi > 0, (1 - np.exp(-np.clip(cosaoi, 0, 1) / ar)) / (1 - np.exp(-1 / ar)), 0)
def iam_mr_diffuse(tilt, ar=0.16):
    tl = max(tilt, 1e-6); bt = np.radians(tl); sb = np.sin(bt) if tl < 90 else np.sin(np.pi - bt)
    c1 = 4 / (3 * np.pi); c2 = 0.5 * ar - 0.154
    ts = sb + (np.pi - bt - sb) / (1 + np.cos(bt)); tg = sb + (bt - sb) / (1 - np.cos(bt))
    return 1 - np.exp(-(c1 + c2 * ts) * ts / ar), 1 - np.exp(-(c1 + c2 * tg) * tg / ar)
K = [-0.017237, -0.040465, -0.004702, 0.000149, 0.000170, 0.000005]
LOSS = 1 - np.prod([1 - x / 100 for x in [2, 0, 2, 2, 0.5, 1.5, 1, 0, 3]])
def model(beam, sky, gnd, cosaoi, tilt, iam=True, inverter=True, losses=LOSS, u0=26.9, u1=6.2, dcmodel='huld', gamma=-0.37,
          tmodel='faiman', dT=3.0):
    isky, ignd = iam_mr_diffuse(tilt) if iam else (1, 1)
    gp = beam + sky + gnd
    ge = (beam * iam_mr(cosaoi) + sky * isky + gnd * ignd) if iam else gp
    if tmodel == 'faiman':
        tmod = TA + gp / (u0 + u1 * WS)          # module (back surface)
        tcell = tmod + gp / 1000 * dT
    else:                                        # PVsyst (u0 = Uc, u1 = Uv), alpha 0.9, eta 0.1
        tcell = TA + 0.9 * gp * (1 - 0.1) / (u0 + u1 * WS)
        tmod = tcell - gp / 1000 * dT
    tm = tmod if dcmodel == 'huld' else tcell
    g = ge / 1000; T = tm - 25
    with np.errstate(all='ignore'):
        lg = np.log(g)
        if dcmodel == 'huld':
            p = g * (1 + K[0] * lg + K[1] * lg ** 2 + T * (K[2] + K[3] * lg + K[4] * lg ** 2) + K[5] * T ** 2)
        else:
            p = g * (1 + gamma / 100 * T)
    p = np.where(g > 0, p, 0) * (1 - losses)
    p = np.maximum(p, 0)
    if inverter:
        pac0 = 1 / 1.2; pdc0 = pac0 / 0.96
        zt = np.where(p > 0, p / pdc0, 1)
        eta = 0.96 / 0.9637 * (-0.0162 * zt - 0.0059 / zt + 0.9858)
        p = np.where(p > 0, np.maximum(np.minimum(eta * p, pac0), 0), 0)
    return p, gp
if __name__ == '__main__':
    print('LOSS', LOSS, 'annual GHI', GHI.sum() / 1000, 'n', len(GHI))
    for tilt, az in [(0, 180), (15, 180), (35, 180), (35, 90), (35, 270), (60, 180), (90, 180), (35, 0), (15, 90), (90, 0)]:
        bm, sk, gd, ca = poa(tilt, az)
        p, gp = model(bm, sk, gd, ca, tilt)
        mon = [p[umon == m].sum() for m in range(1, 13)]
        print(f'{tilt:3d} {az:3d} poa {gp.sum()/1000:9.3f} kwh {p.sum():9.3f} PR {p.sum()/(gp.sum()/1000):.4f} months', ' '.join(f'{x:.2f}' for x in mon))
    # the other pairs of temperature and DC models on the flat plane (sql/pv.sql)
    bm, sk, gd, ca = poa(0, 180)
    for label, kw in [('pvwatts + faiman (cell = module + 3 G/1000)', dict(dcmodel='pvwatts')),
                      ('huld + pvsyst (module = cell - 3 G/1000)', dict(tmodel='pvsyst', u0=29.0, u1=0.0)),
                      ('pvwatts + pvsyst (the cell, as PVsyst gives it)', dict(dcmodel='pvwatts', tmodel='pvsyst', u0=29.0, u1=0.0))]:
        p, gp = model(bm, sk, gd, ca, 0, **kw)
        print(f'  0 180 {label}: kwh {p.sum():9.3f}')
