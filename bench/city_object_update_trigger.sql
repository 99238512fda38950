-- The cost of sr_restrict_derived on an UPDATE of 10,000 3D objects changing no territory,
-- visibility or id (docs/performance-city-model.md, "Every update of city_object").
-- psql -X -At -d DB -f bench/city_object_update_trigger.sql | grep sr_restrict_derived
-- (the build before: CREATE OR REPLACE the function _hub_restrict_derived() of that build in
-- the transaction, after the ANALYZE; the script rolls back)
BEGIN;
SET LOCAL client_min_messages = warning;
SELECT count(*) > 0 AS h FROM smartregion.create_hub('bh') \gset
INSERT INTO bh.city_object (id, type, parent_id, territory_code, visibility)
  SELECT 'B' || i, 'Building', NULL, '91326', 'public'::smartregion.visibility FROM generate_series(1, 5000) i
  UNION ALL SELECT 'P' || i, 'BuildingPart', 'B' || i, '91326', 'public'::smartregion.visibility FROM generate_series(1, 5000) i;
ANALYZE bh.city_object;
EXPLAIN (ANALYZE, COSTS OFF) UPDATE bh.city_object SET lod = '2.2';
EXPLAIN (ANALYZE, COSTS OFF) UPDATE bh.city_object SET lod = '2.1';
EXPLAIN (ANALYZE, COSTS OFF) UPDATE bh.city_object SET lod = '2.2';
EXPLAIN (ANALYZE, COSTS OFF) UPDATE bh.city_object SET lod = '2.1';
EXPLAIN (ANALYZE, COSTS OFF) UPDATE bh.city_object SET lod = '2.2';
ROLLBACK;
