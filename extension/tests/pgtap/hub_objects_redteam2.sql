-- pgTAP: second red team of trust_problems' check of a hub's objects (2026-12-07 night, h4;
-- docs/security-reviews.md#r-hub-objects-definition).  After the first (hub_objects_redteam,
-- h8), _hub_objects_stale compared a template's index by its shape (unique, partial, access
-- method, number of keys) and a template's trigger by its tgtype and function, and took a
-- trigger for enabled unless disabled or firing in replica sessions only.  What the hub
-- tables' owner could still change, unseen:
-- a. an index's columns or predicate within the same shape (tl_history_once, unique, on
--    other columns; tl_proposal_one_accepted, unique and partial, on another predicate);
-- b. a trigger's UPDATE OF columns, WHEN condition or transition tables (the derived-territory
--    trigger with WHEN (false); a project's territory trigger UPDATE OF a column that a move
--    does not write);
-- c. a trigger enabled ALWAYS (ALTER TABLE ... ENABLE ALWAYS TRIGGER: it fires in replica
--    sessions too, where this build's does not);
-- now compared with the templates' statements, each parsed against the table as CREATE INDEX
-- and CREATE TRIGGER do (_hub_index_stale, _hub_trigger_stale).
-- Roles: hr2_a (agent of 91479), hr2_r (a reader).  The hub's owner is the test's role.
BEGIN;
SELECT plan(16);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hr2') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hr2') \gset
CREATE ROLE hr2_a IN ROLE smartregion_agent;
CREATE ROLE hr2_r IN ROLE smartregion_reader;
INSERT INTO hr2.agents (role_name, territory_code, territory_type) VALUES ('hr2_a', '91479', NULL);

-- 1. the hub as create_hub and grant_roles leave it: nothing listed (the statements compared
-- find every index and trigger of this build as it writes them)
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%'$$,
                'a hub made by this build: trust_problems lists none of its objects');

-- 2. what an agent and a reader cannot do (the table owner's privileges)
SELECT is(pg_temp.as_role('hr2_a', 'DROP INDEX hr2.tl_history_once'), '42501',
          'an agent cannot drop (to re-create) a template''s index');
SELECT is(pg_temp.as_role('hr2_a', 'CREATE OR REPLACE TRIGGER sr_derived_territory_ins AFTER INSERT ON hr2.solar_roofs '
                                   'REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN (false) '
                                   'EXECUTE FUNCTION smartregion._hub_derived_territory()'), '42501',
          'an agent cannot replace a trigger');
SELECT is(pg_temp.as_role('hr2_r', 'ALTER TABLE hr2.buildings ENABLE ALWAYS TRIGGER sr_provenance'), '42501',
          'a reader cannot change when a trigger fires');

-- (each change undone after its block, not rolled back to a savepoint: pgTAP's count of the
-- tests run would be rolled back with it)
-- 3. (a) the owner re-creates two unique indexes and one plain one in the same shape
-- (unique, partial, access method, number of keys) on other columns or another predicate
DROP INDEX hr2.tl_history_once;
CREATE UNIQUE INDEX tl_history_once ON hr2.tl_history (entity, request_id, to_status);
DROP INDEX hr2.tl_proposal_one_accepted;
CREATE UNIQUE INDEX tl_proposal_one_accepted ON hr2.tl_proposal (request_id) WHERE status = 'declined';
DROP INDEX hr2.tl_history_request_idx;
CREATE INDEX tl_history_request_idx ON hr2.tl_history (request_id DESC, id);
SELECT is((SELECT count(*)::int FROM smartregion._hub_template_objects('hr2', 2154) o
            WHERE o.kind = 'index' AND o.object_name IN ('tl_history_once', 'tl_proposal_one_accepted', 'tl_history_request_idx')
              AND o.ddl ~ '^CREATE (UNIQUE )?INDEX IF NOT EXISTS'), 3,
          '_hub_template_objects: a template''s index comes with its CREATE INDEX statement');
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 1), fix FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%' ORDER BY object$$,
  $$VALUES ('index hr2.tl_history_once', 'the schema of a hub holds index tl_history_once of table tl_history in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hr2.tl_history_once, then SELECT smartregion.create_hub(''hr2'') again, as the hub''s owner.'),
           ('index hr2.tl_history_request_idx', 'the schema of a hub holds index tl_history_request_idx of table tl_history in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hr2.tl_history_request_idx, then SELECT smartregion.create_hub(''hr2'') again, as the hub''s owner.'),
           ('index hr2.tl_proposal_one_accepted', 'the schema of a hub holds index tl_proposal_one_accepted of table tl_proposal in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hr2.tl_proposal_one_accepted, then SELECT smartregion.create_hub(''hr2'') again, as the hub''s owner.')$$,
  'an index of the same shape on other columns, another predicate or another order: listed (before: nothing)');
