#!/usr/bin/env bash
# Every SQL function, aggregate and type of the install scripts is named in docs/ (the
# internal helpers, whose names start with an underscore, in docs/internals.md).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
missing=$(grep -hoiE 'CREATE( OR REPLACE)? (FUNCTION|AGGREGATE|PROCEDURE|TYPE) +@extschema@\.[a-z_0-9]+' extension/sql/install/*.sql \
    | sed -E 's/.*\.//' | sort -u | while read -r f; do grep -rqw "$f" docs || echo "$f"; done)
if [[ -n "$missing" ]]; then
    echo "not ok - SQL objects with no mention in docs/:"; echo "$missing" | sed 's/^/  /'; exit 1
fi
echo "ok - every SQL object is documented in docs/"
# and the reverse: every link of the docs reaches a page and a heading, every
# smartregion.X they name exists (scripts/check-links.py)
if ! faults=$(/usr/bin/python3 scripts/check-links.py); then
    echo "not ok - the docs' links or names point at nothing:"; echo "$faults"; exit 1
fi
echo "ok - every link of the docs reaches its page and heading, every smartregion.X exists"
