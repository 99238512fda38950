-- pgTAP: a zone redrawn between two releases must not give a suppressed cell back (the
-- second red team's route 1, 2026-12-07; docs/zones.md, "Earlier contours"; docs/security.md).
-- The platform published zone 1 as 4 | 118 | {"C": null, "G": null}; the hub's owner redrew
-- zone 1 without 91479's parcel, and the same call gave 3 | 43.5 | {"G": 3}: C = 1
-- establishment of 118 - 43.5 = 74.5 jobs, the factory whole.  Now every earlier contour
-- is kept (zae_zone_history) and a published call withholds a zone whose difference with
-- an overlapping earlier contour fails the primary rules.  The first assertions need no
-- history table, so that on the build before they fail rather than stop the script.
BEGIN;
SELECT plan(28);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zh_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('zh_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('zh_hub') \gset
CREATE ROLE zh_agent_a IN ROLE smartregion_agent;
CREATE ROLE zh_agent_b IN ROLE smartregion_agent;
CREATE ROLE zh_reader IN ROLE smartregion_reader;
CREATE ROLE zh_padmin IN ROLE smartregion_platform_admin;
INSERT INTO zh_hub.agents VALUES ('zh_agent_a', '91326'), ('zh_agent_b', '91479');

-- the scene of zones_publication.sql: 91326 x 650000-651000, 91479 x 651000-652000
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
-- parcels: zone 1's of each commune; zone 2's; zone 3's two (y 6860000-6860100); zone 4's
-- two (y 6860100-6860190)
INSERT INTO zh_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  ('914790000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted'),
  ('913260000A0002', 'legal_person', ST_Multi(ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)), '91326', 'restricted'),
  ('913260000A0031', 'legal_person', ST_Multi(ST_MakeEnvelope(650000, 6860000, 650100, 6860100, 2154)), '91326', 'restricted'),
  ('913260000A0032', 'legal_person', ST_Multi(ST_MakeEnvelope(650100, 6860000, 650200, 6860100, 2154)), '91326', 'restricted'),
  ('913260000A0041', 'legal_person', ST_Multi(ST_MakeEnvelope(650000, 6860100, 650100, 6860190, 2154)), '91326', 'restricted'),
  ('913260000A0042', 'legal_person', ST_Multi(ST_MakeEnvelope(650100, 6860100, 650200, 6860190, 2154)), '91326', 'restricted');
-- zone 1: three shops of 91326 (47.11F, band 11, 14.5 jobs each) and 91479's factory
-- (25.62B, band 21, 74.5 jobs); zone 2: three other shops; zone 3: three shops on each of
-- its parcels (six enterprises); zone 4: three shops on one parcel, a factory on the other
INSERT INTO zh_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT s, n, b, DATE '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(x, y), 2154), t, 'restricted'
  FROM (VALUES ('11111111100011', '47.11F', '11', 650300, 6860300, '91326'), ('22222222200012', '47.11F', '11', 650400, 6860400, '91326'),
               ('33333333300013', '47.11F', '11', 650500, 6860500, '91326'), ('44444444400014', '25.62B', '21', 651400, 6860500, '91479'),
               ('55555555500015', '47.11F', '11', 650200, 6860900, '91326'), ('66666666600016', '47.11F', '11', 650400, 6860900, '91326'),
               ('77777777700017', '47.11F', '11', 650600, 6860900, '91326'),
               ('30000000100011', '47.11F', '11', 650020, 6860050, '91326'), ('30000000200012', '47.11F', '11', 650050, 6860050, '91326'),
               ('30000000300013', '47.11F', '11', 650080, 6860050, '91326'), ('30000000400014', '47.11F', '11', 650120, 6860050, '91326'),
               ('30000000500015', '47.11F', '11', 650150, 6860050, '91326'), ('30000000600016', '47.11F', '11', 650180, 6860050, '91326'),
               ('40000000100011', '47.11F', '11', 650020, 6860150, '91326'), ('40000000200012', '47.11F', '11', 650050, 6860150, '91326'),
               ('40000000300013', '47.11F', '11', 650080, 6860150, '91326'), ('40000000400014', '25.62B', '21', 650150, 6860150, '91326'))
       v(s, n, b, x, y, t);
INSERT INTO zh_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA des deux communes', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)), '91326', 'public'),
  (2, 'ZA de Juvisy', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)), '91326', 'public'),
  (3, 'ZA du sud', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650000, 6860000, 650200, 6860100, 2154)), '91326', 'restricted'),
  (4, 'ZA des ateliers', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650000, 6860100, 650200, 6860190, 2154)), '91326', 'public');
\set zh_z '''SELECT zone_id, geom FROM zh_hub.zae_zones'''
\set zh_p '''SELECT parcel_id, geom, land_unit_id FROM zh_hub.zae_parcels'''
\set zh_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zh_hub.zae_establishments'''
-- one zone's published row as text: establishments / jobs / sector_mix
\set zh_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(jobs_estimate::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = %s'''
\set zh_pub '''{"published": true}'''

