#!/bin/sh
# What an index on zae_zones.zone_uid changes (docs/performance-zones.md, "An index on
# zone_uid", 2026-12-08, h3): the backend's CPU time (user + system, /proc/<pid>/stat, 10 ms
# ticks; max_parallel_workers_per_gather = 0) of each statement, in a transaction rolled back,
# ROUNDS rounds alternating without and with the index.  The hub: database zr of
# bench/zones_history_renumbered_setup.sql, then bench/zones_zone_uid_index_setup.sql.
# Writes as bench_w (not the hub's owner: the append-only trigger's rules apply), create_hub
# as the owner.  Needs the cluster's env (PGHOST, PGPORT) and a superuser.
set -e
ROUNDS=${ROUNDS:-3}
DB=${DB:-zr}
ONLY=${ONLY:-}
run() { # label, statement, role (or empty); ONLY: a grep -E pattern of the labels to run
  if [ -n "$ONLY" ] && ! printf '%s\n' "$1" | grep -Eq "$ONLY"; then return 0; fi
  psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -At <<SQL
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL client_min_messages = error;
SELECT (split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint) * 10 AS t0
  FROM pg_read_file('/proc/' || pg_backend_pid() || '/stat') s \gset
${3:+SET LOCAL ROLE $3;}
$2;
RESET ROLE;
SELECT '$1' || E'\t' || :'idx' || E'\t' || ((split_part(s, ' ', 14)::bigint + split_part(s, ' ', 15)::bigint) * 10 - :t0)
  FROM pg_read_file('/proc/' || pg_backend_pid() || '/stat') s;
ROLLBACK;
SQL
}
ops() {
  idx=$1
  export PGOPTIONS="-c search_path=public"
  run "restrict 1000 zones, 6000 contours under numbers public zones hold" \
      "\\set idx $idx
UPDATE zr.zae_zones SET visibility = 'restricted' WHERE zone_id > 500000" bench_w
  run "restrict 100 such zones" "\\set idx $idx
UPDATE zr.zae_zones SET visibility = 'restricted' WHERE zone_id BETWEEN 500001 AND 502000" bench_w
  run "renumber 1000 public zones" "\\set idx $idx
UPDATE zr.zae_zones SET zone_id = zone_id + 700000 WHERE site_nom LIKE 'z%' AND substr(site_nom, 2)::int % 20 = 9" bench_w
  run "insert 2000 zones" "\\set idx $idx
INSERT INTO zr.zae_zones (zone_id, site_nom, geom, territory_code, visibility)
SELECT 900000 + i, 'x' || i, ST_Multi(ST_MakeEnvelope(800000 + (i % 200) * 100, 6400000 + (i / 200) * 100, 800080 + (i % 200) * 100, 6400080 + (i / 200) * 100, 2154)), '91001', 'public'
  FROM generate_series(1, 2000) i" bench_w
  run "redraw 2000 public zones" "\\set idx $idx
UPDATE zr.zae_zones SET geom = ST_Multi(ST_Buffer(ST_Envelope(geom), -1)) WHERE site_nom LIKE 'z%' AND substr(site_nom, 2)::int % 10 = 9" bench_w
  run "redraw every zone (21000)" "\\set idx $idx
UPDATE zr.zae_zones SET geom = ST_Multi(ST_Buffer(ST_Envelope(geom), -1))" bench_w
  run "rename every zone (21000)" "\\set idx $idx
UPDATE zr.zae_zones SET site_nom = site_nom || ''" bench_w
  run "create_hub (owner)" "\\set idx $idx
SELECT count(*) FROM smartregion.create_hub('zr', 2154)" ""
}
i=1
while [ $i -le "$ROUNDS" ]; do
  psql -X -q -d "$DB" -c "DROP INDEX IF EXISTS zr.zae_zones_zone_uid_idx" -c "VACUUM ANALYZE zr.zae_zones"
  ops without
  psql -X -q -d "$DB" -c "CREATE INDEX zae_zones_zone_uid_idx ON zr.zae_zones (zone_uid)" -c "VACUUM ANALYZE zr.zae_zones"
  ops with
  i=$((i + 1))
done
