-- Tiers-lieux coverage (issue 21), computed by hand on a meridian, where a
-- degree of latitude is R pi / 180 = 111.19508 km (R = 6371.0088 km):
--   units on longitude 0: U1 lat 0 (pop 100), U2 lat 0.1 (200), U3 lat 0.25 (300),
--   U4 lat 0.5 (400); EPCI E1 = U1, U2; E2 = U3, U4; département D, région R.
--   premises: P1 (id 1) at lat 0, an ordinary tiers-lieu; S (id 2) at lat 0.5, a station coworking.
--   nearest, all:        U1 0, U2 11.1195 (P1), U3 27.7988 (P1 and S tie: P1), U4 0 (S)
--   without stations:    U1 0, U2 11.1195, U3 27.7988, U4 55.5975
--   station only:        U1 55.5975, U2 44.4780, U3 27.7988, U4 0
--   shares within 10/20/30 km of D (pop 1000): all 0.5/0.7/1; without stations 0.1/0.3/0.6;
--   stations 0.4/0.4/0.7; E1 (300): 1/3, 1, 1; E2 (700): 4/7, 4/7, 1
--   mean distance of D weighted by population: (200 x 11.1195 + 300 x 27.7988) / 1000 = 10.5635
SET client_min_messages = warning;
SET extra_float_digits = 0;

CREATE FUNCTION pg_temp.try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  RETURN st || ': ' || msg;
END $$;

CREATE TEMP TABLE units AS
SELECT * FROM (VALUES ('U1', 'Un', 100, 0.0::float8, 'E1'), ('U2', 'Deux', 200, 0.1, 'E1'),
                      ('U3', 'Trois', 300, 0.25, 'E2'), ('U4', 'Quatre', 400, 0.5, 'E2'))
       v(unit_code, name, population, lat, epci_code);
CREATE TEMP TABLE tl AS
SELECT * FROM (VALUES (1, 0.0::float8, false), (2, 0.5, true)) v(id, lat, station);

SELECT territory_type, territory_code, territory_name, population, units, nearest_id,
       round(distance::numeric, 4) AS distance, round(distance_without_stations::numeric, 4) AS without_stations,
       round(distance_station::numeric, 4) AS station, round(max_distance::numeric, 4) AS max,
       (SELECT array_agg(round(x::numeric, 4)) FROM unnest(share_within) x) AS share_within,
       (SELECT array_agg(round(x::numeric, 4)) FROM unnest(share_within_without_stations) x) AS without_stations,
       (SELECT array_agg(round(x::numeric, 4)) FROM unnest(share_within_station) x) AS stations,
       farthest_rank
  FROM smartregion.tierslieux_coverage(
         'SELECT id, ST_SetSRID(ST_MakePoint(0, lat), 4326) AS location, station FROM tl', '{}',
         $$SELECT unit_code, name, population, 0.0 AS lon, lat, epci_code, 'D' AS departement_code, 'R' AS region_code FROM units$$)
 ORDER BY array_position(ARRAY['commune', 'epci', 'departement', 'region'], territory_type), territory_code;

-- thresholds, levels, and lon/lat columns for the premises
SELECT territory_type, territory_code, share_within
  FROM smartregion.tierslieux_coverage('SELECT id, 0 AS lon, lat FROM tl', '{"thresholds": [5, 12, 50], "levels": ["departement"]}',
         $$SELECT unit_code, population, ST_SetSRID(ST_MakePoint(0, lat), 4326) AS location, 'D' AS departement_code FROM units$$);

-- travel times (minutes) instead of distances: only the listed pairs count
SELECT territory_code, nearest_id, distance, distance_without_stations, distance_station, share_within
  FROM smartregion.tierslieux_coverage('SELECT id, station FROM tl', '{"levels": ["commune", "region"]}',
         $$SELECT unit_code, population, 'R' AS region_code FROM units$$,
         $t$SELECT * FROM (VALUES ('U1', 1, 4.0), ('U2', 1, 14.0), ('U2', 2, 25.0), ('U3', 2, 19.5), ('U9', 1, 1.0), ('U1', 7, 0.0))
              t(unit_code, premise_id, minutes)$t$)
 ORDER BY territory_type, territory_code;

