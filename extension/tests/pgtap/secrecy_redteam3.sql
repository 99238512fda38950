-- pgTAP: the third red team of statistical secrecy (2026-12-07; docs/zones.md, "What the
-- third red team attacked"; docs/security.md).  Route found: two zones of a hub's zae_zones
-- that overlap, each published alone.  Nothing keeps the zones of zae_zones from
-- overlapping (a call holding both is refused, but a call may publish any subset), so a
-- zone drawn inside another is the redraw of the second red team's route 1 without its
-- history: the platform published zone 1 (both communes' parcels) as 4 | 118 |
-- {"C": null, "G": null} and zone 5 (91326's parcel only, drawn inside zone 1) as
-- 3 | 43.5 | {"G": 3}: C = 4 - 3 = 1 establishment of 118 - 43.5 = 74.5 jobs, band 21,
-- 91479's factory 44444444400014 whole.  Now a published call compares each zone with the
-- hub's other zones as they stand, as with its earlier contours, and withholds it when the
-- difference fails the primary rules; an agent's call asks the hub's
-- _zae_zone_history_hidden about the zones it cannot read.
BEGIN;
SELECT plan(18);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rt3_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rt3_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('rt3_hub') \gset
CREATE ROLE rt3_agent_a IN ROLE smartregion_agent;
CREATE ROLE rt3_agent_b IN ROLE smartregion_agent;
CREATE ROLE rt3_padmin IN ROLE smartregion_platform_admin;
INSERT INTO rt3_hub.agents VALUES ('rt3_agent_a', '91326'), ('rt3_agent_b', '91479');

-- the scene of zones_history.sql: 91326 x 650000-651000, 91479 x 651000-652000
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
-- y 6860200-6860800: one parcel each side of the boundary; y 6860850-6860950: a parcel of
-- 91326 (zone 2, touching zone 1's edge at y 6860800); y 6860000-6860100 the same again
-- (zones 11 and 15 of the agents' route)
INSERT INTO rt3_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  ('914790000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted'),
  ('913260000A0002', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860850, 651000, 6860950, 2154)), '91326', 'restricted'),
  ('913260000A0011', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860000, 651000, 6860100, 2154)), '91326', 'restricted'),
  ('914790000A0011', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860000, 651800, 6860100, 2154)), '91479', 'restricted');
-- on each pair of parcels: three shops of 91326 (47.11F, band 11: 14.5 jobs each, three
-- enterprises) and a factory of 91479 (25.62B, band 21: 74.5 jobs); on zone 2's parcel
-- three other shops
INSERT INTO rt3_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT s, n, b, DATE '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(x, y), 2154), t, 'restricted'
  FROM (VALUES ('11111111100011', '47.11F', '11', 650300, 6860300, '91326'), ('22222222200012', '47.11F', '11', 650400, 6860400, '91326'),
               ('33333333300013', '47.11F', '11', 650500, 6860500, '91326'), ('44444444400014', '25.62B', '21', 651400, 6860500, '91479'),
               ('55555555500015', '47.11F', '11', 650300, 6860900, '91326'), ('66666666600016', '47.11F', '11', 650400, 6860900, '91326'),
               ('77777777700017', '47.11F', '11', 650500, 6860900, '91326'),
               ('10000000100011', '47.11F', '11', 650300, 6860050, '91326'), ('10000000200012', '47.11F', '11', 650400, 6860050, '91326'),
               ('10000000300013', '47.11F', '11', 650500, 6860050, '91326'), ('10000000400014', '25.62B', '21', 651400, 6860050, '91479'))
       v(s, n, b, x, y, t);
-- zone 1 across the boundary over both parcels; zone 2 above it, touching; zone 11 over the
-- southern pair, restricted to 91479 (the agent of 91326 does not read it)
INSERT INTO rt3_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA des deux communes', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)), '91326', 'public'),
  (2, 'ZA de Juvisy', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860800, 651000, 6860950, 2154)), '91326', 'public'),
  (11, 'ZA de Morsang sud', 'existant et actif', 'commune', DATE '2020-01-01', '91479', ST_Multi(ST_MakeEnvelope(650200, 6860000, 651800, 6860100, 2154)), '91479', 'restricted');
\set rt3_p '''SELECT parcel_id, geom, land_unit_id FROM rt3_hub.zae_parcels'''
\set rt3_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM rt3_hub.zae_establishments'''
-- one zone's published row, the zone called alone: establishments / jobs / sector_mix
\set rt3_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(jobs_estimate::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(''''SELECT zone_id, geom FROM rt3_hub.zae_zones WHERE zone_id = %s'''', %L, NULL, %L, %L, %L)'''
\set rt3_pub '''{"published": true}'''

