-- pgTAP: the owner's answer to create_hub's WARNING of public contours that may be a
-- restricted zone's (2026-12-07, h4).  A zone renumbered and redrawn in one statement by a
-- build before 2026-12-07 left its former shape public under its former number, which
-- nothing links to it; create_hub lists such contours (_zae_zone_history_renumbered_suspects)
-- at every run while they stay public, and the owner had no way to say "rightly public".
-- Now the hub's owner or the platform administrator acknowledges them
-- (zae_zone_history_acknowledge: zae_zone_history.public_acknowledged), and the list leaves
-- them out; an agent may not, and an acknowledgement makes nothing public.
BEGIN;
SELECT plan(18);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('sack_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('sack_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('sack_hub') \gset
CREATE ROLE sack_reader IN ROLE smartregion_reader;
CREATE ROLE sack_agent_a IN ROLE smartregion_agent;
CREATE ROLE sack_agent_b IN ROLE smartregion_agent;
CREATE ROLE sack_padmin IN ROLE smartregion_platform_admin;
INSERT INTO sack_hub.agents VALUES ('sack_agent_a', '91326'), ('sack_agent_b', '91479');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('commune', '91326', 'Juvisy', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Paray', NULL, ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom;
-- zones of 91326: 2 restricted, 5 and 6 public; of 91479: 7 public
INSERT INTO sack_hub.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES
  (2, 'ZA cachee', ST_Multi(ST_MakeEnvelope(650500, 6860100, 650900, 6860400, 2154)), '91326', 'restricted'),
  (5, 'ZA de l''est', ST_Multi(ST_MakeEnvelope(650500, 6860600, 650700, 6860900, 2154)), '91326', 'public'),
  (6, 'ZA du sud', ST_Multi(ST_MakeEnvelope(650750, 6860600, 650950, 6860900, 2154)), '91326', 'public'),
  (7, 'ZA de Paray', ST_Multi(ST_MakeEnvelope(651100, 6860100, 651400, 6860400, 2154)), '91479', 'public');
-- the build before h2 (the renumbering trigger disabled, as zones_history_renumbered_before):
-- zone 2 redrawn (its contour under 2, restricted with it); zone 5 renumbered 50 and
-- redrawn in one statement, public (its contour under 5 rightly public: the owner knows
-- zone 50 is public); zone 6 renumbered 60 and redrawn in one statement, then made
-- restricted (its contour under 6 its former shape: the case the WARNING is for)
ALTER TABLE sack_hub.zae_zones DISABLE TRIGGER sr_zae_zone_history_renumber;
-- (and its contours kept no zone_uid, 2026-12-07, zone identity: the trigger as it wrote them, no argument)
CREATE OR REPLACE TRIGGER sr_zae_zone_history AFTER UPDATE OR DELETE ON sack_hub.zae_zones
  FOR EACH ROW EXECUTE FUNCTION smartregion._zae_zone_history_record();
UPDATE sack_hub.zae_zones SET geom = ST_Multi(ST_MakeEnvelope(650500, 6860100, 650850, 6860400, 2154)) WHERE zone_id = 2;
UPDATE sack_hub.zae_zones SET zone_id = 50, geom = ST_Multi(ST_MakeEnvelope(650500, 6860600, 650650, 6860900, 2154)) WHERE zone_id = 5;
UPDATE sack_hub.zae_zones SET zone_id = 60, geom = ST_Multi(ST_MakeEnvelope(650750, 6860600, 650900, 6860900, 2154)) WHERE zone_id = 6;
UPDATE sack_hub.zae_zones SET visibility = 'restricted' WHERE zone_id = 60;
ALTER TABLE sack_hub.zae_zones ENABLE TRIGGER sr_zae_zone_history_renumber;
SELECT count(*) > 0 AS again FROM smartregion.create_hub('sack_hub') \gset

SELECT id AS sack_id2 FROM sack_hub.zae_zone_history WHERE zone_id = 2 \gset
SELECT id AS sack_id5 FROM sack_hub.zae_zone_history WHERE zone_id = 5 \gset
SELECT id AS sack_id6 FROM sack_hub.zae_zone_history WHERE zone_id = 6 \gset
\set sack_listed '''SELECT coalesce(string_agg(zone_id || '''':'''' || operation, '''','''' ORDER BY id), '''''''') FROM sack_hub.zae_zone_history WHERE id = ANY (smartregion._zae_zone_history_renumbered_suspects(''''sack_hub''''))'''
\set sack_public '''SELECT coalesce(string_agg(zone_id::text, '''','''' ORDER BY id), '''''''') FROM sack_hub.zae_zone_history'''

-- the history as written: under 2 (restricted), 5 and 6 (public); both public ones listed
SELECT is(pg_temp.as_role('sack_reader', :sack_public), '5,6', 'a reader reads the contours under 5 and 6');
SELECT is(pg_temp.as_role(current_user, :sack_listed), '5:update,6:update', 'create_hub lists the contours under 5 and 6');

-- the agents may not acknowledge: neither 91326's (the contours' territory) nor 91479's,
-- through the function or by an UPDATE of the column (the append-only trigger), nor a reader
SELECT is(pg_temp.as_role('sack_agent_a', format('SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[%s]::bigint[])', 'sack_hub', :sack_id5)),
          '42501', 'the agent of 91326 may not acknowledge its territory''s contour (before: 42883, no such function)');
SELECT is(pg_temp.as_role('sack_agent_b', format('SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[%s]::bigint[])', 'sack_hub', :sack_id5)),
          '42501', 'nor the agent of 91479 (before: 42883)');
SELECT is(pg_temp.as_role('sack_agent_a', format('UPDATE sack_hub.zae_zone_history SET public_acknowledged = true WHERE id = %s RETURNING id', :sack_id5)),
          '42501', 'nor the agent of 91326 by an UPDATE of the column: the append-only trigger (before: 42703, no such column)');
SELECT is(pg_temp.as_role('sack_agent_b', format('UPDATE sack_hub.zae_zone_history SET public_acknowledged = true WHERE id = %s RETURNING id', :sack_id5)),
          '<null>', 'the agent of 91479 updates no row: another territory''s public contour is read, not written (row-level security)');
SELECT is(pg_temp.as_role('sack_reader', format('SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[%s]::bigint[])', 'sack_hub', :sack_id5)),
          '42501', 'nor a reader (before: 42883)');

-- only ids the WARNING lists: zone 2's restricted contour is refused (22023) and stays
-- restricted; an id that is no row too
SELECT is(pg_temp.as_role(current_user, format('SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[%s, %s]::bigint[])', 'sack_hub', :sack_id5, :sack_id2)),
          '22023', 'the owner may not acknowledge a contour create_hub does not list (restricted, zone 2''s)');
SELECT is(pg_temp.as_role(current_user, format('SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[0]::bigint[])', 'sack_hub')),
          '22023', 'nor an id that is no row');

-- the platform administrator may (rolled back), and the owner (kept)
SELECT is(pg_temp.as_role('sack_padmin', format('SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[%s]::bigint[])', 'sack_hub', :sack_id5)),
          '1', 'the platform administrator acknowledges the contour under 5');
-- an acknowledgement makes nothing public: the platform administrator's UPDATE of the
-- column with the visibility of zone 2's restricted contour is refused
SELECT is(pg_temp.as_role('sack_padmin', format('UPDATE sack_hub.zae_zone_history SET public_acknowledged = true, visibility = %L WHERE id = %s RETURNING id', 'public', :sack_id2)),
          '42501', 'the platform administrator may not make a contour public with its acknowledgement');
SELECT is(smartregion.zae_zone_history_acknowledge('sack_hub', ARRAY[:sack_id5]::bigint[]), 1::bigint,
          'the owner acknowledges the contour under 5');
SELECT is(smartregion.zae_zone_history_acknowledge('sack_hub', ARRAY[:sack_id5]::bigint[]), 0::bigint,
          'again: nothing more');

-- listed no more, and nothing made public or restricted by it
SELECT is(pg_temp.as_role(current_user, :sack_listed), '6:update', 'create_hub lists the contour under 6 only (before: 5:update,6:update)');
SELECT is((SELECT string_agg(zone_id || ':' || visibility || ':' || public_acknowledged, ',' ORDER BY id) FROM sack_hub.zae_zone_history),
          '2:restricted:false,5:public:true,6:public:false', 'the visibilities as they were; the contour under 5 acknowledged');
SELECT is(pg_temp.as_role('sack_reader', :sack_public), '5,6', 'a reader reads the same contours');

-- create_hub again keeps the acknowledgement; the contour under 6, made restricted by the
-- owner, is listed no more either
SELECT count(*) > 0 AS again2 FROM smartregion.create_hub('sack_hub') \gset
SELECT is(pg_temp.as_role(current_user, :sack_listed), '6:update', 'create_hub again: the contour under 6 still listed, under 5 not');
UPDATE sack_hub.zae_zone_history SET visibility = 'restricted' WHERE id = :sack_id6;
SELECT is(smartregion._zae_zone_history_renumbered_suspects('sack_hub'), NULL::bigint[], 'nothing listed once the owner made the other restricted');

SELECT * FROM finish();
ROLLBACK;
