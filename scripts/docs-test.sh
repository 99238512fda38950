#!/usr/bin/env bash
# The documentation's SQL examples, run by `make test` (docs/development.md, "Examples that
# run"): build a fresh demo database (scripts/demo-db.sh, the database `make demo` builds,
# named smartregion_docs), check the harness against its self-test page, then run every
# ```sql block of README.md and docs/*.md, page by page, each page in a transaction rolled
# back at its end (scripts/docs_examples.py).  Needs the cluster running and the extension
# installed (scripts/test.sh does both).  Prints TAP lines and ends with
# "docs: N passed, N failed (...)".
#   SR_DOCS_REUSE=1 scripts/docs-test.sh [page.md ...]   reuse the database if it exists
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=${SR_DOCS_DB:-smartregion_docs}
eval "$(scripts/cluster.sh env)"
mkdir -p .tmp
if [[ -n ${SR_DOCS_REUSE:-} ]] && psql -X -q -d "$DB" -c 'SELECT 1' >/dev/null 2>&1; then
    echo "# reusing the database $DB"
else
    t0=$(date +%s)
    if ! scripts/demo-db.sh "$DB" > .tmp/docs-demo.log 2>&1; then
        echo "not ok - the demo database $DB could not be built (.tmp/docs-demo.log):"
        grep -E 'ERROR|error' .tmp/docs-demo.log | head -5 | sed 's/^/    /'
        tail -5 .tmp/docs-demo.log | sed 's/^/    /'
        echo "docs: 0 passed, 1 failed (no database)"
        exit 1
    fi
    echo "# demo database $DB built in $(( $(date +%s) - t0 )) s (scripts/demo-db.sh, log .tmp/docs-demo.log)"
fi
rc=0
/usr/bin/python3 scripts/docs_examples.py --selftest --db "$DB" || rc=1
/usr/bin/python3 scripts/docs_examples.py --db "$DB" "$@" || rc=1
exit $rc
