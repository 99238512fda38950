-- Demo of the activity-zone observatory (docs/zones.md) on the real cadastre
-- of Paray-Vieille-Poste (91479) and Juvisy-sur-Orge (91326), DGFiP PCI via
-- Etalab, Licence Ouverte 2.0 (data/cadastre/SOURCES.md).  Zones, owners,
-- buildings and establishments are SYNTHETIC and deterministic (md5 hashes
-- of the parcel identifiers, never random()).
SET client_min_messages = warning;

-- deterministic pseudo-random integer in [0, m) from a key
CREATE FUNCTION pg_temp.h(key text, m int) RETURNS int LANGUAGE sql IMMUTABLE AS
$$ SELECT (('x' || substr(md5(key), 1, 8))::bit(32)::bigint % m)::int $$;
-- Luhn check digit of a string of digits
CREATE FUNCTION pg_temp.luhn(digits text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT ((10 - sum(CASE WHEN i % 2 = 1 THEN (d * 2) / 10 + (d * 2) % 10 ELSE d END) % 10) % 10)::text
    FROM (SELECT i, substr(digits, length(digits) - i + 1, 1)::int AS d
            FROM generate_series(1, length(digits)) i) s $$;

-- 1. the cadastre: one JSON document per commune
CREATE TEMP TABLE raw (ln bigserial, line text);
CREATE TEMP TABLE docs (com text, doc jsonb);
\copy raw(line) FROM PROGRAM 'gzip -dc data/cadastre/cadastre-91479-parcelles.json.gz' WITH (FORMAT csv, DELIMITER E'\x02', QUOTE E'\x01')
INSERT INTO docs SELECT '91479', string_agg(line, E'\n' ORDER BY ln)::jsonb FROM raw;
TRUNCATE raw;
\copy raw(line) FROM PROGRAM 'gzip -dc data/cadastre/cadastre-91326-parcelles.json.gz' WITH (FORMAT csv, DELIMITER E'\x02', QUOTE E'\x01')
INSERT INTO docs SELECT '91326', string_agg(line, E'\n' ORDER BY ln)::jsonb FROM raw;

CREATE TEMP TABLE parcel AS
SELECT f ->> 'id' AS parcel_id, d.com, f -> 'properties' ->> 'section' AS section,
       (f -> 'properties' ->> 'numero')::int AS numero,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(
         ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(f -> 'geometry'), 4326), smartregion.hub_srid('hub'))), 3)) AS geom
  FROM docs d, jsonb_array_elements(d.doc -> 'features') f;
DELETE FROM parcel WHERE ST_IsEmpty(geom);
-- superseded parcels: the Etalab file keeps a divided parcel beside the parcels it
-- was divided into (91479 AB0147, 50.26 ha, beside AB0179, AB0180 and AB0181,
-- whose union it is), and the zone functions refuse parcels sharing more than
-- 1 m2 of ground (22023, docs/zones.md). A parcel covered (to 1 m2) by the union
-- of the parcels lying inside it is superseded: left out of the hub's parcels
-- (the zones, buildings and establishments below are drawn on the ground, as before).
CREATE INDEX ON parcel USING gist (geom);
CREATE TEMP TABLE superseded AS
SELECT m.parcel_id
  FROM parcel m
  JOIN parcel o ON o.parcel_id <> m.parcel_id AND o.geom && m.geom AND ST_Intersects(o.geom, m.geom)
 WHERE ST_Area(ST_Difference(o.geom, m.geom)) <= 1           -- o lies inside m
   AND ST_Area(ST_Intersection(o.geom, m.geom)) > 1
 GROUP BY m.parcel_id, m.geom
HAVING ST_Area(ST_Difference(m.geom, ST_Union(o.geom))) <= 1;  -- and they cover it

