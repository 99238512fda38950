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
END
$guard$;
