#!/usr/bin/python3
"""The documented ogr2ogr exports (docs/gdal.md), run and checked: `make test-clients`.

Runs every ```sh block of docs/gdal.md in order with bash from the repository root (the port
54329 of the page replaced by SR_PGPORT's), then opens each output with GDAL's Python bindings
and checks its layers: geometry type, feature count, SRID, FID column, field types.  The
expected values are the demo's (scripts/demo-*.sql); the count of the cadastre computed on the
fly is the number of its buildings in the hub (one flat roof face each).  Every file the page
writes must have an expectation here, and every expectation a file.  Prints TAP lines.
Debian's gdal-bin and python3-gdal.
"""
import os
import re
import subprocess
import sys

from osgeo import ogr, osr

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGE = os.path.join(ROOT, 'docs', 'gdal.md')
OUT = os.path.join(ROOT, '.tmp', 'exports')
ogr.UseExceptions()

# file -> layer -> expectations
EXPECT = {
    'solar_roofs.gpkg': {'solar_roofs': dict(geom=ogr.wkbPolygon25D, count=2576, epsg=2154, fid='roof_id',
                                             fields={'annual_kwh_m2': 'Real', 'pv_kwp': 'Real',
                                                     'potential_class': 'String'})},
    # sector_diversity is NULL in every published zone of the demo (a suppressed cell): GeoJSON
    # cannot say its type, GDAL reads it as String (docs/gdal.md); the typed copy says Real
    'zae_zone_indicators.geojson': {'zae_zone_indicators': dict(geom=ogr.wkbMultiPolygon, count=5, epsg=4326,
                                                                fields={'vacancy_rate': 'Real',
                                                                        'zone_id': 'Integer',
                                                                        'sector_diversity': 'String'},
                                                                all_null=['sector_diversity'])},
    'zae_zone_indicators_typed.gpkg': {'zae_zone_indicators': dict(geom=ogr.wkbMultiPolygon, count=5, epsg=4326,
                                                                   fields={'vacancy_rate': 'Real',
                                                                           'zone_id': 'Integer',
                                                                           'sector_diversity': 'Real',
                                                                           'site_nom': 'String'},
                                                                   all_null=['sector_diversity'])},
    'cadastre.gpkg': {'cadastre': dict(geom=ogr.wkbPolygon25D, count='buildings below 13400000', epsg=2154,
                                       fields={'annual_kwh_m2': 'Real'})},
    'site_eco.gpkg': {'site_eco': dict(geom=ogr.wkbMultiPolygon, count=5, epsg=4326,
                                       fields={'site_id': 'String', 'site_taux_vacance': 'Integer'},
                                       absent=['site_geompoint']),
                      'site_eco_point': dict(geom=ogr.wkbPoint, count=5, epsg=4326, fields={'site_id': 'String'})},
    'tiles/15/16823/11687.pbf': {'roofs': dict(geom=ogr.wkbMultiPolygon, count='more than 1000', epsg=3857,
                                               fields={'annual_kwh_m2': 'Real', 'shading_loss_pct': 'Real',
                                                       'pv_kwp': 'Real', 'pv_kwh_year': 'Real',
                                                       'building_id': 'Integer', 'potential_class': 'String'})},
}
results = []


def tap(ok, what, detail=''):
    results.append(bool(ok))
    print('%s - gdal: %s%s' % ('ok' if ok else 'not ok', what, (' (%s)' % detail) if detail else ''))


def sh_blocks(text):
    return re.findall(r'^```sh\n(.*?)^```', text, re.S | re.M)


def psql_value(sql):
    env = dict(os.environ)
    out = subprocess.run(['bash', '-c', 'eval "$(scripts/cluster.sh env)"; psql -X -At -d smartregion_demo -c "$0"', sql],
                         cwd=ROOT, capture_output=True, text=True, env=env)
    return out.stdout.strip()


def main():
    port = os.environ.get('SR_PGPORT', '54329')
    with open(PAGE, encoding='utf-8') as f:
        blocks = sh_blocks(f.read())
    tap(len(blocks) >= 5, 'docs/gdal.md has its command blocks', '%d blocks' % len(blocks))
    if os.path.isdir(OUT):
        subprocess.run(['rm', '-rf', OUT])
    script = 'set -euo pipefail\n' + '\n'.join(re.sub(r'\bport=54329\b', 'port=' + port, b) for b in blocks)
    p = subprocess.run(['bash', '-c', script], cwd=ROOT, capture_output=True, text=True,
                       env=dict(os.environ, SR_PGPORT=port), timeout=600)
    tap(p.returncode == 0, 'the commands of docs/gdal.md run', (p.stderr.strip().splitlines() or [''])[-1][:300])
    written = set()
    for dirpath, _, files in os.walk(OUT):
        for fn in files:
            written.add(os.path.relpath(os.path.join(dirpath, fn), OUT))
    tap(written == set(EXPECT), 'every file the page writes is checked, and only those',
        'written %s' % sorted(written))
    for fn, layers in EXPECT.items():
        path = os.path.join(OUT, fn)
        if not os.path.exists(path):
            tap(False, '%s exists' % fn)
            continue
        ds = ogr.Open(path)
        for name, e in layers.items():
            lyr = ds.GetLayerByName(name)
            what = '%s layer %s' % (fn, name)
            if lyr is None:
                tap(False, what + ' exists', 'layers: %s' % [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())])
                continue
            gt = lyr.GetGeomType()
            tap(gt == e['geom'], what + ' is ' + ogr.GeometryTypeToName(e['geom']), ogr.GeometryTypeToName(gt))
            n = lyr.GetFeatureCount()
            want = e['count']
            if want == 'more than 1000':
                tap(n > 1000, what + ' has more than 1000 features', str(n))
            elif isinstance(want, str):
                want = int(psql_value('SELECT count(*) FROM hub.buildings WHERE id < 13400000'))
                tap(n == want, what + ' has one feature per building (%d)' % want, str(n))
            else:
                tap(n == want, what + ' has %d features' % want, str(n))
            srs = lyr.GetSpatialRef()
            epsg = None
            if srs is not None:
                srs.AutoIdentifyEPSG()
                epsg = srs.GetAuthorityCode(None)
            tap(epsg == str(e['epsg']), what + ' is in EPSG:%d' % e['epsg'], 'EPSG:%s' % epsg)
            if 'fid' in e:
                tap(lyr.GetFIDColumn() == e['fid'], what + ' has FID ' + e['fid'], lyr.GetFIDColumn())
            defn = lyr.GetLayerDefn()
            fields = {defn.GetFieldDefn(i).GetName(): defn.GetFieldDefn(i).GetFieldTypeName(defn.GetFieldDefn(i).GetType())
                      for i in range(defn.GetFieldCount())}
            for k, t in e.get('fields', {}).items():
                tap(fields.get(k) == t, '%s field %s is %s' % (what, k, t), fields.get(k, 'missing'))
            for k in e.get('all_null', []):
                # the case the page describes: a column without a value on any row
                vals = [f.GetField(k) for f in lyr] if k in fields else ['missing']
                lyr.ResetReading()
                tap(all(v is None for v in vals), '%s field %s is NULL on every row' % (what, k),
                    'values %s' % vals[:5])
            for k in e.get('absent', []):
                geoms = [defn.GetGeomFieldDefn(i).GetName() for i in range(defn.GetGeomFieldCount())]
                tap(k not in fields and k not in geoms, '%s has no %s (one geometry per layer)' % (what, k),
                    'geometry %s' % geoms)
    print('# gdal: %d passed, %d failed' % (sum(results), len(results) - sum(results)))
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
