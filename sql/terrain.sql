-- Terrain and trees (issue 17): horizons from an elevation model in PostGIS
-- raster against exact elevation angles of analytic surfaces, their union
-- with the buildings' horizon, and the cadastre's terrain_sql and trees_sql
-- (a roof north of a deciduous tree: leafless in winter).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis_raster;
RESET client_min_messages;
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
CREATE TEMP TABLE sky AS SELECT smartregion.sky_from_epw(:'epw') AS s;

-- synthetic models (local metres, SRID 0, where grid north is north: a
-- projected SRID's grid north is turned to true north by its convergence,
-- tested in Lambert-93 at Brest at the end; 10 m pixels, 5 m for the ridge; [rast.x]
-- and [rast.y] are 1-based, pixel centres half a pixel from the corner):
-- a cone 100 m high of base radius 500 m on (0, 0); a ridge along y with its
-- crest 80 m high at x = 1000 and flanks 200 m wide; a V valley z = 0.3 |x|
CREATE TEMP TABLE dem AS
SELECT 'cone' AS kind, ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(601, 601, -3005, 3005, 10, -10, 0, 0, 0), '32BF'::text, 0::float8), 1, '32BF',
  'greatest(0, 100 * (1 - sqrt(power(-3000 + 10 * ([rast.x] - 1), 2) + power(3000 - 10 * ([rast.y] - 1), 2)) / 500))') AS rast
UNION ALL
SELECT 'ridge', ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(601, 601, -1502.5, 1502.5, 5, -5, 0, 0, 0), '32BF'::text, 0::float8), 1, '32BF',
  'greatest(0, 80 * (1 - abs(-1500 + 5 * ([rast.x] - 1) - 1000) / 200.0))')
UNION ALL
SELECT 'valley', ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(201, 201, -1005, 1005, 10, -10, 0, 0, 0), '32BF'::text, 0::float8), 1, '32BF',
  '0.3 * abs(-1000 + 10 * ([rast.x] - 1))');
-- the cone from 2 km east: atan(100 / 2000) = 2.8624 deg toward it (sector
-- 54, west), nothing beyond its base (500 m wide at 2 km: 14.5 deg either
-- side); from 700 m east atan(100 / 700)
SELECT abs(smartregion.horizon_elevation(h, 270) - degrees(atan(100 / 2000.0))) < 1e-4 AS cone_exact,
       (SELECT max(e) FROM unnest(smartregion.horizon_elevations(h)) WITH ORDINALITY u(e, k)
         WHERE abs((k - 1) * 5 - 270) > 20) = 0 AS nothing_beyond_its_base
  FROM (SELECT smartregion.horizon_from_dem('SELECT rast FROM dem WHERE kind = ''cone''',
                                            'SRID=0;POINT(2000 0 0)', 5000, 72, false) AS h) t;
SELECT abs(smartregion.horizon_elevation(smartregion.horizon_from_dem('SELECT rast FROM dem WHERE kind = ''cone''',
           'SRID=0;POINT(700 0 0)', 5000, 72, false), 270) - degrees(atan(100 / 700.0))) < 1e-4 AS cone_nearer;
-- the ridge from the origin: a ray at 90 + th deg meets the crest at
-- 1000 / cos th, elevation atan(80 cos th / 1000); a sector takes its edge
-- nearest east (samples every half pixel straddle the crest: within 0.03
-- deg)
SELECT max(abs(e - degrees(atan(80 * cos(radians(greatest(0, abs((k - 1) * 5 - 90) - 2.5))) / 1000)))) < 0.03 AS ridge_exact
  FROM unnest(smartregion.horizon_elevations(smartregion.horizon_from_dem('SELECT rast FROM dem WHERE kind = ''ridge''',
         'SRID=0;POINT(0 0 0)', 1400, 72, false))) WITH ORDINALITY u(e, k)
 WHERE k BETWEEN 11 AND 27;
-- the valley from its bottom: atan(0.3 |sin a|) at every distance, the
-- sector's largest |sin a| (1 where it contains east or west)
SELECT max(abs(e - degrees(atan(0.3 * CASE WHEN k IN (19, 55) THEN 1
           ELSE greatest(abs(sin(radians((k - 1) * 5 - 2.5))), abs(sin(radians((k - 1) * 5 + 2.5)))) END)))) < 1e-4 AS valley_exact
  FROM unnest(smartregion.horizon_elevations(smartregion.horizon_from_dem('SELECT rast FROM dem WHERE kind = ''valley''',
         'SRID=0;POINT(0 0 0)', 900, 72, false))) WITH ORDINALITY u(e, k);
