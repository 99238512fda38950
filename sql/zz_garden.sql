-- The garden: call every function of the schema with NULL, empty, NaN,
-- infinite and extreme arguments (in the spirit of PostGIS's garden tests)
-- and check that the server survives and answers each call with a value or a
-- clean error: never an internal error (XX000), a crash or a hang.
SET client_min_messages = warning;
CREATE TEMP TABLE garden (call text, sqlstate text, message text);

-- Run one call in a subtransaction that is always rolled back, and record
-- how it ended.
CREATE FUNCTION pg_temp.garden_try(call text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  BEGIN
    EXECUTE call;
    RAISE EXCEPTION USING ERRCODE = 'SRGOK';   -- roll back whatever it did
  EXCEPTION
    WHEN query_canceled THEN st := '57014'; msg := 'timeout';
    WHEN OTHERS THEN GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  END;
  INSERT INTO garden VALUES (call, CASE WHEN st = 'SRGOK' THEN 'ok' ELSE st END, msg);
END $$;

-- Candidate literals per argument type; a call k uses the k-th candidate of
-- every argument (cycling), plus one all-NULL call per function.
CREATE TEMP TABLE candidates (typ regtype, k int, lit text);
INSERT INTO candidates VALUES
 ('float8', 1, '''NaN''::float8'), ('float8', 2, '''Infinity''::float8'), ('float8', 3, '''-Infinity''::float8'),
 ('float8', 4, '1e308::float8'), ('float8', 5, '-1e308::float8'), ('float8', 6, '0::float8'), ('float8', 7, '-1::float8'),
 ('float4', 1, '''NaN''::float4'), ('float4', 2, '''Infinity''::float4'), ('float4', 3, '0::float4'),
 ('int4', 1, '0'), ('int4', 2, '-1'), ('int4', 3, '2147483647'), ('int4', 4, '-2147483648'),
 ('int8', 1, '0::int8'), ('int8', 2, '-1::int8'), ('int8', 3, '9223372036854775807::int8'),
 ('numeric', 1, '''NaN''::numeric'), ('numeric', 2, '0::numeric'),
 ('text', 1, ''''''), ('text', 2, '''garbage'''), ('text', 3, '''SELECT 1 WHERE false'''),
 ('name', 1, '''garden_x'''), ('name', 2, ''''''),
 ('jsonb', 1, '''{}''::jsonb'), ('jsonb', 2, '''[]''::jsonb'), ('jsonb', 3, '''{"x": "NaN", "k": -1}''::jsonb'), ('jsonb', 4, '''null''::jsonb'),
 ('bool', 1, 'true'), ('bool', 2, 'false'),
 ('date', 1, '''infinity''::date'), ('date', 2, '''2020-02-29''::date'), ('date', 3, '''-infinity''::date'),
 ('timestamptz', 1, '''infinity''::timestamptz'), ('timestamptz', 2, '''2020-06-21 12:00Z''::timestamptz'),
 ('timestamptz', 3, '''-infinity''::timestamptz'), ('timestamptz', 4, '''4713-01-01 BC''::timestamptz'),
 ('geometry', 1, '''POINT EMPTY''::geometry'), ('geometry', 2, '''POLYGON EMPTY''::geometry'),
 ('geometry', 3, '''SRID=4326;POINT(0 0)''::geometry'), ('geometry', 4, '''SRID=2154;POLYGON((0 0,1 1,1 0,0 1,0 0))''::geometry'),
 ('geometry', 5, '''GEOMETRYCOLLECTION EMPTY''::geometry'),
 ('float8[]', 1, '''{}''::float8[]'), ('float8[]', 2, '''{NaN,Infinity}''::float8[]'), ('float8[]', 3, 'ARRAY[NULL]::float8[]'),
 ('text[]', 1, '''{}''::text[]'), ('text[]', 2, 'ARRAY[NULL]::text[]'),
 ('int4[]', 1, '''{}''::int4[]'), ('int8[]', 1, '''{}''::int8[]'),
 ('timestamptz[]', 1, '''{}''::timestamptz[]'), ('timestamptz[]', 2, '''{infinity}''::timestamptz[]');

CREATE TEMP TABLE calls AS
WITH funcs AS (
  SELECT p.oid, p.proname, p.prokind, p.proargtypes::oid[] AS args
    FROM pg_proc p
   WHERE p.pronamespace = 'smartregion'::regnamespace
     AND p.prokind IN ('f', 'a')
     -- pseudo-typed arguments (type I/O, aggregate support) are tested through their types
     AND NOT EXISTS (SELECT 1 FROM unnest(p.proargtypes::oid[]) a JOIN pg_type t ON t.oid = a WHERE t.typtype = 'p')
), variants AS (
  SELECT f.*, k FROM funcs f, generate_series(0, 7) k
)
SELECT v.proname, v.k,
       format('SELECT %s(%s)', v.oid::regproc::text,
              coalesce((SELECT string_agg(
                          CASE WHEN v.k = 0 THEN format('NULL::%s', a.typ::regtype)
                               ELSE coalesce(
                                 (SELECT c.lit FROM candidates c WHERE c.typ = a.typ
                                   ORDER BY c.k OFFSET (v.k - 1) % NULLIF((SELECT count(*) FROM candidates c2 WHERE c2.typ = a.typ), 0) LIMIT 1),
                                 format('NULL::%s', a.typ::regtype)) END, ', ' ORDER BY a.n)
                        FROM unnest(v.args) WITH ORDINALITY a(typ, n)), '')) AS call
  FROM variants v;
-- the text input of every base type of the schema, with malformed literals
INSERT INTO calls
SELECT t.typname, k, format('SELECT %L::%s', lit, t.oid::regtype)
  FROM pg_type t, unnest(ARRAY['', 'garbage', '{}', 'NaN', '{1,2', repeat('9', 400)]) WITH ORDINALITY l(lit, k)
 WHERE t.typnamespace = 'smartregion'::regnamespace AND t.typtype = 'b' AND t.typcategory <> 'A';

SET statement_timeout = '20s';
-- (no echo: the calls change as families add functions; the verdict below does not)
\set ECHO none
\o /dev/null
SELECT DISTINCT format('SELECT pg_temp.garden_try(%L)', call) FROM calls \gexec
\o
\set ECHO all
RESET statement_timeout;

-- the server survived every call, and swept a real number of them
SELECT count(*) >= 20 AS swept FROM garden;
-- no internal error, no hang, no crash: this list must stay empty
SELECT call, sqlstate, message FROM garden
 WHERE sqlstate IN ('XX000', 'XX001', 'XX002', '57014') OR sqlstate LIKE '58%' OR sqlstate IS NULL
 ORDER BY call;
RESET client_min_messages;
