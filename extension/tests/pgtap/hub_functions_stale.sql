-- pgTAP: a hub made by an older build (docs/platform.md, "Hubs made by an older build";
-- docs/zones.md, "Earlier contours"; 2026-12-07, h2).  create_hub writes per-hub functions
-- (the SECURITY DEFINER _zae_zone_history_hidden among them) that a hub made before lacks,
-- or holds in an older body.  Before: an agent's published zone_indicators call on a hub
-- without the function withheld every zone in silence, and on a hub holding an older body
-- (one that did not ask about the zones as they stand, before the third red team) it
-- published a zone that another territory's zone it cannot read meets: the factory whole.
-- Now the call is refused (55000) naming the hub and the fix, and trust_problems() lists
-- the hub's missing or differing functions at any time.  The scene of secrecy_redteam3.sql:
-- 91479's restricted zone 21 over three shops of 91326 and 91479's factory, and the agent
-- of 91326's zone 20 inside it over its own parcel.
BEGIN;
SELECT plan(27);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql
-- the message and the hint of a failing query run as a role
CREATE FUNCTION pg_temp.hint_of(r name, q text, what text DEFAULT 'hint') RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text; m text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT, m = MESSAGE_TEXT;
    IF what = 'message' THEN h := m; END IF;
  END;
  RESET ROLE;
  RETURN h;
END $$;

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hfs_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hfs_hub') \gset
SELECT count(*) > 0 AS secured FROM smartregion.enable_territory_security('hfs_hub') \gset
CREATE ROLE hfs_agent_a IN ROLE smartregion_agent;
CREATE ROLE hfs_padmin IN ROLE smartregion_platform_admin;
INSERT INTO hfs_hub.agents VALUES ('hfs_agent_a', '91326');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326))),
  ('commune', '91479', 'Morsang', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(651000, 6860000, 652000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
INSERT INTO hfs_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted'),
  ('914790000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(651000, 6860200, 651800, 6860800, 2154)), '91479', 'restricted');
-- three shops of 91326 (47.11F, band 11: 14.5 jobs each) and 91479's factory (25.62B, band 21)
INSERT INTO hfs_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT s, n, b, DATE '2015-01-01', true, '5710', ST_SetSRID(ST_MakePoint(x, y), 2154), t, 'restricted'
  FROM (VALUES ('11111111100011', '47.11F', '11', 650300, 6860300, '91326'), ('22222222200012', '47.11F', '11', 650400, 6860400, '91326'),
               ('33333333300013', '47.11F', '11', 650500, 6860500, '91326'), ('44444444400014', '25.62B', '21', 651400, 6860500, '91479'))
       v(s, n, b, x, y, t);
INSERT INTO hfs_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (21, 'ZA de Morsang', 'existant et actif', 'commune', DATE '2020-01-01', '91479', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651800, 6860800, 2154)), '91479', 'restricted'),
  (20, 'ZA de Juvisy', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650200, 6860200, 651000, 6860800, 2154)), '91326', 'restricted');
\set hfs_z '''SELECT zone_id, geom FROM hfs_hub.zae_zones'''
\set hfs_p '''SELECT parcel_id, geom, land_unit_id FROM hfs_hub.zae_parcels'''
\set hfs_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM hfs_hub.zae_establishments'''
\set hfs_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(jobs_estimate::text, ''''null''''), coalesce(sector_mix::text, ''''null'''')) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) WHERE zone_id = %s'''
\set hfs_pub '''{"published": true}'''
\set hfs_problems '''SELECT coalesce(string_agg(object || '''': '''' || problem, '''' | '''' ORDER BY object), '''''''') FROM smartregion.trust_problems() WHERE object LIKE ''''function hfs_hub.%'''''''

