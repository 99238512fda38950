-- THD roll-out (issue 21): ARCEP files loaded, roll-up, pace, projected date
-- and deadlines, computed by hand.  Quarters T3 2017, T4 2017, T1 2018 are
-- x = 0, 1, 2; the projection starts at the end of T1 2018 (2018-03-31) and
-- a quarter is 91.3125 days.
--   77001 (1,000 premises): 100, 200, 300 -> pace 100/quarter exactly (no residual, interval
--         of zero width); 700 left -> 7 quarters -> 639 days -> 2019-12-30; deadline 2021-12-31
--         (own) -> on_track
--   77002 (500): 0, 0, 0 -> no pace: never -> late against 2023-12-31 (département 77)
--   91001 (400): 100, 150, 260 -> pace 80 (Sxy 160 / Sxx 2), residuals 10, -20, 10, SSR 600,
--         se = sqrt(600 / 1 / 2) = 17.3205, t(0.95, 1 df) = tan(0.45 pi) = 6.3138 -> half width
--         109.357; 140 left -> 1.75 quarters -> 160 days -> 2018-09-07; low 140 / 189.357 =
--         0.7393 q -> 2018-06-07; high: 80 - 109.357 < 0 -> unbounded -> at_risk against its
--         own deadline 2018-12-31
--   91002 (200): 200 -> complete
--   EPCI 200000001 (77001 + 77002): 100, 200, 300 of 1,500 -> 12 quarters -> 2021-03-31, deadline
--         of the département 77 -> on_track; ARCEP's own EPCI file says 290 -> difference +10
--   région 11: 400, 550, 760 of 2,100 -> pace 180, same residuals -> 1,340 left -> 7.444 q ->
--         2020-02-09, interval 4.631 q (2019-05-28) to 18.969 q (2022-12-27) > 2021-12-31 -> at_risk
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

SELECT count(*) AS hub_tables FROM smartregion.create_hub('thd_hub');

-- ARCEP's files, as they are (4 title lines, space-padded numbers, '-' for none)
SELECT * FROM smartregion.thd_load_arcep($$Réseaux en fibre optique jusqu'à l'abonné (FttH),,,,
Déploiement par Commune,,,,
,,,,
,,,,
Code commune,Champ,T3 2017,T4 2017,T1 2018
77001,Locaux Raccordables,100,200,300
77001,Catégorie,5,10,25
77002,Locaux Raccordables,0,0,0
77002,Catégorie,0,0,0
91001,Locaux Raccordables,100,150,260
91001,Catégorie,10,25,25
91002,Locaux Raccordables,200,200,200
91002,Catégorie,80,80,80
$$, 'thd_hub');
SELECT * FROM smartregion.thd_load_arcep($$Réseaux en fibre optique jusqu'à l'abonné (FttH),,,,
Déploiement par EPCI,,,,
,,,,
,,,,
Siren EPCI,Champ,T3 2017,T4 2017,T1 2018
200000001,Locaux Raccordables,100,200,290
200000001,Catégorie,5,5,10
$$, 'thd_hub');
SELECT smartregion.thd_load_arcep_premises($$Réseaux en fibre optique jusqu'à l'abonné (FttH),,,,,,,,,,,,
Informations à l'échelle de la commune,,,,,,,,,,,,
,,,,,,,,,,,,
,,,,,,,,,,,,
Code commune,Nom commune,Code région,Code département,Siren EPCI,Logements,Établissements,Zones très denses,Engagements L. 33-13,Intentions privées hors engagement L. 33-13,Commune rurale,Commune de montagne,OI 2018 T1
77001,Un,11,77,200000001, 950    , 50    , -    , -    , -    , 1    , -    ,
77002,Deux,11,77,200000001, 480    , 20    , -    , -    , -    , 1    , -    ,
91001,Trois,11,91,200000002, 390    , 10    , -    , -    , -    , -    , -    ,
91002,Quatre,11,91,-, 150    , 50    , 1    , -    , -    , -    , -    ,
$$, 'thd_hub') AS communes;
SELECT territory_type, territory_code, quarter, premises_passed, category FROM thd_hub.thd_ftth ORDER BY 1, 2, 3;
SELECT territory_code, premises, dwellings, businesses, very_dense, epci_code, departement_code, region_code
  FROM thd_hub.thd_premises ORDER BY 2;
