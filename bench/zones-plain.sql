-- The plain PostGIS SQL formulation of smartregion.zone_indicators, used as
-- the independent reference in sql/zones.sql and as the peer in
-- bench/zones.sh.  It reads the tables (or views) zp_zones(zone_id, geom),
-- zp_parcels(parcel_id, geom, land_unit_id), zp_buildings(building_id, geom,
-- levels, built_year) and zp_establishments(siret, geom, naf, headcount_band,
-- start_date, end_date, cfe_liable) from the search_path, and applies the
-- rules of docs/zones.md with nothing but SQL and PostGIS.
CREATE OR REPLACE FUNCTION pg_temp.plain_zone_indicators(at date)
RETURNS TABLE (zone_id bigint, area_ha float8, parcel_area_ha float8, land_units bigint,
               vacant_land_units bigint, built_m2 float8, floor_m2 float8,
               establishments bigint, jobs_estimate float8, available_land_ha float8,
               sector_mix jsonb, sector_diversity float8, never_occupied_land_units bigint)
LANGUAGE sql STABLE AS $$
WITH
-- parcel -> zone sharing the largest area (ties: smallest zone_id)
pz AS (
  SELECT DISTINCT ON (p.parcel_id) p.parcel_id, z.zone_id
    FROM zp_parcels p JOIN zp_zones z ON ST_Intersects(p.geom, z.geom)
   WHERE ST_Area(ST_Intersection(p.geom, z.geom)) > 0
   ORDER BY p.parcel_id, ST_Area(ST_Intersection(p.geom, z.geom)) DESC, z.zone_id),
pu AS (
  SELECT p.parcel_id, coalesce(p.land_unit_id, p.parcel_id) AS unit,  -- a unit named after a parcel is that parcel's
         ST_Area(p.geom) AS area, pz.zone_id
    FROM zp_parcels p LEFT JOIN pz USING (parcel_id)),
-- land unit -> zone holding the largest area of its parcels
uz AS (
  SELECT DISTINCT ON (unit) unit, zone_id
    FROM (SELECT unit, zone_id, sum(area) AS a FROM pu WHERE zone_id IS NOT NULL GROUP BY unit, zone_id) s
   ORDER BY unit, a DESC, zone_id),
-- the ground of each land unit inside the zone it is placed in: the parts of
-- its parcels inside that zone (available land counts it, as land consumption does)
ua AS (
  SELECT uz.unit, sum(CASE WHEN ST_CoveredBy(p.geom, z.geom) THEN ST_Area(p.geom)
                           ELSE ST_Area(ST_Intersection(p.geom, z.geom)) END) AS area
    FROM uz JOIN pu USING (unit) JOIN zp_parcels p USING (parcel_id)
         JOIN zp_zones z ON z.zone_id = uz.zone_id AND ST_Intersects(p.geom, z.geom)
   GROUP BY uz.unit),
-- building -> parcel covering its centroid, establishment -> parcel covering
-- its point (smallest parcel_id in byte order); the buildings standing at the
-- date: built_year unknown or not after the year of at
bp AS (
  SELECT DISTINCT ON (b.building_id) b.building_id, b.geom, b.levels, p.parcel_id
    FROM zp_buildings b JOIN zp_parcels p ON ST_Intersects(p.geom, ST_Centroid(b.geom))
   WHERE b.built_year IS NULL OR b.built_year <= extract(year FROM at)
   ORDER BY b.building_id, p.parcel_id COLLATE "C"),
ep AS (
  SELECT DISTINCT ON (e.siret) e.*, p.parcel_id
    FROM zp_establishments e JOIN zp_parcels p ON ST_Intersects(p.geom, e.geom)
   ORDER BY e.siret, p.parcel_id COLLATE "C"),
