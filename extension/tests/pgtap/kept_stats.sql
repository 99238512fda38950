-- pgTAP: the planner statistics that the retype of restricted_stats.sql and
-- confidential_stats.sql could not drop (docs/governance.md, "Planner statistics of protected
-- rows").  A column a trigger, another policy or an SQL-body function uses cannot be retyped,
-- so it kept the statistics gathered before the first grant_roles (projects' territory,
-- visibility, team size, dates and key); an extended statistics object (CREATE STATISTICS) on
-- such columns or on an expression, and an index on an expression, whose statistics ANALYZE
-- gathers on the index whatever the table's columns' targets, kept or gathered theirs.  Until
-- the review of 2026-12-06 (afternoon) an agent of 91326 estimated by EXPLAIN how many
-- projects 91479 has (50 of 60, all restricted), how many of them have a team of 7 for 13
-- months, and how many of 91479's restricted requests carry a note naming a person, through
-- lower(note) once an index on it existed (this file on the build before: 10 of its 17
-- assertions fail).  grant_roles run by a superuser now deletes those statistics and sets the
-- target 0 on the statistics objects and index expressions.
BEGIN;
SELECT plan(17);
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
-- what ANALYZE keeps of the hub's projects and requests: columns' statistics, the data of
-- the extended statistics objects, and the statistics of the index expressions
CREATE FUNCTION pg_temp.kept(hub name) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(x, ',' ORDER BY x), '')
    FROM (SELECT s.starelid::regclass::text || '.' || s.staattnum AS x
            FROM pg_statistic s JOIN pg_class c ON c.oid = s.starelid
             LEFT JOIN pg_index i ON i.indexrelid = c.oid
           WHERE c.relnamespace = hub::regnamespace
             AND coalesce(i.indrelid, c.oid) IN (format('%I.projects', hub)::regclass, format('%I.tl_request', hub)::regclass)
          UNION ALL
          SELECT x.stxname || ':' || concat_ws('+', CASE WHEN d.stxdmcv IS NOT NULL THEN 'mcv' END,
                                                    CASE WHEN d.stxdndistinct IS NOT NULL THEN 'ndistinct' END,
                                                    CASE WHEN d.stxdexpr IS NOT NULL THEN 'expr' END)
            FROM pg_statistic_ext x JOIN pg_statistic_ext_data d ON d.stxoid = x.oid
           WHERE x.stxnamespace = hub::regnamespace
             AND (d.stxdmcv IS NOT NULL OR d.stxdndistinct IS NOT NULL OR d.stxdexpr IS NOT NULL)) k $$;

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tap_ks') \gset
CREATE ROLE tap_ks_agent_a IN ROLE smartregion_agent;
-- 91479: 50 restricted projects, teams of 7 for 13 months, with requests whose note names a
-- person; 91326: 10 public projects, teams of 2 for 6 months, and requests open to all
INSERT INTO tap_ks.projects (id, name, holder, location, territory_code, visibility, team_size, duration_months)
SELECT g, 'p' || g, 'holder ' || g, ST_SetSRID(ST_MakePoint(4.8, 45.7), 4326),
       CASE WHEN g <= 50 THEN '91479' ELSE '91326' END,
       CASE WHEN g <= 50 THEN 'restricted' ELSE 'public' END::smartregion.visibility,
       CASE WHEN g <= 50 THEN 7 ELSE 2 END, CASE WHEN g <= 50 THEN 13 ELSE 6 END
  FROM generate_series(1, 60) g;
INSERT INTO tap_ks.tl_request (project_id, note, visibility)
SELECT g, CASE WHEN g <= 50 THEN 'with Mme Durand' ELSE 'open to all' END,
       CASE WHEN g <= 50 THEN 'restricted' ELSE 'public' END::smartregion.visibility
  FROM generate_series(1, 60) g;
