// Checks of smartregion's GLBs and tileset with maintained tools
// (scripts/test-city3d.sh writes the files into the directory given):
//   - every GLB (city_gltf's and every tile) passes the Khronos glTF
//     validator (npm gltf-validator) with 0 errors;
//   - a round trip through @gltf-transform/core gives the vertex count,
//     triangle count, feature ids and area expected (expected.json, worked
//     out by fixtures.py from the input polygons);
//   - the property table (EXT_structural_metadata) read back by hand holds
//     the features' ids and values;
//   - precision: the Lambert-93 house comes back within 1 cm, in the local
//     frame (origin from the extras) and in the enu frame (ENU -> ECEF
//     matrix from the extras, against PostGIS's ST_Transform to 4978);
//   - EXT_mesh_features / EXT_structural_metadata, which the validator does
//     not check (it reports them as unsupported), against their rules
//     (rules.mjs);
//   - the tileset: the rules of the 3D Tiles 1.1 JSON schema (rules.mjs: no
//     maintained 3D Tiles validator installs from npm here), then the
//     structural rules of the specification: bounding volumes contain their children and their
//     content, geometric errors never grow from parent to child, every
//     content URI exists, every feature of the city is in one tile.
// Prints TAP lines and "city3d: N passed, N failed".
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import validator from 'gltf-validator';
import { NodeIO, Logger } from '@gltf-transform/core';
import { tilesetSchemaErrors, metadataErrors } from './rules.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = process.argv[2];
let n = 0, failed = 0;
function check(ok, desc, detail) {
  n++;
  if (ok) console.log(`ok ${n} - ${desc}`);
  else {
    failed++;
    console.log(`not ok ${n} - ${desc}`);
    if (detail) console.log('#   ' + String(detail).split('\n').join('\n#   '));
  }
}
const close = (a, b, tol) => Math.abs(a - b) <= tol;

// ---- GLB parsing by hand (the JSON and BIN chunks) --------------------------
function parseGlb(buf) {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const jsonLen = dv.getUint32(12, true);
  const json = JSON.parse(new TextDecoder().decode(buf.subarray(20, 20 + jsonLen)));
  let bin = null;
  if (buf.byteLength > 20 + jsonLen) {
    const binLen = dv.getUint32(20 + jsonLen, true);
    bin = buf.subarray(28 + jsonLen, 28 + jsonLen + binLen);
  }
  return { json, bin };
}

// The property table as arrays, per EXT_structural_metadata.
function propertyTable(glb) {
  const { json, bin } = glb;
  const ext = json.extensions?.EXT_structural_metadata;
  if (!ext) return null;
  const table = ext.propertyTables[0];
  const cls = ext.schema.classes[table.class].properties;
  const out = {};
  const view = (i) => {
    const bv = json.bufferViews[i];
    return bin.subarray(bv.byteOffset, bv.byteOffset + bv.byteLength);
  };
  for (const [name, p] of Object.entries(table.properties)) {
    const def = cls[name];
    const v = view(p.values);
    const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
    const col = [];
    for (let i = 0; i < table.count; i++) {
      if (def.type === 'STRING') {
        const o = new DataView(view(p.stringOffsets).buffer, view(p.stringOffsets).byteOffset);
        col.push(new TextDecoder().decode(v.subarray(o.getUint32(4 * i, true), o.getUint32(4 * i + 4, true))));
      } else if (def.type === 'BOOLEAN') col.push(((v[i >> 3] >> (i & 7)) & 1) === 1);
      else if (def.componentType === 'INT64') col.push(Number(dv.getBigInt64(8 * i, true)));
      else col.push(dv.getFloat64(8 * i, true));
    }
    out[name] = col;
  }
  return out;
}

// ---- the Khronos validator ----------------------------------------------------
async function validate(file, label) {
  const bytes = new Uint8Array(fs.readFileSync(file));
  const report = await validator.validateBytes(bytes, { uri: path.basename(file), maxIssues: 50 });
  const errs = report.issues.messages.filter((m) => m.severity === 0);
  return { ok: report.issues.numErrors === 0, report, detail: errs.map((m) => `${m.code} ${m.pointer ?? ''} ${m.message}`).join('\n') };
}

// ---- round trip ----------------------------------------------------------------
const io = new NodeIO();
io.setLogger(new Logger(Logger.Verbosity.ERROR));

