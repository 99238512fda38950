-- ---------------------------------------------------------------------------
-- CNIG "Sites économiques" exchange files (standard v2024-10, Table Schema
-- v1.0.1, copied in data/cnig/): the four classes pole_eco, site_eco,
-- terrain_eco and etablissement, each a function returning the standard's
-- columns in its order, and cnig_csv, the exchange file itself.
-- Reference: docs/zones.md ("CNIG exports").
--
-- search_path: every function pins search_path = pg_catalog, pg_temp.  The
-- four classes and cnig_csv take the caller's search path in a last argument,
-- query_search_path, whose default (current_setting('search_path')) is
-- evaluated in the caller's context, before the pin applies; they hand it to
-- the _cnig_* readers, which set it only while the statement running the
-- caller's query texts executes (set_config, local), so that a query resolves
-- as its author wrote it, and pin it back right after.  Every function,
-- operator and type in the SQL they write themselves is schema-qualified.
-- None is SECURITY DEFINER: the queries run as the caller, under row-level
-- security.
-- ---------------------------------------------------------------------------

-- C helpers (extension/pg/cnig.c, tables in extension/core/cnig.c) ------------
CREATE FUNCTION @extschema@.naf_vocation(naf text) RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_naf_vocation'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.naf_vocation(text) IS
  'the CNIG standard''s vocation of a NAF rev. 2 code (industrielle, commerciale, tertiaire, artisanale, touristique, portuaire, aéroportuaire, aéronautique, entrepôts, logistique, logistique agricole, or autre), by the table of docs/zones.md';

CREATE FUNCTION @extschema@._naf_section(naf text) RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_naf_section'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._naf_section(text) IS
  'internal: the NAF rev. 2 section letter (A-U) of a code, as zone_indicators counts it';

CREATE FUNCTION @extschema@._headcount_band_label(band text) RETURNS text
  AS 'MODULE_PATHNAME', 'sr_fn_headcount_band_label'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._headcount_band_label(text) IS
  'internal: INSEE''s label of a headcount band (03 -> 6 à 9 salariés), NULL for an unknown code';

CREATE FUNCTION @extschema@._headcount_band_jobs(band text) RETURNS double precision
  AS 'MODULE_PATHNAME', 'sr_fn_headcount_band_jobs'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._headcount_band_jobs(text) IS
  'internal: the jobs zone_indicators counts for a headcount band (the midpoint of its interval)';

CREATE FUNCTION @extschema@._cnig_values(field text) RETURNS text[]
  AS 'MODULE_PATHNAME', 'sr_fn_cnig_values'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._cnig_values(text) IS
  'internal: the CNIG standard''s value list of an enumerated field (from its Table Schema), NULL for a free field';

