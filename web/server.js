#!/usr/bin/env node
// make serve: a small web server for the smartregion demo (docs/web.md).
//
//   node web/server.js [--port 8080] [--host 127.0.0.1]
//
// PostgreSQL through the standard PG* variables (scripts/serve.sh sets them for the demo:
// demo_reader over 127.0.0.1, its password in PGPASSFILE).  Node's http module and npm `pg`,
// nothing else.  What it serves is assembled from two places, so that features are added
// without editing this file:
//   web/routes/*.js    route modules: module.exports = (app) => { app.route('GET', /^...$/, handler) }
//                      (handler(req, res, match, app); app.pool is the pg pool, app.mount()
//                      serves a directory, app.send()/app.fail() answer)
//   web/public/<name>/ static pages, served at /<name>/ and listed on the home page by the
//                      <title> of their index.html
// Browser libraries come from web/node_modules through app.mount('/vendor/<name>', dir).
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const { Pool } = require('pg');

const ROOT = __dirname;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml',
  '.map': 'application/json', '.wasm': 'application/wasm', '.glb': 'model/gltf-binary',
  '.pbf': 'application/vnd.mapbox-vector-tile', '.ico': 'image/x-icon', '.txt': 'text/plain',
};

function args(argv) {
  const out = { port: Number(process.env.SR_WEB_PORT || 8080), host: process.env.SR_WEB_HOST || '127.0.0.1' };
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === '--port') out.port = Number(argv[++i]);
    else if (argv[i] === '--host') out.host = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (--port N, --host ADDRESS)`);
  }
  return out;
}

// The password of a libpq password file (PGPASSFILE) for the PG* connection, read here
// rather than by pg (whose pgpass support is deprecated): host:port:database:user:password,
// '*' matching anything.
function pgpassPassword() {
  const file = process.env.PGPASSFILE;
  if (process.env.PGPASSWORD || !file || !fs.existsSync(file)) return undefined;
  const want = [process.env.PGHOST || 'localhost', process.env.PGPORT || '5432',
                process.env.PGDATABASE || process.env.PGUSER || '', process.env.PGUSER || ''];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const f = line.split(':');
    if (f.length >= 5 && f.slice(0, 4).every((v, i) => v === '*' || v === want[i])) return f.slice(4).join(':');
  }
  return undefined;
}

function createApp(options = {}) {
  const app = {
    routes: [],
    mounts: [],
    pool: options.pool || new Pool({ max: 4, application_name: 'smartregion-web', password: pgpassPassword() }),
    log: options.log || ((...a) => console.log(new Date().toISOString(), ...a)),
    route(method, pattern, handler) { app.routes.push({ method, pattern, handler }); },
    // serve the files of dir under the URL prefix (no listing, no '..')
    mount(prefix, dir, headers = {}) { app.mounts.push({ prefix: prefix.replace(/\/$/, ''), dir, headers }); },
    send(res, status, body, headers = {}) {
      res.writeHead(status, { 'Content-Length': body ? Buffer.byteLength(body) : 0, ...headers });
      res.end(body);
    },
    fail(res, status, message) {
      app.send(res, status, JSON.stringify({ error: message }) + '\n',
               { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    },
  };

  // static pages: web/public/<name>/ at /<name>/, and a home page listing them
  app.mount('', path.join(ROOT, 'public'));
  app.route('GET', /^\/$/, (req, res) => {
    const pages = fs.readdirSync(path.join(ROOT, 'public'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(ROOT, 'public', d.name, 'index.html')))
      .map((d) => {
        const html = fs.readFileSync(path.join(ROOT, 'public', d.name, 'index.html'), 'utf8');
        const m = html.match(/<title>([^<]*)<\/title>/i);
        return { name: d.name, title: m ? m[1] : d.name };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
    const body = '<!doctype html><html><head><meta charset="utf-8"><title>smartregion demo</title></head>'
      + '<body style="font-family: sans-serif"><h1>smartregion demo</h1><ul>'
      + pages.map((p) => `<li><a href="/${esc(p.name)}/">${esc(p.title)}</a></li>`).join('')
      + '</ul><p><a href="/tiles/index.json">tile layers</a></p></body></html>\n';
    app.send(res, 200, body, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-cache' });
  });

  app.route('GET', /^\/favicon\.ico$/, (req, res) => app.send(res, 204, '', { 'Cache-Control': 'public, max-age=86400' }));

  // route modules
  const dir = path.join(ROOT, 'routes');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) {
    require(path.join(dir, f))(app);
  }

  app.handle = async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const t0 = Date.now();
    res.on('finish', () => {
      if (!options.quiet) app.log(req.method, url.pathname, res.statusCode, `${Date.now() - t0} ms`);
    });
    try {
      for (const r of app.routes) {
        const m = url.pathname.match(r.pattern);
        if (m && (r.method === req.method || (r.method === 'GET' && req.method === 'HEAD'))) {
          req.query = url.searchParams;
          return await r.handler(req, res, m, app);
        }
      }
      if (req.method === 'GET' || req.method === 'HEAD') {
        // the longest prefix first: /vendor/x before the pages
        for (const mnt of [...app.mounts].sort((a, b) => b.prefix.length - a.prefix.length)) {
          if (mnt.prefix && url.pathname !== mnt.prefix && !url.pathname.startsWith(mnt.prefix + '/')) continue;
          let rel = decodeURIComponent(url.pathname.slice(mnt.prefix.length));
          if (rel === '' && mnt.prefix) {
            return app.send(res, 301, '', { Location: url.pathname + '/' });
          }
          if (rel.endsWith('/')) rel += 'index.html';
          const file = path.normalize(path.join(mnt.dir, rel));
          if (!file.startsWith(path.normalize(mnt.dir) + path.sep)) return app.fail(res, 403, 'forbidden');
          let st;
          try { st = fs.statSync(file); } catch (e) { continue; }
          if (st.isDirectory()) return app.send(res, 301, '', { Location: url.pathname + '/' });
          const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
          if (req.headers['if-none-match'] === etag) return app.send(res, 304, '', { ETag: etag });
          res.writeHead(200, {
            'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
            'Content-Length': st.size, ETag: etag, 'Cache-Control': 'no-cache', ...mnt.headers,
          });
          if (req.method === 'HEAD') return res.end();
          return fs.createReadStream(file).pipe(res);
        }
      }
      return app.fail(res, 404, `no such page: ${url.pathname}`);
    } catch (e) {
      app.log('error', req.method, url.pathname, e.message);
      if (!res.headersSent) app.fail(res, 500, e.message);
      else res.destroy();
    }
  };
  return app;
}

function listen(app, port, host) {
  return new Promise((resolve, reject) => {
    const server = http.createServer((req, res) => { app.handle(req, res); });
    server.on('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

module.exports = { createApp, listen };

if (require.main === module) {
  const a = args(process.argv);
  const app = createApp();
  listen(app, a.port, a.host).then((server) => {
    const { address, port } = server.address();
    console.log(`smartregion web: listening on http://${address}:${port}/ `
      + `(database ${process.env.PGDATABASE || '(PGDATABASE)'} as ${process.env.PGUSER || '(PGUSER)'})`);
    const stop = () => { server.close(); app.pool.end().then(() => process.exit(0)); };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  }, (e) => { console.error(`smartregion web: ${e.message}`); process.exit(1); });
}
