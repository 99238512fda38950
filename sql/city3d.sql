-- 3D city model (issue 16).  The counts of surfaces by type are computed
-- here independently of the importers (SQL over the jsonb, XPath over the
-- XML); the Lyon house's roof planes are compared with a hand computation
-- (the cross product of each roof's diagonals, from the coordinates of the
-- file); the transformation with PostGIS's own ST_Transform; the cadastre's
-- horizons with closed forms; solar_impact with two full solar_cadastre runs.
SET extra_float_digits = 0;
SET client_min_messages = warning;
SELECT count(*) AS city_tables FROM smartregion.create_hub('city_t') WHERE service = 'city_model';
-- a Dutch hub: the city model in RD New (the importers follow city_surface.geom's SRID)
SELECT count(*) AS city_tables FROM smartregion.create_hub('city_nl') WHERE service = 'city_model';
ALTER TABLE city_nl.city_surface ALTER COLUMN geom TYPE geometry(PolygonZ, 28992);
ALTER TABLE city_nl.city_object ALTER COLUMN footprint TYPE geometry(MultiPolygon, 28992);
-- and one in CC46, the Lyon file's own CRS (no transformation at all)
SELECT count(*) AS city_tables FROM smartregion.create_hub('city_cc46') WHERE service = 'city_model';
ALTER TABLE city_cc46.city_surface ALTER COLUMN geom TYPE geometry(PolygonZ, 3946);
ALTER TABLE city_cc46.city_object ALTER COLUMN footprint TYPE geometry(MultiPolygon, 3946);
SET client_min_messages = notice;

\set rot `cat data/city3d/rotterdam_subset.json`
\set dh `cat data/city3d/DH_01_subs.city.json`
\set lyon `cat data/buildings/LYON_1ER_BATI_2015_small_house.gml`
CREATE TEMP TABLE docs AS SELECT (:'rot')::jsonb AS rot, (:'dh')::jsonb AS dh, (:'lyon')::text AS lyon;

-- ---------------------------------------------------------------------------
-- independent counts: every polygon of the files with its semantic type and
-- its number of distinct vertices (a ring of fewer than 3 is invalid)
CREATE TEMP TABLE file_polys AS
SELECT 'rotterdam' AS file, o.key AS object_id,
       g.value #>> ARRAY['semantics', 'surfaces', g.value #>> ARRAY['semantics', 'values', (s.i - 1)::text], 'type'] AS t,
       (SELECT count(DISTINCT d.rot -> 'vertices' -> (v.value::int)) FROM jsonb_array_elements_text(s.surface -> 0) v) AS pts
  FROM docs d, jsonb_each(d.rot -> 'CityObjects') o, jsonb_array_elements(o.value -> 'geometry') g,
       jsonb_array_elements(g.value -> 'boundaries') WITH ORDINALITY s(surface, i)
UNION ALL
SELECT 'den haag', o.key,
       g.value #>> ARRAY['semantics', 'surfaces',
                         g.value #>> ARRAY['semantics', 'values', (sh.si - 1)::text, (s.i - 1)::text], 'type'],
       (SELECT count(DISTINCT d.dh -> 'vertices' -> (v.value::int)) FROM jsonb_array_elements_text(s.surface -> 0) v)
  FROM docs d, jsonb_each(d.dh -> 'CityObjects') o, jsonb_array_elements(o.value -> 'geometry') g,
       jsonb_array_elements(g.value -> 'boundaries') WITH ORDINALITY sh(shell, si),
       jsonb_array_elements(sh.shell) WITH ORDINALITY s(surface, i);
SELECT file, t, count(*) AS polygons, count(*) FILTER (WHERE pts < 3) AS fewer_than_3_points
  FROM file_polys GROUP BY 1, 2 ORDER BY 1, 2;

-- the imports
SET client_min_messages = warning;
CREATE TEMP TABLE imp AS
SELECT 'rotterdam' AS file, smartregion.import_cityjson(rot, 'city_nl', '{"srid": 7415, "source": "rotterdam_subset.json"}') AS s FROM docs
UNION ALL
SELECT 'den haag', smartregion.import_cityjson(dh, 'city_nl', '{"srid": 7415, "source": "DH_01_subs.city.json"}') FROM docs;
SET client_min_messages = notice;
SELECT file, s -> 'version' AS version, s -> 'objects_by_type' AS objects, s -> 'surfaces_by_type' AS surfaces,
       s -> 'skipped' AS skipped, s -> 'source_srid' AS source_srid, s -> 'ballpark_transformation' AS ballpark
  FROM imp ORDER BY 1;
-- every valid polygon of the file imported with its type, every invalid one
-- reported with its object's id
SELECT f.file, f.t,
       count(*) FILTER (WHERE f.pts >= 3) = (i.s -> 'surfaces_by_type' ->> f.t)::int AS valid_ones_imported,
       count(*) FILTER (WHERE f.pts < 3) = (SELECT count(*) FROM jsonb_array_elements(i.s -> 'skipped_items') k
                                              WHERE k ->> 'reason' LIKE '%(' || f.t || '): exterior ring has fewer than 3 distinct points') AS invalid_ones_reported
  FROM file_polys f JOIN imp i USING (file) GROUP BY f.file, f.t, i.s ORDER BY 1, 2;
SELECT bool_and(k ->> 'object' IN (SELECT object_id FROM file_polys WHERE pts < 3)) AS reported_with_object_id
  FROM imp, jsonb_array_elements(s -> 'skipped_items') k;
-- BuildingParts with their parents (Den Haag); parents get the union of their parts' footprints
SELECT o.type, count(*) AS objects, count(*) FILTER (WHERE parent_id IS NOT NULL) AS with_parent,
       count(*) FILTER (WHERE footprint IS NOT NULL) AS with_footprint
  FROM city_nl.city_object o WHERE o.source = 'DH_01_subs.city.json' GROUP BY 1 ORDER BY 1;
SELECT bool_and(p.parent_id = c.key) AS parents_as_in_file
  FROM docs d, jsonb_each(d.dh -> 'CityObjects') c, jsonb_array_elements_text(c.value -> 'children') ch(id)
  JOIN city_nl.city_object p ON p.id = ch.id;
-- the surfaces keep the file's coordinates (RD New to RD New: the vertical is dropped, x y z kept)
SELECT bool_and(ST_SRID(geom) = 28992) AS srid, round(min(ST_ZMin(geom))::numeric, 3) AS zmin,
       round(max(ST_ZMax(geom))::numeric, 3) AS zmax,
       bool_and(area_m2 > 0) AS areas,
       bool_and(semantic_type <> 'RoofSurface' OR tilt < 90) AS roofs_face_up,
       bool_and(semantic_type <> 'WallSurface' OR abs(tilt - 90) < 1) AS walls_upright,
       bool_and(semantic_type <> 'GroundSurface' OR tilt > 179) AS grounds_face_down
  FROM city_nl.city_surface;
-- z range of the Den Haag file (metadata.geographicalExtent: 3.451 .. 14.739)
SELECT round(min(ST_ZMin(s.geom))::numeric, 3) AS zmin, round(max(ST_ZMax(s.geom))::numeric, 3) AS zmax
  FROM city_nl.city_surface s JOIN city_nl.city_object o ON o.id = s.object_id
 WHERE o.source = 'DH_01_subs.city.json';

-- the same two files as CityJSONSeq (scripts/cityjson-to-seq.py: a header line, then one
-- CityJSONFeature per building with its parts and its own renumbered vertices), imported
-- into a second Dutch hub: the same objects and the same surfaces, bit for bit
SET client_min_messages = warning;
SELECT count(*) AS city_tables FROM smartregion.create_hub('city_seq') WHERE service = 'city_model';
ALTER TABLE city_seq.city_surface ALTER COLUMN geom TYPE geometry(PolygonZ, 28992);
ALTER TABLE city_seq.city_object ALTER COLUMN footprint TYPE geometry(MultiPolygon, 28992);
SET client_min_messages = notice;
\set rotseq `python3 scripts/cityjson-to-seq.py data/city3d/rotterdam_subset.json`
\set dhseq `python3 scripts/cityjson-to-seq.py data/city3d/DH_01_subs.city.json`
SET client_min_messages = warning;
CREATE TEMP TABLE impseq AS
SELECT 'rotterdam' AS file, smartregion.import_cityjsonseq(:'rotseq', 'city_seq', '{"srid": 7415, "source": "rotterdam_subset.json"}') AS s
UNION ALL
SELECT 'den haag', smartregion.import_cityjsonseq(:'dhseq', 'city_seq', '{"srid": 7415, "source": "DH_01_subs.city.json"}');
SET client_min_messages = notice;
SELECT q.file, q.s -> 'format' AS format, q.s -> 'features' AS features, q.s -> 'vertices' AS vertices,
       q.s -> 'objects_by_type' = i.s -> 'objects_by_type' AS same_objects,
       q.s -> 'surfaces_by_type' = i.s -> 'surfaces_by_type' AS same_surfaces,
       (SELECT jsonb_agg(k ORDER BY k::text) FROM jsonb_array_elements(q.s -> 'skipped_items') k) IS NOT DISTINCT FROM
       (SELECT jsonb_agg(k ORDER BY k::text) FROM jsonb_array_elements(i.s -> 'skipped_items') k) AS same_skipped
  FROM impseq q JOIN imp i USING (file) ORDER BY 1;
WITH a AS (SELECT o.id, o.type, o.parent_id, o.lod, o.attributes, ST_AsEWKB(o.footprint) AS footprint, o.source
             FROM city_nl.city_object o WHERE o.source IN ('rotterdam_subset.json', 'DH_01_subs.city.json')),
     b AS (SELECT o.id, o.type, o.parent_id, o.lod, o.attributes, ST_AsEWKB(o.footprint), o.source
             FROM city_seq.city_object o),
     sa AS (SELECT s.object_id, s.semantic_type, s.lod, ST_AsEWKB(s.geom) AS geom, s.tilt, s.azimuth, s.area_m2, s.planarity_m
              FROM city_nl.city_surface s JOIN a ON a.id = s.object_id),
     sb AS (SELECT s.object_id, s.semantic_type, s.lod, ST_AsEWKB(s.geom), s.tilt, s.azimuth, s.area_m2, s.planarity_m
              FROM city_seq.city_surface s)
SELECT (SELECT count(*) FROM a) AS objects, (SELECT count(*) FROM b) AS seq_objects,
       (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b UNION ALL
                              (SELECT * FROM b EXCEPT ALL SELECT * FROM a)) x) AS objects_differing,
       (SELECT count(*) FROM sa) AS surfaces, (SELECT count(*) FROM sb) AS seq_surfaces,
       (SELECT count(*) FROM (SELECT * FROM sa EXCEPT ALL SELECT * FROM sb UNION ALL
                              (SELECT * FROM sb EXCEPT ALL SELECT * FROM sa)) x) AS surfaces_differing,
       (SELECT round(sum(area_m2)::numeric, 6) FROM sa) AS area_m2,
       (SELECT round(sum(area_m2)::numeric, 6) FROM sb) AS seq_area_m2;
