-- pgTAP: one set of secrecy rules for every release of a hub (docs/zones.md, one rule
-- set; 2026-12-07, h2).  Since the red team of that day (two releases of one zone under
-- the defaults and dominance 0.6 gave C = 9 - 3 - 5 = 1, the factory whole) a publication
-- took the default rules only.  Now the hub's owner or the platform administrator sets
-- stricter rules for every release of the hub (set_secrecy_rules), while the hub has never
-- held a zone; published calls and CNIG exports over it take that set and refuse others.
-- Also: a table "not_for_publication" says published false; parcels_sql reading another
-- hub table than zae_parcels is refused.
BEGIN;
SELECT plan(77);
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
-- the hint of a failing query run as a role
CREATE FUNCTION pg_temp.hint_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE h text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS h = PG_EXCEPTION_HINT;
  END;
  RESET ROLE;
  RETURN h;
END $$;
-- the detail of a failing query run as a role
CREATE FUNCTION pg_temp.detail_of(r name, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE d text;
BEGIN
  BEGIN
    EXECUTE format('SET LOCAL ROLE %I', r);
    EXECUTE q;
  EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS d = PG_EXCEPTION_DETAIL;
  END;
  RESET ROLE;
  RETURN d;
END $$;

SELECT count(*) >= 0 AS roles FROM smartregion.create_roles() \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('sh_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('sh_hub') \gset
SELECT count(*) > 0 AS hub2 FROM smartregion.create_hub('sh_hub2') \gset
SELECT count(*) > 0 AS granted2 FROM smartregion.grant_roles('sh_hub2') \gset
SELECT count(*) > 0 AS hub3 FROM smartregion.create_hub('sh_hub3') \gset
CREATE ROLE sh_owner IN ROLE smartregion_reader;
CREATE ROLE sh_agent IN ROLE smartregion_agent;
CREATE ROLE sh_padmin IN ROLE smartregion_platform_admin;
INSERT INTO sh_hub.agents VALUES ('sh_agent', '91326');
INSERT INTO smartregion.territory (type, code, name, epci_code, geom) VALUES
  ('epci', '200057859', 'CA Grand-Orly Seine Bievre', NULL, NULL),
  ('commune', '91326', 'Juvisy', '200057859', ST_Multi(ST_Transform(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154), 4326)))
ON CONFLICT (type, code) DO UPDATE SET geom = EXCLUDED.geom, epci_code = EXCLUDED.epci_code;
-- the owner of hub sh_hub3: of its tables (the agents table is its identity)
ALTER TABLE sh_hub3.agents OWNER TO sh_owner;
ALTER TABLE sh_hub3.zae_zones OWNER TO sh_owner;
-- (and of its earlier contours, which the rules' check reads too, as zae_zones: h13)
ALTER TABLE sh_hub3.zae_zone_history OWNER TO sh_owner;
GRANT USAGE ON SCHEMA sh_hub3 TO sh_owner;

SELECT has_function('smartregion', 'set_secrecy_rules', ARRAY['name', 'jsonb'], 'set_secrecy_rules(name, jsonb) exists');
SELECT volatility_is('smartregion', 'set_secrecy_rules', ARRAY['name', 'jsonb'], 'volatile', 'set_secrecy_rules is VOLATILE');

-- who sets the rules: not an agent, directly or through the function
SELECT is(pg_temp.error_of('sh_agent', $$SELECT smartregion.set_secrecy_rules('sh_hub', '{"dominance": 0.6}')$$),
          '42501 permission denied to set the secrecy rules of hub "sh_hub"', 'an agent cannot set its hub''s rules (42501)');
-- never weaker than the defaults, in any rule
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub3', '{"dominance": 0.6, "min_units": 2}')$$),
          '22023 secrecy rules of hub "sh_hub3" cannot be weaker than the defaults', 'weaker rules refused (min_units 2 < 3), 22023');
-- a hub's owner sets its rules (on the hub without zones); merged over the defaults
SELECT is(pg_temp.as_role('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub3', '{"min_units": 4}')::text$$, true)::jsonb,
          '{"bands": true, "dominance": 0.85, "min_units": 4, "protection_level": 0.1, "fiscal_min_units": 11}'::jsonb,
          'the hub''s owner sets min_units 4, merged over the defaults');
-- a hub's owner without SELECT on its own zae_zones (revoked): the rules' check that the hub
-- never held a zone reads it as the caller.  The project's 42501, naming the role, the table
-- and the fix, where PostgreSQL's bare `permission denied for table zae_zones` came (the
-- build before 2026-12-07: the first assertion fails, the detail and hint were NULL)
REVOKE SELECT ON sh_hub3.zae_zones FROM sh_owner;
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub3', '{"min_units": 4}')$$),
          '42501 permission denied for table sh_hub3.zae_zones', 'an owner without SELECT on its zae_zones: 42501 naming the table');
