-- Self-diagnosis campaigns and trends (issue 21): the rules the database
-- enforces (closed campaigns immutable, answers submitted once, tokens never
-- stored in clear) and trends computed by hand.
--   framework sv: axis a (0.4): q1 declarative (1)
--                 axis b (0.4): q2 declarative (0.5), v1 quantitative 0-100 (0.5)
--                 axis c (0.2): v2 quantitative, never given: the axis drops out and a, b
--                 weigh 0.5 each (re-weighting); it is there because a radar needs 3 axes
--   2023: A (35001) answers q1 2 and 4 (two respondents, mean 3 -> 50), q2 4 and 4 (75), v1 40
--           -> 0.5*50 + 0.5*(0.5*75 + 0.5*40) = 53.75
--         B (35002) q1 5 (100), q2 3 (50), v1 80 -> 0.5*100 + 0.5*(25 + 40) = 82.5
--         C (35003) saves a draft but never submits; v1 10 -> axis b only: 10
--   2024: A q1 5 (100), q2 5 (100), v1 60 -> 0.5*100 + 0.5*(50 + 30) = 90
--         B q1 4 (75), q2 3 (50), v1 80 (2023's, latest known) -> 37.5 + 32.5 = 70; C 10
-- the roles this test makes, left in the cluster by a run stopped half-way (roles outlive
-- the database): dropped first, so that the test runs again
SET client_min_messages = warning;
DROP ROLE IF EXISTS sv_agent_alpha;
RESET client_min_messages;
SET client_min_messages = warning;
SET extra_float_digits = 0;

-- an error as "SQLSTATE: message", so that every refusal shows its code
CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;

SELECT * FROM smartregion.load_territories(
  '[{"code":"35001","nom":"Alpha","departement":"35","region":"53","population":1000},
    {"code":"35002","nom":"Beta","departement":"35","region":"53","population":1200},
    {"code":"35003","nom":"Gamma","departement":"35","region":"53","population":900}]',
  '[{"code":"200000009","nom":"CC Test","populationMunicipale":3100,"membres":[{"code":"35001"},{"code":"35002"},{"code":"35003"}]}]',
  '[{"code":"35","nom":"Ille-et-Vilaine","region":"53"}]',
  '[{"code":"53","nom":"Bretagne"}]');

-- framework and question bank --------------------------------------------------------------
INSERT INTO smartregion.maturity_framework (name, version, description) VALUES ('sv', '2.1', 'campaign test');
INSERT INTO smartregion.maturity_axis (framework, axis, position, label, weight) VALUES
  ('sv', 'a', 1, 'Axis A', 0.4), ('sv', 'b', 2, 'Axis B', 0.4), ('sv', 'c', 3, 'Axis C', 0.2);
INSERT INTO smartregion.maturity_indicator (framework, indicator, axis, position, label, kind, goal_min, goal_max, weight) VALUES
  ('sv', 'q1', 'a', 1, 'Question 1', 'declarative', 1, 5, 1.0),
  ('sv', 'q2', 'b', 1, 'Question 2', 'declarative', 1, 5, 0.5),
  ('sv', 'v1', 'b', 2, 'Value 1', 'quantitative', 0, 100, 0.5),
  ('sv', 'v2', 'c', 1, 'Value 2', 'quantitative', 0, 100, 1.0);
INSERT INTO smartregion.maturity_level (framework, level, min_score, label)
  SELECT 'sv', level, min_score, label FROM smartregion.maturity_level WHERE framework = 'default';
INSERT INTO smartregion.maturity_question (framework, indicator, question, answer_labels, help) VALUES
  ('sv', 'q1', 'Avez-vous un lab ?', ARRAY['non', 'projet', 'ponctuel', 'régulier', 'pérenne'], 'aide 1'),
  ('sv', 'q2', 'Ouvrez-vous vos données ?', ARRAY['non', 'un peu', 'moitié', 'souvent', 'par défaut'], NULL);
INSERT INTO smartregion.maturity_label (framework, kind, key, label) VALUES
  ('sv', 'axis', 'a', 'Axe A'), ('sv', 'axis', 'b', 'Axe B'), ('sv', 'level', '5', 'optimisé');
-- four answer labels are refused
SELECT pg_temp.try($$INSERT INTO smartregion.maturity_question (framework, indicator, question, answer_labels)
                     VALUES ('sv', 'v1', 'x', ARRAY['1', '2', '3', '4'])$$);
-- the built-in bank: every declarative indicator of the default framework has its question and five labels
SELECT count(*) AS questions, count(*) FILTER (WHERE cardinality(q.answer_labels) = 5) AS with_five_labels,
       (SELECT count(*) FROM smartregion.maturity_indicator i WHERE i.framework = 'default' AND i.kind = 'declarative') AS declarative
  FROM smartregion.maturity_question q WHERE q.framework = 'default';
