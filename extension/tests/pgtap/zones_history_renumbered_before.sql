-- pgTAP: contours left public by zones renumbered before this build (docs/zones.md,
-- "Earlier contours", zones renumbered; 2026-12-07, h10).  Since h2 a zone renumbered
-- makes restricted the public contours under its former zone_id (the row trigger
-- sr_zae_zone_history_renumber); a hub whose zones were renumbered before still holds them
-- public there, and create_hub did not find them (nothing records the new number).  Now
-- create_hub makes restricted a public contour that is the same point set as a zone that
-- stands restricted under another zone_id (_zae_zone_history_restrict_renumbered).  The
-- old state is written as the build before left it: the renumbering trigger disabled.
-- Since h7 (2026-12-07) the contours recorded under the same zone_id before one so found,
-- back to a deletion there, are made restricted too (its earlier shapes, to a fixed point:
-- a zone renumbered twice), and the contours of a zone renumbered and redrawn in one
-- statement, which nothing links to it, are listed (_zae_zone_history_renumbered_suspects).
BEGIN;
SELECT plan(16);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zhb_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('zhb_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('zhb_hub') \gset
CREATE ROLE zhb_reader IN ROLE smartregion_reader;
CREATE ROLE zhb_agent_a IN ROLE smartregion_agent;
CREATE ROLE zhb_agent_b IN ROLE smartregion_agent;
INSERT INTO zhb_hub.agents VALUES ('zhb_agent_a', '91326'), ('zhb_agent_b', '91479');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('commune', '91326', 'Juvisy', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Paray', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom;
-- zones of 91326: 1 public (A), 2 restricted (B), 3 public (C), 5 public (E), 6 public (F),
-- 7 public (G), 8 public (H), 4 public (K), 9 public (I0)
INSERT INTO zhb_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA publique', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860100, 650400, 6860400, 2154)), '91326', 'public'),
  (2, 'ZA cachee', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650500, 6860100, 650900, 6860400, 2154)), '91326', 'restricted'),
  (3, 'ZA du nord', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860600, 650400, 6860900, 2154)), '91326', 'public'),
  (5, 'ZA de l''est', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650500, 6860600, 650700, 6860900, 2154)), '91326', 'public'),
  (6, 'ZA du sud', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650750, 6860600, 650950, 6860900, 2154)), '91326', 'public'),
  (7, 'ZA de la gare', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860450, 650400, 6860550, 2154)), '91326', 'public'),
  (8, 'ZA du port', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650500, 6860450, 650900, 6860550, 2154)), '91326', 'public'),
  (4, 'ZA du bois', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860910, 650200, 6860990, 2154)), '91326', 'public'),
  (9, 'ZA du pont', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650600, 6860910, 650700, 6860990, 2154)), '91326', 'public');

-- the build before h2: no trigger took a renumbered zone's former number's contours
ALTER TABLE zhb_hub.zae_zones DISABLE TRIGGER sr_zae_zone_history_renumber;
-- (and its contours kept no zone_uid, 2026-12-07, zone identity: the trigger as it wrote them, no argument)
CREATE OR REPLACE TRIGGER sr_zae_zone_history AFTER UPDATE OR DELETE ON zhb_hub.zae_zones
  FOR EACH ROW EXECUTE FUNCTION smartregion._zae_zone_history_record();
