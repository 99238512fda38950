-- Demo of the self-diagnosis campaigns (issue 21): two yearly campaigns of the framework
-- "demo" answered by three communes of Rennes Métropole (Rennes, Cesson-Sévigné, Bruz),
-- their progress, trends, the communes of Ille-et-Vilaine that moved most, the radar with
-- last year's polygon and a report in French.  The ANSWERS ARE SYNTHETIC (deterministic,
-- drawn from a hash of the commune and the question); the other values are those of
-- demo-maturity.sql (real ARCEP FttH and tiers-lieux, synthetic elsewhere).
-- Run by `make demo` after demo-maturity.sql (hub "hub").
SET client_min_messages = warning;
\pset footer off

-- an answer 1-5: the commune's synthetic 2024 self-assessment (demo-maturity.sql) in 2025, one
-- point better in 2026 for about a third of the questions (seeded hash, deterministic), and
-- the elected official one point more optimistic than the DGS on a few
CREATE FUNCTION pg_temp.answer(code text, role text, indicator text, year int) RETURNS int LANGUAGE sql STABLE AS $$
  SELECT least(5, greatest(1,
           coalesce((SELECT round(avg(a.answer))::int FROM hub.maturity_answer a
                      WHERE a.territory_type = 'commune' AND a.territory_code = code AND a.indicator = answer.indicator
                        AND a.year = 2024), 3)
           + CASE WHEN year = 2026 AND ('x' || substr(md5(code || indicator || 'up'), 1, 2))::bit(8)::int < 86 THEN 1 ELSE 0 END
           + CASE WHEN role <> 'DGS' AND ('x' || substr(md5(code || indicator || role), 1, 2))::bit(8)::int < 40 THEN 1 ELSE 0 END))
$$;

CREATE TEMP TABLE invited (campaign bigint, code text, role text, token text);
DO $$
DECLARE
  y int; cid bigint; c text; r text;
BEGIN
  FOREACH y IN ARRAY ARRAY[2025, 2026] LOOP
    INSERT INTO hub.campaign (framework, year, title, opens_on, closes_on, territory_code)
    VALUES ('demo', y, 'Autodiagnostic numérique ' || y, current_date - 7, current_date + 30, '35')
    RETURNING id INTO cid;
    FOREACH c IN ARRAY ARRAY['35238', '35051', '35047'] LOOP
      FOREACH r IN ARRAY ARRAY['élu au numérique', 'DGS'] LOOP
        INSERT INTO invited SELECT cid, c, r, i.token FROM smartregion.campaign_invite(cid, c, r) i;
      END LOOP;
    END LOOP;
  END LOOP;
END $$;
-- every respondent saves a draft of each question; Bruz's DGS never submits in 2026
SELECT count(*) AS drafts_saved FROM (
  SELECT smartregion.campaign_save(i.token, q.indicator, pg_temp.answer(i.code, i.role, q.indicator, c.year))
    FROM invited i JOIN hub.campaign c ON c.id = i.campaign
   CROSS JOIN LATERAL smartregion.campaign_questionnaire(i.token) q) s;
SELECT count(*) AS respondents_submitted, sum(n) AS answers_submitted FROM (
  SELECT smartregion.campaign_submit(i.token) AS n FROM invited i JOIN hub.campaign c ON c.id = i.campaign
   WHERE NOT (c.year = 2026 AND i.code = '35047' AND i.role = 'DGS')) s;

\echo
\echo 'A question of the bank, as a respondent sees it:'
SELECT question_no, axis_label, question, answer_labels, answer, status
  FROM smartregion.campaign_questionnaire((SELECT token FROM invited WHERE code = '35238' AND role = 'DGS' ORDER BY campaign DESC LIMIT 1))
 WHERE indicator = 'open_data_policy';
\echo 'Progress of the campaigns:'
SELECT title, state, invited, started, submitted, round(100 * submitted_share) AS "submitted %", answers_submitted
  FROM smartregion.campaign_progress();
-- the 2025 campaign is over
SELECT smartregion.campaign_close(id) FROM hub.campaign WHERE year = 2025;
\echo 'A closed campaign refuses changes:'
DO $$
BEGIN
  PERFORM smartregion.campaign_save((SELECT token FROM invited i JOIN hub.campaign c ON c.id = i.campaign
                                      WHERE c.year = 2025 LIMIT 1), 'lab_in_place', 5);
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
SELECT count(*) AS tokens_stored_in_clear
  FROM hub.campaign_respondent r, invited i WHERE strpos(to_jsonb(r)::text, i.token) > 0;

\echo 'Trends of the three communes (overall score; years with data: 2018 ARCEP, 2024 synthetic, 2025 and 2026 campaigns):'
SELECT t.code, t.name, tr.year, round(tr.score::numeric, 1) AS score, tr.level_label, tr.rank || '/' || tr.ranked AS rank,
       round(tr.change_previous::numeric, 1) AS change, round(tr.change_total::numeric, 1) AS since_first,
       round(tr.peers_median::numeric, 1) AS peers_median
  FROM smartregion.territory t, smartregion.maturity_trend(t.code, 'demo', '{"from_year": 2024}') tr
 WHERE t.type = 'commune' AND t.code IN ('35238', '35051', '35047') AND tr.axis = 'overall'
 ORDER BY t.code, tr.year;
\echo 'Rennes axis by axis, 2025 -> 2026:'
SELECT axis, round(score::numeric, 1) AS score_2026, round(change_previous::numeric, 1) AS change, round(peers_median::numeric, 1) AS peers_median
  FROM smartregion.maturity_trend('35238', 'demo', '{"from_year": 2025}') WHERE axis <> 'overall' AND year = 2026;
\echo 'The communes of Ille-et-Vilaine that moved most, 2025 -> 2026:'
SELECT territory_code, territory_name, round(score_from::numeric, 1) AS "2025", round(score_to::numeric, 1) AS "2026",
       round(change::numeric, 1) AS change, rank_from, rank_to
  FROM smartregion.maturity_movers(2025, 2026, 'demo', '{"departement": "35"}', 5);

\pset format unaligned
\pset tuples_only on
\o .tmp/maturity-radar-2026.svg
SELECT smartregion.maturity_radar_svg('35238', 'demo', 2026, '{"compare_year": 2025}');
\o .tmp/maturity-report-35238.html
SELECT smartregion.maturity_report('35238', 'demo', 2026);
\o
\pset format aligned
\pset tuples_only off
\echo 'Radar of Rennes 2026 over 2025 written to .tmp/maturity-radar-2026.svg; its report in French to .tmp/maturity-report-35238.html'
