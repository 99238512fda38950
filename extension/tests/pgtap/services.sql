-- pgTAP: API shape of the three services of issue 21 (self-diagnosis
-- campaigns and trends, tiers-lieux requests and coverage, THD roll-out),
-- their hub tables, triggers, row-level security and pinned search_path.
BEGIN;
SET client_min_messages = warning;
SELECT plan(81);

-- services registered ---------------------------------------------------------------------
SELECT ok(EXISTS (SELECT 1 FROM smartregion.services() WHERE name = 'self_diagnosis'), 'self_diagnosis service');
SELECT ok(EXISTS (SELECT 1 FROM smartregion.services() WHERE name = 'tiers_lieux_requests'), 'tiers_lieux_requests service');
SELECT ok(EXISTS (SELECT 1 FROM smartregion.services() WHERE name = 'tiers_lieux_coverage'), 'tiers_lieux_coverage service');
SELECT ok(EXISTS (SELECT 1 FROM smartregion.services() WHERE name = 'thd_rollout'), 'thd_rollout service');

-- self-diagnosis ------------------------------------------------------------------------------
SELECT has_table('smartregion', 'maturity_question', 'question bank');
SELECT col_is_pk('smartregion', 'maturity_question', ARRAY['framework', 'indicator', 'lang'], 'question key');
SELECT has_table('smartregion', 'maturity_label', 'translated labels');
SELECT ok((SELECT count(*) = 2 FROM pg_extension e, unnest(e.extconfig) c
            WHERE e.extname = 'smartregion'
              AND c::regclass::text IN ('smartregion.maturity_question', 'smartregion.maturity_label')),
          'question bank and labels are extension configuration tables (kept by pg_dump)');
SELECT has_function('smartregion', 'campaign_invite', ARRAY['bigint', 'text', 'text', 'name', 'text']);
SELECT volatility_is('smartregion', 'campaign_invite', ARRAY['bigint', 'text', 'text', 'name', 'text'], 'volatile');
SELECT has_function('smartregion', 'campaign_questionnaire', ARRAY['text', 'name', 'text']);
SELECT volatility_is('smartregion', 'campaign_questionnaire', ARRAY['text', 'name', 'text'], 'stable');
SELECT has_function('smartregion', 'campaign_save', ARRAY['text', 'text', 'integer', 'text', 'name']);
SELECT has_function('smartregion', 'campaign_submit', ARRAY['text', 'name']);
SELECT function_returns('smartregion', 'campaign_submit', ARRAY['text', 'name'], 'integer');
SELECT has_function('smartregion', 'campaign_close', ARRAY['bigint', 'name']);
SELECT has_function('smartregion', 'campaign_reopen', ARRAY['bigint', 'date', 'name']);
SELECT volatility_is('smartregion', 'campaign_reopen', ARRAY['bigint', 'date', 'name'], 'volatile');
SELECT has_function('smartregion', 'campaign_progress', ARRAY['name']);
SELECT volatility_is('smartregion', 'campaign_progress', ARRAY['name'], 'stable');
SELECT has_function('smartregion', 'maturity_trend', ARRAY['text', 'text', 'jsonb', 'text']);
SELECT function_returns('smartregion', 'maturity_trend', ARRAY['text', 'text', 'jsonb', 'text'], 'setof record');
SELECT volatility_is('smartregion', 'maturity_trend', ARRAY['text', 'text', 'jsonb', 'text'], 'stable');
SELECT has_function('smartregion', 'maturity_movers', ARRAY['integer', 'integer', 'text', 'jsonb', 'integer']);
SELECT volatility_is('smartregion', 'maturity_movers', ARRAY['integer', 'integer', 'text', 'jsonb', 'integer'], 'stable');
SELECT has_function('smartregion', 'maturity_report', ARRAY['text', 'text', 'integer', 'jsonb', 'text']);
SELECT function_returns('smartregion', 'maturity_report', ARRAY['text', 'text', 'integer', 'jsonb', 'text'], 'text');
-- the radar keeps its signature; the overlay is an option
SELECT has_function('smartregion', 'maturity_radar_svg', ARRAY['text', 'text', 'integer', 'jsonb', 'text']);
SELECT ok(EXISTS (SELECT 1 FROM smartregion.option_specs() WHERE function = 'maturity_radar_svg' AND option = 'compare_year'),
          'maturity_radar_svg takes compare_year');

