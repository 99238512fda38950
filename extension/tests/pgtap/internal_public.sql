-- pgTAP: the internal functions (names beginning with an underscore) that PUBLIC may
-- EXECUTE, and the extension's event triggers (review of 2026-12-08, h2;
-- docs/security-reviews.md#r-internal-public).
--  1. The list, from the catalogue: every function of the extension's schema whose name
--     begins with "_" and that PUBLIC may execute, in four groups (trigger functions;
--     writers; readers and guards, STABLE; pure computations, IMMUTABLE), each reviewed
--     for what a role that is not the hub's owner gains by calling it directly.  A new one,
--     or one that changes group (its volatility, or becoming a trigger), fails here until
--     it is reviewed and added.
--  2. What the review changed: nine internal functions only create_hub's templates and the
--     administration functions (EXECUTE revoked from PUBLIC) call, each of which writes or
--     alters a hub, no longer PUBLIC's: an agent calling one directly is refused (42501;
--     before, it ran them as itself), the platform administrator (grant_roles grants them
--     with the administration functions) still makes, grants and drops a hub and computes
--     a pseudonym.
--  3. The extension has no event trigger: no DDL of any role runs one of its functions.
-- Roles: it_agent, an agent of 69001 in hub it_hub; it_agent2, of 69002; it_padmin, a
-- platform administrator; the superuser running this file.
BEGIN;
SELECT plan(14);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

-- 1. the list
CREATE TEMP VIEW it_public AS
SELECT replace(p.oid::regprocedure::text, 'smartregion.', '') AS sig,
       CASE WHEN p.prorettype = 'trigger'::regtype THEN 'trigger'
            WHEN p.provolatile = 'v' THEN 'writer'
            WHEN p.provolatile = 's' THEN 'reader'
            ELSE 'pure' END AS grp
  FROM pg_proc p
 WHERE p.pronamespace = 'smartregion'::regnamespace AND p.proname ~ '^_'
   AND has_function_privilege('public', p.oid, 'EXECUTE');

