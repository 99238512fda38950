-- Activity-zone observatory: hand-computed zones (see docs/zones.md,
-- "worked example"), equality with the plain PostGIS SQL formulation,
-- statutory vacancy, land consumption and statistical secrecy (the CNIG exports:
-- sql/cnig.sql).
SET client_min_messages = warning;
CREATE SCHEMA zt;
SET search_path = zt, public;

-- Two touching 1 ha zones; seven parcels (P4 straddles: 1500 m2 in zone 10,
-- 2000 m2 in zone 20; P7 outside); four buildings (B4 off parcel); seven
-- establishments (E5 on the P2/P6 boundary, E6 off parcel).
CREATE TABLE zp_zones AS
SELECT * FROM (VALUES
  (10::bigint, ST_MakeEnvelope(0, 0, 100, 100, 2154)),
  (20::bigint, ST_MakeEnvelope(100, 0, 200, 100, 2154))) v(zone_id, geom);
CREATE TABLE zp_parcels AS
SELECT * FROM (VALUES
  ('P1', ST_MakeEnvelope(0, 0, 50, 50, 2154), 'U1', 'owner-a'),
  ('P2', ST_MakeEnvelope(50, 0, 100, 50, 2154), 'U1', 'owner-a'),
  ('P3', ST_MakeEnvelope(0, 50, 70, 100, 2154), NULL, 'owner-b'),
  ('P4', ST_MakeEnvelope(70, 50, 140, 100, 2154), NULL, 'owner-c'),
  ('P5', ST_MakeEnvelope(140, 0, 200, 100, 2154), 'U2', 'owner-d'),
  ('P6', ST_MakeEnvelope(100, 0, 140, 50, 2154), 'U2', 'owner-d'),
  ('P7', ST_MakeEnvelope(300, 0, 310, 10, 2154), NULL, 'owner-e')) v(parcel_id, geom, land_unit_id, owner_id);
CREATE TABLE zp_buildings AS
SELECT * FROM (VALUES
  (1::bigint, ST_MakeEnvelope(10, 10, 30, 30, 2154), 2, 2015),
  (2::bigint, ST_MakeEnvelope(150, 10, 190, 40, 2154), NULL, 2022),
  (3::bigint, ST_MakeEnvelope(80, 60, 90, 70, 2154), 3, 2005),
  (4::bigint, ST_MakeEnvelope(400, 400, 410, 410, 2154), 1, NULL)) v(building_id, geom, levels, built_year);
CREATE TABLE zp_establishments AS
SELECT siret, ST_SetSRID(ST_MakePoint(x, y), 2154) AS geom, naf, headcount_band,
       start_date::date, end_date::date, cfe_liable
  FROM (VALUES
  ('E1', 20, 20, '62.01Z', '12', '2015-03-01', NULL, true),
  ('E2', 25, 75, '47.11F', '01', '2010-01-01', '2021-06-30', true),
  ('E3', 110, 20, '10.71C', '03', '2018-01-01', NULL, false),
  ('E4', 160, 60, '46.90Z', '21', '2023-05-01', NULL, true),
  ('E5', 100, 25, '62.02A', 'NN', '2020-01-01', NULL, true),
  ('E6', 500, 500, '01.11Z', '00', '2019-01-01', NULL, true),
  ('E7', 75, 75, '56.10A', '02', '2024-03-01', NULL, true))
  v(siret, x, y, naf, headcount_band, start_date, end_date, cfe_liable);

