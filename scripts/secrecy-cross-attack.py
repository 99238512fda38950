#!/usr/bin/python3
"""The adversary of statistical secrecy across publications (review of 2026-12-06).

A journalist holds everything public: each zone's published row of zone_indicators
(total establishments, sector_mix with suppressed sections as null) and a commune's share
of ICT establishments (NAF 58-63, section J) from a maturity plugin.  Can he recover a
zone's suppressed cell?

For a synthetic scene built to leak (communes of 1 to 3 zones, every establishment of a
commune in one of its zones, all active, one SIREN each), the script computes, in the
database given by --db (the extension installed):
  - the published table (zone_indicators, "published": true, 2024-06-30);
  - the plugin of docs/maturity.md before the review ("old": a value where the commune has
    3 establishments or more and its ICT count is 0 or 3 or more, over zae_establishments)
    and the plugin now documented ("new": from the published table only);
then, for each commune with a plugin value, the attacker's integer programme (scipy's milp): every
suppressed count >= 1 (the section is listed: it is not empty), each zone's suppressed cells
add up to its published total less its published cells, and (with the plugin) the commune's
suppressed J cells add up to its ICT count less the published J cells; the ICT count is
value x N / 100 where N is the sum of the zone totals (the scene's communes have no
establishment outside their zones: the worst case; the script also says whether the value
alone, N unknown in [L, 2L), names one fraction).  A suppressed cell whose minimum equals its
maximum is recovered.  Without the plugin the same programme must recover nothing (the
published table's own guarantee: a check of the attacker).

  /usr/bin/python3 scripts/secrecy-cross-attack.py --db DB [--communes 150] [--seed 1]
  /usr/bin/python3 scripts/secrecy-cross-attack.py --db demo --demo   # the demo hub
"""
import argparse
import json
import random
import subprocess
import sys

import numpy as np
from scipy.optimize import LinearConstraint, Bounds, milp

SECTIONS = {'C': '25.62B', 'G': '47.11F', 'H': '49.41A', 'J': '62.01Z', 'M': '70.22Z', 'N': '82.11Z'}
BANDS = ['NN', '00', '01', '02', '03', '11', '12', '21']


