-- pgTAP: the governance functions run as their caller, so whatever another role put on the
-- hub's tables (triggers, rules, defaults, policies, the functions they call) runs with the
-- caller's rights.  Before (review of 2026-12-06), _hub_owner_guard refused one case only: a
-- superuser calling on a hub owned by a non-superuser.  Roles, all of docs/security.md:
--  * gtr_padmin, a platform administrator (grant_roles' smartregion_platform_admin), who runs
--    the daily purge_expired('gtr') of governance.md from a scheduler;
--  * gtr_mallory, an agent of no territory granted CREATE on the database (the attacker of
--    registers_identity.sql and provenance_identity.sql).
-- The hub gtr is renamed by the documented procedure (platform.md: its key moved to the new
-- name); the scheduler's job still says 'gtr'.  Mallory creates a schema gtr with the two
-- tables purge_expired needs (agents, and consents: the register deletes consents withdrawn
-- 5 years ago, an erasure that needs no key) and a statement trigger that copies what only
-- the platform administrator may read — the pseudonym key and every territory's restricted
-- projects — into a table of its own.  Before: the administrator's purge_expired('gtr')
-- succeeded and mallory read the key (2 rows: the key and carol's e-mail, a restricted
-- project of 91479).  Now the call is refused, 42501, naming mallory as the schema's owner.
-- The other paths of the same rule (TRIGGER granted on a hub table, to a role or to PUBLIC;
-- the function of a trigger or of a policy, a column's domain, owned by another role; a hub
-- owned by another platform administrator) and the documented workflows that stay are
-- checked after, and the functions agents call to write (tl_propose, thd_load_arcep).  14 of
-- the 26 assertions fail on the build before.
BEGIN;
SELECT plan(41);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
-- a failing query's SQLSTATE, message, detail and hint, separated by ' | '; 'no error' else
CREATE FUNCTION pg_temp.error_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text; hnt text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'no error';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
  END;
  RESET ROLE;
  RETURN CASE WHEN st = 'SRROK' THEN msg ELSE concat_ws(' | ', st, msg, nullif(det, ''), nullif(hnt, '')) END;
END $$;

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('gtr') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('gtr') \gset
CREATE ROLE gtr_padmin IN ROLE smartregion_platform_admin;
CREATE ROLE gtr_padmin2 IN ROLE smartregion_platform_admin;
CREATE ROLE gtr_mallory IN ROLE smartregion_agent;
SELECT format('GRANT CREATE ON DATABASE %I TO gtr_mallory, gtr_padmin', current_database()) \gexec
INSERT INTO gtr.projects (id, name, holder, territory_code, visibility)
VALUES (1, 'restricted project of 91479', 'carol@example.org', '91479', 'restricted');
SELECT smartregion.pseudonym('alice@example.org', 'gtr') IS NOT NULL AS keyed \gset

-- the documented workflow first: the platform administrator purges the hub (owned by the
-- superuser who installed it), and so does the superuser
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*)::text FROM smartregion.purge_expired('gtr')$$),
          '19', 'the platform administrator purges the superuser''s hub (19 rows: a retention row for each of the 18 registered columns (campaign_respondent.role since 2026-12-07, h2), a consent row for projects.holder, the one with a consent purpose)');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.purge_expired('gtr')$$),
          '19', 'so does the superuser who owns it');

-- the rename, by the procedure of platform.md; mallory takes the old name
ALTER SCHEMA gtr RENAME TO gtr_region;
UPDATE smartregion.pseudonym_key SET hub_schema = 'gtr_region' WHERE hub_schema = 'gtr';
SELECT is(pg_temp.as_role('gtr_mallory', $$
            CREATE SCHEMA gtr;
            CREATE TABLE gtr.agents (role_name name, territory_code text);
            CREATE TABLE gtr.consents (subject text, purpose text, withdrawn_at timestamptz);
            CREATE TABLE gtr.loot (what text, value text);
            CREATE FUNCTION gtr.steal() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
              INSERT INTO gtr.loot SELECT 'key', encode(k.key, 'hex') FROM smartregion.pseudonym_key k;
              INSERT INTO gtr.loot SELECT 'holder', p.holder FROM gtr_region.projects p;
              RETURN NULL;
            END $f$;
            CREATE TRIGGER steal AFTER DELETE ON gtr.consents FOR EACH STATEMENT EXECUTE FUNCTION gtr.steal();
            GRANT USAGE ON SCHEMA gtr TO PUBLIC;
            GRANT SELECT, DELETE ON gtr.agents, gtr.consents TO PUBLIC; GRANT INSERT ON gtr.loot TO PUBLIC;
            SELECT 'planted'$$, true),
          'planted', 'mallory creates a schema under the hub''s old name, a consents table and its trigger');
