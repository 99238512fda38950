-- ---------------------------------------------------------------------------
-- Activity-zone observatory (ZAE inventory, Code de l'urbanisme L318-8-1 and
-- L318-8-2).  CNIG exports: 65-cnig.sql.  Reference: docs/zones.md.
-- Functions read their inputs from SQL query texts (pgRouting's convention)
-- read-only through SPI, so they are STABLE; they run user SQL, so they are
-- PARALLEL UNSAFE.
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.zone_indicators(
  zones_sql text, parcels_sql text, buildings_sql text, establishments_sql text,
  at date DEFAULT CURRENT_DATE, options jsonb DEFAULT '{}')
RETURNS TABLE (
  zone_id bigint, area_ha float8, parcel_area_ha float8,
  land_units bigint, vacant_land_units bigint, vacancy_rate float8,
  built_land_units bigint, built_m2 float8, footprint_ratio float8, floor_area_ratio float8,
  establishments bigint, jobs_estimate float8, jobs_per_ha float8, available_land_ha float8,
  sector_mix jsonb, sector_diversity float8,
  parcels_outside_zones bigint, establishments_off_parcel bigint, buildings_off_parcel bigint,
  published boolean, never_occupied_land_units bigint)
AS 'MODULE_PATHNAME', 'sr_fn_zone_indicators'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.zone_indicators(text, text, text, text, date, jsonb) IS
  'indicators of every activity zone on a date: area, land units and statutory vacancy (on 1 January; a land unit never occupied is not vacant, counted apart in never_occupied_land_units), built footprint and floor-area ratios, active establishments, jobs estimated from INSEE headcount bands, jobs per ha, available land, NAF-section mix and Shannon diversity, data-quality counts; options {"published": true} applies statistical secrecy';

-- What the query texts of a published zone_indicators call read, asked once per call
-- (each text's analysis is parse analysis and rewriting: until 2026-12-07 each of the
-- four checks below asked it again) and passed to _zones_publication_rules,
-- _zones_publication_scope, _zones_publication_inputs and _zones_publication_history
-- (texts_every_hub, texts_relations): the relations of each text
-- (_query_relations, views' own included), and every_hub when a text calls a function
-- whose reads cannot be seen (_query_code's opaque) or cannot be analysed (the texts
-- have run: the caller's texts are then taken to read every hub; an error of the
-- moment, a lock timeout or a deadlock, is raised).  NULL texts read nothing.
CREATE FUNCTION @extschema@._zones_texts_read(sqls text[], query_search_path text,
                                              OUT every_hub boolean, OUT relations oid[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 500
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  q text;
  st text;
BEGIN
  every_hub := false;
  relations := '{}';
  FOREACH q IN ARRAY coalesce(sqls, '{}') LOOP
    CONTINUE WHEN q IS NULL;
    BEGIN
      every_hub := every_hub OR coalesce((SELECT x.opaque FROM @extschema@._query_code('zone_indicators', q, query_search_path) x), true);
      relations := relations OPERATOR(pg_catalog.||) @extschema@._query_relations('zone_indicators', q, query_search_path)::oid[];
    EXCEPTION WHEN OTHERS THEN
      GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
      IF pg_catalog.left(st, 2) OPERATOR(pg_catalog.=) ANY (ARRAY['40', '53', '55', '57', '58', 'XX']) THEN
        RAISE;
      END IF;
      every_hub := true;
    END;
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@._zones_texts_read(text[], text) IS
  'internal: what the query texts of a published zone_indicators call read, analysed under query_search_path (NULL: the current one), never planned nor run: the relations of each (_query_relations, views'' own included) and every_hub when a text''s reads cannot be seen (_query_code) or it cannot be analysed; asked once per published call (the glue of zone_indicators, _cnig_publication_rules, _cnig_terrains), its answer passed to _zones_publication_rules, _zones_publication_scope, _zones_publication_inputs and _zones_publication_history';

-- The hubs a published call's texts read (_zones_texts_read's every_hub and relations):
-- the schemas of the relations read, of its ZAE tables only (zae_zones, zae_parcels,
-- zae_buildings, zae_establishments: zae_only) or of any, every schema when every_hub,
-- that the caller may use and that hold every table of holding; in name order.  The one
-- reading of the publication checks below and of _zones_publication_rules (the final read
-- of 2026-12-07: the same query was written in each)
CREATE FUNCTION @extschema@._zones_texts_hubs(every_hub boolean, relations oid[], zae_only boolean, holding name[])
RETURNS SETOF name
LANGUAGE sql STABLE PARALLEL SAFE COST 100 ROWS 4
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT n.nspname FROM pg_catalog.pg_namespace n
   WHERE (every_hub OR n.oid OPERATOR(pg_catalog.=) ANY (
            ARRAY(SELECT c.relnamespace
                    FROM pg_catalog.unnest(relations) o(oid)
                    JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) o.oid
                   WHERE NOT zae_only
                      OR c.relname OPERATOR(pg_catalog.=) ANY (ARRAY['zae_zones', 'zae_parcels', 'zae_buildings', 'zae_establishments']::name[]))))
     AND pg_catalog.has_schema_privilege(n.oid, 'USAGE')
     AND NOT EXISTS (SELECT FROM pg_catalog.unnest(holding) t(relname)
                      WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_class c
                                         WHERE c.relnamespace OPERATOR(pg_catalog.=) n.oid
                                           AND c.relname OPERATOR(pg_catalog.=) t.relname))
   ORDER BY n.nspname
$$;
COMMENT ON FUNCTION @extschema@._zones_texts_hubs(boolean, oid[], boolean, name[]) IS
  'internal: the hubs a published zone_indicators call''s texts read (every_hub, relations: _zones_texts_read''s): the schemas of the relations read (of its ZAE tables only, zae_zones, zae_parcels, zae_buildings, zae_establishments, when zae_only; every schema when every_hub) that the caller may use and that hold every table of holding, in name order; for _zones_publication_scope, _zones_publication_inputs, _zones_publication_history, _zones_publication_hidden and _zones_publication_rules';

-- The zones a published zone_indicators call may publish (the red team of 2026-12-06,
-- evening).  The functions run as their caller, and row-level security gives a
-- territory's agent the restricted establishments and parcels of its own territories
-- only: its published table of a zone spanning two territories differed from the
-- platform's by the other territory's rows, a suppressed cell whole.  A published figure
-- is the figure of the whole population, or it is not published: a caller for whom
-- row-level security filters any table of the activity zones (zae_zones, zae_parcels,
-- zae_buildings, zae_establishments: the tables the figures read, registered below for
-- 'activity_zones') of a hub its texts read (every hub when a text calls a
-- function whose reads cannot be seen), and who is
-- neither a superuser nor a platform administrator (the hub's owner is not filtered,
-- unless its tables FORCE row-level security), publishes the zones lying wholly inside
-- its territories of each such hub (<hub>.agents, their contours in
-- smartregion.territory), and is refused when one of those territories has no contour.
-- The glue passes the zones' EWKB in input order; the core withholds the zones flagged
-- false (sr_zones_zone_withheld).  NULL says the caller reads the whole population (no
-- hub filters it): every zone in scope, and the call-wide counts, which no zone's scope
-- holds, its own; a flag array says it is filtered, and the core publishes none of them
-- (sr_zones_call_counts_shown).  terrain_eco asks it directly which zones a caller may
-- not publish (_cnig_terrains).
CREATE FUNCTION @extschema@._zones_publication_scope(texts_every_hub boolean, texts_relations oid[], zones bytea[])
RETURNS boolean[]
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  h name;
  tt text[];
  tc text[];
  missing text;
  hub_scope boolean[];
  filtered boolean := false;
  -- the tables the published figures read: the hub tables registered below for
  -- 'activity_zones' (zones_sql, parcels_sql, buildings_sql, establishments_sql).  Listed
  -- here, not read from smartregion.hub_table, which a caller that is no smartregion role
  -- may not read; pgTAP zones_publication checks the list against the registry
  zone_tables name[] := ARRAY['zae_zones', 'zae_parcels', 'zae_buildings', 'zae_establishments', 'zae_zone_history'];
  scope boolean[] := pg_catalog.array_fill(true, ARRAY[coalesce(pg_catalog.cardinality(zones), 0)]);
BEGIN
  IF coalesce(pg_catalog.cardinality(zones), 0) OPERATOR(pg_catalog.=) 0 THEN
    RETURN scope;   -- (no zone to judge)
  END IF;
  -- a superuser, or a platform administrator that holds the group's privileges and so its
  -- policies (USAGE, not MEMBER as _caller_is_privileged: a NOINHERIT member, or on
  -- PostgreSQL 16+ one granted the group WITH INHERIT FALSE, reads what its own rows of
  -- agents show it, and was taken for the platform administrator: its published call
  -- neither kept to its territories nor asked the hub about the contours and zones it
  -- cannot read; 2026-12-07, h2, extension/tests/pgtap/secrecy_noinherit.sql)
  IF coalesce((SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER), false)
     OR coalesce(pg_catalog.pg_has_role(pg_catalog.to_regrole('smartregion_platform_admin'), 'USAGE'), false) THEN
    RETURN NULL;
  END IF;
  -- the hubs the texts read (they have run: their analysis succeeds, or the caller's
  -- texts are taken to read every hub; _zones_texts_read, asked once by the caller)
  -- of them, the hubs where row-level security filters for the caller any table of the
  -- activity zones (zone_tables; before 2026-12-07 the establishments and parcels only,
  -- so the buildings filtered alone went unseen).  A schema it may not use is none it read
  FOR h IN SELECT x.hub FROM @extschema@._zones_texts_hubs(texts_every_hub, texts_relations, false, '{agents}') x(hub)
            WHERE EXISTS (SELECT FROM pg_catalog.pg_class c
                           WHERE c.relnamespace OPERATOR(pg_catalog.=) pg_catalog.to_regnamespace(pg_catalog.quote_ident(x.hub))
                             AND c.relname OPERATOR(pg_catalog.=) ANY (zone_tables)
                             AND pg_catalog.row_security_active(c.oid)) LOOP
    filtered := true;
    -- the caller's territories there, as the policies type them (_territory_mine_sql)
    EXECUTE pg_catalog.format(
      'SELECT pg_catalog.array_agg(@extschema@._territory_type_or_implied(a.territory_type, a.territory_code) ORDER BY a.territory_code), '
      'pg_catalog.array_agg(a.territory_code ORDER BY a.territory_code) '
      'FROM %I.agents a WHERE a.role_name OPERATOR(pg_catalog.=) CURRENT_USER', h) INTO tt, tc;
    SELECT pg_catalog.string_agg(coalesce(u.ty, '(untyped)') OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) u.co, ', ' ORDER BY u.co)
      INTO missing
      FROM ROWS FROM (pg_catalog.unnest(tt), pg_catalog.unnest(tc)) u(ty, co)
     WHERE NOT EXISTS (SELECT FROM @extschema@.territory t
                        WHERE t.type OPERATOR(pg_catalog.=) u.ty AND t.code OPERATOR(pg_catalog.=) u.co AND t.geom IS NOT NULL);
    IF tc IS NULL OR missing IS NOT NULL THEN
      RAISE EXCEPTION 'cannot publish zone indicators of hub "%" as role "%" without the contours of its territories', h, CURRENT_USER
        USING ERRCODE = '42501',
              DETAIL = pg_catalog.format('Row-level security gives role "%s" the restricted rows of the activity zones of its own territories only, so it publishes only the zones lying wholly inside them; %s.',
                                         CURRENT_USER,
                                         CASE WHEN tc IS NULL THEN pg_catalog.format('it acts for no territory of hub "%s"', h)
                                              ELSE pg_catalog.format('smartregion.territory has no contour of %s', missing) END),
              HINT = 'Load the territories'' contours with smartregion.load_territory_contours(), publish as the platform administrator, or pass "not_for_publication": true for the territory''s own work.';
    END IF;
    -- each zone covered by the union of those contours (in the zone's CRS)
    EXECUTE pg_catalog.format(
      'SELECT pg_catalog.array_agg(coalesce(%1$s.ST_CoveredBy(z.g, %1$s.ST_Transform(c.u, %1$s.ST_SRID(z.g))), false) ORDER BY z.i) '
      'FROM (SELECT u.i, %1$s.ST_GeomFromEWKB(u.b) AS g FROM pg_catalog.unnest($1) WITH ORDINALITY u(b, i)) z, '
      '(SELECT %1$s.ST_Union(t.geom) AS u FROM @extschema@.territory t, ROWS FROM (pg_catalog.unnest($2), pg_catalog.unnest($3)) a(ty, co) '
      'WHERE t.type OPERATOR(pg_catalog.=) a.ty AND t.code OPERATOR(pg_catalog.=) a.co) c', g)
      INTO hub_scope USING zones, tt, tc;
    scope := ARRAY(SELECT s.a AND s.b FROM ROWS FROM (pg_catalog.unnest(scope), pg_catalog.unnest(hub_scope)) WITH ORDINALITY s(a, b, i) ORDER BY s.i);
  END LOOP;
  -- (NULL: no hub filters the caller, which reads the whole population)
  RETURN CASE WHEN filtered THEN scope END;
END
$$;
COMMENT ON FUNCTION @extschema@._zones_publication_scope(boolean, oid[], bytea[]) IS
  'internal: for each zone (EWKB, input order) of a published zone_indicators call, whether the caller may publish it, given what its query texts read (texts_every_hub, texts_relations: _zones_texts_read, asked once by the caller); NULL (every zone, and the call-wide counts) for a superuser, a platform administrator holding the group''s privileges (not a NOINHERIT member) or a caller that row-level security filters on none of the tables of the activity zones (zae_zones, zae_parcels, zae_buildings, zae_establishments) of the hubs its query texts read (every hub when a text''s reads cannot be seen); for a filtered caller, whether the zone lies wholly inside (ST_CoveredBy) the contours of its territories (<hub>.agents, smartregion.territory) in each filtered hub; refuses (42501) a filtered caller one of whose territories has no contour, or that acts for none; no zone: an empty array';

-- The inputs a published zone_indicators call reads (the red team of 2026-12-07).  A
-- published figure is the figure of the whole population: a call whose texts read a
-- hub's ZAE tables (zae_zones, zae_parcels, zae_buildings, zae_establishments, views
-- over them included; every hub when a text calls a function whose reads cannot be
-- seen) must read that hub's establishments and parcels whole, as the caller reads them (row-level
-- security's part is _zones_publication_scope's).  A text that filters them (WHERE
-- siret <> 'X', a NAF section, a date, the public rows, a view doing so), transforms
-- them or adds rows of its own gave another table of the same zones, whose difference
-- with the whole one was a suppressed cell: the platform published zone 1 as 4
-- establishments, 118 jobs, {"C": null, "G": null} and, WHERE siret <> '44444444400014',
-- 3, 43.5, {"G": 3}: one establishment of 74.5 jobs in C, the suppressed cell, whole.
-- Compared on the columns the function reads (the geometry as EWKB), as multisets; a
-- NULL text is no rows.  Its zones are zones of the hub's zae_zones, zone_id and
-- geometry as stored (any subset): zone 1 drawn without the factory's parcel published
-- 3, 43.5 beside the hub's zone 1's 4, 118, the factory whole again.  The rows are read
-- again, as the caller, under its search_path.
CREATE FUNCTION @extschema@._zones_publication_inputs(sqls text[], query_search_path text, texts_every_hub boolean, texts_relations oid[])
RETURNS boolean
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  h name;
  k integer;
  param text;
  sql text;
  tab name;
  cols text;
  sub text;
  extra bigint;
  missing bigint;
