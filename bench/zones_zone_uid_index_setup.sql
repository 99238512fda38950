-- SYNTHETIC: what an index on zae_zones.zone_uid changes (docs/performance-zones.md, "An index
-- on zone_uid", 2026-12-08, h3).  Run on the hub of bench/zones_history_renumbered_setup.sql
-- (database zr, 20,000 zones, made by this build: every contour carries its zone's zone_uid).
-- Adds what makes the append-only trigger ask the zone_uid: 1,000 public zones never
-- renumbered (i % 20 = 5) renumbered i + 500000 with the renumbering trigger disabled (their
-- six contours each stay public under the former number, with their zone_uid), and 1,000
-- new public zones under the former numbers; and a writer, bench_w, who is not the hub's
-- owner (the append-only trigger's rules apply to it; no row-level security on this hub).
\set ON_ERROR_STOP 1
\if :{?n}
\else
\set n 20000
\endif
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.sq(i int, k int) RETURNS geometry LANGUAGE sql IMMUTABLE AS $$
  SELECT ST_Multi(ST_MakeEnvelope(850000 + (i % 200) * 100 + k, 6530000 + (i / 200) * 100 + k,
                                  850080 + (i % 200) * 100 - k, 6530080 + (i / 200) * 100 - k, 2154)) $$;
ALTER TABLE zr.zae_zones DISABLE TRIGGER sr_zae_zone_history_renumber;
UPDATE zr.zae_zones SET zone_id = zone_id + 500000 WHERE substr(site_nom, 2)::int % 20 = 5;
ALTER TABLE zr.zae_zones ENABLE TRIGGER sr_zae_zone_history_renumber;
INSERT INTO zr.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
SELECT i, 'n' || i, pg_temp.sq(i, 20), '9100' || (1 + i % 4), 'public'
  FROM generate_series(1, :n) i WHERE i % 20 = 5;
DO $$ BEGIN CREATE ROLE bench_w; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT USAGE ON SCHEMA zr, smartregion TO bench_w;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA zr TO bench_w;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA zr TO bench_w;
VACUUM ANALYZE zr.zae_zones;
VACUUM ANALYZE zr.zae_zone_history;
SELECT (SELECT count(*) FROM zr.zae_zones) AS zones,
       (SELECT count(*) FROM zr.zae_zones WHERE zone_id > 500000) AS renumbered_reused,
       (SELECT count(*) FROM zr.zae_zone_history h JOIN zr.zae_zones z ON z.zone_uid = h.zone_uid
         WHERE z.zone_id > 500000 AND h.visibility::text = 'public') AS their_public_contours;
