-- pgTAP: roles and least-privilege grants (issue 14, docs/security.md):
-- what the reader, two agents, a territory administrator, the platform
-- administrator and an analyst can and cannot do on one hub.
BEGIN;
SELECT plan(291);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
-- The same, for a query that fails: its SQLSTATE, message, detail and the table and
-- constraint fields of its error, separated by ' | '; 'no error' when it does not fail.
CREATE FUNCTION pg_temp.error_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text; tbl text; con text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'no error';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                            tbl = TABLE_NAME, con = CONSTRAINT_NAME;
  END;
  RESET ROLE;
  RETURN CASE WHEN st = 'SRROK' THEN msg ELSE concat_ws(' | ', st, msg, nullif(det, ''), nullif(tbl, ''), nullif(con, '')) END;
END $$;

-- a hub with two territories, restricted rows and personal data
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('tap_hub') \gset
INSERT INTO tap_hub.projects (id, name, holder, territory_code, visibility) VALUES
  (1, 'public project of 91326', 'alice@example.org', '91326', 'public'),
  (2, 'restricted project of 91326', 'bob@example.org', '91326', 'restricted'),
  (3, 'restricted project of 91479', 'carol@example.org', '91479', 'restricted');
INSERT INTO tap_hub.consents (subject, purpose) VALUES ('alice@example.org', 'tiers_lieux_matching');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('tap_hub') \gset
CREATE ROLE tap_reader IN ROLE smartregion_reader;
CREATE ROLE tap_reader2;
CREATE ROLE tap_agent_a IN ROLE smartregion_agent;
CREATE ROLE tap_agent_b IN ROLE smartregion_agent;
CREATE ROLE tap_tadmin IN ROLE smartregion_territory_admin;
CREATE ROLE tap_padmin IN ROLE smartregion_platform_admin;
CREATE ROLE tap_analyst IN ROLE smartregion_analyst;
CREATE ROLE tap_nobody;
INSERT INTO tap_hub.agents VALUES ('tap_agent_a', '91326'), ('tap_agent_b', '91479'), ('tap_tadmin', '91479');
INSERT INTO tap_hub.territory_admins VALUES ('tap_tadmin', '91479');
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('tap_hub') \gset

-- the group roles exist, are NOLOGIN, and nest as documented
SELECT is((SELECT count(*)::int FROM pg_roles WHERE rolname LIKE 'smartregion\_%' AND rolname <> 'smartregion_auditor'
            AND NOT rolcanlogin), 5, 'five NOLOGIN group roles');
SELECT ok(pg_has_role('smartregion_platform_admin', 'smartregion_reader', 'MEMBER')
          AND pg_has_role('smartregion_territory_admin', 'smartregion_agent', 'MEMBER')
          AND pg_has_role('smartregion_analyst', 'smartregion_reader', 'MEMBER')
          AND NOT pg_has_role('smartregion_analyst', 'smartregion_agent', 'MEMBER')
          AND NOT pg_has_role('smartregion_agent', 'smartregion_territory_admin', 'MEMBER'),
          'platform admin > territory admin > agent > reader; analyst > reader only');
SELECT ok((SELECT count(*) FROM smartregion.grant_roles('tap_hub')) > 20, 'grant_roles is idempotent');
-- the hub's two SECURITY DEFINER functions: EXECUTE for those who run tl_propose and publish
-- zone indicators (agents, hence territory administrators, and the platform administrator),
-- not for readers, analysts or a role outside the groups (docs/security.md; one loop over their
-- signatures in grant_roles since 2026-12-07, the same grants as its two blocks before)
SELECT results_eq(
  $$SELECT r, f, has_function_privilege(r, f::regprocedure, 'EXECUTE')
      FROM unnest(ARRAY['smartregion_reader', 'smartregion_analyst', 'smartregion_agent', 'smartregion_territory_admin',
                        'smartregion_platform_admin', 'tap_nobody']) WITH ORDINALITY a(r, ra),
           unnest(ARRAY['tap_hub._tl_places_left(tsrange[])',
                        'tap_hub._zae_zone_history_hidden(name, name, bytea[])']) WITH ORDINALITY b(f, fb)
     ORDER BY ra, fb$$,
  $$VALUES ('smartregion_reader', 'tap_hub._tl_places_left(tsrange[])', false),
           ('smartregion_reader', 'tap_hub._zae_zone_history_hidden(name, name, bytea[])', false),
           ('smartregion_analyst', 'tap_hub._tl_places_left(tsrange[])', false),
           ('smartregion_analyst', 'tap_hub._zae_zone_history_hidden(name, name, bytea[])', false),
           ('smartregion_agent', 'tap_hub._tl_places_left(tsrange[])', true),
           ('smartregion_agent', 'tap_hub._zae_zone_history_hidden(name, name, bytea[])', true),
           ('smartregion_territory_admin', 'tap_hub._tl_places_left(tsrange[])', true),
           ('smartregion_territory_admin', 'tap_hub._zae_zone_history_hidden(name, name, bytea[])', true),
           ('smartregion_platform_admin', 'tap_hub._tl_places_left(tsrange[])', true),
           ('smartregion_platform_admin', 'tap_hub._zae_zone_history_hidden(name, name, bytea[])', true),
           ('tap_nobody', 'tap_hub._tl_places_left(tsrange[])', false),
           ('tap_nobody', 'tap_hub._zae_zone_history_hidden(name, name, bytea[])', false)$$,
  'the hub''s SECURITY DEFINER functions: EXECUTE for agents and the platform administrator only');
SELECT results_eq(
  $$SELECT grantee::text COLLATE "default", object, privileges FROM smartregion.grant_roles('tap_hub')
     WHERE object LIKE 'function tap\_hub.%' ORDER BY 2, 1$$,
  $$VALUES ('smartregion_agent', 'function tap_hub._tl_places_left(tsrange[])', 'EXECUTE'),
           ('smartregion_platform_admin', 'function tap_hub._tl_places_left(tsrange[])', 'EXECUTE'),
           ('smartregion_agent', 'function tap_hub._zae_zone_history_hidden(name, name, bytea[])', 'EXECUTE'),
           ('smartregion_platform_admin', 'function tap_hub._zae_zone_history_hidden(name, name, bytea[])', 'EXECUTE')$$,
  'grant_roles reports the two functions'' grants as before, each to the agents and the platform administrator');

-- a role outside the groups: nothing (the issue: agents could not even use the schema)
-- what the register tells a data subject (subject_export's recipients) is what the policies do:
-- another territory's agent reads the holder of a public project (docs/security.md, "A public row
-- gives every territory's agents its personal columns"); before the review of 2026-12-06 the
-- register said "agents of the territories concerned"
SELECT is(pg_temp.as_role('tap_agent_b', 'SELECT holder FROM tap_hub.projects WHERE id = 1'), 'alice@example.org',
          'the agent of 91479 reads the holder of a public project of 91326');
SELECT is((SELECT string_agg(table_name || '.' || column_name, ', ' ORDER BY table_name, column_name)
           FROM smartregion.personal_data
           WHERE table_name IN ('projects', 'premises', 'tl_request') AND column_name IN ('holder', 'owner', 'note')
             AND recipients LIKE '%(of every territory for a public %'),
          'premises.owner, projects.holder, tl_request.note',
          'the register says that every territory''s agents read these personal columns of a public row');

SELECT is(pg_temp.as_role('tap_nobody', 'SELECT count(*) FROM smartregion.maturity_framework'), '42501',
          'a role outside the groups cannot read the platform''s tables');

-- reader -----------------------------------------------------------------------------------
SELECT is(pg_temp.as_role('tap_reader', $$SELECT smartregion.match_score('{"kinds": ["coworking"]}', '{"kinds": ["coworking"]}')::text$$),
          '1', 'reader: match_score works (it reads match_criterion)');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT smartregion.maturity_check_framework('default')$$), '1.0',
          'reader: maturity functions work (they read maturity_framework)');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT count(*)::text FROM smartregion.maturity_scores('default', NULL, '{"hub": "tap_hub"}')$$),
          '0', 'reader: maturity_scores reads the hub''s values and answers');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT string_agg(name, ''|'' ORDER BY id) FROM tap_hub.projects'),
          'public project of 91326', 'reader: the public rows only');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT string_agg(holder, ''|'') FROM tap_hub.projects'), '42501',
          'reader: not the columns that hold personal data');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT count(*)::text FROM tap_hub.consents'), '42501', 'reader: not the consents');
SELECT is(pg_temp.as_role('tap_reader', $$INSERT INTO tap_hub.projects (id, name, territory_code) VALUES (9, 'x', '91326')$$),
          '42501', 'reader: cannot write the hub');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT count(*)::text FROM smartregion.pseudonym_key'), '42501', 'reader: not the pseudonym key');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT smartregion.subject_export('alice@example.org', 'tap_hub')::text$$), '42501',
          'reader: cannot export a data subject''s rows');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT count(*)::text FROM jsonb_array_elements(smartregion.catalog_dcat('tap_hub') -> '@graph')$$),
          '55000', 'reader: reads the catalogue (not configured yet here: 55000)');
GRANT smartregion_reader TO tap_reader2;
SELECT is(pg_temp.as_role('tap_reader2', 'SELECT string_agg(name, ''|'' ORDER BY id) FROM tap_hub.projects'),
          'public project of 91326', 'a role made reader later reads too (the grants are the group''s)');

-- agents ------------------------------------------------------------------------------------
SELECT is(pg_temp.as_role('tap_agent_a', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects'),
          '1,2', 'agent a: public rows and the restricted rows of 91326');
SELECT is(pg_temp.as_role('tap_agent_b', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects'),
          '1,3', 'agent b: public rows and the restricted rows of 91479, not a''s');
SELECT is(pg_temp.as_role('tap_agent_a', 'SELECT string_agg(holder, '','' ORDER BY id) FROM tap_hub.projects'),
          'alice@example.org,bob@example.org', 'agent a: the personal columns of the rows it sees');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.projects (id, name, territory_code) VALUES (10, 'new', '91326') RETURNING id::text$$),
          '10', 'agent a: writes rows of 91326');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.projects (id, name, territory_code) VALUES (11, 'new', '91479') RETURNING id::text$$),
          '42501', 'agent a: cannot write rows of 91479');
SELECT is(pg_temp.as_role('tap_agent_a', $$UPDATE tap_hub.projects SET name = 'defaced' WHERE id = 3 RETURNING id::text$$),
          '<null>', 'agent a: cannot update b''s rows (none visible)');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.agents VALUES ('tap_agent_a', '91479') RETURNING 1$$),
          '42501', 'agent a: cannot add itself to 91479');
SELECT is(pg_temp.as_role('tap_agent_a', $$UPDATE tap_hub.agents SET territory_code = '91479' RETURNING 1$$),
          '42501', 'agent a: cannot move its territory');
SELECT is(pg_temp.as_role('tap_agent_a', 'SELECT string_agg(role_name || '':'' || territory_code, '','') FROM tap_hub.agents'),
          'tap_agent_a:91326', 'agent a: sees its own agent row only');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.consents (subject, purpose) VALUES ('dan@example.org', 'tiers_lieux_matching') RETURNING subject$$),
          'dan@example.org', 'agent a: records a consent');
SELECT is(pg_temp.as_role('tap_agent_a', $$UPDATE tap_hub.consents SET withdrawn_at = now() WHERE subject = 'alice@example.org' RETURNING 1$$),
          '42501', 'agent a: cannot withdraw a consent (it purges data: platform administrator''s)');
SELECT is(pg_temp.as_role('tap_agent_a', 'SELECT count(*)::text FROM smartregion.subject_request_log'), '42501',
          'agent a: not the record of the data subjects'' requests');
SELECT is(pg_temp.as_role('tap_agent_a', $$SELECT smartregion.subject_erase('bob@example.org', 'tap_hub')::text$$), '42501',
          'agent a: cannot erase a data subject');
SELECT is(pg_temp.as_role('tap_agent_a', $$SELECT smartregion.create_hub('tap_hub2')::text$$), '42501',
          'agent a: cannot create a hub');
-- the provenance of an agent's write is its own, and cannot be forged
SELECT is(pg_temp.as_role('tap_agent_a', $$WITH w AS (INSERT INTO tap_hub.projects (id, name, territory_code) VALUES (12, 'p', '91326') RETURNING 1)
                                          SELECT count(*)::text FROM w$$, true), '1', 'agent a: writes a row (kept)');
SELECT is((SELECT loaded_by::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub' AND table_name = 'projects'
            ORDER BY id DESC LIMIT 1), 'tap_agent_a', 'provenance records the agent who wrote');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader, loaded_by)
                                          VALUES ('tap_hub', 'projects', 'tap_hub.projects', 'INSERT', 'forged', 'tap_agent_b') RETURNING 1$$),
          '42501', 'agent a: cannot record provenance in b''s name');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader, loaded_at)
                                          VALUES ('tap_hub', 'projects', 'tap_hub.projects', 'INSERT', 'forged', now() - interval '1 year') RETURNING 1$$),
          '42501', 'agent a: cannot backdate provenance');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader)
                                          VALUES ('smartregion', 'territory', 'smartregion.territory', 'TRUNCATE', 'forged') RETURNING 1$$),
          '42501', 'agent a: cannot record provenance of a table it may not write');
-- provenance is read by whoever may read the table it describes, but a NON_PUBLIC dataset's
-- (the consents, whose rows each agent reads for its own territories only) by its writer and
-- the roles that read every row: by hand, tap_hub.consents has two rows (the set-up's INSERT,
-- agent a's below), tap_hub.projects two (the set-up's, agent a's project 12)
SELECT is(pg_temp.as_role('tap_agent_a', $$WITH w AS (INSERT INTO tap_hub.consents (subject, purpose) VALUES ('erin@example.org', 'tiers_lieux_matching') RETURNING 1)
                                          SELECT count(*)::text FROM w$$, true), '1', 'agent a: records a consent (kept)');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub' AND table_name = 'consents'$$),
          '0', 'reader: not the provenance of the consents (who recorded how many, from where, when)');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub' AND table_name = 'consents'$$),
          '0', 'agent b: not agent a''s consents'' provenance (b reads the consents table, its own territory''s rows)');