-- a hub this build made: nothing to list, and the agent of 91326 withholds zone 20 (zone
-- 21, which it cannot read, meets it: the third red team's rule)
SELECT is(pg_temp.as_role('hfs_padmin', :hfs_problems), '', 'a hub this build made: trust_problems lists none of its functions');
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          'null / null / null', 'agent of 91326: zone 20 withheld (zone 21, restricted to 91479, meets it)');

-- an older body of _zae_zone_history_hidden: one that asked the earlier contours only (the
-- build before the third red team), simulated by a body answering false for every zone.
-- Replaced by hand after the calls above, in the same session: the templates' rendering is
-- remembered for the backend (_hub_template_functions, 2026-12-07, h3), the hub's function
-- is read on every call, so the calls below see the new body at once
CREATE OR REPLACE FUNCTION hfs_hub._zae_zone_history_hidden(hub name, caller name, zones bytea[])
RETURNS boolean[] LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$ BEGIN RETURN pg_catalog.array_fill(false, ARRAY[coalesce(pg_catalog.cardinality(zones), 0)]); END $fn$;
SELECT is(pg_temp.as_role('hfs_padmin', :hfs_problems),
          'function hfs_hub._zae_zone_history_hidden: the schema of a hub holds function _zae_zone_history_hidden in a version this build''s create_hub does not write (an older build''s, or replaced since)',
          'an older body: trust_problems lists it (before: nothing)');
-- on the build before, the agent published zone 20 as 3 / 43.5 / {"G": 3} (3 shops x 14.5
-- jobs), beside the platform's 4 / 118 of zone 21: the factory whole.  Now refused
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          '55000', 'an older body: the agent''s published call is refused, 55000 (before: 3 / 43.5 / {"G": 3}, the factory whole)');
SELECT is(pg_temp.hint_of('hfs_agent_a', format('SELECT 1 FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) x', :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub), 'message'),
          'function hfs_hub._zae_zone_history_hidden of hub "hfs_hub" is not the one this build of smartregion writes', '... its message names the function and the hub');
SELECT is(pg_temp.hint_of('hfs_agent_a', format('SELECT 1 FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) x', :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub)),
          'Run SELECT smartregion.create_hub(''hfs_hub'') again, as the hub''s owner, then SELECT smartregion.grant_roles(''hfs_hub'').', '... its hint the fix');

-- the function dropped (a hub made before it)
DROP FUNCTION hfs_hub._zae_zone_history_hidden(name, name, bytea[]);
SELECT is(pg_temp.as_role('hfs_padmin', :hfs_problems),
          'function hfs_hub._zae_zone_history_hidden: the schema of a hub lacks function _zae_zone_history_hidden, which this build''s create_hub writes',
          'the function dropped: trust_problems lists it (before: nothing)');
-- on the build before every zone withheld in silence (null / null / null): now refused
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          '55000', 'the function dropped: the agent''s published call is refused, 55000 (before: every zone withheld, no word why)');
SELECT is(pg_temp.hint_of('hfs_agent_a', format('SELECT 1 FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) x', :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub), 'message'),
          'hub "hfs_hub" has no function _zae_zone_history_hidden', '... its message names the hub and the function');
-- an unpublished call asks nothing of the hub: unchanged (the agent's own rows, zone 20:
-- three establishments, 3 x 14.5 = 43.5 jobs)
SELECT is(pg_temp.as_role('hfs_agent_a', format('SELECT concat_ws('' / '', establishments, jobs_estimate) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L) WHERE zone_id = 20', :hfs_z, :hfs_p, :hfs_e, '2024-06-30')),
          '3 / 43.5', 'an unpublished call of the agent: unchanged');