SET client_min_messages = warning;
DROP SCHEMA city_seq CASCADE;
SET client_min_messages = notice;

-- ---------------------------------------------------------------------------
-- the Lyon house (CityGML 2.0): XPath counts of its thematic surfaces' polygons
SELECT t, (xpath(format('count(//bldg:%s//gml:Polygon)', t), lyon::xml,
                 ARRAY[ARRAY['bldg', 'http://www.opengis.net/citygml/building/2.0'],
                       ARRAY['gml', 'http://www.opengis.net/gml']]))[1]::text::int AS polygons_in_file
  FROM docs, unnest(ARRAY['GroundSurface', 'RoofSurface', 'WallSurface']) t ORDER BY 1;
-- (its lod2Solid only points at those 7 polygons with xlink:href: 7 references, no polygon of its own)
SELECT (xpath('count(//bldg:lod2Solid//gml:surfaceMember[@xlink:href])', lyon::xml,
              ARRAY[ARRAY['bldg', 'http://www.opengis.net/citygml/building/2.0'],
                    ARRAY['gml', 'http://www.opengis.net/gml'], ARRAY['xlink', 'http://www.w3.org/1999/xlink']]))[1]::text
       AS solid_references FROM docs;
SELECT s - 'skipped_items' - 'transformation' AS summary
  FROM docs, smartregion.import_citygml(lyon, 'city_cc46', '{"srid": 3946, "source": "LYON_1ER_BATI_2015_small_house.gml"}') s;
SELECT id, type, parent_id, lod, attributes ->> 'CODE_INSEE' AS insee, (attributes ->> 'ZMAXTOIT')::float8 AS zmaxtoit,
       round(ST_Area(footprint)::numeric, 1) AS footprint_m2
  FROM city_cc46.city_object ORDER BY id;
-- the two roof planes by hand: the normal is the cross product of the quad's
-- diagonals AC x BD, with the coordinates of the file (posList of R1 and R2):
--   roof 1: AC = (-14.182549, 1.014609, 1.875000), BD = (12.197159, -7.403061, 1.866667)
--           n = (15.7747, 49.3438, 92.6189): tilt 29.22 deg, azimuth 17.73 deg (north-north-east)
--   roof 2: AC = (-14.139948, 1.142832, -1.866667), BD = (12.240062, -7.256705, -1.866667)
--           n = (-15.6791, -49.2427, 88.6211): tilt 30.24 deg, azimuth 197.66 deg (south-south-west)
CREATE TEMP TABLE hand AS
SELECT ref, degrees(acos(nz / sqrt(nx * nx + ny * ny + nz * nz))) AS tilt,
       mod(degrees(atan2(nx, ny))::numeric + 360, 360)::float8 AS azimuth
  FROM (SELECT ref, ay * bz - az * by AS nx, az * bx - ax * bz AS ny, ax * by - ay * bx AS nz
          FROM (VALUES
            ('UUID_ce16f7c0-28c3-463f-814b-1d923d9f35e3',
             1841515.683396 - 1841529.865945, 5175890.012413 - 5175888.997804, 207.784017 - 205.909017,
             1841528.841562 - 1841516.644403, 5175885.705994 - 5175893.109055, 207.784017 - 205.917350),
            ('UUID_97d3ad9a-f019-49f5-9423-999eeb2464cd',
             1841514.701614 - 1841528.841562, 5175886.848826 - 5175885.705994, 205.917350 - 207.784017,
             1841527.923458 - 1841515.683396, 5175882.755708 - 5175890.012413, 205.917350 - 207.784017))
               v(ref, ax, ay, az, bx, by, bz)) n;
