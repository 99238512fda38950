-- pgTAP: the second red team of statistical secrecy (2026-12-07; docs/zones.md, red team
-- routes; docs/security.md).  A published zone figure is the figure of the whole
-- population: a published call whose texts read a hub's ZAE tables must read that hub's
-- establishments and parcels whole and unchanged, and its zones as stored.  On the build
-- before, a text filtering the population (WHERE siret <> 'X', a NAF section, a view, copy or
-- function doing so, fewer parcels), padding it with rows of its own, or drawing a zone
-- without a parcel published another table of the same zone, whose difference with the
-- whole one was the suppressed cell, whole.
BEGIN;
SELECT plan(37);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
-- SQLSTATE and message of a failing query run as a role, 'no error' when it runs
CREATE FUNCTION pg_temp.error_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
    RAISE EXCEPTION USING ERRCODE = 'SRROK', MESSAGE = 'no error';
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
  END;
  RESET ROLE;
  RETURN CASE WHEN st = 'SRROK' THEN msg ELSE st || ' ' || msg END;
END $$;

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rt2_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rt2_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('rt2_hub') \gset
CREATE ROLE rt2_agent_a IN ROLE smartregion_agent;
CREATE ROLE rt2_padmin IN ROLE smartregion_platform_admin;
GRANT CREATE ON SCHEMA public TO rt2_padmin;
INSERT INTO rt2_hub.agents VALUES ('rt2_agent_a', '91326');

-- The scene of zones_publication.sql: two communes side by side (Lambert-93), 91326
-- x 650000-651000 and 91479 x 651000-652000; zone 1 spans both (a parcel of each), zone 2
-- lies wholly inside 91326.
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
INSERT INTO rt2_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  ('914790000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted'),
  ('913260000A0002', 'legal_person', ST_Multi(ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)), '91326', 'restricted');
-- zone 1: three shops of 91326 (47.11F, band 11: 14.5 jobs each) and one factory of 91479
-- (25.62B, band 21: 74.5 jobs), the secret; zone 2: three other shops of 91326
INSERT INTO rt2_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility) VALUES
  ('11111111100011', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650300, 6860300), 2154), '91326', 'restricted'),
  ('22222222200012', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650400, 6860400), 2154), '91326', 'restricted'),
  ('33333333300013', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650500, 6860500), 2154), '91326', 'restricted'),
  ('44444444400014', '25.62B', '21', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(651400, 6860500), 2154), '91479', 'restricted'),
  ('55555555500015', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650200, 6860900), 2154), '91326', 'restricted'),
  ('66666666600016', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650400, 6860900), 2154), '91326', 'restricted'),
  ('77777777700017', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650600, 6860900), 2154), '91326', 'restricted');
INSERT INTO rt2_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA des deux communes', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)), '91326', 'public'),
  (2, 'ZA de Juvisy', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650100, 6860850, 650900, 6860950, 2154)), '91326', 'public');

\set rt_z '''SELECT zone_id, geom FROM rt2_hub.zae_zones'''
\set rt_p '''SELECT parcel_id, geom, land_unit_id FROM rt2_hub.zae_parcels'''
\set rt_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM rt2_hub.zae_establishments'''
-- one zone's published row as text: establishments / jobs / sector_mix
\set rt_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(jobs_estimate::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = %s'''
\set rt_pub '''{"published": true}'''
\set rt_refused '''22023 cannot publish zone indicators of other rows than table "rt2_hub.zae_establishments"'''

-- the platform's whole table: zone 1 counts 4 establishments, 3 x 14.5 + 74.5 = 118 jobs;
-- its C cell (one enterprise) is suppressed, and G with it (the total would give C back)
SELECT is(pg_temp.as_role('rt2_padmin', format(:rt_row, :rt_z, :rt_p, :rt_e, '2024-06-30', :rt_pub, 1)),
          '4 / 118 / {"C": null, "G": null}', 'platform, whole tables: zone 1 published 4 / 118, C and G suppressed');
-- the hub's tables read whole in another form (SELECT *, extra columns, a CTE) publish alike
SELECT is(pg_temp.as_role('rt2_padmin', format(:rt_row, :rt_z, 'SELECT * FROM rt2_hub.zae_parcels',
                                               'WITH e AS (SELECT * FROM rt2_hub.zae_establishments) SELECT * FROM e', '2024-06-30', :rt_pub, 1)),
          '4 / 118 / {"C": null, "G": null}', 'platform, SELECT * and a CTE over the whole tables: the same row');

