-- pgTAP: a zone's identity, zone_uid (docs/zones.md#zone-identity), 2026-12-08 (h8):
-- (1) contours recorded before create_hub added zone_uid adopted where the history proves the
-- zone that drew them (_zae_zone_history_adopt, docs/zones.md#adoption); (2) zone_uid never
-- given by hand by a role but the owner (grant_roles' column grants on zae_zones,
-- _zae_zone_history_uid_given on the history); (3) the identity followed across territories
-- (a zone moved to another territory takes its former territory's contours with it).
-- Two territories that must not see each other: 91326 (zua_a) and 91479 (zua_b); zua_m an
-- agent of both, zua_r a reader, zua_p a platform administrator.  Every value expected is
-- worked by hand from the rules in docs/zones.md; "the build before" says what 6c2b2b8^ gave.
BEGIN;
SELECT plan(23);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zua') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('zua') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('zua') \gset
CREATE ROLE zua_r IN ROLE smartregion_reader;
CREATE ROLE zua_a IN ROLE smartregion_agent;
CREATE ROLE zua_b IN ROLE smartregion_agent;
CREATE ROLE zua_m IN ROLE smartregion_agent;
CREATE ROLE zua_p IN ROLE smartregion_platform_admin;
INSERT INTO zua.agents VALUES ('zua_a', '91326'), ('zua_b', '91479'), ('zua_m', '91326'), ('zua_m', '91479');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('commune', '91326', 'Juvisy', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom;

-- squares of side 50 m: s(x, y) at (650000 + 50 x, 6860000 + 50 y), all inside 91326 for x < 20
CREATE FUNCTION pg_temp.s(x int, y int) RETURNS geometry LANGUAGE sql IMMUTABLE
  AS $$ SELECT ST_Multi(ST_MakeEnvelope(650000 + 50 * x, 6860000 + 50 * y, 650040 + 50 * x, 6860040 + 50 * y, 2154)) $$;
CREATE FUNCTION pg_temp.reads(r name, x int, y int) RETURNS text LANGUAGE sql AS $$
  SELECT pg_temp.as_role(r, format('SELECT count(*) FROM zua.zae_zone_history WHERE ST_Equals(geom, %L::geometry)', pg_temp.s(x, y)))
$$;
-- a zone of 91326, public
CREATE FUNCTION pg_temp.zone(id bigint, x int, y int, code text DEFAULT '91326') RETURNS void LANGUAGE sql AS $$
  INSERT INTO zua.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility)
  VALUES (id, 'ZA ' || id, code, pg_temp.s(x, y), code, 'public')
$$;
-- a contour as a build before zone_uid recorded it (no zone_uid), written by the owner
CREATE FUNCTION pg_temp.legacy(id bigint, x int, y int, op text DEFAULT 'update', code text DEFAULT '91326') RETURNS void LANGUAGE sql AS $$
  INSERT INTO zua.zae_zone_history (zone_id, geom, operation, territory_code, visibility)
  VALUES (id, pg_temp.s(x, y), op, code, 'public')
$$;

-- 1. Adoption, a chain each (rows in the order written: ids ascending).
-- 21: two redraws, nothing after: both adopted by zone 21
SELECT pg_temp.zone(21, 0, 0);
SELECT pg_temp.legacy(21, 0, 2), pg_temp.legacy(21, 0, 4);
-- 22: a redraw, a deletion, a redraw (the number taken again after the deletion): the last only
SELECT pg_temp.zone(22, 2, 0);
SELECT pg_temp.legacy(22, 2, 2), pg_temp.legacy(22, 2, 4, 'delete'), pg_temp.legacy(22, 2, 6);
-- 23: a redraw, then a row whose shape zone 230 has now (its holder renumbered 230 without a
-- redraw): neither
SELECT pg_temp.zone(23, 4, 0), pg_temp.zone(230, 4, 10);
SELECT pg_temp.legacy(23, 4, 2), pg_temp.legacy(23, 4, 10);
-- 24: a row whose shape was recorded later under 240 (renumbered 240, redrawn there since)
SELECT pg_temp.zone(24, 6, 0);
SELECT pg_temp.legacy(24, 6, 2), pg_temp.legacy(240, 6, 2);
-- 25: a row of 91479 under a number zone 25 of 91326 holds: not adopted, nor the one before it
SELECT pg_temp.zone(25, 8, 0);
SELECT pg_temp.legacy(25, 8, 2), pg_temp.legacy(25, 30, 2, 'update', '91479');
-- 26: a redraw, then a row another zone's zone_uid names (zone 21's): not adopted
SELECT pg_temp.zone(26, 10, 0);
SELECT pg_temp.legacy(26, 10, 2);
INSERT INTO zua.zae_zone_history (zone_id, geom, operation, territory_code, visibility, zone_uid)
  SELECT 26, pg_temp.s(10, 4), 'update', '91326', 'public', zone_uid FROM zua.zae_zones WHERE zone_id = 21;
-- 27: no zone under the number: nothing to adopt
SELECT pg_temp.legacy(27, 12, 2);
SELECT count(*) > 0 AS hub_again FROM smartregion.create_hub('zua') \gset
SELECT is((SELECT string_agg(h.zone_id || ':' || ST_XMin(h.geom)::int % 10000 || '/' || ST_YMin(h.geom)::int % 10000 || ':'
                             || coalesce((SELECT z.zone_id::text FROM zua.zae_zones z WHERE z.zone_uid = h.zone_uid), '-'), ',' ORDER BY h.id)
             FROM zua.zae_zone_history h WHERE h.zone_id <> 26 OR h.zone_uid IS NULL),
          '21:0/100:21,21:0/200:21,22:100/100:-,22:100/200:-,22:100/300:22,23:200/100:-,23:200/500:-,24:300/100:-,240:300/100:-,25:400/100:-,25:1500/100:-,26:500/100:-,27:600/100:-',
          'create_hub adopts the rows whose chain to the zone under their number is unbroken: 21''s two, 22''s after the deletion; none after a deletion, a shape another number has, another territory, another zone_uid, or under no zone (the build before: none)');
SELECT is(smartregion._zae_zone_history_adopt('zua'), 0::bigint, 'run again: nothing left to adopt');
-- what the adoption is for: zone 21 renumbered 210 with the triggers disabled (the owner),
-- number 21 taken by a public zone since, then 210 made restricted by its agent: its earlier
-- shapes under 21 go with it (the build before: they had no zone_uid and stayed public)
ALTER TABLE zua.zae_zones DISABLE TRIGGER USER;
UPDATE zua.zae_zones SET zone_id = 210, geom = pg_temp.s(0, 6) WHERE zone_id = 21;
ALTER TABLE zua.zae_zones ENABLE TRIGGER USER;
SELECT pg_temp.zone(21, 14, 0);
SELECT is(pg_temp.as_role('zua_a', $$UPDATE zua.zae_zones SET visibility = 'restricted' WHERE zone_id = 210 RETURNING zone_id::text$$, true),
          '210', 'the agent of 91326 makes zone 210 (formerly 21) restricted');
SELECT is(pg_temp.reads('zua_r', 0, 2) || pg_temp.reads('zua_r', 0, 4) || pg_temp.reads('zua_b', 0, 2) || pg_temp.reads('zua_a', 0, 2),
          '0001', 'its adopted earlier shapes under 21 are restricted: the reader and 91479''s agent read neither, 91326''s agent reads them (the build before: 1111)');
SELECT is(pg_temp.reads('zua_r', 2, 2), '1', 'zone 22''s row before the deletion, not adopted, stays public (zone 22 is public)');

-- 2. zone_uid given by hand.  zae_zones: INSERT ... OVERRIDING SYSTEM VALUE naming zone_uid
SELECT zone_uid AS uid22 FROM zua.zae_zones WHERE zone_id = 22 \gset
SELECT is(pg_temp.as_role('zua_b', format($$INSERT INTO zua.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (91, 'ZA b', '91479', %L, '91479', 'restricted', %s) RETURNING zone_id::text$$,
    ST_Multi(ST_MakeEnvelope(651200, 6860200, 651300, 6860300, 2154)), :uid22)),
  '42501', 'the agent of 91479 cannot give its zone 91326 zone 22''s zone_uid (42501; the build before: 91)');
SELECT is(pg_temp.as_role('zua_a', format($$INSERT INTO zua.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (92, 'ZA a', '91326', %L, '91326', 'restricted', %s) RETURNING zone_id::text$$, pg_temp.s(16, 0), :uid22)),
  '42501', 'nor the agent of 91326 of its own territory (the build before: 92)');
SELECT is(pg_temp.as_role('zua_p', format($$INSERT INTO zua.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (93, 'ZA p', '91326', %L, '91326', 'restricted', %s) RETURNING zone_id::text$$, pg_temp.s(16, 2), :uid22)),
  '42501', 'nor the platform administrator (the build before: 93)');
SELECT is(pg_temp.as_role('zua_a', format($$INSERT INTO zua.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility)
    VALUES (94, 'ZA a', '91326', %L, '91326', 'public') RETURNING (zone_uid > %s)::text$$, pg_temp.s(16, 4), :uid22), true),
  'true', 'the agent inserts a zone without zone_uid: one is generated, as before');
