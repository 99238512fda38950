-- ---------------------------------------------------------------------------
-- Solar cadastre (issue 4): horizons, cumulative skies, irradiation of roof
-- faces shaded by their neighbours, the whole cadastre in one call, tiles.
-- Reference: docs/cadastre.md.
-- ---------------------------------------------------------------------------

-- smartregion.horizon -------------------------------------------------------
CREATE TYPE @extschema@.horizon;

CREATE FUNCTION @extschema@._horizon_in(cstring) RETURNS @extschema@.horizon
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION @extschema@._horizon_out(@extschema@.horizon) RETURNS cstring
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION @extschema@._horizon_recv(internal) RETURNS @extschema@.horizon
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
CREATE FUNCTION @extschema@._horizon_send(@extschema@.horizon) RETURNS bytea
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;

CREATE TYPE @extschema@.horizon (
  INPUT = @extschema@._horizon_in,
  OUTPUT = @extschema@._horizon_out,
  RECEIVE = @extschema@._horizon_recv,
  SEND = @extschema@._horizon_send,
  INTERNALLENGTH = VARIABLE,
  ALIGNMENT = int4,
  STORAGE = main
);
COMMENT ON TYPE @extschema@.horizon IS
  'horizon elevation angles (degrees) in N azimuth sectors centred on k*360/N clockwise from north; text form {N:e0,e1,...}';
COMMENT ON FUNCTION @extschema@._horizon_in(cstring) IS 'text input of smartregion.horizon ({N:e0,e1,...})';
COMMENT ON FUNCTION @extschema@._horizon_out(@extschema@.horizon) IS 'text output of smartregion.horizon (shortest round-trip floats)';
COMMENT ON FUNCTION @extschema@._horizon_recv(internal) IS 'binary input of smartregion.horizon (same validator as the text input)';
COMMENT ON FUNCTION @extschema@._horizon_send(@extschema@.horizon) IS 'binary output of smartregion.horizon';

CREATE FUNCTION @extschema@.horizon(elevations float8[]) RETURNS @extschema@.horizon
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_from_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.horizon(float8[]) IS
  'horizon from its sector elevations in degrees (sector k centred on azimuth k*360/N)';

CREATE FUNCTION @extschema@.horizon_elevation(h @extschema@.horizon, azimuth float8) RETURNS float8
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_elevation' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.horizon_elevation(@extschema@.horizon, float8) IS
  'horizon elevation (degrees) at an azimuth (degrees clockwise from north), linear between sector centres';

CREATE FUNCTION @extschema@.horizon_sectors(h @extschema@.horizon) RETURNS int
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_sectors' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 1;
COMMENT ON FUNCTION @extschema@.horizon_sectors(@extschema@.horizon) IS 'number of azimuth sectors of a horizon';

CREATE FUNCTION @extschema@.horizon_elevations(h @extschema@.horizon) RETURNS float8[]
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_elevations' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.horizon_elevations(@extschema@.horizon) IS
  'sector elevations of a horizon (degrees), sector k centred on azimuth k*360/N';

-- PARALLEL UNSAFE, as every function running its caller's query text (obstacles_sql,
-- buildings_sql, weather_sql, dem_sql, project_sql): the query may call nextval or open a
-- sub-transaction, which a statement in parallel mode refuses (docs/query-arguments.md)
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.horizon_at(location @postgis@.geometry, obstacles_sql text,
    radius_m float8 DEFAULT 300, sectors int DEFAULT 72)
RETURNS @extschema@.horizon
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_at' LANGUAGE C STABLE STRICT PARALLEL UNSAFE COST 10000;
COMMENT ON FUNCTION @extschema@.horizon_at(@postgis@.geometry, text, float8, int) IS
  'horizon of a point (x, y, absolute z) among obstacles given by a query returning id, geom (footprint or 3D), height [, ground_z, roof_z_max]; projected SRID in metres'
$ddl$);

-- smartregion.sky -----------------------------------------------------------
CREATE TYPE @extschema@.sky;

CREATE FUNCTION @extschema@._sky_in(cstring) RETURNS @extschema@.sky
  AS 'MODULE_PATHNAME', 'sr_fn_sky_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION @extschema@._sky_out(@extschema@.sky) RETURNS cstring
  AS 'MODULE_PATHNAME', 'sr_fn_sky_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION @extschema@._sky_recv(internal) RETURNS @extschema@.sky
  AS 'MODULE_PATHNAME', 'sr_fn_sky_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION @extschema@._sky_send(@extschema@.sky) RETURNS bytea
  AS 'MODULE_PATHNAME', 'sr_fn_sky_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;

CREATE TYPE @extschema@.sky (
  INPUT = @extschema@._sky_in,
  OUTPUT = @extschema@._sky_out,
  RECEIVE = @extschema@._sky_recv,
  SEND = @extschema@._sky_send,
  INTERNALLENGTH = VARIABLE,
  ALIGNMENT = double,
  STORAGE = external
);
COMMENT ON TYPE @extschema@.sky IS
  'cumulative sky of one site and weather year: diffuse radiance per Reinhart sky patch (MF 4, 2,305 patches) and month from the Perez all-weather distribution, and the beam at the exact daylight sun positions, and (version 3) the hours with light for the PV model; text form SKY3:<base64>';
COMMENT ON FUNCTION @extschema@._sky_in(cstring) IS 'text input of smartregion.sky (SKY3: + base64 of the portable wire form, wire versions 3 and 4; SKY2: of 0.1.0 still read; validated)';
COMMENT ON FUNCTION @extschema@._sky_out(@extschema@.sky) IS 'text output of smartregion.sky (SKY3: + base64 of the wire form)';
COMMENT ON FUNCTION @extschema@._sky_recv(internal) IS 'binary input of smartregion.sky (same validator as the text input)';
COMMENT ON FUNCTION @extschema@._sky_send(@extschema@.sky) IS 'binary output of smartregion.sky';

CREATE FUNCTION @extschema@.sky_summary(s @extschema@.sky) RETURNS jsonb
  AS 'MODULE_PATHNAME', 'sr_fn_sky_summary' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.sky_summary(@extschema@.sky) IS
  'site, record and sun counts and annual sums (kWh/m2) of a sky';

CREATE FUNCTION @extschema@.sky_patches(s @extschema@.sky,
    OUT patch int, OUT sky_row int, OUT altitude_deg float8, OUT azimuth_deg float8,
    OUT solid_angle_sr float8, OUT radiance_kwh_m2_sr float8, OUT monthly_kwh_m2_sr float8[])
RETURNS SETOF record
  AS 'MODULE_PATHNAME', 'sr_fn_sky_patches' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100 ROWS 2305;
