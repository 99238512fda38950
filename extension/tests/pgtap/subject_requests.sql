-- pgTAP: the data subjects' requests at scale, and the territory in their record (2026-12-07, h2;
-- docs/governance.md, "Requests at scale" and "Requests by territory").
-- 1. subject_export, subject_erase and a consent withdrawal find a person's rows by the
--    registered identifier columns (projects.holder, premises.owner, tl_history.actor,
--    zae_parcels.owner_id, maturity_answer.respondent, campaign_respondent.role): the hub
--    templates index them, so a request reads the person's rows, not whole tables (before:
--    whole tables, 670-770 ms at 520,000 self-diagnosis answers in the review of plans;
--    measured again in docs/performance.md, "Data subjects' requests").  create_hub run
--    again adds a missing index; trust_problems does not report a hub without them.
-- 2. subject_request_log records the territory of a request by territory (territory_code,
--    territory_type as given) and of a withdrawn consent; NULL for a request of the whole hub.
--    The record is the platform administrator's: an agent reads none of it.
-- 3. purge_expired's retention pass finds the rows recorded before its cutoff by an index of
--    recorded_at (<table>_recorded_at_idx, every table with that column but the consents, whose
--    retention counts from their withdrawal), which create_hub run again adds (2026-12-07, h8).
-- 4. A pseudonymised row keeps its recorded_at (the erasure's UPDATE does not move it, trigger
--    sr_recorded_at): once its retention period is over, purge_expired finds it before the cutoff
--    and leaves it as it is (pseudonymisation is what the register says happens at the end of
--    the period: the row is kept, with its pseudonym, for good); it neither counts nor records
--    it (2026-12-07, h8; docs/governance.md, purge_expired).  Behaviour of the build before too:
--    this pins what the docs now say.
-- 5. Two territories under row-level security: an agent is not granted the requests (42501); a
--    role of 91479 allowed to answer them (srq_o, as sql/governance.sql's territory officers,
--    which check a whole-hub export and erasure of two such roles) asks by function and
--    territory for 69381's mayor: it neither finds nor erases that restricted row.
-- Roles: srq_p, the platform administrator (the data protection officer); srq_a, agent of 91479.
BEGIN;
SELECT plan(30);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS hub FROM smartregion.create_hub('srq') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('srq') \gset
SELECT count(*) > 0 AS territories FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000},
    {"code":"91479","nom":"Paray","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"},{"code":"91","nom":"Essonne","region":"11"}]',
  '[{"code":"84","nom":"Auvergne-Rhône-Alpes"},{"code":"11","nom":"Île-de-France"}]') \gset
CREATE ROLE srq_p IN ROLE smartregion_platform_admin;
CREATE ROLE srq_a IN ROLE smartregion_agent;
INSERT INTO srq.agents (role_name, territory_code, territory_type) VALUES ('srq_a', '91479', 'commune');

-- a campaign whose mayors of 91479 and 69381 were invited as 'maire'; a project of each
-- commune held by holder@example.org
INSERT INTO srq.campaign (framework, year, title, opens_on, closes_on, territory_type, territory_code)
VALUES ('default', 2027, 'Autodiagnostic', current_date, current_date + 30, 'region', '84');
INSERT INTO srq.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash)
SELECT c.id, 'commune', t, 'maire', sha256(convert_to(t, 'UTF8')) FROM srq.campaign c, unnest(ARRAY['91479', '69381']) t;
INSERT INTO srq.projects (id, name, holder, territory_code, territory_type) VALUES
  (1, 'Atelier', 'holder@example.org', '91479', 'commune'), (2, 'Fablab', 'holder@example.org', '69381', 'commune'),
  (3, 'Tiers-lieu', 'other@example.org', '91479', 'commune');

-- 1. the indexes of the identifier columns (before: none of them)
SELECT is((SELECT string_agg(format('%s(%s)', i.tablename, a.attname), ' ' ORDER BY i.tablename)
             FROM pg_indexes i JOIN pg_index x ON x.indexrelid = format('%I.%I', i.schemaname, i.indexname)::regclass
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
            WHERE i.schemaname = 'srq' AND x.indnatts = 1
              AND i.indexname IN ('projects_holder_idx', 'premises_owner_idx', 'tl_history_actor_idx', 'zae_parcels_owner_id_idx',
                                  'maturity_answer_respondent_idx', 'campaign_respondent_role_idx')),
          'campaign_respondent(role) maturity_answer(respondent) premises(owner) projects(holder) tl_history(actor) zae_parcels(owner_id)',
          'create_hub indexes every registered identifier column that no key leads (consents.subject and zae_establishments.siret lead theirs)');

