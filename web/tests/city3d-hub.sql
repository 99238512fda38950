-- The hub of make test-clients' 3D city (scripts/test-clients.sh), in its own database
-- (smartregion_clients, kept between runs): the demo's Lyon 1er cadastre (scripts/demo-cadastre.sql,
-- loaded when the roofs are missing, as scripts/city3d-export.sh did), the platform's roles
-- (grant_roles: make serve's reader, demo_reader, is a smartregion_analyst), and one building
-- restricted to a territory: building 990000001, not Lyon's, a 100 m square at the middle of the
-- city with its roofs computed, larger than any of Lyon 1er's (the file checks it), so
-- that a city written as the superuser would hold it and name it in known-roof.json. The city is
-- written as demo_reader (scripts/serve-city3d.sh, as make serve writes it), to whom it is
-- restricted: web/tests/city3d.test.mjs checks that no served glTF holds it
-- (SR_CITY3D_RESTRICTED_ID) and that known-roof.json does not name it.
--   psql -d smartregion_clients -f web/tests/city3d-hub.sql   (from the repository root)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS smartregion CASCADE;
SELECT count(*) >= 0 AS hub FROM smartregion.create_hub('hub') \gset
SELECT NOT EXISTS (SELECT 1 FROM hub.solar_roofs) AS empty \gset
\if :empty
\echo == loading the solar cadastre of Lyon 1er
\i scripts/demo-cadastre.sql
\endif
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hub') \gset
-- the restricted building: its footprint 100 m x 100 m at the centre of the hub's buildings, its
-- roof 20 m above the lowest ground (the same height for its walls in the tileset)
INSERT INTO hub.buildings (id, geom, height, ground_z, roof_z_max, territory_code, visibility, source)
SELECT 990000001,
       ST_Multi(ST_Force3DZ(ST_SetSRID(ST_Expand(ST_Centroid(ST_Extent(geom)::geometry), 50), smartregion.hub_srid('hub')),
                             min(ground_z) + 20)),
       20, min(ground_z), min(ground_z) + 20, '69381', 'restricted', 'web/tests/city3d-hub.sql: a restricted building'
  FROM hub.buildings WHERE id <> 990000001
ON CONFLICT (id) DO NOTHING;
SELECT NOT EXISTS (SELECT 1 FROM hub.solar_roofs WHERE building_id = 990000001) AS no_roofs \gset
\if :no_roofs
SELECT inserted FROM smartregion.refresh_solar_roofs((SELECT sky FROM hub.skies WHERE name = 'lyon-bron-tmyx'),
  'SELECT id, geom, height, territory_code, territory_type, visibility FROM hub.buildings WHERE id = 990000001');
\endif
-- (a check of the hub as written: the building and its roofs restricted, the largest roof)
SELECT coalesce((SELECT b.visibility = 'restricted' AND bool_and(r.visibility = 'restricted')
                          AND sum(r.area_m2) > (SELECT max(a) FROM (SELECT sum(area_m2) AS a FROM hub.solar_roofs
                                                 WHERE building_id <> 990000001 GROUP BY building_id) o)
                   FROM hub.buildings b JOIN hub.solar_roofs r ON r.building_id = b.id
                  WHERE b.id = 990000001 GROUP BY b.visibility), false) AS ok \gset
\if :ok
\else
\warn 'web/tests/city3d-hub.sql: building 990000001 is not a restricted building with the largest roof'
SELECT 1/0;
\endif
