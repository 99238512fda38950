-- The surfaces of the demo city for city_gltf / city_tileset: the solar cadastre's rows as they
-- are (one roof face per row, coloured by annual_kwh_m2 on the options' ramp, which is the value
-- column of the features' properties with value_name = annual_kwh_m2), walls generated
-- down to the BD TOPO ground altitude (or the roof minus the height where it is missing), the
-- click panel's properties (used by scripts/test-city3d.sh and scripts/serve.sh; needs
-- hub.buildings and hub.solar_roofs, loaded by scripts/demo-cadastre.sql).
SELECT r.building_id * 1000 + r.face AS id, r.building_id AS feature_id, r.geom,
       r.annual_kwh_m2 AS value, coalesce(b.ground_z, ST_ZMin(r.geom) - b.height) AS ground_z,
       pg_catalog.jsonb_build_object('building_id', r.building_id,
         'pv_kwh_year', pg_catalog.round(r.pv_kwh_year::numeric),
         'shading_loss_pct', pg_catalog.round(r.shading_loss_pct::numeric, 1),
         'potential_class', r.potential_class,
         'height_m', b.height) AS properties
  FROM hub.solar_roofs r JOIN hub.buildings b ON b.id = r.building_id