SELECT is(pg_temp.detail_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub3', '{"min_units": 4}')$$),
          'Role "sh_owner" has no SELECT on table sh_hub3.zae_zones, which the secrecy rules of hub "sh_hub3" read: they change only while the hub has never held a zone.',
          '... the detail names the role, the table, the hub and why');
SELECT is(pg_temp.hint_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub3', '{"min_units": 4}')$$),
          'Grant the role SELECT on table sh_hub3.zae_zones (the table''s owner may grant it to itself), or have the platform administrator set the rules.',
          '... the hint the fix');
GRANT SELECT ON sh_hub3.zae_zones TO sh_owner;
SELECT is(pg_temp.as_role('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub3', '{"min_units": 4}') ->> 'min_units'$$, true),
          '4', '... which done, the owner sets its rules again');
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub', '{"min_units": 4}')$$),
          '42501 permission denied to set the secrecy rules of hub "sh_hub"', 'but not another hub''s (42501)');
-- the platform administrator sets sh_hub's, and may change them while it never held a zone
SELECT is(pg_temp.as_role('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub', '{"dominance": 0.5}') ->> 'dominance'$$, true),
          '0.5', 'the platform administrator sets a hub''s rules');
SELECT is(pg_temp.as_role('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub', '{"dominance": 0.6}') ->> 'dominance'$$, true),
          '0.6', 'and changes them while the hub never held a zone');
-- agents read the set, and cannot write the table directly
SELECT is(pg_temp.as_role('sh_agent', $$SELECT rules ->> 'dominance' FROM smartregion.hub_secrecy_rules WHERE hub_schema = 'sh_hub'$$),
          '0.6', 'an agent reads its hub''s set');
SELECT is(pg_temp.error_of('sh_agent', $$UPDATE smartregion.hub_secrecy_rules SET rules = '{}' WHERE hub_schema = 'sh_hub'$$),
          '42501 permission denied to set the secrecy rules of hub "sh_hub"', 'an agent cannot update the table directly (42501)');
SELECT is(pg_temp.error_of('sh_padmin', $$INSERT INTO smartregion.hub_secrecy_rules (hub_id, hub_schema, rules) VALUES ('sh_hub2.zae_zones'::regclass, 'sh_hub2', '{}')$$),
          '22023 relation "sh_hub2.zae_zones" is not the agents table of a hub', 'a row names a hub by its agents table (22023)');
SELECT is(pg_temp.error_of('sh_agent', $$DELETE FROM smartregion.hub_secrecy_rules WHERE hub_schema = 'sh_hub'$$),
          '42501 permission denied to set the secrecy rules of hub "sh_hub"', 'nor delete the set (42501)');
-- the writes are PUBLIC's and the trigger decides (set_secrecy_rules runs as its caller, and a
-- hub's owner is any role owning an agents table); nothing the trigger does not see
-- (TRUNCATE fires no row trigger)
SELECT is((SELECT string_agg(a.privilege_type, ',' ORDER BY a.privilege_type)
             FROM pg_class c, aclexplode(c.relacl) a WHERE c.oid = 'smartregion.hub_secrecy_rules'::regclass AND a.grantee = 0),
          'DELETE,INSERT,SELECT,UPDATE', 'PUBLIC may select, insert, update and delete, not truncate');

-- The zone of the red team of 2026-12-07 (secrecy_redteam2.sql), now in the hub: C one
-- factory (band 21, 74.5 jobs), G three shops (band 11, 14.5 each), J a firm of band 12
-- (34.5 jobs) and four of band 02 (4 each): J = 50.5 jobs, its largest 34.5 / 50.5 = 68 %.
-- Under the defaults C is primary (one unit) and G its cheapest secondary:
-- {"C": null, "G": null, "J": 5}.  Under dominance 0.6 J is primary too (34.5 > 0.6 x 50.5
-- = 30.3) and C and J protect each other (C's level 7.45 <= 50.5; J's 34.5 / 0.6 - 50.5 = 7
-- <= 74.5), so G is published: {"C": null, "G": 3, "J": null}
INSERT INTO sh_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'public');
INSERT INTO sh_hub.zae_parcels (parcel_id, owner_kind, geom, territory_code, visibility) VALUES
  ('913260000A0001', 'legal_person', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'restricted');
INSERT INTO sh_hub.zae_establishments (siret, naf, headcount_band, start_date, cfe_liable, etab_nat_juridique, geom, territory_code, visibility)
SELECT siret, naf, band, DATE '2015-01-01', false, '5710', ST_SetSRID(ST_MakePoint(650000 + 10 * row_number() OVER (ORDER BY siret), 6860500), 2154), '91326', 'restricted'
  FROM (VALUES ('10000000100011', '25.62B', '21'), ('20000000100011', '47.11F', '11'), ('20000000200011', '47.11F', '11'),
               ('20000000300011', '47.11F', '11'), ('30000000100011', '62.01Z', '12'), ('30000000200011', '62.01Z', '02'),
               ('30000000300011', '62.01Z', '02'), ('30000000400011', '62.01Z', '02'), ('30000000500011', '62.01Z', '02')) v(siret, naf, band);