-- those are grid azimuths of CC46 (EPSG:3946); the surfaces' azimuths are true
-- ones (docs/cadastre.md): plus the convergence of a Lambert conformal conic,
-- (lon - lon0) n with lon0 = 3 E and n ~ sin(46 deg) for CC46 (Snyder 1987,
-- eq. 14-9; the secant cone's n is within 0.001 of it): 1.31 deg at the house
ALTER TABLE hand ADD COLUMN true_azimuth float8;
UPDATE hand SET true_azimuth = azimuth + (ST_X(ST_Transform(ST_SetSRID(ST_MakePoint(1841520, 5175887), 3946), 4326)) - 3) * sin(radians(46));
SELECT round((true_azimuth - azimuth)::numeric, 2) AS cc46_convergence FROM hand LIMIT 1;
SELECT h.ref, round(h.tilt::numeric, 2) AS hand_tilt, round(h.azimuth::numeric, 2) AS hand_azimuth,
       abs(s.tilt - h.tilt) < 0.05 AS tilt_ok, abs(s.azimuth - h.true_azimuth) < 0.05 AS azimuth_ok,
       round(s.planarity_m::numeric, 3) AS planarity_m, round(s.area_m2::numeric, 1) AS area_m2
  FROM hand h JOIN city_cc46.city_surface s ON s.surface_ref = h.ref ORDER BY h.ref;
SELECT semantic_type, count(*), round(min(tilt)::numeric, 1) AS min_tilt, round(max(tilt)::numeric, 1) AS max_tilt
  FROM city_cc46.city_surface GROUP BY 1 ORDER BY 1;
-- the same file into the Lambert-93 hub: PROJ in the core, checked against
-- PostGIS's ST_Transform of the first vertex of roof 1; the planes within
-- 0.05 deg of the hand values (true azimuths: each projection's grid
-- azimuth plus its own convergence)
SELECT s ->> 'transformation' AS transformation, s -> 'surfaces' AS surfaces
  FROM docs, smartregion.import_citygml(lyon, 'city_t', '{"srid": 3946}') s;
SELECT ST_Distance(ST_PointN(ST_ExteriorRing(s.geom), 1),
                   ST_Transform(ST_SetSRID(ST_MakePoint(1841529.865945, 5175888.997804, 205.909017), 3946), 2154)) < 1e-6
         AS same_as_st_transform,
       abs(ST_Z(ST_PointN(ST_ExteriorRing(s.geom), 1)) - 205.909017) < 1e-9 AS z_kept,
       abs(s.tilt - h.tilt) < 0.05 AS tilt_ok, abs(s.azimuth - h.true_azimuth) < 0.05 AS azimuth_ok
  FROM city_t.city_surface s JOIN hand h ON h.ref = s.surface_ref
 WHERE s.surface_ref = 'UUID_ce16f7c0-28c3-463f-814b-1d923d9f35e3';
SELECT abs(s.tilt - h.tilt) < 0.05 AS tilt_ok, abs(s.azimuth - h.true_azimuth) < 0.05 AS azimuth_ok
  FROM city_t.city_surface s JOIN hand h ON h.ref = s.surface_ref
 WHERE s.surface_ref = 'UUID_97d3ad9a-f019-49f5-9423-999eeb2464cd';

-- ---------------------------------------------------------------------------
-- documents built here: geometry templates, several LoDs, the CRS rules,
-- invalid rings, replacing objects
CREATE TEMP TABLE mine AS SELECT $j${
  "type": "CityJSON", "version": "2.0",
  "transform": {"scale": [0.01, 0.01, 0.01], "translate": [842000, 6519000, 170]},
  "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/2154"},
  "CityObjects": {
    "tree-1": {"type": "SolitaryVegetationObject", "geometry": [
      {"type": "GeometryInstance", "template": 0, "boundaries": [4],
       "transformationMatrix": [1,0,0,0, 0,1,0,0, 0,0,2,0, 0,0,0,1]}]},
    "shed": {"type": "Building", "attributes": {"use": "storage"}, "geometry": [
      {"type": "MultiSurface", "lod": "1", "boundaries": [[[0,1,2,3]]]},
      {"type": "MultiSurface", "lod": "2.2", "boundaries": [[[0,1,2,3]], [[0,1,1]], [[0,1,2,3],[5,6,7]]],
       "semantics": {"surfaces": [{"type": "RoofSurface"}], "values": [0, null, 0]}}]}
  },
  "geometry-templates": {"templates": [
      {"type": "MultiSurface", "lod": "2", "boundaries": [[[0,1,2]]]}],
    "vertices-templates": [[0,0,0],[1,0,0],[0,1,1]]},
  "vertices": [[0,0,300],[1000,0,300],[1000,1000,300],[0,1000,300],[2000,2000,0],
               [200,200,300],[400,200,300],[600,200,300]]
}$j$::jsonb AS j;
SELECT s -> 'objects' AS objects, s -> 'surfaces_by_type' AS surfaces, s -> 'skipped_by_reason' AS skipped
  FROM mine, smartregion.import_cityjson(j, 'city_t', '{"source": "mine"}') s;
SELECT o.id, o.type, o.lod, o.attributes, s.semantic_type, round(s.area_m2::numeric, 4) AS area_m2,
       round(s.tilt::numeric, 4) AS tilt, ST_NRings(s.geom) AS rings, ST_AsText(ST_PointN(ST_ExteriorRing(s.geom), 3)) AS third_point
  FROM city_t.city_object o JOIN city_t.city_surface s ON s.object_id = o.id
 WHERE o.source = 'mine' ORDER BY o.id, s.id;
-- semantic values without a "surfaces" array (CityJSON requires both): the surfaces are
-- imported without a type and the geometry is reported, as the other semantic problems are
-- (they lost their types silently)
SELECT s -> 'surfaces_by_type' AS surfaces, s -> 'skipped_items' AS skipped
  FROM smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "transform": {"scale": [0.01, 0.01, 0.01], "translate": [842000, 6519000, 170]},
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {"nosurf": {"type": "Building", "geometry": [{"type": "MultiSurface", "lod": "2",
    "boundaries": [[[0,1,2,3]], [[0,3,2,1]]], "semantics": {"values": [0, 0]}}]}},
  "vertices": [[0,0,300],[1000,0,300],[1000,1000,300],[0,1000,300]]}$j$::jsonb, 'city_t', '{"source": "nosurf"}') s;
DELETE FROM city_t.city_object WHERE source = 'nosurf';
-- the LoD option, and an object already there
SELECT s -> 'surfaces' AS surfaces, s -> 'skipped_by_reason' AS skipped
  FROM mine, smartregion.import_cityjson(j, 'city_t', '{"lod": 1, "replace": true, "source": "mine"}') s;
SELECT id, lod FROM city_t.city_object WHERE source = 'mine' ORDER BY id;
-- a geometry without a LoD, or with a LoD that is not a number, is never chosen: each is
-- reported (it said "no geometry at LoD -1 (the object has LoD none)", naming no LoD the user
-- asked for); an object that also has a LoD 2 geometry gets it
SELECT s -> 'surfaces' AS surfaces, s -> 'skipped_items' AS skipped
  FROM smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
    "transform": {"scale": [1, 1, 1], "translate": [842000, 6519100, 170]},
    "metadata": {"referenceSystem": "EPSG:2154"},
    "CityObjects": {"nolod": {"type": "Building", "geometry": [
        {"type": "MultiSurface", "lod": "two", "boundaries": [[[0, 1, 2]]]},
        {"type": "MultiSurface", "boundaries": [[[0, 1, 2]]]},
        {"type": "MultiSurface", "lod": "2", "boundaries": [[[0, 2, 1]]]}]}},
    "vertices": [[0, 0, 0], [10, 0, 0], [10, 10, 5]]}$j$, 'city_t', '{"source": "nolod"}') s;
SELECT id, lod FROM city_t.city_object WHERE source = 'nolod';

-- ---------------------------------------------------------------------------
-- the cadastre on the Dutch subset: a row per RoofSurface (clear-sky year at
-- Rotterdam: the upper bound of any weather year there)
CREATE TEMP TABLE nl_sky AS
SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.47, 51.92, 0), 4326)) AS s;
CREATE TEMP TABLE nl_cad AS
SELECT c.* FROM nl_sky, smartregion.solar_cadastre(
  'SELECT id, geom, semantic_type AS surface_type FROM city_nl.city_surface', s) c;
SELECT count(*) AS rows, count(DISTINCT building_id) AS faces,
       count(*) = (SELECT count(*) FROM city_nl.city_surface WHERE semantic_type = 'RoofSurface') AS a_row_per_roofsurface,
       bool_and(building_id IN (SELECT id FROM city_nl.city_surface WHERE semantic_type = 'RoofSurface')) AS only_roofsurfaces,
       bool_and(face = 1) AS face_1,
       bool_and(annual_kwh_m2 <= (smartregion.surface_irradiation(s, tilt, azimuth)).annual_kwh_m2 + 1e-9) AS never_above_unshaded,
       count(*) FILTER (WHERE shading_loss_pct > 1) > 0 AS some_shaded
  FROM nl_cad, nl_sky;