-- Attack 1: WHERE siret <> the factory's.  On the build before the platform published
-- 3 / 43.5 / {"G": 3}: 4 - 3 = 1 establishment and 118 - 43.5 = 74.5 jobs in C, the
-- suppressed cell whole.  Now refused
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, :rt_z, :rt_p, :rt_e || ' WHERE siret <> ''44444444400014''', '2024-06-30', :rt_pub, 1)),
          :rt_refused, 'platform, establishments_sql WHERE siret <> X: refused (22023; before, 3 / 43.5 gave X)');
-- the detail counts what differs, as the caller reads it (1 missing, 0 extra)
SELECT matches(pg_temp.error_of('rt2_padmin', format($q$DO $d$ BEGIN PERFORM * FROM smartregion.zone_indicators(%L, %L, NULL, %L, '2024-06-30', '{"published": true}');
                                                  EXCEPTION WHEN invalid_parameter_value THEN
                                                    DECLARE d text; BEGIN GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL; RAISE EXCEPTION '%%', d; END; END $d$$q$,
                                               :rt_z, :rt_p, :rt_e || ' WHERE siret <> ''44444444400014''')),
               '^P0001 establishments_sql gives 0 rows that rt2_hub.zae_establishments does not hold and lacks 1 of its rows, as role "rt2_padmin" reads it',
               'the detail: 0 rows added, 1 lacking, as rt2_padmin reads the table');
-- Attack 2: a NAF filter (the factory's section C left out): the same 3 / 43.5 before
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, :rt_z, :rt_p, :rt_e || ' WHERE naf NOT LIKE ''25%%''', '2024-06-30', :rt_pub, 1)),
          :rt_refused, 'platform, a NAF filter: refused (before, 3 / 43.5 gave section C)');
-- Attack 3: padding.  Two made-up factories of 74.5 jobs in C make the cell 3 enterprises,
-- none over 85 % (74.5 / 223.5 = 33 %): before, C was published as 3, so less the two known
-- fakes the suppressed count of C, 1, came back exactly (the zone's jobs, 43.5 + 3 x 74.5 =
-- 267, are withheld by the rule "bands")
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, :rt_z, :rt_p,
            :rt_e || ' UNION ALL SELECT ''99999999900019'', ST_SetSRID(ST_MakePoint(651500, 6860500), 2154), ''25.62B'', ''21'', DATE ''2015-01-01'', NULL::date, true'
                  || ' UNION ALL SELECT ''98999999900018'', ST_SetSRID(ST_MakePoint(651600, 6860500), 2154), ''25.62B'', ''21'', DATE ''2015-01-01'', NULL::date, true',
            '2024-06-30', :rt_pub, 1)),
          :rt_refused, 'platform, the population padded with two made-up establishments: refused');
SELECT is(pg_temp.as_role('rt2_padmin', format(:rt_row, :rt_z, :rt_p,
            :rt_e || ' UNION ALL SELECT ''99999999900019'', ST_SetSRID(ST_MakePoint(651500, 6860500), 2154), ''25.62B'', ''21'', DATE ''2015-01-01'', NULL::date, true'
                  || ' UNION ALL SELECT ''98999999900018'', ST_SetSRID(ST_MakePoint(651600, 6860500), 2154), ''25.62B'', ''21'', DATE ''2015-01-01'', NULL::date, true',
            '2024-06-30', '{"published": true, "not_for_publication": true}', 1)),
          '6 / null / {"C": 3, "G": 3}', 'the padded table, not for publication (a check): C published as 3 (3 - 2 fakes = 1), what the build before published');
-- Attack 4: a view over the hub hiding the filter (the analysis reads the view's relations)
SET LOCAL ROLE rt2_padmin;
CREATE VIEW public.rt2_e AS SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM rt2_hub.zae_establishments WHERE naf NOT LIKE '25%';
RESET ROLE;
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, :rt_z, :rt_p, 'SELECT * FROM public.rt2_e', '2024-06-30', :rt_pub, 1)),
          :rt_refused, 'platform, a view over the hub filtering it: refused');
-- Attack 5: a filtered copy in a table of the caller's, the zones read from the hub
SET LOCAL ROLE rt2_padmin;
CREATE TABLE public.rt2_copy AS SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM rt2_hub.zae_establishments WHERE siret <> '44444444400014';
RESET ROLE;
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, :rt_z, :rt_p, 'SELECT * FROM public.rt2_copy', '2024-06-30', :rt_pub, 1)),
          :rt_refused, 'platform, a filtered copy of the establishments with the hub''s zones: refused');
