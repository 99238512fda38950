-- pgTAP: zones renumbered and their earlier contours (docs/zones.md, "Earlier contours",
-- zones renumbered; 2026-12-07, h2).  zae_zone_history keys a contour by the zone_id the
-- zone had when it was replaced, and a zone made restricted takes the public contours under
-- its zone_id with it (_zae_zone_history_restrict).  A zone renumbered left its contours
-- under its former number, where nothing linked them to it: made restricted later, it left
-- them public, its shape among them.  Now a zone renumbered makes restricted the public
-- contours under its former number (secrecy before availability).
BEGIN;
SELECT plan(8);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zhr_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('zhr_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('zhr_hub') \gset
CREATE ROLE zhr_reader IN ROLE smartregion_reader;
CREATE ROLE zhr_agent_a IN ROLE smartregion_agent;
INSERT INTO zhr_hub.agents VALUES ('zhr_agent_a', '91326');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('commune', '91326', 'Juvisy', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom;
-- zone 1 public, zone 2 restricted, zone 3 public, all of 91326
INSERT INTO zhr_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA publique', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860100, 650400, 6860400, 2154)), '91326', 'public'),
  (2, 'ZA cachee', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650500, 6860100, 650900, 6860400, 2154)), '91326', 'restricted'),
  (3, 'ZA du nord', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860600, 650400, 6860900, 2154)), '91326', 'public');
-- the public contours a reader reads: zone_id:operation, in order
\set zhr_public '''SELECT coalesce(string_agg(zone_id || '''':'''' || operation, '''','''' ORDER BY id), '''''''') FROM zhr_hub.zae_zone_history'''
\set zhr_public4 '''SELECT coalesce(string_agg(zone_id || '''':'''' || operation, '''','''' ORDER BY id), '''''''') FROM zhr_hub.zae_zone_history WHERE zone_id IN (4, 40)'''

-- the owner swaps the numbers of zones 1 and 2 through a third (zone_id is the key: one
-- UPDATE swapping both would meet its unique check): 1 -> 99, 2 -> 1, 99 -> 2.  Three
-- contours recorded, none moved: under 1 (zone 1 public), under 2 (zone 2 restricted),
-- under 99 (zone 1 public again, now numbered 2)
UPDATE zhr_hub.zae_zones SET zone_id = 99 WHERE zone_id = 1;
UPDATE zhr_hub.zae_zones SET zone_id = 1 WHERE zone_id = 2;
UPDATE zhr_hub.zae_zones SET zone_id = 2 WHERE zone_id = 99;
SELECT is((SELECT string_agg(zone_id || ':' || visibility, ',' ORDER BY id) FROM zhr_hub.zae_zone_history),
          '1:restricted,2:restricted,99:restricted',
          'the swap: the contours under 1, 2 and 99, all restricted (before: 1 restricted by zone 2 taking its number, 2 restricted, 99 public)');
-- the restricted zone's contour (under 2) never public; and the public zone's, now under 1
-- and 99, read by its territory's agent only
SELECT is(pg_temp.as_role('zhr_reader', :zhr_public), '', 'a reader reads none of the swapped zones'' contours (before: 99:update)');
SELECT is(pg_temp.as_role('zhr_agent_a', 'SELECT count(*) FROM zhr_hub.zae_zone_history'), '3', 'the agent of 91326 reads the three');
-- the public zone, now numbered 2, made restricted: nothing of it is public.  On the build
-- before its contour under 99, its shape as it stands, stayed public
UPDATE zhr_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 2;
SELECT is(pg_temp.as_role('zhr_reader', :zhr_public), '', 'zone 2 (the former zone 1) made restricted: a reader reads none of its contours (before: 99:update, its shape)');

-- zone 3 renumbered 30, then made restricted
UPDATE zhr_hub.zae_zones SET zone_id = 30 WHERE zone_id = 3;
SELECT is(pg_temp.as_role('zhr_reader', :zhr_public), '', 'zone 3 renumbered 30: its contour under 3 restricted at once (before: 3:update public)');
UPDATE zhr_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 30;
SELECT is(pg_temp.as_role('zhr_reader', :zhr_public), '', 'zone 30 made restricted: no contour of it public (before: 3:update, its shape)');

-- a public zone redrawn keeps its contours public (no renumbering: availability unchanged)
INSERT INTO zhr_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (4, 'ZA du sud', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650600, 6860600, 650900, 6860900, 2154)), '91326', 'public');
UPDATE zhr_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650600, 6860600, 650950, 6860900, 2154)) WHERE zone_id = 4;
SELECT is(pg_temp.as_role('zhr_reader', :zhr_public4), '4:update', 'zone 4 redrawn, public: its earlier contour stays public (as before)');
-- an agent renumbering its public zone: the restriction is made as the agent (its rows)
SELECT is(pg_temp.as_role('zhr_agent_a', $$UPDATE zhr_hub.zae_zones SET zone_id = 40 WHERE zone_id = 4 RETURNING zone_id$$, true) || '/' ||
          pg_temp.as_role('zhr_reader', :zhr_public4),
          '40/', 'the agent renumbers zone 4 to 40: the contours under 4 made restricted, as the agent (before: 4:update,4:update)');

SELECT * FROM finish();
ROLLBACK;
