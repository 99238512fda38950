-- ---------------------------------------------------------------------------
-- Roofs resolved over their area (issue 18): the sample cells of every roof
-- face, for maps and tiles of where on a roof the sun is.  solar_cadastre
-- itself gives each face's means, percentiles and sunny area (its option
-- "sampling").  Reference: docs/cadastre.md.
-- ---------------------------------------------------------------------------

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.solar_cadastre_cells(buildings_sql text, sky @extschema@.sky,
    options jsonb DEFAULT '{}')
RETURNS TABLE (building_id bigint, face int, geom @postgis@.geometry, area_m2 float8,
               usable_area_m2 float8, annual_kwh_m2 float8, pv_plane_kwh_m2 float8, sunny boolean)
  AS 'MODULE_PATHNAME', 'sr_fn_solar_cadastre_cells' LANGUAGE C STABLE PARALLEL UNSAFE COST 10000 ROWS 100000
$ddl$);
COMMENT ON FUNCTION @extschema@.solar_cadastre_cells(text, @extschema@.sky, jsonb) IS
  'the sample cells of every roof face of solar_cadastre (same arguments and options, sampling area): each cell''s square in the roof plane, its share of the face and of the usable area, its annual irradiation on the roof and on the PV plane, and whether it is sunny (reaches sunny_class)';

-- an entry point of the service solar_cadastre (30-cadastre.sql registered it)
SELECT @extschema@.register_service(s.name, s.version, s.description,
                                    s.entry_points OPERATOR(pg_catalog.||) ARRAY['solar_cadastre_cells'])
  FROM @extschema@.service s WHERE s.name OPERATOR(pg_catalog.=) 'solar_cadastre';

-- a roof cell's key for tiles: the Morton (quadkey) code of the centre of its Web-Mercator
-- box at zoom 24 (the z24 tile it lies in, x and y bits interleaved: x in the even bits, y
-- in the odd ones), so the cells of a tile at zoom z are the keys of one range,
-- [m << 2(24 - z), ((m + 1) << 2(24 - z)) - 1] for m the tile's own code (solar_tile).
-- NULL for a cell whose box reaches farther than half a z22 tile (4.78 m of Web Mercator,
-- 3.4 m on the ground at 45 degrees N) from its centre: solar_tile finds a cell by its key
-- only in the tile and its 8 neighbours, which must hold every cell overlapping the tile's
-- buffer; a NULL key is always read.  The rule is the core's (cadastre_tile_key.c); the
-- geometry comes as EWKB, the wall's format: a geometry argument would make an IMMUTABLE
-- function suspect of reading spatial_ref_sys, and a box2d is PostGIS's internal struct
CREATE FUNCTION @extschema@._tile_key(geom_3857_ewkb bytea)
RETURNS bigint
  AS 'MODULE_PATHNAME', 'sr_fn_tile_key' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@._tile_key(bytea) IS
  'internal: the key of a roof cell for tiles (solar_roof_cells.tile_key) from the EWKB of its geometry in Web Mercator (SRID 3857): the Morton code of the z24 tile of the centre of its box, NULL when the box is wider or taller than a z22 tile (9.55 m) or the geometry is empty';

-- the ranges of keys of a tile's cells for solar_tile: the z22 squares meeting the tile grown
-- by its buffer and half a square, quadtree blocks, adjacent ranges merged, at most 64 (the
-- smallest gaps closed beyond); the same core rule as the keys
CREATE FUNCTION @extschema@._tile_key_ranges(z int, x int, y int, buffer_m float8)
RETURNS TABLE (lo bigint, hi bigint)
  AS 'MODULE_PATHNAME', 'sr_fn_tile_key_ranges' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10 ROWS 32;
COMMENT ON FUNCTION @extschema@._tile_key_ranges(int, int, int, float8) IS
  'internal: the ranges [lo, hi] of the tile keys (solar_roof_cells.tile_key) of the cells solar_tile reads for tile z/x/y with a buffer of buffer_m metres of Web Mercator: every key of the z22 squares meeting the tile grown by buffer_m and half a z22 square (every keyed cell meeting the tile grown by buffer_m), ascending, adjacent ones merged, at most 64 (the smallest gaps between them closed beyond)';

