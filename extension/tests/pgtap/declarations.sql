-- pgTAP: the declarations of the extension's objects, checked mechanically (a DBA's review of
-- 2026-12-05): what IMMUTABLE, STABLE, PARALLEL SAFE and ROWS promise the planner, and a
-- comment on every object.  The rules are PostgreSQL's (CREATE FUNCTION, "Function Volatility
-- Categories", "Parallel Labeling for Functions and Aggregates"); what a body does is read
-- from its text (SQL and PL/pgSQL), what a C function does from its results.
BEGIN;
SET client_min_messages = warning;
SELECT plan(33);

CREATE TEMP TABLE ext_fn AS
SELECT p.oid, p.oid::regprocedure AS sig, p.provolatile, p.proparallel, p.proconfig, p.prorows, p.procost, p.proretset,
       l.lanname,
       -- the body without its comments (a comment may name what the code does not do); code,
       -- without its string literals too (SQL text that a function writes for others to run)
       regexp_replace(regexp_replace(p.prosrc, '--[^\n]*', '', 'g'), '/\*.*?\*/', '', 'g') AS body,
       regexp_replace(regexp_replace(regexp_replace(p.prosrc, '--[^\n]*', '', 'g'), '/\*.*?\*/', '', 'g'),
                      '''(?:[^'']|'''')*''', '''''', 'g') AS code
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'smartregion'
  JOIN pg_language l ON l.oid = p.prolang;

-- 1. IMMUTABLE: its arguments alone.  Folded into plans and index expressions, a result that
-- depends on a setting, the clock, chance, the session or a table is a wrong number there.
SELECT is((SELECT array_agg(sig::text ORDER BY sig::text) FROM ext_fn
            WHERE provolatile = 'i' AND lanname IN ('sql', 'plpgsql')
              AND code ~* '\m(current_setting|now|clock_timestamp|statement_timestamp|transaction_timestamp|timeofday|random|setseed|nextval|currval|lastval|txid_current|pg_current_xact_id|pg_backend_pid|inet_client_addr|to_char|to_date|to_timestamp|age)\s*\(|\m(current_user|session_user|current_role|current_date|current_time|current_timestamp|localtime|localtimestamp|current_schema)\M'),
          NULL, 'no IMMUTABLE body reads a setting, the clock, chance or the session');
-- ... nor a table, a view or a catalog (a schema-qualified relation: every reference is)
SELECT is((SELECT array_agg(DISTINCT f.sig::text || ' reads ' || m[1] || '.' || m[2])
             FROM ext_fn f, regexp_matches(f.body, '\m(smartregion|pg_catalog|@extschema@)\.([a-z_][a-z0-9_]*)\M(?!\s*\()', 'g') m
            WHERE f.provolatile = 'i' AND f.lanname IN ('sql', 'plpgsql')
              AND to_regclass(replace(m[1], '@extschema@', 'smartregion') || '.' || m[2]) IS NOT NULL),
          NULL, 'no IMMUTABLE body reads a table, a view or a catalog');
-- ... nor does one take a geometry: the bridge places a point of another SRID than 4326
-- through spatial_ref_sys, a table (sun_position's geometry form is STABLE for it; sky_agg's
-- transition functions were IMMUTABLE).  Aggregates are left out: PostgreSQL records every
-- aggregate as immutable and plans it by its transition and final functions
SELECT is((SELECT array_agg(f.sig::text ORDER BY f.sig::text) FROM ext_fn f JOIN pg_proc p ON p.oid = f.oid
            WHERE f.provolatile = 'i' AND p.prokind <> 'a'
              AND EXISTS (SELECT 1 FROM unnest(p.proargtypes::oid[]) a JOIN pg_type t ON t.oid = a WHERE t.typname = 'geometry')),
          NULL, 'no IMMUTABLE function takes a geometry (spatial_ref_sys is a table)');