SELECT is(pg_temp.as_role('tap_agent_a', $$SELECT string_agg(loaded_by, ',') FROM smartregion.provenance WHERE hub_schema = 'tap_hub' AND table_name = 'consents'$$),
          'tap_agent_a', 'agent a: the provenance of its own consents only');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub' AND table_name = 'consents'$$),
          '2', 'platform admin: every provenance row of the consents');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub' AND table_name = 'projects'$$),
          '2', 'reader: the provenance of a table it reads (the catalogue''s), agent a''s write included');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub' AND table_name = 'projects'$$),
          '2', 'agent b: the provenance of a RESTRICTED dataset it reads, a''s write included');
-- a table dropped since, and a schema the reader may not use: no error, and no row but the writer's
CREATE TABLE tap_hub.tap_gone (x int);
INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader, loaded_by)
VALUES ('tap_hub', 'tap_gone', 'tap_hub.tap_gone', 'INSERT', 'gone-loader', 'tap_agent_b');
DROP TABLE tap_hub.tap_gone;
CREATE SCHEMA tap_private;
CREATE TABLE tap_private.t (x int);
GRANT SELECT ON tap_private.t TO smartregion_reader;
INSERT INTO smartregion.provenance (hub_schema, table_name, table_id, operation, loader) VALUES ('tap_private', 't', 'tap_private.t', 'INSERT', 'private-loader');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT count(*)::text FROM smartregion.provenance WHERE table_name IN ('tap_gone', 't')$$),
          '0', 'reader: no provenance of a dropped table nor of a schema it may not use, and no error');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT string_agg(loader, ',') FROM smartregion.provenance WHERE table_name IN ('tap_gone', 't')$$),
          'gone-loader', 'agent b: its own row of a dropped table');

-- territory administrator of 91479 --------------------------------------------------------------
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_agent_a', '91479') RETURNING 1$$),
          '1', 'territory admin: adds an agent to its territory');
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_agent_b', '91326') RETURNING 1$$),
          '42501', 'territory admin: cannot add an agent to another territory');
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_tadmin', '91326') RETURNING 1$$),
          '42501', 'territory admin: cannot widen its own territories');
-- ... nor through a role it belongs to, nor list a role that has members: the policies match
-- CURRENT_USER, so a group listed as an agent of 91479 lets each of its members act for 91479
-- after SET ROLE (smartregion_agent listed: every territory's agents read and write 91479's rows)
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('smartregion_agent', '91479') RETURNING 1$$),
          '42501', 'territory admin: cannot list a group it belongs to (every agent would act for its territory)');
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('smartregion_analyst', '91479') RETURNING 1$$),
          '42501', 'territory admin: cannot list a role that has members (they would act for its territory)');
SELECT is(pg_temp.as_role('tap_tadmin', $$UPDATE tap_hub.agents SET role_name = 'smartregion_reader' WHERE role_name = 'tap_agent_b' RETURNING 1$$),
          '42501', 'territory admin: cannot turn an agent row into a group''s');
-- ... and lists agents only: roles the database administrator made members of smartregion_agent.
-- Two member-less roles it does not control, the web clients' reader (a reader) and another
-- service's account (no group): listed, either would read 91479's restricted rows
CREATE ROLE tap_web_reader IN ROLE smartregion_reader;
CREATE ROLE tap_service;
SELECT is(pg_temp.error_of('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_web_reader', '91479')$$),
          '42501 | cannot list role "tap_web_reader" as an agent of territory "91479": it is not an agent | '
          'Role "tap_web_reader" is not a member of smartregion_agent: the database administrator has not made it an agent.',
          'territory admin: cannot list the web clients'' reader, saying why');
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_service', '91479') RETURNING 1$$),
          '42501', 'territory admin: cannot list another service''s account');
SELECT is(pg_temp.as_role('tap_tadmin', $$UPDATE tap_hub.agents SET role_name = 'tap_service' WHERE role_name = 'tap_agent_b' RETURNING 1$$),
          '42501', 'territory admin: cannot turn an agent row into a role that is no agent');
SELECT is(pg_temp.error_of('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_not_yet', '91479')$$),
          '42704 | cannot list role "tap_not_yet" as an agent of territory "91479": it does not exist',
          'territory admin: cannot list a role that does not exist (a role created later under that name would act for 91479)');
SELECT is(pg_temp.error_of('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('smartregion_analyst', '91479')$$),
          '42501 | cannot list role "smartregion_analyst" as an agent of territory "91479": it has members | '
          'Every member of a role listed would act for the territory after SET ROLE.',
          'territory admin: a role with members, refused saying why');
-- the policy refuses them by itself (the trigger only words the error)
ALTER TABLE tap_hub.agents DISABLE TRIGGER sr_agents_listed;
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_web_reader', '91479') RETURNING 1$$),
          '42501', 'territory admin: the policy alone refuses a role that is no agent');
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_not_yet', '91479') RETURNING 1$$),
          '42501', 'territory admin: the policy alone refuses a role that does not exist');
ALTER TABLE tap_hub.agents ENABLE TRIGGER sr_agents_listed;
-- the documented workflow: the database administrator makes the account an agent, the territory
-- administrator lists it; by hand it then reads the public projects 1 and 12 and 91479's 3
SELECT is(pg_temp.as_role('tap_service', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects'),
          '42501', 'another service''s account reads nothing of the hub');
GRANT smartregion_agent TO tap_service;
SELECT is(pg_temp.as_role('tap_service', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects'),
          '1,12', 'made an agent by the database administrator, unlisted: the public rows');
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.agents VALUES ('tap_service', '91479') RETURNING 1$$, true),
          '1', 'territory admin: lists a role the database administrator made an agent');
SELECT is(pg_temp.as_role('tap_service', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects'),
          '1,3,12', 'listed for 91479: its restricted rows too');
DELETE FROM tap_hub.agents WHERE role_name = 'tap_service';
REVOKE smartregion_agent FROM tap_service;
SELECT is(pg_temp.as_role('tap_tadmin', $$DELETE FROM tap_hub.agents WHERE role_name = 'tap_agent_b' RETURNING territory_code$$),
          '91479', 'territory admin: removes an agent of its territory');
SELECT is(pg_temp.as_role('tap_tadmin', $$DELETE FROM tap_hub.agents WHERE role_name = 'tap_agent_a' RETURNING territory_code$$),
          '<null>', 'territory admin: cannot remove an agent of another territory');
SELECT is(pg_temp.as_role('tap_tadmin', $$INSERT INTO tap_hub.territory_admins VALUES ('tap_tadmin', '91326') RETURNING 1$$),
          '42501', 'territory admin: cannot make itself administrator of another territory');
SELECT is(pg_temp.as_role('tap_tadmin', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects'),
          '1,3,12', 'territory admin: reads as an agent of its territory (12 is a public row of 91326)');

-- platform administrator ---------------------------------------------------------------------------
SELECT is(pg_temp.as_role('tap_padmin', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects'),
          '1,2,3,12', 'platform admin: every row');
SELECT is(pg_temp.as_role('tap_padmin', $$INSERT INTO tap_hub.territory_admins VALUES ('tap_agent_a', '91326') RETURNING 1$$),
          '1', 'platform admin: appoints territory administrators');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT jsonb_array_length(smartregion.subject_export('bob@example.org', 'tap_hub') -> 'records')::text$$),
          '1', 'platform admin: answers an access request');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion.subject_erase('bob@example.org', 'tap_hub') ->> 'status'$$),
          'erased', 'platform admin: answers an erasure request');
SELECT is(pg_temp.as_role('tap_padmin', 'SELECT (length(key) >= 32)::text FROM smartregion.pseudonym_key WHERE hub_schema = ''tap_hub'''),
          'true', 'platform admin: reads the pseudonym key');
SELECT is(pg_temp.as_role('tap_padmin', $$UPDATE tap_hub.consents SET withdrawn_at = now() WHERE subject = 'alice@example.org' RETURNING 1$$),
          '1', 'platform admin: withdraws a consent');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion.configure_audit('tap_hub')::text$$), '42501',
          'platform admin: configuring the audit is the superuser''s (it sets pgaudit.role)');

-- analyst ------------------------------------------------------------------------------------------
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(*)::text FROM tap_hub_pseudo.projects'), '4',
          'analyst: every row of the pseudonymised view');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT count(*)::text FROM tap_hub_pseudo.projects WHERE holder LIKE 'pseudo:%'$$), '3',
          'analyst: identifiers replaced by pseudonyms');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT count(*)::text FROM tap_hub_pseudo.projects WHERE holder LIKE '%@%'$$), '0',
          'analyst: no identifier in clear');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT (holder = smartregion.pseudonym('alice@example.org', 'tap_hub'))::text FROM tap_hub_pseudo.projects WHERE id = 1$$),
          '42501', 'analyst: cannot compute a pseudonym (no key)');
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT string_agg(holder, '','') FROM tap_hub.projects'), '42501',
          'analyst: not the hub''s personal columns');
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(*)::text FROM smartregion.pseudonym_key'), '42501', 'analyst: not the key');
SELECT is((SELECT holder FROM tap_hub_pseudo.projects WHERE id = 1), smartregion.pseudonym('alice@example.org', 'tap_hub'),
          'the view''s pseudonym is the keyed HMAC of the identifier');
-- a withdrawn consent drops the subject's rows from the view at once
UPDATE tap_hub.consents SET withdrawn_at = now() WHERE subject = 'alice@example.org';
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(*)::text FROM tap_hub_pseudo.projects WHERE id = 1'), '0',
          'analyst: the rows of a withdrawn consent are gone');
SELECT is((SELECT count(*)::int FROM tap_hub.projects WHERE holder = 'alice@example.org'), 0,
          'the rows of a withdrawn consent are purged from the hub');

-- the catalogue: every role that reads the hub produces it (a reader cannot
-- read the consents: their dataset has no extent), and its extents are the
-- public rows' for every caller: agent b's restricted premise 700 km away
-- from the public one is not in anybody's bounding box
INSERT INTO tap_hub.premises (id, name, location, territory_code, visibility) VALUES
  (1, 'public premise of 91326', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), '91326', 'public'),
  (2, 'restricted premise of 91479', ST_SetSRID(ST_MakePoint(7.75, 48.58), 4326), '91479', 'restricted');
SELECT smartregion.catalog_configure('tap_hub', 't', 'd', 'p', 'https://p.example', 'dpo@p.example', 'https://d.example/') IS NULL
  AS configured \gset
SELECT is(pg_temp.as_role('tap_reader', $$SELECT jsonb_typeof(smartregion.catalog_dcat('tap_hub'))$$), 'object',
          'reader: produces the catalogue');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT md5(smartregion.catalog_dcat('tap_hub')::text)$$),
          pg_temp.as_role('tap_agent_a', $$SELECT md5(smartregion.catalog_dcat('tap_hub')::text)$$),
          'agents a and b: the same catalogue (public rows'' extents)');
SELECT is((SELECT string_agg(b->'dcat:bbox'->>'@value', ',') FROM jsonb_array_elements(smartregion.catalog_dcat('tap_hub')->'@graph') n,
                   jsonb_array_elements(n->'dct:spatial') b
            WHERE n->>'dct:identifier' = 'tap_hub.premises' AND b ? 'dcat:bbox'), 'POINT(2.35 48.85)',
          'the premises'' bounding box is the public premise''s');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT md5(smartregion.catalog_dcat('tap_hub')::text)$$),
          pg_temp.as_role('tap_agent_a', $$SELECT md5(smartregion.catalog_dcat('tap_hub')::text)$$),
          'reader and agent: the same catalogue (column privileges, consents without extents)');

-- the platform administrator cannot register code that a superuser's call would run
-- (the audit: a hub-table template or a personal-data filter made it superuser)
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion.register_hub_table('zz_plugin', 'platform', 'CREATE TABLE IF NOT EXISTS %1$I.zz_plugin (id int)')::text$$),
          '42501', 'platform admin: cannot register a hub-table template');
SELECT is(pg_temp.as_role('tap_padmin', $$UPDATE smartregion.personal_data SET subject_filter = 'true' WHERE table_name = 'premises' RETURNING 1$$),
          '42501', 'platform admin: cannot write a personal-data filter');
SELECT is(pg_temp.as_role('tap_padmin', $$UPDATE smartregion.subject_request_log SET reason = 'x' RETURNING 1$$),
          '42501', 'platform admin: cannot rewrite the record of the data subjects'' requests');
-- the audit role is a role of its own
SELECT is(pg_temp.as_role(current_user, $$SELECT count(*)::text FROM smartregion.configure_audit('tap_hub', 'smartregion_reader')$$),
          '42501', 'configure_audit: refuses a group role as the audit role');
-- recorded_at cannot be moved into the future (rows would escape their retention period)
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.projects (id, name, holder, territory_code, recorded_at)
                                            VALUES (70, 'old', 'old@a.example', '91326', 'infinity') RETURNING (recorded_at <= now())::text$$),
          'true', 'agent: a row recorded in the future is recorded now');
-- a registered function must belong to a superuser (its owner could redefine it later), and a
-- superuser does not run the governance functions on a hub another role owns (the review: its
-- triggers would run with the superuser's rights)
CREATE FUNCTION public.tap_crit(p jsonb, m jsonb) RETURNS float8 LANGUAGE sql STABLE PARALLEL SAFE AS 'SELECT 1.0::float8';  -- labels a criterion may have: the owner alone refuses it
ALTER FUNCTION public.tap_crit(jsonb, jsonb) OWNER TO tap_padmin;
SELECT is(pg_temp.as_role(current_user, $$INSERT INTO smartregion.match_criterion (name, function, weight)
                                           VALUES ('tap_quiet', 'public.tap_crit(jsonb,jsonb)', 1) RETURNING name$$),
          '42501', 'a criterion function owned by the platform admin is refused, even from a superuser');
ALTER SCHEMA tap_hub OWNER TO tap_padmin;
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion.subject_erase('nobody@example.org', 'tap_hub')::text$$),
          '42501', 'a superuser does not run subject_erase on a hub the platform admin owns');