-- tiers-lieux ---------------------------------------------------------------------------------
SELECT has_function('smartregion', 'tl_transitions', '{}'::name[]);
SELECT volatility_is('smartregion', 'tl_transitions', '{}'::name[], 'immutable');
SELECT is((SELECT count(*)::int FROM smartregion.tl_transitions() WHERE from_status IS NOT NULL), 8, 'eight allowed transitions (accepted -> ended since the review of 2026-12-07, h2)');
-- who makes each answer, as the triggers and docs/matching.md say (review of 2026-12-07, h9:
-- an acceptance and a decline said "by the premise's owner"; _tl_proposal_check and the
-- territory policies make them an agent's of the request's territory, who writes the
-- proposal; a withdrawal by hand the platform's, 42501 otherwise while the request is open)
SELECT is((SELECT array_agg(t.to_status ORDER BY t.to_status) FROM smartregion.tl_transitions() t
            WHERE t.entity = 'proposal' AND t.how LIKE 'an agent of the request''s territory (who writes the proposal)%'),
          ARRAY['accepted', 'declined', 'ended'], 'a proposal is accepted, declined and ended by an agent of the request''s territory');
SELECT is((SELECT count(*)::int FROM smartregion.tl_transitions() t WHERE t.how LIKE '%premise''s owner%'), 0,
          'no transition is said to be the premise''s owner''s (the premise''s territory is not asked)');
SELECT ok((SELECT t.how LIKE 'the platform (a superuser or a member of smartregion_platform_admin;%' FROM smartregion.tl_transitions() t
            WHERE t.entity = 'proposal' AND t.from_status = 'pending' AND t.to_status = 'withdrawn'),
          'a pending proposal is withdrawn by hand by the platform only');
-- a transition changes its status and reason only (review of 2026-12-07, h5, second session:
-- an acceptance rewrote the score, a request's withdrawal its note, in the same UPDATE)
SELECT has_function('smartregion', '_tl_transition_only', ARRAY['text', 'bigint', 'text', 'jsonb', 'jsonb']);
SELECT volatility_is('smartregion', '_tl_transition_only', ARRAY['text', 'bigint', 'text', 'jsonb', 'jsonb'], 'immutable');
SELECT throws_ok($$SELECT smartregion._tl_transition_only('proposal', 3, 'accepted', '{"status": "accepted", "reason": "fits", "score": 0.9}',
                                                          '{"status": "pending", "reason": null, "score": 0.5}')$$,
                 '55000', 'cannot change column "score" of proposal 3 when accepting it', 'an acceptance with a new score: 55000');
SELECT lives_ok($$SELECT smartregion._tl_transition_only('request', 9, 'withdrawn', '{"status": "withdrawn", "reason": "moved", "visibility": "restricted"}',
                                                         '{"status": "open", "reason": null, "visibility": "public"}')$$,
                'a withdrawal with its reason, made restricted with its project: passes');
-- ... and never the other way (red team of 2026-12-07 evening, h6): a transition that makes
-- its row public again, which would show another territory's hidden request, is refused
SELECT throws_ok($$SELECT smartregion._tl_transition_only('request', 9, 'withdrawn', '{"status": "withdrawn", "reason": "moved", "visibility": "public"}',
                                                          '{"status": "open", "reason": null, "visibility": "restricted"}')$$,
                 '55000', 'cannot change column "visibility" of request 9 when withdrawing it', 'a withdrawal making its row public: 55000');
SELECT has_function('smartregion', 'tl_propose', ARRAY['jsonb']);
SELECT volatility_is('smartregion', 'tl_propose', ARRAY['jsonb'], 'volatile');
SELECT has_function('smartregion', 'tl_expire', ARRAY['name', 'timestamp with time zone']);
SELECT has_function('smartregion', 'tierslieux_coverage', ARRAY['text', 'jsonb', 'text', 'text', 'text']);
SELECT volatility_is('smartregion', 'tierslieux_coverage', ARRAY['text', 'jsonb', 'text', 'text', 'text'], 'volatile');
SELECT is((SELECT pg_get_function_arguments('smartregion.tierslieux_coverage(text, jsonb, text, text, text)'::regprocedure)),
          'premises_sql text, options jsonb DEFAULT ''{}''::jsonb, units_sql text DEFAULT NULL::text, travel_sql text DEFAULT NULL::text, query_search_path text DEFAULT current_setting(''search_path''::text)',
          'tierslieux_coverage(premises_sql, options DEFAULT ''{}'', ...) as the issue names it');
SELECT has_function('smartregion', 'tierslieux_access_indicator', ARRAY['integer']);
SELECT is((SELECT pg_get_function_result('smartregion.tierslieux_access_indicator(integer)'::regprocedure)),
          'TABLE(territory_type text, territory_code text, value double precision)', 'access indicator has the plugin signature');
-- a maturity plugin runs inside the STABLE maturity readers: it must be STABLE (42P13 otherwise)
SELECT volatility_is('smartregion', 'tierslieux_access_indicator', ARRAY['integer'], 'stable');
SELECT lives_ok($$SELECT smartregion.maturity_register_plugin('default', 'ftth_coverage', 'smartregion.tierslieux_access_indicator(int)')$$,
                'tierslieux_access_indicator registers as a plugin (the demo''s tiers_lieux_access)');

-- THD -------------------------------------------------------------------------------------------
SELECT has_function('smartregion', 'thd_load_arcep', ARRAY['text', 'name', 'text']);
SELECT has_function('smartregion', 'thd_load_arcep_premises', ARRAY['text', 'name']);
SELECT has_function('smartregion', 'thd_rollout', ARRAY['jsonb']);
SELECT volatility_is('smartregion', 'thd_rollout', ARRAY['jsonb'], 'stable');
SELECT is((SELECT pg_get_function_arguments('smartregion.thd_rollout(jsonb)'::regprocedure)),
          'options jsonb DEFAULT ''{}''::jsonb', 'thd_rollout(options DEFAULT ''{}'')');
SELECT has_function('smartregion', 'thd_ftth_coverage', ARRAY['integer']);
SELECT is((SELECT pg_get_function_result('smartregion.thd_ftth_coverage(integer)'::regprocedure)),
          'TABLE(territory_type text, territory_code text, value double precision)', 'thd_ftth_coverage has the plugin signature');
SELECT lives_ok($$SELECT smartregion.maturity_register_plugin('default', 'ftth_coverage', 'smartregion.thd_ftth_coverage(int)')$$,
                'thd_ftth_coverage registers as the source of ftth_coverage');

-- hub tables, triggers, security ----------------------------------------------------------------
SELECT is((SELECT array_agg(table_name::text ORDER BY ord) FROM smartregion.hub_table
            WHERE service IN ('tiers_lieux_requests', 'self_diagnosis', 'thd_rollout')),
          ARRAY['tl_request', 'tl_proposal', 'tl_history', 'campaign', 'campaign_respondent', 'campaign_answer',
                'thd_ftth', 'thd_premises', 'thd_deadline'], 'nine hub tables registered');
SELECT lives_ok($$SELECT smartregion.create_hub('tap_sv')$$, 'create_hub creates them');
SELECT has_table('tap_sv', 'tl_request', 'tl_request');
SELECT has_table('tap_sv', 'campaign_answer', 'campaign_answer');
SELECT has_table('tap_sv', 'thd_deadline', 'thd_deadline');
SELECT has_column('tap_sv', 'campaign_respondent', 'token_hash', 'respondents keep a token hash');
SELECT hasnt_column('tap_sv', 'campaign_respondent', 'token', 'and no token');
SELECT has_trigger('tap_sv', 'tl_request', 'sr_tl_request_check', 'request state machine trigger');
SELECT has_trigger('tap_sv', 'tl_proposal', 'sr_tl_proposal_check', 'proposal state machine trigger');
SELECT has_trigger('tap_sv', 'tl_proposal', 'sr_tl_proposal_event', 'proposal events trigger');
SELECT has_trigger('tap_sv', 'tl_history', 'sr_tl_history_append_only', 'history append-only trigger');
SELECT has_trigger('tap_sv', 'campaign', 'sr_campaign_check', 'campaign trigger');
SELECT has_trigger('tap_sv', 'campaign_respondent', 'sr_campaign_respondent_submit', 'submission trigger');
SELECT has_trigger('tap_sv', 'campaign_answer', 'sr_campaign_answer_check', 'answer trigger');
SELECT has_index('tap_sv', 'tl_proposal', 'tl_proposal_one_accepted', 'one accepted proposal per request');
SELECT has_index('tap_sv', 'tl_request', 'tl_request_one_open', 'one open request per project');
SELECT lives_ok($$SELECT smartregion.enable_territory_security('tap_sv')$$, 'territory security');
SELECT is((SELECT count(*)::int FROM pg_policies WHERE schemaname = 'tap_sv'
            AND tablename IN ('tl_request', 'tl_proposal', 'tl_history', 'campaign', 'campaign_respondent',
                              'campaign_answer', 'thd_ftth', 'thd_premises', 'thd_deadline')
            AND policyname IN ('sr_territory_read', 'sr_territory_insert', 'sr_territory_update', 'sr_territory_delete')), 36,
          'the nine tables get the territory read policy and the insert, update and delete ones');
SELECT ok((SELECT bool_and(c.relrowsecurity) FROM pg_class c WHERE c.relnamespace = 'tap_sv'::regnamespace
            AND c.relname IN ('tl_request', 'campaign_answer', 'thd_deadline')), 'row-level security enabled');
SELECT ok((SELECT bool_and(a.attnotnull IS NOT NULL) FROM pg_attribute a
            WHERE a.attrelid IN ('tap_sv.tl_request'::regclass, 'tap_sv.campaign'::regclass, 'tap_sv.thd_ftth'::regclass)
              AND a.attname = 'territory_code'), 'every new hub table has territory_code');

-- every new function pins its search_path (tierslieux_coverage too: the caller's
-- path comes in query_search_path)
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'smartregion'::regnamespace AND p.prolang <> 13
              AND p.proname ~ '^_?(campaign|tl_|tierslieux|thd_|maturity_(trend|movers|report|years))'
              AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false)),
          NULL::text[], 'pinned search_path everywhere');
SELECT ok((SELECT count(*) > 0 FROM smartregion.option_specs() WHERE function = 'thd_rollout'), 'thd_rollout options documented by their specs');
SELECT ok((SELECT count(*) > 0 FROM smartregion.option_specs() WHERE function = 'tierslieux_coverage'), 'coverage options documented by their specs');
SELECT * FROM finish();
ROLLBACK;