CREATE TEMP TABLE it_reviewed (sig text, grp text);
-- trigger functions: PostgreSQL refuses a direct call (0A000); a role may attach one to a
-- table of its own (a temporary table: TEMP is PUBLIC's), where it runs as the role writing
-- that table and can only write, as that role, what the role may write: every table it
-- guards checks its rows itself (row-level security, the tables' own triggers)
INSERT INTO it_reviewed SELECT unnest(ARRAY[
    '_agents_listed()',
    '_campaign_answer_check()',
    '_campaign_check()',
    '_campaign_respondent_check()',
    '_campaign_submitted()',
    '_cells_tile_key()',
    '_city_object_surfaces_follow()',
    '_city_surface_object_readable()',
    '_code_registry_guard()',
    '_consent_territory()',
    '_consent_withdrawn()',
    '_hub_derived_territory()',
    '_hub_no_truncate()',
    '_hub_provenance()',
    '_hub_table_provider_guard()',
    '_hub_restrict_derived()',
    '_hub_secrecy_rules_guard()',
    '_hub_visibility_by_hand()',
    '_pv_economic_parameter_guard()',
    '_recorded_at_guard()',
    '_registered_function_name()',
    '_tl_history_append_only()',
    '_tl_history_record()',
    '_tl_project_need()',
    '_tl_project_restricted()',
    '_tl_project_territory()',
    '_tl_proposal_check()',
    '_tl_proposal_event()',
    '_tl_request_check()',
    '_tl_request_event()',
    '_zae_establishment_visibility()',
    '_zae_owner_visibility()',
    '_zae_row_in_territory()',
    '_zae_zone_history_append_only()',
    '_zae_zone_history_record()',
    '_zae_zone_history_restrict()',
    '_zae_zone_history_uid_given()',
    '_zae_zone_uid_fixed()']), 'trigger';
-- writers (VOLATILE): each runs as its caller, under the policies and triggers of what it
-- writes; _city_import runs _hub_code_guard itself; _erase_rows' clearing of append-only
-- rows is let through only for a role that may run subject_erase or purge_expired
-- and _pseudonym_key reads (and draws) a key under the caller's privileges on pseudonym_key:
-- left PUBLIC's, as a DPO granted pseudonym, subject_export and SELECT on the key calls it
INSERT INTO it_reviewed SELECT unnest(ARRAY[
    '_city_import(name,jsonb,jsonb,text,boolean)',
    '_erase_rows(name,personal_data,text,text,text,text,text)',
    '_pseudonym_key(name)',
    '_refresh_targets(text,text)',
    '_refresh_territories(text,text)',
    '_refresh_to_hub_srid(regclass,integer)',
    '_reraise_query_error(text,text,text,text,text,text)',
    '_territory_merge(text)',
    '_tierslieux_coverage(text,jsonb,text,text,text,text)',
    '_tierslieux_nearest(text,text,text,text,text)',
    '_tl_record_transition(name,text,bigint,bigint,bigint,text,text,text,text,text,visibility)']), 'writer';
-- readers and guards (STABLE): the catalogue (which every role reads), the extension's
-- tables and a hub's under the caller's privileges and policies (SPI, EXECUTE); no
-- SECURITY DEFINER; the guards' memo is keyed by the role that passed them
INSERT INTO it_reviewed SELECT unnest(ARRAY[
    '_caller_is_member(name)',
    '_caller_is_privileged()',
    '_caller_may_act_as(name)',
    '_caller_reads_every_row(regclass)',
    '_campaign_of(name,bigint)',
    '_campaign_respondent(text,name)',
    '_campaign_state(timestamp with time zone,date,date)',
    '_campaign_today()',
    '_catalog_schema_id(name)',
    '_city_rows_citygml(text,integer,text,jsonb)',
    '_city_rows_cityjson(jsonb,integer,text,jsonb)',
    '_city_rows_cityjsonseq(jsonb,integer,text,jsonb)',
    '_cnig_convert(text,text,text,anyelement)',
    '_cnig_establishments(text,text,text,text,date,jsonb,text,bigint[],bigint[],double precision[],jsonb[])',
    '_cnig_publication_rules(jsonb,text[],text)',
    '_cnig_row(anyelement)',
    '_cnig_site_keys(text,jsonb,text)',
    '_cnig_sites(text,text,text,text,date,jsonb,text)',
    '_cnig_terrains(text,text,text,text,date,jsonb,text)',
    '_cnig_units(text,text,text,text,date,jsonb,text)',
    '_current_extension()',
    '_hub_catalog_srid(name)',
    '_hub_code_clear(name)',
    '_hub_code_controllers(name,name)',
    '_hub_code_guard(name,text,boolean)',
    '_hub_column_require(name,name)',
    '_hub_derived_marked(regclass)',
    '_hub_enter(name,text)',
    '_hub_functions_stale(name,name)',
    '_hub_index_stale(name,text)',
    '_hub_insert_columns(name,name)',
    '_hub_objects_stale(name)',
    '_hub_policy_stale(name,text)',
    '_hub_read_guard(name,text)',
    '_hub_require(name,text)',
    '_hub_rule_trigger_ddl(name,name,name)',
    '_hub_rule_trigger_templates()',
    '_hub_security_policy_ddl(name,name,name)',
    '_hub_security_policy_templates()',
    '_hub_tables_missing(name)',
    '_hub_template_functions(name,integer)',
    '_hub_template_objects(name,integer)',
    '_hub_trigger_stale(name,text)',
    '_hub_upgrade_guard(name,text,regclass)',
    '_hub_usage_guard(name,text,text,text)',
    '_hub_views_key_name(name)',
    '_maturity_detail(text,integer,text,text,text,text,text,text)',
    '_maturity_eval(text,integer,text,text,text,text,text,boolean)',
    '_maturity_hub_has_rows(name)',
    '_maturity_mc(text,integer,integer,bigint,double precision,text[],text[],text[],text,text,text,text,text)',
    '_maturity_nothing_loaded(text,text,text,boolean,boolean)',
    '_maturity_resolve(text,text)',
    '_maturity_years(text,text,text,text)',
    '_personal_columns(name)',
    '_pgcrypto_schema()',
    '_postgis_schema()',
    '_provenance_readable()',
    '_pseudonym_seal_sql(text,boolean)',
    '_pseudonym_sql(text)',
    '_pseudonym_verifies(text,name)',
    '_pseudonym_verify_sql(text,boolean)',
    '_query_code(text,text,text)',
    '_query_hub_guard(text,text[],text)',
    '_query_read_guard(text,text[],text)',
    '_query_relations(text,text,text)',
    '_query_schemas(text,text,text)',
    '_query_subquery(text,text,text[])',
    '_refresh_buildings_sql(name,name)',
    '_registered_function(text,text,text)',
    '_relation_read_runs_code(regclass)',
    '_registered_function_labels(oid,text,text)',
    '_row_key_sql(name,name,name)',
    '_sky_agg_met_transfn(internal,timestamp with time zone,double precision,double precision,double precision,double precision,double precision,geometry)',
    '_sky_agg_transfn(internal,timestamp with time zone,double precision,double precision,double precision,geometry)',
    '_srid_require_metric(integer,text)',
    '_territory_filter_check(jsonb,text)',
    '_thd_rollout_sql(text)',
    '_thd_series_sql(text,text)',
    '_tl_request_need(bigint,integer,date,double precision,text)',
    '_to_lonlat(geometry,text)',
    '_trust_problems()',
    '_trust_warning(text)',
    '_zae_outside_territory_sql(text,name)',
    '_zae_zone_history_renumbered_suspects(name)',
    '_zone_placement(text,text,text,text,date)',
    '_zones_publication_hidden(boolean,oid[],bytea[])',
    '_zones_publication_history(boolean,oid[],bytea[])',
    '_zones_publication_inputs(text[],text,boolean,oid[])',
    '_zones_publication_rules(boolean,oid[])',
    '_zones_publication_scope(boolean,oid[],bytea[])',
    '_zones_texts_hubs(boolean,oid[],boolean,name[])',
    '_zones_texts_read(text[],text)']), 'reader';
-- pure computations (IMMUTABLE): read nothing; the SQL builders return text the caller runs
INSERT INTO it_reviewed SELECT unnest(ARRAY[
    '_campaign_refuse_closed(bigint,text)',
    '_campaign_token_hash(text)',
    '_cnig_attr(jsonb,text)',
    '_cnig_check(text,text,text,text)',
    '_cnig_csv_field(text)',
    '_cnig_options(text,jsonb)',
    '_cnig_pattern(text,text,text,text,text,text)',
    '_cnig_publication_check(jsonb)',
    '_cnig_raise_if(boolean,text,text,text,text)',
    '_cnig_required(anyelement,text,text,text)',
    '_cnig_residual_listing(bigint[],text[],double precision[],integer[],boolean[],boolean[],boolean[],jsonb)',
    '_cnig_secrecy(jsonb)',
    '_cnig_values(text)',
    '_cnig_vocadomi(text[],double precision[],double precision,boolean)',
    '_cnig_yes_no(text)',
    '_erasure_action(text)',
    '_fold_text(text)',
    '_fr(double precision,integer)',
    '_headcount_band_jobs(text)',
    '_headcount_band_label(text)',
    '_horizon_in(cstring)',
    '_horizon_out(horizon)',
    '_horizon_recv(internal)',
    '_horizon_send(horizon)',
    '_html(text)',
    '_hub_rule_index_ddl(name,name,name)',
    '_hub_rule_index_templates()',
    '_linked_versions()',
    '_maturity_radar_overlay(text[],double precision[],double precision[],double precision[],text,text,text,text)',
    '_mention_pattern(text)',
    '_mention_sql(name,text)',
    '_naf_section(text)',
    '_options(text,jsonb)',
    '_pv_economic_parameter_check(text,double precision,double precision)',
    '_require_args("any")',
    '_secrecy_rules_other(jsonb)',
    '_secrecy_rules_publication(jsonb,jsonb,text)',
    '_secrecy_rules_set_check(jsonb,jsonb,boolean,text)',
    '_secrecy_rules_weaker(jsonb)',
    '_sky_agg_combinefn(internal,internal)',
    '_sky_agg_deserialfn(bytea,internal)',
    '_sky_agg_finalfn(internal)',
    '_sky_agg_serialfn(internal)',
    '_sky_in(cstring)',
    '_sky_out(sky)',
    '_sky_recv(internal)',
    '_sky_send(sky)',
    '_subject_territory_sql(text,text)',
    '_t_quantile(double precision,integer)',
    '_territory_code_type(text)',
    '_territory_mine_sql(name,text,text,name)',
    '_territory_type_or_implied(text,text)',
    '_territory_typed_check(text,text,text)',
    '_territory_typing_only(jsonb,jsonb)',
    '_thd_count_invalid(text,text)',
    '_thd_count_sql(text,text)',
    '_thd_quarter(text)',
    '_tile_key(bytea)',
    '_tile_key_ranges(integer,integer,integer,double precision)',
    '_tl_clearing_only(jsonb,jsonb,text[])',
    '_tl_held(date,double precision,date)',
    '_tl_occupation(date,double precision)',
    '_tl_peak(tsrange[],bigint[],tsrange)',
    '_tl_refuse(text,bigint,text,text)',
    '_tl_restricting_only(jsonb,jsonb)',
    '_tl_transition_only(text,bigint,text,jsonb,jsonb)',
    '_zae_same_point_set_sql(text,text,text)']), 'pure';

SELECT is((SELECT array_agg(sig || ' (' || grp || ')' ORDER BY sig) FROM (SELECT sig, grp FROM it_public EXCEPT SELECT sig, grp FROM it_reviewed) x),
          NULL, 'every internal function PUBLIC executes is in the reviewed list, in its group (a new one: review it, docs/security-reviews.md#r-internal-public)');
SELECT is((SELECT array_agg(sig || ' (' || grp || ')' ORDER BY sig) FROM (SELECT sig, grp FROM it_reviewed EXCEPT SELECT sig, grp FROM it_public) x),
          NULL, 'and every function of the list is one, in that group');
SELECT is((SELECT count(*)::int FROM it_public), 208, '208 of them (210 before the review; 7 more since, the same day: the rule indexes'' templates, create_hub''s upgrade guard and its test of a read, grant_roles'' zone columns, the zone_uid trigger, hub_table''s provider guard)');
SELECT is((SELECT array_agg(sig ORDER BY sig) FROM it_public WHERE grp = 'writer'),
          ARRAY['_city_import(name,jsonb,jsonb,text,boolean)', '_erase_rows(name,personal_data,text,text,text,text,text)',
                '_pseudonym_key(name)', '_refresh_targets(text,text)', '_refresh_territories(text,text)', '_refresh_to_hub_srid(regclass,integer)',
                '_reraise_query_error(text,text,text,text,text,text)', '_territory_merge(text)',
                '_tierslieux_coverage(text,jsonb,text,text,text,text)', '_tierslieux_nearest(text,text,text,text,text)',
                '_tl_record_transition(name,text,bigint,bigint,bigint,text,text,text,text,text,visibility)'],
          'the eleven writers PUBLIC executes are those a PUBLIC function or a trigger calls');
SELECT is((SELECT array_agg(s ORDER BY s) FROM unnest(ARRAY[
    '_group_role_policies(name)',
    '_hub_check_constraint(name,name,name,text)',
    '_hub_fire_deferred(name)',
    '_hub_table_no_statistics(name,name)',
    '_secure_platform_tables(name)',
    '_territory_type_inherit(name,name,name,name,text)',
    '_tl_history_restrict_hidden(name)',
    '_zae_zone_history_adopt(name)',
    '_zae_zone_history_restrict_hidden(name)',
    '_zae_zone_history_restrict_renumbered(name)']) s
            WHERE has_function_privilege('public', ('smartregion.' || s)::regprocedure, 'EXECUTE')),
          NULL, 'the ten internal functions of create_hub and the administration functions are not PUBLIC''s (all nine before the review; _zae_zone_history_adopt, h8, the same day)');
SELECT throws_ok($$SELECT smartregion._hub_provenance()$$, '0A000', NULL, 'a trigger function cannot be called directly');

-- 2. an agent and the platform administrator
SELECT count(*) > 0 AS loaded FROM smartregion.load_territories(
  '[{"code": "69001", "nom": "A", "departement": "69", "region": "84", "population": 1000},
    {"code": "69002", "nom": "B", "departement": "69", "region": "84", "population": 1000}]',
  '[]', '[{"code": "69", "nom": "Rhône", "region": "84"}]', '[{"code": "84", "nom": "ARA"}]') \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('it_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('it_hub') \gset
CREATE ROLE it_agent IN ROLE smartregion_agent;
CREATE ROLE it_agent2 IN ROLE smartregion_agent;
CREATE ROLE it_padmin IN ROLE smartregion_platform_admin;
SELECT format('GRANT CREATE ON DATABASE %I TO it_padmin', current_database()) \gexec
INSERT INTO it_hub.agents VALUES ('it_agent', '69001'), ('it_agent2', '69002');
INSERT INTO it_hub.projects (id, name, territory_code, visibility) VALUES (1, 'a', '69001', 'restricted'), (2, 'b', '69002', 'restricted');

SELECT is((SELECT string_agg(f || ' ' || pg_temp.as_role('it_agent', q), ', ' ORDER BY f) FROM (VALUES
    ('_group_role_policies(name)', $q$SELECT smartregion._group_role_policies('it_hub')$q$),
    ('_hub_check_constraint(name,name,name,text)', $q$SELECT smartregion._hub_check_constraint('it_hub', 'tl_proposal', 'tl_proposal_status_check', 'CHECK (true)')$q$),
    ('_hub_fire_deferred(name)', $q$SELECT smartregion._hub_fire_deferred('it_hub')$q$),
    ('_hub_table_no_statistics(name,name)', $q$SELECT smartregion._hub_table_no_statistics('it_hub', 'projects')$q$),
    ('_secure_platform_tables(name)', $q$SELECT smartregion._secure_platform_tables('it_hub')$q$),
    ('_territory_type_inherit(name,name,name,name,text)', $q$SELECT smartregion._territory_type_inherit('it_hub', 'tl_request', 'projects', 'project_id')$q$),
    ('_tl_history_restrict_hidden(name)', $q$SELECT smartregion._tl_history_restrict_hidden('it_hub')$q$),
    ('_zae_zone_history_adopt(name)', $q$SELECT smartregion._zae_zone_history_adopt('it_hub')$q$),
    ('_zae_zone_history_restrict_hidden(name)', $q$SELECT smartregion._zae_zone_history_restrict_hidden('it_hub')$q$),
    ('_zae_zone_history_restrict_renumbered(name)', $q$SELECT smartregion._zae_zone_history_restrict_renumbered('it_hub')$q$)) v(f, q)),
          (SELECT string_agg(f || ' 42501', ', ' ORDER BY f) FROM unnest(ARRAY[
    '_group_role_policies(name)',
    '_hub_check_constraint(name,name,name,text)',
    '_hub_fire_deferred(name)',
    '_hub_table_no_statistics(name,name)',
    '_secure_platform_tables(name)',
    '_territory_type_inherit(name,name,name,name,text)',
    '_tl_history_restrict_hidden(name)',
    '_zae_zone_history_adopt(name)',
    '_zae_zone_history_restrict_hidden(name)',
    '_zae_zone_history_restrict_renumbered(name)']) f),
          'an agent calling any of the ten directly is refused (42501; before, each ran as the agent)');
SELECT is(pg_temp.as_role('it_agent', $$SELECT string_agg(name, ',' ORDER BY id) FROM it_hub.projects$$) || ' / ' ||
          pg_temp.as_role('it_agent2', $$SELECT string_agg(name, ',' ORDER BY id) FROM it_hub.projects$$),
          'a / b', 'the two agents still read their own territory''s restricted project each, not the other''s');
SELECT is(pg_temp.as_role('it_agent', $$INSERT INTO it_hub.projects (id, name, territory_code, visibility) VALUES (3, 'c', '69001', 'restricted') RETURNING name$$),
          'c', 'and the agent still writes its territory''s rows (the hub''s triggers call internal functions as it)');

SELECT is(pg_temp.as_role('it_padmin', $$SELECT count(*) > 0 FROM smartregion.create_hub('it_own')$$, true),
          'true', 'the platform administrator makes a hub (its templates call _territory_type_inherit, _hub_check_constraint, _tl_history_restrict_hidden, _zae_zone_history_restrict_*)');
SELECT is(pg_temp.as_role('it_padmin', $$SELECT count(*) > 0 FROM smartregion.enable_territory_security('it_own')$$, true),
          'true', 'enables its territory security (_secure_platform_tables, _group_role_policies, _hub_table_no_statistics, _hub_fire_deferred)');
SELECT is(pg_temp.as_role('it_padmin', $$SELECT smartregion.pseudonym('alice', 'it_own') ~ '^pseudo:'$$, true)
          || ' / ' || pg_temp.as_role('it_padmin', $$SELECT count(*) > 0 FROM smartregion.drop_hub('it_own')$$),
          'true / true', 'computes a pseudonym (_pseudonym_key) and drops the hub (_hub_fire_deferred)');

-- 3. event triggers
SELECT is((SELECT count(*)::int FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'smartregion'
            WHERE d.deptype = 'e' AND d.classid = 'pg_event_trigger'::regclass), 0,
          'the extension has no event trigger');
SELECT is((SELECT count(*)::int FROM pg_event_trigger t JOIN pg_proc p ON p.oid = t.evtfoid
            WHERE p.pronamespace = 'smartregion'::regnamespace), 0,
          'and no event trigger of the database calls a function of its schema');

SELECT * FROM finish();
ROLLBACK;
