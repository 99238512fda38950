#!/usr/bin/python3
"""Open the demo's QGIS project headless and check it: every layer valid, with the feature
count, geometry type and CRS of qgis/layers.py; then render the solar roofs (and their cells, at a
block's scale only) and the communes'
maturity to PNG files.  Run by `make test-clients` (scripts/test-clients.sh) against the demo
database; prints TAP lines ("ok - ..." / "not ok - ...").

    QT_QPA_PLATFORM=offscreen PGPASSFILE=.tmp/demo.pgpass /usr/bin/python3 qgis/check_project.py OUTDIR

When the demo listens on another port than 54329 (SR_PGPORT), the project is opened from a
copy with that port.  Needs Debian's python3-qgis.
"""
import os
import re
import sys
import tempfile

os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')
from qgis.core import (QgsApplication, QgsMapRendererParallelJob, QgsMapSettings,   # noqa: E402
                       QgsProject, QgsWkbTypes, QgsVectorLayer, QgsRectangle, QgsFeatureRequest)
from qgis.PyQt.QtCore import QSize, qInstallMessageHandler   # noqa: E402
from qgis.PyQt.QtGui import QColor   # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layers import DEMO_PORT, LAYERS   # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROJECT = os.path.join(ROOT, 'qgis', 'smartregion-demo.qgs')
results = []


def tap(ok, what, detail=''):
    results.append(ok)
    print('%s - qgis: %s%s' % ('ok' if ok else 'not ok', what, (' (%s)' % detail) if detail else ''))


