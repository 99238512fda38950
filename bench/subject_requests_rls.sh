#!/usr/bin/env bash
# Data subjects' requests under territory security (2026-12-07, h8; docs/performance.md, "Data
# subjects' requests"), on sr_hub after bench/subject_requests_setup.sql and
# bench/subject_requests_rls_setup.sql.  Each call runs, in its own transaction rolled back
# (the erasure and the record's lines undone), as one of:
#   owner   the database owner (a superuser: no policy applies, as bench/subject_requests.sh)
#   padmin  sr_bench_padmin, the platform administrator (policy sr_platform_admin)
#   dpo     sr_bench_dpo, agent of 70001 answering a request by territory (the territory policies)
# The calls: subject_export and subject_erase of a holder (the whole hub) and of the mayor of
# 70001 (a request by territory), by the three; purge_expired by the owner and the platform
# administrator only (after bench/purge_expired_setup.sql it finds a day's rows expired).
# ROLES (default "owner padmin dpo") picks them, REPS rounds (the roles alternate within a
# round).  Prints: rep role call ms; then the medians.
# Run: DB=srbench REPS=3 bench/subject_requests_rls.sh (psql of the cluster in PATH)
set -euo pipefail
DB=${DB:?database with bench/subject_requests_setup.sql and bench/subject_requests_rls_setup.sql loaded}
REPS=${REPS:-3}
read -r -a roles <<< "${ROLES:-owner padmin dpo}"
# name|roles that run it|query (purge_expired is the platform administrator's: not granted to the dpo)
calls=(
  "subject_export(holder20000)|owner padmin dpo|SELECT smartregion.subject_export('holder20000@example.org', 'sr_hub')::text"
  "subject_export(maire, 70001)|owner padmin dpo|SELECT smartregion.subject_export('maire', 'sr_hub', '70001')::text"
  "subject_erase(holder20000)|owner padmin dpo|SELECT smartregion.subject_erase('holder20000@example.org', 'sr_hub')::text"
  "subject_erase(maire, 70001)|owner padmin dpo|SELECT smartregion.subject_erase('maire', 'sr_hub', '70001')::text"
  "purge_expired|owner padmin|SELECT sum(rows)::text FROM smartregion.purge_expired('sr_hub')"
)
declare -A as=([owner]="" [padmin]="SET LOCAL ROLE sr_bench_padmin;" [dpo]="SET LOCAL ROLE sr_bench_dpo;")
out=$(mktemp)
for rep in $(seq 1 "$REPS"); do
  for role in "${roles[@]}"; do
    for c in "${calls[@]}"; do
      name=${c%%|*}; rest=${c#*|}; who=${rest%%|*}; q=${rest#*|}
      [[ " $who " == *" $role "* ]] || continue
      ms=$(psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.ms(q text) RETURNS numeric LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz := clock_timestamp(); r text;
BEGIN
  EXECUTE q INTO r;
  RETURN round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
END \$\$;
GRANT EXECUTE ON FUNCTION pg_temp.ms(text) TO PUBLIC;
BEGIN;
${as[$role]}
SELECT pg_temp.ms(\$q\$$q\$q\$);
ROLLBACK;
SQL
)
      printf '%s\t%s\t%s\t%s\n' "$rep" "$role" "$name" "$ms" | tee -a "$out"
    done
  done
done
echo "# medians (ms)"
python3 - "$out" "${roles[@]}" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rep, role, name, ms = line.rstrip('\n').split('\t')
    d[(name, role)].append(float(ms))
for name in dict.fromkeys(k[0] for k in d):
    print(name + '\t' + '\t'.join(f"{r} {statistics.median(d[(name, r)]):.1f} ({', '.join(map(str, d[(name, r)]))})"
                                  for r in sys.argv[2:] if (name, r) in d))
PY
rm -f "$out"
