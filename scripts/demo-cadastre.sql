-- Solar cadastre demo: the real Lyon 1er buildings (IGN BD TOPO, 2,576
-- buildings with heights) and the Lyon-Bron TMYx weather year.
-- Run by `make demo` from the repository root (psql, ON_ERROR_STOP).
\set ON_ERROR_STOP 1
SELECT smartregion.hub_srid('hub') AS hub_srid \gset
\echo loading data/buildings/buildings_lyon1.geojson.gz into hub.buildings (EPSG:3946 transformed to the hub SRID, EPSG::hub_srid)
-- provenance of the writes below (the catalogue's dct:provenance, docs/governance.md)
SELECT smartregion.set_provenance('scripts/demo-cadastre.sql', 'data/buildings/buildings_lyon1.geojson.gz (IGN BD TOPO)') \gset
\set bj `zcat data/buildings/buildings_lyon1.geojson.gz`
INSERT INTO hub.buildings (id, geom, height, ground_z, roof_z_max, source)
SELECT substring(f->'properties'->>'ID' FROM '[0-9]+$')::bigint,
       ST_Multi(ST_Force3DZ(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 3946), :hub_srid))),
       (f->'properties'->>'HAUTEUR')::float8,
       (f->'properties'->>'Z_MIN_SOL')::float8,
       (f->'properties'->>'Z_MAX_TOIT')::float8,
       'IGN BD TOPO v3 2019 (Licence Ouverte 2.0)'
  FROM json_array_elements((:'bj')::json->'features') f
ON CONFLICT (id) DO NOTHING;
\unset bj

\echo building the cumulative sky of data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw into hub.skies
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
INSERT INTO hub.skies VALUES ('lyon-bron-tmyx', smartregion.sky_from_epw(:'epw'))
ON CONFLICT (name) DO UPDATE SET sky = EXCLUDED.sky;
\unset epw

\echo computing the solar cadastre of Lyon 1er into hub.solar_roofs (every roof over its area at 1 m, 72 x 5 rays, 300 m)
-- BD TOPO gives the eaves (Z_MIN_TOIT, the polygons' z) and the ridge (Z_MAX_TOIT) but not the
-- roof shape: each building is taken as a flat roof at its mean roof height, for the roof
-- itself and as an obstacle (eaves-and-ridge would be pessimistic, eaves-only optimistic).
\timing on
SELECT smartregion.set_provenance('scripts/demo-cadastre.sql', 'smartregion.solar_cadastre of hub.buildings under data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw') \gset
SELECT * FROM smartregion.refresh_solar_roofs(
  (SELECT sky FROM hub.skies WHERE name = 'lyon-bron-tmyx'),
  'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
          territory_code, territory_type, visibility
     FROM hub.buildings',
  '{"sampling": "area"}');
\echo computing where on each roof the sun is into hub.solar_roof_cells (1 m cells, the same buildings)
SELECT * FROM smartregion.refresh_solar_roof_cells(
  (SELECT sky FROM hub.skies WHERE name = 'lyon-bron-tmyx'),
  'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
          territory_code, territory_type, visibility
     FROM hub.buildings');
\timing off
ANALYZE hub.buildings;
ANALYZE hub.solar_roofs;
ANALYZE hub.solar_roof_cells;

\echo summary of the Lyon 1er solar cadastre
SELECT count(*) AS roofs,
       round(sum(area_m2)) AS roof_area_m2,
       round(sum(usable_area_m2)) AS usable_m2,
       round(avg(annual_kwh_m2)::numeric, 1) AS mean_kwh_m2,
       round(avg(shading_loss_pct)::numeric, 1) AS mean_shading_pct,
       round((sum(pv_kwp) / 1000)::numeric, 1) AS pv_mwp,
       round((sum(pv_kwh_year) / 1e6)::numeric, 1) AS pv_gwh_year
  FROM hub.solar_roofs;
SELECT potential_class, count(*) AS roofs, round((sum(pv_kwh_year) / 1e6)::numeric, 2) AS pv_gwh_year
  FROM hub.solar_roofs GROUP BY potential_class ORDER BY min(annual_kwh_m2);
\echo a vector tile for the web map (make serve; z 15 over Lyon 1er):
SELECT length(smartregion.solar_tile(15, 16823, 11687)) AS tile_bytes;