ref AS (SELECT make_date(extract(year FROM at)::int, 1, 1) AS d),
-- statutory vacancy on 1 January: occupied before (an establishment started
-- before the date: L318-8-2's units "qui ne sont plus affectées") and no
-- establishment active in the two years before; available: not occupied in
-- those two years (vacant or never occupied) and unbuilt
uact AS (
  SELECT DISTINCT pu.unit FROM ep JOIN pu USING (parcel_id), ref
   WHERE (ep.start_date IS NULL OR ep.start_date < ref.d)
     AND (ep.end_date IS NULL OR ep.end_date >= (ref.d - interval '2 years')::date)),
uever AS (
  SELECT DISTINCT pu.unit FROM ep JOIN pu USING (parcel_id), ref
   WHERE ep.start_date IS NULL OR ep.start_date < ref.d),
ubuilt AS (SELECT DISTINCT pu.unit FROM bp JOIN pu USING (parcel_id)),
units AS (
  SELECT uz.zone_id, count(*) AS land_units,
         count(*) FILTER (WHERE uact.unit IS NULL AND uever.unit IS NOT NULL) AS vacant,
         count(*) FILTER (WHERE uever.unit IS NULL) AS never_occupied,
         sum(ua.area) FILTER (WHERE uact.unit IS NULL AND ubuilt.unit IS NULL) AS avail
    FROM uz LEFT JOIN ua USING (unit) LEFT JOIN uact USING (unit) LEFT JOIN uever USING (unit)
         LEFT JOIN ubuilt USING (unit)
   GROUP BY uz.zone_id),
parc AS (SELECT pu.zone_id, sum(area) AS area FROM pu WHERE zone_id IS NOT NULL GROUP BY pu.zone_id),
bld AS (
  SELECT pu.zone_id, sum(ST_Area(bp.geom)) AS built, sum(ST_Area(bp.geom) * coalesce(bp.levels, 1)) AS fl
    FROM bp JOIN pu USING (parcel_id) WHERE pu.zone_id IS NOT NULL GROUP BY pu.zone_id),
-- active establishments on the date, jobs from band midpoints, NAF sections;
-- an establishment is in the zone of its land unit (uz), not of its parcel
est AS (
  SELECT uz.zone_id,
         CASE WHEN d <= 3 THEN 'A' WHEN d <= 9 THEN 'B' WHEN d <= 33 THEN 'C' WHEN d = 35 THEN 'D'
              WHEN d <= 39 THEN 'E' WHEN d <= 43 THEN 'F' WHEN d <= 47 THEN 'G' WHEN d <= 53 THEN 'H'
              WHEN d <= 56 THEN 'I' WHEN d <= 63 THEN 'J' WHEN d <= 66 THEN 'K' WHEN d = 68 THEN 'L'
              WHEN d <= 75 THEN 'M' WHEN d <= 82 THEN 'N' WHEN d = 84 THEN 'O' WHEN d = 85 THEN 'P'
              WHEN d <= 88 THEN 'Q' WHEN d <= 93 THEN 'R' WHEN d <= 96 THEN 'S' WHEN d <= 98 THEN 'T'
              ELSE 'U' END AS section,
         CASE ep.headcount_band WHEN '01' THEN 1.5 WHEN '02' THEN 4 WHEN '03' THEN 7.5 WHEN '11' THEN 14.5
              WHEN '12' THEN 34.5 WHEN '21' THEN 74.5 WHEN '22' THEN 149.5 WHEN '31' THEN 224.5
              WHEN '32' THEN 374.5 WHEN '41' THEN 749.5 WHEN '42' THEN 1499.5 WHEN '51' THEN 3499.5
              WHEN '52' THEN 7499.5 WHEN '53' THEN 10000 ELSE 0 END::float8 AS jobs
    FROM ep JOIN pu USING (parcel_id) JOIN uz USING (unit), LATERAL (SELECT substr(ep.naf, 1, 2)::int AS d) dv
   WHERE (ep.start_date IS NULL OR ep.start_date <= at)
     AND (ep.end_date IS NULL OR ep.end_date >= at)),
sec AS (SELECT est.zone_id, section, count(*) AS n, sum(jobs) AS jobs FROM est GROUP BY est.zone_id, section),
secz AS (
  SELECT sec.zone_id, sum(n) AS n, sum(jobs) AS jobs, jsonb_object_agg(section, n) AS mix,
         -sum((n::float8 / t) * ln(n::float8 / t)) AS h
    FROM sec JOIN (SELECT s2.zone_id, sum(n) AS t FROM sec s2 GROUP BY s2.zone_id) tt USING (zone_id)
   GROUP BY sec.zone_id)
SELECT z.zone_id::bigint, ST_Area(z.geom) / 1e4, coalesce(parc.area, 0) / 1e4,
       coalesce(units.land_units, 0), coalesce(units.vacant, 0),
       coalesce(bld.built, 0), coalesce(bld.fl, 0),
       coalesce(secz.n, 0)::bigint, coalesce(secz.jobs, 0), coalesce(units.avail, 0) / 1e4,
       coalesce(secz.mix, '{}'), abs(secz.h), coalesce(units.never_occupied, 0)
  FROM zp_zones z
  LEFT JOIN units ON units.zone_id = z.zone_id
  LEFT JOIN parc ON parc.zone_id = z.zone_id
  LEFT JOIN bld ON bld.zone_id = z.zone_id
  LEFT JOIN secz ON secz.zone_id = z.zone_id
 ORDER BY z.zone_id
$$;
