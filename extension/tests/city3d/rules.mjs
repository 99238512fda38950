// Rules of the specifications, written out by hand for the parts smartregion
// writes (no maintained 3D Tiles validator installs from npm here):
//   - tilesetSchemaErrors: the JSON schema of 3D Tiles 1.1 (tileset, tile,
//     boundingVolume, content, asset: required members, types, ranges,
//     array lengths, refine values, content/contents exclusive);
//   - metadataErrors: EXT_mesh_features and EXT_structural_metadata in a GLB
//     (feature id sets, property tables and their buffer views, the class
//     schema), the rules of the extensions' READMEs.
// Each returns a list of messages, empty when the object follows the rules.

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const numArray = (v, n) => Array.isArray(v) && v.length === n && v.every(isNum);
const IDENT = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function rootProperty(o, at, errs) {
  if ('extensions' in o && (!isObj(o.extensions) || !Object.values(o.extensions).every(isObj)))
    errs.push(`${at}/extensions must be an object of objects`);
}

function boundingVolume(bv, at, errs) {
  if (!isObj(bv)) return errs.push(`${at} must be an object`);
  rootProperty(bv, at, errs);
  const kinds = ['box', 'region', 'sphere'].filter((k) => k in bv);
  if (kinds.length === 0 && !bv.extensions) errs.push(`${at} needs box, region or sphere`);
  if ('box' in bv && !numArray(bv.box, 12)) errs.push(`${at}/box must be 12 numbers`);
  if ('region' in bv && !numArray(bv.region, 6)) errs.push(`${at}/region must be 6 numbers`);
  if ('sphere' in bv && !numArray(bv.sphere, 4)) errs.push(`${at}/sphere must be 4 numbers`);
}

function content(c, at, errs) {
  if (!isObj(c)) return errs.push(`${at} must be an object`);
  rootProperty(c, at, errs);
  if (typeof c.uri !== 'string') errs.push(`${at}/uri is required and must be a string`);
  if ('boundingVolume' in c) boundingVolume(c.boundingVolume, `${at}/boundingVolume`, errs);
  if ('group' in c && !(Number.isInteger(c.group) && c.group >= 0)) errs.push(`${at}/group must be an integer >= 0`);
}

function tile(t, at, errs) {
  if (!isObj(t)) return errs.push(`${at} must be an object`);
  rootProperty(t, at, errs);
  if (!('boundingVolume' in t)) errs.push(`${at}/boundingVolume is required`);
  else boundingVolume(t.boundingVolume, `${at}/boundingVolume`, errs);
  if ('viewerRequestVolume' in t) boundingVolume(t.viewerRequestVolume, `${at}/viewerRequestVolume`, errs);
  if (!isNum(t.geometricError) || t.geometricError < 0) errs.push(`${at}/geometricError is required, a number >= 0`);
  if ('refine' in t && typeof t.refine !== 'string') errs.push(`${at}/refine must be a string`);
  if ('refine' in t && !['ADD', 'REPLACE'].includes(t.refine)) errs.push(`${at}/refine must be ADD or REPLACE`);
  if ('transform' in t && !numArray(t.transform, 16)) errs.push(`${at}/transform must be 16 numbers`);
  if ('content' in t && 'contents' in t) errs.push(`${at} cannot have both content and contents`);
  if ('content' in t) content(t.content, `${at}/content`, errs);
  if ('contents' in t) {
    if (!Array.isArray(t.contents) || t.contents.length < 1) errs.push(`${at}/contents must be a non-empty array`);
    else t.contents.forEach((c, i) => content(c, `${at}/contents/${i}`, errs));
  }
  if ('children' in t) {
    if (!Array.isArray(t.children) || t.children.length < 1) errs.push(`${at}/children must be a non-empty array`);
    else {
      if (new Set(t.children.map((c) => JSON.stringify(c))).size !== t.children.length)
        errs.push(`${at}/children must be unique`);
      t.children.forEach((c, i) => tile(c, `${at}/children/${i}`, errs));
    }
  }
}

export function tilesetSchemaErrors(ts) {
  const errs = [];
  if (!isObj(ts)) return ['the tileset must be an object'];
  rootProperty(ts, '', errs);
  if (!isObj(ts.asset) || typeof ts.asset.version !== 'string') errs.push('/asset/version is required, a string');
  if (isObj(ts.asset) && 'tilesetVersion' in ts.asset && typeof ts.asset.tilesetVersion !== 'string')
    errs.push('/asset/tilesetVersion must be a string');
  if (!isNum(ts.geometricError) || ts.geometricError < 0) errs.push('/geometricError is required, a number >= 0');
  if (!('root' in ts)) errs.push('/root is required');
  else tile(ts.root, '/root', errs);
  for (const k of ['extensionsUsed', 'extensionsRequired'])
    if (k in ts && !(Array.isArray(ts[k]) && ts[k].length > 0 && ts[k].every((s) => typeof s === 'string') &&
                     new Set(ts[k]).size === ts[k].length)) errs.push(`/${k} must be unique strings`);
  if ('schema' in ts && 'schemaUri' in ts) errs.push('schema and schemaUri cannot both be given');
  return errs;
}

// ---- EXT_mesh_features + EXT_structural_metadata ----------------------------
const SIZE = { INT8: 1, UINT8: 1, INT16: 2, UINT16: 2, INT32: 4, UINT32: 4, INT64: 8, UINT64: 8, FLOAT32: 4, FLOAT64: 8 };

