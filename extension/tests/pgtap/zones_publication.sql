-- pgTAP: a published zone figure does not depend on who asks (the red team of 2026-12-06,
-- evening; docs/zones.md, red team routes).  The functions run as their caller and
-- row-level security gives a territory's agent its own territories' restricted rows only:
-- a published call over a zone spanning two territories gave the agent another table than
-- the platform's, whose difference was the other territory's suppressed cell, whole.  Now a
-- caller that row-level security filters publishes only the zones lying wholly inside its
-- territories' contours, and is refused without those contours.
BEGIN;
SELECT plan(47);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
-- SQLSTATE and message of a failing query run as a role, 'no error' when it runs
CREATE FUNCTION pg_temp.error_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'no error';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  END;
  RESET ROLE;
  RETURN CASE WHEN st = 'SRROK' THEN msg ELSE st || ' ' || msg END;
END $$;

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zp_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('zp_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('zp_hub') \gset
CREATE ROLE zp_agent_a IN ROLE smartregion_agent;
CREATE ROLE zp_agent_b IN ROLE smartregion_agent;
CREATE ROLE zp_padmin IN ROLE smartregion_platform_admin;
INSERT INTO zp_hub.agents VALUES ('zp_agent_a', '91326'), ('zp_agent_b', '91479');

-- Two communes side by side (Lambert-93): 91326 x 650000-651000, 91479 x 651000-652000,
-- y 6860000-6861000; their contours held in WGS84 as load_territory_contours keeps them.
-- Zone 1 spans both (a parcel of each); zone 2 lies wholly inside 91326.
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
INSERT INTO zp_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  ('914790000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted'),
  ('913260000A0002', 'legal_person', ST_Multi(ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)), '91326', 'restricted');
-- zone 1: three shops of 91326 (47.11F, band 11: 10-19 employees, 14.5 jobs each) and one
-- factory of 91479 (25.62B, band 21: 50-99, 74.5 jobs); zone 2: three other shops of 91326
INSERT INTO zp_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility) VALUES
  ('11111111100011', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650300, 6860300), 2154), '91326', 'restricted'),
  ('22222222200012', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650400, 6860400), 2154), '91326', 'restricted'),
  ('33333333300013', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650500, 6860500), 2154), '91326', 'restricted'),
  ('44444444400014', '25.62B', '21', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(651400, 6860500), 2154), '91479', 'restricted'),
  ('55555555500015', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650200, 6860900), 2154), '91326', 'restricted'),
  ('66666666600016', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650400, 6860900), 2154), '91326', 'restricted'),
  ('77777777700017', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650600, 6860900), 2154), '91326', 'restricted');
-- in no zone, of 91479 and restricted: a parcel (651200-651600 x 6860020-6860150, south of
-- zone 1's y 6860200), three establishments of three enterprises (their SIRENs differ) on
-- no parcel, and a building (651700-651750 x 6860020-6860060) whose centroid is on no parcel
INSERT INTO zp_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('914790000A0009', 'legal_person', ST_Multi(ST_MakeEnvelope(651200, 6860020, 651600, 6860150, 2154)), '91479', 'restricted');
INSERT INTO zp_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility) VALUES
  ('81111111100018', '47.11F', '01', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(651700, 6860100), 2154), '91479', 'restricted'),
  ('82222222200019', '47.11F', '01', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(651750, 6860100), 2154), '91479', 'restricted'),
  ('83333333300010', '47.11F', '01', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(651800, 6860100), 2154), '91479', 'restricted');
INSERT INTO zp_hub.zae_buildings (building_id, levels, built_year, geom, territory_code, visibility) VALUES
  (1, 1, 2000, ST_Multi(ST_MakeEnvelope(651700, 6860020, 651750, 6860060, 2154)), '91479', 'restricted');

-- the zones as the hub holds them (a published call reading the hub takes its zones from
-- zae_zones, unchanged: secrecy_redteam2.sql); the same rectangles as literals
INSERT INTO zp_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA des deux communes', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)), '91326', 'public'),
  (2, 'ZA de Juvisy', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)), '91326', 'public');
