-- SYNTHETIC, deterministic hub of docs/performance-zones.md, "create_hub on a large zone
-- history: the renumbered contours" (2026-12-07, h10): what _zae_zone_history_restrict_renumbered
-- (rules (1) and (2) to a fixed point) and _zae_zone_history_renumbered_suspects cost when
-- create_hub brings a hub up to date.  No random(): every choice is a residue of the zone's
-- ordinal i (kept in site_nom 'z' || i).
--   n zones (default 20,000; -v n=2000), 80 m squares on a 200-wide grid (100 m pitch), four
--   territories (communes 91001..91004, by i % 4), public; each redrawn 5 times (5 n contours);
--   then, as the build before 2026-12-07 left a hub (the renumbering trigger disabled, as
--   extension/tests/pgtap/zones_history_renumbered_before.sql does):
--     i % 20 = 1:  renumbered i + 100000                        (a chain of one link)
--     i % 40 = 1:  then redrawn, renumbered i + 200000          (two links)
--     i % 80 = 1:  then renumbered i + 300000                   (three links)
--     i % 100 = 3: renumbered i + 100000 and redrawn in one statement (the suspects' case)
--     i % 50 = 7:  deleted, drawn again under i (another shape), redrawn, renumbered i + 100000
--   restricted: i % 10 = 1 (2,000 at n = 20,000: the chains and as many zones never renumbered),
--   i % 200 = 3 (100) and i % 100 = 7 (200).
-- createdb zr && psql -X -d zr -f THIS      (then the commands of docs/performance-zones.md;
--   -v legacy=1 for contours with no zone_uid, as a hub recorded them before 2026-12-07)
\set ON_ERROR_STOP 1
\if :{?n}
\else
\set n 20000
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS smartregion CASCADE;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zr', 2154) \gset
-- the zone of ordinal i, drawn k metres inside its 80 m square
CREATE FUNCTION pg_temp.sq(i int, k int) RETURNS geometry LANGUAGE sql IMMUTABLE AS $$
  SELECT ST_Multi(ST_MakeEnvelope(850000 + (i % 200) * 100 + k, 6530000 + (i / 200) * 100 + k,
                                  850080 + (i % 200) * 100 - k, 6530080 + (i / 200) * 100 - k, 2154)) $$;
INSERT INTO zr.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
SELECT i, 'z' || i, pg_temp.sq(i, 0), '9100' || (1 + i % 4), 'public' FROM generate_series(1, :n) i;
-- five redraws of every zone: 5 n contours, 'update'
UPDATE zr.zae_zones SET geom = pg_temp.sq(substr(site_nom, 2)::int, 1);
UPDATE zr.zae_zones SET geom = pg_temp.sq(substr(site_nom, 2)::int, 2);
UPDATE zr.zae_zones SET geom = pg_temp.sq(substr(site_nom, 2)::int, 3);
UPDATE zr.zae_zones SET geom = pg_temp.sq(substr(site_nom, 2)::int, 4);
UPDATE zr.zae_zones SET geom = pg_temp.sq(substr(site_nom, 2)::int, 5);

-- the build before h2: no trigger took a renumbered zone's former number's contours
ALTER TABLE zr.zae_zones DISABLE TRIGGER sr_zae_zone_history_renumber;
UPDATE zr.zae_zones SET zone_id = zone_id + 100000 WHERE substr(site_nom, 2)::int % 20 = 1;
UPDATE zr.zae_zones SET geom = pg_temp.sq(substr(site_nom, 2)::int, 6) WHERE substr(site_nom, 2)::int % 40 = 1;
UPDATE zr.zae_zones SET zone_id = zone_id + 100000 WHERE substr(site_nom, 2)::int % 40 = 1;
UPDATE zr.zae_zones SET zone_id = zone_id + 100000 WHERE substr(site_nom, 2)::int % 80 = 1;
UPDATE zr.zae_zones SET zone_id = zone_id + 100000, geom = pg_temp.sq(substr(site_nom, 2)::int, 7)
 WHERE substr(site_nom, 2)::int % 100 = 3;
DELETE FROM zr.zae_zones WHERE substr(site_nom, 2)::int % 50 = 7;
INSERT INTO zr.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
SELECT i, 'z' || i, pg_temp.sq(i, 10), '9100' || (1 + i % 4), 'public' FROM generate_series(1, :n) i WHERE i % 50 = 7;
UPDATE zr.zae_zones SET geom = pg_temp.sq(substr(site_nom, 2)::int, 11) WHERE substr(site_nom, 2)::int % 50 = 7;
UPDATE zr.zae_zones SET zone_id = zone_id + 100000 WHERE substr(site_nom, 2)::int % 50 = 7;
-- (-v legacy=1: the contours as a build before zone_uid recorded them, with none, before
-- the zones are made restricted: the hub of the sections before 2026-12-07, zone identity)
\if :{?legacy}
-- (the identity each contour had, kept aside to score _zae_zone_history_adopt: 2026-12-08, h8)
DROP TABLE IF EXISTS public.zr_zone_uid_truth;
CREATE TABLE public.zr_zone_uid_truth AS SELECT id, zone_uid FROM zr.zae_zone_history;
UPDATE zr.zae_zone_history SET zone_uid = NULL;
\endif
UPDATE zr.zae_zones SET visibility = 'restricted'
 WHERE substr(site_nom, 2)::int % 10 = 1 OR substr(site_nom, 2)::int % 200 = 3 OR substr(site_nom, 2)::int % 100 = 7;
ALTER TABLE zr.zae_zones ENABLE TRIGGER sr_zae_zone_history_renumber;
VACUUM ANALYZE zr.zae_zones;
VACUUM ANALYZE zr.zae_zone_history;
SELECT (SELECT count(*) FROM zr.zae_zones) AS zones,
       (SELECT count(*) FROM zr.zae_zones WHERE visibility = 'restricted') AS restricted_zones,
       (SELECT count(*) FROM zr.zae_zone_history) AS contours,
       (SELECT count(*) FROM zr.zae_zone_history WHERE visibility = 'public') AS public_contours;