ALTER SCHEMA tap_hub OWNER TO CURRENT_USER;

-- confidential data (statistical and fiscal secrecy, the audit's F1): the establishments of the
-- activity zones are microdata.  Rows are restricted unless a territory publishes one, a sole
-- trader's row stays restricted even then, and readers and analysts never get the registered
-- confidential columns (CFE liability: fiscal; headcount band: statistical)
INSERT INTO tap_hub.zae_establishments (siret, naf, headcount_band, cfe_liable, etab_nat_juridique, territory_code) VALUES
  ('10000000000011', '62.01Z', '12', true, '5710', '91326'),    -- 91326, default visibility
  ('20000000000012', '46.90Z', '21', false, '5499', '91479');   -- 91479, default visibility
INSERT INTO tap_hub.zae_establishments (siret, naf, headcount_band, cfe_liable, etab_nat_juridique, territory_code, visibility) VALUES
  ('30000000000013', '56.10A', '02', true, '5710', '91326', 'public'),    -- published by 91326
  ('40000000000014', '43.21A', 'NN', false, '1000', '91326', 'public');   -- a sole trader, asked public
SELECT is((SELECT string_agg(siret || ':' || visibility, ',' ORDER BY siret) FROM tap_hub.zae_establishments),
          '10000000000011:restricted,20000000000012:restricted,30000000000013:public,40000000000014:restricted',
          'establishments: restricted by default; a sole trader stays restricted when asked public');
SELECT is((SELECT string_agg(column_name || ':' || secrecy, ',' ORDER BY column_name) FROM smartregion.confidential_data
            WHERE table_name = 'zae_establishments'), 'cfe_liable:fiscal,headcount_band:statistical',
          'the register of confidential data holds the CFE liability (fiscal) and the headcount band (statistical)');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT count(*)::text FROM tap_hub.zae_establishments'),
          '1', 'reader: the published establishment only');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT string_agg(siret, '','') FROM tap_hub.zae_establishments'), '42501',
          'reader: not the SIRET (a sole trader''s identifies a person: registered personal data)');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT count(*)::text FROM tap_hub.zae_establishments WHERE cfe_liable'), '42501',
          'reader: not the CFE liability (fiscal secrecy)');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT string_agg(headcount_band, '','') FROM tap_hub.zae_establishments'), '42501',
          'reader: not the headcount band (statistical secrecy)');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT string_agg(naf, '','') FROM tap_hub.zae_establishments'), '56.10A',
          'reader: the other columns of the published row');
SELECT is(pg_temp.as_role('tap_agent_a', 'SELECT string_agg(siret || '':'' || cfe_liable, '','' ORDER BY siret) FROM tap_hub.zae_establishments'),
          '10000000000011:true,30000000000013:true,40000000000014:false',
          'agent a: its territory''s establishments, with their confidential columns, and the published one');
-- a published row is published without its confidential columns (readers: column
-- privileges), but an agent reads every column of the rows it reads: agent b read the CFE
-- liability (fiscal secrecy, LPF L103) and the headcount band of 91326's published
-- establishment ('30000000000013:true:02' before).  Another territory's rows of a table with
-- confidential columns are not an agent's (restrictive policy sr_confidential_territory):
-- it reads its own, the readers and analysts the published ones without those columns
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT string_agg(siret || ':' || cfe_liable || ':' || headcount_band, ',' ORDER BY siret)
                                           FROM tap_hub.zae_establishments$$),
          '20000000000012:false:21', 'agent b: its own establishment''s confidential columns, never those of 91326''s published one');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT count(*)::text FROM tap_hub.zae_establishments WHERE cfe_liable$$),
          '0', 'agent b: no CFE-liable establishment of another territory counted');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT string_agg(siret || ':' || cfe_liable, ',' ORDER BY siret) FROM tap_hub.zae_establishments$$),
          '10000000000011:true,20000000000012:false,30000000000013:true,40000000000014:false',
          'platform administrator: every establishment with its confidential columns');
SELECT is((SELECT string_agg(tablename || ':' || permissive, ',' ORDER BY tablename) FROM pg_policies
            WHERE schemaname = 'tap_hub' AND policyname = 'sr_confidential_territory'),
          'zae_establishments:RESTRICTIVE', 'the policy is on the tables with confidential columns only');
SELECT is(pg_temp.as_role('tap_agent_b', 'SELECT string_agg(siret, '','' ORDER BY siret) FROM tap_hub.zae_establishments'),
          '20000000000012', 'agent b: its own, not a''s restricted ones nor a''s published one (its confidential columns)');
SELECT is(pg_temp.as_role('tap_agent_b', $$UPDATE tap_hub.zae_establishments SET visibility = 'public' WHERE siret = '10000000000011' RETURNING 1$$),
          '<null>', 'agent b: cannot publish a''s establishment (none visible)');
SELECT is(pg_temp.as_role('tap_agent_a', $$UPDATE tap_hub.zae_establishments SET visibility = 'public' WHERE siret = '40000000000014' RETURNING visibility::text$$),
          'restricted', 'agent a: cannot publish its sole trader''s row');
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('tap_hub') \gset
-- the analysts' view of a table with confidential columns holds its published rows only: with
-- every row (restricted ones of both territories), it counted each zone x section cell that
-- statistical secrecy suppresses (the red-team review of 2026-12-05: on the demo, zone 5's
-- suppressed cells F, G, H, J, M, N: 2, 2, 2, 1, 1, 1 companies by zone_indicators over it)
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(*)::text FROM tap_hub_pseudo.zae_establishments'), '1',
          'analyst: the published establishment only, not the restricted ones of a nor b (microdata)');
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(*)::text FROM tap_hub_pseudo.zae_establishments WHERE cfe_liable'), '42703',
          'analyst: the view has no CFE liability');
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT string_agg(headcount_band, '','') FROM tap_hub_pseudo.zae_establishments'), '42703',
          'analyst: the view has no headcount band');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT string_agg(siret, ',' ORDER BY siret) FROM tap_hub_pseudo.zae_establishments$$),
          '30000000000013',
          'analyst: the published company, its SIRET in clear; never a sole trader (always restricted)');
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(etab_nom)::text FROM tap_hub_pseudo.zae_establishments'), '42703',
          'analyst: the view has no names (a sole trader''s name is the person''s)');
UPDATE tap_hub.zae_establishments SET geom = ST_SetSRID(ST_MakePoint(650000, 6860000), 2154), start_date = '2015-03-01'
 WHERE siret IN ('40000000000014', '30000000000013');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT string_agg(siret || ':' || (geom IS NOT NULL)::text || ':' || coalesce(start_date::text, '-'), ',' ORDER BY siret) FROM tap_hub_pseudo.zae_establishments$$),
          '30000000000013:true:2015-03-01',
          'analyst: the published company''s point and dates; not the sole trader''s');
SELECT is(pg_temp.as_role('tap_agent_a', $$UPDATE tap_hub.zae_establishments SET visibility = 'public' WHERE siret = '10000000000011' RETURNING visibility::text$$, true),
          'public', 'agent a publishes its company 10000000000011');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT string_agg(siret, ',' ORDER BY siret) FROM tap_hub_pseudo.zae_establishments$$),
          '10000000000011,30000000000013', 'analyst: a row published later is in the view at once; b''s restricted one is not');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT string_agg(siret, ',' ORDER BY siret) FROM tap_hub.zae_establishments$$),
          '20000000000012', 'agent b: its own, not a''s two published ones (their confidential columns), nor a''s sole trader');
-- the same rows through the computing functions, which run as their caller (the red team of
-- 2026-12-06, evening): zone_indicators over the hub's establishments counts what its caller
-- reads.  One zone and one parcel around the points (those without one get the point of the
-- two updated above): the reader is refused the confidential and personal columns (42501);
-- agent b counts its own 1 (20000000000012); agent a its 3 (two published, its sole
-- trader); the platform administrator all 4
\set zi_z '''SELECT 1::bigint AS zone_id, ST_MakeEnvelope(649000, 6859000, 651000, 6861000, 2154) AS geom'''
\set zi_p '''SELECT ''''P1'''' AS parcel_id, ST_MakeEnvelope(649000, 6859000, 651000, 6861000, 2154) AS geom, NULL::text AS land_unit_id'''
\set zi_e '''SELECT siret, coalesce(geom, ST_SetSRID(ST_MakePoint(650000, 6860000), 2154)) AS geom, naf, headcount_band, coalesce(start_date, DATE ''''2015-03-01'''') AS start_date, end_date, cfe_liable FROM tap_hub.zae_establishments'''
SELECT is(pg_temp.as_role('tap_reader', format('SELECT establishments::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L)', :zi_z, :zi_p, :zi_e, '2024-06-30')),
          '42501', 'reader: zone_indicators over the hub''s establishments is refused their columns');
SELECT is(pg_temp.as_role('tap_agent_b', format('SELECT establishments::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L)', :zi_z, :zi_p, :zi_e, '2024-06-30')),
          '1', 'agent b: zone_indicators counts its own establishment only');
SELECT is(pg_temp.as_role('tap_agent_a', format('SELECT establishments::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L)', :zi_z, :zi_p, :zi_e, '2024-06-30')),
          '3', 'agent a: zone_indicators counts its own three (its sole trader included), not b''s');
SELECT is(pg_temp.as_role('tap_padmin', format('SELECT establishments::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L)', :zi_z, :zi_p, :zi_e, '2024-06-30')),
          '4', 'platform administrator: zone_indicators counts every territory''s');
-- parcels' owners: a natural person's parcel is restricted and its owner a pseudonym for
-- analysts; an owner whose kind is not known may be a natural person, and is treated as one
-- (as an establishment without a legal category is a sole trader's): before, its parcel was
-- public, its owner was shown as is to the analysts and no access request found it
SELECT pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.zae_parcels (parcel_id, owner_id, owner_kind, geom, territory_code) VALUES
  ('913260000A0001', 'jean.dupont@example.org', NULL, ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 2154)), '91326'),
  ('913260000A0002', 'SIREN 552100554', 'legal_person', ST_Multi(ST_MakeEnvelope(1, 0, 2, 1, 2154)), '91326'),
  ('913260000A0003', NULL, NULL, ST_Multi(ST_MakeEnvelope(2, 0, 3, 1, 2154)), '91326') RETURNING 1$$, true) AS parcels \gset
SELECT is((SELECT string_agg(parcel_id || ':' || visibility, ',' ORDER BY parcel_id) FROM tap_hub.zae_parcels),
          '913260000A0001:restricted,913260000A0002:public,913260000A0003:public',
          'parcels: an owner of unknown kind is restricted like a natural person; no owner, or a legal person, stays public');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT string_agg(parcel_id, '','' ORDER BY parcel_id) FROM tap_hub.zae_parcels'),
          '913260000A0002,913260000A0003', 'reader: not the parcel of an owner of unknown kind');
SELECT is(pg_temp.as_role('tap_agent_b', 'SELECT string_agg(parcel_id, '','' ORDER BY parcel_id) FROM tap_hub.zae_parcels'),
          '913260000A0002,913260000A0003', 'agent b: not a''s parcel of an owner of unknown kind');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT string_agg(parcel_id || ':' || CASE WHEN owner_id LIKE 'pseudo:%' THEN 'pseudo' ELSE coalesce(owner_id, '-') END, ',' ORDER BY parcel_id) FROM tap_hub_pseudo.zae_parcels$$),
          '913260000A0001:pseudo,913260000A0002:SIREN 552100554,913260000A0003:-',
          'analyst: an owner of unknown kind is a pseudonym, a legal person''s identifier stays');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT string_agg(r ->> 'table', ',') FROM jsonb_array_elements(smartregion.subject_export('jean.dupont@example.org', 'tap_hub') -> 'records') r$$),
          'tap_hub.zae_parcels', 'subject_export finds the parcel of an owner of unknown kind');
-- the register: only the platform administrator writes it, and only with columns that exist
SELECT is(pg_temp.as_role('tap_agent_a', $$SELECT smartregion.register_confidential_data('zae_establishments', 'naf', 'statistical', 'x')::text$$),
          '42501', 'agent: cannot register confidential data');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion.register_confidential_data('zae_establishments', 'cfe_liabel', 'fiscal', 'x')::text$$),
          '42703', 'register_confidential_data: a misspelt column is refused');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion.register_confidential_data('zae_establishments', 'naf', 'secret', 'x')::text$$),
          '22023', 'register_confidential_data: an unknown secrecy is refused');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion.register_confidential_data('zae_buildings', 'levels', 'statistical', 'levels of the building')::text$$, true),
          '', 'platform admin: registers a confidential column');
SELECT is((SELECT count(*)::int FROM smartregion.grant_roles('tap_hub')) > 20, true, 'grant_roles again');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT count(levels)::text FROM tap_hub.zae_buildings'), '42501',
          'reader: a newly registered confidential column is withheld after grant_roles');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT count(built_year)::text FROM tap_hub.zae_buildings'), '0',
          'reader: the other columns of that table stay readable');

