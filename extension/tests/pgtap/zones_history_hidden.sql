-- pgTAP: an earlier contour that an agent cannot read (docs/zones.md, "Earlier contours";
-- docs/security.md).  The history of zone contours follows zae_zones' row-level security,
-- so an agent's published call did not see another territory's restricted contour
-- overlapping one of its zones (a zone may straddle a boundary), which the platform's call
-- compares with: the platform withheld the zone, the agent published it, and the two
-- releases gave the factory away.  Now the agent's call asks the hub's SECURITY DEFINER
-- _zae_zone_history_hidden, one boolean a zone, and withholds such a zone.  Two agents
-- that must not see each other: 91326 (zhh_agent_a) and 91479 (zhh_agent_b).
BEGIN;
SELECT plan(28);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zhh_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('zhh_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('zhh_hub') \gset
CREATE ROLE zhh_agent_a IN ROLE smartregion_agent;
CREATE ROLE zhh_agent_b IN ROLE smartregion_agent;
CREATE ROLE zhh_reader IN ROLE smartregion_reader;
CREATE ROLE zhh_padmin IN ROLE smartregion_platform_admin;
INSERT INTO zhh_hub.agents VALUES ('zhh_agent_a', '91326'), ('zhh_agent_b', '91479');

-- the scene of zones_history.sql: 91326 x 650000-651000, 91479 x 651000-652000
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
-- one parcel each side of the boundary, restricted to its commune
INSERT INTO zhh_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  ('914790000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted');
-- three shops of 91326 (47.11F, band 11: 14.5 jobs each) and 91479's factory (25.62B,
-- band 21: 74.5 jobs), each restricted to its commune
INSERT INTO zhh_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT s, n, b, DATE '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(x, y), 2154), t, 'restricted'
  FROM (VALUES ('11111111100011', '47.11F', '11', 650300, 6860300, '91326'), ('22222222200012', '47.11F', '11', 650400, 6860400, '91326'),
               ('33333333300013', '47.11F', '11', 650500, 6860500, '91326'), ('44444444400014', '25.62B', '21', 651400, 6860500, '91479'))
       v(s, n, b, x, y, t);
-- zone 21: 91479's, restricted, first drawn across the boundary over both parcels
INSERT INTO zhh_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (21, 'ZA de Morsang', 'existant et actif', 'commune', DATE '2020-01-01', '91479', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)), '91479', 'restricted');
\set zhh_z '''SELECT zone_id, geom FROM zhh_hub.zae_zones'''
\set zhh_p '''SELECT parcel_id, geom, land_unit_id FROM zhh_hub.zae_parcels'''
\set zhh_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM zhh_hub.zae_establishments'''
-- one zone's published row as text: establishments / jobs / sector_mix
\set zhh_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(jobs_estimate::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = %s'''
\set zhh_pub '''{"published": true}'''

-- the platform's first release of zone 21: 4 establishments, 3 x 14.5 + 74.5 = 118 jobs, C
-- (one enterprise < 3) suppressed and G with it (secondary), as zone 1 of zones_history.sql
SELECT is(pg_temp.as_role('zhh_padmin', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 21)),
          '4 / 118 / {"C": null, "G": null}', 'platform: zone 21 first published 4 / 118 / C and G suppressed');
-- the owner redraws zone 21 on 91479's side only; 91326 draws zone 20 over its parcel
-- (restricted: 91479 does not read it), and zone 22 where no earlier contour lies
UPDATE zhh_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)) WHERE zone_id = 21;
INSERT INTO zhh_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (20, 'ZA de Juvisy', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  (22, 'ZA du nord', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)), '91326', 'public');

-- the two agents do not see each other: 91326 reads neither zone 21 nor its earlier
-- contour, 91479 not zone 20
SELECT is(pg_temp.as_role('zhh_agent_a', 'SELECT count(*) FROM zhh_hub.zae_zone_history') || '/' ||
          pg_temp.as_role('zhh_agent_a', 'SELECT count(*) FROM zhh_hub.zae_zones WHERE zone_id = 21') || '/' ||
          pg_temp.as_role('zhh_agent_b', 'SELECT count(*) FROM zhh_hub.zae_zone_history') || '/' ||
          pg_temp.as_role('zhh_agent_b', 'SELECT count(*) FROM zhh_hub.zae_zones WHERE zone_id = 20'),
          '0/0/1/0', 'the agent of 91326 reads neither zone 21 nor its earlier contour; that of 91479 reads the contour, not zone 20');
-- the platform's call withholds zone 20: its earlier neighbour, zone 21's first contour,
-- holds the factory's land unit beside it (the difference: one enterprise, 0 < 1 < 3)
SELECT is(pg_temp.as_role('zhh_padmin', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 20)),
          'null / null / null', 'platform: zone 20 withheld (zone 21''s earlier contour overlaps it)');
