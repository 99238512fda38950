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
//   SR_WEB_SEND_TIMEOUT_MS: the time a client has to take each piece of an answer (30,000 ms)
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
// answer is not limited here (a tile's is SR_TILE_QUEUE_MS and SR_TILE_TIMEOUT_MS; the time
// to send the answer, SR_WEB_SEND_TIMEOUT_MS below). Node looks
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
// A slow reader (docs/web.md, "Facing the internet"): once an answer's headers are written, the
// connection is cut (TCP reset, so that the kernel's buffers go too) when the client has taken
// nothing of it for SR_WEB_SEND_TIMEOUT_MS (default 30,000 ms, nginx's send_timeout): no write
// of the answer to the socket completed in that time. A file is written 64 KiB at a time, a tile
// or a JSON document in one write, which the client must take whole within it. The timeout
// starts with the headers, so a tile's wait for the database (SR_TILE_QUEUE_MS plus
// SR_TILE_TIMEOUT_MS, in silence) is not limited by it; between requests the keep-alive timeout
// applies again. Before 2026-12-07's third round a client that stopped reading a large file or
// tile held its connection, the file's stream and the answer's buffers for ever.
const SEND_MS = setting('SR_WEB_SEND_TIMEOUT_MS', 30000, 1, 'milliseconds');

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
      // HEAD: the headers, the file not read (before 2026-12-07's third round it was read whole
      // and its bytes thrown away by Node: a HEAD of a large file cost the reads of a GET)
      if (res.req?.method === 'HEAD') return res.end();
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

// the answers cut for a client not reading them (SR_WEB_SEND_TIMEOUT_MS), counted in the log at
// most every 10 s, as the connections closed over the limit below
let cut = 0;
let cutLogged = 0;
function sendTimedOut(res) {
  const socket = res.socket;
  if (!socket || socket.destroyed) return;
  cut++;
  if (Date.now() - cutLogged >= 10000) {
    console.error(`web: ${cut} answer(s) cut, their client having taken nothing for SR_WEB_SEND_TIMEOUT_MS (${SEND_MS} ms)`);
    cut = 0;
    cutLogged = Date.now();
  }
  // (a reset: a plain close would leave the unsent bytes in the kernel's buffer of a socket
  // whose client reads nothing, until TCP gives up on it)
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy(); else socket.destroy();
}
// Every answer: the send timeout from its headers on (writeHead, which Node calls too for an
// answer written without it). The socket's idle timeout is Node's, refreshed by every completed
// write and read; Node sets it to SR_WEB_KEEPALIVE_TIMEOUT_MS when the answer is finished and
// clears it when the next request comes. An answer given the connection when the one before it
// is finished (requests sent without waiting, HTTP/1.1 pipelining) clears it too until its own
// headers: else the last answer's timeout cut it while its tile was computed.
class Response extends http.ServerResponse {
  writeHead(...a) {
    if (!this.srSendTimed) {
      this.srSendTimed = true;
      this.setTimeout(SEND_MS, () => sendTimedOut(this));
    }
    return super.writeHead(...a);
  }
  assignSocket(socket) {
    super.assignSocket(socket);
    if (!this.srSendTimed) socket.setTimeout(0);
  }
}

const server = http.createServer({
  headersTimeout: REQUEST_MS, requestTimeout: REQUEST_MS,
  connectionsCheckingInterval: Math.min(1000, REQUEST_MS),
  keepAliveTimeout: KEEPALIVE_MS,
  ServerResponse: Response,
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