BEGIN
  -- the hubs whose ZAE tables the texts read (views' included; every hub when a text's
  -- reads cannot be seen): a table of the caller's own, in the hub's schema or not, is
  -- not the hub's population
  FOR h IN SELECT x.hub FROM @extschema@._zones_texts_hubs(texts_every_hub, texts_relations, true, '{agents,zae_establishments}') x(hub) LOOP
    FOR k IN 1..3 LOOP
      IF k OPERATOR(pg_catalog.=) 3 THEN
        -- the zones: any of the hub's, each as stored (a contour drawn otherwise, e.g.
        -- without one parcel, publishes another table of the same establishments)
        param := 'zones_sql'; sql := sqls[1]; tab := 'zae_zones';
        cols := pg_catalog.format('t.zone_id::bigint, %1$s.ST_AsEWKB(t.geom)', g);
      ELSIF k OPERATOR(pg_catalog.=) 1 THEN
        param := 'establishments_sql'; sql := sqls[4]; tab := 'zae_establishments';
        cols := pg_catalog.format('t.siret::text, %1$s.ST_AsEWKB(t.geom), t.naf::text, t.headcount_band::text, '
                                  't.start_date::date, t.end_date::date, t.cfe_liable::boolean', g);
      ELSE
        param := 'parcels_sql'; sql := sqls[2]; tab := 'zae_parcels';
        cols := pg_catalog.format('t.parcel_id::text, %1$s.ST_AsEWKB(t.geom), t.land_unit_id::text', g);
      END IF;
      -- (the caller's text under its search_path, checked as the reader checks it)
      PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
      sub := CASE WHEN sql IS NULL THEN pg_catalog.format('SELECT * FROM %I.%I WHERE false', h, tab)
                  ELSE @extschema@._query_subquery(param, sql) END;
      EXECUTE pg_catalog.format('SELECT (SELECT pg_catalog.count(*) FROM (SELECT %1$s FROM (%2$s) t EXCEPT ALL SELECT %1$s FROM %3$I.%4$I t) d), '
                                '(SELECT pg_catalog.count(*) FROM (SELECT %1$s FROM %3$I.%4$I t EXCEPT ALL SELECT %1$s FROM (%2$s) t) d)',
                                cols, sub, h, tab)
        INTO extra, missing;
      PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
      IF k OPERATOR(pg_catalog.=) 3 AND extra OPERATOR(pg_catalog.>) 0 THEN
        RAISE EXCEPTION 'cannot publish zone indicators of other zones than those of table "%.%"', h, tab
          USING ERRCODE = '22023',
                DETAIL = pg_catalog.format('zones_sql gives %s zones that %I.%I does not hold with the same zone_id and geometry, as role "%s" reads it; a zone drawn otherwise publishes another table of the same establishments, whose difference with the hub''s zone gives a suppressed cell back.',
                                           extra, h, tab, CURRENT_USER),
                HINT = pg_catalog.format('Read the zones from the hub''s table unchanged (SELECT zone_id, geom FROM %I.%I, any of them), or pass "not_for_publication": true for a table that is not published.', h, tab);
      ELSIF k OPERATOR(pg_catalog.<) 3 AND (extra OPERATOR(pg_catalog.>) 0 OR missing OPERATOR(pg_catalog.>) 0) THEN
        RAISE EXCEPTION 'cannot publish zone indicators of other rows than table "%.%"', h, tab
          USING ERRCODE = '22023',
                DETAIL = pg_catalog.format('%s gives %s rows that %I.%I does not hold and lacks %s of its rows, as role "%s" reads it; a published table is that of the whole population, since two published tables of different populations give their difference, a suppressed cell, back.',
                                           param, extra, h, tab, missing, CURRENT_USER),
                HINT = pg_catalog.format('Read the hub''s table whole and unchanged (SELECT * FROM %I.%I), or pass "not_for_publication": true for a table that is not published.', h, tab);
      END IF;
    END LOOP;
  END LOOP;
  RETURN true;
END
$$;
COMMENT ON FUNCTION @extschema@._zones_publication_inputs(text[], text, boolean, oid[]) IS
  'internal: true, or refuses (22023), a published zone_indicators call (sqls: its zones_sql, parcels_sql, buildings_sql and establishments_sql, read again under query_search_path) whose texts read a hub''s ZAE tables (zae_zones, zae_parcels, zae_buildings or zae_establishments, through views too; texts_every_hub, texts_relations: _zones_texts_read, asked once by the caller; every hub when a text''s reads cannot be seen) unless its establishments_sql gives that hub''s zae_establishments and its parcels_sql its zae_parcels whole and unchanged, as the caller reads them (the columns the function reads, geometry as EWKB, compared as multisets; a NULL text is no rows), and its zones_sql zones of its zae_zones with their zone_id and geometry as stored (any subset): a filtered, transformed or padded population is another table, whose difference with the whole one gives suppressed cells back';

CREATE FUNCTION @extschema@.land_unit_vacancy(
  zones_sql text, parcels_sql text, establishments_sql text, at date DEFAULT CURRENT_DATE,
  vacancy_rule text DEFAULT 'statutory')
RETURNS TABLE (
  land_unit_id text, zone_id bigint, parcels integer, area_m2 float8,
  establishments_ever integer, vacant boolean, reason text,
  last_activity_end date, last_cfe_end date, reference_date date)
AS 'MODULE_PATHNAME', 'sr_fn_land_unit_vacancy'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 10000;
COMMENT ON FUNCTION @extschema@.land_unit_vacancy(text, text, text, date, text) IS
  'statutory vacancy (L318-8-2) of every land unit on the 1 January of the year of at: vacant when it was occupied before and no establishment was active on it in the two preceding years (vacancy_rule cfe_only: no CFE-liable one); a unit never occupied is not vacant; reason active_cfe, occupied_non_cfe, never_occupied or no_activity_since';

CREATE FUNCTION @extschema@.land_consumption(
  zones_sql text, parcels_sql text, buildings_sql text, from_year integer, to_year integer)
RETURNS TABLE (
  zone_id bigint, year integer, newly_built_land_units bigint, consumed_ha float8,
  baseline_2011_2020_ha float8, allowance_2021_2030_ha float8,
  consumed_since_2021_ha float8, remaining_allowance_ha float8, on_trajectory boolean,
  undated_land_units bigint, undated_ha float8)
AS 'MODULE_PATHNAME', 'sr_fn_land_consumption'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 1000;   -- (a NULL argument: 22004; a NULL buildings_sql: none)
COMMENT ON FUNCTION @extschema@.land_consumption(text, text, text, integer, integer) IS
  'land newly built per zone and year (land units by the year of their first building, measured by their ground inside the zone), the 2011-2020 baseline and a per-zone benchmark of the ZAN trajectory: 2021-2030 consumption at most half the zone''s own baseline, with the remaining allowance (NULL outside 2021-2030; consumption since 2021 NULL before 2021; allowance, remaining allowance and verdict NULL for a zone that consumed nothing in 2011-2020, since the law''s envelope is the territory''s, not the zone''s); a land unit with a building of unknown year is undated: counted in no year nor the baseline, reported per zone (undated_land_units, undated_ha); a NULL buildings_sql means no buildings, as in zone_indicators';

CREATE FUNCTION @extschema@.statistical_secrecy(cells_sql text, rules jsonb DEFAULT NULL)
RETURNS TABLE (row_key text, col_key text, n bigint, value float8, status text, reason text)
AS 'MODULE_PATHNAME', 'sr_fn_statistical_secrecy'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 1000 ROWS 1000;
COMMENT ON FUNCTION @extschema@.statistical_secrecy(text, jsonb) IS
  'statistical secrecy of a two-dimensional table (row_key x col_key, with row, column and grand totals): primary suppression (fewer than 3 units, one unit over 85% of the cell, fewer than 11 units in fiscal cells) and secondary suppression so that no suppressed cell can be recomputed from the published cells and totals';

-- Hub tables (after the CNIG standard) --------------------------------------------
CREATE FUNCTION @extschema@._zae_owner_visibility() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- owners who are natural persons are personal data: their parcels are restricted (an
  -- owner whose kind is not known may be one, so restricted too)
  IF NEW.owner_kind OPERATOR(pg_catalog.=) 'natural_person' OR (NEW.owner_kind IS NULL AND NEW.owner_id IS NOT NULL) THEN
    NEW.visibility := 'restricted';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_owner_visibility() IS
  'internal: trigger of zae_parcels making the rows of natural-person owners, and of owners of unknown kind, restricted';

CREATE FUNCTION @extschema@._zae_establishment_visibility() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- a sole trader (INSEE legal category 1xxx, entrepreneur individuel) is a natural
  -- person: the SIRET, the point and the parcel of the establishment locate that person
  -- (no legal category: perhaps a sole trader, so restricted too)
  IF coalesce(NEW.etab_nat_juridique, '1') OPERATOR(pg_catalog.~~) '1%' THEN
    NEW.visibility := 'restricted';
  END IF;
  RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_establishment_visibility() IS
  'internal: trigger of zae_establishments making the rows of sole traders (legal category 1xxx, natural persons) and of establishments without a legal category restricted';

-- A ZAE row lies in its territory (the second red team, 2026-12-07; docs/zones.md,
-- docs/security.md).  The publication scope of a filtered caller (above) trusts a row's
-- territory_code: a factory of 91479 lying in a zone wholly inside 91326 was hidden from
-- 91326's agent and counted by the platform, whose published zone then differed from the
-- agent's by the suppressed cell.  The agent cannot see the row, so the rule holds where the
-- row is written: a parcel, building or establishment of a territory whose contour
-- smartregion.territory holds lies within 1 m of it (the whole geometry: a parcel is placed
-- in the zone it shares most area with, so a parcel's point alone would not do).  The 1 m
-- lets through a parcel drawn on the commune boundary (the contour is kept in WGS84 and
-- may come from another survey than the parcels); without a contour there is no check.
-- PostGIS in SQL, not the C core: one ST_Covers per row against the territory's contour
-- buffered once per statement, which PostGIS prepares (GEOS prepared geometry) for the
-- rows of one territory in turn (ST_CoveredBy(row, contour) is not prepared by PostGIS
-- 3.3: 17 times slower on the demo's parcels); the C core has no buffer.  JIT off: the
-- protected tables keep no statistics, and the estimates of a whole table (thousands of
-- times the rows) made the JIT compile cost more than the check (0.6 s of 1.6 s).  One
-- query text for the triggers (over the statement's new rows; of an update, those whose
-- geometry or territory changed: a row written before its contour was loaded does not
-- stop an update of its other columns, subject_erase's and purge_expired's included) and
-- for zae_rows_outside_territory (over a whole table, after contours loaded later).
CREATE FUNCTION @extschema@._zae_outside_territory_sql(rows_relation text, key_column name)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format(
    'WITH n AS MATERIALIZED (SELECT r.%3$I::pg_catalog.text AS id, r.territory_code AS code, '
    '@extschema@._territory_type_or_implied(r.territory_type, r.territory_code) AS ty, r.geom '
    'FROM %2$s r WHERE r.territory_code IS NOT NULL AND r.geom IS NOT NULL), '
    'c AS MATERIALIZED (SELECT t.type, t.code, %1$s.ST_Buffer(%1$s.ST_Transform(t.geom, s.srid), 1.0) AS g '
    'FROM @extschema@.territory t, (SELECT %1$s.ST_SRID(n.geom) AS srid FROM n LIMIT 1) s '
    'WHERE t.geom IS NOT NULL AND EXISTS (SELECT FROM n WHERE n.ty OPERATOR(pg_catalog.=) t.type AND n.code OPERATOR(pg_catalog.=) t.code)) '
    'SELECT n.id, c.type, c.code FROM n JOIN c ON c.type OPERATOR(pg_catalog.=) n.ty AND c.code OPERATOR(pg_catalog.=) n.code '
    'WHERE NOT %1$s.ST_Covers(c.g, n.geom) ORDER BY n.id',
    pg_catalog.quote_ident(@extschema@._postgis_schema()), rows_relation, key_column)
$$;
COMMENT ON FUNCTION @extschema@._zae_outside_territory_sql(text, name) IS
  'internal: SQL text listing (id, territory type, territory code) the rows of rows_relation (the name of a relation or transition table with territory_code, territory_type, geom and key_column; formatted, never run here: PARALLEL SAFE) whose geometry is not covered by (ST_Covers) their territory''s contour in smartregion.territory buffered by 1 m (in the rows'' CRS); rows without a territory, a geometry or a loaded contour are not listed';

CREATE FUNCTION @extschema@._zae_row_in_territory() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  key name := TG_ARGV[0];
  rows_sql text;
  bad_id text;
  bad_type text;
  bad_code text;
  n bigint;
BEGIN
  -- (an update: the rows whose key, geometry or territory changed)
  rows_sql := CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN pg_catalog.format(
    '(SELECT nr.* FROM new_rows nr WHERE NOT EXISTS (SELECT FROM old_rows o WHERE o.%1$I OPERATOR(pg_catalog.=) nr.%1$I '
    'AND o.territory_code IS NOT DISTINCT FROM nr.territory_code AND o.territory_type IS NOT DISTINCT FROM nr.territory_type '
    'AND %2$s.ST_AsEWKB(o.geom) IS NOT DISTINCT FROM %2$s.ST_AsEWKB(nr.geom)))',
    key, pg_catalog.quote_ident(@extschema@._postgis_schema())) ELSE 'new_rows' END;
  EXECUTE pg_catalog.format('SELECT pg_catalog.min(o.id), pg_catalog.min(o.type), pg_catalog.min(o.code), pg_catalog.count(*) FROM (%s LIMIT 1) o',
                            @extschema@._zae_outside_territory_sql(rows_sql, key))
    INTO bad_id, bad_type, bad_code, n;
  IF n OPERATOR(pg_catalog.>) 0 THEN
    RAISE EXCEPTION 'row "%" of relation "%" lies outside its territory "%"', bad_id, TG_TABLE_NAME, bad_type OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) bad_code
      USING ERRCODE = '23514',
            DETAIL = pg_catalog.format('Its geometry is not within 1 m of the contour of %s %s in smartregion.territory. A row of one territory lying in another is hidden from that territory''s agents and counted in its zones: their published figures would differ from the platform''s by a suppressed cell.', bad_type, bad_code),
            HINT = 'Write the row with the territory_code (and territory_type) of the territory where it lies, or correct its geometry; an outdated contour is replaced with smartregion.load_territory_contours().',
            SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_row_in_territory() IS
  'internal: statement triggers of a hub''s zae_parcels, zae_buildings and zae_establishments (insert, update; TG_ARGV[0] the key column): refuses (23514) a statement writing a row (of an update, one whose key, geometry or territory changed) whose geometry is not within 1 m of its territory''s contour in smartregion.territory (_zae_outside_territory_sql); no contour, no check';

CREATE FUNCTION @extschema@.zae_rows_outside_territory(hub name)
RETURNS TABLE (table_name name, row_id text, territory_type text, territory_code text)
LANGUAGE plpgsql STABLE STRICT PARALLEL UNSAFE COST 10000 ROWS 10
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  t record;
BEGIN
  -- (who controls the hub's code: a superuser's or platform administrator's call ran another
  -- role's view or its functions with its rights before, review of hub guards 2026-12-07, h12)
  PERFORM @extschema@._hub_read_guard(hub, 'zae_rows_outside_territory');
  FOR t IN SELECT v.tbl, v.key FROM (VALUES ('zae_parcels'::name, 'parcel_id'::name, 1), ('zae_buildings', 'building_id', 2),
                                            ('zae_establishments', 'siret', 3)) v(tbl, key, ord)
            WHERE pg_catalog.to_regclass(pg_catalog.format('%I.%I', hub, v.tbl)) IS NOT NULL ORDER BY v.ord LOOP
    RETURN QUERY EXECUTE pg_catalog.format('SELECT %L::name, o.id, o.type, o.code FROM (%s) o', t.tbl,
                                           @extschema@._zae_outside_territory_sql(pg_catalog.format('%I.%I', hub, t.tbl), t.key));
  END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.zae_rows_outside_territory(name) IS
  'the rows of a hub''s zae_parcels, zae_buildings and zae_establishments (those the caller reads) whose geometry is not within 1 m of their territory''s contour in smartregion.territory: rows written before that contour was loaded, which the write check did not see; no rows when the contours are not loaded';

-- The contours a zone had (the second red team's route 1, 2026-12-07; docs/zones.md,
-- "Earlier contours").  The platform published zone 1 as 4 | 118 | {"C": null, "G": null};
-- the hub's owner redrew zone 1 without the factory's parcel, and the same call gave
-- 3 | 43.5 | {"G": 3}: C = 1 establishment of 74.5 jobs, the factory whole.  Nothing
-- remembered the earlier contour.  Now every change of a zone's geometry, and every
-- deleted zone, leaves its old contour in <hub>.zae_zone_history, written as the writer
-- (row-level security and grants are the hub's, as zae_zones'): the row keeps the zone's
-- territory and visibility.  A published call withholds a zone whose difference with an
-- earlier contour overlapping it fails the primary rules (_zones_publication_history, the
-- core's sr_zones_history_withheld).
-- Whether row-level security shows the current role every row of a table (a hub's
-- zae_zones, zae_zone_history): it is off for the role (a superuser, BYPASSRLS, the
-- table's owner without FORCE), or a permissive SELECT policy USING (true) of the role's
-- (the platform administrator's sr_platform_admin) and no restrictive SELECT policy of
-- the role's apply.  Read from the catalogue as the caller (no SECURITY DEFINER); false
-- when unsure (another permissive policy that happens to show every row).  For the
-- checks that must see every row or fail closed: a hub's rules (_hub_secrecy_rules_guard)
-- and the contours a TRUNCATE of zae_zones keeps (_zae_zone_history_record).
CREATE FUNCTION @extschema@._caller_reads_every_row(tbl regclass) RETURNS boolean
LANGUAGE sql STABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT NOT pg_catalog.row_security_active(tbl)
      OR (EXISTS (SELECT FROM pg_catalog.pg_policy p
                   WHERE p.polrelid OPERATOR(pg_catalog.=) tbl AND p.polpermissive
                     AND p.polcmd OPERATOR(pg_catalog.=) ANY (ARRAY['r', '*']::"char"[])
                     AND pg_catalog.pg_get_expr(p.polqual, p.polrelid) OPERATOR(pg_catalog.=) 'true'
                     AND EXISTS (SELECT FROM pg_catalog.unnest(p.polroles) r(id)
                                  WHERE r.id OPERATOR(pg_catalog.=) 0 OR pg_catalog.pg_has_role(r.id, 'USAGE')))
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_policy p
                           WHERE p.polrelid OPERATOR(pg_catalog.=) tbl AND NOT p.polpermissive
                             AND p.polcmd OPERATOR(pg_catalog.=) ANY (ARRAY['r', '*']::"char"[])
                             AND EXISTS (SELECT FROM pg_catalog.unnest(p.polroles) r(id)
                                          WHERE r.id OPERATOR(pg_catalog.=) 0 OR pg_catalog.pg_has_role(r.id, 'USAGE'))))
$$;
COMMENT ON FUNCTION @extschema@._caller_reads_every_row(regclass) IS
  'internal: whether row-level security shows the current role every row of table tbl: off for it (superuser, BYPASSRLS, the owner without FORCE), or a permissive SELECT policy USING (true) of its role and no restrictive SELECT policy of its role (false when unsure); for _hub_secrecy_rules_guard and the TRUNCATE trigger of a hub''s zae_zones';

CREATE FUNCTION @extschema@._zae_zone_history_record() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  IF TG_LEVEL OPERATOR(pg_catalog.=) 'STATEMENT' THEN
    -- TRUNCATE fires no row trigger: every zone's contour is kept before it goes, read
    -- as the truncating role, which TRUNCATE's privilege does not make read every row:
    -- one that row-level security filters (the platform administrator under a
    -- restrictive policy) kept only the zones it read, and a zone hidden from it went
    -- without its contour (no trace for set_secrecy_rules, no earlier contour for the
    -- publications; checked 2026-12-07, h13).  Refused: fail closed
    IF NOT @extschema@._caller_reads_every_row(TG_RELID) THEN
      RAISE EXCEPTION 'cannot truncate table %.% without reading every row', pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)
        USING ERRCODE = '42501',
              DETAIL = pg_catalog.format('Row-level security may hide rows of %I.%I from role "%s": the contour of every zone is kept in %I.zae_zone_history before it goes, and a hidden zone would go without it.',
                                         TG_TABLE_SCHEMA, TG_TABLE_NAME, CURRENT_USER, TG_TABLE_SCHEMA),
              HINT = 'Truncate as a role that reads every row (the table''s owner without FORCE ROW LEVEL SECURITY, or the platform administrator without a restrictive policy), or delete the rows the role reads.';
    END IF;
    -- (the zone's zone_uid too when the trigger names it: a hub whose create_hub added it)
    EXECUTE pg_catalog.format('INSERT INTO %1$I.zae_zone_history (zone_id, geom, operation, territory_code, territory_type, visibility%3$s) '
                              'SELECT z.zone_id, z.geom, ''truncate'', z.territory_code, z.territory_type, z.visibility%4$s FROM %1$I.%2$I z',
                              TG_TABLE_SCHEMA, TG_TABLE_NAME,
                              CASE WHEN TG_NARGS OPERATOR(pg_catalog.>) 0 THEN ', zone_uid' ELSE '' END,
                              CASE WHEN TG_NARGS OPERATOR(pg_catalog.>) 0 THEN ', z.zone_uid' ELSE '' END);
    RETURN NULL;
  END IF;
  -- (an update leaving the geometry as it was keeps no contour)
  IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND pg_catalog.format('%s', OLD.geom) OPERATOR(pg_catalog.=) pg_catalog.format('%s', NEW.geom)
     AND OLD.zone_id OPERATOR(pg_catalog.=) NEW.zone_id THEN
    RETURN NULL;
  END IF;
  -- (the trigger of a hub whose create_hub added zae_zones.zone_uid names it, and the
  -- contour keeps it: the zone's identity, which a renumbering does not change; a hub made
  -- before has no such column, and its trigger no argument)
  IF TG_NARGS OPERATOR(pg_catalog.>) 0 THEN
    EXECUTE pg_catalog.format('INSERT INTO %I.zae_zone_history (zone_id, geom, operation, territory_code, territory_type, visibility, zone_uid) '
                              'VALUES ($1, $2, $3, $4, $5, $6, $7)', TG_TABLE_SCHEMA)
      USING OLD.zone_id, OLD.geom, pg_catalog.lower(TG_OP), OLD.territory_code, OLD.territory_type, OLD.visibility, OLD.zone_uid;
    RETURN NULL;
  END IF;
  EXECUTE pg_catalog.format('INSERT INTO %I.zae_zone_history (zone_id, geom, operation, territory_code, territory_type, visibility) '
                            'VALUES ($1, $2, $3, $4, $5, $6)', TG_TABLE_SCHEMA)
    USING OLD.zone_id, OLD.geom, pg_catalog.lower(TG_OP), OLD.territory_code, OLD.territory_type, OLD.visibility;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_record() IS
  'internal: trigger of a hub''s zae_zones (after an update changing its geom or zone_id, after a delete, before a truncate) keeping the zone''s earlier contour in <hub>.zae_zone_history, as the writer, with the zone''s territory and visibility (and its zone_uid when the trigger has an argument: a hub whose create_hub added the column); refuses (42501) a truncate by a role that row-level security may hide rows from (_caller_reads_every_row)';

-- A zone's zone_uid is its identity in zae_zone_history (2026-12-07, zone identity): a contour
-- keeps it, and follows the zone made restricted by it.  Changed (SET zone_uid = DEFAULT
-- gives a generated column a new value), the zone would leave its contours behind as a
-- renumbering once did: refused, 42501, to every role (the owner disabling the trigger
-- acts on its own, as for the history's).
CREATE FUNCTION @extschema@._zae_zone_uid_fixed() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  RAISE EXCEPTION 'cannot change the zone_uid of a zone of %.%', pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)
    USING ERRCODE = '42501',
          DETAIL = 'A zone''s zone_uid is its identity in zae_zone_history: its earlier contours keep it and are made restricted with it.',
          HINT = 'Change the zone''s zone_id instead; its zone_uid stays.';
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_uid_fixed() IS
  'internal: trigger of a hub''s zae_zones (before an update changing zone_uid) refusing (42501) the change: a zone''s zone_uid is its identity in zae_zone_history';

-- A contour's zone_uid says which zone it follows (2026-12-08, zone identity, h8): written by
-- the recording trigger sr_zae_zone_history alone (the zone's own, OLD.zone_uid).  A role
-- inserting a contour itself (INSERT, COPY) giving one would pick the zone it follows, and,
-- the identity being followed across territories since, learn from its own contour made
-- restricted that another territory's zone was: refused, 42501, to every role but the
-- table's owner (who restores a dump and may purge: its own act).  The recording trigger's
-- insert runs one trigger level down (pg_trigger_depth() > 1); a contour without zone_uid
-- passes, as before.  Left: a non-owner's insert from a trigger of its own on a table of
-- its own is one level down too (docs/security-reviews.md#r-zone-uid-given).
CREATE FUNCTION @extschema@._zae_zone_history_uid_given() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  owner oid := (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) TG_RELID);
  may_act_as_owner boolean;
BEGIN
  IF pg_catalog.pg_trigger_depth() OPERATOR(pg_catalog.>) 1 THEN
    RETURN NEW;
  END IF;
  -- ("may act as the owner", as _zae_zone_history_append_only tests it: MEMBER on 15, USAGE
  -- or SET on 16+)
  IF pg_catalog.current_setting('server_version_num')::pg_catalog.int4 OPERATOR(pg_catalog.>=) 160000 THEN
    may_act_as_owner := pg_catalog.pg_has_role(CURRENT_USER, owner, 'USAGE') OR pg_catalog.pg_has_role(CURRENT_USER, owner, 'SET');
  ELSE
    may_act_as_owner := pg_catalog.pg_has_role(CURRENT_USER, owner, 'MEMBER');
  END IF;
  IF may_act_as_owner THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'cannot give the zone_uid of a contour of %.%', pg_catalog.quote_ident(TG_TABLE_SCHEMA), pg_catalog.quote_ident(TG_TABLE_NAME)
    USING ERRCODE = '42501',
          DETAIL = pg_catalog.format('A contour''s zone_uid names the zone it follows; it is written by the trigger that records a zone''s earlier contour, not by role "%s".', CURRENT_USER),
          HINT = 'Insert the contour without zone_uid, or redraw the zone in zae_zones.';
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_uid_given() IS
  'internal: trigger of a hub''s zae_zone_history (before an insert giving zone_uid) refusing (42501) a zone_uid given by a role that may not act as the table''s owner, but in the recording trigger''s insert (sr_zae_zone_history, one trigger level down)';

-- The history is what a published call compares with: a role that could delete a contour
-- there would reopen route 1.  Append-only for every role but the table's owner (the
-- hub's owner, who may purge contours never released: docs/zones.md); TRUNCATE too.
-- One change goes through for any writer the row-level security lets write the row: a
-- public contour made restricted, nothing else changed, when no public zone stands under
-- its zone_id (the tenancy red team, 2026-12-07: the history follows its zone made
-- restricted, _zae_zone_history_restrict, as tl_history follows its request).
CREATE FUNCTION @extschema@._zae_zone_history_append_only() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  zone_public boolean;
  own_restricted boolean;
  owner oid := (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) TG_RELID);
  may_act_as_owner boolean;
BEGIN
  -- "may act as the owner" (_caller_may_act_as's test, written out: every writer of the
  -- history fires this trigger, and meets its refusal, not "permission denied for schema"):
  -- MEMBER on PostgreSQL 15; on 16+ USAGE or SET, so that a grant WITH INHERIT FALSE, SET
  -- FALSE of the owner's role (ADMIN only) does not delete contours (15's pg_has_role has no
  -- SET: that branch is never run there; run on 17 by pgTAP membership_set_option, r-noinherit-set)
  IF pg_catalog.current_setting('server_version_num')::pg_catalog.int4 OPERATOR(pg_catalog.>=) 160000 THEN
    may_act_as_owner := pg_catalog.pg_has_role(CURRENT_USER, owner, 'USAGE') OR pg_catalog.pg_has_role(CURRENT_USER, owner, 'SET');
  ELSE
    may_act_as_owner := pg_catalog.pg_has_role(CURRENT_USER, owner, 'MEMBER');
  END IF;
  IF may_act_as_owner THEN
    RETURN CASE WHEN TG_LEVEL OPERATOR(pg_catalog.=) 'STATEMENT' THEN NULL WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  -- (the platform administrator's acknowledgement of a listed contour, as the owner's:
  -- zae_zone_history_acknowledge; public_acknowledged alone changes, which makes nothing
  -- public; any other update of its, a no-op too, and an agent's, are refused below)
  IF TG_LEVEL OPERATOR(pg_catalog.=) 'ROW' AND TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND @extschema@._caller_is_privileged()
     AND (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->) 'public_acknowledged') IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->) 'public_acknowledged')
     AND (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'geom' OPERATOR(pg_catalog.-) 'public_acknowledged')
         OPERATOR(pg_catalog.=) (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'geom' OPERATOR(pg_catalog.-) 'public_acknowledged')
     AND pg_catalog.format('%s', NEW.geom) OPERATOR(pg_catalog.=) pg_catalog.format('%s', OLD.geom) THEN
    RETURN NEW;
  END IF;
  -- (the geometry compared as its text, hex EWKB, exact: its JSON rounds coordinates)
  IF TG_LEVEL OPERATOR(pg_catalog.=) 'ROW' AND TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
     AND @extschema@._tl_restricting_only(pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.-) 'geom', pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.-) 'geom')
     AND pg_catalog.format('%s', NEW.geom) OPERATOR(pg_catalog.=) pg_catalog.format('%s', OLD.geom) THEN
    -- (a public zone is read by every role that reads zae_zones: no row-level security hides it)
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %I.zae_zones z WHERE z.zone_id OPERATOR(pg_catalog.=) $1 '
                              'AND z.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'')', TG_TABLE_SCHEMA)
      INTO zone_public USING NEW.zone_id;
    IF NOT zone_public THEN
      RETURN NEW;
    END IF;
    -- (or the contour's own zone, by its zone_uid, stands restricted, whatever zone holds its
    -- zone_id now and in whatever territory: the zone renumbered while the triggers were
    -- disabled, its former number taken again by a public zone, or moved; 2026-12-07, zone
    -- identity; any territory since 2026-12-08, h8)
    IF (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'zone_uid') IS NOT NULL THEN
      EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %I.zae_zones z WHERE z.zone_uid OPERATOR(pg_catalog.=) $1 '
                                'AND z.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'')', TG_TABLE_SCHEMA)
        INTO own_restricted USING (pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) 'zone_uid')::pg_catalog.int8;
      IF own_restricted THEN
        RETURN NEW;
      END IF;
    END IF;
  END IF;
  RAISE EXCEPTION 'the history of zone contours is append-only' USING ERRCODE = '42501',
    DETAIL = pg_catalog.format('%I.%I cannot be %s by role "%s": a published zone is compared with its earlier contours, and a contour removed would let a redrawn zone give a suppressed cell back.',
                               TG_TABLE_SCHEMA, TG_TABLE_NAME,
                               CASE TG_OP WHEN 'DELETE' THEN 'deleted from' WHEN 'TRUNCATE' THEN 'truncated' ELSE 'updated' END, CURRENT_USER),
    HINT = CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'UPDATE' THEN 'A public contour is made restricted with its zone, nothing else changing; only the table''s owner may purge contours, and only those of zones never published.'
                ELSE 'Only the table''s owner may purge contours, and only those of zones never published.' END;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_append_only() IS
  'internal: trigger of a hub''s zae_zone_history refusing (42501) updates, deletes and truncation by any role but the table''s owner (or a role that may act as it: MEMBER on PostgreSQL 15, USAGE or SET on 16+), except a public contour made restricted, nothing else changed, when no public zone of zae_zones stands under its zone_id or a zone of its zone_uid stands restricted (the history following its zone made restricted: _zae_zone_history_restrict), and the platform administrator''s change of public_acknowledged alone (zae_zone_history_acknowledge)';

