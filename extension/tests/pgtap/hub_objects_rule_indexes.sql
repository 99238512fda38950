-- pgTAP: the indexes create_hub writes by its rules on every table, checked whole by
-- trust_problems (2026-12-08, h3; docs/security-reviews.md#r-hub-rule-indexes).  Before,
-- _hub_objects_stale compared the templates' indexes with their statements
-- (_hub_index_stale) but the rules' indexes, <table>_territory_idx (every table) and
-- <table>_recorded_at_idx (a table of personal data but the consents), for presence and
-- validity only: the table's owner replacing one by a partial index (WHERE false), an
-- expression index, another operator class or another column made the territory filters
-- of row-level security, a data subject's request and purge_expired read whole tables,
-- unseen.  Now one text, _hub_rule_index_templates, is what create_hub runs and what
-- trust_problems compares with.  Also the index on zae_zones.zone_uid (new, from the
-- zae_zone_history template): made by create_hub, on a hub made before too, and checked.
-- Roles: hri_a (agent of 91479) cannot change an index; the hub's owner is the test's role.
BEGIN;
SELECT plan(13);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hri') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hri') \gset
CREATE ROLE hri_a IN ROLE smartregion_agent;
INSERT INTO hri.agents (role_name, territory_code, territory_type) VALUES ('hri_a', '91479', NULL);

-- 1. the statements, as written by hand from create_hub's rules
SELECT is(smartregion._hub_rule_index_ddl('hri', 'premises', 'territory'),
          'CREATE INDEX IF NOT EXISTS premises_territory_idx ON hri.premises (territory_code)',
          '_hub_rule_index_ddl: the territory index of a table');
SELECT is(smartregion._hub_rule_index_ddl('hri', 'tl_history', 'recorded_at'),
          'CREATE INDEX IF NOT EXISTS tl_history_recorded_at_idx ON hri.tl_history (recorded_at)',
          '_hub_rule_index_ddl: the recorded_at index of a table of personal data');

-- 2. a hub made by create_hub: nothing listed; the zone_uid index there, on zone_uid alone
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hri.%'$$,
                'a hub made by this build: trust_problems lists none of its objects');
SELECT is(pg_get_indexdef(to_regclass('hri.zae_zones_zone_uid_idx')),
          'CREATE INDEX zae_zones_zone_uid_idx ON hri.zae_zones USING btree (zone_uid)',
          'create_hub makes the index on zae_zones.zone_uid');

-- 3. an agent cannot replace a rule's index (the table owner's privilege)
SELECT is(pg_temp.as_role('hri_a', 'DROP INDEX hri.premises_territory_idx'), '42501',
          'an agent cannot drop (to re-create) a rule''s index');

-- 4. the owner re-creates rule indexes under their names, each tampered another way: partial
-- (WHERE false), on an expression, with another operator class, on another column, of another
-- access method, with another order and an included column; and the zone_uid index partial
DROP INDEX hri.premises_territory_idx, hri.buildings_territory_idx, hri.tl_request_territory_idx,
           hri.zae_parcels_territory_idx, hri.tl_history_recorded_at_idx, hri.premises_recorded_at_idx;
DROP INDEX IF EXISTS hri.zae_zones_zone_uid_idx;
CREATE INDEX premises_territory_idx ON hri.premises (territory_code) WHERE false;
CREATE INDEX buildings_territory_idx ON hri.buildings (lower(territory_code));
CREATE INDEX tl_request_territory_idx ON hri.tl_request (territory_code text_pattern_ops);
CREATE INDEX zae_parcels_territory_idx ON hri.zae_parcels (territory_type);
CREATE INDEX tl_history_recorded_at_idx ON hri.tl_history USING hash (recorded_at);
CREATE INDEX premises_recorded_at_idx ON hri.premises (recorded_at DESC) INCLUDE (territory_code);
CREATE INDEX zae_zones_zone_uid_idx ON hri.zae_zones (zone_uid) WHERE zone_uid > 0;
SELECT results_eq(
  $$SELECT object, split_part(problem, ': ', 1), fix FROM smartregion.trust_problems() WHERE object LIKE '%hri.%' ORDER BY object$$,
  $$VALUES ('index hri.buildings_territory_idx', 'the schema of a hub holds index buildings_territory_idx of table buildings in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hri.buildings_territory_idx, then SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.'),
           ('index hri.premises_recorded_at_idx', 'the schema of a hub holds index premises_recorded_at_idx of table premises in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hri.premises_recorded_at_idx, then SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.'),
           ('index hri.premises_territory_idx', 'the schema of a hub holds index premises_territory_idx of table premises in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hri.premises_territory_idx, then SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.'),
           ('index hri.tl_history_recorded_at_idx', 'the schema of a hub holds index tl_history_recorded_at_idx of table tl_history in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hri.tl_history_recorded_at_idx, then SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.'),
           ('index hri.tl_request_territory_idx', 'the schema of a hub holds index tl_request_territory_idx of table tl_request in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hri.tl_request_territory_idx, then SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.'),
           ('index hri.zae_parcels_territory_idx', 'the schema of a hub holds index zae_parcels_territory_idx of table zae_parcels in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hri.zae_parcels_territory_idx, then SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.'),
           ('index hri.zae_zones_zone_uid_idx', 'the schema of a hub holds index zae_zones_zone_uid_idx of table zae_zones in a version this build does not write (an older build''s, or changed since)',
            'DROP INDEX hri.zae_zones_zone_uid_idx, then SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.')$$,
  'a rule''s index partial, on an expression, another operator class, column, access method, order or included column, and the zone_uid index partial: each listed (before: none)');
