// The city in 3D (docs/city3d-publish.md): the CesiumJS build from npm, the
// viewer page, and the tileset city_tileset wrote (scripts/city3d-export.sh).
import path from 'node:path';

export function register(app) {
  app.static('/cesium/', path.join(app.root, 'web', 'node_modules', 'cesium', 'Build', 'Cesium'));
  app.static('/city3d/data/', path.join(app.dataDir, 'city3d'));
  app.static('/city3d/', path.join(app.root, 'web', 'city3d'));
  app.page('/city3d/', 'The city in 3D: Lyon 1er coloured by solar potential (CesiumJS, 3D Tiles)');
}