-- self-diagnosis campaigns: drafts and comments stay with the respondent's territory; the
-- organiser (campaign.territory_code, here the region) invites, follows progress and reads
-- what is submitted; other territories and readers see none of it (docs/maturity.md)
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"91326","nom":"A","departement":"91","region":"11","population":1000},
    {"code":"91479","nom":"B","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"91","nom":"Essonne","region":"11"}]', '[{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE tap_organiser IN ROLE smartregion_agent;
INSERT INTO tap_hub.agents VALUES ('tap_organiser', '11', 'region');
SELECT pg_temp.as_role('tap_organiser', $$INSERT INTO tap_hub.campaign (framework, year, title, opens_on, closes_on, territory_code, territory_type)
  VALUES ('default', 2027, 'Autodiagnostic', current_date, current_date + 30, '11', 'region') RETURNING id::text$$, true) AS camp \gset
SELECT pg_temp.as_role('tap_organiser', format($$SELECT token FROM smartregion.campaign_invite(%s, '91326', 'maire', 'tap_hub')$$, :camp), true) AS token_a \gset
SELECT pg_temp.as_role('tap_organiser', format($$SELECT token FROM smartregion.campaign_invite(%s, '91479', 'maire', 'tap_hub')$$, :camp), true) AS token_b \gset
SELECT is(length(:'token_a') = 64 AND length(:'token_b') = 64, true, 'organiser: invites respondents of other territories');
SELECT is(pg_temp.as_role('tap_agent_b', format($$SELECT token FROM smartregion.campaign_invite(%s, '91479', 'DGS', 'tap_hub')$$, :camp)),
          '42501', 'a territory''s agents cannot invite their own territory: only the organiser invites');
SELECT is(pg_temp.as_role('tap_agent_b', format($$INSERT INTO tap_hub.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash)
  VALUES (%s, 'commune', '91479', 'DGS', sha256('uninvited')) RETURNING 'inserted'$$, :camp)),
          '42501', '... nor by writing the row');
SELECT is(pg_temp.as_role('tap_padmin', format($$SELECT length(token)::text FROM smartregion.campaign_invite(%s, '91479', 'DGS', 'tap_hub')$$, :camp)),
          '64', 'the platform administrator invites');
SELECT is(pg_temp.as_role('tap_agent_a', format($$SELECT smartregion.campaign_save(%L, 'open_data_policy', 2, 'brouillon : rien n''est fait', 'tap_hub')::text$$, :'token_a'), true),
          '', 'respondent''s territory: saves a draft with a comment');
SELECT is(pg_temp.as_role('tap_agent_a', 'SELECT string_agg(comment || '':'' || visibility, '','') FROM tap_hub.campaign_answer'),
          'brouillon : rien n''est fait:restricted', 'respondent''s territory: reads its draft, a restricted row');
SELECT is(pg_temp.as_role('tap_agent_b', 'SELECT count(*)::text FROM tap_hub.campaign_answer'), '0',
          'another territory: does not see the draft');
SELECT is(pg_temp.as_role('tap_agent_b', 'SELECT string_agg(territory_code, '','') FROM tap_hub.campaign_respondent'), '91479',
          'another territory: sees its own respondent only');
SELECT is(pg_temp.as_role('tap_agent_b', format($$SELECT smartregion.campaign_questionnaire(%L, 'tap_hub')::text$$, :'token_a')),
          '28000', 'another territory: another territory''s token is not valid for it');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT (SELECT count(*) FROM tap_hub.campaign_answer) + (SELECT count(*) FROM tap_hub.campaign_respondent)'),
          '0', 'reader: no respondent and no answer');
SELECT is(pg_temp.as_role('tap_organiser', 'SELECT count(*)::text FROM tap_hub.campaign_answer'), '0',
          'organiser: not the drafts');
SELECT is(pg_temp.as_role('tap_agent_a', $$UPDATE tap_hub.campaign_answer SET visibility = 'public' RETURNING visibility::text$$),
          'restricted', 'respondent''s territory: an answer cannot be made public');
SELECT is(pg_temp.as_role('tap_agent_a', format($$SELECT smartregion.campaign_submit(%L, 'tap_hub')::text$$, :'token_a'), true),
          '1', 'respondent''s territory: submits');
SELECT is(pg_temp.as_role('tap_organiser', 'SELECT string_agg(comment, '','') FROM tap_hub.campaign_answer'),
          'brouillon : rien n''est fait', 'organiser: reads the submitted answers');
SELECT is(pg_temp.as_role('tap_organiser', $$SELECT format('%s/%s/%s', invited, submitted, answers_submitted) FROM smartregion.campaign_progress('tap_hub')$$),
          '2/1/1', 'organiser: follows the progress of every respondent');
SELECT is(pg_temp.as_role('tap_agent_b', 'SELECT count(*)::text FROM tap_hub.campaign_answer'), '0',
          'another territory: not the submitted answers either');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT string_agg(indicator || '=' || answer, ',') FROM tap_hub.maturity_answer$$),
          'open_data_policy=2', 'reader: the submitted answer, published in maturity_answer');
-- the platform administrator (the data protection officer) finds a person named in the
-- comments of every territory, drafts included, and clears them (docs/governance.md,
-- "Mentions in free text"); its group's grants are enough
SELECT is(pg_temp.as_role('tap_agent_b', format($$SELECT smartregion.campaign_save(%L, 'open_data_policy', 3, 'voir avec Mme Garnier', 'tap_hub')::text$$, :'token_b'), true),
          '', 'another territory: saves a draft naming a person');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT string_agg(m ->> 'text', ' | ' ORDER BY m ->> 'text') FROM jsonb_array_elements(smartregion.subject_export('GARNIER', 'tap_hub') -> 'mentions') m$$),
          'voir avec Mme Garnier', 'platform admin: the comments naming a person (whole word, any case), in any territory');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion.subject_erase('Garnier', 'tap_hub') -> 'erased' -> 0 ->> 'rows'$$),
          '1', 'platform admin: clears them');
