-- Solar cadastre demo: the real Lyon 1er buildings (IGN BD TOPO, 2,576
-- buildings with heights) and the Lyon-Bron TMYx weather year.
-- Run by `make demo` from the repository root (psql, ON_ERROR_STOP).
\set ON_ERROR_STOP 1
\echo loading data/buildings/buildings_lyon1.geojson.gz into hub.buildings
-- provenance of the writes below (the catalogue's dct:provenance, docs/governance.md)
SELECT smartregion.set_provenance('scripts/demo-cadastre.sql', 'data/buildings/buildings_lyon1.geojson.gz (IGN BD TOPO)') \gset
\set bj `zcat data/buildings/buildings_lyon1.geojson.gz`
INSERT INTO hub.buildings (id, geom, height, ground_z, roof_z_max, source)
SELECT substring(f->'properties'->>'ID' FROM '[0-9]+$')::bigint,
       ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 3946),
       (f->'properties'->>'HAUTEUR')::float8,
       (f->'properties'->>'Z_MIN_SOL')::float8,
       (f->'properties'->>'Z_MAX_TOIT')::float8,
       'IGN BD TOPO v3 2019 (Licence Ouverte 2.0)'
  FROM json_array_elements((:'bj')::json->'features') f
ON CONFLICT (id) DO NOTHING;
CREATE INDEX IF NOT EXISTS buildings_geom_idx ON hub.buildings USING gist (geom);

\echo building the cumulative sky of data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TABLE IF NOT EXISTS hub.skies (name text PRIMARY KEY, sky smartregion.sky NOT NULL);
INSERT INTO hub.skies VALUES ('lyon-bron-tmyx', smartregion.sky_from_epw(:'epw'))
ON CONFLICT (name) DO UPDATE SET sky = EXCLUDED.sky;

\echo computing the solar cadastre of Lyon 1er (every roof, 72-sector horizons, 300 m)
-- BD TOPO gives the eaves (Z_MIN_TOIT, the polygons' z) and the ridge (Z_MAX_TOIT) but not the
-- roof shape: each building is taken as a flat roof at its mean roof height, for the roof
-- itself and as an obstacle (eaves-and-ridge would be pessimistic, eaves-only optimistic).
\timing on
SELECT smartregion.set_provenance('scripts/demo-cadastre.sql', 'smartregion.solar_cadastre of hub.buildings under data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw') \gset
INSERT INTO hub.solar_roofs (building_id, face, geom, tilt, azimuth, area_m2, usable_area_m2,
       annual_kwh_m2, monthly_kwh_m2, shading_loss_pct, pv_kwp, pv_kwh_year, potential_class)
SELECT c.building_id, c.face, c.geom, c.tilt, c.azimuth, c.area_m2, c.usable_area_m2,
       c.annual_kwh_m2, c.monthly_kwh_m2, c.shading_loss_pct, c.pv_kwp, c.pv_kwh_year,
       c.potential_class
  FROM hub.skies s,
       smartregion.solar_cadastre(
         'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height
            FROM hub.buildings', s.sky) c
 WHERE s.name = 'lyon-bron-tmyx'
ON CONFLICT (building_id, face) DO NOTHING;
\timing off
CREATE INDEX IF NOT EXISTS solar_roofs_geom_idx ON hub.solar_roofs USING gist (geom);

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
\echo a vector tile for pg_tileserv (z 15 over Lyon 1er):
SELECT length(smartregion.solar_tile(15, 16823, 11687)) AS tile_bytes;
