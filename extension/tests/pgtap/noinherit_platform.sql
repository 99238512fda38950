-- pgTAP: the other uses of _caller_is_privileged for a NOINHERIT member of the platform
-- administrators' group (docs/security-reviews.md#r-noinherit-platform, 2026-12-07, h9).
-- _caller_is_privileged counts a member whatever its INHERIT (pg_has_role MEMBER).  The
-- published zones' scope, which took that for "row-level security shows it every row",
-- was fixed (secrecy_noinherit.sql).  The other uses ask "who is it", not "what does it
-- read", and were reviewed here: each either binds the member (the trust guards: it is
-- checked more, not less) or lets it do what it may do anyway once it runs
-- SET ROLE smartregion_platform_admin, which on PostgreSQL 15 every member may (the
-- withdrawal of a tiers-lieux proposal; set_secrecy_rules, secrecy_noinherit.sql).
-- Then (2026-12-07, h1, docs/security-reviews.md#r-noinherit-set) the direct tests of
-- membership in the group: the refresh's targets and tl_propose's requests, which stand for
-- what the group's policy lets it write, now ask USAGE (section 3); the policies' platform
-- term gives it no more than SET ROLE would, and asks _caller_may_act_as (MEMBER on 15,
-- USAGE or SET on 16+; section 4).  Then (2026-12-07, h9, same entry) the membership tests of
-- the other groups and of a hub's owner: "is an agent" (the listed role) and "may act as the
-- owner" ask USAGE or SET on 16+ too; the others add a refusal only, MEMBER kept (section 5).
-- Two roles: nip_padmin, a NOINHERIT member of the group listed as an agent of 75056 and
-- given directly what it needs; nip_agent_b, an agent of another territory, 92012.
BEGIN;
SELECT plan(22);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('nip_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('nip_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('nip_hub') \gset
CREATE ROLE nip_padmin NOINHERIT IN ROLE smartregion_platform_admin;
CREATE ROLE nip_agent_b IN ROLE smartregion_agent;
GRANT USAGE ON SCHEMA nip_hub, smartregion TO nip_padmin;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA nip_hub TO nip_padmin;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO nip_padmin;
INSERT INTO nip_hub.agents VALUES ('nip_padmin', '75056'), ('nip_agent_b', '92012');
-- premise 1 and project 1 of 75056, request 1 for it, proposal 1 of premise 1 (a new hub:
-- identities from 1), as sql/tierslieux_agreements.sql sets them up
INSERT INTO nip_hub.premises (id, name, location, capacity, territory_code) VALUES
  (1, 'one', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 4, '75056');
INSERT INTO nip_hub.projects (id, name, location, team_size, start_date, duration_months, territory_code) VALUES
  (1, 'p1', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 1, '2030-01-01', 12, '75056');
INSERT INTO nip_hub.tl_request (project_id) VALUES (1);
INSERT INTO nip_hub.tl_proposal (request_id, premise_id) VALUES (1, 1);

-- what it is: a member of the group that holds none of its privileges, and may become it
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT smartregion._caller_is_privileged()::text || '/' ||
                                             pg_has_role('smartregion_platform_admin', 'USAGE')::text$$),
          'true/false', 'the NOINHERIT member: _caller_is_privileged (MEMBER) true, the group''s privileges (USAGE) false');
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT set_config('role', 'smartregion_platform_admin', true)$$),
          'smartregion_platform_admin', 'it may SET ROLE to the group (PostgreSQL 15: every member may)');

-- 1. The trust guards (_hub_code_guard with privileged_only, _query_hub_guard, and their C
-- side, sr_caller_is_privileged, for _hub_read_guard and _query_read_guard) bind it: code
-- another role controls would run with its rights, and could SET ROLE to the group from
-- there.  Counting it (MEMBER) refuses more, never less: kept.  nip_agent_b, granted
-- TRIGGER on the hub's consents, controls code there (_hub_code_controllers)
GRANT TRIGGER ON nip_hub.consents TO nip_agent_b;
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT smartregion._hub_code_guard('nip_hub', 'tl_propose', true)::text$$),
          '42501', '_hub_code_guard (privileged_only) binds the NOINHERIT member: nip_agent_b controls code on the hub');
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT smartregion._hub_read_guard('nip_hub', 'maturity_scores')::text$$),
          '42501', '_hub_read_guard (C, sr_caller_is_privileged) binds it too');
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT smartregion._query_hub_guard('zone_indicators', ARRAY['SELECT 1 FROM nip_hub.consents'])::text$$),
          '42501', '_query_hub_guard binds it: a text reading the hub');
