#!/usr/bin/env bash
# The CNIG "Sites économiques" exchange files of the demo, checked as the
# national portal would (called by scripts/test.sh, inside its cluster and
# install lock; needs the cluster environment of scripts/cluster.sh env):
#   1. scripts/demo-zones.sql writes .tmp/cnig/{pole_eco,site_eco,terrain_eco,etablissement}.csv
#   2. each is validated with frictionless tableschema (npm, pinned in
#      tests/cnig/package-lock.json, installed into tests/cnig/node_modules)
#      against the standard's schema in data/cnig/: every constraint, the
#      field-level value lists and the header;
#   2b. the value lists of the core (_cnig_values) equal the schema files';
#   3. two broken copies (a value off the standard's list, an empty required
#      cell) must be rejected: the validator sees what it must;
#   4. round trip: site_eco.csv read back with COPY gives the surfaces and
#      counts of zone_indicators (tests/cnig/roundtrip.sql).
# Ends with "cnig: N passed, N failed".
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
pass=0; fail=0
ok() { echo "ok - $1"; pass=$((pass + 1)); }
nok() { echo "not ok - $1"; fail=$((fail + 1)); }
DB=smartregion_cnig

if [[ ! -d tests/cnig/node_modules/tableschema ]] || [[ tests/cnig/package-lock.json -nt tests/cnig/node_modules/.package-lock.json ]]; then
    (cd tests/cnig && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) || { nok "npm ci in tests/cnig (tableschema)"; echo "cnig: $pass passed, $fail failed"; exit 1; }
fi

psql -X -q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
rm -f .tmp/cnig/*.csv
if psql -X -q -v ON_ERROR_STOP=1 -d $DB -c 'SET client_min_messages = warning' \
        -c 'CREATE EXTENSION smartregion CASCADE' -c "SELECT smartregion.create_hub('hub')" >/dev/null \
   && psql -X -q -v ON_ERROR_STOP=1 -v root="$ROOT" -d $DB -f scripts/demo-zones.sql >/dev/null 2>.tmp/cnig-demo.err; then
    ok "demo-zones.sql wrote the four CNIG files"
else
    nok "demo-zones.sql wrote the four CNIG files"; cat .tmp/cnig-demo.err 2>/dev/null | head -5
fi

# the core's value lists (extension/core/cnig.c) are the schema files' lists
if python3 - "$DB" <<'PY'
import json, subprocess, sys
bad = []
for c in ['pole-eco', 'site-eco', 'terrain-eco', 'etablissement']:
    for f in json.load(open('data/cnig/%s/schema.json' % c))['fields']:
        want = f.get('enum') or f.get('constraints', {}).get('enum')
        got = subprocess.run(['psql', '-X', '-At', '-d', sys.argv[1], '-c',
                              "SELECT array_to_json(smartregion._cnig_values('%s'))" % f['name']],
                             capture_output=True, text=True).stdout.strip()
        got = json.loads(got) if got else None
        if got != want:
            bad.append('%s: %s != %s' % (f['name'], got, want))
for b in bad:
    print('    ' + b)
sys.exit(1 if bad else 0)
PY
then ok "the core's value lists are the enum lists of data/cnig/*/schema.json"
else nok "the core's value lists are the enum lists of data/cnig/*/schema.json"; fi

args=()
for c in pole_eco site_eco terrain_eco etablissement; do args+=("data/cnig/${c/_/-}/schema.json" ".tmp/cnig/$c.csv"); done
out=$(node tests/cnig/validate.js "${args[@]}" 2>&1)
echo "$out" | cut -c1-400
p=$(grep -c '^ok ' <<< "$out"); f=$(grep -c '^not ok ' <<< "$out")
pass=$((pass + p)); fail=$((fail + f)); [[ $((p + f)) -eq 4 ]] || nok "tableschema checked the four files"

# the validator must reject what the standard rejects
mkdir -p .tmp/cnig/broken
sed "2s/;zone d'activité économique;/;Zone d'activité économique;/" .tmp/cnig/site_eco.csv > .tmp/cnig/broken/site_eco_value.csv
awk -F';' 'BEGIN { OFS = ";" } NR == 2 { $3 = "" } { print }' .tmp/cnig/site_eco.csv > .tmp/cnig/broken/site_eco_required.csv
for b in value required; do
    if node tests/cnig/validate.js data/cnig/site-eco/schema.json .tmp/cnig/broken/site_eco_$b.csv >/dev/null 2>&1; then
        nok "tableschema rejects a site_eco file with a broken $b"
    else
        ok "tableschema rejects a site_eco file with a broken $b"
    fi
done

out=$(psql -X -q -At -v ON_ERROR_STOP=1 -v root="$ROOT" -d $DB -f tests/cnig/roundtrip.sql 2>&1)
echo "$out"
p=$(grep -c '^ok ' <<< "$out"); f=$(grep -c '^not ok ' <<< "$out")
pass=$((pass + p)); fail=$((fail + f)); [[ $p -eq 2 ]] || nok "round trip ran its two checks"

psql -X -q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $DB" >/dev/null
echo "cnig: $pass passed, $fail failed"
[[ $fail -eq 0 ]]