async function roundTrip(file) {
  const doc = await io.readBinary(new Uint8Array(fs.readFileSync(file)));
  const prim = doc.getRoot().listMeshes()[0].listPrimitives()[0];
  const pos = prim.getAttribute('POSITION');
  const idx = prim.getIndices().getArray();
  const fid = prim.getAttribute('_FEATURE_ID_0');
  const p = pos.getArray();
  let area = 0;
  for (let t = 0; t < idx.length; t += 3) {
    const a = idx[t] * 3, b = idx[t + 1] * 3, c = idx[t + 2] * 3;
    const u = [p[b] - p[a], p[b + 1] - p[a + 1], p[b + 2] - p[a + 2]];
    const v = [p[c] - p[a], p[c + 1] - p[a + 1], p[c + 2] - p[a + 2]];
    area += Math.hypot(u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]) / 2;
  }
  return { vertices: pos.getCount(), triangles: idx.length / 3, fids: fid ? Array.from(fid.getArray()) : null,
           positions: p, normals: prim.getAttribute('NORMAL').getArray(), area };
}

const expected = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json')));

// 1. the fixtures: validator, round trip, property table
for (const name of ['cube', 'lroof', 'house', 'house93', 'house93-enu', 'planned', 'lyon1']) {
  const file = path.join(dir, `${name}.glb`);
  const v = await validate(file);
  check(v.ok, `${name}.glb: Khronos glTF validator, 0 errors (${v.report.issues.numWarnings} warnings, ${v.report.issues.numInfos} infos)`, v.detail);
  const g = parseGlb(new Uint8Array(fs.readFileSync(file)));
  const me = metadataErrors(g.json, g.bin, (await roundTrip(file)).fids);
  check(me.length === 0, `${name}.glb: EXT_mesh_features and EXT_structural_metadata follow their rules`, me.join('\n'));
}
// an empty query (an area without buildings) gives a GLB the validator accepts too, in both
// frames: an empty scene (until 2026-12-05 "nodes": [], EMPTY_ENTITY for the validator; and the
// enu frame said "surfaces_sql has no SRID")
for (const name of ['empty', 'empty-enu']) {
  const v = await validate(path.join(dir, `${name}.glb`));
  check(v.ok, `${name}.glb (no surface): Khronos glTF validator, 0 errors`, v.detail);
}
for (const name of ['cube', 'lroof', 'house']) {
  const e = expected[name];
  const file = path.join(dir, `${name}.glb`);
  const r = await roundTrip(file);
  check(r.vertices === e.vertices, `${name}: ${e.vertices} vertices read back by @gltf-transform/core`, `got ${r.vertices}`);
  check(r.triangles === e.triangles, `${name}: ${e.triangles} triangles`, `got ${r.triangles}`);
  check(close(r.area, e.area, 1e-3 * e.area), `${name}: triangles cover the polygons' area (${e.area.toFixed(3)} m2)`, `got ${r.area}`);
  check(r.fids && r.fids.length === e.feature_of_vertex.length && r.fids.every((f, i) => f === e.feature_of_vertex[i]),
        `${name}: feature id of every vertex`, `got ${r.fids?.slice(0, 80)}`);
  const t = propertyTable(parseGlb(new Uint8Array(fs.readFileSync(file))));
  check(t && JSON.stringify(t.feature_id) === JSON.stringify(e.features), `${name}: property table feature_id = ${JSON.stringify(e.features)}`,
        JSON.stringify(t?.feature_id));
  if (e.values) {
    check(JSON.stringify(t.value) === JSON.stringify(e.values) && JSON.stringify(t.name) === JSON.stringify(e.names),
          `${name}: property table values and names per feature`, JSON.stringify(t));
  }
  // every normal is a unit vector, and faces point away from the centre for the cube
  let unit = true;
  for (let i = 0; i < r.normals.length; i += 3) unit &&= close(Math.hypot(r.normals[i], r.normals[i + 1], r.normals[i + 2]), 1, 1e-6);
  check(unit, `${name}: unit normals`);
}
{
  // Y up: the cube's top face (z = 1 in the data) is at glTF y = +0.5
  const r = await roundTrip(path.join(dir, 'cube.glb'));
  const o = parseGlb(new Uint8Array(fs.readFileSync(path.join(dir, 'cube.glb')))).json.asset.extras.smartregion.origin;
  let up = 0;
  for (let i = 0; i < r.positions.length; i += 3) if (r.normals[i + 1] > 0.99 && close(r.positions[i + 1], 1 - o[2], 1e-6)) up++;
  check(up === 4, 'cube: the top face (z = 1 in the data) has normal +Y at y = 1 - origin z in glTF', `got ${up}`);
}

