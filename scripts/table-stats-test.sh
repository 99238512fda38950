#!/usr/bin/env bash
# What a reader and an agent see of another territory's rows through PostgreSQL's statistics,
# and the revokes of scripts/revoke-table-stats.sql holding (docs/security.md, "Cumulative
# statistics count every row").  Committed rows, in sessions of their own (a backend's
# counters reach the shared statistics when it commits and exits; inside one transaction
# ANALYZE subtracts the transaction's own inserts, so a pgTAP file cannot show it).  Hub by
# hand: projects 1 (69381, public), 2 (69382, public), 3 and 4 (69382, restricted); agent a
# acts for 69381 and reads 2 of the 4; agent b (69382) then updates its restricted project 3.
# Then what grant_roles leaves of the planner's statistics (docs/governance.md, "Planner
# statistics of protected rows"): a partial index's row count, and an index expression
# analysed after grant_roles, then after grant_roles again in a later session.
# Needs the cluster environment (PGHOST...); prints TAP lines.  pg_stat_statements is
# checked when the cluster preloads it, else skipped.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=sr_stats
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
# the first column of the query's first row as a role, or the SQLSTATE of its error
as() { local r=$1; shift
       psql -X -q -At -d "$DB" -v VERBOSITY=sqlstate -c "SET ROLE $r" -c "$1" 2>&1 | sed -E 's/^ERROR: +//' | head -1; }
n=0
check() { n=$((n + 1))
          if [[ "$2" == "$3" ]]; then echo "ok $n - $1"; else echo "not ok $n - $1"; echo "#   have: $2"; echo "#   want: $3"; fi; }
