// The web server (web/server.mjs) against requests that used to stop it for every client (the
// audit of 2026-12-04): a malformed %-escape, a NUL byte, an unparsable request target, and the
// database dropping the tile pool's idle connection.  Each must be answered, and the server must
// still serve the index and a tile afterwards.
//   node web/tests/server.test.mjs <base URL of the pages>/server/
// (scripts/test-clients.sh passes every test the same arguments; only the base URL is used.)
// Prints TAP lines and "clients server: N passed, N failed".
import net from 'node:net';
import pg from 'pg';
import { pgpassPassword } from '../routes/tiles.mjs';

const base = new URL('/', process.argv[2] ?? 'http://127.0.0.1:8080/');
let n = 0;
let failed = 0;
const check = (ok, desc, detail) => {
  n++;
  if (ok) console.log(`ok ${n} - server: ${desc}${detail ? ` (${detail})` : ''}`);
  else { failed++; console.log(`not ok ${n} - server: ${desc}`); if (detail) console.log(`#   ${detail}`); }
};

// a raw request (the target sent as it is, which fetch would normalise), its status line
function raw(target) {
  return new Promise((resolve) => {
    const s = net.connect(Number(base.port), base.hostname, () => {
      s.write(`GET ${target} HTTP/1.1\r\nHost: ${base.host}\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('error', (e) => resolve(`error ${e.code}`));
    s.on('close', () => resolve(data.split('\r\n')[0] || 'no answer'));
    s.setTimeout(5000, () => { s.destroy(); resolve('timeout'); });
  });
}
const status = async (p) => {
  try {
    return (await fetch(new URL(p, base))).status;
  } catch (e) {
    return `error ${e.cause?.code ?? e.message}`;
  }
};
const alive = async (what) => check(await status('/') === 200, `still serves its index after ${what}`);

for (const [target, want, what] of [
  ['/map/%E0%A4%A', '400', 'a malformed %-escape'],
  ['/map/a%00b', '404', 'a NUL byte in the path'],
  ['//[', '400', 'an unparsable request target'],
  ['/cesium/%', '400', 'a lone %'],
]) {
  const line = await raw(target);
  check(line.includes(` ${want} `), `${what} (${target}) is answered ${want}`, line);
  await alive(what);
}

// the tile pool's connection dropped by the database (a restart, pg_terminate_backend)
const tile = '/tiles/solar/16/33647/23376.pbf';
const before = await status(tile);
check(before === 200 || before === 204, 'a tile before the connection is dropped', `status ${before}`);
const client = new pg.Client({ password: pgpassPassword() });
await client.connect();
const r = await client.query(`SELECT count(pg_catalog.pg_terminate_backend(pid)) AS n FROM pg_catalog.pg_stat_activity
                               WHERE application_name = 'smartregion-web' AND usename = current_user`);
await client.end();
check(Number(r.rows[0].n) >= 1, 'the server\'s database connections are dropped', `${r.rows[0].n} terminated`);
await new Promise((ok) => setTimeout(ok, 500));
await alive('its database connection was dropped');
const after = await status(tile);
check(after === 200 || after === 204, 'a tile again after the connection was dropped', `status ${after}`);

console.log(`clients server: ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