-- the bank is copied with its framework
SELECT smartregion.maturity_copy_framework('sv', 'sv_copy', '2.2');
SELECT framework, indicator, question, answer_labels[5] FROM smartregion.maturity_question
 WHERE framework IN ('sv', 'sv_copy') ORDER BY 1, 2;
SELECT count(*) AS labels_copied FROM smartregion.maturity_label WHERE framework = 'sv_copy';

-- hub, campaign 2023 -----------------------------------------------------------------------
SELECT count(*) AS hub_tables FROM smartregion.create_hub('sv_hub');
INSERT INTO sv_hub.maturity_value (indicator, territory_type, territory_code, year, value, source) VALUES
  ('v1', 'commune', '35001', 2023, 40, 'test'), ('v1', 'commune', '35001', 2024, 60, 'test'),
  ('v1', 'commune', '35002', 2023, 80, 'test'), ('v1', 'commune', '35003', 2023, 10, 'test');
INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on, territory_code)
VALUES ('sv', 2023, 'Autodiagnostic 2023', current_date - 10, current_date + 10, '35') RETURNING id AS c23 \gset
SELECT framework, framework_version, year, smartregion._campaign_state(closed_at, opens_on, closes_on) AS state
  FROM sv_hub.campaign;
SELECT pg_temp.try($$INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on)
                     VALUES ('nope', 2023, 'x', current_date, current_date)$$) AS unknown_framework;
SELECT pg_temp.try($$INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on)
                     VALUES ('sv', 2023, 'x', current_date, current_date - 1)$$) AS dates_reversed;
-- an infinite date is refused (22008), as thd_deadline's: 'infinity' was accepted, a campaign
-- closing on no day (the inserts are at the end: a refused insert takes an id)
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET closes_on = %L WHERE id = %s', 'infinity', :c23)) AS update_closes_never;
SELECT closes_on = current_date + 10 AS closes_on_kept FROM sv_hub.campaign WHERE id = :c23;

SELECT token AS tok_a1 FROM smartregion.campaign_invite(:c23, '35001', 'maire', 'sv_hub') \gset
SELECT token AS tok_a2 FROM smartregion.campaign_invite(:c23, '35001', 'DGS', 'sv_hub') \gset
SELECT token AS tok_b FROM smartregion.campaign_invite(:c23, 'commune:35002', 'maire', 'sv_hub') \gset
SELECT token AS tok_c FROM smartregion.campaign_invite(:c23, '35003', 'maire', 'sv_hub') \gset
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', :c23, '35001', 'maire', 'sv_hub')) AS same_role_twice;
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', :c23, '99999', 'maire', 'sv_hub')) AS unknown_territory;
-- the hub is resolved first (until 2026-12-07 the territory was, and a mistaken or NULL hub with
-- an unknown territory said only "territory does not exist"): expected, by the rule of
-- docs/governance.md#null-arguments, 42P01 naming the hub's missing campaign table, then 22004
-- naming the argument "hub"; a known hub and a missing campaign: 42704 for the campaign
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', :c23, '99999', 'maire', 'no_such_hub')) AS wrong_hub_first;
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, NULL)', :c23, '99999', 'maire')) AS null_hub_first;
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(NULL, %L, %L, NULL)', '99999', 'maire')) AS null_hub_before_null_campaign;
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', -1, '99999', 'maire', 'sv_hub')) AS campaign_before_territory;
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', :c23, '35001', '', 'sv_hub')) AS no_role;

-- tokens: 64 hexadecimal characters, never stored: only their SHA-256
SELECT length(:'tok_a1') AS token_length, :'tok_a1' ~ '^[0-9a-f]{64}$' AS hexadecimal,
       :'tok_a1' <> :'tok_a2' AS distinct_tokens;
SELECT r.role, r.token_hash = sha256(convert_to(:'tok_a1', 'UTF8')) AS hash_of_token
  FROM sv_hub.campaign_respondent r WHERE r.role = 'maire' AND r.territory_code = '35001';
SELECT pg_temp.try($$UPDATE sv_hub.campaign_respondent SET token_hash = sha256('x') WHERE role = 'maire' AND territory_code = '35001'$$) AS change_token;
SELECT pg_temp.try($$INSERT INTO sv_hub.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash)
                     VALUES ((SELECT min(id) FROM sv_hub.campaign), 'commune', '35001', 'élu', 'clear-text token')$$) AS clear_token;

-- the questionnaire of a token
SELECT question_no, axis_label, indicator, question, answer_labels[1] AS label_1, help, answer, status
  FROM smartregion.campaign_questionnaire(:'tok_a1', 'sv_hub');
SELECT pg_temp.try(format('SELECT * FROM smartregion.campaign_questionnaire(%L, %L)', 'wrong token', 'sv_hub')) AS bad_token;