-- loading again changes nothing (idempotent)
SELECT rows FROM smartregion.thd_load_arcep($$Déploiement par EPCI,,,,
Siren EPCI,Champ,T3 2017,T4 2017,T1 2018
200000001,Locaux Raccordables,100,200,290
$$, 'thd_hub');
SELECT count(*) FROM thd_hub.thd_ftth;

-- deadlines: a commune's own, a département's, a région's (the regional plan)
INSERT INTO thd_hub.thd_deadline (territory_type, territory_code, deadline, label) VALUES
  ('commune', '77001', '2021-12-31', 'own'), ('departement', '77', '2023-12-31', 'Seine-et-Marne'),
  ('region', '11', '2021-12-31', 'regional plan'), ('commune', '91001', '2018-12-31', 'own');

SELECT territory_type, territory_code, quarters, last_quarter, premises, passed, round(coverage::numeric, 2) AS coverage,
       round(pace::numeric, 3) AS pace, round(pace_points::numeric, 3) AS points, projected, projected_low, projected_high,
       deadline, deadline_from, status, round(months_late::numeric, 1) AS months_late, arcep_passed, rollup_difference
  FROM smartregion.thd_rollout('{"hub": "thd_hub"}');
-- the late communes of a département, late ones first
SELECT territory_code, status, projected, deadline FROM smartregion.thd_rollout('{"hub": "thd_hub", "departement": "77", "territory_type": "commune"}');
-- the départements of a région
SELECT territory_code, status, deadline, deadline_from FROM smartregion.thd_rollout('{"hub": "thd_hub", "region": "11", "territory_type": "departement"}');
-- a 95 % target and a wider confidence
SELECT territory_code, projected, projected_low, projected_high, status
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "region", "target": 95, "confidence": 0.5}');

-- the maturity indicator ftth_coverage from the same series
SET smartregion.hub = 'thd_hub';
SELECT territory_type, territory_code, round(value::numeric, 3) AS value FROM smartregion.thd_ftth_coverage(2018) ORDER BY 1, 2;
-- a commune of ARCEP's year merged since then counts in the commune it belongs to
-- today (smartregion.commune_part): 77002 (0 of 480 + 20 premises passed) now part of
-- 77001 (300 of 950 + 50): 300 / 1,500 = 20 %. The plugin's parents are those of the
-- communes of today: 77001 is now in the EPCI 200000009 (ARCEP's 200000001 of 2018 has no
-- commune left: no value), 300 / 1,500 = 20 %; 91001 and 91002, which the territories do not
-- know, keep ARCEP's (200000002: 260 / 400 = 65 %); département 77 300 / 1,500 = 20 %,
-- 91 460 / 600 = 76.667 %, région 11 760 / 2,100 = 36.190 %
BEGIN;
INSERT INTO smartregion.territory (type, code, name, epci_code, departement_code, region_code)
VALUES ('commune', '77001', 'Un', '200000009', '77', '11')
ON CONFLICT (type, code) DO UPDATE SET epci_code = excluded.epci_code, departement_code = excluded.departement_code,
                                       region_code = excluded.region_code;
DELETE FROM smartregion.territory WHERE type = 'commune' AND code = '77002';
INSERT INTO smartregion.commune_part VALUES ('77002', 'Deux', 'commune-deleguee', '77001')
  ON CONFLICT (code) DO UPDATE SET commune_code = excluded.commune_code;