\set sh_z '''SELECT zone_id, geom FROM sh_hub.zae_zones'''
\set sh_p '''SELECT parcel_id, geom, land_unit_id FROM sh_hub.zae_parcels'''
\set sh_e '''SELECT siret, geom, naf, headcount_band, start_date, end_date, cfe_liable FROM sh_hub.zae_establishments'''
\set sh_row '''SELECT concat_ws('''' / '''', coalesce(establishments::text, ''''null''''), coalesce(sector_mix::text, ''''null''''), published::text) FROM smartregion.zone_indicators(%L, %L, NULL, %L, %L, %L)'''

-- a published call over the hub takes its set (on the build before: the defaults'
-- {"C": null, "G": null, "J": 5})
SELECT is(pg_temp.as_role('sh_padmin', format(:sh_row, :sh_z, :sh_p, :sh_e, '2024-06-30', '{"published": true}')),
          '9 / {"C": null, "G": 3, "J": null} / true', 'published, no rules passed: the hub''s set (dominance 0.6) applies');
SELECT is(pg_temp.as_role('sh_padmin', format(:sh_row, :sh_z, :sh_p, :sh_e, '2024-06-30', '{"published": true, "rules": {"dominance": 0.6}}')),
          '9 / {"C": null, "G": 3, "J": null} / true', 'published, the hub''s set passed: the same table');
-- other rules, the defaults included, are refused: a second pattern of the same zone
SELECT is(pg_temp.error_of('sh_padmin', format(:sh_row, :sh_z, :sh_p, :sh_e, '2024-06-30', '{"published": true, "rules": {"dominance": 0.85}}')),
          '22023 secrecy rules other than those of hub "sh_hub" cannot be published',
          'published under the defaults over the hub: refused (the other pattern would give C = 9 - 3 - 5 = 1)');
SELECT is(pg_temp.hint_of('sh_padmin', format(:sh_row, :sh_z, :sh_p, :sh_e, '2024-06-30', '{"published": true, "rules": {"min_units": 5}}')),
          'Leave "rules" out to publish under the hub''s rules {"min_units": 3, "dominance": 0.6, "fiscal_min_units": 11, "protection_level": 0.1, "bands": true}, or pass "not_for_publication": true to make a table for checking only.',
          'the hint names the hub''s set');
-- a table for checking takes any rules, and says it is not published (item 2: it said true)
SELECT is(pg_temp.as_role('sh_padmin', format(:sh_row, :sh_z, :sh_p, :sh_e, '2024-06-30', '{"published": true, "rules": {"dominance": 0.85}, "not_for_publication": true}')),
          '9 / {"C": null, "G": null, "J": 5} / false', 'not for publication: the defaults'' pattern, published false (true on the build before)');
SELECT is(pg_temp.as_role('sh_padmin', format(:sh_row, :sh_z, :sh_p, :sh_e, '2024-06-30', '{}')),
          '9 / {"C": 1, "G": 3, "J": 5} / false', 'unpublished: every cell, published false');
-- the CNIG exports take the hub's set too, and refuse others
SELECT is(pg_temp.as_role('sh_padmin', format('SELECT site_nb_etab FROM smartregion.site_eco(%L, %L, NULL, %L, %L, %L)', 'SELECT * FROM sh_hub.zae_zones', :sh_p, :sh_e, '2024-06-30', '{}')),
          '9', 'site_eco over the hub, no rules: the zone total 9 published under the hub''s set');
SELECT is(pg_temp.error_of('sh_padmin', format('SELECT count(*) FROM smartregion.site_eco(%L, %L, NULL, %L, %L, %L)', :sh_z, :sh_p, :sh_e, '2024-06-30', '{"rules": {"protection_level": 0.5}}')),
          '22023 secrecy rules other than those of hub "sh_hub" cannot be published', 'site_eco under other rules than the hub''s: refused');
SELECT is(pg_temp.error_of('sh_padmin', format('SELECT count(*) FROM smartregion.site_eco(%L, %L, NULL, %L, %L, %L)', :sh_z, :sh_p, :sh_e, '2024-06-30', '{"rules": {}}')),
          '22023 secrecy rules other than those of hub "sh_hub" cannot be published', 'site_eco under the defaults passed as such over the hub: refused');
SELECT is(pg_temp.as_role('sh_padmin', format('SELECT site_nb_etab FROM smartregion.site_eco(%L, %L, NULL, %L, %L, %L)', 'SELECT * FROM sh_hub.zae_zones', :sh_p, :sh_e, '2024-06-30', '{"rules": {"protection_level": 0.5}, "not_for_publication": true}')),
          '9', 'site_eco for checking under other rules: made');