-- ... which subject_export reads (the planner's choice forced, the tables being tiny: what
-- is checked is that each search can use an index of its column).  Scans counted in this
-- transaction (pg_stat_get_xact_numscans), as the platform administrator
SET LOCAL enable_seqscan = off;
CREATE TEMP TABLE srq_idx (name text PRIMARY KEY, scans bigint);
INSERT INTO srq_idx SELECT n, 0 FROM unnest(ARRAY['projects_holder_idx', 'premises_owner_idx', 'tl_history_actor_idx', 'zae_parcels_owner_id_idx',
                                                  'maturity_answer_respondent_idx', 'campaign_respondent_role_idx']) n;
UPDATE srq_idx SET scans = coalesce(pg_stat_get_xact_numscans(to_regclass('srq.' || name)), -1);
SELECT is(pg_temp.as_role('srq_p', $$SELECT jsonb_array_length(smartregion.subject_export('holder@example.org', 'srq') -> 'records' -> 0 -> 'rows')::text$$, true),
          '2', 'subject_export finds the holder''s two projects');
SELECT is((SELECT string_agg(name, ' ' ORDER BY name) FROM srq_idx
            WHERE coalesce(pg_stat_get_xact_numscans(to_regclass('srq.' || name)), -1) <= scans),
          NULL, 'subject_export searched each identifier column by its index (before: the indexes did not exist)');
-- a request by function and territory reads the role's index, or the territory's
UPDATE srq_idx SET scans = coalesce(pg_stat_get_xact_numscans(to_regclass('srq.' || name)), -1);
SELECT is(pg_temp.as_role('srq_p', $$SELECT smartregion.subject_erase('maire', 'srq', '91479', 'commune') ->> 'status'$$, true),
          'erased', 'subject_erase by function and territory erases 91479''s mayor');
SELECT cmp_ok((SELECT coalesce(pg_stat_get_xact_numscans(to_regclass('srq.campaign_respondent_role_idx')), -1) - scans
                 FROM srq_idx WHERE name = 'campaign_respondent_role_idx')
              + coalesce(pg_stat_get_xact_numscans(to_regclass('srq.campaign_respondent_territory_idx')), 0), '>', 0::bigint,
              'subject_erase found the respondent by an index (of the role or of the territory: the planner''s choice)');
-- a consent withdrawn purges the holder's projects (of its territory, if it has one): a
-- consent of the whole platform, found by the holder's index; one of 69381
UPDATE srq_idx SET scans = coalesce(pg_stat_get_xact_numscans(to_regclass('srq.' || name)), -1);
INSERT INTO srq.consents (subject, purpose, territory_code, territory_type)
VALUES ('other@example.org', 'tiers_lieux_matching', NULL, NULL), ('holder@example.org', 'tiers_lieux_matching', '69381', 'commune');
SELECT is(pg_temp.as_role('srq_p', $$WITH w AS (UPDATE srq.consents SET withdrawn_at = now() WHERE subject = 'other@example.org' RETURNING 1)
                                     SELECT count(*)::text FROM w$$, true), '1', 'the platform administrator withdraws other''s consent');
SELECT cmp_ok((SELECT coalesce(pg_stat_get_xact_numscans(to_regclass('srq.projects_holder_idx')), -1) - scans
                 FROM srq_idx WHERE name = 'projects_holder_idx'), '>', 0::bigint,
              'the withdrawal looked the holder''s projects up by projects_holder_idx (before: a scan of projects)');
RESET enable_seqscan;
SELECT is(pg_temp.as_role('srq_p', $$WITH w AS (UPDATE srq.consents SET withdrawn_at = now() WHERE subject = 'holder@example.org' RETURNING 1)
                                     SELECT count(*)::text FROM w$$, true), '1', 'the platform administrator withdraws holder''s consent of 69381');
SELECT is((SELECT string_agg(id::text, ' ' ORDER BY id) FROM srq.projects), '1', 'the withdrawals purged other''s project and holder''s of 69381 only');

