// Vector tiles of the extension's tile functions: every function smartregion.<layer>_tile(z int,
// x int, y int, ...) returning bytea (solar_tile: layer "solar") is served, with its other
// arguments left at their defaults, as
//   /tiles/<layer>/{z}/{x}/{y}.pbf    Mapbox Vector Tile (204 when the tile is empty)
//   /tiles/<layer>.json               TileJSON 3.0.0
//   /tiles/index.json                 the layers
// Caching: Cache-Control public, max-age SR_TILE_MAX_AGE seconds (default 300), and an ETag
// of the tile's bytes (If-None-Match answers 304), so browsers and proxies revalidate cheaply.
// A tile function added to the extension is served without a change here (the list is read
// from the catalogue once a minute).
'use strict';

const crypto = require('crypto');

const MAX_AGE = Number(process.env.SR_TILE_MAX_AGE || 300);
const SCHEMA = process.env.SR_TILE_SCHEMA || 'smartregion';
const FIND = `
  SELECT p.proname::text AS fn, regexp_replace(p.proname::text, '_tile$', '') AS layer,
         obj_description(p.oid, 'pg_proc') AS description
    FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname = $1 AND p.proname::text LIKE '%\\_tile' AND p.prorettype = 'bytea'::regtype
     AND p.pronargs - p.pronargdefaults = 3
     AND p.proargtypes[0] = 'int4'::regtype AND p.proargtypes[1] = 'int4'::regtype
     AND p.proargtypes[2] = 'int4'::regtype
   ORDER BY 2`;

module.exports = (app) => {
  let layers = null;
  let readAt = 0;
  async function catalogue() {
    if (!layers || Date.now() - readAt > 60000) {
      const r = await app.pool.query(FIND, [SCHEMA]);
      layers = new Map(r.rows.map((row) => [row.layer, row]));
      readAt = Date.now();
    }
    return layers;
  }
  const base = (req) => `http://${req.headers.host || 'localhost'}`;
  const json = (res, obj) => app.send(res, 200, JSON.stringify(obj, null, 1) + '\n',
    { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache', 'Access-Control-Allow-Origin': '*' });

  app.route('GET', /^\/tiles\/index\.json$/, async (req, res) => {
    const l = await catalogue();
    json(res, [...l.values()].map((x) => ({
      layer: x.layer, function: `${SCHEMA}.${x.fn}`, description: x.description,
      tilejson: `${base(req)}/tiles/${x.layer}.json`, tiles: `${base(req)}/tiles/${x.layer}/{z}/{x}/{y}.pbf`,
    })));
  });

  app.route('GET', /^\/tiles\/([a-z0-9_]+)\.json$/, async (req, res, m) => {
    const x = (await catalogue()).get(m[1]);
    if (!x) return app.fail(res, 404, `no tile layer "${m[1]}"`);
    json(res, {
      tilejson: '3.0.0', name: x.layer, description: x.description, scheme: 'xyz', minzoom: 0, maxzoom: 22,
      tiles: [`${base(req)}/tiles/${x.layer}/{z}/{x}/{y}.pbf`],
      vector_layers: [],
    });
  });

  app.route('GET', /^\/tiles\/([a-z0-9_]+)\/(\d+)\/(\d+)\/(\d+)\.(pbf|mvt)$/, async (req, res, m) => {
    const x = (await catalogue()).get(m[1]);
    if (!x) return app.fail(res, 404, `no tile layer "${m[1]}"`);
    const [z, tx, ty] = [Number(m[2]), Number(m[3]), Number(m[4])];
    if (z > 24 || tx >= 2 ** z || ty >= 2 ** z) return app.fail(res, 400, `tile ${z}/${tx}/${ty} does not exist`);
    let tile;
    try {
      // the function's name comes from the catalogue, quoted as an identifier
      const r = await app.pool.query(`SELECT "${SCHEMA.replace(/"/g, '""')}"."${x.fn.replace(/"/g, '""')}"($1, $2, $3) AS t`,
                                     [z, tx, ty]);
      tile = r.rows[0].t || Buffer.alloc(0);
    } catch (e) {
      // 22023: a tile outside the grid; anything else is the server's problem
      return app.fail(res, e.code === '22023' ? 400 : 500, e.message);
    }
    const etag = `"${crypto.createHash('sha1').update(tile).digest('hex').slice(0, 27)}"`;
    const headers = {
      'Cache-Control': `public, max-age=${MAX_AGE}`, ETag: etag, 'Access-Control-Allow-Origin': '*',
      Vary: 'Accept-Encoding',
    };
    if (req.headers['if-none-match'] === etag) return app.send(res, 304, '', headers);
    if (tile.length === 0) return app.send(res, 204, '', headers);
    res.writeHead(200, { ...headers, 'Content-Type': 'application/vnd.mapbox-vector-tile', 'Content-Length': tile.length });
    res.end(req.method === 'HEAD' ? undefined : tile);
  });
};
