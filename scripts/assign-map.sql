-- Render the demo's region-wide assignment in Île-de-France as an SVG map: the tiers-lieux of
-- the 2019 census in the région (hub.premises, real places), the synthetic projects
-- (hub.projects), and a line from each project to the premise match_assign's optimal method
-- gives it (each premise hosts up to capacity / 6 projects, at least 1, as in
-- scripts/demo-matching.sql); projects left without a premise in grey. Rendered entirely from
-- the database with ST_AsSVG, in Lambert-93, the départements' contours behind; the map shows
-- Paris and the three départements around it.
-- Usage (the demo or docs database):
--   psql -qAt -d smartregion_demo -f scripts/assign-map.sql > /tmp/assign.svg
--   rsvg-convert -w 1000 /tmp/assign.svg > /tmp/assign.png
-- then an indexed PNG whose legend colours stay exact (Debian's python3-pil, numpy):
--   scripts/quantize-png.py /tmp/assign.png docs/img/assign-idf.png '#ffffff' '#f2f2f2' '#999999' '#2b8cbe' '#e34a33' '#bdbdbd' '#000000'
-- (scripts/doc-maps.sh docs/img draws it so with the docs' other maps; make test-clients
-- checks that docs/img's is what the current demo draws)
SET client_min_messages = warning;
CREATE TEMP TABLE map_pairs AS
SELECT project_id, premise_id, score FROM smartregion.match_candidates(
  $$SELECT * FROM hub.projects WHERE territory_code = '11'$$,
  $$SELECT * FROM hub.premises WHERE territory_code = '11'$$, 10);
CREATE TEMP TABLE map_assign AS
SELECT * FROM smartregion.match_assign('SELECT * FROM map_pairs', 'optimal',
  'SELECT id AS premise_id, greatest(1, capacity / 6) AS capacity FROM hub.premises');
-- the map: Paris and the three départements around it (most of the région's tiers-lieux
-- and projects), the région's other départements cut at its edge
CREATE TEMP TABLE map_dep AS
SELECT d.code, ST_Transform(d.geom, 2154) AS geom, d.code IN ('75', '92', '93', '94') AS core
  FROM smartregion.territory d
 WHERE d.type = 'departement' AND d.region_code = '11' AND d.geom IS NOT NULL;
CREATE TEMP TABLE map_prj AS
SELECT p.id, ST_Transform(p.location, 2154) AS geom, a.premise_id
  FROM hub.projects p LEFT JOIN map_assign a ON a.project_id = p.id
 WHERE p.territory_code = '11';
CREATE TEMP TABLE map_prem AS
SELECT q.id, ST_Transform(q.location, 2154) AS geom, (SELECT count(*) FROM map_assign a WHERE a.premise_id = q.id) AS hosted
  FROM hub.premises q WHERE q.territory_code = '11';
WITH ext AS (
  SELECT x0, y1, w, h, w / 44 AS f
    FROM (SELECT ST_XMin(e) - 3000 AS x0, ST_YMax(e) + 3000 AS y1, ST_XMax(e) - ST_XMin(e) + 6000 AS w,
                 ST_YMax(e) - ST_YMin(e) + 6000 AS h
            FROM (SELECT ST_Extent(geom)::geometry AS e FROM map_dep WHERE core) s) s)
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1000" height="%s">',
              x0, -y1, w, h + 7 * f, round(1000 * (h + 7 * f) / w))
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>', x0, -y1, w, h + 7 * f)
       || format('<clipPath id="win"><rect x="%s" y="%s" width="%s" height="%s"/></clipPath><g clip-path="url(#win)">',
                 x0, -y1, w, h)
       || (SELECT string_agg(format('<path d="%s" fill="#f2f2f2" stroke="#999999" stroke-width="%s"/>',
                                    ST_AsSVG(d.geom, 0, 0), round(0.05 * f)), '' ORDER BY d.code) FROM map_dep d)
       -- a line from each assigned project to its premise
       || (SELECT string_agg(format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2b8cbe" stroke-width="%s"/>',
                                    round(ST_X(p.geom)), round(-ST_Y(p.geom)), round(ST_X(q.geom)), round(-ST_Y(q.geom)),
                                    round(0.04 * f)), '' ORDER BY p.id)
             FROM map_prj p JOIN map_prem q ON q.id = p.premise_id)
       -- the projects without a premise, then those with one
       || (SELECT string_agg(format('<circle cx="%s" cy="%s" r="%s" fill="#bdbdbd"/>', round(ST_X(p.geom)), round(-ST_Y(p.geom)),
                                    round(0.1 * f)), '' ORDER BY p.id) FROM map_prj p WHERE p.premise_id IS NULL)
       || (SELECT string_agg(format('<circle cx="%s" cy="%s" r="%s" fill="#2b8cbe"/>', round(ST_X(p.geom)), round(-ST_Y(p.geom)),
                                    round(0.1 * f)), '' ORDER BY p.id) FROM map_prj p WHERE p.premise_id IS NOT NULL)
       -- the premises, larger as they host more
       || (SELECT string_agg(format('<circle cx="%s" cy="%s" r="%s" fill="#e34a33" stroke="#000000" stroke-width="%s"/>',
                                    round(ST_X(q.geom)), round(-ST_Y(q.geom)), round((0.14 + 0.06 * sqrt(q.hosted)) * f),
                                    round(0.02 * f)), '' ORDER BY q.id) FROM map_prem q)
       || '</g>'
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#666666" stroke-width="%s"/>', x0, -y1, w, h, round(0.04 * f))
       || (SELECT format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">Paris and around: %s of the région''s %s projects given a tiers-lieu (match_assign, optimal)</text>',
                         x0 + 0.5 * f, -y1 + h + 1.4 * f, 0.8 * f,
                         count(*), (SELECT count(*) FROM map_prj))
             FROM map_assign a)
       || format('<circle cx="%s" cy="%s" r="%s" fill="#e34a33" stroke="#000000" stroke-width="%s"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">a tiers-lieu of the 2019 census (larger: hosts more)</text>',
                 x0 + 1 * f, -y1 + h + 2.9 * f, round(0.3 * f), round(0.03 * f), x0 + 1.8 * f, -y1 + h + 3.2 * f, 0.75 * f)
       || format('<circle cx="%s" cy="%s" r="%s" fill="#2b8cbe"/><line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2b8cbe" stroke-width="%s"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">a project and its tiers-lieu</text>',
                 x0 + 22 * f, -y1 + h + 2.9 * f, round(0.18 * f), x0 + 22 * f, -y1 + h + 2.9 * f, x0 + 24 * f, -y1 + h + 2.9 * f,
                 round(0.06 * f), x0 + 24.6 * f, -y1 + h + 3.2 * f, 0.75 * f)
       || format('<circle cx="%s" cy="%s" r="%s" fill="#bdbdbd"/><text x="%s" y="%s" font-family="sans-serif" font-size="%s">a project left without one (no premise fits, or none has room)</text>',
                 x0 + 1 * f, -y1 + h + 4.4 * f, round(0.18 * f), x0 + 1.8 * f, -y1 + h + 4.7 * f, 0.75 * f)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="%s">places: ANCT tiers-lieux census 2019 (Licence Ouverte); projects and the premises'' offers synthetic; contours IGN GEOFLA 2016</text>',
                 x0 + 0.5 * f, -y1 + h + 6.2 * f, 0.6 * f)
       || '</svg>'
  FROM ext;
