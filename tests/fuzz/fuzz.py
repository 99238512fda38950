#!/usr/bin/python3
"""Robustness sweep of the smartregion SQL API (tests/fuzz/README.md).

Every function of schema smartregion is called from a valid baseline call with one
argument at a time replaced by an adversarial value (NULL, empty, NaN, huge,
malformed JSON, invalid geometries, hostile queries...), and each option of
option_specs() set to wrong values.  Each call runs in its own rolled-back
transaction under statement_timeout; the script records the SQLSTATE, the message,
the time and the backend's peak memory, and flags crashes, hangs, internal errors
and suspicious results.  Needs python3-psycopg2 and a database prepared with
tests/fuzz/setup.sql (tests/fuzz/README.md).

  tests/fuzz/fuzz.py [--only f1,f2] [--no-options | --options-only] [--out results.jsonl]
                     [--log server.log] [dsn]
"""
import argparse, json, os, re, sys, time
import psycopg2

TIMEOUT_S = 20
BIG = "repeat('x', 1048576)"

# ---------------------------------------------------------------- baselines
# value of an argument in the baseline call, by (function, arg) then by arg name
BASE_BY_NAME = {
    'lat': '45.7261', 'lon': '4.9378', 'surface_tilt': '30', 'surface_azimuth': '180',
    'solar_zenith': '40', 'solar_azimuth': '170', 'apparent_zenith': '40', 'zenith': '40',
    'dni': '600', 'ghi': '700', 'dhi': '100', 'airmass_relative': '1.5', 'airmass_absolute': '1.5',
    'linke_turbidity': '3', 'pressure_pa': '101325', 'ts': "'2021-06-21 12:00Z'::timestamptz",
    'location': "'SRID=4326;POINT(4.9378 45.7261 198)'::geometry",
    'sky': '(SELECT s FROM fz.sky)', 's': '(SELECT s FROM fz.sky)',
    'h': "smartregion.horizon(ARRAY[5,10,15,20]::float8[])",
    'a': "smartregion.horizon(ARRAY[5,10,15,20]::float8[])",
    'b': "smartregion.horizon(ARRAY[1,2,3,4,5,6,7,8]::float8[])",
    'azimuth': '90', 'elevations': "ARRAY[5,10,15,20]::float8[]",
    'face': "'SRID=2154;POLYGON Z ((0 0 0, 10 0 0, 10 10 10, 0 10 10, 0 0 0))'::geometry",
    'weather_sql': "'SELECT ts, ghi, dni, dhi, temp_air, wind_speed FROM fz.weather'",
    'zones_sql': "'SELECT zone_id, geom FROM fz.zones'",
    'parcels_sql': "'SELECT parcel_id, geom, land_unit_id, owner_id FROM fz.parcels'",
    'buildings_sql': "'SELECT building_id, geom, levels, built_year FROM fz.buildings'",
    'establishments_sql': "'SELECT * FROM fz.est'",
    'at': "'2024-06-30'::date", 'from_year': '2014', 'to_year': '2023',
    'project': '\'{"id": 1, "lon": 2.35, "lat": 48.85, "surface_m2": 50}\'::jsonb',
    'premise': '\'{"id": 2, "lon": 2.36, "lat": 48.86, "surface_m2": 60}\'::jsonb',
    'projects_sql': "'SELECT * FROM fz.projects'", 'premises_sql': "'SELECT * FROM fz.premises'",
    'pairs_sql': "'SELECT * FROM fz.pairs'", 'cells_sql': "'SELECT * FROM fz.cells'",
    'surfaces_sql': "'SELECT id, geom FROM fz.cube'",
    'obstacles_sql': "'SELECT id, geom, height FROM fz.scene'",
    'dem_sql': "'SELECT rast FROM fz.dem'",
    'content': "(SELECT content FROM fz.epw)",
    'pv_kwp': '3', 'pv_kwh': "array_fill(1.0::float8, ARRAY[8760])",
    'labels': "ARRAY['a','b','c']", 'scores': "ARRAY[10,50,90]::float8[]",
    'population': '5000', 'naf': "'62.01Z'", 'code': "'69123'",
    'start_ts': "'2021-06-21 00:00Z'::timestamptz", 'stop_ts': "'2021-06-22 00:00Z'::timestamptz",
    'step': "'1 hour'::interval", 'day': "'2021-06-21'::date",
    'premises_sql_cov': "'SELECT id, lon, lat FROM fz.pts'",
    'z': '0', 'x': '0', 'y': '0', 'k': '5',
}
BASE_BY_FUNC = {
    ('sun_positions', 'lat'): "ARRAY[45.0, 46.0]::float8[]", ('sun_positions', 'lon'): "ARRAY[4.0, 5.0]::float8[]",
    ('sun_positions', 'ts'): "ARRAY['2021-06-21 12:00Z', '2021-12-21 12:00Z']::timestamptz[]",
    ('sun_positions_grid', 'lat'): "ARRAY[45.0, 46.0]::float8[]", ('sun_positions_grid', 'lon'): "ARRAY[4.0, 5.0]::float8[]",
    ('sun_positions_grid', 'ts'): "ARRAY['2021-06-21 12:00Z', '2021-12-21 12:00Z']::timestamptz[]",
    ('horizon_at', 'location'): "'SRID=2154;POINT(842010 6519020 0)'::geometry",
    ('horizon_from_dem', 'location'): "'SRID=2154;POINT(50 50 10)'::geometry",
    ('horizon_from_dem', 'radius_m'): '1000',
    ('solar_cadastre', 'buildings_sql'): "'SELECT id, geom, height FROM fz.scene'",
    ('solar_cadastre_cells', 'buildings_sql'): "'SELECT id, geom, height FROM fz.scene'",
    ('solar_impact', 'buildings_sql'): "'SELECT id, geom, height FROM fz.scene WHERE id = 1'",
    ('solar_impact', 'project_sql'): "'SELECT id, geom, height FROM fz.scene WHERE id = 2'",
    ('tierslieux_coverage', 'premises_sql'): "'SELECT id, lon, lat FROM fz.pts'",
    ('land_unit_vacancy', 'parcels_sql'): "'SELECT parcel_id, geom, land_unit_id FROM fz.parcels'",
    ('land_consumption', 'parcels_sql'): "'SELECT parcel_id, geom, land_unit_id FROM fz.parcels'",
    ('horizon_elevation', 'h'): "smartregion.horizon(ARRAY[5,10,15,20]::float8[])",
    ('city_tileset', 'surfaces_sql'): "'SELECT id, geom FROM fz.cube'",
    ('maturity_radar_chart', 'peers'): "ARRAY[50,50,50]::float8[]",
}
# functions whose baseline needs more than the hub (skipped unless listed)
SKIP = {'create_roles', 'grant_roles', 'configure_audit', 'enable_territory_security',
        'create_hub', 'unregister_service', 'register_service', 'register_hub_table'}