DROP INDEX hr2.tl_history_once, hr2.tl_proposal_one_accepted, hr2.tl_history_request_idx;
CREATE UNIQUE INDEX tl_history_once ON hr2.tl_history
  (entity, (CASE WHEN entity = 'proposal' THEN proposal_id ELSE request_id END), to_status);
CREATE UNIQUE INDEX tl_proposal_one_accepted ON hr2.tl_proposal (request_id) WHERE status = 'accepted';
CREATE INDEX tl_history_request_idx ON hr2.tl_history (request_id, id);
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%'$$,
                'the indexes written again as the templates write them (by other texts: no IF NOT EXISTS, the table qualified): nothing listed');

-- 4. (b) the owner re-creates triggers of the same events and function: the derived-territory
-- trigger WHEN (false), one whose transition table is gone, a project's territory trigger UPDATE
-- OF a column a move does not write, and the project's restriction trigger with another WHEN
CREATE OR REPLACE TRIGGER sr_derived_territory_ins AFTER INSERT ON hr2.solar_roofs
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT WHEN (false) EXECUTE FUNCTION smartregion._hub_derived_territory();
CREATE OR REPLACE TRIGGER sr_derived_territory_upd AFTER UPDATE ON hr2.solar_roof_cells
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION smartregion._hub_derived_territory();
CREATE OR REPLACE TRIGGER sr_tl_project_territory BEFORE UPDATE OF team_size ON hr2.projects
  FOR EACH ROW EXECUTE FUNCTION smartregion._tl_project_territory();
CREATE OR REPLACE TRIGGER sr_tl_project_restricted AFTER UPDATE OF visibility ON hr2.projects
  FOR EACH ROW WHEN (NEW.visibility::text = 'restricted' AND OLD.visibility::text = 'restricted')
  EXECUTE FUNCTION smartregion._tl_project_restricted();
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 1) FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%' ORDER BY object$$,
  $$VALUES ('trigger sr_derived_territory_ins on hr2.solar_roofs',
            'the schema of a hub holds trigger sr_derived_territory_ins of table solar_roofs in a version this build does not write (an older build''s, or changed since)'),
           ('trigger sr_derived_territory_upd on hr2.solar_roof_cells',
            'the schema of a hub holds trigger sr_derived_territory_upd of table solar_roof_cells in a version this build does not write (an older build''s, or changed since)'),
           ('trigger sr_tl_project_restricted on hr2.projects',
            'the schema of a hub holds trigger sr_tl_project_restricted of table projects in a version this build does not write (an older build''s, or changed since)'),
           ('trigger sr_tl_project_territory on hr2.projects',
            'the schema of a hub holds trigger sr_tl_project_territory of table projects in a version this build does not write (an older build''s, or changed since)')$$,
  'a trigger WHEN (false), without its transition table, UPDATE OF another column, with another WHEN: listed (before: nothing)');
-- (written again by hand, in other texts than the templates': the same triggers)
CREATE OR REPLACE TRIGGER sr_derived_territory_ins AFTER INSERT ON hr2.solar_roofs
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE PROCEDURE smartregion._hub_derived_territory();
CREATE OR REPLACE TRIGGER sr_derived_territory_upd AFTER UPDATE ON hr2.solar_roof_cells
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION smartregion._hub_derived_territory();
CREATE OR REPLACE TRIGGER sr_tl_project_territory BEFORE UPDATE OF territory_type, territory_code ON hr2.projects
  FOR EACH ROW EXECUTE FUNCTION smartregion._tl_project_territory();
CREATE OR REPLACE TRIGGER sr_tl_project_restricted AFTER UPDATE OF visibility ON hr2.projects
  FOR EACH ROW WHEN ((new.visibility)::text = 'restricted'::text AND (old.visibility)::text = 'public'::text)
  EXECUTE FUNCTION smartregion._tl_project_restricted();
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%'$$,
                'the triggers written again in other texts (EXECUTE PROCEDURE, columns and tables in another order, WHEN as pg_dump writes it): nothing listed');

