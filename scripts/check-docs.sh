#!/usr/bin/env bash
# Every public SQL function, aggregate and type of the install scripts is named in docs/.
# (Internal helpers start with an underscore and are exempt.)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
missing=$(grep -hoiE 'CREATE( OR REPLACE)? (FUNCTION|AGGREGATE|PROCEDURE|TYPE) +@extschema@\.[a-z_0-9]+' extension/sql/install/*.sql \
    | sed -E 's/.*\.//' | grep -v '^_' | sort -u | while read -r f; do grep -rqw "$f" docs || echo "$f"; done)
if [[ -n "$missing" ]]; then
    echo "not ok - SQL objects with no mention in docs/:"; echo "$missing" | sed 's/^/  /'; exit 1
fi
echo "ok - every public SQL object is documented in docs/"
