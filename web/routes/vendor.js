// Browser libraries from web/node_modules, served at /vendor/<name>/ (cached a day: their
// versions are pinned by web/package-lock.json).  A page needing another library adds its
// npm package to web/package.json and a mount here or in its own route module.
'use strict';

const path = require('path');

module.exports = (app) => {
  const nm = path.join(__dirname, '..', 'node_modules');
  app.mount('/vendor/maplibre-gl', path.join(nm, 'maplibre-gl', 'dist'), { 'Cache-Control': 'public, max-age=86400' });
};