SELECT is(pg_temp.as_role(current_user, format($$INSERT INTO zua.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid)
    OVERRIDING SYSTEM VALUE VALUES (95, 'ZA o', '91326', %L, '91326', 'public', 987654) RETURNING zone_uid::text$$, pg_temp.s(16, 6))),
  '987654', 'the owner may (a restore writes the zone_uids back)');
-- COPY FROM checks INSERT on the columns it names, then refuses a role under row-level
-- security (0A000): agents and the platform administrator never COPY into a hub's table;
-- the owner (a restore) does
SELECT is(has_column_privilege('zua_a', 'zua.zae_zones', 'zone_uid', 'INSERT')::text || has_column_privilege('zua_p', 'zua.zae_zones', 'zone_uid', 'INSERT')::text
          || has_column_privilege('zua_a', 'zua.zae_zones', 'site_nom', 'INSERT')::text || has_column_privilege('zua_p', 'zua.zae_zones', 'geom', 'INSERT')::text,
          'falsefalsetruetrue', 'agents and the platform administrator hold INSERT on every column of zae_zones but zone_uid (the build before: on all)');
SAVEPOINT copy_zone;
SET LOCAL ROLE zua_a;
\set ON_ERROR_STOP 0
COPY zua.zae_zones (zone_id, site_nom, comm_insee, geom, territory_code, visibility, zone_uid) FROM STDIN;
96	ZA c	91326	SRID=2154;MULTIPOLYGON(((650800 6860800,650840 6860800,650840 6860840,650800 6860840,650800 6860800)))	91326	restricted	1
\.
\set copy_zone_state :SQLSTATE
\set ON_ERROR_STOP 1
ROLLBACK TO SAVEPOINT copy_zone;
SELECT is(:'copy_zone_state'::text, '42501', 'a COPY into zae_zones naming zone_uid, by the agent: 42501, no INSERT on zone_uid (the build before: 0A000, row-level security)');
-- zae_zone_history: an INSERT or a COPY giving zone_uid
SELECT is(pg_temp.as_role('zua_a', format($$INSERT INTO zua.zae_zone_history (zone_id, geom, operation, territory_code, visibility, zone_uid)
    VALUES (22, %L, 'update', '91326', 'public', %s) RETURNING id::text$$, pg_temp.s(18, 0), :uid22)),
  '42501', 'the agent cannot insert a contour naming a zone_uid (42501; the build before: its id)');