-- a hub without a set still publishes under the defaults only (the literal texts read no hub)
SELECT is(pg_temp.error_of('sh_padmin', format(:sh_row, 'SELECT 1::bigint AS zone_id, ST_MakeEnvelope(0, 0, 10, 10, 2154) AS geom', 'SELECT ''P'' AS parcel_id, ST_MakeEnvelope(0, 0, 10, 10, 2154) AS geom, NULL::text AS land_unit_id', NULL, '2024-06-30', '{"published": true, "rules": {"dominance": 0.6}}')),
          '22023 secrecy rules other than the defaults cannot be published', 'texts reading no hub: stricter rules refused as before');
-- two hubs of different sets in one call: refused
SELECT is(pg_temp.error_of('sh_padmin', format(:sh_row, 'SELECT zone_id, geom FROM sh_hub.zae_zones UNION ALL SELECT zone_id, geom FROM sh_hub2.zae_zones', :sh_p, :sh_e, '2024-06-30', '{"published": true}')),
          '22023 cannot publish zone indicators of hubs under different secrecy rules', 'texts reading two hubs of different sets: refused');

-- the set is fixed once the hub has held a zone: a release under it may exist
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub', '{"dominance": 0.7}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub" after it has held activity zones', 'changing the set once the hub holds zones: refused (55000)');
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub', NULL)$$),
          '55000 cannot change the secrecy rules of hub "sh_hub" after it has held activity zones', 'nor removed (back to the defaults)');
SELECT is(pg_temp.as_role('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub', '{"dominance": 0.6}') ->> 'dominance'$$),
          '0.6', 'setting the same set again passes');
