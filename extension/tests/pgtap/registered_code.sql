-- pgTAP: the functions registered as code smartregion calls later (maturity plugins,
-- match criteria) are called by their OID, never by their name, and are checked by one rule.
-- Roles (docs/security.md):
--  * rct_mallory, an agent of the commune 69002 that was granted CREATE on the schema of a
--    plugin and a criterion (a DBA's mistake, or a schema every role may write to);
--  * rct_reader, a reader (smartregion_reader), who computes scores and matches.
-- Mallory plants overloads with a default argument.  Before (review of 2026-12-06), the
-- plugin was called by its schema-qualified name, "rct_plug.fiber($1)": the overload made the
-- call ambiguous (42725 "function rct_plug.fiber(integer) is not unique") and every score of
-- the framework failed, the reader's and the superuser's.  Now the plugin runs by its OID,
-- with the values it gives (42 for the commune 69001); mallory's function never runs.
BEGIN;
SELECT plan(16);
SET LOCAL client_min_messages = warning;

\ir include/as_role.sql

SELECT count(*) > 0 AS loaded FROM smartregion.load_territories(
  '[{"code": "69001", "nom": "A", "departement": "69", "region": "84", "population": 1000},
    {"code": "69002", "nom": "B", "departement": "69", "region": "84", "population": 2000}]',
  '[]', '[{"code": "69", "nom": "Rhône", "region": "84"}]', '[{"code": "84", "nom": "ARA"}]') \gset
SELECT count(*) > 0 AS hub FROM smartregion.create_hub('rct_hub') \gset
SELECT count(*) > 0 AS granted FROM smartregion.grant_roles('rct_hub') \gset
CREATE ROLE rct_mallory IN ROLE smartregion_agent;
CREATE ROLE rct_reader IN ROLE smartregion_reader;
INSERT INTO rct_hub.agents (role_name, territory_code) VALUES ('rct_mallory', '69002');

-- the plugin and the criterion, a superuser's, in a schema mallory may create objects in
CREATE SCHEMA rct_plug;
GRANT USAGE ON SCHEMA rct_plug TO PUBLIC;
GRANT CREATE ON SCHEMA rct_plug TO rct_mallory;
CREATE FUNCTION rct_plug.fiber(year int)
  RETURNS TABLE (territory_type text, territory_code text, value double precision)
  LANGUAGE sql STABLE AS $$ SELECT 'commune', '69001', 42.0::float8 $$;
CREATE FUNCTION rct_plug.near(project jsonb, premise jsonb) RETURNS float8
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS 'SELECT 0.25::float8';
SELECT smartregion.maturity_copy_framework('default', 'rct') IS NOT NULL AS copied \gset
SELECT smartregion.maturity_register_plugin('rct', 'ftth_coverage', 'rct_plug.fiber(int)') IS NULL AS registered \gset
INSERT INTO smartregion.match_criterion (name, function, weight) VALUES ('rct_near', 'rct_plug.near(jsonb, jsonb)', 1);

SELECT is(pg_temp.as_role('rct_reader', $$SELECT raw_value::text FROM smartregion.maturity_score('69001', 'rct', options => '{"hub": "rct_hub"}')
                                          WHERE indicator = 'ftth_coverage'$$),
          '42', 'the reader''s score of 69001 reads the plugin''s value, 42');
SELECT is(pg_temp.as_role('rct_reader', $$SELECT (c ->> 'value') FROM jsonb_array_elements(smartregion.match_explain('{}', '{}') -> 'criteria') c
                                          WHERE c ->> 'name' = 'rct_near'$$),
          '0.25', 'and the match reads the criterion''s, 0.25');

-- mallory's overloads: a default argument makes a call by name ambiguous; they record who
-- ran them in a table of mallory's
SELECT is(pg_temp.as_role('rct_mallory', $$
            CREATE TABLE rct_plug.seen (who name);
            GRANT INSERT ON rct_plug.seen TO PUBLIC;
            CREATE FUNCTION rct_plug.fiber(year int, scale text DEFAULT 'x')
              RETURNS TABLE (territory_type text, territory_code text, value double precision)
              LANGUAGE plpgsql AS $f$ BEGIN INSERT INTO rct_plug.seen VALUES (current_user);
                                            RETURN QUERY SELECT 'commune'::text, '69001'::text, 99.0::float8; END $f$;
            CREATE FUNCTION rct_plug.near(project jsonb, premise jsonb, scale text DEFAULT 'x') RETURNS float8
              LANGUAGE plpgsql AS $f$ BEGIN INSERT INTO rct_plug.seen VALUES (current_user); RETURN 1; END $f$;
            SELECT 'planted'$$, true),
          'planted', 'mallory plants overloads of the plugin and the criterion with a default argument');
SELECT is(pg_temp.as_role('rct_reader', $$SELECT raw_value::text FROM smartregion.maturity_score('69001', 'rct', options => '{"hub": "rct_hub"}')
                                          WHERE indicator = 'ftth_coverage'$$),
          '42', 'the reader''s score still reads the registered plugin''s 42 (before: 42725, function rct_plug.fiber(integer) is not unique)');
