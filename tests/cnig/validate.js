// Validates CNIG "Sites économiques" exchange files against the standard's
// Table Schema files (data/cnig/<class>/schema.json) with frictionless
// tableschema: the header (every field, in order), every constraint of every
// field (required, pattern, enum, type and format: dates, numbers, GeoJSON,
// geopoints) and the primary key, plus the value lists the standard writes
// at field level ("enum" beside "constraints"), which tableschema does not
// read.  Usage: node validate.js SCHEMA.json FILE.csv ...  (pairs)
// Prints one "ok"/"not ok" line per file and the errors; exits 1 on any.
'use strict';
const fs = require('fs');
// tableschema 1.12.6 checks geojson values with tv4 against a GeoJSON schema
// whose "id" is a remote URL: tv4 then cannot resolve its local
// "#/definitions/..." references, every branch of its "oneOf" passes, and
// every value, even {"type": "Point", "coordinates": [1, 2]}, is rejected
// (tv4 issue #243).  Without the id the references resolve and the schema
// validates as written (a bad type or coordinates still fail).
delete require('tableschema/lib/profiles/geojson.json').id;
const { Table, Schema } = require('tableschema');

async function check(schemaPath, csvPath) {
  const errors = [];
  const descriptor = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const schema = await Schema.load(descriptor, { strict: true });
  const text = fs.readFileSync(csvPath, 'utf8');
  const header = text.split('\n')[0].split(';');
  const names = descriptor.fields.map((f) => f.name);
  if (header.join(';') !== names.join(';'))
    errors.push(`header differs from the schema's fields: ${header.join(';')}`);
  const table = await Table.load(csvPath, { schema: descriptor, delimiter: ';' });
  const rows = await table.read({ forceCast: true, keyed: false });
  let n = 0;
  for (const row of rows) {
    n++;
    if (row instanceof Error) {
      const inner = row.errors && row.errors.length ? row.errors.map((e) => e.message).join('; ') : row.message;
      errors.push(`row ${n}: ${inner}`);
      continue;
    }
    descriptor.fields.forEach((f, i) => {
      const v = row[i];
      if (f.enum && v !== null && v !== undefined && !f.enum.includes(v))
        errors.push(`row ${n}: field ${f.name}: "${v}" is not one of the standard's values`);
    });
  }
  if (!schema.valid) errors.push(...schema.errors.map((e) => `schema: ${e.message}`));
  return { n, errors };
}

(async () => {
  const args = process.argv.slice(2);
  let failed = 0;
  for (let i = 0; i + 1 < args.length; i += 2) {
    let res;
    try {
      res = await check(args[i], args[i + 1]);
    } catch (e) {
      res = { n: 0, errors: [String(e && e.message || e)] };
    }
    if (res.errors.length === 0 && res.n > 0) {
      console.log(`ok - ${args[i + 1]}: ${res.n} rows valid against ${args[i]}`);
    } else {
      failed++;
      if (res.n === 0 && res.errors.length === 0) res.errors.push('no data row');
      console.log(`not ok - ${args[i + 1]}: ${res.errors.length} errors`);
      for (const e of res.errors.slice(0, 20)) console.log(`    ${e}`);
    }
  }
  process.exit(failed ? 1 : 0);
})();