-- the platform administrator reads every contour and zone and asks nothing: its published
-- call runs, no error (zone 21 alone: withheld, zone 20 of another territory meeting it,
-- the third red team's rule)
SELECT is(pg_temp.as_role('hfs_padmin', format(:hfs_row, 'SELECT zone_id, geom FROM hfs_hub.zae_zones WHERE zone_id = 21', :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 21)),
          'null / null / null', 'the platform administrator''s published call runs as before (no 55000)');

-- the fix the hint names: create_hub again, then grant_roles
SELECT count(*) > 0 AS again FROM smartregion.create_hub('hfs_hub') \gset
SELECT count(*) > 0 AS granted_again FROM smartregion.grant_roles('hfs_hub') \gset
SELECT is(pg_temp.as_role('hfs_padmin', :hfs_problems), '', 'create_hub again: trust_problems lists none of the hub''s functions');
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          'null / null / null', 'create_hub again: the agent withholds zone 20 as before');
-- a function changed but for its body (red team of 2026-12-07 evening, h6): the check
-- compared the body of one function of that name.  Altered SECURITY INVOKER, the body the
-- same: not listed on the build before, the agent's call withholding every zone without a
-- word why (the body, run as the agent, fails closed); and an overload holding this build's
-- body beside the three-argument one replaced (the one the extension calls): not listed on
-- the build before, and the agent published zone 20 as 3 / 43.5 / {"G": 3} (3 shops x 14.5
-- jobs): the factory of 91479 whole, as above
SAVEPOINT altered;
ALTER FUNCTION hfs_hub._zae_zone_history_hidden(name, name, bytea[]) SECURITY INVOKER;
SELECT is(pg_temp.as_role('hfs_padmin', :hfs_problems),
          'function hfs_hub._zae_zone_history_hidden: the schema of a hub holds function _zae_zone_history_hidden in a version this build''s create_hub does not write (an older build''s, or replaced since)',
          'altered SECURITY INVOKER, its body unchanged: trust_problems lists it (before: nothing)');
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          '55000', 'altered SECURITY INVOKER: the agent''s published call is refused, 55000 (before: null / null / null, no word why)');
ROLLBACK TO altered;
DO $$ DECLARE b text; BEGIN
  SELECT p.prosrc INTO b FROM pg_proc p WHERE p.oid = 'hfs_hub._zae_zone_history_hidden(name, name, bytea[])'::regprocedure;
  EXECUTE format('CREATE FUNCTION hfs_hub._zae_zone_history_hidden(hub name, caller name, zones bytea[], pad int) RETURNS boolean[] '
                 'LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS %L', b);
END $$;
CREATE OR REPLACE FUNCTION hfs_hub._zae_zone_history_hidden(hub name, caller name, zones bytea[])
RETURNS boolean[] LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
AS $fn$ BEGIN RETURN pg_catalog.array_fill(false, ARRAY[coalesce(pg_catalog.cardinality(zones), 0)]); END $fn$;
SELECT is(pg_temp.as_role('hfs_padmin', :hfs_problems),
          'function hfs_hub._zae_zone_history_hidden: the schema of a hub holds function _zae_zone_history_hidden in a version this build''s create_hub does not write (an older build''s, or replaced since)',
          'replaced beside an overload holding this build''s body: trust_problems lists it (before: nothing)');
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          '55000', 'replaced beside an overload: the agent''s published call is refused, 55000 (before: 3 / 43.5 / {"G": 3}, the factory whole)');
ROLLBACK TO altered;
-- the templates changed after the calls above, in the same session (a new build's body of
-- _zae_zone_history_hidden, simulated by one word added to its template): the hub's function,
-- written by the former template, is no longer the one this build writes.  The rendering
-- remembered for the backend is keyed by the templates' row versions, so it is read again:
-- listed and refused at once (a memo that missed the change would answer '' and the agent's
-- row 'null / null / null')
SAVEPOINT new_template;
UPDATE smartregion.hub_table SET ddl = replace(ddl, 'WITH ORDINALITY u(b, i)', 'WITH ORDINALITY AS u(b, i)')
 WHERE table_name = 'zae_zone_history';
