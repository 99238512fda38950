-- one refresh of every roof cell of the hub (bench/roof_cells_refresh.sh): the demo's
-- call (scripts/demo-cadastre.sql), replacing all the cells
SELECT * FROM smartregion.refresh_solar_roof_cells(
  (SELECT sky FROM hub.skies WHERE name = 'lyon-bron-tmyx'),
  'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
          territory_code, territory_type, visibility
     FROM hub.buildings');