-- the heights are held as 4-byte floats (docs/pv.md, "Memory"): a 64BF valley, its heights
-- rounded to floats (0.3 |x| is not a float), is as exact; a nodata value no float holds
-- (5000.3) still marks its pixels as holes: a wall of them 490 m east is not seen
SELECT max(abs(e - degrees(atan(0.3 * CASE WHEN k IN (19, 55) THEN 1
           ELSE greatest(abs(sin(radians((k - 1) * 5 - 2.5))), abs(sin(radians((k - 1) * 5 + 2.5)))) END)))) < 1e-4 AS valley_64bf_exact
  FROM unnest(smartregion.horizon_elevations(smartregion.horizon_from_dem(
         'SELECT ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(201, 201, -1005, 1005, 10, -10, 0, 0, 0), ''64BF''::text, 0::float8), 1, ''64BF'',
            ''0.3 * abs(-1000 + 10 * ([rast.x] - 1))'') AS rast',
         'SRID=0;POINT(0 0 0)', 900, 72, false))) WITH ORDINALITY u(e, k);
SELECT max(e) = 0 AS nodata_wall_unseen
  FROM unnest(smartregion.horizon_elevations(smartregion.horizon_from_dem(
         'SELECT ST_SetBandNoDataValue(ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(201, 201, -1005, 1005, 10, -10, 0, 0, 0), ''64BF''::text, 0::float8), 1, ''64BF'',
            ''CASE WHEN [rast.x] = 150 THEN 5000.3 ELSE 0 END''), 1, 5000.3) AS rast',
         'SRID=0;POINT(0 0 0)', 900, 72, false))) e;
-- the Earth's curvature and refraction lower distant terrain: the cone
-- from 15 km is atan((100 - 0.87 x 15000^2 / 2R) / 15000) (R = 6371 km)
CREATE TEMP TABLE far AS
SELECT ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(1601, 61, -1005, 305, 10, -10, 0, 0, 0), '32BF'::text, 0::float8), 1, '32BF',
  'CASE WHEN -1000 + 10 * ([rast.x] - 1) >= 14000 THEN 100 ELSE 0 END') AS rast;
SELECT abs(smartregion.horizon_elevation(smartregion.horizon_from_dem('SELECT rast FROM far', 'SRID=0;POINT(0 0 0)', 15000, 72, true), 90)
           - degrees(atan((100 - 0.87 * 14000.0 ^ 2 / (2 * 6371000)) / 14000))) < 1e-4 AS curved_earth,
       smartregion.horizon_elevation(smartregion.horizon_from_dem('SELECT rast FROM far', 'SRID=0;POINT(0 0 0)', 15000, 72, true), 90)
       < smartregion.horizon_elevation(smartregion.horizon_from_dem('SELECT rast FROM far', 'SRID=0;POINT(0 0 0)', 15000, 72, false), 90) AS lower_than_flat;
-- a 2D point stands on the ground: in the valley's bottom, the same
SELECT smartregion.horizon_from_dem('SELECT rast FROM dem WHERE kind = ''valley''', 'SRID=0;POINT(0 0)', 900, 72, false)::text
     = smartregion.horizon_from_dem('SELECT rast FROM dem WHERE kind = ''valley''', 'SRID=0;POINT(0 0 0)', 900, 72, false)::text AS on_the_ground;
-- horizon_max: sector by sector
SELECT smartregion.horizon_max('{4:1,5,0,2}', '{4:3,1,0,2.5}') AS max;

-- the cadastre with terrain: a 20 x 10 m flat roof 25 m high (ground 0)
-- with a hill 200 m high 1.5 km to its south.  With one face the terrain
-- grid has one node, at the face, and 25 m is one of its heights: the face
-- gets exactly the irradiation under the buildings' horizon raised by
-- horizon_from_dem
CREATE TEMP TABLE scene AS
SELECT 1::bigint AS id, ST_MakeEnvelope(0, 0, 20, 10, 0) AS geom, 25.0::float8 AS height
UNION ALL
SELECT 2, ST_MakeEnvelope(0, -40, 20, -25, 0), 40.0;
CREATE TEMP TABLE hill AS
SELECT ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(301, 401, -1505, 1005, 10, -10, 0, 0, 0), '32BF'::text, 0::float8), 1, '32BF',
  'greatest(0, 200 * (1 - sqrt(power(-1500 + 10 * ([rast.x] - 1), 2) + power(1000 - 10 * ([rast.y] - 1) + 1500, 2)) / 800))') AS rast;