-- Hand-computed (docs/zones.md): zone 10: parcels 8500 m2, 2 land units (U1,
-- P3), P3 vacant since E2 closed on 2021-06-30 -> 0.5, built 400 m2 (FAR 800/8500),
-- E1 (band 12 -> 34.5 jobs) and E5 (NN -> 0), section J only (diversity 0),
-- available 0.35 ha (P3).  Zone 20: 11500 m2, units P4 (never occupied before
-- 2024-01-01, built) and U2 (E4 CFE-liable since 2023) -> 0 vacant: P4 was never
-- assigned, so it is not a unit "qui n'est plus affectée" (L318-8-2), and is
-- counted apart (never_occupied_land_units 1; before, it was vacant and zone 20
-- at 0.5), built 1300 m2,
-- floor 1500 m2, E3 (7.5) + E4 (74.5) + E7 (4) = 86 jobs, C/G/I -> ln 3.
SELECT zone_id, round(area_ha::numeric, 6) AS area_ha, round(parcel_area_ha::numeric, 6) AS parcel_ha,
       land_units, vacant_land_units, vacancy_rate, built_land_units,
       round(built_m2::numeric, 6) AS built_m2, round(footprint_ratio::numeric, 6) AS fr,
       round(floor_area_ratio::numeric, 6) AS far, establishments, jobs_estimate,
       round(jobs_per_ha::numeric, 6) AS jobs_ha, round(available_land_ha::numeric, 6) AS avail_ha,
       sector_mix, round(sector_diversity::numeric, 6) AS h,
       parcels_outside_zones, establishments_off_parcel, buildings_off_parcel, published,
       never_occupied_land_units
  FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id, owner_id FROM zt.zp_parcels',
    'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings',
    'SELECT * FROM zt.zp_establishments', '2024-06-30')
 ORDER BY zone_id;
SELECT round(ln(3)::numeric, 6) AS ln3, round((400.0 / 8500)::numeric, 6) AS fr10,
       round((1500.0 / 11500)::numeric, 6) AS far20;

-- L318-8-2's vacancy counts the units "qui ne sont plus affectées" to a CFE-liable
-- activity for two years and stayed unoccupied: a unit never occupied is not
-- vacant, counted apart, and available when unbuilt.  Without B3 (P4's only
-- building), on 2024-06-30: zone 20 = P4 (70..140 x 50..100 = 3,500 m2, never
-- occupied: E7 starts 2024-03-01, after the 1 January) + U2 (E4, CFE): vacant 0,
-- rate 0, never occupied 1, available 0.2 ha (P4's ground inside zone 20,
-- 100..140 x 50..100 = 40 x 50 = 2,000 m2; before 2026-12-06 its whole 3,500 m2,
-- 0.35 ha, of which 1,500 m2 lie in zone 10); zone 10 = U1 (E1) + P3 (E2 closed
-- 2021-06-30): vacant 1, rate 0.5, available 0.35 ha (P3).  Before: zone 20 had P4
-- vacant, 1 of 2, 0.5 (and site_taux_vacance 50).
SELECT zone_id, land_units, vacant_land_units, vacancy_rate, never_occupied_land_units,
       round(available_land_ha::numeric, 6) AS avail_ha
  FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
    'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings WHERE building_id <> 3',
    'SELECT * FROM zt.zp_establishments', '2024-06-30')
 ORDER BY zone_id;

-- Equality with the plain PostGIS SQL formulation (bench/zones-plain.sql).
\i bench/zones-plain.sql
WITH c AS (
  SELECT * FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
    'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings',
    'SELECT * FROM zt.zp_establishments', '2024-06-30')),
p AS (SELECT * FROM pg_temp.plain_zone_indicators('2024-06-30'))
SELECT c.zone_id,
       abs(c.area_ha - p.area_ha) <= 1e-9 * p.area_ha AS area_eq,
       abs(c.parcel_area_ha - p.parcel_area_ha) <= 1e-9 * p.parcel_area_ha AS parcel_eq,
       c.land_units = p.land_units AND c.vacant_land_units = p.vacant_land_units AND
         c.never_occupied_land_units = p.never_occupied_land_units AS units_eq,
       abs(c.built_m2 - p.built_m2) <= 1e-9 * p.built_m2 AS built_eq,
       abs(c.floor_area_ratio * c.parcel_area_ha * 1e4 - p.floor_m2) <= 1e-9 * p.floor_m2 AS floor_eq,
       c.establishments = p.establishments AND c.jobs_estimate = p.jobs_estimate AS estab_eq,
       abs(c.available_land_ha - p.available_land_ha) <= 1e-9 AS avail_eq,
       c.sector_mix = p.sector_mix AS mix_eq,
       abs(c.sector_diversity - p.sector_diversity) <= 1e-12 AS h_eq
  FROM c JOIN p USING (zone_id) ORDER BY 1;
