// Vector tiles of the extension's tile functions (docs/web.md): every function
// smartregion.<layer>_tile(z int, x int, y int, ...) returning bytea (solar_tile: layer "solar")
// is served, its other arguments left at their defaults, as
//   /tiles/<layer>/{z}/{x}/{y}.pbf    Mapbox Vector Tile (204 when the tile is empty)
//   /tiles/<layer>.json               TileJSON 3.0.0 (vector_layers and zooms from smartregion.tile_layers())
//   /tiles/index.json                 the layers
// Caching: Cache-Control public, max-age SR_TILE_MAX_AGE seconds (default 300), and an ETag of
// the tile's bytes (If-None-Match answers 304).  The list of layers is read from the catalogue
// once a minute, so a tile function added to the extension is served without a change here.
// PostgreSQL through the PG* variables (scripts/serve.sh: demo_reader over 127.0.0.1, its
// password read from PGPASSFILE here rather than by pg, whose pgpass support is deprecated);
// the pool opens on the first tile, so the other pages work without a database.
import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';

const MAX_AGE = Number(process.env.SR_TILE_MAX_AGE ?? 300);
const SCHEMA = process.env.SR_TILE_SCHEMA ?? 'smartregion';
// The URLs written into TileJSON and index.json: SR_PUBLIC_URL (the address clients reach,
// https://tiles.example.org behind a proxy) when set; else the request's Host when it is a
// plain host[:port] (a forged Host is not echoed into a cacheable document); else the
// address the request came in on.
const PUBLIC_URL = (() => {
  const v = process.env.SR_PUBLIC_URL;
  if (!v) return null;
  let u;
  try { u = new URL(v); } catch { u = null; }
  if (!u || !['http:', 'https:'].includes(u.protocol) || u.search || u.hash || u.username || u.password) {
    // (the value is not repeated when it holds credentials: logs keep it)
    throw new Error(`SR_PUBLIC_URL must be an http(s) URL without query, fragment or credentials: ${
      v.includes('@') || (u && (u.username || u.password)) ? '(not shown: it may hold credentials)' : v}`);
  }
  return u.href.replace(/\/+$/, '');
})();
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOST = new RegExp(`^(?:${LABEL}(?:\\.${LABEL})*|\\[[0-9A-Fa-f:.]+\\])(?::[0-9]{1,5})?$`);
export function publicBase(req) {
  if (PUBLIC_URL) return PUBLIC_URL;
  const h = req.headers.host ?? '';
  if (h.length <= 255 && HOST.test(h)) return `http://${h}`;
  const a = req.socket.localAddress ?? '127.0.0.1';
  return `http://${a.includes(':') ? `[${a}]` : a}:${req.socket.localPort}`;
}
const FIND = `
  SELECT p.oid::int8 AS oid, p.proname::text AS fn, regexp_replace(p.proname::text, '_tile$', '') AS layer,
         obj_description(p.oid, 'pg_proc') AS description
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = $1 AND p.proname::text LIKE '%\\_tile' AND p.prorettype = 'bytea'::regtype
     AND p.pronargs - p.pronargdefaults = 3
     AND p.proargtypes[0] = 'int4'::regtype AND p.proargtypes[1] = 'int4'::regtype
     AND p.proargtypes[2] = 'int4'::regtype
   ORDER BY 2`;
const quoteIdent = (s) => `"${s.replace(/"/g, '""')}"`;

// host:port:database:user:password lines, '*' matching anything
export function pgpassPassword() {
  const file = process.env.PGPASSFILE;
  if (process.env.PGPASSWORD || !file || !fs.existsSync(file)) return undefined;
  const want = [process.env.PGHOST ?? 'localhost', process.env.PGPORT ?? '5432',
                process.env.PGDATABASE ?? process.env.PGUSER ?? '', process.env.PGUSER ?? ''];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(':');
    if (f.length >= 5 && f.slice(0, 4).every((v, i) => v === '*' || v === want[i])) return f.slice(4).join(':');
  }
  return undefined;
}

