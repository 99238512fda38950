#!/usr/bin/env bash
# The lock file of the PostgreSQL installation `make install` writes into (PG_CONFIG's):
# `make test`, `make demo`, `make bench` and `make test-clients` hold it from install to the
# end of their server-side work, so that two work trees sharing an installation each test
# their own build, while work trees with private installations (PG_CONFIG of their own) do
# not wait for each other.
#   scripts/install-lock.sh ci   the CI run's lock of that installation instead: .ci/run
#                                writes its PID there for the whole run, and `make install`
#                                refuses meanwhile (scripts/install-guard.sh)
PGC=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
lib=$("$PGC" --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)
hash=$(printf '%s' "$lib" | md5sum | cut -c1-12)
if [[ ${1:-} == ci ]]; then
    echo "/tmp/smartregion-ci-$hash.pid"
else
    echo "/tmp/smartregion-install-$hash.lock"
fi