SELECT is(pg_temp.as_role('zua_p', format($$INSERT INTO zua.zae_zone_history (zone_id, geom, operation, territory_code, visibility, zone_uid)
    VALUES (22, %L, 'update', '91326', 'public', %s) RETURNING 'inserted'$$, pg_temp.s(18, 0), :uid22)),
  '42501', 'nor the platform administrator');
SELECT is(pg_temp.as_role('zua_a', format($$INSERT INTO zua.zae_zone_history (zone_id, geom, operation, territory_code, visibility)
    VALUES (22, %L, 'update', '91326', 'public') RETURNING 'inserted'$$, pg_temp.s(18, 0))),
  'inserted', 'the agent inserts a contour without zone_uid, as before');
SAVEPOINT copy_hist;
SET LOCAL ROLE zua_a;
\set ON_ERROR_STOP 0
COPY zua.zae_zone_history (zone_id, geom, operation, territory_code, visibility, zone_uid) FROM STDIN;
22	SRID=2154;MULTIPOLYGON(((650900 6860000,650940 6860000,650940 6860040,650900 6860040,650900 6860000)))	update	91326	public	1
\.
\set copy_hist_state :SQLSTATE
\set ON_ERROR_STOP 1
ROLLBACK TO SAVEPOINT copy_hist;
SELECT is(:'copy_hist_state'::text, '0A000', 'a COPY into zae_zone_history, by the agent: refused by row-level security (0A000, as before)');
-- the recording trigger still writes it, for the agent's redraw
SELECT pg_temp.as_role('zua_a', $$UPDATE zua.zae_zones SET geom = ST_Translate(geom, 0, 20) WHERE zone_id = 94 RETURNING zone_id::text$$, true) AS redraw94 \gset
SELECT is(:'redraw94' || ':' || (SELECT (h.zone_uid = z.zone_uid)::text FROM zua.zae_zone_history h JOIN zua.zae_zones z ON z.zone_id = 94 WHERE h.zone_id = 94),
          '94:true', 'the agent''s redraw of zone 94 records its contour with its zone_uid (the recording trigger passes)');