SELECT is(pg_temp.as_role('hfs_padmin', :hfs_problems),
          'function hfs_hub._zae_zone_history_hidden: the schema of a hub holds function _zae_zone_history_hidden in a version this build''s create_hub does not write (an older build''s, or replaced since)',
          'a template changed in the session: trust_problems lists the function the former one wrote');
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          '55000', 'a template changed in the session: the agent''s published call is refused, 55000');
ROLLBACK TO new_template;
-- the template as it was (rolled back): current again, in the same session
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          'null / null / null', 'the template rolled back: the agent withholds zone 20 as before');
-- a hub without zae_zone_history (made before it, or the table dropped): on the build before
-- skipped, its zones compared neither with earlier contours nor with each other, so the
-- agent published zone 20 as 3 / 43.5 / {"G": 3} (zone 21 not asked about) and the platform
-- zone 20 alone the same; now every published call over it is refused
SAVEPOINT no_history;
DROP TABLE hfs_hub.zae_zone_history;
-- trust_problems lists the missing table, with the fix (2026-12-07, h11: before, it listed
-- the hub's functions only, and this hub's are all current: nothing)
SELECT is(pg_temp.as_role('hfs_padmin', $$SELECT coalesce(string_agg(object || ': ' || problem || ' / ' || fix, ' | ' ORDER BY object), '') FROM smartregion.trust_problems() WHERE object LIKE '% hfs\_hub.%'$$),
          'table hfs_hub.zae_zone_history: the schema of a hub lacks table zae_zone_history, which this build''s create_hub makes / SELECT smartregion.create_hub(''hfs_hub'') again, as the hub''s owner, then SELECT smartregion.grant_roles(''hfs_hub'').',
          'no zae_zone_history: trust_problems lists the table and its fix (before: nothing)');
SELECT is(pg_temp.as_role('hfs_agent_a', format(:hfs_row, :hfs_z, :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          '55000', 'no zae_zone_history: the agent''s published call refused, 55000 (before: 3 / 43.5 / {"G": 3})');
SELECT is(pg_temp.as_role('hfs_padmin', format(:hfs_row, 'SELECT zone_id, geom FROM hfs_hub.zae_zones WHERE zone_id = 20', :hfs_p, :hfs_e, '2024-06-30', :hfs_pub, 20)),
          '55000', 'no zae_zone_history: the platform administrator''s published call of zone 20 alone refused, 55000 (before: 3 / 43.5 / {"G": 3}, zone 21 around it not compared)');
SELECT is(pg_temp.hint_of('hfs_padmin', format('SELECT 1 FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L) x', 'SELECT zone_id, geom FROM hfs_hub.zae_zones WHERE zone_id = 20', :hfs_p, :hfs_e, '2024-06-30', :hfs_pub), 'message'),
          'hub "hfs_hub" has no table zae_zone_history', '... its message names the hub and the table');
-- one row per table: a second one dropped (maturity_answer), two rows
DROP TABLE hfs_hub.maturity_answer;
SELECT is(pg_temp.as_role('hfs_padmin', $$SELECT coalesce(string_agg(object, ' | ' ORDER BY object), '') FROM smartregion.trust_problems() WHERE object LIKE 'table hfs\_hub.%'$$),
          'table hfs_hub.maturity_answer | table hfs_hub.zae_zone_history', 'two tables dropped: one row each');
ROLLBACK TO no_history;
-- the tables back (rolled back to before the drops): no table listed
SELECT is(pg_temp.as_role('hfs_padmin', $$SELECT count(*)::text FROM smartregion.trust_problems() WHERE object LIKE 'table hfs\_hub.%'$$),
          '0', 'every table there: no table listed');
-- a renamed hub keeps its functions current (their bodies name no schema)
ALTER SCHEMA hfs_hub RENAME TO hfs_renamed;
SELECT is(pg_temp.as_role('hfs_padmin', $$SELECT count(*)::text FROM smartregion.trust_problems() WHERE object LIKE 'function hfs\_%'$$),
          '0', 'the hub renamed: none of its functions listed');

SELECT * FROM finish();
ROLLBACK;