-- and on 2019-06-30, when B2 (2022) is not built yet: the plain formulation counts
-- the buildings of unknown year or of a year not after that of at
WITH c AS (
  SELECT * FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
    'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings',
    'SELECT * FROM zt.zp_establishments', '2019-06-30')),
p AS (SELECT * FROM pg_temp.plain_zone_indicators('2019-06-30'))
SELECT c.zone_id, p.built_m2,
       c.land_units = p.land_units AND c.vacant_land_units = p.vacant_land_units AND
         c.never_occupied_land_units = p.never_occupied_land_units AS units_eq,
       abs(c.built_m2 - p.built_m2) <= 1e-9 * p.built_m2 AS built_eq,
       abs(c.floor_area_ratio * c.parcel_area_ha * 1e4 - p.floor_m2) <= 1e-9 * p.floor_m2 AS floor_eq,
       c.establishments = p.establishments AND c.jobs_estimate = p.jobs_estimate AS estab_eq,
       abs(c.available_land_ha - p.available_land_ha) <= 1e-9 AS avail_eq
  FROM c JOIN p USING (zone_id) ORDER BY 1;

-- Statutory vacancy on 1 January 2024, and on 1 January 2023 (E4 not yet
-- started: U2 occupied by E3, not CFE-liable; E2 still active in 2021).
SELECT land_unit_id, zone_id, parcels, area_m2, establishments_ever, vacant, reason,
       last_activity_end, last_cfe_end, reference_date
  FROM smartregion.land_unit_vacancy('SELECT zone_id, geom FROM zt.zp_zones',
         'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
         'SELECT * FROM zt.zp_establishments', '2024-06-30')
 ORDER BY land_unit_id;
SELECT land_unit_id, vacant, reason, reference_date
  FROM smartregion.land_unit_vacancy(NULL, 'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
         'SELECT * FROM zt.zp_establishments', '2023-01-01')
 ORDER BY land_unit_id;

-- A land unit named after one of its parcels: NP2's land_unit_id is 'NP1', the
-- parcel_id of NP1, which has none (the unit named after its main parcel). One
-- land unit NP1 of two parcels, 50 x 50 + 50 x 50 = 5,000 m2, and NP3 alone
-- (5,000 m2): 2 land units, never occupied (no establishment), so not vacant
-- and, unbuilt, available: 1 ha. (Before, NP1 and the unit 'NP1' of NP2 were two
-- units under the one id NP1, 2,500 m2 each, and the zone had 3.)
SELECT land_unit_id, zone_id, parcels, area_m2
  FROM smartregion.land_unit_vacancy('SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0, 0, 100, 100, 2154) AS geom',
    $$SELECT 'NP1' AS parcel_id, ST_MakeEnvelope(0, 0, 50, 50, 2154) AS geom, NULL::text AS land_unit_id
      UNION ALL SELECT 'NP2', ST_MakeEnvelope(50, 0, 100, 50, 2154), 'NP1'
      UNION ALL SELECT 'NP3', ST_MakeEnvelope(0, 50, 100, 100, 2154), NULL$$, NULL, '2024-06-30')
 ORDER BY land_unit_id;
SELECT zone_id, land_units, vacant_land_units, available_land_ha, never_occupied_land_units
  FROM smartregion.zone_indicators('SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0, 0, 100, 100, 2154) AS geom',
    $$SELECT 'NP2' AS parcel_id, ST_MakeEnvelope(50, 0, 100, 50, 2154) AS geom, 'NP1'::text AS land_unit_id
      UNION ALL SELECT 'NP1', ST_MakeEnvelope(0, 0, 50, 50, 2154), NULL
      UNION ALL SELECT 'NP3', ST_MakeEnvelope(0, 50, 100, 100, 2154), NULL$$, NULL, NULL, '2024-06-30');