SELECT is(pg_temp.as_role('nip_agent_b', $$SELECT smartregion._hub_code_guard('nip_hub', 'tl_propose', true)::text$$),
          'true', 'an agent of another territory is not bound (privileged_only: its own triggers'' rights)');

-- 2. Withdrawing a proposal whose request is open: the platform's act.  The NOINHERIT member
-- may (it would, as smartregion_platform_admin after SET ROLE, which reads and writes every
-- row); the agent of another territory does not see the proposal, and changes nothing
SELECT is(pg_temp.as_role('nip_agent_b', $$UPDATE nip_hub.tl_proposal SET status = 'withdrawn', reason = 'x' WHERE id = 1 RETURNING status::text$$),
          '<null>', 'the agent of 92012 withdraws nothing (it does not see the proposal of 75056)');
SELECT is(pg_temp.as_role('nip_padmin', $$UPDATE nip_hub.tl_proposal SET status = 'withdrawn', reason = 'premise closed' WHERE id = 1 RETURNING status::text$$),
          'withdrawn', 'the NOINHERIT member withdraws it, as it may once SET ROLE to the group');

-- 3. The checks that stand for "what the group's policy lets it write", which the member
-- does not get (PostgreSQL applies sr_platform_admin to the roles holding the group's
-- privileges: USAGE).  Before (2026-12-07, h1) they asked MEMBER, so the member's refresh
-- and tl_propose took other territories' rows for theirs, and the write policy refused the
-- whole run (42501).  Two flat 20 m squares 1 km apart (as pgTAP security): building 1
-- public of 75056, building 2 public of 92012, whose shade the refresh reads but whose face
-- it may not write
-- (nip_agent_b's TRIGGER on consents revoked first: the trust guards of section 1 would
-- refuse every privileged caller's run, 42501, whatever its targets)
REVOKE TRIGGER ON nip_hub.consents FROM nip_agent_b;
INSERT INTO nip_hub.buildings (id, geom, height, territory_code, visibility)
SELECT i, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(640000 + 1000 * i, 6840000, 640020 + 1000 * i, 6840020, 2154), 80)), 10,
       CASE i WHEN 1 THEN '75056' ELSE '92012' END, 'public'
  FROM generate_series(1, 2) i;
CREATE TEMP TABLE nip_sky AS SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(2.25, 48.6, 80), 4326)) AS sky;
GRANT SELECT ON nip_sky TO PUBLIC;
-- (the default query's column target, as each role runs it)
CREATE FUNCTION pg_temp.nip_targets() RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
  EXECUTE format('SELECT string_agg(b.id || '':'' || b.target, '','' ORDER BY b.id) FROM (%s) b',
                 smartregion._refresh_buildings_sql('nip_hub', 'solar_roofs')) INTO r;
  RETURN r;
END $$;
SELECT is(pg_temp.as_role('nip_padmin', 'SELECT pg_temp.nip_targets()'), '1:true,2:false',
          'the NOINHERIT member''s refresh targets its territory''s building only (before: both, MEMBER)');
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT inserted || ' ' || updated FROM smartregion.refresh_solar_roofs((SELECT sky FROM nip_sky), target_schema => 'nip_hub')$$),
          '1 0', 'its refresh writes building 1''s one face (before: 42501, building 2''s refused)');
SELECT is(pg_temp.as_role('smartregion_platform_admin', 'SELECT pg_temp.nip_targets()'), '1:true,2:true',
          'after SET ROLE to the group: every building a target, as its policy lets it write every row');
-- tl_propose: premise 2 and project 2 of 92012, public, an open request for project 2
INSERT INTO nip_hub.premises (id, name, location, capacity, territory_code) VALUES
  (2, 'two', ST_SetSRID(ST_MakePoint(2.25, 48.90), 4326), 4, '92012');
INSERT INTO nip_hub.projects (id, name, location, team_size, start_date, duration_months, territory_code) VALUES
  (2, 'p2', ST_SetSRID(ST_MakePoint(2.25, 48.90), 4326), 1, '2030-01-01', 12, '92012');
