#!/usr/bin/env bash
# A private copy of the machine's PostgreSQL 15 installation, for a work tree
# that must not overwrite the shared one (make install writes smartregion.so and
# its SQL into PG_CONFIG's directories, which every cluster of the machine
# reads): the server, its headers and its extensions (PostGIS, pgcrypto,
# pgTAP, pgaudit) copied under DIR, where PostgreSQL finds them relative to its
# own binaries.  Prints the PG_CONFIG to export; then make, make install,
# make test and scripts/cluster.sh use the copy (with an SR_PGPORT of its own).
#   eval "$(scripts/private-pg.sh /opt/pgpriv/mine)"; export SR_PGPORT=54371
set -euo pipefail
dest=${1:?usage: scripts/private-pg.sh DIR}
src=$(/usr/lib/postgresql/15/bin/pg_config --bindir)/..
if [[ ! -x $dest/usr/lib/postgresql/15/bin/pg_config ]]; then
    mkdir -p "$dest/usr/lib/postgresql" "$dest/usr/share/postgresql" "$dest/usr/include"
    cp -a "$(cd "$src" && pwd)" "$dest/usr/lib/postgresql/"
    cp -a /usr/share/postgresql/15 "$dest/usr/share/postgresql/"
    cp -a /usr/include/postgresql "$dest/usr/include/"
fi
echo "export PG_CONFIG=$dest/usr/lib/postgresql/15/bin/pg_config"