-- A zone made restricted takes its earlier contours with it (the tenancy red team,
-- 2026-12-07, h2: a public zone redrawn, then made restricted, left its earlier contours
-- public in zae_zone_history, where readers and other territories' agents read where the
-- hidden zone lay).  Statement triggers of zae_zones with transition tables (2026-12-07,
-- h3: the row trigger ran two EXECUTEd statements a zone, 33 µs a zone inserted and 155 µs
-- a zone made restricted; docs/performance-zones.md), one after an insert, one after an
-- update (a trigger with transition tables has one event); they fire after the row
-- triggers of the statement, so that a zone redrawn and made restricted in one statement
-- takes the contour sr_zae_zone_history just recorded too.  As the writer (no SECURITY
-- DEFINER): the rows of its zone_id that the writer may write, its territories' (another
-- territory's contour under the same zone_id, a zone deleted and its number taken again,
-- stays as that territory wrote it); _zae_zone_history_append_only lets that one change
-- through.  The zone_ids: a zone inserted restricted; a zone restricted after the update
-- that was not restricted under its zone_id before (the rows paired by zone_id), and when
-- the update renumbers a zone that stands restricted (a zone_id the old rows lack), the
-- zone_ids the update left (the former zone_id; the transition tables do not say which old
-- row became which: of an update renumbering several zones, every former zone_id, more
-- restricted, never less).  No UPDATE when no row would change (each statement writing a
-- hub table is recorded in the provenance).
CREATE FUNCTION @extschema@._zae_zone_history_restrict() RETURNS trigger
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  ids bigint[];
  uids bigint[];
  by_uid text;
  any_public boolean;
BEGIN
  -- (the statement triggers of a hub whose create_hub added zae_zones.zone_uid name it:
  -- 2026-12-07, zone identity.  Every zone the statement leaves restricted takes the public contours
  -- recorded with its zone_uid, under whatever zone_id they were recorded: a zone renumbered
  -- while the triggers were disabled, its number taken again since, or whose renumbering's
  -- own contour the owner purged, still takes its earlier shapes with it.  In every
  -- territory since 2026-12-08 (zone identity, h8): a zone moved to another territory takes
  -- its contours of the former one too, those the writer may write (row-level security; the
  -- others at the next create_hub, as the owner).  Followed within its territory only before,
  -- because any inserter could give a zone another territory's zone_uid (OVERRIDING SYSTEM
  -- VALUE); grant_roles grants no INSERT on zone_uid now, and a direct INSERT into the
  -- history giving one is refused to every role but the owner (_zae_zone_history_uid_given).
  -- A separate UPDATE, which the index on zone_uid answers, one probe a zone)
  IF TG_LEVEL OPERATOR(pg_catalog.=) 'STATEMENT' AND TG_NARGS OPERATOR(pg_catalog.>) 0 THEN
    SELECT pg_catalog.array_agg(n.zone_uid) INTO uids FROM new_rows n
     WHERE n.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted';
    IF uids IS NOT NULL THEN
      by_uid := 'pg_catalog.unnest($1) u(uid) '
                'WHERE h.zone_uid OPERATOR(pg_catalog.=) u.uid AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''';
      EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %I.zae_zone_history h, %s)', TG_TABLE_SCHEMA, by_uid)
        INTO any_public USING uids;
      IF any_public THEN
        EXECUTE pg_catalog.format('UPDATE %I.zae_zone_history h SET visibility = ''restricted'' FROM %s', TG_TABLE_SCHEMA, by_uid)
          USING uids;
      END IF;
    END IF;
  END IF;
  IF TG_LEVEL OPERATOR(pg_catalog.=) 'ROW' THEN
    -- (the row trigger sr_zae_zone_history_renumber, fired only when an update changes a
    -- zone's zone_id: a statement's transition tables cannot pair a renumbered zone's old
    -- and new rows)  A zone renumbered leaves its contours under its former zone_id, where
    -- nothing links them to it any more: made restricted later, it could not take them
    -- with it, and they stayed public, its shape among them (two zones' numbers swapped
    -- through a third, or a zone renumbered, then made restricted; 2026-12-07, h2).
    -- Secrecy before availability: renumbered, even public, a zone makes restricted the
    -- public contours under its former zone_id (the one just recorded included), which its
    -- territory's agents still read and every published call still compares with; and,
    -- restricted, those under its new one
    ids := CASE WHEN NEW.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted'
                THEN ARRAY[OLD.zone_id, NEW.zone_id] ELSE ARRAY[OLD.zone_id] END;
  ELSIF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
    SELECT pg_catalog.array_agg(n.zone_id) INTO ids FROM new_rows n
     WHERE n.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted';
  ELSE
    -- (a restricted zone's update keeping its zone_id: its contours were made restricted
    -- when it was)
    SELECT pg_catalog.array_agg(x.zone_id) INTO ids FROM (
      SELECT n.zone_id FROM new_rows n
       WHERE n.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted'
         AND NOT EXISTS (SELECT FROM old_rows o WHERE o.zone_id OPERATOR(pg_catalog.=) n.zone_id
                                                  AND o.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted')
      UNION
      SELECT o.zone_id FROM old_rows o
       WHERE NOT EXISTS (SELECT FROM new_rows n WHERE n.zone_id OPERATOR(pg_catalog.=) o.zone_id)
         AND EXISTS (SELECT FROM new_rows n WHERE n.visibility::pg_catalog.text OPERATOR(pg_catalog.=) 'restricted'
                                              AND NOT EXISTS (SELECT FROM old_rows o2 WHERE o2.zone_id OPERATOR(pg_catalog.=) n.zone_id))) x;
  END IF;
  IF ids IS NULL THEN
    RETURN NULL;
  END IF;
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %I.zae_zone_history h WHERE h.zone_id OPERATOR(pg_catalog.=) ANY ($1) '
                            'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'')', TG_TABLE_SCHEMA)
    INTO any_public USING ids;
  IF any_public THEN
    EXECUTE pg_catalog.format('UPDATE %I.zae_zone_history h SET visibility = ''restricted'' WHERE h.zone_id OPERATOR(pg_catalog.=) ANY ($1) '
                              'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''', TG_TABLE_SCHEMA)
      USING ids;
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_restrict() IS
  'internal: statement triggers of a hub''s zae_zones (sr_zae_zone_history_restrict_ins after an insert, sr_zae_zone_history_restrict_upd after an update, with their transition tables; after the row triggers, sr_zae_zone_history''s) making restricted, as the writer, the public rows of zae_zone_history that the writer may write under the zone_ids of the zones inserted restricted or made restricted (paired by zone_id; when the update renumbers a zone that stands restricted, the zone_ids it left too), and row trigger sr_zae_zone_history_renumber (an update changing a zone''s zone_id) making restricted the public rows under the former zone_id of a zone renumbered, public or restricted (its contours there no longer follow it), and under its new one when restricted: the earlier contours follow their zone; the statement triggers of a hub whose create_hub added zae_zones.zone_uid (their argument) also make restricted the public rows recorded with the zone_uid of every zone the statement leaves restricted, under any zone_id, in every territory the writer may write (since 2026-12-08)';

