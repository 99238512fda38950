#!/usr/bin/env bash
# smartregion with PostGIS in a schema of its own (not public): the
# functions find PostGIS by its extension, never through search_path, and a
# query argument read as whole rows (match_candidates' premises with a
# geometry column, converted by PostGIS's cast under smartregion's pinned
# search_path) never calls an operator planted in public.  Needs the test
# cluster running.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
eval "$(scripts/cluster.sh env)"
export PGOPTIONS="-c client_min_messages=warning"
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
q -d postgres -c 'DROP DATABASE IF EXISTS sr_gis_schema' -c 'CREATE DATABASE sr_gis_schema'
out=$(q -d sr_gis_schema <<'SQL'
CREATE SCHEMA gis;
CREATE EXTENSION postgis SCHEMA gis;
CREATE EXTENSION smartregion CASCADE;
-- an operator planted in public, recording its calls
CREATE TABLE public.calls (what text);
CREATE FUNCTION public.cat(text, integer) RETURNS text LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO public.calls VALUES ('||(text,integer)'); RETURN $1 || $2::text; END $$;
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = integer, FUNCTION = public.cat);
SET search_path = public, gis;
CREATE TABLE pm AS SELECT 100 + i AS id, gis.ST_SetSRID(gis.ST_MakePoint(2.3 + i * 0.01, 48.8), 4326) AS geom,
       jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(2.3 + i * 0.01, 48.8)) AS location
  FROM generate_series(1, 20) i;
CREATE TABLE pr AS SELECT i AS id, jsonb_build_object('type', 'Point', 'coordinates', jsonb_build_array(2.31, 48.8)) AS location
  FROM generate_series(1, 3) i;
SELECT 'candidates ' || count(*) FROM smartregion.match_candidates('SELECT * FROM pr', 'SELECT * FROM pm', 5);
-- the geometry bridge finds PostGIS in its schema
SELECT 'area ' || (smartregion.roof_plane(gis.ST_MakeEnvelope(0, 0, 10, 10, 2154))).area_m2;
SELECT 'zones ' || count(*) FROM smartregion.zone_indicators(
  'SELECT 1::bigint AS zone_id, gis.ST_MakeEnvelope(0, 0, 100, 100, 2154) AS geom',
  'SELECT ''P''::text AS parcel_id, gis.ST_MakeEnvelope(0, 0, 50, 50, 2154) AS geom, NULL::text AS land_unit_id', NULL, NULL);
SELECT 'planted calls ' || count(*) FROM public.calls;
SQL
)
q -d postgres -c 'DROP DATABASE sr_gis_schema'
echo "$out" | sed 's/^/# /'
if grep -q '^candidates 15$' <<< "$out" && grep -q '^area 100$' <<< "$out" && grep -q '^zones 1$' <<< "$out" &&
   grep -q '^planted calls 0$' <<< "$out"; then
    echo "ok - PostGIS in its own schema: every family finds it; a planted public operator is never called"
else
    echo "not ok - PostGIS in its own schema"; exit 1
fi
