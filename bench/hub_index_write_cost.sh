#!/usr/bin/env bash
# What the indexes added for the data subjects' requests cost a bulk write (2026-12-07, h8;
# docs/performance.md, "Data subjects' requests"): the identifier columns' indexes
# (campaign_respondent_role_idx, maturity_answer_respondent_idx, projects_holder_idx) and the
# recorded_at indexes (<table>_recorded_at_idx) of the four tables written here, on sr_hub after
# bench/subject_requests_setup.sql (bench/purge_expired_setup.sql and
# bench/subject_requests_rls_setup.sql may have run too).  Each round, in one transaction
# rolled back, as the hub's owner (the tables' triggers fire, no policy applies):
#   a new campaign, then 100,000 respondents (20,000 communes x 5 functions), 100,000 answers
#   (one declarative question each), 100,000 self-diagnosis answers of 2025 in maturity_answer
#   (20,000 communes x 5 questions) and 100,000 projects, each INSERT timed alone.
# "without" first drops, in that transaction, the seven indexes above (a hub of the build
# before them), "with" keeps them; the modes alternate, REPS pairs.  Prints: rep mode table
# ms; then the medians and the difference.  TRIGGERS=off runs the inserts with
# session_replication_role = replica (the tables' triggers, foreign keys' included, do not
# fire): the indexes' own cost, which the campaign tables' row triggers (the campaign's rules,
# about 0.6-1 ms a row under load) otherwise bury.
# Run: DB=srbench REPS=3 [TRIGGERS=off] bench/hub_index_write_cost.sh (psql of the cluster in PATH)
set -euo pipefail
DB=${DB:?database with bench/subject_requests_setup.sql loaded}
REPS=${REPS:-3}
drop="DROP INDEX sr_hub.campaign_respondent_role_idx, sr_hub.campaign_respondent_recorded_at_idx,
      sr_hub.campaign_answer_recorded_at_idx, sr_hub.maturity_answer_respondent_idx,
      sr_hub.maturity_answer_recorded_at_idx, sr_hub.projects_holder_idx, sr_hub.projects_recorded_at_idx;"
out=$(mktemp)
for rep in $(seq 1 "$REPS"); do
  for mode in without with; do
    psql -X -At -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL | sed "s/^/$rep\t$mode\t/" | tee -a "$out"
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.ms(q text) RETURNS numeric LANGUAGE plpgsql AS \$\$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
  EXECUTE q;
  RETURN round(extract(epoch FROM clock_timestamp() - t0)::numeric * 1000, 1);
END \$\$;
BEGIN;
$( [[ $mode == without ]] && echo "$drop" )
$( [[ ${TRIGGERS:-on} == off ]] && echo "SET LOCAL session_replication_role = replica;" )
INSERT INTO sr_hub.campaign (framework, year, title, opens_on, closes_on, territory_type, territory_code)
VALUES ('default', 2027, 'Bench ' || $rep, current_date - 1, current_date + 30, 'departement', '35');
SELECT 'campaign_respondent' || E'\t' || pg_temp.ms(\$q\$
  INSERT INTO sr_hub.campaign_respondent (campaign_id, territory_type, territory_code, role, token_hash)
  SELECT c.id, 'commune', (70000 + i)::text, r, sha256(convert_to(c.id || '/' || i || '/' || r, 'UTF8'))
    FROM (SELECT max(id) AS id FROM sr_hub.campaign) c, generate_series(1, 20000) i,
         unnest(ARRAY['maire', 'DGS', 'DSI', 'adjoint au numérique', 'secrétaire de mairie']) r\$q\$);
SELECT 'campaign_answer' || E'\t' || pg_temp.ms(\$q\$
  INSERT INTO sr_hub.campaign_answer (respondent_id, indicator, answer)
  SELECT r.id, q.indicator, 1 + r.id % 5
    FROM sr_hub.campaign_respondent r
    JOIN (SELECT indicator, row_number() OVER (ORDER BY position) - 1 AS k FROM smartregion.maturity_indicator
           WHERE framework = 'default' AND kind = 'declarative') q ON q.k = r.id % 13
   WHERE r.campaign_id = (SELECT max(id) FROM sr_hub.campaign)\$q\$);
SELECT 'maturity_answer' || E'\t' || pg_temp.ms(\$q\$
  INSERT INTO sr_hub.maturity_answer (indicator, territory_type, territory_code, year, respondent, answer, source)
  SELECT q.indicator, 'commune', (70000 + i)::text, 2025, 'bench ' || i, 1 + i % 5, 'bench'
    FROM generate_series(1, 20000) i,
         (SELECT indicator FROM smartregion.maturity_indicator WHERE framework = 'default' AND kind = 'declarative'
           ORDER BY position LIMIT 5) q\$q\$);
SELECT 'projects' || E'\t' || pg_temp.ms(\$q\$
  INSERT INTO sr_hub.projects (id, name, holder, territory_code, territory_type)
  SELECT i, 'Projet ' || i, 'bench' || (i % 50000) || '@example.org', (70001 + i % 20000)::text, 'commune'
    FROM generate_series(100001, 200000) i\$q\$);
ROLLBACK;
SQL
  done
done
echo "# medians (ms): without the indexes, with them, difference"
python3 - "$out" <<'PY'
import sys, statistics, collections
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    rep, mode, table, ms = line.rstrip('\n').split('\t')
    d[(table, mode)].append(float(ms))
for table in dict.fromkeys(k[0] for k in d):
    w, o = statistics.median(d[(table, 'with')]), statistics.median(d[(table, 'without')])
    print(f"{table}\twithout {o:.0f} ({', '.join(map(str, d[(table, 'without')]))})\twith {w:.0f} ({', '.join(map(str, d[(table, 'with')]))})\t+{w - o:.0f} ms ({(w - o) / o * 100:+.0f}%)")
PY
rm -f "$out"