INSERT INTO sh_hub3.zae_zones (zone_id, site_nom, geom, territory_code) VALUES
  (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326');
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub3', '{"min_units": 5}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub3" after it has held activity zones', 'the owner neither, once its hub holds a zone');
-- emptying zae_zones does not reopen it (the write is recorded: releases made stay made)
DELETE FROM sh_hub.zae_zones;
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub', '{"dominance": 0.7}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub" after it has held activity zones', 'zae_zones emptied: still refused');

-- A dump restores the row after the hub's zones (schema "h" sorts before "smartregion";
-- scripts/dump-restore-test.sh restores one for real): pg_dump's COPY gives the row its
-- original set_by and set_at, in the past.  The guard lets a superuser's insert of such a
-- row through, kept as it was (a superuser may disable the trigger anyway); for every other
-- role, and for set_secrecy_rules (set_at now()), the 55000 rule stands.  Hub sh_hub4: a
-- zone, no set (the defaults), owned by sh_owner
SELECT count(*) > 0 AS hub4 FROM smartregion.create_hub('sh_hub4') \gset
SELECT count(*) > 0 AS granted4 FROM smartregion.grant_roles('sh_hub4') \gset
ALTER TABLE sh_hub4.agents OWNER TO sh_owner;
ALTER TABLE sh_hub4.zae_zones OWNER TO sh_owner;
GRANT USAGE ON SCHEMA sh_hub4 TO sh_owner;
INSERT INTO sh_hub4.zae_zones (zone_id, site_nom, geom, territory_code) VALUES
  (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326');
\set sh_restore '''INSERT INTO smartregion.hub_secrecy_rules (hub_id, hub_schema, rules, set_by, set_at) VALUES (''''sh_hub4.agents'''', ''''sh_hub4'''', %L, ''''sh_former_owner'''', %s)'''
SELECT is(pg_temp.error_of('sh_owner', format(:sh_restore, '{"dominance": 0.6}', '''2026-01-02 10:00+00''')),
          '55000 cannot change the secrecy rules of hub "sh_hub4" after it has held activity zones', 'the hub''s owner writing a dumped row (a past set_at): 55000');
SELECT is(pg_temp.error_of('sh_padmin', format(:sh_restore, '{"dominance": 0.6}', '''2026-01-02 10:00+00''')),
          '55000 cannot change the secrecy rules of hub "sh_hub4" after it has held activity zones', 'the platform administrator too: a restore is a superuser''s');
SELECT is(pg_temp.error_of('sh_agent', format(:sh_restore, '{"dominance": 0.6}', '''2026-01-02 10:00+00''')),
          '42501 permission denied to set the secrecy rules of hub "sh_hub4"', 'an agent: 42501, as before');
SELECT throws_ok($$SELECT smartregion.set_secrecy_rules('sh_hub4', '{"dominance": 0.6}')$$, '55000',
                 'cannot change the secrecy rules of hub "sh_hub4" after it has held activity zones', 'a superuser through set_secrecy_rules: 55000');
SELECT throws_ok(format(:sh_restore, '{"dominance": 0.6}', 'now()'), '55000',
                 'cannot change the secrecy rules of hub "sh_hub4" after it has held activity zones', 'a superuser''s row set now (not a dumped one): 55000');
SELECT throws_ok(format(:sh_restore, '{"min_units": 2}', '''2026-01-02 10:00+00'''), '22023',
                 'secrecy rules of hub "sh_hub4" cannot be weaker than the defaults', 'a dumped row weaker than the defaults: 22023');
-- (on the build before: 55000, the restore lost the set)
SELECT lives_ok(format(:sh_restore, '{"dominance": 0.6}', '''2026-01-02 10:00+00'''), 'a superuser restores a dumped row after the zones');
SELECT is((SELECT (rules ->> 'dominance') || ' ' || (rules ->> 'min_units') || ' ' || set_by || ' ' || (set_at = '2026-01-02 10:00+00') FROM smartregion.hub_secrecy_rules WHERE hub_schema = 'sh_hub4'),
          '0.6 3 sh_former_owner true', 'kept as it was: merged over the defaults (min_units 3), set_by and set_at the dump''s');
-- the row of a hub dropped by hand before the dump names its agents table by a bare OID,
-- which no relation has: a restore skips it (a warning), where the COPY of the table failed
-- whole (42P01), losing every hub's set; written otherwise, still 42P01
CREATE TABLE pg_temp.sh_gone (i int);
SELECT 'pg_temp.sh_gone'::regclass::oid AS gone_oid \gset
DROP TABLE pg_temp.sh_gone;
SELECT lives_ok(format('INSERT INTO smartregion.hub_secrecy_rules (hub_id, hub_schema, rules, set_by, set_at) VALUES (%s, ''sh_gone'', ''{}'', ''x'', ''2026-01-02'')', :gone_oid),
                'a dumped row of a hub dropped before the dump: skipped by a superuser''s restore (42P01 on the build before)');
SELECT is((SELECT count(*) FROM smartregion.hub_secrecy_rules WHERE hub_schema = 'sh_gone'), 0::bigint, 'and not written');
SELECT throws_ok(format('INSERT INTO smartregion.hub_secrecy_rules (hub_id, hub_schema, rules) VALUES (%s, ''sh_gone'', ''{}'')', :gone_oid),
                 '42P01', format('hub "%s" does not exist', :gone_oid), 'the same row set now: 42P01');
SELECT throws_ok($$UPDATE smartregion.hub_secrecy_rules SET rules = '{"dominance": 0.5}', set_at = '2026-01-01' WHERE hub_schema = 'sh_hub4'$$, '55000',
                 'cannot change the secrecy rules of hub "sh_hub4" after it has held activity zones', 'then fixed: a superuser''s update with a past set_at, 55000');

-- Item 3 (the note of 2026-12-07): parcels_sql reading another hub table than zae_parcels
-- (its buildings as parcels): refused, since the texts read the hub's ZAE tables and the
-- parcels must be its zae_parcels whole (also on the build before).  Read as such, the
-- factory's building alone would have been the parcels: another placement, whose table's
-- difference with the hub's is what _zones_publication_inputs refuses
INSERT INTO sh_hub.zae_zones (zone_id, site_nom, site_etat, site_moa_type, site_identif_date, comm_insee, geom, territory_code, visibility) VALUES
  (1, 'ZA', 'existant et actif', 'commune', DATE '2020-01-01', '91326', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'public');
INSERT INTO sh_hub.zae_buildings (building_id, geom, territory_code, levels) VALUES
  (1, ST_Multi(ST_MakeEnvelope(650000, 6860400, 650100, 6860600, 2154)), '91326', 1);
SELECT is(pg_temp.error_of('sh_padmin', format(:sh_row, :sh_z, 'SELECT building_id::text AS parcel_id, geom, NULL::text AS land_unit_id FROM sh_hub.zae_buildings', :sh_e, '2024-06-30', '{"published": true}')),
          '22023 cannot publish zone indicators of other rows than table "sh_hub.zae_parcels"', 'zae_buildings as parcels: refused (22023)');
SELECT is(pg_temp.error_of('sh_padmin', format(:sh_row, :sh_z, 'SELECT id::text AS parcel_id, geom, NULL::text AS land_unit_id FROM sh_hub.buildings', :sh_e, '2024-06-30', '{"published": true}')),
          '22023 cannot publish zone indicators of other rows than table "sh_hub.zae_parcels"', 'the solar cadastre''s buildings as parcels: refused (22023)');

-- Zones the caller cannot see (the review of 2026-12-07, h8).  The check that a hub never
-- held a zone reads its zae_zones and their provenance as the caller: under row-level
-- security a caller saw none of another territory's restricted zones, nor their provenance
-- when the writer had no right to record it or the dataset is NON_PUBLIC, counted 0 zones
-- and changed the rules after a release (two sets over one hub's releases).  A caller that
-- sees no zone is now refused a change (42501) unless it is shown every row: no row-level
-- security for it on zae_zones, or a permissive SELECT policy USING (true) of its and no
-- restrictive one, and every provenance row of the table.  On the build before, the four
-- 42501 assertions below got 'no error' (the change went through).
-- Hub sh_hub5: its agents table (its identity) owned by sh_owner, its zae_zones by sh_loader,
-- an ETL role of no smartregion group (no right to record provenance), which loads a
-- restricted zone of Juvisy: no provenance row, and sh_owner (a reader, row-level security
-- active: public rows only) sees none
SELECT count(*) > 0 AS hub5 FROM smartregion.create_hub('sh_hub5') \gset
SELECT count(*) > 0 AS granted5 FROM smartregion.grant_roles('sh_hub5') \gset
CREATE ROLE sh_loader;
ALTER TABLE sh_hub5.agents OWNER TO sh_owner;
ALTER TABLE sh_hub5.zae_zones OWNER TO sh_loader;
GRANT USAGE ON SCHEMA sh_hub5 TO sh_owner, sh_loader;
-- a writer of zae_zones writes its history too (the contours, and since the tenancy red team's
-- fix a restricted zone's contours made restricted with it: _zae_zone_history_restrict reads
-- and updates it as the writer, under the history's territory policies, which read agents)
GRANT SELECT, INSERT, UPDATE ON sh_hub5.zae_zone_history TO sh_loader;
GRANT SELECT ON sh_hub5.agents TO sh_loader;
SELECT is(pg_temp.as_role('sh_loader', $$INSERT INTO sh_hub5.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'restricted') RETURNING zone_id::text$$, true),
          '1', 'the table''s owner loads a restricted zone');
SELECT is((SELECT count(*) FROM smartregion.provenance WHERE table_id = 'sh_hub5.zae_zones'::regclass), 0::bigint,
          '... its write unrecorded (no right to record provenance)');
SELECT is(pg_temp.as_role('sh_owner', $$SELECT count(*)::text FROM sh_hub5.zae_zones$$), '0',
          '... and the hub''s owner sees no zone (row-level security: public rows only)');
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub5', '{"min_units": 5}')$$),
          '42501 cannot change the secrecy rules of hub "sh_hub5" without reading every activity zone it held',
          'the hub''s owner, shown no zone by row-level security: refused (42501; no error on the build before)');
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub5', NULL)$$),
          'no error', '... writing the same set again (none: the defaults) passes');