-- the agent of 91326's call: on the build before 3 / 43.5 / {"G": 3} (3 x 14.5), and
-- beside the platform's 4 / 118 of zone 21's first contour: C = 4 - 3 = 1 establishment
-- of 118 - 43.5 = 74.5 jobs, band 21, the factory of 91479 whole (truth: 1 establishment,
-- 25.62B, band 21).  Now withheld as the platform withholds it
SELECT is(pg_temp.as_role('zhh_agent_a', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 20)),
          'null / null / null', 'agent of 91326: zone 20 withheld as the platform withholds it (before: 3 / 43.5 / {G: 3}, the factory whole)');
SELECT is(pg_temp.as_role('zhh_agent_a', format('SELECT concat_ws('' / '', land_units, published) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = 20',
                                                 :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub)),
          '1 / t', 'agent of 91326: zone 20''s land figures stay (1 land unit)');
-- the CNIG site_eco file follows its published call: no count of establishments for zone
-- 20 (the build before: 3, the shops)
SELECT is(pg_temp.as_role('zhh_agent_a', format('SELECT coalesce(site_nb_etab::text, ''null'') FROM smartregion.site_eco(%L, %L, NULL, %L, %L) WHERE site_nom = ''ZA de Juvisy''',
                                                 'SELECT * FROM zhh_hub.zae_zones', :zhh_p, :zhh_e, '2024-06-30')),
          'null', 'agent of 91326: site_eco gives zone 20 no establishment count');
-- its unpublished view is its own work: unchanged
SELECT is(pg_temp.as_role('zhh_agent_a', format('SELECT sector_mix::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L) WHERE zone_id = 20',
                                                 :zhh_z, :zhh_p, :zhh_e, '2024-06-30')),
          '{"G": 3}', 'agent of 91326: the unpublished view unchanged');

-- the definer function (none on the build before: the script stops here)
SELECT function_returns('zhh_hub', '_zae_zone_history_hidden', ARRAY['name', 'name', 'bytea[]'], 'boolean[]',
                        'it returns one boolean a zone, nothing of the contours');
-- (jit off since 2026-12-07: for a call of thousands of zones the estimate passed
-- jit_above_cost, and compiling took 5.4 s of a 7.4 s call of 6,400 zones whose index
-- lookups take 0.3-0.9 s, docs/performance-zones.md; before, the search_path only)
SELECT ok((SELECT p.prosecdef AND p.proowner = c.relowner AND p.proconfig = ARRAY['search_path=pg_catalog, pg_temp', 'jit=off']
                  AND NOT has_function_privilege('public', p.oid, 'EXECUTE') AND p.prosrc !~ 'zhh'
             FROM pg_proc p, pg_class c
            WHERE p.oid = 'zhh_hub._zae_zone_history_hidden(name, name, bytea[])'::regprocedure AND c.oid = 'zhh_hub.zae_zone_history'::regclass),
          'SECURITY DEFINER: the hub owner''s, its search_path pinned, jit off, not PUBLIC''s, naming no hub in its text');
-- for 91326: zone 20 true (zone 21's contour, hidden from it, meets it), zone 22 false
SELECT is(pg_temp.as_role('zhh_agent_a', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, array_agg(ST_AsEWKB(geom) ORDER BY zone_id))::text FROM zhh_hub.zae_zones WHERE zone_id IN (20, 22)$$),
          '{t,f}', 'agent of 91326: a hidden contour meets zone 20, none zone 22');
-- 91479 reads zone 21's contour (its own): nothing hidden from it there
SELECT is(pg_temp.as_role('zhh_agent_b', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, array_agg(ST_AsEWKB(geom)))::text FROM zhh_hub.zae_zones WHERE zone_id = 21$$),
          '{f}', 'agent of 91479: its own earlier contour is not hidden from it');
-- no probing: a shape that is no stored zone gets true whatever lies there (zone 22's
-- contour moved 10 m, where no earlier contour lies)
SELECT is(pg_temp.as_role('zhh_agent_a', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, ARRAY[ST_AsEWKB(ST_Multi(ST_MakeEnvelope(650110, 6860850, 650910, 6860950, 2154)))])::text$$),
          '{t}', 'a made-up shape is answered true, which says nothing');
-- a session may claim only a role it may become: 91326's session claiming 91479 gets true
-- for zone 21 (91479's own answer above: false)
SET SESSION AUTHORIZATION zhh_agent_a;
SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', 'zhh_agent_b', ARRAY[ST_AsEWKB(ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)))])::text AS claim \gset
RESET SESSION AUTHORIZATION;
SELECT is(:'claim'::text, '{t}', 'the session of 91326 claiming the role of 91479 is answered true (fail closed)');
-- a reader may not call it
SELECT is(pg_temp.as_role('zhh_reader', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, '{}')::text$$),
          '42501', 'a reader may not call it (granted to the agents and the platform administrator only)');
