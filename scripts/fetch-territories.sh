#!/usr/bin/env bash
# Install the French territories reference data from the npm package
# @etalab/decoupage-administratif (data under Licence Ouverte) by name, pinned,
# into .tmp/npm/package/data/{communes,epci,departements,regions}.json.
# Prints the directory holding the four files.  Idempotent.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=${DECOUPAGE_VERSION:-6.0.0}
DEST="$ROOT/.tmp/npm"
if [[ ! -s "$DEST/package/data/communes.json" || ! -f "$DEST/.version-$VERSION" ]]; then
    command -v npm >/dev/null || { echo "npm is needed: apt-get install -y npm" >&2; exit 1; }
    rm -rf "$DEST"; mkdir -p "$DEST"
    (cd "$DEST" && npm pack --silent "@etalab/decoupage-administratif@$VERSION" >/dev/null 2>&1 \
        && tar xzf etalab-decoupage-administratif-"$VERSION".tgz && touch ".version-$VERSION")
fi
for f in communes epci departements regions; do
    [[ -s "$DEST/package/data/$f.json" ]] || { echo "missing $f.json in the npm package" >&2; exit 1; }
done
echo "$DEST/package/data"
