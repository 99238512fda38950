#!/usr/bin/python3
"""A CityJSON document as a CityJSONSeq (https://www.cityjson.org/cityjsonseq/), on stdout.

What `cjseq cat` does, written from the specification with the standard library only, so
that the tests can make a sequence of the real files in data/city3d/ (sql/city3d.sql):
  - line 1: a CityJSON object with the document's type, version, transform, metadata and
    geometry templates, "CityObjects": {} and "vertices": [];
  - then one CityJSONFeature per top-level object (one without "parents"), holding it and its
    children (recursively), "id" the top-level object's, and its own "vertices": those its
    geometries use, in the order first used, every boundary index renumbered into them (a
    GeometryInstance's reference point too). Appearances are left out (not imported).

    scripts/cityjson-to-seq.py file.city.json > file.city.jsonl
"""
import json
import sys


def renumber(b, old, new, verts):
    """The boundaries b with each vertex index replaced by its index in the feature."""
    if isinstance(b, list):
        return [renumber(x, old, new, verts) for x in b]
    if b not in new:
        new[b] = len(verts)
        verts.append(old[b])
    return new[b]


def main():
    doc = json.load(open(sys.argv[1], encoding='utf-8'))
    head = {'type': 'CityJSON', 'version': doc['version']}
    for k in ('transform', 'metadata', 'geometry-templates'):
        if k in doc:
            head[k] = doc[k]
    head['CityObjects'] = {}
    head['vertices'] = []
    out = [json.dumps(head, separators=(',', ':'))]
    objs = doc['CityObjects']
    for oid, o in objs.items():
        if o.get('parents'):
            continue
        members, todo = [], [oid]
        while todo:
            i = todo.pop(0)
            members.append(i)
            todo.extend(c for c in objs[i].get('children', []) if c in objs)
        new, verts, fobjs = {}, [], {}
        for i in members:
            o2 = dict(objs[i])
            o2['geometry'] = [dict(g, boundaries=renumber(g['boundaries'], doc['vertices'], new, verts))
                              for g in objs[i].get('geometry', [])]
            fobjs[i] = o2
        out.append(json.dumps({'type': 'CityJSONFeature', 'id': oid, 'CityObjects': fobjs,
                               'vertices': verts}, separators=(',', ':')))
    sys.stdout.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
