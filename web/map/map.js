// The roofs of the solar cadastre coloured by annual irradiation (docs/web.md).  Tiles come
// from smartregion.solar_tile through the server (/tiles/solar/{z}/{x}/{y}.pbf); their
// attributes are numbers, so the style compares annual_kwh_m2 directly (no to-number).  From
// zoom CELLS_ZOOM, the roofs' 1 m cells (hub.solar_roof_cells, smartregion.solar_cells_tile:
// /tiles/solar_cells/...) show where on each roof the sun is, the roofs as outlines on top.
/* global maplibregl */
'use strict';

// the classes of the QGIS project's legend (qgis/layers.py, ROOF_CLASSES): an unshaded flat
// roof of the Lyon-Bron year receives 1,321 kWh/m2
const CLASSES = [
  { from: 0, to: 600, colour: '#313695' },
  { from: 600, to: 900, colour: '#74add1' },
  { from: 900, to: 1100, colour: '#e0f3f8' },
  { from: 1100, to: 1200, colour: '#fee090' },
  { from: 1200, to: 1280, colour: '#f46d43' },
  { from: 1280, to: null, colour: '#a50026' },
];
const CELLS_ZOOM = 18;
const fillColour = ['step', ['get', 'annual_kwh_m2'], CLASSES[0].colour];
for (const c of CLASSES.slice(1)) fillColour.push(c.from, c.colour);

const fmt = (v, digits) => (typeof v === 'number'
  ? v.toLocaleString('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a');

// the legend
const ul = document.getElementById('classes');
for (const c of CLASSES) {
  const li = document.createElement('li');
  li.innerHTML = `<span class="swatch" style="background:${c.colour}"></span>`
    + (c.to === null ? `${fmt(c.from, 0)} and more` : `${fmt(c.from, 0)} – ${fmt(c.to, 0)}`);
  ul.appendChild(li);
}

const map = new maplibregl.Map({
  container: 'map',
  center: [4.8335, 45.7685],   // Lyon 1er
  zoom: 15.6,
  maxZoom: 20,
  hash: true,
  attributionControl: { compact: false },
  style: {
    version: 8,
    sources: {
      solar: {
        type: 'vector',
        tiles: [`${window.location.origin}/tiles/solar/{z}/{x}/{y}.pbf`],
        minzoom: 12,
        maxzoom: 17,
        attribution: 'IGN BD TOPO 2019 (Licence Ouverte 2.0), Lyon-Bron TMYx; smartregion',
      },
      cells: {
        type: 'vector',
        tiles: [`${window.location.origin}/tiles/solar_cells/{z}/{x}/{y}.pbf`],
        minzoom: 18,
        maxzoom: 19,
      },
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#f4f2ee' } },
      {
        id: 'roofs', type: 'fill', source: 'solar', 'source-layer': 'roofs', maxzoom: CELLS_ZOOM,
        paint: { 'fill-color': fillColour, 'fill-outline-color': '#555555' },
      },
      {
        id: 'cells', type: 'fill', source: 'cells', 'source-layer': 'cells', minzoom: CELLS_ZOOM,
        paint: { 'fill-color': fillColour },
      },
      {
        id: 'roofs-outline', type: 'line', source: 'solar', 'source-layer': 'roofs', minzoom: CELLS_ZOOM,
        paint: { 'line-color': '#333333', 'line-width': 1 },
      },
      {
        id: 'roofs-selected', type: 'line', source: 'solar', 'source-layer': 'roofs',
        filter: ['==', ['get', 'building_id'], -1],
        paint: { 'line-color': '#000000', 'line-width': 2.5 },
      },
    ],
  },
});
map.addControl(new maplibregl.NavigationControl(), 'top-right');
map.addControl(new maplibregl.ScaleControl(), 'bottom-right');

const status = document.getElementById('status');
// the tiles of the current view that failed (a 500 of the server, a statement timeout under
// load): the view is drawn without them, so the status line says so until the map moves,
// instead of counting what arrived as if it were all
let failedTiles = 0;
let failedWhy = '';
map.on('movestart', () => { failedTiles = 0; });
map.on('idle', () => {
  const cells = map.getZoom() >= CELLS_ZOOM;
  const n = map.queryRenderedFeatures({ layers: [cells ? 'cells' : 'roofs'] }).length;
  status.textContent = `${n.toLocaleString('en-GB')} ${cells ? 'roof cells' : 'roof faces'} in view, `
    + `zoom ${map.getZoom().toFixed(1)}`
    + (failedTiles ? ` (${failedTiles} tile${failedTiles > 1 ? 's' : ''} could not be loaded: ${failedWhy})` : '');
  status.classList.toggle('failed', failedTiles > 0);
  window.srReady = true;
});
map.on('error', (e) => {
  const why = String(e.error && e.error.message);
  if (e.sourceId) { failedTiles += 1; failedWhy = why; }
  status.textContent = `error: ${why}`;
  window.srErrors = (window.srErrors || []).concat([why]);
});

// a click outlines the face and shows its values (a roof's, or from CELLS_ZOOM a cell's)
const row = (k, v, cls) => `<tr><td>${k}</td><td class="v" data-field="${cls}">${v}</td></tr>`;
function popup(e, className, title, rows) {
  const p = e.features[0].properties;
  map.setFilter('roofs-selected', ['all', ['==', ['get', 'building_id'], p.building_id],
                                   ['==', ['get', 'face'], p.face]]);
  new maplibregl.Popup({ className, maxWidth: '320px' })
    .setLngLat(e.lngLat)
    .setHTML(`<b>Building ${p.building_id}, face ${p.face}${title}</b><table>${rows(p).join('')}</table>`)
    .addTo(map);
}
map.on('click', 'roofs', (e) => popup(e, 'roof-popup', '', (p) => [
  row('annual irradiation', `${fmt(p.annual_kwh_m2, 1)} kWh/m²`, 'annual_kwh_m2'),
  row('PV power', `${fmt(p.pv_kwp, 2)} kWp`, 'pv_kwp'),
  row('PV yield', `${fmt(p.pv_kwh_year, 0)} kWh/year`, 'pv_kwh_year'),
  row('shading loss', `${fmt(p.shading_loss_pct, 1)} %`, 'shading_loss_pct'),
  row('potential class', p.potential_class, 'potential_class'),
]));
map.on('click', 'cells', (e) => popup(e, 'roof-popup cell-popup', ': a 1 m cell', (p) => [
  row('annual irradiation', `${fmt(p.annual_kwh_m2, 1)} kWh/m²`, 'annual_kwh_m2'),
  row('on the PV modules\' plane', `${fmt(p.pv_plane_kwh_m2, 1)} kWh/m²`, 'pv_plane_kwh_m2'),
  row('usable area', `${fmt(p.usable_area_m2, 2)} m²`, 'usable_area_m2'),
  row('worth equipping', p.sunny ? 'yes' : (p.usable_area_m2 > 0 ? 'no' : 'no (setback)'), 'sunny'),
]));
for (const l of ['roofs', 'cells']) {
  map.on('mouseenter', l, () => { map.getCanvas().style.cursor = 'pointer'; });
  map.on('mouseleave', l, () => { map.getCanvas().style.cursor = ''; });
}
window.srMap = map;
