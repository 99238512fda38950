#!/usr/bin/python3
"""Fixtures of the 3D publication tests (scripts/test-city3d.sh).

Writes, into the directory given as argument:
  fixtures.sql    tables t3d.cube, t3d.lroof, t3d.house (surfaces_sql inputs)
  expected.json   what the GLBs must hold, worked out here independently of
                  the extension: vertex and triangle counts, areas, feature ids
The real LoD2 building is the Lyon CityGML house (data/buildings), read with
the standard library's XML parser.
"""
import json
import math
import os
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
GML = os.path.join(ROOT, "data", "buildings", "LYON_1ER_BATI_2015_small_house.gml")
NS = {"gml": "http://www.opengis.net/gml", "bldg": "http://www.opengis.net/citygml/building/2.0"}


def newell_area(ring):
    """Area of a planar 3D ring (Newell's normal / 2), closing point excluded."""
    nx = ny = nz = 0.0
    n = len(ring)
    x0, y0, z0 = ring[0]
    for i in range(n):
        ax, ay, az = ring[i][0] - x0, ring[i][1] - y0, ring[i][2] - z0
        bx, by, bz = ring[(i + 1) % n][0] - x0, ring[(i + 1) % n][1] - y0, ring[(i + 1) % n][2] - z0
        nx += (ay - by) * (az + bz)
        ny += (az - bz) * (ax + bx)
        nz += (ax - bx) * (ay + by)
    return math.sqrt(nx * nx + ny * ny + nz * nz) / 2


def wkt_polygon(rings):
    return "POLYGON Z (" + ",".join(
        "(" + ",".join("%.8f %.8f %.8f" % p for p in r + [r[0]]) + ")" for r in rings) + ")"


def house():
    """The house's polygons: (kind, rings) with open rings."""
    tree = ET.parse(GML)
    out = []
    for kind in ("RoofSurface", "WallSurface", "GroundSurface"):
        for surf in tree.iter("{%s}%s" % (NS["bldg"], kind)):
            for poly in surf.iter("{%s}Polygon" % NS["gml"]):
                rings = []
                for tag in ("exterior", "interior"):
                    for ring in poly.findall("gml:%s/gml:LinearRing/gml:posList" % tag, NS):
                        v = [float(t) for t in ring.text.split()]
                        pts = [tuple(v[i:i + 3]) for i in range(0, len(v), 3)]
                        if pts[0] == pts[-1]:
                            pts = pts[:-1]
                        rings.append(pts)
                out.append((kind, rings))
    return out