-- the swap of 1 and 2 through 99: contours under 1 (A; restricted by zone 2 taking the
-- number, the statement trigger), under 2 (B, restricted), under 99 (A, public); zone 2,
-- the former zone 1, made restricted: its contour under 99 stays public, its shape
UPDATE zhb_hub.zae_zones SET zone_id = 99 WHERE zone_id = 1;
UPDATE zhb_hub.zae_zones SET zone_id = 1 WHERE zone_id = 2;
UPDATE zhb_hub.zae_zones SET zone_id = 2 WHERE zone_id = 99;
UPDATE zhb_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 2;
-- zone 3 renumbered 30, then made restricted: its contour under 3 (C) stays public
UPDATE zhb_hub.zae_zones SET zone_id = 30 WHERE zone_id = 3;
UPDATE zhb_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 30;
-- zone 5 renumbered 50, public: its contour under 5 (E) is public as its zone is
UPDATE zhb_hub.zae_zones SET zone_id = 50 WHERE zone_id = 5;
-- zone 6 renumbered 60 and redrawn in one statement, then made restricted: its contour
-- under 6 (F) is no longer its shape (the limit of the rule: not found)
UPDATE zhb_hub.zae_zones SET zone_id = 60, geom = ST_Multi(ST_MakeEnvelope(650750, 6860600, 650900, 6860900, 2154)) WHERE zone_id = 6;
UPDATE zhb_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 60;
-- zone 7 renumbered 70, drawn again from its other end (ST_Reverse: another WKB, the same
-- point set; its contour under 70 recorded), then made restricted: its contour under 7 is
-- its shape, found by ST_Equals and not byte for byte
UPDATE zhb_hub.zae_zones SET zone_id = 70 WHERE zone_id = 7;
UPDATE zhb_hub.zae_zones SET geom = ST_Reverse(geom) WHERE zone_id = 70;
UPDATE zhb_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 70;
-- zone 8 renumbered 80, then redrawn (its contour under 80, H, restricted with it), then
-- made restricted: its contour under 8 is H, a shape zone 80 had under its present number
UPDATE zhb_hub.zae_zones SET zone_id = 80 WHERE zone_id = 8;
UPDATE zhb_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650500, 6860450, 650850, 6860550, 2154)) WHERE zone_id = 80;
UPDATE zhb_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 80;
-- zone 4 (K, public) deleted: its contour (4:delete, K) public, a public zone's; a zone
-- drawn again under 4 (D0), redrawn (D1; its contour under 4, D0), renumbered 40 (its
-- contour under 4, D1), then made restricted: D1 is found by its shape, D0 (recorded under
-- 4 before it, after the deletion) is its earlier shape, K is not (the deletion between)
DELETE FROM zhb_hub.zae_zones WHERE zone_id = 4;
INSERT INTO zhb_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (4, 'ZA des champs', 'existant et actif', 'commune', DATE '2021-01-01', '91326', ST_Multi(ST_MakeEnvelope(650300, 6860910, 650400, 6860990, 2154)), '91326', 'public');
UPDATE zhb_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650300, 6860910, 650450, 6860990, 2154)) WHERE zone_id = 4;
UPDATE zhb_hub.zae_zones SET zone_id = 40 WHERE zone_id = 4;
UPDATE zhb_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 40;
-- zone 9 (I0) renumbered 19 (its contour under 9, I0), redrawn (I1; its contour under 19,
-- I0), renumbered 90 (its contour under 19, I1), then made restricted: I1 under 19 found by
-- its shape, I0 under 19 before it, and then I0 under 9, a shape of the zone found (the
-- second round)
UPDATE zhb_hub.zae_zones SET zone_id = 19 WHERE zone_id = 9;
UPDATE zhb_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650600, 6860910, 650750, 6860990, 2154)) WHERE zone_id = 19;
UPDATE zhb_hub.zae_zones SET zone_id = 90 WHERE zone_id = 19;
UPDATE zhb_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 90;
-- number 3 taken again by a public zone (C2), redrawn: its contour under 3 (C2), recorded
-- after the one found there (C), is another zone's and stays public (rule (2) looks back
-- only); 3 holds a zone, so it is not listed either
INSERT INTO zhb_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (3, 'ZA nouvelle', 'existant et actif', 'commune', DATE '2022-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860010, 650200, 6860090, 2154)), '91326', 'public');
UPDATE zhb_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650100, 6860010, 650250, 6860090, 2154)) WHERE zone_id = 3;
ALTER TABLE zhb_hub.zae_zones ENABLE TRIGGER sr_zae_zone_history_renumber;

-- the public contours a reader reads: zone_id:operation, in order
\set zhb_public '''SELECT coalesce(string_agg(zone_id || '''':'''' || operation, '''','''' ORDER BY id), '''''''') FROM zhb_hub.zae_zone_history'''
-- the old state, as written (the rows in the order recorded: the comments above): the
-- reader reads thirteen contours, four of them (under 99, A, under 3, C, under 7, G, under
-- 8, H) shapes of zones 2, 30, 70 and 80, and five (under 4, D0 and D1, under 9, I0,
-- under 19, I0 and I1) shapes of zones 40 and 90, now restricted, and the new zone 3's C
SELECT is(pg_temp.as_role('zhb_reader', :zhb_public), '99:update,3:update,5:update,6:update,7:update,8:update,4:delete,4:update,4:update,9:update,19:update,19:update,3:update',
          'the old state: a reader reads the contours under 99, 3 (two), 5, 6, 7, 8, 4 (three), 9 and 19 (two)');