\set zp_z '''SELECT zone_id, geom FROM zp_hub.zae_zones'''
\set zp_zlit '''SELECT 1::bigint AS zone_id, ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154) AS geom UNION ALL SELECT 2, ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)'''
\set zp_p '''SELECT parcel_id, geom, land_unit_id FROM zp_hub.zae_parcels'''
\set zp_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zp_hub.zae_establishments'''
-- one zone's published row as text: establishments / jobs / sector_mix
\set zp_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(jobs_estimate::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = %s'''
\set zp_pub '''{"published": true}'''

-- the platform: zone 1 counts 4 establishments, 3 x 14.5 + 74.5 = 118 jobs; its C cell (one
-- enterprise) is suppressed, and G (3 enterprises, one of them 14.5 / 43.5 = 33 % of the
-- cell's jobs) then too, as the zone's total would give C back (secondary suppression)
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 1)),
          '4 / 118 / {"C": null, "G": null}', 'platform: zone 1 published, 4 / 118 / C and G suppressed');
-- zone 2: three shops of one section, 3 enterprises, none over 85 %: 3 / 43.5 / {G: 3}
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 2)),
          '3 / 43.5 / {"G": 3}', 'platform: zone 2 published, 3 / 43.5 / {G: 3}');
-- the agent of 91326 reads its own three in zone 1 only: on the old build it published
-- 3 / 43.5 / {"G": 3}, whose difference with the platform's is 91479's factory: 1
-- establishment, 74.5 jobs, in C, the suppressed cell whole.  Zone 1 is not inside 91326:
-- withheld whole, as an unsettled zone
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 1)),
          'null / null / null', 'agent of 91326: zone 1 (over 91326 and 91479) withheld whole');
SELECT is(pg_temp.as_role('zp_agent_a', format('SELECT (sector_diversity IS NULL AND jobs_per_ha IS NULL AND published)::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = 1',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub)),
          'true', 'agent of 91326: zone 1''s diversity and jobs per ha withheld too');
-- zone 2 lies wholly inside 91326: the agent reads its whole population and publishes the
-- platform's row
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 2)),
          '3 / 43.5 / {"G": 3}', 'agent of 91326: zone 2 (inside 91326) published as the platform publishes it');
SELECT is(pg_temp.as_role('zp_agent_a', format('SELECT string_agg(concat_ws('','', zone_id, establishments, jobs_estimate, sector_mix, sector_diversity, vacancy_rate, land_units), '';'' ORDER BY zone_id) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = 2',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub)),
          pg_temp.as_role('zp_padmin', format('SELECT string_agg(concat_ws('','', zone_id, establishments, jobs_estimate, sector_mix, sector_diversity, vacancy_rate, land_units), '';'' ORDER BY zone_id) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = 2',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub)),
          'agent of 91326 and platform: the same published row of zone 2');