export function metadataErrors(gltf, bin, featureIdValues) {
  const errs = [];
  const used = gltf.extensionsUsed ?? [];
  const meta = gltf.extensions?.EXT_structural_metadata;
  const prims = (gltf.meshes ?? []).flatMap((m) => m.primitives);
  if (meta && !used.includes('EXT_structural_metadata')) errs.push('EXT_structural_metadata not in extensionsUsed');
  if (meta) {
    const schema = meta.schema;
    if (!isObj(schema) || typeof schema.id !== 'string' || !IDENT.test(schema.id)) errs.push('schema.id must be an identifier');
    for (const [cn, cls] of Object.entries(schema?.classes ?? {})) {
      if (!IDENT.test(cn)) errs.push(`class name ${cn} is not an identifier`);
      for (const [pn, p] of Object.entries(cls.properties ?? {})) {
        if (!IDENT.test(pn)) errs.push(`property ${pn} is not an identifier`);
        if (!['SCALAR', 'VEC2', 'VEC3', 'VEC4', 'MAT2', 'MAT3', 'MAT4', 'STRING', 'BOOLEAN', 'ENUM'].includes(p.type))
          errs.push(`property ${pn} has type ${p.type}`);
        if (p.type === 'SCALAR' && !(p.componentType in SIZE)) errs.push(`property ${pn} needs a componentType`);
        if (p.type === 'BOOLEAN' && 'noData' in p) errs.push(`property ${pn}: BOOLEAN cannot have noData`);
        if (p.type === 'STRING' && 'noData' in p && typeof p.noData !== 'string') errs.push(`property ${pn}: noData of a STRING is a string`);
        if (p.type === 'SCALAR' && 'noData' in p && !isNum(p.noData)) errs.push(`property ${pn}: noData of a SCALAR is a number`);
      }
    }
    (meta.propertyTables ?? []).forEach((t, ti) => {
      const cls = schema?.classes?.[t.class];
      if (!cls) return errs.push(`propertyTables/${ti}: class ${t.class} not in the schema`);
      if (!(Number.isInteger(t.count) && t.count >= 1)) errs.push(`propertyTables/${ti}/count must be >= 1`);
      for (const [pn, tp] of Object.entries(t.properties ?? {})) {
        const p = cls.properties?.[pn];
        if (!p) { errs.push(`propertyTables/${ti}: ${pn} not in class ${t.class}`); continue; }
        const bv = gltf.bufferViews?.[tp.values];
        if (!bv) { errs.push(`propertyTables/${ti}/${pn}: values is not a buffer view`); continue; }
        if ((bv.byteOffset ?? 0) % 8 !== 0) errs.push(`propertyTables/${ti}/${pn}: values not aligned to 8 bytes`);
        if (p.type === 'SCALAR' && bv.byteLength < t.count * SIZE[p.componentType])
          errs.push(`propertyTables/${ti}/${pn}: values too short`);
        if (p.type === 'BOOLEAN' && bv.byteLength < Math.ceil(t.count / 8)) errs.push(`propertyTables/${ti}/${pn}: bits too short`);
        if (p.type === 'STRING') {
          const ov = gltf.bufferViews?.[tp.stringOffsets];
          const ot = tp.stringOffsetType ?? 'UINT32';
          if (!ov) { errs.push(`propertyTables/${ti}/${pn}: STRING needs stringOffsets`); continue; }
          if ((ov.byteOffset ?? 0) % 8 !== 0) errs.push(`propertyTables/${ti}/${pn}: stringOffsets not aligned to 8 bytes`);
          if (ot !== 'UINT32' || ov.byteLength < 4 * (t.count + 1)) { errs.push(`propertyTables/${ti}/${pn}: stringOffsets too short`); continue; }
          const dv = new DataView(bin.buffer, bin.byteOffset + (ov.byteOffset ?? 0), ov.byteLength);
          let prev = 0;
          for (let i = 0; i <= t.count; i++) {
            const o = dv.getUint32(4 * i, true);
            if (o < prev || o > bv.byteLength) { errs.push(`propertyTables/${ti}/${pn}: string offsets not increasing within the values`); break; }
            prev = o;
          }
          if (dv.getUint32(0, true) !== 0) errs.push(`propertyTables/${ti}/${pn}: the first string offset must be 0`);
        }
      }
    });
  }
  prims.forEach((p, pi) => {
    const mf = p.extensions?.EXT_mesh_features;
    if (!mf) return;
    if (!used.includes('EXT_mesh_features')) errs.push('EXT_mesh_features not in extensionsUsed');
    (mf.featureIds ?? []).forEach((f, fi) => {
      if (!(Number.isInteger(f.featureCount) && f.featureCount >= 1)) errs.push(`featureIds/${fi}/featureCount must be >= 1`);
      if ('attribute' in f) {
        const acc = p.attributes?.[`_FEATURE_ID_${f.attribute}`];
        if (acc === undefined) errs.push(`featureIds/${fi}: no attribute _FEATURE_ID_${f.attribute}`);
        else {
          const a = gltf.accessors[acc];
          if (a.type !== 'SCALAR' || ![5121, 5123, 5126].includes(a.componentType) || a.normalized)
            errs.push(`featureIds/${fi}: _FEATURE_ID_${f.attribute} must be an unnormalized SCALAR of UNSIGNED_BYTE, UNSIGNED_SHORT or FLOAT`);
        }
      }
      if ('propertyTable' in f) {
        const t = meta?.propertyTables?.[f.propertyTable];
        if (!t) errs.push(`featureIds/${fi}: propertyTable ${f.propertyTable} does not exist`);
        else if (t.count < f.featureCount) errs.push(`featureIds/${fi}: featureCount above the table's count`);
      }
      if (featureIdValues) {
        const bad = featureIdValues.find((v) => !(Number.isInteger(v) && v >= 0 && v < f.featureCount));
        if (bad !== undefined) errs.push(`featureIds/${fi}: feature id ${bad} outside [0, featureCount)`);
      }
    });
  });
  return errs;
}