INSERT INTO nip_hub.tl_request (project_id) VALUES (2);
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT count(*)::text FROM smartregion.tl_propose('{"hub": "nip_hub"}')$$),
          '0', 'the NOINHERIT member''s tl_propose proposes nothing to 92012''s request (before: 42501, the run refused)');
SELECT is(pg_temp.as_role('smartregion_platform_admin', $$SELECT count(*)::text FROM smartregion.tl_propose('{"hub": "nip_hub"}')$$),
          '1', 'after SET ROLE to the group it proposes to it (one premise fits)');

-- 4. The policies whose platform term asks who may act as the group (_caller_may_act_as:
-- MEMBER on PostgreSQL 15): they show the member no row the group would not read after
-- SET ROLE.  sr_confidential_territory: 92012's published establishment, confidential
-- columns and all, which the agent of 75056 alone would not read
-- (companies, legal category 5710: a sole trader's row would be made restricted)
INSERT INTO nip_hub.zae_establishments (siret, naf, headcount_band, etab_nat_juridique, territory_code, visibility) VALUES
  ('12345678900011', '62.01Z', '11', '5710', '75056', 'public'), ('12345678900029', '62.01Z', '11', '5710', '92012', 'public');
-- (by the policies: the agent of 92012 its own row only, the restrictive policy's
-- territory term; the member both, its platform term; the group both, sr_platform_admin)
SELECT is(pg_temp.as_role('nip_agent_b', $$SELECT string_agg(territory_code, ',' ORDER BY territory_code) FROM nip_hub.zae_establishments$$),
          '92012', 'sr_confidential_territory: an agent reads its own territory''s establishment only, even published');
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT string_agg(territory_code, ',' ORDER BY territory_code) FROM nip_hub.zae_establishments$$)
          || ' / ' || pg_temp.as_role('smartregion_platform_admin', $$SELECT string_agg(territory_code, ',' ORDER BY territory_code) FROM nip_hub.zae_establishments$$),
          '75056,92012 / 75056,92012', 'the NOINHERIT member reads both, as the group does after SET ROLE: no more');
-- the function itself: on PostgreSQL 15, MEMBER (the SET branch, which 15's pg_has_role
-- would refuse with 22023, is not reached)
SELECT is(pg_temp.as_role('nip_padmin', $$SELECT smartregion._caller_may_act_as('smartregion_platform_admin')::text || '/' ||
                                             smartregion._caller_may_act_as('no_such_role_nip')::text$$),
          'true/false',
          '_caller_may_act_as: the NOINHERIT member may act as the group (15: MEMBER; 16+: its grant has SET TRUE, the default); a missing role is false');
-- ... and that its PostgreSQL 16 branch was not run: 15's pg_has_role refuses 'SET'
SELECT CASE WHEN current_setting('server_version_num')::int < 160000
            THEN throws_ok($$SELECT pg_has_role('smartregion_platform_admin', 'SET')$$, '22023', NULL,
                           'PostgreSQL 15''s pg_has_role refuses SET: the 16+ branch of _caller_may_act_as was not run')
            ELSE skip('PostgreSQL 16+: pg_has_role knows SET (the branch is run by membership_set_option.sql)', 1) END;

