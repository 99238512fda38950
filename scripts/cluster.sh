#!/usr/bin/env bash
# A throwaway PostgreSQL cluster inside the work tree (.tmp/pgdata), for the
# demo and the tests.  Run as the postgres user when invoked as root.
#   scripts/cluster.sh start|stop|status|env
# Port: SR_PGPORT (default 54329).  Socket directory: .tmp/run.
# Local connections are trusted, so the socket is the cluster owner's alone (0700: the
# postgres user, and root): another local account would otherwise connect as any role,
# superuser included.
# TCP: none by default (tests); SR_LISTEN=127.0.0.1 (make demo) also listens
# on that address, with password (SCRAM) authentication for TCP clients
# (QGIS, GDAL, the web map: scripts/demo-reader.sh creates their role).
set -euo pipefail
# Never hand an inherited file descriptor (such as the install lock held by
# make test) to the long-lived postmaster: it would hold the lock forever.
for fd in $(ls /proc/$$/fd); do [[ $fd -gt 2 ]] && eval "exec $fd>&-" 2>/dev/null; done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PORT=${SR_PGPORT:-54329}
LISTEN=${SR_LISTEN:-}
PGBIN=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)
PKGLIB=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)
TMP="$ROOT/.tmp"
DATA="$TMP/pgdata"
SOCK="$TMP/run"

as_owner() {
    if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
start)
    mkdir -p "$TMP" "$SOCK"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres:postgres "$TMP" "$SOCK"
        # the postgres user must be able to reach the work tree
        d="$ROOT"; while [[ "$d" != / ]]; do chmod o+x "$d" 2>/dev/null || true; d=$(dirname "$d"); done
    fi
    if [[ ! -f "$DATA/PG_VERSION" ]]; then
        as_owner "$PGBIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
            -E UTF8 --locale=C >/dev/null
        cat >> "$DATA/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$SOCK'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 512MB
work_mem = 64MB
maintenance_work_mem = 512MB
max_parallel_workers_per_gather = 2
max_worker_processes = 8
max_parallel_workers = 4
lc_messages = 'C'
timezone = 'UTC'
CONF
    fi
    # access audit of personal data (smartregion.configure_audit, docs/security.md):
    # pgaudit is preloaded when installed (Debian postgresql-15-pgaudit), and
    # log lines name the role and database.  Added to existing clusters too.
    audit_added=0
    if [[ -f "$PKGLIB/pgaudit.so" ]] && ! grep -q "^shared_preload_libraries" "$DATA/postgresql.conf"; then
        cat >> "$DATA/postgresql.conf" <<CONF
# smartregion: access audit
shared_preload_libraries = 'pgaudit'
log_line_prefix = '%m [%p] %q%u@%d '
CONF
        audit_added=1
    fi
    # TCP clients authenticate by password (clusters made before this rule trusted them)
    if grep -qE '^host.*trust' "$DATA/pg_hba.conf"; then
        sed -i -E '/^host/s/trust$/scram-sha-256/' "$DATA/pg_hba.conf"
        as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1 && as_owner "$PGBIN/pg_ctl" -D "$DATA" reload >/dev/null
    fi
    if as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        running=$(sed -n 4p "$DATA/postmaster.pid" 2>/dev/null)
        current=$(sed -n 6p "$DATA/postmaster.pid" 2>/dev/null)
        # the demo wants TCP: a socket-only cluster restarts with it (a TCP one keeps it)
        listen=$current; [[ -n $LISTEN ]] && listen=$LISTEN
        if [[ $audit_added -eq 1 || "$listen" != "$current" ]]; then
            as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$TMP/postgres.log" \
                -o "-p $running -c listen_addresses='$listen'" -m fast -w restart >/dev/null
            echo "== cluster restarted on port $running, socket $SOCK${listen:+ and $listen}"
        else
            echo "== cluster already running (port $running)"
        fi
    else
        if ! as_owner "$PGBIN/pg_ctl" -D "$DATA" -l "$TMP/postgres.log" \
                -o "-p $PORT -c listen_addresses='$LISTEN'" -w start >/dev/null; then
            echo "the cluster did not start; the end of $TMP/postgres.log:" >&2
            tail -5 "$TMP/postgres.log" >&2
            exit 1
        fi
        echo "== cluster started on port $PORT, socket $SOCK${LISTEN:+ and $LISTEN}"
    fi
    ;;
stop)
    if [[ -f "$DATA/PG_VERSION" ]] && as_owner "$PGBIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_owner "$PGBIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        echo "== cluster stopped"
    else
        echo "== no cluster running"
    fi
    ;;
status)
    as_owner "$PGBIN/pg_ctl" -D "$DATA" status
    ;;
env)
    # the port actually used by a running cluster
    p=$PORT
    if [[ -f "$DATA/postmaster.pid" ]]; then p=$(sed -n 4p "$DATA/postmaster.pid"); fi
    echo "export PGHOST='$SOCK' PGPORT='$p' PGUSER=postgres"
    ;;
*)
    echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
