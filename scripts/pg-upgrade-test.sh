#!/usr/bin/env bash
# A cluster with smartregion installed goes through pg_upgrade, the DBA's way to
# a new major version: two throwaway clusters (.tmp/pgup, ports SR_PGPORT+100 and
# +101, this machine's binaries for both: the upgrade is 15 -> 15 here, which runs
# every check and every step of a major upgrade), `pg_upgrade --check`, then the
# upgrade itself.  Until 2026-12-06 the check refused any such cluster
# (check_for_reg_data_type_usage: match_criterion.function and
# maturity_indicator.plugin were regprocedure columns).  After the upgrade a
# registered criterion and a registered maturity plugin still run, the hub's rows
# and the pseudonym key's pseudonym are the same.  Needs no running cluster.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PGBIN=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir)
BASE=${SR_PGPORT:-54329}
OLDPORT=$((BASE + 100)); NEWPORT=$((BASE + 101))
W="$ROOT/.tmp/pgup"
as_owner() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_all() {
    for d in old new; do
        [[ -f "$W/$d/postmaster.pid" ]] && as_owner "$PGBIN/pg_ctl" -D "$W/$d" -m immediate stop >/dev/null 2>&1 || true
    done
}
trap stop_all EXIT
stop_all; rm -rf "$W"; mkdir -p "$W/run"
[[ $(id -u) -eq 0 ]] && chown -R postgres:postgres "$W"
for d in old new; do
    as_owner "$PGBIN/initdb" -D "$W/$d" -U postgres --auth-local=trust -E UTF8 --locale=C >"$W/initdb-$d.log" 2>&1 \
        || { cat "$W/initdb-$d.log"; exit 1; }
    cat >> "$W/$d/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$W/run'
fsync = off
lc_messages = 'C'
timezone = 'UTC'
CONF
done
q() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$W/run" -U postgres "$@"; }
as_owner "$PGBIN/pg_ctl" -D "$W/old" -o "-p $OLDPORT" -l "$W/old.log" -w start >/dev/null
q -p "$OLDPORT" -d postgres -c 'CREATE DATABASE sr_pgup'
q -p "$OLDPORT" -d sr_pgup >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT count(*) FROM smartregion.create_hub('hub');
INSERT INTO hub.projects (id, holder, territory_code, visibility, team_size) VALUES (1, 'Alice Martin', '91326', 'public', 3);
-- a criterion registered by hand (unqualified, with the writer's search_path) and a plugin
CREATE FUNCTION public.quiet(project jsonb, premise jsonb) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN (premise ->> 'noise_db')::float8 < 45 THEN 1.0 ELSE 0.0 END $$;
SET search_path = public;
INSERT INTO smartregion.match_criterion (name, function) VALUES ('quiet', 'quiet(jsonb, jsonb)');
RESET search_path;
CREATE FUNCTION public.mt_plugin(year int)
RETURNS TABLE (territory_type text, territory_code text, value double precision)
LANGUAGE sql STABLE AS $$ VALUES ('commune', '91326', 40::float8) $$;
SELECT count(*) FROM smartregion.load_territories(
  '[{"code":"91326","nom":"Alpha","departement":"91","region":"11","population":1000}]', '[]',
  '[{"code":"91","nom":"Essonne","region":"11"}]', '[{"code":"11","nom":"Île-de-France"}]');
SELECT smartregion.maturity_copy_framework('default', 'pgup');
SELECT smartregion.maturity_register_plugin('pgup', 'ftth_coverage', 'public.mt_plugin(int)');
SQL
# what must survive: the criterion's score (1: quiet premise; 0: noisy), the registries'
# signatures, the hub's rows, a pseudonym (the key is kept), the plugin's value as the
# scores read it (40 % of FttH coverage for 91326, in the framework's detail)
sig() {
    q -p "$1" -d sr_pgup -c "SELECT smartregion.match_score('{}', '{\"noise_db\": 40}'), smartregion.match_score('{}', '{\"noise_db\": 60}'),
        (SELECT function FROM smartregion.match_criterion), (SELECT plugin FROM smartregion.maturity_indicator
          WHERE framework = 'pgup' AND indicator = 'ftth_coverage'),
        (SELECT count(*) FROM hub.projects), smartregion.pseudonym('Alice Martin', 'hub'),
        (SELECT raw_value FROM smartregion.maturity_score('91326', 'pgup', 2024) WHERE indicator = 'ftth_coverage')"
}
before=$(sig "$OLDPORT")
as_owner "$PGBIN/pg_ctl" -D "$W/old" -w stop >/dev/null
up() { (cd "$W" && as_owner "$PGBIN/pg_upgrade" -b "$PGBIN" -B "$PGBIN" -d "$W/old" -D "$W/new" \
        -p "$OLDPORT" -P "$NEWPORT" -s "$W/run" -U postgres "$@"); }
status=0
if out=$(up --check 2>&1); then
    echo "ok - pg_upgrade --check accepts a cluster with smartregion, a criterion, a maturity plugin and a hub"
else
    echo "not ok - pg_upgrade --check refuses a cluster with smartregion"; sed 's/^/# /' <<< "$out"
    grep -h . "$W"/new/pg_upgrade_output.d/*/*.txt 2>/dev/null | sed 's/^/# /' || true
    exit 1
fi
if out=$(up 2>&1); then
    echo "ok - pg_upgrade upgrades it"
else
    echo "not ok - pg_upgrade failed"; sed 's/^/# /' <<< "$out"; exit 1
fi
as_owner "$PGBIN/pg_ctl" -D "$W/new" -o "-p $NEWPORT" -l "$W/new.log" -w start >/dev/null
after=$(sig "$NEWPORT")
expected_head='1|0|public.quiet(pg_catalog.jsonb,pg_catalog.jsonb)|public.mt_plugin(integer)|1|'
if [[ "$before" == "$after" && "$after" == "$expected_head"*'|40' ]]; then
    echo "ok - after pg_upgrade the criterion and the plugin run, the hub's rows and pseudonyms are the same"
else
    echo "not ok - pg_upgrade changed what smartregion computes"; echo "# before: $before"; echo "# after:  $after"
    status=1
fi
stop_all; trap - EXIT
[[ $status -eq 0 ]] && rm -rf "$W"
exit $status