-- An establishment belongs to the zone of its land unit. Zones 10 = (0,0)-(100,100)
-- and 20 = (100,0)-(200,100); land unit U = PA (0..100 x 0..50, 5,000 m2 in zone
-- 10) + PB (100..130 x 0..50, 1,500 m2 in zone 20): U is in zone 10. One
-- establishment (62.01Z, band 12: 34.5 jobs, CFE, since 2015) stands on PB, so U is
-- occupied and zone 10 counts it: zone 10 = U + PC, 0 vacant (PC was never occupied),
-- 1 establishment, 34.5 jobs, {"J": 1}; zone 20 = PD + PE, both never occupied (not
-- vacant), no establishment. (Before,
-- PB's own zone counted it: zone 20 had an establishment on vacant units only, and
-- zone 10 an occupied unit without its occupant.)
SELECT zone_id, land_units, vacant_land_units, establishments, jobs_estimate, sector_mix
  FROM smartregion.zone_indicators(
    'SELECT 10::bigint AS zone_id, ST_MakeEnvelope(0, 0, 100, 100, 2154) AS geom
     UNION ALL SELECT 20, ST_MakeEnvelope(100, 0, 200, 100, 2154)',
    $$SELECT 'PA' AS parcel_id, ST_MakeEnvelope(0, 0, 100, 50, 2154) AS geom, 'U'::text AS land_unit_id
      UNION ALL SELECT 'PB', ST_MakeEnvelope(100, 0, 130, 50, 2154), 'U'
      UNION ALL SELECT 'PC', ST_MakeEnvelope(0, 50, 100, 100, 2154), NULL
      UNION ALL SELECT 'PD', ST_MakeEnvelope(130, 0, 200, 100, 2154), NULL
      UNION ALL SELECT 'PE', ST_MakeEnvelope(100, 50, 130, 100, 2154), NULL$$, NULL,
    $$SELECT '11111111100011' AS siret, ST_SetSRID(ST_MakePoint(110, 20), 2154) AS geom, '62.01Z' AS naf,
             '12' AS headcount_band, DATE '2015-01-01' AS start_date, NULL::date AS end_date, true AS cfe_liable$$,
    '2024-06-30')
 ORDER BY zone_id;