-- the agent of 91479 reads only the factory of zone 1 and nothing of zone 2 (all 91326's,
-- restricted): both withheld (zone 2 lies in 91326, not in its territory)
SELECT is(pg_temp.as_role('zp_agent_b', format('SELECT string_agg(coalesce(establishments::text, ''null''), '','' ORDER BY zone_id) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub)),
          'null,null', 'agent of 91479: neither zone published (zone 1 over two territories, zone 2 in 91326)');
-- the unpublished mode is unchanged: the agent's own work counts what it reads
SELECT is(pg_temp.as_role('zp_agent_a', format('SELECT string_agg(establishments::text, '','' ORDER BY zone_id) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L)',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30')),
          '3,3', 'agent of 91326, unpublished: its own three in each zone, as before');
-- "not_for_publication" (a table for checking only) is not a publication: unchanged
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', '{"published": true, "not_for_publication": true}', 1)),
          '3 / 43.5 / {"G": 3}', 'agent of 91326, not_for_publication: its own table of zone 1, as before');
-- the platform's rows are those of a superuser (neither is filtered)
SELECT is(pg_temp.as_role(current_user, format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 1)),
          '4 / 118 / {"C": null, "G": null}', 'superuser: zone 1 as the platform publishes it');

-- the CNIG files read the published call: the agent's SITE-ECO of zone 1 has no
-- establishment count (the platform's: 4), its zone 2 the platform's 3
SELECT is(pg_temp.as_role('zp_agent_a', format('SELECT string_agg(coalesce(site_nb_etab::text, ''null''), '','' ORDER BY site_id) FROM smartregion.site_eco(%L, %L, %L, %L, %L)',
                                               'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30')),
          'null,3', 'agent of 91326: site_eco withholds zone 1''s establishments, gives zone 2''s 3');
SELECT is(pg_temp.as_role('zp_padmin', format('SELECT string_agg(coalesce(site_nb_etab::text, ''null''), '','' ORDER BY site_id) FROM smartregion.site_eco(%L, %L, %L, %L, %L)',
                                               'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30')),
          '4,3', 'platform: site_eco counts 4 and 3');

-- land figures: row-level security filters the agent's parcels too.  Zone 1 (1,600 x 600 m
-- = 96 ha) holds 91326's parcel A0001 (800 x 600 m = 48 ha) and 91479's A0001 (48 ha): the
-- platform counts 2 land units, 96 ha; the agent of 91326 reads its own parcel only (on the
-- old build it published 1 land unit, 48 ha: the difference tells 91479's unit exists).
-- Zone 1 out of its scope: every land figure NULL, its own zone_id and area (96 ha) kept
\set zp_land '''SELECT concat_ws('''' / '''', zone_id, round(area_ha::numeric, 4), coalesce(land_units::text, ''''null''''), coalesce(round(parcel_area_ha::numeric, 4)::text, ''''null''''), coalesce(vacant_land_units::text, ''''null''''), coalesce(vacancy_rate::text, ''''null''''), coalesce(built_land_units::text, ''''null''''), coalesce(built_m2::text, ''''null''''), coalesce(footprint_ratio::text, ''''null''''), coalesce(floor_area_ratio::text, ''''null''''), coalesce(available_land_ha::text, ''''null''''), coalesce(never_occupied_land_units::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = %s'''
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_land, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 1)),
          '1 / 96.0000 / null / null / null / null / null / null / null / null / null / null',
          'agent of 91326: zone 1 (out of its scope) has every land figure NULL, its zone_id and area kept');
-- what the old build published: the agent's own figures, which its unpublished call still
-- gives (its parcel A0001 only: 1 unit, 48 ha; the agent of 91479 none of zone 2's: 0)
SELECT is(pg_temp.as_role('zp_agent_a', format('SELECT concat_ws(''/'', land_units, round(parcel_area_ha::numeric, 4)) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L) WHERE zone_id = 1',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30')),
          '1/48.0000', 'agent of 91326, unpublished: zone 1 counts its own unit only, 1 / 48 ha');
SELECT is(pg_temp.as_role('zp_agent_b', format('SELECT land_units::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L) WHERE zone_id = 2',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30')),
          '0', 'agent of 91479, unpublished: zone 2 counts no unit (all 91326''s)');
-- the platform: 2 units, 96 ha of parcels, none vacant (each has an active CFE-liable
-- establishment: vacancy 0), no building given (0 built, 0 m2, ratios 0), no available land
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_land, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 1)),
          '1 / 96.0000 / 2 / 96.0000 / 0 / 0 / 0 / 0 / 0 / 0 / 0 / 0',
          'platform: zone 1 counts 2 land units, 96 ha, none vacant');
-- zone 2 (800 x 100 m = 8 ha) wholly inside 91326: the agent's land figures are the
-- platform's (1 unit, A0002, 8 ha, occupied by the three shops)
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_land, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 2)),
          '2 / 8.0000 / 1 / 8.0000 / 0 / 0 / 0 / 0 / 0 / 0 / 0 / 0',
          'agent of 91326: zone 2 (inside 91326) land figures: 1 unit, 8 ha, none vacant');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_land, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 2)),
          pg_temp.as_role('zp_padmin', format(:zp_land, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 2)),
          'agent of 91326 and platform: the same land figures of zone 2');
