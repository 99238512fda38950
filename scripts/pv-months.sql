-- Render the month-by-month yield of 1 kWp in Lyon for five orientations as an SVG chart:
-- pv_yield's monthly_kwh_kwp (the model's defaults) on the demo's Lyon-Bron TMYx sky, each
-- series with its year's total in the legend; rendered entirely from the database.
-- Usage (the demo or docs database):
--   psql -qAt -d smartregion_demo -f scripts/pv-months.sql > /tmp/pv-months.svg
--   rsvg-convert -w 900 /tmp/pv-months.svg > /tmp/pv-months.png
-- then an indexed PNG whose series colours stay exact (Debian's python3-pil, numpy):
--   scripts/quantize-png.py /tmp/pv-months.png docs/img/pv-months-lyon.png '#ffffff' '#000000' '#cccccc' '#d7301f' '#fc8d59' '#4575b4' '#91bfdb' '#636363'
SET client_min_messages = warning;
CREATE TEMP TABLE chart_series AS
SELECT v.k, v.label, v.colour, y.annual_kwh_kwp AS annual, y.monthly_kwh_kwp AS months
  FROM hub.skies s,
       (VALUES (0, 'south, tilted 35°', 35, 180, '#d7301f'),
               (1, 'flat', 0, 180, '#fc8d59'),
               (2, 'west, tilted 15°', 15, 270, '#4575b4'),
               (3, 'east, tilted 15°', 15, 90, '#91bfdb'),
               (4, 'south façade (vertical)', 90, 180, '#636363'),
               (5, 'north, tilted 35°', 35, 0, '#000000')) v(k, label, tilt, azimuth, colour),
       LATERAL smartregion.pv_yield(s.sky, v.tilt, v.azimuth) y
 WHERE s.name = 'lyon-bron-tmyx';
-- the plot: 60 px a month, 2 px a kWh/kWp, from (80, 40); 0 to 160 kWh/kWp
WITH g AS (SELECT 80 AS x0, 360 AS yb, 60 AS dx, 2 AS dy)
SELECT '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 520" width="900" height="520">'
       || '<rect x="0" y="0" width="900" height="520" fill="#ffffff"/>'
       || '<text x="80" y="24" font-family="sans-serif" font-size="17">Month by month: the AC yield of 1 kWp in Lyon by orientation (kWh/kWp)</text>'
       -- the grid and its labels
       || (SELECT string_agg(format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#cccccc" stroke-width="1"/><text x="%s" y="%s" font-family="sans-serif" font-size="12" text-anchor="end">%s</text>',
                                    x0, yb - v * dy, x0 + 12 * dx, yb - v * dy, x0 - 6, yb - v * dy + 4, v), '')
             FROM generate_series(0, 160, 20) v)
       || (SELECT string_agg(format('<text x="%s" y="%s" font-family="sans-serif" font-size="12" text-anchor="middle">%s</text>',
                                    x0 + (m - 0.5) * dx, yb + 18, to_char(make_date(2021, m, 1), 'Mon')), '')
             FROM generate_series(1, 12) m)
       || format('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#000000" stroke-width="1"/>', x0, yb, x0 + 12 * dx, yb)
       -- one line a series, a dot a month
       || (SELECT string_agg(format('<polyline fill="none" stroke="%s" stroke-width="3" points="%s"/>%s', c.colour,
                                    (SELECT string_agg(format('%s,%s', x0 + (m - 0.5) * dx, round((yb - c.months[m] * dy)::numeric, 1)), ' ' ORDER BY m)
                                       FROM generate_series(1, 12) m),
                                    (SELECT string_agg(format('<circle cx="%s" cy="%s" r="4" fill="%s"/>', x0 + (m - 0.5) * dx,
                                                              round((yb - c.months[m] * dy)::numeric, 1), c.colour), '' ORDER BY m)
                                       FROM generate_series(1, 12) m)), '' ORDER BY c.k)
             FROM chart_series c)
       -- the legend: each series and its year
       || (SELECT string_agg(format('<rect x="%s" y="%s" width="26" height="6" fill="%s"/><text x="%s" y="%s" font-family="sans-serif" font-size="14">%s: %s kWh/kWp a year</text>',
                                    x0 + (c.k % 2) * 400, yb + 48 + (c.k / 2) * 26, c.colour,
                                    x0 + 34 + (c.k % 2) * 400, yb + 55 + (c.k / 2) * 26, c.label,
                                    to_char(round(c.annual), 'FM9,999')), '' ORDER BY c.k)
             FROM chart_series c)
       || format('<text x="%s" y="%s" font-family="sans-serif" font-size="11">pv_yield with the model''s defaults (Huld, Faiman, PVWatts inverter and losses), no horizon; weather: Lyon-Bron TMYx 2004-2018 (climate.onebuilding.org); UTC months</text>',
                 20, 508)
       || '</svg>'
  FROM g;
