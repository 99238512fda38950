#!/usr/bin/env bash
# The wall: nothing under extension/core (nor its headers) includes a PostgreSQL header.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
bad=$(grep -rnE '#[[:space:]]*include[[:space:]]*[<"](postgres|postgres_ext|fmgr|funcapi|miscadmin|pg_config|c\.h|utils/|executor/|catalog/|access/|nodes/|commands/|lib/|storage/|mb/)' \
      "$ROOT/extension/core" "$ROOT/extension/include" 2>/dev/null)
if [[ -n "$bad" ]]; then
    echo "not ok - extension/core must not include PostgreSQL headers:"; echo "$bad"; exit 1
fi
echo "ok - extension/core includes no PostgreSQL header"