-- ... and the C ones give the same under other settings: the time zone, the date and interval
-- styles, the search path, the threads.  Each call's result is kept as its type under each set
-- of settings and compared as text under one set (timestamps included: 01:30 UTC on
-- 2024-03-31 is in Europe's spring-forward night, Chatham is +13:45, St John's -2:30)
CREATE TEMP TABLE imm_call (n int, call text);
INSERT INTO imm_call VALUES
  (1, $$SELECT smartregion.sun_position('2024-03-31 01:30+00', 45.76, 4.84)$$),
  (2, $$SELECT array_agg((extract(epoch FROM p.ts), p.site, p.zenith, p.apparent_zenith, p.azimuth, p.equation_of_time)::text ORDER BY p.ts, p.site) FROM smartregion.sun_positions('2024-03-30 22:00+00', '2024-04-01 02:00+00', '1 day 1 hour', ARRAY[45.76, -33.9], ARRAY[4.84, 151.2]) p$$),
  (3, $$SELECT array_agg((extract(epoch FROM p.ts), p.site, p.zenith, p.apparent_zenith, p.azimuth, p.equation_of_time)::text ORDER BY p.ts, p.site) FROM smartregion.sun_positions(ARRAY['2024-03-31 01:30+00', '2024-10-27 00:59:59+00']::timestamptz[], ARRAY[45.76], ARRAY[4.84]) p$$),
  (4, $$SELECT array_agg((extract(epoch FROM p.ts), p.equation_of_time, p.zenith, p.azimuth)::text ORDER BY p.ts) FROM smartregion.sun_positions_grid(ARRAY['2024-03-31 01:30+00']::timestamptz[], ARRAY[45.76, 48.85], ARRAY[4.84, 2.35]) p$$),
  (5, $$SELECT smartregion.sun_times('2024-03-31', 45.76, 4.84)$$),
  (6, $$SELECT smartregion.sun_times('2024-03-31', -43.9, -176.5, 13.75)$$),
  (7, $$SELECT smartregion.extraterrestrial_irradiance('2024-03-31 01:30+00')$$),
  (8, $$SELECT smartregion._thd_quarter('T2 2024')$$),
  (9, $$SELECT smartregion._tl_occupation('2024-01-31', 1.5)$$),
  (10, $$SELECT smartregion._fr(1234.5678, 2) || smartregion._campaign_token_hash('abc')::text$$),
  (11, $$SELECT smartregion.sky_summary(smartregion.sky_agg(ts, 500, 400, 100, 'SRID=4326;POINT(4.85 45.75)'::public.geometry))
         FROM generate_series('2024-03-30 20:00+00'::timestamptz, '2024-03-31 04:00+00', '1 hour') ts$$),
  (12, $$SELECT (smartregion.surface_irradiation(s, 30, 180), smartregion.pv_yield(s, 30, 180))::text
         FROM (SELECT smartregion.sky_agg(ts, 500, 400, 100, 'SRID=4326;POINT(4.85 45.75)'::public.geometry) s
                 FROM generate_series('2024-06-21 04:00+00'::timestamptz, '2024-06-21 19:00+00', '1 hour') ts) k$$),
  (13, $$SELECT smartregion._cnig_options('site_eco', '{"identif_date": "2024-01-15"}')$$),
  (14, $$SELECT smartregion.horizon(ARRAY[1.5, 2, 2.25, 30, 0.125])::text || smartregion.maturity_radar_chart(ARRAY['a', 'b', 'c'], ARRAY[1.5, 2, 3.25], ARRAY[2, 2, 2])$$);
CREATE TEMP TABLE imm_settings (s int, timezone text, datestyle text, intervalstyle text, search_path text, threads text);
INSERT INTO imm_settings VALUES
  (1, 'UTC', 'ISO, MDY', 'postgres', 'pg_catalog, public', '1'),
  (2, 'Pacific/Chatham', 'SQL, DMY', 'iso_8601', '', '4'),
  (3, 'America/St_Johns', 'German', 'sql_standard', 'pg_temp, public', '-1');
CREATE TEMP TABLE imm_result (n int, s int, ok boolean);
DO $$
DECLARE c record; st record;
BEGIN
  FOR st IN SELECT * FROM imm_settings ORDER BY s LOOP
    PERFORM set_config('TimeZone', st.timezone, true), set_config('DateStyle', st.datestyle, true),
            set_config('IntervalStyle', st.intervalstyle, true), set_config('search_path', st.search_path, true),
            set_config('smartregion.max_threads', st.threads, true);
    FOR c IN SELECT * FROM imm_call ORDER BY n LOOP
      EXECUTE format('CREATE TEMP TABLE imm_%s_%s AS %s', c.n, st.s, c.call);
    END LOOP;
  END LOOP;
