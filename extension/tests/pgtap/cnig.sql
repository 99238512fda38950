-- pgTAP: API shape of the CNIG "Sites économiques" exports (docs/zones.md):
-- signatures, result columns in the standard's order, declarations,
-- search_path rules, option specs and the NAF reference table.
BEGIN;
SELECT plan(37);

-- the five functions and their signatures
SELECT has_function('smartregion', f, ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb', 'text'])
  FROM unnest(ARRAY['pole_eco', 'site_eco', 'terrain_eco', 'etablissement']) f;
SELECT has_function('smartregion', 'cnig_csv', ARRAY['text', 'text', 'text', 'text', 'text', 'date', 'jsonb', 'text']);
SELECT function_returns('smartregion', 'cnig_csv', ARRAY['text', 'text', 'text', 'text', 'text', 'date', 'jsonb', 'text'], 'text');
SELECT has_function('smartregion', 'naf_vocation', ARRAY['text']);
SELECT function_returns('smartregion', 'naf_vocation', ARRAY['text'], 'text');

-- declarations: the exports read tables (STABLE) and run query texts (PARALLEL UNSAFE)
SELECT volatility_is('smartregion', f, ARRAY['text', 'text', 'text', 'text', 'date', 'jsonb', 'text'], 'stable')
  FROM unnest(ARRAY['pole_eco', 'site_eco', 'terrain_eco', 'etablissement']) f;
SELECT volatility_is('smartregion', 'cnig_csv', ARRAY['text', 'text', 'text', 'text', 'text', 'date', 'jsonb', 'text'], 'stable');
SELECT volatility_is('smartregion', 'naf_vocation', ARRAY['text'], 'immutable');
SELECT is_strict('smartregion', 'naf_vocation', ARRAY['text']);
SELECT is((SELECT array_agg(DISTINCT p.proparallel::text) FROM pg_proc p
            WHERE p.pronamespace = 'smartregion'::regnamespace
              AND p.proname IN ('pole_eco', 'site_eco', 'terrain_eco', 'etablissement', 'cnig_csv')),
          ARRAY['u'], 'the exports are PARALLEL UNSAFE (they run query texts)');

-- the result columns are exactly the standard's fields, in its order
SELECT is((SELECT array_agg(a.name ORDER BY a.n)
             FROM pg_proc p, ROWS FROM (unnest(p.proargnames), unnest(p.proargmodes::text[])) WITH ORDINALITY a(name, mode, n)
            WHERE p.oid = 'smartregion.pole_eco(text, text, text, text, date, jsonb, text)'::regprocedure AND a.mode = 't'),
          ARRAY['pole_id', 'pole_nom', 'pole_vocadomi', 'pole_identif_date', 'pole_actu_date', 'pole_nb_site',
                'pole_nb_etab', 'pole_nb_emploi', 'pole_surface', 'pole_geompoint', 'pole_rayonnement'],
          'pole_eco returns the 11 fields of POLE-ECO in order');
SELECT is((SELECT count(*)::int FROM pg_proc p, unnest(p.proargmodes::text[]) m
            WHERE p.oid = 'smartregion.site_eco(text, text, text, text, date, jsonb, text)'::regprocedure AND m = 't'),
          62, 'site_eco returns the 62 fields of SITE-ECO');
SELECT is((SELECT (array_agg(a.name ORDER BY a.n))[1:3] || (array_agg(a.name ORDER BY a.n))[60:62]
             FROM pg_proc p, ROWS FROM (unnest(p.proargnames), unnest(p.proargmodes::text[])) WITH ORDINALITY a(name, mode, n)
            WHERE p.oid = 'smartregion.site_eco(text, text, text, text, date, jsonb, text)'::regprocedure AND a.mode = 't'),
          ARRAY['site_id', 'pole_id', 'site_nom', 'aeroport_dist', 'port_nom', 'port_dist'],
          'site_eco starts and ends as SITE-ECO');
SELECT is((SELECT count(*)::int FROM pg_proc p, unnest(p.proargmodes::text[]) m
            WHERE p.oid = 'smartregion.terrain_eco(text, text, text, text, date, jsonb, text)'::regprocedure AND m = 't'),
          19, 'terrain_eco returns the 19 fields of TERRAIN-ECO');
SELECT is((SELECT (array_agg(a.name ORDER BY a.n))[1:5]
             FROM pg_proc p, ROWS FROM (unnest(p.proargnames), unnest(p.proargmodes::text[])) WITH ORDINALITY a(name, mode, n)
            WHERE p.oid = 'smartregion.etablissement(text, text, text, text, date, jsonb, text)'::regprocedure AND a.mode = 't'),
          ARRAY['SIRET', 'SIREN', 'terr_id', 'ban-id', 'bat-id'], 'etablissement keeps the standard''s field names (SIRET, ban-id)');
SELECT is((SELECT count(*)::int FROM pg_proc p, unnest(p.proargmodes::text[]) m
            WHERE p.oid = 'smartregion.etablissement(text, text, text, text, date, jsonb, text)'::regprocedure AND m = 't'),
          30, 'etablissement returns the 30 fields of ETABLISSEMENT');

-- security: no SECURITY DEFINER; every CNIG function pins search_path (those that
-- run the caller's query texts set the caller's path only while the texts run)
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
              AND (p.proname LIKE '%cnig%' OR p.proname IN ('pole_eco', 'site_eco', 'terrain_eco', 'etablissement'))
              AND p.prosecdef), 0, 'no CNIG function is SECURITY DEFINER');
