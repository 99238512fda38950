// The city in 3D in a real browser (make test-clients): Debian's chromium,
// headless, WebGL through SwiftShader, driven by puppeteer-core (no browser
// download).  Waits for the tiles, checks that the tileset loaded with no
// error and that the legend shows, clicks a known roof (the largest
// building of Lyon 1er, from the database: scripts/city3d-export.sh) and
// checks the panel shows its value, and saves a screenshot for the docs.
//   node web/tests/city3d.test.mjs URL KNOWN_ROOF_JSON SCREENSHOT_PNG
// Prints TAP lines and "clients city3d: N passed, N failed".
// It waits for events, never for a fixed time: after the page is ready and after each camera
// move, for a drawn frame (CesiumJS's scene.postRender) in which the tileset has every tile
// the view needs loaded and processed (tileset.tilesLoaded: no request pending, none
// processing, none waiting for a slot) and the globe too, two frames running; a tile that
// fails (tileset.tileFailed) or a render error ends the wait at once.  Each wait lasts at most
// SR_CITY3D_WAIT_MS (default 240 s) and the whole test SR_CITY3D_TOTAL_MS (default 540 s,
// within test-clients.sh's 600): a wait that ends fails the test with what it waited for and
// the tileset's counts (requests pending, tiles processing, loaded).
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';
import { tilesetBuildingIds } from './glb.mjs';

const [url, knownFile, shot] = process.argv.slice(2);
const known = JSON.parse(fs.readFileSync(knownFile));
let n = 0, failed = 0;
function check(ok, desc, detail) {
  n++;
  if (ok) console.log(`ok ${n} - ${desc}`);
  else { failed++; console.log(`not ok ${n} - ${desc}`); if (detail) console.log(`#   ${detail}`); }
}

const WAIT_MS = Number(process.env.SR_CITY3D_WAIT_MS ?? 240000);
const TOTAL_MS = Number(process.env.SR_CITY3D_TOTAL_MS ?? 540000);
let step = 'starting';   // what the test is doing, for a wait or a run that does not end
const watchdog = setTimeout(() => {
  check(false, 'the browser test ran to its end', `stopped after ${TOTAL_MS / 1000} s while ${step}`);
  console.log(`clients city3d: ${n - failed} passed, ${failed} failed`);
  process.exit(1);
}, TOTAL_MS);

// wait (at most WAIT_MS) until the page's condition holds; else an error naming what the test
// waited for
async function until(page, what, fn, arg) {
  step = `waiting for ${what}`;
  try {
    await page.waitForFunction(fn, { timeout: WAIT_MS, polling: 100 }, arg);
  } catch (e) {
    throw new Error(`${what}: not after ${WAIT_MS / 1000} s (${e.message})`);
  }
}
// (in the page) resolve at the first two drawn frames running (scene.postRender) in which the
// tileset and the globe have loaded every tile the current view needs; at once with the reason
// when a tile fails, the scene cannot render or the page has logged a tileset error; the
// tileset's counts in any case.  A render is asked for, so a view already loaded ends too.
async function drawn(page, what) {
  step = `waiting for ${what}`;
  const r = await page.evaluate((ms) => new Promise((resolve) => {
    const scene = window.viewer.scene;
    const ts = window.tileset;
    const counts = () => ({ frames, pending: ts.statistics.numberOfPendingRequests,
      processing: ts.statistics.numberOfTilesProcessing, waiting: ts.statistics.numberOfAttemptedRequests,
      loaded: ts.statistics.numberOfLoadedTilesTotal, ready: ts.statistics.numberOfTilesWithContentReady,
      selected: ts.statistics.selected, triangles: ts.statistics.numberOfTrianglesSelected,
      globe: scene.globe.tilesLoaded });
    let frames = 0;
    let running = 0;
    const off = [];
    let timer = null;
    const done = (v) => { clearTimeout(timer); off.forEach((f) => f()); resolve({ ...v, ...counts() }); };
    timer = setTimeout(() => done({ ok: false, why: `not after ${ms / 1000} s` }), ms);
    off.push(ts.tileFailed.addEventListener((e) => done({ ok: false, why: `a tile failed: ${e.url}: ${e.message}` })));
    off.push(scene.renderError.addEventListener((s, e) => done({ ok: false, why: `render error: ${e}` })));
    off.push(scene.postRender.addEventListener(() => {
      frames++;
      running = ts.tilesLoaded && scene.globe.tilesLoaded ? running + 1 : 0;
      if (window.city3d.errors.length) done({ ok: false, why: window.city3d.errors.join('; ') });
      else if (running >= 2) done({ ok: true });
    }));
    scene.requestRender();
  }), WAIT_MS);
  if (!r.ok) throw new Error(`${what}: ${r.why} (${JSON.stringify(r)})`);
  return r;
}