# ---------------------------------------------------------------- mutations
FLOAT = ["'NaN'::float8", "'Infinity'::float8", "'-Infinity'::float8", "0::float8", "-1::float8",
         "'-0'::float8", "1e308::float8", "-1e308::float8", "1e-320::float8", "2147483648::float8",
         "1e300::float8", "-1e-300::float8"]
INT4 = ["0", "-1", "2147483647", "(-2147483648)", "1000000", "100000000"]
INT8 = ["0::int8", "-1::int8", "9223372036854775807::int8", "(-9223372036854775807-1)::int8"]
TEXT = ["''", "' '", "E'\\t\\n'", "'garbage'", "'Ünïcødé ☃'", "'it''s'", BIG, "'%s%n%x'", "'NaN'", "'-1'"]
NAME = ["''::name", "'nonexistent'::name", "'pg_catalog'::name", "'public'::name", "repeat('n', 200)::name",
        "'fz'::name"]
DATE = ["'infinity'::date", "'-infinity'::date", "'4713-01-01 BC'::date", "'5874897-12-31'::date",
        "'0001-01-01'::date", "'1900-01-01'::date", "'2999-12-31'::date"]
TSTZ = ["'infinity'::timestamptz", "'-infinity'::timestamptz", "'4713-01-01 00:00Z BC'::timestamptz",
        "'294276-12-31 23:00Z'::timestamptz", "'1900-01-01 00:00Z'::timestamptz", "'2999-06-21 12:00Z'::timestamptz"]