COMMENT ON FUNCTION @extschema@.sky_patches(@extschema@.sky) IS
  'the diffuse sky of a sky value: one row per Reinhart patch (MF 4) with its centre, solid angle and cumulative radiance (kWh/m2/sr, annual and per month)';

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._sky_agg_transfn(internal, timestamptz, float8, float8, float8, @postgis@.geometry)
RETURNS internal AS 'MODULE_PATHNAME', 'sr_fn_sky_agg_transfn' LANGUAGE C STABLE PARALLEL SAFE COST 10;   -- (a location not in SRID 4326 is placed through spatial_ref_sys)
COMMENT ON FUNCTION @extschema@._sky_agg_transfn(internal, timestamptz, float8, float8, float8, @postgis@.geometry) IS 'transition function of smartregion.sky_agg'
$ddl$);
CREATE FUNCTION @extschema@._sky_agg_combinefn(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sr_fn_sky_agg_combinefn' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 100;
CREATE FUNCTION @extschema@._sky_agg_serialfn(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'sr_fn_sky_agg_serialfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION @extschema@._sky_agg_deserialfn(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'sr_fn_sky_agg_deserialfn' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 100;
CREATE FUNCTION @extschema@._sky_agg_finalfn(internal)
RETURNS @extschema@.sky AS 'MODULE_PATHNAME', 'sr_fn_sky_agg_finalfn' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION @extschema@._sky_agg_combinefn(internal, internal) IS 'combine function of smartregion.sky_agg (both forms)';
COMMENT ON FUNCTION @extschema@._sky_agg_serialfn(internal) IS 'serialisation of the smartregion.sky_agg state (both forms)';
COMMENT ON FUNCTION @extschema@._sky_agg_deserialfn(bytea, internal) IS 'deserialisation of the smartregion.sky_agg state (both forms)';
COMMENT ON FUNCTION @extschema@._sky_agg_finalfn(internal) IS 'final function of smartregion.sky_agg (both forms): builds the sky, with its hours'' air temperature and wind from the 7-argument form';

SELECT @extschema@._run_ddl($ddl$
CREATE AGGREGATE @extschema@.sky_agg(ts timestamptz, ghi float8, dni float8, dhi float8, location @postgis@.geometry) (
  SFUNC = @extschema@._sky_agg_transfn,
  STYPE = internal,
  FINALFUNC = @extschema@._sky_agg_finalfn,
  COMBINEFUNC = @extschema@._sky_agg_combinefn,
  SERIALFUNC = @extschema@._sky_agg_serialfn,
  DESERIALFUNC = @extschema@._sky_agg_deserialfn,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sky_agg(timestamptz, float8, float8, float8, @postgis@.geometry) IS
  'cumulative sky from hourly weather rows (ts = end of the hour, W/m2) at one site (point in SRID 4326, z = elevation in m)'
$ddl$);

CREATE FUNCTION @extschema@.sky_from_epw(content text) RETURNS @extschema@.sky
  AS 'MODULE_PATHNAME', 'sr_fn_sky_from_epw' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10000;
COMMENT ON FUNCTION @extschema@.sky_from_epw(text) IS
  'cumulative sky of an EnergyPlus weather file (its site, its hourly GHI and DHI)';

-- A clear-sky year for a site: Ineichen-Perez clear-sky GHI, DNI, DHI at
-- every hour (SPA sun at mid-hour), aggregated like measured weather; the
-- location read and transformed to WGS84 in C by the geometry bridge
-- (extension/pg/geometry.c); STABLE as it reads spatial_ref_sys.
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.sky_clearsky(location @postgis@.geometry, linke_turbidity float8 DEFAULT 3.0,
                                         year int DEFAULT 2019)
RETURNS @extschema@.sky
AS 'MODULE_PATHNAME', 'sr_fn_sky_clearsky'
LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100000$ddl$);
COMMENT ON FUNCTION @extschema@.sky_clearsky IS
  'cumulative sky of a clear-sky year at a site (a point in any SRID but 0, z = elevation in m): Ineichen-Perez clear sky with a Linke turbidity, SPA sun at every mid-hour, the upper bound of any weather year there';

-- irradiation ---------------------------------------------------------------
CREATE TYPE @extschema@.surface_irradiation AS (
  annual_kwh_m2 float8,
  monthly_kwh_m2 float8[],
  shading_loss_pct float8
);
COMMENT ON TYPE @extschema@.surface_irradiation IS
  'annual and monthly irradiation of a plane (kWh/m2) and the share lost to its horizon (%)';

CREATE FUNCTION @extschema@.surface_irradiation(sky @extschema@.sky, surface_tilt float8,
    surface_azimuth float8, horizon @extschema@.horizon DEFAULT NULL, albedo float8 DEFAULT 0.25)
RETURNS @extschema@.surface_irradiation
  AS 'MODULE_PATHNAME', 'sr_fn_surface_irradiation' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION @extschema@.surface_irradiation(@extschema@.sky, float8, float8, @extschema@.horizon, float8) IS
  'annual and monthly irradiation (kWh/m2) of a plane under a horizon from a cumulative sky: beam at the exact sun positions, Perez all-weather diffuse per sky patch, ground reflection';

CREATE FUNCTION @extschema@.surface_irradiation_hourly(weather_sql text, lat float8, lon float8,
    surface_tilt float8, surface_azimuth float8, horizon @extschema@.horizon DEFAULT NULL,
    albedo float8 DEFAULT 0.25)
RETURNS @extschema@.surface_irradiation
  AS 'MODULE_PATHNAME', 'sr_fn_surface_irradiation_hourly' LANGUAGE C STABLE PARALLEL UNSAFE COST 10000;
COMMENT ON FUNCTION @extschema@.surface_irradiation_hourly(text, float8, float8, float8, float8, @extschema@.horizon, float8) IS
  'hour-by-hour reference of surface_irradiation: SPA sun position and the Perez all-weather sky of every row of weather_sql (ts, ghi, dni, dhi), integrated on a fine dome';

CREATE TYPE @extschema@.roof_plane AS (tilt float8, azimuth float8, area_m2 float8);
COMMENT ON TYPE @extschema@.roof_plane IS 'tilt and azimuth (degrees) and true 3D area (m2) of a roof face';

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.roof_plane(face @postgis@.geometry) RETURNS @extschema@.roof_plane
  AS 'MODULE_PATHNAME', 'sr_fn_roof_plane' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@.roof_plane(@postgis@.geometry) IS
  'least-squares plane of a 3D polygon: tilt, azimuth (clockwise from true north: the grid azimuth plus grid_convergence at the face''s box centre; 180 when flat) and true 3D area; projected SRID in metres'
$ddl$);

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.grid_convergence(location @postgis@.geometry) RETURNS float8
  AS 'MODULE_PATHNAME', 'sr_fn_grid_convergence' LANGUAGE C STABLE STRICT PARALLEL SAFE COST 100;
COMMENT ON FUNCTION @extschema@.grid_convergence(@postgis@.geometry) IS
  'meridian convergence (degrees, rounded to 0.01) at a point of a projected SRID in metres: a true azimuth is the grid azimuth plus it (Lambert-93: +1.33 in Lyon, -5.43 in Brest); 0 for SRID 0; the angle by which the cadastre turns its buildings so that grid north is true north'
$ddl$);

-- the whole cadastre --------------------------------------------------------
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.solar_cadastre(buildings_sql text, sky @extschema@.sky,
    options jsonb DEFAULT '{}')
RETURNS TABLE (building_id bigint, face int, geom @postgis@.geometry, tilt float8, azimuth float8,
               area_m2 float8, usable_area_m2 float8, annual_kwh_m2 float8,
               monthly_kwh_m2 float8[], shading_loss_pct float8, pv_kwp float8,
               pv_kwh_year float8, potential_class text, pv_specific_yield float8,
               economics jsonb, sunny_area_m2 float8, p10_kwh_m2 float8, p50_kwh_m2 float8,
               p90_kwh_m2 float8, samples int)
  AS 'MODULE_PATHNAME', 'sr_fn_solar_cadastre' LANGUAGE C STABLE PARALLEL UNSAFE COST 10000 ROWS 10000
