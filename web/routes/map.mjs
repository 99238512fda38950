// The 2D map of the solar roofs (docs/web.md): MapLibre GL JS from npm, the page in web/map/,
// and the vector tiles of the extension's tile functions (web/routes/tiles.mjs).
import path from 'node:path';

export function register(app) {
  app.static('/vendor/maplibre-gl/', path.join(app.root, 'web', 'node_modules', 'maplibre-gl', 'dist'));
  app.static('/map/', path.join(app.root, 'web', 'map'));
  app.page('/map/', 'Solar potential of the roofs: the 2D map (MapLibre GL JS, vector tiles of solar_tile)');
  // browsers ask for it; a 404 would be an error in the page's console
  app.route('/favicon.ico', (req, res) => { res.writeHead(204, { 'Cache-Control': 'public, max-age=86400' }); res.end(); });
}