-- (the review of these rules: forging on a respondent one cannot see, moving the organiser,
-- a restricted campaign, taking ids, the analysts' views)
SELECT id AS resp_a FROM tap_hub.campaign_respondent WHERE territory_code = '91326' \gset
SELECT is(pg_temp.as_role('tap_agent_b', format($$INSERT INTO tap_hub.campaign_answer (respondent_id, indicator, answer, comment, territory_code, visibility)
  VALUES (%s, 'citizen_account', 5, 'forged', '91479', 'public') RETURNING 'inserted'$$, :resp_a)),
          '23503', 'another territory: cannot write an answer on a respondent it does not see (as if it did not exist)');
SELECT is(pg_temp.as_role('tap_padmin', format($$UPDATE tap_hub.campaign SET territory_code = '91479' WHERE id = %s RETURNING 'moved'$$, :camp)),
          '55000', 'nobody moves a campaign to another organiser once it has respondents');
SELECT is(pg_temp.as_role('tap_organiser', $$INSERT INTO tap_hub.campaign (framework, year, title, opens_on, closes_on, territory_code, territory_type, visibility)
  VALUES ('default', 2028, 'privée', current_date, current_date + 30, '11', 'region', 'restricted') RETURNING 'inserted'$$),
          '22023', 'a campaign is a public row (its respondents in other territories read it)');
SELECT is(pg_temp.as_role('tap_organiser', format($$INSERT INTO tap_hub.campaign_respondent (id, campaign_id, territory_type, territory_code, role, token_hash)
  VALUES (1000, %s, 'commune', '91326', 'squat', sha256('x')) RETURNING 'inserted'$$, :camp)),
          '428C9', 'respondents'' ids are generated: nobody takes those of future invitations');
SELECT is(to_regclass('tap_hub_pseudo.campaign_answer') IS NULL AND to_regclass('tap_hub_pseudo.campaign_respondent') IS NULL
          AND to_regclass('tap_hub_pseudo.maturity_answer') IS NOT NULL, true,
          'analyst: no view of the campaigns'' respondents and answers (NON_PUBLIC), the submitted answers in maturity_answer');
-- (red team of the write side) deleting a campaign took its respondents and their answers with
-- it: rows of the territories it invited, which its organiser may not write (the drafts, which it
-- may not even read), deleted by the foreign key's cascade as the table's owner, without row-level
-- security.  Now refused, saying nothing of them; the campaign is closed instead
SELECT is(pg_temp.error_of('tap_organiser', format('DELETE FROM tap_hub.campaign WHERE id = %s', :camp)),
          format('23503 | cannot delete campaign %s: it has respondents | Its respondents and their answers are rows of the territories it invited; deleting the campaign would delete them.', :camp),
          'organiser: cannot delete a campaign with respondents of other territories');
-- (2 respondents: 91326's maire, who submitted one answer; 91479's maire, one draft; the
-- platform administrator's invitation above was rolled back)
SELECT is((SELECT format('%s/%s', count(DISTINCT r.id), count(a.*)) FROM tap_hub.campaign_respondent r
             LEFT JOIN tap_hub.campaign_answer a ON a.respondent_id = r.id WHERE r.campaign_id = :camp),
          '2/2', 'the respondents of both communes and their answers, the draft included, are still there');
SELECT is(pg_temp.as_role('tap_padmin', format('DELETE FROM tap_hub.campaign WHERE id = %s RETURNING 1', :camp)), '23503',
          'nor the platform administrator: it removes the respondents first');
-- a campaign's published results stay as it closed with them: once a respondent has
-- submitted, nobody reopens it, through campaign_reopen or the UPDATE it makes (before, both
-- did, and answers submitted then changed the year's published answers); the two communes
-- still see none of each other's answers, the organiser the submitted one only
SELECT pg_temp.as_role('tap_organiser', $$INSERT INTO tap_hub.campaign (framework, year, title, opens_on, closes_on, territory_code, territory_type)
  VALUES ('default', 2026, 'Autodiagnostic 2026', current_date, current_date + 30, '11', 'region') RETURNING id::text$$, true) AS camp26 \gset
SELECT pg_temp.as_role('tap_organiser', format($$SELECT token FROM smartregion.campaign_invite(%s, '91326', 'maire', 'tap_hub')$$, :camp26), true) AS token26_a \gset
SELECT pg_temp.as_role('tap_organiser', format($$SELECT token FROM smartregion.campaign_invite(%s, '91479', 'maire', 'tap_hub')$$, :camp26), true) AS token26_b \gset
SELECT pg_temp.as_role('tap_agent_a', format($$SELECT smartregion.campaign_save(%L, 'open_data_policy', 4, NULL, 'tap_hub')::text || smartregion.campaign_submit(%L, 'tap_hub')$$,
                                             :'token26_a', :'token26_a'), true) AS submitted26 \gset
SELECT pg_temp.as_role('tap_agent_b', format($$SELECT smartregion.campaign_save(%L, 'citizen_account', 2, 'brouillon B', 'tap_hub')::text$$, :'token26_b'), true) AS draft26 \gset
SELECT pg_temp.as_role('tap_organiser', format($$SELECT smartregion.campaign_close(%s, 'tap_hub')::text$$, :camp26), true) AS closed26 \gset
SELECT is(pg_temp.error_of('tap_organiser', format($$SELECT smartregion.campaign_reopen(%s, current_date + 7, 'tap_hub')$$, :camp26)),
          format('55000 | cannot reopen campaign %s: its results are published | Its submitted answers are in maturity_answer for 2026; answers submitted after reopening would change the results it closed with.', :camp26),
          'organiser: cannot reopen a campaign a respondent submitted to');
SELECT is(pg_temp.error_of('tap_organiser', format('UPDATE tap_hub.campaign SET closed_at = NULL, closes_on = current_date + 7 WHERE id = %s', :camp26)),
          format('55000 | cannot reopen campaign %s: its results are published | Its submitted answers are in maturity_answer for 2026; answers submitted after reopening would change the results it closed with.', :camp26),
          'organiser: nor by the UPDATE campaign_reopen makes (the trigger holds the same rule)');
SELECT is(pg_temp.as_role('tap_padmin', format($$SELECT smartregion.campaign_reopen(%s, current_date + 7, 'tap_hub')::text$$, :camp26)), '55000',
          'nor the platform administrator');
SELECT is(pg_temp.as_role('tap_agent_b', format($$UPDATE tap_hub.campaign SET closed_at = NULL, closes_on = current_date + 7 WHERE id = %s RETURNING 'reopened'$$, :camp26)),
          '<null>', 'another commune: its UPDATE reaches no campaign it does not organise');
SELECT is(pg_temp.as_role('tap_agent_b', format($$SELECT smartregion.campaign_reopen(%s, current_date + 7, 'tap_hub')::text$$, :camp26)), '42501',
          'another commune: campaign_reopen is denied to it');
SELECT is((SELECT smartregion._campaign_state(closed_at, opens_on, closes_on) FROM tap_hub.campaign WHERE id = :camp26), 'closed',
          'the campaign is still closed');
SELECT is(pg_temp.as_role('tap_agent_b', format($$SELECT string_agg(r.territory_code || ':' || a.status, ',') FROM tap_hub.campaign_answer a
  JOIN tap_hub.campaign_respondent r ON r.id = a.respondent_id WHERE r.campaign_id = %s$$, :camp26)), '91479:draft',
          'another commune: its own frozen draft only, not the submitted answer of the first');
SELECT is(pg_temp.as_role('tap_organiser', format($$SELECT string_agg(r.territory_code || ':' || a.status, ',') FROM tap_hub.campaign_answer a
  JOIN tap_hub.campaign_respondent r ON r.id = a.respondent_id WHERE r.campaign_id = %s$$, :camp26)), '91326:submitted',
          'organiser: the submitted answer only, never the other commune''s draft');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT string_agg(territory_code || ':' || indicator || '=' || answer, ',') FROM tap_hub.maturity_answer WHERE year = 2026$$),
          '91326:open_data_policy=4', 'reader: the published answers of 2026, as the campaign closed with them');
-- no minimum number of respondents (docs/maturity.md#no-minimum-count): the commune's one
-- answer is published as the territory's; what protects the person is its respondent column
SELECT is(pg_temp.as_role('tap_reader', $$SELECT count(respondent)::text FROM tap_hub.maturity_answer$$), '42501',
          'reader: not the respondent of a published answer');
SELECT is(pg_temp.as_role('tap_analyst', $$SELECT string_agg(left(respondent, 7), ',') FROM tap_hub_pseudo.maturity_answer WHERE year = 2026$$),
          'pseudo:', 'analyst: the respondent of a published answer pseudonymised');
SELECT pg_temp.as_role('tap_organiser', $$INSERT INTO tap_hub.campaign (framework, year, title, opens_on, closes_on, territory_code, territory_type)
  VALUES ('default', 2028, 'sans répondant', current_date, current_date + 30, '11', 'region') RETURNING id::text$$, true) AS camp_empty \gset
SELECT is(pg_temp.as_role('tap_organiser', format($$DELETE FROM tap_hub.campaign WHERE id = %s RETURNING 'deleted'$$, :camp_empty)), 'deleted',
          'organiser: deletes a campaign nobody was invited to');
-- ... nor truncated: TRUNCATE skipped the rules a DELETE is checked by (the platform
-- administrator's TRUNCATE of the answers, or of the campaigns with CASCADE, took submitted
-- answers of closed campaigns, which its DELETE cannot)
SELECT is(pg_temp.as_role('tap_padmin', 'TRUNCATE tap_hub.campaign_answer'), '55000',
          'platform admin: cannot truncate the answers');
SELECT is(pg_temp.as_role('tap_padmin', 'TRUNCATE tap_hub.campaign CASCADE'), '55000',
          'platform admin: nor the campaigns with their respondents and answers');
SELECT is(pg_temp.as_role('tap_padmin', 'DELETE FROM tap_hub.campaign_answer WHERE status = ''submitted'' RETURNING 1'), '55000',
          'platform admin: its DELETE of a submitted answer is refused by the rules');
SELECT is((SELECT confdeltype::text FROM pg_constraint WHERE conname = 'campaign_respondent_campaign_id_fkey'
            AND conrelid = 'tap_hub.campaign_respondent'::regclass), 'a',
          'the respondents'' foreign key no longer cascades (NO ACTION, whoever deletes, with or without the trigger)');

-- territory codes carry their type where the code alone is ambiguous: 11 is Île-de-France
-- (the organiser above) and Aude; Aude's agents and administrator act for Aude only
-- (docs/security.md, "Territory codes and types")
CREATE ROLE tap_aude IN ROLE smartregion_agent;
CREATE ROLE tap_aude_admin IN ROLE smartregion_territory_admin;
SELECT is(pg_temp.as_role('tap_padmin', $$INSERT INTO tap_hub.agents VALUES ('tap_aude', '11') RETURNING 'listed'$$),
          '23514', 'an agent of code 11 without a type is refused (Aude or Île-de-France?)');
INSERT INTO tap_hub.agents VALUES ('tap_aude', '11', 'departement'), ('tap_aude_admin', '11', 'departement');
INSERT INTO tap_hub.territory_admins VALUES ('tap_aude_admin', '11', 'departement');
INSERT INTO tap_hub.projects (id, name, holder, territory_code, territory_type, visibility) VALUES
  (111, 'restricted project of the région 11', 'dan@example.org', '11', 'region', 'restricted'),
  (112, 'restricted project of the département 11', 'eve@example.org', '11', 'departement', 'restricted');
SELECT is(pg_temp.as_role('tap_aude', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects WHERE visibility = ''restricted'' AND id > 100'),
          '112', 'département 11: reads its own restricted project, not the région 11''s');
SELECT is(pg_temp.as_role('tap_organiser', 'SELECT string_agg(id::text, '','' ORDER BY id) FROM tap_hub.projects WHERE visibility = ''restricted'' AND id > 100'),
          '111', 'région 11: reads its own restricted project, not the département 11''s');
SELECT is(pg_temp.as_role('tap_aude', $$UPDATE tap_hub.projects SET name = 'taken' WHERE id = 111 RETURNING 'updated'$$),
          '<null>', 'département 11: cannot change the région''s row');
SELECT is(pg_temp.as_role('tap_aude', $$INSERT INTO tap_hub.projects (id, name, territory_code, territory_type) VALUES (113, 'x', '11', 'region') RETURNING 'inserted'$$),
          '42501', 'département 11: cannot write a row of the région 11');
SELECT is(pg_temp.as_role('tap_aude', $$INSERT INTO tap_hub.projects (id, name, territory_code) VALUES (113, 'x', '11') RETURNING 'inserted'$$),
          '23514', 'a row of code 11 without a type is refused');
SELECT is(pg_temp.as_role('tap_aude', $$INSERT INTO tap_hub.projects (id, name, territory_code, territory_type) VALUES (113, 'x', '11', 'departement') RETURNING 'inserted'$$),
          'inserted', 'département 11: writes its own rows');
SELECT is(pg_temp.as_role('tap_aude', 'SELECT (SELECT count(*) FROM tap_hub.campaign_respondent) + (SELECT count(*) FROM tap_hub.campaign_answer)'),
          '0', 'département 11: not the respondents nor the submitted comments of the région 11''s campaign');
SELECT is(pg_temp.as_role('tap_aude', format($$SELECT token FROM smartregion.campaign_invite(%s, '91326', 'DGS', 'tap_hub')$$, :camp)),
          '42501', 'département 11: cannot invite into the région 11''s campaign');
-- (agent b: an agent, which a territory administrator may list)
SELECT is(pg_temp.as_role('tap_aude_admin', $$INSERT INTO tap_hub.agents VALUES ('tap_agent_b', '11', 'region') RETURNING 'listed'$$),
          '42501', 'département 11''s administrator: cannot list an agent of the région 11');
SELECT is(pg_temp.as_role('tap_aude_admin', $$INSERT INTO tap_hub.agents VALUES ('tap_agent_b', '11', 'departement') RETURNING 'listed'$$),
          'listed', 'département 11''s administrator: lists an agent of its own département');
SELECT is(pg_temp.as_role('tap_organiser', $$INSERT INTO tap_hub.consents (subject, purpose, territory_code, territory_type)
  VALUES ('dan@example.org', 'tiers_lieux_matching', '11', 'region') RETURNING 'recorded'$$, true),
          'recorded', 'région 11: records a consent');
SELECT is(pg_temp.as_role('tap_aude', $$SELECT count(*)::text FROM tap_hub.consents WHERE subject = 'dan@example.org'$$),
          '0', 'département 11: does not read the région 11''s consents');
-- (the review of 2026-12-05) nor their provenance: the writes to a NON_PUBLIC dataset (the
-- consents, the campaigns' respondents and answers) are read by their writer and the platform
-- administrator only.  Before, every reader read in smartregion.provenance which agent saved
-- 91326's drafts and submitted them, and when, and that the région 11's agent recorded a
-- consent (the catalogue leaves these out; the table showed them)
SELECT 'SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = ''tap_hub'' AND '
       '((table_name IN (''campaign_answer'', ''campaign_respondent'') AND loaded_by = ''tap_agent_a'') '
       'OR (table_name = ''consents'' AND loaded_by = ''tap_organiser''))' AS prov_q \gset
SELECT count(*)::text AS prov_all FROM smartregion.provenance WHERE hub_schema = 'tap_hub'
   AND ((table_name IN ('campaign_answer', 'campaign_respondent') AND loaded_by = 'tap_agent_a')
        OR (table_name = 'consents' AND loaded_by = 'tap_organiser')) \gset
SELECT ok(:prov_all >= 4, 'the drafts, the submission and the consent were recorded (the owner reads them)');
-- (the reader reads no writer's login since the review of 2026-12-06: loaded_by is withheld
-- from it, docs/security.md; it counts those tables' rows, whoever wrote them)
SELECT is(pg_temp.as_role('tap_reader', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub'
            AND table_name IN ('campaign_answer', 'campaign_respondent', 'consents')$$),
          '0', 'reader: not the provenance of the answers, respondents and consents');
SELECT is(pg_temp.as_role('tap_agent_b', :'prov_q'), '0', 'agent b: not agent a''s activity on 91326''s answers');
SELECT is(pg_temp.as_role('tap_aude', :'prov_q'), '0', 'département 11: not the région 11''s consent');
SELECT is(pg_temp.as_role('tap_padmin', :'prov_q'), :'prov_all', 'the platform administrator reads it all');
SELECT ok(pg_temp.as_role('tap_agent_a', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub'
            AND table_name = 'campaign_answer' AND loaded_by = 'tap_agent_a'$$)::int > 0, 'agent a: its own writes');
SELECT ok(pg_temp.as_role('tap_reader', $$SELECT count(*)::text FROM smartregion.provenance WHERE hub_schema = 'tap_hub'
            AND table_name = 'projects'$$)::int > 0,
          'reader: the provenance of a public dataset (agent a''s project) as before');
SELECT is(pg_temp.as_role('tap_aude', $$INSERT INTO tap_hub.consents (subject, purpose, territory_type) VALUES ('fay@example.org', 'tiers_lieux_matching', 'region')
  RETURNING 'recorded'$$),
          '42501', 'a consent of a type its agent''s territory has not, without a code, is refused');
SELECT is(pg_temp.as_role('tap_padmin', $$INSERT INTO tap_hub.projects (id, name, territory_type) VALUES (115, 'x', 'region') RETURNING 'inserted'$$),
          '23514', 'a type without a code is refused (it names no territory)');
-- ... refused with a message saying whose territory it is not (42501, as the consent policy
-- would refuse it, but not its generic message), with or without a code
SELECT is(pg_temp.error_of('tap_aude', $$INSERT INTO tap_hub.consents (subject, purpose, territory_code, territory_type)
  VALUES ('fay@example.org', 'tiers_lieux_matching', '11', 'region')$$),
          '42501 | cannot record a consent of territory "region 11": role "tap_aude" does not act for it | Role "tap_aude" acts for "departement 11".',
          'a consent of the région 11 by the département 11''s agent is refused, saying so');
SELECT is(pg_temp.error_of('tap_aude', $$INSERT INTO tap_hub.consents (subject, purpose, territory_type) VALUES ('fay@example.org', 'tiers_lieux_matching', 'region')$$),
          '42501 | cannot record a consent of territory "region": role "tap_aude" does not act for it | Role "tap_aude" acts for "departement 11".',
          '... and without a code');
SELECT is(pg_temp.error_of('tap_agent_a', $$INSERT INTO tap_hub.consents (subject, purpose, territory_code, territory_type)
  VALUES ('fay@example.org', 'tiers_lieux_matching', '91479', 'commune')$$),
          '42501 | cannot record a consent of territory "commune 91479": role "tap_agent_a" does not act for it | Role "tap_agent_a" acts for "commune 91326".',
          'a typed consent of another commune: the same message (an untyped agent row has the type its code implies)');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.consents (subject, purpose, territory_code, territory_type)
  VALUES ('fay@example.org', 'tiers_lieux_matching', '91326', 'commune') RETURNING territory_type || ' ' || territory_code$$),
          'commune 91326', 'a typed consent of the agent''s own untyped territory is recorded');
SELECT is(pg_temp.as_role('tap_padmin', $$INSERT INTO tap_hub.consents (subject, purpose, territory_code, territory_type)
  VALUES ('fay@example.org', 'tiers_lieux_matching', '11', 'region') RETURNING 'recorded'$$),
          'recorded', 'the platform administrator records a consent of any territory');
-- the check's errors name the table and the constraint (detail, and the error's fields)
SELECT is(pg_temp.error_of('tap_padmin', $$INSERT INTO tap_hub.projects (id, name, territory_code) VALUES (116, 'x', '53')$$),
          '23514 | territory code "53" names both a département and a région | The row fails check constraint "projects_territory_typed" of table "projects". '
          'A hub row, an agent or a territory administrator with this code says which it means in territory_type. | projects | projects_territory_typed',
          'the check''s error names its table and constraint: an untyped ambiguous code');
SELECT is(pg_temp.error_of(current_user, $$INSERT INTO tap_hub.agents VALUES ('tap_nobody', '91', 'region')$$),
          '23514 | territory code "91" is not the code of a region | The row fails check constraint "agents_territory_typed" of table "agents". '
          'A commune''s code has 5 characters, an EPCI''s 9 digits (its SIREN), a département''s 2 or 3 (01-95 but 20, 2A, 2B, 971-974, 976); '
          'the régions are 01-04, 06, 11, 24, 27, 28, 32, 44, 52, 53, 75, 76, 84, 93 and 94; the overseas collectivités 975, 977, 978, 984 and 986-989 are both. | agents | agents_territory_typed',
          '... a code of another type''s shape');
SELECT is(pg_temp.error_of(current_user, $$INSERT INTO tap_hub.consents (subject, purpose, territory_type) VALUES ('x', 'tiers_lieux_matching', 'region')$$),
          '23514 | territory type "region" given without a territory code | The row fails check constraint "consents_territory_typed" of table "consents". | consents | consents_territory_typed',
          '... a type without a code');
SELECT is(pg_temp.error_of(current_user, $$INSERT INTO tap_hub.projects (id, name, territory_code, territory_type) VALUES (116, 'x', '91479', 'city')$$),
          '23514 | invalid territory type "city" | The row fails check constraint "projects_territory_typed" of table "projects". | projects | projects_territory_typed',
          '... an invalid type');
-- the "same territory" helper: the type given, else the one its code's shape admits
SELECT is(ARRAY[smartregion._territory_type_or_implied(NULL, '53'), smartregion._territory_type_or_implied(NULL, '91479'),
                smartregion._territory_type_or_implied(NULL, '200046977'), smartregion._territory_type_or_implied(NULL, '2A'),
                smartregion._territory_type_or_implied(NULL, '976'), smartregion._territory_type_or_implied(NULL, '06'),
                smartregion._territory_type_or_implied(NULL, 'HUB1'), smartregion._territory_type_or_implied('region', '53'),
                smartregion._territory_type_or_implied('departement', NULL), smartregion._territory_type_or_implied(NULL, NULL)],
          ARRAY[NULL, 'commune', 'epci', 'departement', 'departement', NULL, NULL, 'region', 'departement', NULL],
          '_territory_type_or_implied: 53 and 06 (both types) none, a commune, an EPCI, Corse-du-Sud, Mayotte, a hub''s own code none; a type is kept, with or without a code');
SELECT is((SELECT count(*) FROM (SELECT c.code, t.ty FROM
             (SELECT lpad(i::text, 2, '0') AS code FROM generate_series(0, 99) i
              UNION ALL SELECT i::text FROM generate_series(970, 989) i
              UNION ALL VALUES ('2A'), ('2B'), ('91479'), ('2A004'), ('200046977'), ('x'), ('')) c,
             (VALUES (NULL::text), ('commune'), ('epci'), ('departement'), ('region'), ('city')) t(ty)) x
            WHERE smartregion._territory_type_or_implied(x.ty, x.code)
                  IS DISTINCT FROM coalesce(x.ty, smartregion._territory_code_type(x.code))), 0::bigint,
          '... the coalesce it replaces, on every 2-digit code, 970-989 and others, each type and none');
SELECT ok((SELECT provolatile = 'i' AND proparallel = 's' AND NOT proisstrict FROM pg_proc
            WHERE oid = 'smartregion._territory_type_or_implied(text, text)'::regprocedure),
          '... is immutable, parallel safe and not strict (a type without a code is that type)');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'smartregion'::regnamespace
            AND prosrc LIKE '%\_territory\_code\_type(%'), 0::bigint,
          'no function of the extension writes the comparison out (coalesce with _territory_code_type) any more');
