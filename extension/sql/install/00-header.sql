-- smartregion install script, joined at build time from extension/sql/install/NN-*.sql.
-- Complain if the script is sourced in psql rather than run by CREATE EXTENSION.
\echo Use "CREATE EXTENSION smartregion CASCADE" to load this file. \quit

-- COST tiers used throughout (see docs/architecture.md):
--   1     cheap arithmetic on a few floats
--   10    small C computation (a sun position, a score)
--   100   heavier per-row C work or small SQL helpers
--   1000  set-returning / bulk functions over a query
--   10000 whole-table processing (cadastre, indicators, assignment)

-- CREATE EXTENSION uses the schema named in the control file even when it
-- already exists.  Whoever owns it, or may create objects in it, could have
-- planted types, functions or operators there that this script would pick
-- up (a domain "geometry", an operator "="): refuse such a schema.  Every
-- operator below is qualified: this check runs before anything is trusted.
DO $guard$
DECLARE
  v_owner oid;
  v_others text;
BEGIN
  SELECT n.nspowner INTO v_owner FROM pg_catalog.pg_namespace n WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@';
  IF v_owner OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
    RAISE EXCEPTION 'schema "@extschema@" is owned by role "%", not by the role installing smartregion', pg_catalog.pg_get_userbyid(v_owner)
      USING ERRCODE = '42501',
            DETAIL = 'Another role that owns the schema keeps control of every object created in it.',
            HINT = 'Drop the schema, or make the installing role its owner (ALTER SCHEMA @extschema@ OWNER TO ...), after checking what it contains.';
  END IF;
  SELECT pg_catalog.string_agg(CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC' ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END, ', ')
    INTO v_others
    FROM pg_catalog.pg_namespace n, pg_catalog.aclexplode(n.nspacl) a
   WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@' AND a.privilege_type OPERATOR(pg_catalog.=) 'CREATE'
     AND a.grantee OPERATOR(pg_catalog.<>) n.nspowner;
  IF v_others IS NOT NULL THEN
    RAISE EXCEPTION 'other roles may create objects in schema "@extschema@": %', v_others
      USING ERRCODE = '42501',
            DETAIL = 'A role with CREATE on the schema could have planted objects that the install script would use.',
            HINT = 'REVOKE CREATE ON SCHEMA @extschema@ FROM those roles, after checking what the schema contains.';
  END IF;
  -- what another role created there while it could (CREATE revoked since, or granted and
  -- revoked before) stays its own: a function of the extension's name with other argument
  -- types, say smartregion.sun_position(text, integer, integer), is a better match than the
  -- extension's for a call written with literals, and runs as whoever calls it.  A superuser's
  -- objects are trusted as the installer's are.  Each object is named with its schema (the
  -- reg* types' output leaves out a schema of the search path, which this script's is).
  SELECT pg_catalog.string_agg(pg_catalog.format('%s (owner %s)', o.what, pg_catalog.pg_get_userbyid(o.owner)), ', ' ORDER BY o.what)
    INTO v_others
    FROM (SELECT pg_catalog.format('function %I.%I(%s)', n.nspname, p.proname, pg_catalog.oidvectortypes(p.proargtypes)) AS what, p.proowner AS owner
            FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) p.pronamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('type %I.%I', n.nspname, t.typname), t.typowner
            FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) t.typnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('operator %I.%s(%s, %s)', n.nspname, o.oprname, CASE WHEN o.oprleft OPERATOR(pg_catalog.=) 0 THEN 'NONE' ELSE pg_catalog.format_type(o.oprleft, NULL) END, pg_catalog.format_type(o.oprright, NULL)), o.oprowner
            FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) o.oprnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('relation %I.%I', n.nspname, c.relname), c.relowner
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('collation %I.%I', n.nspname, c.collname), c.collowner
            FROM pg_catalog.pg_collation c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.collnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('conversion %I.%I', n.nspname, c.conname), c.conowner
            FROM pg_catalog.pg_conversion c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.connamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('operator family %I.%I', n.nspname, f.opfname), f.opfowner
            FROM pg_catalog.pg_opfamily f JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) f.opfnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('operator class %I.%I', n.nspname, c.opcname), c.opcowner
            FROM pg_catalog.pg_opclass c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.opcnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('text search configuration %I.%I', n.nspname, c.cfgname), c.cfgowner
            FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.cfgnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@'
          UNION ALL
          SELECT pg_catalog.format('text search dictionary %I.%I', n.nspname, d.dictname), d.dictowner
            FROM pg_catalog.pg_ts_dict d JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) d.dictnamespace
           WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@') o
    JOIN pg_catalog.pg_roles r ON r.oid OPERATOR(pg_catalog.=) o.owner
   WHERE r.rolname OPERATOR(pg_catalog.<>) CURRENT_USER AND NOT r.rolsuper;
  IF v_others IS NOT NULL THEN
    RAISE EXCEPTION 'schema "@extschema@" holds objects of other roles: %', v_others
      USING ERRCODE = '42501',
            DETAIL = 'An object in the schema stays its owner''s: a function or an operator there may capture the calls of the extension''s users and run as them.',
            HINT = 'Drop those objects (or the schema), after checking what they do.';
  END IF;
  -- The schemas of PostGIS and pgcrypto, whose functions the extension calls by qualified
  -- names: a role that may create objects there can plant a better-matching overload (a
  -- public.st_asmvt(record, text, integer, text) is an exact match for solar_tile's row, where
  -- PostGIS's takes anyelement), called instead, as the caller.  PostgreSQL 15 no longer
  -- grants CREATE on public to PUBLIC; an older database may still: warn, not refuse (the
  -- database's administrator decides who writes there; security.md, residual risks).
  FOR v_others IN
    SELECT pg_catalog.format('schema "%s" of %s lets other roles create objects: %s', s.nspname, s.exts,
             pg_catalog.string_agg(CASE WHEN a.grantee OPERATOR(pg_catalog.=) 0 THEN 'PUBLIC'
                                        ELSE pg_catalog.pg_get_userbyid(a.grantee)::text END, ', ' ORDER BY a.grantee))
      FROM (SELECT n.oid, n.nspname, n.nspowner,
                   pg_catalog.string_agg(x.extname::text, ' and ' ORDER BY x.extname) AS exts
              FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) x.extnamespace
             WHERE x.extname OPERATOR(pg_catalog.=) ANY (ARRAY['postgis', 'pgcrypto']::pg_catalog.name[])
             GROUP BY n.oid, n.nspname, n.nspowner) s,
           pg_catalog.aclexplode((SELECT n.nspacl FROM pg_catalog.pg_namespace n WHERE n.oid OPERATOR(pg_catalog.=) s.oid)) a
     WHERE a.privilege_type OPERATOR(pg_catalog.=) 'CREATE' AND a.grantee OPERATOR(pg_catalog.<>) s.nspowner
     GROUP BY s.nspname, s.exts
  LOOP
    RAISE WARNING '%', v_others
      USING DETAIL = 'smartregion calls its functions by their qualified names: a function planted there with a better-matching signature would be called instead, as whoever calls smartregion.',
            HINT = 'REVOKE CREATE ON SCHEMA ... FROM PUBLIC (PostgreSQL 15''s default for public) and from the roles that need not create objects there.';
  END LOOP;
END
$guard$;
