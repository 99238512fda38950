-- Render the FttH coverage of two départements at ARCEP's last quarter (T1 2018) as an SVG
-- map: every commune of the Rhône and of Ille-et-Vilaine coloured by its premises passed /
-- premises (thd_ftth_coverage, the maturity plugin of ftth_coverage: a commune merged since
-- 2018 counts with the communes it absorbed), each département's own figure in its caption;
-- rendered entirely from the database with ST_AsSVG, in Lambert-93, the two départements
-- side by side at the same scale.
-- Usage (the demo or docs database: ARCEP's files loaded into the hub by scripts/demo-thd.sql,
-- the territories' contours by make demo):
--   psql -qAt -d smartregion_demo -f scripts/thd-map.sql > /tmp/thd-ftth.svg
--   rsvg-convert -w 1000 /tmp/thd-ftth.svg > /tmp/thd-ftth.png
-- then an indexed PNG whose legend colours stay exact (Debian's python3-pil, numpy):
--   scripts/quantize-png.py /tmp/thd-ftth.png docs/img/thd-ftth.png '#f7fbff' '#c6dbef' '#6baed6' '#2171b5' '#08306b' '#d9d9d9'
SET client_min_messages = warning;
SET smartregion.hub = 'hub';
CREATE TEMP TABLE map_cov AS SELECT * FROM smartregion.thd_ftth_coverage(2018);
-- the two panels: each département's communes, the second moved to the right of the first
CREATE TEMP TABLE map_dep AS
SELECT d.code, d.name, k, ST_Extent(ST_Transform(c.geom, 2154))::geometry AS e
  FROM (VALUES ('69', 0), ('35', 1)) v(code, k)
  JOIN smartregion.territory d ON d.type = 'departement' AND d.code = v.code
  JOIN smartregion.territory c ON c.type = 'commune' AND c.departement_code = d.code AND c.geom IS NOT NULL
 GROUP BY d.code, d.name, k;
CREATE TEMP TABLE map_com AS
SELECT c.code, m.value,
       ST_Translate(ST_Transform(c.geom, 2154),
                    CASE WHEN p.k = 0 THEN -ST_XMin(p.e)
                         ELSE (SELECT ST_XMax(e) - ST_XMin(e) FROM map_dep WHERE k = 0) + 8000 - ST_XMin(p.e) END,
                    -ST_YMin(p.e)) AS geom
  FROM smartregion.territory c
  JOIN map_dep p ON p.code = c.departement_code
  LEFT JOIN map_cov m ON m.territory_type = 'commune' AND m.territory_code = c.code
 WHERE c.type = 'commune' AND c.geom IS NOT NULL;
WITH ext AS (
  SELECT x0, y1, w, h, round((w / 44)::numeric) AS f
    FROM (SELECT ST_XMin(e) - 1500 AS x0, ST_YMax(e) + 1500 AS y1, ST_XMax(e) - ST_XMin(e) + 3000 AS w,
                 ST_YMax(e) - ST_YMin(e) + 3000 AS h
            FROM (SELECT ST_Extent(geom)::geometry AS e FROM map_com) s) s),
cls(k, lo, hi, fill, label) AS (VALUES
  (0, -1, 1e-9, '#f7fbff', 'none'),
  (1, 1e-9, 25, '#c6dbef', 'under 25 %'),
  (2, 25, 50, '#6baed6', '25 to 50 %'),
  (3, 50, 80, '#2171b5', '50 to 80 %'),
  (4, 80, 1e9, '#08306b', '80 % or more'),
  (5, NULL, NULL, '#d9d9d9', 'no ARCEP figure'))
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1200" height="%s">',
              x0, -y1, w, h + 9 * f, round(1200 * (h + 9 * f) / w))
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>', x0, -y1, w, h + 9 * f)
       || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="#888888" stroke-width="40"/>',
                                    ST_AsSVG(m.geom, 0, 0), c.fill), '')
             FROM map_com m JOIN cls c ON (m.value IS NULL AND c.lo IS NULL)
                                       OR (m.value >= c.lo AND m.value < c.hi))
       || (SELECT string_agg(format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">%s (%s): %s %% passed</text>',
                                    CASE WHEN d.k = 0 THEN x0 + f
                                         ELSE (SELECT ST_XMax(e) - ST_XMin(e) FROM map_dep WHERE k = 0) + 8000 END,
                                    -y1 + h + 1.3 * f, 0.8 * f, d.name, d.code,
                                    round(m.value::numeric, 1)), '')
             FROM map_dep d JOIN map_cov m ON m.territory_type = 'departement' AND m.territory_code = d.code)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">FttH coverage of each commune at T1 2018 (ARCEP, premises passed / premises)</text>',
                 x0 + f, -y1 + h + 3 * f, f)
       || (SELECT string_agg(format('<rect x="%s" y="%s" width="%s" height="%s" fill="%s" stroke="#888888" stroke-width="40"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">%s</text>',
                                    x0 + f + (k % 3) * w / 3.1, -y1 + h + (4.2 + 1.5 * (k / 3)) * f, 1.4 * f, f, fill,
                                    x0 + 2.7 * f + (k % 3) * w / 3.1, -y1 + h + (5.05 + 1.5 * (k / 3)) * f, 0.9 * f, label), '')
             FROM cls)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">contours: IGN GEOFLA 2016, with the communes merged since then joined to their commune of today</text>',
                 x0 + f, -y1 + h + 8.2 * f, 0.75 * f)
       || '</svg>'
  FROM ext;