-- Pure helpers (pinned search_path) -------------------------------------------
CREATE FUNCTION @extschema@._cnig_attr(attrs jsonb, key text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$ SELECT attrs ->> key $$;
COMMENT ON FUNCTION @extschema@._cnig_attr(jsonb, text) IS
  'internal: the text of an optional input column (a row as jsonb), NULL when absent';

-- An input column the exports convert (a distance, a year, a date): in C, so that a
-- value that does not convert keeps PostgreSQL's error and names its column and query
-- (a context line _reraise_query_error turns into the detail).  Not STRICT: target is
-- a typed NULL giving the result's type.
CREATE FUNCTION @extschema@._cnig_convert(value text, column_name text, query text, target anyelement)
RETURNS anyelement
  AS 'MODULE_PATHNAME', 'sr_fn_cnig_convert'
  LANGUAGE C STABLE PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@._cnig_convert(text, text, text, anyelement) IS
  'internal: the text of an input column in the type of target (an integer through numeric, rounded, as a cast text::numeric::integer); a value that does not convert raises PostgreSQL''s error with the context "while reading column <column_name> of <query>"; NULL for NULL';

CREATE FUNCTION @extschema@._cnig_yes_no(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$ SELECT CASE lower(v) WHEN 'true' THEN 'oui' WHEN 'false' THEN 'non' ELSE v END $$;
COMMENT ON FUNCTION @extschema@._cnig_yes_no(text) IS
  'internal: a boolean input column as the standard''s oui / non (other text is kept, then checked)';

CREATE FUNCTION @extschema@._cnig_required(value anyelement, field text, object text, hint text)
RETURNS anyelement
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF value IS NULL OR value::text = '' THEN
    RAISE EXCEPTION 'required field % of % has no value', field, object
      USING ERRCODE = '22004',
            DETAIL = 'The CNIG standard requires this field, and an exchange file never has an empty required cell.',
            HINT = hint;
  END IF;
  RETURN value;
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_required(anyelement, text, text, text) IS
  'internal: the value of a required field of the CNIG standard, or an error (22004) naming the field, the object and where the value can come from';

-- source (the checks below): where a value that fails came from, "the column
-- site_type of zones_sql", for the detail (the options were checked before)
CREATE FUNCTION @extschema@._cnig_check(field text, value text, object text, source text DEFAULT NULL) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  allowed text[] := @extschema@._cnig_values(field);
BEGIN
  IF value IS NULL OR allowed IS NULL OR value = ANY (allowed) THEN
    RETURN value;
  END IF;
  IF source IS NULL THEN
    RAISE EXCEPTION 'invalid value "%" for field % of %', value, field, object
      USING ERRCODE = '22023', HINT = 'The CNIG standard accepts: ' || array_to_string(allowed, ' | ') || '.';
  END IF;
  RAISE EXCEPTION 'invalid value "%" for field % of %', value, field, object
    USING ERRCODE = '22023', DETAIL = 'The value came from ' || source || '.',
          HINT = 'The CNIG standard accepts: ' || array_to_string(allowed, ' | ') || '.';
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_check(text, text, text, text) IS
  'internal: a value of an enumerated field of the CNIG standard, or an error (22023) naming the field, where the value came from (source, in the detail) and listing the standard''s values';

CREATE FUNCTION @extschema@._cnig_pattern(value text, pattern text, field text, object text, expected text,
                                           source text DEFAULT NULL)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF value IS NOT NULL AND value !~ pattern THEN
    RAISE EXCEPTION 'invalid value "%" for field % of %', value, field, object
      USING ERRCODE = '22023',
            DETAIL = 'Expected ' || expected || '.' || coalesce(' The value came from ' || source || '.', '');
  END IF;
  RETURN value;
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_pattern(text, text, text, text, text, text) IS
  'internal: a value that must match a pattern (INSEE code, SIREN, legal category), or an error (22023) naming the field and where the value came from (source, in the detail)';

CREATE FUNCTION @extschema@._cnig_raise_if(failed boolean, state text, message text, hint text,
                                            source text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF failed AND source IS NULL THEN
    RAISE EXCEPTION '%', message USING ERRCODE = state, HINT = hint;
  ELSIF failed THEN
    RAISE EXCEPTION '%', message USING ERRCODE = state, DETAIL = 'The value came from ' || source || '.', HINT = hint;
  END IF;
  RETURN false;
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_raise_if(boolean, text, text, text, text) IS
  'internal: raises message with SQLSTATE state (and where the value came from, source, in the detail) when failed is true (a check inside a query), else false';

CREATE FUNCTION @extschema@._cnig_vocadomi(vocations text[], jobs double precision[], share double precision,
                                           pole boolean)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  total double precision;
  top text;
  top_w double precision;
  tied boolean;
BEGIN
  IF coalesce(cardinality(vocations), 0) = 0 THEN
    RETURN 'inconnu';
  END IF;
  -- shares of the estimated jobs; without any job (bands NN and 00 only),
  -- of the establishments
  SELECT sum(j) INTO total FROM unnest(jobs) j;
  IF coalesce(total, 0) <= 0 THEN
    jobs := array_fill(1::double precision, ARRAY[cardinality(vocations)]);
    total := cardinality(vocations);
  END IF;
  SELECT u.v, sum(u.j) INTO top, top_w
    FROM unnest(vocations, jobs) u(v, j) GROUP BY u.v ORDER BY sum(u.j) DESC, u.v LIMIT 1;
  IF top_w > share * total THEN
    RETURN top;
  END IF;
  IF NOT pole THEN
    RETURN 'mixte';
  END IF;
  -- a pole without a dominant vocation: logistics the largest share, or none
  SELECT count(*) > 1 INTO tied
    FROM (SELECT sum(u.j) AS w FROM unnest(vocations, jobs) u(v, j) GROUP BY u.v) x WHERE x.w >= top_w;
  IF top = 'entrepôts, logistique' AND NOT tied THEN
    RETURN 'mixte à dominante logistique';
  END IF;
  RETURN 'mixte, sans dominante';
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_vocadomi(text[], double precision[], double precision, boolean) IS
  'internal: dominant vocation of a site (or pole) from its establishments'' vocations and estimated jobs: the vocation holding more than share of the jobs, else mixte (a pole: mixte à dominante logistique or mixte, sans dominante); inconnu without establishments';

CREATE FUNCTION @extschema@._cnig_csv_field(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$
  -- RFC 4180 quoting with the standard's separator ';': a field holding ';',
  -- '"', a line break or edge spaces is quoted, its quotes doubled
  SELECT CASE WHEN v IS NULL THEN ''
              WHEN v ~ '[;"\r\n]' OR v <> btrim(v) THEN '"' || replace(v, '"', '""') || '"'
              ELSE v END
$$;
COMMENT ON FUNCTION @extschema@._cnig_csv_field(text) IS
  'internal: one field of a CNIG exchange file (separator ;, RFC 4180 quoting, empty for NULL)';

CREATE FUNCTION @extschema@._secrecy_rules_other(rules jsonb) RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_secrecy_rules_other'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._secrecy_rules_other(jsonb) IS
  'internal: whether statistical secrecy rules differ from the defaults (min_units 3, dominance 0.85, fiscal_min_units 11, protection_level 0.1, band check), weaker or stricter: a publication takes the defaults only';

CREATE FUNCTION @extschema@._secrecy_rules_weaker(rules jsonb) RETURNS boolean
  AS 'MODULE_PATHNAME', 'sr_fn_secrecy_rules_weaker'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._secrecy_rules_weaker(jsonb) IS
  'internal: whether statistical secrecy rules protect less than the defaults in any rule (min_units below 3, dominance above 0.85, fiscal_min_units below 11, protection_level below 0.1, no band check): no publication takes them';

CREATE FUNCTION @extschema@._cnig_publication_check(opts jsonb) RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- an export is a publication (zone_indicators' check, sr_zones_opts_check, says the same)
  IF opts OPERATOR(pg_catalog.->>) 'vacancy_rule' OPERATOR(pg_catalog.=) 'cfe_only' THEN
    RAISE EXCEPTION 'vacancy rule "cfe_only" cannot be published' USING ERRCODE = '22023',
      DETAIL = 'Under cfe_only, a land unit occupied only by establishments not liable to the CFE is vacant: its published vacancy would disclose their liability, which fiscal secrecy covers.',
      HINT = 'Export the statutory vacancy (the default), or compute cfe_only with land_unit_vacancy for the inventory''s own work.';
  END IF;
  -- rules weaker than the defaults are for checking and must be asked for as such: they
  -- switch the protection down or off (the tests use them to see every cell).  Stricter
  -- ones must be the set of the hubs the texts read (a zone published under two sets gives
  -- back, by comparison, a cell each suppresses: the red team of 2026-12-07), which the
  -- readers ask with the texts (_cnig_publication_rules); sr_zones_opts_check says the same
  IF pg_catalog.jsonb_typeof(opts OPERATOR(pg_catalog.->) 'rules') OPERATOR(pg_catalog.=) 'object'
     AND @extschema@._secrecy_rules_weaker(opts OPERATOR(pg_catalog.->) 'rules')
     -- (only JSON true asks for it: any other value is _cnig_options's to refuse, not a cast's)
     AND (opts OPERATOR(pg_catalog.->) 'not_for_publication') IS DISTINCT FROM 'true'::pg_catalog.jsonb THEN
    RAISE EXCEPTION 'secrecy rules other than the defaults cannot be published' USING ERRCODE = '22023',
      DETAIL = pg_catalog.format('The rules %s protect less than the defaults (options.md, statistical_secrecy): a file under them would suppress fewer cells, or none.',
                                 opts OPERATOR(pg_catalog.->) 'rules'),
      HINT = 'Leave "rules" out to publish; pass "not_for_publication": true to make a file for checking only.';
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_publication_check(jsonb) IS
  'internal: refuses what a CNIG export cannot publish: the vacancy rule cfe_only, secrecy rules weaker than the defaults without "not_for_publication" (22023; stricter ones other than the hub''s set: _cnig_publication_rules); run by _cnig_options and again by _cnig_secrecy, which every internal reader goes through';

CREATE FUNCTION @extschema@._cnig_options(function text, options jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o jsonb;
BEGIN
  PERFORM @extschema@._cnig_publication_check(options);
  o := @extschema@._options(function, options);
  -- (rules not passed are the publication's, the hub's set: _cnig_publication_rules)
  IF NOT coalesce(options ? 'rules', false) THEN
    o := o - 'rules';
  END IF;
  IF o ? 'identif_date' THEN
    IF o ->> 'identif_date' !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' THEN
      RAISE EXCEPTION 'option "identif_date" must be a date written YYYY-MM-DD' USING ERRCODE = '22007';
    END IF;
    PERFORM (o ->> 'identif_date')::date;   -- 22008 for a day that does not exist
  END IF;
  IF o ? 'comm_insee' AND o ->> 'comm_insee' !~ '^[0-9][0-9AB][0-9]{3}$' THEN
    RAISE EXCEPTION 'option "comm_insee" must be an INSEE commune code' USING ERRCODE = '22023',
      DETAIL = 'An INSEE code is five characters, e.g. 91479 or 2A004.';
  END IF;
  IF o ? 'epci_siren' AND o ->> 'epci_siren' !~ '^[0-9]{9}$' THEN
    RAISE EXCEPTION 'option "epci_siren" must be a SIREN number' USING ERRCODE = '22023',
      DETAIL = 'A SIREN number is nine digits.';
  END IF;
  RETURN o;
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_options(text, jsonb) IS
  'internal: the options of a CNIG export checked against their specs (option_specs) and formats, merged over the defaults';

CREATE FUNCTION @extschema@._cnig_secrecy(opts jsonb) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- an export is a publication: zone_indicators' statistical secrecy always applies, and
  -- what cannot be published is refused here too (the internals are callable directly)
  PERFORM @extschema@._cnig_publication_check(opts);
  RETURN pg_catalog.jsonb_build_object('published', true, 'fiscal', coalesce((opts ->> 'fiscal')::boolean, false),
                                       'vacancy_rule', coalesce(opts ->> 'vacancy_rule', 'statutory'))
         || CASE WHEN opts ? 'rules' THEN pg_catalog.jsonb_build_object('rules', opts -> 'rules') ELSE '{}'::jsonb END
         -- (weaker rules reach here only with it: _cnig_publication_check above)
         || CASE WHEN (opts -> 'not_for_publication') = 'true'::jsonb
                 THEN '{"not_for_publication": true}'::jsonb ELSE '{}'::jsonb END;
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_secrecy(jsonb) IS
  'internal: the zone_indicators options of a CNIG export: published (secrecy applied), fiscal, rules, vacancy_rule and not_for_publication, after _cnig_publication_check';

-- to_jsonb converts a geometry with PostGIS's cast to json, whose own query of
-- spatial_ref_sys uses unqualified operators: pinned here, it cannot be captured by
-- the caller's search_path.  In C: the column geom is left out before the conversion
-- (its cast costs 19 us a row, for a key the exports throw away)
CREATE FUNCTION @extschema@._cnig_row(r anyelement) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sr_fn_cnig_row'
  LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100
  SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@._cnig_row(anyelement) IS
  'internal: a row of an input query as jsonb without its geom column (the other columns fill the CNIG fields named after them)';

CREATE FUNCTION @extschema@._cnig_residual_listing(zone_id bigint[], siret text[], jobs double precision[],
                                                  cell integer[], in_total boolean[], jobs_known boolean[],
                                                  listed boolean[], options jsonb)
RETURNS boolean[]
  AS 'MODULE_PATHNAME', 'sr_fn_cnig_residual_listing'
  LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION @extschema@._cnig_residual_listing(bigint[], text[], double precision[], integer[], boolean[], boolean[], boolean[], jsonb) IS
  'internal: the establishments the exports list (listed, in) withheld further, the smallest first, until what each zone withholds from its published total holds min_units enterprises (fiscal_min_units when fiscal), none dominating its jobs, and, when the zone''s jobs are published (jobs_known), bands that do not follow from its jobs; within each cell (NAF section), the withheld members beside listed ones hold min_units enterprises, else none of the cell is listed; and, with the zone''s jobs, no withheld band follows from the published cells'' dominance beside their listed bands (cell: the section of a published cell, NULL for a suppressed one); options are zone_indicators'' (rules, fiscal)';

-- Readers of the query texts (the caller's search_path while they run, everything qualified)
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._cnig_site_keys(zones_sql text, opts jsonb, query_search_path text)
RETURNS TABLE (zone_id bigint, insee text, site_id text, attrs jsonb, geom @postgis@.geometry)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 1000 ROWS 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  args_given boolean;
BEGIN
  -- (called directly by a superuser or platform administrator: who controls the code its
  -- texts run; a reader that passed them in this statement pays nothing: _query_read_guard)
  PERFORM @extschema@._query_read_guard('_cnig_site_keys', ARRAY[zones_sql], query_search_path);
  -- (the shared NULL check, docs/governance.md#null-arguments, after the guard as before)
  args_given := @extschema@._require_args('zones_sql', zones_sql);
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  RETURN QUERY EXECUTE pg_catalog.format($q$
    SELECT k.zone_id, k.insee,
           CASE WHEN @extschema@._cnig_raise_if(k.zone_id OPERATOR(pg_catalog.<) 0, '22023',
                       pg_catalog.format('zone %%s has a negative zone_id', k.zone_id),
                       'The standard''s identifiers are <INSEE>_SITE-ECO_<zone_id>: use zone ids of 0 or more.',
                       'the column zone_id of zones_sql')
                THEN NULL
                -- (padded to five digits, never cut: lpad cuts a longer text)
                ELSE pg_catalog.concat(k.insee, '_SITE-ECO_', pg_catalog.lpad(k.zone_id::pg_catalog.text,
                       GREATEST(5, pg_catalog.length(k.zone_id::pg_catalog.text)), '0')) END,
           k.attrs, k.geom
      FROM (SELECT z.zone_id, z.attrs, z.geom,
                   @extschema@._cnig_pattern(@extschema@._cnig_required(
                     COALESCE(@extschema@._cnig_attr(z.attrs, 'site_comm_insee'), @extschema@._cnig_attr(z.attrs, 'comm_insee'),
                              @extschema@._cnig_attr($1, 'comm_insee')),
                     'site_comm_insee', pg_catalog.concat('zone ', z.zone_id),
                     'Give zones_sql a comm_insee column (the commune holding most of the zone) or pass the option "comm_insee".'),
                     '^[0-9][0-9AB][0-9]{3}$', 'site_comm_insee', pg_catalog.concat('zone ', z.zone_id),
                     'an INSEE commune code of five characters', 'the column site_comm_insee or comm_insee of zones_sql') AS insee
              FROM (SELECT q.zone_id::pg_catalog.int8 AS zone_id, q.geom AS geom,
                           @extschema@._cnig_row(q) AS attrs
                      FROM (%s) q) z) k
     ORDER BY k.zone_id $q$, @extschema@._query_subquery('zones_sql', zones_sql, '{zone_id,geom}'))
  USING opts;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_site_keys(text, jsonb, text) IS
  'internal: every zone of zones_sql with the INSEE code of its main commune, its site_id <INSEE>_SITE-ECO_<zone_id>, its other columns (jsonb) and its geometry; for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._cnig_establishments(zones_sql text, parcels_sql text, buildings_sql text,
                                                 establishments_sql text, at date, opts jsonb,
                                        query_search_path text,
                                        ind_zone_id bigint[] DEFAULT NULL, ind_establishments bigint[] DEFAULT NULL,
                                        ind_jobs_estimate double precision[] DEFAULT NULL,
                                        ind_sector_mix jsonb[] DEFAULT NULL)
RETURNS TABLE (siret text, parcel_id text, unit_key text, zone_id bigint, naf text, band text,
               start_date date, end_date date, active boolean, listed boolean, section text,
               vocation text, jobs double precision, attrs jsonb, geom @postgis@.geometry)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (called directly by a superuser or platform administrator: who controls the code its
  -- texts run; a reader that passed them in this statement pays nothing: _query_read_guard)
  PERFORM @extschema@._query_read_guard('_cnig_establishments', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  -- (the secrecy rules of the hubs the texts read, and no others: _cnig_publication_rules)
  opts := @extschema@._cnig_publication_rules(opts, ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  IF establishments_sql IS NULL THEN
    RETURN;
  END IF;
  -- listed: active on at, in a zone, and its zone x NAF-section cell and its
  -- zone total published by zone_indicators' statistical secrecy, and what its
  -- zone withholds passes the primary rules (_cnig_residual_listing); never a sole
  -- trader (legal category 1xxx, a natural person: the standard's required SIRET,
  -- terrain and point would locate the person, INSEE diffuses no more than the commune)
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  -- (the published indicators, when the caller computed them already: _cnig_sites)
  RETURN QUERY EXECUTE pg_catalog.format($q$
    -- (the caller's text first: it sees no name of the statement's own, so a
    -- table of the caller's named ind or pl stays the caller's table)
    -- (materialised: a row's jsonb, its geometry left out, is made once, not once per use)
    WITH e AS MATERIALIZED (
      SELECT q.siret::pg_catalog.text AS siret, q.naf::pg_catalog.text AS naf,
             q.headcount_band::pg_catalog.text AS band, q.start_date::pg_catalog.date AS start_date,
             q.end_date::pg_catalog.date AS end_date,
             @extschema@._cnig_row(q) AS attrs, q.geom AS geom
        FROM (%1$s) q),
    ind AS (
      SELECT i.zone_id, i.establishments, i.jobs_estimate, i.sector_mix
        FROM %2$s),
    pl AS (
      SELECT p.id, p.parcel_id, p.land_unit_id, p.zone_id
        FROM @extschema@._zone_placement($1, $2, $3, $4) p
       WHERE p.kind OPERATOR(pg_catalog.=) 'establishment'),
    a AS (
      SELECT e.*, pl.parcel_id, pl.land_unit_id, pl.zone_id, @extschema@._naf_section(e.naf) AS section,
             (e.start_date IS NULL OR e.start_date OPERATOR(pg_catalog.<=) $5)
               AND (e.end_date IS NULL OR e.end_date OPERATOR(pg_catalog.>=) $5) AS active
        FROM e JOIN pl ON pl.id OPERATOR(pg_catalog.=) e.siret),
    b AS (
      SELECT a.*, @extschema@._headcount_band_jobs(a.band) AS jobs,
             pg_catalog.row_number() OVER (ORDER BY a.siret) AS ord,
             a.active AND a.zone_id IS NOT NULL AND ind.establishments IS NOT NULL AS in_total,
             ind.jobs_estimate IS NOT NULL AS jobs_known,
             pg_catalog.jsonb_typeof(ind.sector_mix OPERATOR(pg_catalog.->) a.section)
               OPERATOR(pg_catalog.=) 'number' AS cell_published,
             a.active AND a.zone_id IS NOT NULL AND ind.establishments IS NOT NULL
               AND pg_catalog.jsonb_typeof(ind.sector_mix OPERATOR(pg_catalog.->) a.section)
                   OPERATOR(pg_catalog.=) 'number'
               -- (no legal category: perhaps a sole trader, so not listed)
               AND COALESCE(@extschema@._cnig_attr(a.attrs, 'etab_nat_juridique'), '1') OPERATOR(pg_catalog.!~~) '1%%'
               AS listed0
        FROM a LEFT JOIN ind ON ind.zone_id OPERATOR(pg_catalog.=) a.zone_id),
    -- what each zone withholds (its published totals minus its listed establishments)
    -- must pass the primary rules itself: else its smallest listed ones are withheld too
    r AS (
      SELECT @extschema@._cnig_residual_listing(
               pg_catalog.array_agg(b.zone_id ORDER BY b.ord), pg_catalog.array_agg(b.siret ORDER BY b.ord),
               -- (a cell only for a published section: the suppressed ones are one group, their counts unknown)
               pg_catalog.array_agg(b.jobs ORDER BY b.ord),
               pg_catalog.array_agg(CASE WHEN b.cell_published THEN pg_catalog.ascii(b.section) END ORDER BY b.ord),
               pg_catalog.array_agg(b.in_total ORDER BY b.ord),
               pg_catalog.array_agg(b.jobs_known ORDER BY b.ord), pg_catalog.array_agg(b.listed0 ORDER BY b.ord),
               @extschema@._cnig_secrecy($6)) AS listed
        FROM b)
    SELECT b.siret, b.parcel_id, b.land_unit_id, b.zone_id, b.naf, b.band, b.start_date, b.end_date, b.active,
           r.listed[b.ord], b.section, @extschema@.naf_vocation(b.naf), b.jobs, b.attrs, b.geom
      FROM b CROSS JOIN r
     ORDER BY b.siret $q$, @extschema@._query_subquery('establishments_sql', establishments_sql,
                                                        '{siret,naf,headcount_band,start_date,end_date,geom}'),
     CASE WHEN ind_zone_id IS NULL
          THEN '@extschema@.zone_indicators($1, $2, $3, $4, $5, @extschema@._cnig_secrecy($6)) i'
          ELSE 'ROWS FROM (pg_catalog.unnest($7), pg_catalog.unnest($8), pg_catalog.unnest($9), pg_catalog.unnest($10)) AS i(zone_id, establishments, jobs_estimate, sector_mix)' END)
  USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, opts,
        ind_zone_id, ind_establishments, ind_jobs_estimate, ind_sector_mix;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_establishments(text, text, text, text, date, jsonb, text, bigint[], bigint[], double precision[], jsonb[]) IS
  'internal: every establishment with its placement (parcel, land unit, zone as zone_indicators counts it), activity on at, NAF section and vocation, estimated jobs, and whether the exports may list it (its zone x NAF-section cell published by statistical secrecy, not a sole trader, and what its zone withholds passing the primary rules); the published indicators (zone_id, establishments, jobs_estimate, sector_mix) are computed, or given as arrays by a caller that has them; for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._cnig_sites(zones_sql text, parcels_sql text, buildings_sql text,
                                        establishments_sql text, at date, opts jsonb,
                                        query_search_path text)
RETURNS TABLE (
  site_id text,
  pole_id text,
  site_nom text,
  site_type text,
  site_vocadomi text,
  site_etat text,
  site_surf_brute double precision,
  site_surf_utile double precision,
  site_creation_date integer,
  site_identif_date date,
  site_actu_date date,
  source_producteur text,
  site_description text,
  site_quali_territoire text,
  site_evol_urba text,
  site_url text,
  site_epci_nom text,
  site_epci_siren text,
  site_comm_nom text,
  site_comm_insee text,
  site_moa_type text,
  site_moa_nom text,
  site_moa_amngt text,
  site_moa_comm text,
  site_uf_nbre integer,
  site_uf_vacant_nbre integer,
  site_taux_vacance integer,
  site_uf_bati_nbre integer,
  site_nb_etab integer,
  site_nb_emploi integer,
  site_geomsurf @postgis@.geometry,
  site_geompoint @postgis@.geometry,
  site_media text,
  site_surf_comm_dispo double precision,
  site_surf_projet double precision,
  site_voca_industrielle text,
  site_voca_commerciale text,
  site_voca_tertiaire text,
  site_voca_artisanale text,
  site_voca_touristique text,
  site_voca_portuaire text,
  site_voca_aeroportuaire text,
  reseau_eau_pluviale text,
  reseau_eau_potable text,
  reseau_assainissement text,
  reseau_gaz text,
  reseau_electrique text,
  reseau_fibre_optique text,
  reseau_fret_ferroviaire text,
  reseau_fluvial text,
  desserte_tc text,
  desserte_route_nom text,
  autoroute_nom text,
  autoroute_echang_dist double precision,
  gare_nom text,
  gare_dist double precision,
  gare_fret_nom text,
  gare_fret_dist double precision,
  aeroport_nom text,
  aeroport_dist double precision,
  port_nom text,
  port_dist double precision,
  zone_id bigint, pole_key bigint, pole_nom text, geom @postgis@.geometry, vocs text[], vjobs double precision[])
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g name := @extschema@._postgis_schema();
BEGIN
  -- (called directly by a superuser or platform administrator: who controls the code its
  -- texts run; a reader that passed them in this statement pays nothing: _query_read_guard)
  PERFORM @extschema@._query_read_guard('_cnig_sites', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  -- (the secrecy rules of the hubs the texts read, and no others: _cnig_publication_rules)
  opts := @extschema@._cnig_publication_rules(opts, ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  RETURN QUERY EXECUTE pg_catalog.format($q$
    WITH k AS (SELECT * FROM @extschema@._cnig_site_keys($1, $6, $7)),
    -- (the published indicators once: the establishments' listing reads them too)
    ind AS MATERIALIZED (
      SELECT i.zone_id, i.area_ha, i.land_units, i.vacant_land_units, i.vacancy_rate, i.built_land_units,
             i.establishments, i.jobs_estimate, i.available_land_ha, i.sector_mix
        FROM @extschema@.zone_indicators($1, $2, $3, $4, $5, @extschema@._cnig_secrecy($6)) i),
    ia AS (
      SELECT COALESCE(pg_catalog.array_agg(ind.zone_id), '{}') AS z,
             COALESCE(pg_catalog.array_agg(ind.establishments), '{}') AS n,
             COALESCE(pg_catalog.array_agg(ind.jobs_estimate), '{}') AS j,
             COALESCE(pg_catalog.array_agg(ind.sector_mix), '{}') AS m
        FROM ind),
    -- (the available land, as the usable land, is the terrains' parts inside the
    -- site: a vacant unbuilt unit straddling two zones is not all the site's)
    vac AS (
      SELECT un.zone_id, pg_catalog.sum(un.area_m2) AS m2,
             pg_catalog.sum(un.area_m2) FILTER (WHERE NOT un.built AND
               (un.reason OPERATOR(pg_catalog.=) ANY (ARRAY['never_occupied', 'no_activity_since']::pg_catalog.text[]) OR
                (un.reason OPERATOR(pg_catalog.=) 'occupied_non_cfe' AND
                 (@extschema@._cnig_secrecy($6) OPERATOR(pg_catalog.->>) 'vacancy_rule') OPERATOR(pg_catalog.=) 'cfe_only'))) AS avail_m2
        FROM @extschema@._cnig_units($1, $2, $3, $4, $5, $6, $7) un GROUP BY un.zone_id),
    est AS (
      SELECT e.zone_id,
             pg_catalog.array_agg(e.vocation ORDER BY e.siret) FILTER (WHERE e.listed) AS vocs,
             pg_catalog.array_agg(e.jobs ORDER BY e.siret) FILTER (WHERE e.listed) AS vjobs,
             pg_catalog.count(*) FILTER (WHERE NOT e.listed) AS withheld
        FROM ia CROSS JOIN LATERAL @extschema@._cnig_establishments($1, $2, $3, $4, $5, $6, $7,
                                                                    ia.z, ia.n, ia.j, ia.m) e
       WHERE e.active AND e.zone_id IS NOT NULL GROUP BY e.zone_id),
    s AS (
      SELECT k.zone_id, k.insee, k.site_id, k.attrs, k.geom, ind.area_ha, ind.land_units,
             ind.vacant_land_units, ind.vacancy_rate, ind.built_land_units, ind.establishments,
             ind.jobs_estimate, vac.avail_m2, vac.m2, est.vocs, est.vjobs,
             -- (out of the caller's scope: zone_indicators withholds its land figures,
             -- its own area kept; the surfaces from its land units are withheld too)
             (ind.land_units IS NULL AND ind.area_ha IS NOT NULL) AS out_of_scope,
             COALESCE(est.withheld, 0) AS withheld,
             COALESCE(@extschema@._cnig_attr(k.attrs, 'site_epci_siren'), @extschema@._cnig_attr(k.attrs, 'epci_siren'),
                      tc.epci_code, @extschema@._cnig_attr($6, 'epci_siren')) AS epci_siren,
             COALESCE(@extschema@._cnig_attr(k.attrs, 'site_comm_nom'), @extschema@._cnig_attr(k.attrs, 'comm_nom'),
                      tc.name, @extschema@._cnig_attr($6, 'comm_nom')) AS comm_nom,
             @extschema@._cnig_convert(@extschema@._cnig_attr(k.attrs, 'pole'), 'pole', 'zones_sql', NULL::pg_catalog.int8) AS pole_in
        FROM k JOIN ind ON ind.zone_id OPERATOR(pg_catalog.=) k.zone_id
             LEFT JOIN vac ON vac.zone_id OPERATOR(pg_catalog.=) k.zone_id
             LEFT JOIN est ON est.zone_id OPERATOR(pg_catalog.=) k.zone_id
             LEFT JOIN @extschema@.territory tc
                    ON tc.type OPERATOR(pg_catalog.=) 'commune' AND tc.code OPERATOR(pg_catalog.=) k.insee),
    s2 AS (
      SELECT s.*, COALESCE(@extschema@._cnig_attr(s.attrs, 'site_epci_nom'), te.name,
                           @extschema@._cnig_attr($6, 'epci_nom')) AS epci_nom,
             COALESCE(s.pole_in, s.zone_id) AS pole_key,
             pg_catalog.first_value(s.insee) OVER w AS pole_insee,
             pg_catalog.count(*) OVER w AS pole_sites,
             pg_catalog.bool_or(s.pole_in IS NULL) OVER w AND pg_catalog.bool_or(s.pole_in IS NOT NULL) OVER w AS pole_clash,
             pg_catalog.first_value(@extschema@._cnig_attr(s.attrs, 'pole_nom')) OVER
               (PARTITION BY COALESCE(s.pole_in, s.zone_id)
                ORDER BY @extschema@._cnig_attr(s.attrs, 'pole_nom') IS NULL, s.zone_id) AS pole_nom_in
        FROM s LEFT JOIN @extschema@.territory te
                      ON te.type OPERATOR(pg_catalog.=) 'epci' AND te.code OPERATOR(pg_catalog.=) s.epci_siren
      WINDOW w AS (PARTITION BY COALESCE(s.pole_in, s.zone_id) ORDER BY s.zone_id
                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
    SELECT s.site_id AS site_id,
           pg_catalog.concat(s.pole_insee, '_POLE-ECO_', pg_catalog.lpad(s.pole_key::pg_catalog.text, GREATEST(5, pg_catalog.length(s.pole_key::pg_catalog.text)), '0')) AS pole_id,
           @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(s.attrs, 'site_nom'), @extschema@._cnig_attr(s.attrs, 'name')), 'site_nom', pg_catalog.concat('site ', s.site_id), 'Give zones_sql a site_nom (or name) column.') AS site_nom,
           @extschema@._cnig_check('site_type', @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(s.attrs, 'site_type'), @extschema@._cnig_attr($6, 'site_type')), 'site_type', pg_catalog.concat('site ', s.site_id), 'Give zones_sql a site_type column or pass the option "site_type" (one of the standard''s values).'), pg_catalog.concat('site ', s.site_id), 'the column site_type of zones_sql') AS site_type,
           @extschema@._cnig_vocadomi(s.vocs, s.vjobs, (@extschema@._cnig_attr($6, 'dominance_share'))::pg_catalog.float8, false) AS site_vocadomi,
           @extschema@._cnig_check('site_etat', @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(s.attrs, 'site_etat'), @extschema@._cnig_attr($6, 'site_etat')), 'site_etat', pg_catalog.concat('site ', s.site_id), 'Give zones_sql a site_etat column or pass the option "site_etat" (one of the standard''s values).'), pg_catalog.concat('site ', s.site_id), 'the column site_etat of zones_sql') AS site_etat,
           pg_catalog.round((s.area_ha)::pg_catalog.numeric, 4)::pg_catalog.float8 AS site_surf_brute,
           CASE WHEN NOT s.out_of_scope THEN pg_catalog.round((COALESCE(s.m2, 0) OPERATOR(pg_catalog./) 10000)::pg_catalog.numeric, 4)::pg_catalog.float8 END AS site_surf_utile,
           @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'site_creation_date'), 'site_creation_date', 'zones_sql', NULL::pg_catalog.int4) AS site_creation_date,
           @extschema@._cnig_required(COALESCE(@extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'site_identif_date'), 'site_identif_date', 'zones_sql', NULL::pg_catalog.date), @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'identif_date'), 'identif_date', 'zones_sql', NULL::pg_catalog.date), @extschema@._cnig_attr($6, 'identif_date')::pg_catalog.date), 'site_identif_date', pg_catalog.concat('site ', s.site_id), 'Give zones_sql a site_identif_date column or pass the option "identif_date".') AS site_identif_date,
           $5 AS site_actu_date,
           COALESCE(@extschema@._cnig_attr(s.attrs, 'source_producteur'), @extschema@._cnig_attr($6, 'source_producteur')) AS source_producteur,
           @extschema@._cnig_attr(s.attrs, 'site_description') AS site_description,
           @extschema@._cnig_attr(s.attrs, 'site_quali_territoire') AS site_quali_territoire,
           @extschema@._cnig_check('site_evol_urba', @extschema@._cnig_attr(s.attrs, 'site_evol_urba'), pg_catalog.concat('site ', s.site_id), 'the column site_evol_urba of zones_sql') AS site_evol_urba,
           @extschema@._cnig_attr(s.attrs, 'site_url') AS site_url,
           @extschema@._cnig_required(s.epci_nom, 'site_epci_nom', pg_catalog.concat('site ', s.site_id), 'Load the territories (smartregion.load_territories) or pass the option "epci_nom".') AS site_epci_nom,
           @extschema@._cnig_required(@extschema@._cnig_pattern(s.epci_siren, '^[0-9]{9}$', 'site_epci_siren', pg_catalog.concat('site ', s.site_id), 'a SIREN of nine digits', 'the column site_epci_siren or epci_siren of zones_sql'), 'site_epci_siren', pg_catalog.concat('site ', s.site_id), 'Load the territories (smartregion.load_territories), give zones_sql an epci_siren column or pass the option "epci_siren".') AS site_epci_siren,
           @extschema@._cnig_required(s.comm_nom, 'site_comm_nom', pg_catalog.concat('site ', s.site_id), 'Load the territories (smartregion.load_territories) or pass the option "comm_nom".') AS site_comm_nom,
           s.insee AS site_comm_insee,
           @extschema@._cnig_check('site_moa_type', @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(s.attrs, 'site_moa_type'), @extschema@._cnig_attr(s.attrs, 'moa_type'), @extschema@._cnig_attr($6, 'site_moa_type')), 'site_moa_type', pg_catalog.concat('site ', s.site_id), 'Give zones_sql a site_moa_type column or pass the option "site_moa_type" (one of the standard''s values).'), pg_catalog.concat('site ', s.site_id), 'the column site_moa_type or moa_type of zones_sql') AS site_moa_type,
           @extschema@._cnig_attr(s.attrs, 'site_moa_nom') AS site_moa_nom,
           @extschema@._cnig_attr(s.attrs, 'site_moa_amngt') AS site_moa_amngt,
           @extschema@._cnig_attr(s.attrs, 'site_moa_comm') AS site_moa_comm,
           s.land_units::pg_catalog.int4 AS site_uf_nbre,
           s.vacant_land_units::pg_catalog.int4 AS site_uf_vacant_nbre,
           pg_catalog.round((s.vacancy_rate OPERATOR(pg_catalog.*) 100)::pg_catalog.numeric)::pg_catalog.int4 AS site_taux_vacance,
           s.built_land_units::pg_catalog.int4 AS site_uf_bati_nbre,
           s.establishments::pg_catalog.int4 AS site_nb_etab,
           pg_catalog.round(s.jobs_estimate::pg_catalog.numeric)::pg_catalog.int4 AS site_nb_emploi,
           CASE WHEN @extschema@._cnig_raise_if(%1$I.ST_SRID(s.geom) OPERATOR(pg_catalog.=) 0, '22023', pg_catalog.format('zone %%s has SRID 0: its site cannot be placed in WGS84', s.zone_id), 'Give the zones their SRID, e.g. ST_SetSRID(geom, 2154).', 'the column geom of zones_sql') THEN NULL ELSE %1$I.ST_Multi(%1$I.ST_Transform(s.geom, 4326)) END AS site_geomsurf,
           %1$I.ST_Transform(%1$I.ST_Centroid(s.geom), 4326) AS site_geompoint,
           @extschema@._cnig_attr(s.attrs, 'site_media') AS site_media,
           CASE WHEN NOT s.out_of_scope THEN pg_catalog.round((COALESCE(s.avail_m2, 0) OPERATOR(pg_catalog./) 10000)::pg_catalog.numeric, 4)::pg_catalog.float8 END AS site_surf_comm_dispo,
           @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'site_surf_projet'), 'site_surf_projet', 'zones_sql', NULL::pg_catalog.float8) AS site_surf_projet,
           CASE WHEN 'industrielle' OPERATOR(pg_catalog.=) ANY (s.vocs) THEN 'oui' WHEN s.withheld OPERATOR(pg_catalog.>) 0 THEN NULL ELSE 'non' END AS site_voca_industrielle,
           CASE WHEN 'commerciale' OPERATOR(pg_catalog.=) ANY (s.vocs) THEN 'oui' WHEN s.withheld OPERATOR(pg_catalog.>) 0 THEN NULL ELSE 'non' END AS site_voca_commerciale,
           CASE WHEN 'tertiaire' OPERATOR(pg_catalog.=) ANY (s.vocs) THEN 'oui' WHEN s.withheld OPERATOR(pg_catalog.>) 0 THEN NULL ELSE 'non' END AS site_voca_tertiaire,
           CASE WHEN 'artisanale' OPERATOR(pg_catalog.=) ANY (s.vocs) THEN 'oui' WHEN s.withheld OPERATOR(pg_catalog.>) 0 THEN NULL ELSE 'non' END AS site_voca_artisanale,
           CASE WHEN 'touristique' OPERATOR(pg_catalog.=) ANY (s.vocs) THEN 'oui' WHEN s.withheld OPERATOR(pg_catalog.>) 0 THEN NULL ELSE 'non' END AS site_voca_touristique,
           CASE WHEN 'portuaire' OPERATOR(pg_catalog.=) ANY (s.vocs) THEN 'oui' WHEN s.withheld OPERATOR(pg_catalog.>) 0 THEN NULL ELSE 'non' END AS site_voca_portuaire,
           CASE WHEN 'aéroportuaire, aéronautique' OPERATOR(pg_catalog.=) ANY (s.vocs) THEN 'oui' WHEN s.withheld OPERATOR(pg_catalog.>) 0 THEN NULL ELSE 'non' END AS site_voca_aeroportuaire,
           @extschema@._cnig_check('reseau_eau_pluviale', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_eau_pluviale')), pg_catalog.concat('site ', s.site_id), 'the column reseau_eau_pluviale of zones_sql') AS reseau_eau_pluviale,
           @extschema@._cnig_check('reseau_eau_potable', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_eau_potable')), pg_catalog.concat('site ', s.site_id), 'the column reseau_eau_potable of zones_sql') AS reseau_eau_potable,
           @extschema@._cnig_check('reseau_assainissement', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_assainissement')), pg_catalog.concat('site ', s.site_id), 'the column reseau_assainissement of zones_sql') AS reseau_assainissement,
           @extschema@._cnig_check('reseau_gaz', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_gaz')), pg_catalog.concat('site ', s.site_id), 'the column reseau_gaz of zones_sql') AS reseau_gaz,
           @extschema@._cnig_check('reseau_electrique', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_electrique')), pg_catalog.concat('site ', s.site_id), 'the column reseau_electrique of zones_sql') AS reseau_electrique,
           @extschema@._cnig_check('reseau_fibre_optique', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_fibre_optique')), pg_catalog.concat('site ', s.site_id), 'the column reseau_fibre_optique of zones_sql') AS reseau_fibre_optique,
           @extschema@._cnig_check('reseau_fret_ferroviaire', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_fret_ferroviaire')), pg_catalog.concat('site ', s.site_id), 'the column reseau_fret_ferroviaire of zones_sql') AS reseau_fret_ferroviaire,
           @extschema@._cnig_check('reseau_fluvial', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'reseau_fluvial')), pg_catalog.concat('site ', s.site_id), 'the column reseau_fluvial of zones_sql') AS reseau_fluvial,
           @extschema@._cnig_check('desserte_tc', @extschema@._cnig_yes_no(@extschema@._cnig_attr(s.attrs, 'desserte_tc')), pg_catalog.concat('site ', s.site_id), 'the column desserte_tc of zones_sql') AS desserte_tc,
           @extschema@._cnig_attr(s.attrs, 'desserte_route_nom') AS desserte_route_nom,
           @extschema@._cnig_attr(s.attrs, 'autoroute_nom') AS autoroute_nom,
           @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'autoroute_echang_dist'), 'autoroute_echang_dist', 'zones_sql', NULL::pg_catalog.float8) AS autoroute_echang_dist,
           @extschema@._cnig_attr(s.attrs, 'gare_nom') AS gare_nom,
           @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'gare_dist'), 'gare_dist', 'zones_sql', NULL::pg_catalog.float8) AS gare_dist,
           @extschema@._cnig_attr(s.attrs, 'gare_fret_nom') AS gare_fret_nom,
           @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'gare_fret_dist'), 'gare_fret_dist', 'zones_sql', NULL::pg_catalog.float8) AS gare_fret_dist,
           @extschema@._cnig_attr(s.attrs, 'aeroport_nom') AS aeroport_nom,
           @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'aeroport_dist'), 'aeroport_dist', 'zones_sql', NULL::pg_catalog.float8) AS aeroport_dist,
           @extschema@._cnig_attr(s.attrs, 'port_nom') AS port_nom,
           @extschema@._cnig_convert(@extschema@._cnig_attr(s.attrs, 'port_dist'), 'port_dist', 'zones_sql', NULL::pg_catalog.float8) AS port_dist,
           s.zone_id, s.pole_key,
           CASE WHEN s.pole_sites OPERATOR(pg_catalog.=) 1
                THEN COALESCE(s.pole_nom_in, @extschema@._cnig_attr(s.attrs, 'site_nom'), @extschema@._cnig_attr(s.attrs, 'name'))
                ELSE @extschema@._cnig_required(s.pole_nom_in, 'pole_nom',
                       pg_catalog.concat('the pole of site ', s.site_id),
                       'A pole of several sites needs a pole_nom column in zones_sql (on one of its zones at least).') END,
           s.geom, s.vocs, s.vjobs
      FROM s2 s
     WHERE NOT @extschema@._cnig_raise_if(s.pole_clash, '22023',
             pg_catalog.format('pole %%s groups zones declaring it and a zone whose own pole it is by default', s.pole_key),
             'A zone with no pole value forms its own pole numbered by its zone_id: give the declared poles numbers that are no such zone_id.',
             'the column pole of zones_sql')
     ORDER BY s.zone_id $q$, g)
  USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, opts, query_search_path;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_sites(text, text, text, text, date, jsonb, text) IS
  'internal: the site_eco rows and, after them, what pole_eco aggregates (zone, pole, name, geometry, vocations and jobs of the listed establishments); for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._cnig_units(zones_sql text, parcels_sql text, buildings_sql text,
                                        establishments_sql text, at date, opts jsonb,
                                        query_search_path text)