-- provenance of the writes below (the catalogue's dct:provenance, docs/governance.md)
SELECT smartregion.set_provenance('scripts/demo-zones.sql', 'data/cadastre/cadastre-91479-parcelles.json.gz, cadastre-91326-parcelles.json.gz (Etalab) and synthetic owners, zones, buildings, establishments') \gset
-- synthetic owners: companies, public bodies and natural persons (restricted);
-- neighbouring numbers of a section sometimes form one land unit
INSERT INTO hub.zae_parcels (parcel_id, land_unit_id, owner_id, owner_kind, geom, territory_code)
SELECT parcel_id,
       CASE WHEN pg_temp.h('lu' || com || section || numero / 2, 3) = 0
            THEN com || section || '-U' || numero / 2 END,
       'synthetic-owner-' || pg_temp.h('own' || com || section || numero / 2, 100000),
       CASE WHEN pg_temp.h('kind' || parcel_id, 20) < 14 THEN 'legal_person'
            WHEN pg_temp.h('kind' || parcel_id, 20) < 17 THEN 'public' ELSE 'natural_person' END,
       geom, com
  FROM parcel
 WHERE parcel_id NOT IN (SELECT parcel_id FROM superseded);

-- 2. zones drawn over the airport-side and industrial sections: the union
-- of a section's large parcels (2500 m2 or more), minus the zones before it
-- (no overlap, no sliver)
CREATE TEMP TABLE zone_def (zone_id bigint, com text, section text, site_nom text);
INSERT INTO zone_def VALUES
  (1, '91479', 'AB', 'Paray-Vieille-Poste, secteur aéroport (section AB)'),
  (2, '91479', 'AH', 'Paray-Vieille-Poste, secteur activités (section AH)'),
  (3, '91326', 'AL', 'Juvisy-sur-Orge, secteur activités (section AL)'),
  (4, '91326', 'AB', 'Juvisy-sur-Orge, secteur activités (section AB)'),
  (5, '91326', 'AK', 'Juvisy-sur-Orge, secteur activités (section AK)');
DO $$
DECLARE z record; g geometry; prev geometry := ST_SetSRID('POLYGON EMPTY'::geometry, smartregion.hub_srid('hub'));
BEGIN
  FOR z IN SELECT * FROM zone_def ORDER BY zone_id LOOP
    SELECT ST_Union(geom) INTO g FROM parcel p
     WHERE p.com = z.com AND p.section = z.section AND ST_Area(p.geom) >= 2500;
    g := ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Difference(g, prev)), 3));
    INSERT INTO hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code)
    VALUES (z.zone_id, z.site_nom, z.com, g, z.com);
    prev := ST_Union(prev, g);
  END LOOP;
END $$;

-- 3. synthetic buildings on 70% of the parcels of those sections: a square
-- around the parcel's point on surface covering about 35% of it, clipped
INSERT INTO hub.zae_buildings (building_id, levels, built_year, geom, territory_code)
SELECT row_number() OVER (ORDER BY parcel_id), 1 + pg_temp.h('lev' || parcel_id, 4),
       1965 + pg_temp.h('year' || parcel_id, 59),
       ST_Multi(ST_CollectionExtract(ST_Intersection(p.geom,
         ST_Expand(ST_PointOnSurface(p.geom), sqrt(ST_Area(p.geom) * 0.35) / 2)), 3)), com
  FROM parcel p JOIN zone_def z USING (com, section)
 WHERE pg_temp.h('bld' || parcel_id, 10) < 7 AND ST_Area(p.geom) > 200;
DELETE FROM hub.zae_buildings WHERE ST_IsEmpty(geom) OR ST_Area(geom) < 1;

-- 4. synthetic establishments: 0 to 3 per parcel of over 1000 m2, real NAF
-- codes and headcount bands, SIRET = SIREN (8 digits + Luhn) + NIC (0001 + Luhn)
CREATE TEMP TABLE naf_pool (k int, naf text);
INSERT INTO naf_pool VALUES (0,'52.23Z'),(1,'51.21Z'),(2,'52.10B'),(3,'49.41A'),(4,'33.16Z'),
  (5,'46.69B'),(6,'45.20A'),(7,'62.01Z'),(8,'70.22Z'),(9,'56.10C'),(10,'47.11F'),(11,'10.71C'),
  (12,'43.21A'),(13,'68.20B'),(14,'82.11Z'),(15,'80.10Z'),(16,'25.62B'),(17,'71.12B'),(18,'55.10Z'),(19,'77.11A');
