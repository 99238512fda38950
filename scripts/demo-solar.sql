-- Demo of the solar physics service (issue 3): Lyon-Bron typical year.
-- Weather: Lyon-Bron TMYx 2004-2018 (climate.onebuilding.org, from NOAA NCEI
-- ISD; data/weather/SOURCES.md).  Run from the repository root by
-- `make demo` (psql, ON_ERROR_STOP).
SET client_min_messages = warning;
SET TimeZone = 'Europe/Paris';

-- 1. load the EPW file into a table, one row per hour
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`
DROP TABLE IF EXISTS public.solar_weather_file, public.solar_weather_hour;
CREATE TABLE public.solar_weather_file (name text PRIMARY KEY, content text NOT NULL);
INSERT INTO public.solar_weather_file VALUES ('lyon-bron-tmyx', :'epw');
-- with the sun at the middle of each hour (EPW values cover the hour ending at ts)
CREATE TABLE public.solar_weather_hour AS
SELECT f.name AS file, l.lat, l.lon, l.elevation, r.*,
       p.apparent_zenith AS zenith, p.azimuth,
       smartregion.extraterrestrial_irradiance(r.ts) AS dni_extra
  FROM public.solar_weather_file f,
       smartregion.epw_location(f.content) l,
       smartregion.epw_records(f.content) r,
       smartregion.sun_position(r.ts - interval '30 minutes', l.lat, l.lon, l.elevation,
                                r.pressure_pa / 100, r.temp_air, 69) p;

\echo '== the site'
SELECT l.name, l.lat, l.lon, l.tz, l.elevation, l.country, l.wmo
  FROM public.solar_weather_file f, smartregion.epw_location(f.content) l;

\echo '== sunrise, solar noon and sunset in Lyon (civil time)'
SELECT d AS day, to_char(sunrise, 'HH24:MI') AS sunrise, to_char(transit, 'HH24:MI') AS noon,
       to_char(sunset, 'HH24:MI') AS sunset, to_char(sunset - sunrise, 'HH24"h"MI') AS daylight
  FROM (VALUES ('2021-03-20'::date, 1), ('2021-06-21', 2), ('2021-09-22', 2), ('2021-12-21', 1)) v(d, tz),
       smartregion.sun_times(d, 45.7261, 4.9378, tz, 69)
 ORDER BY d;

\echo '== the sun over Lyon on the summer solstice'
SELECT to_char(ts, 'HH24:MI') AS local_time, round(apparent_elevation::numeric, 1) AS elevation,
       round(azimuth::numeric, 1) AS azimuth
  FROM smartregion.sun_positions('2021-06-21 04:00Z', '2021-06-21 20:00Z', '2 hours',
                                 ARRAY[45.7261], ARRAY[4.9378])
 ORDER BY ts;

\echo '== measured vs Ineichen clear sky, 21 June (Linke turbidity 3.9)'
SELECT to_char(h.ts - interval '30 minutes', 'HH24:MI') AS mid_hour, h.ghi AS ghi_measured,
       round(c.ghi::numeric) AS ghi_clear, h.dni AS dni_measured, round(c.dni::numeric) AS dni_clear
  FROM public.solar_weather_hour h,
       smartregion.clearsky_ineichen(h.zenith,
         smartregion.absolute_airmass(smartregion.relative_airmass(h.zenith), h.pressure_pa),
         3.9, h.elevation, h.dni_extra) c
 WHERE h.month = 6 AND h.day = 21 AND h.zenith < 85
 ORDER BY h.ts;

\echo '== monthly Linke turbidity from the clearest hours (DHI/GHI < 0.2, zenith < 70)'
-- inverts the Ineichen beam equation DNI = b I0 exp(-0.09 AM (TL - 1))
SELECT month, count(*) AS clear_hours,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY
         1 - ln(dni / ((0.664 + 0.163 / exp(-elevation / 8000)) * dni_extra))
             / (0.09 * smartregion.absolute_airmass(smartregion.relative_airmass(zenith), pressure_pa)))::numeric, 2) AS linke_tl
  FROM public.solar_weather_hour
 WHERE zenith < 70 AND ghi > 0 AND dni > 0 AND dhi / ghi < 0.2
 GROUP BY month ORDER BY month;

\echo '== annual irradiation by roof orientation (Perez 1990, kWh/m2/year)'
SELECT o.roof, o.tilt, o.azimuth,
       round((sum((smartregion.poa_irradiance(o.tilt, o.azimuth, h.zenith, h.azimuth, h.dni, h.ghi, h.dhi,
                    h.dni_extra, albedo => coalesce(h.albedo, 0.2))).poa_global) / 1000)::numeric) AS kwh_m2_year
  FROM public.solar_weather_hour h,
       (VALUES ('flat', 0, 180), ('south 30', 30, 180), ('east 30', 30, 90), ('west 30', 30, 270),
               ('south 60', 60, 180), ('south wall', 90, 180), ('north 30', 30, 0)) o(roof, tilt, azimuth)
 WHERE h.zenith < 90
 GROUP BY o.roof, o.tilt, o.azimuth
 ORDER BY kwh_m2_year DESC;