-- drafts, then submission
SELECT smartregion.campaign_save(:'tok_a1', 'q1', 1, NULL, 'sv_hub');
SELECT smartregion.campaign_save(:'tok_a1', 'q1', 2, 'premier essai corrigé', 'sv_hub');
SELECT smartregion.campaign_save(:'tok_a1', 'q2', 4, NULL, 'sv_hub');
SELECT smartregion.campaign_save(:'tok_a2', 'q1', 4, NULL, 'sv_hub');
SELECT smartregion.campaign_save(:'tok_a2', 'q2', 4, NULL, 'sv_hub');
SELECT smartregion.campaign_save(:'tok_b', 'q1', 5, NULL, 'sv_hub');
SELECT smartregion.campaign_save(:'tok_b', 'q2', 3, NULL, 'sv_hub');
SELECT smartregion.campaign_save(:'tok_c', 'q1', 3, NULL, 'sv_hub');
SELECT smartregion.campaign_save(:'tok_c', 'q2', NULL, NULL, 'sv_hub');
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 6, NULL, %L)', :'tok_a1', 'q1', 'sv_hub')) AS answer_6;
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 3, NULL, %L)', :'tok_a1', 'v1', 'sv_hub')) AS quantitative;
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 3, NULL, %L)', :'tok_a1', 'zz', 'sv_hub')) AS unknown_question;
SELECT pg_temp.try($$UPDATE sv_hub.campaign_answer SET status = 'submitted' WHERE respondent_id = (SELECT min(id) FROM sv_hub.campaign_respondent)$$) AS submit_by_hand;
SELECT count(*) AS answers_before_submission FROM sv_hub.maturity_answer;
SELECT pg_temp.try(format('SELECT smartregion.campaign_submit(%L, %L)', :'tok_a1', 'sv_hub')) AS submit_a1;
SELECT smartregion.campaign_submit(:'tok_a2', 'sv_hub') AS submitted_a2, smartregion.campaign_submit(:'tok_b', 'sv_hub') AS submitted_b;
-- submitted once, then immutable
SELECT pg_temp.try(format('SELECT smartregion.campaign_submit(%L, %L)', :'tok_a1', 'sv_hub')) AS submit_again;
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 5, NULL, %L)', :'tok_a1', 'q1', 'sv_hub')) AS change_after_submit;
SELECT pg_temp.try($$UPDATE sv_hub.campaign_answer SET answer = 1 WHERE respondent_id = (SELECT id FROM sv_hub.campaign_respondent WHERE territory_code = '35002')$$) AS update_submitted;
SELECT pg_temp.try($$DELETE FROM sv_hub.campaign_answer WHERE respondent_id = (SELECT id FROM sv_hub.campaign_respondent WHERE territory_code = '35002')$$) AS delete_submitted;
-- an answer inserted as submitted after the submission (the audit: it skipped the checks,
-- named no question and never reached maturity_answer)
SELECT pg_temp.try($$INSERT INTO sv_hub.campaign_answer (respondent_id, indicator, answer, status)
                     SELECT id, 'no_such_indicator', 5, 'submitted' FROM sv_hub.campaign_respondent WHERE territory_code = '35002'$$)
  AS insert_submitted;
SELECT pg_temp.try($$UPDATE sv_hub.campaign_respondent SET submitted_at = NULL WHERE territory_code = '35002'$$) AS unsubmit;
SELECT pg_temp.try($$DELETE FROM sv_hub.campaign_respondent WHERE territory_code = '35002'$$) AS remove_submitted;
-- submitted answers feed the observatory (one row per respondent)
SELECT indicator, territory_code, year, respondent, answer, source FROM sv_hub.maturity_answer ORDER BY 2, 1, 4;
SELECT r.territory_code, r.role, a.indicator, a.answer, a.comment, a.status, a.submitted_at IS NOT NULL AS submitted
  FROM sv_hub.campaign_answer a JOIN sv_hub.campaign_respondent r ON r.id = a.respondent_id ORDER BY 1, 2, 3;
SELECT title, state, invited, started, submitted, round(submitted_share::numeric, 2) AS share,
       territories_invited, territories_submitted, answers_submitted
  FROM smartregion.campaign_progress('sv_hub');
-- the answers are read once, grouped by respondent: one scan of campaign_answer for the call
-- (pg_stat_user_tables, flushed), not one per respondent (4 here: until 2026-12-07 a subquery
-- per respondent probed campaign_answer, 4 scans; 16,000 for 16,000 respondents)
SELECT pg_stat_force_next_flush();
SELECT (SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relid = 'sv_hub.campaign_answer'::regclass) AS scans_before \gset
SELECT count(*) AS campaigns FROM smartregion.campaign_progress('sv_hub');
SELECT pg_stat_force_next_flush();
SELECT (SELECT count(*) FROM sv_hub.campaign_respondent) AS respondents,
       (SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relid = 'sv_hub.campaign_answer'::regclass)
       - :scans_before AS answer_scans;