-- the first releases, before any overlap: zone 1 4 / 3 x 14.5 + 74.5 = 118 / C (one
-- enterprise < 3) and G (its secondary) suppressed; zone 2 3 / 43.5 / {"G": 3}
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 1, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          '4 / 118 / {"C": null, "G": null}', 'platform: zone 1 first published 4 / 118 / C and G suppressed');
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 2, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          '3 / 43.5 / {"G": 3}', 'platform: zone 2 published 3 / 43.5 / {G: 3}');

-- route 1 of this red team: zone 5 drawn inside zone 1 over 91326's parcel only (a new
-- zone: no earlier contour is kept, zone 1 is not changed).  Called alone, on the build
-- before: 3 / 43.5 / {"G": 3}, so C = 4 - 3 = 1 establishment of 118 - 43.5 = 74.5 jobs
-- (band 21), the factory whole.  Now withheld: its difference with zone 1, 91479's unit,
-- is one enterprise (0 < 1 < 3)
INSERT INTO rt3_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (5, 'ZA de Juvisy-est', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'public');
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 5, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          'null / null / null', 'zone 5 drawn inside zone 1, alone: withheld (before: 3 / 43.5 / {G: 3}, the factory whole beside zone 1''s 4 / 118)');
-- and zone 1 beside it now: 4 / 118 again would tell nothing new, but a release of zone 1
-- after zone 5's is the same pair the other way round
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 1, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          'null / null / null', 'zone 1 with zone 5 inside it, alone: withheld (before: 4 / 118 / C and G suppressed)');
-- its land figures stay (not under secrecy): one land unit
SELECT is(pg_temp.as_role('rt3_padmin', format('SELECT concat_ws('' / '', land_units, sector_diversity IS NULL, published) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)',
                                               'SELECT zone_id, geom FROM rt3_hub.zae_zones WHERE zone_id = 5', :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          '1 / t / t', 'zone 5: its land figures stay (1 land unit), published true');
-- a superuser's call (no row-level security): the same
SELECT is((SELECT coalesce(sector_mix::text, 'null') FROM smartregion.zone_indicators('SELECT zone_id, geom FROM rt3_hub.zae_zones WHERE zone_id = 5', :rt3_p, NULL, :rt3_e, '2024-06-30', '{"published": true}')),
          'null', 'zone 5: a superuser''s published call withholds it too (before: {"G": 3})');
-- the CNIG site_eco file of zone 5 alone follows: no count of establishments (before: 3)
SELECT is(pg_temp.as_role('rt3_padmin', format('SELECT coalesce(site_nb_etab::text, ''null'') FROM smartregion.site_eco(%L, %L, NULL, %L, %L)',
                                               'SELECT * FROM rt3_hub.zae_zones WHERE zone_id = 5', :rt3_p, :rt3_e, '2024-06-30')),
          'null', 'site_eco of zone 5 alone: no establishment count (before: 3)');
-- unchanged: zone 2, which touches zone 1 (an edge, no interior shared), publishes as
-- before; the unpublished view and not_for_publication count zone 5's three shops
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 2, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          '3 / 43.5 / {"G": 3}', 'zone 2, touching zone 1 along an edge: 3 / 43.5 / {G: 3} as before');
SELECT is((SELECT establishments FROM smartregion.zone_indicators('SELECT zone_id, geom FROM rt3_hub.zae_zones WHERE zone_id = 5', :rt3_p, NULL, :rt3_e, '2024-06-30')),
          3::bigint, 'zone 5 unpublished: 3 establishments, as before');
SELECT is((SELECT sector_mix::text FROM smartregion.zone_indicators('SELECT zone_id, geom FROM rt3_hub.zae_zones WHERE zone_id = 5', :rt3_p, NULL, :rt3_e, '2024-06-30', '{"published": true, "not_for_publication": true}')),
          '{"G": 3}', 'zone 5 not_for_publication: {"G": 3}, as before');
-- a call holding both zones is refused, as before (zones of one call must not overlap)
SELECT is(pg_temp.as_role('rt3_padmin', format('SELECT count(*) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)',
                                               'SELECT zone_id, geom FROM rt3_hub.zae_zones WHERE zone_id IN (1, 5)', :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          '22023', 'zones 1 and 5 in one call: refused (22023), as before');

-- route 1 by an agent, over a zone it cannot read: the platform published 91479's
-- restricted zone 11 (the southern pair) as 4 / 118 / C and G suppressed; the agent of
-- 91326 draws zone 15 inside it over its own parcel (restricted to 91326, wholly inside
-- its territory) and publishes it: on the build before 3 / 43.5 / {"G": 3}, the factory
-- 10000000400014 whole (74.5 jobs).  Its history shows nothing (zone 11 was not changed)
-- and it cannot read zone 11: now the hub's _zae_zone_history_hidden answers that a zone
-- it cannot read meets zone 15, and the agent withholds it
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 11, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          '4 / 118 / {"C": null, "G": null}', 'platform: zone 11 published 4 / 118 / C and G suppressed');
SELECT is(pg_temp.as_role('rt3_agent_a', $$INSERT INTO rt3_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility)
                                            VALUES (15, 'ZA de Juvisy-sud', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860000, 651000, 6860100, 2154)), '91326', 'restricted')
                                            RETURNING 'drawn'$$, true),
          'drawn', 'the agent of 91326 draws zone 15 inside zone 11, which it cannot read');