-- another schema of tables that are not the hub owner's: true for every zone
CREATE SCHEMA zhh_other;
CREATE TABLE zhh_other.zae_zones (zone_id bigint, geom geometry, visibility smartregion.visibility, territory_code text, territory_type text);
CREATE TABLE zhh_other.zae_zone_history (geom geometry, visibility smartregion.visibility, territory_code text, territory_type text);
CREATE TABLE zhh_other.agents (role_name name, territory_code text, territory_type text);
-- (zone 22's contour, public, and no earlier contour: read, it would answer false)
INSERT INTO zhh_other.zae_zones SELECT zone_id, geom, visibility, territory_code, territory_type FROM zhh_hub.zae_zones WHERE zone_id = 22;
ALTER TABLE zhh_other.zae_zones OWNER TO zhh_agent_a;
SELECT is(pg_temp.as_role('zhh_agent_a', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_other', current_user, array_agg(ST_AsEWKB(geom)))::text FROM zhh_hub.zae_zones WHERE zone_id = 22$$),
          '{t}', 'a schema whose tables are not all the hub owner''s is answered true');

-- A zone made restricted takes its earlier contours with it (the tenancy red team,
-- docs/security-reviews.md): the consequence for another territory.  91326's zone 25,
-- public, drawn across the boundary (x 650600-651400, north of every parcel and
-- establishment), redrawn on 91326's side (x 650600-650950); 91479's zone 24 (x
-- 651100-651800) meets its earlier contour (x 651100-651400), not the zone as it stands
INSERT INTO zhh_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (24, 'ZA de Morsang nord', 'existant et actif', 'commune', DATE '2020-01-01', '91479', ST_Multi(ST_MakeEnvelope(651100, 6860960, 651800, 6860990, 2154)), '91479', 'public'),
  (25, 'ZA de Juvisy nord', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650600, 6860960, 651400, 6860990, 2154)), '91326', 'public');
SELECT pg_temp.as_role('zhh_agent_a', $$UPDATE zhh_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650600, 6860960, 650950, 6860990, 2154)) WHERE zone_id = 25 RETURNING 'redrawn'$$, true) AS z25 \gset
-- while zone 25 is public, 91479's agent reads its earlier contour: not hidden from it
SELECT is(pg_temp.as_role('zhh_agent_b', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, array_agg(ST_AsEWKB(geom)))::text FROM zhh_hub.zae_zones WHERE zone_id = 24$$),
          '{f}', 'agent of 91479: zone 25''s public earlier contour, which it reads, is not hidden from it');
-- the platform's release of zones 24 and 25 before the restriction
SELECT pg_temp.as_role('zhh_padmin', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 24)) AS pf24,
       pg_temp.as_role('zhh_padmin', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 25)) AS pf25 \gset
-- 91326's agent makes zone 25 restricted: its earlier contour follows
SELECT pg_temp.as_role('zhh_agent_a', $$UPDATE zhh_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 25 RETURNING 'restricted'$$, true) AS r25 \gset
SELECT is(pg_temp.as_role('zhh_agent_b', 'SELECT count(*) FROM zhh_hub.zae_zone_history WHERE zone_id = 25') || '/' ||
          pg_temp.as_role('zhh_agent_a', $$SELECT string_agg(visibility::text, ',') FROM zhh_hub.zae_zone_history WHERE zone_id = 25$$),
          '0/restricted', 'zone 25 made restricted: 91479''s agent reads its earlier contour no more (before: 1), 91326''s reads it restricted');
-- so the hub's function answers zone 24 hidden for 91479 (before: {f})...
SELECT is(pg_temp.as_role('zhh_agent_b', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, array_agg(ST_AsEWKB(geom)))::text FROM zhh_hub.zae_zones WHERE zone_id = 24$$),
          '{t}', 'agent of 91479: zone 24 now met by a contour it cannot read (before: {f})');
-- ... and its agent withholds zone 24 (fail closed; it was withheld already, the contour
-- being of another territory than zone 24's: the third red team's rule)
SELECT is(pg_temp.as_role('zhh_agent_b', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 24)),
          'null / null / null', 'agent of 91479: zone 24 withheld');
-- the platform reads every contour: its release unchanged.  Zone 24: withheld, zone 25's
-- earlier contour of 91326 meeting it (another territory: withheld whatever the
-- difference); zone 25: no establishment in it nor in its earlier contour (all lie at
-- y <= 6860500), an empty difference of its own territory's contour, so published with
-- 0 establishments, 0 jobs and no section
SELECT is(pg_temp.as_role('zhh_padmin', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 24)) || ' | ' ||
          pg_temp.as_role('zhh_padmin', format(:zhh_row, :zhh_z, :zhh_p, :zhh_e, '2024-06-30', :zhh_pub, 25)),
          :'pf24' || ' | ' || :'pf25', 'platform: zones 24 and 25 released as before the restriction');