-- 5. The other groups' and the hub owner's membership tests (2026-12-07, h9).  On PostgreSQL
-- 16+ a grant WITH INHERIT FALSE, SET FALSE (ADMIN only) counts as MEMBER: where the test stands
-- for "may act as" it asks USAGE or SET there (the branch is run on 16+ by membership_set_option.sql; on 15,
-- whose pg_has_role refuses SET, the texts are checked and 15's answers locked in).
-- The listed role "is an agent": the policy sr_agents_territory_admin's check, behind the version
SELECT ok((SELECT regexp_replace(with_check, '\s+', ' ', 'g') LIKE '%CASE WHEN ((current_setting(''server_version_num''::text))::integer >= 160000) THEN (pg_has_role(r.oid, g.oid, ''USAGE''::text) OR pg_has_role(r.oid, g.oid, ''SET''::text)) ELSE pg_has_role(r.oid, g.oid, ''MEMBER''::text) END%'
                  AND with_check NOT LIKE '%smartregion._caller%'
             FROM pg_policies WHERE schemaname = 'nip_hub' AND tablename = 'agents' AND policyname = 'sr_agents_territory_admin'),
          'sr_agents_territory_admin: a listed role is an agent when it may act as smartregion_agent (16+: USAGE or SET; 15: MEMBER), built-ins only');
-- ... and the trigger's message and create_hub's warning, the same test
SELECT ok((SELECT position($x$THEN pg_catalog.pg_has_role(r, g.oid, 'USAGE') OR pg_catalog.pg_has_role(r, g.oid, 'SET')$x$ IN prosrc) > 0
             FROM pg_proc WHERE oid = 'smartregion._agents_listed()'::regprocedure)
          AND (SELECT position($x$pg_catalog.pg_has_role(r.oid, ''smartregion_agent'', ''SET'')$x$ IN prosrc) > 0
             FROM pg_proc WHERE oid = 'smartregion.create_hub(name, int)'::regprocedure),
          '_agents_listed''s "it is not an agent" and create_hub''s warning ask SET on 16+ as the policy does');
-- "may act as the hub's owner": the history's append-only guard and the secrecy rules' guard
SELECT ok((SELECT position($x$pg_catalog.pg_has_role(CURRENT_USER, owner, 'SET')$x$ IN prosrc) > 0
                  AND position($x$'MEMBER') THEN$x$ IN prosrc) = 0
             FROM pg_proc WHERE oid = 'smartregion._zae_zone_history_append_only()'::regprocedure)
          AND (SELECT position('_caller_may_act_as(pg_catalog.pg_get_userbyid(' IN prosrc) > 0
             FROM pg_proc WHERE oid = 'smartregion._hub_secrecy_rules_guard()'::regprocedure),
          '_zae_zone_history_append_only and _hub_secrecy_rules_guard: the owner''s term asks who may act as the owner (16+: USAGE or SET)');
-- a NOINHERIT member of smartregion_agent is an agent (15: MEMBER, it may SET ROLE to it; 16+: CREATE
-- ROLE ... NOINHERIT IN ROLE grants WITH INHERIT FALSE, SET TRUE, so SET; the ADMIN-only grant,
-- which is no agent on 16+, is membership_set_option.sql's) and is listed; a territory administrator of 75056 lists it (the trigger and the policy agree)
CREATE ROLE nip_tadmin IN ROLE smartregion_territory_admin;
CREATE ROLE nip_agent_noinherit NOINHERIT IN ROLE smartregion_agent;
INSERT INTO nip_hub.territory_admins VALUES ('nip_tadmin', '75056');
SELECT is(pg_temp.as_role('nip_tadmin', $$INSERT INTO nip_hub.agents VALUES ('nip_agent_noinherit', '75056') RETURNING role_name::text$$),
          'nip_agent_noinherit',
          'a territory administrator lists a NOINHERIT member of smartregion_agent (it may SET ROLE to it: 15, and 16+ whose grant has SET TRUE)');
-- ... and a NOINHERIT member of the history's owner role truncates it (15: MEMBER, it may SET
-- ROLE to the owner, who may), where an agent given TRUNCATE is refused
CREATE ROLE nip_owner_role;
ALTER TABLE nip_hub.zae_zone_history OWNER TO nip_owner_role;
CREATE ROLE nip_owner_noinherit NOINHERIT IN ROLE nip_owner_role;
GRANT USAGE ON SCHEMA nip_hub TO nip_owner_noinherit;
GRANT TRUNCATE ON nip_hub.zae_zone_history TO nip_owner_noinherit, nip_agent_b;
CREATE FUNCTION pg_temp.nip_truncate() RETURNS text LANGUAGE plpgsql AS $$
BEGIN TRUNCATE nip_hub.zae_zone_history; RETURN 'truncated'; END $$;
SELECT is(pg_temp.as_role('nip_agent_b', 'SELECT pg_temp.nip_truncate()') || ' / ' ||
          pg_temp.as_role('nip_owner_noinherit', 'SELECT pg_temp.nip_truncate()'),
          '42501 / truncated',
          'the history''s append-only guard: an agent''s TRUNCATE refused, the NOINHERIT member of its owner''s role''s passes (15: MEMBER; 16+: SET TRUE)');

SELECT * FROM finish();
ROLLBACK;