-- Attack 5b: a PL/pgSQL function of the caller's returning the filtered rows, the zones and
-- parcels literal (the function's reads cannot be seen: compared with every hub's table)
SET LOCAL ROLE rt2_padmin;
CREATE FUNCTION public.rt2_f() RETURNS SETOF public.rt2_copy LANGUAGE plpgsql STABLE AS $f$
BEGIN RETURN QUERY SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM rt2_hub.zae_establishments WHERE siret <> '44444444400014'; END $f$;
RESET ROLE;
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, 'SELECT 1::bigint AS zone_id, ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154) AS geom',
                                                 'SELECT ''P'' AS parcel_id, ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154) AS geom, NULL::text AS land_unit_id',
                                                 'SELECT * FROM public.rt2_f()', '2024-06-30', :rt_pub, 1)),
          :rt_refused, 'platform, a function of its own returning the filtered rows: refused');
-- Attack 6: fewer parcels (the factory's left out: it is then off parcel, zone 1 counts the
-- three shops, 3 / 43.5 before, as the demo's QGIS layer over the public parcels did)
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, :rt_z, :rt_p || ' WHERE parcel_id <> ''914790000A0001''', :rt_e, '2024-06-30', :rt_pub, 1)),
          '22023 cannot publish zone indicators of other rows than table "rt2_hub.zae_parcels"', 'platform, parcels_sql without the factory''s parcel: refused');
-- Attack 8: zone 1 drawn without 91479's parcel (x 650200-651000 instead of 650200-651800):
-- before, 3 / 43.5 / {"G": 3} beside the hub's zone 1's 4 / 118: the factory whole.  The
-- zones of a published call reading the hub are the hub's, unchanged (any of them)
SELECT is(pg_temp.error_of('rt2_padmin', format(:rt_row, 'SELECT 1::bigint AS zone_id, ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)) AS geom',
                                                 :rt_p, :rt_e, '2024-06-30', :rt_pub, 1)),
          '22023 cannot publish zone indicators of other zones than those of table "rt2_hub.zae_zones"',
          'platform, zone 1 drawn without the factory''s parcel: refused');
SELECT is(pg_temp.as_role('rt2_padmin', format(:rt_row, :rt_z || ' WHERE zone_id = 2', :rt_p, :rt_e, '2024-06-30', :rt_pub, 2)),
          '3 / 43.5 / {"G": 3}', 'platform, one of the hub''s zones alone: published as in the whole call');
-- the CNIG files read the published call: SITE-ECO of the filtered population refused too
-- (before, site 1's site_nb_etab was 3 beside the whole population's 4)
SELECT is(pg_temp.error_of('rt2_padmin', format('SELECT * FROM smartregion.site_eco(%L, %L, %L, %L, %L)',
                                                 'SELECT * FROM rt2_hub.zae_zones', :rt_p, 'SELECT * FROM rt2_hub.zae_buildings',
                                                 :rt_e || ' WHERE siret <> ''44444444400014''', '2024-06-30')),
          :rt_refused, 'platform, site_eco of a filtered population: refused');
SELECT is(pg_temp.as_role('rt2_padmin', format('SELECT string_agg(coalesce(site_nb_etab::text, ''null''), '','' ORDER BY site_id) FROM smartregion.site_eco(%L, %L, %L, %L, %L)',
                                               'SELECT * FROM rt2_hub.zae_zones', :rt_p, 'SELECT * FROM rt2_hub.zae_buildings', :rt_e, '2024-06-30')),
          '4,3', 'platform, site_eco of the whole tables: 4 and 3 establishments');
-- Attack 7: a territory's agent filtering the zone in its scope (zone 2, its three shops:
-- 3 / 43.5 / {"G": 3} whole).  Less one shop the cell has 2 enterprises and is suppressed,
-- nothing given away here; but the rule is on the population, not on the cells it makes
SELECT is(pg_temp.as_role('rt2_agent_a', format(:rt_row, :rt_z, :rt_p, :rt_e, '2024-06-30', :rt_pub, 2)),
          '3 / 43.5 / {"G": 3}', 'agent of 91326, whole tables as it reads them: zone 2 published');
