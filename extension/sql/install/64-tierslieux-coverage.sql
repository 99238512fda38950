-- ---------------------------------------------------------------------------
-- Tiers-lieux coverage (issue 21): the distance (or travel time) from every
-- commune (or any grid of units) to the nearest tiers-lieu, the share of the
-- population of each EPCI, département and région within three thresholds,
-- station coworkings counted apart, and an indicator plugin for the maturity
-- framework.  docs/matching.md "Tiers-lieux coverage".
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@._tierslieux_nearest(units_sql text, premises_sql text, travel_sql text, search_path text,
                                                fn text)
RETURNS TABLE (unit_code text, name text, population double precision, epci_code text, departement_code text,
               region_code text, nearest_id bigint, nearest double precision, station_id bigint,
               station double precision, all_id bigint, all_nearest double precision)
  AS 'MODULE_PATHNAME', 'sr_fn_tierslieux_nearest'
  LANGUAGE C VOLATILE PARALLEL UNSAFE COST 10000 ROWS 35000;
COMMENT ON FUNCTION @extschema@._tierslieux_nearest(text, text, text, text, text) IS
  'internal: for every unit of units_sql, the nearest ordinary premise, the nearest station coworking and the nearest of all (ties to the lower id) of premises_sql, in km (k-d tree, great circle) or in minutes from travel_sql; the queries run with the given search_path; fn, the function the user called, names the call in the memory error (54000); unit codes unique, populations finite and >= 0, a location each without travel_sql (22000)';

CREATE FUNCTION @extschema@._tierslieux_coverage(premises_sql text, options jsonb, units_sql text, travel_sql text,
                                                 caller_path text, fn text)
RETURNS TABLE (territory_type text, territory_code text, territory_name text, population double precision,
               units int, nearest_id bigint, distance double precision, distance_without_stations double precision,
               distance_station double precision, max_distance double precision,
               share_within double precision[], share_within_without_stations double precision[],
               share_within_station double precision[], farthest_rank int)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000 ROWS 40000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  o jsonb := @extschema@._options('tierslieux_coverage', options);
  t float8[] := ARRAY(SELECT pg_catalog.jsonb_array_elements_text(o->'thresholds')::float8);
  lv text[] := ARRAY(SELECT pg_catalog.jsonb_array_elements_text(o->'levels'));
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  u text := units_sql;
  e_state text; e_message text; e_detail text; e_hint text; e_context text;
  args_given boolean;
