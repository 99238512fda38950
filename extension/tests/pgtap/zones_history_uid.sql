-- pgTAP: a zone's identity in its history (docs/zones.md, "Reused numbers and missing rows";
-- 2026-12-07, zone identity).  zae_zone_history keyed a contour by the zone_id its zone had, and
-- the rules that make a restricted zone's contours restricted followed zone_ids: a zone
-- renumbered while the triggers were disabled (no contour recorded, nothing restricted),
-- its former number taken again by a public zone since, left its earlier shapes public
-- under that number, where nothing told them from the new holder's: made restricted, the
-- zone took nothing with it, and create_hub neither found nor listed them.  Now each zone
-- has a zone_uid (generated, never changed) that every contour it leaves keeps, and a zone
-- left restricted takes the public contours of its zone_uid, under any zone_id.
-- Two territories that must not see each other: 91326 (zhu_agent_a) and 91479 (zhu_agent_b).
BEGIN;
SELECT plan(18);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zhu_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('zhu_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('zhu_hub') \gset
CREATE ROLE zhu_reader IN ROLE smartregion_reader;
CREATE ROLE zhu_agent_a IN ROLE smartregion_agent;
CREATE ROLE zhu_agent_b IN ROLE smartregion_agent;
INSERT INTO zhu_hub.agents VALUES ('zhu_agent_a', '91326'), ('zhu_agent_b', '91479');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('commune', '91326', 'Juvisy', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom;

-- the shapes, squares of 91326 (x0, y0, side 100 m): s(650100, 6860100) ...
CREATE FUNCTION pg_temp.s(x float8, y float8) RETURNS geometry LANGUAGE sql IMMUTABLE
  AS $$ SELECT ST_Multi(ST_MakeEnvelope(x, y, x + 100, y + 100, 2154)) $$;
-- how many contours of the history equal to shape g the role reads
CREATE FUNCTION pg_temp.reads(r name, x float8, y float8) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.as_role(r, format('SELECT count(*) FROM zhu_hub.zae_zone_history WHERE ST_Equals(geom, %L::geometry)', pg_temp.s(x, y)))
$$;

-- 1. Zone 6, public, drawn at A (650100, 6860100) and redrawn at B: its contour A kept under 6.
INSERT INTO zhu_hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (6, 'ZA six', '91326', pg_temp.s(650100, 6860100), '91326', 'public');
UPDATE zhu_hub.zae_zones SET geom = pg_temp.s(650100, 6860250) WHERE zone_id = 6;
-- the owner renumbers it 60 and redraws it at C with the triggers disabled (no contour, no
-- restriction: the owner's act, docs/zones.md), then enables them again
ALTER TABLE zhu_hub.zae_zones DISABLE TRIGGER USER;
UPDATE zhu_hub.zae_zones SET zone_id = 60, geom = pg_temp.s(650100, 6860400) WHERE zone_id = 6;
ALTER TABLE zhu_hub.zae_zones ENABLE TRIGGER USER;
-- another public zone takes number 6 (drawn at D, redrawn at E: its contour D under 6)
INSERT INTO zhu_hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (6, 'ZA six bis', '91326', pg_temp.s(650500, 6860100), '91326', 'public');
UPDATE zhu_hub.zae_zones SET geom = pg_temp.s(650500, 6860250) WHERE zone_id = 6;
SELECT is(pg_temp.reads('zhu_reader', 650100, 6860100), '1', 'before: a reader reads zone 60''s earlier shape A under 6, public as the zone');
-- 91326's agent makes zone 60 restricted: its contour A, under 6 where a public zone stands
-- now, goes with it
SELECT is(pg_temp.as_role('zhu_agent_a', $$UPDATE zhu_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 60 RETURNING zone_id$$, true),
          '60', 'the agent of 91326 makes zone 60 restricted (the append-only trigger lets the restriction of its contour under 6 through)');
SELECT is(pg_temp.reads('zhu_reader', 650100, 6860100), '0', 'zone 60 restricted: a reader no longer reads its earlier shape A under 6 (the build before: 1)');
SELECT is(pg_temp.reads('zhu_agent_b', 650100, 6860100), '0', 'nor does the agent of 91479 (the build before: 1)');
SELECT is(pg_temp.reads('zhu_agent_a', 650100, 6860100), '1', 'the agent of 91326 reads it, restricted');
SELECT is(pg_temp.reads('zhu_reader', 650500, 6860100), '1', 'the public zone now numbered 6 keeps its contour D public (availability: no contour of another zone restricted)');

-- 2. Zone 7, public, drawn at F, redrawn at G; the owner renumbers it 70 and makes it
-- restricted with the triggers disabled; a public zone takes number 7.  create_hub (run on
-- every new build) makes F restricted: the zone of its zone_uid stands restricted.  The
-- build before found nothing (F is no shape of zone 70, and 7 holds a zone: not listed)
INSERT INTO zhu_hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (7, 'ZA sept', '91326', pg_temp.s(650700, 6860100), '91326', 'public');
UPDATE zhu_hub.zae_zones SET geom = pg_temp.s(650700, 6860250) WHERE zone_id = 7;
ALTER TABLE zhu_hub.zae_zones DISABLE TRIGGER USER;
UPDATE zhu_hub.zae_zones SET zone_id = 70, visibility = 'restricted' WHERE zone_id = 7;
ALTER TABLE zhu_hub.zae_zones ENABLE TRIGGER USER;
INSERT INTO zhu_hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (7, 'ZA sept bis', '91326', pg_temp.s(650700, 6860700), '91326', 'public');
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('zhu_hub') \gset
SELECT is(pg_temp.reads('zhu_reader', 650700, 6860100), '0', 'create_hub: zone 70''s earlier shape F under 7 restricted (the build before: 1)');

-- 3. A zone_uid given by hand: zone 8, public, of 91326, redrawn (its contour H under 8,
-- public); 91479's agent inserting a restricted zone of its own territory with zone 8's
-- zone_uid (OVERRIDING SYSTEM VALUE) is refused since 2026-12-08 (h8: grant_roles grants no
-- INSERT on zone_uid; the build before let it, and restricted within the zone's territory only)
INSERT INTO zhu_hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (8, 'ZA huit', '91326', pg_temp.s(650300, 6860700), '91326', 'public');
UPDATE zhu_hub.zae_zones SET geom = pg_temp.s(650300, 6860850) WHERE zone_id = 8;
SELECT zone_uid AS uid8 FROM zhu_hub.zae_zones WHERE zone_id = 8 \gset
SELECT is(pg_temp.as_role('zhu_agent_b', format($$INSERT INTO zhu_hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
                                                 OVERRIDING SYSTEM VALUE VALUES (81, 'ZA de b', '91479', %L, '91479', 'restricted', %s) RETURNING zone_id$$,
                                                 ST_Multi(ST_MakeEnvelope(651200, 6860200, 651300, 6860300, 2154)), :uid8), true),
          '42501', 'the agent of 91479 cannot insert its restricted zone 81 with zone 8''s zone_uid (42501; the build before: 81)');
-- the owner's later update of every zone runs the trigger as the owner, who may write every row
UPDATE zhu_hub.zae_zones SET site_nom = site_nom || '';
SELECT is(pg_temp.reads('zhu_reader', 650300, 6860700), '1', 'zone 8''s contour H, of 91326, stays public after the owner''s update of every zone (no restricted zone has its zone_uid)');
SELECT count(*) > 0 AS hub_third FROM smartregion.create_hub('zhu_hub') \gset
SELECT is(pg_temp.reads('zhu_reader', 650300, 6860700), '1', 'and after create_hub (of 91326 only too)');

-- 4. A zone's zone_uid never changes, not even to a new generated one
SELECT throws_ok($$UPDATE zhu_hub.zae_zones SET zone_uid = DEFAULT WHERE zone_id = 8$$, '42501',
                 'cannot change the zone_uid of a zone of zhu_hub.zae_zones', 'a zone''s zone_uid cannot be changed (42501)');
SELECT is(pg_temp.as_role('zhu_agent_a', $$UPDATE zhu_hub.zae_zones SET zone_uid = DEFAULT WHERE zone_id = 8 RETURNING zone_id$$),
          '42501', 'nor by its territory''s agent');
-- the contour a zone leaves keeps its zone_uid
SELECT is((SELECT h.zone_uid FROM zhu_hub.zae_zone_history h WHERE h.zone_id = 8), :uid8::bigint, 'zone 8''s contour keeps its zone_uid');

-- 5. create_hub's list of contours a zone renumbered and redrawn in one statement may have
-- left public (_zae_zone_history_renumbered_suspects; docs/zones.md, "The suspects list and
-- the zone's identity", 2026-12-07, zone identity).  Zones 9 to 12 of 91326, public, drawn,
-- then each renumbered (x 10) and redrawn 10 m east in one statement with the renumbering
-- trigger disabled: each leaves one public contour, with its zone_uid, under a number that
-- holds no zone and whose last row is that update; zones 60, 70 (and 81) stand restricted.
-- Then zone 100 is deleted, zone 110 moves to 91479, zone 120 is made restricted with the
-- triggers disabled.  By hand: the contour under 9 is zone 90's, which stands public in
-- 91326, its zone_uid's only zone: its public state is its zone's, and the triggers make it
-- restricted with that zone, so it leaves the list; under 10 (its zone deleted), 11 (its
-- zone of another territory now) and 12 (its zone restricted) they stay listed, as before
INSERT INTO zhu_hub.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility) VALUES
  (9, 'ZA neuf', '91326', pg_temp.s(650850, 6860100), '91326', 'public'),
  (10, 'ZA dix', '91326', pg_temp.s(650850, 6860250), '91326', 'public'),
  (11, 'ZA onze', '91326', pg_temp.s(650850, 6860400), '91326', 'public'),
  (12, 'ZA douze', '91326', pg_temp.s(650850, 6860550), '91326', 'public');
ALTER TABLE zhu_hub.zae_zones DISABLE TRIGGER sr_zae_zone_history_renumber;
UPDATE zhu_hub.zae_zones SET zone_id = zone_id * 10, geom = ST_Translate(geom, 10, 0) WHERE zone_id BETWEEN 9 AND 12;
ALTER TABLE zhu_hub.zae_zones ENABLE TRIGGER sr_zae_zone_history_renumber;
DELETE FROM zhu_hub.zae_zones WHERE zone_id = 100;
UPDATE zhu_hub.zae_zones SET territory_code = '91479', comm_insee = '91479', geom = ST_Multi(ST_MakeEnvelope(651500, 6860500, 651600, 6860600, 2154)) WHERE zone_id = 110;
ALTER TABLE zhu_hub.zae_zones DISABLE TRIGGER USER;
UPDATE zhu_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 120;
ALTER TABLE zhu_hub.zae_zones ENABLE TRIGGER USER;
\set zhu_listed '''SELECT coalesce(string_agg(zone_id || '''':'''' || operation, '''','''' ORDER BY id), '''''''') FROM zhu_hub.zae_zone_history WHERE id = ANY (smartregion._zae_zone_history_renumbered_suspects(''''zhu_hub''''))'''
SELECT is(pg_temp.as_role(current_user, :zhu_listed), '10:update,11:update,12:update',
          'listed: the contours under 10 (zone deleted), 11 (zone now of 91479) and 12 (zone restricted, triggers disabled); not under 9, zone 90 public (before: 9:update,10:update,11:update,12:update)');
SELECT is(pg_temp.as_role(current_user, format('SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[%s]::bigint[])', 'zhu_hub',
                                               (SELECT id FROM zhu_hub.zae_zone_history WHERE zone_id = 9))),
          '22023', 'the contour under 9, no longer listed, is not acknowledged either (before: 1)');
SELECT is(pg_temp.reads('zhu_reader', 650850, 6860100), '1', 'the contour under 9 stays public, as its zone 90 (the list changes no visibility)');
-- create_hub makes zone 120's contour restricted by its zone_uid; 10 and 11 stay listed
SELECT count(*) > 0 AS hub_fourth FROM smartregion.create_hub('zhu_hub') \gset
SELECT is(pg_temp.as_role(current_user, :zhu_listed), '10:update,11:update',
          'after create_hub: the contours under 10 and 11 listed (zone 120''s made restricted; before: 9:update,10:update,11:update)');
-- zone 90 made restricted by 91326's agent: its contour under 9 follows it (not listed, restricted)
SELECT is(pg_temp.as_role('zhu_agent_a', $$UPDATE zhu_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 90 RETURNING zone_id$$, true)
          || ',' || pg_temp.reads('zhu_reader', 650850, 6860100) || ',' || pg_temp.as_role(current_user, :zhu_listed),
          '90,0,10:update,11:update', 'zone 90 made restricted by its agent: its contour under 9 restricted with it (the reader reads 0), the list unchanged');

SELECT * FROM finish();
ROLLBACK;