-- the agent of 91479 has neither zone in its scope (zone 2 lies in 91326; it read 0 units
-- there on the old build)
SELECT is(pg_temp.as_role('zp_agent_b', format('SELECT string_agg(concat_ws(''/'', zone_id, coalesce(land_units::text, ''null''), coalesce(parcel_area_ha::text, ''null'')), '','' ORDER BY zone_id) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub)),
          '1/null/null,2/null/null', 'agent of 91479: neither zone''s land figures published');
-- SITE-ECO's surfaces come from the land units: site 1's withheld for the agent (on the old
-- build 48 ha, its own parcel); site 2's 8 ha as the platform's; the platform's site 1 has
-- the two parcels, 96 ha; no vacant unbuilt unit, so 0 ha available
\set zp_surf '''SELECT string_agg(concat_ws(''''/'''', coalesce(site_surf_utile::text, ''''null''''), coalesce(site_surf_comm_dispo::text, ''''null''''), coalesce(site_uf_nbre::text, ''''null'''')), '''','''' ORDER BY site_id) FROM smartregion.site_eco(%L, %L, %L, %L, %L)'''
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_surf, 'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30')),
          'null/null/null,8/0/1', 'agent of 91326: site_eco withholds zone 1''s surfaces and units, gives zone 2''s');
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_surf, 'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30')),
          '96/0/2,8/0/1', 'platform: site_eco surfaces 96 ha and 8 ha');
-- TERRAIN-ECO lists the land units (terr_id <INSEE of the site>_TERRAIN-ECO_<land unit, here
-- the parcel>): the agent of 91326 only zone 2's A0002 (on the old build zone 1's 91326 A0001
-- too); the platform all three
\set zp_terr '''SELECT string_agg(concat_ws(''''/'''', site_id, terr_id), '''','''' ORDER BY site_id, terr_id) FROM smartregion.terrain_eco(%L, %L, %L, %L, %L, %L)'''
\set zp_topt '''{"identif_date": "2020-01-01", "terr_maitrise_fonc": "inconnu", "terr_stade_amngt": "inconnu", "terr_stade_comm": "inconnu"}'''
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_terr, 'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30', :zp_topt)),
          '91326_SITE-ECO_00002/91326_TERRAIN-ECO_913260000A0002', 'agent of 91326: terrain_eco lists zone 2''s land unit only');
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_terr, 'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30', :zp_topt)),
          '91326_SITE-ECO_00001/91326_TERRAIN-ECO_913260000A0001,91326_SITE-ECO_00001/91326_TERRAIN-ECO_914790000A0001,91326_SITE-ECO_00002/91326_TERRAIN-ECO_913260000A0002', 'platform: terrain_eco lists the three land units');

-- TERRAIN-ECO asks the scope directly (before, it ran a whole published zone_indicators
-- to read which rows it withheld): the same rows.  The agent of 91479 has neither zone in
-- its scope: no terrain; "not_for_publication" is not scoped (zone_indicators' rule): the
-- agent of 91326 lists its own units of both zones, zone 1's A0001 (its 91479 neighbour
-- hidden by row-level security) and zone 2's A0002
SELECT is(pg_temp.as_role('zp_agent_b', format('SELECT count(*)::text FROM smartregion.terrain_eco(%L, %L, %L, %L, %L, %L)',
                                               'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30', :zp_topt)),
          '0', 'agent of 91479: terrain_eco lists no terrain (neither zone in its scope)');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_terr, 'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30',
                                               jsonb_set(:zp_topt::jsonb, '{not_for_publication}', 'true'))),
          '91326_SITE-ECO_00001/91326_TERRAIN-ECO_913260000A0001,91326_SITE-ECO_00002/91326_TERRAIN-ECO_913260000A0002',
          'agent of 91326, not_for_publication: terrain_eco lists its own units of both zones, unscoped');

