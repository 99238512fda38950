-- The texts' analysis of a published zone_indicators call (docs/zones.md, "Cost"):
-- _query_relations calls (track_functions = 'all') and the time of one published call,
-- on a hub of 100 zones (a 10 x 10 grid of 500 m squares 100 m apart), 2,500 parcels
-- (25 per zone) and 10,000 establishments (4 per parcel).  Run in a scratch database
-- where smartregion is installed: psql -X -f bench/zones_publication_once.sql
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('pbh') \gset
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', NULL)
ON CONFLICT (type, code) DO NOTHING;
INSERT INTO pbh.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom)
SELECT zx * 10 + zy + 1, 'zone ' || (zx * 10 + zy + 1), 'existant et actif', 'commune', DATE '2020-01-01', '91326',
       ST_Multi(ST_MakeEnvelope(650000 + zx * 600, 6860000 + zy * 600, 650500 + zx * 600, 6860500 + zy * 600, 2154))
  FROM generate_series(0, 9) zx, generate_series(0, 9) zy;
INSERT INTO pbh.zae_parcels (parcel_id, owner_kind, land_unit_id, geom)
SELECT format('P%s_%s', z.zone_id, k), 'legal_person', format('U%s_%s', z.zone_id, k / 2),
       ST_Multi(ST_MakeEnvelope(ST_XMin(z.geom) + (k % 5) * 100, ST_YMin(z.geom) + (k / 5) * 100,
                                ST_XMin(z.geom) + (k % 5) * 100 + 100, ST_YMin(z.geom) + (k / 5) * 100 + 100, 2154))
  FROM pbh.zae_zones z, generate_series(0, 24) k;
INSERT INTO pbh.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom)
SELECT lpad((100000000 + i)::text, 9, '0') || '00011',
       (ARRAY['47.11F', '25.62B', '62.01Z', '43.21A', '70.22Z'])[1 + i % 5],
       (ARRAY['00', '01', '02', '03', '11', '12', '21'])[1 + (i / 5) % 7], DATE '2015-01-01', true, '5710',
       ST_SetSRID(ST_MakePoint(ST_XMin(p.geom) + 20 + (i % 4) * 20, ST_YMin(p.geom) + 50), 2154)
  FROM (SELECT row_number() OVER (ORDER BY p.parcel_id, k) AS i, p.geom
          FROM pbh.zae_parcels p, generate_series(1, 4) k) p;
ANALYZE pbh.zae_zones, pbh.zae_parcels, pbh.zae_establishments;
SELECT (SELECT count(*) FROM pbh.zae_zones) AS zones, (SELECT count(*) FROM pbh.zae_parcels) AS parcels,
       (SELECT count(*) FROM pbh.zae_establishments) AS establishments;

\set z '''SELECT zone_id, geom FROM pbh.zae_zones'''
\set p '''SELECT parcel_id, geom, land_unit_id FROM pbh.zae_parcels'''
\set b '''SELECT building_id, geom, levels, built_year FROM pbh.zae_buildings'''
\set e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM pbh.zae_establishments'''
-- the analyses of one published call (this transaction's calls of _query_relations)
BEGIN;
SET LOCAL track_functions = 'all';
SELECT count(*) AS zones_published FROM smartregion.zone_indicators(:z, :p, :b, :e, '2024-06-30', '{"published": true}');
SELECT calls AS query_relations_published_call FROM pg_stat_xact_user_functions WHERE funcname = '_query_relations';
COMMIT;
BEGIN;
SET LOCAL track_functions = 'all';
SELECT count(*) AS sites FROM smartregion.site_eco('SELECT * FROM pbh.zae_zones', :p, :b, :e, '2024-06-30', '{"identif_date": "2024-01-15"}');
SELECT calls AS query_relations_site_eco FROM pg_stat_xact_user_functions WHERE funcname = '_query_relations';
COMMIT;
-- the time of a published call, and of the same "not_for_publication" (no check)
\timing on
SELECT count(*) FROM smartregion.zone_indicators(:z, :p, :b, :e, '2024-06-30', '{"published": true}');
SELECT count(*) FROM smartregion.zone_indicators(:z, :p, :b, :e, '2024-06-30', '{"published": true}');
SELECT count(*) FROM smartregion.zone_indicators(:z, :p, :b, :e, '2024-06-30', '{"published": true}');
SELECT count(*) FROM smartregion.zone_indicators(:z, :p, :b, :e, '2024-06-30', '{"published": true, "not_for_publication": true}');
SELECT count(*) FROM smartregion.zone_indicators(:z, :p, :b, :e, '2024-06-30', '{"published": true, "not_for_publication": true}');
SELECT count(*) FROM smartregion.zone_indicators(:z, :p, :b, :e, '2024-06-30', '{"published": true, "not_for_publication": true}');