-- near-ties: two premises at mathematically equal distances from the unit (2.5, 45.25),
-- each scene with the ids both ways; the lower id, 1, wins every time (before, the
-- rounding of the search's chords chose: 2 in one order of each scene). Along the
-- meridian, 0.125 degree = 6371.0088 * pi / 180 * 0.125 = 13.8994 km either way.
SELECT v.scene, c.nearest_id, round(c.distance::numeric, 4) AS km
  FROM (VALUES ('meridian, 1 south', 'SELECT 1 AS id, 2.5 AS lon, 45.125 AS lat UNION ALL SELECT 2, 2.5, 45.375'),
               ('meridian, 1 north', 'SELECT 2 AS id, 2.5 AS lon, 45.125 AS lat UNION ALL SELECT 1, 2.5, 45.375'),
               ('mirror, 1 west', 'SELECT 1 AS id, 2.375 AS lon, 45.3125 AS lat UNION ALL SELECT 2, 2.625, 45.3125'),
               ('mirror, 1 east', 'SELECT 2 AS id, 2.375 AS lon, 45.3125 AS lat UNION ALL SELECT 1, 2.625, 45.3125')) v(scene, premises_sql)
 CROSS JOIN LATERAL smartregion.tierslieux_coverage(v.premises_sql, '{"levels": ["commune"]}',
                                                    $$SELECT 'u' AS unit_code, 2.5 AS lon, 45.25 AS lat$$) c
 ORDER BY v.scene;

-- the default units: the communes of smartregion.territory that have a contour
SELECT * FROM smartregion.load_territories(
  '[{"code":"35001","nom":"Alpha","departement":"35","region":"53","population":1000},
    {"code":"35002","nom":"Beta","departement":"35","region":"53","population":3000},
    {"code":"35003","nom":"Gamma","departement":"35","region":"53","population":900}]',
  '[{"code":"200000009","nom":"CC Test","populationMunicipale":4900,"membres":[{"code":"35001"},{"code":"35002"},{"code":"35003"}]}]',
  '[{"code":"35","nom":"Ille-et-Vilaine","region":"53"}]',
  '[{"code":"53","nom":"Bretagne"}]');
-- 0.2 degree squares centred on latitudes 0.1 and 0.4 (Gamma has no contour and is left out)
UPDATE smartregion.territory SET geom = ST_Multi(ST_MakeEnvelope(-0.1, 0.0, 0.1, 0.2, 4326)) WHERE code = '35001';
UPDATE smartregion.territory SET geom = ST_Multi(ST_MakeEnvelope(-0.1, 0.3, 0.1, 0.5, 4326)) WHERE code = '35002';
SELECT territory_type, territory_code, territory_name, population, units, round(distance::numeric, 4) AS distance, share_within
  FROM smartregion.tierslieux_coverage('SELECT id, ST_SetSRID(ST_MakePoint(0, lat), 4326) AS location FROM tl WHERE NOT station',
                                       '{"departement": "35"}')
 ORDER BY array_position(ARRAY['commune', 'epci', 'departement', 'region'], territory_type), territory_code;

-- the maturity plugin: % of the population within the second threshold (20 km) of <hub>.premises
SELECT count(*) FROM smartregion.create_hub('tlc_hub');
INSERT INTO tlc_hub.premises (id, location) VALUES (1, ST_SetSRID(ST_MakePoint(0, 0), 4326));
SET smartregion.hub = 'tlc_hub';
SELECT territory_type, territory_code, round(value::numeric, 2) AS value
  FROM smartregion.tierslieux_access_indicator(2024) ORDER BY 1, 2;
-- its memory error names it, the function the caller called (not tierslieux_coverage, whose
-- options its hint would offer): 1 kB = 1,024 bytes hold the first commune (600 bytes) and
-- not the second (1,200), refused at row 2 of the units
SET smartregion.max_call_memory = '1kB';
\set SHOW_CONTEXT never
SELECT count(*) FROM smartregion.tierslieux_access_indicator(2024);
-- a hub without premises: the platform's message, not an error of a query the caller never wrote
SET smartregion.hub = 'tlc_nohub';
SELECT count(*) FROM smartregion.tierslieux_access_indicator(2024);
\set SHOW_CONTEXT errors
RESET smartregion.max_call_memory;
RESET smartregion.hub;
UPDATE smartregion.territory SET geom = NULL WHERE code IN ('35001', '35002');

