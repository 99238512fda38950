#!/usr/bin/env bash
# A/B of the city model cadastre between two builds, each installed in its own
# cluster (docs/performance-city-model.md, "The walls partly covered"): the
# Rotterdam and Den Haag subsets (data/city3d) imported into a hub in RD New as
# sql/city3d.sql imports them, then solar_cadastre over each file's surfaces
# with '{"faces": "both"}' (every roof and wall, a clear-sky year at Rotterdam),
# SR_AB_CALLS calls a round (default 30, after 5 of warm-up), SR_AB_ROUNDS
# rounds (default 9) alternating the two clusters; prints each round's mean
# time a call and the medians, and an md5 over every row of each build's
# output (they must be equal for the same results).
#   bench/city_cadastre_ab.sh PORT_A PORT_B     (PGHOST: the clusters' socket
#   directory, or SR_AB_HOST_A / SR_AB_HOST_B when they differ)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PA=${1:?port of build A}; PB=${2:?port of build B}
HA=${SR_AB_HOST_A:-${PGHOST:-}}; HB=${SR_AB_HOST_B:-${PGHOST:-}}
CALLS=${SR_AB_CALLS:-30}; ROUNDS=${SR_AB_ROUNDS:-9}
DB=sr_bench_city_ab
psql_at() {  # port host args...
    local p=$1 h=$2; shift 2
    PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -h "$h" -p "$p" "$@"
}
for side in "$PA:$HA" "$PB:$HB"; do
    p=${side%%:*}; h=${side#*:}
    psql_at "$p" "$h" -d postgres -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
    psql_at "$p" "$h" -d $DB >/dev/null <<SQL
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT count(*) FROM smartregion.create_hub('city_nl');
ALTER TABLE city_nl.city_surface ALTER COLUMN geom TYPE geometry(PolygonZ, 28992);
ALTER TABLE city_nl.city_object ALTER COLUMN footprint TYPE geometry(MultiPolygon, 28992);
\set rot \`cat data/city3d/rotterdam_subset.json\`
\set dh \`cat data/city3d/DH_01_subs.city.json\`
SELECT smartregion.import_cityjson(:'rot', 'city_nl', '{"srid": 7415, "source": "rotterdam_subset.json"}');
SELECT smartregion.import_cityjson(:'dh', 'city_nl', '{"srid": 7415, "source": "DH_01_subs.city.json"}');
CREATE TABLE nl_sky AS SELECT smartregion.sky_clearsky(ST_SetSRID(ST_MakePoint(4.47, 51.92, 0), 4326)) AS s;
CREATE FUNCTION q(src text) RETURNS text LANGUAGE sql IMMUTABLE AS \$\$
  SELECT format('SELECT s.id, s.geom, s.semantic_type AS surface_type FROM city_nl.city_surface s '
                'JOIN city_nl.city_object o ON o.id = s.object_id WHERE o.source = %L', src) \$\$;
-- mean milliseconds a call over n calls
CREATE FUNCTION per_call(src text, n int) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz; k bigint;
BEGIN
  t0 := clock_timestamp();
  FOR i IN 1..n LOOP
    SELECT count(*) INTO k FROM nl_sky, smartregion.solar_cadastre(q(src), nl_sky.s, '{"faces": "both"}');
  END LOOP;
  RETURN 1000 * extract(epoch FROM clock_timestamp() - t0) / n;
END \$\$;
SQL
    echo "# md5 port $p: $(psql_at "$p" "$h" -d $DB -At -c "
      SELECT string_agg(src || ' ' || md5(r), ' ') FROM (
        SELECT src, string_agg(c::text, '|' ORDER BY c.building_id, c.face) AS r
          FROM unnest(ARRAY['DH_01_subs.city.json', 'rotterdam_subset.json']) src,
               nl_sky, smartregion.solar_cadastre(q(src), nl_sky.s, '{\"faces\": \"both\"}') c
         GROUP BY src) x")"
    psql_at "$p" "$h" -d $DB -At -c "SELECT per_call('DH_01_subs.city.json', 5), per_call('rotterdam_subset.json', 5)" >/dev/null
done
declare -a A_DH A_ROT B_DH B_ROT
for r in $(seq 1 "$ROUNDS"); do
    for side in A B; do
        if [[ $side == A ]]; then p=$PA; h=$HA; else p=$PB; h=$HB; fi
        read -r dh rot < <(psql_at "$p" "$h" -d $DB -At -F' ' -c \
            "SELECT round(per_call('DH_01_subs.city.json', $CALLS)::numeric, 2), round(per_call('rotterdam_subset.json', $CALLS)::numeric, 2)")
        echo "round $r $side (port $p): den_haag $dh ms, rotterdam $rot ms a call"
        if [[ $side == A ]]; then A_DH+=("$dh"); A_ROT+=("$rot"); else B_DH+=("$dh"); B_ROT+=("$rot"); fi
    done
done
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
echo "RESULT A den_haag $(med "${A_DH[@]}") ms rotterdam $(med "${A_ROT[@]}") ms (median of $ROUNDS rounds of $CALLS calls)"
echo "RESULT B den_haag $(med "${B_DH[@]}") ms rotterdam $(med "${B_ROT[@]}") ms (median of $ROUNDS rounds of $CALLS calls)"