SELECT abs(c.annual_kwh_m2 - (smartregion.surface_irradiation(s, 0, 180,
         smartregion.horizon_max(smartregion.horizon_at('SRID=0;POINT(10 5 25)', 'SELECT id, geom, height FROM scene WHERE id = 2'),
                                 smartregion.horizon_from_dem('SELECT rast FROM hill', 'SRID=0;POINT(10 5 25)')))).annual_kwh_m2) < 1e-6 AS terrain_exact,
       c.shading_loss_pct > n.shading_loss_pct AS hill_shades_more
  FROM sky,
       smartregion.solar_cadastre('SELECT id, geom, height, id = 1 AS target FROM scene', s,
         '{"terrain_sql": "SELECT rast FROM hill", "max_sky_distance_km": 20000, "sampling": "point"}') c,
       smartregion.solar_cadastre('SELECT id, geom, height, id = 1 AS target FROM scene', s, '{"max_sky_distance_km": 20000, "sampling": "point"}') n;
-- over the roof's area (sampling "area"), the hill's far horizon floors every
-- sample's skyline: it shades more there too
SELECT c.shading_loss_pct > n.shading_loss_pct AS hill_shades_the_area_more,
       c.sunny_area_m2 <= n.sunny_area_m2 AS never_more_sunny_area
  FROM sky,
       smartregion.solar_cadastre('SELECT id, geom, height, id = 1 AS target FROM scene', s,
         '{"terrain_sql": "SELECT rast FROM hill", "max_sky_distance_km": 20000, "sampling": "area"}') c,
       smartregion.solar_cadastre('SELECT id, geom, height, id = 1 AS target FROM scene', s, '{"max_sky_distance_km": 20000, "sampling": "area"}') n;

-- trees: the same roof (6 m) with a plane tree 15 m high, crown radius 4 m,
-- 8 m south of it.  Seen from the roof the crown is a 12-gon prism; each
-- month the roof gets the irradiation under the horizon with the tree plus
-- the crown's transmittance times what the tree hides: leafless (0.6) in
-- December, in leaf (0.15) in July
CREATE TEMP TABLE roof AS SELECT 1::bigint AS id, ST_MakeEnvelope(0, 0, 20, 10, 0) AS geom, 6.0::float8 AS height;
CREATE TEMP TABLE tree AS SELECT 7::bigint AS id, 'SRID=0;POINT(10 -12)'::geometry AS geom, 15.0::float8 AS height, 4.0::float8 AS crown_radius;
CREATE TEMP TABLE crown AS
SELECT 7::bigint AS id, ST_SetSRID(ST_MakePolygon(ST_MakeLine(ARRAY(
         SELECT ST_MakePoint(10 + 4 * cos(radians(30 * k)), -12 + 4 * sin(radians(30 * k)))
           FROM generate_series(0, 12) g(j), LATERAL (SELECT j % 12 AS k) x))), 0) AS geom, 15.0::float8 AS height;
CREATE TEMP TABLE with_tree AS
SELECT c.*, i.monthly_kwh_m2 AS open_m, t.monthly_kwh_m2 AS tree_m
  FROM sky,
       smartregion.solar_cadastre('SELECT id, geom, height FROM roof', s,
         '{"trees_sql": "SELECT id, geom, height, crown_radius FROM tree", "flat_module_tilt_deg": 0, "max_sky_distance_km": 20000,
           "sampling": "point"}') c,
       smartregion.surface_irradiation(s, 0, 180) i,
       smartregion.surface_irradiation(s, 0, 180, smartregion.horizon_at('SRID=0;POINT(10 5 6)', 'SELECT id, geom, height FROM crown')) t;
SELECT bool_and(abs(w.monthly_kwh_m2[m] - (w.tree_m[m] + tau[m] * (w.open_m[m] - w.tree_m[m]))) < 1e-6) AS blended_exactly
  FROM with_tree w, generate_series(1, 12) m,
       (SELECT ARRAY[0.6, 0.6, 0.6, 0.4, 0.15, 0.15, 0.15, 0.15, 0.15, 0.35, 0.6, 0.6]::float8[] AS tau) d;
-- the seasonal effect: the tree hides more of the low winter sun, but it
-- is leafless then; an evergreen crown (0.15 all year) takes far more in
-- December and the same in July
CREATE TEMP TABLE evergreen AS
SELECT c.* FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM roof', s,
  '{"trees_sql": "SELECT id, geom, height, crown_radius FROM tree", "flat_module_tilt_deg": 0, "max_sky_distance_km": 20000,
    "tree_transmittance": [0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15, 0.15], "sampling": "point"}') c;
