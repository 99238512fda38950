// What a browser does to the tile server (docs/web.md, "Tiles under concurrent requests"): a
// view's tiles requested all at once.  For each layer and each count N, N distinct tiles of a
// block around a Lyon 1er tile are fetched at the same time (Node's fetch opens a connection per
// request, as a browser's HTTP/1.1 pool of 6 per host would not: the server sees all N at once),
// after one run that warms PostgreSQL's cache and a run of 8 of them one after the other.
// Prints each tile's time from request to last byte, its status and size, and per run the
// slowest, the median, the wall time and how many tiles failed or took over LIMIT_MS.
//   node bench/tiles-concurrency.mjs http://127.0.0.1:8080/ [N ...]   (default 8 16)
//   SR_BENCH_LIMIT_MS: the limit to compare with (default 10000, make serve's SR_TILE_TIMEOUT_MS)
//   SR_BENCH_LAYERS: the layers to run, comma-separated (default solar,solar_cells)
const base = new URL(process.argv[2] ?? 'http://127.0.0.1:8080/');
const counts = process.argv.slice(3).map(Number);
if (!counts.length) counts.push(8, 16);
const LIMIT_MS = Number(process.env.SR_BENCH_LIMIT_MS ?? 10000);
// the tiles of web/tests (Lyon 1er): a z16 tile of faces, a z18 tile of cells
const LAYERS = [['solar', 16, 33647, 23376], ['solar_cells', 18, 134586, 93499]];

// the n tiles of the 4-wide block whose corner is (x0 - 1, y0 - 1), row by row
function block(layer, z, x0, y0, n) {
  const out = [];
  for (let i = 0; out.length < n; i++) out.push(`/tiles/${layer}/${z}/${x0 - 1 + (i % 4)}/${y0 - 1 + Math.floor(i / 4)}.pbf`);
  return out;
}
async function one(path, t0) {
  const s = performance.now();
  try {
    const r = await fetch(new URL(path, base), { cache: 'no-store' });
    const b = await r.arrayBuffer();
    return { path, status: r.status, bytes: b.byteLength, start: s - t0, ms: performance.now() - s };
  } catch (e) {
    return { path, status: `error ${e.cause?.code ?? e.message}`, bytes: 0, start: s - t0, ms: performance.now() - s };
  }
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
function report(what, rows, wall) {
  const ms = rows.map((r) => r.ms);
  const bad = rows.filter((r) => r.status !== 200 && r.status !== 204);
  const over = rows.filter((r) => r.ms > LIMIT_MS);
  console.log(`${what}: wall ${wall.toFixed(0)} ms, median ${median(ms).toFixed(0)} ms, slowest ${Math.max(...ms).toFixed(0)} ms, `
              + `${bad.length} failed, ${over.length} over ${LIMIT_MS} ms`);
  for (const r of rows) console.log(`  ${r.path} ${r.status} ${r.bytes} B ${r.ms.toFixed(0)} ms`);
}
const only = process.env.SR_BENCH_LAYERS?.split(',');
for (const [layer, z, x, y] of LAYERS.filter(([l]) => !only || only.includes(l))) {
  const all = block(layer, z, x, y, Math.max(...counts));
  await Promise.all(all.map((p) => one(p, 0)));                   // warm PostgreSQL's cache
  let t0 = performance.now();
  const seq = [];
  for (const p of all.slice(0, 8)) seq.push(await one(p, t0));
  report(`${layer} z${z}, ${seq.length} one after the other`, seq, performance.now() - t0);
  for (const n of counts) {
    t0 = performance.now();
    const rows = await Promise.all(all.slice(0, n).map((p) => one(p, t0)));
    report(`${layer} z${z}, ${n} at once`, rows, performance.now() - t0);
  }
}