-- the first releases (no earlier contour): zone 1 4 / 3 x 14.5 + 74.5 = 118 / C (one
-- enterprise) and G (its secondary) suppressed; zone 3 six shops of six enterprises,
-- 6 x 14.5 = 87; zone 4 three shops and a factory, 3 x 14.5 + 74.5 = 118, C and G suppressed
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 1)),
          '4 / 118 / {"C": null, "G": null}', 'platform: zone 1 first published 4 / 118 / C and G suppressed');
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 3)),
          '6 / 87 / {"G": 6}', 'platform: zone 3 first published 6 / 87 / {G: 6}');
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 4)),
          '4 / 118 / {"C": null, "G": null}', 'platform: zone 4 first published 4 / 118 / C and G suppressed');

-- route 1: the owner redraws zone 1 without 91479's parcel (x 650200-651000)
UPDATE zh_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)) WHERE zone_id = 1;
-- the same call: on the build before 3 / 43.5 / {"G": 3}, the factory whole (C = 4 - 3
-- establishments, 118 - 43.5 = 74.5 jobs); now withheld: the difference with the earlier
-- contour is one enterprise (0 < 1 < 3)
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 1)),
          'null / null / null', 'route 1: zone 1 redrawn without the factory''s parcel is withheld (before: 3 / 43.5 / {G: 3})');
SELECT is(pg_temp.as_role('zh_padmin', format('SELECT concat_ws('' / '', land_units, sector_diversity IS NULL, jobs_per_ha IS NULL, published) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = 1',
                                              :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub)),
          '1 / t / t / t', 'route 1: its land figures stay (1 land unit), its diversity and jobs per ha withheld');
-- a superuser (no row-level security) the same
SELECT is((SELECT concat_ws(' / ', coalesce(establishments::text, 'null'), coalesce(jobs_estimate::text, 'null'), coalesce(sector_mix::text, 'null'))
             FROM smartregion.zone_indicators(:zh_z, :zh_p, NULL, :zh_e, '2024-06-30', '{"published": true}') WHERE zone_id = 1),
          'null / null / null', 'route 1: a superuser''s call withholds zone 1 too');
-- the CNIG site_eco file follows the published call: no count of establishments for zone 1
SELECT is(pg_temp.as_role('zh_padmin', format('SELECT string_agg(coalesce(site_nb_etab::text, ''null''), '','' ORDER BY site_id) FROM smartregion.site_eco(%L, %L, NULL, %L, %L)',
                                              'SELECT * FROM zh_hub.zae_zones', :zh_p, :zh_e, '2024-06-30')),
          'null,3,6,4', 'route 1: site_eco gives zone 1 no establishment count (zones 2, 3, 4: 3, 6, 4)');
-- unpublished and not_for_publication: unchanged (the owner's own work)
SELECT is((SELECT establishments FROM smartregion.zone_indicators(:zh_z, :zh_p, NULL, :zh_e, '2024-06-30') WHERE zone_id = 1),
          3::bigint, 'route 1: the unpublished view counts 3, as before');
SELECT is((SELECT sector_mix::text FROM smartregion.zone_indicators(:zh_z, :zh_p, NULL, :zh_e, '2024-06-30', '{"published": true, "not_for_publication": true}') WHERE zone_id = 1),
          '{"G": 3}', 'route 1: not_for_publication unchanged');

-- a redraw that moves no establishment: zone 2 a little larger (its one parcel inside both
-- contours): the same 3 / 43.5 / {"G": 3}
UPDATE zh_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650050, 6860840, 650950, 6860960, 2154)) WHERE zone_id = 2;
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 2)),
          '3 / 43.5 / {"G": 3}', 'a redraw moving no establishment publishes as before');
-- a redraw moving three enterprises: zone 3 without its second parcel, by the agent of
-- 91326 (its territory's zone), as the writer: the difference, three shops of three
-- enterprises of 14.5 jobs (33 % each; 43.5 = 34.5 + 7.5 + 1.5 keeps the bands), passes
SELECT is(pg_temp.as_role('zh_agent_a', $$UPDATE zh_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650000, 6860000, 650100, 6860100, 2154)) WHERE zone_id = 3 RETURNING 'updated'$$, true),
          'updated', 'the agent of 91326 redraws its zone 3');
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 3)),
          '3 / 43.5 / {"G": 3}', 'a redraw moving three enterprises publishes: 3 / 43.5 / {G: 3}');
-- the delete-and-redraw variant: zone 4 deleted, zone 7 drawn over its first parcel
-- (without the factory): on the build before 3 / 43.5 / {"G": 3} beside zone 4's 4 / 118
DELETE FROM zh_hub.zae_zones WHERE zone_id = 4;
INSERT INTO zh_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (7, 'ZA des ateliers (nouvelle)', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650000, 6860100, 650100, 6860190, 2154)), '91326', 'public');
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 7)),
          'null / null / null', 'zone 4 deleted and zone 7 drawn in its place without the factory: zone 7 withheld');

-- the history (no table on the build before: the script stops here)
SELECT is((SELECT string_agg(concat_ws(':', zone_id, operation, territory_code, visibility), ',' ORDER BY id) FROM zh_hub.zae_zone_history),
          '1:update:91326:public,2:update:91326:public,3:update:91326:restricted,4:delete:91326:public',
          'every earlier contour is kept, with its zone''s territory and visibility');
