// make serve: the platform's web pages, from one small server (node:http,
// no framework).  Routes are a table: every web/routes/*.mjs module exports
// register(app) and adds its pages and static folders there, so a new page
// (a 2D map, a dashboard) is a new file, not an edit of this one.
//
//   node web/server.mjs [--port 8080] [--host 127.0.0.1]
//   SR_WEB_DATA: the folder of generated data (default .tmp/web)
//   SR_WEB_REQUEST_TIMEOUT_MS: the time a client has to send its request (default 10,000 ms)
//   SR_WEB_MAX_CONNECTIONS, SR_WEB_KEEPALIVE_TIMEOUT_MS, SR_WEB_MAX_REQUESTS_PER_SOCKET: the
//   open connections (default 256), an idle connection's life (5,000 ms), its requests (1,000)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const arg = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const port = Number(arg('port', process.env.SR_WEB_PORT ?? 8080));
const host = arg('host', '127.0.0.1');
// A client has SR_WEB_REQUEST_TIMEOUT_MS (default 10 s) to send its request, then gets 408 and
// its connection closed (docs/web.md, "Facing the internet"): the pages take GET and HEAD
// only, whose request is its headers (a few hundred bytes), so Node's 60 s for the headers and
// 300 s for the request only let a client trickling its headers hold a socket. The time to
// answer is not limited here (a tile's is SR_TILE_QUEUE_MS and SR_TILE_TIMEOUT_MS). Node looks
// at its connections every connectionsCheckingInterval (30 s by default: a 10 s limit would
// act after 10 to 40 s), here every second.
// a whole-number setting of the environment, or its default; the server stops at its start,
// naming the setting, when it is not one
function setting(name, def, min, unit) {
  const v = process.env[name] ?? String(def);
  if (!/^[0-9]{1,9}$/.test(v) || Number(v) < min) {
    throw new Error(`${name} must be a whole number${unit ? ` of ${unit}` : ''}, at least ${min}: ${v}`);
  }
  return Number(v);
}
const REQUEST_MS = setting('SR_WEB_REQUEST_TIMEOUT_MS', 10000, 1, 'milliseconds');
// The open connections (docs/web.md, "Facing the internet"). Before 2026-12-07 they were not
// bounded: a client opening thousands of sockets, each sending a request within the time
// above, held them all (and the process's file descriptors, which the tiles' database
// connections and the static files need too).
// - SR_WEB_MAX_CONNECTIONS (default 256): one more is closed as soon as it is accepted, before
//   it is read (Node's maxConnections). 256: forty browsers' six connections each, direct, or
//   a reverse proxy's connections for far more tiles than the pool computes and queues at once
//   (4 + 32 with the defaults), well under the usual 1,024 file descriptors of a process.
// - SR_WEB_KEEPALIVE_TIMEOUT_MS (default 5,000 ms, Node's): how long a connection with no
//   request in progress is kept for the next one; then closed.
// - SR_WEB_MAX_REQUESTS_PER_SOCKET (default 1,000, nginx's keepalive_requests): the requests
//   one connection may make; the last is answered with Connection: close (Node's default,
//   no limit, let one connection stay as long as it asked for something every 5 s).
const MAX_CONNECTIONS = setting('SR_WEB_MAX_CONNECTIONS', 256, 1);
const KEEPALIVE_MS = setting('SR_WEB_KEEPALIVE_TIMEOUT_MS', 5000, 1, 'milliseconds');
const REQUESTS_PER_SOCKET = setting('SR_WEB_MAX_REQUESTS_PER_SOCKET', 1000, 1);

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.glb': 'model/gltf-binary', '.gltf': 'model/gltf+json',
  '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.wasm': 'application/wasm',
  '.ktx2': 'image/ktx2', '.xml': 'application/xml', '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};

// The app every route module registers into.
const app = {
  root: path.dirname(here),
  dataDir: process.env.SR_WEB_DATA ?? path.join(path.dirname(here), '.tmp', 'web'),
  pages: [],          // {path, title}: listed on the index page
  routes: [],         // {prefix, handler(req, res, rest)}: longest prefix first
  // serve the files of a folder under a URL prefix ("/cesium/")
  static(prefix, folder) {
    this.routes.push({ prefix, handler: (req, res, rest) => sendFile(res, folder, rest) });
  },
  route(prefix, handler) { this.routes.push({ prefix, handler }); },
  page(p, title) { this.pages.push({ path: p, title }); },
};

