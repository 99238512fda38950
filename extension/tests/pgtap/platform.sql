-- pgTAP: API shape of the platform layer.
BEGIN;
SELECT plan(17);
SELECT has_schema('smartregion');
SELECT has_extension('smartregion');
SELECT has_function('smartregion', 'version', '{}'::name[]);
SELECT function_returns('smartregion', 'version', '{}'::name[], 'jsonb');
SELECT volatility_is('smartregion', 'version', '{}'::name[], 'stable');
SELECT has_function('smartregion', 'services', '{}'::name[]);
SELECT volatility_is('smartregion', 'services', '{}'::name[], 'stable');
SELECT has_function('smartregion', 'create_hub', ARRAY['name', 'integer']);
SELECT volatility_is('smartregion', 'create_hub', ARRAY['name', 'integer'], 'volatile');
SELECT has_function('smartregion', 'register_service', ARRAY['text','text','text','text[]','text']);
SELECT has_function('smartregion', 'enable_territory_security', ARRAY['name']);
SELECT has_table('smartregion', 'service', 'service registry table');
SELECT has_type('smartregion', 'visibility', 'visibility enum');
SELECT enum_has_labels('smartregion', 'visibility', ARRAY['public', 'restricted']);
-- the extension does not grant itself to PUBLIC beyond EXECUTE defaults
SELECT is((SELECT extrelocatable FROM pg_extension WHERE extname = 'smartregion'), false, 'not relocatable');
SELECT ok((SELECT count(*) FROM smartregion.services()) >= 1, 'at least the platform is registered');
-- no function of the schema is left without a comment
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
            AND obj_description(p.oid, 'pg_proc') IS NULL), 0, 'every function has a comment');
SELECT * FROM finish();
ROLLBACK;
