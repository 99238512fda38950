-- ---------------------------------------------------------------------------
-- PV system model (issue 17): the yield of a plane with real losses, from a
-- sky at cadastre speed (pv_yield, pv_profile) or hour by hour from weather
-- rows (pv_yield_hourly, pv_profile_hourly, the reference).
-- Reference: docs/pv.md.
-- ---------------------------------------------------------------------------

-- sky_agg with air temperature and wind --------------------------------------
-- (PostGIS types through _run_ddl: @postgis@ is PostGIS's schema)
SELECT @extschema@._run_ddl($ddl$
CREATE FUNCTION @extschema@._sky_agg_met_transfn(internal, timestamptz, float8, float8, float8,
    float8, float8, @postgis@.geometry)
RETURNS internal AS 'MODULE_PATHNAME', 'sr_fn_sky_agg_met_transfn' LANGUAGE C STABLE PARALLEL SAFE COST 10;   -- (as _sky_agg_transfn: spatial_ref_sys)
COMMENT ON FUNCTION @extschema@._sky_agg_met_transfn(internal, timestamptz, float8, float8, float8, float8, float8, @postgis@.geometry) IS
  'transition function of smartregion.sky_agg with air temperature and wind'
$ddl$);
-- (the combine, serialisation and final functions are sky_agg's: one state
-- serves both forms, extension/pg/sky_agg.c)
SELECT @extschema@._run_ddl($ddl$
CREATE AGGREGATE @extschema@.sky_agg(ts timestamptz, ghi float8, dni float8, dhi float8,
    temp_air float8, wind_speed float8, location @postgis@.geometry) (
  SFUNC = @extschema@._sky_agg_met_transfn,
  STYPE = internal,
  FINALFUNC = @extschema@._sky_agg_finalfn,
  COMBINEFUNC = @extschema@._sky_agg_combinefn,
  SERIALFUNC = @extschema@._sky_agg_serialfn,
  DESERIALFUNC = @extschema@._sky_agg_deserialfn,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sky_agg(timestamptz, float8, float8, float8, float8, float8, @postgis@.geometry) IS
  'cumulative sky from hourly rows with air temperature (C) and wind speed (m/s) for the PV model (ts = end of the hour, W/m2; point in SRID 4326, z = elevation in m)'
$ddl$);

-- the yield of a plane --------------------------------------------------------
CREATE TYPE @extschema@.pv_yield AS (
  annual_kwh_kwp float8,
  monthly_kwh_kwp float8[],
  poa_kwh_m2 float8,
  performance_ratio float8
);
COMMENT ON TYPE @extschema@.pv_yield IS
  'first-year AC energy per kWp of modules (kWh/kWp, annual and per UTC month), the plane-of-array irradiation (kWh/m2) and their ratio';

CREATE FUNCTION @extschema@.pv_yield(sky @extschema@.sky, surface_tilt float8, surface_azimuth float8,
    horizon @extschema@.horizon DEFAULT NULL, system jsonb DEFAULT '{}', albedo float8 DEFAULT 0.25)
RETURNS @extschema@.pv_yield
  AS 'MODULE_PATHNAME', 'sr_fn_pv_yield' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000;
COMMENT ON FUNCTION @extschema@.pv_yield(@extschema@.sky, float8, float8, @extschema@.horizon, jsonb, float8) IS
  'PV yield of a plane under a horizon from a sky: its hours with the exact beam and the diffuse of the cumulative sky, through module temperature, DC model, IAM, inverter and losses (docs/pv.md)';

CREATE FUNCTION @extschema@.pv_profile(sky @extschema@.sky, surface_tilt float8, surface_azimuth float8,
    horizon @extschema@.horizon DEFAULT NULL, system jsonb DEFAULT '{}', albedo float8 DEFAULT 0.25)
RETURNS TABLE (ts timestamptz, kwh_kwp float8)
  AS 'MODULE_PATHNAME', 'sr_fn_pv_profile' LANGUAGE C IMMUTABLE PARALLEL SAFE COST 1000 ROWS 4400;
COMMENT ON FUNCTION @extschema@.pv_profile(@extschema@.sky, float8, float8, @extschema@.horizon, jsonb, float8) IS
  'the hourly AC energy per kWp of a plane (pv_yield''s hours; ts = end of the hour; hours without light are left out)';

CREATE FUNCTION @extschema@.pv_yield_hourly(weather_sql text, lat float8, lon float8,
    surface_tilt float8, surface_azimuth float8, horizon @extschema@.horizon DEFAULT NULL,
    system jsonb DEFAULT '{}', albedo float8 DEFAULT 0.25)
RETURNS @extschema@.pv_yield
  AS 'MODULE_PATHNAME', 'sr_fn_pv_yield_hourly' LANGUAGE C STABLE PARALLEL UNSAFE COST 10000;
COMMENT ON FUNCTION @extschema@.pv_yield_hourly(text, float8, float8, float8, float8, @extschema@.horizon, jsonb, float8) IS
  'hour-by-hour reference of pv_yield: weather_sql (ts, ghi, dni, dhi [, temp_air, wind_speed]) through surface_irradiation_hourly''s sky and the PV model, every hour';

CREATE FUNCTION @extschema@.pv_profile_hourly(weather_sql text, lat float8, lon float8,
    surface_tilt float8, surface_azimuth float8, horizon @extschema@.horizon DEFAULT NULL,
    system jsonb DEFAULT '{}', albedo float8 DEFAULT 0.25)
RETURNS TABLE (ts timestamptz, kwh_kwp float8)
  AS 'MODULE_PATHNAME', 'sr_fn_pv_profile_hourly' LANGUAGE C STABLE PARALLEL UNSAFE COST 10000 ROWS 8760;
COMMENT ON FUNCTION @extschema@.pv_profile_hourly(text, float8, float8, float8, float8, @extschema@.horizon, jsonb, float8) IS
  'the hourly AC energy per kWp of a plane by the hour-by-hour reference, one row per row of weather_sql';