-- what a DBA adds for the planner: combinations of two columns the tiers-lieux' trigger uses
-- (they cannot be retyped), an expression over the territory (a policy's column), an index on
-- an expression of the note
CREATE STATISTICS tap_ks.team_months (mcv, ndistinct) ON team_size, duration_months FROM tap_ks.projects;
CREATE STATISTICS tap_ks.territory_lower ON (lower(territory_code)) FROM tap_ks.projects;
CREATE INDEX note_lower ON tap_ks.tl_request (lower(note));
-- statistics gathered before the hub's security (autovacuum does so on its own)
ANALYZE tap_ks.projects, tap_ks.tl_request;
SELECT is((SELECT count(*)::int FROM pg_stats WHERE schemaname = 'tap_ks'
             AND (tablename, attname) IN (('projects', 'territory_code'), ('projects', 'team_size'),
                                          ('projects', 'duration_months'), ('note_lower', 'lower')))
          || ';' || (SELECT string_agg(k, ',' ORDER BY k) FROM regexp_split_to_table(pg_temp.kept('tap_ks'), ',') k WHERE k ~ ':'),
          '4;team_months:mcv+ndistinct,territory_lower:expr',
          'ANALYZE before grant_roles: the columns, both statistics objects and the index expression have statistics');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tap_ks') \gset
INSERT INTO tap_ks.agents VALUES ('tap_ks_agent_a', '91326');

-- a superuser's grant_roles: nothing stays (before: 11 columns, both objects, the index)
SELECT is(pg_temp.kept('tap_ks'), '', 'a superuser''s grant_roles deletes every statistic of the two tables, those of the columns that cannot be retyped included');
SELECT is((SELECT string_agg(stxname || ':' || coalesce(stxstattarget, -1), ',' ORDER BY stxname) FROM pg_statistic_ext
            WHERE stxnamespace = 'tap_ks'::regnamespace), 'team_months:0,territory_lower:0',
          'the statistics objects have the target 0');
SELECT is((SELECT coalesce(attstattarget, -1) FROM pg_attribute WHERE attrelid = 'tap_ks.note_lower'::regclass AND attnum = 1)::int, 0,
          'the index expression has the target 0');
-- (projects only: an index's new column target reaches ANALYZE from the next transaction on,
-- PostgreSQL 15 reloading an open index's catalogue row but not its columns; the index
-- expression analysed after a committed grant_roles: scripts/table-stats-test.sh)
ANALYZE tap_ks.projects;
SELECT is(pg_temp.kept('tap_ks'), '', 'ANALYZE again: still nothing');

-- what agent a reads, and what its EXPLAIN tells
SELECT is(pg_temp.as_role('tap_ks_agent_a', 'SELECT count(*) || '':'' || string_agg(DISTINCT territory_code || ''/'' || team_size, '','') FROM tap_ks.projects'),
          '10:91326/2', 'agent a reads its own 10 projects only');
-- 50 of the 60 projects are 91479's: with the statistics the first estimate was 50/60 of the
-- rows, for a territory nobody has the minimum; without, both the default
SELECT is(pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE territory_code = '91479'$$),
          pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE territory_code = '99999'$$),
          'agent a''s estimates: the other territory''s hidden projects are estimated as those of a territory nobody has (a policy''s column)');
SELECT is(pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE team_size = 7$$),
          pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE team_size = 8$$),
          'agent a''s estimates: a team size only hidden projects have is estimated as one nobody has (a trigger''s column)');
SELECT is(pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE team_size = 7 AND duration_months = 13$$),
          pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE team_size = 8 AND duration_months = 14$$),
          'agent a''s estimates: a combination only hidden projects have is estimated as one nobody has (extended statistics)');
SELECT is(pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE lower(territory_code) = '91479'$$),
          pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.projects, generate_series(1, 100000) g WHERE lower(territory_code) = '99999'$$),
          'agent a''s estimates: an expression of the hidden projects'' territory as one nobody has (expression statistics)');
