"""The layers of the demo's QGIS project (qgis/smartregion-demo.qgs): one place for the
project generator (make_project.py) and the headless test (check_project.py).

Each layer: the name shown in QGIS, the hub table, view or materialised view (schema hub unless
said), its geometry column,
its integer key, the geometry type and CRS that geometry_columns gives, and the number of
features of the demo database (scripts/demo-*.sql: 2,576 BD TOPO buildings of Lyon 1er with one
flat roof face each, their 598,425 cells of 1 m, the 1,512 tiers-lieux of the 2019 census, 5 synthetic activity zones on the
real cadastre of Paray-Vieille-Poste and Juvisy-sur-Orge, the 598 communes of the Rhône and of
Ille-et-Vilaine with an IGN GEOFLA contour).
"""

DEMO_DB = 'smartregion_demo'
DEMO_USER = 'demo_reader'
DEMO_PORT = 54329          # SR_PGPORT's default: the port written in the shipped project

LAYERS = [
    dict(name='Digital maturity of the communes (framework demo)', table='maturity_commune_scores',
         key='commune_key', wkb='MultiPolygon', crs='EPSG:4326', count=598, visible=False),
    dict(name='Activity zones: published indicators', table='zae_zone_indicators',
         key='zone_id', wkb='MultiPolygon', crs='EPSG:2154', count=5, visible=False),
    # the analysts' pseudonymised view: the owners are personal data (docs/governance.md)
    dict(name='Tiers-lieux (2019 census)', schema='hub_pseudo', table='premises', geom='location',
         key='id', wkb='Point', crs='EPSG:4326', count=1512, visible=False),
    dict(name='Buildings (BD TOPO, Lyon 1er)', table='buildings',
         key='id', wkb='MultiPolygonZ', crs='EPSG:2154', count=2576, visible=True),
    # hub.solar_roofs with economics as text (scripts/demo-zx-client-layers.sql): QGIS 3.22
    # logs "Cannot parse json" for every NULL jsonb value it reads
    dict(name='Solar roofs: annual irradiation (kWh/m2)', table='solar_roofs_qgis',
         key='roof_id', wkb='PolygonZ', crs='EPSG:2154', count=2576, visible=True),
    # where on each roof the sun is: one 1 m cell per m2 of roof, drawn from 1:2,500 only
    # (make_project.py)
    dict(name='Solar roofs: 1 m cells, annual irradiation (kWh/m2)', table='solar_roof_cells',
         key='cell_id', wkb='PolygonZ', crs='EPSG:2154', count=598425, visible=True),
]

# classes of the solar roofs (annual kWh/m2), shared with the web map's legend
# (web/map/map.js): an unshaded flat roof of the Lyon-Bron year gets 1,321
ROOF_CLASSES = [(0, 600), (600, 900), (900, 1100), (1100, 1200), (1200, 1280), (1280, 2000)]
ROOF_COLOURS = ['#313695', '#74add1', '#e0f3f8', '#fee090', '#f46d43', '#a50026']
# classes of the maturity scores (0-100)
SCORE_CLASSES = [(0, 40), (40, 45), (45, 50), (50, 55), (55, 100)]
SCORE_COLOURS = ['#edf8fb', '#b2e2e2', '#66c2a4', '#2ca25f', '#006d2c']