-- over their area (sampling "area"): the city model's roof faces sampled too, its 3D
-- polygons cast as they are (the hand-worked checks are test_roofarea.c's city rows): the
-- same faces, each with its cells, never above the unshaded plane, the areas nested and the
-- percentiles in order; on the faces shaded by more than 5 %, the area's mean is not the
-- single point's
CREATE TEMP TABLE nl_area AS
SELECT c.* FROM nl_sky, smartregion.solar_cadastre(
  'SELECT id, geom, semantic_type AS surface_type FROM city_nl.city_surface', s, '{"sampling": "area"}') c;
SELECT count(*) = (SELECT count(*) FROM nl_cad) AS same_faces,
       bool_and(a.samples >= 1 AND a.sunny_area_m2 IS NOT NULL) AS sampled,
       bool_and(a.annual_kwh_m2 <= (smartregion.surface_irradiation(s, a.tilt, a.azimuth)).annual_kwh_m2 * (1 + 1e-4)) AS never_above_unshaded,
       bool_and(a.sunny_area_m2 <= a.usable_area_m2 + 1e-9 AND a.usable_area_m2 <= a.area_m2 + 1e-9) AS areas_nested,
       bool_and(a.p10_kwh_m2 <= a.p50_kwh_m2 AND a.p50_kwh_m2 <= a.p90_kwh_m2) AS percentiles_ordered,
       count(*) FILTER (WHERE a.shading_loss_pct > 5 AND abs(p.annual_kwh_m2 / a.annual_kwh_m2 - 1) > 0.01) > 0 AS point_differs_on_shaded
  FROM nl_area a JOIN nl_cad p USING (building_id, face), nl_sky;
-- with the walls (option faces): every WallSurface too, facing out, as
-- imported: both azimuths are true ones, the cadastre's turned by the
-- convergence at the centre of the call's box, the import's by the one at
-- its object (grid_convergence: -0.86 deg in Den Haag, -0.72 in Rotterdam in
-- RD New), so they differ by the difference of the two, within the 0.01 deg
-- of their rounding
SELECT count(*) FILTER (WHERE c.tilt > 80) AS wall_rows,
       count(*) FILTER (WHERE c.tilt > 80) = (SELECT count(*) FROM city_nl.city_surface WHERE semantic_type = 'WallSurface') AS a_row_per_wall,
       bool_and(abs(((c.azimuth - s.azimuth - (g.g - smartregion.grid_convergence(ST_Centroid(s.geom))) + 540)::numeric % 360) - 180) < 0.0101
                OR c.tilt <= 80) AS walls_face_as_imported
  FROM (SELECT smartregion.grid_convergence(ST_SetSRID(ST_Centroid(ST_Extent(geom)::geometry), 28992)) AS g
          FROM city_nl.city_surface) g,
       nl_sky, smartregion.solar_cadastre(
    'SELECT id, geom, semantic_type AS surface_type FROM city_nl.city_surface', nl_sky.s, '{"faces": "both"}') c
  JOIN city_nl.city_surface s ON s.id = c.building_id;

-- party walls: a wall at least 95 % against other polygons face to face
-- (coplanar within 5 cm, normals opposite within 2 deg) gets no sun, no
-- usable area and no PV. Counted independently from the two files by
-- scripts/party-walls.py (numpy, every other polygon of the file, the
-- covered area clipped exactly): Rotterdam none of its 179 walls (its
-- closest opposite walls lie 11 cm apart); Den Haag 7 of 48 (13 touched),
-- its BuildingParts against each other: 13974D93_2 1, _3 3, 8CE54418_2 1,
-- DBDABF53_1 1, _3 1, each covered whole. Until 2026-12-07 such walls saw the
-- sky over the neighbour's far side and got sun; from then until the rule
-- of the exposed part, a wall at least half covered was one (8, 13974D93_1's
-- 92 % covered wall among them).
WITH w AS (
  SELECT o.source, regexp_replace(o.id, '^GUID_(.{8}).*(_[0-9])$', '\1\2') AS object,
         c.annual_kwh_m2 = 0 AND c.shading_loss_pct = 100 AND c.usable_area_m2 = 0 AND c.pv_kwh_year = 0 AS party
    FROM nl_sky, smartregion.solar_cadastre(
      'SELECT id, geom, semantic_type AS surface_type FROM city_nl.city_surface', nl_sky.s, '{"faces": "wall"}') c
    JOIN city_nl.city_surface s ON s.id = c.building_id
    JOIN city_nl.city_object o ON o.id = s.object_id)
SELECT source, object, count(*) AS walls, count(*) FILTER (WHERE party) AS party_walls
  FROM w GROUP BY ROLLUP (source, object)
HAVING count(*) FILTER (WHERE party) > 0 OR grouping(object) = 1
 ORDER BY 1, 2;

-- walls partly covered: their exposed part only. The exposed area (area_m2)
-- of each wall covered in part, against scripts/party-walls.py (numpy, the
-- wall minus the others in its plane integrated exactly over slabs, no
-- clipping library): 'object, the wall's area, its exposed area' as the
-- script prints them (/usr/bin/python3 scripts/party-walls.py
-- data/city3d/DH_01_subs.city.json), to 1e-3 m2; the wall's sun and usable
-- area are its exposed part's. Until 2026-12-07 these walls kept their
-- whole area (28-46 % covered) or got nothing (13974D93_1's, 92 %).
WITH want(object, area, exposed, covered) AS (VALUES
    ('8CE54418_1', 43.674530, 31.269485, 0.284034),
    ('13974D93_1', 29.153101,  2.429425, 0.916667),
    ('DBDABF53_2', 26.536037, 17.012294, 0.358898),
    ('13974D93_2', 13.832193,  7.381781, 0.466333),
    ('13974D93_2',  8.660053,  4.621582, 0.466333),
    ('13974D93_2', 13.164649,  7.025535, 0.466333)),
got AS (
  SELECT regexp_replace(o.id, '^GUID_(.{8}).*(_[0-9])$', '\1\2') AS object,
         s.area_m2 AS area, c.area_m2 AS exposed, c.usable_area_m2, c.annual_kwh_m2, c.shading_loss_pct
    FROM nl_sky, smartregion.solar_cadastre(
      'SELECT id, geom, semantic_type AS surface_type FROM city_nl.city_surface', nl_sky.s, '{"faces": "wall"}') c
    JOIN city_nl.city_surface s ON s.id = c.building_id
    JOIN city_nl.city_object o ON o.id = s.object_id
   WHERE c.area_m2 > 0 AND c.area_m2 < s.area_m2 - 1e-6)
SELECT coalesce(w.object, g.object) AS object, round(w.area, 2) AS area,
       round(w.covered, 3) AS covered, round(w.exposed, 3) AS exposed,
       abs(g.exposed - w.exposed) < 1e-3 AS exposed_within_1e_3,
       g.usable_area_m2 <= g.exposed AS usable_within,
       g.annual_kwh_m2 > 0 AS sunny
  FROM want w FULL JOIN got g ON g.object = w.object AND abs(g.area - w.area) < 0.01
 ORDER BY 1, 2;

-- how many exposed pieces the partly covered walls have (a wall in more than
-- SR_PARTY_MAX_PIECES = 4 is computed on its four largest): counted by
-- PostGIS, independently of the core, each surface laid in the wall's plane
-- (Newell normal of its exterior ring; u level along the wall, v = z), the
-- coplanar (5 cm) opposite (2 deg) polygons' union taken out of it
-- (ST_Difference), the pieces of at least 1e-6 m2 counted (ST_Dump); with
-- viewpoints 1 the cadastre's samples are the pieces it computes. Rotterdam
-- has no wall touched among its 179; Den Haag 13 among its 48, 6 partly
-- covered, in 1 or 2 pieces: no wall of either file has more than 4.
SET client_min_messages = warning;
CREATE TEMP TABLE nl_nrm AS
SELECT id, o, ARRAY[n[1] / sqrt(n[1]^2 + n[2]^2 + n[3]^2), n[2] / sqrt(n[1]^2 + n[2]^2 + n[3]^2),
                    n[3] / sqrt(n[1]^2 + n[2]^2 + n[3]^2)] AS n, semantic_type, geom
  FROM (SELECT s.id, s.semantic_type, s.geom,
               ARRAY[ST_X(ST_PointN(ST_ExteriorRing(s.geom), 1)), ST_Y(ST_PointN(ST_ExteriorRing(s.geom), 1)),
                     ST_Z(ST_PointN(ST_ExteriorRing(s.geom), 1))] AS o,
               (SELECT ARRAY[sum((ST_Y(a) - ST_Y(b)) * (ST_Z(a) + ST_Z(b))), sum((ST_Z(a) - ST_Z(b)) * (ST_X(a) + ST_X(b))),
                             sum((ST_X(a) - ST_X(b)) * (ST_Y(a) + ST_Y(b)))]
                  FROM generate_series(1, ST_NPoints(ST_ExteriorRing(s.geom)) - 1) i,
                       LATERAL (SELECT ST_PointN(ST_ExteriorRing(s.geom), i) a, ST_PointN(ST_ExteriorRing(s.geom), i + 1) b) p) AS n
          FROM city_nl.city_surface s) t;
CREATE FUNCTION pg_temp.inplane(g geometry, o float8[], n float8[]) RETURNS geometry LANGUAGE sql IMMUTABLE AS $$
  SELECT ST_MakeValid(ST_Force2D(ST_Affine(ST_Translate(g, -o[1], -o[2], -o[3]),
    n[2] / sqrt(n[1]^2 + n[2]^2), -n[1] / sqrt(n[1]^2 + n[2]^2), 0,  0, 0, 1,  0, 0, 1,  0, 0, 0)))
$$;
CREATE TEMP TABLE nl_exposed AS
SELECT w.id, ST_Area(pg_temp.inplane(w.geom, w.o, w.n)) AS aw,
       ST_Difference(pg_temp.inplane(w.geom, w.o, w.n), ST_Union(pg_temp.inplane(q.geom, w.o, w.n))) AS e
  FROM nl_nrm w JOIN nl_nrm q ON q.id <> w.id AND ST_3DDWithin(w.geom, q.geom, 0.05)
   AND w.n[1] * q.n[1] + w.n[2] * q.n[2] + w.n[3] * q.n[3] < -cos(radians(2))
   AND (SELECT bool_and(abs((ST_X(d.geom) - w.o[1]) * w.n[1] + (ST_Y(d.geom) - w.o[2]) * w.n[2]
                            + (ST_Z(d.geom) - w.o[3]) * w.n[3]) <= 0.05)
          FROM ST_DumpPoints(ST_ExteriorRing(q.geom)) d)
 WHERE w.semantic_type = 'WallSurface'
 GROUP BY w.id, w.geom, w.o, w.n;
CREATE TEMP TABLE nl_vp1 AS
SELECT c.building_id, c.samples FROM nl_sky, smartregion.solar_cadastre(
  'SELECT id, geom, semantic_type AS surface_type FROM city_nl.city_surface', nl_sky.s, '{"faces": "wall"}') c;
SET client_min_messages = notice;
SELECT o.source, count(*) AS walls, count(x.id) AS touched,
       count(x.id) FILTER (WHERE ST_Area(x.e) > 1e-6 AND 1 - ST_Area(x.e) / x.aw BETWEEN 1e-6 AND 0.95) AS partly_covered,
       count(x.id) FILTER (WHERE (SELECT count(*) FROM ST_Dump(x.e) d WHERE ST_Area(d.geom) >= 1e-6) > 4
                                 AND 1 - ST_Area(x.e) / x.aw < 0.95) AS over_4_pieces
  FROM city_nl.city_surface s JOIN city_nl.city_object o ON o.id = s.object_id
  LEFT JOIN nl_exposed x ON x.id = s.id
 WHERE s.semantic_type = 'WallSurface' GROUP BY 1 ORDER BY 1;
SELECT regexp_replace(o.id, '^GUID_(.{8}).*(_[0-9])$', '\1\2') AS object, round(s.area_m2::numeric, 2) AS area,
       p.pieces, v.samples = p.pieces AS cadastre_pieces_same
  FROM nl_exposed x JOIN city_nl.city_surface s ON s.id = x.id JOIN city_nl.city_object o ON o.id = s.object_id
  JOIN nl_vp1 v ON v.building_id = x.id,
       LATERAL (SELECT count(*) AS pieces FROM ST_Dump(x.e) d WHERE ST_Area(d.geom) >= 1e-6) p
 WHERE ST_Area(x.e) > 1e-6 AND 1 - ST_Area(x.e) / x.aw BETWEEN 1e-6 AND 0.95
 ORDER BY 1, 2;
DROP TABLE nl_nrm, nl_exposed, nl_vp1;

-- a neighbour's wall given alone: the query of one BuildingPart's district,
-- the surfaces whose vertices lie within its footprint's outline 10 cm
-- wider (ST_Within of ST_Points: GEOS's ST_Within of an upright polygon,
-- flat in plan, depends on its prepared-geometry cache), keeps its own surfaces
-- and, of its neighbours, only the walls along that outline (their roofs,
-- grounds and other walls reach out of it). Without an object_id column,
-- nothing of the neighbour stands in front of the part's wall (the back of
-- a wall of no thickness, for the cadastre): the wall keeps its whole area
-- (the 2026-12-07 limit). With object_id, the neighbour's wall is a face of
-- its object's solid and covers as the whole model's neighbour does: the
-- exposed areas of scripts/party-walls.py on the whole file (above, to
-- 1e-3 m2). The three parts whose covering walls all lie along their own
-- outline (13974D93_2's and _3's neighbours' walls reach past theirs).
SELECT s.semantic_type, count(*) AS neighbours_surfaces
  FROM city_nl.city_surface s, city_nl.city_object x
 WHERE x.id = 'GUID_8CE54418-E2F7-49A7-9A8D-C3D172BA62C4_1' AND s.object_id <> x.id
   AND ST_Within(ST_Points(s.geom), ST_Buffer(x.footprint, 0.1))
 GROUP BY 1 ORDER BY 1;
SET client_min_messages = warning;
WITH want(object, area, exposed) AS (VALUES
    ('8CE54418_1', 43.674530, 31.269485),
    ('13974D93_1', 29.153101,  2.429425),
    ('DBDABF53_2', 26.536037, 17.012294)),
got AS (
  SELECT regexp_replace(x.id, '^GUID_(.{8}).*(_[0-9])$', '\1\2') AS object, q.ids,
         s.area_m2 AS area, c.area_m2 AS exposed, c.annual_kwh_m2
    FROM city_nl.city_object x, (VALUES (false), (true)) q(ids), nl_sky,
         smartregion.solar_cadastre(format(
           'SELECT s.id, s.geom, s.semantic_type AS surface_type%s FROM city_nl.city_surface s
             WHERE ST_Within(ST_Points(s.geom), (SELECT ST_Buffer(footprint, 0.1) FROM city_nl.city_object WHERE id = %L))',
           CASE WHEN q.ids THEN ', s.object_id' ELSE '' END, x.id), nl_sky.s, '{"faces": "wall"}') c
    JOIN city_nl.city_surface s ON s.id = c.building_id
   WHERE s.object_id = x.id
     AND regexp_replace(x.id, '^GUID_(.{8}).*(_[0-9])$', '\1\2') IN ('8CE54418_1', '13974D93_1', 'DBDABF53_2'))
SELECT w.object, round(w.area, 2) AS area, round(w.exposed, 3) AS exposed,
       round(n.exposed::numeric, 2) AS without_object_id, abs(n.exposed - w.area) < 1e-3 AS without_whole,
       abs(i.exposed - w.exposed) < 1e-3 AS with_object_id_within_1e_3, i.annual_kwh_m2 > 0 AS sunny
  FROM want w
  JOIN got n ON n.object = w.object AND NOT n.ids AND abs(n.area - w.area) < 0.01
  JOIN got i ON i.object = w.object AND i.ids AND abs(i.area - w.area) < 0.01
 ORDER BY 1;
-- and on the whole files, where every neighbour's solid is in the query,
-- object_id changes nothing: roofs and walls, bit for bit
WITH a AS (
  SELECT c.* FROM nl_sky, smartregion.solar_cadastre(
    'SELECT id, geom, semantic_type AS surface_type FROM city_nl.city_surface', nl_sky.s, '{"faces": "both"}') c),
b AS (
  SELECT c.* FROM nl_sky, smartregion.solar_cadastre(
    'SELECT id, geom, semantic_type AS surface_type, object_id FROM city_nl.city_surface', nl_sky.s, '{"faces": "both"}') c)
SELECT (SELECT count(*) FROM a) AS faces, (SELECT count(*) FROM b) AS faces_with_object_id,
       (SELECT count(*) FROM (SELECT * FROM a EXCEPT ALL SELECT * FROM b) x) AS differing;
SET client_min_messages = notice;

-- a wall of no thickness modelled with both its sides (one Building, two
-- WallSurfaces: the same 10 m x 3 m rectangle in one plane, one facing south,
-- one north): nothing stands in front of either, so neither covers the other
-- (the back of one is the back of the other); each is a whole wall: area
-- 10 x 3 = 30 m2, usable 30 - P s + 4 s2 = 30 - 26 x 0.5 + 4 x 0.25 = 18 m2
-- (setback 0.5 m), sunny, with no obstacle in front (loss under 1 %; a
-- clear-sky year at Lyon). Until
-- 2026-12-07 they covered each other: two party walls, 0 m2 and no sun.
SET client_min_messages = warning;
SELECT s -> 'surfaces_by_type' AS surfaces FROM smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "transform": {"scale": [0.01, 0.01, 0.01], "translate": [842000, 6519500, 170]},
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {"thin_wall": {"type": "Building", "geometry": [{"type": "MultiSurface", "lod": "2",
    "boundaries": [[[0,1,2,3]], [[0,3,2,1]]],
    "semantics": {"surfaces": [{"type": "WallSurface"}], "values": [0, 0]}}]}},
  "vertices": [[0,0,0],[1000,0,0],[1000,0,300],[0,0,300]]}$j$::jsonb, 'city_t', '{"source": "thin_wall"}') s;