SELECT territory_type, territory_code, round(value::numeric, 3) AS value FROM smartregion.thd_ftth_coverage(2018) ORDER BY 1, 2;
-- thd_rollout: one series for 77001 and 77002, 100, 200, 300 passed of 1,500 premises
-- -> pace 100, 1,200 left -> 12 quarters -> 1,096 days after 2018-03-31 -> 2021-03-31,
-- before 77001's own deadline 2021-12-31 -> on_track; no row for 77002; the EPCI
-- (ARCEP's own table) keeps 300 of 1,500 and its difference of +10
-- (the commune's name only: the EPCI's and the département's depend on the territories
-- the other tests loaded)
SELECT territory_type, territory_code, CASE WHEN territory_type = 'commune' THEN territory_name END AS commune_name,
       quarters, premises, passed, round(coverage::numeric, 2) AS coverage,
       pace, projected, deadline, status, rollup_difference
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "departement": "77"}') ORDER BY 1, 2;
-- a commune inherits the deadline of its EPCI of today (200000009), as thd_ftth_coverage
-- rolls it up, not that of the EPCI ARCEP placed it in in 2018 (200000001): without its own
-- row, 77001 (projected 2021-03-31, above) is late against 200000009's 2020-06-30 by 274
-- days = 9.0 months (it was on_track against 200000001's 2025-12-31)
DELETE FROM thd_hub.thd_deadline WHERE territory_type = 'commune' AND territory_code = '77001';
INSERT INTO thd_hub.thd_deadline (territory_type, territory_code, deadline, label) VALUES
  ('epci', '200000009', '2020-06-30', 'EPCI of today'), ('epci', '200000001', '2025-12-31', 'EPCI of 2018');
SELECT territory_code, projected, deadline, deadline_from, status, round(months_late::numeric, 1) AS months_late
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "commune", "departement": "77"}');
ROLLBACK;
-- a part of a merged commune without a premises line (77002, part of 77001 as above, its
-- line deleted) is left out of the commune's series, as thd_ftth_coverage and the parents'
-- roll-up leave it out: 77001 alone, 100, 200, 300 passed of 1,000 -> coverage 30 %, pace 100,
-- 700 left -> 7 quarters -> 639 days -> 2019-12-30, before its deadline 2021-12-31 -> on_track.
-- thd_rollout gave premises NULL (no_data) and no coverage, where the plugin said 30 %
BEGIN;
INSERT INTO smartregion.territory (type, code, name, epci_code, departement_code, region_code)
VALUES ('commune', '77001', 'Un', '200000009', '77', '11')
ON CONFLICT (type, code) DO UPDATE SET epci_code = excluded.epci_code, departement_code = excluded.departement_code,
                                       region_code = excluded.region_code;
DELETE FROM smartregion.territory WHERE type = 'commune' AND code = '77002';
INSERT INTO smartregion.commune_part VALUES ('77002', 'Deux', 'commune-deleguee', '77001')
  ON CONFLICT (code) DO UPDATE SET commune_code = excluded.commune_code;
DELETE FROM thd_hub.thd_premises WHERE territory_type = 'commune' AND territory_code = '77002';
SELECT territory_code, round(value::numeric, 3) AS value FROM smartregion.thd_ftth_coverage(2018)
 WHERE territory_type = 'commune' AND territory_code IN ('77001', '77002');
SELECT territory_code, quarters, premises, passed, round(coverage::numeric, 2) AS coverage, pace, projected,
       deadline, status
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "commune", "departement": "77"}');
-- a commune none of whose parts has a premises line keeps its series (passed summed) with
-- no premises: no_data, as a commune of its own without one
DELETE FROM thd_hub.thd_premises WHERE territory_type = 'commune' AND territory_code = '77001';
SELECT territory_code, quarters, premises, passed, coverage, status
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "commune", "departement": "77"}');
ROLLBACK;
SELECT count(*) AS before_2018 FROM smartregion.thd_ftth_coverage(2016);
-- a single quarter gives no pace: 91009 (100 of 400 passed at T1 2018, no parent, deadline
-- 2030-12-31) is at_risk with no projected date, not late by an infinity of months as a
-- flat series is (77002 above); 91008, the same with a second quarter (50 at T4 2017: pace
-- 50, 300 left -> 6 quarters -> 548 days after 2018-03-31 -> 2019-09-30, no interval with
-- two quarters) is at_risk too
BEGIN;
INSERT INTO thd_hub.thd_premises (territory_code, premises, source) VALUES ('91009', 400, 'test'), ('91008', 400, 'test');
INSERT INTO thd_hub.thd_ftth (territory_type, territory_code, quarter, premises_passed, source)
VALUES ('commune', '91009', '2018-01-01', 100, 'test'), ('commune', '91008', '2017-10-01', 50, 'test'),
       ('commune', '91008', '2018-01-01', 100, 'test');
INSERT INTO thd_hub.thd_deadline (territory_type, territory_code, deadline) VALUES ('commune', '91009', '2030-12-31'),
       ('commune', '91008', '2030-12-31');