cleanup() { q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $DB" \
              -c 'DROP ROLE IF EXISTS sr_stats_agent_a, sr_stats_agent_b, sr_stats_reader, sr_stats_monitor'; }
cleanup
q -d postgres -c "CREATE DATABASE $DB"
q -d "$DB" >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT count(*) FROM smartregion.create_hub('hub');
SELECT count(*) FROM smartregion.grant_roles('hub');
CREATE ROLE sr_stats_agent_a IN ROLE smartregion_agent;
CREATE ROLE sr_stats_agent_b IN ROLE smartregion_agent;
CREATE ROLE sr_stats_reader IN ROLE smartregion_reader;
CREATE ROLE sr_stats_monitor IN ROLE pg_monitor;
INSERT INTO hub.agents VALUES ('sr_stats_agent_a', '69381'), ('sr_stats_agent_b', '69382');
INSERT INTO hub.projects (id, name, holder, territory_code, visibility) VALUES
  (1, 'a public', 'alice@example.org', '69381', 'public'), (2, 'b public', 'bob@example.org', '69382', 'public'),
  (3, 'b restricted', 'carol@example.org', '69382', 'restricted'), (4, 'b restricted', 'dan@example.org', '69382', 'restricted');
SQL
q -d "$DB" -c 'ANALYZE hub.projects'
as sr_stats_agent_b "UPDATE hub.projects SET name = 'b restricted, renamed' WHERE id = 3" >/dev/null
rel="relid = 'hub.projects'::regclass"

check "agent a reads 2 projects of 4" "$(as sr_stats_agent_a 'SELECT count(*) FROM hub.projects')" 2
check "agent a: pg_stat_user_tables counts 4 live rows, 69382's restricted ones included" \
      "$(as sr_stats_agent_a "SELECT n_live_tup FROM pg_stat_user_tables WHERE $rel")" 4
check "agent a: and 4 inserts, 1 update (agent b's, of a row a cannot read)" \
      "$(as sr_stats_agent_a "SELECT n_tup_ins || ',' || n_tup_upd FROM pg_stat_user_tables WHERE $rel")" 4,1
check "reader: pg_stat_get_live_tuples gives 4" \
      "$(as sr_stats_reader "SELECT pg_stat_get_live_tuples('hub.projects'::regclass)")" 4
check "agent a: pg_class.reltuples gives 4 (not withheld by the revokes)" \
      "$(as sr_stats_agent_a "SELECT reltuples::int FROM pg_class WHERE oid = 'hub.projects'::regclass")" 4
# pg_stats leaves out the tables whose row-level security applies to the caller
check "agent a: pg_stats shows nothing of a hub table under territory security" \
      "$(as sr_stats_agent_a "SELECT count(*) FROM pg_stats WHERE schemaname = 'hub' AND tablename = 'projects'")" 0
check "reader: nor to a reader" \
      "$(as sr_stats_reader "SELECT count(*) FROM pg_stats WHERE schemaname = 'hub' AND tablename = 'projects'")" 0
# and there are none to filter: projects has restricted rows by default, so grant_roles set its
# columns' statistics target to 0 and the ANALYZE above kept nothing of the holders (docs/governance.md,
# "Planner statistics of protected rows"; before that rule the owner read them here)
check "the owner's ANALYZE kept no statistics of the holders (a protected table's target is 0)" \
      "$(q -d "$DB" -c "SELECT count(*) FROM pg_stats WHERE schemaname = 'hub' AND tablename = 'projects' AND attname = 'holder'")" 0

# what grant_roles cannot withhold or brings back (docs/governance.md, "Planner statistics of
# protected rows"), in committed transactions of their own: a partial index's row count is
# that of its predicate over every territory -- 69381's open request and 69382's restricted
# one (tl_request_one_open, WHERE status = 'open'), not 69382's withdrawn one
q -d "$DB" -c "INSERT INTO hub.tl_request (project_id, visibility) VALUES (1, 'public'), (3, 'restricted'), (4, 'restricted')" \
             -c "UPDATE hub.tl_request SET status = 'withdrawn' WHERE project_id = 4" >/dev/null
q -d "$DB" -c 'ANALYZE hub.tl_request'
check "agent a reads 1 request of 3" "$(as sr_stats_agent_a 'SELECT count(*) FROM hub.tl_request')" 1
check "agent a: the partial index tl_request_one_open's reltuples counts both territories' open requests" \
      "$(as sr_stats_agent_a "SELECT reltuples::int FROM pg_class WHERE oid = 'hub.tl_request_one_open'::regclass")" 2
# an index on an expression made after grant_roles: ANALYZE gathers its statistics (the
# index's own target), until grant_roles runs again; then an ANALYZE of a later transaction
# gathers none (its target is 0; PostgreSQL reads it from the next transaction on)
idx="starelid = 'hub.projects_name_lower'::regclass"
q -d "$DB" -c 'CREATE INDEX projects_name_lower ON hub.projects (lower(name))' -c 'ANALYZE hub.projects'
check "an index expression made after grant_roles has statistics after ANALYZE" \
      "$(q -d "$DB" -c "SELECT count(*) FROM pg_statistic WHERE $idx")" 1
q -d "$DB" -c 'SET client_min_messages = warning' -c "SELECT count(*) FROM smartregion.grant_roles('hub')" >/dev/null
check "a superuser's grant_roles again: target 0, statistics deleted" \
      "$(q -d "$DB" -c "SELECT attstattarget || ',' || (SELECT count(*) FROM pg_statistic WHERE $idx) FROM pg_attribute
                         WHERE attrelid = 'hub.projects_name_lower'::regclass AND attnum = 1")" 0,0
q -d "$DB" -c 'ANALYZE hub.projects'
check "ANALYZE in a later session: none" "$(q -d "$DB" -c "SELECT count(*) FROM pg_statistic WHERE $idx")" 0

# the documented revokes, as a superuser
q -d "$DB" -f scripts/revoke-table-stats.sql >/dev/null
check "agent a: pg_stat_user_tables refused" "$(as sr_stats_agent_a "SELECT n_live_tup FROM pg_stat_user_tables WHERE $rel")" 42501
check "agent a: pg_stat_all_tables refused" "$(as sr_stats_agent_a "SELECT n_live_tup FROM pg_stat_all_tables WHERE $rel")" 42501
check "reader: pg_statio_user_tables refused" "$(as sr_stats_reader "SELECT heap_blks_read FROM pg_statio_user_tables WHERE $rel")" 42501
check "reader: pg_stat_user_indexes refused" "$(as sr_stats_reader "SELECT idx_scan FROM pg_stat_user_indexes WHERE $rel")" 42501
check "reader: pg_stat_get_tuples_inserted refused" \
      "$(as sr_stats_reader "SELECT pg_stat_get_tuples_inserted('hub.projects'::regclass)")" 42501
# every per-relation counter function, listed by name independently of the script's rule
# (pg_stat_get_*(oid) but those of a database, a backend, a function, a subscription and the
# caller's own transaction), is refused to the agents' and the readers' groups
check "no per-relation counter function is executable by an agent or a reader" \
      "$(q -d "$DB" -c "SELECT count(*) FROM pg_proc p CROSS JOIN (VALUES ('sr_stats_agent_a'), ('sr_stats_reader')) r(role)
                         WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname LIKE 'pg\_stat\_get\_%'
                           AND p.pronargs = 1 AND p.proargtypes[0] = 'oid'::regtype
                           AND p.proname !~ '^pg_stat_get_(db_|backend_|function_|subscription|xact_)'
                           AND has_function_privilege(r.role, p.oid, 'EXECUTE')")" 0
check "a monitoring role (pg_monitor) still reads them" \
      "$(as sr_stats_monitor "SELECT n_live_tup FROM pg_stat_user_tables WHERE schemaname = 'hub' AND relname = 'projects'")" 4
check "agent a: the xact views (its own transaction's counts) are left" \
      "$(as sr_stats_agent_a "SELECT n_tup_ins FROM pg_stat_xact_user_tables WHERE $rel")" 0

# pg_stat_statements, when preloaded: other roles' statements without their text, with
# their number of calls and rows
if [[ $(q -d "$DB" -c "SELECT 'pg_stat_statements' = ANY (regexp_split_to_array(current_setting('shared_preload_libraries'), '\s*,\s*'))") == t ]]; then
    q -d "$DB" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' >/dev/null
    as sr_stats_agent_b "SELECT id FROM hub.projects WHERE visibility = 'restricted' /* sr_stats_probe */" >/dev/null
    check "agent a: pg_stat_statements hides agent b's query text" \
          "$(as sr_stats_agent_a "SELECT count(*) FROM pg_stat_statements WHERE query LIKE '%sr_stats_probe%'")" 0
    check "agent a: it reads agent b's statements' calls and rows (b read its 2 restricted rows)" \
          "$(as sr_stats_agent_a "SELECT rows FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
                                   WHERE r.rolname = 'sr_stats_agent_b' AND query = '<insufficient privilege>' AND rows = 2 LIMIT 1")" 2
    q -d "$DB" -f scripts/revoke-table-stats.sql >/dev/null
    check "agent a: pg_stat_statements refused after the script is run again" \
          "$(as sr_stats_agent_a "SELECT count(*) FROM pg_stat_statements")" 42501
    check "a monitoring role (pg_monitor) still reads agent b's statement" \
          "$(as sr_stats_monitor "SELECT count(*) FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
                                  WHERE r.rolname = 'sr_stats_agent_b' AND s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                                    AND query LIKE 'SELECT id FROM hub.projects%sr_stats_probe%'")" 1
else
    n=$((n + 1)); echo "ok $n # skip pg_stat_statements is not preloaded"
fi
cleanup