-- the call-wide data-quality counts (the same on every row).  Outside the zones lie
-- 91479's restricted parcel A0009, three establishments of three enterprises on no parcel
-- and a building whose centroid is on no parcel: the platform reads them, 1 / 3 / 1 (3
-- enterprises >= min_units 3: shown).  The agent of 91326 reads none of them: on the old
-- build it published 0 / 0 / 0, whose difference with the platform's tells that 91479 has
-- a parcel outside the zones and establishments and a building off parcel.  A filtered
-- caller's counts are of its own rows: not published (NULL), whichever zones the call holds
\set zp_b '''SELECT building_id, geom, levels, built_year FROM zp_hub.zae_buildings'''
\set zp_dq '''SELECT string_agg(DISTINCT concat_ws('''' / '''', coalesce(parcels_outside_zones::text, ''''null''''), coalesce(establishments_off_parcel::text, ''''null''''), coalesce(buildings_off_parcel::text, ''''null'''')), '''','''') FROM smartregion.zone_indicators(%L, %L, %L, %L, %L, %L)'''
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_dq, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          '1 / 3 / 1', 'platform: published call-wide counts 1 parcel outside, 3 establishments and 1 building off parcel');
SELECT is(pg_temp.as_role(current_user, format(:zp_dq, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          '1 / 3 / 1', 'superuser: the platform''s call-wide counts');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_dq, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          'null / null / null', 'agent of 91326, published: no call-wide count (its own rows'' 0 / 0 / 0 before)');
-- zone 2 alone (a subset of the hub's zones, as a published call reading the hub must
-- take them), wholly inside 91326: every zone in its scope, the counts still its rows'
-- (platform: A0001 of 91326 and of 91479 and A0009 outside zone 2, 3; the agent's own
-- A0001 only, 1, on the old build)
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_dq, 'SELECT zone_id, geom FROM zp_hub.zae_zones WHERE zone_id = 2', :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          '3 / 3 / 1', 'platform, zone 2 alone: 3 parcels outside, 3 establishments and 1 building off parcel');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_dq, 'SELECT zone_id, geom FROM zp_hub.zae_zones WHERE zone_id = 2', :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          'null / null / null', 'agent of 91326, zone 2 alone (in its scope): no call-wide count (1 / 0 / 0 before)');
-- unpublished and "not_for_publication": the agent's own work counts what it reads
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_dq, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', '{}')),
          '0 / 0 / 0', 'agent of 91326, unpublished: its own rows'' counts, 0 / 0 / 0');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_dq, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', '{"published": true, "not_for_publication": true}')),
          '0 / 0 / 0', 'agent of 91326, not_for_publication: its own rows'' counts, 0 / 0 / 0');

-- without the contour of one of its territories, the agent's published call is refused
UPDATE smartregion.territory SET geom = NULL WHERE type = 'commune' AND code = '91326';
SELECT is(pg_temp.error_of('zp_agent_a', format('SELECT * FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)',
                                                 :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub)),
          '42501 cannot publish zone indicators of hub "zp_hub" as role "zp_agent_a" without the contours of its territories',
          'agent of 91326 without its contour: the published call refused (42501)');
SELECT is(pg_temp.error_of('zp_agent_a', format('SELECT * FROM smartregion.terrain_eco(%L, %L, %L, %L, %L, %L)',
                                                 'SELECT * FROM zp_hub.zae_zones', :zp_p, 'SELECT * FROM zp_hub.zae_buildings', :zp_e, '2024-06-30', :zp_topt)),
          '42501 cannot publish zone indicators of hub "zp_hub" as role "zp_agent_a" without the contours of its territories',
          'agent of 91326 without its contour: terrain_eco refused as the published call is (42501)');
SELECT is(pg_temp.as_role('zp_agent_a', format('SELECT count(*)::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L)',
                                               :zp_z, :zp_p, :zp_e, '2024-06-30')),
          '2', 'agent of 91326 without its contour: the unpublished call runs');
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 1)),
          '4 / 118 / {"C": null, "G": null}', 'platform without the contours: unchanged');