SELECT territory_code, quarters, round(coverage::numeric, 1) AS coverage, pace, projected, projected_high, status, months_late
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "commune"}') WHERE territory_code IN ('91008', '91009') ORDER BY 1;
ROLLBACK;
-- a commune without premises has no coverage and nothing to project: 91007 has 0 (ARCEP's
-- communes.csv lists four Meuse villages destroyed in 1916, Beaumont-en-Verdunois 55039 and
-- three more, and Saint-Lucien 76601, with 0 dwellings and 0 establishments), 91006 has no
-- line in communes.csv; 0 premises passed on three quarters, deadline 2030-12-31. Both are
-- no_data with a NULL coverage and no projected date (before: coverage 100 and projected
-- 2018-03-31, the end of their last quarter, as if complete: least and greatest skip NULLs)
BEGIN;
INSERT INTO thd_hub.thd_premises (territory_code, premises, dwellings, businesses, source) VALUES ('91007', 0, 0, 0, 'test');
INSERT INTO thd_hub.thd_ftth (territory_type, territory_code, quarter, premises_passed, source)
SELECT 'commune', c, q::date, 0, 'test' FROM unnest(ARRAY['91006', '91007']) c,
       unnest(ARRAY['2017-07-01', '2017-10-01', '2018-01-01']) q;
INSERT INTO thd_hub.thd_deadline (territory_type, territory_code, deadline) VALUES ('commune', '91006', '2030-12-31'),
       ('commune', '91007', '2030-12-31');
SELECT territory_code, quarters, premises, passed, coverage, pace_points, projected, projected_low, projected_high, status, months_late
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "commune"}') WHERE territory_code IN ('91006', '91007') ORDER BY 1;
ROLLBACK;
-- a quarter missing: ARCEP's "-" leaves no row, and a commune without a value at a quarter
-- counts in its parents with its latest earlier value (review of 2026-12-06; its parents'
-- sums lost it, its premises passed and its premises, at that quarter). 2A001 (1,000
-- premises) 100, 200, 300; 2A002 (1,000) 500, 600, "-" at T1 2018:
--   2A002 itself: 2 quarters, 600 of 1,000 = 60 %, pace 100, 400 left -> 4 quarters -> 365.25
--         days -> 365 after 2017-12-31 -> 2018-12-31
--   EPCI 200000005, département 2A, région 94: 600, 800, 900 (600 carried) of 2,000 ->
--         45 %, pace Sxy 300 / Sxx 2 = 150, 1,100 left -> 7.333 quarters -> 669.6 days -> 670
--         after 2018-03-31 -> 2020-01-30; residuals -16.67, 33.33, -16.67, SSR 1,666.7, se
--         28.868, half width 6.3138 x 28.868 = 182.26 -> low 1,100 / 332.26 = 3.311 q -> 302
--         days -> 2019-01-27, high unbounded.  Before: 300 of 1,000 at T1 2018 (30 %), pace
--         -150 (the sum fell from 800 to 300), no projected date
--   thd_ftth_coverage(2018): 2A001 30, 2A002 60 (its latest quarter, T4 2017), the parents
--         900 / 2,000 = 45 (before: 2A002 no value, the parents 300 / 1,000 = 30);
--         thd_ftth_coverage(2017), T4 2017: 20, 60 and 800 / 2,000 = 40
-- A quarter exactly on a half day is rounded up: 2A004 (1,100 premises) 100, 200, 300 ->
-- 800 left -> 8 quarters -> 730.5 days -> 731 after 2018-03-31 -> 2020-03-31 (the end of
-- T1 2020; round() of a float rounds half to even: 730, 2020-03-30)
BEGIN;
INSERT INTO thd_hub.thd_premises (territory_code, premises, epci_code, departement_code, region_code, source) VALUES
  ('2A001', 1000, '200000005', '2A', '94', 'test'), ('2A002', 1000, '200000005', '2A', '94', 'test'),
  ('2A004', 1100, NULL, '2B', '95', 'test');