-- a closed campaign refuses every change -------------------------------------------------------
SELECT smartregion.campaign_close(:c23, 'sv_hub');
SELECT state FROM smartregion.campaign_progress('sv_hub');
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 4, NULL, %L)', :'tok_c', 'q1', 'sv_hub')) AS save_draft;
SELECT pg_temp.try(format('SELECT smartregion.campaign_submit(%L, %L)', :'tok_c', 'sv_hub')) AS submit;
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', :c23, '35003', 'DGS', 'sv_hub')) AS invite;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET title = %L WHERE id = %s', 'x', :c23)) AS update_campaign;
-- (reopening changes closed_at and closes_on only: campaign_reopen, below)
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET closed_at = NULL, title = %L WHERE id = %s', 'rouverte', :c23)) AS reopen_and_retitle;
SELECT pg_temp.try(format('DELETE FROM sv_hub.campaign WHERE id = %s', :c23)) AS delete_campaign;
SELECT pg_temp.try($$UPDATE sv_hub.campaign_respondent SET role = 'x' WHERE territory_code = '35003'$$) AS update_respondent;
SELECT pg_temp.try($$DELETE FROM sv_hub.campaign_respondent WHERE territory_code = '35003'$$) AS delete_respondent;
SELECT pg_temp.try($$DELETE FROM sv_hub.campaign_answer WHERE territory_code = '35003'$$) AS delete_draft;
SELECT pg_temp.try(format('SELECT smartregion.campaign_close(%s, %L)', :c23, 'sv_hub')) AS close_again;
-- ... but for clearing a comment: the register's retention (3 years) clears them, the answers
-- kept (4 years are simulated: recorded_at dated back with the campaign's trigger off)
SELECT pg_temp.try($$UPDATE sv_hub.campaign_answer SET comment = 'réécrit' WHERE comment IS NOT NULL$$) AS rewrite_comment;
SELECT pg_temp.try($$UPDATE sv_hub.campaign_answer SET comment = NULL, answer = 1 WHERE comment IS NOT NULL$$) AS clear_and_change;
ALTER TABLE sv_hub.campaign_answer DISABLE TRIGGER sr_campaign_answer_check;
UPDATE sv_hub.campaign_answer SET recorded_at = now() - interval '4 years' WHERE comment IS NOT NULL;
ALTER TABLE sv_hub.campaign_answer ENABLE TRIGGER sr_campaign_answer_check;
SELECT action, rows FROM smartregion.purge_expired('sv_hub') WHERE table_name = 'campaign_answer';
SELECT r.territory_code, a.indicator, a.answer, a.comment, a.status FROM sv_hub.campaign_answer a
  JOIN sv_hub.campaign_respondent r ON r.id = a.respondent_id WHERE a.recorded_at < now() - interval '3 years';
SELECT table_name, column_name, action, rows, reason FROM smartregion.subject_request_log
 WHERE hub_schema = 'sv_hub' AND table_name = 'campaign_answer';
-- a campaign whose closing date has passed is closed too
INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on) VALUES ('sv', 2022, 'passée', '2022-01-01', '2022-03-31')
RETURNING id AS c22 \gset
SELECT pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', :c22, '35001', 'maire', 'sv_hub')) AS past_campaign;
-- an upcoming campaign takes invitations, not answers
INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on) VALUES ('sv', 2025, 'à venir', current_date + 30, current_date + 60)
RETURNING id AS c25 \gset
SELECT token AS tok_up FROM smartregion.campaign_invite(:c25, '35001', 'maire', 'sv_hub') \gset
SELECT regexp_replace(pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 4, NULL, %L)', :'tok_up', 'q1', 'sv_hub')),
                      '[0-9]{4}-[0-9]{2}-[0-9]{2}', '(opening date)') AS upcoming;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET year = 2026 WHERE id = %s', :c25)) AS change_year;

-- campaign 2024 ------------------------------------------------------------------------------
INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on) VALUES ('sv', 2024, 'Autodiagnostic 2024', current_date - 1, current_date + 1)
RETURNING id AS c24 \gset
SELECT token AS tok24_a FROM smartregion.campaign_invite(:c24, '35001', 'maire', 'sv_hub') \gset
SELECT token AS tok24_b FROM smartregion.campaign_invite(:c24, '35002', 'maire', 'sv_hub') \gset
SELECT token AS tok24_c FROM smartregion.campaign_invite(:c24, '35003', 'maire', 'sv_hub') \gset
-- the territory security of the hub applies to the campaign tables: an agent of Alpha (35001)
-- answers for Alpha, not for Gamma, whatever token it holds (Gamma's respondent is a
-- restricted row Alpha's agent does not see: its token is not valid for it)
CREATE ROLE sv_agent_alpha;
GRANT USAGE ON SCHEMA sv_hub, smartregion TO sv_agent_alpha;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA sv_hub TO sv_agent_alpha;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO sv_agent_alpha;   -- reference data (frameworks, questions)
INSERT INTO sv_hub.agents VALUES ('sv_agent_alpha', '35001');
SELECT count(*) AS secured_tables FROM smartregion.enable_territory_security('sv_hub')
 WHERE enable_territory_security IN ('campaign', 'campaign_respondent', 'campaign_answer');
SET ROLE sv_agent_alpha;
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 3, NULL, %L)', :'tok24_c', 'q1', 'sv_hub')) AS other_territory;
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 5, NULL, %L)', :'tok24_a', 'q1', 'sv_hub')) AS own_territory;
RESET ROLE;
SELECT smartregion.campaign_save(:'tok24_a', 'q1', 5, NULL, 'sv_hub'), smartregion.campaign_save(:'tok24_a', 'q2', 5, NULL, 'sv_hub'),
       smartregion.campaign_save(:'tok24_b', 'q1', 4, NULL, 'sv_hub'), smartregion.campaign_save(:'tok24_b', 'q2', 3, NULL, 'sv_hub');
