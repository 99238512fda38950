-- campaign_progress on a synthetic hub (2026-12-07, h12): 2 campaigns of the default framework
-- organised by département 35, each inviting 4,000 synthetic communes (90001..94000) x 2 roles
-- (16,000 respondents); every respondent but each 25th saves all 13 declarative questions
-- (199,680 answers: 15,360 x 13), every second one submits (the answers become submitted).
-- Territory security is then enabled (its policies; the tables of restricted rows lose their
-- planner statistics: _hub_table_no_statistics). Agents: cp_organiser (département 35: the whole campaigns through
-- the organiser policies) and cp_commune (commune 90001: its own respondents).
-- Run: psql -d DB -f bench/campaign_progress_setup.sql (a database with smartregion).
SET client_min_messages = warning;
SELECT count(*) FROM smartregion.load_territories(
  (SELECT json_agg(json_build_object('code', (90000 + i)::text, 'nom', 'Commune ' || i,
                                     'departement', '35', 'region', '53', 'population', 1000 + i))
     FROM generate_series(1, 4000) i)::jsonb,
  '[]', '[{"code":"35","nom":"Ille-et-Vilaine","region":"53"}]', '[{"code":"53","nom":"Bretagne"}]');
SELECT count(*) > 0 AS created FROM smartregion.create_hub('cp_hub');
INSERT INTO cp_hub.campaign (framework, year, title, opens_on, closes_on, territory_type, territory_code)
SELECT 'default', y, 'Autodiagnostic ' || y, current_date - 7, current_date + 30, 'departement', '35'
  FROM generate_series(2025, 2026) y;
INSERT INTO cp_hub.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash)
SELECT c.id, 'commune', (90000 + i)::text, r, sha256(convert_to(c.id || '/' || i || '/' || r, 'UTF8'))
  FROM cp_hub.campaign c, generate_series(1, 4000) i, unnest(ARRAY['maire', 'DGS']) r;
INSERT INTO cp_hub.campaign_answer (respondent_id, indicator, answer)
SELECT r.id, q.indicator, 1 + (r.id + q.position) % 5
  FROM cp_hub.campaign_respondent r
 CROSS JOIN smartregion.maturity_indicator q
 WHERE q.framework = 'default' AND q.kind = 'declarative' AND r.id % 25 <> 0;
UPDATE cp_hub.campaign_respondent SET started_at = now() WHERE id % 25 <> 0;
UPDATE cp_hub.campaign_respondent SET submitted_at = now() WHERE id % 2 = 0 AND id % 25 <> 0;
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cp_organiser') THEN CREATE ROLE cp_organiser; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'cp_commune') THEN CREATE ROLE cp_commune; END IF;
END $$;
GRANT USAGE ON SCHEMA cp_hub, smartregion TO cp_organiser, cp_commune;
GRANT SELECT ON ALL TABLES IN SCHEMA cp_hub TO cp_organiser, cp_commune;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO cp_organiser, cp_commune;
INSERT INTO cp_hub.agents (role_name, territory_code, territory_type) VALUES
  ('cp_organiser', '35', 'departement'), ('cp_commune', '90001', 'commune');
-- territory security (policies; it also removes the statistics of the tables of restricted rows)
SELECT count(*) AS secured FROM smartregion.enable_territory_security('cp_hub');
SELECT (SELECT count(*) FROM cp_hub.campaign_respondent) AS respondents,
       (SELECT count(*) FROM cp_hub.campaign_answer) AS answers,
       (SELECT count(*) FROM cp_hub.campaign_answer WHERE status = 'submitted') AS submitted;