function sendFile(res, folder, rest) {
  let rel;
  try {
    rel = decodeURIComponent(rest || 'index.html');
  } catch {
    return badRequest(res, 'malformed %-escape in the path');
  }
  if (rel.includes('\0')) return notFound(res);
  serveFile(res, folder, rel);
}

// rel: decoded once (a folder's index.html is not decoded again: before 2026-12-07 the path of
// a folder was, so /x/a%2520b/ served x/a b/index.html)
function serveFile(res, folder, rel) {
  const file = path.resolve(folder, rel);
  // never outside the folder, by its path ...
  if (file !== folder && !file.startsWith(path.resolve(folder) + path.sep)) return notFound(res);
  // ... nor through a symbolic link inside it to a file outside (before 2026-12-07 a link
  // in a served folder, such as the generated data's, served whatever it pointed to)
  fs.realpath(folder, (e1, realFolder) => fs.realpath(file, (e2, real) => {
    if (e1 || e2 || (real !== realFolder && !real.startsWith(realFolder + path.sep))) return notFound(res);
    fs.stat(real, (err, st) => {
      if (err) return notFound(res);
      if (st.isDirectory()) return serveFile(res, folder, path.join(rel, 'index.html'));
      res.writeHead(200, { 'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
                           'Content-Length': st.size, 'Cache-Control': 'no-cache' });
      fs.createReadStream(real).on('error', () => res.destroy()).pipe(res);
    });
  }));
}

function badRequest(res, why) {
  res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`bad request: ${why}\n`);
}

function notFound(res) {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('not found\n');
}

function index(res) {
  const items = app.pages.map((p) => `<li><a href="${p.path}">${p.title}</a></li>`).join('\n');
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
  res.end(`<!doctype html><html><head><meta charset="utf-8"><title>smartregion</title></head>
<body style="font-family: sans-serif"><h1>smartregion</h1><ul>${items}</ul></body></html>\n`);
}

// every route module, in name order
const routeDir = path.join(here, 'routes');
for (const f of fs.readdirSync(routeDir).filter((f) => f.endsWith('.mjs')).sort()) {
  const mod = await import(pathToFileURL(path.join(routeDir, f)).href);
  await mod.register(app);
}
app.routes.sort((a, b) => b.prefix.length - a.prefix.length);

// A request the handlers did not expect (a malformed URL, an exception) is answered,
// never allowed to stop the server for every other client.
function handle(req, res) {
  let url;
  try {
    url = new URL(req.url, 'http://localhost');
  } catch {
    return badRequest(res, 'malformed URL');
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    // (RFC 9110: a 405 names the methods the resource supports)
    res.writeHead(405, { Allow: 'GET, HEAD' });
    return res.end();
  }
  if (url.pathname === '/') return index(res);
  for (const r of app.routes) {
    // a folder's URL without its slash ("/map"), not an exact route ("/favicon.ico")
    if (r.prefix.endsWith('/') && url.pathname === r.prefix.slice(0, -1)) {
      res.writeHead(301, { Location: r.prefix });
      return res.end();
    }
    if (url.pathname.startsWith(r.prefix)) return r.handler(req, res, url.pathname.slice(r.prefix.length));
  }
  notFound(res);
}

function internalError(res, e) {
  console.error(`error: ${e?.stack ?? e}`);
  if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end('internal error\n');
}

const server = http.createServer({
  headersTimeout: REQUEST_MS, requestTimeout: REQUEST_MS,
  connectionsCheckingInterval: Math.min(1000, REQUEST_MS),
  keepAliveTimeout: KEEPALIVE_MS,
}, (req, res) => {
  try {
    Promise.resolve(handle(req, res)).catch((e) => internalError(res, e));
  } catch (e) {
    internalError(res, e);
  }
});
server.maxConnections = MAX_CONNECTIONS;
server.maxRequestsPerSocket = REQUESTS_PER_SOCKET;
// the connections closed over the limit, counted in the log at most every 10 s (not one line
// each: a flood of them would flood the log)
let dropped = 0;
let dropLogged = 0;
server.on('drop', () => {
  dropped++;
  if (Date.now() - dropLogged < 10000) return;
  console.error(`web: ${dropped} connection(s) closed at once, over SR_WEB_MAX_CONNECTIONS (${MAX_CONNECTIONS}) open`);
  dropped = 0;
  dropLogged = Date.now();
});
server.listen(port, host, () => {
  console.log(`smartregion web pages on http://${host}:${server.address().port}/`);
  for (const p of app.pages) console.log(`  ${p.title}: http://${host}:${server.address().port}${p.path}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('SIGINT', () => server.close(() => process.exit(0)));