CREATE TEMP TABLE band_pool (k int, band text);
INSERT INTO band_pool VALUES (0,'NN'),(1,'00'),(2,'00'),(3,'01'),(4,'01'),(5,'02'),(6,'02'),(7,'03'),
  (8,'11'),(9,'11'),(10,'12'),(11,'12'),(12,'21'),(13,'22'),(14,'31'),(15,'32');
INSERT INTO hub.zae_establishments (siret, naf, headcount_band, start_date, end_date, cfe_liable,
                                    synthetic, geom, territory_code)
SELECT siren || '0001' || pg_temp.luhn(siren || '0001'), naf, band, start_date,
       CASE WHEN pg_temp.h('end' || key, 4) = 0
            THEN least(start_date + 200 + pg_temp.h('dur' || key, 4000), DATE '2024-06-30') END,
       pg_temp.h('cfe' || key, 10) < 9, true, pt, com
  FROM (SELECT p.parcel_id || '-' || i AS key, p.com, ST_PointOnSurface(p.geom) AS pt,
               lpad((10000000 + pg_temp.h('siren' || p.parcel_id || i, 89999999))::text, 8, '0') AS s8,
               (SELECT naf FROM naf_pool WHERE k = pg_temp.h('naf' || p.parcel_id || i, 20)) AS naf,
               (SELECT band FROM band_pool WHERE k = pg_temp.h('band' || p.parcel_id || i, 16)) AS band,
               DATE '1990-01-01' + pg_temp.h('start' || p.parcel_id || i, 12000) AS start_date
          FROM parcel p JOIN zone_def z USING (com, section)
               CROSS JOIN LATERAL generate_series(1, pg_temp.h('n' || p.parcel_id, 4)) i
         WHERE ST_Area(p.geom) > 1000) s,
       LATERAL (SELECT s.s8 || pg_temp.luhn(s.s8) AS siren) sr
ON CONFLICT (siret) DO NOTHING;

-- 5. what the CNIG standard needs beyond the indicators: the zones' state,
-- project owner, identification date and poles (the three Juvisy zones form
-- one pole, each Paray zone its own), and the establishments' legal units
-- (SYNTHETIC names; legal categories of companies and, one in ten, of
-- entrepreneurs individuels, whose names the exports never show)
UPDATE hub.zae_zones SET site_etat = 'existant et actif', site_moa_type = 'epci',
       site_identif_date = DATE '2024-01-15',
       pole = CASE WHEN comm_insee = '91326' THEN 3 END,
       pole_nom = CASE WHEN comm_insee = '91326' THEN 'Juvisy-sur-Orge, pôle d''activités' END;
UPDATE hub.zae_establishments
   SET etab_nat_juridique = (ARRAY['5710', '5499', '5710', '5599', '1000', '5710', '5499', '5720', '5710', '5499'])
                              [1 + pg_temp.h('cj' || siret, 10)],
       etab_raison_sociale = 'SOCIETE SYNTHETIQUE ' || left(siret, 9),
       etab_nom = 'ETABLISSEMENT SYNTHETIQUE ' || left(siret, 9),
       etab_siege = true, etab_effectif_annee = 2022;

-- territories (communes and EPCI names and SIREN) if the maturity demo has not loaded them
SELECT count(*) = 0 AS need_territories FROM smartregion.territory \gset
\if :need_territories
\! scripts/fetch-territories.sh > /dev/null
SELECT * FROM smartregion.load_territories(
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/communes.json')::jsonb,
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/epci.json')::jsonb,
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/departements.json')::jsonb,
  pg_catalog.pg_read_file(:'root' || '/.tmp/npm/package/data/regions.json')::jsonb) \g /dev/null
\endif

