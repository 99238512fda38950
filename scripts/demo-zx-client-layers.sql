-- The demo's client layers (docs/qgis.md): results of functions joined to their geometries,
-- materialised with a stable integer key, a typed geometry column and a spatial index, so that
-- QGIS, GDAL and tile servers read them as tables (a QGIS layer needs a unique key, and
-- recomputing a function on every pan costs a query per pan).  Run by `make demo` after the
-- zones and maturity demos; refresh with REFRESH MATERIALIZED VIEW after new data.
-- (hub.solar_roofs, the cadastre's layer, is a hub table filled by refresh_solar_roofs.)
SET client_min_messages = warning;

-- ZAE indicators joined to their zones, as published (statistical secrecy applied).  A
-- materialised view is computed with its creator's rights (here the owner, whom row-level
-- security does not filter) and read by the clients' role.  Its land units and their vacancy
-- are built from the public zones, parcels and buildings alone, so that they tell demo_reader
-- nothing of the restricted ones (the parcels of private owners: the audit of 2026-12-04 read
-- their number per zone from the difference) beyond what the published CNIG files tell anyone:
-- site_eco counts every land unit and terrain_eco lists them (docs/zones.md, Hub tables).  The establishments are microdata, restricted by
-- default and published only through statistical secrecy: their figures (count, jobs, sector
-- diversity) are the inventory's published table itself, from every zone, parcel, building and
-- establishment under the same rules, as the CNIG files and the published indicators of
-- demo-zones.sql.  Placed on the public parcels alone they were another table of the same zones,
-- and its difference with the files a cell without secrecy (zone 5: 13 establishments and
-- 1,011.5 jobs published there, 12 and 937 here: one company of band 21, 50-99 employees).
DROP MATERIALIZED VIEW IF EXISTS hub.zae_zone_indicators;
CREATE MATERIALIZED VIEW hub.zae_zone_indicators AS
SELECT z.zone_id, z.site_nom, z.comm_insee, i.area_ha, i.land_units, i.vacant_land_units,
       i.vacancy_rate, i.footprint_ratio, e.establishments, e.jobs_estimate, e.jobs_per_ha,
       i.available_land_ha, e.sector_diversity, e.published, z.geom
  FROM hub.zae_zones z
  JOIN smartregion.zone_indicators(
         $$SELECT zone_id, geom FROM hub.zae_zones WHERE visibility = 'public'$$,
         $$SELECT parcel_id, geom, land_unit_id, owner_id FROM hub.zae_parcels WHERE visibility = 'public'$$,
         $$SELECT building_id, geom, levels, built_year FROM hub.zae_buildings WHERE visibility = 'public'$$,
         $$SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM hub.zae_establishments$$,
         -- (not a published call: its land figures only are taken, and a published call of
         -- part of the hub's parcels is refused, 22023, as another table of the same zones)
         '2024-06-30', '{}') i USING (zone_id)
  JOIN smartregion.zone_indicators(
         $$SELECT zone_id, geom FROM hub.zae_zones$$,
         $$SELECT parcel_id, geom, land_unit_id FROM hub.zae_parcels$$,
         $$SELECT building_id, geom, levels, built_year FROM hub.zae_buildings$$,
         $$SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM hub.zae_establishments$$,
         '2024-06-30', '{"published": true}') e USING (zone_id)
 WHERE z.visibility = 'public';
CREATE UNIQUE INDEX zae_zone_indicators_key ON hub.zae_zone_indicators (zone_id);
CREATE INDEX zae_zone_indicators_geom_idx ON hub.zae_zone_indicators USING gist (geom);
COMMENT ON MATERIALIZED VIEW hub.zae_zone_indicators IS
  'demo client layer: published ZAE indicators (zone_indicators, statistical secrecy applied) on their zones: land units and vacancy from the public zones, parcels and buildings, establishments, jobs and sector diversity from the inventory''s published table (every row, as the CNIG files); key zone_id';

-- Digital-maturity scores (framework demo) on the communes that have a contour.  The key is
-- the commune's INSEE code read in base 36 (codes are five characters of 0-9 and A-Z, 2A/2B in
-- Corsica): an integer that never changes with the data, unlike a row number.
DROP MATERIALIZED VIEW IF EXISTS hub.maturity_commune_scores;
CREATE MATERIALIZED VIEW hub.maturity_commune_scores AS
SELECT (SELECT sum((strpos('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ', substr(t.code, k, 1)) - 1)
                   * 36::numeric ^ (length(t.code) - k))::bigint
          FROM generate_series(1, length(t.code)) k) AS commune_key,
       t.code AS commune_code, t.name, t.departement_code, t.population,
       s.score, s.level, s.level_label, s.coverage, t.geom
  FROM smartregion.territory t
  JOIN smartregion.maturity_scores('demo', NULL, '{"territory_type": "commune"}') s
    ON s.territory_code = t.code
 WHERE t.type = 'commune' AND t.geom IS NOT NULL;
CREATE UNIQUE INDEX maturity_commune_scores_key ON hub.maturity_commune_scores (commune_key);
CREATE INDEX maturity_commune_scores_geom_idx ON hub.maturity_commune_scores USING gist (geom);
COMMENT ON MATERIALIZED VIEW hub.maturity_commune_scores IS
  'demo client layer: digital-maturity scores (framework demo) of the communes with a contour; key commune_key (the INSEE code in base 36)';

-- The solar roofs for QGIS: hub.solar_roofs with its economics as text.  QGIS 3.22's postgres
-- provider parses every json/jsonb value it reads, SQL NULL included (the empty text, a parse
-- error): the NULL economics of the roofs computed without the option `economics` (all of the
-- demo's; with it, the faces too small for a system) logged "Cannot parse json" once per roof
-- read, 5,152 warnings for the project's check.  Text reads as it is; a plain view, so that it
-- is the table itself (a refresh shows at once) and, security_invoker, read with the reader's
-- rights, under the hub's row-level security.
CREATE OR REPLACE VIEW hub.solar_roofs_qgis WITH (security_invoker = true) AS
SELECT roof_id, building_id, face, geom, tilt, azimuth, area_m2, usable_area_m2, annual_kwh_m2,
       monthly_kwh_m2, shading_loss_pct, pv_kwp, pv_kwh_year, potential_class, pv_specific_yield,
       economics::text AS economics, sunny_area_m2, p10_kwh_m2, p50_kwh_m2, p90_kwh_m2, samples,
       territory_code, visibility, territory_type
  FROM hub.solar_roofs;
COMMENT ON VIEW hub.solar_roofs_qgis IS
  'demo client layer: hub.solar_roofs with economics as text (QGIS 3.22 warns on every NULL jsonb it reads); read with the caller''s rights; key roof_id';

\echo 'client layers (geometry_columns: what QGIS and GDAL read)'
SELECT f_table_schema || '.' || f_table_name AS layer, f_geometry_column AS geometry, type, coord_dimension AS dims,
       srid
  FROM geometry_columns
 WHERE f_table_schema = 'hub'
 ORDER BY 1;
