-- Render the Lyon 1er solar cadastre (hub.solar_roofs, filled by
-- scripts/demo-cadastre.sql) as an SVG map: roofs coloured by annual
-- irradiation (kWh/m2), rendered entirely from the database with ST_AsSVG.
-- Usage: psql -At -d smartregion_demo -f scripts/cadastre-map.sql > docs/img/cadastre-lyon1.svg
--        rsvg-convert -w 1600 docs/img/cadastre-lyon1.svg > docs/img/cadastre-lyon1.png
-- (scripts/doc-maps.sh docs/img draws it so with the docs' other maps; make test-clients
-- checks that docs/img's is what the current demo draws)
WITH ext AS (
  SELECT ST_XMin(e) AS x0, ST_YMax(e) AS y1, ST_XMax(e) - ST_XMin(e) AS w, ST_YMax(e) - ST_YMin(e) AS h
    FROM (SELECT ST_Extent(geom)::geometry AS e FROM hub.solar_roofs) s),
-- colour ramp: dark blue (<= 600) -> yellow -> red (>= 1400 kWh/m2)
roofs AS (
  SELECT r.building_id, r.face, r.geom, r.annual_kwh_m2,
         least(1.0, greatest(0.0, (r.annual_kwh_m2 - 600) / 800.0)) AS t
    FROM hub.solar_roofs r),
colored AS (
  SELECT building_id, face, geom, CASE WHEN t < 0.5
           THEN format('rgb(%s,%s,%s)', round(40 + 2 * t * 215), round(60 + 2 * t * 170), round(140 - 2 * t * 100))
           ELSE format('rgb(%s,%s,%s)', 255, round(230 - (t - 0.5) * 2 * 200), round(40 - (t - 0.5) * 2 * 30)) END AS fill
    FROM roofs)
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1600" height="%s">',
              x0 - 20, -y1 - 20, w + 40, h + 110, round(1600 * (h + 110) / (w + 40)))
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="#f4f4f0"/>', x0 - 20, -y1 - 20, w + 40, h + 110)
       || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="#333" stroke-width="0.3"/>',
                                    ST_AsSVG(ST_Force2D(geom), 0, 1), fill), '' ORDER BY building_id, face) FROM colored)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="28">Lyon 1er - annual irradiation of %s roofs (kWh/m2), neighbour shading, Lyon-Bron TMYx</text>',
                 x0, -y1 + h + 45, (SELECT count(*) FROM hub.solar_roofs))
       || (SELECT string_agg(format('<rect x="%s" y="%s" width="60" height="20" fill="%s"/><text x="%s" y="%s" font-family="sans-serif" font-size="20">%s</text>',
                                    x0 + i * 150, -y1 + h + 60,
                                    CASE WHEN i < 3 THEN format('rgb(%s,%s,%s)', round(40 + 2 * (i / 6.0) * 215), round(60 + 2 * (i / 6.0) * 170), round(140 - 2 * (i / 6.0) * 100))
                                         ELSE format('rgb(255,%s,%s)', round(230 - ((i / 6.0) - 0.5) * 2 * 200), round(40 - ((i / 6.0) - 0.5) * 2 * 30)) END,
                                    x0 + i * 150 + 65, -y1 + h + 77, 600 + i * 800 / 6), '' ORDER BY i)
             FROM generate_series(0, 6) i)
       || '</svg>'
  FROM ext;
