-- The cost of moving a Building whose parts form a chain :depth deep, each with a surface
-- (docs/performance-city-model.md, "A subtree moved"): the backend's CPU time (utime + stime
-- of /proc/<pid>/stat, in ticks of 10 ms) around one UPDATE by the hub's owner.
-- psql -X -q -d DB -v depth=100 -f bench/city_subtree_move.sql
-- (the build before: make install from it, and CREATE EXTENSION again; the
-- script drops its hub, dp, at the end)
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS dp CASCADE;
SELECT count(*) > 0 FROM smartregion.create_hub('dp');
-- a chain of :depth parts under Building C0, each with a surface, of 91479; then the owner moves C0
INSERT INTO dp.city_object (id, type, parent_id, territory_code, visibility)
SELECT 'C' || i, CASE WHEN i = 0 THEN 'Building' ELSE 'BuildingPart' END, CASE WHEN i > 0 THEN 'C' || (i - 1) END, '91479', 'public'
  FROM generate_series(0, :depth) i;
INSERT INTO dp.city_surface (object_id, semantic_type, geom, territory_code, visibility)
SELECT 'C' || i, 'RoofSurface', ST_GeomFromText('POLYGON Z ((843000 6519000 179, 843010 6519000 179, 843010 6519010 179, 843000 6519000 179))', 2154), '91479', 'public'
  FROM generate_series(0, :depth) i;
SELECT pg_backend_pid() AS pid \gset
\setenv BPID :pid
\! echo "cpu ticks before: $(awk '{print $14+$15}' /proc/$BPID/stat)"
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
\set ON_ERROR_STOP 0
UPDATE dp.city_object SET territory_code = '69381' WHERE id = 'C0';
SELECT round(extract(epoch FROM clock_timestamp() - t)::numeric, 3) AS wall_s FROM t0;
\! echo "cpu ticks after: $(awk '{print $14+$15}' /proc/$BPID/stat)"
SELECT count(*) FILTER (WHERE territory_code = '69381') AS moved, count(*) AS objects FROM dp.city_object;
DROP SCHEMA dp CASCADE;