SELECT 1 - w.tree_m[12] / w.open_m[12] > 1 - w.tree_m[7] / w.open_m[7] AS tree_hides_more_in_winter,
       w.monthly_kwh_m2[12] > e.monthly_kwh_m2[12] AS leafless_lets_winter_light,
       abs(w.monthly_kwh_m2[7] - e.monthly_kwh_m2[7]) < 1e-9 AS same_in_july,
       w.pv_kwh_year > e.pv_kwh_year AS more_pv
  FROM with_tree w, evergreen e;
-- over the roof's area (sampling "area") the trees' factors are taken on a
-- lattice over the roof and interpolated to every cell (docs/cadastre.md):
-- the tree's shadow falls on the roof's southern part.  The reference: the
-- same crown's 12-gon as a building 15 m high, cast exactly from every cell;
-- with a crown letting nothing through the two agree (the face within 1.5 %,
-- the southern and the northern 2 m within 2.5 %: the trees' horizon keeps
-- the point mode's 72 sectors, which shade a crown ~1 % more than the exact
-- cast; the C unit test shows the gap closing at 360 sectors)
CREATE TEMP TABLE tree_cells AS
SELECT 'tree' AS k, c.* FROM sky, smartregion.solar_cadastre_cells('SELECT id, geom, height FROM roof', s,
  '{"trees_sql": "SELECT id, geom, height, crown_radius FROM tree", "flat_module_tilt_deg": 0, "max_sky_distance_km": 20000,
    "tree_transmittance": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}') c
UNION ALL
SELECT 'building', c.* FROM sky, smartregion.solar_cadastre_cells(
  'SELECT id, geom, height, id = 1 AS target FROM roof UNION ALL SELECT id, geom, height, false FROM crown', s,
  '{"flat_module_tilt_deg": 0, "max_sky_distance_km": 20000}') c
UNION ALL
SELECT 'leafy', c.* FROM sky, smartregion.solar_cadastre_cells('SELECT id, geom, height FROM roof', s,
  '{"trees_sql": "SELECT id, geom, height, crown_radius FROM tree", "flat_module_tilt_deg": 0, "max_sky_distance_km": 20000}') c;
WITH band AS (
  SELECT k, sum(area_m2 * annual_kwh_m2) / sum(area_m2) AS face,
         sum(area_m2 * annual_kwh_m2) FILTER (WHERE ST_Y(ST_Centroid(geom)) < 2)
           / sum(area_m2) FILTER (WHERE ST_Y(ST_Centroid(geom)) < 2) AS south,
         sum(area_m2 * annual_kwh_m2) FILTER (WHERE ST_Y(ST_Centroid(geom)) > 8)
           / sum(area_m2) FILTER (WHERE ST_Y(ST_Centroid(geom)) > 8) AS north
    FROM tree_cells GROUP BY k)
SELECT abs(t.face / b.face - 1) < 0.015 AS opaque_crown_as_a_building,
       abs(t.south / b.south - 1) < 0.025 AND abs(t.north / b.north - 1) < 0.025 AS bands_as_a_building,
       l.south < 0.98 * l.north AS leafy_tree_shades_the_south,
       l.face > t.face AS crown_lets_light_through
  FROM band t, band b, band l WHERE t.k = 'tree' AND b.k = 'building' AND l.k = 'leafy';
-- the face's row is its cells' area-weighted mean, its months keep the year
SELECT abs(a.annual_kwh_m2 - (SELECT sum(area_m2 * annual_kwh_m2) / sum(area_m2) FROM tree_cells WHERE k = 'leafy')) < 1e-6 AS face_is_its_cells,
       a.p10_kwh_m2 < a.p90_kwh_m2 AS the_shadow_moves_over_the_roof,
       abs((SELECT sum(x) FROM unnest(a.monthly_kwh_m2) x) / a.annual_kwh_m2 - 1) < 1e-6 AS months_sum_to_the_year
  FROM sky, smartregion.solar_cadastre('SELECT id, geom, height FROM roof', s,
         '{"trees_sql": "SELECT id, geom, height, crown_radius FROM tree", "flat_module_tilt_deg": 0, "max_sky_distance_km": 20000,
           "sampling": "area"}') a;