def main(outdir):
    exp = {}
    sql = ["DROP SCHEMA IF EXISTS t3d CASCADE;", "CREATE SCHEMA t3d;"]

    # a unit cube as one PolyhedralSurfaceZ, local metres (SRID 0)
    sql.append("""CREATE TABLE t3d.cube AS SELECT 1::bigint AS id, 'POLYHEDRALSURFACE Z (((0 0 0,0 1 0,1 1 0,1 0 0,0 0 0)),((0 0 1,1 0 1,1 1 1,0 1 1,0 0 1)),((0 0 0,1 0 0,1 0 1,0 0 1,0 0 0)),((1 1 0,0 1 0,0 1 1,1 1 1,1 1 0)),((0 0 0,0 0 1,0 1 1,0 1 0,0 0 0)),((1 0 0,1 1 0,1 1 1,1 0 1,1 0 0)))'::geometry AS geom;""")
    exp["cube"] = {"vertices": 24, "triangles": 12, "features": [1], "feature_of_vertex": [0] * 24,
                   "area": 6.0}

    # an L-shaped flat roof with a courtyard (6 + 4 points) and a square
    # roof, both with walls down to the ground, Lambert-93
    x0, y0 = 842000.0, 6519000.0
    L = [(x0, y0, 180), (x0 + 20, y0, 180), (x0 + 20, y0 + 10, 180), (x0 + 10, y0 + 10, 180),
         (x0 + 10, y0 + 20, 180), (x0, y0 + 20, 180)]
    court = [(x0 + 3, y0 + 3, 180), (x0 + 7, y0 + 3, 180), (x0 + 7, y0 + 7, 180), (x0 + 3, y0 + 7, 180)]
    sq = [(x0 + 40, y0, 176), (x0 + 48, y0, 176), (x0 + 48, y0 + 6, 176), (x0 + 40, y0 + 6, 176)]
    sql.append("CREATE TABLE t3d.lroof (id bigint, geom geometry, value float8, ground_z float8, properties jsonb);")
    sql.append("INSERT INTO t3d.lroof VALUES (10, ST_GeomFromText('%s', 2154), 1200, 170, '{\"name\": \"L\", \"levels\": 3}'),"
               " (20, ST_GeomFromText('%s', 2154), 900, 170, '{\"name\": \"square\"}');"
               % (wkt_polygon([L, court]), wkt_polygon([sq])))
    # roof: 10 points, 10 + 2 - 2 = 10 triangles; walls: one quad per edge
    # (6 outer + 4 courtyard) = 40 vertices, 20 triangles
    # areas: roof 20 x 10 + 10 x 10 - 4 x 4, walls perimeter x 10 m high
    l_area = 20 * 10 + 10 * 10 - 16 + sum(
        math.dist(a[:2], b[:2]) * 10 for ring in (L, court) for a, b in zip(ring, ring[1:] + ring[:1]))
    s_area = 48 + sum(math.dist(a[:2], b[:2]) * 6 for a, b in zip(sq, sq[1:] + sq[:1]))
    exp["lroof"] = {"vertices": 10 + 40 + 4 + 16, "triangles": 10 + 20 + 2 + 8, "features": [10, 20],
                    "feature_of_vertex": [0] * 50 + [1] * 20, "area": l_area + s_area,
                    "values": [1200, 900], "names": ["L", "square"]}

    # the real LoD2 house: one feature, roofs coloured by a value, walls and
    # ground in their own colours; in EPSG:3946 as published, and in
    # Lambert-93 for the precision test
    polys = house()
    rows = []
    nv = nt = 0
    area = 0.0
    for i, (kind, rings) in enumerate(polys):
        n = sum(len(r) for r in rings)
        nv += n
        nt += n + 2 * (len(rings) - 1) - 2
        area += newell_area(rings[0]) - sum(newell_area(r) for r in rings[1:])
        color = "NULL" if kind == "RoofSurface" else ("'#b0b0b0'" if kind == "WallSurface" else "'#606060'")
        value = "1100" if kind == "RoofSurface" else "NULL"
        rows.append("(%d, 69381133, ST_GeomFromText('%s', 3946), %s, %s, '{\"gml_id\": \"BU_69381AB133\", \"surface\": \"%s\"}')"
                    % (i + 1, wkt_polygon(rings), color, value, kind))
    sql.append("CREATE TABLE t3d.house (id bigint, feature_id bigint, geom geometry, color text, value float8, properties jsonb);")
    sql.append("INSERT INTO t3d.house VALUES\n  " + ",\n  ".join(rows) + ";")
    sql.append("CREATE TABLE t3d.house93 AS SELECT id, feature_id, ST_Transform(geom, 2154) AS geom, color, value, properties FROM t3d.house;")
    exp["house"] = {"vertices": nv, "triangles": nt, "features": [69381133], "feature_of_vertex": [0] * nv,
                    "area": area, "polygons": len(polys)}

    # a planned building highlighted by its colour, its neighbours coloured by the impact
    # computed for them (what issue 16's planned projects give), on the diverging ramp
    sql.append("CREATE TABLE t3d.planned (id bigint, geom geometry, color text, value float8, ground_z float8);")
    rows = []
    for k, (dx, color, impact) in enumerate([(0, "'#1f78b4'", "NULL"), (20, "NULL", "-30"), (40, "NULL", "0"), (60, "NULL", "40")]):
        sq = [(x0 + dx, y0 + 100, 185), (x0 + dx + 12, y0 + 100, 185), (x0 + dx + 12, y0 + 110, 185), (x0 + dx, y0 + 110, 185)]
        rows.append("(%d, ST_GeomFromText('%s', 2154), %s, %s, 170)" % (k + 1, wkt_polygon([sq]), color, impact))
    sql.append("INSERT INTO t3d.planned VALUES " + ", ".join(rows) + ";")
    exp["planned"] = {"roof_colors": {"1": "#1f78b4", "2": -30, "3": 0, "4": 40}, "wall_color": "#a6a6a6",
                      "ramp": ["#2166ac", "#67a9cf", "#f7f7f7", "#ef8a62", "#b2182b"], "range": [-50, 50]}

    with open(os.path.join(outdir, "fixtures.sql"), "w") as f:
        f.write("\n".join(sql) + "\n")
    with open(os.path.join(outdir, "expected.json"), "w") as f:
        json.dump(exp, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1])