SELECT CASE WHEN c.azimuth BETWEEN 90 AND 270 THEN 'south' ELSE 'north' END AS facing,
       round(c.area_m2::numeric, 2) AS area_m2, round(c.usable_area_m2::numeric, 2) AS usable_area_m2,
       c.annual_kwh_m2 > 0 AS sunny, c.shading_loss_pct < 1 AS loss_under_1_pct
  FROM smartregion.solar_cadastre(
    'SELECT s.id, s.geom, s.semantic_type AS surface_type FROM city_t.city_surface s
       JOIN city_t.city_object o ON o.id = s.object_id WHERE o.source = ''thin_wall''',
       smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.83, 45.76, 0), 4326)), '{"faces": "wall"}') c
 ORDER BY 1;
DELETE FROM city_t.city_object WHERE source = 'thin_wall';
-- a neighbour's party wall given in strips, its roof and ground not split
-- (T-junctions): two Buildings side by side, 10 m cubes, strips_a x 0..10
-- and strips_b x 10..20 (y 0..10, z 0..10, Lambert-93 near Lyon); b's west
-- wall in three strips, y 10..7, 7..3 and 3..0, whose middle one shares no
-- vertex with b's roof, ground or side walls. a's east wall is covered whole
-- by them (a party wall: 0 m2, no sun), and so is each strip by a's wall;
-- the other walls are whole: 10 x 10 = 100 m2, usable (10 - 1)(10 - 1) = 81
-- m2 (setback 0.5 m), sunny. Until 2026-12-07 the middle strip, nothing of
-- its own in front of a's wall, was taken for the back of a wall of no
-- thickness: a's east wall 0.6 covered kept 40 m2 and saw the sky through b.
SELECT s -> 'surfaces_by_type' AS surfaces FROM smartregion.import_cityjson($j${"type": "CityJSON", "version": "2.0",
  "transform": {"scale": [0.01, 0.01, 0.01], "translate": [842100, 6519500, 170]},
  "metadata": {"referenceSystem": "EPSG:2154"},
  "CityObjects": {
    "strips_a": {"type": "Building", "geometry": [{"type": "MultiSurface", "lod": "2",
      "boundaries": [[[0,3,2,1]], [[4,5,6,7]], [[0,1,5,4]], [[1,2,6,5]], [[2,3,7,6]], [[3,0,4,7]]],
      "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}, {"type": "WallSurface"}],
                    "values": [0, 1, 2, 2, 2, 2]}}]},
    "strips_b": {"type": "Building", "geometry": [{"type": "MultiSurface", "lod": "2",
      "boundaries": [[[1,2,9,8]], [[5,11,10,6]], [[1,8,11,5]], [[8,9,10,11]], [[9,2,6,10]],
                     [[2,12,13,6]], [[12,14,15,13]], [[14,1,5,15]]],
      "semantics": {"surfaces": [{"type": "GroundSurface"}, {"type": "RoofSurface"}, {"type": "WallSurface"}],
                    "values": [0, 1, 2, 2, 2, 2, 2, 2]}}]}},
  "vertices": [[0,0,0],[1000,0,0],[1000,1000,0],[0,1000,0],[0,0,1000],[1000,0,1000],[1000,1000,1000],[0,1000,1000],
               [2000,0,0],[2000,1000,0],[2000,1000,1000],[2000,0,1000],
               [1000,700,0],[1000,700,1000],[1000,300,0],[1000,300,1000]]}$j$::jsonb, 'city_t', '{"source": "strips"}') s;
SELECT o.id AS object,
       CASE WHEN c.azimuth BETWEEN 45 AND 135 THEN 'east' WHEN c.azimuth BETWEEN 135 AND 225 THEN 'south'
            WHEN c.azimuth BETWEEN 225 AND 315 THEN 'west' ELSE 'north' END AS facing,
       count(*) AS walls, round(sum(c.area_m2)::numeric, 2) AS area_m2,
       round(sum(c.usable_area_m2)::numeric, 2) AS usable_area_m2, bool_and(c.annual_kwh_m2 > 0) AS sunny
  FROM smartregion.solar_cadastre(
    'SELECT s.id, s.geom, s.semantic_type AS surface_type FROM city_t.city_surface s
       JOIN city_t.city_object o ON o.id = s.object_id WHERE o.source = ''strips''',
       smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.83, 45.76, 0), 4326)), '{"faces": "wall"}') c
  JOIN city_t.city_surface s ON s.id = c.building_id
  JOIN city_t.city_object o ON o.id = s.object_id
 GROUP BY 1, 2 ORDER BY 1, 2;
