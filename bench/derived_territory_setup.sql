-- The hub of docs/performance-cadastre.md, "The territory of a derived row" (2026-12-07, h9):
-- the demo's Lyon 1er buildings (2,576, tagged commune 69381, public) and its sky, a
-- solar_roofs left empty (each timed refresh inserts every face, the check's heaviest path); an agent of 69381 (dt_agent) for the agent's runs.
-- createdb dt && psql -X -d dt -f THIS, then bench/derived_territory.sh dt RUNS
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hub');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hub');
SELECT smartregion.hub_srid('hub') AS hub_srid \gset
\set bj `zcat data/buildings/buildings_lyon1.geojson.gz`
INSERT INTO hub.buildings (id, geom, height, ground_z, roof_z_max, source, territory_code, visibility)
SELECT substring(f->'properties'->>'ID' FROM '[0-9]+$')::bigint,
       ST_Multi(ST_Force3DZ(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 3946), :hub_srid))),
       (f->'properties'->>'HAUTEUR')::float8, (f->'properties'->>'Z_MIN_SOL')::float8,
       (f->'properties'->>'Z_MAX_TOIT')::float8, 'IGN BD TOPO', '69381', 'public'
  FROM json_array_elements((:'bj')::json->'features') f
ON CONFLICT (id) DO NOTHING;
\unset bj
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
INSERT INTO hub.skies VALUES ('lyon-bron-tmyx', smartregion.sky_from_epw(:'epw'));
\unset epw
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'dt_agent') THEN CREATE ROLE dt_agent IN ROLE smartregion_agent; END IF;
END $$;
INSERT INTO hub.agents (role_name, territory_code, territory_type) VALUES ('dt_agent', '69381', NULL);
ANALYZE hub.buildings;