$ddl$);
COMMENT ON FUNCTION @extschema@.solar_cadastre(text, @extschema@.sky, jsonb) IS
  'solar cadastre of every roof face of the buildings returned by buildings_sql (id, geom, height [, ground_z, roof_z_max]), shaded by their neighbours; by default each face at one point (option sampling "point"), or sampled over its area (sampling "area": the area-weighted means, percentiles and the sunny area worth equipping, sampled every spacing_m)';

CREATE FUNCTION @extschema@.solar_tile(z int, x int, y int, roofs_table text DEFAULT 'hub.solar_roofs')
RETURNS bytea
-- (PARALLEL RESTRICTED: roofs_table may be a temporary table, which a parallel worker
-- cannot read)
LANGUAGE plpgsql STABLE STRICT PARALLEL RESTRICTED COST 1000
SET search_path = pg_catalog, pg_temp
-- no JIT: the estimate of a reader's tile under the policies (each row transformed,
-- ST_Transform's cost 10,000) is over jit_above_cost, and compiling took 1.1 s of a tile
-- that runs in 0.14 s without it (docs/web.md, "Tiles under concurrent requests")
SET jit = off
-- no parallel workers: the rows of a parallel scan come in the order the workers send them,
-- and the blocks' float sums and hulls below zoom 18 followed it: the z16 cells tile of Lyon
-- 1er had other bytes from run to run (a tile cache's ETag would change); the same bytes in
-- one backend, at no cost in CPU (docs/performance-cadastre.md, "Deterministic bytes")
SET max_parallel_workers_per_gather = 0
AS $$
BEGIN
  -- (a caller without USAGE on this schema, reading through another role's view: one clear
  -- 42501 first, not the failed lookup of what it names; docs/development.md#build)
  -- @require_schema_usage solar_tile
  -- (the reader)
DECLARE
  -- PostGIS is called schema-qualified: a search_path cannot capture it
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  t regclass;
  srid int;
  tile bytea;
  cells boolean;
  missing text[];
  keyed text := '';
  reach float8;
BEGIN
  IF z < 0 OR z > 24 OR x < 0 OR y < 0 OR x >= (1 << z) OR y >= (1 << z) THEN
    RAISE EXCEPTION 'tile %/%/% does not exist', z, x, y USING ERRCODE = '22023';
  END IF;
  t := roofs_table::regclass;   -- schema-qualified, or a temporary table (search_path is pg_catalog, pg_temp)
  -- the columns the tile reads: a table of solar_cadastre's rows, or of solar_cadastre_cells'
  -- (it has pv_plane_kwh_m2); another table is named with what it lacks, not with an error
  -- on this function's own query
  cells := EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid OPERATOR(pg_catalog.=) t AND a.attname OPERATOR(pg_catalog.=) 'pv_plane_kwh_m2'
                      AND NOT a.attisdropped);
  missing := ARRAY(
    SELECT c.n FROM pg_catalog.unnest(ARRAY['building_id', 'face', 'geom', 'annual_kwh_m2'] OPERATOR(pg_catalog.||)
                      -- (the cells' area_m2 weighs their means in a block below zoom 18)
                      CASE WHEN cells THEN ARRAY['usable_area_m2', 'sunny', 'area_m2']
                           ELSE ARRAY['shading_loss_pct', 'pv_kwp', 'pv_kwh_year', 'potential_class'] END)
                    WITH ORDINALITY c(n, k)
     WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid OPERATOR(pg_catalog.=) t AND a.attname OPERATOR(pg_catalog.=) c.n
                          AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped)
     ORDER BY c.k);
  IF pg_catalog.cardinality(missing) OPERATOR(pg_catalog.>) 0 THEN
    RAISE EXCEPTION 'relation % is not a table of cadastre rows: it lacks %', t, pg_catalog.array_to_string(missing, ', ')
      USING ERRCODE = '42703',
      DETAIL = 'A tile is made of solar_cadastre''s rows (building_id, face, geom, annual_kwh_m2, shading_loss_pct, pv_kwp, pv_kwh_year, potential_class) or of solar_cadastre_cells'' (building_id, face, geom, annual_kwh_m2, pv_plane_kwh_m2, usable_area_m2, sunny, area_m2).',
      HINT = 'Pass the table the refresh functions fill (hub.solar_roofs, hub.solar_roof_cells), or a table made with CREATE TABLE ... AS SELECT * FROM smartregion.solar_cadastre(...).';
  END IF;
  EXECUTE pg_catalog.format('SELECT %s.ST_SRID(geom) FROM %s LIMIT 1', g, t) INTO srid;
  IF srid IS NULL THEN
    RETURN ''::bytea;
  END IF;
  IF srid OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'the geometries of % have no SRID (0): a tile needs their place on Earth', t
      USING ERRCODE = '22023',
      HINT = 'Store them with their SRID (ST_SetSRID(geom, 2154), say), as the hub''s tables are.';
  END IF;
  -- a table of solar_cadastre_cells' rows (cells, above): its cells (where on the roof the
  -- sun is), else roof faces.  Rounded in float8, not numeric: ST_AsMVT writes numeric as a
  -- string, and a style must colour by annual_kwh_m2 without converting it
  -- cells are a metre wide: below zoom 16 (a tile over 600 m wide) a tile would carry
  -- every cell of a district (Lyon 1er at z 14: 600,000 cells, some 50 MB) and be
  -- unreadable on a map; it is empty there, as the layer's TileJSON says (minzoom 16)
  IF cells AND z OPERATOR(pg_catalog.<) 16 THEN
    RETURN ''::bytea;
  END IF;
  -- a table of cells with their keys (hub.solar_roof_cells' tile_key, _tile_key): the cells
  -- whose key is in the z22 squares (9.55 m) meeting the tile grown by a thin ring, or is
  -- NULL.  The same cells as the && below alone: the ring is how far the && box (the tile's
  -- 64-unit buffer moved into the table's SRID, its box there) reaches beyond the tile in
  -- Web Mercator (that box moved back, densified), plus two z22 squares (a keyed cell's box
  -- in the table's SRID, at most a z22 square of Web Mercator turned and scaled, and the
  -- float4 rounding of the index's boxes); _tile_key_ranges adds half a square (a keyed
  -- cell's centre is within half its box of any of its points).  Why: int8's comparisons are
  -- LEAKPROOF, so a reader under the territories' policies gets them from the btree index,
  -- where the gist index's && (not LEAKPROOF) waits for the policy and a sequential scan;
  -- and a thin ring, not the 8 neighbouring tiles: at z16 those were every cell of Lyon 1er
  -- (docs/performance-cadastre.md, "tiles under row-level security")
  IF cells AND EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid OPERATOR(pg_catalog.=) t AND a.attname OPERATOR(pg_catalog.=) 'tile_key'
                          AND a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.int8'::pg_catalog.regtype
                          AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped) THEN
    EXECUTE pg_catalog.format($q$
      SELECT GREATEST(%1$s.ST_XMax(r) OPERATOR(pg_catalog.-) %1$s.ST_XMax(e),
                                 %1$s.ST_XMin(e) OPERATOR(pg_catalog.-) %1$s.ST_XMin(r),
                                 %1$s.ST_YMax(r) OPERATOR(pg_catalog.-) %1$s.ST_YMax(e),
                                 %1$s.ST_YMin(e) OPERATOR(pg_catalog.-) %1$s.ST_YMin(r), 0)
        FROM (SELECT %1$s.ST_TileEnvelope($1, $2, $3) AS e,
                     %1$s.ST_Transform(%1$s.ST_Segmentize(b, GREATEST(%1$s.ST_XMax(b) OPERATOR(pg_catalog.-) %1$s.ST_XMin(b),
                                                                                 %1$s.ST_YMax(b) OPERATOR(pg_catalog.-) %1$s.ST_YMin(b))
                                                             OPERATOR(pg_catalog./) 16), 3857) AS r
                FROM (SELECT %1$s.ST_Envelope(%1$s.ST_Transform(%1$s.ST_Segmentize(
                               %1$s.ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096),
                               40075016.68557849 / (2 OPERATOR(pg_catalog.^) $1) / 16), $4)) AS b) s) s2$q$, g)
      INTO reach USING z, x, y, srid;
    -- (a reach that is not a number, a place the SRID cannot hold: the neighbouring tiles'
    -- width, what was read before)
    IF reach IS NULL OR reach OPERATOR(pg_catalog.=) 'NaN'::float8 OR reach OPERATOR(pg_catalog.>) 40075016.68557849 / (2 OPERATOR(pg_catalog.^) z) THEN
      reach := 40075016.68557849 / (2 OPERATOR(pg_catalog.^) z);
    END IF;
    -- (the ranges are the core's rule, as the keys are: _tile_key_ranges)
    SELECT pg_catalog.string_agg(pg_catalog.format(' OR (r.tile_key OPERATOR(pg_catalog.>=) %s AND r.tile_key OPERATOR(pg_catalog.<=) %s)',
                                                   k.lo, k.hi), '' ORDER BY k.lo)
      INTO keyed FROM @extschema@._tile_key_ranges(z, x, y, reach OPERATOR(pg_catalog.+) 2 OPERATOR(pg_catalog.*) 9.554628535647032) k;
    keyed := 'r.tile_key IS NULL' OPERATOR(pg_catalog.||) keyed;
    keyed := pg_catalog.format('AND (%s)', keyed);
  END IF;
  -- below zoom 18 a cell (1 m) is at most two pixels of a 512-pixel tile, and the densest
  -- tile of Lyon 1er held 106,000 of them at zoom 16 (4.2 MB, 1.3 s of CPU) and 31,500 at
  -- zoom 17 (1.3 MB), where Mapbox's guidance is tiles under 500 kB: there each face's
  -- cells are merged into blocks, the squares of the tile's 64 x 64 grid (the tiles of zoom
  -- z + 6; 8 pixels of a 512-pixel tile: 9.6 m of Web Mercator at zoom 16, 6.7 m on the
  -- ground in Lyon; 4.8 m and 3.3 m at zoom 17) holding the centres of their Web-Mercator
  -- boxes (a grid of 128 x 128 still gave 662 kB at zoom 16, 550 kB at zoom 17); a block is
  -- the convex hull of its cells, its irradiations the means of its cells weighted by their
  -- area (area_m2), its usable area their sum, sunny when its sunny cells hold at least half
  -- of it, cells how many it merges (docs/cadastre.md, solar_cells_tile)
  IF cells AND z OPERATOR(pg_catalog.<) 18 THEN
    EXECUTE pg_catalog.format($q$
      SELECT %1$s.ST_AsMVT(t, 'cells', 4096, 'geom') FILTER (WHERE t.geom IS NOT NULL) FROM (
        -- (the means to the kWh/m2, as integers: MVT writes every float8 as a double, 11
        -- bytes in the layer's table of values, and almost every block's means differ, where
        -- integers are varints of 2 bytes, shared by the blocks of one value; the classes of
        -- the maps are whole kWh/m2: zoom 16's densest tile of 128 x 128 blocks went from
        -- 749 to 661 kB)
        SELECT b.building_id, b.face,
               pg_catalog.round(b.annual_kwh_m2::float8)::int AS annual_kwh_m2,
               pg_catalog.round(b.pv_plane_kwh_m2::float8)::int AS pv_plane_kwh_m2,
               pg_catalog.round((b.usable_area_m2 OPERATOR(pg_catalog.*) 10)::float8) OPERATOR(pg_catalog./) 10 AS usable_area_m2,
               b.sunny, b.cells,
               %1$s.ST_AsMVTGeom(b.geom, %1$s.ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
          FROM (
            SELECT c.building_id, c.face,
                   pg_catalog.sum(c.area_m2 OPERATOR(pg_catalog.*) c.annual_kwh_m2)
                     OPERATOR(pg_catalog./) pg_catalog.sum(c.area_m2) FILTER (WHERE c.annual_kwh_m2 IS NOT NULL) AS annual_kwh_m2,
                   pg_catalog.sum(c.area_m2 OPERATOR(pg_catalog.*) c.pv_plane_kwh_m2)
                     OPERATOR(pg_catalog./) pg_catalog.sum(c.area_m2) FILTER (WHERE c.pv_plane_kwh_m2 IS NOT NULL) AS pv_plane_kwh_m2,
                   pg_catalog.sum(c.usable_area_m2) AS usable_area_m2,
                   coalesce(pg_catalog.sum(c.usable_area_m2) FILTER (WHERE c.sunny), 0) OPERATOR(pg_catalog.*) 2
                     OPERATOR(pg_catalog.>=) pg_catalog.sum(c.usable_area_m2)
                     AND pg_catalog.sum(c.usable_area_m2) OPERATOR(pg_catalog.>) 0 AS sunny,
                   pg_catalog.count(*)::int AS cells,
                   -- (the hull in the table's SRID, then moved: one transform a block)
                   %1$s.ST_Transform(%1$s.ST_ConvexHull(%1$s.ST_Collect(c.g)), 3857) AS geom
              FROM (
                -- the block of a cell with its key (tile_key, the Morton code of the z24
                -- tile of its box's centre): the key's z + 6 ancestor, k; of a cell without
                -- one, its box's centre in Web Mercator, m (OFFSET 0: each such cell
                -- transformed once, not once for each use of m below)
                SELECT r.building_id, r.face, r.area_m2, r.annual_kwh_m2, r.pv_plane_kwh_m2,
                       r.usable_area_m2, r.sunny, %1$s.ST_Force2D(r.geom) AS g, %4$s AS k,
                       CASE WHEN %4$s IS NULL THEN %1$s.ST_Transform(%1$s.ST_Force2D(r.geom), 3857) END AS m
                  FROM %2$s r
                 WHERE r.geom OPERATOR(%1$s.&&) %1$s.ST_Transform(%1$s.ST_Segmentize(
                         %1$s.ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096),
                         40075016.68557849 / (2 OPERATOR(pg_catalog.^) $1) / 16), $4)
                   %3$s
                OFFSET 0) c
             -- the block: the square of the z + 6 grid (Web Mercator, from the top left of
             -- the world, as the tiles and the keys) holding the centre of the cell's box
             GROUP BY c.building_id, c.face, c.k,
                   pg_catalog.floor(((%1$s.ST_XMin(c.m) OPERATOR(pg_catalog.+) %1$s.ST_XMax(c.m)) OPERATOR(pg_catalog./) 2
                                     OPERATOR(pg_catalog.+) 20037508.342789244)
                                    OPERATOR(pg_catalog./) (40075016.68557849 / (2 OPERATOR(pg_catalog.^) ($1 OPERATOR(pg_catalog.+) 6)))),
                   pg_catalog.floor((20037508.342789244 OPERATOR(pg_catalog.-)
                                     (%1$s.ST_YMin(c.m) OPERATOR(pg_catalog.+) %1$s.ST_YMax(c.m)) OPERATOR(pg_catalog./) 2)
                                    OPERATOR(pg_catalog./) (40075016.68557849 / (2 OPERATOR(pg_catalog.^) ($1 OPERATOR(pg_catalog.+) 6))))) b
         -- (a fixed order, as below)
         ORDER BY b.building_id, b.face, b.geom) t$q$, g, t, keyed,
      CASE WHEN keyed OPERATOR(pg_catalog.<>) '' THEN '(r.tile_key OPERATOR(pg_catalog.>>) (2 OPERATOR(pg_catalog.*) (18 OPERATOR(pg_catalog.-) $1)))'
           ELSE 'NULL::pg_catalog.int8' END)
      INTO tile USING z, x, y, srid;
    RETURN coalesce(tile, ''::bytea);
  END IF;
  -- (the features whose geometry ST_AsMVTGeom leaves NULL, wholly outside the tile and its
  -- buffer, are left out by the aggregate's FILTER, not by a WHERE on the subquery: the
  -- planner pushed such a WHERE down into the scan's filter, where it computed ST_Transform
  -- and ST_AsMVTGeom of every row a second time, once for the test and once for the
  -- feature: a third to a half of a tile's time, docs/performance-cadastre.md)
  EXECUTE pg_catalog.format($q$
    SELECT %1$s.ST_AsMVT(t, %3$L, 4096, 'geom') FILTER (WHERE t.geom IS NOT NULL) FROM (
      SELECT r.building_id, r.face,
             pg_catalog.round((r.annual_kwh_m2 OPERATOR(pg_catalog.*) 10)::float8) OPERATOR(pg_catalog./) 10 AS annual_kwh_m2,
             %4$s,
             %1$s.ST_AsMVTGeom(%1$s.ST_Transform(%1$s.ST_Force2D(r.geom), 3857),
                               %1$s.ST_TileEnvelope($1, $2, $3), 4096, 64, true) AS geom
        FROM %2$s r
       -- the tile and its 64-unit buffer, its edges densified before they are moved
       -- into the table's SRID: its four corners alone give a box that misses what
       -- lies under a curved edge (4.7 km at z 5 on Lambert-93's central meridian)
       -- or, at z 0, the whole of France
       WHERE r.geom OPERATOR(%1$s.&&) %1$s.ST_Transform(%1$s.ST_Segmentize(
               %1$s.ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096),
               40075016.68557849 / (2 OPERATOR(pg_catalog.^) $1) / 16), $4)
         %5$s
       -- the features in a fixed order: a map draws a tile's features in the order they
       -- come, and where two overlap (the edges of neighbouring roofs' cells) the later one
       -- is on top; the table's order (a scan's) changed from one build of a hub to the next
       ORDER BY r.building_id, r.face, r.geom) t$q$, g, t,
    CASE WHEN cells THEN 'cells' ELSE 'roofs' END,
    CASE WHEN cells THEN
      $c$pg_catalog.round((r.pv_plane_kwh_m2 OPERATOR(pg_catalog.*) 10)::float8) OPERATOR(pg_catalog./) 10 AS pv_plane_kwh_m2,
             pg_catalog.round((r.usable_area_m2 OPERATOR(pg_catalog.*) 100)::float8) OPERATOR(pg_catalog./) 100 AS usable_area_m2,
             r.sunny$c$
    ELSE
      $c$pg_catalog.round((r.shading_loss_pct OPERATOR(pg_catalog.*) 10)::float8) OPERATOR(pg_catalog./) 10 AS shading_loss_pct,
             pg_catalog.round((r.pv_kwp OPERATOR(pg_catalog.*) 100)::float8) OPERATOR(pg_catalog./) 100 AS pv_kwp,
             pg_catalog.round(r.pv_kwh_year::float8) AS pv_kwh_year, r.potential_class$c$
    END, keyed)
    INTO tile USING z, x, y, srid;
  RETURN coalesce(tile, ''::bytea);
END;
END
$$;
COMMENT ON FUNCTION @extschema@.solar_tile(int, int, int, text) IS
  'Mapbox Vector Tile (layer roofs, numeric attributes) of the solar cadastre rows stored in roofs_table, or (layer cells, from zoom 16; empty below; at zooms 16 and 17 each face''s cells merged into blocks of 1/64 of the tile, area-weighted) of the solar_cadastre_cells rows stored there; a function layer for make serve, pg_tileserv or Martin';

-- the hub's solar_roofs, refreshed from the cadastre ---------------------------
-- the targets of a refresh (refresh_solar_roofs, refresh_solar_roof_cells): the ids of
-- every building buildings_sql returns, but those whose target column is false (they only
-- shade the others); buildings_sql runs with the caller's search path
CREATE FUNCTION @extschema@._refresh_targets(buildings_sql text, query_search_path text)
RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  -- (called directly by a superuser or platform administrator: who controls the code its
  -- texts run; a reader that passed them in this statement pays nothing: _query_read_guard)
  PERFORM @extschema@._query_read_guard('_refresh_targets', ARRAY[buildings_sql], query_search_path);
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  BEGIN
    RETURN QUERY EXECUTE pg_catalog.format('SELECT DISTINCT q.id::pg_catalog.int8 FROM (%s) q WHERE q.target IS NOT FALSE',
                                           @extschema@._query_subquery('buildings_sql', buildings_sql, '{id,target}'));
  EXCEPTION WHEN undefined_column THEN
    RETURN QUERY EXECUTE pg_catalog.format('SELECT DISTINCT q.id::pg_catalog.int8 FROM (%s) q',
                                           @extschema@._query_subquery('buildings_sql', buildings_sql, '{id}'));
  END;
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
END
$$;
COMMENT ON FUNCTION @extschema@._refresh_targets(text, text) IS
  'internal: the ids of the buildings a refresh replaces, every building of buildings_sql but those whose target column is false; buildings_sql runs with the given search_path; for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)';

-- the territory and visibility of the rows a refresh writes (refresh_solar_roofs,
-- refresh_solar_roof_cells): a face or a cell is its building's, so it takes the columns
-- territory_code, territory_type and visibility of its row of buildings_sql (the default
-- query, the hub's buildings, has them).  A query without visibility makes restricted rows
-- (fail closed: the refresh cannot tell a public building from one its territory keeps to
-- itself, and before, every face was written public, those of restricted buildings too);
-- several rows of one id (a city model's surfaces) give the most restricted one.
-- buildings_sql runs with the given search path
CREATE FUNCTION @extschema@._refresh_territories(buildings_sql text, query_search_path text)
RETURNS TABLE (id bigint, territory_code text, territory_type text, visibility @extschema@.visibility)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 1000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  sub text;
  col text;
  present text[] := '{}';
BEGIN
  -- (called directly by a superuser or platform administrator: who controls the code its
  -- texts run; a reader that passed them in this statement pays nothing: _query_read_guard)
  PERFORM @extschema@._query_read_guard('_refresh_territories', ARRAY[buildings_sql], query_search_path);
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  sub := @extschema@._query_subquery('buildings_sql', buildings_sql, '{id}');
  -- which of the three columns the query has (a query without them is still a cadastre's)
  FOREACH col IN ARRAY ARRAY['territory_code', 'territory_type', 'visibility'] LOOP
    BEGIN
      EXECUTE pg_catalog.format('SELECT q.%I FROM (%s) q LIMIT 0', col, sub);
      present := present OPERATOR(pg_catalog.||) col;
    EXCEPTION WHEN undefined_column THEN
      NULL;
    END;
  END LOOP;
  RETURN QUERY EXECUTE pg_catalog.format(
    'SELECT DISTINCT ON (t.id) t.id, t.territory_code, t.territory_type, t.visibility FROM ('
    'SELECT q.id::pg_catalog.int8 AS id, %s AS territory_code, %s AS territory_type, '
    'coalesce(%s, ''restricted''::@extschema@.visibility) AS visibility FROM (%s) q) t '
    'ORDER BY t.id, t.visibility DESC',
    CASE WHEN 'territory_code' OPERATOR(pg_catalog.=) ANY (present) THEN 'q.territory_code::pg_catalog.text' ELSE 'NULL::pg_catalog.text' END,
    CASE WHEN 'territory_type' OPERATOR(pg_catalog.=) ANY (present) THEN 'q.territory_type::pg_catalog.text' ELSE 'NULL::pg_catalog.text' END,
    CASE WHEN 'visibility' OPERATOR(pg_catalog.=) ANY (present)
         THEN 'q.visibility::pg_catalog.text::@extschema@.visibility' ELSE 'NULL::@extschema@.visibility' END,
    sub);
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
END
$$;
COMMENT ON FUNCTION @extschema@._refresh_territories(text, text) IS
  'internal: the territory (code, type) and visibility of each building of buildings_sql, which the faces and cells a refresh writes take; restricted when the query has no visibility column, the most restricted of several rows of one id; buildings_sql runs with the given search_path; for a superuser or platform administrator caller, first the read guard of its query texts (_query_read_guard)';

-- a refresh's rows must have an SRID to go into the hub's: buildings_sql in SRID 0
-- (which the cadastre takes as local metres) is an error before anything is written.
-- The cadastre answers in one SRID (mixed SRIDs are its error), so the first row tells:
-- no scan of every row
CREATE FUNCTION @extschema@._refresh_to_hub_srid(rows_table regclass, hub_srid int)
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  v_id bigint;
  v_srid int;
BEGIN
  -- (read on one row: the cadastre's rows have its buildings' one SRID, the query reader
  -- refusing a geometry column that mixes SRIDs)
  EXECUTE pg_catalog.format('SELECT r.building_id, %s.ST_SRID(r.geom) FROM %s r LIMIT 1', g, rows_table)
    INTO v_id, v_srid;
  IF v_srid OPERATOR(pg_catalog.=) 0 THEN
    RAISE EXCEPTION 'building % of buildings_sql has no SRID (0): its rows cannot be placed in the hub''s SRID %', v_id, hub_srid
      USING ERRCODE = '22023',
      HINT = 'Give buildings_sql its geometries'' SRID, e.g. ST_SetSRID(geom, 2154) AS geom.';
  END IF;
  -- only rows in another SRID: in the hub's, ST_Transform returned them as they were but the
  -- update wrote every row again (the 598,425 cells of Lyon 1er: about 1 s of a refresh,
  -- until 2026-12-07; docs/performance-roofarea.md)
  IF v_srid OPERATOR(pg_catalog.<>) hub_srid THEN
    EXECUTE pg_catalog.format('UPDATE %2$s SET geom = %1$s.ST_Transform(geom, %3$s) '
                              'WHERE %1$s.ST_SRID(geom) OPERATOR(pg_catalog.<>) %3$s', g, rows_table, hub_srid);
  END IF;
END
$$;
COMMENT ON FUNCTION @extschema@._refresh_to_hub_srid(regclass, int) IS
  'internal: a refresh''s computed rows (a temporary table) placed in the hub''s SRID: 22023 when they hold a geometry without SRID, which cannot be transformed; transformed only when their SRID is another than the hub''s';

-- The refreshes' default query, the hub's buildings, with a column target: the buildings
-- whose rows (faces, cells) the caller may write in <target_schema>.<target_table>, the
-- others obstacles only.  An agent reads the public buildings of other territories too
-- (their shade crosses the boundary) but writes only its own territories' rows: before
-- (review of 2026-12-06, h2), every building read was a target, and an agent's refresh
-- with a neighbour's public building in the hub failed (42501 from the write policy,
-- nothing written).  The rule is the write policies' (enable_territory_security): every
-- row where row-level security does not apply to the caller (the hub's owner, a
-- superuser, a hub without territory security), every row for a platform administrator,
-- else the rows of the caller's territories (_territory_mine_sql).  A platform
-- administrator that holds the group's privileges (pg_has_role USAGE), whose policy
-- sr_platform_admin the write policies then add: before (2026-12-07, h1) a member whatever
-- its INHERIT (MEMBER), so a NOINHERIT member, which the group's policy does not apply to,
-- took every building read for a target, and its refresh failed (42501) on the first
-- neighbour's public building (pgTAP noinherit_platform).
CREATE FUNCTION @extschema@._refresh_buildings_sql(target_schema name, target_table name)
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE COST 100
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  rel pg_catalog.regclass := pg_catalog.to_regclass(pg_catalog.format('%I.%I', target_schema, target_table));
BEGIN
  RETURN pg_catalog.format(
    'SELECT id, geom, height, ground_z, roof_z_max, territory_code, territory_type, visibility, %2$s AS target FROM %1$I.buildings',
    target_schema,
    CASE WHEN rel IS NULL OR NOT pg_catalog.row_security_active(rel) THEN 'true'
         ELSE '(coalesce(pg_catalog.pg_has_role(pg_catalog.to_regrole(''smartregion_platform_admin''), ''USAGE''), false) OR '
              OPERATOR(pg_catalog.||) @extschema@._territory_mine_sql(target_schema, 'territory_type', 'territory_code')
              OPERATOR(pg_catalog.||) ')' END);
END
$$;
COMMENT ON FUNCTION @extschema@._refresh_buildings_sql(name, name) IS
  'internal: the refreshes'' default buildings_sql, the hub''s buildings with a column target true for the buildings whose rows the caller may write in target_table (every one where row-level security does not apply to it or for a platform administrator holding the group''s privileges, pg_has_role USAGE, not a NOINHERIT member; else those of its territories), the others obstacles only';

CREATE FUNCTION @extschema@.refresh_solar_roofs(sky @extschema@.sky, buildings_sql text DEFAULT NULL,
    options jsonb DEFAULT '{}', target_schema name DEFAULT 'hub',
    query_search_path text DEFAULT pg_catalog.current_setting('search_path'))
RETURNS TABLE (inserted bigint, updated bigint, deleted bigint)
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE COST 100000
-- pinned; buildings_sql (and the options' terrain_sql, trees_sql) run with the
-- caller's search_path, query_search_path (its default is evaluated in the
-- caller's context), set only while the two statements reading them execute,
-- as every *_sql argument does (docs/query-arguments.md)
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  -- (22004 naming the argument: the shared NULL check, docs/governance.md#null-arguments)
  args_given boolean := @extschema@._require_args('target_schema', target_schema);
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
  v_srid int;
  q text;
  v_flat bigint;
  -- (a hub made by an older build has no restricted_with_parent: no mark written)
  v_marked boolean;
BEGIN
  -- (an agent's: its territories' buildings the targets, the others' public ones obstacles)
  q := coalesce(buildings_sql, @extschema@._refresh_buildings_sql(target_schema, 'solar_roofs'));
  -- its temporary tables first, empty: created between its reads, they changed the
  -- catalogue, and each read checked the hub and the texts again (the guards' memo holds
  -- while the catalogue is unchanged, query.c)
  CREATE TEMP TABLE pg_temp.sr_refresh_roofs ON COMMIT DROP AS
  SELECT * FROM @extschema@.solar_cadastre(q, sky, options) WITH NO DATA;
  CREATE TEMP TABLE pg_temp.sr_refresh_roofs_territory ON COMMIT DROP AS
  SELECT * FROM @extschema@._refresh_territories(q, query_search_path) WITH NO DATA;
  -- (who controls the hub's code: the hub written, then the hubs its texts read; C, other
  -- callers return at once, and solar_cadastre, _refresh_targets and _refresh_territories,
  -- given the same texts in this statement, do not check them again: _query_read_guard)
  PERFORM @extschema@._hub_read_guard(target_schema, 'refresh_solar_roofs');
  v_srid := @extschema@.hub_srid(target_schema);
  PERFORM @extschema@._query_read_guard('refresh_solar_roofs', ARRAY[q, options OPERATOR(pg_catalog.->>) 'terrain_sql',
                                          options OPERATOR(pg_catalog.->>) 'trees_sql'],
                                        coalesce(query_search_path, 'pg_catalog, pg_temp'));
  IF pg_catalog.to_regclass(pg_catalog.format('%I.solar_roofs', target_schema)) IS NULL OR v_srid IS NULL THEN
    RAISE EXCEPTION 'schema "%" has no hub with a solar_roofs table', target_schema
      USING ERRCODE = '42P01', HINT = 'Run smartregion.create_hub() first.';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid OPERATOR(pg_catalog.=) pg_catalog.format('%I.solar_roofs', target_schema)::regclass
                    AND a.attname OPERATOR(pg_catalog.=) 'sunny_area_m2' AND NOT a.attisdropped) THEN
    RAISE EXCEPTION '%.solar_roofs has no column sunny_area_m2 (a hub made by an earlier version)', target_schema
      USING ERRCODE = '42703', HINT = pg_catalog.format('Run smartregion.create_hub(%L) again: it adds the columns.', target_schema);
  END IF;
  -- (and the hub's buildings, whose visibility the mark needs: none, no mark)
  v_marked := @extschema@._hub_derived_marked(pg_catalog.format('%I.solar_roofs', target_schema)::pg_catalog.regclass)
              AND pg_catalog.to_regclass(pg_catalog.format('%I.buildings', target_schema)) IS NOT NULL;
  -- the faces, in the hub's SRID (the cadastre answers in its buildings' SRID)
  PERFORM pg_catalog.set_config('search_path', coalesce(query_search_path, 'pg_catalog, pg_temp'), true);
  INSERT INTO pg_temp.sr_refresh_roofs SELECT * FROM @extschema@.solar_cadastre(q, sky, options);
  PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
  -- a face keeps its z (the roof's height: 3D viewers read it); a 2D footprint's face has none
  EXECUTE pg_catalog.format('SELECT r.building_id FROM pg_temp.sr_refresh_roofs r WHERE %1$s.ST_Zmflag(r.geom) OPERATOR(pg_catalog.<) 2 LIMIT 1', g)
    INTO v_flat;
  -- (a geometry without SRID refused first, then the faces placed in the hub's SRID)
  PERFORM @extschema@._refresh_to_hub_srid('pg_temp.sr_refresh_roofs', v_srid);
  IF v_flat IS NOT NULL THEN
    RAISE EXCEPTION 'building % of buildings_sql is a 2D footprint: its roof has no height to store', v_flat
      USING ERRCODE = '22023',
      HINT = 'Give buildings_sql 3D geometries whose z is the roof, e.g. ST_Force3DZ(geom, coalesce(ground_z, 0) + height) AS geom (the hub''s buildings are so).';
  END IF;
  -- faces still there keep their roof_id (QGIS's key); faces gone are deleted
  EXECUTE pg_catalog.format($q$
    WITH gone AS (
      DELETE FROM %1$I.solar_roofs s
       WHERE s.building_id OPERATOR(pg_catalog.=) ANY (SELECT t.id FROM @extschema@._refresh_targets($1, $2) t(id)
                                                       UNION SELECT r.building_id FROM pg_temp.sr_refresh_roofs r)
         AND NOT EXISTS (SELECT 1 FROM pg_temp.sr_refresh_roofs r
                          WHERE r.building_id OPERATOR(pg_catalog.=) s.building_id
                            AND r.face OPERATOR(pg_catalog.=) s.face)
      RETURNING 1)
    SELECT pg_catalog.count(*) FROM gone$q$, target_schema) INTO deleted USING q, query_search_path;
  -- each face is its building's: its territory and visibility (restricted when the query
  -- does not say), so that no face of a building is read by whom its building is hidden
  -- from (the query read last, after the targets, as it was before this read); a face
  -- restricted with its building is marked so (restricted_with_parent), and is public again
  -- with it (_hub_restrict_derived; not one restricted because the query does not say)
  INSERT INTO pg_temp.sr_refresh_roofs_territory SELECT * FROM @extschema@._refresh_territories(q, query_search_path);
  EXECUTE pg_catalog.format($q$
    WITH up AS (
      INSERT INTO %1$I.solar_roofs AS s (building_id, face, geom, tilt, azimuth, area_m2, usable_area_m2,
             annual_kwh_m2, monthly_kwh_m2, shading_loss_pct, pv_kwp, pv_kwh_year, potential_class,
             pv_specific_yield, economics, sunny_area_m2, p10_kwh_m2, p50_kwh_m2, p90_kwh_m2, samples,
             territory_code, territory_type, visibility%2$s)
      SELECT r.building_id, r.face, r.geom, r.tilt, r.azimuth, r.area_m2, r.usable_area_m2,
             r.annual_kwh_m2, r.monthly_kwh_m2, r.shading_loss_pct, r.pv_kwp, r.pv_kwh_year, r.potential_class,
             r.pv_specific_yield, r.economics, r.sunny_area_m2, r.p10_kwh_m2, r.p50_kwh_m2, r.p90_kwh_m2,
             r.samples, t.territory_code, t.territory_type, coalesce(t.visibility, 'restricted'::@extschema@.visibility)%3$s
        FROM pg_temp.sr_refresh_roofs r
        LEFT JOIN pg_temp.sr_refresh_roofs_territory t ON t.id OPERATOR(pg_catalog.=) r.building_id
      ON CONFLICT (building_id, face) DO UPDATE
         SET geom = EXCLUDED.geom, tilt = EXCLUDED.tilt, azimuth = EXCLUDED.azimuth,
             area_m2 = EXCLUDED.area_m2, usable_area_m2 = EXCLUDED.usable_area_m2,
             annual_kwh_m2 = EXCLUDED.annual_kwh_m2, monthly_kwh_m2 = EXCLUDED.monthly_kwh_m2,
             shading_loss_pct = EXCLUDED.shading_loss_pct, pv_kwp = EXCLUDED.pv_kwp,
             pv_kwh_year = EXCLUDED.pv_kwh_year, potential_class = EXCLUDED.potential_class,
             pv_specific_yield = EXCLUDED.pv_specific_yield, economics = EXCLUDED.economics,
             sunny_area_m2 = EXCLUDED.sunny_area_m2, p10_kwh_m2 = EXCLUDED.p10_kwh_m2,
             p50_kwh_m2 = EXCLUDED.p50_kwh_m2, p90_kwh_m2 = EXCLUDED.p90_kwh_m2, samples = EXCLUDED.samples,
             territory_code = EXCLUDED.territory_code, territory_type = EXCLUDED.territory_type,
             visibility = EXCLUDED.visibility%4$s
      RETURNING (xmax OPERATOR(pg_catalog.=) 0) AS fresh)
    SELECT pg_catalog.count(*) FILTER (WHERE fresh), pg_catalog.count(*) FILTER (WHERE NOT fresh) FROM up$q$,
    target_schema,
    CASE WHEN v_marked THEN ', restricted_with_parent' ELSE '' END,
    -- (marked when the query says restricted and the hub's building is, as the caller reads
    -- it: a custom query's "restricted" for a building public in the hub is its writer's
    -- choice, not the cascade's, which the building made restricted then public again would
    -- publish; before 2026-12-07, h3, the query's word alone marked it)
    CASE WHEN v_marked THEN ', coalesce(t.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted'' '
                            'AND EXISTS (SELECT 1 FROM ' OPERATOR(pg_catalog.||) pg_catalog.quote_ident(target_schema)
                            OPERATOR(pg_catalog.||) '.buildings b WHERE b.id OPERATOR(pg_catalog.=) r.building_id '
                            'AND b.visibility::pg_catalog.text OPERATOR(pg_catalog.=) ''restricted''), false)' ELSE '' END,
    CASE WHEN v_marked THEN ', restricted_with_parent = EXCLUDED.restricted_with_parent' ELSE '' END) INTO inserted, updated;
  DROP TABLE pg_temp.sr_refresh_roofs;
  DROP TABLE pg_temp.sr_refresh_roofs_territory;
  RETURN NEXT;
END
$$;
COMMENT ON FUNCTION @extschema@.refresh_solar_roofs(@extschema@.sky, text, jsonb, name, text) IS
  'computes the solar cadastre of the hub''s buildings (or of buildings_sql) under a sky and writes it into <target_schema>.solar_roofs in the hub''s SRID: the rows of every target building are replaced, faces still there keep their roof_id; returns the rows inserted, updated and deleted';

DO $do$
DECLARE
  g text := pg_catalog.quote_ident(@extschema@._postgis_schema());
BEGIN
  -- geometry columns typed with the hub's SRID (%2$s, create_hub) so that
  -- clients read type and SRID from geometry_columns (docs/qgis.md)
  PERFORM @extschema@.register_hub_table('buildings', 'solar_cadastre', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.buildings (
      id         bigint PRIMARY KEY,
      geom       @g@.geometry(MultiPolygonZ, %2$s) NOT NULL,
      height     float8 CHECK (height >= 0),
      ground_z   float8,
      roof_z_max float8,
      source     text);
    CREATE INDEX IF NOT EXISTS buildings_geom_idx ON %1$I.buildings USING gist (geom)
  $ddl$, '@g@', g), 30);
  PERFORM @extschema@.register_hub_table('solar_roofs', 'solar_cadastre', pg_catalog.replace($ddl$
    CREATE TABLE IF NOT EXISTS %1$I.solar_roofs (
      roof_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      building_id      bigint NOT NULL,
      face             int NOT NULL,
      geom             @g@.geometry(PolygonZ, %2$s) NOT NULL,
      tilt             float8,
      azimuth          float8,
      area_m2          float8,
      usable_area_m2   float8,
      annual_kwh_m2    float8,
      monthly_kwh_m2   float8[],
      shading_loss_pct float8,
      pv_kwp           float8,
      pv_kwh_year      float8,
      potential_class  text,
      pv_specific_yield float8,
      economics        jsonb,
      UNIQUE (building_id, face));
    -- ids are the database's (a hub made before took explicit ones): an id taken ahead by
    -- one territory would fail another's next insert, 23505 on a row it cannot see
    ALTER TABLE %1$I.solar_roofs ALTER COLUMN roof_id SET GENERATED ALWAYS;
    -- over the roof's area (sampling "area"; NULL at one point): added to a
    -- hub made before them when create_hub runs again
    ALTER TABLE %1$I.solar_roofs ADD COLUMN IF NOT EXISTS sunny_area_m2 float8,
      ADD COLUMN IF NOT EXISTS p10_kwh_m2 float8, ADD COLUMN IF NOT EXISTS p50_kwh_m2 float8,
      ADD COLUMN IF NOT EXISTS p90_kwh_m2 float8, ADD COLUMN IF NOT EXISTS samples int;
    CREATE INDEX IF NOT EXISTS solar_roofs_geom_idx ON %1$I.solar_roofs USING gist (geom);
    -- the rows the cascade of sr_restrict_derived restricted, which their parent made public
    -- again takes back (h7; create_hub adds the trigger sr_restricted_by_hand that clears
    -- the mark of a row whose visibility is written by hand, once the table has visibility)
    ALTER TABLE %1$I.solar_roofs ADD COLUMN IF NOT EXISTS restricted_with_parent boolean NOT NULL DEFAULT false;
    -- a row is of its parent's territory, for an agent (_hub_derived_territory; the red team of
    -- 2026-12-07, h9: its key names no territory)
    CREATE OR REPLACE TRIGGER sr_derived_territory_ins AFTER INSERT ON %1$I.solar_roofs
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_derived_territory();
    CREATE OR REPLACE TRIGGER sr_derived_territory_upd AFTER UPDATE ON %1$I.solar_roofs
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._hub_derived_territory();
    -- a building made restricted takes its faces, cells and impact rows with it (here, not in
    -- the buildings' DDL: create_hub adds a table's visibility after its DDL)
    -- (one statement trigger, with transition tables: a trigger with them names no column)
    CREATE OR REPLACE TRIGGER sr_restrict_derived AFTER UPDATE ON %1$I.buildings
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
      EXECUTE FUNCTION @extschema@._hub_restrict_derived()
  $ddl$, '@g@', g), 31);
  PERFORM @extschema@.register_hub_table('skies', 'solar_cadastre', $ddl$
    CREATE TABLE IF NOT EXISTS %1$I.skies (
      name text PRIMARY KEY,
      sky  @extschema@.sky NOT NULL)
  $ddl$, 32);
END
$do$;

-- Catalogue -------------------------------------------------------------------
SELECT @extschema@.register_dataset('buildings', 'Buildings',
  'Building footprints (or 3D roof faces) with their height, ground and roof altitudes, from which the solar cadastre is computed.',
  ARRAY['REGI', 'ENVI'], ARRAY['buildings', '3D', 'solar cadastre'], 'ANNUAL');
SELECT @extschema@.register_dataset('solar_roofs', 'Solar cadastre of roofs',
  'Annual and monthly solar irradiation, shading loss by the neighbouring buildings and photovoltaic potential of every roof face.',
  ARRAY['ENER', 'ENVI'], ARRAY['solar', 'photovoltaics', 'roofs', 'irradiation'], 'ANNUAL');
SELECT @extschema@.register_dataset('skies', 'Cumulative skies',
  'The cumulative sky of each weather year of the region (Perez all-weather radiance per Reinhart patch and the sun at its hourly positions), from which the solar cadastre is computed.',
  ARRAY['ENER', 'ENVI'], ARRAY['solar', 'weather', 'irradiation'], 'IRREG');

SELECT @extschema@.register_service('solar_cadastre', '0.1.0',
  'roof-by-roof annual solar potential shaded by the neighbouring buildings',
  ARRAY['horizon_at', 'horizon_elevation', 'sky_agg', 'sky_from_epw', 'sky_clearsky', 'sky_patches',
        'surface_irradiation', 'surface_irradiation_hourly', 'roof_plane', 'grid_convergence', 'solar_cadastre', 'solar_tile', 'refresh_solar_roofs']);
