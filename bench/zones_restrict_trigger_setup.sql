-- The hub of docs/performance-zones.md, "The history's restrict trigger in bulk" (2026-12-07, h3):
-- n public zones (default 10,000; -v n=1000), 80 m squares on a 100-wide grid (100 m pitch),
-- each redrawn once (n public contours in zae_zone_history); then, in a transaction rolled back,
--   INSERT INTO zt.zae_zones (zone_id, site_nom, geom, visibility) SELECT 100000 + i, ... 'restricted'
--     FROM generate_series(1, 10000) i;   (new zone_ids: no contour to take)
--   UPDATE zt.zae_zones SET visibility = 'restricted';   (each zone takes its one contour)
-- createdb zt && psql -X -d zt -f THIS
\set ON_ERROR_STOP 1
\if :{?n}
\else
\set n 10000
\endif
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS smartregion CASCADE;
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('zt', 2154) \gset
INSERT INTO zt.zae_zones (zone_id, site_nom, geom, visibility)
SELECT i, 'z' || i, ST_Multi(ST_MakeEnvelope(850000 + (i % 100) * 100, 6530000 + (i / 100) * 100,
                                             850080 + (i % 100) * 100, 6530080 + (i / 100) * 100, 2154)), 'public'
  FROM generate_series(1, :n) i;
UPDATE zt.zae_zones SET geom = ST_Multi(ST_Buffer(ST_GeometryN(geom, 1), -5, 'join=mitre'));
ANALYZE zt.zae_zones; ANALYZE zt.zae_zone_history;
SELECT (SELECT count(*) FROM zt.zae_zones) AS zones, (SELECT count(*) FROM zt.zae_zone_history WHERE visibility = 'public') AS public_contours;