-- the platform administrator (policy sr_platform_admin, USING (true)) sees the zone
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub5', '{"min_units": 5}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub5" after it has held activity zones',
          'the platform administrator sees it: 55000');
SELECT is(pg_temp.hint_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub5', '{"min_units": 5}')$$),
          'Set the rules as a role that reads every row of the hub''s zae_zones and zae_zone_history (the platform administrator, or the tables'' owner without FORCE ROW LEVEL SECURITY).',
          'the owner''s refusal: the hint says who may (on the build before, no error: the change made here stays)');
-- ... unless a restrictive policy of the table's owner hides it from every role
CREATE POLICY sh_public_only ON sh_hub5.zae_zones AS RESTRICTIVE FOR SELECT USING (visibility = 'public');
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub5', '{"min_units": 5}')$$),
          '42501 cannot change the secrecy rules of hub "sh_hub5" without reading every activity zone it held',
          'the platform administrator under a restrictive policy: refused (42501; no error on the build before)');
DROP POLICY sh_public_only ON sh_hub5.zae_zones;
-- Hub sh_hub6: owned whole by sh_owner under FORCE ROW LEVEL SECURITY, its restricted zone
-- written by a superuser (recorded), the catalogue's zae_zones NON_PUBLIC: the owner reads
-- neither the zone nor its provenance row (a NON_PUBLIC table's, for a role row-level
-- security filters)
SELECT count(*) > 0 AS hub6 FROM smartregion.create_hub('sh_hub6') \gset
SELECT count(*) > 0 AS granted6 FROM smartregion.grant_roles('sh_hub6') \gset
ALTER TABLE sh_hub6.agents OWNER TO sh_owner;
ALTER TABLE sh_hub6.zae_zones OWNER TO sh_owner;
GRANT USAGE ON SCHEMA sh_hub6 TO sh_owner;
ALTER TABLE sh_hub6.zae_zones FORCE ROW LEVEL SECURITY;
INSERT INTO sh_hub6.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES
  (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'restricted');
UPDATE smartregion.dataset SET access_rights = 'NON_PUBLIC' WHERE table_name = 'zae_zones';
SELECT is(pg_temp.as_role('sh_owner', $$SELECT (SELECT count(*) FROM sh_hub6.zae_zones) || ' ' || (SELECT count(*) FROM smartregion.provenance WHERE table_id = 'sh_hub6.zae_zones'::regclass)$$), '0 0',
          'the owner under FORCE ROW LEVEL SECURITY sees neither the zone nor its provenance');
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub6', '{"min_units": 5}')$$),
          '42501 cannot change the secrecy rules of hub "sh_hub6" without reading every activity zone it held',
          '... and is refused a change (42501; no error on the build before)');
ALTER TABLE sh_hub6.zae_zones NO FORCE ROW LEVEL SECURITY;
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub6', '{"min_units": 5}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub6" after it has held activity zones',
          'without FORCE, the owner reads every row: 55000');

