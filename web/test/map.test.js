// The web map in a real browser (make test-clients): Debian's chromium driven by puppeteer-core
// (never a downloaded browser), WebGL through SwiftShader.  Starts web/server.js on a free port
// against the demo database (PG* variables: scripts/test-clients.sh), loads /map/, waits for
// the tiles, checks the rendered roofs and their attribute types, clicks a roof and compares
// the popup with the roof's row read from hub.solar_roofs, and saves a screenshot.
// Prints TAP lines; exit status 1 on any failure.
//   node web/test/map.test.js [screenshot.png]
'use strict';

const path = require('path');
const puppeteer = require('puppeteer-core');
const { createApp, listen } = require('../server');

const CHROMIUM = process.env.SR_CHROMIUM || '/usr/bin/chromium';
const SHOT = process.argv[2] || path.join(__dirname, '..', '..', 'docs', 'img', 'webmap-solar-roofs.png');
let passed = 0;
let failed = 0;
function tap(ok, what, detail) {
  if (ok) passed++; else failed++;
  console.log(`${ok ? 'ok' : 'not ok'} - web map: ${what}${detail ? ` (${detail})` : ''}`);
}

async function main() {
  const app = createApp({ quiet: true });
  const server = await listen(app, 0, '127.0.0.1');
  const base = `http://127.0.0.1:${server.address().port}`;
  let browser;
  try {
    // the tile endpoint and its caching headers, without a browser
    const t = await fetch(`${base}/tiles/solar/15/16823/11687.pbf`);
    const body = Buffer.from(await t.arrayBuffer());
    tap(t.status === 200 && t.headers.get('content-type') === 'application/vnd.mapbox-vector-tile' && body.length > 1000,
        'a Lyon 1er tile is served', `${t.status}, ${body.length} bytes`);
    tap(/max-age=\d+/.test(t.headers.get('cache-control') || '') && !!t.headers.get('etag'),
        'tiles carry Cache-Control and ETag', `${t.headers.get('cache-control')}, ${t.headers.get('etag')}`);
    const again = await fetch(`${base}/tiles/solar/15/16823/11687.pbf`, { headers: { 'If-None-Match': t.headers.get('etag') } });
    tap(again.status === 304, 'a tile revalidates with If-None-Match (304)', `${again.status}`);
    const empty = await fetch(`${base}/tiles/solar/15/0/0.pbf`);
    tap(empty.status === 204, 'an empty tile is 204 No Content', `${empty.status}`);
    const bad = await fetch(`${base}/tiles/solar/3/9/0.pbf`);
    tap(bad.status === 400, 'a tile outside the grid is 400', `${bad.status}`);

    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
             '--disable-component-update', '--no-first-run', '--disable-sync',
             '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--window-size=1100,800'],
    });
    const page = await browser.newPage();
    await page.setViewport({ width: 1100, height: 800 });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    // tiles requested by the page: all from this server
    const tiles = [];
    page.on('response', (r) => { if (r.url().includes('/tiles/solar/')) tiles.push(r.status()); });
    await page.goto(`${base}/map/#16.2/45.7677/4.8330`, { waitUntil: 'load' });
    await page.waitForFunction(
      () => window.srMap && window.srReady && window.srMap.loaded() && window.srMap.areTilesLoaded(),
      { timeout: 60000 });
    tap(tiles.length > 0 && tiles.every((s) => s === 200 || s === 204), 'the page loads its tiles',
        `${tiles.length} tiles, statuses ${[...new Set(tiles)].join(', ')}`);
    const info = await page.evaluate(() => {
      const fs = window.srMap.queryRenderedFeatures({ layers: ['roofs'] });
      const types = {};
      for (const f of fs) {
        for (const [k, v] of Object.entries(f.properties)) (types[k] = types[k] || new Set()).add(typeof v);
      }
      return { n: fs.length, types: Object.fromEntries(Object.entries(types).map(([k, v]) => [k, [...v]])) };
    });
    tap(info.n > 500, 'roofs are rendered (queryRenderedFeatures)', `${info.n} features`);
    const numeric = ['building_id', 'face', 'annual_kwh_m2', 'shading_loss_pct', 'pv_kwp', 'pv_kwh_year'];
    tap(numeric.every((k) => JSON.stringify(info.types[k]) === '["number"]'),
        'tile attributes are numbers (no to-number in the style)', JSON.stringify(info.types));
    // the roof under a point of the screen: the first grid point that hits one, near the centre
    const hit = await page.evaluate(() => {
      const m = window.srMap;
      const c = m.getCanvas();
      const w = c.clientWidth;
      const h = c.clientHeight;
      for (let r = 0; r < 300; r += 7) {
        for (let a = 0; a < 360; a += 30) {
          const x = w / 2 + r * Math.cos(a * Math.PI / 180);
          const y = h / 2 + r * Math.sin(a * Math.PI / 180);
          const f = m.queryRenderedFeatures([x, y], { layers: ['roofs'] });
          if (f.length && f[0].properties.pv_kwp > 1) {
            const rect = c.getBoundingClientRect();
            return { x: rect.left + x, y: rect.top + y, p: f[0].properties };
          }
        }
      }
      return null;
    });
    tap(hit !== null, 'a roof is found near the centre of the map');
    if (hit) {
      await page.mouse.click(hit.x, hit.y);
      await page.waitForSelector('.roof-popup td.v', { timeout: 10000 });
      const popup = await page.evaluate(() => Object.fromEntries(
        [...document.querySelectorAll('.roof-popup td.v')].map((td) => [td.dataset.field, td.textContent])));
      const row = (await app.pool.query(
        `SELECT annual_kwh_m2, pv_kwp, pv_kwh_year, shading_loss_pct, potential_class
           FROM hub.solar_roofs WHERE building_id = $1 AND face = $2`, [hit.p.building_id, hit.p.face])).rows[0];
      const n = (v, d) => v.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });
      const expect = {
        annual_kwh_m2: `${n(row.annual_kwh_m2, 1)} kWh/m²`, pv_kwp: `${n(row.pv_kwp, 2)} kWp`,
        pv_kwh_year: `${n(row.pv_kwh_year, 0)} kWh/year`, potential_class: row.potential_class,
      };
      for (const [k, v] of Object.entries(expect)) {
        tap(popup[k] === v, `the popup shows ${k} of building ${hit.p.building_id} face ${hit.p.face}`,
            `popup "${popup[k]}", hub.solar_roofs "${v}"`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    tap(errors.length === 0, 'no error in the page', errors.slice(0, 3).join(' | '));
    await page.screenshot({ path: SHOT });
    tap(true, `screenshot ${path.relative(process.cwd(), SHOT)}`);
  } catch (e) {
    tap(false, 'the test ran to its end', e.message);
  } finally {
    if (browser) await browser.close();
    server.close();
    await app.pool.end();
  }
  console.log(`# web map: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
