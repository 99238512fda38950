-- The free-text scan of a data subject's request: what _fold_text's pinned search_path costs
-- (2026-12-07, h8; docs/performance.md, "Data subjects' requests"), on sr_hub of
-- bench/subject_requests_setup.sql (520,000 answers, 13,000 comments).  Serial scans
-- (max_parallel_workers_per_gather = 0) of campaign_answer in one session, after one warm-up
-- call of each: count(*) alone; the condition subject_export writes (_fold_text(comment) ~
-- pattern); the same with copies of _fold_text in the schema fold_bench: "unpinned" (the body
-- as is, no SET: still not inlined, PostgreSQL inlines neither a STRICT function whose body has
-- a CASE nor an IMMUTABLE one calling the STABLE getdatabaseencoding()), "inlinable" (no SET,
-- STABLE, not STRICT: EXPLAIN VERBOSE shows its expression in the filter).  Variants
-- alternate, 5 rounds; prints the medians.  The copies are dropped at the end.
-- Run: psql -X -d DB -f bench/fold_text.sql
\set QUIET on
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
CREATE SCHEMA fold_bench;
SELECT format($f$CREATE FUNCTION fold_bench.unpinned(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS %L$f$, prosrc)
  FROM pg_proc WHERE oid = 'smartregion._fold_text(text)'::regprocedure \gexec
SELECT format($f$CREATE FUNCTION fold_bench.inlinable(value text) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS %L$f$, prosrc)
  FROM pg_proc WHERE oid = 'smartregion._fold_text(text)'::regprocedure \gexec
SELECT smartregion._mention_pattern('Agent123') AS pat \gset
CREATE TEMP TABLE fold_runs (round int, variant text, ms numeric, n bigint);
CREATE FUNCTION pg_temp.run(r int, v text, q text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp(); n bigint;
BEGIN
  EXECUTE q INTO n;
  INSERT INTO fold_runs VALUES (r, v, round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1), n);
END $$;
CREATE TEMP TABLE fold_q (variant text, q text);
INSERT INTO fold_q VALUES
  ('count(*)', 'SELECT count(*) FROM sr_hub.campaign_answer t'),
  ('_fold_text (pinned)', format('SELECT count(*) FROM sr_hub.campaign_answer t WHERE smartregion._fold_text(t.comment) ~ %L', :'pat')),
  ('unpinned copy', format('SELECT count(*) FROM sr_hub.campaign_answer t WHERE fold_bench.unpinned(t.comment) ~ %L', :'pat')),
  ('inlinable copy', format('SELECT count(*) FROM sr_hub.campaign_answer t WHERE fold_bench.inlinable(t.comment) ~ %L', :'pat'));
SELECT pg_temp.run(0, variant, q) FROM fold_q;   -- warm-up
SELECT pg_temp.run(r, variant, q) FROM generate_series(1, 5) r, fold_q ORDER BY r, variant;
\set QUIET off
SELECT variant, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median_ms, string_agg(ms::text, ', ' ORDER BY round) AS runs,
       min(n) AS rows_found, max(n) AS rows_found_max
  FROM fold_runs WHERE round > 0 GROUP BY variant ORDER BY median_ms;
DROP SCHEMA fold_bench CASCADE;
