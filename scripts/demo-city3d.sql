-- 3D city model demo (issue 16): the Lyon LoD2 house (CityGML 2.0) and a
-- Dutch subset (Rotterdam CityJSON 2.0, Den Haag CityJSON 1.1) in the hub,
-- their roof potentials on their real roof planes, and a planned tower in
-- Lyon 1er with what it does to its neighbours' sun.
-- Run by `make demo` after demo-cadastre.sql (hub.buildings, hub.skies and
-- hub.solar_roofs come from it).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

\echo importing data/buildings/LYON_1ER_BATI_2015_small_house.gml (CityGML 2.0, no srsName: CC46, EPSG:3946) into hub
\set lyon `cat data/buildings/LYON_1ER_BATI_2015_small_house.gml`
SELECT s -> 'objects_by_type' AS objects, s -> 'surfaces_by_type' AS surfaces, s -> 'skipped_by_reason' AS skipped,
       s ->> 'transformation' AS transformation
  FROM smartregion.import_citygml(:'lyon', 'hub',
         '{"srid": 3946, "source": "LYON_1ER_BATI_2015_small_house.gml", "replace": true}') s;

\echo the Dutch files go into a hub of their own, in RD New (EPSG:28992): no datum shift to guess
SELECT count(*) AS city_tables FROM smartregion.create_hub('hub_nl', 28992) WHERE service = 'city_model';
\set rot `cat data/city3d/rotterdam_subset.json`
\set dh `cat data/city3d/DH_01_subs.city.json`
SELECT 'rotterdam_subset.json' AS file, s -> 'objects_by_type' AS objects, s -> 'surfaces_by_type' AS surfaces,
       s -> 'skipped' AS skipped
  FROM smartregion.import_cityjson(:'rot', 'hub_nl', '{"srid": 7415, "source": "rotterdam_subset.json", "replace": true}') s
UNION ALL
SELECT 'DH_01_subs.city.json', s -> 'objects_by_type', s -> 'surfaces_by_type', s -> 'skipped'
  FROM smartregion.import_cityjson(:'dh', 'hub_nl', '{"srid": 7415, "source": "DH_01_subs.city.json", "replace": true}') s;

\echo the roof planes of the Lyon house: its own surfaces (walls, ground, roofs) and the BD TOPO buildings around as prisms
-- (the BD TOPO footprint of the house itself is left out: the LoD2 model replaces it)
CREATE TEMP TABLE lyon_house AS
SELECT c.building_id AS surface_id, s.semantic_type, round(c.tilt::numeric, 1) AS tilt,
       round(c.azimuth::numeric, 1) AS azimuth, round(c.area_m2::numeric, 1) AS area_m2,
       round(c.annual_kwh_m2::numeric) AS kwh_m2, round(c.shading_loss_pct::numeric, 1) AS shading_pct,
       round(c.pv_kwh_year::numeric) AS pv_kwh_year, c.potential_class
  FROM hub.skies k,
       smartregion.solar_cadastre(
         $q$SELECT id, geom, semantic_type AS surface_type, NULL::float8 AS height,
                   NULL::float8 AS roof_z_min, NULL::float8 AS roof_z_max, true AS target
              FROM hub.city_surface WHERE object_id LIKE 'BU_69381AB133%'
            UNION ALL
            SELECT b.id, ST_Force2D(ST_Transform(b.geom, 2154)), NULL, b.height, ST_ZMin(b.geom), b.roof_z_max, false
              FROM hub.buildings b
             WHERE NOT ST_Intersects(ST_Transform(b.geom, 2154),
                                     (SELECT footprint FROM hub.city_object WHERE id = 'BU_69381AB133'))
               AND ST_DWithin(ST_Transform(b.geom, 2154),
                              (SELECT footprint FROM hub.city_object WHERE id = 'BU_69381AB133'), 400)$q$,
         k.sky, '{"faces": "both"}') c
  JOIN hub.city_surface s ON s.id = c.building_id
 WHERE k.name = 'lyon-bron-tmyx';
SELECT * FROM lyon_house ORDER BY semantic_type, azimuth;

\echo the Dutch subset: every RoofSurface a row (a clear-sky year at Rotterdam: the upper bound of any weather year)
CREATE TEMP TABLE nl_sky AS SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.47, 51.92, 0), 4326)) AS s;
CREATE TEMP TABLE nl_cad AS
SELECT c.*, s.object_id FROM nl_sky k,
       smartregion.solar_cadastre('SELECT id, geom, semantic_type AS surface_type FROM hub_nl.city_surface', k.s) c
  JOIN hub_nl.city_surface s ON s.id = c.building_id;
SELECT o.source, count(*) AS roof_surfaces, round(sum(c.area_m2)) AS roof_m2,
       round(avg(c.annual_kwh_m2)::numeric) AS mean_kwh_m2, round(avg(c.shading_loss_pct)::numeric, 1) AS mean_shading_pct,
       round((sum(c.pv_kwh_year) / 1000)::numeric, 1) AS pv_mwh_year
  FROM nl_cad c JOIN hub_nl.city_object o ON o.id = c.object_id GROUP BY o.source ORDER BY 1;
SELECT c.potential_class, count(*) AS roofs FROM nl_cad c GROUP BY 1 ORDER BY min(c.annual_kwh_m2);

\echo a planned 50 m tower in Lyon 1er and what it does to its neighbours (hub.planned_building, solar_impact)
INSERT INTO hub.planned_building (name, status, geom, height, ground_z, start_date, completion_date, source)
SELECT 'Tour de démonstration', 'proposed',
       ST_Transform(ST_SetSRID(ST_MakeEnvelope(1842000, 5175900, 1842020, 5175920), 3946), smartregion.hub_srid('hub')),
       50, 170, '2027-03-01', '2029-09-30', 'demo'
 WHERE NOT EXISTS (SELECT 1 FROM hub.planned_building WHERE source = 'demo');
\timing on
DELETE FROM hub.solar_impact_roofs;
INSERT INTO hub.solar_impact_roofs
SELECT i.* FROM hub.skies k, smartregion.solar_impact(
  -- (the public projects only: this impact is stored public, and it tells where a project
  -- stands and how tall it is; docs/city3d.md, "A project that is not public yet")
  'SELECT id, geom, height, ground_z FROM hub.planned_building
    WHERE status IN (''proposed'', ''approved'', ''under_construction'') AND visibility = ''public''',
  'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height
     FROM hub.buildings', k.sky) i
 WHERE k.name = 'lyon-bron-tmyx';
\timing off
SELECT count(*) FILTER (WHERE NOT is_project) AS roofs_shaded_more,
       round(sum(loss_kwh_year) FILTER (WHERE NOT is_project)::numeric) AS pv_kwh_year_lost,
       round(max(loss_pct) FILTER (WHERE NOT is_project)::numeric, 1) AS worst_loss_pct,
       round(sum(pv_kwh_year_after) FILTER (WHERE is_project)::numeric) AS tower_roof_pv_kwh_year
  FROM hub.solar_impact_roofs;
\echo the cadastre as it will be (view hub.solar_roofs_planned) against the one of today
SELECT round((SELECT sum(pv_kwh_year) FROM hub.solar_roofs)::numeric / 1e6, 3) AS pv_gwh_today,
       round(sum(pv_kwh_year)::numeric / 1e6, 3) AS pv_gwh_planned,
       count(*) FILTER (WHERE changed AND NOT is_project) AS roofs_changed
  FROM hub.solar_roofs_planned;
RESET client_min_messages;
