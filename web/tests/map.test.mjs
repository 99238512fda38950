// The 2D map of the solar roofs in a real browser (make test-clients): Debian's chromium driven
// by puppeteer-core (never a downloaded browser), headless, WebGL through SwiftShader.  Checks
// the tile endpoint and its caching headers, loads the page, waits for the tiles, checks the
// rendered roofs (queryRenderedFeatures) and that their attributes are numbers, clicks a roof
// and compares the popup with the roof's row read from hub.solar_roofs (PG* variables: the
// database the server reads), and saves a screenshot for the docs; then zooms in until the
// roofs' 1 m cells show (hub.solar_roof_cells through /tiles/solar_cells/), checks them, clicks
// one and compares its popup with the cell of the hub under the clicked point (PostGIS, not
// the tile), and saves that view too (map-cells-lyon1.png beside the first screenshot).
//   node web/tests/map.test.mjs PAGE_URL KNOWN_ROOF_JSON(unused) SCREENSHOT_PNG
// Prints TAP lines and "clients map: N passed, N failed".
// It waits for events, never for a fixed time: MapLibre's idle (every tile of the view loaded,
// nothing moving, the frame drawn, the status line written) after each load, move and click,
// each wait at most SR_MAP_WAIT_MS (default 240 s) and the whole test at most SR_MAP_TOTAL_MS
// (default 540 s, within test-clients.sh's 600): a loaded host (a load of 10 on two cores)
// passes when the map is right, and a wait that ends says what it was waiting for.
import path from 'node:path';
import pg from 'pg';
import puppeteer from 'puppeteer-core';
import { pgpassPassword } from '../routes/tiles.mjs';

const [pageUrl, , shot] = process.argv.slice(2);
const origin = new URL(pageUrl).origin;
let n = 0;
let failed = 0;
function check(ok, desc, detail) {
  n++;
  if (ok) console.log(`ok ${n} - map: ${desc}${detail ? ` (${detail})` : ''}`);
  else { failed++; console.log(`not ok ${n} - map: ${desc}`); if (detail) console.log(`#   ${detail}`); }
}

const WAIT_MS = Number(process.env.SR_MAP_WAIT_MS ?? 240000);
const TOTAL_MS = Number(process.env.SR_MAP_TOTAL_MS ?? 540000);
let step = 'starting';   // what the test is doing, for a wait or a run that does not end
const watchdog = setTimeout(() => {
  check(false, 'the test ran to its end', `stopped after ${TOTAL_MS / 1000} s while ${step}`);
  console.log(`clients map: ${n - failed} passed, ${failed} failed`);
  process.exit(1);
}, TOTAL_MS);

const pool = new pg.Pool({ max: 1, password: pgpassPassword() });
const f = (v, d) => v.toLocaleString('en-GB', { minimumFractionDigits: d, maximumFractionDigits: d });

