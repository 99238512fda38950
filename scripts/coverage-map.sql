-- Render the tiers-lieux coverage of the Rhône as an SVG map: every commune
-- coloured by the distance from its point on surface to the nearest
-- tiers-lieu (tierslieux_coverage), the tiers-lieux of the 2019 census over it
-- (the demo's premises; the census marks no station coworking), the
-- département's share of
-- its population within 10, 20 and 30 km in the caption; rendered entirely
-- from the database with ST_AsSVG, in Lambert-93.
-- Usage (the demo or docs database: its hub filled by scripts/demo-matching.sql,
-- the territories' contours by make demo):
--   psql -qAt -d smartregion_demo -f scripts/coverage-map.sql > /tmp/coverage-rhone.svg
--   rsvg-convert -w 1000 /tmp/coverage-rhone.svg > /tmp/coverage-rhone.png
-- then an indexed PNG whose legend colours stay exact (Debian's python3-pil, numpy):
--   scripts/quantize-png.py /tmp/coverage-rhone.png docs/img/coverage-rhone.png '#1a9850' '#91cf60' '#fee08b' '#fc8d59' '#d73027'
SET client_min_messages = warning;
CREATE TEMP TABLE map_cov AS
SELECT * FROM smartregion.tierslieux_coverage('SELECT id, location FROM hub.premises',
                                              '{"departement": "69"}');
CREATE TEMP TABLE map_com AS
SELECT t.code, ST_Transform(t.geom, 2154) AS geom, c.distance
  FROM smartregion.territory t
  JOIN map_cov c ON c.territory_type = 'commune' AND c.territory_code = t.code
 WHERE t.type = 'commune';
CREATE TEMP TABLE map_prem AS
SELECT p.id, ST_Transform(p.location, 2154) AS geom
  FROM hub.premises p, (SELECT ST_Expand(ST_Extent(geom)::geometry, 2000) AS e FROM map_com) x
 WHERE ST_Transform(p.location, 2154) && ST_SetSRID(x.e, 2154);
WITH ext AS (
  SELECT x0, y1, w, h, round((w / 44)::numeric) AS f
    FROM (SELECT ST_XMin(e) - 1500 AS x0, ST_YMax(e) + 1500 AS y1, ST_XMax(e) - ST_XMin(e) + 3000 AS w,
                 ST_YMax(e) - ST_YMin(e) + 3000 AS h
            FROM (SELECT ST_Extent(geom)::geometry AS e FROM map_com) s) s),
cls(k, lo, hi, fill, label) AS (VALUES
  (0, 0, 5, '#1a9850', 'under 5 km'),
  (1, 5, 10, '#91cf60', '5 to 10 km'),
  (2, 10, 20, '#fee08b', '10 to 20 km'),
  (3, 20, 30, '#fc8d59', '20 to 30 km'),
  (4, 30, 1e9, '#d73027', '30 km or more')),
dep AS (SELECT share_within, population FROM map_cov WHERE territory_type = 'departement')
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1200" height="%s">',
              x0, -y1, w, h + 11 * f, round(1200 * (h + 11 * f) / w))
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>', x0, -y1, w, h + 11 * f)
       || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="#ffffff" stroke-width="60"/>',
                                    ST_AsSVG(m.geom, 0, 0), c.fill), '')
             FROM map_com m JOIN cls c ON m.distance >= c.lo AND m.distance < c.hi)
       || (SELECT string_agg(format('<circle cx="%s" cy="%s" r="600" fill="#111" stroke="#fff" stroke-width="150"/>',
                                    round(ST_X(geom)), round(-ST_Y(geom))), '')
             FROM map_prem)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">Rhône (69): each commune by its distance to the nearest tiers-lieu</text>',
                 x0 + f, -y1 + h + 1.5 * f, 1.1 * f)
       || (SELECT format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">%s inhabitants; within 10 km: %s %%, 20 km: %s %%, 30 km: %s %%</text>',
                         x0 + f, -y1 + h + 3 * f, f, to_char(population, 'FM9G999G999'),
                         round((100 * share_within[1])::numeric, 1), round((100 * share_within[2])::numeric, 1),
                         round((100 * share_within[3])::numeric, 1)) FROM dep)
       || (SELECT string_agg(format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">%s</text>',
                                    x0 + f + (k % 3) * w / 3.1, -y1 + h + (4.2 + 1.5 * (k / 3)) * f, 1.4 * f, f, fill,
                                    x0 + 2.7 * f + (k % 3) * w / 3.1, -y1 + h + (5.05 + 1.5 * (k / 3)) * f, 0.9 * f, label), '')
             FROM cls)
       || format('<circle cx="%s" cy="%s" r="600" fill="#111" stroke="#fff" stroke-width="150"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">a tiers-lieu (2019 census, ANCT)</text>',
                 x0 + 1.7 * f, -y1 + h + 7.35 * f, x0 + 2.7 * f, -y1 + h + 7.65 * f, 0.9 * f)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">contours: IGN GEOFLA 2016, with the communes merged since then joined to their commune of today</text>',
                 x0 + f, -y1 + h + 9.4 * f, 0.75 * f)
       || '</svg>'
  FROM ext;