SELECT smartregion.campaign_submit(:'tok24_a', 'sv_hub') + smartregion.campaign_submit(:'tok24_b', 'sv_hub') AS submitted_2024;
SELECT smartregion.campaign_close(:c24, 'sv_hub');
-- no token in clear anywhere in the hub
SELECT count(*) AS rows_holding_a_token
  FROM (SELECT to_jsonb(x)::text AS t FROM sv_hub.campaign_respondent x UNION ALL
        SELECT to_jsonb(x)::text FROM sv_hub.campaign_answer x UNION ALL
        SELECT to_jsonb(x)::text FROM sv_hub.campaign x UNION ALL
        SELECT to_jsonb(x)::text FROM sv_hub.maturity_answer x) r,
       unnest(ARRAY[:'tok_a1', :'tok_a2', :'tok_b', :'tok_c', :'tok_up', :'tok24_a', :'tok24_b', :'tok24_c']) k
 WHERE strpos(r.t, k) > 0;

-- trends ----------------------------------------------------------------------------------
-- Alpha's rows that a score of sv never reads make no year of its trend: a 2025 value of the
-- default framework's ftth_coverage, and a 2026 row of sv's declarative q1 in maturity_value
-- (answers are read from maturity_answer only); before, the trend listed 2025 and 2026 with
-- 2024's score and a change of 0, and the report was "of 2026"
INSERT INTO sv_hub.maturity_value (indicator, territory_type, territory_code, year, value, source) VALUES
  ('ftth_coverage', 'commune', '35001', 2025, 50, 'test'), ('q1', 'commune', '35001', 2026, 5, 'test');
SELECT year, axis, score, level, level_label, rank, ranked, change_previous, change_total, peers_median, peers
  FROM smartregion.maturity_trend('35001', 'sv', '{"hub": "sv_hub"}');
SELECT year, axis, score, rank, change_previous FROM smartregion.maturity_trend('35002', 'sv', '{"hub": "sv_hub", "from_year": 2024}');
SELECT territory_code, territory_name, score_from, score_to, change, rank_from, rank_to, rank_change
  FROM smartregion.maturity_movers(2023, 2024, 'sv', '{"hub": "sv_hub", "region": "53"}');
SELECT pg_temp.try($$SELECT * FROM smartregion.maturity_movers(2024, 2023, 'sv', '{"hub": "sv_hub"}')$$) AS reversed_years;
SELECT pg_temp.try($$SELECT * FROM smartregion.maturity_trend('35001', 'sv', '{"hub": "sv_hub", "years": 2}')$$) AS bad_option;

-- the radar with last year's polygon, and the report
SELECT (length(s) - length(replace(s, '<polygon', ''))) / length('<polygon') AS polygons,
       s LIKE '%stroke-dasharray="2 3"%' AS dotted_previous_year, s LIKE '%Alpha, 2023%' AS legend
  FROM smartregion.maturity_radar_svg('35001', 'sv', 2024, '{"hub": "sv_hub", "compare_year": 2023}') s;
SELECT (length(s) - length(replace(s, '<polygon', ''))) / length('<polygon') AS polygons_without_comparison
  FROM smartregion.maturity_radar_svg('35001', 'sv', 2024, '{"hub": "sv_hub"}') s;
SELECT h LIKE '<!DOCTYPE html>%' AS html, h LIKE '%<html lang="fr">%' AS french,
       h LIKE '%Score global : <strong>90,0/100</strong>, niveau 5 « optimisé » ; rang 1 sur 3 communes%' AS headline,
       h LIKE '%<th scope="row">Axe A</th><td>50,0</td><td>100,0</td><td>+50,0</td><td>+50,0</td>%' AS trend_axis_a,
       h LIKE '%<svg%' AS radar_inline, h NOT LIKE '%<?xml%' AS no_xml_prolog,
       h NOT LIKE '%src=%' AND h NOT LIKE '%<link%' AND h NOT LIKE '%<script%' AS self_contained
  FROM smartregion.maturity_report('35001', 'sv', NULL, '{"hub": "sv_hub"}') h;
-- a year after Alpha's last year with data (2024) gives its 2024 report, level and rank
-- included (they read "n.d." before); a year before its first is an error
SELECT h LIKE '%– année 2024 –%' AS year_2024,
       h LIKE '%Score global : <strong>90,0/100</strong>, niveau 5 « optimisé » ; rang 1 sur 3 communes%' AS headline
  FROM smartregion.maturity_report('35001', 'sv', 2026, '{"hub": "sv_hub"}') h;