BEGIN
  -- (the shared NULL check, docs/governance.md#null-arguments, after the options as before;
  -- until 2026-12-07 its own message, 'premises_sql cannot be NULL')
  args_given := @extschema@._require_args('premises_sql', premises_sql);
  -- (the hubs the caller's texts read: who controls their code, before any runs)
  PERFORM @extschema@._query_read_guard(fn, ARRAY[premises_sql, units_sql, travel_sql], caller_path);
  IF u IS NULL THEN
    -- (a département or région that is no territory: 42704, not an empty table)
    PERFORM @extschema@._territory_filter_check(o);
    -- the communes with a contour, at a point inside each
    u := pg_catalog.format(
      'SELECT t.code AS unit_code, t.name, t.population, %1$s.ST_PointOnSurface(t.geom) AS location, t.epci_code, '
      't.departement_code, t.region_code FROM @extschema@.territory t WHERE t.type OPERATOR(pg_catalog.=) ''commune'' '
      'AND t.geom IS NOT NULL%2$s%3$s', g,
      CASE WHEN o ? 'departement' THEN pg_catalog.format(' AND t.departement_code OPERATOR(pg_catalog.=) %L', o->>'departement') ELSE '' END,
      CASE WHEN o ? 'region' THEN pg_catalog.format(' AND t.region_code OPERATOR(pg_catalog.=) %L', o->>'region') ELSE '' END);
  ELSIF o ? 'departement' OR o ? 'region' THEN
    RAISE EXCEPTION 'options "departement" and "region" apply to the default units only' USING ERRCODE = '22023',
      HINT = 'Filter the rows of units_sql instead.';
  END IF;
  RETURN QUERY
  WITH n AS MATERIALIZED (
    -- (the nearest of all, ordinary or station, ties to the lower id: the core's)
    SELECT x.*, x.all_nearest AS d_all, x.all_id AS id_all, coalesce(x.population, 0) AS w
      FROM @extschema@._tierslieux_nearest(u, premises_sql, travel_sql, caller_path, fn) x
  ), units AS (
    -- a unit is within a threshold or not: its shares are 0 or 1
    SELECT 'commune'::text AS ty, n.unit_code AS code, n.name AS uname, n.population AS pop, 1 AS nunits,
           n.id_all AS nid, n.d_all AS d, n.nearest AS d_ord, n.station AS d_st, n.d_all AS dmax,
           ARRAY[coalesce(n.d_all <= t[1], false)::int::float8, coalesce(n.d_all <= t[2], false)::int::float8,
                 coalesce(n.d_all <= t[3], false)::int::float8] AS s_all,
           ARRAY[coalesce(n.nearest <= t[1], false)::int::float8, coalesce(n.nearest <= t[2], false)::int::float8,
                 coalesce(n.nearest <= t[3], false)::int::float8] AS s_ord,
           ARRAY[coalesce(n.station <= t[1], false)::int::float8, coalesce(n.station <= t[2], false)::int::float8,
                 coalesce(n.station <= t[3], false)::int::float8] AS s_st,
           CASE WHEN n.d_all IS NOT NULL THEN (pg_catalog.rank() OVER (PARTITION BY n.d_all IS NULL ORDER BY n.d_all DESC))::int END AS rk
      FROM n WHERE 'commune' = ANY (lv)
  ), lvl AS (
    SELECT 'epci'::text AS ty, n.epci_code AS code, n.* FROM n WHERE n.epci_code IS NOT NULL AND 'epci' = ANY (lv)
    UNION ALL SELECT 'departement', n.departement_code, n.* FROM n WHERE n.departement_code IS NOT NULL AND 'departement' = ANY (lv)
    UNION ALL SELECT 'region', n.region_code, n.* FROM n WHERE n.region_code IS NOT NULL AND 'region' = ANY (lv)
  ), agg AS (
    SELECT l.ty, l.code, pg_catalog.sum(l.population) AS pop, pg_catalog.count(*)::int AS nunits,
           -- population-weighted means over the units with a distance (plain means without population)
           coalesce(pg_catalog.sum(l.w * l.d_all) / NULLIF(pg_catalog.sum(l.w) FILTER (WHERE l.d_all IS NOT NULL), 0),
                    pg_catalog.avg(l.d_all)) AS d,
           coalesce(pg_catalog.sum(l.w * l.nearest) / NULLIF(pg_catalog.sum(l.w) FILTER (WHERE l.nearest IS NOT NULL), 0),
                    pg_catalog.avg(l.nearest)) AS d_ord,
           coalesce(pg_catalog.sum(l.w * l.station) / NULLIF(pg_catalog.sum(l.w) FILTER (WHERE l.station IS NOT NULL), 0),
                    pg_catalog.avg(l.station)) AS d_st,
           pg_catalog.max(l.d_all) AS dmax,
           NULLIF(pg_catalog.sum(l.w), 0) AS wsum,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.d_all <= t[1]), 0) AS a1,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.d_all <= t[2]), 0) AS a2,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.d_all <= t[3]), 0) AS a3,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.nearest <= t[1]), 0) AS o1,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.nearest <= t[2]), 0) AS o2,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.nearest <= t[3]), 0) AS o3,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.station <= t[1]), 0) AS s1,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.station <= t[2]), 0) AS s2,
           coalesce(pg_catalog.sum(l.w) FILTER (WHERE l.station <= t[3]), 0) AS s3
      FROM lvl l
     GROUP BY l.ty, l.code
  ), r AS (
    SELECT u.ty, u.code, u.uname, u.pop, u.nunits, u.nid, u.d, u.d_ord, u.d_st, u.dmax, u.s_all, u.s_ord, u.s_st, u.rk
      FROM units u
    UNION ALL
    SELECT a.ty, a.code, NULL, a.pop, a.nunits, NULL::bigint, a.d, a.d_ord, a.d_st, a.dmax,
           ARRAY[a.a1 / a.wsum, a.a2 / a.wsum, a.a3 / a.wsum], ARRAY[a.o1 / a.wsum, a.o2 / a.wsum, a.o3 / a.wsum],
           ARRAY[a.s1 / a.wsum, a.s2 / a.wsum, a.s3 / a.wsum], NULL::int
      FROM agg a
  )
  SELECT r.ty, r.code, coalesce(r.uname, tr.name), r.pop, r.nunits, r.nid, r.d, r.d_ord, r.d_st, r.dmax,
         r.s_all, r.s_ord, r.s_st, r.rk
    FROM r
    -- unordered: sorting 300,000 grid cells would cost more than finding their nearest tiers-lieu
    LEFT JOIN @extschema@.territory tr ON r.uname IS NULL AND tr.type = r.ty AND tr.code = r.code;