-- the rules alone, rolled back (as_role): nine contours (by shape: under 99 equal to zone
-- 2, under 3 to zone 30, under 7 to zone 70, under 8 to zone 80's contour under 80, under 4
-- D1 to zone 40, under 19 I1 to zone 90; by order: under 4 D0, under 19 I0; by shape in
-- the second round: under 9 I0, equal to the contour under 19 found)
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion._zae_zone_history_restrict_renumbered('zhb_hub')$$), '9',
          '_zae_zone_history_restrict_renumbered: 9 contours, under 99, 3, 7, 8, 4 (two), 9 and 19 (two) (before h7: 6, by shape alone; before h10: 42883, no such function)');

SELECT count(*) AS zhb_hprov0 FROM smartregion.provenance WHERE hub_schema = 'zhb_hub' AND table_name = 'zae_zone_history' AND operation = 'UPDATE' \gset
SELECT count(*) > 0 AS again FROM smartregion.create_hub('zhb_hub') \gset
-- a reader and the agent of another territory (91479) read the contours under 5 (zone 50,
-- public), 6 (zone 60's former shape, not found: the rule's limit), 4's deletion (K, a
-- public zone's, before the deletion that bounds rule (2)) and the new zone 3's C only
SELECT is(pg_temp.as_role('zhb_reader', :zhb_public), '5:update,6:update,4:delete,3:update',
          'create_hub: a reader no longer reads the contours under 99, 3, 7, 8, 4, 9 and 19, shapes of restricted zones and their earlier ones (before h7: also 4:update,9:update,19:update, D0 and the two I0; before h10: also 99, 3, 7, 8 and the other 4 and 19)');
SELECT is(pg_temp.as_role('zhb_agent_b', :zhb_public), '5:update,6:update,4:delete,3:update',
          'nor does the agent of 91479 (before h7: also 4:update,9:update,19:update)');
-- 91326's agent reads its seventeen contours, the nine found restricted
SELECT is(pg_temp.as_role('zhb_agent_a', $$SELECT string_agg(zone_id || ':' || visibility, ',' ORDER BY id) FROM zhb_hub.zae_zone_history$$),
          '1:restricted,2:restricted,99:restricted,3:restricted,5:public,6:public,7:restricted,70:restricted,8:restricted,80:restricted,'
          '4:public,4:restricted,4:restricted,9:restricted,19:restricted,19:restricted,3:public',
          'the agent of 91326 reads its seventeen contours, those under 99, 3 (but the new zone''s), 7, 8, 4 (but the deletion), 9 and 19 restricted (before h7: D0 under 4, I0 under 9 and under 19 public)');
SELECT is((SELECT count(*) FROM smartregion.provenance WHERE hub_schema = 'zhb_hub' AND table_name = 'zae_zone_history' AND operation = 'UPDATE') - :zhb_hprov0,
          2::bigint, 'in one UPDATE of zae_zone_history, after the one adopting three contours recorded before zone_uid (2026-12-08, h8: C under 3, new zone 3''s, and those under 70 and 80, zones 70''s and 80''s; not zone 30''s under 3, a shape zone 30 has: docs/zones.md#adoption)');

-- a hub with nothing to fix is left unchanged: create_hub again changes no row and
-- writes no UPDATE; the rule finds nothing
SELECT string_agg(id || ':' || visibility, ',' ORDER BY id) AS zhb_state FROM zhb_hub.zae_zone_history \gset
SELECT count(*) AS zhb_hprov1 FROM smartregion.provenance WHERE hub_schema = 'zhb_hub' AND table_name = 'zae_zone_history' AND operation = 'UPDATE' \gset
SELECT count(*) > 0 AS again2 FROM smartregion.create_hub('zhb_hub') \gset
SELECT is((SELECT string_agg(id || ':' || visibility, ',' ORDER BY id) FROM zhb_hub.zae_zone_history), :'zhb_state',
          'create_hub again: the history as it was');
SELECT is((SELECT count(*) FROM smartregion.provenance WHERE hub_schema = 'zhb_hub' AND table_name = 'zae_zone_history' AND operation = 'UPDATE') - :zhb_hprov1,
          0::bigint, 'and no UPDATE of it written');
SELECT is(pg_temp.as_role(current_user, $$SELECT smartregion._zae_zone_history_restrict_renumbered('zhb_hub')$$), '0', 'the rule finds nothing more');

