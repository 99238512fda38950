-- One line per object of the smartregion extension, with what defines it:
-- used by scripts/upgrade-test.sh to compare an upgraded install with a fresh one.
WITH ext AS (SELECT oid FROM pg_catalog.pg_extension WHERE extname = 'smartregion'),
members AS (
  SELECT d.classid, d.objid FROM pg_catalog.pg_depend d, ext
   WHERE d.refclassid = 'pg_catalog.pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e')
SELECT line FROM (
  SELECT pg_catalog.pg_describe_object(m.classid, m.objid, 0) AS line FROM members m
  UNION ALL
  SELECT 'function ' || p.oid::regprocedure || ' returns ' || pg_catalog.pg_get_function_result(p.oid)
         || ' args(' || pg_catalog.pg_get_function_arguments(p.oid) || ')'
         || ' vol=' || p.provolatile::text || ' strict=' || p.proisstrict || ' par=' || p.proparallel::text
         || ' cost=' || p.procost || ' rows=' || p.prorows || ' lang=' || l.lanname
         || ' src=' || pg_catalog.md5(p.prosrc) || coalesce(' bin=' || p.probin, '')
         || ' comment=' || coalesce(pg_catalog.md5(pg_catalog.obj_description(p.oid, 'pg_proc')), '-')
    FROM members m JOIN pg_catalog.pg_proc p ON m.classid = 'pg_catalog.pg_proc'::regclass AND p.oid = m.objid
    JOIN pg_catalog.pg_language l ON l.oid = p.prolang
  UNION ALL
  SELECT 'column ' || c.oid::regclass || '.' || a.attname || ' ' || pg_catalog.format_type(a.atttypid, a.atttypmod)
         || ' notnull=' || a.attnotnull || ' default=' || coalesce(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '-')
    FROM members m JOIN pg_catalog.pg_class c ON m.classid = 'pg_catalog.pg_class'::regclass AND c.oid = m.objid
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  UNION ALL
  SELECT 'constraint ' || co.conrelid::regclass || ' ' || co.conname || ' ' || pg_catalog.pg_get_constraintdef(co.oid)
    FROM members m JOIN pg_catalog.pg_constraint co ON m.classid = 'pg_catalog.pg_class'::regclass AND co.conrelid = m.objid
  UNION ALL
  SELECT 'type ' || t.oid::regtype || ' kind=' || t.typtype::text || ' len=' || t.typlen
         || ' in=' || t.typinput::text || ' out=' || t.typoutput::text || ' recv=' || t.typreceive::text || ' send=' || t.typsend::text
    FROM members m JOIN pg_catalog.pg_type t ON m.classid = 'pg_catalog.pg_type'::regclass AND t.oid = m.objid
  UNION ALL
  SELECT 'enum ' || e.enumtypid::regtype || ' ' || e.enumlabel || ' ' || e.enumsortorder
    FROM members m JOIN pg_catalog.pg_enum e ON m.classid = 'pg_catalog.pg_type'::regclass AND e.enumtypid = m.objid
) s ORDER BY line;