SELECT is(pg_temp.as_role('rt3_agent_a', format(:rt3_row, 15, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          'null / null / null', 'agent of 91326: zone 15 withheld (before: 3 / 43.5 / {G: 3}, the factory whole beside zone 11''s 4 / 118)');

-- and the platform's zone 11 beside zone 15 now: withheld as zone 1 is beside zone 5 (the
-- build before: 4 / 118 / C and G suppressed)
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 11, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          'null / null / null', 'platform: zone 11 with the agent''s zone 15 inside it withheld (before: 4 / 118)');

-- route 2 of this red team: the withholding as an answer.  Had the platform's release of a
-- zone depended on its difference with a contour another territory drew, the drawer would
-- learn from it whether the part of the zone outside its contour passes the primary rules.
-- 91479's restricted zone 12 (y 6860110-6860190): three shops of 91326 and a factory of
-- 91479 again, 4 / 118 / C and G suppressed; the agent of 91326 draws zone 16 over 91479's
-- parcel only, so that the difference is the three shops (3 enterprises of 14.5 jobs, 33 %
-- each, bands kept: it passes).  The release after the first fix published zone 12 4 / 118
-- (the difference passed: "outside your zone, at least 3 enterprises, none dominant"), and
-- would have withheld it had the shops been fewer; now a contour of another territory than
-- the zone's withholds it whatever the difference
INSERT INTO rt3_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0021', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860110, 651000, 6860190, 2154)), '91326', 'restricted'),
  ('914790000A0021', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860110, 651800, 6860190, 2154)), '91479', 'restricted');
INSERT INTO rt3_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT s, n, b, DATE '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(x, y), 2154), t, 'restricted'
  FROM (VALUES ('12000000100011', '47.11F', '11', 650300, 6860150, '91326'), ('12000000200012', '47.11F', '11', 650400, 6860150, '91326'),
               ('12000000300013', '47.11F', '11', 650500, 6860150, '91326'), ('12000000400014', '25.62B', '21', 651400, 6860150, '91479'))
       v(s, n, b, x, y, t);
INSERT INTO rt3_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (12, 'ZA de Morsang centre', 'existant et actif', 'commune', DATE '2020-01-01', '91479', ST_Multi(ST_MakeEnvelope(650200, 6860110, 651800, 6860190, 2154)), '91479', 'restricted');
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 12, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          '4 / 118 / {"C": null, "G": null}', 'platform: zone 12 published 4 / 118 / C and G suppressed');
SELECT is(pg_temp.as_role('rt3_agent_a', $$INSERT INTO rt3_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility)
                                            VALUES (16, 'ZA sonde', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(651000, 6860110, 651800, 6860190, 2154)), '91326', 'restricted')
                                            RETURNING 'drawn'$$, true),
          'drawn', 'the agent of 91326 draws zone 16 over 91479''s parcel inside zone 12');
SELECT is(pg_temp.as_role('rt3_padmin', format(:rt3_row, 12, :rt3_p, :rt3_e, '2024-06-30', :rt3_pub)),
          'null / null / null', 'platform: zone 12 withheld beside another territory''s zone 16, whatever the difference (after the first fix: 4 / 118, the difference passing)');

SELECT * FROM finish();
ROLLBACK;
