// The city in 3D in a real browser (make test-clients): Debian's chromium,
// headless, WebGL through SwiftShader, driven by puppeteer-core (no browser
// download).  Waits for the tiles, checks that the tileset loaded with no
// error and that the legend shows, clicks a known roof (the largest
// building of Lyon 1er, from the database: scripts/city3d-export.sh) and
// checks the panel shows its value, and saves a screenshot for the docs.
//   node web/tests/city3d.test.mjs URL KNOWN_ROOF_JSON SCREENSHOT_PNG
// Prints TAP lines and "clients city3d: N passed, N failed".
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';

const [url, knownFile, shot] = process.argv.slice(2);
const known = JSON.parse(fs.readFileSync(knownFile));
let n = 0, failed = 0;
function check(ok, desc, detail) {
  n++;
  if (ok) console.log(`ok ${n} - ${desc}`);
  else { failed++; console.log(`not ok ${n} - ${desc}`); if (detail) console.log(`#   ${detail}`); }
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run', '--disable-sync', '--use-angle=swiftshader',
         '--enable-unsafe-swiftshader', '--window-size=1200,800'],
  defaultViewport: { width: 1200, height: 800 },
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
  await page.goto(url, { waitUntil: 'load', timeout: 120000 });
  await page.waitForFunction(() => window.city3d && (window.city3d.ready || window.city3d.errors.length), { timeout: 120000 });
  const waitLoaded = () => page.waitForFunction(() => window.city3d.loaded || window.city3d.errors.length,
                                                { timeout: 180000, polling: 500 });
  await waitLoaded();
  const state = await page.evaluate(() => ({ errors: window.city3d.errors, loaded: window.city3d.loaded,
    webgl: window.viewer.scene.context.webgl2 ? 'WebGL 2' : 'WebGL 1',
    tiles: window.tileset.statistics?.numberOfLoadedTilesTotal ?? null }));
  check(state.loaded && state.errors.length === 0, `the tileset loaded with no error (${state.webgl}, ${state.tiles} tiles loaded)`,
        state.errors.join('; '));
  const legend = await page.evaluate(() => ({ shown: !document.getElementById('legend').hidden,
    title: document.getElementById('legend-title').textContent, min: document.getElementById('legend-min').textContent,
    max: document.getElementById('legend-max').textContent }));
  check(legend.shown && legend.title === 'annual kwh m2' && Number(legend.min) < Number(legend.max),
        `the legend shows the value's name and range (${legend.title}: ${legend.min} to ${legend.max})`, JSON.stringify(legend));

  // the screenshot of the whole city, for the docs
  await page.evaluate(() => new Promise((r) => { window.viewer.scene.requestRender(); setTimeout(r, 1000); }));
  await page.screenshot({ path: shot });
  check(fs.statSync(shot).size > 20000, `screenshot saved to ${shot}`);

  // look straight down at the known roof, wait for its tiles, click it
  await page.evaluate((k) => {
    window.city3d.picked = null;
    window.viewer.camera.setView({
      destination: Cesium.Cartesian3.fromDegrees(k.lon, k.lat, k.h + 250),
      orientation: { heading: 0, pitch: -Cesium.Math.PI_OVER_TWO, roll: 0 },
    });
  }, known);
  await page.evaluate(() => new Promise((r) => setTimeout(r, 500)));
  await waitLoaded();
  await page.evaluate(() => new Promise((r) => setTimeout(r, 1000)));
  const xy = await page.evaluate((k) => {
    const p = Cesium.SceneTransforms.worldToWindowCoordinates(window.viewer.scene,
      Cesium.Cartesian3.fromDegrees(k.lon, k.lat, k.h));
    return p && { x: p.x, y: p.y };
  }, known);
  check(xy && xy.x > 0 && xy.x < 1200 && xy.y > 0 && xy.y < 800, `the known roof (building ${known.building_id}) is on screen at ${xy && xy.x.toFixed(0)}, ${xy && xy.y.toFixed(0)}`);
  if (xy) await page.mouse.click(xy.x, xy.y);
  await page.waitForFunction(() => window.city3d.picked, { timeout: 30000 }).catch(() => {});
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
  await browser.close();
}
console.log(`clients city3d: ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