SELECT is(pg_temp.as_role('tap_aude', $$INSERT INTO tap_hub.consents (subject, purpose) VALUES ('fay@example.org', 'tiers_lieux_matching')
  RETURNING territory_type || ' ' || territory_code$$),
          'departement 11', 'an agent of one territory records a consent of its type and code without naming them');
SELECT is(pg_temp.as_role('tap_organiser', $$INSERT INTO tap_hub.tl_request (project_id) VALUES (111) RETURNING territory_type || ' ' || territory_code$$, true),
          'region 11', 'a request has its project''s territory, type included');
SELECT is((SELECT string_agg(DISTINCT territory_type || ' ' || territory_code || ' ' || visibility, ',') FROM tap_hub.tl_history WHERE request_id IN (SELECT id FROM tap_hub.tl_request WHERE project_id = 111)),
          'region 11 restricted', '... and so has its history');
SELECT is(pg_temp.as_role('tap_aude', 'SELECT (SELECT count(*) FROM tap_hub.tl_request) + (SELECT count(*) FROM tap_hub.tl_history)'),
          '0', 'département 11: not the région''s request nor its history');
INSERT INTO tap_hub.projects (id, name, holder, territory_code, territory_type) VALUES
  (114, 'the département 11''s project of dan', 'dan@example.org', '11', 'departement');
UPDATE tap_hub.consents SET withdrawn_at = now() WHERE subject = 'dan@example.org' AND territory_type = 'region';
SELECT is((SELECT string_agg(id::text, ',' ORDER BY id) FROM tap_hub.projects WHERE holder = 'dan@example.org'), '114',
          'withdrawing the région 11''s consent purges its rows, not the département 11''s');
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(*)::text FROM tap_hub_pseudo.projects WHERE id = 114'), '1',
          'analyst: the département 11''s row stays in the pseudonymised view');

-- a hub made before the types: create_hub warns of its rows with an ambiguous code, which keep
-- matching both territories until typed; the check holds for new rows at once
ALTER TABLE tap_hub.projects DROP CONSTRAINT projects_territory_typed;
INSERT INTO tap_hub.projects (id, name, territory_code, visibility) VALUES (153, 'made before the types', '53', 'restricted');
SET LOCAL client_min_messages = error;
SELECT ok((SELECT count(*) FROM smartregion.create_hub('tap_hub')) > 0, 'create_hub upgrades a hub whose rows have an ambiguous code');
SET LOCAL client_min_messages = warning;
SELECT is((SELECT convalidated FROM pg_constraint WHERE conrelid = 'tap_hub.projects'::regclass AND conname = 'projects_territory_typed'),
          false, '... with the check not yet validated');
SELECT is(pg_temp.as_role('tap_padmin', $$INSERT INTO tap_hub.projects (id, name, territory_code) VALUES (154, 'new', '53') RETURNING 'inserted'$$),
          '23514', '... which refuses new rows with an ambiguous code');
UPDATE tap_hub.projects SET territory_type = 'region' WHERE id = 153;
ALTER TABLE tap_hub.projects VALIDATE CONSTRAINT projects_territory_typed;
SELECT is((SELECT convalidated FROM pg_constraint WHERE conrelid = 'tap_hub.projects'::regclass AND conname = 'projects_territory_typed'),
          true, '... and validates once they are typed');
-- review 35: what the types left behind
-- tl_propose pairs a restricted premise with its own territory's requests, type included:
-- the département 11's restricted premise is never proposed to the région 11's request
-- (the proposal's check refused it, and the whole run with it)
INSERT INTO tap_hub.premises (id, name, location, capacity, territory_code, territory_type, visibility) VALUES
  (1101, 'Aude''s restricted premise', ST_SetSRID(ST_MakePoint(2.35, 43.21), 4326), 4, '11', 'departement', 'restricted');
INSERT INTO tap_hub.projects (id, name, location, max_distance_km, team_size, territory_code, territory_type) VALUES
  (1102, 'Île-de-France''s project', ST_SetSRID(ST_MakePoint(2.35, 43.21), 4326), 1, 1, '11', 'region');
INSERT INTO tap_hub.tl_request (project_id) VALUES (1102);
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT count(*) FILTER (WHERE premise_id = 1101)::text FROM smartregion.tl_propose('{"hub": "tap_hub"}')$$),
          '0', 'tl_propose: a département''s restricted premise is not proposed to the région of the same code, and the run goes on');
-- an untyped row and a typed one of the same territory are of the same territory
INSERT INTO tap_hub.projects (id, name, territory_code, visibility) VALUES (1103, 'untyped project of 91326', '91326', 'restricted');
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.tl_request (project_id, territory_code, territory_type) VALUES (1103, '91326', 'commune')
  RETURNING 'inserted'$$), 'inserted', 'a typed request of an untyped project of the same territory');
-- create_hub on a hub secured before the types: its policies matched a row on its code only
-- (then one FOR ALL write policy, sr_territory_write, split by command since 2026-12-07)
DROP POLICY sr_territory_read ON tap_hub.projects;
DROP POLICY sr_territory_insert ON tap_hub.projects;
DROP POLICY sr_territory_update ON tap_hub.projects;
DROP POLICY sr_territory_delete ON tap_hub.projects;
CREATE POLICY sr_territory_read ON tap_hub.projects FOR SELECT USING (visibility = 'public'::smartregion.visibility
  OR territory_code = ANY (SELECT a.territory_code FROM tap_hub.agents a WHERE a.role_name = CURRENT_USER));
CREATE POLICY sr_territory_write ON tap_hub.projects FOR ALL USING (territory_code = ANY (SELECT a.territory_code FROM tap_hub.agents a
  WHERE a.role_name = CURRENT_USER)) WITH CHECK (territory_code = ANY (SELECT a.territory_code FROM tap_hub.agents a WHERE a.role_name = CURRENT_USER));
-- ... and its keys were (role, code) and (subject, purpose, code)
ALTER TABLE tap_hub.agents DROP CONSTRAINT agents_once, ADD PRIMARY KEY (role_name, territory_code);
ALTER TABLE tap_hub.consents DROP CONSTRAINT consents_once,
  ADD CONSTRAINT consents_once UNIQUE NULLS NOT DISTINCT (subject, purpose, territory_code);
-- ... its requests, their history and its campaigns had no type: 53 for both
ALTER TABLE tap_hub.projects DROP CONSTRAINT projects_territory_typed;
ALTER TABLE tap_hub.tl_request DROP CONSTRAINT tl_request_territory_typed;
-- (the events of the transitions above are sent first: a table with pending trigger
-- events cannot be altered, 55006; docs/matching.md, Events)
SET CONSTRAINTS tap_hub.sr_tl_history_notify IMMEDIATE;
ALTER TABLE tap_hub.tl_history DROP CONSTRAINT tl_history_territory_typed;
ALTER TABLE tap_hub.campaign DROP CONSTRAINT campaign_territory_typed;
INSERT INTO tap_hub.projects (id, name, territory_code, visibility) VALUES (1105, 'old restricted project of 11', '11', 'restricted');
INSERT INTO tap_hub.tl_request (project_id) VALUES (1105);
INSERT INTO tap_hub.campaign (framework, year, title, opens_on, closes_on, territory_code)
  VALUES ('default', 2026, 'old campaign', current_date, current_date + 30, '11');
SELECT count(*) > 0 AS invited FROM smartregion.campaign_invite((SELECT max(id) FROM tap_hub.campaign), '91326', 'maire', 'tap_hub') \gset
-- ... and a consent of code 11 was withdrawn then
ALTER TABLE tap_hub.consents DROP CONSTRAINT consents_territory_typed;
INSERT INTO tap_hub.consents (subject, purpose, territory_code, withdrawn_at) VALUES ('gus@example.org', 'tiers_lieux_matching', '11', now());
-- the operator types what it can, then runs create_hub
UPDATE tap_hub.projects SET territory_type = 'region' WHERE id = 1105;
INSERT INTO tap_hub.projects (id, name, holder, territory_code, territory_type, visibility) VALUES
  (1106, 'gus in Aude', 'gus@example.org', '11', 'departement', 'restricted'),
  (1107, 'gus in Île-de-France', 'gus@example.org', '11', 'region', 'restricted');
SET LOCAL client_min_messages = error;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tap_hub') \gset
SET LOCAL client_min_messages = warning;
SELECT is(pg_temp.as_role('tap_aude', 'SELECT count(*)::text FROM tap_hub.projects WHERE id IN (1102, 1105, 1107) AND visibility = ''restricted'''),
          '0', 'create_hub gives a hub secured before the types the typed policies');
SELECT policies_are('tap_hub', 'projects',
                    ARRAY['sr_territory_read', 'sr_territory_insert', 'sr_territory_update', 'sr_territory_delete', 'sr_platform_admin'],
                    '... its write policies split by command, the older FOR ALL one dropped');
SELECT ok((SELECT count(*) FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
            WHERE c.conrelid IN ('tap_hub.agents'::regclass, 'tap_hub.consents'::regclass)
              AND c.conname IN ('agents_once', 'consents_once') AND a.attname = 'territory_type') = 2
          AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = 'tap_hub.agents'::regclass AND contype = 'p'),
          '... and keys of role, code and type (one territory''s agent or consent neither blocks nor reveals the other''s)');
SELECT is((SELECT string_agg(DISTINCT coalesce(territory_type, '-'), ',') FROM tap_hub.tl_history
            WHERE request_id = (SELECT id FROM tap_hub.tl_request WHERE project_id = 1105))
          || ' ' || (SELECT coalesce(territory_type, '-') FROM tap_hub.tl_request WHERE project_id = 1105),
          'region region', '... whose requests and their history take their project''s type');
SELECT is(pg_temp.as_role('tap_aude', 'SELECT (SELECT count(*) FROM tap_hub.tl_request r JOIN tap_hub.tl_history h ON h.request_id = r.id WHERE r.project_id = 1105)::text'),
          '0', '... which the département 11 no longer reads');
SELECT is(pg_temp.as_role('tap_padmin', $$UPDATE tap_hub.campaign SET territory_type = 'region' WHERE title = 'old campaign' RETURNING 'typed'$$),
          'typed', 'an untyped campaign with respondents can be typed (its organiser narrows to one territory)');
SELECT is(pg_temp.as_role('tap_analyst', 'SELECT count(*)::text FROM tap_hub_pseudo.projects WHERE id IN (1106, 1107)'), '0',
          'a consent of code 11 withdrawn before the types covers both 11s: their rows are not in the pseudonymised view ...');
SELECT count(*) > 0 AS purged FROM smartregion.purge_expired('tap_hub') \gset
SELECT is((SELECT count(*)::text FROM tap_hub.projects WHERE holder = 'gus@example.org'), '0', '... and purge_expired erases them');
-- a hub made before the types had no column territory_type: create_hub adds it, and the
-- templates of the families type the rows that inherit their territory (a proposal its
-- request's, an answer its respondent's)
INSERT INTO tap_hub.premises (id, name, location, capacity, territory_code, visibility) VALUES
  (1108, 'public premise of 91479', ST_SetSRID(ST_MakePoint(2.35, 48.85), 4326), 10, '91479', 'public');
INSERT INTO tap_hub.tl_proposal (request_id, premise_id) VALUES ((SELECT id FROM tap_hub.tl_request WHERE project_id = 1102), 1108);
INSERT INTO tap_hub.campaign_answer (respondent_id, indicator, answer)
  VALUES ((SELECT r.id FROM tap_hub.campaign_respondent r JOIN tap_hub.campaign c ON c.id = r.campaign_id
            WHERE c.title = 'old campaign' AND r.territory_code = '91326'), 'open_data_policy', 3);
ALTER TABLE tap_hub.tl_proposal DROP COLUMN territory_type CASCADE;
ALTER TABLE tap_hub.campaign_answer DROP COLUMN territory_type CASCADE;
SET LOCAL client_min_messages = error;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tap_hub') \gset
SET LOCAL client_min_messages = warning;
SELECT is((SELECT territory_type || ' ' || territory_code FROM tap_hub.tl_proposal WHERE premise_id = 1108)
          || ', ' || (SELECT a.territory_type || ' ' || a.territory_code FROM tap_hub.campaign_answer a
                       JOIN tap_hub.campaign_respondent r ON r.id = a.respondent_id
                       JOIN tap_hub.campaign c ON c.id = r.campaign_id WHERE c.title = 'old campaign'),
          'region 11, commune 91326', 'create_hub types an old hub''s proposals (their request''s type) and answers (their respondent''s)');
-- create_hub on a hub with nothing left to type writes nothing: no UPDATE runs, so no
-- statement trigger records an empty provenance row (five per call before)
SELECT count(*) AS provenance_before FROM smartregion.provenance WHERE hub_schema = 'tap_hub' \gset
SELECT count(*) > 0 AS again FROM smartregion.create_hub('tap_hub') \gset
SELECT count(*) > 0 AS again FROM smartregion.create_hub('tap_hub') \gset
SELECT is((SELECT count(*) FROM smartregion.provenance WHERE hub_schema = 'tap_hub') - :provenance_before, 0::bigint,
          'create_hub twice on an up-to-date hub records no provenance');