{
  // colours: the planned building in its colour, the neighbours on the diverging ramp by their
  // impact (expected colours interpolated here from the ramp's stops), walls grey
  const e = expected.planned;
  const doc = await io.readBinary(new Uint8Array(fs.readFileSync(path.join(dir, 'planned.glb'))));
  const prim = doc.getRoot().listMeshes()[0].listPrimitives()[0];
  const col = prim.getAttribute('COLOR_0').getArray(), nrm = prim.getAttribute('NORMAL').getArray();
  const fids = prim.getAttribute('_FEATURE_ID_0').getArray();
  const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const ramp = (v) => {
    const t = Math.min(1, Math.max(0, (v - e.range[0]) / (e.range[1] - e.range[0]))) * (e.ramp.length - 1);
    const k = Math.min(Math.floor(t), e.ramp.length - 2), f = t - k, a = hex(e.ramp[k]), b = hex(e.ramp[k + 1]);
    return a.map((c, i) => Math.round(c + f * (b[i] - c)));
  };
  let ok = true, roofs = 0, walls = 0; const bad = [];
  for (let v = 0; v < fids.length; v++) {
    const got = [col[4 * v], col[4 * v + 1], col[4 * v + 2]];
    const feature = String(fids[v] + 1);            // features ordered by id 1..4
    const want = Math.abs(nrm[3 * v + 1]) > 0.99     // a roof faces up (+Y)
      ? (typeof e.roof_colors[feature] === 'string' ? hex(e.roof_colors[feature]) : ramp(e.roof_colors[feature]))
      : hex(e.wall_color);
    if (Math.abs(nrm[3 * v + 1]) > 0.99) roofs++; else walls++;
    if (got.some((c, i) => Math.abs(c - want[i]) > 1)) { ok = false; bad.push(`vertex ${v} of feature ${feature}: ${got} != ${want}`); }
  }
  check(ok && roofs === 16 && walls === 64, 'planned: the project in its colour, neighbours coloured by their impact on the diverging ramp, walls grey',
        `${roofs} roof and ${walls} wall vertices; ${bad.slice(0, 4).join('; ')}`);
}

// 2. precision at Lambert-93: the house in the local frame and in the enu frame
{
  const input = JSON.parse(fs.readFileSync(path.join(dir, 'house93-vertices.json')));
  const g = parseGlb(new Uint8Array(fs.readFileSync(path.join(dir, 'house93.glb'))));
  const o = g.json.asset.extras.smartregion.origin;
  const r = await roundTrip(path.join(dir, 'house93.glb'));
  let worst = 0;
  for (let i = 0; i < r.positions.length; i += 3) {
    // local frame: glTF (x, y, z) = (X - X0, Z - Z0, -(Y - Y0))
    const X = o[0] + r.positions[i], Y = o[1] - r.positions[i + 2], Z = o[2] + r.positions[i + 1];
    let best = Infinity;
    for (const q of input) best = Math.min(best, Math.hypot(q[0] - X, q[1] - Y, q[2] - Z));
    worst = Math.max(worst, best);
  }
  check(worst < 0.01 && input[0][0] > 100000, `house93: every vertex back at its Lambert-93 coordinates within 1 cm (worst ${(worst * 1000).toFixed(3)} mm)`);
  const ecef = JSON.parse(fs.readFileSync(path.join(dir, 'house93-ecef.json')));
  const ge = parseGlb(new Uint8Array(fs.readFileSync(path.join(dir, 'house93-enu.glb'))));
  const M = ge.json.asset.extras.smartregion.enu_to_ecef;
  const re = await roundTrip(path.join(dir, 'house93-enu.glb'));
  worst = 0;
  for (let i = 0; i < re.positions.length; i += 3) {
    // glTF y up -> ENU (e, n, u) = (x, -z, y), then the column-major matrix
    const e = re.positions[i], nn = -re.positions[i + 2], u = re.positions[i + 1];
    const w = [0, 1, 2].map((k) => M[k] * e + M[4 + k] * nn + M[8 + k] * u + M[12 + k]);
    let best = Infinity;
    for (const q of ecef) best = Math.min(best, Math.hypot(q[0] - w[0], q[1] - w[1], q[2] - w[2]));
    worst = Math.max(worst, best);
  }
  check(worst < 0.01, `house93-enu: every vertex within 1 cm of PostGIS's ECEF (ST_Transform to 4978) (worst ${(worst * 1000).toFixed(3)} mm)`);
}