GEOM = ["'POINT EMPTY'::geometry", "'GEOMETRYCOLLECTION EMPTY'::geometry", "'POLYGON EMPTY'::geometry",
        "ST_SetSRID(ST_MakePoint('NaN', 0), 4326)", "'SRID=4326;POINT(1e300 1e300)'::geometry",
        "'POINT(4.9 45.7)'::geometry", "'SRID=999999;POINT(4.9 45.7)'::geometry", "'SRID=4326;POINT ZM (4.9 45.7 1 2)'::geometry",
        "'SRID=4326;POINT M (4.9 45.7 1)'::geometry",
        "'SRID=2154;POLYGON((0 0,1 1,1 0,0 1,0 0))'::geometry", "'SRID=2154;CURVEPOLYGON(CIRCULARSTRING(0 0,4 0,4 4,0 4,0 0))'::geometry",
        "'SRID=2154;LINESTRING(0 0, 1 1)'::geometry", "'SRID=4326;POINT(200 100)'::geometry",
        "ST_SetSRID(ST_Segmentize(ST_MakeEnvelope(842000, 6519000, 842100, 6519100), 0.0004), 2154)",
        "'SRID=2154;POINT Z (842010 6519020 1e300)'::geometry", "'SRID=4326;POINT(4.9 90)'::geometry",
        "'SRID=2154;MULTIPOINT(0 0, 1 1)'::geometry", "'SRID=2154;TIN Z (((0 0 0,0 1 0,1 0 0,0 0 0)))'::geometry"]
FLOAT_ARR = ["'{}'::float8[]", "'{NaN}'::float8[]", "ARRAY[NULL]::float8[]", "'{{1,2},{3,4}}'::float8[]",
             "'[5:8]={1,2,3,4}'::float8[]", "array_fill(1.0::float8, ARRAY[2000000])", "'{Infinity,-Infinity}'::float8[]",
             "'{1e308,1e308,1e308,1e308}'::float8[]", "'{-1,-1,-1,-1}'::float8[]", "array_fill(90.0::float8, ARRAY[100000])"]
TEXT_ARR = ["'{}'::text[]", "ARRAY[NULL]::text[]", "'{{a,b},{c,d}}'::text[]", "ARRAY['']", "ARRAY[repeat('x', 1048576)]",
            "array_fill('a'::text, ARRAY[100000])"]
TSTZ_ARR = ["'{}'::timestamptz[]", "'{infinity}'::timestamptz[]", "ARRAY[NULL]::timestamptz[]",
            "'{-infinity,infinity}'::timestamptz[]", "'{{2021-01-01,2021-01-02}}'::timestamptz[]"]
JSONB = ["'[]'::jsonb", "'\"str\"'::jsonb", "'1'::jsonb", "'null'::jsonb", "'{\"no_such_option\": 1}'::jsonb",
         "(repeat('{\"a\":', 5000) || '1' || repeat('}', 5000))::jsonb", "'{\"\": null}'::jsonb",
         "'{\"x\": \"NaN\", \"k\": -1}'::jsonb", "'[{}]'::jsonb", "'{\"a\": [1, {\"b\": []}]}'::jsonb"]
INTERVAL = ["'0'::interval", "'-1 hour'::interval", "'1 microsecond'::interval", "'1 month'::interval",
            "'100 years'::interval", "'1 day -24 hours'::interval"]
HORIZON = ["smartregion.horizon(ARRAY[90,90,90,90]::float8[])", "smartregion.horizon(ARRAY[-90,-90,-90,-90]::float8[])",
           "smartregion.horizon(ARRAY[0]::float8[])", "smartregion.horizon(array_fill(45.0::float8, ARRAY[3600]))"]
OPT_VALUES = ['"NaN"', '"Infinity"', '1e308', '-1e308', '1e400', '-0', '"1"', '99999999999999999999999',
              'true', '[]', '{}', 'null', '-1', '0', '2147483648', '""', '"no-such-value"', '[1e308, "NaN", null]',
              '0.5', '1e-320']


def sql_mutations(base):
    """Hostile versions of a query argument, some derived from its valid baseline."""
    q = base.strip()
    if q.startswith("'") and q.endswith("'"):
        inner = q[1:-1].replace("''", "'")
    else:
        inner = None
    out = ["''", "' '", "'garbage'", "'SELECT 1'", "'SELECT NULL'", "'SELECT 1 WHERE false'",
           "'SELECT pg_sleep(100)'", "'SELECT 1/0'", "'SELECT 1; SELECT 2'", "'DELETE FROM fz.zones RETURNING *'",
           "'COMMIT'", "'SET search_path = pg_catalog'", "'VALUES (1, 2, 3)'", BIG]
    if inner:
        lit = lambda s: "'" + s.replace("'", "''") + "'"
        out += [lit("SELECT * FROM (%s) q LIMIT 0" % inner),
                lit("SELECT q.* FROM (%s) q RIGHT JOIN (VALUES (1)) v(x) ON false" % inner),
                lit("SELECT * FROM (%s) q UNION ALL SELECT * FROM (%s) q2" % (inner, inner)),
                lit("SELECT *, 1 AS extra, 2 AS extra FROM (%s) q" % inner),
                lit("SELECT * FROM (%s) q, generate_series(1, 3000) g" % inner),
                lit("SELECT * FROM (%s) q WHERE pg_sleep(30) IS NOT NULL" % inner),
                lit("%s;" % inner), lit("%s -- trailing comment" % inner),
                lit("SELECT * FROM (%s) q CROSS JOIN LATERAL (SELECT 1/0 AS boom) b" % inner)]
    return out