-- listed for the owner, not changed: the contour under 6 (F; 6 holds no zone, its last row
-- an update, no public zone has F, zones stand restricted); not under 5 (zone 50, public,
-- is E), nor 4's deletion (4's last row, D1, restricted), nor the new zone 3's (3 holds a zone)
SELECT is((SELECT string_agg(zone_id || ':' || operation, ',' ORDER BY id) FROM zhb_hub.zae_zone_history
            WHERE id = ANY (smartregion._zae_zone_history_renumbered_suspects('zhb_hub'))),
          '6:update', '_zae_zone_history_renumbered_suspects: the contour under 6 (before h7: 42883, no such function)');
-- the owner, deciding it zone 60's, makes it restricted: nothing listed any more
UPDATE zhb_hub.zae_zone_history SET visibility = 'restricted' WHERE id = ANY (smartregion._zae_zone_history_renumbered_suspects('zhb_hub'));
SELECT is(smartregion._zae_zone_history_renumbered_suspects('zhb_hub'), NULL::bigint[], 'nothing listed once the owner made it restricted');
SELECT is(pg_temp.as_role('zhb_reader', :zhb_public), '5:update,4:delete,3:update', 'a reader reads the contours under 5, 4''s deletion and the new zone 3''s');

-- the rule is no oracle (red team of 2026-12-07 evening, h6): 91479's agent draws two
-- public zones of its own, 140 on zone 2's shape (A: 91326's restricted zone, which it
-- cannot read) and 141 on a guess that is none, and redraws both (their contours under 140
-- and 141, public, its own).  On the build before, create_hub made its contour under 140
-- restricted, and the agent, reading its own rows' visibility, learnt that a hidden zone
-- of another territory has that exact shape.  Now a contour of another territory than the
-- restricted zone's is left as it is (code and type)
SELECT pg_temp.as_role('zhb_agent_b', $$INSERT INTO zhb_hub.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES
  (140, 'guess A', ST_Multi(ST_MakeEnvelope(650100, 6860100, 650400, 6860400, 2154)), '91479', 'public'),
  (141, 'guess other', ST_Multi(ST_MakeEnvelope(650100, 6860100, 650300, 6860400, 2154)), '91479', 'public');
UPDATE zhb_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(651100, 6860100, 651200, 6860200, 2154)) WHERE zone_id IN (140, 141) RETURNING 'drawn'$$, true) AS zhb_guess \gset
SELECT count(*) > 0 AS again3 FROM smartregion.create_hub('zhb_hub') \gset
SELECT is(pg_temp.as_role('zhb_agent_b', $$SELECT string_agg(zone_id || ':' || visibility, ',' ORDER BY id) FROM zhb_hub.zae_zone_history WHERE zone_id IN (140, 141)$$),
          '140:public,141:public',
          'create_hub leaves 91479''s contour on 91326''s restricted shape public: its agent learns nothing from its own rows (before: 140:restricted,141:public)');
SELECT is(pg_temp.as_role('zhb_reader', $$SELECT string_agg(zone_id::text, ',' ORDER BY id) FROM zhb_hub.zae_zone_history WHERE zone_id IN (140, 141)$$),
          '140,141', 'a reader reads both of 91479''s public contours, as 91479 wrote them (before: 141)');

-- one definition of "the same point set" (2026-12-07, h4): rule (1) and the suspects'
-- tests take it from _zae_same_point_set_sql, so they cannot drift; no other function of
-- the extension writes ST_Equals
SELECT is((SELECT string_agg(p.proname, ',' ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'smartregion'::regnamespace AND p.prosrc ~* 'st_equals'),
          '_zae_same_point_set_sql',
          'ST_Equals is written in _zae_same_point_set_sql alone (before: _zae_zone_history_renumbered_suspects,_zae_zone_history_restrict_renumbered)');
SELECT is(smartregion._zae_same_point_set_sql('a.geom', 'b.geom', 'gis'),
          '(a.geom OPERATOR(gis.~=) b.geom AND CASE WHEN gis.ST_IsValid(a.geom) AND gis.ST_IsValid(b.geom) THEN gis.ST_Equals(a.geom, b.geom) '
          'ELSE gis.ST_AsEWKB(a.geom) OPERATOR(pg_catalog.=) gis.ST_AsEWKB(b.geom) END)',
          '_zae_same_point_set_sql: the boxes first (the index condition), then ST_Equals of two valid geometries, else the EWKB');

SELECT * FROM finish();
ROLLBACK;