-- 6. the statutory inventory as the four CNIG "Sites économiques" files
-- (.tmp/cnig/<class>.csv), valid against the standard's Table Schema
-- (scripts/cnig-test.sh checks them with tableschema); secrecy applied
\set zq 'SELECT * FROM hub.zae_zones'
\set pq 'SELECT parcel_id, geom, land_unit_id FROM hub.zae_parcels'
\set bq 'SELECT building_id, geom, levels, built_year FROM hub.zae_buildings'
\set eq 'SELECT * FROM hub.zae_establishments'
\set opts '{"identif_date": "2024-01-15", "terr_maitrise_fonc": "inconnu", "terr_stade_amngt": "inconnu", "terr_stade_comm": "inconnu", "etab_source_info": "données synthétiques (démonstration smartregion)", "geocodage_qualite": "localisation à la parcelle"}'
\! mkdir -p .tmp/cnig
\pset format unaligned
\pset tuples_only on
\o .tmp/cnig/pole_eco.csv
SELECT rtrim(smartregion.cnig_csv('pole_eco', :'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts'), E'\n');
\o .tmp/cnig/site_eco.csv
SELECT rtrim(smartregion.cnig_csv('site_eco', :'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts'), E'\n');
\o .tmp/cnig/terrain_eco.csv
SELECT rtrim(smartregion.cnig_csv('terrain_eco', :'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts'), E'\n');
\o .tmp/cnig/etablissement.csv
SELECT rtrim(smartregion.cnig_csv('etablissement', :'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts'), E'\n');
\o
\pset tuples_only off
\pset format aligned

\echo '-- ZAE inventory (CNIG site_eco, published; written to .tmp/cnig/site_eco.csv)'
SELECT site_id, pole_id, left(site_nom, 36) AS site_nom, site_surf_brute AS surf_ha, site_uf_nbre AS uf,
       site_uf_vacant_nbre AS uf_vac, site_taux_vacance AS taux_vac, site_nb_etab AS etab,
       site_nb_emploi AS emplois, site_vocadomi AS vocation, site_epci_nom AS epci
  FROM smartregion.site_eco(:'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts');

\echo '-- poles (CNIG pole_eco; written to .tmp/cnig/pole_eco.csv)'
SELECT pole_id, pole_nom, pole_vocadomi, pole_nb_site AS sites, pole_nb_etab AS etab,
       pole_nb_emploi AS emplois, pole_surface AS surf_ha,
       round(ST_X(pole_geompoint)::numeric, 5) AS lon, round(ST_Y(pole_geompoint)::numeric, 5) AS lat
  FROM smartregion.pole_eco(:'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts');

\echo '-- terrains and listed establishments per site (CNIG terrain_eco, etablissement; owners never exported)'
WITH t AS (SELECT * FROM smartregion.terrain_eco(:'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts')),
     e AS (SELECT * FROM smartregion.etablissement(:'zq', :'pq', :'bq', :'eq', '2024-06-30', :'opts'))
SELECT t.site_id, count(DISTINCT t.terr_id) AS terrains,
       count(DISTINCT t.terr_id) FILTER (WHERE t.terr_etat_occup = 'vacant') AS vacants,
       count(DISTINCT t.terr_id) FILTER (WHERE t.terr_usage = 'bâti productif') AS batis,
       count(e."SIRET") AS etablissements_listes
  FROM t LEFT JOIN e ON e.terr_id = t.terr_id
 GROUP BY t.site_id ORDER BY t.site_id;