-- Available land is the land units' ground inside their zone, measured as land
-- consumption measures it (one rule in the core, sr_zones_unit_ground_ha).  Zone 1 =
-- (0,0)-(100,100), 1 ha; land unit H of three parcels, with no establishment (never
-- occupied, not vacant) and no building, so available:
--   H1 = (0,0)-(40,50):    40 x 50 = 2,000 m2, all inside the zone;
--   H2 = (40,0)-(140,50): 100 x 50 = 5,000 m2, inside (40..100 x 0..50) 60 x 50 = 3,000 m2;
--   H3 = (100,50)-(160,100): 60 x 50 = 3,000 m2, all outside (x >= 100): outside the zones.
-- H is 2,000 + 5,000 + 3,000 = 10,000 m2 (land_unit_vacancy lists the unit whole), half of
-- it outside: sum of ST_Area(ST_Intersection(Hi, zone)) = 2,000 + 3,000 + 0 = 5,000 m2,
-- so 0.5 ha available (before 2026-12-06, 1 ha: the whole unit, all of the zone's own
-- area though half the zone is not the unit's).  With a building of 2015 on H1 the unit is
-- built, so not available, and consumed in 2015: the same 0.5 ha.
\set hz 'SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0, 0, 100, 100, 2154) AS geom'
\set hp 'SELECT * FROM (VALUES (''H1'', ST_MakeEnvelope(0, 0, 40, 50, 2154), ''H''), (''H2'', ST_MakeEnvelope(40, 0, 140, 50, 2154), ''H''), (''H3'', ST_MakeEnvelope(100, 50, 160, 100, 2154), ''H'')) v(parcel_id, geom, land_unit_id)'
\set hb 'SELECT 1::bigint AS building_id, ST_MakeEnvelope(10, 10, 20, 20, 2154) AS geom, 1 AS levels, 2015 AS built_year'
SELECT zone_id, land_units, never_occupied_land_units, built_land_units, parcels_outside_zones,
       round(available_land_ha::numeric, 6) AS avail_ha
  FROM smartregion.zone_indicators(:'hz', :'hp', NULL, NULL, '2024-06-30');
-- PostGIS's own measure of the same ground, and the unit as listed
SELECT round((sum(ST_Area(ST_Intersection(h.geom, ST_MakeEnvelope(0, 0, 100, 100, 2154)))) / 1e4)::numeric, 6) AS postgis_inside_ha
  FROM (VALUES (ST_MakeEnvelope(0, 0, 40, 50, 2154)), (ST_MakeEnvelope(40, 0, 140, 50, 2154)),
               (ST_MakeEnvelope(100, 50, 160, 100, 2154))) h(geom);
SELECT land_unit_id, zone_id, parcels, area_m2, reason
  FROM smartregion.land_unit_vacancy(:'hz', :'hp', NULL, '2024-06-30');
SELECT z.zone_id, z.built_land_units, z.available_land_ha, c.year, c.newly_built_land_units,
       round(c.consumed_ha::numeric, 6) AS consumed_ha
  FROM smartregion.zone_indicators(:'hz', :'hp', :'hb', NULL, '2024-06-30') z
  JOIN smartregion.land_consumption(:'hz', :'hp', :'hb', 2015, 2015) c USING (zone_id);

-- The CFE-only reading (option): on 1 January 2023 U2 was occupied only by
-- E3, not liable to CFE, so it counts as vacant; zone 20 then has 1 of 2 (P4,
-- never occupied, is not vacant under either rule; before, 2 of 2).
SELECT land_unit_id, vacant, reason
  FROM smartregion.land_unit_vacancy(NULL, 'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
         'SELECT * FROM zt.zp_establishments', '2023-01-01', 'cfe_only')
 ORDER BY land_unit_id;
SELECT zone_id, land_units, vacant_land_units, vacancy_rate
  FROM smartregion.zone_indicators('SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels', NULL,
    'SELECT * FROM zt.zp_establishments', '2023-06-30', '{"vacancy_rule": "cfe_only"}')
 ORDER BY zone_id;

-- Land consumption: U1 (0.5 ha) first built 2015 -> zone 10 baseline 0.5 ha,
-- allowance 0.25 ha; U2 (0.8 ha) first built 2022 -> zone 20, which consumed
-- nothing in 2011-2020 (P4, built 2005, is before the baseline), has no pace
-- to halve: its allowance, remaining allowance and verdict are NULL (before:
-- an allowance of 0 and off trajectory from its first building).  The years before
-- 2021 make the baseline: nothing is spent from the allowance nor judged yet,
-- so consumed_since_2021_ha, remaining_allowance_ha and on_trajectory are NULL
-- (before, 2014 and 2015 said 0.25 ha remaining and on trajectory).
SELECT zone_id, year, newly_built_land_units, consumed_ha, baseline_2011_2020_ha,
       allowance_2021_2030_ha, consumed_since_2021_ha, remaining_allowance_ha, on_trajectory
  FROM smartregion.land_consumption('SELECT zone_id, geom FROM zt.zp_zones',
         'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
         'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings', 2014, 2023)
 WHERE consumed_ha > 0 OR year IN (2014, 2023)
 ORDER BY zone_id, year;
-- the allowance is of 2021-2030: zone 10 ends 2030 with 0.25 ha left, zone 20
-- (no baseline) has none; 2031 has neither a remaining allowance nor a verdict (NULL)
SELECT zone_id, year, consumed_since_2021_ha, remaining_allowance_ha, on_trajectory
  FROM smartregion.land_consumption('SELECT zone_id, geom FROM zt.zp_zones',
         'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
         'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings', 2030, 2031)
 ORDER BY zone_id, year;
-- A land unit with a building of unknown year is undated: its first building
-- may be that one, so it is consumed in no year nor the baseline, and each row
-- of its zone reports it.  B5 (unknown year) added on P6: U2 has B2 (2022) and
-- B5, so zone 20 consumes nothing in 2022 (no baseline: no allowance nor
-- verdict), with 1 undated unit of 0.8 ha (P5 6000 m2 + P6 2000 m2); before,
-- U2 counted 0.8 ha in 2022.  Zone 10's U1 has
-- only B1 (2015): dated as before, 0 undated (B4, unknown, is on no parcel).
SELECT zone_id, year, newly_built_land_units, consumed_ha, baseline_2011_2020_ha,
       consumed_since_2021_ha, remaining_allowance_ha, on_trajectory, undated_land_units, undated_ha
  FROM smartregion.land_consumption('SELECT zone_id, geom FROM zt.zp_zones',
         'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
         $$SELECT building_id, geom, levels, built_year FROM zt.zp_buildings
           UNION ALL SELECT 5, ST_MakeEnvelope(110, 10, 130, 30, 2154), 1, NULL$$, 2015, 2022)
 WHERE year IN (2015, 2022)
 ORDER BY zone_id, year;

-- A land unit reaching out of its zone consumes the zone's ground only: zone 1
-- (0..100) and zone 2 (100..200); unit U of parcels A (0..90 x 0..100, in zone 1),
-- B (90..130, 1000 m2 in zone 1 and 3000 in zone 2: placed in zone 2) and C (in no
-- zone), built on A in 2015.  U goes to zone 1 (9000 m2 of its parcels there
-- against 4000); its ground in zone 1 is 9000 + 1000 = 10000 m2: 1.0 ha, what
-- PostGIS's ST_Area(ST_Intersection) of U's parcels with zone 1 gives (before:
-- the whole unit, 9000 + 4000 + 2500 = 1.55 ha).  Zone 1 then has a baseline of
-- 1.0 ha and an allowance of 0.5; zone 2 none.
CREATE TABLE zs_zones AS
SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0, 0, 100, 100, 2154) AS geom
UNION ALL SELECT 2, ST_MakeEnvelope(100, 0, 200, 100, 2154);
CREATE TABLE zs_parcels AS
SELECT * FROM (VALUES ('A', ST_MakeEnvelope(0, 0, 90, 100, 2154), 'U'),
                      ('B', ST_MakeEnvelope(90, 0, 130, 100, 2154), 'U'),
                      ('C', ST_MakeEnvelope(0, 200, 50, 250, 2154), 'U')) v(parcel_id, geom, land_unit_id);
