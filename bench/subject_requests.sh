#!/usr/bin/env bash
# Data subjects' requests at scale: before and after the indexes of the identifier columns
# (2026-12-07, h2; docs/performance.md, "Data subjects' requests"), on the hub sr_hub of
# bench/subject_requests_setup.sql.  "before" runs each call in a transaction that first drops
# the six indexes the hub templates now make (a hub of an older build), "after" with them;
# the modes alternate, REPS pairs; every call is rolled back (the erasure, the withdrawal, the
# log's lines, the dropped indexes).  Prints: rep mode call ms; then the medians.
# Run: DB=srbench REPS=3 bench/subject_requests.sh (psql of the cluster in PATH)
set -euo pipefail
DB=${DB:?database with bench/subject_requests_setup.sql loaded}
REPS=${REPS:-3}
calls=(
  "subject_export(holder)|SELECT smartregion.subject_export('holder123@example.org', 'sr_hub')::text"
  "subject_export(maire, 70001)|SELECT smartregion.subject_export('maire', 'sr_hub', '70001')::text"
  "subject_erase(holder)|SELECT smartregion.subject_erase('holder123@example.org', 'sr_hub')::text"
  "consent withdrawn (holder5)|UPDATE sr_hub.consents SET withdrawn_at = now() WHERE subject = 'holder5@example.org' RETURNING subject"
)
drop="DROP INDEX sr_hub.projects_holder_idx, sr_hub.premises_owner_idx, sr_hub.tl_history_actor_idx,
      sr_hub.zae_parcels_owner_id_idx, sr_hub.maturity_answer_respondent_idx, sr_hub.campaign_respondent_role_idx;"
out=$(mktemp)
for rep in $(seq 1 "$REPS"); do
  for mode in before after; do
    for c in "${calls[@]}"; do
      name=${c%%|*}; q=${c#*|}
      ms=$(psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.ms(q text) RETURNS numeric LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz := clock_timestamp(); r text;
BEGIN
  EXECUTE q INTO r;
  RETURN round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
END \$\$;
BEGIN;
$( [[ $mode == before ]] && echo "$drop" )
SELECT pg_temp.ms(\$q\$$q\$q\$);
ROLLBACK;
SQL
)
      printf '%s\t%s\t%s\t%s\n' "$rep" "$mode" "$name" "$ms" | tee -a "$out"
    done
  done
done
echo "# medians (ms)"
python3 - "$out" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rep, mode, name, ms = line.rstrip('\n').split('\t')
    d[(name, mode)].append(float(ms))
for name in dict.fromkeys(k[0] for k in d):
    b, a = statistics.median(d[(name, 'before')]), statistics.median(d[(name, 'after')])
    print(f"{name}\tbefore {b:.1f} ({', '.join(map(str, d[(name,'before')]))})\tafter {a:.1f} ({', '.join(map(str, d[(name,'after')]))})")
PY
rm -f "$out"