EXCEPTION WHEN OTHERS THEN
  -- the error without the statement above in its context (the argument whose
  -- query failed is named in the detail)
  GET STACKED DIAGNOSTICS e_state = RETURNED_SQLSTATE, e_message = MESSAGE_TEXT, e_detail = PG_EXCEPTION_DETAIL,
                          e_hint = PG_EXCEPTION_HINT, e_context = PG_EXCEPTION_CONTEXT;
  PERFORM @extschema@._reraise_query_error(e_state, e_message, e_detail, e_hint, e_context);
END
$$;
COMMENT ON FUNCTION @extschema@._tierslieux_coverage(text, jsonb, text, text, text, text) IS
  'internal: tierslieux_coverage with the caller''s search_path, in which the caller''s queries run; fn, the function the user called (tierslieux_coverage or tierslieux_access_indicator), names the call in the memory error';

-- Pinned like every function; its last argument, query_search_path, defaults to
-- the caller's search_path (the default is evaluated in the caller's context,
-- before the pin applies), which the function above hands to the C reader, so
-- that the caller's queries (premises_sql, units_sql, travel_sql) read as the
-- caller wrote them, as every *_sql argument does (docs/query-arguments.md).
CREATE FUNCTION @extschema@.tierslieux_coverage(premises_sql text, options jsonb DEFAULT '{}',
                                                units_sql text DEFAULT NULL, travel_sql text DEFAULT NULL,
                                                query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE (territory_type text, territory_code text, territory_name text, population double precision,
               units int, nearest_id bigint, distance double precision, distance_without_stations double precision,
               distance_station double precision, max_distance double precision,
               share_within double precision[], share_within_without_stations double precision[],
               share_within_station double precision[], farthest_rank int)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10000 ROWS 40000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- function it runs is named through the schema, and its lookup would fail naming nothing; one
  -- clear error instead, first, as the CNIG exports; PL/pgSQL, not SQL, whose body is looked up
  -- before any statement runs)
  -- @require_schema_usage tierslieux_coverage
  RETURN QUERY SELECT * FROM @extschema@._tierslieux_coverage($1, $2, $3, $4, $5, 'tierslieux_coverage');
END
$$;
COMMENT ON FUNCTION @extschema@.tierslieux_coverage(text, jsonb, text, text, text) IS
  'per commune (or unit of units_sql) and per EPCI, département and région: population, distance in km (or travel time in minutes with travel_sql) to the nearest tiers-lieu, with and without the station coworkings and to the nearest station alone, shares of the population within the three thresholds (default 10, 20, 30) and the rank of the farthest communes';

-- STABLE: it reads the hub's premises with its own query and writes nothing (the search it
-- runs, _tierslieux_coverage, is VOLATILE for the callers' queries it runs elsewhere); a
-- maturity plugin must be, as the maturity readers calling it are (42P13 otherwise)
CREATE FUNCTION @extschema@.tierslieux_access_indicator(year integer)
RETURNS TABLE (territory_type text, territory_code text, value double precision)
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 10000 ROWS 40000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a role without USAGE on this schema, calling this reader through another role's view: the
  -- functions it runs are named through the schema, and the first lookup would fail deep
  -- inside it, naming an internal function; one clear error instead, first, as the CNIG
  -- exports; the reader's declarations, which look functions up, in the block below)
  -- @require_schema_usage tierslieux_access_indicator
  -- (the reader)
DECLARE
  h text := coalesce(NULLIF(pg_catalog.current_setting('smartregion.hub', true), ''), 'hub');
BEGIN
  -- (a hub without premises: the platform's message, not an error of a query the
  -- caller never wrote)
  PERFORM @extschema@._hub_require(h, 'premises');
  -- the census has no dates: every year gets the premises of the hub as they are; the
  -- memory error names this function, the one the caller called
  RETURN QUERY
  SELECT c.territory_type, c.territory_code, 100 * c.share_within[2]
    FROM @extschema@._tierslieux_coverage(pg_catalog.format('SELECT p.id, p.location FROM %I.premises p', h), '{}', NULL, NULL, NULL,
                                          'tierslieux_access_indicator') c
   WHERE c.share_within[2] IS NOT NULL;
END;
END
$$;
COMMENT ON FUNCTION @extschema@.tierslieux_access_indicator(integer) IS
  'maturity plugin: share of the population (%) within 20 km of a tiers-lieu of <hub>.premises (hub: the setting smartregion.hub, default "hub"), for the communes with a contour and their EPCI, départements and régions';

SELECT @extschema@.register_service('tiers_lieux_coverage', '0.1.0',
  'access to tiers-lieux: distance or travel time from every commune to the nearest tiers-lieu, shares of the population of each EPCI, département and région within 10, 20 and 30 km or minutes, station coworkings counted apart, and a maturity indicator',
  ARRAY['tierslieux_coverage', 'tierslieux_access_indicator']);
