#!/usr/bin/python3
"""Write the demo's QGIS project, qgis/smartregion-demo.qgs, from the running demo database.

    QT_QPA_PLATFORM=offscreen PGPASSFILE=.tmp/demo.pgpass /usr/bin/python3 qgis/make_project.py

(`make demo` first.)  The layers (qgis/layers.py) are the hub's tables and the demo's
materialised client layers, each with its integer key, geometry type and SRID, styled: solar
roofs graduated by annual kWh/m2, activity zones by vacancy rate, communes by maturity score.
The project is written with the port the demo uses by default (54329) and no password: QGIS
asks for demo_reader's password once (printed by `make demo`), or reads it from PGPASSFILE.
Run again after changing layers.py or the styles; `make test-clients` opens the result with
qgis/check_project.py.  Needs Debian's python3-qgis (scripts/deps-clients.sh).
"""
import os
import re
import sys

os.environ.setdefault('QT_QPA_PLATFORM', 'offscreen')
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsDataSourceUri,   # noqa: E402
                       QgsFillSymbol, QgsGraduatedSymbolRenderer, QgsMarkerSymbol, QgsProject,
                       QgsRectangle, QgsRendererRange, QgsSingleSymbolRenderer, QgsVectorLayer,
                       QgsWkbTypes, QgsPalLayerSettings, QgsVectorLayerSimpleLabeling,
                       QgsTextFormat, QgsReferencedRectangle)
from qgis.PyQt.QtGui import QColor   # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layers import (DEMO_DB, DEMO_PORT, DEMO_USER, LAYERS, ROOF_CLASSES, ROOF_COLOURS,   # noqa: E402
                    SCORE_CLASSES, SCORE_COLOURS)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'qgis', 'smartregion-demo.qgs')


def uri_of(spec, port):
    u = QgsDataSourceUri()
    u.setConnection('127.0.0.1', str(port), DEMO_DB, DEMO_USER, '')
    u.setDataSource(spec.get('schema', 'hub'), spec['table'], spec.get('geom', 'geom'), '', spec['key'])
    u.setWkbType(QgsWkbTypes.parseType(spec['wkb']))
    u.setSrid(spec['crs'].split(':')[1])
    u.setParam('checkPrimaryKeyUnicity', '0')
    return u.uri(False)


def graduated(field, breaks, colours, outline='#00000000', label_fmt='{lo:g} - {hi:g}'):
    ranges = []
    for (lo, hi), col in zip(breaks, colours):
        sym = QgsFillSymbol.createSimple({'color': col, 'outline_color': outline, 'outline_width': '0.1'})
        ranges.append(QgsRendererRange(lo, hi, sym, label_fmt.format(lo=lo, hi=hi)))
    r = QgsGraduatedSymbolRenderer(field, ranges)
    return r


def style(layer, spec):
    t = spec['table']
    if t in ('solar_roofs_qgis', 'solar_roof_cells'):
        # the classes of the web map's legend (web/map/map.js)
        layer.setRenderer(graduated('annual_kwh_m2', ROOF_CLASSES, ROOF_COLOURS))
        if t == 'solar_roof_cells':
            # one feature per m2: drawn from the scale of a block only (1:2,500), over the roofs
            layer.setScaleBasedVisibility(True)
            layer.setMinimumScale(2500.0)
    elif t == 'buildings':
        layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(
            {'color': '#d9d9d9', 'outline_color': '#969696', 'outline_width': '0.1'})))
    elif t == 'zae_zone_indicators':
        layer.setRenderer(graduated('vacancy_rate', [(0, 0.05), (0.05, 0.15), (0.15, 1)],
                                    ['#ffffcc', '#fd8d3c', '#bd0026'], outline='#333333'))
        lab = QgsPalLayerSettings()
        lab.fieldName = "site_nom || '\n' || 'vacancy ' || round(100 * vacancy_rate) || ' %'"
        lab.isExpression = True
        fmt = QgsTextFormat()
        fmt.setSize(8)
        lab.setFormat(fmt)
        layer.setLabeling(QgsVectorLayerSimpleLabeling(lab))
        layer.setLabelsEnabled(True)
    elif t == 'maturity_commune_scores':
        layer.setRenderer(graduated('score', SCORE_CLASSES, SCORE_COLOURS, outline='#ffffff'))
    elif t == 'premises':
        layer.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
            {'name': 'circle', 'color': '#6a3d9a', 'size': '1.8', 'outline_color': '#ffffff'})))


def main():
    port = int(os.environ.get('PGPORT_DEMO', os.environ.get('SR_PGPORT', DEMO_PORT)))
    QgsApplication.setPrefixPath('/usr', True)
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    project.clear()
    project.setTitle('smartregion demo: solar cadastre, activity zones, digital maturity')
    project.setCrs(QgsCoordinateReferenceSystem('EPSG:2154'))
    root = project.layerTreeRoot()
    roofs = None
    for spec in LAYERS:
        layer = QgsVectorLayer(uri_of(spec, port), spec['name'], 'postgres')
        if not layer.isValid():
            sys.exit('layer %s is not valid: %s' % (spec['table'], layer.error().summary()))
        style(layer, spec)
        project.addMapLayer(layer, False)
        node = root.insertLayer(0, layer)
        node.setItemVisibilityChecked(spec['visible'])
        if spec['table'] == 'solar_roofs_qgis':
            roofs = layer
    # open on Lyon 1er
    ext = roofs.extent()
    project.viewSettings().setDefaultViewExtent(
        QgsReferencedRectangle(QgsRectangle(ext), QgsCoordinateReferenceSystem('EPSG:2154')))
    if not project.write(OUT):
        sys.exit('could not write %s' % OUT)
    app.exitQgis()
    # the shipped project names the default port, not the one of this work tree
    with open(OUT, encoding='utf-8') as f:
        text = f.read()
    text = re.sub(r"port=%d\b" % port, 'port=%d' % DEMO_PORT, text)
    with open(OUT, 'w', encoding='utf-8') as f:
        f.write(text)
    print('wrote %s (%d layers)' % (os.path.relpath(OUT, ROOT), len(LAYERS)))


if __name__ == '__main__':
    main()
