-- ---------------------------------------------------------------------------
-- Platform layer: versions, service registry, hub tables, territory security
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.visibility AS ENUM ('public', 'restricted');
COMMENT ON TYPE @extschema@.visibility IS
  'visibility of a hub row: public rows are readable by every agent, restricted rows only by the agents of the owning territory';

-- C helpers (internal: names start with an underscore) ----------------------
CREATE FUNCTION @extschema@._linked_versions() RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sr_fn_linked_versions'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._linked_versions() IS
  'internal: versions of the smartregion library and of the GEOS and PROJ libraries linked into it';

CREATE FUNCTION @extschema@._current_extension() RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_current_extension'
  LANGUAGE C STABLE PARALLEL UNSAFE COST 1;
COMMENT ON FUNCTION @extschema@._current_extension() IS
  'internal: name of the extension whose install or update script is running, NULL outside one';

CREATE FUNCTION @extschema@._options(function text, options jsonb) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sr_fn_options'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._options(text, jsonb) IS
  'internal: a plpgsql function''s jsonb options, checked against its option specs (the same checks and messages as the C functions'') and merged over their defaults';

CREATE FUNCTION @extschema@._require_args(VARIADIC "any") RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_require_args'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@._require_args("any") IS
  'internal: pairs of an argument''s name and value; 22004 parameter "<name>" cannot be NULL for the first NULL value, else true (the NULL rule of the functions taking a hub, called in a declaration: the error carries the caller''s CONTEXT line only)';

CREATE FUNCTION @extschema@._hub_require(hub name, table_name text) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (22004 naming the argument: the shared NULL check, docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('hub', hub);
BEGIN
  -- (the catalog, not to_regclass(format('%I.%I')): an empty name is no hub, not a syntax error)
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                  WHERE n.nspname OPERATOR(pg_catalog.=) hub AND c.relname OPERATOR(pg_catalog.=) table_name) THEN
    RAISE EXCEPTION 'hub "%" has no table %', hub, table_name USING ERRCODE = '42P01', HINT = 'Run smartregion.create_hub() first.';
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_require(name, text) IS
  'internal: 22004 when the hub argument is NULL, 42P01 (hint: create_hub) when the hub has no such table: the one check of the functions taking a hub name';

CREATE FUNCTION @extschema@._query_subquery(param text, sql text, columns text[] DEFAULT '{}')
RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_query_subquery'
  LANGUAGE C STABLE PARALLEL RESTRICTED COST 100;
COMMENT ON FUNCTION @extschema@._query_subquery(text, text, text[]) IS
  'internal: a caller''s query checked as the C functions check their SQL-text arguments (one read-only query, the columns named present), its text ready to embed as a subquery of a plpgsql function''s own query (without its trailing semicolon, between newlines)';

-- The schemas of the relations a caller's query reads (views' relations included), from
-- its parse analysis and rewriting only: never planned nor run (_query_hub_guard).
CREATE FUNCTION @extschema@._query_schemas(param text, sql text, search_path text DEFAULT NULL)
RETURNS name[]
  AS 'MODULE_PATHNAME', 'sr_fn_query_schemas'
  LANGUAGE C STABLE PARALLEL UNSAFE COST 100;   -- (it sets search_path for the analysis)
COMMENT ON FUNCTION @extschema@._query_schemas(text, text, text) IS
  'internal: the schemas of the relations a caller''s query reads, views'' own relations included, from its parse analysis and rewriting under search_path (NULL: the current one), checked as the reader checks it (one read-only query); the query is neither planned nor run';

-- The relations a caller's query reads (views' relations included), from the same analysis:
-- which hub tables a published zone_indicators call reads (_zones_texts_read, once a call).
CREATE FUNCTION @extschema@._query_relations(param text, sql text, search_path text DEFAULT NULL)
RETURNS regclass[]
  AS 'MODULE_PATHNAME', 'sr_fn_query_relations'
  LANGUAGE C STABLE PARALLEL UNSAFE COST 100;   -- (it sets search_path for the analysis)
COMMENT ON FUNCTION @extschema@._query_relations(text, text, text) IS
  'internal: the relations a caller''s query reads, views'' own relations included, from its parse analysis and rewriting under search_path (NULL: the current one), checked as the reader checks it (one read-only query); the query is neither planned nor run';

-- What a caller's query runs of its own (the functions it calls, views' and policies'
-- included, and the domains it checks), from the same parse analysis and rewriting, never
-- planned nor run, checked against the current role's rights (_query_hub_guard).
CREATE FUNCTION @extschema@._query_code(param text, sql text, search_path text DEFAULT NULL,
                                        OUT untrusted_role name, OUT untrusted text, OUT fix text,
                                        OUT calls_set_config boolean, OUT opaque boolean)
  AS 'MODULE_PATHNAME', 'sr_fn_query_code'
  LANGUAGE C STABLE PARALLEL UNSAFE COST 100;   -- (it sets search_path for the analysis)
COMMENT ON FUNCTION @extschema@._query_code(text, text, text) IS
  'internal: what a caller''s query runs of its own, from its parse analysis and rewriting under search_path (NULL: the current one), checked as the reader checks it, never planned nor run: the first function it calls (operators'' and aggregates'', and those of the views and row-level security policies its rewriting brings in) or domain it casts to whose owner does not hold the current role''s rights (untrusted_role, untrusted, fix), whether it calls set_config, whether it calls a function whose reads cannot be seen (opaque: in SQL or a procedural language and neither PostgreSQL''s nor an extension''s, or one running a query given as text; an SQL function of a role holding the caller''s rights whose body is bound when created (BEGIN ATOMIC, RETURN), neither SECURITY DEFINER nor with SET clauses nor writing, is read as a view instead: what its rewritten body calls is checked in turn, and it is opaque only if that body reads a hub)';

CREATE FUNCTION @extschema@.option_specs()
RETURNS TABLE (function text, option text, type text, range text, default_value text,
               unit text, meaning text)
  AS 'MODULE_PATHNAME', 'sr_fn_option_specs'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100 ROWS 450;
COMMENT ON FUNCTION @extschema@.option_specs() IS
  'every jsonb option of every function: name, type, accepted range, default, unit and meaning, from the specs the functions themselves check (docs/options.md is generated from it)';

CREATE FUNCTION @extschema@._postgis_schema() RETURNS name
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$ SELECT n.nspname FROM pg_catalog.pg_extension e JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
       WHERE e.extname = 'postgis' $$;
COMMENT ON FUNCTION @extschema@._postgis_schema() IS
  'internal: the schema PostGIS is installed in, so that PostGIS is always called schema-qualified (a search_path cannot capture it)';

-- "The caller is a member of group X", whatever the grant's options: on PostgreSQL 16+
-- a grant WITH INHERIT FALSE, SET FALSE (ADMIN only) counts, so it is left where it only
-- adds a refusal or changes a message; "may act as X" is _caller_may_act_as (below;
-- docs/security-reviews.md#r-noinherit-set).  Not inlined (its search_path is pinned):
-- a policy calls it as a scalar subquery, (SELECT _caller_is_member(...)), an InitPlan
-- evaluated once a query, not once a row.  A policy holds it resolved, so a role without USAGE on this schema
-- runs it (EXECUTE is PUBLIC's); PL/pgSQL names it at run time, which needs that
-- USAGE: a trigger that any writer of a hub table fires, and that names nothing else
-- here, writes the test out (_agents_listed).
CREATE FUNCTION @extschema@._caller_is_member(group_role name) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$ SELECT EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) group_role
                       AND pg_catalog.pg_has_role(r.oid, 'MEMBER')) $$;
COMMENT ON FUNCTION @extschema@._caller_is_member(name) IS
  'internal: whether the current role is a member of group_role, directly or through other roles (pg_has_role''s MEMBER, whatever their INHERIT); false when group_role does not exist (create_roles not run)';

-- "The caller may act as group X": it holds X's privileges (pg_has_role's USAGE), or may
-- SET ROLE to X.  On PostgreSQL 15 every member may SET ROLE, so that is MEMBER (USAGE
-- implies it): unchanged.  On 16+ a grant WITH INHERIT FALSE, SET FALSE (an ADMIN-only
-- grant, as a CREATEROLE role gets over each role it creates while createrole_self_grant
-- is empty, its default) is a MEMBER that may do neither: USAGE or SET.  The 'SET' branch is never reached on 15, whose pg_has_role has no
-- SET (it would raise 22023): PL/pgSQL plans an expression only when it first runs it.
-- The 16+ branch is run on PostgreSQL 17 by pgTAP membership_set_option (scripts/pg17-test.sh,
-- 2026-12-07; docs/security-reviews.md#r-noinherit-set).
-- For the platform administrator's tests of "who it may act as" (_caller_is_privileged,
-- the policies provenance_read, sr_confidential_territory, sr_campaign_invited_only);
-- "what row-level security shows it" is pg_has_role(X, 'USAGE') (_zones_publication_scope,
-- _refresh_buildings_sql, tl_propose), or _caller_reads_every_row.
CREATE FUNCTION @extschema@._caller_may_act_as(group_role name) RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g oid := (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) group_role);
BEGIN
  IF g IS NULL THEN
    RETURN false;   -- (create_roles not run)
  ELSIF pg_catalog.current_setting('server_version_num')::pg_catalog.int4 OPERATOR(pg_catalog.>=) 160000 THEN
    RETURN pg_catalog.pg_has_role(g, 'USAGE') OR pg_catalog.pg_has_role(g, 'SET');
  END IF;
  RETURN pg_catalog.pg_has_role(g, 'MEMBER');
END
$$;
COMMENT ON FUNCTION @extschema@._caller_may_act_as(name) IS
  'internal: whether the current role may act as group_role: holds its privileges (pg_has_role USAGE) or may SET ROLE to it; on PostgreSQL 15 a member (MEMBER, whatever its INHERIT: every member may SET ROLE), on 16+ USAGE or SET (a grant WITH INHERIT FALSE, SET FALSE does not count); false when group_role does not exist';

-- The callers whose rights nobody else on a hub may borrow: superusers and the platform
-- administrators (every row of every hub, the pseudonym key).  The trust guards
-- (_hub_code_guard, _query_hub_guard) bind them only, where they are asked to.
-- A member whatever its INHERIT (MEMBER, not USAGE), on purpose: it says who the caller
-- may act as, not what it reads.  A NOINHERIT member (PostgreSQL 16+: a grant WITH
-- INHERIT FALSE) gets neither the group's privileges nor its policies, but may SET ROLE to
-- the group (on 15 every member may), so code that runs with its rights may too (the
-- guards bind it: more refused, never less), and what the other uses let it do (withdraw
-- a proposal, set a hub's secrecy rules) it may do anyway as the group.  Never a test of
-- "row-level security shows it every row": that is _caller_reads_every_row, or
-- pg_has_role(group, 'USAGE') (_zones_publication_scope, fixed 2026-12-07, h2; the uses
-- reviewed 2026-12-07, h9: docs/security-reviews.md#r-noinherit-platform,
-- extension/tests/pgtap/noinherit_platform.sql).  On PostgreSQL 16+ a grant WITH INHERIT
-- FALSE, SET FALSE is a MEMBER that may neither hold the group's rights nor SET ROLE to
-- it: not counted there (_caller_may_act_as; sr_caller_is_privileged in C the same).
CREATE FUNCTION @extschema@._caller_is_privileged() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$ SELECT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER), false)
             OR @extschema@._caller_may_act_as('smartregion_platform_admin') $$;
COMMENT ON FUNCTION @extschema@._caller_is_privileged() IS
  'internal: whether the current role is a superuser or a platform administrator (may act as smartregion_platform_admin, _caller_may_act_as: on PostgreSQL 15 a member whatever its INHERIT; on 16+ holding its privileges or allowed to SET ROLE to it; who it may act as, not what it reads), the callers the trust guards bind';

-- PostGIS may live in any schema, known only when this script runs
-- (@extschema:postgis@ needs PostgreSQL 16): declarations that name a
-- PostGIS type go through _run_ddl, which writes the schema in.
CREATE FUNCTION @extschema@._run_ddl(ddl text) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g name := @extschema@._postgis_schema();
BEGIN
  IF g IS NULL THEN
    RAISE EXCEPTION 'PostGIS is not installed in this database' USING ERRCODE = '55000',
      HINT = 'CREATE EXTENSION postgis, or CREATE EXTENSION smartregion CASCADE.';
  END IF;
  EXECUTE pg_catalog.replace(ddl, '@postgis@', pg_catalog.quote_ident(g));
END
$$;
COMMENT ON FUNCTION @extschema@._run_ddl(text) IS
  'internal: runs install-script DDL in which @postgis@ stands for the (quoted) schema of PostGIS, so that PostGIS types are always schema-qualified';
REVOKE ALL ON FUNCTION @extschema@._run_ddl(text) FROM PUBLIC;

-- version() -----------------------------------------------------------------
-- PARALLEL UNSAFE: it calls PostGIS's postgis_lib_version(), which PostGIS leaves unlabelled
-- (unsafe); a function is no safer than what it calls
CREATE FUNCTION @extschema@.version() RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage version
  -- (the reader)
DECLARE
  postgis_schema name;
  postgis_version text;
  ext_version text;
  linked jsonb := @extschema@._linked_versions();
BEGIN
  postgis_schema := @extschema@._postgis_schema();
  IF postgis_schema IS NOT NULL THEN
    EXECUTE pg_catalog.format('SELECT %I.postgis_lib_version()', postgis_schema) INTO postgis_version;
  END IF;
  SELECT e.extversion INTO ext_version FROM pg_catalog.pg_extension e WHERE e.extname = 'smartregion';
  RETURN pg_catalog.jsonb_build_object(
    'smartregion', ext_version,
    'library', linked -> 'library',
    'postgresql', pg_catalog.current_setting('server_version'),
    'postgresql_num', pg_catalog.current_setting('server_version_num')::int,
    'postgresql_compiled', linked -> 'postgresql_compiled',
    'postgis', postgis_version,
    'geos', linked -> 'geos',
    'proj', linked -> 'proj');
END;
END
$$;
COMMENT ON FUNCTION @extschema@.version() IS
  'versions of smartregion (installed SQL and library), PostgreSQL, PostGIS, and the GEOS and PROJ linked into smartregion, as jsonb';

-- Service registry ------------------------------------------------------------
CREATE TABLE @extschema@.service (
  name         text PRIMARY KEY CONSTRAINT service_name_format CHECK (name ~ '^[a-z][a-z0-9_]*$'),
  version      text NOT NULL,
  description  text NOT NULL,
  entry_points text[] NOT NULL DEFAULT '{}',
  provider     text,            -- extension that registered it; NULL = registered by hand
  registered_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.service IS
  'registry of the smart services hosted by the platform; extensions register theirs with smartregion.register_service()';
-- Rows registered by hand are user configuration: keep them in pg_dump.  Rows of
-- an extension are re-created by that extension's own script.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.service', 'WHERE provider IS NULL');

