-- Data subjects' requests at scale (2026-12-07, h2): subject_export, subject_erase and a
-- consent withdrawal on a synthetic hub of the size the review of plans measured (520,000
-- self-diagnosis answers).  Deterministic: no random().
--   * 20,000 synthetic communes (70001..90000, département 35), one campaign of the default
--     framework (2026) organised by département 35, each commune invited as 'maire' and as
--     'DGS' (40,000 respondents); every respondent saves all 13 declarative questions
--     (520,000 answers in campaign_answer), every answer of each 40th row a comment naming
--     'Agent<k>' (13,000 comments); their 520,000 answers in maturity_answer as a submission
--     writes them (respondent 'campaign 1, respondent <id>');
--   * 100,000 projects (holder 'holder<k>@example.org', k = id % 50,000: 2 projects each,
--     territory the commune 70001 + id % 20,000) and 50,000 premises (owner
--     'owner<k>@example.org', one each); a consent 'tiers_lieux_matching' for holders 1..100.
-- Then ANALYZE (as a superuser would; territory security is not enabled: the calls run as
-- the owner, without policies, as the platform's DPO would with BYPASSRLS).
-- Run: psql -d DB -v ON_ERROR_STOP=1 -f bench/subject_requests_setup.sql (a database with smartregion);
-- then bench/subject_requests.sql.
SET client_min_messages = warning;
SELECT count(*) FROM smartregion.load_territories(
  (SELECT json_agg(json_build_object('code', (70000 + i)::text, 'nom', 'Commune ' || i,
                                     'departement', '35', 'region', '53', 'population', 1000 + i))
     FROM generate_series(1, 20000) i)::jsonb,
  '[]', '[{"code":"35","nom":"Ille-et-Vilaine","region":"53"}]', '[{"code":"53","nom":"Bretagne"}]');
SELECT count(*) > 0 AS created FROM smartregion.create_hub('sr_hub');
INSERT INTO sr_hub.campaign (framework, year, title, opens_on, closes_on, territory_type, territory_code)
VALUES ('default', 2026, 'Autodiagnostic 2026', current_date - 7, current_date + 30, 'departement', '35');
INSERT INTO sr_hub.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash)
SELECT c.id, 'commune', (70000 + i)::text, r, sha256(convert_to(c.id || '/' || i || '/' || r, 'UTF8'))
  FROM sr_hub.campaign c, generate_series(1, 20000) i, unnest(ARRAY['maire', 'DGS']) r;
INSERT INTO sr_hub.campaign_answer (respondent_id, indicator, answer, comment)
SELECT r.id, q.indicator, 1 + (r.id + q.position) % 5,
       CASE WHEN (r.id * 13 + q.position) % 40 = 0 THEN 'Voir avec Agent' || r.id || ' pour le suivi.' END
  FROM sr_hub.campaign_respondent r
 CROSS JOIN smartregion.maturity_indicator q
 WHERE q.framework = 'default' AND q.kind = 'declarative';
UPDATE sr_hub.campaign_respondent SET started_at = now();
-- the submitted answers, written in one statement as the submission trigger
-- (_campaign_submitted) writes each respondent's: submitting the 40,000 respondents one
-- trigger at a time ran over 9 minutes under load; the drafts stay drafts (the requests
-- read campaign_answer's comments whatever their status)
INSERT INTO sr_hub.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source)
SELECT a.indicator, r.territory_type, r.territory_code, c.year, format('campaign %s, respondent %s', c.id, r.id), a.answer,
       format('self-diagnosis campaign %s "%s" (%s %s)', c.id, c.title, c.framework, c.framework_version)
  FROM sr_hub.campaign_answer a JOIN sr_hub.campaign_respondent r ON r.id = a.respondent_id
  JOIN sr_hub.campaign c ON c.id = r.campaign_id;
INSERT INTO sr_hub.projects (id, name, holder, territory_code, territory_type)
SELECT i, 'Projet ' || i, 'holder' || (i % 50000) || '@example.org', (70001 + i % 20000)::text, 'commune'
  FROM generate_series(1, 100000) i;
INSERT INTO sr_hub.premises (id, name, owner, location, territory_code, territory_type)
SELECT i, 'Local ' || i, 'owner' || i || '@example.org',
       ST_SetSRID(ST_MakePoint(-1.7 + (i % 200) * 0.001, 48.1 + (i / 200) * 0.001), 4326),
       (70001 + i % 20000)::text, 'commune'
  FROM generate_series(1, 50000) i;
INSERT INTO sr_hub.consents (subject, purpose)
SELECT 'holder' || i || '@example.org', 'tiers_lieux_matching' FROM generate_series(1, 100) i;
ANALYZE sr_hub.campaign_respondent, sr_hub.campaign_answer, sr_hub.maturity_answer, sr_hub.projects,
        sr_hub.premises, sr_hub.consents, sr_hub.tl_history;
SELECT (SELECT count(*) FROM sr_hub.campaign_respondent) AS respondents,
       (SELECT count(*) FROM sr_hub.campaign_answer) AS answers,
       (SELECT count(*) FROM sr_hub.campaign_answer WHERE comment IS NOT NULL) AS comments,
       (SELECT count(*) FROM sr_hub.maturity_answer) AS maturity_answers,
       (SELECT count(*) FROM sr_hub.projects) AS projects,
       (SELECT count(*) FROM sr_hub.premises) AS premises;