-- a cell's key kept with its place, by this trigger alone: every insert gets the true key
-- (an explicit one is replaced: a wrong key would hide the cell from the tiles it overlaps),
-- and so does every update of geom or tile_key (refresh_solar_roof_cells and create_hub's
-- fill of a hub made before write no key: they leave it to this trigger).  C (roofarea.c):
-- the key of _tile_key(ST_AsEWKB(ST_Transform(geom, 3857))), PostGIS's transformation then
-- the core's rule, without a PL/pgSQL call and its SQL expression per row (about 7 s of a
-- refresh of Lyon 1er's 598,425 cells: docs/web.md)
CREATE FUNCTION @extschema@._cells_tile_key() RETURNS trigger
  AS 'MODULE_PATHNAME', 'sr_fn_cells_tile_key' LANGUAGE C VOLATILE PARALLEL UNSAFE COST 100;
COMMENT ON FUNCTION @extschema@._cells_tile_key() IS
  'internal: trigger of a hub''s solar_roof_cells (BEFORE INSERT, BEFORE UPDATE OF geom, tile_key, FOR EACH ROW), the only writer of tile_key: the row''s key computed from its geom (_tile_key of the geometry transformed to Web Mercator by ST_Transform) on every insert, an explicit key replaced, and on every update of geom or tile_key';

-- the hub's solar_roof_cells, refreshed from the cells --------------------------
-- (a hub table: create_hub makes it, and makes it again in a hub made before it)
DO $do$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
BEGIN
  PERFORM @extschema@.register_hub_table('solar_roof_cells', 'solar_cadastre', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.solar_roof_cells (
      cell_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      building_id      bigint NOT NULL,
      face             int NOT NULL,
      geom             @g@.geometry(PolygonZ, %2$s) NOT NULL,
      area_m2          float8,
      usable_area_m2   float8,
      annual_kwh_m2    float8,
      pv_plane_kwh_m2  float8,
      sunny            boolean,
      tile_key         bigint);
    -- ids are the database's (a hub made before took explicit ones): an id taken ahead by
    -- one territory would fail another's next insert, 23505 on a row it cannot see
    ALTER TABLE %1$I.solar_roof_cells ALTER COLUMN cell_id SET GENERATED ALWAYS;
    CREATE INDEX IF NOT EXISTS solar_roof_cells_face_idx ON %1$I.solar_roof_cells (building_id, face);
    CREATE INDEX IF NOT EXISTS solar_roof_cells_geom_idx ON %1$I.solar_roof_cells USING gist (geom);
    -- the cell's place as an integer (_tile_key): a reader under the territories' policies
    -- finds a tile's cells by its btree index, whose comparisons are LEAKPROOF (the gist
    -- index's && is not, and PostgreSQL evaluates the policy first).  A hub made before gets
    -- the column and its cells their keys, once (a create_hub on an up-to-date hub writes
    -- nothing: no provenance recorded)
    DO $k$
    DECLARE
      added boolean := NOT EXISTS (
        SELECT 1 FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_class c ON c.oid OPERATOR(pg_catalog.=) a.attrelid
          JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
         WHERE n.nspname OPERATOR(pg_catalog.=) %1$L AND c.relname OPERATOR(pg_catalog.=) 'solar_roof_cells'
           AND a.attname OPERATOR(pg_catalog.=) 'tile_key' AND NOT a.attisdropped);
    BEGIN
      IF added THEN
        ALTER TABLE %1$I.solar_roof_cells ADD COLUMN tile_key bigint;
      END IF;
      -- (a hub made before has its insert trigger WHEN the key is NULL: replaced)
      CREATE OR REPLACE TRIGGER sr_cells_tile_key_insert BEFORE INSERT ON %1$I.solar_roof_cells
        FOR EACH ROW EXECUTE FUNCTION @extschema@._cells_tile_key();
      CREATE OR REPLACE TRIGGER sr_cells_tile_key_update BEFORE UPDATE OF geom, tile_key ON %1$I.solar_roof_cells
        FOR EACH ROW EXECUTE FUNCTION @extschema@._cells_tile_key();
      -- the keys of the cells of a hub made before, by the trigger (the one writer)
      -- (create_hub's upgrade step, on a hub with cells only: the UPDATE fires the table's
      -- triggers and checks its CHECKs as the caller, _hub_upgrade_guard, r-hub-guards)
      IF added THEN
        PERFORM @extschema@._hub_upgrade_guard(%1$L, 'the tile keys of solar_roof_cells',
                                               pg_catalog.format('%%I.solar_roof_cells', %1$L)::pg_catalog.regclass);
      END IF;
      IF added AND EXISTS (SELECT FROM %1$I.solar_roof_cells) THEN
        PERFORM @extschema@._hub_upgrade_guard(%1$L, 'the tile keys of solar_roof_cells');
        UPDATE %1$I.solar_roof_cells SET tile_key = NULL;
      END IF;
    END
    $k$;
    CREATE INDEX IF NOT EXISTS solar_roof_cells_tile_key_idx ON %1$I.solar_roof_cells (tile_key);
    -- the rows the cascade of sr_restrict_derived restricted, which their parent made public
    -- again takes back (h7; create_hub adds the trigger sr_restricted_by_hand that clears
    -- the mark of a row whose visibility is written by hand, once the table has visibility)
    ALTER TABLE %1$I.solar_roof_cells ADD COLUMN IF NOT EXISTS restricted_with_parent boolean NOT NULL DEFAULT false;
    -- a row is of its parent's territory, for an agent (_hub_derived_territory; the red team of
    -- 2026-12-07, h9: its key names no territory)
    CREATE OR REPLACE TRIGGER sr_derived_territory_ins AFTER INSERT ON %1$I.solar_roof_cells
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_derived_territory();
    CREATE OR REPLACE TRIGGER sr_derived_territory_upd AFTER UPDATE ON %1$I.solar_roof_cells
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_derived_territory()
  $ddl$, '@g@', g), 31);