-- A hub made before a zone made restricted took its contours with it: the public
-- contours under the zone_id of a zone that stands restricted made restricted, as they
-- would have been (called by create_hub through the zae_zone_history template, as its
-- owner); nothing in a hub without the history's visibility yet (a new hub: create_hub
-- adds it after the template), and no UPDATE when no row would change.
-- (The same pattern as the tiers-lieux' _tl_history_restrict_hidden, 45-tierslieux-requests.sql,
-- written twice on purpose: one function for both would take the tables and the join
-- condition, the SQL that differs, as arguments and build its statements from them at run
-- time; see there.)
CREATE FUNCTION @extschema@._zae_zone_history_restrict_hidden(hub name) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  hidden text := 'z.zone_id OPERATOR(pg_catalog.=) h.zone_id AND z.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'' '
                 'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''';
  any_hidden boolean;
  n bigint := 0;
  m bigint;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'visibility' AND NOT a.attisdropped) THEN
    RETURN 0;
  END IF;
  -- (create_hub's upgrade step: _hub_upgrade_guard, r-hub-guards; the reads only when they
  -- run code, the UPDATEs always: the history's triggers and CHECKs)
  PERFORM @extschema@._hub_upgrade_guard(hub, 'the visibility of zae_zone_history', pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass),
          @extschema@._hub_upgrade_guard(hub, 'the visibility of zae_zone_history', pg_catalog.format('%I.zae_zones', hub)::pg_catalog.regclass);
  EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %1$I.zae_zone_history h, %1$I.zae_zones z WHERE %2$s)', hub, hidden)
    INTO any_hidden;
  IF any_hidden THEN
    PERFORM @extschema@._hub_upgrade_guard(hub, 'the visibility of zae_zone_history');
    EXECUTE pg_catalog.format('UPDATE %1$I.zae_zone_history h SET visibility = ''restricted'' FROM %1$I.zae_zones z WHERE %2$s', hub, hidden);
    GET DIAGNOSTICS n = ROW_COUNT;
  END IF;
  -- (2026-12-07, zone identity: and by the zone's identity, zae_zones.zone_uid, kept by every contour
  -- recorded since create_hub added it, or adopted (_zae_zone_history_adopt): a zone made
  -- restricted while the triggers were disabled, under whatever zone_id its contours were
  -- recorded; in every territory since 2026-12-08 (h8: a zone moved, then made restricted,
  -- by a writer of the new territory only, left the former one's contours public; of the
  -- zone's territory only before, because any inserter could give a zone_uid by hand,
  -- which grant_roles no longer allows: docs/zones.md#zone-identity))
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
              WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                AND a.attname OPERATOR(pg_catalog.=) 'zone_uid' AND NOT a.attisdropped)
     AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zones', hub)::pg_catalog.regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'zone_uid' AND NOT a.attisdropped) THEN
    hidden := 'z.zone_uid OPERATOR(pg_catalog.=) h.zone_uid AND z.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'' '
              'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''';
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %1$I.zae_zone_history h, %1$I.zae_zones z WHERE %2$s)', hub, hidden)
      INTO any_hidden;
    IF any_hidden THEN
      PERFORM @extschema@._hub_upgrade_guard(hub, 'the visibility of zae_zone_history');
      EXECUTE pg_catalog.format('UPDATE %1$I.zae_zone_history h SET visibility = ''restricted'' FROM %1$I.zae_zones z WHERE %2$s', hub, hidden);
      GET DIAGNOSTICS m = ROW_COUNT;
      n := n OPERATOR(pg_catalog.+) m;
    END IF;
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_restrict_hidden(name) IS
  'internal: in a hub made before a zone made restricted took its earlier contours with it, makes restricted the public rows of zae_zone_history under the zone_id of a zone of zae_zones that stands restricted, and those recorded with (or adopting) the zone_uid of such a zone, in any territory (called by create_hub through the zae_zone_history template; nothing when the history has no visibility yet, no UPDATE when no row would change); the rows changed';
REVOKE EXECUTE ON FUNCTION @extschema@._zae_zone_history_restrict_hidden(name) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

-- Contours recorded before create_hub gave the hub zone_uid have none, and so follow no zone
-- by its identity (docs/zones.md#zone-identity, "Left" (1)).  Adopted where the history
-- proves the identity (2026-12-08, h8; docs/zones.md#adoption): a contour h without zone_uid,
-- recorded by an 'update' under zone_id n, takes the zone_uid of the zone z standing under n
-- when the chain from h to z is unbroken, that is, when no row recorded under n from h on
-- (h included: a larger id is a later row) is a break:
--   - a row that is not an 'update' (a 'delete' or 'truncate': that zone went, and the number
--     may have been taken again);
--   - a row of another territory than z's (code, and type or the one its code implies);
--   - a row recorded with a zone_uid other than z's (another zone held the number then);
--   - a row whose shape a zone standing under another zone_id has, or a contour recorded under
--     another zone_id after it (the same point set, _zae_same_point_set_sql): the zone that
--     had that shape under n went on under another number, a renumbering (an 'update' row,
--     as a redraw).
-- Not seen, so not a break: a renumbering and a redraw in one statement (the row under n is
-- a shape nothing else has), and rows missing (triggers disabled, contours purged); the
-- contours before such an unseen change of holder are adopted by the zone that holds the
-- number now, which errs restricted (they follow that zone when it is made restricted) and
-- never takes a contour off the suspects list (those are under a number holding no zone).
-- Rows added only ever break a chain: an agent's own contour inserted takes none from another
-- territory (adopted only by a zone of its territory).  As the owner (create_hub, through the
-- zae_zone_history template), and only when the caller reads every row of both tables (a row
-- hidden could be the break): else nothing.  Run again, it adopts what it adopted (none left
-- without zone_uid among them) and nothing else.  The rows adopted.
CREATE FUNCTION @extschema@._zae_zone_history_adopt(hub name) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  ids bigint[];
  uids bigint[];
  n bigint := 0;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'zone_uid' AND NOT a.attisdropped)
     OR NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zones', hub)::pg_catalog.regclass
                       AND a.attname OPERATOR(pg_catalog.=) 'zone_uid' AND NOT a.attisdropped)
     -- (a new hub: the territory columns come with enable_territory_security, after)
     OR NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                     WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                       AND a.attname OPERATOR(pg_catalog.=) 'territory_type' AND NOT a.attisdropped)
     OR NOT @extschema@._caller_reads_every_row(pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass)
     OR NOT @extschema@._caller_reads_every_row(pg_catalog.format('%I.zae_zones', hub)::pg_catalog.regclass) THEN
    RETURN 0;
  END IF;
  -- (b, the breaks: the rows under a number a zone holds that break its chain; the last
  -- one of each number; then the rows without zone_uid after it, adopted.  The later
  -- contour's id compared as c.id + 0: as an index condition beside the shape's, the
  -- planner ANDed a scan of the primary key's every later id into each probe, 0.9 ms a row,
  -- 4.4-6.0 s of CPU for 10,365 contours; the gist index alone, docs/performance-zones.md)
  EXECUTE pg_catalog.format(
    'WITH z AS (SELECT z.zone_id, z.zone_uid, z.territory_code::pg_catalog.text AS tc, '
    '                  @extschema@._territory_type_or_implied(z.territory_type, z.territory_code) AS tt FROM %1$I.zae_zones z), '
    'b AS (SELECT r.zone_id, pg_catalog.max(r.id) AS last_break FROM %1$I.zae_zone_history r JOIN z ON z.zone_id OPERATOR(pg_catalog.=) r.zone_id '
    '       WHERE r.operation OPERATOR(pg_catalog.<>) ''update'' '
    '          OR r.territory_code::pg_catalog.text IS DISTINCT FROM z.tc '
    '          OR @extschema@._territory_type_or_implied(r.territory_type, r.territory_code) IS DISTINCT FROM z.tt '
    '          OR (r.zone_uid IS NOT NULL AND r.zone_uid OPERATOR(pg_catalog.<>) z.zone_uid) '
    '          OR EXISTS (SELECT FROM %1$I.zae_zones p WHERE %3$s AND p.zone_id OPERATOR(pg_catalog.<>) r.zone_id) '
    '          OR EXISTS (SELECT FROM %1$I.zae_zone_history c WHERE %4$s AND c.zone_id OPERATOR(pg_catalog.<>) r.zone_id '
    '                      AND (c.id OPERATOR(pg_catalog.+) 0) OPERATOR(pg_catalog.>) r.id) '
    '       GROUP BY r.zone_id) '
    'SELECT pg_catalog.array_agg(h.id ORDER BY h.id), pg_catalog.array_agg(z.zone_uid ORDER BY h.id) '
    '  FROM %1$I.zae_zone_history h JOIN z ON z.zone_id OPERATOR(pg_catalog.=) h.zone_id LEFT JOIN b ON b.zone_id OPERATOR(pg_catalog.=) z.zone_id '
    ' WHERE h.zone_uid IS NULL AND h.id OPERATOR(pg_catalog.>) coalesce(b.last_break, 0)',
    hub, g, @extschema@._zae_same_point_set_sql('p.geom', 'r.geom', g), @extschema@._zae_same_point_set_sql('c.geom', 'r.geom', g))
    INTO ids, uids;
  -- (no UPDATE when none is adopted: each statement writing a hub table is recorded in the
  -- provenance, and create_hub on a hub up to date records none)
  IF ids IS NULL THEN
    RETURN 0;
  END IF;
  EXECUTE pg_catalog.format('UPDATE %I.zae_zone_history h SET zone_uid = a.uid '
                            'FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) a(id, uid) '
                            'WHERE h.id OPERATOR(pg_catalog.=) a.id AND h.zone_uid IS NULL', hub)
    USING ids, uids;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n OPERATOR(pg_catalog.>) 0 THEN
    RAISE WARNING '% of %.zae_zone_history recorded before zone_uid adopted by the zone standing under their zone_id',
                  CASE WHEN n OPERATOR(pg_catalog.=) 1 THEN '1 contour' ELSE pg_catalog.format('%s contours', n) END, hub
      USING DETAIL = 'No row recorded under that zone_id since is a deletion, of another territory, of another zone_uid, or a shape another zone_id holds (a renumbering): they follow that zone made restricted under any zone_id.';
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_adopt(name) IS
  'internal: gives the rows of hub.zae_zone_history recorded without zone_uid (before create_hub added it) the zone_uid of the zone of zae_zones standing under their zone_id, when no row recorded under that zone_id from them on breaks the chain (not an update; another territory than the zone''s; another zone_uid; a shape a zone under another zone_id has, or a contour recorded under another zone_id after it); nothing unless the caller reads every row of both tables; called by create_hub through the zae_zone_history template, as its owner; the rows adopted';