DELETE FROM city_t.city_object WHERE source = 'strips';
SET client_min_messages = notice;

-- ---------------------------------------------------------------------------
-- a gable roof next to a taller block (Lambert-93, near Lyon): every
-- surface a row; the south roof's horizon against closed forms, and its
-- irradiation under that horizon
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TEMP TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;
CREATE TEMP TABLE gable (id bigint, geom geometry, surface_type text);
INSERT INTO gable
SELECT id, ST_Translate(ST_SetSRID(ST_GeomFromText(wkt), 2154), 842000, 6519000), t FROM (VALUES
  (1, 'POLYGON Z ((0 0 3, 10 0 3, 10 4 6, 0 4 6, 0 0 3))', 'RoofSurface'),
  (2, 'POLYGON Z ((0 4 6, 10 4 6, 10 8 3, 0 8 3, 0 4 6))', 'RoofSurface'),
  (3, 'POLYGON Z ((0 0 0, 10 0 0, 10 0 3, 0 0 3, 0 0 0))', 'WallSurface'),
  (4, 'POLYGON Z ((10 8 0, 0 8 0, 0 8 3, 10 8 3, 10 8 0))', 'WallSurface'),
  (5, 'POLYGON Z ((0 8 0, 0 0 0, 0 0 3, 0 4 6, 0 8 3, 0 8 0))', 'WallSurface'),
  (6, 'POLYGON Z ((10 0 0, 10 8 0, 10 8 3, 10 4 6, 10 0 3, 10 0 0))', 'WallSurface'),
  (7, 'POLYGON Z ((0 0 0, 0 8 0, 10 8 0, 10 0 0, 0 0 0))', 'GroundSurface'),
  (11, 'POLYGON Z ((30 -12 0, -20 -12 0, -20 -12 15, 30 -12 15, 30 -12 0))', 'WallSurface'),
  (12, 'POLYGON Z ((-20 -20 0, 30 -20 0, 30 -20 15, -20 -20 15, -20 -20 0))', 'WallSurface'),
  (13, 'POLYGON Z ((-20 -12 0, -20 -20 0, -20 -20 15, -20 -12 15, -20 -12 0))', 'WallSurface'),
  (14, 'POLYGON Z ((30 -20 0, 30 -12 0, 30 -12 15, 30 -20 15, 30 -20 0))', 'WallSurface'),
  (15, 'POLYGON Z ((-20 -20 15, 30 -20 15, 30 -12 15, -20 -12 15, -20 -20 15))', 'RoofSurface')) v(id, wkt, t);