-- 3. The identity across territories.  Zone 31 of 91326, public, drawn at A, redrawn (A under
-- 31, its zone_uid); renumbered 310 with the triggers disabled (the owner), a public zone
-- under 31 since, redrawn (its own contour under 31).  (a) The agent of both moves 310 to 91479 and makes it restricted: A goes
-- with it at once (the build before: public, docs/security-reviews.md#r-zone-uid-moved)
SELECT pg_temp.zone(31, 0, 12);
UPDATE zua.zae_zones SET geom = pg_temp.s(0, 14) WHERE zone_id = 31;
ALTER TABLE zua.zae_zones DISABLE TRIGGER USER;
UPDATE zua.zae_zones SET zone_id = 310, geom = pg_temp.s(0, 16) WHERE zone_id = 31;
ALTER TABLE zua.zae_zones ENABLE TRIGGER USER;
SELECT pg_temp.zone(31, 2, 12);
UPDATE zua.zae_zones SET geom = pg_temp.s(2, 14) WHERE zone_id = 31;
SELECT is(pg_temp.as_role('zua_m', $$UPDATE zua.zae_zones SET territory_code = '91479', comm_insee = '91479', geom = ST_Translate(geom, 1000, 0),
                                       visibility = 'restricted' WHERE zone_id = 310 RETURNING zone_id::text$$, true),
          '310', 'the agent of both moves zone 310 to 91479 and makes it restricted');
SELECT is(pg_temp.reads('zua_r', 0, 12) || pg_temp.reads('zua_b', 0, 12) || pg_temp.reads('zua_a', 0, 12),
          '001', 'its earlier shape A, of 91326, restricted with it: the reader and 91479''s agent read it no more (the build before: 11), 91326''s agent does');
-- (b) The same zone moved while public by the agent of both, then made restricted by 91479's
-- agent alone, who may not write 91326's contours: A stays public until create_hub, as the owner
SELECT pg_temp.zone(32, 4, 12);
UPDATE zua.zae_zones SET geom = pg_temp.s(4, 14) WHERE zone_id = 32;
ALTER TABLE zua.zae_zones DISABLE TRIGGER USER;
UPDATE zua.zae_zones SET zone_id = 320, geom = pg_temp.s(4, 16) WHERE zone_id = 32;
ALTER TABLE zua.zae_zones ENABLE TRIGGER USER;
SELECT pg_temp.zone(32, 6, 12);
UPDATE zua.zae_zones SET geom = pg_temp.s(6, 14) WHERE zone_id = 32;
SELECT is(pg_temp.as_role('zua_m', $$UPDATE zua.zae_zones SET territory_code = '91479', comm_insee = '91479', geom = ST_Translate(geom, 1000, 0)
                                       WHERE zone_id = 320 RETURNING zone_id::text$$, true)
          || pg_temp.as_role('zua_b', $$UPDATE zua.zae_zones SET visibility = 'restricted' WHERE zone_id = 320 RETURNING zone_id::text$$, true),
          '320320', 'the agent of both moves zone 320 to 91479, public; 91479''s agent makes it restricted');
SELECT is(pg_temp.reads('zua_r', 4, 12), '1', 'LIMIT: its shape under 32, of 91326, stays public meanwhile (91479''s agent writes no contour of 91326)');
SELECT count(*) > 0 AS hub_third FROM smartregion.create_hub('zua') \gset
SELECT is(pg_temp.reads('zua_r', 4, 12) || pg_temp.reads('zua_b', 4, 12), '00',
          'create_hub, as the owner, makes it restricted (the build before: 11, the identity followed within a territory only)');
SELECT is(pg_temp.reads('zua_r', 6, 12) || pg_temp.reads('zua_r', 2, 12), '11',
          'the public zones now numbered 31 and 32 keep their own earlier contours public (the restriction goes by identity, not by number)');

SELECT * FROM finish();
ROLLBACK;