END
$do$;

CREATE FUNCTION @extschema@.refresh_solar_roof_cells(sky @extschema@.sky, buildings_sql text DEFAULT NULL,
    options jsonb DEFAULT '{}', target_schema name DEFAULT 'hub',
    query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE (inserted bigint, deleted bigint)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100000
-- pinned; buildings_sql (and the options' terrain_sql, trees_sql) run with the
-- caller's search_path, query_search_path (its default is evaluated in the
-- caller's context), set only while the two statements reading them execute,
-- as refresh_solar_roofs does (docs/query-arguments.md)
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (22004 naming the argument: the shared NULL check, docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('target_schema', target_schema);
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  v_srid int;
  q text;
  v_marked boolean;
BEGIN
  -- (an agent's: its territories' buildings the targets, the others' public ones obstacles)
  q := coalesce(buildings_sql, @extschema@._refresh_buildings_sql(target_schema, 'solar_roof_cells'));
  -- its temporary tables first, empty: created between its reads, they changed the
  -- catalogue, and each read checked the hub and the texts again (the guards' memo holds
  -- while the catalogue is unchanged, query.c)
  CREATE TEMP TABLE pg_temp.sr_refresh_cells ON COMMIT DROP AS
  SELECT * FROM @extschema@.solar_cadastre_cells(q, sky, options) WITH NO DATA;
  CREATE TEMP TABLE pg_temp.sr_refresh_cells_territory ON COMMIT DROP AS
  SELECT * FROM @extschema@._refresh_territories(q, query_search_path) WITH NO DATA;
  -- (who controls the hub's code: the hub written, then the hubs its texts read; C, other
  -- callers return at once, and solar_cadastre, _refresh_targets and _refresh_territories,
  -- given the same texts in this statement, do not check them again: _query_read_guard)
  PERFORM @extschema@._hub_read_guard(target_schema, 'refresh_solar_roof_cells');
  v_srid := @extschema@.hub_srid(target_schema);
  PERFORM @extschema@._query_read_guard('refresh_solar_roof_cells', ARRAY[q, options OPERATOR(pg_catalog.->>) 'terrain_sql',
                                          options OPERATOR(pg_catalog.->>) 'trees_sql'],
                                        coalesce(query_search_path, 'pg_catalog, pg_temp'));
  IF pg_catalog.to_regclass(pg_catalog.format('%I.solar_roof_cells', target_schema)) IS NULL OR v_srid IS NULL THEN
    RAISE EXCEPTION 'schema "%" has no hub with a solar_roof_cells table', target_schema
      USING ERRCODE = '42P01', HINT = 'Run smartregion.create_hub() (again, for a hub made before this table).';
  END IF;
  -- (a hub made by an older build has no restricted_with_parent: no mark written)
  -- (and the hub's buildings, whose visibility the mark needs: none, no mark)
  v_marked := @extschema@._hub_derived_marked(pg_catalog.format('%I.solar_roof_cells', target_schema)::pg_catalog.regclass)
              AND pg_catalog.to_regclass(pg_catalog.format('%I.buildings', target_schema)) IS NOT NULL;
  -- the cells, in the hub's SRID (the cadastre answers in its buildings' SRID)
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  INSERT INTO pg_temp.sr_refresh_cells SELECT * FROM @extschema@.solar_cadastre_cells(q, sky, options);
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
  -- (a cell is always 3D, in its roof's plane: a 2D footprint's at ground_z + height)
  PERFORM @extschema@._refresh_to_hub_srid('pg_temp.sr_refresh_cells', v_srid);
  -- one refresh of the hub's cells at a time (readers are not blocked): cells have no
  -- natural key to upsert on, so two refreshes of one building, each deleting what its
  -- snapshot sees, would both insert their cells
  EXECUTE pg_catalog.format('LOCK TABLE %I.solar_roof_cells IN SHARE ROW EXCLUSIVE MODE', target_schema);
  EXECUTE pg_catalog.format($q$
    WITH gone AS (
      DELETE FROM %1$I.solar_roof_cells s
       WHERE s.building_id OPERATOR(pg_catalog.=) ANY (SELECT t.id FROM @extschema@._refresh_targets($1, $2) t(id)
                                                       UNION SELECT r.building_id FROM pg_temp.sr_refresh_cells r)
      RETURNING 1)
    SELECT pg_catalog.count(*) FROM gone$q$, target_schema) INTO deleted USING q, query_search_path;
  -- each cell is its building's: its territory and visibility (restricted when the query
  -- does not say), as refresh_solar_roofs' faces (the query read last, after the targets),
  -- marked restricted_with_parent when restricted with their building
  INSERT INTO pg_temp.sr_refresh_cells_territory SELECT * FROM @extschema@._refresh_territories(q, query_search_path);
  EXECUTE pg_catalog.format($q$
    WITH ins AS (
      INSERT INTO %1$I.solar_roof_cells (building_id, face, geom, area_m2, usable_area_m2,
             annual_kwh_m2, pv_plane_kwh_m2, sunny, territory_code, territory_type, visibility%2$s)
      SELECT r.building_id, r.face, r.geom, r.area_m2, r.usable_area_m2, r.annual_kwh_m2,
             r.pv_plane_kwh_m2, r.sunny, t.territory_code, t.territory_type,
             coalesce(t.visibility, 'restricted'::@extschema@.visibility)%3$s
        FROM pg_temp.sr_refresh_cells r
        -- (each cell's tile_key: the table's trigger, _cells_tile_key)
        LEFT JOIN pg_temp.sr_refresh_cells_territory t ON t.id OPERATOR(pg_catalog.=) r.building_id
       ORDER BY r.building_id, r.face
      RETURNING 1)
    SELECT pg_catalog.count(*) FROM ins$q$, target_schema,
    CASE WHEN v_marked THEN ', restricted_with_parent' ELSE '' END,
    -- (marked when the query says restricted and the hub's building is, as the caller reads
    -- it: a custom query's "restricted" for a building public in the hub is its writer's
    -- choice, not the cascade's, which the building made restricted then public again would
    -- publish; before 2026-12-07, h3, the query's word alone marked it)
    CASE WHEN v_marked THEN ', coalesce(t.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'' '
                            'AND EXISTS (SELECT 1 FROM ' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(target_schema)
                            OPERATOR(pg_catalog.||) '.buildings b WHERE b.id OPERATOR(pg_catalog.=) r.building_id '
                            'AND b.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted''), false)' ELSE '' END) INTO inserted;
  DROP TABLE pg_temp.sr_refresh_cells;
  DROP TABLE pg_temp.sr_refresh_cells_territory;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_solar_roof_cells(@extschema@.sky, text, jsonb, name, text) IS
  'computes the sample cells of the roofs of the hub''s buildings (or of buildings_sql: solar_cadastre_cells, sampling area) under a sky and writes them into <target_schema>.solar_roof_cells in the hub''s SRID: the cells of every target building are replaced; returns the cells inserted and deleted';

CREATE FUNCTION @extschema@.solar_cells_tile(z int, x int, y int, cells_table text DEFAULT 'hub.solar_roof_cells')
RETURNS bytea
-- (PL/pgSQL, not SQL, whose body is looked up before any statement runs)
LANGUAGE plpgsql STABLE STRICT PARALLEL RESTRICTED COST 1000   -- (solar_tile's: a temporary table)
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage solar_cells_tile
  RETURN @extschema@.solar_tile(z, x, y, cells_table);
END
$$;
COMMENT ON FUNCTION @extschema@.solar_cells_tile(int, int, int, text) IS
  'Mapbox Vector Tile (layer cells, from zoom 16; empty below; at zooms 16 and 17 each face''s cells merged into blocks of 1/64 of the tile, area-weighted) of the roof cells stored in cells_table (default the hub''s solar_roof_cells): solar_tile over that table, a function layer of its own for make serve, pg_tileserv or Martin';

-- what a tile server cannot learn from a tile function's signature: the layers inside its
-- tiles, their attributes, the zooms where it has features (TileJSON 3.0.0 requires
-- vector_layers of a vector tileset); make serve merges it into each layer's TileJSON
CREATE FUNCTION @extschema@.tile_layers()
RETURNS TABLE (layer text, tile_function regprocedure, tilejson jsonb)
-- (PL/pgSQL, not SQL, whose body is looked up before any statement runs)
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 1 ROWS 2
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage tile_layers
  RETURN QUERY
  SELECT 'solar'::text, '@extschema@.solar_tile(int, int, int, text)'::pg_catalog.regprocedure,
         pg_catalog.jsonb_build_object('minzoom', 0, 'maxzoom', 22, 'vector_layers', pg_catalog.jsonb_build_array(
           pg_catalog.jsonb_build_object('id', 'roofs', 'minzoom', 0, 'maxzoom', 22,
             'description', 'the roof faces of the solar cadastre (hub.solar_roofs)',
             'fields', pg_catalog.jsonb_build_object(
               'building_id', 'Number: the building''s id',
               'face', 'Number: the roof face within its building',
               'annual_kwh_m2', 'Number: annual irradiation on the roof, kWh/m2 (0.1)',
               'shading_loss_pct', 'Number: the share of the open sky''s irradiation lost to the obstacles, % (0.1)',
               'pv_kwp', 'Number: the PV power the face can hold, kWp (0.01)',
               'pv_kwh_year', 'Number: the PV yield of a year, kWh',
               'potential_class', 'String: the potential class (unsuitable, low, medium, good, excellent)'))))
  UNION ALL
  SELECT 'solar_cells'::text, '@extschema@.solar_cells_tile(int, int, int, text)'::pg_catalog.regprocedure,
         pg_catalog.jsonb_build_object('minzoom', 16, 'maxzoom', 22, 'vector_layers', pg_catalog.jsonb_build_array(
           pg_catalog.jsonb_build_object('id', 'cells', 'minzoom', 16, 'maxzoom', 22,
             'description', 'the roofs'' 1 m cells (hub.solar_roof_cells): where on each roof the sun is; at zooms 16 and 17 each face''s cells merged into blocks, the squares of the tile''s 64 x 64 grid',
             'fields', pg_catalog.jsonb_build_object(
               'building_id', 'Number: the building''s id',
               'face', 'Number: the roof face within its building',
               'annual_kwh_m2', 'Number: annual irradiation of the cell on the roof, kWh/m2 (0.1; a block''s: its cells'' mean weighted by their area, 1)',
               'pv_plane_kwh_m2', 'Number: annual irradiation on the plane of the PV modules, kWh/m2 (0.1; a block''s: its cells'' mean weighted by their area, 1)',
               'usable_area_m2', 'Number: the cell''s area outside the setbacks, m2 (0.01; a block''s: its cells'' sum, 0.1)',
               'sunny', 'Boolean: the cell reaches the class threshold (worth equipping; a block: its sunny cells hold at least half of its usable area)',
               'cells', 'Number: zooms 16 and 17, the cells merged into the block'))));
END
$$;
COMMENT ON FUNCTION @extschema@.tile_layers() IS
  'the tile functions'' TileJSON 3.0.0 metadata (the vector layers inside their tiles, their attributes, the zooms where they have features), merged by make serve into /tiles/<layer>.json';

SELECT @extschema@.register_dataset('solar_roof_cells', 'Solar cadastre: cells of the roofs',
  'Where on each roof the sun is: the annual irradiation of every square metre (a cell of the roof''s plane) of the roofs, on the roof and on the plane of the PV modules, and whether it is worth equipping.',
  ARRAY['ENER', 'ENVI'], ARRAY['solar', 'photovoltaics', 'roofs', 'irradiation'], 'ANNUAL');

SELECT @extschema@.register_service(s.name, s.version, s.description,
                                    s.entry_points OPERATOR(pg_catalog.||) ARRAY['refresh_solar_roof_cells', 'solar_cells_tile', 'tile_layers'])
  FROM @extschema@.service s WHERE s.name OPERATOR(pg_catalog.=) 'solar_cadastre';