END $$;
RESET TimeZone; RESET DateStyle; RESET IntervalStyle; RESET search_path; RESET smartregion.max_threads;
DO $$
DECLARE c record; same boolean;
BEGIN
  FOR c IN SELECT * FROM imm_call ORDER BY n LOOP
    EXECUTE format('SELECT (SELECT array_agg(t::text) FROM pg_temp.imm_%1$s_1 t) IS NOT DISTINCT FROM (SELECT array_agg(t::text) FROM pg_temp.imm_%1$s_2 t)
                       AND (SELECT array_agg(t::text) FROM pg_temp.imm_%1$s_1 t) IS NOT DISTINCT FROM (SELECT array_agg(t::text) FROM pg_temp.imm_%1$s_3 t)
                       AND (SELECT count(*) FROM pg_temp.imm_%1$s_1 t WHERE t IS NOT NULL) = 1', c.n) INTO same;
    INSERT INTO imm_result VALUES (c.n, 0, same);
  END LOOP;
END $$;
SELECT is((SELECT array_agg(c.call ORDER BY c.n) FROM imm_result r JOIN imm_call c USING (n) WHERE NOT r.ok),
          NULL, 'the IMMUTABLE C functions of times, skies and texts give the same under other time zones, date and interval styles, search paths and threads');
-- (and the check sees a difference: the same calls through to_char, which depends on TimeZone)
DO $$
BEGIN
  PERFORM set_config('TimeZone', 'UTC', true);
  CREATE TEMP TABLE imm_probe_1 AS SELECT to_char('2024-03-31 01:30+00'::timestamptz, 'HH24:MI') AS v;
  PERFORM set_config('TimeZone', 'Pacific/Chatham', true);
  CREATE TEMP TABLE imm_probe_2 AS SELECT to_char('2024-03-31 01:30+00'::timestamptz, 'HH24:MI') AS v;
END $$;
SELECT isnt((SELECT v FROM imm_probe_1), (SELECT v FROM imm_probe_2), 'the comparison sees a time zone''s difference');

-- 2. STABLE and IMMUTABLE write nothing: a body that writes, notifies or takes a sequence's next
-- value is VOLATILE (the code, its string literals aside: a dollar-quoted statement that a
-- function EXECUTEs is read).  (set_config is allowed, local, in a function whose SET clause restores the
-- setting when it returns: the readers of query texts)
SELECT is((SELECT array_agg(sig::text ORDER BY sig::text) FROM ext_fn
            WHERE provolatile <> 'v' AND lanname IN ('sql', 'plpgsql')
              AND (code ~* '\m(insert\s+into|update\s+[a-z_."%$0-9]+\s+set|delete\s+from|truncate|create\s+(temp|temporary|table|index|view|policy|trigger|function|role|schema)|alter\s+(table|role|schema|function)|drop\s+(table|view|policy|trigger|function)|grant\s|revoke\s|notify\s)\M'
                   OR code ~* '\m(pg_notify|nextval|setval|lo_import|lo_export|pg_advisory_lock|pg_advisory_xact_lock)\s*\('
                   OR (body ~* '\mset_config\s*\(' AND proconfig IS NULL))),
          NULL, 'no STABLE or IMMUTABLE body writes, notifies, takes a sequence value or changes a setting for good');

-- 3. PARALLEL SAFE and RESTRICTED run inside a parallel query (the leader is in parallel mode
-- too): no sub-transaction (a PL/pgSQL EXCEPTION block: "cannot start subtransactions during a
-- parallel operation" before PostgreSQL 17), no set_config ("cannot set parameters during a
-- parallel operation"; a function's own SET clause is allowed), no temporary table, no write
SELECT is((SELECT array_agg(sig::text ORDER BY sig::text) FROM ext_fn
            WHERE proparallel <> 'u' AND lanname IN ('sql', 'plpgsql')
              AND (body ~* '\mexception\s+when\M' OR body ~* '\mset_config\s*\(' OR body ~* '\mpg_temp\.'
                   OR body ~* '\mcreate\s+(temp|temporary)\M')),
          NULL, 'no PARALLEL SAFE or RESTRICTED body opens a sub-transaction, sets a parameter or names a temporary table');
SELECT is((SELECT array_agg(sig::text ORDER BY sig::text) FROM ext_fn WHERE provolatile = 'v' AND proparallel <> 'u'),
          ARRAY['smartregion._reraise_query_error(text,text,text,text,text,text)'],
          'the VOLATILE functions are PARALLEL UNSAFE, but the one that only raises (restricted)');
-- ... and none calls a function labelled less safe than itself: the extension's and
-- pg_catalog's, schema-qualified in its code, and PostGIS's, called through the schema that
-- a statement it EXECUTEs names (%I.ST_Transform(...)); for an overloaded name, the safest
-- overload is taken.  (version() was SAFE and called postgis_lib_version(), unlabelled)
SELECT is((SELECT array_agg(DISTINCT x.c ORDER BY x.c) FROM (
             SELECT f.sig::text || ' calls ' || lower(m[1]) || '.' || lower(m[2]) AS c, f.proparallel,
                    (SELECT (ARRAY['s', 'r', 'u'])[min(array_position(ARRAY['s', 'r', 'u'], q.proparallel::text))] FROM pg_proc q WHERE q.proname = lower(m[2])
                        AND q.pronamespace = CASE lower(m[1]) WHEN 'pg_catalog' THEN 'pg_catalog'::regnamespace
                                                              ELSE 'smartregion'::regnamespace END) AS callee
               FROM ext_fn f, regexp_matches(f.code, '\m(smartregion|@extschema@|pg_catalog)\.([a-z_][a-z0-9_]*)\s*\(', 'gi') m
              WHERE f.lanname IN ('sql', 'plpgsql')
             UNION ALL
             SELECT f.sig::text || ' calls ' || lower(m[1]) || ' (PostGIS)', f.proparallel,
                    (SELECT (ARRAY['s', 'r', 'u'])[min(array_position(ARRAY['s', 'r', 'u'], q.proparallel::text))] FROM pg_proc q WHERE q.proname = lower(m[1])
                        AND q.pronamespace = smartregion._postgis_schema()::regnamespace)
               FROM ext_fn f, regexp_matches(f.body, '%[0-9]*\$?[Is]\.([a-z_][a-z0-9_]*)\s*\(', 'gi') m
              WHERE f.lanname IN ('sql', 'plpgsql')) x
            WHERE array_position(ARRAY['s', 'r', 'u'], x.callee) > array_position(ARRAY['s', 'r', 'u'], x.proparallel::text)),
          NULL, 'no PARALLEL SAFE or RESTRICTED function calls one labelled less safe than itself');
-- a function that runs its caller's query text (an argument named *_sql) is UNSAFE, as
-- PostgreSQL's query_to_xml and ts_stat: the query may call nextval, a PL/pgSQL function with
-- an EXCEPTION block or anything else a parallel operation refuses, and a RESTRICTED function
-- runs in the leader while a Gather elsewhere in the statement has it in parallel mode
-- (sql/query_arguments.sql; horizon_at, solar_cadastre and six others were RESTRICTED)
SELECT is((SELECT array_agg(sig::text ORDER BY sig::text) FROM ext_fn f JOIN pg_proc p ON p.oid = f.oid
            WHERE f.proparallel <> 'u'
              AND EXISTS (SELECT 1 FROM unnest(p.proargnames, p.proargmodes::text[]) a(name, mode)
                          WHERE coalesce(a.mode, 'i') IN ('i', 'b', 'v') AND a.name LIKE '%\_sql')),
          NULL, 'every function taking a query text (*_sql) is PARALLEL UNSAFE');
-- the functions that may read a temporary table named by their caller are not SAFE
SELECT is((SELECT array_agg(proparallel::text ORDER BY sig::text) FROM ext_fn
            WHERE sig IN ('smartregion.solar_tile(int, int, int, text)'::regprocedure,
                          'smartregion.solar_cells_tile(int, int, int, text)'::regprocedure)),
          ARRAY['r', 'r'], 'the tile functions, whose table may be temporary, are PARALLEL RESTRICTED');

-- 4. ROWS of the set-returning functions of a fixed size: within a factor 2 of what they return
SELECT is((SELECT array_agg(x.f || ': ' || x.n || ' rows, ROWS ' || f.prorows ORDER BY x.f)
             FROM (VALUES ('option_specs', (SELECT count(*) FROM smartregion.option_specs())),
                          ('services', (SELECT count(*) FROM smartregion.services())),
                          ('tl_transitions', (SELECT count(*) FROM smartregion.tl_transitions())),
                          ('tile_layers', (SELECT count(*) FROM smartregion.tile_layers()))) x(f, n)
             JOIN ext_fn f ON f.sig = ('smartregion.' || x.f || '()')::regprocedure
            WHERE NOT f.prorows BETWEEN x.n / 2.0 AND x.n * 2.0),
          NULL, 'ROWS of option_specs, services, tl_transitions and tile_layers is what they return, within a factor 2');
-- COST follows the time of a call: measured on the 2-core development machine (2026-12-05,
-- 20,000 calls, or 2,000 and 500 over a year's sky, its prepared forms cached), sun_position
-- 4.4 us (COST 10), clearsky_ineichen 1.1 us (10), surface_irradiation 165 us and pv_yield
-- 128 us: 30 to 40 times a sun position, so at least 10 times its COST (they had 10 and 100:
-- a condition on them ran before a cheaper one)
SELECT ok((SELECT bool_and(f.procost >= 10 * s.procost) FROM ext_fn f, ext_fn s
            WHERE f.sig IN ('smartregion.surface_irradiation(smartregion.sky, float8, float8, smartregion.horizon, float8)'::regprocedure,
                            'smartregion.pv_yield(smartregion.sky, float8, float8, smartregion.horizon, jsonb, float8)'::regprocedure)
              AND s.sig = 'smartregion.sun_position(timestamptz, float8, float8, float8, float8, float8, float8)'::regprocedure),
          'surface_irradiation and pv_yield cost at least 10 times a sun position');
SELECT is((SELECT array_agg(sig::text ORDER BY sig::text) FROM ext_fn WHERE proretset AND prorows = 1000
            AND lanname = 'c' AND provolatile = 'i' AND sig::text ~ '\(\)$'),
          NULL, 'no argument-less C set-returning function keeps the default ROWS 1000');

-- 5. a COMMENT on every object of the extension: functions, aggregates, types, tables, views,
-- casts, operators (the sequences of identity columns are their columns'), and the settings.
-- (PostgreSQL 17 records a type's array type and a table's row type as members of the
-- extension too, 15 does not: they go with their type's or table's comment)
SELECT is((SELECT array_agg(pg_describe_object(d.classid, d.objid, 0) ORDER BY 1)
             FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'smartregion'
            WHERE d.deptype = 'e' AND obj_description(d.objid, d.classid::regclass::name) IS NULL
              AND NOT (d.classid = 'pg_class'::regclass AND EXISTS (
                         SELECT 1 FROM pg_depend i WHERE i.classid = 'pg_class'::regclass AND i.objid = d.objid
                            AND i.deptype IN ('i', 'a') AND i.refclassid = 'pg_class'::regclass))
              AND NOT (d.classid = 'pg_type'::regclass AND EXISTS (
                         SELECT 1 FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid
                          WHERE t.oid = d.objid AND ((t.typcategory = 'A' AND t.typelem <> 0) OR c.relkind <> 'c')))),
          NULL, 'every object of the extension has a comment');
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'smartregion'
            WHERE d.deptype = 'e' AND d.classid IN ('pg_cast'::regclass, 'pg_operator'::regclass, 'pg_opclass'::regclass,
                                                      'pg_event_trigger'::regclass)), 0,
          'the extension has no cast, operator, operator class or event trigger (item 5 would check their comments)');
LOAD 'smartregion';
SELECT is((SELECT array_agg(name ORDER BY name) FROM pg_settings WHERE name LIKE 'smartregion.%'
            AND coalesce(short_desc, '') <> '' AND coalesce(extra_desc, '') <> ''),
          ARRAY['smartregion.hub', 'smartregion.max_call_memory', 'smartregion.max_dem_pixels', 'smartregion.max_threads'],
          'every setting is described (short and extra description)');

-- 6. every SQL and PL/pgSQL function pins its search path (sql/security.sql lists the
-- exceptions: none), and none is SECURITY DEFINER
SELECT is((SELECT array_agg(sig::text ORDER BY sig::text) FROM ext_fn
            WHERE lanname IN ('sql', 'plpgsql') AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (proconfig), false)),
          NULL, 'every SQL and PL/pgSQL function pins search_path = pg_catalog, pg_temp');
SELECT is((SELECT count(*)::int FROM ext_fn f JOIN pg_proc p ON p.oid = f.oid WHERE p.prosecdef), 0,
          'no function of the extension is SECURITY DEFINER');

-- 7. JIT: the functions whose queries the planner estimates over jit_above_cost but which run
-- in a fraction of what compiling them takes declare SET jit = off (docs/internals.md, the
-- rule; docs/performance.md, "JIT": each one's measure), whatever the session's setting.
-- One assertion a function, so that a declaration lost in a rewrite names its function
SELECT ok(coalesce('jit=off' = ANY (p.proconfig), false), f.sig || ' runs its queries without JIT')
  FROM (VALUES (1, 'smartregion.solar_tile(int, int, int, text)'),
               (2, 'smartregion.thd_rollout(jsonb)'),
               (3, 'smartregion.maturity_trend(text, text, jsonb, text)'),
               (4, 'smartregion.maturity_movers(int, int, text, jsonb, int)'),
               (5, 'smartregion.maturity_report(text, text, int, jsonb, text)'),
               (6, 'smartregion.site_eco(text, text, text, text, date, jsonb, text)'),
               (7, 'smartregion.pole_eco(text, text, text, text, date, jsonb, text)'),
               (8, 'smartregion.terrain_eco(text, text, text, text, date, jsonb, text)'),
               (9, 'smartregion.etablissement(text, text, text, text, date, jsonb, text)'),
               (10, 'smartregion.cnig_csv(text, text, text, text, text, date, jsonb, text)'),
               (11, 'smartregion._zones_publication_history(boolean, oid[], bytea[])'),
               -- (create_hub on a hub of 20,000 zones: a round compiled 2.1 s of its 3 s;
               -- docs/performance-zones.md, 2026-12-07, h10)
               (12, 'smartregion._zae_zone_history_restrict_renumbered(name)'),
               (13, 'smartregion._zae_zone_history_renumbered_suspects(name)')) f(n, sig)
  LEFT JOIN pg_proc p ON p.oid = to_regprocedure(f.sig)
 ORDER BY f.n;

-- pg_upgrade: a cluster whose tables hold a column of a reg* type that names an object whose
-- OID pg_upgrade does not keep is refused ("Your installation contains one of the reg* data
-- types in user tables"; src/bin/pg_upgrade/check.c, check_for_reg_data_type_usage: regclass,
-- regrole and regtype are allowed, their OIDs being kept). The registers' hub identity was a
-- regnamespace for an hour (2026-12-06): now the hub's agents table, a regclass. The two
-- registries of functions (match_criterion.function, maturity_indicator.plugin) were
-- regprocedure columns until the same day: pg_upgrade refused any cluster with smartregion
-- installed. They hold schema-qualified signatures as text now (trigger sr_canonical_name).
-- No column may be of such a type, in the extension's tables or a hub's
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('decl_hub') \gset
SELECT is((SELECT string_agg(format('%s.%s %s', c.oid::regclass, a.attname, a.atttypid::regtype), ', ' ORDER BY 1)
           FROM pg_class c
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
          WHERE c.relnamespace IN ('smartregion'::regnamespace, 'decl_hub'::regnamespace)
            AND a.atttypid IN ('regcollation'::regtype, 'regconfig'::regtype, 'regdictionary'::regtype,
                               'regnamespace'::regtype, 'regoper'::regtype, 'regoperator'::regtype,
                               'regproc'::regtype, 'regprocedure'::regtype)),
          NULL, 'no reg* column that pg_upgrade refuses');

SELECT * FROM finish();
ROLLBACK;