def mutations_for(func, arg, typ, base):
    if arg.endswith('_sql') or arg in ('project_sql',):
        return sql_mutations(base)
    t = typ
    if t == 'double precision': return FLOAT
    if t == 'integer': return INT4
    if t == 'bigint': return INT8
    if t == 'text': return TEXT
    if t == 'name': return NAME
    if t == 'date': return DATE
    if t == 'timestamp with time zone': return TSTZ
    if t == 'geometry': return GEOM
    if t == 'double precision[]': return FLOAT_ARR
    if t == 'text[]': return TEXT_ARR
    if t == 'timestamp with time zone[]': return TSTZ_ARR
    if t == 'jsonb': return JSONB
    if t == 'interval': return INTERVAL
    if t == 'smartregion.horizon': return HORIZON
    return []


INTERNAL_RE = re.compile(r'SPI_|palloc|cache lookup|lwgeom|GEOS|unexpected|could not find|formatted as an SQL|'
                         r'invalid memory alloc|errno|assert|null pointer|segment|\.c:|should not|'
                         r'internal|0x[0-9a-f]{6}|\bNULL\b pointer|unknown', re.I)


def hwm(pid):
    try:
        for line in open('/proc/%d/status' % pid):
            if line.startswith('VmHWM'):
                return int(line.split()[1]) // 1024
    except OSError:
        return -1
    return -1