SELECT is(pg_temp.error_of('rt2_agent_a', format(:rt_row, :rt_z, :rt_p, :rt_e || ' WHERE siret <> ''55555555500015''', '2024-06-30', :rt_pub, 2)),
          :rt_refused, 'agent of 91326, a filtered population: refused');

-- Unchanged: a filtered table for the caller's own work (unpublished, not_for_publication),
-- and texts reading no hub (the caller's own data)
SELECT is(pg_temp.as_role('rt2_padmin', format('SELECT establishments::text FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L) WHERE zone_id = 1',
                                               :rt_z, :rt_p, :rt_e || ' WHERE siret <> ''44444444400014''', '2024-06-30')),
          '3', 'platform, unpublished filtered call: runs (its three shops)');
SELECT is(pg_temp.as_role('rt2_padmin', format(:rt_row, :rt_z, :rt_p, :rt_e || ' WHERE siret <> ''44444444400014''', '2024-06-30', '{"published": true, "not_for_publication": true}', 1)),
          '3 / 43.5 / {"G": 3}', 'platform, not_for_publication filtered call: runs');
SELECT is(pg_temp.as_role('rt2_padmin', format(:rt_row, 'SELECT 1::bigint AS zone_id, ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154) AS geom',
                                               'SELECT ''P'' AS parcel_id, ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154) AS geom, NULL::text AS land_unit_id',
                                               'SELECT ''11111111100011'' AS siret, ST_SetSRID(ST_MakePoint(650300, 6860300), 2154) AS geom, ''47.11F'' AS naf, ''11'' AS headcount_band, DATE ''2015-01-01'' AS start_date, NULL::date AS end_date, true AS cfe_liable',
                                               '2024-06-30', :rt_pub, 1)),
          'null / null / {"G": null}', 'texts reading no hub: secrecy only, no refusal');

-- Residual 3 of the red team (docs/security.md): a row of 91479 lying in 91326.  The factory
-- 88888888800018 at (650800, 6860900) lies in zone 2, wholly inside 91326 (x 650000-651000),
-- with territory_code '91479' (x 651000-652000): on the build before it was written, the
-- platform published zone 2 as 4 / 118 / {"C": null, "G": null} (3 x 14.5 + 74.5 = 118) and
-- 91326's agent, who cannot see it, 3 / 43.5 / {"G": 3}: the difference, the suppressed C
-- cell whole.  Now refused where it is written (its point is 200 m outside 91479's contour),
-- whoever writes it (here the superuser, the hub's owner)
SELECT throws_ok($$INSERT INTO rt2_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
                   VALUES ('88888888800018', '25.62B', '21', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650800, 6860900), 2154), '91479', 'restricted')$$,
                 '23514', 'row "88888888800018" of relation "zae_establishments" lies outside its territory "commune 91479"',
                 'an establishment of 91479 lying in 91326 (zone 2): refused at insert (23514)');
-- so the platform's and the agent's zone 2 are the same table: 3 shops, 3 x 14.5 = 43.5 jobs
SELECT is(pg_temp.as_role('rt2_padmin', format(:rt_row, :rt_z, :rt_p, :rt_e, '2024-06-30', :rt_pub, 2)),
          '3 / 43.5 / {"G": 3}', 'after the refused insert, the platform publishes zone 2 as the agent of 91326 does (3 / 43.5)');
-- moved there by an update of its point or of its territory: refused alike (the factory of
-- zone 1, at (651400, 6860500) in 91479, moved to (650800, 6860900); a shop of 91326 given
-- to 91479)
SELECT throws_ok($$UPDATE rt2_hub.zae_establishments SET geom = ST_SetSRID(ST_MakePoint(650800, 6860900), 2154) WHERE siret = '44444444400014'$$,
                 '23514', 'row "44444444400014" of relation "zae_establishments" lies outside its territory "commune 91479"',
                 'an establishment of 91479 moved into 91326: refused at update (23514)');
SELECT throws_ok($$UPDATE rt2_hub.zae_parcels SET territory_code = '91479' WHERE parcel_id = '913260000A0002'$$,
                 '23514', 'row "913260000A0002" of relation "zae_parcels" lies outside its territory "commune 91479"',
                 'a parcel of 91326 given to 91479: refused (23514)');
-- the tolerance: a parcel whose edge lies 0.9 m past its commune's boundary is written
-- (a boundary drawn from another survey); 1.1 m past it, refused.  A contour loaded after
-- the rows: zae_rows_outside_territory lists the row it would have refused
SELECT lives_ok($$INSERT INTO rt2_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code) VALUES
                  ('914790000A0009', 'legal_person', ST_Multi(ST_MakeEnvelope(650999.1, 6860100, 651100, 6860150, 2154)), '91479')$$,
                'a parcel of 91479 0.9 m past its boundary: written (tolerance 1 m)');