-- the south roof's horizon from its centre (5, 2, 4.5): south, the block's
-- north wall top (15 m, 14 m away): atan(10.5 cos phi / 14); north, its own
-- ridge (6 m, 2 m away): atan(0.75 cos phi); phi the sector's direction
-- nearest to grid south (north).  The sectors are true ones: grid south is
-- at true azimuth 180 + g, g Lambert-93's convergence here, (lon - 3) x
-- 0.7256077650 rounded to 0.01 deg (Snyder 1987, eq. 14-9): 1.33
CREATE TEMP TABLE gconv AS
SELECT round(((ST_X(ST_Transform('SRID=2154;POINT(842005 6519002)'::geometry, 4326)) - 3) * 0.7256077650)::numeric, 2)::float8 AS g;
SELECT g FROM gconv;
CREATE TEMP TABLE gh AS
SELECT smartregion.horizon_at(ST_SetSRID(ST_MakePoint(842005, 6519002, 4.5), 2154),
         'SELECT id, geom, surface_type FROM gable', 300, 72) AS h3d,
       smartregion.horizon_at(ST_SetSRID(ST_MakePoint(842005, 6519002, 4.5), 2154),
         'SELECT id, geom FROM gable', 300, 72) AS hprism;
SELECT bool_and(abs(e - degrees(atan(10.5 * cos(radians(greatest(0, abs(k * 5 - (180 + g)) - 2.5))) / 14))) < 1e-4)
         FILTER (WHERE abs(k * 5 - 180) <= 55) AS south_block_wall,
       bool_and(abs(e - degrees(atan(0.75 * cos(radians(greatest(0, abs(((k * 5 + 180 - g + 360)::numeric % 360)::float8 - 180) - 2.5)))))) < 1e-4)
         FILTER (WHERE abs(mod(k * 5 + 180, 360) - 180) <= 60) AS north_own_ridge
  FROM gh, gconv, unnest(smartregion.horizon_elevations(h3d)) WITH ORDINALITY u(e, k1), LATERAL (SELECT k1 - 1 AS k) kk;
-- a wall shades as a wall, not as a prism: due west, the west gable's top
-- edge is the roof's own edge: the sector 267.5-272.5 (true) is at grid
-- azimuths th up to 272.5 - g, where the ray meets the gable (x = 0, 5 m
-- west) at y = 2 - 5 cos th / sin th, the edge's top z = 3 + 0.75 y: 0.9
-- deg (1.9 with the grid's sector); as a prism up to its ridge (6 m, 5 m
-- away) it would stand at atan(1.5 / 5) = 16.7 deg
SELECT round(smartregion.horizon_elevation(h3d, 270)::numeric, 1) AS west_3d,
       round(degrees(atan((3 + 0.75 * (2 - 5 * cos(radians(272.5 - g)) / sin(radians(272.5 - g))) - 4.5)
                          / (-5 / sin(radians(272.5 - g)))))::numeric, 1) AS want_west_3d,
       round(smartregion.horizon_elevation(hprism, 270)::numeric, 1) AS west_prism
  FROM gh, gconv;
CREATE TEMP TABLE gcad AS
SELECT c.* FROM sky, smartregion.solar_cadastre('SELECT id, geom, surface_type FROM gable', s) c;
-- (true azimuths: the roofs look to grid south and north, 180 + g and g)
SELECT building_id, face, round(tilt::numeric, 4) AS tilt, round(azimuth::numeric, 4) AS azimuth,
       round(area_m2::numeric, 4) AS area_m2
  FROM gcad ORDER BY building_id;
-- the cadastre leaves the face's own polygon out; its horizon there is the
-- one horizon_at sees (which also sees the roof's own plane, the same)
SELECT abs(c.annual_kwh_m2 - (smartregion.surface_irradiation(s, c.tilt, c.azimuth, gh.h3d)).annual_kwh_m2) < 1e-6
         AS irradiation_under_that_horizon,
       c.annual_kwh_m2 > p.annual_kwh_m2 AS more_sun_than_with_prisms
  FROM gcad c, sky, gh,
       smartregion.solar_cadastre('SELECT id, geom FROM gable', s) p
 WHERE c.building_id = 1 AND p.building_id = 1 AND p.face = 1;

-- the Lyon house alone (no other building within 300 m in city_cc46), its
-- roofs and walls: a wall's viewpoints lie, in plan, under the edge its roof
-- shares with it, which closes only the sectors across the wall's own plane,
-- where a vertical plane sees almost no sky.  So every face gets within 1 %
-- of the same plane under an open horizon (surface_irradiation without a
-- horizon, the independent reference).  Before 2026-12-07 rounding noise
-- made that edge close a half-turn of sectors: 3 of the 4 walls got only the
-- ground's reflection (about 165 kWh/m2, 60 to 80 % lost).  (Azimuths: the
-- roofs' 17.73 and 197.66 deg by hand above, plus CC46's convergence here,
-- (lon - 3) x sin 46 deg = 1.31; the walls square to them, 90 deg apart.)
SELECT s2.semantic_type, round(c.azimuth::numeric) AS azimuth,
       c.annual_kwh_m2 >= 0.99 * (smartregion.surface_irradiation(s, c.tilt, c.azimuth)).annual_kwh_m2 AS open_sky,
       c.shading_loss_pct < 1 AS loss_under_1pct
  FROM sky, smartregion.solar_cadastre('SELECT id, geom, semantic_type AS surface_type FROM city_cc46.city_surface',
                                       s, '{"faces": "both", "viewpoints": 5}') c
  JOIN city_cc46.city_surface s2 ON s2.id = c.building_id
 ORDER BY 1, 2;