SELECT pg_temp.try($$SELECT smartregion.maturity_report('35001', 'sv', 2022, '{"hub": "sv_hub"}')$$) AS before_any_data;
-- the report reads the territory's trend once (each year of a trend scores every territory of
-- its type): maturity_trend called once in the transaction (2 before 2026-12-07, when the
-- level and rank and the trend table each called it; the same report, checked above)
BEGIN;
SET LOCAL track_functions = 'pl';
SELECT length(smartregion.maturity_report('35001', 'sv', NULL, '{"hub": "sv_hub"}')) > 0 AS report;
SELECT funcname, calls FROM pg_stat_xact_user_functions WHERE funcname = 'maturity_trend';
ROLLBACK;
DELETE FROM sv_hub.maturity_value WHERE territory_code = '35001' AND year IN (2025, 2026);
-- closing and reopening -----------------------------------------------------------------------
-- A closed campaign freezes the drafts its respondents had not submitted: they never reach
-- maturity_answer. Its organiser may reopen it (campaign_reopen) until a new closing date; the
-- drafts can then be saved and submitted. Organised by the département 35; Alpha's agent is an
-- agent of a commune it invited, not of the organiser: it can neither close nor reopen it.
INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on, territory_type, territory_code)
VALUES ('sv', 2027, 'Autodiagnostic 2027', current_date - 5, current_date + 5, 'departement', '35') RETURNING id AS c27 \gset
SELECT token AS tok27_a FROM smartregion.campaign_invite(:c27, '35001', 'maire', 'sv_hub') \gset
SELECT token AS tok27_c FROM smartregion.campaign_invite(:c27, '35003', 'maire', 'sv_hub') \gset
SELECT smartregion.campaign_save(:'tok27_c', 'q1', 2, NULL, 'sv_hub');
SET ROLE sv_agent_alpha;
SELECT smartregion.campaign_save(:'tok27_a', 'q1', 4, NULL, 'sv_hub');
SELECT pg_temp.try(format('SELECT smartregion.campaign_close(%s, %L)', :c27, 'sv_hub')) AS close_not_organiser;
RESET ROLE;
SELECT smartregion.campaign_close(:c27, 'sv_hub');
SELECT pg_temp.try(format('SELECT smartregion.campaign_submit(%L, %L)', :'tok27_c', 'sv_hub')) AS submit_closed;
SELECT count(*) AS published_2027 FROM sv_hub.maturity_answer WHERE year = 2027;
SET ROLE sv_agent_alpha;
SELECT pg_temp.try(format('SELECT smartregion.campaign_reopen(%s, current_date + 3, %L)', :c27, 'sv_hub')) AS reopen_not_organiser;
RESET ROLE;
SELECT regexp_replace(pg_temp.try(format('SELECT smartregion.campaign_reopen(%s, current_date - 1, %L)', :c27, 'sv_hub')),
                      '[0-9]{4}-[0-9]{2}-[0-9]{2}', '(yesterday)') AS reopen_in_the_past;
