-- pgTAP: a hub dropped leaves no catalogue and no pseudonym key (docs/platform.md, "Dropping
-- a hub").  Before, DROP SCHEMA was the only way, and it left both rows: bound to the dropped
-- hub, they refused a new hub of the name its key (55000), and the dropped hub's key stayed.
-- drop_hub removes them with the schema; dropped_hubs lists those of a hub dropped by hand,
-- forget_dropped_hubs removes them.  Hubs: hd_a (dropped by drop_hub, with analysts' views),
-- hd_b (dropped by hand), hd_c (renamed hd_c2, its rows not moved, then dropped by drop_hub),
-- hd_d (owned by the superuser running the test, not by the platform administrator).
BEGIN;
SELECT plan(28);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

CREATE FUNCTION pg_temp.registers(h name) RETURNS text LANGUAGE sql AS $$
  SELECT coalesce(string_agg(r, ',' ORDER BY r), '') FROM (
    SELECT 'catalog' AS r FROM smartregion.catalog WHERE hub_schema = h
    UNION ALL SELECT 'key' FROM smartregion.pseudonym_key WHERE hub_schema = h) x $$;
CREATE FUNCTION pg_temp.setup(h name) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  PERFORM smartregion.create_hub(h);
  PERFORM smartregion.catalog_configure(h, 'Hub ' || h, 'A hub to drop', 'Région test', 'https://example.org/',
                                        'dpo@example.org', 'https://example.org/data/');
  PERFORM smartregion.pseudonym('someone', h);   -- draws the hub's key
  RETURN pg_temp.registers(h);
END $$;

SELECT is(pg_temp.setup('hd_a'), 'catalog,key', 'hd_a has its catalogue and its key');
SELECT is(pg_temp.setup('hd_b'), 'catalog,key', 'hd_b too');
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('hd_a') \gset
CREATE ROLE hd_padmin IN ROLE smartregion_platform_admin;
CREATE ROLE hd_reader IN ROLE smartregion_reader;
SELECT count(*) > 0 AS views FROM smartregion.create_pseudonymised_views('hd_a', 'hd_a_pseudo') \gset
SELECT smartregion.pseudonym('someone', 'hd_b') AS old_b \gset

-- DROP SCHEMA by hand: the rows stay, and dropped_hubs lists them
DROP SCHEMA hd_b CASCADE;
SELECT is(pg_temp.registers('hd_b'), 'catalog,key', 'DROP SCHEMA hd_b by hand leaves its catalogue and key rows');
SELECT is((SELECT string_agg(register || ' ' || hub_schema, ',' ORDER BY register) FROM smartregion.dropped_hubs()),
          'smartregion.catalog hd_b,smartregion.pseudonym_key hd_b', 'dropped_hubs lists them, and nothing of the living hd_a');
SELECT is(pg_temp.as_role('hd_reader', $$SELECT count(*)::text FROM smartregion.dropped_hubs()$$),
          '42501', 'a reader may not list them (the keys'' table)');
SELECT is(pg_temp.as_role('hd_padmin', $$SELECT count(*)::text FROM smartregion.dropped_hubs()$$),
          '2', 'the platform administrator may');
-- a new hub of the name: refused the old key (the 55000 of before), until the rows are forgotten
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hd_b') \gset
SELECT throws_ok($$SELECT smartregion.pseudonym('someone', 'hd_b')$$, '55000',
                 'the pseudonym key of "hd_b" belongs to another schema', 'a new hub hd_b does not get the dropped one''s key');
SELECT is(pg_temp.as_role('hd_padmin', $$SELECT string_agg(register, ',' ORDER BY register) FROM smartregion.forget_dropped_hubs()$$, true),
          'smartregion.catalog,smartregion.pseudonym_key', 'forget_dropped_hubs deletes both rows, as the platform administrator');
SELECT is(pg_temp.registers('hd_b') || '/' || (SELECT count(*) FROM smartregion.dropped_hubs()), '/0', 'none is left');
SELECT ok(smartregion.pseudonym('someone', 'hd_b') ~ '^pseudo:[0-9a-f]{64}$' AND smartregion.pseudonym('someone', 'hd_b') <> :'old_b',
          'the new hd_b draws a key of its own: another pseudonym of the same identifier');

-- drop_hub: the schema, the analysts' views of its tables, its catalogue and key
SELECT is((SELECT string_agg(register || ' ' || hub_schema, ',' ORDER BY register) FROM smartregion.drop_hub('hd_a')),
          'smartregion.catalog hd_a,smartregion.pseudonym_key hd_a', 'drop_hub(''hd_a'') deletes its catalogue and key rows');
SELECT ok(to_regnamespace('hd_a') IS NULL, 'the schema is gone');
SELECT is((SELECT count(*) FROM pg_class WHERE relnamespace = to_regnamespace('hd_a_pseudo')), 0::bigint,
          'and the analysts'' views of its tables');
SELECT is(pg_temp.registers('hd_a') || '/' || (SELECT count(*) FROM smartregion.dropped_hubs()), '/0',
          'no row of hd_a is left, and none for dropped_hubs');

-- a renamed hub's rows are not a dropped hub's; drop_hub finds them by the hub's identity
SELECT is(pg_temp.setup('hd_c'), 'catalog,key', 'hd_c has its catalogue and its key');
ALTER SCHEMA hd_c RENAME TO hd_c2;
SELECT is((SELECT count(*) FROM smartregion.dropped_hubs()), 0::bigint, 'hd_c renamed hd_c2: dropped_hubs does not list its rows');
SELECT is((SELECT string_agg(register || ' ' || hub_schema, ',' ORDER BY register) FROM smartregion.drop_hub('hd_c2')),
          'smartregion.catalog hd_c,smartregion.pseudonym_key hd_c', 'drop_hub(''hd_c2'') deletes them, under the old name');

-- its statistical secrecy rules go with it (docs/zones.md, set_secrecy_rules), even once
-- the hub held a zone, when no one may delete them (55000); before, drop_hub left the row,
-- naming a dropped table (a bare OID in a dump).  hd_f: a set, then a zone
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hd_f') \gset
SELECT smartregion.set_secrecy_rules('hd_f', '{"min_units": 5}') ->> 'min_units' AS set_f \gset
INSERT INTO hd_f.zae_zones (zone_id, site_nom, geom, territory_code) VALUES
  (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326');
SELECT throws_ok($$DELETE FROM smartregion.hub_secrecy_rules WHERE hub_schema = 'hd_f'$$, '55000', NULL,
                 'hd_f''s set cannot be deleted while the hub stands (it held a zone)');
SELECT is((SELECT string_agg(register || ' ' || hub_schema, ',' ORDER BY register) FROM smartregion.drop_hub('hd_f')),
          'smartregion.hub_secrecy_rules hd_f', 'drop_hub(''hd_f'') deletes its secrecy rules, and says so');
SELECT is((SELECT count(*) FROM smartregion.hub_secrecy_rules WHERE hub_schema = 'hd_f'), 0::bigint, 'no row of hd_f is left');
-- a new hub of the name: the defaults, and a set of its own while it holds no zone
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hd_f') \gset
SELECT is(smartregion.set_secrecy_rules('hd_f', '{"dominance": 0.7}') ->> 'min_units', '3',
          'a new hd_f sets its own rules: min_units the default 3, not the dropped hub''s 5');

-- a hub dropped by hand (hd_g: a set, a zone) leaves its row; the platform administrator
-- deletes it once the hub is gone (while it stood: 55000, as for hd_f)
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hd_g') \gset
SELECT smartregion.set_secrecy_rules('hd_g', '{"min_units": 5}') ->> 'min_units' AS set_g \gset
INSERT INTO hd_g.zae_zones (zone_id, site_nom, geom, territory_code) VALUES
  (1, 'ZA', ST_Multi(ST_MakeEnvelope(650000, 6860000, 651000, 6861000, 2154)), '91326');
DROP SCHEMA hd_g CASCADE;
SELECT is((SELECT count(*) FROM smartregion.hub_secrecy_rules WHERE hub_schema = 'hd_g'), 1::bigint, 'DROP SCHEMA hd_g by hand leaves its set');
SELECT is(pg_temp.as_role('hd_padmin', $$WITH d AS (DELETE FROM smartregion.hub_secrecy_rules WHERE hub_id::oid NOT IN (SELECT oid FROM pg_class) RETURNING hub_schema)
                                         SELECT string_agg(hub_schema, ',') FROM d$$, true),
          'hd_g', 'the platform administrator deletes the row of the dropped hub');

-- a hub whose history was written in the same transaction (its deferred event trigger
-- pending): DROP SCHEMA alone is 55006, drop_hub fires the events first
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('hd_e') \gset
INSERT INTO hd_e.projects (id, name, territory_code, visibility) VALUES (1, 'p', '69381', 'public');
INSERT INTO hd_e.tl_request (project_id) VALUES (1);
SELECT lives_ok($$SELECT count(*) FROM smartregion.drop_hub('hd_e')$$, 'drop_hub drops a hub with pending history events (55006 before)');

-- refusals: no such schema, a schema that is no hub, a hub the caller does not own
SELECT throws_ok($$SELECT smartregion.drop_hub('hd_none')$$, '3F000', NULL, 'drop_hub of no schema is 3F000');
CREATE SCHEMA hd_plain;
SELECT throws_ok($$SELECT smartregion.drop_hub('hd_plain')$$, '42P01', NULL, 'drop_hub of a schema with no hub is 42P01, and drops nothing');
SELECT is(pg_temp.setup('hd_d'), 'catalog,key', 'hd_d, made by the superuser');
GRANT USAGE ON SCHEMA hd_d TO hd_padmin;
SELECT is(pg_temp.as_role('hd_padmin', $$SELECT count(*)::text FROM smartregion.drop_hub('hd_d')$$, true) || ' '
          || pg_temp.registers('hd_d') || ' ' || (to_regnamespace('hd_d') IS NOT NULL),
          '42501 catalog,key true', 'a platform administrator who does not own hd_d cannot drop it, and its rows stay');

SELECT * FROM finish();
ROLLBACK;