SELECT is((SELECT raw_value::text || ' ' || source FROM smartregion.maturity_score('69001', 'rct', options => '{"hub": "rct_hub"}')
            WHERE indicator = 'ftth_coverage'),
          '42 plugin rct_plug.fiber', 'and so does the superuser''s, with the registered function as its source');
SELECT is((SELECT count(*)::text FROM smartregion.maturity_scores('rct', NULL, '{"hub": "rct_hub", "territory_type": "commune"}')),
          '2', 'maturity_scores scores both communes (before: 42725)');
SELECT is((SELECT count(*)::text FROM smartregion.maturity_uncertainty('rct', 5, 1, NULL, '{"hub": "rct_hub", "territory_type": "commune"}')),
          '2', 'and maturity_uncertainty (before: 42725)');
SELECT is(pg_temp.as_role('rct_reader', $$SELECT (c ->> 'value') FROM jsonb_array_elements(smartregion.match_explain('{}', '{}') -> 'criteria') c
                                          WHERE c ->> 'name' = 'rct_near'$$),
          '0.25', 'the criterion is called by its OID too (as before): 0.25, not mallory''s 1');
SELECT is((SELECT count(*)::text FROM rct_plug.seen), '0', 'mallory''s functions never ran, for the reader nor the superuser');

-- the plugin is checked when it is called as when it is registered: dropped and made again
-- with another result type, it is refused with the registration's message
SET LOCAL ROLE rct_mallory;
DROP FUNCTION rct_plug.fiber(int, text);
DROP FUNCTION rct_plug.near(jsonb, jsonb, text);
RESET ROLE;
DROP FUNCTION rct_plug.fiber(int);
CREATE FUNCTION rct_plug.fiber(year int)
  RETURNS TABLE (territory_type text, territory_code text, value numeric)
  LANGUAGE sql STABLE AS $$ SELECT 'commune', '69001', 42.0 $$;
SELECT throws_ok($$SELECT * FROM smartregion.maturity_scores('rct', NULL, '{"hub": "rct_hub"}')$$, '42883',
                 'plugin function "rct_plug.fiber(integer)" has the wrong signature',
                 'a plugin made again with another result type: 42883, the registration''s message');
DROP FUNCTION rct_plug.fiber(int);
CREATE FUNCTION rct_plug.fiber(year int)
  RETURNS TABLE (territory_type text, territory_code text, value double precision)
  LANGUAGE sql STABLE AS $$ SELECT 'commune', '69001', 42.0::float8 $$;

-- the caller needs EXECUTE on the registered function, as on one its own query calls: the
-- function manager does not check it (before, the criterion ran for a caller without it)
REVOKE EXECUTE ON FUNCTION rct_plug.near(jsonb, jsonb), rct_plug.fiber(int) FROM PUBLIC;
SELECT is(pg_temp.as_role('rct_reader', $$SELECT smartregion.match_score('{}', '{}')::text$$),
          '42501', 'a reader without EXECUTE on the criterion''s function: 42501 (before: it ran)');
SELECT is(pg_temp.as_role('rct_reader', $$SELECT count(*)::text FROM smartregion.maturity_scores('rct', NULL, '{"hub": "rct_hub"}')$$),
          '42501', 'nor on the plugin''s (as before, when its name was called)');
GRANT EXECUTE ON FUNCTION rct_plug.near(jsonb, jsonb), rct_plug.fiber(int) TO rct_reader;
SELECT is(pg_temp.as_role('rct_reader', $$SELECT smartregion.match_score('{}', '{}')::text$$),
          '0.25', 'granted EXECUTE, the reader''s match runs the criterion');

-- one rule for a registered function, at registration and at every call: it belongs to a
-- superuser; one message and one SQLSTATE, whoever checks it
ALTER FUNCTION rct_plug.near(jsonb, jsonb) OWNER TO rct_mallory;
SELECT throws_ok($$SELECT smartregion.match_score('{}', '{}')$$, '42501',
                 'function rct_plug.near(pg_catalog.jsonb,pg_catalog.jsonb) of criterion "rct_near" belongs to role "rct_mallory", not a superuser',
                 'given to mallory after its registration, the criterion is refused when called');
SELECT throws_ok($$INSERT INTO smartregion.match_criterion (name, function) VALUES ('rct_other', 'rct_plug.near(jsonb, jsonb)')$$, '42501',
                 'function rct_plug.near(pg_catalog.jsonb,pg_catalog.jsonb) of criterion "rct_other" belongs to role "rct_mallory", not a superuser',
                 'and registered again, with the same message and SQLSTATE (before: the plpgsql guard''s own message)');
CREATE FUNCTION rct_plug.wifi(year int)
  RETURNS TABLE (territory_type text, territory_code text, value double precision)
  LANGUAGE sql STABLE AS $$ SELECT 'commune', '69001', 1.0::float8 $$;
ALTER FUNCTION rct_plug.wifi(int) OWNER TO rct_mallory;
SELECT throws_ok($$SELECT smartregion.maturity_register_plugin('rct', 'public_wifi_per_10k', 'rct_plug.wifi(int)')$$, '42501',
                 'function rct_plug.wifi(integer) of indicator "public_wifi_per_10k" belongs to role "rct_mallory", not a superuser',
                 'a plugin of mallory''s: the same rule and message at its registration');

SELECT * FROM finish();
ROLLBACK;