-- the nearest of all, ordinary or station, at a tie: the lower id, whichever kind it is.
-- The unit at (0, 0), ordinary premise 5 at latitude 0.1 and station 2 at -0.1: both
-- 0.1 x 111.19508 = 11.1195 km away; nearest_id 2 (it was 5: the ordinary one first)
SELECT territory_code, nearest_id, round(distance::numeric, 4) AS distance,
       round(distance_without_stations::numeric, 4) AS without_stations, round(distance_station::numeric, 4) AS station
  FROM smartregion.tierslieux_coverage('SELECT * FROM (VALUES (5, 0, 0.1, false), (2, 0, -0.1, true)) v(id, lon, lat, station)',
                                       '{"levels": ["commune"]}', $$SELECT 'a' AS unit_code, 0 AS lon, 0 AS lat$$);

-- errors
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat UNION ALL SELECT 1, 1, 1', '{}', 'SELECT ''u'' AS unit_code, 0 AS lon, 0 AS lat')$$) AS duplicate_premise;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id', '{}', 'SELECT ''u'' AS unit_code, 0 AS lon, 0 AS lat')$$) AS premise_without_location;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 95 AS lat', '{}', 'SELECT ''u'' AS unit_code, 0 AS lon, 0 AS lat')$$) AS latitude_95;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}', 'SELECT 1 AS code')$$) AS no_unit_code;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}',
                     'SELECT ''u'' AS unit_code, ST_MakeEnvelope(0, 0, 1, 1, 4326) AS location')$$) AS polygon_unit;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, ST_MakePoint(0, 0) AS location', '{}',
                     'SELECT ''u'' AS unit_code, 0 AS lon, 0 AS lat')$$) AS no_srid;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{"departement": "35"}',
                     'SELECT ''u'' AS unit_code, 0 AS lon, 0 AS lat')$$) AS filter_with_units_sql;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{"thresholds": [30, 20, 10]}')$$) AS thresholds_descending;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id', '{}', 'SELECT ''u'' AS unit_code',
                     'SELECT ''u'' AS unit_code, 1 AS premise_id, -2 AS minutes')$$) AS negative_minutes;
-- the units' rules: a unit counted once (a duplicate made the parent's population 300 of
-- three units, and its shares 2/3, from two units of 100: 22000 now, as with travel
-- times); a population finite and >= 0 (NaN gave the parent NaN shares, -100 shares of
-- 1.11 and a mean distance of -12.4 km); without travel times a location each (a unit
-- without one counted as beyond every threshold, its share 0)
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}',
                     $u$SELECT * FROM (VALUES ('a', 100, 0, 0), ('a', 100, 0, 0), ('b', 100, 0, 1)) v(unit_code, population, lon, lat)$u$)$$) AS duplicate_unit;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}',
                     $u$SELECT 'a' AS unit_code, 'NaN'::float8 AS population, 0 AS lon, 0 AS lat$u$)$$) AS nan_population;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}',
                     $u$SELECT 'a' AS unit_code, '-Infinity'::float8 AS population, 0 AS lon, 0 AS lat$u$)$$) AS infinite_population;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}',
                     $u$SELECT 'a' AS unit_code, -100 AS population, 0 AS lon, 0 AS lat$u$)$$) AS negative_population;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}',
                     $u$SELECT * FROM (VALUES ('a', 0, 0), ('b', NULL, NULL)) v(unit_code, lon, lat)$u$)$$) AS unit_without_location;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id', '{}',
                     $u$SELECT * FROM (VALUES ('a'), ('a')) v(unit_code)$u$, 'SELECT ''a'' AS unit_code, 1 AS premise_id, 2 AS minutes')$$) AS duplicate_unit_travel;
-- a population NULL is no population (the unit weighs 0), not an error
SELECT territory_type, territory_code, population, units, share_within
  FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{"levels": ["departement"]}',
         $u$SELECT * FROM (VALUES ('a', 100, 0, 0, 'D'), ('b', NULL, 0, 1, 'D')) v(unit_code, population, lon, lat, departement_code)$u$);
-- expected: 22004 'parameter "premises_sql" cannot be NULL', the shared check's message
-- (docs/governance.md#null-arguments; until 2026-12-07 'premises_sql cannot be NULL')
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage(NULL)$$) AS null_premises;
SELECT pg_temp.try($$SELECT * FROM smartregion.tierslieux_coverage('DELETE FROM units')$$) AS writing_query;
-- an error in a query text: its context is not the statement the function generates
-- (about sixty lines), and the detail names the argument whose query failed
CREATE FUNCTION pg_temp.error_of(q text) RETURNS TABLE (state text, message text, detail text, context_lines int,
                                                        generated_sql boolean)
LANGUAGE plpgsql AS $f$
DECLARE ctx text;
BEGIN
  EXECUTE q;