INSERT INTO thd_hub.thd_ftth (territory_type, territory_code, quarter, premises_passed, source) VALUES
  ('commune', '2A001', '2017-07-01', 100, 'test'), ('commune', '2A001', '2017-10-01', 200, 'test'),
  ('commune', '2A001', '2018-01-01', 300, 'test'), ('commune', '2A002', '2017-07-01', 500, 'test'),
  ('commune', '2A002', '2017-10-01', 600, 'test'), ('commune', '2A004', '2017-07-01', 100, 'test'),
  ('commune', '2A004', '2017-10-01', 200, 'test'), ('commune', '2A004', '2018-01-01', 300, 'test');
SELECT territory_type, territory_code, quarters, last_quarter, premises, passed, round(coverage::numeric, 2) AS coverage,
       round(pace::numeric, 3) AS pace, projected, projected_low, projected_high, status
  FROM smartregion.thd_rollout('{"hub": "thd_hub"}')
 WHERE territory_code IN ('2A001', '2A002', '2A004', '200000005', '2A', '94') ORDER BY 1, 2;
SELECT territory_type, territory_code, round(value::numeric, 3) AS value FROM smartregion.thd_ftth_coverage(2018)
 WHERE territory_code IN ('2A001', '2A002', '200000005', '2A', '94') ORDER BY 1, 2;
SELECT territory_type, territory_code, round(value::numeric, 3) AS value FROM smartregion.thd_ftth_coverage(2017)
 WHERE territory_code IN ('2A001', '2A002', '200000005', '2A', '94') ORDER BY 1, 2;
-- a code merged into another commune is not carried past its last quarter (its premises
-- passed are counted by the commune it joined: the later files of ARCEP give them under the
-- code of today): 2A003, part of 2A001 since, 50 and 60 at T3 and T4 2017 only (500
-- premises) -> 2A001 of today 150, 260, then 300 alone at T1 2018 (of 1,000 premises: 30 %)
INSERT INTO smartregion.territory (type, code, name, epci_code, departement_code, region_code)
VALUES ('commune', '2A001', 'Un', '200000005', '2A', '94')
ON CONFLICT (type, code) DO UPDATE SET epci_code = excluded.epci_code, departement_code = excluded.departement_code,
                                       region_code = excluded.region_code;
DELETE FROM smartregion.territory WHERE type = 'commune' AND code = '2A003';
INSERT INTO smartregion.commune_part VALUES ('2A003', 'Trois', 'commune-deleguee', '2A001')
  ON CONFLICT (code) DO UPDATE SET commune_code = excluded.commune_code;
INSERT INTO thd_hub.thd_premises (territory_code, premises, epci_code, departement_code, region_code, source)
VALUES ('2A003', 500, '200000005', '2A', '94', 'test');
INSERT INTO thd_hub.thd_ftth (territory_type, territory_code, quarter, premises_passed, source) VALUES
  ('commune', '2A003', '2017-07-01', 50, 'test'), ('commune', '2A003', '2017-10-01', 60, 'test');
SELECT territory_code, quarters, last_quarter, premises, passed, round(coverage::numeric, 2) AS coverage, round(pace::numeric, 3) AS pace
  FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "commune"}') WHERE territory_code = '2A001';
ROLLBACK;
RESET smartregion.hub;