SELECT is(pg_temp.as_role('gtr_mallory', $$SELECT count(*)::text FROM smartregion.pseudonym_key$$),
          '42501', 'mallory cannot read the pseudonym key itself');
SELECT is(pg_temp.as_role('gtr_mallory', $$SELECT count(*)::text FROM gtr_region.projects$$),
          '0', 'nor the restricted project of 91479');

-- the scheduler's job, as the platform administrator
SELECT is(pg_temp.error_of('gtr_padmin', $$SELECT count(*) FROM smartregion.purge_expired('gtr')$$),
          '42501 | must not run purge_expired on hub "gtr" as role "gtr_padmin"'
          ' | Role "gtr_mallory" (the owner of schema "gtr") does not hold the rights of role "gtr_padmin": the call would run what it put in the hub (triggers, rules, defaults, policies and the functions they call) with the rights of "gtr_padmin".'
          ' | Run it as role "gtr_mallory" (SET ROLE gtr_mallory), whose hub it is, or check which schema the call names.',
          'the platform administrator''s purge_expired(''gtr'') on mallory''s schema is refused (before: it ran mallory''s trigger)');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*)::text FROM smartregion.purge_expired('gtr')$$, true),
          '42501', 'also when the call would be kept');
SELECT is(pg_temp.as_role('gtr_mallory', $$SELECT count(*)::text FROM gtr.loot$$),
          '0', 'mallory has neither the key nor carol''s e-mail (before: 2 rows, the key and carol@example.org)');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT smartregion.subject_export('alice@example.org', 'gtr')::text$$),
          '42501', 'subject_export on mallory''s schema is refused too (its policies and views would run as the caller)');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*)::text FROM smartregion.create_pseudonymised_views('gtr', 'gtr_pv')$$),
          '42501', 'and create_pseudonymised_views');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*)::text FROM smartregion.tl_expire('gtr')$$),
          '42501', 'and tl_expire, the other scheduler''s job (before: 42P01, mallory''s schema has no requests)');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*)::text FROM smartregion.purge_expired('gtr_region')$$),
          '19', 'the renamed hub itself is purged as before');

-- the same rule for every role that controls code the call runs: a role granted TRIGGER on
-- a hub table (no documented grant gives it; a DBA might) ...
CREATE FUNCTION public.gtr_audit() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN NULL; END $f$;
ALTER FUNCTION public.gtr_audit() OWNER TO gtr_padmin;
GRANT TRIGGER ON gtr_region.consents TO gtr_padmin;
SELECT is(pg_temp.error_of(current_user, $$SELECT smartregion.subject_erase('alice@example.org', 'gtr_region')$$),
          format('42501 | must not run subject_erase on hub "gtr_region" as role "%s"', current_user)
          || format(' | Role "gtr_padmin" (TRIGGER on table gtr_region.consents) does not hold the rights of role "%1$s": the call would run what it put in the hub (triggers, rules, defaults, policies and the functions they call) with the rights of "%1$s".', current_user)
          || ' | Revoke it (REVOKE TRIGGER ON gtr_region.consents FROM gtr_padmin) after checking the table''s triggers, or run it as role "gtr_padmin".',
          'a superuser does not run subject_erase on a hub where the platform administrator may create triggers');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT (smartregion.subject_erase('nobody@example.org', 'gtr_region') ->> 'status')$$),
          'no_data', 'the platform administrator does: the code it controls runs with its own rights');
REVOKE TRIGGER ON gtr_region.consents FROM gtr_padmin;
-- ... and the owner of a trigger's function (its owner may replace its body at any time)
CREATE TRIGGER gtr_audit AFTER DELETE ON gtr_region.consents FOR EACH STATEMENT EXECUTE FUNCTION public.gtr_audit();
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.purge_expired('gtr_region')$$),
          '42501', 'a superuser does not purge a hub whose trigger calls a function of the platform administrator');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*)::text FROM smartregion.purge_expired('gtr_region')$$),
          '19', 'the platform administrator does');
DROP TRIGGER gtr_audit ON gtr_region.consents;
-- ... the owner of a policy's function (a policy's expression runs as the caller) and of a
-- domain a column is typed with (its owner may add a CHECK calling anything)
CREATE FUNCTION public.gtr_seen() RETURNS boolean LANGUAGE sql STABLE AS 'SELECT true';
ALTER FUNCTION public.gtr_seen() OWNER TO gtr_padmin;
CREATE POLICY gtr_seen ON gtr_region.consents FOR SELECT USING (public.gtr_seen());
SELECT is(pg_temp.error_of(current_user, $$SELECT smartregion.subject_export('alice@example.org', 'gtr_region')$$) ~
            '^42501 \| must not run subject_export on hub "gtr_region" as role "[^"]+" \| Role "gtr_padmin" \(the owner of function public\.gtr_seen\(\), called by policy gtr_seen on table gtr_region\.consents\)',
          true, 'a superuser does not export from a hub whose policy calls a function of the platform administrator');
