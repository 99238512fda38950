-- A hub for timing refresh_solar_roof_cells (bench/roof_cells_refresh.sh): the demo's
-- Lyon 1er buildings (data/buildings/buildings_lyon1.geojson.gz, IGN BD TOPO, 2,576
-- buildings) and its Lyon-Bron TMYx sky, as scripts/demo-cadastre.sql loads them, without
-- the rest of the demo; a first refresh fills hub.solar_roof_cells (about 600,000 cells).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT smartregion.create_hub('hub', 2154);
\set bj `zcat data/buildings/buildings_lyon1.geojson.gz`
INSERT INTO hub.buildings (id, geom, height, ground_z, roof_z_max, source)
SELECT substring(f->'properties'->>'ID' FROM '[0-9]+$')::bigint,
       ST_Multi(ST_Force3DZ(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 3946), 2154))),
       (f->'properties'->>'HAUTEUR')::float8,
       (f->'properties'->>'Z_MIN_SOL')::float8,
       (f->'properties'->>'Z_MAX_TOIT')::float8,
       'IGN BD TOPO v3 2019 (Licence Ouverte 2.0)'
  FROM json_array_elements((:'bj')::json->'features') f
ON CONFLICT (id) DO NOTHING;
\unset bj
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
INSERT INTO hub.skies VALUES ('lyon-bron-tmyx', smartregion.sky_from_epw(:'epw'));
\unset epw
\i bench/roof_cells_refresh.sql
ANALYZE hub.buildings;
ANALYZE hub.solar_roof_cells;
