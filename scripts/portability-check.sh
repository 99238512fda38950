#!/usr/bin/env bash
# The glue (extension/pg/*.c) against PostgreSQL 17's server headers: the
# project builds on PostgreSQL 15 (Debian 12) and is kept portable to 16 and
# 17.  Debian 13 (trixie) ships postgresql-server-dev-17; its .deb is
# downloaded from Debian's archive (apt-get download with private lists and
# cache under .tmp/pg17: the machine's apt sources are not touched) and
# unpacked, not installed.  Each glue file is compiled (-fsyntax-only) with
# the Makefile's own flags (warnings are errors) and PostgreSQL 15's
# pg_config --cflags.  Compile only: a PostgreSQL 17 server does not run on
# Debian 12 (Debian 13's binaries need its C library), so make test's SQL
# tests run on 15; scripts/pg17-test.sh (make test-pg17, by hand) runs them
# on a real PostgreSQL 17 in a Debian 13 chroot.  No PostgreSQL 16 packages are in a Debian release (the
# archive went from 15 to 17), so 16 is not checked.
# Prints TAP lines and "portability: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
D=.tmp/pg17
INC=$D/root/usr/include/postgresql/17/server
pass=0; fail=0

if [[ ! -f $INC/postgres.h ]]; then
    mkdir -p "$D/lists/partial" "$D/cache/archives/partial" "$D/deb"
    echo "deb http://deb.debian.org/debian trixie main" > "$D/sources.list"
    APT=(-o "Dir::Etc::sourcelist=$ROOT/$D/sources.list" -o Dir::Etc::sourceparts=-
         -o "Dir::State::Lists=$ROOT/$D/lists" -o "Dir::Cache=$ROOT/$D/cache"
         -o APT::Get::List-Cleanup=0 -o APT::Sandbox::User=root)
    if ! apt-get "${APT[@]}" -qq update >/dev/null 2>&1 ||
       ! (cd "$D/deb" && apt-get "${APT[@]}" -qq download postgresql-server-dev-17 libpq-dev >/dev/null 2>&1); then
        echo "not ok 1 - PostgreSQL 17's headers downloaded from Debian 13 (apt-get download postgresql-server-dev-17 libpq-dev)"
        echo "portability: 0 passed, 1 failed"
        exit 1
    fi
    for f in "$D"/deb/*.deb; do dpkg -x "$f" "$D/root"; done
fi
ver=$(sed -n 's/^#define PG_VERSION_NUM \([0-9]*\).*/\1/p' "$D/root/usr/include/postgresql/pg_config.h")
if [[ ${ver:0:2} == 17 ]]; then
    pass=$((pass + 1)); echo "ok $((pass + fail)) - PostgreSQL 17's server headers ($ver)"
else
    fail=$((fail + 1)); echo "not ok $((pass + fail)) - PostgreSQL 17's server headers (PG_VERSION_NUM '$ver')"
fi

# Debian 13's C library has strlcpy, so its PostgreSQL headers do not
# declare it (port.h, HAVE_DECL_STRLCPY); Debian 12's has not, and a
# PostgreSQL 17 built for it declares it itself: so does this.
cat > "$D/shim.h" <<'EOF'
#include <stddef.h>
extern size_t strlcpy(char *dst, const char *src, size_t siz);
EOF
# the Makefile's flags for the project's files (PG_CPPFLAGS, PG_CFLAGS: -Werror)
flags=$(make --no-print-directory -s print-glue-flags)
pgcflags=$("${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}" --cflags)
for c in extension/pg/*.c; do
    # shellcheck disable=SC2086
    if out=$(gcc -std=gnu11 -fsyntax-only $pgcflags $flags -include "$D/shim.h" \
                 -I"$INC" -I"$D/root/usr/include/postgresql" "$c" 2>&1); then
        pass=$((pass + 1)); echo "ok $((pass + fail)) - $c compiles against PostgreSQL 17 ($ver)"
    else
        fail=$((fail + 1)); echo "not ok $((pass + fail)) - $c compiles against PostgreSQL 17 ($ver)"
        echo "$out" | head -20 | sed 's/^/    /'
    fi
done
echo "portability: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
