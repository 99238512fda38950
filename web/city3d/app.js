// The city in 3D: the tileset smartregion.city_tileset wrote, on a plain
// globe (no imagery, no terrain: nothing outside this server is fetched),
// coloured by the value the tiles carry, with its legend (from the
// tileset's extras) and a panel showing the properties of the clicked
// feature (EXT_structural_metadata, read by CesiumJS).
/* global Cesium */
'use strict';

// what a test (web/tests/city3d.test.mjs) can watch: ready once the camera is on the tileset,
// the tiles' errors, the clicks handled and the properties of the last feature picked
window.city3d = { ready: false, loaded: false, errors: [], clicks: 0, picked: null };

const viewer = new Cesium.Viewer('map', {
  baseLayer: false,
  terrainProvider: new Cesium.EllipsoidTerrainProvider(),
  baseLayerPicker: false, geocoder: false, homeButton: false, sceneModePicker: false,
  navigationHelpButton: false, animation: false, timeline: false, fullscreenButton: false,
  infoBox: false, selectionIndicator: false, skyBox: false, skyAtmosphere: false,
  contextOptions: { webgl: { preserveDrawingBuffer: true } },
});
window.viewer = viewer;
viewer.scene.globe.baseColor = Cesium.Color.fromCssColorString('#dcd8cc');
viewer.scene.backgroundColor = Cesium.Color.fromCssColorString('#a9c4dc');
viewer.scene.globe.showGroundAtmosphere = false;
viewer.scene.fog.enabled = false;
// the sun high over Lyon (a June noon), so that roofs are lit as on the cadastre's best day
viewer.clock.currentTime = Cesium.JulianDate.fromIso8601('2024-06-21T11:00:00Z');
viewer.clock.shouldAnimate = false;

const fmt = (v) => {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(1);
  if (typeof v === 'bigint') return v.toString();
  return v === undefined || v === null || v === '' ? '—' : String(v);
};

function legend(ex) {
  if (!ex) return;
  document.getElementById('legend-title').textContent = ex.value_name.replace(/_/g, ' ');
  document.getElementById('legend-ramp').style.background = `linear-gradient(to right, ${ex.ramp_stops.join(', ')})`;
  if (ex.value_range) {
    document.getElementById('legend-min').textContent = fmt(ex.value_range[0]);
    document.getElementById('legend-max').textContent = fmt(ex.value_range[1]);
  }
  document.getElementById('legend-wall-swatch').style.background = ex.wall_color;
  document.getElementById('legend').hidden = false;
}

function showFeature(feature) {
  const table = document.getElementById('panel-table');
  table.textContent = '';
  const props = {};
  for (const id of feature.getPropertyIds()) {
    const v = feature.getProperty(id);
    props[id] = typeof v === 'bigint' ? Number(v) : v;
    const tr = table.insertRow();
    tr.insertCell().textContent = id.replace(/_/g, ' ');
    tr.insertCell().textContent = fmt(v);
    tr.cells[1].dataset.property = id;
  }
  window.city3d.picked = props;
  document.getElementById('panel').hidden = false;
}

async function main() {
  const tileset = await Cesium.Cesium3DTileset.fromUrl('data/tileset.json', { maximumScreenSpaceError: 8 });
  window.tileset = tileset;
  viewer.scene.primitives.add(tileset);
  tileset.tileFailed.addEventListener((e) => window.city3d.errors.push(`${e.url}: ${e.message}`));
  tileset.allTilesLoaded.addEventListener(() => {
    window.city3d.loaded = true;
    document.getElementById('status').hidden = true;
  });
  tileset.loadProgress.addEventListener((pending, processing) => {
    if (pending + processing > 0) window.city3d.loaded = false;
  });
  legend(tileset.extras?.smartregion);
  await viewer.zoomTo(tileset, new Cesium.HeadingPitchRange(Cesium.Math.toRadians(20), Cesium.Math.toRadians(-50),
    tileset.boundingSphere.radius * 1.9));
  viewer.screenSpaceEventHandler.setInputAction((click) => {
    const picked = viewer.scene.pick(click.position);
    if (picked instanceof Cesium.Cesium3DTileFeature) showFeature(picked);
    window.city3d.clicks++;
  }, Cesium.ScreenSpaceEventType.LEFT_CLICK);
  window.city3d.ready = true;
}

main().catch((e) => {
  window.city3d.errors.push(String(e && e.stack || e));
  document.getElementById('status').textContent = `could not load the tileset: ${e}`;
});
