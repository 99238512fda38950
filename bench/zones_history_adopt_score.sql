-- Scores _zae_zone_history_adopt on the legacy hub of bench/zones_history_renumbered_setup.sql
-- (-v legacy=1, which keeps each contour's true zone_uid in public.zr_zone_uid_truth): how many
-- contours it adopts, how many by their own zone (right) or another (wrong), and what stays
-- leaked after create_hub's rules: the public contours whose own zone stands restricted, with
-- and without the adoption (each in a transaction rolled back).  2026-12-08, h8.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SELECT count(*) AS contours, count(*) FILTER (WHERE h.visibility = 'public') AS public_contours FROM zr.zae_zone_history h;
BEGIN;
SELECT smartregion._zae_zone_history_adopt('zr') AS adopted;
SELECT count(*) FILTER (WHERE h.zone_uid = t.zone_uid) AS right_zone,
       count(*) FILTER (WHERE h.zone_uid <> t.zone_uid) AS wrong_zone,
       count(*) FILTER (WHERE h.zone_uid IS NULL) AS not_adopted
  FROM zr.zae_zone_history h JOIN public.zr_zone_uid_truth t USING (id);
-- the wrong ones: whose zone adopted them, and is it public
SELECT z.visibility AS adopter, zt.visibility AS own_zone, count(*)
  FROM zr.zae_zone_history h JOIN public.zr_zone_uid_truth t USING (id)
  JOIN zr.zae_zones z ON z.zone_uid = h.zone_uid LEFT JOIN zr.zae_zones zt ON zt.zone_uid = t.zone_uid
 WHERE h.zone_uid <> t.zone_uid GROUP BY 1, 2 ORDER BY 1, 2;
SELECT smartregion._zae_zone_history_restrict_hidden('zr') AS by_zone_id_and_uid;
SELECT smartregion._zae_zone_history_restrict_renumbered('zr') AS by_shape_and_order;
SELECT count(*) AS leaked_with_adoption FROM zr.zae_zone_history h JOIN public.zr_zone_uid_truth t USING (id)
  JOIN zr.zae_zones z ON z.zone_uid = t.zone_uid WHERE h.visibility = 'public' AND z.visibility = 'restricted';
SELECT coalesce(cardinality(smartregion._zae_zone_history_renumbered_suspects('zr')), 0) AS listed_with_adoption;
-- then what the adoption is for: every public zone renumbered (+ 1,000,000) with the triggers
-- disabled (the owner's act, or a build before h2), then made restricted with them enabled:
-- the public contours whose own zone stands restricted
ALTER TABLE zr.zae_zones DISABLE TRIGGER USER;
UPDATE zr.zae_zones SET zone_id = zone_id + 1000000 WHERE visibility = 'public';
ALTER TABLE zr.zae_zones ENABLE TRIGGER USER;
UPDATE zr.zae_zones SET visibility = 'restricted' WHERE zone_id > 1000000;
SELECT count(*) AS leaked_after_renumbering_with_adoption FROM zr.zae_zone_history h JOIN public.zr_zone_uid_truth t USING (id)
  JOIN zr.zae_zones z ON z.zone_uid = t.zone_uid WHERE h.visibility = 'public' AND z.visibility = 'restricted';
ROLLBACK;
BEGIN;
SELECT smartregion._zae_zone_history_restrict_hidden('zr') AS by_zone_id;
SELECT smartregion._zae_zone_history_restrict_renumbered('zr') AS by_shape_and_order;
SELECT count(*) AS leaked_without_adoption FROM zr.zae_zone_history h JOIN public.zr_zone_uid_truth t USING (id)
  JOIN zr.zae_zones z ON z.zone_uid = t.zone_uid WHERE h.visibility = 'public' AND z.visibility = 'restricted';
SELECT coalesce(cardinality(smartregion._zae_zone_history_renumbered_suspects('zr')), 0) AS listed_without_adoption;
-- then what the adoption is for: every public zone renumbered (+ 1,000,000) with the triggers
-- disabled (the owner's act, or a build before h2), then made restricted with them enabled:
-- the public contours whose own zone stands restricted
ALTER TABLE zr.zae_zones DISABLE TRIGGER USER;
UPDATE zr.zae_zones SET zone_id = zone_id + 1000000 WHERE visibility = 'public';
ALTER TABLE zr.zae_zones ENABLE TRIGGER USER;
UPDATE zr.zae_zones SET visibility = 'restricted' WHERE zone_id > 1000000;
SELECT count(*) AS leaked_after_renumbering_without_adoption FROM zr.zae_zone_history h JOIN public.zr_zone_uid_truth t USING (id)
  JOIN zr.zae_zones z ON z.zone_uid = t.zone_uid WHERE h.visibility = 'public' AND z.visibility = 'restricted';
ROLLBACK;