-- the solar cadastre's refreshes (the review of 2026-12-05): a face and a cell are their
-- building's rows, with its territory and visibility.  Before, refresh_solar_roofs and
-- refresh_solar_roof_cells wrote every face and cell public, without a territory: the
-- platform's refresh of the hub's buildings showed every reader and every agent the roof
-- (its exact outline in 3D) and the cells of a building its territory keeps restricted, and
-- an agent could not refresh its own buildings at all (42501: a row without a territory).
-- Two flat 20 m squares 1 km apart, 91326's public, 91479's restricted: one face and 400
-- cells of 1 m each (by hand, as in sql/hub_srid.sql).
INSERT INTO tap_hub.buildings (id, geom, height, territory_code, visibility)
SELECT i, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(640000 + 1000 * i, 6840000, 640020 + 1000 * i, 6840020, 2154), 80)), 10,
       CASE i WHEN 1 THEN '91326' ELSE '91479' END, CASE i WHEN 1 THEN 'public' ELSE 'restricted' END::smartregion.visibility
  FROM generate_series(1, 2) i;
CREATE TEMP TABLE tap_sky AS SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(2.25, 48.6, 80), 4326)) AS sky;
GRANT SELECT ON tap_sky TO PUBLIC;
SELECT is((SELECT inserted FROM smartregion.refresh_solar_roofs((SELECT sky FROM tap_sky), target_schema => 'tap_hub'))
          + (SELECT inserted FROM smartregion.refresh_solar_roof_cells((SELECT sky FROM tap_sky), target_schema => 'tap_hub')),
          802::bigint, 'the platform refreshes the faces and cells of both buildings');
SELECT is((SELECT string_agg(DISTINCT building_id || ' ' || territory_code || ' ' || visibility, ', ')
             FROM (SELECT building_id, territory_code, visibility FROM tap_hub.solar_roofs
                   UNION ALL SELECT building_id, territory_code, visibility FROM tap_hub.solar_roof_cells) r),
          '1 91326 public, 2 91479 restricted', 'faces and cells take their building''s territory and visibility');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT (SELECT string_agg(DISTINCT building_id::text, ',') FROM tap_hub.solar_roofs)
                                                 || ' / ' || (SELECT count(*) FROM tap_hub.solar_roof_cells)$$),
          '1 / 400', 'reader: the public building''s face and cells only');
SELECT is(pg_temp.as_role('tap_agent_a', $$SELECT (SELECT string_agg(DISTINCT building_id::text, ',') FROM tap_hub.solar_roofs)
                                                  || ' / ' || (SELECT count(*) FROM tap_hub.solar_roof_cells)$$),
          '1 / 400', 'agent a: not the face nor the cells of 91479''s restricted building');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT (SELECT string_agg(DISTINCT building_id::text, ',' ORDER BY building_id::text) FROM tap_hub.solar_roofs)
                                                  || ' / ' || (SELECT count(*) FROM tap_hub.solar_roof_cells)$$),
          '1,2 / 800', 'agent b: its restricted building''s face and cells too');
-- ... and in the tiles of cells (solar_cells_tile runs as its caller): the z18 tile of 91479's
-- restricted building, whose cells solar_tile finds by their tile_key (a btree, LEAKPROOF
-- comparisons: the gist index's && is not, and a reader under the policy got a sequential
-- scan of every cell, 1.8 s a z18 tile on the demo; docs/web.md).  Each cell's key is the
-- Morton code of the z24 tile of its centre: its z18 tile (x, y from the formula of the
-- tiles, by hand) is the key's top 36 bits, x in the even bits and y in the odd ones
CREATE TEMP TABLE tap_b2_tile AS
SELECT floor((ST_X(p) + 20037508.342789244::float8) / (40075016.68557849::float8 / 262144))::int AS x,
       floor((20037508.342789244::float8 - ST_Y(p)) / (40075016.68557849::float8 / 262144))::int AS y
  FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(642010, 6840010), 2154), 3857) AS p) s;
GRANT SELECT ON tap_b2_tile TO PUBLIC;
SELECT is((SELECT count(*) FROM tap_hub.solar_roof_cells c, tap_b2_tile t
            WHERE c.building_id = 2
              AND (SELECT bit_or(((c.tile_key >> (12 + 2 * k)) & 1) << k) FROM generate_series(0, 17) k) = t.x
              AND (SELECT bit_or(((c.tile_key >> (13 + 2 * k)) & 1) << k) FROM generate_series(0, 17) k) = t.y),
          400::bigint, 'refresh_solar_roof_cells keys the 400 cells of building 2 in its z18 tile');
SELECT is(pg_temp.as_role('tap_agent_a', $$SELECT length(smartregion.solar_cells_tile(18, x, y, 'tap_hub.solar_roof_cells'))::text FROM tap_b2_tile$$),
          '0', 'agent a: the tile of 91479''s restricted building has none of its cells');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT length(smartregion.solar_cells_tile(18, x, y, 'tap_hub.solar_roof_cells'))::text FROM tap_b2_tile$$),
          '0', 'reader: nor for the reader');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT md5(smartregion.solar_cells_tile(18, x, y, 'tap_hub.solar_roof_cells')) FROM tap_b2_tile$$),
          (SELECT md5(smartregion.solar_cells_tile(18, x, y, 'tap_hub.solar_roof_cells')) FROM tap_b2_tile),
          'agent b: its building''s tile, the same bytes as the owner''s (to whom no policy applies)');
-- the agent's tile is read through the btree index on tile_key (the planner may use no
-- other index under the policy; sequential scans off, so 400 cells do not make it scan)
SET LOCAL enable_seqscan = off;
SELECT pg_stat_get_xact_numscans('tap_hub.solar_roof_cells_tile_key_idx'::regclass) AS key_scans \gset
SELECT ok(pg_temp.as_role('tap_agent_b', $$SELECT length(smartregion.solar_cells_tile(18, x, y, 'tap_hub.solar_roof_cells'))::text FROM tap_b2_tile$$)::int > 1000
          AND pg_stat_get_xact_numscans('tap_hub.solar_roof_cells_tile_key_idx'::regclass) > :key_scans,
          'agent b: the tile of cells under the policy scans the index on tile_key');
RESET enable_seqscan;
-- and without JIT, whose compilation (1.1 s) was most of a reader's z18 tile (docs/web.md)
SELECT ok((SELECT 'jit=off' = ANY (proconfig) FROM pg_proc WHERE oid = 'smartregion.solar_tile(int, int, int, text)'::regprocedure),
          'solar_tile runs its query without JIT');
-- a cell's key follows it: one moved 500 m east by hand gets the key of its new place, one
-- inserted without a key gets one, and one inserted with a wrong key gets the true one (a
-- stale or wrong key would leave the cell out of the tiles it overlaps).  The true key is
-- worked out here from the cell's Web-Mercator box, apart from the extension's rule: the z24
-- tile of the box's centre (x from the west edge, y from the north one, a tile
-- 40075016.68557849 / 2^24 m), its bits interleaved one by one (x bit k to bit 2k, y bit k
-- to 2k + 1); NULL for a box wider or taller than a z22 tile
CREATE FUNCTION pg_temp.tap_key(b box2d) RETURNS bigint LANGUAGE sql AS $$
  SELECT CASE WHEN greatest(ST_XMax(b) - ST_XMin(b), ST_YMax(b) - ST_YMin(b)) > 40075016.68557849 / 4194304 THEN NULL
              ELSE (SELECT bit_or((((t.tx >> k) & 1) << (2 * k)) | (((t.ty >> k) & 1) << (2 * k + 1)))
                      FROM generate_series(0, 23) k) END
    FROM (SELECT floor(((ST_XMin(b) + ST_XMax(b)) / 2 + 20037508.342789244) / (40075016.68557849 / 16777216))::bigint AS tx,
                 floor((20037508.342789244 - (ST_YMin(b) + ST_YMax(b)) / 2) / (40075016.68557849 / 16777216))::bigint AS ty) t
$$;
CREATE TEMP TABLE tap_moved (cell_id bigint, tile_key bigint, old_key bigint, b box2d);
WITH u AS (UPDATE tap_hub.solar_roof_cells SET geom = ST_Translate(geom, 500, 0)
            WHERE cell_id = (SELECT min(cell_id) FROM tap_hub.solar_roof_cells WHERE building_id = 2)
           RETURNING cell_id, tile_key, ST_Transform(ST_Force2D(geom), 3857)::box2d AS b)
INSERT INTO tap_moved
SELECT u.cell_id, u.tile_key, (SELECT tile_key FROM tap_hub.solar_roof_cells WHERE cell_id = u.cell_id), u.b FROM u;
SELECT is((SELECT tile_key FROM tap_moved),
          (SELECT pg_temp.tap_key(b) FROM tap_moved WHERE tile_key <> old_key),
          'a cell moved by hand: its key is its new place''s (before: the old place''s, so the tiles there missed it)');
CREATE TEMP TABLE tap_inserted (tile_key bigint, b box2d);
WITH i AS (INSERT INTO tap_hub.solar_roof_cells (building_id, face, geom, area_m2, territory_code, territory_type, visibility)
           SELECT building_id, face, ST_Translate(geom, 0, 700), area_m2, territory_code, territory_type, visibility
             FROM tap_hub.solar_roof_cells WHERE cell_id = (SELECT cell_id FROM tap_moved)
           RETURNING tile_key, ST_Transform(ST_Force2D(geom), 3857)::box2d AS b)
INSERT INTO tap_inserted SELECT * FROM i;
SELECT is((SELECT tile_key IS NOT NULL AND tile_key = pg_temp.tap_key(b) FROM tap_inserted),
          true, 'a cell inserted without a key gets the key of its place');
-- (the old trigger ran only WHEN NEW.tile_key IS NULL: a wrong key was kept)
CREATE TEMP TABLE tap_wrong (tile_key bigint, b box2d);
WITH i AS (INSERT INTO tap_hub.solar_roof_cells (building_id, face, geom, area_m2, territory_code, territory_type, visibility, tile_key)
           SELECT building_id, face, ST_Translate(geom, 0, 900), area_m2, territory_code, territory_type, visibility, 12345
             FROM tap_hub.solar_roof_cells WHERE cell_id = (SELECT cell_id FROM tap_moved)
           RETURNING tile_key, ST_Transform(ST_Force2D(geom), 3857)::box2d AS b)
INSERT INTO tap_wrong SELECT * FROM i;
SELECT is((SELECT tile_key FROM tap_wrong), (SELECT pg_temp.tap_key(b) FROM tap_wrong),
          'a cell inserted with a wrong key (12345) gets the key of its place');
-- ... and so does a cell of the refresh: every cell of building 2 has the key of its box
SELECT is((SELECT count(*) FROM tap_hub.solar_roof_cells
            WHERE building_id = 2 AND tile_key IS NOT DISTINCT FROM pg_temp.tap_key(ST_Transform(ST_Force2D(geom), 3857)::box2d)),
          (SELECT count(*) FROM tap_hub.solar_roof_cells WHERE building_id = 2),
          'every cell of building 2 (refreshed, moved, inserted) has the key of its box');
-- a hub made before the key: create_hub adds the column and the triggers (neither with a
-- WHEN: the trigger writes every key), and its cells get their keys through the trigger
ALTER TABLE tap_hub.solar_roof_cells DROP COLUMN tile_key CASCADE;
SET LOCAL client_min_messages = error;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tap_hub') \gset
SET LOCAL client_min_messages = warning;
SELECT is((SELECT count(*) FROM tap_hub.solar_roof_cells
            WHERE tile_key IS NOT NULL AND tile_key = pg_temp.tap_key(ST_Transform(ST_Force2D(geom), 3857)::box2d)),
          (SELECT count(*) FROM tap_hub.solar_roof_cells),
          'create_hub gives every cell of a hub made before the key the key of its box');
SELECT is((SELECT string_agg(tgname, ', ' ORDER BY tgname) FROM pg_trigger
            WHERE tgrelid = 'tap_hub.solar_roof_cells'::regclass AND tgname LIKE 'sr_cells_tile_key%' AND tgqual IS NULL),
          'sr_cells_tile_key_insert, sr_cells_tile_key_update', 'the key''s triggers fire on every insert and update of geom or tile_key (no WHEN)');
SELECT is(pg_temp.as_role('tap_agent_b', $$SELECT updated || ' ' || deleted FROM smartregion.refresh_solar_roofs((SELECT sky FROM tap_sky),
            'SELECT id, geom, height, territory_code, territory_type, visibility, territory_code = ''91479'' AS target FROM tap_hub.buildings',
            target_schema => 'tap_hub')$$),
          '1 0', 'agent b: refreshes its own building, the other one only shading');
-- a query that does not say which rows are public makes restricted ones (fail closed)
SELECT is((SELECT updated FROM smartregion.refresh_solar_roofs((SELECT sky FROM tap_sky),
            'SELECT id, geom, height FROM tap_hub.buildings', target_schema => 'tap_hub')), 2::bigint,
          'a refresh whose query has no visibility column ...');
SELECT is(pg_temp.as_role('tap_reader', 'SELECT count(*)::text FROM tap_hub.solar_roofs'), '0',
          '... writes restricted faces: the reader reads none');
DELETE FROM tap_hub.solar_roof_cells;
DELETE FROM tap_hub.solar_roofs;

-- every function of the extension runs as its caller (the one SECURITY DEFINER function is
-- each hub's own _tl_places, its owner's: sql/tierslieux_requests.sql)
SELECT is((SELECT count(*) FROM pg_depend d JOIN pg_proc p ON p.oid = d.objid
            WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'e' AND p.prosecdef
              AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'smartregion')),
          0::bigint, 'no function of the extension is SECURITY DEFINER');

-- "the caller is a member of group X" is one function, _caller_is_member: the platform
-- administrator is a member of its group, the reader is not, nor of a group that does not
-- exist; STABLE, its search_path pinned; the policies that let a group do more call it, and
-- no function writes its test out but _agents_listed (a trigger any writer of agents fires,
-- which may not name a function of the schema without USAGE on it)
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT smartregion._caller_is_member('smartregion_platform_admin')::text$$),
          'true', '_caller_is_member: the platform administrator is a member of smartregion_platform_admin');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT smartregion._caller_is_member('smartregion_platform_admin')::text$$),
          'false', '_caller_is_member: the reader is not');