EXCEPTION WHEN OTHERS THEN
  GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, detail = PG_EXCEPTION_DETAIL,
                          ctx = PG_EXCEPTION_CONTEXT;
  context_lines := cardinality(string_to_array(ctx, E'\n'));
  generated_sql := ctx ~ '(WITH n AS|_tierslieux_nearest)';
  RETURN NEXT;
END $f$;
SELECT * FROM pg_temp.error_of($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, nolat FROM units', '{}',
                     'SELECT ''u'' AS unit_code, 0 AS lon, 0 AS lat')$$);
SELECT * FROM pg_temp.error_of($$SELECT * FROM smartregion.tierslieux_coverage('SELECT 1 AS id, 0 AS lon, 0 AS lat', '{}',
                     'SELECT ''u'' AS unit_code, 0 AS lon, 1/0 AS lat')$$);
-- the error keeps its place in the caller's text: psql shows that text (QUERY) with the line
-- and a caret under the token, as for a query of a PL/pgSQL function; the hint stays
\set SHOW_CONTEXT never
SELECT * FROM smartregion.tierslieux_coverage('SELECT id, 0 AS lon,
       lat, statoin FROM tl', '{}');
SELECT * FROM smartregion.tierslieux_coverage('SELECT id, 0 AS lon, lat, station FROM tl', '{}',
                                              'SELECT unit_code, 0 AS lon, lat FROM units WHERE');
-- an error in a row of units_sql: its context line names the row ("while reading row 1 of
-- units_sql"), the detail the query
SELECT * FROM smartregion.tierslieux_coverage('SELECT id, 0 AS lon, lat, station FROM tl', '{}',
                                              'SELECT NULL::text AS unit_code, 0 AS lon, lat FROM units');
\set SHOW_CONTEXT errors
-- smartregion.max_call_memory: the search holds every unit (600 bytes), premise
-- (180 bytes) and row of travel_sql (120 bytes) until it ends, the three queries
-- together, read in that order (sr_coverage.h, measured in
-- docs/performance-cadastre.md).  4 kB = 4,096 bytes hold 6 units and 2 premises
-- (3,600 + 360 = 3,960) and not a 7th unit (4,200: refused at its row, before the
-- premises are read) nor a 3rd premise (4,140); 3 units, 2 premises and 16 travel
-- rows (1,800 + 360 + 1,920 = 4,080) and not 17 (4,200)
SET smartregion.max_call_memory = '4kB';
\set SHOW_CONTEXT never
SELECT count(*) AS communes FROM smartregion.tierslieux_coverage('SELECT n AS id, 0 AS lon, n * 0.1 AS lat FROM generate_series(1, 2) n', '{}',
  $$SELECT 'u' || n AS unit_code, 0 AS lon, n * 0.01 AS lat FROM generate_series(1, 6) n$$);
SELECT count(*) AS communes FROM smartregion.tierslieux_coverage('SELECT n AS id, 0 AS lon, n * 0.1 AS lat FROM generate_series(1, 2) n', '{}',
  $$SELECT 'u' || n AS unit_code, 0 AS lon, n * 0.01 AS lat FROM generate_series(1, 7) n$$);
SELECT count(*) AS communes FROM smartregion.tierslieux_coverage('SELECT n AS id, 0 AS lon, n * 0.1 AS lat FROM generate_series(1, 3) n', '{}',
  $$SELECT 'u' || n AS unit_code, 0 AS lon, n * 0.01 AS lat FROM generate_series(1, 6) n$$);
SELECT count(*) AS communes FROM smartregion.tierslieux_coverage('SELECT n AS id FROM generate_series(1, 2) n', '{}',
  $$SELECT 'u' || n AS unit_code FROM generate_series(1, 3) n$$,
  $$SELECT 'u' || (n % 3 + 1) AS unit_code, n % 2 + 1 AS premise_id, n AS minutes FROM generate_series(1, 16) n$$);
SELECT count(*) AS communes FROM smartregion.tierslieux_coverage('SELECT n AS id FROM generate_series(1, 2) n', '{}',
  $$SELECT 'u' || n AS unit_code FROM generate_series(1, 3) n$$,
  $$SELECT 'u' || (n % 3 + 1) AS unit_code, n % 2 + 1 AS premise_id, n AS minutes FROM generate_series(1, 17) n$$);
\set SHOW_CONTEXT errors
RESET smartregion.max_call_memory;
DROP SCHEMA tlc_hub CASCADE;
RESET client_min_messages;
