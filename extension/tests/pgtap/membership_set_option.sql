-- pgTAP: PostgreSQL 16+'s grant options and "may act as" (docs/security-reviews.md#r-noinherit-set).
-- From 16 on a membership grant carries INHERIT and SET options: a grant WITH INHERIT FALSE,
-- SET FALSE (ADMIN only, as a CREATEROLE role gets over each role it creates) is a member
-- (pg_has_role MEMBER) that may neither hold the group's privileges (USAGE) nor SET ROLE to
-- it (SET), so it must not count as the group; WITH INHERIT FALSE, SET TRUE must (it may
-- become the group).  The tests that stand for "may act as" ask USAGE or SET on 16+:
-- _caller_may_act_as and _caller_is_privileged in SQL, sr_caller_is_privileged in C (the
-- readers' trust guard), the agents' policy sr_agents_territory_admin and its trigger
-- _agents_listed, the zone history's append-only guard.  First run on PostgreSQL 17.12
-- (2026-12-07, h1, scripts/pg17-test.sh); on 15, which has no grant options (the GRANT
-- syntax itself is refused), every assertion is skipped.
BEGIN;
SELECT plan(12);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
-- as pg_temp.as_role, but the SQLSTATE and the message of an error ('<sqlstate>: <message>')
CREATE FUNCTION pg_temp.as_role_msg(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; res text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q INTO res;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = coalesce(res, '<null>');
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN CASE WHEN st = 'SRROK' THEN msg ELSE st || ': ' || msg END;
  END;
END $$;

SELECT current_setting('server_version_num')::int >= 160000 AS pg16 \gset
\if :pg16

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('msx_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('msx_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('msx_hub') \gset
-- msx_padmin_admin: the platform administrators' group ADMIN only; msx_padmin_set: WITH
-- INHERIT FALSE, SET TRUE.  Both given directly what the readers need.
CREATE ROLE msx_padmin_admin;
CREATE ROLE msx_padmin_set;
GRANT smartregion_platform_admin TO msx_padmin_admin WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;
GRANT smartregion_platform_admin TO msx_padmin_set WITH INHERIT FALSE, SET TRUE;
GRANT USAGE ON SCHEMA msx_hub, smartregion TO msx_padmin_admin, msx_padmin_set;
GRANT SELECT ON ALL TABLES IN SCHEMA msx_hub TO msx_padmin_admin, msx_padmin_set;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO msx_padmin_admin, msx_padmin_set;

-- 1. What the grants are, by PostgreSQL's own pg_has_role (MEMBER / USAGE / SET)
SELECT is(pg_temp.as_role('msx_padmin_admin', $$SELECT concat_ws('/', pg_has_role('smartregion_platform_admin', 'MEMBER')::text,
                                                   pg_has_role('smartregion_platform_admin', 'USAGE')::text, pg_has_role('smartregion_platform_admin', 'SET')::text)$$),
          'true/false/false', 'the ADMIN-only grant: a member, without the group''s privileges, that may not SET ROLE to it');
SELECT is(pg_temp.as_role('msx_padmin_set', $$SELECT concat_ws('/', pg_has_role('smartregion_platform_admin', 'MEMBER')::text,
                                                 pg_has_role('smartregion_platform_admin', 'USAGE')::text, pg_has_role('smartregion_platform_admin', 'SET')::text)$$),
          'true/false/true', 'the SET-only grant: a member, without the group''s privileges, that may SET ROLE to it');

-- 2. _caller_may_act_as and _caller_is_privileged (SQL)
SELECT is(pg_temp.as_role('msx_padmin_admin', $$SELECT smartregion._caller_may_act_as('smartregion_platform_admin')::text || '/' ||
                                                 smartregion._caller_is_privileged()::text$$),
          'false/false', 'the ADMIN-only grant may not act as the platform administrator: _caller_may_act_as and _caller_is_privileged false');
SELECT is(pg_temp.as_role('msx_padmin_set', $$SELECT smartregion._caller_may_act_as('smartregion_platform_admin')::text || '/' ||
                                               smartregion._caller_is_privileged()::text$$),
          'true/true', 'the SET-only grant may: both true');

-- 3. The C check (sr_caller_is_privileged, has_privs_of_role || member_can_set_role) through
-- a reader: maturity_scores's trust guard binds a privileged caller only, and refuses it
-- (42501) while another role controls code reading the hub would run (msx_agent, granted
-- TRIGGER on the hub's consents: _hub_code_controllers); other callers read at once
CREATE ROLE msx_agent IN ROLE smartregion_agent;
GRANT TRIGGER ON msx_hub.consents TO msx_agent;
SELECT is(pg_temp.as_role('msx_padmin_set', $$SELECT count(*)::text FROM smartregion.maturity_scores('default', NULL, '{"hub": "msx_hub"}')$$),
          '42501', 'maturity_scores: the SET-only grant is privileged (C), and bound by the trust guard');
SELECT is(pg_temp.as_role('msx_padmin_admin', $$SELECT count(*)::text FROM smartregion.maturity_scores('default', NULL, '{"hub": "msx_hub"}')$$),
          '0', 'maturity_scores: the ADMIN-only grant is not (C), and reads the empty hub');
SELECT is(pg_temp.as_role('msx_padmin_admin', $$SELECT smartregion._hub_read_guard('msx_hub', 'maturity_scores')::text$$) || ' / ' ||
          pg_temp.as_role('msx_padmin_set', $$SELECT smartregion._hub_read_guard('msx_hub', 'maturity_scores')::text$$),
          'true / 42501', '_hub_read_guard (C): the ADMIN-only grant returns at once, the SET-only one is checked');
REVOKE TRIGGER ON msx_hub.consents FROM msx_agent;

-- 4. The agents listed by a territory administrator: an agent is a role that may act as
-- smartregion_agent.  msx_agent_admin: smartregion_agent ADMIN only; msx_agent_set: INHERIT
-- FALSE, SET TRUE.
CREATE ROLE msx_tadmin IN ROLE smartregion_territory_admin;
INSERT INTO msx_hub.territory_admins VALUES ('msx_tadmin', '75056');
CREATE ROLE msx_agent_admin;
CREATE ROLE msx_agent_set;
CREATE ROLE msx_agent_set2;
GRANT smartregion_agent TO msx_agent_admin WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;
GRANT smartregion_agent TO msx_agent_set, msx_agent_set2 WITH INHERIT FALSE, SET TRUE;
-- the trigger _agents_listed: the ADMIN-only grant refused with its message, the other listed
SELECT is(pg_temp.as_role_msg('msx_tadmin', $$INSERT INTO msx_hub.agents VALUES ('msx_agent_admin', '75056') RETURNING role_name::text$$),
          '42501: cannot list role "msx_agent_admin" as an agent of territory "75056": it is not an agent',
          '_agents_listed: a territory administrator may not list the ADMIN-only grant of smartregion_agent');
SELECT is(pg_temp.as_role_msg('msx_tadmin', $$INSERT INTO msx_hub.agents VALUES ('msx_agent_set', '75056') RETURNING role_name::text$$),
          'msx_agent_set', '_agents_listed: it lists the SET-only grant (it may become an agent)');
-- the policy sr_agents_territory_admin alone (the trigger disabled): the same rule
ALTER TABLE msx_hub.agents DISABLE TRIGGER sr_agents_listed;
SELECT is(pg_temp.as_role_msg('msx_tadmin', $$INSERT INTO msx_hub.agents VALUES ('msx_agent_admin', '75056') RETURNING role_name::text$$) || ' / ' ||
          pg_temp.as_role_msg('msx_tadmin', $$INSERT INTO msx_hub.agents VALUES ('msx_agent_set2', '75056') RETURNING role_name::text$$),
          '42501: new row violates row-level security policy for table "agents" / msx_agent_set2',
          'sr_agents_territory_admin: the policy refuses the ADMIN-only grant and accepts the SET-only one');
ALTER TABLE msx_hub.agents ENABLE TRIGGER sr_agents_listed;

-- 5. The zone history's append-only guard: "may act as the table's owner".  The ADMIN-only
-- grant of the owner's role is refused as any writer; the SET-only grant truncates it, as
-- it may after SET ROLE to the owner
CREATE ROLE msx_owner_role;
ALTER TABLE msx_hub.zae_zone_history OWNER TO msx_owner_role;
CREATE ROLE msx_owner_admin;
CREATE ROLE msx_owner_set;
GRANT msx_owner_role TO msx_owner_admin WITH ADMIN TRUE, INHERIT FALSE, SET FALSE;
GRANT msx_owner_role TO msx_owner_set WITH INHERIT FALSE, SET TRUE;
GRANT USAGE ON SCHEMA msx_hub, smartregion TO msx_owner_admin, msx_owner_set;
GRANT TRUNCATE ON msx_hub.zae_zone_history TO msx_owner_admin, msx_owner_set;
CREATE FUNCTION pg_temp.msx_truncate() RETURNS text LANGUAGE plpgsql AS $$
BEGIN TRUNCATE msx_hub.zae_zone_history; RETURN 'truncated'; END $$;
SELECT is(pg_temp.as_role('msx_owner_admin', 'SELECT pg_temp.msx_truncate()') || ' / ' ||
          pg_temp.as_role('msx_owner_set', 'SELECT pg_temp.msx_truncate()'),
          '42501 / truncated',
          '_zae_zone_history_append_only: the ADMIN-only grant of the owner''s role refused, the SET-only one passes');
-- ... and _caller_may_act_as on the owner's role, the same answers
SELECT is(pg_temp.as_role('msx_owner_admin', $$SELECT smartregion._caller_may_act_as('msx_owner_role')::text$$) || ' / ' ||
          pg_temp.as_role('msx_owner_set', $$SELECT smartregion._caller_may_act_as('msx_owner_role')::text$$),
          'false / true', '_caller_may_act_as on any group: ADMIN-only false, SET-only true');

\else
SELECT skip('PostgreSQL 16+ only: a grant''s INHERIT and SET options do not exist on ' || current_setting('server_version'), 12);
\endif

SELECT * FROM finish();
ROLLBACK;
