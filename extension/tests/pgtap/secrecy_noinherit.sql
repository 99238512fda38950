-- pgTAP: a NOINHERIT member of the platform administrators' group (docs/zones.md,
-- "Earlier contours" and set_secrecy_rules; docs/security-reviews.md#r-noinherit-platform;
-- 2026-12-07, h2).  A role granted smartregion_platform_admin without inheriting it
-- (NOINHERIT on PostgreSQL 15; on 16+ also GRANT ... WITH INHERIT FALSE) is a member of the
-- group (pg_has_role MEMBER) but does not get its privileges nor its policies: row-level
-- security shows it what its own rows of agents show it.  The rules that must see every row
-- (_caller_reads_every_row: set_secrecy_rules, the TRUNCATE guard of zae_zones) treat it as
-- filtered; the published call did not (_caller_is_privileged: a member), so it asked the
-- hub nothing and published a zone that another territory's zone it could not read met.
-- The scene of secrecy_redteam3.sql: 91479's restricted zone 21 over three shops of 91326
-- and 91479's factory, zone 20 of 91326 inside it over the shops' parcel.
BEGIN;
SELECT plan(9);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('sni_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('sni_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('sni_hub') \gset
-- the NOINHERIT member, given directly what it needs to read the hub and call the
-- extension (it inherits nothing), and listed as an agent of 91326
CREATE ROLE sni_padmin NOINHERIT IN ROLE smartregion_platform_admin;
GRANT USAGE ON SCHEMA sni_hub, smartregion TO sni_padmin;
GRANT SELECT ON ALL TABLES IN SCHEMA sni_hub TO sni_padmin;
GRANT SELECT ON ALL TABLES IN SCHEMA smartregion TO sni_padmin;
GRANT TRUNCATE ON sni_hub.zae_zones TO sni_padmin;
GRANT INSERT ON sni_hub.zae_zone_history TO sni_padmin;
GRANT EXECUTE ON FUNCTION sni_hub._zae_zone_history_hidden(name, name, bytea[]) TO sni_padmin;
CREATE ROLE sni_agent_a IN ROLE smartregion_agent;
CREATE ROLE sni_padmin_inherit IN ROLE smartregion_platform_admin;
INSERT INTO sni_hub.agents VALUES ('sni_padmin', '91326'), ('sni_agent_a', '91326');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
INSERT INTO sni_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  ('914790000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted');
-- three shops of 91326 (47.11F, band 11: 14.5 jobs each) and 91479's factory (25.62B, band 21)
INSERT INTO sni_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT s, n, b, DATE '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(x, y), 2154), t, 'restricted'
  FROM (VALUES ('11111111100011', '47.11F', '11', 650300, 6860300, '91326'), ('22222222200012', '47.11F', '11', 650400, 6860400, '91326'),
               ('33333333300013', '47.11F', '11', 650500, 6860500, '91326'), ('44444444400014', '25.62B', '21', 651400, 6860500, '91479'))
       v(s, n, b, x, y, t);
INSERT INTO sni_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (21, 'ZA de Morsang', 'existant et actif', 'commune', DATE '2020-01-01', '91479', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)), '91479', 'restricted'),
  (20, 'ZA de Juvisy', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted');
\set sni_z '''SELECT zone_id, geom FROM sni_hub.zae_zones'''
\set sni_p '''SELECT parcel_id, geom, land_unit_id FROM sni_hub.zae_parcels'''
\set sni_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM sni_hub.zae_establishments'''
\set sni_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(jobs_estimate::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = %s'''
\set sni_pub '''{"published": true}'''

-- it is a member of the group, and row-level security filters it: zone 20 only (its
-- agents row), not 91479's zone 21
SELECT is(pg_temp.as_role('sni_padmin', $$SELECT smartregion._caller_is_member('smartregion_platform_admin')::text || '/' || string_agg(zone_id::text, ',') FROM sni_hub.zae_zones$$),
          'true/20', 'the NOINHERIT member: a member of the group, it reads zone 20 only');
-- the rule "shown every row" does not take it for the platform administrator
SELECT is(pg_temp.as_role('sni_padmin', $$SELECT smartregion._caller_reads_every_row('sni_hub.zae_zones')::text || '/' || smartregion._caller_reads_every_row('sni_hub.zae_zone_history')::text$$),
          'false/false', '_caller_reads_every_row: false for the NOINHERIT member, zae_zones and zae_zone_history');
SELECT is(pg_temp.as_role('sni_padmin_inherit', $$SELECT smartregion._caller_reads_every_row('sni_hub.zae_zones')::text || '/' || smartregion._caller_reads_every_row('sni_hub.zae_zone_history')::text$$),
          'true/true', '_caller_reads_every_row: true for a member inheriting the group (its policy USING (true))');
-- TRUNCATE: refused, zone 21 would go without its contour
SELECT is(pg_temp.as_role('sni_padmin', 'TRUNCATE sni_hub.zae_zones'), '42501', 'the NOINHERIT member''s TRUNCATE of zae_zones: 42501 (it does not read zone 21)');
-- set_secrecy_rules on a second hub holding one zone, 91479's, hidden from the member, and
-- no provenance of it (deleted here: a writer without the right to record provenance
-- leaves none).  Only a caller shown every row may say "no zone": the member is not
SELECT count(*) > 0 AS hub2 FROM smartregion.create_hub('sni_hub2') \gset
SELECT count(*) > 0 AS granted2 FROM smartregion.grant_roles('sni_hub2') \gset
SELECT count(*) > 0 AS secured2 FROM smartregion.enable_territory_security('sni_hub2') \gset
GRANT USAGE ON SCHEMA sni_hub2 TO sni_padmin;
GRANT SELECT ON ALL TABLES IN SCHEMA sni_hub2 TO sni_padmin;
INSERT INTO sni_hub2.agents VALUES ('sni_padmin', '91326');
INSERT INTO sni_hub2.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (21, 'ZA de Morsang', 'existant et actif', 'commune', DATE '2020-01-01', '91479', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted');
DELETE FROM smartregion.provenance WHERE hub_schema = 'sni_hub2';
SELECT is(pg_temp.as_role('sni_padmin', 'SELECT count(*) FROM sni_hub2.zae_zones') || '/' ||
          pg_temp.as_role('sni_padmin', $$SELECT smartregion.set_secrecy_rules('sni_hub2', '{"dominance": 0.6}')::text$$),
          '0/42501', 'set_secrecy_rules by the NOINHERIT member, which sees no zone of a hub holding one: 42501, not taken as shown every row');
-- a member inheriting the group reads zone 21 and is told the hub held zones
SELECT is(pg_temp.as_role('sni_padmin_inherit', $$SELECT smartregion.set_secrecy_rules('sni_hub2', '{"dominance": 0.6}')::text$$),
          '55000', 'set_secrecy_rules by a member inheriting the group: 55000, the hub held a zone');

-- the published call.  An agent of 91326 withholds zone 20 (zone 21, which it cannot read,
-- meets it: the hub's _zae_zone_history_hidden says so)
SELECT is(pg_temp.as_role('sni_agent_a', format(:sni_row, :sni_z, :sni_p, :sni_e, '2024-06-30', :sni_pub, 20)),
          'null / null / null', 'agent of 91326: zone 20 withheld');
-- the NOINHERIT member, filtered as that agent is: on the build before 3 / 43.5 / {"G": 3}
-- (3 shops x 14.5 jobs; it was taken for the platform administrator and asked nothing),
-- beside the platform's 4 / 118 of zone 21 alone: C = 1 establishment of 74.5 jobs, the
-- factory whole.  Now withheld as the agent's
SELECT is(pg_temp.as_role('sni_padmin', format(:sni_row, :sni_z, :sni_p, :sni_e, '2024-06-30', :sni_pub, 20)),
          'null / null / null', 'the NOINHERIT member: zone 20 withheld (before: 3 / 43.5 / {"G": 3}, the factory whole)');
-- PostgreSQL 16+: a grant WITH INHERIT FALSE does what NOINHERIT does (an agent inheriting
-- smartregion_agent, granted the platform administrators' group without its privileges)
CREATE FUNCTION pg_temp.grant_no_inherit_case() RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
  CREATE ROLE sni_g16 IN ROLE smartregion_agent;
  EXECUTE 'GRANT smartregion_platform_admin TO sni_g16 WITH INHERIT FALSE';
  INSERT INTO sni_hub.agents VALUES ('sni_g16', '91326');
  RETURN is(pg_temp.as_role('sni_g16', format('SELECT concat_ws('' / '', coalesce(establishments::text, ''null''), coalesce(jobs_estimate::text, ''null''), coalesce(sector_mix::text, ''null'')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = 20',
                                               'SELECT zone_id, geom FROM sni_hub.zae_zones', 'SELECT parcel_id, geom, land_unit_id FROM sni_hub.zae_parcels',
                                               'SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM sni_hub.zae_establishments',
                                               '2024-06-30', '{"published": true}')),
            'null / null / null', 'PostgreSQL 16+: a member granted the group WITH INHERIT FALSE withholds zone 20 too');
END $f$;
SELECT CASE WHEN current_setting('server_version_num')::int >= 160000 THEN pg_temp.grant_no_inherit_case()
            ELSE skip('GRANT ... WITH INHERIT FALSE needs PostgreSQL 16', 1) END;

SELECT * FROM finish();
ROLLBACK;