def psql(db, sql):
    p = subprocess.run(['psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-At', '-F', '\t', '-d', db],
                       input=sql, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    return [line.split('\t') for line in p.stdout.splitlines() if line]


def build_scene(db, communes, seed):
    rnd = random.Random(seed)
    zones, ests = [], []
    zid, siren = 0, 100000000
    for c in range(communes):
        code = '9%04d' % c
        for _ in range(rnd.randint(1, 3)):
            zid += 1
            x = 200 * zid
            zones.append((zid, code, x))
            k = 0
            for s, naf in SECTIONS.items():
                # small cells are what secrecy is about: 0 to 6 establishments a section
                n = rnd.choice([0, 0, 1, 1, 2, 2, 3, 4, 5, 6])
                for _ in range(n):
                    siren += 1
                    k += 1
                    ests.append(('%d%05d' % (siren, 11), code, x + 1 + (k % 98), 1 + k // 98, naf,
                                 rnd.choice(BANDS)))
    sql = ['DROP SCHEMA IF EXISTS xa CASCADE; CREATE SCHEMA xa;',
           'CREATE TABLE xa.zones (zone_id bigint, comm_insee text, geom geometry(Polygon, 2154));',
           'CREATE TABLE xa.parcels (parcel_id text, geom geometry(Polygon, 2154), land_unit_id text);',
           'CREATE TABLE xa.est (siret text, territory_code text, geom geometry(Point, 2154), naf text, '
           'headcount_band text, start_date date, end_date date, cfe_liable boolean);']
    for z, code, x in zones:
        sql.append("INSERT INTO xa.zones VALUES (%d, '%s', ST_MakeEnvelope(%d, 0, %d, 100, 2154));" % (z, code, x, x + 100))
        sql.append("INSERT INTO xa.parcels VALUES ('P%d', ST_MakeEnvelope(%d, 0, %d, 100, 2154), NULL);" % (z, x, x + 100))
    for siret, code, px, py, naf, band in ests:
        sql.append("INSERT INTO xa.est VALUES ('%s', '%s', ST_SetSRID(ST_MakePoint(%d, %d), 2154), '%s', '%s', "
                   "'2015-01-01', NULL, true);" % (siret, code, px, py, naf, band))
    psql(db, '\n'.join(sql))
    return 'xa.zones', 'xa.parcels', 'xa.est'


OLD_PLUGIN = """
  SELECT e.territory_code, 100.0 * count(*) FILTER (WHERE left(e.naf, 2) BETWEEN '58' AND '63') / count(*)
    FROM {est} e
   WHERE e.territory_code IS NOT NULL AND e.start_date <= DATE '2024-12-31'
   GROUP BY e.territory_code
  HAVING count(*) >= 3 AND count(*) FILTER (WHERE left(e.naf, 2) BETWEEN '58' AND '63') NOT IN (1, 2)"""

# the plugin now in docs/maturity.md (#ict-share), its body on the scene's tables at the inventory's date
NEW_PLUGIN = """
  SELECT z.comm_insee, 100.0 * sum(coalesce((i.sector_mix ->> 'J')::int, 0)) / sum(i.establishments)
    FROM {zones} z
    JOIN smartregion.zone_indicators('SELECT zone_id, geom FROM {zones}',
           'SELECT parcel_id, geom, land_unit_id FROM {parcels}', NULL,
           'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM {est}',
           DATE '2024-06-30', '{{"published": true}}') i USING (zone_id)
   GROUP BY z.comm_insee
  HAVING bool_and(i.establishments IS NOT NULL AND (i.sector_mix -> 'J') IS DISTINCT FROM 'null'::jsonb)
     AND sum(i.establishments) > 0"""


def tables(db, zones, parcels, est):
    q = """SELECT z.comm_insee, i.zone_id, i.establishments, i.sector_mix, t.sector_mix
             FROM {zones} z
             JOIN smartregion.zone_indicators('SELECT zone_id, geom FROM {zones}',
                    'SELECT parcel_id, geom, land_unit_id FROM {parcels}', NULL,
                    'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM {est}',
                    DATE '2024-06-30', '{{"published": true}}') i USING (zone_id)
             JOIN smartregion.zone_indicators('SELECT zone_id, geom FROM {zones}',
                    'SELECT parcel_id, geom, land_unit_id FROM {parcels}', NULL,
                    'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM {est}',
                    DATE '2024-06-30', '{{}}') t USING (zone_id)
            ORDER BY 2""".format(zones=zones, parcels=parcels, est=est)
    out = {}
    for comm, zid, total, pub, truth in psql(db, q):
        out.setdefault(comm, []).append((int(zid), int(total) if total else None, json.loads(pub), json.loads(truth)))
    return out


def fraction_unique(v, lo):
    """Counts k/N with 100 k / N == v (as the server computes it) for N in [lo, 2 lo]."""
    ks = set()
    for n in range(max(lo, 1), 2 * max(lo, 1)):
        k = round(v * n / 100)
        if 0 <= k <= n and 100.0 * k / n == v:
            ks.add((k, n))
    return ks


def attack(zs, ict):
    """Cells recovered: [(zone, section, truth, primary)] by the integer programme."""
    var = []                                   # (zone, section)
    for zid, total, pub, truth in zs:
        for s, n in pub.items():
            if n is None:
                var.append((zid, s))
    if not var:
        return []
    idx = {v: i for i, v in enumerate(var)}
    rows, lo, hi = [], [], []
    for zid, total, pub, truth in zs:
        if total is None:
            continue
        a = np.zeros(len(var))
        for s, n in pub.items():
            if n is None:
                a[idx[(zid, s)]] = 1
        rest = total - sum(n for n in pub.values() if n is not None)
        rows.append(a); lo.append(rest); hi.append(rest)
    if ict is not None:
        a = np.zeros(len(var))
        known = 0
        for zid, total, pub, truth in zs:
            if 'J' in pub:
                if pub['J'] is None:
                    a[idx[(zid, 'J')]] = 1
                else:
                    known += pub['J']
        rows.append(a); lo.append(ict - known); hi.append(ict - known)
    cons = [LinearConstraint(np.array(rows), lo, hi)] if rows else []
    bounds = Bounds(np.ones(len(var)), np.full(len(var), 10 ** 6))
    found = []
    for v in var:
        c = np.zeros(len(var)); c[idx[v]] = 1
        r1 = milp(c, constraints=cons, integrality=np.ones(len(var)), bounds=bounds)
        r2 = milp(-c, constraints=cons, integrality=np.ones(len(var)), bounds=bounds)
        if r1.status == 0 and r2.status == 0 and round(r1.fun) == round(-r2.fun):
            zid, s = v
            truth = [t for z, _, _, t in zs if z == zid][0][s]
            assert round(r1.fun) == truth, (v, r1.fun, truth)
            found.append((zid, s, truth, truth < 3))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--db', required=True)
    ap.add_argument('--communes', type=int, default=150)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--demo', action='store_true', help='attack the demo hub (hub.zae_*)')
    a = ap.parse_args()
    if a.demo:
        zones, parcels, est = 'hub.zae_zones', 'hub.zae_parcels', 'hub.zae_establishments'
    else:
        zones, parcels, est = build_scene(a.db, a.communes, a.seed)
    tab = tables(a.db, zones, parcels, est)
    hidden = sum(1 for zs in tab.values() for z in zs for n in z[2].values() if n is None)
    primary = sum(1 for zs in tab.values() for z in zs for s, n in z[2].items() if n is None and z[3][s] < 3)
    print('communes %d, zones %d, suppressed cells %d (min_units primary %d)'
          % (len(tab), sum(len(z) for z in tab.values()), hidden, primary))
    base = sum(len(attack(zs, None)) for zs in tab.values())
    print('published table alone: %d cells recovered (must be 0)' % base)
    for name, body in (('old', OLD_PLUGIN), ('new', NEW_PLUGIN)):
        vals = {c: float(v) for c, v in psql(a.db, body.format(zones=zones, parcels=parcels, est=est))}
        rec, rec_primary, communes_hit, unique = 0, 0, 0, 0
        for comm, v in vals.items():
            zs = tab.get(comm)
            if not zs or any(z[1] is None for z in zs):
                continue
            n = sum(z[1] for z in zs)
            if len(fraction_unique(v, n)) == 1:
                unique += 1
            k = round(v * n / 100)
            if 100.0 * k / n != v:
                continue                      # N is not the zones' total: no exact attack here
            got = attack(zs, k)
            if got:
                communes_hit += 1
                rec += len(got)
                rec_primary += sum(1 for g in got if g[3])
                if name == 'old' and communes_hit <= 3:
                    print('  e.g. commune %s, value %.6g, zones %s: recovered %s'
                          % (comm, v, [(z[0], z[1], z[2]) for z in zs], got))
        print('%s plugin: %d communes with a value (%d name one fraction k/N with N in [L, 2L)); '
              '%d communes leak, %d suppressed cells recovered, %d of them primary (min_units)'
              % (name, len(vals), unique, communes_hit, rec, rec_primary))


if __name__ == '__main__':
    main()
