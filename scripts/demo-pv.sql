-- PV demo (issue 17): what a roof in Lyon 1er really yields, what it saves,
-- when it pays back and the CO2 it avoids; the hill of Fourviere and plane
-- trees in the streets.  Runs after demo-cadastre.sql (hub.buildings,
-- hub.skies) in `make demo`.
--
-- The relief and the trees are SYNTHETIC (the repository has no elevation
-- model nor tree inventory): a hill 130 m above the Saone where Fourviere
-- is, the Croix-Rousse plateau 80 m above it, plane trees on the streets of
-- a block by the Saone.  With the real data (IGN RGE ALTI, the Metropole
-- de Lyon's tree inventory) the same calls apply.
\set ON_ERROR_STOP 1
-- the relief and the trees are drawn in EPSG:3946 and brought to the hub's SRID
SELECT smartregion.hub_srid('hub') AS hub_srid \gset
\set epw `cat data/weather/FRA_AR_Lyon-Bron.AP.074800_TMYx.2004-2018.epw`

\echo
\echo '-- the PV model on a south roof at 35 deg in Lyon (first year, kWh per kWp)'
CREATE TEMP TABLE weather AS
SELECT ts, ghi, dni, dhi, temp_air, wind_speed FROM smartregion.epw_records(:'epw');
SELECT 'defaults (Huld, Faiman, Martin-Ruiz, PVWatts inverter and losses)' AS system,
       round(f.annual_kwh_kwp::numeric) AS fast_kwh_kwp, round(r.annual_kwh_kwp::numeric) AS hourly_kwh_kwp,
       round(f.poa_kwh_m2::numeric) AS poa_kwh_m2, round(f.performance_ratio::numeric, 3) AS pr
  FROM hub.skies s, smartregion.pv_yield(s.sky, 35, 180) f,
       smartregion.pv_yield_hourly('SELECT * FROM weather', 45.7261, 4.9378, 35, 180) r
UNION ALL
SELECT 'PVGIS method (Huld, Faiman, Martin-Ruiz, 14 % losses, no inverter model)',
       round(f.annual_kwh_kwp::numeric), round(r.annual_kwh_kwp::numeric), round(f.poa_kwh_m2::numeric),
       round(f.performance_ratio::numeric, 3)
  FROM hub.skies s, smartregion.pv_yield(s.sky, 35, 180, NULL, '{"inverter_model": "none", "system_losses_pct": 14}') f,
       smartregion.pv_yield_hourly('SELECT * FROM weather', 45.7261, 4.9378, 35, 180, NULL,
                                   '{"inverter_model": "none", "system_losses_pct": 14}') r;

\echo
\echo '-- a 3 kWp household system on that roof: economics with the French defaults'
SELECT round(e.production_kwh) AS kwh_year, round(e.self_consumption_pct) AS self_consumed_pct,
       round(e.savings_eur_year1) AS savings_eur, round(e.export_revenue_eur_year1) AS export_eur,
       e.investment_eur, round(e.npv_eur) AS npv_eur, round(e.irr_pct::numeric, 1) AS irr_pct,
       round(e.simple_payback_years::numeric, 1) AS payback_years, round(e.co2_avoided_kg_year) AS co2_kg_year
  FROM hub.skies s, smartregion.pv_economics(s.sky, 35, 180, 3.0) e;
\echo 'the defaults, with their source and date (smartregion.pv_economic_parameters):'
SELECT name, CASE WHEN max_kwp = 'Infinity' THEN 'all' ELSE '<= ' || max_kwp END AS size, value, unit, as_of
  FROM smartregion.pv_economic_parameters ORDER BY name, max_kwp;

\echo
\echo '-- a few Lyon 1er roofs: their PV, savings, payback and CO2 avoided'
\echo '   (each face one system; the load of a household, 4,500 kWh; roofs of 3 to 36 kWp)'
CREATE TEMP TABLE picked AS
SELECT building_id FROM hub.solar_roofs
 WHERE pv_kwp BETWEEN 3 AND 36 AND potential_class IN ('good', 'excellent')
 ORDER BY building_id LIMIT 8;
CREATE TEMP TABLE econ AS
SELECT c.* FROM hub.skies s,
       smartregion.solar_cadastre(
         'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
                 id IN (SELECT building_id FROM pg_temp.picked) AS target
            FROM hub.buildings
           WHERE geom && (SELECT ST_Expand(ST_Extent(b.geom), 300) FROM hub.buildings b
                           WHERE b.id IN (SELECT building_id FROM pg_temp.picked))', s.sky,
         '{"economics": {}}') c;
SELECT building_id, round(pv_kwp::numeric, 1) AS kwp, round(pv_kwh_year) AS kwh_year,
       round(pv_specific_yield) AS kwh_kwp, round(shading_loss_pct::numeric, 1) AS shade_pct,
       round((economics->>'savings_eur_year1')::numeric) AS savings_eur,
       round((economics->>'export_revenue_eur_year1')::numeric) AS export_eur,
       round((economics->>'simple_payback_years')::numeric, 1) AS payback_years,
       round((economics->>'npv_eur')::numeric) AS npv_eur,
       round((economics->>'co2_avoided_kg_year')::numeric) AS co2_kg_year
  FROM econ ORDER BY building_id, face;

\echo
\echo '-- terrain: a synthetic Fourviere hill west of the Saone and the Croix-Rousse plateau'
\echo '   (EPSG:3946, 25 m pixels, ground 195 m as the buildings Z_MIN_SOL here; not real elevations;'
\echo '   warped to the hub SRID, bilinear)'
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis_raster;
RESET client_min_messages;
CREATE TEMP TABLE relief AS
SELECT ST_Transform(ST_MapAlgebra(ST_AddBand(ST_MakeEmptyRaster(281, 241, 1839500, 5179000, 25, -25, 0, 0, 3946), '32BF'::text, 195::float8), 1, '32BF',
  '195 + 130 * exp(-(power(1839500 + 25 * ([rast.x] - 0.5) - 1841765, 2) + power(5179000 - 25 * ([rast.y] - 0.5) - 5175204, 2)) / (2 * 450.0 * 450.0))'
  || ' + 80 / (1 + exp(-(5179000 - 25 * ([rast.y] - 0.5) - 5176650) / 120.0))'), :hub_srid, 'Bilinear') AS rast;
\echo the far horizon of a roof by the Saone (25 m above the ground), toward the hill:
SELECT az AS azimuth_deg,
       round(smartregion.horizon_elevation(smartregion.horizon_from_dem('SELECT rast FROM pg_temp.relief',
             ST_Transform(ST_SetSRID(ST_MakePoint(1841500, 5176050, 220), 3946), :hub_srid)), az)::numeric, 1) AS terrain_deg
  FROM (VALUES (180), (210), (240), (270), (300)) v(az);
CREATE TEMP TABLE hilly AS
SELECT c.* FROM hub.skies s,
       smartregion.solar_cadastre(
         'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height
            FROM hub.buildings', s.sky,
         '{"terrain_sql": "SELECT rast FROM pg_temp.relief", "terrain_grid_m": 150}') c;
SELECT round(avg(r.shading_loss_pct)::numeric, 2) AS shade_pct_buildings,
       round(avg(h.shading_loss_pct)::numeric, 2) AS shade_pct_with_relief,
       round((sum(r.pv_kwh_year) / 1e6)::numeric, 2) AS pv_gwh_buildings,
       round((sum(h.pv_kwh_year) / 1e6)::numeric, 2) AS pv_gwh_with_relief,
       count(*) FILTER (WHERE h.shading_loss_pct > r.shading_loss_pct + 0.5) AS roofs_losing_over_half_pt
  FROM hub.solar_roofs r JOIN hilly h USING (building_id, face);
\echo the roofs the relief shades most:
SELECT building_id, face, round(r.shading_loss_pct::numeric, 1) AS shade_pct_buildings,
       round(h.shading_loss_pct::numeric, 1) AS shade_pct_with_relief
  FROM hub.solar_roofs r JOIN hilly h USING (building_id, face)
 ORDER BY h.shading_loss_pct - r.shading_loss_pct DESC LIMIT 3;

\echo
\echo '-- trees: plane trees (22 m high, crowns of 6 m radius) on the streets of a block by the Saone'
\echo '   (synthetic: every 15 m where the ground is 6 to 12 m from a facade; the ground of the nearest building)'
CREATE TEMP TABLE trees AS
WITH area AS (SELECT ST_MakeEnvelope(1841300, 5175850, 1841700, 5176250, 3946) AS g),
     cand AS (SELECT ST_Transform(ST_SetSRID(ST_MakePoint(x, y), 3946), :hub_srid) AS p
                FROM area, generate_series(1841300, 1841700, 15) x, generate_series(5175850, 5176250, 15) y)
SELECT row_number() OVER ()::bigint AS id, c.p AS geom, 22.0::float8 AS height, 6.0::float8 AS crown_radius,
       (SELECT b.ground_z FROM hub.buildings b ORDER BY b.geom <-> c.p LIMIT 1) AS ground_z
  FROM cand c
 WHERE NOT EXISTS (SELECT 1 FROM hub.buildings b WHERE ST_DWithin(b.geom, c.p, 6))
   AND EXISTS (SELECT 1 FROM hub.buildings b WHERE ST_DWithin(b.geom, c.p, 12));
SELECT count(*) AS trees FROM trees;
CREATE TEMP TABLE shaded AS
SELECT c.* FROM hub.skies s,
       smartregion.solar_cadastre(
         'SELECT id, ST_Force3DZ(ST_Force2D(geom), (ST_ZMin(geom) + coalesce(roof_z_max, ST_ZMin(geom))) / 2) AS geom, height,
                 geom && ST_Transform(ST_MakeEnvelope(1841300, 5175850, 1841700, 5176250, 3946), smartregion.hub_srid(''hub'')) AS target
            FROM hub.buildings
           WHERE geom && ST_Transform(ST_MakeEnvelope(1841000, 5175550, 1842000, 5176550, 3946), smartregion.hub_srid(''hub''))',
         s.sky, '{"trees_sql": "SELECT id, geom, height, crown_radius, ground_z FROM pg_temp.trees"}') c;
\echo the roofs the trees shade most: December (leafless, 60 % through) and July (in leaf, 15 %), kWh/m2:
SELECT t.building_id, t.face,
       round(r.monthly_kwh_m2[12]::numeric, 1) AS dec_no_trees, round(t.monthly_kwh_m2[12]::numeric, 1) AS dec_trees,
       round(r.monthly_kwh_m2[7]::numeric, 1) AS jul_no_trees, round(t.monthly_kwh_m2[7]::numeric, 1) AS jul_trees,
       round((100 * (1 - t.pv_kwh_year / nullif(r.pv_kwh_year, 0)))::numeric, 1) AS pv_loss_pct
  FROM shaded t JOIN hub.solar_roofs r USING (building_id, face)
 WHERE t.annual_kwh_m2 < r.annual_kwh_m2 - 1
 ORDER BY r.annual_kwh_m2 - t.annual_kwh_m2 DESC LIMIT 6;
SELECT count(*) AS roofs_in_the_block, count(*) FILTER (WHERE t.annual_kwh_m2 < r.annual_kwh_m2 - 1) AS shaded_by_trees,
       round((100 * (1 - sum(t.pv_kwh_year) / sum(r.pv_kwh_year)))::numeric, 1) AS block_pv_loss_pct
  FROM shaded t JOIN hub.solar_roofs r USING (building_id, face);