SELECT pg_temp.try(format('SELECT smartregion.campaign_reopen(%s, NULL, %L)', :c27, 'sv_hub')) AS reopen_no_date;
SELECT pg_temp.try(format('SELECT smartregion.campaign_reopen(%s, %L, %L)', :c27, 'infinity', 'sv_hub')) AS reopen_for_ever;
SELECT smartregion.campaign_reopen(:c27, current_date + 3, 'sv_hub');
SELECT state, closes_on = current_date + 3 AS new_closing_date FROM smartregion.campaign_progress('sv_hub') WHERE campaign_id = :c27;
SELECT pg_temp.try(format('SELECT smartregion.campaign_reopen(%s, current_date + 3, %L)', :c27, 'sv_hub')) AS reopen_open;
-- Gamma's draft (2) is corrected and submitted; Alpha submits its draft (4)
SELECT smartregion.campaign_save(:'tok27_c', 'q1', 3, NULL, 'sv_hub');
SELECT smartregion.campaign_submit(:'tok27_c', 'sv_hub') AS submitted_c, smartregion.campaign_submit(:'tok27_a', 'sv_hub') AS submitted_a;
SELECT smartregion.campaign_close(:c27, 'sv_hub');
SELECT territory_code, indicator, answer FROM sv_hub.maturity_answer WHERE year = 2027 ORDER BY 1;
-- once a respondent has submitted, the campaign's results are published (maturity_answer,
-- 2027): it is not reopened, by the function nor by the UPDATE it makes written by hand (both
-- went through: answers submitted after reopening changed the results it had closed with)
SELECT pg_temp.try(format('SELECT smartregion.campaign_reopen(%s, current_date + 3, %L)', :c27, 'sv_hub')) AS reopen_published;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET closed_at = NULL, closes_on = current_date + 3 WHERE id = %s', :c27)) AS update_reopen_published;
SELECT state FROM smartregion.campaign_progress('sv_hub') WHERE campaign_id = :c27;
-- a reopened then closed campaign is closed as any other
SELECT pg_temp.try(format('SELECT smartregion.campaign_save(%L, %L, 5, NULL, %L)', :'tok27_c', 'q2', 'sv_hub')) AS save_closed_again;
SELECT pg_temp.try($$SELECT smartregion.campaign_reopen(999999, current_date, 'sv_hub')$$) AS reopen_unknown;
-- NULL arguments through the shared check (docs/governance.md#null-arguments): expected
-- 22004 naming the parameter, 'parameter "campaign_id" cannot be NULL' and 'parameter "token"
-- cannot be NULL' (until 2026-12-07 'campaign_id cannot be NULL' and 'token cannot be NULL');
-- the hub is checked before campaign_id (no_such_hub: 42P01), the token before the hub
SELECT pg_temp.try($$SELECT smartregion.campaign_close(NULL, 'sv_hub')$$) AS close_null;
SELECT pg_temp.try($$SELECT smartregion.campaign_close(NULL, 'no_such_hub')$$) AS close_null_hub_first;
SELECT pg_temp.try($$SELECT smartregion.campaign_save(NULL, 'q1', 1, NULL, 'sv_hub')$$) AS save_null_token;
SELECT pg_temp.try($$SELECT smartregion.campaign_submit(NULL, 'no_such_hub')$$) AS submit_null_token_first;

-- the dates of a campaign are days in Paris, whatever the session's TimeZone: with today in
-- Paris P (computed here from now()), a campaign that closed on P - 1 is closed, one that
-- closes on P open, one that opens on P + 1 upcoming, read at UTC-11 (Pago Pago, where it is
-- P - 1 in the Paris morning) and at UTC+14 (Kiritimati, P + 1 in the Paris afternoon).
-- Before, CURRENT_DATE made them depend on the caller's TimeZone: at any hour one of the two
-- zones had the first open (a respondent saved and submitted after the closing date) or the
-- other two closed and open. A campaign nobody was invited to has 0 territories invited (it
-- had 1: the NULL row of the outer join was counted)
BEGIN;
SELECT (now() AT TIME ZONE 'Europe/Paris')::date AS paris_today \gset
INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on) VALUES
  ('sv', 2030, 'tz closed yesterday', :'paris_today'::date - 3, :'paris_today'::date - 1) RETURNING id AS tzc \gset
INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on) VALUES
  ('sv', 2030, 'tz closes today', :'paris_today'::date - 3, :'paris_today'::date),
  ('sv', 2030, 'tz opens tomorrow', :'paris_today'::date + 1, :'paris_today'::date + 3);
SET TimeZone = 'Pacific/Pago_Pago';
SELECT title, state, invited, territories_invited, territories_submitted
  FROM smartregion.campaign_progress('sv_hub') WHERE title LIKE 'tz %' ORDER BY title;
SELECT regexp_replace(pg_temp.try(format('SELECT smartregion.campaign_invite(%s, %L, %L, %L)', :tzc, '35001', 'maire', 'sv_hub')),
                      'campaign [0-9]+', 'campaign N') AS invite_closed_at_utc_minus_11;
SET TimeZone = 'Pacific/Kiritimati';
SELECT title, state FROM smartregion.campaign_progress('sv_hub') WHERE title LIKE 'tz %' ORDER BY title;
ROLLBACK;
-- infinite dates at creation (22008): 'infinity' was accepted, a campaign closing on no day,
-- and '-infinity' one opening on none (before, both rows were inserted)
SELECT count(*) AS campaigns_before FROM sv_hub.campaign \gset
SELECT pg_temp.try($$INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on)
                     VALUES ('sv', 2031, 'x', current_date, 'infinity')$$) AS closes_never;
SELECT pg_temp.try($$INSERT INTO sv_hub.campaign (framework, year, title, opens_on, closes_on)
                     VALUES ('sv', 2031, 'x', '-infinity', current_date)$$) AS opened_always;