// The pool's size and the parallel workers of a tile's query (docs/web.md, "Tiles under
// concurrent requests"): SR_TILE_POOL connections (default 4) run tiles at once, the others wait
// for one; SR_TILE_PARALLEL_WORKERS is max_parallel_workers_per_gather on the tiles' connections
// (default 0: a browser asks for a view's tiles at once, and their parallel workers starved each
// other: 4 to 6 of 8 z18 cell tiles at once went over the 10 s limit with 2 workers each, none
// without; '' keeps the database's setting)
const POOL = Number(process.env.SR_TILE_POOL ?? 4);
const PARALLEL = process.env.SR_TILE_PARALLEL_WORKERS ?? '0';
for (const [name, v] of [['SR_TILE_POOL', String(POOL)], ['SR_TILE_PARALLEL_WORKERS', PARALLEL]]) {
  if (v !== '' && !/^[0-9]{1,4}$/.test(v)) throw new Error(`${name} must be a whole number: ${v}`);
}
if (POOL < 1) throw new Error('SR_TILE_POOL must be at least 1');
// the errors of a connection the database dropped (a restart, pg_terminate_backend) before or
// during the query: the query is run again on another connection (a tile is a read)
const DROPPED = new Set(['57P01', '57P02', '57P03', 'ECONNRESET', 'EPIPE']);
const dropped = (e) => DROPPED.has(e.code) || /Connection terminated|not queryable/.test(e.message ?? '');
const GONE = Object.assign(new Error('the HTTP client left'), { code: 'SR_CLIENT_LEFT' });
const TIMEOUT = Number(process.env.SR_TILE_TIMEOUT_MS ?? 10000);
// The database not there (docs/web.md, "Facing the internet"): no connection could be opened
// (refused, no socket, a name or address not answering, the database shutting down or
// starting, too many connections, a database or role that does not exist), or the connection
// was lost, on every try. Answered 503 with Retry-After DOWN_RETRY_AFTER s (a restart of
// PostgreSQL takes a few seconds), the reason in the server's log only; the pool opens new
// connections when it is back, with no restart of the server. Before 2026-12-07 a tile was
// answered 500 then, as for a bug.
const DOWN_RETRY_AFTER = 5;
const UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOENT',
                             'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// (a query with no answer SR_TILE_TIMEOUT_MS + 2 s after it was sent, pg's query_timeout: the
// database's statement_timeout would have answered by then, so the database or the network in
// between is gone without closing the connection)
const READ_TIMEOUT = (e) => e?.message === 'Query read timeout';
const unavailable = (e) => e?.srConnect === true || dropped(e) || READ_TIMEOUT(e) || UNAVAILABLE.has(e?.code)
  || /^08/.test(e?.code ?? '');
// The waiting room of the pool (docs/web.md, "Facing the internet"): at most SR_TILE_QUEUE
// requests wait for a connection (default 8 per connection: 32 with the default pool, two
// browsers' views of 16 tiles beyond the 4 running), each at most SR_TILE_QUEUE_MS (default
// 30 s: a burst of 16 cell tiles took up to 24 s on the loaded 2-core machine, and nginx's
// proxy_read_timeout gives up at 60 s). Beyond either, 503 with Retry-After, no database work.
// Before 2026-12-07 a tile waited as long as its client stayed connected, and a client holding
// many slow requests made everyone else's tiles wait behind them.
const QUEUE = Number(process.env.SR_TILE_QUEUE ?? 8 * POOL);
const QUEUE_MS = Number(process.env.SR_TILE_QUEUE_MS ?? 30000);
for (const [name, v] of [['SR_TILE_QUEUE', process.env.SR_TILE_QUEUE], ['SR_TILE_QUEUE_MS', process.env.SR_TILE_QUEUE_MS]]) {
  if (v !== undefined && !/^[0-9]{1,9}$/.test(v)) throw new Error(`${name} must be a whole number: ${v}`);
}
if (QUEUE_MS < 1) throw new Error('SR_TILE_QUEUE_MS must be at least 1');
// Retry-After of those 503s, in seconds: a busy pool ends at least SR_TILE_POOL tiles every
// SR_TILE_TIMEOUT_MS (each tile is limited to it), so a connection frees every TIMEOUT / POOL
// at worst on average (3 s with the defaults)
const RETRY_AFTER = Math.max(1, Math.ceil(TIMEOUT / POOL / 1000));
const FULL = Object.assign(new Error(`more than ${QUEUE} tiles waiting for a database connection`), { code: 'SR_QUEUE_FULL' });
const WAITED = Object.assign(new Error(`a tile waited ${QUEUE_MS} ms for a database connection`), { code: 'SR_QUEUE_WAITED' });
const busy = (e) => e === FULL || e === WAITED;
// POOL places, taken in order: enter(client) resolves when a place is free (every query of the
// pool passes here, so the pool itself never queues), rejects at once with FULL when `max` are
// already waiting, with WAITED after `ms` in the queue, with GONE when the client leaves while it
// waits (its place in the queue is freed at once); leave() gives the place to the first waiter
function waitingRoom(places, max, ms) {
  let free = places;
  const queue = [];
  return {
    enter(client) {
      if (client?.gone) return Promise.reject(GONE);
      if (free > 0 && queue.length === 0) { free--; return Promise.resolve(); }
      if (queue.length >= max) return Promise.reject(FULL);
      return new Promise((resolve, reject) => {
        const w = {};
        const out = (e) => {
          clearTimeout(w.timer);
          client?.leave.delete(w.left);
          const i = queue.indexOf(w);
          if (i >= 0) queue.splice(i, 1);
          if (e) reject(e); else resolve();
        };
        w.grant = () => out(null);
        w.left = () => out(GONE);
        w.timer = setTimeout(() => out(WAITED), ms);
        client?.leave.add(w.left);
        queue.push(w);
      });
    },
    leave() {
      if (queue.length) queue[0].grant(); else free++;
    },
  };
}
// the HTTP client of a response: `gone` once it has closed the connection before the answer was
// sent; the functions of `leave` run then
function clientOf(res) {
  const client = { gone: false, leave: new Set() };
  res.on('close', () => {
    if (res.writableFinished) return;
    client.gone = true;
    for (const f of client.leave) f();
  });
  return client;
}

