-- Render what the demo's planned tower does to its neighbours' roofs as an SVG map: the roof
-- faces of Lyon 1er around the tower (hub.solar_roofs), those the tower shades more
-- (hub.solar_impact_roofs, written by solar_impact in scripts/demo-city3d.sql) coloured by the
-- share of their PV yield they lose, the tower's footprint in black; rendered entirely from the
-- database with ST_AsSVG, in the hub's Lambert-93, north up.
-- Usage (the demo or docs database):
--   psql -qAt -d smartregion_demo -f scripts/impact-map.sql > /tmp/impact.svg
--   rsvg-convert -w 1000 /tmp/impact.svg > /tmp/impact.png
-- then an indexed PNG whose legend colours stay exact (Debian's python3-pil, numpy):
--   scripts/quantize-png.py /tmp/impact.png docs/img/impact-lyon1.png '#ffffff' '#e6e6e6' '#fee08b' '#fdae61' '#f46d43' '#a50026' '#000000'
-- (scripts/doc-maps.sh docs/img draws it so with the docs' other maps; make test-clients
-- checks that docs/img's is what the current demo draws)
SET client_min_messages = warning;
CREATE TEMP TABLE map_tower AS
SELECT p.name, p.height, ST_Transform(p.geom, 2154) AS geom FROM hub.planned_building p WHERE p.source = 'demo';
-- the window: 260 m wide and 180 m high around the tower, most of it north of it (its shadow)
CREATE TEMP TABLE map_win AS
SELECT ST_SetSRID(ST_MakeEnvelope(ST_X(c) - 130, ST_Y(c) - 60, ST_X(c) + 130, ST_Y(c) + 120), 2154) AS e
  FROM (SELECT ST_Centroid(geom) AS c FROM map_tower) t;
CREATE TEMP TABLE map_roof AS
SELECT r.building_id, r.face, r.geom, i.loss_pct
  FROM hub.solar_roofs r
  CROSS JOIN map_win w
  LEFT JOIN hub.solar_impact_roofs i ON NOT i.is_project AND i.building_id = r.building_id AND i.face = r.face
 WHERE r.geom && w.e;
WITH ext AS (
  SELECT ST_XMin(e) AS x0, ST_YMax(e) AS y1, ST_XMax(e) - ST_XMin(e) AS w, ST_YMax(e) - ST_YMin(e) AS h,
         (ST_XMax(e) - ST_XMin(e)) / 44 AS f, e
    FROM map_win),
cls(k, lo, hi, fill, label) AS (VALUES
  (0, NULL, NULL, '#e6e6e6', 'not shaded more (under 1 %)'),
  (1, 1, 5, '#fee08b', '1 to 5 %'),
  (2, 5, 15, '#fdae61', '5 to 15 %'),
  (3, 15, 30, '#f46d43', '15 to 30 %'),
  (4, 30, 1e9, '#a50026', '30 % or more'),
  (5, NULL, NULL, '#000000', 'the planned tower'))
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1000" height="%s">',
              x0, -y1, w, h + 8 * f, round(1000 * (h + 8 * f) / w))
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>', x0, -y1, w, h + 8 * f)
       || format('<clipPath id="win"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath><g clip-path="url(#win)">',
                 x0, -y1, w, h)
       || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="#999999" stroke-width="0.15"/>',
                                    ST_AsSVG(m.geom, 0, 2),
                                    CASE WHEN m.loss_pct IS NULL OR m.loss_pct < 1 THEN '#e6e6e6'
                                         WHEN m.loss_pct < 5 THEN '#fee08b' WHEN m.loss_pct < 15 THEN '#fdae61'
                                         WHEN m.loss_pct < 30 THEN '#f46d43' ELSE '#a50026' END), '' ORDER BY m.building_id, m.face)
             FROM map_roof m)
       || (SELECT string_agg(format('<path d="%s" fill="#000000"/>', ST_AsSVG(t.geom, 0, 2)), '' ORDER BY t.name) FROM map_tower t)
       || '</g>'
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#666666" stroke-width="0.4"/>', x0, -y1, w, h)
       -- a 50 m scale bar and the north, bottom right of the map
       || format('<rect x="%s" y="%s" width="50" height="%s" fill="#000000"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">50 m</text>',
                 x0 + w - 55, -y1 + h - 1.2 * f, 0.25 * f, x0 + w - 55, -y1 + h - 1.6 * f, 0.8 * f)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">N ↑</text>', x0 + w - 1.8 * f, -y1 + 1.5 * f, 0.9 * f)
       || (SELECT format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">What a planned %s m tower does to its neighbours'' roofs (solar_impact, Lyon 1er)</text>',
                         x0 + 0.5 * f, -y1 + h + 1.5 * f, f, round(t.height::numeric)) FROM map_tower t)
       || (SELECT format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">Its neighbours lose %s kWh of PV yield a year; %s roof faces lose 1 %% or more of theirs.</text>',
                         x0 + 0.5 * f, -y1 + h + 2.9 * f, 0.75 * f,
                         to_char(round(sum(i.loss_kwh_year)), 'FM999,999,999'), count(*) FILTER (WHERE i.loss_pct >= 1))
             FROM hub.solar_impact_roofs i WHERE NOT i.is_project)
       || (SELECT string_agg(format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#999999" stroke-width="0.3"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">%s</text>',
                                    x0 + 0.5 * f + (k % 3) * w / 3.05, -y1 + h + (3.8 + 1.6 * (k / 3)) * f, 1.3 * f, 0.9 * f, fill,
                                    x0 + 2.1 * f + (k % 3) * w / 3.05, -y1 + h + (4.55 + 1.6 * (k / 3)) * f, 0.8 * f, label), '' ORDER BY k)
             FROM cls)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">buildings: IGN BD TOPO (Licence Ouverte); weather: Lyon-Bron TMYx (climate.onebuilding.org); the tower is fictitious</text>',
                 x0 + 0.5 * f, -y1 + h + 7.4 * f, 0.65 * f)
       || '</svg>'
  FROM ext;