SELECT is(:'pf24' || ' | ' || :'pf25', 'null / null / null | 0 / 0 / {}', 'platform: zone 24 withheld, zone 25 0 / 0 / no section');

-- the earlier contours found by the history's GiST index (those meeting a zone's box), not
-- every contour read for each zone: 2.3-3.1 s for 1,600 zones and 1,200 contours, 0.15-0.21 s
-- by the index (docs/performance-zones.md).  On the build before, no scan of the index
SET LOCAL enable_seqscan = off;
SELECT pg_stat_get_xact_numscans('zhh_hub.zae_zone_history_geom_idx'::regclass) AS zhh_scans0 \gset
SELECT is(pg_temp.as_role('zhh_agent_a', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, array_agg(ST_AsEWKB(geom) ORDER BY zone_id))::text FROM zhh_hub.zae_zones WHERE zone_id IN (20, 22)$$),
          '{t,f}', 'the agent of 91326: zone 20 true, zone 22 false, the history read by its index');
SELECT cmp_ok(pg_stat_get_xact_numscans('zhh_hub.zae_zone_history_geom_idx'::regclass) - :zhh_scans0, '>', 0::bigint,
              'the hub''s function looks the earlier contours up by the history''s GiST index (before: 0 scans)');
RESET enable_seqscan;
-- the agent's published call compares its zones with the hub's other zones and contours as
-- it reads them, all read once and paired by a grid (_zones_publication_history), not one
-- reading of zae_zones a zone, which its policies made a scan of every zone (the GiST
-- operator && is evaluated after them: docs/performance-zones.md).  12 public zones of
-- 91326 (40 m squares, 80 m apart) published by the agent of 91326: 12 rows, fewer scans of
-- zae_zones than zones (on the build before: 29)
INSERT INTO zhh_hub.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
SELECT 100 + k, 'zone ' || k, ST_Multi(ST_MakeEnvelope(650000 + 80 * k, 6860020, 650040 + 80 * k, 6860060, 2154)), '91326', 'public'
  FROM generate_series(0, 11) k;
SELECT pg_stat_get_xact_numscans('zhh_hub.zae_zones'::regclass) AS zhh_zscans0 \gset
SELECT is(pg_temp.as_role('zhh_agent_a', format('SELECT count(*) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)',
                                                 'SELECT zone_id, geom FROM zhh_hub.zae_zones WHERE zone_id >= 100', :zhh_p, :zhh_e, '2024-06-30', :zhh_pub)),
          '12', 'the agent of 91326 publishes its 12 zones');
SELECT cmp_ok(pg_stat_get_xact_numscans('zhh_hub.zae_zones'::regclass) - :zhh_zscans0, '<', 12::bigint,
              'comparing them with the hub''s zones as it reads them, it scans zae_zones fewer times than it has zones (before: one scan a zone)');
-- a history left in another SRID (its column transformed, docs/platform.md): each contour
-- transformed into the zones' SRID and compared, every one read, the same answers
ALTER TABLE zhh_hub.zae_zone_history ALTER COLUMN geom TYPE geometry(MultiPolygon, 3946) USING ST_Transform(geom, 3946);
SELECT is(pg_temp.as_role('zhh_agent_a', $$SELECT zhh_hub._zae_zone_history_hidden('zhh_hub', current_user, array_agg(ST_AsEWKB(geom) ORDER BY zone_id))::text FROM zhh_hub.zae_zones WHERE zone_id IN (20, 22)$$),
          '{t,f}', 'the history in EPSG:3946, the zones in 2154: zone 20 true, zone 22 false');

-- a renamed hub keeps the rule (the function names no schema: its caller passes the
-- hub's present name)
ALTER SCHEMA zhh_hub RENAME TO zhh_renamed;
SELECT is(pg_temp.as_role('zhh_agent_a', format(:zhh_row, replace(:zhh_z, 'zhh_hub', 'zhh_renamed'), replace(:zhh_p, 'zhh_hub', 'zhh_renamed'),
                                                 replace(:zhh_e, 'zhh_hub', 'zhh_renamed'), '2024-06-30', :zhh_pub, 20)),
          'null / null / null', 'the hub renamed: the agent of 91326''s zone 20 still withheld');
SELECT is(pg_temp.as_role('zhh_agent_a', $$SELECT zhh_renamed._zae_zone_history_hidden('zhh_renamed', current_user, array_agg(ST_AsEWKB(geom) ORDER BY zone_id))::text FROM zhh_renamed.zae_zones WHERE zone_id IN (20, 22)$$),
          '{t,f}', 'the hub renamed: its function still answers zone 20 true, zone 22 false (not failing closed)');

SELECT * FROM finish();
ROLLBACK;