CREATE FUNCTION @extschema@.register_service(
  name text, version text, description text, entry_points text[] DEFAULT '{}', provider text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ep text;
  who text := coalesce(register_service.provider, @extschema@._current_extension());
BEGIN
  IF name IS NULL OR name !~ '^[a-z][a-z0-9_]*$' THEN
    RAISE EXCEPTION 'invalid service name "%"', name
      USING ERRCODE = '22023', DETAIL = 'A service name is lower-case letters, digits and underscores, starting with a letter.';
  END IF;
  IF version IS NULL OR description IS NULL THEN
    RAISE EXCEPTION 'service "%" needs a version and a description', name USING ERRCODE = '22004';
  END IF;
  -- every entry point must exist: unqualified names live in the smartregion schema
  FOREACH ep IN ARRAY coalesce(entry_points, '{}') LOOP
    IF NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
       WHERE p.proname = pg_catalog.split_part(ep, '.', CASE WHEN ep LIKE '%.%' THEN 2 ELSE 1 END)
         AND n.nspname = CASE WHEN ep LIKE '%.%' THEN pg_catalog.split_part(ep, '.', 1) ELSE '@extschema@' END)
    THEN
      RAISE EXCEPTION 'entry point "%" of service "%" does not exist', ep, name
        USING ERRCODE = '42883', HINT = 'Create the function before registering the service, or qualify it with its schema.';
    END IF;
  END LOOP;
  INSERT INTO @extschema@.service AS s (name, version, description, entry_points, provider)
  VALUES (name, version, description, coalesce(entry_points, '{}'), who)
  ON CONFLICT ON CONSTRAINT service_pkey DO UPDATE
     SET version = EXCLUDED.version, description = EXCLUDED.description,
         entry_points = EXCLUDED.entry_points, provider = EXCLUDED.provider,
         registered_at = pg_catalog.now();
END
$$;
COMMENT ON FUNCTION @extschema@.register_service(text, text, text, text[], text) IS
  'registers (or updates) a smart service: name, version, description and entry-point functions; provider defaults to the extension being created';

CREATE FUNCTION @extschema@.unregister_service(name text) RETURNS boolean
LANGUAGE sql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$ WITH d AS (DELETE FROM @extschema@.service s WHERE s.name = unregister_service.name RETURNING 1)
      SELECT pg_catalog.count(*) > 0 FROM d $$;
COMMENT ON FUNCTION @extschema@.unregister_service(text) IS
  'removes a service from the registry; true when it was registered';

CREATE FUNCTION @extschema@.services()
RETURNS TABLE (name text, version text, description text, entry_points text[], provider text)
-- (PL/pgSQL, not SQL, whose body is looked up before any statement runs)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100 ROWS 20
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage services
  -- services of an extension that has since been dropped are not listed
  RETURN QUERY
  SELECT s.name, s.version, s.description, s.entry_points, s.provider
    FROM @extschema@.service s
   WHERE s.provider IS NULL
      OR EXISTS (SELECT 1 FROM pg_catalog.pg_extension e WHERE e.extname OPERATOR(pg_catalog.=) s.provider)
   ORDER BY s.name;
END
$$;
COMMENT ON FUNCTION @extschema@.services() IS
  'the smart services installed on the platform, with version, description, entry-point functions and the extension that provides each';

-- The time a row holding personal data was recorded, from which its retention
-- period counts: not later than now, and never moved forward (a row dated in
-- the future, or 'infinity', would escape purge_expired).
CREATE FUNCTION @extschema@._recorded_at_guard() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.recorded_at := CASE WHEN NEW.recorded_at OPERATOR(pg_catalog.<) pg_catalog.now() THEN NEW.recorded_at
                            ELSE pg_catalog.now() END;
  ELSIF NEW.recorded_at OPERATOR(pg_catalog.>) OLD.recorded_at THEN
    NEW.recorded_at := OLD.recorded_at;
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._recorded_at_guard() IS
  'internal: trigger of the hub tables holding personal data: recorded_at (from which retention counts) is never later than now nor moved forward';

-- Registries that hold code smartregion runs later (hub-table DDL, personal-data
-- filters, criterion and plugin functions) run it with the rights of whoever
-- calls the functions that use it, a superuser included: only a superuser
-- writes such code there (a platform administrator who could would make
-- itself superuser through the next superuser's call).
-- The rule for a registered function, in one place (C, sr_registered_function): it exists
-- and belongs to a superuser (42883, 42501), with one message naming the registry and its
-- entry.  The readers check it at every call, the guard below at every registration.
CREATE FUNCTION @extschema@._registered_function(signature text, registry text, entry text)
RETURNS oid
  AS 'MODULE_PATHNAME', 'sr_fn_registered_function'
  LANGUAGE C STABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._registered_function(text, text, text) IS
  'internal: the OID of a registered function (its schema-qualified signature; registry and entry name it in messages): 42883 when there is no such function, 42501 when it does not belong to a superuser; the rule the readers of match_criterion and maturity_indicator apply at every call';

-- The rule for the labels of a registered function, in one place too (C,
-- sr_registered_function_labels): no more volatile, at least as parallel safe, as the
-- functions calling its registry (a plugin: STABLE; a criterion: STABLE PARALLEL SAFE).
CREATE FUNCTION @extschema@._registered_function_labels(fn oid, registry text, entry text)
RETURNS void
  AS 'MODULE_PATHNAME', 'sr_fn_registered_function_labels'
  LANGUAGE C STABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._registered_function_labels(oid, text, text) IS
  'internal: 42P13 when a registered function (registry "criterion" or "indicator", entry naming it in the message) is more volatile or less parallel safe than the functions calling its registry (a maturity plugin must be STABLE or IMMUTABLE; a match criterion also PARALLEL SAFE); the rule the readers apply at every call and the registries'' guard at every registration';

CREATE FUNCTION @extschema@._code_registry_guard() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  col text := TG_ARGV[0];
  newv text := pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) col;
  oldv text := CASE WHEN TG_OP = 'UPDATE' THEN pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) col END;
  known boolean;
  fn oid;
BEGIN
  -- a registered function must belong to a superuser, whoever registers it: its owner
  -- could otherwise redefine it after the registration (CREATE OR REPLACE).  Checked when
  -- the signature is written, not when a row's other columns change: the function may be
  -- gone since (the readers check it again, owner included, when they call it).  One rule,
  -- message and SQLSTATE with the readers' (_registered_function, C)
  IF newv IS NOT NULL AND newv IS DISTINCT FROM oldv
     AND col OPERATOR(pg_catalog.<>) ALL (ARRAY['ddl', 'subject_filter']) THEN
    fn := @extschema@._registered_function(newv,
            CASE TG_TABLE_NAME WHEN 'match_criterion' THEN 'criterion' ELSE 'indicator' END,
            pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>)
              CASE TG_TABLE_NAME WHEN 'match_criterion' THEN 'name' ELSE 'indicator' END);
    -- its labels too (42P13), by the rule of the readers' check at every call: a plugin
    -- STABLE (the maturity readers are STABLE), a criterion STABLE PARALLEL SAFE (so are
    -- match_score and match_explain).  The readers check again: a function may be altered
    -- after its registration
    PERFORM @extschema@._registered_function_labels(fn,
              CASE TG_TABLE_NAME WHEN 'match_criterion' THEN 'criterion' ELSE 'indicator' END,
              pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>)
                CASE TG_TABLE_NAME WHEN 'match_criterion' THEN 'name' ELSE 'indicator' END);
  END IF;
  IF newv IS NULL OR newv IS NOT DISTINCT FROM oldv
     OR (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
    RETURN NEW;
  END IF;
  -- code already registered (by a superuser) may be reused, as a copied framework does
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT 1 FROM %I.%I t WHERE pg_catalog.to_jsonb(t) OPERATOR(pg_catalog.->>) $1 '
                            'OPERATOR(pg_catalog.=) $2)', TG_TABLE_SCHEMA, TG_TABLE_NAME) INTO known USING col, newv;
  IF NOT known THEN
    RAISE EXCEPTION 'must be superuser to register code in %.%', TG_TABLE_NAME, col
      USING ERRCODE = '42501',
            DETAIL = 'It would run with the rights of whoever calls the functions that use it, a superuser included.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._code_registry_guard() IS
  'internal: trigger of the registries holding code smartregion runs later (hub_table.ddl, personal_data.subject_filter, match_criterion.function, maturity_indicator.plugin): only a superuser writes it (42501)';

-- The registries of functions smartregion calls later (match_criterion.function,
-- maturity_indicator.plugin) hold each function by its signature as text, not as a
-- regprocedure, which pg_upgrade refuses in a user table.  This trigger (C: it
-- resolves the name with the writer's search_path, as a regprocedure input did)
-- stores it schema-qualified; it fires before sr_code_guard (triggers fire in
-- name order), which then reads a name its pinned search_path resolves.
CREATE FUNCTION @extschema@._registered_function_name() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sr_fn_registered_function_name'
  LANGUAGE C VOLATILE PARALLEL UNSAFE COST 10;
COMMENT ON FUNCTION @extschema@._registered_function_name() IS
  'internal: trigger of the registries of functions (match_criterion.function, maturity_indicator.plugin; argument: the column): resolves the signature written with the writer''s search_path and stores it schema-qualified, argument types included (42883 when there is no such function); a row updated without changing it is left as it is';

-- Territory codes and their types (docs/security.md, "Territory codes and
-- types"): the 18 région codes are also département codes (53 is Bretagne and
-- Mayenne), and the overseas collectivités are listed as both, so a hub row,
-- an agent or a territory administrator with one of these 26 codes says which
-- it means (territory_type); the others may stay untyped.
CREATE FUNCTION @extschema@.territory_code_types(code text) RETURNS text[]
  AS 'MODULE_PATHNAME', 'sr_fn_territory_code_types'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.territory_code_types(text) IS
  'the territory types a code may name by its shape (commune: 5 characters; epci: a 9-digit SIREN; departement: 01-95 but 20, 2A, 2B, 971-974, 976; region: the 18 région codes; both: the overseas collectivités 975, 977, 978, 984, 986-989), in that order; two types for the 26 codes that are both a département''s and a région''s, none for a hub''s own codes';

-- (the CHECK expression passes its table's name: the error names the table
-- and the constraint, which a function cannot see)
CREATE FUNCTION @extschema@._territory_typed_check(territory_type text, territory_code text, table_name text) RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_territory_typed_check'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@._territory_typed_check(text, text, text) IS
  'internal: check of every hub table (constraint <table_name>_territory_typed, which passes its table''s name): true, or a check_violation (23514) naming the table and the constraint when a row without territory_type carries a code that is both a département''s and a région''s, or a typed row''s code has not its type''s shape';

-- A département or région an options object filters by ("departement", "region") that is no
-- territory: 42704, not an empty table (a code typed "7" for "07" gave no row, as a département
-- where nothing happened).  The readers that filter by them call it (maturity_movers,
-- tierslieux_coverage, thd_rollout); thd_rollout passes its hub, whose ARCEP tables may know a
-- code the territories do not.
CREATE FUNCTION @extschema@._territory_filter_check(options jsonb, thd_hub text DEFAULT NULL) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  kind text;
  code text;
  known boolean;
BEGIN
  FOREACH kind IN ARRAY ARRAY['departement', 'region'] LOOP
    CONTINUE WHEN options IS NULL OR NOT options ? kind;
    code := options->>kind;
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM @extschema@.territory t WHERE (t.type OPERATOR(pg_catalog.=) $1 '
                              'AND t.code OPERATOR(pg_catalog.=) $2) OR t.%I OPERATOR(pg_catalog.=) $2)', kind || '_code')
      INTO known USING kind, code;
    IF NOT known AND thd_hub IS NOT NULL THEN
      EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %1$I.thd_premises p WHERE p.%2$I OPERATOR(pg_catalog.=) $1) '
                                'OR EXISTS (SELECT FROM %1$I.thd_ftth f WHERE f.territory_type OPERATOR(pg_catalog.=) $2 '
                                'AND f.territory_code OPERATOR(pg_catalog.=) $1)', thd_hub, kind || '_code')
        INTO known USING code, kind;
    END IF;
    IF NOT known THEN
      RAISE EXCEPTION '% "%" does not exist', CASE kind WHEN 'departement' THEN 'département' ELSE 'région' END, code
        USING ERRCODE = '42704',
              HINT = pg_catalog.format('%s are named by their INSEE code (%s), loaded by smartregion.load_territories()%s.',
                                       CASE kind WHEN 'departement' THEN 'Départements' ELSE 'Régions' END,
                                       CASE kind WHEN 'departement' THEN '"07", "2A", "971"' ELSE '"84", "01"' END,
                                       CASE WHEN thd_hub IS NULL THEN '' ELSE ' or found in the hub''s ARCEP data (communes.csv)' END);
    END IF;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._territory_filter_check(jsonb, text) IS
  'internal: 42704 when an options object''s "departement" or "region" is neither a territory of that type nor the département or région of one (nor, given thd_hub, a code of that hub''s ARCEP tables): the readers filtering by them (maturity_movers, tierslieux_coverage, thd_rollout) refuse a code that names nothing instead of returning no row';

CREATE FUNCTION @extschema@._territory_code_type(code text) RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_territory_code_type'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@._territory_code_type(text) IS
  'internal: the one territory type a code''s shape admits, NULL when none or two (an agent listed without a type has this one)';

-- The "same territory" test compares the types rows, agents and consents are
-- of: their territory_type, or for an untyped one the type its code implies.
-- A C function, not an SQL one: the policies call it per row, and a pinned
-- SQL function (SET search_path) is never inlined.  Not strict: a type
-- without a code is that type, as coalesce(type, ...) gave.
CREATE FUNCTION @extschema@._territory_type_or_implied(territory_type text, territory_code text) RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_territory_type_or_implied'
  LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@._territory_type_or_implied(text, text) IS
  'internal: the territory type of a row, an agent or a consent: its territory_type, or when NULL the one type its code''s shape admits (NULL when none or two); coalesce(territory_type, _territory_code_type(territory_code)) in one call, used wherever two territories are compared';

-- The territory policies' test "this row is of one of my territories", as SQL
-- text: an untyped row matches an agent of its code (its code is unambiguous,
-- by the check above), a typed row an agent of its type and code.  The two
-- subqueries do not depend on the row: each runs once per statement.  Without
-- a hub, the schema is written %1$I, for the DDL templates of register_hub_table.
CREATE FUNCTION @extschema@._territory_mine_sql(hub name, type_expr text, code_expr text,
                                                 roles_table name DEFAULT 'agents')
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format(
    '((%2$s IS NULL AND %3$s OPERATOR(pg_catalog.=) ANY (SELECT a.territory_code FROM %1$s.%4$I a '
    'WHERE a.role_name OPERATOR(pg_catalog.=) CURRENT_USER)) OR '
    'ROW(%2$s, %3$s) OPERATOR(pg_catalog.=) ANY (SELECT @extschema@._territory_type_or_implied(a.territory_type, a.territory_code), '
    'a.territory_code FROM %1$s.%4$I a WHERE a.role_name OPERATOR(pg_catalog.=) CURRENT_USER))',
    coalesce(pg_catalog.quote_ident(hub), '%1$I'), type_expr, code_expr, roles_table)
