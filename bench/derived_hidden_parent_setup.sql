-- bench/derived_hidden_parent.sh: a scratch hub "perf" of 2,576 buildings of the commune 69381 (a third
-- restricted) and its agent perf_agent (docs/performance-cadastre.md, h5).  Run in a scratch database.
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS perf CASCADE;
SELECT count(*) > 0 FROM smartregion.create_hub('perf');
SELECT count(*) > 0 FROM smartregion.grant_roles('perf');
SELECT count(*) > 0 FROM smartregion.load_territories(
  '[{"code":"69381","nom":"Lyon 1er","departement":"69","region":"84","population":1000}]', '[]',
  '[{"code":"69","nom":"Rhône","region":"84"}]', '[{"code":"84","nom":"Auvergne-Rhône-Alpes"}]');
DO $$ BEGIN CREATE ROLE perf_agent IN ROLE smartregion_agent; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
INSERT INTO perf.agents (role_name, territory_code) VALUES ('perf_agent', '69381');
INSERT INTO perf.buildings (id, geom, height, territory_code, visibility)
  SELECT i, ST_Force3D(ST_Multi(ST_MakeEnvelope(842000 + (i % 50) * 20, 6519000 + (i / 50) * 20, 842010 + (i % 50) * 20, 6519010 + (i / 50) * 20, 2154)), 170), 9, '69381',
         CASE WHEN i % 3 = 0 THEN 'restricted' ELSE 'public' END::smartregion.visibility
    FROM generate_series(1, 2576) i;
ANALYZE perf.buildings;
