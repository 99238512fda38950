#!/usr/bin/env bash
# Catalogue test (issue 14): smartregion.catalog_dcat() of a hub loaded by
# the families' loaders parses as DCAT-AP JSON-LD with rdflib (Debian
# python3-rdflib, /usr/bin/python3) and has the mandatory properties of every
# dataset and distribution (extension/tests/governance/check_dcat.py).
# Needs the cluster environment (PGHOST...).  Prints TAP lines.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
DB=sr_dcat
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
if ! /usr/bin/python3 -c 'import rdflib' 2>/dev/null; then
    echo "not ok - rdflib is not installed (apt-get install python3-rdflib)"; exit 1
fi
q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" || exit 1
q -d "$DB" >/dev/null <<'SQL' || { echo "not ok - could not load the test hub"; exit 1; }
SET client_min_messages = warning;
CREATE EXTENSION smartregion CASCADE;
SELECT count(*) FROM smartregion.create_hub('hub');
SELECT smartregion.catalog_configure('hub', 'Plateforme régionale de données', 'Concentrateur de données publiques et privées de la région',
  'Région Exemple', 'https://www.example-region.fr', 'dpo@example-region.fr', 'https://data.example-region.fr/',
  spatial => 'http://id.insee.fr/geo/region/84', contact_name => 'Délégué à la protection des données');
SELECT smartregion.set_provenance('demo-cadastre.sql', 'data/buildings/buildings_lyon1.geojson.gz');
INSERT INTO hub.buildings (id, geom, height) VALUES (1, ST_Multi(ST_Force3DZ(ST_MakeEnvelope(842000, 6519000, 842010, 6519010, 2154), 12)), 12);
SELECT smartregion.set_provenance('demo-matching.sql', 'data/tierslieux/cget_tiers_lieux_2019.csv');
INSERT INTO hub.premises (id, name, location, available_from) VALUES (1, 'Atelier', ST_SetSRID(ST_MakePoint(4.83, 45.76), 4326), '2024-01-01');
SELECT smartregion.set_provenance('demo-zones.sql', 'data/cadastre/cadastre-91479-parcelles.json.gz');
INSERT INTO hub.zae_establishments (siret, naf, headcount_band, start_date, visibility) VALUES ('55210055400013', '25.62B', '11', '2015-03-01', 'public');
SELECT smartregion.set_provenance('demo-maturity.sql', 'data/arcep/ftthCommunes.csv');
INSERT INTO hub.maturity_value (indicator, territory_type, territory_code, year, value, source)
VALUES ('ftth_coverage', 'commune', '69381', 2022, 80, 'ARCEP'), ('ftth_coverage', 'commune', '69381', 2024, 95, 'ARCEP');
SQL
q -d "$DB" -c "SELECT smartregion.catalog_dcat('hub')" > .tmp/catalog.jsonld
expected=$(q -d "$DB" -c "SELECT count(*) FROM smartregion.hub_table")
/usr/bin/python3 extension/tests/governance/check_dcat.py .tmp/catalog.jsonld "$expected" \
    hub.buildings hub.premises hub.zae_establishments hub.maturity_value; rc=$?
q -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE $DB" >/dev/null
exit $rc