-- A zone written and deleted without a trace but its contour (2026-12-07, h13; left open by
-- h8).  A role without the right to record provenance that writes a zone and deletes it
-- leaves no row in zae_zones and none in the provenance, yet the hub held the zone (it may
-- have been released in between).  Its delete leaves the zone's contour in
-- zae_zone_history (the trigger sr_zae_zone_history, as the writer), which the check now
-- reads, under the same rule as zae_zones: a caller shown no contour must be shown every
-- row.  Hub sh_hub7: agents owned by sh_owner, zae_zones by the ETL role sh_loader (no
-- smartregion group), which writes the history as sh_hub5's does and is an agent of Juvisy
-- in the hub (the history's write policy, sr_territory_insert, reads agents).  On the build
-- before, the platform administrator's change went through ('no error': zae_zones empty,
-- no provenance, its policy USING (true)) and the owner's was 42501 (zae_zones filtered)
SELECT count(*) > 0 AS hub7 FROM smartregion.create_hub('sh_hub7') \gset
SELECT count(*) > 0 AS granted7 FROM smartregion.grant_roles('sh_hub7') \gset
ALTER TABLE sh_hub7.agents OWNER TO sh_owner;
ALTER TABLE sh_hub7.zae_zones OWNER TO sh_loader;
GRANT USAGE ON SCHEMA sh_hub7 TO sh_owner, sh_loader;
GRANT SELECT, INSERT, UPDATE ON sh_hub7.zae_zone_history TO sh_loader;
GRANT SELECT ON sh_hub7.agents TO sh_loader;
INSERT INTO sh_hub7.agents VALUES ('sh_loader', '91326');
SELECT is(pg_temp.as_role('sh_loader', $$WITH i AS (INSERT INTO sh_hub7.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'public') RETURNING zone_id) SELECT zone_id::text FROM i$$, true),
          '1', 'the ETL role writes a public zone');
SELECT is(pg_temp.as_role('sh_loader', $$WITH d AS (DELETE FROM sh_hub7.zae_zones RETURNING zone_id) SELECT count(*)::text FROM d$$, true),
          '1', '... and deletes it');
-- (zae_zones: 0 rows; provenance of zae_zones: 0, the writer could not record; history: the
-- zone's contour, operation 'delete', public as the zone was)
SELECT is((SELECT count(*) FROM sh_hub7.zae_zones) || ' ' || (SELECT count(*) FROM smartregion.provenance WHERE table_id = 'sh_hub7.zae_zones'::regclass)
          || ' ' || (SELECT string_agg(zone_id || ':' || operation || ':' || visibility, ',') FROM sh_hub7.zae_zone_history),
          '0 0 1:delete:public', 'no zone, no provenance: only the contour in zae_zone_history');
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub7', '{"min_units": 5}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub7" after it has held activity zones',
          'the platform administrator reads the contour: 55000 (no error on the build before)');
-- (the owner is filtered on zae_zone_history, whose policies read zae_zones, which sh_loader
-- owns and could give a policy of its own: the read would run code a role without the
-- owner's rights controls, with the owner's rights.  Not read since 2026-12-08 (h1,
-- r-hub-guards): the owner cannot tell, 42501 as a filtered caller; 55000 between h13 and
-- then, the contour read; 42501 before h13)
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub7', '{"min_units": 5}')$$),
          '42501 cannot change the secrecy rules of hub "sh_hub7" without reading every activity zone it held',
          'the hub''s owner, filtered on the history of a hub whose zae_zones another role owns, does not read it: refused, 42501 (55000 on the build before)');
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub7', NULL)$$),
          'no error', '... the same set again (none: the defaults) passes');
-- Hub sh_hub8: agents and zae_zones owned by sh_owner (no FORCE: it reads every zone and
-- every provenance row of them), its history not (the extension's, row-level security
-- active for sh_owner: a reader, public rows only).  sh_loader, an agent of Juvisy in the
-- hub granted the writes, writes a restricted zone and deletes it: its contour, restricted,
-- is hidden from the owner, which is refused (42501, fails closed); on the build before it
-- saw no zone and no provenance and changed the rules ('no error')
SELECT count(*) > 0 AS hub8 FROM smartregion.create_hub('sh_hub8') \gset
SELECT count(*) > 0 AS granted8 FROM smartregion.grant_roles('sh_hub8') \gset
ALTER TABLE sh_hub8.agents OWNER TO sh_owner;
ALTER TABLE sh_hub8.zae_zones OWNER TO sh_owner;
GRANT USAGE ON SCHEMA sh_hub8 TO sh_owner, sh_loader;
GRANT SELECT, INSERT, DELETE ON sh_hub8.zae_zones TO sh_loader;
GRANT SELECT, INSERT, UPDATE ON sh_hub8.zae_zone_history TO sh_loader;
GRANT SELECT ON sh_hub8.agents TO sh_loader;
INSERT INTO sh_hub8.agents VALUES ('sh_loader', '91326');
SELECT is(pg_temp.as_role('sh_loader', $$WITH i AS (INSERT INTO sh_hub8.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'restricted') RETURNING zone_id) SELECT zone_id::text FROM i$$, true),
          '1', 'an agent without the right to record provenance writes a restricted zone');