-- create_hub run again on a hub without one of them (a hub made before) adds it; such a hub
-- is listed by trust_problems, the index alone, as slower, not a leak (since 2026-12-07, h2:
-- trust_problems reports a hub's missing indexes too; before, nothing)
DROP INDEX IF EXISTS srq.projects_holder_idx;
SELECT is((SELECT string_agg(object || ': ' || (problem LIKE '%not a leak%')::text, '; ') FROM smartregion.trust_problems() WHERE object LIKE '%srq%'),
          'index srq.projects_holder_idx: true',
          'trust_problems lists the hub''s missing index, and only it, as no leak');
SELECT count(*) > 0 AS again FROM smartregion.create_hub('srq') \gset
SELECT is(to_regclass('srq.projects_holder_idx')::text, 'srq.projects_holder_idx', 'create_hub run again adds the missing index');

-- 2. the record of the requests: the territory of each (as given), NULL for a whole hub's
SELECT is(pg_temp.as_role('srq_p', $$SELECT smartregion.subject_export('nobody@example.org', 'srq', '91479') ->> 'records'$$, true),
          '[]', 'an access request by territory that finds nothing (recorded as none)');
SELECT is(pg_temp.as_role('srq_p', $$SELECT string_agg(format('%s %s %s %s %s', request, coalesce(table_name, '-'), action,
                                                              coalesce(territory_code, 'NULL'), coalesce(territory_type, 'NULL')), ', ' ORDER BY id)
                                      FROM smartregion.subject_request_log WHERE hub_schema = 'srq'$$),
          'access projects exported NULL NULL, erasure campaign_respondent pseudonymised 91479 commune, '
          'consent_withdrawn projects deleted NULL NULL, consent_withdrawn projects deleted 69381 commune, access - none 91479 NULL',
          'the platform administrator reads the territory of each request (before: no such column)');
SELECT is(pg_temp.as_role('srq_a', $$SELECT count(*)::text FROM smartregion.subject_request_log WHERE territory_code = '91479'$$),
          '42501', 'an agent of 91479 reads no line of the record, not even its territory''s');

-- 3. the indexes of recorded_at.  Expected by hand: the register's tables (personal_data, the
-- defaults: campaign_answer, campaign_respondent, consents, maturity_answer, premises,
-- projects, tl_history, tl_proposal, tl_request, zae_establishments, zae_parcels) but consents
SELECT is((SELECT string_agg(c.relname::text, ' ' ORDER BY c.relname) FROM pg_index x
             JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid
             JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = x.indkey[0]
            WHERE c.relnamespace = 'srq'::regnamespace AND x.indnatts = 1 AND a.attname = 'recorded_at'
              AND i.relname = c.relname || '_recorded_at_idx'),
          'campaign_answer campaign_respondent maturity_answer premises projects tl_history tl_proposal tl_request zae_establishments zae_parcels',
          'create_hub indexes recorded_at in every table whose retention counts from it (before: no index)');
-- ... which the retention pass reads (the planner's choice forced, as above: each search can
-- use it); a project recorded 3 years ago (past projects' 2 years) is purged, the new one kept
SET LOCAL enable_seqscan = off;
INSERT INTO srq.projects (id, name, holder, territory_code, territory_type, recorded_at)
VALUES (4, 'Ancien', 'old@example.org', '91479', 'commune', now() - interval '3 years');
CREATE TEMP TABLE srq_rec (name text PRIMARY KEY, scans bigint);
INSERT INTO srq_rec SELECT c.relname || '_recorded_at_idx', 0 FROM pg_class c
 WHERE c.relnamespace = 'srq'::regnamespace AND c.relkind = 'r' AND c.relname IN (SELECT table_name FROM smartregion.personal_data)
   AND c.relname <> 'consents';
UPDATE srq_rec SET scans = coalesce(pg_stat_get_xact_numscans(to_regclass('srq.' || name)), -1);
SELECT is(pg_temp.as_role('srq_p', $$SELECT string_agg(format('%s.%s %s', table_name, column_name, rows), ', ' ORDER BY table_name, column_name)
                                      FROM smartregion.purge_expired('srq') WHERE rows > 0$$, true),
          'projects.holder 1', 'purge_expired deletes the project recorded 3 years ago, nothing else');
SELECT is((SELECT string_agg(id::text, ' ' ORDER BY id) FROM srq.projects), '1', 'project 4 purged, project 1 (recorded today) kept');
SELECT is((SELECT string_agg(name, ' ' ORDER BY name) FROM srq_rec
            WHERE coalesce(pg_stat_get_xact_numscans(to_regclass('srq.' || name)), -1) <= scans),
          NULL, 'the retention pass searched each table by its recorded_at index (before: the indexes did not exist)');
RESET enable_seqscan;
-- create_hub run again on a hub made before adds it
DROP INDEX IF EXISTS srq.tl_history_recorded_at_idx;
SELECT count(*) > 0 AS again FROM smartregion.create_hub('srq') \gset
SELECT is(to_regclass('srq.tl_history_recorded_at_idx')::text, 'srq.tl_history_recorded_at_idx',
          'create_hub run again adds the missing recorded_at index');

-- 4. a pseudonymised row past its retention period.  Premises (owner: 3 years, pseudonymise):
-- 1, pat's, recorded a year ago and erased at pat's request; 2, max's, recorded 4 years ago
INSERT INTO srq.premises (id, name, owner, location, territory_code, territory_type, recorded_at) VALUES
  (1, 'Halle', 'pat@example.org', ST_SetSRID(ST_MakePoint(2.30, 48.62), 4326), '91479', 'commune', now() - interval '1 year'),
  (2, 'Atelier', 'max@example.org', ST_SetSRID(ST_MakePoint(2.31, 48.62), 4326), '91479', 'commune', now() - interval '4 years');
SELECT is(pg_temp.as_role('srq_p', $$SELECT smartregion.subject_erase('pat@example.org', 'srq') -> 'erased' -> 0 ->> 'action'$$, true),
          'pseudonymised', 'pat''s premises pseudonymised at pat''s request');
-- three years on: its recorded_at, kept by the erasure, is now past the 3 years (dated back by
-- hand, which sr_recorded_at allows)
UPDATE srq.premises SET recorded_at = now() - interval '4 years' WHERE id = 1;
SELECT owner AS pat_pseudonym FROM srq.premises WHERE id = 1 \gset
SELECT is(pg_temp.as_role('srq_p', $$SELECT string_agg(format('%s %s', action, rows), ', ') FROM smartregion.purge_expired('srq')
                                      WHERE table_name = 'premises' AND reason LIKE 'retention%'$$, true),
          'pseudonymised 1', 'purge_expired pseudonymises max''s premises (4 years old), and counts nothing for pat''s, pseudonymised before');
SELECT is((SELECT owner FROM srq.premises WHERE id = 1), :'pat_pseudonym', 'pat''s premises keep their pseudonym, as they were');
SELECT is((SELECT owner = smartregion.pseudonym('max@example.org', 'srq') FROM srq.premises WHERE id = 2), true,
          'max''s premises now hold max''s pseudonym; both rows are kept');
-- by hand: one line for the premises' retention, 1 row (max's); the erasure's line is pat's request
SELECT is(pg_temp.as_role('srq_p', $$SELECT string_agg(format('%s %s %s', request, action, rows), ', ' ORDER BY id)
                                      FROM smartregion.subject_request_log WHERE hub_schema = 'srq' AND table_name = 'premises'$$),
          'erasure pseudonymised 1, retention pseudonymised 1', 'the record: pat''s erasure, then the retention of max''s row only');
