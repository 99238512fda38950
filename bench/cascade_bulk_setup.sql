-- The hubs of docs/performance-city-model.md, "The cascades' cost on bulk updates" (2026-12-07,
-- h10): the statements that fire sr_restrict_derived (and sr_surfaces_follow_object) without
-- making anything restricted: bench/cascade_bulk_cpu.sh runs them.
--   hub: 100,000 synthetic buildings (10 m squares, 20 m pitch, Lyon), territory 69381, public;
--        the first 10,000 (id < 10000) with 2 faces, 20 cells and (one in ten) 2 impact faces
--        of that territory, as bench/restrict_derived_setup.sql;
--   c3:  bench/restrict_derived_city3d_setup.sql's 10,000 3D buildings, each with a part and
--        12 surfaces (20,000 objects, 120,000 surfaces);
--   gen: 10,000 houses of bench/city3d_gen.py imported (70,000 surfaces), the document kept in
--        public.gen_doc for an import again with {"replace": true};
--   city_nl: the Rotterdam and Den Haag subsets (data/city3d) imported as sql/city3d.sql does,
--        the documents in public.nl_docs.
-- createdb cb && psql -X -d cb -f THIS   (from the repository's root: it reads data/ and runs
-- bench/city3d_gen.py)
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS smartregion CASCADE;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hub', 2154);
INSERT INTO hub.buildings (id, geom, height, ground_z, roof_z_max, source, territory_code)
SELECT i, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(840000 + (i % 300) * 20, 6520000 + (i / 300) * 20,
                                               840010 + (i % 300) * 20, 6520010 + (i / 300) * 20, 2154), 170)),
       10, 170, 180, 'synthetic', '69381'
  FROM generate_series(0, 99999) i;
INSERT INTO hub.solar_roofs (building_id, face, geom, tilt, azimuth, area_m2, territory_code)
SELECT b.id, f, ST_Force3DZ(ST_GeometryN(ST_Force2D(b.geom), 1), 180), 30, 180, 50, '69381'
  FROM hub.buildings b, generate_series(1, 2) f WHERE b.id < 10000;
INSERT INTO hub.solar_roof_cells (building_id, face, geom, area_m2, territory_code)
SELECT r.building_id, r.face, ST_Force3DZ(ST_MakeEnvelope(ST_XMin(r.geom) + c, ST_YMin(r.geom), ST_XMin(r.geom) + c + 1, ST_YMin(r.geom) + 1, 2154), 180), 1, '69381'
  FROM hub.solar_roofs r, generate_series(0, 9) c;
INSERT INTO hub.solar_impact_roofs (building_id, face, is_project, geom, territory_code)
SELECT r.building_id, r.face, false, r.geom, '69381' FROM hub.solar_roofs r WHERE r.building_id % 10 = 0;
ANALYZE hub.buildings; ANALYZE hub.solar_roofs; ANALYZE hub.solar_roof_cells; ANALYZE hub.solar_impact_roofs;
\set n 10000
\ir restrict_derived_city3d_setup.sql
SET client_min_messages = warning;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('gen', 2154);
\set g `/usr/bin/python3 bench/city3d_gen.py 10000`
CREATE TABLE public.gen_doc AS SELECT (:'g')::jsonb AS d;
\unset g
SELECT smartregion.import_cityjson(d, 'gen') -> 'surfaces' AS gen_surfaces FROM public.gen_doc;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('city_nl');
ALTER TABLE city_nl.city_surface ALTER COLUMN geom TYPE geometry(PolygonZ, 28992);
ALTER TABLE city_nl.city_object ALTER COLUMN footprint TYPE geometry(MultiPolygon, 28992);
\set rot `cat data/city3d/rotterdam_subset.json`
\set dh `cat data/city3d/DH_01_subs.city.json`
CREATE TABLE public.nl_docs AS SELECT (:'rot')::jsonb AS rot, (:'dh')::jsonb AS dh;
\unset rot
\unset dh
SELECT smartregion.import_cityjson(rot, 'city_nl', '{"srid": 7415, "source": "rotterdam_subset.json"}') -> 'surfaces' AS rot_surfaces,
       smartregion.import_cityjson(dh, 'city_nl', '{"srid": 7415, "source": "DH_01_subs.city.json"}') -> 'surfaces' AS dh_surfaces
  FROM public.nl_docs;
ANALYZE;
SELECT (SELECT count(*) FROM hub.buildings) buildings, (SELECT count(*) FROM hub.solar_roofs) faces,
       (SELECT count(*) FROM hub.solar_roof_cells) cells, (SELECT count(*) FROM hub.solar_impact_roofs) impact,
       (SELECT count(*) FROM c3.city_object) c3_objects, (SELECT count(*) FROM c3.city_surface) c3_surfaces,
       (SELECT count(*) FROM gen.city_object) gen_objects, (SELECT count(*) FROM gen.city_surface) gen_surfaces,
       (SELECT count(*) FROM city_nl.city_object) nl_objects, (SELECT count(*) FROM city_nl.city_surface) nl_surfaces;