$$;
COMMENT ON FUNCTION @extschema@._territory_mine_sql(name, text, text, name) IS
  'internal: SQL text of the territory policies'' test that a row (its type and code expressions) is of one of the current role''s territories listed in <hub>.<roles_table> (agents or territory_admins): an untyped row by its code, a typed row by its type and code; hub NULL writes the schema as %1$I (a hub table''s DDL template)';

-- Typing a row (review 35): an UPDATE whose only change is to give an untyped
-- row its territory_type.  The triggers that otherwise fix a row's territory
-- (requests, proposals, their history, campaigns, answers) let it through, so
-- that the rows of a hub made before the types can be typed; the check
-- <table>_territory_typed refuses a type the code cannot name, and the write
-- policy a type that is not the writer's.  In a hub made with the types an
-- untyped row's code names one type only, so typing it changes no reader.
CREATE FUNCTION @extschema@._territory_typing_only(new_row jsonb, old_row jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT coalesce(old_row OPERATOR(pg_catalog.->>) 'territory_type' IS NULL
                  AND new_row OPERATOR(pg_catalog.->>) 'territory_type' IS NOT NULL
                  AND (new_row OPERATOR(pg_catalog.-) 'territory_type') OPERATOR(pg_catalog.=)
                      (old_row OPERATOR(pg_catalog.-) 'territory_type'), false)
$$;
COMMENT ON FUNCTION @extschema@._territory_typing_only(jsonb, jsonb) IS
  'internal: whether an UPDATE (its new and old rows as jsonb) only gives an untyped row its territory_type (the triggers fixing a row''s territory let it through: rows of a hub made before the types)';

-- A hub made before the types (review 35): the rows that inherit their
-- territory from a parent row (a request its project's, a proposal its
-- request's, their history, an answer its respondent's) take the parent's
-- type, which the triggers fixing their territory would refuse to take later.
-- Each family says in its tables' DDL templates what their rows inherit from
-- (after adding the column: such a hub has none), create_hub runs them.  The
-- UPDATE runs only when some row would change: an UPDATE of no row still
-- fires the statement triggers, and the provenance trigger recorded an empty
-- write for each of them at every create_hub.  The hub's owner runs it: no
-- row-level security.  entity: only the child rows whose column entity is
-- this (tl_history, whose rows are a request's or a proposal's).
CREATE FUNCTION @extschema@._territory_type_inherit(hub name, child name, parent name, parent_key name,
                                                     entity text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  cond text;
  todo boolean;
  n bigint := 0;
BEGIN
  IF pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub, parent)) IS NULL THEN
    RETURN 0;
  END IF;
  -- an untyped child row of a typed parent of the same code
  cond := pg_catalog.format('p.id OPERATOR(pg_catalog.=) c.%I AND c.territory_type IS NULL AND p.territory_type IS NOT NULL '
                            'AND p.territory_code OPERATOR(pg_catalog.=) c.territory_code', parent_key)
          OPERATOR(pg_catalog.||) CASE WHEN entity IS NULL THEN ''
                                       ELSE pg_catalog.format(' AND c.entity OPERATOR(pg_catalog.=) %L', entity) END;
  -- (create_hub's upgrade steps run no code of a role without the caller's rights:
  -- _hub_upgrade_guard, r-hub-guards; the read only when it runs some, the UPDATE always:
  -- it fires the table's triggers and checks its CHECKs)
  PERFORM @extschema@._hub_upgrade_guard(hub, pg_catalog.format('the territory types of %s', child),
                                         pg_catalog.format('%I.%I', hub, child)::pg_catalog.regclass),
          @extschema@._hub_upgrade_guard(hub, pg_catalog.format('the territory types of %s', child),
                                         pg_catalog.format('%I.%I', hub, parent)::pg_catalog.regclass);
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %1$I.%2$I c JOIN %1$I.%3$I p ON %4$s)', hub, child, parent, cond)
    INTO todo;
  IF todo THEN
    PERFORM @extschema@._hub_upgrade_guard(hub, pg_catalog.format('the territory types of %s', child));
    EXECUTE pg_catalog.format('UPDATE %1$I.%2$I c SET territory_type = p.territory_type FROM %1$I.%3$I p WHERE %4$s',
                              hub, child, parent, cond);
    GET DIAGNOSTICS n = ROW_COUNT;
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@._territory_type_inherit(name, name, name, name, text) IS
  'internal: gives the untyped rows of hub table child the type of their parent row (parent.id = child.parent_key, same territory code; only rows whose entity is this when given), for a hub made before the types; runs no UPDATE when no row would change (no empty provenance); called by the DDL templates of tl_request, tl_proposal, tl_history and campaign_answer; the rows typed';
REVOKE EXECUTE ON FUNCTION @extschema@._territory_type_inherit(name, name, name, name, text) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