SELECT count(*) - :campaigns_before AS campaigns_added FROM sv_hub.campaign;
-- rows stored before infinite dates were refused (written here with the trigger off, as
-- they were then): an opening on '-infinity' with a closing past, or a closing on
-- '-infinity', made the row closed, and a closed row refused every change, the repair of
-- its dates too (55000 'campaign ... is closed'). The repair (the infinite dates made
-- finite, nothing else changed) passes now, and keeps the campaign closed when its
-- closing date is past; a repair that also changes another column is still refused
-- (22008 while a date stays infinite, else the closed campaign's 55000). create_hub on
-- such a hub names the rows to repair (a WARNING; before, nothing)
BEGIN;
-- (create_hub's check of the agents' roles warns once grant_roles has made smartregion_agent
-- in the cluster, whatever ran before: not this test's subject)
DELETE FROM sv_hub.agents WHERE role_name = 'sv_agent_alpha';
ALTER TABLE sv_hub.campaign DISABLE TRIGGER sr_campaign_check;
INSERT INTO sv_hub.campaign (framework, framework_version, year, title, opens_on, closes_on)
VALUES ('sv', '2.1', 2031, 'old b', '-infinity', current_date - 5) RETURNING id AS c_old_b \gset
INSERT INTO sv_hub.campaign (framework, framework_version, year, title, opens_on, closes_on)
VALUES ('sv', '2.1', 2031, 'old c', '-infinity', '-infinity') RETURNING id AS c_old_c \gset
INSERT INTO sv_hub.campaign (framework, framework_version, year, title, opens_on, closes_on)
VALUES ('sv', '2.1', 2031, 'old d', current_date - 1, 'infinity') RETURNING id AS c_old_d \gset
ALTER TABLE sv_hub.campaign ENABLE TRIGGER sr_campaign_check;
SELECT count(*) AS hub_tables FROM smartregion.create_hub('sv_hub');
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET title = %L WHERE id = %s', 'b2', :c_old_b)) AS title_before_repair;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET opens_on = current_date - 30, title = %L WHERE id = %s', 'b2', :c_old_b)) AS repair_and_title;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET opens_on = current_date - 30 WHERE id = %s', :c_old_b)) AS repair_b;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET opens_on = current_date - 30, closes_on = current_date - 20 WHERE id = %s', :c_old_c)) AS repair_c;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET closes_on = current_date + 20 WHERE id = %s', :c_old_d)) AS repair_d;
SELECT title, opens_on - current_date AS opens_in, closes_on - current_date AS closes_in,
       smartregion._campaign_state(closed_at, opens_on, closes_on) AS state
  FROM sv_hub.campaign WHERE id IN (:c_old_b, :c_old_c, :c_old_d) ORDER BY title;
SELECT pg_temp.try(format('UPDATE sv_hub.campaign SET title = %L WHERE id = %s', 'b2', :c_old_b)) AS title_once_repaired_closed;
SELECT count(*) AS hub_tables_no_warning FROM smartregion.create_hub('sv_hub');
ROLLBACK;
DROP SCHEMA sv_hub CASCADE;
DROP OWNED BY sv_agent_alpha;
DROP ROLE sv_agent_alpha;
DELETE FROM smartregion.maturity_framework WHERE name IN ('sv', 'sv_copy');
RESET client_min_messages;

-- a trend's years read the territory's own answers, by its code (_maturity_years) -------------
-- A hub table with personal data under territory security keeps no planner statistics
-- (_hub_table_no_statistics: maturity_answer.respondent), as the demo's after grant_roles.
-- There, joined to a list of codes, the answers were read through the indicators, all of
-- them, and hashed against the list: here 2,000 communes x the default framework's
-- declarative indicators (26,000 rows: 2,000 x 13) read for one commune, 0.3-2.4 s a call on
-- the demo (until 2026-12-07). Now each code is an index condition: the index entries and
-- rows read (pg_stat_user_indexes, pg_stat_user_tables, flushed) are at most its 13 answers
SET client_min_messages = warning;
SELECT count(*) > 0 AS created FROM smartregion.create_hub('yr_hub');
INSERT INTO yr_hub.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source)
SELECT i.indicator, 'commune', lpad(c::text, 5, '0'), 2024, 'self', 3, 'test'
  FROM smartregion.maturity_indicator i, generate_series(1001, 3000) c
 WHERE i.framework = 'default' AND i.kind = 'declarative' AND i.plugin IS NULL;
ANALYZE yr_hub.maturity_answer;
SELECT smartregion._hub_table_no_statistics('yr_hub', 'maturity_answer') AS no_statistics;
SELECT (SELECT count(*) FROM pg_stats WHERE schemaname = 'yr_hub' AND tablename = 'maturity_answer') AS statistics_left,
       (SELECT count(*) FROM yr_hub.maturity_answer) AS answers,
       (SELECT count(*) FROM yr_hub.maturity_answer WHERE territory_code = '02024') AS its_answers;
SELECT pg_stat_force_next_flush();
SELECT (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relid = 'yr_hub.maturity_answer'::regclass)
     + (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relid = 'yr_hub.maturity_answer'::regclass) AS read_before \gset
SELECT smartregion._maturity_years('yr_hub', 'commune', '02024', 'default') AS years;
SELECT pg_stat_force_next_flush();
SELECT (SELECT coalesce(sum(idx_tup_read), 0) FROM pg_stat_user_indexes WHERE relid = 'yr_hub.maturity_answer'::regclass)
     + (SELECT coalesce(seq_tup_read, 0) FROM pg_stat_user_tables WHERE relid = 'yr_hub.maturity_answer'::regclass)
     - :read_before BETWEEN 1 AND 13 AS its_answers_read_only;
DROP SCHEMA yr_hub CASCADE;
RESET client_min_messages;