SELECT l.zone_id, l.consumed_ha, l.baseline_2011_2020_ha, l.allowance_2021_2030_ha,
       round((SELECT sum(ST_Area(ST_Intersection(p.geom, z.geom))) / 1e4
                FROM zt.zs_parcels p, zt.zs_zones z WHERE z.zone_id = 1)::numeric, 6) AS postgis_u_in_zone_1_ha
  FROM smartregion.land_consumption('SELECT * FROM zt.zs_zones', 'SELECT * FROM zt.zs_parcels',
         $$SELECT 1::bigint AS building_id, ST_MakeEnvelope(10, 10, 20, 20, 2154) AS geom, 1 AS levels, 2015 AS built_year$$,
         2015, 2015) l
 ORDER BY l.zone_id;

-- Statistical secrecy of a 3 x 3 table (each unit contributes 10):
--        c1  c2  c3 | total
--   r1    5   1   4 |  10      primary: (r1,c2) n=1, (r3,c2) n=2
--   r2    3   6   7 |  16      secondary: the cheapest rectangle through
--   r3    8   2   9 |  19      (r3,c2), which goes first (level 2 > 1.76):
--   tot  16   9  20 |  45      (r1,c2) is free, (r1,c1) + (r3,c1) and
-- (r1,c3) + (r3,c3) both cost 2 + 13 units + 130/451: the first in column
-- order wins.  The same rectangle protects (r1,c2).  (docs/zones.md)
CREATE TABLE cells AS
SELECT 'r' || r AS row_key, 'c' || c AS col_key, n::bigint, 10.0 * n AS value, 10.0 AS max_value
  FROM (VALUES (1,1,5),(1,2,1),(1,3,4),(2,1,3),(2,2,6),(2,3,7),(3,1,8),(3,2,2),(3,3,9)) v(r, c, n);