SELECT throws_ok($$INSERT INTO rt2_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code) VALUES
                   ('914790000A0010', 'legal_person', ST_Multi(ST_MakeEnvelope(650998.9, 6860160, 651100, 6860190, 2154)), '91479')$$,
                 '23514', 'row "914790000A0010" of relation "zae_parcels" lies outside its territory "commune 91479"',
                 'a parcel of 91479 1.1 m past its boundary: refused');
-- without 91479's contour there is no check: the factory is written; once the contour is
-- loaded again, the DBA finds it (the parcel 0.9 m past is not listed)
UPDATE smartregion.territory SET geom = NULL WHERE type = 'commune' AND code = '91479';
SELECT lives_ok($$INSERT INTO rt2_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
                  VALUES ('88888888800018', '25.62B', '21', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(650800, 6860900), 2154), '91479', 'restricted')$$,
                'without the contour of 91479: the misplaced factory is written (no check)');
UPDATE smartregion.territory SET geom = ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)) WHERE type = 'commune' AND code = '91479';
SELECT is((SELECT array_agg(concat_ws(' ', table_name, row_id, territory_type, territory_code)) FROM smartregion.zae_rows_outside_territory('rt2_hub')),
          ARRAY['zae_establishments 88888888800018 commune 91479'],
          'zae_rows_outside_territory after the contour is loaded again: the factory only');
-- such a row does not stop an update of its other columns (the data-protection requests
-- update rows); its point moved, it is checked (here still outside: refused)
SELECT lives_ok($$UPDATE rt2_hub.zae_establishments SET etab_nom = 'X' WHERE siret = '88888888800018'$$,
                'a row outside its contour, written before: an update of another column passes');
SELECT throws_ok($$UPDATE rt2_hub.zae_establishments SET geom = ST_SetSRID(ST_MakePoint(650810, 6860900), 2154) WHERE siret = '88888888800018'$$,
                 '23514', 'row "88888888800018" of relation "zae_establishments" lies outside its territory "commune 91479"',
                 'the same row moved (still in 91326): refused');