-- (what it changes, said: a rule's index is never unique, so no rule is let through)
SELECT is((SELECT substr(problem, strpos(problem, ': ') + 2) FROM smartregion.trust_problems() WHERE object = 'index hri.premises_territory_idx'),
          'not a leak: the same answers, slower: the territory filters of row-level security, a data subject''s request or purge_expired read the whole table',
          'a rule''s index that differs: not a leak, slower');

-- 5. as a role without USAGE on the hub's schema (the expressions are not compared there):
-- the partial one and the other access method still listed, by their shape
CREATE ROLE hri_n;
GRANT USAGE ON SCHEMA smartregion TO hri_n;
GRANT SELECT ON smartregion.hub_table, smartregion.personal_data, smartregion.confidential_data TO hri_n;
SELECT is(pg_temp.as_role('hri_n', $$SELECT string_agg(o.object_name, ',' ORDER BY o.object_name)
                                        FROM smartregion._hub_objects_stale('hri') o
                                       WHERE o.object_name IN ('premises_territory_idx', 'tl_history_recorded_at_idx', 'zae_parcels_territory_idx')$$),
          'premises_territory_idx,tl_history_recorded_at_idx,zae_parcels_territory_idx',
          'a caller without USAGE on the hub''s schema: the partial, other-method and other-column indexes listed');

-- 6. written again by hand in another text than create_hub's (USING btree, no IF NOT EXISTS,
-- ASC and the default operator class said): nothing listed
DROP INDEX hri.premises_territory_idx, hri.buildings_territory_idx, hri.tl_request_territory_idx,
           hri.zae_parcels_territory_idx, hri.tl_history_recorded_at_idx, hri.premises_recorded_at_idx,
           hri.zae_zones_zone_uid_idx;
CREATE INDEX premises_territory_idx ON hri.premises USING btree (territory_code ASC);
CREATE INDEX buildings_territory_idx ON hri.buildings (territory_code text_ops);
CREATE INDEX tl_request_territory_idx ON hri.tl_request (territory_code COLLATE "default");
CREATE INDEX zae_parcels_territory_idx ON hri.zae_parcels (territory_code NULLS LAST);
CREATE INDEX tl_history_recorded_at_idx ON hri.tl_history (recorded_at);
CREATE INDEX premises_recorded_at_idx ON hri.premises (recorded_at);
CREATE INDEX zae_zones_zone_uid_idx ON hri.zae_zones USING btree (zone_uid);
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hri.%'$$,
                'the rules'' indexes written again as create_hub writes them, in other texts: nothing listed');

-- 7. the fix: an index tampered, dropped, and create_hub run again
DROP INDEX hri.premises_territory_idx;
CREATE INDEX premises_territory_idx ON hri.premises (territory_code) WHERE territory_code IS NULL;
SELECT is((SELECT count(*)::int FROM smartregion.trust_problems() WHERE object = 'index hri.premises_territory_idx'), 1,
          'an index for the rows of no territory only: listed');
DROP INDEX hri.premises_territory_idx;
SELECT count(*) > 0 AS again FROM smartregion.create_hub('hri') \gset
SELECT is_empty($$SELECT object FROM smartregion.trust_problems() WHERE object LIKE '%hri.%'$$,
                'dropped and create_hub run again, as the fix says: nothing listed');

-- 8. a hub made before the zone_uid index (dropped here): listed missing, and create_hub
-- run again makes it
DROP INDEX hri.zae_zones_zone_uid_idx;
SELECT results_eq(
  $$SELECT object, fix FROM smartregion.trust_problems() WHERE object LIKE '%hri.%'$$,
  $$VALUES ('index hri.zae_zones_zone_uid_idx', 'SELECT smartregion.create_hub(''hri'') again, as the hub''s owner.')$$,
  'a hub without the index on zae_zones.zone_uid: listed missing');
SELECT count(*) > 0 AS again FROM smartregion.create_hub('hri') \gset
SELECT ok(to_regclass('hri.zae_zones_zone_uid_idx') IS NOT NULL
          AND NOT EXISTS (SELECT FROM smartregion.trust_problems() WHERE object LIKE '%hri.%'),
          'create_hub run again on it makes the index; nothing listed');

SELECT * FROM finish();
ROLLBACK;