-- a caller that no row-level security filters (texts reading no hub table) is unchanged
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_row, :zp_zlit, 'SELECT ''P'' AS parcel_id, ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154) AS geom, NULL::text AS land_unit_id',
                                               'SELECT ''11111111100011'' AS siret, ST_SetSRID(ST_MakePoint(650300, 6860300), 2154) AS geom, ''47.11F'' AS naf, ''11'' AS headcount_band, DATE ''2015-01-01'' AS start_date, NULL::date AS end_date, true AS cfe_liable',
                                               '2024-06-30', :zp_pub, 1)),
          'null / null / {"G": null}', 'agent of 91326 reading no hub: secrecy only (one enterprise, its cell and total suppressed), no refusal');
-- and a hub without territory security on any table of the activity zones:
-- row_security_active is false, the agent publishes
ALTER TABLE zp_hub.zae_zones DISABLE ROW LEVEL SECURITY;
ALTER TABLE zp_hub.zae_parcels DISABLE ROW LEVEL SECURITY;
ALTER TABLE zp_hub.zae_buildings DISABLE ROW LEVEL SECURITY;
ALTER TABLE zp_hub.zae_establishments DISABLE ROW LEVEL SECURITY;
-- (and the zones' earlier contours, a table of the family since 2026-12-07: zones.md)
ALTER TABLE zp_hub.zae_zone_history DISABLE ROW LEVEL SECURITY;
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_row, :zp_z, :zp_p, :zp_e, '2024-06-30', :zp_pub, 1)),
          '4 / 118 / {"C": null, "G": null}', 'hub without row-level security: the agent reads every row and publishes the platform''s row');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_dq, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          '1 / 3 / 1', 'hub without row-level security: the agent publishes the platform''s call-wide counts');

-- A caller that row-level security filters on ANY table of the activity zones is filtered,
-- not on the establishments and parcels only (2026-12-07): on a hub where only the
-- buildings are secured, the old build took the agent for unfiltered and published its own
-- building figures.  Three restricted buildings standing since 2000 (footprint by centroid
-- on a parcel): 101 of 91326 on 913260000A0001 (100 x 100 m = 10,000 m2, 2 levels), 102 of
-- 91479 on 914790000A0001 (100 x 50 m = 5,000 m2, 1 level), both in zone 1, and 103 of
-- 91326 on A0002 in zone 2 (100 x 50 m = 5,000 m2, 3 levels).  91326's contour back.
UPDATE smartregion.territory SET geom = ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))
 WHERE type = 'commune' AND code = '91326';
INSERT INTO zp_hub.zae_buildings (building_id, levels, built_year, geom, territory_code, visibility) VALUES
  (101, 2, 2000, ST_Multi(ST_MakeEnvelope(650300, 6860300, 650400, 6860400, 2154)), '91326', 'restricted'),
  (102, 1, 2000, ST_Multi(ST_MakeEnvelope(651200, 6860300, 651300, 6860350, 2154)), '91479', 'restricted'),
  (103, 3, 2000, ST_Multi(ST_MakeEnvelope(650200, 6860870, 650300, 6860920, 2154)), '91326', 'restricted');
ALTER TABLE zp_hub.zae_buildings ENABLE ROW LEVEL SECURITY;
-- zone_id / built_land_units / built_m2 / footprint_ratio / floor_area_ratio (6 decimals)
\set zp_built '''SELECT concat_ws('''' / '''', zone_id, coalesce(built_land_units::text, ''''null''''), coalesce(built_m2::text, ''''null''''), coalesce(round(footprint_ratio::numeric, 6)::text, ''''null''''), coalesce(round(floor_area_ratio::numeric, 6)::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, %L, %L, %L, %L) WHERE zone_id = %s'''
-- the platform, zone 1 (96 ha of parcels = 960,000 m2): 2 built units, 10,000 + 5,000 =
-- 15,000 m2, footprint 15,000 / 960,000 = 0.015625, floor area (10,000 x 2 + 5,000 x 1) /
-- 960,000 = 25,000 / 960,000 = 0.0260416..., 0.026042
SELECT is(pg_temp.as_role('zp_padmin', format(:zp_built, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub, 1)),
          '1 / 2 / 15000 / 0.015625 / 0.026042', 'buildings alone secured, platform: zone 1 built 2 units, 15,000 m2');
