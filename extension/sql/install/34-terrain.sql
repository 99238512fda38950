-- ---------------------------------------------------------------------------
-- Terrain and trees (issue 17): the far horizon of an elevation model held
-- in PostGIS raster (postgis_raster is used when present, not required),
-- combined with the buildings' horizon.  Trees and terrain are also options
-- of solar_cadastre (trees_sql, terrain_sql).  Reference: docs/pv.md.
-- ---------------------------------------------------------------------------

SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@.horizon_from_dem(dem_sql text, location @postgis@.geometry,
    radius_m float8 DEFAULT 20000, sectors int DEFAULT 72, curvature boolean DEFAULT true)
RETURNS @extschema@.horizon
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_from_dem' LANGUAGE C STABLE STRICT PARALLEL UNSAFE COST 10000;
COMMENT ON FUNCTION @extschema@.horizon_from_dem(text, @postgis@.geometry, float8, int, boolean) IS
  'horizon of a point (x, y and absolute z; a 2D point stands on the ground) from an elevation model: the rasters (column rast) returned by dem_sql, with the Earth''s curvature and refraction; needs postgis_raster'
$ddl$);

CREATE FUNCTION @extschema@.horizon_max(a @extschema@.horizon, b @extschema@.horizon)
RETURNS @extschema@.horizon
  AS 'MODULE_PATHNAME', 'sr_fn_horizon_max' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE COST 10;
COMMENT ON FUNCTION @extschema@.horizon_max(@extschema@.horizon, @extschema@.horizon) IS
  'the higher of two horizons of the same sector count, sector by sector (buildings and terrain)';

SELECT @extschema@.register_service('pv_system', '0.1.0',
  'photovoltaics for the people who decide: yield of a PV system with its real losses (temperature, incidence, inverter, wiring), hour by hour or from a cumulative sky, its economics (savings, payback, CO2), and the far horizon of the terrain',
  ARRAY['pv_yield', 'pv_yield_hourly', 'pv_profile', 'pv_profile_hourly', 'pv_economics',
        'horizon_from_dem', 'horizon_max']);