SELECT is(pg_temp.as_role('tap_reader', $$SELECT smartregion._caller_is_member('smartregion_no_such_group')::text$$),
          'false', '_caller_is_member: nobody is a member of a group that does not exist');
SELECT ok((SELECT provolatile = 's' AND proparallel = 's' AND NOT prosecdef
                  AND proconfig = ARRAY['search_path=pg_catalog, pg_temp']
             FROM pg_proc WHERE oid = 'smartregion._caller_is_member(name)'::regprocedure),
          '_caller_is_member is STABLE, parallel safe, runs as its caller, its search_path pinned');
-- (the platform administrator's term asks who may act as the group, _caller_may_act_as,
-- since 2026-12-07, h1: on PostgreSQL 16+ not a grant WITH INHERIT FALSE, SET FALSE;
-- sr_confidential_territory still asks _caller_is_member('smartregion_agent'))
SELECT is((SELECT array_agg(schemaname || '.' || tablename || ' ' || policyname ORDER BY schemaname, tablename, policyname) FROM pg_policies
            WHERE coalesce(qual, '') || coalesce(with_check, '') LIKE '%_caller_may_act_as(''smartregion_platform_admin''%'),
          ARRAY['smartregion.provenance provenance_read', 'tap_hub.campaign_respondent sr_campaign_invited_only',
                'tap_hub.zae_buildings sr_confidential_territory', 'tap_hub.zae_establishments sr_confidential_territory'],
          'provenance_read, sr_campaign_invited_only and sr_confidential_territory (the tables with confidential columns, zae_buildings'' registered above) let the platform administrator through _caller_may_act_as');
SELECT is((SELECT count(*) FROM pg_policies
            WHERE coalesce(qual, '') || coalesce(with_check, '') ~ 'rolname = ''\w+''::name\) AND pg_has_role\(\w+\.oid, ''MEMBER'''),
          0::bigint, 'no policy looks a group up in pg_roles to test the caller''s membership itself');
SELECT is((SELECT array_agg(proname::text ORDER BY proname) FROM pg_proc
            WHERE pronamespace = 'smartregion'::regnamespace AND prosrc ~ 'pg_has_role\(\w+(\.oid)?, ''(MEMBER|SET)''\)'),
          ARRAY['_agents_listed', '_caller_is_member', '_caller_may_act_as'],
          'no function writes the membership test out but _caller_is_member, _caller_may_act_as and _agents_listed');

-- (red team of the write side) ids generated by default could be taken ahead: agent a wrote a
-- request with the id agent b's next request would get, and b's insert failed (23505) on a row it
-- cannot read; a surface, a proposal, a history row, a planned building, a face or a cell taken
-- ahead failed a whole import, tl_propose or refresh of another territory.  Now GENERATED ALWAYS
SELECT coalesce(last_value, 0) + 1 AS next_request FROM pg_sequences
 WHERE schemaname = 'tap_hub' AND sequencename = 'tl_request_id_seq' \gset
SELECT is(pg_temp.as_role('tap_agent_a', format($$INSERT INTO tap_hub.tl_request (id, project_id) VALUES (%s, 2) RETURNING 'taken'$$, :next_request)),
          '428C9', 'agent a cannot take the id of the next request (of any territory)');
SELECT is(pg_temp.as_role('tap_agent_b', $$INSERT INTO tap_hub.tl_request (project_id) VALUES (3) RETURNING id::text$$),
          :'next_request', 'agent b''s next request gets it');
-- (red team of the write side) a request is its project's territory's row; a project moved to
-- another territory left its requests behind, and that territory's delete of the project took
-- them (the key's cascade, as the owner): now a project with requests keeps its territory
SELECT pg_temp.as_role('tap_agent_b', 'INSERT INTO tap_hub.tl_request (project_id) VALUES (3) RETURNING id::text', true) AS req3 \gset
SELECT is(pg_temp.as_role('tap_padmin', $$UPDATE tap_hub.projects SET territory_code = '91326' WHERE id = 3 RETURNING 'moved'$$), '55000',
          'platform admin: cannot move 91479''s project with a request to 91326');
SELECT is(pg_temp.as_role('tap_padmin', $$UPDATE tap_hub.projects SET territory_code = '91479' WHERE id = 12 RETURNING 'moved'$$), 'moved',
          'platform admin: moves a project without requests');
SELECT is((SELECT p.territory_code || ' ' || r.territory_code FROM tap_hub.tl_request r JOIN tap_hub.projects p ON p.id = r.project_id
            WHERE r.id = :req3), '91479 91479', 'the request and its project stay in 91479');
-- a hub made when the respondents' key cascaded gets the refusing one from create_hub
ALTER TABLE tap_hub.campaign_respondent DROP CONSTRAINT campaign_respondent_campaign_id_fkey,
  ADD CONSTRAINT campaign_respondent_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES tap_hub.campaign (id) ON DELETE CASCADE;
-- ... and ids generated always, where they were generated by default
ALTER TABLE tap_hub.tl_request ALTER COLUMN id SET GENERATED BY DEFAULT;
ALTER TABLE tap_hub.solar_roofs ALTER COLUMN roof_id SET GENERATED BY DEFAULT;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tap_hub') \gset
SELECT is((SELECT confdeltype::text FROM pg_constraint WHERE conname = 'campaign_respondent_campaign_id_fkey'
            AND conrelid = 'tap_hub.campaign_respondent'::regclass), 'a',
          'create_hub replaces the cascading key of a hub made before');
SELECT is((SELECT string_agg(table_name || '.' || column_name, ',' ORDER BY table_name) FROM information_schema.columns
            WHERE table_schema = 'tap_hub' AND is_identity = 'YES' AND identity_generation <> 'ALWAYS'), NULL,
          'every identity column of the hub is GENERATED ALWAYS, those of a hub made before too');

-- TRUNCATE gets past no rule that a DELETE is checked by (review of 2026-12-05, the
-- platform administrator's group has TRUNCATE on every hub table, and TRUNCATE fires no row
-- trigger, no ON DELETE action and no row-level security).  The consents: a withdrawal
-- purges what the consent covered, TRUNCATE took every territory's consents and purged
-- nothing.  Set up: the consent of ivy@ (every territory) covers his projects 900 (91326)
-- and 901 (91479); jon@'s project 902 is another subject's
INSERT INTO tap_hub.projects (id, name, holder, territory_code, visibility) VALUES
  (900, 'ivy in 91326', 'ivy@example.org', '91326', 'restricted'),
  (901, 'ivy in 91479', 'ivy@example.org', '91479', 'restricted'),
  (902, 'jon in 91326', 'jon@example.org', '91326', 'restricted');
SELECT is(pg_temp.as_role('tap_padmin', $$INSERT INTO tap_hub.consents (subject, purpose) VALUES ('ivy@example.org', 'tiers_lieux_matching')
  RETURNING coalesce(territory_code, 'every territory')$$, true), 'every territory', 'platform admin: records a consent for every territory');
SELECT count(*) AS consents_before FROM tap_hub.consents \gset
SELECT is(pg_temp.error_of('tap_padmin', 'TRUNCATE tap_hub.consents'),
          '55000 | cannot truncate tap_hub.consents | TRUNCATE would remove every territory''s proofs of consent and purge none of the data they covered.',
          'platform admin: cannot truncate the consents');
SELECT is(pg_temp.as_role('tap_padmin', 'TRUNCATE tap_hub.consents, tap_hub.projects CASCADE'), '55000',
          'platform admin: nor with other tables, CASCADE');
SELECT is(pg_temp.as_role('tap_agent_a', 'TRUNCATE tap_hub.consents'), '42501',
          'agent: cannot truncate the consents (no TRUNCATE privilege, before any trigger)');
SELECT is((SELECT count(*) FROM tap_hub.consents), :consents_before::bigint, 'the consents are all still there');
-- DELETE and the withdrawal still work: ivy@'s withdrawal by the platform administrator
-- purges his two projects, in both territories, and not jon@'s
SELECT is(pg_temp.as_role('tap_padmin', $$UPDATE tap_hub.consents SET withdrawn_at = now() WHERE subject = 'ivy@example.org' RETURNING 'withdrawn'$$, true),
          'withdrawn', 'platform admin: withdraws a consent');
SELECT is((SELECT string_agg(id::text, ',' ORDER BY id) FROM tap_hub.projects WHERE id BETWEEN 900 AND 902), '902',
          'the withdrawal purged the projects 900 and 901 of its subject, in both territories, and kept 902');
SELECT is(pg_temp.as_role('tap_padmin', $$DELETE FROM tap_hub.consents WHERE subject = 'ivy@example.org' RETURNING 'deleted'$$),
          'deleted', 'platform admin: deletes a consent with DELETE');
-- deleting a consent purges what it covered, as its withdrawal does (without its proof the
-- data may not be kept, and no withdrawal is left for purge_expired to find): kim@'s consent,
-- recorded by agent a, is of 91326, and covers his project 903 there, not 904 in 91479;
-- ivy@'s withdrawn consent, deleted, takes her project 905, written after the withdrawal
SELECT is(pg_temp.as_role('tap_agent_a', $$INSERT INTO tap_hub.consents (subject, purpose) VALUES ('kim@example.org', 'tiers_lieux_matching')
  RETURNING territory_code$$, true), '91326', 'agent a: records a consent of its territory');
INSERT INTO tap_hub.projects (id, name, holder, territory_code, visibility) VALUES
  (903, 'kim in 91326', 'kim@example.org', '91326', 'restricted'),
  (904, 'kim in 91479', 'kim@example.org', '91479', 'restricted'),
  (905, 'ivy in 91326, after her withdrawal', 'ivy@example.org', '91326', 'restricted');
SELECT is(pg_temp.as_role('tap_agent_a', $$DELETE FROM tap_hub.consents WHERE subject = 'kim@example.org' RETURNING 1$$), '42501',
          'agent: cannot delete a consent (no DELETE privilege)');
SELECT is(pg_temp.as_role('tap_padmin', $$DELETE FROM tap_hub.consents WHERE subject IN ('kim@example.org', 'ivy@example.org') RETURNING 'deleted'$$, true),
          'deleted', 'platform admin: deletes a consent not withdrawn and a withdrawn one');
SELECT is((SELECT string_agg(id::text, ',' ORDER BY id) FROM tap_hub.projects WHERE id BETWEEN 900 AND 905), '902,904',
          'the deletion purged kim''s project of 91326 (903) and ivy''s written after her withdrawal (905), not 904 nor jon''s 902');
-- ... as does purge_expired's deletion of a consent whose retention (5 years, the register's
-- consents.subject) is over, counted from its withdrawal: mia@'s, withdrawn 6 years ago, goes;
-- lea@'s, given 6 years ago and never withdrawn, stays, and so does her project 906 recorded
-- today (the projects' retention, 2 years, not over)
INSERT INTO tap_hub.consents (subject, purpose, granted_at, withdrawn_at, recorded_at) VALUES
  ('lea@example.org', 'tiers_lieux_matching', now() - interval '6 years', NULL, now() - interval '6 years'),
  ('mia@example.org', 'tiers_lieux_matching', now() - interval '7 years', now() - interval '6 years', now() - interval '7 years');
INSERT INTO tap_hub.projects (id, name, holder, territory_code, visibility) VALUES
  (906, 'lea in 91479', 'lea@example.org', '91479', 'restricted');
SELECT is(pg_temp.as_role('tap_padmin', $$SELECT rows::text FROM smartregion.purge_expired('tap_hub') WHERE table_name = 'consents' AND reason LIKE 'retention%'$$, true),
          '1', 'purge_expired deletes the one consent withdrawn more than 5 years ago');
SELECT is((SELECT string_agg(subject, ',' ORDER BY subject) FROM tap_hub.consents WHERE subject IN ('lea@example.org', 'mia@example.org')),
          'lea@example.org', '... not the one given 6 years ago and still in force');
SELECT is((SELECT count(*) FROM tap_hub.projects WHERE id = 906), 1::bigint, '... whose project recorded today stays');
-- the premises: one proposed to a request (1108, above) cannot be deleted (the proposals'
-- foreign key), nor truncated without CASCADE; with CASCADE the proposals go, as the
-- platform administrator's DELETE of them (no rule keeps a proposal from it) then of the
-- premises would take them: not refused
SELECT is(pg_temp.as_role('tap_padmin', 'DELETE FROM tap_hub.premises WHERE id = 1108 RETURNING 1'), '23503',
          'platform admin: its DELETE of a proposed premise is refused by the foreign key');
SELECT is(pg_temp.as_role('tap_padmin', 'TRUNCATE tap_hub.premises'), '0A000',
          'platform admin: nor is its TRUNCATE of the premises without CASCADE');
SELECT is(pg_temp.as_role('tap_agent_a', 'TRUNCATE tap_hub.premises CASCADE'), '42501',
          'agent: cannot truncate the premises');
-- which tables refuse TRUNCATE: those whose rules live in row triggers run on DELETE or in
-- foreign keys TRUNCATE ... CASCADE would get past (docs/security.md); the others' rules
-- are on INSERT and UPDATE only, and the platform administrator's DELETE takes the same
SELECT is((SELECT string_agg(c.relname::text, ',' ORDER BY c.relname) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relnamespace = 'tap_hub'::regnamespace AND t.tgtype & 32 = 32 AND t.tgtype & 2 = 2
              -- (zae_zones' keeps the zones' contours in zae_zone_history, and lets the truncate through)
              AND t.tgname <> 'sr_zae_zone_history_truncate'),
          'campaign,campaign_answer,campaign_respondent,consents,tl_history,zae_zone_history',
          'the hub tables whose BEFORE TRUNCATE trigger refuses');
-- create_hub adds the refusal to a hub made before it
DROP TRIGGER sr_consents_no_truncate ON tap_hub.consents;
SELECT count(*) > 0 AS upgraded FROM smartregion.create_hub('tap_hub') \gset
SELECT is(pg_temp.as_role('tap_padmin', 'TRUNCATE tap_hub.consents'), '55000',
          'create_hub gives a hub made before it the refusal of the consents');
SELECT * FROM finish();
ROLLBACK;