SELECT is(pg_temp.as_role('sh_loader', $$WITH d AS (DELETE FROM sh_hub8.zae_zones RETURNING zone_id) SELECT count(*)::text FROM d$$, true),
          '1', '... and deletes it');
SELECT is(pg_temp.as_role('sh_owner', $$SELECT (SELECT count(*) FROM sh_hub8.zae_zones) || ' ' || (SELECT count(*) FROM smartregion.provenance WHERE table_id = 'sh_hub8.zae_zones'::regclass) || ' ' || (SELECT count(*) FROM sh_hub8.zae_zone_history)$$),
          '0 0 0', 'the owner sees no zone, no provenance and (row-level security) no contour');
SELECT is((SELECT string_agg(zone_id || ':' || operation || ':' || visibility, ',') FROM sh_hub8.zae_zone_history),
          '1:delete:restricted', '... though the history holds the restricted contour');
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub8', '{"min_units": 5}')$$),
          '42501 cannot change the secrecy rules of hub "sh_hub8" without reading every activity zone it held',
          'the owner, shown neither the contour nor every row of the history: refused (42501; no error on the build before)');
SELECT is(pg_temp.hint_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub8', '{"min_units": 5}')$$),
          'Set the rules as a role that reads every row of the hub''s zae_zones and zae_zone_history (the platform administrator, or the tables'' owner without FORCE ROW LEVEL SECURITY).',
          '... the hint names both tables');
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub8', '{"min_units": 5}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub8" after it has held activity zones',
          'the platform administrator reads the restricted contour: 55000 (no error on the build before)');
-- an owner of the history too, without FORCE, reads it whole: 55000
ALTER TABLE sh_hub8.zae_zone_history OWNER TO sh_owner;
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub8', '{"min_units": 5}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub8" after it has held activity zones',
          'the owner of both tables reads the contour: 55000 (no error on the build before)');
-- a caller without SELECT on the history (its own and its group's, readers', revoked): the
-- project's 42501 naming it, not PostgreSQL's bare one from the read
REVOKE SELECT ON sh_hub8.zae_zone_history FROM sh_owner, smartregion_reader;
SELECT is(pg_temp.error_of('sh_owner', $$SELECT smartregion.set_secrecy_rules('sh_hub8', '{"min_units": 5}')$$),
          '42501 permission denied for table sh_hub8.zae_zone_history', 'without SELECT on zae_zone_history: 42501 naming the table');

-- A TRUNCATE of zae_zones keeps every zone's contour (the statement trigger
-- sr_zae_zone_history_truncate), read as the truncating role.  The platform administrator,
-- who holds TRUNCATE, under a restrictive policy showing it the public zones only, kept no
-- contour of a restricted zone: it went without a trace, for the rules as for the
-- publications' earlier contours (h13; on the build before, the first assertion got 'no
-- error').  Now such a truncate is refused (42501); without the policy it keeps them all
SELECT count(*) > 0 AS hub9 FROM smartregion.create_hub('sh_hub9') \gset
SELECT count(*) > 0 AS granted9 FROM smartregion.grant_roles('sh_hub9') \gset
INSERT INTO sh_hub9.zae_zones (zone_id, site_nom, geom, territory_code, visibility) VALUES
  (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326', 'restricted');
CREATE POLICY sh_public_only ON sh_hub9.zae_zones AS RESTRICTIVE FOR SELECT USING (visibility = 'public');
SELECT is(pg_temp.error_of('sh_padmin', 'TRUNCATE sh_hub9.zae_zones'),
          '42501 cannot truncate table sh_hub9.zae_zones without reading every row',
          'a truncate by the platform administrator under a restrictive policy: refused (42501; no error on the build before, the restricted zone''s contour lost)');
DROP POLICY sh_public_only ON sh_hub9.zae_zones;
SET LOCAL ROLE sh_padmin;
TRUNCATE sh_hub9.zae_zones;
RESET ROLE;
SELECT is((SELECT count(*) FROM sh_hub9.zae_zones) || ' ' || (SELECT string_agg(zone_id || ':' || operation || ':' || visibility, ',') FROM sh_hub9.zae_zone_history),
          '0 1:truncate:restricted', 'without it, the platform administrator''s truncate keeps the restricted contour');
SELECT is(pg_temp.error_of('sh_padmin', $$SELECT smartregion.set_secrecy_rules('sh_hub9', '{"min_units": 5}')$$),
          '55000 cannot change the secrecy rules of hub "sh_hub9" after it has held activity zones',
          '... which the rules'' check counts: 55000');

SELECT * FROM finish();
ROLLBACK;
