#!/usr/bin/env bash
# smartregion on a real PostgreSQL 17: built, installed and tested inside a Debian 13
# (trixie) root made with debootstrap, outside the work tree (Debian 12 has no PostgreSQL
# 16 or 17 package, and Debian 13's binaries need its newer C library: a chroot has both).
# As root.  `make test-pg17`; not part of `make test` nor of .ci/run (the first run downloads
# and installs a Debian system, ~650 MB, 10-20 minutes; later runs about 30 minutes or more,
# the tests).
#   1. the root (SR_PG17_ROOT, default /opt/pg17root): debootstrap --variant=minbase
#      trixie, then apt-get install postgresql-17 and its PostGIS, pgTAP, pgaudit, the
#      server headers and the build tools (scripts/deps.sh's list, for 17).  Made once;
#      a marker file says it is complete.
#   2. the work tree's files (git ls-files: tracked and untracked, not ignored; no build
#      output of the host's PostgreSQL 15 build) copied to /build/smartregion in the root,
#      modification times kept, so a second run rebuilds what changed only.
#   3. make, make install (PG_CONFIG of 17), in the root.
#   4. a cluster of its own in the root (/var/lib/postgresql/sr17, run as postgres, port
#      SR_PG17_PORT or 54431, sockets /var/run/sr17 and the copy's .tmp/run inside the root
#      only, log the copy's .tmp/postgres.log), the settings of scripts/cluster.sh.
#   5. pg_regress and pg_isolation_regress (make installcheck), each pgTAP file in a fresh
#      smartregion_tap, and the C unit tests (scripts/unit.sh) against Debian 13's GEOS
#      and PROJ; then (5d) more of make test's scripts, run unchanged inside the root (their
#      `scripts/cluster.sh env` finds this cluster): the docs' SQL examples
#      (scripts/docs-test.sh, one line per page), the pictures' scripts, dump and restore,
#      pg_upgrade 17 to 17, the CNIG files, the catalogue, audit and statistics tests
#      (python3, rdflib and node installed in the root; npm's downloads made on the host).
#   6. the cluster stopped (SR_PG17_KEEP=1 keeps it), /proc of the root unmounted.
# Prints TAP-ish lines (one per pg_regress test, spec, pgTAP file and unit test program)
# and "pg17: N passed, N failed"; regression.diffs copied to .tmp/pg17-regression.diffs.
# Only a PostGIS 3.5 / PostgreSQL 17 difference of output expected here is listed in
# docs/development.md#postgresql-17; every other failure is a finding.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
R=${SR_PG17_ROOT:-/opt/pg17root}
PORT=${SR_PG17_PORT:-54431}
MIRROR=${SR_PG17_MIRROR:-http://deb.debian.org/debian}
B=/build/smartregion          # the copy, inside the root
PG=/usr/lib/postgresql/17/bin
DATA=/var/lib/postgresql/sr17
SOCK=/var/run/sr17
PKGS=(postgresql-17 postgresql-17-postgis-3 postgresql-17-pgtap postgresql-17-pgaudit
      postgresql-server-dev-17 gcc make pkg-config libgeos-dev libproj-dev libxml2-dev
      libxml2-utils libc6-dev)
# the tools of the scripts of step 5d (docs_examples.py, check_dcat.py, tableschema's node,
# pg-upgrade-test.sh's runuser: util-linux is not in trixie's minbase)
PKGS_MORE=(python3 python3-rdflib nodejs util-linux)
pass=0; fail=0; n=0
ok()    { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $*"; }
notok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
finish() {
    echo "pg17: $pass passed, $fail failed"
    [[ $fail -eq 0 ]]; exit
}
# a command inside the root (as root, or as postgres with `in_root_pg`)
in_root()    { chroot "$R" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=/root "$@"; }
in_root_pg() { chroot --userspec=postgres:postgres "$R" /usr/bin/env -i PATH=/usr/bin:/bin LANG=C.UTF-8 \
                   HOME=/var/lib/postgresql PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres "$@"; }
in_root_sh() { in_root /bin/bash -c "cd $B && export PGHOST=$SOCK PGPORT=$PORT PGUSER=postgres && $1"; }

if [[ $(id -u) -ne 0 ]]; then
    echo "not ok 1 - scripts/pg17-test.sh runs as root (debootstrap, chroot)"; fail=1; finish
fi

# 1. the Debian 13 root
if [[ ! -f $R/.smartregion-pg17-ready ]]; then
    command -v debootstrap >/dev/null ||
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null 2>&1
    mkdir -p "$R" "$ROOT/.tmp"
    if [[ ! -x $R/usr/bin/apt-get ]] &&
       ! nice -n 10 debootstrap --variant=minbase trixie "$R" "$MIRROR" > "$ROOT/.tmp/pg17-debootstrap.log" 2>&1; then
        notok "Debian 13 root made with debootstrap in $R (log: .tmp/pg17-debootstrap.log)"; finish
    fi
    rm -f "$ROOT/.tmp/pg17-debootstrap.log"
    cp /etc/resolv.conf "$R/etc/resolv.conf"
    if ! in_root /bin/bash -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
            nice -n 10 apt-get install -y -qq --no-install-recommends ${PKGS[*]}" > /tmp/smartregion-pg17-apt.log 2>&1; then
        notok "PostgreSQL 17 packages installed in $R (log: /tmp/smartregion-pg17-apt.log)"; finish
    fi
    touch "$R/.smartregion-pg17-ready"
fi
# (a second marker: roots made before step 5d get its tools too)
if [[ ! -f $R/.smartregion-pg17-more ]]; then
    cp /etc/resolv.conf "$R/etc/resolv.conf"
    if ! in_root /bin/bash -c "export DEBIAN_FRONTEND=noninteractive; apt-get update -qq &&
            nice -n 10 apt-get install -y -qq --no-install-recommends ${PKGS_MORE[*]}" > /tmp/smartregion-pg17-apt.log 2>&1; then
        notok "python3, rdflib and node installed in $R (log: /tmp/smartregion-pg17-apt.log)"; finish
    fi
    touch "$R/.smartregion-pg17-more"
fi
mountpoint -q "$R/proc" || mount -t proc proc "$R/proc"
trap 'mountpoint -q "$R/proc" && umount "$R/proc"' EXIT
ver=$(in_root $PG/postgres --version)
postgis=$(in_root dpkg-query -W -f='${Version}' postgresql-17-postgis-3)
ok "Debian 13 root $R: $ver, PostGIS $postgis"

# 2. the work tree copied (files gone from the work tree since the last copy removed)
mkdir -p "$R$B"
git ls-files -co --exclude-standard | sort > "$R$B.files.new"
tar -cf - -T "$R$B.files.new" | tar -xpf - -C "$R$B"
if [[ -f $R$B.files ]]; then
    comm -23 "$R$B.files" "$R$B.files.new" | while read -r f; do rm -f "$R$B/$f"; done
fi
mv "$R$B.files.new" "$R$B.files"

# 3. build and install
if in_root_sh "nice -n 10 make -s -j2 PG_CONFIG=$PG/pg_config > /tmp/build.log 2>&1 &&
               make -s PG_CONFIG=$PG/pg_config install >> /tmp/build.log 2>&1"; then
    ok "make, make install against PostgreSQL 17"
else
    notok "make, make install against PostgreSQL 17"; grep -E 'error|Error' "$R/tmp/build.log" | head -20 | sed 's/^/    /'
    finish
fi

# 4. the cluster
if [[ ! -f $R$DATA/PG_VERSION ]]; then
    rm -rf "${R:?}$DATA"   # (a half-made one)
    in_root install -d -o postgres -g postgres "$DATA"
    if ! in_root_pg $PG/initdb -D "$DATA" -U postgres --auth-local=trust -E UTF8 --locale=C >/dev/null; then
        notok "PostgreSQL 17 cluster made in the root (initdb $DATA)"; finish
    fi
    cat >> "$R$DATA/postgresql.conf" <<CONF
listen_addresses = ''
port = $PORT
unix_socket_directories = '$SOCK,$B/.tmp/run'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 128MB
work_mem = 64MB
max_parallel_workers_per_gather = 2
lc_messages = 'C'
timezone = 'UTC'
shared_preload_libraries = 'pgaudit'
log_line_prefix = '%m [%p] %q%u@%d '
CONF
fi
# a second socket in the copy's .tmp/run and the log in its .tmp/postgres.log: where
# scripts/cluster.sh env (with SR_PGPORT) and the audit test look, so the scripts of step 5d
# run unchanged inside the root against this cluster (clusters made before: the line replaced)
sed -i "s|^unix_socket_directories = .*|unix_socket_directories = '$SOCK,$B/.tmp/run'|" "$R$DATA/postgresql.conf"
in_root install -d -o postgres -g postgres -m 0700 "$SOCK" "$B/.tmp/run"
in_root chown postgres:postgres "$B/.tmp"
if in_root_pg $PG/pg_ctl -D "$DATA" status >/dev/null 2>&1 && [[ ! -S $R$B/.tmp/run/.s.PGSQL.$PORT ]]; then
    in_root_pg $PG/pg_ctl -D "$DATA" -m fast -w stop >/dev/null
fi
if ! in_root_pg $PG/pg_ctl -D "$DATA" status >/dev/null 2>&1 &&
   ! in_root_pg $PG/pg_ctl -D "$DATA" -l "$B/.tmp/postgres.log" -w start >/dev/null; then
    notok "PostgreSQL 17 cluster started in the root (port $PORT)"; tail -5 "$R$B/.tmp/postgres.log"; finish
fi
[[ -z ${SR_PG17_KEEP:-} ]] && trap 'in_root_pg $PG/pg_ctl -D "$DATA" -m fast -w stop >/dev/null; mountpoint -q "$R/proc" && umount "$R/proc"' EXIT
ok "PostgreSQL 17 cluster running in the root (port $PORT, socket $R$SOCK)"

# 5a. pg_regress and isolation: one line per test
# (two runs: PGXS's installcheck skips the isolation tests once pg_regress has failed)
in_root_sh "rm -rf results output_iso regression.diffs regression.out; dropdb --if-exists contrib_regression"
for kind in pg_regress isolation; do
    if [[ $kind == pg_regress ]]; then args='ISOLATION='; else args='REGRESS='; fi
    in_root_sh "make -s PG_CONFIG=$PG/pg_config installcheck $args > /tmp/installcheck-$kind.log 2>&1"
    rc=$?
    log="$R/tmp/installcheck-$kind.log"
    while read -r line; do
        # PostgreSQL 17's pg_regress: "ok 12         - name   345 ms" / "not ok 13     - name ..."
        if [[ $line =~ ^(not\ )?ok\ [0-9]+\ +[-+]\ +([A-Za-z0-9_]+) ]]; then
            if [[ -z ${BASH_REMATCH[1]} ]]; then ok "$kind ${BASH_REMATCH[2]}"; else notok "$kind ${BASH_REMATCH[2]}"; fi
        fi
    done < "$log"
    if [[ $rc -ne 0 ]] && ! grep -q '^not ok' "$log"; then notok "make installcheck $args (exit $rc)"; tail -20 "$log"; fi
done
mkdir -p .tmp
cat "$R$B/regression.diffs" "$R$B/output_iso/regression.diffs" > .tmp/pg17-regression.diffs 2>/dev/null

# 5b. pgTAP, every file in a fresh database (as make test: one database, in name order)
in_root_pg $PG/psql -X -q -d postgres -c 'DROP DATABASE IF EXISTS smartregion_tap' -c 'CREATE DATABASE smartregion_tap' >/dev/null 2>&1
if in_root_pg $PG/psql -X -q -v ON_ERROR_STOP=1 -d smartregion_tap -c 'SET client_min_messages = warning' \
       -c 'CREATE EXTENSION pgtap' -c 'CREATE EXTENSION smartregion CASCADE' >/dev/null; then
    for t in extension/tests/pgtap/*.sql; do
        name=$(basename "$t" .sql)
        out=$(in_root_sh "psql -X -At -v ON_ERROR_STOP=1 -d smartregion_tap -f $t" 2>&1); prc=$?
        p=$(grep -cE '^ok [0-9]+' <<< "$out"); f=$(grep -cE '^not ok [0-9]+' <<< "$out")
        s=$(grep -cE '^ok [0-9]+ .*# ?SKIP' <<< "$out")
        if grep -q 'Looks like you planned' <<< "$out" || [[ $prc -ne 0 ]]; then f=$((f + 1)); fi
        if [[ $f -eq 0 ]]; then
            if [[ $s -gt 0 ]]; then ok "pgTAP $name ($p assertions, $s skipped)"; else ok "pgTAP $name ($p assertions)"; fi
        else
            notok "pgTAP $name ($p passed, $f failed)"
            grep -E -A3 '^not ok|Looks like|ERROR|psql:' <<< "$out" | head -12 | sed 's/^/    /'
        fi
    done
else
    notok "pgTAP database smartregion_tap (CREATE EXTENSION pgtap, smartregion)"
fi

# 5c. the C unit tests of the core, with Debian 13's gcc, GEOS and PROJ
out=$(in_root_sh "nice -n 10 scripts/unit.sh" 2>&1)
while read -r line; do
    if [[ $line =~ ^#\ (.+):\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        if [[ ${BASH_REMATCH[3]} -eq 0 ]]; then ok "unit ${BASH_REMATCH[1]} (${BASH_REMATCH[2]})"
        else notok "unit ${BASH_REMATCH[1]} (${BASH_REMATCH[2]} passed, ${BASH_REMATCH[3]} failed)"; fi
    elif [[ $line =~ ^not\ ok ]]; then
        echo "    $line"
    fi
done <<< "$out"
grep -q '^unit: ' <<< "$out" || { notok "scripts/unit.sh in the root"; tail -5 <<< "$out"; }

# 5d. more of make test, inside the root against its cluster with the root's clients (psql and
# pg_dump 17, python3, rdflib, node): the docs' SQL examples on a fresh demo database
# (scripts/docs-test.sh, one line per page) and the pictures' scripts on it, dump and restore,
# pg_upgrade (17 to 17), the CNIG exchange files, the catalogue, audit and statistics tests.
# What they fetch with npm is fetched on the host (the territories, tableschema) and copied in.
# Each script's whole output: .tmp/pg17-<script>.log.
in_root_tree() { in_root /bin/bash -c "cd $B && export SR_PGPORT=$PORT PG_CONFIG=$PG/pg_config PATH=$PG:\$PATH:/usr/sbin &&
                                       eval \"\$(scripts/cluster.sh env)\" && $1"; }
if scripts/fetch-territories.sh >/dev/null 2>&1 &&
   { [[ -d tests/cnig/node_modules/tableschema && ! tests/cnig/package-lock.json -nt tests/cnig/node_modules/.package-lock.json ]] ||
     (cd tests/cnig && npm ci --silent --no-audit --no-fund >/dev/null 2>&1); }; then
    tar -cf - .tmp/npm tests/cnig/node_modules | tar -xpf - -C "$R$B"
else
    notok "the territories (scripts/fetch-territories.sh) and tableschema (npm ci in tests/cnig) fetched on the host"
fi
# a script's ok/not ok lines (any numbering) as one line, its failures below it
run_script() {  # name, command line
    local out rc p f
    out=$(in_root_tree "nice -n 10 $2" 2>&1); rc=$?
    printf '%s\n' "$out" > ".tmp/pg17-$1.log"
    p=$(grep -cE '^ok( |$)' <<< "$out"); f=$(grep -cE '^not ok' <<< "$out")
    if [[ $rc -eq 0 && $f -eq 0 && $p -gt 0 ]]; then
        ok "$1 ($p checks)"
    else
        notok "$1 ($p passed, $f failed, exit $rc)"
        { grep -E -A4 '^not ok' <<< "$out" || tail -5 <<< "$out"; } | head -20 | sed 's/^/    /'
    fi
}
out=$(in_root_tree "nice -n 10 scripts/docs-test.sh" 2>&1); drc=$?
printf '%s\n' "$out" > .tmp/pg17-docs-test.log
grep -E '^# demo database' <<< "$out"
while read -r line; do
    if [[ $line =~ ^(not\ )?ok\ -\ docs\ harness\ self-test ]]; then
        if [[ -z ${BASH_REMATCH[1]} ]]; then ok "docs harness self-test"; else notok "docs harness self-test"; fi
    elif [[ $line =~ ^#\ ([^:]+\.md):\ ([0-9]+)\ blocks,\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
        if [[ ${BASH_REMATCH[4]} -eq 0 ]]; then ok "docs ${BASH_REMATCH[1]} (${BASH_REMATCH[3]} blocks)"
        else notok "docs ${BASH_REMATCH[1]} (${BASH_REMATCH[3]} passed, ${BASH_REMATCH[4]} failed)"; fi
    fi
done <<< "$out"
grep -E -A4 '^not ok' <<< "$out" | head -60 | sed 's/^/    /'
grep -qE '^docs: [0-9]+ passed' <<< "$out" || { notok "scripts/docs-test.sh in the root (exit $drc)"; tail -5 <<< "$out" | sed 's/^/    /'; }
run_script pictures-test scripts/pictures-test.sh
run_script dump-restore-test scripts/dump-restore-test.sh
run_script pg-upgrade-test scripts/pg-upgrade-test.sh
run_script cnig-test scripts/cnig-test.sh
run_script dcat-test scripts/dcat-test.sh
run_script audit-test scripts/audit-test.sh
run_script table-stats-test scripts/table-stats-test.sh
finish