DROP POLICY gtr_seen ON gtr_region.consents;
CREATE DOMAIN public.gtr_text AS text;
ALTER DOMAIN public.gtr_text OWNER TO gtr_padmin;
ALTER TABLE gtr_region.consents ADD COLUMN note public.gtr_text;
SELECT is(pg_temp.error_of(current_user, $$SELECT smartregion.purge_expired('gtr_region')$$) ~
            'Role "gtr_padmin" \(the owner of domain public\.gtr_text, the type of column note of table gtr_region\.consents\)',
          true, 'nor purge a hub with a column of the platform administrator''s domain');
ALTER TABLE gtr_region.consents DROP COLUMN note;
DROP DOMAIN public.gtr_text;
-- ... and TRIGGER granted to PUBLIC: PUBLIC holds nobody's rights, so every caller is refused
GRANT TRIGGER ON gtr_region.projects TO PUBLIC;
SELECT is(pg_temp.error_of('gtr_padmin', $$SELECT smartregion.purge_expired('gtr_region')$$) ~
            '\| Role "PUBLIC" \(TRIGGER on table gtr_region\.projects\) .* \| Revoke it \(REVOKE TRIGGER ON gtr_region\.projects FROM PUBLIC\) after checking the table''s triggers\.$',
          true, 'TRIGGER granted to PUBLIC: refused, the hint says to revoke it');
REVOKE TRIGGER ON gtr_region.projects FROM PUBLIC;

-- ... and the owner of an event trigger's function: the event trigger is a superuser's, its
-- function need not be, and it runs as the caller on every DDL command of the call (before:
-- a superuser's create_pseudonymised_views ran it once per view, comment and grant)
CREATE FUNCTION public.gtr_evt() RETURNS event_trigger LANGUAGE plpgsql AS $f$ BEGIN RETURN; END $f$;
ALTER FUNCTION public.gtr_evt() OWNER TO gtr_padmin;
CREATE EVENT TRIGGER gtr_evt ON ddl_command_end EXECUTE FUNCTION public.gtr_evt();
SELECT matches(pg_temp.error_of(current_user, $$SELECT count(*) FROM smartregion.create_pseudonymised_views('gtr_region', 'gtr_pv')$$),
          '^42501 \| must not run create_pseudonymised_views on hub "gtr_region" as role "[^"]+" \| Role "gtr_padmin" \(the owner of function public\.gtr_evt\(\), called by event trigger gtr_evt\)',
          'a superuser does not run create_pseudonymised_views while an event trigger calls a function of the platform administrator');
ALTER EVENT TRIGGER gtr_evt DISABLE;
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.purge_expired('gtr_region')$$),
          '19', 'a disabled event trigger does not count');
DROP EVENT TRIGGER gtr_evt;

-- a hub the platform administrator made (create_hub, docs/security.md) is its own: it runs
-- the governance functions there; another platform administrator, whose rights the owner
-- does not hold, runs them as the owner (SET ROLE, granted by the DBA) or not at all
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*) > 0 FROM smartregion.create_hub('gtr_own')$$, true),
          'true', 'the platform administrator makes a hub of its own');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('gtr_own') \gset
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT (smartregion.subject_erase('nobody@example.org', 'gtr_own') ->> 'status')$$),
          'no_data', 'and runs subject_erase on it');
SELECT is(pg_temp.as_role('gtr_padmin2', $$SELECT (smartregion.subject_erase('nobody@example.org', 'gtr_own') ->> 'status')$$),
          '42501', 'another platform administrator does not (gtr_padmin''s triggers would run with its rights)');