-- rules and errors
SELECT pg_temp.try($$INSERT INTO thd_hub.thd_ftth VALUES ('commune', '1', '2018-02-01', 1, 0, 'x')$$) AS not_a_quarter_start;
SELECT pg_temp.try($$INSERT INTO thd_hub.thd_ftth VALUES ('commune', '1', '2018-01-01', -1, 0, 'x')$$) AS negative;
SELECT pg_temp.try($$INSERT INTO thd_hub.thd_deadline VALUES ('commune', '1', 'infinity', 100)$$) AS infinite_deadline;
SELECT pg_temp.try($$INSERT INTO thd_hub.thd_deadline VALUES ('commune', '1', '2030-01-01', 120)$$) AS target_120;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('Code,Champ,T5 2017' || chr(10), 'thd_hub', 'commune')$$) AS bad_quarter;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('nothing here', 'thd_hub')$$) AS unknown_level;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('par commune', 'thd_hub')$$) AS no_header;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('x', 'nowhere', 'commune')$$) AS no_hub;
-- a NULL file: expected 22004 'parameter "csv" cannot be NULL', the shared check's message
-- (docs/governance.md#null-arguments; until 2026-12-07 'csv cannot be NULL'), before the hub
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep(NULL, 'thd_hub')$$) AS null_csv;
SELECT pg_temp.try($$SELECT smartregion.thd_load_arcep_premises(NULL, 'nowhere')$$) AS null_csv_premises;
-- a cell that is not a count is an error naming where it is (reading its digits only made
-- "12.5" 125 and "-7" 7); a territory's line given twice is an error (the larger value was
-- kept), and so is a commune twice in communes.csv (PostgreSQL's "ON CONFLICT DO UPDATE
-- command cannot affect row a second time", 21000); nothing is loaded
-- a quarter that has not begun is an error, not the last quarter of every series (it loaded)
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('Code commune,Champ,T1 2018,T4 2999' || chr(10) || '77001,Locaux Raccordables,300,301', 'thd_hub', 'commune')$$) AS future_quarter;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('Code commune,Champ,T1 2018' || chr(10) || '77001,Locaux Raccordables,12.5', 'thd_hub', 'commune')$$) AS decimal_count;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('Code commune,Champ,T1 2018' || chr(10) || '77001,Locaux Raccordables,-7', 'thd_hub', 'commune')$$) AS negative_count;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('Code commune,Champ,T1 2018' || chr(10) || '77001,Catégorie,1 2', 'thd_hub', 'commune')$$) AS misgrouped_count;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_load_arcep('Code commune,Champ,T1 2018' || chr(10) || '77001,Locaux Raccordables,5'
                     || chr(10) || '77001,Locaux Raccordables,7', 'thd_hub', 'commune')$$) AS duplicate_line;
SELECT pg_temp.try($$SELECT smartregion.thd_load_arcep_premises('Code commune,Nom commune,Code région,Code département,Siren EPCI,Logements,Établissements'
                     || chr(10) || '77001,Un,11,77,200000001,950,x', 'thd_hub')$$) AS premises_not_a_count;
SELECT pg_temp.try($$SELECT smartregion.thd_load_arcep_premises('Code commune,Nom commune,Code région,Code département,Siren EPCI,Logements,Établissements'
                     || chr(10) || '77001,Un,11,77,200000001,950,50' || chr(10) || '77001,Un,11,77,200000001,950,60', 'thd_hub')$$) AS premises_duplicate;
SELECT territory_code, quarter, premises_passed FROM thd_hub.thd_ftth WHERE territory_code = '77001' ORDER BY 2;
SELECT premises FROM thd_hub.thd_premises WHERE territory_code = '77001';
-- thousands separated by spaces or no-break spaces (U+00A0, U+202F), "-" for none: 1,234
-- and 5,678 for 91003 (a new commune: two quarters, two territories with 91004's one)
SELECT * FROM smartregion.thd_load_arcep('Code commune,Champ,T4 2017,T1 2018' || chr(10) || '91003,Locaux Raccordables, 1 234 ,'
       || chr(160) || '5' || chr(8239) || '678  ' || chr(10) || '91004,Locaux Raccordables,-,3', 'thd_hub', 'commune');
SELECT territory_code, quarter, premises_passed FROM thd_hub.thd_ftth WHERE territory_code IN ('91003', '91004') ORDER BY 1, 2;
DELETE FROM thd_hub.thd_ftth WHERE territory_code IN ('91003', '91004');
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_rollout('{"hub": "thd_hub", "confidence": 1}')$$) AS confidence_1;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_rollout('{"hub": "thd_hub", "territory_type": "canton"}')$$) AS canton;
-- a département or région known neither to the territories nor to the hub's ARCEP data is an
-- error (it gave no row, as a département without a series); 91, known to ARCEP's data only, is not
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_rollout('{"hub": "thd_hub", "departement": "7"}')$$) AS unknown_departement;
SELECT pg_temp.try($$SELECT * FROM smartregion.thd_rollout('{"hub": "thd_hub", "region": "99"}')$$) AS unknown_region;
SELECT count(*) AS communes_of_91 FROM smartregion.thd_rollout('{"hub": "thd_hub", "departement": "91", "territory_type": "commune"}');
DROP SCHEMA thd_hub CASCADE;
RESET client_min_messages;