// What the server serves to anyone under /city3d/data/: make test-clients writes it as make
// serve does, as the tiles' reader (scripts/serve-city3d.sh, demo_reader), from a hub with a
// building restricted to a territory (web/tests/city3d-hub.sql; its id in
// SR_CITY3D_RESTRICTED_ID), the largest roof of the hub: the served glTFs must hold the known
// roof's building and not the restricted one, and known-roof.json must not name it. Before
// 2026-12-07's third round test-clients.sh wrote its city as the superuser, to whom no policy
// applies, and had no restricted row: what a reader is served was not what the test saw.
{
  const restricted = Number(process.env.SR_CITY3D_RESTRICTED_ID ?? NaN);
  let served = { uris: [], ids: [] };
  try {
    served = await tilesetBuildingIds(new URL('data/tileset.json', url).href);
  } catch (e) {
    served.ids.push(`error ${e.message}`);
  }
  check(served.uris.length > 0 && served.ids.includes(known.building_id) && served.ids.every((x) => typeof x === 'number'),
        `the served tileset's glTFs hold the known roof's building ${known.building_id} (${served.uris.length} glTF, ${served.ids.length} features)`,
        served.ids.filter((x) => typeof x !== 'number').slice(0, 3).join('; '));
  if (Number.isFinite(restricted)) {
    check(!served.ids.includes(restricted) && known.building_id !== restricted,
          `the restricted building ${restricted} is in no served glTF and known-roof.json does not name it`,
          `known-roof.json names ${known.building_id}; ${served.ids.filter((x) => x === restricted).length} feature(s) of it served`);
  } else {
    console.log('# SR_CITY3D_RESTRICTED_ID not set (make test-clients sets it): no restricted building to look for');
  }
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run', '--disable-sync', '--use-angle=swiftshader',
         '--enable-unsafe-swiftshader', '--window-size=1200,800'],
  defaultViewport: { width: 1200, height: 800 },
  // a wait in the page (drawn) may last WAIT_MS: the DevTools calls must outlive it
  protocolTimeout: WAIT_MS + 60000,
});
const pageErrors = [];
const outside = [];
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 400) pageErrors.push(`${r.status()} ${r.url()}`); });
  // nothing but this server: no imagery, terrain or ion request may leave
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith('http') && u.host !== new URL(url).host) { outside.push(r.url()); r.abort(); }
    else r.continue();
  });
  step = 'loading the page';
  await page.goto(url, { waitUntil: 'load', timeout: WAIT_MS });
  await until(page, 'the tileset on the page (window.city3d.ready)',
              () => window.city3d && (window.city3d.ready || window.city3d.errors.length));
  const errs = await page.evaluate(() => window.city3d.errors);
  if (errs.length) throw new Error(`the page reported errors of the tileset: ${errs.join('; ')}`);
  const state = await drawn(page, 'the whole city drawn with its tiles loaded');
  const webgl = await page.evaluate(() => (window.viewer.scene.context.webgl2 ? 'WebGL 2' : 'WebGL 1'));
  check(state.ok && state.selected > 0 && state.triangles > 0,
        `the tileset loaded with no error and is drawn (${webgl}, ${state.loaded} tiles loaded, ${state.selected} drawn, ${state.triangles} triangles, ${state.frames} frames)`,
        JSON.stringify(state));
  const legend = await page.evaluate(() => ({ shown: !document.getElementById('legend').hidden,
    title: document.getElementById('legend-title').textContent, min: document.getElementById('legend-min').textContent,
    max: document.getElementById('legend-max').textContent }));
  check(legend.shown && legend.title === 'annual kwh m2' && Number(legend.min) < Number(legend.max),
        `the legend shows the value's name and range (${legend.title}: ${legend.min} to ${legend.max})`, JSON.stringify(legend));

  // the screenshot of the whole city, for the docs: the frame drawn above, every tile in it
  step = 'saving the screenshot';
  await page.screenshot({ path: shot });
  check(fs.statSync(shot).size > 20000, `screenshot saved to ${shot}`);

  // look straight down at the known roof, wait until its tiles are loaded and drawn, click it
  await page.evaluate((k) => {
    window.city3d.picked = null;
    window.viewer.camera.setView({
      destination: Cesium.Cartesian3.fromDegrees(k.lon, k.lat, k.h + 250),
      orientation: { heading: 0, pitch: -Cesium.Math.PI_OVER_TWO, roll: 0 },
    });
  }, known);
  const above = await drawn(page, `the view above building ${known.building_id} drawn with its tiles loaded`);
  check(above.selected > 0 && above.triangles > 0, `the view above the known roof is drawn (${above.selected} tiles, ${above.triangles} triangles, ${above.frames} frames)`,
        JSON.stringify(above));
  const xy = await page.evaluate((k) => {
    const p = Cesium.SceneTransforms.worldToWindowCoordinates(window.viewer.scene,
      Cesium.Cartesian3.fromDegrees(k.lon, k.lat, k.h));
    return p && { x: p.x, y: p.y };
  }, known);
  check(xy && xy.x > 0 && xy.x < 1200 && xy.y > 0 && xy.y < 800, `the known roof (building ${known.building_id}) is on screen at ${xy && xy.x.toFixed(0)}, ${xy && xy.y.toFixed(0)}`);
  if (xy) {
    // the page counts the clicks it has handled (picked or not): wait for this one
    const clicks = await page.evaluate(() => window.city3d.clicks);
    await page.mouse.click(xy.x, xy.y);
    await until(page, 'the page to handle the click', (c) => window.city3d.clicks > c, clicks);
  }
  const panel = await page.evaluate(() => ({ picked: window.city3d.picked, shown: !document.getElementById('panel').hidden,
    text: document.getElementById('panel-table').innerText,
    value: document.querySelector('#panel-table td[data-property="annual_kwh_m2"]')?.textContent }));
  check(panel.shown && panel.picked && Number(panel.picked.building_id) === known.building_id,
        `a click on the roof shows building ${known.building_id} in the panel`, JSON.stringify(panel));
  check(panel.value !== undefined && Math.abs(Number(panel.value) - known.annual_kwh_m2) <= 0.05 + 1e-9,
        `the panel shows its annual kWh/m2: ${panel.value} (the cadastre's ${known.annual_kwh_m2.toFixed(2)})`, JSON.stringify(panel));
  check(pageErrors.length === 0, 'no error in the page', pageErrors.slice(0, 5).join('\n'));
  check(outside.length === 0, 'no request left this server (no imagery, terrain or ion)', outside.slice(0, 5).join('\n'));
} catch (e) {
  check(false, 'the browser test ran to its end', e.stack);
} finally {
  step = 'closing the browser';
  await browser.close();
  clearTimeout(watchdog);
}
console.log(`clients city3d: ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
