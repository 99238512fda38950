-- ---------------------------------------------------------------------------
-- Roles and least-privilege grants (issue 14).  Five NOLOGIN group roles;
-- login roles become members (GRANT smartregion_agent TO alice):
--   smartregion_reader          reads the reference data, the catalogue and
--                               the public rows of the hub, without the
--                               columns that hold personal or confidential
--                               (statistical, fiscal) data
--   smartregion_agent           + reads its territories' restricted rows and
--                               writes its territories' rows (row-level
--                               security), records consents
--   smartregion_territory_admin + adds and removes the other agents of the
--                               territories it administers
--   smartregion_platform_admin  + every row of every hub table, the platform
--                               configuration, the pseudonym key, the
--                               governance functions (the DPO's tools)
--   smartregion_analyst         reader + the pseudonymised views
-- Reference: docs/security.md.
-- ---------------------------------------------------------------------------

-- Functions that change the platform or reach personal data are not for
-- everybody (PostgreSQL grants EXECUTE to PUBLIC by default); grant_roles()
-- grants them to the platform administrator.
REVOKE EXECUTE ON FUNCTION @extschema@.register_service(text, text, text, text[], text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.unregister_service(text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.register_hub_table(name, text, text, int) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.create_hub(name, int) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.enable_territory_security(name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.register_dataset(name, text, text, text[], text[], text, name, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.catalog_configure(name, text, text, text, text, text, text, text, text, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.register_personal_data(name, name, text, text, text, text, text, text, interval, text, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.register_confidential_data(name, name, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.pseudonym(text, name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.subject_export(text, name, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.subject_erase(text, name, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.purge_expired(name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.seal_legacy_pseudonyms(name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.create_pseudonymised_views(name, name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.configure_audit(name, name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.drop_hub(name) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.dropped_hubs() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION @extschema@.forget_dropped_hubs() FROM PUBLIC;

CREATE FUNCTION @extschema@.create_roles()
RETURNS SETOF name
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  r record;
BEGIN
  FOR r IN SELECT * FROM (VALUES
      (1, 'smartregion_reader', NULL,
       'smartregion: reads the reference data, the catalogue and the public rows of the hub, without the columns holding personal or confidential data'),
      (2, 'smartregion_agent', 'smartregion_reader',
       'smartregion: reads and writes the rows of its territories (listed in <hub>.agents) under row-level security'),
      (3, 'smartregion_territory_admin', 'smartregion_agent',
       'smartregion: adds and removes the other agents of the territories it administers (listed in <hub>.territory_admins)'),
      (4, 'smartregion_platform_admin', 'smartregion_territory_admin',
       'smartregion: every row of every hub table, the platform configuration, the pseudonym key and the governance functions'),
      (5, 'smartregion_analyst', 'smartregion_reader',
       'smartregion: reader, and the pseudonymised views of the hub')) v(k, role_name, member_of, description)
    ORDER BY v.k LOOP
    -- only what is missing: a platform administrator without CREATEROLE can
    -- run grant_roles() once the roles exist
    IF pg_catalog.to_regrole(r.role_name) IS NULL THEN
      EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r.role_name);
      EXECUTE pg_catalog.format('COMMENT ON ROLE %I IS %L', r.role_name, r.description);
    END IF;
    IF r.member_of IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM pg_catalog.pg_auth_members m
          WHERE m.roleid = pg_catalog.to_regrole(r.member_of) AND m.member = pg_catalog.to_regrole(r.role_name)) THEN
      EXECUTE pg_catalog.format('GRANT %I TO %I', r.member_of, r.role_name);
    END IF;
    RETURN NEXT r.role_name::name;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.create_roles() IS
  'creates (if missing) the NOLOGIN group roles smartregion_reader, smartregion_agent (member of reader), smartregion_territory_admin (member of agent), smartregion_platform_admin (member of territory_admin) and smartregion_analyst (member of reader); needs CREATEROLE';
REVOKE EXECUTE ON FUNCTION @extschema@.create_roles() FROM PUBLIC;

-- The columns a writer of a hub's table may give at INSERT, when not all of them
-- (2026-12-08, h8): every column of zae_zones but zone_uid, the zone's identity in
-- zae_zone_history (generated; given by hand, OVERRIDING SYSTEM VALUE or COPY, a zone would
-- take another's identity and the contours it follows: docs/zones.md#zone-identity).  NULL
-- for any other table, and for a zae_zones without zone_uid (a hub create_hub has not
-- brought up to date): the table-level INSERT, as before.  A comma-separated list of
-- quoted names, in column order.
CREATE FUNCTION @extschema@._hub_insert_columns(hub_schema name, table_name name) RETURNS text
LANGUAGE sql STABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT CASE WHEN table_name OPERATOR(pg_catalog.=) 'zae_zones'
                   AND pg_catalog.bool_or(a.attname OPERATOR(pg_catalog.=) 'zone_uid')
              THEN pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
                     FILTER (WHERE a.attname OPERATOR(pg_catalog.<>) 'zone_uid') END
    FROM pg_catalog.pg_attribute a
   WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub_schema, table_name))
     AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
$$;
COMMENT ON FUNCTION @extschema@._hub_insert_columns(name, name) IS
  'internal: the columns (quoted, comma-separated, in order) grant_roles grants INSERT on for a hub table when not the whole table: every column of zae_zones but zone_uid (a zone''s identity in its history, never given by hand); NULL for any other table or a zae_zones without zone_uid';

CREATE FUNCTION @extschema@.grant_roles(hub_schema name DEFAULT 'hub')
RETURNS TABLE (grantee name, object text, privileges text)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
-- the "already exists, skipping" NOTICEs of its idempotent DDL (dozens on a
-- fresh hub) are noise to the DBA; its own WARNINGs still show
SET client_min_messages = warning
AS $$
DECLARE
  -- (NULL arguments first, 22004 naming them: docs/governance.md#null-arguments)
  -- (a NULL name would reach format('%I'): PostgreSQL's error names no argument)
  args_given boolean := @extschema@._require_args('hub_schema', hub_schema);
  t record;
  cols text;
  f regprocedure;
  sig text;
  ext_schema name := '@extschema@';
  entered boolean;
BEGIN
  -- whether the schema holds a hub at all (42P01, the hint to run create_hub; _hub_enter)
  entered := @extschema@._hub_enter(hub_schema);
  PERFORM @extschema@.create_roles();
  -- row-level security first: the grants below are only safe with it
  PERFORM @extschema@.enable_territory_security(hub_schema);

  -- the extension's schema and its tables
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO smartregion_reader', ext_schema);
  grantee := 'smartregion_reader'; object := pg_catalog.format('schema %I', ext_schema); privileges := 'USAGE';
  RETURN NEXT;
  FOR t IN SELECT c.relname FROM pg_catalog.pg_class c
            WHERE c.relnamespace = ext_schema::pg_catalog.regnamespace AND c.relkind = 'r'
            ORDER BY c.relname LOOP
    IF t.relname = 'provenance' THEN
      -- every column but loaded_by: the writer's login, often a person's name
      -- (firstname.lastname), is personal data; agents read it (below), readers and
      -- analysts do not (a table-level grant of an earlier grant_roles is revoked first)
      EXECUTE pg_catalog.format('REVOKE SELECT ON %I.%I FROM smartregion_reader', ext_schema, t.relname);
      SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
        FROM pg_catalog.pg_attribute a
       WHERE a.attrelid = pg_catalog.format('%I.%I', ext_schema, t.relname)::pg_catalog.regclass
         AND a.attnum > 0 AND NOT a.attisdropped AND a.attname <> 'loaded_by';
      EXECUTE pg_catalog.format('GRANT SELECT (%s) ON %I.%I TO smartregion_reader', cols, ext_schema, t.relname);
      grantee := 'smartregion_reader'; object := pg_catalog.format('%I.%I', ext_schema, t.relname);
      privileges := pg_catalog.format('SELECT (%s)', cols);
      RETURN NEXT;
      EXECUTE pg_catalog.format('GRANT SELECT (loaded_by) ON %I.%I TO smartregion_agent', ext_schema, t.relname);
      grantee := 'smartregion_agent'; privileges := 'SELECT (loaded_by)';
      RETURN NEXT;
    ELSIF t.relname NOT IN ('pseudonym_key', 'subject_request_log') THEN
      EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO smartregion_reader', ext_schema, t.relname);
      grantee := 'smartregion_reader'; object := pg_catalog.format('%I.%I', ext_schema, t.relname); privileges := 'SELECT';
      RETURN NEXT;
    END IF;
    -- (the record of the data subjects' requests is append-only: the governance
    -- functions add to it, nobody rewrites it)
    privileges := CASE WHEN t.relname = 'subject_request_log' THEN 'SELECT, INSERT' ELSE 'SELECT, INSERT, UPDATE, DELETE' END;
    IF t.relname = 'subject_request_log' THEN
      EXECUTE pg_catalog.format('REVOKE UPDATE, DELETE, TRUNCATE ON %I.%I FROM smartregion_platform_admin', ext_schema, t.relname);
    END IF;
    EXECUTE pg_catalog.format('GRANT %s ON %I.%I TO smartregion_platform_admin', privileges, ext_schema, t.relname);
    grantee := 'smartregion_platform_admin'; object := pg_catalog.format('%I.%I', ext_schema, t.relname);
    RETURN NEXT;
  END LOOP;
  -- agents record the provenance of their own writes
  EXECUTE pg_catalog.format('GRANT INSERT ON %I.provenance TO smartregion_agent', ext_schema);
  grantee := 'smartregion_agent'; object := pg_catalog.format('%I.provenance', ext_schema); privileges := 'INSERT';
  RETURN NEXT;

  -- the hub
  EXECUTE pg_catalog.format('GRANT USAGE ON SCHEMA %I TO smartregion_reader', hub_schema);
  grantee := 'smartregion_reader'; object := pg_catalog.format('schema %I', hub_schema); privileges := 'USAGE';
  RETURN NEXT;
  FOR t IN SELECT h.table_name FROM @extschema@.hub_table h
            WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub_schema, h.table_name)) IS NOT NULL
            ORDER BY h.ord, h.table_name LOOP
    EXECUTE pg_catalog.format('REVOKE ALL ON %I.%I FROM smartregion_reader, smartregion_agent, smartregion_territory_admin',
                              hub_schema, t.table_name);
    IF t.table_name IN ('agents', 'territory_admins') THEN
      -- row-level security shows each role its own rows (the territory policies read them)
      EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO smartregion_reader', hub_schema, t.table_name);
      grantee := 'smartregion_reader'; object := pg_catalog.format('%I.%I', hub_schema, t.table_name); privileges := 'SELECT';
      RETURN NEXT;
      IF t.table_name = 'agents' THEN
        EXECUTE pg_catalog.format('GRANT INSERT, UPDATE, DELETE ON %I.agents TO smartregion_territory_admin', hub_schema);
        grantee := 'smartregion_territory_admin'; object := pg_catalog.format('%I.agents', hub_schema);
        privileges := 'INSERT, UPDATE, DELETE';
        RETURN NEXT;
      END IF;
    ELSIF t.table_name = 'consents' THEN
      EXECUTE pg_catalog.format('GRANT SELECT, INSERT ON %I.consents TO smartregion_agent', hub_schema);
      grantee := 'smartregion_agent'; object := pg_catalog.format('%I.consents', hub_schema); privileges := 'SELECT, INSERT';
      RETURN NEXT;
    ELSE
      -- readers: every column but those of the registers of personal and of confidential
      -- data (statistical or fiscal secrecy); the whole table when it has none
      -- (geometry_columns shows clients such as QGIS and GDAL the type and SRID of a
      -- table's geometry only with a table-level privilege)
      IF EXISTS (SELECT 1 FROM @extschema@.personal_data p WHERE p.table_name = t.table_name)
         OR EXISTS (SELECT 1 FROM @extschema@.confidential_data c WHERE c.table_name = t.table_name) THEN
        SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
          FROM pg_catalog.pg_attribute a
         WHERE a.attrelid = pg_catalog.format('%I.%I', hub_schema, t.table_name)::pg_catalog.regclass
           AND a.attnum > 0 AND NOT a.attisdropped
           AND NOT EXISTS (SELECT 1 FROM @extschema@.personal_data p
                            WHERE p.table_name = t.table_name AND p.column_name = a.attname)
           AND NOT EXISTS (SELECT 1 FROM @extschema@.confidential_data c
                            WHERE c.table_name = t.table_name AND c.column_name = a.attname);
        EXECUTE pg_catalog.format('GRANT SELECT (%s) ON %I.%I TO smartregion_reader', cols, hub_schema, t.table_name);
        privileges := pg_catalog.format('SELECT (%s)', cols);
      ELSE
        EXECUTE pg_catalog.format('GRANT SELECT ON %I.%I TO smartregion_reader', hub_schema, t.table_name);
        privileges := 'SELECT';
      END IF;
      grantee := 'smartregion_reader'; object := pg_catalog.format('%I.%I', hub_schema, t.table_name);
      RETURN NEXT;
      -- (zae_zones: INSERT on every column but zone_uid, a zone's identity in its history,
      -- which an INSERT ... OVERRIDING SYSTEM VALUE or a COPY naming it would give by hand;
      -- 2026-12-08, h8: docs/zones.md#zone-identity)
      cols := @extschema@._hub_insert_columns(hub_schema, t.table_name);
      IF cols IS NULL THEN
        EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO smartregion_agent', hub_schema, t.table_name);
        privileges := 'SELECT, INSERT, UPDATE, DELETE';
      ELSE
        EXECUTE pg_catalog.format('GRANT SELECT, INSERT (%s), UPDATE, DELETE ON %I.%I TO smartregion_agent', cols, hub_schema, t.table_name);
        privileges := pg_catalog.format('SELECT, INSERT (%s), UPDATE, DELETE', cols);
      END IF;
      grantee := 'smartregion_agent'; object := pg_catalog.format('%I.%I', hub_schema, t.table_name);
      RETURN NEXT;
    END IF;
    cols := @extschema@._hub_insert_columns(hub_schema, t.table_name);
    IF cols IS NULL THEN
      EXECUTE pg_catalog.format('GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON %I.%I TO smartregion_platform_admin',
                                hub_schema, t.table_name);
      privileges := 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE';
    ELSE
      -- (the table-level INSERT of an earlier grant_roles revoked first: it covers every column)
      EXECUTE pg_catalog.format('REVOKE INSERT ON %I.%I FROM smartregion_platform_admin', hub_schema, t.table_name);
      EXECUTE pg_catalog.format('GRANT SELECT, INSERT (%s), UPDATE, DELETE, TRUNCATE ON %I.%I TO smartregion_platform_admin',
                                cols, hub_schema, t.table_name);
      privileges := pg_catalog.format('SELECT, INSERT (%s), UPDATE, DELETE, TRUNCATE', cols);
    END IF;
    grantee := 'smartregion_platform_admin'; object := pg_catalog.format('%I.%I', hub_schema, t.table_name);
    RETURN NEXT;
  END LOOP;

  -- the hub's SECURITY DEFINER functions, for the roles that need them: the places left at
  -- its public premises (docs/matching.md, tl_propose) for those who run tl_propose, and the
  -- earlier contours a filtered caller cannot read (one boolean a zone: docs/zones.md,
  -- "Earlier contours") for those who publish zone indicators.  Each signature is written
  -- with pg_catalog-qualified types (a hostile search_path captures no type name) and
  -- reported without them, as before
  FOREACH sig IN ARRAY ARRAY['_tl_places_left(pg_catalog.tsrange[])',
                             '_zae_zone_history_hidden(pg_catalog.name, pg_catalog.name, pg_catalog.bytea[])'] LOOP
    CONTINUE WHEN pg_catalog.to_regprocedure(pg_catalog.format('%I.%s', hub_schema, sig)) IS NULL;
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %I.%s TO smartregion_agent, smartregion_platform_admin',
                              hub_schema, sig);
    object := pg_catalog.format('function %I.%s', hub_schema, pg_catalog.replace(sig, 'pg_catalog.', ''));
    privileges := 'EXECUTE';
    grantee := 'smartregion_agent';
    RETURN NEXT;
    grantee := 'smartregion_platform_admin';
    RETURN NEXT;
  END LOOP;

  -- the platform administrator's functions, and the internal ones that only they and the
  -- hub templates create_hub runs call, whose EXECUTE is revoked from PUBLIC as theirs
  -- (docs/security-reviews.md#r-internal-public)
  FOR f IN SELECT p.oid::pg_catalog.regprocedure FROM pg_catalog.pg_proc p
            WHERE p.pronamespace = ext_schema::pg_catalog.regnamespace
              AND p.proname IN ('register_service', 'unregister_service', 'register_hub_table', 'create_hub',
                                'enable_territory_security', 'register_dataset', 'catalog_configure',
                                'register_personal_data', 'register_confidential_data', 'pseudonym',
                                'subject_export', 'subject_erase',
                                'purge_expired', 'seal_legacy_pseudonyms', 'create_pseudonymised_views',
                                'drop_hub', 'dropped_hubs', 'forget_dropped_hubs',
                                '_hub_fire_deferred', '_hub_table_no_statistics', '_secure_platform_tables',
                                '_group_role_policies', '_hub_check_constraint', '_territory_type_inherit',
                                '_tl_history_restrict_hidden',
                                '_zae_zone_history_restrict_hidden', '_zae_zone_history_restrict_renumbered',
                                '_zae_zone_history_adopt')
            ORDER BY p.proname LOOP
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO smartregion_platform_admin', f);
    grantee := 'smartregion_platform_admin'; object := pg_catalog.format('function %s', f); privileges := 'EXECUTE';
    RETURN NEXT;
  END LOOP;
  PERFORM @extschema@._group_role_policies(hub_schema);
  -- the grants are only as good as the schemas they are made in: say when another role
  -- controls one that smartregion or the hub uses, and apart, when a hub is out of date with
  -- this build (trust_problems, below)
  PERFORM @extschema@._trust_warning('grant_roles');
END
$$;
COMMENT ON FUNCTION @extschema@.grant_roles(name) IS
  'creates the group roles if missing, enables territory security on a hub and grants each role the least privileges it needs there and on the extension''s tables and functions (docs/security.md); run by the owner of the extension and of the hub; idempotent, returns the grants made; 22004 for a NULL hub_schema';
REVOKE EXECUTE ON FUNCTION @extschema@.grant_roles(name) FROM PUBLIC;

-- The SRID the hub's templates are rendered with (format(ddl, hub, srid)) to tell what this
-- build writes in a hub: the one of its zae_zones' geometry columns' type modifiers (as
-- hub_srid, which a caller without USAGE on the schema could not run), 2154 for none or a
-- hub without the table: the names and bodies compared do not depend on it, but it is the
-- key under which the session remembers the templates rendered (platform.c), so
-- _hub_functions_stale and _hub_objects_stale must ask with the same value.  Read from the
-- catalogue, which every role may.  PL/pgSQL: its query planned once a session (an SQL
-- function of a query with a FROM, pinned, is planned again at every call)
CREATE FUNCTION @extschema@._hub_catalog_srid(hub name)
RETURNS int
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RETURN (SELECT coalesce(pg_catalog.max((a.atttypmod OPERATOR(pg_catalog.&) 268435200) OPERATOR(pg_catalog.>>) 8)
                            FILTER (WHERE ((a.atttypmod OPERATOR(pg_catalog.&) 268435200) OPERATOR(pg_catalog.>>) 8) NOT IN (0, 4326)), 2154)
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid
            JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
            JOIN pg_catalog.pg_type ty ON ty.oid OPERATOR(pg_catalog.=) a.atttypid
           WHERE n.nspname OPERATOR(pg_catalog.=) hub AND c.relname OPERATOR(pg_catalog.=) 'zae_zones'
             AND ty.typname OPERATOR(pg_catalog.=) 'geometry' AND a.atttypmod OPERATOR(pg_catalog.>=) 0 AND NOT a.attisdropped);
END
$$;
COMMENT ON FUNCTION @extschema@._hub_catalog_srid(name) IS
  'internal: the SRID the hub_table templates are rendered with for hub: the SRID of the type modifiers of its zae_zones'' geometry columns but 0 and 4326, 2154 for none (no such table); read from the catalogue, no privilege needed; for _hub_functions_stale and _hub_objects_stale, which must give _hub_template_functions and _hub_template_objects the same key';

-- What the install guard (00-header.sql) checked once, checked again at any time: a GRANT
-- CREATE made after the install, or an object planted since, is seen by no trigger
-- (an event trigger would need a superuser to create it, fires for neither a GRANT on a
-- schema made by ALTER DEFAULT PRIVILEGES nor a role granted membership later, and could
-- not refuse a superuser's GRANT anyway).  Lists every schema whose objects smartregion's
-- functions use — its own, PostGIS's and pgcrypto's, and each hub's (a schema holding
-- agents, territory_admins and tl_history: its owner's SECURITY DEFINER _tl_places runs
-- there, and the hub is on the search path of the clients that read it by bare names) —
-- that another role may create objects in, and the objects there
-- of a role that is neither trusted there nor a superuser.  Reads the catalogue only, which
-- every role may: no privilege needed.
-- The per-hub functions create_hub writes (a hub_table template's CREATE OR REPLACE FUNCTION
-- %1$I.name: _tl_places, _tl_places_seen, _tl_places_left, _tl_history_notify,
-- _zae_zone_history_hidden) that a hub lacks, or whose body is not the one this build
-- writes: a hub made by an older build, or a function dropped or replaced since.  No
-- version stamp to forge or forget: each function's body (prosrc, between its dollar
-- quotes) must appear, dollar signs included, in the DDL this build's templates write for
-- the hub (format(ddl, hub, srid)); the bodies name neither the hub nor its SRID, so a
-- renamed hub stays current.  A BEGIN ATOMIC body (_tl_places_seen, _tl_places_left) is
-- stored parsed, bound to the tables by OID: only its presence is checked.  For trust_problems and the published zone_indicators calls
-- (_zones_publication_hidden), which fail closed on a stale _zae_zone_history_hidden.
-- The functions the templates write, each with its template rendered for a hub and SRID
-- (format(ddl, hub, srid)): remembered for the backend while the templates' rows are the
-- same versions (platform.c, sr_fn_hub_template_functions: their xmin and ctid, read on
-- every call), so that a published call asking several hubs on each call does not render
-- and search the templates for each (2026-12-07, h3: docs/performance-zones.md).  Read as
-- the caller; the hub's own functions are not read here.  For _hub_functions_stale
CREATE FUNCTION @extschema@._hub_template_functions(hub name, srid int)
RETURNS TABLE (function_name name, ddl text)
AS 'MODULE_PATHNAME', 'sr_fn_hub_template_functions'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100 ROWS 5;
COMMENT ON FUNCTION @extschema@._hub_template_functions(name, int) IS
  'internal: the functions the hub_table templates write (CREATE OR REPLACE FUNCTION %1$I.name), each with its template rendered for hub and srid (format(ddl, hub, srid)), distinct pairs; remembered for the backend while the templates'' row versions (xmin, ctid) are the same; read as the caller; for _hub_functions_stale';

CREATE FUNCTION @extschema@._hub_functions_stale(hub name, only_function name DEFAULT NULL)
RETURNS TABLE (function_name name, problem text)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100 ROWS 1
SET search_path = pg_catalog, pg_temp
-- (one generic plan from the first call: the query's plan does not depend on the hub, and
-- PostgreSQL's first five custom plans of a session cost more than the rest of the call,
-- 9-37 ms each on a loaded host, 2026-12-07, h3: docs/performance-zones.md)
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
  -- (the templates are read as the caller: the group roles may, after grant_roles; another
  -- role gets no row, and _zones_publication_hidden checks the privilege itself)
  IF NOT pg_catalog.has_table_privilege('@extschema@.hub_table', 'SELECT') THEN
    RETURN;
  END IF;
  RETURN QUERY
  -- (the templates rendered for the hub, remembered for the backend: _hub_template_functions,
  -- for the hub's SRID, _hub_catalog_srid, as _hub_objects_stale asks)
  WITH written AS (
    SELECT w.function_name AS fname, w.ddl,
           -- (whether the template makes it SECURITY DEFINER: its header, from its CREATE to
           -- its body; a function altered to SECURITY INVOKER keeps its body, and the
           -- definer _zae_zone_history_hidden then read as its caller, who cannot read what it
           -- is asked about: red team of 2026-12-07 evening, h6)
           pg_catalog.substring(pg_catalog.substr(w.ddl, pg_catalog.strpos(w.ddl, pg_catalog.format('FUNCTION %I.%I(', hub, w.function_name))),
                                '^(.*?)(\mAS\s+\$|BEGIN\s+ATOMIC)') ~ '\mSECURITY\s+DEFINER\M' AS definer
      FROM @extschema@._hub_template_functions(hub, @extschema@._hub_catalog_srid(hub)) w
     WHERE only_function IS NULL OR w.function_name OPERATOR(pg_catalog.=) only_function),
  -- (the hub's functions, read on every call: by name in the hub's schema, an index lookup)
  hub_nsp AS (SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) hub)
  SELECT w.fname::name,
         CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_proc p
                            WHERE p.proname OPERATOR(pg_catalog.=) w.fname AND p.pronamespace OPERATOR(pg_catalog.=) (SELECT x.oid FROM hub_nsp x))
              THEN 'differs' ELSE 'missing' END
    FROM written w
   WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_proc p
                      WHERE p.proname OPERATOR(pg_catalog.=) w.fname AND p.pronamespace OPERATOR(pg_catalog.=) (SELECT x.oid FROM hub_nsp x))
      -- every function of that name in the hub, not one: an overload holding the body this
      -- build writes hid another one, the one the extension calls, replaced (red team of
      -- 2026-12-07 evening, h6); and with the template's SECURITY DEFINER or not
      OR EXISTS (SELECT FROM pg_catalog.pg_proc p
                  WHERE p.proname OPERATOR(pg_catalog.=) w.fname AND p.pronamespace OPERATOR(pg_catalog.=) (SELECT x.oid FROM hub_nsp x)
                    AND NOT (p.prosecdef OPERATOR(pg_catalog.=) coalesce(w.definer, false)
                             -- (a BEGIN ATOMIC body is stored parsed, not as text: present is all
                             -- that is checked of _tl_places_seen's and _tl_places_left's body)
                             AND (p.prosqlbody IS NOT NULL
                                  OR pg_catalog.strpos(w.ddl, '$' OPERATOR(pg_catalog.||) p.prosrc OPERATOR(pg_catalog.||) '$') OPERATOR(pg_catalog.>) 0)))
   ORDER BY 1;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_functions_stale(name, name) IS
  'internal: the functions this build''s create_hub writes in hub (the hub_table templates'' CREATE OR REPLACE FUNCTION; only_function: that one only) that the schema lacks (missing) or of which a function of that name (any overload) has another body than the templates write for it or another SECURITY DEFINER (differs: made by an older build, or replaced or altered since; a BEGIN ATOMIC body is checked for presence only); no row for a caller that may not read smartregion.hub_table; for trust_problems and _zones_publication_hidden';

-- The hub tables this build's create_hub makes (smartregion.hub_table) that a hub lacks: a hub
-- made by an older build (zae_zone_history, added since, without which a published
-- zone_indicators call is refused), or a table dropped since.  Read as the caller, as
-- _hub_functions_stale: no row for a role that may not read the templates.  For trust_problems
CREATE FUNCTION @extschema@._hub_tables_missing(hub name)
RETURNS TABLE (table_name name)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100 ROWS 1
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (the templates are read as the caller: the group roles may, after grant_roles)
  IF NOT pg_catalog.has_table_privilege('@extschema@.hub_table', 'SELECT') THEN
    RETURN;
  END IF;
  RETURN QUERY
  -- (smartregion's own tables only: a table a plugin registers later, which the hubs made
  -- before lack until create_hub runs again, is the plugin's to check, not a problem of trust)
  SELECT h.table_name FROM @extschema@.hub_table h
   WHERE h.provider OPERATOR(pg_catalog.=) 'smartregion'
     AND NOT EXISTS (SELECT FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
                      WHERE n.nspname OPERATOR(pg_catalog.=) hub AND c.relname OPERATOR(pg_catalog.=) h.table_name
                        AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::"char"[]))
   ORDER BY 1;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_tables_missing(name) IS
  'internal: the tables this build''s create_hub makes (smartregion.hub_table rows of smartregion''s own install script, not a plugin''s) that the schema hub lacks (an older build''s hub, or a table dropped since); no row for a caller that may not read smartregion.hub_table; for trust_problems';

-- The other per-hub objects a hub made by an older build keeps until create_hub,
-- enable_territory_security or grant_roles runs on it again: the columns, indexes, triggers
-- and row-level security policies this build writes that a hub lacks, and its policies
-- whose text this build writes otherwise.  Found, where they can be, in what this build
-- writes, not in a list: smartregion's own hub_table templates parsed by PostgreSQL's parser
-- (_hub_template_objects: ALTER TABLE ... ADD COLUMN IF NOT EXISTS, CREATE INDEX, CREATE
-- TRIGGER, CREATE POLICY, rendered for the hub and remembered as _hub_template_functions'
-- are) and the policies of enable_territory_security, _secure_platform_tables and
-- _group_role_policies (_hub_security_policy_templates, the text they run).  What create_hub
-- writes from its own code for every table by a rule (territory_code, visibility,
-- territory_type and their index, sr_provenance; recorded_at, sr_recorded_at and its index
-- on a table of personal data; sr_restricted_by_hand where a template adds
-- restricted_with_parent; the consents' and agents' triggers) is listed below with that
-- rule (its triggers with the statements create_hub runs, _hub_rule_trigger_templates, since
-- h4; its indexes so, _hub_rule_index_templates, since 2026-12-08, h3), as is which tables get which security policy: no text says it but that code
-- (extension/tests/pgtap/hub_objects_stale.sql checks that a fresh hub holds no
-- smartregion object outside the two), and the one policy an older build wrote that this
-- build no longer does (sr_territory_write, split on 2026-12-07; its text written there).
-- A policy is compared whole: command, kind, roles
-- and both expressions, parsed against the table and deparsed (_hub_policy_stale); the
-- other objects for presence, and since the red team of 2026-12-07 night (h8) what a
-- table's owner changes in place: a trigger disabled, or a template's of another tgtype or
-- function; a template's index of another shape (unique, partial, access method, keys) or
-- invalid; and since the second red team of that night (h4) a template's index and trigger
-- compared whole with its statement (_hub_index_stale, _hub_trigger_stale: columns,
-- predicate, UPDATE OF, WHEN, transition tables), and a trigger enabled ALWAYS; since
-- 2026-12-08 (h3) a rule's index too (a partial, expression, other-column or other-opclass
-- <table>_territory_idx was taken for it); row-level security disabled on a table of a hub under territory security; a
-- permissive policy this build does not write (docs/security-reviews.md#r-hub-objects-in-place).  The statements of a
-- template's DO block are read too (the roof cells' tile key triggers and column; before
-- 2026-12-07, h1, they were not seen); those of a function body, and what a block runs by
-- EXECUTE, are not.  Only the tables the hub has (a missing table is _hub_tables_missing's), of
-- smartregion's own templates; a policy only for a caller with USAGE on the hub's schema;
-- nothing for a caller that may not read smartregion.hub_table.  For trust_problems
CREATE FUNCTION @extschema@._hub_template_objects(hub name, srid int)
RETURNS TABLE (kind text, table_name name, object_name name, ddl text)
AS 'MODULE_PATHNAME', 'sr_fn_hub_template_objects'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100 ROWS 100;
COMMENT ON FUNCTION @extschema@._hub_template_objects(name, int) IS
  'internal: the columns (ALTER TABLE ... ADD COLUMN IF NOT EXISTS), named indexes, triggers and policies (each with its CREATE INDEX, CREATE TRIGGER or CREATE POLICY statement, from its first word) smartregion''s own hub_table templates write, found by PostgreSQL''s parser in the templates rendered for hub and srid, and in the statements of their DO blocks (ADD COLUMN there under the block''s own test; a function body''s statements and a block''s EXECUTE not seen); remembered for the backend while the templates'' row versions are the same, as _hub_template_functions; read as the caller; for _hub_objects_stale';

CREATE FUNCTION @extschema@._hub_policy_stale(hub name, ddl text)
RETURNS text
AS 'MODULE_PATHNAME', 'sr_fn_hub_policy_stale'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@._hub_policy_stale(name, text) IS
  'internal: for one CREATE POLICY statement (ddl) on a table of hub, ''missing'' when the table has no policy of that name, ''differs'' when its command, kind, roles, USING or WITH CHECK expression are not the statement''s (the expressions parsed against the table as CREATE POLICY does, both deparsed and compared), NULL when they are, when the hub has no such table, or when the caller has no USAGE on the hub''s schema; 22023 for a ddl that is not one CREATE POLICY statement; for _hub_objects_stale';

-- (an index or trigger of a template compared whole with the template's statement, as a
-- policy is: since the second red team of 2026-12-07 night, h4, an index of the template's
-- shape on other columns or another predicate, and a trigger of its events and function
-- with another WHEN, UPDATE OF or transition tables, were taken for it)
CREATE FUNCTION @extschema@._hub_index_stale(hub name, ddl text)
RETURNS text
AS 'MODULE_PATHNAME', 'sr_fn_hub_index_stale'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@._hub_index_stale(name, text) IS
  'internal: for one CREATE INDEX statement (ddl, naming its index) on a table of hub, ''missing'' when the table has no index of that name, ''differs'' when it is invalid, or its uniqueness, NULLS NOT DISTINCT, access method, key or included columns (attributes or expressions), collations, operator classes, orders or predicate are not the statement''s (the statement transformed against the table as CREATE INDEX does, its expressions compared with the stored ones), NULL when they are or when the hub has no such table; for a caller without USAGE on the hub''s schema, its shape and plain columns only; 22023 for a ddl that is not one CREATE INDEX naming its index; for _hub_objects_stale';

CREATE FUNCTION @extschema@._hub_trigger_stale(hub name, ddl text)
RETURNS text
AS 'MODULE_PATHNAME', 'sr_fn_hub_trigger_stale'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@._hub_trigger_stale(name, text) IS
  'internal: for one CREATE TRIGGER statement (ddl) on a table of hub, ''missing'' when the table has no trigger of that name, ''differs'' when its timing, level, events, UPDATE OF columns, WHEN condition (for a caller with USAGE on the hub''s schema; its presence for another), transition tables, function, arguments, or constraint and deferral are not the statement''s, NULL when they are or when the hub has no such table (whether it is enabled: _hub_objects_stale); 22023 for a ddl that is not one CREATE TRIGGER statement; for _hub_objects_stale';

CREATE FUNCTION @extschema@._hub_objects_stale(hub name)
RETURNS TABLE (kind text, table_name name, object_name name, problem text, effect text, fix text)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1000 ROWS 1
SET search_path = pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
  reg pg_catalog.regclass;
BEGIN
  -- (the templates are read as the caller, as _hub_functions_stale)
  IF NOT pg_catalog.has_table_privilege('@extschema@.hub_table', 'SELECT') THEN
    RETURN;
  END IF;
  -- (so are the registers of personal and confidential data, which decide the rules' indexes,
  -- triggers and policies: a role that may read the templates but not them got PostgreSQL's
  -- bare 42501 from the query below, naming neither the table nor the fix; 2026-12-08, h10)
  FOREACH reg IN ARRAY ARRAY['@extschema@.personal_data', '@extschema@.confidential_data']::pg_catalog.regclass[] LOOP
    IF NOT pg_catalog.has_table_privilege(reg, 'SELECT') THEN
      RAISE EXCEPTION 'permission denied for table %', reg
        USING ERRCODE = '42501',
              DETAIL = pg_catalog.format('Role "%s" may read smartregion.hub_table but has no SELECT on table %s, which trust_problems reads to know the columns, indexes, triggers and policies the tables of hub "%s" must have.', CURRENT_USER, reg, hub),
              HINT = pg_catalog.format('Grant the role SELECT on table %s (smartregion.grant_roles grants it to smartregion_reader), or run trust_problems as a role that reads it.', reg);
    END IF;
  END LOOP;
  RETURN QUERY
  -- the hub's tables that smartregion's templates make, with what decides the rules below
  WITH tbl0 AS (
    SELECT h.table_name AS t, c.oid AS rel, c.relrowsecurity AS rls
      FROM @extschema@.hub_table h
      JOIN pg_catalog.pg_class c ON c.relname OPERATOR(pg_catalog.=) h.table_name
      JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE n.nspname OPERATOR(pg_catalog.=) hub AND h.provider OPERATOR(pg_catalog.=) 'smartregion'
       AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::"char"[])),
  -- a hub under territory security, as create_hub tells it (a territory policy on a table, or
  -- row-level security on a table but the platform's three): every table of it gets row-level
  -- security and its policies, so a table whose row-level security its owner disabled
  -- (ALTER TABLE ... DISABLE ROW LEVEL SECURITY: its policies kept, applied to nobody) is
  -- expected to have both, and is listed (the red team of 2026-12-07 night, h8); the
  -- platform's three always have it (_secure_platform_tables)
  tbl AS (
    SELECT x.t, x.rel, x.rls,
           (x.t OPERATOR(pg_catalog.=) ANY (ARRAY['agents', 'territory_admins', 'consents']::name[])
            OR EXISTS (SELECT FROM tbl0 y WHERE y.rls AND y.t OPERATOR(pg_catalog.<>) ALL (ARRAY['agents', 'territory_admins', 'consents']::name[]))
            OR EXISTS (SELECT FROM pg_catalog.pg_policy p JOIN tbl0 y ON y.rel OPERATOR(pg_catalog.=) p.polrelid
                        WHERE p.polname OPERATOR(pg_catalog.=) ANY (ARRAY['sr_territory_read', 'sr_territory_insert', 'sr_territory_update',
                                                                           'sr_territory_delete', 'sr_territory_write']::name[]))) AS secured
      FROM tbl0 x),
  tmpl AS (
    SELECT o.kind AS k, o.table_name AS t, o.object_name AS o, o.ddl AS d
      -- (for the hub's SRID as _hub_functions_stale asks, _hub_catalog_srid: the same memo
      -- entry; the objects' names do not depend on it)
      FROM @extschema@._hub_template_objects(hub, @extschema@._hub_catalog_srid(hub)) o),
  -- what create_hub writes from its own code, by its rules (create_hub, 10-platform.sql)
  rule AS (
    SELECT 'column'::text AS k, x.t, c.col::name AS o FROM tbl x, (VALUES ('territory_code'), ('visibility'), ('territory_type')) c(col)
    UNION ALL SELECT 'index', x.t, pg_catalog.format('%s_territory_idx', x.t)::name FROM tbl x
    UNION ALL SELECT 'trigger', x.t, 'sr_provenance' FROM tbl x
    UNION ALL SELECT 'column', x.t, 'recorded_at' FROM tbl x
               WHERE EXISTS (SELECT FROM @extschema@.personal_data p WHERE p.table_name OPERATOR(pg_catalog.=) x.t)
    UNION ALL SELECT 'trigger', x.t, 'sr_recorded_at' FROM tbl x
               WHERE EXISTS (SELECT FROM @extschema@.personal_data p WHERE p.table_name OPERATOR(pg_catalog.=) x.t)
    UNION ALL SELECT 'index', x.t, pg_catalog.format('%s_recorded_at_idx', x.t)::name FROM tbl x
               WHERE x.t OPERATOR(pg_catalog.<>) 'consents'
                 AND EXISTS (SELECT FROM @extschema@.personal_data p WHERE p.table_name OPERATOR(pg_catalog.=) x.t)
    UNION ALL SELECT 'trigger', m.t, 'sr_restricted_by_hand' FROM tmpl m
               WHERE m.k OPERATOR(pg_catalog.=) 'column' AND m.o OPERATOR(pg_catalog.=) 'restricted_with_parent'
    UNION ALL SELECT 'trigger', 'consents', g.o::name FROM (VALUES ('sr_consent_withdrawn'), ('sr_consent_deleted'), ('sr_consent_territory')) g(o)
    UNION ALL SELECT 'trigger', 'agents', 'sr_agents_listed' WHERE pg_catalog.to_regrole('smartregion_territory_admin') IS NOT NULL),
  -- which security policy each table gets (enable_territory_security: a table under territory
  -- security, row-level security on; _secure_platform_tables; _group_role_policies, once the
  -- group roles exist), each with the statement this build writes for it
  sec AS (
    SELECT x.t, p.o::name AS o FROM tbl x, (VALUES ('sr_territory_read'), ('sr_territory_insert'), ('sr_territory_update'),
                                                  ('sr_territory_delete')) p(o)
     WHERE x.secured AND x.t OPERATOR(pg_catalog.<>) ALL (ARRAY['agents', 'territory_admins', 'consents']::name[])
    UNION ALL SELECT x.t, 'sr_confidential_territory' FROM tbl x
     WHERE x.secured AND EXISTS (SELECT FROM @extschema@.confidential_data c WHERE c.table_name OPERATOR(pg_catalog.=) x.t)
    UNION ALL SELECT v.t::name, v.o::name FROM (VALUES ('agents', 'sr_agents_self'), ('territory_admins', 'sr_territory_admins_self'),
                                                       ('consents', 'sr_consents_read'), ('consents', 'sr_consents_record')) v(t, o)
    UNION ALL SELECT 'agents', 'sr_agents_territory_admin' WHERE pg_catalog.to_regrole('smartregion_territory_admin') IS NOT NULL
    UNION ALL SELECT x.t, 'sr_platform_admin' FROM tbl x
     WHERE x.secured AND pg_catalog.to_regrole('smartregion_platform_admin') IS NOT NULL),
  -- (the territory tests of the policies, rendered once a hub: MATERIALIZED, else the join
  -- below runs the two functions again for each of its rows, 13 of a call's 20 ms)
  terr AS MATERIALIZED (
    SELECT @extschema@._territory_mine_sql(hub, 'territory_type', 'territory_code') AS mine,
           @extschema@._territory_mine_sql(hub, 'territory_type', 'territory_code', 'territory_admins') AS own),
  -- the FOR ALL write policy sr_territory_write of a hub secured by an older build (before
  -- 2026-12-07), which this build's sr_territory_insert, _update and _delete replace; its
  -- text as that build wrote it (d: compared only, never written): st NULL when the table
  -- holds it so, 'differs' when in another text.  Looked up in pg_policy first:
  -- _hub_policy_stale parses, called only for the tables that hold one
  old_write AS (
    SELECT w.t, w.d, @extschema@._hub_policy_stale(hub, w.d) AS st
      FROM (SELECT x.t, pg_catalog.format('CREATE POLICY sr_territory_write ON %1$I.%2$I FOR ALL USING %3$s WITH CHECK %3$s',
                                          hub, x.t, m.mine) AS d
              FROM tbl x, terr m
             WHERE x.secured AND x.t OPERATOR(pg_catalog.<>) ALL (ARRAY['agents', 'territory_admins', 'consents']::name[])
               AND EXISTS (SELECT FROM pg_catalog.pg_policy p WHERE p.polrelid OPERATOR(pg_catalog.=) x.rel
                              AND p.polname OPERATOR(pg_catalog.=) 'sr_territory_write')
               -- (the policies' rule: only for a caller with USAGE on the hub's schema)
               AND pg_catalog.has_schema_privilege(hub, 'USAGE')) w),
  -- what this build knows of the hub: what it writes, and the older build's write policy,
  -- known as obsolete (listed as such, and so no unexpected policy: one list, one rule)
  expected AS (
    SELECT m.k, m.t, m.o, m.d, 'create_hub'::text AS via, false AS obsolete FROM tmpl m
    -- (a trigger of a rule with its statement, _hub_rule_trigger_templates: compared whole
    -- since h4; an index of a rule with its statement, _hub_rule_index_templates, since
    -- 2026-12-08 (h3; before, for presence and validity); a column of a rule for presence.
    -- The templates read once a call, joined: _hub_rule_trigger_ddl for each row cost some
    -- 40% of a call on ten hubs)
    UNION ALL SELECT r.k, r.t, r.o, coalesce(pg_catalog.format(rt.ddl, hub, r.t), pg_catalog.format(ri.ddl, hub, r.t, r.o)),
                     'create_hub', false
                FROM rule r LEFT JOIN @extschema@._hub_rule_trigger_templates() rt
                  ON r.k OPERATOR(pg_catalog.=) 'trigger' AND rt.trigger_name OPERATOR(pg_catalog.=) r.o
                LEFT JOIN @extschema@._hub_rule_index_templates() ri
                  ON r.k OPERATOR(pg_catalog.=) 'index' AND r.o OPERATOR(pg_catalog.=) pg_catalog.format('%s%s', r.t, ri.suffix)::name
    UNION ALL SELECT 'row-level security', x.t, x.t, NULL, 'enable_territory_security', false FROM tbl x WHERE x.secured
    UNION ALL SELECT 'policy', e.t, e.o, pg_catalog.format(p.ddl, hub, e.t, m.mine, m.own), 'enable_territory_security', false
                FROM sec e JOIN @extschema@._hub_security_policy_templates() p ON p.policy OPERATOR(pg_catalog.=) e.o, terr m
    UNION ALL SELECT 'policy', w.t, 'sr_territory_write', w.d, 'enable_territory_security', true FROM old_write w),
  found AS (
    SELECT DISTINCT e.k, e.t, e.o, e.via, pg_catalog.strpos(e.d, ' AS RESTRICTIVE ') OPERATOR(pg_catalog.>) 0 AS restrictive,
           CASE WHEN e.obsolete THEN 'obsolete' ELSE CASE e.k
             WHEN 'column' THEN CASE WHEN EXISTS (SELECT FROM pg_catalog.pg_attribute a WHERE a.attrelid OPERATOR(pg_catalog.=) x.rel
                                                   AND a.attname OPERATOR(pg_catalog.=) e.o AND NOT a.attisdropped) THEN NULL ELSE 'missing' END
             -- (a template's index compared with its statement, _hub_index_stale: before h8 its
             -- presence only, then its shape (unique, partial, access method, number of keys),
             -- since h4 whole; an index create_hub writes by its rule, for presence and
             -- validity until 2026-12-08, h3, whole since; the last two branches for an index
             -- without a statement, which none is now)
             WHEN 'index' THEN CASE WHEN e.d IS NOT NULL THEN @extschema@._hub_index_stale(hub, e.d)
                                    WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.indexrelid
                                                      WHERE i.indrelid OPERATOR(pg_catalog.=) x.rel AND c.relname OPERATOR(pg_catalog.=) e.o) THEN 'missing'
                                    WHEN EXISTS (SELECT FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) i.indexrelid
                                                  WHERE i.indrelid OPERATOR(pg_catalog.=) x.rel AND c.relname OPERATOR(pg_catalog.=) e.o
                                                    AND NOT i.indisvalid) THEN 'differs' END
             -- (a trigger disabled, or firing in replica sessions only, applies its rule to no
             -- write of the hub's roles: listed as disabled since h8; one enabled ALWAYS fires in
             -- replica sessions too, where this build's does not: listed since h4)
             WHEN 'trigger' THEN CASE WHEN NOT EXISTS (SELECT FROM pg_catalog.pg_trigger g WHERE g.tgrelid OPERATOR(pg_catalog.=) x.rel
                                                        AND g.tgname OPERATOR(pg_catalog.=) e.o) THEN 'missing'
                                      WHEN EXISTS (SELECT FROM pg_catalog.pg_trigger g WHERE g.tgrelid OPERATOR(pg_catalog.=) x.rel
                                                     AND g.tgname OPERATOR(pg_catalog.=) e.o
                                                     AND g.tgenabled OPERATOR(pg_catalog.=) ANY ('{D,R}'::"char"[])) THEN 'disabled'
                                      WHEN EXISTS (SELECT FROM pg_catalog.pg_trigger g WHERE g.tgrelid OPERATOR(pg_catalog.=) x.rel
                                                     AND g.tgname OPERATOR(pg_catalog.=) e.o
                                                     AND g.tgenabled OPERATOR(pg_catalog.=) 'A') THEN 'always'
                                      -- (a template's trigger compared with its statement,
                                      -- _hub_trigger_stale: its events and function since h8,
                                      -- its UPDATE OF, WHEN, transition tables and arguments
                                      -- since h4)
                                      WHEN e.d IS NOT NULL THEN @extschema@._hub_trigger_stale(hub, e.d) END
             WHEN 'row-level security' THEN CASE WHEN x.rls THEN NULL ELSE 'disabled' END
             ELSE @extschema@._hub_policy_stale(hub, e.d) END END AS problem
      FROM expected e JOIN tbl x ON x.t OPERATOR(pg_catalog.=) e.t
    -- a permissive policy on a table of the hub that this build does not know (any name: a
    -- policy renamed, or added by the table's owner) widens what the roles it names read or
    -- write: PostgreSQL ORs the permissive policies (h8); a restrictive one only narrows
    UNION ALL
    SELECT 'policy', x.t, p.polname, 'enable_territory_security', false, 'unexpected'
      FROM tbl x JOIN pg_catalog.pg_policy p ON p.polrelid OPERATOR(pg_catalog.=) x.rel
     WHERE p.polpermissive AND pg_catalog.has_schema_privilege(hub, 'USAGE')
       AND NOT EXISTS (SELECT FROM expected e WHERE e.k OPERATOR(pg_catalog.=) 'policy' AND e.t OPERATOR(pg_catalog.=) x.t
                          AND e.o OPERATOR(pg_catalog.=) p.polname))
  SELECT f.k, f.t, f.o, f.problem,
         CASE
           -- the write policies split on 2026-12-07, on a hub holding the older build's FOR ALL
           -- one: it lets through the same writes as the three (the same territory test), and
           -- reads through sr_territory_read, which it implies, the same rows; but every row an
           -- agent reads evaluates it (docs/security.md, the review of the split)
           WHEN f.k OPERATOR(pg_catalog.=) 'policy' AND f.problem OPERATOR(pg_catalog.=) ANY ('{missing,obsolete}'::text[])
                AND f.o OPERATOR(pg_catalog.=) ANY ('{sr_territory_insert,sr_territory_update,sr_territory_delete,sr_territory_write}'::name[])
                AND EXISTS (SELECT FROM old_write w WHERE w.t OPERATOR(pg_catalog.=) f.t AND w.st IS NULL)
             THEN CASE WHEN f.problem OPERATOR(pg_catalog.=) 'obsolete'
                       THEN 'not a leak: the same rows are read and written without it, slower: every row an agent reads evaluates this FOR ALL policy too'
                       ELSE 'not a leak: the older build''s sr_territory_write (FOR ALL) lets the same rows through, as strictly; slower: every row an agent reads evaluates it too' END
           -- (that policy in another text, such as a hub's secured before the territory types:
           -- what it lets through is not the three's)
           WHEN f.k OPERATOR(pg_catalog.=) 'policy'
                AND (f.problem OPERATOR(pg_catalog.=) 'obsolete'
                     OR (f.problem OPERATOR(pg_catalog.=) 'missing'
                         AND f.o OPERATOR(pg_catalog.=) ANY ('{sr_territory_insert,sr_territory_update,sr_territory_delete}'::name[])
                         AND EXISTS (SELECT FROM old_write w WHERE w.t OPERATOR(pg_catalog.=) f.t)))
             THEN 'its rows are filtered by another rule than this build''s: it may show rows this build withholds, or let through writes it refuses'
           -- (what a missing or older object changes, said per kind, and for those whose
           -- effect differs from their kind's)
           WHEN f.problem OPERATOR(pg_catalog.=) 'always'
             THEN 'not a leak: it fires in replica sessions too (a logical replication subscriber applying a publisher''s writes, a session with session_replication_role = replica), where this build''s does not: a write replicated here is checked, cascaded or recorded again'
           WHEN f.k OPERATOR(pg_catalog.=) 'column' AND f.o OPERATOR(pg_catalog.=) 'restricted_with_parent'
             THEN 'not a leak: a row restricted with its parent (sr_restrict_derived) is not marked, so it is never made public again with its parent (fail closed)'
           WHEN f.k OPERATOR(pg_catalog.=) 'trigger' AND f.o OPERATOR(pg_catalog.=) 'sr_restricted_by_hand'
             THEN 'may be a leak: a row whose visibility is written by hand after its parent restricted it keeps its mark, and is made public again with its parent'
           -- (the roof cells' tile keys, written by these two triggers only: 33-roofarea.sql)
           WHEN f.k OPERATOR(pg_catalog.=) 'trigger' AND f.o OPERATOR(pg_catalog.=) ANY (ARRAY['sr_cells_tile_key_insert', 'sr_cells_tile_key_update']::name[])
             THEN 'not a leak: a cell written meanwhile keeps no tile key, or one that is not its place''s (the key its writer gave, or its place''s before a move): solar_tile reads a cell without a key in every tile (slower), and misses one with a wrong key in the tiles it overlaps'
           WHEN f.k OPERATOR(pg_catalog.=) 'column' AND f.o OPERATOR(pg_catalog.=) 'recorded_at'
             THEN 'retention cannot count from the time a row was recorded: purge_expired cannot erase its rows'
           -- (an index of a rule, never unique: what it answers is a plan, never a rule; a
           -- partial one (WHERE false), on an expression, another column or another operator
           -- class answers none of the conditions it is there for)
           WHEN f.k OPERATOR(pg_catalog.=) 'index' AND f.problem OPERATOR(pg_catalog.=) 'differs'
                AND EXISTS (SELECT FROM rule r WHERE r.k OPERATOR(pg_catalog.=) 'index' AND r.t OPERATOR(pg_catalog.=) f.t
                               AND r.o OPERATOR(pg_catalog.=) f.o)
             THEN 'not a leak: the same answers, slower: the territory filters of row-level security, a data subject''s request or purge_expired read the whole table'
           WHEN f.k OPERATOR(pg_catalog.=) 'index' AND f.problem OPERATOR(pg_catalog.=) 'differs'
             THEN 'may let through what this build refuses (an index not unique, partial, or on other columns or rows than this build''s: a rule of one row per key no longer holds), or be slower'
           WHEN f.k OPERATOR(pg_catalog.=) 'index'
             THEN 'not a leak: the same answers, slower (a data subject''s request, purge_expired or a join reads the whole table)'
           WHEN f.k OPERATOR(pg_catalog.=) 'column'
             THEN 'what this build does with the column is not done: a function or trigger reading it fails, or skips the table'
           WHEN f.k OPERATOR(pg_catalog.=) 'trigger'
             THEN 'a rule this build applies to the table''s writes (a check, a cascade, a record) is not applied: may let through what this build refuses'
           WHEN f.k OPERATOR(pg_catalog.=) 'row-level security'
             THEN 'a leak: the table''s policies are kept but applied to nobody, so every role granted the table reads and writes every territory''s rows'
           WHEN f.problem OPERATOR(pg_catalog.=) 'unexpected'
             THEN 'may be a leak: permissive policies are ORed, so this one lets the roles it names read or write, whatever their territory, the rows its expressions accept'
           WHEN f.problem OPERATOR(pg_catalog.=) 'missing' AND f.restrictive
             THEN 'a leak: the rows this restrictive policy withholds are shown'
           WHEN f.problem OPERATOR(pg_catalog.=) 'missing'
             THEN 'not a leak: the rows this policy lets through are refused (fail closed)'
           ELSE 'its rows are filtered by another rule than this build''s: it may show rows this build withholds, or refuse rows it lets through' END,
         CASE WHEN f.problem OPERATOR(pg_catalog.=) 'unexpected'
              THEN pg_catalog.format('DROP POLICY %I ON %I.%I, as the table''s owner, after checking what it lets through.', f.o, hub, f.t)
              -- (create_hub's CREATE INDEX IF NOT EXISTS keeps an index of that name: dropped
              -- first; its CREATE OR REPLACE TRIGGER replaces a trigger, enabled)
              WHEN f.k OPERATOR(pg_catalog.=) 'index' AND f.problem OPERATOR(pg_catalog.=) 'differs'
              THEN pg_catalog.format('DROP INDEX %I.%I, then SELECT smartregion.create_hub(%L) again, as the hub''s owner.', hub, f.o, hub)
              WHEN f.via OPERATOR(pg_catalog.=) 'enable_territory_security'
              THEN pg_catalog.format('SELECT smartregion.enable_territory_security(%L), as the hub''s owner (grant_roles runs it too).', hub)
              WHEN f.k OPERATOR(pg_catalog.=) 'column'
              THEN pg_catalog.format('SELECT smartregion.create_hub(%L) again, as the hub''s owner, then SELECT smartregion.grant_roles(%L).', hub, hub)
              -- (the trigger back, then every cell keyed again by it, as create_hub keys the
              -- cells of a hub made before the column)
              WHEN f.k OPERATOR(pg_catalog.=) 'trigger' AND f.o OPERATOR(pg_catalog.=) ANY (ARRAY['sr_cells_tile_key_insert', 'sr_cells_tile_key_update']::name[])
              THEN pg_catalog.format('SELECT smartregion.create_hub(%L) again, as the hub''s owner, then UPDATE %I.solar_roof_cells SET tile_key = NULL, which keys every cell again by its place (the trigger replaces the NULL).', hub, hub)
              ELSE pg_catalog.format('SELECT smartregion.create_hub(%L) again, as the hub''s owner.', hub) END
    FROM found f
   WHERE f.problem IS NOT NULL
   ORDER BY 1, 2, 3;
END
$$;
COMMENT ON FUNCTION @extschema@._hub_objects_stale(name) IS
  'internal: the columns, indexes, triggers and row-level security policies this build writes in hub that the hub lacks (missing), its policies whose command, kind, roles or expressions are not this build''s, its templates'' and its rules'' indexes and triggers not as their statements write them (_hub_index_stale, _hub_trigger_stale; _hub_rule_index_templates, _hub_rule_trigger_templates) (differs), its triggers enabled ALWAYS (always), its triggers disabled or firing in replica sessions only and, in a hub under territory security, its tables whose row-level security is disabled (disabled), the permissive policies of its tables that this build does not write (unexpected), and the older build''s FOR ALL write policy sr_territory_write, which this build no longer writes (obsolete; the same rows as the policies that replaced it, slower, when in that build''s text): those of smartregion''s own hub_table templates (_hub_template_objects), the security policies (_hub_security_policy_templates), and what create_hub writes by its rules on every table; each with what it changes and the fix (create_hub, or enable_territory_security for a security policy); of the tables the hub has; policies only for a caller with USAGE on the hub''s schema; no row for a caller that may not read smartregion.hub_table; 42501 naming the table and the grant for one that reads it but not smartregion.personal_data or smartregion.confidential_data; for trust_problems';

-- (the query of trust_problems, each row with the hub it finds out of date with this build:
-- NULL for a schema or object that another role controls, the hub for what this build writes
-- in a hub that the hub lacks or holds in another version, which no other role controls;
-- _trust_warning warns of the two apart)
CREATE FUNCTION @extschema@._trust_problems()
RETURNS TABLE (object text, owner name, problem text, fix text, stale_hub name)
LANGUAGE sql STABLE PARALLEL SAFE COST 1000 ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
  WITH
  -- the schemas checked, why each is, and the roles trusted to own objects there
  -- (a schema owned by pg_database_owner, PostgreSQL 15's public, is its database owner's)
  dbowner AS (SELECT d.datdba FROM pg_catalog.pg_database d
               WHERE d.datname OPERATOR(pg_catalog.=) pg_catalog.current_database()),
  checked AS (
    SELECT n.oid, n.nspname, n.nspowner, 'the schema of smartregion'::text AS why,
           ARRAY[x.extowner]::pg_catalog.oid[] AS trusted
      FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) x.extnamespace
     WHERE x.extname OPERATOR(pg_catalog.=) 'smartregion'
    UNION ALL
    SELECT n.oid, n.nspname, n.nspowner,
           pg_catalog.format('the schema of %s', pg_catalog.string_agg(x.extname::pg_catalog.text, ' and ' ORDER BY x.extname)),
           pg_catalog.array_agg(x.extowner)
      FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) x.extnamespace
     WHERE x.extname OPERATOR(pg_catalog.=) ANY (ARRAY['postgis', 'pgcrypto']::pg_catalog.name[])
       AND n.nspname OPERATOR(pg_catalog.<>) '@extschema@'
     GROUP BY n.oid, n.nspname, n.nspowner
    UNION ALL
    SELECT n.oid, n.nspname, n.nspowner, 'the schema of a hub', ARRAY[n.nspowner]::pg_catalog.oid[]
      FROM pg_catalog.pg_namespace n
     WHERE (SELECT pg_catalog.count(*) FROM pg_catalog.pg_class c
             WHERE c.relnamespace OPERATOR(pg_catalog.=) n.oid AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::"char"[])
               AND c.relname OPERATOR(pg_catalog.=) ANY (ARRAY['agents', 'territory_admins', 'tl_history']::pg_catalog.name[]))
           OPERATOR(pg_catalog.=) 3
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension x WHERE x.extnamespace OPERATOR(pg_catalog.=) n.oid)),
  -- the owner as a role: pg_database_owner stands for the database's owner
  schemas AS (
    SELECT c.*, CASE WHEN c.nspowner OPERATOR(pg_catalog.=) 'pg_database_owner'::pg_catalog.regrole
                     THEN (SELECT d.datdba FROM dbowner d) ELSE c.nspowner END AS real_owner
      FROM checked c),
  -- the objects a name in a call, a type or an operator resolves to
  objects AS (
    SELECT p.pronamespace AS nsp, 'function'::pg_catalog.text AS kind, p.proname AS name,
           pg_catalog.format('function %I.%I(%s)', n.nspname, p.proname,
             pg_catalog.oidvectortypes(p.proargtypes)) AS what, p.proowner AS owner
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
    UNION ALL
    SELECT o.oprnamespace, 'operator', o.oprname, pg_catalog.format('operator %I.%s(%s, %s)', n.nspname, o.oprname,
             CASE WHEN o.oprleft OPERATOR(pg_catalog.=) 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprleft, NULL) END, pg_catalog.format_type(o.oprright, NULL)), o.oprowner
      FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace
    UNION ALL
    -- (a relation's row type and an array type are their relation's, their element's)
    SELECT t.typnamespace, 'type', t.typname, pg_catalog.format('type %I.%I', n.nspname, t.typname), t.typowner
      FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.typnamespace
     WHERE t.typrelid OPERATOR(pg_catalog.=) 0
       AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray OPERATOR(pg_catalog.=) t.oid)
    UNION ALL
    SELECT c.relnamespace, 'relation', c.relname, pg_catalog.format('relation %I.%I', n.nspname, c.relname), c.relowner
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
     WHERE c.relkind OPERATOR(pg_catalog.<>) ALL ('{i,I,t,c}'::"char"[])
    UNION ALL
    SELECT c.collnamespace, 'collation', c.collname, pg_catalog.format('collation %I.%I', n.nspname, c.collname), c.collowner
      FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.collnamespace
    UNION ALL
    SELECT c.connamespace, 'conversion', c.conname, pg_catalog.format('conversion %I.%I', n.nspname, c.conname), c.conowner
      FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.connamespace)
  SELECT pg_catalog.format('schema %I', s.nspname), pg_catalog.pg_get_userbyid(s.nspowner)::pg_catalog.name,
         pg_catalog.format('%s is owned by role %s, who may create and replace objects in it', s.why,
                           pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(s.real_owner))),
         pg_catalog.format('ALTER SCHEMA %I OWNER TO the role that owns %s, after checking what the schema contains.', s.nspname,
                           CASE WHEN s.why OPERATOR(pg_catalog.=) 'the schema of a hub' THEN 'its tables' ELSE 'the extension' END),
         NULL::pg_catalog.name AS stale_hub
    FROM schemas s JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) s.real_owner
   WHERE NOT r.rolsuper AND NOT s.real_owner OPERATOR(pg_catalog.=) ANY (s.trusted)
     AND NOT (s.why OPERATOR(pg_catalog.=) 'the schema of a hub')
  UNION ALL
  SELECT pg_catalog.format('schema %I', s.nspname), pg_catalog.pg_get_userbyid(s.nspowner)::pg_catalog.name,
         pg_catalog.format('%s lets %s create objects in it', s.why,
                           CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                ELSE 'role ' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END),
         pg_catalog.format('REVOKE CREATE ON SCHEMA %I FROM %s; then look for objects it created there (this function lists them).',
                           s.nspname, CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                           ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END),
         NULL::pg_catalog.name
    FROM schemas s, pg_catalog.aclexplode((SELECT n.nspacl FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) s.oid)) a
   WHERE a.privilege_type OPERATOR(pg_catalog.=) 'CREATE' AND a.grantee OPERATOR(pg_catalog.<>) s.nspowner
     AND NOT (a.grantee OPERATOR(pg_catalog.=) ANY (s.trusted))
     AND NOT coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.oid OPERATOR(pg_catalog.=) a.grantee), false)
  UNION ALL
  SELECT o.what, pg_catalog.pg_get_userbyid(o.owner)::pg_catalog.name,
         pg_catalog.format('%s holds an object of role %s, which may capture the calls and run as whoever calls smartregion', s.why,
                           pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(o.owner))),
         'Drop it, or make its schema''s owner own it, after checking what it does.',
         NULL::pg_catalog.name
    FROM schemas s JOIN objects o ON o.nsp OPERATOR(pg_catalog.=) s.oid
    JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) o.owner
   WHERE NOT r.rolsuper AND NOT o.owner OPERATOR(pg_catalog.=) ANY (s.trusted OPERATOR(pg_catalog.||) s.real_owner)
     -- what can capture a call: in smartregion's schema anything; in a hub's, not its
     -- relations (the hub's tables are its owner's, create_hub checks); in PostGIS's and
     -- pgcrypto's (often public, beside the applications' own objects), a function or an
     -- operator of the name of one of theirs or of PostgreSQL's (an overload, which PostGIS's
     -- own unqualified SQL may call: security.md, residual risks), a collation, a conversion
     AND (s.why OPERATOR(pg_catalog.=) 'the schema of smartregion'
          OR (s.why OPERATOR(pg_catalog.=) 'the schema of a hub' AND o.kind OPERATOR(pg_catalog.<>) 'relation')
          OR o.kind OPERATOR(pg_catalog.=) ANY (ARRAY['collation', 'conversion'])
          OR (o.kind OPERATOR(pg_catalog.=) ANY (ARRAY['function', 'operator'])
              AND EXISTS (SELECT 1 FROM objects t JOIN pg_catalog.pg_roles tr ON tr.oid OPERATOR(pg_catalog.=) t.owner
                           WHERE t.nsp OPERATOR(pg_catalog.=) ANY (ARRAY[o.nsp, 'pg_catalog'::pg_catalog.regnamespace])
                             AND t.kind OPERATOR(pg_catalog.=) o.kind
                             AND t.name OPERATOR(pg_catalog.=) o.name
                             AND (tr.rolsuper OR t.owner OPERATOR(pg_catalog.=) ANY (s.trusted)))))
  UNION ALL
  -- a SECURITY DEFINER function in SQL or PL/pgSQL that does not pin its search path runs
  -- its owner's rights under its caller's path: an operator or function planted in a schema
  -- the caller puts first is called with them
  SELECT pg_catalog.format('function %I.%I(%s)', s.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)),
         pg_catalog.pg_get_userbyid(p.proowner)::pg_catalog.name,
         pg_catalog.format('%s holds a SECURITY DEFINER function that does not set its search_path: it runs with the rights of role %s under its caller''s search path', s.why,
                           pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(p.proowner))),
         pg_catalog.format('ALTER FUNCTION %I.%I(%s) SET search_path = pg_catalog, pg_temp (and qualify what it names), or make it SECURITY INVOKER.',
                           s.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)),
         NULL::pg_catalog.name
    FROM schemas s JOIN pg_catalog.pg_proc p ON p.pronamespace OPERATOR(pg_catalog.=) s.oid
    JOIN pg_catalog.pg_language l ON l.oid OPERATOR(pg_catalog.=) p.prolang
   WHERE p.prosecdef AND l.lanname OPERATOR(pg_catalog.=) ANY (ARRAY['sql', 'plpgsql']::pg_catalog.name[])
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c(setting)
                      WHERE c.setting LIKE 'search\_path=%')
  UNION ALL
  -- a hub made by an older build (or whose functions were dropped or replaced since) lacks
  -- the per-hub functions this build's create_hub writes, or runs older bodies of them: the
  -- SECURITY DEFINER _zae_zone_history_hidden of an older build did not ask about the
  -- zones as they stand (_hub_functions_stale; docs/platform.md, hubs made by an older build)
  SELECT pg_catalog.format('function %I.%I', s.nspname, f.function_name), pg_catalog.pg_get_userbyid(s.nspowner)::pg_catalog.name,
         CASE f.problem
           WHEN 'missing' THEN pg_catalog.format('%s lacks function %s, which this build''s create_hub writes', s.why, f.function_name)
           ELSE pg_catalog.format('%s holds function %s in a version this build''s create_hub does not write (an older build''s, or replaced since)', s.why, f.function_name) END,
         pg_catalog.format('SELECT smartregion.create_hub(%L) again, as the hub''s owner, then SELECT smartregion.grant_roles(%L).', s.nspname, s.nspname),
         s.nspname
    FROM schemas s, @extschema@._hub_functions_stale(s.nspname) f
   WHERE s.why OPERATOR(pg_catalog.=) 'the schema of a hub'
  UNION ALL
  -- a hub made by an older build lacks the tables added since (zae_zone_history: a published
  -- zone_indicators call over such a hub is refused, 55000), as one whose table was dropped
  -- (_hub_tables_missing; docs/platform.md, hubs made by an older build)
  SELECT pg_catalog.format('table %I.%I', s.nspname, t.table_name), pg_catalog.pg_get_userbyid(s.nspowner)::pg_catalog.name,
         pg_catalog.format('%s lacks table %s, which this build''s create_hub makes', s.why, t.table_name),
         pg_catalog.format('SELECT smartregion.create_hub(%L) again, as the hub''s owner, then SELECT smartregion.grant_roles(%L).', s.nspname, s.nspname),
         s.nspname
    FROM schemas s, @extschema@._hub_tables_missing(s.nspname) t
   WHERE s.why OPERATOR(pg_catalog.=) 'the schema of a hub'
  UNION ALL
  -- ... and lacks the columns, indexes, triggers and policies added since, or holds older
  -- policies (sr_agents_territory_admin before PostgreSQL 16's SET), until create_hub or
  -- enable_territory_security runs again; the row says what that changes: a leak, a
  -- fail-closed cascade, a slower erase (_hub_objects_stale; docs/platform.md)
  SELECT CASE o.kind WHEN 'column' THEN pg_catalog.format('column %I.%I.%I', s.nspname, o.table_name, o.object_name)
                     WHEN 'index' THEN pg_catalog.format('index %I.%I', s.nspname, o.object_name)
                     WHEN 'row-level security' THEN pg_catalog.format('row-level security of table %I.%I', s.nspname, o.table_name)
                     ELSE pg_catalog.format('%s %I on %I.%I', o.kind, o.object_name, s.nspname, o.table_name) END,
         pg_catalog.pg_get_userbyid(s.nspowner)::pg_catalog.name,
         CASE WHEN o.kind OPERATOR(pg_catalog.=) 'row-level security'
                THEN pg_catalog.format('%s holds table %s with its row-level security disabled: %s', s.why, o.table_name, o.effect)
              WHEN o.problem OPERATOR(pg_catalog.=) 'missing'
                THEN pg_catalog.format('%s lacks %s %s of table %s, which this build writes: %s', s.why, o.kind, o.object_name, o.table_name, o.effect)
              WHEN o.problem OPERATOR(pg_catalog.=) 'obsolete'
                THEN pg_catalog.format('%s holds %s %s of table %s, an older build''s, which this build no longer writes: %s',
                                       s.why, o.kind, o.object_name, o.table_name, o.effect)
              WHEN o.problem OPERATOR(pg_catalog.=) 'always'
                THEN pg_catalog.format('%s holds %s %s of table %s enabled ALWAYS: %s', s.why, o.kind, o.object_name, o.table_name, o.effect)
              WHEN o.problem OPERATOR(pg_catalog.=) 'disabled'
                THEN pg_catalog.format('%s holds %s %s of table %s disabled: %s', s.why, o.kind, o.object_name, o.table_name, o.effect)
              WHEN o.problem OPERATOR(pg_catalog.=) 'unexpected'
                THEN pg_catalog.format('%s holds permissive %s %s of table %s, which this build does not write: %s', s.why, o.kind, o.object_name, o.table_name, o.effect)
              ELSE pg_catalog.format('%s holds %s %s of table %s in a version this build does not write (an older build''s, or changed since): %s',
                                     s.why, o.kind, o.object_name, o.table_name, o.effect) END,
         o.fix,
         s.nspname
    FROM schemas s, @extschema@._hub_objects_stale(s.nspname) o
   WHERE s.why OPERATOR(pg_catalog.=) 'the schema of a hub'
  ORDER BY 1, 3
$$;
COMMENT ON FUNCTION @extschema@._trust_problems() IS
  'internal: the rows of trust_problems (object, owner, problem, fix, ordered by object and problem), each with stale_hub: the hub whose per-hub function, table, column, index, trigger or policy this build writes is missing or in another version (_hub_functions_stale, _hub_tables_missing, _hub_objects_stale), NULL for a schema or object that another role controls; for trust_problems and _trust_warning';

CREATE FUNCTION @extschema@.trust_problems()
RETURNS TABLE (object text, owner name, problem text, fix text)
LANGUAGE sql STABLE PARALLEL SAFE COST 1000 ROWS 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT p.object, p.owner, p.problem, p.fix FROM @extschema@._trust_problems() p ORDER BY 1, 3
$$;
COMMENT ON FUNCTION @extschema@.trust_problems() IS
  'what lets another role capture smartregion''s calls, checked now (the install guard checks once): the schemas of smartregion, PostGIS, pgcrypto and every hub that other roles may create objects in or that an untrusted role owns, the objects there owned by a role neither trusted there nor a superuser, and the SECURITY DEFINER SQL or PL/pgSQL functions there that do not set their search_path, and the per-hub functions this build''s create_hub writes that a hub lacks or holds in another version (an older build''s), the hub tables it makes that a hub lacks, and the columns, indexes, triggers and row-level security policies create_hub or enable_territory_security writes that a hub lacks, or policies it holds in another version, each saying whether it is a leak, fails closed or is slower (_hub_objects_stale); each with its fix (docs/security.md); empty when none';

-- The WARNING of create_hub and grant_roles when trust_problems lists anything: one for the
-- schemas and objects another role controls (what may capture the calls), one for what this
-- build writes in a hub that the hub lacks or holds in another version (a hub made by an
-- older build, or secured before create_roles made the group roles: no platform
-- administrator's policies), which no other role controls: until 2026-12-07 (h1) both were
-- said "problems of trust: schemas or objects that other roles control".  Each names its
-- first five objects; both when both
CREATE FUNCTION @extschema@._trust_warning(fn text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  n bigint;          -- controlled by another role
  first text;
  n_stale bigint;    -- out of date with this build
  first_stale text;
  hubs name[];
BEGIN
  SELECT pg_catalog.count(*) FILTER (WHERE t.stale_hub IS NULL),
         pg_catalog.string_agg(t.object, ', ' ORDER BY t.object) FILTER (WHERE t.stale_hub IS NULL AND t.k OPERATOR(pg_catalog.<=) 5),
         pg_catalog.count(*) FILTER (WHERE t.stale_hub IS NOT NULL),
         pg_catalog.string_agg(t.object, ', ' ORDER BY t.object) FILTER (WHERE t.stale_hub IS NOT NULL AND t.k OPERATOR(pg_catalog.<=) 5),
         pg_catalog.array_agg(DISTINCT t.stale_hub) FILTER (WHERE t.stale_hub IS NOT NULL)
    INTO n, first, n_stale, first_stale, hubs
    FROM (SELECT p.object, p.stale_hub,
                 pg_catalog.row_number() OVER (PARTITION BY p.stale_hub IS NULL ORDER BY p.object, p.problem) AS k
            FROM @extschema@._trust_problems() p) t;
  IF n OPERATOR(pg_catalog.>) 0 THEN
    RAISE WARNING '% found % % of trust: schemas or objects that other roles control', fn, n,
                  CASE WHEN n OPERATOR(pg_catalog.=) 1 THEN 'problem' ELSE 'problems' END
      USING DETAIL = pg_catalog.format('%s: %s.', CASE WHEN n OPERATOR(pg_catalog.>) 5 THEN 'The first five' WHEN n OPERATOR(pg_catalog.=) 1 THEN 'It is' ELSE 'They are' END, first),
            HINT = 'SELECT * FROM smartregion.trust_problems() lists each with its fix.';
  END IF;
  IF n_stale OPERATOR(pg_catalog.>) 0 THEN
    RAISE WARNING '% found % % out of date with this build in %', fn, n_stale,
                  CASE WHEN n_stale OPERATOR(pg_catalog.=) 1 THEN 'object' ELSE 'objects' END,
                  CASE WHEN pg_catalog.cardinality(hubs) OPERATOR(pg_catalog.=) 1 THEN pg_catalog.format('hub "%s"', hubs[1])
                       ELSE pg_catalog.format('%s hubs', pg_catalog.cardinality(hubs)) END
      USING DETAIL = pg_catalog.format('%s: %s. This build writes them in a hub, which lacks them, holds them in another version or disabled, or holds beside them a permissive policy this build does not write (a hub made by an older build, secured before create_roles made the group roles, or changed since by its tables'' owner); no role but the hub''s owners controls them, and trust_problems says which are leaks.',
                                       CASE WHEN n_stale OPERATOR(pg_catalog.>) 5 THEN 'The first five' WHEN n_stale OPERATOR(pg_catalog.=) 1 THEN 'It is' ELSE 'They are' END, first_stale),
            HINT = 'SELECT * FROM smartregion.trust_problems() lists each with what it changes and its fix (create_hub or enable_territory_security again, as the hub''s owner).';
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._trust_warning(text) IS
  'internal: the WARNINGs of create_hub and grant_roles (fn) when trust_problems() lists anything: one for the schemas and objects other roles control, one for the objects this build writes in a hub that it lacks or holds in another version (its own text, naming the hub or the number of hubs), each naming its first five objects';

SELECT @extschema@.register_service('security', '0.1.0',
  'roles and least-privilege grants of the platform: reader, agent, territory administrator, platform administrator, analyst',
  ARRAY['create_roles', 'grant_roles', 'trust_problems']);