class Runner:
    def __init__(self, dsn, out, log):
        self.dsn, self.out, self.log = dsn, out, log
        self.logpos = os.path.getsize(log) if log and os.path.exists(log) else 0
        self.connect()

    def connect(self):
        for _ in range(60):
            try:
                self.conn = psycopg2.connect(self.dsn)
                break
            except psycopg2.OperationalError:
                time.sleep(1)
        self.conn.autocommit = False
        cur = self.conn.cursor()
        cur.execute("SELECT pg_backend_pid()")
        self.pid = cur.fetchone()[0]
        self.conn.rollback()

    def scan_log(self):
        if not self.log or not os.path.exists(self.log):
            return []
        with open(self.log, 'rb') as f:
            f.seek(self.logpos)
            data = f.read().decode('utf-8', 'replace')
            self.logpos = f.tell()
        return [l for l in data.splitlines()
                if re.search(r'terminated by signal|PANIC|TRAP|server process|out of memory', l)]

    def run(self, func, label, sql):
        rec = {'func': func, 'label': label, 'sql': sql[:2000]}
        before = hwm(self.pid)
        t0 = time.time()
        cur = self.conn.cursor()
        try:
            cur.execute("SET LOCAL statement_timeout = '%ds'" % TIMEOUT_S)
            cur.execute(sql)
            rows = cur.fetchmany(500)
            rec['state'] = 'ok'
            text = ' '.join(str(r[0])[:2000] for r in rows)
            rec['rows'] = len(rows)
            rec['sample'] = text[:300]
            if re.search(r'\bNaN\b|Infinity', text):
                rec['flag'] = 'nan-in-result'
        except psycopg2.Error as e:
            rec['state'] = e.pgcode or 'conn'
            rec['message'] = (e.pgerror or str(e)).strip()[:600]
        rec['secs'] = round(time.time() - t0, 2)
        try:
            self.conn.rollback()
            c2 = self.conn.cursor()
            c2.execute("SELECT 1")
            self.conn.rollback()
        except psycopg2.Error:
            rec['flag'] = 'CRASH'
            time.sleep(3)
            self.connect()
            before = -1
        after = hwm(self.pid)
        if before > 0 and after - before > 500:
            rec['flag'] = rec.get('flag', '') + ' mem+%dMB' % (after - before)
        if after > 1500:       # start again with a fresh backend
            self.conn.close(); self.connect()
        if rec['secs'] > TIMEOUT_S + 2:
            rec['flag'] = rec.get('flag', '') + ' HANG'
        if rec['state'] in ('XX000', 'XX001', 'XX002', 'conn') or rec['state'].startswith('58'):
            rec['flag'] = rec.get('flag', '') + ' INTERNAL'
        elif rec.get('message') and INTERNAL_RE.search(rec['message'].split('\n')[0]):
            rec['flag'] = rec.get('flag', '') + ' internal-looking'
        bad = self.scan_log()
        if bad:
            rec['flag'] = rec.get('flag', '') + ' LOG'
            rec['log'] = bad[:5]
        self.out.write(json.dumps(rec) + '\n')
        self.out.flush()
        if rec.get('flag'):
            print('%-28s %-40s %-6s %5.1fs %s | %s' % (func, label[:40], rec['state'], rec['secs'], rec['flag'],
                                                       (rec.get('message') or rec.get('sample') or '')[:160].replace('\n', ' ')),
                  flush=True)
        return rec


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dsn', nargs='?', default='dbname=fuzz')
    ap.add_argument('--only', default='')
    ap.add_argument('--skip', default='')
    ap.add_argument('--out', default='fuzz-results.jsonl')
    ap.add_argument('--log', default='')
    ap.add_argument("--no-options", action="store_true")
    ap.add_argument("--options-only", action="store_true")
    ap.add_argument("--internal", action="store_true", help="the internal functions (_name) instead")
    a = ap.parse_args()
    only = set(x for x in a.only.split(',') if x)
    skip = set(x for x in a.skip.split(',') if x) | SKIP
    out = open(a.out, 'a')
    r = Runner(a.dsn, out, a.log)
    cur = r.conn.cursor()
    cur.execute("""
      SELECT p.proname, p.prokind, p.proretset, p.proargnames, p.pronargs, p.pronargdefaults,
             ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, n) ORDER BY n)
        FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace AND p.prokind = 'f'
         AND (p.proname LIKE '\\_%%') = %s
         AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes::oid[]) a JOIN pg_type t ON t.oid = a
                          WHERE t.typtype = 'p')
         AND p.prorettype <> 'trigger'::regtype ORDER BY 1, 5""", (a.internal,))
    funcs = cur.fetchall()
    cur.execute("SELECT function, option, type FROM smartregion.option_specs()")
    specs = cur.fetchall()
    r.conn.rollback()
    for name, kind, retset, argnames, nargs, ndef, types in funcs:
        if (only and name not in only) or name in skip:
            continue
        argnames = (argnames or [])[:nargs]
        required = nargs - ndef
        base = {}
        for i, (an, t) in enumerate(zip(argnames, types)):
            v = BASE_BY_FUNC.get((name, an)) or BASE_BY_NAME.get(an)
            if v is None and i < required:
                v = {'double precision': '1', 'integer': '1', 'bigint': '1', 'text': "'x'", 'name': "'hub'",
                     'jsonb': "'{}'::jsonb", 'date': "'2024-01-01'::date", 'boolean': 'true'}.get(t, 'NULL')
            base[an] = v

        def call(b):
            parts = []
            for an, t in zip(argnames, types):
                if b.get(an) == 'NULL!':
                    parts.append('%s => NULL::%s' % (an, t))
                elif b.get(an) is not None:
                    parts.append('%s => %s' % (an, b[an]))
            inner = 'smartregion.%s(%s)' % (name, ', '.join(parts))
            if retset:
                return 'SELECT t::text FROM %s t' % inner
            return 'SELECT (%s)::text' % inner

        r.run(name, 'baseline', call(base))
        for an, t in zip(argnames, types):
            if a.options_only:
                break
            b = dict(base); b[an] = 'NULL!'
            r.run(name, '%s=NULL' % an, call(b))
            for m in mutations_for(name, an, t, base.get(an) or ''):
                b = dict(base); b[an] = m
                r.run(name, '%s=%s' % (an, m[:60]), call(b))
        if not a.no_options:
            for fn, opt, typ in specs:
                if fn != name:
                    continue
                oa = 'options' if 'options' in argnames else ('weights' if 'weights' in argnames else
                      ('rules' if 'rules' in argnames else ('system' if 'system' in argnames else None)))
                if not oa:
                    continue
                path = opt.split('.')
                for v in OPT_VALUES:
                    doc = v
                    for p in reversed(path):
                        doc = '{%s: %s}' % (json.dumps(p), doc)
                    b = dict(base); b[oa] = "'%s'::jsonb" % doc.replace("'", "''")
                    r.run(name, 'opt %s=%s' % (opt, v), call(b))
    out.close()


if __name__ == '__main__':
    main()