def render(layers, extent, path, size=(1000, 800)):
    s = QgsMapSettings()
    s.setLayers(layers)
    s.setDestinationCrs(QgsProject.instance().crs())
    s.setExtent(extent)
    s.setOutputSize(QSize(*size))
    s.setBackgroundColor(QColor('white'))
    job = QgsMapRendererParallelJob(s)
    job.start()
    job.waitForFinished()
    img = job.renderedImage()
    img.save(path, 'png')
    # a map, not a blank page: count the pixels that are not the background
    painted = 0
    for y in range(0, img.height(), 4):
        for x in range(0, img.width(), 4):
            if img.pixelColor(x, y) != QColor('white'):
                painted += 1
    return painted / ((img.width() // 4) * (img.height() // 4))


# the warnings QGIS writes while it reads the layers (QgsLogger::warning goes through Qt's
# message handler, not the message log): its postgres provider parses every json/jsonb value,
# and a NULL one, read as empty text, logged "Cannot parse json" once per feature read
warnings = []


def on_qt_message(kind, context, message):
    warnings.append(message)
    sys.stderr.write(message + '\n')


def main():
    qInstallMessageHandler(on_qt_message)
    outdir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '.tmp', 'clients')
    os.makedirs(outdir, exist_ok=True)
    port = int(os.environ.get('SR_PGPORT', DEMO_PORT))
    path = PROJECT
    if port != DEMO_PORT:
        with open(PROJECT, encoding='utf-8') as f:
            text = re.sub(r'port=%d\b' % DEMO_PORT, 'port=%d' % port, f.read())
        path = os.path.join(tempfile.mkdtemp(prefix='qgis-', dir=outdir), 'smartregion-demo.qgs')
        with open(path, 'w', encoding='utf-8') as f:
            f.write(text)
    QgsApplication.setPrefixPath('/usr', True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    tap(project.read(path), 'the project opens', os.path.relpath(PROJECT, ROOT))
    tap(project.crs().authid() == 'EPSG:2154', 'the project CRS is Lambert-93', project.crs().authid())
    by_table = {}
    for lyr in project.mapLayers().values():
        m = re.search(r'table="(hub[a-z_]*)"\."([^"]+)"', lyr.source())
        if m:
            by_table[m.group(2)] = lyr
    tap(len(project.mapLayers()) == len(LAYERS), 'the project has %d layers' % len(LAYERS),
        '%d found' % len(project.mapLayers()))
    for spec in LAYERS:
        lyr = by_table.get(spec['table'])
        what = 'layer %s' % spec['table']
        if lyr is None:
            tap(False, what + ' is in the project')
            continue
        tap(lyr.isValid(), what + ' is valid', '' if lyr.isValid() else lyr.error().summary())
        if not lyr.isValid():
            continue
        n = lyr.featureCount()
        tap(n == spec['count'], what + ' has %d features' % spec['count'], 'got %d' % n)
        wkb = QgsWkbTypes.displayString(lyr.wkbType())
        tap(lyr.wkbType() == QgsWkbTypes.parseType(spec['wkb']), what + ' geometry type is ' + spec['wkb'],
            'got ' + wkb)
        tap(lyr.crs().authid() == spec['crs'], what + ' CRS is ' + spec['crs'], 'got ' + lyr.crs().authid())
        key = lyr.dataProvider().pkAttributeIndexes()
        keyname = [lyr.fields()[i].name() for i in key]
        tap(keyname == [spec['key']], what + ' key is ' + spec['key'], 'got %s' % keyname)
        # what QGIS reads from geometry_columns alone, when the URI states no type nor SRID
        bare = QgsVectorLayer(re.sub(r" (srid|type)=\S+", '', lyr.source()), 'bare', 'postgres')
        tap(bare.isValid() and bare.wkbType() == QgsWkbTypes.parseType(spec['wkb'])
            and bare.crs().authid() == spec['crs'],
            what + ': geometry_columns gives its type and SRID',
            '%s, %s' % (QgsWkbTypes.displayString(bare.wkbType()), bare.crs().authid()))
        # read every feature: no broken geometry on the way
        bad = sum(1 for f in lyr.getFeatures() if not f.hasGeometry() or f.geometry().isEmpty())
        tap(bad == 0, what + ': every feature has a geometry', '%d without' % bad)
    roofs, buildings = by_table.get('solar_roofs_qgis'), by_table.get('buildings')
    if roofs is not None and roofs.isValid():
        ext = QgsProject.instance().viewSettings().defaultViewExtent()
        png = os.path.join(outdir, 'qgis-solar-roofs.png')
        share = render([roofs, buildings], QgsRectangle(ext) if not ext.isEmpty() else roofs.extent(), png)
        tap(share > 0.2, 'the solar roofs render (%s)' % os.path.relpath(png, ROOT), '%.0f %% painted' % (100 * share))
        # the cells alone: drawn at the scale of a block around the largest roof, not at the
        # district's (scale-dependent visibility, 1:2,500)
        cells = by_table.get('solar_roof_cells')
        if cells is not None and cells.isValid():
            tap(cells.hasScaleBasedVisibility() and cells.minimumScale() == 2500.0,
                'the roofs\' cells are drawn from 1:2,500 only',
                '%s, 1:%g' % (cells.hasScaleBasedVisibility(), cells.minimumScale()))
            big = next(roofs.getFeatures(QgsFeatureRequest().addOrderBy('area_m2', False).setLimit(1)))
            c = big.geometry().centroid().asPoint()
            png = os.path.join(outdir, 'qgis-solar-cells.png')
            share = render([cells], QgsRectangle(c.x() - 75, c.y() - 60, c.x() + 75, c.y() + 60), png)
            tap(share > 0.2, 'the cells render at the scale of a block (%s)' % os.path.relpath(png, ROOT),
                '%.0f %% painted' % (100 * share))
            share = render([cells], QgsRectangle(ext) if not ext.isEmpty() else roofs.extent(),
                           os.path.join(outdir, 'qgis-solar-cells-district.png'))
            tap(share == 0, 'the cells are not drawn at the district\'s scale', '%.0f %% painted' % (100 * share))
    communes = by_table.get('maturity_commune_scores')
    if communes is not None and communes.isValid():
        png = os.path.join(outdir, 'qgis-maturity.png')
        from qgis.core import QgsCoordinateTransform
        tr = QgsCoordinateTransform(communes.crs(), project.crs(), project)
        rhone = QgsRectangle()
        for f in communes.getFeatures("departement_code = '69'"):
            rhone.combineExtentWith(f.geometry().boundingBox())
        share = render([communes], tr.transformBoundingBox(rhone), png)
        tap(share > 0.2, 'the communes render (%s)' % os.path.relpath(png, ROOT), '%.0f %% painted' % (100 * share))
    json = [w for w in warnings if 'Cannot parse json' in w]
    tap(not json, 'no "Cannot parse json" warning while reading the layers',
        '%d, the first: %s' % (len(json), json[0][:120]) if json else '')
    app.exitQgis()
    print('# qgis: %d passed, %d failed' % (sum(results), len(results) - sum(results)))
    return 0 if all(results) else 1


if __name__ == '__main__':
    sys.exit(main())