RETURNS TABLE (land_unit_id text, zone_id bigint, reason text, built boolean, refcad text, idpar boolean,
               geom @postgis@.geometry, area_m2 double precision, maitrise text, stade_amngt text, stade_comm text,
               usage text, identif text, url text, cle text)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g name := @extschema@._postgis_schema();
  args_given boolean;
BEGIN
  -- (called directly by a superuser or platform administrator: who controls the code its
  -- texts run; a reader that passed them in this statement pays nothing: _query_read_guard)
  PERFORM @extschema@._query_read_guard('_cnig_units', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  -- (the secrecy rules of the hubs the texts read, and no others: _cnig_publication_rules)
  opts := @extschema@._cnig_publication_rules(opts, ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  -- (the shared NULL check, docs/governance.md#null-arguments, after the rules as before)
  args_given := @extschema@._require_args('parcels_sql', parcels_sql);
  -- a terrain is the part of a land unit inside the site its unit is placed
  -- in (the standard: "portions de terrain incluses dans un site économique")
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  RETURN QUERY EXECUTE pg_catalog.format($q$
    -- the caller's texts first: a query text sees no name of the statement's own
    -- (a CTE sees only those before it), so a table of the caller's named v or built
    -- stays the caller's table
    WITH z AS (SELECT q.zone_id::pg_catalog.int8 AS zone_id, q.geom AS geom FROM (%2$s) q),
    -- (materialised: each parcel's jsonb is made once, not once for each of the 14
    -- uses below: 11 s of 14 on 1,000 zones and 50,000 parcels)
    p AS MATERIALIZED (
      SELECT q.parcel_id::pg_catalog.text AS parcel_id,
             COALESCE(q.land_unit_id::pg_catalog.text, q.parcel_id::pg_catalog.text) AS unit, q.geom AS geom,
             %1$I.ST_Area(q.geom) AS area,
             @extschema@._cnig_row(q) AS attrs
        FROM (%3$s) q),
    v AS (
      SELECT v.* FROM @extschema@.land_unit_vacancy($1, $2, $4, $5, (@extschema@._cnig_secrecy($6) OPERATOR(pg_catalog.->>) 'vacancy_rule')) v
       WHERE v.zone_id IS NOT NULL),
    -- (the buildings standing at the date, as zone_indicators counts them)
    built AS (
      SELECT DISTINCT p.land_unit_id FROM @extschema@._zone_placement($1, $2, $3, NULL, $5) p
       WHERE p.kind OPERATOR(pg_catalog.=) 'building' AND p.land_unit_id IS NOT NULL),
    u AS (
      SELECT p.unit,
             pg_catalog.string_agg(p.parcel_id, '|' ORDER BY p.parcel_id) AS refcad,
             pg_catalog.bool_and(p.parcel_id OPERATOR(pg_catalog.~) '^[0-9]{8}[0-9A-Z]{2}[0-9]{4}$') AS idpar,
             %1$I.ST_Union(p.geom) AS geom,
             (pg_catalog.array_agg(@extschema@._cnig_attr(p.attrs, 'terr_maitrise_fonc') ORDER BY p.area DESC, p.parcel_id) FILTER (WHERE @extschema@._cnig_attr(p.attrs, 'terr_maitrise_fonc') IS NOT NULL))[1] AS terr_maitrise_fonc,
             (pg_catalog.array_agg(@extschema@._cnig_attr(p.attrs, 'terr_stade_amngt') ORDER BY p.area DESC, p.parcel_id) FILTER (WHERE @extschema@._cnig_attr(p.attrs, 'terr_stade_amngt') IS NOT NULL))[1] AS terr_stade_amngt,
             (pg_catalog.array_agg(@extschema@._cnig_attr(p.attrs, 'terr_stade_comm') ORDER BY p.area DESC, p.parcel_id) FILTER (WHERE @extschema@._cnig_attr(p.attrs, 'terr_stade_comm') IS NOT NULL))[1] AS terr_stade_comm,
             (pg_catalog.array_agg(@extschema@._cnig_attr(p.attrs, 'terr_usage') ORDER BY p.area DESC, p.parcel_id) FILTER (WHERE @extschema@._cnig_attr(p.attrs, 'terr_usage') IS NOT NULL))[1] AS terr_usage,
             (pg_catalog.array_agg(@extschema@._cnig_attr(p.attrs, 'terr_identif_date') ORDER BY p.area DESC, p.parcel_id) FILTER (WHERE @extschema@._cnig_attr(p.attrs, 'terr_identif_date') IS NOT NULL))[1] AS terr_identif_date,
             (pg_catalog.array_agg(@extschema@._cnig_attr(p.attrs, 'terr_url_cartofriches') ORDER BY p.area DESC, p.parcel_id) FILTER (WHERE @extschema@._cnig_attr(p.attrs, 'terr_url_cartofriches') IS NOT NULL))[1] AS terr_url_cartofriches,
             (pg_catalog.array_agg(@extschema@._cnig_attr(p.attrs, 'terr_cle_en_main') ORDER BY p.area DESC, p.parcel_id) FILTER (WHERE @extschema@._cnig_attr(p.attrs, 'terr_cle_en_main') IS NOT NULL))[1] AS terr_cle_en_main
        FROM p WHERE p.unit OPERATOR(pg_catalog.=) ANY (SELECT v.land_unit_id FROM v) GROUP BY p.unit),
    t AS (
      SELECT v.land_unit_id, v.zone_id, v.reason, b.land_unit_id IS NOT NULL AS built, u.refcad, u.idpar,
             %1$I.ST_Multi(%1$I.ST_CollectionExtract(%1$I.ST_Intersection(u.geom, z.geom), 3)) AS part,
             u.terr_maitrise_fonc, u.terr_stade_amngt, u.terr_stade_comm, u.terr_usage,
             u.terr_identif_date, u.terr_url_cartofriches, u.terr_cle_en_main
        FROM v JOIN z ON z.zone_id OPERATOR(pg_catalog.=) v.zone_id
               JOIN u ON u.unit OPERATOR(pg_catalog.=) v.land_unit_id
               LEFT JOIN built b ON b.land_unit_id OPERATOR(pg_catalog.=) v.land_unit_id)
    SELECT t.land_unit_id, t.zone_id, t.reason, t.built, t.refcad, t.idpar, t.part, %1$I.ST_Area(t.part),
           t.terr_maitrise_fonc, t.terr_stade_amngt, t.terr_stade_comm, t.terr_usage,
           t.terr_identif_date, t.terr_url_cartofriches, t.terr_cle_en_main
      FROM t
     ORDER BY t.zone_id, t.land_unit_id $q$, g, @extschema@._query_subquery('zones_sql', zones_sql, '{zone_id,geom}'),
       @extschema@._query_subquery('parcels_sql', parcels_sql, '{parcel_id,land_unit_id,geom}'))
  USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, opts;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_units(text, text, text, text, date, jsonb, text) IS
  'internal: every land unit placed in a zone, its part inside that zone (geometry and area), vacancy reason, whether built, parcels and the CNIG columns of its largest parcels; for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._cnig_terrains(zones_sql text, parcels_sql text, buildings_sql text,
                                           establishments_sql text, at date, opts jsonb,
                                        query_search_path text)
RETURNS TABLE (
  terr_id text,
  site_id text,
  terr_refcad text,
  terr_surf_brute double precision,
  terr_utile text,
  terr_identif_date date,
  terr_actu_date date,
  terr_maitrise_fonc text,
  terr_stade_amngt text,
  terr_stade_comm text,
  terr_etat_occup text,
  terr_usage text,
  terr_url_cartofriches text,
  terr_geomsurf @postgis@.geometry,
  terr_cle_en_main text,
  terr_acquereur text,
  terr_cession_date date,
  terr_vente_montant double precision,
  terr_m2_prix double precision,
  unit_key text, zone_id bigint)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g name := @extschema@._postgis_schema();
BEGIN
  -- (called directly by a superuser or platform administrator: who controls the code its
  -- texts run; a reader that passed them in this statement pays nothing: _query_read_guard)
  PERFORM @extschema@._query_read_guard('_cnig_terrains', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  -- (the secrecy rules of the hubs the texts read, and no others: _cnig_publication_rules)
  opts := @extschema@._cnig_publication_rules(opts, ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  RETURN QUERY EXECUTE pg_catalog.format($q$
    WITH k0 AS (SELECT k.zone_id, k.insee, k.site_id, k.geom FROM @extschema@._cnig_site_keys($1, $6, $7) k),
    -- (a zone out of the caller's scope, whose land figures zone_indicators withholds,
    -- its own area kept, lists no terrain: its land units are the caller's, not all.  The
    -- scope that the published zone_indicators call of the same texts asks, asked
    -- directly over the zones' EWKB: NULL, every zone in scope, for a caller that
    -- row-level security does not filter; the same 42501 without the contours.  Not for a
    -- file "not_for_publication", which zone_indicators does not scope either: the
    -- pseudo-constant qual, a one-time filter, skips the call.  Before, a whole published
    -- zone_indicators call, secrecy and all, was run to read which rows it withheld)
    oos AS MATERIALIZED (
      SELECT s.zone_id
        FROM (SELECT pg_catalog.array_agg(k0.zone_id ORDER BY k0.zone_id) AS ids,
                     pg_catalog.array_agg(%1$I.ST_AsEWKB(k0.geom) ORDER BY k0.zone_id) AS g FROM k0) a,
             -- (what the texts read, under the caller's search_path: _zones_texts_read)
             @extschema@._zones_texts_read(ARRAY[$1, $2, $3, $4], pg_catalog.current_setting('search_path')) r,
             ROWS FROM (pg_catalog.unnest(a.ids),
                        pg_catalog.unnest(@extschema@._zones_publication_scope(r.every_hub, r.relations, a.g))) s(zone_id, in_scope)
       WHERE (@extschema@._cnig_secrecy($6) OPERATOR(pg_catalog.->) 'not_for_publication') IS DISTINCT FROM 'true'::pg_catalog.jsonb
         AND NOT s.in_scope),
    k AS (
      SELECT k0.* FROM k0
       WHERE NOT EXISTS (SELECT 1 FROM oos WHERE oos.zone_id OPERATOR(pg_catalog.=) k0.zone_id)),
    t AS (
      SELECT un.*, k.insee, k.site_id, un.geom AS ugeom,
             pg_catalog.concat(k.insee, '_TERRAIN-ECO_',
               @extschema@._cnig_pattern(un.land_unit_id, '^[^|[:space:]]+$', 'terr_id',
                 pg_catalog.concat('land unit ', un.land_unit_id), 'a land unit id without "|" or spaces',
                 'the column land_unit_id or parcel_id of parcels_sql')) AS terr_id
        FROM @extschema@._cnig_units($1, $2, $3, $4, $5, $6, $7) un
             JOIN k ON k.zone_id OPERATOR(pg_catalog.=) un.zone_id)
    SELECT t.terr_id AS terr_id,
           t.site_id AS site_id,
           CASE WHEN t.idpar THEN t.refcad END AS terr_refcad,
           pg_catalog.round((t.area_m2 OPERATOR(pg_catalog./) 10000)::pg_catalog.numeric, 4)::pg_catalog.float8 AS terr_surf_brute,
           'oui' AS terr_utile,
           @extschema@._cnig_required(COALESCE(@extschema@._cnig_convert(t.identif, 'terr_identif_date', 'parcels_sql', NULL::pg_catalog.date), @extschema@._cnig_attr($6, 'identif_date')::pg_catalog.date), 'terr_identif_date', pg_catalog.concat('terrain ', t.terr_id), 'Give parcels_sql a terr_identif_date column or pass the option "identif_date".') AS terr_identif_date,
           $5 AS terr_actu_date,
           @extschema@._cnig_check('terr_maitrise_fonc', @extschema@._cnig_required(COALESCE(t.maitrise, @extschema@._cnig_attr($6, 'terr_maitrise_fonc')), 'terr_maitrise_fonc', pg_catalog.concat('terrain ', t.terr_id), 'Give parcels_sql a terr_maitrise_fonc column or pass the option "terr_maitrise_fonc" (one of the standard''s values, "inconnu" if unknown).'), pg_catalog.concat('terrain ', t.terr_id), 'the column terr_maitrise_fonc of parcels_sql') AS terr_maitrise_fonc,
           @extschema@._cnig_check('terr_stade_amngt', @extschema@._cnig_required(COALESCE(t.stade_amngt, @extschema@._cnig_attr($6, 'terr_stade_amngt')), 'terr_stade_amngt', pg_catalog.concat('terrain ', t.terr_id), 'Give parcels_sql a terr_stade_amngt column or pass the option "terr_stade_amngt" (one of the standard''s values, "inconnu" if unknown).'), pg_catalog.concat('terrain ', t.terr_id), 'the column terr_stade_amngt of parcels_sql') AS terr_stade_amngt,
           @extschema@._cnig_check('terr_stade_comm', @extschema@._cnig_required(COALESCE(t.stade_comm, @extschema@._cnig_attr($6, 'terr_stade_comm')), 'terr_stade_comm', pg_catalog.concat('terrain ', t.terr_id), 'Give parcels_sql a terr_stade_comm column or pass the option "terr_stade_comm" (one of the standard''s values, "inconnu" if unknown).'), pg_catalog.concat('terrain ', t.terr_id), 'the column terr_stade_comm of parcels_sql') AS terr_stade_comm,
           CASE WHEN t.reason OPERATOR(pg_catalog.=) ANY (ARRAY['active_cfe', 'occupied_non_cfe']) THEN 'occupé' WHEN t.reason OPERATOR(pg_catalog.=) 'no_activity_since' THEN 'vacant' WHEN t.built THEN 'inconnu' ELSE 'inoccupé' END AS terr_etat_occup,
           @extschema@._cnig_check('terr_usage', COALESCE(t.usage, CASE WHEN t.built THEN 'bâti productif' ELSE 'inconnu' END), pg_catalog.concat('terrain ', t.terr_id), 'the column terr_usage of parcels_sql') AS terr_usage,
           t.url AS terr_url_cartofriches,
           %1$I.ST_Multi(%1$I.ST_Transform(t.ugeom, 4326)) AS terr_geomsurf,
           @extschema@._cnig_check('terr_cle_en_main', @extschema@._cnig_yes_no(t.cle), pg_catalog.concat('terrain ', t.terr_id), 'the column terr_cle_en_main of parcels_sql') AS terr_cle_en_main,
           NULL::pg_catalog.text AS terr_acquereur,
           NULL::pg_catalog.date AS terr_cession_date,
           NULL::pg_catalog.float8 AS terr_vente_montant,
           NULL::pg_catalog.float8 AS terr_m2_prix,
           t.land_unit_id, t.zone_id
      FROM t
     ORDER BY t.zone_id, t.land_unit_id $q$, g)
  USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, opts, query_search_path;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
END
$$;
COMMENT ON FUNCTION @extschema@._cnig_terrains(text, text, text, text, date, jsonb, text) IS
  'internal: the terrain_eco rows (one per land unit placed in a zone: its part inside the zone) and their land unit and zone; for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)'
$ddl$);

-- The four classes ------------------------------------------------------------------
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.site_eco(
  zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}',
  query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE (
  site_id text,
  pole_id text,
  site_nom text,
  site_type text,
  site_vocadomi text,
  site_etat text,
  site_surf_brute double precision,
  site_surf_utile double precision,
  site_creation_date integer,
  site_identif_date date,
  site_actu_date date,
  source_producteur text,
  site_description text,
  site_quali_territoire text,
  site_evol_urba text,
  site_url text,
  site_epci_nom text,
  site_epci_siren text,
  site_comm_nom text,
  site_comm_insee text,
  site_moa_type text,
  site_moa_nom text,
  site_moa_amngt text,
  site_moa_comm text,
  site_uf_nbre integer,
  site_uf_vacant_nbre integer,
  site_taux_vacance integer,
  site_uf_bati_nbre integer,
  site_nb_etab integer,
  site_nb_emploi integer,
  site_geomsurf @postgis@.geometry,
  site_geompoint @postgis@.geometry,
  site_media text,
  site_surf_comm_dispo double precision,
  site_surf_projet double precision,
  site_voca_industrielle text,
  site_voca_commerciale text,
  site_voca_tertiaire text,
  site_voca_artisanale text,
  site_voca_touristique text,
  site_voca_portuaire text,
  site_voca_aeroportuaire text,
  reseau_eau_pluviale text,
  reseau_eau_potable text,
  reseau_assainissement text,
  reseau_gaz text,
  reseau_electrique text,
  reseau_fibre_optique text,
  reseau_fret_ferroviaire text,
  reseau_fluvial text,
  desserte_tc text,
  desserte_route_nom text,
  autoroute_nom text,
  autoroute_echang_dist double precision,
  gare_nom text,
  gare_dist double precision,
  gare_fret_nom text,
  gare_fret_dist double precision,
  aeroport_nom text,
  aeroport_dist double precision,
  port_nom text,
  port_dist double precision)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 100
SET search_path = pg_catalog, pg_temp
-- (the exports' queries are estimated at 10^5 rows and more: JIT compiled them for longer
-- than a small inventory takes, 2-3 times the 0.4 s of 5 zones; likewise below)
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling the export through another role's view:
  -- the functions it runs are named through the schema, and the first lookup would fail
  -- deep inside it, naming an internal function; one clear error instead, first)
  -- @require_schema_usage site_eco
  DECLARE
    e_state text; e_message text; e_detail text; e_hint text; e_context text;
    opts jsonb := @extschema@._cnig_options('site_eco', options);
  BEGIN
    -- (the hubs the texts read: who controls their code)
    PERFORM @extschema@._query_read_guard('site_eco', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
    RETURN QUERY
    SELECT s.site_id, s.pole_id, s.site_nom, s.site_type, s.site_vocadomi, s.site_etat, s.site_surf_brute, s.site_surf_utile, s.site_creation_date, s.site_identif_date, s.site_actu_date, s.source_producteur, s.site_description, s.site_quali_territoire, s.site_evol_urba, s.site_url, s.site_epci_nom, s.site_epci_siren, s.site_comm_nom, s.site_comm_insee, s.site_moa_type, s.site_moa_nom, s.site_moa_amngt, s.site_moa_comm, s.site_uf_nbre, s.site_uf_vacant_nbre, s.site_taux_vacance, s.site_uf_bati_nbre, s.site_nb_etab, s.site_nb_emploi, s.site_geomsurf, s.site_geompoint, s.site_media, s.site_surf_comm_dispo, s.site_surf_projet, s.site_voca_industrielle, s.site_voca_commerciale, s.site_voca_tertiaire, s.site_voca_artisanale, s.site_voca_touristique, s.site_voca_portuaire, s.site_voca_aeroportuaire, s.reseau_eau_pluviale, s.reseau_eau_potable, s.reseau_assainissement, s.reseau_gaz, s.reseau_electrique, s.reseau_fibre_optique, s.reseau_fret_ferroviaire, s.reseau_fluvial, s.desserte_tc, s.desserte_route_nom, s.autoroute_nom, s.autoroute_echang_dist, s.gare_nom, s.gare_dist, s.gare_fret_nom, s.gare_fret_dist, s.aeroport_nom, s.aeroport_dist, s.port_nom, s.port_dist
      FROM @extschema@._cnig_sites($1, $2, $3, $4, $5, opts, $7) s
     ORDER BY s.zone_id;
  EXCEPTION WHEN OTHERS THEN
    -- the error without the generated statements in its context; the detail names
    -- the argument or the column it came from, else this export
    GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL,
                            e_hint = PG_EXCEPTION_HINT, e_context = PG_EXCEPTION_CONTEXT;
    PERFORM @extschema@._reraise_query_error(e_state, e_message, e_detail, e_hint, e_context, 'site_eco');
  END;
END
$$;
COMMENT ON FUNCTION @extschema@.site_eco(text, text, text, text, date, jsonb, text) IS
  'the activity zones as the CNIG standard''s class SITE-ECO: its 62 columns in order (identifiers <INSEE>_SITE-ECO_<zone_id>, communes and EPCI from smartregion.territory, vocations from NAF codes, land units and vacancy of L318-8-2, WGS84 geometries), statistical secrecy applied'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.pole_eco(
  zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}',
  query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE (
  pole_id text,
  pole_nom text,
  pole_vocadomi text,
  pole_identif_date date,
  pole_actu_date date,
  pole_nb_site integer,
  pole_nb_etab integer,
  pole_nb_emploi integer,
  pole_surface double precision,
  pole_geompoint @postgis@.geometry,
  pole_rayonnement text)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 100
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling the export through another role's view:
  -- the functions it runs are named through the schema, and the first lookup would fail
  -- deep inside it, naming an internal function; one clear error instead, first)
  -- @require_schema_usage pole_eco
  DECLARE
    e_state text; e_message text; e_detail text; e_hint text; e_context text;
    g name := @extschema@._postgis_schema();
    opts jsonb := @extschema@._cnig_options('pole_eco', options);
  BEGIN
    -- (the hubs the texts read: who controls their code)
    PERFORM @extschema@._query_read_guard('pole_eco', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
    PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
    RETURN QUERY EXECUTE pg_catalog.format($q$
      WITH s AS (SELECT s.* FROM @extschema@._cnig_sites($1, $2, $3, $4, $5, $6, $7) s),
      v AS (
        SELECT s.pole_id,
               @extschema@._cnig_vocadomi(pg_catalog.array_agg(u.v ORDER BY s.zone_id, u.n),
                 pg_catalog.array_agg(u.j ORDER BY s.zone_id, u.n),
                 (@extschema@._cnig_attr($6, 'dominance_share'))::pg_catalog.float8, true) AS vocadomi
          FROM s, ROWS FROM (pg_catalog.unnest(s.vocs), pg_catalog.unnest(s.vjobs)) WITH ORDINALITY u(v, j, n)
         GROUP BY s.pole_id)
      SELECT s.pole_id, pg_catalog.min(s.pole_nom),
             COALESCE(pg_catalog.min(v.vocadomi), 'inconnu'),
             pg_catalog.min(s.site_identif_date), pg_catalog.max(s.site_actu_date),
             pg_catalog.count(*)::pg_catalog.int4,
             CASE WHEN pg_catalog.bool_and(s.site_nb_etab IS NOT NULL)
                  THEN pg_catalog.sum(s.site_nb_etab)::pg_catalog.int4 END,
             CASE WHEN pg_catalog.bool_and(s.site_nb_emploi IS NOT NULL)
                  THEN pg_catalog.sum(s.site_nb_emploi)::pg_catalog.int4 END,
             pg_catalog.round(pg_catalog.sum(s.site_surf_brute)::pg_catalog.numeric, 4)::pg_catalog.float8,
             -- the standard: the centroid of the union of the pole's site perimeters
             %1$I.ST_Transform(%1$I.ST_Centroid(%1$I.ST_Union(s.geom)), 4326),
             @extschema@._cnig_attr($6, 'pole_rayonnement')
        FROM s LEFT JOIN v ON v.pole_id OPERATOR(pg_catalog.=) s.pole_id
       GROUP BY s.pole_id
       ORDER BY pg_catalog.min(s.pole_key) $q$, g)
    USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, opts, query_search_path;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
  EXCEPTION WHEN OTHERS THEN
    -- the error without the generated statements in its context; the detail names
    -- the argument or the column it came from, else this export
    GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL,
                            e_hint = PG_EXCEPTION_HINT, e_context = PG_EXCEPTION_CONTEXT;
    PERFORM @extschema@._reraise_query_error(e_state, e_message, e_detail, e_hint, e_context, 'pole_eco');
  END;
END
$$;
COMMENT ON FUNCTION @extschema@.pole_eco(text, text, text, text, date, jsonb, text) IS
  'the poles of the activity zones as the CNIG standard''s class POLE-ECO: a pole groups the sites whose zones share a pole value (one pole per site by default), with its dominant vocation, sites, establishments, jobs (secrecy applied), surface and centroid (lon, lat)'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.terrain_eco(
  zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}',
  query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE (
  terr_id text,
  site_id text,
  terr_refcad text,
  terr_surf_brute double precision,
  terr_utile text,
  terr_identif_date date,
  terr_actu_date date,
  terr_maitrise_fonc text,
  terr_stade_amngt text,
  terr_stade_comm text,
  terr_etat_occup text,
  terr_usage text,
  terr_url_cartofriches text,
  terr_geomsurf @postgis@.geometry,
  terr_cle_en_main text,
  terr_acquereur text,
  terr_cession_date date,
  terr_vente_montant double precision,
  terr_m2_prix double precision)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling the export through another role's view:
  -- the functions it runs are named through the schema, and the first lookup would fail
  -- deep inside it, naming an internal function; one clear error instead, first)
  -- @require_schema_usage terrain_eco
  DECLARE
    e_state text; e_message text; e_detail text; e_hint text; e_context text;
    opts jsonb := @extschema@._cnig_options('terrain_eco', options);
  BEGIN
    -- (the hubs the texts read: who controls their code)
    PERFORM @extschema@._query_read_guard('terrain_eco', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
    RETURN QUERY
    SELECT t.terr_id, t.site_id, t.terr_refcad, t.terr_surf_brute, t.terr_utile, t.terr_identif_date, t.terr_actu_date, t.terr_maitrise_fonc, t.terr_stade_amngt, t.terr_stade_comm, t.terr_etat_occup, t.terr_usage, t.terr_url_cartofriches, t.terr_geomsurf, t.terr_cle_en_main, t.terr_acquereur, t.terr_cession_date, t.terr_vente_montant, t.terr_m2_prix
      FROM @extschema@._cnig_terrains($1, $2, $3, $4, $5, opts, $7) t
     ORDER BY t.zone_id, t.unit_key;
  EXCEPTION WHEN OTHERS THEN
    -- the error without the generated statements in its context; the detail names
    -- the argument or the column it came from, else this export
    GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL,
                            e_hint = PG_EXCEPTION_HINT, e_context = PG_EXCEPTION_CONTEXT;
    PERFORM @extschema@._reraise_query_error(e_state, e_message, e_detail, e_hint, e_context, 'terrain_eco');
  END;
END
$$;
COMMENT ON FUNCTION @extschema@.terrain_eco(text, text, text, text, date, jsonb, text) IS
  'the land units of the activity zones as the CNIG standard''s class TERRAIN-ECO (identifiers <INSEE>_TERRAIN-ECO_<land unit>, cadastral references, state of occupation from the statutory vacancy); owners, buyers and prices are never exported'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.etablissement(
  zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}',
  query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE (
  "SIRET" text,
  "SIREN" text,
  terr_id text,
  "ban-id" text,
  "bat-id" text,
  etab_adresse text,
  etab_raison_sociale text,
  etab_nat_juridique text,
  etab_nom text,
  epci_nom text,
  epci_siren text,
  comm_nom text,
  comm_insee text,
  etab_siege text,
  etab_creation_date date,
  etab_identif_date date,
  etab_actu_date date,
  etab_actif text,
  etab_fermeture_date date,
  etab_description text,
  etab_activite_code text,
  etab_activite_libelle text,
  etab_effectif_code text,
  etab_effectif_libelle text,
  etab_effectif_annee integer,
  etab_source_info text,
  geocodage_qualite text,
  etab_geompoint @postgis@.geometry,
  etab_contact_mail text,
  etab_contact_tel text)
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling the export through another role's view:
  -- the functions it runs are named through the schema, and the first lookup would fail
  -- deep inside it, naming an internal function; one clear error instead, first)
  -- @require_schema_usage etablissement
  DECLARE
    e_state text; e_message text; e_detail text; e_hint text; e_context text;
    g name := @extschema@._postgis_schema();
    opts jsonb := @extschema@._cnig_options('etablissement', options);
  BEGIN
    -- (the hubs the texts read: who controls their code)
    PERFORM @extschema@._query_read_guard('etablissement', ARRAY[zones_sql, parcels_sql, buildings_sql, establishments_sql], query_search_path);
    -- only the establishments statistical secrecy lets the exports list, never a
    -- sole trader (_cnig_establishments); natural persons' names are masked here too,
    -- should a listed row ever carry a legal category 1xxx
    PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
    RETURN QUERY EXECUTE pg_catalog.format($q$
      WITH e AS (SELECT e.* FROM @extschema@._cnig_establishments($1, $2, $3, $4, $5, $6, $7) e WHERE e.listed),
      v AS (
        SELECT v.land_unit_id, v.zone_id
          FROM @extschema@.land_unit_vacancy($1, $2, $4, $5, (@extschema@._cnig_secrecy($6) OPERATOR(pg_catalog.->>) 'vacancy_rule')) v
         WHERE v.zone_id IS NOT NULL),
      k AS (SELECT k.zone_id, k.insee FROM @extschema@._cnig_site_keys($1, $6, $7) k),
      a AS (
        SELECT e.*, pg_catalog.concat(k.insee, '_TERRAIN-ECO_', v.land_unit_id) AS terr_id,
               pg_catalog.concat('establishment ', e.siret) AS obj,
               COALESCE(@extschema@._cnig_attr(e.attrs, 'etab_nat_juridique'), '') OPERATOR(pg_catalog.~~) '1%%' AS person,
               COALESCE(@extschema@._cnig_attr(e.attrs, 'comm_insee'),
                        -- (an idpar: département 2 characters, 2A/2B in Corsica, commune 3,
                        -- prefix 3, section 2, number 4; its first five are the INSEE code)
                        CASE WHEN e.parcel_id OPERATOR(pg_catalog.~) '^[0-9][0-9AB][0-9]{6}[0-9A-Z]{2}[0-9]{4}$'
                             THEN pg_catalog.left(e.parcel_id, 5) END,
                        k.insee) AS insee,
               CASE WHEN e.naf OPERATOR(pg_catalog.~) '^[0-9]{4}[A-Z]$'
                    THEN pg_catalog.concat(pg_catalog.left(e.naf, 2), '.', pg_catalog.substr(e.naf, 3))
                    ELSE e.naf END AS naf_dotted
          FROM e JOIN v ON v.land_unit_id OPERATOR(pg_catalog.=) e.unit_key
                 JOIN k ON k.zone_id OPERATOR(pg_catalog.=) v.zone_id),
      b AS (
        SELECT a.*, tc.name AS t_comm_nom, tc.epci_code AS t_epci, te.name AS t_epci_nom, n.label AS naf_label
          FROM a LEFT JOIN @extschema@.territory tc
                        ON tc.type OPERATOR(pg_catalog.=) 'commune' AND tc.code OPERATOR(pg_catalog.=) a.insee
                 LEFT JOIN @extschema@.territory te
                        ON te.type OPERATOR(pg_catalog.=) 'epci' AND te.code OPERATOR(pg_catalog.=) tc.epci_code
                 LEFT JOIN @extschema@.naf_subclass n ON n.code OPERATOR(pg_catalog.=) a.naf_dotted)
      SELECT e.siret AS "SIRET",
             pg_catalog.left(e.siret, 9) AS "SIREN",
             e.terr_id AS terr_id,
             @extschema@._cnig_attr(e.attrs, 'ban_id') AS "ban-id",
             @extschema@._cnig_attr(e.attrs, 'bat_id') AS "bat-id",
             CASE WHEN e.person THEN NULL ELSE @extschema@._cnig_attr(e.attrs, 'etab_adresse') END AS etab_adresse,
             CASE WHEN e.person THEN '[ND]' ELSE @extschema@._cnig_required(@extschema@._cnig_attr(e.attrs, 'etab_raison_sociale'), 'etab_raison_sociale', e.obj, 'Give establishments_sql an etab_raison_sociale column (SIRENE: denominationUniteLegale).') END AS etab_raison_sociale,
             @extschema@._cnig_required(@extschema@._cnig_pattern(@extschema@._cnig_attr(e.attrs, 'etab_nat_juridique'), '^[0-9]{4}$', 'etab_nat_juridique', e.obj, 'an INSEE legal category of four digits', 'the column etab_nat_juridique of establishments_sql'), 'etab_nat_juridique', e.obj, 'Give establishments_sql an etab_nat_juridique column (SIRENE: categorieJuridiqueUniteLegale).') AS etab_nat_juridique,
             CASE WHEN e.person THEN '[ND]' ELSE @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(e.attrs, 'etab_nom'), @extschema@._cnig_attr(e.attrs, 'etab_raison_sociale')), 'etab_nom', e.obj, 'Give establishments_sql an etab_nom column (the usual name, else the legal name).') END AS etab_nom,
             @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(e.attrs, 'epci_nom'), e.t_epci_nom, @extschema@._cnig_attr($6, 'epci_nom')), 'epci_nom', e.obj, 'Load the territories (smartregion.load_territories) or pass the option "epci_nom".') AS epci_nom,
             @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(e.attrs, 'epci_siren'), e.t_epci, @extschema@._cnig_attr($6, 'epci_siren')), 'epci_siren', e.obj, 'Load the territories (smartregion.load_territories) or pass the option "epci_siren".') AS epci_siren,
             @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(e.attrs, 'comm_nom'), e.t_comm_nom, @extschema@._cnig_attr($6, 'comm_nom')), 'comm_nom', e.obj, 'Load the territories (smartregion.load_territories) or pass the option "comm_nom".') AS comm_nom,
             @extschema@._cnig_pattern(e.insee, '^[0-9][0-9AB][0-9]{3}$', 'comm_insee', e.obj, 'an INSEE commune code of five characters', 'the column comm_insee of establishments_sql') AS comm_insee,
             @extschema@._cnig_check('etab_siege', @extschema@._cnig_yes_no(@extschema@._cnig_attr(e.attrs, 'etab_siege')), e.obj, 'the column etab_siege of establishments_sql') AS etab_siege,
             @extschema@._cnig_required(COALESCE(@extschema@._cnig_convert(@extschema@._cnig_attr(e.attrs, 'etab_creation_date'), 'etab_creation_date', 'establishments_sql', NULL::pg_catalog.date), e.start_date), 'etab_creation_date', e.obj, 'Give the establishment a start_date (or an etab_creation_date column).') AS etab_creation_date,
             @extschema@._cnig_required(COALESCE(@extschema@._cnig_convert(@extschema@._cnig_attr(e.attrs, 'etab_identif_date'), 'etab_identif_date', 'establishments_sql', NULL::pg_catalog.date), @extschema@._cnig_convert(@extschema@._cnig_attr(e.attrs, 'identif_date'), 'identif_date', 'establishments_sql', NULL::pg_catalog.date), @extschema@._cnig_attr($6, 'identif_date')::pg_catalog.date), 'etab_identif_date', e.obj, 'Give establishments_sql an etab_identif_date column or pass the option "identif_date".') AS etab_identif_date,
             $5 AS etab_actu_date,
             'oui' AS etab_actif,
             e.end_date AS etab_fermeture_date,
             CASE WHEN e.person THEN NULL ELSE @extschema@._cnig_attr(e.attrs, 'etab_description') END AS etab_description,
             pg_catalog.replace(e.naf, '.', '') AS etab_activite_code,
             @extschema@._cnig_required(e.naf_label, 'etab_activite_libelle', e.obj, 'The NAF code is not a subclass of the NAF rev. 2 (smartregion.naf_subclass).') AS etab_activite_libelle,
             e.band AS etab_effectif_code,
             @extschema@._cnig_required(@extschema@._headcount_band_label(e.band), 'etab_effectif_libelle', e.obj, 'Give the establishment an INSEE headcount band.') AS etab_effectif_libelle,
             @extschema@._cnig_required(COALESCE(@extschema@._cnig_convert(@extschema@._cnig_attr(e.attrs, 'etab_effectif_annee'), 'etab_effectif_annee', 'establishments_sql', NULL::pg_catalog.int4), @extschema@._cnig_attr($6, 'etab_effectif_annee')::pg_catalog.numeric::pg_catalog.int4), 'etab_effectif_annee', e.obj, 'Give establishments_sql an etab_effectif_annee column or pass the option "etab_effectif_annee".') AS etab_effectif_annee,
             @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(e.attrs, 'etab_source_info'), @extschema@._cnig_attr($6, 'etab_source_info')), 'etab_source_info', e.obj, 'Give establishments_sql an etab_source_info column or pass the option "etab_source_info".') AS etab_source_info,
             @extschema@._cnig_check('geocodage_qualite', @extschema@._cnig_required(COALESCE(@extschema@._cnig_attr(e.attrs, 'geocodage_qualite'), @extschema@._cnig_attr($6, 'geocodage_qualite')), 'geocodage_qualite', e.obj, 'Give establishments_sql a geocodage_qualite column or pass the option "geocodage_qualite" (one of the standard''s values).'), e.obj, 'the column geocodage_qualite of establishments_sql') AS geocodage_qualite,
             %1$I.ST_Multi(%1$I.ST_Transform(e.geom, 4326)) AS etab_geompoint,
             NULL::pg_catalog.text AS etab_contact_mail,
             NULL::pg_catalog.text AS etab_contact_tel
        FROM b e
       ORDER BY e.siret $q$, g)
    USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, opts, query_search_path;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
  EXCEPTION WHEN OTHERS THEN
    -- the error without the generated statements in its context; the detail names
    -- the argument or the column it came from, else this export
    GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL,
                            e_hint = PG_EXCEPTION_HINT, e_context = PG_EXCEPTION_CONTEXT;
    PERFORM @extschema@._reraise_query_error(e_state, e_message, e_detail, e_hint, e_context, 'etablissement');
  END;