CREATE TABLE secret AS
SELECT * FROM smartregion.statistical_secrecy('SELECT * FROM zt.cells');
SELECT row_key, col_key, n, value, status, reason FROM secret ORDER BY row_key NULLS LAST, col_key NULLS LAST;
-- The attacker's first move: a row or column (totals included) with a single
-- suppressed cell gives it away by differencing.  None here.
SELECT count(*) AS suppressed,
       count(*) FILTER (WHERE
         (SELECT count(*) FROM secret o WHERE o.status <> 'published'
             AND o.row_key IS NOT DISTINCT FROM s.row_key) = 1
         OR (SELECT count(*) FROM secret o WHERE o.status <> 'published'
             AND o.col_key IS NOT DISTINCT FROM s.col_key) = 1) AS alone_in_a_line
  FROM secret s WHERE status <> 'published';
-- Proof that no suppressed cell is determined: a table agreeing on every
-- published cell and total but differing on every suppressed cell.  With
-- x12 = 1 + t, x11 = 5 - t, x31 = 8 + t, x32 = 2 - t and counts >= 1 (the
-- cells are listed, so not empty), t is in [0, 1]: t = 0 is the truth, t = 1
-- the alternative (and x 10 for the values: x12 in [10, 20]).
WITH alt(row_key, col_key, n) AS (
  SELECT * FROM (VALUES ('r1','c1',4),('r1','c2',2),('r1','c3',4),('r2','c1',3),('r2','c2',6),
                        ('r2','c3',7),('r3','c1',9),('r3','c2',1),('r3','c3',9)) v),
margins AS (
  SELECT row_key, NULL::text AS col_key, sum(n) AS n FROM alt GROUP BY row_key
  UNION ALL SELECT NULL, col_key, sum(n) FROM alt GROUP BY col_key
  UNION ALL SELECT NULL, NULL, sum(n) FROM alt),
alt_all AS (SELECT * FROM alt UNION ALL SELECT * FROM margins)
SELECT bool_and(CASE WHEN s.status = 'published' THEN s.n = a.n ELSE a.n <> c.n AND a.n >= 1 END)
         AS consistent_alternative
  FROM secret s
  JOIN alt_all a ON a.row_key IS NOT DISTINCT FROM s.row_key AND a.col_key IS NOT DISTINCT FROM s.col_key
  LEFT JOIN cells c ON c.row_key = s.row_key AND c.col_key = s.col_key;
-- Fiscal cells need 11 units; rules can be changed.
SELECT row_key, col_key, n, status, reason
  FROM smartregion.statistical_secrecy(
    $$SELECT 'z' AS row_key, 's' AS col_key, 10 AS n, 100.0 AS value, true AS fiscal$$)
 ORDER BY row_key NULLS LAST, col_key NULLS LAST;
SELECT row_key, col_key, n, status
  FROM smartregion.statistical_secrecy(
    $$SELECT 'z' AS row_key, 's' AS col_key, 10 AS n, 100.0 AS value, true AS fiscal$$,
    '{"fiscal_min_units": 10}')
 ORDER BY row_key NULLS LAST, col_key NULLS LAST;

-- Published view: every zone x section cell has fewer than 3 units, zone 20's
-- total is dominated by E4 (74.5 of 86 jobs > 85%): only the grand total is
-- safe, so counts are withheld.
SELECT zone_id, establishments, jobs_estimate, jobs_per_ha, sector_mix, sector_diversity,
       land_units, vacant_land_units, published
  FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
    'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings',
    'SELECT * FROM zt.zp_establishments', '2024-06-30', '{"published": true}')
 ORDER BY zone_id;

