#!/usr/bin/env bash
# The lock file of the PostgreSQL installation `make install` writes into (PG_CONFIG's):
# `make test`, `make demo`, `make bench` and `make test-clients` hold it from install to the
# end of their server-side work, so that two work trees sharing an installation each test
# their own build, while work trees with private installations (PG_CONFIG of their own) do
# not wait for each other.
PGC=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
lib=$("$PGC" --pkglibdir 2>/dev/null || echo /usr/lib/postgresql/15/lib)
echo "/tmp/smartregion-install-$(printf '%s' "$lib" | md5sum | cut -c1-12).lock"