-- 5. (c) the owner makes a template's trigger and a rule's (sr_provenance) fire ALWAYS, and
-- one in replica sessions only (listed since h8, as disabled)
ALTER TABLE hr2.tl_request ENABLE ALWAYS TRIGGER sr_tl_request_check;
ALTER TABLE hr2.buildings ENABLE ALWAYS TRIGGER sr_provenance;
ALTER TABLE hr2.premises ENABLE REPLICA TRIGGER sr_provenance;
SELECT results_eq(
  $$SELECT object, problem FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%' ORDER BY object$$,
  $$VALUES ('trigger sr_provenance on hr2.buildings',
            'the schema of a hub holds trigger sr_provenance of table buildings enabled ALWAYS: not a leak: it fires in replica sessions too (a logical replication subscriber applying a publisher''s writes, a session with session_replication_role = replica), where this build''s does not: a write replicated here is checked, cascaded or recorded again'),
           ('trigger sr_provenance on hr2.premises',
            'the schema of a hub holds trigger sr_provenance of table premises disabled: a rule this build applies to the table''s writes (a check, a cascade, a record) is not applied: may let through what this build refuses'),
           ('trigger sr_tl_request_check on hr2.tl_request',
            'the schema of a hub holds trigger sr_tl_request_check of table tl_request enabled ALWAYS: not a leak: it fires in replica sessions too (a logical replication subscriber applying a publisher''s writes, a session with session_replication_role = replica), where this build''s does not: a write replicated here is checked, cascaded or recorded again')$$,
  'a trigger enabled ALWAYS is listed (before: nothing), one firing in replica sessions only as disabled (as before)');

-- 5b. the owner re-creates two triggers create_hub writes by its rule, not from a template:
-- the consents' withdrawal WHEN (false) (a withdrawn consent no longer purges the data it
-- covered), the provenance for INSERT only; listed (before: nothing, presence only)
CREATE OR REPLACE TRIGGER sr_consent_withdrawn AFTER INSERT OR UPDATE OF withdrawn_at ON hr2.consents
  FOR EACH ROW WHEN (false) EXECUTE FUNCTION smartregion._consent_withdrawn();
CREATE OR REPLACE TRIGGER sr_provenance AFTER INSERT ON hr2.projects
  FOR EACH STATEMENT EXECUTE FUNCTION smartregion._hub_provenance();
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 1) FROM smartregion.trust_problems()
     WHERE object LIKE '%hr2.%' AND problem LIKE '%in a version this build does not write%' ORDER BY object$$,
  $$VALUES ('trigger sr_consent_withdrawn on hr2.consents',
            'the schema of a hub holds trigger sr_consent_withdrawn of table consents in a version this build does not write (an older build''s, or changed since)'),
           ('trigger sr_provenance on hr2.projects',
            'the schema of a hub holds trigger sr_provenance of table projects in a version this build does not write (an older build''s, or changed since)')$$,
  'a rule''s trigger WHEN (false), or for fewer events: listed (before: nothing)');

-- 6. the fixes named run, and leave nothing listed: an index dropped then create_hub, a
-- trigger replaced by create_hub (CREATE OR REPLACE TRIGGER writes it enabled)
DROP INDEX hr2.tl_proposal_one_accepted;
CREATE UNIQUE INDEX tl_proposal_one_accepted ON hr2.tl_proposal (request_id) WHERE status = 'declined';
CREATE OR REPLACE TRIGGER sr_tl_project_territory BEFORE UPDATE OF team_size ON hr2.projects
  FOR EACH ROW EXECUTE FUNCTION smartregion._tl_project_territory();
SELECT split_part(fix, ', then ', 1) FROM smartregion.trust_problems() WHERE object = 'index hr2.tl_proposal_one_accepted' \gexec
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hr2') \gset
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%'$$,
                'after the fixes named (DROP INDEX, create_hub): nothing listed');
SELECT is((SELECT string_agg(tgenabled::text, '' ORDER BY tgname) FROM pg_trigger
            WHERE tgrelid = 'hr2.buildings'::regclass AND tgname = 'sr_provenance'), 'O',
          '... and sr_provenance fires again as this build writes it (O: in origin and local sessions)');

-- 7. a reader, with USAGE on the hub, gets these rows too
CREATE OR REPLACE TRIGGER sr_tl_project_territory BEFORE UPDATE OF team_size ON hr2.projects
  FOR EACH ROW EXECUTE FUNCTION smartregion._tl_project_territory();
SELECT is(pg_temp.as_role('hr2_r', $$SELECT string_agg(object, ', ' ORDER BY object) FROM smartregion.trust_problems() WHERE object LIKE '%hr2.%'$$),
          'trigger sr_tl_project_territory on hr2.projects',
          'a reader (USAGE on the hub) gets the row');

-- 8. the comparators' argument: one statement of their kind
SELECT throws_ok($$SELECT smartregion._hub_index_stale('hr2', 'CREATE INDEX ON hr2.premises (owner)')$$, '22023',
                 'argument "ddl" must name its index', '_hub_index_stale: an index without a name is refused (22023)');
SELECT throws_ok($$SELECT smartregion._hub_trigger_stale('hr2', 'CREATE INDEX i ON hr2.premises (owner)')$$, '22023',
                 'argument "ddl" must be one CREATE TRIGGER statement', '_hub_trigger_stale: another statement is refused (22023)');

SELECT * FROM finish();
ROLLBACK;