-- ---------------------------------------------------------------------------
-- planned projects: a 50 m tower in Lyon 1er (IGN BD TOPO buildings); the
-- impact equals two full solar_cadastre runs, without and with the tower
\set bj `zcat data/buildings/buildings_lyon1.geojson.gz`
CREATE TABLE lyon_b AS
SELECT substring(f->'properties'->>'ID' FROM '[0-9]+$')::bigint AS id,
       ST_SetSRID(ST_GeomFromGeoJSON(f->>'geometry'), 3946) AS geom,
       (f->'properties'->>'HAUTEUR')::float8 AS height,
       (f->'properties'->>'Z_MAX_TOIT')::float8 AS roof_z_max
  FROM json_array_elements((:'bj')::json->'features') f;
CREATE TABLE lyon_tower AS
SELECT 900000000001::bigint AS id, ST_SetSRID(ST_MakeEnvelope(1842000, 5175900, 1842020, 5175920), 3946) AS geom,
       50.0::float8 AS height, 170.0::float8 AS ground_z;
\set bsql 'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height, NULL::float8 AS ground_z FROM lyon_b'
\set psql 'SELECT id, geom, height, ground_z FROM lyon_tower'
-- (each face at one point, sampling "point": the whole of Lyon 1er twice;
-- the roofs over their area are checked below on the tower's surroundings)
CREATE TEMP TABLE impact AS
SELECT i.* FROM sky, smartregion.solar_impact(:'psql', :'bsql', s, '{"sampling": "point"}') i;
CREATE TEMP TABLE full0 AS SELECT c.* FROM sky, smartregion.solar_cadastre(:'bsql', s, '{"sampling": "point"}') c;
CREATE TEMP TABLE full1 AS SELECT c.* FROM sky, smartregion.solar_cadastre(:'bsql' || ' UNION ALL ' || :'psql', s, '{"sampling": "point"}') c;
SELECT count(*) FILTER (WHERE NOT is_project) > 10 AS neighbours_changed, count(*) FILTER (WHERE is_project) AS project_roofs,
       bool_and(is_project OR annual_kwh_m2_after <= annual_kwh_m2_before) AS never_more_sun,
       bool_and(is_project OR loss_kwh_year >= 0) AS losses_positive
  FROM impact;
-- the same values as the full runs, on every face they share
SELECT count(*) AS faces_compared,
       coalesce(max(abs(i.annual_kwh_m2_before - a.annual_kwh_m2)), 0) <= 1e-9 AS before_equal,
       coalesce(max(abs(i.annual_kwh_m2_after - b.annual_kwh_m2)), 0) <= 1e-9 AS after_equal,
       coalesce(max(abs(i.pv_kwh_year_before - a.pv_kwh_year)), 0) <= 1e-9 AS pv_before_equal,
       coalesce(max(abs(i.pv_kwh_year_after - b.pv_kwh_year)), 0) <= 1e-9 AS pv_after_equal,
       coalesce(max(abs(i.shading_loss_pct_after - b.shading_loss_pct)), 0) <= 1e-9 AS loss_after_equal
  FROM impact i JOIN full0 a USING (building_id, face) JOIN full1 b USING (building_id, face)
 WHERE NOT i.is_project;
-- every face the tower changes in the full runs is in the impact
SELECT count(*) AS changed_in_full_runs,
       count(*) FILTER (WHERE i.building_id IS NULL) AS missing_from_impact
  FROM full0 a JOIN full1 b USING (building_id, face)
  LEFT JOIN impact i ON i.building_id = a.building_id AND i.face = a.face AND NOT i.is_project
 WHERE a.annual_kwh_m2 <> b.annual_kwh_m2;
-- the tower's own roof, as the full run with it computes it
SELECT abs(i.annual_kwh_m2_after - b.annual_kwh_m2) <= 1e-9 AS project_roof_equal,
       i.annual_kwh_m2_before IS NULL AS no_before
  FROM impact i JOIN full1 b USING (building_id, face) WHERE i.is_project;
-- over the roofs' area (sampling "area"), on the buildings within 250 m of the
-- tower: the impact keeps every face whose area results change, with the
-- values of the two full runs
\set bsql2 'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height, NULL::float8 AS ground_z FROM lyon_b WHERE ST_DWithin(geom, ST_SetSRID(ST_MakePoint(1842010, 5175910), 3946), 250)'
CREATE TEMP TABLE impact_a AS
SELECT i.* FROM sky, smartregion.solar_impact(:'psql', :'bsql2', s, '{"sampling": "area"}') i;
CREATE TEMP TABLE full0_a AS SELECT c.* FROM sky, smartregion.solar_cadastre(:'bsql2', s, '{"sampling": "area"}') c;
CREATE TEMP TABLE full1_a AS SELECT c.* FROM sky, smartregion.solar_cadastre(:'bsql2' || ' UNION ALL ' || :'psql', s, '{"sampling": "area"}') c;
SELECT count(*) > 10 AS faces_compared,
       coalesce(max(abs(i.annual_kwh_m2_before - a.annual_kwh_m2)), 0) <= 1e-9 AS before_equal,
       coalesce(max(abs(i.annual_kwh_m2_after - b.annual_kwh_m2)), 0) <= 1e-9 AS after_equal,
       coalesce(max(abs(i.pv_kwh_year_after - b.pv_kwh_year)), 0) <= 1e-9 AS pv_after_equal
  FROM impact_a i JOIN full0_a a USING (building_id, face) JOIN full1_a b USING (building_id, face)
 WHERE NOT i.is_project;
SELECT count(*) > 10 AS changed_in_full_runs,
       count(*) FILTER (WHERE i.building_id IS NULL) AS missing_from_impact
  FROM full0_a a JOIN full1_a b USING (building_id, face)
  LEFT JOIN impact_a i ON i.building_id = a.building_id AND i.face = a.face AND NOT i.is_project
 WHERE a.annual_kwh_m2 <> b.annual_kwh_m2 OR a.sunny_area_m2 <> b.sunny_area_m2;

-- the hub: planned buildings, the impact stored, the cadastre as it will be (a hub in CC46,
-- the SRID of these buildings: its geometry columns are typed with it)
SET client_min_messages = warning;
SELECT count(*) > 0 AS created FROM smartregion.create_hub('city_t46', 3946);
SET client_min_messages = notice;
INSERT INTO city_t46.planned_building (name, status, geom, height, ground_z, start_date, completion_date)
VALUES ('Tour test', 'approved', ST_SetSRID(ST_MakeEnvelope(1842000, 5175900, 1842020, 5175920), 3946), 50, 170,
        '2027-01-01', '2029-06-30');
INSERT INTO city_t46.solar_roofs (building_id, face, geom, tilt, azimuth, area_m2, usable_area_m2, annual_kwh_m2,
                                monthly_kwh_m2, shading_loss_pct, pv_kwp, pv_kwh_year, potential_class)
SELECT building_id, face, geom, tilt, azimuth, area_m2, usable_area_m2, annual_kwh_m2, monthly_kwh_m2,
       shading_loss_pct, pv_kwp, pv_kwh_year, potential_class FROM full0;
INSERT INTO city_t46.solar_impact_roofs
SELECT i.* FROM sky, smartregion.solar_impact(
  'SELECT id, geom, height, ground_z FROM city_t46.planned_building WHERE status IN (''proposed'', ''approved'', ''under_construction'')',
  :'bsql', s, '{"sampling": "point"}') i;
SELECT count(*) = (SELECT count(*) FROM full1) AS same_faces_as_full_run,
       count(*) FILTER (WHERE changed) = (SELECT count(*) FROM impact) AS changed_faces,
       abs(sum(v.pv_kwh_year) - (SELECT sum(pv_kwh_year) FROM full1)) < 1e-6 AS same_pv_total
  FROM city_t46.solar_roofs_planned v;

DROP TABLE lyon_b, lyon_tower;
SET client_min_messages = warning;
DROP SCHEMA city_t, city_nl, city_cc46, city_t46 CASCADE;