export function register(app) {
  let pool = null;
  let layers = null;
  let readAt = 0;
  let reading = null;     // the catalogue being read, shared by the requests that need it
  const room = waitingRoom(POOL, QUEUE, QUEUE_MS);
  // a tile may take at most SR_TILE_TIMEOUT_MS (default 10 s) of the database: a request a
  // browser has abandoned does not hold a connection for longer; an idle connection the
  // server drops (a restart, pg_terminate_backend) is discarded, not fatal to the process
  const db = () => {
    if (!pool) {
      // (a connection's opening is limited too, to the tile's time, and a query's answer to it
      // and 2 s: a database whose packets are dropped, or that stops answering, held a request
      // and its place in the waiting room for ever; TCP keep-alive finds, in time, an idle
      // connection to a host gone)
      pool = new pg.Pool({ max: POOL, application_name: 'smartregion-web', password: pgpassPassword(),
                           statement_timeout: TIMEOUT, connectionTimeoutMillis: TIMEOUT, keepAlive: true,
                           query_timeout: TIMEOUT + 2000,
                           ...(PARALLEL === '' ? {} : { options: `-c max_parallel_workers_per_gather=${PARALLEL}` }) });
      pool.on('error', (e) => console.error(`tiles: an idle database connection failed (${e.message}); it is discarded`));
    }
    return pool;
  };
  // a query on the pool; when the database had dropped the connection it got (the pool learns
  // it only when the connection's error arrives, which may come after the next request), again
  // on another: every idle connection of the pool may be a dropped one, so up to POOL + 1 tries.
  // `client` (clientOf(res), for a tile) is the HTTP client the query is for: when it has left
  // before a connection was free, the query is not run; when it leaves during the query, the
  // query is cancelled (before 2026-12-07 a tile whose client had gone ran on, up to
  // SR_TILE_TIMEOUT_MS, and the tiles of clients gone while they waited for a connection were
  // all run, one after the other: a client asking for many slow tiles and leaving at once held
  // every connection of the pool for the others)
  // Every query waits in `room` for a place (its tries all hold that one place).
  const query = async (sql, params, client = null) => {
    await room.enter(client);
    try {
      for (let i = 0; ; i++) {
        try {
          return await queryOnce(sql, params, client);
        } catch (e) {
          if (!dropped(e) || i >= POOL) throw e;
        }
      }
    } finally {
      room.leave();
    }
  };
  async function queryOnce(sql, params, client) {
    let c;
    try {
      c = await db().connect();
    } catch (e) {
      // (no connection: the database is not there, whatever the error says)
      throw Object.assign(e instanceof Error ? e : new Error(String(e)), { srConnect: true });
    }
    let broken;          // an error that makes the connection unfit for another query
    const onError = (e) => { broken = e; };
    c.on('error', onError);
    if (client?.gone) {
      c.off('error', onError);
      c.release();
      throw GONE;
    }
    let running = true;
    const cancel = () => {
      if (!running) return;
      // PostgreSQL's cancel request, on a connection of its own (no authentication: the
      // backend's key); the connection is then not given back to the pool, so that a cancel
      // arriving late cannot stop the next request's query on it
      broken = GONE;
      const con = new pg.Connection();
      con.on('error', () => {});
      con.on('connect', () => con.cancel(c.processID, c.secretKey));
      if (String(c.host).startsWith('/')) con.connect(`${c.host}/.s.PGSQL.${c.port}`);
      else con.connect(c.port, c.host);
    };
    client?.leave.add(cancel);
    try {
      return await c.query(sql, params);
    } catch (e) {
      // (a connection whose query had no answer is not given back: the answer may still come)
      if (dropped(e) || READ_TIMEOUT(e)) broken = e;
      throw e;
    } finally {
      running = false;
      client?.leave.delete(cancel);
      c.off('error', onError);
      c.release(broken);
    }
  }
  // The layers, read again once a minute: one read at a time, shared by the requests that come
  // meanwhile; once a list is known, requests use it while the next is read (a read refused by a
  // full waiting room, or failing, keeps the previous list)
  function catalogue() {
    if (!layers || Date.now() - readAt > 60000) {
      if (!reading) {
        reading = readCatalogue().finally(() => { reading = null; });
        reading.catch((e) => {
          if (layers && !busy(e)) console.error(`tiles: the list of layers could not be read again (${e.message}); the previous one is kept`);
        });
      }
      if (!layers) return reading;
    }
    return Promise.resolve(layers);
  }
  async function readCatalogue() {
    const r = await query(FIND, [SCHEMA]);
    // the layers' TileJSON metadata (their vector layers, fields and zooms), where the
    // schema has smartregion.tile_layers()
    const meta = new Map();
    const has = await query('SELECT to_regprocedure($1) IS NOT NULL AS has', [`${quoteIdent(SCHEMA)}.tile_layers()`]);
    if (has.rows[0].has) {
      const m = await query(`SELECT tile_function::oid::int8 AS oid, tilejson FROM ${quoteIdent(SCHEMA)}.tile_layers()`);
      for (const row of m.rows) meta.set(row.oid, row.tilejson);
    }
    layers = new Map(r.rows.map((row) => [row.layer, { ...row, meta: meta.get(row.oid) ?? {} }]));
    readAt = Date.now();
    return layers;
  }
  // 503 for a tile the waiting room refused (full, or waited too long): no database work was done
  const refuse = (res, e) => send(res, 503, JSON.stringify({
    error: e === FULL ? `too many tiles waiting for the database (${QUEUE}): try again in ${RETRY_AFTER} s`
                      : `the tile waited more than ${QUEUE_MS} ms for the database: try again in ${RETRY_AFTER} s`,
  }) + '\n', { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', 'Retry-After': String(RETRY_AFTER) });
  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'Content-Length': body ? Buffer.byteLength(body) : 0, ...headers });
    res.end(body);
  };
  const fail = (res, status, message, headers = {}) => send(res, status, JSON.stringify({ error: message }) + '\n',
    { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  // 503 for the database not there (unavailable): the same body whatever the reason (which
  // names the database's address, port, database or role: the server's log has it)
  const down = (res, what, e) => {
    console.error(`tiles: no database for ${what} (make serve: run make demo first): ${e.code ?? ''} ${e.message}`);
    return fail(res, 503, `no database for the tiles: try again in ${DOWN_RETRY_AFTER} s`,
                { 'Retry-After': String(DOWN_RETRY_AFTER) });
  };
  const json = (res, obj) => send(res, 200, JSON.stringify(obj, null, 1) + '\n',
    { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*',
      ...(PUBLIC_URL ? {} : { Vary: 'Host' }) });
  const base = publicBase;

  app.route('/tiles/', async (req, res, rest) => {
    let l;
    try {
      l = await catalogue();
    } catch (e) {
      if (busy(e)) return refuse(res, e);
      // the reason in the server's log only: the database's message names its address, port,
      // database and role (before 2026-12-07 it was sent to any client)
      if (unavailable(e)) return down(res, 'the list of layers', e);
      // the catalogue's query failed on a connection: the operator's to fix (a role without
      // the rights make demo grants, a schema changed), not the client's, nor a retry's
      console.error(`tiles: the list of layers could not be read: ${e.code ?? ''} ${e.message}`);
      return fail(res, 500, 'the list of tile layers could not be read');
    }
    if (rest === 'index.json') {
      return json(res, [...l.values()].map((x) => ({
        layer: x.layer, function: `${SCHEMA}.${x.fn}`, description: x.description,
        tilejson: `${base(req)}/tiles/${x.layer}.json`, tiles: `${base(req)}/tiles/${x.layer}/{z}/{x}/{y}.pbf`,
      })));
    }
    let m = rest.match(/^([a-z0-9_]+)\.json$/);
    if (m) {
      const x = l.get(m[1]);
      if (!x) return fail(res, 404, `no tile layer "${m[1]}"`);
      // the database's metadata (tile_layers) over the defaults; the URLs are the server's
      return json(res, {
        tilejson: '3.0.0', name: x.layer, description: x.description, scheme: 'xyz', minzoom: 0, maxzoom: 22,
        vector_layers: [], ...x.meta, tiles: [`${base(req)}/tiles/${x.layer}/{z}/{x}/{y}.pbf`],
      });
    }
    m = rest.match(/^([a-z0-9_]+)\/(\d+)\/(\d+)\/(\d+)\.(pbf|mvt)$/);
    if (!m) return fail(res, 404, `no such tile path: /tiles/${rest}`);
    const x = l.get(m[1]);
    if (!x) return fail(res, 404, `no tile layer "${m[1]}"`);
    const [z, tx, ty] = [Number(m[2]), Number(m[3]), Number(m[4])];
    if (z > 24 || tx >= 2 ** z || ty >= 2 ** z) return fail(res, 400, `tile ${m[2]}/${m[3]}/${m[4]} does not exist`);
    let tile;
    const client = clientOf(res);
    try {
      // the function's name comes from the catalogue, quoted as an identifier; the arguments
      // typed, so that the call is the (int, int, int, ...) function the catalogue listed
      const r = await query(`SELECT ${quoteIdent(SCHEMA)}.${quoteIdent(x.fn)}($1::int4, $2::int4, $3::int4) AS t`,
                            [z, tx, ty], client);
      tile = r.rows[0].t ?? Buffer.alloc(0);
    } catch (e) {
      if (client.gone) return;     // the client left: its tile was not run, or was cancelled
      if (busy(e)) return refuse(res, e);
      if (unavailable(e)) return down(res, `${x.fn}(${z}, ${tx}, ${ty})`, e);
      // A tile outside the function's grid (its own check, 22023 "tile z/x/y does not exist",
      // for a schema's function whose grid is smaller than the one checked above) is the
      // client's; anything else is the server's problem, whose message (the database's:
      // tables, roles, settings) goes to the server's log, not to the client (before
      // 2026-12-07 it was the answer's body). Before 2026-12-07 too, every 22023 was answered
      // 400, blaming the client for the operator's mistake: a hub table whose geometries
      // have no SRID ("the geometries of ... have no SRID (0)") gave 400 "does not exist".
      if (e.code === '22023' && /^tile [0-9]+\/[0-9]+\/[0-9]+ does not exist$/.test(e.message ?? '')) {
        return fail(res, 400, `tile ${z}/${tx}/${ty} does not exist in layer "${x.layer}"`);
      }
      console.error(`tiles: ${x.fn}(${z}, ${tx}, ${ty}) failed: ${e.code ?? ''} ${e.message}`);
      return fail(res, 500, e.code === '57014' ? `the tile took longer than ${TIMEOUT} ms`
                                               : `tile ${z}/${tx}/${ty} of layer "${x.layer}" could not be made`);
    }
    const etag = `"${crypto.createHash('sha1').update(tile).digest('hex').slice(0, 27)}"`;
    const headers = { 'Cache-Control': `public, max-age=${MAX_AGE}`, ETag: etag, 'Access-Control-Allow-Origin': '*' };
    if (req.headers['if-none-match'] === etag) return send(res, 304, '', headers);
    if (tile.length === 0) return send(res, 204, '', headers);
    res.writeHead(200, { ...headers, 'Content-Type': 'application/vnd.mapbox-vector-tile', 'Content-Length': tile.length });
    res.end(req.method === 'HEAD' ? undefined : tile);
  });
}