-- At a date, the buildings that stood then (docs/zones.md, "Buildings at the
-- date"): on 2019-06-30, B2 (zone 20, U2, 40 x 30 = 1200 m2, built 2022) is not
-- built yet; B3 (P4, 10 x 10 = 100 m2, 3 levels, 2005) is.  Zone 20: 1 built
-- unit (P4), built 100 m2, footprint 100/11500 = 0.008696, FAR 300/11500 =
-- 0.026087.  Zone 10 as on 2024-06-30 (B1, 2015): 1 unit, 400 m2, FAR 800/8500.
-- Vacancy on 2019-01-01 (window 2017-2018): P3 occupied by E2 (until 2021),
-- U2 by E3 (not CFE-liable) only, P4 never occupied.  Under cfe_only U2 is
-- vacant, and unbuilt in 2019: available 0.8 ha (P5 + P6).  Before, B2 counted
-- in 2019: 2 built units, 1300 m2, 0 ha available.  B2 of unknown year (the
-- second call) is counted: it stands today, the data do not date it.
SELECT zone_id, land_units, vacant_land_units, built_land_units, round(built_m2::numeric, 6) AS built_m2,
       round(footprint_ratio::numeric, 6) AS fr, round(floor_area_ratio::numeric, 6) AS far,
       round(available_land_ha::numeric, 6) AS avail_ha
  FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
    'SELECT building_id, geom, levels, built_year FROM zt.zp_buildings',
    'SELECT * FROM zt.zp_establishments', '2019-06-30', '{"vacancy_rule": "cfe_only"}')
 ORDER BY zone_id;
SELECT zone_id, built_land_units, round(built_m2::numeric, 6) AS built_m2, round(available_land_ha::numeric, 6) AS avail_ha
  FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zt.zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zt.zp_parcels',
    $$SELECT building_id, geom, levels, CASE WHEN building_id = 2 THEN NULL ELSE built_year END AS built_year
        FROM zt.zp_buildings$$,
    'SELECT * FROM zt.zp_establishments', '2019-06-30', '{"vacancy_rule": "cfe_only"}')
 ORDER BY zone_id;
SELECT round((100.0 / 11500)::numeric, 6) AS fr20, round((300.0 / 11500)::numeric, 6) AS far20,
       round((800.0 / 8500)::numeric, 6) AS far10;

-- Hub tables: natural-person owners are restricted.
SELECT table_name, service FROM smartregion.create_hub('zhub') WHERE service = 'activity_zones' ORDER BY 1;
INSERT INTO zhub.zae_parcels (parcel_id, land_unit_id, owner_id, owner_kind, geom)
VALUES ('A1', NULL, 'x', 'natural_person', ST_Multi(ST_MakeEnvelope(0, 0, 1, 1, 2154))),
       ('A2', NULL, 'y', 'legal_person', ST_Multi(ST_MakeEnvelope(1, 0, 2, 1, 2154)));
SELECT parcel_id, owner_kind, visibility FROM zhub.zae_parcels ORDER BY 1;
SELECT name, entry_points FROM smartregion.services() WHERE name = 'activity_zones';
-- A published call analyses its texts once (docs/zones.md, "Cost"): _zones_texts_read runs
-- _query_relations once per non-NULL text, 3 texts here, so 3 calls.  Before 2026-12-07 the
-- rules, inputs and history checks each ran it (the scope check returns first for a
-- superuser, who reads the whole population): 3 checks x 3 texts = 9.
INSERT INTO zhub.zae_zones (zone_id, site_nom, geom) VALUES (1, 'Z', ST_Multi(ST_MakeEnvelope(0, 0, 2, 1, 2154)));
BEGIN;
SET LOCAL track_functions = 'all';
SELECT count(*) AS zones FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM zhub.zae_zones', 'SELECT parcel_id, geom, land_unit_id FROM zhub.zae_parcels', NULL,
    'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zhub.zae_establishments',
    '2024-06-30', '{"published": true}');
SELECT calls AS query_relations_calls FROM pg_stat_xact_user_functions WHERE funcname = '_query_relations';
COMMIT;
RESET search_path;
DROP SCHEMA zt CASCADE;
DROP SCHEMA zhub CASCADE;
