-- Render a cumulative sky (smartregion.sky_patches) as an SVG fisheye:
-- every Reinhart patch (MF 4) coloured by its annual diffuse radiance
-- (kWh/m2/sr), zenith at the centre, north up, east to the right, the
-- horizon on the circle (equidistant polar projection).
-- Usage (from the project root, any database with smartregion):
--   psql -At -f scripts/sky-map.sql > docs/img/sky-lyon.svg
--   rsvg-convert -w 900 docs/img/sky-lyon.svg > docs/img/sky-lyon.png
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
WITH sky AS (SELECT smartregion.sky_from_epw(:'epw') AS s),
p AS (SELECT q.* FROM sky, smartregion.sky_patches(s) q),
r AS (SELECT min(radiance_kwh_m2_sr) AS lo, max(radiance_kwh_m2_sr) AS hi FROM p),
-- patch outline: bottom arc, top arc back (a zenith cap is a disc)
shape AS (
  SELECT p.patch, p.radiance_kwh_m2_sr AS v,
         p.altitude_deg, p.sky_row,
         (SELECT count(*) FROM p p2 WHERE p2.sky_row = p.sky_row) AS n
    FROM p),
geom AS (
  SELECT patch, v,
         CASE WHEN n = 1 THEN NULL ELSE
           (SELECT string_agg(format('%s,%s',
                    round((400 * (90 - e) / 90 * sin(radians(a)))::numeric, 2),
                    round((-400 * (90 - e) / 90 * cos(radians(a)))::numeric, 2)), ' ')
              FROM (SELECT az0 + (az1 - az0) * i / 6.0 AS a, e0 AS e, i FROM generate_series(0, 6) i
                    UNION ALL
                    SELECT az1 - (az1 - az0) * i / 6.0, e1, 7 + i FROM generate_series(0, 6) i
                    ORDER BY 3) pts) END AS pts
    FROM (SELECT patch, v, n,
                 (sky_row - 1) * 90 / 28.5 AS e0, sky_row * 90 / 28.5 AS e1,
                 (patch - (SELECT min(patch) FROM p p3 WHERE p3.sky_row = shape.sky_row) - 0.5) * 360.0 / n AS az0,
                 (patch - (SELECT min(patch) FROM p p3 WHERE p3.sky_row = shape.sky_row) + 0.5) * 360.0 / n AS az1
            FROM shape) s),
colored AS (
  SELECT g.*, least(1.0, greatest(0.0, (v - r.lo) / nullif(r.hi - r.lo, 0))) AS t FROM geom g, r)
SELECT '<svg xmlns="http://www.w3.org/2000/svg" viewBox="-460 -470 920 990" width="900" height="968">'
       || '<rect x="-460" y="-470" width="920" height="990" fill="#ffffff"/>'
       || (SELECT string_agg(CASE WHEN pts IS NULL
                  THEN format('<circle cx="0" cy="0" r="%s" fill="%s"/>', round((400 * (90 - 88.42) / 90)::numeric, 2), fill)
                  ELSE format('<polygon points="%s" fill="%s" stroke="%s" stroke-width="0.3"/>', pts, fill, fill) END, '')
             FROM (SELECT pts, format('rgb(%s,%s,%s)',
                            round(68 + t * (253 - 68) * t), round(1 + t * (231 - 1) * (2 - t) / 1.0 * 0.95),
                            round(84 + 80 * sin(pi() * t) - 50 * t)) AS fill
                     FROM colored) c)
       || '<circle cx="0" cy="0" r="400" fill="none" stroke="#333" stroke-width="1.5"/>'
       || (SELECT string_agg(format('<circle cx="0" cy="0" r="%s" fill="none" stroke="#fff" stroke-opacity="0.5" stroke-width="0.8"/>', 400 * (90 - e) / 90), '')
             FROM unnest(ARRAY[30, 60]) e)
       || '<text x="0" y="-420" font-family="sans-serif" font-size="26" text-anchor="middle">N</text>'
       || '<text x="425" y="9" font-family="sans-serif" font-size="26" text-anchor="middle">E</text>'
       || '<text x="0" y="438" font-family="sans-serif" font-size="26" text-anchor="middle">S</text>'
       || '<text x="-425" y="9" font-family="sans-serif" font-size="26" text-anchor="middle">W</text>'
       || format('<text x="-440" y="480" font-family="sans-serif" font-size="16">Diffuse sky of the year, Lyon-Bron TMYx: Perez all-weather radiance per Reinhart patch (2,305)</text>')
       || format('<text x="-440" y="506" font-family="sans-serif" font-size="16">dark %s to light %s kWh/m2/sr; circles at 30 and 60 deg of elevation; the direct sun is kept apart</text>',
                 (SELECT round(lo::numeric, 0) FROM r), (SELECT round(hi::numeric, 0) FROM r))
       || '</svg>';