-- A CHECK constraint of a hub table that create_hub changed (a state added to a status:
-- tl_proposal's "ended"): replaced only when its definition, as PostgreSQL prints it
-- (pg_get_constraintdef), differs from the one wanted, so that create_hub run again on a
-- hub (the upgrade path) takes no ACCESS EXCLUSIVE lock and no rescan of the table when
-- nothing changes.  def is written as pg_get_constraintdef prints it (under this
-- function's search_path, pg_catalog: the operators unqualified), so that the constraint
-- it adds reads back the same.  The drop and the add are one ALTER TABLE (one lock, one
-- scan).  Before the review of 2026-12-07 (h9) tl_proposal_status_check was dropped and
-- added again at every create_hub.  Returns whether it changed the constraint.
CREATE FUNCTION @extschema@._hub_check_constraint(hub name, tbl name, con name, def text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rel pg_catalog.regclass := pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub, tbl));
  had text;
BEGIN
  IF rel IS NULL THEN
    RETURN false;
  END IF;
  SELECT pg_catalog.pg_get_constraintdef(c.oid) INTO had
    FROM pg_catalog.pg_constraint c
   WHERE c.conrelid OPERATOR(pg_catalog.=) rel AND c.conname OPERATOR(pg_catalog.=) con;
  IF had IS NOT DISTINCT FROM def THEN
    RETURN false;
  END IF;
  EXECUTE pg_catalog.format('ALTER TABLE %s %s ADD CONSTRAINT %I %s', rel,
                            CASE WHEN had IS NULL THEN ''
                                 ELSE pg_catalog.format('DROP CONSTRAINT %I,', con) END, con, def);
  RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_check_constraint(name, name, name, text) IS
  'internal: makes the CHECK constraint con of hub table tbl the one def (written as pg_get_constraintdef prints it), replacing it (drop and add in one ALTER TABLE) only when its definition differs; called by the DDL templates (tl_proposal_status_check), so that create_hub run again takes no lock and scans nothing when nothing changes; whether it changed the constraint';
REVOKE EXECUTE ON FUNCTION @extschema@._hub_check_constraint(name, name, name, text) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

-- An error raised inside a function that runs a generated statement over the
-- caller's queries (the CNIG exports, tierslieux_coverage) carries that whole
-- statement in its context, hundreds of lines that say nothing to the caller:
-- it is raised again with its SQLSTATE, message, detail and hint only; the
-- argument whose query failed (the shared reader's context says "while reading
-- premises_sql"), or the column of a query whose value failed ("while reading
-- column gare_dist of zones_sql", _cnig_convert), named in the detail, else,
-- for an error without a detail, the export whose generated statement raised
-- it; and its position in the caller's text, which PL/pgSQL's handler cannot
-- see, as the reader remembered it (extension/pg/query_errors.c): psql shows
-- the caller's query with LINE n: and a caret.
CREATE FUNCTION @extschema@._reraise_query_error(state text, message text, detail text, hint text, context text,
                                                 export text DEFAULT NULL)
RETURNS void
  AS 'MODULE_PATHNAME', 'sr_fn_reraise_query_error'
  LANGUAGE C VOLATILE PARALLEL RESTRICTED COST 10;
COMMENT ON FUNCTION @extschema@._reraise_query_error(text, text, text, text, text, text) IS
  'internal: raises an error again (SQLSTATE, message, detail, hint) without the generated statement of its context; the detail names the argument whose query failed (premises_sql, zones_sql ...) or the column of a query whose value failed, else, for an error without a detail, the statement export builds; the position in the caller''s query text when the reader remembered it (LINE n: and a caret in psql)';

-- Hub tables ------------------------------------------------------------------
CREATE TABLE @extschema@.hub_table (
  table_name name PRIMARY KEY,
  service    text NOT NULL,
  ddl        text NOT NULL,       -- format() template; %1$I is the target schema
  ord        int NOT NULL DEFAULT 100,
  provider   text
);
COMMENT ON TABLE @extschema@.hub_table IS
  'DDL templates of the platform data tables that smartregion.create_hub() creates; each service registers its own';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.hub_table', 'WHERE provider IS NULL');
CREATE TRIGGER sr_code_guard BEFORE INSERT OR UPDATE ON @extschema@.hub_table
  FOR EACH ROW EXECUTE FUNCTION @extschema@._code_registry_guard('ddl');

-- smartregion's own templates (provider 'smartregion', written by its install script, run by
-- a superuser) are what trust_problems compares a hub with (_hub_objects_stale,
-- _hub_functions_stale read the rows of that provider only): the platform administrator,
-- who may write the register, changed a row's provider (or deleted the row) and every problem
-- of that table in every hub left trust_problems' list, a disabled row-level security or a
-- tampered index included (red team of 2026-12-08, h10).  Only a superuser changes them.
CREATE FUNCTION @extschema@._hub_table_provider_guard() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF ((TG_OP OPERATOR(pg_catalog.<>) 'INSERT' AND OLD.provider OPERATOR(pg_catalog.=) 'smartregion'
       AND (TG_OP OPERATOR(pg_catalog.=) 'DELETE' OR NEW IS DISTINCT FROM OLD))
      OR (TG_OP OPERATOR(pg_catalog.<>) 'DELETE' AND NEW.provider OPERATOR(pg_catalog.=) 'smartregion'
          AND (TG_OP OPERATOR(pg_catalog.=) 'INSERT' OR OLD.provider IS DISTINCT FROM 'smartregion')))
     AND NOT (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
    RAISE EXCEPTION 'must be superuser to change smartregion''s own templates in hub_table'
      USING ERRCODE = '42501',
            DETAIL = pg_catalog.format('Row "%s" is, or would become, a template of provider "smartregion": create_hub writes it in every hub and trust_problems compares every hub with it.',
                                       CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD.table_name ELSE NEW.table_name END),
            HINT = 'Register a table of your own with another name (provider NULL); smartregion''s templates change with its version (ALTER EXTENSION smartregion UPDATE).';
  END IF;
  RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_table_provider_guard() IS
  'internal: trigger of hub_table: only a superuser inserts, changes or deletes a row of provider ''smartregion'' or gives a row that provider (42501): trust_problems compares the hubs with those rows only';
CREATE TRIGGER sr_provider_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.hub_table
  FOR EACH ROW EXECUTE FUNCTION @extschema@._hub_table_provider_guard();

CREATE FUNCTION @extschema@.register_hub_table(table_name name, service text, ddl text, ord int DEFAULT 100)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF ddl IS NULL OR pg_catalog.strpos(ddl, '%1$I') = 0 THEN
    RAISE EXCEPTION 'DDL of hub table "%" must name the target schema as %%1$I', table_name
      USING ERRCODE = '22023';
  END IF;
  INSERT INTO @extschema@.hub_table AS h (table_name, service, ddl, ord, provider)
  VALUES (table_name, service, ddl, coalesce(ord, 100), @extschema@._current_extension())
  ON CONFLICT ON CONSTRAINT hub_table_pkey DO UPDATE
     SET service = EXCLUDED.service, ddl = EXCLUDED.ddl, ord = EXCLUDED.ord, provider = EXCLUDED.provider;
END
$$;
COMMENT ON FUNCTION @extschema@.register_hub_table(name, text, text, int) IS
  'registers the DDL template of a hub table (a format() string where %1$I is the target schema and %2$s the hub''s SRID) created by smartregion.create_hub()';

-- The hub's SRID -----------------------------------------------------------------
CREATE FUNCTION @extschema@._srid_require_metric(srid int, what text) RETURNS void
  AS 'MODULE_PATHNAME', 'sr_fn_srid_require_metric'
  LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@._srid_require_metric(int, text) IS
  'internal: raises the SRID policy''s error (22023) unless srid is a projected SRID in metres of spatial_ref_sys (or 0, local metres); what names the thing checked';

CREATE FUNCTION @extschema@.hub_srid(target_schema name DEFAULT 'hub') RETURNS int
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  srids int[];
  args_given boolean;
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage hub_srid
  -- (a NULL hub is no question: 22004, as every function taking a hub name; a NULL answer
  -- means "no hub", and a loader's ST_Transform(geom, NULL) would write NULL geometries.
  -- The shared check, after that of USAGE, which names no function of the schema: an
  -- assignment of a simple expression, no CONTEXT line of its own)
  args_given := @extschema@._require_args('target_schema', target_schema);
  -- the SRIDs of the typed geometry columns of the schema's hub tables, but
  -- those fixed at 4326 (longitude and latitude points, whatever the hub's SRID)
  SELECT pg_catalog.array_agg(DISTINCT s.srid ORDER BY s.srid) INTO srids
    FROM (SELECT ((a.atttypmod OPERATOR(pg_catalog.&) 268435200) OPERATOR(pg_catalog.>>) 8) AS srid
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            JOIN pg_catalog.pg_type ty ON ty.oid OPERATOR(pg_catalog.=) a.atttypid
            JOIN @extschema@.hub_table h ON h.table_name OPERATOR(pg_catalog.=) c.relname
           WHERE n.nspname OPERATOR(pg_catalog.=) target_schema AND c.relkind OPERATOR(pg_catalog.=) 'r'
             AND ty.typname OPERATOR(pg_catalog.=) 'geometry' AND a.attnum OPERATOR(pg_catalog.>) 0
             AND NOT a.attisdropped AND a.atttypmod OPERATOR(pg_catalog.>=) 0) s
   WHERE s.srid NOT IN (0, 4326);
  IF pg_catalog.cardinality(srids) OPERATOR(pg_catalog.>) 1 THEN
    RAISE EXCEPTION 'the hub in schema "%" has several SRIDs: %', target_schema, pg_catalog.array_to_string(srids, ', ')
      USING ERRCODE = '22023', HINT = 'Transform its geometry columns to one projected SRID.';
  END IF;
  RETURN srids[1];
END
$$;
COMMENT ON FUNCTION @extschema@.hub_srid(name) IS
  'the SRID of a hub (the projected SRID its geometry columns are typed with, given to create_hub), NULL when the schema has no hub; loaders transform into it; a NULL target_schema is 22004';

-- The deferred triggers of a hub's tables (the tiers-lieux history's events,
-- sr_tl_history_notify) fire now for the rows written earlier in the transaction, and
-- are deferred again for those that follow: PostgreSQL refuses to alter a table that has
-- pending trigger events (55006), which the DDL of create_hub and
-- enable_territory_security does.
CREATE FUNCTION @extschema@._hub_fire_deferred(target_schema name)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g name;
BEGIN
  -- (smartregion's own, named sr_...: a deferred constraint of the hub owner's, checked now,
  -- could fail on rows the transaction means to fix before its commit; SET CONSTRAINTS
  -- names the constraint, which for a foreign key is not its triggers' name)
  FOR g IN SELECT DISTINCT k.conname FROM pg_catalog.pg_trigger t
             JOIN pg_catalog.pg_constraint k ON k.oid OPERATOR(pg_catalog.=) t.tgconstraint
             JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) t.tgrelid
             JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE n.nspname OPERATOR(pg_catalog.=) target_schema AND t.tginitdeferred
              AND k.conname OPERATOR(pg_catalog.~~) 'sr\_%' ORDER BY 1 LOOP
    EXECUTE pg_catalog.format('SET CONSTRAINTS %I.%I IMMEDIATE', target_schema, g);
    EXECUTE pg_catalog.format('SET CONSTRAINTS %I.%I DEFERRED', target_schema, g);
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_fire_deferred(name) IS
  'internal: fires now the pending events of smartregion''s initially deferred triggers on a hub''s tables (the tiers-lieux history''s, sr_tl_history_notify), deferred again after, so that create_hub and enable_territory_security may alter the tables (else 55006, pending trigger events); the hub owner''s own deferred constraints stay deferred';
REVOKE EXECUTE ON FUNCTION @extschema@._hub_fire_deferred(name) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

CREATE FUNCTION @extschema@.create_hub(target_schema name, srid int DEFAULT NULL)
RETURNS TABLE (table_name name, service text)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
-- the "already exists, skipping" NOTICEs of its idempotent DDL (dozens on a
-- fresh hub) are noise to the DBA; its own WARNINGs still show
SET client_min_messages = warning
AS $$
DECLARE
  -- (22004 naming the argument: the shared NULL check, docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('target_schema', target_schema);
  t record;
  v_owner name;
  v_tables text;
  v_srid int;
  v_existing int;
  v_msg text;
  v_detail text;
  v_count bigint;
  k record;
  rel pg_catalog.regclass;
  cn name;
BEGIN
  IF target_schema = '' THEN
    RAISE EXCEPTION 'target schema must be given' USING ERRCODE = '22023';
  END IF;
  -- the hub tables' DDL writes the schema's name into function bodies between dollar
  -- quotes: a name with a '$' could end one early
  IF pg_catalog.strpos(target_schema, '$') OPERATOR(pg_catalog.>) 0 THEN
    RAISE EXCEPTION 'hub schema name "%" contains "$"', target_schema
      USING ERRCODE = '42602', HINT = 'Name the hub with letters, digits and underscores, such as "hub".';
  END IF;
  IF target_schema IN ('@extschema@', 'pg_catalog', 'information_schema') OR target_schema LIKE 'pg\_%' THEN
    RAISE EXCEPTION 'cannot create hub tables in schema "%"', target_schema
      USING ERRCODE = '42939', HINT = 'Hub tables hold user data: use a schema of your own, such as "hub".';
  END IF;
  -- an existing schema, or an existing hub table, owned by another role would
  -- stay under that role's control (it could have planted the agents table)
  SELECT pg_catalog.pg_get_userbyid(n.nspowner) INTO v_owner
    FROM pg_catalog.pg_namespace n WHERE n.nspname = target_schema;
  IF v_owner IS NOT NULL AND v_owner <> CURRENT_USER THEN
    RAISE EXCEPTION 'schema "%" is owned by role "%", not by "%"', target_schema, v_owner, CURRENT_USER
      USING ERRCODE = '42501', HINT = 'Create the hub in a schema you own: its owner controls every table in it.';
  END IF;
  SELECT pg_catalog.string_agg(pg_catalog.format('%I (owner %I)', c.relname, pg_catalog.pg_get_userbyid(c.relowner)), ', '
                               ORDER BY c.relname)
    INTO v_tables
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN @extschema@.hub_table h ON h.table_name = c.relname
   WHERE n.nspname = target_schema AND pg_catalog.pg_get_userbyid(c.relowner) <> CURRENT_USER;
  IF v_tables IS NOT NULL THEN
    RAISE EXCEPTION 'hub tables of schema "%" are owned by other roles: %', target_schema, v_tables
      USING ERRCODE = '42501', HINT = 'The role that creates the hub must own every hub table.';
  END IF;
  -- the hub's SRID (docs/platform.md): the geometry columns of the templates
  -- are typed with it, so that clients (QGIS, GDAL) read type and SRID from
  -- geometry_columns; an existing hub keeps its own
  v_existing := @extschema@.hub_srid(target_schema);
  v_srid := coalesce(srid, v_existing, 2154);
  IF v_srid OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'the hub''s SRID cannot be 0' USING ERRCODE = '22023',
      DETAIL = 'SRID 0 (local metres) does not say where the data is on Earth; maps and clients need it.',
      HINT = 'Use a projected SRID in metres, such as 2154 (Lambert-93) in France.';
  END IF;
  BEGIN
    PERFORM @extschema@._srid_require_metric(v_srid, 'the hub');
  EXCEPTION WHEN invalid_parameter_value THEN
    -- the SRID policy's message, with a hint for this call
    GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
    RAISE EXCEPTION '%', v_msg USING ERRCODE = '22023',
      DETAIL = CASE WHEN v_detail OPERATOR(pg_catalog.=) '' THEN 'The hub''s geometry columns are typed with this SRID.' ELSE v_detail END,
      HINT = 'Give create_hub a projected SRID in metres, such as 2154 (Lambert-93) in France.';
  END;
  IF v_existing OPERATOR(pg_catalog.<>) v_srid THEN
    RAISE EXCEPTION 'the hub in schema "%" already has SRID %, not %', target_schema, v_existing, v_srid
      USING ERRCODE = '22023',
      HINT = 'Call create_hub without an SRID to keep the hub''s own, or transform its geometry columns first (ALTER TABLE ... ALTER COLUMN geom TYPE ... USING ST_Transform(geom, ...)).';
  END IF;
  EXECUTE pg_catalog.format('CREATE SCHEMA IF NOT EXISTS %I', target_schema);
  -- the events of the transitions made earlier in this transaction are sent now
  PERFORM @extschema@._hub_fire_deferred(target_schema);
  -- DROP EXTENSION smartregion CASCADE drops the columns of the extension's types from the
  -- hub's tables (visibility, skies.sky), their territory policies, triggers and checks; the
  -- tables and their rows stay.  Which rows were restricted is lost: they come back
  -- restricted, all of them (never public: a sole trader's establishment, a territory's
  -- private project would be published), and the owner publishes again what was public.
  -- Done before the templates, some of which change visibility (its default, a policy).
  FOR t IN SELECT c.oid::pg_catalog.regclass AS rel, c.relname FROM @extschema@.hub_table h
             JOIN pg_catalog.pg_class c ON c.relname OPERATOR(pg_catalog.=) h.table_name
             JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            WHERE n.nspname OPERATOR(pg_catalog.=) target_schema AND c.relkind IN ('r', 'p')
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                               WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attname OPERATOR(pg_catalog.=) 'visibility'
                                 AND NOT a.attisdropped)
              -- (a table create_hub made a hub table before, as its territory_code says; a
              -- table of the owner's it meets for the first time gets both below, public)
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                           WHERE a.attrelid OPERATOR(pg_catalog.=) c.oid AND a.attname OPERATOR(pg_catalog.=) 'territory_code'
                             AND NOT a.attisdropped)
            ORDER BY h.ord, h.table_name LOOP
    -- (the default fills the existing rows; new rows get the hub's default, public,
    -- or the one their template sets again)
    EXECUTE pg_catalog.format('ALTER TABLE %s ADD COLUMN visibility @extschema@.visibility NOT NULL DEFAULT ''restricted''', t.rel);
    EXECUTE pg_catalog.format('ALTER TABLE %s ALTER COLUMN visibility SET DEFAULT ''public''', t.rel);
    -- (an upgrade step: the count runs no code of a role without the caller's rights,
    -- _hub_upgrade_guard; adding the column runs none: a constant default, no rewrite)
    PERFORM @extschema@._hub_upgrade_guard(target_schema, pg_catalog.format('the rows of %s without visibility', t.relname), t.rel);
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %s', t.rel) INTO v_count;
    -- (the platform's tables, agents, territory_admins and consents, carry a visibility
    -- that no policy reads: restored, not reported)
    IF v_count OPERATOR(pg_catalog.>) 0
       AND t.relname OPERATOR(pg_catalog.<>) ALL (ARRAY['agents', 'territory_admins', 'consents']::name[]) THEN
      RAISE WARNING '% of %.% had no visibility: % restricted',
                    CASE WHEN v_count OPERATOR(pg_catalog.=) 1 THEN '1 row' ELSE pg_catalog.format('%s rows', v_count) END,
                    target_schema, t.relname, CASE WHEN v_count OPERATOR(pg_catalog.=) 1 THEN 'it is' ELSE 'they are' END
        USING DETAIL = 'Their visibility column was dropped (by DROP EXTENSION smartregion CASCADE: its type is the extension''s), and with it which rows were public. Only the agents of each row''s territory read them now.',
              HINT = pg_catalog.format('Publish again the rows that were public (UPDATE %s SET visibility = ''public'' WHERE ...; a dump taken before the drop lists them), and run smartregion.grant_roles(%L).',
                                       t.rel, target_schema);
    END IF;
  END LOOP;
  -- ... and the cumulative skies lost their sky: the rows stay, with none, until they are
  -- computed again (sky_from_epw)
  IF pg_catalog.to_regclass(pg_catalog.format('%I.skies', target_schema)) IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                      WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.skies', target_schema))
                        AND a.attname OPERATOR(pg_catalog.=) 'sky' AND NOT a.attisdropped) THEN
    EXECUTE pg_catalog.format('ALTER TABLE %I.skies ADD COLUMN sky @extschema@.sky', target_schema);
    PERFORM @extschema@._hub_upgrade_guard(target_schema, 'the rows of skies without sky',
                                           pg_catalog.format('%I.skies', target_schema)::pg_catalog.regclass);
    EXECUTE pg_catalog.format('SELECT pg_catalog.count(*) FROM %I.skies', target_schema) INTO v_count;
    IF v_count OPERATOR(pg_catalog.=) 0 THEN
      EXECUTE pg_catalog.format('ALTER TABLE %I.skies ALTER COLUMN sky SET NOT NULL', target_schema);
    ELSE
      RAISE WARNING '% of %.skies % no sky',
                    CASE WHEN v_count OPERATOR(pg_catalog.=) 1 THEN '1 row' ELSE pg_catalog.format('%s rows', v_count) END,
                    target_schema, CASE WHEN v_count OPERATOR(pg_catalog.=) 1 THEN 'has' ELSE 'have' END
        USING DETAIL = 'Their sky column was dropped (by DROP EXTENSION smartregion CASCADE: its type is the extension''s).',
              HINT = pg_catalog.format('Compute them again (UPDATE %1$I.skies SET sky = smartregion.sky_from_epw(...) WHERE name = ...), then ALTER TABLE %1$I.skies ALTER COLUMN sky SET NOT NULL.',
                                       target_schema);
    END IF;
  END IF;
  FOR t IN SELECT h.table_name, h.service, h.ddl FROM @extschema@.hub_table h ORDER BY h.ord, h.table_name LOOP
    -- %1$I is the schema, %2$s the hub's SRID
    EXECUTE pg_catalog.format(t.ddl, target_schema, v_srid);
    -- every hub table carries its owning territory and a visibility
    EXECUTE pg_catalog.format(
      'ALTER TABLE %1$I.%2$I ADD COLUMN IF NOT EXISTS territory_code text, '
      'ADD COLUMN IF NOT EXISTS visibility @extschema@.visibility NOT NULL DEFAULT ''public''',
      target_schema, t.table_name);
    EXECUTE @extschema@._hub_rule_index_ddl(target_schema, t.table_name, 'territory');
    -- a table whose template marks the rows the cascade of sr_restrict_derived restricted
    -- (restricted_with_parent, 35-city3d.sql): a write of a row's visibility by hand clears
    -- its mark (_hub_visibility_by_hand; here, once the table has its visibility: a trigger
    -- on the column's writes names it)
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.%I', target_schema, t.table_name)::pg_catalog.regclass
                  AND a.attname OPERATOR(pg_catalog.=) 'restricted_with_parent' AND NOT a.attisdropped) THEN
      EXECUTE @extschema@._hub_rule_trigger_ddl(target_schema, t.table_name, 'sr_restricted_by_hand');
    END IF;
    -- ... and the territory's type where its code alone is ambiguous (the 18
    -- région codes are also département codes): the territory policies match
    -- a typed row on its type and code (docs/security.md)
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ADD COLUMN IF NOT EXISTS territory_type text',
      target_schema, t.table_name);
    -- (the rows that inherit their territory from another row, in a hub made
    -- before the types, get its type from their own DDL templates, which
    -- add this column first: _territory_type_inherit)
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                    WHERE c.conrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.%I', target_schema, t.table_name)::regclass
                      AND c.conname OPERATOR(pg_catalog.=) pg_catalog.format('%s_territory_typed', t.table_name)) THEN
      BEGIN
        EXECUTE pg_catalog.format('ALTER TABLE %I.%I ADD CONSTRAINT %I CHECK (@extschema@._territory_typed_check(territory_type, territory_code, %L))',
          target_schema, t.table_name, pg_catalog.format('%s_territory_typed', t.table_name), t.table_name);
      EXCEPTION WHEN check_violation THEN
        -- a hub made before: its rows with an ambiguous code keep matching the
        -- agents of either territory until they are typed (the first row
        -- refused says why: an ambiguous code, or a type its code cannot name)
        GET STACKED DIAGNOSTICS v_msg = MESSAGE_TEXT;
        EXECUTE pg_catalog.format('ALTER TABLE %I.%I ADD CONSTRAINT %I CHECK (@extschema@._territory_typed_check(territory_type, territory_code, %L)) NOT VALID',
          target_schema, t.table_name, pg_catalog.format('%s_territory_typed', t.table_name), t.table_name);
        RAISE WARNING 'rows of %.% do not pass the check %: %', target_schema, t.table_name,
                      pg_catalog.format('%s_territory_typed', t.table_name), v_msg
          USING DETAIL = 'Until they say which territory they are of (territory_type), the agents of every territory of their code read and write them.',
                HINT = pg_catalog.format('Set their territory_type, then ALTER TABLE %I.%I VALIDATE CONSTRAINT %I.',
                                         target_schema, t.table_name, pg_catalog.format('%s_territory_typed', t.table_name));
      END;
    END IF;
    -- tables holding registered personal data carry the time each row was
    -- recorded: retention periods count from it (docs/governance.md)
    IF EXISTS (SELECT 1 FROM @extschema@.personal_data p WHERE p.table_name = t.table_name) THEN
      EXECUTE pg_catalog.format(
        'ALTER TABLE %I.%I ADD COLUMN IF NOT EXISTS recorded_at timestamptz NOT NULL DEFAULT pg_catalog.now()',
        target_schema, t.table_name);
      -- ... which a writer may move back (loading older records), never forward
      EXECUTE @extschema@._hub_rule_trigger_ddl(target_schema, t.table_name, 'sr_recorded_at');
      -- ... and indexed: purge_expired's retention pass looks up the rows recorded before its
      -- cutoff (t.recorded_at < now() - retention), a few days' worth at each daily run; not the
      -- consents, whose retention counts from their withdrawal (IF NOT EXISTS: create_hub run
      -- again on a hub made before adds it)
      IF t.table_name OPERATOR(pg_catalog.<>) 'consents' THEN
        EXECUTE @extschema@._hub_rule_index_ddl(target_schema, t.table_name, 'recorded_at');
      END IF;
    END IF;
    -- provenance: every statement that writes the table is recorded
    EXECUTE @extschema@._hub_rule_trigger_ddl(target_schema, t.table_name, 'sr_provenance');
    table_name := t.table_name; service := t.service;
    RETURN NEXT;
  END LOOP;
  -- the history's actor of a hub made before was a name (63 bytes), which cut its
  -- pseudonym ('pseudo:' and 64 hex digits) to 56 digits: text now (the pseudonyms
  -- written before stay cut; their login is gone)
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
              WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.tl_history', target_schema))
                AND a.attname OPERATOR(pg_catalog.=) 'actor'
                AND a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.name'::pg_catalog.regtype) THEN
    -- (a rewrite: the CHECKs on actor validated again over every row, the indexes on it
    -- built again, as the caller: _hub_upgrade_guard, r-hub-guards)
    PERFORM @extschema@._hub_upgrade_guard(target_schema, 'the retype of tl_history.actor');
    BEGIN
      EXECUTE pg_catalog.format('ALTER TABLE %I.tl_history ALTER COLUMN actor TYPE pg_catalog.text', target_schema);
    EXCEPTION WHEN feature_not_supported THEN
      -- (a view on the column: the analysts' pseudonymised views)
      RAISE WARNING '%.tl_history.actor is still of type name: %', target_schema, SQLERRM
        USING DETAIL = 'A pseudonym written there by subject_erase or purge_expired is cut to 63 bytes.',
              HINT = 'Drop the views on the history (DROP SCHEMA <analysts'' schema> CASCADE), run smartregion.create_hub again, then smartregion.create_pseudonymised_views.';
    END;
  END IF;
  -- withdrawing a consent purges the data it covered
  EXECUTE @extschema@._hub_rule_trigger_ddl(target_schema, 'consents', 'sr_consent_withdrawn');
  -- ... and so does deleting a consent, withdrawn or not: the data it covered would be kept
  -- with no proof of consent, and no withdrawal left for purge_expired to find (rows of its
  -- subject written after a withdrawal go then, not at the next purge)
  EXECUTE @extschema@._hub_rule_trigger_ddl(target_schema, 'consents', 'sr_consent_deleted');
  -- the keys of a hub made before the types (agents and territory_admins: role
  -- and code; consents: subject, purpose and code) would make the région 53's
  -- row block, and reveal, the département 53's (23505): one row per type too
  FOR k IN SELECT v.tbl, v.con, v.cols FROM (VALUES
             ('agents'::name, 'agents_once'::name, 'role_name, territory_code, territory_type'),
             ('territory_admins', 'territory_admins_once', 'role_name, territory_code, territory_type'),
             ('consents', 'consents_once', 'subject, purpose, territory_code, territory_type')) v(tbl, con, cols) LOOP
    rel := pg_catalog.format('%I.%I', target_schema, k.tbl)::pg_catalog.regclass;
    CONTINUE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c JOIN pg_catalog.pg_attribute a
                                  ON a.attrelid OPERATOR(pg_catalog.=) c.conrelid AND a.attnum OPERATOR(pg_catalog.=) ANY (c.conkey)
                           WHERE c.conrelid OPERATOR(pg_catalog.=) rel AND c.conname OPERATOR(pg_catalog.=) k.con
                             AND a.attname OPERATOR(pg_catalog.=) 'territory_type');
    FOR cn IN SELECT c.conname FROM pg_catalog.pg_constraint c
               WHERE c.conrelid OPERATOR(pg_catalog.=) rel
                 AND (c.conname OPERATOR(pg_catalog.=) k.con OR c.contype OPERATOR(pg_catalog.=) 'p') LOOP
      EXECUTE pg_catalog.format('ALTER TABLE %I.%I DROP CONSTRAINT %I', target_schema, k.tbl, cn);
    END LOOP;
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ADD CONSTRAINT %I UNIQUE NULLS NOT DISTINCT (%s)',
                              target_schema, k.tbl, k.con, k.cols);
  END LOOP;
  -- who acts for which territory is never changed by the agents themselves
  PERFORM @extschema@._secure_platform_tables(target_schema);
  -- a hub already under territory security gets the current policies: those
  -- of a hub made before the types match a row on its code alone, and would
  -- let the département 53's agents read and write the région 53's typed rows
  -- (review 35); and one whose policies DROP EXTENSION ... CASCADE dropped (they name the
  -- extension's type and functions) gets them again: its tables kept row-level security,
  -- read by nobody but their owner and the platform administrator until then
  IF EXISTS (SELECT 1 FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) p.polrelid
               JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
              WHERE n.nspname OPERATOR(pg_catalog.=) target_schema
                AND p.polname OPERATOR(pg_catalog.=) ANY (ARRAY['sr_territory_read', 'sr_territory_insert', 'sr_territory_update',
                                                                'sr_territory_delete', 'sr_territory_write']::name[]))
     OR EXISTS (SELECT 1 FROM @extschema@.hub_table h JOIN pg_catalog.pg_class c ON c.relname OPERATOR(pg_catalog.=) h.table_name
                  JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                 WHERE n.nspname OPERATOR(pg_catalog.=) target_schema AND c.relrowsecurity
                   AND h.table_name OPERATOR(pg_catalog.<>) ALL (ARRAY['agents', 'territory_admins', 'consents']::name[])) THEN
    PERFORM @extschema@.enable_territory_security(target_schema);
  END IF;
  -- agents listed before a listed role had to be an agent (a territory administrator
  -- could list any role; the hub's owner and the platform administrator still can): each
  -- reads and writes its territories' restricted rows with the privileges it has (a
  -- reader, another service's account), as would a role created later under a name no
  -- role has, and every member of a role with members after SET ROLE.  Said, not changed:
  -- only the database administrator knows whom a row meant (docs/security.md)
  IF pg_catalog.to_regrole('smartregion_agent') IS NOT NULL THEN
    EXECUTE pg_catalog.format(
      'SELECT pg_catalog.count(*), pg_catalog.array_to_string((pg_catalog.array_agg(pg_catalog.format(''"%%s" (%%s)'', pg_catalog.replace(x.role_name::pg_catalog.text, ''"'', ''""''), x.why) '
      'ORDER BY x.role_name))[1:20], '', '') FROM (SELECT DISTINCT a.role_name, CASE WHEN r.oid IS NULL THEN ''no such role'' '
      'WHEN NOT %2$s THEN ''not a member of smartregion_agent'' '
      'ELSE ''has members'' END AS why FROM %1$I.agents a LEFT JOIN pg_catalog.pg_roles r ON r.rolname OPERATOR(pg_catalog.=) a.role_name '
      'WHERE r.oid IS NULL OR NOT %2$s '
      'OR EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.roleid OPERATOR(pg_catalog.=) r.oid)) x', target_schema,
      -- (an agent: a role that may act as smartregion_agent, MEMBER on PostgreSQL 15; on 16+
      -- USAGE or SET, a grant WITH INHERIT FALSE, SET FALSE is no agent: the policy
      -- sr_agents_territory_admin's test, _group_role_policies; the 16+ branch run on 17 by pgTAP membership_set_option, r-noinherit-set)
      '(CASE WHEN pg_catalog.current_setting(''server_version_num'')::pg_catalog.int4 OPERATOR(pg_catalog.>=) 160000 '
      'THEN pg_catalog.pg_has_role(r.oid, ''smartregion_agent'', ''USAGE'') OR pg_catalog.pg_has_role(r.oid, ''smartregion_agent'', ''SET'') '
      'ELSE pg_catalog.pg_has_role(r.oid, ''smartregion_agent'', ''MEMBER'') END)')
      INTO v_count, v_msg;
    IF v_count OPERATOR(pg_catalog.>) 0 THEN
      RAISE WARNING 'rows of %.agents list % that should not act for a territory: %', target_schema,
                    CASE WHEN v_count OPERATOR(pg_catalog.=) 1 THEN '1 role' ELSE pg_catalog.format('%s roles', v_count) END,
                    v_msg OPERATOR(pg_catalog.||) CASE WHEN v_count OPERATOR(pg_catalog.>) 20 THEN ' ...' ELSE '' END
        USING DETAIL = 'A role listed in agents reads and writes the restricted rows of its territories with the privileges it has: a role that is not a member of smartregion_agent (a reader, another service''s account), one created later under the name of no role, every member of a role with members after SET ROLE.',
              HINT = pg_catalog.format('Make each login role an agent (GRANT smartregion_agent TO ...), or delete its rows (DELETE FROM %I.agents WHERE role_name = ...); docs/security.md lists them with a query.', target_schema);
    END IF;
  END IF;
  -- a hub is only as safe as the schemas it and smartregion use: say, as grant_roles does,
  -- when another role controls one (trust_problems, 16-roles.sql; the new hub's included),
  -- and apart, when a hub is out of date with this build
  PERFORM @extschema@._trust_warning('create_hub');
END
$$;
COMMENT ON FUNCTION @extschema@.create_hub(name, int) IS
  'creates (idempotently) the platform data tables of every installed service in the given schema, as ordinary tables owned by the caller, each with territory_code and visibility and its writes recorded as provenance; refuses a schema or hub table owned by another role; their geometry columns are typed with the hub''s SRID (srid: a projected SRID in metres; NULL keeps an existing hub''s, else 2154, Lambert-93); a NULL target_schema is 22004';

-- The platform's own hub tables: which database roles act for which
-- territory, which roles administer a territory (add or remove its other
-- agents), and the consents given by citizens.  They have row-level security
-- from the start (create_hub).
-- TRUNCATE fires no row trigger, no ON DELETE action and no row-level security: on a hub
-- table whose rules live there, the platform administrator's group (TRUNCATE on every hub
-- table, grant_roles) would get past what its DELETE is checked by.  One statement trigger
-- for all of them, refusing; each table's template passes what TRUNCATE would skip
-- (TG_ARGV[0], the detail) and what to do instead (TG_ARGV[1], the hint).  Not SECURITY
-- DEFINER: it reads nothing.
CREATE FUNCTION @extschema@._hub_no_truncate()
RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'cannot truncate %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME USING ERRCODE = '55000',
    DETAIL = coalesce(TG_ARGV[0], 'TRUNCATE skips the rules of this table.'),
    HINT = coalesce(TG_ARGV[1], 'DELETE the rows instead: the table''s rules decide which may go.');
END
$$;
COMMENT ON FUNCTION @extschema@._hub_no_truncate() IS
  'internal: BEFORE TRUNCATE statement trigger of the hub tables whose rules TRUNCATE would skip (consents, the campaign tables): refused (55000), with the detail and hint its trigger passes; a DELETE runs the rules';

SELECT @extschema@.register_hub_table('agents', 'platform', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.agents (
    role_name      name NOT NULL,
    territory_code text NOT NULL CHECK (territory_code ~ '^[0-9A-Z]{2,9}$'),
    territory_type text,
    CONSTRAINT agents_once UNIQUE NULLS NOT DISTINCT (role_name, territory_code, territory_type))
$ddl$, 0);
SELECT @extschema@.register_hub_table('territory_admins', 'platform', $ddl$
  CREATE TABLE IF NOT EXISTS %1$I.territory_admins (
    role_name      name NOT NULL,
    territory_code text NOT NULL CHECK (territory_code ~ '^[0-9A-Z]{2,9}$'),
    territory_type text,
    CONSTRAINT territory_admins_once UNIQUE NULLS NOT DISTINCT (role_name, territory_code, territory_type))
$ddl$, 1);
SELECT @extschema@.register_hub_table('consents', 'platform', $ddl$
  -- a consent is given per territory (its agents record and read it; a withdrawal
  -- purges that territory's data), or platform-wide without one: one consent per
  -- subject, purpose and territory, so that one territory's consent neither blocks
  -- nor reveals another's
  CREATE TABLE IF NOT EXISTS %1$I.consents (
    subject      text NOT NULL,
    purpose      text NOT NULL CHECK (purpose ~ '^[a-z][a-z0-9_]*$'),
    granted_at   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    withdrawn_at timestamptz CHECK (withdrawn_at >= granted_at),
    source       text,
    territory_code text,
    territory_type text,
    CONSTRAINT consents_once UNIQUE NULLS NOT DISTINCT (subject, purpose, territory_code, territory_type));
  -- a consent is the proof of the processing it allows (GDPR art. 7(1)), and its withdrawal
  -- or deletion purges what it covered (sr_consent_withdrawn, sr_consent_deleted): TRUNCATE,
  -- which fires no row trigger, would take every territory's proofs and purge nothing, the
  -- data they covered kept with no consent to withdraw
  CREATE OR REPLACE TRIGGER sr_consents_no_truncate BEFORE TRUNCATE ON %1$I.consents
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_no_truncate(
      'TRUNCATE would remove every territory''s proofs of consent and purge none of the data they covered.',
      'Withdraw the consents (UPDATE ... SET withdrawn_at = now()) or DELETE them instead: either purges what they covered.')
$ddl$, 2);

-- The CREATE POLICY statements of the row-level security policies that
-- enable_territory_security, _secure_platform_tables and _group_role_policies write on a hub
-- table, as this build writes them: those functions run them (_hub_security_policy_ddl), and
-- _hub_objects_stale compares the hub's policies with them, every policy of a hub rendered in
-- one query (a call a policy cost about 0.25 ms, most of trust_problems' time on a hub).  A
-- hub made by an older build keeps the policies of its build until they run again
-- (sr_agents_territory_admin changed on 2026-12-07 for PostgreSQL 16's SET).  One text for
-- both, so that the check cannot drift from what is written.  (STABLE, not IMMUTABLE: they read nothing, but their text
-- names catalogs, which the declarations check takes for reads.)
CREATE FUNCTION @extschema@._hub_security_policy_templates()
RETURNS TABLE (policy name, ddl text)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 10 ROWS 11
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (PL/pgSQL, whose plan is kept for the session: an SQL function's VALUES is planned again
  -- at each call.)  (format() templates: %1$I the hub, %2$I the table, %3$s the territory test of the
  -- agents, %4$s that of the territory administrators, _territory_mine_sql)
  RETURN QUERY VALUES
    -- read: public rows, and the restricted rows of the agent's own territories.  Every
    -- operator is qualified: a policy binds its operators when it is created and must never
    -- bind one planted in another schema (enable_territory_security)
    ('sr_territory_read'::name,
     'CREATE POLICY sr_territory_read ON %1$I.%2$I FOR SELECT USING ('
     'visibility OPERATOR(pg_catalog.=) ''public''::@extschema@.visibility '
     'OR %3$s)'),
    -- write: only rows of the agent's own territories, one policy a command.  Not one FOR ALL
    -- policy (sr_territory_write, until 2026-12-07): FOR ALL applies to SELECT too, where
    -- PostgreSQL ORs it with sr_territory_read, which it implies (the same rows), but
    -- evaluates it on every row an agent reads (docs/security.md, the review of the split)
    ('sr_territory_insert', 'CREATE POLICY sr_territory_insert ON %1$I.%2$I FOR INSERT WITH CHECK %3$s'),
    ('sr_territory_update', 'CREATE POLICY sr_territory_update ON %1$I.%2$I FOR UPDATE USING %3$s WITH CHECK %3$s'),
    ('sr_territory_delete', 'CREATE POLICY sr_territory_delete ON %1$I.%2$I FOR DELETE USING %3$s'),
    -- a table with confidential columns: an agent reads its own territories' rows only
    -- (enable_territory_security says why).  (MEMBER, a refusal: on 16+ a grant WITH INHERIT
    -- FALSE, SET FALSE of smartregion_agent meets the restriction, as its agents do; not
    -- counting it would show it more; r-noinherit-set)
    ('sr_confidential_territory',
     'CREATE POLICY sr_confidential_territory ON %1$I.%2$I AS RESTRICTIVE FOR SELECT USING ('
     'NOT (SELECT @extschema@._caller_is_member(''smartregion_agent'')) '
     'OR (SELECT @extschema@._caller_may_act_as(''smartregion_platform_admin'')) OR %3$s)'),
    -- the platform's tables (_secure_platform_tables says why)
    ('sr_agents_self', 'CREATE POLICY sr_agents_self ON %1$I.agents FOR SELECT USING (role_name OPERATOR(pg_catalog.=) CURRENT_USER)'),
    ('sr_territory_admins_self',
     'CREATE POLICY sr_territory_admins_self ON %1$I.territory_admins FOR SELECT USING (role_name OPERATOR(pg_catalog.=) CURRENT_USER)'),
    ('sr_consents_read', 'CREATE POLICY sr_consents_read ON %1$I.consents FOR SELECT USING %3$s'),
    ('sr_consents_record', 'CREATE POLICY sr_consents_record ON %1$I.consents FOR INSERT WITH CHECK (withdrawn_at IS NULL AND %3$s)'),
    -- the group roles' (_group_role_policies says why)
    ('sr_agents_territory_admin',
     'CREATE POLICY sr_agents_territory_admin ON %1$I.agents FOR ALL TO smartregion_territory_admin '
     'USING (role_name OPERATOR(pg_catalog.<>) CURRENT_USER AND %4$s) '
     'WITH CHECK (role_name OPERATOR(pg_catalog.<>) CURRENT_USER AND %4$s AND EXISTS ('
     'SELECT 1 FROM pg_catalog.pg_roles r, pg_catalog.pg_roles g WHERE r.rolname OPERATOR(pg_catalog.=) role_name '
     'AND g.rolname OPERATOR(pg_catalog.=) ''smartregion_agent'' '
     'AND CASE WHEN pg_catalog.current_setting(''server_version_num'')::pg_catalog.int4 OPERATOR(pg_catalog.>=) 160000 '
     'THEN pg_catalog.pg_has_role(r.oid, g.oid, ''USAGE'') OR pg_catalog.pg_has_role(r.oid, g.oid, ''SET'') '
     'ELSE pg_catalog.pg_has_role(r.oid, g.oid, ''MEMBER'') END '
     'AND NOT pg_catalog.pg_has_role(r.oid, ''MEMBER'') AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m '
     'WHERE m.roleid OPERATOR(pg_catalog.=) r.oid)))'),
    ('sr_platform_admin',
     'CREATE POLICY sr_platform_admin ON %1$I.%2$I FOR ALL TO smartregion_platform_admin USING (true) WITH CHECK (true)');
END
$$;
COMMENT ON FUNCTION @extschema@._hub_security_policy_templates() IS
  'internal: the format() templates of the CREATE POLICY statements of the row-level security policies this build writes on a hub''s tables (%1$I the hub, %2$I the table, %3$s the agents'' territory test, %4$s the territory administrators'', _territory_mine_sql); rendered by _hub_security_policy_ddl for enable_territory_security, _secure_platform_tables and _group_role_policies, and by _hub_objects_stale for every policy of a hub at once';

CREATE FUNCTION @extschema@._hub_security_policy_ddl(target_schema name, tbl name, policy name)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format(t.ddl, target_schema, tbl,
                           @extschema@._territory_mine_sql(target_schema, 'territory_type', 'territory_code'),
                           @extschema@._territory_mine_sql(target_schema, 'territory_type', 'territory_code', 'territory_admins'))
    FROM @extschema@._hub_security_policy_templates() t
   WHERE t.policy OPERATOR(pg_catalog.=) _hub_security_policy_ddl.policy
$$;
COMMENT ON FUNCTION @extschema@._hub_security_policy_ddl(name, name, name) IS
  'internal: the CREATE POLICY statement this build writes for a row-level security policy of a hub table (sr_territory_read, sr_territory_insert, sr_territory_update, sr_territory_delete, sr_confidential_territory, sr_platform_admin on tbl; sr_agents_self, sr_territory_admins_self, sr_consents_read, sr_consents_record, sr_agents_territory_admin on their own tables), _hub_security_policy_templates rendered, NULL for another name; run by enable_territory_security, _secure_platform_tables and _group_role_policies; _hub_objects_stale renders the same templates';

-- The CREATE TRIGGER statements create_hub, _secure_platform_tables and _group_role_policies
-- write by their rules, not from a template (%1$I the hub, %2$I the table): one text for them
-- and for _hub_objects_stale, which compares a hub's triggers of these names with them
-- (_hub_trigger_stale; before the second red team of 2026-12-07 night, h4, they were checked
-- for presence and for being enabled only: sr_consent_withdrawn made WHEN (false) was not
-- seen).  (STABLE, as _hub_security_policy_templates: the text names functions.)
CREATE FUNCTION @extschema@._hub_rule_trigger_templates()
RETURNS TABLE (trigger_name name, ddl text)
LANGUAGE sql STABLE PARALLEL SAFE COST 10 ROWS 7
SET search_path = pg_catalog, pg_temp
AS $$
  VALUES
    -- (a table whose template marks the rows restricted with their parent)
    ('sr_restricted_by_hand'::name,
     'CREATE OR REPLACE TRIGGER sr_restricted_by_hand BEFORE UPDATE OF visibility ON %1$I.%2$I FOR EACH ROW '
     'WHEN (OLD.restricted_with_parent AND NEW.restricted_with_parent) EXECUTE FUNCTION @extschema@._hub_visibility_by_hand()'::text),
    -- (a table of personal data)
    ('sr_recorded_at',
     'CREATE OR REPLACE TRIGGER sr_recorded_at BEFORE INSERT OR UPDATE OF recorded_at ON %1$I.%2$I '
     'FOR EACH ROW EXECUTE FUNCTION @extschema@._recorded_at_guard()'),
    -- (every table)
    ('sr_provenance',
     'CREATE OR REPLACE TRIGGER sr_provenance AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %1$I.%2$I '
     'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_provenance()'),
    -- (the consents)
    ('sr_consent_withdrawn',
     'CREATE OR REPLACE TRIGGER sr_consent_withdrawn AFTER INSERT OR UPDATE OF withdrawn_at ON %1$I.%2$I '
     'FOR EACH ROW WHEN (NEW.withdrawn_at IS NOT NULL) EXECUTE FUNCTION @extschema@._consent_withdrawn()'),
    ('sr_consent_deleted',
     'CREATE OR REPLACE TRIGGER sr_consent_deleted AFTER DELETE ON %1$I.%2$I '
     'FOR EACH ROW EXECUTE FUNCTION @extschema@._consent_withdrawn()'),
    ('sr_consent_territory',
     'CREATE OR REPLACE TRIGGER sr_consent_territory BEFORE INSERT ON %1$I.%2$I '
     'FOR EACH ROW WHEN (NEW.territory_code IS NULL OR NEW.territory_type IS NOT NULL) '
     'EXECUTE FUNCTION @extschema@._consent_territory()'),
    -- (the agents, once the group roles exist)
    ('sr_agents_listed',
     'CREATE OR REPLACE TRIGGER sr_agents_listed BEFORE INSERT OR UPDATE ON %1$I.%2$I '
     'FOR EACH ROW EXECUTE FUNCTION @extschema@._agents_listed()')
$$;
COMMENT ON FUNCTION @extschema@._hub_rule_trigger_templates() IS
  'internal: the format() templates (%1$I the hub, %2$I the table) of the CREATE TRIGGER statements create_hub, _secure_platform_tables and _group_role_policies write by their rules, not from a hub_table template (sr_restricted_by_hand, sr_recorded_at, sr_provenance, sr_consent_withdrawn, sr_consent_deleted, sr_consent_territory, sr_agents_listed); rendered by _hub_rule_trigger_ddl for them and for _hub_objects_stale';

CREATE FUNCTION @extschema@._hub_rule_trigger_ddl(target_schema name, tbl name, trigger_name name)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format(t.ddl, target_schema, tbl)
    FROM @extschema@._hub_rule_trigger_templates() t
   WHERE t.trigger_name OPERATOR(pg_catalog.=) _hub_rule_trigger_ddl.trigger_name
$$;
COMMENT ON FUNCTION @extschema@._hub_rule_trigger_ddl(name, name, name) IS
  'internal: the CREATE TRIGGER statement this build writes by a rule for trigger trigger_name of table tbl of hub target_schema (_hub_rule_trigger_templates rendered), NULL for another name; run by create_hub, _secure_platform_tables and _group_role_policies; compared by _hub_objects_stale';

-- The CREATE INDEX statements create_hub writes by its rules on every table (%1$I the hub,
-- %2$I the table, %3$I the index: the table's name and the rule's suffix), not from a
-- template: one text for create_hub and for _hub_objects_stale, which compares a hub's
-- indexes of these names with them (_hub_index_stale).  Before 2026-12-08 (h3) they were
-- checked for presence and validity only: <table>_territory_idx made partial (WHERE false),
-- on an expression, another column or another operator class was not seen, and the
-- territory filters of row-level security, a data subject's request or purge_expired read
-- the whole table.  (IF NOT EXISTS: create_hub run again keeps an index of that name;
-- trust_problems' fix for one that differs drops it first.)
CREATE FUNCTION @extschema@._hub_rule_index_templates()
RETURNS TABLE (rule name, suffix name, ddl text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10 ROWS 2
SET search_path = pg_catalog, pg_temp
AS $$
  VALUES
    -- (every table: the territory policies, subject_export and subject_erase by territory)
    ('territory'::name, '_territory_idx'::name, 'CREATE INDEX IF NOT EXISTS %3$I ON %1$I.%2$I (territory_code)'::text),
    -- (a table of personal data but the consents: purge_expired's retention cutoff)
    ('recorded_at', '_recorded_at_idx', 'CREATE INDEX IF NOT EXISTS %3$I ON %1$I.%2$I (recorded_at)')
$$;
COMMENT ON FUNCTION @extschema@._hub_rule_index_templates() IS
  'internal: the format() templates (%1$I the hub, %2$I the table, %3$I the index, named <table><suffix>) of the CREATE INDEX statements create_hub writes by its rules, not from a hub_table template (territory: <table>_territory_idx on every table; recorded_at: <table>_recorded_at_idx on a table of personal data but the consents); rendered by _hub_rule_index_ddl for create_hub and by _hub_objects_stale, which compares the hub''s indexes with them (_hub_index_stale)';

CREATE FUNCTION @extschema@._hub_rule_index_ddl(target_schema name, tbl name, rule name)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format(t.ddl, target_schema, tbl, pg_catalog.format('%s%s', tbl, t.suffix))
    FROM @extschema@._hub_rule_index_templates() t
   WHERE t.rule OPERATOR(pg_catalog.=) _hub_rule_index_ddl.rule
$$;
COMMENT ON FUNCTION @extschema@._hub_rule_index_ddl(name, name, name) IS
  'internal: the CREATE INDEX statement this build writes by rule (territory, recorded_at) on table tbl of hub target_schema (_hub_rule_index_templates rendered), NULL for another rule; run by create_hub; _hub_objects_stale renders the same templates';

-- Row-level security of the platform's tables (agents, territory_admins,
-- consents), applied by create_hub and enable_territory_security.
CREATE FUNCTION @extschema@._secure_platform_tables(target_schema name)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  p text;
BEGIN
  EXECUTE pg_catalog.format('ALTER TABLE %I.agents ENABLE ROW LEVEL SECURITY', target_schema);
  EXECUTE pg_catalog.format('ALTER TABLE %I.territory_admins ENABLE ROW LEVEL SECURITY', target_schema);
  EXECUTE pg_catalog.format('ALTER TABLE %I.consents ENABLE ROW LEVEL SECURITY', target_schema);
  FOREACH p IN ARRAY ARRAY['agents.sr_agents_self',
                           'territory_admins.sr_territory_admins_self', 'consents.sr_consents_read',
                           'consents.sr_consents_record'] LOOP
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %I.%I', pg_catalog.split_part(p, '.', 2),
                              target_schema, pg_catalog.split_part(p, '.', 1));
  END LOOP;
  -- an agent reads its own rows (the territory policies of the other hub
  -- tables read them); no policy lets an agent write them, so an INSERT
  -- privilege granted by mistake is not enough to widen its territories
  -- (the statements: _hub_security_policy_ddl, which _hub_objects_stale compares with)
  EXECUTE @extschema@._hub_security_policy_ddl(target_schema, 'agents', 'sr_agents_self');
  EXECUTE @extschema@._hub_security_policy_ddl(target_schema, 'territory_admins', 'sr_territory_admins_self');
  -- consents (personal data): an agent reads and records those of its own
  -- territories only, whatever their visibility (a consent without a
  -- territory is the platform's: its owner and administrator read it);
  -- withdrawing one (which purges the data it covered) is the platform
  -- administrator's
  EXECUTE @extschema@._hub_security_policy_ddl(target_schema, 'consents', 'sr_consents_read');
  EXECUTE @extschema@._hub_security_policy_ddl(target_schema, 'consents', 'sr_consents_record');
  -- an agent of one territory records a consent without naming it; a typed
  -- consent not of the agent's territories is refused saying so
  EXECUTE @extschema@._hub_rule_trigger_ddl(target_schema, 'consents', 'sr_consent_territory');
  PERFORM @extschema@._group_role_policies(target_schema);
END
$$;
COMMENT ON FUNCTION @extschema@._secure_platform_tables(name) IS
  'internal: row-level security of a hub''s agents, territory_admins and consents tables (agents read their own rows and the consents of their own territories; territory administrators manage the other agents of their territories; nobody changes their own territories)';
REVOKE EXECUTE ON FUNCTION @extschema@._secure_platform_tables(name) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

-- A consent recorded by an agent (read as the caller: its own agents rows).
-- Without a territory, by an agent of exactly one territory, it belongs to
-- it.  With a type that is not one of the agent's territories of that code
-- (the région 11's consent by the département 11's agent, or a type without
-- a code that is not its territory's), the consent policy would refuse it
-- with row-level security's generic message: it is refused here first, with
-- the same SQLSTATE (42501) and a message saying whose territory it is not.
-- Only where that policy would refuse it: row-level security active for the
-- caller (not the hub's owner), who is not the platform administrator.
CREATE FUNCTION @extschema@._consent_territory() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  codes text[];
  types text[];
BEGIN
  EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(q.code ORDER BY q.code, q.ty), pg_catalog.array_agg(q.ty ORDER BY q.code, q.ty) '
                            'FROM (SELECT DISTINCT a.territory_code AS code, '
                            '@extschema@._territory_type_or_implied(a.territory_type, a.territory_code) AS ty FROM %I.agents a '
                            'WHERE a.role_name OPERATOR(pg_catalog.=) CURRENT_USER) q', TG_TABLE_SCHEMA) INTO codes, types;
  IF NEW.territory_code IS NULL AND pg_catalog.cardinality(codes) OPERATOR(pg_catalog.=) 1
     AND (NEW.territory_type IS NULL OR NEW.territory_type IS NOT DISTINCT FROM types[1]) THEN
    NEW.territory_code := codes[1];
    NEW.territory_type := types[1];
  ELSIF NEW.territory_type IS NOT NULL AND codes IS NOT NULL
        AND pg_catalog.row_security_active(TG_RELID)
        -- (MEMBER, not USAGE: a NOINHERIT member skips this message only, the policy
        -- sr_consents_record still refuses it, 42501 with PostgreSQL's message; r-noinherit-set)
        AND NOT @extschema@._caller_is_member('smartregion_platform_admin')
        AND NOT EXISTS (SELECT FROM ROWS FROM (pg_catalog.unnest(codes), pg_catalog.unnest(types)) u(code, ty)
                         WHERE u.code OPERATOR(pg_catalog.=) NEW.territory_code AND u.ty OPERATOR(pg_catalog.=) NEW.territory_type) THEN
    RAISE EXCEPTION 'cannot record a consent of territory "%": role "%" does not act for it',
                    pg_catalog.concat_ws(' ', NEW.territory_type, NEW.territory_code), CURRENT_USER
      USING ERRCODE = '42501',
            DETAIL = pg_catalog.format('Role "%s" acts for %s.', CURRENT_USER,
                       (SELECT pg_catalog.string_agg(pg_catalog.format('"%s"', pg_catalog.concat_ws(' ', u.ty, u.code)), ', ')
                          FROM ROWS FROM (pg_catalog.unnest(codes), pg_catalog.unnest(types)) u(code, ty))),
            HINT = 'Record the consent with the type and code of one of your territories, or leave both NULL when you act for one territory.';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._consent_territory() IS
  'internal: trigger of a hub''s consents table: a consent recorded without a territory by an agent of exactly one territory gets that territory (its code and type); a typed consent that is not of one of its agent''s territories is refused with a message saying so (42501, before the consent policy''s generic one)';

-- The roles a territory administrator lists as agents (trigger sr_agents_listed of
-- <hub>.agents, read as the caller): the policy sr_agents_territory_admin refuses the
-- same rows with row-level security's generic message; this says which rule and what to
-- do, with the same SQLSTATE (42501; 42704 for a role that does not exist).  Only where
-- that policy decides: row-level security active for the caller (not the hub's owner),
-- a territory administrator, not the platform administrator.
CREATE FUNCTION @extschema@._agents_listed() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r oid;
  territory text := pg_catalog.concat_ws(' ', NEW.territory_type, NEW.territory_code);
BEGIN
  IF NOT pg_catalog.row_security_active(TG_RELID)
     -- (_caller_is_member's test written out: this trigger runs for every writer of
     -- agents, and a role without USAGE on the extension's schema, which may not name
     -- a function there, is to meet the policy's refusal, not "permission denied")
     -- (MEMBER: on 16+ a grant WITH INHERIT FALSE, SET FALSE of the group, which the policy
     -- does not apply to, meets these messages only for rows no policy lets it write; r-noinherit-set)
     OR NOT EXISTS (SELECT FROM pg_catalog.pg_roles g WHERE g.rolname OPERATOR(pg_catalog.=) 'smartregion_territory_admin'
                      AND pg_catalog.pg_has_role(g.oid, 'MEMBER'))
     -- (MEMBER: a NOINHERIT member skips these messages only, sr_agents_territory_admin
     -- still decides and refuses with PostgreSQL's; r-noinherit-set)
     OR EXISTS (SELECT FROM pg_catalog.pg_roles g WHERE g.rolname OPERATOR(pg_catalog.=) 'smartregion_platform_admin'
                  AND pg_catalog.pg_has_role(g.oid, 'MEMBER')) THEN
    RETURN NEW;
  END IF;
  SELECT x.oid INTO r FROM pg_catalog.pg_roles x WHERE x.rolname OPERATOR(pg_catalog.=) NEW.role_name;
  IF r IS NULL THEN
    RAISE EXCEPTION 'cannot list role "%" as an agent of territory "%": it does not exist', NEW.role_name, territory
      USING ERRCODE = '42704',
            HINT = pg_catalog.format('Ask the database administrator to create the role and make it an agent: GRANT smartregion_agent TO %I.',
                                     NEW.role_name);
  -- (MEMBER, a refusal: on 16+ a grant WITH ADMIN OPTION only may GRANT the role to itself
  -- WITH SET TRUE at will, and act for the territory; r-noinherit-set)
  ELSIF pg_catalog.pg_has_role(r, 'MEMBER') THEN
    RAISE EXCEPTION 'cannot list role "%" as an agent of territory "%": role "%" belongs to it', NEW.role_name, territory, CURRENT_USER
      USING ERRCODE = '42501',
            DETAIL = 'A territory administrator lists other roles: itself, or a role it belongs to, it may not.',
            HINT = 'Ask the platform administrator to list it.';
  ELSIF EXISTS (SELECT FROM pg_catalog.pg_auth_members m WHERE m.roleid OPERATOR(pg_catalog.=) r) THEN
    RAISE EXCEPTION 'cannot list role "%" as an agent of territory "%": it has members', NEW.role_name, territory
      USING ERRCODE = '42501',
            DETAIL = 'Every member of a role listed would act for the territory after SET ROLE.',
            HINT = 'List each login role that is to act for the territory.';
  -- (an agent: may act as smartregion_agent, the policy's test; MEMBER on PostgreSQL 15, on
  -- 16+ USAGE or SET: a grant WITH INHERIT FALSE, SET FALSE is no agent; never run on 15,
  -- whose pg_has_role has no SET; run on 17 by pgTAP membership_set_option, r-noinherit-set)
  ELSIF NOT EXISTS (SELECT FROM pg_catalog.pg_roles g WHERE g.rolname OPERATOR(pg_catalog.=) 'smartregion_agent'
                      AND (CASE WHEN pg_catalog.current_setting('server_version_num')::pg_catalog.int4 OPERATOR(pg_catalog.>=) 160000
                                THEN pg_catalog.pg_has_role(r, g.oid, 'USAGE') OR pg_catalog.pg_has_role(r, g.oid, 'SET')
                                ELSE pg_catalog.pg_has_role(r, g.oid, 'MEMBER') END)) THEN
    RAISE EXCEPTION 'cannot list role "%" as an agent of territory "%": it is not an agent', NEW.role_name, territory
      USING ERRCODE = '42501',
            DETAIL = pg_catalog.format('Role "%s" is not a member of smartregion_agent: the database administrator has not made it an agent.',
                                       NEW.role_name),
            HINT = pg_catalog.format('Ask the database administrator to make it one (GRANT smartregion_agent TO %I), or list a role that is.',
                                     NEW.role_name);
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._agents_listed() IS
  'internal: trigger of a hub''s agents table: a territory administrator''s row naming a role that does not exist (42704), itself or a role it belongs to, a role with members, or a role that is not a member of smartregion_agent (42501) is refused with a message saying which rule and a hint, before the policy sr_agents_territory_admin''s generic one';

-- Policies of the group roles (smartregion.create_roles()), created once the
-- roles exist: a territory administrator manages the other agents of its
-- territories; the platform administrator reads and writes every row of every
-- hub table.  Policies naming a role are only evaluated for its members.
CREATE FUNCTION @extschema@._group_role_policies(target_schema name)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  t record;
BEGIN
  IF pg_catalog.to_regrole('smartregion_territory_admin') IS NOT NULL THEN
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_agents_territory_admin ON %I.agents', target_schema);
    -- the policies match an agent by CURRENT_USER: a role listed is every role that may SET
    -- ROLE to it, so an administrator lists neither a role it belongs to (itself, or a group:
    -- smartregion_agent listed made every territory's agents act for its territory) nor a
    -- role that has members; and it lists agents, roles the database administrator made
    -- members of smartregion_agent (any other role -- another service's account, the web
    -- clients' reader -- would get the territory's rows).  "A member of smartregion_agent":
    -- a role that may act as it (MEMBER on PostgreSQL 15; on 16+ USAGE or SET, so a grant
    -- WITH INHERIT FALSE, SET FALSE, which gives none of the agent's rights, is no agent: the
    -- CASE never reaches SET on 15, whose pg_has_role refuses it; run on 17 by pgTAP
    -- membership_set_option, r-noinherit-set).  "A role it belongs to" stays MEMBER, a refusal: an ADMIN-only
    -- grant may GRANT the role to itself WITH SET TRUE at will
    -- (the statement: _hub_security_policy_ddl, which _hub_objects_stale compares with)
    EXECUTE @extschema@._hub_security_policy_ddl(target_schema, 'agents', 'sr_agents_territory_admin');
    -- ... and says which rule refused a row, with a hint
    EXECUTE @extschema@._hub_rule_trigger_ddl(target_schema, 'agents', 'sr_agents_listed');
  END IF;
  IF pg_catalog.to_regrole('smartregion_platform_admin') IS NULL THEN
    RETURN;
  END IF;
  FOR t IN SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
             JOIN @extschema@.hub_table h ON h.table_name = c.relname
            WHERE n.nspname = target_schema AND c.relkind = 'r' AND c.relrowsecurity
            ORDER BY c.relname LOOP
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_platform_admin ON %I.%I', target_schema, t.relname);
    EXECUTE @extschema@._hub_security_policy_ddl(target_schema, t.relname, 'sr_platform_admin');
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._group_role_policies(name) IS
  'internal: row-level security policies of the group roles, once they exist: smartregion_territory_admin manages the other agents of the territories it administers, smartregion_platform_admin reads and writes every row of every hub table';
REVOKE EXECUTE ON FUNCTION @extschema@._group_role_policies(name) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

-- The planner's statistics of a hub table whose rows the policies protect.  ANALYZE samples
-- every row, whatever the policies, and the planner reads a column's most common values,
-- histogram, null fraction and number of distinct values for a leakproof operator (the
-- built-in types' equality and order are) under row-level security too: an EXPLAIN's row
-- estimate is a count over every row, those the caller cannot read included (the review of
-- secrecy, 2026-12-06: an agent's EXPLAIN gave another territory's headcount bands and CFE
-- liability, a reader's the NAF sections and sole traders of rows it cannot read; then
-- another territory's restricted requests by state, the parcels of natural persons by owner,
-- the respondents of a campaign and their answers).  A table is protected when it holds a
-- column of the register of personal data or of confidential data (its rows are about
-- persons, or under statistical or fiscal secrecy), or its rows are restricted by default
-- (the campaigns' respondents and answers): every column gets the statistics target 0
-- (ANALYZE skips it), and the statistics gathered before are dropped: a superuser deletes
-- them, another caller retypes the column to its own type (no rewrite, but its CHECK
-- constraints validated again as the caller: only on a hub whose code nobody without the
-- caller's rights controls).  Every column, keys and join columns included: a foreign
-- key's most common values count the hidden rows of each parent (the proposals of another
-- territory's restricted request), and a primary key needs none (its unique index tells the
-- planner one row per value).  A column a policy, view, trigger or SQL-body function uses
-- cannot be retyped (enable_territory_security calls this before it makes the territory
-- policies again): a superuser caller deletes its rows of pg_statistic, as PostgreSQL's
-- RemoveStatistics does when a column is dropped or retyped (both inheritance flags); another
-- caller cannot, and gets one warning naming the table, what keeps statistics and the
-- statements a superuser runs.  The same for what ANALYZE keeps beside the columns'
-- statistics (the review of 2026-12-06, afternoon): an extended statistics object (CREATE
-- STATISTICS: most common combinations, expressions) gets the target 0 and its data deleted
-- (its rows of pg_statistic_ext_data, which ANALYZE writes, as RemoveStatisticsDataById
-- does), and an index expression (CREATE INDEX ...
-- (lower(note))), whose statistics ANALYZE gathers on the index with the index column's own
-- target, gets the target 0 and its rows of pg_statistic deleted.  Other hub tables (the
-- cadastre's, the city model's, the zones' and buildings', maturity values, THD) keep their
-- statistics: their rows are public unless a territory restricts some, and their plans
-- (spatial joins over millions of rows) need them.
CREATE FUNCTION @extschema@._hub_table_no_statistics(target_schema name, tbl name)
RETURNS boolean
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  col record;
  st record;
  ix record;
  rel pg_catalog.regclass := pg_catalog.format('%I.%I', target_schema, tbl)::pg_catalog.regclass;
  -- only a superuser may write the statistics catalogues
  su boolean := COALESCE((SELECT r.rolsuper FROM pg_catalog.pg_roles r
                           WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER), false);
  -- what keeps statistics gathered before (a caller that is no superuser), and the
  -- statements that remove them
  kept text[] := '{}';
  kept_cols text[] := '{}';
  kept_nums text[] := '{}';
  fix text[] := '{}';
  -- (whether no role without the caller's rights controls code in the hub: asked once, when
  -- a column is to be retyped; the columns kept for that reason)
  code_clear boolean;
  code_cols text[] := '{}';
BEGIN
  IF NOT (EXISTS (SELECT 1 FROM @extschema@.confidential_data c WHERE c.table_name OPERATOR(pg_catalog.=) tbl)
          OR EXISTS (SELECT 1 FROM @extschema@.personal_data p WHERE p.table_name OPERATOR(pg_catalog.=) tbl)
          OR EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                       JOIN pg_catalog.pg_attrdef d ON d.adrelid OPERATOR(pg_catalog.=) a.attrelid
                                                   AND d.adnum OPERATOR(pg_catalog.=) a.attnum
                      WHERE a.attrelid OPERATOR(pg_catalog.=) rel AND a.attname OPERATOR(pg_catalog.=) 'visibility'
                        AND NOT a.attisdropped
                        AND pg_catalog.pg_get_expr(d.adbin, d.adrelid) OPERATOR(pg_catalog.~) '^''restricted''')) THEN
    RETURN false;
  END IF;
  FOR col IN SELECT a.attnum, a.attname, a.attstattarget,
                    EXISTS (SELECT 1 FROM pg_catalog.pg_stats s
                             WHERE s.schemaname OPERATOR(pg_catalog.=) target_schema
                               AND s.tablename OPERATOR(pg_catalog.=) tbl
                               AND s.attname OPERATOR(pg_catalog.=) a.attname) AS has_stats,
                    pg_catalog.format_type(a.atttypid, a.atttypmod)
                    || CASE WHEN a.attcollation OPERATOR(pg_catalog.<>) 0
                              AND a.attcollation OPERATOR(pg_catalog.<>) ty.typcollation
                            THEN ' COLLATE ' || a.attcollation::pg_catalog.regcollation::pg_catalog.text ELSE '' END AS typ
               FROM pg_catalog.pg_attribute a
               JOIN pg_catalog.pg_type ty ON ty.oid OPERATOR(pg_catalog.=) a.atttypid
              WHERE a.attrelid OPERATOR(pg_catalog.=) rel
                AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
              ORDER BY a.attnum LOOP
    -- (the default target is -1 up to PostgreSQL 16, NULL from 17 on: IS DISTINCT FROM, not <>,
    -- which is NULL there and set no target, so ANALYZE gathered every column; found 2026-12-07
    -- by scripts/pg17-test.sh)
    IF col.attstattarget IS DISTINCT FROM 0 THEN
      EXECUTE pg_catalog.format('ALTER TABLE %I.%I ALTER COLUMN %I SET STATISTICS 0', target_schema, tbl, col.attname);
    END IF;
    CONTINUE WHEN NOT col.has_stats;
    -- Retyping a column validates again every CHECK constraint on it, over every row, as the
    -- caller: a constraint calling a function of another role ran it with the caller's rights
    -- (a superuser's grant_roles on a hub a platform administrator made, review of hub guards
    -- 2026-12-07, h12).  A superuser deletes the statistics instead, as the retype would, and
    -- runs no code; another caller retypes only when no role without its rights controls code
    -- in the hub (_hub_code_clear, the rule of _hub_code_guard), else keeps them and says so
    IF su THEN
      DELETE FROM pg_catalog.pg_statistic s
       WHERE s.starelid OPERATOR(pg_catalog.=) rel AND s.staattnum OPERATOR(pg_catalog.=) col.attnum;
      CONTINUE;
    END IF;
    IF code_clear IS NULL THEN
      code_clear := @extschema@._hub_code_clear(target_schema);
    END IF;
    IF NOT code_clear THEN
      code_cols := code_cols || ('"' || col.attname || '"');
      kept_nums := kept_nums || col.attnum::pg_catalog.text;
      CONTINUE;
    END IF;
    BEGIN
      EXECUTE pg_catalog.format('ALTER TABLE %I.%I ALTER COLUMN %I TYPE %s', target_schema, tbl, col.attname, col.typ);
    EXCEPTION WHEN feature_not_supported OR dependent_objects_still_exist THEN
      -- a trigger, a policy, a view or an SQL-body function uses the column (a superuser
      -- deleted its statistics above)
      kept_cols := kept_cols || ('"' || col.attname || '"');
      kept_nums := kept_nums || col.attnum::pg_catalog.text;
    END;
  END LOOP;
  IF pg_catalog.cardinality(kept_cols) OPERATOR(pg_catalog.>) 0 THEN
    kept := kept || ('columns ' || pg_catalog.array_to_string(kept_cols, ', ')
                     || ' (a trigger, a policy, a view or a function uses them, so they cannot be retyped)');
  END IF;
  IF pg_catalog.cardinality(code_cols) OPERATOR(pg_catalog.>) 0 THEN
    kept := kept || ('columns ' || pg_catalog.array_to_string(code_cols, ', ')
                     || ' (retyping them would run, with the caller''s rights, code that another role controls in the hub)');
  END IF;
  IF pg_catalog.cardinality(kept_nums) OPERATOR(pg_catalog.>) 0 THEN
    fix := fix || pg_catalog.format('DELETE FROM pg_catalog.pg_statistic WHERE starelid = %L::regclass AND staattnum IN (%s);',
                                    rel::pg_catalog.text, pg_catalog.array_to_string(kept_nums, ', '));
  END IF;
  -- extended statistics (CREATE STATISTICS) of the table; pg_stats_ext shows the owner of the
  -- table what they hold
  FOR st IN SELECT s.oid, s.stxstattarget,
                   pg_catalog.format('%I.%I', n.nspname, s.stxname) AS name,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_stats_ext e
                            WHERE e.statistics_schemaname OPERATOR(pg_catalog.=) n.nspname
                              AND e.statistics_name OPERATOR(pg_catalog.=) s.stxname
                              AND (e.n_distinct IS NOT NULL OR e.dependencies IS NOT NULL
                                   OR e.most_common_vals IS NOT NULL))
                   OR EXISTS (SELECT 1 FROM pg_catalog.pg_stats_ext_exprs e
                               WHERE e.statistics_schemaname OPERATOR(pg_catalog.=) n.nspname
                                 AND e.statistics_name OPERATOR(pg_catalog.=) s.stxname
                                 AND e.null_frac IS NOT NULL) AS has_stats
              FROM pg_catalog.pg_statistic_ext s
              JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) s.stxnamespace
             WHERE s.stxrelid OPERATOR(pg_catalog.=) rel
             ORDER BY s.stxname LOOP
    IF st.stxstattarget IS DISTINCT FROM 0 THEN
      BEGIN
        EXECUTE pg_catalog.format('ALTER STATISTICS %s SET STATISTICS 0', st.name);
      EXCEPTION WHEN insufficient_privilege THEN
        -- (another role's statistics object: only it or a superuser may change it)
        kept := kept || pg_catalog.format('statistics object "%s" (another role''s: its target stays)', st.name);
        fix := fix || pg_catalog.format('ALTER STATISTICS %s SET STATISTICS 0;', st.name);
      END;
    END IF;
    IF su THEN
      DELETE FROM pg_catalog.pg_statistic_ext_data d WHERE d.stxoid OPERATOR(pg_catalog.=) st.oid;
    ELSIF st.has_stats THEN
      kept := kept || pg_catalog.format('statistics object "%s"', st.name);
      fix := fix || pg_catalog.format('DELETE FROM pg_catalog.pg_statistic_ext_data WHERE stxoid = %L::regstatistics;', st.name);
    END IF;
  END LOOP;
  -- the expressions of the table's indexes, whose statistics ANALYZE gathers on the index
  FOR ix IN SELECT i.indexrelid::pg_catalog.regclass AS idx, a.attnum, a.attstattarget,
                   EXISTS (SELECT 1 FROM pg_catalog.pg_stats s
                            WHERE s.schemaname OPERATOR(pg_catalog.=) target_schema
                              AND s.tablename OPERATOR(pg_catalog.=) c.relname
                              AND s.attname OPERATOR(pg_catalog.=) a.attname) AS has_stats
              FROM pg_catalog.pg_index i
              JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.indexrelid
              JOIN pg_catalog.pg_attribute a ON a.attrelid OPERATOR(pg_catalog.=) i.indexrelid
             WHERE i.indrelid OPERATOR(pg_catalog.=) rel AND a.attnum OPERATOR(pg_catalog.>) 0
               AND a.attnum OPERATOR(pg_catalog.<=) i.indnkeyatts
               AND i.indkey[a.attnum OPERATOR(pg_catalog.-) 1] OPERATOR(pg_catalog.=) 0
             ORDER BY c.relname, a.attnum LOOP
    IF ix.attstattarget IS DISTINCT FROM 0 THEN
      EXECUTE pg_catalog.format('ALTER INDEX %s ALTER COLUMN %s SET STATISTICS 0', ix.idx, ix.attnum);
    END IF;
    IF su THEN
      DELETE FROM pg_catalog.pg_statistic s
       WHERE s.starelid OPERATOR(pg_catalog.=) ix.idx AND s.staattnum OPERATOR(pg_catalog.=) ix.attnum;
    ELSIF ix.has_stats THEN
      kept := kept || pg_catalog.format('expression %s of index "%s"', ix.attnum, ix.idx);
      fix := fix || pg_catalog.format('DELETE FROM pg_catalog.pg_statistic WHERE starelid = %L::regclass AND staattnum = %s;',
                                      ix.idx::pg_catalog.text, ix.attnum);
    END IF;
  END LOOP;
  IF pg_catalog.cardinality(kept) OPERATOR(pg_catalog.>) 0 THEN
    RAISE WARNING 'table "%.%" keeps planner statistics of the rows the policies hide', target_schema, tbl
      USING DETAIL = pg_catalog.format('%s%s keep the statistics gathered before: EXPLAIN shows them to every role that reads the table, and only a superuser can delete them.',
                                       pg_catalog.upper(pg_catalog.left(kept[1], 1)),
                                       pg_catalog.substr(pg_catalog.array_to_string(kept, '; '), 2)),
            HINT = pg_catalog.format('Run smartregion.grant_roles(%L) as a superuser, or have a superuser run: %s',
                                     target_schema, pg_catalog.array_to_string(fix, ' '));
  END IF;
  RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_table_no_statistics(name, name) IS
  'internal: a hub table with a column of the register of personal or of confidential data, or whose rows are restricted by default, keeps no planner statistics (EXPLAIN''s estimates count the rows the policies hide): statistics target 0 on every column, extended statistics object and index expression; earlier statistics deleted from the catalogues when the caller is a superuser (columns, extended statistics, index expressions: no code runs), else dropped by retyping each column to its own type when no role without the caller''s rights controls code in the hub (a retype validates the column''s CHECK constraints again as the caller), and a warning naming them and the statements a superuser runs; false for another table, left as it is';
REVOKE EXECUTE ON FUNCTION @extschema@._hub_table_no_statistics(name, name) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

CREATE FUNCTION @extschema@.enable_territory_security(target_schema name)
RETURNS SETOF name
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (22004 naming the argument: the shared NULL check, docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('target_schema', target_schema);
  t record;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = target_schema AND tablename = 'agents') THEN
    RAISE EXCEPTION 'schema "%" has no hub', target_schema
      USING ERRCODE = '42P01', HINT = 'Run smartregion.create_hub() first.';
  END IF;
  PERFORM @extschema@._hub_fire_deferred(target_schema);
  FOR t IN SELECT h.table_name FROM @extschema@.hub_table h
            WHERE h.table_name NOT IN ('agents', 'territory_admins', 'consents')
              AND EXISTS (SELECT 1 FROM pg_catalog.pg_tables p WHERE p.schemaname = target_schema AND p.tablename = h.table_name)
            ORDER BY h.ord, h.table_name LOOP
    EXECUTE pg_catalog.format('ALTER TABLE %I.%I ENABLE ROW LEVEL SECURITY', target_schema, t.table_name);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_territory_read ON %I.%I', target_schema, t.table_name);
    -- (sr_territory_write: the FOR ALL write policy of a hub secured by an older build, which
    -- the three below replace)
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_territory_write ON %I.%I', target_schema, t.table_name);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_territory_insert ON %I.%I', target_schema, t.table_name);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_territory_update ON %I.%I', target_schema, t.table_name);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_territory_delete ON %I.%I', target_schema, t.table_name);
    EXECUTE pg_catalog.format('DROP POLICY IF EXISTS sr_confidential_territory ON %I.%I', target_schema, t.table_name);
    -- a table with protected rows keeps no planner statistics (_hub_table_no_statistics), its
    -- statistics gathered before dropped before the policies below name its territory and
    -- visibility columns again (a column a policy uses cannot be retyped)
    PERFORM @extschema@._hub_table_no_statistics(target_schema, t.table_name);
    -- read: public rows, and the restricted rows of the agent's own
    -- territories.  Every operator is qualified: a policy binds its operators
    -- when it is created and must never bind one planted in another schema.
    -- (the statements: _hub_security_policy_ddl, which _hub_objects_stale compares with)
    EXECUTE @extschema@._hub_security_policy_ddl(target_schema, t.table_name, 'sr_territory_read');
    -- write: only rows of the agent's own territories, a policy for each of INSERT, UPDATE and
    -- DELETE, none for SELECT (the read policy above lets through every row they do)
    EXECUTE @extschema@._hub_security_policy_ddl(target_schema, t.table_name, 'sr_territory_insert');
    EXECUTE @extschema@._hub_security_policy_ddl(target_schema, t.table_name, 'sr_territory_update');
    EXECUTE @extschema@._hub_security_policy_ddl(target_schema, t.table_name, 'sr_territory_delete');
    -- a table with confidential columns (statistical or fiscal secrecy: the establishments'
    -- headcount band and CFE liability) publishes a row without them: readers and analysts
    -- have no privilege on those columns, but an agent has every column of the rows it
    -- reads, so another territory's published row gave it that territory's fiscal secret.
    -- Column privileges cannot depend on the row: an agent reads the rows of such a table of
    -- its own territories only (the platform administrator every row, a reader or analyst
    -- who is no agent the published rows, without the columns).  The platform term is who
    -- may act as the group (_caller_may_act_as): a NOINHERIT member reads no row here it
    -- would not read after SET ROLE (the group reads every row, every column); on 16+ a
    -- grant WITH INHERIT FALSE, SET FALSE does not count (docs/security-reviews.md#r-noinherit-set)
    IF EXISTS (SELECT 1 FROM @extschema@.confidential_data c WHERE c.table_name OPERATOR(pg_catalog.=) t.table_name) THEN
      EXECUTE @extschema@._hub_security_policy_ddl(target_schema, t.table_name, 'sr_confidential_territory');
    END IF;
    RETURN NEXT t.table_name;
  END LOOP;
  PERFORM @extschema@._secure_platform_tables(target_schema);
  -- (the consents too, whose policies _secure_platform_tables makes: a subject per row)
  IF pg_catalog.to_regclass(pg_catalog.format('%I.consents', target_schema)) IS NOT NULL THEN
    PERFORM @extschema@._hub_table_no_statistics(target_schema, 'consents');
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@.enable_territory_security(name) IS
  'enables row-level security on the hub tables of a schema: agents (listed in <schema>.agents) read public rows and their own territories'' restricted rows, and write only their own territories'' rows; of a table with registered confidential columns, an agent reads its own territories'' rows only, never another territory''s, even published (restrictive policy sr_confidential_territory: a row is published without those columns), and every table holding registered personal or confidential data, or whose rows are restricted by default (consents included), keeps no planner statistics (statistics target 0 on every column, earlier ones dropped: EXPLAIN would show the hidden rows'' values); the platform administrator group reads and writes every row; a NULL target_schema is 22004';

SELECT @extschema@.register_service('platform', '0.1.0',
  'the platform itself: versions, service registry, hub tables and territory security',
  ARRAY['version', 'services', 'register_service', 'create_hub', 'hub_srid', 'register_hub_table', 'enable_territory_security',
        'territory_code_types']);
