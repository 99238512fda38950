-- Territories and roles for timing tiles under row-level security (bench/tiles_rls.sh), on a
-- hub of bench/roof_cells_refresh_setup.sql (whose cells are all public, of no territory):
-- the cells of Lyon 1er (INSEE 69381), a fifth of its buildings restricted (building_id % 5
-- = 0), the hub's territory security on, the smartregion group roles, and three roles:
-- h5_reader (smartregion_reader), h5_agent (smartregion_agent of 69381: every cell) and
-- h5_agent_other (agent of 69382: the public cells).  Roles are the cluster's: the script
-- may run on several databases of one cluster.
--   psql -X -d DB -f bench/tiles_rls_setup.sql   (from the repository root)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
UPDATE hub.solar_roof_cells
   SET territory_code = '69381', territory_type = 'commune',
       visibility = CASE WHEN building_id % 5 = 0 THEN 'restricted' ELSE 'public' END::smartregion.visibility;
SELECT count(*) AS secured FROM smartregion.enable_territory_security('hub');
SELECT count(*) AS groups FROM smartregion.create_roles();
SELECT count(*) AS grants FROM smartregion.grant_roles('hub');
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'h5_reader') THEN
    CREATE ROLE h5_reader LOGIN IN ROLE smartregion_reader;
    CREATE ROLE h5_agent LOGIN IN ROLE smartregion_agent;
    CREATE ROLE h5_agent_other LOGIN IN ROLE smartregion_agent;
  END IF;
END $$;
INSERT INTO hub.agents (role_name, territory_code) VALUES ('h5_agent', '69381'), ('h5_agent_other', '69382')
  ON CONFLICT DO NOTHING;
VACUUM ANALYZE hub.solar_roof_cells;
