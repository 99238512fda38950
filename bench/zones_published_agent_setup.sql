-- The hub of docs/performance-zones.md, "The history's triggers and an agent's published call"
-- (2026-12-07): 1,600 zones of 91326, 200 restricted zones of 91479, 6,400 parcels, 12,800
-- establishments, 1,200 earlier contours; an agent pz_agent of 91326.  createdb pub && psql -X -d pub -f THIS
-- (-v side=80: 6,400 zones of 91326 on an 80 x 80 grid, 800 of 91479, 4,800 contours, 2026-12-07 h3)
\set ON_ERROR_STOP 1
\if :{?side}
\else
\set side 40
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS smartregion CASCADE;
SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('pz') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('pz') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('pz') \gset
DO $$ BEGIN CREATE ROLE pz_agent IN ROLE smartregion_agent; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE pz_padmin IN ROLE smartregion_platform_admin; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
INSERT INTO pz.agents VALUES ('pz_agent', '91326');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', NULL),
  ('commune', '91479', 'Morsang', '200057859', NULL)
ON CONFLICT (type, code) DO NOTHING;
-- 1,600 zones of 91326 (side x side = 40 x 40 grid of 200 m squares, 250 m pitch), every other one restricted
INSERT INTO pz.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility)
SELECT i + 1, 'zone ' || (i + 1), 'existant et actif', 'commune', DATE '2020-01-01', '91326',
       ST_Multi(ST_MakeEnvelope(650000 + (i % :side) * 250, 6860000 + (i / :side) * 250, 650200 + (i % :side) * 250, 6860200 + (i / :side) * 250, 2154)),
       '91326', CASE WHEN i % 2 = 0 THEN 'public' ELSE 'restricted' END::smartregion.visibility
  FROM generate_series(0, :side * :side - 1) i;
-- 200 restricted zones of 91479 straddling the gaps (another territory's: the agent does not read them)
INSERT INTO pz.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility)
SELECT 10001 + i, 'autre ' || i, 'existant et actif', 'commune', DATE '2020-01-01', '91479',
       ST_Multi(ST_MakeEnvelope(650180 + (i % (:side / 2)) * 500, 6860180 + (i / (:side / 2)) * 1000, 650270 + (i % (:side / 2)) * 500, 6860270 + (i / (:side / 2)) * 1000, 2154)),
       '91479', 'restricted'
  FROM generate_series(0, :side * :side / 8 - 1) i;
-- 4 parcels a zone, 2 establishments a parcel
INSERT INTO pz.zae_parcels (parcel_id, owner_kind, land_unit_id, geom, territory_code, visibility)
SELECT format('P%s_%s', z.zone_id, k), 'legal_person', format('U%s_%s', z.zone_id, k / 2),
       ST_Multi(ST_MakeEnvelope(ST_XMin(z.geom) + (k % 2) * 100, ST_YMin(z.geom) + (k / 2) * 100,
                                ST_XMin(z.geom) + (k % 2) * 100 + 100, ST_YMin(z.geom) + (k / 2) * 100 + 100, 2154)), '91326', 'restricted'
  FROM pz.zae_zones z, generate_series(0, 3) k WHERE z.zone_id <= :side * :side;
INSERT INTO pz.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT lpad((100000000 + i)::text, 9, '0') || '00011',
       (ARRAY['47.11F', '25.62B', '62.01Z', '43.21A', '70.22Z'])[1 + i % 5],
       (ARRAY['00', '01', '02', '03', '11', '12', '21'])[1 + (i / 5) % 7], DATE '2015-01-01', true, '5710',
       ST_SetSRID(ST_MakePoint(ST_XMin(p.geom) + 20 + (i % 2) * 40, ST_YMin(p.geom) + 50), 2154), '91326', 'restricted'
  FROM (SELECT row_number() OVER (ORDER BY p.parcel_id, k) AS i, p.geom
          FROM pz.zae_parcels p, generate_series(1, 2) k) p;
-- 1,000 zones redrawn once (their earlier contour in the history)
UPDATE pz.zae_zones SET geom = ST_Multi(ST_Buffer(ST_GeometryN(geom, 1), -5, 'join=mitre')) WHERE zone_id <= :side * :side * 5 / 8;
ANALYZE pz.zae_zones, pz.zae_parcels, pz.zae_establishments, pz.zae_zone_history;
SELECT (SELECT count(*) FROM pz.zae_zones) AS zones, (SELECT count(*) FROM pz.zae_parcels) AS parcels,
       (SELECT count(*) FROM pz.zae_establishments) AS establishments, (SELECT count(*) FROM pz.zae_zone_history) AS history;
UPDATE smartregion.territory SET geom = ST_Multi(ST_Transform(ST_MakeEnvelope(649000, 6859000, 651000 + :side * 250, 6861000 + :side * 250, 2154), 4326)) WHERE code IN ('91326', '91479');
UPDATE pz.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(ST_XMin(geom) + 25, ST_YMin(geom) + 25, ST_XMin(geom) + 65, ST_YMin(geom) + 65, 2154)) WHERE zone_id > 10000;  -- (their ids: 10001 on, below 10000 + side * side / 8)
ANALYZE pz.zae_zones, pz.zae_zone_history;