SELECT is((SELECT ST_Equals(geom, ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)) FROM zh_hub.zae_zone_history WHERE zone_id = 1),
          true,
          'zone 1''s earlier contour is its first one');
-- an update leaving the geometry as it was keeps no contour
UPDATE zh_hub.zae_zones SET site_nom = 'ZA de Juvisy-sur-Orge' WHERE zone_id = 2;
UPDATE zh_hub.zae_zones SET geom = geom WHERE zone_id = 2;
SELECT is((SELECT count(*) FROM zh_hub.zae_zone_history), 4::bigint, 'an update of other columns, or to the same geometry, keeps no contour');
-- who reads it: as zae_zones (zone 3 restricted to 91326)
SELECT is(pg_temp.as_role('zh_agent_a', 'SELECT count(*) FROM zh_hub.zae_zone_history WHERE zone_id = 3') || '/' ||
          pg_temp.as_role('zh_agent_a', 'SELECT count(*) FROM zh_hub.zae_zones WHERE zone_id = 3'),
          '1/1', 'the agent of 91326 reads zone 3 and its earlier contour');
SELECT is(pg_temp.as_role('zh_agent_b', 'SELECT count(*) FROM zh_hub.zae_zone_history WHERE zone_id = 3') || '/' ||
          pg_temp.as_role('zh_agent_b', 'SELECT count(*) FROM zh_hub.zae_zones WHERE zone_id = 3'),
          '0/0', 'the agent of 91479 reads neither zone 3 nor its earlier contour');
SELECT is(pg_temp.as_role('zh_reader', 'SELECT count(*) FROM zh_hub.zae_zone_history') || '/' ||
          pg_temp.as_role('zh_reader', 'SELECT count(*) FROM zh_hub.zae_zones WHERE visibility = ''public'''),
          '3/3', 'a reader reads the public contours only, as the public zones');
-- append-only: for the platform administrator and the agents, 42501
SELECT throws_ok($$SET LOCAL ROLE zh_padmin; DELETE FROM zh_hub.zae_zone_history WHERE zone_id = 1$$, '42501',
                 'the history of zone contours is append-only',
          'the platform administrator cannot delete an earlier contour');
SELECT is(pg_temp.as_role('zh_padmin', 'UPDATE zh_hub.zae_zone_history SET geom = geom WHERE zone_id = 1'), '42501',
          'the platform administrator cannot update an earlier contour');
SELECT is(pg_temp.as_role('zh_padmin', 'TRUNCATE zh_hub.zae_zone_history'), '42501',
          'the platform administrator cannot truncate the history');
SELECT is(pg_temp.as_role('zh_agent_a', 'DELETE FROM zh_hub.zae_zone_history WHERE zone_id = 3 RETURNING 1'),
          '42501', 'the agent of 91326 cannot delete its zone''s earlier contour');
-- the owner may purge (contours never released only: docs/zones.md); then zone 7 publishes
-- what route 1's delete variant gave away, which is why it must not
DELETE FROM zh_hub.zae_zone_history WHERE zone_id = 4;
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 7)),
          '3 / 43.5 / {"G": 3}', 'the owner purged zone 4''s contour: zone 7 published again (the leak the purge reopens)');
-- a history left in another SRID than the zones (a hub whose zones alone were transformed)
-- is compared all the same, in the zones' SRID: zone 1 still withheld
ALTER TABLE zh_hub.zae_zone_history ALTER COLUMN geom TYPE geometry(MultiPolygon, 3946) USING ST_Transform(geom, 3946);
SELECT is(pg_temp.as_role('zh_padmin', format(:zh_row, :zh_z, :zh_p, :zh_e, '2024-06-30', :zh_pub, 1)),
          'null / null / null', 'a history in another SRID (3946) is compared in the zones'' (2154): zone 1 still withheld');
-- create_hub run again on a hub made before the history: the table and triggers come back
DROP TABLE zh_hub.zae_zone_history;
SELECT count(*) > 0 AS again FROM smartregion.create_hub('zh_hub') \gset
UPDATE zh_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650000, 6860100, 650050, 6860190, 2154)) WHERE zone_id = 7;
SELECT is((SELECT count(*) FROM zh_hub.zae_zone_history WHERE zone_id = 7), 1::bigint,
          'create_hub again: the history and its trigger are back');
SELECT has_trigger('zh_hub', 'zae_zones', 'sr_zae_zone_history_truncate', 'create_hub: zae_zones keeps its contours at a truncate');
-- TRUNCATE fires no row trigger: the statement trigger keeps the four zones' contours
TRUNCATE zh_hub.zae_zones;
SELECT is((SELECT string_agg(concat_ws(':', zone_id, operation), ',' ORDER BY zone_id) FROM zh_hub.zae_zone_history WHERE operation = 'truncate'),
          '1:truncate,2:truncate,3:truncate,7:truncate', 'a truncate of zae_zones keeps every zone''s contour');

SELECT * FROM finish();
ROLLBACK;
