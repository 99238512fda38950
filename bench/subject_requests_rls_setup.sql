-- Data subjects' requests under territory security (2026-12-07, h8; docs/performance.md,
-- "Data subjects' requests"), on the hub sr_hub of bench/subject_requests_setup.sql (run that
-- first; bench/purge_expired_setup.sql may run before or after).  As the roles that really run
-- the requests:
--   * sr_bench_padmin, a member of smartregion_platform_admin (the data protection officer):
--     every row, through the group's policy sr_platform_admin (USING (true));
--   * sr_bench_dpo, an agent of the commune 70001 allowed to answer requests as
--     sql/governance.sql's territory officers are (EXECUTE on subject_export, subject_erase and
--     pseudonym, the pseudonym key, INSERT on the record): the territory policies decide
--     which rows it finds (public rows, and its commune's restricted ones).
-- grant_roles enables territory security on the hub (and leaves its protected tables with no
-- planner statistics: enable_territory_security, docs/governance.md#planner-statistics-of-protected-rows).
-- Run: psql -d DB -v ON_ERROR_STOP=1 -f bench/subject_requests_rls_setup.sql; then
-- bench/subject_requests_rls.sh.
SET client_min_messages = warning;
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('sr_hub');
DO $$
BEGIN
  IF to_regrole('sr_bench_padmin') IS NULL THEN
    CREATE ROLE sr_bench_padmin IN ROLE smartregion_platform_admin;
  END IF;
  IF to_regrole('sr_bench_dpo') IS NULL THEN
    CREATE ROLE sr_bench_dpo IN ROLE smartregion_agent;
  END IF;
END $$;
GRANT SELECT ON smartregion.personal_data, smartregion.catalog, smartregion.dataset, smartregion.provenance,
                smartregion.pseudonym_key TO sr_bench_dpo;
GRANT INSERT ON smartregion.subject_request_log TO sr_bench_dpo;
GRANT EXECUTE ON FUNCTION smartregion.subject_export(text, name, text, text), smartregion.subject_erase(text, name, text, text),
                          smartregion.pseudonym(text, name) TO sr_bench_dpo;
INSERT INTO sr_hub.agents (role_name, territory_code, territory_type)
SELECT 'sr_bench_dpo', '70001', 'commune'
 WHERE NOT EXISTS (SELECT 1 FROM sr_hub.agents WHERE role_name = 'sr_bench_dpo');
-- the pseudonym key made now, not inside the first timed call
SELECT smartregion.pseudonym('x', 'sr_hub') IS NOT NULL AS key;
-- what each role reads (the territory policies at work)
SET ROLE sr_bench_dpo;
SELECT (SELECT count(*) FROM sr_hub.campaign_respondent) AS dpo_respondents,
       (SELECT count(*) FROM sr_hub.campaign_answer) AS dpo_answers,
       (SELECT count(*) FROM sr_hub.maturity_answer) AS dpo_maturity_answers,
       (SELECT count(*) FROM sr_hub.projects) AS dpo_projects;
RESET ROLE;
