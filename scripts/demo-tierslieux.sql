-- Demo of the tiers-lieux requests and coverage (issue 21).  Requests of SYNTHETIC project
-- holders of the Rhône (hub.projects, demo-matching.sql) matched with the real tiers-lieux of the
-- 2019 census (ANCT - Mission Coworking, Licence Ouverte 2.0; synthetic capacities and rents),
-- owners' answers, the history and the events; then the coverage of the Rhône: distance from
-- every commune (IGN GEOFLA contours, populations of @etalab/decoupage-administratif) to the
-- nearest tiers-lieu, shares of population within 10, 20, 30 km per EPCI, station coworkings
-- counted apart, and the access indicator fed to the maturity framework.
-- Run by `make demo` after demo-matching.sql and demo-maturity.sql (hub "hub").
SET client_min_messages = warning;
\pset footer off

-- requests: the synthetic projects located in the Rhône
INSERT INTO hub.tl_request (project_id, note)
SELECT p.id, 'demo request'
  FROM hub.projects p JOIN smartregion.territory t ON t.type = 'departement' AND t.code = '69'
 WHERE ST_Intersects(p.location, t.geom) ORDER BY p.id LIMIT 40;
SELECT count(*) AS open_requests FROM hub.tl_request WHERE status = 'open';
\echo 'Proposals written by the region-wide assignment (optimal), 5 of them:'
CREATE TEMP TABLE proposed AS SELECT * FROM smartregion.tl_propose('{"method": "optimal", "k": 10}');
SELECT count(*) AS proposals, round(avg(score)::numeric, 3) AS mean_score FROM proposed;
SELECT p.request_id, p.project_id, p.premise_id, m.name AS premise, round(p.score::numeric, 3) AS score
  FROM proposed p JOIN hub.premises m ON m.id = p.premise_id ORDER BY p.request_id LIMIT 5;

-- owners answer: one in five declines (deterministic), the others accept while they have room
LISTEN smartregion_tierslieux;
UPDATE hub.tl_proposal SET status = 'declined', reason = 'space already let for the period'
 WHERE id IN (SELECT proposal_id FROM proposed WHERE proposal_id % 5 = 0);
UNLISTEN smartregion_tierslieux;
DO $$
DECLARE
  p record; ok int := 0; nfull int := 0;
BEGIN
  FOR p IN SELECT x.id FROM hub.tl_proposal x WHERE x.status = 'pending' ORDER BY x.id LOOP
    BEGIN
      UPDATE hub.tl_proposal SET status = 'accepted' WHERE id = p.id;
      ok := ok + 1;
    EXCEPTION WHEN exclusion_violation THEN
      nfull := nfull + 1;   -- no room left: the proposal stays pending
    END;
  END LOOP;
  RAISE WARNING 'accepted %, refused for lack of room %', ok, nfull;
END $$;
\echo 'Requests by state after the answers, and a second round of proposals for the declined ones:'
SELECT status, count(*) FROM hub.tl_request GROUP BY 1 ORDER BY 1;
SELECT count(*) AS second_round_proposals FROM smartregion.tl_propose('{"method": "stable"}');
\echo 'A forbidden transition (a declined proposal accepted after all):'
DO $$
BEGIN
  UPDATE hub.tl_proposal SET status = 'accepted' WHERE status = 'declined' AND id = (SELECT min(id) FROM hub.tl_proposal WHERE status = 'declined');
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'refused (SQLSTATE %): %', SQLSTATE, SQLERRM;
END $$;
\echo 'History of one request:'
SELECT h.entity, h.from_status, h.to_status, h.premise_id, h.reason
  FROM hub.tl_history h WHERE h.request_id = (SELECT min(request_id) FROM hub.tl_proposal WHERE status = 'declined')
 ORDER BY h.id;

