-- pgTAP: the planner's statistics of a confidential column (docs/governance.md, the register of
-- confidential data).  ANALYZE samples every row, whatever the policies, and the planner reads
-- a column's most common values for any operator marked leakproof (text and boolean equality
-- are), also under row-level security: an agent's EXPLAIN gave the headcount bands (statistical
-- secrecy) and the CFE liability (fiscal secrecy) of another territory's establishments, which
-- the restrictive policy sr_confidential_territory hides from it (the adversarial review of
-- secrecy, 2026-12-06: on the demo, the agent of 91326 read the whole hub's 13 establishments
-- of band 21 and its 196 of 218 CFE-liable ones, from which its own 111 rows subtract to
-- 91479's, band by band).  A registered confidential column keeps no statistics.
BEGIN;
SELECT plan(11);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
-- The planner's row estimate of a query run as a role
CREATE FUNCTION pg_temp.estimate(r name, q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE j json;
BEGIN
  EXECUTE format('SET LOCAL ROLE %I', r);
  EXECUTE 'EXPLAIN (FORMAT JSON) ' || q INTO j;
  RESET ROLE;
  RETURN (j -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END $$;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tap_cs') \gset
CREATE ROLE tap_cs_agent_b IN ROLE smartregion_agent;
-- 91479: 40 CFE-liable establishments of band 53 (10,000 employees or more), restricted;
-- 91326: 2 of band 00, not liable
INSERT INTO tap_cs.zae_establishments (siret, naf, headcount_band, cfe_liable, etab_nat_juridique, territory_code)
SELECT '1' || lpad(g::text, 13, '0'), '62.01Z', '53', true, '5710', '91479' FROM generate_series(1, 40) g;
INSERT INTO tap_cs.zae_establishments (siret, naf, headcount_band, cfe_liable, etab_nat_juridique, territory_code)
SELECT '2' || lpad(g::text, 13, '0'), '62.01Z', '00', false, '5710', '91326' FROM generate_series(1, 2) g;
-- statistics gathered before the hub's security (autovacuum does so on its own)
ANALYZE tap_cs.zae_establishments;
SELECT is((SELECT count(*)::int FROM pg_stats WHERE schemaname = 'tap_cs' AND tablename = 'zae_establishments'
            AND attname IN ('headcount_band', 'cfe_liable')), 2, 'ANALYZE before grant_roles: both columns have statistics');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tap_cs') \gset
INSERT INTO tap_cs.agents VALUES ('tap_cs_agent_b', '91326');

SELECT is((SELECT count(*)::int FROM pg_stats WHERE schemaname = 'tap_cs' AND tablename = 'zae_establishments'
            AND attname IN ('headcount_band', 'cfe_liable')), 0,
          'grant_roles drops the statistics a confidential column had');
SELECT is((SELECT string_agg(attname || ':' || attstattarget, ',' ORDER BY attname) FROM pg_attribute
            WHERE attrelid = 'tap_cs.zae_establishments'::regclass AND attname IN ('headcount_band', 'cfe_liable', 'naf')),
          'cfe_liable:0,headcount_band:0,naf:-1', 'a confidential column has the statistics target 0, the others the default');
ANALYZE tap_cs.zae_establishments;
SELECT is((SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_stats WHERE schemaname = 'tap_cs' AND tablename = 'zae_establishments'
            AND attname IN ('headcount_band', 'cfe_liable', 'naf', 'siret')), 'naf,siret',
          'ANALYZE again: no statistics of the confidential columns, the others kept');

-- what agent b reads, and what its EXPLAIN tells
SELECT is(pg_temp.as_role('tap_cs_agent_b', 'SELECT string_agg(headcount_band, '','') FROM tap_cs.zae_establishments'), '00,00',
          'agent b reads its own two establishments only');
-- 40 of the 42 rows are of band 53 and none of band 41: with the statistics the first estimate
-- was 40/42 of the rows, the second the minimum (1); without, both are the planner's default
SELECT is(pg_temp.estimate('tap_cs_agent_b', $$SELECT * FROM tap_cs.zae_establishments, generate_series(1, 100000) g
                                               WHERE headcount_band = '53'$$),
          pg_temp.estimate('tap_cs_agent_b', $$SELECT * FROM tap_cs.zae_establishments, generate_series(1, 100000) g
                                               WHERE headcount_band = '41'$$),
          'agent b''s estimates: a band only the other territory has is estimated as a band nobody has');
SELECT is(pg_temp.estimate('tap_cs_agent_b', $$SELECT * FROM tap_cs.zae_establishments, generate_series(1, 100000) g
                                               WHERE cfe_liable$$),
          pg_temp.estimate('tap_cs_agent_b', $$SELECT * FROM tap_cs.zae_establishments, generate_series(1, 100000) g
                                               WHERE NOT cfe_liable$$),
          'agent b''s estimates: CFE-liable and not liable alike (40 and 2 hidden behind its 2)');
-- a hub analysed after grant_roles, with new rows: still none
INSERT INTO tap_cs.zae_establishments (siret, naf, headcount_band, cfe_liable, etab_nat_juridique, territory_code)
SELECT '3' || lpad(g::text, 13, '0'), '62.01Z', '21', true, '5710', '91479' FROM generate_series(1, 10) g;
ANALYZE tap_cs.zae_establishments;
SELECT is((SELECT count(*)::int FROM pg_stats WHERE schemaname = 'tap_cs' AND tablename = 'zae_establishments'
            AND attname IN ('headcount_band', 'cfe_liable')), 0, 'new rows analysed: still no statistics of the confidential columns');
-- grant_roles again keeps the target and does not fail
SELECT is((SELECT count(*)::int FROM smartregion.grant_roles('tap_cs')) > 20, true, 'grant_roles again');

-- a view using the column keeps it from being retyped: grant_roles goes on (it warns when the
-- column has statistics; here none), and ANALYZE gathers none
SELECT count(*) > 0 AS hub2 FROM smartregion.create_hub('tap_cs2') \gset
CREATE VIEW tap_cs2.bands AS SELECT siret, headcount_band FROM tap_cs2.zae_establishments;
SELECT is((SELECT count(*)::int FROM smartregion.grant_roles('tap_cs2')) > 20, true,
          'grant_roles on a hub with a view using a confidential column: passes');
SELECT is((SELECT string_agg(attname || ':' || attstattarget, ',' ORDER BY attname) FROM pg_attribute
            WHERE attrelid = 'tap_cs2.zae_establishments'::regclass AND attname IN ('headcount_band', 'cfe_liable')),
          'cfe_liable:0,headcount_band:0', 'the view''s column still gets the statistics target 0');

SELECT * FROM finish();
ROLLBACK;
