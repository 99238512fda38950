-- Withholds the cumulative statistics of tables, indexes and sequences from PUBLIC
-- (docs/security.md, "Cumulative statistics count every row"): a superuser runs it in each
-- database of the platform, once (pg_dump keeps the changed grants).  PostgreSQL's views
-- pg_stat_{all,user,sys}_{tables,indexes} and pg_statio_{all,user,sys}_{tables,indexes,sequences},
-- and the functions pg_stat_get_<counter>(oid) they are made of, which every role may call
-- for any relation, ignore row-level security: an agent reads there how many rows another
-- territory keeps and when it writes them.  The functions are those the views pg_stat_all_*
-- and pg_statio_all_* call, found in their definitions (PostgreSQL 15, 16 and 17 name them
-- alike); the views are revoked too, so that a refused role reads which view it may not use.
-- Monitoring keeps them through pg_read_all_stats (pg_monitor is a member).  The xact views
-- (pg_stat_xact_*) count the caller's own transaction only: left as they are.
-- Where pg_stat_statements is installed, its functions too (run the script again after
-- CREATE EXTENSION pg_stat_statements).  Not covered (docs/security.md): pg_class.reltuples,
-- pg_relation_size and EXPLAIN's estimates.
DO $revoke$
DECLARE
  f regprocedure;
  v regclass;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p
     WHERE p.pronamespace OPERATOR(pg_catalog.=) 'pg_catalog'::regnamespace
       AND p.proname::text LIKE 'pg\_stat\_get\_%' AND p.pronargs OPERATOR(pg_catalog.=) 1
       AND p.proargtypes[0] OPERATOR(pg_catalog.=) 'pg_catalog.oid'::regtype
       AND EXISTS (SELECT FROM pg_catalog.unnest(ARRAY['pg_stat_all_tables', 'pg_statio_all_tables', 'pg_stat_all_indexes',
                                                       'pg_statio_all_indexes', 'pg_statio_all_sequences']) AS w(view_name)
                    WHERE pg_catalog.pg_get_viewdef(('pg_catalog.' OPERATOR(pg_catalog.||) w.view_name)::regclass)
                          OPERATOR(pg_catalog.~) ('\m' OPERATOR(pg_catalog.||) p.proname::text OPERATOR(pg_catalog.||) '\('))
  LOOP
    EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO pg_read_all_stats', f);
  END LOOP;
  FOR v IN
    SELECT c.oid::regclass FROM pg_catalog.pg_class c
     WHERE c.relnamespace OPERATOR(pg_catalog.=) 'pg_catalog'::regnamespace AND c.relkind OPERATOR(pg_catalog.=) 'v'
       AND c.relname::text OPERATOR(pg_catalog.~) '^pg_stat(io)?_(all|user|sys)_(tables|indexes|sequences)$'
  LOOP
    EXECUTE pg_catalog.format('REVOKE SELECT ON %s FROM PUBLIC', v);
    EXECUTE pg_catalog.format('GRANT SELECT ON %s TO pg_read_all_stats', v);
  END LOOP;
  -- pg_stat_statements, where installed: another role's statement shows no text to PUBLIC,
  -- but its calls, rows and times, under that role's OID (so many rows read, when)
  FOR f IN
    SELECT p.oid::regprocedure FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_depend d
        ON d.classid OPERATOR(pg_catalog.=) 'pg_catalog.pg_proc'::regclass AND d.objid OPERATOR(pg_catalog.=) p.oid
       AND d.deptype OPERATOR(pg_catalog.=) 'e'
      JOIN pg_catalog.pg_extension e ON e.oid OPERATOR(pg_catalog.=) d.refobjid
     WHERE e.extname OPERATOR(pg_catalog.=) 'pg_stat_statements'
       AND p.proname OPERATOR(pg_catalog.=) ANY (ARRAY['pg_stat_statements', 'pg_stat_statements_info']::name[])
  LOOP
    EXECUTE pg_catalog.format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
    EXECUTE pg_catalog.format('GRANT EXECUTE ON FUNCTION %s TO pg_read_all_stats', f);
  END LOOP;
END
$revoke$;
