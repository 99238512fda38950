-- purge_expired's retention pass at scale (2026-12-07, h8; docs/performance.md, "Data subjects'
-- requests"), on the hub sr_hub of bench/subject_requests_setup.sql (run that first).
-- A hub in daily use for its retention periods and one day more: each table's recorded_at is
-- spread evenly, by a deterministic key, over the last retention + 1 day (projects: 2 years,
-- the others 3 years), so a daily purge_expired finds one day's rows expired (1/732 of the
-- projects, 1/1098 of the other tables) and pseudonymises, clears or deletes them.
-- Then the recorded_at indexes as create_hub makes them since this build (IF NOT EXISTS: a
-- database made by an older build gets them here), VACUUM ANALYZE.
-- Run: psql -d DB -v ON_ERROR_STOP=1 -f bench/purge_expired_setup.sql; then bench/purge_expired.sh.
SET client_min_messages = warning;
-- (the trigger sr_recorded_at lets a writer move recorded_at back, never forward)
UPDATE sr_hub.projects SET recorded_at = now() - make_interval(days => (id % 732)::int);
UPDATE sr_hub.premises SET recorded_at = now() - make_interval(days => (id % 1098)::int);
UPDATE sr_hub.campaign_respondent SET recorded_at = now() - make_interval(days => (id % 1098)::int);
UPDATE sr_hub.campaign_answer SET recorded_at = now() - make_interval(days => (respondent_id % 1098)::int);
UPDATE sr_hub.maturity_answer SET recorded_at = now() - make_interval(days => (territory_code::int % 1098)::int);
DO $$
DECLARE t name;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c
            WHERE c.relnamespace = 'sr_hub'::regnamespace AND c.relkind = 'r' AND c.relname <> 'consents'
              AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'recorded_at' AND NOT a.attisdropped) LOOP
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON sr_hub.%I (recorded_at)', t || '_recorded_at_idx', t);
  END LOOP;
END $$;
VACUUM ANALYZE sr_hub.projects, sr_hub.premises, sr_hub.campaign_respondent, sr_hub.campaign_answer, sr_hub.maturity_answer;
-- what a run finds expired (each call of bench/purge_expired.sh is rolled back)
SELECT (SELECT count(*) FROM sr_hub.projects WHERE recorded_at < now() - interval '2 years') AS projects_expired,
       (SELECT count(*) FROM sr_hub.premises WHERE recorded_at < now() - interval '3 years') AS premises_expired,
       (SELECT count(*) FROM sr_hub.campaign_respondent WHERE recorded_at < now() - interval '3 years') AS respondents_expired,
       (SELECT count(*) FROM sr_hub.campaign_answer WHERE recorded_at < now() - interval '3 years' AND comment IS NOT NULL) AS comments_expired,
       (SELECT count(*) FROM sr_hub.maturity_answer WHERE recorded_at < now() - interval '3 years') AS maturity_answers_expired;