-- the terrain's grid computes the nodes around the buildings only: two buildings 5 km
-- apart on the cone's model at terrain_grid_m 10 (a 501 x 501 grid over their box, a
-- minute of horizons before) take the 2 x 6 nodes around them, within 10 s of CPU (every
-- thread of the backend counted: CPU time, which a loaded machine does not stretch, not
-- the wall clock, which it does), and each gets the horizon it gets alone (its grid's nodes
-- fall on the same points: the grid starts at the westernmost, southernmost face, 500
-- steps away)
CREATE TEMP TABLE far_apart AS
SELECT i::bigint AS id, ST_MakeEnvelope(-2500 + 5000 * i, -2500 + 5000 * i, -2480 + 5000 * i, -2490 + 5000 * i, 0) AS geom,
       8.0::float8 AS height
  FROM generate_series(0, 1) i;
-- (the CPU time of this backend, every thread of it, in ms: utime + stime of Linux's
-- /proc/self/stat, in clock ticks of 10 ms)
CREATE FUNCTION pg_temp.cpu_ms() RETURNS float8 LANGUAGE sql AS $$
  SELECT 10 * (f[12]::float8 + f[13]::float8)
    FROM (SELECT string_to_array((regexp_match(pg_read_file('/proc/self/stat'), '^.*\) (.*)$'))[1], ' ') AS f) s
$$;
-- (the CPU seconds q took)
CREATE FUNCTION pg_temp.seconds(q text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE c0 float8 := pg_temp.cpu_ms();
BEGIN
  EXECUTE q;
  RETURN (pg_temp.cpu_ms() - c0) / 1000;
END $$;
SELECT pg_temp.seconds($q$CREATE TEMP TABLE far_both AS SELECT building_id, annual_kwh_m2 FROM sky,
         smartregion.solar_cadastre('SELECT * FROM far_apart', s,
           '{"terrain_sql": "SELECT rast FROM dem WHERE kind = ''cone''", "terrain_grid_m": 10, "max_sky_distance_km": 20000}')$q$) < 10
       AS within_seconds;
SELECT b.building_id, b.annual_kwh_m2 = a.annual_kwh_m2 AS as_alone
  FROM far_both b, far_apart f, sky,
       LATERAL smartregion.solar_cadastre(format('SELECT * FROM far_apart WHERE id = %s', f.id), s,
         '{"terrain_sql": "SELECT rast FROM dem WHERE kind = ''cone''", "terrain_grid_m": 10, "max_sky_distance_km": 20000}') a
 WHERE b.building_id = f.id AND a.building_id = f.id ORDER BY 1;

-- true north (docs/cadastre.md, "Conventions"): horizon_from_dem turns the model
-- about the location by Lambert-93's convergence there, gamma = (lon - 3) x
-- 0.7256077650 rounded to 0.01 deg (Snyder 1987, eq. 14-9): -5.43 in Brest.
-- The cone's apex 2 km due true west of a point in Brest (grid azimuth
-- 270 - gamma) is seen at true azimuth 270, atan(100 / 2000) = 2.8624 deg,
-- lower at 275 (where the grid's frame would put it), nothing beyond the
-- cone's 14.5 deg either side
CREATE TEMP TABLE brest AS
SELECT ST_X(p) AS x, ST_Y(p) AS y, ST_X(p) + 2000 * sin(a) AS ax, ST_Y(p) + 2000 * cos(a) AS ay
  FROM (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(-4.49, 48.39), 4326), 2154) AS p,
               radians(270 - round(((-4.49 - 3) * 0.7256077650)::numeric, 2)::float8) AS a) o;
CREATE TEMP TABLE brest_dem AS
SELECT ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(601, 601, ax - 3005, ay + 3005, 10, -10, 0, 0, 2154), '32BF'::text, 0::float8), 1, '32BF',
  'greatest(0, 100 * (1 - sqrt(power(-3000 + 10 * ([rast.x] - 1), 2) + power(3000 - 10 * ([rast.y] - 1), 2)) / 500))') AS rast
  FROM brest;
SELECT abs(smartregion.horizon_elevation(h, 270) - degrees(atan(100 / 2000.0))) < 1e-4 AS true_west,
       smartregion.horizon_elevation(h, 275) < smartregion.horizon_elevation(h, 270) - 0.1 AS lower_at_275,
       (SELECT max(e) FROM unnest(smartregion.horizon_elevations(h)) WITH ORDINALITY u(e, k)
         WHERE abs((k - 1) * 5 - 270) > 20) = 0 AS nothing_beyond_its_base
  FROM brest, LATERAL (SELECT smartregion.horizon_from_dem('SELECT rast FROM brest_dem',
                                ST_SetSRID(ST_MakePoint(x, y, 0), 2154), 5000, 72, false) AS h) t;