// 3. the tileset of the demo city
{
  const tdir = path.join(dir, 'tileset');
  const tileset = JSON.parse(fs.readFileSync(path.join(tdir, 'tileset.json')));
  const schemaErrs = tilesetSchemaErrors(tileset);
  check(schemaErrs.length === 0, 'tileset.json: follows the 3D Tiles 1.1 schema (required members, types, ranges, lengths)', schemaErrs.slice(0, 5).join('\n'));
  check(tileset.asset.version === '1.1' && ['ADD', 'REPLACE'].includes(tileset.root.refine), 'tileset.json: asset version 1.1, root refine set');

  // walk the tree: world transforms, boxes, errors, contents
  const mul = (A, B) => { const C = new Array(16).fill(0); for (let c = 0; c < 4; c++) for (let r = 0; r < 4; r++) for (let k = 0; k < 4; k++) C[4 * c + r] += A[4 * k + r] * B[4 * c + k]; return C; };
  const apply = (M, p) => [0, 1, 2].map((k) => M[k] * p[0] + M[4 + k] * p[1] + M[8 + k] * p[2] + M[12 + k]);
  const I = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
  const corners = (b) => { const out = []; for (let s = 0; s < 8; s++) { const p = [b[0], b[1], b[2]]; for (let a = 0; a < 3; a++) { const sg = (s >> a) & 1 ? 1 : -1; for (let k = 0; k < 3; k++) p[k] += sg * b[3 + 3 * a + k]; } out.push(p); } return out; };
  // is world point w inside box b of frame M (tolerance tol metres)?
  const inBox = (M, b, w, tol) => {
    // M is rigid: local = R^T (w - t)
    const d = [w[0] - M[12], w[1] - M[13], w[2] - M[14]];
    const l = [0, 1, 2].map((c) => M[4 * c] * d[0] + M[4 * c + 1] * d[1] + M[4 * c + 2] * d[2]);
    const q = [l[0] - b[0], l[1] - b[1], l[2] - b[2]];
    for (let a = 0; a < 3; a++) {
      const h = b.slice(3 + 3 * a, 6 + 3 * a), hl = Math.hypot(...h);
      if (Math.abs((q[0] * h[0] + q[1] * h[1] + q[2] * h[2]) / hl) > hl + tol) return false;
    }
    return true;
  };
  let tiles = 0, features = 0, boxOk = true, geOk = true, uriOk = true, contentOk = true, errors = [], glbErrors = 0, glbDetail = '';
  const rootGe = tileset.geometricError;
  const tilesValidated = [];
  async function visit(tile, parentM, parentBox, parentGe) {
    const M = tile.transform ? mul(parentM, tile.transform) : parentM;
    const b = tile.boundingVolume.box;
    tiles++;
    if (tile.geometricError > parentGe) { geOk = false; errors.push(`geometric error ${tile.geometricError} > parent ${parentGe}`); }
    if (parentBox) for (const c of corners(b)) if (!inBox(parentM, parentBox, apply(M, c), 1e-3)) { boxOk = false; errors.push(`box of ${tile.content?.uri} not in its parent's`); break; }
    if (tile.content) {
      const file = path.join(tdir, tile.content.uri);
      if (!fs.existsSync(file)) { uriOk = false; errors.push(`missing ${tile.content.uri}`); }
      else {
        const v = await validate(file);
        tilesValidated.push(tile.content.uri);
        const r = await roundTrip(file);
        const g = parseGlb(new Uint8Array(fs.readFileSync(file)));
        const me = metadataErrors(g.json, g.bin, r.fids);
        if (!v.ok || me.length) { glbErrors++; glbDetail += `${tile.content.uri}: ${v.detail} ${me.join('; ')}\n`; }
        features += new Set(r.fids).size;
        for (let i = 0; i < r.positions.length; i += 3) {
          // glTF y up -> tile z up: (x, -z, y)
          const w = apply(M, [r.positions[i], -r.positions[i + 2], r.positions[i + 1]]);
          if (!inBox(M, b, w, 1e-3)) { contentOk = false; errors.push(`a vertex of ${tile.content.uri} outside its box`); break; }
        }
      }
    }
    for (const c of tile.children ?? []) await visit(c, M, b, tile.geometricError);
  }
  await visit(tileset.root, I, null, rootGe);
  const city = JSON.parse(fs.readFileSync(path.join(dir, 'lyon1.json')));
  check(tiles > 4, `tileset: ${tiles} tiles over several levels`);
  check(glbErrors === 0, `tileset: every tile (${tilesValidated.length}) passes the Khronos glTF validator with 0 errors and the metadata rules`, glbDetail);
  check(uriOk, 'tileset: every content URI exists', errors.join('\n'));
  check(boxOk, "tileset: every tile's bounding box contains its children's boxes", errors.join('\n'));
  check(contentOk, "tileset: every tile's bounding box contains its content's vertices", errors.join('\n'));
  check(geOk && tileset.root.geometricError <= rootGe, 'tileset: geometric errors never grow from parent to child', errors.join('\n'));
  check(features === city.buildings, `tileset: the ${city.buildings} buildings of Lyon 1er each in one tile (refine ADD)`, `got ${features}`);
  const leaves = []; (function f(t) { if (!t.children) leaves.push(t); else t.children.forEach(f); })(tileset.root);
  check(leaves.every((t) => t.geometricError === 0), 'tileset: leaves have geometric error 0');
  const ex = tileset.extras?.smartregion;
  check(ex && ex.value_name === 'annual_kwh_m2' && ex.value_range[0] < ex.value_range[1] && ex.ramp_stops.length === 5,
        'tileset: the legend (value name, range, ramp) is in the extras', JSON.stringify(ex));
  const root = parseGlb(new Uint8Array(fs.readFileSync(path.join(tdir, tileset.root.content.uri))));
  const t = propertyTable(root);
  check(t && t.annual_kwh_m2 && t.building_id && t.potential_class &&
        t.annual_kwh_m2.every((v) => v >= ex.value_range[0] && v <= ex.value_range[1]) &&
        t.building_id.every((v, i) => v === t.feature_id[i]),
        'tileset: the root tile carries the cadastre properties (annual_kwh_m2, building_id, potential_class)', JSON.stringify(Object.keys(t ?? {})));
}