REVOKE EXECUTE ON FUNCTION @extschema@._zae_zone_history_adopt(name) FROM PUBLIC;   -- (create_hub's only, as _zae_zone_history_restrict_hidden: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

-- The one "same point set" test of the zone history's rules (rule (1) of
-- _zae_zone_history_restrict_renumbered and the suspects' two last tests), written once so
-- that they cannot drift (2026-12-07, h4): the boxes' equality first (`~=`, which the gist
-- indexes of zae_zones and zae_zone_history answer: the planner takes it from the AND as
-- an index condition, as it did written out), then ST_Equals of two valid geometries, else
-- their EWKB byte for byte (GEOS refuses an invalid one).  A fragment of SQL for format(),
-- not a function called per row: a SQL function with a pinned search_path is not inlined,
-- and the `~=` must stay visible to the planner.  a and b are the two geometry expressions
-- (trusted text of the callers, never user input), g the quoted schema of PostGIS.
CREATE FUNCTION @extschema@._zae_same_point_set_sql(a text, b text, g text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 10
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT pg_catalog.format('(%1$s OPERATOR(%3$s.~=) %2$s AND CASE WHEN %3$s.ST_IsValid(%1$s) AND %3$s.ST_IsValid(%2$s) '
                           'THEN %3$s.ST_Equals(%1$s, %2$s) ELSE %3$s.ST_AsEWKB(%1$s) OPERATOR(pg_catalog.=) %3$s.ST_AsEWKB(%2$s) END)',
                           a, b, g)
$$;
COMMENT ON FUNCTION @extschema@._zae_same_point_set_sql(text, text, text) IS
  'internal: the SQL condition (for format) that geometry expressions a and b are the same point set: their boxes equal (~=, which a gist index answers), then ST_Equals when both are valid, else their EWKB byte for byte; g the quoted schema of PostGIS; the one definition of the zone history''s rules (_zae_zone_history_restrict_renumbered, _zae_zone_history_renumbered_suspects)';

-- The contours a renumbering before 2026-12-07 left public that nothing links to a zone:
-- a zone redrawn in the statement that renumbered it left under its former number a
-- shape it never had under its new one, and the history holds nothing else that names
-- it (replaced_at is the recording trigger's clock, which no column of zae_zones holds;
-- nor does the history keep a zone's name or commune).  For the owner to decide, listed
-- by _zae_zone_history_restrict_renumbered's second WARNING, not changed: the public
-- contours under a zone_id under which no zone stands and whose last row, public, is an
-- 'update' (a zone updated keeping its number still stands there, and one deleted left a
-- 'delete' row after it: so the number's last holder left it by a renumbering), back to
-- the last 'delete' or 'truncate' row there; when a zone stands restricted (else there
-- is nothing to leak) and no zone standing public under another zone_id has that last
-- contour's shape (ST_Equals, byte for byte when one is not valid), as it stands or as a
-- contour under its present zone_id (that zone renumbered, and public: its contours are
-- public as it is).  As the caller (row-level security: the rows it reads).
-- (The same point set: _zae_same_point_set_sql, as rule (1)'s.  Each probe of that last
-- test starts from the contour's box, `~=`, which the gist
-- indexes of zae_zones and zae_zone_history answer, then asks whether the zone found is
-- public under another zone_id: written as "a public zone whose shapes hold one equal", it
-- tried every public zone for every candidate, 182 s for a synthetic hub of 2,000 zones
-- and 10,365 contours, hours at 20,000; docs/performance-zones.md, 2026-12-07, h10)
CREATE FUNCTION @extschema@._zae_zone_history_renumbered_suspects(hub name) RETURNS bigint[]
LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
-- (JIT off: the history's estimates made a round compile for 2.1 s of its 3 s, a
-- synthetic hub of 20,000 zones and 103,650 contours; docs/performance-zones.md, h10)
SET jit = off
AS $$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  suspects bigint[];
  -- (the contours the owner acknowledged rightly public, zae_zone_history_acknowledge, are
  -- not listed; a hub whose create_hub has not added the column yet has none)
  acknowledged text := '';
  -- (a contour recorded with a zone_uid whose zone stands, in the contour's territory,
  -- public, and no zone of that zone_uid there restricted, is not listed: its zone is
  -- known, public, and the triggers make it restricted with that zone; docs/zones.md,
  -- "The suspects list and the zone's identity", 2026-12-07, zone identity)
  identified text := 'SELECT pg_catalog.array_agg(c.id ORDER BY c.id) FROM c';
  by_uid boolean := false;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'visibility' AND NOT a.attisdropped) THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
              WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                AND a.attname OPERATOR(pg_catalog.=) 'public_acknowledged' AND NOT a.attisdropped) THEN
    acknowledged := 'AND NOT h.public_acknowledged ';
  END IF;
  -- (the territory compared as _zae_zone_history_restrict_hidden compares it, the types
  -- with the one a commune's code implies: equal so, the statement trigger's comparison,
  -- a type left NULL on either side matching any, holds too, and both make the contour
  -- restricted with its zone.  Applied to the candidates once found, over the zones of
  -- their zone_uids grouped: as a condition beside the others, with no index on
  -- zae_zones.zone_uid, it scanned the zones for each public contour, minutes at 20,000
  -- zones; docs/performance-zones.md)
  IF EXISTS (SELECT FROM pg_catalog.pg_attribute a
              WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                AND a.attname OPERATOR(pg_catalog.=) 'zone_uid' AND NOT a.attisdropped)
     AND EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zones', hub)::pg_catalog.regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'zone_uid' AND NOT a.attisdropped) THEN
    by_uid := true;
    identified := pg_catalog.format(
      ', k AS (SELECT u.zone_uid, u.territory_code AS tc, @extschema@._territory_type_or_implied(u.territory_type, u.territory_code) AS tt, '
      '               pg_catalog.bool_and(u.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'') AS all_public '
      '          FROM %1$I.zae_zones u WHERE u.zone_uid OPERATOR(pg_catalog.=) ANY (SELECT c.zone_uid FROM c) GROUP BY 1, 2, 3) '
      'SELECT pg_catalog.array_agg(c.id ORDER BY c.id) FROM c '
      ' WHERE NOT EXISTS (SELECT FROM k WHERE k.zone_uid OPERATOR(pg_catalog.=) c.zone_uid AND k.all_public '
      '                    AND k.tc IS NOT DISTINCT FROM c.territory_code '
      '                    AND k.tt IS NOT DISTINCT FROM @extschema@._territory_type_or_implied(c.territory_type, c.territory_code))',
      hub);
  END IF;
  EXECUTE pg_catalog.format(
    'WITH c AS MATERIALIZED (SELECT h.id, %7$s FROM %1$I.zae_zone_history h '
    'CROSS JOIN LATERAL (SELECT l.geom, l.operation, l.visibility FROM %1$I.zae_zone_history l '
    '                     WHERE l.zone_id OPERATOR(pg_catalog.=) h.zone_id ORDER BY l.id DESC LIMIT 1) l '
    'WHERE h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'' %5$s'
    '  AND l.operation OPERATOR(pg_catalog.=) ''update'' AND l.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'' '
    '  AND NOT EXISTS (SELECT FROM %1$I.zae_zones z WHERE z.zone_id OPERATOR(pg_catalog.=) h.zone_id) '
    '  AND NOT EXISTS (SELECT FROM %1$I.zae_zone_history d WHERE d.zone_id OPERATOR(pg_catalog.=) h.zone_id '
    '                   AND d.operation OPERATOR(pg_catalog.=) ANY (ARRAY[''delete'', ''truncate'']) AND d.id OPERATOR(pg_catalog.>=) h.id) '
    '  AND EXISTS (SELECT FROM %1$I.zae_zones r WHERE r.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'') '
    '  AND NOT EXISTS (SELECT FROM %1$I.zae_zones p WHERE %3$s '
    '                   AND p.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'' AND p.zone_id OPERATOR(pg_catalog.<>) h.zone_id) '
    '  AND NOT EXISTS (SELECT FROM %1$I.zae_zone_history c JOIN %1$I.zae_zones p ON p.zone_id OPERATOR(pg_catalog.=) c.zone_id '
    '                   WHERE %4$s '
    '                   AND p.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'' AND p.zone_id OPERATOR(pg_catalog.<>) h.zone_id)) %6$s',
    hub, g, @extschema@._zae_same_point_set_sql('p.geom', 'l.geom', g), @extschema@._zae_same_point_set_sql('c.geom', 'l.geom', g), acknowledged,
    identified, CASE WHEN by_uid THEN 'h.zone_uid, h.territory_code::pg_catalog.text, h.territory_type::pg_catalog.text'
                     ELSE 'NULL::pg_catalog.int8 AS zone_uid, NULL::pg_catalog.text AS territory_code, NULL::pg_catalog.text AS territory_type' END)
    INTO suspects;
  RETURN suspects;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_renumbered_suspects(name) IS
  'internal: the ids (ascending; NULL for none) of the public rows of hub.zae_zone_history, as the caller reads them, under a zone_id holding no zone of zae_zones whose last row, public, is an update (the number left by a renumbering), back to the last delete or truncate row there, when a zone stands restricted and no zone standing public under another zone_id has that last row''s shape (ST_Equals, byte for byte when one is not valid; as it stands or a contour under its present zone_id): contours a zone renumbered and redrawn in one statement by a build before 2026-12-07 may have left public; for the WARNING of _zae_zone_history_restrict_renumbered, the owner to decide; not those the owner acknowledged rightly public (public_acknowledged, zae_zone_history_acknowledge), nor those recorded with a zone_uid whose zones of the contour''s territory stand, one or more, all public (its zone known and public, followed by the triggers); NULL when the history has no visibility yet';

-- A hub whose zones were renumbered before a zone renumbered took its former number's
-- contours with it (2026-12-07, h2: sr_zae_zone_history_renumber) still holds them public
-- under the former number, where nothing records the new one: a zone made restricted
-- since left its shape readable by every reader there.  The rules, exact and stated in
-- docs/zones.md ("Zones renumbered before this build"):
-- (1) by shape: a contour of zae_zone_history that is the same point set (ST_Equals; byte
--     for byte when one is not valid: GEOS refuses it) as a shape of a zone of zae_zones
--     that stands restricted, under another zone_id, is that zone's; its shapes are the
--     zone as it stands, its contours under its present zone_id (renumbered, then
--     redrawn), and the contours rules (1) and (2) give it;
-- (2) by order (2026-12-07, h7): the contours recorded under the same zone_id before a
--     contour of rule (1) (a smaller id: the identity numbers rows as they are recorded),
--     back to the last 'delete' or 'truncate' row under that zone_id (that zone gone, the
--     number taken again), are the same zone's earlier shapes: a number changes hands by
--     a deletion, recorded, or by a renumbering, recorded as an 'update' as a redraw is.
--     So it errs restricted when the number changed hands by a renumbering in between:
--     the earlier holder's contours go with the zone found, as the current build's
--     renumbering trigger restricts a former number's contours whatever zone drew them.
-- The rules run to a fixed point (a zone renumbered twice: its contours under its first
-- number are shapes of its contours under its second), and the public rows among those
-- found are made restricted, in one UPDATE.  A public contour equal to such a shape by
-- coincidence (another zone once drawn the same) is restricted too: the shape is the
-- restricted zone's, secrecy before availability.  Both rules take only contours of the
-- restricted zone's territory (code and type): a contour of another territory made
-- restricted told that territory's agents, who read their own contours' visibility, that a
-- zone they cannot read has that very shape (an agent drawing guesses as public zones of
-- its own, redrawn, learnt at the next create_hub which of them another territory's
-- restricted zone is; red team of 2026-12-07 evening, h6).  A renumbered zone's contours
-- were recorded with its territory; one moved to another territory since keeps those of
-- the former one public (docs/zones.md, the rules' limits).
-- Not found: a zone redrawn in the statement that renumbered it (nothing in the history
-- links the contour under its former number to it: the row's replaced_at is the trigger's
-- clock, zae_zones records no time, name or commune of a contour).  Such contours are
-- listed, not changed, in a second WARNING for the owner to decide
-- (_zae_zone_history_renumbered_suspects, above).
-- Called by create_hub through the zae_zone_history template, as its owner, after
-- _zae_zone_history_restrict_hidden; nothing in a hub without the history's visibility
-- yet, no UPDATE when no row would change, a WARNING with the count when rows changed
-- (create_hub runs with client_min_messages = warning: a NOTICE would not show).
CREATE FUNCTION @extschema@._zae_zone_history_restrict_renumbered(hub name) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
-- (JIT off: the history's estimates made a round compile for 2.1 s of its 3 s, a
-- synthetic hub of 20,000 zones and 103,650 contours; docs/performance-zones.md, h10)
SET jit = off
AS $$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  round_sql text;
  -- (the contours found so far, each with the zone_id of the restricted zone it is a
  -- shape of; found_ids grows each round, the loop ends when it does not; delta_ids, the
  -- pairs the last round found first, whose shapes the next round probes)
  found_ids bigint[] := '{}';
  found_tags bigint[] := '{}';
  delta_ids bigint[] := '{}';
  delta_tags bigint[] := '{}';
  first_round boolean := true;
  next_ids bigint[];
  next_tags bigint[];
  suspects bigint[];
  any_found boolean := false;
  n bigint := 0;
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'visibility' AND NOT a.attisdropped) THEN
    RETURN 0;
  END IF;
  -- (create_hub's upgrade step, at every create_hub: its reads only when they run code, its
  -- UPDATE always, _hub_upgrade_guard, r-hub-guards)
  PERFORM @extschema@._hub_upgrade_guard(hub, 'the visibility of renumbered zones'' contours', pg_catalog.format('%I.zae_zone_history', hub)::pg_catalog.regclass),
          @extschema@._hub_upgrade_guard(hub, 'the visibility of renumbered zones'' contours', pg_catalog.format('%I.zae_zones', hub)::pg_catalog.regclass);
  -- One round: s, the restricted zones' shapes (each zone as it stands and its contours
  -- under its present zone_id, the first round only: $3; and the contours the round before
  -- found first, $1 with their zones $2); m, rule
  -- (1), every contour under another zone_id that is one of them (the same point set,
  -- _zae_same_point_set_sql: the boxes' equality first, which the gist index answers);
  -- e, rule (2), the contours before each of m under its zone_id, back to the last
  -- deletion there.  Any visibility: a contour already restricted still leads to the
  -- earlier ones.  Semi-naive: every row a round gives comes from one row of s (m from
  -- one shape, e from one row of m), so a round over the new shapes alone finds what a
  -- round over all of them would add (every shape probed again each round, four rounds
  -- for chains of three renumberings: 18.5 s, JIT included, on a synthetic hub of 20,000
  -- zones, 2.9 s now; docs/performance-zones.md, 2026-12-07, h10).
  round_sql := pg_catalog.format(
    'WITH s AS (SELECT z.zone_id, z.geom, z.territory_code AS tc, @extschema@._territory_type_or_implied(z.territory_type, z.territory_code) AS tt '
    '   FROM %1$I.zae_zones z WHERE $3 AND z.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'' '
    '  UNION ALL SELECT z.zone_id, h2.geom, z.territory_code, @extschema@._territory_type_or_implied(z.territory_type, z.territory_code) '
    '   FROM %1$I.zae_zones z JOIN %1$I.zae_zone_history h2 ON h2.zone_id OPERATOR(pg_catalog.=) z.zone_id '
    '   WHERE $3 AND z.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'' '
    '  UNION ALL SELECT x.tag, h3.geom, h3.territory_code, @extschema@._territory_type_or_implied(h3.territory_type, h3.territory_code) '
    '   FROM ROWS FROM (pg_catalog.unnest($1), pg_catalog.unnest($2)) x(id, tag) JOIN %1$I.zae_zone_history h3 ON h3.id OPERATOR(pg_catalog.=) x.id), '
    'm AS (SELECT DISTINCT h.id, h.zone_id, s.zone_id AS tag, s.tc, s.tt FROM %1$I.zae_zone_history h, s '
    '  WHERE h.zone_id OPERATOR(pg_catalog.<>) s.zone_id AND %3$s '
    '    AND h.territory_code IS NOT DISTINCT FROM s.tc '
    '    AND @extschema@._territory_type_or_implied(h.territory_type, h.territory_code) IS NOT DISTINCT FROM s.tt), '
    'e AS (SELECT h.id, m.tag FROM m JOIN %1$I.zae_zone_history h ON h.zone_id OPERATOR(pg_catalog.=) m.zone_id AND h.id OPERATOR(pg_catalog.<) m.id '
    '    AND h.territory_code IS NOT DISTINCT FROM m.tc '
    '    AND @extschema@._territory_type_or_implied(h.territory_type, h.territory_code) IS NOT DISTINCT FROM m.tt '
    '  WHERE NOT EXISTS (SELECT FROM %1$I.zae_zone_history d WHERE d.zone_id OPERATOR(pg_catalog.=) m.zone_id '
    '                     AND d.operation OPERATOR(pg_catalog.=) ANY (ARRAY[''delete'', ''truncate'']) '
    '                     AND d.id OPERATOR(pg_catalog.>=) h.id AND d.id OPERATOR(pg_catalog.<) m.id)) '
    'SELECT coalesce(pg_catalog.array_agg(f.id ORDER BY f.id, f.tag), ''{}''), coalesce(pg_catalog.array_agg(f.tag ORDER BY f.id, f.tag), ''{}'') '
    '  FROM (SELECT m.id, m.tag FROM m UNION SELECT e.id, e.tag FROM e) f', hub, g, @extschema@._zae_same_point_set_sql('h.geom', 's.geom', g));
  -- (the rounds only add; the pairs a round gives that were not found before are the next
  -- round's shapes; none is the fixed point)
  LOOP
    EXECUTE round_sql INTO next_ids, next_tags USING delta_ids, delta_tags, first_round;
    SELECT coalesce(pg_catalog.array_agg(n.id ORDER BY n.id, n.tag), '{}'), coalesce(pg_catalog.array_agg(n.tag ORDER BY n.id, n.tag), '{}')
      INTO delta_ids, delta_tags
      FROM (SELECT a.id, a.tag FROM ROWS FROM (pg_catalog.unnest(next_ids), pg_catalog.unnest(next_tags)) a(id, tag)
            EXCEPT SELECT b.id, b.tag FROM ROWS FROM (pg_catalog.unnest(found_ids), pg_catalog.unnest(found_tags)) b(id, tag)) n;
    EXIT WHEN pg_catalog.cardinality(delta_ids) OPERATOR(pg_catalog.=) 0;
    found_ids := found_ids OPERATOR(pg_catalog.||) delta_ids;
    found_tags := found_tags OPERATOR(pg_catalog.||) delta_tags;
    first_round := false;
  END LOOP;
  -- (a hub fixed before: the contours are found again, restricted; no UPDATE then)
  IF pg_catalog.cardinality(found_ids) OPERATOR(pg_catalog.>) 0 THEN
    EXECUTE pg_catalog.format('SELECT EXISTS (SELECT FROM %I.zae_zone_history h WHERE h.id OPERATOR(pg_catalog.=) ANY ($1) '
                              'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public'')', hub)
      INTO any_found USING found_ids;
  END IF;
  IF any_found THEN
    PERFORM @extschema@._hub_upgrade_guard(hub, 'the visibility of renumbered zones'' contours');
    EXECUTE pg_catalog.format('UPDATE %I.zae_zone_history h SET visibility = ''restricted'' WHERE h.id OPERATOR(pg_catalog.=) ANY ($1) '
                              'AND h.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''public''', hub)
      USING found_ids;
    GET DIAGNOSTICS n = ROW_COUNT;
    RAISE WARNING '% of %.zae_zone_history made restricted: each a shape of a zone that stands restricted under another zone_id, or an earlier contour under the same zone_id as one',
                  CASE WHEN n OPERATOR(pg_catalog.=) 1 THEN '1 public contour' ELSE pg_catalog.format('%s public contours', n) END, hub
      USING DETAIL = 'A zone renumbered by a build of smartregion before 2026-12-07 left its contours public under its former zone_id, where every reader read the shapes of the zone once it was made restricted.',
            HINT = 'The contours recorded under a zone_id before such a contour, back to a deletion there, are taken as the same zone''s: a number that changed hands by a renumbering takes its earlier holder''s contours too.';
  END IF;
  -- (after the UPDATE: the visibilities as they now are)
  suspects := @extschema@._zae_zone_history_renumbered_suspects(hub);
  IF suspects IS NOT NULL THEN
    RAISE WARNING '% of %.zae_zone_history may be a restricted zone''s, renumbered and redrawn in one statement: id %',
                  CASE WHEN pg_catalog.cardinality(suspects) OPERATOR(pg_catalog.=) 1 THEN '1 public contour' ELSE pg_catalog.format('%s public contours', pg_catalog.cardinality(suspects)) END, hub,
                  pg_catalog.array_to_string(suspects[1:20], ', ') OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(suspects) OPERATOR(pg_catalog.>) 20 THEN ', ...' ELSE '' END
      USING DETAIL = 'Their zone_id holds no zone and its last contour was recorded by an update: a renumbering, by a build of smartregion before 2026-12-07, which left them public. No zone standing public has that contour''s shape or is, by the contour''s zone_uid, its zone in its territory; and a zone stands restricted: if it is that zone, redrawn in the statement that renumbered it, its earlier shapes are public.',
            HINT = pg_catalog.format('If they are a restricted zone''s, make them restricted (UPDATE %I.zae_zone_history SET visibility = ''restricted'' WHERE id IN (...)); if they are rightly public, say so (SELECT smartregion.zae_zone_history_acknowledge(%L, ARRAY[...])); create_hub lists the others while they stay public.', hub, hub);
  END IF;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@._zae_zone_history_restrict_renumbered(name) IS
  'internal: in a hub whose zones were renumbered before a zone renumbered took its former zone_id''s contours with it, makes restricted the public rows of zae_zone_history that are shapes of a zone of zae_zones that stands restricted under another zone_id (the same point set, ST_Equals, byte for byte when one is not valid, as the zone, one of its contours under its present zone_id, or a contour found), and the rows recorded under the same zone_id before such a row, back to the last delete or truncate row there (its earlier shapes), to a fixed point; lists in a WARNING, unchanged, the public contours under a zone_id holding no zone whose last row is an update (a renumbering) that no zone standing public explains, when a zone stands restricted (a zone renumbered and redrawn in one statement); called by create_hub through the zae_zone_history template, as its owner; nothing when the history has no visibility yet, no UPDATE when no row would change, a WARNING with the count when rows changed; the rows changed';
REVOKE EXECUTE ON FUNCTION @extschema@._zae_zone_history_restrict_renumbered(name) FROM PUBLIC;   -- (create_hub's and the administration functions' only: grant_roles grants it to smartregion_platform_admin; docs/security-reviews.md#r-internal-public)

-- The owner's answer to create_hub's second WARNING (2026-12-07, h4): the contours it lists
-- (_zae_zone_history_renumbered_suspects) stay listed while they stay public, and a
-- contour rightly public (the owner knows the zone renumbered and redrawn at once was
-- public then, or is none of the restricted zones) was listed at every create_hub.  The
-- hub's owner (who may act as the owner of its zae_zone_history) or the platform
-- administrator says so here, for ids the WARNING lists now (or acknowledged before):
-- public_acknowledged set, nothing else; the visibility is not touched, and rules (1) and
-- (2) still make such a contour restricted if a restricted zone's shape leads to it.  An
-- agent may not (42501: the WARNING is the owner's to answer; the append-only trigger
-- refuses it a direct UPDATE of the column too).  As the caller: the ids it reads.
CREATE FUNCTION @extschema@.zae_zone_history_acknowledge(hub name, ids bigint[]) RETURNS bigint
LANGUAGE plpgsql VOLATILE STRICT PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
  t regclass := pg_catalog.to_regclass(pg_catalog.format('%I.zae_zone_history', hub));
  listed bigint[];
  refused bigint[];
  n bigint;
BEGIN
  IF t IS NULL OR NOT EXISTS (SELECT FROM pg_catalog.pg_attribute a
                               WHERE a.attrelid OPERATOR(pg_catalog.=) t
                                 AND a.attname OPERATOR(pg_catalog.=) 'public_acknowledged' AND NOT a.attisdropped) THEN
    RAISE EXCEPTION 'hub "%" has no zae_zone_history.public_acknowledged', hub
      USING ERRCODE = '55000',
            HINT = pg_catalog.format('Run SELECT smartregion.create_hub(%L) with this build of smartregion first.', hub);
  END IF;
  IF NOT (@extschema@._caller_is_privileged()
          OR coalesce(@extschema@._caller_may_act_as(pg_catalog.pg_get_userbyid(
               (SELECT c.relowner FROM pg_catalog.pg_class c WHERE c.oid OPERATOR(pg_catalog.=) t))), false)) THEN
    RAISE EXCEPTION 'permission denied to acknowledge contours of %.zae_zone_history', pg_catalog.quote_ident(hub)
      USING ERRCODE = '42501',
            DETAIL = 'The contours create_hub lists as maybe a restricted zone''s are acknowledged by the hub''s owner or the platform administrator.',
            HINT = 'Ask the hub''s owner.';
  END IF;
  -- (who controls the hub's code, for a superuser or platform administrator caller: its
  -- UPDATE fires the table's triggers with the caller's rights; review of 2026-12-07, h12)
  PERFORM @extschema@._hub_code_guard(hub, 'zae_zone_history_acknowledge', true);
  -- (the ids listed now, and those acknowledged before: run again, nothing changes)
  EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(h.id) FROM %I.zae_zone_history h WHERE h.public_acknowledged', hub) INTO listed;
  listed := coalesce(@extschema@._zae_zone_history_renumbered_suspects(hub), '{}') OPERATOR(pg_catalog.||) coalesce(listed, '{}');
  SELECT pg_catalog.array_agg(DISTINCT i ORDER BY i) INTO refused FROM pg_catalog.unnest(ids) i
   WHERE i IS NULL OR i OPERATOR(pg_catalog.<>) ALL (listed);
  IF refused IS NOT NULL THEN
    RAISE EXCEPTION 'contours of %.zae_zone_history not listed by create_hub: id %', pg_catalog.quote_ident(hub),
                    pg_catalog.array_to_string(refused[1:20], ', ', 'NULL') OPERATOR(pg_catalog.||) CASE WHEN pg_catalog.cardinality(refused) OPERATOR(pg_catalog.>) 20 THEN ', ...' ELSE '' END
      USING ERRCODE = '22023',
            DETAIL = 'Only the public contours create_hub lists as maybe a restricted zone''s, renumbered and redrawn in one statement, are acknowledged; an acknowledgement makes nothing public.',
            HINT = pg_catalog.format('The contours listed now: SELECT smartregion._zae_zone_history_renumbered_suspects(%L).', hub);
  END IF;
  EXECUTE pg_catalog.format('UPDATE %I.zae_zone_history h SET public_acknowledged = true WHERE h.id OPERATOR(pg_catalog.=) ANY ($1) AND NOT h.public_acknowledged', hub)
    USING ids;
  GET DIAGNOSTICS n = ROW_COUNT;
  RETURN n;
END
$$;
COMMENT ON FUNCTION @extschema@.zae_zone_history_acknowledge(name, bigint[]) IS
  'the hub''s owner''s or the platform administrator''s answer to create_hub''s WARNING of public contours that may be a restricted zone''s (renumbered and redrawn in one statement by a build before 2026-12-07): marks the contours of ids (each one the WARNING lists now, or acknowledged before; 22023 otherwise) rightly public (zae_zone_history.public_acknowledged), so that create_hub lists them no more; changes no visibility; 42501 for any other role (an agent), 55000 for a hub whose create_hub has not added the column; the rows newly acknowledged';

-- The earlier contours a published call compares its zones with: those of the
-- zae_zone_history of every hub whose ZAE tables the texts read (every hub when a text''s
-- reads cannot be seen), as the caller reads them, whose interior meets a zone''s (any
-- zone_id: a zone deleted and another drawn in its place is the same attack).  The glue
-- passes the zones' EWKB in input order and hands the pairs to the core
-- (sr_zones_history_withheld).
CREATE FUNCTION @extschema@._zones_publication_history(texts_every_hub boolean, texts_relations oid[], zones bytea[],
                                                      OUT contours bytea[], OUT contour_zone_ids bigint[],
                                                      OUT pair_zone int[], OUT pair_contour int[],
                                                      OUT pair_always boolean[])
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
-- (index lookups, one a zone, estimated over jit_above_cost from a history never analysed:
-- JIT took 119 ms of a call of 5 zones that runs in 12 ms, and a call of 1,600 zones 2.3 to
-- 3.3 s instead of 0.4 to 0.6 s; docs/performance.md, "JIT")
SET jit = off
AS $$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  h name;
  q text := '';
  zsrid integer;
  osrid integer;
  ex0 float8;
  ey0 float8;
  ex1 float8;
  ey1 float8;
  nbox bigint;
  cs float8;
BEGIN
  contours := '{}'; contour_zone_ids := '{}'; pair_zone := '{}'; pair_contour := '{}'; pair_always := '{}';
  IF coalesce(pg_catalog.cardinality(zones), 0) OPERATOR(pg_catalog.=) 0 THEN
    RETURN;
  END IF;
  -- a hub without zae_zone_history (made by an older build, or the table dropped) was
  -- skipped: its zones compared neither with earlier contours nor with each other (a zone
  -- drawn inside another, each published alone: the third red team's route), for every
  -- caller.  Refused, naming the fix (2026-12-07, h2)
  SELECT x.hub INTO h FROM @extschema@._zones_texts_hubs(texts_every_hub, texts_relations, true, '{zae_zones,agents}') x(hub)
   WHERE pg_catalog.to_regclass(pg_catalog.format('%I.zae_zone_history', x.hub)) IS NULL LIMIT 1;
  IF h IS NOT NULL THEN
    RAISE EXCEPTION 'hub "%" has no table zae_zone_history', h
      USING ERRCODE = '55000',
            DETAIL = pg_catalog.format('A published call compares each zone with the earlier contours of %I.zae_zone_history and with the other zones of %I.zae_zones; hub "%s" was made by an older build of smartregion, or the table was dropped.', h, h, h),
            HINT = pg_catalog.format('Run SELECT smartregion.create_hub(%L) again, as the hub''s owner, then SELECT smartregion.grant_roles(%L).', h, h);
  END IF;
  -- (the zones of a call share one SRID: the core checks it)
  EXECUTE pg_catalog.format('SELECT %1$s.ST_SRID(%1$s.ST_GeomFromEWKB($1))', g) INTO zsrid USING zones[1];
  FOR h IN SELECT x.hub FROM @extschema@._zones_texts_hubs(texts_every_hub, texts_relations, true, '{zae_zone_history}') x(hub) LOOP
    -- (the SRID of the hub's zae_zones.geom, from its type modifier; 0 unconstrained)
    EXECUTE pg_catalog.format('SELECT %s.postgis_typmod_srid(a.atttypmod) FROM pg_catalog.pg_attribute a '
                              'WHERE a.attrelid OPERATOR(pg_catalog.=) $1 AND a.attname OPERATOR(pg_catalog.=) ''geom''', g)
      INTO osrid USING pg_catalog.format('%I.zae_zones', h)::pg_catalog.regclass;
    q := q OPERATOR(pg_catalog.||) CASE WHEN q OPERATOR(pg_catalog.=) '' THEN '' ELSE ' UNION ALL ' END
         -- (in the zones' SRID: a hub's history left in its former SRID after the zones
         -- were transformed, or another hub's, is compared all the same, never skipped)
         OPERATOR(pg_catalog.||) pg_catalog.format('SELECT h.id, h.zone_id, CASE WHEN %2$s.ST_SRID(h.geom) OPERATOR(pg_catalog.=) %3$s THEN h.geom '
                                                   'ELSE %2$s.ST_Transform(h.geom, %3$s) END AS geom, h.territory_type::text AS tt, h.territory_code::text AS tc, false AS cur '
                                                   'FROM %1$I.zae_zone_history h', h, g, zsrid)
         -- and the hub's other zones as they stand (the third red team, 2026-12-07):
         -- nothing keeps two zones of zae_zones from overlapping, and a zone drawn inside
         -- another, each published alone, is the redraw without its history
         OPERATOR(pg_catalog.||) ' UNION ALL '
         -- (the geometry itself when the column's SRID is the zones', so that its GiST
         -- index finds the zones meeting each: a call of every zone of a hub)
         OPERATOR(pg_catalog.||) pg_catalog.format('SELECT NULL::bigint, o.zone_id, %4$s, o.territory_type::text, o.territory_code::text, true FROM %1$I.zae_zones o', h, g, zsrid,
           CASE WHEN osrid OPERATOR(pg_catalog.=) zsrid THEN 'o.geom' ELSE pg_catalog.format('%1$s.ST_Transform(o.geom, %2$s)', g, zsrid) END);
  END LOOP;
  IF q OPERATOR(pg_catalog.=) '' THEN
    RETURN;
  END IF;
  -- The rows are read once and paired with the zones by a grid (2026-12-07, h3), not zone
  -- by zone: under the caller's row-level security the policies are evaluated before the
  -- GiST operator && (not leakproof), so that a lookup a zone read every row the caller may
  -- read, 1,600 x 3,000 rows for an agent's call of 1,600 zones (docs/performance-zones.md).
  -- The grid covers the zones' extent, about one cell a zone (cs, its side: at least
  -- sqrt(area / zones) and longest side / zones, so a row covers at most 3 x zones + 1 cells);
  -- a row's box is clipped to it, and each pair of boxes that meet is found once, in the
  -- cell of the lower left corner of their intersection.  Two geometries whose interiors
  -- meet have boxes that meet, so the pairs compared are the same as by &&.
  EXECUTE pg_catalog.format('SELECT min(%1$s.ST_XMin(z.g)), min(%1$s.ST_YMin(z.g)), max(%1$s.ST_XMax(z.g)), max(%1$s.ST_YMax(z.g)), '
                            'pg_catalog.count(%1$s.ST_XMin(z.g)) FROM (SELECT %1$s.ST_GeomFromEWKB(u.b) AS g FROM pg_catalog.unnest($1) u(b)) z', g)
    INTO ex0, ey0, ex1, ey1, nbox USING zones;
  IF nbox OPERATOR(pg_catalog.=) 0 THEN
    -- (only empty zones: nothing meets their interiors)
    RETURN;
  END IF;
  cs := GREATEST(pg_catalog.sqrt((ex1 OPERATOR(pg_catalog.-) ex0) OPERATOR(pg_catalog.*) (ey1 OPERATOR(pg_catalog.-) ey0) OPERATOR(pg_catalog./) nbox),
                            GREATEST(ex1 OPERATOR(pg_catalog.-) ex0, ey1 OPERATOR(pg_catalog.-) ey0) OPERATOR(pg_catalog./) nbox, 1e-9::float8);
  -- (a contour meeting several zones is passed once)
  EXECUTE pg_catalog.format(
    'WITH z0 AS (SELECT u.i::int AS i, u.b, %1$s.ST_GeomFromEWKB(u.b) AS g FROM pg_catalog.unnest($1) WITH ORDINALITY u(b, i)), '
    'zb AS (SELECT z0.*, %1$s.ST_XMin(z0.g) AS x0, %1$s.ST_YMin(z0.g) AS y0, %1$s.ST_XMax(z0.g) AS x1, %1$s.ST_YMax(z0.g) AS y1 FROM z0), '
    -- (the rows the caller reads whose box meets the zones' extent, read once: an index
    -- scan for a caller row-level security does not filter, the policies first otherwise)
    'hr AS MATERIALIZED (SELECT h.*, GREATEST(%1$s.ST_XMin(h.geom), $2) AS x0, GREATEST(%1$s.ST_YMin(h.geom), $3) AS y0, '
    'LEAST(%1$s.ST_XMax(h.geom), $4) AS x1, LEAST(%1$s.ST_YMax(h.geom), $5) AS y1 '
    'FROM (%2$s) h WHERE h.geom OPERATOR(%1$s.&&) %1$s.ST_MakeEnvelope($2, $3, $4, $5, %3$s)), '
    -- (the cells each box covers; a row's clipped box may be empty: no cell)
    'zc AS MATERIALIZED (SELECT zb.*, cx, cy FROM zb, '
    'pg_catalog.generate_series(pg_catalog.floor((zb.x0 OPERATOR(pg_catalog.-) $2) OPERATOR(pg_catalog./) $6)::int, pg_catalog.floor((zb.x1 OPERATOR(pg_catalog.-) $2) OPERATOR(pg_catalog./) $6)::int) cx, '
    'pg_catalog.generate_series(pg_catalog.floor((zb.y0 OPERATOR(pg_catalog.-) $3) OPERATOR(pg_catalog./) $6)::int, pg_catalog.floor((zb.y1 OPERATOR(pg_catalog.-) $3) OPERATOR(pg_catalog./) $6)::int) cy), '
    'hc AS MATERIALIZED (SELECT hr.*, cx, cy FROM hr, '
    'pg_catalog.generate_series(pg_catalog.floor((hr.x0 OPERATOR(pg_catalog.-) $2) OPERATOR(pg_catalog./) $6)::int, pg_catalog.floor((hr.x1 OPERATOR(pg_catalog.-) $2) OPERATOR(pg_catalog./) $6)::int) cx, '
    'pg_catalog.generate_series(pg_catalog.floor((hr.y0 OPERATOR(pg_catalog.-) $3) OPERATOR(pg_catalog./) $6)::int, pg_catalog.floor((hr.y1 OPERATOR(pg_catalog.-) $3) OPERATOR(pg_catalog./) $6)::int) cy), '
    -- (each zone's territory, as stored in a hub's zae_zones: NULL for a zone found in
    -- none; of two zones drawn alike, the first by territory)
    'cur AS (SELECT DISTINCT ON (1) %1$s.ST_AsEWKB(hr.geom) AS b, hr.tt, hr.tc FROM hr WHERE hr.cur ORDER BY 1, 2, 3), '
    'z AS (SELECT zb.i, zb.b, zb.g, t.tt, t.tc FROM zb LEFT JOIN cur t ON t.b OPERATOR(pg_catalog.=) zb.b), '
    -- (a contour equal to the zone, the zone itself among the hub's, has no difference)
    -- (always: a contour of another territory than the zone's withholds it whatever the
    -- difference, so that its release tells nothing of the data to whoever drew it)
    'p AS (SELECT zc.i, hc.zone_id, %1$s.ST_AsEWKB(hc.geom) AS b, (z.tt, z.tc) IS DISTINCT FROM (hc.tt, hc.tc) AS always '
    'FROM zc JOIN hc ON hc.cx OPERATOR(pg_catalog.=) zc.cx AND hc.cy OPERATOR(pg_catalog.=) zc.cy JOIN z ON z.i OPERATOR(pg_catalog.=) zc.i '
    'WHERE pg_catalog.floor((GREATEST(zc.x0, hc.x0) OPERATOR(pg_catalog.-) $2) OPERATOR(pg_catalog./) $6)::int OPERATOR(pg_catalog.=) zc.cx '
    'AND pg_catalog.floor((GREATEST(zc.y0, hc.y0) OPERATOR(pg_catalog.-) $3) OPERATOR(pg_catalog./) $6)::int OPERATOR(pg_catalog.=) zc.cy '
    'AND hc.geom OPERATOR(%1$s.&&) zc.g AND %1$s.ST_AsEWKB(hc.geom) OPERATOR(pg_catalog.<>) zc.b AND %1$s.ST_Relate(hc.geom, zc.g, ''T********'')), '
    'c AS (SELECT d.b, d.zone_id, (pg_catalog.row_number() OVER (ORDER BY d.b, d.zone_id))::int AS k '
    'FROM (SELECT DISTINCT p.b, p.zone_id FROM p) d) '
    'SELECT (SELECT coalesce(pg_catalog.array_agg(c.b ORDER BY c.k), ''{}'') FROM c), '
    '(SELECT coalesce(pg_catalog.array_agg(c.zone_id ORDER BY c.k), ''{}'') FROM c), '
    '(SELECT coalesce(pg_catalog.array_agg(p.i ORDER BY p.i, c.k), ''{}'') FROM p JOIN c ON c.b OPERATOR(pg_catalog.=) p.b AND c.zone_id OPERATOR(pg_catalog.=) p.zone_id), '
    '(SELECT coalesce(pg_catalog.array_agg(c.k ORDER BY p.i, c.k), ''{}'') FROM p JOIN c ON c.b OPERATOR(pg_catalog.=) p.b AND c.zone_id OPERATOR(pg_catalog.=) p.zone_id), '
    '(SELECT coalesce(pg_catalog.array_agg(p.always ORDER BY p.i, c.k), ''{}'') FROM p JOIN c ON c.b OPERATOR(pg_catalog.=) p.b AND c.zone_id OPERATOR(pg_catalog.=) p.zone_id)',
    g, q, zsrid)
    INTO contours, contour_zone_ids, pair_zone, pair_contour, pair_always USING zones, ex0, ey0, ex1, ey1, cs;
END
$$;
COMMENT ON FUNCTION @extschema@._zones_publication_history(boolean, oid[], bytea[]) IS
  'internal: the earlier contours (EWKB, distinct, with their zone_id) of the zae_zone_history of the hubs a published zone_indicators call''s texts read (texts_every_hub, texts_relations: _zones_texts_read, asked once by the caller; every hub when a text''s reads cannot be seen), and the other zones of their zae_zones as they stand (a zone drawn inside or across another), as the caller reads them, whose interiors meet those of the call''s zones (EWKB, input order; a contour equal to the zone left out), and the pairs (zone ordinal, contour ordinal, 1-based) that meet, with whether the contour''s territory is another than the zone''s (pair_always: the zone withheld whatever the difference); for the core''s sr_zones_history_withheld; 55000 for a hub (zae_zones and agents) without zae_zone_history';

-- The earlier contours a filtered caller cannot read (2026-12-07, h9): an agent's published
-- call does not see another territory's restricted contour overlapping one of its zones (a
-- zone may straddle a boundary), which the platform's call compares with; the agent's
-- release then differs from the platform's, and the two give units away.  For each zone
-- (EWKB, input order), whether such a contour meets it in a hub the texts read where
-- row-level security filters the caller's reads of zae_zone_history: asked of the hub's
-- _zae_zone_history_hidden (SECURITY DEFINER, its owner's; one boolean a zone).  The glue
-- withholds those zones, as _zones_publication_history's (conservative: it cannot compare
-- what it cannot read).  A hub whose function the caller may not execute answers true for
-- every zone (fail closed); a hub without it (made by an older build, or dropped), or with
-- another body of it than this build's create_hub writes, is refused (55000, naming the
-- fix: create_hub again).  NULL: none hidden.
CREATE FUNCTION @extschema@._zones_publication_hidden(texts_every_hub boolean, texts_relations oid[], zones bytea[])
RETURNS boolean[]
LANGUAGE plpgsql STABLE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  h name;
  f text;
  hub_hidden boolean[];
  hidden boolean[];
  nz integer := coalesce(pg_catalog.cardinality(zones), 0);
  stale text;
BEGIN
  IF nz OPERATOR(pg_catalog.=) 0 THEN
    RETURN NULL;
  END IF;
  hidden := pg_catalog.array_fill(false, ARRAY[nz]);
  -- the hubs where row-level security may hide a contour or a zone from the caller.  Not
  -- "a superuser or a platform administrator" (_caller_is_privileged, a member whatever its
  -- INHERIT): a NOINHERIT member of smartregion_platform_admin (PostgreSQL 16+: a grant
  -- WITH INHERIT FALSE) does not get the platform administrator's policies, so it reads
  -- what its own rows of agents show it, and was not asked, publishing a zone another
  -- territory's zone it could not read met (2026-12-07, h2).  Asked unless it reads every
  -- row of both tables (_caller_reads_every_row: a superuser, BYPASSRLS, the owner, the
  -- platform administrator's sr_platform_admin policy)
  FOR h IN SELECT x.hub FROM @extschema@._zones_texts_hubs(texts_every_hub, texts_relations, true, '{zae_zone_history}') x(hub)
            WHERE NOT (@extschema@._caller_reads_every_row(pg_catalog.format('%I.zae_zone_history', x.hub)::pg_catalog.regclass)
                       AND @extschema@._caller_reads_every_row(pg_catalog.format('%I.zae_zones', x.hub)::pg_catalog.regclass)) LOOP
    f := pg_catalog.format('%I._zae_zone_history_hidden(pg_catalog.name, pg_catalog.name, pg_catalog.bytea[])', h);
    -- a hub made by an older build lacks the function, or holds an older body of it (one
    -- that did not ask about the zones as they stand, the third red team's route): refused,
    -- naming the fix, rather than every zone withheld in silence or the zones published
    -- without the check (2026-12-07, h2; _hub_functions_stale compares the body with what
    -- this build's create_hub writes)
    SELECT x.problem INTO stale FROM @extschema@._hub_functions_stale(h, '_zae_zone_history_hidden') x;
    IF stale IS NOT NULL THEN
      RAISE EXCEPTION '%', CASE stale WHEN 'missing' THEN pg_catalog.format('hub "%s" has no function _zae_zone_history_hidden', h)
                                 ELSE pg_catalog.format('function %I._zae_zone_history_hidden of hub "%s" is not the one this build of smartregion writes', h, h) END
        USING ERRCODE = '55000',
              DETAIL = pg_catalog.format('A published call by a role that row-level security filters asks the hub which of its zones a contour or a zone the role cannot read meets; hub "%s" was made by an older build of smartregion, or its function was dropped or replaced since.', h),
              HINT = pg_catalog.format('Run SELECT smartregion.create_hub(%L) again, as the hub''s owner, then SELECT smartregion.grant_roles(%L).', h, h);
    END IF;
    -- (a caller that may not read the templates, before grant_roles, cannot tell: as one
    -- that may not execute the function, every zone withheld)
    IF NOT pg_catalog.has_function_privilege(f, 'EXECUTE') OR NOT pg_catalog.has_table_privilege('@extschema@.hub_table', 'SELECT') THEN
      hub_hidden := pg_catalog.array_fill(true, ARRAY[nz]);
    ELSE
      EXECUTE pg_catalog.format('SELECT %I._zae_zone_history_hidden($1, CURRENT_USER, $2)', h) INTO hub_hidden USING h, zones;
    END IF;
    hidden := ARRAY(SELECT s.a OR coalesce(s.b, true)
                      FROM ROWS FROM (pg_catalog.unnest(hidden), pg_catalog.unnest(hub_hidden)) WITH ORDINALITY s(a, b, i) ORDER BY s.i);
  END LOOP;
  RETURN CASE WHEN true OPERATOR(pg_catalog.=) ANY (hidden) THEN hidden END;
END
$$;
COMMENT ON FUNCTION @extschema@._zones_publication_hidden(boolean, oid[], bytea[]) IS
  'internal: for each zone (EWKB, input order) of a published zone_indicators call by a caller that row-level security filters, whether an earlier contour, or another zone as it stands, that it cannot read (another territory''s restricted one) meets its interior in a hub its texts read (texts_every_hub, texts_relations: _zones_texts_read; every hub when a text''s reads cannot be seen), as the hub''s SECURITY DEFINER _zae_zone_history_hidden answers (one boolean a zone; true for every zone of a hub whose function the caller may not execute; 55000 for a hub without it or with another version of it than this build''s create_hub writes: _hub_functions_stale); NULL when none is, and for a caller that reads every row of the hubs'' zae_zones and zae_zone_history (_caller_reads_every_row: a superuser, the platform administrator; not a NOINHERIT member of its group); the glue withholds the zones flagged true';

DO $do$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
BEGIN
  PERFORM @extschema@.register_hub_table('zae_zones', 'activity_zones', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_zones (
      zone_id    bigint PRIMARY KEY,
      site_nom   text NOT NULL,
      -- the CNIG standard's value lists (data/cnig/site-eco/schema.json)
      site_type  text NOT NULL DEFAULT 'zone d''activité économique' CHECK (site_type IN
                   ('zone d''activité économique', 'site économique historique hors ZAE',
                    'établissement économique isolé', 'zone AU à vocation économique', 'inconnu', 'autre', 'sans objet')),
      site_etat  text CHECK (site_etat IN ('en projet', 'création', 'existant et actif', 'projet de déclassement',
                   'déclassé', 'inconnu', 'autre', 'sans objet')),
      site_moa_type text CHECK (site_moa_type IN ('commune', 'epci', 'société d''économie mixte',
                   'chambre de commerce et industrie', 'Etat', 'privé', 'inconnu', 'autre', 'sans objet')),
      site_identif_date date,
      pole       bigint,          -- zones sharing a pole form one CNIG pole_eco
      pole_nom   text,
      comm_insee text CHECK (comm_insee ~ '^[0-9][0-9AB][0-9]{3}$'),
      epci_siren text CHECK (epci_siren ~ '^[0-9]{9}$'),
      geom       @g@.geometry(MultiPolygon, %2$s) NOT NULL CHECK (@g@.ST_IsValid(geom)));
    CREATE INDEX IF NOT EXISTS zae_zones_geom_idx ON %1$I.zae_zones USING gist (geom)
  $ddl$, '@g@', g), 50);
  PERFORM @extschema@.register_hub_table('zae_parcels', 'activity_zones', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_parcels (
      parcel_id    text PRIMARY KEY,
      land_unit_id text,
      owner_id     text,
      owner_kind   text CHECK (owner_kind IN ('legal_person', 'public', 'natural_person')),
      geom         @g@.geometry(MultiPolygon, %2$s) NOT NULL);
    CREATE INDEX IF NOT EXISTS zae_parcels_geom_idx ON %1$I.zae_parcels USING gist (geom);
    -- the data subjects' requests find an owner's parcels by it (subject_export,
    -- subject_erase: docs/governance.md, requests at scale)
    CREATE INDEX IF NOT EXISTS zae_parcels_owner_id_idx ON %1$I.zae_parcels (owner_id);
    CREATE OR REPLACE TRIGGER zae_parcels_owner_visibility
      BEFORE INSERT OR UPDATE ON %1$I.zae_parcels
      FOR EACH ROW EXECUTE FUNCTION @extschema@._zae_owner_visibility();
    -- a row lies in its territory (one trigger an event: a trigger with transition tables has one)
    CREATE OR REPLACE TRIGGER sr_zae_territory_ins AFTER INSERT ON %1$I.zae_parcels
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_row_in_territory('parcel_id');
    CREATE OR REPLACE TRIGGER sr_zae_territory_upd AFTER UPDATE ON %1$I.zae_parcels
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_row_in_territory('parcel_id')
  $ddl$, '@g@', g), 51);
  PERFORM @extschema@.register_hub_table('zae_buildings', 'activity_zones', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_buildings (
      building_id bigint PRIMARY KEY,
      levels      integer CHECK (levels >= 1),
      built_year  integer CHECK (built_year BETWEEN 1000 AND 2200),
      geom        @g@.geometry(MultiPolygon, %2$s) NOT NULL);
    CREATE INDEX IF NOT EXISTS zae_buildings_geom_idx ON %1$I.zae_buildings USING gist (geom);
    CREATE OR REPLACE TRIGGER sr_zae_territory_ins AFTER INSERT ON %1$I.zae_buildings
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_row_in_territory('building_id');
    CREATE OR REPLACE TRIGGER sr_zae_territory_upd AFTER UPDATE ON %1$I.zae_buildings
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_row_in_territory('building_id')
  $ddl$, '@g@', g), 52);
  PERFORM @extschema@.register_hub_table('zae_establishments', 'activity_zones', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_establishments (
      siret          text PRIMARY KEY CHECK (siret ~ '^[0-9]{14}$'),
      naf            text NOT NULL CHECK (naf ~ '^[0-9]{2}\.[0-9]{2}[A-Z]$'),
      headcount_band text NOT NULL CHECK (headcount_band IN
                       ('NN','00','01','02','03','11','12','21','22','31','32','41','42','51','52','53')),
      start_date     date,
      end_date       date CHECK (end_date >= start_date),
      cfe_liable     boolean NOT NULL DEFAULT true,
      synthetic      boolean NOT NULL DEFAULT false,
      -- the CNIG etablissement class (SIRENE unité légale): names, legal category, seat
      etab_raison_sociale text,
      etab_nat_juridique  text CHECK (etab_nat_juridique ~ '^[0-9]{4}$'),
      etab_nom            text,
      etab_siege          boolean,
      etab_effectif_annee integer CHECK (etab_effectif_annee BETWEEN 1900 AND 2200),
      geom           @g@.geometry(Point, %2$s),
      -- microdata under statistical and fiscal secrecy: restricted unless a territory
      -- publishes a row (readers see published rows without the confidential columns)
      visibility     @extschema@.visibility NOT NULL DEFAULT 'restricted');
    -- (said again for a table whose visibility create_hub restored: docs/platform.md)
    ALTER TABLE %1$I.zae_establishments ALTER COLUMN visibility SET DEFAULT 'restricted';
    CREATE INDEX IF NOT EXISTS zae_establishments_geom_idx ON %1$I.zae_establishments USING gist (geom);
    CREATE OR REPLACE TRIGGER zae_establishments_visibility
      BEFORE INSERT OR UPDATE ON %1$I.zae_establishments
      FOR EACH ROW EXECUTE FUNCTION @extschema@._zae_establishment_visibility();
    CREATE OR REPLACE TRIGGER sr_zae_territory_ins AFTER INSERT ON %1$I.zae_establishments
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_row_in_territory('siret');
    CREATE OR REPLACE TRIGGER sr_zae_territory_upd AFTER UPDATE ON %1$I.zae_establishments
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_row_in_territory('siret')
  $ddl$, '@g@', g), 53);
  -- the contours the zones had (route 1 of the second red team): after zae_zones, whose
  -- triggers it adds, so that create_hub run again on an existing hub adds them too
  PERFORM @extschema@.register_hub_table('zae_zone_history', 'activity_zones', pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.zae_zone_history (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      zone_id     bigint NOT NULL,
      geom        @g@.geometry(MultiPolygon, %2$s) NOT NULL,
      operation   text NOT NULL CHECK (operation IN ('update', 'delete', 'truncate')),
      replaced_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp());
    CREATE INDEX IF NOT EXISTS zae_zone_history_geom_idx ON %1$I.zae_zone_history USING gist (geom);
    -- A zone's identity, which a renumbering does not change (2026-12-07, zone identity: docs/zones.md,
    -- "Reused numbers and missing rows"): generated, kept by each contour the zone leaves,
    -- so that a zone made restricted takes the public contours of its zone_uid under
    -- whatever zone_id they were recorded (_zae_zone_history_restrict), with no chain of
    -- rows to break: a zone renumbered while the triggers were disabled, or whose
    -- renumbering's contour was purged, its former number taken again since.  Contours
    -- recorded before have none.  Never changed once given (sr_zae_zone_uid_fixed).
    ALTER TABLE %1$I.zae_zones ADD COLUMN IF NOT EXISTS zone_uid bigint GENERATED ALWAYS AS IDENTITY;
    COMMENT ON COLUMN %1$I.zae_zones.zone_uid IS
      'the zone''s identity (smartregion), generated, never changed: kept by each contour of zae_zone_history it leaves, which follows it made restricted whatever zone_id it was recorded under';
    ALTER TABLE %1$I.zae_zone_history ADD COLUMN IF NOT EXISTS zone_uid bigint;
    COMMENT ON COLUMN %1$I.zae_zone_history.zone_uid IS
      'the zone_uid of the zone of zae_zones that had this contour (NULL for a contour recorded before create_hub added it): made restricted with that zone, under whatever zone_id';
    CREATE INDEX IF NOT EXISTS zae_zone_history_zone_uid_idx ON %1$I.zae_zone_history (zone_uid);
    -- (and the zones by it: the append-only trigger asks, for every public contour an
    -- agent makes restricted under a zone_id a public zone holds, whether a zone of the
    -- contour's zone_uid stands restricted; without it, a scan of zae_zones a contour:
    -- docs/performance-zones.md, "An index on zone_uid"; IF NOT EXISTS: create_hub run
    -- again on a hub made before adds it)
    CREATE INDEX IF NOT EXISTS zae_zones_zone_uid_idx ON %1$I.zae_zones (zone_uid);
    CREATE OR REPLACE TRIGGER sr_zae_zone_uid_fixed BEFORE UPDATE OF zone_uid ON %1$I.zae_zones
      FOR EACH ROW WHEN (OLD.zone_uid IS DISTINCT FROM NEW.zone_uid) EXECUTE FUNCTION @extschema@._zae_zone_uid_fixed();
    -- (a contour's zone_uid is the recording trigger's to write: a non-owner's INSERT or
    -- COPY giving one refused, 2026-12-08, h8; grant_roles grants no INSERT on
    -- zae_zones.zone_uid)
    CREATE OR REPLACE TRIGGER sr_zae_zone_history_uid_given BEFORE INSERT ON %1$I.zae_zone_history
      FOR EACH ROW WHEN (NEW.zone_uid IS NOT NULL) EXECUTE FUNCTION @extschema@._zae_zone_history_uid_given();
    -- (the owner's answer to create_hub's WARNING of contours a renumbering may have left
    -- public: zae_zone_history_acknowledge; read by _zae_zone_history_renumbered_suspects
    -- alone, it makes nothing public; a column, not a table, so that the append-only trigger
    -- keeps it the owner's and the platform administrator's)
    ALTER TABLE %1$I.zae_zone_history ADD COLUMN IF NOT EXISTS public_acknowledged boolean NOT NULL DEFAULT false;
    COMMENT ON COLUMN %1$I.zae_zone_history.public_acknowledged IS
      'true once the hub''s owner or the platform administrator said this public contour, listed by create_hub as maybe a restricted zone''s, is rightly public (zae_zone_history_acknowledge): create_hub lists it no more; changes no visibility';
    COMMENT ON TABLE %1$I.zae_zone_history IS
      'the earlier contours of the activity zones (smartregion): every geometry a zone of zae_zones had before an update or a delete; a published zone_indicators call withholds a zone whose difference with an overlapping earlier contour would give establishments away (docs/zones.md); append-only but for the owner';
    CREATE OR REPLACE TRIGGER sr_zae_zone_history_append_only BEFORE UPDATE OR DELETE ON %1$I.zae_zone_history
      FOR EACH ROW EXECUTE FUNCTION @extschema@._zae_zone_history_append_only();
    CREATE OR REPLACE TRIGGER sr_zae_zone_history_no_truncate BEFORE TRUNCATE ON %1$I.zae_zone_history
      FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_zone_history_append_only();
    -- (UPDATE, not UPDATE OF geom: a column named in a trigger cannot change its type, and
    -- docs/platform.md transforms a hub's geometry columns with ALTER TABLE)
    -- (their argument: the contour keeps the zone's zone_uid; a hub made before had none)
    CREATE OR REPLACE TRIGGER sr_zae_zone_history AFTER UPDATE OR DELETE ON %1$I.zae_zones
      FOR EACH ROW EXECUTE FUNCTION @extschema@._zae_zone_history_record('zone_uid');
    CREATE OR REPLACE TRIGGER sr_zae_zone_history_truncate BEFORE TRUNCATE ON %1$I.zae_zones
      FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_zone_history_record('zone_uid');
    -- a zone made restricted (or inserted restricted) takes its earlier contours with it
    -- (statement triggers, after the row trigger sr_zae_zone_history; one an event: a
    -- trigger with transition tables has one; the row trigger of a hub made before dropped)
    DROP TRIGGER IF EXISTS sr_zae_zone_history_restrict ON %1$I.zae_zones;
    CREATE OR REPLACE TRIGGER sr_zae_zone_history_restrict_ins AFTER INSERT ON %1$I.zae_zones
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_zone_history_restrict('zone_uid');
    CREATE OR REPLACE TRIGGER sr_zae_zone_history_restrict_upd AFTER UPDATE ON %1$I.zae_zones
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._zae_zone_history_restrict('zone_uid');
    -- (a zone renumbered: its former zone_id's public contours made restricted, the row's
    -- old and new zone_id paired, which the statement's transition tables cannot do; the
    -- WHEN keeps bulk updates of other columns free of it; after sr_zae_zone_history, by
    -- name, which records the contour under the former zone_id first)
    CREATE OR REPLACE TRIGGER sr_zae_zone_history_renumber AFTER UPDATE OF zone_id ON %1$I.zae_zones
      FOR EACH ROW WHEN (OLD.zone_id IS DISTINCT FROM NEW.zone_id) EXECUTE FUNCTION @extschema@._zae_zone_history_restrict();
    CREATE INDEX IF NOT EXISTS zae_zone_history_zone_idx ON %1$I.zae_zone_history (zone_id);
    -- (contours recorded before zone_uid, whose chain of rows under their zone_id proves
    -- the zone standing there drew them, adopted by it: 2026-12-08, h8)
    SELECT @extschema@._zae_zone_history_adopt(%1$L);
    -- (a hub made before: the contours of the zones that stand restricted made restricted)
    SELECT @extschema@._zae_zone_history_restrict_hidden(%1$L);
    -- (and, renumbered before a renumbering took them, the public contours a zone that
    -- stands restricted left under its former zone_id: its shapes, and the contours
    -- recorded there before one; a WARNING lists those of a zone redrawn as renumbered)
    SELECT @extschema@._zae_zone_history_restrict_renumbered(%1$L);
    -- For each zone given (EWKB, input order), whether an earlier contour, or another
    -- zone as it stands (the third red team: a zone drawn inside another's), that role
    -- "caller" cannot read meets its interior, for _zones_publication_hidden: an agent's
    -- published call does not see another territory's restricted contour that overlaps
    -- one of its zones (a zone may straddle a boundary), which the platform's call compares
    -- with, so the agent withholds such a zone (docs/zones.md, "Earlier contours").
    -- SECURITY DEFINER (the hub's third such function), and why it gives out what it does:
    -- the caller cannot read the contours it must be compared with.  It answers one bit a
    -- zone, never a contour, a count, a zone_id or a territory: true where a contour
    -- "caller" cannot read (neither public nor of its territories in agents: the rule of
    -- the read policy sr_territory_read, "caller" for CURRENT_USER) meets the zone's
    -- interior; and true, saying nothing, for a geometry that is no zone of zae_zones as
    -- stored that "caller" reads (no probing with shapes of one's own), for a "caller" the
    -- session's user may not become (PostgreSQL gives a definer function no invoker: the
    -- glue passes CURRENT_USER, and a session may claim only a role it may SET ROLE to,
    -- whose rows it could read anyway), and for a schema "hub" whose zae_zones,
    -- zae_zone_history and agents are not all tables of this function's owner (it reads
    -- nothing else, and nothing another role made: no view, no function of the hub's
    -- schema; the schema is the caller's argument so that a renamed hub keeps the rule).
    -- Safeguards as _tl_places': the hub owner's, search_path pinned to pg_catalog and
    -- pg_temp, every name and operator qualified; EXECUTE revoked from PUBLIC, granted by
    -- grant_roles to the agents and the platform administrator.  (A string body, not
    -- BEGIN ATOMIC: a body bound to the tables would forbid transforming their geometry,
    -- docs/platform.md.)
    CREATE OR REPLACE FUNCTION %1$I._zae_zone_history_hidden(hub name, caller name, zones bytea[])
    RETURNS boolean[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER PARALLEL UNSAFE COST 1000
    SET search_path = pg_catalog, pg_temp
    -- (index lookups, three a zone, estimated over jit_above_cost for a call of thousands of
    -- zones: JIT took 5.4 s of 7.4 s for 6,400 zones; docs/performance-zones.md)
    SET jit = off
    AS $fn$
    DECLARE
      answer boolean[];
      may_become boolean;
      -- the history's contours compared where they are: by its GiST index when its geometry
      -- column has the zones' SRID (a contour meeting a zone's interior meets its box);
      -- else each transformed, every contour read for each zone (2.3-3.1 s instead of 0.15-0.21 s
      -- for 1,600 zones and 1,200 contours: docs/performance-zones.md)
      hist_where text := '@g@.ST_Relate(CASE WHEN @g@.ST_SRID(h.geom) OPERATOR(pg_catalog.=) @g@.ST_SRID(z.geom) THEN h.geom '
                         'ELSE @g@.ST_Transform(h.geom, @g@.ST_SRID(z.geom)) END, z.geom, ''T********'')';
    BEGIN
      IF coalesce(pg_catalog.cardinality(zones), 0) OPERATOR(pg_catalog.=) 0 THEN
        RETURN '{}';
      END IF;
      -- "caller" a role the session may SET ROLE to: on PostgreSQL 15 every member may
      -- (MEMBER); on 16+ only through grants WITH SET TRUE (pg_has_role's SET, which 15 does
      -- not know: that branch is never run there; on 17 the tests run it as a superuser session only, so
      -- its ADMIN-only case is untested, docs/security-reviews.md#r-noinherit-set)
      IF pg_catalog.current_setting('server_version_num')::pg_catalog.int4 OPERATOR(pg_catalog.>=) 160000 THEN
        may_become := EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) caller
                                 AND pg_catalog.pg_has_role(SESSION_USER, r.oid, 'SET'));
      ELSE
        may_become := EXISTS (SELECT FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) caller
                                 AND pg_catalog.pg_has_role(SESSION_USER, r.oid, 'MEMBER'));
      END IF;
      IF NOT may_become
         OR (SELECT pg_catalog.count(*) FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
              WHERE n.nspname OPERATOR(pg_catalog.=) hub
                AND c.relname OPERATOR(pg_catalog.=) ANY ('{zae_zones,zae_zone_history,agents}'::name[])
                AND c.relkind OPERATOR(pg_catalog.=) ANY ('{r,p}'::"char"[])
                AND pg_catalog.pg_get_userbyid(c.relowner) OPERATOR(pg_catalog.=) CURRENT_USER) OPERATOR(pg_catalog.<>) 3 THEN
        RETURN pg_catalog.array_fill(true, ARRAY[pg_catalog.cardinality(zones)]);
      END IF;
      -- (the SRIDs of the two geometry columns, from their type modifiers; 0 unconstrained)
      IF (SELECT pg_catalog.count(DISTINCT @g@.postgis_typmod_srid(a.atttypmod)) OPERATOR(pg_catalog.=) 1
                 AND pg_catalog.min(@g@.postgis_typmod_srid(a.atttypmod)) OPERATOR(pg_catalog.<>) 0
            FROM pg_catalog.pg_attribute a
           WHERE a.attrelid OPERATOR(pg_catalog.=) ANY (ARRAY[pg_catalog.format('%%I.zae_zones', hub)::pg_catalog.regclass,
                                                             pg_catalog.format('%%I.zae_zone_history', hub)::pg_catalog.regclass])
             AND a.attname OPERATOR(pg_catalog.=) 'geom' AND NOT a.attisdropped) THEN
        hist_where := 'h.geom OPERATOR(@g@.&&) z.geom AND @g@.ST_Relate(h.geom, z.geom, ''T********'')';
      END IF;
      EXECUTE pg_catalog.format(
        'SELECT pg_catalog.array_agg(coalesce((SELECT pg_catalog.bool_or(EXISTS ('
        '  SELECT FROM %%1$I.zae_zone_history h'
        '   WHERE %%2$s'
        '     AND NOT (h.visibility OPERATOR(pg_catalog.=) ''public''::@extschema@.visibility OR @mine_h@))'
        -- (and another zone as it stands that "caller" cannot read: the third red team)
        '  OR EXISTS (SELECT FROM %%1$I.zae_zones o'
        '   WHERE o.geom OPERATOR(@g@.&&) z.geom AND @g@.ST_Relate(o.geom, z.geom, ''T********'')'
        '     AND NOT (o.visibility OPERATOR(pg_catalog.=) ''public''::@extschema@.visibility OR @mine_o@)))'
        '  FROM %%1$I.zae_zones z'
        -- (the index first: one zone's lookup, not a scan of every zone's EWKB for each)
        ' WHERE z.geom OPERATOR(@g@.&&) @g@.ST_GeomFromEWKB(u.b)'
        '   AND @g@.ST_AsEWKB(z.geom) OPERATOR(pg_catalog.=) u.b'
        '   AND (z.visibility OPERATOR(pg_catalog.=) ''public''::@extschema@.visibility OR @mine_z@)), true) ORDER BY u.i)'
        ' FROM pg_catalog.unnest($1) WITH ORDINALITY u(b, i)', hub, hist_where)
        INTO answer USING zones, caller;
      RETURN answer;
    END
    $fn$;
    REVOKE ALL ON FUNCTION %1$I._zae_zone_history_hidden(name, name, bytea[]) FROM PUBLIC;
    -- (the extension's, as _tl_places: DROP EXTENSION takes it, create_hub makes it again)
    ALTER FUNCTION %1$I._zae_zone_history_hidden(name, name, bytea[]) DEPENDS ON EXTENSION smartregion;
    COMMENT ON FUNCTION %1$I._zae_zone_history_hidden(name, name, bytea[]) IS
      'internal (smartregion): for each zone given (EWKB, input order), whether an earlier contour of hub.zae_zone_history, or another zone of hub.zae_zones, that role caller cannot read (neither public nor of its territories) meets its interior; true for a geometry that is no zone of hub.zae_zones as stored that caller reads, for a caller the session may not become, and for a hub whose zae_zones, zae_zone_history and agents are not all tables of this function''s owner; one boolean a zone, nothing of the contours; for _zones_publication_hidden; SECURITY DEFINER, see the comment in the zae_zone_history DDL of smartregion'
  $ddl$, '@g@', g),
    '@mine_h@', pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(@extschema@._territory_mine_sql(NULL, 'h.territory_type', 'h.territory_code'), 'CURRENT_USER', '$2'), '%', '%%'), '''', '''''')),
    '@mine_z@', pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(@extschema@._territory_mine_sql(NULL, 'z.territory_type', 'z.territory_code'), 'CURRENT_USER', '$2'), '%', '%%'), '''', '''''')),
    '@mine_o@', pg_catalog.replace(pg_catalog.replace(pg_catalog.replace(@extschema@._territory_mine_sql(NULL, 'o.territory_type', 'o.territory_code'), 'CURRENT_USER', '$2'), '%', '%%'), '''', '''''')), 54);
END
$do$;

-- Catalogue and register of personal data ----------------------------------------
SELECT @extschema@.register_dataset('zae_zones', 'Activity zones',
  'Statutory inventory of the economic activity zones (Code de l''urbanisme L318-8-1): name, type, commune, EPCI, perimeter.',
  ARRAY['ECON', 'REGI'], ARRAY['ZAE', 'activity zones', 'CNIG site_eco'], 'ANNUAL');
SELECT @extschema@.register_dataset('zae_zone_history', 'Earlier contours of the activity zones',
  'Every perimeter an activity zone had before it was redrawn or deleted, with the time it was replaced: a published release of a zone is compared with them, so that two releases of different contours do not give establishments away.',
  ARRAY['ECON', 'REGI'], ARRAY['ZAE', 'activity zones', 'history'], 'IRREG', 'replaced_at');
SELECT @extschema@.register_dataset('zae_parcels', 'Parcels of the activity zones',
  'Cadastral parcels of the activity zones with their land unit and owner (owners who are natural persons are restricted and never published).',
  ARRAY['ECON', 'REGI'], ARRAY['ZAE', 'parcels', 'land units', 'vacancy'], 'ANNUAL', NULL, 'RESTRICTED');
SELECT @extschema@.register_dataset('zae_buildings', 'Buildings of the activity zones',
  'Buildings of the activity zones with their number of levels and year of construction.',
  ARRAY['ECON', 'REGI'], ARRAY['ZAE', 'buildings'], 'ANNUAL', 'built_year');
SELECT @extschema@.register_dataset('zae_establishments', 'Establishments of the activity zones',
  'Establishments located in the activity zones (SIRET, NAF code, headcount band, activity dates, CFE liability); restricted by default, published only as aggregates through statistical secrecy; CFE liability (fiscal) and headcount band (statistical) are confidential columns.',
  ARRAY['ECON'], ARRAY['ZAE', 'establishments', 'SIRENE'], 'MONTHLY', 'start_date', 'RESTRICTED');
SELECT @extschema@.register_confidential_data('zae_establishments', 'cfe_liable', 'fiscal',
  'liability of the establishment to the cotisation foncière des entreprises (CFE), from the tax administration',
  'Livre des procédures fiscales, article L103 (secret professionnel en matière fiscale); Code de l''urbanisme, article L318-8-2 (the inventory may use it, not publish it)');
SELECT @extschema@.register_confidential_data('zae_establishments', 'headcount_band', 'statistical',
  'INSEE headcount band of the establishment: the jobs estimates are sums of its band midpoints, published per zone and sector only through statistical secrecy',
  'Loi n° 51-711 du 7 juin 1951 sur l''obligation, la coordination et le secret en matière de statistiques, article 6');
SELECT @extschema@.register_personal_data('zae_parcels', 'owner_id', 'subject_id',
  'identification (owner account of the land register)', 'natural-person owners of parcels in activity zones',
  'statutory inventory of activity zones: vacancy and land availability', 'legal_obligation',
  'EPCI services in charge of the inventory; never published (CNIG exports leave owners out)', interval '6 years',
  'pseudonymise', subject_filter => 'coalesce(owner_kind, ''natural_person'') = ''natural_person''',
  legal_reference => 'Code de l''urbanisme, articles L318-8-1 and L318-8-2 (inventory of activity zones, updated at least every six years)');
-- a sole trader (entrepreneur individuel, legal category 1xxx) is a natural person: the SIRET
-- identifies the person, and the legal and usual names are the person's name
SELECT @extschema@.register_personal_data('zae_establishments', 'siret', 'subject_id',
  'identification (SIRET of a sole trader)', 'sole traders (entrepreneurs individuels) with an establishment in an activity zone',
  'statutory inventory of activity zones: establishments, vacancy, indicators', 'legal_obligation',
  'EPCI services in charge of the inventory; never published (CNIG exports never list sole traders)', interval '6 years',
  'delete', subject_filter => 'coalesce(etab_nat_juridique, ''1'') LIKE ''1%''',
  legal_reference => 'Code de l''urbanisme, articles L318-8-1 and L318-8-2 (inventory of activity zones, updated at least every six years)');
SELECT @extschema@.register_personal_data('zae_establishments', c, 'direct',
  'identification (name of a sole trader)', 'sole traders (entrepreneurs individuels) with an establishment in an activity zone',
  'statutory inventory of activity zones: establishments, vacancy, indicators', 'legal_obligation',
  'EPCI services in charge of the inventory; never published (CNIG exports write [ND] and never list sole traders)',
  interval '6 years', 'delete', subject_filter => 'coalesce(etab_nat_juridique, ''1'') LIKE ''1%''',
  legal_reference => 'Code de l''urbanisme, articles L318-8-1 and L318-8-2 (inventory of activity zones, updated at least every six years)')
  FROM unnest(ARRAY['etab_raison_sociale', 'etab_nom']::name[]) c;
-- beside SIRENE's open files (geolocated establishments, creation dates), a sole trader's
-- exact point and dates give the SIRET back: the analysts' views leave them out on those rows
SELECT @extschema@.register_personal_data('zae_establishments', c, 'quasi',
  'location and dates of a sole trader''s establishment (often the home)', 'sole traders (entrepreneurs individuels) with an establishment in an activity zone',
  'statutory inventory of activity zones: establishments, vacancy, indicators', 'legal_obligation',
  'EPCI services in charge of the inventory; never published (CNIG exports never list sole traders)',
  interval '6 years', 'delete', subject_filter => 'coalesce(etab_nat_juridique, ''1'') LIKE ''1%''',
  legal_reference => 'Code de l''urbanisme, articles L318-8-1 and L318-8-2 (inventory of activity zones, updated at least every six years)')
  FROM unnest(ARRAY['geom', 'start_date', 'end_date']::name[]) c;

SELECT @extschema@.register_service('activity_zones', '0.1.0',
  'activity-zone observatory: statutory ZAE inventory, vacancy, indicators, land consumption (ZAN) and statistical secrecy',
  ARRAY['zone_indicators', 'land_unit_vacancy', 'land_consumption', 'statistical_secrecy']);
-- (registered again with its CNIG exports and set_secrecy_rules at the end of 66-secrecy-rules.sql)

-- (ROWS of these functions: a region's order of magnitude, 1,000 zones, 10,000 land units,
-- 100,000 placed objects; the CNIG exports join their results, and estimates of 5 rows made
-- the planner run a nested loop over zone_indicators' rows for each establishment)
CREATE FUNCTION @extschema@._zone_placement(zones_sql text, parcels_sql text, buildings_sql text,
                                            establishments_sql text, at date DEFAULT NULL)
RETURNS TABLE (kind text, id text, parcel_id text, land_unit_id text, zone_id bigint)
AS 'MODULE_PATHNAME', 'sr_fn_zone_placement'
LANGUAGE C STABLE CALLED ON NULL INPUT PARALLEL UNSAFE COST 10000 ROWS 100000;
COMMENT ON FUNCTION @extschema@._zone_placement(text, text, text, text, date) IS
  'internal: where zone_indicators places every parcel, building and establishment (kind, id, parcel, land unit, zone; NULL when outside), for the CNIG exports; with at, only the buildings standing then (built_year unknown or not after the year of at), as zone_indicators counts them; for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)';