SELECT is(pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.tl_request, generate_series(1, 100000) g WHERE lower(note) = 'with mme durand'$$),
          pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.tl_request, generate_series(1, 100000) g WHERE lower(note) = 'with m. nobody'$$),
          'agent a''s estimates: the hidden requests'' note through an index expression as a note nobody wrote');

-- an index on an expression made after grant_roles: ANALYZE gathers its statistics with the
-- index column's own target (-1), and they show the hidden notes until grant_roles runs again
CREATE INDEX note_upper ON tap_ks.tl_request (upper(note));
ANALYZE tap_ks.tl_request;
SELECT cmp_ok(pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.tl_request, generate_series(1, 100000) g WHERE upper(note) = 'WITH MME DURAND'$$),
              '>', 20 * pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.tl_request, generate_series(1, 100000) g WHERE upper(note) = 'WITH M. NOBODY'$$),
              'an index expression made after grant_roles: its statistics show the hidden notes (documented: run grant_roles again)');
SELECT is((SELECT count(*)::int FROM smartregion.grant_roles('tap_ks')) > 20, true, 'grant_roles again');
SELECT is(pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.tl_request, generate_series(1, 100000) g WHERE upper(note) = 'WITH MME DURAND'$$),
          pg_temp.estimate('tap_ks_agent_a', $$SELECT * FROM tap_ks.tl_request, generate_series(1, 100000) g WHERE upper(note) = 'WITH M. NOBODY'$$),
          '... after which they are gone');

-- the hub's owner is no superuser: it cannot delete the statistics of pg_statistic; the
-- columns that cannot be retyped and the index expression keep theirs (and it is warned,
-- expected/governance.out), the retyped ones are dropped, every target is 0
SELECT count(*) > 0 AS hub2 FROM smartregion.create_hub('tap_ks2') \gset
CREATE ROLE tap_ks_owner IN ROLE smartregion_reader;
INSERT INTO tap_ks2.projects (id, name, holder, territory_code, visibility, team_size)
SELECT g, 'p' || g, 'holder ' || g, '91479', 'restricted', 7 FROM generate_series(1, 20) g;
CREATE INDEX territory_lower ON tap_ks2.projects (lower(territory_code));
ANALYZE tap_ks2.projects;
ALTER SCHEMA tap_ks2 OWNER TO tap_ks_owner;
SELECT format('ALTER TABLE tap_ks2.%I OWNER TO tap_ks_owner', tablename) AS alter_owner
  FROM pg_tables WHERE schemaname = 'tap_ks2' \gexec
-- (the internal function enable_territory_security runs, called directly: not PUBLIC's since
-- the review of 2026-12-08, docs/security-reviews.md#r-internal-public; granted as the
-- platform administrator has it)
GRANT EXECUTE ON FUNCTION smartregion._hub_table_no_statistics(name, name) TO tap_ks_owner;
SET LOCAL ROLE tap_ks_owner;
SELECT smartregion._hub_table_no_statistics('tap_ks2', 'projects') AS no_stats \gset
RESET ROLE;
SELECT is((SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_stats WHERE schemaname = 'tap_ks2' AND tablename = 'projects'),
          'duration_months,id,recorded_at,start_date,team_size,territory_code,territory_type,visibility',
          'a caller that is no superuser: the columns that cannot be retyped keep their statistics');
SELECT is((SELECT count(*)::int FROM pg_statistic WHERE starelid = 'tap_ks2.territory_lower'::regclass), 1,
          '... and the index expression its own');
SELECT is((SELECT string_agg(DISTINCT coalesce(attstattarget, -1)::text, ',') FROM pg_attribute
            WHERE attrelid IN ('tap_ks2.projects'::regclass, 'tap_ks2.territory_lower'::regclass) AND attnum > 0 AND NOT attisdropped),
          '0', '... every column and the index expression have the target 0');

SELECT * FROM finish();
ROLLBACK;