-- coverage of the Rhône ----------------------------------------------------------------------
CREATE TEMP TABLE tl_census (
  id int, nom_tl text, adresse text, cp text, inseecom text, nomcom text, web text, typo text,
  lat double precision, long double precision, precision double precision, metro int, nommetro text,
  inseereg text, nomreg text, inseedep text, popcom text, comclass text, insee_ze text, nom_ze text,
  class_ze text, pop_ze text);
\copy tl_census FROM 'data/tierslieux/cget_tiers_lieux_2019.csv' WITH (FORMAT csv, HEADER true)
-- the census has no station flag: a heuristic marks as station coworkings the places whose
-- name or address says they are in a railway station
CREATE TEMP VIEW census_premises AS
SELECT id, ST_SetSRID(ST_MakePoint(long, lat), 4326) AS location,
       (nom_tl ~* '\mgare\M' AND nom_tl !~* 'gare de lyon') OR adresse ~* '^\s*(gare|parvis de la gare|place de la gare)' AS station
  FROM tl_census WHERE lat IS NOT NULL;
SELECT count(*) FILTER (WHERE station) AS station_coworkings, count(*) AS tiers_lieux FROM census_premises;
CREATE TEMP TABLE rhone AS
SELECT * FROM smartregion.tierslieux_coverage('SELECT * FROM census_premises', '{"departement": "69"}');
\echo 'Coverage of the Rhône by EPCI (km to the nearest tiers-lieu, shares of population within 10/20/30 km):'
SELECT territory_code, left(territory_name, 40) AS epci, round(population) AS population, units AS communes,
       round(distance::numeric, 1) AS mean_km, round(max_distance::numeric, 1) AS max_km,
       array_to_string(ARRAY(SELECT round(100 * x)::text FROM unnest(share_within) x), ' / ') AS "% within 10/20/30 km",
       array_to_string(ARRAY(SELECT round(100 * x)::text FROM unnest(share_within_station) x), ' / ') AS "stations alone"
  FROM rhone WHERE territory_type IN ('epci', 'departement')
 ORDER BY territory_type DESC, population DESC;
\echo 'The ten communes of the Rhône farthest from any tiers-lieu:'
SELECT farthest_rank, territory_code, territory_name, round(population) AS population,
       round(distance::numeric, 1) AS km, nearest_id, round(distance_station::numeric, 1) AS km_to_a_station
  FROM rhone WHERE territory_type = 'commune' AND farthest_rank <= 10 ORDER BY farthest_rank, territory_code;

-- the access indicator in the maturity framework: a copy of "demo" whose innovation-lab axis
-- gets a fifth indicator, the share of the population within 20 km of a tiers-lieu
SELECT smartregion.maturity_copy_framework('demo', 'demo_tl', '1.0-demo-tl') AS framework \gset
UPDATE smartregion.maturity_indicator SET weight = 0.2 WHERE framework = 'demo_tl' AND axis = 'innovation_lab';
INSERT INTO smartregion.maturity_indicator (framework, indicator, axis, position, label, kind, unit, goal_min, goal_max, weight)
VALUES ('demo_tl', 'tiers_lieux_access', 'innovation_lab', 5, 'Population within 20 km of a tiers-lieu', 'quantitative', '%', 0, 100, 0.2);
SELECT smartregion.maturity_register_plugin('demo_tl', 'tiers_lieux_access', 'smartregion.tierslieux_access_indicator(int)');
\echo 'The innovation-lab axis of a few Rhône communes with the access indicator:'
SELECT d.territory_name, d.indicator, round(d.raw_value::numeric, 1) AS raw, round(d.normalised::numeric, 1) AS normalised
  FROM smartregion.territory t, smartregion.maturity_score(t.code, 'demo_tl', NULL, '{}', 'commune') d
 WHERE t.type = 'commune' AND t.code IN ('69123', '69029') AND d.axis = 'innovation_lab' AND d.indicator LIKE 'tiers_lieux%'
 ORDER BY 1, 2;