-- "holds the caller's rights" is USAGE (the caller's privileges inherited), not MEMBER: on
-- PostgreSQL 16 and later a membership may be granted WITH INHERIT FALSE, SET FALSE, which
-- pg_has_role(..., 'MEMBER') still counts. The owner made a member of the second platform
-- administrator holds its rights and passes; a NOINHERIT owner is refused (on 15 it could
-- SET ROLE, but the rule does not depend on the version).  The grant is made again after
-- ALTER ROLE ... NOINHERIT: from PostgreSQL 16 on the role's attribute is only the default
-- INHERIT option of the grants made after it (the earlier grant kept inheriting, and the call
-- passed on 17, scripts/pg17-test.sh); on 15 it applies to every grant
GRANT gtr_padmin2 TO gtr_padmin;
SELECT is(pg_temp.as_role('gtr_padmin2', $$SELECT (smartregion.subject_erase('nobody@example.org', 'gtr_own') ->> 'status')$$),
          'no_data', 'the hub''s owner inherits the caller''s rights (a member of it): the call passes');
REVOKE gtr_padmin2 FROM gtr_padmin;
ALTER ROLE gtr_padmin NOINHERIT;
GRANT gtr_padmin2 TO gtr_padmin;
SELECT is(pg_temp.as_role('gtr_padmin2', $$SELECT (smartregion.subject_erase('nobody@example.org', 'gtr_own') ->> 'status')$$),
          '42501', 'a member that does not inherit the caller''s rights (NOINHERIT) does not hold them: refused');
REVOKE gtr_padmin2 FROM gtr_padmin;
ALTER ROLE gtr_padmin INHERIT;


-- the functions agents call to write their own rows (tl_propose here; the campaigns', the
-- imports, refreshes and THD loads alike) fire the hub owner's triggers as their caller, as
-- the caller's own INSERT would: an agent of the platform administrator's hub runs them
-- there, a superuser and another platform administrator, whose rights the owner would
-- borrow, do not
CREATE ROLE gtr_agent IN ROLE smartregion_agent;
INSERT INTO gtr_own.agents VALUES ('gtr_agent', '91479');
SELECT is(pg_temp.as_role('gtr_agent', $$SELECT count(*)::text FROM smartregion.tl_propose('{"hub": "gtr_own"}')$$),
          '0', 'an agent of the platform administrator''s hub runs tl_propose there (no open request: no proposal)');
SELECT is(pg_temp.as_role('gtr_padmin', $$SELECT count(*)::text FROM smartregion.tl_propose('{"hub": "gtr_own"}')$$),
          '0', 'so does the platform administrator, its owner');
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.tl_propose('{"hub": "gtr_own"}')$$),
          '42501', 'a superuser does not (before: it ran gtr_padmin''s triggers as superuser)');
SELECT is(pg_temp.as_role('gtr_padmin2', $$SELECT count(*)::text FROM smartregion.thd_load_arcep('x', 'gtr_own')$$),
          '42501', 'nor does another platform administrator load THD data there');

-- every other writing function agents call runs the same guard first (privileged_only): a
-- superuser calling it on the platform administrator's hub is refused by the guard itself
-- (its message names the function), before the function reads anything of the hub
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.import_cityjson('{"type": "CityJSON"}', 'gtr_own')$$),
               '^42501 \| must not run import_cityjson on hub "gtr_own" as role ',
               'a superuser''s import_cityjson on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.import_citygml('<CityModel/>', 'gtr_own')$$),
               '^42501 \| must not run import_citygml on hub "gtr_own" as role ',
               'a superuser''s import_citygml on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.import_cityjsonseq('{"type": "CityJSON"}', 'gtr_own')$$),
               '^42501 \| must not run import_cityjsonseq on hub "gtr_own" as role ',
               'a superuser''s import_cityjsonseq on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.refresh_solar_roofs(NULL, NULL, '{}', 'gtr_own')$$),
               '^42501 \| must not run refresh_solar_roofs on hub "gtr_own" as role ',
               'a superuser''s refresh_solar_roofs on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.refresh_solar_roof_cells(NULL, NULL, '{}', 'gtr_own')$$),
               '^42501 \| must not run refresh_solar_roof_cells on hub "gtr_own" as role ',
               'a superuser''s refresh_solar_roof_cells on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.thd_load_arcep_premises('x', 'gtr_own')$$),
               '^42501 \| must not run thd_load_arcep_premises on hub "gtr_own" as role ',
               'a superuser''s thd_load_arcep_premises on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.campaign_invite(1, '91479', 'mayor', 'gtr_own')$$),
               '^42501 \| must not run campaign_invite on hub "gtr_own" as role ',
               'a superuser''s campaign_invite on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.campaign_save('token', 'ftth_coverage', 3, NULL, 'gtr_own')$$),
               '^42501 \| must not run campaign_save on hub "gtr_own" as role ',
               'a superuser''s campaign_save on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.campaign_submit('token', 'gtr_own')$$),
               '^42501 \| must not run campaign_submit on hub "gtr_own" as role ',
               'a superuser''s campaign_submit on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.campaign_close(1, 'gtr_own')$$),
               '^42501 \| must not run campaign_close on hub "gtr_own" as role ',
               'a superuser''s campaign_close on the platform administrator''s hub is refused by the guard');
SELECT matches(pg_temp.error_of(current_user, $$SELECT smartregion.campaign_reopen(1, DATE '2027-01-01', 'gtr_own')$$),
               '^42501 \| must not run campaign_reopen on hub "gtr_own" as role ',
               'a superuser''s campaign_reopen on the platform administrator''s hub is refused by the guard');

SELECT * FROM finish();
ROLLBACK;