// (in the page) the features of a layer rendered now, and the types of their attributes
const rendered = (page, layer) => page.evaluate((l) => {
  const fs = window.srMap.queryRenderedFeatures({ layers: [l] });
  const types = {};
  for (const x of fs) {
    for (const [k, v] of Object.entries(x.properties)) (types[k] = types[k] || new Set()).add(typeof v);
  }
  return { n: fs.length, types: Object.fromEntries(Object.entries(types).map(([k, v]) => [k, [...v]])) };
}, layer);
// (in the page) the first point of a spiral from the centre (rings step pixels apart) on a
// feature of the layer with pv_kwp above minPv (any feature when minPv is null), and with alone
// on one feature only (the edges of neighbouring roofs' cells overlap: a click there shows the
// one on top, the later in the tile's order, and the hub holds two cells under the point): its
// page position, longitude and latitude, and properties
const spiralHit = (page, layer, step, minPv, alone = false) => page.evaluate((l, st, mp, al) => {
  const m = window.srMap;
  const c = m.getCanvas();
  for (let r = 0; r < 300; r += st) {
    for (let a = 0; a < 360; a += 30) {
      const x = c.clientWidth / 2 + r * Math.cos(a * Math.PI / 180);
      const y = c.clientHeight / 2 + r * Math.sin(a * Math.PI / 180);
      const fs = m.queryRenderedFeatures([x, y], { layers: [l] });
      if (fs.length && (!al || fs.length === 1) && (mp === null || fs[0].properties.pv_kwp > mp)) {
        const rect = c.getBoundingClientRect();
        const ll = m.unproject([x, y]);
        return { x: rect.left + x, y: rect.top + y, lng: ll.lng, lat: ll.lat, p: fs[0].properties };
      }
    }
  }
  return null;
}, layer, step, minPv, alone);
// wait (at most WAIT_MS) until the page's condition holds; else an error naming what the test
// waited for, with the tiles answered so far
async function until(page, what, fn, arg) {
  step = `waiting for ${what}`;
  try {
    await page.waitForFunction(fn, { timeout: WAIT_MS, polling: 100 }, arg);
  } catch (e) {
    throw new Error(`${what}: not after ${WAIT_MS / 1000} s (${e.message}); ${tiles.length} tile answers so far`);
  }
}
// run an action in the page (a move, a click) and wait until the map has drawn its result:
// MapLibre's next idle event (every tile of the view loaded, nothing moving, the frame drawn;
// the page's own idle handler has written the status line by then).  A repaint is asked for
// after the action, so that an action that changes nothing drawn still ends in an idle frame.
async function idleAfter(page, what, action) {
  await page.evaluate(() => { window.srIdle = false; window.srMap.once('idle', () => { window.srIdle = true; }); });
  await action();
  await page.evaluate(() => window.srMap.triggerRepaint());
  await until(page, `the map drawn ${what}`, () => window.srIdle === true);
}
// click at a page position, wait for the popup and the map's frame with the clicked face
// outlined, and read the popup's values (data-field: text)
async function clickPopup(page, at, cls) {
  await idleAfter(page, `after a click (${cls})`, async () => {
    await page.mouse.click(at.x, at.y);
    await until(page, `the popup .${cls}`, (c) => !!document.querySelector(`.${c} td.v`), cls);
  });
  return page.evaluate((c) => Object.fromEntries(
    [...document.querySelectorAll(`.${c} td.v`)].map((td) => [td.dataset.field, td.textContent])), cls);
}
let browser;
// every tile answer of the run (faces and cells), filled by the page's responses below
const tiles = [];
try {
  // the tile endpoint and its caching headers, without a browser
  step = 'checking the tile endpoint';
  const t = await fetch(`${origin}/tiles/solar/15/16823/11687.pbf`);
  const body = Buffer.from(await t.arrayBuffer());
  check(t.status === 200 && t.headers.get('content-type') === 'application/vnd.mapbox-vector-tile' && body.length > 1000,
        'a Lyon 1er tile is served', `${t.status}, ${body.length} bytes`);
  check(/max-age=\d+/.test(t.headers.get('cache-control') ?? '') && !!t.headers.get('etag'),
        'tiles carry Cache-Control and ETag', `${t.headers.get('cache-control')}, ${t.headers.get('etag')}`);
  const again = await fetch(`${origin}/tiles/solar/15/16823/11687.pbf`, { headers: { 'If-None-Match': t.headers.get('etag') } });
  check(again.status === 304, 'a tile revalidates with If-None-Match (304)', `${again.status}`);
  const empty = await fetch(`${origin}/tiles/solar/15/0/0.pbf`);
  check(empty.status === 204, 'an empty tile is 204 No Content', `${empty.status}`);
  const bad = await fetch(`${origin}/tiles/solar/3/9/0.pbf`);
  check(bad.status === 400, 'a tile outside the grid is 400', `${bad.status}`);
  const index = await (await fetch(`${origin}/tiles/index.json`)).json();
  check(index.some((l) => l.layer === 'solar' && l.function === 'smartregion.solar_tile'),
        'the tile layers are read from the catalogue', index.map((l) => l.function).join(', '));

  step = 'starting the browser';
  browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
           '--disable-component-update', '--no-first-run', '--disable-sync', '--use-angle=swiftshader',
           '--enable-unsafe-swiftshader', '--window-size=1100,800'],
    defaultViewport: { width: 1100, height: 800 },
    protocolTimeout: WAIT_MS,
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(WAIT_MS);
  page.setDefaultNavigationTimeout(WAIT_MS);
  const errors = [];
  const outside = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // every tile answer of the run (faces and cells): a tile the server fails (500, a statement
  // timeout under load) is no console error, and MapLibre draws the view without it
  page.on('response', (r) => { if (r.url().includes('/tiles/solar')) tiles.push({ url: r.url(), status: r.status() }); });
  const tilesOk = (from) => tiles.slice(from).every((t) => t.status === 200 || t.status === 204);
  const tilesBad = (from) => tiles.slice(from).filter((t) => t.status !== 200 && t.status !== 204)
    .map((t) => `${t.status} ${t.url.replace(/^.*\/tiles\//, '')}`).slice(0, 3).join(', ');
  // nothing but this server; failCells: the cells' tiles answered 500 here, as a statement
  // timeout of the server answers them
  let failCells = false;
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (u.protocol.startsWith('http') && u.origin !== origin) { outside.push(r.url()); r.abort(); }
    else if (failCells && u.pathname.startsWith('/tiles/solar_cells/')) {
      r.respond({ status: 500, contentType: 'application/json', body: '{"error": "canceling statement due to statement timeout"}\n' });
    } else r.continue();
  });
  step = 'loading the page';
  await page.goto(`${pageUrl}#16.2/45.7677/4.8330`, { waitUntil: 'load' });
  // srReady: the page's first idle event (its handler writes the status line)
  await until(page, 'the page\'s first view drawn with its tiles',
              () => window.srMap && window.srReady && window.srMap.loaded() && window.srMap.areTilesLoaded());
  check(tiles.length > 0 && tilesOk(0), 'the page loads its tiles',
        `${tiles.length} tiles, statuses ${[...new Set(tiles.map((t) => t.status))].join(', ')}`);
  const info = await rendered(page, 'roofs');
  check(info.n > 500, 'roofs are rendered (queryRenderedFeatures)', `${info.n} features`);
  const numeric = ['building_id', 'face', 'annual_kwh_m2', 'shading_loss_pct', 'pv_kwp', 'pv_kwh_year'];
  check(numeric.every((k) => JSON.stringify(info.types[k]) === '["number"]'),
        'tile attributes are numbers (no to-number in the style)', JSON.stringify(info.types));
  // the roof under a point of the screen: the first point of a spiral that hits one
  const hit = await spiralHit(page, 'roofs', 7, 1);
  check(hit !== null, 'a roof is found near the centre of the map');
  if (hit) {
    const popup = await clickPopup(page, hit, 'roof-popup');
    const row = (await pool.query(
      `SELECT annual_kwh_m2, pv_kwp, pv_kwh_year, shading_loss_pct, potential_class
         FROM hub.solar_roofs WHERE building_id = $1 AND face = $2`, [hit.p.building_id, hit.p.face])).rows[0];
    const expect = {
      annual_kwh_m2: `${f(row.annual_kwh_m2, 1)} kWh/m²`, pv_kwp: `${f(row.pv_kwp, 2)} kWp`,
      pv_kwh_year: `${f(row.pv_kwh_year, 0)} kWh/year`, potential_class: row.potential_class,
    };
    for (const [k, v] of Object.entries(expect)) {
      check(popup[k] === v, `the popup shows ${k} of building ${hit.p.building_id} face ${hit.p.face}`,
            `popup "${popup[k]}", hub.solar_roofs "${v}"`);
    }
  }
  step = 'taking the screenshot';
  await page.screenshot({ path: shot });
  check(true, `screenshot ${path.relative(process.cwd(), shot)}`);

  // the cells: from zoom 18, on the clicked roof
  if (hit) {
    await page.evaluate(() => document.querySelectorAll('.maplibregl-popup').forEach((e) => e.remove()));
    const zoomedFrom = tiles.length;
    await idleAfter(page, 'zoomed in on the roof (zoom 18.6)', () => page.evaluate(
      (c) => window.srMap.jumpTo({ center: c, zoom: 18.6 }), [hit.lng, hit.lat]));
    // a view drawn with a hole where a tile failed is no picture of the cells
    check(tiles.length > zoomedFrom && tilesOk(zoomedFrom), 'zoomed in, every tile of the view is served',
          `${tiles.length - zoomedFrom} tiles${tilesOk(zoomedFrom) ? '' : `; failed: ${tilesBad(zoomedFrom)}`}`);
    const cinfo = await rendered(page, 'cells');
    cinfo.roofs = (await rendered(page, 'roofs')).n;
    cinfo.status = await page.evaluate(() => document.getElementById('status').textContent);
    check(cinfo.n > 100 && cinfo.roofs === 0, 'zoomed in, the roofs\' cells are rendered instead of the faces',
          `${cinfo.n} cells, ${cinfo.roofs} faces; "${cinfo.status}"`);
    check(['building_id', 'face', 'annual_kwh_m2', 'pv_plane_kwh_m2', 'usable_area_m2'].every((k) => JSON.stringify(cinfo.types[k]) === '["number"]')
          && JSON.stringify(cinfo.types.sunny) === '["boolean"]', 'cell attributes are numbers and sunny a boolean',
          JSON.stringify(cinfo.types));
    // a cell near the centre, clicked
    const ch = await spiralHit(page, 'cells', 5, null, true);
    check(ch !== null, 'a cell is found near the centre of the map');
    if (ch) {
      const popup = await clickPopup(page, ch, 'cell-popup');
      // the cell of the hub under the clicked point, found by PostGIS in the hub's SRID
      const cell = (await pool.query(
        `SELECT c.building_id, c.face, c.annual_kwh_m2, c.pv_plane_kwh_m2, c.usable_area_m2, c.sunny
           FROM hub.solar_roof_cells c
          WHERE ST_Intersects(ST_Force2D(c.geom), ST_Transform(ST_SetSRID(ST_MakePoint($1, $2), 4326), ST_SRID(c.geom)))
          ORDER BY (c.building_id = $3 AND c.face = $4) DESC LIMIT 1`,
        [ch.lng, ch.lat, ch.p.building_id, ch.p.face])).rows[0];
      check(!!cell && Number(cell.building_id) === ch.p.building_id && cell.face === ch.p.face,
            'the clicked cell is on the roof the hub has there', cell ? `building ${cell.building_id} face ${cell.face}` : 'no cell');
      if (cell) {
        const expect = {
          annual_kwh_m2: `${f(cell.annual_kwh_m2, 1)} kWh/m²`, pv_plane_kwh_m2: `${f(cell.pv_plane_kwh_m2, 1)} kWh/m²`,
          usable_area_m2: `${f(cell.usable_area_m2, 2)} m²`,
          sunny: cell.sunny ? 'yes' : (cell.usable_area_m2 > 0 ? 'no' : 'no (setback)'),
        };
        for (const [k, v] of Object.entries(expect)) {
          check(popup[k] === v, `the cell's popup shows ${k}`, `popup "${popup[k]}", hub.solar_roof_cells "${v}"`);
        }
      }
    }
    const cshot = shot.replace(/map-lyon1\.png$/, 'map-cells-lyon1.png');
    step = 'taking the screenshot of the cells';
    await page.screenshot({ path: cshot });
    check(true, `screenshot ${path.relative(process.cwd(), cshot)}`);
  }
  // MapLibre's own errors (a tile that failed to load) too: the page keeps them in srErrors
  errors.push(...await page.evaluate(() => window.srErrors || []));
  check(errors.length === 0, 'no error in the page', errors.slice(0, 3).join(' | '));
  check(outside.length === 0, 'no request leaves the server', outside.slice(0, 3).join(' '));

  // a tile that fails is said on the status line: the map's view elsewhere in Lyon 1er, its
  // cells' tiles answered 500; the user must not read the count of what arrived as all there is
  if (hit) {
    failCells = true;
    await idleAfter(page, 'elsewhere, its cells\' tiles failed', () => page.evaluate(
      (c) => window.srMap.jumpTo({ center: c, zoom: 18.6 }), [hit.lng + 0.004, hit.lat - 0.002]));
    const st = await page.evaluate(() => document.getElementById('status').textContent);
    check(/could not be loaded/.test(st) && /500/.test(st), 'a tile the server fails is reported on the status line', `"${st}"`);
    failCells = false;
  }
} catch (e) {
  check(false, 'the test ran to its end', `${e.message} (while ${step})`);
} finally {
  step = 'closing the browser';
  if (browser) await browser.close();
  await pool.end();
  clearTimeout(watchdog);
}
console.log(`clients map: ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
