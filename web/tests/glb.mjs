// The building ids of a glTF binary (GLB) of smartregion.city_tileset, for the web tests
// (exposure.test.mjs, city3d.test.mjs): the property table of its EXT_structural_metadata,
// column building_id (FLOAT64, one per feature), read from the BIN chunk; sorted.
export function glbBuildingIds(buf) {
  const jsonLen = buf.readUInt32LE(12);
  const gltf = JSON.parse(buf.subarray(20, 20 + jsonLen).toString('utf8'));
  const bin = buf.subarray(20 + jsonLen + 8);
  const table = gltf.extensions?.EXT_structural_metadata?.propertyTables?.[0];
  const view = gltf.bufferViews[table.properties.building_id.values];
  const ids = [];
  for (let i = 0; i < table.count; i++) ids.push(bin.readDoubleLE((view.byteOffset ?? 0) + 8 * i));
  return ids.sort((a, b) => a - b);
}

// the building ids of every glTF a served tileset.json names (its content URIs, relative to
// it), fetched from the server; a tile not served adds "status N"
export async function tilesetBuildingIds(tilesetUrl) {
  const tileset = await (await fetch(tilesetUrl)).json().catch(() => ({}));
  const uris = [];
  const walk = (t) => { if (t?.content?.uri) uris.push(t.content.uri); for (const c of t?.children ?? []) walk(c); };
  walk(tileset.root);
  const ids = [];
  for (const u of uris) {
    const r = await fetch(new URL(u, tilesetUrl));
    ids.push(...(r.status === 200 ? glbBuildingIds(Buffer.from(await r.arrayBuffer())) : [`status ${r.status}`]));
  }
  return { uris, ids };
}