-- an agent's write is checked as well (the trigger reads the contours as its caller): the
-- agent of 91326 writing a row of 91326 at (651500, 6860500), in 91479
SELECT is(pg_temp.error_of('rt2_agent_a', $$INSERT INTO rt2_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
                  VALUES ('12121212100015', '47.11F', '11', '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(651500, 6860500), 2154), '91326', 'restricted')$$),
          '23514 row "12121212100015" of relation "zae_establishments" lies outside its territory "commune 91326"',
          'agent of 91326, a row of 91326 lying in 91479: refused (23514)');
-- Red team of 2026-12-07 (h13): one zone published under two rule sets.  A zone of nine
-- establishments of nine enterprises: C one factory (25.62B, band 21: 74.5 jobs), G three
-- shops (47.11F, band 11: 3 x 14.5 = 43.5), J one firm of band 12 (34.5) and four of band 02
-- (4 each): 50.5, its largest 34.5 / 50.5 = 68 % of it.  Under the defaults C is primary (one
-- enterprise) and its secondary is the cheapest cell, G (3 establishments against J's 5):
-- {"C": null, "G": null, "J": 5}.  Under dominance 0.6 J is primary too (34.5 > 0.6 x 50.5 =
-- 30.3) and C and J protect each other (C's level 0.1 x 74.5 = 7.45 <= 50.5; J's
-- 34.5 / 0.6 - 50.5 = 7 <= 74.5), so G is published: {"C": null, "G": 3, "J": null}.  Both
-- releases give C = 9 - 3 - 5 = 1, the factory whole.  On the build before the stricter
-- release was published; now a published call takes the default rules only (22023), and a
-- stricter table is for checking (not_for_publication)
\set rs_z 'SELECT 1::bigint AS zone_id, ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154) AS geom'
\set rs_p 'SELECT ''P'' AS parcel_id, ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154) AS geom, NULL::text AS land_unit_id'
\set rs_e 'SELECT siret, ST_SetSRID(ST_MakePoint(650000 + 10 * row_number() OVER (ORDER BY siret), 6860500), 2154) AS geom, naf, band AS headcount_band, DATE ''2015-01-01'' AS start_date, NULL::date AS end_date, false AS cfe_liable FROM (VALUES (''10000000100011'', ''25.62B'', ''21''), (''20000000100011'', ''47.11F'', ''11''), (''20000000200011'', ''47.11F'', ''11''), (''20000000300011'', ''47.11F'', ''11''), (''30000000100011'', ''62.01Z'', ''12''), (''30000000200011'', ''62.01Z'', ''02''), (''30000000300011'', ''62.01Z'', ''02''), (''30000000400011'', ''62.01Z'', ''02''), (''30000000500011'', ''62.01Z'', ''02'')) v(siret, naf, band)'
\set rs_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)'''
SELECT is(pg_temp.as_role('rt2_padmin', format(:rs_row, :'rs_z', :'rs_p', :'rs_e', '2024-06-30', :rt_pub)),
          '9 / {"C": null, "G": null, "J": 5}', 'rule sets: the default release hides C and G (C + G = 9 - 5 = 4)');
SELECT is(pg_temp.error_of('rt2_padmin', format(:rs_row, :'rs_z', :'rs_p', :'rs_e', '2024-06-30', '{"published": true, "rules": {"dominance": 0.6}}')),
          '22023 secrecy rules other than the defaults cannot be published',
          'rule sets: a published release under dominance 0.6 is refused (before: G = 3 published, so C = 1)');
SELECT is(pg_temp.as_role('rt2_padmin', format(:rs_row, :'rs_z', :'rs_p', :'rs_e', '2024-06-30', '{"published": true, "rules": {"dominance": 0.6}, "not_for_publication": true}')),
          '9 / {"C": null, "G": 3, "J": null}', 'rule sets: the same rules for checking only give the other pattern (the attack: C = 9 - 3 - 5 = 1)');
SELECT is(pg_temp.error_of('rt2_padmin', format('SELECT count(*) FROM smartregion.site_eco(%L, %L, NULL, %L, %L, %L)', :'rs_z', :'rs_p', :'rs_e', '2024-06-30', '{"rules": {"protection_level": 0.5}}')),
          '22023 secrecy rules other than the defaults cannot be published',
          'rule sets: a CNIG export under a stricter protection level is refused too');
-- The same zone under the defaults and under "fiscal" (a choice of the call, kept): C one
-- factory, G 30 shops of 5 enterprises (6 each), J 12 firms of 12 enterprises, 43
-- establishments.  Under the defaults C is primary and its secondary is J, the cheaper by
-- establishments (12 < 30): {"C": null, "G": 30, "J": null}.  Fiscal alone, C and G (5 < 11
-- units) are primary and protect each other and J (12 units) was shown: {"C": null, "G": null,
-- "J": 12}, so C = 43 - 30 - 12 = 1 on the build before.  Now the fiscal pattern also hides
-- what the default one hides: J too, and the two releases give C + J = 13 only
\set rf_e 'SELECT siret, ST_SetSRID(ST_MakePoint(650000 + 10 * row_number() OVER (ORDER BY siret), 6860500), 2154) AS geom, naf, band AS headcount_band, DATE ''2015-01-01'' AS start_date, NULL::date AS end_date, false AS cfe_liable FROM (SELECT ''10000000100011'' AS siret, ''25.62B'' AS naf, ''21'' AS band UNION ALL SELECT (200000000 + g % 5)::text || lpad(g::text, 5, ''0''), ''47.11F'', ''02'' FROM generate_series(1, 30) g UNION ALL SELECT (300000000 + g)::text || ''00011'', ''62.01Z'', ''02'' FROM generate_series(1, 12) g) v'
SELECT is(pg_temp.as_role('rt2_padmin', format(:rs_row, :'rs_z', :'rs_p', :'rf_e', '2024-06-30', :rt_pub)),
          '43 / {"C": null, "G": 30, "J": null}', 'fiscal: the default release hides C and J (C + J = 43 - 30 = 13)');
SELECT is(pg_temp.as_role('rt2_padmin', format(:rs_row, :'rs_z', :'rs_p', :'rf_e', '2024-06-30', '{"published": true, "fiscal": true}')),
          '43 / {"C": null, "G": null, "J": null}', 'fiscal: the fiscal release hides J too (before: J = 12 shown, so C = 1)');
SELECT * FROM finish();
ROLLBACK;