-- the next run finds both rows before the cutoff, pseudonymised: nothing to do, nothing recorded
SELECT is(pg_temp.as_role('srq_p', $$SELECT sum(rows)::text FROM smartregion.purge_expired('srq') WHERE table_name = 'premises'$$, true),
          '0', 'a second run leaves the pseudonymised rows as they are (0 rows, no line recorded)');

-- 5. requests across territories.  By hand: 69381's respondent (role 'maire', restricted, of
-- commune 69381) is the one row a request for 69381's mayor finds, and only a role reading 69381
CREATE ROLE srq_o IN ROLE smartregion_agent;
GRANT SELECT ON smartregion.personal_data, smartregion.catalog, smartregion.dataset, smartregion.provenance,
                smartregion.pseudonym_key TO srq_o;
GRANT INSERT ON smartregion.subject_request_log TO srq_o;
GRANT EXECUTE ON FUNCTION smartregion.subject_export(text, name, text, text), smartregion.subject_erase(text, name, text, text),
                          smartregion.pseudonym(text, name) TO srq_o;
INSERT INTO srq.agents (role_name, territory_code, territory_type) VALUES ('srq_o', '91479', 'commune');
SELECT is(pg_temp.as_role('srq_a', $$SELECT smartregion.subject_export('maire', 'srq', '91479')::text$$),
          '42501', 'an agent is not granted the requests');
SELECT is(pg_temp.as_role('srq_p', $$SELECT jsonb_array_length(smartregion.subject_export('maire', 'srq', '69381') -> 'records' -> 0 -> 'rows')::text$$),
          '1', 'the platform administrator finds 69381''s mayor');
SELECT is(pg_temp.as_role('srq_o', $$SELECT smartregion.subject_export('maire', 'srq', '69381') ->> 'records'$$),
          '[]', '91479''s officer, asking for 69381''s mayor, finds nothing (row-level security holds in a request by territory)');
SELECT is(pg_temp.as_role('srq_o', $$SELECT smartregion.subject_erase('maire', 'srq', '69381') ->> 'status'$$, true),
          'no_data', '... and erases nothing');
SELECT is((SELECT string_agg(role, ',') FROM srq.campaign_respondent WHERE territory_code = '69381'), 'maire',
          '69381''s mayor is still invited as maire');

SELECT * FROM finish();
ROLLBACK;
