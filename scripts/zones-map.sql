-- Render the statutory inventory of three activity zones of the demo as an SVG
-- map: every land unit of the zones coloured by land_unit_vacancy (occupied;
-- never occupied, not vacant under L318-8-2; vacant, no activity since), the zones' outlines and
-- their published vacancy (zone_indicators), the buildings on top and the
-- other parcels of the real cadastre around them; rendered entirely from the
-- database with ST_AsSVG.  What the map shows is what the inventory
-- publishes: no establishment is drawn (microdata), and the two occupied
-- reasons are one colour (active_cfe against occupied_non_cfe would disclose
-- the establishments' CFE liability, under fiscal secrecy: docs/zones.md).  The zones: Juvisy-sur-Orge's three (hub.zae_zones
-- 3, 4 and 5), on 2024-06-30.
-- Usage (the demo or docs database, its hub filled by scripts/demo-zones.sql):
--   psql -qAt -d smartregion_demo -f scripts/zones-map.sql > /tmp/zones-juvisy.svg
--   rsvg-convert -w 1200 /tmp/zones-juvisy.svg > /tmp/zones-juvisy.png
-- then an indexed PNG whose legend colours stay exact (Debian's python3-pil, numpy):
--   scripts/quantize-png.py /tmp/zones-juvisy.png docs/img/zones-juvisy.png '#2b83ba' '#fdae61' '#d7191c' '#6a3d9a' '#1b7837'
SET client_min_messages = warning;
CREATE TEMP TABLE map_z AS
SELECT zone_id, site_nom, geom,
       CASE zone_id WHEN 3 THEN '#6a3d9a' WHEN 4 THEN '#111111' ELSE '#1b7837' END AS ink
  FROM hub.zae_zones WHERE zone_id IN (3, 4, 5);
CREATE TEMP TABLE map_lu AS
SELECT v.land_unit_id, v.zone_id, v.vacant,
       CASE WHEN v.vacant OR v.reason = 'never_occupied' THEN v.reason ELSE 'occupied' END AS reason, u.geom
  FROM smartregion.land_unit_vacancy(
         'SELECT zone_id, geom FROM map_z',
         'SELECT parcel_id, geom, land_unit_id FROM hub.zae_parcels',
         'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM hub.zae_establishments',
         '2024-06-30') v
  JOIN (SELECT coalesce(land_unit_id, parcel_id) AS land_unit_id, ST_Union(geom) AS geom
          FROM hub.zae_parcels GROUP BY 1) u USING (land_unit_id)
 WHERE v.zone_id IS NOT NULL;
CREATE TEMP TABLE map_ind AS
SELECT i.zone_id, i.land_units, i.vacant_land_units, i.vacancy_rate
  FROM smartregion.zone_indicators(
         'SELECT zone_id, geom FROM map_z',
         'SELECT parcel_id, geom, land_unit_id FROM hub.zae_parcels',
         'SELECT building_id, geom, levels, built_year FROM hub.zae_buildings',
         'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM hub.zae_establishments',
         '2024-06-30', '{"published": true}') i;
WITH ext AS (
  SELECT ST_XMin(e) - 60 AS x0, ST_YMax(e) + 60 AS y1, ST_XMax(e) - ST_XMin(e) + 120 AS w,
         ST_YMax(e) - ST_YMin(e) + 120 AS h, ST_SetSRID(ST_Expand(e, 60), 2154) AS box
    FROM (SELECT ST_Extent(geom)::geometry AS e FROM map_z) s),
st(reason, fill, label) AS (VALUES
  ('occupied', '#2b83ba', 'occupied (an establishment active in the two years before)'),
  ('never_occupied', '#fdae61', 'never occupied (not vacant: never assigned, L318-8-2)'),
  ('no_activity_since', '#d7191c', 'vacant: its last establishment ended before those two years'))
SELECT format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="%s %s %s %s" width="1600" height="%s">',
              x0, -y1, w, h + 200, round(1600 * (h + 200) / w))
       || format('<rect x="%s" y="%s" width="%s" height="%s" fill="#ffffff"/>', x0, -y1, w, h + 200)
       -- the real cadastre around (DGFiP PCI via Etalab)
       || (SELECT string_agg(format('<path d="%s" fill="#f1f1ee" stroke="#c8c8c0" stroke-width="0.8"/>',
                                    ST_AsSVG(ST_Intersection(p.geom, ext.box), 0, 1)), '')
             FROM hub.zae_parcels p WHERE p.geom && ext.box)
       || (SELECT string_agg(format('<path d="%s" fill="%s" stroke="#555" stroke-width="1"/>',
                                    ST_AsSVG(l.geom, 0, 1), st.fill), '')
             FROM map_lu l JOIN st USING (reason))
       || (SELECT string_agg(format('<path d="%s" fill="#444" fill-opacity="0.55" stroke="none"/>',
                                    ST_AsSVG(b.geom, 0, 1)), '')
             FROM hub.zae_buildings b WHERE b.geom && ext.box)
       || (SELECT string_agg(format('<path d="%s" fill="none" stroke="%s" stroke-width="5"/>',
                                    ST_AsSVG(z.geom, 0, 1), z.ink), '') FROM map_z z)
       -- each zone's number on it; its published vacancy in the legend
       || (SELECT string_agg(format('<circle cx="%s" cy="%s" r="22" fill="#fff" stroke="%s" stroke-width="5"/><text x="%s" y="%s" font-family="sans-serif" font-size="28" font-weight="bold" text-anchor="middle" fill="%s">%s</text>',
                                    round(ST_X(p)::numeric, 1), round(-ST_Y(p)::numeric, 1), z.ink,
                                    round(ST_X(p)::numeric, 1), round((-ST_Y(p) + 10)::numeric, 1), z.ink, z.zone_id), '')
             FROM map_z z, LATERAL (SELECT ST_PointOnSurface(z.geom) AS p) q)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="30">Juvisy-sur-Orge (91326): the land units of three activity zones on 2024-06-30 (land_unit_vacancy, zone_indicators)</text>',
                 x0 + 20, -y1 + h + 40)
       || (SELECT string_agg(format('<rect x="%s" y="%s" width="40" height="26" fill="%s" stroke="#555"/><text x="%s" y="%s" font-family="sans-serif" font-size="24">%s</text>',
                                    x0 + 20, -y1 + h + 62 + k * 40, fill,
                                    x0 + 70, -y1 + h + 84 + k * 40, label), '')
             FROM (SELECT st.*, row_number() OVER () - 1 AS k FROM st) s)
       || (SELECT string_agg(format('<text x="%s" y="%s" font-family="sans-serif" font-size="24" font-weight="bold" fill="%s">zone %s (%s): %s of %s land units vacant (%s %%)</text>',
                                    x0 + w * 0.55, -y1 + h + 84 + k * 40, ink, zone_id,
                                    substring(site_nom FROM '\(([^)]*)\)'), vacant_land_units, land_units,
                                    round((100 * vacancy_rate)::numeric)), '')
             FROM (SELECT z.zone_id, z.ink, z.site_nom, i.vacant_land_units, i.land_units, i.vacancy_rate,
                          row_number() OVER (ORDER BY z.zone_id) - 1 AS k
                     FROM map_z z JOIN map_ind i USING (zone_id)) s)
       || '</svg>'
  FROM ext;