\echo '-- zone x NAF section as published (NULL = secret): the sector mix of zone_indicators under statistical secrecy'
-- The very table the CNIG files above come from (the same inputs, date and rules:
-- establishments placed on their parcels, active on 2024-06-30). A second table of the same
-- zones computed another way (establishments placed by their point, open today) would
-- publish cells this one suppresses, and each table's secrets could be worked out from the
-- other (docs/zones.md). The rules test the jobs (dominance), but only the counts are
-- shown: jobs estimated from headcount bands are sums of known midpoints, which an
-- integer-programming attacker can narrow beyond what the audit protects (docs/zones.md,
-- statistical secrecy, limits).
SELECT i.zone_id AS zone, s.key AS naf_section, (s.value #>> '{}')::int AS establishments
  FROM smartregion.zone_indicators(:'zq', :'pq', :'bq', :'eq', '2024-06-30', '{"published": true, "vacancy_rule": "statutory"}') i,
       jsonb_each(i.sector_mix) s
 ORDER BY 1, 2;

\echo '-- ZAN trajectory per zone (synthetic building years)'
SELECT zone_id, round(baseline_2011_2020_ha::numeric, 2) AS baseline_ha,
       round(allowance_2021_2030_ha::numeric, 2) AS allowance_ha,
       round(consumed_since_2021_ha::numeric, 2) AS since_2021_ha,
       round(remaining_allowance_ha::numeric, 2) AS remaining_ha, on_trajectory
  FROM smartregion.land_consumption('SELECT zone_id, geom FROM hub.zae_zones',
    'SELECT parcel_id, geom, land_unit_id FROM hub.zae_parcels',
    'SELECT building_id, geom, levels, built_year FROM hub.zae_buildings', 2023, 2023)
 ORDER BY zone_id;

-- equality with the plain PostGIS SQL formulation on the real parcels
CREATE TEMP VIEW zp_zones AS SELECT zone_id, geom FROM hub.zae_zones;
CREATE TEMP VIEW zp_parcels AS SELECT parcel_id, geom, land_unit_id FROM hub.zae_parcels;
CREATE TEMP VIEW zp_buildings AS SELECT building_id, geom, levels, built_year FROM hub.zae_buildings;
CREATE TEMP VIEW zp_establishments AS
  SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM hub.zae_establishments;
\i bench/zones-plain.sql
\echo '-- check: zone_indicators equals the plain PostGIS SQL formulation on the demo data'
WITH c AS (
  SELECT * FROM smartregion.zone_indicators('SELECT zone_id, geom FROM zp_zones',
    'SELECT parcel_id, geom, land_unit_id FROM zp_parcels',
    'SELECT building_id, geom, levels, built_year FROM zp_buildings',
    'SELECT * FROM zp_establishments', '2024-06-30')),
p AS (SELECT * FROM pg_temp.plain_zone_indicators('2024-06-30'))
SELECT count(*) AS zones,
       bool_and(abs(c.parcel_area_ha - p.parcel_area_ha) <= 1e-9 * p.parcel_area_ha
            AND c.land_units = p.land_units AND c.vacant_land_units = p.vacant_land_units
            AND abs(c.built_m2 - p.built_m2) <= 1e-9 * greatest(p.built_m2, 1)
            AND c.establishments = p.establishments AND c.jobs_estimate = p.jobs_estimate
            AND abs(c.available_land_ha - p.available_land_ha) <= 1e-9 * greatest(p.available_land_ha, 1)
            AND c.sector_mix = p.sector_mix
            AND abs(coalesce(c.sector_diversity, 0) - coalesce(p.sector_diversity, 0)) <= 1e-9) AS all_equal
  FROM c FULL JOIN p USING (zone_id);

\echo '-- showcase: published indicators (secrecy-safe)'
-- under the same rules as the CNIG files below and the client layer: one table published
-- under two rule sets gives back, by comparison, what the stricter one suppresses (the
-- audit of 2026-12-04, F5: these fiscal rules hid zone totals that the files published)
SELECT zone_id, round(area_ha::numeric, 1) AS area_ha, land_units, vacant_land_units,
       round(vacancy_rate::numeric, 3) AS vacancy, round(footprint_ratio::numeric, 3) AS footprint,
       establishments, jobs_estimate, round(sector_diversity::numeric, 2) AS shannon,
       parcels_outside_zones AS dq_parcels_out, establishments_off_parcel AS dq_estab_off
  FROM smartregion.zone_indicators(
    'SELECT zone_id, geom FROM hub.zae_zones',
    'SELECT parcel_id, geom, land_unit_id, owner_id FROM hub.zae_parcels',
    'SELECT building_id, geom, levels, built_year FROM hub.zae_buildings',
    'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM hub.zae_establishments',
    '2024-06-30', '{"published": true}')
 ORDER BY zone_id;
