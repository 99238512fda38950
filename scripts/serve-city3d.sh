#!/usr/bin/env bash
# The 3D city's files as `make serve` writes them (scripts/serve.sh), and as
# web/tests/exposure.test.mjs checks them: scripts/city3d-export.sh DB OUTDIR as the role the
# tiles are read as, so that the files, served to anyone under /city3d/data/, hold what that
# role may read and never a territory's restricted buildings (docs/web.md, "Facing the internet").
# usage (cluster running, its environment set): scripts/serve-city3d.sh DB OUTDIR
# SR_CITY3D_ROLE: that role (default demo_reader, which make demo makes). When it is the default
# and does not exist (make serve before make demo), nothing is written and a note says so (the
# tiles are read as demo_reader too, so nothing would be served; writing the files as the
# superuser would put every row, restricted ones included, in public files); a role named in
# SR_CITY3D_ROLE that does not exist is an error, said before anything is written. (Before 2026-12-07's second round these lines were in
# serve.sh, which no test ran: it looked for demo_reader whatever SR_CITY3D_ROLE named, and
# when demo_reader was missing its note said every row would be written while the export read
# SR_CITY3D_ROLE from the environment all the same.)
set -euo pipefail
DB=$1
OUT=$2
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
ROLE=${SR_CITY3D_ROLE:-demo_reader}
# (the name as a psql variable, quoted by psql: read from stdin, -c does not interpolate)
if [[ -n $(psql -X -At -d postgres -v role="$ROLE" <<< "SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = :'role'") ]]; then
    SR_CITY3D_ROLE=$ROLE scripts/city3d-export.sh "$DB" "$OUT"
elif [[ -n ${SR_CITY3D_ROLE:-} ]]; then
    echo "serve-city3d: no role \"$ROLE\" (SR_CITY3D_ROLE): the 3D city's files are not written" >&2
    exit 1
else
    echo "note: no role demo_reader (make demo makes it): the 3D city's files are not written" >&2
fi
