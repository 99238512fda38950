#!/usr/bin/python3
"""Party walls of a CityJSON file, counted independently of the extension
(numpy; the check of docs/city3d.md's party-wall rule on data/city3d).

A wall is covered by another object's wall when the two are coplanar (every
vertex of the other within TOL m of the wall's plane), face each other
(normals opposite within 2 degrees) and overlap in the plane. The covered
share of a wall's area is measured on a 2 cm raster of the wall's plane
(the extension samples a 20 x 20 grid per wall); a wall at least half
covered is a party wall. Prints the share of each wall touched, the party
walls of each object, and the count of walls, of walls touched by a
neighbour and of party walls."""
import json, sys
import numpy as np

TOL, COS = 0.05, np.cos(np.radians(2.0))


def rings_of(obj, verts):
    """(semantic type, [rings as (n, 3) arrays]) of each surface of an object"""
    out = []
    for g in obj.get('geometry', []):
        sem = g.get('semantics') or {}
        surfs, vals = sem.get('surfaces', []), sem.get('values')
        if g['type'] == 'MultiSurface' or g['type'] == 'CompositeSurface':
            polys, vv = g['boundaries'], vals
        elif g['type'] == 'Solid':
            polys = [p for shell in g['boundaries'] for p in shell]
            vv = [v for shell in vals for v in shell] if vals else None
        else:
            continue
        for k, p in enumerate(polys):
            t = surfs[vv[k]]['type'] if vv and vv[k] is not None else None
            rings = []
            for r in p:
                a = verts[r]
                # distinct points only (the importer skips rings of fewer than 3)
                if len({tuple(x) for x in a}) < 3:
                    rings = None
                    break
                rings.append(a)
            if rings:
                out.append((t, rings))
    return out


def newell(a):
    b = np.roll(a, -1, axis=0)
    n = np.array([np.sum((a[:, 1] - b[:, 1]) * (a[:, 2] + b[:, 2])),
                  np.sum((a[:, 2] - b[:, 2]) * (a[:, 0] + b[:, 0])),
                  np.sum((a[:, 0] - b[:, 0]) * (a[:, 1] + b[:, 1]))])
    return n / np.linalg.norm(n)


def inside(px, py, ring):
    """even-odd test of points (px, py) against a 2D ring"""
    res = np.zeros(px.shape, bool)
    x, y = ring[:, 0], ring[:, 1]
    for i in range(len(ring)):
        x1, y1, x2, y2 = x[i], y[i], x[i - 1], y[i - 1]
        c = ((y1 > py) != (y2 > py))
        with np.errstate(divide='ignore', invalid='ignore'):
            xi = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
        res ^= c & (px < xi)
    return res


def main(path):
    d = json.load(open(path))
    sc, tr = np.array(d['transform']['scale']), np.array(d['transform']['translate'])
    verts = np.array(d['vertices'], float) * sc + tr
    walls = []
    for oid, o in d['CityObjects'].items():
        for t, rings in rings_of(o, verts):
            if t == 'WallSurface':
                walls.append((oid, rings, newell(rings[0])))
    touched = party = 0
    per_obj = {}
    for i, (oid, rings, n) in enumerate(walls):
        p0 = rings[0][0]
        e1 = np.cross(n, [0, 0, 1.0]); e1 /= np.linalg.norm(e1)
        e2 = np.cross(n, e1)
        to2 = lambda a: np.c_[(a - p0) @ e1, (a - p0) @ e2]
        own = [to2(r) for r in rings]
        lo, hi = own[0].min(0), own[0].max(0)
        gx, gy = np.meshgrid(np.arange(lo[0] + 0.01, hi[0], 0.02), np.arange(lo[1] + 0.01, hi[1], 0.02))
        ins = np.zeros(gx.shape, bool)
        for r in own:
            ins ^= inside(gx, gy, r)
        cov = np.zeros(gx.shape, bool)
        for oid2, rings2, n2 in walls:
            if oid2 == oid or n @ n2 > -COS:
                continue
            if np.max(np.abs((rings2[0] - p0) @ n)) > TOL:
                continue
            c = np.zeros(gx.shape, bool)
            for r in rings2:
                c ^= inside(gx, gy, to2(r))
            cov |= c
        if ins.sum() == 0:
            continue
        f = (cov & ins).sum() / ins.sum()
        touched += f > 0
        party += f >= 0.5
        if f > 0:
            print(f"  {oid}: wall covered {f:.3f}")
        if f >= 0.5:
            per_obj[oid] = per_obj.get(oid, 0) + 1
    for oid in sorted(per_obj):
        print(f"  {oid}: {per_obj[oid]} party walls")
    print(f"walls {len(walls)} touched {touched} party {party}")


main(sys.argv[1] if len(sys.argv) > 1 else 'data/city3d/rotterdam_subset.json')