// 4. the checkers reject what they must (a checker that passes everything proves nothing)
{
  const tdir = path.join(dir, 'tileset');
  const good = JSON.parse(fs.readFileSync(path.join(tdir, 'tileset.json')));
  const bad = (f) => { const t = structuredClone(good); f(t); return tilesetSchemaErrors(t).length > 0; };
  check(bad((t) => delete t.root.geometricError) && bad((t) => { t.root.refine = 'MERGE'; }) &&
        bad((t) => { t.root.boundingVolume.box.pop(); }) && bad((t) => { t.asset = {}; }) &&
        bad((t) => { t.root.children = []; }) && bad((t) => { t.root.transform = [1, 0, 0]; }) &&
        bad((t) => { t.geometricError = -1; }) && bad((t) => { t.root.contents = [t.root.content]; }),
        'rules: the tileset schema rules reject a missing error, a bad refine, a short box, no version, empty children, a short transform, a negative error, content and contents');
  const g = parseGlb(new Uint8Array(fs.readFileSync(path.join(dir, 'lroof.glb'))));
  const mbad = (f, fids) => { const j = structuredClone(g.json); f(j); return metadataErrors(j, g.bin, fids).length > 0; };
  const fid = (j) => j.meshes[0].primitives[0].extensions.EXT_mesh_features.featureIds[0];
  check(mbad((j) => { fid(j).featureCount = 0; }) && mbad((j) => { fid(j).propertyTable = 3; }) &&
        mbad((j) => { j.extensions.EXT_structural_metadata.propertyTables[0].class = 'nope'; }) &&
        mbad((j) => { j.bufferViews[j.extensions.EXT_structural_metadata.propertyTables[0].properties.feature_id.values].byteOffset += 4; }) &&
        mbad(() => {}, [0, 1, 2]) && mbad((j) => { j.extensionsUsed = []; }),
        'rules: the metadata rules reject a zero feature count, a missing table or class, a misaligned view, an id out of range, undeclared extensions');
}

console.log(`city3d: ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