END
$$;
COMMENT ON FUNCTION @extschema@.etablissement(text, text, text, text, date, jsonb, text) IS
  'the establishments of the activity zones as the CNIG standard''s class ETABLISSEMENT: those active on at whose zone x NAF-section cell statistical secrecy publishes, with their terrain, commune and EPCI, NAF and headcount labels; sole traders (natural persons) are never listed, contacts never appear'
$ddl$);

-- The exchange file -------------------------------------------------------------------
CREATE FUNCTION @extschema@.cnig_csv(
  class text, zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}',
  query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS text
LANGUAGE plpgsql STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling the export through another role's view:
  -- the functions it runs are named through the schema, and the first lookup would fail
  -- deep inside it, naming an internal function; one clear error instead, first)
  -- @require_schema_usage cnig_csv
  DECLARE
    e_state text; e_message text; e_detail text; e_hint text; e_context text;
    g name := @extschema@._postgis_schema();
    head text;
    cols text;
    body text;
  BEGIN
    IF class IS NULL OR NOT class OPERATOR(pg_catalog.=) ANY (ARRAY['pole_eco', 'site_eco', 'terrain_eco', 'etablissement']) THEN
      RAISE EXCEPTION 'invalid CNIG class "%"', class USING ERRCODE = '22023',
        HINT = 'The standard''s classes are pole_eco, site_eco, terrain_eco and etablissement.';
    END IF;
    PERFORM @extschema@._cnig_options('cnig_csv', options);
    -- the columns of the class function, in order: the standard's fields
    SELECT pg_catalog.string_agg(a.name, ';' ORDER BY a.n),
           pg_catalog.string_agg(pg_catalog.format('@extschema@._cnig_csv_field(%s)',
             CASE WHEN a.typ OPERATOR(pg_catalog.=) 'pg_catalog.date'::pg_catalog.regtype
                    THEN pg_catalog.format('pg_catalog.to_char(r.%I, ''YYYY-MM-DD'')', a.name)
                  WHEN a.typ OPERATOR(pg_catalog.=) pg_catalog.to_regtype(pg_catalog.format('%I.geometry', g))
                   AND a.name OPERATOR(pg_catalog.~~) '%\_geompoint' AND a.name OPERATOR(pg_catalog.<>) 'etab_geompoint'
                    -- geopoint: "lon, lat", 7 decimals (1 cm)
                    THEN pg_catalog.format('pg_catalog.concat(pg_catalog.round(%1$I.ST_X(r.%2$I)::pg_catalog.numeric, 7)::pg_catalog.float8, '', '', pg_catalog.round(%1$I.ST_Y(r.%2$I)::pg_catalog.numeric, 7)::pg_catalog.float8)', g, a.name)
                  WHEN a.typ OPERATOR(pg_catalog.=) pg_catalog.to_regtype(pg_catalog.format('%I.geometry', g))
                    THEN pg_catalog.format('%I.ST_AsGeoJSON(r.%I, 7)', g, a.name)
                  ELSE pg_catalog.format('r.%I::pg_catalog.text', a.name) END), ', ' ORDER BY a.n)
      INTO head, cols
      FROM pg_catalog.pg_proc p,
           ROWS FROM (pg_catalog.unnest(p.proallargtypes::pg_catalog.regtype[]), pg_catalog.unnest(p.proargnames),
                      pg_catalog.unnest(p.proargmodes::pg_catalog.text[])) WITH ORDINALITY a(typ, name, mode, n)
     WHERE p.oid OPERATOR(pg_catalog.=) pg_catalog.to_regprocedure(
             pg_catalog.format('@extschema@.%I(text, text, text, text, date, jsonb, text)', class))
       AND a.mode OPERATOR(pg_catalog.=) 't';
    PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
    EXECUTE pg_catalog.format(
      'SELECT pg_catalog.string_agg(pg_catalog.array_to_string(ARRAY[%s], '';''), E''\n'' ORDER BY r.ordinality) '
      'FROM @extschema@.%I($1, $2, $3, $4, $5, $6, $7) WITH ORDINALITY r', cols, class)
      INTO body USING zones_sql, parcels_sql, buildings_sql, establishments_sql, at, options, query_search_path;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    RETURN pg_catalog.concat(head, E'\n', CASE WHEN body IS NULL THEN '' ELSE pg_catalog.concat(body, E'\n') END);
  EXCEPTION WHEN OTHERS THEN
    -- the error without the generated statements in its context (the class
    -- function named where it came from in the detail)
    GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL,
                            e_hint = PG_EXCEPTION_HINT, e_context = PG_EXCEPTION_CONTEXT;
    PERFORM @extschema@._reraise_query_error(e_state, e_message, e_detail, e_hint, e_context);
  END;
END
$$;
COMMENT ON FUNCTION @extschema@.cnig_csv(text, text, text, text, text, date, jsonb, text) IS
  'the CNIG "Sites économiques" exchange file of one class (pole_eco, site_eco, terrain_eco or etablissement): UTF-8 CSV, header of the standard''s field names, separator ;, RFC 4180 quoting, GeoJSON (WGS84) for surfaces, "lon, lat" for geopoints, dates YYYY-MM-DD; valid against the standard''s Table Schema';

-- (the service activity_zones is registered again with its CNIG exports at the end of
-- 66-secrecy-rules.sql, once set_secrecy_rules exists)
