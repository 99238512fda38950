-- Render the roofs of a block of Lyon 1er over their area as an SVG map: every
-- 1 m cell of solar_cadastre_cells coloured by its annual irradiation (kWh/m2),
-- the buildings' outlines on top, rendered entirely from the database with
-- ST_AsSVG (the same ramp as scripts/cadastre-map.sql).  The block: the
-- buildings within 70 m of a point of the Presqu'ile (the regression test's),
-- shaded by every building within 400 m.
-- Usage (the demo or docs database, its hub filled by scripts/demo-cadastre.sql):
--   psql -qAt -d smartregion_demo -f scripts/roofarea-map.sql > /tmp/roofarea-lyon1.svg
--   rsvg-convert -w 1100 /tmp/roofarea-lyon1.svg > docs/img/roofarea-lyon1.png
-- (scripts/doc-maps.sh docs/img draws it so with the docs' other maps; make test-clients
-- checks that docs/img's is what the current demo draws)
SET client_min_messages = warning;
CREATE TEMP TABLE map_p AS
SELECT ST_Transform(ST_SetSRID(ST_MakePoint(1842430, 5176080), 3946), 2154) AS p;
CREATE TEMP TABLE map_cells AS
SELECT c.* FROM hub.skies s, map_p,
       smartregion.solar_cadastre_cells(format(
         'SELECT id, geom, height, ST_DWithin(geom, %L::geometry, 70) AS target
            FROM hub.buildings WHERE ST_DWithin(geom, %L::geometry, 400)', p, p), s.sky) c
 WHERE s.name = 'lyon-bron-tmyx';
CREATE TEMP TABLE map_faces AS
SELECT c.* FROM hub.skies s, map_p,
       smartregion.solar_cadastre(format(
         'SELECT id, geom, height, ST_DWithin(geom, %L::geometry, 70) AS target
            FROM hub.buildings WHERE ST_DWithin(geom, %L::geometry, 400)', p, p), s.sky,
         '{"sampling": "area"}') c
 WHERE s.name = 'lyon-bron-tmyx';
WITH ext AS (
  SELECT ST_XMin(e) AS x0, ST_YMax(e) AS y1, ST_XMax(e) - ST_XMin(e) AS w, ST_YMax(e) - ST_YMin(e) AS h
    FROM (SELECT ST_Extent(geom)::geometry AS e FROM map_cells) s),
-- colour ramp: dark blue (<= 600) -> yellow -> red (>= 1400 kWh/m2)
cells AS (
  SELECT building_id, face, geom, least(1.0, greatest(0.0, (annual_kwh_m2 - 600) / 800.0)) AS t FROM map_cells),
colored AS (
  SELECT building_id, face, ST_AsSVG(ST_Force2D(geom), 0, 2) AS d, CASE WHEN t < 0.5
           THEN format('rgb(%s,%s,%s)', round(40 + 2 * t * 215), round(60 + 2 * t * 170), round(140 - 2 * t * 100))
           ELSE format('rgb(%s,%s,%s)', 255, round(230 - (t - 0.5) * 2 * 200), round(40 - (t - 0.5) * 2 * 30)) END AS fill
    FROM cells)
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1600" height="%s">',
              x0 - 10, -y1 - 10, w + 20, h + 60, round(1600 * (h + 60) / (w + 20)))
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="#f4f4f0"/>', x0 - 10, -y1 - 10, w + 20, h + 60)
       || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="%s" stroke-width="0.05"/>',
                                    d, fill, fill), '' ORDER BY building_id, face, d) FROM colored)
       || (SELECT string_agg(format('<path d="%s" fill="none" stroke="#222" stroke-width="0.35"/>',
                                    ST_AsSVG(ST_Force2D(f.geom), 0, 2)), '' ORDER BY f.building_id, f.face) FROM map_faces f)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">Lyon 1er: %s roof faces over their area, %s cells of 1 m, kWh/m2 a year (Lyon-Bron TMYx)</text>',
                 x0, -y1 + h + 18, round((w / 48)::numeric, 2), (SELECT count(*) FROM map_faces), (SELECT count(*) FROM map_cells))
       || (SELECT string_agg(format('<rect x="%s" y="%s" width="%s" height="6" fill="%s"/><text x="%s" y="%s" font-family="sans-serif" font-size="5">%s</text>',
                                    x0 + i * w / 7, -y1 + h + 26, w / 20,
                                    CASE WHEN i < 3 THEN format('rgb(%s,%s,%s)', round(40 + 2 * (i / 6.0) * 215), round(60 + 2 * (i / 6.0) * 170), round(140 - 2 * (i / 6.0) * 100))
                                         ELSE format('rgb(255,%s,%s)', round(230 - ((i / 6.0) - 0.5) * 2 * 200), round(40 - ((i / 6.0) - 0.5) * 2 * 30)) END,
                                    x0 + i * w / 7 + w / 20 + 1.5, -y1 + h + 31, 600 + i * 800 / 6), '' ORDER BY i)
             FROM generate_series(0, 6) i)
       || '</svg>'
  FROM ext;
