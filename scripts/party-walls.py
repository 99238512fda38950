#!/usr/bin/python3
"""Party walls and partly covered walls of a CityJSON file, computed
independently of the extension (numpy only; the check of docs/city3d.md's
rule on data/city3d).

A wall is covered by another polygon of the file (of any object, its own
too) where the two are coplanar (every vertex of the other's exterior ring
within TOL m of the wall's plane), face each other (normals opposite within
2 degrees) and overlap in the wall's plane. The covered area is exact, with
no clipping library: in the wall's plane, the area of the wall minus the
union of the others is integrated over slabs u in [a, b] cut at every
vertex and every crossing of two edges; inside a slab no two edges cross,
so the length of the set along v is linear in u and the slab's area is its
width times that length at the middle (even-odd crossings, holes counted).

A wall at least SHARE covered is a party wall (no exposed area); one less
covered keeps its exposed area, its area minus the covered part. Prints each
wall touched (object, the wall's number among the object's walls in file
order, its area, the covered share, the exposed area in m2), the party walls
of each object and the counts."""
import json, sys
import numpy as np

TOL, COS, SHARE = 0.05, np.cos(np.radians(2.0)), 0.95


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
    """Newell vector of a ring (twice its area times its unit normal)"""
    a = a - a[0]
    b = np.roll(a, -1, axis=0)
    return np.array([np.sum((a[:, 1] - b[:, 1]) * (a[:, 2] + b[:, 2])),
                     np.sum((a[:, 2] - b[:, 2]) * (a[:, 0] + b[:, 0])),
                     np.sum((a[:, 0] - b[:, 0]) * (a[:, 1] + b[:, 1]))])


def edges(rings):
    """the edges ((u1, v1), (u2, v2)) of 2D rings"""
    out = []
    for r in rings:
        for i in range(len(r)):
            p, q = r[i - 1], r[i]
            if p[0] != q[0] or p[1] != q[1]:
                out.append((p, q))
    return out


def intervals(es, u):
    """the v intervals of a polygon (its edges es) at abscissa u, even-odd"""
    vs = sorted(p[1] + (u - p[0]) * (q[1] - p[1]) / (q[0] - p[0])
                for p, q in es if (p[0] > u) != (q[0] > u))
    return [(vs[i], vs[i + 1]) for i in range(0, len(vs) - 1, 2)]


def union(ivs):
    out = []
    for a, b in sorted(ivs):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def length_minus(w, n):
    """length of the intervals w minus the union n"""
    tot = sum(b - a for a, b in w)
    for a, b in w:
        for c, d in n:
            tot -= max(0.0, min(b, d) - max(a, c))
    return tot


def areas(wall, others):
    """(area of the wall, area of the wall minus the others), 2D rings"""
    we = edges(wall)
    oe = [edges(o) for o in others]
    alle = we + [e for x in oe for e in x]
    us = {p[0] for p, q in alle}
    for i, (p, q) in enumerate(alle):          # every crossing of two edges
        for r, s in alle[i + 1:]:
            d = (q[0] - p[0]) * (s[1] - r[1]) - (q[1] - p[1]) * (s[0] - r[0])
            if d == 0:
                continue
            t = ((r[0] - p[0]) * (s[1] - r[1]) - (r[1] - p[1]) * (s[0] - r[0])) / d
            w = ((r[0] - p[0]) * (q[1] - p[1]) - (r[1] - p[1]) * (q[0] - p[0])) / d
            if 0 < t < 1 and 0 < w < 1:
                us.add(p[0] + t * (q[0] - p[0]))
    us = sorted(us)
    aw = ae = 0.0
    for a, b in zip(us, us[1:]):
        m = 0.5 * (a + b)
        wi = intervals(we, m)
        ni = union([iv for e in oe for iv in intervals(e, m)])
        aw += (b - a) * length_minus(wi, [])
        ae += (b - a) * length_minus(wi, ni)
    return aw, ae


def main(path):
    d = json.load(open(path))
    sc, tr = np.array(d['transform']['scale']), np.array(d['transform']['translate'])
    verts = np.array(d['vertices'], float) * sc + tr
    polys = []                                  # (object, type, rings, unit normal)
    for oid, o in d['CityObjects'].items():
        for t, rings in rings_of(o, verts):
            nv = newell(rings[0])
            if np.linalg.norm(nv) > 0:
                polys.append((oid, t, rings, nv / np.linalg.norm(nv)))
    nwalls = touched = party = 0
    per_obj, seen = {}, {}
    for i, (oid, t, rings, n) in enumerate(polys):
        if t != 'WallSurface':
            continue
        nwalls += 1
        seen[oid] = seen.get(oid, 0) + 1
        p0 = rings[0][0]
        e1 = np.array([n[1], -n[0], 0.0]); e1 /= np.linalg.norm(e1)
        e2 = np.cross(n, e1)
        to2 = lambda a: np.c_[(a - p0) @ e1, (a - p0) @ e2]
        others = [[to2(r) for r in rings2] for j, (oid2, t2, rings2, n2) in enumerate(polys)
                  if j != i and n @ n2 <= -COS and np.max(np.abs((rings2[0] - p0) @ n)) <= TOL]
        if not others:
            continue
        aw, ae = areas([to2(r) for r in rings], others)
        cov = 1 - ae / aw
        if aw - ae < 1e-6:
            continue                            # touching only
        area3 = np.linalg.norm(newell(rings[0])) / 2 - sum(np.linalg.norm(newell(r)) / 2 for r in rings[1:])
        exposed = 0.0 if cov >= SHARE else area3 * ae / aw
        touched += 1
        party += cov >= SHARE
        print(f"  {oid} wall {seen[oid]}: area {area3:.6f} covered {cov:.6f} exposed {exposed:.6f}")
        if cov >= SHARE:
            per_obj[oid] = per_obj.get(oid, 0) + 1
    for oid in sorted(per_obj):
        print(f"  {oid}: {per_obj[oid]} party walls")
    print(f"walls {nwalls} touched {touched} party {party} partly covered {touched - party}")


main(sys.argv[1] if len(sys.argv) > 1 else 'data/city3d/rotterdam_subset.json')