-- the agent of 91326 reads 101 and not 102: on the old build it published its own zone 1,
-- 1 / 10000 / 0.010417 (10,000 / 960,000) / 0.020833 (20,000 / 960,000).  Now it is
-- filtered: zone 1 (over 91326 and 91479) out of its scope, its land figures NULL
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_built, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub, 1)),
          '1 / null / null / null / null', 'buildings alone secured, agent of 91326: zone 1 out of its scope, no building figure (its own 1 / 10000 before)');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_built, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', '{}', 1)),
          '1 / 1 / 10000 / 0.010417 / 0.020833', 'buildings alone secured, agent of 91326, unpublished: its own building of zone 1 only');
-- zone 2 (800 x 100 m = 80,000 m2) wholly inside 91326: the platform's figures, 1 unit,
-- 5,000 m2, 5,000 / 80,000 = 0.0625, 15,000 / 80,000 = 0.1875
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_built, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub, 2)),
          '2 / 1 / 5000 / 0.062500 / 0.187500', 'buildings alone secured, agent of 91326: zone 2 (inside 91326) built 1 unit, 5,000 m2');
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_built, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub, 2)),
          pg_temp.as_role('zp_padmin', format(:zp_built, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub, 2)),
          'buildings alone secured, agent of 91326 and platform: the same building figures of zone 2');
-- the call-wide counts: the platform's 1 / 3 / 1 (building 1 of 91479 off parcel); the
-- agent, which cannot read building 1, published 1 / 3 / 0 on the old build
SELECT is(pg_temp.as_role('zp_agent_a', format(:zp_dq, :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          'null / null / null', 'buildings alone secured, agent of 91326: no call-wide count (its own 1 / 3 / 0 before)');
-- without the contour of 91326, refused as with the establishments secured (the old build
-- published)
UPDATE smartregion.territory SET geom = NULL WHERE type = 'commune' AND code = '91326';
SELECT is(pg_temp.error_of('zp_agent_a', format('SELECT * FROM smartregion.zone_indicators(%L, %L, %L, %L, %L, %L)',
                                                 :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub)),
          '42501 cannot publish zone indicators of hub "zp_hub" as role "zp_agent_a" without the contours of its territories',
          'buildings alone secured, agent of 91326 without its contour: the published call refused (42501)');
-- and each table registered for the activity zones, secured alone, makes the caller
-- filtered (a secured zae_zones alone: a zone the caller cannot read would leave its
-- parcels "outside the zones" and its straddling parcels to its neighbour).  The rule
-- lists the tables in _zones_publication_scope: this ties that list to the registry (on
-- the old build: zae_buildings,zae_zones not refused)
CREATE FUNCTION pg_temp.secured_alone_refused(tbl name, q text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE t name;
BEGIN
  FOR t IN SELECT h.table_name FROM smartregion.hub_table h WHERE h.service = 'activity_zones' LOOP
    EXECUTE format('ALTER TABLE zp_hub.%I %s ROW LEVEL SECURITY', t, CASE WHEN t = tbl THEN 'ENABLE' ELSE 'DISABLE' END);
  END LOOP;
  RETURN pg_temp.error_of('zp_agent_a', q) LIKE '42501 cannot publish zone indicators of hub "zp_hub"%';
END $$;
SELECT is((SELECT coalesce(string_agg(h.table_name, ',' ORDER BY h.table_name), '')
             FROM smartregion.hub_table h
            WHERE h.service = 'activity_zones'
              AND NOT pg_temp.secured_alone_refused(h.table_name, format('SELECT * FROM smartregion.zone_indicators(%L, %L, %L, %L, %L, %L)',
                                                                          :zp_z, :zp_p, :zp_b, :zp_e, '2024-06-30', :zp_pub))),
          '', 'each table of the activity zones secured alone: the agent of 91326 without its contour refused (42501)');

SELECT * FROM finish();
ROLLBACK;