SELECT is((SELECT array_agg(p.proname::text ORDER BY p.proname) FROM pg_proc p
            WHERE p.pronamespace = 'smartregion'::regnamespace
              AND p.proname IN ('_cnig_attr', '_cnig_yes_no', '_cnig_required', '_cnig_check', '_cnig_pattern',
                                '_cnig_raise_if', '_cnig_vocadomi', '_cnig_csv_field', '_cnig_options', '_cnig_secrecy', '_cnig_row')
              AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)),
          ARRAY['_cnig_attr', '_cnig_check', '_cnig_csv_field', '_cnig_options', '_cnig_pattern', '_cnig_raise_if',
                '_cnig_required', '_cnig_row', '_cnig_secrecy', '_cnig_vocadomi', '_cnig_yes_no'],
          'the pure CNIG helpers pin search_path = pg_catalog, pg_temp');
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
              AND p.proname IN ('pole_eco', 'site_eco', 'terrain_eco', 'etablissement', 'cnig_csv', '_cnig_sites',
                                '_cnig_site_keys', '_cnig_units', '_cnig_terrains', '_cnig_establishments')
              AND 'search_path=pg_catalog, pg_temp' = ANY (p.proconfig)
              AND pg_catalog.pg_get_function_arguments(p.oid) LIKE '%query_search_path text%'), 10,
          'the functions running query texts pin search_path and take the caller''s in query_search_path');

-- comments
SELECT is((SELECT count(*)::int FROM pg_proc p WHERE p.pronamespace = 'smartregion'::regnamespace
              AND (p.proname LIKE '%cnig%' OR p.proname IN ('pole_eco', 'site_eco', 'terrain_eco', 'etablissement',
                                                           'naf_vocation', '_naf_section', '_zone_placement'))
              AND obj_description(p.oid, 'pg_proc') IS NULL), 0, 'every CNIG function has a comment');
SELECT isnt(obj_description('smartregion.naf_subclass'::regclass, 'pg_class'), NULL, 'naf_subclass has a comment');

-- options: one spec table shared by the five functions
SELECT is((SELECT count(DISTINCT function)::int FROM smartregion.option_specs()
            WHERE function IN ('pole_eco', 'site_eco', 'terrain_eco', 'etablissement', 'cnig_csv')), 5,
          'the five exports have option specs');
SELECT is((SELECT count(*)::int FROM (
             SELECT option, type, default_value FROM smartregion.option_specs() WHERE function = 'site_eco'
             EXCEPT SELECT option, type, default_value FROM smartregion.option_specs() WHERE function = 'cnig_csv') d), 0,
          'cnig_csv accepts the options of the classes');
SELECT is((SELECT default_value FROM smartregion.option_specs() WHERE function = 'site_eco' AND option = 'site_etat'),
          'none', 'site_etat has no default: the producer declares it');
SELECT is((SELECT default_value FROM smartregion.option_specs() WHERE function = 'site_eco' AND option = 'dominance_share'),
          '0.6', 'dominance_share defaults to the standard''s 60 %');
SELECT is((SELECT count(*)::int FROM smartregion.option_specs() WHERE function IN ('cnig_site_eco', 'cnig_terrain_eco')), 0,
          'the old cnig_site_eco / cnig_terrain_eco specs are gone');
SELECT hasnt_function('smartregion', 'cnig_site_eco', 'cnig_site_eco is replaced by site_eco');

-- reference data
SELECT is((SELECT count(*)::int FROM smartregion.naf_subclass), 732, 'the 732 NAF rev. 2 subclasses');
SELECT is((SELECT label FROM smartregion.naf_subclass WHERE code = '45.20B'),
          'Entretien et réparation d''autres véhicules automobiles', 'NAF 45.20B label (the standard''s example)');
SELECT is((SELECT count(*)::int FROM smartregion.naf_subclass WHERE smartregion.naf_vocation(code) IS NULL), 0,
          'every NAF subclass has a vocation');
SELECT is((SELECT count(*)::int FROM smartregion.naf_subclass
            WHERE NOT smartregion.naf_vocation(code) = ANY (smartregion._cnig_values('site_vocadomi'))), 0,
          'every vocation is a value of site_vocadomi');

SELECT * FROM finish();
ROLLBACK;
